/* SPDX-License-Identifier: BSD-2-Clause */
/* ctlconv's JSON Lines items without the metadata line (a chunk of a split
 * stream) are read as items, with empty metadata and a warning
 * (no-metadata), read whole or streamed (the first part and the reads made
 * small): the same list as the full run's; lines that are not all of the
 * items' shape, or read with column mappings, are records as before. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The seed written as format (malloc'd). */
static char *seed_as(const char *format)
{
    ctl_list *l = read_seed(ctx);
    size_t n;
    ctl_status st;
    char *out = write_list(ctx, format, l, NULL, &n, &st);
    assert_ok(ctx, st);
    ctl_list_free(l);
    return out;
}

/* s after its first line. */
static const char *after_line_1(const char *s)
{
    const char *e = strchr(s, '\n');
    ck_assert(e != NULL);
    return e + 1;
}

/* Converts the file in (as format from) to CSV; the status, the error's
 * code, the warnings of code warn, and the output (malloc'd; NULL: none). */
static ctl_status convert(const char *in, const char *from, const ctl_options *opts, ctl_diag warn,
                          ctl_diag *code, size_t *warned, char **out)
{
    char o[128];
    snprintf(o, sizeof o, "%s/out.csv", tmp_dir);
    unlink(o);
    ctl_options none;
    ctl_options_init(&none);
    ctl_ctx *c = ctl_ctx_new();
    ctl_status st = ctl_convert_file(c, in, ctl_format_by_name(from), o, ctl_format_by_name("csv"),
                                     opts ? opts : &none, 0);
    *code = st == CTL_OK ? CTL_DIAG_COUNT : ctl_error_code(c);
    *warned = warnings_with(c, warn);
    ctl_ctx_free(c);
    size_t n;
    *out = access(o, F_OK) == 0 ? (char *)slurp(o, &n) : NULL;
    return st;
}

static const char *put_input(const char *s)
{
    static char in[128];
    snprintf(in, sizeof in, "%s/in.jsonl", tmp_dir);
    FILE *f = fopen(in, "wb");
    ck_assert(f != NULL);
    ck_assert_uint_eq(fwrite(s, 1, strlen(s), f), strlen(s));
    fclose(f);
    return in;
}

START_TEST(items_without_metadata_read_as_items)
{
    char *full = seed_as("jsonl"), *want = seed_as("csv");
    ctl_status st;
    list = read_string(ctx, "jsonl", after_line_1(full), &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NO_METADATA), 1);
    ck_assert(has_warning(ctx, "without the metadata line"));
    ck_assert_str_eq(list->meta.title, "");
    ck_assert_str_eq(list->meta.annex, "");
    ck_assert_str_eq(list->meta.ref_scheme, "iso27001-2013");
    ck_assert_uint_eq(list->n_items, 160);
    size_t n;
    char *got = write_list(ctx, "csv", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(got, want);
    /* the items written back are the full run's lines */
    char *lines = write_list(ctx, "jsonl", list, NULL, &n, &st);
    ck_assert_str_eq(after_line_1(lines), after_line_1(full));
    free(lines);
    free(got);
    free(full);
    free(want);
}
END_TEST

START_TEST(items_without_metadata_streamed)
{
    /* the first part and the reads cut the items anywhere: the same CSV
     * as the full run's, one warning, also with the closing unplaced line */
    char *full = seed_as("jsonl"), *want = seed_as("csv");
    const char *items = after_line_1(full);
    size_t len = strlen(items);
    char *tail = malloc(len + 64);
    ck_assert(tail != NULL);
    snprintf(tail, len + 64, "%s{\"unplaced_isms\": [\"A.17\"]}\n", items);
    const char *cases[] = {items, tail};
    for (size_t c = 0; c < 2; c++) {
        const char *in = put_input(cases[c]);
        static const size_t heads[] = {1, 300, 4096, 50000};
        for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
            ctl_test_stream_head(heads[h]);
            ctl_diag code;
            size_t warned;
            char *got;
            ctl_status st = convert(in, "jsonl", NULL, CTL_D_NO_METADATA, &code, &warned, &got);
            ck_assert_msg(st == CTL_OK, "case %zu head %zu: [%s]", c, heads[h], ctl_diag_name(code));
            ck_assert_uint_eq(warned, 1);
            ck_assert_msg(got && !strcmp(got, want), "case %zu head %zu: another CSV", c, heads[h]);
            free(got);
        }
    }
    free(tail);
    free(full);
    free(want);
}
END_TEST

/* The seed's items with the key of one line renamed (its line n). */
static char *one_line_other(const char *items, int n, const char *key, const char *as)
{
    char *s = strdup(items), *p = s;
    ck_assert(s != NULL);
    for (int i = 1; i < n; i++) p = strchr(p, '\n') + 1;
    char *k = strstr(p, key);
    ck_assert(k != NULL && k < strchr(p, '\n'));
    ck_assert_uint_eq(strlen(key), strlen(as));
    memcpy(k, as, strlen(as));
    return s;
}

START_TEST(a_mix_is_records_as_before)
{
    /* one line (the last) lacks category_value: the lines are records,
     * read whole as before (category_value an extra column) */
    char *full = seed_as("jsonl");
    char *mix = one_line_other(after_line_1(full), 160, "\"category_value\"", "\"category_valuX\"");
    ctl_status st;
    list = read_string(ctx, "jsonl", mix, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NO_METADATA), 0);
    int extra = 0;
    for (size_t i = 0; i < list->meta.n_columns; i++)
        extra |= !strcmp(list->meta.columns[i], "category_value");
    ck_assert_msg(extra, "category_value is no column of the records");
    ctl_list_free(list);
    list = NULL;
    /* streamed, the line past the first part that breaks the shape is an
     * error (the items before it are written), never a silent record */
    const char *in = put_input(mix);
    ctl_test_stream_head(4096);
    ctl_diag code;
    size_t warned;
    char *got;
    ck_assert_int_eq(convert(in, "jsonl", NULL, CTL_D_NO_METADATA, &code, &warned, &got), CTL_EINPUT);
    ck_assert_int_eq(code, CTL_D_BAD_STRUCTURE);
    ck_assert(got == NULL);
    /* the first line breaking it: records, streamed too */
    char *first = one_line_other(after_line_1(full), 1, "\"answer\"", "\"answex\"");
    in = put_input(first);
    ck_assert_int_eq(convert(in, "jsonl", NULL, CTL_D_NO_METADATA, &code, &warned, &got), CTL_OK);
    ck_assert_uint_eq(warned, 0);
    ck_assert(got && strstr(got, "category_value"));
    free(got);
    free(first);
    free(mix);
    free(full);
}
END_TEST

START_TEST(column_mappings_read_records)
{
    /* mappings are for records: the item lines are read as records */
    char *full = seed_as("jsonl");
    ctl_options o;
    ctl_options_init(&o);
    ctl_column_map map = {CTL_FIELD_ANSWER, "answer"};
    o.columns = &map;
    o.n_columns = 1;
    ctl_status st;
    list = read_bytes(ctx, "jsonl", after_line_1(full), strlen(after_line_1(full)), &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NO_METADATA), 0);
    free(full);
}
END_TEST

START_TEST(records_stay_records)
{
    /* an export of records with some of the items' keys */
    static const char rec[] = "{\"id\": \"1\", \"title\": \"a\", \"category\": \"基本\", \"level\": 1}\n"
                              "{\"id\": \"1.1\", \"title\": \"b\", \"category\": \"推奨\", \"level\": 2}\n";
    ctl_status st;
    list = read_string(ctx, "jsonl", rec, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NO_METADATA), 0);
    ck_assert_uint_eq(list->n_items, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_chunks");
    TCase *tc = tcase_create("core");
    use_tmp_dir_fixture(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, items_without_metadata_read_as_items);
    tcase_add_test(tc, items_without_metadata_streamed);
    tcase_add_test(tc, a_mix_is_records_as_before);
    tcase_add_test(tc, column_mappings_read_records);
    tcase_add_test(tc, records_stay_records);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
