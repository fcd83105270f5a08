/* SPDX-License-Identifier: BSD-2-Clause */
/* The fast paths of issue 14 against plain references: UTF-8 validation
 * (converters/util.c: ASCII eight bytes at a time, the common three-byte
 * forms at once) and header-word folding (converters/numbering.c: ASCII,
 * kana and unified ideographs without utf8proc). */
#include "support.h"
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The valid prefix by the definition: decode, then refuse overlongs,
 * surrogates and what lies above U+10FFFF. */
static size_t valid_prefix_ref(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i], cp;
        size_t n;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC0 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF7) { n = 4; cp = c & 0x07; }
        else return i;
        if (len - i < n) return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        static const unsigned least[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += n;
    }
    return i;
}

START_TEST(valid_prefix_every_short_sequence)
{
    /* every sequence of three bytes led by a byte other than ASCII,
     * alone, cut short, after ASCII that fills a word and before more */
    unsigned char b[24];
    memset(b, 'a', sizeof b);
    for (unsigned x = 0x800000; x < 0x1000000; x++) {
        unsigned char *p = b + 9;
        p[0] = (unsigned char)(x >> 16);
        p[1] = (unsigned char)(x >> 8);
        p[2] = (unsigned char)x;
        for (size_t n = 1; n <= 3; n++)
            if (ctl_utf8_valid_prefix(p, n) != valid_prefix_ref(p, n))
                ck_abort_msg("%02X %02X %02X (%zu)", p[0], p[1], p[2], n);
        if ((p[0] & 0xF0) == 0xE0)
            ck_assert_uint_eq(ctl_utf8_valid_prefix(b, sizeof b), valid_prefix_ref(b, sizeof b));
    }
}
END_TEST

START_TEST(valid_prefix_four_bytes)
{
    unsigned char b[4];
    static const unsigned char lasts[] = {0x7F, 0x80, 0xBF, 0xC0};
    for (unsigned lead = 0xF0; lead <= 0xF8; lead++)
        for (unsigned x = 0; x < 0x10000; x++)
            for (size_t l = 0; l < sizeof lasts; l++) {
                unsigned last = lasts[l];
                b[0] = (unsigned char)lead;
                b[1] = (unsigned char)(x >> 8);
                b[2] = (unsigned char)x;
                b[3] = (unsigned char)last;
                if (ctl_utf8_valid_prefix(b, 4) != valid_prefix_ref(b, 4))
                    ck_abort_msg("%02X %02X %02X %02X", b[0], b[1], b[2], b[3]);
            }
}
END_TEST

START_TEST(valid_prefix_text)
{
    static const char *const texts[] = {"", "ascii only, longer than a word of eight",
                                        "日本語のテキスト、ｶﾀｶﾅ、Ａ．５ and ASCII 12345678",
                                        "𠮷野家 ① é ÿ \xC2\x80", "abcdefgh\xE3\x81", "abcdefghijklmno\xFF",
                                        "\xED\xA0\x80 surrogate", "\xF4\x90\x80\x80 too high"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const unsigned char *s = (const unsigned char *)texts[i];
        for (size_t n = 0; n <= strlen(texts[i]); n++)
            ck_assert_uint_eq(ctl_utf8_valid_prefix(s, n), valid_prefix_ref(s, n));
    }
}
END_TEST

/* What ctl_fold_into does by definition: utf8proc's NFKC with case
 * folding, ASCII white space dropped. */
static int fold_ref(const char *s, size_t len, char *out, size_t size)
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    ck_assert_int_ge(n, 0);
    size_t o = 0;
    int fits = 1;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (isspace(m[i])) continue;
        if (o + 1 >= size) { fits = 0; break; }
        out[o++] = (char)m[i];
    }
    out[o] = '\0';
    free(m);
    return fits ? (int)o : -1;
}

static void fold_same(const char *s)
{
    char a[1100], b[1100];
    int na = ctl_fold_into(s, strlen(s), a, sizeof a), nb = fold_ref(s, strlen(s), b, sizeof b);
    ck_assert_msg(na == nb && !strcmp(a, b), "'%s': '%s' (%d), want '%s' (%d)", s, a, na, b, nb);
}

START_TEST(fold_plain_characters)
{
    /* every character the fast path takes, and its neighbours, alone and
     * among others (a voiced mark after kana composes: not plain) */
    static const uint32_t ranges[][2] = {{0x01, 0x7F}, {0x2FF0, 0x3100}, {0x4DF0, 0x9FFF}, {0xF900, 0xF910}};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            char c[8], s[64];
            ctl_utf8_encode(cp, c);
            fold_same(c);
            snprintf(s, sizeof s, " A%sb\tZ ", c);
            fold_same(s);
            snprintf(s, sizeof s, "%s\xE3\x82\x99", c);   /* U+3099 */
            fold_same(s);
        }
    /* any two of the CJK symbols and kana side by side */
    for (uint32_t a = 0x3000; a <= 0x30FF; a++)
        for (uint32_t b = 0x3000; b <= 0x30FF; b++) {
            char s[16];
            size_t n = ctl_utf8_encode(a, s);
            ctl_utf8_encode(b, s + n);
            fold_same(s);
        }
    fold_same("ISMS管理策");
    fold_same("Ｃａｔｅｇｏｒｙ 区分");
    fold_same("カテゴリー");
    fold_same("ｶﾃｺﾞﾘｰ");
    char f[4];
    ck_assert_int_eq(ctl_fold_into("ABCD", 4, f, sizeof f), -1);   /* does not fit */
    ck_assert_int_eq(ctl_fold_into("ABC", 3, f, sizeof f), 3);
    ck_assert_str_eq(f, "abc");
}
END_TEST

/* ctl_parse_number decomposes 32 characters first, all of them when those
 * are all white space, Roman letters, digits or dots: the same numbers
 * either way, on both sides of the 32nd character. */
START_TEST(number_across_first_characters)
{
    static const char *const tails[] = {"", "text", "管理", "x1", "。"};
    for (size_t k = 0; k <= 40; k++)
        for (size_t m = 0; m <= 40; m++)
            for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
                char s[128];
                int w = snprintf(s, sizeof s, "Ⅱ.%*s1.%*s23%s", (int)k, "", (int)m, "", tails[t]);
                ctl_number num = {{0}, 0};
                size_t used = ctl_parse_number(s, (size_t)w, &num);
                ck_assert_uint_eq(used, (size_t)w - strlen(tails[t]));
                ck_assert_str_eq(num.id, "II.1.23");
                ck_assert_int_eq(num.level, 2);
                /* a digit after the spaces: "1 2" is no number */
                w = snprintf(s, sizeof s, "II.%*s1%*s2", (int)k, "", (int)m + 1, "");
                ck_assert_uint_eq(ctl_parse_number(s, (size_t)w, &num), (size_t)w - 1);
                ck_assert_str_eq(num.id, "II.1");
            }
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *t = tcase_create("fast paths");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, valid_prefix_every_short_sequence);
    tcase_add_test(t, valid_prefix_four_bytes);
    tcase_add_test(t, valid_prefix_text);
    tcase_add_test(t, fold_plain_characters);
    tcase_add_test(t, number_across_first_characters);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(util_suite());
}
