/* SPDX-License-Identifier: BSD-2-Clause */
/* OSCAL XML and the JSON form (formats/oscal_xml.c): every tree comes back
 * equal from the XML written of it (the whole catalog and component
 * definition models, awkward strings, the real catalogs); NIST-style
 * markup flattened to text; strings XML cannot hold, too deep a tree and
 * every way a document is refused.  (The XSD validity of the XML written
 * is checked by tests/e2e_oscal_xml.sh.) */
#include "support.h"
#include "../../../formats/oscal.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

extern const ctl_format ctl_format_oscal_xml;
extern const ctl_format ctl_format_oscal_component_xml;
extern const ctl_format ctl_format_xml;

#define NS "http://csrc.nist.gov/ns/oscal/1.0"
#define HEAD "<catalog xmlns=\"" NS "\" uuid=\"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\">"
#define META "<metadata><title>T</title><last-modified>2024-01-01T00:00:00Z</last-modified>" \
             "<version>1</version><oscal-version>1.2.1</oscal-version></metadata>"
#define REAL "/work/shared/corpora/real/"

/* The XML of doc (malloc'd); the status in *st. */
static char *to_xml(ctl_ctx *c, const json_t *doc, size_t *len, ctl_status *st)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert(f != NULL);
    *st = ctl_oscal_tree_to_xml(c, doc, f, "out.xml");
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

static json_t *from_xml(ctl_ctx *c, const char *xml, size_t len, const ctl_options *o, ctl_status *st)
{
    json_t *doc = (json_t *)1;
    *st = ctl_oscal_xml_to_tree(c, "in.xml", (const unsigned char *)xml, len, o, &doc);
    ck_assert(*st == CTL_OK ? doc != NULL : doc == NULL);
    return doc;
}

static json_t *parse(const char *json)
{
    json_error_t e;
    json_t *doc = json_loads(json, 0, &e);
    ck_assert_msg(doc != NULL, "%s: %s", e.text, json);
    return doc;
}

/* doc -> XML -> doc is equal; returns the XML. */
static char *round_trip(json_t *doc)
{
    ctl_status st;
    size_t len;
    char *xml = to_xml(ctx, doc, &len, &st);
    assert_ok(ctx, st);
    json_t *back = from_xml(ctx, xml, len, NULL, &st);
    assert_ok(ctx, st);
    if (!json_equal(doc, back)) {
        char *a = json_dumps(doc, JSON_SORT_KEYS), *b = json_dumps(back, JSON_SORT_KEYS);
        ck_abort_msg("not equal:\n%s\n%s\nXML:\n%s", a, b, xml);
    }
    json_decref(back);
    return xml;
}

/* The XML of a catalog whose one control has title and statement prose. */
static char *control_xml(const char *title, const char *prose, ctl_status *st)
{
    json_t *doc = json_pack("{s:{s:s, s:{s:s, s:s, s:s, s:s}, s:[{s:s, s:s, s:[{s:s, s:s}]}]}}", "catalog",
                            "uuid", "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724", "metadata", "title", "t",
                            "last-modified", "2024-01-01T00:00:00Z", "version", "1", "oscal-version", "1.2.1",
                            "controls", "id", "c1", "title", title, "parts", "name", "statement", "prose", prose);
    ck_assert(doc != NULL);
    size_t len;
    char *xml = to_xml(ctx, doc, &len, st);
    json_decref(doc);
    return xml;
}

/* xml read: the code named code, and msg in its message. */
static void refused(const char *xml, const ctl_options *o, const char *code, const char *msg)
{
    ctl_ctx *c = ctl_ctx_new();
    ctl_status st;
    json_t *doc = from_xml(c, xml, strlen(xml), o, &st);
    ck_assert_msg(st == CTL_EINPUT || st == CTL_ELIMIT, "accepted: %s", xml);
    ck_assert_msg(doc == NULL, "a tree on failure");
    ck_assert_msg(ctl_error_code(c) == ctl_diag_by_name(code), "%s: code %s, not %s (%s)", xml,
                  ctl_diag_name(ctl_error_code(c)), code, ctl_error_message(c));
    ck_assert_msg(strstr(ctl_error_message(c), msg) != NULL, "'%s' lacks '%s'", ctl_error_message(c), msg);
    ctl_ctx_free(c);
}

START_TEST(full_models_round_trip)
{
    static const char *const files[] = {"catalog-full.json", "component-full.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/oscal_xml/%s", CTL_TEST_DATA, files[i]);
        json_error_t e;
        json_t *doc = json_load_file(path, 0, &e);
        ck_assert_msg(doc != NULL, "%s: %s", path, e.text);
        char *xml = round_trip(doc);
        /* order and shape as the XSD has them */
        if (i == 0) {
            const char *want[] = {
                "<catalog xmlns=\"" NS "\" uuid=", "<revisions>\n      <revision>",
                "<document-id scheme=\"https://example.org/ids\">DOC-1</document-id>",
                "value=\"a, b&#9;c\"", "<title>全部の項目 &lt;&amp;\"'&gt; *not markdown*<br/>second line</title>",
                "<p>  edge spaces, a tab\there, CR LF&#13;<br/>and 「日本語」 <insert type=\"param\" id-ref=\"p-1\"/> "
                "{{insert: param, p-1}} {{ insert: param, a b }}  </p>",
                "<p>一行目<br/>二行目<br/><br/>  indented<br/></p>", "<part id=\"g1.1.1_smt.a\" name=\"item\">\n"
                "            <p/>", "<title/>", "<base64 filename=\"a.txt\" media-type=\"text/plain\">aGVsbG8=</base64>",
            };
            for (size_t k = 0; k < sizeof want / sizeof *want; k++)
                ck_assert_msg(strstr(xml, want[k]) != NULL, "no %s", want[k]);
            ck_assert(strstr(xml, "<param id=\"p-1\"") < strstr(xml, "<control id=\"top\""));
            ck_assert(strstr(xml, "<control id=\"top\"") < strstr(xml, "<group id=\"g1\""));
        } else {
            ck_assert(strstr(xml, "<port-range start=\"443\" end=\"443\" transport=\"TCP\">") != NULL);
            ck_assert(strstr(xml, "<implemented-requirement uuid=\"cb6c7f3e-5d2a-4e8f-9a1b-2c3d4e5f6a7b\" "
                                  "control-id=\"II.1.1.1\">") != NULL);
        }
        free(xml);
        json_decref(doc);
    }
}
END_TEST

/* Strings a list can hold come back as they were, in every markup. */
START_TEST(hostile_strings_round_trip)
{
    static const char *const texts[] = {
        "", " ", "\n", "\n\n", "a\n", "\na", "  lead and trail  ", "\ttab\t", "CR\rLF\nCRLF\r\n",
        "<&>\"'", "]]>", "&amp; &#10; &lt;", "*a* _b_ # c [d](e) `f` \\g \\\\", "<p>not markup</p><br/>",
        "日本語の「本文」。\n・箇条書き\n・二つ目", "Ⅱ．１．１", "emoji \xF0\x9F\x98\x80 and U+FFFD \xEF\xBF\xBD",
        "{{ insert: param, ac-1_prm_1 }}", "x{{ insert: param, a.b-c_d }}y{{ insert: assignment, _z }}",
        "{{insert: param, x}}", "{{ insert: param, x y }}", "{{ insert: param, }}", "{{ insert: param, 1x }}",
        "{{ insert: param, x }", "{{ insert: param, x }}}", "{{ insert: , x }}", "{{ insert: param, x  }}",
        "{{ insert: param, 日本 }}", "{{", "{{ insert: ",
        "C1 \xC2\x80 \xC2\x85 \xC2\x9F, U+2028 \xE2\x80\xA8, U+FDD0 \xEF\xB7\x90, U+FFFD \xEF\xBF\xBD, U+10FFFF \xF4\x8F\xBF\xBF",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        json_t *doc = json_pack("{s:{s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:[{s:s, s:s, s:[{s:s, s:s, s:s, s:s}], "
                                "s:[{s:s, s:s, s:s, s:[{s:s, s:s}]}]}]}}",
                                "catalog", "uuid", "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724", "metadata", "title",
                                texts[i], "last-modified", "2024-01-01T00:00:00Z", "version", texts[i],
                                "oscal-version", "1.2.1", "remarks", texts[i], "groups", "id", "g", "title", texts[i],
                                "props", "name", "label", "value", texts[i], "ns", "https://a.example/x?a=1&b=\"2\"",
                                "remarks", texts[i], "controls", "id", "c", "title", texts[i], "class", "basic",
                                "parts", "name", "statement", "prose", texts[i]);
        ck_assert(doc != NULL);
        free(round_trip(doc));
        json_decref(doc);
    }
}
END_TEST

/* XML 1.0 holds no C0 control but tab and line ends, nor U+FFFE/U+FFFF:
 * refused, naming where; nothing silently dropped or replaced. */
START_TEST(unwritable_characters)
{
    static const struct { const char *s; size_t n; const char *hex; } bad[] = {
        {"a\x01", 2, "U+0001"}, {"\x1F", 1, "U+001F"}, {"x\x0B", 2, "U+000B"}, {"\xEF\xBF\xBE", 3, "U+FFFE"},
        {"\xEF\xBF\xBF", 3, "U+FFFF"}, {"a\0b", 3, "U+0000"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *v = json_stringn(bad[i].s, bad[i].n);
        ck_assert(v != NULL);
        for (int where = 0; where < 3; where++) {
            ctl_ctx *c = ctl_ctx_new();
            json_t *doc = parse("{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\", \"metadata\": "
                                "{\"title\": \"t\"}, \"controls\": [{\"id\": \"II.1.1.1\", \"title\": \"t\", "
                                "\"props\": [{\"name\": \"label\", \"value\": \"v\"}], "
                                "\"parts\": [{\"name\": \"statement\", \"prose\": \"p\"}]}]}}");
            json_t *ctl = json_array_get(json_object_get(json_object_get(doc, "catalog"), "controls"), 0);
            if (where == 0) json_object_set(ctl, "title", v);
            if (where == 1) json_object_set(json_array_get(json_object_get(ctl, "props"), 0), "value", v);
            if (where == 2) json_object_set(json_array_get(json_object_get(ctl, "parts"), 0), "prose", v);
            ctl_status st;
            size_t len;
            char *xml = to_xml(c, doc, &len, &st);
            ck_assert_int_eq(st, CTL_EINPUT);
            assert_error_code(c, CTL_D_XML_UNWRITABLE);
            ck_assert_msg(strstr(ctl_error_message(c), bad[i].hex) != NULL, "%s", ctl_error_message(c));
            ck_assert_msg(strstr(ctl_error_message(c), where == 0 ? "<title> in <control> II.1.1.1"
                                                                  : where == 1 ? "<prop value> in <control> II.1.1.1"
                                                                               : "<p> in <control> II.1.1.1"),
                          "%s", ctl_error_message(c));
            free(xml);
            json_decref(doc);
            ctl_ctx_free(c);
        }
        json_decref(v);
    }
}
END_TEST

/* A tree ctlconv would not make is refused, not written in part. */
START_TEST(trees_refused)
{
    static const struct { const char *json, *code, *msg; } cases[] = {
        {"{\"catalog\": {\"uuid\": \"u\", \"metadata\": {\"title\": \"t\"}, \"groups\": [{\"title\": \"g\", "
         "\"groups\": [{\"title\": \"h\"}], \"controls\": [{\"id\": \"c\", \"title\": \"c\"}]}]}}",
         "xml-unwritable", "has both groups and controls"},
        {"{\"catalog\": {\"uuid\": \"u\", \"metadata\": {\"title\": \"t\"}, \"params\": [{\"id\": \"p\", "
         "\"values\": [\"a\"], \"select\": {\"choice\": [\"b\"]}}]}}", "xml-unwritable", "values and select"},
        {"{\"catalog\": {\"uuid\": \"u\", \"metadata\": {\"title\": \"t\", \"colour\": \"red\"}}}", "internal",
         "'colour' is no member of metadata"},
        {"{\"catalog\": {\"uuid\": \"u\", \"controls\": []}}", "internal", "an empty array"},
        {"{\"catalog\": {\"uuid\": \"u\", \"controls\": {\"id\": \"c\"}}}", "internal", "not an array"},
        {"{\"catalog\": {\"uuid\": 5}}", "internal", "not a string"},
        {"{\"catalog\": {\"uuid\": \"u\", \"metadata\": [1]}}", "internal", "not an object"},
        {"{\"profile\": {}}", "internal", "{\"catalog\": ...}"},
        {"{\"catalog\": {}, \"component-definition\": {}}", "internal", "not one"},
        {"{\"component-definition\": {\"components\": [{\"protocols\": [{\"port-ranges\": [{\"start\": -1}]}]}]}}",
         "internal", "not a whole number"},
        {"{\"catalog\": {\"metadata\": {\"document-ids\": [{\"scheme\": \"s\"}]}}}", "internal",
         "<document-id>: no value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_ctx *c = ctl_ctx_new();
        json_t *doc = parse(cases[i].json);
        ctl_status st;
        size_t len;
        char *xml = to_xml(c, doc, &len, &st);
        ck_assert_msg(st != CTL_OK, "written: %s", cases[i].json);
        ck_assert_msg(ctl_error_code(c) == ctl_diag_by_name(cases[i].code), "%s: %s", cases[i].json,
                      ctl_error_message(c));
        ck_assert_msg(strstr(ctl_error_message(c), cases[i].msg) != NULL, "'%s' lacks '%s'", ctl_error_message(c),
                      cases[i].msg);
        free(xml);
        json_decref(doc);
        ctl_ctx_free(c);
    }
}
END_TEST

/* Controls nested 199 deep (elements 200 deep) are written and read; one
 * more is refused by the writer, and a deeper document by the reader. */
START_TEST(depth_limit)
{
    for (int n = 198; n <= 199; n++) {
        json_t *doc = parse("{\"catalog\": {\"uuid\": \"u\"}}");
        json_t *at = json_object_get(doc, "catalog");
        for (int i = 0; i < n; i++) {
            json_t *c = json_pack("{s:s, s:s}", "id", "c", "title", "t");
            json_object_set_new(at, "controls", json_pack("[o]", c));
            at = c;
        }
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        size_t len;
        char *xml = to_xml(c, doc, &len, &st);
        if (n == 198) {
            assert_ok(c, st);
            json_t *back = from_xml(c, xml, len, NULL, &st);
            assert_ok(c, st);
            ck_assert(json_equal(doc, back));
            json_decref(back);
        } else {
            ck_assert_int_eq(st, CTL_EINPUT);
            assert_error_code(c, CTL_D_XML_UNWRITABLE);
            ck_assert(strstr(ctl_error_message(c), "nested 201 deep") != NULL);
        }
        free(xml);
        json_decref(doc);
        ctl_ctx_free(c);
    }
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, HEAD));
    for (int i = 0; i < 300; i++) ck_assert(ctl_buf_adds(&b, "<control id=\"c\">"));
    refused(b.data, NULL, "fixed-limit", "nested deeper than 200");
    ctl_buf_free(&b);
}
END_TEST

/* libxml2 reads 10,000,000 bytes a text node: longer text is written in
 * pieces (an empty comment between them) and read back whole. */
START_TEST(long_text_reads_back)
{
    size_t n = 10000001;
    char *big = malloc(n + 1);
    ck_assert(big != NULL);
    memset(big, 'y', n);
    memcpy(big, "&<\r\n", 4);
    memcpy(big + 8000003, "あ", 3);   /* across the first piece's end (after the <br/>) */
    big[n] = '\0';
    ctl_status st;
    char *xml = control_xml("t", big, &st);
    assert_ok(ctx, st);
    ck_assert(strstr(xml, "<!---->") != NULL);
    size_t len = strlen(xml);
    json_t *back = from_xml(ctx, xml, len, NULL, &st);
    assert_ok(ctx, st);
    const json_t *c = json_array_get(json_object_get(json_object_get(back, "catalog"), "controls"), 0);
    const json_t *p = json_array_get(json_object_get(c, "parts"), 0);
    ck_assert_uint_eq(json_string_length(json_object_get(p, "prose")), n);
    ck_assert(!memcmp(json_string_value(json_object_get(p, "prose")), big, n));
    json_decref(back);
    free(xml);
    free(big);
}
END_TEST

/* NIST's markup flattened: paragraphs and list items as lines, inline
 * markup's text, inserts as the JSON form writes them; nested groups and
 * controls; flags and fields in any order the XSD allows. */
START_TEST(nist_markup_flattened)
{
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!-- a comment -->\n"
        "<catalog xmlns=\"" NS "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"" NS " x.xsd\" uuid=\"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\">\n"
        "  <metadata>\n    <title>Sample <em>Security</em> Catalog</title>\n"
        "    <last-modified>2024-01-01T00:00:00Z</last-modified>\n    <version>1.0</version>\n"
        "    <oscal-version>1.2.1</oscal-version>\n"
        "    <remarks>\n      <p>One <a href=\"https://x\">link</a>.</p>\n      <p>Two</p>\n    </remarks>\n"
        "  </metadata>\n"
        "  <group id=\"ac\" class=\"family\">\n    <title>Access Control</title>\n"
        "    <group id=\"ac.1\"><title>Sub</title>\n"
        "    <control id=\"ac-1\" class=\"SP800-53\">\n      <title>Policy and <code>Procedures</code></title>\n"
        "      <param id=\"ac-1_prm_1\"><label>organization-defined personnel</label>\n"
        "        <select how-many=\"one-or-more\"><choice>a <strong>b</strong></choice>"
        "<choice><insert type=\"param\" id-ref=\"ac-1_prm_2\"/></choice></select></param>\n"
        "      <prop name=\"label\" value=\"AC-1\"/>\n"
        "      <link href=\"#ref\" rel=\"reference\"><text>Ref <i>one</i></text></link>\n"
        "      <part id=\"ac-1_smt\" name=\"statement\">\n"
        "        <p>Develop for <insert type=\"param\" id-ref=\"ac-1_prm_1\"/>:</p>\n"
        "        <ol start=\"2\">\n          <li>first <b>bold</b></li>\n"
        "          <li>\n            <p>second</p>\n            <ul><li>deep<br/>er</li></ul>\n          </li>\n"
        "          <li>run <em>x</em>\n            <ul><li>after</li></ul> tail </li>\n        </ol>\n"
        "        <h3>Heading</h3>\n        <pre>  pre\n  formatted</pre>\n        <hr/>\n"
        "        <blockquote><p>quoted</p></blockquote>\n"
        "        <table><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td><em>b</em></td></tr></table>\n"
        "        <p><![CDATA[<cdata> & ]]>text<!-- gone --><sub>2</sub><sup>3</sup><q>q</q>"
        "<img src=\"i.png\" alt=\"[img]\"/></p>\n"
        "        <part id=\"ac-1_smt.a\" name=\"item\">\n          <prop name=\"label\" value=\"a.\"/>\n"
        "          <p>Item a</p>\n        </part>\n"
        "      </part>\n"
        "      <control id=\"ac-1.1\"><title>Enhancement</title></control>\n"
        "    </control>\n    </group>\n  </group>\n"
        "</catalog>\n";
    ctl_status st;
    json_t *doc = from_xml(ctx, xml, strlen(xml), NULL, &st);
    assert_ok(ctx, st);
    json_t *want = parse(
        "{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\", \"metadata\": {\"title\": "
        "\"Sample Security Catalog\", \"last-modified\": \"2024-01-01T00:00:00Z\", \"version\": \"1.0\", "
        "\"oscal-version\": \"1.2.1\", \"remarks\": \"One link.\\nTwo\"}, \"groups\": [{\"id\": \"ac\", "
        "\"class\": \"family\", \"title\": \"Access Control\", \"groups\": [{\"id\": \"ac.1\", \"title\": \"Sub\", "
        "\"controls\": [{\"id\": \"ac-1\", \"class\": \"SP800-53\", \"title\": \"Policy and Procedures\", "
        "\"params\": [{\"id\": \"ac-1_prm_1\", \"label\": \"organization-defined personnel\", \"select\": "
        "{\"how-many\": \"one-or-more\", \"choice\": [\"a b\", \"{{ insert: param, ac-1_prm_2 }}\"]}}], "
        "\"props\": [{\"name\": \"label\", \"value\": \"AC-1\"}], \"links\": [{\"href\": \"#ref\", \"rel\": "
        "\"reference\", \"text\": \"Ref one\"}], \"parts\": [{\"id\": \"ac-1_smt\", \"name\": \"statement\", "
        "\"prose\": \"Develop for {{ insert: param, ac-1_prm_1 }}:\\nfirst bold\\nsecond\\ndeep\\ner\\nrun x\\n"
        "after\\ntail\\nHeading\\n  pre\\n  formatted\\nquoted\\nh1\\th2\\na\\tb\\n<cdata> & text23q[img]\", "
        "\"parts\": [{\"id\": \"ac-1_smt.a\", \"name\": \"item\", \"props\": [{\"name\": \"label\", "
        "\"value\": \"a.\"}], \"prose\": \"Item a\"}]}], \"controls\": [{\"id\": \"ac-1.1\", \"title\": "
        "\"Enhancement\"}]}]}]}]}}");
    if (!json_equal(doc, want)) {
        char *a = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(1));
        ck_abort_msg("read:\n%s", a);
    }
    json_decref(want);
    json_decref(doc);
}
END_TEST

/* A prefixed namespace, an empty element, a field with flags, text split
 * by comments and character references. */
START_TEST(shapes_read)
{
    static const char xml[] =
        "<o:catalog xmlns:o=\"" NS "\" uuid=\"u\"><o:metadata><o:title/><o:version>1<!-- c -->.&#50;</o:version>"
        "<o:document-id scheme=\"s\">D&amp;1</o:document-id></o:metadata>"
        "<o:control id=\"c\"><o:title>t</o:title><o:part name=\"statement\"/></o:control></o:catalog>";
    ctl_status st;
    json_t *doc = from_xml(ctx, xml, strlen(xml), NULL, &st);
    assert_ok(ctx, st);
    json_t *want = parse("{\"catalog\": {\"uuid\": \"u\", \"metadata\": {\"title\": \"\", \"version\": \"1.2\", "
                         "\"document-ids\": [{\"scheme\": \"s\", \"identifier\": \"D&1\"}]}, \"controls\": "
                         "[{\"id\": \"c\", \"title\": \"t\", \"parts\": [{\"name\": \"statement\"}]}]}}");
    ck_assert(json_equal(doc, want));
    json_decref(want);
    json_decref(doc);
    /* a component definition is read as well (the format refuses it) */
    static const char comp[] = "<component-definition xmlns=\"" NS "\" uuid=\"u\"><component uuid=\"v\" "
                               "type=\"service\"><protocol><port-range start=\"1\" end=\"65535\"/></protocol>"
                               "</component></component-definition>";
    doc = from_xml(ctx, comp, strlen(comp), NULL, &st);
    assert_ok(ctx, st);
    json_t *pr = json_array_get(json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(
        json_object_get(doc, "component-definition"), "components"), 0), "protocols"), 0), "port-ranges"), 0);
    ck_assert(json_is_integer(json_object_get(pr, "end")));
    ck_assert_int_eq(json_integer_value(json_object_get(pr, "end")), 65535);
    json_decref(doc);
}
END_TEST

START_TEST(documents_refused)
{
    static const struct { const char *xml, *code, *msg; } cases[] = {
        {"", "empty-input", "empty input"},
        {"  \n", "empty-input", "empty input"},
        {"{\"catalog\": {}}", "not-a-list", "not XML"},
        {"<?xml version=\"1.0\"?><!-- only -->", "malformed-xml", "malformed XML"},
        {HEAD META "<control id=\"c\"><title>t</control></catalog>", "malformed-xml", "malformed XML"},
        {HEAD "\n\n" META "<group><title>x</title></group>\n<oops", "malformed-xml", "malformed XML"},
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE catalog [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n"
         HEAD "<metadata><title>&b;</title></metadata></catalog>", "doctype", "DOCTYPE"},
        {"<!DOCTYPE catalog SYSTEM \"file:///etc/passwd\">" HEAD "</catalog>", "doctype", "DOCTYPE"},
        {HEAD "<metadata><title>&undefined;</title></metadata></catalog>", "malformed-xml", "malformed XML"},
        {"<controlList xmlns=\"urn:ctlconv:list:1\"/>", "not-a-list", "not OSCAL: the root element is "
         "<controlList> in namespace urn:ctlconv:list:1"},
        {"<catalog uuid=\"u\"/>", "not-a-list", "not OSCAL: the root element is <catalog>, not <catalog xmlns"},
        {"<profile xmlns=\"" NS "\" uuid=\"u\"/>", "not-a-list", "an OSCAL <profile>, not a catalog"},
        {HEAD META "<control id=\"c\"><title>t</title><colour/></control></catalog>", "bad-structure",
         "unknown element <colour> in <control>"},
        {HEAD META "<control id=\"c\" colour=\"red\"><title>t</title></control></catalog>", "bad-structure",
         "unknown attribute colour on <control>"},
        {HEAD META "<control id=\"c\"><title class=\"x\">t</title></control></catalog>", "bad-structure",
         "unknown attribute class on <title>"},
        {HEAD META "<control id=\"c\"><title>t</title><x:p xmlns:x=\"urn:x\"/></control></catalog>", "bad-structure",
         "not in the OSCAL namespace"},
        {HEAD META "<control id=\"c\"><title>t</title><title>u</title></control></catalog>", "bad-structure",
         "a second <title> in <control>"},
        {HEAD META "<control id=\"c\">stray<title>t</title></control></catalog>", "bad-structure",
         "text directly inside <control>"},
        {HEAD META "<control id=\"c\"><title>t</title><part name=\"s\">loose text</part></control></catalog>",
         "bad-structure", "text directly inside <part>"},
        {HEAD META "<control id=\"c\"><title>t</title><part name=\"s\"><p>a<p>b</p></p></part></control></catalog>",
         "bad-structure", "<p> in <p>"},
        {HEAD META "<control id=\"c\"><title>a <p>b</p></title></control></catalog>", "bad-structure",
         "<p> in <title>"},
        {HEAD META "<control id=\"c\"><title>t</title><part name=\"s\"><ul><p>x</p></ul></part></control></catalog>",
         "bad-structure", "<p> in <ul>"},
        {HEAD META "<control id=\"c\"><title><insert type=\"param\"/></title></control></catalog>",
         "bad-structure", "<insert> without its id-ref attribute"},
        {HEAD "<metadata><version>1<em>x</em></version></metadata></catalog>", "bad-structure",
         "element <em> inside <version>, which holds text only"},
        {HEAD "<metadata><revisions><role id=\"r\"/></revisions></metadata></catalog>", "bad-structure",
         "unknown element <role> in <revisions>"},
        {"<component-definition xmlns=\"" NS "\"><component><protocol><port-range start=\"x1\"/></protocol>"
         "</component></component-definition>", "bad-field", "start=\"x1\" on <port-range> is no whole number"},
        {"<component-definition xmlns=\"" NS "\"><component><protocol><port-range end=\"-1\"/></protocol>"
         "</component></component-definition>", "bad-field", "is no whole number"},
        {HEAD "<metadata><title>\xff</title></metadata></catalog>", "malformed-xml", "malformed XML"},
        {HEAD "</catalog><catalog/>", "malformed-xml", "malformed XML"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) refused(cases[i].xml, NULL, cases[i].code, cases[i].msg);
}
END_TEST

/* The line of an error is the document's. */
START_TEST(errors_name_their_line)
{
    static const char *const xml[] = {
        HEAD "\n" META "\n<control id=\"c\">\n<title>t</title>\n<colour/>\n</control></catalog>",
        HEAD "\n" META "\n<control id=\"c\">\n<title>t</title>\n<part name=\"s\"><ul><p/></ul></part>"
        "</control></catalog>",
        HEAD "\n" META "\n<control id=\"c\">\n<title>t</title>\n<oops></control></catalog>",
    };
    for (size_t i = 0; i < sizeof xml / sizeof *xml; i++) {
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        json_t *doc = from_xml(c, xml[i], strlen(xml[i]), NULL, &st);
        ck_assert(st == CTL_EINPUT && !doc);
        ck_assert_msg(ctl_error_line(c) == 5, "%s: line %ld", ctl_error_message(c), ctl_error_line(c));
        ck_assert_str_eq(ctl_error_file(c), "in.xml");
        ctl_ctx_free(c);
    }
}
END_TEST

/* The tree is held to json-memory + 6 x the document's size. */
START_TEST(tree_memory_bounded)
{
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, HEAD META "<control id=\"c\"><title>t</title>"));
    for (int i = 0; i < 20000; i++) ck_assert(ctl_buf_adds(&b, "<prop/>"));
    ck_assert(ctl_buf_adds(&b, "</control></catalog>"));
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_JSON_MEMORY] = 1 << 20;
    refused(b.data, &o, "limit", "makes a tree of more than 1048576 + 6 x");
    o.limit[CTL_LIMIT_JSON_MEMORY] = 8 << 20;
    ctl_status st;
    json_t *doc = from_xml(ctx, b.data, b.len, &o, &st);
    assert_ok(ctx, st);
    json_decref(doc);
    ctl_buf_free(&b);
}
END_TEST

/* jansson's allocations as a host counts them. */
static size_t held, peak;

static void *host_malloc(size_t n)
{
    void *p = malloc(n);
    if (p) {
        held += malloc_usable_size(p) + sizeof(size_t);
        if (held > peak) peak = held;
    }
    return p;
}

static void host_free(void *p)
{
    if (p) held -= malloc_usable_size(p) + sizeof(size_t);
    free(p);
}

/* For shapes of every kind of node, at sizes around the bound: what jansson
 * takes (counted by a host's functions) never exceeds json-memory + 6 x
 * the document's bytes, whether the document is read or refused; the
 * shapes that cost more than 6 x their bytes are refused at the largest
 * size, prose never. */
START_TEST(tree_within_the_bound_as_counted)
{
    static const struct { const char *head, *node, *tail; int refused; } shapes[] = {
        {"<control id=\"c\"><title>t</title>", "<prop/>", "</control>", 1},
        {"<control id=\"c\"><title>t</title>", "<prop name=\"label\" value=\"v\" class=\"k\"/>", "</control>", 1},
        {"<control id=\"c\"><title>t</title>", "<link href=\"#\"><text/></link>", "</control>", 1},
        {"", "<control id=\"c\"><title/></control>", "", 1},
        {"", "<group><group><control id=\"c\"/></group></group>", "", 1},
        {"<param id=\"p\">", "<value/>", "</param>", 1},
        {"<param id=\"p\"><select>", "<choice/>", "</select></param>", 1},
        {"<back-matter>", "<resource uuid=\"u\"><rlink href=\"h\"><hash algorithm=\"a\">v</hash></rlink></resource>",
         "</back-matter>", 1},
        {"<control id=\"c\"><title>t</title><part name=\"s\">", "<p>some words of prose</p>", "</part></control>", 0},
    };
    const size_t floor = (size_t)64 << 10;
    json_set_alloc_funcs(host_malloc, host_free);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        int accepted = 0, refused = 0;
        for (size_t n = 1; n <= ((size_t)1 << 14); n *= 4) {
            ctl_buf b = {0};
            ck_assert(ctl_buf_adds(&b, HEAD META) && ctl_buf_adds(&b, shapes[i].head));
            for (size_t k = 0; k < n; k++) ck_assert(ctl_buf_adds(&b, shapes[i].node));
            ck_assert(ctl_buf_adds(&b, shapes[i].tail) && ctl_buf_adds(&b, "</catalog>"));
            ctl_options o;
            ctl_options_init(&o);
            o.limit[CTL_LIMIT_JSON_MEMORY] = floor;
            ctl_ctx *c = ctl_ctx_new();
            held = peak = 0;
            ctl_status st;
            json_t *doc = from_xml(c, b.data, b.len, &o, &st);
            ck_assert_msg(st == CTL_OK || ctl_error_code(c) == CTL_D_LIMIT, "%s: %s", shapes[i].node,
                          ctl_error_message(c));
            accepted += st == CTL_OK;
            refused += st != CTL_OK;
            ck_assert_msg(peak <= floor + 6 * b.len, "%s x %zu: %zu bytes for a document of %zu", shapes[i].node, n,
                          peak, b.len);
            json_decref(doc);
            ck_assert_uint_eq(held, 0);
            ctl_ctx_free(c);
            ctl_buf_free(&b);
        }
        ck_assert_msg(accepted > 0, "%s never read", shapes[i].node);
        ck_assert_msg(!refused == !shapes[i].refused, "%s refused %d times", shapes[i].node, refused);
    }
    json_set_alloc_funcs(malloc, free);
}
END_TEST

/* Content decides: an OSCAL root beats the generic XML format's bid. */
START_TEST(probe)
{
    static const struct { const char *s; int oscal; } cases[] = {
        {"<?xml version=\"1.0\"?>\n<catalog xmlns=\"" NS "\" uuid=\"u\">", 1},
        {"\xEF\xBB\xBF<!-- c > -->\n<?pi x?><catalog uuid=\"a>b\" xmlns='" NS "'>", 1},
        {"<o:catalog xmlns:o=\"" NS "\">", 1},
        {"<o:catalog xmlns=\"" NS "\">", 0},
        {"<catalog xmlns=\"" NS "/\">", 0},
        {"<catalog xmlns:o=\"" NS "\">", 0},
        {"<profile xmlns=\"" NS "\">", 1},
        {"<controlList xmlns=\"urn:ctlconv:list:1\" version=\"2\">", 0},
        {"<?xml version=\"1.0\"?><catalog>", 0},
        {"{\"catalog\": {}}", 0},
        {"<catalog xmlns=\"" NS, 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int sc = ctl_format_oscal_xml.probe(cases[i].s, strlen(cases[i].s));
        ck_assert_msg(cases[i].oscal ? sc > ctl_format_xml.probe(cases[i].s, strlen(cases[i].s)) && sc >= 80 : sc == 0,
                      "%s: %d", cases[i].s, sc);
    }
    ck_assert_str_eq(ctl_format_oscal_xml.name, "oscal-xml");
    ck_assert(ctl_format_oscal_xml.read && ctl_format_oscal_xml.writer);
    ck_assert_uint_eq(ctl_format_oscal_xml.loses, CTL_LOSES_ANSWERS);
    ck_assert_uint_eq(ctl_format_oscal_xml.options, CTL_WRITES_DATE | CTL_WRITES_DOC_VERSION);
    ck_assert(!ctl_format_oscal_component_xml.read && ctl_format_oscal_component_xml.writer);
    ck_assert_uint_eq(ctl_format_oscal_component_xml.options,
                      CTL_WRITES_DATE | CTL_WRITES_COMPONENT | CTL_WRITES_DOC_VERSION);
}
END_TEST

/* The real catalogs: their XML reads back as the same tree. */
START_TEST(real_catalogs_round_trip)
{
    static const char *const files[] = {REAL "basic-catalog.json",
                                        REAL "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        json_error_t e;
        json_t *doc = json_load_file(files[i], 0, &e);
        if (!doc) {
            printf("skipped: %s not at hand\n", files[i]);
            continue;
        }
        free(round_trip(doc));
        json_decref(doc);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("oscal_xml");
    TCase *tc = tcase_create("oscal_xml");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, full_models_round_trip);
    tcase_add_test(tc, hostile_strings_round_trip);
    tcase_add_test(tc, unwritable_characters);
    tcase_add_test(tc, trees_refused);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, long_text_reads_back);
    tcase_add_test(tc, nist_markup_flattened);
    tcase_add_test(tc, shapes_read);
    tcase_add_test(tc, documents_refused);
    tcase_add_test(tc, errors_name_their_line);
    tcase_add_test(tc, tree_memory_bounded);
    tcase_add_test(tc, tree_within_the_bound_as_counted);
    tcase_add_test(tc, probe);
    tcase_add_test(tc, real_catalogs_round_trip);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
