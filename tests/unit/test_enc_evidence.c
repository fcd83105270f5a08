/* Issue 10, encoding evidence (review findings 2 and 4): a short valid
 * UTF-8 input with Greek, math or Latin-1 symbols stays UTF-8; ctlconv's
 * own UTF-8 output of lists in any script reads back equal; half-width
 * katakana in CP932 and EUC-JP count as kana; short EUC-JP kanji strings
 * come out right or with a warning, never wrong in silence; so do inputs
 * whose readings rest on one or two characters (a lone half-width kana
 * or kanji). */
#include "support.h"
#include "internal.h"
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *to_encoding(const char *enc, const char *s, size_t *n)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    size_t len = strlen(s), cap = len * 2 + 8, left = cap;
    char *out = malloc(cap), *op = out, *ip = (char *)s;
    ck_assert(iconv(cd, &ip, &len, &op, &left) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(op - out);
    return out;
}

/* Decodes bytes without --encoding: 2 right in silence, 1 right with a
 * warning, 0 wrong with a warning naming --encoding (encoding-weak, or
 * encoding-ambiguous for readings that weigh the same), -1 refused, -2
 * wrong in silence. */
static int decode_verdict(const char *bytes, size_t n, const char *want, const char **used_out)
{
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t out_len;
    const char *used = NULL;
    ctl_status st = ctl_decode(ctx, "in.csv", (const unsigned char *)bytes, n, NULL, &out, &out_len, &used);
    int r = st != CTL_OK ? -1
          : !strcmp(out, want) ? (ctl_warning_count(ctx) ? 1 : 2)
          : warnings_with(ctx, CTL_D_ENCODING_WEAK) || warnings_with(ctx, CTL_D_ENCODING_AMBIGUOUS) ? 0 : -2;
    if (used_out) *used_out = used ? used : "";
    free(out);
    ctl_ctx_free(ctx);
    return r;
}

static int verdict_in(const char *enc, const char *text, const char **used)
{
    size_t n;
    char *e = to_encoding(enc, text, &n);
    int r = decode_verdict(e, n, text, used);
    free(e);
    return r;
}

/* ------------------------------------------- Greek, math, Latin-1 symbols */

START_TEST(symbols_stay_utf8)
{
    static const char *const texts[] = {
        "phase β", "Ω", "λ", "Σ", "÷", "§", "§§", "¶", "½", "½ day", "©", "®", "·", "µ", "°", "±",
        "×", "«»", "λ = 0.5", "Σ of costs", "x ÷ y", "§§ 3-4", "¶ 2", "© 2021 Example", "kΩ", "μs",
        "α/β test", "café", "Zürich", "résumé", "Ελλάδα", "Привет мир", "β版", "25°C", "± 5%", NULL};
    static const char *const wraps[] = {"%s", "%s\n", "id,title,category\nII.1.1.1,%s,\n",
                                        "id\ttitle\tcategory\nII.1.1.1\t%s\t\n", NULL};
    for (size_t i = 0; texts[i]; i++)
        for (size_t w = 0; wraps[w]; w++) {
            char text[256];
            snprintf(text, sizeof text, wraps[w], texts[i]);
            const char *used;
            int r = verdict_in("UTF-8", text, &used);
            ck_assert_msg(r == 2, "%s: verdict %d as %s", text, r, used);
        }
    /* the review's list: 1.2 KB of English with symbols in every title */
    ctl_buf b = {0};
    static const char *const sym[] = {"phase β", "Ω", "λ", "Σ", "x ÷ y", "§§ 4", "¶", "½ day"};
    ck_assert(ctl_buf_adds(&b, "id,title,category\n"));
    for (int i = 0; i < 32; i++) {
        char line[128];
        snprintf(line, sizeof line, "II.1.1.%d,Control %d about %s,basic\n", i + 1, i, sym[i % 8]);
        ck_assert(ctl_buf_adds(&b, line));
    }
    ck_assert(ctl_buf_add(&b, "", 0));
    ck_assert_int_eq(verdict_in("UTF-8", b.data, NULL), 2);
    ctl_buf_free(&b);
}
END_TEST

/* ------------------------------- ctlconv's own UTF-8 output reads back */

static uint32_t rnd_state;

static uint32_t rnd(uint32_t n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state % n;
}

/* Words of many scripts and symbols as text holds them, mostly among
 * ASCII words (a list with one Ω in it is where UTF-8 was misread). */
static const char *const ascii_words[] = {"phase", "control", "Access", "day", "x", "v2", "of", "the"};
static const char *const words[] = {
    "café", "Zürich", "naïve", "São", "Łódź", "Straße", "Ūdris", "façade", "Ελλάδα", "λόγος", "Ω", "β",
    "λ", "Σ", "π", "μ", "α/β", "Привет", "мир", "да", "в", "שלום", "مرحبا", "한국어", "ไทย", "हिन्दी",
    "½", "©", "®", "§", "§§", "¶", "÷", "·", "°C", "±", "×", "µs", "¼", "«x»", "€", "™", "→", "①",
    "基本", "情報セキュリティ", "法的", "調達", "ﾃﾞｰﾀ", "🔒", "é", "ñ", "Ū", "Å", NULL};

static void random_text(char *buf, size_t cap)
{
    static const char *const seps[] = {" ", ", ", " / ", " - ", " (", ") "};
    size_t nw = 0, n = 1 + rnd(4);
    while (words[nw]) nw++;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(buf, seps[rnd(6)], cap - strlen(buf) - 1);
        const char *w = rnd(4) ? ascii_words[rnd(8)] : words[rnd((uint32_t)nw)];
        strncat(buf, w, cap - strlen(buf) - 1);
    }
}

static ctl_list *random_list(char titles[][96], char descs[][96], size_t n)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_meta m = {0};
    ck_assert_int_eq(l->sink.begin(&l->sink, ctx, &m), CTL_OK);
    for (size_t i = 0; i < n; i++) {
        char id[32], label[32];
        snprintf(id, sizeof id, "II.1.1.%zu", i + 1);
        snprintf(label, sizeof label, "II. 1. 1. %zu", i + 1);
        random_text(titles[i], 96);
        random_text(descs[i], 96);
        ctl_item it = {.id = id, .label = label, .level = 3, .title = titles[i], .description = descs[i],
                       .category = rnd(4) ? CTL_CATEGORY_NONE : CTL_CATEGORY_BASIC};
        ck_assert_int_eq(l->sink.item(&l->sink, ctx, &it), CTL_OK);
    }
    ck_assert_int_eq(l->sink.end(&l->sink, ctx, &m), CTL_OK);
    ctl_ctx_free(ctx);
    return l;
}

START_TEST(own_utf8_output_reads_back)
{
    static const char *const formats[] = {"csv", "tsv", "text", NULL};
    rnd_state = 0x9E3779B9u;
    for (int round = 0; round < 300; round++) {
        char titles[4][96], descs[4][96];
        size_t n = 1 + rnd(3);
        ctl_list *l = random_list(titles, descs, n);
        for (size_t f = 0; formats[f]; f++) {
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_status st;
            size_t len;
            char *bytes = write_list(ctx, formats[f], l, NULL, &len, &st);
            ck_assert_msg(st == CTL_OK, "writing %s: %s", formats[f], ctl_error_message(ctx));
            ctl_list *b = read_bytes(ctx, formats[f], bytes, len, NULL, &st);
            ck_assert_msg(st == CTL_OK, "%s of \"%s\": %s", formats[f], titles[0], ctl_error_message(ctx));
            ck_assert_uint_eq(b->n_items, n);
            for (size_t i = 0; i < n; i++) {
                ck_assert_msg(!strcmp(b->items[i].title, titles[i]), "%s: title \"%s\" read back as \"%s\"",
                              formats[f], titles[i], b->items[i].title);
                ck_assert_msg(!strcmp(b->items[i].description, descs[i]), "%s: \"%s\" read back as \"%s\"",
                              formats[f], descs[i], b->items[i].description);
            }
            ctl_list_free(b);
            free(bytes);
            ctl_ctx_free(ctx);
        }
        ctl_list_free(l);
    }
}
END_TEST

/* ------------------------------------------------ half-width katakana */

START_TEST(halfwidth_katakana_read_right)
{
    static const char *const texts[] = {"ﾃﾞｰﾀ", "ﾊﾟｽﾜｰﾄﾞ", "ｶﾀｶﾅ", "ｶﾀｶﾅ ok", "ｼｽﾃﾑ", "ﾈｯﾄﾜｰｸ", "ｻｰﾊﾞｰ",
                                        "ﾛｸﾞ", "ﾊﾞｯｸｱｯﾌﾟ", "ｱｸｾｽ", "ﾃｽﾄ", "ｱｶｳﾝﾄ管理", "ﾃﾞｰﾀの保護", NULL};
    static const char *const encs[] = {"CP932", "EUC-JP-MS", NULL};
    for (size_t e = 0; encs[e]; e++)
        for (size_t i = 0; texts[i]; i++) {
            char row[128];
            snprintf(row, sizeof row, "id,title,category\nII.1.1.1,%s,\n", texts[i]);
            const char *used;
            ck_assert_msg(verdict_in(encs[e], texts[i], &used) >= 1, "%s %s read as %s", encs[e], texts[i], used);
            ck_assert_msg(verdict_in(encs[e], row, &used) >= 1, "%s %s in a row read as %s", encs[e], texts[i], used);
        }
}
END_TEST

START_TEST(close_margin_warns)
{
    /* ﾃﾞｰﾀ in CP932 is 筑粟 in EUC-JP: chosen by the sound marks, with a warning */
    size_t n;
    char *e = to_encoding("CP932", "ﾃﾞｰﾀ", &n);
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t out_len;
    const char *used;
    ck_assert_int_eq(ctl_decode(ctx, "in", (unsigned char *)e, n, NULL, &out, &out_len, &used), CTL_OK);
    ck_assert_str_eq(used, "CP932");
    ck_assert_str_eq(out, "ﾃﾞｰﾀ");
    ck_assert(has_warning(ctx, "encoding is ambiguous: reads as CP932 and as EUC-JP-MS"));
    ck_assert(has_warning(ctx, "EUC-JP-MS \"筑粟\""));
    free(out);
    free(e);
    ctl_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------- short EUC-JP kanji strings */

START_TEST(short_eucjp_never_silent)
{
    static const char *const w[] = {"調達", "法的", "予測", "任命", "分無", "分離", "的能", "連法", "的", NULL};
    for (size_t i = 0; w[i]; i++) {
        char row[128];
        snprintf(row, sizeof row, "id,title,category\nII.1.1.1,%s,\n", w[i]);
        ck_assert_msg(verdict_in("EUC-JP-MS", w[i], NULL) >= -1, "%s alone wrong in silence", w[i]);
        ck_assert_msg(verdict_in("EUC-JP-MS", row, NULL) >= -1, "%s in a row wrong in silence", w[i]);
    }
    /* 的 alone is Ū in UTF-8: kept, with both readings named */
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t out_len;
    const char *used;
    ck_assert_int_eq(ctl_decode(ctx, "in", (const unsigned char *)"\xC5\xAA", 2, NULL, &out, &out_len, &used), CTL_OK);
    ck_assert_str_eq(used, "UTF-8");
    ck_assert(has_warning(ctx, "first difference: UTF-8 \"Ū\", EUC-JP-MS \"的\""));
    free(out);
    ctl_ctx_free(ctx);
}
END_TEST


/* ------------------------------ one or two characters: weak evidence */

/* Only signs used alone and Greek letters unlike Latin ones: their UTF-8
 * bytes are also EUC-JP kanji, and they stay UTF-8 in silence
 * (symbols_stay_utf8). */
static int kept_sign(const char *bytes, size_t n)
{
    static const char *const signs = "¡¢£¥¦§©«®°±µ¶·»¼½¾¿×÷ΓΔΘΛΞΠΣΦΨΩαβγδεζηθικλμνξοπρςστυφχψω";
    if (ctl_utf8_valid_prefix((const unsigned char *)bytes, n) != n) return 0;
    for (size_t i = 0, k; i < n; i += k) {
        uint32_t c;
        k = ctl_utf8_decode(bytes + i, n - i, &c);
        char u[5] = {0};
        memcpy(u, bytes + i, k);
        if (c >= 0x80 && !strstr(signs, u)) return 0;
    }
    return 1;
}

/* Counts of verdicts 2, 1, 0 and -2 (-1 refused counts as warned). */
typedef struct { int right, right_warned, wrong_warned, silent, silent_sign; } tally;

static void count_one(tally *t, const char *enc, const char *text)
{
    static const char *const wraps[] = {"%s", "id,title,category\nII.1.1.1,%s,\n", NULL};
    for (size_t w = 0; wraps[w]; w++) {
        char row[128];
        size_t n;
        snprintf(row, sizeof row, wraps[w], text);
        char *e = to_encoding(enc, row, &n);
        int r = decode_verdict(e, n, row, NULL);
        if (r == 2) t->right++;
        else if (r == 1) t->right_warned++;
        else if (r >= -1) t->wrong_warned++;
        else if (kept_sign(e, n)) t->silent_sign++;
        else {
            t->silent++;
            fprintf(stderr, "%s %s (wrap %zu): wrong in silence\n", enc, text, w);
        }
        free(e);
    }
}

static void report(const char *what, const tally *t)
{
    fprintf(stderr, "%s: right %d, right+warned %d, wrong+warned %d, silently wrong %d (+%d Latin-1 sign or "
            "Greek letter bytes)\n", what, t->right, t->right_warned, t->wrong_warned, t->silent, t->silent_sign);
}

START_TEST(lone_halfwidth_katakana_never_silent)
{
    static const char *const encs[] = {"EUC-JP-MS", "CP932", NULL};
    int silent = 0;
    for (size_t e = 0; encs[e]; e++) {
        tally t = {0};
        for (uint32_t c = 0xFF61; c <= 0xFF9F; c++) {
            char u[4] = {(char)(0xE0 | (c >> 12)), (char)(0x80 | ((c >> 6) & 0x3F)), (char)(0x80 | (c & 0x3F)), 0};
            count_one(&t, encs[e], u);
        }
        char what[64];
        snprintf(what, sizeof what, "63 half-width katakana in %s", encs[e]);
        report(what, &t);
        silent += t.silent + t.silent_sign;
    }
    ck_assert_int_eq(silent, 0);
    /* the review's cases: EUC-JP-MS ｱ is CP932 竺, 望 is UTF-8 ˾ */
    static const struct { const char *bytes, *warning; } named[] = {
        {"\x8E\xB1", "CP932 \"竺\", EUC-JP-MS \"ｱ\""},
        {"id,title,category\nII.1.1.1,\x8E\xB1,\n", "too few characters to tell; used CP932"},
        {"\xCB\xBE", "first difference: UTF-8 \"˾\", EUC-JP-MS \"望\""}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        char *out = NULL;
        size_t out_len;
        const char *used;
        ck_assert_int_eq(ctl_decode(ctx, "in", (const unsigned char *)named[i].bytes, strlen(named[i].bytes), NULL,
                                    &out, &out_len, &used), CTL_OK);
        ck_assert_msg(has_warning(ctx, named[i].warning), "%s: %s", named[i].warning, ctl_error_message(ctx));
        ck_assert_uint_eq(warnings_with(ctx, CTL_D_ENCODING_WEAK), 1);
        free(out);
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(lone_level1_kanji_never_silent)
{
    static const char *const encs[] = {"EUC-JP-MS", "CP932", "UTF-8", NULL};
    iconv_t cd = iconv_open("UTF-8", "EUC-JP-MS");
    ck_assert(cd != (iconv_t)-1);
    char (*kanji)[8] = malloc(3000 * sizeof *kanji);
    size_t nk = 0;
    for (int row = 0xB0; row <= 0xCF; row++)
        for (int col = 0xA1; col <= (row == 0xCF ? 0xD3 : 0xFE); col++) {
            char in[2] = {(char)row, (char)col}, *ip = in, *op = kanji[nk];
            size_t il = 2, ol = 7;
            if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) continue;
            *op = 0;
            nk++;
        }
    iconv_close(cd);
    ck_assert_uint_eq(nk, 2965);
    int silent = 0;
    for (size_t e = 0; encs[e]; e++) {
        tally t = {0};
        for (size_t i = 0; i < nk; i++) count_one(&t, encs[e], kanji[i]);
        char what[64];
        snprintf(what, sizeof what, "2965 level-1 kanji in %s", encs[e]);
        report(what, &t);
        silent += t.silent;
    }
    ck_assert_int_eq(silent, 0);
    free(kanji);
}
END_TEST

Suite *enc_evidence_suite(void)
{
    Suite *s = suite_create("enc_evidence");
    TCase *tc = tcase_create("issue10");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, symbols_stay_utf8);
    tcase_add_test(tc, own_utf8_output_reads_back);
    tcase_add_test(tc, halfwidth_katakana_read_right);
    tcase_add_test(tc, close_margin_warns);
    tcase_add_test(tc, short_eucjp_never_silent);
    tcase_add_test(tc, lone_halfwidth_katakana_never_silent);
    tcase_add_test(tc, lone_level1_kanji_never_silent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(enc_evidence_suite()); }
