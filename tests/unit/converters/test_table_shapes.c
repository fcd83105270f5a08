/* SPDX-License-Identifier: BSD-2-Clause */
/* The table reader (converters/table.c) on the shapes of real sheets that
 * the review of issue 12 found misread: row counters and versions beside
 * the ids, labels read back from a converter's own tables. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

/* The list read from CSV text (the test fails if it cannot be read). */
static ctl_list *csv_of(const char *in)
{
    ctl_status st;
    ctl_list *l = read_string(ctx, "csv", in, &st);
    assert_ok(ctx, st);
    return l;
}

/* The ids of a list joined by ',' (static). */
static const char *ids_of(const ctl_list *l)
{
    static char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < l->n_items && n + 64 < sizeof buf; k++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", k ? "," : "", l->items[k].id);
    return buf;
}

/* The extra field name of item k, or NULL. */
static const char *extra_of(const ctl_list *l, size_t k, const char *name)
{
    for (size_t i = 0; i < l->items[k].n_extra; i++)
        if (!strcmp(l->items[k].extra[i].name, name)) return l->items[k].extra[i].value;
    return NULL;
}

/* ---- finding 3, 10: a row counter gives way to a column of codes ---- */

START_TEST(counter_named_no_gives_way_to_codes)
{
    list = csv_of("No.,Clause,Title\n1,A.5.1,Policies\n2,A.5.2,Roles\n3,A.5.3,Segregation\n");
    ck_assert_str_eq(ids_of(list), "A.5.1,A.5.2,A.5.3");
    ck_assert_str_eq(extra_of(list, 1, "No."), "2");
    ck_assert_str_eq(list->items[1].title, "Roles");
}
END_TEST

START_TEST(counter_unnamed_gives_way_to_codes)
{
    list = csv_of("Row,Clause,Title\n1,5.1.1,a\n2,5.1.2,b\n3,5.2.1,c\n");
    ck_assert_str_eq(ids_of(list), "5.1.1,5.1.2,5.2.1");
}
END_TEST

START_TEST(counter_beside_repeated_ids)
{
    list = csv_of("No.,管理策番号,管理策\n1,5.1,方針\n2,5.1,方針（続き）\n3,5.2,役割\n4,5.2,役割（続き）\n");
    ck_assert_str_eq(ids_of(list), "5.1,5.1,5.2,5.2");
    ck_assert_str_eq(extra_of(list, 3, "No."), "4");
}
END_TEST

/* A counter is the ids when nothing else is: top-level numbers. */
START_TEST(counter_alone_is_the_ids)
{
    list = csv_of("No.,Title,Pages\n1,Scope,12\n2,Policy,3\n3,Roles,45\n");
    ck_assert_str_eq(ids_of(list), "1,2,3");
    ck_assert_str_eq(extra_of(list, 2, "Pages"), "45");
}
END_TEST

/* The user's column stays the ids, a counter or not. */
START_TEST(counter_mapped_by_the_user)
{
    ctl_options o;
    ctl_options_init(&o);
    ctl_column_map m = {CTL_FIELD_ID, "No."};
    o.columns = &m;
    o.n_columns = 1;
    const char *in = "No.,Clause,Title\n1,A.5.1,Policies\n2,A.5.2,Roles\n";
    ctl_status st;
    list = read_bytes(ctx, "csv", in, strlen(in), &o, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(ids_of(list), "1,2");
}
END_TEST

/* ---- finding 4: versions, dates, statuses are no ids ---- */

START_TEST(version_column_is_no_ids)
{
    list = csv_of("Control,Title,Version\nA.5.1,Policies,1.0\nA.5.1,Policies (cont.),1.1\nA.5.2,Roles,2.0\n"
                  "A.5.3,Segregation,2.3\n");
    ck_assert_str_eq(ids_of(list), "A.5.1,A.5.1,A.5.2,A.5.3");
    ck_assert_str_eq(extra_of(list, 3, "Version"), "2.3");
}
END_TEST

START_TEST(sections_beside_versions)
{
    list = csv_of("Section,Requirement,Version\n1,Scope,1.0\n2,Policy,1.1\n3,Roles,1.2\n");
    ck_assert_str_eq(ids_of(list), "1,2,3");
}
END_TEST

/* Without a header word: codes (A.5.1) come before numbers like 1.0. */
START_TEST(codes_before_decimal_numbers)
{
    list = csv_of("Control,Title,Edition\nA.5.1,Policies,1.0\nA.5.2,Roles,1.1\nA.5.3,Segregation,2.0\n");
    ck_assert_str_eq(ids_of(list), "A.5.1,A.5.2,A.5.3");
}
END_TEST

/* A header that names ids but also a version is no id column. */
START_TEST(named_revision_is_no_ids)
{
    list = csv_of("改版番号,項番,対策項目\n1.0,1.1,方針\n1.1,1.2,体制\n2.0,2.1,資産\n");
    ck_assert_str_eq(ids_of(list), "1.1,1.2,2.1");
}
END_TEST

/* ---- finding 12: labels of a converter's own tables ---- */

/* A generated id in the id column reads with no label, as it was written. */
START_TEST(generated_id_has_no_label)
{
    list = csv_of("id,title\nII.1,a\nII.1#1,b\n");
    ck_assert_str_eq(list->items[1].id, "II.1#1");
    ck_assert_str_eq(list->items[1].label, "");
    ck_assert_str_eq(list->items[0].label, "II. 1.");
}
END_TEST

/* A column that prints some ids otherwise than canonically holds labels as
 * printed: a canonical one keeps its spelling. */
START_TEST(printed_column_keeps_canonical_labels)
{
    list = csv_of("id,title\nII. 1.,a\nIII.1,b\n");
    ck_assert_str_eq(list->items[0].label, "II. 1.");
    ck_assert_str_eq(list->items[1].id, "III.1");
    ck_assert_str_eq(list->items[1].label, "III.1");
}
END_TEST

/* ---- finding 16: a header row repeated on each printed page ---- */

START_TEST(repeated_header_skipped)
{
    list = csv_of("項番,対策項目,対策内容\n1.1,方針,定める\n項番,対策項目,対策内容\n2.1,資産,管理する\n"
                  "項番, 対策項目 ,対策内容\n2.2,体制,整える\n");
    ck_assert_str_eq(ids_of(list), "1.1,2.1,2.2");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_HEADER_REPEATED), 2);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_ROW_SKIPPED), 0);
}
END_TEST

/* A row that only starts like the header is a bad row still. */
START_TEST(header_like_row_is_bad)
{
    const char *in = "項番,対策項目,対策内容\n1.1,方針,定める\n項番,対策項目,別の内容\n";
    ctl_status st;
    list = read_string(ctx, "csv", in, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_BAD_ROW);
}
END_TEST

/* ---- finding 17: sub-numbers (1), (ア) under a numbered row ---- */

START_TEST(sub_numbers_are_labels)
{
    list = csv_of("番号,項目,内容\n2.1.1,組織・体制,体制を整える\n(1),責任者,置くこと\n（２）,担当者,置くこと\n"
                  "(ア),窓口,設ける\n①,記録,残す\n2.1.2,運用,定める\n(1),手順,定める\n");
    ck_assert_str_eq(ids_of(list), "2.1.1,2.1.1#1,2.1.1#2,2.1.1#3,2.1.1#4,2.1.2,2.1.2#1");
    ck_assert_str_eq(list->items[1].label, "(1)");
    ck_assert_str_eq(list->items[2].label, "（２）");
    ck_assert_str_eq(list->items[3].label, "(ア)");
    ck_assert_str_eq(list->items[4].label, "①");
    ck_assert_str_eq(list->items[6].parent, "2.1.2");
    ck_assert_str_eq(list->items[6].title, "手順");
}
END_TEST

/* With a header of two words, sub-numbers count for the id column. */
START_TEST(sub_numbers_confirm_the_id_column)
{
    list = csv_of("番号,項目\n2.1.1,組織\n(1),責任者\n(2),担当者\n(3),窓口\n");
    ck_assert_str_eq(ids_of(list), "2.1.1,2.1.1#1,2.1.1#2,2.1.1#3");
}
END_TEST

/* Prose in parentheses, or a long parenthesised word, is no sub-number.
 * ("(1234)", short and with a digit, is a code by ctl_is_code(): kept as
 * a label, see test_id_cells.c.) */
START_TEST(parenthesised_prose_is_bad)
{
    static const char *const rows[] = {"(see below)", "(abcdefg)", "(アイ)"};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char in[256];
        snprintf(in, sizeof in, "番号,項目,内容\n2.1.1,組織,整える\n%s,x,y\n", rows[i]);
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_string(c, "csv", in, &st);
        ck_assert_msg(st == CTL_EINPUT && ctl_error_code(c) == CTL_D_BAD_ROW, "'%s' read", rows[i]);
        ctl_list_free(l);
        ctl_ctx_free(c);
    }
}
END_TEST

/* ---- finding 6: the CIS workbook's layout, a row per control ---- */

static const char cis_official[] =
    "CIS Control,CIS Safeguard,Asset Type,Security Function,Title,Description,IG1\n"
    "1,,,,Inventory and Control of Enterprise Assets,Actively manage all enterprise assets.,\n"
    "1,1.1,Devices,Identify,Establish and Maintain Detailed Enterprise Asset Inventory,Maintain an inventory.,x\n"
    "1,1.2,Devices,Respond,Address Unauthorized Assets,Ensure a process exists.,x\n"
    "2,,,,Inventory and Control of Software Assets,Actively manage all software.,\n"
    "2,2.1,Applications,Identify,Establish and Maintain a Software Inventory,Maintain an inventory.,x\n"
    "10,,,,Malware Defenses,Prevent or control malware.,\n"
    "10,10.1,Devices,Protect,Deploy and Maintain Anti-Malware Software,Deploy it.,x\n";

START_TEST(control_rows_are_the_controls)
{
    list = csv_of(cis_official);
    ck_assert_str_eq(ids_of(list), "1,1.1,1.2,2,2.1,10,10.1");
    const ctl_item *c2 = &list->items[3];
    ck_assert_int_eq(c2->level, 1);
    ck_assert_str_eq(c2->parent, "");
    ck_assert_str_eq(c2->title, "Inventory and Control of Software Assets");
    ck_assert_str_eq(c2->description, "Actively manage all software.");
    ck_assert_str_eq(list->items[4].parent, "2");
    ck_assert_int_eq(list->items[4].level, 2);
    ck_assert_str_eq(list->items[6].parent, "10");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_ID_GENERATED), 0);
}
END_TEST

/* Rows without an id under a parent already begun stay its rows. */
START_TEST(continuation_rows_stay_rows)
{
    list = csv_of("CIS Control,CIS Safeguard,Title\n1,,Inventory\n1,1.1,Keep an inventory\n1,,Note on 1.1\n"
                  "1,1.2,Remove\n2,,Software\n2,2.1,Keep a list\n2,2.2,Allow\n");
    ck_assert_str_eq(ids_of(list), "1,1.1,1.1#1,1.2,2,2.1,2.2");
    ck_assert_str_eq(list->items[2].parent, "1.1");
}
END_TEST

/* ---- finding 7: headings between rows, footers and notes under them ---- */

/* CCM: a domain's row (text left of the id column only) between controls
 * heads the rows below; it is no child of the control above. */
START_TEST(domain_rows_are_headings)
{
    list = csv_of("Control Domain,Control Title,Control ID,Control Specification\n"
                  "Audit & Assurance - A&A,,,\n,Policy,A&A-01,Establish\n,Assessments,A&A-02,Conduct\n"
                  "Application & Interface Security - AIS,,,\n,Policy,AIS-01,Establish\n");
    ck_assert_str_eq(ids_of(list), "#1,A&A-01,A&A-02,#2,AIS-01");
    ck_assert_str_eq(list->items[0].title, "Audit & Assurance - A&A");
    ck_assert_uint_eq(list->items[0].n_extra, 0);
    ck_assert_str_eq(list->items[3].title, "Application & Interface Security - AIS");
    ck_assert_int_eq(list->items[3].level, 1);
    ck_assert_str_eq(list->items[4].parent, "");
}
END_TEST

/* A footer, a note or a total after the last item: refused, naming it. */
START_TEST(footer_rows_are_refused)
{
    static const char *const tails[] = {"End of Standard,,,", ",,※ 注記：2024年3月時点,", ",,合計,3",
                                        ",,Note: see annex B,"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        char in[512];
        snprintf(in, sizeof in, "Domain,ID,Title,Count\n,A.1,Policy,1\n,A.2,Roles,2\n%s\n", tails[i]);
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_string(c, "csv", in, &st);
        ck_assert_msg(st == CTL_EINPUT && ctl_error_code(c) == CTL_D_BAD_ROW, "'%s' read", tails[i]);
        ck_assert_msg(strstr(ctl_error_message(c), "after the last item"), "%s", ctl_error_message(c));
        ctl_list_free(l);
        ctl_ctx_free(c);
        c = ctl_ctx_new();
        ctl_options o;
        ctl_options_init(&o);
        o.skip_bad_rows = 1;
        l = read_bytes(c, "csv", in, strlen(in), &o, &st);
        assert_ok(c, st);
        ck_assert_uint_eq(l->n_items, 2);
        ck_assert_uint_eq(ctl_warning_count_of(c, CTL_D_ROW_SKIPPED), 1);
        ctl_list_free(l);
        ctl_ctx_free(c);
    }
}
END_TEST

/* A note row between items is a row of the item above, as before. */
START_TEST(note_rows_between_items_stay_rows)
{
    list = csv_of("項番,対策項目,対策内容\n1.1,方針,定める\n,※ 補足,年1回見直す\n1.2,体制,整える\n");
    ck_assert_str_eq(ids_of(list), "1.1,1.1#1,1.2");
    ck_assert_str_eq(list->items[1].title, "※ 補足");
}
END_TEST

/* Rows without an id at the end, with text right of the id column, are
 * the last item's rows (K-ISMS-P's checks), not a footer. */
START_TEST(last_rows_without_ids_stay_rows)
{
    list = csv_of("번호,항목,주요 확인사항\n1.1.1,경영진의 참여,문서화하고 있는가?\n,,승인하고 있는가?\n");
    ck_assert_str_eq(ids_of(list), "1.1.1,1.1.1#1");
}
END_TEST

/* ---- findings 13, 14: a header of two rows ---- */

/* LibreOffice's CSV of a group header over its sub-headers. */
START_TEST(sub_header_row_joins_the_header)
{
    list = csv_of("Control Domain,Control Title,Control ID,Control Specification,Architectural Relevance,\n"
                  ",,,,Phys,Network\nA&A,Policy,A&A-01,Establish,TRUE,FALSE\nA&A,Assess,A&A-02,Conduct,TRUE,TRUE\n");
    ck_assert_str_eq(ids_of(list), "A&A-01,A&A-02");
    ck_assert_str_eq(extra_of(list, 0, "Phys"), "TRUE");
    ck_assert_str_eq(extra_of(list, 0, "Network"), "FALSE");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_ID_GENERATED), 0);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_UNNAMED_COLUMN), 0);
}
END_TEST

/* A workbook's merges fill the first columns down: the same words. */
START_TEST(sub_header_row_under_merges)
{
    list = csv_of("id,title,Relevance,\nid,title,Phys,Network\nA.1,Policy,x,\nA.2,Roles,,x\n");
    ck_assert_str_eq(ids_of(list), "A.1,A.2");
    ck_assert_str_eq(extra_of(list, 1, "Network"), "x");
}
END_TEST

/* A first row with an id, or text under named headers only, is a row. */
START_TEST(first_rows_are_no_sub_headers)
{
    list = csv_of("id,title,group,\nA.1,Policy,x,y\n");
    ck_assert_str_eq(ids_of(list), "A.1");
    ctl_list_free(list);
    list = csv_of("番号,項目,主要 확인사항\n,,문서화\n1.1.1,경영진,검토\n");
    ck_assert_str_eq(ids_of(list), "#1,1.1.1");
}
END_TEST

/* ---- finding 18: a header naming no field over a column of codes ---- */

START_TEST(soa_header_by_the_codes)
{
    list = csv_of("Annex A ref,Control,Applicable,Justification\nA.5.1,Policies,Yes,Required\n"
                  "A.5.2,Roles,Yes,RACI\nA.8.34,Audit testing,No,None planned\n");
    ck_assert_str_eq(ids_of(list), "A.5.1,A.5.2,A.8.34");
    ck_assert_str_eq(list->items[1].title, "Roles");
    ck_assert_str_eq(extra_of(list, 2, "Applicable"), "No");
    ck_assert_ptr_null(extra_of(list, 2, "Control"));
}
END_TEST

/* Under words that name no field, counts are no list, nor codes without a
 * "Control" column beside them: refused. */
START_TEST(numbers_under_unknown_words_refused)
{
    assert_refused("csv", "a,b,c\n1,2,3\n4,5,6\n", "no-header", "no header row");
    assert_refused("csv", "Ref,Note\nA.5.1,x\n", "no-header", "no header row");
    /* codes, but no "Control" beside them to hold the titles: the user maps them */
    assert_refused("csv", "Kontroll-Nr,Bezeichnung\nK.1.1,Richtlinie\nK.1.2,Rollen\n", "no-header", "no header row");
    /* versions are no codes */
    assert_refused("csv", "Rev,Control\n1.0,x\n1.1,y\n", "no-header", "no header row");
}
END_TEST

/* Rows of two words above the header stay title and note rows. */
START_TEST(word_rows_above_the_header_stay_notes)
{
    list = csv_of("Statement of Applicability,\nOwner,CISO\nAnnex A ref,Control,Applicable\nA.5.1,Policies,Yes\n"
                  "A.5.2,Roles,Yes\n");
    ck_assert_str_eq(ids_of(list), "A.5.1,A.5.2");
    ck_assert_str_eq(list->meta.title, "Statement of Applicability");
    ck_assert_str_eq(list->meta.note, "Owner CISO");
}
END_TEST

/* Markdown: the same table under headings, read with no options; a table
 * of other words above it is still not read (warned). */
START_TEST(soa_in_markdown)
{
    static const char md[] =
        "# SoA\n\n| Section | Page |\n|---|---|\n| Scope | 1 |\n| Terms | 2 |\n\n"
        "## A.5 Organizational controls\n\n| Annex A ref | Control | Applicable |\n|---|---|---|\n"
        "| A.5.1 | Policies | Yes |\n| A.5.2 | Roles | Yes |\n\n"
        "## A.8 Technological controls\n\n| Annex A ref | Control | Applicable |\n|---|---|---|\n"
        "| A.8.1 | End points | Yes |\n| A.8.2 | Privileged access | No |\n";
    ctl_status st;
    list = read_string(ctx, "markdown", md, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(ids_of(list), "A.5,A.5.1,A.5.2,A.8,A.8.1,A.8.2");
    ck_assert_str_eq(list->items[3].title, "Technological controls");
    ck_assert_str_eq(list->items[4].parent, "A.8");
    ck_assert_str_eq(list->items[5].title, "Privileged access");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_LINE_SKIPPED), 1);
}
END_TEST

/* ---- finding 15: a number fused with its title in one cell ---- */

START_TEST(fused_numbers_split)
{
    list = csv_of("管理策,内容\n5.1 情報セキュリティのための方針群,方針を定める\n"
                  "5.2 情報セキュリティの役割及び責任,役割を定める\n5.3\xE3\x80\x80職務の分離,分離する\n"
                  "II. 1. 1. 1 方針,定める\n");
    ck_assert_str_eq(ids_of(list), "5.1,5.2,5.3,II.1.1.1");
    ck_assert_str_eq(list->items[1].title, "情報セキュリティの役割及び責任");
    ck_assert_str_eq(list->items[2].title, "職務の分離");
    ck_assert_str_eq(list->items[3].label, "II. 1. 1. 1");
    ck_assert_str_eq(list->items[3].title, "方針");
    ck_assert_str_eq(list->items[0].description, "方針を定める");
}
END_TEST

/* Korean, in a column of unknown header, a title column beside it: the
 * text after the number goes to an extra column of its name. */
START_TEST(fused_numbers_beside_titles)
{
    list = csv_of("영역,항목\n1.1.1 경영진의 참여,참여\n1.1.2 최고책임자의 지정,지정\n,보충\n");
    ck_assert_str_eq(ids_of(list), "1.1.1,1.1.2,1.1.2#1");
    ck_assert_str_eq(list->items[0].title, "참여");
    ck_assert_str_eq(extra_of(list, 0, "영역"), "경영진의 참여");
}
END_TEST

/* The user's id column of fused cells is split too. */
START_TEST(fused_numbers_mapped)
{
    ctl_options o;
    ctl_options_init(&o);
    ctl_column_map m = {CTL_FIELD_ID, "Item"};
    o.columns = &m;
    o.n_columns = 1;
    const char *in = "Item,Detail\n1.1 Scope,a\n1.2 Policy,b\n";
    ctl_status st;
    list = read_bytes(ctx, "csv", in, strlen(in), &o, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(ids_of(list), "1.1,1.2");
    ck_assert_str_eq(list->items[1].title, "Policy");
}
END_TEST

/* Prose that starts with a number now and then is no fused column; nor
 * is one where the rest is a number too. */
START_TEST(prose_is_not_fused)
{
    assert_refused("csv", "管理策,内容\n2 factor authentication,a\nUse strong passwords,b\nLog access,c\n",
                   "no-header", "no header row");
    assert_refused("csv", "管理策,内容\n1.1 1.2,a\n2.1 2.2,b\n", "no-header", "no header row");
}
END_TEST

/* Codes in cells past the header's columns are no column of it. */
START_TEST(codes_past_the_header_not_read)
{
    assert_refused("markdown", "| Ref | Control |\n|---|---|\n| x | y | A.1.1 |\n| x | y | A.1.2 |\n", "no-header",
                   "no pipe table");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("table_shapes");
    TCase *ids = tcase_create("id_column");
    use_ctx_fixture(ids);
    tcase_add_test(ids, counter_named_no_gives_way_to_codes);
    tcase_add_test(ids, counter_unnamed_gives_way_to_codes);
    tcase_add_test(ids, counter_beside_repeated_ids);
    tcase_add_test(ids, counter_alone_is_the_ids);
    tcase_add_test(ids, counter_mapped_by_the_user);
    tcase_add_test(ids, version_column_is_no_ids);
    tcase_add_test(ids, sections_beside_versions);
    tcase_add_test(ids, codes_before_decimal_numbers);
    tcase_add_test(ids, named_revision_is_no_ids);
    suite_add_tcase(s, ids);
    TCase *labels = tcase_create("labels");
    use_ctx_fixture(labels);
    tcase_add_test(labels, generated_id_has_no_label);
    tcase_add_test(labels, printed_column_keeps_canonical_labels);
    suite_add_tcase(s, labels);
    TCase *rows = tcase_create("rows");
    use_ctx_fixture(rows);
    tcase_add_test(rows, repeated_header_skipped);
    tcase_add_test(rows, header_like_row_is_bad);
    tcase_add_test(rows, sub_numbers_are_labels);
    tcase_add_test(rows, sub_numbers_confirm_the_id_column);
    tcase_add_test(rows, parenthesised_prose_is_bad);
    suite_add_tcase(s, rows);
    TCase *parents = tcase_create("parents");
    use_ctx_fixture(parents);
    tcase_add_test(parents, control_rows_are_the_controls);
    tcase_add_test(parents, continuation_rows_stay_rows);
    suite_add_tcase(s, parents);
    TCase *held = tcase_create("held");
    use_ctx_fixture(held);
    tcase_add_test(held, domain_rows_are_headings);
    tcase_add_test(held, footer_rows_are_refused);
    tcase_add_test(held, note_rows_between_items_stay_rows);
    tcase_add_test(held, last_rows_without_ids_stay_rows);
    suite_add_tcase(s, held);
    TCase *two = tcase_create("two_row_header");
    use_ctx_fixture(two);
    tcase_add_test(two, sub_header_row_joins_the_header);
    tcase_add_test(two, sub_header_row_under_merges);
    tcase_add_test(two, first_rows_are_no_sub_headers);
    suite_add_tcase(s, two);
    TCase *weak = tcase_create("unknown_words");
    use_ctx_fixture(weak);
    tcase_add_test(weak, soa_header_by_the_codes);
    tcase_add_test(weak, numbers_under_unknown_words_refused);
    tcase_add_test(weak, word_rows_above_the_header_stay_notes);
    tcase_add_test(weak, soa_in_markdown);
    tcase_add_test(weak, codes_past_the_header_not_read);
    suite_add_tcase(s, weak);
    TCase *fused = tcase_create("fused");
    use_ctx_fixture(fused);
    tcase_add_test(fused, fused_numbers_split);
    tcase_add_test(fused, fused_numbers_beside_titles);
    tcase_add_test(fused, fused_numbers_mapped);
    tcase_add_test(fused, prose_is_not_fused);
    suite_add_tcase(s, fused);
    return s;
}

int main(void) { return run_suite(suite()); }
