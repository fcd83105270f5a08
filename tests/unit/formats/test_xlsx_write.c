/* SPDX-License-Identifier: BSD-2-Clause */
/* XLSX text that XML cannot carry as itself: what the writer escapes
 * (_xHHHH_), leaves out or refuses, Excel's cell limit in UTF-16 units, and
 * how the reader decodes escapes (surrogate pairs, _x0000_, lone
 * surrogates).  Every part of every workbook written is unzipped and parsed
 * with libxml2: it must be well-formed. */
#include "support.h"
#include "internal.h"

#include <libxml/parser.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define CT "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
#define WB(sheets) "<?xml version=\"1.0\"?><workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" sheets "</sheets></workbook>"
#define RELS(rels) "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" rels "</Relationships>"
#define REL_SHEET(id, target) "<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"" target "\"/>"
#define REL_SST "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
#define SHEET(rows) "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define HEADER_ROW "<row r=\"1\">" IS("A1", "id") IS("B1", "title") IS("C1", "description") IS("D1", "category") IS("E1", "answer") "</row>"

enum { EXCEL_MAX = 32767 };
static const char EMOJI[] = "\xF0\x9F\x98\x80";   /* U+1F600: two UTF-16 units */

/* ------------------------------------------------------------ workbooks in */

/* A workbook of (name, data) parts, in memory. */
static unsigned char *build(const char *const *parts, size_t n, size_t *len)
{
    char path[] = "/tmp/ctl-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    zipFile z = zipOpen64(path, 0);
    ck_assert_ptr_nonnull(z);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(zipOpenNewFileInZip64(z, parts[2 * i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 9, 1), ZIP_OK);
        ck_assert_int_eq(zipWriteInFileInZip(z, parts[2 * i + 1], (unsigned)strlen(parts[2 * i + 1])), ZIP_OK);
        ck_assert_int_eq(zipCloseFileInZip(z), ZIP_OK);
    }
    ck_assert_int_eq(zipClose(z, NULL), ZIP_OK);
    unsigned char *d = slurp(path, len);
    unlink(path);
    return d;
}

/* Reads a one-sheet workbook with shared strings sst. */
static ctl_list *read_sheet(ctl_ctx *ctx, const char *sheet, const char *sst, ctl_status *st)
{
    const char *parts[] = {
        "[Content_Types].xml", CT,
        "xl/workbook.xml", WB("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"),
        "xl/_rels/workbook.xml.rels", RELS(REL_SHEET("rId1", "worksheets/sheet1.xml") REL_SST),
        "xl/worksheets/sheet1.xml", sheet,
        "xl/sharedStrings.xml", sst,
    };
    size_t len;
    unsigned char *d = build(parts, 5, &len);
    ctl_list *l = read_bytes(ctx, "xlsx", d, len, NULL, st);
    free(d);
    return l;
}

/* ------------------------------------------------------------ workbooks out */

/* Unzips every part of the workbook x and parses each XML part with
 * libxml2: every one must be well-formed.  Returns the number of parts. */
static size_t parts_well_formed(const char *x, size_t n)
{
    char path[] = "/tmp/ctl-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    ck_assert(write(fd, x, n) == (ssize_t)n);
    close(fd);
    unzFile z = unzOpen64(path);
    ck_assert_ptr_nonnull(z);
    size_t parts = 0;
    for (int rc = unzGoToFirstFile(z); rc == UNZ_OK; rc = unzGoToNextFile(z)) {
        char name[256];
        unz_file_info64 info;
        ck_assert_int_eq(unzGetCurrentFileInfo64(z, &info, name, sizeof name, NULL, 0, NULL, 0), UNZ_OK);
        char *data = malloc(info.uncompressed_size + 1);
        ck_assert_ptr_nonnull(data);
        ck_assert_int_eq(unzOpenCurrentFile(z), UNZ_OK);
        ck_assert_int_eq(unzReadCurrentFile(z, data, (unsigned)info.uncompressed_size), (int)info.uncompressed_size);
        ck_assert_int_eq(unzCloseCurrentFile(z), UNZ_OK);
        size_t len = strlen(name);
        if ((len > 4 && !strcmp(name + len - 4, ".xml")) || (len > 5 && !strcmp(name + len - 5, ".rels"))) {
            xmlDocPtr doc = xmlReadMemory(data, (int)info.uncompressed_size, name, NULL,
                                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
            ck_assert_msg(doc != NULL, "part %s is not well-formed XML", name);
            xmlFreeDoc(doc);
        }
        free(data);
        parts++;
    }
    unzClose(z);
    unlink(path);
    ck_assert_uint_ge(parts, 8);
    return parts;
}

/* Writes a as XLSX (every part well-formed), reads it back: equal. */
static void round_trip(ctl_ctx *ctx, const ctl_list *a)
{
    size_t n;
    ctl_status st;
    char *x = write_list(ctx, "xlsx", a, NULL, &n, &st);
    assert_ok(ctx, st);
    parts_well_formed(x, n);
    ctl_ctx *ctx2 = ctl_ctx_new();
    ctl_list *b = read_bytes(ctx2, "xlsx", x, n, NULL, &st);
    assert_ok(ctx2, st);
    char why[512];
    ck_assert_msg(ctl_list_equal(a, b, 1, why, sizeof why), "%s", why);
    ctl_list_free(b);
    ctl_ctx_free(ctx2);
    free(x);
}

static void set(char **field, const char *text)
{
    if (**field) free(*field);   /* an empty text is the list's one static "" */
    *field = strdup(text);
    ck_assert_ptr_nonnull(*field);
}

/* The seed's list (its first items' texts replaced at will). */
static ctl_list *small_list(ctl_ctx *ctx)
{
    ctl_list *a = read_seed(ctx);
    ck_assert_uint_gt(a->n_items, 6);
    return a;
}

/* ------------------------------------------------------------ the writer */

START_TEST(control_characters_in_the_metadata)
{
    list = small_list(ctx);
    set(&list->meta.title, "Title\x01with\x0B controls\x1F");
    set(&list->meta.note, "a note\x02 on\ntwo lines");
    round_trip(ctx, list);   /* docProps/core.xml */
    set(&list->meta.annex, "ANNEX\xEF\xBF\xBF 2\xEF\xBF\xBE");   /* U+FFFF, U+FFFE: the sheet's name too */
    round_trip(ctx, list);
    ck_assert_uint_ge(warnings_with(ctx, CTL_D_PROPERTY_DROPPED), 3);
    ck_assert(has_warning(ctx, "the title is left out of the workbook's document properties: it holds "
                               "U+0001, which XML 1.0 cannot carry"));
    ck_assert(has_warning(ctx, "the note (comments) is left out"));
    ck_assert(has_warning(ctx, "the annex (subject) is left out"));
}
END_TEST

START_TEST(characters_xml_cannot_carry_in_cells)
{
    list = small_list(ctx);
    char controls[40];
    for (int c = 1; c < 32; c++) controls[c - 1] = (char)c;
    controls[31] = '\0';
    set(&list->items[0].title, "U+FFFE \xEF\xBF\xBE U+FFFF \xEF\xBF\xBF emoji \xF0\x9F\x98\x80");
    set(&list->items[1].title, controls);
    set(&list->items[1].answer, "\r\n\r x\r");
    set(&list->items[2].title, "escapes as text: _x0041_ _x00e9_ _xD83D__xDE00_ _x0000_ _x005F_x0041_ _xFFFF_");
    set(&list->items[2].description, "not escapes: _X0041_ _x004G_ _x41_ __x_ _x");
    set(&list->items[3].title, "_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x0041__x_x");
    set(&list->items[3].answer, "__x0041___x0042__");
    set(&list->items[4].title, "\xEF\xBF\xBE\xEF\xBF\xBF");
    /* an extra column whose header and cells need escapes (every item has it) */
    const char *extra = "note _x0041_ \xEF\xBF\xBF";
    for (size_t i = 0; i < list->n_items; i++) {
        ctl_item *it = &list->items[i];
        ck_assert_uint_eq(it->n_extra, 0);
        it->extra = calloc(1, sizeof *it->extra);
        it->extra[0].name = strdup(extra);
        it->extra[0].value = strdup(i == 5 ? "v\x01\xEF\xBF\xBE" : "");
        it->n_extra = 1;
    }
    list->meta.columns = realloc(list->meta.columns, (list->meta.n_columns + 1) * sizeof *list->meta.columns);
    list->meta.columns[list->meta.n_columns++] = strdup(extra);
    round_trip(ctx, list);
}
END_TEST

/* A text of n code points: k emoji then 'a's, or with the escape-looking
 * word every so often. */
static char *text_of(size_t emoji, size_t plain, const char *word, size_t words)
{
    size_t wl = word ? strlen(word) : 0;
    char *s = malloc(emoji * 4 + plain + wl * words + 1), *o = s;
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < emoji; i++, o += 4) memcpy(o, EMOJI, 4);
    for (size_t i = 0; i < words; i++, o += wl) memcpy(o, word, wl);
    memset(o, 'a', plain);
    o[plain] = '\0';
    return s;
}

static void expect_refused(ctl_ctx *ctx, const ctl_list *a, const char *why)
{
    size_t n;
    ctl_status st;
    char *x = write_list(ctx, "xlsx", a, NULL, &n, &st);
    ck_assert_int_eq(st, CTL_ELIMIT);
    ck_assert_msg(strstr(ctl_error_message(ctx), why), "%s", ctl_error_message(ctx));
    free(x);
}

START_TEST(cell_limit_in_utf16_units)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *a = small_list(ctx);
    /* 32,767 UTF-16 units: 10 emoji (20 units) and 32,747 'a' */
    char *s = text_of(10, EXCEL_MAX - 20, NULL, 0);
    set(&a->items[0].title, s);
    free(s);
    round_trip(ctx, a);
    /* one over, in 32,758 code points (libxlsxwriter's count lets it pass) */
    s = text_of(10, EXCEL_MAX - 19, NULL, 0);
    set(&a->items[0].title, s);
    free(s);
    ctl_ctx *ctx2 = ctl_ctx_new();
    /* model v2 columns: id, level, parent, isms, title (the 5th) */
    expect_refused(ctx2, a, "row 6, column 5: a cell longer than the 32,767 characters Excel allows "
                            "(32768 UTF-16 units");
    ctl_ctx_free(ctx2);
    /* control characters count one each, as shown (written as _xHHHH_) */
    char *c = malloc(EXCEL_MAX + 1);
    memset(c, '\x01', EXCEL_MAX);
    c[EXCEL_MAX] = '\0';
    set(&a->items[0].title, c);
    round_trip(ctx, a);
    c[EXCEL_MAX - 1] = '\0';
    set(&a->items[0].title, "");
    set(&a->items[1].answer, c);
    round_trip(ctx, a);
    free(c);
    /* text that looks like an escape counts as shown, but its escape
     * (_x005F_x0041_, six more) must fit libxlsxwriter's count too */
    s = text_of(0, EXCEL_MAX - 13 * 10, "_x0041_", 10);
    set(&a->items[1].answer, s);
    free(s);
    round_trip(ctx, a);
    s = text_of(0, EXCEL_MAX - 13 * 10 + 1, "_x0041_", 10);
    set(&a->items[1].answer, s);
    free(s);
    ctx2 = ctl_ctx_new();
    expect_refused(ctx2, a, "whose _xHHHH_ escapes (for text like _x0041_, U+FFFE, U+FFFF) make it longer "
                            "than the 32,767 characters libxlsxwriter writes");
    ctl_ctx_free(ctx2);
    /* a long run of _x (the escaping was quadratic in it) */
    s = malloc(EXCEL_MAX + 1);
    for (size_t i = 0; i < EXCEL_MAX; i++) s[i] = i % 2 ? 'x' : '_';
    s[EXCEL_MAX] = '\0';
    set(&a->items[1].answer, s);
    free(s);
    round_trip(ctx, a);
    ctl_list_free(a);
    ctl_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------ the reader */

START_TEST(reader_decodes_escapes)
{
    ctl_status st;
    ctl_list *l = read_sheet(ctx, SHEET(HEADER_ROW
        "<row r=\"2\">" IS("A2", "II.1") IS("B2", "a_xD83D__xDE00_b") IS("C2", "lower _xd83d__xde00_ _x00e9_")
        "<c r=\"E2\" t=\"s\"><v>0</v></c></row>"
        "<row r=\"3\">" IS("A3", "II.2") IS("B3", "nul _x0000_ cut?") IS("C3", "lone _xD800_ high")
        IS("E3", "_xDC00_ low, _xD800__x0041_ unpaired, _xDBFF__xDFFF_ last") "</row>"),
        "<?xml version=\"1.0\"?><sst " NS "><si><t>shared _xD83D__xDE00_ and _x0000_</t></si></sst>", &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(l->n_items, 2);
    ck_assert_str_eq(l->items[0].title, "a\xF0\x9F\x98\x80" "b");
    ck_assert_str_eq(l->items[0].description, "lower \xF0\x9F\x98\x80 \xC3\xA9");
    ck_assert_str_eq(l->items[0].answer, "shared \xF0\x9F\x98\x80 and _x0000_");
    ck_assert_str_eq(l->items[1].title, "nul _x0000_ cut?");
    ck_assert_str_eq(l->items[1].description, "lone _xD800_ high");
    ck_assert_str_eq(l->items[1].answer, "_xDC00_ low, _xD800_A unpaired, \xF4\x8F\xBF\xBF last");
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_ESCAPE_KEPT), ctl_warning_count(ctx));
    /* each names the cell: its row, its column's letter and header word */
    ck_assert(has_warning(ctx, "row 2, column E (answer), shared string 0: kept _x0000_ as text (1 such "
                               "escape(s)): _x0000_ and an unpaired UTF-16 surrogate are no characters"));
    ck_assert(has_warning(ctx, "row 3, column B (title): kept _x0000_ as text"));
    ck_assert(has_warning(ctx, "row 3, column C (description): kept _xD800_ as text"));
    ck_assert(has_warning(ctx, "row 3, column E (answer): kept _xDC00_ as text (2 such escape(s))"));
    for (size_t i = 0; i < 2; i++) {
        const char *t[] = {l->items[i].title, l->items[i].description, l->items[i].answer};
        for (size_t k = 0; k < 3; k++) ck_assert_uint_eq(ctl_utf8_valid_prefix((const unsigned char *)t[k], strlen(t[k])), strlen(t[k]));
    }
    ctl_list_free(l);
}
END_TEST

START_TEST(sheets_sharing_a_part)
{
    const char *parts[] = {
        "[Content_Types].xml", CT,
        "xl/workbook.xml", WB("<sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"B\" sheetId=\"2\" r:id=\"rId2\"/>"),
        "xl/_rels/workbook.xml.rels", RELS(REL_SHEET("rId2", "/xl/worksheets/sheet1.xml") REL_SHEET("rId1", "worksheets/sheet1.xml")),
        "xl/worksheets/sheet1.xml", SHEET(HEADER_ROW "<row r=\"2\">" IS("A2", "II.1") "</row>"),
    };
    size_t len;
    unsigned char *d = build(parts, 4, &len);
    ctl_status st;
    list = read_bytes(ctx, "xlsx", d, len, NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    ck_assert_str_eq(ctl_error_message(ctx), "sheets 'A' and 'B' are one part, "
                     "xl/worksheets/sheet1.xml: refused (each sheet of a workbook has its own)");
    free(d);
}
END_TEST

/* Merged ranges in any order, overlapping, or whose first row is missing:
 * the sweep over rows gives what the ranges say, the first range over a
 * column winning. */
/* Above the header a kept escape is named by its row and column letter. */
START_TEST(reader_names_cells_above_the_header)
{
    ctl_status st;
    ctl_list *l = read_sheet(ctx, SHEET("<row r=\"1\">" IS("AB1", "title _x0000_") "</row>"
        "<row r=\"2\">" IS("A2", "id") IS("B2", "title") IS("C2", "description") IS("D2", "category") "</row>"
        "<row r=\"3\">" IS("A3", "II.1") "</row>"), "<?xml version=\"1.0\"?><sst " NS "/>", &st);
    assert_ok(ctx, st);
    ck_assert(has_warning(ctx, "row 1, column AB: kept _x0000_ as text"));
    ctl_list_free(l);
}
END_TEST

START_TEST(merges_in_any_order)
{
    ctl_status st;
    ctl_list *l = read_sheet(ctx,
        "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" HEADER_ROW
        "<row r=\"2\">" IS("A2", "II.1") IS("D2", "推奨") IS("E2", "ans") "</row>"
        "<row r=\"3\">" IS("A3", "II.2") "</row>"
        "<row r=\"4\">" IS("A4", "II.3") IS("E4", "own") "</row>"
        "<row r=\"6\">" IS("A6", "II.4") "</row>"
        "<row r=\"7\">" IS("A7", "II.5") "</row>"
        "</sheetData><mergeCells><mergeCell ref=\"E2:E6\"/><mergeCell ref=\"C5:C7\"/><mergeCell ref=\"D2:D3\"/>"
        "<mergeCell ref=\"D3:D7\"/><mergeCell ref=\"E2:E7\"/></mergeCells></worksheet>",
        "<?xml version=\"1.0\"?><sst " NS "/>", &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(l->n_items, 5);
    ck_assert_int_eq(l->items[1].category, CTL_CATEGORY_RECOMMENDED);   /* D2:D3 */
    ck_assert_int_eq(l->items[2].category, CTL_CATEGORY_NONE);          /* D3:D7 began on a row of D2:D3 */
    ck_assert_str_eq(l->items[1].answer, "ans");
    ck_assert_str_eq(l->items[2].answer, "own");                         /* a row's own cell stays */
    ck_assert_str_eq(l->items[3].answer, "ans");                         /* row 6: E2:E6 */
    ck_assert_str_eq(l->items[4].answer, "");                            /* row 7: E2:E7 overlapped, ignored */
    ck_assert_str_eq(l->items[4].description, "");                       /* C5:C7: row 5 is missing */
    ctl_list_free(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xlsx_escape");
    TCase *tc = tcase_create("xlsx_escape");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, control_characters_in_the_metadata);
    tcase_add_test(tc, characters_xml_cannot_carry_in_cells);
    tcase_add_test(tc, cell_limit_in_utf16_units);
    tcase_add_test(tc, reader_decodes_escapes);
    tcase_add_test(tc, sheets_sharing_a_part);
    tcase_add_test(tc, reader_names_cells_above_the_header);
    tcase_add_test(tc, merges_in_any_order);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
