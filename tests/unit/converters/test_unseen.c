/* SPDX-License-Identifier: BSD-2-Clause */
/* Lists of the real families in shapes outside the development set
 * (issue 12 review): ids printed with the hyphens word processors and IMEs
 * make, dates written day or month first, the header words of Korean and
 * Japanese lists and of GRC exports (converters/numbering.c,
 * converters/headers.c). */
#include "support.h"
#include "headers.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *in, *id;
} hyphenated[] = {
    {"AC\xE2\x80\x90" "2(1)", "AC-2(1)"},             /* U+2010 HYPHEN */
    {"A&A\xE2\x80\x91" "01", "A&A-01"},               /* U+2011 NON-BREAKING HYPHEN */
    {"1\xE2\x88\x92" "1\xE2\x88\x92" "1", "1-1-1"},   /* U+2212 MINUS SIGN */
    {"2.1.1(1)\xEF\xB9\xA3" "1", "2.1.1(1)-1"},       /* U+FE63 SMALL HYPHEN-MINUS */
};

START_TEST(hyphens_are_joiners)
{
    char id[CTL_ID_MAX];
    const char *in = hyphenated[_i].in;
    ck_assert_msg(ctl_parse_id(in, strlen(in), id) == 1, "'%s' refused", in);
    ck_assert_str_eq(id, hyphenated[_i].id);
}
END_TEST

/* Dashes mark ranges and asides, not joins. */
START_TEST(dashes_are_not_joiners)
{
    char id[CTL_ID_MAX];
    ck_assert(!ctl_parse_id("A.5.1\xE2\x80\x93" "A.5.3", 13, id));   /* EN DASH */
    ck_assert(!ctl_parse_id("AC\xE2\x80\x94" "2", 6, id));            /* EM DASH */
}
END_TEST

static const char *const dates[] = {
    "15.03.2024", "1.3.2024", "03-15-2024", "3-15-2024", "31.12.1999", "12.31.2099",
};

START_TEST(dates_with_the_year_last_are_no_ids)
{
    char id[CTL_ID_MAX] = "unchanged";
    ck_assert_msg(!ctl_parse_id(dates[_i], strlen(dates[_i]), id), "'%s' taken as '%s'", dates[_i], id);
}
END_TEST

/* Codes that look a little like them stay codes. */
static const char *const not_dates[] = {
    "15.13.2024",   /* no month */
    "32.1.2024",    /* no day */
    "1.1.2100",     /* past the years taken */
    "1.1.1899",
    "15.03.24",     /* a two-digit year: a code */
    "1.2-2024",     /* mixed separators */
    "1.1.1.2024",
    "10.1.2024.1",
};

START_TEST(codes_like_dates_stay_ids)
{
    char id[CTL_ID_MAX];
    ck_assert_msg(ctl_parse_id(not_dates[_i], strlen(not_dates[_i]), id) == 1, "'%s' refused", not_dates[_i]);
    ck_assert_str_eq(id, not_dates[_i]);
}
END_TEST

static const struct {
    const char *in;
    ctl_role role;
} words[] = {
    {"\xEC\x83\x81\xEC\x84\xB8\xEB\x82\xB4\xEC\x9A\xA9", CTL_ROLE_DESCRIPTION},                 /* 상세내용 */
    {"\xEC\x83\x81\xEC\x84\xB8 \xEB\x82\xB4\xEC\x9A\xA9", CTL_ROLE_DESCRIPTION},                /* 상세 내용 */
    {"\xEC\x84\xA4\xEB\xAA\x85", CTL_ROLE_DESCRIPTION},                                         /* 설명 */
    {"\xED\x86\xB5\xEC\xA0\x9C\xEB\xB2\x88\xED\x98\xB8", CTL_ROLE_ID},                          /* 통제번호 */
    {"\xEC\x9D\xB8\xEC\xA6\x9D\xEA\xB8\xB0\xEC\xA4\x80 \xEB\xB2\x88\xED\x98\xB8", CTL_ROLE_ID}, /* 인증기준 번호 */
    {"\xE8\xA9\xB3\xE7\xB4\xB0\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96", CTL_ROLE_DESCRIPTION},     /* 詳細管理策 */
    {"\xE8\xA9\xB3\xE7\xB4\xB0\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96\xE7\x95\xAA\xE5\x8F\xB7",
     CTL_ROLE_ID},                                                                            /* 詳細管理策番号 */
    /* the id columns of statements of applicability and GRC exports */
    {"Ref.", CTL_ROLE_ID},
    {"Ref #", CTL_ROLE_ID},
    {"ID #", CTL_ROLE_ID},
    {"Control #", CTL_ROLE_ID},
    {"Control Ref", CTL_ROLE_ID},
    {"Ctrl ID", CTL_ROLE_ID},
    {"Req #", CTL_ROLE_ID},
    /* a column of NIST SP 800-53 rev. 5 references, as mapping sheets head it */
    {"NIST SP 800-53 Rev. 5", CTL_ROLE_ISMS},
    {"NIST SP 800-53r5", CTL_ROLE_ISMS},
};

START_TEST(header_words_of_other_producers)
{
    const char *in = words[_i].in;
    ck_assert_msg(ctl_header_role(in, strlen(in)) == words[_i].role, "'%s': role %d, want %d", in,
                  (int)ctl_header_role(in, strlen(in)), (int)words[_i].role);
}
END_TEST

START_TEST(nist_revision_names_the_scheme)
{
    ck_assert_str_eq(ctl_scheme_name("NIST SP 800-53 Rev. 5", 21), "nist-sp800-53");
    ck_assert_str_eq(ctl_scheme_name("nist sp 800-53 r5", 17), "nist-sp800-53");
}
END_TEST

/* ISMAP 管理基準 as a Japanese spreadsheet: the detailed control's text is
 * the description, under the controls made headings. */
START_TEST(ismap_in_japanese_reads_its_detail_text)
{
    static const char csv[] =
        "\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96\xE7\x95\xAA\xE5\x8F\xB7,"                          /* 管理策番号 */
        "\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96,"                                                  /* 管理策 */
        "\xE8\xA9\xB3\xE7\xB4\xB0\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96\xE7\x95\xAA\xE5\x8F\xB7," /* 詳細管理策番号 */
        "\xE8\xA9\xB3\xE7\xB4\xB0\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96\r\n"                      /* 詳細管理策 */
        "5.1.1,P,5.1.1.1.PB,D1\r\n"
        "5.1.1,P,5.1.1.2.B,D2\r\n"
        "5.1.2,R,5.1.2.1.PB,D3\r\n"
        "5.1.2,R,5.1.2.2,D4\r\n";
    ctl_status st;
    list = read_bytes(ctx, "csv", csv, strlen(csv), NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 6);
    ck_assert_str_eq(list->items[0].id, "5.1.1");
    ck_assert_str_eq(list->items[1].id, "5.1.1.1.PB");
    ck_assert_str_eq(list->items[1].parent, "5.1.1");
    ck_assert_str_eq(list->items[1].description, "D1");
    ck_assert_str_eq(list->items[5].description, "D4");
    ck_assert_uint_eq(list->items[5].n_extra, 0);
}
END_TEST

/* A column of review dates beside the ids is no id column, wherever it
 * stands. */
START_TEST(a_column_of_dates_is_not_the_ids)
{
    static const char csv[] =
        "Title,Reviewed,Control\n"
        "Policies,15.03.2024,A.5.1\n"
        "Roles,16.03.2024,A.5.2\n"
        "Segregation,17.03.2024,A.5.3\n";
    ctl_status st;
    list = read_bytes(ctx, "csv", csv, strlen(csv), NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 3);
    ck_assert_str_eq(list->items[0].id, "A.5.1");
    ck_assert_str_eq(list->items[2].id, "A.5.3");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("unseen");
    TCase *tc = tcase_create("unseen");
    use_ctx_fixture(tc);
    tcase_add_loop_test(tc, hyphens_are_joiners, 0, sizeof hyphenated / sizeof *hyphenated);
    tcase_add_test(tc, dashes_are_not_joiners);
    tcase_add_loop_test(tc, dates_with_the_year_last_are_no_ids, 0, sizeof dates / sizeof *dates);
    tcase_add_loop_test(tc, codes_like_dates_stay_ids, 0, sizeof not_dates / sizeof *not_dates);
    tcase_add_loop_test(tc, header_words_of_other_producers, 0, sizeof words / sizeof *words);
    tcase_add_test(tc, nist_revision_names_the_scheme);
    tcase_add_test(tc, ismap_in_japanese_reads_its_detail_text);
    tcase_add_test(tc, a_column_of_dates_is_not_the_ids);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
