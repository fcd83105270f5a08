/* SPDX-License-Identifier: BSD-2-Clause */
/* JSON records (arrays and JSON Lines of flat objects) are read by the
 * rules of tables: the same list, written back, as from the CSV of the
 * same data, for header words, the id column chosen by shape, heading
 * items of parent columns, depth columns, keys in ids' cells, bad rows and
 * column mappings; a missing key is an empty cell. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

/* A fresh ctx: no warnings, no error. */
static void fresh_ctx(void)
{
    ctl_ctx_free(ctx);
    ctx = ctl_ctx_new();
}

/* Reads in (format by name) with opts and writes the list as JSON; the
 * read's status in *st, the JSON (malloc'd) when it succeeded. */
static char *as_json(const char *format, const char *in, const ctl_options *opts, ctl_status *st)
{
    ctl_list *l = read_bytes(ctx, format, in, strlen(in), opts, st);
    char *out = NULL;
    if (*st == CTL_OK) {
        size_t n;
        ctl_status wst;
        out = write_list(ctx, "json", l, NULL, &n, &wst);
        assert_ok(ctx, wst);
    }
    ctl_list_free(l);
    return out;
}

/* The CSV, the JSON array and the JSON Lines of one list read alike: the
 * same status and error code, the same list written as JSON, the same
 * number of warnings; returns the CSV's JSON (malloc'd, NULL on error). */
static char *agree(const char *csv, const char *json, const char *jsonl, const ctl_options *opts)
{
    ctl_status st_csv, st;
    fresh_ctx();
    char *want = as_json("csv", csv, opts, &st_csv);
    ctl_diag code = ctl_error_code(ctx);
    size_t warned = ctl_warning_count(ctx);
    const char *const formats[] = {"json", "jsonl"}, *const inputs[] = {json, jsonl};
    for (int f = 0; f < 2; f++) {
        if (!inputs[f]) continue;
        fresh_ctx();
        char *got = as_json(formats[f], inputs[f], opts, &st);
        ck_assert_msg(st == st_csv, "%s: status %d, the CSV's %d (%s)", formats[f], st, st_csv,
                      ctl_error_message(ctx));
        ck_assert_msg(ctl_error_code(ctx) == code, "%s: error [%s], the CSV's [%s]", formats[f],
                      ctl_diag_name(ctl_error_code(ctx)), ctl_diag_name(code));
        ck_assert_msg(!want || !strcmp(want, got), "%s:\n%s\nthe CSV's:\n%s", formats[f], got, want);
        ck_assert_uint_eq(ctl_warning_count(ctx), warned);
        free(got);
    }
    return want;
}

/* CIS's shape: each safeguard repeats its control's id and title. */
START_TEST(parent_columns_make_headings)
{
    const char *csv = "control_id,control_title,safeguard_id,safeguard_title,description\n"
                      "1,Inventory,1.1,Keep an inventory,d1\n"
                      "1,Inventory,1.2,Address unauthorized assets,d2\n"
                      "2,Software,2.1,Keep a software inventory,d3\n";
    const char *json = "[{\"control_id\": \"1\", \"control_title\": \"Inventory\", \"safeguard_id\": \"1.1\",\n"
                       "  \"safeguard_title\": \"Keep an inventory\", \"description\": \"d1\"},\n"
                       " {\"control_id\": \"1\", \"control_title\": \"Inventory\", \"safeguard_id\": \"1.2\",\n"
                       "  \"safeguard_title\": \"Address unauthorized assets\", \"description\": \"d2\"},\n"
                       " {\"control_id\": 2, \"control_title\": \"Software\", \"safeguard_id\": \"2.1\",\n"
                       "  \"safeguard_title\": \"Keep a software inventory\", \"description\": \"d3\"}]";
    const char *jsonl = "{\"control_id\": \"1\", \"control_title\": \"Inventory\", \"safeguard_id\": \"1.1\", "
                        "\"safeguard_title\": \"Keep an inventory\", \"description\": \"d1\"}\n"
                        "{\"control_id\": \"1\", \"control_title\": \"Inventory\", \"safeguard_id\": \"1.2\", "
                        "\"safeguard_title\": \"Address unauthorized assets\", \"description\": \"d2\"}\n"
                        "{\"control_id\": \"2\", \"control_title\": \"Software\", \"safeguard_id\": \"2.1\", "
                        "\"safeguard_title\": \"Keep a software inventory\", \"description\": \"d3\"}\n";
    free(agree(csv, json, jsonl, NULL));
    fresh_ctx();
    ctl_status st;
    list = read_bytes(ctx, "json", json, strlen(json), NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 5);
    ck_assert_str_eq(list->items[0].id, "1");
    ck_assert_str_eq(list->items[0].title, "Inventory");
    ck_assert_str_eq(list->items[2].id, "1.2");
    ck_assert_str_eq(list->items[2].parent, "1");
    ck_assert_str_eq(list->items[2].title, "Address unauthorized assets");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_HEADINGS_MADE), 1);
    /* --headings no, as for the CSV */
    ctl_options o;
    ctl_options_init(&o);
    o.make_headings = -1;
    free(agree(csv, json, jsonl, &o));
}
END_TEST

/* A depth column, rows without ids, a key in the id's cell, keys of
 * fields missing from some records (empty cells), keys in another order. */
START_TEST(depth_keys_and_missing_keys)
{
    const char *csv = "id,depth,name,description,owner\n"
                      "A.5,1,Organizational,,\n"
                      ",2,Policies,all of them,x\n"
                      "core,2,Core,,\n"
                      "A.5.1,3,Policy,,y\n";
    const char *json = "[{\"id\": \"A.5\", \"depth\": 1, \"name\": \"Organizational\", \"owner\": \"\"},\n"
                       " {\"depth\": 2, \"id\": \"\", \"name\": \"Policies\", \"description\": \"all of them\", "
                       "\"owner\": \"x\"},\n"
                       " {\"id\": \"core\", \"depth\": \"2\", \"name\": \"Core\", \"description\": null, \"owner\": \"\"},\n"
                       " {\"id\": \"A.5.1\", \"depth\": 3, \"name\": \"Policy\", \"owner\": \"y\"}]";
    char *want = agree(csv, json, NULL, NULL);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(strstr(want, "\"label\": \"core\""));
    free(want);
}
END_TEST

/* A row whose id cell is prose: an error, or skipped on request. */
START_TEST(bad_rows_as_in_tables)
{
    const char *csv = "id,title\n1,a\nthis is a sentence and no identifier,b\n2,c\n";
    const char *json = "[{\"id\": \"1\", \"title\": \"a\"}, {\"id\": \"this is a sentence and no identifier\", "
                       "\"title\": \"b\"}, {\"id\": \"2\", \"title\": \"c\"}]";
    const char *jsonl = "{\"id\": \"1\", \"title\": \"a\"}\n{\"id\": \"this is a sentence and no identifier\", "
                        "\"title\": \"b\"}\n{\"id\": \"2\", \"title\": \"c\"}\n";
    ck_assert_ptr_null(agree(csv, json, jsonl, NULL));
    assert_error_code(ctx, CTL_D_BAD_ROW);
    ctl_options o;
    ctl_options_init(&o);
    o.skip_bad_rows = 1;
    free(agree(csv, json, jsonl, &o));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ROW_SKIPPED), 1);
}
END_TEST

/* Column mappings name keys as they name a table's headers. */
START_TEST(column_maps_as_in_tables)
{
    static const ctl_column_map maps[] = {{CTL_FIELD_ID, "Ref"}, {CTL_FIELD_DESCRIPTION, "Text"},
                                          {CTL_FIELD_NONE, "Notes"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = maps;
    o.n_columns = 3;
    const char *csv = "Ref,title,Text,Notes\nAC-1,Policy,t1,n\nAC-2,Accounts,t2,\nAC-2(1),Automated,t3,m\n";
    const char *json = "[{\"Ref\": \"AC-1\", \"title\": \"Policy\", \"Text\": \"t1\", \"Notes\": \"n\"},\n"
                       " {\"Ref\": \"AC-2\", \"title\": \"Accounts\", \"Text\": \"t2\", \"Notes\": \"\"},\n"
                       " {\"Ref\": \"AC-2(1)\", \"title\": \"Automated\", \"Text\": \"t3\", \"Notes\": \"m\"}]";
    free(agree(csv, json, NULL, &o));
    fresh_ctx();
    ctl_status st;
    list = read_bytes(ctx, "json", json, strlen(json), &o, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[2].parent, "AC-2");
    ck_assert_str_eq(list->items[2].description, "t3");
}
END_TEST

/* A key only some records have adds no empty extra field to the others
 * (a table's writer writes the column empty there, as for an empty cell),
 * so that the fields of a record stay the few it has, however many keys
 * the file has. */
START_TEST(missing_keys_make_no_extras)
{
    const char *in = "[{\"id\": \"1\", \"a\": \"x\"}, {\"id\": \"2\", \"b\": \"\"}, {\"id\": \"3\"}]";
    ctl_status st;
    list = read_bytes(ctx, "json", in, strlen(in), NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->items[0].n_extra, 1);
    ck_assert_uint_eq(list->items[1].n_extra, 1);
    ck_assert_str_eq(list->items[1].extra[0].name, "b");
    ck_assert_uint_eq(list->items[2].n_extra, 0);
    ck_assert_uint_eq(list->meta.n_columns, 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_records");
    TCase *tc = tcase_create("records");
    use_ctx_fixture(tc);
    tcase_add_test(tc, parent_columns_make_headings);
    tcase_add_test(tc, depth_keys_and_missing_keys);
    tcase_add_test(tc, bad_rows_as_in_tables);
    tcase_add_test(tc, column_maps_as_in_tables);
    tcase_add_test(tc, missing_keys_make_no_extras);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
