/* SPDX-License-Identifier: BSD-2-Clause */
/* Which options a format honours is data on its descriptor
 * (ctl_format.options): an option a format does not declare changes nothing
 * it reads or writes, and one a writer declares changes what it writes. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A list with what the writer options act on: a character CP932 lacks
 * (U+301C), cells a spreadsheet would run, a header row. */
static const char list_csv[] =
    "項番,対策項目,対策内容,区分,公開回答\n"
    "II. 1.,〜 section,,,\n"
    "II. 1. 1.,sub,,,\n"
    "II. 1. 1. 1,control,=1+1,基本,@x\n";

/* One writer option: what it sets, on top of what it needs (base). */
typedef struct {
    unsigned flag;
    void (*base)(ctl_options *o);
    void (*set)(ctl_options *o);
} write_option;

static void none(ctl_options *o) { (void)o; }
static void cp932(ctl_options *o) { o->out_encoding = CTL_OUT_CP932; }
static void header_ja(ctl_options *o) { o->header = CTL_HEADER_JA; }
static void bom(ctl_options *o) { o->out_encoding = CTL_OUT_UTF8_BOM; }
static void substitute(ctl_options *o) { o->substitute = 1; }
static void excel_safe(ctl_options *o) { o->excel_safe = 1; }
static void crlf(ctl_options *o) { o->crlf = 1; }

static const write_option write_options[] = {
    {CTL_WRITES_HEADER_LANG, none, header_ja},
    {CTL_WRITES_ENCODING, none, bom},
    {CTL_WRITES_SUBSTITUTE, cp932, substitute},
    {CTL_WRITES_EXCEL_SAFE, none, excel_safe},
    {CTL_WRITES_CRLF, none, crlf},
};

START_TEST(write_options_change_what_they_declare)
{
    ctl_status st;
    list = read_string(ctx, "csv", list_csv, &st);
    assert_ok(ctx, st);
    const ctl_format *const *all = ctl_formats();
    for (size_t i = 0; all[i]; i++) {
        if (!all[i]->writer) continue;
        for (size_t k = 0; k < sizeof write_options / sizeof *write_options; k++) {
            const write_option *w = &write_options[k];
            ctl_options a, b;
            ctl_options_init(&a);
            w->base(&a);
            b = a;
            w->set(&b);
            size_t na, nb;
            ctl_status sa, sb;
            char *ba = write_list(ctx, all[i]->name, list, &a, &na, &sa);
            char *bb = write_list(ctx, all[i]->name, list, &b, &nb, &sb);
            int same = sa == sb && na == nb && !memcmp(ba, bb, na);
            if (all[i]->options & w->flag)
                ck_assert_msg(!same, "%s declares option %#x, which changes nothing", all[i]->name, w->flag);
            else
                ck_assert_msg(same, "%s does not declare option %#x, which changes what it writes",
                              all[i]->name, w->flag);
            free(ba);
            free(bb);
            ctl_error_clear(ctx);
        }
    }
}
END_TEST

/* One reader option, set to a value that would change a reader that
 * honours it. */
static const ctl_column_map title_is_answer[] = {{CTL_FIELD_TITLE, "公開回答"}};
static void enc_eucjp(ctl_options *o) { o->encoding = "EUC-JP-MS"; }
static void delim_semicolon(ctl_options *o) { o->delimiter = ';'; }
static void columns(ctl_options *o) { o->columns = title_is_answer; o->n_columns = 1; }
static void sheet2(ctl_options *o) { o->sheet = "2"; }

static const struct {
    unsigned flag;
    void (*set)(ctl_options *o);
} read_options[] = {
    {CTL_READS_ENCODING, enc_eucjp},
    {CTL_READS_DELIMITER, delim_semicolon},
    {CTL_READS_COLUMNS, columns},
    {CTL_READS_SHEET, sheet2},
};

START_TEST(read_options_undeclared_change_nothing)
{
    ctl_list *seed = read_seed(ctx);
    const ctl_format *const *all = ctl_formats();
    for (size_t i = 0; all[i]; i++) {
        if (!all[i]->read || !all[i]->writer) continue;
        size_t n;
        ctl_status st;
        char *bytes = write_list(ctx, all[i]->name, seed, NULL, &n, &st);
        assert_ok(ctx, st);
        ctl_list *plain = read_bytes(ctx, all[i]->name, bytes, n, NULL, &st);
        assert_ok_msg(ctx, st, "%s", all[i]->name);
        for (size_t k = 0; k < sizeof read_options / sizeof *read_options; k++) {
            if (all[i]->options & read_options[k].flag) continue;
            ctl_options o;
            ctl_options_init(&o);
            read_options[k].set(&o);
            ctl_list *got = read_bytes(ctx, all[i]->name, bytes, n, &o, &st);
            char why[256] = "";
            ck_assert_msg(st == CTL_OK, "%s with option %#x: %s", all[i]->name, read_options[k].flag,
                          ctl_error_message(ctx));
            ck_assert_msg(ctl_list_equal(plain, got, 1, why, sizeof why),
                          "%s does not declare option %#x, which changes what it reads: %s", all[i]->name,
                          read_options[k].flag, why);
            ctl_list_free(got);
        }
        ctl_list_free(plain);
        free(bytes);
    }
    ctl_list_free(seed);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("format_options");
    TCase *t = tcase_create("options");
    use_ctx_fixture(t);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, write_options_change_what_they_declare);
    tcase_add_test(t, read_options_undeclared_change_nothing);
    suite_add_tcase(s, t);
    return run_suite(s);
}
