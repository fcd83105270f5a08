/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading tables (CSV, TSV, worksheets) into the model: the header row is
 * found by its words below any title rows, in any column order; rows above
 * it become the title, note and annex heading; unknown columns are extra
 * columns; text cells are kept exactly; identifiers are normalised. */
#include "services.h"

#include <stdio.h>
#include <stdlib.h>




/* A row kept while the columns are decided: its cells point into text. */
typedef struct {
    ctl_cell *cells;
    size_t n;
    long line;
    char *text;
    size_t score;    /* ctl_table_header_score() of the row */
} kept_row;

/* A row held (held_kind): its non-blank cells only, each with its column
 * (a row of empty cells costs nothing however wide). */
typedef struct {
    ctl_cell *cells;   /* into text */
    size_t *col;
    size_t n, width;
    long line;
    char *text;
    int kind;
} held_row;

enum { LOOKING, DECIDING, READING };   /* for the header; the columns; rows */
/* how a column is read: a field or extra column, a heading's id or title;
 * USE_KEPT_TITLE (a heading's title that stays a column too) only while
 * the roles are assigned */
enum { USE_FIELD, USE_HEADING_ID, USE_HEADING_TITLE, USE_KEPT_TITLE };
enum { SHAPE_COLS = 64, MAX_PARENTS = 8 };
#define NO_COLUMN ((size_t)-1)

/* A column that repeats each row's parent id, and the titles beside it. */
typedef struct {
    size_t col, title;           /* title: NO_COLUMN without one */
    int keep_title;              /* titles differ under one parent: the column stays */
    char last[CTL_ID_MAX];       /* the id of the last heading made of it */
    char *last_title;
    size_t made;
} parent_col;

struct ctl_table {
    ctl_ctx *ctx;
    const ctl_options *opts;
    ctl_sink *sink;
    const char *file;
    int strict_width;
    int records;             /* ctl_table_records(): absent cells make no extra column */
    size_t last_needed;      /* records: the columns a row reads past its end */
    /* the row being read */
    const ctl_cell *cells;
    size_t n_cells;
    long record_line;
    /* the header row found, and the rows below it until the columns are decided */
    int state;
    kept_row head;
    size_t head_score;
    int head_strong;
    kept_row *kept;
    size_t n_kept;
    /* header */
    int have_header;
    size_t n_cols;
    ctl_role *role;
    unsigned char *use;      /* USE_* of each column */
    const char **scheme;     /* each column's reference scheme */
    size_t id_col;           /* the column of the item number */
    int printed;             /* some id cells differ from their canonical ids: labels as printed */
    int fused;               /* the id column's cells hold a number and its title ("5.1 方針") */
    ctl_role fused_role;     /* where the text after the number goes: the title or an extra column */
    char **col_name;         /* trimmed header words (NULL for empty ones) */
    parent_col par[MAX_PARENTS];
    size_t n_par;
    int headings;            /* the parent columns become heading items */
    ctl_meta meta;
    ctl_buf note;
    size_t n_preamble;
    size_t n_items;
    /* rows without an id held until a row with one follows: headings of
     * the rows below, or a footer when none does */
    held_row *held;
    size_t n_held, cap_held;
    ctl_cell *wide;          /* a held row's cells, unfolded (unfold_held) */
    size_t cap_wide;
};

static ctl_status set_owned(ctl_table *r, char **dst, const char *s, size_t n)
{
    char *d = ctl_strndup(s, n);
    if (!d) return ctl_nomem(r->ctx);
    ctl_free(*dst);
    *dst = d;
    return CTL_OK;
}

const char *ctl_table_column_name(const ctl_table *t, size_t col)
{
    return col < t->n_cols && t->col_name ? t->col_name[col] : NULL;
}

/* The fields a row's words name, each counted once; *has_id when the id is
 * one of them, *filled the non-blank cells. */
static size_t known_fields(const ctl_options *opts, const ctl_cell *cells, size_t n, int *has_id,
                           size_t *filled, size_t *mapped)
{
    int seen[CTL_ROLE_COUNT] = {0};
    size_t known = 0;
    *has_id = 0;
    *filled = 0;
    *mapped = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i].s;
        size_t len = cells[i].len;
        ctl_trim(&s, &len);
        if (!len) continue;
        (*filled)++;
        *mapped += ctl_header_mapped(s, len, opts);
        ctl_role role = ctl_header_role_opts(s, len, opts);
        if (role == CTL_ROLE_ID) *has_id = 1;
        if (role != CTL_ROLE_EXTRA && !seen[role]) {
            seen[role] = 1;
            known++;
        }
    }
    return known;
}

/* Does a row hold every header word the caller mapped (opts->columns)? */
static int all_mapped(const ctl_options *opts, size_t mapped)
{
    return opts && opts->n_columns && mapped >= opts->n_columns;
}

/* A header row has two cells at least; it names the id and one more
 * field, or one field at least when the id column is to be found by the
 * shape of its cells, or holds every header the caller mapped. */
size_t ctl_table_header_score(const ctl_options *opts, const ctl_cell *cells, size_t n)
{
    int has_id;
    size_t filled, mapped, known = known_fields(opts, cells, n, &has_id, &filled, &mapped);
    if (filled < 2) return 0;
    if (all_mapped(opts, mapped)) return known;
    if (!known || (known == 1 && has_id)) return 0;
    return known;
}

int ctl_table_weak_header(const ctl_cell *cells, size_t n)
{
    char id[CTL_ID_MAX];
    size_t filled = 0;
    for (size_t i = 0; i < n; i++) {
        ctl_cell v = cells[i];
        ctl_trim(&v.s, &v.len);
        if (!v.len) continue;
        if (v.len > 48 || memchr(v.s, '\n', v.len) || ctl_parse_id(v.s, v.len, id)) return 0;
        filled++;
    }
    return filled >= 2;
}

int ctl_table_is_header(const ctl_options *opts, const ctl_cell *cells, size_t n)
{
    return ctl_table_header_score(opts, cells, n) >= 2;
}

/* Three known words, the id among them, or every header the caller
 * mapped: a header row whatever is below. */
static int strong_header(const ctl_options *opts, const ctl_cell *cells, size_t n)
{
    int has_id;
    size_t filled, mapped, known = known_fields(opts, cells, n, &has_id, &filled, &mapped);
    return (known >= 3 && has_id) || (filled >= 2 && all_mapped(opts, mapped));
}

static ctl_status keep_row(ctl_table *r, kept_row *k)
{
    size_t bytes = 0;
    for (size_t i = 0; i < r->n_cells; i++) bytes += r->cells[i].len + 1;
    k->cells = ctl_malloc((r->n_cells ? r->n_cells : 1) * sizeof *k->cells);
    k->text = ctl_malloc(bytes + 1);
    if (!k->cells || !k->text) {
        ctl_free(k->cells);
        ctl_free(k->text);
        memset(k, 0, sizeof *k);
        return ctl_nomem(r->ctx);
    }
    char *p = k->text;
    for (size_t i = 0; i < r->n_cells; i++) {
        if (r->cells[i].s == ctl_table_absent) {
            k->cells[i] = r->cells[i];
            continue;
        }
        memcpy(p, r->cells[i].s, r->cells[i].len);
        p[r->cells[i].len] = '\0';
        k->cells[i] = (ctl_cell){p, r->cells[i].len};
        p += r->cells[i].len + 1;
    }
    k->n = r->n_cells;
    k->line = r->record_line;
    return CTL_OK;
}

static void free_kept(kept_row *k)
{
    ctl_free(k->cells);
    ctl_free(k->text);
    memset(k, 0, sizeof *k);
}

static void look_at(ctl_table *r, const kept_row *k)
{
    r->cells = k->cells;
    r->n_cells = k->n;
    r->record_line = k->line;
}

/* The trimmed cell c of a kept row ("" past its end). */
static ctl_cell kept_cell(const kept_row *k, size_t c)
{
    ctl_cell v = c < k->n ? k->cells[c] : (ctl_cell){"", 0};
    ctl_trim(&v.s, &v.len);
    return v;
}

/* ---- deciding the columns on the rows below the header ---- */

typedef struct {
    size_t filled, ids, distinct;
    size_t joined;   /* ids with . - _ or ( (codes, not counts) */
    size_t coded;    /* ids with a letter, a parenthesis or two joiners (A.5.1, AC-2(1), 1.1.1) */
    int counter;     /* whole numbers counting up by one: a row counter (No. 1, 2, 3) */
    size_t subs;     /* sub-numbers under numbered rows: "(1)", "(ア)" */
} shape;

static int is_sub_number(const char *s, size_t n);

static int by_id(const void *a, const void *b) { return strcmp(a, b); }

/* Is id code-like: a letter, a parenthesis or two joiners? */
static int is_coded(const char *id)
{
    size_t joins = 0;
    for (const char *p = id; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '(') return 1;
        joins += *p == '.' || *p == '-' || *p == '_';
    }
    return joins >= 2;
}

/* The shape of column c over the kept rows; 0 out of memory. */
static int column_shape(const ctl_table *r, size_t c, shape *sh)
{
    memset(sh, 0, sizeof *sh);
    char (*ids)[CTL_ID_MAX] = ctl_malloc((r->n_kept ? r->n_kept : 1) * sizeof *ids);
    if (!ids) return 0;
    long prev = -1;
    int counting = 1;
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell v = kept_cell(&r->kept[k], c);
        if (!v.len) continue;
        sh->filled++;
        if (!ctl_parse_id(v.s, v.len, ids[sh->ids])) {
            sh->subs += is_sub_number(v.s, v.len);
            counting = 0;
            continue;
        }
        const char *id = ids[sh->ids];
        if (strpbrk(id, ".-_(")) sh->joined++;
        sh->coded += is_coded(id);
        /* ids of digits only are 6 digits at most */
        long n = strspn(id, "0123456789") == strlen(id) ? atol(id) : -1;
        counting = counting && n >= 0 && (prev < 0 || n == prev + 1);
        prev = n;
        sh->ids++;
    }
    sh->counter = counting && sh->ids >= 2;
    qsort(ids, sh->ids, sizeof *ids, by_id);
    for (size_t k = 0; k < sh->ids; k++) sh->distinct += !k || strcmp(ids[k], ids[k - 1]);
    ctl_free(ids);
    return 1;
}

/* Most of a column's cells are identifiers: four in five of those filled. */
static int mostly_ids(const shape *sh) { return sh->ids && sh->ids * 5 >= sh->filled * 4; }

/* Most of its ids are codes, not counts. */
static int mostly_codes(const shape *sh) { return sh->joined * 2 > sh->ids; }

/* Does a header word name something that is no id, though its cells may
 * read as ids (a version 1.0, a date, a status, a page)? */
static int names_no_id(const char *name)
{
    static const char *const parts[] = {"version", "revision", "date", "status", "page", "版", "日付",
                                        "日時", "更新", "改訂", "状態", "ステータス", "ページ"};
    static const char *const whole[] = {"ver", "ver.", "rev", "rev."};
    char f[256];
    if (!name || ctl_fold_into(name, strlen(name), f, sizeof f) < 0) return 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (strstr(f, parts[i])) return 1;
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
        if (!strcmp(f, whole[i])) return 1;
    return 0;
}

/* Is a column of shape a a better id column than one of shape b: a row
 * counter gives way to any other, then codes come before counts (A.5.1
 * before 1.0), then more distinct values, then more joined ones. */
static int better_ids(const shape *a, const shape *b)
{
    int ca = a->coded * 2 > a->ids, cb = b->coded * 2 > b->ids;
    if (a->counter != b->counter) return b->counter;
    if (ca != cb) return ca;
    if (a->distinct != b->distinct) return a->distinct > b->distinct;
    return a->joined > b->joined;
}

/* May column c of unknown header hold the ids: mostly ids, filled on half
 * the rows at least, nine in ten distinct (half, for codes: continuation
 * rows repeat them)? */
static int may_hold_ids(const ctl_table *r, const shape *sh)
{
    if (!mostly_ids(sh) || sh->filled * 2 < r->n_kept) return 0;
    if (sh->coded * 2 > sh->ids) return sh->distinct * 2 >= sh->ids;
    return sh->distinct * 10 >= sh->ids * 9;
}

/* A number and its title in one cell ("5.1 情報セキュリティ…", "1.1.1 경영진의
 * 참여", "II. 1. 1. 1 方針"): the longest prefix before white space that is
 * an id, with text after it that is none; its length, else 0. */
static size_t fused_number(const char *s, size_t n, char id[CTL_ID_MAX])
{
    char tmp[CTL_ID_MAX];
    size_t at = 0;
    for (size_t i = 1; i < n && i <= 2 * CTL_ID_MAX; i++) {
        int ws = s[i] == ' ' || s[i] == '\t' || (i + 2 < n && !memcmp(s + i, "\xE3\x80\x80", 3));   /* U+3000 */
        if (ws && s[i - 1] != ' ' && s[i - 1] != '\t' && ctl_parse_id(s, i, tmp)) {
            at = i;
            memcpy(id, tmp, sizeof tmp);
        }
    }
    if (!at) return 0;
    const char *rest = s + at;
    size_t rn = n - at;
    ctl_trim(&rest, &rn);
    return rn && !ctl_parse_id(rest, rn, tmp) ? at : 0;
}

/* How many of column c's cells are numbers fused with their titles, when
 * most are (four in five filled, two at least, on half the rows); else 0. */
static size_t fused_cells(const ctl_table *r, size_t c)
{
    size_t filled = 0, fused = 0;
    char id[CTL_ID_MAX];
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell v = kept_cell(&r->kept[k], c);
        if (!v.len) continue;
        filled++;
        fused += fused_number(v.s, v.len, id) != 0;
    }
    return fused >= 2 && fused * 5 >= filled * 4 && filled * 2 >= r->n_kept ? fused : 0;
}

/* With no column of ids, the column with the most numbers fused with
 * their titles (fused_cells), the leftmost on a tie; NO_COLUMN when none. */
static size_t fused_column(const ctl_table *r)
{
    size_t best = NO_COLUMN, most = 0;
    for (size_t c = 0; c < r->n_cols && c < SHAPE_COLS; c++) {
        if ((r->role[c] != CTL_ROLE_TITLE && r->role[c] != CTL_ROLE_EXTRA) || names_no_id(r->col_name[c])) continue;
        size_t n = fused_cells(r, c);
        if (n > most) {
            best = c;
            most = n;
        }
    }
    return best;
}

/* The best id column among those of role (the columns whose header names
 * ids, or those of unknown header) up to SHAPE_COLS, headers naming
 * something else left out; codes_only: only columns mostly of codes.
 * NO_COLUMN when none is mostly ids; 0 out of memory. */
static int best_by_shape(ctl_table *r, ctl_role role, int codes_only, size_t *chosen, shape *best)
{
    shape sh;
    *chosen = NO_COLUMN;
    for (size_t c = 0; c < r->n_cols && c < SHAPE_COLS; c++) {
        if (r->role[c] != role || names_no_id(r->col_name[c])) continue;
        if (!column_shape(r, c, &sh)) return 0;
        if (!mostly_ids(&sh) || (role == CTL_ROLE_EXTRA && !may_hold_ids(r, &sh)) || (codes_only && !mostly_codes(&sh)))
            continue;
        if (*chosen == NO_COLUMN || better_ids(&sh, best)) {
            *chosen = c;
            *best = sh;
        }
    }
    return 1;
}

/* The id column: the user's, else the best by shape (better_ids) among the
 * columns whose headers name ids, else among those of unknown header; a
 * row counter gives way to a column of codes of unknown header.  A header
 * that names no id (names_no_id) never holds them.  *confirmed: most of
 * its cells are identifiers (more than half for the one column named).
 * NO_COLUMN when there is none; 0 out of memory. */
static int choose_id_column(ctl_table *r, size_t *chosen, int *confirmed)
{
    size_t claimants = 0, first = NO_COLUMN;
    shape best = {0}, sh;
    *chosen = NO_COLUMN;
    *confirmed = 0;
    r->fused = 0;
    for (size_t c = 0; c < r->n_cols; c++) {
        if (r->role[c] != CTL_ROLE_ID) continue;
        if (r->col_name[c] && ctl_header_mapped(r->col_name[c], strlen(r->col_name[c]), r->opts)) {
            /* the user's: more than half of its cells ids will do, or
             * most of them numbers fused with their titles */
            if (!column_shape(r, c, &sh)) return 0;
            *chosen = c;
            *confirmed = sh.ids * 2 > sh.filled || (r->fused = fused_cells(r, c) != 0);
            return 1;
        }
        if (names_no_id(r->col_name[c])) continue;
        if (!claimants++) first = c;
    }
    if (claimants == 1) {
        /* named by its header: more than half of its cells ids (or
         * sub-numbers under them) will do */
        if (!column_shape(r, first, &best)) return 0;
        *chosen = first;
        *confirmed = best.ids && (best.ids + best.subs) * 2 > best.filled;
    } else if (claimants) {
        if (!best_by_shape(r, CTL_ROLE_ID, 0, chosen, &best)) return 0;
        *confirmed = *chosen != NO_COLUMN;
    }
    if (*chosen == NO_COLUMN || best.counter) {
        size_t other;
        if (!best_by_shape(r, CTL_ROLE_EXTRA, claimants != 0, &other, &sh)) return 0;
        if (other != NO_COLUMN && (*chosen == NO_COLUMN || better_ids(&sh, &best))) {
            *chosen = other;
            *confirmed = 1;
        }
    }
    if (*chosen == NO_COLUMN && (*chosen = fused_column(r)) != NO_COLUMN) {
        r->fused = 1;
        *confirmed = 1;
    }
    if (*chosen == NO_COLUMN) *chosen = first;
    return 1;
}

/* Does column p hold each row's parent: identifiers on every row that has
 * one, nine in ten containing (or equal to) the row's id, and, unless
 * forced, repeated on consecutive rows? */
static int is_parent_column(const ctl_table *r, size_t p, int forced)
{
    size_t both = 0, contain = 0, repeats = 0;
    char prev[CTL_ID_MAX] = "", pid[CTL_ID_MAX], iid[CTL_ID_MAX];
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell pc = kept_cell(&r->kept[k], p), ic = kept_cell(&r->kept[k], r->id_col);
        if (!pc.len) { prev[0] = '\0'; continue; }
        if (!ctl_parse_id(pc.s, pc.len, pid)) return 0;
        if (*prev && !strcmp(prev, pid)) repeats++;
        memcpy(prev, pid, sizeof prev);
        if (!ic.len || !ctl_parse_id(ic.s, ic.len, iid)) continue;
        both++;
        contain += ctl_id_contains(pid, iid) || !strcmp(pid, iid);
    }
    return both && contain * 10 >= both * 9 && (forced || (both >= 2 && repeats));
}

static int is_parent(const ctl_table *r, size_t c)
{
    for (size_t i = 0; i < r->n_par; i++)
        if (r->par[i].col == c) return 1;
    return 0;
}

/* The titles of parent column p: the column after it, named, of unknown
 * header or a title's, filled somewhere, the same on consecutive rows of the same
 * parent but for one pair in ten at most (*exact when on all); NO_COLUMN
 * when there is none. */
static size_t parent_title(const ctl_table *r, size_t p, int *exact)
{
    size_t t = p + 1, same = 0, changed = 0;
    *exact = 0;
    if (t >= r->n_cols || t == r->id_col || !r->col_name[t] || is_parent(r, t) ||
        (r->role[t] != CTL_ROLE_TITLE && r->role[t] != CTL_ROLE_EXTRA) ||
        (r->col_name[t] && ctl_header_mapped(r->col_name[t], strlen(r->col_name[t]), r->opts)))
        return NO_COLUMN;
    int filled = 0;
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell pc = kept_cell(&r->kept[k], p), tc = kept_cell(&r->kept[k], t);
        filled |= tc.len != 0;
        if (!k) continue;
        ctl_cell pp = kept_cell(&r->kept[k - 1], p), tp = kept_cell(&r->kept[k - 1], t);
        if (!pc.len || pc.len != pp.len || memcmp(pc.s, pp.s, pc.len)) continue;
        same++;
        changed += tc.len != tp.len || memcmp(tc.s, tp.s, tc.len);
    }
    if (!filled || changed * 10 > same) return NO_COLUMN;
    *exact = !changed;
    return t;
}

static int by_first_id_length(const ctl_table *r, size_t col)
{
    char id[CTL_ID_MAX];
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell v = kept_cell(&r->kept[k], col);
        if (v.len && ctl_parse_id(v.s, v.len, id)) return (int)strlen(id);
    }
    return 0;
}

/* Does parent column p have rows of its own: a row without an id whose
 * parent cell starts a new parent (the CIS workbook's row per control,
 * before its safeguards)? */
static int has_own_rows(const ctl_table *r, size_t p)
{
    char prev[CTL_ID_MAX] = "", pid[CTL_ID_MAX];
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell pc = kept_cell(&r->kept[k], p), ic = kept_cell(&r->kept[k], r->id_col);
        if (!pc.len || !ctl_parse_id(pc.s, pc.len, pid)) continue;
        if (!ic.len && strcmp(pid, prev)) return 1;
        memcpy(prev, pid, sizeof prev);
    }
    return 0;
}

/* The columns that repeat each row's parents (CIS's control_id beside
 * safeguard_id, ISMAP's domain_id and category_id beside control_id), the
 * outermost first.  Without ctl_options.make_headings forcing them, each
 * needs a title column or rows of its own (has_own_rows); -1: found only
 * so that their titles are not taken for the items' titles. */
static void find_parent_columns(ctl_table *r)
{
    int mode = r->opts ? r->opts->make_headings : 0;
    r->n_par = 0;
    for (size_t c = 0; c < r->n_cols && c < SHAPE_COLS && r->n_par < MAX_PARENTS; c++) {
        if (c == r->id_col || !r->col_name[c] || (r->role[c] != CTL_ROLE_ID && r->role[c] != CTL_ROLE_EXTRA) ||
            (r->col_name[c] && ctl_header_mapped(r->col_name[c], strlen(r->col_name[c]), r->opts)))
            continue;
        if (is_parent_column(r, c, mode > 0)) r->par[r->n_par++] = (parent_col){c, NO_COLUMN, 0, "", NULL, 0};
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_par; i++) {
        int exact;
        r->par[i].title = parent_title(r, r->par[i].col, &exact);
        r->par[i].keep_title = r->par[i].title != NO_COLUMN && !exact;
        if (r->par[i].title != NO_COLUMN || mode > 0 || has_own_rows(r, r->par[i].col)) r->par[n++] = r->par[i];
    }
    r->n_par = n;
    /* outermost first: the shorter ids */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && by_first_id_length(r, r->par[j - 1].col) > by_first_id_length(r, r->par[j].col); j--) {
            parent_col t = r->par[j];
            r->par[j] = r->par[j - 1];
            r->par[j - 1] = t;
        }
    r->headings = n && mode >= 0;
}

static int parent_use(const ctl_table *r, size_t c)
{
    for (size_t i = 0; i < r->n_par; i++) {
        if (r->par[i].col == c) return USE_HEADING_ID;
        if (r->par[i].title == c) return r->par[i].keep_title ? USE_KEPT_TITLE : USE_HEADING_TITLE;
    }
    return USE_FIELD;
}

/* Each column's role and use: one column per field, the later ones extra
 * columns (with a warning), the parent columns and their titles heading
 * items or extra columns. */
static ctl_status assign_roles(ctl_table *r)
{
    int seen[CTL_ROLE_COUNT] = {0};
    for (size_t i = 0; i < r->n_cols; i++) {
        ctl_role role = r->role[i];
        int use = parent_use(r, i);
        r->use[i] = USE_FIELD;
        if (i == r->id_col) {
            role = CTL_ROLE_ID;
        } else if (use != USE_FIELD) {
            role = CTL_ROLE_EXTRA;
            if (r->headings && use != USE_KEPT_TITLE) r->use[i] = (unsigned char)use;
        } else if (role == CTL_ROLE_ID || (role != CTL_ROLE_EXTRA && seen[role])) {
            const char *name = r->col_name[i] ? r->col_name[i] : "";
            ctl_status st = ctl_warn(r->ctx, CTL_D_DUPLICATE_COLUMN, r->file, r->head.line,
                                     "a second '%s' column: kept as an extra column", name);
            if (st != CTL_OK) return st;
            role = CTL_ROLE_EXTRA;
        }
        seen[role] = 1;
        r->role[i] = role;
        const char *s = r->col_name[i] ? r->col_name[i] : "";
        r->scheme[i] = role == CTL_ROLE_ISMS ? ctl_column_scheme(s, strlen(s), r->opts) : NULL;
        if (role == CTL_ROLE_ISMS && !r->meta.ref_scheme && !(r->meta.ref_scheme = ctl_strdup(r->scheme[i])))
            return ctl_nomem(r->ctx);
    }
    return CTL_OK;
}

static void drop_header(ctl_table *r)
{
    for (size_t i = 0; r->col_name && i < r->n_cols; i++) ctl_free(r->col_name[i]);
    ctl_free(r->col_name);
    ctl_free(r->role);
    ctl_free(r->use);
    ctl_free(r->scheme);
    r->col_name = NULL;
    r->role = NULL;
    r->use = NULL;
    r->scheme = NULL;
    r->n_cols = 0;
}

/* The header words of the kept header row. */
static ctl_status read_header_words(ctl_table *r)
{
    size_t n = r->head.n;
    r->role = ctl_malloc(n * sizeof *r->role);
    r->use = ctl_malloc(n);
    r->scheme = ctl_malloc(n * sizeof *r->scheme);
    r->col_name = ctl_malloc(n * sizeof *r->col_name);
    if (!r->role || !r->use || !r->scheme || !r->col_name) return ctl_nomem(r->ctx);
    memset(r->col_name, 0, n * sizeof *r->col_name);
    r->n_cols = n;
    for (size_t i = 0; i < n; i++) {
        ctl_cell v = kept_cell(&r->head, i);
        r->role[i] = ctl_header_role_opts(v.s, v.len, r->opts);
        r->use[i] = USE_FIELD;
        r->scheme[i] = NULL;
        if (v.len && !(r->col_name[i] = ctl_strndup(v.s, v.len))) return ctl_nomem(r->ctx);
    }
    return CTL_OK;
}

/* The document's columns: the header words of the columns read into items
 * (not those of the parent columns made heading items), the fields' first
 * and then the extra columns, each in source order, so that a writer
 * (ctl_extra_columns()) takes a column whose word names a field already
 * read for an extra column, as the reader did. */
static ctl_status begin_list(ctl_table *r)
{
    ctl_status st = ctl_check_column_maps(r->ctx, r->opts, r->file, r->head.line,
                                          (const char *const *)r->col_name, r->n_cols);
    if (st != CTL_OK) return st;
    r->meta.columns = ctl_malloc((r->n_cols ? r->n_cols : 1) * sizeof *r->meta.columns);
    if (!r->meta.columns) return ctl_nomem(r->ctx);
    for (int extras = 0; extras < 2; extras++)
        for (size_t i = 0; i < r->n_cols; i++) {
            const char *name = r->col_name[i];
            if (!name || r->use[i] != USE_FIELD || (r->role[i] == CTL_ROLE_EXTRA) != extras) continue;
            /* a field's column whose word names no field (the ids found by
             * their shape) would be an empty extra column to a writer */
            if (!extras && ctl_header_role_opts(name, strlen(name), r->opts) == CTL_ROLE_EXTRA) continue;
            if (!(r->meta.columns[r->meta.n_columns] = ctl_strdup(name))) return ctl_nomem(r->ctx);
            r->meta.n_columns++;
        }
    if (r->note.len && !(r->meta.note = ctl_buf_take(&r->note))) return ctl_nomem(r->ctx);
    ctl_meta m = ctl_meta_filled(&r->meta);
    return r->sink->begin(r->sink, r->ctx, &m);
}

static ctl_status take_preamble(ctl_table *r);
static ctl_status take_row(ctl_table *r);

static ctl_status before_reading(ctl_table *t, kept_row *k, size_t score);

/* The kept rows, handed on one by one (the list kept is emptied first):
 * read as rows, or looked at again for the header row, each moved where
 * it is kept again, never copied nor scored twice. */
static ctl_status feed_kept(ctl_table *r, int as_rows)
{
    kept_row *rows = r->kept;
    size_t n = r->n_kept;
    r->kept = NULL;
    r->n_kept = 0;
    ctl_status st = CTL_OK;
    for (size_t k = 0; k < n; k++) {
        if (st == CTL_OK) {
            if (as_rows) {
                look_at(r, &rows[k]);
                st = take_row(r);
            } else {
                st = before_reading(r, &rows[k], rows[k].score);
            }
        }
        free_kept(&rows[k]);
    }
    ctl_free(rows);
    return st;
}

/* The header row found is a title or note row after all: it and the rows
 * kept below it are read again as rows above the header. */
static ctl_status not_the_header(ctl_table *r)
{
    drop_header(r);
    r->state = LOOKING;
    look_at(r, &r->head);
    ctl_status st = take_preamble(r);
    free_kept(&r->head);
    if (st != CTL_OK) return st;
    return feed_kept(r, 0);
}

/* Records whose keys name no field, or whose id column is not found. */
static ctl_status no_id_key(ctl_table *r)
{
    return ctl_fail(r->ctx, CTL_D_NOT_A_LIST, r->file, 0, "not a control list: no object has a key naming its id "
                    "(such as id, 項番, control_id, ref_id), nor one mapped onto the id, nor, beside a key "
                    "naming another field, one whose values are mostly identifiers");
}

/* Does the id column print ids otherwise than canonically ("II. 1.",
 * "AC-2 (1)") on a kept row?  Then its cells are labels as printed, the
 * canonical ones too; a column of canonical ids only is a converter's. */
static int prints_labels(const ctl_table *r)
{
    char id[CTL_ID_MAX];
    for (size_t k = 0; k < r->n_kept; k++) {
        ctl_cell v = kept_cell(&r->kept[k], r->id_col);
        if (v.len && ctl_parse_id(v.s, v.len, id) && (strlen(id) != v.len || memcmp(id, v.s, v.len))) return 1;
    }
    return 0;
}

int ctl_table_code_cell(const char *s, size_t n)
{
    char id[CTL_ID_MAX];
    return ctl_parse_id(s, n, id) && is_coded(id);
}

int ctl_table_control_word(const char *s, size_t n)
{
    char f[64];
    return ctl_fold_into(s, n, f, sizeof f) >= 0 && (!strcmp(f, "control") || !strcmp(f, "controls"));
}

/* A header row whose words name no field ("Annex A ref | Control |
 * Applicable") is the header when its column c is mostly codes (two at
 * least; ctl_table_code_cell) and a column named "Control" beside it
 * holds the titles (made their column here); 0 when not. */
static int codes_and_titles(ctl_table *r, size_t c)
{
    shape sh;
    if (!column_shape(r, c, &sh) || sh.ids < 2 || !mostly_ids(&sh) || sh.coded * 2 <= sh.ids) return 0;
    size_t beside[2] = {c + 1, c ? c - 1 : NO_COLUMN};
    for (int i = 0; i < 2; i++) {
        size_t t = beside[i];
        if (t < r->n_cols && r->col_name[t] && ctl_table_control_word(r->col_name[t], strlen(r->col_name[t]))) {
            r->role[t] = CTL_ROLE_TITLE;
            return 1;
        }
    }
    return 0;
}

/* Decides the columns on the rows kept below the header row, then reads
 * those rows and lets the others stream. */
static ctl_status decide(ctl_table *r)
{
    ctl_status st;
    size_t id_col;
    int confirmed;
    if (!choose_id_column(r, &id_col, &confirmed)) return ctl_nomem(r->ctx);
    if (id_col == NO_COLUMN && r->records) return no_id_key(r);
    if (id_col == NO_COLUMN || (!r->head_strong && !confirmed) || (!r->records && !r->head_score && !codes_and_titles(r, id_col)))
        return not_the_header(r);
    r->id_col = id_col;
    r->printed = prints_labels(r);
    find_parent_columns(r);
    if ((st = assign_roles(r)) != CTL_OK) return st;
    for (size_t c = 0; c < r->n_cols; c++)
        if (r->use[c] != USE_FIELD || r->role[c] != CTL_ROLE_EXTRA) r->last_needed = c + 1;
    /* a fused cell's text is the title, unless a column holds the titles */
    r->fused_role = CTL_ROLE_TITLE;
    for (size_t c = 0; c < r->n_cols; c++)
        if (r->role[c] == CTL_ROLE_TITLE) r->fused_role = CTL_ROLE_EXTRA;
    r->have_header = 1;
    r->state = READING;
    if ((st = begin_list(r)) != CTL_OK) return st;
    free_kept(&r->head);
    return feed_kept(r, 1);
}

/* A row above the header: the title, then note lines, an annex heading. */
static ctl_status take_preamble(ctl_table *r)
{
    if (++r->n_preamble > CTL_TABLE_HEADER_ROWS)
        return ctl_fail(r->ctx, CTL_D_NO_HEADER, r->file, 0,
                        "no header row in the first %d rows: expected column names such as "
                        "項番, 管理策番号, No., id, ref_id (the ids) with 対策項目, 名称, title, name, "
                        "対策内容, description...",
                        CTL_TABLE_HEADER_ROWS);
    ctl_buf line = {0};
    for (size_t i = 0; i < r->n_cells; i++) {
        const char *s = r->cells[i].s;
        size_t n = r->cells[i].len;
        ctl_trim(&s, &n);
        if (!n) continue;
        if ((line.len && !ctl_buf_addc(&line, ' ')) || !ctl_buf_add(&line, s, n)) {
            ctl_buf_free(&line);
            return ctl_nomem(r->ctx);
        }
    }
    if (!line.len) return CTL_OK;
    ctl_status st = CTL_OK;
    if (!r->meta.title) {
        r->meta.title = ctl_buf_take(&line);
        return r->meta.title ? CTL_OK : ctl_nomem(r->ctx);
    }
    if (!r->meta.annex && ctl_looks_like_annex(line.data, line.len)) {
        r->meta.annex = ctl_buf_take(&line);
        return r->meta.annex ? CTL_OK : ctl_nomem(r->ctx);
    }
    if ((r->note.len && !ctl_buf_addc(&r->note, '\n')) || !ctl_buf_add(&r->note, line.data, line.len))
        st = ctl_nomem(r->ctx);
    ctl_buf_free(&line);
    return st;
}

static ctl_status add_extra(ctl_table *r, ctl_item *it, const char *name, const char *v, size_t n)
{
    return ctl_item_add_extra(it, name, v, n) ? CTL_OK : ctl_nomem(r->ctx);
}

static ctl_cell cell_at(const ctl_table *r, size_t c)
{
    return c < r->n_cells ? r->cells[c] : (ctl_cell){r->records ? ctl_table_absent : "", 0};
}

/* The label of an item whose id cell reads s[0..n) (canonical id): the
 * cell as printed when it differs or when the id column prints labels
 * (r->printed); none for a generated id ("II.1#2"); else MIC's spelling
 * of a MIC number, else the id. */
static ctl_status set_label(ctl_table *r, ctl_item *it, const char *s, size_t n, const char *id)
{
    ctl_number mic;
    if (strchr(id, '#')) return set_owned(r, &it->label, "", 0);
    if (n && (r->printed || strncmp(id, s, n) != 0 || n != strlen(id))) return set_owned(r, &it->label, s, n);
    if (n && ctl_parse_number_exact(id, strlen(id), &mic)) {
        char label[96];
        ctl_number_label(mic.id, mic.level, label, sizeof label);
        return set_owned(r, &it->label, label, strlen(label));
    }
    return set_owned(r, &it->label, id, strlen(id));
}

/* A sub-number a Japanese list prints under a numbered row: "(1)",
 * "（２）", "(ア)", "(a)", "(iv)", "①": no id (they repeat under every
 * row), but the row's label, its id generated under the row above. */
static int is_sub_number(const char *s, size_t n)
{
    uint32_t c[8];
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        if (k == 8) return 0;
        i += ctl_utf8_decode(s + i, n - i, &c[k]);
    }
    if (k == 1) return c[0] >= 0x2460 && c[0] <= 0x2473;   /* ① .. ⑳ */
    if (k < 3 || (c[0] != '(' && c[0] != 0xFF08) || (c[k - 1] != ')' && c[k - 1] != 0xFF09)) return 0;
    int digits = 1, letters = 1;
    for (size_t i = 1; i + 1 < k; i++) {
        uint32_t d = c[i];
        digits &= (d >= '0' && d <= '9') || (d >= 0xFF10 && d <= 0xFF19);
        letters &= (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z');
    }
    int kana = k == 3 && c[1] >= 0x3041 && c[1] <= 0x30FA;   /* one hiragana or katakana */
    return (digits && k <= 5) || (letters && k <= 6) || kana;
}

/* Is the row being read a copy of the header row (repeated on each
 * printed page)? */
static int is_header_copy(const ctl_table *r)
{
    size_t n = r->n_cells > r->n_cols ? r->n_cells : r->n_cols, filled = 0;
    for (size_t c = 0; c < n; c++) {
        ctl_cell v = cell_at(r, c);
        ctl_trim(&v.s, &v.len);
        const char *h = c < r->n_cols && r->col_name[c] ? r->col_name[c] : "";
        if (strlen(h) != v.len || memcmp(h, v.s, v.len)) return 0;
        filled += v.len != 0;
    }
    return filled >= 2;
}

/* The heading items a row's parent columns call for, each before the
 * first row under it; a parent cell that is no id, or a title unlike the
 * heading's, stays on the row as an extra column, with a warning. */
static ctl_status make_headings(ctl_table *r, ctl_item *row, const char *row_id)
{
    long line = r->record_line;
    for (size_t k = 0; k < r->n_par; k++) {
        parent_col *p = &r->par[k];
        ctl_cell v = cell_at(r, p->col), t = p->title != NO_COLUMN ? cell_at(r, p->title) : (ctl_cell){"", 0};
        const char *vs = v.s;
        size_t vn = v.len;
        ctl_trim(&vs, &vn);
        char pid[CTL_ID_MAX];
        ctl_status st = CTL_OK;
        if (!vn) continue;
        if (!ctl_parse_id(vs, vn, pid)) {
            st = add_extra(r, row, r->col_name[p->col], v.s, v.len);
            if (st == CTL_OK && p->title != NO_COLUMN) st = add_extra(r, row, r->col_name[p->title], t.s, t.len);
            if (st == CTL_OK)
                st = ctl_warn_item(r->ctx, CTL_D_NUMBER_MISMATCH, r->file, line, row_id, "%s: '%.*s' in column '%s' "
                                   "is no parent id; kept as an extra column", row_id,
                                   (int)ctl_utf8_clip(vs, vn, 40), vs, r->col_name[p->col]);
            if (st != CTL_OK) return st;
            continue;
        }
        if (!strcmp(pid, p->last)) {
            if (p->title == NO_COLUMN || p->keep_title || (p->last_title && strlen(p->last_title) == t.len &&
                                          !memcmp(p->last_title, t.s, t.len)))
                continue;
            st = add_extra(r, row, r->col_name[p->title], t.s, t.len);
            if (st == CTL_OK)
                st = ctl_warn_item(r->ctx, CTL_D_TITLE_JOINED, r->file, line, row_id, "%s: the title of %s in column "
                                   "'%s' differs from the one above; kept as an extra column", row_id, pid,
                                   r->col_name[p->title]);
            if (st != CTL_OK) return st;
            continue;
        }
        memcpy(p->last, pid, sizeof p->last);
        for (size_t j = k + 1; j < r->n_par; j++) r->par[j].last[0] = '\0';
        ctl_free(p->last_title);
        if (!(p->last_title = ctl_strndup(t.s, t.len))) return ctl_nomem(r->ctx);
        if (!strcmp(pid, row_id)) continue;   /* the row is that heading */
        ctl_item h;
        ctl_item_init(&h);
        h.pos.file = r->file;
        h.pos.line = line;
        if ((st = set_owned(r, &h.id, pid, strlen(pid))) == CTL_OK && (st = set_label(r, &h, vs, vn, pid)) == CTL_OK &&
            (st = set_owned(r, &h.title, t.s, t.len)) == CTL_OK) {
            ctl_item_fill_empty(&h);
            st = r->sink->item(r->sink, r->ctx, &h);
            p->made++;
        }
        ctl_item_clear(&h);
        if (st != CTL_OK) return st;
    }
    return CTL_OK;
}

/* A row without an id whose parent cell starts a new parent is that
 * parent's own row (the CIS workbook's control row before its
 * safeguards): its id and printed cell from the innermost such column
 * into id, *s and *n; 0 when there is none. */
static int parent_row(const ctl_table *r, const char **s, size_t *n, char id[CTL_ID_MAX])
{
    char pid[CTL_ID_MAX];
    for (size_t k = r->n_par; k-- > 0;) {
        ctl_cell v = cell_at(r, r->par[k].col);
        ctl_trim(&v.s, &v.len);
        if (!v.len || !ctl_parse_id(v.s, v.len, pid) || !strcmp(pid, r->par[k].last)) continue;
        memcpy(id, pid, sizeof pid);
        *s = v.s;
        *n = v.len;
        return 1;
    }
    return 0;
}

enum { HELD_NONE, HELD_HEADING, HELD_NOTE };

/* Does a cell start as a note, a source or a total does ("※ …", "注記",
 * "(注)", "Note:", "合計", "Total")? */
static int is_note_text(const char *s, size_t n)
{
    static const char *const starts[] = {"\xE2\x80\xBB" /* ※ */, "\xE6\xB3\xA8\xE8\xA8\x98" /* 注記 */,
                                         "(\xE6\xB3\xA8" /* (注 */, "\xEF\xBC\x88\xE6\xB3\xA8" /* （注 */,
                                         "\xE6\xB3\xA8:", "\xE6\xB3\xA8\xEF\xBC\x9A" /* 注： */,
                                         "\xE5\x82\x99\xE8\x80\x83" /* 備考 */, "\xE5\x87\xBA\xE5\x85\xB8" /* 出典 */,
                                         "*"};
    static const char *const words[] = {"note", "notes", "nb", "source", "sources", "total", "sum", "grand total",
                                        "subtotal", "end of standard", "end of document", "end of table"};
    static const char *const totals[] = {"\xE5\x90\x88\xE8\xA8\x88" /* 合計 */, "\xE5\xB0\x8F\xE8\xA8\x88" /* 小計 */,
                                         "\xE7\xB7\x8F\xE8\xA8\x88" /* 総計 */, "\xE8\xA8\x88" /* 計 */};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
        if (n >= strlen(starts[i]) && !memcmp(s, starts[i], strlen(starts[i]))) return 1;
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++)
        if (n == strlen(totals[i]) && !memcmp(s, totals[i], n)) return 1;
    /* an English word: the whole cell, or before ':' or '.' */
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t k = strlen(words[i]);
        if (n >= k && !strncasecmp(s, words[i], k) && (n == k || s[k] == ':' || s[k] == '.')) return 1;
    }
    return 0;
}

/* Is the row being read one to hold (HELD_*): no id, and either all its
 * text left of the id column (a heading of the rows below, as CCM's
 * domain rows, or a footer) or a first cell that reads as a note or a
 * total? */
static int held_kind(const ctl_table *r)
{
    ctl_cell idc = cell_at(r, r->id_col);
    ctl_trim(&idc.s, &idc.len);
    const char *s;
    size_t n;
    char pid[CTL_ID_MAX];
    if (idc.len || (r->headings && parent_row(r, &s, &n, pid))) return HELD_NONE;
    int left = 1, first = 1, note = 0;
    for (size_t c = 0; c < r->n_cells; c++) {
        ctl_cell v = cell_at(r, c);
        ctl_trim(&v.s, &v.len);
        if (!v.len) continue;
        if (first) note = is_note_text(v.s, v.len);
        first = 0;
        left &= c < r->id_col;
    }
    return first ? HELD_NONE : left ? HELD_HEADING : note ? HELD_NOTE : HELD_NONE;
}

static void free_held(held_row *h)
{
    ctl_free(h->cells);
    ctl_free(h->col);
    ctl_free(h->text);
    memset(h, 0, sizeof *h);
}

static ctl_status hold_row(ctl_table *r, int kind)
{
    if (r->n_held == r->cap_held) {
        size_t cap = r->cap_held ? r->cap_held * 2 : 16;
        held_row *grown = ctl_realloc(r->held, cap * sizeof *grown);
        if (!grown) return ctl_nomem(r->ctx);
        r->held = grown;
        r->cap_held = cap;
    }
    held_row *h = &r->held[r->n_held];
    size_t n = 0, bytes = 0;
    for (size_t c = 0; c < r->n_cells; c++)
        if (!ctl_cells_blank(&r->cells[c], 1)) n++, bytes += r->cells[c].len + 1;
    memset(h, 0, sizeof *h);
    h->cells = ctl_malloc((n ? n : 1) * sizeof *h->cells);
    h->col = ctl_malloc((n ? n : 1) * sizeof *h->col);
    h->text = ctl_malloc(bytes + 1);
    if (!h->cells || !h->col || !h->text) {
        free_held(h);
        return ctl_nomem(r->ctx);
    }
    char *p = h->text;
    for (size_t c = 0; c < r->n_cells; c++) {
        if (ctl_cells_blank(&r->cells[c], 1)) continue;
        memcpy(p, r->cells[c].s, r->cells[c].len);
        p[r->cells[c].len] = '\0';
        h->cells[h->n] = (ctl_cell){p, r->cells[c].len};
        h->col[h->n++] = c;
        p += r->cells[c].len + 1;
    }
    h->width = r->n_cells;
    h->line = r->record_line;
    h->kind = kind;
    r->n_held++;
    return CTL_OK;
}

/* Makes held row h the row being read, its cells unfolded in r->wide. */
static ctl_status unfold_held(ctl_table *r, const held_row *h)
{
    if (h->width > r->cap_wide) {
        ctl_cell *w = ctl_realloc(r->wide, h->width * sizeof *w);
        if (!w) return ctl_nomem(r->ctx);
        r->wide = w;
        r->cap_wide = h->width;
    }
    for (size_t c = 0; c < h->width; c++) r->wide[c] = (ctl_cell){"", 0};
    for (size_t i = 0; i < h->n; i++) r->wide[h->col[i]] = h->cells[i];
    r->cells = r->wide;
    r->n_cells = h->width;
    r->record_line = h->line;
    return CTL_OK;
}

/* The text of the row being read, its cells joined by a space. */
static ctl_status row_text(ctl_table *r, ctl_buf *b)
{
    for (size_t c = 0; c < r->n_cells; c++) {
        ctl_cell v = cell_at(r, c);
        ctl_trim(&v.s, &v.len);
        if (v.len && ((b->len && !ctl_buf_addc(b, ' ')) || !ctl_buf_add(b, v.s, v.len))) return ctl_nomem(r->ctx);
    }
    return CTL_OK;
}

/* A heading row of the rows below (its text all left of the id column):
 * an item at the top of the list, its text the title, its id generated. */
static ctl_status read_heading(ctl_table *r)
{
    ctl_item it;
    ctl_buf b = {0};
    ctl_item_init(&it);
    it.pos.file = r->file;
    it.pos.line = r->record_line;
    it.level = 1;
    ctl_status st = row_text(r, &b);
    if (st == CTL_OK && (!(it.title = ctl_buf_take(&b)) || !(it.parent = ctl_strdup("")))) st = ctl_nomem(r->ctx);
    if (st == CTL_OK) {
        ctl_item_fill_empty(&it);
        st = r->sink->item(r->sink, r->ctx, &it);
        r->n_items++;
    }
    ctl_buf_free(&b);
    ctl_item_clear(&it);
    return st;
}

static ctl_status read_row(ctl_table *r);

/* The rows held, now that a row with an id follows them: headings, or
 * rows of the item above (read_row). */
static ctl_status read_held(ctl_table *r)
{
    const ctl_cell *cells = r->cells;
    size_t n = r->n_cells;
    long line = r->record_line;
    ctl_status st = CTL_OK;
    for (size_t k = 0; k < r->n_held; k++) {
        if (st == CTL_OK && (st = unfold_held(r, &r->held[k])) == CTL_OK)
            st = r->held[k].kind == HELD_HEADING ? read_heading(r) : read_row(r);
        free_held(&r->held[k]);
    }
    r->n_held = 0;
    r->cells = cells;
    r->n_cells = n;
    r->record_line = line;
    return st;
}

/* Rows held after the last item: a footer, a note or a total, no item.
 * An error (nothing is lost in silence, and a list's note is written
 * before its items), or skipped as the caller asked. */
static ctl_status end_held(ctl_table *r)
{
    ctl_status st = CTL_OK;
    for (size_t k = 0; k < r->n_held && st == CTL_OK; k++) {
        ctl_buf b = {0};
        if ((st = unfold_held(r, &r->held[k])) != CTL_OK || (st = row_text(r, &b)) != CTL_OK) {
            ctl_buf_free(&b);
            break;
        }
        size_t shown = ctl_utf8_clip(b.data, b.len, 60);
        if (r->opts && r->opts->skip_bad_rows)
            st = ctl_warn(r->ctx, CTL_D_ROW_SKIPPED, r->file, r->record_line, "row skipped: '%.*s' after the last "
                          "item, without an id, is no item (a footer, a note or a total)", (int)shown, b.data);
        else
            st = ctl_fail(r->ctx, CTL_D_BAD_ROW, r->file, r->record_line, "a row that cannot be read: '%.*s' after "
                          "the last item, without an id, is no item (a footer, a note or a total?)", (int)shown,
                          b.data);
        ctl_buf_free(&b);
    }
    return st;
}

static ctl_status take_row(ctl_table *r)
{
    long line = r->record_line;
    if (r->n_cells < r->n_cols && r->strict_width)
        return ctl_fail(r->ctx, CTL_D_RAGGED_ROW, r->file, line,
                        "ragged row: %zu fields where the header has %zu", r->n_cells, r->n_cols);
    for (size_t i = r->n_cols; i < r->n_cells; i++)
        if (!ctl_cells_blank(&r->cells[i], 1))
            return ctl_fail(r->ctx, CTL_D_RAGGED_ROW, r->file, line,
                            "ragged row: %zu fields where the header has %zu (field %zu holds "
                            "text)", r->n_cells, r->n_cols, i + 1);
    if (is_header_copy(r))
        return ctl_warn(r->ctx, CTL_D_HEADER_REPEATED, r->file, line, "a copy of the header row (a printed "
                        "page's): skipped");
    int kind = held_kind(r);
    if (kind) return hold_row(r, kind);
    ctl_status st = read_held(r);
    return st == CTL_OK ? read_row(r) : st;
}

/* Reads the row being read into an item. */
static ctl_status read_row(ctl_table *r)
{
    long line = r->record_line;
    /* the item number */
    size_t id_col = r->id_col;
    ctl_cell idc = cell_at(r, id_col);
    const char *ids = idc.s;
    size_t idn = idc.len;
    ctl_trim(&ids, &idn);
    ctl_number num;
    memset(&num, 0, sizeof num);
    ctl_cell rest = {"", 0};   /* a fused cell's text after its number */
    if (r->fused && idn && !ctl_parse_id(ids, idn, num.id)) {
        /* no number: a row without an id, the cell its text */
        size_t at = fused_number(ids, idn, num.id);
        rest = (ctl_cell){ids + at, idn - at};
        ctl_trim(&rest.s, &rest.len);
        idn = at;
        if (!at) num.id[0] = '\0';
    }
    int keyed = 0;   /* the id cell holds a code (ctl_is_code()) or a sub-number: the row's label, its id generated */
    if (idn && !ctl_parse_id(ids, idn, num.id) && !(keyed = ctl_is_code(ids, idn) || is_sub_number(ids, idn))) {
        size_t shown = ctl_utf8_clip(ids, idn, 40);
        if (r->opts && r->opts->skip_bad_rows)
            return ctl_warn(r->ctx, CTL_D_ROW_SKIPPED, r->file, line, "row skipped: '%.*s' in column %zu is no "
                            "identifier", (int)shown, ids, id_col + 1);
        return ctl_fail(r->ctx, CTL_D_BAD_ROW, r->file, line, "a row that cannot be read: '%.*s' in column %zu "
                        "(the ids) is no identifier such as II.1.1.1, 3.1.1, AC-2(1) or A.5.1", (int)shown, ids,
                        id_col + 1);
    }
    /* a row without an id is kept: the hierarchy gives it one, unless it
     * is its parent's own row */
    if (!idn && r->headings) parent_row(r, &ids, &idn, num.id);

    ctl_item it;
    ctl_item_init(&it);
    ctl_status st = CTL_OK;
    it.pos.file = r->file;
    it.pos.line = line;
    /* a record reads its own cells and the fields' columns, not every key of the file */
    size_t width = r->n_cols;
    if (r->records && width > r->n_cells && width > r->last_needed)
        width = r->n_cells > r->last_needed ? r->n_cells : r->last_needed;
    if ((st = set_owned(r, &it.id, num.id, strlen(num.id))) != CTL_OK) goto out;
    if (keyed) st = set_owned(r, &it.label, ids, idn);
    else st = set_label(r, &it, ids, idn, num.id);
    if (st != CTL_OK) goto out;
    if (r->headings && (st = make_headings(r, &it, num.id)) != CTL_OK) goto out;
    if (rest.len) {
        const char *name = r->col_name[id_col] ? r->col_name[id_col] : ctl_role_name_en(CTL_ROLE_TITLE);
        ctl_cell_place at = {r->ctx, r->file, line, &num, name, NULL};
        st = r->fused_role == CTL_ROLE_TITLE ? ctl_item_put(&at, &it, CTL_ROLE_TITLE, rest.s, rest.len)
                                             : add_extra(r, &it, name, rest.s, rest.len);
    }
    for (size_t c = 0; c < width && st == CTL_OK; c++) {
        ctl_cell cc = cell_at(r, c);
        const char *v = cc.s;
        size_t n = cc.len;
        if (r->use[c] != USE_FIELD || (r->role[c] == CTL_ROLE_EXTRA && v == ctl_table_absent)) continue;
        switch (r->role[c]) {
        case CTL_ROLE_ID:
            break;
        default: {
            const char *extra = r->col_name[c] ? r->col_name[c] : ctl_role_name_en(r->role[c]);
            ctl_cell_place at = {r->ctx, r->file, line, &num, extra, r->scheme[c]};
            st = ctl_item_put(&at, &it, r->role[c], v, n);
            break;
        }
        case CTL_ROLE_EXTRA:
            if (r->col_name[c]) {
                st = add_extra(r, &it, r->col_name[c], v, n);
            } else if (n) {
                char name[32];
                snprintf(name, sizeof name, "column %zu", c + 1);
                st = add_extra(r, &it, name, v, n);
                if (st == CTL_OK)
                    st = ctl_warn_item(r->ctx, CTL_D_UNNAMED_COLUMN, r->file, line, num.id, "%s: text in column %zu, which has no "
                                  "header, kept as extra column '%s'", num.id, c + 1, name);
            }
            break;
        }
    }
    if (st == CTL_OK) {
        ctl_item_fill_empty(&it);
        st = r->sink->item(r->sink, r->ctx, &it);
        r->n_items++;
    }
out:
    ctl_item_clear(&it);
    return st;
}

const char ctl_table_absent[] = "";

ctl_status ctl_table_records(ctl_table *t, const ctl_cell *names, size_t n, long line)
{
    int has_id;
    size_t filled, mapped;
    if (!known_fields(t->opts, names, n, &has_id, &filled, &mapped)) return no_id_key(t);
    t->records = 1;
    t->cells = names;
    t->n_cells = n;
    t->record_line = line;
    ctl_status st = keep_row(t, &t->head);
    if (st != CTL_OK) return st;
    t->head.score = t->head_score = ctl_table_header_score(t->opts, names, n);
    t->head_strong = 1;
    t->state = DECIDING;
    return read_header_words(t);
}

ctl_table *ctl_table_new(ctl_ctx *ctx, const ctl_options *opts, ctl_sink *sink, const char *file,
                         int strict_width)
{
    ctl_table *t = ctl_malloc(sizeof *t);
    if (!t) return NULL;
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    t->opts = opts;
    t->sink = sink;
    t->file = file;
    t->strict_width = strict_width;
    return t;
}

void ctl_table_free(ctl_table *t)
{
    if (!t) return;
    drop_header(t);
    free_kept(&t->head);
    for (size_t k = 0; k < t->n_kept; k++) free_kept(&t->kept[k]);
    ctl_free(t->kept);
    for (size_t k = 0; k < t->n_held; k++) free_held(&t->held[k]);
    ctl_free(t->held);
    ctl_free(t->wide);
    for (size_t i = 0; i < t->n_par; i++) ctl_free(t->par[i].last_title);
    ctl_meta_clear(&t->meta);
    ctl_buf_free(&t->note);
    ctl_free(t);
}

/* Is the row right below the header its second row: sub-headers under a
 * group header (CSA CCM's "Architectural Relevance" over "Phys",
 * "Network")?  Short words, no id; each one the header's word above
 * (a merge filled down), or under an empty header cell, or under a
 * group's first cell (the one after it empty); one under an empty cell
 * at least. */
static int is_sub_header(const ctl_table *t)
{
    char id[CTL_ID_MAX];
    int under_empty = 0;
    for (size_t c = 0; c < t->n_cells; c++) {
        ctl_cell v = cell_at(t, c), h = kept_cell(&t->head, c), next = kept_cell(&t->head, c + 1);
        ctl_trim(&v.s, &v.len);
        if (!v.len) continue;
        if (v.len > 48 || memchr(v.s, '\n', v.len) || ctl_parse_id(v.s, v.len, id)) return 0;
        if (h.len == v.len && !memcmp(h.s, v.s, v.len)) continue;
        ctl_cell below = cell_at(t, c + 1);
        ctl_trim(&below.s, &below.len);
        if (!h.len) under_empty = 1;
        else if (next.len || !below.len) return 0;
    }
    return under_empty;
}

/* Joins the row being read into the header row: each column named by its
 * sub-header where it has one. */
static ctl_status join_header(ctl_table *t)
{
    size_t n = t->n_cells > t->head.n ? t->n_cells : t->head.n;
    ctl_cell *joined = ctl_malloc(n * sizeof *joined);
    if (!joined) return ctl_nomem(t->ctx);
    for (size_t c = 0; c < n; c++) {
        ctl_cell v = cell_at(t, c);
        ctl_trim(&v.s, &v.len);
        joined[c] = v.len ? v : kept_cell(&t->head, c);
    }
    kept_row head;
    const ctl_cell *cells = t->cells;
    size_t n_cells = t->n_cells;
    long line = t->record_line;
    t->cells = joined;
    t->n_cells = n;
    t->record_line = t->head.line;
    ctl_status st = keep_row(t, &head);
    size_t score = ctl_table_header_score(t->opts, joined, n);
    int strong = strong_header(t->opts, joined, n);
    t->cells = cells;
    t->n_cells = n_cells;
    t->record_line = line;
    ctl_free(joined);
    if (st != CTL_OK) return st;
    free_kept(&t->head);
    t->head = head;
    if (score > t->head_score) t->head_score = score;
    t->head.score = t->head_score;
    t->head_strong |= strong;
    drop_header(t);
    return read_header_words(t);
}

/* A row while the header row is looked for (LOOKING) or the columns are
 * decided (DECIDING): k is the row kept already (moved from when kept
 * again) or NULL for the row in t->cells; score its header score.  Below
 * a header row, rows are kept, up to CTL_TABLE_DECIDE_ROWS of them; a row
 * that names more fields than a header row of fewer than three known words
 * is the header row, and what was above it title and note rows. */
static ctl_status before_reading(ctl_table *t, kept_row *k, size_t score)
{
    const ctl_cell *cells = t->cells;
    size_t n = t->n_cells;
    long line = t->record_line;
    if (k) look_at(t, k);
    ctl_status st = CTL_OK;
    if (t->state == LOOKING) {
        if (!score && !ctl_table_weak_header(t->cells, t->n_cells)) return take_preamble(t);
        if (k) {
            t->head = *k;
            memset(k, 0, sizeof *k);
        } else if ((st = keep_row(t, &t->head)) != CTL_OK) {
            return st;
        }
        t->head.score = t->head_score = score;
        t->head_strong = strong_header(t->opts, t->cells, t->n_cells);
        t->state = DECIDING;
        return read_header_words(t);
    }
    if (!t->n_kept && is_sub_header(t)) return join_header(t);
    if (!t->head_strong && score > t->head_score) {
        if ((st = not_the_header(t)) != CTL_OK) return st;
        if (k) {
            look_at(t, k);
        } else {
            t->cells = cells;
            t->n_cells = n;
            t->record_line = line;
        }
        return before_reading(t, k, score);
    }
    kept_row *grown = ctl_realloc(t->kept, (t->n_kept + 1) * sizeof *grown);
    if (!grown) return ctl_nomem(t->ctx);
    t->kept = grown;
    if (k) {
        t->kept[t->n_kept] = *k;
        memset(k, 0, sizeof *k);
    } else if ((st = keep_row(t, &t->kept[t->n_kept])) != CTL_OK) {
        return st;
    }
    t->kept[t->n_kept].score = score;
    if (++t->n_kept == CTL_TABLE_DECIDE_ROWS) return decide(t);
    return CTL_OK;
}

ctl_status ctl_table_row(ctl_table *t, const ctl_cell *cells, size_t n, long line)
{
    if (!n || ctl_cells_blank(cells, n)) return CTL_OK;
    t->cells = cells;
    t->n_cells = n;
    t->record_line = line;
    if (t->state == READING) return take_row(t);
    return before_reading(t, NULL, ctl_table_header_score(t->opts, cells, n));
}

/* One warning for the heading items made, with their counts. */
static ctl_status say_headings(ctl_table *t)
{
    size_t total = 0;
    for (size_t i = 0; i < t->n_par; i++) total += t->par[i].made;
    if (!t->headings || !total) return CTL_OK;
    ctl_buf b = {0};
    for (size_t i = 0; i < t->n_par; i++) {
        const parent_col *p = &t->par[i];
        if (!ctl_buf_printf(&b, "%s%zu from '%s'", i ? ", " : "", p->made, t->col_name[p->col]) ||
            (p->title != NO_COLUMN && !ctl_buf_printf(&b, " (titles '%s'%s)", t->col_name[p->title],
                                                      p->keep_title ? ", which differ under one parent: "
                                                      "also kept as a column" : ""))) {
            ctl_buf_free(&b);
            return ctl_nomem(t->ctx);
        }
    }
    ctl_status st = ctl_warn(t->ctx, CTL_D_HEADINGS_MADE, t->file, 0, "made %zu heading item(s) of the columns "
                             "that repeat each row's parents: %s; each is placed before its first row",
                             total, b.data);
    ctl_buf_free(&b);
    return st;
}

ctl_status ctl_table_finish(ctl_table *t)
{
    while (t->state == DECIDING) {
        ctl_status st = decide(t);
        if (st != CTL_OK) return st;
    }
    if (!t->have_header)
        return ctl_fail(t->ctx, CTL_D_NO_HEADER, t->file, 0,
                        "no header row: expected column names such as 項番, 管理策番号, No., id, "
                        "ref_id (the ids) with 対策項目, 名称, title, name, 対策内容, description...");
    ctl_status st = end_held(t);
    if (st != CTL_OK) return st;
    if (t->n_items == 0)
        return ctl_fail(t->ctx, CTL_D_NO_ROWS, t->file, 0, "no control rows below the header row");
    st = say_headings(t);
    if (st != CTL_OK) return st;
    ctl_meta m = ctl_meta_filled(&t->meta);
    return t->sink->end(t->sink, t->ctx, &m);
}
