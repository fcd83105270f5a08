/* SPDX-License-Identifier: BSD-2-Clause */
/* CP932 output without a decode per cell (converters/util.c): the table of
 * characters glibc writes as others, proven complete for the glibc the
 * tests run on by encoding every Unicode scalar value and decoding it back,
 * and ctl_cp932_exact checked against that, character by character and in
 * text. */
#include "support.h"
#include "internal.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* glibc's CP932 form of s (NUL-free): its length, or -1 when it refuses. */
static long glibc_encode(iconv_t cd, const char *s, size_t n, char *out, size_t cap)
{
    char *ip = (char *)s, *op = out;
    size_t il = n, ol = cap;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il) return -1;
    if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) return -1;
    return (long)(cap - ol);
}

/* Does glibc read out[0..n) back as s[0..len)? */
static int glibc_reads_back(iconv_t cd, const char *out, size_t n, const char *s, size_t len)
{
    char back[32], *ip = (char *)out, *op = back;
    size_t il = n, ol = sizeof back;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il) return 0;
    return sizeof back - ol == len && !memcmp(back, s, len);
}

START_TEST(table_is_complete)
{
    iconv_t to = iconv_open("CP932", "UTF-8"), from = iconv_open("UTF-8", "CP932");
    ck_assert(to != (iconv_t)-1 && from != (iconv_t)-1);
    ctl_cp932 *c = ctl_cp932_new();
    ck_assert_ptr_nonnull(c);
    ctl_buf out = {0};
    size_t written = 0, one_way = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        char s[8], enc[16];
        size_t n = ctl_utf8_encode(cp, s);
        long k = glibc_encode(to, s, n, enc, sizeof enc);
        int exact = k >= 0 && glibc_reads_back(from, enc, (size_t)k, s, n);
        /* the table: what glibc writes without an error but not exactly */
        if (ctl_cp932_one_way(cp) != (k >= 0 && !exact))
            ck_abort_msg("U+%04X: table says %d, glibc writes %ld byte(s), %s", (unsigned)cp,
                         ctl_cp932_one_way(cp), k, exact ? "exactly" : "not exactly");
        one_way += k >= 0 && !exact;
        out.len = 0;
        int r = ctl_cp932_exact(c, s, n, &out);
        if (r != exact) ck_abort_msg("U+%04X: ctl_cp932_exact %d, glibc exact %d", (unsigned)cp, r, exact);
        if (!exact) {
            ck_assert_uint_eq(out.len, 0);
            continue;
        }
        written++;
        ck_assert_uint_eq(out.len, (size_t)k);
        ck_assert(!memcmp(out.data, enc, out.len));
        /* no byte a CSV record is cut by (quote, delimiters, line ends) in
         * the form of a character other than ASCII: quoting commutes with
         * encoding */
        for (size_t i = 0; cp >= 0x80 && i < out.len; i++)
            if ((unsigned char)out.data[i] < 0x40)
                ck_abort_msg("U+%04X: byte %02X", (unsigned)cp, (unsigned char)out.data[i]);
    }
    /* 9 characters and the 128 tags (glibc 2.36) */
    ck_assert_uint_eq(one_way, 9 + 128);
    ck_assert_uint_gt(written, 7000);
    ctl_buf_free(&out);
    ctl_cp932_free(c);
    iconv_close(to);
    iconv_close(from);
}
END_TEST

/* The listed characters as DESIGN.md names them, and the ones the sweep
 * found besides. */
START_TEST(table_names_them)
{
    static const uint32_t one_way[] = {0x301C, 0x2212, 0x2016, 0x00A2, 0x00AC, 0x2014,
                                       0x00A3, 0x00A5, 0x203E, 0xE0001, 0xE007F};
    for (size_t i = 0; i < sizeof one_way / sizeof *one_way; i++) ck_assert(ctl_cp932_one_way(one_way[i]));
    static const uint32_t exact[] = {'A', '\\', '~', 0xFF5E, 0xFF0D, 0x2225, 0xFFE0, 0xFFE2, 0x2015,
                                     0x3000, 0xE000, 0xDFFFF, 0xE0080};
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++) ck_assert(!ctl_cp932_one_way(exact[i]));
}
END_TEST

static int exact_of(const char *s, ctl_buf *out)
{
    ctl_cp932 *c = ctl_cp932_new();
    ck_assert_ptr_nonnull(c);
    int r = ctl_cp932_exact(c, s, strlen(s), out);
    ctl_cp932_free(c);
    return r;
}

START_TEST(exact_in_text)
{
    ctl_buf out = {0};
    ck_assert_int_eq(exact_of("表示、ソフト能力 \"a,b\"\r\n①Ⅲ纊ｱ～", &out), 1);
    ck_assert_str_eq(out.data, "\x95\x5C\x8E\xA6\x81\x41\x83\x5C\x83\x74\x83\x67\x94\x5C\x97\xCD \"a,b\"\r\n"
                               "\x87\x40\x87\x56\xFA\x5C\xB1\x81\x60");
    /* one character of the table anywhere: nothing appended */
    static const char *const refused[] = {"〜", "波〜", "〜波", "ア−イ", "a‖", "¢", "£1", "¥", "x¬y",
                                          "―—", "‾", "タグ\xF3\xA0\x80\x81", "\xF3\xA0\x81\xBF",
                                          "𠮷", "😀", "\xE3\x80", "a\xC2", "\xFF"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        out.len = 3;
        ck_assert_msg(exact_of(refused[i], &out) == 0, "%s", refused[i]);
        ck_assert_uint_eq(out.len, 3);
    }
    /* appended after what out held */
    out.len = 0;
    ck_assert(ctl_buf_add(&out, "x,", 2));
    ck_assert_int_eq(exact_of("基本", &out), 1);
    ck_assert_str_eq(out.data, "x,\x8A\xEE\x96\x7B");
    ck_assert_int_eq(exact_of("", &out), 1);
    ck_assert_uint_eq(out.len, 6);
    ctl_buf_free(&out);
}
END_TEST

/* One character of the table at every place of a long text (the check
 * goes sixteen bytes at a time), among characters whose bytes look like
 * parts of one (9C of 最 E6 9C 80 and 朝 E6 9C 9D; E2, C2 leads). */
START_TEST(exact_at_every_place)
{
    static const char *const one_way[] = {"〜", "−", "‖", "¢", "£", "¥", "¬", "—", "‾", "\xF3\xA0\x80\x81"};
    static const char *const fillers[] = {"a", "最", "朝", "※", "é", "ab朝"};
    ctl_cp932 *c = ctl_cp932_new();
    ck_assert_ptr_nonnull(c);
    ctl_buf out = {0};
    for (size_t f = 0; f < sizeof fillers / sizeof *fillers; f++)
        for (size_t before = 0; before < 24; before++) {
            char text[512] = "";
            for (size_t k = 0; k < before; k++) strcat(text, fillers[f]);
            size_t at = strlen(text);
            for (size_t k = 0; k < 24; k++) strcat(text, fillers[f]);
            out.len = 0;
            /* é (U+00E9) is not in CP932 */
            ck_assert_int_eq(ctl_cp932_exact(c, text, strlen(text), &out), strcmp(fillers[f], "é") != 0);
            for (size_t w = 0; w < sizeof one_way / sizeof *one_way; w++) {
                char t[600];
                snprintf(t, sizeof t, "%.*s%s%s", (int)at, text, one_way[w], text + at);
                out.len = 0;
                if (ctl_cp932_exact(c, t, strlen(t), &out) != 0)
                    ck_abort_msg("%s after %zu x '%s' not seen", one_way[w], before, fillers[f]);
            }
        }
    ctl_buf_free(&out);
    ctl_cp932_free(c);
}
END_TEST

static Suite *cp932_suite(void)
{
    Suite *s = suite_create("cp932");
    TCase *t = tcase_create("table");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, table_is_complete);
    tcase_add_test(t, table_names_them);
    tcase_add_test(t, exact_in_text);
    tcase_add_test(t, exact_at_every_place);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(cp932_suite());
}
