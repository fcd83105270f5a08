/* SPDX-License-Identifier: BSD-2-Clause */
/* CISO Assistant's library workbook (formats/ciso_xlsx.c) and the reading
 * of a workbook's sheets as rows (formats/xlsx.h): library trees made here
 * written and read back equal; the URNs, depths and parents of the
 * converter's rules; what the converter changes (trimmed text, formula-like
 * translations, importance undefined) said; trees the workbook cannot hold
 * refused; the real ISO/IEC 27001:2022 workbook (140 nodes); corrupt and
 * hostile workbooks refused with codes.  Workbooks are built here with
 * libxlsxwriter. */
#include "support.h"
#include "internal.h"
#include "../../../formats/xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REAL_2022 CTL_SOURCE_DIR "/../shared/corpora/real/iso27001-2022.xlsx"
#define BASE "urn:ctlconv:risk:req_node:t"

/* ------------------------------------------------------------ helpers */

static json_t *tree_of(const char *text)
{
    json_error_t err;
    json_t *t = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    ck_assert_msg(t != NULL, "bad test tree, line %d: %s", err.line, err.text);
    return t;
}

/* A library around a framework's nodes (JSON text of the array). */
static json_t *library(const char *nodes)
{
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text,
        "{\"urn\": \"urn:ctlconv:risk:library:t\", \"locale\": \"ja\", \"ref_id\": \"t\", \"name\": \"試験\","
        " \"version\": 2, \"provider\": \"総務省\", \"packager\": \"ctlconv\","
        " \"objects\": {\"framework\": {\"urn\": \"urn:ctlconv:risk:framework:t\", \"ref_id\": \"t\","
        " \"name\": \"対策一覧\", \"requirement_nodes\": %s}}}", nodes), 0);
    json_t *t = tree_of(text);
    free(text);
    return t;
}

/* The workbook of a tree, in memory; the status in *st. */
static unsigned char *write_tree(ctl_ctx *c, const json_t *lib, size_t *len, ctl_status *st)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ctl_options o;
    ctl_options_init(&o);
    *st = ctl_ciso_tree_to_xlsx(c, lib, f, "t.xlsx", &o);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    unsigned char *d = malloc((size_t)n + 1);
    rewind(f);
    ck_assert_uint_eq(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

/* The tree of a workbook's bytes; NULL with the status in *st. */
static json_t *read_tree(ctl_ctx *c, const unsigned char *d, size_t len, ctl_status *st)
{
    ctl_options o;
    ctl_options_init(&o);
    ctl_input in = {.name = "t.xlsx", .data = d, .len = len};
    ctl_xlsx_book *b;
    json_t *lib = NULL;
    *st = ctl_xlsx_book_open(c, &in, &o, &b);
    if (*st != CTL_OK) return NULL;
    *st = ctl_ciso_xlsx_to_tree(c, b, &o, &lib);
    ctl_xlsx_book_close(b);
    return lib;
}

/* Written and read back, the tree is want (lib itself when NULL). */
static void round_trip(const json_t *lib, const json_t *want)
{
    size_t len;
    ctl_status st;
    unsigned char *d = write_tree(ctx, lib, &len, &st);
    assert_ok(ctx, st);
    json_t *back = read_tree(ctx, d, len, &st);
    assert_ok(ctx, st);
    if (!json_equal(back, want ? want : lib)) {
        char *a = json_dumps(want ? want : lib, JSON_INDENT(1)), *b = json_dumps(back, JSON_INDENT(1));
        ck_abort_msg("read back:\n%s\nwant:\n%s", b, a);
    }
    json_decref(back);
    free(d);
}

/* Writing lib is refused with code; msg: a fragment of the message. */
static void write_refused(json_t *lib, ctl_diag code, const char *msg)
{
    size_t len;
    ctl_status st;
    free(write_tree(ctx, lib, &len, &st));
    ck_assert_msg(st != CTL_OK, "written, where '%s' was expected", msg);
    assert_error_code(ctx, code);
    ck_assert_msg(strstr(ctl_error_message(ctx), msg), "message '%s' lacks '%s'", ctl_error_message(ctx), msg);
    ck_assert_uint_eq(len, 0);
    json_decref(lib);
    ctl_error_clear(ctx);   /* the first error is kept: the next case has its own */
}

/* A workbook of sheets "name" with rows separated by '\n' and cells by
 * '|'; a cell #N is the number N, !T / !F a boolean, empty none. */
static unsigned char *sheets(size_t *len, const char *const *spec, size_t n)
{
    char path[] = "/tmp/ctl-ciso-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    for (size_t i = 0; i < n; i += 2) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, spec[i]);
        char *rows = strdup(spec[i + 1]), *save_r = NULL;
        lxw_row_t r = 0;
        for (char *row = strtok_r(rows, "\n", &save_r); row; row = strtok_r(NULL, "\n", &save_r), r++) {
            lxw_col_t c = 0;
            for (char *p = row;; c++) {
                char *bar = strchr(p, '|');
                if (bar) *bar = '\0';
                if (*p == '#') worksheet_write_number(ws, r, c, atof(p + 1), NULL);
                else if (!strcmp(p, "!T") || !strcmp(p, "!F")) worksheet_write_boolean(ws, r, c, p[1] == 'T', NULL);
                else if (*p) worksheet_write_string(ws, r, c, p, NULL);
                if (!bar) break;
                p = bar + 1;
            }
        }
        free(rows);
    }
    ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);
    unsigned char *d = slurp(path, len);
    unlink(path);
    return d;
}

#define LIB_META "type|library\nurn|urn:x:risk:library:t\nversion|#3\nlocale|ja\nname|試験"
#define FW_META "type|framework\nurn|urn:x:risk:framework:t\nbase_urn|urn:x:risk:req_node:t\nname|対策一覧"

/* A library workbook of a framework whose content is content. */
static json_t *read_framework(const char *content, ctl_status *st)
{
    const char *spec[] = {"library_meta", LIB_META, "f_meta", FW_META, "f_content", content};
    size_t len;
    unsigned char *d = sheets(&len, spec, 6);
    json_t *lib = read_tree(ctx, d, len, st);
    free(d);
    return lib;
}

static const char *jstr_of(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static json_t *nodes_of(json_t *lib)
{
    return json_object_get(json_object_get(json_object_get(lib, "objects"), "framework"), "requirement_nodes");
}

static const char *node_str(json_t *lib, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(nodes_of(lib), i), key));
}

/* ------------------------------------------------------------ writing and reading back */

/* A mapping set and its reverse, as the converter makes it. */
#define SET_URN "urn:ctlconv:risk:req_mapping_set:t-to-iso27001-2013"
#define ISO "urn:intuitem:risk:req_node:iso27001-2013"
#define FORWARD \
    "{\"urn\": \"" SET_URN "\", \"ref_id\": \"t-to-iso27001-2013\", \"name\": \"対策一覧 → ISO/IEC 27001:2013\"," \
    " \"source_framework_urn\": \"urn:ctlconv:risk:framework:t\"," \
    " \"target_framework_urn\": \"urn:intuitem:risk:framework:iso27001-2013\", \"requirement_mappings\": [" \
    " {\"source_requirement_urn\": \"" BASE ":ii.1.1.1\", \"target_requirement_urn\": \"" ISO ":a.5.1.1\"," \
    "  \"relationship\": \"intersect\"}," \
    " {\"source_requirement_urn\": \"" BASE ":ii.1\", \"target_requirement_urn\": \"" ISO ":a.5\"," \
    "  \"relationship\": \"subset\", \"rationale\": \"理由\", \"strength_of_relationship\": 5}]}"
#define REVERSE \
    "{\"urn\": \"" SET_URN "-revert\", \"ref_id\": \"t-to-iso27001-2013-revert\"," \
    " \"name\": \"対策一覧 → ISO/IEC 27001:2013\", \"target_framework_urn\": \"urn:ctlconv:risk:framework:t\"," \
    " \"source_framework_urn\": \"urn:intuitem:risk:framework:iso27001-2013\", \"requirement_mappings\": [" \
    " {\"target_requirement_urn\": \"" BASE ":ii.1.1.1\", \"source_requirement_urn\": \"" ISO ":a.5.1.1\"," \
    "  \"relationship\": \"intersect\"}," \
    " {\"target_requirement_urn\": \"" BASE ":ii.1\", \"source_requirement_urn\": \"" ISO ":a.5\"," \
    "  \"relationship\": \"superset\", \"rationale\": \"理由\", \"strength_of_relationship\": 5}]}"
#define SETS "[" FORWARD ", " REVERSE "]"

START_TEST(japanese_and_hostile_text_round_trip)
{
    json_t *lib = library(
        "[{\"urn\": \"" BASE ":ii.1\", \"assessable\": false, \"depth\": 1, \"ref_id\": \"II.1\", \"name\": \"組織的対策\"},"
        " {\"urn\": \"" BASE ":ii.1.1\", \"assessable\": false, \"depth\": 2, \"parent_urn\": \"" BASE ":ii.1\","
        "  \"ref_id\": \"II.1.1\", \"name\": \"方針（全角）\"},"
        " {\"urn\": \"" BASE ":ii.1.1.1\", \"assessable\": true, \"depth\": 3, \"parent_urn\": \"" BASE ":ii.1.1\","
        "  \"ref_id\": \"II.1.1.1\", \"name\": \"=SUM(A1:A2)\", \"description\": \"・一行目\\n・二行目 <&> \\\"q\\\" _x0041_ 😀 \\ufffe\","
        "  \"importance\": \"mandatory\"},"
        " {\"urn\": \"" BASE ":ii.1.1.2\", \"assessable\": true, \"depth\": 3, \"parent_urn\": \"" BASE ":ii.1.1\","
        "  \"ref_id\": \"II.1.1.2\", \"name\": \"+cmd|' /C calc'!A0\", \"description\": \"@HYPERLINK(x)\","
        "  \"importance\": \"recommended\", \"weight\": 3, \"annotation\": \"-1+1\"},"
        " {\"urn\": \"" BASE ":ii.2\", \"assessable\": false, \"depth\": 1, \"ref_id\": \"II.2\", \"name\": \"二\","
        "  \"translations\": {\"en\": {\"name\": \"Two\", \"description\": \"Second\"}}}]");
    json_object_set_new(json_object_get(lib, "objects"), "requirement_mapping_sets", tree_of(SETS));
    json_object_set_new(lib, "dependencies", tree_of("[\"urn:intuitem:risk:library:iso27001-2013\"]"));
    json_object_set_new(lib, "publication_date", json_string("2024-07-09"));
    json_object_set_new(lib, "translations", tree_of("{\"en\": {\"name\": \"Test\"}}"));
    round_trip(lib, NULL);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    json_decref(lib);
}
END_TEST

/* The mapping set as requirement_mapping_set alone reads back with its
 * reverse; of two sets, the workbook holds the first (the converter keeps
 * one), saying so; a reverse that is not the converter's is refused. */
START_TEST(mapping_set_shapes)
{
    static const char nodes[] =
        "[{\"urn\": \"" BASE ":ii.1\", \"assessable\": false, \"depth\": 1, \"ref_id\": \"II.1\"},"
        " {\"urn\": \"" BASE ":ii.1.1.1\", \"assessable\": true, \"depth\": 2, \"parent_urn\": \"" BASE ":ii.1\","
        "  \"ref_id\": \"II.1.1.1\"}]";
    json_t *lib = library(nodes), *want = library(nodes);
    json_object_set_new(json_object_get(lib, "objects"), "requirement_mapping_set", tree_of(FORWARD));
    json_object_set_new(json_object_get(want, "objects"), "requirement_mapping_sets", tree_of(SETS));
    round_trip(lib, want);
    json_decref(lib);
    /* two forward sets: the first */
    lib = library(nodes);
    json_t *two = tree_of(SETS), *other = tree_of(FORWARD);
    json_object_set_new(other, "urn", json_string("urn:x:other"));
    json_array_append_new(two, other);
    json_object_set_new(json_object_get(lib, "objects"), "requirement_mapping_sets", two);
    round_trip(lib, want);
    ck_assert(has_warning(ctx, "1 requirement mapping set(s) left out, 2 mapping(s), with the dependencies only they need: a workbook holds one"));
    ck_assert(has_warning(ctx, "urn:x:other"));
    json_decref(lib);
    json_decref(want);
    /* a reverse that is not the converter's */
    lib = library(nodes);
    json_t *bad = tree_of(SETS);
    json_object_set_new(json_array_get(bad, 1), "name", json_string("another"));
    json_object_set_new(json_object_get(lib, "objects"), "requirement_mapping_sets", bad);
    write_refused(lib, CTL_D_INTERNAL, "is not the reverse CISO Assistant's converter makes of " SET_URN);
}
END_TEST

/* Nodes without a ref_id, and ref_ids that do not give their node's URN,
 * get a node_id cell: the URNs come back as they were. */
START_TEST(node_id_where_the_ref_id_does_not_give_the_urn)
{
    json_t *lib = library(
        "[{\"urn\": \"" BASE ":ii.1\", \"assessable\": false, \"depth\": 1, \"ref_id\": \"II.1\", \"name\": \"一\"},"
        " {\"urn\": \"" BASE ":ii.1#1\", \"assessable\": true, \"depth\": 2, \"parent_urn\": \"" BASE ":ii.1\","
        "  \"name\": \"番号のない行\"},"
        " {\"urn\": \"" BASE ":ii.1#2\", \"assessable\": true, \"depth\": 2, \"parent_urn\": \"" BASE ":ii.1\"},"
        " {\"urn\": \"" BASE ":_ac-2_o1_c\", \"assessable\": true, \"depth\": 2, \"parent_urn\": \"" BASE ":ii.1\","
        "  \"ref_id\": \"AC-2(1)\"},"
        " {\"urn\": \"" BASE ":ⅲ.1\", \"assessable\": false, \"depth\": 1, \"ref_id\": \"Ⅲ.1\"},"
        " {\"urn\": \"" BASE ":a.5.1\", \"assessable\": false, \"depth\": 2, \"parent_urn\": \"" BASE ":ⅲ.1\","
        "  \"ref_id\": \"A.5.1\", \"name\": \"\"}]");
    /* an empty text is no value to the converter: it comes back absent */
    json_t *want = json_deep_copy(lib);
    json_object_del(json_array_get(nodes_of(want), 5), "name");
    round_trip(lib, want);
    json_decref(want);
    /* the cells: node_id only where needed */
    size_t len;
    ctl_status st;
    unsigned char *d = write_tree(ctx, lib, &len, &st);
    assert_ok(ctx, st);
    ck_assert_ptr_nonnull(memmem(d, len, "xl/worksheets/sheet3.xml", 24));
    free(d);
    json_decref(lib);
}
END_TEST

/* A cell of 32,767 characters is written; one more is refused. */
START_TEST(long_cells)
{
    char *text = malloc(32769);
    memset(text, 'a', 32768);
    text[32767] = '\0';
    json_t *lib = library("[{\"urn\": \"" BASE ":1\", \"assessable\": true, \"depth\": 1, \"ref_id\": \"1\"}]");
    json_object_set_new(json_array_get(nodes_of(lib), 0), "description", json_string(text));
    round_trip(lib, NULL);
    text[32767] = 'a';
    text[32768] = '\0';
    json_object_set_new(json_array_get(nodes_of(lib), 0), "description", json_string(text));
    free(text);
    write_refused(lib, CTL_D_FIXED_LIMIT, "32,767");
}
END_TEST

/* What the converter changes is said: text with white space at an end
 * (it trims), a translation starting with '=' (it skips); importance
 * undefined is an empty cell (the converter refuses the word). */
START_TEST(what_the_converter_changes)
{
    json_t *lib = library(
        "[{\"urn\": \"" BASE ":1\", \"assessable\": true, \"depth\": 1, \"ref_id\": \"1\", \"name\": \" spaced \","
        "  \"importance\": \"undefined\", \"translations\": {\"en\": {\"name\": \"=1+1\"}}}]");
    json_t *want = library("[{\"urn\": \"" BASE ":1\", \"assessable\": true, \"depth\": 1, \"ref_id\": \"1\", \"name\": \"spaced\"}]");
    round_trip(lib, want);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_TEXT_FLATTENED), 1);
    ck_assert(has_warning(ctx, "2 cell(s) not as the library has them"));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_FORMULA_UNEVALUATED), 1);
    json_decref(lib);
    json_decref(want);
}
END_TEST

/* Trees the rows cannot say are refused, never written wrong. */
START_TEST(trees_the_workbook_cannot_hold)
{
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"assessable\": true, \"depth\": 2}]"), CTL_D_INTERNAL,
                  "depths start at 1");
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"depth\": 1}, {\"urn\": \"" BASE ":2\", \"depth\": 2}]"),
                  CTL_D_INTERNAL, "parent none, where the rows above give " BASE ":1");
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"depth\": 1}, {\"urn\": \"" BASE ":2\", \"depth\": 1,"
                          " \"parent_urn\": \"" BASE ":1\"}]"), CTL_D_INTERNAL, "parent " BASE ":1");
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"depth\": 1}, {\"urn\": \"" BASE ":1\", \"depth\": 1}]"),
                  CTL_D_INTERNAL, "two nodes are");
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"depth\": 1}, {\"urn\": \"other:2\", \"depth\": 1}]"),
                  CTL_D_INTERNAL, "share no base URN");
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"depth\": 1, \"questions\": {}}]"), CTL_D_INTERNAL,
                  "its key 'questions' has no column");
    write_refused(library("[{\"urn\": \"" BASE ":1\", \"depth\": 1, \"importance\": \"high\"}]"), CTL_D_INTERNAL,
                  "importance");
    write_refused(library("[{\"urn\": \"" BASE ":1 \", \"depth\": 1}]"), CTL_D_INTERNAL, "white space");
    json_t *lib = library("[]");
    json_object_set_new(lib, "urn", json_string("urn:ctlconv:risk:library:Upper"));
    write_refused(lib, CTL_D_INTERNAL, "would read back as urn:ctlconv:risk:library:upper");
    lib = library("[]");
    json_object_del(lib, "version");
    write_refused(lib, CTL_D_INTERNAL, "no version");
    lib = library("[]");
    json_object_set_new(json_object_get(lib, "objects"), "requirement_mapping_set",
                        tree_of("{\"urn\": \"u\", \"ref_id\": \"r\", \"name\": \"対策一覧\", \"source_framework_urn\": \"s\","
                                " \"target_framework_urn\": \"t\", \"requirement_mappings\": []}"));
    write_refused(lib, CTL_D_INTERNAL, "both named '対策一覧'");
    lib = library("[{\"urn\": \"" BASE ":a\", \"depth\": 1}]");
    json_object_set_new(json_object_get(lib, "objects"), "requirement_mapping_set",
                        tree_of("{\"urn\": \"u\", \"ref_id\": \"r\", \"source_framework_urn\": \"urn:ctlconv:risk:framework:t\","
                                " \"target_framework_urn\": \"urn:i:risk:framework:x\", \"requirement_mappings\": ["
                                " {\"source_requirement_urn\": \"" BASE ":a\", \"target_requirement_urn\": \"urn:i:risk:req_node:x:A.5\","
                                " \"relationship\": \"equal\"}]}"));
    write_refused(lib, CTL_D_INTERNAL, "no lower-case id");
    lib = library("[]");
    json_object_set_new(json_object_get(lib, "objects"), "risk_matrix", json_array());
    write_refused(lib, CTL_D_INTERNAL, "object 'risk_matrix' has no sheets");
}
END_TEST

/* ------------------------------------------------------------ reading as the converter does */

/* URNs: node_id as it is, the ref_id made a suffix (NFKD, ASCII, lower
 * case, space '-', others '_'), an unnumbered node <parent>:<rank> (ranks
 * restart under each parent), at depth 1 its name made a suffix, else
 * node<rank>; headers in any case, assessable any non-empty cell but 0 and
 * FALSE; values trimmed. */
START_TEST(urns_as_the_converter_makes_them)
{
    ctl_status st;
    json_t *lib = read_framework(
        "Assessable|Depth|Ref_ID|Name|node_id|Importance\n"
        "x|#1| II. 1. 1 |Ⅱ 全角|| Mandatory \n"
        "#1|#2|||\n"
        "!F|#2|||\n"
        "#0|#3||||\n"
        "|#2|A.5 1(b)&c||forced:id|\n"
        "|#1||章 Chapter ①||\n"
        "|#1||||\n"
        "|#1|Ⅲ．１||\n", &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(json_array_size(nodes_of(lib)), 8);
    static const char *const urns[] = {
        "urn:x:risk:req_node:t:ii.-1.-1", "urn:x:risk:req_node:t:ii.-1.-1:1", "urn:x:risk:req_node:t:ii.-1.-1:2",
        "urn:x:risk:req_node:t:ii.-1.-1:2:1", "urn:x:risk:req_node:t:forced:id", "urn:x:risk:req_node:t:-chapter-1",
        "urn:x:risk:req_node:t:node2", "urn:x:risk:req_node:t:iii.1"};
    for (size_t i = 0; i < 8; i++) ck_assert_str_eq(node_str(lib, i, "urn"), urns[i]);
    ck_assert_str_eq(node_str(lib, 0, "ref_id"), "II. 1. 1");
    ck_assert_str_eq(node_str(lib, 0, "importance"), "mandatory");
    ck_assert(json_is_true(json_object_get(json_array_get(nodes_of(lib), 0), "assessable")));
    ck_assert(json_is_true(json_object_get(json_array_get(nodes_of(lib), 1), "assessable")));
    ck_assert(json_is_false(json_object_get(json_array_get(nodes_of(lib), 2), "assessable")));
    ck_assert(json_is_false(json_object_get(json_array_get(nodes_of(lib), 3), "assessable")));
    ck_assert_str_eq(node_str(lib, 3, "parent_urn"), urns[2]);
    ck_assert_str_eq(node_str(lib, 4, "parent_urn"), urns[0]);
    ck_assert_ptr_null(json_object_get(json_array_get(nodes_of(lib), 5), "parent_urn"));
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(nodes_of(lib), 3), "depth")), 3);
    json_decref(lib);
}
END_TEST

/* The library's keys, translations, dependencies; blank rows skipped. */
START_TEST(library_and_translations)
{
    const char *spec[] = {
        "library_meta", "Type|library\nURN|urn:X:risk:library:T 1\nversion| 4 \nlocale|ja\nname[en]|Test\n"
                        "name[fr]|=A1\ndependencies|urn:a, urn:b  urn:c\npublication_date|2024-07-09",
        "f_meta", FW_META "\nname[en]|List",
        "f_content", "depth|ref_id|name|description[en]|name[en]\n#1|1|一|one|One\n\n|||\n#2|1.1|二||=x"};
    size_t len;
    ctl_status st;
    unsigned char *d = sheets(&len, spec, 6);
    json_t *lib = read_tree(ctx, d, len, &st);
    free(d);
    assert_ok(ctx, st);
    json_t *want = tree_of(
        "{\"urn\": \"urn:x:risk:library:t-1\", \"locale\": \"ja\", \"version\": 4, \"publication_date\": \"2024-07-09\","
        " \"dependencies\": [\"urn:a\", \"urn:b\", \"urn:c\"], \"translations\": {\"en\": {\"name\": \"Test\"}},"
        " \"objects\": {\"framework\": {\"urn\": \"urn:x:risk:framework:t\", \"name\": \"対策一覧\","
        " \"translations\": {\"en\": {\"name\": \"List\"}}, \"requirement_nodes\": ["
        " {\"urn\": \"urn:x:risk:req_node:t:1\", \"assessable\": false, \"depth\": 1, \"ref_id\": \"1\", \"name\": \"一\","
        "  \"translations\": {\"en\": {\"description\": \"one\", \"name\": \"One\"}}},"
        " {\"urn\": \"urn:x:risk:req_node:t:1.1\", \"assessable\": false, \"depth\": 2,"
        "  \"parent_urn\": \"urn:x:risk:req_node:t:1\", \"ref_id\": \"1.1\", \"name\": \"二\"}]}}}");
    ck_assert_msg(json_equal(lib, want), "got %s", json_dumps(lib, JSON_INDENT(1)));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_FORMULA_UNEVALUATED), 1);
    json_decref(lib);
    json_decref(want);
}
END_TEST

/* Objects the list has no use for are left out, said once. */
START_TEST(parts_left_out)
{
    const char *spec[] = {"library_meta", LIB_META, "f_meta", FW_META,
                          "f_content", "depth|ref_id|questions\n#1|1|Q?", "rm_meta", "type|risk_matrix\nname|m",
                          "rm_content", "type|id", "lone_meta", "type|threats"};
    size_t len;
    ctl_status st;
    unsigned char *d = sheets(&len, spec, 12);
    json_t *lib = read_tree(ctx, d, len, &st);
    free(d);
    assert_ok(ctx, st);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_FIELD_DROPPED), 1);
    ck_assert(has_warning(ctx, "the risk_matrix of sheet rm_meta"));
    ck_assert(has_warning(ctx, "the questions of 1 node(s)"));
    ck_assert(has_warning(ctx, "sheet lone_meta (no lone_content beside it)"));
    json_decref(lib);
}
END_TEST

/* What the converter refuses is refused, with a code and the row. */
START_TEST(refused_as_the_converter_refuses)
{
    static const struct { const char *content, *code, *msg; } cases[] = {
        {"depth|ref_id\n#1|1\n#3|2", "bad-structure", "depth 3 after depth 1"},
        {"depth|ref_id\n#1|1\n#1|1", "bad-structure", "a second node urn:x:risk:req_node:t:1"},
        {"depth|ref_id\nx|1", "bad-field", "depth is a whole number from 1, not 'x'"},
        {"depth|ref_id\n#0|1", "bad-field", "depth is a whole number from 1, not '0'"},
        {"depth|ref_id\n#2.5|1", "bad-structure", "depth 2 after depth 0"},
        {"depth|ref_id\n|1", "bad-field", "a node without a depth"},
        {"depth|importance\n#1|undefined", "bad-field", "importance is mandatory"},
        {"depth|weight\n#1|#0", "bad-field", "weight is a whole number above 0"},
        {"|\ndepth\n#1", "bad-structure", "row 1 holds no header"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_ctx *c = ctl_ctx_new();
        ctl_ctx *keep = ctx;
        ctx = c;
        ctl_status st;
        json_t *lib = read_framework(cases[i].content, &st);
        ctx = keep;
        ck_assert_msg(st == CTL_EINPUT && !lib, "case %zu read", i);
        ck_assert_msg(!strcmp(ctl_diag_name(ctl_error_code(c)), cases[i].code) && strstr(ctl_error_message(c), cases[i].msg),
                      "case %zu: [%s] %s", i, ctl_diag_name(ctl_error_code(c)), ctl_error_message(c));
        ctl_ctx_free(c);
    }
}
END_TEST

START_TEST(refused_library_meta)
{
    static const struct { const char *meta, *more, *code, *msg; } cases[] = {
        {"type|framework\nurn|u\nversion|1", NULL, "bad-field", "type = framework"},
        {"type|library\nversion|1", NULL, "bad-structure", "no urn"},
        {"type|library\nurn|u\nversion|1.5", NULL, "bad-field", "version is a whole number, not '1.5'"},
        {"type|library\nurn|u", NULL, "bad-field", "version is a whole number"},
        {LIB_META, "type|framework\nurn|f", "bad-structure", "no base_urn"},
        {LIB_META, "type|requirement_mapping_set\nurn|m\nref_id|m\nsource_node_base_urn|s", "bad-structure",
         "no target_node_base_urn"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *spec[] = {"library_meta", cases[i].meta, "o_meta", cases[i].more, "o_content", "depth\n#1"};
        size_t len;
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        unsigned char *d = sheets(&len, spec, cases[i].more ? 6 : 2);
        json_t *lib = read_tree(c, d, len, &st);
        free(d);
        ck_assert_msg(st == CTL_EINPUT && !lib, "case %zu read", i);
        ck_assert_msg(!strcmp(ctl_diag_name(ctl_error_code(c)), cases[i].code) && strstr(ctl_error_message(c), cases[i].msg),
                      "case %zu: [%s] %s", i, ctl_diag_name(ctl_error_code(c)), ctl_error_message(c));
        ctl_ctx_free(c);
    }
}
END_TEST

START_TEST(mapping_set_read)
{
    const char *spec[] = {
        "library_meta", LIB_META,
        "m_meta", "type|requirement_mapping_set\nurn|urn:m\nref_id|m\nname|M\nsource_framework_urn|urn:s\n"
                  "target_framework_urn|urn:t\nsource_node_base_urn|urn:s:n\ntarget_node_base_urn|urn:t:n",
        "m_content", "Source_Node_ID|target_node_id|relationship|rationale|strength_of_relationship\n"
                     "II 1|A.5.1|intersect||\nx|y|equal|why|#3"};
    size_t len;
    ctl_status st;
    unsigned char *d = sheets(&len, spec, 6);
    json_t *lib = read_tree(ctx, d, len, &st);
    assert_ok(ctx, st);
    json_t *want = tree_of(
        "{\"urn\": \"urn:m\", \"ref_id\": \"m\", \"name\": \"M\", \"source_framework_urn\": \"urn:s\","
        " \"target_framework_urn\": \"urn:t\", \"requirement_mappings\": ["
        " {\"source_requirement_urn\": \"urn:s:n:ii-1\", \"target_requirement_urn\": \"urn:t:n:a.5.1\", \"relationship\": \"intersect\"},"
        " {\"source_requirement_urn\": \"urn:s:n:x\", \"target_requirement_urn\": \"urn:t:n:y\", \"relationship\": \"equal\","
        "  \"rationale\": \"why\", \"strength_of_relationship\": 3}]}");
    json_t *sets = json_object_get(json_object_get(lib, "objects"), "requirement_mapping_sets");
    ck_assert_uint_eq(json_array_size(sets), 2);
    ck_assert(json_equal(json_array_get(sets, 0), want));
    ck_assert_str_eq(jstr_of(json_array_get(sets, 1), "urn"), "urn:m-revert");
    ck_assert_str_eq(jstr_of(json_array_get(sets, 1), "source_framework_urn"), "urn:t");
    ck_assert_str_eq(jstr_of(json_array_get(json_object_get(json_array_get(sets, 1), "requirement_mappings"), 1),
                             "source_requirement_urn"), "urn:t:n:y");
    json_decref(lib);
    json_decref(want);
    free(d);
    /* a mapping without its target */
    const char *bad[] = {spec[0], spec[1], spec[2], spec[3], "m_content", "source_node_id|target_node_id|relationship\na||equal"};
    d = sheets(&len, bad, 6);
    ctl_ctx *c = ctl_ctx_new();
    ck_assert_ptr_null(read_tree(c, d, len, &st));
    ck_assert_int_eq(ctl_error_code(c), CTL_D_BAD_FIELD);
    ck_assert_ptr_nonnull(strstr(ctl_error_message(c), "without its target_node_id"));
    ctl_ctx_free(c);
    free(d);
}
END_TEST

START_TEST(two_frameworks_refused)
{
    const char *spec[] = {"library_meta", LIB_META, "a_meta", FW_META "\nname|A", "a_content", "depth\n#1",
                          "b_meta", FW_META "\nname|B", "b_content", "depth\n#1"};
    size_t len;
    ctl_status st;
    unsigned char *d = sheets(&len, spec, 10);
    ck_assert_ptr_null(read_tree(ctx, d, len, &st));
    assert_error_code(ctx, CTL_D_BAD_STRUCTURE);
    ck_assert_ptr_nonnull(strstr(ctl_error_message(ctx), "two objects of type framework"));
    free(d);
}
END_TEST

/* The tree is held whole, under json-memory + 3 x the workbook's size;
 * a node URN longer than CISO Assistant stores is refused. */
START_TEST(limits)
{
    /* 300 nodes of a 1,000-character name: a workbook of some KB, a tree
     * of some 600 KB */
    ctl_buf rows = {0};
    ctl_buf_adds(&rows, "depth|ref_id|name");
    for (int i = 0; i < 300; i++) ctl_buf_printf(&rows, "\n#1|%d|%01000d", i + 1, i);
    const char *spec[] = {"library_meta", LIB_META, "f_meta", FW_META, "f_content", rows.data};
    size_t len;
    unsigned char *d = sheets(&len, spec, 6);
    ck_assert_uint_lt(len, 100000);
    ctl_buf_free(&rows);
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_JSON_MEMORY] = 1;
    ctl_input in = {.name = "t.xlsx", .data = d, .len = len};
    ctl_xlsx_book *b;
    json_t *lib = NULL;
    assert_ok(ctx, ctl_xlsx_book_open(ctx, &in, &o, &b));
    ck_assert_int_eq(ctl_ciso_xlsx_to_tree(ctx, b, &o, &lib), CTL_ELIMIT);
    ck_assert_ptr_null(lib);
    assert_error_code(ctx, CTL_D_LIMIT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_JSON_MEMORY);
    ctl_xlsx_book_close(b);
    free(d);
    ctl_error_clear(ctx);
    char content[400] = "depth|node_id\n#1|";
    memset(content + strlen(content), 'u', 300);
    ctl_status st;
    ck_assert_ptr_null(read_framework(content, &st));
    assert_error_code(ctx, CTL_D_FIXED_LIMIT);
    ck_assert_ptr_nonnull(strstr(ctl_error_message(ctx), "a node URN of 322 characters"));
}
END_TEST

/* ------------------------------------------------------------ the real workbook */

START_TEST(real_iso27001_2022)
{
    if (access(REAL_2022, R_OK)) {
        printf("SKIP %s is missing\n", REAL_2022);
        return;
    }
    size_t len;
    unsigned char *d = slurp(REAL_2022, &len);
    ctl_status st;
    json_t *lib = read_tree(ctx, d, len, &st);
    free(d);
    assert_ok(ctx, st);
    json_t *nodes = nodes_of(lib);
    ck_assert_uint_eq(json_array_size(nodes), 140);
    size_t depth[5] = {0}, assessable = 0, i;
    json_t *n;
    json_array_foreach(nodes, i, n) {
        json_int_t dp = json_integer_value(json_object_get(n, "depth"));
        ck_assert(dp >= 1 && dp <= 4);
        depth[dp]++;
        assessable += json_is_true(json_object_get(n, "assessable"));
    }
    ck_assert_uint_eq(depth[1], 2);
    ck_assert_uint_eq(depth[2], 11);
    ck_assert_uint_eq(depth[3], 116);
    ck_assert_uint_eq(depth[4], 11);
    ck_assert_uint_eq(assessable, 123);
    ck_assert_str_eq(node_str(lib, 0, "urn"), "urn:intuitem:risk:req_node:iso27001-2022:core");
    ck_assert_str_eq(node_str(lib, 2, "urn"), "urn:intuitem:risk:req_node:iso27001-2022:4.1");
    ck_assert_str_eq(node_str(lib, 2, "ref_id"), "4.1");   /* "4.1 " in the cell */
    ck_assert_str_eq(node_str(lib, 2, "parent_urn"), "urn:intuitem:risk:req_node:iso27001-2022:4");
    ck_assert_str_eq(node_str(lib, 1, "name"), "Context of the organization");
    ck_assert_str_eq(node_str(lib, 139, "urn"), "urn:intuitem:risk:req_node:iso27001-2022:a.8.34");
    ck_assert_str_eq(node_str(lib, 139, "parent_urn"), "urn:intuitem:risk:req_node:iso27001-2022:a.8");
    json_t *fr = json_object_get(json_object_get(json_array_get(nodes, 2), "translations"), "fr");
    ck_assert_str_eq(json_string_value(json_object_get(fr, "name")), "Compréhension de l'organisation et de son contexte");
    json_t *rc = json_object_get(json_array_get(nodes, 2), "reference_controls");
    ck_assert_str_eq(json_string_value(json_array_get(rc, 0)), "urn:intuitem:risk:function:doc-pol:doc.context");
    ck_assert_int_eq(json_integer_value(json_object_get(lib, "version")), 17);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_FIELD_DROPPED), 1);   /* its reference controls */
    json_decref(lib);
}
END_TEST

/* ------------------------------------------------------------ the workbook as rows, corrupt workbooks */

typedef struct {
    ctl_buf text;
} rows_seen;

static ctl_status see_row(void *user, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    rows_seen *s = user;
    ctl_buf_printf(&s->text, "%ld:", row);
    for (size_t i = 0; i < n; i++) ctl_buf_printf(&s->text, "%c%.*s|", kinds[i] ? kinds[i] : '-', (int)cells[i].len, cells[i].s);
    ctl_buf_addc(&s->text, '\n');
    return CTL_OK;
}

START_TEST(sheet_rows_with_their_kinds)
{
    const char *spec[] = {"a", "x|#1.5|!T|!F\n|\n|#0"};
    size_t len;
    unsigned char *d = sheets(&len, spec, 2);
    ctl_options o;
    ctl_options_init(&o);
    ctl_input in = {.name = "r.xlsx", .data = d, .len = len};
    ctl_xlsx_book *b;
    assert_ok(ctx, ctl_xlsx_book_open(ctx, &in, &o, &b));
    ck_assert_uint_eq(ctl_xlsx_book_sheet_count(b), 1);
    ck_assert_int_eq(ctl_xlsx_book_sheet(b, "a"), 0);
    ck_assert_int_eq(ctl_xlsx_book_sheet(b, "A"), -1);
    rows_seen s = {{0}};
    assert_ok(ctx, ctl_xlsx_book_rows(b, 0, see_row, &s));
    ck_assert_str_eq(s.text.data, "1:sx|n1.5|bTRUE|bFALSE|\n3:-|n0|\n");
    ctl_buf_free(&s.text);
    ctl_xlsx_book_close(b);
    free(d);
}
END_TEST

START_TEST(corrupt_workbooks)
{
    const char *spec[] = {"library_meta", LIB_META, "f_meta", FW_META, "f_content", "depth|ref_id\n#1|1"};
    size_t len;
    unsigned char *d = sheets(&len, spec, 6);
    ctl_status st;
    /* cut short at every 997th byte, and bytes flipped: an error with a
     * code, or a tree, never a crash */
    for (size_t cut = 0; cut < len; cut += 997) {
        ctl_ctx *c = ctl_ctx_new();
        json_t *lib = read_tree(c, d, cut, &st);
        ck_assert_msg(st != CTL_OK && !lib && ctl_error_code(c) != CTL_DIAG_COUNT, "cut at %zu", cut);
        ctl_ctx_free(c);
    }
    for (size_t at = 30; at < len; at += 131) {
        unsigned char *e = malloc(len);
        memcpy(e, d, len);
        e[at] ^= 0x5A;
        ctl_ctx *c = ctl_ctx_new();
        json_t *lib = read_tree(c, e, len, &st);
        ck_assert_msg(st == CTL_OK ? lib != NULL : ctl_error_code(c) != CTL_DIAG_COUNT, "byte %zu", at);
        json_decref(lib);
        ctl_ctx_free(c);
        free(e);
    }
    free(d);
    /* no library_meta: not a library workbook */
    const char *plain[] = {"S", "id|title\nA.5.1|t"};
    d = sheets(&len, plain, 2);
    ck_assert_ptr_null(read_tree(ctx, d, len, &st));
    assert_error_code(ctx, CTL_D_NOT_A_LIST);
    free(d);
}
END_TEST

/* The XLSX reader hands a workbook with library_meta to the CISO reading
 * unless a sheet or columns are asked for (its errors show where it went). */
START_TEST(xlsx_reader_hands_library_workbooks_over)
{
    const char *spec[] = {"library_meta", "type|framework\nurn|u\nversion|#1", "items", "id|title\nA.5.1|方針"};
    size_t len;
    unsigned char *d = sheets(&len, spec, 4);
    ctl_status st;
    ctl_list *l = read_bytes(ctx, "xlsx", d, len, NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_BAD_FIELD);
    ck_assert_ptr_nonnull(strstr(ctl_error_message(ctx), "library_meta says type = framework"));
    ctl_list_free(l);
    ctl_options o;
    ctl_options_init(&o);
    o.sheet = "items";
    ctl_ctx *c = ctl_ctx_new();
    l = read_bytes(c, "xlsx", d, len, &o, &st);
    assert_ok(c, st);
    ck_assert_uint_eq(l->n_items, 1);
    ck_assert_str_eq(l->items[0].title, "方針");
    ctl_list_free(l);
    ctl_ctx_free(c);
    free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ciso_xlsx");
    TCase *tc = tcase_create("write");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, japanese_and_hostile_text_round_trip);
    tcase_add_test(tc, node_id_where_the_ref_id_does_not_give_the_urn);
    tcase_add_test(tc, mapping_set_shapes);
    tcase_add_test(tc, long_cells);
    tcase_add_test(tc, what_the_converter_changes);
    tcase_add_test(tc, trees_the_workbook_cannot_hold);
    suite_add_tcase(s, tc);
    tc = tcase_create("read");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, urns_as_the_converter_makes_them);
    tcase_add_test(tc, library_and_translations);
    tcase_add_test(tc, parts_left_out);
    tcase_add_test(tc, refused_as_the_converter_refuses);
    tcase_add_test(tc, refused_library_meta);
    tcase_add_test(tc, mapping_set_read);
    tcase_add_test(tc, two_frameworks_refused);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, real_iso27001_2022);
    tcase_add_test(tc, sheet_rows_with_their_kinds);
    tcase_add_test(tc, corrupt_workbooks);
    tcase_add_test(tc, xlsx_reader_hands_library_workbooks_over);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
