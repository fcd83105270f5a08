/* The XML, JSON and JSON Lines readers: the shape they accept, and every
 * way a document can be refused. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#define XHEAD "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"1\">"

/* The input is refused with the code named code; msg: a fragment of the
 * message where its wording matters. */
static void refused(const char *format, const char *in, const char *code, const char *msg)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, format, in, &st);
    ck_assert_msg(st == CTL_EINPUT || st == CTL_ELIMIT, "%s accepted: %s", format, in);
    ck_assert_msg(ctl_diag_by_name(code) != CTL_DIAG_COUNT, "no code '%s'", code);
    assert_error_code(ctx, ctl_diag_by_name(code));
    ck_assert_msg(strstr(ctl_error_message(ctx), msg) != NULL, "'%s' lacks '%s'", ctl_error_message(ctx), msg);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}

START_TEST(xml_minimal_and_defaults)
{
    const char *in = XHEAD "<items><item id=\"III.1.1.10\"><title>t</title><isms>Ａ．５．１．１</isms>"
                     "<category>推奨</category><extra name=\"備考\">memo</extra></item></items></controlList>";
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, "xml", in, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->items[0].label, "III. 1. 1. 10");   /* no label: the canonical one */
    ck_assert_int_eq(l->items[0].level, 3);
    ck_assert_str_eq(l->items[0].isms[0], "A.5.1.1");
    ck_assert_int_eq(l->items[0].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(l->items[0].extra[0].value, "memo");
    ck_assert_str_eq(l->meta.title, "");
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(xml_refusals)
{
    static const char *const cases[][3] = {
        {"", "not-a-list", "empty XML document"},
        {"<controlList xmlns=\"urn:other\"/>", "not-a-list", "not a control list"},
        {XHEAD "text here<items/></controlList>", "bad-structure", "text directly inside <controlList>"},
        {XHEAD "<items><item id=\"II.1\"><extra>x</extra></item></items></controlList>", "bad-structure", "<extra> without a name"},
        {XHEAD "<items><item id=\"II.1\"><category>must</category></item></items></controlList>", "bad-field", "neither basic nor recommended"},
        {XHEAD "<items><item id=\"II.1\"><isms>B.1</isms></item></items></controlList>", "bad-field", "not an ISMS reference"},
        {XHEAD "<items><item id=\"nope\"/></items></controlList>", "bad-field", "without an item number"},
        {XHEAD "<items><item id=\"II.1.1\" level=\"3\"/></items></controlList>", "bad-field", "level 3 does not match"},
        {XHEAD "<items/></controlList>", "no-rows", "no control rows"},
        {XHEAD "<items><item id=\"II.1\"/></items><title>late</title></controlList>", "bad-structure", "after <items>"},
        {XHEAD "<columns><col/></columns></controlList>", "bad-structure", "unknown element <col> in <columns>"},
        {XHEAD "<unplaced><ref/></unplaced></controlList>", "bad-structure", "unknown element <ref> in <unplaced>"},
        {XHEAD "<items><thing/></items></controlList>", "bad-structure", "unknown element <thing> in <items>"},
        {XHEAD "<items><item id=\"II.1\"><x:t xmlns:x=\"urn:x\"/></item></items></controlList>", "bad-structure", "unknown element"},
        {"<controlList xmlns=\"urn:ctlconv:list:1\" version=\"2\"/>", "unsupported-version", "unsupported version 2"},
        {XHEAD "<items><item id=\"II.1\"/></items></controlList><second/>", "malformed-xml", "malformed XML"},
        {XHEAD "<items><item id=\"II.1\"><title>open", "malformed-xml", "malformed XML"},
        {XHEAD "<title>&undefined;</title></controlList>", "malformed-xml", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) refused("xml", cases[i][0], cases[i][1], cases[i][2]);
}
END_TEST

START_TEST(xml_unplaced_and_columns)
{
    const char *in = XHEAD "<columns><column>項番</column><column>備考</column></columns>"
                     "<items><item id=\"II.1\"/></items><unplaced><isms>A.17</isms></unplaced></controlList>";
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, "xml", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(l->meta.n_columns, 2);
    ck_assert_uint_eq(l->meta.n_unplaced, 1);
    ck_assert_str_eq(l->meta.unplaced[0], "A.17");
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(json_refusals)
{
    static const char *const cases[][3] = {
        {"[1, 2]", "not-a-list", "not a control list"},
        {"{\"items\": []}", "no-rows", "\"items\" is empty"},
        {"{\"items\": [1]}", "bad-field", "must be an object"},
        {"{\"items\": [{\"title\": \"t\"}]}", "bad-field", "'id' (the item number) is missing"},
        {"{\"items\": [{\"id\": \"x\"}]}", "bad-field", "not an item number"},
        {"{\"items\": [{\"id\": \"II.1\", \"level\": 2}]}", "bad-field", "'level' does not match"},
        {"{\"items\": [{\"id\": \"II.1\", \"title\": 5}]}", "bad-field", "'title' must be a string"},
        {"{\"items\": [{\"id\": \"II.1\", \"isms\": \"A.5\"}]}", "bad-field", "must be an array of references"},
        {"{\"items\": [{\"id\": \"II.1\", \"isms\": [\"A.5\", 7]}]}", "bad-field", "not an ISMS reference"},
        {"{\"items\": [{\"id\": \"II.1\", \"category\": \"must\"}]}", "bad-field", "'category' must be"},
        {"{\"items\": [{\"id\": \"II.1\", \"extra\": {}}]}", "bad-field", "'extra' must be an array"},
        {"{\"items\": [{\"id\": \"II.1\", \"extra\": [{\"name\": \"a\"}]}]}", "bad-field", "'extra' entries must be"},
        {"{\"format\": \"other\", \"items\": [{\"id\": \"II.1\"}]}", "not-a-list", "\"format\" is not"},
        {"{\"version\": 2, \"items\": [{\"id\": \"II.1\"}]}", "unsupported-version", "unsupported version"},
        {"{\"colour\": 1, \"items\": [{\"id\": \"II.1\"}]}", "not-a-list", "unknown key 'colour' at the top"},
        {"{\"columns\": \"a\", \"items\": [{\"id\": \"II.1\"}]}", "bad-field", "'columns' must be an array"},
        {"{\"columns\": [1], \"items\": [{\"id\": \"II.1\"}]}", "bad-field", "'columns' must be an array"},
        {"{\"items\": [{\"id\": \"II.1\", \"title\": \"a\\u0000b\"}]}", "malformed-json", "JSON:"},
        {"{\"items\": [{\"id\": \"II.1\"}],}", "malformed-json", "JSON:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) refused("json", cases[i][0], cases[i][1], cases[i][2]);
}
END_TEST

START_TEST(jsonl_refusals_and_reading)
{
    static const char *const cases[][3] = {
        {"", "empty-input", "empty input"},
        {"{\"id\": \"II.1\"}\n", "not-a-list", "the first line must hold the metadata"},
        {"{\"format\": \"ctlconv-list\"}\n", "no-rows", "no item lines"},
        {"{\"format\": \"ctlconv-list\"}\n[1]\n", "not-a-list", "must be an object"},
        {"{\"format\": \"ctlconv-list\", \"unplaced_isms\": [\"A.1\"]}\n{\"id\": \"II.1\"}\n", "bad-structure", "belongs on the last line"},
        {"{\"format\": \"ctlconv-list\"}\n{\"id\": \"II.1\"}\n{\"unplaced_isms\": []}\n{\"id\": \"II.2\"}\n", "not-a-list", "after the unplaced"},
        {"{\"format\": \"ctlconv-list\", \"items\": []}\n", "not-a-list", "unknown key 'items'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) refused("jsonl", cases[i][0], cases[i][1], cases[i][2]);
    const char *ok = "\xEF\xBB\xBF{\"format\": \"ctlconv-list\", \"title\": \"T\"}\r\n\n  {\"id\": \"II.1\"}  \r\n"
                     "{\"unplaced_isms\": [\"A.17\"]}\n";
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, "jsonl", ok, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->meta.title, "T");
    ck_assert_uint_eq(l->meta.n_unplaced, 1);
    ck_assert_int_eq(l->items[0].pos.line, 3);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xmljson");
    TCase *tc = tcase_create("readers");
    tcase_add_test(tc, xml_minimal_and_defaults);
    tcase_add_test(tc, xml_refusals);
    tcase_add_test(tc, xml_unplaced_and_columns);
    tcase_add_test(tc, json_refusals);
    tcase_add_test(tc, jsonl_refusals_and_reading);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
