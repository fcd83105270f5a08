/* SPDX-License-Identifier: BSD-2-Clause */
/* The hierarchy of a list (converters/hierarchy.c, issue 12), through
 * ctl_read() as every reader reaches it: level and parent from the best
 * evidence in the file (a level column, else a parent column, else
 * containment among the ids), rows without ids kept with generated ids,
 * duplicate ids kept with a warning, parents that are no item above. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

/* The list's items as "id level parent; ..." */
static void hierarchy_is(const ctl_list *l, const char *want)
{
    char got[2048] = "";
    for (size_t i = 0; i < l->n_items; i++) {
        const ctl_item *it = &l->items[i];
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s %d %s", i ? "; " : "", it->id, it->level,
                 *it->parent ? it->parent : "-");
    }
    ck_assert_msg(!strcmp(got, want), "got  %s\nwant %s", got, want);
}

static ctl_list *read_ok(const char *format, const char *in)
{
    ctl_status st;
    ctl_list *l = read_string(ctx, format, in, &st);
    assert_ok(ctx, st);
    return l;
}

/* Writes l as CSV and reads it back: the same list (CSV loses labels: a
 * generated id's label "" comes back as the id), and the hierarchy warns
 * of nothing new (generated ids read back as ids). */
static void csv_round_trip(const ctl_list *l)
{
    ctl_ctx *c = ctl_ctx_new();
    ctl_status st;
    size_t n;
    char *csv = write_list(c, "csv", l, NULL, &n, &st);
    assert_ok(c, st);
    ctl_list *back = read_bytes(c, "csv", csv, n, NULL, &st);
    assert_ok(c, st);
    char why[256];
    ck_assert_msg(ctl_list_equal(l, back, 0, why, sizeof why), "%s\n%s", why, csv);
    ck_assert_uint_eq(warnings_with(c, CTL_D_ID_GENERATED), 0);
    ctl_list_free(back);
    free(csv);
    ctl_ctx_free(c);
}

/* A level column is the best evidence: the parent is the nearest item
 * above with a smaller level, at any depth (7 here). */
START_TEST(level_given)
{
    list = read_ok("csv", "id,title,depth\n"
                          "A,a,1\nB,b,2\nC,c,3\nD,d,4\nE,e,5\nF,f,6\nG,g,7\n"
                          "H,h,3\nI,i,1\nJ,j,2\n");
    hierarchy_is(list, "A 1 -; B 2 A; C 3 B; D 4 C; E 5 D; F 6 E; G 7 F; H 3 B; I 1 -; J 2 I");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    csv_round_trip(list);
}
END_TEST

/* Ids that would nest otherwise: the level column wins over containment. */
START_TEST(level_beats_containment)
{
    list = read_ok("csv", "id,title,level\n1,a,1\n1.1,b,1\n1.1.1,c,3\n");
    hierarchy_is(list, "1 1 -; 1.1 1 -; 1.1.1 3 1.1");
}
END_TEST

/* A parent column, no level: each level is its parent's plus one. */
START_TEST(parent_given)
{
    list = read_ok("csv", "id,title,parent\nA,a,\nB,b,A\nC,c,B\nD,d,A\nE,e,\nF,f,E\n");
    hierarchy_is(list, "A 1 -; B 2 A; C 3 B; D 2 A; E 1 -; F 2 E");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    csv_round_trip(list);
}
END_TEST

/* A parent that is no item above: kept as written, level 1, said. */
START_TEST(parent_unknown)
{
    list = read_ok("csv", "id,title,parent\nA,a,\nB,b,A\nD,d,X\nC,c,D\n");
    hierarchy_is(list, "A 1 -; B 2 A; D 1 X; C 2 D");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_PARENT_UNKNOWN), 1);
    ck_assert(has_warning(ctx, "D: parent 'X' is no item above it; kept as written"));
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "D");
    ck_assert_int_eq(ctl_warning_line(ctx, 0), 4);
}
END_TEST

/* Both given: both kept as the file says. */
START_TEST(level_and_parent_given)
{
    list = read_ok("csv", "id,title,level,parent\nA,a,1,\nB,b,3,A\n");
    hierarchy_is(list, "A 1 -; B 3 A");
}
END_TEST

/* No level, no parent: containment among the list's own ids, to depth 7,
 * in every shape of the issue; a prefix ("1" of "10.1", "AC-2" of
 * "AC-20") is no parent. */
START_TEST(containment)
{
    list = read_ok("csv", "id,title,description\n"
                          "1,a,\n1.1,b,\n1.1.1,c,\n1.1.1.1,d,\n1.1.1.1.1,e,\n1.1.1.1.1.1,f,\n"
                          "1.1.1.1.1.1.1,g,\n1.1.2,h,\n10.1,i,\n"
                          "AC,j,\nAC-2,k,\nAC-2(1),l,\nAC-20,m,\n"
                          "2.1.1,n,\n2.1.1(1),o,\n2.1.1(1)-1,p,\n"
                          "II.1,q,\nII.1.1,r,\nII.1.1.1,s,\nII.2,t,\n");
    hierarchy_is(list, "1 1 -; 1.1 2 1; 1.1.1 3 1.1; 1.1.1.1 4 1.1.1; 1.1.1.1.1 5 1.1.1.1; "
                       "1.1.1.1.1.1 6 1.1.1.1.1; 1.1.1.1.1.1.1 7 1.1.1.1.1.1; 1.1.2 3 1.1; 10.1 1 -; "
                       "AC 1 -; AC-2 2 AC; AC-2(1) 3 AC-2; AC-20 2 AC; "
                       "2.1.1 1 -; 2.1.1(1) 2 2.1.1; 2.1.1(1)-1 3 2.1.1(1); "
                       "II.1 1 -; II.1.1 2 II.1; II.1.1.1 3 II.1.1; II.2 1 -");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    csv_round_trip(list);
}
END_TEST

/* Rows without an id are kept, never dropped: each under the numbered
 * item above it, as "<that id>#<rank>" ("#<rank>" above the first), label
 * "", one id-generated warning each; the rank starts again under each
 * numbered item. */
START_TEST(rows_without_ids)
{
    list = read_ok("csv", "id,title,description\n"
                          ",pre,\nII.1,a,\n,b,\nII.1.1,c,\n,d,\n,e,\nII.2,f,\n");
    hierarchy_is(list, "#1 1 -; II.1 1 -; II.1#1 2 II.1; II.1.1 2 II.1; II.1.1#1 3 II.1.1; "
                       "II.1.1#2 3 II.1.1; II.2 1 -");
    ck_assert_str_eq(list->items[0].title, "pre");
    ck_assert_str_eq(list->items[5].title, "e");
    ck_assert_str_eq(list->items[5].label, "");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 4);
    ck_assert(has_warning(ctx, "a row without an id: kept as #1, under the top of the list"));
    ck_assert(has_warning(ctx, "a row without an id: kept as II.1.1#2, under II.1.1"));
    csv_round_trip(list);
}
END_TEST

/* A row without an id but with a level: at its own level, named after
 * the numbered item above. */
START_TEST(rows_without_ids_at_their_level)
{
    list = read_ok("csv", "id,title,depth\n1,a,1\n1.1,b,2\n,c,3\n,d,3\n1.2,e,2\n,f,\n,g,1\n2,h,1\n");
    /* each is numbered under its parent: g, at depth 1, is the top's first */
    hierarchy_is(list, "1 1 -; 1.1 2 1; 1.1#1 3 1.1; 1.1#2 3 1.1; 1.2 2 1; 1.2#1 3 1.2; #1 1 -; 2 1 -");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 4);
}
END_TEST

/* Duplicate ids (ISMAP has two) are kept, in place, with a warning that
 * names the id and the line. */
START_TEST(duplicate_ids_kept)
{
    list = read_ok("csv", "id,title,description\n5.1,a,\n5.1.1.P,b,\n5.1.1.P,c,\n5.2,d,\n5.1,e,\n");
    ck_assert_uint_eq(list->n_items, 5);
    hierarchy_is(list, "5.1 1 -; 5.1.1.P 2 5.1; 5.1.1.P 2 5.1; 5.2 1 -; 5.1 1 -");
    ck_assert_str_eq(list->items[2].title, "c");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_DUPLICATE_ID), 2);
    ck_assert(has_warning(ctx, "5.1.1.P: an item above has this id too; both kept"));
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "5.1.1.P");
    ck_assert_int_eq(ctl_warning_line(ctx, 0), 4);
}
END_TEST

/* JSON (version 2) goes through the same rules: parent given, level
 * given, neither, and an item with an empty id. */
START_TEST(json_inputs)
{
    list = read_ok("json", "{\"format\": \"ctlconv-list\", \"version\": 2, \"items\": ["
                           "{\"id\": \"AC\"}, {\"id\": \"AC-2\", \"parent\": \"AC\"},"
                           "{\"id\": \"\", \"title\": \"free row\"}, {\"id\": \"AC-2(1)\"},"
                           "{\"id\": \"PM-1\", \"parent\": \"PM\"}, {\"id\": \"X.1\", \"level\": 3}]}");
    hierarchy_is(list, "AC 1 -; AC-2 2 AC; AC-2#1 3 AC-2; AC-2(1) 3 AC-2; PM-1 1 PM; X.1 3 PM-1");
    ck_assert_str_eq(list->items[2].title, "free row");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 1);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_PARENT_UNKNOWN), 1);
}
END_TEST

/* FIXME (reported to the lead, run with CTL_RUN_FIXME=1): the same bytes
 * read as the text layout and as TSV give different levels when a heading
 * is missing.  The text reader hands the level of MIC's number (3 for
 * II.1.1.1); the table readers hand none, and containment gives 2 under
 * II.1.  The parent agrees; the level does not, so detection choosing
 * either format changes the list. */
START_TEST(text_and_tsv_agree_on_a_gap)
{
    const char *in = "ISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\n"
                     "\tII. 1.\tS\t\t\t\n\tII. 1. 1. 1\tt\td\t基本\ta\n";
    ctl_list *text = read_ok("text", in);
    list = read_ok("tsv", in);
    hierarchy_is(text, "II.1 1 -; II.1.1.1 3 II.1");
    hierarchy_is(list, "II.1 1 -; II.1.1.1 3 II.1");
    ctl_list_free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hierarchy");
    TCase *tc = tcase_create("hierarchy");
    use_ctx_fixture(tc);
    tcase_add_test(tc, level_given);
    tcase_add_test(tc, level_beats_containment);
    tcase_add_test(tc, parent_given);
    tcase_add_test(tc, parent_unknown);
    tcase_add_test(tc, level_and_parent_given);
    tcase_add_test(tc, containment);
    tcase_add_test(tc, rows_without_ids);
    tcase_add_test(tc, rows_without_ids_at_their_level);
    tcase_add_test(tc, duplicate_ids_kept);
    tcase_add_test(tc, json_inputs);
    if (getenv("CTL_RUN_FIXME")) tcase_add_test(tc, text_and_tsv_agree_on_a_gap);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
