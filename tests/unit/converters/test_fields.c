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
    at = (ctl_cell_place){ctx, "f", 7, &num, "col"};
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
    put(CTL_ROLE_CATEGORY, " maybe ");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert_str_eq(it.extra[0].name, "col");
    ck_assert_str_eq(it.extra[0].value, " maybe ");
    ck_assert(has_warning(ctx, "II.1.1.1: category 'maybe' is neither 基本 nor 推奨; kept as an extra column"));
    put(CTL_ROLE_ISMS, "A.5.1.1");
    put(CTL_ROLE_ISMS, "");
    put(CTL_ROLE_ISMS, "A.5.1.2, A.6.1.1");
    ck_assert_uint_eq(it.n_isms, 3);
    ck_assert_str_eq(it.isms[2], "A.6.1.1");
    at.extra_name = "ISMS 管理策";
    put(CTL_ROLE_ISMS, "bogus");
    ck_assert_uint_eq(it.n_extra, 2);
    ck_assert_str_eq(it.extra[1].name, "ISMS 管理策");
    ck_assert(has_warning(ctx, "II.1.1.1: 'bogus' is not a list of ISMS references; kept as an extra column"));
}
END_TEST

START_TEST(number_label_and_level)
{
    put(CTL_ROLE_ID, " II. 1. 1. 1 ");
    put(CTL_ROLE_LEVEL, "3");
    put(CTL_ROLE_LEVEL, "");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    ck_assert_uint_eq(it.n_extra, 0);
    put(CTL_ROLE_LEVEL, "03");
    ck_assert(has_warning(ctx, "II.1.1.1: level '03' does not match its number (level 3); the number wins"));
    put(CTL_ROLE_ID, "II.1.1.2");
    ck_assert_uint_eq(it.n_extra, 1);
    ck_assert(has_warning(ctx, "II.1.1.1: 'II.1.1.2' in column 'col' is not this row's number"));
    put(CTL_ROLE_LABEL, " ");
    ck_assert_ptr_null(it.label);
    put(CTL_ROLE_LABEL, " 2-1 ");
    ck_assert_str_eq(it.label, "2-1");
    put(CTL_ROLE_EXTRA, "x");
    ck_assert_uint_eq(it.n_extra, 1);
}
END_TEST

/* The readers say the same of the same cell (the text reader used to leave
 * the item out of its ISMS warning). */
START_TEST(both_readers_say_the_same)
{
    static const char *const want[] = {
        "II.1.1.1: 'bogus' is not a list of ISMS references; kept as an extra column",
        "II.1.1.1: category 'maybe' is neither 基本 nor 推奨; kept as an extra column",
    };
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
        for (size_t w = 0; w < 2; w++)
            ck_assert_msg(has_warning(c, want[w]), "%s lacks '%s'", inputs[i][0], want[w]);
        ck_assert_uint_eq(l->items[0].n_extra, 2);
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
    tcase_add_test(tc, number_label_and_level);
    tcase_add_test(tc, both_readers_say_the_same);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
