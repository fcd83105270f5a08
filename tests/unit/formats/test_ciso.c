/* SPDX-License-Identifier: BSD-2-Clause */
/* CISO Assistant libraries (formats/ciso.c, formats/ciso_yaml.c): the URN
 * rule, importance and assessable, the mapping sets, reading nodes without
 * ref_id, the YAML text both ways, and YAML the reader refuses. */
#include "support.h"
#include "internal.h"
#include "../../../formats/ciso.h"

#include <stdlib.h>
#include <string.h>

#define REAL_ISO2013 "/work/shared/corpora/real/iso27001-2013.yaml"
#define LIB_HEAD "urn: urn:x:risk:library:t\nobjects:\n  framework:\n    urn: urn:x:risk:framework:t\n"

/* ------------------------------------------------------------ helpers */

/* The library tree of a list (the test fails if it cannot be built). */
static json_t *tree_of(const ctl_list *l, const ctl_options *o)
{
    json_t *lib = NULL;
    assert_ok(ctx, ctl_ciso_build(ctx, l, o, &lib));
    return lib;
}

static json_t *nodes_of(json_t *lib)
{
    return json_object_get(json_object_get(json_object_get(lib, "objects"), "framework"), "requirement_nodes");
}

static const char *node_str(json_t *lib, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(nodes_of(lib), i), key));
}

/* The URN suffix of node i (after the library's name). */
static const char *suffix_of(json_t *lib, size_t i)
{
    const char *u = node_str(lib, i, "urn");
    ck_assert_ptr_nonnull(u);
    const char *lib_part = strstr(u, ":req_node:list:");
    ck_assert_ptr_nonnull(lib_part);
    return lib_part + strlen(":req_node:list:");
}

/* A list of items with the given ids, each a child of the one before
 * when deeper, through the hierarchy. */
static ctl_list *ids_list(const char *const *ids, const int *levels, size_t n)
{
    ctl_item items[16];
    ck_assert_uint_le(n, 16);
    for (size_t i = 0; i < n; i++)
        items[i] = (ctl_item){.id = (char *)ids[i], .label = "", .level = levels ? levels[i] : 1, .title = "t"};
    ctl_meta m = {.title = "T"};
    return list_of(&m, items, n);
}

/* l written as ciso-yaml and read back; the bytes in *yaml (malloc'd). */
static ctl_list *yaml_round(const ctl_list *l, const ctl_options *o, char **yaml)
{
    size_t n;
    ctl_status st;
    char *b = write_list(ctx, "ciso-yaml", l, o, &n, &st);
    assert_ok(ctx, st);
    ctl_list *back = read_bytes(ctx, "ciso-yaml", b, n, NULL, &st);
    assert_ok_msg(ctx, st, "reading back:\n%s", b);
    if (yaml) *yaml = b;
    else free(b);
    return back;
}

/* ------------------------------------------------------------ the URN rule */

static const struct {
    const char *id, *suffix;
} suffixes[] = {
    {"II.1.1.1", "ii.1.1.1"},
    {"A.5.1.1", "a.5.1.1"},
    {"II.1#2", "ii.1:2"},           /* a generated id: CISO's <parent>:<n> */
    {"#3", "node3"},                /* ... at the top: CISO's node<n> */
    {"#1#2", "node1:2"},
    {"3#1#2", "3:1:2"},
    {"2.1.1(1)-1#3", "2.1.1(1)-1:3"},
    {"AC-2(1)", "ac-2(1)"},
    {"A&A-01", "a_a-01"},
    {"9.2.3.11.PB", "9.2.3.11.pb"},
    {"a b/c", "a-b_c"},
    {"\xE2\x85\xA1\xEF\xBC\x8E\xEF\xBC\x91", "ii.1"},   /* Ⅱ．１: NFKD */
    {"\xC3\xA9" "1", "e1"},                            /* é1 */
    {"\xE5\x9F\xBA\xE6\x9C\xAC", "_"},                 /* 基本: no Japanese in a URN */
    {"\xE5\x9F\xBA" "1", "1"},
    {"\xF0\x9F\x98\x80", "_"},
    {"", "_"},
    {"#", "node"},
    {"a#b#c", "a:b:c"},
    {"[x]", "[x]"},
    {"A\tB%20", "a_b_20"},
    {"x:y", "x:y"},
};

START_TEST(suffix_rule)
{
    ctl_buf b = {0};
    ck_assert(ctl_ciso_suffix(suffixes[_i].id, &b));
    ck_assert_str_eq(b.data, suffixes[_i].suffix);
    ctl_buf_free(&b);
}
END_TEST

/* CISO's own cleaning, as its converter does it (the README's example). */
START_TEST(clean_as_cisos_converter)
{
    ctl_buf b = {0};
    ck_assert(ctl_ciso_clean("II. 1. 1. 1", &b));
    ck_assert_str_eq(b.data, "ii.-1.-1.-1");
    ck_assert(ctl_ciso_clean("D\xC3\xA9j\xC3\xA0 vu!", &b));
    ck_assert_str_eq(b.data, "deja-vu_");
    ck_assert(ctl_ciso_clean("\xE5\xAF\xBE\xE7\xAD\x96", &b));   /* 対策 */
    ck_assert_str_eq(b.data, "");
    ck_assert(ctl_ciso_clean("A.5.1.1", &b));
    ck_assert_str_eq(b.data, "a.5.1.1");
    ctl_buf_free(&b);
}
END_TEST

/* Ids that clean to the same suffix get [2], [3]...; ref_id keeps each id
 * and so they read back as they were. */
START_TEST(urns_unique)
{
    const char *ids[] = {"3.1.1", "3.1.1", "AC-2", "ac-2", "A&A-01", "A_A-01", "3.1.1"};
    list = ids_list(ids, NULL, 7);
    json_t *lib = tree_of(list, NULL);
    const char *want[] = {"3.1.1", "3.1.1[2]", "ac-2", "ac-2[2]", "a_a-01", "a_a-01[2]", "3.1.1[3]"};
    for (size_t i = 0; i < 7; i++) {
        ck_assert_str_eq(suffix_of(lib, i), want[i]);
        ck_assert_str_eq(node_str(lib, i, "ref_id"), ids[i]);
    }
    json_decref(lib);
    ctl_list *back = yaml_round(list, NULL, NULL);
    for (size_t i = 0; i < 7; i++) ck_assert_str_eq(back->items[i].id, ids[i]);
    ctl_list_free(back);
}
END_TEST

/* Library, framework and nodes named by --packager and --library; parents
 * by URN; generated ids without ref_id, their label as ref_id when it is a
 * code. */
START_TEST(names_and_parents)
{
    ctl_item items[] = {
        {.id = "2.1", .label = "2.1", .level = 1, .title = "a"},
        {.id = "", .label = "2.1.1(1)-1 a)", .title = "b"},
        {.id = "", .label = "", .title = "c"},
    };
    ctl_meta m = {.title = "T"};
    list = list_of(&m, items, 3);
    ctl_options o;
    ctl_options_init(&o);
    o.packager = "acme";
    o.library = "my-list";
    json_t *lib = tree_of(list, &o);
    ck_assert_str_eq(json_string_value(json_object_get(lib, "urn")), "urn:acme:risk:library:my-list");
    json_t *fw = json_object_get(json_object_get(lib, "objects"), "framework");
    ck_assert_str_eq(json_string_value(json_object_get(fw, "urn")), "urn:acme:risk:framework:my-list");
    ck_assert_str_eq(node_str(lib, 0, "urn"), "urn:acme:risk:req_node:my-list:2.1");
    ck_assert_str_eq(node_str(lib, 1, "urn"), "urn:acme:risk:req_node:my-list:2.1:1");
    ck_assert_str_eq(node_str(lib, 1, "parent_urn"), "urn:acme:risk:req_node:my-list:2.1");
    ck_assert_str_eq(node_str(lib, 1, "ref_id"), "2.1.1(1)-1 a)");
    ck_assert_ptr_null(node_str(lib, 2, "ref_id"));
    ck_assert_ptr_null(node_str(lib, 0, "parent_urn"));
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(nodes_of(lib), 1), "depth")), 2);
    json_decref(lib);
    ctl_list *back = yaml_round(list, &o, NULL);
    char why[256];
    ck_assert_msg(ctl_list_equal(list, back, 0, why, sizeof why), "%s", why);
    ck_assert_str_eq(back->items[1].label, "2.1.1(1)-1 a)");
    ctl_list_free(back);
}
END_TEST

/* ------------------------------------------------ importance, assessable */

START_TEST(importance_and_assessable)
{
    ctl_field f_false[] = {{"assessable", "false"}}, f_true[] = {{"assessable", "TRUE"}};
    ctl_item items[] = {
        {.id = "1", .level = 1, .description = "d", .category = CTL_CATEGORY_BASIC, .category_text = "基本"},
        {.id = "2", .level = 1, .description = "d", .category = CTL_CATEGORY_RECOMMENDED, .category_text = "推奨"},
        {.id = "3", .level = 1, .category = CTL_CATEGORY_MANDATORY, .category_text = "遵守事項"},
        {.id = "4", .level = 1, .title = "a heading"},
        {.id = "5", .level = 1, .answer = "an answer only"},
        {.id = "6", .level = 1, .category_text = "IG1"},
        {.id = "7", .level = 1, .category_text = "Nice_To_Have"},
        {.id = "8", .level = 1, .description = "d", .extra = f_false, .n_extra = 1},
        {.id = "9", .level = 1, .extra = f_true, .n_extra = 1},
        {.id = "10", .level = 1, .category = CTL_CATEGORY_MANDATORY, .category_text = "mandatory"},
    };
    ctl_meta m = {.title = "T"};
    list = list_of(&m, items, 10);
    json_t *lib = tree_of(list, NULL);
    const char *importance[] = {"mandatory", "recommended", "mandatory", NULL, NULL, NULL, "nice_to_have", NULL,
                                NULL, "mandatory"};
    int assessable[] = {1, 1, 1, 0, 1, 1, 1, 0, 1, 1};
    for (size_t i = 0; i < 10; i++) {
        json_t *n = json_array_get(nodes_of(lib), i);
        const char *imp = json_string_value(json_object_get(n, "importance"));
        ck_assert_msg(importance[i] ? imp && !strcmp(imp, importance[i]) : !imp, "item %zu: %s", i + 1, imp);
        ck_assert_msg(json_is_true(json_object_get(n, "assessable")) == assessable[i], "item %zu", i + 1);
    }
    json_decref(lib);
    /* the words as written are warned about: 1, 2, 3, 6, 7 (10 says mandatory) */
    ck_assert(has_warning(ctx, "the category words of 5 item(s) not written as such"));
    ck_assert(has_warning(ctx, "1 answer(s) not written"));
    /* read back: importance as the category */
    ctl_list *back = yaml_round(list, NULL, NULL);
    ck_assert_int_eq(back->items[0].category, CTL_CATEGORY_MANDATORY);
    ck_assert_str_eq(back->items[0].category_text, "mandatory");
    ck_assert_int_eq(back->items[1].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_int_eq(back->items[3].category, CTL_CATEGORY_NONE);
    ck_assert_str_eq(back->items[3].category_text, "");
    ck_assert_int_eq(back->items[6].category, CTL_CATEGORY_NONE);
    ck_assert_str_eq(back->items[6].category_text, "nice_to_have");
    /* an assessable the rule would not give comes back as an extra column */
    ck_assert_uint_eq(back->items[4].n_extra, 1);
    ck_assert_str_eq(back->items[4].extra[0].name, "assessable");
    ck_assert_str_eq(back->items[4].extra[0].value, "true");
    ck_assert_str_eq(back->items[7].extra[0].value, "false");
    ck_assert_uint_eq(back->items[0].n_extra, 0);
    ck_assert_uint_eq(back->meta.n_columns, 1);
    /* and goes back as it was */
    json_t *again = tree_of(back, NULL);
    for (size_t i = 0; i < 10; i++)
        ck_assert_msg(json_is_true(json_object_get(json_array_get(nodes_of(again), i), "assessable")) ==
                      assessable[i], "again, item %zu", i + 1);
    json_decref(again);
    ctl_list_free(back);
}
END_TEST

/* --------------------------------------------------------- mapping sets */

static json_t *sets_of(json_t *lib)
{
    return json_object_get(json_object_get(lib, "objects"), "requirement_mapping_sets");
}

START_TEST(mapping_sets)
{
    ctl_ref refs[] = {{"iso27001-2022", "A.5.23"}, {"iso27001-2013", "A.5.1.1"}, {"iso27001-2013", "A.5.1.3"},
                      {"nist-sp800-53", "AC-2"}, {"", "社内規程 第3条"}, {"iso27001-2013", "A.18.2.3"}};
    ctl_item items[] = {
        {.id = "II.1", .level = 1, .title = "s"},
        {.id = "II.1.1", .level = 2, .title = "c", .refs = refs, .n_refs = 6, .description = "d"},
    };
    ctl_meta m = {.title = "T"};
    list = list_of(&m, items, 2);
    json_t *lib = tree_of(list, NULL);
    json_t *deps = json_object_get(lib, "dependencies");
    ck_assert_uint_eq(json_array_size(deps), 2);
    ck_assert_str_eq(json_string_value(json_array_get(deps, 0)), "urn:intuitem:risk:library:iso27001-2013");
    ck_assert_str_eq(json_string_value(json_array_get(deps, 1)), "urn:intuitem:risk:library:iso27001-2022");
    json_t *sets = sets_of(lib);
    ck_assert_uint_eq(json_array_size(sets), 4);
    json_t *s13 = json_array_get(sets, 0), *r13 = json_array_get(sets, 1), *s22 = json_array_get(sets, 2);
    ck_assert_str_eq(json_string_value(json_object_get(s13, "urn")),
                     "urn:ctlconv:risk:req_mapping_set:list-to-iso27001-2013");
    ck_assert_str_eq(json_string_value(json_object_get(s13, "source_framework_urn")),
                     "urn:ctlconv:risk:framework:list");
    ck_assert_str_eq(json_string_value(json_object_get(s13, "target_framework_urn")),
                     "urn:intuitem:risk:framework:iso27001-2013");
    json_t *maps = json_object_get(s13, "requirement_mappings");
    ck_assert_uint_eq(json_array_size(maps), 2);
    json_t *m0 = json_array_get(maps, 0);
    ck_assert_str_eq(json_string_value(json_object_get(m0, "source_requirement_urn")),
                     "urn:ctlconv:risk:req_node:list:ii.1.1");
    ck_assert_str_eq(json_string_value(json_object_get(m0, "target_requirement_urn")),
                     "urn:intuitem:risk:req_node:iso27001-2013:a.5.1.1");
    ck_assert_str_eq(json_string_value(json_object_get(m0, "relationship")), "intersect");
    /* the reverse set, as CISO's converter makes one */
    ck_assert_str_eq(json_string_value(json_object_get(r13, "urn")),
                     "urn:ctlconv:risk:req_mapping_set:list-to-iso27001-2013-revert");
    ck_assert_str_eq(json_string_value(json_object_get(r13, "source_framework_urn")),
                     "urn:intuitem:risk:framework:iso27001-2013");
    json_t *rm0 = json_array_get(json_object_get(r13, "requirement_mappings"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(rm0, "source_requirement_urn")),
                     "urn:intuitem:risk:req_node:iso27001-2013:a.5.1.1");
    json_t *m22 = json_array_get(json_object_get(s22, "requirement_mappings"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(m22, "target_requirement_urn")),
                     "urn:intuitem:risk:req_node:iso27001-2022:a.5.23");
    json_decref(lib);
    /* A.5.1.3 does not exist: warned, naming the item */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_REF_UNKNOWN), 1);
    for (size_t i = 0; i < ctl_warning_kept(ctx); i++)
        if (ctl_warning_code(ctx, i) == CTL_D_REF_UNKNOWN) {
            ck_assert_str_eq(ctl_warning_item(ctx, i), "II.1.1");
            ck_assert(strstr(ctl_warning_message(ctx, i), "A.5.1.3"));
        }
    ck_assert(has_warning(ctx, "2 reference(s) not mapped (nist-sp800-53, free text)"));
    /* read back: the references mapped, 2013's first */
    ctl_list *back = yaml_round(list, NULL, NULL);
    ck_assert_uint_eq(back->items[1].n_refs, 3);
    ck_assert_str_eq(back->items[1].refs[0].scheme, "iso27001-2013");
    ck_assert_str_eq(back->items[1].refs[0].id, "A.5.1.1");
    ck_assert_str_eq(back->items[1].refs[1].id, "A.18.2.3");
    ck_assert_str_eq(back->items[1].refs[2].scheme, "iso27001-2022");
    ck_assert_str_eq(back->items[1].refs[2].id, "A.5.23");
    ck_assert_str_eq(back->meta.ref_scheme, "iso27001-2013");
    ctl_list_free(back);
}
END_TEST

START_TEST(no_references_no_sets)
{
    const char *ids[] = {"1", "1.1"};
    const int levels[] = {1, 2};
    list = ids_list(ids, levels, 2);
    json_t *lib = tree_of(list, NULL);
    ck_assert_ptr_null(sets_of(lib));
    ck_assert_ptr_null(json_object_get(lib, "dependencies"));
    ck_assert_str_eq(json_string_value(json_object_get(lib, "locale")), "en");
    ck_assert_int_eq(json_integer_value(json_object_get(lib, "version")), 1);
    json_decref(lib);
}
END_TEST

/* The seed: 160 nodes, 121 assessable, one mapping per (item, ISMS
 * reference) pair. */
START_TEST(seed_library)
{
    list = read_seed(ctx);
    size_t pairs = 0;
    for (size_t i = 0; i < list->n_items; i++) pairs += list->items[i].n_refs;
    json_t *lib = tree_of(list, NULL);
    json_t *nodes = nodes_of(lib);
    ck_assert_uint_eq(json_array_size(nodes), 160);
    size_t assessable = 0, mandatory = 0, recommended = 0, roots = 0;
    size_t i;
    json_t *n;
    json_array_foreach(nodes, i, n) {
        assessable += json_is_true(json_object_get(n, "assessable"));
        const char *imp = json_string_value(json_object_get(n, "importance"));
        mandatory += imp && !strcmp(imp, "mandatory");
        recommended += imp && !strcmp(imp, "recommended");
        roots += !json_object_get(n, "parent_urn");
    }
    ck_assert_uint_eq(assessable, 121);
    ck_assert_uint_eq(mandatory, 93);
    ck_assert_uint_eq(recommended, 28);
    ck_assert_uint_eq(roots, 12);
    ck_assert_uint_eq(pairs, 43);
    json_t *sets = sets_of(lib);
    ck_assert_uint_eq(json_array_size(sets), 2);
    ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(sets, 0), "requirement_mappings")), pairs);
    ck_assert_str_eq(json_string_value(json_object_get(lib, "locale")), "ja");
    ck_assert_str_eq(node_str(lib, 2, "urn"), "urn:ctlconv:risk:req_node:list:ii.1.1.1");
    ck_assert_str_eq(node_str(lib, 2, "parent_urn"), "urn:ctlconv:risk:req_node:list:ii.1.1");
    ck_assert_str_eq(node_str(lib, 2, "ref_id"), "II.1.1.1");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_REF_UNKNOWN), 0);
    json_decref(lib);
}
END_TEST

/* ------------------------------------------------------------ options */

START_TEST(version_and_names)
{
    const char *ids[] = {"1"};
    list = ids_list(ids, NULL, 1);
    ctl_options o;
    ctl_options_init(&o);
    o.doc_version = "7";
    json_t *lib = tree_of(list, &o);
    ck_assert_int_eq(json_integer_value(json_object_get(lib, "version")), 7);
    json_decref(lib);
    const char *bad[] = {"1.5", "-1", "", "abc", "1 ", "1234567890"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.doc_version = bad[i];
        lib = NULL;
        ck_assert_int_eq(ctl_ciso_build(ctx, list, &o, &lib), CTL_EUSAGE);
        assert_error_code(ctx, CTL_D_BAD_ARGUMENT);
        ck_assert_ptr_null(lib);
        ctl_error_clear(ctx);
        /* the writer refuses before it reads anything */
        ctl_sink *sink = NULL;
        ck_assert_int_eq(ctl_format_by_name("ciso-yaml")->writer(ctx, stdout, "-", &o, &sink), CTL_EUSAGE);
        ctl_error_clear(ctx);
    }
    o.doc_version = NULL;
    o.library = "Bad Name";
    ck_assert_int_eq(ctl_ciso_build(ctx, list, &o, &lib), CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_BAD_ARGUMENT);
}
END_TEST

/* A node's title over CISO Assistant's 200 characters: the name is it
 * shortened (199 characters and "…"), the full title the annotation,
 * warned naming the item; read back, the title is whole again (YAML and
 * workbook).  200 Japanese characters are not too many; a document title
 * over 200 is refused. */
START_TEST(long_names)
{
    char title[1024] = "", want[1024] = "";
    for (int i = 0; i < 200; i++) strcat(title, "\xE5\xAF\xBE");
    ctl_item items[] = {{.id = "1", .level = 1, .title = title}};
    ctl_meta m = {.title = title};
    list = list_of(&m, items, 1);
    json_t *lib = tree_of(list, NULL);
    ck_assert_str_eq(node_str(lib, 0, "name"), title);
    ck_assert_ptr_null(node_str(lib, 0, "annotation"));
    json_decref(lib);
    ctl_list_free(list);
    strcat(title, "x");
    list = list_of(&m, items, 1);
    lib = NULL;
    ck_assert_int_eq(ctl_ciso_build(ctx, list, NULL, &lib), CTL_EINPUT);
    assert_error_code(ctx, CTL_D_CISO_UNWRITABLE);
    ck_assert(strstr(ctl_error_message(ctx), "the title: a name of 201 characters"));
    ctl_error_clear(ctx);
    ctl_list_free(list);
    ctl_meta short_title = {.title = "T"};
    list = list_of(&short_title, items, 1);
    lib = tree_of(list, NULL);
    for (int i = 0; i < 199; i++) strcat(want, "\xE5\xAF\xBE");
    strcat(want, "…");
    ck_assert_str_eq(node_str(lib, 0, "name"), want);
    ck_assert_str_eq(node_str(lib, 0, "annotation"), title);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NAME_SHORTENED), 1);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "1");
    ck_assert(has_warning(ctx, "1: a title of 201 characters: the node's name is it shortened to 200 characters"));
    json_decref(lib);
    ctl_list *back = yaml_round(list, NULL, NULL);
    ck_assert_str_eq(back->items[0].title, title);
    ck_assert_uint_eq(back->items[0].n_extra, 0);
    ck_assert_uint_eq(back->meta.n_columns, 0);
    ctl_list_free(back);
    size_t n;
    ctl_status st;
    char *book = write_list(ctx, "ciso-xlsx", list, NULL, &n, &st);
    assert_ok(ctx, st);
    back = read_bytes(ctx, "ciso-xlsx", book, n, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(back->items[0].title, title);
    ck_assert_uint_eq(back->items[0].n_extra, 0);
    ctl_list_free(back);
    free(book);
}
END_TEST

/* The shortened name: at a grapheme boundary (an accent stays with its
 * letter), of the title without white space at its ends (so the workbook,
 * whose converter trims cells, gives the same); titles with edge spaces
 * and a combining accent come back exact through YAML. */
START_TEST(short_names)
{
    ctl_buf b = {0};
    char t[1024];
    memset(t, 'a', 198);
    strcpy(t + 198, "e\xCC\x81" "bbbbbbbbbb");   /* e + U+0301 at 199 and 200 */
    ck_assert(ctl_ciso_short_name(t, &b));
    ck_assert_uint_eq(b.len, 198 + 3);
    ck_assert(!strncmp(b.data, t, 198) && !strcmp(b.data + 198, "…"));
    snprintf(t, sizeof t, "\xE3\x80\x80 \n%0250d\t ", 0);    /* U+3000, space, line feed ... tab, space */
    ck_assert(ctl_ciso_short_name(t, &b));
    ck_assert_uint_eq(b.len, 199 + 3);
    ck_assert(b.data[0] == '0' && !strcmp(b.data + 199, "…"));
    /* stripped, it fits: the name is the stripped title */
    snprintf(t, sizeof t, "  %0199d  ", 0);
    ck_assert(ctl_ciso_short_name(t, &b));
    ck_assert_uint_eq(b.len, 199);
    ctl_buf_free(&b);
    snprintf(t, sizeof t, "\xE3\x80\x80 \n%0250d\t ", 0);
    ctl_item items[] = {{.id = "1", .level = 1, .title = t, .description = "d"}};
    ctl_meta m = {.title = "T"};
    list = list_of(&m, items, 1);
    ctl_list *back = yaml_round(list, NULL, NULL);
    ck_assert_str_eq(back->items[0].title, t);
    ctl_list_free(back);
}
END_TEST

/* What the shortened form cannot hold is refused, naming the item: a long
 * title and an annotation column (the full title goes to the annotation);
 * a title that is an annotation column shortened (it would read back as
 * the annotation).  Read, an annotation whose shortening is not the name
 * stays an extra column. */
START_TEST(short_names_refused)
{
    char t[512];
    memset(t, 'a', 300);
    t[300] = '\0';
    ctl_field note[] = {{"annotation", "a note"}};
    ctl_item items[] = {{.id = "4.9", .level = 1, .title = t, .extra = note, .n_extra = 1}};
    char *cols[] = {"annotation"};
    ctl_meta m = {.title = "T", .columns = cols, .n_columns = 1};
    list = list_of(&m, items, 1);
    json_t *lib = NULL;
    ck_assert_int_eq(ctl_ciso_build(ctx, list, NULL, &lib), CTL_EINPUT);
    assert_error_code(ctx, CTL_D_CISO_UNWRITABLE);
    ck_assert_str_eq(ctl_error_item(ctx), "4.9");
    ck_assert(strstr(ctl_error_message(ctx), "a title of 300 characters"));
    ctl_error_clear(ctx);
    ctl_list_free(list);
    char name[512];
    memset(name, 'a', 199);
    strcpy(name + 199, "…");
    note[0].value = t;
    items[0].title = name;
    list = list_of(&m, items, 1);
    ck_assert_int_eq(ctl_ciso_build(ctx, list, NULL, &lib), CTL_EINPUT);
    assert_error_code(ctx, CTL_D_CISO_UNWRITABLE);
    ck_assert(strstr(ctl_error_message(ctx), "would read back as the annotation"));
    ctl_error_clear(ctx);
    ctl_list_free(list);
    /* read: a name that is not the annotation shortened */
    name[10] = 'b';
    char *yaml = NULL;
    ck_assert_int_ge(asprintf(&yaml, LIB_HEAD "    requirement_nodes:\n    - urn: urn:x:risk:req_node:t:1\n"
                                         "      ref_id: '1'\n      name: %s\n      annotation: %s\n", name, t), 0);
    ctl_status st;
    list = read_string(ctx, "ciso-yaml", yaml, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[0].title, name);
    ck_assert_uint_eq(list->items[0].n_extra, 1);
    ck_assert_str_eq(list->items[0].extra[0].value, t);
    free(yaml);
}
END_TEST

/* No title: the library's name stands in and reads back as none; a title
 * that is the library's name is warned about. */
START_TEST(title_and_metadata)
{
    ctl_item items[] = {{.id = "1", .level = 1, .title = "t"}};
    ctl_meta m = {.title = "", .note = "note\nline two", .annex = "ANNEX2 対策一覧"};
    list = list_of(&m, items, 1);
    json_t *lib = tree_of(list, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(lib, "name")), "list");
    ck_assert_str_eq(json_string_value(json_object_get(lib, "locale")), "ja");
    json_decref(lib);
    ctl_list *back = yaml_round(list, NULL, NULL);
    ck_assert_str_eq(back->meta.title, "");
    ck_assert_str_eq(back->meta.note, "note\nline two");
    ck_assert_str_eq(back->meta.annex, "ANNEX2 対策一覧");
    ctl_list_free(back);
    ctl_list_free(list);
    m.title = "list";
    list = list_of(&m, items, 1);
    json_decref(tree_of(list, NULL));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_TITLE_AT_RISK), 1);
}
END_TEST

/* ------------------------------------------------------------ YAML text */

static const char *const awkward[] = {
    "4", "4.10", "007", "yes", "No", "null", "~", " lead", "trail ", "a: b", "- x", "#c", "'q'", "\"dq\"",
    "back\\slash", "line1\nline2", "\nlead nl", "trail nl\n", "two\n\n", "cr\r\nlf", "tab\there", "nel\xC2\x85x",
    "ls\xE2\x80\xA8x", "\xEF\xBB\xBF" "bom", "ctrl\x01", "del\x7F", "nonchar\xEF\xBF\xBE", "emoji \xF0\x9F\x98\x80",
    "@at", "%pct", "`bt", "|pipe", ">gt", "*star", "&amp", "!bang", "{brace}", "[br]", "? q", ": c", "<<", "=",
    "  indented\n  block\n", "\xE3\x80\x80全角空白で始まる", "x #not a comment", "long words " "words words words "
    "words words words words words words words words words words words words words words words words end",
};

START_TEST(yaml_keeps_text)
{
    size_t n = sizeof awkward / sizeof *awkward;
    ctl_item items[64];
    ck_assert_uint_le(n, 64);
    for (size_t i = 0; i < n; i++) {
        char *id = malloc(16);
        snprintf(id, 16, "%zu", i + 1);
        items[i] = (ctl_item){.id = id, .level = 1, .title = (char *)awkward[i], .description = (char *)awkward[n - 1 - i]};
    }
    ctl_meta m = {.title = "4", .note = " note: with\n\nbreaks\n", .annex = "yes"};
    list = list_of(&m, items, n);
    for (size_t i = 0; i < n; i++) free(items[i].id);
    char *yaml;
    ctl_list *back = yaml_round(list, NULL, &yaml);
    ctl_list *a = list_losing(list, ctl_format_by_name("ciso-yaml")->loses);
    ctl_list *b = list_losing(back, ctl_format_by_name("ciso-yaml")->loses);
    char why[256];
    ck_assert_msg(ctl_list_equal(a, b, 0, why, sizeof why), "%s\n%s", why, yaml);
    /* quoted where YAML would read another type; Unicode as it is */
    ck_assert_msg(strstr(yaml, "ref_id: '1'\n"), "%s", yaml);
    ck_assert(strstr(yaml, "name: '4'\n"));
    ck_assert(strstr(yaml, "name: 'yes'\n"));
    ck_assert(strstr(yaml, "全角空白で始まる"));
    ck_assert(strstr(yaml, "description: |"));
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_list_free(back);
    free(yaml);
}
END_TEST

/* Rewriting what was read gives the same bytes; the layout is CISO's. */
START_TEST(yaml_layout)
{
    list = sample_list();
    char *yaml;
    ctl_list *back = yaml_round(list, NULL, &yaml);
    size_t n2;
    ctl_status st;
    char *again = write_list(ctx, "ciso-yaml", back, NULL, &n2, &st);
    assert_ok(ctx, st);
    ck_assert_msg(!strcmp(again, yaml), "rewriting changes the bytes");
    const char *head = "urn: urn:ctlconv:risk:library:list\nlocale: ja\nref_id: list\n";
    ck_assert(!strncmp(yaml, head, strlen(head)));
    ck_assert(strstr(yaml, "\nobjects:\n  framework:\n    urn: urn:ctlconv:risk:framework:list\n"));
    ck_assert(strstr(yaml, "    requirement_nodes:\n    - urn: urn:ctlconv:risk:req_node:list:ii.1\n"));
    ck_assert(strstr(yaml, "  requirement_mapping_sets:\n  - urn: "));
    free(again);
    free(yaml);
    ctl_list_free(back);
}
END_TEST

/* ------------------------------------------------- reading CISO's nodes */

static const char nodes_yaml[] =
    "urn: urn:x:risk:library:t\n"
    "locale: en\n"
    "ref_id: t\n"
    "name: T\n"
    "version: 1\n"
    "objects:\n"
    "  framework:\n"
    "    urn: urn:x:risk:framework:t\n"
    "    ref_id: t\n"
    "    name: T\n"
    "    requirement_nodes:\n"
    "    - urn: urn:x:risk:req_node:t:core\n"
    "      name: Core\n"
    "      assessable: false\n"
    "    - urn: urn:x:risk:req_node:t:4\n"
    "      assessable: false\n"
    "      depth: 1\n"
    "      parent_urn: urn:x:risk:req_node:t:core\n"
    "      ref_id: '4'\n"
    "      name: Four\n"
    "    - urn: urn:x:risk:req_node:t:4:1\n"
    "      assessable: true\n"
    "      depth: 3\n"
    "      parent_urn: urn:x:risk:req_node:t:4\n"
    "      name: first without ref_id\n"
    "    - urn: urn:x:risk:req_node:t:4:3\n"
    "      assessable: true\n"
    "      parent_urn: URN:X:RISK:REQ_NODE:T:4\n"
    "      ref_id: 2.1.1(1)-1 a)\n"
    "      importance: recommended\n"
    "    - urn: urn:x:risk:req_node:t:4:whatever\n"
    "      assessable: false\n"
    "      parent_urn: urn:x:risk:req_node:t:4\n"
    "    - urn: urn:x:risk:req_node:t:node7\n"
    "      assessable: false\n"
    "      name: top\n"
    "    - urn: urn:x:risk:req_node:t:annex-a\n"
    "      assessable: false\n"
    "      ref_id: annex-a\n"
    "      depth: 2\n"
    "    - urn: urn:x:risk:req_node:t:a.5\n"
    "      assessable: false\n"
    "      parent_urn: urn:x:risk:req_node:t:elsewhere\n"
    "      ref_id: A.5\n"
    "      depth: 3\n";

START_TEST(nodes_without_ref_id)
{
    ctl_status st;
    list = read_string(ctx, "ciso-yaml", nodes_yaml, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 8);
    static const struct {
        const char *id, *label, *parent;
        int level;
    } want[] = {
        {"#1", "", "", 1},
        {"4", "4", "#1", 1},                     /* depth as written (CISO's ISO/IEC 27001:2013) */
        {"4#1", "", "4", 3},                     /* <parent_urn>:1 */
        {"4#3", "2.1.1(1)-1 a)", "4", 2},        /* <parent_urn>:3, parent_urn in another case, no depth */
        {"4#4", "", "4", 2},                     /* the next under 4 */
        {"#7", "", "", 1},                       /* node7 at the top */
        {"#8", "annex-a", "", 2},                /* a ref_id that is no identifier; depth at the top */
        {"A.5", "A.5", "#8", 3},                 /* parent_urn unknown: placed by its depth */
    };
    for (size_t i = 0; i < 8; i++) {
        const ctl_item *it = &list->items[i];
        ck_assert_msg(!strcmp(it->id, want[i].id) && !strcmp(it->label, want[i].label) &&
                      !strcmp(it->parent, want[i].parent) && it->level == want[i].level,
                      "node %zu: %s '%s' under '%s' at %d", i + 1, it->id, it->label, it->parent, it->level);
    }
    ck_assert_str_eq(list->items[3].category_text, "recommended");
    ck_assert_str_eq(list->meta.title, "T");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 6);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_PARENT_UNKNOWN), 1);
    /* "4" at depth 1 under a root, "4:1" at depth 3 under "4": one warning */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_LEVEL_MISMATCH), 1);
    ck_assert(has_warning(ctx, "2 requirement node(s) whose depth is not their parent's + 1"));
    /* assessable where the rule would not say so: an extra column */
    ck_assert_uint_eq(list->meta.n_columns, 1);
    ck_assert_str_eq(list->items[2].extra[0].value, "true");
    ck_assert_uint_eq(list->items[3].n_extra, 0);
}
END_TEST

/* Other node fields: scalars and lists of scalars as extra columns,
 * objects left out with a warning; annotation and typical_evidence go back
 * to the node. */
START_TEST(node_extras)
{
    static const char yaml[] =
        "urn: urn:x:risk:library:t\nref_id: t\nname: T\nobjects:\n  framework:\n    urn: urn:x:risk:framework:t\n"
        "    requirement_nodes:\n"
        "    - urn: urn:x:risk:req_node:t:1\n      ref_id: '1'\n      assessable: false\n"
        "      annotation: see the guide\n      typical_evidence: a log\n      weight: 2\n"
        "      implementation_groups: [IG1, IG2]\n      translations: {fr: {name: un}}\n"
        "      questions:\n        q1: {type: text}\n      display_mode: null\n";
    ctl_status st;
    list = read_string(ctx, "ciso-yaml", yaml, &st);
    assert_ok(ctx, st);
    const ctl_item *it = &list->items[0];
    ck_assert_uint_eq(it->n_extra, 4);
    ck_assert_str_eq(it->extra[0].name, "annotation");
    ck_assert_str_eq(it->extra[0].value, "see the guide");
    ck_assert_str_eq(it->extra[2].name, "weight");
    ck_assert_str_eq(it->extra[2].value, "2");
    ck_assert_str_eq(it->extra[3].value, "IG1\nIG2");
    ck_assert_uint_eq(list->meta.n_columns, 4);
    ck_assert(has_warning(ctx, "1 requirement node(s) with translations: not read"));
    ck_assert(has_warning(ctx, "with questions: not read"));
    json_t *lib = tree_of(list, NULL);
    ck_assert_str_eq(node_str(lib, 0, "annotation"), "see the guide");
    ck_assert_str_eq(node_str(lib, 0, "typical_evidence"), "a log");
    json_decref(lib);
    ck_assert(has_warning(ctx, "2 cell(s) of extra columns not written (weight, implementation_groups)"));
}
END_TEST

/* Fields of nodes are columns: at most the columns limit of them. */
START_TEST(columns_limit)
{
    static const char yaml[] = LIB_HEAD "    requirement_nodes:\n    - {urn: u1, a: 1, b: 2}\n    - {urn: u2, c: 3}\n";
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_COLUMNS] = 2;
    ctl_status st;
    list = read_bytes(ctx, "ciso-yaml", yaml, strlen(yaml), &o, &st);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_COLUMNS);
    ctl_list_free(list);
    ctl_error_clear(ctx);
    o.limit[CTL_LIMIT_COLUMNS] = 3;
    list = read_bytes(ctx, "ciso-yaml", yaml, strlen(yaml), &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->meta.n_columns, 3);
}
END_TEST

/* The real ISO/IEC 27001:2013 library CISO Assistant ships. */
START_TEST(real_iso27001_2013)
{
    FILE *f = fopen(REAL_ISO2013, "rb");
    if (!f) {
        fprintf(stderr, "skipped: %s is missing\n", REAL_ISO2013);
        return;
    }
    fclose(f);
    size_t n;
    unsigned char *d = slurp(REAL_ISO2013, &n);
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *fmt = NULL;
    assert_ok(ctx, ctl_detect_format(ctx, REAL_ISO2013, d, n, &o, &fmt));
    ck_assert_str_eq(fmt->name, "ciso-yaml");
    ctl_status st;
    list = read_bytes(ctx, "ciso-yaml", d, n, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 200);
    size_t annex = 0, controls = 0, roots = 0;
    for (size_t i = 0; i < list->n_items; i++) {
        const ctl_item *it = &list->items[i];
        annex += !strncmp(it->id, "A.", 2);
        controls += !strncmp(it->id, "A.", 2) && it->level == 3;
        roots += !*it->parent;
    }
    /* "core" (clauses 4-10) and "annex-a", which have neither ref_id nor
     * depth; their children at depth 1 */
    ck_assert_uint_eq(roots, 2);
    ck_assert_uint_eq(annex, 163);
    ck_assert_uint_eq(controls, 114);
    ck_assert_str_eq(list->items[1].parent, "#1");
    ck_assert_int_eq(list->items[1].level, 1);
    ck_assert_str_eq(list->items[0].id, "#1");
    ck_assert_str_eq(list->items[0].title, "Core");
    ck_assert_str_eq(list->meta.title, "International standard ISO/IEC 27001:2013");
    free(d);
}
END_TEST

/* ------------------------------------------------ YAML the reader refuses */

START_TEST(refused)
{
    assert_refused("ciso-yaml", "urn: [unclosed\n", "malformed-yaml", "YAML:");
    assert_refused("ciso-yaml", "urn: \"a\xFF\"\n", "malformed-yaml", "YAML:");
    assert_refused("ciso-yaml", "a: 1\na: 2\n", "bad-structure", "the key 'a' twice");
    assert_refused("ciso-yaml", "a: 1\n---\nb: 2\n", "bad-structure", "a second YAML document");
    assert_refused("ciso-yaml", "a: !!python/object:os.system x\n", "bad-structure", "a tag");
    assert_refused("ciso-yaml", "a: *nowhere\n", "bad-structure", "an alias to no anchor");
    assert_refused("ciso-yaml", "a: &x [*x]\n", "bad-structure", "an alias to no anchor");
    assert_refused("ciso-yaml", "? [a, b]\n: 1\n", "bad-structure", "no scalar");
    assert_refused("ciso-yaml", "hello\n", "not-a-list", "not a mapping");
    assert_refused("ciso-yaml", "", "not-a-list", "empty");
    assert_refused("ciso-yaml", "urn: urn:x:risk:library:t\nobjects:\n  requirement_mapping_sets: []\n",
                   "not-a-list", "without a framework");
    assert_refused("ciso-yaml", LIB_HEAD "    requirement_nodes: []\n", "no-rows", "no requirement_nodes");
    assert_refused("ciso-yaml", LIB_HEAD "    requirement_nodes:\n    - name: x\n", "bad-structure", "no urn");
    assert_refused("ciso-yaml", LIB_HEAD "    requirement_nodes:\n    - urn: u\n      name: {a: b}\n",
                   "bad-field", "name is no text");
    assert_refused("ciso-yaml", LIB_HEAD "    requirement_nodes:\n    - urn: u\n      name: \"a\\0b\"\n",
                   "bad-field", "name is no text");
    assert_refused("ciso-yaml", LIB_HEAD "    requirement_nodes:\n    - urn: u\n    - urn: U\n", "bad-field",
                   "a node's above it");
}
END_TEST

/* Nesting past the fixed limit is refused as soon as it is reached. */
START_TEST(deep_nesting)
{
    size_t depth = 100000;
    char *s = malloc(2 * depth + 2);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    strcpy(s + 2 * depth, "\n");
    assert_refused("ciso-yaml", s, "fixed-limit", "deeper than 256");
    /* 200 levels are fine for the parser (and no library) */
    memset(s, '[', 200);
    memset(s + 200, ']', 200);
    strcpy(s + 400, "\n");
    assert_refused("ciso-yaml", s, "not-a-list", "not a mapping");
    free(s);
}
END_TEST

/* Anchors and aliases: shared; a document they would expand past the
 * input-size limit is refused (a billion laughs, a smaller limit). */
START_TEST(aliases)
{
    static const char ok[] =
        "urn: urn:x:risk:library:t\nobjects:\n  framework:\n    urn: urn:x:risk:framework:t\n"
        "    requirement_nodes:\n"
        "    - &n {urn: 'urn:x:risk:req_node:t:1', ref_id: '1', assessable: true, annotation: &a shared}\n"
        "    - {urn: 'urn:x:risk:req_node:t:2', ref_id: '2', assessable: false, annotation: *a}\n";
    ctl_status st;
    list = read_string(ctx, "ciso-yaml", ok, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[1].extra[0].value, "shared");
    /* a billion laughs: 9^9 expansions */
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"));
    for (int i = 1; i <= 9; i++)
        ck_assert(ctl_buf_printf(&b, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i - 1,
                                 i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1));
    assert_refused("ciso-yaml", b.data, "limit", "aliases that would expand the document");
    ctl_ctx *c = ctl_ctx_new();
    ctl_list *l = read_string(c, "ciso-yaml", b.data, &st);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ck_assert_int_eq(ctl_error_limit(c), CTL_LIMIT_INPUT_SIZE);
    ctl_list_free(l);
    ctl_ctx_free(c);
    /* a smaller limit: the harmless document above is over it */
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_INPUT_SIZE] = strlen(ok) + 2;
    c = ctl_ctx_new();
    l = read_bytes(c, "ciso-yaml", ok, strlen(ok), &o, &st);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ctl_list_free(l);
    ctl_ctx_free(c);
    ctl_buf_free(&b);
}
END_TEST

/* Detection by content: a library, not any YAML. */
START_TEST(detected)
{
    list = sample_list();
    size_t n;
    ctl_status st;
    char *yaml = write_list(ctx, "ciso-yaml", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *f = NULL;
    assert_ok(ctx, ctl_detect_format(ctx, "-", (unsigned char *)yaml, n, &o, &f));
    ck_assert_str_eq(f->name, "ciso-yaml");
    free(yaml);
    ck_assert_int_eq(ctl_format_by_name("ciso-yaml")->probe("a: 1\nb: [x]\n", 12), 0);
    ck_assert_ptr_eq(ctl_format_by_extension("lib.yml"), ctl_format_by_name("ciso-yaml"));
}
END_TEST

/* ----------------------------------------------------- memory exhausted */

static ctl_status convert(const char *from, const char *data, size_t len, const char *to, char **out, size_t *n,
                          ctl_ctx *c)
{
    ctl_options o;
    ctl_options_init(&o);
    FILE *f = open_memstream(out, n);
    ck_assert_ptr_nonnull(f);
    ctl_sink *sink = NULL;
    ctl_status st = ctl_format_by_name(to)->writer(c, f, "out", &o, &sink);
    if (st == CTL_OK) st = ctl_read(c, ctl_format_by_name(from), "in", (const unsigned char *)data, len, &o, sink);
    if (sink && sink->destroy) sink->destroy(sink);
    fclose(f);
    return st;
}

/* Every allocation of ctlconv's own failing in turn: out of memory, or the
 * same output. */
static void every_allocation(const char *from, const char *data, const char *to)
{
    ctl_ctx *c = ctl_ctx_new();
    char *good;
    size_t good_len;
    ctl_test_fail_alloc(0);
    assert_ok(c, convert(from, data, strlen(data), to, &good, &good_len, c));
    unsigned long total = ctl_test_alloc_count();
    ctl_ctx_free(c);
    ck_assert_uint_gt(total, 50);
    size_t nomem = 0;
    for (unsigned long k = 1; k <= total; k++) {
        c = ctl_ctx_new();
        char *out;
        size_t n;
        ctl_test_fail_alloc(k);
        ctl_status st = convert(from, data, strlen(data), to, &out, &n, c);
        ctl_test_fail_alloc(0);
        if (st != CTL_OK) assert_error_code(c, CTL_D_OUT_OF_MEMORY);
        nomem += st != CTL_OK;
        if (st == CTL_OK) ck_assert_msg(n == good_len && !memcmp(out, good, n), "%s -> %s: allocation %lu", from, to, k);
        free(out);
        ctl_ctx_free(c);
    }
    ck_assert_uint_gt(nomem, total / 2);
    free(good);
}

START_TEST(out_of_memory)
{
    static const char csv[] = "項番,対策項目,対策内容,区分,公開回答,ISMS,備考\n"
                              "II. 1.,節,,,,A.5,\n"
                              "II. 1. 1. 1,対策,内容,基本,回答,A.5.1.1 A.5.1.3,x\n"
                              ",行,,推奨,,,\n";
    every_allocation("csv", csv, "ciso-yaml");
    every_allocation("ciso-yaml", nodes_yaml, "json");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ciso");
    TCase *tc = tcase_create("ciso");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, suffix_rule, 0, sizeof suffixes / sizeof *suffixes);
    tcase_add_test(tc, clean_as_cisos_converter);
    tcase_add_test(tc, urns_unique);
    tcase_add_test(tc, names_and_parents);
    tcase_add_test(tc, importance_and_assessable);
    tcase_add_test(tc, mapping_sets);
    tcase_add_test(tc, no_references_no_sets);
    tcase_add_test(tc, seed_library);
    tcase_add_test(tc, version_and_names);
    tcase_add_test(tc, long_names);
    tcase_add_test(tc, short_names);
    tcase_add_test(tc, short_names_refused);
    tcase_add_test(tc, title_and_metadata);
    tcase_add_test(tc, yaml_keeps_text);
    tcase_add_test(tc, yaml_layout);
    tcase_add_test(tc, nodes_without_ref_id);
    tcase_add_test(tc, node_extras);
    tcase_add_test(tc, columns_limit);
    tcase_add_test(tc, real_iso27001_2013);
    tcase_add_test(tc, refused);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, aliases);
    tcase_add_test(tc, detected);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
