/* SPDX-License-Identifier: BSD-2-Clause */
/* JSON of other producers' shapes: arrays of flat objects, JSON Lines of
 * flat objects, outlines of nested objects.  Keys map to fields by the
 * header words and by column mappings; unknown keys are extra fields;
 * hierarchy from the nesting, refined by the ids; refusals with their
 * codes. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

/* Reads in (format by name) with opts (NULL: the defaults) into list,
 * which must succeed. */
static void read_ok(const char *format, const char *in, const ctl_options *opts)
{
    ctl_status st;
    list = read_bytes(ctx, format, in, strlen(in), opts, &st);
    assert_ok(ctx, st);
}

/* The value of an item's extra field name; NULL when it has none. */
static const char *extra(const ctl_item *it, const char *name)
{
    for (size_t i = 0; i < it->n_extra; i++)
        if (!strcmp(it->extra[i].name, name)) return it->extra[i].value;
    return NULL;
}

static void assert_place(const ctl_item *it, const char *id, int level, const char *parent)
{
    ck_assert_str_eq(it->id, id);
    ck_assert_msg(it->level == level, "%s: level %d, want %d", id, it->level, level);
    ck_assert_msg(!strcmp(it->parent, parent), "%s: parent '%s', want '%s'", id, it->parent, parent);
}

/* ISMAP-like records: keys as the CSV's headers, hierarchy from the ids. */
static const char records[] =
    "[\n"
    "  {\"domain_id\": \"3\", \"control_id\": \"3.1\", \"control_text\": \"Governance\", \"is_cloud_specific\": false},\n"
    "  {\"domain_id\": \"3\", \"control_id\": \"3.1.1\", \"control_text\": \"Overview\\twith a tab\",\n"
    "   \"iso_reference\": \"27014:2013\", \"is_cloud_specific\": false},\n"
    "  {\"domain_id\": \"9\", \"control_id\": \"9.2.3.11.PB\", \"control_text\": \"管理策\", \"owner\": \"x\"}\n"
    "]\n";

START_TEST(array_of_flat_objects)
{
    read_ok("json", records, NULL);
    ck_assert_uint_eq(list->n_items, 3);
    assert_place(&list->items[0], "3.1", 1, "");
    assert_place(&list->items[1], "3.1.1", 2, "3.1");
    assert_place(&list->items[2], "9.2.3.11.PB", 1, "");
    ck_assert_str_eq(list->items[1].description, "Overview\twith a tab");
    ck_assert_str_eq(list->items[2].description, "管理策");
    ck_assert_int_eq(list->items[1].pos.line, 3);
    /* the columns: every key, the fields' first, then the extra ones in
     * order of first appearance (as a table's) */
    static const char *const cols[] = {"control_id", "control_text", "iso_reference", "domain_id",
                                       "is_cloud_specific", "owner"};
    ck_assert_uint_eq(list->meta.n_columns, 6);
    for (size_t i = 0; i < 6; i++) ck_assert_str_eq(list->meta.columns[i], cols[i]);
    /* unknown keys are extra fields, in the object's order, as written */
    ck_assert_uint_eq(list->items[0].n_extra, 2);
    ck_assert_str_eq(list->items[0].extra[0].name, "domain_id");
    ck_assert_str_eq(list->items[0].extra[1].value, "false");
    ck_assert_str_eq(extra(&list->items[2], "owner"), "x");
    /* references under a header word, kept as written when they do not parse */
    ck_assert_uint_eq(list->items[1].n_refs, 1);
    ck_assert_str_eq(list->items[1].refs[0].id, "27014:2013");
}
END_TEST

START_TEST(jsonl_of_flat_objects)
{
    const char *in = "{\"id\": \"AC-1\", \"name\": \"Policy\"}\n\n"
                     "{\"id\": \"AC-2\", \"name\": \"Accounts\", \"family\": \"AC\"}\r\n"
                     "{\"id\": \"AC-2(1)\", \"name\": \"Automated\"}\n";
    read_ok("jsonl", in, NULL);
    ck_assert_uint_eq(list->n_items, 3);
    assert_place(&list->items[0], "AC-1", 1, "");
    assert_place(&list->items[2], "AC-2(1)", 2, "AC-2");
    ck_assert_str_eq(list->items[1].title, "Accounts");
    ck_assert_str_eq(extra(&list->items[1], "family"), "AC");
    ck_assert_int_eq(list->items[2].pos.line, 4);
    /* detected as JSON Lines by content, not taken for a JSON document */
    const ctl_format *f = NULL;
    ctl_options o;
    ctl_options_init(&o);
    assert_ok(ctx, ctl_detect_format(ctx, "list", (const unsigned char *)in, strlen(in), &o, &f));
    ck_assert_str_eq(f->name, "jsonl");
    assert_ok(ctx, ctl_detect_format(ctx, "list", (const unsigned char *)records, strlen(records), &o, &f));
    ck_assert_str_eq(f->name, "json");
}
END_TEST

/* Seven levels of nesting under keys of any name, with ids that refine
 * the outline, an object without an id, a code that is no identifier, and
 * a mere container. */
static const char outline[] =
    "[{\"id\": \"2\", \"title\": \"第2部\", \"sections\": [\n"
    "  {\"id\": \"2.1\", \"title\": \"2.1 導入\", \"chapters\": [\n"
    "    {\"id\": \"2.1.1\", \"title\": \"2.1.1 組織\", \"items\": [\n"
    "      {\"id\": \"2.1.1(1)\", \"type\": \"遵守事項\", \"description\": \"2.1.1(1)\\t設置\\n二行目\"},\n"
    "      {\"id\": \"2.1.1(1)(a)\", \"type\": \"遵守事項\", \"description\": \"(a)\"},\n"
    "      {\"id\": \"2.1.1(1)-1\", \"type\": \"基本対策事項\", \"description\": \"-1\", \"parts\": [\n"
    "        {\"title\": \"untitled part\", \"points\": [\n"
    "          {\"id\": \"2.1.1(1)-1.1\", \"title\": \"deep\", \"notes\": [\n"
    "            {\"id\": \"2.1.1(1)-1.1.1\", \"title\": \"deeper\"}]}]}]},\n"
    "      {\"id\": \"2.1.1(1)-1 a)\", \"type\": \"基本対策事項\", \"description\": \"a)\"},\n"
    "      {\"id\": \"2.1.1(2)\", \"type\": \"遵守事項\", \"description\": \"(2)\"}]}]},\n"
    "  {\"groups\": [{\"id\": \"2.2\", \"title\": \"in a container\"}]}]},\n"
    " {\"id\": \"3\", \"title\": \"第3部\"}]\n";

START_TEST(outline_any_depth)
{
    read_ok("json", outline, NULL);
    ck_assert_uint_eq(list->n_items, 13);
    const ctl_item *it = list->items;
    assert_place(&it[0], "2", 1, "");
    assert_place(&it[1], "2.1", 2, "2");
    assert_place(&it[2], "2.1.1", 3, "2.1");
    assert_place(&it[3], "2.1.1(1)", 4, "2.1.1");
    /* siblings refined by their ids */
    assert_place(&it[4], "2.1.1(1)(a)", 5, "2.1.1(1)");
    assert_place(&it[5], "2.1.1(1)-1", 5, "2.1.1(1)");
    /* an object without an id: under its holder, a generated id */
    assert_place(&it[6], "2.1.1(1)-1#1", 6, "2.1.1(1)-1");
    ck_assert_str_eq(it[6].title, "untitled part");
    assert_place(&it[7], "2.1.1(1)-1.1", 7, "2.1.1(1)-1#1");
    assert_place(&it[8], "2.1.1(1)-1.1.1", 8, "2.1.1(1)-1.1");
    /* a short code that is no identifier: its label, under the numbered sibling above */
    ck_assert_str_eq(it[9].label, "2.1.1(1)-1 a)");
    ck_assert_int_eq(it[9].level, 6);
    ck_assert_str_eq(it[9].parent, "2.1.1(1)-1");
    ck_assert(strchr(it[9].id, '#') != NULL);
    assert_place(&it[10], "2.1.1(2)", 4, "2.1.1");
    /* a container's children take its place */
    assert_place(&it[11], "2.2", 2, "2");
    ck_assert_str_eq(it[11].title, "in a container");
    assert_place(&it[12], "3", 1, "");
    /* text intact; the category word kept */
    ck_assert_str_eq(it[3].description, "2.1.1(1)\t設置\n二行目");
    ck_assert_str_eq(it[3].category_text, "遵守事項");
    ck_assert_int_eq(it[3].category, CTL_CATEGORY_MANDATORY);
    /* the lists of children are no columns */
    for (size_t i = 0; i < list->meta.n_columns; i++)
        ck_assert_msg(strcmp(list->meta.columns[i], "sections") && strcmp(list->meta.columns[i], "items"),
                      "column %s", list->meta.columns[i]);
    ck_assert_uint_eq(ctl_warning_count(ctx), 2);   /* the two generated ids */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 2);
}
END_TEST

/* A third level of parts, given explicitly, wins over the nesting. */
START_TEST(outline_given_level_wins)
{
    read_ok("json", "{\"id\": \"A\", \"title\": \"root\", \"kids\": [{\"id\": \"A.1\", \"level\": 3, \"title\": \"x\"}]}",
            NULL);
    ck_assert_uint_eq(list->n_items, 2);
    assert_place(&list->items[0], "A", 1, "");
    ck_assert_int_eq(list->items[1].level, 3);
}
END_TEST

START_TEST(unknown_keys_as_extras)
{
    read_ok("json",
            "[{\"id\": \"1\", \"score\": 3.50, \"ok\": true, \"gone\": null, \"tags\": [\"a\", \"b c\"],\n"
            "  \"meta\": {\"k\": [1, {\"z\": \"y \\\"q\\\"\"}]}, \"none\": []},\n"
            " {\"id\": \"2\", \"new\": \"n\", \"score\": 1}]",
            NULL);
    const ctl_item *a = &list->items[0];
    ck_assert_str_eq(extra(a, "score"), "3.50");
    ck_assert_str_eq(extra(a, "ok"), "true");
    ck_assert_str_eq(extra(a, "gone"), "");
    ck_assert_str_eq(extra(a, "tags"), "[\"a\",\"b c\"]");
    ck_assert_str_eq(extra(a, "meta"), "{\"k\":[1,{\"z\":\"y \\\"q\\\"\"}]}");
    ck_assert_ptr_null(extra(a, "none"));
    static const char *const cols[] = {"id", "score", "ok", "gone", "tags", "meta", "new"};
    ck_assert_uint_eq(list->meta.n_columns, 7);
    for (size_t i = 0; i < 7; i++) ck_assert_str_eq(list->meta.columns[i], cols[i]);
    /* written as JSON and read back: the same extras */
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "json", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ctl_list *back = read_bytes(ctx, "json", out, n, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(extra(&back->items[0], "meta"), extra(a, "meta"));
    ctl_list_free(back);
    free(out);
}
END_TEST

START_TEST(references_as_arrays)
{
    read_ok("json",
            "[{\"id\": \"5.1\", \"references\": [\"iso27001-2022:A.5.1\", \"AC-2(1)\"]},\n"
            " {\"id\": \"5.2\", \"references\": [{\"scheme\": \"nist-sp800-53\", \"id\": \"AC-2\"}]}]",
            NULL);
    ck_assert_uint_eq(list->items[0].n_refs, 2);
    ck_assert_str_eq(list->items[0].refs[0].scheme, "iso27001-2022");
    ck_assert_str_eq(list->items[0].refs[0].id, "A.5.1");
    ck_assert_uint_eq(list->items[1].n_refs, 1);
    ck_assert_str_eq(list->items[1].refs[0].scheme, "nist-sp800-53");
}
END_TEST

START_TEST(column_maps_on_json)
{
    static const ctl_column_map maps[] = {{CTL_FIELD_ID, "code"}, {CTL_FIELD_TITLE, "heading"},
                                          {CTL_FIELD_DESCRIPTION, "要求"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = maps;
    o.n_columns = 3;
    const char *in = "[{\"code\": \"A.5\", \"heading\": \"Policies\", \"要求\": \"text\"},\n"
                     " {\"code\": \"A.5.1\", \"heading\": \"Policy\"}]";
    /* without the mappings, as in a table: the id column found by its
     * shape beside a key naming the title; 要求 an extra column */
    ctl_status st;
    list = read_bytes(ctx, "json", in, strlen(in), NULL, &st);
    assert_ok(ctx, st);
    assert_place(&list->items[1], "A.5.1", 2, "A.5");
    ck_assert_str_eq(extra(&list->items[0], "要求"), "text");
    ctl_list_free(list);
    ctl_error_clear(ctx);
    /* keys that name no field: no list, whatever the values */
    list = read_bytes(ctx, "json", "[{\"code\": \"A.5\"}, {\"code\": \"A.5.1\"}]", 36, NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_NOT_A_LIST);
    ctl_list_free(list);
    ctl_error_clear(ctx);
    list = read_bytes(ctx, "json", in, strlen(in), &o, &st);
    assert_ok(ctx, st);
    assert_place(&list->items[1], "A.5.1", 2, "A.5");
    ck_assert_str_eq(list->items[0].title, "Policies");
    ck_assert_str_eq(list->items[0].description, "text");
    ck_assert_uint_eq(list->items[0].n_extra, 0);
    ctl_list_free(list);
    ctl_error_clear(ctx);
    /* a mapping that names no key */
    static const ctl_column_map wrong[] = {{CTL_FIELD_ID, "kode"}};
    o.columns = wrong;
    o.n_columns = 1;
    list = read_bytes(ctx, "jsonl", "{\"code\": \"1\"}\n{\"code\": \"2\"}\n", 28, &o, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_NO_SUCH_COLUMN);
    ck_assert(strstr(ctl_error_message(ctx), "'kode'") != NULL);
    ctl_list_free(list);
    ctl_error_clear(ctx);
    /* ctlconv's own document names its fields */
    list = read_bytes(ctx, "json", "{\"format\": \"ctlconv-list\", \"items\": [{\"id\": \"II.1\"}]}", 51, &o, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_NO_SUCH_COLUMN);
}
END_TEST

START_TEST(bad_rows_skipped_on_request)
{
    const char *in = "[{\"id\": \"1\"}, {\"id\": \"this is a sentence, not an identifier\", \"kids\": [{\"id\": \"1.1\"}]},"
                     " {\"id\": \"2\"}]";
    assert_refused("json", in, "bad-row", "'this is a sentence, not an identifier' under 'id'");
    ctl_options o;
    ctl_options_init(&o);
    o.skip_bad_rows = 1;
    read_ok("json", in, &o);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(list->items[1].id, "2");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ROW_SKIPPED), 1);
}
END_TEST

START_TEST(refusals)
{
    static const char *const cases[][4] = {
        {"json", "[1, 2]", "not-a-list", "an array whose first element is a number"},
        {"json", "[]", "no-rows", "the array is empty"},
        {"json", "[{\"title\": \"a title, no id\"}]", "not-a-list", "no object has a key naming its id"},
        {"json", "{\"catalog\": {\"id\": \"x\"}}", "not-a-list", "no object has a key naming its id"},
        {"json", "[{\"id\": \"1\"}, 5]", "bad-structure", "a number where an object was expected (element 2"},
        {"json", "[{\"id\": \"1\", \"kids\": [{\"id\": \"1.1\"}, \"x\"]}]", "bad-structure", "a string where an object"},
        {"json", "[{\"id\": \"1\", \"title\": {\"en\": \"x\"}}]", "bad-field", "'title' (read as title) holds an object"},
        {"json", "[{\"id\": [\"1\"]}]", "bad-field", "'id' (read as id) holds an array"},
        {"json", "[{\"id\": \"1\", \"refs\": [{\"scheme\": \"Bad Scheme\", \"id\": \"A\"}]}]", "bad-field", "scheme"},
        {"json", "[{\"id\": \"1\", \"a\": 1, \"a\": 2}]", "malformed-json", "duplicate object key near '\"a\"'"},
        {"json", "[{\"id\": \"1\"} {\"id\": \"2\"}]", "malformed-json", "JSON:"},
        {"json", "[{\"id\": \"1\", \"x\": tru}]", "malformed-json", "invalid token"},
        {"json", "[{\"id\": \"1\", \"t\": \"\\u0000\"}]", "malformed-json", "JSON:"},
        {"jsonl", "{\"id\": \"1\"}\n[2]\n", "not-a-list", "each JSON Lines line must be an object"},
        {"jsonl", "{\"id\": \"1\"}\n{\"id\": \"2\", \"kids\": [{\"id\": \"2.1\"}]}\n", "bad-structure",
         "'kids' holds child objects"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) assert_refused(cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
}
END_TEST

/* s repeated n times between head and tail (malloc'd). */
static char *repeat(const char *head, const char *s, size_t n, const char *tail)
{
    size_t hl = strlen(head), sl = strlen(s), tl = strlen(tail);
    char *b = malloc(hl + sl * n + tl + 1);
    ck_assert(b != NULL);
    memcpy(b, head, hl);
    for (size_t i = 0; i < n; i++) memcpy(b + hl + i * sl, s, sl);
    memcpy(b + hl + n * sl, tail, tl + 1);
    return b;
}

START_TEST(limits)
{
    /* 64 levels of objects are read, not 65 */
    char *open = repeat("[", "{\"id\": \"1\", \"c\": [", 63, "{\"id\": \"1\"}");
    char *doc = repeat(open, "]}", 63, "]");
    read_ok("json", doc, NULL);
    ck_assert_uint_eq(list->n_items, 64);
    ck_assert_int_eq(list->items[63].level, 64);
    free(open);
    free(doc);
    open = repeat("[", "{\"id\": \"1\", \"c\": [", 64, "{\"id\": \"1\"}");
    doc = repeat(open, "]}", 64, "]");
    assert_refused("json", doc, "bad-structure", "nested deeper than 64 levels");
    free(open);
    free(doc);
    /* different keys count against the columns limit, objects against the items limit */
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_COLUMNS] = 3;
    o.limit[CTL_LIMIT_ITEMS] = 3;
    ctl_status st;
    const char *wide = "[{\"id\": \"1\", \"a\": 1, \"b\": 2, \"c\": 3}]";
    ctl_list *l = read_bytes(ctx, "json", wide, strlen(wide), &o, &st);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_COLUMNS);
    ctl_list_free(l);
    ctl_error_clear(ctx);
    const char *many = "[{\"id\": \"1\", \"k\": [{\"id\": \"1.1\"}, {\"id\": \"1.2\"}, {\"id\": \"1.3\"}]}]";
    l = read_bytes(ctx, "json", many, strlen(many), &o, &st);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_ITEMS);
    ctl_list_free(l);
}
END_TEST

/* ctlconv's own documents read as before: an object with "items" or
 * "format" is never taken for an outline. */
START_TEST(own_documents_unchanged)
{
    assert_refused("json", "{\"title\": \"T\", \"items\": [{\"id\": \"II.1\", \"colour\": \"red\"}]}", "bad-structure",
                   "unknown key 'colour'");
    assert_refused("json", "{\"items\": [{\"id\": \"II.1\"}], \"sections\": []}", "not-a-list",
                   "unknown key 'sections' at the top");
    read_ok("json", "{\"format\": \"ctlconv-list\", \"version\": 2, \"items\": [{\"id\": \"II.1\", \"level\": 1}]}", NULL);
    ck_assert_uint_eq(list->n_items, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_shapes");
    TCase *tc = tcase_create("shapes");
    use_ctx_fixture(tc);
    tcase_add_test(tc, array_of_flat_objects);
    tcase_add_test(tc, jsonl_of_flat_objects);
    tcase_add_test(tc, outline_any_depth);
    tcase_add_test(tc, outline_given_level_wins);
    tcase_add_test(tc, unknown_keys_as_extras);
    tcase_add_test(tc, references_as_arrays);
    tcase_add_test(tc, column_maps_on_json);
    tcase_add_test(tc, bad_rows_skipped_on_request);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, own_documents_unchanged);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
