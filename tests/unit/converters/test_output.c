/* SPDX-License-Identifier: BSD-2-Clause */
/* Files in and out: an input file that shrinks or changes while it is read
 * (cut in between by a test hook), the descriptors an output path names,
 * the table of temporary files a signal handler empties, and conversions
 * into a file that fail leaving nothing behind. */
#include "support.h"
#include "internal.h"
#include "output.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/ctl-output-XXXXXX";
static char path[256];
static enum { HOOK_TRUNCATE_AT_OPEN, HOOK_TRUNCATE_AFTER_READ, HOOK_REWRITE } hook_does;

static void make_file(size_t size)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < size; i++) fputc('a' + (int)(i % 26), f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Changes the file under ctl_read_file, as another process would. */
static void hook(const char *name, size_t done)
{
    (void)name;
    if (hook_does == HOOK_TRUNCATE_AT_OPEN && done == 0) ck_assert_int_eq(truncate(path, 1000), 0);
    if (hook_does == HOOK_TRUNCATE_AFTER_READ && done > 0) ck_assert_int_eq(truncate(path, 1000), 0);
    if (hook_does == HOOK_REWRITE && done > 0) {
        /* same size, new bytes and a new modification time */
        int fd = open(path, O_WRONLY);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(pwrite(fd, "ZZZZ", 4, 10), 4);
        struct timespec t[2] = {{0, UTIME_OMIT}, {12345, 0}};
        ck_assert_int_eq(futimens(fd, t), 0);
        close(fd);
    }
}

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/in.txt", dir);
}

static void teardown(void)
{
    ctl_test_read_hook(NULL);
    unlink(path);
    rmdir(dir);
    strcpy(dir, "/tmp/ctl-output-XXXXXX");
}

static ctl_status read_changing(int what, ctl_ctx *ctx)
{
    unsigned char *data = (unsigned char *)"unset";
    size_t len = 99;
    make_file(300000);
    hook_does = what;
    ctl_test_read_hook(hook);
    ctl_status st = ctl_read_file(ctx, path, 0, &data, &len);
    ctl_test_read_hook(NULL);
    if (st != CTL_OK) {
        ck_assert_ptr_null(data);
        ck_assert_uint_eq(len, 0);
    }
    ctl_free(data);
    return st;
}

START_TEST(cut_between_open_and_read)
{
    ck_assert_int_eq(read_changing(HOOK_TRUNCATE_AT_OPEN, ctx), CTL_EIO);
    ck_assert_str_eq(ctl_error_file(ctx), path);
    assert_error_code(ctx, CTL_D_INPUT_CHANGED);
    ck_assert_ptr_nonnull(strstr(ctl_error_message(ctx), "changed while it was read (300000 bytes expected, 1000 read)"));
}
END_TEST

START_TEST(cut_while_read)
{
    ck_assert_int_eq(read_changing(HOOK_TRUNCATE_AFTER_READ, ctx), CTL_EIO);
    assert_error_code(ctx, CTL_D_INPUT_CHANGED);
}
END_TEST

START_TEST(rewritten_while_read)
{
    ck_assert_int_eq(read_changing(HOOK_REWRITE, ctx), CTL_EIO);
    assert_error_code(ctx, CTL_D_INPUT_CHANGED);
}
END_TEST

START_TEST(unchanged_file_reads_whole)
{
    unsigned char *data;
    size_t len;
    make_file(300000);
    assert_ok(ctx, ctl_read_file(ctx, path, 0, &data, &len));
    ck_assert_uint_eq(len, 300000);
    ck_assert_int_eq(data[len], 0);
    ck_assert_int_eq(data[299999], 'a' + 299999 % 26);
    ctl_free(data);
    /* over the limit: refused before reading */
    ck_assert_int_eq(ctl_read_file(ctx, path, 299999, &data, &len), CTL_ELIMIT);
    assert_ok(ctx, ctl_read_file(ctx, path, 300000, &data, &len));
    ctl_free(data);
}
END_TEST

START_TEST(empty_file)
{
    unsigned char *data;
    size_t len = 1;
    make_file(0);
    assert_ok(ctx, ctl_read_file(ctx, path, 0, &data, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(data);
    ctl_free(data);
}
END_TEST

START_TEST(descriptors)
{
    ck_assert_int_eq(ctl_output_descriptor(NULL), 1);
    ck_assert_int_eq(ctl_output_descriptor("-"), 1);
    ck_assert_int_eq(ctl_output_descriptor("/dev/stdout"), 1);
    ck_assert_int_eq(ctl_output_descriptor("/dev/stderr"), 2);
    ck_assert_int_eq(ctl_output_descriptor("/dev/fd/3"), 3);
    ck_assert_int_eq(ctl_output_descriptor("/proc/self/fd/12"), 12);
    ck_assert_int_eq(ctl_output_descriptor("/dev/fd/"), -1);
    ck_assert_int_eq(ctl_output_descriptor("/dev/fd/3x"), -1);
    ck_assert_int_eq(ctl_output_descriptor("/dev/fd/99999999999"), -1);
    ck_assert_int_eq(ctl_output_descriptor("out.csv"), -1);
    ck_assert_int_eq(ctl_output_descriptor("/dev/null"), -1);
}
END_TEST

/* What ctl_remove_temporaries leaves of a directory. */
static int entries(const char *d)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", d);
    FILE *p = popen(cmd, "r");
    int n = -1;
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

START_TEST(temporaries_removed)
{
    char *tmpdir = NULL;
    setenv("TMPDIR", dir, 1);
    assert_ok(ctx, ctl_temp_dir_create(ctx, "x", &tmpdir));
    char inner[512];
    snprintf(inner, sizeof inner, "%s/a", tmpdir);
    fclose(fopen(inner, "w"));
    snprintf(inner, sizeof inner, "%s/b", tmpdir);
    fclose(fopen(inner, "w"));
    /* an output staged beside its target */
    char target[300];
    snprintf(target, sizeof target, "%s/out.csv", dir);
    ctl_output *o;
    assert_ok(ctx, ctl_output_open(ctx, target, &o));
    ck_assert_int_eq(entries(dir), 2);
    ctl_remove_temporaries();
    ck_assert_int_eq(entries(dir), 0);
    ctl_output_close(o);
    ctl_temp_dir_remove(tmpdir);
    unsetenv("TMPDIR");
}
END_TEST

START_TEST(failed_conversion_leaves_nothing)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_options opts;
    ctl_options_init(&opts);
    char target[300];
    snprintf(target, sizeof target, "%s/out.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("not a control list\n", f);
    fclose(f);
    ck_assert_int_ne(ctl_convert_file(ctx, path, NULL, target, ctl_format_by_name("csv"), &opts, 0), CTL_OK);
    unlink(path);
    ck_assert_int_eq(entries(dir), 0);
    ctl_ctx_free(ctx);
    ctx = ctl_ctx_new();
    ck_assert_int_eq(ctl_convert_file(ctx, SEED_PATH, NULL, "", ctl_format_by_name("csv"), &opts, 0), CTL_EUSAGE);
    ctl_ctx_free(ctx);
    /* an input named "": a usage error, before the output is made */
    ctx = ctl_ctx_new();
    ck_assert_int_eq(ctl_convert_file(ctx, "", NULL, target, ctl_format_by_name("csv"), &opts, 0), CTL_EUSAGE);
    ck_assert_int_eq(entries(dir), 0);
    unsigned char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(ctl_read_file(ctx, "", 0, &data, &len), CTL_EUSAGE);
    ctl_ctx_free(ctx);
}
END_TEST

/* With standard input or output closed, the files ctlconv opens do not
 * take their descriptors: reading "-" is not reading the staged output,
 * writing "-" is not writing the input. */
START_TEST(closed_standard_descriptors)
{
    ctl_options opts;
    ctl_options_init(&opts);
    char target[300];
    snprintf(target, sizeof target, "%s/out.csv", dir);
    ctl_ctx *ctx = ctl_ctx_new();
    int saved = dup(0);
    close(0);
    ctl_status st = ctl_convert_file(ctx, "-", NULL, target, ctl_format_by_name("csv"), &opts, 0);
    dup2(saved, 0);
    close(saved);
    ck_assert_int_eq(st, CTL_EIO);
    ck_assert_int_eq(entries(dir), 0);
    ctl_ctx_free(ctx);

    ctx = ctl_ctx_new();
    fflush(stdout);
    saved = dup(1);
    close(1);
    st = ctl_convert_file(ctx, SEED_PATH, NULL, "-", ctl_format_by_name("csv"), &opts, 0);
    dup2(saved, 1);
    close(saved);
    ck_assert_int_eq(st, CTL_EIO);
    assert_error_code(ctx, CTL_D_IO_ERROR);
    ck_assert_str_eq(ctl_error_message(ctx), "standard output is closed");
    ctl_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("files");
    use_ctx_fixture(tc);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, cut_between_open_and_read);
    tcase_add_test(tc, cut_while_read);
    tcase_add_test(tc, rewritten_while_read);
    tcase_add_test(tc, unchanged_file_reads_whole);
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, descriptors);
    tcase_add_test(tc, temporaries_removed);
    tcase_add_test(tc, failed_conversion_leaves_nothing);
    tcase_add_test(tc, closed_standard_descriptors);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
