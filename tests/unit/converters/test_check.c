/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl_check (converters/check.c): each rule on small lists, with the cases
 * it must not report. */
#include "support.h"

#include <stdio.h>
#include <string.h>

/* A CSV list: a section I.1 and controls I.1.1 ... with the given rows
 * after the header (id,isms,title,description,category,answer). */
static ctl_ctx *checked(const char *rows)
{
    char csv[4096];
    snprintf(csv, sizeof csv, "id,isms,title,description,category,answer\n"
             "I.1,,Section,,,\n%s", rows);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, "csv", csv, &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_int_eq(ctl_check(ctx, l), CTL_OK);
    ctl_list_free(l);
    return ctx;
}

/* Six well-formed controls; prefix is put before I.1.1's row. */
#define GOOD(a1, c3, t4, ans6) \
    "I.1.1," a1 ",A,Measure a," c3 ",\n" \
    "I.1.2,A.5.1.2,B,Measure b,基本,\n" \
    "I.1.3,A.5.1.1,C,Measure c,基本,\n" \
    "I.1.4,A.6.1.1," t4 ",Measure d,推奨,\n" \
    "I.1.5,A.6.1.2,E,Measure e,推奨,\n" \
    "I.1.6,A.6.1.3,F,Measure f,基本," ans6 "\n"

static void only(ctl_ctx *ctx, ctl_diag code, size_t n)
{
    ck_assert_uint_eq(ctl_warning_count_of(ctx, code), n);
    ck_assert_uint_eq(ctl_warning_count(ctx), n);
}

START_TEST(clean_list_has_no_finding)
{
    ctl_ctx *ctx = checked(GOOD("A.5.1.1", "基本", "D", "-1"));
    only(ctx, CTL_D_NUMBER_GAP, 0);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(gap_and_disorder)
{
    ctl_ctx *ctx = checked("I.1.1,,A,x,基本,\nI.1.3,,C,x,基本,\nI.1.2,,B,x,基本,\n");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_NUMBER_GAP), 1);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_NUMBER_DISORDER), 1);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "I.1.3");
    ck_assert_int_eq(ctl_warning_line(ctx, 0), 4);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(no_gap_across_prefixes_or_non_numbers)
{
    ctl_ctx *ctx = checked("I.1.1,,A,x,基本,\nI.1.1a,,B,x,基本,\n");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_NUMBER_GAP), 0);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(missing_category_and_measure)
{
    ctl_ctx *ctx = checked(GOOD("A.5.1.1", "", "D", ""));
    only(ctx, CTL_D_NO_CATEGORY, 1);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "I.1.1");
    ctl_ctx_free(ctx);
    /* a list where most requirements have none: not reported */
    ctx = checked("I.1.1,,A,,,\nI.1.2,,B,,,\nI.1.3,,C,x,基本,\n");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    ctl_ctx_free(ctx);
    /* the section (it has children) needs no measure */
    ctx = checked("I.1.1,,A,,基本,\nI.1.2,,B,x,基本,\nI.1.3,,C,x,基本,\nI.1.4,,D,x,基本,\nI.1.5,,E,x,基本,\n");
    only(ctx, CTL_D_NO_MEASURE, 1);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(unusual_category)
{
    ctl_ctx *ctx = checked(GOOD("A.5.1.1", "基本", "D", "") "I.1.7,,G,x,基本,\nI.1.8,,H,x,推奨,\n"
                           "I.1.9,,I,x,基本,\nI.1.10,,J,x,きほん,\n");
    only(ctx, CTL_D_CATEGORY_UNUSUAL, 1);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "I.1.10");
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(unknown_reference)
{
    ctl_ctx *ctx = checked(GOOD("A.9.4.6", "基本", "D", ""));
    only(ctx, CTL_D_REF_UNKNOWN, 1);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "I.1.1");
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(mojibake_signs)
{
    const char *bad[] = {"繧ｳ繝ｳ繝斐Η繝ｼ繧ｿ", "r\xc3\x83\xc2\xa9sum\xc3\x83\xc2\xa9", "it\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s",
                         "\xe2\x80\x9a\xc2\xa0\xe2\x80\x9a\xc2\xa2", "x\xef\xbf\xbdy"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char rows[2048];
        snprintf(rows, sizeof rows, GOOD("A.5.1.1", "基本", "%s", ""), bad[i]);
        ctl_ctx *ctx = checked(rows);
        only(ctx, CTL_D_MOJIBAKE, 1);
        ck_assert_str_eq(ctl_warning_item(ctx, 0), "I.1.4");
        ctl_ctx_free(ctx);
    }
    const char *good[] = {"café – naïve résumé «ok»", "情報セキュリティ・基本方針", "Ärger über Öl", "© 2024 ± 5"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char rows[2048];
        snprintf(rows, sizeof rows, GOOD("A.5.1.1", "基本", "%s", ""), good[i]);
        ctl_ctx *ctx = checked(rows);
        only(ctx, CTL_D_MOJIBAKE, 0);
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(formula_cells)
{
    const char *bad[] = {"=1+1", "@SUM(A1)", "+81 3 1234", "-対策済み", "- bullet"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char rows[2048];
        snprintf(rows, sizeof rows, GOOD("A.5.1.1", "基本", "D", "\"%s\""), bad[i]);
        ctl_ctx *ctx = checked(rows);
        only(ctx, CTL_D_FORMULA_RISK, 1);
        ck_assert_str_eq(ctl_warning_item(ctx, 0), "I.1.6");
        ctl_ctx_free(ctx);
    }
    const char *good[] = {"-1", "+2.5", "-", "・対策済み", "a=b"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char rows[2048];
        snprintf(rows, sizeof rows, GOOD("A.5.1.1", "基本", "D", "\"%s\""), good[i]);
        ctl_ctx *ctx = checked(rows);
        only(ctx, CTL_D_FORMULA_RISK, 0);
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(seed_has_no_finding_of_check)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *l = read_seed(ctx);
    size_t before = ctl_warning_count(ctx);
    ck_assert_int_eq(ctl_check(ctx, l), CTL_OK);
    ck_assert_uint_eq(ctl_warning_count(ctx), before);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("check");
    tcase_add_test(tc, clean_list_has_no_finding);
    tcase_add_test(tc, gap_and_disorder);
    tcase_add_test(tc, no_gap_across_prefixes_or_non_numbers);
    tcase_add_test(tc, missing_category_and_measure);
    tcase_add_test(tc, unusual_category);
    tcase_add_test(tc, unknown_reference);
    tcase_add_test(tc, mojibake_signs);
    tcase_add_test(tc, formula_cells);
    tcase_add_test(tc, seed_has_no_finding_of_check);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
