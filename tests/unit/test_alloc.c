/* SPDX-License-Identifier: BSD-2-Clause */
/* Allocation failure, SQLite's way: for every N along a conversion of the
 * seed, the N-th allocation of ctlconv's own code fails; the conversion must
 * end in a clean out-of-memory error (or, when the failure lands where a
 * fallback exists, in the same output), never a crash, and — under the
 * sanitizer build — never a leak. */
#include "support.h"
#include "internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads bytes of one format and writes them with another, in memory. */
static ctl_status convert(const char *from, const void *data, size_t len, const char *to,
                          char **out, size_t *out_len, ctl_ctx *ctx)
{
    ctl_options o;
    ctl_options_init(&o);
    FILE *f = open_memstream(out, out_len);
    ck_assert_ptr_nonnull(f);
    ctl_sink *sink = NULL;
    ctl_status st = ctl_format_by_name(to)->writer(ctx, f, "out", &o, &sink);
    if (st == CTL_OK) st = ctl_read(ctx, ctl_format_by_name(from), "in", data, len, &o, sink);
    if (sink && sink->destroy) sink->destroy(sink);
    fclose(f);
    return st;
}

static void every_n(const char *from, const void *data, size_t len, const char *to)
{
    /* the run without failures: how many allocations, and the output */
    ctl_ctx *ctx = ctl_ctx_new();
    char *good = NULL;
    size_t good_len = 0;
    ctl_test_fail_alloc(0);
    assert_ok(ctx, convert(from, data, len, to, &good, &good_len, ctx));
    unsigned long total = ctl_test_alloc_count();
    ctl_ctx_free(ctx);
    ck_assert(total > 10);
    size_t nomem = 0, same = 0;
    for (unsigned long n = 1; n <= total; n++) {
        ctx = ctl_ctx_new();
        ck_assert_ptr_nonnull(ctx);
        char *out = NULL;
        size_t out_len = 0;
        ctl_test_fail_alloc(n);
        ctl_status st = convert(from, data, len, to, &out, &out_len, ctx);
        ctl_test_fail_alloc(0);
        if (st == CTL_ENOMEM) {
            assert_error_code(ctx, CTL_D_OUT_OF_MEMORY);
            nomem++;
        } else {
            ck_assert_msg(st == CTL_OK, "%s -> %s, allocation %lu of %lu failed: status %d (%s) instead of "
                          "out of memory", from, to, n, total, st, ctl_error_message(ctx));
            ck_assert_msg(out_len == good_len && !memcmp(out, good, good_len),
                          "%s -> %s, allocation %lu failed: a different output", from, to, n);
            same++;
        }
        free(out);
        ctl_ctx_free(ctx);
    }
    fprintf(stderr, "%s -> %s: %lu allocations, %zu ended out of memory, %zu gave the same output\n",
            from, to, total, nomem, same);
    free(good);
}

static unsigned char *seed_as(const char *format, size_t *len)
{
    size_t n;
    unsigned char *seed = slurp(SEED_PATH, &n);
    ctl_ctx *ctx = ctl_ctx_new();
    char *out;
    assert_ok(ctx, convert("text", seed, n, format, &out, len, ctx));
    ctl_ctx_free(ctx);
    free(seed);
    return (unsigned char *)out;
}

START_TEST(text_to_csv)
{
    size_t n;
    unsigned char *seed = slurp(SEED_PATH, &n);
    every_n("text", seed, n, "csv");
    free(seed);
}
END_TEST

START_TEST(csv_to_json)
{
    size_t n;
    unsigned char *csv = seed_as("csv", &n);
    every_n("csv", csv, n, "json");
    free(csv);
}
END_TEST

START_TEST(json_to_csv)
{
    size_t n;
    unsigned char *json = seed_as("json", &n);
    every_n("json", json, n, "csv");
    free(json);
}
END_TEST

/* JSON of other shapes: an outline with extras, a nested value, a code
 * that is no identifier, references as an array; JSON Lines of records. */
START_TEST(json_shapes_to_csv)
{
    static const char outline[] =
        "[{\"id\": \"2\", \"title\": \"第2部\", \"sections\": [{\"id\": \"2.1\", \"items\": [\n"
        "  {\"id\": \"2.1(1)\", \"type\": \"遵守事項\", \"note\": {\"a\": [1, \"b\"]}},\n"
        "  {\"id\": \"2.1(1)-1 a)\", \"refs\": [\"A.5.1.1\", \"A.5.1.2\"], \"x\": 1.5},\n"
        "  {\"title\": \"no id\", \"extra\": null}]}]}]";
    every_n("json", outline, strlen(outline), "csv");
    static const char lines[] = "{\"id\": \"AC-1\", \"name\": \"a\"}\n{\"id\": \"AC-1(1)\", \"k\": true}\n";
    every_n("jsonl", lines, strlen(lines), "csv");
}
END_TEST

START_TEST(xlsx_to_xml)
{
    size_t n;
    unsigned char *x = seed_as("xlsx", &n);
    every_n("xlsx", x, n, "xml");
    free(x);
}
END_TEST

/* The whole pipeline the CLI runs (read the file, detect, decode, write a
 * temporary file, rename it), with the N-th allocation failing: out of
 * memory (the CLI's exit 4) leaves neither the output nor a temporary file;
 * anything else is the same output. */
static void every_n_file(const char *in_path, const char *to, const char *ext)
{
    char dir[] = "/tmp/ctl-alloc-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char out[256], good_path[256];
    snprintf(out, sizeof out, "%s/out.%s", dir, ext);
    snprintf(good_path, sizeof good_path, "%s/good.%s", dir, ext);
    ctl_options o;
    ctl_options_init(&o);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_test_fail_alloc(0);
    assert_ok(ctx, ctl_convert_file(ctx, in_path, NULL, good_path, ctl_format_by_name(to), &o, 0));
    unsigned long total = ctl_test_alloc_count();
    ctl_ctx_free(ctx);
    size_t good_len;
    unsigned char *good = slurp(good_path, &good_len);
    size_t nomem = 0;
    for (unsigned long n = 1; n <= total; n++) {
        ctx = ctl_ctx_new();
        ctl_test_fail_alloc(n);
        ctl_status st = ctl_convert_file(ctx, in_path, NULL, out, ctl_format_by_name(to), &o, 0);
        ctl_test_fail_alloc(0);
        if (st == CTL_OK) {
            size_t len;
            unsigned char *got = slurp(out, &len);
            ck_assert_msg(len == good_len && !memcmp(got, good, len), "allocation %lu: a different output", n);
            free(got);
            ck_assert_int_eq(unlink(out), 0);
        } else {
            ck_assert_msg(st == CTL_ENOMEM, "allocation %lu of %lu: status %d (%s)", n, total, st,
                          ctl_error_message(ctx));
            ck_assert_int_eq(ctl_status_exit_code(st), 4);
            ck_assert_msg(access(out, F_OK) != 0, "allocation %lu: an output was left", n);
            nomem++;
        }
        /* nothing but good.EXT in the directory: no temporary file left */
        DIR *d = opendir(dir);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            ck_assert_msg(!strcmp(e->d_name, good_path + strlen(dir) + 1), "allocation %lu: '%s' left behind",
                          n, e->d_name);
        }
        closedir(d);
        ctl_ctx_free(ctx);
    }
    fprintf(stderr, "file -> %s: %lu allocations, %zu ended out of memory with nothing written\n", to,
            total, nomem);
    free(good);
    unlink(good_path);
    rmdir(dir);
}

START_TEST(pipeline_text_to_csv_file)
{
    every_n_file(SEED_PATH, "csv", "csv");
}
END_TEST

START_TEST(pipeline_xlsx_file_to_json_file)
{
    /* a workbook from a real producer, through detection and the zip layer */
    every_n_file(CTL_TEST_DATA "/libreoffice-shared-strings.xlsx", "json", "json");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("every allocation");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, text_to_csv);
    tcase_add_test(tc, csv_to_json);
    tcase_add_test(tc, json_to_csv);
    tcase_add_test(tc, json_shapes_to_csv);
    tcase_add_test(tc, xlsx_to_xml);
    tcase_add_test(tc, pipeline_text_to_csv_file);
    tcase_add_test(tc, pipeline_xlsx_file_to_json_file);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
