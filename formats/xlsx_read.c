/* SPDX-License-Identifier: BSD-2-Clause */
/* XLSX reader on minizip + libxml2, streaming the sheet.
 *
 *  - the archive is read from memory; every entry is inflated under limits
 *    counted on the bytes actually inflated (per entry, in total, the
 *    compression ratio) and the number of entries, since sizes in the zip
 *    directory can lie;
 *  - every XML part goes through libxml2's SAX2 push parser, fed as it is
 *    inflated, with no entity expansion, no network, a deny-all external
 *    entity loader, and any DOCTYPE refused;
 *  - workbook.xml and its relationships name the sheets; --sheet picks one,
 *    otherwise the first sheet whose header row is recognisable;
 *  - shared strings keep their rich-text runs and skip phonetic runs
 *    (<rPh>, <phoneticPr>): furigana never leaks into a title; inline
 *    strings, str, n (without floating-point noise), b and e cells;
 *  - merged cells: a quick first pass collects <mergeCells> (they follow the
 *    sheet data); a vertical merge gives its value to every row it spans
 *    that has text of its own (an identifier only to rows with one of
 *    their own), a horizontal merge stays one value; the copies are
 *    bounded by the sheet's size;
 *  - number formats (styles.xml): dates and times become ISO 8601 (the 1900
 *    and 1904 date systems, Excel's nonexistent 1900-02-29), percentages
 *    are shown as Excel shows them, General and plain number formats keep
 *    the number; any other format keeps the number with a warning, once a
 *    column; a formula without a saved value is said, never guessed;
 *  - rows go to the table reader shared with CSV (header by its words below
 *    title rows, any column order, extra columns kept);
 *  - a workbook with a sheet named library_meta is CISO Assistant's library
 *    workbook: read without --sheet or columns, it goes to
 *    formats/ciso_xlsx.c, which reads its sheets as rows (formats/xlsx.h). */
#include "xlsx.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <math.h>
#include <minizip/unzip.h>
#include <pthread.h>
#include <stdlib.h>
#include <strings.h>

/* ------------------------------------------------------------ zip from memory */

/* The archive's bytes: in memory (data), or read in place through the
 * input's read_at (src set; len its size); a handle's own position. */
typedef struct {
    const unsigned char *data;
    size_t len, pos;
    const ctl_input *src;
    int err;             /* read_at's errno value once it failed; -1: the input ended before its size */
    unsigned char *ahead;   /* read in place: bytes read ahead (minizip reads headers a field at a time) */
    size_t ahead_off, ahead_len;
} memfile;

enum { AHEAD = 65536 };

/* Reads n bytes at m->pos of an input read in place into buf, through the
 * read-ahead; returns the bytes read (fewer: an error or an early end,
 * kept in m->err). */
static size_t read_in_place(memfile *m, unsigned char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t at = m->pos + done, got = 0;
        if (m->ahead_len && at >= m->ahead_off && at < m->ahead_off + m->ahead_len) {
            size_t k = m->ahead_off + m->ahead_len - at;
            if (k > n - done) k = n - done;
            memcpy(buf + done, m->ahead + (at - m->ahead_off), k);
            done += k;
            continue;
        }
        if (!m->ahead && n - done < AHEAD) m->ahead = ctl_malloc(AHEAD);
        if (!m->ahead || n - done >= AHEAD) {   /* a large read goes straight */
            int e = m->src->read_at(m->src->read_at_user, buf + done, n - done, at, &got);
            if ((e || got < n - done) && !m->err) m->err = e ? e : -1;
            done += got;
            break;
        }
        size_t want = m->len - at < AHEAD ? m->len - at : AHEAD;
        int e = m->src->read_at(m->src->read_at_user, m->ahead, want, at, &got);
        m->ahead_off = at;
        m->ahead_len = got;
        if (e || got < want) {
            if (!m->err) m->err = e ? e : -1;
            if (!got) break;
        }
    }
    return done;
}

static voidpf ZCALLBACK mem_open(voidpf opaque, const void *name, int mode)
{
    (void)name;
    (void)mode;
    ((memfile *)opaque)->pos = 0;
    return opaque;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void)opaque;
    memfile *m = stream;
    size_t n = m->len - m->pos < size ? m->len - m->pos : size;
    if (m->src) n = read_in_place(m, buf, n);
    else memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (uLong)n;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0;
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((memfile *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    (void)opaque;
    memfile *m = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0
                  : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->len;
    if (off > m->len || base + off > m->len) return -1;
    m->pos = (size_t)(base + off);
    return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

/* ------------------------------------------------------------ the reader */

typedef struct sheet_info {
    char *name;
    char *path;          /* inside the archive, e.g. xl/worksheets/sheet1.xml */
} sheet_info;

typedef struct merge {
    long r1, r2;
    size_t c1, c2;
    char *value;         /* the top-left value, once its row was read */
    size_t value_len;
    int is_id;           /* the value is an identifier (see fill_row) */
} merge;

/* What a number format does to a number cell. */
enum { NF_GENERAL, NF_DATE, NF_PERCENT, NF_NUMBER, NF_OTHER };
typedef struct numfmt {
    int kind;
    int date, time;      /* NF_DATE: has a date part, a time part */
    int decimals;        /* NF_PERCENT */
    long id;
    const char *code;    /* the format code, for messages (NULL: built-in) */
    const char *shape;   /* NF_NUMBER: the code drawn (a built-in's own) */
} numfmt;

typedef struct xlsx {
    ctl_ctx *ctx;
    const ctl_options *opts;
    const char *file;
    unzFile zip;
    memfile mem;
    /* inflated bytes: each part counts once, however often it is read */
    struct part_size { char *path; size_t bytes; } *parts;
    size_t n_parts;
    size_t total_inflated;
    /* workbook */
    sheet_info *sheets;
    size_t n_sheets;
    char *sst_path;
    char *styles_path;
    int date1904;        /* workbookPr date1904 */
    /* styles: custom formats, the cell formats (cellXfs) by index */
    struct custom_fmt { long id; char *code; } *fmts;
    size_t n_fmts, cap_fmts;
    numfmt *xfs;
    size_t n_xfs, cap_xfs;
    int in_cellxfs;
    unsigned char *fmt_warned;   /* columns warned about their format (bits) */
    /* shared strings: offsets into one arena */
    ctl_buf sst;
    size_t *sst_off;
    size_t n_sst, cap_sst;
    /* the shared strings that kept escapes as text, said where a cell uses them */
    struct sst_kept { size_t idx, kept; char first[8]; } *sst_kept;
    size_t n_sst_kept, cap_sst_kept;
    /* the SAX pass running now */
    xmlParserCtxtPtr parser;
    ctl_status st;
    int stop;            /* stopped on purpose (a probe saw enough) */
    int kind;            /* which pass: see enum below */
    const char *part;    /* the part it parses */
    /* element state */
    int in_t, in_v, in_rph, in_is;
    ctl_buf text;        /* <t> / <v> text being collected */
    /* workbook.xml and rels */
    struct rel { char *id, *target, *type; } *rels;
    size_t n_rels;
    struct wbsheet { char *name, *rid; } *wbs;
    size_t n_wbs;
    /* sheet */
    merge *merges;       /* sorted by first row once read */
    size_t n_merges, cap_merges;
    size_t next_merge;   /* the first that has not begun yet */
    size_t *active;      /* the ones over the current row, one per column */
    size_t n_active;
    size_t *col_owner;   /* by first column: 1 + the active one there, or 0 */
    size_t filled;       /* what filling from merges cost so far (see FILL_CELL) */
    size_t fill_budget;
    long row;            /* current row number (1-based) */
    size_t col;          /* next column (0-based) */
    char cell_type[16];
    long cell_style;     /* s, the index in cellXfs */
    int have_formula;
    ctl_buf cell_value;
    int have_value;
    ctl_buf arena;       /* the row's cell texts */
    struct cellref { size_t col, off, len; char kind; } *cells;
    size_t n_cells, cap_cells;
    size_t max_columns, max_entry, max_total, max_ratio;   /* the limits in force */
    ctl_cell *row_cells;
    char *row_kinds;     /* CTL_XLSX_* of each of row_cells */
    size_t cap_row_cells;
    ctl_xlsx_row_fn row_fn;   /* PASS_ROWS: where rows go */
    void *row_user;
    ctl_table *table;    /* rows go here (NULL in a probe) */
    char *sheet_file;    /* "book.xlsx[Sheet1]" for messages */
    size_t probe_rows;
    size_t probe_score, probe_below;   /* the best header row's, the rows below it */
    char attr[1024];     /* attr()'s value */
    struct mscan { int saw; char tail[16]; size_t tail_len; } ms;   /* does the sheet mention mergeCell? */
    struct tsheet *ts;   /* the sheet read on threads (see sheet_threads), on its parsing thread */
    int where_set;       /* ts: cell_where was asked for the cell at where_col (and where_sst) */
    size_t where_col;
    long where_sst;
} xlsx;

enum { PASS_WORKBOOK, PASS_RELS, PASS_SST, PASS_STYLES, PASS_MERGES, PASS_SHEET, PASS_PROBE, PASS_ROWS };
enum { MAX_COLUMNS = 16384, MAX_MERGES = 100000 };
/* Filling from merged ranges is bounded by the sheet's own bytes, so that
 * its cost stays linear in the input: a filled cell costs FILL_CELL plus
 * its text, a range looked at over a row costs 1, and all together at most
 * FILL_FLOOR + FILL_RATIO x the bytes of the sheet and its shared strings
 * (a laid-out list, whose merged category and section cells repeat a
 * short word, needs a small part of that). */
enum { FILL_CELL = 32, FILL_RATIO = 2, FILL_FLOOR = 1 << 20 };

static void stop_with(xlsx *x, ctl_status st)
{
    if (x->st == CTL_OK) x->st = st;
    if (x->parser) xmlStopParser(x->parser);
}

static ctl_status nomem(xlsx *x)
{
    return ctl_nomem(x->ctx);
}

/* The attribute name's value, copied into x->attr (one value at a time:
 * the next call overwrites it; one buffer a reader, so that readers on
 * other threads keep theirs), cut to its size; NULL when absent. */
static const char *attr_value(xlsx *x, const xmlChar **a)
{
    size_t len = (size_t)(a[4] - a[3]);
    if (len >= sizeof x->attr) len = sizeof x->attr - 1;
    memcpy(x->attr, a[3], len);
    x->attr[len] = '\0';
    return x->attr;
}

static const char *attr(xlsx *x, const xmlChar **attrs, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (a[0][0] == (xmlChar)name[0] && !strcmp((const char *)a[0], name)) return attr_value(x, a);
    }
    return NULL;
}

/* The value of the _xHHHH_ escape at p (7 bytes of left), or -1. */
static long xescape(const char *p, size_t left)
{
    if (left < 7 || p[0] != '_' || p[1] != 'x' || p[6] != '_') return -1;
    long v = 0;
    for (int k = 2; k < 6; k++) {
        char c = p[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Decodes the _xHHHH_ escapes of OOXML strings (ST_Xstring) in place.  A
 * pair of escaped UTF-16 surrogates (_xD83D__xDE00_) is one character; an
 * escape that is no character (_x0000_, a lone surrogate) is kept as its
 * seven characters of text, never decoded into a NUL (which would cut the
 * text) or into bytes that are not UTF-8.  Returns how many were kept; the
 * first is copied to first[8]. */
static size_t decode_xstring(ctl_buf *b, char *first)
{
    size_t kept = 0;
    if (!b->data || !memchr(b->data, '_', b->len)) return 0;
    size_t o = 0;
    for (size_t i = 0; i < b->len;) {
        long v = xescape(b->data + i, b->len - i), lo;
        size_t used = 7;
        if (v >= 0xD800 && v <= 0xDBFF && (lo = xescape(b->data + i + 7, b->len - i - 7)) >= 0xDC00 && lo <= 0xDFFF) {
            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            used = 14;
        } else if (v == 0 || (v >= 0xD800 && v <= 0xDFFF)) {
            if (!kept++) { memcpy(first, b->data + i, 7); first[7] = '\0'; }
            v = -1;
        }
        if (v >= 0) {
            char u[8];
            size_t n = ctl_utf8_encode((uint32_t)v, u);
            memcpy(b->data + o, u, n);   /* n <= 4 < 7: never overtakes i */
            o += n;
            i += used;
            continue;
        }
        b->data[o++] = b->data[i++];
    }
    b->len = o;
    b->data[o] = '\0';
    return kept;
}

/* Says which escapes decode_xstring() kept as text, and why. */
static ctl_status kept_escapes(xlsx *x, const char *file, long line, const char *where, size_t kept,
                               const char *first)
{
    if (!kept) return CTL_OK;
    return ctl_warn(x->ctx, CTL_D_ESCAPE_KEPT, file, line, "%s: kept %s as text (%zu such escape(s)): _x0000_ and an "
                    "unpaired UTF-16 surrogate are no characters", where, first, kept);
}

/* "row 12, column C (title)" for the cell at row and col (0-based): its
 * header word once the header is known.  sst >= 0: the shared string it
 * refers to. */
static void where_text(const xlsx *x, long row, size_t col, long sst, char *out, size_t size)
{
    char letters[8];
    size_t n = 0, c = col + 1;
    for (; c && n < sizeof letters - 1; c = (c - 1) / 26) letters[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n / 2; i++) {
        char t = letters[i];
        letters[i] = letters[n - 1 - i];
        letters[n - 1 - i] = t;
    }
    letters[n] = '\0';
    const char *name = x->table ? ctl_table_column_name(x->table, col) : NULL;
    int k = snprintf(out, size, "row %ld, column %s", row, letters);
    if (name && k >= 0 && (size_t)k < size)
        k += snprintf(out + k, size - (size_t)k, " (%.*s)", (int)ctl_utf8_clip(name, strlen(name), 40), name);
    if (sst >= 0 && k >= 0 && (size_t)k < size) snprintf(out + k, size - (size_t)k, ", shared string %ld", sst);
}

/* The place of the cell being read (where_text), for a message that
 * starts with it.  On a sheet read on threads the parsing thread leaves it
 * empty and says which cell: the place is worded when the message is said,
 * from the table as it is then (see sheet_threads). */
static void cell_where(xlsx *x, long sst, char *out, size_t size)
{
    if (x->ts) {
        x->where_set = 1;
        x->where_col = x->col;
        x->where_sst = sst;
        out[0] = '\0';
        return;
    }
    where_text(x, x->row, x->col, sst, out, size);
}

/* A number attribute (a style index, a row): strtol's value, without its
 * call for the plain digits writers put there. */
static long number_attr(const char *s)
{
    long v = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && i < 9; i++) v = v * 10 + (s[i] - '0');
    return i && !s[i] ? v : strtol(s, NULL, 10);
}

/* "B12" -> column 1, row 12; returns 0 when it is no cell reference. */
static int parse_ref(const char *s, size_t *col, long *row)
{
    size_t c = 0;
    int letters = 0;
    while (*s >= 'A' && *s <= 'Z' && letters < 4) { c = c * 26 + (size_t)(*s - 'A' + 1); s++; letters++; }
    if (!letters || c > MAX_COLUMNS) return 0;
    long r = 0;
    const char *end = s;
    if (*s >= '1' && *s <= '9') {   /* plain digits, as writers put them: no strtol call */
        while (*end >= '0' && *end <= '9' && r <= 1048576) r = r * 10 + (*end++ - '0');
    } else {
        char *e;
        r = strtol(s, &e, 10);
        end = e;
    }
    if (end == s || *end || r < 1 || r > 1048576) return 0;
    *col = c - 1;
    *row = r;
    return 1;
}

/* ------------------------------------------------------------ inflating */

typedef void (*chunk_fn)(xlsx *x, const char *buf, size_t n);

/* Why an inflating stopped short: the diagnostic it makes (code, or the
 * limit passed) and its message; code CTL_DIAG_COUNT when none. */
typedef struct zfail {
    ctl_diag code;
    ctl_limit limit;     /* CTL_LIMIT_COUNT: not a limit */
    char msg[320];
} zfail;

/* The limits an inflating is held to (those in force: see book_open). */
typedef struct zlimits {
    size_t max_entry, max_total, max_ratio;
} zlimits;

/* Inflates the current entry of zip (opened) chunk by chunk to fn, under
 * the limits, counted on the bytes actually inflated (per entry; in total,
 * with others inflated from other parts; the ratio to what was consumed so
 * far), then closes it.  fn returns 0 to stop.  Returns 1 when the entry
 * was inflated whole (its CRC checked), 0 when fn stopped it, -1 on a
 * failure (*f says it).  *entry: the bytes inflated.  Shared by the reading
 * on one thread and the sheet's threads (no ctx: f is reported by the
 * caller). */
static int inflate_loop(unzFile zip, const char *path, size_t others, const zlimits *lim,
                        int (*fn)(void *user, const char *buf, size_t n), void *user, size_t *entry, zfail *f)
{
    char buf[65536];
    int result = 1;
    *entry = 0;
    f->code = CTL_DIAG_COUNT;
    f->limit = CTL_LIMIT_COUNT;
    ZPOS64_T start = unzGetCurrentFileZStreamPos64(zip);
    for (;;) {
        int n = unzReadCurrentFile(zip, buf, sizeof buf);
        if (n < 0) {
            f->code = CTL_D_CORRUPT_WORKBOOK;
            snprintf(f->msg, sizeof f->msg, "corrupt or truncated workbook: part %s does not inflate (zip error %d)",
                     path, n);
            result = -1;
            break;
        }
        if (n == 0) break;
        *entry += (size_t)n;
        if (*entry > lim->max_entry) {
            f->limit = CTL_LIMIT_ZIP_ENTRY_SIZE;
            snprintf(f->msg, sizeof f->msg, "part %s inflates to more than the limit of %zu bytes: a zip bomb?", path,
                     lim->max_entry);
            result = -1;
            break;
        }
        if (others + *entry > lim->max_total) {
            f->limit = CTL_LIMIT_ZIP_TOTAL_SIZE;
            snprintf(f->msg, sizeof f->msg, "the workbook inflates to more than the limit of %zu bytes in all: a zip "
                     "bomb?", lim->max_total);
            result = -1;
            break;
        }
        /* the ratio of what was inflated to what was consumed so far: the
         * sizes in the directory can lie */
        ZPOS64_T now = unzGetCurrentFileZStreamPos64(zip);
        size_t consumed = now > start ? (size_t)(now - start) : 1;
        if (*entry > ((size_t)1 << 20) && *entry / consumed > lim->max_ratio) {
            f->limit = CTL_LIMIT_ZIP_RATIO;
            snprintf(f->msg, sizeof f->msg, "part %s inflates more than %zu times its compressed size: a zip bomb?",
                     path, lim->max_ratio);
            result = -1;
            break;
        }
        if (!fn(user, buf, (size_t)n)) { result = 0; break; }
    }
    int rc = unzCloseCurrentFile(zip);
    if (result == 1 && rc == UNZ_CRCERROR) {
        f->code = CTL_D_CORRUPT_WORKBOOK;
        snprintf(f->msg, sizeof f->msg, "corrupt workbook: part %s fails its CRC check", path);
        result = -1;
    }
    return result;
}

/* The failure f of the workbook x as a diagnostic of x->ctx. */
/* The file read in place failed to read, or ended before its size: not
 * the workbook's fault. */
static ctl_status mem_failed(xlsx *x, const memfile *m)
{
    if (m->err < 0)
        return ctl_fail(x->ctx, CTL_D_INPUT_CHANGED, x->file, 0, "the file changed while it was read (it ended "
                        "before its %zu bytes): the conversion failed", m->len);
    return ctl_fail(x->ctx, CTL_D_IO_ERROR, x->file, 0, "read error: %s", strerror(m->err));
}

static ctl_status zfail_report(xlsx *x, const zfail *f)
{
    if (x->mem.err) return mem_failed(x, &x->mem);
    if (f->limit != CTL_LIMIT_COUNT) return ctl_limit_fail(x->ctx, x->file, 0, f->limit, "%s", f->msg);
    return ctl_fail(x->ctx, f->code, x->file, 0, "%s", f->msg);
}

/* The entry of path in x->parts (added when new), or (size_t)-1 when out
 * of memory. */
static size_t part_slot(xlsx *x, const char *path)
{
    size_t p = 0;
    while (p < x->n_parts && strcmp(x->parts[p].path, path)) p++;
    if (p < x->n_parts) return p;
    struct part_size *v = ctl_realloc(x->parts, (x->n_parts + 1) * sizeof *v);
    char *copy = v ? ctl_strdup(path) : NULL;
    if (v) x->parts = v;
    if (!copy) return (size_t)-1;
    x->parts[x->n_parts].path = copy;
    x->parts[x->n_parts].bytes = 0;
    return x->n_parts++;
}

/* Counts entry bytes inflated from part p: each part counts once (its
 * largest reading), however often it is read. */
static void part_count(xlsx *x, size_t p, size_t entry)
{
    if (entry > x->parts[p].bytes) {
        x->total_inflated += entry - x->parts[p].bytes;
        x->parts[p].bytes = entry;
    }
}

struct chunk_call { xlsx *x; chunk_fn fn; };

static int chunk_to(void *user, const char *buf, size_t n)
{
    struct chunk_call *c = user;
    c->fn(c->x, buf, n);
    return c->x->st == CTL_OK && !c->x->stop;
}

/* Inflates one entry, chunk by chunk, under the limits.  Returns CTL_OK,
 * an error, or (missing_ok) CTL_OK with *found = 0 when absent. */
static ctl_status inflate_entry(xlsx *x, const char *path, chunk_fn fn, int *found)
{
    if (found) *found = 0;
    if (unzLocateFile(x->zip, path, 2) != UNZ_OK) {
        if (x->mem.err) return mem_failed(x, &x->mem);
        if (found) return CTL_OK;
        return ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "not a usable workbook: no part %s", path);
    }
    if (found) *found = 1;
    if (unzOpenCurrentFile(x->zip) != UNZ_OK)
        return x->mem.err ? mem_failed(x, &x->mem)
                          : ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "corrupt workbook: cannot open part %s", path);
    size_t p = part_slot(x, path);
    if (p == (size_t)-1) { unzCloseCurrentFile(x->zip); return nomem(x); }
    zlimits lim = {x->max_entry, x->max_total, x->max_ratio};
    struct chunk_call call = {x, fn};
    size_t entry;
    zfail f;
    int r = inflate_loop(x->zip, path, x->total_inflated - x->parts[p].bytes, &lim, chunk_to, &call, &entry, &f);
    part_count(x, p, entry);
    return r < 0 ? zfail_report(x, &f) : CTL_OK;
}

/* ------------------------------------------------------------ SAX plumbing */

static void on_doctype(void *user, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xlsx *x = user;
    stop_with(x, ctl_fail(x->ctx, CTL_D_DOCTYPE, x->file, 0, "a DOCTYPE inside the workbook, in %s: refused "
                          "(entities and external DTDs are never loaded)", x->part));
}

static void on_xml_error(void *user, xmlErrorPtr err)
{
    (void)user;
    (void)err;   /* reported from the parser context once parsing ends */
}

/* The line is one of the part's, not of the file: say so. */
static ctl_status malformed(xlsx *x)
{
    const xmlError *e = xmlCtxtGetLastError(x->parser);
    if (!e || !e->message || e->line <= 0)
        return ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "malformed XML in %s", x->part);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message);
    msg[strcspn(msg, "\n")] = '\0';
    return ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "malformed XML in %s, line %d: %s", x->part, e->line, msg);
}

static void feed_xml(xlsx *x, const char *buf, size_t n)
{
    if (xmlParseChunk(x->parser, buf, (int)n, 0) != 0 && x->st == CTL_OK && !x->stop) {
        stop_with(x, malformed(x));
    }
}

/* Starts a pass of kind over part path with the handlers of sax (the
 * hardening added): x->parser, NULL when out of memory. */
static xmlParserCtxtPtr new_parser(xlsx *x, const char *path, xmlSAXHandler *sax, int kind)
{
    ctl_xml_harden();
    sax->initialized = XML_SAX2_MAGIC;
    sax->internalSubset = on_doctype;
    sax->serror = on_xml_error;
    x->kind = kind;
    x->part = path;
    x->st = CTL_OK;
    x->stop = 0;
    x->parser = xmlCreatePushParserCtxt(sax, x, NULL, 0, path);
    if (x->parser) xmlCtxtUseOptions(x->parser, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    return x->parser;
}

static ctl_status parse_part(xlsx *x, const char *path, xmlSAXHandler *sax, int kind, int *found)
{
    if (!new_parser(x, path, sax, kind)) return nomem(x);
    ctl_status st = inflate_entry(x, path, feed_xml, found);
    if (st == CTL_OK && x->st == CTL_OK && !x->stop && (!found || *found)) {
        if (xmlParseChunk(x->parser, NULL, 0, 1) != 0 && x->st == CTL_OK) x->st = malformed(x);
    }
    xmlFreeParserCtxt(x->parser);
    x->parser = NULL;
    if (st != CTL_OK) return st;
    return x->st;
}

static void collect_text(void *user, const xmlChar *ch, int len)
{
    xlsx *x = user;
    if (x->st != CTL_OK) return;
    if ((x->in_t && !x->in_rph) || x->in_v)
        if (!ctl_buf_add(&x->text, (const char *)ch, (size_t)len)) stop_with(x, nomem(x));
}

/* ------------------------------------------------------------ workbook */

static char *dup_or_fail(xlsx *x, const char *s)
{
    char *d = ctl_strdup(s ? s : "");
    if (!d) stop_with(x, nomem(x));
    return d;
}

static void wb_start(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix;
    (void)uri;
    (void)nns;
    (void)ns;
    (void)ndef;
    xlsx *x = user;
    if (x->st != CTL_OK) return;
    if (x->kind == PASS_WORKBOOK && !strcmp((const char *)name, "workbookPr")) {
        const char *v = attr(x, attrs, nattr, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (x->kind == PASS_WORKBOOK && !strcmp((const char *)name, "sheet")) {
        struct wbsheet *v = ctl_realloc(x->wbs, (x->n_wbs + 1) * sizeof *v);
        if (!v) { stop_with(x, nomem(x)); return; }
        x->wbs = v;
        /* attr() returns one buffer, and a failure stops the parser
         * (whose buffers may then go): one value at a time, checked */
        v[x->n_wbs].name = v[x->n_wbs].rid = NULL;
        x->n_wbs++;
        if (!(v[x->n_wbs - 1].name = dup_or_fail(x, attr(x, attrs, nattr, "name")))) return;
        v[x->n_wbs - 1].rid = dup_or_fail(x, attr(x, attrs, nattr, "id"));
    } else if (x->kind == PASS_RELS && !strcmp((const char *)name, "Relationship")) {
        struct rel *v = ctl_realloc(x->rels, (x->n_rels + 1) * sizeof *v);
        if (!v) { stop_with(x, nomem(x)); return; }
        x->rels = v;
        v[x->n_rels].id = v[x->n_rels].target = v[x->n_rels].type = NULL;
        x->n_rels++;
        struct rel *r = &v[x->n_rels - 1];
        if (!(r->id = dup_or_fail(x, attr(x, attrs, nattr, "Id")))) return;
        if (!(r->target = dup_or_fail(x, attr(x, attrs, nattr, "Target")))) return;
        r->type = dup_or_fail(x, attr(x, attrs, nattr, "Type"));
    }
}

/* A relationship target, relative to xl/ unless absolute. */
static char *part_path(const char *target)
{
    if (target[0] == '/') return ctl_strdup(target + 1);
    ctl_buf b = {0};
    if (!ctl_buf_adds(&b, "xl/") || !ctl_buf_adds(&b, target)) { ctl_buf_free(&b); return NULL; }
    return ctl_buf_take(&b);
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

static int by_rel_id(const void *a, const void *b)
{
    return strcmp(((const struct rel *)a)->id, ((const struct rel *)b)->id);
}

static int by_path(const void *a, const void *b)
{
    return strcmp((*(const sheet_info *const *)a)->path, (*(const sheet_info *const *)b)->path);
}

/* Two sheets that name one part would have it read once for each (the
 * limits count a part once): refused, as no workbook does it. */
static ctl_status sheets_distinct(xlsx *x)
{
    sheet_info **v = ctl_malloc(x->n_sheets * sizeof *v);
    if (!v) return nomem(x);
    for (size_t i = 0; i < x->n_sheets; i++) v[i] = &x->sheets[i];
    qsort(v, x->n_sheets, sizeof *v, by_path);
    ctl_status st = CTL_OK;
    for (size_t i = 1; i < x->n_sheets && st == CTL_OK; i++)
        if (!strcmp(v[i - 1]->path, v[i]->path)) {
            const sheet_info *a = v[i - 1] < v[i] ? v[i - 1] : v[i], *b = v[i - 1] < v[i] ? v[i] : v[i - 1];
            st = ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "sheets '%s' and '%s' are one part, %s: "
                          "refused (each sheet of a workbook has its own)", a->name, b->name, a->path);
        }
    ctl_free(v);
    return st;
}

static ctl_status read_workbook(xlsx *x)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = wb_start;
    ctl_status st = parse_part(x, "xl/workbook.xml", &sax, PASS_WORKBOOK, NULL);
    if (st == CTL_OK) st = parse_part(x, "xl/_rels/workbook.xml.rels", &sax, PASS_RELS, NULL);
    if (st != CTL_OK) return st;
    if (!x->n_wbs) return ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "the workbook has no sheets");
    for (size_t k = 0; k < x->n_rels; k++)
        if (ends_with(x->rels[k].type, "/sharedStrings") && !x->sst_path)
            if (!(x->sst_path = part_path(x->rels[k].target))) return nomem(x);
    for (size_t k = 0; k < x->n_rels; k++)
        if (ends_with(x->rels[k].type, "/styles") && !x->styles_path)
            if (!(x->styles_path = part_path(x->rels[k].target))) return nomem(x);
    x->sheets = ctl_malloc(x->n_wbs * sizeof *x->sheets);
    if (!x->sheets) return nomem(x);
    /* sorted by id, each sheet finds its part in log time */
    if (x->n_rels) qsort(x->rels, x->n_rels, sizeof *x->rels, by_rel_id);
    for (size_t i = 0; i < x->n_wbs; i++) {
        struct rel key = {.id = x->wbs[i].rid};
        const struct rel *r = x->n_rels ? bsearch(&key, x->rels, x->n_rels, sizeof *x->rels, by_rel_id) : NULL;
        const char *target = r ? r->target : NULL;
        if (!target)
            return ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "sheet '%s' has no part in the workbook's "
                            "relationships", x->wbs[i].name);
        sheet_info *si = &x->sheets[x->n_sheets++];
        si->name = x->wbs[i].name;
        x->wbs[i].name = NULL;
        if (!(si->path = part_path(target))) return nomem(x);
    }
    return sheets_distinct(x);
}

/* ------------------------------------------------------------ shared strings */

static void sst_start(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix;
    (void)uri;
    (void)nns;
    (void)ns;
    (void)nattr;
    (void)ndef;
    (void)attrs;
    xlsx *x = user;
    const char *n = (const char *)name;
    if (!strcmp(n, "si")) x->text.len = 0;
    else if (!strcmp(n, "t")) x->in_t++;
    else if (!strcmp(n, "rPh")) x->in_rph++;
}

static void sst_end(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    (void)uri;
    xlsx *x = user;
    const char *n = (const char *)name;
    if (x->st != CTL_OK) return;
    if (!strcmp(n, "t")) x->in_t--;
    else if (!strcmp(n, "rPh")) x->in_rph--;
    else if (!strcmp(n, "si")) {
        if (!ctl_buf_add(&x->text, "", 0)) { stop_with(x, nomem(x)); return; }
        char first[8];
        size_t kept = decode_xstring(&x->text, first);
        if (kept) {   /* said where a cell uses it */
            if (x->n_sst_kept == x->cap_sst_kept) {
                size_t cap = x->cap_sst_kept ? x->cap_sst_kept * 2 : 16;
                struct sst_kept *v = ctl_realloc(x->sst_kept, cap * sizeof *v);
                if (!v) { stop_with(x, nomem(x)); return; }
                x->sst_kept = v;
                x->cap_sst_kept = cap;
            }
            struct sst_kept *k = &x->sst_kept[x->n_sst_kept++];
            k->idx = x->n_sst;
            k->kept = kept;
            memcpy(k->first, first, sizeof first);
        }
        if (x->n_sst == x->cap_sst) {
            size_t cap = x->cap_sst ? x->cap_sst * 2 : 1024;
            size_t *v = ctl_realloc(x->sst_off, (cap + 1) * sizeof *v);
            if (!v) { stop_with(x, nomem(x)); return; }
            x->sst_off = v;
            x->cap_sst = cap;
        }
        x->sst_off[x->n_sst] = x->sst.len;
        if (!ctl_buf_add(&x->sst, x->text.data, x->text.len) || !ctl_buf_addc(&x->sst, '\0')) {
            stop_with(x, nomem(x));
            return;
        }
        x->n_sst++;
        x->sst_off[x->n_sst] = x->sst.len;
        x->text.len = 0;
    }
}

static ctl_status read_shared_strings(xlsx *x)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = sst_start;
    sax.endElementNs = sst_end;
    sax.characters = collect_text;
    x->in_t = x->in_rph = 0;
    int found;
    return parse_part(x, x->sst_path ? x->sst_path : "xl/sharedStrings.xml", &sax, PASS_SST, &found);
}

/* ------------------------------------------------------------ number formats */

/* Classifies a format code: the tokens d, m, y, h, s outside quotes,
 * brackets and escapes make a date or time ([h], [mm], [ss]: a duration,
 * not a date); a first section ending in % a percentage; digits, #, and
 * separators only a plain number (drawn by number_text, or kept with a
 * warning when it cannot be drawn exactly). */
static void classify_code(const char *code, numfmt *f)
{
    int d = 0, m = 0, h = 0, sec = 0, elapsed = 0, percent = 0, plain = 1, decimals = 0, after_dot = 0;
    int section = 0;
    char last = 0;   /* the last character of the first section, outside literals */
    if (!strcasecmp(code, "General") || !strcmp(code, "@")) { f->kind = NF_GENERAL; return; }
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') {
            const char *q = strchr(p + 1, '"');
            plain = 0;
            if (!q) break;
            p = q;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            plain = 0;
            if (!p[1]) break;
            p++;
            continue;
        }
        if (c == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q) break;
            if (q > p + 1 && strspn(p + 1, "hHmMsS") == (size_t)(q - p - 1)) elapsed = 1;
            p = q;
            continue;
        }
        if (!strncasecmp(p, "AM/PM", 5)) { h = 1; p += 4; continue; }
        if (!strncasecmp(p, "A/P", 3)) { h = 1; p += 2; continue; }
        if (c == ';') { section++; after_dot = 0; continue; }
        switch (c >= 'A' && c <= 'Z' ? c + 32 : c) {
        case 'd': case 'y': d = 1; break;
        case 'm': m = 1; break;
        case 'h': h = 1; break;
        case 's': sec = 1; break;
        case '%': if (!section) percent = 1; break;
        case '.': if (!section) after_dot = 1; break;
        case '0': if (!section && after_dot) decimals++; break;
        case '#': case ',': case '-': case '+': case 'e': case ' ': break;
        default: plain = 0;
        }
        if (!section) last = c;
    }
    if (elapsed) f->kind = NF_OTHER;
    else if (d || m || h || sec) {
        f->kind = NF_DATE;
        f->date = d || (m && !h && !sec);
        f->time = h || sec;
    } else if (percent && last == '%') {
        f->kind = NF_PERCENT;
        f->decimals = decimals > 15 ? 15 : decimals;
    } else if (plain && !percent) {
        f->kind = NF_NUMBER;
        f->shape = code;
    } else f->kind = NF_OTHER;
}

static int by_fmt_id(const void *a, const void *b)
{
    long p = ((const struct custom_fmt *)a)->id, q = ((const struct custom_fmt *)b)->id;
    return p < q ? -1 : p > q;
}

/* A custom format of the workbook (x->fmts sorted by id), or a built-in
 * one (ECMA-376 18.8.30). */
static numfmt format_of(const xlsx *x, long id)
{
    numfmt f = {.kind = NF_OTHER, .id = id};
    struct custom_fmt key = {.id = id}, *c;
    if (x->n_fmts && (c = bsearch(&key, x->fmts, x->n_fmts, sizeof key, by_fmt_id))) {
        f.code = c->code;
        classify_code(f.code, &f);
        return f;
    }
    static const char *const plain[] = {"0", "0.00", "#,##0", "#,##0.00"};
    if (id == 0 || id == 49) f.kind = NF_GENERAL;
    else if (id >= 1 && id <= 4) { f.kind = NF_NUMBER; f.shape = plain[id - 1]; }
    else if (id == 9 || id == 10) { f.kind = NF_PERCENT; f.decimals = id == 10 ? 2 : 0; }
    else if ((id >= 14 && id <= 17) || id == 22) { f.kind = NF_DATE; f.date = 1; f.time = id == 22; }
    else if ((id >= 18 && id <= 21) || id == 45 || id == 47) { f.kind = NF_DATE; f.time = 1; }
    return f;   /* 11 and 48 (0.00E+00, ##0.0E+0), 46 ([h]:mm:ss) and the rest: NF_OTHER */
}

static void styles_start(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                         int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix;
    (void)uri;
    (void)nns;
    (void)ns;
    (void)ndef;
    xlsx *x = user;
    if (x->st != CTL_OK) return;
    const char *n = (const char *)name;
    if (!strcmp(n, "cellXfs")) x->in_cellxfs = 1;
    else if (!strcmp(n, "numFmt")) {
        if (x->n_fmts == x->cap_fmts) {
            size_t cap = x->cap_fmts ? x->cap_fmts * 2 : 16;
            struct custom_fmt *v = ctl_realloc(x->fmts, cap * sizeof *v);
            if (!v) { stop_with(x, nomem(x)); return; }
            x->fmts = v;
            x->cap_fmts = cap;
        }
        struct custom_fmt *f = &x->fmts[x->n_fmts];
        const char *id = attr(x, attrs, nattr, "numFmtId");
        f->id = id ? strtol(id, NULL, 10) : -1;
        if (!(f->code = dup_or_fail(x, attr(x, attrs, nattr, "formatCode")))) return;
        x->n_fmts++;
    } else if (!strcmp(n, "xf") && x->in_cellxfs) {
        if (x->n_xfs == x->cap_xfs) {
            size_t cap = x->cap_xfs ? x->cap_xfs * 2 : 16;
            numfmt *v = ctl_realloc(x->xfs, cap * sizeof *v);
            if (!v) { stop_with(x, nomem(x)); return; }
            x->xfs = v;
            x->cap_xfs = cap;
        }
        const char *id = attr(x, attrs, nattr, "numFmtId");
        x->xfs[x->n_xfs++].id = id ? strtol(id, NULL, 10) : 0;
    }
}

static void styles_end(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    (void)uri;
    xlsx *x = user;
    if (!strcmp((const char *)name, "cellXfs")) x->in_cellxfs = 0;
}

/* Reads the cell formats, each classified once, its custom format found
 * in log time (a hostile styles part may list many of both). */
static ctl_status read_styles(xlsx *x)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElementNs = styles_start;
    sax.endElementNs = styles_end;
    int found;
    ctl_status st = parse_part(x, x->styles_path ? x->styles_path : "xl/styles.xml", &sax, PASS_STYLES, &found);
    if (st != CTL_OK) return st;
    if (x->n_fmts) qsort(x->fmts, x->n_fmts, sizeof *x->fmts, by_fmt_id);
    for (size_t i = 0; i < x->n_xfs; i++) x->xfs[i] = format_of(x, x->xfs[i].id);
    return CTL_OK;
}

/* Days since 1970-01-01 to a proleptic Gregorian date: years counted in
 * 400-year cycles of 146097 days, each year taken from March. */
static void civil_date(long days, long *year, int *month, int *day)
{
    days += 719468;   /* from 0000-03-01 */
    long cycle = (days >= 0 ? days : days - 146096) / 146097;
    long doc = days - cycle * 146097;                                    /* [0, 146096] */
    long yoc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365;    /* [0, 399] */
    long doy = doc - (365 * yoc + yoc / 4 - yoc / 100);                  /* [0, 365], from March */
    long mp = (5 * doy + 2) / 153;                                       /* 0 = March */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoc + cycle * 400 + (*month <= 2);
}

/* A date serial as ISO 8601 into out; returns NULL when it names no day,
 * with the reason in *why. */
static const char *iso_date(double v, int date1904, const numfmt *f, char *out, size_t size, const char **why)
{
    if (!(v >= 0) || v >= 2958466.0) { *why = "is no date Excel shows (before its first or after 9999-12-31)"; return NULL; }
    long long total = llround(v * 86400.0);
    long whole = (long)(total / 86400);
    int secs = (int)(total % 86400);
    int hh = secs / 3600, mm = secs / 60 % 60, ss = secs % 60;
    if (!f->date && whole == 0) {   /* a time of day */
        snprintf(out, size, "%02d:%02d:%02d", hh, mm, ss);
        return out;
    }
    long days;
    if (date1904) days = -24107 + whole;                     /* 1904-01-01 is serial 0 */
    else if (whole == 0) { *why = "is day 0 in the 1900 date system, which Excel shows as 1900-01-00"; return NULL; }
    else if (whole == 60) { *why = "is 1900-02-29 in the 1900 date system, a day that does not exist"; return NULL; }
    else if (whole < 60) days = -25568 + whole;              /* serial 1 is 1900-01-01 */
    else days = -25569 + whole;                              /* Excel counts 1900-02-29 */
    long y;
    int mo, d;
    civil_date(days, &y, &mo, &d);
    if (f->time || secs) snprintf(out, size, "%04ld-%02d-%02dT%02d:%02d:%02d", y, mo, d, hh, mm, ss);
    else snprintf(out, size, "%04ld-%02d-%02d", y, mo, d);
    return out;
}

/* The value x100 with the format's decimals and %, as Excel shows it:
 * 15 significant digits, halves rounded away from zero (printf would
 * round 12.5 to even, 12). */
static void percent_text(double v, int decimals, char *out, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.15g", v * 100.0);   /* 0.145 x 100 is 14.499999999999998 */
    double scale = pow(10.0, decimals), p = strtod(digits, NULL);
    if (fabs(p * scale) < 1e15) p = round(p * scale) / scale;
    snprintf(out, size, "%.*f%%", decimals, p);
    if (out[0] == '-' && strspn(out + 1, "0.%") == strlen(out + 1)) memmove(out, out + 1, strlen(out));
}

/* ---- plain number formats (0.00, 000, #,##0.0#), drawn as Excel does ----
 * A section is one of: positive;negative;zero;text.  Drawn exactly: colour
 * tags and locale ids in brackets, a literal -, + or space before or after
 * the digits, then digit places 0 and # with commas between them
 * (thousands) and one point followed by 0s then #s.  Anything else
 * (conditions, scaling commas, digits split by literals, exponents) is not
 * drawn: the caller keeps the number with a warning. */
typedef struct {
    const char *pre, *post;     /* literal text around the digits */
    size_t n_pre, n_post;
    int min_int;                /* 0s before the point */
    int group;                  /* commas among the integer places */
    int point;                  /* a decimal point */
    int min_dec, max_dec;       /* 0s, and 0s and #s, after it */
} number_shape;

/* Is s[0..n) a bracket Excel draws nothing for: a colour ([Red],
 * [Color12]) or a bare locale ([$-409])?  ([DBNum1] draws 一, [$€-407]
 * a euro sign, [>100] is a condition.) */
static int silent_bracket(const char *s, size_t n)
{
    static const char *const colours[] = {"Black", "Blue", "Cyan", "Green", "Magenta", "Red", "White", "Yellow"};
    if (n > 2 && s[0] == '$' && s[1] == '-') return strspn(s + 2, "0123456789abcdefABCDEF") == n - 2;
    if (n > 5 && !strncasecmp(s, "Color", 5)) return strspn(s + 5, "0123456789") == n - 5;
    for (size_t i = 0; i < sizeof colours / sizeof *colours; i++)
        if (strlen(colours[i]) == n && !strncasecmp(s, colours[i], n)) return 1;
    return 0;
}

/* Parses one section s[0..n) into *h; 0 when it is no plain number. */
static int parse_shape(const char *s, size_t n, number_shape *h)
{
    size_t i = 0, start, end;
    memset(h, 0, sizeof *h);
    while (i < n && s[i] == '[') {
        const char *q = memchr(s + i, ']', n - i);
        if (!q || !silent_bracket(s + i + 1, (size_t)(q - s) - i - 1)) return 0;
        i = (size_t)(q - s) + 1;
    }
    h->pre = s + i;
    while (i < n && strchr("-+ ", s[i])) i++;
    h->n_pre = (size_t)(s + i - h->pre);
    start = i;
    int places = 0, comma = 0;
    for (; i < n && strchr("0#,", s[i]); i++) {
        if (s[i] == ',') { comma = 1; continue; }
        if (comma && places) h->group = 1;
        comma = 0;
        places++;
        if (s[i] == '0') h->min_int++;
        else if (h->min_int) return 0;          /* 0# : # after a 0 */
    }
    if (comma) return 0;                        /* a scaling comma */
    if (i < n && s[i] == '.') {
        h->point = 1;
        for (i++; i < n && (s[i] == '0' || s[i] == '#'); i++) {
            if (s[i] == '0' && h->max_dec > h->min_dec) return 0;   /* #0 after the point */
            h->max_dec++;
            h->min_dec += s[i] == '0';
        }
    }
    end = i;
    if (end == start || (!places && !h->max_dec)) return 0;
    h->post = s + i;
    while (i < n && strchr("-+ ", s[i])) i++;
    h->n_post = (size_t)(s + i - h->post);
    return i == n && h->max_dec <= 15;
}

/* The digits of v >= 0 rounded to dec places, as Excel rounds: its 15
 * significant digits, halves away from zero.  Into digits (integer part
 * without leading zeros, then exactly dec more); *n_int the integer
 * digits.  0 when the number is too large to draw. */
static int round_digits(double v, int dec, char *digits, size_t size, int *n_int)
{
    char m[32];
    snprintf(m, sizeof m, "%.14e", v);           /* d.dddddddddddddde+XX */
    int exp = atoi(strchr(m, 'e') + 1);
    if (exp > 20) return 0;
    char sig[16];
    sig[0] = m[0];
    memcpy(sig + 1, m + 2, 14);
    /* the digits from 10^21 down to 10^-dec, then the next one */
    int hi = 21, total = hi + 1 + dec;      /* 10^21: room for a carry */
    char buf[64];
    if ((size_t)total + 2 > sizeof buf || (size_t)total + 2 > size) return 0;
    for (int k = 0; k <= total; k++) {
        int pos = hi - k;                         /* the power of ten of this digit */
        int at = exp - pos;                       /* its index in sig */
        buf[k] = at >= 0 && at < 15 ? sig[at] : '0';
    }
    int carry = buf[total] >= '5';
    for (int k = total - 1; k >= 0 && carry; k--) {
        if (buf[k] == '9') buf[k] = '0';
        else { buf[k]++; carry = 0; }
    }
    int lead = 0;
    while (lead < hi + 1 && buf[lead] == '0') lead++;
    *n_int = hi + 1 - lead;
    memcpy(digits, buf + lead, (size_t)(total - lead));
    digits[total - lead] = '\0';
    return 1;
}

/* Appends s[0..n) to out[*at..size); 0 when it does not fit. */
static int put_text(char *out, size_t size, size_t *at, const char *s, size_t n)
{
    if (*at + n >= size) return 0;
    memcpy(out + *at, s, n);
    *at += n;
    out[*at] = '\0';
    return 1;
}

/* A number drawn in a plain format code, as Excel shows it, into out;
 * 0 when the code cannot be drawn exactly. */
static int number_text(const char *code, double v, char *out, size_t size)
{
    const char *sec[4];
    size_t len[4], n = 0;
    out[0] = '\0';
    for (const char *p = code;; p++) {
        const char *q = strchr(p, ';');
        if (n == 4) return 0;
        sec[n] = p;
        len[n++] = q ? (size_t)(q - p) : strlen(p);
        if (!q) break;
        p = q;
    }
    size_t pick = v > 0 || (v == 0 && n < 3) || (v < 0 && n == 1) ? 0 : v < 0 ? 1 : 2;
    number_shape h;
    if (!parse_shape(sec[pick], len[pick], &h) || h.min_int > 30) return 0;
    char digits[64], whole[64];
    int n_int;
    if (!round_digits(fabs(v), h.max_dec, digits, sizeof digits, &n_int)) return 0;
    if (v < 0 && strspn(digits, "0") == strlen(digits)) return 0;   /* -0.001 in 0.0: -0.0 or 0.0? */
    /* the integer digits, padded with 0s to the places that show them */
    int w = n_int > h.min_int ? n_int : h.min_int;
    memset(whole, '0', (size_t)(w - n_int));
    memcpy(whole + (w - n_int), digits, (size_t)n_int);
    size_t at = 0;
    int ok = (v < 0 && n == 1 ? put_text(out, size, &at, "-", 1) : 1) && put_text(out, size, &at, h.pre, h.n_pre);
    for (int k = 0; ok && k < w; k++)
        ok = put_text(out, size, &at, whole + k, 1)
             && (!h.group || k == w - 1 || (w - k - 1) % 3 || put_text(out, size, &at, ",", 1));
    int dec = h.max_dec;
    while (dec > h.min_dec && digits[n_int + dec - 1] == '0') dec--;   /* # places drop zeros */
    if (ok && h.point) ok = put_text(out, size, &at, ".", 1) && put_text(out, size, &at, digits + n_int, (size_t)dec);
    return ok && put_text(out, size, &at, h.post, h.n_post);
}

/* A column's format is said once. */
static int first_in_column(xlsx *x)
{
    if (!x->fmt_warned) {
        if (!(x->fmt_warned = ctl_malloc(MAX_COLUMNS / 8 + 1))) return -1;
        memset(x->fmt_warned, 0, MAX_COLUMNS / 8 + 1);
    }
    size_t c = x->col < MAX_COLUMNS ? x->col : MAX_COLUMNS;
    if (x->fmt_warned[c / 8] & (1u << (c % 8))) return 0;
    x->fmt_warned[c / 8] |= (unsigned char)(1u << (c % 8));
    return 1;
}

/* Applies the cell's number format to its number (v holds it as Excel
 * shows General).  Returns a status; the buffer is changed only for dates,
 * percentages and plain numbers. */
static ctl_status apply_format(xlsx *x, ctl_buf *v)
{
    if (x->cell_style < 0 || !x->n_xfs || !v->len) return CTL_OK;
    if ((size_t)x->cell_style >= x->n_xfs) {
        char where[160];
        cell_where(x, -1, where, sizeof where);
        return ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->sheet_file, x->row, "%s: cell format %ld, but the "
                        "workbook's styles have %zu", where, x->cell_style, x->n_xfs);
    }
    const numfmt *f = &x->xfs[x->cell_style];
    if (f->kind == NF_GENERAL) return CTL_OK;
    char *end, out[400], where[160], named[96];
    double d = strtod(v->data, &end);
    if (*end || !isfinite(d)) return CTL_OK;
    const char *why = NULL;
    if (f->kind == NF_PERCENT) {
        percent_text(d, f->decimals, out, sizeof out);
        v->len = 0;
        return ctl_buf_adds(v, out) ? CTL_OK : nomem(x);
    }
    if ((f->kind == NF_DATE && iso_date(d, x->date1904, f, out, sizeof out, &why))
        || (f->kind == NF_NUMBER && number_text(f->shape, d, out, sizeof out))) {
        v->len = 0;
        return ctl_buf_adds(v, out) ? CTL_OK : nomem(x);
    }
    if (x->kind == PASS_PROBE) return CTL_OK;
    if (f->kind != NF_DATE) {   /* once a column; a date that is no day, each time */
        int first = first_in_column(x);
        if (first < 0) return nomem(x);
        if (!first) return CTL_OK;
    }
    if (f->code) snprintf(named, sizeof named, "'%.*s'", (int)ctl_utf8_clip(f->code, strlen(f->code), 60), f->code);
    else snprintf(named, sizeof named, "built-in %ld", f->id);
    cell_where(x, -1, where, sizeof where);
    if (why)
        return ctl_warn(x->ctx, CTL_D_NUMBER_FORMAT_IGNORED, x->sheet_file, x->row, "%s: %s %s (number format %s): "
                        "the stored number kept", where, v->data, why, named);
    return ctl_warn(x->ctx, CTL_D_NUMBER_FORMAT_IGNORED, x->sheet_file, x->row, "%s: number format %s not applied "
                    "(ctlconv shows dates, times, percentages and plain numbers only): the stored number %s kept; said once "
                    "a column", where, named, v->data);
}

/* ------------------------------------------------------------ merges */

static void merge_start(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                        int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix;
    (void)uri;
    (void)nns;
    (void)ns;
    (void)ndef;
    xlsx *x = user;
    if (x->st != CTL_OK || strcmp((const char *)name, "mergeCell")) return;
    const char *ref = attr(x, attrs, nattr, "ref");
    char a[32], b[32];
    const char *colon = ref ? strchr(ref, ':') : NULL;
    if (!colon || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b) return;
    memcpy(a, ref, (size_t)(colon - ref));
    a[colon - ref] = '\0';
    strcpy(b, colon + 1);
    merge m = {0};
    if (!parse_ref(a, &m.c1, &m.r1) || !parse_ref(b, &m.c2, &m.r2) || m.r2 < m.r1) return;
    if (x->n_merges == MAX_MERGES) {
        stop_with(x, ctl_fail(x->ctx, CTL_D_FIXED_LIMIT, x->sheet_file, 0, "more than %d merged ranges (a fixed "
                              "limit)", MAX_MERGES));
        return;
    }
    if (x->n_merges == x->cap_merges) {
        size_t cap = x->cap_merges ? x->cap_merges * 2 : 64;
        merge *v = ctl_realloc(x->merges, cap * sizeof *v);
        if (!v) { stop_with(x, nomem(x)); return; }
        x->merges = v;
        x->cap_merges = cap;
    }
    x->merges[x->n_merges++] = m;
}

/* ------------------------------------------------------------ sheet rows */

static void clear_merges(xlsx *x)
{
    for (size_t i = 0; i < x->n_merges; i++) ctl_free(x->merges[i].value);
    x->n_merges = 0;
    x->next_merge = x->n_active = 0;
    ctl_free(x->active);
    ctl_free(x->col_owner);
    x->active = x->col_owner = NULL;
}

/* The number as Excel shows it: no floating-point noise.  Returns 0 when
 * out of memory. */
static int format_number(ctl_buf *v)
{
    if (!v->len) return 1;
    char *end;
    double d = strtod(v->data, &end);
    if (*end || !isfinite(d)) return 1;
    char out[64];
    if (d == floor(d) && fabs(d) < 1e15) snprintf(out, sizeof out, "%.0f", d);
    else snprintf(out, sizeof out, "%.15g", d);
    v->len = 0;
    return ctl_buf_adds(v, out);
}

static int by_first_row(const void *a, const void *b)
{
    const merge *p = a, *q = b;
    return p->r1 != q->r1 ? (p->r1 < q->r1 ? -1 : 1) : p->c1 != q->c1 ? (p->c1 < q->c1 ? -1 : 1) : 0;
}

/* Readies the sweep over the merged ranges, sorted by their first row
 * (rows come in increasing order).  Returns 0 when out of memory. */
static int begin_sweep(xlsx *x)
{
    if (!x->n_merges) return 1;
    qsort(x->merges, x->n_merges, sizeof *x->merges, by_first_row);
    x->active = ctl_malloc(x->n_merges * sizeof *x->active);
    x->col_owner = ctl_malloc(MAX_COLUMNS * sizeof *x->col_owner);
    if (!x->active || !x->col_owner) return 0;
    memset(x->col_owner, 0, MAX_COLUMNS * sizeof *x->col_owner);
    return 1;
}

/* The merged ranges over the current row: those ended, or whose first row
 * gave no value, leave; those beginning on it join, unless a range over
 * the same column is there already (an overlap, which Excel repairs away).
 * So a row costs what covers it, at most one range a column. */
static void sweep(xlsx *x)
{
    size_t k = 0;
    for (size_t i = 0; i < x->n_active; i++) {
        merge *g = &x->merges[x->active[i]];
        if (g->r2 >= x->row && g->value) x->active[k++] = x->active[i];
        else x->col_owner[g->c1] = 0;
    }
    x->n_active = k;
    for (; x->next_merge < x->n_merges && x->merges[x->next_merge].r1 <= x->row; x->next_merge++) {
        merge *g = &x->merges[x->next_merge];
        if (g->r1 < x->row || x->col_owner[g->c1]) continue;   /* its first row is missing, or overlap */
        x->col_owner[g->c1] = x->next_merge + 1;
        x->active[x->n_active++] = x->next_merge;
    }
}

/* Does the row hold text of its own?  One that does not is blank: merges
 * over it fill nothing (a merged section row two rows tall is one row). */
static int own_text(const xlsx *x)
{
    for (size_t i = 0; i < x->n_cells; i++)
        if (x->cells[i].len) return 1;
    return 0;
}

static ctl_status fill_refused(xlsx *x)
{
    return ctl_fail(x->ctx, CTL_D_FIXED_LIMIT, x->sheet_file, x->row, "merged ranges repeat their values into "
                    "more than %d times the bytes of the sheet and its shared strings, + 1 MiB (a filled "
                    "cell counts %d + its text): refused (a fixed limit)", FILL_RATIO, FILL_CELL);
}

/* Does the row hold an identifier in a cell of its own? */
static int own_id(const xlsx *x)
{
    char id[CTL_ID_MAX];
    for (size_t i = 0; i < x->n_cells; i++)
        if (x->cells[i].len && ctl_parse_id(x->arena.data + x->cells[i].off, x->cells[i].len, id)) return 1;
    return 0;
}

/* Fills the row's empty cells under vertical merges.  A merged identifier
 * names one item, the one on its first row: it fills only rows that hold
 * an identifier of their own (then it is a parent or a reference column,
 * repeated as any other value).  Rows without one keep the cell empty and
 * are rows without an id, children of the first by the hierarchy rule
 * (K-ISMS-P merges 1.1.1 down its check rows: one item 1.1.1 and its
 * checks, not three items 1.1.1). */
static void fill_row(xlsx *x, size_t width)
{
    int has_id = -1;   /* own_id(x), once needed */
    char id[CTL_ID_MAX];
    x->filled += x->n_active;
    for (size_t i = 0; i < x->n_active; i++) {
        merge *g = &x->merges[x->active[i]];
        if (g->r1 == x->row && g->c1 < width) {
            g->value = ctl_strndup(x->row_cells[g->c1].s, x->row_cells[g->c1].len);
            if (!g->value) { stop_with(x, nomem(x)); return; }
            g->value_len = x->row_cells[g->c1].len;
            g->is_id = g->value_len && ctl_parse_id(g->value, g->value_len, id);
        } else if (g->r1 < x->row && g->c1 < width && g->value_len && !x->row_cells[g->c1].len) {
            if (g->is_id && has_id < 0) has_id = own_id(x);
            if (g->is_id && !has_id) continue;
            x->row_cells[g->c1] = (ctl_cell){g->value, g->value_len};
            x->filled += FILL_CELL + g->value_len;
        }
    }
    if (x->filled > x->fill_budget) stop_with(x, fill_refused(x));
}

/* Probing a sheet: the best header row among its first rows, and the
 * rows below the first one (counted up to PROBE_BELOW). */
enum { PROBE_BELOW = 1000 };

static void probe_row(xlsx *x, size_t width)
{
    if (ctl_cells_blank(x->row_cells, width)) return;
    size_t score = x->probe_rows < CTL_TABLE_HEADER_ROWS ? ctl_table_header_score(x->opts, x->row_cells, width) : 0;
    if (score > x->probe_score) x->probe_score = score;
    if (x->probe_score && score < x->probe_score) x->probe_below++;
    if (++x->probe_rows >= CTL_TABLE_HEADER_ROWS && (!x->probe_score || x->probe_below >= PROBE_BELOW)) {
        x->stop = 1;
        xmlStopParser(x->parser);
    }
}

/* Lays a row's cells (their texts in text) out by column into
 * x->row_cells and x->row_kinds, at least width wide; the width, or
 * (size_t)-1 when out of memory. */
static size_t spread_row(xlsx *x, const struct cellref *cells, size_t n, const char *text, size_t width)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].col + 1 > width) width = cells[i].col + 1;
    if (width > x->cap_row_cells) {
        ctl_cell *v = ctl_realloc(x->row_cells, width * sizeof *v);
        if (!v) return (size_t)-1;
        x->row_cells = v;
        char *k = ctl_realloc(x->row_kinds, width);
        if (!k) return (size_t)-1;
        x->row_kinds = k;
        x->cap_row_cells = width;
    }
    for (size_t c = 0; c < width; c++) {
        x->row_cells[c] = (ctl_cell){"", 0};
        x->row_kinds[c] = CTL_XLSX_NONE;
    }
    for (size_t i = 0; i < n; i++) {
        x->row_cells[cells[i].col] = (ctl_cell){text + cells[i].off, cells[i].len};
        x->row_kinds[cells[i].col] = cells[i].kind;
    }
    return width;
}

static void hold_row(xlsx *x);

static void emit_row(xlsx *x)
{
    if (x->st != CTL_OK) return;
    if (x->ts) {   /* on the parsing thread: the rows go to the caller's */
        hold_row(x);
        return;
    }
    int fill = x->n_merges && own_text(x);
    if (fill) sweep(x);
    size_t width = 0;
    /* vertical merges: the value of the top row fills the rows below */
    for (size_t i = 0; fill && i < x->n_active; i++) {
        merge *g = &x->merges[x->active[i]];
        if (g->r1 < x->row && g->c1 + 1 > width) width = g->c1 + 1;
    }
    width = spread_row(x, x->cells, x->n_cells, x->arena.data, width);
    if (width == (size_t)-1) { stop_with(x, nomem(x)); return; }
    if (fill) fill_row(x, width);
    if (x->st != CTL_OK) return;
    if (x->kind == PASS_PROBE) {
        probe_row(x, width);
        return;
    }
    if (x->kind == PASS_ROWS) {
        ctl_status st = width ? x->row_fn(x->row_user, x->row, x->row_cells, x->row_kinds, width) : CTL_OK;
        if (st != CTL_OK) stop_with(x, st);
        return;
    }
    ctl_status st = ctl_table_row(x->table, x->row_cells, width, x->row);
    if (st != CTL_OK) stop_with(x, st);
}

/* The sheet's elements the reader acts on, by local name (one test of a
 * character or two for the frequent ones, rather than a strcmp each). */
enum { E_OTHER, E_ROW, E_C, E_V, E_F, E_IS, E_T, E_RPH };

static int element(const xmlChar *name)
{
    const char *n = (const char *)name;
    switch (n[0]) {
    case 'c': return n[1] ? E_OTHER : E_C;
    case 'v': return n[1] ? E_OTHER : E_V;
    case 'f': return n[1] ? E_OTHER : E_F;
    case 't': return n[1] ? E_OTHER : E_T;
    case 'i': return n[1] == 's' && !n[2] ? E_IS : E_OTHER;
    case 'r': return !strcmp(n, "row") ? E_ROW : !strcmp(n, "rPh") ? E_RPH : E_OTHER;
    default: return E_OTHER;
    }
}

/* Takes the text collected (x->text) as the cell's value: the buffers
 * trade places when there is text (then NUL-terminated), else a copy. */
static int take_text(xlsx *x)
{
    x->cell_value.len = 0;
    if (x->text.len) {
        ctl_buf t = x->cell_value;
        x->cell_value = x->text;
        x->text = t;
        return 1;
    }
    return ctl_buf_add(&x->cell_value, "", 0);
}

static void sheet_start(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                        int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix;
    (void)uri;
    (void)nns;
    (void)ns;
    (void)ndef;
    xlsx *x = user;
    if (x->st != CTL_OK) return;
    int e = element(name);
    if (e == E_ROW) {
        const char *r = attr(x, attrs, nattr, "r");
        long row = r ? number_attr(r) : x->row + 1;
        if (row <= x->row) row = x->row + 1;
        if (row < 1 || row > 1048576) {   /* a worksheet's last row (fuzzing found LONG_MAX + 1) */
            stop_with(x, ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->sheet_file, 0, "a row number past 1048576, "
                                  "the last a worksheet has"));
            return;
        }
        x->row = row;
        x->col = 0;
        x->n_cells = 0;
        x->arena.len = 0;
    } else if (e == E_C) {
        /* r, t and s in one pass over the attributes (the first of each
         * local name, as attr() finds them) */
        const xmlChar **ar = NULL, **at = NULL, **as = NULL;
        for (int k = 0; k < nattr; k++) {
            const xmlChar **a = attrs + 5 * k;
            if (a[0][0] && a[0][1]) continue;
            if (a[0][0] == 'r' && !ar) ar = a;
            else if (a[0][0] == 't' && !at) at = a;
            else if (a[0][0] == 's' && !as) as = a;
        }
        size_t col;
        long row;
        if (ar && parse_ref(attr_value(x, ar), &col, &row)) x->col = col;
        /* every type Excel has fits; a longer one is kept as "?", which no
         * type matches (a cut one might) */
        size_t tl = at ? (size_t)(at[4] - at[3]) : 1;
        if (tl < sizeof x->cell_type) {
            memcpy(x->cell_type, at ? (const char *)at[3] : "n", tl);
            x->cell_type[tl] = '\0';
        } else {
            memcpy(x->cell_type, "?", 2);
        }
        x->cell_style = as ? number_attr(attr_value(x, as)) : -1;
        x->cell_value.len = 0;
        x->have_value = 0;
        x->have_formula = 0;
        x->text.len = 0;
    } else if (e == E_V) {
        x->in_v = 1;
        x->text.len = 0;
    } else if (e == E_F) {
        x->have_formula = 1;
    } else if (e == E_IS) {
        x->in_is = 1;
        x->text.len = 0;
    } else if (e == E_T) {
        if (x->in_is) x->in_t++;
    } else if (e == E_RPH) {
        x->in_rph++;
    }
}

static int by_sst_index(const void *a, const void *b)
{
    size_t p = ((const struct sst_kept *)a)->idx, q = ((const struct sst_kept *)b)->idx;
    return p < q ? -1 : p > q;
}

static void cell_done(xlsx *x)
{
    ctl_buf *v = &x->cell_value;
    /* openpyxl writes <v></v> after a formula it cannot evaluate: an empty
     * number is no value (an empty string, t="str", is one) */
    if (x->have_formula && x->have_value && !v->len && !strcmp(x->cell_type, "n")) x->have_value = 0;
    if (!x->have_value && x->have_formula && x->kind != PASS_PROBE) {
        char where[160];
        cell_where(x, -1, where, sizeof where);
        ctl_status st = ctl_warn(x->ctx, CTL_D_FORMULA_UNEVALUATED, x->sheet_file, x->row, "%s: a formula with no "
                                 "saved value, read as empty (ctlconv does not evaluate formulas); open and save "
                                 "the workbook in Excel or LibreOffice first", where);
        if (st != CTL_OK) stop_with(x, st);
    }
    if (!x->have_value) return;
    const char *t = x->cell_type;
    if (!strcmp(t, "s")) {
        char *end;
        unsigned long idx = strtoul(v->data ? v->data : "", &end, 10);
        if (!v->len || *end || idx >= x->n_sst) {
            stop_with(x, ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->sheet_file, x->row, "a cell refers to "
                                  "shared string %.*s, but the workbook has %zu", (int)v->len,
                                  v->data ? v->data : "", x->n_sst));
            return;
        }
        v->len = 0;
        if (!ctl_buf_add(v, x->sst.data + x->sst_off[idx], x->sst_off[idx + 1] - x->sst_off[idx] - 1)) {
            stop_with(x, nomem(x));
            return;
        }
        struct sst_kept key = {.idx = idx}, *k;
        if (x->n_sst_kept && x->kind != PASS_PROBE &&
            (k = bsearch(&key, x->sst_kept, x->n_sst_kept, sizeof key, by_sst_index))) {
            char where[160];
            cell_where(x, (long)idx, where, sizeof where);
            ctl_status st = kept_escapes(x, x->sheet_file, x->row, where, k->kept, k->first);
            if (st != CTL_OK) { stop_with(x, st); return; }
        }
    } else if (!strcmp(t, "n")) {
        if (!format_number(v)) { stop_with(x, nomem(x)); return; }
        ctl_status st = apply_format(x, v);
        if (st != CTL_OK) { stop_with(x, st); return; }
    } else if (!strcmp(t, "b")) {
        if (v->len != 1 || (v->data[0] != '0' && v->data[0] != '1')) {
            char where[160];
            cell_where(x, -1, where, sizeof where);
            stop_with(x, ctl_fail(x->ctx, CTL_D_CORRUPT_WORKBOOK, x->sheet_file, x->row, "%s: a boolean cell "
                                  "holding '%.*s', not 0 or 1", where, (int)ctl_utf8_clip(v->data ? v->data : "",
                                  v->len, 40), v->data ? v->data : ""));
            return;
        }
        const char *b = v->data[0] == '1' ? "TRUE" : "FALSE";
        v->len = 0;
        if (!ctl_buf_adds(v, b)) { stop_with(x, nomem(x)); return; }
    } else {
        char first[8], where[160];   /* str, inlineStr, e, d */
        size_t kept = decode_xstring(v, first);
        if (kept && x->kind != PASS_PROBE) {   /* said when the sheet is read */
            cell_where(x, -1, where, sizeof where);
            ctl_status st = kept_escapes(x, x->sheet_file, x->row, where, kept, first);
            if (st != CTL_OK) { stop_with(x, st); return; }
        }
    }
    /* the row's width (the column) and its cells (a column may repeat) */
    if (x->col >= x->max_columns || x->n_cells >= x->max_columns) {
        stop_with(x, ctl_limit_fail(x->ctx, x->sheet_file, x->row, CTL_LIMIT_COLUMNS, "more than "
                                    "the limit of %zu cells in a row", x->max_columns));
        return;
    }
    if (x->n_cells == x->cap_cells) {
        size_t cap = x->cap_cells ? x->cap_cells * 2 : 32;
        struct cellref *c = ctl_realloc(x->cells, cap * sizeof *c);
        if (!c) { stop_with(x, nomem(x)); return; }
        x->cells = c;
        x->cap_cells = cap;
    }
    x->cells[x->n_cells].col = x->col;
    x->cells[x->n_cells].off = x->arena.len;
    x->cells[x->n_cells].len = v->len;
    x->cells[x->n_cells].kind = !strcmp(t, "n") ? CTL_XLSX_NUMBER : !strcmp(t, "b") ? CTL_XLSX_BOOL : CTL_XLSX_STRING;
    if (!ctl_buf_add(&x->arena, v->data ? v->data : "", v->len) || !ctl_buf_addc(&x->arena, '\0')) {
        stop_with(x, nomem(x));
        return;
    }
    x->n_cells++;
}

static void sheet_end(void *user, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    (void)uri;
    xlsx *x = user;
    if (x->st != CTL_OK || x->stop) return;
    int e = element(name);
    if (e == E_V) {
        x->in_v = 0;
        if (!x->in_is) {
            if (!take_text(x)) {
                stop_with(x, nomem(x));
                return;
            }
            x->have_value = 1;
        }
        x->text.len = 0;
    } else if (e == E_T) {
        if (x->in_is && x->in_t) x->in_t--;
    } else if (e == E_RPH) {
        if (x->in_rph) x->in_rph--;
    } else if (e == E_IS) {
        x->in_is = 0;
        if (!take_text(x)) {
            stop_with(x, nomem(x));
            return;
        }
        x->have_value = 1;
        x->text.len = 0;
    } else if (e == E_C) {
        cell_done(x);
        x->col++;
    } else if (e == E_ROW) {
        emit_row(x);
    }
}

/* Looks for "mergeCell" in the inflated bytes, across chunk boundaries;
 * returns m->saw. */
static int mscan_feed(struct mscan *m, const char *buf, size_t n)
{
    static const char word[] = "mergeCell";
    enum { W = sizeof word - 1 };
    if (m->saw) return 1;
    char joint[2 * W];
    size_t k = m->tail_len, take = n < W - 1 ? n : W - 1;
    memcpy(joint, m->tail, k);
    memcpy(joint + k, buf, take);
    if (memmem(joint, k + take, word, W) || memmem(buf, n, word, W)) return m->saw = 1;
    /* keep the last W-1 bytes for the next chunk */
    if (n >= W - 1) {
        memcpy(m->tail, buf + n - (W - 1), W - 1);
        m->tail_len = W - 1;
    } else {
        size_t keep = k + n > W - 1 ? W - 1 : k + n;
        char all[2 * W];
        memcpy(all, m->tail, k);
        memcpy(all + k, buf, n);
        memcpy(m->tail, all + k + n - keep, keep);
        m->tail_len = keep;
    }
    return 0;
}

static void scan_for_merges(xlsx *x, const char *buf, size_t n)
{
    if (mscan_feed(&x->ms, buf, n)) x->stop = 1;
}

/* The bytes a part inflated to, 0 when it was not read. */
static size_t part_bytes(const xlsx *x, const char *path)
{
    for (size_t p = 0; p < x->n_parts; p++)
        if (!strcmp(x->parts[p].path, path)) return x->parts[p].bytes;
    return 0;
}

/* The handlers of a pass over a sheet's rows. */
static void sheet_handlers(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof *sax);
    sax->startElementNs = sheet_start;
    sax->endElementNs = sheet_end;
    sax->characters = collect_text;
}

/* The reader's place in a sheet, before its first row (nothing of an
 * earlier pass kept: one on threads gone back to one thread). */
static void sheet_state_reset(xlsx *x)
{
    x->row = 0;
    x->col = x->n_cells = 0;
    x->arena.len = x->text.len = 0;
    x->in_t = x->in_v = x->in_rph = x->in_is = 0;
}

/* ------------------------------------------------------------ a sheet on threads */

/* A large sheet read as a table (ctl_xlsx_thread_min bytes and more, by
 * the zip's directory) is read on three threads besides the caller's: I
 * inflates it and hands the bytes to P, which parses them into rows held
 * in batches; S inflates it again on a handle of its own, looking for
 * merged ranges (they follow the sheet data, and change the rows above
 * them).  The caller waits for S, then, when the sheet has none, gives the
 * batches' rows to the table in order while P goes on.  P reads with a
 * context of its own, whose diagnostics travel in the batches at their
 * place among the rows and are said on the caller's context when the
 * caller reaches them, a cell's place ("row 12, column C (title)") worded
 * then, from the table as it is then: what is said, and in which order, is
 * what the reading on one thread says.  A sheet with merged ranges, or
 * whose S failed, is read on one thread as before (the batches dropped
 * unsaid; S's finding spares the first pass).  Memory: the batches wait
 * within QUEUE_MAX bytes (P waits beyond it), the inflated bytes within
 * RING_N chunks. */

size_t ctl_xlsx_thread_min = (size_t)4 << 20;
size_t ctl_xlsx_thread_reads;

enum { RING_N = 8, RING_CHUNK = 1 << 18, BATCH_TEXT = 1 << 18, BATCH_ROWS = 2048, BATCH_DIAGS = 256,
       QUEUE_MAX = 16 << 20 };

typedef struct hrow { long row; size_t first, n; } hrow;

typedef struct hdiag {
    size_t before;       /* said before the batch's row of this index */
    int error;
    ctl_diag code;
    ctl_limit limit;
    long line;
    int where;           /* the message follows the place of the cell at (line, col, sst) */
    size_t col;
    long sst;
    char *file, *item, *msg;
} hdiag;

typedef struct hbatch {
    struct hbatch *next;
    hrow *rows;
    size_t n_rows, cap_rows;
    struct cellref *cells;
    size_t n_cells, cap_cells;
    ctl_buf text;
    hdiag *diags;
    size_t n_diags, cap_diags;
} hbatch;

typedef struct tsheet {
    xlsx *x;
    ctl_ctx *ctx;        /* the caller's */
    ctl_ctx *pctx;       /* P's */
    const char *path;
    zlimits lim;
    size_t others;       /* bytes inflated from the other parts */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop_i, stop_s;  /* I stops (P ended, or the caller stopped), S stops (the caller) */
    int abort;           /* the caller stopped: P stops */
    /* I -> P: inflated bytes, chunks r_head.. (r_count of them) */
    char *ring[RING_N];
    size_t ring_len[RING_N];
    size_t r_head, r_count;
    char *fill;          /* I's chunk being filled */
    size_t fill_len;
    int i_done, i_result;
    zfail i_fail;
    size_t i_entry;
    /* S */
    unzFile zip2;
    memfile mem2;
    struct mscan ms;
    int s_done, s_result;   /* 0: no merged range, 1: some, -1: S failed */
    size_t s_entry;
    /* P -> the caller */
    hbatch *cur;         /* P's, being filled */
    hbatch *spare;       /* batches the caller is done with, for P to fill again */
    hbatch *q_head, *q_tail;
    size_t q_bytes;
    int p_done, p_nomem;
} tsheet;

static size_t batch_bytes(const hbatch *b)
{
    return sizeof *b + b->text.len + b->n_cells * sizeof *b->cells + b->n_rows * sizeof *b->rows;
}

/* Frees the batch's diagnostics (it keeps room for more). */
static void batch_diags_free(hbatch *b)
{
    for (size_t i = 0; i < b->n_diags; i++) {
        ctl_free(b->diags[i].file);
        ctl_free(b->diags[i].item);
        ctl_free(b->diags[i].msg);
    }
    b->n_diags = 0;
}

static void batch_free(hbatch *b)
{
    if (!b) return;
    batch_diags_free(b);
    ctl_free(b->diags);
    ctl_free(b->rows);
    ctl_free(b->cells);
    ctl_buf_free(&b->text);
    ctl_free(b);
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 1;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = ctl_realloc(*v, c * size);
    if (!p) return 0;
    *v = p;
    *cap = c;
    return 1;
}

/* P's batch being filled (a spare one emptied, else a new one), or NULL
 * when out of memory. */
static hbatch *cur_batch(tsheet *t)
{
    if (t->cur) return t->cur;
    pthread_mutex_lock(&t->mu);
    hbatch *b = t->spare;
    if (b) t->spare = b->next;
    pthread_mutex_unlock(&t->mu);
    if (!b && (b = ctl_malloc(sizeof *b))) memset(b, 0, sizeof *b);
    if (b) {
        b->next = NULL;
        b->n_rows = b->n_cells = 0;
        b->text.len = 0;
    }
    return t->cur = b;
}

/* The caller is done with batch b: its diagnostics freed, the rest kept
 * for P to fill again. */
static void batch_spare(tsheet *t, hbatch *b)
{
    batch_diags_free(b);
    pthread_mutex_lock(&t->mu);
    b->next = t->spare;
    t->spare = b;
    pthread_mutex_unlock(&t->mu);
}

/* P's context says a diagnostic: into the batch, at its place. */
static void p_diag(void *user, const ctl_diag_info *d)
{
    tsheet *t = user;
    xlsx *x = t->x;
    hbatch *b = cur_batch(t);
    hdiag h = {0};
    if (b && grow((void **)&b->diags, &b->cap_diags, b->n_diags, sizeof *b->diags)) {
        h.before = b->n_rows;
        h.error = d->severity == CTL_SEV_ERROR;
        h.code = d->code;
        h.limit = d->limit;
        h.line = d->line;
        h.where = x->where_set;
        h.col = x->where_col;
        h.sst = x->where_sst;
        h.file = ctl_strdup(d->file);
        h.item = ctl_strdup(d->item);
        h.msg = ctl_strdup(d->message);
        if (h.file && h.item && h.msg) {
            b->diags[b->n_diags++] = h;
            x->where_set = 0;
            return;
        }
    }
    ctl_free(h.file);
    ctl_free(h.item);
    ctl_free(h.msg);
    t->p_nomem = 1;   /* read by the caller once P ended */
    stop_with(x, CTL_ENOMEM);
}

/* P hands its batch to the caller (last: P's final one), waiting while
 * QUEUE_MAX bytes wait; stops the parse when the caller stopped. */
static void push_batch(tsheet *t, int last)
{
    hbatch *b = t->cur;
    t->cur = NULL;
    pthread_mutex_lock(&t->mu);
    while (!last && t->q_bytes >= QUEUE_MAX && !t->abort) pthread_cond_wait(&t->cv, &t->mu);
    if (!t->abort && b) {
        if (t->q_tail) t->q_tail->next = b;
        else t->q_head = b;
        t->q_tail = b;
        t->q_bytes += batch_bytes(b);
        b = NULL;
    }
    if (last) t->p_done = 1;
    int stopped = t->abort;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    batch_free(b);
    if (stopped && !last) {
        t->x->stop = 1;
        xmlStopParser(t->x->parser);
    }
}

/* P: the row read (x->cells, x->arena) into the batch. */
static void hold_row(xlsx *x)
{
    tsheet *t = x->ts;
    hbatch *b = cur_batch(t);
    if (!b || !grow((void **)&b->rows, &b->cap_rows, b->n_rows, sizeof *b->rows)) { stop_with(x, nomem(x)); return; }
    while (b->n_cells + x->n_cells > b->cap_cells)
        if (!grow((void **)&b->cells, &b->cap_cells, b->cap_cells, sizeof *b->cells)) { stop_with(x, nomem(x)); return; }
    size_t base = b->text.len;
    if (x->arena.len && !ctl_buf_add(&b->text, x->arena.data, x->arena.len)) { stop_with(x, nomem(x)); return; }
    for (size_t i = 0; i < x->n_cells; i++) {
        b->cells[b->n_cells + i] = x->cells[i];
        b->cells[b->n_cells + i].off += base;
    }
    b->rows[b->n_rows++] = (hrow){x->row, b->n_cells, x->n_cells};
    b->n_cells += x->n_cells;
    if (b->text.len >= BATCH_TEXT || b->n_rows >= BATCH_ROWS || b->n_diags >= BATCH_DIAGS) push_batch(t, 0);
}

/* I: publishes the chunk filled and takes the next (waiting for one);
 * 0 when it is to stop. */
static int i_publish(tsheet *t)
{
    pthread_mutex_lock(&t->mu);
    t->ring_len[(t->r_head + t->r_count) % RING_N] = t->fill_len;
    t->r_count++;
    pthread_cond_broadcast(&t->cv);
    while (t->r_count == RING_N && !t->stop_i) pthread_cond_wait(&t->cv, &t->mu);
    int go = !t->stop_i;
    t->fill = t->ring[(t->r_head + t->r_count) % RING_N];
    t->fill_len = 0;
    pthread_mutex_unlock(&t->mu);
    return go;
}

static int i_chunk(void *user, const char *buf, size_t n)
{
    tsheet *t = user;
    if (t->fill_len + n > RING_CHUNK && !i_publish(t)) return 0;
    memcpy(t->fill + t->fill_len, buf, n);
    t->fill_len += n;
    return 1;
}

static void *i_main(void *arg)
{
    tsheet *t = arg;
    int r = inflate_loop(t->x->zip, t->path, t->others, &t->lim, i_chunk, t, &t->i_entry, &t->i_fail);
    pthread_mutex_lock(&t->mu);
    if (r != 0 && t->fill_len && !t->stop_i) {   /* the bytes before a failure are parsed, as on one thread */
        t->ring_len[(t->r_head + t->r_count) % RING_N] = t->fill_len;
        t->r_count++;
    }
    t->i_result = r;
    t->i_done = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* S: inflates the sheet again on its own handle, as the first pass of the
 * reading on one thread does (minizip's read: the size the directory
 * claims, the CRC, the limits at the same points), looking for merged
 * ranges; a failure only stops it (that reading then says what is
 * wrong). */
static int s_chunk(void *user, const char *buf, size_t n)
{
    tsheet *t = user;
    return !mscan_feed(&t->ms, buf, n) && !__atomic_load_n(&t->stop_s, __ATOMIC_RELAXED);
}

static void *s_main(void *arg)
{
    tsheet *t = arg;
    int r = -1;
    zfail f;
    if (unzLocateFile(t->zip2, t->path, 2) == UNZ_OK && unzOpenCurrentFile(t->zip2) == UNZ_OK)
        r = inflate_loop(t->zip2, t->path, t->others, &t->lim, s_chunk, t, &t->s_entry, &f);
    pthread_mutex_lock(&t->mu);
    t->s_result = t->ms.saw ? 1 : r == 1 ? 0 : -1;
    t->s_done = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void *p_main(void *arg)
{
    tsheet *t = arg;
    xlsx *x = t->x;
    xmlSAXHandler sax;
    sheet_handlers(&sax);
    if (!new_parser(x, t->path, &sax, PASS_SHEET)) stop_with(x, nomem(x));
    while (x->st == CTL_OK && !x->stop) {
        pthread_mutex_lock(&t->mu);
        while (!t->r_count && !t->i_done && !t->abort) pthread_cond_wait(&t->cv, &t->mu);
        if (t->abort) { pthread_mutex_unlock(&t->mu); break; }
        if (!t->r_count) {   /* I is done */
            int r = t->i_result;
            pthread_mutex_unlock(&t->mu);
            if (r < 0) stop_with(x, zfail_report(x, &t->i_fail));
            else if (xmlParseChunk(x->parser, NULL, 0, 1) != 0 && x->st == CTL_OK) x->st = malformed(x);
            break;
        }
        size_t h = t->r_head;
        pthread_mutex_unlock(&t->mu);
        feed_xml(x, t->ring[h], t->ring_len[h]);
        pthread_mutex_lock(&t->mu);
        t->r_head = (h + 1) % RING_N;
        t->r_count--;
        pthread_cond_broadcast(&t->cv);
        pthread_mutex_unlock(&t->mu);
    }
    if (x->parser) xmlFreeParserCtxt(x->parser);
    x->parser = NULL;
    pthread_mutex_lock(&t->mu);
    t->stop_i = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    push_batch(t, 1);
    return NULL;
}

/* The caller: says a diagnostic P made, on the caller's context. */
static ctl_status say_diag(tsheet *t, const hdiag *d)
{
    char where[160] = "";
    if (d->where) where_text(t->x, d->line, d->col, d->sst, where, sizeof where);
    if (!d->error) return ctl_warn_item(t->ctx, d->code, d->file, d->line, d->item, "%s%s", where, d->msg);
    if (d->code == CTL_D_OUT_OF_MEMORY) return ctl_nomem(t->ctx);
    if (d->limit != CTL_LIMIT_COUNT) return ctl_limit_fail(t->ctx, d->file, d->line, d->limit, "%s%s", where, d->msg);
    return ctl_fail_item(t->ctx, d->code, d->file, d->line, d->item, "%s%s", where, d->msg);
}

/* The caller: the batches' rows to the table and their diagnostics said,
 * in order, until P's last batch or an error. */
static ctl_status take_batches(tsheet *t)
{
    xlsx *x = t->x;
    for (;;) {
        pthread_mutex_lock(&t->mu);
        while (!t->q_head && !t->p_done) pthread_cond_wait(&t->cv, &t->mu);
        hbatch *b = t->q_head;
        if (b) {
            t->q_head = b->next;
            if (!t->q_head) t->q_tail = NULL;
            t->q_bytes -= batch_bytes(b);
            pthread_cond_broadcast(&t->cv);
        }
        pthread_mutex_unlock(&t->mu);
        if (!b) break;   /* P's last batch was taken */
        ctl_status st = CTL_OK;
        size_t d = 0;
        for (size_t r = 0; r <= b->n_rows && st == CTL_OK; r++) {
            for (; d < b->n_diags && b->diags[d].before == r && st == CTL_OK; d++) st = say_diag(t, &b->diags[d]);
            if (r == b->n_rows || st != CTL_OK) break;
            const hrow *h = &b->rows[r];
            size_t width = spread_row(x, h->n ? b->cells + h->first : NULL, h->n, b->text.data, 0);
            st = width == (size_t)-1 ? ctl_nomem(t->ctx) : ctl_table_row(x->table, x->row_cells, width, h->row);
        }
        batch_spare(t, b);
        if (st != CTL_OK) return st;
    }
    return t->p_nomem ? ctl_nomem(t->ctx) : CTL_OK;
}

/* Reads sheet i as a table on threads when it is large: returns 1 with
 * *out the reading's status, or 0 when it is to be read on one thread
 * (*merged: the sheet has merged ranges, found). */
static int sheet_threads(xlsx *x, size_t i, ctl_status *out, int *merged)
{
    const char *path = x->sheets[i].path;
    unz_file_info64 fi;
    *merged = 0;
    if (unzLocateFile(x->zip, path, 2) != UNZ_OK ||
        unzGetCurrentFileInfo64(x->zip, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK ||
        fi.uncompressed_size < ctl_xlsx_thread_min)
        return 0;
    size_t p = part_slot(x, path);
    if (p == (size_t)-1) return 0;
    tsheet *t = ctl_malloc(sizeof *t);
    if (!t) return 0;
    memset(t, 0, sizeof *t);
    t->x = x;
    t->ctx = x->ctx;
    t->path = path;
    t->lim = (zlimits){x->max_entry, x->max_total, x->max_ratio};
    t->others = x->total_inflated - x->parts[p].bytes;
    t->mem2 = (memfile){x->mem.data, x->mem.len, 0, x->mem.src, 0, NULL, 0, 0};
    zlib_filefunc64_def io = {mem_open, mem_read, mem_write, mem_tell, mem_seek, mem_close, mem_error, &t->mem2};
    int ok = (t->pctx = ctl_ctx_new()) != NULL && (t->zip2 = unzOpen2_64("memory", &io)) != NULL;
    for (int k = 0; ok && k < RING_N; k++) ok = (t->ring[k] = ctl_malloc(RING_CHUNK)) != NULL;
    if (ok && unzOpenCurrentFile(x->zip) != UNZ_OK) ok = 0;
    int started = 0, threads = 0;
    pthread_t tid[3];
    if (ok) {
        pthread_mutex_init(&t->mu, NULL);
        pthread_cond_init(&t->cv, NULL);
        ctl_set_diag_callback(t->pctx, p_diag, t);
        t->fill = t->ring[0];
        x->ctx = t->pctx;
        x->ts = t;
        x->st = CTL_OK;
        x->where_set = 0;
        sheet_state_reset(x);
        started = 1;
        void *(*mains[3])(void *) = {s_main, i_main, p_main};
        for (; threads < 3 && !pthread_create(&tid[threads], NULL, mains[threads], t); threads++) {}
    }
    ctl_status st = CTL_OK;
    int fallback = 1;
    if (threads == 3) {
        pthread_mutex_lock(&t->mu);
        while (!t->s_done) pthread_cond_wait(&t->cv, &t->mu);
        int found = t->s_result;
        pthread_mutex_unlock(&t->mu);
        if (found == 0) {
            st = take_batches(t);
            fallback = 0;
        } else {
            *merged = found == 1;
        }
    }
    if (started) {
        pthread_mutex_lock(&t->mu);
        t->abort = t->stop_i = 1;
        __atomic_store_n(&t->stop_s, 1, __ATOMIC_RELAXED);
        /* a thread that did not start is done */
        if (threads < 1) t->s_done = 1;
        if (threads < 2) t->i_done = 1;
        pthread_cond_broadcast(&t->cv);
        pthread_mutex_unlock(&t->mu);
        for (int k = 0; k < threads; k++) pthread_join(tid[k], NULL);
        if (threads < 2) unzCloseCurrentFile(x->zip);
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        part_count(x, p, t->i_entry > t->s_entry ? t->i_entry : t->s_entry);
    } else if (ok) {
        unzCloseCurrentFile(x->zip);
    }
    x->ctx = t->ctx;
    x->ts = NULL;
    x->st = CTL_OK;
    x->stop = 0;
    while (t->q_head) {
        hbatch *b = t->q_head;
        t->q_head = b->next;
        batch_free(b);
    }
    batch_free(t->cur);
    while (t->spare) {
        hbatch *b = t->spare;
        t->spare = b->next;
        batch_free(b);
    }
    for (int k = 0; k < RING_N; k++) ctl_free(t->ring[k]);
    if (t->zip2) unzClose(t->zip2);
    ctl_free(t->mem2.ahead);
    ctl_ctx_free(t->pctx);
    ctl_free(t);
    if (fallback) {
        /* what P said is dropped unsaid: the columns it warned about
         * are to be warned about again */
        if (x->fmt_warned) memset(x->fmt_warned, 0, MAX_COLUMNS / 8 + 1);
        return 0;
    }
    *out = st;
    __atomic_add_fetch(&ctl_xlsx_thread_reads, 1, __ATOMIC_RELAXED);   /* readers on other threads count too */
    return 1;
}

static ctl_status read_sheet(xlsx *x, size_t i, int kind)
{
    xmlSAXHandler sax;
    ctl_free(x->sheet_file);
    ctl_buf f = {0};
    if (!ctl_buf_printf(&f, "%s[%s]", x->file, x->sheets[i].name)) { ctl_buf_free(&f); return nomem(x); }
    x->sheet_file = ctl_buf_take(&f);
    if (!x->sheet_file) return nomem(x);
    clear_merges(x);
    ctl_status st;
    if (kind == PASS_SHEET) {
        int merged = 0;
        if (sheet_threads(x, i, &st, &merged)) return st;
        /* merged ranges follow the sheet data: a first pass finds them, and
         * parses the XML only when the bytes mention them at all */
        x->ms = (struct mscan){merged, {0}, 0};
        x->stop = 0;
        st = merged ? CTL_OK : inflate_entry(x, x->sheets[i].path, scan_for_merges, NULL);
        x->stop = 0;
        if (st != CTL_OK) return st;
        if (x->ms.saw) {
            memset(&sax, 0, sizeof sax);
            sax.startElementNs = merge_start;
            if ((st = parse_part(x, x->sheets[i].path, &sax, PASS_MERGES, NULL)) != CTL_OK) return st;
        }
        if (!begin_sweep(x)) return nomem(x);
        x->filled = 0;
        x->fill_budget = FILL_FLOOR + FILL_RATIO * (part_bytes(x, x->sheets[i].path) +
                                                    part_bytes(x, x->sst_path ? x->sst_path : "xl/sharedStrings.xml"));
    }
    sheet_handlers(&sax);
    sheet_state_reset(x);
    x->probe_rows = 0;
    x->probe_score = 0;
    x->probe_below = 0;
    return parse_part(x, x->sheets[i].path, &sax, kind, NULL);
}

/* ------------------------------------------------------------ entry point */

static void xlsx_free(xlsx *x)
{
    if (x->zip) unzClose(x->zip);
    ctl_free(x->mem.ahead);
    for (size_t i = 0; i < x->n_parts; i++) ctl_free(x->parts[i].path);
    ctl_free(x->parts);
    for (size_t i = 0; i < x->n_sheets; i++) {
        ctl_free(x->sheets[i].name);
        ctl_free(x->sheets[i].path);
    }
    ctl_free(x->sheets);
    for (size_t i = 0; i < x->n_wbs; i++) {
        ctl_free(x->wbs[i].name);
        ctl_free(x->wbs[i].rid);
    }
    ctl_free(x->wbs);
    for (size_t i = 0; i < x->n_rels; i++) {
        ctl_free(x->rels[i].id);
        ctl_free(x->rels[i].target);
        ctl_free(x->rels[i].type);
    }
    ctl_free(x->rels);
    ctl_free(x->sst_path);
    ctl_free(x->styles_path);
    for (size_t i = 0; i < x->n_fmts; i++) ctl_free(x->fmts[i].code);
    ctl_free(x->fmts);
    ctl_free(x->xfs);
    ctl_free(x->fmt_warned);
    ctl_buf_free(&x->sst);
    ctl_free(x->sst_off);
    ctl_free(x->sst_kept);
    ctl_buf_free(&x->text);
    clear_merges(x);
    ctl_free(x->merges);
    ctl_buf_free(&x->cell_value);
    ctl_buf_free(&x->arena);
    ctl_free(x->cells);
    ctl_free(x->row_cells);
    ctl_free(x->row_kinds);
    ctl_free(x->sheet_file);
}

static ctl_status choose_sheet(xlsx *x, size_t *chosen)
{
    const char *want = x->opts->sheet;
    if (want) {
        for (size_t i = 0; i < x->n_sheets; i++)
            if (!strcmp(x->sheets[i].name, want)) { *chosen = i; return CTL_OK; }
        char *end;
        long k = strtol(want, &end, 10);
        if (!*end && k >= 1 && (size_t)k <= x->n_sheets) { *chosen = (size_t)k - 1; return CTL_OK; }
        ctl_buf names = {0};
        for (size_t i = 0; i < x->n_sheets; i++)
            if ((i && !ctl_buf_adds(&names, ", ")) || !ctl_buf_printf(&names, "'%s'", x->sheets[i].name)) {
                ctl_buf_free(&names);
                return nomem(x);
            }
        ctl_status st = ctl_fail(x->ctx, CTL_D_NO_SHEET, x->file, 0, "no sheet '%s'; the workbook has %s",
                                 want, names.data);
        ctl_buf_free(&names);
        return st;
    }
    if (x->n_sheets == 1) { *chosen = 0; return CTL_OK; }   /* nothing to choose */
    /* the sheet whose header row names the most fields; on a tie the one
     * with more rows below it, then the first */
    size_t best = 0, best_below = 0;
    for (size_t i = 0; i < x->n_sheets; i++) {
        ctl_status st = read_sheet(x, i, PASS_PROBE);
        if (st != CTL_OK) return st;
        if (x->probe_score > best || (x->probe_score == best && best && x->probe_below > best_below)) {
            best = x->probe_score;
            best_below = x->probe_below;
            *chosen = i;
        }
    }
    if (best) return CTL_OK;
    return ctl_fail(x->ctx, CTL_D_NO_HEADER, x->file, 0, "no sheet has a header row: expected column "
                    "names such as 項番, 管理策番号, No., id, ref_id (the ids) with 対策項目, 名称, "
                    "title, name, 対策内容, description... within its first %d rows", CTL_TABLE_HEADER_ROWS);
}

ctl_status ctl_xlsx_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink);
/* Other documents that travel as zips, told by the names their entries
 * carry (the local headers hold them, even in a truncated archive); a zip
 * with no trace of a workbook is told once its directory is read. */
static ctl_status other_zip(ctl_ctx *ctx, const ctl_input *in)
{
    const unsigned char *d = in->data;
    size_t n = in->len;
    if (memmem(d, n, "opendocument.spreadsheet", 24))
        return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, in->name, 0, "is an OpenDocument spreadsheet (.ods): "
                        "ctlconv does not read it; save it as .xlsx");
    if (memmem(d, n, "word/document.xml", 17) || memmem(d, n, "ppt/presentation.xml", 20))
        return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, in->name, 0, "is a Word or PowerPoint document, not a "
                        "workbook: ctlconv reads control lists from .xlsx workbooks");
    return CTL_OK;
}

/* What the archive's directory names: DIR_XL (an entry under xl/),
 * DIR_TYPES ([Content_Types].xml), DIR_OFFICE (a Word or PowerPoint
 * document's main part). */
enum { DIR_XL = 1, DIR_TYPES = 2, DIR_OFFICE = 4 };

static int dir_kinds(xlsx *x)
{
    char entry[512];
    int k = 0;
    for (int r = unzGoToFirstFile(x->zip); r == UNZ_OK; r = unzGoToNextFile(x->zip)) {
        unz_file_info64 fi;
        if (unzGetCurrentFileInfo64(x->zip, &fi, entry, sizeof entry, NULL, 0, NULL, 0) != UNZ_OK) break;
        if (!strncmp(entry, "xl/", 3)) k |= DIR_XL;
        else if (!strcmp(entry, "[Content_Types].xml")) k |= DIR_TYPES;
        else if (!strcmp(entry, "word/document.xml") || !strcmp(entry, "ppt/presentation.xml")) k |= DIR_OFFICE;
    }
    return k;
}

/* Opens the workbook of in into x (zeroed): the archive, its sheets,
 * shared strings and styles, under the limits of opts. */
static ctl_status book_open(xlsx *x, ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts)
{
    ctl_status other = other_zip(ctx, in);
    if (other != CTL_OK) return other;
    x->ctx = ctx;
    x->opts = opts;
    x->max_columns = ctl_limit_value(opts, CTL_LIMIT_COLUMNS);
    x->max_entry = ctl_limit_value(opts, CTL_LIMIT_ZIP_ENTRY_SIZE);
    x->max_total = ctl_limit_value(opts, CTL_LIMIT_ZIP_TOTAL_SIZE);
    x->max_ratio = ctl_limit_value(opts, CTL_LIMIT_ZIP_RATIO);
    x->file = in->name;
    x->mem.data = in->data;
    x->mem.len = in->len;
    if (in->read_at) {   /* read in place: the first part is in data */
        x->mem.src = in;
        x->mem.len = (size_t)in->size;
    }
    zlib_filefunc64_def io = {mem_open, mem_read, mem_write, mem_tell, mem_seek, mem_close, mem_error, &x->mem};
    x->zip = unzOpen2_64("memory", &io);
    if (!x->zip && x->mem.err) return mem_failed(x, &x->mem);
    if (!x->zip)
        return ctl_fail(ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "not a readable workbook: the zip archive is "
                        "truncated or corrupt (no central directory)");
    unz_global_info64 gi;
    if (x->mem.src) {
        /* read in place, other_zip() saw the first part only: the
         * directory (its entries counted first) tells the rest */
        if (unzGetGlobalInfo64(x->zip, &gi) == UNZ_OK && gi.number_entry > ctl_limit_value(opts, CTL_LIMIT_ZIP_ENTRIES))
            return ctl_limit_fail(ctx, x->file, 0, CTL_LIMIT_ZIP_ENTRIES, "the archive has %llu entries, more "
                                  "than the limit of %zu", (unsigned long long)gi.number_entry,
                                  ctl_limit_value(opts, CTL_LIMIT_ZIP_ENTRIES));
        int k = dir_kinds(x);
        if (x->mem.err) return mem_failed(x, &x->mem);
        if (k & DIR_OFFICE)
            return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, in->name, 0, "is a Word or PowerPoint document, not a "
                            "workbook: ctlconv reads control lists from .xlsx workbooks");
        if (!(k & (DIR_XL | DIR_TYPES)))
            return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, x->file, 0, "is a zip archive that is not an Excel "
                            "workbook (no xl/workbook.xml)");
    } else if (!memmem(in->data, in->len, "xl/", 3) && !memmem(in->data, in->len, "[Content_Types].xml", 19)) {
        return ctl_fail(ctx, CTL_D_UNREADABLE_FORMAT, x->file, 0, "is a zip archive that is not an Excel workbook (no "
                        "xl/workbook.xml)");
    }
    if (unzGetGlobalInfo64(x->zip, &gi) != UNZ_OK)
        return ctl_fail(ctx, CTL_D_CORRUPT_WORKBOOK, x->file, 0, "corrupt workbook: unreadable zip directory");
    if (gi.number_entry > ctl_limit_value(opts, CTL_LIMIT_ZIP_ENTRIES))
        return ctl_limit_fail(ctx, x->file, 0, CTL_LIMIT_ZIP_ENTRIES, "the archive has %llu entries, more "
                              "than the limit of %zu", (unsigned long long)gi.number_entry,
                              ctl_limit_value(opts, CTL_LIMIT_ZIP_ENTRIES));
    ctl_status st = read_workbook(x);
    if (st == CTL_OK) st = read_shared_strings(x);
    if (st == CTL_OK) st = read_styles(x);
    return st;
}

ctl_status ctl_xlsx_book_open(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_xlsx_book **book)
{
    *book = NULL;
    xlsx *x = ctl_malloc(sizeof *x);
    if (!x) return ctl_nomem(ctx);
    memset(x, 0, sizeof *x);
    ctl_status st = book_open(x, ctx, in, opts);
    if (st != CTL_OK) {
        ctl_xlsx_book_close(x);
        return st;
    }
    *book = x;
    return CTL_OK;
}

void ctl_xlsx_book_close(ctl_xlsx_book *book)
{
    if (!book) return;
    xlsx_free(book);
    ctl_free(book);
}

long ctl_xlsx_book_sheet(const ctl_xlsx_book *book, const char *name)
{
    for (size_t i = 0; i < book->n_sheets; i++)
        if (!strcmp(book->sheets[i].name, name)) return (long)i;
    return -1;
}

size_t ctl_xlsx_book_sheet_count(const ctl_xlsx_book *book) { return book->n_sheets; }

const char *ctl_xlsx_book_sheet_name(const ctl_xlsx_book *book, size_t i) { return book->sheets[i].name; }

const char *ctl_xlsx_book_file(const ctl_xlsx_book *book) { return book->file; }

size_t ctl_xlsx_book_size(const ctl_xlsx_book *book) { return book->mem.len; }

ctl_status ctl_xlsx_book_rows(ctl_xlsx_book *book, size_t i, ctl_xlsx_row_fn fn, void *user)
{
    book->row_fn = fn;
    book->row_user = user;
    ctl_status st = read_sheet(book, i, PASS_ROWS);
    book->row_fn = NULL;
    book->row_user = NULL;
    return st;
}

ctl_status ctl_xlsx_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    xlsx x;
    memset(&x, 0, sizeof x);
    ctl_status st = book_open(&x, ctx, in, opts);
    if (st != CTL_OK) goto out;
    /* CISO Assistant's library workbook, unless a sheet or columns say to
     * read one sheet as a table */
    if (!opts->sheet && !opts->n_columns && ctl_xlsx_book_sheet(&x, "library_meta") >= 0) {
        st = ctl_ciso_xlsx_read_book(ctx, &x, opts, sink);
        goto out;
    }
    size_t chosen = 0;
    if ((st = choose_sheet(&x, &chosen)) != CTL_OK) goto out;
    if (x.n_sheets > 1 && !opts->sheet &&
        (st = ctl_warn(ctx, CTL_D_SHEET_CHOSEN, x.file, 0, "read sheet '%s' (%zu of %zu), whose header "
                       "row names the most fields", x.sheets[chosen].name, chosen + 1, x.n_sheets)) != CTL_OK)
        goto out;
    {
        ctl_buf f = {0};
        if (!ctl_buf_printf(&f, "%s[%s]", x.file, x.sheets[chosen].name)) { ctl_buf_free(&f); st = nomem(&x); goto out; }
        char *table_file = ctl_buf_take(&f);
        if (!table_file) { st = nomem(&x); goto out; }
        x.table = ctl_table_new(ctx, opts, sink, table_file, 0);
        if (!x.table) { ctl_free(table_file); st = nomem(&x); goto out; }
        st = read_sheet(&x, chosen, PASS_SHEET);
        if (st == CTL_OK) st = ctl_table_finish(x.table);
        ctl_table_free(x.table);
        ctl_free(table_file);
    }
out:
    xlsx_free(&x);
    return st;
}
