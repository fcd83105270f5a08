/* SPDX-License-Identifier: BSD-2-Clause */
/* The identifier tables of the reference schemes (converters/schemes.c):
 * ISO/IEC 27001:2013 and 2022, clauses 4-10 and Annex A. */
#include "support.h"
#include "grc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANNEX_A_2013_IDS "/work/shared/grc/iso27001-2013-annex-a-ids.txt"

/* How many ids of each depth ("A.5" 1, "A.5.1" 2, "A.5.1.1" 3) scheme
 * holds with prefix, among every number up to 40 at each depth. */
static void count(const char *scheme, const char *prefix, int n[3])
{
    char id[32];
    n[0] = n[1] = n[2] = 0;
    for (int a = 0; a <= 40; a++) {
        snprintf(id, sizeof id, "%s%d", prefix, a);
        n[0] += ctl_scheme_has_id(scheme, id) == 1;
        for (int b = 0; b <= 40; b++) {
            snprintf(id, sizeof id, "%s%d.%d", prefix, a, b);
            n[1] += ctl_scheme_has_id(scheme, id) == 1;
            for (int c = 0; c <= 40; c++) {
                snprintf(id, sizeof id, "%s%d.%d.%d", prefix, a, b, c);
                n[2] += ctl_scheme_has_id(scheme, id) == 1;
            }
        }
    }
}

START_TEST(annex_a_2013_counts)
{
    int n[3];
    count("iso27001-2013", "A.", n);
    ck_assert_int_eq(n[0], 14);
    ck_assert_int_eq(n[1], 35);
    ck_assert_int_eq(n[2], 114);
}
END_TEST

/* Every line of the list of Annex A identifiers is one, and the table has
 * no other (the counts above). */
START_TEST(annex_a_2013_is_the_list)
{
    FILE *f = fopen(ANNEX_A_2013_IDS, "r");
    if (!f) {
        fprintf(stderr, "skipped: %s is missing\n", ANNEX_A_2013_IDS);
        return;
    }
    char line[64];
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line) continue;
        ck_assert_msg(ctl_scheme_has_id("iso27001-2013", line) == 1, "%s", line);
        lines++;
    }
    fclose(f);
    ck_assert_int_eq(lines, 14 + 35 + 114);
}
END_TEST

START_TEST(clauses_2013)
{
    int n[3];
    count("iso27001-2013", "", n);
    /* 4-10; 4.1-4.4, 5.1-5.3, 6.1-6.2, 7.1-7.5, 8.1-8.3, 9.1-9.3, 10.1-10.2;
     * 6.1.1-6.1.3, 7.5.1-7.5.3: 35 nodes of CISO Assistant's framework */
    ck_assert_int_eq(n[0] + n[1] + n[2], 35);
    ck_assert_int_eq(ctl_scheme_has_id("iso27001-2013", "6.1.3"), 1);
    ck_assert_int_eq(ctl_scheme_has_id("iso27001-2013", "6.3"), 0);
    ck_assert_int_eq(ctl_scheme_has_id("iso27001-2013", "9.2.1"), 0);
    ck_assert_int_eq(ctl_scheme_has_id("iso27001-2013", "11"), 0);
}
END_TEST

/* The 138 ref_ids of CISO Assistant's ISO/IEC 27001:2022 framework
 * (iso27001-2022.xlsx, its "core" and "annex-a" aside). */
START_TEST(iso2022)
{
    int body[3], annex[3];
    count("iso27001-2022", "", body);
    count("iso27001-2022", "A.", annex);
    ck_assert_int_eq(body[0] + body[1] + body[2], 41);
    ck_assert_int_eq(annex[0], 4);
    ck_assert_int_eq(annex[1], 37 + 8 + 14 + 34);
    ck_assert_int_eq(annex[2], 0);
    const char *yes[] = {"A.5", "A.5.1", "A.5.37", "A.6.8", "A.7.14", "A.8.34", "6.3", "9.2.2", "9.3.3", "10.2"};
    const char *no[] = {"A.5.38", "A.6.9", "A.9", "A.4", "A.5.1.1", "6.4", "9.1.1", "A.8.0"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        ck_assert_msg(ctl_scheme_has_id("iso27001-2022", yes[i]) == 1, "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        ck_assert_msg(ctl_scheme_has_id("iso27001-2022", no[i]) == 0, "%s", no[i]);
}
END_TEST

START_TEST(not_canonical_or_hostile)
{
    const char *no[] = {"", "A", "A.", "A.5.", ".5", "A..5", "A.05", "A.5.01", "a.5.1", "A.5.1.1.1", "+4", "4 ",
                        " 4", "A.5.1.1a", "A.999999999999", "A.-5", "Ａ.5", "A.5\n", "4.1.", "A.5.1.3"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        ck_assert_msg(ctl_scheme_has_id("iso27001-2013", no[i]) == 0, "'%s'", no[i]);
        ck_assert_msg(ctl_scheme_has_id("iso27001-2022", no[i]) == 0, "'%s'", no[i]);
    }
}
END_TEST

START_TEST(schemes_without_a_table)
{
    ck_assert_int_eq(ctl_scheme_has_id("nist-sp800-53", "AC-2"), -1);
    ck_assert_int_eq(ctl_scheme_has_id("iso27002-2013", "5.1.1"), -1);
    ck_assert_int_eq(ctl_scheme_has_id("", "A.5"), -1);
    ck_assert_int_eq(ctl_scheme_has_id("ISO27001-2013", "A.5"), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schemes");
    TCase *tc = tcase_create("schemes");
    tcase_add_test(tc, annex_a_2013_counts);
    tcase_add_test(tc, annex_a_2013_is_the_list);
    tcase_add_test(tc, clauses_2013);
    tcase_add_test(tc, iso2022);
    tcase_add_test(tc, not_canonical_or_hostile);
    tcase_add_test(tc, schemes_without_a_table);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
