/* CSV, TSV and JSON writers, and the in-memory list. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* A small list built by hand: a section and a control with awkward text. */
static ctl_list *sample_list(void)
{
    ctl_list *l = ctl_list_new();
    ck_assert(l != NULL);
    ctl_ctx *ctx = ctl_ctx_new();
    char *cols[] = {"項番", "対策項目", "備考"};
    ctl_meta m = {.title = "Title \"quoted\"", .note = "line 1\nline 2", .annex = "ANNEX2 対策一覧",
                  .columns = cols, .n_columns = 3};
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    char *refs[] = {"A.5.1.1", "A.5.1.2"};
    ctl_field extra[] = {{"備考", "x"}};
    ctl_item sec = {.id = "II.1", .label = "II. 1.", .level = 1, .title = "Section, with comma"};
    ctl_item ctl = {.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .isms = refs, .n_isms = 2,
                    .title = "say \"hi\"", .description = "・a\n・b", .category = CTL_CATEGORY_BASIC,
                    .answer = "=1+1\ttab", .extra = extra, .n_extra = 1};
    assert_ok(ctx, l->sink.item(&l->sink, ctx, &sec));
    assert_ok(ctx, l->sink.item(&l->sink, ctx, &ctl));
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    return l;
}

START_TEST(csv_quotes_what_needs_it)
{
    ctl_list *l = sample_list();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", l, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(out,
                     "id,level,isms,title,description,category,answer,備考\n"
                     "II.1,1,,\"Section, with comma\",,,,\n"
                     "II.1.1.1,3,A.5.1.1; A.5.1.2,\"say \"\"hi\"\"\",\"・a\n・b\",基本,=1+1\ttab,x\n");
    ck_assert(warnings_with(ctx, CTL_D_TITLE_DROPPED));
    free(out);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(csv_japanese_header_and_crlf)
{
    ctl_list *l = sample_list();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_options o;
    ctl_options_init(&o);
    o.header = CTL_HEADER_JA;
    o.crlf = 1;
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", l, &o, &n, &st);
    assert_ok(ctx, st);
    ck_assert(strncmp(out, "項番,階層,ISMS管理策,対策項目,対策内容,区分,公開回答,備考\r\n", strlen("項番,階層,ISMS管理策,対策項目,対策内容,区分,公開回答,備考\r\n")) == 0);
    /* the line break inside a quoted cell is kept as it is */
    ck_assert(strstr(out, "\"・a\n・b\"") != NULL);
    ck_assert(strstr(out, "x\r\n") != NULL);
    free(out);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(tsv_quotes_tabs)
{
    ctl_list *l = sample_list();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "tsv", l, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert(strstr(out, "\t\"=1+1\ttab\"\t") != NULL);
    ck_assert(strstr(out, "\tSection, with comma\t") != NULL);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_TITLE_DROPPED), 1);
    ck_assert(has_warning(ctx, "TSV has no place"));
    free(out);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(json_escapes_and_shape)
{
    ctl_list *l = sample_list();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "json", l, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);   /* JSON keeps everything */
    ck_assert(strstr(out, "\"title\": \"Title \\\"quoted\\\"\"") != NULL);
    ck_assert(strstr(out, "\"note\": \"line 1\\nline 2\"") != NULL);
    ck_assert(strstr(out, "\"isms\": [\"A.5.1.1\", \"A.5.1.2\"]") != NULL);
    ck_assert(strstr(out, "\"answer\": \"=1+1\\ttab\"") != NULL);
    ck_assert(strstr(out, "\"category\": \"basic\"") != NULL);
    ck_assert(strstr(out, "\"category\": null") != NULL);
    ck_assert(strstr(out, "\"extra\": [{\"name\": \"備考\", \"value\": \"x\"}]") != NULL);
    ck_assert(strstr(out, "\"unplaced_isms\": []") != NULL);
    ck_assert(out[n - 1] == '\n' && out[n - 2] == '}');
    free(out);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(json_control_characters)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_meta m = {.title = "a\x01" "b\\c"};
    ctl_item it = {.id = "II.1", .level = 1, .title = "t"};
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    assert_ok(ctx, l->sink.item(&l->sink, ctx, &it));
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "json", l, NULL, &n, &st);
    ck_assert(strstr(out, "\"title\": \"a\\u0001b\\\\c\"") != NULL);
    free(out);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

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

START_TEST(status_table)
{
    ck_assert_int_eq(ctl_status_exit_code(CTL_OK), 0);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EINPUT), 1);
    ck_assert_int_eq(ctl_status_exit_code(CTL_ELIMIT), 1);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EUSAGE), 2);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EIO), 3);
    ck_assert_int_eq(ctl_status_exit_code(CTL_ENOMEM), 4);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EINTERNAL), 4);
    ck_assert_str_eq(ctl_status_text(CTL_EIO), "input/output error");
    ctl_ctx *ctx = ctl_ctx_new();
    ck_assert_int_eq(ctl_fail(ctx, CTL_D_RAGGED_ROW, "f.txt", 7, "bad %d", 1), CTL_EINPUT);
    /* the first error is kept: later ones are consequences */
    ck_assert_int_eq(ctl_fail(ctx, CTL_D_IO_ERROR, "g", 1, "later"), CTL_EINPUT);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_RAGGED_ROW);
    ck_assert_str_eq(ctl_error_message(ctx), "bad 1");
    ck_assert_str_eq(ctl_error_file(ctx), "f.txt");
    ck_assert_int_eq(ctl_error_line(ctx), 7);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(formats_table)
{
    ck_assert_ptr_nonnull(ctl_format_by_name("TEXT"));
    ck_assert_ptr_null(ctl_format_by_name("docx"));
    ck_assert_str_eq(ctl_format_by_extension("dir.v2/list.CSV")->name, "csv");
    ck_assert_str_eq(ctl_format_by_extension("a.txt")->name, "text");
    ck_assert_str_eq(ctl_format_by_extension("a.tsv")->name, "tsv");
    ck_assert_ptr_null(ctl_format_by_extension("dir.v2/noext"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("writers");
    TCase *tc = tcase_create("writers");
    tcase_add_test(tc, csv_quotes_what_needs_it);
    tcase_add_test(tc, csv_japanese_header_and_crlf);
    tcase_add_test(tc, tsv_quotes_tabs);
    tcase_add_test(tc, json_escapes_and_shape);
    tcase_add_test(tc, json_control_characters);
    tcase_add_test(tc, list_equality_sees_every_field);
    tcase_add_test(tc, status_table);
    tcase_add_test(tc, formats_table);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
