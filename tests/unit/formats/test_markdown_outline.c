/* SPDX-License-Identifier: BSD-2-Clause */
/* Markdown: the headings over the tables of a list (formats/markdown.c):
 * heading items by position when the list has several tables, their rows
 * under them unless an item above contains them; a later table's heading
 * that is no item kept as a line of the note; one table keeps its annex
 * heading. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Reads s into list, on a fresh ctx (the fixture's frees them). */
static void read_md(const char *s)
{
    ctl_list_free(list);
    ctl_ctx_free(ctx);
    ctx = ctl_ctx_new();
    ctl_status st;
    list = read_string(ctx, "markdown", s, &st);
    assert_ok(ctx, st);
}

static const ctl_item *find(const char *id)
{
    for (size_t i = 0; i < list->n_items; i++)
        if (!strcmp(list->items[i].id, id)) return &list->items[i];
    ck_abort_msg("no item %s", id);
    return NULL;
}

static void expect(const char *id, int level, const char *parent)
{
    const ctl_item *it = find(id);
    ck_assert_msg(it->level == level && !strcmp(it->parent, parent), "%s: level %d parent '%s', want %d '%s'", id,
                  it->level, it->parent, level, parent);
}

static const char two_tables[] =
    "# Annex A\n\n"
    "## 5 Organizational controls\n\n"
    "| ID | Name | Description |\n|---|---|---|\n"
    "| A.5.1 | Policies | p |\n| A.5.1.1 | Sub | s |\n|  | unnumbered | u |\n| A.5.2 | Roles | r |\n"
    "| 5.9 | Contained in 5 | c |\n\n"
    "## 8 *Technological* controls\n\n"
    "| ID | Name | Description |\n|---|---|---|\n"
    "| A.8.1 | Devices | d |\n";

START_TEST(headings_by_position)
{
    read_md(two_tables);
    ck_assert_uint_eq(list->n_items, 8);
    expect("5", 1, "");
    ck_assert_str_eq(find("5")->title, "Organizational controls");
    expect("A.5.1", 2, "5");
    expect("A.5.1.1", 3, "A.5.1");
    expect("A.5.1.1#1", 4, "A.5.1.1");
    expect("A.5.2", 2, "5");
    expect("5.9", 2, "5");
    expect("8", 1, "");
    ck_assert_str_eq(find("8")->title, "Technological controls");
    expect("A.8.1", 2, "8");
    ck_assert_str_eq(list->meta.annex, "");
    ck_assert_str_eq(list->meta.note, "");
}
END_TEST

/* Headings without an identifier: the first table's is the annex, a later
 * one a line of the note, whatever the number of rows before it. */
START_TEST(plain_headings_kept)
{
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "# T\n\nLead.\n\n## Organizational\n\n| ID | Name | Description |\n|---|---|---|\n"));
    for (int i = 1; i <= 200; i++) ck_assert(ctl_buf_printf(&b, "| A.5.%d | c | d |\n", i));
    ck_assert(ctl_buf_adds(&b, "\n## Technological\n\n| ID | Name | Description |\n|---|---|---|\n| A.8.1 | c | d |\n"
                               "\n## People\n\n| ID | Name | Description |\n|---|---|---|\n| A.6.1 | c | d |\n"
                               "\n## Appendix\n\ntext\n"));
    ck_assert(ctl_buf_add(&b, "", 0));
    read_md(b.data);
    ctl_buf_free(&b);
    ck_assert_uint_eq(list->n_items, 202);
    ck_assert_str_eq(list->meta.annex, "Organizational");
    ck_assert_str_eq(list->meta.note, "Lead.\nTechnological\nPeople");
    expect("A.8.1", 1, "");
}
END_TEST

/* A numbered heading, then one without an identifier: the second table's
 * rows are not the first heading's. */
START_TEST(a_group_ends_with_its_table)
{
    read_md("## 5 Org\n\n| ID | Name | Description |\n|---|---|---|\n| A.5.1 | c | d |\n\n"
            "## Tech\n\n| ID | Name | Description |\n|---|---|---|\n| A.8.1 | c | d |\n\n"
            "## 6 People\n\n| ID | Name | Description |\n|---|---|---|\n| A.6.1 | c | d |\n");
    expect("A.5.1", 2, "5");
    expect("A.8.1", 1, "");
    expect("A.6.1", 2, "6");
    ck_assert_str_eq(list->meta.note, "Tech");
}
END_TEST

/* One table under one numbered heading: the annex heading, as written by
 * ctlconv; level and parent columns: no items by position. */
START_TEST(one_table_or_a_tree_no_outline)
{
    read_md("## 5 Organizational controls\n\n| ID | Name | Description |\n|---|---|---|\n| A.5.1 | c | d |\n");
    ck_assert_uint_eq(list->n_items, 1);
    ck_assert_str_eq(list->meta.annex, "5 Organizational controls");
    read_md("## 5 Org\n\n| id | level | parent | title |\n|---|---|---|---|\n| A.5.1 | 1 |  | c |\n\n"
            "## 8 Tech\n\n| id | level | parent | title |\n|---|---|---|---|\n| A.8.1 | 1 |  | c |\n");
    ck_assert_uint_eq(list->n_items, 2);
    expect("A.8.1", 1, "");
    ck_assert_str_eq(list->meta.annex, "5 Org");
    ck_assert_str_eq(list->meta.note, "8 Tech");
}
END_TEST

/* The first pass says nothing: warnings once, errors as before. */
START_TEST(warnings_once)
{
    read_md("## Revisions\n\n| Version | Date |\n|---|---|\n| 1.0 | 2024 |\n\n"
            "| stray | row |\n\n"
            "## 5 Org\n\n| ID | Name | Description |\n|---|---|---|\n| A.5.1 | c | d |\n"
            "lazy line\n\n"
            "## 8 Tech\n\n| ID | Name | Description |\n|---|---|---|\n| A.8.1 | c | d |\n");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_LINE_SKIPPED), 3);
    expect("A.8.1", 2, "8");
    assert_refused("markdown", "| ID | Name | Description |\n|---|---|---|\n| A.5.1 | c | d |\n\n"
                   "| ID | Title |\n|---|---|\n| A.8.1 | c |\n", "ragged-row", "one header");
}
END_TEST

/* Through Markdown and back: the same list (Markdown loses labels). */
START_TEST(round_trip)
{
    read_md(two_tables);
    ctl_status st;
    size_t len;
    char *md = write_list(ctx, "markdown", list, NULL, &len, &st);
    ck_assert_int_eq(st, CTL_OK);
    ctl_ctx *c2 = ctl_ctx_new();
    ctl_list *back = read_string(c2, "markdown", md, &st);
    ck_assert_int_eq(st, CTL_OK);
    char why[256] = "";
    ck_assert_msg(ctl_list_equal(list, back, 0, why, sizeof why), "%s", why);
    ctl_list_free(back);
    ctl_ctx_free(c2);
    free(md);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("markdown_outline");
    TCase *tc = tcase_create("outline");
    use_ctx_fixture(tc);
    tcase_add_test(tc, headings_by_position);
    tcase_add_test(tc, plain_headings_kept);
    tcase_add_test(tc, a_group_ends_with_its_table);
    tcase_add_test(tc, one_table_or_a_tree_no_outline);
    tcase_add_test(tc, warnings_once);
    tcase_add_test(tc, round_trip);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
