/* Issue 10, tables and encodings: extra columns with the same header in
 * every format; short EUC-JP input that is valid UTF-8 too; CP932 output
 * with control characters read back without --encoding; every character
 * --substitute changes reported. */
#include "support.h"
#include "internal.h"
#include "headers.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ duplicate extra headers */

static ctl_list *list_of(ctl_meta *m, ctl_item *items, size_t n)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, m));
    for (size_t i = 0; i < n; i++) assert_ok(ctx, l->sink.item(&l->sink, ctx, &items[i]));
    assert_ok(ctx, l->sink.end(&l->sink, ctx, m));
    ctl_ctx_free(ctx);
    return l;
}

/* Two extra columns named 備考, a third one between them. */
static ctl_list *duplicate_headers(void)
{
    char *cols[] = {"項番", "対策項目", "備考", "担当", "備考"};
    ctl_meta m = {.columns = cols, .n_columns = 5};
    ctl_field e1[] = {{"備考", "first"}, {"担当", "A"}, {"備考", "second"}};
    ctl_field e2[] = {{"備考", ""}, {"担当", "B"}, {"備考", "only the second"}};
    ctl_item items[] = {
        {.id = "II.1", .label = "II. 1.", .level = 1, .title = "s", .extra = e1, .n_extra = 3},
        {.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .title = "t", .description = "d",
         .category = CTL_CATEGORY_BASIC, .answer = "a", .extra = e2, .n_extra = 3},
    };
    return list_of(&m, items, 2);
}

START_TEST(duplicate_extra_headers_every_format)
{
    ctl_list *m = duplicate_headers();
    const ctl_format *const *all = ctl_formats();
    size_t tried = 0;
    for (size_t f = 0; all[f]; f++) {
        if (!all[f]->read || !all[f]->writer) continue;
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        size_t n;
        char *bytes = write_list(ctx, all[f]->name, m, NULL, &n, &st);
        ck_assert_msg(st == CTL_OK, "writing %s: %s", all[f]->name, ctl_error_message(ctx));
        ck_assert_msg(!warnings_with(ctx, CTL_D_EXTRA_DROPPED), "%s dropped a cell", all[f]->name);
        ctl_list *back = read_bytes(ctx, all[f]->name, bytes, n, NULL, &st);
        ck_assert_msg(st == CTL_OK, "reading back %s: %s", all[f]->name, ctl_error_message(ctx));
        char why[256];
        ck_assert_msg(ctl_list_equal(m, back, 0, why, sizeof why), "%s: %s", all[f]->name, why);
        const ctl_item *it = &back->items[1];
        ck_assert_uint_eq(it->n_extra, 3);
        ck_assert_str_eq(it->extra[0].value, "");
        ck_assert_str_eq(it->extra[2].name, "備考");
        ck_assert_str_eq(it->extra[2].value, "only the second");
        free(bytes);
        ctl_list_free(back);
        ctl_ctx_free(ctx);
        tried++;
    }
    ck_assert_uint_ge(tried, 6);
    ctl_list_free(m);
}
END_TEST

START_TEST(duplicate_extra_headers_out_of_order)
{
    /* an item whose extras come in another order than the columns (as JSON
     * may give them): the k-th 備考 still goes to the k-th 備考 column */
    char *cols[] = {"id", "title", "備考", "担当", "備考"};
    ctl_meta m = {.columns = cols, .n_columns = 5};
    ctl_field e[] = {{"担当", "B"}, {"備考", "one"}, {"memo", "x"}, {"備考", "two"}};
    ctl_item items[] = {{.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .title = "t",
                         .extra = e, .n_extra = 4}};
    ctl_list *l = list_of(&m, items, 1);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", l, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_msg(strstr(out, "answer,備考,担当,備考\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, ",one,B,two\n") != NULL, "%s", out);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_EXTRA_DROPPED), 1);
    ck_assert(has_warning(ctx, "1 extra cell(s) without a column"));   /* memo */
    free(out);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(extra_values_by_occurrence)
{
    const char *names[] = {"a", "b", "a", "c"};
    const char *v[4];
    ctl_field e[] = {{"a", "1"}, {"b", "2"}, {"a", "3"}, {"z", "9"}};
    ctl_item it = {.extra = e, .n_extra = 4};
    ck_assert_uint_eq(ctl_extra_values(&it, names, 4, v), 1);          /* z has no column */
    ck_assert_str_eq(v[0], "1");
    ck_assert_str_eq(v[1], "2");
    ck_assert_str_eq(v[2], "3");
    ck_assert_str_eq(v[3], "");
    ctl_field f[] = {{"a", "3?"}, {"b", "2"}};   /* one 'a' only: the first column takes it */
    it.extra = f;
    it.n_extra = 2;
    ck_assert_uint_eq(ctl_extra_values(&it, names, 4, v), 0);
    ck_assert_str_eq(v[0], "3?");
    ck_assert_str_eq(v[2], "");
}
END_TEST

/* -------------------------------------------- short EUC-JP input as UTF-8 */

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

/* Did a warning ask for the encoding to be checked? */
static int encoding_warned(const ctl_ctx *ctx)
{
    for (size_t i = 0; i < ctl_warning_kept(ctx); i++)
        if (ctl_diag_hint(ctl_warning_code(ctx, i)) == CTL_HINT_ENCODING) return 1;
    return 0;
}

/* 1 right, 0 wrong but warned, -1 wrong in silence (or an error). */
static int decodes_right(const char *bytes, size_t n, const char *want)
{
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t out_len;
    const char *used;
    ctl_status st = ctl_decode(ctx, "in.csv", (const unsigned char *)bytes, n, NULL, &out, &out_len, &used);
    int r = st != CTL_OK ? -1 : !strcmp(out, want) ? 1 : encoding_warned(ctx) ? 0 : -1;
    free(out);
    ctl_ctx_free(ctx);
    return r;
}

static int check_eucjp(const char *s, const char *wrap)
{
    char text[256];
    snprintf(text, sizeof text, wrap, s);
    size_t n;
    char *e = to_encoding("EUC-JP-MS", text, &n);
    int r = decodes_right(e, n, text);
    free(e);
    return r;
}

START_TEST(short_eucjp_named)
{
    /* 調達 is C4 B4 C3 A3 (Ĵã in UTF-8), 法的 CB A1 C5 AA (ˡŪ) */
    static const char *const words[] = {"調達", "法的", "的", NULL};
    for (size_t i = 0; words[i]; i++) {
        ck_assert_msg(check_eucjp(words[i], "%s") >= 0, "%s alone read as UTF-8 in silence", words[i]);
        ck_assert_msg(check_eucjp(words[i], "id,title,category\nII.1.1.1,%s,\n") >= 0,
                      "%s in a CSV read as UTF-8 in silence", words[i]);
    }
    /* and the reading chosen is the EUC-JP one, with the weak evidence said */
    size_t n;
    char *e = to_encoding("EUC-JP-MS", "id,title\nII.1.1.1,法的\n", &n);
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t out_len;
    const char *used;
    assert_ok(ctx, ctl_decode(ctx, "in.csv", (unsigned char *)e, n, NULL, &out, &out_len, &used));
    ck_assert_str_eq(used, "EUC-JP-MS");
    ck_assert_str_eq(out, "id,title\nII.1.1.1,法的\n");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ENCODING_WEAK), 1);
    ck_assert(has_warning(ctx, "used EUC-JP-MS, UTF-8 if that is wrong"));
    free(out);
    free(e);
    ctl_ctx_free(ctx);
}
END_TEST

/* Every run of 2-4 kanji in the seed, once each. */
static size_t seed_kanji_substrings(char ***out)
{
    size_t len;
    unsigned char *seed = slurp(SEED_PATH, &len);
    size_t cap = 4096, n = 0;
    char **v = malloc(cap * sizeof *v);
    size_t starts[512];
    size_t run = 0;
    for (size_t i = 0; i <= len;) {
        uint32_t cp = 0;
        size_t k = i < len ? ctl_utf8_decode((const char *)seed + i, len - i, &cp) : 1;
        int kanji = i < len && cp >= 0x4E00 && cp <= 0x9FFF;
        if (kanji && run < 512) starts[run++] = i;
        if (!kanji || i >= len) {
            for (size_t a = 0; a < run; a++)
                for (size_t L = 2; L <= 4 && a + L <= run; L++) {
                    size_t end = a + L < run ? starts[a + L] : i;
                    char *s = strndup((const char *)seed + starts[a], end - starts[a]);
                    int dup = 0;
                    for (size_t j = 0; j < n && !dup; j++) dup = !strcmp(v[j], s);
                    if (dup) { free(s); continue; }
                    if (n == cap) v = realloc(v, (cap *= 2) * sizeof *v);
                    v[n++] = s;
                }
            run = 0;
        }
        i += k;
    }
    free(seed);
    *out = v;
    return n;
}

START_TEST(seed_kanji_sweep)
{
    char **subs;
    size_t n = seed_kanji_substrings(&subs), valid = 0, wrong = 0, warned = 0;
    const char *first_wrong = "";
    static const char *const wraps[] = {"%s", "II.1.1.1,%s,x\n", NULL};
    for (size_t i = 0; i < n; i++) {
        for (size_t w = 0; wraps[w]; w++) {
            char text[256];
            snprintf(text, sizeof text, wraps[w], subs[i]);
            size_t len;
            char *e = to_encoding("EUC-JP-MS", text, &len);
            if (ctl_utf8_valid_prefix((unsigned char *)e, len) == len) {
                valid++;
                int r = decodes_right(e, len, text);
                if (r < 0 && !wrong++) first_wrong = subs[i];
                if (r == 0) warned++;
            }
            free(e);
            /* the same text in UTF-8 stays UTF-8, without a warning */
            ctl_ctx *ctx = ctl_ctx_new();
            char *out = NULL;
            size_t out_len;
            const char *used;
            ck_assert_int_eq(ctl_decode(ctx, "in.csv", (unsigned char *)text, strlen(text), NULL,
                                        &out, &out_len, &used), CTL_OK);
            ck_assert_msg(!strcmp(used, "UTF-8") && !ctl_warning_count(ctx), "UTF-8 %s: %s", text, used);
            free(out);
            ctl_ctx_free(ctx);
        }
    }
    ck_assert_uint_gt(n, 1000);
    ck_assert_uint_gt(valid, 10);
    ck_assert_msg(wrong == 0, "%zu of %zu EUC-JP-MS kanji strings that are valid UTF-8 (of %zu) "
                  "read wrong in silence, %s first", wrong, valid, n, first_wrong);
    for (size_t i = 0; i < n; i++) free(subs[i]);
    free(subs);
}
END_TEST

START_TEST(real_utf8_stays)
{
    static const char *const texts[] = {
        "café", "id,title\nII.1.1.1,Zürich naïve façade\n", "© 2021 Example Corp.\n",
        "Ūdris, Ūla\n", "½ cup at 25°C\n", "Ελλάδα\n", "Привет\n", "法的 ISMS\n",
        /* symbols beside Japanese, which CP932 would read as kanji */
        "Ⅲ. 2. 3. 1.", "·\t機器等を開発", "① ※ → ■ ★", NULL};
    for (size_t i = 0; texts[i]; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        char *out = NULL;
        size_t n;
        const char *used;
        ck_assert_int_eq(ctl_decode(ctx, "in", (const unsigned char *)texts[i], strlen(texts[i]),
                                    NULL, &out, &n, &used), CTL_OK);
        ck_assert_msg(!strcmp(used, "UTF-8"), "%s read as %s", texts[i], used);
        ck_assert_msg(!ctl_warning_count(ctx), "%s: %s", texts[i], ctl_warning_message(ctx, 0));
        free(out);
        ctl_ctx_free(ctx);
    }
    /* Ū itself in a long UTF-8 text: UTF-8 */
    ctl_buf b = {0};
    for (int i = 0; i < 200; i++) ck_assert(ctl_buf_adds(&b, "A line of plain text.\n"));
    ck_assert(ctl_buf_adds(&b, "Ū\n"));
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t n;
    const char *used;
    assert_ok(ctx, ctl_decode(ctx, "in", (unsigned char *)b.data, b.len, NULL, &out, &n, &used));
    ck_assert_str_eq(used, "UTF-8");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    free(out);
    ctl_buf_free(&b);
    ctl_ctx_free(ctx);
}
END_TEST

/* ----------------------------------------- CP932 output, control characters */

START_TEST(cp932_controls_read_back)
{
    char *cols[] = {"id", "title", "answer"};
    ctl_meta m = {.columns = cols, .n_columns = 3};
    ctl_item items[] = {
        {.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .title = "日本\x7f語\x01x\x1by",
         .description = "説明\x1a", .category = CTL_CATEGORY_BASIC, .answer = "回答\x7f"},
        {.id = "II.1.1.2", .label = "II. 1. 1. 2", .level = 3, .title = "\x7f", .answer = "\x02\x03"},
    };
    ctl_list *l = list_of(&m, items, 2);
    static const char *const fmts[] = {"csv", "tsv", NULL};
    for (size_t i = 0; fmts[i]; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_options o;
        ctl_options_init(&o);
        o.out_encoding = CTL_OUT_CP932;
        ctl_status st;
        size_t n;
        char *out = write_list(ctx, fmts[i], l, &o, &n, &st);
        ck_assert_msg(st == CTL_OK, "%s: %s", fmts[i], ctl_error_message(ctx));
        ck_assert(memchr(out, 0x7F, n) != NULL);
        /* read back as the reader gets it: no --encoding */
        ctl_options_init(&o);
        ctl_list *back = read_bytes(ctx, fmts[i], out, n, &o, &st);
        ck_assert_msg(st == CTL_OK, "%s read back: %s", fmts[i], ctl_error_message(ctx));
        char why[256];
        ck_assert_msg(ctl_list_equal(l, back, 0, why, sizeof why), "%s: %s", fmts[i], why);
        free(out);
        ctl_list_free(back);
        ctl_ctx_free(ctx);
    }
    ctl_list_free(l);
}
END_TEST

START_TEST(cp932_stray_c1_still_refused)
{
    /* a byte 0x80 (U+0080 as EUC-JP-MS reads it) is still no reading; a DEL
     * beside it changes nothing */
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t n;
    const char *used;
    ck_assert_int_eq(ctl_decode(ctx, "in", (const unsigned char *)"Price \x80 100\x7f", 12, NULL,
                                &out, &n, &used), CTL_EINPUT);
    ck_assert(strstr(ctl_error_message(ctx), "U+0080") != NULL);
    ctl_ctx_free(ctx);
}
END_TEST

/* -------------------------------------------------- every change reported */

START_TEST(substitute_reports_every_character)
{
    /* 〜 (silently U+FF5E), a, 〜, 𠮷 (not in CP932), − (silently U+FF0D) */
    char *cols[] = {"id", "title"};
    ctl_meta m = {.columns = cols, .n_columns = 2};
    ctl_item items[] = {{.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .title = "〜a〜𠮷−"}};
    ctl_list *l = list_of(&m, items, 1);
    for (int substitute = 0; substitute <= 1; substitute++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_options o;
        ctl_options_init(&o);
        o.out_encoding = CTL_OUT_CP932;
        o.substitute = substitute;
        ctl_status st;
        size_t n;
        char *out = write_list(ctx, "csv", l, &o, &n, &st);
        ck_assert_int_eq(st, substitute ? CTL_OK : CTL_EINPUT);
        size_t per_char = 0;
        for (size_t i = 0; i < ctl_warning_count(ctx); i++)
            per_char += strstr(ctl_warning_message(ctx, i), "of the cell)") != NULL;
        ck_assert_uint_eq(per_char, 4);
        /* each change, where it is in the cell */
        static const struct { const char *cp, *became; int at; } want[] = {
            {"301C 〜", "U+FF5E ～", 1}, {"301C 〜", "U+FF5E ～", 3}, {"20BB7 𠮷", NULL, 4},
            {"2212 −", "U+FF0D －", 5}};
        for (size_t k = 0; k < 4; k++) {
            char needle[200];
            if (substitute)
                snprintf(needle, sizeof needle, "column 'title': U+%s written in CP932 as %s "
                         "(character %d of the cell)", want[k].cp, want[k].became ? want[k].became : "〓",
                         want[k].at);
            else if (want[k].became)
                snprintf(needle, sizeof needle, "column 'title': U+%s cannot be written in CP932 "
                         "exactly (it would become %s; character %d of the cell)", want[k].cp,
                         want[k].became, want[k].at);
            else
                snprintf(needle, sizeof needle, "column 'title': U+%s cannot be written in CP932 "
                         "(character %d of the cell)", want[k].cp, want[k].at);
            ck_assert_msg(has_warning(ctx, needle), "no warning '%s'", needle);
        }
        if (substitute) {
            ck_assert(memmem(out, n, "\x81\x60" "a" "\x81\x60" "\x81\xac" "\x81\x7c", 9) != NULL);
        }
        free(out);
        ctl_ctx_free(ctx);
    }
    ctl_list_free(l);
}
END_TEST

START_TEST(encoder_lists_changes)
{
    ctl_encoder *e = ctl_encoder_new("CP932");
    ctl_buf out = {0};
    uint32_t bad, became;
    const ctl_change *c;
    size_t more;
    ck_assert_int_eq(ctl_encode(e, "x𠮷y〜", strlen("x𠮷y〜"), 1, &out, &bad, &became), 0);
    ck_assert_uint_eq(bad, 0x20BB7);                        /* the first, as before */
    ck_assert_uint_eq(ctl_encoder_changes(e, &c, &more), 2);
    ck_assert_uint_eq(more, 0);
    ck_assert_uint_eq(c[0].at, 2);
    ck_assert_uint_eq(c[0].became, 0);
    ck_assert_uint_eq(c[1].bad, 0x301C);
    ck_assert_uint_eq(c[1].became, 0xFF5E);
    ck_assert_uint_eq(c[1].at, 4);
    out.len = 0;
    ck_assert_int_eq(ctl_encode(e, "基本", strlen("基本"), 1, &out, &bad, &became), 1);
    ck_assert_uint_eq(ctl_encoder_changes(e, &c, &more), 0);
    /* a cell of 1500 wave dashes: 1000 kept, 500 counted */
    ctl_buf many = {0};
    for (int i = 0; i < 1500; i++) ck_assert(ctl_buf_adds(&many, "〜"));
    out.len = 0;
    ck_assert_int_eq(ctl_encode(e, many.data, many.len, 1, &out, &bad, &became), 0);
    ck_assert_uint_eq(ctl_encoder_changes(e, &c, &more), 1000);
    ck_assert_uint_eq(more, 500);
    ck_assert_uint_eq(c[999].at, 1000);
    ck_assert_uint_eq(out.len, 3000);
    ctl_buf_free(&many);
    ctl_buf_free(&out);
    ctl_encoder_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("issue10");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, duplicate_extra_headers_every_format);
    tcase_add_test(tc, duplicate_extra_headers_out_of_order);
    tcase_add_test(tc, extra_values_by_occurrence);
    tcase_add_test(tc, short_eucjp_named);
    tcase_add_test(tc, seed_kanji_sweep);
    tcase_add_test(tc, real_utf8_stays);
    tcase_add_test(tc, cp932_controls_read_back);
    tcase_add_test(tc, cp932_stray_c1_still_refused);
    tcase_add_test(tc, substitute_reports_every_character);
    tcase_add_test(tc, encoder_lists_changes);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
