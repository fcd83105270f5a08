/* SPDX-License-Identifier: BSD-2-Clause */
/* The JSON and JSON Lines format.  Bounds: the JSON reader reads the
 * document value by value (the metadata members, then one item at a time)
 * and bounds what jansson builds for one value: --limit json-memory + 3 x
 * its size.  The readers' refusals, and the writer's escapes and shape. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static ctl_status read_with(const char *format, const char *in, size_t floor, ctl_ctx *ctx, ctl_list **out)
{
    ctl_options o;
    ctl_options_init(&o);
    if (floor) o.limit[CTL_LIMIT_JSON_MEMORY] = floor;
    ctl_status st;
    ctl_list *l = read_bytes(ctx, format, in, strlen(in), &o, &st);
    if (out) *out = l;
    else ctl_list_free(l);
    return st;
}

/* The input is refused with code (and so its status); line: the line
 * named (-1: any); msg: a fragment of the message. */
static void refused(const char *format, const char *in, size_t floor, ctl_diag code, long line, const char *msg)
{
    ctl_status want = ctl_diag_status(code);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st = read_with(format, in, floor, ctx, NULL);
    ck_assert_msg(st == want, "%.60s: status %d, want %d (%s)", in, st, want, ctl_error_message(ctx));
    ck_assert_msg(strstr(ctl_error_message(ctx), msg), "'%s' lacks '%s'", ctl_error_message(ctx), msg);
    if (line >= 0) ck_assert_int_eq(ctl_error_line(ctx), line);
    assert_error_code(ctx, code);
    if (code == CTL_D_LIMIT) ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_JSON_MEMORY);
    ctl_ctx_free(ctx);
}

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

/* 40,000 minimal items: about 0.6 MB of JSON that jansson would hold in
 * about 14 MB as one tree; item by item it fits a budget of 1 MiB. */
START_TEST(many_small_items_stream)
{
    char *doc = repeat("{\"items\": [", "{\"id\": \"II.1\"}, ", 39999, "{\"id\": \"II.2\"}]}");
    ctl_list *l;
    ctl_status st = read_with("json", doc, (size_t)1 << 20, ctx, &l);
    assert_ok(ctx, st);
    ck_assert_uint_eq(l->n_items, 40000);
    ck_assert_str_eq(l->items[39999].id, "II.2");
    ctl_list_free(l);
    free(doc);
}
END_TEST

/* One item of 100,000 empty objects (0.3 MB, about 25 MB as a tree). */
START_TEST(one_huge_value_refused)
{
    char *doc = repeat("{\"items\": [{\"id\": \"II.1\", \"isms\": [", "{}, ", 100000, "{}]}]}");
    refused("json", doc, (size_t)1 << 20, CTL_D_LIMIT, 1, "takes more than");
    free(doc);
    /* in the metadata, in a document of another shape, on a JSON Lines line */
    doc = repeat("{\"columns\": [", "{}, ", 100000, "{}], \"items\": [{\"id\": \"II.1\"}]}");
    refused("json", doc, (size_t)1 << 20, CTL_D_LIMIT, 1, "takes more than");
    free(doc);
    doc = repeat("[{\"id\": \"II.1\", \"x\": [", "{}, ", 100000, "{}]}]");
    refused("json", doc, (size_t)1 << 20, CTL_D_LIMIT, 1, "takes more than");
    free(doc);
    doc = repeat("{\"format\": \"ctlconv-list\"}\n{\"id\": \"II.1\"}\n{\"id\": \"II.2\", \"isms\": [", "{}, ", 100000, "{}]}\n");
    refused("jsonl", doc, (size_t)1 << 20, CTL_D_LIMIT, 3, "takes more than");
    free(doc);
    /* a smaller one within the default budget: an ordinary refusal */
    doc = repeat("{\"items\": [{\"id\": \"II.1\", \"isms\": [", "{}, ", 20000, "{}]}]}");
    refused("json", doc, 0, CTL_D_BAD_FIELD, -1, "not an ISMS reference");
    free(doc);
}
END_TEST

/* A string value of 8 MB needs 3 x its size while jansson reads it. */
START_TEST(long_string_within_budget)
{
    char *doc = repeat("{\"items\": [{\"id\": \"II.1\", \"title\": \"", "abcdefgh", (size_t)1 << 20, "\"}]}");
    ctl_list *l;
    assert_ok(ctx, read_with("json", doc, (size_t)1 << 20, ctx, &l));
    ck_assert_uint_eq(strlen(l->items[0].title), (size_t)8 << 20);
    ctl_list_free(l);
    free(doc);
}
END_TEST

START_TEST(members_in_any_order)
{
    const char *in = "{\"items\": [{\"id\": \"II.1\", \"title\": \"a \\\"]}, {\\\" [b\"},\n"
                     "  {\"id\": \"II.2\"}], \"title\": \"T\", \"unplaced_isms\": [\"A.17\"],\n"
                     "  \"\\u0061nnex\": \"X\", \"columns\": [\"項番\"], \"format\": \"ctlconv-list\", \"version\": 1}";
    ctl_list *l;
    ctl_status st = read_with("json", in, 0, ctx, &l);
    assert_ok(ctx, st);
    ck_assert_uint_eq(l->n_items, 2);
    ck_assert_str_eq(l->items[0].title, "a \"]}, {\" [b");
    ck_assert_str_eq(l->meta.title, "T");
    ck_assert_str_eq(l->meta.annex, "X");
    ck_assert_uint_eq(l->meta.n_unplaced, 1);
    ck_assert_uint_eq(l->meta.n_columns, 1);
    ctl_list_free(l);
}
END_TEST

/* Errors name the line of the whole document and the column on it. */
START_TEST(errors_where_they_are)
{
    refused("json", "{\"items\": [\n  {\"id\": \"II.1\"},\n  {\"id\": \"II.2\", \"title\": \"\xff\"}]}", 0, CTL_D_MALFORMED_JSON, 3,
            "JSON: unable to decode byte 0xff near '\"' (column 27)");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}], \"title\": tru}", 0, CTL_D_MALFORMED_JSON, 1, "JSON: invalid token near 'tru' (column 40)");
    refused("json", "{\"items\": [{\"id\": \"II.1\"} {\"id\": \"II.2\"}]}", 0, CTL_D_MALFORMED_JSON, 1, "JSON: ']' expected");
    refused("json", "{\"items\": [{\"id\": \"II.1\"},]}", 0, CTL_D_MALFORMED_JSON, 1, "JSON:");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}]} x", 0, CTL_D_MALFORMED_JSON, 1, "JSON: end of file expected");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}], \"title\": \"a\", \"title\": \"b\"}", 0, CTL_D_MALFORMED_JSON, 1,
            "JSON: duplicate object key near '\"title\"'");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}],\n\"colour\": 1}", 0, CTL_D_NOT_A_LIST, 2, "not a control list: unknown key 'colour' at the top");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}], \"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5, \"f\": 6, "
            "\"g\": 7, \"h\": 8, \"i\": 9}", 0, CTL_D_NOT_A_LIST, -1, "not a control list: unknown key 'a'");
    refused("json", "{\"items\": {}}", 0, CTL_D_NOT_A_LIST, -1, "not a control list: valid JSON, but not an object");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}", 0, CTL_D_MALFORMED_JSON, 1, "JSON:");
    refused("json", "{\"items\": [{\"id\": \"II.1\", \"title\": \"abc}]}", 0, CTL_D_MALFORMED_JSON, 1, "JSON:");
    refused("json", "{\"items\": [{\"id\": \"II.1\"}], \"note\": \"\\", 0, CTL_D_MALFORMED_JSON, 1, "JSON:");
    refused("json", "{\"items\": [\"\\\"]}", 0, CTL_D_MALFORMED_JSON, 1, "JSON:");
    refused("json", "{\"it\\u0000ems\": []}", 0, CTL_D_MALFORMED_JSON, 1, "JSON:");
}
END_TEST

START_TEST(json_escapes_and_shape)
{
    list = sample_list();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "json", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);   /* JSON keeps everything */
    ck_assert(strstr(out, "\"title\": \"Title \\\"quoted\\\"\"") != NULL);
    ck_assert(strstr(out, "\"note\": \"line 1\\nline 2\"") != NULL);
    /* version 2: references with their schemes, the parent, the list's scheme */
    ck_assert(strstr(out, "\"version\": 2") != NULL);
    ck_assert(strstr(out, "\"ref_scheme\": \"iso27001-2013\"") != NULL);
    ck_assert(strstr(out, "\"refs\": [{\"scheme\": \"iso27001-2013\", \"id\": \"A.5.1.1\"}, "
                          "{\"scheme\": \"iso27001-2013\", \"id\": \"A.5.1.2\"}]") != NULL);
    ck_assert(strstr(out, "\"parent\": \"II.1\"") != NULL);
    ck_assert(strstr(out, "\"answer\": \"=1+1\\ttab\"") != NULL);
    /* version 2: the word as the source spells it, and its value */
    ck_assert(strstr(out, "\"category\": \"基本\", \"category_value\": \"basic\"") != NULL);
    ck_assert(strstr(out, "\"category\": null, \"category_value\": null") != NULL);
    ck_assert(strstr(out, "\"extra\": [{\"name\": \"備考\", \"value\": \"x\"}]") != NULL);
    ck_assert(strstr(out, "\"unplaced_isms\": []") != NULL);
    ck_assert(out[n - 1] == '\n' && out[n - 2] == '}');
    free(out);
}
END_TEST

/* Version 1 still reads: "isms" as references of iso27001-2013, and its
 * "category" ("basic", "recommended") as the value, not a source word;
 * version 2 keeps the word. */
START_TEST(json_version_1_reads)
{
    const char *v1 = "{\"format\": \"ctlconv-list\", \"version\": 1, \"items\": ["
                     "{\"id\": \"II.1\", \"level\": 1, \"isms\": [\"A.5\"], \"category\": null},"
                     "{\"id\": \"II.1.1.1\", \"level\": 3, \"isms\": [\"A.5.1.1\"], \"category\": \"basic\"},"
                     "{\"id\": \"II.1.1.2\", \"level\": 3, \"category\": \"recommended\"}]}";
    ctl_status st;
    list = read_string(ctx, "json", v1, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->meta.ref_scheme, "iso27001-2013");
    const ctl_item *a = &list->items[1], *b = &list->items[2];
    ck_assert_str_eq(a->parent, "II.1");
    ck_assert_uint_eq(a->n_refs, 1);
    ck_assert_str_eq(a->refs[0].scheme, "iso27001-2013");
    ck_assert_str_eq(a->refs[0].id, "A.5.1.1");
    ck_assert_int_eq(a->category, CTL_CATEGORY_BASIC);
    ck_assert_str_eq(ctl_category_word(a), "基本");
    ck_assert_int_eq(b->category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(ctl_category_word(b), "推奨");
    const char *v2 = "{\"format\": \"ctlconv-list\", \"version\": 2, \"items\": ["
                     "{\"id\": \"AC-2(1)\", \"parent\": \"\", \"refs\": [{\"scheme\": \"iso27001-2022\", \"id\": \"A.5.1\"}],"
                     " \"category\": \"basic\", \"category_value\": \"basic\"}]}";
    ctl_list *l2 = read_string(ctx, "json", v2, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l2->items[0].category_text, "basic");
    ck_assert_str_eq(l2->items[0].refs[0].scheme, "iso27001-2022");
    ck_assert_int_eq(l2->items[0].level, 1);
    ctl_list_free(l2);
}
END_TEST

START_TEST(json_control_characters)
{
    list = ctl_list_new();
    ctl_meta m = {.title = "a\x01" "b\\c"};
    ctl_item it = {.id = "II.1", .level = 1, .title = "t"};
    assert_ok(ctx, list->sink.begin(&list->sink, ctx, &m));
    assert_ok(ctx, list->sink.item(&list->sink, ctx, &it));
    assert_ok(ctx, list->sink.end(&list->sink, ctx, &m));
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "json", list, NULL, &n, &st);
    ck_assert(strstr(out, "\"title\": \"a\\u0001b\\\\c\"") != NULL);
    free(out);
}
END_TEST

START_TEST(json_refusals)
{
    static const char *const cases[][3] = {
        {"[1, 2]", "not-a-list", "not a control list"},
        {"{\"items\": []}", "no-rows", "\"items\" is empty"},
        {"{\"items\": [1]}", "bad-field", "must be an object"},
        {"{\"items\": [{\"title\": \"t\"}]}", "bad-field", "'id' (the item's code) is missing"},
        {"{\"items\": [{\"id\": \"x\"}]}", "bad-field", "'x' is no identifier"},
        /* model v2: a level is the item's own (level 2 on II.1 is read);
         * only one that is no depth is refused */
        {"{\"items\": [{\"id\": \"II.1\", \"level\": 0}]}", "bad-field", "'level' must be a whole number from 1 to 64"},
        {"{\"items\": [{\"id\": \"II.1\", \"title\": 5}]}", "bad-field", "'title' must be a string"},
        {"{\"items\": [{\"id\": \"II.1\", \"isms\": \"A.5\"}]}", "bad-field", "must be an array of references"},
        {"{\"items\": [{\"id\": \"II.1\", \"isms\": [\"A.5\", 7]}]}", "bad-field", "not an ISMS reference"},
        /* model v2: any category word is kept; its value is checked */
        {"{\"version\": 2, \"items\": [{\"id\": \"II.1\", \"category_value\": \"must\"}]}", "bad-field",
         "'category_value' must be \"basic\", \"recommended\", \"mandatory\" or null"},
        {"{\"version\": 2, \"items\": [{\"id\": \"II.1\", \"refs\": [\"A.5\"]}]}", "bad-field", "'refs' entries must be"},
        {"{\"version\": 2, \"items\": [{\"id\": \"II.1\", \"refs\": [{\"scheme\": \"x\"}]}]}", "bad-field",
         "'refs' entries must be"},
        {"{\"version\": 2, \"items\": [{\"id\": \"II.1\", \"parent\": \"not an id\"}]}", "bad-field",
         "'parent' must be the id of another item"},
        {"{\"items\": [{\"id\": \"II.1\", \"extra\": {}}]}", "bad-field", "'extra' must be an array"},
        {"{\"items\": [{\"id\": \"II.1\", \"extra\": [{\"name\": \"a\"}]}]}", "bad-field", "'extra' entries must be"},
        {"{\"format\": \"other\", \"items\": [{\"id\": \"II.1\"}]}", "not-a-list", "\"format\" is not"},
        {"{\"version\": 3, \"items\": [{\"id\": \"II.1\"}]}", "unsupported-version", "reads versions 1 and 2"},
        {"{\"colour\": 1, \"items\": [{\"id\": \"II.1\"}]}", "not-a-list", "unknown key 'colour' at the top"},
        {"{\"columns\": \"a\", \"items\": [{\"id\": \"II.1\"}]}", "bad-field", "'columns' must be an array"},
        {"{\"columns\": [1], \"items\": [{\"id\": \"II.1\"}]}", "bad-field", "'columns' must be an array"},
        {"{\"items\": [{\"id\": \"II.1\", \"title\": \"a\\u0000b\"}]}", "malformed-json", "JSON:"},
        {"{\"items\": [{\"id\": \"II.1\"}],}", "malformed-json", "JSON:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) assert_refused("json", cases[i][0], cases[i][1], cases[i][2]);
}
END_TEST

START_TEST(jsonl_refusals_and_reading)
{
    static const char *const cases[][3] = {
        {"", "empty-input", "empty input"},
        {"{\"id\": \"II.1\", \"format\": \"ctlconv-list\"}\n", "not-a-list", "the first line must hold the metadata"},
        {"{\"format\": \"ctlconv-list\"}\n", "no-rows", "no item lines"},
        {"{\"format\": \"ctlconv-list\"}\n[1]\n", "not-a-list", "must be an object"},
        {"{\"format\": \"ctlconv-list\", \"unplaced_isms\": [\"A.1\"]}\n{\"id\": \"II.1\"}\n", "bad-structure", "belongs on the last line"},
        {"{\"format\": \"ctlconv-list\"}\n{\"id\": \"II.1\"}\n{\"unplaced_isms\": []}\n{\"id\": \"II.2\"}\n", "not-a-list", "after the unplaced"},
        {"{\"format\": \"ctlconv-list\", \"items\": []}\n", "not-a-list", "unknown key 'items'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) assert_refused("jsonl", cases[i][0], cases[i][1], cases[i][2]);
    const char *ok = "\xEF\xBB\xBF{\"format\": \"ctlconv-list\", \"title\": \"T\"}\r\n\n  {\"id\": \"II.1\"}  \r\n"
                     "{\"unplaced_isms\": [\"A.17\"]}\n";
    ctl_status st;
    list = read_string(ctx, "jsonl", ok, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->meta.title, "T");
    ck_assert_uint_eq(list->meta.n_unplaced, 1);
    ck_assert_int_eq(list->items[0].pos.line, 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsonxml_bounds");
    TCase *tc = tcase_create("reader");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, many_small_items_stream);
    tcase_add_test(tc, one_huge_value_refused);
    tcase_add_test(tc, long_string_within_budget);
    tcase_add_test(tc, members_in_any_order);
    tcase_add_test(tc, errors_where_they_are);
    tcase_add_test(tc, json_refusals);
    tcase_add_test(tc, json_version_1_reads);
    tcase_add_test(tc, jsonl_refusals_and_reading);
    suite_add_tcase(s, tc);
    TCase *t_writer = tcase_create("writer");
    use_ctx_fixture(t_writer);
    tcase_add_test(t_writer, json_escapes_and_shape);
    tcase_add_test(t_writer, json_control_characters);
    suite_add_tcase(s, t_writer);
    return run_suite(s);
}
