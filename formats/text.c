/* SPDX-License-Identifier: BSD-2-Clause */
/* The text layout: a control list as PDF text extraction leaves it, and as
 * ctlconv writes it back (tab-separated, one row per line).
 *
 * Reading is done by rules, page by page (a page is buffered because ISMS
 * references printed detached at a page foot belong to rows above them):
 *  - the first non-blank line is the document title; a later line equal to
 *    it (exactly, after trimming) or a form feed starts a new page;
 *  - lines before the header row: title, note, and an annex heading
 *    ("ANNEX2 対策一覧") as the last one;
 *  - a row is a line whose first or second tab-separated field starts with
 *    an item number; a field before the number holds ISMS references; the
 *    fields after it are read in the order of the header row (or title,
 *    measure, category, answer without one); the number field may also hold
 *    the title (section rows); a category fused with its answer
 *    ("基本 当社…") is split; fields past the header are stray and
 *    reported;
 *  - a line holding only ISMS references is detached: at the end of its page
 *    the references go to the last contiguous window of rows without
 *    references whose levels equal the references' depths, with a warning;
 *    where no window fits they are kept as unplaced references;
 *  - anything else is reported as an unrecognised line. */
#include "../converters/services.h"

#include <stdlib.h>

/* PAGE_ITEMS: the most items a page of a streamed input holds back for the
 * references at its foot (a PDF page has dozens; a layout without page
 * breaks would hold them all): beyond, those read so far go to the sink,
 * unless a reference standing alone waits for its place. */
enum { MAX_HEADER = 256, MAX_DETACHED = 64, PAGE_ITEMS = 4096 };

typedef struct {
    const char *s;
    size_t len;
} span;

typedef struct {
    char *ref;
    long line;
} detached_ref;

typedef struct {
    ctl_ctx *ctx;
    const ctl_options *opts;
    const ctl_input *in;
    ctl_sink *sink;
    const char *file;
    ctl_meta meta;
    size_t title_len;      /* strlen(meta.title) */
    int begun;
    /* header row */
    int have_header;
    size_t n_hdr;
    ctl_role hdr_role[MAX_HEADER];
    span hdr_name[MAX_HEADER];
    size_t h_num;          /* index of the number column in the header */
    /* the page being read */
    ctl_item *page;
    size_t n_page, cap_page;
    detached_ref *det;
    size_t n_det, cap_det;
    size_t n_items;
} reader;

/* ---------------------------------------------------------------- helpers */

static size_t split_fields(const char *s, size_t len, span *f, size_t max)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '\t') {
            if (n < max) { f[n].s = s + start; f[n].len = i - start; }
            n++;
            start = i + 1;
        }
    }
    return n < max ? n : max;
}

static size_t count_fields(const char *s, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++) n += s[i] == '\t';
    return n;
}

static span trimmed(span x)
{
    ctl_trim(&x.s, &x.len);
    return x;
}

/* Is a line the document title (a page header)?  Its length is kept, so
 * that a long title costs nothing on the lines that differ in length. */
static int is_title(const reader *r, span a)
{
    return r->meta.title && a.len == r->title_len && memcmp(a.s, r->meta.title, a.len) == 0;
}

/* Is this line a header row: at least three known header words? */
static int is_header(const char *s, size_t len, const ctl_options *opts)
{
    if (!memchr(s, '\t', len)) return 0;
    span f[MAX_HEADER];
    size_t n = split_fields(s, len, f, MAX_HEADER), known = 0;
    for (size_t i = 0; i < n; i++)
        if (ctl_header_role_opts(f[i].s, f[i].len, opts) != CTL_ROLE_EXTRA) known++;
    return known >= 3;
}

static ctl_status set_str(reader *r, char **dst, const char *s, size_t len)
{
    char *d = ctl_strndup(s, len);
    if (!d) return ctl_nomem(r->ctx);
    ctl_free(*dst);
    *dst = d;
    return CTL_OK;
}

/* Appends " " + s to *dst. */
static ctl_status append_str(reader *r, char **dst, const char *s, size_t len)
{
    return ctl_text_append(r->ctx, dst, s, len);
}

/* ------------------------------------------------------------ preamble */

static ctl_status take_header(reader *r, const char *s, size_t len, long line)
{
    span f[MAX_HEADER];
    size_t n = split_fields(s, len, f, MAX_HEADER);
    r->have_header = 1;
    r->n_hdr = n;
    r->h_num = 0;
    int found_num = 0;
    size_t ncols = 0;
    r->meta.columns = ctl_malloc(n * sizeof *r->meta.columns);
    if (!r->meta.columns) return ctl_nomem(r->ctx);
    for (size_t i = 0; i < n; i++) {
        r->hdr_name[i] = trimmed(f[i]);
        r->hdr_role[i] = ctl_header_role_opts(f[i].s, f[i].len, r->opts);
        if (r->hdr_role[i] == CTL_ROLE_ID && !found_num) { r->h_num = i; found_num = 1; }
        /* 項番 or id is the number column even after a "No." column */
        char f[64];
        if (r->hdr_role[i] == CTL_ROLE_ID &&
            ctl_fold_into(r->hdr_name[i].s, r->hdr_name[i].len, f, sizeof f) > 0 &&
            (!strcmp(f, "項番") || !strcmp(f, "id")))
            r->h_num = i;
        if (r->hdr_name[i].len) {
            r->meta.columns[ncols] = ctl_strndup(r->hdr_name[i].s, r->hdr_name[i].len);
            if (!r->meta.columns[ncols]) return ctl_nomem(r->ctx);
            r->meta.n_columns = ++ncols;
        }
    }
    if (!found_num) r->h_num = 1;   /* the PDF layout: ISMS, number, ... */
    return ctl_check_column_maps(r->ctx, r->opts, r->file, line, (const char *const *)r->meta.columns,
                                 r->meta.n_columns);
}

static ctl_status finish_preamble(reader *r, span *pre, size_t n_pre)
{
    ctl_status st;
    size_t first = 0, last = n_pre;
    if (n_pre) {
        if ((st = set_str(r, &r->meta.title, pre[0].s, pre[0].len)) != CTL_OK) return st;
        r->title_len = pre[0].len;
        first = 1;
    }
    if (n_pre >= 2 && ctl_looks_like_annex(pre[n_pre - 1].s, pre[n_pre - 1].len)) {
        if ((st = set_str(r, &r->meta.annex, pre[n_pre - 1].s, pre[n_pre - 1].len)) != CTL_OK)
            return st;
        last = n_pre - 1;
    }
    ctl_buf note = {0};
    for (size_t i = first; i < last; i++) {
        if (is_title(r, pre[i])) continue;     /* a page header */
        if ((note.len && !ctl_buf_addc(&note, '\n')) || !ctl_buf_add(&note, pre[i].s, pre[i].len)) {
            ctl_buf_free(&note);
            return ctl_nomem(r->ctx);
        }
    }
    if (note.len) {
        r->meta.note = ctl_buf_take(&note);
        if (!r->meta.note) return ctl_nomem(r->ctx);
    }
    ctl_meta m = ctl_meta_filled(&r->meta);
    r->begun = 1;
    return r->sink->begin(r->sink, r->ctx, &m);
}

/* ---------------------------------------------------------------- rows */

/* The role and header name of the field d places after the number field. */
static ctl_role role_at(const reader *r, size_t d, span *name)
{
    static const ctl_role dflt[] = {CTL_ROLE_ID, CTL_ROLE_TITLE, CTL_ROLE_DESCRIPTION,
                                    CTL_ROLE_CATEGORY, CTL_ROLE_ANSWER};
    name->s = "";
    name->len = 0;
    if (r->have_header) {
        if (r->h_num + d < r->n_hdr) {
            *name = r->hdr_name[r->h_num + d];
            return r->hdr_role[r->h_num + d];
        }
        return CTL_ROLE_EXTRA;
    }
    return d < sizeof dflt / sizeof *dflt ? dflt[d] : CTL_ROLE_EXTRA;
}

/* Splits "基本 当社…" into a category and the rest; 1 if it is one. */
static int split_fused(span v, ctl_category *cat, span *rest)
{
    for (size_t i = 0; i < v.len; i++) {
        size_t sep = 0;
        if (v.s[i] == ' ') sep = 1;
        else if (i + 3 <= v.len && !memcmp(v.s + i, "\xE3\x80\x80", 3)) sep = 3;
        if (!sep) continue;
        if (!ctl_parse_category(v.s, i, cat)) return 0;
        rest->s = v.s + i + sep;
        rest->len = v.len - i - sep;
        *rest = trimmed(*rest);
        return 1;
    }
    return 0;
}

/* Parses a row; returns CTL_OK with *is_row 0 when the line is no row. */
static ctl_status parse_row(reader *r, span *f, size_t nf, long line, int *is_row)
{
    ctl_status st = CTL_OK;
    ctl_number num;
    size_t k, used;
    *is_row = 0;
    if ((used = ctl_parse_number(f[0].s, f[0].len, &num))) k = 0;
    else if (nf > 1 && (used = ctl_parse_number(f[1].s, f[1].len, &num))) k = 1;
    else return CTL_OK;
    *is_row = 1;

    ctl_item it;
    ctl_item_init(&it);
    it.level = num.level;
    it.pos.file = r->file;
    it.pos.line = line;
    span label = {f[k].s, used}, rest = {f[k].s + used, f[k].len - used};
    label = trimmed(label);
    rest = trimmed(rest);
    if ((st = set_str(r, &it.id, num.id, strlen(num.id))) != CTL_OK ||
        (st = set_str(r, &it.label, label.s, label.len)) != CTL_OK)
        goto out;
    if (rest.len && (st = set_str(r, &it.title, rest.s, rest.len)) != CTL_OK) goto out;
    ctl_cell_place at = {r->ctx, r->file, line, &num, "ISMS 管理策", "iso27001-2013"};
    span isms = trimmed(f[0]);
    if (k == 1 && isms.len && (st = ctl_item_put(&at, &it, CTL_ROLE_ISMS, isms.s, isms.len)) != CTL_OK)
        goto out;

    span fused = {NULL, 0};
    for (size_t d = 1; k + d < nf; d++) {
        span v = trimmed(f[k + d]), name;
        ctl_role role = role_at(r, d, &name);
        if (role == CTL_ROLE_EXTRA && name.len) continue;     /* extra columns: below */
        if (!v.len) continue;
        /* a category fused with its answer ("基本 当社…") */
        if (role == CTL_ROLE_CATEGORY && !ctl_parse_category(v.s, v.len, &it.category) &&
            split_fused(v, &it.category, &fused))
            continue;
        switch (role) {
        default: {
            /* a label column is one more number column: the label is the
             * number as printed */
            if (role == CTL_ROLE_LABEL) role = CTL_ROLE_ID;
            char nm[64];
            snprintf(nm, sizeof nm, "%.*s%s", (int)(name.len < 48 ? name.len : 48), name.s,
                     name.len ? "" : "number");
            at.extra_name = role == CTL_ROLE_ISMS ? "ISMS 管理策"
                          : role == CTL_ROLE_CATEGORY ? (name.len ? "区分" : "category") : nm;
            st = ctl_item_put(&at, &it, role, v.s, v.len);
            break;
        }
        case CTL_ROLE_EXTRA:
            if (ctl_header_role(v.s, v.len) != CTL_ROLE_EXTRA) {
                st = ctl_warn_item(r->ctx, CTL_D_STRAY_HEADER, r->file, line, num.id,
                              "stray header word '%.*s' after the last column of %s; ignored",
                              (int)v.len, v.s, num.id);
            } else {
                char name_buf[32];
                snprintf(name_buf, sizeof name_buf, "column %zu", k + d + 1);
                if (!ctl_item_add_extra(&it, name_buf, v.s, v.len)) { st = ctl_nomem(r->ctx); break; }
                st = ctl_warn_item(r->ctx, CTL_D_UNNAMED_COLUMN, r->file, line, num.id,
                              "%s: text after the last column kept as extra column '%s'", num.id,
                              name_buf);
            }
            break;
        }
        if (st != CTL_OK) goto out;
    }
    if (fused.s) {
        if (it.answer) {
            char *tail = it.answer;
            it.answer = NULL;
            st = set_str(r, &it.answer, fused.s, fused.len);
            if (st == CTL_OK) st = append_str(r, &it.answer, tail, strlen(tail));
            ctl_free(tail);
        } else {
            st = set_str(r, &it.answer, fused.s, fused.len);
        }
        if (st != CTL_OK) goto out;
    }
    /* extra columns named by the header, on every row, in header order */
    for (size_t h = r->h_num + 1; r->have_header && h < r->n_hdr; h++) {
        if (r->hdr_role[h] != CTL_ROLE_EXTRA || !r->hdr_name[h].len) continue;
        size_t idx = k + (h - r->h_num);
        span v = idx < nf ? trimmed(f[idx]) : (span){"", 0};
        char *name = ctl_strndup(r->hdr_name[h].s, r->hdr_name[h].len);
        int ok = name && ctl_item_add_extra(&it, name, v.s, v.len);
        ctl_free(name);
        if (!ok) { st = ctl_nomem(r->ctx); goto out; }
    }

    if (r->n_page == r->cap_page) {
        size_t cap = r->cap_page ? r->cap_page * 2 : 64;
        ctl_item *p = ctl_realloc(r->page, cap * sizeof *p);
        if (!p) { st = ctl_nomem(r->ctx); goto out; }
        r->page = p;
        r->cap_page = cap;
    }
    ctl_item_fill_empty(&it);
    r->page[r->n_page++] = it;
    return CTL_OK;
out:
    ctl_item_clear(&it);
    return st;
}

/* A line holding nothing but ISMS references (in one of its fields). */
static ctl_status try_detached(reader *r, span *f, size_t nf, long line, int *is_det)
{
    *is_det = 0;
    size_t which = nf;
    for (size_t i = 0; i < nf; i++) {
        if (!trimmed(f[i]).len) continue;
        if (which != nf) return CTL_OK;
        which = i;
    }
    if (which == nf) return CTL_OK;
    span v = trimmed(f[which]);
    char **refs;
    size_t n;
    int ok = ctl_parse_isms(v.s, v.len, &refs, &n);
    if (ok < 0) return ctl_nomem(r->ctx);
    if (!ok || !n) return CTL_OK;
    *is_det = 1;
    for (size_t i = 0; i < n; i++) {
        if (r->n_det == MAX_DETACHED) {
            /* more than a page foot ever holds: keep them unplaced, so that
             * the window search stays linear */
            char **u = ctl_realloc(r->meta.unplaced, (r->meta.n_unplaced + n - i) * sizeof *u);
            if (!u) {
                for (size_t j = i; j < n; j++) ctl_free(refs[j]);
                ctl_free(refs);
                return ctl_nomem(r->ctx);
            }
            r->meta.unplaced = u;
            for (size_t j = i; j < n; j++) u[r->meta.n_unplaced++] = refs[j];
            ctl_free(refs);
            return ctl_warn(r->ctx, CTL_D_REFS_OVERFLOW, r->file, line, "more than %d detached ISMS references on one "
                            "page: the rest are kept as unplaced references", MAX_DETACHED);
        }
        if (r->n_det == r->cap_det) {
            size_t cap = r->cap_det ? r->cap_det * 2 : 8;
            detached_ref *d = ctl_realloc(r->det, cap * sizeof *d);
            if (!d) {
                for (size_t j = i; j < n; j++) ctl_free(refs[j]);
                ctl_free(refs);
                return ctl_nomem(r->ctx);
            }
            r->det = d;
            r->cap_det = cap;
        }
        r->det[r->n_det].ref = refs[i];
        r->det[r->n_det].line = line;
        r->n_det++;
    }
    ctl_free(refs);
    return CTL_OK;
}

/* Attaches the page's detached references, or keeps them as unplaced. */
static ctl_status place_detached(reader *r)
{
    ctl_status st = CTL_OK;
    size_t m = r->n_det;
    long first_line = r->det[0].line, last_line = r->det[m - 1].line;
    size_t start = (size_t)-1;
    for (size_t s = r->n_page >= m ? r->n_page - m + 1 : 0; s-- > 0;) {
        size_t j = 0;
        while (j < m && r->page[s + j].n_refs == 0 &&
               r->page[s + j].level == ctl_isms_depth(r->det[j].ref))
            j++;
        if (j == m) { start = s; break; }
    }
    ctl_buf refs = {0}, rows = {0};
    for (size_t j = 0; j < m; j++) {
        if ((j && !ctl_buf_adds(&refs, ", ")) || !ctl_buf_adds(&refs, r->det[j].ref)) goto nomem;
        if (start != (size_t)-1 &&
            ((j && !ctl_buf_adds(&rows, ", ")) || !ctl_buf_adds(&rows, r->page[start + j].id)))
            goto nomem;
    }
    if (start != (size_t)-1) {
        for (size_t j = 0; j < m; j++) {
            ctl_item *it = &r->page[start + j];
            if (!ctl_item_add_ref(it, "iso27001-2013", r->det[j].ref, strlen(r->det[j].ref))) goto nomem;
        }
        st = ctl_warn_item(r->ctx, CTL_D_REF_INFERRED, r->file, first_line, r->page[start].id,
                      "ISMS references %s stand alone at the foot of the page (lines %ld-%ld); "
                      "attached by level to %s (an inference: check it)",
                      refs.data, first_line, last_line, rows.data);
    } else {
        char **u = ctl_realloc(r->meta.unplaced, (r->meta.n_unplaced + m) * sizeof *u);
        if (!u) goto nomem;
        r->meta.unplaced = u;
        for (size_t j = 0; j < m; j++) {
            u[r->meta.n_unplaced++] = r->det[j].ref;
            r->det[j].ref = NULL;
        }
        st = ctl_warn(r->ctx, CTL_D_REF_UNPLACED, r->file, first_line,
                      "ISMS references %s stand alone (lines %ld-%ld) and fit no rows of their "
                      "page; kept as unplaced references", refs.data, first_line, last_line);
    }
    ctl_buf_free(&refs);
    ctl_buf_free(&rows);
    return st;
nomem:
    ctl_buf_free(&refs);
    ctl_buf_free(&rows);
    return ctl_nomem(r->ctx);
}

static ctl_status flush_page(reader *r)
{
    ctl_status st = CTL_OK;
    if (r->n_det) st = place_detached(r);
    for (size_t i = 0; i < r->n_det; i++) ctl_free(r->det[i].ref);
    r->n_det = 0;
    for (size_t i = 0; i < r->n_page; i++) {
        if (st == CTL_OK) st = r->sink->item(r->sink, r->ctx, &r->page[i]);
        ctl_item_clear(&r->page[i]);
    }
    r->n_items += r->n_page;
    r->n_page = 0;
    return st;
}

/* ---------------------------------------------------------------- read */

static ctl_status text_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts,
                            ctl_sink *sink)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.opts = opts;
    r.in = in;
    r.sink = sink;
    r.file = in->name;
    ctl_status st = CTL_OK;
    span *pre = NULL;           /* the lines above the header (copies) */
    size_t n_pre = 0, cap_pre = 0;
    char *hdr_line = NULL;      /* the header row (a copy: its words are kept) */
    span *f = ctl_malloc(MAX_HEADER * sizeof *f);
    if (!f) return ctl_nomem(ctx);
    /* the ISMS column of MIC's layout: ISO/IEC 27001:2013 Annex A */
    if (!(r.meta.ref_scheme = ctl_strdup("iso27001-2013"))) {
        ctl_free(f);
        return ctl_nomem(ctx);
    }

    ctl_stream mem, *src = in->stream;
    if (!src) ctl_stream_memory(src = &mem, in->name, in->text, in->text_len);
    long lineno = 0;
    while (st == CTL_OK) {
        span line;
        if ((st = ctl_stream_line(ctx, src, 1, &line.s, &line.len)) != CTL_OK || !line.len) break;
        /* without its end: LF, CR LF or CR */
        if (line.s[line.len - 1] == '\n') line.len--;
        if (line.len && line.s[line.len - 1] == '\r') line.len--;
        lineno++;
        int page_break = 0;
        while (line.len && line.s[0] == '\f') { line.s++; line.len--; page_break = 1; }
        if (page_break && r.begun && (st = flush_page(&r)) != CTL_OK) break;
        span t = trimmed(line);
        if (!t.len) continue;

        if (!r.begun) {
            int row = 0;
            if (is_header(line.s, line.len, opts)) {
                if (!(hdr_line = ctl_strndup(line.s, line.len))) { st = ctl_nomem(ctx); break; }
                if ((st = take_header(&r, hdr_line, line.len, lineno)) != CTL_OK) break;
                st = finish_preamble(&r, pre, n_pre);
                continue;
            }
            size_t nf = split_fields(line.s, line.len, f, MAX_HEADER);
            ctl_number num;
            row = ctl_parse_number(f[0].s, f[0].len, &num) ||
                  (nf > 1 && ctl_parse_number(f[1].s, f[1].len, &num));
            if (!row) {
                if (n_pre == cap_pre) {
                    size_t cap = cap_pre ? cap_pre * 2 : 16;
                    span *p = ctl_realloc(pre, cap * sizeof *p);
                    if (!p) { st = ctl_nomem(ctx); break; }
                    pre = p;
                    cap_pre = cap;
                }
                if (!(pre[n_pre].s = ctl_strndup(t.s, t.len))) { st = ctl_nomem(ctx); break; }
                pre[n_pre++].len = t.len;
                continue;
            }
            /* a first row without a header row: no column to map */
            if ((st = ctl_check_column_maps(ctx, opts, r.file, lineno, NULL, 0)) != CTL_OK ||
                (st = finish_preamble(&r, pre, n_pre)) != CTL_OK)
                break;
        }

        if (is_title(&r, t)) {   /* page header */
            st = flush_page(&r);
            continue;
        }
        size_t nf = split_fields(line.s, line.len, f, MAX_HEADER);
        if (nf == MAX_HEADER && count_fields(line.s, line.len) > MAX_HEADER &&
            (st = ctl_warn(ctx, CTL_D_LINE_TRUNCATED, r.file, lineno, "more than %d tab-separated fields: the rest of "
                           "the line is ignored", MAX_HEADER)) != CTL_OK)
            break;
        int done = 0;
        if ((st = parse_row(&r, f, nf, lineno, &done)) != CTL_OK) continue;
        /* only a streamed input: one read whole keeps its pages whole, as before */
        if (done && in->stream && r.n_page >= PAGE_ITEMS && !r.n_det) st = flush_page(&r);
        if (done) continue;
        if ((st = try_detached(&r, f, nf, lineno, &done)) != CTL_OK || done) continue;
        if (is_header(line.s, line.len, opts)) continue;          /* repeated header row */
        size_t shown = ctl_utf8_clip(t.s, t.len, 60);
        st = ctl_warn(ctx, CTL_D_LINE_SKIPPED, r.file, lineno, "unrecognised line skipped: '%.*s%s'", (int)shown, t.s,
                      shown < t.len ? "…" : "");
    }
    if (st == CTL_OK && !r.begun) st = finish_preamble(&r, pre, n_pre);
    if (st == CTL_OK) st = flush_page(&r);
    if (st == CTL_OK && r.n_items == 0)
        st = ctl_fail(ctx, CTL_D_NO_ROWS, r.file, 0,
                      "no control rows found: expected tab-separated lines whose first or second "
                      "field is an item number such as 'II. 1. 1. 1'");
    if (st == CTL_OK) {
        ctl_meta m = ctl_meta_filled(&r.meta);
        st = sink->end(sink, ctx, &m);
    }
    for (size_t i = 0; i < r.n_page; i++) ctl_item_clear(&r.page[i]);
    for (size_t i = 0; i < r.n_det; i++) ctl_free(r.det[i].ref);
    ctl_free(r.page);
    ctl_free(r.det);
    ctl_meta_clear(&r.meta);
    for (size_t i = 0; i < n_pre; i++) ctl_free((char *)pre[i].s);
    ctl_free(pre);
    ctl_free(hdr_line);
    ctl_free(f);
    return st;
}

/* -------------------------------------------------------------- writer */

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    const ctl_options *opts;
    const char **extras;
    size_t n_extras;
    const char **values;
    ctl_buf joined;          /* ids of rows whose cells were joined */
    size_t n_joined;
    size_t n_dropped;        /* extra columns without a header */
    size_t n_relabelled;     /* labels that are not the item's number */
    int failed; /* the errno of the first failed write, 0 while none */
} text_writer;

static void put(text_writer *w, const char *s, size_t n)
{
    if (!w->failed) w->failed = ctl_write_err(w->out, s, n);
}

static void puts_(text_writer *w, const char *s) { put(w, s, strlen(s)); }

/* Writes a cell; line breaks and tabs become one space, and the ends are
 * trimmed, as the reader would trim them.  Returns 1 if the cell had to be
 * changed. */
static int put_cell(text_writer *w, const char *s)
{
    size_t len = strlen(s);
    const char *t = s;
    ctl_trim(&t, &len);
    int changed = len != strlen(s);
    const char *run = t, *end = t + len;
    for (const char *p = t;; p++) {
        if (p < end && *p != '\n' && *p != '\r' && *p != '\t') continue;
        put(w, run, (size_t)(p - run));
        if (p >= end) break;
        changed = 1;
        if (*p == '\r' && p[1] == '\n') p++;
        put(w, " ", 1);
        run = p + 1;
    }
    return changed;
}

/* Is a line (or a whole title) spaced at its ends, which reading trims? */
static int edge_spaced_text(const char *s, size_t len)
{
    const char *t = s;
    size_t n = len;
    ctl_trim(&t, &n);
    return n != len;
}

/* Would the lines above the header read back otherwise, with no line that
 * looks like a row?  The reader takes the first line as the title, the last
 * as the annex heading when it looks like one, the others as the note
 * (copies of the title are page headers), each trimmed; blank lines only
 * part them. */
static int lines_change(const ctl_meta *meta)
{
    const char *title = ctl_str(meta->title), *note = ctl_str(meta->note), *annex = ctl_str(meta->annex);
    if (strpbrk(title, "\r\n") || strpbrk(annex, "\r\n") || strchr(note, '\r') ||
        edge_spaced_text(title, strlen(title)) || edge_spaced_text(annex, strlen(annex)))
        return 1;
    if (!*note) return 0;
    for (const char *p = note;; p += strcspn(p, "\n") + 1) {
        size_t len = strcspn(p, "\n");
        if (!len || edge_spaced_text(p, len) || (len == strlen(title) && !memcmp(p, title, len)))
            return 1;
        /* the last line: an annex heading when none follows it */
        if (!p[len]) return !*annex && ctl_looks_like_annex(p, len);
    }
}

static ctl_status tw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    text_writer *w = (text_writer *)self;
    ctl_status st = ctl_extra_columns(ctx, meta, w->opts, &w->extras, &w->n_extras);
    if (st != CTL_OK) return st;
    if (w->n_extras && !(w->values = ctl_malloc(w->n_extras * sizeof *w->values)))
        return ctl_nomem(ctx);
    int changed = 0, hazard = 0;
    const char *parts[] = {meta->title, meta->note, meta->annex};
    if ((!meta->title || !*meta->title) && ((meta->note && *meta->note) || (meta->annex && *meta->annex)))
        hazard = 1;   /* the first line would be read as the title */
    if (meta->annex && *meta->annex && !ctl_looks_like_annex(meta->annex, strlen(meta->annex)))
        hazard = 1;   /* it would be read as part of the note */
    if (lines_change(meta)) hazard = 1;
    for (size_t i = 0; i < 3 && !hazard; i++) {
        for (const char *p = ctl_str(parts[i]); *p && !hazard;) {
            const char *e = p + strcspn(p, "\r\n");
            ctl_number num;
            char **refs;
            size_t nr;
            size_t len = (size_t)(e - p);
            if (ctl_parse_number(p, len, &num) || is_header(p, len, w->opts)) hazard = 1;
            else {
                int ok = ctl_parse_isms(p, len, &refs, &nr);
                if (ok > 0) {
                    hazard = nr > 0;
                    for (size_t k = 0; k < nr; k++) ctl_free(refs[k]);
                    ctl_free(refs);
                }
            }
            p = e;
            while (*p == '\r' || *p == '\n') p++;
        }
    }
    if (hazard && (st = ctl_warn(ctx, CTL_D_TITLE_AT_RISK, w->name, 0, "the document's title, note or annex heading may "
                                 "not read back as such from the text layout (a line that looks like "
                                 "a row, no title, an annex heading without ANNEX/一覧, a line break in "
                                 "the title, a blank or repeated line, or spaces at the ends)")) != CTL_OK)
        return st;
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i]) continue;
        changed |= strchr(parts[i], '\t') != NULL;
        /* the note may hold several lines: one per line */
        for (const char *p = parts[i]; *p;) {
            const char *e = p + strcspn(p, "\r\n");
            ctl_buf line = {0};
            if (!ctl_buf_add(&line, p, (size_t)(e - p))) return ctl_nomem(ctx);
            if (line.len) {
                put_cell(w, line.data);
                puts_(w, "\n\n");
            }
            ctl_buf_free(&line);
            p = e;
            while (*p == '\r' || *p == '\n') p++;
        }
    }
    if (changed)
        if ((st = ctl_warn(ctx, CTL_D_TEXT_FLATTENED, w->name, 0, "tabs in the document title or note written as "
                           "spaces (the text layout cannot hold them)")) != CTL_OK)
            return st;
    puts_(w, "ISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答");
    for (size_t i = 0; i < w->n_extras; i++) {
        puts_(w, "\t");
        put_cell(w, w->extras[i]);
    }
    puts_(w, "\n");
    return w->failed ? ctl_write_failed(ctx, w->name, w->failed) : CTL_OK;
}

/* Does a reference kept as written (scheme "") read back from the ISMS
 * cell as itself: one line, trimmed, no list of ISO/IEC 27001:2013
 * references?  -1 when memory is exhausted. */
static int reads_back_as_written(const char *rid)
{
    size_t n = strlen(rid);
    const char *t = rid;
    size_t tn = n;
    ctl_trim(&t, &tn);
    if (!n || tn != n || strpbrk(rid, "\t\r\n")) return 0;
    ctl_ref *refs;
    size_t nr;
    int ok = ctl_parse_refs(rid, n, "iso27001-2013", &refs, &nr);
    if (ok < 0) return -1;
    for (size_t i = 0; ok && i < nr; i++) {
        ctl_free(refs[i].scheme);
        ctl_free(refs[i].id);
    }
    if (ok) ctl_free(refs);
    return !ok;
}

static ctl_status tw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    text_writer *w = (text_writer *)self;
    int changed = 0;
    ctl_number mic;
    const char *iid = ctl_str(it->id);
    if (!ctl_parse_number_exact(iid, strlen(iid), &mic) || strcmp(mic.id, iid))
        return ctl_fail_item(ctx, CTL_D_UNSUPPORTED, w->name, 0, iid,
                             "%s: the text layout holds lists numbered as MIC's (II. 1. 1. 1) only; "
                             "write this list in another format", iid);
    for (size_t i = 0; i < it->n_refs; i++) {
        const char *sch = ctl_str(it->refs[i].scheme), *rid = ctl_str(it->refs[i].id);
        /* a cell kept as written (scheme "") may be written as it was */
        int as_written = !*sch && it->n_refs == 1 ? reads_back_as_written(rid) : 0;
        if (as_written < 0) return ctl_nomem(ctx);
        if (strcmp(sch, "iso27001-2013") && !as_written)
            return ctl_fail_item(ctx, CTL_D_UNSUPPORTED, w->name, 0, iid,
                                 "%s: the text layout holds ISO/IEC 27001:2013 references only, not "
                                 "'%s%s%s'; write this list in another format", iid, sch, *sch ? ":" : "", rid);
        if (i) puts_(w, " ");
        puts_(w, it->refs[i].id);
    }
    puts_(w, "\t");
    char label[96];
    ctl_number num;
    const char *lab = ctl_str(it->label);
    if (ctl_parse_number_exact(lab, strlen(lab), &num) && !strcmp(num.id, ctl_str(it->id))) {
        changed |= put_cell(w, lab);
    } else {
        /* the number cell is the id here: a label that says otherwise
         * would change the item on reading back */
        if (*lab) w->n_relabelled++;
        puts_(w, ctl_number_label(ctl_str(it->id), it->level, label, sizeof label));
    }
    puts_(w, "\t");
    changed |= put_cell(w, ctl_str(it->title));
    puts_(w, "\t");
    changed |= put_cell(w, ctl_str(it->description));
    puts_(w, "\t");
    puts_(w, ctl_category_word(it));
    puts_(w, "\t");
    changed |= put_cell(w, ctl_str(it->answer));
    w->n_dropped += ctl_extra_values(it, w->extras, w->n_extras, w->values);
    for (size_t i = 0; i < w->n_extras; i++) {
        puts_(w, "\t");
        changed |= put_cell(w, w->values[i]);
    }
    puts_(w, "\n");
    if (changed) {
        w->n_joined++;
        if (w->n_joined <= 10 && ((w->joined.len && !ctl_buf_adds(&w->joined, ", ")) ||
                                  !ctl_buf_adds(&w->joined, ctl_str(it->id))))
            return ctl_nomem(ctx);
    }
    return w->failed ? ctl_write_failed(ctx, w->name, w->failed) : CTL_OK;
}

static ctl_status tw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    text_writer *w = (text_writer *)self;
    ctl_status st = CTL_OK;
    if (w->n_joined)
        st = ctl_warn(ctx, CTL_D_TEXT_FLATTENED, w->name, 0,
                      "line breaks or tabs inside cells, or spaces at their ends, in %zu row(s) "
                      "written as single spaces or trimmed (the text layout holds one row per line): %s%s", w->n_joined, w->joined.data,
                      w->n_joined > 10 ? ", …" : "");
    if (st == CTL_OK && meta->n_unplaced)
        st = ctl_warn(ctx, CTL_D_UNPLACED_DROPPED, w->name, 0, "%zu unplaced ISMS reference(s) not written (the text "
                      "layout has no place for them)", meta->n_unplaced);
    if (st == CTL_OK && w->n_dropped)
        st = ctl_warn(ctx, CTL_D_EXTRA_DROPPED, w->name, 0, "%zu extra cell(s) without a column in the document's "
                      "header not written", w->n_dropped);
    if (st == CTL_OK && w->n_relabelled)
        st = ctl_warn(ctx, CTL_D_LABEL_REWRITTEN, w->name, 0, "%zu label(s) that are not their item's number written as "
                      "the number (the text layout reads the id from that cell)", w->n_relabelled);
    return st;
}

static void tw_destroy(ctl_sink *self)
{
    text_writer *w = (text_writer *)self;
    ctl_free(w->extras);
    ctl_free(w->values);
    ctl_buf_free(&w->joined);
    ctl_free(w);
}

static ctl_status text_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                  const ctl_options *opts, ctl_sink **sink)
{
    text_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    w->opts = opts;
    w->sink.begin = tw_begin;
    w->sink.item = tw_item;
    w->sink.end = tw_end;
    w->sink.destroy = tw_destroy;
    w->out = out;
    w->name = out_name;
    *sink = &w->sink;
    return CTL_OK;
}

/* -------------------------------------------------------------- probe */

/* Scores as detection weighs them (ctl_detect_format): 0 when no line is a
 * row (a tab-separated line whose first field, or second after ISMS
 * references or nothing, starts with an item number); 80 when the text shows
 * what only PDF text has: a page header (the first line again below rows, or
 * a form feed), a number fused with its title in one field ("II. 1. 1.
 * 組織の…"), rows whose number of fields changes, ISMS references alone on a
 * line, title lines parted by blank lines above the rows; else 40 (the
 * layout fits).  A record that a quoted cell spreads over several lines is a
 * table's: its lines are not looked at (unless they are the layout's rows,
 * below), and fields are counted outside quotes.  Only the first megabyte
 * and 400 lines are looked at. */
enum { PROBE_BYTES = 1 << 20, PROBE_LINES = 400 };

/* Follows quotes opened at the start of a field (as tables quote) through
 * one line: returns whether one is open at its end; *fields counts the tabs
 * outside quotes, plus one. */
static int quote_walk(span line, int open, size_t *fields)
{
    size_t n = 1;
    int at_start = !open;
    for (size_t i = 0; i < line.len; i++) {
        char c = line.s[i];
        if (open) {
            if (c == '"' && i + 1 < line.len && line.s[i + 1] == '"') i++;
            else if (c == '"') open = 0;
            continue;
        }
        if (c == '"' && at_start) { open = 1; continue; }
        at_start = c == '\t' || c == ',' || c == ';';
        n += c == '\t';
    }
    *fields = n;
    return open;
}

/* Does the field start with an item number that ends it, or that white
 * space or its dot parts from a title?  *fused says which. */
static int number_field(span f, int *fused)
{
    ctl_number num;
    size_t used = ctl_parse_number(f.s, f.len, &num);
    if (!used) return 0;
    span rest = trimmed((span){f.s + used, f.len - used});
    if (!rest.len) return 1;
    const unsigned char *u = (const unsigned char *)f.s + used;
    int parted = u[-1] == ' ' || u[-1] == '.' ||
                 (used >= 2 && !memcmp(u - 2, "\xC2\xA0", 2)) ||              /* no-break space */
                 (used >= 3 && (!memcmp(u - 3, "\xE3\x80\x80", 3) ||         /* ideographic space */
                                !memcmp(u - 3, "\xEF\xBC\x8E", 3)));         /* full-width dot */
    if (parted) *fused = 1;
    return parted;
}

/* Is the text (of one field) a list of ISMS references, or empty? */
static int refs_or_empty(span v, int *any)
{
    char **refs;
    size_t n;
    v = trimmed(v);
    *any = 0;
    if (!v.len) return 1;
    int ok = ctl_parse_isms(v.s, v.len, &refs, &n);
    if (ok <= 0) return 0;
    for (size_t i = 0; i < n; i++) ctl_free(refs[i]);
    ctl_free(refs);
    *any = n > 0;
    return 1;
}

/* A line whose one non-empty field holds nothing but ISMS references. */
static int refs_alone(span line)
{
    span f[MAX_HEADER];
    size_t n = split_fields(line.s, line.len, f, MAX_HEADER), which = n;
    for (size_t i = 0; i < n; i++) {
        if (!trimmed(f[i]).len) continue;
        if (which != n) return 0;
        which = i;
    }
    int any;
    return which < n && refs_or_empty(f[which], &any) && any;
}

/* A row: a tab-separated line whose first field, or second after ISMS
 * references or nothing, is or starts with an item number. */
static int row_shaped(span line, int *fused)
{
    span f[2];
    int dummy = 0, any;
    if (!fused) fused = &dummy;
    if (!memchr(line.s, '\t', line.len)) return 0;
    size_t n = split_fields(line.s, line.len, f, 2);
    return number_field(f[0], fused) ||
           (n > 1 && refs_or_empty(f[0], &any) && number_field(f[1], fused));
}

/* One pass over the sample; quotes are followed when quoted is set.
 * *open_at_end says a quote was left open. */
static int probe_lines(const char *data, const char *end, int quoted, int *open_at_end)
{
    span title = {NULL, 0};
    size_t rows = 0, lines = 0, width = 0, header = 0;   /* header: its fields */
    int open = 0, evidence = 0, above = 0, on_row = 0;
    const char *s = data;
    for (; s < end && lines < PROBE_LINES && !(evidence && rows); lines++) {
        const char *e = s;
        while (e < end && *e != '\n' && *e != '\r') e++;
        span line = {s, (size_t)(e - s)};
        s = e < end ? e + 1 + (*e == '\r' && e + 1 < end && e[1] == '\n') : e;
        size_t nf;
        int was_open = open;
        open = quote_walk(line, open, &nf);
        if (!quoted) open = 0;
        if (was_open || open) {
            /* a quoted cell's lines, unless it opens on a row and the
             * lines after that are rows too, as wide as the others, their
             * numbers alone in their fields: then a quote spans the layout's
             * rows */
            above = 0;
            size_t ref = rows ? width : header;
            int fused = 0, row = ref && count_fields(line.s, line.len) == ref && row_shaped(line, &fused);
            if (!was_open) on_row = row;
            if (was_open && on_row && row && !fused) {
                evidence = 1;
                width = ref;
                rows++;
            }
            continue;
        }
        if (line.len && line.s[0] == '\f') evidence = 1;   /* a page break */
        span t = trimmed(line);
        if (!t.len) {
            evidence |= above;       /* a title line, then a blank one */
            above = 0;
            continue;
        }
        above = 0;
        int tabs = memchr(line.s, '\t', line.len) != NULL;
        if (!title.s) title = t;
        else if (rows && !tabs && t.len == title.len && !memcmp(t.s, title.s, t.len)) evidence = 1;
        if (rows && refs_alone(line)) evidence = 1;
        if (!tabs) {
            above = !rows && !header;
            continue;
        }
        if (!rows && is_header(line.s, line.len, NULL)) { header = nf; continue; }
        int fused = 0;
        if (!row_shaped(line, &fused)) continue;
        if (fused || (rows && nf != width)) evidence = 1;
        width = nf;
        rows++;
    }
    *open_at_end = open && s >= end;
    if (!rows) return 0;
    return evidence ? 80 : 40;
}

static int text_probe(const char *data, size_t len)
{
    const char *end = data + (len < PROBE_BYTES ? len : PROBE_BYTES);
    int open;
    int score = probe_lines(data, end, 1, &open);
    /* a quote never closed in the whole input quotes nothing: look again
     * without it (where the sample is cut, a cell may go on) */
    return open && len <= PROBE_BYTES ? probe_lines(data, end, 0, &open) : score;
}

static const char *const text_ext[] = {"txt", "text", NULL};

const ctl_format ctl_format_text = {
    .name = "text",
    .loses = CTL_LOSES_UNPLACED | CTL_LOSES_LINEBREAKS,
    .description = "text layout as PDF extraction leaves it (tab-separated, page headers)",
    .extensions = text_ext,
    .weak_extension = 1,
    .decode = 1,
    .options = CTL_READS_ENCODING | CTL_READS_COLUMNS,
    .probe = text_probe,
    .read = text_read,
    .streams = 1,
    .writer = text_writer_new,
};
