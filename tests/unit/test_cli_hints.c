/* SPDX-License-Identifier: BSD-2-Clause */
/* The CLI's words for the library's hints (converters/cli/main.c
 * hint_text): every hint a diagnostic carries has an option to name.  The
 * program's source is compiled in here, its main renamed. */
#define main ctlconv_cli_main
#include "../../converters/cli/main.c"
#undef main

#include "support.h"

/* Every hint but NONE has words naming an option ("--...", "-f"). */
START_TEST(every_hint_has_words)
{
    char buf[128];
    for (int h = CTL_HINT_NONE + 1; h < CTL_HINT_COUNT; h++) {
        const char *t = hint_words((ctl_hint)h, CTL_LIMIT_INPUT_SIZE, buf, sizeof buf);
        ck_assert_msg(strstr(t, " (") == t && (strstr(t, "--") || strstr(t, " -")), "hint %d has no CLI words: '%s'", h, t);
    }
    ck_assert_str_eq(hint_words(CTL_HINT_NONE, CTL_LIMIT_COUNT, buf, sizeof buf), "");
}
END_TEST

/* Every code whose hint is not NONE gets words. */
START_TEST(every_code_with_a_hint_has_words)
{
    char buf[128];
    for (int c = 0; c < CTL_DIAG_COUNT; c++) {
        if (ctl_diag_hint((ctl_diag)c) == CTL_HINT_NONE) continue;
        const char *t = hint_text((ctl_diag)c, CTL_LIMIT_INPUT_SIZE, buf, sizeof buf);
        ck_assert_msg(*t, "code %s has a hint but no CLI words", ctl_diag_name((ctl_diag)c));
    }
}
END_TEST

START_TEST(bad_row_names_skip_bad_rows)
{
    char buf[128];
    ck_assert_int_eq(ctl_diag_hint(CTL_D_BAD_ROW), CTL_HINT_SKIP);
    ck_assert_ptr_nonnull(strstr(hint_text(CTL_D_BAD_ROW, CTL_LIMIT_COUNT, buf, sizeof buf), "--skip-bad-rows"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli_hints");
    TCase *tc = tcase_create("hints");
    tcase_add_test(tc, every_hint_has_words);
    tcase_add_test(tc, every_code_with_a_hint_has_words);
    tcase_add_test(tc, bad_row_names_skip_bad_rows);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
