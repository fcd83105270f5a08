/* SPDX-License-Identifier: BSD-2-Clause */
/* The pipeline (converters/pipeline.c): ctl_convert_file tells its caller
 * the formats once they are known (ctl_options.formats_known). */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------- formats_known */

typedef struct {
    int calls;
    const ctl_format *in, *out;
    ctl_status answer;
} seen;

static ctl_status remember(ctl_ctx *ctx, const ctl_format *in, const ctl_format *out, void *user)
{
    (void)ctx;
    seen *s = user;
    s->calls++;
    s->in = in;
    s->out = out;
    return s->answer;
}

/* Converts the seed, written as CSV to a file named *.csv, to JSON. */
static ctl_status convert_with(seen *s, const ctl_format *in_fmt, char *out_path, size_t size)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *seed = read_seed(ctx);
    size_t n;
    ctl_status st;
    char *bytes = write_list(ctx, "csv", seed, NULL, &n, &st);
    assert_ok(ctx, st);
    char in_path[] = "/tmp/ctl-formats-known-XXXXXX.csv";
    int fd = mkstemps(in_path, 4);
    ck_assert(fd >= 0);
    ck_assert(write(fd, bytes, n) == (ssize_t)n);
    close(fd);
    snprintf(out_path, size, "%s.json", in_path);
    ctl_options o;
    ctl_options_init(&o);
    o.formats_known = remember;
    o.formats_known_user = s;
    st = ctl_convert_file(ctx, in_path, in_fmt, out_path, ctl_format_by_name("json"), &o, 0);
    unlink(in_path);
    free(bytes);
    ctl_list_free(seed);
    ctl_ctx_free(ctx);
    return st;
}

START_TEST(formats_known_sees_the_detected_format)
{
    seen s = {0, NULL, NULL, CTL_OK};
    char out[64];
    ck_assert_int_eq(convert_with(&s, NULL, out, sizeof out), CTL_OK);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_ptr_eq(s.in, ctl_format_by_name("csv"));
    ck_assert_ptr_eq(s.out, ctl_format_by_name("json"));
    ck_assert_int_eq(access(out, F_OK), 0);
    unlink(out);
}
END_TEST

START_TEST(formats_known_sees_the_given_format)
{
    seen s = {0, NULL, NULL, CTL_OK};
    char out[64];
    ck_assert_int_eq(convert_with(&s, ctl_format_by_name("csv"), out, sizeof out), CTL_OK);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_ptr_eq(s.in, ctl_format_by_name("csv"));
    unlink(out);
}
END_TEST

START_TEST(formats_known_can_stop_the_conversion)
{
    seen s = {0, NULL, NULL, CTL_EUSAGE};
    char out[64];
    ck_assert_int_eq(convert_with(&s, NULL, out, sizeof out), CTL_EUSAGE);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_int_ne(access(out, F_OK), 0);   /* nothing written */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pipeline");
    TCase *t_formats_known = tcase_create("formats_known");
    tcase_add_test(t_formats_known, formats_known_sees_the_detected_format);
    tcase_add_test(t_formats_known, formats_known_sees_the_given_format);
    tcase_add_test(t_formats_known, formats_known_can_stop_the_conversion);
    suite_add_tcase(s, t_formats_known);
    return run_suite(s);
}
