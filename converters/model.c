/* SPDX-License-Identifier: BSD-2-Clause */
/* The common model: items, metadata, the in-memory list sink, equality. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

static char empty_string[] = "";

void ctl_item_init(ctl_item *it) { memset(it, 0, sizeof *it); }

static void free_str(char *s)
{
    if (s && s != empty_string) ctl_free(s);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free_str(v[i]);
    ctl_free(v);
}

static void free_refs(ctl_ref *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free_str(r[i].scheme);
        free_str(r[i].id);
    }
    ctl_free(r);
}

void ctl_item_clear(ctl_item *it)
{
    free_str(it->id);
    free_str(it->label);
    free_str(it->parent);
    free_str(it->category_text);
    free_refs(it->refs, it->n_refs);
    free_str(it->title);
    free_str(it->description);
    free_str(it->answer);
    for (size_t i = 0; i < it->n_extra; i++) {
        free_str(it->extra[i].name);
        free_str(it->extra[i].value);
    }
    ctl_free(it->extra);
    ctl_item_init(it);
}

void ctl_item_fill_empty(ctl_item *it)
{
    /* parent stays NULL: "not known" until the hierarchy is made */
    char **s[] = {&it->id, &it->label, &it->title, &it->description, &it->answer,
                  &it->category_text};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        if (!*s[i]) *s[i] = empty_string;
}

static int dup_into(char **dst, const char *src)
{
    if (!src || !*src) { *dst = empty_string; return 1; }
    *dst = ctl_strdup(src);
    return *dst != NULL;
}

static int dup_strv(char ***dst, size_t *dn, char *const *src, size_t n)
{
    *dst = NULL;
    *dn = 0;
    if (!n) return 1;
    char **v = ctl_malloc(n * sizeof *v);
    if (!v) return 0;
    for (size_t i = 0; i < n; i++) {
        if (!dup_into(&v[i], src[i])) {
            free_strv(v, i);
            return 0;
        }
    }
    *dst = v;
    *dn = n;
    return 1;
}

static int dup_refs(ctl_ref **dst, size_t *dn, const ctl_ref *src, size_t n)
{
    *dst = NULL;
    *dn = 0;
    if (!n) return 1;
    ctl_ref *v = ctl_malloc(n * sizeof *v);
    if (!v) return 0;
    for (size_t i = 0; i < n; i++) {
        v[i].id = NULL;
        if (!dup_into(&v[i].scheme, src[i].scheme) || !dup_into(&v[i].id, src[i].id)) {
            if (v[i].id == NULL && v[i].scheme) free_str(v[i].scheme);
            free_refs(v, i);
            return 0;
        }
    }
    *dst = v;
    *dn = n;
    return 1;
}

/* Room in an item's extra array: n rounded up to a power of two (at least
 * 4), so that adding extras one by one grows it geometrically (a realloc
 * by one each time is quadratic where realloc cannot grow in place). */
static size_t extra_room(size_t n)
{
    size_t c = 4;
    while (c < n) c *= 2;
    return n ? c : 0;
}

ctl_status ctl_item_copy(ctl_ctx *ctx, ctl_item *dst, const ctl_item *src)
{
    ctl_item_init(dst);
    dst->level = src->level;
    dst->category = src->category;
    dst->pos = src->pos;
    if (!dup_into(&dst->id, src->id) || !dup_into(&dst->label, src->label) ||
        !dup_into(&dst->title, src->title) || !dup_into(&dst->description, src->description) ||
        !dup_into(&dst->answer, src->answer) ||
        !dup_into(&dst->category_text, src->category_text) ||
        (src->parent && !dup_into(&dst->parent, src->parent)) ||
        !dup_refs(&dst->refs, &dst->n_refs, src->refs, src->n_refs))
        goto nomem;
    if (src->n_extra) {
        dst->extra = ctl_malloc(extra_room(src->n_extra) * sizeof *dst->extra);
        if (!dst->extra) goto nomem;
        for (size_t i = 0; i < src->n_extra; i++) {
            dst->extra[i].name = dst->extra[i].value = NULL;
            dst->n_extra = i + 1;
            if (!dup_into(&dst->extra[i].name, src->extra[i].name) ||
                !dup_into(&dst->extra[i].value, src->extra[i].value))
                goto nomem;
        }
    }
    return CTL_OK;
nomem:
    ctl_item_clear(dst);
    return ctl_nomem(ctx);
}

int ctl_item_add_extra(ctl_item *it, const char *name, const char *value, size_t vlen)
{
    ctl_field *f = it->extra;
    if (it->n_extra == extra_room(it->n_extra)) {
        f = ctl_realloc(it->extra, extra_room(it->n_extra + 1) * sizeof *f);
        if (!f) return 0;
        it->extra = f;
    }
    char *n = ctl_strdup(name), *v = ctl_strndup(value, vlen);
    if (!n || !v) {
        ctl_free(n);
        ctl_free(v);
        return 0;
    }
    f[it->n_extra].name = n;
    f[it->n_extra].value = v;
    it->n_extra++;
    return 1;
}

void ctl_meta_clear(ctl_meta *m)
{
    free_str(m->title);
    free_str(m->note);
    free_str(m->annex);
    free_str(m->ref_scheme);
    free_strv(m->columns, m->n_columns);
    free_strv(m->unplaced, m->n_unplaced);
    memset(m, 0, sizeof *m);
}

ctl_status ctl_meta_copy(ctl_ctx *ctx, ctl_meta *dst, const ctl_meta *src)
{
    memset(dst, 0, sizeof *dst);
    if (!dup_into(&dst->title, src->title) || !dup_into(&dst->note, src->note) ||
        !dup_into(&dst->annex, src->annex) || !dup_into(&dst->ref_scheme, src->ref_scheme) ||
        !dup_strv(&dst->columns, &dst->n_columns, src->columns, src->n_columns) ||
        !dup_strv(&dst->unplaced, &dst->n_unplaced, src->unplaced, src->n_unplaced)) {
        ctl_meta_clear(dst);
        return ctl_nomem(ctx);
    }
    return CTL_OK;
}

/* ---- the list sink ---- */

static ctl_status list_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    ctl_list *l = (ctl_list *)self;
    ctl_meta_clear(&l->meta);
    return ctl_meta_copy(ctx, &l->meta, meta);
}

static ctl_status list_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *item)
{
    ctl_list *l = (ctl_list *)self;
    if (l->n_items == l->cap_items) {
        size_t cap = l->cap_items ? l->cap_items * 2 : 64;
        ctl_item *v = ctl_realloc(l->items, cap * sizeof *v);
        if (!v) return ctl_nomem(ctx);
        l->items = v;
        l->cap_items = cap;
    }
    ctl_status st = ctl_item_copy(ctx, &l->items[l->n_items], item);
    if (st != CTL_OK) return st;
    /* the reader's file name may not outlive it: the list keeps its own */
    const char *file = item->pos.file;
    if (file) {
        if (!l->n_sources || strcmp(l->sources[l->n_sources - 1], file)) {
            char **v = ctl_realloc(l->sources, (l->n_sources + 1) * sizeof *v);
            char *copy = v ? ctl_strdup(file) : NULL;
            if (v) l->sources = v;
            if (!copy) {
                ctl_item_clear(&l->items[l->n_items]);
                return ctl_nomem(ctx);
            }
            l->sources[l->n_sources++] = copy;
        }
        l->items[l->n_items].pos.file = l->sources[l->n_sources - 1];
    }
    l->n_items++;
    return CTL_OK;
}

static ctl_status list_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    return list_begin(self, ctx, meta);
}

ctl_list *ctl_list_new(void)
{
    ctl_list *l = ctl_malloc(sizeof *l);
    if (!l) return NULL;
    memset(l, 0, sizeof *l);
    l->sink.begin = list_begin;
    l->sink.item = list_item;
    l->sink.end = list_end;
    l->sink.destroy = NULL;   /* freed with ctl_list_free */
    return l;
}

void ctl_list_free(ctl_list *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n_items; i++) ctl_item_clear(&l->items[i]);
    ctl_free(l->items);
    ctl_meta_clear(&l->meta);
    for (size_t i = 0; i < l->n_sources; i++) ctl_free(l->sources[i]);
    ctl_free(l->sources);
    ctl_free(l);
}

ctl_status ctl_list_replay(const ctl_list *l, ctl_ctx *ctx, ctl_sink *sink)
{
    ctl_status st = sink->begin(sink, ctx, &l->meta);
    for (size_t i = 0; st == CTL_OK && i < l->n_items; i++)
        st = sink->item(sink, ctx, &l->items[i]);
    if (st == CTL_OK) st = sink->end(sink, ctx, &l->meta);
    return st;
}

/* ---- equality ---- */

static int str_eq(const char *a, const char *b) { return strcmp(ctl_str(a), ctl_str(b)) == 0; }

static int strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (!str_eq(a[i], b[i])) return 0;
    return 1;
}

int ctl_list_equal(const ctl_list *a, const ctl_list *b, int compare_labels, char *why,
                   size_t why_size)
{
    char dummy[8];
    if (!why) { why = dummy; why_size = sizeof dummy; }
#define DIFF(...) do { snprintf(why, why_size, __VA_ARGS__); return 0; } while (0)
    if (!str_eq(a->meta.title, b->meta.title)) DIFF("document title differs");
    if (!str_eq(a->meta.note, b->meta.note)) DIFF("document note differs");
    if (!str_eq(a->meta.annex, b->meta.annex)) DIFF("annex heading differs");
    if (!strv_eq(a->meta.unplaced, a->meta.n_unplaced, b->meta.unplaced, b->meta.n_unplaced))
        DIFF("unplaced references differ");
    if (a->n_items != b->n_items) DIFF("item count %zu vs %zu", a->n_items, b->n_items);
    for (size_t i = 0; i < a->n_items; i++) {
        const ctl_item *x = &a->items[i], *y = &b->items[i];
        const char *id = ctl_str(x->id);
        if (!str_eq(x->id, y->id)) DIFF("item %zu: id %s vs %s", i + 1, id, ctl_str(y->id));
        if (x->level != y->level) DIFF("item %s: level %d vs %d", id, x->level, y->level);
        if (!str_eq(x->parent, y->parent))
            DIFF("item %s: parent '%s' vs '%s'", id, ctl_str(x->parent), ctl_str(y->parent));
        if (compare_labels && !str_eq(x->label, y->label))
            DIFF("item %s: label '%s' vs '%s'", id, ctl_str(x->label), ctl_str(y->label));
        if (x->n_refs != y->n_refs) DIFF("item %s: %zu references vs %zu", id, x->n_refs, y->n_refs);
        for (size_t k = 0; k < x->n_refs; k++)
            if (!str_eq(x->refs[k].scheme, y->refs[k].scheme) || !str_eq(x->refs[k].id, y->refs[k].id))
                DIFF("item %s: reference %zu '%s:%s' vs '%s:%s'", id, k + 1, ctl_str(x->refs[k].scheme),
                     ctl_str(x->refs[k].id), ctl_str(y->refs[k].scheme), ctl_str(y->refs[k].id));
        if (!str_eq(x->title, y->title)) DIFF("item %s: title differs", id);
        if (!str_eq(x->description, y->description)) DIFF("item %s: description differs", id);
        if (x->category != y->category) DIFF("item %s: category differs", id);
        if (strcmp(ctl_category_word(x), ctl_category_word(y)))
            DIFF("item %s: category word '%s' vs '%s'", id, ctl_category_word(x), ctl_category_word(y));
        if (!str_eq(x->answer, y->answer)) DIFF("item %s: answer differs", id);
        if (x->n_extra != y->n_extra) DIFF("item %s: extra column count differs", id);
        for (size_t k = 0; k < x->n_extra; k++)
            if (!str_eq(x->extra[k].name, y->extra[k].name) ||
                !str_eq(x->extra[k].value, y->extra[k].value))
                DIFF("item %s: extra column %zu differs", id, k + 1);
    }
#undef DIFF
    return 1;
}

ctl_meta ctl_meta_filled(const ctl_meta *m)
{
    ctl_meta v = *m;
    if (!v.title) v.title = empty_string;
    if (!v.note) v.note = empty_string;
    if (!v.annex) v.annex = empty_string;
    return v;
}

const char *ctl_category_word(const ctl_item *it)
{
    return it->category_text && *it->category_text ? it->category_text : ctl_category_ja(it->category);
}

int ctl_refs_join(ctl_buf *out, const ctl_item *it, const char *scheme)
{
    out->len = 0;
    if (!ctl_buf_adds(out, "")) return 0;
    scheme = ctl_str(scheme);
    for (size_t i = 0; i < it->n_refs; i++) {
        const ctl_ref *r = &it->refs[i];
        const char *sch = ctl_str(r->scheme);
        if (i && !ctl_buf_adds(out, "; ")) return 0;
        if (*sch && strcmp(sch, scheme) && (!ctl_buf_adds(out, sch) || !ctl_buf_addc(out, ':'))) return 0;
        if (!ctl_buf_adds(out, ctl_str(r->id))) return 0;
    }
    return 1;
}

int ctl_refs_read_back(const ctl_item *it, const char *joined, const char *scheme)
{
    const char *s = ctl_str(joined);
    size_t len = strlen(s);
    ctl_trim(&s, &len);
    if (!len || ctl_refs_none(s, len)) return it->n_refs == 0;
    ctl_ref *refs = NULL;
    size_t n = 0;
    int ok = ctl_parse_refs(s, len, ctl_str(scheme), &refs, &n);
    if (ok < 0) return -1;
    int same;
    if (!ok) {
        /* read back as one reference of no scheme, as written */
        same = it->n_refs == 1 && !*ctl_str(it->refs[0].scheme) && strlen(ctl_str(it->refs[0].id)) == len &&
               !memcmp(it->refs[0].id, s, len);
    } else {
        same = n == it->n_refs;
        for (size_t i = 0; i < n && same; i++)
            same = !strcmp(refs[i].scheme, ctl_str(it->refs[i].scheme)) && !strcmp(refs[i].id, ctl_str(it->refs[i].id));
    }
    for (size_t i = 0; i < n; i++) {
        ctl_free(refs[i].scheme);
        ctl_free(refs[i].id);
    }
    ctl_free(refs);
    return same;
}

int ctl_refs_watch(ctl_refs_watched *w, const ctl_item *it, const char *joined, const char *scheme)
{
    int same = ctl_refs_read_back(it, joined, scheme);
    if (same < 0) return 0;
    if (!same && !w->n++) snprintf(w->first, sizeof w->first, "%s", ctl_str(it->id));
    return 1;
}

ctl_status ctl_refs_watched_say(const ctl_refs_watched *w, ctl_ctx *ctx, const char *file, const char *fmt)
{
    if (!w->n) return CTL_OK;
    return ctl_warn(ctx, CTL_D_REFS_CHANGED, file, 0, "%zu item(s) with references that their %s cell will "
                    "not give back the same (the first: %s): free text beside other references, or a known "
                    "scheme's reference that is no identifier, reads back otherwise (JSON and XML keep them)",
                    w->n, fmt, w->first);
}

int ctl_item_add_ref(ctl_item *it, const char *scheme, const char *id, size_t idlen)
{
    ctl_ref *v = ctl_realloc(it->refs, (it->n_refs + 1) * sizeof *v);
    if (!v) return 0;
    it->refs = v;
    char *s = ctl_strdup(ctl_str(scheme)), *d = ctl_strndup(id, idlen);
    if (!s || !d) {
        ctl_free(s);
        ctl_free(d);
        return 0;
    }
    v[it->n_refs].scheme = s;
    v[it->n_refs].id = d;
    it->n_refs++;
    return 1;
}
