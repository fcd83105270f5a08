/* SPDX-License-Identifier: BSD-2-Clause */
/* Codes that are no identifiers ("2.1.1(1)-1 a)", "core"): one rule,
 * ctl_is_code(), for every reader; the table writers (CSV, TSV, XLSX,
 * Markdown) write a generated id's code in the id column, the reader
 * makes the same id again, and a label the id column cannot carry is
 * warned once with a count (label-rewritten). */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

START_TEST(the_rule)
{
    static const char *const codes[] = {
        "2.1.1(1)-1 a)", "2.1.1(1)(a)(ア)", "2.1.1(1)-1 基本", "2.1.1(1)-1_また", "6.4.3(1)-1　基本",
        "core", "annex-a", "x_y.z", "第3部", "123456789012345678901234567890 x",
    };
    static const char *const others[] = {
        "", "A.5.1", "II. 1. 1", "AC-2(1)", "2.1.1#3", "x", "Core", "see the note below", "Note: see",
        "none", "true", "nan", "siehe oben", "step 2 of 3", " 1 a)", "1 a) ", "=1+1", "+1", "-1 a)", "@3",
        "1\ta", "1\na", "1  a", "core-", "core--x", "-core", "annex a", "1234567890123456789012345678901 xy",
        "\xff" "1", "1\x7f",
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        ck_assert_msg(ctl_is_code(codes[i], strlen(codes[i])), "'%s' is a code", codes[i]);
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        ck_assert_msg(!ctl_is_code(others[i], strlen(others[i])), "'%s' is no code", others[i]);
}
END_TEST

/* Reads in (format by name), which must succeed, into list. */
static void read_ok(const char *format, const char *in)
{
    ctl_status st;
    list = read_bytes(ctx, format, in, strlen(in), NULL, &st);
    assert_ok(ctx, st);
}

/* Every reader keeps a code as the label of a generated id, and refuses
 * prose: tables, JSON records and outlines, Markdown tables. */
START_TEST(every_reader_keeps_codes)
{
    static const char *const cases[][2] = {
        {"csv", "id,title,description\n2.1.1,t,d\n2.1.1(1)-1 a),c,d\ncore,k,d\n"},
        {"tsv", "id\ttitle\tdescription\n2.1.1\tt\td\n2.1.1(1)-1 a)\tc\td\ncore\tk\td\n"},
        {"json", "[{\"id\": \"2.1.1\", \"title\": \"t\"}, {\"id\": \"2.1.1(1)-1 a)\", \"title\": \"c\"},"
                 " {\"id\": \"core\", \"title\": \"k\"}]"},
        {"json", "[{\"id\": \"2.1.1\", \"title\": \"t\", \"items\": [{\"id\": \"2.1.1(1)-1 a)\", \"title\": \"c\"},"
                 " {\"id\": \"core\", \"title\": \"k\"}]}]"},
        {"markdown", "| id | title | description |\n|---|---|---|\n| 2.1.1 | t | d |\n| 2.1.1(1)-1 a) | c | d |\n"
                     "| core | k | d |\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        read_ok(cases[i][0], cases[i][1]);
        ck_assert_msg(list->n_items == 3, "%s: %zu items", cases[i][0], list->n_items);
        ck_assert_str_eq(list->items[1].id, "2.1.1#1");
        ck_assert_str_eq(list->items[1].label, "2.1.1(1)-1 a)");
        ck_assert_str_eq(list->items[2].id, "2.1.1#2");
        ck_assert_str_eq(list->items[2].label, "core");
        ctl_list_free(list);
        list = NULL;
    }
    assert_refused("csv", "id,title,description\n2.1.1,t,d\nsee the note below,c,d\n", "bad-row", "'see the note below'");
    assert_refused("json", "[{\"id\": \"2.1.1\", \"kids\": [{\"id\": \"see the note below\"}]}]", "bad-row",
                   "'see the note below'");
}
END_TEST

/* A row whose id is a generated one counts among its parent's ranks: the
 * rows without an id after it are numbered after it. */
START_TEST(written_generated_ids_count)
{
    read_ok("csv", "id,title,description\nA.5,t,x\nA.5#1,u,x\n5.1 a),c,x\n,d,x\n");
    ck_assert_str_eq(list->items[2].id, "A.5#2");
    ck_assert_str_eq(list->items[2].label, "5.1 a)");
    ck_assert_str_eq(list->items[3].id, "A.5#3");
}
END_TEST

/* A list with generated ids: codes, one without a label, one at the top,
 * a rank that is not the next (written as the id), a label that is no
 * code nor a printed form of the id, MIC numbers as printed. */
static ctl_list *coded(void)
{
    ctl_meta m = {0};
    ctl_item items[] = {
        {.id = "II.1", .label = "II. 1."},
        {.id = "A.5", .label = "A.5", .title = "t"},
        {.label = "5.1 a)", .title = "c"},
        {.title = "u"},
        {.label = "5.1 b)", .title = "d"},
        {.id = "A.6", .label = "Policies", .title = "p"},
        {.id = "A.6.1", .label = "A. 6. 1", .title = "q"},
        {.id = "A.6.1#3", .label = "6.1 c)", .parent = "A.6.1", .title = "gap"},
    };
    return list_of(&m, items, sizeof items / sizeof *items);
}

/* The list written with format and read back, its labels compared with
 * the source's: *lost those that differ; the writer's warnings. */
static ctl_list *through(const ctl_list *src, const char *format, char **out, size_t *warned)
{
    ctl_ctx *wctx = ctl_ctx_new();
    ctl_status st;
    size_t n;
    *out = write_list(wctx, format, src, NULL, &n, &st);
    assert_ok(wctx, st);
    *warned = ctl_warning_count_of(wctx, CTL_D_LABEL_REWRITTEN);
    ck_assert(*warned <= 1);
    ctl_list *back = read_bytes(ctx, format, *out, n, NULL, &st);
    assert_ok(ctx, st);
    ctl_ctx_free(wctx);
    return back;
}

START_TEST(table_writers_keep_codes)
{
    ctl_list *src = coded();
    ck_assert_str_eq(src->items[2].id, "A.5#1");
    ck_assert_str_eq(src->items[3].id, "A.5#2");
    ck_assert_str_eq(src->items[4].id, "A.5#3");
    static const char *const formats[] = {"csv", "tsv", "markdown", "xlsx"};
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        char *out;
        size_t warned;
        ctl_list *back = through(src, formats[f], &out, &warned);
        int xlsx = !strcmp(formats[f], "xlsx");
        ck_assert_uint_eq(back->n_items, src->n_items);
        for (size_t i = 0; i < src->n_items; i++) {
            const ctl_item *a = &src->items[i], *b = &back->items[i];
            ck_assert_msg(!strcmp(a->id, b->id), "%s: id %s came back %s", formats[f], a->id, b->id);
            ck_assert_str_eq(a->parent, b->parent);
            /* codes come back everywhere; printed labels from XLSX */
            int code = ctl_is_code(a->label, strlen(a->label)) && strcmp(a->id, "A.6.1#3");
            if (code || (xlsx && i != 5 && i != 7))
                ck_assert_msg(!strcmp(a->label, b->label), "%s: label '%s' came back '%s'", formats[f], a->label,
                              b->label);
        }
        if (!xlsx) {
            /* the id cells: the codes, the ids of the rest */
            ck_assert_ptr_nonnull(strstr(out, "5.1 a)"));
            ck_assert_ptr_nonnull(strstr(out, "5.1 b)"));
            ck_assert_ptr_nonnull(strstr(out, "A.5#2"));
            ck_assert_ptr_null(strstr(out, "A.5#1"));
            ck_assert_ptr_nonnull(strstr(out, "A.6.1#3"));
            ck_assert_ptr_null(strstr(out, "Policies"));
        }
        /* one warning for "Policies" and the code of the id that is no next rank */
        ck_assert_uint_eq(warned, 1);
        ctl_list_free(back);
        free(out);
    }
    ctl_list_free(src);
}
END_TEST

/* The warning counts the labels and names the first. */
START_TEST(labels_lost_are_counted)
{
    ctl_list *src = coded();
    ctl_ctx *wctx = ctl_ctx_new();
    ctl_status st;
    size_t n;
    char *out = write_list(wctx, "csv", src, NULL, &n, &st);
    assert_ok(wctx, st);
    ck_assert_uint_eq(ctl_warning_count(wctx), 1);
    const char *msg = ctl_warning_message(wctx, 0);
    ck_assert_msg(strstr(msg, "2 label(s)") && strstr(msg, "'Policies' of A.6"), "%s", msg);
    free(out);
    ctl_ctx_free(wctx);
    ctl_list_free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("id_cells");
    TCase *tc = tcase_create("codes");
    use_ctx_fixture(tc);
    tcase_add_test(tc, the_rule);
    tcase_add_test(tc, every_reader_keeps_codes);
    tcase_add_test(tc, written_generated_ids_count);
    tcase_add_test(tc, table_writers_keep_codes);
    tcase_add_test(tc, labels_lost_are_counted);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
