/* SPDX-License-Identifier: BSD-2-Clause */
/* XLSX writer on libxlsxwriter: one sheet named for the list, the title,
 * note and annex heading in rows above a bold header row that stays frozen,
 * an autofilter, widths that fit the columns, wrapped measures and answers,
 * sections and subsections shaded so the hierarchy shows, a font that
 * renders Japanese, and the metadata in the workbook properties too.
 *
 * Every value is written as a string (never a formula); the workbook is
 * written in constant_memory mode (rows stream out as items arrive) and with
 * a fixed creation time, so the same input gives the same bytes.
 * libxlsxwriter writes to a file name, so the workbook goes to a temporary
 * file first and is copied into the output stream at the end. */
#include "xlsx.h"

#include <dlfcn.h>
#include <errno.h>
#include <libxml/parser.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define FONT "Yu Gothic"

static const ctl_role columns[] = {CTL_ROLE_ID, CTL_ROLE_LEVEL, CTL_ROLE_PARENT, CTL_ROLE_ISMS,
                                   CTL_ROLE_TITLE, CTL_ROLE_DESCRIPTION, CTL_ROLE_CATEGORY,
                                   CTL_ROLE_ANSWER};
enum { N_COLUMNS = sizeof columns / sizeof *columns };
static const double widths[N_COLUMNS] = {14, 6, 14, 14, 32, 70, 8, 50};

/* Which of the model's columns hold long text that wraps (cells of extra
 * columns wrap too). */
static int wraps(size_t c)
{
    return columns[c] == CTL_ROLE_TITLE || columns[c] == CTL_ROLE_DESCRIPTION || columns[c] == CTL_ROLE_ANSWER;
}

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    const ctl_options *opts;
    char *tmp_dir, *tmp_path;   /* a private directory in $TMPDIR, the workbook in it */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *f_title, *f_note, *f_header, *f_section, *f_subsection, *f_cell, *f_wrap;
    const char **extras;
    size_t n_extras;
    const char **values;
    size_t n_dropped;
    lxw_row_t row;           /* next row to write */
    lxw_row_t header_row;
    ctl_buf refs, escaped;   /* escaped: a cell's text as xstring() makes it */
    ctl_buf xml;             /* the row being written (see put_string) */
    lxw_row_t open_row;      /* its number, when row_open */
    int row_open, xml_failed;
    ctl_refs_watched refs_changed;
    char *ref_scheme;        /* the list's main reference scheme */
    const char *unprefixed;  /* ctl_refs_unprefixed(ref_scheme), once */
    ctl_id_cells *ids;       /* what goes in the id column: the labels kept */
} xlsx_writer;

/* libxlsxwriter prints some errors itself, on stderr; a library must not
 * touch the process's stderr to hide them, so it is given nothing to
 * print: the sheet name is validated (workbook_validate_sheet_name), every
 * string's length is checked before it is written, the temporary directory
 * is our own and a temporary file is made in it before the worksheet needs
 * one, and the workbook of a failed conversion is freed, never written
 * (lxw_workbook_free).  Its error codes become ctlconv's messages.  What it
 * can still print: a memory allocation failure (any call), a temporary
 * file it cannot create after ours could be (descriptors or inodes run
 * out), and a zip it cannot write in workbook_close (a full disk, a file
 * size limit): the caller's stderr gets those lines. */
static ctl_status lxw_fail(ctl_ctx *ctx, const char *name, lxw_error err, const char *what)
{
    ctl_diag code = err == LXW_ERROR_MEMORY_MALLOC_FAILED ? CTL_D_OUT_OF_MEMORY
                  : err == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED || err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE
                      ? CTL_D_FIXED_LIMIT : CTL_D_IO_ERROR;
    return ctl_fail(ctx, code, name, 0, "%s: %s", what, lxw_strerror(err));
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\,
 * not starting or ending with an apostrophe. */
static void sheet_name(const ctl_meta *meta, char *out, size_t size)
{
    const char *src = meta->annex && *meta->annex ? meta->annex
                    : meta->title && *meta->title ? meta->title : "controls";
    size_t o = 0, chars = 0;
    for (const char *p = src; *p && chars < 31;) {
        uint32_t cp;
        size_t n = ctl_utf8_decode(p, strlen(p), &cp);
        if (o + n + 1 >= size) break;
        if (strchr("[]:*?/\\", (int)(unsigned char)*p) && n == 1) out[o++] = '_';
        else if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) out[o++] = ' ';   /* no escape in a name */
        else { memcpy(out + o, p, n); o += n; }
        p += n;
        chars++;
    }
    while (o && (out[o - 1] == '\'' || out[o - 1] == ' ')) o--;
    size_t start = 0;
    while (start < o && out[start] == '\'') start++;
    memmove(out, out + start, o - start);
    o -= start;
    if (!o) { strcpy(out, "controls"); return; }
    out[o] = '\0';
}

static lxw_format *new_format(xlsx_writer *w)
{
    lxw_format *f = workbook_add_format(w->wb);
    format_set_font_name(f, FONT);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static const char *header_word(const xlsx_writer *w, ctl_role r)
{
    if (r == CTL_ROLE_ISMS) return ctl_refs_header(w->ref_scheme, w->opts->header);
    return w->opts->header == CTL_HEADER_JA ? ctl_role_name_ja(r) : ctl_role_name_en(r);
}

/* Text that looks like an OOXML escape: _x, four hex digits (either case:
 * readers take both), _. */
static int is_hex4(const char *p)
{
    for (int i = 0; i < 4; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
            return 0;
    return 1;
}

static int looks_escaped(const char *p, size_t left)
{
    return left >= 7 && p[0] == '_' && p[1] == 'x' && is_hex4(p + 2) && p[6] == '_';
}

/* Is s (len bytes) valid UTF-8 with nothing that xstring() escapes (no
 * "_x", U+FFFE or U+FFFF)?  Then *units and *points are counted from its
 * bytes: a code point is a byte that is no continuation byte, and one past
 * U+FFFF (two UTF-16 units) has a four-byte lead. */
static int plain(const char *s, size_t len, size_t *units, size_t *points)
{
    const unsigned char *b = (const unsigned char *)s;
    size_t chars = 0, quads = 0;
    /* s ends with a NUL: b[i + 1] is readable, and so is each byte a
     * sequence's lead announces once the one before it was a continuation */
    for (size_t i = 0; i < len; chars++) {
        unsigned c = b[i], c1 = b[i + 1];
        if (c < 0x80) {
            if (c == '_' && c1 == 'x') return 0;
            i++;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if ((c1 & 0xC0) != 0x80) return 0;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            unsigned c2 = (c1 & 0xC0) == 0x80 ? b[i + 2] : 0;
            if ((c2 & 0xC0) != 0x80 || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) ||
                (c == 0xEF && c1 == 0xBF && c2 >= 0xBE))   /* overlong, surrogate, U+FFFE/U+FFFF */
                return 0;
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            unsigned c2 = (c1 & 0xC0) == 0x80 ? b[i + 2] : 0, c3 = (c2 & 0xC0) == 0x80 ? b[i + 3] : 0;
            if ((c3 & 0xC0) != 0x80 || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return 0;
            i += 4;
            quads++;
        } else {
            return 0;
        }
    }
    *points = chars;
    *units = chars + quads;
    return 1;
}

/* A cell's text made ready for libxlsxwriter, which escapes &, <, > and the
 * control characters U+0001..U+001F but tab and line feed (as _xHHHH_,
 * counted as one character) and nothing else:
 *  - text that looks like an escape (_x0041_) is escaped itself
 *    (_x005F_x0041_), or every reader decodes it;
 *  - U+FFFE and U+FFFF, which XML 1.0 cannot carry, become _xFFFE_ and
 *    _xFFFF_, as Excel writes them.
 * *units is the length Excel's limit applies to: the text as shown (before
 * escaping), in UTF-16 units (a character past U+FFFF is two); *points is
 * what libxlsxwriter's own check counts, the code points of what it is
 * given.  One pass over the text. */
static const char *xstring(ctl_buf *escaped, const char *s, size_t *units, size_t *points, int *nomem)
{
    size_t len = strlen(s), run = 0;
    int copied = 0;
    *nomem = 0;
    if (plain(s, len, units, points)) return s;
    *units = *points = 0;
    escaped->len = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = ctl_utf8_decode(s + i, len - i, &cp);
        const char *esc = looks_escaped(s + i, len - i) ? "_x005F"
                        : cp == 0xFFFE ? "_xFFFE_" : cp == 0xFFFF ? "_xFFFF_" : NULL;
        *units += cp >= 0x10000 ? 2 : 1;
        if (esc) {
            int keep = esc[2] == '0';   /* _x005F goes before the text, the others replace it */
            if (!ctl_buf_add(escaped, s + run, i - run) || !ctl_buf_adds(escaped, esc)) {
                *nomem = 1;
                return s;
            }
            copied = 1;
            run = keep ? i : i + n;
            *points += strlen(esc) + (keep ? 1 : 0);
        } else {
            *points += 1;
        }
        i += n;
    }
    if (!copied) return s;
    if (!ctl_buf_add(escaped, s + run, len - run)) { *nomem = 1; return s; }
    return escaped->data;
}

/* s made ready (xstring) and checked against Excel's limit and
 * libxlsxwriter's: *ready is the text to write. */
static ctl_status ready_text(ctl_ctx *ctx, const char *where, lxw_row_t row, lxw_col_t col, const char *s,
                             ctl_buf *escaped, const char **ready)
{
    size_t units, points;
    int oom;
    s = xstring(escaped, s, &units, &points, &oom);
    if (oom) return ctl_nomem(ctx);
    if (units > CTL_XLSX_CELL_MAX)
        return ctl_fail(ctx, CTL_D_FIXED_LIMIT, where, 0, "row %u, column %u: a cell longer than the "
                        "32,767 characters Excel allows (%zu UTF-16 units; a character past U+FFFF "
                        "counts two)", (unsigned)row + 1, (unsigned)col + 1, units);
    if (points > CTL_XLSX_CELL_MAX)
        return ctl_fail(ctx, CTL_D_FIXED_LIMIT, where, 0, "row %u, column %u: a cell of %zu characters "
                        "whose _xHHHH_ escapes (for text like _x0041_, U+FFFE, U+FFFF) make it "
                        "longer than the 32,767 characters libxlsxwriter writes",
                        (unsigned)row + 1, (unsigned)col + 1, units);
    *ready = s;
    return CTL_OK;
}

static ctl_status too_many_rows(ctl_ctx *ctx, const char *where)
{
    return ctl_fail(ctx, CTL_D_FIXED_LIMIT, where, 0, "more rows than the 1,048,576 a worksheet holds");
}

ctl_status ctl_xlsx_put_string(ctl_ctx *ctx, const char *where, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                               const char *s, lxw_format *f, ctl_buf *escaped)
{
    ctl_status st = ready_text(ctx, where, row, col, s, escaped, &s);
    if (st != CTL_OK) return st;
    lxw_error err = *s ? worksheet_write_string(ws, row, col, s, f)
                       : worksheet_write_blank(ws, row, col, f);
    if (err == LXW_NO_ERROR) return CTL_OK;
    if (err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE) return too_many_rows(ctx, where);
    return lxw_fail(ctx, where, err, "cannot write a cell");
}

/* ---- the list's rows, written here ----
 *
 * In constant_memory mode libxlsxwriter writes each row as XML to the
 * worksheet's temporary file (ws->file) once the next row begins, and
 * copies that file into the sheet part at workbook_close.  Its way costs
 * some seven thousand instructions a cell (a copy and two escaping passes
 * of the text in fresh allocations, a list of attributes, fprintf): a
 * third of a large conversion.  So the list's writer writes the same XML
 * itself, byte for byte what worksheet_write_string and
 * worksheet_write_blank write (unit_formats_xlsx_level compares the
 * workbooks, ctl_xlsx_rows_by_libxlsxwriter):
 *   <row r="R"><c r="A1" s="X" t="inlineStr"><is><t>text</t></is></c>...</row>
 * with & < > as entities, the control characters but tab and line feed as
 * _xHHHH_, xml:space="preserve" on text with a space at either end, a
 * blank cell as <c r="A1" s="X"/>; and it keeps the sheet's dimensions
 * (ws->dim_*), from which libxlsxwriter writes <dimension>.  All of the
 * sheet's cells go this way (libxlsxwriter's own row stays empty), each
 * with a format, in increasing rows and, within a row, columns. */

/* v in decimal appended to b (no printf: it was a third of a cell's cost). */
static int add_number(ctl_buf *b, unsigned long v)
{
    char d[24];
    size_t k = sizeof d;
    do d[--k] = (char)('0' + v % 10); while ((v /= 10));
    return ctl_buf_add(b, d + k, sizeof d - k);
}

/* "C12": the reference of the cell at row, col (0-based), appended to b. */
static int add_ref(ctl_buf *b, lxw_row_t row, lxw_col_t col)
{
    char t[8];
    size_t k = sizeof t;
    for (unsigned c = (unsigned)col + 1; c && k; c = (c - 1) / 26) t[--k] = (char)('A' + (c - 1) % 26);
    return ctl_buf_add(b, t + k, sizeof t - k) && add_number(b, (unsigned long)row + 1);
}

/* s escaped as libxlsxwriter escapes inline text, appended to b. */
static int add_text(ctl_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c > '>' || (c >= ' ' && c != '&' && c != '<' && c != '>') || c == '\t' || c == '\n') continue;
        if (!ctl_buf_add(b, run, (size_t)(s - run))) return 0;
        run = s + 1;
        const char *e = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : NULL;
        char x[8] = {'_', 'x', '0', '0', hex[c >> 4], hex[c & 15], '_', '\0'};
        if (!ctl_buf_adds(b, e ? e : x)) return 0;
    }
    return ctl_buf_add(b, run, (size_t)(s - run));
}

static int space_at(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* Ends the row open in w->xml and writes it out. */
static void end_row(xlsx_writer *w)
{
    if (!w->row_open) return;
    if (ctl_buf_adds(&w->xml, "</row>")) fwrite(w->xml.data, 1, w->xml.len, w->ws->file);
    else w->xml_failed = 1;
    w->xml.len = 0;
    w->row_open = 0;
}

/* Writes s (never a formula; "" gives a blank cell) in column col of row
 * w->row with format f (not NULL), as libxlsxwriter would (see above). */
_Thread_local int ctl_xlsx_rows_by_libxlsxwriter;

static ctl_status put_string(xlsx_writer *w, ctl_ctx *ctx, lxw_col_t col, const char *s, lxw_format *f)
{
    if (ctl_xlsx_rows_by_libxlsxwriter) return ctl_xlsx_put_string(ctx, w->name, w->ws, w->row, col, s, f, &w->escaped);
    ctl_status st = ready_text(ctx, w->name, w->row, col, s, &w->escaped, &s);
    if (st != CTL_OK) return st;
    if (w->row >= LXW_ROW_MAX) return too_many_rows(ctx, w->name);
    lxw_worksheet *ws = w->ws;
    ctl_buf *b = &w->xml;
    if (w->row_open && w->open_row != w->row) end_row(w);
    if (!w->row_open) {
        b->len = 0;
        if (!ctl_buf_adds(b, "<row r=\"") || !add_number(b, (unsigned long)w->row + 1) || !ctl_buf_adds(b, "\">"))
            return ctl_nomem(ctx);
        w->row_open = 1;
        w->open_row = w->row;
    }
    if (w->row < ws->dim_rowmin) ws->dim_rowmin = w->row;
    if (w->row > ws->dim_rowmax) ws->dim_rowmax = w->row;
    if (col < ws->dim_colmin) ws->dim_colmin = col;
    if (col > ws->dim_colmax) ws->dim_colmax = col;
    int xf = (int)lxw_format_get_xf_index(f);   /* 0, the default format: no s */
    int ok = ctl_buf_adds(b, "<c r=\"") && add_ref(b, w->row, col) &&
             (xf ? ctl_buf_adds(b, "\" s=\"") && add_number(b, (unsigned long)xf) && ctl_buf_addc(b, '"')
                 : ctl_buf_addc(b, '"'));
    if (ok && !*s) {
        ok = ctl_buf_adds(b, "/>");
    } else if (ok) {
        int keep = space_at(s[0]) || space_at(s[strlen(s) - 1]);
        ok = ctl_buf_adds(b, keep ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>") &&
             add_text(b, s) && ctl_buf_adds(b, "</t></is></c>");
    }
    return ok ? CTL_OK : ctl_nomem(ctx);
}

/* The first character of s that XML 1.0 cannot carry as itself in a text
 * part (controls but tab and line feed; carriage return, which parsers read
 * as a line feed; U+FFFE, U+FFFF), or 0 when there is none. */
static uint32_t uncarried(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += ctl_utf8_decode(s + i, len - i, &cp);
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF) return cp;
    }
    return 0;
}

/* A document property (docProps/core.xml) has no escape: one that holds a
 * character XML cannot carry is left out, with a warning (the text is in
 * the sheet all the same).  *value becomes NULL then. */
ctl_status ctl_xlsx_doc_property(ctl_ctx *ctx, const char *name, const char *what, char **value)
{
    if (!*value || !**value) { *value = NULL; return CTL_OK; }
    uint32_t cp = uncarried(*value);
    if (!cp) return CTL_OK;
    *value = NULL;
    return ctl_warn(ctx, CTL_D_PROPERTY_DROPPED, name, 0, "the %s is left out of the workbook's document properties: it "
                    "holds U+%04X, which XML 1.0 cannot carry there (it is in the sheet)", what,
                    (unsigned)cp);
}

/* Would the title rows read back as other metadata?  A reader of the sheet
 * takes the first of them as the title, one that looks like an annex
 * heading as the annex, the others as the note, each trimmed
 * (converters/table.c). */
static int title_rows_at_risk(const ctl_meta *meta)
{
    const char *title = ctl_str(meta->title), *note = ctl_str(meta->note), *annex = ctl_str(meta->annex);
    const char *parts[] = {title, note, annex};
    for (size_t i = 0; i < 3; i++) {
        const char *t = parts[i];
        size_t n = strlen(t);
        ctl_trim(&t, &n);
        if (n != strlen(parts[i])) return 1;
    }
    return (!*title && (*note || *annex)) || (*annex && !ctl_looks_like_annex(annex, strlen(annex))) ||
           (*note && ctl_looks_like_annex(note, strlen(note)));
}

static ctl_status xw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    xlsx_writer *w = (xlsx_writer *)self;
    if (!(w->ref_scheme = ctl_strdup(ctl_str(meta->ref_scheme)))) return ctl_nomem(ctx);
    w->unprefixed = ctl_refs_unprefixed(w->ref_scheme);
    ctl_status st = ctl_extra_columns(ctx, meta, w->opts, &w->extras, &w->n_extras);
    if (st != CTL_OK) return st;
    if (w->n_extras && !(w->values = ctl_malloc(w->n_extras * sizeof *w->values)))
        return ctl_nomem(ctx);
    if (title_rows_at_risk(meta) &&
        (st = ctl_warn(ctx, CTL_D_TITLE_AT_RISK, w->name, 0, "the document's title, note or annex heading may not "
                       "read back as such from the rows above the header (no title, spaces at their ends, an "
                       "annex heading without ANNEX/一覧, or a note with them)")) != CTL_OK)
        return st;
    /* libxlsxwriter's own temporary files go in our private directory too */
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = w->tmp_dir};
    w->wb = workbook_new_opt(w->tmp_path, &wo);
    if (!w->wb) return ctl_fail(ctx, CTL_D_OUT_OF_MEMORY, w->name, 0, "cannot create the workbook: out of memory");
    lxw_doc_properties props = {
        .title = meta->title, .subject = meta->annex, .comments = meta->note, .created = CTL_XLSX_CREATED,
    };
    if ((st = ctl_xlsx_doc_property(ctx, w->name, "title", &props.title)) != CTL_OK ||
        (st = ctl_xlsx_doc_property(ctx, w->name, "annex (subject)", &props.subject)) != CTL_OK ||
        (st = ctl_xlsx_doc_property(ctx, w->name, "note (comments)", &props.comments)) != CTL_OK)
        return st;
    lxw_error err = workbook_set_properties(w->wb, &props);
    if (err) return lxw_fail(ctx, w->name, err, "cannot set the workbook properties");
    char name[128];
    sheet_name(meta, name, sizeof name);
    if (workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR) strcpy(name, "controls");
    /* the worksheet's rows go to a temporary file: one that cannot be made
     * is said here, not by libxlsxwriter */
    FILE *probe = lxw_tmpfile(w->tmp_dir);
    if (!probe)
        return ctl_fail(ctx, CTL_D_IO_ERROR, w->name, 0, "cannot create a temporary file in %s: %s", w->tmp_dir,
                        strerror(errno));
    fclose(probe);
    w->ws = workbook_add_worksheet(w->wb, name);
    if (!w->ws)
        return ctl_fail(ctx, CTL_D_IO_ERROR, w->name, 0, "cannot add the worksheet: no temporary file in %s, "
                        "or out of memory", w->tmp_dir);

    w->f_title = new_format(w);
    format_set_bold(w->f_title);
    format_set_font_size(w->f_title, 14);
    w->f_note = new_format(w);
    w->f_header = new_format(w);
    format_set_bold(w->f_header);
    format_set_bg_color(w->f_header, 0xD9D9D9);
    format_set_border(w->f_header, LXW_BORDER_THIN);
    format_set_text_wrap(w->f_header);
    w->f_section = new_format(w);
    format_set_bold(w->f_section);
    format_set_bg_color(w->f_section, 0xBDD7EE);
    format_set_text_wrap(w->f_section);
    w->f_subsection = new_format(w);
    format_set_bold(w->f_subsection);
    format_set_bg_color(w->f_subsection, 0xDDEBF7);
    format_set_text_wrap(w->f_subsection);
    w->f_cell = new_format(w);
    w->f_wrap = new_format(w);
    format_set_text_wrap(w->f_wrap);

    size_t ncols = N_COLUMNS + w->n_extras;
    for (size_t c = 0; c < ncols; c++) {
        double width = c < N_COLUMNS ? widths[c] : 24;
        lxw_format *f = c < N_COLUMNS && wraps(c) ? w->f_wrap : NULL;
        if ((err = worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, width, f)))
            return lxw_fail(ctx, w->name, err, "cannot set column widths");
    }
    /* the document's title rows, as offices lay them out */
    const struct { const char *text; lxw_format *f; } top[] = {
        {meta->title, w->f_title}, {meta->note, w->f_note}, {meta->annex, w->f_note}};
    for (size_t i = 0; i < 3; i++) {
        if (!top[i].text || !*top[i].text) continue;
        if ((st = put_string(w, ctx, 0, top[i].text, top[i].f)) != CTL_OK) return st;
        w->row++;
    }
    if (w->row) w->row++;    /* a blank row between them and the table */
    w->header_row = w->row;
    for (size_t c = 0; c < N_COLUMNS; c++)
        if ((st = put_string(w, ctx, (lxw_col_t)c, header_word(w, columns[c]), w->f_header)) != CTL_OK)
            return st;
    for (size_t c = 0; c < w->n_extras; c++)
        if ((st = put_string(w, ctx, (lxw_col_t)(N_COLUMNS + c), w->extras[c], w->f_header)) != CTL_OK)
            return st;
    worksheet_freeze_panes(w->ws, w->header_row + 1, 0);
    w->row++;
    return CTL_OK;
}

static ctl_status xw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    xlsx_writer *w = (xlsx_writer *)self;
    char label[CTL_ID_MAX + 96], level[16];
    /* the label as printed when it reads back as the id, a generated id's
     * code; MIC's canonical label for a MIC number; else the id */
    const char *lab = ctl_id_cell(w->ids, it, label, sizeof label);
    if (!lab || !ctl_refs_join(&w->refs, it, w->unprefixed) ||
        !ctl_refs_watch(&w->refs_changed, it, w->refs.data, w->unprefixed))
        return ctl_nomem(ctx);
    if (it->level >= 0 && it->level < 10) level[0] = (char)('0' + it->level), level[1] = '\0';
    else snprintf(level, sizeof level, "%d", it->level);
    const char *cells[N_COLUMNS] = {lab, level, ctl_str(it->parent), w->refs.data, ctl_str(it->title),
                                    ctl_str(it->description), ctl_category_word(it), ctl_str(it->answer)};
    lxw_format *rowf = it->level == 1 ? w->f_section : it->level == 2 ? w->f_subsection : NULL;
    ctl_status st = CTL_OK;
    for (size_t c = 0; c < N_COLUMNS && st == CTL_OK; c++) {
        lxw_format *f = rowf ? rowf : wraps(c) ? w->f_wrap : w->f_cell;
        st = put_string(w, ctx, (lxw_col_t)c, cells[c], f);
    }
    w->n_dropped += ctl_extra_values(it, w->extras, w->n_extras, w->values);
    for (size_t c = 0; c < w->n_extras && st == CTL_OK; c++)
        st = put_string(w, ctx, (lxw_col_t)(N_COLUMNS + c), w->values[c], rowf ? rowf : w->f_wrap);
    w->row++;
    return st;
}

static void ignore_xml_error(void *user, xmlErrorPtr err)
{
    (void)user;
    (void)err;
}

/* Is the part open in z whole (its CRC) and, if XML, well-formed?  The
 * worksheet, as long as the input, is only checked to end with its
 * closing tag (a write that failed cuts it short); the other parts are
 * small and parsed. */
static int part_sound(unzFile z, const char *name)
{
    static const char sheet_end[] = "</worksheet>";
    enum { TAIL = sizeof sheet_end - 1 };
    size_t len = strlen(name);
    int sheet = !strncmp(name, "xl/worksheets/", 14);
    int xml = (len > 4 && !strcmp(name + len - 4, ".xml")) || (len > 5 && !strcmp(name + len - 5, ".rels"));
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.serror = ignore_xml_error;
    xmlParserCtxtPtr p = NULL;
    if (xml && !sheet && !(p = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, name))) return 0;
    if (p) xmlCtxtUseOptions(p, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int ok = unzOpenCurrentFile(z) == UNZ_OK;
    if (ok) {
        char buf[65536], last[TAIL];
        size_t have = 0;   /* bytes in last: the part's last ones */
        int n;
        while (ok && (n = unzReadCurrentFile(z, buf, sizeof buf)) != 0) {
            ok = n > 0 && (!p || xmlParseChunk(p, buf, n, 0) == 0);
            if (!ok || !sheet) continue;
            size_t got = (size_t)n, keep = got >= TAIL ? 0 : have < TAIL - got ? have : TAIL - got;
            memmove(last, last + have - keep, keep);
            memcpy(last + keep, buf + (got > TAIL ? got - TAIL : 0), got < TAIL ? got : TAIL);
            have = keep + (got < TAIL ? got : TAIL);
        }
        ok = ok && (!p || xmlParseChunk(p, NULL, 0, 1) == 0);
        ok = ok && (!sheet || (have == TAIL && !memcmp(last, sheet_end, TAIL)));
        ok = unzCloseCurrentFile(z) == UNZ_OK && ok;
    }
    if (p) xmlFreeParserCtxt(p);
    return ok;
}

/* libxlsxwriter does not check its writes to the temporary files it
 * assembles the parts in: a full disk or a file size limit leaves a part
 * cut short, in silence.  So the workbook is read back before it goes out. */
/* Are the compressed bytes of the part open in z all there, and does it
 * inflate to size bytes (the directory says so)?  For the worksheet, whose
 * text was checked whole on its way into the zip (see sheet_sound). */
static int part_present(unzFile z, const unz_file_info64 *info, long long size)
{
    if ((long long)info->uncompressed_size != size || unzOpenCurrentFile2(z, NULL, NULL, 1) != UNZ_OK) return 0;
    char buf[65536];
    int n;
    unsigned long long got = 0;
    while ((n = unzReadCurrentFile(z, buf, sizeof buf)) > 0) got += (unsigned)n;
    int ok = n == 0 && got == info->compressed_size;
    return unzCloseCurrentFile(z) == UNZ_OK && ok;
}

/* sheet_size: the worksheet's bytes as checked on their way into the zip,
 * or -1 when they were not (then it is inflated and checked here). */
static ctl_status verify_workbook(ctl_ctx *ctx, const char *name, const char *path, const char *dir,
                                  long long sheet_size)
{
    ctl_xml_harden();
    unzFile z = unzOpen64(path);
    if (!z) return ctl_fail(ctx, CTL_D_WORKBOOK_UNVERIFIED, name, 0, "the workbook written in %s cannot be read back "
                            "(a full disk?)", dir);
    ctl_status st = CTL_OK;
    int rc;
    for (rc = unzGoToFirstFile(z); rc == UNZ_OK && st == CTL_OK; rc = unzGoToNextFile(z)) {
        char part[256];
        unz_file_info64 info;
        int checked = sheet_size >= 0;
        if (unzGetCurrentFileInfo64(z, &info, part, sizeof part, NULL, 0, NULL, 0) != UNZ_OK ||
            !(checked && !strncmp(part, "xl/worksheets/", 14) ? part_present(z, &info, sheet_size) : part_sound(z, part)))
            st = ctl_fail(ctx, CTL_D_WORKBOOK_UNVERIFIED, name, 0, "the workbook written is damaged: part %s is cut short "
                          "or not well-formed (a full disk or a file size limit in %s?)", part, dir);
    }
    if (st == CTL_OK && rc != UNZ_END_OF_LIST_OF_FILE)
        st = ctl_fail(ctx, CTL_D_WORKBOOK_UNVERIFIED, name, 0, "the workbook written in %s cannot be read back", dir);
    unzClose(z);
    return st;
}

static ctl_status copy_into(ctl_ctx *ctx, const char *name, const char *path, FILE *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot read the workbook back: %s", strerror(errno));
    char buf[65536];
    size_t n;
    int err = 0;
    while (!err && (n = fread(buf, 1, sizeof buf, f)) > 0) err = ctl_write_err(out, buf, n);
    int bad = !err && ferror(f), read_err = errno;
    fclose(f);
    if (err) return ctl_write_failed(ctx, name, err);
    return bad ? ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot read the workbook back: %s", strerror(read_err)) : CTL_OK;
}

/* ---- the deflate level of the workbook's zip entries ----
 *
 * libxlsxwriter 1.1.4 has no setting for it: its packager opens every
 * part with minizip's zipOpenNewFileInZip4_64 at Z_DEFAULT_COMPRESSION
 * (level 6), which is half the time of a large conversion.  So the library
 * defines that function itself, with default visibility: the dynamic
 * linker binds libxlsxwriter's call (through its PLT) to the first
 * definition in the process's lookup order, which is ours when the program
 * links libctlconv.a (an executable exports the symbols that the shared
 * libraries on its link line use) or libctlconv.so (its version script
 * exports this one symbol besides ctl_*, and it comes before libminizip,
 * its own dependency).  Ours calls minizip's (dlsym RTLD_NEXT) with the
 * same arguments, except while this thread is inside ctl_xlsx_finish's
 * workbook_close: then a deflated entry gets the level asked for (level 0:
 * a stored entry).  Every other use of minizip in the process, on this
 * thread or another, is passed through unchanged.  Where the binding does
 * not happen (a program that links libminizip before libctlconv.so), the
 * parts keep libxlsxwriter's level; zip_reached tells, and an explicit
 * level then gets a warning. */
static _Thread_local int zip_level = -1;   /* -1: not inside our close */
static _Thread_local int zip_reached;      /* our definition was called there */
/* The list's worksheet, whose part is checked as it goes into the zip:
 * zip_sheet_size is its bytes when sound, -1 when not checked, -2 when
 * found cut short. */
static _Thread_local lxw_worksheet *zip_sheet;
static _Thread_local long long zip_sheet_size = -1;

/* libxlsxwriter 1.1.4 assembles the worksheet's part in a temporary file,
 * ws->file, without checking its writes (a full disk, a file size limit
 * cut it short in silence), and opens its zip entry before reading it
 * back.  There the file is whole: its writes all succeeded (the stream's
 * error flag is clear once flushed) and it ends with </worksheet>.  This
 * spares inflating the sheet again to check its end (verify_workbook). */
static void sheet_sound(lxw_worksheet *ws)
{
    static const char end[] = "</worksheet>";
    enum { END = sizeof end - 1 };
    FILE *f = ws->file;
    struct stat sb;
    char tail[END];
    zip_sheet_size = -2;
    if (fflush(f) != 0 || ferror(f) || fstat(fileno(f), &sb) != 0 || sb.st_size < END ||
        pread(fileno(f), tail, END, sb.st_size - END) != END || memcmp(tail, end, END))
        return;
    zip_sheet_size = (long long)sb.st_size;
}

typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *, const void *, uInt, const void *, uInt,
                           const char *, int, int, int, int, int, int, const char *, uLong, uLong, uLong, int);

__attribute__((visibility("default"))) int
zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi, const void *extrafield_local,
                        uInt size_extrafield_local, const void *extrafield_global, uInt size_extrafield_global,
                        const char *comment, int method, int level, int raw, int windowBits, int memLevel,
                        int strategy, const char *password, uLong crcForCrypting, uLong versionMadeBy,
                        uLong flagBase, int zip64)
{
    static zip_open_fn real;   /* minizip's: the next definition after ours */
    zip_open_fn fn = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
    if (!fn) {
        *(void **)&fn = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (!fn) return ZIP_INTERNALERROR;
        __atomic_store_n(&real, fn, __ATOMIC_RELEASE);
    }
    if (zip_level >= 0 && zip_sheet && zip_sheet->file && filename && !strncmp(filename, "xl/worksheets/", 14))
        sheet_sound(zip_sheet);
    if (zip_level >= 0 && method == Z_DEFLATED && !raw) {
        zip_reached = 1;
        level = zip_level;
        if (!level) method = 0;   /* stored */
    }
    return fn(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
              size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy, password,
              crcForCrypting, versionMadeBy, flagBase, zip64);
}

/* workbook_close(wb) with the parts deflated at level (0..9); *reached:
 * whether the level could be applied (see above); *sheet_size: ws's part
 * checked on its way (see sheet_sound; ws may be NULL). */
static lxw_error close_at_level(lxw_workbook *wb, int level, lxw_worksheet *ws, int *reached, long long *sheet_size)
{
    zip_level = level;
    zip_reached = 0;
    zip_sheet = ws;
    zip_sheet_size = -1;
    lxw_error err = workbook_close(wb);
    zip_level = -1;
    zip_sheet = NULL;
    *reached = zip_reached;
    *sheet_size = zip_sheet_size;
    return err;
}

static ctl_status finish(ctl_ctx *ctx, const char *name, lxw_workbook *wb, lxw_worksheet *ws, const char *path,
                         const char *dir, FILE *out, int compression)
{
    int level = compression ? compression - 1 : CTL_XLSX_LEVEL, reached;
    long long sheet_size;
    errno = 0;
    lxw_error err = close_at_level(wb, level, ws, &reached, &sheet_size);
    int sys = errno;
    if (err) {
        /* these codes come with errno set by the file or zip call that failed */
        char said[160] = "";
        if (sys && (err == LXW_ERROR_CREATING_XLSX_FILE || err == LXW_ERROR_CREATING_TMPFILE ||
                    err == LXW_ERROR_ZIP_FILE_OPERATION || err == LXW_ERROR_ZIP_PARAMETER_ERROR ||
                    err == LXW_ERROR_ZIP_BAD_ZIP_FILE || err == LXW_ERROR_ZIP_INTERNAL_ERROR))
            snprintf(said, sizeof said, " (%s)", strerror(sys));
        return ctl_fail(ctx, err == LXW_ERROR_MEMORY_MALLOC_FAILED ? CTL_D_OUT_OF_MEMORY : CTL_D_IO_ERROR, name, 0,
                        "cannot write the workbook%s: %s", said, lxw_strerror(err));
    }
    if (sheet_size == -2)
        return ctl_fail(ctx, CTL_D_WORKBOOK_UNVERIFIED, name, 0, "the workbook written is damaged: part "
                        "xl/worksheets/sheet1.xml is cut short or not well-formed (a full disk or a file size limit "
                        "in %s?)", dir);
    ctl_status st = verify_workbook(ctx, name, path, dir, sheet_size);
    if (st == CTL_OK) st = copy_into(ctx, name, path, out);
    if (st == CTL_OK && compression && !reached)
        st = ctl_warn(ctx, CTL_D_COMPRESSION_IGNORED, name, 0, "--compression %d not applied: the workbook's parts "
                      "have libxlsxwriter's own deflate level (this program links libminizip ahead of libctlconv, "
                      "so the library cannot set it)", compression - 1);
    return st;
}

ctl_status ctl_xlsx_finish(ctl_ctx *ctx, const char *name, lxw_workbook *wb, const char *path, const char *dir,
                           FILE *out)
{
    return finish(ctx, name, wb, NULL, path, dir, out, 0);
}

static ctl_status xw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    xlsx_writer *w = (xlsx_writer *)self;
    size_t ncols = N_COLUMNS + w->n_extras;
    lxw_error err;
    if ((err = worksheet_autofilter(w->ws, w->header_row, 0, w->row > w->header_row + 1 ? w->row - 1 : w->header_row,
                                    (lxw_col_t)(ncols - 1))))
        return lxw_fail(ctx, w->name, err, "cannot set the autofilter");
    end_row(w);
    if (w->xml_failed) return ctl_nomem(ctx);
    /* the rows went to a temporary file whose writes libxlsxwriter does
     * not check */
    if (fflush(w->ws->file) != 0 || ferror(w->ws->file))
        return ctl_fail(ctx, CTL_D_IO_ERROR, w->name, 0, "cannot write the worksheet's temporary file in %s: %s",
                        w->tmp_dir, strerror(errno));
    lxw_workbook *wb = w->wb;
    w->wb = NULL;
    ctl_status st = finish(ctx, w->name, wb, w->ws, w->tmp_path, w->tmp_dir, w->out, w->opts->compression);
    if (st == CTL_OK && meta->n_unplaced)
        st = ctl_warn(ctx, CTL_D_UNPLACED_DROPPED, w->name, 0, "%zu unplaced ISMS reference(s) not written (XLSX has no "
                      "place for them)", meta->n_unplaced);
    if (st == CTL_OK && w->n_dropped)
        st = ctl_warn(ctx, CTL_D_EXTRA_DROPPED, w->name, 0, "%zu extra cell(s) without a column in the document's "
                      "header not written", w->n_dropped);
    if (st == CTL_OK) st = ctl_id_cells_warn(w->ids, ctx, w->name);
    if (st == CTL_OK) st = ctl_refs_watched_say(&w->refs_changed, ctx, w->name, "XLSX");
    return st;
}

static void xw_destroy(ctl_sink *self)
{
    xlsx_writer *w = (xlsx_writer *)self;
    if (w->wb) {
        /* a failed conversion: freed, not written (nothing to print); the
         * worksheet's temporary file is ours to close then */
        if (w->ws && w->ws->optimize_tmpfile) {
            fclose(w->ws->optimize_tmpfile);
            w->ws->optimize_tmpfile = w->ws->file = NULL;
        }
        lxw_workbook_free(w->wb);
    }
    ctl_free(w->tmp_path);
    ctl_temp_dir_remove(w->tmp_dir);   /* with libxlsxwriter's files */
    ctl_free(w->extras);
    ctl_free(w->values);
    ctl_buf_free(&w->refs);
    ctl_free(w->ref_scheme);
    ctl_buf_free(&w->escaped);
    ctl_buf_free(&w->xml);
    ctl_id_cells_free(w->ids);
    ctl_free(w);
}

static ctl_status xlsx_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                  const ctl_options *opts, ctl_sink **sink)
{
    if (opts->compression < 0 || opts->compression > 10)
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, out_name, 0, "compression %d: the deflate level plus one, 0 "
                        "(the default) to 10 (level 9)", opts->compression);
    xlsx_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    ctl_status st = ctl_temp_dir_create(ctx, out_name, &w->tmp_dir);
    if (st == CTL_OK && !(w->tmp_path = ctl_malloc(strlen(w->tmp_dir) + 16))) st = ctl_nomem(ctx);
    if (st == CTL_OK && !(w->ids = ctl_id_cells_new(1))) st = ctl_nomem(ctx);
    if (st != CTL_OK) {
        ctl_free(w->tmp_path);
        ctl_temp_dir_remove(w->tmp_dir);
        ctl_free(w);
        return st;
    }
    sprintf(w->tmp_path, "%s/book.xlsx", w->tmp_dir);
    w->sink.begin = xw_begin;
    w->sink.item = xw_item;
    w->sink.end = xw_end;
    w->sink.destroy = xw_destroy;
    w->out = out;
    w->name = out_name;
    w->opts = opts;
    *sink = &w->sink;
    return CTL_OK;
}

/* The reader lives in xlsx_read.c; one descriptor for the format. */
extern ctl_status ctl_xlsx_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts,
                                ctl_sink *sink);

static int xlsx_probe(const char *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4) ? 100 : 0;
}

static const char *const xlsx_ext[] = {"xlsx", NULL};

const ctl_format ctl_format_xlsx = {
    .name = "xlsx",
    .loses = CTL_LOSES_UNPLACED,
    .description = "Excel workbook (Office Open XML)",
    .extensions = xlsx_ext,
    .options = CTL_READS_COLUMNS | CTL_READS_SHEET | CTL_WRITES_HEADER_LANG | CTL_WRITES_COMPRESSION,
    .probe = xlsx_probe,
    .read = ctl_xlsx_read,
    .writer = xlsx_writer_new,
    .magic = "PK\x03\x04",   /* a zip: the reader tells a workbook from other zips */
    .flows = 1,              /* a sheet's rows go on as they are parsed */
    .seeks = 1,              /* a zip is read at offsets, not whole */
    .magic_len = 4,
};
