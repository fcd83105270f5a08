/* SPDX-License-Identifier: BSD-2-Clause */
/* The table reader (converters/table.c) on the shapes of real control
 * lists, made small here: columns repeating each row's parents (CIS,
 * ISMAP), several columns that name ids, a depth column with rows without
 * ids, ids found by the shape of a column, prose that is no id, bad rows,
 * references kept as written, title rows above a header of few words. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Reads CSV text with the options given (NULL: the defaults). */
static ctl_list *read_csv(const char *s, const ctl_options *opts, ctl_status *st)
{
    return read_bytes(ctx, "csv", s, strlen(s), opts, st);
}

static const ctl_item *item(const ctl_list *l, size_t i)
{
    ck_assert_uint_lt(i, l->n_items);
    return &l->items[i];
}

/* Item i has this id, level and parent. */
static void assert_item(const ctl_list *l, size_t i, const char *id, int level, const char *parent)
{
    const ctl_item *it = item(l, i);
    ck_assert_msg(!strcmp(it->id, id), "item %zu: id '%s', want '%s'", i, it->id, id);
    ck_assert_msg(it->level == level, "item %zu (%s): level %d, want %d", i, id, it->level, level);
    ck_assert_msg(!strcmp(it->parent, parent), "item %zu (%s): parent '%s', want '%s'", i, id, it->parent,
                  parent);
}

static const char *extra_of(const ctl_item *it, const char *name)
{
    for (size_t i = 0; i < it->n_extra; i++)
        if (!strcmp(it->extra[i].name, name)) return it->extra[i].value;
    return NULL;
}

static int has_column(const ctl_list *l, const char *name)
{
    for (size_t i = 0; i < l->meta.n_columns; i++)
        if (!strcmp(l->meta.columns[i], name)) return 1;
    return 0;
}

static const char cis[] =
    "control_id,control_title,safeguard_id,safeguard_title,asset_type,ig1,description\n"
    "1,Inventory of Assets,1.1,Keep an Inventory,Devices,x,Establish and maintain.\n"
    "1,Inventory of Assets,1.2,Address Unauthorized Assets,Devices,x,Ensure a process.\n"
    "2,Inventory of Software,2.1,Keep a Software Inventory,Applications,x,List software.\n"
    "2,Inventory of Software,2.2,Supported Software,Applications,,Ensure support.\n";

START_TEST(repeated_parent_columns_become_headings)
{
    ctl_status st;
    list = read_csv(cis, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 6);
    assert_item(list, 0, "1", 1, "");
    assert_item(list, 1, "1.1", 2, "1");
    assert_item(list, 2, "1.2", 2, "1");
    assert_item(list, 3, "2", 1, "");
    assert_item(list, 4, "2.1", 2, "2");
    assert_item(list, 5, "2.2", 2, "2");
    ck_assert_str_eq(item(list, 0)->title, "Inventory of Assets");
    ck_assert_str_eq(item(list, 1)->title, "Keep an Inventory");   /* the safeguard's, not the control's */
    ck_assert_str_eq(item(list, 1)->description, "Establish and maintain.");
    ck_assert_str_eq(extra_of(item(list, 1), "asset_type"), "Devices");
    ck_assert_ptr_null(extra_of(item(list, 1), "control_id"));
    /* the parent columns are read into the headings, not kept */
    ck_assert(!has_column(list, "control_id") && !has_column(list, "control_title"));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_HEADINGS_MADE), 1);
    ck_assert(has_warning(ctx, "2 from 'control_id' (titles 'control_title')"));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_DUPLICATE_COLUMN), 0);
}
END_TEST

START_TEST(headings_off_keeps_the_columns)
{
    ctl_options o;
    ctl_options_init(&o);
    o.make_headings = -1;
    ctl_status st;
    list = read_csv(cis, &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 4);
    assert_item(list, 0, "1.1", 1, "");   /* nothing contains it */
    ck_assert_str_eq(item(list, 0)->title, "Keep an Inventory");
    ck_assert_str_eq(extra_of(item(list, 0), "control_id"), "1");
    ck_assert_str_eq(extra_of(item(list, 0), "control_title"), "Inventory of Assets");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_HEADINGS_MADE), 0);
    /* a table writer keeps them as extra columns */
    size_t n;
    char *out = write_list(ctx, "csv", list, &o, &n, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_EXTRA_DROPPED), 0);
    ck_assert_ptr_nonnull(strstr(out, ",control_id,control_title,"));
    free(out);
}
END_TEST

START_TEST(headings_forced_without_titles)
{
    static const char s[] = "group,id,title\nAC,AC-1,Policy\nAC,AC-2,Accounts\nIA,IA-1,Identification\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 3);   /* no title beside 'group': no headings of itself */
    ctl_list_free(list);
    ctl_options o;
    ctl_options_init(&o);
    o.make_headings = 1;
    list = read_csv(s, &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 5);
    assert_item(list, 0, "AC", 1, "");
    assert_item(list, 1, "AC-1", 2, "AC");
    assert_item(list, 3, "IA", 1, "");
    assert_item(list, 4, "IA-1", 2, "IA");
}
END_TEST

START_TEST(ismap_shape_two_parent_columns_and_suffixed_ids)
{
    static const char s[] =
        "criteria_type,domain_id,domain_title,category_id,category_title,control_id,iso_reference,control_text\n"
        "management,6,Organization,6.3,Cloud,6.3.1,27017:2015,text a\n"
        "management,6,Organization,6.3,Cloud,6.3.1.P,27017:2015 CLD.6.3.1,text b\n"
        "management,6,Organization,6.3,Cloud,6.3.1.1.PB,,text c\n"
        "controls,9,Access,9.2,User access,9.2.3.11.PB,27002:2013,text d\n"
        "controls,9,Access,9.2,User access,9.2.3.11.PB,27002:2013,text e\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 9);
    assert_item(list, 0, "6", 1, "");
    assert_item(list, 1, "6.3", 2, "6");
    assert_item(list, 2, "6.3.1", 3, "6.3");
    assert_item(list, 3, "6.3.1.P", 4, "6.3.1");
    assert_item(list, 4, "6.3.1.1.PB", 4, "6.3.1");
    assert_item(list, 5, "9", 1, "");
    assert_item(list, 6, "9.2", 2, "9");
    assert_item(list, 7, "9.2.3.11.PB", 3, "9.2");
    assert_item(list, 8, "9.2.3.11.PB", 3, "9.2");   /* a duplicate id is kept */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_DUPLICATE_ID), 1);
    ck_assert_str_eq(item(list, 1)->title, "Cloud");
    ck_assert_str_eq(item(list, 3)->description, "text b");
    /* references that are no identifiers are kept as written, one warning a cell */
    ck_assert_uint_eq(item(list, 3)->n_refs, 1);
    ck_assert_str_eq(item(list, 3)->refs[0].scheme, "");
    ck_assert_str_eq(item(list, 3)->refs[0].id, "27017:2015 CLD.6.3.1");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NOT_ISMS), 4);
    ck_assert_str_eq(extra_of(item(list, 2), "criteria_type"), "management");
}
END_TEST

START_TEST(id_column_chosen_by_shape_among_claimants)
{
    /* No. is a count, 管理策番号 the codes: both distinct, the codes win */
    static const char s[] = "No.,管理策番号,名称\n1,A.5.1,方針\n2,A.5.2,役割\n3,A.6.1,選考\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 3);
    ck_assert_str_eq(item(list, 0)->id, "A.5.1");
    ck_assert_str_eq(extra_of(item(list, 0), "No."), "1");
    ck_assert_str_eq(item(list, 2)->title, "選考");
}
END_TEST

START_TEST(id_column_found_by_shape_not_prose)
{
    /* no header names the ids: the column of codes does, not the prose */
    static const char s[] = "Notes,Key,Title\n"
                            "Applies to all systems,A.5.1,Policies\n"
                            "See 5.1 too,A.5.2,Roles\n"
                            "Check yearly,A.6.1,Screening\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 3);
    ck_assert_str_eq(item(list, 1)->id, "A.5.2");
    ck_assert_str_eq(extra_of(item(list, 1), "Notes"), "See 5.1 too");
    /* the column read as ids is no extra column of the document */
    ck_assert(!has_column(list, "Key"));
}
END_TEST

START_TEST(no_id_column_no_header)
{
    /* a known word or two over prose: no column of ids, no header row */
    static const char s[] = "Title,Notes\nPolicies,Applies to all systems\nRoles,Check yearly\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_NO_HEADER);
}
END_TEST

START_TEST(title_row_above_a_header_of_few_words)
{
    static const char s[] = "Title,Controls of the year\n"
                            "Key,Title,Description\n"
                            "A.5.1,Policies,Set them\n"
                            "A.5.2,Roles,Assign them\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(item(list, 0)->id, "A.5.1");
    ck_assert_str_eq(item(list, 0)->title, "Policies");
    ck_assert_str_eq(list->meta.title, "Title Controls of the year");
}
END_TEST

START_TEST(depth_column_and_rows_without_ids)
{
    /* CISO Assistant's shape: depth, ref_id (a key such as 'core' too) */
    static const char s[] = "assessable,depth,ref_id,name,description\n"
                            ",1,core,Clauses,\n"
                            ",2,4,Context,\n"
                            "x,3,4.1 ,Understanding,Identify issues\n"
                            "x,3,,Unnumbered,Kept all the same\n"
                            ",1,annex-a,Annex A,\n"
                            "x,2,A.5.1,Policies,Define\n";
    ctl_status st;
    list = read_csv(s, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 6);
    assert_item(list, 0, "#1", 1, "");
    ck_assert_str_eq(item(list, 0)->label, "core");
    assert_item(list, 1, "4", 2, "#1");
    assert_item(list, 2, "4.1", 3, "4");
    ck_assert_str_eq(item(list, 2)->label, "4.1");
    assert_item(list, 3, "4#1", 3, "4");   /* numbered under its parent, 4 */
    ck_assert_str_eq(item(list, 3)->title, "Unnumbered");
    ck_assert_uint_eq(item(list, 4)->level, 1);
    ck_assert_str_eq(item(list, 4)->label, "annex-a");
    ck_assert_uint_eq(item(list, 5)->level, 2);
    ck_assert_str_eq(item(list, 5)->parent, item(list, 4)->id);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 3);
}
END_TEST

START_TEST(whitespace_beyond_the_header_is_no_ragged_row)
{
    ctl_status st;
    list = read_csv("id,title,description\nA.5.1,t,d, \nA.5.2,u,e,\t\n", NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ctl_list_free(list);
    list = read_csv("id,title,description\nA.5.1,t,d,text\n", NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_RAGGED_ROW);
}
END_TEST

static const char bad[] = "id,title,description\n"
                          "A.5.1,Policies,Set\n"
                          "see the note below,Roles,Assign\n"
                          "A.6.1,Screening,Check\n";

START_TEST(bad_row_is_an_error)
{
    ctl_status st;
    list = read_csv(bad, NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_BAD_ROW);
    ck_assert_int_eq(ctl_error_line(ctx), 3);
    ck_assert_ptr_nonnull(strstr(ctl_error_message(ctx), "'see the note below'"));
}
END_TEST

START_TEST(bad_row_skipped_when_asked)
{
    ctl_options o;
    ctl_options_init(&o);
    o.skip_bad_rows = 1;
    ctl_status st;
    list = read_csv(bad, &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(item(list, 1)->id, "A.6.1");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ROW_SKIPPED), 1);
}
END_TEST

START_TEST(columns_decided_then_rows_stream)
{
    /* more rows than are kept to decide: the parents past them still make headings */
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "control_id,control_title,safeguard_id,safeguard_title\n"));
    for (int c = 1; c <= 30; c++)
        for (int s = 1; s <= 10; s++)
            ck_assert(ctl_buf_printf(&b, "%d,Control %d,%d.%d,Safeguard %d.%d\n", c, c, c, s, c, s));
    ctl_status st;
    list = read_csv(b.data, NULL, &st);
    ctl_buf_free(&b);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 330);
    assert_item(list, 318, "29.10", 2, "29");
    assert_item(list, 319, "30", 1, "");
    ck_assert_str_eq(item(list, 319)->title, "Control 30");
    assert_item(list, 329, "30.10", 2, "30");
}
END_TEST

START_TEST(user_mapped_header_needs_no_known_word)
{
    static const char s[] = "Key,Foo\nA.5.1,x\nA.5.2,y\n";
    ctl_column_map m[] = {{CTL_FIELD_ID, "Key"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = m;
    o.n_columns = 1;
    ctl_status st;
    list = read_csv(s, &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(extra_of(item(list, 1), "Foo"), "y");
}
END_TEST

START_TEST(detection_takes_a_csv_of_unknown_headers)
{
    static const char s[] = "Key,Foo,Bar\nA.5.1,x,y\nA.5.2,z,w\n";
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *fmt = NULL;
    /* by its name */
    ctl_status st = ctl_detect_format(ctx, "list.csv", (const unsigned char *)s, strlen(s), &o, &fmt);
    assert_ok(ctx, st);
    ck_assert_str_eq(fmt->name, "csv");
    /* on standard input, tab-separated, with a column mapped */
    static const char t[] = "Key\tFoo\tBar\nA.5.1\tx y\tz\nA.5.2\tp\tq\n";
    ctl_column_map m[] = {{CTL_FIELD_ID, "Key"}};
    o.columns = m;
    o.n_columns = 1;
    st = ctl_detect_format(ctx, "-", (const unsigned char *)t, strlen(t), &o, &fmt);
    assert_ok(ctx, st);
    ck_assert_str_eq(fmt->name, "tsv");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("table_real");
    TCase *tc = tcase_create("shapes");
    use_ctx_fixture(tc);
    tcase_add_test(tc, repeated_parent_columns_become_headings);
    tcase_add_test(tc, headings_off_keeps_the_columns);
    tcase_add_test(tc, headings_forced_without_titles);
    tcase_add_test(tc, ismap_shape_two_parent_columns_and_suffixed_ids);
    tcase_add_test(tc, id_column_chosen_by_shape_among_claimants);
    tcase_add_test(tc, id_column_found_by_shape_not_prose);
    tcase_add_test(tc, no_id_column_no_header);
    tcase_add_test(tc, title_row_above_a_header_of_few_words);
    tcase_add_test(tc, depth_column_and_rows_without_ids);
    tcase_add_test(tc, whitespace_beyond_the_header_is_no_ragged_row);
    tcase_add_test(tc, bad_row_is_an_error);
    tcase_add_test(tc, bad_row_skipped_when_asked);
    tcase_add_test(tc, columns_decided_then_rows_stream);
    tcase_add_test(tc, user_mapped_header_needs_no_known_word);
    tcase_add_test(tc, detection_takes_a_csv_of_unknown_headers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(suite()); }
