/* SPDX-License-Identifier: BSD-2-Clause */
/* Rules shared by the GRC exports (converters/grc.c, issue 13): ids as
 * OSCAL tokens and back, the date an export states, the name in URNs. */
#include "support.h"
#include "grc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static const struct {
    const char *id, *token;
} tokens[] = {
    {"II.1.1.1", "II.1.1.1"},           /* MIC: a token already */
    {"A.5.1.1", "A.5.1.1"},
    {"ac-2.1", "ac-2.1"},               /* NIST's own ids */
    {"AIS-01", "AIS-01"},
    {"A_1", "A_1"},                     /* '_' inside a token is kept */
    {"1.1", "_1.1"},                    /* a digit first */
    {"9.2.3.11.PB", "_9.2.3.11.PB"},
    {"AC-2(1)", "_AC-2_o1_c"},
    {"2.1.1(1)-1", "_2.1.1_o1_c-1"},
    {"A&A-01", "_A_aA-01"},
    {"3#1#2", "_3_h1_h2"},
    {"II.1#2", "_II.1_h2"},
    {"1_2", "_1__2"},
    {"a/b+c", "_a_sb_pc"},
    {"\xE2\x85\xA1.1", "__u002161.1"},   /* Ⅱ.1: U+2161 is no letter */
    {"\xE5\x9F\xBA" "1", "__u0057fa1"},  /* 基1: no Japanese in a token */
    {"\xF0\x9F\x98\x80", "__u01f600"},
};

START_TEST(ids_as_tokens)
{
    ctl_buf b = {0};
    ck_assert(ctl_oscal_token(tokens[_i].id, &b));
    ck_assert_str_eq(b.data, tokens[_i].token);
    ck_assert_int_eq(ctl_oscal_id(tokens[_i].token, &b), 1);
    ck_assert_str_eq(b.data, tokens[_i].id);
    ctl_buf_free(&b);
}
END_TEST

/* Tokens made elsewhere that are no escape of ours stay as they are. */
START_TEST(foreign_tokens_kept)
{
    static const char *foreign[] = {"_", "_x", "_ab_q", "_u12", "_u00d800", "_u110000", "_a_", "a b"};
    ctl_buf b = {0};
    for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
        ck_assert_msg(ctl_oscal_id(foreign[i], &b) == 0, "%s", foreign[i]);
        ck_assert_str_eq(b.data, foreign[i]);
    }
    ctl_buf_free(&b);
}
END_TEST

static const struct {
    const char *given, *out;   /* out NULL: refused */
} dates[] = {
    {"2026-12-01", "2026-12-01T00:00:00Z"},
    {"2024-02-29", "2024-02-29T00:00:00Z"},
    {"2026-12-01T09:00:00+09:00", "2026-12-01T09:00:00+09:00"},
    {"2026-12-01T09:00:00.125Z", "2026-12-01T09:00:00.125Z"},
    {"2026-12-01T09:00:00", NULL},      /* no zone */
    {"2023-02-29", NULL},
    {"2026-13-01", NULL},
    {"2026-12-01T24:00:00Z", NULL},
    {"12/01/2026", NULL},
    {"", NULL},
    {"2026-12-01T09:00:00+9:00", NULL},
};

START_TEST(dates_given)
{
    char out[CTL_DATE_MAX];
    ctl_status st = ctl_date_resolve(ctx, dates[_i].given, NULL, out);
    if (dates[_i].out) {
        assert_ok(ctx, st);
        ck_assert_str_eq(out, dates[_i].out);
    } else {
        ck_assert_int_eq(st, CTL_EUSAGE);
        assert_error_code(ctx, CTL_D_BAD_ARGUMENT);
    }
}
END_TEST

START_TEST(dates_from_the_environment_then_the_file)
{
    char out[CTL_DATE_MAX];
    setenv("SOURCE_DATE_EPOCH", "1764547200", 1);
    assert_ok(ctx, ctl_date_resolve(ctx, NULL, SEED_PATH, out));
    ck_assert_str_eq(out, "2025-12-01T00:00:00Z");
    ck_assert_int_eq(ctl_warning_count(ctx), 0);
    setenv("SOURCE_DATE_EPOCH", "12x", 1);
    ck_assert_int_eq(ctl_date_resolve(ctx, NULL, SEED_PATH, out), CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_BAD_ARGUMENT);
    unsetenv("SOURCE_DATE_EPOCH");

    char path[] = "/tmp/ctl-grc-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    struct utimbuf t = {1700000000, 1700000000};
    ck_assert_int_eq(utime(path, &t), 0);
    ctl_ctx *c2 = ctl_ctx_new();
    assert_ok(c2, ctl_date_resolve(c2, NULL, path, out));
    ck_assert_str_eq(out, "2023-11-14T22:13:20Z");
    ck_assert_int_eq(ctl_warning_count(c2), 0);
    unlink(path);
    /* standard input: the clock, with a warning */
    assert_ok(c2, ctl_date_resolve(c2, NULL, "-", out));
    ck_assert_int_eq(ctl_warning_count_of(c2, CTL_D_DATE_FROM_CLOCK), 1);
    ck_assert_int_eq((int)strlen(out), 20);
    ctl_ctx_free(c2);
}
END_TEST

START_TEST(names_in_urns)
{
    char out[CTL_LIBRARY_MAX];
    ctl_library_name("dir/MIC ANNEX2 (v3).txt", out);
    ck_assert_str_eq(out, "mic-annex2-v3");
    ctl_library_name("samples/mic-cloud-guideline-v3-annex2-provider.txt", out);
    ck_assert_str_eq(out, "mic-cloud-guideline-v3-annex2-provider");
    ctl_library_name("-", out);
    ck_assert_str_eq(out, "list");
    ctl_library_name(NULL, out);
    ck_assert_str_eq(out, "list");
    ctl_library_name("\xE5\xAF\xBE\xE7\xAD\x96.csv", out);   /* 対策.csv */
    ck_assert_str_eq(out, "list");
    ctl_library_name(".hidden", out);
    ck_assert_str_eq(out, "hidden");
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ctl_library_name(longname, out);
    ck_assert_uint_eq(strlen(out), CTL_LIBRARY_MAX - 1);
    ck_assert(ctl_library_name_ok("mic-v3"));
    ck_assert(!ctl_library_name_ok("MIC"));
    ck_assert(!ctl_library_name_ok("-a"));
    ck_assert(!ctl_library_name_ok(""));
    ck_assert(!ctl_library_name_ok("a b"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("grc");
    TCase *tc = tcase_create("grc");
    use_ctx_fixture(tc);
    tcase_add_loop_test(tc, ids_as_tokens, 0, sizeof tokens / sizeof *tokens);
    tcase_add_test(tc, foreign_tokens_kept);
    tcase_add_loop_test(tc, dates_given, 0, sizeof dates / sizeof *dates);
    tcase_add_test(tc, dates_from_the_environment_then_the_file);
    tcase_add_test(tc, names_in_urns);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
