/* SPDX-License-Identifier: BSD-2-Clause */
/* The Markdown format: GitHub documents read (several tables under
 * headings, heading items, escaped pipes, markup dropped, links, <br>),
 * detection by content, and the writer's escaping read back exactly. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static ctl_list *read_md(const char *s, const ctl_options *o, ctl_status *st)
{
    return read_bytes(ctx, "markdown", s, strlen(s), o, st);
}

static const ctl_item *item(const ctl_list *l, size_t i)
{
    ck_assert_msg(i < l->n_items, "item %zu of %zu", i + 1, l->n_items);
    return &l->items[i];
}

static void expect_item(const ctl_list *l, size_t i, const char *id, int level, const char *parent,
                        const char *title)
{
    const ctl_item *it = item(l, i);
    ck_assert_str_eq(it->id, id);
    ck_assert_int_eq(it->level, level);
    ck_assert_str_eq(it->parent, parent);
    ck_assert_str_eq(it->title, title);
}

static const char *extra(const ctl_item *it, const char *name)
{
    for (size_t k = 0; k < it->n_extra; k++)
        if (!strcmp(it->extra[k].name, name)) return it->extra[k].value;
    ck_abort_msg("%s: no extra column %s", it->id, name);
    return NULL;
}

/* ------------------------------------------------------------- reader */

/* A statement of applicability as GitHub documents write them. */
static const char soa[] =
    "# Statement of Applicability\n"
    "\n"
    "Controls of ISO/IEC 27001:2022 Annex A\n"
    "and how we apply them.\n"
    "\n"
    "[iso]: https://www.iso.org/standard/27001\n"
    "\n"
    "## Document control\n"
    "\n"
    "| Version | Date |\n"
    "|---|---|\n"
    "| 1.0 | 2024-04-01 |\n"
    "\n"
    "## A.5 Organizational controls\n"
    "\n"
    "Prose under a heading is not read.\n"
    "\n"
    "| Control ID | Control name | Control text | Applicable |\n"
    "|:-----------|:-------------|:------------:|-----------:|\n"
    "| A.5.1 | **Policies** for *information* security | See [the policy](https://x.invalid/p \"t\") | Yes |\n"
    "| A.5.2 | Roles \\| responsibilities | one<br>two<br/>three | ~~No~~ Yes |\n"
    "\n"
    "```\n"
    "| A.9.9 | in a fence | is code | no |\n"
    "|---|---|---|---|\n"
    "```\n"
    "\n"
    "## A.6 People controls\n"
    "\n"
    "Control ID | Control name | Control text | Applicable\n"
    "--- | --- | --- | ---\n"
    "A.6.1 | Screening | `snake_case` and snake_case_name | [Yes][iso]\n";

START_TEST(two_tables_under_headings)
{
    ctl_status st;
    list = read_md(soa, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->meta.title, "Statement of Applicability");
    ck_assert_str_eq(list->meta.note, "Controls of ISO/IEC 27001:2022 Annex A\nand how we apply them.");
    ck_assert_str_eq(list->meta.annex, "");   /* the heading above the table is an item */
    ck_assert_uint_eq(list->n_items, 5);
    expect_item(list, 0, "A.5", 1, "", "Organizational controls");
    expect_item(list, 1, "A.5.1", 2, "A.5", "Policies for information security");
    expect_item(list, 2, "A.5.2", 2, "A.5", "Roles | responsibilities");
    expect_item(list, 3, "A.6", 1, "", "People controls");
    expect_item(list, 4, "A.6.1", 2, "A.6", "Screening");
    ck_assert_str_eq(item(list, 1)->description, "See the policy");
    ck_assert_str_eq(extra(item(list, 1), "Applicable"), "Yes");
    ck_assert_str_eq(item(list, 2)->description, "one\ntwo\nthree");
    ck_assert_str_eq(extra(item(list, 2), "Applicable"), "No Yes");
    ck_assert_str_eq(item(list, 4)->description, "snake_case and snake_case_name");
    ck_assert_str_eq(extra(item(list, 4), "Applicable"), "Yes");
    ck_assert_int_eq(item(list, 1)->pos.line, 20);
    /* the document-control table is said to be skipped */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_LINE_SKIPPED), 1);
}
END_TEST

START_TEST(nist_ids_and_an_annex_heading)
{
    const char *in = "Access Control\n"
                     "==============\n"
                     "\n"
                     "## Controls of the moderate baseline\n"
                     "\n"
                     "| Control Identifier | Name | Statement |\n"
                     "| --- | --- | --- |\n"
                     "| AC-1 | Policy and Procedures | a |\n"
                     "| AC-2 | Account Management | b |\n"
                     "| AC-2(1) | Automated System Account Management | c |\n"
                     "| AC-3 | Access Enforcement | d |\n";
    ctl_status st;
    list = read_md(in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->meta.title, "Access Control");   /* a setext heading */
    ck_assert_str_eq(list->meta.annex, "Controls of the moderate baseline");
    ck_assert_uint_eq(list->n_items, 4);
    expect_item(list, 0, "AC-1", 1, "", "Policy and Procedures");
    expect_item(list, 2, "AC-2(1)", 2, "AC-2", "Automated System Account Management");
    expect_item(list, 3, "AC-3", 1, "", "Access Enforcement");
}
END_TEST

START_TEST(heading_over_rows_without_ids)
{
    /* K-ISMS-P's shape: requirement rows without a number under a
     * numbered heading; heading levels say nothing, ids do */
    const char *in = "# 관리체계\n"
                     "\n"
                     "## 1.1 **관리체계 기반 마련**\n"
                     "\n"
                     "| No. | 항목 title | title | description |\n"
                     "|---|---|---|---|\n"
                     "|  | x | 경영진의 참여 | 최고경영자는... |\n"
                     "|  | y | 최고책임자의 지정 | 최고경영자는... |\n"
                     "| 1.1.3 | z | 조직 구성 | ... |\n";
    ctl_status st;
    list = read_md(in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 4);
    expect_item(list, 0, "1.1", 1, "", "관리체계 기반 마련");
    expect_item(list, 1, "1.1#1", 2, "1.1", "경영진의 참여");
    expect_item(list, 2, "1.1#2", 2, "1.1", "최고책임자의 지정");
    expect_item(list, 3, "1.1.3", 2, "1.1", "조직 구성");
}
END_TEST

START_TEST(escaped_pipes_and_backslashes)
{
    const char *in = "| id | title | description | answer | note |\n"
                     "|----|-------|-------------|--------|------|\n"
                     "| II.1 | a \\| b | c \\\\| d | `x \\| y` |\n";
    ctl_status st;
    list = read_md(in, NULL, &st);
    assert_ok(ctx, st);
    const ctl_item *it = item(list, 0);
    ck_assert_str_eq(it->title, "a | b");
    /* "\\" is an escaped backslash, so its pipe separates (cmark-gfm) */
    ck_assert_str_eq(it->description, "c \\");
    ck_assert_str_eq(it->answer, "d");
    ck_assert_uint_eq(it->n_extra, 1);
    ck_assert_str_eq(it->extra[0].value, "x | y");   /* inside a code span too */
}
END_TEST

START_TEST(markup_dropped_text_kept)
{
    static const struct {
        const char *cell, *want;
    } cases[] = {
        {"**bold** and __strong__", "bold and strong"},
        {"*em* _em_ ***both***", "em em both"},
        {"~~gone~~ ~one~", "gone one"},
        {"`code` and ``a ` b``", "code and a ` b"},
        {"[text](https://x.invalid/a(b)c \"title\")", "text"},
        {"![alt text](img.png)", "alt text"},
        {"[**bold link**](<u v>)", "bold link"},
        {"<https://x.invalid/?a=b> and <a@b.example>", "https://x.invalid/?a=b and a@b.example"},
        {"a<br>b<BR/>c<br />d", "a\nb\nc\nd"},
        {"<span class=\"x\">kept</span><!-- gone -->", "kept"},
        {"&amp; &lt;b&gt; &#12354; &#x3042; &copy; &bogus;", "& <b> あ あ © &bogus;"},
        {"\\*not em\\* \\_x\\_ \\[x\\] \\\\ \\a", "*not em* _x_ [x] \\ \\a"},
        {"snake_case_name 2*3*4 a * b", "snake_case_name 234 a * b"},
        {"[not a link] [x]() ]", "[not a link] x ]"},
        {"*unclosed **and `tick", "*unclosed **and `tick"},
        {"**「重要」**です", "**「重要」**です"},   /* as GitHub: not emphasis */
        {"**重要**です", "重要です"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char in[512];
        snprintf(in, sizeof in, "| id | title | description |\n|---|---|---|\n| II.1 | t | %s |\n", cases[i].cell);
        ctl_ctx *c = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_bytes(c, "markdown", in, strlen(in), NULL, &st);
        assert_ok_msg(c, st, "%s", cases[i].cell);
        ck_assert_msg(!strcmp(item(l, 0)->description, cases[i].want), "%s: '%s', want '%s'", cases[i].cell,
                      item(l, 0)->description, cases[i].want);
        ctl_list_free(l);
        ctl_ctx_free(c);
    }
}
END_TEST

START_TEST(rows_end_as_gfm_says)
{
    /* a line without a pipe right under a table: GitHub shows it as a
     * row; here it is prose (even one that would parse as an id), warned */
    const char *in = "| id | title | description |\n|---|---|---|\n| II.1 | t | d |\nA.5.1 applies too.\n";
    ctl_status st;
    list = read_md(in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 1);
    ck_assert(has_warning(ctx, "a line without a pipe right under a table"));
    ctl_list_free(list);
    list = NULL;
    /* a blank line, a heading, a list or a quote ends the table */
    const char *ends = "| id | title | description |\n|---|---|---|\n| II.1 | t | d |\n- a list | x\n"
                       "| II.2 | t | d |\n";
    ctl_ctx_free(ctx);
    ctx = ctl_ctx_new();
    list = read_md(ends, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 1);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_LINE_SKIPPED), 1);   /* the stray row */
    ck_assert(has_warning(ctx, "outside any table"));
    /* a row whose id cell is prose is an error, not a guess */
    ctl_list_free(list);
    list = NULL;
    assert_refused("markdown", "| id | title | description |\n|---|---|---|\n| Note: see | t | d |\n", "bad-row",
                   "is no identifier");
}
END_TEST

START_TEST(refusals)
{
    assert_refused("markdown", "# Title\n\nNo table here | at all.\n", "no-header", "no pipe table");
    assert_refused("markdown", "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n", "no-header", "no pipe table");
    assert_refused("markdown",
                   "| id | title | description |\n|---|---|---|\n| II.1 | t | d |\n\n"
                   "| id | title | answer |\n|---|---|---|\n| II.2 | t | a |\n",
                   "ragged-row", "the tables of a document are read as one list");
    assert_refused("markdown", "| id | title | description |\n|---|---|---|\n| II.1 | t | d | extra |\n",
                   "ragged-row", "field 4 holds text");
    /* marks past 100,000 in one cell: refused, not followed */
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "| id | title | description |\n|---|---|---|\n| II.1 | t | "));
    for (int i = 0; i < 100001; i++) ck_assert(ctl_buf_adds(&b, "[*"));
    ck_assert(ctl_buf_adds(&b, " |\n"));
    assert_refused("markdown", b.data, "fixed-limit", "more than 100000 marks of emphasis, links or images");
    ctl_buf_free(&b);
}
END_TEST

START_TEST(column_mappings_apply)
{
    static const ctl_column_map maps[] = {{CTL_FIELD_ID, "Ctl"}, {CTL_FIELD_TITLE, "What"},
                                          {CTL_FIELD_DESCRIPTION, "How"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = maps;
    o.n_columns = 3;
    ctl_status st;
    list = read_md("| Ctl | What | How |\n|---|---|---|\n| 9.2.3.11.PB | w | h |\n", &o, &st);
    assert_ok(ctx, st);
    expect_item(list, 0, "9.2.3.11.PB", 1, "", "w");
}
END_TEST

/* --------------------------------------------------------- detection */

static const char *detected(const char *name, const char *s)
{
    ctl_ctx *c = ctl_ctx_new();
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *f = NULL;
    ctl_status st = ctl_detect_format(c, name, (const unsigned char *)s, strlen(s), &o, &f);
    ctl_ctx_free(c);
    return st == CTL_OK && f ? f->name : "none";
}

START_TEST(detected_by_content)
{
    ck_assert_str_eq(detected("-", soa), "markdown");
    ck_assert_str_eq(detected("soa.txt", soa), "markdown");
    ck_assert_str_eq(detected("-", "<div align=\"center\">\n\n| id | title | x |\n|:-:|--|--|\n| 1 | a | b |\n"),
                     "markdown");
    /* a table only inside a fence or a comment is no claim */
    ck_assert_str_eq(detected("-", "```\n| a | b |\n|---|---|\n```\n"), "none");
    ck_assert_str_ne(detected("-", "<!--\n| a | b |\n|---|---|\n-->\n"), "markdown");
    /* CSV and TSV stay theirs, pipes in cells or not */
    ck_assert_str_eq(detected("-", "id,title,description\nII.1,a | b,\"|---|---|\"\n"), "csv");
    ck_assert_str_eq(detected("-", "id\ttitle\tdescription\nII.1\t| a |\t|---|\n"), "tsv");
    const ctl_format *md = ctl_format_by_name("markdown");
    ck_assert_int_eq(md->probe("a | b\n--|--\n", 12), 60);
    ck_assert_int_eq(md->probe("a\n---\n", 6), 0);   /* a setext heading */
    ck_assert_int_eq(md->probe("| a | b |\n|---|\n", 16), 10);   /* cells differ: rows only */
    ck_assert_int_eq(md->probe("# a\n\nb | c\n", 11), 0);
    ck_assert_str_eq(ctl_format_by_extension("SoA.MD")->name, "markdown");
    ck_assert_str_eq(ctl_format_by_extension("soa.markdown")->name, "markdown");
}
END_TEST

/* --------------------------------------------------------- the writer */

START_TEST(writer_output)
{
    char *cols[] = {"項番", "備考"};
    ctl_meta m = {.title = "Title # 1", .note = "- a note\nline 2", .annex = "ANNEX2 対策一覧",
                  .columns = cols, .n_columns = 2};
    ctl_ref refs[] = {{"iso27001-2013", "A.5.1.1"}};
    ctl_field ex[] = {{"備考", "x|y"}};
    ctl_item items[] = {
        {.id = "II.1", .level = 1, .parent = "", .title = "Sec", .extra = ex, .n_extra = 1},
        {.id = "II.1.1.1", .level = 2, .parent = "II.1", .refs = refs, .n_refs = 1, .title = "*t*",
         .description = " a\nb ", .category = CTL_CATEGORY_BASIC},
    };
    m.ref_scheme = "iso27001-2013";
    list = list_of(&m, items, 2);
    size_t n;
    ctl_status st;
    char *out = write_list(ctx, "markdown", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(out, "# Title \\# 1\n"
                          "\n"
                          "\\- a note<br>line 2\n"
                          "\n"
                          "## ANNEX2 対策一覧\n"
                          "\n"
                          "| id | level | parent | isms | title | description | category | answer | 備考 |\n"
                          "|---|---|---|---|---|---|---|---|---|\n"
                          "| II.1 | 1 |  |  | Sec |  |  |  | x\\|y |\n"
                          "| II.1.1.1 | 2 | II.1 | A.5.1.1 | \\*t\\* | &#32;a<br>b&#32; | 基本 |  |  |\n");
    free(out);
}
END_TEST

/* Cells a Markdown reader would take for markup, read back exactly. */
static const char *const hostile[] = {
    "a | b || c |",
    "back\\slash \\| \\\\| and a trailing \\",
    "**not bold** *nor em* ***x*** 2*3*4",
    "_under_ __score__ snake_case_name _",
    "`tick` ``two`` ```",
    "[link](https://x.invalid) [ref][r] [x] ![img](a.png) ]",
    "  leading and trailing  ",
    "\ttabs\t",
    " ",
    "line\nbreak\r\nand\rcr",
    "<br> <b>bold</b> <!-- c --> <https://x.invalid> <a@b.c>",
    "&amp; &#32; &#x41; &copy; & a&b A&A-01",
    "~~strike~~ ~x~ ~~~",
    "# not a heading #",
    "日本語の「対策」｜全角パイプ　全角空白　",
    "\x01\x02\x0b\x0c\x1f\x7f control",
    "- item\n1. item\n> quote\n---",
    "\\",
    "",
};

START_TEST(writer_reader_round_trip)
{
    size_t n = sizeof hostile / sizeof *hostile;
    ctl_item *items = calloc(n, sizeof *items);
    ctl_field *ex = calloc(n, sizeof *ex);
    char (*ids)[16] = calloc(n, sizeof *ids);
    char *cols[] = {"項番", "a|b *c*"};
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "II.1.%zu", i + 1);
        ex[i] = (ctl_field){"a|b *c*", (char *)hostile[(i + 3) % n]};
        items[i] = (ctl_item){.id = ids[i], .level = 1, .parent = "", .title = (char *)hostile[i],
                              .description = (char *)hostile[(i + 1) % n], .answer = (char *)hostile[(i + 2) % n],
                              .category_text = "IG1", .extra = &ex[i], .n_extra = 1};
    }
    for (size_t t = 0; t < n; t++) {
        /* each hostile text as the title, the note and the annex too */
        ctl_meta m = {.title = (char *)hostile[t], .note = (char *)hostile[(t + 1) % n],
                      .annex = (char *)hostile[(t + 2) % n], .columns = cols, .n_columns = 2};
        ctl_list *l = list_of(&m, items, n);
        size_t len;
        ctl_status st;
        char *out = write_list(ctx, "markdown", l, NULL, &len, &st);
        assert_ok(ctx, st);
        ctl_list *back = read_bytes(ctx, "markdown", out, len, NULL, &st);
        assert_ok_msg(ctx, st, "meta %zu:\n%s", t, out);
        char why[256];
        ck_assert_msg(ctl_list_equal(l, back, 0, why, sizeof why), "meta %zu: %s\n%s", t, why, out);
        /* rewriting gives the same bytes */
        size_t len2;
        char *again = write_list(ctx, "markdown", back, NULL, &len2, &st);
        ck_assert(len2 == len && !memcmp(again, out, len));
        free(again);
        free(out);
        ctl_list_free(back);
        ctl_list_free(l);
    }
    free(items);
    free(ex);
    free(ids);
}
END_TEST

START_TEST(annex_that_looks_like_a_heading_item)
{
    /* "A.5 ..." over A.5.1 would read back as an item: written with its
     * first character as a reference, it stays the annex */
    ctl_meta m = {.title = "", .note = "", .annex = "A.5 Organizational controls"};
    ctl_item items[] = {{.id = "A.5.1", .level = 1, .parent = "", .title = "Policies"}};
    list = list_of(&m, items, 1);
    size_t len;
    ctl_status st;
    char *out = write_list(ctx, "markdown", list, NULL, &len, &st);
    assert_ok(ctx, st);
    ck_assert_msg(strstr(out, "## &#65;.5 Organizational controls\n") != NULL, "%s", out);
    ctl_list *back = read_bytes(ctx, "markdown", out, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(back->meta.annex, "A.5 Organizational controls");
    ck_assert_uint_eq(back->n_items, 1);
    ctl_list_free(back);
    free(out);
}
END_TEST

START_TEST(seed_round_trip)
{
    list = read_seed(ctx);
    size_t len;
    ctl_status st;
    char *out = write_list(ctx, "markdown", list, NULL, &len, &st);
    assert_ok(ctx, st);
    ctl_list *back = read_bytes(ctx, "markdown", out, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(back->n_items, 160);
    char why[256];
    ck_assert_msg(ctl_list_equal(list, back, 0, why, sizeof why), "%s", why);
    ctl_list_free(back);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("markdown");
    TCase *r = tcase_create("reader");
    use_ctx_fixture(r);
    tcase_add_test(r, two_tables_under_headings);
    tcase_add_test(r, nist_ids_and_an_annex_heading);
    tcase_add_test(r, heading_over_rows_without_ids);
    tcase_add_test(r, escaped_pipes_and_backslashes);
    tcase_add_test(r, markup_dropped_text_kept);
    tcase_add_test(r, rows_end_as_gfm_says);
    tcase_add_test(r, refusals);
    tcase_add_test(r, column_mappings_apply);
    tcase_add_test(r, detected_by_content);
    suite_add_tcase(s, r);
    TCase *w = tcase_create("writer");
    use_ctx_fixture(w);
    tcase_add_test(w, writer_output);
    tcase_add_test(w, writer_reader_round_trip);
    tcase_add_test(w, annex_that_looks_like_a_heading_item);
    tcase_add_test(w, seed_round_trip);
    suite_add_tcase(s, w);
    return run_suite(s);
}
