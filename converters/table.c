/* Reading tables (CSV, TSV, worksheets) into the model: the header row is
 * found by its words below any title rows, in any column order; rows above
 * it become the title, note and annex heading; unknown columns are extra
 * columns; text cells are kept exactly; identifiers are normalised. */
#include "services.h"

#include <stdio.h>
#include <stdlib.h>




struct ctl_table {
    ctl_ctx *ctx;
    const ctl_options *opts;
    ctl_sink *sink;
    const char *file;
    int strict_width;
    /* the row being read */
    const ctl_cell *cells;
    size_t n_cells;
    long record_line;
    /* header */
    int have_header;
    size_t n_cols;
    ctl_role *role;
    const char **scheme;     /* each column's reference scheme */
    size_t id_col;           /* the column of the item number */
    char **col_name;         /* trimmed header words (NULL for empty ones) */
    ctl_meta meta;
    ctl_buf note;
    size_t n_preamble;
    size_t n_items;
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

/* Is this record the header row: the item number and at least three known
 * words, or every header the caller mapped? */
int ctl_table_is_header(const ctl_options *opts, const ctl_cell *cells, size_t n)
{
    size_t known = 0, mapped = 0;
    int has_id = 0;
    for (size_t i = 0; i < n; i++) {
        ctl_role role = ctl_header_role_opts(cells[i].s, cells[i].len, opts);
        if (role != CTL_ROLE_EXTRA) known++;
        if (role == CTL_ROLE_ID) has_id = 1;
        mapped += ctl_header_is_mapped(cells[i].s, cells[i].len, opts);
    }
    return has_id && (known >= 3 || (opts && opts->n_columns && mapped >= opts->n_columns));
}

static ctl_status take_header(ctl_table *r)
{
    size_t n = r->n_cells;
    r->role = ctl_malloc(n * sizeof *r->role);
    r->scheme = ctl_malloc(n * sizeof *r->scheme);
    if (!r->scheme) return ctl_nomem(r->ctx);
    r->col_name = ctl_malloc(n * sizeof *r->col_name);
    r->meta.columns = ctl_malloc(n * sizeof *r->meta.columns);
    if (!r->role || !r->col_name || !r->meta.columns) return ctl_nomem(r->ctx);
    memset(r->col_name, 0, n * sizeof *r->col_name);
    r->n_cols = n;
    int seen[CTL_ROLE_COUNT] = {0};
    for (size_t i = 0; i < r->n_cols; i++) {
        const char *s = r->cells[i].s;
        size_t len = r->cells[i].len;
        ctl_trim(&s, &len);
        ctl_role role = ctl_header_role_opts(s, len, r->opts);
        if (role != CTL_ROLE_EXTRA && seen[role]) {
            ctl_status st = ctl_warn(r->ctx, CTL_D_DUPLICATE_COLUMN, r->file, r->record_line,
                                     "a second '%.*s' column: kept as an extra column", (int)len, s);
            if (st != CTL_OK) return st;
            role = CTL_ROLE_EXTRA;
        }
        seen[role] = 1;
        r->role[i] = role;
        r->scheme[i] = role == CTL_ROLE_ISMS ? ctl_column_scheme(s, len, r->opts) : NULL;
        if (role == CTL_ROLE_ISMS && !r->meta.ref_scheme &&
            !(r->meta.ref_scheme = ctl_strdup(r->scheme[i])))
            return ctl_nomem(r->ctx);
        if (role == CTL_ROLE_ID) r->id_col = i;
        if (len) {
            if (!(r->col_name[i] = ctl_strndup(s, len))) return ctl_nomem(r->ctx);
            if (!(r->meta.columns[r->meta.n_columns] = ctl_strndup(s, len))) return ctl_nomem(r->ctx);
            r->meta.n_columns++;
        }
    }
    r->have_header = 1;
    ctl_status st = ctl_check_column_maps(r->ctx, r->opts, r->file, r->record_line,
                                          (const char *const *)r->meta.columns, r->meta.n_columns);
    if (st != CTL_OK) return st;
    if (r->note.len && !(r->meta.note = ctl_buf_take(&r->note))) return ctl_nomem(r->ctx);
    ctl_meta m = ctl_meta_filled(&r->meta);
    return r->sink->begin(r->sink, r->ctx, &m);
}

/* A row above the header: the title, then note lines, an annex heading. */
static ctl_status take_preamble(ctl_table *r)
{
    if (++r->n_preamble > CTL_TABLE_HEADER_ROWS)
        return ctl_fail(r->ctx, CTL_D_NO_HEADER, r->file, 0,
                        "no header row in the first %d rows: expected column names such as "
                        "項番, 対策項目, 対策内容, 区分, 公開回答 (or id, title, description, "
                        "category, answer)",
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
    return c < r->n_cells ? r->cells[c] : (ctl_cell){"", 0};
}

static ctl_status take_row(ctl_table *r)
{
    long line = r->record_line;
    if (r->n_cells < r->n_cols && r->strict_width)
        return ctl_fail(r->ctx, CTL_D_RAGGED_ROW, r->file, line,
                        "ragged row: %zu fields where the header has %zu", r->n_cells, r->n_cols);
    for (size_t i = r->n_cols; i < r->n_cells; i++)
        if (r->cells[i].len)
            return ctl_fail(r->ctx, CTL_D_RAGGED_ROW, r->file, line,
                            "ragged row: %zu fields where the header has %zu (field %zu holds "
                            "text)", r->n_cells, r->n_cols, i + 1);
    /* the item number */
    size_t id_col = r->id_col;
    ctl_cell idc = cell_at(r, id_col);
    const char *ids = idc.s;
    size_t idn = idc.len;
    ctl_trim(&ids, &idn);
    ctl_number num;
    memset(&num, 0, sizeof num);
    if (idn && !ctl_parse_id(ids, idn, num.id)) {
        size_t shown = ctl_utf8_clip(ids, idn, 40);
        if (r->opts && r->opts->skip_bad_rows)
            return ctl_warn(r->ctx, CTL_D_ROW_SKIPPED, r->file, line, "row skipped: '%.*s' in column %zu is no "
                            "identifier", (int)shown, ids, id_col + 1);
        return ctl_fail(r->ctx, CTL_D_BAD_ROW, r->file, line, "a row that cannot be read: '%.*s' in column %zu "
                        "(the ids) is no identifier such as II.1.1.1, 3.1.1, AC-2(1) or A.5.1", (int)shown, ids,
                        id_col + 1);
    }
    /* a row without an id is kept: the hierarchy gives it one */

    ctl_item it;
    ctl_item_init(&it);
    ctl_status st = CTL_OK;
    it.pos.file = r->file;
    it.pos.line = line;
    if ((st = set_owned(r, &it.id, num.id, strlen(num.id))) != CTL_OK) goto out;
    ctl_number mic;
    if (idn && (strcmp(num.id, ids) != 0 || idn != strlen(num.id))) {
        if ((st = set_owned(r, &it.label, ids, idn)) != CTL_OK) goto out;
    } else if (idn && ctl_parse_number_exact(num.id, strlen(num.id), &mic)) {
        char label[96];
        ctl_number_label(mic.id, mic.level, label, sizeof label);
        if ((st = set_owned(r, &it.label, label, strlen(label))) != CTL_OK) goto out;
    } else if ((st = set_owned(r, &it.label, num.id, strlen(num.id))) != CTL_OK) {
        goto out;
    }
    for (size_t c = 0; c < r->n_cols && st == CTL_OK; c++) {
        ctl_cell cc = cell_at(r, c);
        const char *v = cc.s;
        size_t n = cc.len;
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
    for (size_t i = 0; t->col_name && i < t->n_cols; i++) ctl_free(t->col_name[i]);
    ctl_free(t->col_name);
    ctl_free(t->role);
    ctl_free(t->scheme);
    ctl_meta_clear(&t->meta);
    ctl_buf_free(&t->note);
    ctl_free(t);
}

ctl_status ctl_table_row(ctl_table *t, const ctl_cell *cells, size_t n, long line)
{
    if (!n || ctl_cells_blank(cells, n)) return CTL_OK;
    t->cells = cells;
    t->n_cells = n;
    t->record_line = line;
    if (t->have_header) return take_row(t);
    if (ctl_table_is_header(t->opts, cells, n)) return take_header(t);
    return take_preamble(t);
}

ctl_status ctl_table_finish(ctl_table *t)
{
    if (!t->have_header)
        return ctl_fail(t->ctx, CTL_D_NO_HEADER, t->file, 0,
                        "no header row: expected column names such as 項番, 対策項目, 対策内容, "
                        "区分, 公開回答 (or id, title, description, category, answer)");
    if (t->n_items == 0)
        return ctl_fail(t->ctx, CTL_D_NO_ROWS, t->file, 0, "no control rows below the header row");
    ctl_meta m = ctl_meta_filled(&t->meta);
    return t->sink->end(t->sink, t->ctx, &m);
}
