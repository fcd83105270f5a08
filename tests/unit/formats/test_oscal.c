/* SPDX-License-Identifier: BSD-2-Clause */
/* OSCAL (formats/oscal.c, formats/oscal_json.c): the group and control
 * rule, ids as tokens, what goes where (labels, statements, categories,
 * references, extras, metadata), text OSCAL cannot hold as it is, unique
 * ids, name-based UUIDs, the component definition, reading NIST's
 * catalogs, and inputs that must be refused. */
#include "support.h"
#include "internal.h"
#include "../../../formats/oscal.h"

#include <stdlib.h>
#include <string.h>

#define NS CTL_OSCAL_NS

/* ------------------------------------------------------------ helpers */

static json_t *build(const ctl_list *l, ctl_oscal_kind kind, const ctl_options *o)
{
    json_t *doc = NULL;
    assert_ok(ctx, ctl_oscal_build(ctx, l, o, kind, &doc));
    ck_assert(doc != NULL);
    return doc;
}

/* The group or control with id under node (any depth); *control set to
 * whether it is a control. */
static json_t *find(json_t *node, const char *id, int *control)
{
    static const char *const keys[] = {"controls", "groups"};
    for (int k = 0; k < 2; k++) {
        json_t *arr = json_object_get(node, keys[k]);
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *n = json_array_get(arr, i);
            if (!strcmp(json_string_value(json_object_get(n, "id")), id)) {
                if (control) *control = k == 0;
                return n;
            }
            json_t *in = find(n, id, control);
            if (in) return in;
        }
    }
    return NULL;
}

/* The n-th prop of node named name (ns: NULL for NIST's, else ours). */
static json_t *prop_of(json_t *node, const char *name, int ours, size_t n)
{
    json_t *props = json_object_get(node, "props");
    for (size_t i = 0; i < json_array_size(props); i++) {
        json_t *p = json_array_get(props, i), *ns = json_object_get(p, "ns");
        if (strcmp(json_string_value(json_object_get(p, "name")), name) || !ours != !ns) continue;
        if (n-- == 0) return p;
    }
    return NULL;
}

static const char *value_of(json_t *node, const char *name, int ours)
{
    json_t *p = prop_of(node, name, ours, 0);
    return p ? json_string_value(json_object_get(p, "value")) : NULL;
}

/* The list the catalog holds, read as the pipeline reads it. */
static ctl_list *read_back(json_t *doc)
{
    char *text = json_dumps(doc, JSON_INDENT(1));
    ck_assert(text != NULL);
    ctl_status st;
    ctl_list *l = read_string(ctx, "oscal-json", text, &st);
    assert_ok(ctx, st);
    free(text);
    return l;
}

static void expect_equal_but_answers(const ctl_list *a, const ctl_list *b)
{
    ctl_list *x = list_losing(a, CTL_LOSES_ANSWERS), *y = list_losing(b, CTL_LOSES_ANSWERS);
    char why[256];
    ck_assert_msg(ctl_list_equal(x, y, 1, why, sizeof why), "%s", why);
    ctl_list_free(x);
    ctl_list_free(y);
}

/* -------------------------------------------------- groups, controls */

START_TEST(group_and_control_rule)
{
    ctl_meta m = {.title = "t"};
    ctl_item items[] = {
        {.id = "II.1", .level = 1, .title = "section with a leaf heading"},
        {.id = "II.1.1", .level = 2, .title = "subsection"},
        {.id = "II.1.1.1", .level = 3, .title = "c", .description = "d"},
        {.id = "II.1.2", .level = 2, .title = "a heading without items"},
        {.id = "II.2", .level = 1, .title = "section"},
        {.id = "II.2.1", .level = 2, .title = "subsection"},
        {.id = "II.2.1.1", .level = 3, .title = "c", .answer = "an answer makes a requirement"},
        {.id = "II.2.2", .level = 2, .title = "subsection"},
        {.id = "II.2.2.1", .level = 3, .title = "c", .category = CTL_CATEGORY_RECOMMENDED},
        {.id = "II.2.2.1.1", .level = 4, .title = "inside a control"},
    };
    list = list_of(&m, items, sizeof items / sizeof *items);
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    int control;
    /* a group holds groups or controls: II.1 holds a leaf, so controls */
    ck_assert(find(cat, "II.1", &control) && !control);
    ck_assert(find(cat, "II.1.1", &control) && control);
    ck_assert(find(cat, "II.1.2", &control) && control);
    ck_assert(json_object_get(find(cat, "II.1", NULL), "controls") && !json_object_get(find(cat, "II.1", NULL), "groups"));
    /* II.2 holds two subsections that hold requirements: groups */
    ck_assert(find(cat, "II.2", &control) && !control);
    ck_assert(find(cat, "II.2.1", &control) && !control);
    ck_assert(find(cat, "II.2.1.1", &control) && control);
    ck_assert(find(cat, "II.2.2.1.1", &control) && control);
    ck_assert_ptr_null(json_object_get(cat, "controls"));
    ck_assert_uint_eq(json_array_size(json_object_get(cat, "groups")), 2);
    ctl_list *back = read_back(doc);
    expect_equal_but_answers(list, back);
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

/* At the top, controls come before groups: every item up to the last top
 * control is one. */
START_TEST(top_controls_before_groups)
{
    ctl_meta m = {.title = "t"};
    ctl_item items[] = {
        {.id = "1", .level = 1, .title = "heading"},
        {.id = "1.1", .level = 2, .title = "c", .description = "d"},
        {.id = "2", .level = 1, .title = "a top requirement", .description = "d"},
        {.id = "3", .level = 1, .title = "heading"},
        {.id = "3.1", .level = 2, .title = "c", .description = "d"},
    };
    list = list_of(&m, items, 5);
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    json_t *controls = json_object_get(cat, "controls"), *groups = json_object_get(cat, "groups");
    ck_assert_uint_eq(json_array_size(controls), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(controls, 0), "id")), "_1");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(controls, 1), "id")), "_2");
    ck_assert_uint_eq(json_array_size(groups), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(groups, 0), "id")), "_3");
    ctl_list *back = read_back(doc);
    expect_equal_but_answers(list, back);
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

/* ------------------------------------------------------ what goes where */

START_TEST(mapping_of_fields)
{
    list = sample_list();
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ANSWERS_DROPPED), 1);
    ck_assert(has_warning(ctx, "1 answer(s) left out"));
    json_t *md = json_object_get(cat, "metadata");
    ck_assert_str_eq(json_string_value(json_object_get(md, "title")), "Title \"quoted\"");
    ck_assert_str_eq(json_string_value(json_object_get(md, "remarks")), "line 1\nline 2");
    ck_assert_str_eq(json_string_value(json_object_get(md, "oscal-version")), "1.2.1");
    ck_assert_str_eq(json_string_value(json_object_get(md, "version")), "1");
    ck_assert_str_eq(value_of(md, "model", 1), "ctlconv-list-2");
    ck_assert_str_eq(value_of(md, "annex", 1), "ANNEX2 対策一覧");
    ck_assert_str_eq(value_of(md, "ref-scheme", 1), "iso27001-2013");
    ck_assert_str_eq(json_string_value(json_object_get(prop_of(md, "column", 1, 2), "value")), "備考");
    int control;
    json_t *c = find(cat, "II.1.1.1", &control);
    ck_assert(c && control);
    ck_assert_str_eq(json_string_value(json_object_get(c, "class")), "basic");
    ck_assert_str_eq(json_string_value(json_object_get(c, "title")), "say \"hi\"");
    ck_assert_str_eq(value_of(c, "label", 0), "II. 1. 1. 1");
    ck_assert_ptr_null(prop_of(c, "category", 1, 0));   /* no word as written: the value says it */
    json_t *r = prop_of(c, "reference", 1, 1);
    ck_assert_str_eq(json_string_value(json_object_get(r, "class")), "iso27001-2013");
    ck_assert_str_eq(json_string_value(json_object_get(r, "value")), "A.5.1.2");
    ck_assert_str_eq(json_string_value(json_object_get(r, "ns")), NS);
    json_t *parts = json_object_get(c, "parts"), *smt = json_array_get(parts, 0), *x = json_array_get(parts, 1);
    ck_assert_str_eq(json_string_value(json_object_get(smt, "id")), "II.1.1.1_smt");
    ck_assert_str_eq(json_string_value(json_object_get(smt, "name")), "statement");
    ck_assert_str_eq(json_string_value(json_object_get(smt, "prose")), "・a\n・b");
    ck_assert_str_eq(json_string_value(json_object_get(x, "name")), "extra");
    ck_assert_str_eq(json_string_value(json_object_get(x, "ns")), NS);
    ck_assert_str_eq(json_string_value(json_object_get(x, "title")), "備考");
    ck_assert_str_eq(json_string_value(json_object_get(x, "prose")), "x");
    /* the answer is nowhere */
    char *text = json_dumps(doc, 0);
    ck_assert_ptr_null(strstr(text, "=1+1"));
    free(text);
    ctl_list *back = read_back(doc);
    expect_equal_but_answers(list, back);
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

/* The category word as written in our prop, never in a token. */
START_TEST(category_word_and_class)
{
    ctl_meta m = {.title = "t"};
    ctl_item items[] = {
        {.id = "II.1.1.1", .level = 1, .title = "c", .category = CTL_CATEGORY_BASIC, .category_text = "基本"},
        {.id = "II.1.1.2", .level = 1, .title = "c", .category_text = "IG1"},
        {.id = "II.1.1.3", .level = 1, .title = "c", .category = CTL_CATEGORY_MANDATORY, .category_text = "Pflicht"},
    };
    list = list_of(&m, items, 3);
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    json_t *a = find(cat, "II.1.1.1", NULL), *b = find(cat, "II.1.1.2", NULL), *c = find(cat, "II.1.1.3", NULL);
    ck_assert_str_eq(json_string_value(json_object_get(a, "class")), "basic");
    ck_assert_str_eq(value_of(a, "category", 1), "基本");
    ck_assert_ptr_null(json_object_get(b, "class"));
    ck_assert_str_eq(value_of(b, "category", 1), "IG1");
    ck_assert_str_eq(json_string_value(json_object_get(c, "class")), "mandatory");
    ctl_list *back = read_back(doc);
    expect_equal_but_answers(list, back);
    ck_assert_int_eq(back->items[2].category, CTL_CATEGORY_MANDATORY);
    ck_assert_str_eq(back->items[2].category_text, "Pflicht");
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

START_TEST(ids_as_tokens)
{
    ctl_meta m = {.title = "t"};
    ctl_item items[] = {
        {.id = "1.1", .label = "1.1", .level = 1, .title = "starts with a digit", .description = "d"},
        {.id = "AC-2(1)", .label = "AC-2(1)", .level = 1, .title = "parentheses", .description = "d"},
        {.id = "A&A-01", .label = "A&A-01", .level = 1, .title = "ampersand", .description = "d"},
        {.id = "A.5.1.1", .label = "A.5.1.1", .level = 1, .title = "a token as it is", .description = "d"},
    };
    list = list_of(&m, items, 4);
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    ck_assert(find(cat, "_1.1", NULL));
    ck_assert(find(cat, "_AC-2_o1_c", NULL));
    ck_assert(find(cat, "_A_aA-01", NULL));
    ck_assert(find(cat, "A.5.1.1", NULL));
    ck_assert_str_eq(value_of(find(cat, "_AC-2_o1_c", NULL), "label", 0), "AC-2(1)");
    ctl_list *back = read_back(doc);
    ck_assert_str_eq(back->items[1].id, "AC-2(1)");
    ck_assert_str_eq(back->items[2].id, "A&A-01");
    expect_equal_but_answers(list, back);
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

/* Duplicate ids: a suffix, our "id" prop, a warning; read back the same. */
START_TEST(unique_ids)
{
    ctl_meta m = {.title = "t"};
    ctl_item items[] = {
        {.id = "II.1.1.1", .level = 1, .title = "first", .description = "d"},
        {.id = "II.1.1.1", .level = 1, .title = "second", .description = "d"},
        {.id = "II.1.1.1_smt", .level = 1, .title = "a token like a statement's id", .description = "d"},
    };
    list = list_of(&m, items, 3);
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_DUPLICATE_ID), 1);
    json_t *second = find(cat, "II.1.1.1_2", NULL);
    ck_assert(second != NULL);
    ck_assert_str_eq(value_of(second, "id", 1), "II.1.1.1");
    /* the item keeps its token; the statement of II.1.1.1 then has no id */
    json_t *first = find(cat, "II.1.1.1", NULL);
    ck_assert(find(cat, "II.1.1.1_smt", NULL));
    ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(first, "parts"), 0), "id"));
    ctl_list *back = read_back(doc);
    ck_assert_str_eq(back->items[1].id, "II.1.1.1");
    expect_equal_but_answers(list, back);
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

/* Text OSCAL cannot hold as it is: a title OSCAL can show, the text in our
 * props; read back exactly. */
START_TEST(awkward_text_kept)
{
    char *cols[] = {"a\nb", "", "\"quoted\""};
    ctl_meta m = {.title = "", .note = " note ", .annex = "ANNEX\n2", .columns = cols, .n_columns = 3};
    ctl_field extra[] = {{"a\nb", " v "}, {"", "unnamed"}, {"\"quoted\"", ""}};
    ctl_ref refs[] = {{"", "see\nbelow"}, {"27001-2013", "A.5"}};
    ctl_item items[] = {
        {.id = "II.1", .label = " II. 1. ", .level = 1, .title = "", .refs = refs, .n_refs = 2},
        {.id = "II.1.1.1", .label = "\"1\"", .level = 2, .title = "line\r\nbreak", .description = "  spaced\n",
         .extra = extra, .n_extra = 3},
        {.id = "II.1.1.2", .label = "", .level = 5, .parent = "", .title = "　wide space　", .description = "d"},
    };
    list = list_of(&m, items, 3);
    json_t *doc = build(list, CTL_OSCAL_CATALOG, NULL), *cat = json_object_get(doc, "catalog");
    json_t *md = json_object_get(cat, "metadata");
    ck_assert_str_eq(json_string_value(json_object_get(md, "title")), "ANNEX 2");
    ck_assert_str_eq(value_of(md, "title", 1), "\"\"");
    ck_assert_str_eq(value_of(md, "annex", 1), "\"ANNEX\\u000a2\"");
    json_t *sec = find(cat, "II.1", NULL), *c = find(cat, "II.1.1.1", NULL), *w = find(cat, "II.1.1.2", NULL);
    ck_assert_str_eq(json_string_value(json_object_get(sec, "title")), "II. 1.");
    ck_assert_str_eq(value_of(sec, "label", 0), "II. 1.");
    ck_assert_str_eq(value_of(sec, "label", 1), "\" II. 1. \"");
    ck_assert_str_eq(json_string_value(json_object_get(c, "title")), "line break");
    ck_assert_str_eq(value_of(c, "title", 1), "\"line\\u000d\\u000abreak\"");
    ck_assert_str_eq(value_of(c, "label", 0), "\"1\"");
    ck_assert_str_eq(json_string_value(json_object_get(w, "title")), "　wide space　");
    ck_assert_str_eq(value_of(w, "level", 1), "5");
    json_t *ref = prop_of(sec, "reference", 1, 1);
    ck_assert_str_eq(json_string_value(json_object_get(ref, "class")), "_27001-2013");
    ctl_list *back = read_back(doc);
    expect_equal_but_answers(list, back);
    ck_assert_str_eq(back->meta.annex, "ANNEX\n2");
    ck_assert_uint_eq(back->meta.n_columns, 3);
    ck_assert_str_eq(back->meta.columns[0], "a\nb");
    ctl_list_free(back);
    json_decref(doc);
}
END_TEST

/* -------------------------------------------------------------- UUIDs */

static char *dump_of(const ctl_list *l, ctl_oscal_kind kind, const char *date)
{
    ctl_options o;
    ctl_options_init(&o);
    o.date = date;
    json_t *doc = build(l, kind, &o);
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    return text;
}

static void uuid_at(const char *text, const char *after, char out[37])
{
    const char *p = strstr(text, after);
    ck_assert(p != NULL);
    p = strstr(p, "\"uuid\": \"");
    ck_assert(p != NULL);
    memcpy(out, p + 9, 36);
    out[36] = '\0';
    ck_assert_int_eq(out[14], '5');   /* version 5 */
    ck_assert(strchr("89ab", out[19]));
}

START_TEST(uuids_name_based)
{
    list = sample_list();
    char *a = dump_of(list, CTL_OSCAL_CATALOG, "2026-01-02"), *b = dump_of(list, CTL_OSCAL_CATALOG, "2026-01-02");
    ck_assert_str_eq(a, b);
    char ua[37], ub[37];
    uuid_at(a, "\"catalog\"", ua);
    /* another date: the same UUID, another last-modified */
    char *c = dump_of(list, CTL_OSCAL_CATALOG, "2026-02-03T04:05:06+09:00");
    uuid_at(c, "\"catalog\"", ub);
    ck_assert_str_eq(ua, ub);
    ck_assert(strstr(c, "\"last-modified\": \"2026-02-03T04:05:06+09:00\""));
    ck_assert(strstr(a, "\"last-modified\": \"2026-01-02T00:00:00Z\""));
    /* another title: another UUID */
    free(list->items[1].title);
    list->items[1].title = strdup("changed");
    char *d = dump_of(list, CTL_OSCAL_CATALOG, "2026-01-02");
    uuid_at(d, "\"catalog\"", ub);
    ck_assert_str_ne(ua, ub);
    free(a), free(b), free(c), free(d);
}
END_TEST

/* ---------------------------------------------- component definition */

START_TEST(component_definition)
{
    ctl_list *seed = read_seed(ctx);
    ctl_options o;
    ctl_options_init(&o);
    o.component = "Example Cloud";
    json_t *doc = build(seed, CTL_OSCAL_COMPONENT, &o), *cd = json_object_get(doc, "component-definition");
    json_t *cat = build(seed, CTL_OSCAL_CATALOG, &o);
    json_t *comp = json_array_get(json_object_get(cd, "components"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(comp, "title")), "Example Cloud");
    ck_assert_str_eq(json_string_value(json_object_get(comp, "type")), "service");
    json_t *ci = json_array_get(json_object_get(comp, "control-implementations"), 0);
    char source[64];
    snprintf(source, sizeof source, "urn:uuid:%s",
             json_string_value(json_object_get(json_object_get(cat, "catalog"), "uuid")));
    ck_assert_str_eq(json_string_value(json_object_get(ci, "source")), source);
    json_t *reqs = json_object_get(ci, "implemented-requirements");
    ck_assert_uint_eq(json_array_size(reqs), 121);
    for (size_t i = 0; i < json_array_size(reqs); i++) {
        const char *id = json_string_value(json_object_get(json_array_get(reqs, i), "control-id"));
        int control = 0;
        ck_assert_msg(find(json_object_get(cat, "catalog"), id, &control) && control, "%s is no control", id);
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(reqs, 0), "description")),
                     seed->items[3].answer);
    json_decref(doc);
    json_decref(cat);
    ctl_list_free(seed);
}
END_TEST

START_TEST(component_without_answers)
{
    ctl_meta m = {.title = "t"};
    ctl_item items[] = {{.id = "II.1", .level = 1, .title = "c", .description = "d"}};
    list = list_of(&m, items, 1);
    json_t *doc = build(list, CTL_OSCAL_COMPONENT, NULL);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NO_ANSWERS), 1);
    json_t *comp = json_array_get(json_object_get(json_object_get(doc, "component-definition"), "components"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(comp, "title")), "t");
    ck_assert_ptr_null(json_object_get(comp, "control-implementations"));
    json_decref(doc);
}
END_TEST

/* An answer changed: the document's UUID changes, the requirement's not. */
START_TEST(component_uuids)
{
    list = sample_list();
    char *a = dump_of(list, CTL_OSCAL_COMPONENT, "2026-01-02");
    free(list->items[1].answer);
    list->items[1].answer = strdup("another answer");
    char *b = dump_of(list, CTL_OSCAL_COMPONENT, "2026-01-02");
    char ua[37], ub[37];
    uuid_at(a, "\"component-definition\"", ua);
    uuid_at(b, "\"component-definition\"", ub);
    ck_assert_str_ne(ua, ub);
    uuid_at(a, "\"implemented-requirements\"", ua);
    uuid_at(b, "\"implemented-requirements\"", ub);
    ck_assert_str_eq(ua, ub);
    free(a), free(b);
}
END_TEST

START_TEST(bad_options)
{
    list = sample_list();
    ctl_options o;
    ctl_options_init(&o);
    json_t *doc = NULL;
    o.date = "1850-01-01";
    ck_assert_int_eq(ctl_oscal_build(ctx, list, &o, CTL_OSCAL_CATALOG, &doc), CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_BAD_ARGUMENT);
    ctl_error_clear(ctx);
    o.date = "2026-01-02T00:00:00-13:00";
    ck_assert_int_eq(ctl_oscal_build(ctx, list, &o, CTL_OSCAL_CATALOG, &doc), CTL_EUSAGE);
    ctl_error_clear(ctx);
    o.date = "2026-01-02";
    o.doc_version = " 1";
    ck_assert_int_eq(ctl_oscal_build(ctx, list, &o, CTL_OSCAL_CATALOG, &doc), CTL_EUSAGE);
    ctl_error_clear(ctx);
    o.doc_version = "2.0";
    o.component = "two\nlines";
    ck_assert_int_eq(ctl_oscal_build(ctx, list, &o, CTL_OSCAL_COMPONENT, &doc), CTL_EUSAGE);
    ctl_error_clear(ctx);
    ck_assert_ptr_null(doc);
    doc = build(list, CTL_OSCAL_CATALOG, &o);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(doc, "catalog"), "metadata"),
                                                       "version")), "2.0");
    json_decref(doc);
}
END_TEST

/* ------------------------------------------------- reading NIST's own */

static const char nist[] =
    "{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\",\n"
    " \"metadata\": {\"title\": \"A catalog\", \"last-modified\": \"2024-02-01T13:57:28Z\", \"version\": \"1\",\n"
    "   \"oscal-version\": \"1.1.2\", \"remarks\": \"Remarks.\"},\n"
    " \"groups\": [{\"id\": \"ac\", \"class\": \"family\", \"title\": \"Access Control\", \"groups\": [\n"
    "   {\"title\": \"A group without an id\", \"controls\": [\n"
    "    {\"id\": \"ac-2\", \"class\": \"SP800-53\", \"title\": \"Account Management\",\n"
    "     \"params\": [{\"id\": \"ac-2_prm_1\", \"label\": \"frequency\"},\n"
    "                {\"id\": \"ac-2_prm_2\", \"select\": {\"how-many\": \"one-or-more\", \"choice\": [\"x\", \"y\"]}}],\n"
    "     \"props\": [{\"name\": \"label\", \"value\": \"AC-02\", \"class\": \"zero-padded\"},\n"
    "               {\"name\": \"label\", \"value\": \"AC-2\"}, {\"name\": \"sort-id\", \"value\": \"ac-02\"}],\n"
    "     \"links\": [{\"href\": \"#res1\", \"rel\": \"reference\"}, {\"href\": \"#ac-3\", \"rel\": \"related\"},\n"
    "               {\"href\": \"#_AC-2_o1_c\", \"rel\": \"related\"}],\n"
    "     \"parts\": [{\"id\": \"ac-2_smt\", \"name\": \"statement\", \"prose\": \"Do:\", \"parts\": [\n"
    "        {\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"a.\"}], \"prose\": \"Define {{ insert: param, ac-2_prm_1 }};\"},\n"
    "        {\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"b.\"}], \"prose\": \"Specify:\", \"parts\": [\n"
    "          {\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"1.\"}], \"prose\": \" users; \"}]}]},\n"
    "       {\"name\": \"guidance\", \"prose\": \"Guidance.\"}],\n"
    "     \"controls\": [{\"id\": \"ac-2.1\", \"title\": \"Automated\", \"props\": [{\"name\": \"label\", \"value\": \"AC-2(1)\"}],\n"
    "        \"parts\": [{\"name\": \"statement\", \"prose\": \"Support.\"}]}]}]}]}],\n"
    " \"back-matter\": {\"resources\": [{\"uuid\": \"res1\", \"title\": \"SP 800-162\"}]}}}\n";

START_TEST(reading_nested)
{
    ctl_status st;
    list = read_string(ctx, "oscal-json", nist, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 4);
    ck_assert_str_eq(list->meta.title, "A catalog");
    ck_assert_str_eq(list->meta.note, "Remarks.");
    const ctl_item *g = &list->items[0], *anon = &list->items[1], *c = &list->items[2], *e = &list->items[3];
    /* a token that is no identifier: an id made, the token the label and "id (OSCAL)" */
    ck_assert_str_eq(g->id, "#1");
    ck_assert_str_eq(g->label, "ac");
    ck_assert_int_eq(g->level, 1);
    ck_assert_str_eq(g->extra[0].name, "id (OSCAL)");
    ck_assert_str_eq(g->extra[0].value, "ac");
    ck_assert_str_eq(g->extra[1].name, "class");
    ck_assert_str_eq(g->extra[1].value, "family");
    /* a group without an id: one generated, its items under it */
    ck_assert_int_eq(anon->level, 2);
    ck_assert_str_eq(anon->parent, "#1");
    ck_assert_str_eq(c->parent, anon->id);
    ck_assert_int_eq(c->level, 3);
    /* every control's label is an id: the ids, the tokens kept */
    ck_assert_str_eq(c->id, "AC-2");
    ck_assert_str_eq(c->label, "AC-2");
    ck_assert_str_eq(c->title, "Account Management");
    ck_assert_str_eq(c->description, "Do:\na. Define [Assignment: frequency];\nb. Specify:\n  1. users;");
    const char *want[][2] = {
        {"id (OSCAL)", "ac-2"},
        {"class", "SP800-53"},
        {"sort-id (OSCAL)", "ac-02"},
        {"params", "ac-2_prm_1: frequency\nac-2_prm_2: [one or more of: x; y]"},
        {"reference (OSCAL)", "SP 800-162"},
        {"related", "ac-3, AC-2(1)"},
        {"guidance", "Guidance."},
    };
    ck_assert_uint_eq(c->n_extra, 7);
    for (size_t i = 0; i < 7; i++) {
        ck_assert_str_eq(c->extra[i].name, want[i][0]);
        ck_assert_str_eq(c->extra[i].value, want[i][1]);
    }
    ck_assert_str_eq(e->id, "AC-2(1)");
    ck_assert_str_eq(e->label, "AC-2(1)");
    ck_assert_str_eq(e->parent, "AC-2");
    ck_assert_int_eq(e->level, 4);
    ck_assert_str_eq(e->description, "Support.");
    /* the columns of the extra fields, for the table writers */
    ck_assert_uint_eq(list->meta.n_columns, 7);
    ck_assert_str_eq(list->meta.columns[0], "id (OSCAL)");
    ck_assert_str_eq(list->meta.columns[1], "class");
    ck_assert_str_eq(list->meta.columns[6], "guidance");
}
END_TEST

/* A catalog of one control c1 with params and a statement (CAT2's
 * arguments: the params' JSON, the statement's prose). */
#define CTL1(params, prose)                                                                                    \
    "{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\", \"metadata\": {\"title\": \"t\"}, "      \
    "\"controls\": [{\"id\": \"c1\", \"title\": \"T\", \"params\": [" params "], \"parts\": [{\"name\": "        \
    "\"statement\", \"prose\": \"" prose "\"}, {\"name\": \"guidance\", \"prose\": \"See {{ insert: param, a }}.\"}]}]}}"

static const char *description_of(const char *doc)
{
    ctl_status st;
    ctl_list_free(list);
    list = read_string(ctx, "oscal-json", doc, &st);
    assert_ok(ctx, st);
    return list->items[0].description;
}

START_TEST(params_as_nist_prints_them)
{
    /* an assignment: its label; a selection: its choices; values: themselves */
    ck_assert_str_eq(description_of(CTL1("{\"id\": \"a\", \"label\": \"frequency\"}",
                                         "Review {{ insert: param, a }} and {{insert:param,a}}.")),
                     "Review [Assignment: frequency] and [Assignment: frequency].");
    ck_assert_str_eq(list->items[0].extra[1].name, "guidance");
    ck_assert_str_eq(list->items[0].extra[1].value, "See [Assignment: frequency].");
    ck_assert_str_eq(description_of(CTL1("{\"id\": \"a\", \"select\": {\"how-many\": \"one-or-more\", \"choice\": "
                                         "[\"x\", \"after {{ insert: param, b }}\"]}}, {\"id\": \"b\"}",
                                         "Do {{ insert: param, a }}.")),
                     "Do [Selection (one or more): x; after [Assignment: b]].");
    ck_assert_str_eq(list->items[0].extra[0].value, "a: [one or more of: x; after [Assignment: b]]\nb:");
    ck_assert_str_eq(description_of(CTL1("{\"id\": \"a\", \"label\": \"l\", \"select\": {\"choice\": [\"x\", \"y\"]}}",
                                         "{{ insert: param, a }}")),
                     "[Selection: x; y]");
    ck_assert_str_eq(description_of(CTL1("{\"id\": \"a\", \"label\": \"l\", \"values\": [\"daily\", \"weekly\"]}",
                                         "{{ insert: param, a }}")),
                     "daily, weekly");
    /* the catalog's own params */
    ck_assert_str_eq(description_of("{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"params\": [{\"id\": \"g\", "
                                    "\"label\": \"global\"}], \"controls\": [{\"id\": \"c1\", \"title\": \"T\", \"parts\": "
                                    "[{\"name\": \"statement\", \"prose\": \"{{ insert: param, g }}\"}]}]}}"),
                     "[Assignment: global]");
    /* what is no insert of a param the catalog has stays as written */
    ck_assert_str_eq(description_of(CTL1("{\"id\": \"a\", \"label\": \"l\"}",
                                         "{{ insert: param, zz }} {{ insert: param, a } {{ x }} {{")),
                     "{{ insert: param, zz }} {{ insert: param, a } {{ x }} {{");
    /* a param that inserts itself: expanded 4 deep, then as written */
    ck_assert_str_eq(description_of(CTL1("{\"id\": \"a\", \"select\": {\"choice\": [\"{{ insert: param, a }}\"]}}",
                                         "{{ insert: param, a }}")),
                     "[Selection: [Selection: [Selection: [Selection: {{ insert: param, a }}]]]]");
}
END_TEST

START_TEST(params_growth_bounded)
{
    /* a choice of 200 inserts of the next param, 4 deep: 200^4 expansions
     * unless held to json-memory */
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"controls\": [{\"id\": \"c1\", "
                               "\"title\": \"T\", \"params\": [{\"id\": \"p4\", \"label\": \"0123456789\"}"));
    for (int i = 0; i < 4; i++) {
        ck_assert(ctl_buf_printf(&b, ", {\"id\": \"p%d\", \"select\": {\"choice\": [\"", i));
        for (int k = 0; k < 200; k++) ck_assert(ctl_buf_printf(&b, "{{ insert: param, p%d }}", i + 1));
        ck_assert(ctl_buf_adds(&b, "\"]}}"));
    }
    ck_assert(ctl_buf_adds(&b, "], \"parts\": [{\"name\": \"statement\", \"prose\": \"{{ insert: param, p0 }}\"}]}]}}"));
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_JSON_MEMORY] = 100000;
    ctl_status st;
    list = ctl_list_new();
    ck_assert_ptr_nonnull(list);
    st = ctl_read(ctx, ctl_format_by_name("oscal-json"), "in", (const unsigned char *)b.data, b.len, &o,
                  &list->sink);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ck_assert_str_eq(ctl_diag_name(ctl_error_code(ctx)), "limit");
    ck_assert_msg(strstr(ctl_error_message(ctx), "the params' inserts make the catalog's text more than "
                                                   "100000 bytes longer"), "%s", ctl_error_message(ctx));
    ctl_buf_free(&b);
}
END_TEST

#define LABELLED(l1, l2)                                                                                       \
    "{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"groups\": [{\"id\": \"ac\", \"title\": \"G\", "          \
    "\"controls\": [{\"id\": \"ac-1\", \"title\": \"A\", \"props\": [" l1 "]}, {\"id\": \"ac-2\", \"title\": "   \
    "\"B\", \"props\": [" l2 "], \"links\": [{\"href\": \"#ac-1\", \"rel\": \"required\"}, {\"href\": "         \
    "\"#ac-9\", \"rel\": \"required\"}]}]}]}}"
#define LABEL(v) "{\"name\": \"label\", \"value\": \"" v "\"}"

static const char *ids_of(const char *doc)
{
    static char got[200];
    ctl_status st;
    ctl_list_free(list);
    list = read_string(ctx, "oscal-json", doc, &st);
    assert_ok(ctx, st);
    got[0] = '\0';
    for (size_t i = 0; i < list->n_items; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s<%s", i ? " " : "", list->items[i].id,
                 list->items[i].parent);
    return got;
}

START_TEST(ids_from_labels)
{
    /* every control's label an id, none the same: the labels are the ids */
    ck_assert_str_eq(ids_of(LABELLED(LABEL("AC-1"), LABEL("AC-2"))), "#1< AC-1<#1 AC-2<#1");
    const ctl_item *c = &list->items[2];
    ck_assert_str_eq(c->extra[0].name, "id (OSCAL)");
    ck_assert_str_eq(c->extra[0].value, "ac-2");
    /* a link to a control of the catalog: its OSCAL id; elsewhere: the href */
    ck_assert_str_eq(c->extra[1].name, "required");
    ck_assert_str_eq(c->extra[1].value, "ac-1\n#ac-9");
    /* a control without a label, one that is no id, two of one id: the tokens */
    ck_assert_str_eq(ids_of(LABELLED(LABEL("AC-1"), "")), "#1< ac-1<#1 ac-2<#1");
    ck_assert_str_eq(ids_of(LABELLED(LABEL("AC-1"), LABEL("see below"))), "#1< ac-1<#1 ac-2<#1");
    ck_assert_str_eq(ids_of(LABELLED(LABEL("AC-1"), LABEL("AC-1"))), "#1< ac-1<#1 ac-2<#1");
    ck_assert_str_eq(ids_of(LABELLED(LABEL("ac"), LABEL("AC-2"))), "#1< ac-1<#1 ac-2<#1");
    ck_assert_str_eq(list->items[2].extra[0].name, "required");
}
END_TEST

/* ------------------------------------------------------- detection */

static const char *detected(const char *text)
{
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *f = NULL;
    ctl_status st = ctl_detect_format(ctx, "-", (const unsigned char *)text, strlen(text), &o, &f);
    return st == CTL_OK ? f->name : ctl_diag_name(ctl_error_code(ctx));
}

START_TEST(detected_by_content)
{
    ck_assert_str_eq(detected(nist), "oscal-json");
    ck_assert_str_eq(detected("\xEF\xBB\xBF {\n \"$schema\": \"https://x/\\\"s\\\"\", \"catalog\": {}}"), "oscal-json");
    ck_assert_str_eq(detected("{\"profile\": {}}"), "oscal-json");
    ck_assert_str_eq(detected("{\"items\": [{\"id\": \"II.1\"}]}"), "json");
    ck_assert_str_eq(detected("{\"catalog\": \"no object\"}"), "json");
}
END_TEST

/* ----------------------------------------------------------- refused */

#define CAT(body) "{\"catalog\": {\"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\", \"metadata\": {\"title\": \"t\"}" body "}}"

static char *nested(int depth)
{
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"groups\": ["));
    for (int i = 0; i < depth; i++) ck_assert(ctl_buf_adds(&b, "{\"title\": \"g\", \"groups\": ["));
    ck_assert(ctl_buf_adds(&b, "{\"title\": \"last\"}"));
    for (int i = 0; i < depth; i++) ck_assert(ctl_buf_adds(&b, "]}"));
    ck_assert(ctl_buf_adds(&b, "]}}"));
    return ctl_buf_take(&b);
}

START_TEST(hostile_inputs)
{
    assert_refused("oscal-json", "[1]", "not-a-list", "not an OSCAL document");
    assert_refused("oscal-json", "{\"profile\": {}}", "not-a-list", "an OSCAL profile");
    assert_refused("oscal-json", "{\"component-definition\": {}}", "not-a-list", "component definition");
    assert_refused("oscal-json", "{\"catalog\": []}", "bad-field", "'catalog' must be an object");
    assert_refused("oscal-json", "{\"catalog\": {\"groups\": []}}", "bad-field", "has no metadata");
    assert_refused("oscal-json", "{\"catalog\": {\"metadata\": {\"title\": 1}}}", "bad-field", "'title' must be a string");
    assert_refused("oscal-json", CAT(""), "no-rows", "no groups or controls");
    assert_refused("oscal-json", CAT(", \"groups\": {}"), "bad-field", "the catalog: 'groups' must be an array");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"x1\"}]"), "bad-field", "control 'x1' has no title");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"title\": \"t\"}]"), "bad-field", "control 1 at the top has no id");
    assert_refused("oscal-json", CAT(", \"groups\": [7]"), "bad-field", "group 1 at the top must be an object");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"x1\", \"title\": \"t\", \"props\": {}}]"), "bad-field",
                   "control 'x1': 'props' must be an array");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"x1\", \"title\": \"t\", \"props\": [{\"name\": \"n\"}]}]"),
                   "bad-field", "a prop needs a name and a value");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"x1\", \"title\": \"t\", \"parts\": [{\"prose\": \"p\"}]}]"),
                   "bad-field", "a part needs a name");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"x1\", \"title\": \"t\", \"parts\": [{\"name\": \"s\", "
                                     "\"parts\": [{\"name\": \"i\", \"prose\": 3}]}]}]"),
                   "bad-field", "'prose' must be a string");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"a b\", \"title\": \"t\"}]"), "bad-field",
                   "holds white space");
    assert_refused("oscal-json", CAT(", \"controls\": [{\"id\": \"x1\", \"title\": \"t\", \"props\": [{\"name\": "
                                     "\"level\", \"ns\": \"" NS "\", \"value\": \"0\"}]}]"),
                   "bad-field", "no whole number from 1 to 64");
    assert_refused("oscal-json", "{\"catalog\": {\"metadata\": {\"title\": \"t\", \"props\": [{\"name\": \"model\", "
                                 "\"ns\": \"" NS "\", \"value\": \"ctlconv-list-9\"}]}, \"groups\": [{\"title\": \"g\"}]}}",
                   "unsupported-version", "ctlconv-list-9");
    char *deep = nested(64);
    assert_refused("oscal-json", deep, "fixed-limit", "nested 65 deep");
    free(deep);
    deep = nested(1500);
    assert_refused("oscal-json", deep, "fixed-limit", "2048");
    free(deep);
    /* 64 levels are read */
    deep = nested(63);
    ctl_status st;
    list = read_string(ctx, "oscal-json", deep, &st);
    assert_ok(ctx, st);
    ck_assert_int_eq(list->items[list->n_items - 1].level, 64);
    free(deep);
}
END_TEST

/* ------------------------------------------------ allocation failure */

static ctl_status convert(const char *from, const void *data, size_t len, const char *to, char **out,
                          size_t *out_len, ctl_ctx *c)
{
    ctl_options o;
    ctl_options_init(&o);
    o.date = "2026-01-02";
    FILE *f = open_memstream(out, out_len);
    ck_assert_ptr_nonnull(f);
    ctl_sink *sink = NULL;
    ctl_status st = ctl_format_by_name(to)->writer(c, f, "out", &o, &sink);
    if (st == CTL_OK) st = ctl_read(c, ctl_format_by_name(from), "in", data, len, &o, sink);
    if (sink && sink->destroy) sink->destroy(sink);
    fclose(f);
    return st;
}

/* Each allocation of ctlconv's own along from -> to fails in turn: a clean
 * out-of-memory error, or the same output (no leak: the sanitizer build). */
static void every_n(const char *from, const char *data, const char *to)
{
    char *good = NULL;
    size_t good_len = 0, len = strlen(data);
    ctl_test_fail_alloc(0);
    assert_ok(ctx, convert(from, data, len, to, &good, &good_len, ctx));
    unsigned long total = ctl_test_alloc_count();
    for (unsigned long n = 1; n <= total; n++) {
        ctl_ctx *c = ctl_ctx_new();
        char *out = NULL;
        size_t out_len = 0;
        ctl_test_fail_alloc(n);
        ctl_status st = convert(from, data, len, to, &out, &out_len, c);
        ctl_test_fail_alloc(0);
        if (st == CTL_ENOMEM) assert_error_code(c, CTL_D_OUT_OF_MEMORY);
        else ck_assert_msg(st == CTL_OK && out_len == good_len && !memcmp(out, good, good_len),
                           "%s -> %s, allocation %lu of %lu failed: status %d (%s)", from, to, n, total, st,
                           ctl_error_message(c));
        free(out);
        ctl_ctx_free(c);
    }
    free(good);
}

START_TEST(allocation_failures)
{
    static const char awkward[] =
        "{\"format\": \"ctlconv-list\", \"version\": 2, \"title\": \"\", \"annex\": \"A\\nB\", "
        "\"columns\": [\"x\\ny\"], \"items\": [\n"
        "{\"id\": \"1\", \"label\": \" 1 \", \"level\": 1, \"title\": \"a\\nb\", "
        "\"refs\": [{\"scheme\": \"27001-2013\", \"id\": \"A.5\"}]},\n"
        "{\"id\": \"1.1\", \"level\": 3, \"parent\": \"1\", \"title\": \"t\", \"description\": \"d\", "
        "\"category\": \"基本\", \"category_value\": \"basic\", \"answer\": \"yes\", "
        "\"extra\": [{\"name\": \"x\\ny\", \"value\": \"v\"}]},\n"
        "{\"id\": \"1.1\", \"level\": 2, \"parent\": \"1\", \"title\": \"dup\"}]}";
    every_n("json", awkward, "oscal-json");
    every_n("json", awkward, "oscal-component-json");
    char *cat = NULL;
    size_t n;
    assert_ok(ctx, convert("json", awkward, strlen(awkward), "oscal-json", &cat, &n, ctx));
    every_n("oscal-json", cat, "json");
    free(cat);
    every_n("oscal-json", nist, "json");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("oscal");
    TCase *tc = tcase_create("oscal");
    use_ctx_fixture(tc);
    tcase_add_test(tc, group_and_control_rule);
    tcase_add_test(tc, top_controls_before_groups);
    tcase_add_test(tc, mapping_of_fields);
    tcase_add_test(tc, category_word_and_class);
    tcase_add_test(tc, ids_as_tokens);
    tcase_add_test(tc, unique_ids);
    tcase_add_test(tc, awkward_text_kept);
    tcase_add_test(tc, uuids_name_based);
    tcase_add_test(tc, component_definition);
    tcase_add_test(tc, component_without_answers);
    tcase_add_test(tc, component_uuids);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, reading_nested);
    tcase_add_test(tc, params_as_nist_prints_them);
    tcase_add_test(tc, params_growth_bounded);
    tcase_add_test(tc, ids_from_labels);
    tcase_add_test(tc, detected_by_content);
    tcase_add_test(tc, hostile_inputs);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
