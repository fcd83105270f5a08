/* SPDX-License-Identifier: BSD-2-Clause */
/* The table reader (converters/table.c): extra columns with the same
 * header, in every format, in and out of order, values by occurrence. */
#include "support.h"
#include "internal.h"
#include "headers.h"

#include <stdlib.h>
#include <string.h>

/* Two extra columns named 備考, a third one between them. */
static ctl_list *duplicate_headers(void)
{
    char *cols[] = {"項番", "対策項目", "備考", "担当", "備考"};
    ctl_meta m = {.columns = cols, .n_columns = 5};
    ctl_field e1[] = {{"備考", "first"}, {"担当", "A"}, {"備考", "second"}};
    ctl_field e2[] = {{"備考", ""}, {"担当", "B"}, {"備考", "only the second"}};
    ctl_item items[] = {
        {.id = "II.1", .label = "II. 1.", .level = 1, .title = "s", .extra = e1, .n_extra = 3},
        {.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .title = "t", .description = "d",
         .category = CTL_CATEGORY_BASIC, .answer = "a", .extra = e2, .n_extra = 3},
    };
    return list_of(&m, items, 2);
}

START_TEST(duplicate_extra_headers_every_format)
{
    ctl_list *m = duplicate_headers();
    const ctl_format *const *all = ctl_formats();
    size_t tried = 0;
    for (size_t f = 0; all[f]; f++) {
        /* a format without extra columns (CISO Assistant) has none to keep */
        if (!all[f]->read || !all[f]->writer || (all[f]->loses & CTL_LOSES_EXTRAS)) continue;
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        size_t n;
        char *bytes = write_list(ctx, all[f]->name, m, NULL, &n, &st);
        assert_ok_msg(ctx, st, "writing %s", all[f]->name);
        ck_assert_msg(!warnings_with(ctx, CTL_D_EXTRA_DROPPED), "%s dropped a cell", all[f]->name);
        ctl_list *back = read_bytes(ctx, all[f]->name, bytes, n, NULL, &st);
        assert_ok_msg(ctx, st, "reading back %s", all[f]->name);
        char why[256];
        ctl_list *want = list_losing(m, all[f]->loses), *got = list_losing(back, all[f]->loses);
        ck_assert_msg(ctl_list_equal(want, got, 0, why, sizeof why), "%s: %s", all[f]->name, why);
        ctl_list_free(want);
        ctl_list_free(got);
        const ctl_item *it = &back->items[1];
        ck_assert_uint_eq(it->n_extra, 3);
        ck_assert_str_eq(it->extra[0].value, "");
        ck_assert_str_eq(it->extra[2].name, "備考");
        ck_assert_str_eq(it->extra[2].value, "only the second");
        free(bytes);
        ctl_list_free(back);
        ctl_ctx_free(ctx);
        tried++;
    }
    ck_assert_uint_ge(tried, 6);
    ctl_list_free(m);
}
END_TEST

START_TEST(duplicate_extra_headers_out_of_order)
{
    /* an item whose extras come in another order than the columns (as JSON
     * may give them): the k-th 備考 still goes to the k-th 備考 column */
    char *cols[] = {"id", "title", "備考", "担当", "備考"};
    ctl_meta m = {.columns = cols, .n_columns = 5};
    ctl_field e[] = {{"担当", "B"}, {"備考", "one"}, {"memo", "x"}, {"備考", "two"}};
    ctl_item items[] = {{.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .title = "t",
                         .extra = e, .n_extra = 4}};
    list = list_of(&m, items, 1);
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_msg(strstr(out, "answer,備考,担当,備考\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, ",one,B,two\n") != NULL, "%s", out);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_EXTRA_DROPPED), 1);
    ck_assert(has_warning(ctx, "1 extra cell(s) without a column"));   /* memo */
    free(out);
}
END_TEST

START_TEST(extra_values_by_occurrence)
{
    const char *names[] = {"a", "b", "a", "c"};
    const char *v[4];
    ctl_field e[] = {{"a", "1"}, {"b", "2"}, {"a", "3"}, {"z", "9"}};
    ctl_item it = {.extra = e, .n_extra = 4};
    ck_assert_uint_eq(ctl_extra_values(&it, names, 4, v), 1);          /* z has no column */
    ck_assert_str_eq(v[0], "1");
    ck_assert_str_eq(v[1], "2");
    ck_assert_str_eq(v[2], "3");
    ck_assert_str_eq(v[3], "");
    ctl_field f[] = {{"a", "3?"}, {"b", "2"}};   /* one 'a' only: the first column takes it */
    it.extra = f;
    it.n_extra = 2;
    ck_assert_uint_eq(ctl_extra_values(&it, names, 4, v), 0);
    ck_assert_str_eq(v[0], "3?");
    ck_assert_str_eq(v[2], "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("table");
    TCase *t_extra_columns = tcase_create("extra_columns");
    use_ctx_fixture(t_extra_columns);
    tcase_add_test(t_extra_columns, duplicate_extra_headers_every_format);
    tcase_add_test(t_extra_columns, duplicate_extra_headers_out_of_order);
    tcase_add_test(t_extra_columns, extra_values_by_occurrence);
    suite_add_tcase(s, t_extra_columns);
    return run_suite(s);
}
