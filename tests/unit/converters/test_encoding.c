/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of encoding detection and decoding (converters/encoding.c), and of
 * the seed's encoding and numbering variants read through the public
 * reading path.  Evidence (issue 10): short valid UTF-8 with symbols stays
 * UTF-8, ctlconv's own UTF-8 output reads back, half-width katakana count as
 * kana, short EUC-JP comes out right or warned.  The encoder: CP932 output
 * with control characters reads back, every character --substitute changes
 * is reported. */
#include "support.h"
#include "internal.h"

#include <iconv.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Helpers of the evidence and encoder cases.
 * ---------------------------------------------------------------------- */

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
 * warning, 0 wrong with a warning naming --encoding, -1 refused, -2 wrong
 * in silence. */
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
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    for (size_t i = 0; i < n; i++) {
        char id[32], label[32];
        snprintf(id, sizeof id, "II.1.1.%zu", i + 1);
        snprintf(label, sizeof label, "II. 1. 1. %zu", i + 1);
        random_text(titles[i], 96);
        random_text(descs[i], 96);
        ctl_item it = {.id = id, .label = label, .level = 3, .title = titles[i], .description = descs[i],
                       .category = rnd(4) ? CTL_CATEGORY_NONE : CTL_CATEGORY_BASIC};
        assert_ok(ctx, l->sink.item(&l->sink, ctx, &it));
    }
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    return l;
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

/* 情報セキュリティの基本方針を定めること。 */
#define SENTENCE                                                                        \
    "\xE6\x83\x85\xE5\xA0\xB1\xE3\x82\xBB\xE3\x82\xAD\xE3\x83\xA5\xE3\x83\xAA\xE3\x83\x86" \
    "\xE3\x82\xA3\xE3\x81\xAE\xE5\x9F\xBA\xE6\x9C\xAC\xE6\x96\xB9\xE9\x87\x9D\xE3\x82\x92" \
    "\xE5\xAE\x9A\xE3\x82\x81\xE3\x82\x8B\xE3\x81\x93\xE3\x81\xA8\xE3\x80\x82"

/* The same sentence: printf '...' | iconv -t CP932 | xxd -i */
static const unsigned char sentence_cp932[] = {
    0x8f, 0xee, 0x95, 0xf1, 0x83, 0x5a, 0x83, 0x4c, 0x83, 0x85, 0x83, 0x8a,
    0x83, 0x65, 0x83, 0x42, 0x82, 0xcc, 0x8a, 0xee, 0x96, 0x7b, 0x95, 0xfb,
    0x90, 0x6a, 0x82, 0xf0, 0x92, 0xe8, 0x82, 0xdf, 0x82, 0xe9, 0x82, 0xb1,
    0x82, 0xc6, 0x81, 0x42};

/* ... | iconv -t EUC-JP | xxd -i */
static const unsigned char sentence_eucjp[] = {
    0xbe, 0xf0, 0xca, 0xf3, 0xa5, 0xbb, 0xa5, 0xad, 0xa5, 0xe5, 0xa5, 0xea,
    0xa5, 0xc6, 0xa5, 0xa3, 0xa4, 0xce, 0xb4, 0xf0, 0xcb, 0xdc, 0xca, 0xfd,
    0xbf, 0xcb, 0xa4, 0xf2, 0xc4, 0xea, 0xa4, 0xe1, 0xa4, 0xeb, 0xa4, 0xb3,
    0xa4, 0xc8, 0xa1, 0xa3};

/* ... | iconv -t ISO-2022-JP | xxd -i: 7-bit, so valid UTF-8 as well */
static const unsigned char sentence_iso2022jp[] = {
    0x1b, 0x24, 0x42, 0x3e, 0x70, 0x4a, 0x73, 0x25, 0x3b, 0x25, 0x2d, 0x25,
    0x65, 0x25, 0x6a, 0x25, 0x46, 0x25, 0x23, 0x24, 0x4e, 0x34, 0x70, 0x4b,
    0x5c, 0x4a, 0x7d, 0x3f, 0x4b, 0x24, 0x72, 0x44, 0x6a, 0x24, 0x61, 0x24,
    0x6b, 0x24, 0x33, 0x24, 0x48, 0x21, 0x23, 0x1b, 0x28, 0x42};

/* ①管理策Ⅲ: NEC special characters (row 13) around kanji, in CP932. */
#define NEC_UTF8 "\xE2\x91\xA0\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96\xE2\x85\xA2"
static const unsigned char nec_cp932[] = {0x87, 0x40, 0x8a, 0xc7, 0x97, 0x9d,
                                          0x8d, 0xf4, 0x87, 0x56};

/* One decode: the results and the context, freed by done(). */
typedef struct {
    ctl_ctx *ctx;
    ctl_status st;
    char *out;
    size_t out_len;
    const char *used;
} decoded;

static decoded decode(const void *in, size_t len, const char *encoding)
{
    decoded d;
    d.ctx = ctl_ctx_new();
    ck_assert_ptr_nonnull(d.ctx);
    d.out = (char *)"sentinel";
    d.out_len = 12345;
    d.used = "sentinel";
    d.st = ctl_decode(d.ctx, "in.txt", in, len, encoding, &d.out, &d.out_len, &d.used);
    return d;
}

static void done(decoded *d)
{
    free(d->out);
    ctl_ctx_free(d->ctx);
}

/* Asserts a successful decode to exactly want (want_len bytes). */
static void expect_text(const decoded *d, const char *want, size_t want_len, const char *used)
{
    assert_ok_msg(d->ctx, d->st, "status %d", d->st);
    ck_assert_ptr_nonnull(d->out);
    ck_assert_uint_eq(d->out_len, want_len);
    ck_assert_mem_eq(d->out, want, want_len);
    ck_assert_int_eq(d->out[d->out_len], '\0');
    ck_assert_ptr_nonnull(d->used);
    ck_assert_str_eq(d->used, used);
}

/* Asserts a failed decode: status, no output, and a message containing
 * every one of the NULL-terminated needles. */
static void expect_error(const decoded *d, ctl_status st, long line, ...)
{
    ck_assert_msg(d->st == st, "status %d, expected %d (%s)", d->st, st,
                  ctl_error_message(d->ctx));
    ck_assert_int_eq(ctl_error_status(d->ctx), st);
    ck_assert_ptr_null(d->out);
    ck_assert_uint_eq(d->out_len, 0);
    ck_assert_ptr_null(d->used);
    ck_assert_int_eq(ctl_error_line(d->ctx), line);
    va_list ap;
    va_start(ap, line);
    for (const char *needle; (needle = va_arg(ap, const char *)) != NULL;)
        ck_assert_msg(strstr(ctl_error_message(d->ctx), needle) != NULL,
                      "message '%s' lacks '%s'", ctl_error_message(d->ctx), needle);
    va_end(ap);
}

#define EXPECT_TEXT(d, lit, used) expect_text(d, lit, sizeof(lit) - 1, used)

/* ------------------------------------------------------------------------
 * Detection.
 * ---------------------------------------------------------------------- */

START_TEST(test_utf8_plain)
{
    static const char in[] = "II. 1.\t" SENTENCE "\nA.5.1.1\n";
    decoded d = decode(in, sizeof in - 1, NULL);
    EXPECT_TEXT(&d, "II. 1.\t" SENTENCE "\nA.5.1.1\n", "UTF-8");
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    assert_ok(d.ctx, ctl_error_status(d.ctx));
    done(&d);

    d = decode("plain ascii", 11, NULL);
    EXPECT_TEXT(&d, "plain ascii", "UTF-8");
    done(&d);
}
END_TEST

START_TEST(test_empty)
{
    decoded d = decode("", 0, NULL);
    EXPECT_TEXT(&d, "", "UTF-8");
    done(&d);
}
END_TEST

START_TEST(test_utf8_bom)
{
    static const char in[] = "\xEF\xBB\xBF" SENTENCE "\n";
    decoded d = decode(in, sizeof in - 1, NULL);
    EXPECT_TEXT(&d, SENTENCE "\n", "UTF-8");
    done(&d);

    d = decode("\xEF\xBB\xBF", 3, NULL);           /* nothing but the mark */
    EXPECT_TEXT(&d, "", "UTF-8");
    done(&d);
}
END_TEST

/* あいう\nA */
#define KANA_UTF8 "\xE3\x81\x82\xE3\x81\x84\xE3\x81\x86\nA"

START_TEST(test_utf16le_bom)
{
    static const unsigned char in[] = {0xFF, 0xFE, 0x42, 0x30, 0x44, 0x30, 0x46, 0x30,
                                       0x0A, 0x00, 0x41, 0x00};
    decoded d = decode(in, sizeof in, NULL);
    EXPECT_TEXT(&d, KANA_UTF8, "UTF-16LE");
    done(&d);
}
END_TEST

START_TEST(test_utf16be_bom)
{
    static const unsigned char in[] = {0xFE, 0xFF, 0x30, 0x42, 0x30, 0x44, 0x30, 0x46,
                                       0x00, 0x0A, 0x00, 0x41};
    decoded d = decode(in, sizeof in, NULL);
    EXPECT_TEXT(&d, KANA_UTF8, "UTF-16BE");
    done(&d);
}
END_TEST

START_TEST(test_detect_cp932)
{
    decoded d = decode(sentence_cp932, sizeof sentence_cp932, NULL);
    EXPECT_TEXT(&d, SENTENCE, "CP932");
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    done(&d);
}
END_TEST

START_TEST(test_detect_eucjp)
{
    decoded d = decode(sentence_eucjp, sizeof sentence_eucjp, NULL);
    EXPECT_TEXT(&d, SENTENCE, "EUC-JP-MS");
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    done(&d);
}
END_TEST

START_TEST(test_detect_cp932_nec)
{
    decoded d = decode(nec_cp932, sizeof nec_cp932, NULL);
    EXPECT_TEXT(&d, NEC_UTF8, "CP932");
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    done(&d);
}
END_TEST

/* ISO-2022-JP is valid UTF-8 byte for byte; its escapes give it away. */
START_TEST(test_detect_iso2022jp)
{
    decoded d = decode(sentence_iso2022jp, sizeof sentence_iso2022jp, NULL);
    EXPECT_TEXT(&d, SENTENCE, "ISO-2022-JP");
    done(&d);
    d = decode(sentence_iso2022jp, sizeof sentence_iso2022jp, "iso-2022-jp");
    EXPECT_TEXT(&d, SENTENCE, "ISO-2022-JP");
    done(&d);
    /* an escape-like sequence that is not JIS leaves plain UTF-8 alone */
    d = decode("a\x1b[0mb", 6, NULL);
    EXPECT_TEXT(&d, "a\x1b[0mb", "UTF-8");
    done(&d);
}
END_TEST

/* Bytes both CP932 and EUC-JP-MS read as one kanji each: CP932 is chosen
 * and the ambiguity is a warning. */
START_TEST(test_detect_ambiguous)
{
    decoded d = decode("\xE0\xA1\xE0\xA2", 4, NULL);
    EXPECT_TEXT(&d, "\xE7\x88\x8D\xE7\x88\x90", "CP932");   /* 爍爐 */
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 1);
    ck_assert(warnings_with(d.ctx, CTL_D_ENCODING_AMBIGUOUS));
    ck_assert_str_eq(ctl_warning_file(d.ctx, 0), "in.txt");
    done(&d);

    /* 亜 in EUC-JP would be two half-width katakana in CP932: EUC-JP wins,
     * on one character, so with a warning (issue 10) */
    d = decode("\xB0\xA1", 2, NULL);
    EXPECT_TEXT(&d, "\xE4\xBA\x9C", "EUC-JP-MS");
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 1);
    ck_assert(warnings_with(d.ctx, CTL_D_ENCODING_WEAK));
    done(&d);
}
END_TEST

/* ------------------------------------------------------------------------
 * An explicit encoding.
 * ---------------------------------------------------------------------- */

START_TEST(test_explicit_cp932)
{
    static const char *const names[] = {"CP932", "cp932", "windows-31j", "MS932", "sjis-win"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        decoded d = decode(sentence_cp932, sizeof sentence_cp932, names[k]);
        EXPECT_TEXT(&d, SENTENCE, "CP932");
        done(&d);
    }
}
END_TEST

START_TEST(test_explicit_eucjp)
{
    decoded d = decode(sentence_eucjp, sizeof sentence_eucjp, "EUC-JP");
    EXPECT_TEXT(&d, SENTENCE, "EUC-JP");
    done(&d);
    d = decode(sentence_eucjp, sizeof sentence_eucjp, "eucjp-ms");
    EXPECT_TEXT(&d, SENTENCE, "EUC-JP-MS");
    done(&d);
}
END_TEST

/* The explicit encoding wins over what detection would choose. */
START_TEST(test_explicit_overrides_detection)
{
    /* 亜 in EUC-JP is detected as EUC-JP-MS, but read as CP932 when told */
    decoded d = decode("\xB0\xA1", 2, "CP932");
    EXPECT_TEXT(&d, "\xEF\xBD\xB0\xEF\xBD\xA1", "CP932");       /* ｰ｡ */
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    done(&d);

    /* EUC-JP bytes as CP932: an error, not a silent switch */
    d = decode(sentence_eucjp, sizeof sentence_eucjp, "CP932");
    expect_error(&d, CTL_EINPUT, 1, "CP932", "0xEA", "byte offset 11", NULL);
    done(&d);

    /* CP932 bytes as EUC-JP */
    d = decode(sentence_cp932, sizeof sentence_cp932, "EUC-JP");
    expect_error(&d, CTL_EINPUT, 1, "EUC-JP", "0x8F", "byte offset 0", NULL);
    done(&d);

    /* A name iconv knows but ctlconv has no canonical spelling for */
    d = decode("caf\xE9", 4, "LATIN1");
    EXPECT_TEXT(&d, "caf\xC3\xA9", "given");
    done(&d);
}
END_TEST

START_TEST(test_explicit_utf)
{
    decoded d = decode("\xEF\xBB\xBFxy", 5, "UTF-8");      /* BOM skipped */
    EXPECT_TEXT(&d, "xy", "UTF-8");
    done(&d);
    d = decode("xy", 2, "utf8");
    EXPECT_TEXT(&d, "xy", "UTF-8");
    done(&d);
    d = decode("\xFF\xFE\x41\x00\x42\x00", 6, "UTF-16LE");  /* BOM removed */
    EXPECT_TEXT(&d, "AB", "UTF-16LE");
    done(&d);
    d = decode("\x41\x00\x42\x00", 4, "utf-16le");          /* no BOM */
    EXPECT_TEXT(&d, "AB", "UTF-16LE");
    done(&d);
    d = decode("\xFE\xFF\x00\x41", 4, "UTF-16");            /* BOM decides */
    EXPECT_TEXT(&d, "A", "UTF-16");
    done(&d);
}
END_TEST

START_TEST(test_unknown_encoding)
{
    decoded d = decode("abc", 3, "NO-SUCH-ENCODING-42");
    expect_error(&d, CTL_EUSAGE, 0, "unknown encoding", "NO-SUCH-ENCODING-42", NULL);
    ck_assert_str_eq(ctl_error_file(d.ctx), "");
    done(&d);
}
END_TEST

/* ------------------------------------------------------------------------
 * Errors: an undecodable byte names its offset and line.
 * ---------------------------------------------------------------------- */

/* CP932 text on two lines, then a byte nothing decodes on line 3. */
static size_t make_bad_cp932(unsigned char *buf, const char *eol)
{
    size_t n = 0, el = strlen(eol);
    for (int line = 0; line < 2; line++) {
        memcpy(buf + n, sentence_cp932, sizeof sentence_cp932);
        n += sizeof sentence_cp932;
        memcpy(buf + n, eol, el);
        n += el;
    }
    memcpy(buf + n, "ab\xFF\xFEz", 5);
    n += 5;
    memcpy(buf + n, eol, el);
    return n + el;
}

START_TEST(test_undecodable_detect_lf)
{
    unsigned char buf[200];
    size_t n = make_bad_cp932(buf, "\n");
    ck_assert_uint_eq(buf[84], 0xFF);
    decoded d = decode(buf, n, NULL);
    expect_error(&d, CTL_EINPUT, 3, "0xFF", "byte offset 84", NULL);
    ck_assert_str_eq(ctl_error_file(d.ctx), "in.txt");
    done(&d);
}
END_TEST

START_TEST(test_undecodable_detect_crlf)
{
    unsigned char buf[200];
    size_t n = make_bad_cp932(buf, "\r\n");
    ck_assert_uint_eq(buf[86], 0xFF);
    decoded d = decode(buf, n, NULL);
    expect_error(&d, CTL_EINPUT, 3, "0xFF", "byte offset 86", NULL);
    done(&d);
}
END_TEST

START_TEST(test_undecodable_explicit_utf8)
{
    decoded d = decode("line1\nline2\nab\xFFz\n", 17, "UTF-8");
    expect_error(&d, CTL_EINPUT, 3, "UTF-8", "0xFF", "byte offset 14", NULL);
    ck_assert_str_eq(ctl_error_file(d.ctx), "in.txt");
    done(&d);

    d = decode("line1\r\nline2\r\nab\xFFz\r\n", 20, "UTF-8");
    expect_error(&d, CTL_EINPUT, 3, "UTF-8", "0xFF", "byte offset 16", NULL);
    done(&d);

    d = decode("line1\rline2\rab\xFFz\r", 17, "UTF-8");     /* CR-only line ends */
    expect_error(&d, CTL_EINPUT, 3, "UTF-8", "0xFF", "byte offset 14", NULL);
    done(&d);

    /* first line, first byte */
    d = decode("\xC0\xAF", 2, "UTF-8");                     /* overlong '/' */
    expect_error(&d, CTL_EINPUT, 1, "0xC0", "byte offset 0", NULL);
    done(&d);
}
END_TEST

START_TEST(test_undecodable_explicit_cp932)
{
    unsigned char buf[200];
    size_t n = make_bad_cp932(buf, "\r\n");
    decoded d = decode(buf, n, "CP932");
    expect_error(&d, CTL_EINPUT, 3, "CP932", "0xFF", "byte offset 86", NULL);
    done(&d);
}
END_TEST

START_TEST(test_nul_byte)
{
    decoded d = decode("abc\0def", 7, NULL);
    expect_error(&d, CTL_EINPUT, 0, "NUL", "byte offset 3", NULL);
    ck_assert_str_eq(ctl_error_file(d.ctx), "in.txt");
    done(&d);

    /* UTF-16 without a BOM is full of NULs: refused, with the advice */
    d = decode("A\0B\0", 4, NULL);
    expect_error(&d, CTL_EINPUT, 0, "NUL", "byte offset 1", "UTF-16LE", NULL);
    done(&d);
}
END_TEST

START_TEST(test_control_readings_refused)
{
    /* a stray Windows-1252 euro sign: EUC-JP-MS and CP932 would read it as
     * the invisible U+0080; that is no reading, and the error says so */
    decoded d = decode("Price \x80 100", 11, NULL);
    expect_error(&d, CTL_EINPUT, 1, "control character U+0080", "no text list holds", NULL);
    done(&d);
}
END_TEST

START_TEST(test_nul_with_explicit_encoding)
{
    /* the NUL check holds for a given encoding too */
    decoded d = decode("abc\ndef\0", 8, "UTF-8");
    expect_error(&d, CTL_EINPUT, 2, "NUL", NULL);
    done(&d);
}
END_TEST

START_TEST(test_utf8_bom_invalid)
{
    decoded d = decode("\xEF\xBB\xBFok\nline2\nx\xC3(", 16, NULL);
    expect_error(&d, CTL_EINPUT, 3, "byte-order mark", "0xC3", "byte offset 13", NULL);
    done(&d);

    /* CP932 after a UTF-8 BOM is still an error, not a detection */
    unsigned char buf[3 + sizeof sentence_cp932];
    memcpy(buf, "\xEF\xBB\xBF", 3);
    memcpy(buf + 3, sentence_cp932, sizeof sentence_cp932);
    d = decode(buf, sizeof buf, NULL);
    expect_error(&d, CTL_EINPUT, 1, "byte-order mark", "0x8F", "byte offset 3", NULL);
    done(&d);
}
END_TEST

START_TEST(test_utf16_invalid)
{
    /* odd length: a truncated code unit at offset 4 */
    decoded d = decode("\xFF\xFE\x42\x30\x41", 5, NULL);
    expect_error(&d, CTL_EINPUT, 1, "UTF-16LE", "byte offset 4", NULL);
    done(&d);

    d = decode("\xFE\xFF\x30\x42\x00\x0A\x00", 7, NULL);   /* second line */
    expect_error(&d, CTL_EINPUT, 2, "UTF-16BE", "byte offset 6", NULL);
    done(&d);

    d = decode("\x41\x00\x42", 3, "UTF-16LE");
    expect_error(&d, CTL_EINPUT, 1, "UTF-16LE", "byte offset 2", NULL);
    done(&d);

    /* an unpaired high surrogate */
    d = decode("\xFF\xFE\x00\xD8\x41\x00", 6, NULL);
    expect_error(&d, CTL_EINPUT, 1, "UTF-16LE", "byte offset 2", NULL);
    done(&d);
}
END_TEST

START_TEST(test_truncated_message)
{
    /* Regression (was a bug): decode_with records only the offset, not whether iconv stopped
     * on EILSEQ or on EINVAL (an incomplete sequence at the end), and
     * undecodable() recognises truncation by bad_offset >= len, which never
     * happens (iconv leaves the offset at the start of the incomplete
     * sequence).  So the "truncated multi-byte sequence at the end" message
     * is unreachable: an odd-length UTF-16 file is reported as
     * "undecodable byte 0x41 at byte offset 4", which blames a byte that is
     * fine. */
    decoded d = decode("\xFF\xFE\x42\x30\x41", 5, NULL);
    expect_error(&d, CTL_EINPUT, 1, "truncated", "byte offset 4", NULL);
    done(&d);

    d = decode("abc\x82", 4, "CP932");    /* a lead byte with no trail byte */
    expect_error(&d, CTL_EINPUT, 1, "truncated", "byte offset 3", NULL);
    done(&d);
}
END_TEST

/* ------------------------------------------------------------------------
 * The seed variants read to the seed's own list.
 * ---------------------------------------------------------------------- */

static const struct {
    const char *file;
    const char *used;       /* what detection names */
} variants[] = {
    {"seed-cp932-crlf.txt", "CP932"},
    {"seed-utf16le-bom.txt", "UTF-16LE"},
    {"seed-eucjp.txt", "EUC-JP-MS"},
    {"seed-cr.txt", "UTF-8"},
    {"seed-fullwidth.txt", "UTF-8"},
    {"seed-iso2022jp.txt", "ISO-2022-JP"},
};

START_TEST(test_seed_itself)
{
    size_t len;
    unsigned char *data = slurp(SEED_PATH, &len);
    ctl_status st;
    list = read_bytes(ctx, "text", data, len, NULL, &st);
    assert_ok_msg(ctx, st, "seed");
    ck_assert_uint_eq(list->n_items, 160);
    ck_assert_str_eq(list->items[0].id, "II.1");
    ck_assert_int_eq(list->items[0].level, 1);
    free(data);
}
END_TEST

START_TEST(test_seed_variant)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CTL_TEST_DATA, variants[_i].file);
    ck_assert_ptr_nonnull(ctx);

    size_t seed_len, len;
    unsigned char *seed_data = slurp(SEED_PATH, &seed_len);
    unsigned char *data = slurp(path, &len);
    ctl_status st;
    ctl_list *seed = read_bytes(ctx, "text", seed_data, seed_len, NULL, &st);
    assert_ok_msg(ctx, st, "seed");
    ctl_list *var = read_bytes(ctx, "text", data, len, NULL, &st);
    ck_assert_msg(st == CTL_OK, "%s: %s (line %ld)", variants[_i].file, ctl_error_message(ctx),
                  ctl_error_line(ctx));
    ck_assert_uint_eq(seed->n_items, 160);
    ck_assert_uint_eq(var->n_items, 160);
    char why[512] = "";
    ck_assert_msg(ctl_list_equal(seed, var, 0, why, sizeof why), "%s differs from the seed: %s",
                  variants[_i].file, why);

    /* and the encoding detection names the right encoding */
    decoded d = decode(data, len, NULL);
    assert_ok_msg(d.ctx, d.st, "%s", variants[_i].file);
    ck_assert_str_eq(d.used, variants[_i].used);
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    done(&d);

    ctl_list_free(var);
    ctl_list_free(seed);
    free(data);
    free(seed_data);
}
END_TEST

/* The UTF-16LE variant decodes to the seed byte for byte. */
START_TEST(test_seed_utf16_exact)
{
    size_t seed_len, len;
    unsigned char *seed_data = slurp(SEED_PATH, &seed_len);
    unsigned char *data = slurp(CTL_TEST_DATA "/seed-utf16le-bom.txt", &len);
    decoded d = decode(data, len, NULL);
    expect_text(&d, (const char *)seed_data, seed_len, "UTF-16LE");
    done(&d);
    free(data);
    free(seed_data);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof *(a)))

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
            assert_ok_msg(ctx, st, "writing %s", formats[f]);
            ctl_list *b = read_bytes(ctx, formats[f], bytes, len, NULL, &st);
            assert_ok_msg(ctx, st, "%s of \"%s\"", formats[f], titles[0]);
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
    char *out = NULL;
    size_t out_len;
    const char *used;
    assert_ok(ctx, ctl_decode(ctx, "in", (unsigned char *)e, n, NULL, &out, &out_len, &used));
    ck_assert_str_eq(used, "CP932");
    ck_assert_str_eq(out, "ﾃﾞｰﾀ");
    ck_assert(has_warning(ctx, "encoding is ambiguous: reads as CP932 and as EUC-JP-MS"));
    ck_assert(has_warning(ctx, "EUC-JP-MS \"筑粟\""));
    free(out);
    free(e);
}
END_TEST

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
    char *out = NULL;
    size_t out_len;
    const char *used;
    assert_ok(ctx, ctl_decode(ctx, "in", (const unsigned char *)"\xC5\xAA", 2, NULL, &out, &out_len, &used));
    ck_assert_str_eq(used, "UTF-8");
    ck_assert(has_warning(ctx, "first difference: UTF-8 \"Ū\", EUC-JP-MS \"的\""));
    free(out);
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
}
END_TEST

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
        assert_ok_msg(ctx, st, "%s", fmts[i]);
        ck_assert(memchr(out, 0x7F, n) != NULL);
        /* read back as the reader gets it: no --encoding */
        ctl_options_init(&o);
        ctl_list *back = read_bytes(ctx, fmts[i], out, n, &o, &st);
        assert_ok_msg(ctx, st, "%s read back", fmts[i]);
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
    char *out = NULL;
    size_t n;
    const char *used;
    ck_assert_int_eq(ctl_decode(ctx, "in", (const unsigned char *)"Price \x80 100\x7f", 12, NULL,
                                &out, &n, &used), CTL_EINPUT);
    ck_assert(strstr(ctl_error_message(ctx), "U+0080") != NULL);
}
END_TEST

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

/* Windows-1252 (Excel's CSV on Western systems) that decodes as CP932
 * only: ° ± ® É Ü become half-width katakana among Latin letters.  Never
 * read so in silence: refused, or with one or two such characters
 * warned (review of issue 12, finding 2). */
START_TEST(windows1252_never_katakana)
{
    static const char *const texts[] = {
        "Maintain temperature at 18°C to 27°C ± 2°C.", "18°C ± 2°C", "See ISO/IEC 27001® guidance.",
        "café", "naïve", "Müller", "MÜLLER GmbH", "“smart” quotes", "Price € 100", "ÉTAT CIVIL", "½ day, ¼ hour",
        "x² + y³ µs", "Größe", "São Paulo", "Ørsted Åland", "«Zürich»", "Café ÉTÉ °C", "©2024 ±5%", NULL};
    for (size_t i = 0; texts[i]; i++) {
        char row[160];
        snprintf(row, sizeof row, "id,title\r\nPE-14,%s\r\nPE-15,Water ±1°\r\n", texts[i]);
        const char *used;
        int v = verdict_in("WINDOWS-1252", row, &used);
        ck_assert_msg(v == -1, "Windows-1252 \"%s\": verdict %d (read as %s)", texts[i], v, used);
    }
    /* the review's case: refused, the mojibake shown, on the line it is on */
    size_t n;
    char *e = to_encoding("WINDOWS-1252", "id,title\r\nPE-14,18°C ± 2°C\r\n", &n);
    decoded d = decode(e, n, NULL);
    expect_error(&d, CTL_EINPUT, 2, "reads only as CP932, and not as Japanese text", "3 characters out of place",
                 "18ｰC ｱ 2ｰC", "Windows-1252", NULL);
    ck_assert_int_eq(ctl_error_code(d.ctx), CTL_D_UNDECODABLE);
    done(&d);
    free(e);
    /* one sign alone: too few characters to tell, a warning */
    d = decode("id,title\r\nPE-14,27\xB0\r\n", 20, NULL);
    ck_assert_int_eq(d.st, CTL_OK);
    ck_assert(has_warning(d.ctx, "reads only as CP932, on too few characters to tell (\"4,27ｰ\")"));
    ck_assert(warnings_with(d.ctx, CTL_D_ENCODING_WEAK));
    done(&d);
    /* ･ bullets alone (¥ in Windows-1252): nothing out of place, nothing
     * Japanese either: a warning */
    static const char bullets[] = "id,title\r\nA.1,the following \xA5 Integrate \xA5 Ensure \xA5 Lead\r\n";
    d = decode(bullets, sizeof bullets - 1, NULL);
    ck_assert_int_eq(d.st, CTL_OK);
    ck_assert(has_warning(d.ctx, "reads only as CP932, with nothing Japanese in it (\"ing ･ Integr\")"));
    done(&d);
}
END_TEST

/* Real CP932 and EUC-JP-MS text with half-width katakana, which only one
 * of them decodes, still reads in silence. */
START_TEST(only_reading_japanese_kept)
{
    static const char *const texts[] = {
        "ｼｽﾃﾑ管理者はﾊﾟｽﾜｰﾄﾞを90日ごとに変更する", "ﾕｰｻﾞｰID", "ﾃﾞｰﾀ ﾊﾞｯｸｱｯﾌﾟ", "ﾈｯﾄﾜｰｸ機器のﾛｸﾞを保存する",
        "ｱｸｾｽ権限 (ID/PW)", "Webｻｰﾊﾞｰの設定", "管理策 A.5.1: 情報ｾｷｭﾘﾃｨのための方針群", NULL};
    static const char *const encs[] = {"CP932", "EUC-JP-MS", NULL};
    for (size_t k = 0; encs[k]; k++)
        for (size_t i = 0; texts[i]; i++) {
            char row[200];
            snprintf(row, sizeof row, "id,title,category\r\nA.5.1,%s,基本\r\nA.5.2,%s,\r\n", texts[i], texts[i]);
            const char *used;
            int v = verdict_in(encs[k], row, &used);
            ck_assert_msg(v == 2, "%s \"%s\": verdict %d (%s)", encs[k], texts[i], v, used);
        }
    /* English from Japan (ISMAP's English edition saved by Excel): ･ as a
     * bullet, CP932 quotes (lead byte 0x81, which Windows-1252 lacks) */
    const char *used;
    ck_assert_int_eq(verdict_in("CP932", "id,title\r\n4.1,the following are performed. ･ Integrate the "
                                "organization’s processes. ･Ensure “results”\r\n", &used), 2);
}
END_TEST

static Suite *encoding_suite(void)
{
    Suite *s = suite_create("encoding");
    TCase *tc = tcase_create("detect");
    tcase_add_test(tc, test_utf8_plain);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_utf8_bom);
    tcase_add_test(tc, test_utf16le_bom);
    tcase_add_test(tc, test_utf16be_bom);
    tcase_add_test(tc, test_detect_cp932);
    tcase_add_test(tc, test_detect_eucjp);
    tcase_add_test(tc, test_detect_cp932_nec);
    tcase_add_test(tc, test_detect_iso2022jp);
    tcase_add_test(tc, test_detect_ambiguous);
    suite_add_tcase(s, tc);

    tc = tcase_create("explicit");
    tcase_add_test(tc, test_explicit_cp932);
    tcase_add_test(tc, test_explicit_eucjp);
    tcase_add_test(tc, test_explicit_overrides_detection);
    tcase_add_test(tc, test_explicit_utf);
    tcase_add_test(tc, test_unknown_encoding);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_undecodable_detect_lf);
    tcase_add_test(tc, test_undecodable_detect_crlf);
    tcase_add_test(tc, test_undecodable_explicit_utf8);
    tcase_add_test(tc, test_undecodable_explicit_cp932);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_control_readings_refused);
    tcase_add_test(tc, test_nul_with_explicit_encoding);
    tcase_add_test(tc, test_utf8_bom_invalid);
    tcase_add_test(tc, test_utf16_invalid);
    tcase_add_test(tc, test_truncated_message);
    suite_add_tcase(s, tc);

    tc = tcase_create("seed");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_seed_itself);
    tcase_add_loop_test(tc, test_seed_variant, 0, N(variants));
    tcase_add_test(tc, test_seed_utf16_exact);
    suite_add_tcase(s, tc);
    TCase *t_evidence = tcase_create("evidence");
    use_ctx_fixture(t_evidence);
    tcase_set_timeout(t_evidence, 60);
    tcase_add_test(t_evidence, symbols_stay_utf8);
    tcase_add_test(t_evidence, own_utf8_output_reads_back);
    tcase_add_test(t_evidence, halfwidth_katakana_read_right);
    tcase_add_test(t_evidence, close_margin_warns);
    tcase_add_test(t_evidence, short_eucjp_never_silent);
    tcase_add_test(t_evidence, lone_halfwidth_katakana_never_silent);
    tcase_add_test(t_evidence, lone_level1_kanji_never_silent);
    tcase_add_test(t_evidence, short_eucjp_named);
    tcase_add_test(t_evidence, seed_kanji_sweep);
    tcase_add_test(t_evidence, real_utf8_stays);
    tcase_add_test(t_evidence, windows1252_never_katakana);
    tcase_add_test(t_evidence, only_reading_japanese_kept);
    suite_add_tcase(s, t_evidence);
    TCase *t_encoder = tcase_create("encoder");
    use_ctx_fixture(t_encoder);
    tcase_set_timeout(t_encoder, 120);
    tcase_add_test(t_encoder, cp932_controls_read_back);
    tcase_add_test(t_encoder, cp932_stray_c1_still_refused);
    tcase_add_test(t_encoder, substitute_reports_every_character);
    tcase_add_test(t_encoder, encoder_lists_changes);
    suite_add_tcase(s, t_encoder);
    return s;
}

int main(void)
{
    return run_suite(encoding_suite());
}
