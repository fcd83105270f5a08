/* Tests of encoding detection and decoding (converters/encoding.c), and of
 * the seed's encoding and numbering variants read through the public
 * reading path. */
#include "support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    ck_assert_msg(d->st == CTL_OK, "status %d: %s", d->st, ctl_error_message(d->ctx));
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
    ck_assert_int_eq(ctl_error_status(d.ctx), CTL_OK);
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
    ctl_ctx *ctx = ctl_ctx_new();
    size_t len;
    unsigned char *data = slurp(SEED_PATH, &len);
    ctl_status st;
    ctl_list *seed = read_bytes(ctx, "text", data, len, NULL, &st);
    ck_assert_msg(st == CTL_OK, "seed: %s", ctl_error_message(ctx));
    ck_assert_uint_eq(seed->n_items, 160);
    ck_assert_str_eq(seed->items[0].id, "II.1");
    ck_assert_int_eq(seed->items[0].level, 1);
    ctl_list_free(seed);
    free(data);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(test_seed_variant)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CTL_TEST_DATA, variants[_i].file);
    ctl_ctx *ctx = ctl_ctx_new();
    ck_assert_ptr_nonnull(ctx);

    size_t seed_len, len;
    unsigned char *seed_data = slurp(SEED_PATH, &seed_len);
    unsigned char *data = slurp(path, &len);
    ctl_status st;
    ctl_list *seed = read_bytes(ctx, "text", seed_data, seed_len, NULL, &st);
    ck_assert_msg(st == CTL_OK, "seed: %s", ctl_error_message(ctx));
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
    ck_assert_msg(d.st == CTL_OK, "%s: %s", variants[_i].file, ctl_error_message(d.ctx));
    ck_assert_str_eq(d.used, variants[_i].used);
    ck_assert_uint_eq(ctl_warning_count(d.ctx), 0);
    done(&d);

    ctl_list_free(var);
    ctl_list_free(seed);
    free(data);
    free(seed_data);
    ctl_ctx_free(ctx);
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
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_seed_itself);
    tcase_add_loop_test(tc, test_seed_variant, 0, N(variants));
    tcase_add_test(tc, test_seed_utf16_exact);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(encoding_suite());
}
