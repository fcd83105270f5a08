/* SPDX-License-Identifier: BSD-2-Clause */
/* CSV and TSV, as Excel, LibreOffice and government offices write them.
 *
 * Reader (libcsv, strict): the header row is found by its words (also below
 * title rows, which become the document's title and note), in any column
 * order; unknown columns are kept as extra columns; quoted cells may hold
 * line breaks; the delimiter (comma, tab, semicolon) is detected unless
 * given; the level comes from the item number.  Text cells are kept exactly
 * as written (a leading '=', tab or quote included); only identifiers (item
 * number, references, category) are normalised.
 *
 * Writer: RFC 4180 (a field is quoted when it holds the delimiter, a quote,
 * CR or LF; quotes doubled), the header on the first line, extra columns
 * after the canonical ones; UTF-8, UTF-8 with a BOM, or CP932 checked cell
 * by cell; --excel-safe neutralises cells a spreadsheet would execute. */
#include "csv_records.h"
#include "../converters/services.h"

#include <csv.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>

/* ================================================================ reader */


/* ---------------------------------------------------------- record layer */

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    ctl_csv_record_fn fn;
    void *user;
    ctl_status st;             /* first failure inside a callback */
    ctl_cell *cells;
    size_t *at;                /* where each cell's text starts in text */
    ctl_buf text;              /* the record's cells, each NUL-terminated */
    size_t n_cells, cap_cells, max_columns;
    long line;                 /* physical line being fed */
    long record_line;          /* line the current record started on */
    long start_line;           /* line the next record starts on */
    int in_record;
} records;

/* libcsv's realloc hook cannot carry a context: the field limit of the
 * parse running on this thread. */
static _Thread_local size_t tl_field_limit;
static _Thread_local int tl_field_too_big;

/* libcsv grows its field buffer by a fixed block each time it fills up:
 * for a long field that is quadratic copying wherever realloc cannot grow
 * in place (under AddressSanitizer, always).  This allocator keeps a
 * capacity before the buffer and grows it geometrically; libcsv frees it
 * with field_free.  The limit is checked here too: a runaway field stops
 * early. */
enum { FIELD_HDR = 16 };

static void *limited_realloc(void *p, size_t n)
{
    if (n > tl_field_limit + 4096) {
        tl_field_too_big = 1;
        return NULL;
    }
    char *base = p ? (char *)p - FIELD_HDR : NULL;
    size_t cap = 0;
    if (base) memcpy(&cap, base, sizeof cap);
    if (base && n <= cap) return p;
    size_t want = cap * 2 > n ? cap * 2 : n;
    if (want < 4096) want = 4096;
    if (want > tl_field_limit + 4096) want = tl_field_limit + 4096;
    char *grown = ctl_realloc(base, want + FIELD_HDR);
    if (!grown) return NULL;
    memcpy(grown, &want, sizeof want);
    return grown + FIELD_HDR;
}

static void field_free(void *p)
{
    if (p) ctl_free((char *)p - FIELD_HDR);
}

static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void clear_cells(records *r)
{
    r->n_cells = 0;
    r->text.len = 0;
}

static ctl_status too_big(records *r, long line)
{
    return ctl_limit_fail(r->ctx, r->file, line, CTL_LIMIT_FIELD_SIZE, "a field longer than the "
                          "limit of %zu bytes", tl_field_limit);
}

static void on_field(void *data, size_t len, void *user)
{
    records *r = user;
    if (r->st != CTL_OK) return;
    if (!r->in_record) {
        r->in_record = 1;
        r->record_line = r->start_line;
    }
    if (data && len > tl_field_limit) {
        r->st = too_big(r, r->record_line);
        return;
    }
    if (r->n_cells == r->max_columns) {
        r->st = ctl_limit_fail(r->ctx, r->file, r->record_line, CTL_LIMIT_COLUMNS,
                               "more than the limit of %zu cells in a row", r->max_columns);
        return;
    }
    if (r->n_cells == r->cap_cells) {
        size_t cap = r->cap_cells ? r->cap_cells * 2 : 16;
        ctl_cell *c = ctl_realloc(r->cells, cap * sizeof *c);
        if (c) r->cells = c;
        size_t *at = c ? ctl_realloc(r->at, cap * sizeof *at) : NULL;
        if (!at) { r->st = ctl_nomem(r->ctx); return; }
        r->at = at;
        r->cap_cells = cap;
    }
    /* the cells of a record share one buffer: placed at the record's end */
    if (!data) len = 0;
    r->at[r->n_cells] = r->text.len;
    if (!ctl_buf_add(&r->text, data ? data : "", len) || !ctl_buf_addc(&r->text, '\0')) {
        r->st = ctl_nomem(r->ctx);
        return;
    }
    r->cells[r->n_cells].len = len;
    r->n_cells++;
}


static void on_record(int term, void *user)
{
    (void)term;
    records *r = user;
    for (size_t i = 0; i < r->n_cells; i++) r->cells[i].s = r->text.data + r->at[i];
    if (r->st == CTL_OK && r->n_cells && !ctl_cells_blank(r->cells, r->n_cells))
        r->st = r->fn(r->user, r->cells, r->n_cells, r->record_line);
    clear_cells(r);
    r->in_record = 0;
}

/* A line that holds a whole record without a quote, between records: its
 * fields split here, as libcsv would split them (nothing trimmed; a blank
 * line is no record), and no faster way.  0: leave it to libcsv. */
static int plain_line(records *r, const char *s, size_t n, char delim)
{
    if (memchr(s, '"', n)) return 0;
    if (n && s[n - 1] == '\n') n--;
    if (n && s[n - 1] == '\r') n--;
    if (!n) return 1;
    for (const char *f = s, *end = s + n; r->st == CTL_OK;) {
        const char *e = memchr(f, delim, (size_t)(end - f));
        if (!e) e = end;
        on_field((void *)f, (size_t)(e - f), r);
        if (e == end) break;
        f = e + 1;
    }
    if (r->st == CTL_OK) on_record('\n', r);
    return 1;
}

ctl_status ctl_csv_parse_stream(ctl_ctx *ctx, const char *file, ctl_stream *in, char delim,
                                const ctl_options *opts, ctl_csv_record_fn fn, void *user)
{
    records r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.file = file;
    r.fn = fn;
    r.user = user;
    r.st = CTL_OK;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) return ctl_nomem(ctx);
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_space_func(&p, never_space);
    csv_set_realloc_func(&p, limited_realloc);
    csv_set_free_func(&p, field_free);
    tl_field_limit = ctl_limit_value(opts, CTL_LIMIT_FIELD_SIZE);
    if (tl_field_limit > SIZE_MAX / 2) tl_field_limit = SIZE_MAX / 2;   /* + 4096 stays in range */
    r.max_columns = ctl_limit_value(opts, CTL_LIMIT_COLUMNS);
    tl_field_too_big = 0;

    while (r.st == CTL_OK) {
        /* one physical line (LF, CRLF or CR) at a time, to know lines */
        const char *s;
        size_t n;
        if ((r.st = ctl_stream_line(ctx, in, 1, &s, &n)) != CTL_OK || !n) break;
        r.line++;
        /* a record not begun yet starts on this line at the earliest
         * (pstate 0 is libcsv's ROW_NOT_BEGUN) */
        if (!r.in_record && p.pstate == 0) r.start_line = r.line;
        if (!r.in_record && p.pstate == 0 && plain_line(&r, s, n, delim)) continue;
        size_t done = csv_parse(&p, s, n, on_field, on_record, &r);
        if (r.st != CTL_OK) break;
        if (done != n) {
            if (tl_field_too_big) r.st = too_big(&r, r.in_record ? r.record_line : r.start_line);
            else if (csv_error(&p) == CSV_ENOMEM) r.st = ctl_nomem(ctx);
            else
                r.st = ctl_fail(ctx, CTL_D_MALFORMED_CSV, file, r.line,
                                "malformed CSV in field %zu (byte %zu of the decoded text): a "
                                "quote inside an unquoted field, or text after a closing quote",
                                r.n_cells + 1, ctl_stream_offset(in) + done);
            break;
        }
    }
    if (r.st == CTL_OK && csv_fini(&p, on_field, on_record, &r) != 0 && r.st == CTL_OK) {
        if (tl_field_too_big) r.st = too_big(&r, r.in_record ? r.record_line : r.start_line);
        else
            r.st = ctl_fail(ctx, CTL_D_MALFORMED_CSV, file, r.in_record ? r.record_line : r.start_line,
                            "unterminated quoted field: a quote opened in the record that starts "
                            "on this line is never closed");
    }
    csv_free(&p);
    ctl_buf_free(&r.text);
    ctl_free(r.at);
    ctl_free(r.cells);
    return r.st;
}

ctl_status ctl_csv_parse(ctl_ctx *ctx, const char *file, const char *text, size_t len, char delim,
                         const ctl_options *opts, ctl_csv_record_fn fn, void *user)
{
    ctl_stream m;
    ctl_stream_memory(&m, file, text, len);
    return ctl_csv_parse_stream(ctx, file, &m, delim, opts, fn, user);
}

char ctl_csv_detect_delimiter(const char *s, size_t len)
{
    static const char cand[] = {',', '\t', ';'};
    size_t best_score = 0;
    char best = ',';
    for (size_t k = 0; k < sizeof cand; k++) {
        enum { LINES = 64 };
        size_t counts[LINES], n = 0, cur = 0, lines = 0;
        int quoted = 0;
        /* the first 64 lines (of at most 1 MB) are enough to tell */
        for (size_t i = 0; i < len && i < ((size_t)1 << 20) && lines < LINES; i++) {
            char c = s[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == cand[k]) cur++;
            else if (!quoted && (c == '\n' || c == '\r')) {
                if (c == '\r' && i + 1 < len && s[i + 1] == '\n') i++;
                if (cur) counts[n++] = cur;
                cur = 0;
                lines++;
            }
        }
        if (cur && n < LINES) counts[n++] = cur;
        /* score: lines that share the most common non-zero count */
        size_t score = 0;
        for (size_t a = 0; a < n; a++) {
            size_t same = 0;
            for (size_t b = 0; b < n; b++) same += counts[b] == counts[a];
            if (same > score) score = same;
        }
        if (score > best_score) {
            best_score = score;
            best = cand[k];
        }
    }
    return best;
}

/* Does s[0..n) hold delim, a quote or a line break?  Eight bytes at a
 * time. */
static int needs_quotes(const char *s, size_t n, char delim)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const uint64_t d = ones * (unsigned char)delim, q = ones * '"', r = ones * '\r', l = ones * '\n';
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, a, b, c, e;
        memcpy(&x, s + i, 8);
        a = x ^ d, b = x ^ q, c = x ^ r, e = x ^ l;
        /* a zero byte in any of them (haszero: (v - ones) & ~v & highs) */
        if ((((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c) | ((e - ones) & ~e)) & highs) return 1;
    }
    for (; i < n; i++)
        if (s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n') return 1;
    return 0;
}

int ctl_csv_quote(ctl_buf *out, const char *s, size_t n, char delim)
{
    if (!needs_quotes(s, n, delim)) return ctl_buf_add(out, s, n);
    if (!ctl_buf_addc(out, '"')) return 0;
    const char *run = s, *end = s + n;
    for (const char *p = s; p < end; p++) {
        if (*p != '"') continue;
        if (!ctl_buf_add(out, run, (size_t)(p - run) + 1) || !ctl_buf_addc(out, '"')) return 0;
        run = p + 1;
    }
    return ctl_buf_add(out, run, (size_t)(end - run)) && ctl_buf_addc(out, '"');
}

/* ---------------------------------------------------------------- reader */

/* Excel's first line "sep=X" (X a tab or an ASCII punctuation mark other
 * than '"', then CR LF, LF, CR or the end) declares the delimiter: returns
 * X and sets *skip to the line's length with its end; 0 without one. */
static char sep_line(const char *s, size_t len, size_t *skip)
{
    *skip = 0;
    if (len < 5 || memcmp(s, "sep=", 4) != 0) return 0;
    char x = s[4];
    if (x != '\t' && (x == '"' || (unsigned char)x > 0x7E || !ispunct((unsigned char)x))) return 0;
    size_t n = 5;
    if (n < len && s[n] == '\r') n++;
    if (n < len && s[n] == '\n') n++;
    else if (n < len && s[n - 1] != '\r') return 0;
    *skip = n;
    return x;
}

/* "tab" or "';'", for messages */
static const char *delim_name(char d, char buf[4])
{
    if (d == '\t') return "tab";
    buf[0] = '\'';
    buf[1] = d;
    buf[2] = '\'';
    buf[3] = '\0';
    return buf;
}

typedef struct {
    ctl_table *table;
    int skip_sep;     /* the first record is the "sep=X" line */
} delimited;

static ctl_status on_csv_record(void *user, const ctl_cell *cells, size_t n, long line)
{
    delimited *d = user;
    if (d->skip_sep && line == 1) return CTL_OK;
    return ctl_table_row(d->table, cells, n, line);
}

/* The delimiter: the format's own (fixed: TSV's tab) or the caller's,
 * which a "sep=X" first line must agree with; else X; else detected. */
static ctl_status choose_delimiter(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, char fixed,
                                   char *delim, int *skip_sep)
{
    char a[4], b[4];
    size_t skip;
    char sep = sep_line(in->text, in->text_len, &skip);
    if (fixed && opts->delimiter && opts->delimiter != fixed)
        return ctl_fail(ctx, CTL_D_DELIMITER_MISMATCH, in->name, 0, "a TSV file is tab-separated: the "
                        "delimiter %s cannot be used", delim_name(opts->delimiter, a));
    char want = fixed ? fixed : opts->delimiter;
    if (sep && want && sep != want)
        return ctl_fail(ctx, CTL_D_DELIMITER_MISMATCH, in->name, 1, "the first line 'sep=%.*s' declares the "
                        "delimiter %s, but %s%s%s", sep == '\t' ? 2 : 1, sep == '\t' ? "\\t" : &sep,
                        delim_name(sep, a), fixed ? "a TSV file is tab-separated" : "the delimiter ",
                        fixed ? "" : delim_name(want, b), fixed ? "" : " was given");
    *delim = sep ? sep : want ? want : ctl_csv_detect_delimiter(in->text, in->text_len);
    *skip_sep = sep != 0;
    return CTL_OK;
}

static ctl_status read_delimited(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts,
                                 ctl_sink *sink, char fixed)
{
    char delim = 0;
    delimited d = {NULL, 0};
    ctl_status st = choose_delimiter(ctx, in, opts, fixed, &delim, &d.skip_sep);
    if (st != CTL_OK) return st;
    if (!(d.table = ctl_table_new(ctx, opts, sink, in->name, 1))) return ctl_nomem(ctx);
    ctl_stream m;
    if (!in->stream) ctl_stream_memory(&m, in->name, in->text, in->text_len);
    st = ctl_csv_parse_stream(ctx, in->name, in->stream ? in->stream : &m, delim, opts, on_csv_record, &d);
    if (st == CTL_OK) st = ctl_table_finish(d.table);
    ctl_table_free(d.table);
    return st;
}

static ctl_status csv_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    return read_delimited(ctx, in, opts, sink, 0);
}

/* TSV honours the delimiter option for tab only: what TSV means. */
static ctl_status tsv_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    return read_delimited(ctx, in, opts, sink, '\t');
}

/* Probe.  Scores as detection weighs them (ctl_detect_format): 0 when no
 * header row of known words (the item number among them) comes within the
 * first rows split by this delimiter; 85 when a quoted cell needed RFC 4180
 * quoting (the delimiter, a line break or a doubled quote inside: the text
 * layout has no quoting); 65 when every record has the header's number of
 * fields and either shows what the text layout never has (the records
 * above the header padded with empty fields to its width, as spreadsheets
 * save every row of a sheet; an unquoted cell with a space at an end: the
 * layout's cells are trimmed) or the header is the first record and every
 * record has an item number, none quoted; else 40 (a table fits), and 40
 * too where the records' widths differ.  Where the quoting is broken (a quote inside an unquoted
 * field, text after a closing quote, a quote never closed) the reader
 * refuses the input: 20 (fits only if nothing else does, for its reader to
 * say where), or 40 with what only a table has.  Without such a header
 * row, 25 when two records or more in a row have one number of fields (2
 * or more): a table of unknown column names, which a .csv or .tsv name or
 * the caller's column mappings claim.  Only the first megabyte and 400
 * records are looked at. */
enum { PROBE_BYTES = 1 << 20, PROBE_RECORDS = 400, PROBE_CELLS = 64 };

typedef struct {
    ctl_cell cells[PROBE_CELLS];
    size_t n;                /* fields of the record being read */
    size_t records;          /* non-blank records so far */
    size_t width, id_col;    /* of the header row */
    size_t rows, numbered;
    int have_header, header_first;
    size_t above, above_width;   /* records above the header, blank ones too, and their width */
    int ragged, fused, plain, needed, broken;
    int padded, spaced;      /* what the text layout never has */
    int edge;                /* an unquoted field of this record has a space at an end */
    size_t run_width, run, best_run;   /* consecutive records of one width, the longest run */
    int whole;               /* the sample is the whole input */
} table_probe;

/* A space (or an ideographic one) at an end of a field, which the text
 * layout would trim. */
static int edge_spaced(const ctl_cell *c)
{
    static const char ideo[] = "\xE3\x80\x80";
    return c->len && (c->s[0] == ' ' || c->s[c->len - 1] == ' ' ||
                      (c->len >= 3 && (!memcmp(c->s, ideo, 3) || !memcmp(c->s + c->len - 3, ideo, 3))));
}

static void probe_record(table_probe *p)
{
    size_t n = p->n < PROBE_CELLS ? p->n : PROBE_CELLS, width = p->n;
    int edge = p->edge;
    p->n = 0;
    p->edge = 0;
    int blank = ctl_cells_blank(p->cells, n);
    if (!blank) {
        p->run = width == p->run_width ? p->run + 1 : 1;
        p->run_width = width;
        if (width >= 2 && p->run > p->best_run) p->best_run = p->run;
    }
    if (!p->have_header && (blank || !ctl_table_is_header(NULL, p->cells, n))) {
        p->records += !blank;
        if (!p->above++) p->above_width = width;
        else if (width != p->above_width) p->above_width = 0;
        return;
    }
    if (blank) return;
    p->records++;
    if (!p->have_header) {
        p->have_header = 1;
        p->header_first = p->records == 1;
        p->padded = p->above && p->above_width == width && width > 1;
        p->width = width;
        p->id_col = n;
        for (size_t i = n; i-- > 0;)
            if (ctl_header_role(p->cells[i].s, p->cells[i].len) == CTL_ROLE_ID) p->id_col = i;
        return;
    }
    p->rows++;
    if (width != p->width) p->ragged = 1;
    p->spaced |= edge;
    if (p->id_col >= n) return;
    const char *s = p->cells[p->id_col].s;
    size_t len = p->cells[p->id_col].len;
    ctl_trim(&s, &len);
    ctl_number num;
    if (ctl_parse_number_exact(s, len, &num)) p->numbered++;
    else if (ctl_parse_number(s, len, &num)) p->fused = 1;   /* "II. 1. 組織の…": the text layout's */
}

/* Reads one field at *s (RFC 4180, as the reader's libcsv in strict mode);
 * 0 at the end of the sample.  Once the quoting is broken (where the reader
 * would stop with an error) fields are split as the text layout splits
 * them, quotes and all, to look on for what only a table has. */
static int probe_field(table_probe *p, const char **s, const char *end, char delim)
{
    const char *f = *s;
    ctl_cell c;
    int quoted = 0;
    if (f < end && *f == '"' && !p->broken) {
        const char *q = f + 1;
        int inside = 0;
        for (; q < end; q++) {
            if (*q == '"' && q + 1 < end && q[1] == '"') { inside = 1; q++; continue; }
            if (*q == '"') break;
            if (*q == delim || *q == '\n' || *q == '\r') inside = 1;
        }
        if (q >= end && !p->whole) return 0;            /* still open where the sample ends */
        if (q + 1 < end && q[1] != delim && q[1] != '\n' && q[1] != '\r') q = end;
        if (q < end) {
            c.s = f + 1;
            c.len = (size_t)(q - f - 1);
            *s = q + 1;
            quoted = 1;
            if (inside) p->needed = 1;
            else p->plain = 1;
        } else {
            p->broken = 1;                           /* never closed, or text after it */
        }
    }
    if (!quoted) {
        const char *g = f;
        for (; g < end && *g != delim && *g != '\n' && *g != '\r'; g++)
            if (*g == '"') p->broken = 1;
        c.s = f;
        c.len = (size_t)(g - f);
        *s = g;
        p->edge |= edge_spaced(&c);
    }
    if (p->n < PROBE_CELLS) p->cells[p->n] = c;
    p->n++;
    return 1;
}

static int probe_with(const char *data, size_t len, char want)
{
    size_t skip;
    char delim = sep_line(data, len, &skip);   /* Excel's "sep=X" line, not a record */
    if (!delim) delim = ctl_csv_detect_delimiter(data, len);
    if ((want == '\t') != (delim == '\t')) return 0;
    data += skip;
    len -= skip;
    table_probe probe, *p = &probe;
    memset(p, 0, sizeof *p);
    int whole = p->whole = len <= PROBE_BYTES;
    const char *s = data, *end = data + (whole ? len : PROBE_BYTES);
    while (s < end && p->records < PROBE_RECORDS && (p->have_header || p->records <= CTL_TABLE_HEADER_ROWS)) {
        if (!probe_field(p, &s, end, delim)) break;
        if (s < end && *s == delim) {
            if (++s == end && probe_field(p, &s, end, delim) && whole) probe_record(p);
            continue;
        }
        if (s < end) s += (*s == '\r' && s + 1 < end && s[1] == '\n') ? 2 : 1;
        else if (!whole) break;                      /* a record cut by the sample's end */
        probe_record(p);
    }
    if (!p->have_header) return p->best_run >= 2 && !p->broken ? 25 : 0;
    int table_only = p->padded || p->spaced;
    if (p->broken) return table_only ? 40 : 20;   /* the reader will say where */
    if (p->ragged) return 40;
    if (p->needed) return 85;
    if (table_only || (p->header_first && !p->plain && !p->fused && p->rows &&
                       p->numbered == p->rows))
        return 65;
    return 40;
}

static int csv_probe(const char *data, size_t len) { return probe_with(data, len, ','); }
static int tsv_probe(const char *data, size_t len) { return probe_with(data, len, '\t'); }

/* ================================================================ writer */

typedef struct {
    ctl_sink sink;
    FILE *out_file;
    const char *name;
    char delim;
    const char *eol;
    const ctl_options *opts;
    const char **extras;
    size_t n_extras;
    const char **values;
    size_t n_dropped;
    ctl_buf refs, enc, safe, rec, out;
    ctl_refs_watched refs_changed;
    char *ref_scheme;            /* the list's main reference scheme */
    const char *unprefixed;      /* the scheme whose references go without a prefix */
    const char *refs_name;       /* the header word of the references column */
    ctl_encoder *encoder;        /* CP932 output, cell by cell */
    ctl_cp932 *cp932;            /* CP932 output, the record at once */
    int per_cell;                /* the record is encoded cell by cell */
    size_t n_changed;            /* cells CP932 cannot hold exactly */
    char first_change[512];      /* where the first of them is, and its character */
    size_t row;
    const char *row_id;
    const char *item_id;         /* the row's item ("": the header) */
    ctl_id_cells *ids;           /* what goes in the id column */
    int failed; /* the errno of the first failed write, 0 while none */
} csv_writer;

/* One warning for each character of a cell that CP932 cannot hold
 * exactly, with its place in the cell (past the first 1000, a count). */
static ctl_status report_changes(csv_writer *w, ctl_ctx *ctx, const char *column, size_t shift)
{
    const ctl_change *c;
    size_t more, n = ctl_encoder_changes(w->encoder, &c, &more);
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < n && st == CTL_OK; i++) {
        char c1[8] = "", c2[32] = "〓";
        size_t at = c[i].at > shift ? c[i].at - shift : c[i].at;
        ctl_utf8_encode(c[i].bad, c1);
        if (c[i].became) {
            char ch[8];
            ctl_utf8_encode(c[i].became, ch);
            snprintf(c2, sizeof c2, "U+%04X %s", (unsigned)c[i].became, ch);
        }
        if (w->opts->substitute)
            st = ctl_warn_item(ctx, CTL_D_CP932_CHANGED, w->name, 0, w->item_id, "row %zu (%s), column '%s': U+%04X %s written in "
                          "CP932 as %s (character %zu of the cell)", w->row, w->row_id, column,
                          (unsigned)c[i].bad, c1, c2, at);
        else if (c[i].became)
            st = ctl_warn_item(ctx, CTL_D_CP932_CHANGED, w->name, 0, w->item_id, "row %zu (%s), column '%s': U+%04X %s cannot be "
                          "written in CP932 exactly (it would become %s; character %zu of the "
                          "cell)", w->row, w->row_id, column, (unsigned)c[i].bad, c1, c2, at);
        else
            st = ctl_warn_item(ctx, CTL_D_CP932_CHANGED, w->name, 0, w->item_id, "row %zu (%s), column '%s': U+%04X %s cannot be "
                          "written in CP932 (character %zu of the cell)", w->row, w->row_id,
                          column, (unsigned)c[i].bad, c1, at);
    }
    if (st == CTL_OK && more)
        st = ctl_warn_item(ctx, CTL_D_CP932_CHANGED, w->name, 0, w->item_id, "row %zu (%s), column '%s': %zu more character(s) changed "
                      "after character %zu", w->row, w->row_id, column, more, c[n - 1].at - shift);
    return st;
}

/* Keeps the place and character of the first change of the first cell
 * CP932 cannot hold, for the error that refuses the output. */
static void note_first_change(csv_writer *w, const char *column, size_t shift)
{
    const ctl_change *c;
    size_t more;
    if (w->n_changed || !ctl_encoder_changes(w->encoder, &c, &more)) return;
    char ch[8] = "";
    ctl_utf8_encode(c[0].bad, ch);
    size_t at = c[0].at > shift ? c[0].at - shift : c[0].at;
    int idn = (int)ctl_utf8_clip(w->row_id, strlen(w->row_id), 40);
    int coln = (int)ctl_utf8_clip(column, strlen(column), 60);
    snprintf(w->first_change, sizeof w->first_change, "row %zu (%.*s), column '%.*s': U+%04X %s, character %zu "
             "of the cell", w->row, idn, w->row_id, coln, column, (unsigned)c[0].bad, ch, at);
}

/* Appends one field to the record: neutralised for spreadsheets if asked,
 * encoded when the record is encoded cell by cell, quoted when needed. */
static ctl_status put_field(csv_writer *w, ctl_ctx *ctx, const char *s, const char *column,
                            int first, int text)
{
    if (!first && !ctl_buf_addc(&w->rec, w->delim)) return ctl_nomem(ctx);
    size_t n = strlen(s), shift = 0;
    if (text && w->opts->excel_safe && n && strchr("=+-@\t\r", s[0])) {
        w->safe.len = 0;
        if (!ctl_buf_addc(&w->safe, '\'') || !ctl_buf_add(&w->safe, s, n)) return ctl_nomem(ctx);
        s = w->safe.data;
        n = w->safe.len;
        shift = 1;   /* the quote is no character of the cell */
    }
    if (w->per_cell) {
        uint32_t bad, became;
        w->enc.len = 0;
        int ok = ctl_encode(w->encoder, s, n, w->opts->substitute, &w->enc, &bad, &became);
        if (ok < 0) return ctl_nomem(ctx);
        if (!ok) {
            note_first_change(w, column, shift);
            w->n_changed++;
            ctl_status st = report_changes(w, ctx, column, shift);
            if (st != CTL_OK) return st;
        }
        s = w->enc.data ? w->enc.data : "";
        n = w->enc.len;
    }
    return ctl_csv_quote(&w->rec, s, n, w->delim) ? CTL_OK : ctl_nomem(ctx);
}

static ctl_status check(csv_writer *w, ctl_ctx *ctx)
{
    return w->failed ? ctl_write_failed(ctx, w->name, w->failed) : CTL_OK;
}

/* Puts a record's fields into w->rec (fields_fn), arg: the header or the
 * item's cells. */
typedef ctl_status (*fields_fn)(csv_writer *w, ctl_ctx *ctx, const void *arg);

/* Writes one record, with one fwrite.  In CP932 the whole record is
 * encoded at once when every character of it comes back the same
 * (ctl_cp932_exact), else cell by cell, as ctl_encode checks and reports
 * each. */
static ctl_status put_record(csv_writer *w, ctl_ctx *ctx, fields_fn fields, const void *arg)
{
    w->rec.len = 0;
    w->per_cell = 0;
    ctl_status st = fields(w, ctx, arg);
    if (st != CTL_OK) return st;
    if (!ctl_buf_adds(&w->rec, w->eol)) return ctl_nomem(ctx);
    const ctl_buf *done = &w->rec;
    if (w->encoder) {
        w->out.len = 0;
        int ok = ctl_cp932_exact(w->cp932, w->rec.data, w->rec.len, &w->out);
        if (ok < 0) return ctl_nomem(ctx);
        if (ok) {
            done = &w->out;
        } else {
            w->rec.len = 0;
            w->per_cell = 1;
            if ((st = fields(w, ctx, arg)) != CTL_OK) return st;
            if (!ctl_buf_adds(&w->rec, w->eol)) return ctl_nomem(ctx);
        }
    }
    if (!w->failed) w->failed = ctl_write_err(w->out_file, done->data, done->len);
    return check(w, ctx);
}

static const ctl_role columns[] = {CTL_ROLE_ID, CTL_ROLE_LEVEL, CTL_ROLE_PARENT, CTL_ROLE_ISMS,
                                   CTL_ROLE_TITLE, CTL_ROLE_DESCRIPTION, CTL_ROLE_CATEGORY,
                                   CTL_ROLE_ANSWER};
enum { N_COLUMNS = sizeof columns / sizeof *columns, FIRST_TEXT = 4 };

static const char *column_name(const csv_writer *w, ctl_role r)
{
    if (r == CTL_ROLE_ISMS) return w->refs_name;
    return w->opts->header == CTL_HEADER_JA ? ctl_role_name_ja(r) : ctl_role_name_en(r);
}

static ctl_status header_fields(csv_writer *w, ctl_ctx *ctx, const void *arg)
{
    (void)arg;
    ctl_status st = CTL_OK;
    if (w->opts->out_encoding == CTL_OUT_UTF8_BOM && !ctl_buf_add(&w->rec, "\xEF\xBB\xBF", 3))
        return ctl_nomem(ctx);
    for (size_t i = 0; i < N_COLUMNS && st == CTL_OK; i++)
        st = put_field(w, ctx, column_name(w, columns[i]), column_name(w, columns[i]), i == 0, 0);
    for (size_t i = 0; i < w->n_extras && st == CTL_OK; i++)
        st = put_field(w, ctx, w->extras[i], w->extras[i], 0, 1);
    return st;
}

static ctl_status cw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    csv_writer *w = (csv_writer *)self;
    if (!(w->ref_scheme = ctl_strdup(ctl_str(meta->ref_scheme)))) return ctl_nomem(ctx);
    w->unprefixed = ctl_refs_unprefixed(w->ref_scheme);
    w->refs_name = ctl_refs_header(w->ref_scheme, w->opts->header);
    ctl_status st = ctl_extra_columns(ctx, meta, w->opts, &w->extras, &w->n_extras);
    if (st != CTL_OK) return st;
    if (w->n_extras && !(w->values = ctl_malloc(w->n_extras * sizeof *w->values)))
        return ctl_nomem(ctx);
    w->row_id = "header";
    w->item_id = "";
    return put_record(w, ctx, header_fields, NULL);
}

/* arg: the item's N_COLUMNS cells (w->values holds the extra ones) */
static ctl_status item_fields(csv_writer *w, ctl_ctx *ctx, const void *arg)
{
    const char *const *cells = arg;
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < N_COLUMNS && st == CTL_OK; i++)
        st = put_field(w, ctx, cells[i], column_name(w, columns[i]), i == 0, i >= FIRST_TEXT);
    for (size_t i = 0; i < w->n_extras && st == CTL_OK; i++)
        st = put_field(w, ctx, w->values[i], w->extras[i], 0, 1);
    return st;
}

static ctl_status cw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    csv_writer *w = (csv_writer *)self;
    char level[16], *l = level + sizeof level, idbuf[CTL_ID_MAX + 96];
    /* the level's digits */
    unsigned u = it->level < 0 ? 0u - (unsigned)it->level : (unsigned)it->level;
    *--l = '\0';
    do *--l = (char)('0' + u % 10); while (u /= 10);
    if (it->level < 0) *--l = '-';
    w->row++;
    w->row_id = w->item_id = ctl_str(it->id);
    const char *id = ctl_id_cell(w->ids, it, idbuf, sizeof idbuf);
    if (!id || !ctl_refs_join(&w->refs, it, w->unprefixed) ||
        !ctl_refs_watch(&w->refs_changed, it, w->refs.data, w->unprefixed))
        return ctl_nomem(ctx);
    const char *cells[N_COLUMNS] = {id, l, ctl_str(it->parent), w->refs.data,
                                    ctl_str(it->title), ctl_str(it->description),
                                    ctl_category_word(it), ctl_str(it->answer)};
    w->n_dropped += ctl_extra_values(it, w->extras, w->n_extras, w->values);
    return put_record(w, ctx, item_fields, cells);
}

static ctl_status cw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    csv_writer *w = (csv_writer *)self;
    ctl_status st = CTL_OK;
    const char *fmt = w->delim == '\t' ? "TSV" : "CSV";
    if (w->n_changed && !w->opts->substitute)
        return ctl_fail(ctx, CTL_D_CP932_UNWRITABLE, w->name, 0,
                        "%zu cell(s) cannot be written in CP932 without changing them, the first "
                        "at %s; write UTF-8 instead, or allow the nearest characters and 〓",
                        w->n_changed, w->first_change);
    if ((meta->title && *meta->title) || (meta->note && *meta->note) || (meta->annex && *meta->annex))
        st = ctl_warn(ctx, CTL_D_TITLE_DROPPED, w->name, 0, "%s has no place for the document title, note and annex "
                      "heading: not written (use json to keep them)", fmt);
    if (st == CTL_OK && meta->n_unplaced)
        st = ctl_warn(ctx, CTL_D_UNPLACED_DROPPED, w->name, 0, "%zu unplaced ISMS reference(s) not written (%s has no "
                      "place for them)", meta->n_unplaced, fmt);
    if (st == CTL_OK && w->n_dropped)
        st = ctl_warn(ctx, CTL_D_EXTRA_DROPPED, w->name, 0, "%zu extra cell(s) without a column in the document's "
                      "header not written", w->n_dropped);
    if (st == CTL_OK) st = ctl_id_cells_warn(w->ids, ctx, w->name);
    if (st == CTL_OK) st = ctl_refs_watched_say(&w->refs_changed, ctx, w->name, fmt);
    return st;
}

static void cw_destroy(ctl_sink *self)
{
    csv_writer *w = (csv_writer *)self;
    ctl_free(w->extras);
    ctl_free(w->values);
    ctl_buf_free(&w->refs);
    ctl_free(w->ref_scheme);
    ctl_buf_free(&w->enc);
    ctl_buf_free(&w->safe);
    ctl_buf_free(&w->rec);
    ctl_buf_free(&w->out);
    ctl_encoder_free(w->encoder);
    ctl_cp932_free(w->cp932);
    ctl_id_cells_free(w->ids);
    ctl_free(w);
}

static ctl_status new_writer(ctl_ctx *ctx, FILE *out, const char *out_name,
                             const ctl_options *opts, ctl_sink **sink, char delim)
{
    csv_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    w->sink.begin = cw_begin;
    w->sink.item = cw_item;
    w->sink.end = cw_end;
    w->sink.destroy = cw_destroy;
    w->out_file = out;
    w->name = out_name;
    w->delim = delim;
    w->eol = opts->crlf ? "\r\n" : "\n";
    w->opts = opts;
    /* the format loses printed labels (CTL_LOSES_LABELS), not codes */
    if (!(w->ids = ctl_id_cells_new(0))) {
        ctl_free(w);
        return ctl_nomem(ctx);
    }
    if (opts->out_encoding == CTL_OUT_CP932 &&
        (!(w->encoder = ctl_encoder_new("CP932")) || !(w->cp932 = ctl_cp932_new()))) {
        ctl_encoder_free(w->encoder);
        ctl_id_cells_free(w->ids);
        ctl_free(w);
        return ctl_fail(ctx, CTL_D_INTERNAL, NULL, 0, "cannot set up CP932 output (iconv)");
    }
    *sink = &w->sink;
    return CTL_OK;
}

static ctl_status csv_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                 const ctl_options *opts, ctl_sink **sink)
{
    return new_writer(ctx, out, out_name, opts, sink, ',');
}

static ctl_status tsv_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                 const ctl_options *opts, ctl_sink **sink)
{
    return new_writer(ctx, out, out_name, opts, sink, '\t');
}

static const char *const csv_ext[] = {"csv", NULL};
static const char *const tsv_ext[] = {"tsv", "tab", NULL};

/* The options the writer honours, for both. */
#define TABLE_WRITES (CTL_WRITES_HEADER_LANG | CTL_WRITES_ENCODING | CTL_WRITES_SUBSTITUTE | \
                      CTL_WRITES_EXCEL_SAFE | CTL_WRITES_CRLF)

const ctl_format ctl_format_csv = {
    .name = "csv",
    .loses = CTL_LOSES_METADATA | CTL_LOSES_UNPLACED | CTL_LOSES_LABELS,
    .description = "comma-separated values (RFC 4180; ';' and tab detected too)",
    .extensions = csv_ext,
    .decode = 1,
    .options = CTL_READS_ENCODING | CTL_READS_DELIMITER | CTL_READS_COLUMNS | TABLE_WRITES,
    .probe = csv_probe,
    .read = csv_read,
    .streams = 1,
    .writer = csv_writer_new,
};

const ctl_format ctl_format_tsv = {
    .name = "tsv",
    .loses = CTL_LOSES_METADATA | CTL_LOSES_UNPLACED | CTL_LOSES_LABELS,
    .description = "tab-separated values (Excel's \"Unicode text\" too)",
    .extensions = tsv_ext,
    .decode = 1,
    .options = CTL_READS_ENCODING | CTL_READS_DELIMITER | CTL_READS_COLUMNS | TABLE_WRITES,
    .probe = tsv_probe,
    .read = tsv_read,
    .streams = 1,
    .writer = tsv_writer_new,
};
