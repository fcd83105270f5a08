/* SPDX-License-Identifier: BSD-2-Clause */
/* The in-memory list (converters/model.c): equality as the round trip
 * defines it. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

START_TEST(list_equality_sees_every_field)
{
    ctl_list *a = sample_list(), *b = sample_list();
    char why[128];
    ck_assert(ctl_list_equal(a, b, 1, why, sizeof why));
    /* labels only when asked */
    free(b->items[0].label);
    b->items[0].label = strdup("II. 1");
    ck_assert(ctl_list_equal(a, b, 0, why, sizeof why));
    ck_assert(!ctl_list_equal(a, b, 1, why, sizeof why));
    ck_assert(strstr(why, "label") != NULL);
    /* positions never */
    b->items[1].pos.line = 99;
    ck_assert(ctl_list_equal(a, b, 0, why, sizeof why));
    b->items[1].category = CTL_CATEGORY_RECOMMENDED;
    ck_assert(!ctl_list_equal(a, b, 0, why, sizeof why));
    ck_assert(strstr(why, "category") != NULL);
    b->items[1].category = CTL_CATEGORY_BASIC;
    free(b->items[1].extra[0].value);
    b->items[1].extra[0].value = strdup("y");
    ck_assert(!ctl_list_equal(a, b, 0, why, sizeof why));
    ck_assert(strstr(why, "extra") != NULL);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *t_list = tcase_create("list");
    tcase_add_test(t_list, list_equality_sees_every_field);
    suite_add_tcase(s, t_list);
    return run_suite(s);
}
