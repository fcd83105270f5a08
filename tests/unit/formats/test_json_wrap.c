/* SPDX-License-Identifier: BSD-2-Clause */
/* Outline JSON of other producers: a top-level object that wraps the list
 * is the document, not an item; groups without an id key take their id
 * from the member that contains their children's ids. */
#include "support.h"

#include <string.h>

static void read_ok(const char *in)
{
    ctl_status st;
    list = read_bytes(ctx, "json", in, strlen(in), NULL, &st);
    assert_ok(ctx, st);
}

static void assert_place(const ctl_item *it, const char *id, int level, const char *parent)
{
    ck_assert_str_eq(it->id, id);
    ck_assert_msg(it->level == level, "%s: level %d, want %d", id, it->level, level);
    ck_assert_msg(!strcmp(it->parent, parent), "%s: parent '%s', want '%s'", id, it->parent, parent);
}

static int has_column(const char *name)
{
    for (size_t i = 0; i < list->meta.n_columns; i++)
        if (!strcmp(list->meta.columns[i], name)) return 1;
    return 0;
}

static int has_extra(const ctl_item *it, const char *name)
{
    for (size_t i = 0; i < it->n_extra; i++)
        if (!strcmp(it->extra[i].name, name)) return 1;
    return 0;
}

START_TEST(wrapper_is_the_document)
{
    read_ok("{\"名称\": \"統一基準（例）\", \"版\": \"令和7年度\", \"部\": [\n"
            " {\"番号\": \"1\", \"項目\": \"総則\", \"下位\": [{\"番号\": \"1.1\", \"項目\": \"目的\"}]},\n"
            " {\"番号\": \"2\", \"項目\": \"組織\"}]}\n");
    ck_assert_uint_eq(list->n_items, 3);
    assert_place(&list->items[0], "1", 1, "");
    assert_place(&list->items[1], "1.1", 2, "1");
    assert_place(&list->items[2], "2", 1, "");
    ck_assert_str_eq(list->meta.title, "統一基準（例）");
    ck_assert_str_eq(list->meta.note, "版: 令和7年度");
    ck_assert(!has_column("名称") && !has_column("版") && has_column("項目"));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 0);
}
END_TEST

START_TEST(wrapper_in_english)
{
    read_ok("{\"name\": \"Catalog\", \"version\": 5, \"source\": \"x\",\n"
            " \"controls\": [{\"id\": \"AC-1\", \"name\": \"Policy\"}, {\"id\": \"AC-2\", \"name\": \"Accounts\"}]}");
    ck_assert_uint_eq(list->n_items, 2);
    assert_place(&list->items[0], "AC-1", 1, "");
    assert_place(&list->items[1], "AC-2", 1, "");
    ck_assert_str_eq(list->items[1].title, "Accounts");
    ck_assert_str_eq(list->meta.title, "Catalog");
    ck_assert_str_eq(list->meta.note, "version: 5\nsource: x");
    /* "name" is the items' title too: still a column */
    ck_assert(has_column("name") && !has_column("version"));
}
END_TEST

/* An object member, or a field such as a level, makes the top object an
 * item, as before. */
START_TEST(item_like_top_stays_an_item)
{
    read_ok("{\"title\": \"T\", \"meta\": {\"a\": 1}, \"controls\": [{\"id\": \"1.1\"}]}");
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(list->items[0].id, "#1");
    ck_assert_str_eq(list->items[0].title, "T");
    ctl_list_free(list);
    list = NULL;
    read_ok("{\"title\": \"T\", \"level\": 1, \"controls\": [{\"id\": \"1.1\"}]}");
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(list->meta.title, "");
}
END_TEST

static const char families[] =
    "{\"families\": [{\"family\": \"AC\", \"name\": \"Access Control\", \"controls\": [\n"
    "   {\"control_id\": \"AC-1\", \"name\": \"Policy\"}, {\"control_id\": \"AC-2\", \"name\": \"Accounts\"}]},\n"
    " {\"family\": \"AT\", \"name\": \"Awareness\", \"controls\": [{\"control_id\": \"AT-1\", \"name\": \"Policy\"}]}]}";

START_TEST(groups_keyed_family)
{
    read_ok(families);
    ck_assert_uint_eq(list->n_items, 5);
    assert_place(&list->items[0], "AC", 1, "");
    assert_place(&list->items[1], "AC-1", 2, "AC");
    assert_place(&list->items[2], "AC-2", 2, "AC");
    assert_place(&list->items[3], "AT", 1, "");
    assert_place(&list->items[4], "AT-1", 2, "AT");
    ck_assert_str_eq(list->items[0].label, "AC");
    ck_assert_str_eq(list->items[0].title, "Access Control");
    ck_assert(!has_extra(&list->items[0], "family") && !has_column("family"));
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ID_GENERATED), 0);
}
END_TEST

/* One group whose member does not contain its children: no group of that
 * depth takes it (generated ids, the member an extra field). */
START_TEST(groups_decided_per_depth)
{
    read_ok("[{\"family\": \"AC\", \"controls\": [{\"id\": \"AC-1\"}]},\n"
            " {\"family\": \"XY\", \"controls\": [{\"id\": \"AT-1\"}]}]");
    ck_assert_uint_eq(list->n_items, 4);
    ck_assert_str_eq(list->items[0].id, "#1");
    ck_assert_str_eq(list->items[2].id, "#2");
    ck_assert(has_extra(&list->items[0], "family") && has_column("family"));
    ctl_list_free(list);
    list = NULL;
    /* prose, or a number that holds nothing, is no group id */
    read_ok("[{\"family\": \"Access Control\", \"rev\": 5, \"controls\": [{\"id\": \"AC-1\"}]}]");
    ck_assert_str_eq(list->items[0].id, "#1");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_wrap");
    TCase *tc = tcase_create("wrap");
    use_ctx_fixture(tc);
    tcase_add_test(tc, wrapper_is_the_document);
    tcase_add_test(tc, wrapper_in_english);
    tcase_add_test(tc, item_like_top_stays_an_item);
    tcase_add_test(tc, groups_keyed_family);
    tcase_add_test(tc, groups_decided_per_depth);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
