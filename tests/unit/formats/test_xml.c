/* SPDX-License-Identifier: BSD-2-Clause */
/* The XML format: the shape the reader accepts, every way a document can
 * be refused, and the writer writing what its reader (libxml2 without
 * XML_PARSE_HUGE: 10,000,000 bytes a text node or attribute) reads back. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#define XHEAD "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"1\">"
#define X2HEAD "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"2\">"

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

START_TEST(xml_minimal_and_defaults)
{
    const char *in = XHEAD "<items><item id=\"III.1.1.10\"><title>t</title><isms>Ａ．５．１．１</isms>"
                     "<category>推奨</category><extra name=\"備考\">memo</extra></item></items></controlList>";
    ctl_status st;
    list = read_string(ctx, "xml", in, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[0].label, "III. 1. 1. 10");   /* no label: the canonical one */
    /* model v2: no level attribute: the level comes from containment
     * (nothing above: a top item), no longer from the number */
    ck_assert_int_eq(list->items[0].level, 1);
    ck_assert_str_eq(list->items[0].parent, "");
    ck_assert_str_eq(list->items[0].refs[0].scheme, "iso27001-2013");
    ck_assert_str_eq(list->items[0].refs[0].id, "A.5.1.1");
    ck_assert_int_eq(list->items[0].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(list->items[0].extra[0].value, "memo");
    ck_assert_str_eq(list->meta.title, "");
}
END_TEST

START_TEST(xml_refusals)
{
    static const char *const cases[][3] = {
        {"", "not-a-list", "empty XML document"},
        {"<controlList xmlns=\"urn:other\"/>", "not-a-list", "not a control list"},
        {XHEAD "text here<items/></controlList>", "bad-structure", "text directly inside <controlList>"},
        {XHEAD "<items><item id=\"II.1\"><extra>x</extra></item></items></controlList>", "bad-structure", "<extra> without a name"},
        /* model v2: any category word is kept; a value attribute is checked */
        {X2HEAD "<items><item id=\"II.1\"><category value=\"must\">x</category></item></items></controlList>", "bad-field",
         "category value 'must' is none of basic, recommended, mandatory"},
        {XHEAD "<items><item id=\"II.1\"><isms>B.1</isms></item></items></controlList>", "bad-field", "not an ISMS reference"},
        {XHEAD "<items><item id=\"nope\"/></items></controlList>", "bad-field", "without an identifier"},
        /* model v2: a level is the item's own (level 3 on II.1.1 is read) */
        {XHEAD "<items><item id=\"II.1.1\" level=\"0\"/></items></controlList>", "bad-field", "level '0' is no whole number"},
        {X2HEAD "<items><item id=\"II.1\" parent=\"not id\"/></items></controlList>", "bad-field", "parent 'not id' is no identifier"},
        {X2HEAD "<items><item id=\"II.1\"><ref>A.5</ref></item></items></controlList>", "bad-structure", "<ref> without a scheme"},
        {X2HEAD "<items><item id=\"II.1\"><ref scheme=\"Bad Scheme\">A.5</ref></item></items></controlList>", "bad-field",
         "reference scheme 'Bad Scheme' is not lower-case letters"},
        {XHEAD "<items/></controlList>", "no-rows", "no control rows"},
        {XHEAD "<items><item id=\"II.1\"/></items><title>late</title></controlList>", "bad-structure", "after <items>"},
        {XHEAD "<columns><col/></columns></controlList>", "bad-structure", "unknown element <col> in <columns>"},
        {XHEAD "<unplaced><ref/></unplaced></controlList>", "bad-structure", "unknown element <ref> in <unplaced>"},
        {XHEAD "<items><thing/></items></controlList>", "bad-structure", "unknown element <thing> in <items>"},
        {XHEAD "<items><item id=\"II.1\"><x:t xmlns:x=\"urn:x\"/></item></items></controlList>", "bad-structure", "unknown element"},
        {"<controlList xmlns=\"urn:ctlconv:list:1\" version=\"3\"/>", "unsupported-version", "unsupported version 3"},
        {XHEAD "<items><item id=\"II.1\"/></items></controlList><second/>", "malformed-xml", "malformed XML"},
        {XHEAD "<items><item id=\"II.1\"><title>open", "malformed-xml", "malformed XML"},
        {XHEAD "<title>&undefined;</title></controlList>", "malformed-xml", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) assert_refused("xml", cases[i][0], cases[i][1], cases[i][2]);
}
END_TEST

START_TEST(xml_unplaced_and_columns)
{
    const char *in = XHEAD "<columns><column>項番</column><column>備考</column></columns>"
                     "<items><item id=\"II.1\"/></items><unplaced><isms>A.17</isms></unplaced></controlList>";
    ctl_status st;
    list = read_string(ctx, "xml", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->meta.n_columns, 2);
    ck_assert_uint_eq(list->meta.n_unplaced, 1);
    ck_assert_str_eq(list->meta.unplaced[0], "A.17");
}
END_TEST

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
        assert_ok_msg(ctx, st, "%zu bytes", cases[i].bytes);
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

/* Version 2: parent attribute, references with their scheme, the
 * category word with its value, the list's scheme; and it reads back. */
START_TEST(xml_v2_shape)
{
    list = sample_list();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "xml", list, NULL, &n, &st);
    assert_ok(ctx, st);
    const char *want[] = {
        "version=\"2\"", "<refScheme>iso27001-2013</refScheme>", "<item id=\"II.1\" level=\"1\" parent=\"\">",
        "<item id=\"II.1.1.1\" level=\"3\" parent=\"II.1\">",
        "<ref scheme=\"iso27001-2013\">A.5.1.1</ref>", "<category value=\"basic\">基本</category>",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(out, want[i]) != NULL, "no %s in\n%s", want[i], out);
    ctl_list *back = read_bytes(ctx, "xml", out, n, NULL, &st);
    assert_ok(ctx, st);
    char why[256];
    ck_assert_msg(ctl_list_equal(list, back, 1, why, sizeof why), "%s", why);
    ck_assert_str_eq(back->meta.ref_scheme, "iso27001-2013");
    ctl_list_free(back);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xmljson");
    TCase *tc = tcase_create("readers");
    use_ctx_fixture(tc);
    tcase_add_test(tc, xml_minimal_and_defaults);
    tcase_add_test(tc, xml_refusals);
    tcase_add_test(tc, xml_unplaced_and_columns);
    tcase_add_test(tc, xml_long_text_reads_back);
    tcase_add_test(tc, xml_long_attribute_refused);
    tcase_add_test(tc, xml_v2_shape);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
