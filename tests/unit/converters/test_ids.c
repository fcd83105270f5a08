/* SPDX-License-Identifier: BSD-2-Clause */
/* Identifiers of any scheme (converters/numbering.c, issue 12): what
 * ctl_parse_id() takes and how it spells it, what it refuses (prose,
 * counts, dates), containment between ids, the names of reference schemes
 * and cells of references. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *in, *id;
} id_ok[] = {
    /* MIC's numbering, every spelling it had */
    {"\xE2\x85\xA2. 1. 1. 5.", "III.1.1.5"},                        /* Ⅲ. 1. 1. 5. */
    {"\xE2\x85\xA1\xEF\xBC\x8E\xEF\xBC\x91\xEF\xBC\x8E\xEF\xBC\x91\xEF\xBC\x8E\xEF\xBC\x91",
     "II.1.1.1"},                                                   /* Ⅱ．１．１．１ */
    {"II. 1. 1. 1", "II.1.1.1"},
    {" II. 1. ", "II.1"},
    {"\xE2\x85\xA2", "III"},                                        /* Ⅲ alone: a part */
    /* ISMAP */
    {"9.2.3.11.PB", "9.2.3.11.PB"},
    {"6.3.1.P", "6.3.1.P"},
    /* 統一基準 */
    {"2.1.1(1)", "2.1.1(1)"},
    {"2.1.1(1)-1", "2.1.1(1)-1"},
    /* CIS, CCM, NIST */
    {"1.1", "1.1"},
    {"AIS-01", "AIS-01"},
    {"A&A-01", "A&A-01"},
    {"AC-2(1)", "AC-2(1)"},
    {"AC-2 (1)", "AC-2(1)"},                                        /* as NIST prints it */
    {"AC-2(1)(a)", "AC-2(1)(a)"},
    {"AC", "AC"},                                                   /* a family */
    /* ISO/IEC 27001, 27002, 27017; NIST CSF */
    {"4.1", "4.1"},
    {"A.5.1", "A.5.1"},
    {"A.5.1.1", "A.5.1.1"},
    {"A.5.1.1.", "A.5.1.1"},                                        /* one trailing dot dropped */
    {"CLD.6.3.1", "CLD.6.3.1"},
    {"GV.OC-01", "GV.OC-01"},
    {"ID.AM-1", "ID.AM-1"},
    /* OSCAL (lower case), SOC 2, HIPAA */
    {"ac-2.1", "ac-2.1"},
    {"CC6.1", "CC6.1"},
    {"164.308(a)(1)(ii)(A)", "164.308(a)(1)(ii)(A)"},
    /* depth 7, six digits */
    {"1.1.1.1.1.1.1", "1.1.1.1.1.1.1"},
    {"123456", "123456"},
    /* generated ids of rows without one */
    {"II.1#2", "II.1#2"},
    {"#1", "#1"},
    {"2.1.1(1)-1#12", "2.1.1(1)-1#12"},
};

static const char *const id_refused[] = {
    /* prose: words without a digit are no ids unless short and upper case */
    "Devices", "x", "True", "Identify", "Govern the organisation",
    "This control is a sentence, with words.",
    /* white space never joins two words or numbers */
    "1 2 3", "see A.5", "Step 1", "about 5 things", "CIS 1.1", "II 1",
    /* a number and its title in one cell: a word is no segment */
    "II. 1. Policy", "II. 1. S", "3.1. Governance", "1.Introduction", "A.5.Policies",
    /* a reference with its standard, a count, dates */
    "27014:2013 5.3.2", "1234567", "2024-03-15", "2024.3.15", "2024-03", "2024/03/15",
    /* punctuation out of place */
    "", "  ", "-", "...", "A-", "1..2", "(1)", "N/A", "1(a)b",
    /* generated ids take an id (or nothing), '#' and 1 to 6 digits */
    "#0", "#1234567", "II.1#", "#x",
    /* not ASCII once decomposed */
    "\xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96",                          /* 管理策 */
};

START_TEST(ids_of_every_scheme)
{
    const char *in = id_ok[_i].in;
    char id[CTL_ID_MAX];
    memset(id, 0xA5, sizeof id);
    ck_assert_msg(ctl_parse_id(in, strlen(in), id) == 1, "'%s' refused", in);
    ck_assert_str_eq(id, id_ok[_i].id);
    /* the canonical form is an id and its own canonical form */
    char again[CTL_ID_MAX];
    ck_assert(ctl_parse_id(id, strlen(id), again) == 1);
    ck_assert_str_eq(again, id);
}
END_TEST

START_TEST(prose_and_non_ids_refused)
{
    const char *in = id_refused[_i];
    char id[CTL_ID_MAX] = "unchanged";
    ck_assert_msg(ctl_parse_id(in, strlen(in), id) == 0, "'%s' taken as '%s'", in, id);
}
END_TEST

/* Only the bytes given count; the longest id fits CTL_ID_MAX. */
START_TEST(id_lengths)
{
    char id[CTL_ID_MAX];
    ck_assert(ctl_parse_id("AC-2(1) trailing", 7, id) == 1);
    ck_assert_str_eq(id, "AC-2(1)");
    char big[80];
    memset(big, 0, sizeof big);
    for (size_t i = 0; i + 2 <= 62; i += 2) memcpy(big + i, "1.", 2);
    big[62] = '1';                                   /* 63 characters: fits */
    ck_assert(ctl_parse_id(big, strlen(big), id) == 1);
    ck_assert_uint_eq(strlen(id), 63);
    memcpy(big + 62, ".1", 3);                       /* 64: too long */
    ck_assert(ctl_parse_id(big, strlen(big), id) == 0);
}
END_TEST

static const struct {
    const char *outer, *inner;
    int holds;
} contains[] = {
    {"AC-2", "AC-2(1)", 1},
    {"2.1.1", "2.1.1(1)", 1},
    {"2.1.1(1)", "2.1.1(1)-1", 1},
    {"2.1.1", "2.1.1(1)-1", 1},
    {"II.1", "II.1.1", 1},
    {"A.5", "A.5.1", 1},
    {"6.3.1", "6.3.1.P", 1},
    {"GV.OC", "GV.OC-01", 1},
    {"1", "1.1", 1},
    {"AC", "AC-2", 1},
    /* counter-examples: a prefix is no parent */
    {"1", "10.1", 0},
    {"AC-2", "AC-20", 0},
    {"A.5", "A.50", 0},
    {"II.1", "II.1", 0},
    {"II.1", "II.10.1", 0},
    {"II.1.1", "II.1", 0},
    {"", "#1", 0},
    {"II.1", "II.1#2", 0},                           /* generated ids hang by rank, not by name */
};

START_TEST(id_containment)
{
    ck_assert_msg(ctl_id_contains(contains[_i].outer, contains[_i].inner) == contains[_i].holds,
                  "'%s' holds '%s': %d", contains[_i].outer, contains[_i].inner,
                  ctl_id_contains(contains[_i].outer, contains[_i].inner));
}
END_TEST

START_TEST(scheme_names)
{
    static const char *const names[][2] = {
        {"ISO/IEC 27001:2013", "iso27001-2013"}, {"isms", "iso27001-2013"},
        {"ISMS \xE7\xAE\xA1\xE7\x90\x86\xE7\xAD\x96", "iso27001-2013"},   /* ISMS 管理策 */
        {" \xEF\xBD\x89\xEF\xBD\x93\xEF\xBD\x8D\xEF\xBD\x93 ", "iso27001-2013"}, /* ｉｓｍｓ */
        {"iso27001-2022", "iso27001-2022"}, {"ISO/IEC 27001:2022", "iso27001-2022"},
        {"27001:2022", "iso27001-2022"}, {"ISO/IEC 27002:2013", "iso27002-2013"},
        {"iso27002-2022", "iso27002-2022"}, {"ISO/IEC 27017:2015", "iso27017-2015"},
        {"NIST SP 800-53", "nist-sp800-53"}, {"nist-sp800-53", "nist-sp800-53"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *got = ctl_scheme_name(names[i][0], strlen(names[i][0]));
        ck_assert_msg(got && !strcmp(got, names[i][1]), "'%s': %s", names[i][0], got ? got : "NULL");
    }
    static const char *const unknown[] = {"", "nist", "ISO 27001", "foo", "references", "27001"};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
        ck_assert_msg(ctl_scheme_name(unknown[i], strlen(unknown[i])) == NULL, "'%s' named", unknown[i]);
}
END_TEST

/* Parses cell in scheme; want: "scheme|id scheme|id ..." or NULL when the
 * cell must not parse. */
static void refs_are(const char *cell, const char *scheme, const char *want)
{
    ctl_ref *r = (ctl_ref *)1;
    size_t n = 99;
    int ok = ctl_parse_refs(cell, strlen(cell), scheme, &r, &n);
    if (!want) {
        ck_assert_msg(ok == 0, "'%s' in '%s' parsed", cell, scheme);
        ck_assert_ptr_null(r);                       /* nothing stored */
        ck_assert_uint_eq(n, 0);
        return;
    }
    ck_assert_msg(ok == 1, "'%s' in '%s' refused", cell, scheme);
    char got[512] = "";
    for (size_t i = 0; i < n; i++) {
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s|%s", i ? " " : "", r[i].scheme, r[i].id);
        free(r[i].scheme);
        free(r[i].id);
    }
    free(r);
    ck_assert_msg(!strcmp(got, want), "'%s' in '%s': %s, want %s", cell, scheme, got, want);
}

START_TEST(reference_cells)
{
    /* ISO/IEC 27001:2013 Annex A, every separator, full width */
    refs_are("A.5.1.1, A.5.1.2", "iso27001-2013", "iso27001-2013|A.5.1.1 iso27001-2013|A.5.1.2");
    refs_are("A.5.1.1;A.6.1.1\xE3\x80\x81" "A.7.1\xE3\x83\xBB" "A.8.1/A.9\nA.10", "iso27001-2013",
             "iso27001-2013|A.5.1.1 iso27001-2013|A.6.1.1 iso27001-2013|A.7.1 iso27001-2013|A.8.1 "
             "iso27001-2013|A.9 iso27001-2013|A.10");                /* 、 ・ */
    refs_are("\xEF\xBC\xA1\xEF\xBC\x8E\xEF\xBC\x95\xEF\xBC\x8E\xEF\xBC\x91", "iso27001-2013",
             "iso27001-2013|A.5.1");                                  /* Ａ．５．１ */
    refs_are("", "iso27001-2013", "");
    refs_are(" \n ", "iso27001-2013", "");
    /* a prefix names the scheme of one reference */
    refs_are("A.5.1.1 nist-sp800-53:AC-2(1)", "iso27001-2013", "iso27001-2013|A.5.1.1 nist-sp800-53|AC-2(1)");
    refs_are("iso27001-2022:A.5.1, A.5.1.1", "iso27001-2013", "iso27001-2022|A.5.1 iso27001-2013|A.5.1.1");
    refs_are("custom-x:FOO-1", "", "custom-x|FOO-1");
    /* other schemes: any id */
    refs_are("AC-2(1), AC-3", "nist-sp800-53", "nist-sp800-53|AC-2(1) nist-sp800-53|AC-3");
    refs_are("AC-2(1)/AC-3", "nist-sp800-53", "nist-sp800-53|AC-2(1) nist-sp800-53|AC-3");
    /* as NIST prints an enhancement: the space before '(' joins */
    refs_are("AC-2 (1), AC-3 (4) (a)", "nist-sp800-53", "nist-sp800-53|AC-2(1) nist-sp800-53|AC-3(4)(a)");
    refs_are("CLD.6.3.1", "iso27017-2015", "iso27017-2015|CLD.6.3.1");
    refs_are("A.5.1", "", "|A.5.1");
    /* cells that do not parse: the caller keeps them as written */
    refs_are("see A.5", "iso27001-2013", NULL);
    refs_are("B.1", "iso27001-2013", NULL);
    refs_are("A.5.1.1 and more", "iso27001-2013", NULL);
    refs_are("not a ref", "nist-sp800-53", NULL);
    refs_are("AC-2(1) words here", "nist-sp800-53", NULL);
    refs_are("free text", "", NULL);
    refs_are("Bad Scheme:A.5", "iso27001-2013", NULL);
    refs_are("x:A.5", "iso27001-2013", NULL);                        /* a prefix has 2 characters or more */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ids");
    TCase *tc = tcase_create("ids");
    tcase_add_loop_test(tc, ids_of_every_scheme, 0, sizeof id_ok / sizeof *id_ok);
    tcase_add_loop_test(tc, prose_and_non_ids_refused, 0, sizeof id_refused / sizeof *id_refused);
    tcase_add_test(tc, id_lengths);
    tcase_add_loop_test(tc, id_containment, 0, sizeof contains / sizeof *contains);
    tcase_add_test(tc, scheme_names);
    tcase_add_test(tc, reference_cells);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
