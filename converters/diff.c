/* SPDX-License-Identifier: BSD-2-Clause */
/* Comparing two lists: matching items by id, then renumbered ones by title
 * and text; the fields that changed, with a word-level text difference. */
#include "internal.h"
#include "grc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- tokens and the text difference ------------------------------------ */

typedef struct {
    const char *s;
    size_t len;
} tok;

/* A letter or digit of an alphabetic script (joined into words); CJK and
 * the rest are tokens of one character each. */
static int word_char(uint32_t cp)
{
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || cp == '_';
    if (cp >= 0x2E80) return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_MN ||
           c == UTF8PROC_CATEGORY_ND;
}

static int space_char(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000; }

/* 0 word, 1 space, 2 other */
static int class_of(uint32_t cp) { return word_char(cp) ? 0 : space_char(cp) ? 1 : 2; }

/* Splits s into tokens; NULL (and *n 0) for an empty text or no memory
 * (*oom set). */
static tok *tokenize(const char *s, size_t *n, int *oom)
{
    size_t len = strlen(s), cap = 0;
    tok *t = NULL;
    *n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ctl_utf8_decode(s + i, len - i, &cp), j = i + k;
        int cls = class_of(cp);
        if (cls != 2)
            while (j < len) {
                uint32_t c2;
                size_t k2 = ctl_utf8_decode(s + j, len - j, &c2);
                if (class_of(c2) != cls) break;
                j += k2;
            }
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            tok *nt = ctl_realloc(t, nc * sizeof *t);
            if (!nt) {
                ctl_free(t);
                *oom = 1;
                *n = 0;
                return NULL;
            }
            t = nt;
            cap = nc;
        }
        t[(*n)++] = (tok){s + i, j - i};
        i = j;
    }
    return t;
}

static int tok_eq(tok a, tok b) { return a.len == b.len && !memcmp(a.s, b.s, a.len); }

typedef struct {
    ctl_diff_span *v;
    size_t n, cap;
    int oom;
} spans_t;

/* Appends text to the run list, joining it to the last run of the same op. */
static void span_add(spans_t *sp, ctl_span_op op, const char *s, size_t len)
{
    if (!len || sp->oom) return;
    if (sp->n && sp->v[sp->n - 1].op == op) {
        ctl_diff_span *last = &sp->v[sp->n - 1];
        size_t old = strlen(last->text);
        char *t = ctl_realloc(last->text, old + len + 1);
        if (!t) {
            sp->oom = 1;
            return;
        }
        memcpy(t + old, s, len);
        t[old + len] = '\0';
        last->text = t;
        return;
    }
    if (sp->n == sp->cap) {
        size_t nc = sp->cap ? sp->cap * 2 : 8;
        ctl_diff_span *nv = ctl_realloc(sp->v, nc * sizeof *nv);
        if (!nv) {
            sp->oom = 1;
            return;
        }
        sp->v = nv;
        sp->cap = nc;
    }
    char *t = ctl_strndup(s, len);
    if (!t) {
        sp->oom = 1;
        return;
    }
    sp->v[sp->n++] = (ctl_diff_span){op, t};
}

/* Adds tokens a[i..j) as one op. */
static void span_toks(spans_t *sp, ctl_span_op op, const tok *a, size_t i, size_t j)
{
    if (i < j) span_add(sp, op, a[i].s, (size_t)(a[j - 1].s + a[j - 1].len - a[i].s));
}

/* The middle a[0..n) against b[0..m): longest common subsequence on a
 * table of lengths (n*m cells, bounded by the caller); changes between
 * kept tokens are grouped, deletions first. */
static int lcs_middle(spans_t *sp, const tok *a, size_t n, const tok *b, size_t m)
{
    size_t w = m + 1;
    uint16_t *L = ctl_malloc((n + 1) * w * sizeof *L);
    if (!L) return 0;
    for (size_t j = 0; j <= m; j++) L[n * w + j] = 0;
    for (size_t i = n; i-- > 0;) {
        L[i * w + m] = 0;
        for (size_t j = m; j-- > 0;)
            L[i * w + j] = tok_eq(a[i], b[j]) ? (uint16_t)(L[(i + 1) * w + j + 1] + 1)
                           : L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                     : L[i * w + j + 1];
    }
    size_t i = 0, j = 0, di = 0, dj = 0, ii = 0, ij = 0;  /* pending deletions a[di..], insertions b[ij..] */
    int pend_d = 0, pend_i = 0;
    while (i < n || j < m) {
        if (i < n && j < m && tok_eq(a[i], b[j])) {
            if (pend_d) span_toks(sp, CTL_SPAN_DELETED, a, di, ii);
            if (pend_i) span_toks(sp, CTL_SPAN_INSERTED, b, ij, dj);
            pend_d = pend_i = 0;
            span_toks(sp, CTL_SPAN_SAME, a, i, i + 1);
            i++, j++;
        } else if (j >= m || (i < n && L[(i + 1) * w + j] >= L[i * w + j + 1])) {
            if (!pend_d) di = i, pend_d = 1;
            ii = ++i;
        } else {
            if (!pend_i) ij = j, pend_i = 1;
            dj = ++j;
        }
    }
    if (pend_d) span_toks(sp, CTL_SPAN_DELETED, a, di, ii);
    if (pend_i) span_toks(sp, CTL_SPAN_INSERTED, b, ij, dj);
    ctl_free(L);
    return 1;
}

void ctl_diff_spans_free(ctl_diff_span *spans, size_t n)
{
    for (size_t i = 0; spans && i < n; i++) ctl_free(spans[i].text);
    ctl_free(spans);
}

/* ctl_diff_text() drawing its table on *budget (cells left for the whole
 * comparison): a middle larger than what is left is replaced whole. */
static ctl_status diff_text_within(ctl_ctx *ctx, const char *old_text, const char *new_text,
                                   ctl_diff_span **spans, size_t *n_spans, int *whole, size_t *budget)
{
    int oom = 0, big = 0;
    size_t n = 0, m = 0;
    *spans = NULL;
    *n_spans = 0;
    if (whole) *whole = 0;
    tok *a = tokenize(ctl_str(old_text), &n, &oom);
    tok *b = oom ? NULL : tokenize(ctl_str(new_text), &m, &oom);
    spans_t sp = {0};
    if (!oom) {
        size_t p = 0, s = 0;
        while (p < n && p < m && tok_eq(a[p], b[p])) p++;
        while (s < n - p && s < m - p && tok_eq(a[n - 1 - s], b[m - 1 - s])) s++;
        span_toks(&sp, CTL_SPAN_SAME, a, 0, p);
        size_t mn = n - p - s, mm = m - p - s;
        big = mn > 65534 || mm > 65534 || (mn && mm && (mn * mm > CTL_DIFF_TOKENS_MAX || mn * mm > *budget));
        if (!big) *budget -= mn * mm;
        if (big || !mn || !mm) {
            span_toks(&sp, CTL_SPAN_DELETED, a, p, n - s);
            span_toks(&sp, CTL_SPAN_INSERTED, b, p, m - s);
        } else if (!lcs_middle(&sp, a + p, mn, b + p, mm))
            sp.oom = 1;
        span_toks(&sp, CTL_SPAN_SAME, a, n - s, n);
        oom = sp.oom;
    }
    ctl_free(a);
    ctl_free(b);
    if (oom) {
        ctl_diff_spans_free(sp.v, sp.n);
        return ctl_nomem(ctx);
    }
    *spans = sp.v;
    *n_spans = sp.n;
    if (whole) *whole = big;
    return CTL_OK;
}

ctl_status ctl_diff_text(ctl_ctx *ctx, const char *old_text, const char *new_text,
                         ctl_diff_span **spans, size_t *n_spans, int *whole)
{
    size_t budget = CTL_DIFF_TOKENS_MAX;
    return diff_text_within(ctx, old_text, new_text, spans, n_spans, whole, &budget);
}

/* ---- matching ----------------------------------------------------------- */

typedef struct {
    const ctl_list *a, *b;
    size_t *a2b, *b2a;   /* index in the other list, NONE when unmatched */
    int *sim;            /* per old item: similarity of a renumbering */
} match_t;

#define NONE ((size_t)-1)
#define CTL_DIFF_IGNORABLE \
    (CTL_LOSES_ANSWERS | CTL_LOSES_CATEGORIES | CTL_LOSES_EXTRAS | CTL_LOSES_LABELS | CTL_LOSES_LINEBREAKS | \
     CTL_LOSES_REFS)

static const ctl_list *sort_list;
static int by_id(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = strcmp(sort_list->items[i].id, sort_list->items[j].id);
    return c ? c : (i > j) - (i < j);
}

/* Items with the same id, in order: the first unmatched old one. */
static int match_ids(match_t *mt)
{
    size_t na = mt->a->n_items;
    size_t *ix = ctl_malloc(na * sizeof *ix);
    if (!ix) return 0;
    for (size_t i = 0; i < na; i++) ix[i] = i;
    sort_list = mt->a;
    qsort(ix, na, sizeof *ix, by_id);
    for (size_t j = 0; j < mt->b->n_items; j++) {
        const char *id = mt->b->items[j].id;
        size_t lo = 0, hi = na;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(mt->a->items[ix[mid]].id, id) < 0) lo = mid + 1;
            else hi = mid;
        }
        for (; lo < na && !strcmp(mt->a->items[ix[lo]].id, id); lo++)
            if (mt->a2b[ix[lo]] == NONE) {
                mt->a2b[ix[lo]] = j;
                mt->b2a[j] = ix[lo];
                break;
            }
    }
    ctl_free(ix);
    return 1;
}

/* Character pairs of an item's title and description, sorted: a bag for
 * the Dice coefficient. */
typedef struct {
    uint64_t *v;
    size_t n;
} bag_t;

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Appends the character pairs of s to bag (room made by the caller). */
static void bag_add(bag_t *bag, const char *s)
{
    size_t len = strlen(s);
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += ctl_utf8_decode(s + i, len - i, &cp);
        if (space_char(cp)) continue;
        if (prev) bag->v[bag->n++] = ((uint64_t)prev << 32) | cp;
        prev = cp;
    }
}

/* The bag of an item's title, description, answer and extra fields. */
static int bag_of(const ctl_item *it, bag_t *bag)
{
    size_t cap = strlen(ctl_str(it->title)) + strlen(ctl_str(it->description)) + strlen(ctl_str(it->answer)) + 1;
    for (size_t k = 0; k < it->n_extra; k++) cap += strlen(ctl_str(it->extra[k].value));
    bag->v = ctl_malloc(cap * sizeof *bag->v);
    bag->n = 0;
    if (!bag->v) return 0;
    bag_add(bag, ctl_str(it->title));
    bag_add(bag, ctl_str(it->description));
    bag_add(bag, ctl_str(it->answer));
    for (size_t k = 0; k < it->n_extra; k++) bag_add(bag, ctl_str(it->extra[k].value));
    qsort(bag->v, bag->n, sizeof *bag->v, cmp_u64);
    return 1;
}

/* 200 * common / (|a| + |b|), in percent. */
static int dice(const bag_t *a, const bag_t *b)
{
    if (!a->n || !b->n) return 0;
    size_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] == b->v[j]) common++, i++, j++;
        else if (a->v[i] < b->v[j]) i++;
        else j++;
    }
    return (int)(200 * common / (a->n + b->n));
}

typedef struct {
    size_t i, j;
    int score;
} pair_t;

static int by_score(const void *x, const void *y)
{
    const pair_t *p = x, *q = y;
    if (p->score != q->score) return q->score - p->score;
    if (p->j != q->j) return (p->j > q->j) - (p->j < q->j);
    return (p->i > q->i) - (p->i < q->i);
}

static int has_text(const ctl_item *it) { return *ctl_str(it->title) || *ctl_str(it->description); }

enum { SIMILAR_MIN = 70 };

/* Renumbered items: unmatched pairs with equal title and description, then
 * the most alike first (within the pair budget). */
static int match_renumbered(match_t *mt, int *limited)
{
    size_t *ua = NULL, *ub = NULL, nua = 0, nub = 0;
    int ok = 0;
    ua = ctl_malloc((mt->a->n_items + 1) * sizeof *ua);
    ub = ctl_malloc((mt->b->n_items + 1) * sizeof *ub);
    if (!ua || !ub) goto out;
    for (size_t i = 0; i < mt->a->n_items; i++)
        if (mt->a2b[i] == NONE && has_text(&mt->a->items[i])) ua[nua++] = i;
    for (size_t j = 0; j < mt->b->n_items; j++)
        if (mt->b2a[j] == NONE && has_text(&mt->b->items[j])) ub[nub++] = j;
    if (!nua || !nub) {
        ok = 1;
        goto out;
    }
    /* equal title and description: in order */
    for (size_t y = 0; y < nub; y++)
        for (size_t x = 0; x < nua; x++) {
            const ctl_item *p = &mt->a->items[ua[x]], *q = &mt->b->items[ub[y]];
            if (mt->a2b[ua[x]] != NONE || strcmp(ctl_str(p->title), ctl_str(q->title)) ||
                strcmp(ctl_str(p->description), ctl_str(q->description)))
                continue;
            mt->a2b[ua[x]] = ub[y];
            mt->b2a[ub[y]] = ua[x];
            mt->sim[ua[x]] = 100;
            break;
        }
    if (nua * nub > CTL_DIFF_PAIRS_MAX) {
        *limited = 1;
        ok = 1;
        goto out;
    }
    ok = 1;
    bag_t *ba = ctl_malloc(nua * sizeof *ba), *bb = ctl_malloc(nub * sizeof *bb);
    pair_t *pairs = ctl_malloc(nua * nub * sizeof *pairs);
    size_t np = 0, na_done = 0, nb_done = 0;
    if (!ba || !bb || !pairs) ok = 0;
    for (; ok && na_done < nua; na_done++) ok = bag_of(&mt->a->items[ua[na_done]], &ba[na_done]);
    for (; ok && nb_done < nub; nb_done++) ok = bag_of(&mt->b->items[ub[nb_done]], &bb[nb_done]);
    for (size_t x = 0; ok && x < nua; x++)
        for (size_t y = 0; y < nub; y++) {
            if (mt->a2b[ua[x]] != NONE || mt->b2a[ub[y]] != NONE) continue;
            int d = dice(&ba[x], &bb[y]);
            if (d >= SIMILAR_MIN) pairs[np++] = (pair_t){ua[x], ub[y], d};
        }
    if (ok) {
        qsort(pairs, np, sizeof *pairs, by_score);
        for (size_t k = 0; k < np; k++) {
            if (mt->a2b[pairs[k].i] != NONE || mt->b2a[pairs[k].j] != NONE) continue;
            mt->a2b[pairs[k].i] = pairs[k].j;
            mt->b2a[pairs[k].j] = pairs[k].i;
            mt->sim[pairs[k].i] = pairs[k].score;
        }
    }
    for (size_t x = 0; ba && x < na_done; x++) ctl_free(ba[x].v);
    for (size_t y = 0; bb && y < nb_done; y++) ctl_free(bb[y].v);
    ctl_free(ba);
    ctl_free(bb);
    ctl_free(pairs);
out:
    ctl_free(ua);
    ctl_free(ub);
    return ok;
}

/* Matched new items out of the longest run kept in order (longest
 * increasing subsequence of their old indices, O(n log n)): moved[j] = 1. */
static int out_of_order(const match_t *mt, unsigned char *moved)
{
    size_t nb = mt->b->n_items, len = 0;
    size_t *tail = ctl_malloc((nb + 1) * sizeof *tail), *prev = ctl_malloc((nb + 1) * sizeof *prev);
    if (!tail || !prev) {
        ctl_free(tail);
        ctl_free(prev);
        return 0;
    }
    for (size_t j = 0; j < nb; j++) {
        moved[j] = mt->b2a[j] != NONE;
        if (mt->b2a[j] == NONE) continue;
        size_t v = mt->b2a[j], lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (mt->b2a[tail[mid]] < v) lo = mid + 1;
            else hi = mid;
        }
        prev[j] = lo ? tail[lo - 1] : NONE;
        tail[lo] = j;
        if (lo == len) len++;
    }
    for (size_t j = len ? tail[len - 1] : NONE; j != NONE; j = prev[j]) moved[j] = 0;
    ctl_free(tail);
    ctl_free(prev);
    return 1;
}

/* ---- fields ------------------------------------------------------------- */

typedef struct {
    ctl_diff_field *v;
    size_t n, cap;
    unsigned ignore;   /* CTL_LOSES_* honoured */
    size_t *budget;    /* token pairs left for the whole comparison */
} fields_t;

/* a and b equal once line breaks and tabs are spaces */
static int equal_flat(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (*a != *b && !(strchr("\r\n\t ", *a) && strchr("\r\n\t ", *b))) return 0;
    return *a == *b;
}

static ctl_status field_add(ctl_ctx *ctx, fields_t *f, const char *name, const char *a, const char *b)
{
    if (!strcmp(a, b) || ((f->ignore & CTL_LOSES_LINEBREAKS) && equal_flat(a, b))) return CTL_OK;
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 4;
        ctl_diff_field *nv = ctl_realloc(f->v, nc * sizeof *nv);
        if (!nv) return ctl_nomem(ctx);
        f->v = nv;
        f->cap = nc;
    }
    ctl_diff_field *d = &f->v[f->n];
    memset(d, 0, sizeof *d);
    d->field = ctl_strdup(name);
    d->old_text = ctl_strdup(a);
    d->new_text = ctl_strdup(b);
    f->n++;
    if (!d->field || !d->old_text || !d->new_text) return ctl_nomem(ctx);
    return diff_text_within(ctx, a, b, &d->spans, &d->n_spans, &d->whole, f->budget);
}

static void fields_free(ctl_diff_field *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        ctl_free(v[i].field);
        ctl_free(v[i].old_text);
        ctl_free(v[i].new_text);
        ctl_diff_spans_free(v[i].spans, v[i].n_spans);
    }
    ctl_free(v);
}

static const char *extra_of(const ctl_item *it, const char *name)
{
    for (size_t k = 0; k < it->n_extra; k++)
        if (!strcmp(it->extra[k].name, name)) return ctl_str(it->extra[k].value);
    return "";
}

/* Extra fields by name: those of the old item in its order, then the new
 * item's others. */
static ctl_status extras_compare(ctl_ctx *ctx, fields_t *f, const ctl_item *p, const ctl_item *q)
{
    ctl_status st = CTL_OK;
    ctl_buf name = {0};
    for (int side = 0; side < 2 && st == CTL_OK; side++) {
        const ctl_item *it = side ? q : p;
        for (size_t k = 0; k < it->n_extra && st == CTL_OK; k++) {
            const char *nm = it->extra[k].name;
            int seen = 0;
            for (size_t e = 0; side && e < p->n_extra; e++) seen |= !strcmp(p->extra[e].name, nm);
            if (seen) continue;
            name.len = 0;
            if (!ctl_buf_adds(&name, "extra:") || !ctl_buf_adds(&name, nm)) st = ctl_nomem(ctx);
            else st = field_add(ctx, f, name.data, extra_of(p, nm), extra_of(q, nm));
        }
    }
    ctl_buf_free(&name);
    return st;
}

/* The references of it a format that loses CTL_LOSES_REFS keeps (those
 * of ISO/IEC 27001:2013 and 2022 that exist), joined into out as
 * ctl_refs_join does; 0 when out of memory. */
static int refs_kept_join(ctl_buf *out, const ctl_item *it, const char *scheme)
{
    static const char *const kept[] = {"iso27001-2013", "iso27001-2022"};
    ctl_item k = *it;
    ctl_ref *r = ctl_malloc((it->n_refs + 1) * sizeof *r);
    if (!r) return 0;
    k.n_refs = 0;
    for (size_t e = 0; e < 2; e++)
        for (size_t i = 0; i < it->n_refs; i++)
            if (!strcmp(ctl_str(it->refs[i].scheme), kept[e]) && ctl_scheme_has_id(kept[e], it->refs[i].id) == 1)
                r[k.n_refs++] = it->refs[i];
    k.refs = r;
    int ok = ctl_refs_join(out, &k, scheme);
    ctl_free(r);
    return ok;
}

static ctl_status fields_compare(ctl_ctx *ctx, const ctl_item *p, const ctl_item *q, const char *scheme,
                                 unsigned flags, int renumbered, fields_t *f)
{
    ctl_buf ra = {0}, rb = {0};
    unsigned ig = f->ignore;
    ctl_status st = field_add(ctx, f, "title", ctl_str(p->title), ctl_str(q->title));
    if (st == CTL_OK) st = field_add(ctx, f, "description", ctl_str(p->description), ctl_str(q->description));
    if (st == CTL_OK && !(ig & CTL_LOSES_CATEGORIES))
        st = field_add(ctx, f, "category", ctl_category_word(p), ctl_category_word(q));
    if (st == CTL_OK && !(ig & CTL_LOSES_ANSWERS)) st = field_add(ctx, f, "answer", ctl_str(p->answer), ctl_str(q->answer));
    int (*join)(ctl_buf *, const ctl_item *, const char *) = ig & CTL_LOSES_REFS ? refs_kept_join : ctl_refs_join;
    if (st == CTL_OK && (!join(&ra, p, scheme) || !join(&rb, q, scheme))) st = ctl_nomem(ctx);
    if (st == CTL_OK) st = field_add(ctx, f, "refs", ra.data ? ra.data : "", rb.data ? rb.data : "");
    if (st == CTL_OK && (flags & CTL_DIFF_LABELS) && !(ig & CTL_LOSES_LABELS) && !renumbered)
        st = field_add(ctx, f, "label", ctl_str(p->label), ctl_str(q->label));
    if (st == CTL_OK && !(ig & CTL_LOSES_EXTRAS)) st = extras_compare(ctx, f, p, q);
    ctl_buf_free(&ra);
    ctl_buf_free(&rb);
    return st;
}

/* ---- the result --------------------------------------------------------- */

typedef struct {
    ctl_diff_change c;
    size_t key, sub;   /* order: new index * 2 (+1 after it for removed), old index */
} keyed_t;

static int by_key(const void *x, const void *y)
{
    const keyed_t *p = x, *q = y;
    if (p->key != q->key) return (p->key > q->key) - (p->key < q->key);
    return (p->sub > q->sub) - (p->sub < q->sub);
}

void ctl_diff_free(ctl_diff_result *res)
{
    if (!res) return;
    for (size_t i = 0; i < res->n_changes; i++) fields_free(res->changes[i].fields, res->changes[i].n_fields);
    ctl_free(res->changes);
    ctl_free(res);
}

const char *ctl_diff_kind_name(unsigned kind)
{
    switch (kind) {
    case CTL_DIFF_ADDED: return "added";
    case CTL_DIFF_REMOVED: return "removed";
    case CTL_DIFF_RENUMBERED: return "renumbered";
    case CTL_DIFF_MOVED: return "moved";
    case CTL_DIFF_CHANGED: return "changed";
    }
    return NULL;
}

/* Has the parent of a matched pair changed (old parent mapped through the
 * matching)? */
static int parent_moved(const match_t *mt, size_t i, size_t j)
{
    const char *pa = ctl_str(mt->a->items[i].parent), *pb = ctl_str(mt->b->items[j].parent);
    if (!*pa || !*pb) return *pa != *pb;
    /* the old parent: the nearest item above i with that id */
    for (size_t k = i; k-- > 0;)
        if (!strcmp(mt->a->items[k].id, pa)) return mt->a2b[k] == NONE || strcmp(mt->b->items[mt->a2b[k]].id, pb);
    return strcmp(pa, pb) != 0;
}

static ctl_status build(ctl_ctx *ctx, const match_t *mt, const unsigned char *moved, unsigned flags,
                        unsigned ignore, keyed_t *out, size_t *n)
{
    size_t left = CTL_DIFF_CELLS_TOTAL, *budget = &left;
    const char *scheme = *ctl_str(mt->a->meta.ref_scheme) ? mt->a->meta.ref_scheme : ctl_str(mt->b->meta.ref_scheme);
    size_t after = 0;   /* key of removed items: just after the last matched one */
    size_t na = mt->a->n_items, nb = mt->b->n_items;
    *n = 0;
    for (size_t i = 0; i < na; i++) {
        if (mt->a2b[i] != NONE) {
            after = mt->a2b[i] * 2 + 1;
            continue;
        }
        out[(*n)++] = (keyed_t){{.kind = CTL_DIFF_REMOVED, .old_item = &mt->a->items[i]}, after, i};
    }
    for (size_t j = 0; j < nb; j++) {
        keyed_t k = {{.new_item = &mt->b->items[j]}, j * 2, 0};
        size_t i = mt->b2a[j];
        if (i == NONE) k.c.kind = CTL_DIFF_ADDED;
        else {
            const ctl_item *p = &mt->a->items[i], *q = &mt->b->items[j];
            int renum = strcmp(p->id, q->id) != 0;
            fields_t f = {.ignore = ignore, .budget = budget};
            ctl_status st = fields_compare(ctx, p, q, scheme, flags, renum, &f);
            if (st != CTL_OK) {
                fields_free(f.v, f.n);
                return st;
            }
            k.c.old_item = p;
            k.c.fields = f.v;
            k.c.n_fields = f.n;
            if (renum) k.c.kind |= CTL_DIFF_RENUMBERED, k.c.similarity = mt->sim[i];
            if (moved[j] || parent_moved(mt, i, j)) k.c.kind |= CTL_DIFF_MOVED;
            if (f.n) k.c.kind |= CTL_DIFF_CHANGED;
            if (!k.c.kind) continue;
        }
        out[(*n)++] = k;
    }
    return CTL_OK;
}

static ctl_status finish(ctl_ctx *ctx, keyed_t *kv, size_t n, const match_t *mt, ctl_diff_result *res)
{
    qsort(kv, n, sizeof *kv, by_key);
    res->changes = ctl_malloc((n + 1) * sizeof *res->changes);
    if (!res->changes) return ctl_nomem(ctx);
    for (size_t k = 0; k < n; k++) {
        res->changes[k] = kv[k].c;
        for (int b = 0; b < 5; b++) res->counts[b] += (kv[k].c.kind >> b) & 1u;
    }
    res->n_changes = n;
    res->n_old = mt->a->n_items;
    res->n_new = mt->b->n_items;
    return CTL_OK;
}

ctl_status ctl_diff(ctl_ctx *ctx, const ctl_list *old_list, const ctl_list *new_list,
                    unsigned flags, unsigned ignore, ctl_diff_result **out)
{
    if (!out || !old_list || !new_list)
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "ctl_diff: a list or out is NULL");
    *out = NULL;
    size_t na = old_list->n_items, nb = new_list->n_items;
    match_t mt = {old_list, new_list, ctl_malloc((na + 1) * sizeof(size_t)),
                  ctl_malloc((nb + 1) * sizeof(size_t)), ctl_malloc((na + 1) * sizeof(int))};
    unsigned char *moved = ctl_malloc(nb + 1);
    keyed_t *kv = ctl_malloc((na + nb + 1) * sizeof *kv);
    ctl_diff_result *res = ctl_malloc(sizeof *res);
    ctl_status st = CTL_OK;
    size_t n = 0;
    if (res) memset(res, 0, sizeof *res);
    if (!mt.a2b || !mt.b2a || !mt.sim || !moved || !kv || !res) st = ctl_nomem(ctx);
    if (st == CTL_OK) {
        for (size_t i = 0; i < na; i++) mt.a2b[i] = NONE, mt.sim[i] = 0;
        for (size_t j = 0; j < nb; j++) mt.b2a[j] = NONE;
        if (!match_ids(&mt) || !match_renumbered(&mt, &res->renumber_limited) || !out_of_order(&mt, moved))
            st = ctl_nomem(ctx);
    }
    ignore &= CTL_DIFF_IGNORABLE;
    if (res) res->ignored = ignore;
    if (st == CTL_OK) st = build(ctx, &mt, moved, flags, ignore, kv, &n);
    if (st == CTL_OK) st = finish(ctx, kv, n, &mt, res);
    if (st != CTL_OK) {
        for (size_t k = 0; kv && k < n; k++) fields_free(kv[k].c.fields, kv[k].c.n_fields);
        ctl_diff_free(res);
        res = NULL;
    }
    ctl_free(mt.a2b);
    ctl_free(mt.b2a);
    ctl_free(mt.sim);
    ctl_free(moved);
    ctl_free(kv);
    *out = res;
    return st;
}
