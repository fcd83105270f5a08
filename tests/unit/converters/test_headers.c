/* SPDX-License-Identifier: BSD-2-Clause */
/* Header words (converters/headers.c): folding and the role a header names. */
#include "support.h"
#include "headers.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Header words: ctl_fold_into and ctl_header_role.
 * ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    const char *folded;
} fold_cases[] = {
    {"ISMS \xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96", "isms\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96"},
    {"\xEF\xBD\x89\xEF\xBD\x93\xEF\xBD\x8D\xEF\xBD\x93", "isms"},          /* ｉｓｍｓ */
    {"\xEF\xBC\xA9\xEF\xBC\xB3\xEF\xBC\xAD\xEF\xBC\xB3\xE3\x80\x80\xE7\xAE\xA1\xE7\x90\x86"
     "\xE7\xAD\x96", "isms\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96"},          /* ＩＳＭＳ　管理策 */
    {"No.", "no."},
    {" Title\t", "title"},
    {"\xE9\xA0\x85\xE7\x95\xAA", "\xE9\xA0\x85\xE7\x95\xAA"},               /* 項番 unchanged */
};

static const struct {
    const char *in;
    ctl_role role;
} role_cases[] = {
    {"ISMS \xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96", CTL_ROLE_ISMS},          /* ISMS 管理策 */
    {"ISMS\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96", CTL_ROLE_ISMS},           /* ISMS管理策 */
    {"\xEF\xBD\x89\xEF\xBD\x93\xEF\xBD\x8D\xEF\xBD\x93", CTL_ROLE_ISMS},   /* ｉｓｍｓ */
    {"isms_refs", CTL_ROLE_ISMS},
    {"\xE9\xA0\x85\xE7\x95\xAA", CTL_ROLE_ID},                             /* 項番 */
    {"No.", CTL_ROLE_ID},
    {" No ", CTL_ROLE_ID},
    {"ID", CTL_ROLE_ID},
    {"label", CTL_ROLE_LABEL},
    {"Level", CTL_ROLE_LEVEL},
    {"\xE5\xAF\xBE\xE7\xAD\x96\xE9\xA0\x85\xE7\x9B\xAE", CTL_ROLE_TITLE}, /* 対策項目 */
    {"Title", CTL_ROLE_TITLE},
    {"\xE5\xAF\xBE\xE7\xAD\x96\xE5\x86\x85\xE5\xAE\xB9", CTL_ROLE_DESCRIPTION}, /* 対策内容 */
    {"\xE5\x8C\xBA\xE5\x88\x86", CTL_ROLE_CATEGORY},                      /* 区分 */
    {"Category", CTL_ROLE_CATEGORY},
    {"\xE5\x85\xAC\xE9\x96\x8B\xE5\x9B\x9E\xE7\xAD\x94", CTL_ROLE_ANSWER}, /* 公開回答 */
    {"Answer", CTL_ROLE_ANSWER},
    {"\xE5\x82\x99\xE8\x80\x83", CTL_ROLE_EXTRA},                         /* 備考 */
    {"", CTL_ROLE_EXTRA},
    {"   ", CTL_ROLE_EXTRA},
    {"ISMS ref", CTL_ROLE_EXTRA},
    /* model v2: the real lists' words (issue 12) */
    {"identifier", CTL_ROLE_ID},
    {"Control ID", CTL_ROLE_ID},
    {"ref_id", CTL_ROLE_ID},
    {"depth", CTL_ROLE_LEVEL},
    {"parent", CTL_ROLE_PARENT},
    {"ISO/IEC 27001:2022", CTL_ROLE_ISMS},   /* a column named after a scheme */
    {"references", CTL_ROLE_ISMS},
    {"importance", CTL_ROLE_CATEGORY},
};

#define N(a) ((int)(sizeof(a) / sizeof *(a)))

START_TEST(test_fold_header)
{
    const char *in = fold_cases[_i].in;
    char f[256];
    ck_assert_int_eq(ctl_fold_into(in, strlen(in), f, sizeof f), (int)strlen(fold_cases[_i].folded));
    ck_assert_str_eq(f, fold_cases[_i].folded);
    /* an output too small is a failure, never a cut word */
    ck_assert_int_eq(ctl_fold_into(in, strlen(in), f, strlen(fold_cases[_i].folded)), -1);
}
END_TEST

/* A word that folds to nothing folds to "". */
START_TEST(test_fold_header_empty)
{
    static const char *const in[] = {"", " ", "\xC2\xA0" /* NO-BREAK SPACE */, "\xE3\x80\x80"};
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) {
        char f[16];
        memset(f, 0xA5, sizeof f);
        /* Regression (was a bug): when every character is white space
         * nothing is added, and the result must still be terminated
         * (ctl_header_role and ctl_parse_category strcmp it). */
        ck_assert_int_eq(ctl_fold_into(in[k], strlen(in[k]), f, sizeof f), 0);
        ck_assert_msg(f[0] == '\0', "folding input %zu gave a non-empty/unterminated string", k);
    }
}
END_TEST

START_TEST(test_header_role)
{
    const char *in = role_cases[_i].in;
    ck_assert_msg(ctl_header_role(in, strlen(in)) == role_cases[_i].role,
                  "'%s': role %d, expected %d", in, (int)ctl_header_role(in, strlen(in)),
                  (int)role_cases[_i].role);
}
END_TEST

/* The canonical header words map back to their roles. */
START_TEST(test_role_names)
{
    for (int r = CTL_ROLE_ID; r < CTL_ROLE_COUNT; r++) {
        const char *en = ctl_role_name_en((ctl_role)r), *ja = ctl_role_name_ja((ctl_role)r);
        ck_assert_msg(ctl_header_role(en, strlen(en)) == (ctl_role)r, "en %s", en);
        if (r != CTL_ROLE_LABEL)   /* 表示番号: see test_role_name_ja_label */
            ck_assert_msg(ctl_header_role(ja, strlen(ja)) == (ctl_role)r, "ja %s", ja);
    }
    ck_assert_str_eq(ctl_role_name_en(CTL_ROLE_ISMS), "isms");
    ck_assert_str_eq(ctl_role_name_ja(CTL_ROLE_ISMS), "ISMS\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96");
    ck_assert_str_eq(ctl_role_name_en(CTL_ROLE_EXTRA), "");
    ck_assert_str_eq(ctl_role_name_en(CTL_ROLE_COUNT), "");
}
END_TEST

/* Regression (was a bug): ctl_role_name_ja(CTL_ROLE_LABEL) is "表示番号", but that word is
 * missing from the table of headers.c, so a column written under the
 * canonical Japanese label header would be read back as an extra column
 * (its English counterpart "label" is recognised). */
START_TEST(test_role_name_ja_label)
{
    const char *ja = ctl_role_name_ja(CTL_ROLE_LABEL);
    ck_assert_str_eq(ja, "\xE8\xA1\xA8\xE7\xA4\xBA\xE7\x95\xAA\xE5\x8F\xB7");  /* 表示番号 */
    ck_assert_int_eq(ctl_header_role(ja, strlen(ja)), CTL_ROLE_LABEL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("headers");
    TCase *t_headers = tcase_create("headers");
    tcase_add_loop_test(t_headers, test_fold_header, 0, N(fold_cases));
    tcase_add_test(t_headers, test_fold_header_empty);
    tcase_add_loop_test(t_headers, test_header_role, 0, N(role_cases));
    tcase_add_test(t_headers, test_role_names);
    tcase_add_test(t_headers, test_role_name_ja_label);
    suite_add_tcase(s, t_headers);
    return run_suite(s);
}
