/* SPDX-License-Identifier: BSD-2-Clause */
/* The XLSX reader: cell types and strings, number formats (dates in the
 * 1900 and 1904 systems, percentages), formulas without a value, furigana,
 * merged cells, sheet
 * choice, every limit just under and just over, hostile XML.  Workbooks are
 * built here with minizip's zip writer; the XLSX writer round trip is
 * checked too. */
#include "support.h"
#include "internal.h"
#include "../../../formats/xlsx.h"

#include <errno.h>
#include <minizip/zip.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define CT "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
#define WB(sheets) "<?xml version=\"1.0\"?><workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" sheets "</sheets></workbook>"
#define RELS(rels) "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" rels "</Relationships>"
#define REL_SHEET(id, target) "<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"" target "\"/>"
#define REL_SST "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
#define SHEET(rows, after) "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" rows "</sheetData>" after "</worksheet>"
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define HEADER_ROW "<row r=\"1\">" IS("A1", "id") IS("B1", "title") IS("C1", "description") IS("D1", "category") IS("E1", "answer") "</row>"

typedef struct {
    const char *name;
    const char *data;     /* NULL: size bytes of spaces inside a sheet */
    size_t size;
} entry;

/* Builds a workbook from entries into memory. */
/* An entry without data: a sheet of SPACED_HEAD, size spaces, SPACED_TAIL. */
#define SPACED_HEAD "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>"
#define SPACED_TAIL HEADER_ROW "<row r=\"2\">" IS("A2", "II.1") "</row></sheetData></worksheet>"

static unsigned char *build(const entry *e, size_t n, size_t *len)
{
    char path[] = "/tmp/ctl-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    zipFile z = zipOpen64(path, 0);
    ck_assert_ptr_nonnull(z);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(zipOpenNewFileInZip64(z, e[i].name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 9, 1), ZIP_OK);
        if (e[i].data) {
            ck_assert_int_eq(zipWriteInFileInZip(z, e[i].data, (unsigned)strlen(e[i].data)), ZIP_OK);
        } else {
            const char *head = SPACED_HEAD;
            zipWriteInFileInZip(z, head, (unsigned)strlen(head));
            static char spaces[65536];
            memset(spaces, ' ', sizeof spaces);
            for (size_t left = e[i].size; left;) {
                size_t k = left < sizeof spaces ? left : sizeof spaces;
                zipWriteInFileInZip(z, spaces, (unsigned)k);
                left -= k;
            }
            const char *tail = SPACED_TAIL;
            zipWriteInFileInZip(z, tail, (unsigned)strlen(tail));
        }
        ck_assert_int_eq(zipCloseFileInZip(z), ZIP_OK);
    }
    ck_assert_int_eq(zipClose(z, NULL), ZIP_OK);
    unsigned char *d = slurp(path, len);
    unlink(path);
    return d;
}

/* A one-sheet workbook around a sheet (and shared strings, if any). */
static unsigned char *book(const char *sheet, const char *sst, size_t *len)
{
    entry e[] = {
        {"[Content_Types].xml", CT, 0},
        {"xl/workbook.xml", WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"), 0},
        {"xl/_rels/workbook.xml.rels", RELS(REL_SHEET("rId1", "worksheets/sheet1.xml") REL_SST), 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
        {"xl/sharedStrings.xml", sst, 0},
    };
    return build(e, sst ? 5 : 4, len);
}

static ctl_list *read_book(ctl_ctx *ctx, unsigned char *d, size_t len, const ctl_options *o, ctl_status *st)
{
    ctl_list *l = read_bytes(ctx, "xlsx", d, len, o, st);
    free(d);
    return l;
}

START_TEST(cell_types_and_strings)
{
    const char *sheet = SHEET(HEADER_ROW
        "<row r=\"2\">" IS("A2", "II. 1. 1. 1")
        "<c r=\"B2\" t=\"inlineStr\"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>runs</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>ルビ</t></rPh></is></c>"
        "<c r=\"C2\" t=\"s\"><v>0</v></c>"
        "<c r=\"D2\" t=\"str\"><f>\"基\"&amp;\"本\"</f><v>基本</v></c>"
        "<c r=\"E2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> line_x000D_\nbreak _x005F_x0041_</t></is></c></row>"
        "<row r=\"3\">" IS("A3", "II.1.1.2") "<c r=\"B3\"><v>0.30000000000000004</v></c>"
        "<c r=\"C3\" t=\"n\"><v>1E3</v></c><c r=\"D3\" t=\"e\"><v>#N/A</v></c><c r=\"E3\" t=\"b\"><v>1</v></c></row>", "");
    const char *sst = "<?xml version=\"1.0\"?><sst " NS " count=\"1\" uniqueCount=\"1\">"
                      "<si><t>方針</t><rPh sb=\"0\" eb=\"2\"><t>ホウシン</t></rPh><phoneticPr fontId=\"1\"/></si></sst>";
    size_t len;
    unsigned char *d = book(sheet, sst, &len);
    ctl_status st;
    list = read_book(ctx, d, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    const ctl_item *a = &list->items[0], *b = &list->items[1];
    ck_assert_str_eq(a->label, "II. 1. 1. 1");
    ck_assert_str_eq(a->title, "rich runs");              /* runs joined, furigana skipped */
    ck_assert_str_eq(a->description, "方針");             /* not 方針ホウシン */
    ck_assert_int_eq(a->category, CTL_CATEGORY_BASIC);    /* a formula's cached value */
    ck_assert_str_eq(a->answer, " line\r\nbreak _x0041_");
    ck_assert_str_eq(b->title, "0.3");                     /* no floating-point noise */
    ck_assert_str_eq(b->description, "1000");
    ck_assert_str_eq(b->answer, "TRUE");
    /* model v2: any one-line word is the category word, #N/A too (was an
     * extra column); its value is none */
    ck_assert_uint_eq(b->n_extra, 0);
    ck_assert_str_eq(b->category_text, "#N/A");
    ck_assert_int_eq(b->category, CTL_CATEGORY_NONE);
    ck_assert_int_eq(a->pos.line, 2);
    ck_assert_str_eq(a->pos.file, "test-input[S]");
}
END_TEST

START_TEST(merged_cells)
{
    const char *sheet = SHEET(HEADER_ROW
        "<row r=\"2\">" IS("A2", "II. 1.") IS("B2", "Section across") "</row>"
        "<row r=\"3\">" IS("A3", "II. 1. 1. 1") IS("B3", "t1") IS("D3", "推奨") "</row>"
        "<row r=\"4\">" IS("A4", "II. 1. 1. 2") IS("B4", "t2") "</row>"
        "<row r=\"5\">" IS("A5", "II. 1. 1. 3") IS("B5", "t3") "</row>"
        "<row r=\"6\">" IS("A6", "II. 1. 1. 4") IS("B6", "t4") "</row>",
        "<mergeCells count=\"2\"><mergeCell ref=\"B2:E2\"/><mergeCell ref=\"D3:D5\"/></mergeCells>");
    size_t len;
    unsigned char *d = book(sheet, NULL, &len);
    ctl_status st;
    list = read_book(ctx, d, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 5);
    ck_assert_str_eq(list->items[0].title, "Section across");      /* horizontal: one value */
    ck_assert_str_eq(list->items[0].description, "");
    ck_assert_str_eq(list->items[0].answer, "");
    for (size_t i = 1; i <= 3; i++)                                /* vertical: every row */
        ck_assert_int_eq(list->items[i].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_int_eq(list->items[4].category, CTL_CATEGORY_NONE);
}
END_TEST

/* A laid-out list as offices make it (openpyxl): section rows merged across
 * title..answer, each run of equal categories merged down its rows; every
 * control gets its category, as the hand-read seed says. */
START_TEST(merges_of_a_laid_out_list)
{
    size_t len;
    unsigned char *d = slurp(CTL_TEST_DATA "/offices-layout.xlsx", &len);
    ctl_status st;
    list = read_book(ctx, d, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 160);
    size_t basic = 0, recommended = 0;
    for (size_t i = 0; i < list->n_items; i++) {
        basic += list->items[i].category == CTL_CATEGORY_BASIC;
        recommended += list->items[i].category == CTL_CATEGORY_RECOMMENDED;
        if (list->items[i].level < 3) ck_assert_str_eq(list->items[i].description, "");   /* one value */
    }
    ck_assert_uint_eq(basic, 93);
    ck_assert_uint_eq(recommended, 28);
    ck_assert_str_eq(list->items[0].id, "II.1");
    ck_assert_str_ne(list->items[0].title, "");
}
END_TEST

/* A row with no text of its own stays blank under a merge (a section row
 * merged two rows tall is one item, not two with the same number). */
START_TEST(merges_leave_blank_rows_blank)
{
    const char *sheet = SHEET(HEADER_ROW
        "<row r=\"2\">" IS("A2", "II. 1.") IS("B2", "Section") "</row>"
        "<row r=\"3\" ht=\"20\" customHeight=\"1\"/>"
        "<row r=\"4\">" IS("A4", "II. 1. 1. 1") IS("B4", "t1") IS("D4", "基本") "</row>"
        "<row r=\"5\">" IS("A5", "II. 1. 1. 2") IS("B5", "t2") "</row>"
        "<row r=\"6\"><c r=\"B6\" s=\"1\"/></row>",
        "<mergeCells count=\"2\"><mergeCell ref=\"A2:E3\"/><mergeCell ref=\"D4:D6\"/></mergeCells>");
    size_t len;
    unsigned char *d = book(sheet, NULL, &len);
    ctl_status st;
    list = read_book(ctx, d, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 3);
    ck_assert_str_eq(list->items[0].id, "II.1");
    ck_assert_str_eq(list->items[1].id, "II.1.1.1");
    ck_assert_int_eq(list->items[2].category, CTL_CATEGORY_BASIC);
}
END_TEST

/* A merged identifier names one item: the rows it spans that have no
 * identifier of their own are rows without an id, children of it
 * (K-ISMS-P merges 1.1.1 down its check rows; review of issue 12, finding
 * 8); merged titles still fill.  An identifier merged down rows with ids
 * of their own (a parent, a category word such as IG1) fills them. */
START_TEST(merged_id_cells)
{
    const char *sheet = SHEET(HEADER_ROW
        "<row r=\"2\">" IS("A2", "1.1.1") IS("B2", "Title") IS("C2", "Criterion") IS("E2", "check a") "</row>"
        "<row r=\"3\">" IS("E3", "check b") "</row>"
        "<row r=\"4\">" IS("E4", "check c") "</row>"
        "<row r=\"5\">" IS("A5", "1.1.2") IS("B5", "T2") IS("D5", "IG1") IS("E5", "check d") "</row>"
        "<row r=\"6\">" IS("A6", "1.1.3") IS("B6", "T3") "</row>",
        "<mergeCells count=\"4\"><mergeCell ref=\"A2:A4\"/><mergeCell ref=\"B2:B4\"/><mergeCell ref=\"C2:C4\"/>"
        "<mergeCell ref=\"D5:D6\"/></mergeCells>");
    size_t len;
    unsigned char *d = book(sheet, NULL, &len);
    ctl_status st;
    list = read_book(ctx, d, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 5);
    static const char *const ids[] = {"1.1.1", "1.1.1#1", "1.1.1#2", "1.1.2", "1.1.3"};
    for (size_t i = 0; i < 5; i++) ck_assert_str_eq(list->items[i].id, ids[i]);
    ck_assert_str_eq(list->items[1].parent, "1.1.1");
    ck_assert_str_eq(list->items[2].parent, "1.1.1");
    ck_assert_str_eq(list->items[2].label, "");
    ck_assert_str_eq(list->items[2].title, "Title");          /* a merged title fills, as before */
    ck_assert_str_eq(list->items[2].answer, "check c");
    ck_assert_str_eq(list->items[4].category_text, "IG1");    /* rows with ids of their own */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_DUPLICATE_ID), 0);
}
END_TEST

/* Merged ranges that would repeat their values far beyond the sheet's own
 * size are refused (16 columns merged down 40,000 rows of one cell each),
 * however high the zip limits. */
START_TEST(merges_bounded_by_the_sheet)
{
    enum { ROWS = 40000, COLS = 16 };
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "<?xml version=\"1.0\"?><worksheet " NS "><sheetData><row r=\"1\">"
                           IS("A1", "id") IS("B1", "title") IS("C1", "description") IS("D1", "category") IS("E1", "answer")));
    for (int c = 0; c < COLS; c++) ck_assert(ctl_buf_printf(&b, IS("%c1", "extra %c"), 'F' + c, 'F' + c));
    ck_assert(ctl_buf_adds(&b, "</row><row r=\"2\">"));
    for (int c = 0; c < COLS; c++) ck_assert(ctl_buf_printf(&b, IS("%c2", "merged value"), 'F' + c));
    ck_assert(ctl_buf_adds(&b, "</row>"));
    for (int r = 3; r < ROWS; r++) ck_assert(ctl_buf_printf(&b, "<row r=\"%d\">" IS("A%d", "II.1.1.%d") "</row>", r, r, r));
    ck_assert(ctl_buf_adds(&b, "</sheetData><mergeCells>"));
    for (int c = 0; c < COLS; c++) ck_assert(ctl_buf_printf(&b, "<mergeCell ref=\"%c2:%c%d\"/>", 'F' + c, 'F' + c, ROWS));
    ck_assert(ctl_buf_adds(&b, "</mergeCells></worksheet>"));
    size_t len;
    unsigned char *d = book(b.data, NULL, &len);
    ctl_buf_free(&b);
    ctl_options o = {0};
    o.limit[CTL_LIMIT_ZIP_TOTAL_SIZE] = (size_t)4 << 30;
    ctl_status st;
    list = read_book(ctx, d, len, &o, &st);
    ck_assert_msg(st == CTL_ELIMIT, "%s", ctl_error_message(ctx));
    ck_assert_msg(strstr(ctl_error_message(ctx), "merged ranges repeat their values into more than 2 times "
                                                 "the bytes of the sheet"), "%s", ctl_error_message(ctx));
}
END_TEST

static unsigned char *two_sheets(size_t *len)
{
    entry e[] = {
        {"[Content_Types].xml", CT, 0},
        {"xl/workbook.xml", WB("<sheet name=\"Cover\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"List\" sheetId=\"2\" r:id=\"rId2\"/>"), 0},
        {"xl/_rels/workbook.xml.rels", RELS(REL_SHEET("rId1", "worksheets/sheet1.xml") REL_SHEET("rId2", "/xl/worksheets/sheet2.xml")), 0},
        {"xl/worksheets/sheet1.xml", SHEET("<row r=\"1\">" IS("A1", "cover page") "</row>", ""), 0},
        {"xl/worksheets/sheet2.xml", SHEET(HEADER_ROW "<row r=\"2\">" IS("A2", "II.1") IS("B2", "from List") "</row>", ""), 0},
    };
    return build(e, 5, len);
}

START_TEST(sheet_choice)
{
    size_t len;
    ctl_status st;
    /* by default: the first sheet with a header, and a warning that says so */
    ctl_ctx *ctx = ctl_ctx_new();
    unsigned char *d = two_sheets(&len);
    ctl_list *l = read_book(ctx, d, len, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->items[0].title, "from List");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_SHEET_CHOSEN), 1);
    ck_assert(has_warning(ctx, "read sheet 'List' (2 of 2)"));
    ctl_list_free(l);
    ctl_ctx_free(ctx);
    /* by name, by number, unknown */
    ctl_options o;
    ctl_options_init(&o);
    const char *choices[] = {"List", "2", "1", "Nope"};
    ctl_status want[] = {CTL_OK, CTL_OK, CTL_EINPUT, CTL_EUSAGE};
    for (size_t i = 0; i < 4; i++) {
        o.sheet = choices[i];
        ctx = ctl_ctx_new();
        d = two_sheets(&len);
        l = read_book(ctx, d, len, &o, &st);
        ck_assert_msg(st == want[i], "%s: %s", choices[i], ctl_error_message(ctx));
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(limits_just_under_and_over)
{
    enum { SPACES = 3 << 20 };
    entry e[] = {
        {"[Content_Types].xml", CT, 0},
        {"xl/workbook.xml", WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"), 0},
        {"xl/_rels/workbook.xml.rels", RELS(REL_SHEET("rId1", "worksheets/sheet1.xml")), 0},
        {"xl/worksheets/sheet1.xml", NULL, SPACES},
    };
    size_t len;
    unsigned char *d = build(e, 4, &len);
    /* the sheet inflates to exactly this; the parts read are the workbook,
     * its relationships and the sheet (each once) */
    const size_t sheet = strlen(SPACED_HEAD) + SPACES + strlen(SPACED_TAIL);
    const size_t total = sheet + strlen(e[1].data) + strlen(e[2].data);
    struct {
        size_t entries, entry_bytes, total, ratio;
        ctl_status want;
        const char *msg;
        ctl_limit limit;
    } cases[] = {
        {4, 8 << 20, 16 << 20, 100000, CTL_OK, NULL, CTL_LIMIT_COUNT},
        {3, 8 << 20, 16 << 20, 100000, CTL_ELIMIT, "4 entries, more than the limit of 3", CTL_LIMIT_ZIP_ENTRIES},
        {4, sheet - 1, 16 << 20, 100000, CTL_ELIMIT, "inflates to more than the limit of", CTL_LIMIT_ZIP_ENTRY_SIZE},
        {4, sheet, 16 << 20, 100000, CTL_OK, NULL, CTL_LIMIT_COUNT},
        {4, 8 << 20, total - 1, 100000, CTL_ELIMIT, "in all", CTL_LIMIT_ZIP_TOTAL_SIZE},
        {4, 8 << 20, total, 100000, CTL_OK, NULL, CTL_LIMIT_COUNT},
        /* white space deflates about 1,000 times */
        {4, 8 << 20, 16 << 20, 100, CTL_ELIMIT, "times its compressed size", CTL_LIMIT_ZIP_RATIO},
        {4, 8 << 20, 16 << 20, 2000, CTL_OK, NULL, CTL_LIMIT_COUNT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_options o;
        ctl_options_init(&o);
        o.limit[CTL_LIMIT_ZIP_ENTRIES] = cases[i].entries;
        o.limit[CTL_LIMIT_ZIP_ENTRY_SIZE] = cases[i].entry_bytes;
        o.limit[CTL_LIMIT_ZIP_TOTAL_SIZE] = cases[i].total;
        o.limit[CTL_LIMIT_ZIP_RATIO] = cases[i].ratio;
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_bytes(ctx, "xlsx", d, len, &o, &st);
        ck_assert_msg(st == cases[i].want, "case %zu: %s", i, ctl_error_message(ctx));
        if (cases[i].msg) {
            assert_error_code(ctx, CTL_D_LIMIT);
            ck_assert_int_eq(ctl_error_limit(ctx), cases[i].limit);
            ck_assert_msg(strstr(ctl_error_message(ctx), cases[i].msg) != NULL, "%s", ctl_error_message(ctx));
        }
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
    free(d);
}
END_TEST

START_TEST(hostile_and_broken)
{
    static const struct {
        const char *sheet;
        const char *sst;
        const char *msg;
        ctl_diag code;
    } cases[] = {
        {"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
         "<worksheet " NS "><sheetData/></worksheet>", NULL, "DOCTYPE", CTL_D_DOCTYPE},
        {SHEET(HEADER_ROW "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>", ""),
         "<?xml version=\"1.0\"?><sst " NS "><si><t>x</t></si></sst>", "shared string 1, but the workbook has 1", CTL_D_CORRUPT_WORKBOOK},
        {SHEET(HEADER_ROW "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>-1</v></c></row>", ""), NULL, "shared string", CTL_D_CORRUPT_WORKBOOK},
        {SHEET(HEADER_ROW "<row r=\"2\"><c r=\"A2\">", ""), NULL, "malformed XML", CTL_D_CORRUPT_WORKBOOK},
        {SHEET("", ""), NULL, "no header row", CTL_D_NO_HEADER},
        /* found by fuzzing: a row number of LONG_MAX, then one without a number */
        {SHEET("<row r=\"9223372036854775807\"></row><row></row>", ""), NULL, "row number past 1048576", CTL_D_CORRUPT_WORKBOOK},
        {SHEET(HEADER_ROW, ""), NULL, "no control rows", CTL_D_NO_ROWS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        unsigned char *d = book(cases[i].sheet, cases[i].sst, &len);
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_book(ctx, d, len, NULL, &st);
        ck_assert_msg(st == CTL_EINPUT, "case %zu: status %d", i, st);
        assert_error_code(ctx, cases[i].code);
        ck_assert_msg(strstr(ctl_error_message(ctx), cases[i].msg) != NULL, "case %zu: %s", i, ctl_error_message(ctx));
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
    /* not a zip at all, and a truncated one */
    size_t len;
    unsigned char *d = book(SHEET(HEADER_ROW "<row r=\"2\">" IS("A2", "II.1") "</row>", ""), NULL, &len);
    for (size_t cut = 0; cut <= len / 2; cut += len / 2) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_bytes(ctx, "xlsx", cut ? d : (unsigned char *)"PK\3\4 garbage", cut ? cut : 13, NULL, &st);
        ck_assert_int_eq(st, CTL_EINPUT);
        assert_error_code(ctx, CTL_D_CORRUPT_WORKBOOK);
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
    free(d);
}
END_TEST

/* The columns limit counts a row's width and its cells: a cell that names
 * the same column again still counts. */
START_TEST(columns_limit)
{
    ctl_buf same = {0}, wide = {0};
    ck_assert(ctl_buf_adds(&same, "<row r=\"2\">"));
    for (int i = 0; i < 9; i++) ck_assert(ctl_buf_adds(&same, IS("A2", "II.1")));
    ck_assert(ctl_buf_adds(&same, "</row>"));
    ck_assert(ctl_buf_adds(&wide, "<row r=\"2\">" IS("A2", "II.1") IS("I2", "") "</row>"));
    const char *rows[] = {same.data, wide.data};
    for (int r = 0; r < 2; r++)
        for (size_t max = 8; max <= 9; max++) {
            char sheet[4096];
            snprintf(sheet, sizeof sheet, SHEET(HEADER_ROW "%s", ""), rows[r]);
            size_t len;
            unsigned char *d = book(sheet, NULL, &len);
            ctl_options o;
            ctl_options_init(&o);
            o.limit[CTL_LIMIT_COLUMNS] = max;
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_status st;
            ctl_list *l = read_book(ctx, d, len, &o, &st);
            ck_assert_msg(st == (max == 9 ? CTL_OK : CTL_ELIMIT), "row %d, limit %zu: %s", r, max,
                          ctl_error_message(ctx));
            if (st != CTL_OK) {
                ck_assert_str_eq(ctl_error_message(ctx), "more than the limit of 8 cells in a row");
                assert_error_code(ctx, CTL_D_LIMIT);
                ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_COLUMNS);
                ck_assert_int_eq(ctl_error_line(ctx), 2);
            }
            ctl_list_free(l);
            ctl_ctx_free(ctx);
        }
    ctl_buf_free(&same);
    ctl_buf_free(&wide);
}
END_TEST

START_TEST(writer_round_trip)
{
    ctl_ctx *ctx = ctl_ctx_new();
    size_t n, n2;
    ctl_status st;
    ctl_list *a = read_seed(ctx);
    /* extra columns and awkward text too */
    free(a->items[3].answer);
    a->items[3].answer = strdup("=HYPERLINK(\"http://x\")\tand a\ncontrol \x01 char _x0041_");
    char *x1 = write_list(ctx, "xlsx", a, NULL, &n, &st);
    assert_ok(ctx, st);
    ctl_ctx *ctx2 = ctl_ctx_new();
    ctl_list *b = read_bytes(ctx2, "xlsx", x1, n, NULL, &st);
    assert_ok(ctx2, st);
    char why[256];
    ck_assert_msg(ctl_list_equal(a, b, 1, why, sizeof why), "%s", why);
    char *x2 = write_list(ctx2, "xlsx", b, NULL, &n2, &st);
    ck_assert_uint_eq(n, n2);
    ck_assert(memcmp(x1, x2, n) == 0);                         /* same bytes again */
    free(x1);
    free(x2);
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_ctx_free(ctx);
    ctl_ctx_free(ctx2);
}
END_TEST

/* ------------------------------------------------------------ number formats */

#define REL_STYLES "<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"

/* A one-sheet workbook with styles (custom formats, then cellXfs by
 * numFmtId) in the 1900 or 1904 date system. */
static unsigned char *styled_book(const char *sheet, const char *numfmts, const char *xfs, int date1904, size_t *len)
{
    char wb[1024], styles[4096];
    snprintf(wb, sizeof wb, "<?xml version=\"1.0\"?><workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships\"><workbookPr date1904=\"%s\"/><sheets><sheet name=\"S\" "
             "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", date1904 ? "1" : "false");
    snprintf(styles, sizeof styles, "<?xml version=\"1.0\"?><styleSheet " NS "><numFmts>%s</numFmts>"
             "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>%s</cellXfs></styleSheet>", numfmts, xfs);
    entry e[] = {
        {"[Content_Types].xml", CT, 0},
        {"xl/workbook.xml", wb, 0},
        {"xl/_rels/workbook.xml.rels", RELS(REL_SHEET("rId1", "worksheets/sheet1.xml") REL_STYLES), 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
        {"xl/styles.xml", styles, 0},
    };
    return build(e, 5, len);
}

typedef struct { int style; const char *value, *shown; } fmt_case;

/* Reads each case as the title of a row (number cells, style s) and
 * checks what it shows; returns the context for more checks. */
static ctl_ctx *check_formats(const char *numfmts, const char *xfs, int date1904, const fmt_case *c, size_t n)
{
    ctl_buf sheet = {0};
    ck_assert(ctl_buf_adds(&sheet, "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" HEADER_ROW));
    for (size_t i = 0; i < n; i++)
        ck_assert(ctl_buf_printf(&sheet, "<row r=\"%zu\"><c r=\"A%zu\" t=\"inlineStr\"><is><t>II.1.1.%zu</t></is></c>"
                                 "<c r=\"B%zu\" s=\"%d\"><v>%s</v></c></row>", i + 2, i + 2, i + 1, i + 2,
                                 c[i].style, c[i].value));
    ck_assert(ctl_buf_adds(&sheet, "</sheetData></worksheet>"));
    size_t len;
    unsigned char *d = styled_book(sheet.data, numfmts, xfs, date1904, &len);
    ctl_buf_free(&sheet);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_book(ctx, d, len, NULL, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ck_assert_uint_eq(l->n_items, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!strcmp(l->items[i].title, c[i].shown), "%s (style %d): %s, not %s", c[i].value, c[i].style,
                      l->items[i].title, c[i].shown);
    ctl_list_free(l);
    return ctx;
}

START_TEST(dates_1900)
{
    static const fmt_case c[] = {
        {1, "1", "1900-01-01"}, {1, "59", "1900-02-28"}, {1, "60", "60"}, {1, "61", "1900-03-01"},
        {1, "0", "0"}, {1, "45366", "2024-03-15"}, {1, "2958465", "9999-12-31"}, {1, "2958466", "2958466"},
        {1, "-1", "-1"}, {1, "45366.75", "2024-03-15T18:00:00"}, {2, "45366.5", "2024-03-15T12:00:00"},
        {2, "45366", "2024-03-15T00:00:00"}, {3, "0.5", "12:00:00"}, {3, "1.25", "1900-01-01T06:00:00"},
        {4, "1.15740740740741E-05", "00:00:01"}, {4, "0.999988425925926", "23:59:59"},
        {0, "45366", "45366"}, {5, "45366", "2024-03-15"}, {6, "45366.75", "2024-03-15T18:00:00"},
        {7, "45366", "2024-03-15"}, {8, "45366", "2024-03-15"},
    };
    ctl_ctx *ctx = check_formats(
        "<numFmt numFmtId=\"164\" formatCode=\"[Red]yyyy&quot;d&quot;mm\\-dd\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"mmm d, yyyy h:mm AM/PM\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"[$-409]d/m/yy;@\"/>"
        "<numFmt numFmtId=\"167\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/>",
        "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"22\"/><xf numFmtId=\"21\"/><xf numFmtId=\"20\"/>"
        "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>", 0, c,
        sizeof c / sizeof *c);
    /* 8: a month and year, shown as the day it is */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NUMBER_FORMAT_IGNORED), 4);   /* 60, 0, 2958466, -1 */
    ck_assert(has_warning(ctx, "row 4, column B (title): 60 is 1900-02-29 in the 1900 date system, a day that "
                          "does not exist (number format built-in 14): the stored number kept"));
    ck_assert(has_warning(ctx, "row 6, column B (title): 0 is day 0 in the 1900 date system"));
    ck_assert(has_warning(ctx, "row 9, column B (title): 2958466 is no date Excel shows"));
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(dates_1904)
{
    static const fmt_case c[] = {
        {1, "0", "1904-01-01"}, {1, "1", "1904-01-02"}, {1, "60", "1904-03-01"}, {1, "45366", "2028-03-16"},
        {2, "0.5", "1904-01-01T12:00:00"}, {3, "0.25", "06:00:00"}, {1, "-1", "-1"},
    };
    ctl_ctx *ctx = check_formats("", "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"22\"/><xf numFmtId=\"18\"/>",
                                 1, c, sizeof c / sizeof *c);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NUMBER_FORMAT_IGNORED), 1);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(percent_and_other_formats)
{
    static const fmt_case c[] = {
        {1, "0.125", "13%"}, {1, "0.145", "15%"}, {1, "-0.001", "0%"}, {1, "-0.125", "-13%"},
        {2, "0.125", "12.50%"}, {2, "1", "100.00%"}, {3, "0.12345", "12.345%"}, {4, "0.5", "50.0%"},
        {0, "0.125", "0.125"}, {5, "1234.5", "1,234.50"}, {6, "-3", "-3.00"}, {7, "42", "42"}, {8, "0.1", "0.1"},
        {9, "5", "5"}, {10, "5", "5"}, {11, "1.5", "1.5"}, {12, "0.5", "0.5"},
    };
    ctl_ctx *ctx = check_formats(
        "<numFmt numFmtId=\"164\" formatCode=\"0.000%\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"[Blue]0.0%;[Red]-0.0%\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"#,##0.00;[Red]-#,##0.00\"/>"
        "<numFmt numFmtId=\"167\" formatCode=\"General\"/>"
        "<numFmt numFmtId=\"168\" formatCode=\"0.0&quot;%&quot;\"/>"
        "<numFmt numFmtId=\"169\" formatCode=\"&quot;d&quot;0.00\"/>"
        "<numFmt numFmtId=\"170\" formatCode=\"[h]:mm\"/>",
        "<xf numFmtId=\"0\"/><xf numFmtId=\"9\"/><xf numFmtId=\"10\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
        "<xf numFmtId=\"4\"/><xf numFmtId=\"166\"/><xf numFmtId=\"49\"/><xf numFmtId=\"167\"/>"
        "<xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"170\"/><xf numFmtId=\"13\"/>", 0, c,
        sizeof c / sizeof *c);
    /* a quoted %, a quoted "d" before digits, a duration, a fraction: one
     * warning for the column, naming the first */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NUMBER_FORMAT_IGNORED), 1);
    ck_assert_msg(has_warning(ctx, "row 15, column B (title): number format '0.0\"%\"' not applied"), "%s",
                  ctl_warning_message(ctx, 0));
    ctl_ctx_free(ctx);
}
END_TEST

/* Plain number formats show the number as Excel does: 1.1 in 0.00 is
 * 1.10, a section number that is not 1.1 (review of issue 12, finding
 * 5); what cannot be drawn exactly keeps the number, with a warning. */
START_TEST(plain_number_formats)
{
    static const fmt_case c[] = {
        {1, "1.1", "1.10"}, {1, "2.005", "2.01"}, {1, "-1.5", "-1.50"}, {1, "3", "3.00"}, {2, "7", "007"},
        {2, "123.6", "124"}, {2, "1234", "1234"}, {3, "1.25", "1.3"}, {3, "0.04", "0.0"}, {4, "1234567.891", "1,234,568"},
        {4, "0", "0"}, {4, "999.5", "1,000"}, {5, "1.1", "1"}, {6, "1.1", "1.10"}, {7, "1234.5", "1,235"},
        {8, "-1234.5", "-1,234.50"}, {9, "0.5", "50%"}, {10, "0.5", "50.00%"}, {11, "1.5", "1.5"},
        {11, "1.25", "1.25"}, {11, "1.256", "1.26"}, {12, "-4.2", "4.20"}, {13, "1.1", "1.1"}, {14, "0.5", ".50"},
        {15, "42", "0,042"}, {0, "1.1", "1.1"}, {16, "1.1", "1.1"},
    };
    ctl_ctx *ctx = check_formats(
        "<numFmt numFmtId=\"164\" formatCode=\"0.00\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"000\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"0.0\"/>"
        "<numFmt numFmtId=\"167\" formatCode=\"#,##0\"/>"
        "<numFmt numFmtId=\"168\" formatCode=\"0.0#\"/>"
        "<numFmt numFmtId=\"169\" formatCode=\"[Blue]0.00;0.00\"/>"
        "<numFmt numFmtId=\"170\" formatCode=\"0.00E+00\"/>"
        "<numFmt numFmtId=\"171\" formatCode=\"#.00\"/>"
        "<numFmt numFmtId=\"172\" formatCode=\"0,000\"/>"
        "<numFmt numFmtId=\"173\" formatCode=\"0.0,\"/>",
        "<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
        "<xf numFmtId=\"1\"/><xf numFmtId=\"2\"/><xf numFmtId=\"3\"/><xf numFmtId=\"4\"/><xf numFmtId=\"9\"/>"
        "<xf numFmtId=\"10\"/><xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"170\"/><xf numFmtId=\"171\"/>"
        "<xf numFmtId=\"172\"/><xf numFmtId=\"11\"/>", 0, c, sizeof c / sizeof *c);
    /* 0.00E+00 (custom and built-in 11): kept, with a warning once a column */
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NUMBER_FORMAT_IGNORED), 1);
    ck_assert_msg(has_warning(ctx, "row 24, column B (title): number format '0.00E+00' not applied (ctlconv shows "
                              "dates, times, percentages and plain numbers only): the stored number 1.1 kept"),
                  "%s", ctl_warning_message(ctx, 0));
    ctl_ctx_free(ctx);
    /* each alone: built-in 11, a scaling comma, a condition, split digits,
     * Japanese numerals, a currency bracket; then -0 */
    static const fmt_case k[] = {{1, "1.1", "1.1"}};
    static const char *const codes[] = {"", "<numFmt numFmtId=\"164\" formatCode=\"0.0,\"/>",
                                        "<numFmt numFmtId=\"164\" formatCode=\"[&gt;100]0.00;0\"/>",
                                        "<numFmt numFmtId=\"164\" formatCode=\"000-0000\"/>",
                                        "<numFmt numFmtId=\"164\" formatCode=\"[DBNum1]0\"/>",
                                        "<numFmt numFmtId=\"164\" formatCode=\"[$\xE2\x82\xAC-407]0.00\"/>"};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        ctx = check_formats(codes[i], i ? "<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
                                        : "<xf numFmtId=\"0\"/><xf numFmtId=\"11\"/>", 0, k, 1);
        ck_assert_uint_eq(warnings_with(ctx, CTL_D_NUMBER_FORMAT_IGNORED), 1);
        ctl_ctx_free(ctx);
    }
    static const fmt_case z[] = {{1, "-0.001", "-0.001"}};
    ctx = check_formats("", "<xf numFmtId=\"0\"/><xf numFmtId=\"2\"/>", 0, z, 1);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_NUMBER_FORMAT_IGNORED), 1);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(formulas_and_booleans)
{
    const char *sheet = SHEET(HEADER_ROW
        "<row r=\"2\">" IS("A2", "II.1.1.1") "<c r=\"B2\" t=\"str\"><f>\"Ti\"&amp;\"tle\"</f></c>"
        "<c r=\"C2\" t=\"str\"><f>B2</f><v>cached</v></c><c r=\"D2\" t=\"str\"><f>\"\"</f><v></v></c>"
        "<c r=\"E2\"><f>1+1</f><v></v></c></row>", "");
    size_t len;
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    unsigned char *d = book(sheet, NULL, &len);
    ctl_list *l = read_book(ctx, d, len, NULL, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ck_assert_str_eq(l->items[0].title, "");
    ck_assert_str_eq(l->items[0].description, "cached");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_FORMULA_UNEVALUATED), 2);   /* B2 and E2; D2 is "" */
    ck_assert(has_warning(ctx, "row 2, column B (title): a formula with no saved value"));
    ck_assert(has_warning(ctx, "row 2, column E (answer): a formula with no saved value"));
    ctl_list_free(l);
    ctl_ctx_free(ctx);
    static const char *const bad[] = {"2", "true", "", "01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char s[1024];
        snprintf(s, sizeof s, SHEET(HEADER_ROW "<row r=\"2\">" IS("A2", "II.1.1.1") "<c r=\"E2\" t=\"b\"><v>%s</v></c></row>", ""),
                 bad[i]);
        ctx = ctl_ctx_new();
        d = book(s, NULL, &len);
        l = read_book(ctx, d, len, NULL, &st);
        ctl_list_free(l);
        ck_assert_int_eq(st, CTL_EINPUT);
        assert_error_code(ctx, CTL_D_CORRUPT_WORKBOOK);
        ck_assert_msg(strstr(ctl_error_message(ctx), "row 2, column E (answer): a boolean cell holding"), "%s",
                      ctl_error_message(ctx));
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(style_out_of_range)
{
    const char *sheet = SHEET(HEADER_ROW "<row r=\"2\">" IS("A2", "II.1.1.1") "<c r=\"B2\" s=\"2\"><v>1</v></c></row>", "");
    size_t len;
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    unsigned char *d = styled_book(sheet, "", "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>", 0, &len);
    ctl_list *l = read_book(ctx, d, len, NULL, &st);
    ctl_list_free(l);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_CORRUPT_WORKBOOK);
    ck_assert_msg(strstr(ctl_error_message(ctx), "cell format 2, but the workbook's styles have 2"), "%s",
                  ctl_error_message(ctx));
    ctl_ctx_free(ctx);
}
END_TEST


/* ---- a sheet on threads says what the reading on one thread says ---- */

/* What a reading gave: status, error, warnings and the list as JSON. */
typedef struct {
    ctl_status st;
    ctl_diag code;
    long line;
    char msg[600];
    size_t n_warn;
    ctl_buf warns;   /* "code line message\n" each */
    char *json;
} reading;

static const ctl_options *read_opts;   /* NULL: the defaults */

static void read_as(const unsigned char *d, size_t len, size_t thread_min, reading *r)
{
    size_t saved = ctl_xlsx_thread_min;
    ctl_xlsx_thread_min = thread_min;
    ctl_ctx *c = ctl_ctx_new();
    memset(r, 0, sizeof *r);
    ctl_list *l = read_bytes(c, "xlsx", d, len, read_opts, &r->st);
    ctl_xlsx_thread_min = saved;
    r->code = ctl_error_code(c);
    r->line = ctl_error_line(c);
    snprintf(r->msg, sizeof r->msg, "%s", ctl_error_message(c));
    r->n_warn = ctl_warning_count(c);
    for (size_t i = 0; i < ctl_warning_kept(c); i++)
        ck_assert(ctl_buf_printf(&r->warns, "%d %ld %s\n", (int)ctl_warning_code(c, i), ctl_warning_line(c, i),
                                 ctl_warning_message(c, i)));
    if (r->st == CTL_OK) {
        size_t n;
        ctl_status ws;
        r->json = write_list(c, "json", l, NULL, &n, &ws);
        ck_assert_int_eq(ws, CTL_OK);
    }
    ctl_list_free(l);
    ctl_ctx_free(c);
}

/* A sheet of rows items under a header, their title a Japanese word; every
 * 400th row a formula without a value, a number in a format not applied,
 * an escape kept as text; bad_row (0: none) a boolean that is not one;
 * after: what follows the sheet data. */
static unsigned char *big_book_pre(size_t rows, size_t bad_row, const char *pre, const char *after, size_t *len)
{
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>"));
    ck_assert(ctl_buf_adds(&b, pre));
    ck_assert(ctl_buf_adds(&b, HEADER_ROW));
    for (size_t r = 2; r <= rows + 1; r++) {
        ck_assert(ctl_buf_printf(&b, "<row r=\"%zu\">" "<c r=\"A%zu\" t=\"inlineStr\"><is><t>II.%zu.%zu.1</t></is></c>"
                                 "<c r=\"B%zu\" t=\"inlineStr\"><is><t>管理策 %zu &amp; &lt;検証&gt;</t></is></c>",
                                 r, r, r / 100 + 1, r % 100 + 1, r, r));
        if (r % 400 == 0)
            ck_assert(ctl_buf_printf(&b, "<c r=\"C%zu\"><f>1+1</f></c><c r=\"D%zu\" s=\"1\"><v>%zu.5</v></c>"
                                     "<c r=\"E%zu\" t=\"inlineStr\"><is><t>a_x0000_b</t></is></c>", r, r, r, r));
        if (r == bad_row) ck_assert(ctl_buf_printf(&b, "<c r=\"E%zu\" t=\"b\"><v>2</v></c>", r));
        ck_assert(ctl_buf_adds(&b, "</row>"));
    }
    ck_assert(ctl_buf_printf(&b, "</sheetData>%s</worksheet>", after));
    unsigned char *d = styled_book(b.data, "<numFmt numFmtId=\"170\" formatCode=\"[h]:mm\"/>",
                                   "<xf numFmtId=\"0\"/><xf numFmtId=\"170\"/>", 0, len);
    ctl_buf_free(&b);
    return d;
}

static unsigned char *big_book(size_t rows, size_t bad_row, const char *after, size_t *len)
{
    return big_book_pre(rows, bad_row, "", after, len);
}

/* a and b are equal; else the test fails showing where they part */
static void assert_same_text(const char *what, const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    size_t i = 0;
    while (a[i] && a[i] == b[i]) i++;
    size_t from = i > 80 ? i - 80 : 0;
    ck_assert_msg(a[i] == b[i], "%s differ at byte %zu: one thread '%.160s' | threads '%.160s'", what, i, a + from,
                  b + from);
}

/* threaded: the sheet is to be read on threads to its end (not sent back
 * to one thread) */
static void assert_same_reading(const unsigned char *d, size_t len, ctl_status want, int threaded)
{
    reading one, many;
    read_as(d, len, (size_t)-1, &one);
    size_t before = ctl_xlsx_thread_reads;
    read_as(d, len, 0, &many);
    ck_assert_uint_eq(ctl_xlsx_thread_reads - before, threaded ? 1 : 0);
    ck_assert_int_eq(one.st, want);
    ck_assert_int_eq(many.st, one.st);
    ck_assert_int_eq(many.code, one.code);
    ck_assert_int_eq(many.line, one.line);
    ck_assert_str_eq(many.msg, one.msg);
    assert_same_text("the warnings", one.warns.data, many.warns.data);
    ck_assert_uint_eq(many.n_warn, one.n_warn);
    assert_same_text("the lists", one.json, many.json);
    ctl_buf_free(&one.warns);
    ctl_buf_free(&many.warns);
    free(one.json);
    free(many.json);
}

/* Gives the entry name a wrong CRC, in its local header and in the
 * central directory alike (so that only inflating it whole tells). */
static void corrupt_crc(unsigned char *d, size_t len, const char *name)
{
    size_t n = strlen(name), hits = 0;
    for (size_t i = 0; i + 46 + n <= len; i++) {
        if (!memcmp(d + i, "PK\3\4", 4) && d[i + 26] == (n & 0xff) && !memcmp(d + i + 30, name, n)) {
            d[i + 14] ^= 0x5a;
            hits++;
        } else if (!memcmp(d + i, "PK\1\2", 4) && d[i + 28] == (n & 0xff) && !memcmp(d + i + 46, name, n)) {
            d[i + 16] ^= 0x5a;
            hits++;
        }
    }
    ck_assert_uint_eq(hits, 2);
}

START_TEST(threads_say_what_one_thread_says)
{
    size_t len;
    /* 6,000 rows (about 1.3 MB of XML: many batches, many chunks) */
    unsigned char *d = big_book(6000, 0, "", &len);
    assert_same_reading(d, len, CTL_OK, 1);
    reading r;
    read_as(d, len, 0, &r);
    /* 15 formulas (row 400, 800, ...), 15 escapes, one format warning a column */
    ck_assert_uint_eq(r.n_warn, 31);
    ck_assert_msg(strstr(r.warns.data, "row 400, column C (description): a formula with no saved value"), "%.300s", r.warns.data);
    ctl_buf_free(&r.warns);
    free(r.json);
    free(d);
    /* an error at row 4,321: the warnings before it, the same error */
    d = big_book(6000, 4321, "", &len);
    assert_same_reading(d, len, CTL_EINPUT, 1);
    read_as(d, len, 0, &r);
    ck_assert_int_eq(r.code, CTL_D_CORRUPT_WORKBOOK);
    ck_assert_msg(strstr(r.msg, "row 4321, column E (answer): a boolean cell holding '2'"), "%s", r.msg);
    ctl_buf_free(&r.warns);
    free(d);
    /* merged ranges after the sheet data: read on one thread (the threads'
     * rows dropped, their warnings unsaid), the same */
    d = big_book(6000, 0, "<mergeCells count=\"1\"><mergeCell ref=\"D2:D5\"/></mergeCells>", &len);
    assert_same_reading(d, len, CTL_OK, 0);
    free(d);
    /* malformed XML near the end, and a truncated part */
    d = big_book(6000, 0, "<oops>", &len);
    assert_same_reading(d, len, CTL_EINPUT, 1);
    free(d);
    /* a CRC that does not match: found by the thread looking for merged
     * ranges, said before any row on one thread */
    d = big_book(6000, 0, "", &len);
    corrupt_crc(d, len, "xl/worksheets/sheet1.xml");
    assert_same_reading(d, len, CTL_EINPUT, 0);
    read_as(d, len, 0, &r);
    ck_assert_msg(strstr(r.msg, "fails its CRC check"), "%s", r.msg);
    ctl_buf_free(&r.warns);
    free(d);
}
END_TEST

/* The entry's uncompressed size in the zip's directory (and its local
 * header, unless that defers to a zip64 field) set to size. */
static void claim_size(unsigned char *d, size_t len, const char *name, uint32_t size)
{
    size_t n = strlen(name), hits = 0;
    for (size_t i = 0; i + 46 + n <= len; i++) {
        unsigned char *f = NULL;
        if (!memcmp(d + i, "PK\3\4", 4) && d[i + 26] == (n & 0xff) && !memcmp(d + i + 30, name, n)) f = d + i + 22;
        else if (!memcmp(d + i, "PK\1\2", 4) && d[i + 28] == (n & 0xff) && !memcmp(d + i + 46, name, n)) f = d + i + 24;
        if (!f) continue;
        hits++;
        if (f[0] == 0xff && f[1] == 0xff && f[2] == 0xff && f[3] == 0xff) continue;
        for (int k = 0; k < 4; k++) f[k] = (unsigned char)(size >> (8 * k));
    }
    ck_assert_uint_eq(hits, 2);
}

/* A zip whose directory says a sheet is shorter than it inflates, and
 * limits met at other points: the look-ahead reads as the first pass on
 * one thread does, so the two readings stay the same (review of issue 14). */
START_TEST(threads_meet_what_one_thread_meets)
{
    size_t len;
    unsigned char *d = big_book(6000, 0, "", &len);
    claim_size(d, len, "xl/worksheets/sheet1.xml", 600000);
    assert_same_reading(d, len, CTL_EINPUT, 0);
    free(d);
    ctl_options o;
    ctl_options_init(&o);
    d = big_book(6000, 0, "", &len);
    for (size_t ratio = 4; ratio <= 40; ratio += 3) {
        o.limit[CTL_LIMIT_ZIP_RATIO] = ratio;
        read_opts = &o;
        reading one, many;
        read_as(d, len, (size_t)-1, &one);
        read_as(d, len, 0, &many);
        read_opts = NULL;
        ck_assert_msg(one.st == many.st && one.n_warn == many.n_warn && !strcmp(one.msg, many.msg),
                      "zip-ratio %zu: one thread %d '%s' (%zu warnings), threads %d '%s' (%zu)", ratio, one.st,
                      one.msg, one.n_warn, many.st, many.msg, many.n_warn);
        assert_same_text("the lists", one.json, many.json);
        ctl_buf_free(&one.warns);
        ctl_buf_free(&many.warns);
        free(one.json);
        free(many.json);
    }
    free(d);
    /* a formula before the first row, and merged ranges: back on one
     * thread, the cell is said where one thread says it */
    d = big_book_pre(6000, 0, "<c><f>1+1</f></c>", "<mergeCells count=\"1\"><mergeCell ref=\"D2:D5\"/></mergeCells>",
                     &len);
    for (int k = 0; k < 3; k++) assert_same_reading(d, len, CTL_OK, 0);
    free(d);
}
END_TEST

/* ---- a workbook read in place (ctl_input.read_at) ---- */

typedef struct {
    const unsigned char *d;
    size_t len;
    int calls, fail_after, err;   /* fail_after < 0: never; err 0: the input ends there */
} place;

static int place_read_at(void *user, void *buf, size_t n, unsigned long long off, size_t *got)
{
    place *p = user;
    *got = 0;
    if (p->fail_after >= 0 && p->calls++ >= p->fail_after) return p->err;
    if (off >= p->len) return 0;
    *got = p->len - off < n ? (size_t)(p->len - off) : n;
    memcpy(buf, p->d + off, *got);
    return 0;
}

static ctl_status read_in_place(ctl_ctx *c, place *p, const ctl_options *o, ctl_list *l)
{
    ctl_options dflt;
    if (!o) {
        ctl_options_init(&dflt);
        o = &dflt;
    }
    size_t first = p->len < 65536 ? p->len : 65536;
    ctl_input in = {"test-input", p->d, first, NULL, 0, NULL, NULL, place_read_at, p, p->len};
    return ctl_format_by_name("xlsx")->read(c, &in, o, &l->sink);
}

START_TEST(read_in_place_as_from_memory)
{
    size_t len;
    unsigned char *d = big_book(6000, 0, "", &len);
    ctl_options o;
    ctl_options_init(&o);
    for (int threads = 0; threads < 2; threads++) {
        size_t saved = ctl_xlsx_thread_min;
        ctl_xlsx_thread_min = threads ? 0 : (size_t)-1;
        ctl_ctx *c1 = ctl_ctx_new(), *c2 = ctl_ctx_new();
        ctl_list *l1 = ctl_list_new(), *l2 = ctl_list_new();
        ctl_input mem = {"test-input", d, len, NULL, 0, NULL, NULL, NULL, NULL, 0};
        assert_ok(c1, ctl_format_by_name("xlsx")->read(c1, &mem, &o, &l1->sink));
        place p = {d, len, 0, -1, 0};
        assert_ok(c2, read_in_place(c2, &p, &o, l2));
        ctl_xlsx_thread_min = saved;
        ck_assert_uint_eq(l1->n_items, 6000);
        ck_assert_uint_eq(l2->n_items, l1->n_items);
        for (size_t i = 0; i < l1->n_items; i++) {
            ck_assert_str_eq(l2->items[i].id, l1->items[i].id);
            ck_assert_str_eq(l2->items[i].title, l1->items[i].title);
        }
        ck_assert_uint_eq(ctl_warning_count(c2), ctl_warning_count(c1));
        ctl_list_free(l1);
        ctl_list_free(l2);
        ctl_ctx_free(c1);
        ctl_ctx_free(c2);
    }
    /* the input ends early (it changed), or fails to read: said as such,
     * not as a broken workbook, at the directory and in the sheet */
    for (int k = 0; k < 4; k++) {
        place p = {d, len, 0, k < 2 ? 2 : 40, k % 2 ? EIO : 0};
        ctl_ctx *c = ctl_ctx_new();
        ctl_list *l = ctl_list_new();
        ctl_status st = read_in_place(c, &p, &o, l);
        ck_assert_int_ne(st, CTL_OK);
        ck_assert_msg(ctl_error_code(c) == (k % 2 ? CTL_D_IO_ERROR : CTL_D_INPUT_CHANGED), "case %d: %s [%s]", k,
                      ctl_error_message(c), ctl_diag_name(ctl_error_code(c)));
        ctl_list_free(l);
        ctl_ctx_free(c);
    }
    /* the entries are counted before the directory is walked */
    o.limit[CTL_LIMIT_ZIP_ENTRIES] = 3;
    place p = {d, len, 0, -1, 0};
    ctl_ctx *c = ctl_ctx_new();
    ctl_list *l = ctl_list_new();
    ck_assert_int_eq(read_in_place(c, &p, &o, l), CTL_ELIMIT);
    ck_assert_int_eq(ctl_error_limit(c), CTL_LIMIT_ZIP_ENTRIES);
    ctl_list_free(l);
    ctl_ctx_free(c);
    free(d);
}
END_TEST

int main(void)
{
#ifdef CTL_TEST_XLSX_THREADS
    ctl_xlsx_thread_min = 0;   /* every sheet read as a table is read on threads */
#endif
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("xlsx");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, cell_types_and_strings);
    tcase_add_test(tc, merged_cells);
    tcase_add_test(tc, merges_of_a_laid_out_list);
    tcase_add_test(tc, merges_leave_blank_rows_blank);
    tcase_add_test(tc, merged_id_cells);
    tcase_add_test(tc, merges_bounded_by_the_sheet);
    tcase_add_test(tc, sheet_choice);
    tcase_add_test(tc, limits_just_under_and_over);
    tcase_add_test(tc, hostile_and_broken);
    tcase_add_test(tc, columns_limit);
    tcase_add_test(tc, writer_round_trip);
    tcase_add_test(tc, dates_1900);
    tcase_add_test(tc, dates_1904);
    tcase_add_test(tc, percent_and_other_formats);
    tcase_add_test(tc, plain_number_formats);
    tcase_add_test(tc, formulas_and_booleans);
    tcase_add_test(tc, style_out_of_range);
    tcase_add_test(tc, threads_say_what_one_thread_says);
    tcase_add_test(tc, threads_meet_what_one_thread_meets);
    tcase_add_test(tc, read_in_place_as_from_memory);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
