/* SPDX-License-Identifier: BSD-2-Clause */
/* Rule-by-rule tests of the normalisers: item numbers, labels, ISMS
 * references and category words (converters/numbering.c). */
#include "support.h"
#include "headers.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * ctl_parse_number: accepted spellings.
 * ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    const char *id;
    int level;
    size_t used;      /* bytes of in consumed */
} number_ok[] = {
    /* the seed's spellings */
    {"II. 1. 1. 1", "II.1.1.1", 3, 11},
    {"II. 3. 2. 1.", "II.3.2.1", 3, 12},                 /* trailing dot */
    {"\xE2\x85\xA2. 1. 1. 5.", "III.1.1.5", 3, 13},      /* U+2162 Ⅲ */
    {"\xE2\x85\xA1\xEF\xBC\x8E\xEF\xBC\x91\xEF\xBC\x8E\xEF\xBC\x91\xEF\xBC\x8E"
     "\xEF\xBC\x91", "II.1.1.1", 3, 21},                        /* Ⅱ．１．１．１ */
    {"III.1.1.5", "III.1.1.5", 3, 9},
    {"II. 1.", "II.1", 1, 6},
    {"II. 1. 1.", "II.1.1", 2, 9},
    {"II. 3. 1. 10", "II.3.1.10", 3, 12},
    /* leading zeros are dropped */
    {"II. 01.", "II.1", 1, 7},
    {"II. 3. 01. 010", "II.3.1.10", 3, 14},
    /* lower-case Roman numerals are accepted and canonicalised */
    {"iii. 1.", "III.1", 1, 7},
    {"\xE2\x85\xB1. 1.", "II.1", 1, 7},                  /* U+2171 ⅱ */
    /* leading white space is consumed too */
    {" II. 1.", "II.1", 1, 7},
    /* white space around the dots */
    {"II . 1 .", "II.1", 1, 8},
    {"II.1.1.1.", "II.1.1.1", 3, 9},
    {"IV. 2.", "IV.2", 1, 6},
    {"LXXXIX. 1.", "LXXXIX.1", 1, 10},                   /* 89, the largest */
    /* a fourth numeric part is a deeper level */
    {"II. 1. 1. 1. 2", "II.1.1.1.2", 4, 14},
    /* eight parts are the most */
    {"II. 1. 1. 1. 1. 1. 1. 1. 1", "II.1.1.1.1.1.1.1.1", 8, 26},
    {"I. 1. 2. 3. 4. 5. 6. 7. 8", "I.1.2.3.4.5.6.7.8", 8, 25},
};

START_TEST(test_number_spellings)
{
    const char *in = number_ok[_i].in;
    ctl_number num;
    memset(&num, 0x55, sizeof num);
    size_t used = ctl_parse_number(in, strlen(in), &num);
    ck_assert_msg(used == number_ok[_i].used, "'%s': used %zu bytes, expected %zu", in, used,
                  number_ok[_i].used);
    ck_assert_str_eq(num.id, number_ok[_i].id);
    ck_assert_int_eq(num.level, number_ok[_i].level);
}
END_TEST

/* The consumed part covers the number, its trailing dot and the white space
 * after it; the rest is the title. */
static const struct {
    const char *in;
    const char *id;
    int level;
    const char *rest;
} number_rest[] = {
    {"II. 1. 1. \xE7\xB5\x84\xE7\xB9\x94\xE3\x81\xAE\xE5\x9F\xBA\xE6\x9C\xAC", "II.1.1", 2,
     "\xE7\xB5\x84\xE7\xB9\x94\xE3\x81\xAE\xE5\x9F\xBA\xE6\x9C\xAC"},          /* 組織の基本 */
    {"II. 1. \xE6\x83\x85\xE5\xA0\xB1", "II.1", 1, "\xE6\x83\x85\xE5\xA0\xB1"}, /* 情報 */
    /* an ideographic space after the dot is consumed as white space */
    {"II. 1.\xE3\x80\x80\xE7\xB5\x84\xE7\xB9\x94", "II.1", 1, "\xE7\xB5\x84\xE7\xB9\x94"},
    {"II.1.1.1\tx", "II.1.1.1", 3, "x"},
    /* after an undotted last number, white space then a digit: the digit
     * is the start of the rest */
    {"II. 1. 1. 1 2", "II.1.1.1", 3, "2"},
    /* after an undotted last number a character that is no part of a
     * number may follow directly: the code accepts the number and leaves
     * the character as the rest */
    {"II. 1. 1. 1\xE7\xB5\x84", "II.1.1.1", 3, "\xE7\xB5\x84"},                /* 1組 */
    {"II.1.1.1x", "II.1.1.1", 3, "x"},
    /* only full-width forms, Roman numerals and spaces are decomposed: a
     * superscript two is not a digit ("1²" is not "12") */
    {"II. 1. 1. 1\xC2\xB2", "II.1.1.1", 3, "\xC2\xB2"},
};

START_TEST(test_number_rest)
{
    const char *in = number_rest[_i].in;
    ctl_number num;
    memset(&num, 0, sizeof num);
    size_t used = ctl_parse_number(in, strlen(in), &num);
    ck_assert_msg(used > 0, "'%s' rejected", in);
    ck_assert_uint_le(used, strlen(in));
    ck_assert_str_eq(in + used, number_rest[_i].rest);
    ck_assert_str_eq(num.id, number_rest[_i].id);
    ck_assert_int_eq(num.level, number_rest[_i].level);
    /* a cell holding it and something more is no item number */
    ck_assert_int_eq(ctl_parse_number_exact(in, strlen(in), &num), !*number_rest[_i].rest);
    ck_assert(ctl_parse_number_exact(in, used, &num));
}
END_TEST

START_TEST(test_number_exact_empty)
{
    ctl_number num;
    ck_assert(!ctl_parse_number_exact("", 0, &num));
    ck_assert(!ctl_parse_number_exact("II. 1", 0, &num));
    ck_assert(ctl_parse_number_exact("II. 1. ", 7, &num));
    ck_assert_str_eq(num.id, "II.1");
}
END_TEST

/* The length argument is honoured: nothing past len is looked at. */
START_TEST(test_number_len_bound)
{
    ctl_number num;
    memset(&num, 0, sizeof num);
    ck_assert_uint_eq(ctl_parse_number("II. 1. 1. 1", 6, &num), 6);
    ck_assert_str_eq(num.id, "II.1");
    ck_assert_int_eq(num.level, 1);
    ck_assert_uint_eq(ctl_parse_number("II. 1. 1. 1", 3, &num), 0);
}
END_TEST

static const char *const number_bad[] = {
    "",
    "A.5.1",
    "IIII. 1.",                 /* not a canonical numeral */
    "VX. 1.",
    "XC. 1.",                   /* 90: above the range */
    "II 1 1",                   /* no dots */
    "II.",                      /* no numeric part */
    "II. ",
    "II. x",
    "\xE7\xB5\x84\xE7\xB9\x94", /* 組織 */
    "1. 1. 1",
    "II. 1234567.",             /* more than six digits */
    "II. 1. 1234567",           /* a 7-digit part is no part: no number at all (review) */
    "II. 1. 1. 1. 1. 1. 1. 1. 1. 1", /* nine parts */
    " ",
    "Information. 1.",
    "\xFF" "II. 1.",            /* invalid UTF-8 first */
};

START_TEST(test_number_rejected)
{
    const char *in = number_bad[_i];
    ctl_number num;
    memset(&num, 0, sizeof num);
    size_t used = ctl_parse_number(in, strlen(in), &num);
    ck_assert_msg(used == 0, "'%s' accepted (%zu bytes, id %s)", in, used, num.id);
}
END_TEST

/* An undotted number directly followed by a dot and a non-digit, or by a
 * digit: "II. 1. 1. 1.x" is II.1.1.1 with title "x". */
START_TEST(test_number_dot_then_text)
{
    ctl_number num;
    const char *in = "II. 1. 1. 1.x";
    ck_assert_uint_eq(ctl_parse_number(in, strlen(in), &num), 12);
    ck_assert_str_eq(num.id, "II.1.1.1");
    ck_assert_int_eq(num.level, 3);
}
END_TEST

/* The longest id ctl_number can hold.  Roman "LXXXVIII" (8 chars) and eight
 * six-digit parts make 8 + 8 * 7 = 64 characters, one more than id[64]
 * holds with its NUL. */
START_TEST(test_number_id_fits)
{
    ctl_number num;
    memset(&num, 0, sizeof num);
    /* 63 characters: fits */
    const char *fits = "LXXXVIII. 999999. 999999. 999999. 999999. 999999. 999999. 999999. 99999";
    ck_assert_uint_eq(ctl_parse_number(fits, strlen(fits), &num), strlen(fits));
    ck_assert_str_eq(num.id, "LXXXVIII.999999.999999.999999.999999.999999.999999.999999.99999");
    ck_assert_int_eq(num.level, 8);

    /* Regression (was a bug): a number whose canonical id does not fit in ctl_number.id is
     * accepted with a silently truncated id ("...999999.99999", level 8):
     * ctl_parse_number snprintf's into id[64] without checking.  It must be
     * rejected (0) rather than produce a different, wrong id. */
    const char *big = "LXXXVIII. 999999. 999999. 999999. 999999. 999999. 999999. 999999. 999999";
    memset(&num, 0, sizeof num);
    size_t used = ctl_parse_number(big, strlen(big), &num);
    ck_assert_msg(used == 0, "'%s' accepted with a truncated id '%s' (level %d)", big, num.id,
                  num.level);
}
END_TEST

/* ------------------------------------------------------------------------
 * ctl_number_label.
 * ---------------------------------------------------------------------- */

START_TEST(test_number_label)
{
    char buf[64];
    ck_assert_str_eq(ctl_number_label("II.1", 1, buf, sizeof buf), "II. 1.");
    ck_assert_str_eq(ctl_number_label("II.1.1", 2, buf, sizeof buf), "II. 1. 1.");
    ck_assert_str_eq(ctl_number_label("II.1.1.1", 3, buf, sizeof buf), "II. 1. 1. 1");
    ck_assert_str_eq(ctl_number_label("III.3.1.10", 3, buf, sizeof buf), "III. 3. 1. 10");
    ck_assert_str_eq(ctl_number_label("II.1.1.1.2", 4, buf, sizeof buf), "II. 1. 1. 1. 2");
    /* returns buf */
    ck_assert_ptr_eq(ctl_number_label("II.1", 1, buf, sizeof buf), buf);
    /* a label round-trips through the parser */
    ctl_number num;
    ctl_number_label("II.3.2", 2, buf, sizeof buf);
    ck_assert_uint_eq(ctl_parse_number(buf, strlen(buf), &num), strlen(buf));
    ck_assert_str_eq(num.id, "II.3.2");
    ck_assert_int_eq(num.level, 2);
    /* a small buffer is never overrun and stays terminated */
    char small[8];
    memset(small, 'Z', sizeof small);
    ctl_number_label("II.1.1.1", 3, small, sizeof small);
    ck_assert_ptr_nonnull(memchr(small, '\0', sizeof small));
}
END_TEST

/* ------------------------------------------------------------------------
 * ctl_parse_isms and ctl_isms_depth.
 * ---------------------------------------------------------------------- */

static void free_refs(char **refs, size_t n)
{
    for (size_t i = 0; i < n; i++) free(refs[i]);
    free(refs);
}

static const struct {
    const char *in;
    size_t n;
    const char *refs[3];
} isms_ok[] = {
    {"A.5.1.1", 1, {"A.5.1.1"}},
    {"\xEF\xBC\xA1\xEF\xBC\x8E\xEF\xBC\x95\xEF\xBC\x8E\xEF\xBC\x91\xEF\xBC\x8E\xEF\xBC\x91", 1,
     {"A.5.1.1"}},                                           /* Ａ．５．１．１ */
    {"A.5.1.1.", 1, {"A.5.1.1"}},                            /* trailing dot */
    {"A.17", 1, {"A.17"}},
    {" A.17 ", 1, {"A.17"}},
    {"a.5.1", 1, {"A.5.1"}},                                 /* lower case */
    {"A.05", 1, {"A.5"}},                                    /* leading zero */
    {"A.5.1.1 A.5.1.2", 2, {"A.5.1.1", "A.5.1.2"}},
    {"A.5.1.1, A.5.1.2", 2, {"A.5.1.1", "A.5.1.2"}},
    {"A.5.1.1;A.5.1.2", 2, {"A.5.1.1", "A.5.1.2"}},
    {"A.5.1.1\xE3\x80\x81" "A.5.1.2", 2, {"A.5.1.1", "A.5.1.2"}}, /* 、 */
    {"A.5.1.1\nA.5.1.2", 2, {"A.5.1.1", "A.5.1.2"}},
    {"A.5.1.1/A.5.1.2", 2, {"A.5.1.1", "A.5.1.2"}},
    {"A.5.1.1.\nA.5.1.2.", 2, {"A.5.1.1", "A.5.1.2"}},
    {"A.5.1.1,,A.6", 2, {"A.5.1.1", "A.6"}},
    {"A.5.1.1\xE3\x80\x80" "A.6.1 A.7", 3, {"A.5.1.1", "A.6.1", "A.7"}}, /* ideographic space */
    {"A.1.2.3.4.5.6", 1, {"A.1.2.3.4.5.6"}},                 /* six parts: the most */
};

START_TEST(test_isms_ok)
{
    const char *in = isms_ok[_i].in;
    char **refs = (char **)1;
    size_t n = 99;
    ck_assert_int_eq(ctl_parse_isms(in, strlen(in), &refs, &n), 1);
    ck_assert_uint_eq(n, isms_ok[_i].n);
    ck_assert_ptr_nonnull(refs);
    for (size_t k = 0; k < n; k++) ck_assert_str_eq(refs[k], isms_ok[_i].refs[k]);
    free_refs(refs, n);
}
END_TEST

START_TEST(test_isms_empty)
{
    char **refs = (char **)1;
    size_t n = 99;
    ck_assert_int_eq(ctl_parse_isms("", 0, &refs, &n), 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(refs);
    refs = (char **)1;
    n = 99;
    ck_assert_int_eq(ctl_parse_isms("  \n ", 4, &refs, &n), 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(refs);
}
END_TEST

static const char *const isms_bad[] = {
    "see A.5", "B.5.1", "A.", "A.5x", "A", "5.1.1", "A.5..1", "A.5.1.1 x",
    "A.1.2.3.4.5.6.7",          /* seven parts */
    "A. 5. 1",                  /* space after an inner dot */
    "A.5.1.1 and A.5.1.2",
    "A.5\xFF",                  /* invalid UTF-8 */
    "-",
};

START_TEST(test_isms_rejected)
{
    const char *in = isms_bad[_i];
    char **refs = (char **)1;
    size_t n = 99;
    ck_assert_msg(ctl_parse_isms(in, strlen(in), &refs, &n) == 0, "'%s' accepted", in);
    /* nothing stored */
    ck_assert_ptr_null(refs);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_isms_depth)
{
    ck_assert_int_eq(ctl_isms_depth("A.17"), 1);
    ck_assert_int_eq(ctl_isms_depth("A.5.1"), 2);
    ck_assert_int_eq(ctl_isms_depth("A.17.1.2"), 3);
    ck_assert_int_eq(ctl_isms_depth("A.1.2.3.4.5.6"), 6);
    ck_assert_int_eq(ctl_isms_depth("A"), 0);
    ck_assert_int_eq(ctl_isms_depth(""), 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * ctl_parse_category and the category names.
 * ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    ctl_category cat;
} category_ok[] = {
    {"\xE5\x9F\xBA\xE6\x9C\xAC", CTL_CATEGORY_BASIC},                 /* 基本 */
    {"\xE6\x8E\xA8\xE5\xA5\xA8", CTL_CATEGORY_RECOMMENDED},           /* 推奨 */
    {"basic", CTL_CATEGORY_BASIC},
    {"Basic", CTL_CATEGORY_BASIC},
    {"Recommended", CTL_CATEGORY_RECOMMENDED},
    {"RECOMMENDED\n", CTL_CATEGORY_RECOMMENDED},
    {"\xEF\xBD\x82\xEF\xBD\x81\xEF\xBD\x93\xEF\xBD\x89\xEF\xBD\x83", CTL_CATEGORY_BASIC}, /* ｂａｓｉｃ */
    {" \xE5\x9F\xBA\xE6\x9C\xAC ", CTL_CATEGORY_BASIC},
    {"\t\xE5\x9F\xBA\xE6\x9C\xAC\r\n", CTL_CATEGORY_BASIC},
    {"\xE3\x80\x80\xE6\x8E\xA8\xE5\xA5\xA8\xE3\x80\x80", CTL_CATEGORY_RECOMMENDED}, /* 　推奨　 */
    /* white space inside the word is folded away as in header words */
    {"\xE5\x9F\xBA \xE6\x9C\xAC", CTL_CATEGORY_BASIC},                /* 基 本 */
    /* model v2: the mandatory words (遵守事項 of 統一基準) */
    {"\xE5\xBF\x85\xE9\xA0\x88", CTL_CATEGORY_MANDATORY},               /* 必須 */
    {"\xE9\x81\xB5\xE5\xAE\x88\xE4\xBA\x8B\xE9\xA0\x85", CTL_CATEGORY_MANDATORY}, /* 遵守事項 */
    {" Mandatory ", CTL_CATEGORY_MANDATORY},
    {"REQUIRED", CTL_CATEGORY_MANDATORY},
};

START_TEST(test_category_ok)
{
    const char *in = category_ok[_i].in;
    ctl_category cat = (ctl_category)99;
    ck_assert_msg(ctl_parse_category(in, strlen(in), &cat) == 1, "'%s' rejected", in);
    ck_assert_int_eq(cat, category_ok[_i].cat);
}
END_TEST

static const char *const category_bad[] = {
    "\xE5\x9F\xBA\xE6\x9C\xAC \xE5\xBD\x93\xE7\xA4\xBE",   /* 基本 当社 */
    "",
    "   ",
    "basic.",
    "basics",
    "\xE5\x9F\xBA",                                        /* 基 */
    "recommend",
    "must",
    "IG1",                                                 /* a word kept, no value */
};

START_TEST(test_category_rejected)
{
    const char *in = category_bad[_i];
    ctl_category cat = (ctl_category)99;
    ck_assert_msg(ctl_parse_category(in, strlen(in), &cat) == 0, "'%s' accepted", in);
    ck_assert_int_eq(cat, 99);    /* left alone */
}
END_TEST

START_TEST(test_category_names)
{
    ck_assert_str_eq(ctl_category_ja(CTL_CATEGORY_BASIC), "\xE5\x9F\xBA\xE6\x9C\xAC");
    ck_assert_str_eq(ctl_category_ja(CTL_CATEGORY_RECOMMENDED), "\xE6\x8E\xA8\xE5\xA5\xA8");
    ck_assert_str_eq(ctl_category_ja(CTL_CATEGORY_NONE), "");
    ck_assert_str_eq(ctl_category_en(CTL_CATEGORY_BASIC), "basic");
    ck_assert_str_eq(ctl_category_en(CTL_CATEGORY_RECOMMENDED), "recommended");
    ck_assert_str_eq(ctl_category_en(CTL_CATEGORY_NONE), "");
    ck_assert_str_eq(ctl_category_ja(CTL_CATEGORY_MANDATORY), "\xE5\xBF\x85\xE9\xA0\x88"); /* 必須 */
    ck_assert_str_eq(ctl_category_en(CTL_CATEGORY_MANDATORY), "mandatory");
    /* the names parse back */
    ctl_category cat;
    const char *ja = ctl_category_ja(CTL_CATEGORY_RECOMMENDED);
    ck_assert_int_eq(ctl_parse_category(ja, strlen(ja), &cat), 1);
    ck_assert_int_eq(cat, CTL_CATEGORY_RECOMMENDED);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof *(a)))

static Suite *normalise_suite(void)
{
    Suite *s = suite_create("numbering");
    TCase *tc = tcase_create("number");
    tcase_add_loop_test(tc, test_number_spellings, 0, N(number_ok));
    tcase_add_loop_test(tc, test_number_rest, 0, N(number_rest));
    tcase_add_test(tc, test_number_len_bound);
    tcase_add_test(tc, test_number_exact_empty);
    tcase_add_loop_test(tc, test_number_rejected, 0, N(number_bad));
    tcase_add_test(tc, test_number_dot_then_text);
    tcase_add_test(tc, test_number_id_fits);
    tcase_add_test(tc, test_number_label);
    suite_add_tcase(s, tc);

    tc = tcase_create("isms");
    tcase_add_loop_test(tc, test_isms_ok, 0, N(isms_ok));
    tcase_add_test(tc, test_isms_empty);
    tcase_add_loop_test(tc, test_isms_rejected, 0, N(isms_bad));
    tcase_add_test(tc, test_isms_depth);
    suite_add_tcase(s, tc);

    tc = tcase_create("category");
    tcase_add_loop_test(tc, test_category_ok, 0, N(category_ok));
    tcase_add_loop_test(tc, test_category_rejected, 0, N(category_bad));
    tcase_add_test(tc, test_category_names);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    return run_suite(normalise_suite());
}
