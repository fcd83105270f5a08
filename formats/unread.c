/* SPDX-License-Identifier: BSD-2-Clause */
/* Formats ctlconv knows but neither reads nor writes: their magic and
 * extensions, so that such an input is refused with what to do instead
 * rather than read as something else or called "not a control list".  An
 * OpenDocument spreadsheet is a zip: the XLSX reader tells it apart. */
#include "../converters/services.h"

#include <string.h>

/* .xls and .ods by name: one advice. */
static ctl_status refuse_sheet_name(ctl_ctx *ctx, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) dot = name;
    return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, name, 0, "%s files are not read by ctlconv: save it as .xlsx", dot);
}

static ctl_status refuse_xls(ctl_ctx *ctx, const char *name, int by_content)
{
    if (!by_content) return refuse_sheet_name(ctx, name);
    return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, name, 0, "is an Excel 97-2003 workbook (.xls) or another "
                    "OLE2 document: ctlconv does not read it; save it as .xlsx");
}

static ctl_status refuse_ods(ctl_ctx *ctx, const char *name, int by_content)
{
    (void)by_content;   /* no magic of its own: a zip */
    return refuse_sheet_name(ctx, name);
}

static ctl_status refuse_pdf(ctl_ctx *ctx, const char *name, int by_content)
{
    if (by_content)
        return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, name, 0, "is a PDF: ctlconv can read the text extracted "
                        "from it, not the PDF itself; extract its text first (for example with "
                        "pdftotext) and convert that");
    return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, name, 0, "ctlconv does not read PDF: extract its text first "
                    "(for example with pdftotext) and convert that");
}

static const char *const xls_ext[] = {"xls", NULL};
static const char *const ods_ext[] = {"ods", NULL};
static const char *const pdf_ext[] = {"pdf", NULL};

const ctl_format ctl_format_xls = {
    .name = "xls",
    .description = "Excel 97-2003 workbook (OLE2)",
    .extensions = xls_ext,
    .magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    .magic_len = 8,
    .refusal = "save as .xlsx",
    .refuse = refuse_xls,
};

const ctl_format ctl_format_ods = {
    .name = "ods",
    .description = "OpenDocument spreadsheet",
    .extensions = ods_ext,
    .refusal = "save as .xlsx",
    .refuse = refuse_ods,
};

const ctl_format ctl_format_pdf = {
    .name = "pdf",
    .description = "PDF document",
    .extensions = pdf_ext,
    .magic = "%PDF-",
    .magic_len = 5,
    .refusal = "extract its text first",
    .refuse = refuse_pdf,
};
