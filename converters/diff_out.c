/* SPDX-License-Identifier: BSD-2-Clause */
/* A list comparison as JSON (jansson) and as an XLSX review workbook
 * (libxlsxwriter rich strings for the changed words). */
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* "added", or "renumbered, changed": the kind bits' names joined by sep. */
static int kind_words(ctl_buf *b, unsigned kind, const char *sep)
{
    int first = 1;
    for (unsigned bit = 1; bit <= CTL_DIFF_CHANGED; bit <<= 1) {
        if (!(kind & bit)) continue;
        if (!first && !ctl_buf_adds(b, sep)) return 0;
        if (!ctl_buf_adds(b, ctl_diff_kind_name(bit))) return 0;
        first = 0;
    }
    return 1;
}

/* ---- JSON --------------------------------------------------------------- */

static int set_new(json_t *o, const char *key, json_t *v) { return v && !json_object_set_new(o, key, v); }

static json_t *field_json(const ctl_diff_field *f)
{
    json_t *o = json_object(), *d = json_array();
    int ok = o && d && set_new(o, "field", json_string(f->field)) && set_new(o, "old", json_string(f->old_text)) &&
             set_new(o, "new", json_string(f->new_text)) && set_new(o, "whole", json_boolean(f->whole));
    static const char *ops[] = {"=", "-", "+"};
    for (size_t s = 0; ok && s < f->n_spans; s++)
        ok = !json_array_append_new(d, json_pack("[ss]", ops[f->spans[s].op], f->spans[s].text));
    if (ok && set_new(o, "diff", d)) return o;
    if (!ok) json_decref(d);
    json_decref(o);
    return NULL;
}

static json_t *change_json(const ctl_diff_change *c)
{
    json_t *o = json_object(), *k = json_array(), *fs = json_array();
    int ok = o && k && fs;
    for (unsigned bit = 1; ok && bit <= CTL_DIFF_CHANGED; bit <<= 1)
        if (c->kind & bit) ok = !json_array_append_new(k, json_string(ctl_diff_kind_name(bit)));
    ok = ok && set_new(o, "kind", k);
    if (!ok) json_decref(k);
    const ctl_item *p = c->old_item, *q = c->new_item;
    if (ok && p) ok = set_new(o, "old_id", json_string(p->id)) && set_new(o, "old_parent", json_string(ctl_str(p->parent)));
    if (ok && q) ok = set_new(o, "new_id", json_string(q->id)) && set_new(o, "new_parent", json_string(ctl_str(q->parent)));
    if (ok) ok = set_new(o, "title", json_string(ctl_str(q ? q->title : p->title)));
    if (ok && (c->kind & CTL_DIFF_RENUMBERED)) ok = set_new(o, "similarity", json_integer(c->similarity));
    for (size_t i = 0; ok && i < c->n_fields; i++) ok = !json_array_append_new(fs, field_json(&c->fields[i]));
    if (ok && set_new(o, "fields", fs)) return o;
    json_decref(fs);
    json_decref(o);
    return NULL;
}

/* Appends "  KEY": VALUE (compact) to b; steals v. */
static int add_member(ctl_buf *b, const char *key, json_t *v, int last)
{
    char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    int ok = t && ctl_buf_printf(b, "  \"%s\": %s%s\n", key, t, last ? "" : ",");
    free(t);
    return ok;
}

static json_t *counts_json(const ctl_diff_result *res)
{
    json_t *o = json_object();
    for (unsigned b = 0; o && b < 5; b++)
        if (!set_new(o, ctl_diff_kind_name(1u << b), json_integer((json_int_t)res->counts[b]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

static json_t *not_compared_json(unsigned ignored)
{
    static const struct { unsigned bit; const char *name; } lost[] = {
        {CTL_LOSES_ANSWERS, "answer"}, {CTL_LOSES_CATEGORIES, "category"}, {CTL_LOSES_EXTRAS, "extra"},
        {CTL_LOSES_LABELS, "label"}, {CTL_LOSES_LINEBREAKS, "line breaks"}};
    json_t *a = json_array();
    for (size_t i = 0; a && i < sizeof lost / sizeof *lost; i++)
        if ((ignored & lost[i].bit) && json_array_append_new(a, json_string(lost[i].name))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The object written a member at a time, a change a line: one change's
 * tree at a time, however long the list. */
ctl_status ctl_diff_json(ctl_ctx *ctx, const ctl_diff_result *res, const char *old_name,
                         const char *new_name, char **text)
{
    *text = NULL;
    ctl_buf b = {0};
    int ok = ctl_buf_adds(&b, "{\n");
    if (ok && old_name) ok = add_member(&b, "old", json_string(old_name), 0);
    if (ok && new_name) ok = add_member(&b, "new", json_string(new_name), 0);
    if (ok) ok = add_member(&b, "equal", json_boolean(res->n_changes == 0), 0);
    if (ok) ok = add_member(&b, "counts", counts_json(res), 0);
    if (ok) ok = add_member(&b, "renumber_limited", json_boolean(res->renumber_limited), 0);
    if (ok) ok = add_member(&b, "not_compared", not_compared_json(res->ignored), 0);
    if (ok) ok = ctl_buf_adds(&b, res->n_changes ? "  \"changes\": [\n" : "  \"changes\": [");
    for (size_t i = 0; ok && i < res->n_changes; i++) {
        json_t *c = change_json(&res->changes[i]);
        char *t = c ? json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(c);
        ok = t && ctl_buf_printf(&b, "    %s%s\n", t, i + 1 < res->n_changes ? "," : "");
        free(t);
    }
    if (ok) ok = ctl_buf_adds(&b, res->n_changes ? "  ]\n}\n" : "]\n}\n");
    char *s = ok ? ctl_buf_take(&b) : NULL;
    ctl_buf_free(&b);
    if (!s) return ctl_nomem(ctx);
    *text = s;
    return CTL_OK;
}

/* ---- XLSX --------------------------------------------------------------- */

enum { CELL_BYTES = 32000 };   /* under Excel's 32,767 characters in any script */

typedef struct {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *del, *ins, *name, *wrap;
    lxw_rich_string_tuple *frags;
    size_t n, cap, bytes;
    int oom;
} book_t;

static void frag(book_t *b, lxw_format *f, const char *s)
{
    if (!*s || b->oom) return;
    if (b->n + 1 >= b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 32;
        lxw_rich_string_tuple *nf = ctl_realloc(b->frags, nc * sizeof *nf);
        if (!nf) {
            b->oom = 1;
            return;
        }
        b->frags = nf;
        b->cap = nc;
    }
    b->frags[b->n++] = (lxw_rich_string_tuple){f, (char *)s};
    b->bytes += strlen(s);
}

/* The fragments of a change's difference: per field, its name, then its
 * runs; an added or removed item's title and description whole. */
static void change_frags(book_t *b, const ctl_diff_change *c)
{
    b->n = b->bytes = 0;
    const ctl_item *it = c->new_item ? c->new_item : c->old_item;
    if (c->kind & (CTL_DIFF_ADDED | CTL_DIFF_REMOVED)) {
        lxw_format *f = c->kind & CTL_DIFF_ADDED ? b->ins : b->del;
        frag(b, f, ctl_str(it->title));
        if (*ctl_str(it->title) && *ctl_str(it->description)) frag(b, NULL, "\n");
        frag(b, f, ctl_str(it->description));
        return;
    }
    for (size_t i = 0; i < c->n_fields; i++) {
        const ctl_diff_field *fd = &c->fields[i];
        if (i) frag(b, NULL, "\n");
        frag(b, b->name, fd->field);
        frag(b, b->name, ": ");
        for (size_t s = 0; s < fd->n_spans; s++)
            frag(b, fd->spans[s].op == CTL_SPAN_DELETED ? b->del : fd->spans[s].op == CTL_SPAN_INSERTED ? b->ins : NULL,
                 fd->spans[s].text);
    }
}

/* Writes the difference cell: rich when it fits, else plain and cut. */
static lxw_error diff_cell(book_t *b, lxw_row_t row, lxw_col_t col, const ctl_diff_change *c)
{
    change_frags(b, c);
    if (b->oom) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!b->n) return LXW_NO_ERROR;
    if (b->n == 1 && b->frags[0].format == NULL) return worksheet_write_string(b->ws, row, col, b->frags[0].string, b->wrap);
    if (b->n >= 2 && b->bytes <= CELL_BYTES) {
        lxw_rich_string_tuple **p = ctl_malloc((b->n + 1) * sizeof *p);
        if (!p) return LXW_ERROR_MEMORY_MALLOC_FAILED;
        for (size_t i = 0; i < b->n; i++) p[i] = &b->frags[i];
        p[b->n] = NULL;
        lxw_error e = worksheet_write_rich_string(b->ws, row, col, p, b->wrap);
        ctl_free(p);
        return e;
    }
    ctl_buf t = {0};
    for (size_t i = 0; i < b->n && t.len < CELL_BYTES; i++)
        if (!ctl_buf_adds(&t, b->frags[i].string)) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    size_t keep = ctl_utf8_clip(t.data, t.len, CELL_BYTES);
    t.len = keep;
    t.data[keep] = '\0';
    lxw_error e = ctl_buf_adds(&t, " … (cut: the JSON output has it all)")
                      ? worksheet_write_string(b->ws, row, col, t.data, b->wrap)
                      : LXW_ERROR_MEMORY_MALLOC_FAILED;
    ctl_buf_free(&t);
    return e;
}

static lxw_error change_row(book_t *b, lxw_row_t row, const ctl_diff_change *c)
{
    ctl_buf k = {0}, f = {0};
    const ctl_item *it = c->new_item ? c->new_item : c->old_item;
    lxw_error e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!kind_words(&k, c->kind, ", ") || !ctl_buf_adds(&f, "")) goto out;
    for (size_t i = 0; i < c->n_fields; i++)
        if ((i && !ctl_buf_adds(&f, ", ")) || !ctl_buf_adds(&f, c->fields[i].field)) goto out;
    if ((c->kind & CTL_DIFF_MOVED) && c->old_item && c->new_item &&
        strcmp(ctl_str(c->old_item->parent), ctl_str(c->new_item->parent)) &&
        !ctl_buf_printf(&f, "%sparent %s -> %s", f.len ? ", " : "", ctl_str(c->old_item->parent),
                        ctl_str(c->new_item->parent)))
        goto out;
    e = worksheet_write_string(b->ws, row, 0, k.data, NULL);
    if (!e) e = worksheet_write_string(b->ws, row, 1, c->old_item ? c->old_item->id : "", NULL);
    if (!e) e = worksheet_write_string(b->ws, row, 2, c->new_item ? c->new_item->id : "", NULL);
    if (!e) e = worksheet_write_string(b->ws, row, 3, ctl_str(it->title), b->wrap);
    if (!e) e = worksheet_write_string(b->ws, row, 4, f.data, b->wrap);
    if (!e && (c->kind & CTL_DIFF_RENUMBERED)) e = worksheet_write_number(b->ws, row, 5, c->similarity, NULL);
    if (!e) e = diff_cell(b, row, 6, c);
out:
    ctl_buf_free(&k);
    ctl_buf_free(&f);
    return e;
}

static lxw_error book_fill(book_t *b, const ctl_diff_result *res, const char *old_name, const char *new_name)
{
    static const char *heads[] = {"Change", "Old id", "New id", "Title", "Fields", "Similarity %", "Difference"};
    static const double widths[] = {20, 14, 14, 30, 18, 12, 90};
    ctl_buf t = {0};
    lxw_error e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!ctl_buf_printf(&t, "%s -> %s: %zu changes", old_name, new_name, res->n_changes)) return e;
    e = worksheet_write_string(b->ws, 0, 0, t.data, NULL);
    ctl_buf_free(&t);
    for (lxw_col_t c = 0; !e && c < 7; c++) {
        e = worksheet_write_string(b->ws, 1, c, heads[c], b->head);
        if (!e) e = worksheet_set_column(b->ws, c, c, widths[c], NULL);
    }
    if (!e) worksheet_freeze_panes(b->ws, 2, 0);
    if (!e && res->n_changes) e = worksheet_autofilter(b->ws, 1, 0, (lxw_row_t)res->n_changes + 1, 6);
    for (size_t i = 0; !e && i < res->n_changes; i++) e = change_row(b, (lxw_row_t)(i + 2), &res->changes[i]);
    return e;
}

static void book_formats(book_t *b)
{
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    b->del = workbook_add_format(b->wb);
    format_set_font_color(b->del, 0xC00000);
    format_set_font_strikeout(b->del);
    b->ins = workbook_add_format(b->wb);
    format_set_font_color(b->ins, 0x008000);
    format_set_bold(b->ins);
    b->name = workbook_add_format(b->wb);
    format_set_italic(b->name);
    b->wrap = workbook_add_format(b->wb);
    format_set_text_wrap(b->wrap);
    format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
}

ctl_status ctl_diff_xlsx(ctl_ctx *ctx, const ctl_diff_result *res, const char *old_name,
                         const char *new_name, const char *path)
{
    ctl_buf tmp = {0};
    if (!path || !*path) return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "ctl_diff_xlsx: no path");
    if (!ctl_buf_printf(&tmp, "%s.tmp-XXXXXX", path)) return ctl_nomem(ctx);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        ctl_status st = ctl_fail(ctx, CTL_D_IO_ERROR, path, 0, "cannot create a file beside it: %s", strerror(errno));
        ctl_buf_free(&tmp);
        return st;
    }
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um)) { /* keep mkstemp's 0600 */ }
    close(fd);
    book_t b = {0};
    b.wb = workbook_new(tmp.data);
    b.ws = b.wb ? workbook_add_worksheet(b.wb, "Changes") : NULL;
    lxw_error e = b.ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!e) {
        book_formats(&b);
        e = book_fill(&b, res, ctl_str(old_name), ctl_str(new_name));
    }
    lxw_error ce = b.wb ? workbook_close(b.wb) : LXW_NO_ERROR;
    ctl_free(b.frags);
    ctl_status st = CTL_OK;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED) st = ctl_nomem(ctx);
    else if (e || ce) st = ctl_fail(ctx, CTL_D_IO_ERROR, path, 0, "cannot write the workbook: %s", lxw_strerror(e ? e : ce));
    else if (rename(tmp.data, path))
        st = ctl_fail(ctx, CTL_D_IO_ERROR, path, 0, "cannot put the workbook in place: %s", strerror(errno));
    if (st != CTL_OK) unlink(tmp.data);
    ctl_buf_free(&tmp);
    return st;
}
