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

/* ------------------------------------------- several outputs at once */

/* Two outputs of one reading are the bytes of two single conversions, and
 * the context counts the items read once. */
START_TEST(convert_files_writes_each_output_as_alone)
{
    char dir[] = "/tmp/ctl-multi-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char csv[64], json[64], csv1[64], json1[64];
    snprintf(csv, sizeof csv, "%s/a.csv", dir);
    snprintf(json, sizeof json, "%s/a.json", dir);
    snprintf(csv1, sizeof csv1, "%s/b.csv", dir);
    snprintf(json1, sizeof json1, "%s/b.json", dir);
    const char *paths[] = {csv, json};
    const ctl_format *fmts[] = {ctl_format_by_name("csv"), ctl_format_by_name("json")};
    ctl_options o;
    ctl_options_init(&o);
    ctl_ctx *ctx = ctl_ctx_new();
    assert_ok(ctx, ctl_convert_files(ctx, SEED_PATH, NULL, 2, paths, fmts, &o, 0));
    ck_assert_uint_eq(ctl_items_read(ctx), 160);
    ctl_ctx_free(ctx);
    for (int i = 0; i < 2; i++) {
        ctx = ctl_ctx_new();
        assert_ok(ctx, ctl_convert_file(ctx, SEED_PATH, NULL, i ? json1 : csv1, fmts[i], &o, 0));
        ck_assert_uint_eq(ctl_items_read(ctx), 160);
        ctl_ctx_free(ctx);
    }
    size_t na, nb;
    for (int i = 0; i < 2; i++) {
        unsigned char *a = slurp(i ? json : csv, &na), *b = slurp(i ? json1 : csv1, &nb);
        ck_assert(a && b && na == nb && na > 1000 && !memcmp(a, b, na));
        free(a);
        free(b);
    }
    unlink(csv), unlink(json), unlink(csv1), unlink(json1), rmdir(dir);
}
END_TEST

/* A writer that fails leaves no output at all: not even the one whose
 * writer finished (all outputs or none). */
START_TEST(convert_files_all_or_none)
{
    char dir[] = "/tmp/ctl-multi-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char in[64], json[64], csv[64];
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    snprintf(csv, sizeof csv, "%s/out.csv", dir);
    FILE *f = fopen(in, "w");
    fputs("id,title\n1,first\n2,\xF0\x9F\x98\x80 no CP932 for this\n", f);
    fclose(f);
    const char *paths[] = {json, csv};
    const ctl_format *fmts[] = {ctl_format_by_name("json"), ctl_format_by_name("csv")};
    ctl_options o;
    ctl_options_init(&o);
    o.out_encoding = CTL_OUT_CP932;
    ctl_ctx *ctx = ctl_ctx_new();
    ck_assert_int_eq(ctl_convert_files(ctx, in, NULL, 2, paths, fmts, &o, 0), CTL_EINPUT);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_CP932_UNWRITABLE);
    ck_assert_int_ne(access(json, F_OK), 0);
    ck_assert_int_ne(access(csv, F_OK), 0);
    ctl_ctx_free(ctx);
    /* the same path twice is refused before anything is read */
    ctx = ctl_ctx_new();
    const char *twice[] = {json, json};
    const ctl_format *two[] = {fmts[0], fmts[0]};
    ck_assert_int_eq(ctl_convert_files(ctx, in, NULL, 2, twice, two, &o, 0), CTL_EUSAGE);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_BAD_ARGUMENT);
    ctl_ctx_free(ctx);
    unlink(in), rmdir(dir);
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
    TCase *t_multi = tcase_create("convert_files");
    tcase_add_test(t_multi, convert_files_writes_each_output_as_alone);
    tcase_add_test(t_multi, convert_files_all_or_none);
    suite_add_tcase(s, t_multi);
    return run_suite(s);
}
