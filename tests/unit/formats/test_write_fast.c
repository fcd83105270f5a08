/* SPDX-License-Identifier: BSD-2-Clause */
/* The writers' scans of issue 14, eight bytes at a time: where a CSV cell
 * needs quotes (ctl_csv_quote) and where a JSON string needs an escape,
 * with the byte in question at every place of a cell. */
#include "support.h"
#include "internal.h"
#include "../../../formats/csv_records.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A cell: before bytes of filler, c, then after bytes of filler. */
static void cell(char *out, const char *filler, size_t before, const char *c, size_t after)
{
    out[0] = '\0';
    for (size_t k = 0; k < before; k++) strcat(out, filler);
    strcat(out, c);
    for (size_t k = 0; k < after; k++) strcat(out, filler);
}

START_TEST(csv_quote_anywhere)
{
    static const char *const special[] = {",", "\"", "\r", "\n"};
    static const char *const plain[] = {";", "'", "\t", "\x0b", "、", "\xC2\xA0"};
    ctl_buf out = {0};
    char s[256];
    for (size_t before = 0; before < 20; before++)
        for (size_t after = 0; after < 20; after++) {
            for (size_t k = 0; k < sizeof special / sizeof *special; k++) {
                cell(s, before % 2 ? "a" : "表", before, special[k], after);
                out.len = 0;
                ck_assert(ctl_csv_quote(&out, s, strlen(s), ','));
                ck_assert_msg(out.len >= 2 && out.data[0] == '"' && out.data[out.len - 1] == '"',
                              "'%s' not quoted", s);
            }
            for (size_t k = 0; k < sizeof plain / sizeof *plain; k++) {
                cell(s, "a", before, plain[k], after);
                out.len = 0;
                ck_assert(ctl_csv_quote(&out, s, strlen(s), ','));
                ck_assert_str_eq(out.data, s);
            }
            /* TSV: the tab is the delimiter, the comma is not */
            cell(s, "a", before, "\t", after);
            out.len = 0;
            ck_assert(ctl_csv_quote(&out, s, strlen(s), '\t'));
            ck_assert(out.data[0] == '"');
            cell(s, "a", before, ",", after);
            out.len = 0;
            ck_assert(ctl_csv_quote(&out, s, strlen(s), '\t'));
            ck_assert_str_eq(out.data, s);
        }
    ctl_buf_free(&out);
}
END_TEST

START_TEST(json_escape_anywhere)
{
    static const char *const special[] = {"\"", "\\", "\n", "\r", "\t", "\x01", "\x1f", "\x7f", "\xE3\x80\x9C", " "};
    for (size_t k = 0; k < sizeof special / sizeof *special; k++)
        for (size_t before = 0; before < 20; before++) {
            char title[256], desc[256];
            cell(title, "a", before, special[k], 19 - before);
            cell(desc, "日", before, special[k], before);
            ctl_meta m = {.ref_scheme = "iso27001-2013"};
            ctl_item it = {.id = "II.1", .level = 1, .title = title, .description = desc};
            ctl_list *l = list_of(&m, &it, 1);
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_status st;
            size_t n;
            char *out = write_list(ctx, "json", l, NULL, &n, &st);
            ck_assert_int_eq(st, CTL_OK);
            json_error_t err;
            json_t *doc = json_loadb(out, n, 0, &err);
            ck_assert_msg(doc != NULL, "%s: %s", err.text, out);
            json_t *item = json_array_get(json_object_get(doc, "items"), 0);
            ck_assert_str_eq(json_string_value(json_object_get(item, "title")), title);
            ck_assert_str_eq(json_string_value(json_object_get(item, "description")), desc);
            json_decref(doc);
            free(out);
            ctl_ctx_free(ctx);
            ctl_list_free(l);
        }
}
END_TEST

static Suite *write_fast_suite(void)
{
    Suite *s = suite_create("write_fast");
    TCase *t = tcase_create("scans");
    tcase_add_test(t, csv_quote_anywhere);
    tcase_add_test(t, json_escape_anywhere);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(write_fast_suite());
}
