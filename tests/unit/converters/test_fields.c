/* SPDX-License-Identifier: BSD-2-Clause */
/* Putting a cell into an item's field (converters/fields.c): the rules the
 * text reader and the table reader share, and the same diagnostics from
 * both readers. */
#include "support.h"
#include "services.h"

#include <stdlib.h>
#include <string.h>

static ctl_item it;
static ctl_number num;
static ctl_cell_place at;

static void setup(void)
{
    ctx_setup();
    ctl_item_init(&it);
    ck_assert(ctl_parse_number_exact("II.1.1.1", 8, &num));
    at = (ctl_cell_place){ctx, "f", 7, &num, "col", NULL};
}

static void teardown(void)
{
    ctl_item_clear(&it);
    ctx_teardown();
}

static void put(ctl_role role, const char *v)
{
    assert_ok(ctx, ctl_item_put(&at, &it, role, v, strlen(v)));
}

START_TEST(texts_kept_as_written_and_joined)
{
    put(CTL_ROLE_TITLE, "  t ");
    ck_assert_str_eq(it.title, "  t ");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    put(CTL_ROLE_TITLE, "u");
    ck_assert_str_eq(it.title, "  t  u");
    ck_assert(has_warning(ctx, "II.1.1.1 has a title both beside its number and in its own column"));
    put(CTL_ROLE_DESCRIPTION, "d");
    put(CTL_ROLE_DESCRIPTION, "e");
    ck_assert_str_eq(it.description, "d e");
    put(CTL_ROLE_ANSWER, "");
    ck_assert_str_eq(it.answer, "");
    put(CTL_ROLE_ANSWER, "a");
    ck_assert_str_eq(it.answer, "a");
    ck_assert_uint_eq(ctl_warning_count(ctx), 1);
}
END_TEST

START_TEST(category_and_references)
{
    put(CTL_ROLE_CATEGORY, " ");
    ck_assert_int_eq(it.category, CTL_CATEGORY_NONE);
    put(CTL_ROLE_CATEGORY, " 推奨 ");
    ck_assert_int_eq(it.category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(it.category_text, "推奨");
    /* model v2: a second category cell is kept as an extra column (one
     * word per item) */
    put(CTL_ROLE_CATEGORY, " maybe ");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert_str_eq(it.extra[0].name, "col");
    ck_assert_str_eq(it.extra[0].value, " maybe ");
    ck_assert(has_warning(ctx, "II.1.1.1: 'maybe' is no category word; kept as an extra column"));
    ck_assert_str_eq(it.category_text, "推奨");
    put(CTL_ROLE_ISMS, "A.5.1.1");
    put(CTL_ROLE_ISMS, "");
    put(CTL_ROLE_ISMS, "A.5.1.2, A.6.1.1");
    ck_assert_uint_eq(it.n_refs, 3);
    ck_assert_str_eq(it.refs[2].scheme, "iso27001-2013");
    ck_assert_str_eq(it.refs[2].id, "A.6.1.1");
    /* model v2: a cell that is no list of references is kept as ONE
     * reference of scheme "" as written (no longer an extra column) */
    at.extra_name = "ISMS 管理策";
    put(CTL_ROLE_ISMS, " bogus ");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert_uint_eq(it.n_refs, 4);
    ck_assert_str_eq(it.refs[3].scheme, "");
    ck_assert_str_eq(it.refs[3].id, "bogus");
    ck_assert(has_warning(ctx, "II.1.1.1: 'bogus' is no list of iso27001-2013 identifiers; kept as written"));
}
END_TEST

/* Model v2: a category word other than 基本/推奨 is the item's category
 * word (its value normalised where known), no longer an extra column with
 * a bad-category warning; a 201-byte or two-line cell still is one. */
START_TEST(category_words_kept)
{
    put(CTL_ROLE_CATEGORY, " maybe ");
    ck_assert_int_eq(it.category, CTL_CATEGORY_NONE);
    ck_assert_str_eq(it.category_text, "maybe");
    ck_assert_uint_eq(it.n_extra, 0);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    ctl_item_clear(&it);
    ctl_item_init(&it);
    put(CTL_ROLE_CATEGORY, "遵守事項");
    ck_assert_int_eq(it.category, CTL_CATEGORY_MANDATORY);
    ck_assert_str_eq(it.category_text, "遵守事項");
    ck_assert_str_eq(ctl_category_word(&it), "遵守事項");
    ctl_item_clear(&it);
    ctl_item_init(&it);
    put(CTL_ROLE_CATEGORY, "two\nlines");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_BAD_CATEGORY), 1);
    ck_assert_str_eq(ctl_category_word(&it), "");
}
END_TEST

/* Model v2: references of another scheme (at->scheme) parse as ids of any
 * shape; a "scheme:" prefix names the scheme of one reference. */
START_TEST(references_of_a_scheme)
{
    at.scheme = "nist-sp800-53";
    put(CTL_ROLE_ISMS, "AC-2(1), iso27001-2022:A.5.1");
    ck_assert_uint_eq(it.n_refs, 2);
    ck_assert_str_eq(it.refs[0].scheme, "nist-sp800-53");
    ck_assert_str_eq(it.refs[0].id, "AC-2(1)");
    ck_assert_str_eq(it.refs[1].scheme, "iso27001-2022");
    ck_assert_str_eq(it.refs[1].id, "A.5.1");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
}
END_TEST

/* Model v2: a parent cell gives the item's parent id (canonical); a blank
 * one says "top"; one that is no id is kept as an extra column. */
START_TEST(parent_cells)
{
    put(CTL_ROLE_PARENT, " ");
    ck_assert_str_eq(it.parent, "");
    put(CTL_ROLE_PARENT, " Ⅱ．１ ");
    ck_assert_str_eq(it.parent, "II.1");
    put(CTL_ROLE_PARENT, "the one above");
    ck_assert_str_eq(it.parent, "II.1");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert(has_warning(ctx, "II.1.1.1: parent 'the one above' is no identifier; kept as an extra column"));
}
END_TEST

START_TEST(number_label_and_level)
{
    put(CTL_ROLE_ID, " II. 1. 1. 1 ");
    put(CTL_ROLE_LEVEL, "3");
    put(CTL_ROLE_LEVEL, "");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    ck_assert_uint_eq(it.n_extra, 0);
    /* model v2: a level cell is the item's level, no longer checked
     * against the number */
    put(CTL_ROLE_LEVEL, "03");
    ck_assert_int_eq(it.level, 3);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    put(CTL_ROLE_ID, "II.1.1.2");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert(has_warning(ctx, "II.1.1.1: 'II.1.1.2' in column 'col' is not this row's number"));
    put(CTL_ROLE_LABEL, " ");
    ck_assert_ptr_null(it.label);
    put(CTL_ROLE_LABEL, " 2-1 ");
    ck_assert_str_eq(it.label, "2-1");
    put(CTL_ROLE_EXTRA, "x");
    ck_assert_uint_eq(it.n_extra, 1);
    put(CTL_ROLE_LEVEL, "x");
    ck_assert_int_eq(it.level, 3);
    ck_assert_uint_eq(it.n_extra, 2);
    ck_assert(has_warning(ctx, "II.1.1.1: level 'x' is no whole number from 1 to 64; kept as an extra column"));
}
END_TEST

/* The readers say the same of the same cell (the text reader used to leave
 * the item out of its ISMS warning).  Model v2: 'bogus' is kept as one
 * reference of scheme "" and 'maybe' as the category word, so neither
 * becomes an extra column; only the reference cell warns. */
START_TEST(both_readers_say_the_same)
{
    static const char *const want = "II.1.1.1: 'bogus' is no list of iso27001-2013 identifiers; kept as written";
    const char *inputs[][2] = {
        {"text", "ISMS\t項番\t対策項目\t区分\nbogus\tII. 1. 1. 1\tt\tmaybe\n"},
        {"tsv", "ISMS\t項番\t対策項目\t区分\nbogus\tII. 1. 1. 1\tt\tmaybe\n"},
        {"csv", "項番,対策項目,区分,ISMS\nII.1.1.1,t,maybe,bogus\n"},
    };
    for (size_t i = 0; i < 3; i++) {
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_string(c, inputs[i][0], inputs[i][1], &st);
        assert_ok_msg(c, st, "%s", inputs[i][0]);
        ck_assert_msg(has_warning(c, want), "%s lacks '%s'", inputs[i][0], want);
        ck_assert_uint_eq(warnings_with(c, CTL_D_NOT_ISMS), 1);
        ck_assert_uint_eq(warnings_with(c, CTL_D_BAD_CATEGORY), 0);
        const ctl_item *x = &l->items[0];
        ck_assert_uint_eq(x->n_extra, 0);
        ck_assert_uint_eq(x->n_refs, 1);
        ck_assert_str_eq(x->refs[0].scheme, "");
        ck_assert_str_eq(x->refs[0].id, "bogus");
        ck_assert_str_eq(x->category_text, "maybe");
        ck_assert_int_eq(x->category, CTL_CATEGORY_NONE);
        ctl_list_free(l);
        ctl_ctx_free(c);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fields");
    TCase *tc = tcase_create("fields");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, texts_kept_as_written_and_joined);
    tcase_add_test(tc, category_and_references);
    tcase_add_test(tc, category_words_kept);
    tcase_add_test(tc, references_of_a_scheme);
    tcase_add_test(tc, parent_cells);
    tcase_add_test(tc, number_label_and_level);
    tcase_add_test(tc, both_readers_say_the_same);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
