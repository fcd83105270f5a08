/* SPDX-License-Identifier: BSD-2-Clause */
/* The format table (formats/registry.c): magic and the known formats
 * ctlconv refuses are rows of it, so that the pipeline and the program know
 * no format by name.  The refusals keep their words.  The descriptors agree
 * with what the formats do. */
#include "support.h"

#include <stdio.h>
#include <string.h>

/* Detects bytes under a name: the status; the message must contain want. */
static void expect_refusal(const char *name, const void *data, size_t len, const char *want)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *f = NULL;
    ctl_status st = ctl_detect_format(ctx, name, data, len, &o, &f);
    ck_assert_msg(st == CTL_EINPUT, "%s: status %d, format %s", name, st, f ? f->name : "-");
    ck_assert_msg(strstr(ctl_error_message(ctx), want), "%s: '%s' lacks '%s'", name,
                  ctl_error_message(ctx), want);
    ck_assert_str_eq(ctl_error_file(ctx), name);
    ctl_ctx_free(ctx);
}

START_TEST(refused_formats_are_rows)
{
    const char *names[] = {"xls", "ods", "pdf"};
    for (size_t i = 0; i < 3; i++) {
        const ctl_format *f = ctl_format_by_name(names[i]);
        ck_assert_msg(f, "no row for %s", names[i]);
        ck_assert_ptr_null(f->read);
        ck_assert_ptr_null(f->writer);
        ck_assert_ptr_nonnull(f->refusal);
        ck_assert_ptr_nonnull(f->refuse);
        ck_assert_ptr_eq(ctl_format_by_extension(names[i][0] == 'x' ? "a.XLS" : names[i][0] == 'o'
                                                 ? "b.ods" : "dir.v1/c.pdf"), f);
    }
    /* every format ctlconv reads or writes refuses nothing */
    for (const ctl_format *const *f = ctl_formats(); *f; f++)
        ck_assert_msg(((*f)->read || (*f)->writer) != ((*f)->refusal != NULL), "%s", (*f)->name);
    /* .txt says nothing of a file's layout; .csv and .tsv do */
    ck_assert(ctl_format_by_extension("a.txt")->weak_extension);
    ck_assert(!ctl_format_by_extension("a.tsv")->weak_extension);
    const ctl_format *x = ctl_format_by_name("xlsx");
    ck_assert_int_eq(x->magic_len, 4);
    ck_assert(!memcmp(x->magic, "PK\x03\x04", 4));
}
END_TEST

/* What the program's --list-formats says of them, made from the rows. */
START_TEST(not_read_line_from_the_rows)
{
    char line[256] = "Not read:";
    const ctl_format *const *all = ctl_formats();
    for (size_t i = 0; all[i]; i++) {
        if (all[i]->read || all[i]->writer || !all[i]->refusal) continue;
        int same_next = all[i + 1] && all[i + 1]->refusal && !strcmp(all[i + 1]->refusal, all[i]->refusal);
        int same_prev = i && all[i - 1]->refusal && !strcmp(all[i - 1]->refusal, all[i]->refusal);
        size_t n = strlen(line);
        const char *sep = same_prev ? " and" : n > strlen("Not read:") ? "," : "";
        snprintf(line + n, sizeof line - n, "%s .%s", sep, all[i]->extensions[0]);
        n = strlen(line);
        if (!same_next) snprintf(line + n, sizeof line - n, " (%s)", all[i]->refusal);
    }
    strncat(line, ".", sizeof line - strlen(line) - 1);
    ck_assert_str_eq(line, "Not read: .xls and .ods (save as .xlsx), .pdf (extract its text first).");
}
END_TEST

START_TEST(refusals_by_content_and_by_name)
{
    static const char ole2[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest";
    static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\n";
    static const char text[] = "plain words\n";
    expect_refusal("list.bin", ole2, sizeof ole2 - 1, "is an Excel 97-2003 workbook (.xls) or another "
                   "OLE2 document: ctlconv does not read it; save it as .xlsx");
    expect_refusal("list.csv", pdf, sizeof pdf - 1, "is a PDF: ctlconv can read the text extracted "
                   "from it, not the PDF itself; extract its text first (for example with "
                   "pdftotext) and convert that");
    expect_refusal("LIST.XLS", text, sizeof text - 1, ".XLS files are not read by ctlconv: save it as .xlsx");
    expect_refusal("a.ods", text, sizeof text - 1, ".ods files are not read by ctlconv: save it as .xlsx");
    expect_refusal("a.pdf", text, sizeof text - 1, "ctlconv does not read PDF: extract its text first "
                   "(for example with pdftotext) and convert that");
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

START_TEST(descriptors_are_consistent)
{
    const ctl_format *const *all = ctl_formats();
    for (size_t i = 0; all[i]; i++) {
        const ctl_format *f = all[i];
        unsigned reads = f->options & 0xFFu, writes = f->options & ~0xFFu;
        ck_assert_msg(!f->decode == !(f->options & CTL_READS_ENCODING),
                      "%s: CTL_READS_ENCODING goes with decode", f->name);
        ck_assert_msg(f->read || !reads, "%s reads nothing yet declares read options", f->name);
        ck_assert_msg(f->writer || !writes, "%s writes nothing yet declares write options", f->name);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, refused_formats_are_rows);
    tcase_add_test(tc, not_read_line_from_the_rows);
    tcase_add_test(tc, refusals_by_content_and_by_name);
    tcase_add_test(tc, formats_table);
    tcase_add_test(tc, descriptors_are_consistent);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
