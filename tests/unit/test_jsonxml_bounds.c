/* Bounds of the JSON and XML formats.  The JSON reader reads the document
 * value by value (the metadata members, then one item at a time) and
 * bounds what jansson builds for one value: --limit json-memory + 3 x its
 * size.  The XML writer writes what its reader (libxml2 without
 * XML_PARSE_HUGE: 10,000,000 bytes a text node or attribute) reads back. */
#include "support.h"

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
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *l;
    ctl_status st = read_with("json", doc, (size_t)1 << 20, ctx, &l);
    assert_ok(ctx, st);
    ck_assert_uint_eq(l->n_items, 40000);
    ck_assert_str_eq(l->items[39999].id, "II.2");
    ctl_list_free(l);
    ctl_ctx_free(ctx);
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
    doc = repeat("[", "{}, ", 100000, "{}]");
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
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *l;
    assert_ok(ctx, read_with("json", doc, (size_t)1 << 20, ctx, &l));
    ck_assert_uint_eq(strlen(l->items[0].title), (size_t)8 << 20);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
    free(doc);
}
END_TEST

START_TEST(members_in_any_order)
{
    const char *in = "{\"items\": [{\"id\": \"II.1\", \"title\": \"a \\\"]}, {\\\" [b\"},\n"
                     "  {\"id\": \"II.2\"}], \"title\": \"T\", \"unplaced_isms\": [\"A.17\"],\n"
                     "  \"\\u0061nnex\": \"X\", \"columns\": [\"項番\"], \"format\": \"ctlconv-list\", \"version\": 1}";
    ctl_ctx *ctx = ctl_ctx_new();
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
    ctl_ctx_free(ctx);
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

/* A list of one item whose description (or first extra column's name)
 * holds n bytes. */
static ctl_list *one_long(size_t n, int in_name)
{
    char *big = malloc(n + 1);
    ck_assert(big != NULL);
    memset(big, 'y', n);
    memcpy(big, "&<\r", 3);
    memcpy(big + n - 3, "あ", 3);   /* a character at the end of a piece */
    big[n] = '\0';
    ctl_field extra[] = {{in_name ? big : "備考", "v"}};
    ctl_item it = {.id = "II.1", .label = "II. 1.", .level = 1, .title = "t", .description = in_name ? "" : big,
                   .extra = extra, .n_extra = 1};
    ctl_meta m = {.title = ""};
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    assert_ok(ctx, l->sink.item(&l->sink, ctx, &it));
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    free(big);
    return l;
}

static size_t count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, k)); p += k) n++;
    return n;
}

/* Around the writer's 8,000,000-byte pieces and libxml2's 10,000,000. */
START_TEST(xml_long_text_reads_back)
{
    static const struct { size_t bytes, comments; } cases[] = {
        {8000000, 0}, {8000001, 1}, {10000000, 1}, {10000001, 1}, {16000001, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_list *l = one_long(cases[i].bytes, 0);
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        size_t len;
        char *xml = write_list(ctx, "xml", l, NULL, &len, &st);
        assert_ok(ctx, st);
        ck_assert_uint_eq(count(xml, len, "<!---->"), cases[i].comments);
        ctl_list *back = read_bytes(ctx, "xml", xml, len, NULL, &st);
        ck_assert_msg(st == CTL_OK, "%zu bytes: %s", cases[i].bytes, ctl_error_message(ctx));
        char why[256];
        ck_assert_msg(ctl_list_equal(l, back, 1, why, sizeof why), "%zu bytes: %s", cases[i].bytes, why);
        ctl_list_free(back);
        ctl_list_free(l);
        ctl_ctx_free(ctx);
        free(xml);
    }
}
END_TEST

/* An attribute cannot be split: an extra column's name over 8,000,000
 * bytes as written is refused by the writer, not by the reader afterwards
 * (libxml2 refuses a start tag of 10 MB, and a shorter one that lies far
 * into its buffer). */
START_TEST(xml_long_attribute_refused)
{
    static const struct { size_t bytes; int in_amp; ctl_status st; } cases[] = {
        {8000001 - 11, 0, CTL_EINPUT},   /* "&<\r" written in 14 bytes */
        {8000000 - 11, 0, CTL_OK},
        {1700000, 1, CTL_EINPUT},        /* 1,699,994 '&': 8,499,970 bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_list *l = one_long(cases[i].bytes, 1);
        if (cases[i].in_amp) memset(l->items[0].extra[0].name + 3, '&', cases[i].bytes - 6);
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        size_t len;
        char *xml = write_list(ctx, "xml", l, NULL, &len, &st);
        ck_assert_msg(st == cases[i].st, "%zu: %s", cases[i].bytes, ctl_error_message(ctx));
        if (st != CTL_OK) {
            ck_assert_msg(strstr(ctl_error_message(ctx), "item II.1: the name of extra column 1 takes "), "%s",
                          ctl_error_message(ctx));
        } else {
            ctl_list *back = read_bytes(ctx, "xml", xml, len, NULL, &st);
            assert_ok(ctx, st);
            ck_assert_str_eq(back->items[0].extra[0].name, l->items[0].extra[0].name);
            ctl_list_free(back);
        }
        ctl_list_free(l);
        ctl_ctx_free(ctx);
        free(xml);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsonxml_bounds");
    TCase *tc = tcase_create("reader");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, many_small_items_stream);
    tcase_add_test(tc, one_huge_value_refused);
    tcase_add_test(tc, long_string_within_budget);
    tcase_add_test(tc, members_in_any_order);
    tcase_add_test(tc, errors_where_they_are);
    tcase_add_test(tc, xml_long_text_reads_back);
    tcase_add_test(tc, xml_long_attribute_refused);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
