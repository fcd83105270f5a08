/* SPDX-License-Identifier: BSD-2-Clause */
/* The text-layout reader quirk by quirk, and its writer. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define HDR "ISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\t\n"

static const ctl_item *find(const ctl_list *l, const char *id)
{
    for (size_t i = 0; i < l->n_items; i++)
        if (!strcmp(l->items[i].id, id)) return &l->items[i];
    ck_abort_msg("no item %s", id);
    return NULL;
}

START_TEST(seed_reads_as_read_by_hand)
{
    size_t elen, olen;
    unsigned char *expected = slurp(EXPECTED_CSV, &elen);
    ctl_status st;
    ctl_list *l = read_seed(ctx);
    ck_assert_uint_eq(l->n_items, 160);
    size_t levels[4] = {0}, basic = 0, rec = 0;
    for (size_t i = 0; i < l->n_items; i++) {
        levels[l->items[i].level]++;
        basic += l->items[i].category == CTL_CATEGORY_BASIC;
        rec += l->items[i].category == CTL_CATEGORY_RECOMMENDED;
    }
    ck_assert_uint_eq(levels[1], 12);
    ck_assert_uint_eq(levels[2], 27);
    ck_assert_uint_eq(levels[3], 121);
    ck_assert_uint_eq(basic, 93);
    ck_assert_uint_eq(rec, 28);
    /* byte for byte the list read by hand */
    ctl_options o;
    ctl_options_init(&o);
    o.crlf = 1;
    char *csv = write_list(ctx, "csv", l, &o, &olen, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(olen, elen);
    ck_assert(memcmp(csv, expected, elen) == 0);
    /* metadata */
    ck_assert_str_eq(l->meta.title, "クラウドサービス提供における情報セキュリティ対策ガイドライン（第3版）");
    ck_assert_str_eq(l->meta.annex, "ANNEX2 対策一覧");
    ck_assert(strncmp(l->meta.note, l->meta.title, strlen(l->meta.title)) == 0);
    ck_assert(strlen(l->meta.note) > strlen(l->meta.title));
    ck_assert_uint_eq(l->meta.n_columns, 6);
    ck_assert_str_eq(l->meta.columns[0], "ISMS 管理策");
    ck_assert_uint_eq(l->meta.n_unplaced, 0);
    /* labels kept as printed */
    ck_assert_str_eq(find(l, "II.3.2.1")->label, "II. 3. 2. 1.");
    ck_assert_str_eq(find(l, "III.1.1.5")->label, "Ⅲ. 1. 1. 5.");
    ck_assert_str_eq(find(l, "III.1.1.4")->label, "III. 1. 1. 4.");
    ck_assert_str_eq(find(l, "II.1.1.1")->label, "II. 1. 1. 1");
    ck_assert_str_eq(find(l, "II.1")->label, "II. 1.");
    /* positions */
    ck_assert_int_eq(find(l, "II.1")->pos.line, 10);
    ck_assert_int_eq(find(l, "III.2.3.4")->pos.line, 198);
    free(csv);
    free(expected);
    ctl_list_free(l);
}
END_TEST

START_TEST(page_header_matched_exactly)
{
    const char *in =
        "\n\nDoc Title\n\nDoc Title (source note)\n\nANNEX2 対策一覧\n\n" HDR
        "A.5\tII. 1. Section one\t\t\t\t\t\n"
        "A.5.1\tII. 1. 1. Sub\t\t\t\t\t\n"
        "\nDoc Title\n\n"
        "A.5.1.1\tII. 1. 1. 1\tT1\tD1\t基本\tAns1\t\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 3);
    ck_assert_str_eq(list->meta.title, "Doc Title");
    ck_assert_str_eq(list->meta.note, "Doc Title (source note)");
    ck_assert_str_eq(list->meta.annex, "ANNEX2 対策一覧");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    ck_assert_str_eq(list->items[0].title, "Section one");
    ck_assert_str_eq(list->items[2].answer, "Ans1");
}
END_TEST

START_TEST(fused_category_and_answer)
{
    const char *in = "T\n\n" HDR
                     "A.9.1.1\tII. 4. 4. 1.\tTitle\tMeasure\t基本 当社ISMSに基づき、実施しています。\n"
                     "\tII. 4. 4. 2.\tTitle2\tMeasure2\t推奨　全角空白の後\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_int_eq(list->items[0].category, CTL_CATEGORY_BASIC);
    ck_assert_str_eq(list->items[0].answer, "当社ISMSに基づき、実施しています。");
    ck_assert_int_eq(list->items[1].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(list->items[1].answer, "全角空白の後");
    ck_assert_uint_eq(list->items[1].n_refs, 0);
}
END_TEST

START_TEST(missing_isms_column)
{
    const char *in = "T\n\n" HDR
                     "II. 7. 1. 4.\t不正アクセス\t記録は保護する。\t基本\t実施しています\n"
                     "II. 8. ユーザサポートの責任\t\t\t\t\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(list->items[0].id, "II.7.1.4");
    ck_assert_str_eq(list->items[0].title, "不正アクセス");
    ck_assert_str_eq(list->items[0].description, "記録は保護する。");
    ck_assert_int_eq(list->items[0].category, CTL_CATEGORY_BASIC);
    ck_assert_str_eq(list->items[0].answer, "実施しています");
    ck_assert_str_eq(list->items[1].title, "ユーザサポートの責任");
    ck_assert_int_eq(list->items[1].level, 1);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
}
END_TEST

START_TEST(stray_header_word_warned)
{
    const char *in = "T\n\n" HDR "A.5\tII. 1. 基本方針\t\t\t\t\t公開回答\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[0].answer, "");
    ck_assert_uint_eq(list->items[0].n_extra, 0);
    ck_assert_uint_eq(ctl_warning_count(ctx), 1);
    ck_assert(warnings_with(ctx, CTL_D_STRAY_HEADER));
    ck_assert_int_eq(ctl_warning_line(ctx, 0), 4);
}
END_TEST

START_TEST(text_past_last_column_kept)
{
    const char *in = "T\n\n" HDR "A.5\tII. 1. 基本方針\t\t\t\t\tsomething else\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->items[0].n_extra, 1);
    ck_assert_str_eq(list->items[0].extra[0].value, "something else");
    ck_assert(warnings_with(ctx, CTL_D_UNNAMED_COLUMN));
}
END_TEST

/* The page of the seed that loses its references: II.8 ... II.9.2, then
 * A.17 / A.17.1 / A.17.1.2 / A.17.1.3 alone at the foot. */
#define DETACHED_PAGE                                         \
    "II. 8. Support\t\t\t\t\n"                                \
    "II. 8. 1. Resp\t\t\t\t\n"                                \
    "II. 8. 1. 1.\tt\td\t基本\ta\n"                           \
    "II. 8. 1. 2.\tt\td\t基本\ta\n"                           \
    "II. 9. BCM\t\t\t\t\n"                                    \
    "II. 9. 1. Continuity\t\t\t\t\n"                          \
    "II. 9. 1. 1.\tt\td\t基本\ta\n"                           \
    "II. 9. 1. 2.\tt\td\t基本\ta\n"                           \
    "II. 9. 2. Plan\t\t\t\t\n"                                \
    "\nA.17\n\nA.17.1\n\nA.17.1.2\n\nA.17.1.3\n\n"

START_TEST(detached_refs_go_to_last_window)
{
    const char *in = "T\n\n" HDR DETACHED_PAGE "T\n\nA.10\tII. 9. 2. 1.\tt\td\t基本\ta\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 10);
    const char *want[][2] = {{"II.8", NULL}, {"II.8.1", NULL}, {"II.8.1.1", NULL}, {"II.8.1.2", NULL},
                             {"II.9", "A.17"}, {"II.9.1", "A.17.1"}, {"II.9.1.1", "A.17.1.2"},
                             {"II.9.1.2", "A.17.1.3"}, {"II.9.2", NULL}, {"II.9.2.1", "A.10"}};
    for (size_t i = 0; i < 10; i++) {
        const ctl_item *it = find(list, want[i][0]);
        if (want[i][1]) {
            ck_assert_uint_eq(it->n_refs, 1);
            ck_assert_str_eq(it->refs[0].id, want[i][1]);
        } else {
            ck_assert_uint_eq(it->n_refs, 0);
        }
    }
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_REF_INFERRED), 1);
    /* the wording matters here: it names every row it attached to */
    ck_assert(has_warning(ctx, "attached by level to II.9, II.9.1, II.9.1.1, II.9.1.2"));
    ck_assert_uint_eq(list->meta.n_unplaced, 0);
}
END_TEST

START_TEST(detached_refs_without_window_are_unplaced)
{
    /* depths 1,2 but the page has only level-3 rows */
    const char *in = "T\n\n" HDR "II. 1. 1. 1\tt\td\t基本\ta\n\nA.17\n\nA.17.1\n\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->items[0].n_refs, 0);
    ck_assert_uint_eq(list->meta.n_unplaced, 2);
    ck_assert_str_eq(list->meta.unplaced[0], "A.17");
    ck_assert_str_eq(list->meta.unplaced[1], "A.17.1");
    ck_assert(warnings_with(ctx, CTL_D_REF_UNPLACED));
}
END_TEST

START_TEST(printed_refs_kept_as_printed)
{
    /* a section carrying a level-3 reference is not "corrected" */
    const char *in = "T\n\n" HDR "A.15.1.3\tII. 3. Supply chain\t\t\t\t\t\n"
                     "A.5.1.1 Ａ．５．１．２\tII. 3. 1. 1\tt\td\t基本\ta\t\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->items[0].n_refs, 1);
    ck_assert_str_eq(list->items[0].refs[0].id, "A.15.1.3");
    ck_assert_uint_eq(list->items[1].n_refs, 2);
    ck_assert_str_eq(list->items[1].refs[1].id, "A.5.1.2");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
}
END_TEST

START_TEST(unrecognised_line_warned_with_line_number)
{
    const char *in = "T\n\n" HDR "II. 1. 1. 1\tt\td\t基本\ta\nthis is not a row\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 1);
    ck_assert_uint_eq(ctl_warning_count(ctx), 1);
    ck_assert_int_eq(ctl_warning_line(ctx, 0), 5);
    ck_assert(warnings_with(ctx, CTL_D_LINE_SKIPPED));
}
END_TEST

START_TEST(no_control_rows_is_an_error)
{
    const char *inputs[] = {"just some text\nand more\n", "T\n\n" HDR, "\n\n\n"};
    for (size_t i = 0; i < 3; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_string(ctx, "text", inputs[i], &st);
        ck_assert_int_eq(st, CTL_EINPUT);
        ck_assert(strstr(ctl_error_message(ctx), "no control rows") != NULL);
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(line_ends_lf_crlf_cr)
{
    const char *inputs[] = {
        "T\n\n" HDR "II. 1. S\t\t\t\t\nII. 1. 1. 1\tt\td\t基本\ta\n",
        "T\r\n\r\nISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\r\nII. 1. S\t\t\t\t\r\nII. 1. 1. 1\tt\td\t基本\ta\r\n",
        "T\r\rISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\rII. 1. S\t\t\t\t\rII. 1. 1. 1\tt\td\t基本\ta",
    };
    for (size_t i = 0; i < 3; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_string(ctx, "text", inputs[i], &st);
        assert_ok(ctx, st);
        ck_assert_uint_eq(l->n_items, 2);
        ck_assert_str_eq(l->items[1].answer, "a");
        ck_assert_int_eq(l->items[1].pos.line, i == 0 ? 5 : 5);
        ck_assert_str_eq(l->meta.title, "T");
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(form_feed_is_a_page_break)
{
    /* the references after row 2 belong to the first page only */
    const char *in = "T\n\n" HDR "II. 1. S\t\t\t\t\nA.5\n\fII. 2. S2\t\t\t\t\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_uint_eq(list->items[0].n_refs, 1);
    ck_assert_uint_eq(list->items[1].n_refs, 0);
}
END_TEST

START_TEST(no_header_row_uses_default_columns)
{
    const char *in = "A.5.1.1\tII. 1. 1. 1\tTitle\tMeasure\t推奨\tAnswer\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 1);
    ck_assert_str_eq(list->meta.title, "");
    ck_assert_str_eq(list->items[0].title, "Title");
    ck_assert_int_eq(list->items[0].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(list->items[0].answer, "Answer");
}
END_TEST

/* A column mapping names a header the layout lacks: an error, with or
 * without a header row. */
START_TEST(column_mapping_to_missing_header)
{
    ctl_column_map maps[] = {{CTL_FIELD_ANSWER, "Nope"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = maps;
    o.n_columns = 1;
    const char *with_header = HDR "A.5.1.1\tII. 1. 1. 1\tTitle\tMeasure\t推奨\tAnswer\n";
    const char *without = "A.5.1.1\tII. 1. 1. 1\tTitle\tMeasure\t推奨\tAnswer\n";
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_bytes(ctx, "text", with_header, strlen(with_header), &o, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_NO_SUCH_COLUMN);
    ck_assert_int_eq(ctl_error_line(ctx), 1);
    ck_assert_msg(strstr(ctl_error_message(ctx), "'Nope'") && strstr(ctl_error_message(ctx), "'項番'"), "%s",
                  ctl_error_message(ctx));
    ctl_list_free(l);
    ctl_error_clear(ctx);
    l = read_bytes(ctx, "text", without, strlen(without), &o, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_NO_SUCH_COLUMN);
    ck_assert_msg(strstr(ctl_error_message(ctx), "no header row"), "%s", ctl_error_message(ctx));
    ctl_list_free(l);
    maps[0].header = "公開回答";
    l = read_bytes(ctx, "text", with_header, strlen(with_header), &o, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

/* Model v2: a category word ctlconv does not know is the item's category
 * word (value NONE), no longer an extra column with bad-category; 必須 is
 * now a known word (MANDATORY). */
START_TEST(unknown_category_word_kept)
{
    const char *in = "T\n\n" HDR "\tII. 1. 1. 1\tt\td\t任意\ta\n\tII. 1. 1. 2\tt\td\t必須\ta\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_int_eq(list->items[0].category, CTL_CATEGORY_NONE);
    ck_assert_str_eq(list->items[0].category_text, "任意");
    ck_assert_uint_eq(list->items[0].n_extra, 0);
    ck_assert_int_eq(list->items[1].category, CTL_CATEGORY_MANDATORY);
    ck_assert_str_eq(list->items[1].category_text, "必須");
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
}
END_TEST

/* Model v2: a reference cell that does not parse is kept as one reference
 * of scheme "" as written (was an extra column), with not-isms. */
START_TEST(bad_isms_cell_kept_and_warned)
{
    const char *in = "T\n\n" HDR "see A.5\tII. 1. 1. 1\tt\td\t基本\ta\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->items[0].n_refs, 1);
    ck_assert_str_eq(list->items[0].refs[0].scheme, "");
    ck_assert_str_eq(list->items[0].refs[0].id, "see A.5");
    ck_assert_uint_eq(list->items[0].n_extra, 0);
    ck_assert(warnings_with(ctx, CTL_D_NOT_ISMS));
    /* and the text writer writes it back as it was (it was refused,
     * unsupported, once references had schemes) */
    size_t n;
    char *out = write_list(ctx, "text", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_msg(strstr(out, "\nsee A.5\tII. 1. 1. 1\t") != NULL, "%s", out);
    ctl_list *back = read_bytes(ctx, "text", out, n, NULL, &st);
    assert_ok(ctx, st);
    char why[256];
    ck_assert_msg(ctl_list_equal(list, back, 1, why, sizeof why), "%s", why);
    ctl_list_free(back);
    free(out);
    /* one that would read back as an ISO/IEC 27001:2013 reference is not */
    free(list->items[0].refs[0].id);
    list->items[0].refs[0].id = strdup("A.5.1");
    out = write_list(ctx, "text", list, NULL, &n, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_UNSUPPORTED);
    ck_assert_msg(strstr(ctl_error_message(ctx), "references only, not 'A.5.1'"), "%s", ctl_error_message(ctx));
    free(out);
}
END_TEST

START_TEST(seed_round_trips_through_text_writer)
{
    ctl_ctx *ctx = ctl_ctx_new();
    size_t olen, olen2;
    ctl_status st;
    ctl_list *a = read_seed(ctx);
    char *txt = write_list(ctx, "text", a, NULL, &olen, &st);
    assert_ok(ctx, st);
    ctl_ctx *ctx2 = ctl_ctx_new();
    ctl_list *b = read_bytes(ctx2, "text", txt, olen, NULL, &st);
    assert_ok(ctx2, st);
    char why[256];
    ck_assert_msg(ctl_list_equal(a, b, 1, why, sizeof why), "%s", why);
    ck_assert_uint_eq(ctl_warning_count(ctx2), 0);   /* what we write reads cleanly */
    /* and writing it again gives the same bytes */
    char *txt2 = write_list(ctx2, "text", b, NULL, &olen2, &st);
    ck_assert_uint_eq(olen, olen2);
    ck_assert(memcmp(txt, txt2, olen) == 0);
    free(txt);
    free(txt2);
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_ctx_free(ctx);
    ctl_ctx_free(ctx2);
}
END_TEST

START_TEST(text_writer_joins_line_breaks_and_warns)
{
    const char *in = "T\n\n" HDR "\tII. 1. 1. 1\tt\td\t基本\ta\n";
    ctl_status st;
    list = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    free(list->items[0].description);
    list->items[0].description = strdup("・first\n・second\r\n・third\tend");
    size_t n;
    char *out = write_list(ctx, "text", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert(strstr(out, "\t・first ・second ・third end\t") != NULL);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_TEXT_FLATTENED), 1);
    ck_assert(has_warning(ctx, "1 row(s)"));
    ck_assert(has_warning(ctx, "II.1.1.1"));
    free(out);
}
END_TEST

START_TEST(extra_columns_round_trip)
{
    const char *in = "T\n\nISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\t備考\t担当\n"
                     "\tII. 1. 1. 1\tt\td\t基本\ta\tnote 1\tteam\n"
                     "\tII. 1. 1. 2\tt\td\t推奨\ta\n";
    ctl_status st;
    ctl_list *a = read_string(ctx, "text", in, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(a->items[0].n_extra, 2);
    ck_assert_str_eq(a->items[0].extra[0].name, "備考");
    ck_assert_str_eq(a->items[0].extra[1].value, "team");
    ck_assert_uint_eq(a->items[1].n_extra, 2);
    ck_assert_str_eq(a->items[1].extra[0].value, "");
    size_t n;
    char *out = write_list(ctx, "text", a, NULL, &n, &st);
    assert_ok(ctx, st);
    ctl_list *b = read_bytes(ctx, "text", out, n, NULL, &st);
    assert_ok(ctx, st);
    char why[256];
    ck_assert_msg(ctl_list_equal(a, b, 1, why, sizeof why), "%s", why);
    free(out);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("reader");
    use_ctx_fixture(tc);
    tcase_add_test(tc, seed_reads_as_read_by_hand);
    tcase_add_test(tc, page_header_matched_exactly);
    tcase_add_test(tc, fused_category_and_answer);
    tcase_add_test(tc, missing_isms_column);
    tcase_add_test(tc, stray_header_word_warned);
    tcase_add_test(tc, text_past_last_column_kept);
    tcase_add_test(tc, detached_refs_go_to_last_window);
    tcase_add_test(tc, detached_refs_without_window_are_unplaced);
    tcase_add_test(tc, printed_refs_kept_as_printed);
    tcase_add_test(tc, unrecognised_line_warned_with_line_number);
    tcase_add_test(tc, no_control_rows_is_an_error);
    tcase_add_test(tc, line_ends_lf_crlf_cr);
    tcase_add_test(tc, form_feed_is_a_page_break);
    tcase_add_test(tc, no_header_row_uses_default_columns);
    tcase_add_test(tc, column_mapping_to_missing_header);
    tcase_add_test(tc, unknown_category_word_kept);
    tcase_add_test(tc, bad_isms_cell_kept_and_warned);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("writer");
    use_ctx_fixture(tw);
    tcase_add_test(tw, seed_round_trips_through_text_writer);
    tcase_add_test(tw, text_writer_joins_line_breaks_and_warns);
    tcase_add_test(tw, extra_columns_round_trip);
    suite_add_tcase(s, tw);
    return run_suite(s);
}
