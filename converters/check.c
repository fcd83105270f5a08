/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl_check: what the authors of a list would want fixed, as warnings
 * naming file, line and item.  Duplicate ids and unknown parents are the
 * reading's (converters/hierarchy.c); this file adds the rules that need
 * the whole list: numbering, missing measures and categories, category
 * words, references, wrongly decoded text and formula cells. */
#include "grc.h"

#include <stdlib.h>

/* An item's index in the list, sortable by id or by parent. */
typedef struct {
    const char *key;
    size_t at;
} entry;

static int by_key(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The first entry with key, or NULL. */
static const entry *find(const entry *v, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].key, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && !strcmp(v[lo].key, key) ? &v[lo] : NULL;
}

static const char *str(const char *s) { return s ? s : ""; }

static ctl_status warn(ctl_ctx *ctx, const ctl_item *it, ctl_diag code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ctl_status warn(ctl_ctx *ctx, const ctl_item *it, ctl_diag code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctl_warn_item(ctx, code, it->pos.file, it->pos.line, it->id, "%s", msg);
}

/* The number an id ends in after its last '.' ("II.1.1.3" -> 3, prefix
 * "II.1.1."); -1 when it ends otherwise. */
static long last_number(const char *id, size_t *prefix)
{
    size_t n = strlen(id), k = n;
    while (k && id[k - 1] >= '0' && id[k - 1] <= '9') k--;
    if (k == n || !k || id[k - 1] != '.' || n - k > 6) return -1;
    *prefix = k;
    return strtol(id + k, NULL, 10);
}

/* Siblings in document order (v sorted by parent, then position): gaps
 * (II.1.1.1 then II.1.1.3) and numbers below the sibling before.  A list
 * with many gaps numbers a selection (a baseline): its gaps are no
 * mistakes and are not reported. */
static ctl_status check_siblings(ctl_ctx *ctx, const ctl_list *l, const entry *v, size_t n)
{
    size_t pairs = 0, gaps = 0;
    for (int pass = 0; pass < 2; pass++) {
        int report_gaps = pass && gaps <= 2 + pairs / 20;
        for (size_t i = 1; i < n; i++) {
            if (strcmp(v[i].key, v[i - 1].key)) continue;
            const ctl_item *a = &l->items[v[i - 1].at], *b = &l->items[v[i].at];
            size_t pa = 0, pb = 0;
            long na = last_number(a->id, &pa), nb = last_number(b->id, &pb);
            if (na < 0 || nb < 0 || pa != pb || strncmp(a->id, b->id, pa)) continue;
            if (!pass) {
                pairs++;
                gaps += nb > na + 1;
                continue;
            }
            ctl_status st = CTL_OK;
            if (nb > na + 1 && report_gaps)
                st = warn(ctx, b, CTL_D_NUMBER_GAP, "%s follows its sibling %s: %s missing", b->id, a->id,
                          nb == na + 2 ? "one number" : "numbers");
            else if (nb < na)
                st = warn(ctx, b, CTL_D_NUMBER_DISORDER, "%s follows its sibling %s (line %ld): numbered "
                          "out of order", b->id, a->id, a->pos.line);
            if (st != CTL_OK) return st;
        }
    }
    return CTL_OK;
}

/* Items that come before their parent. */
static ctl_status check_parents(ctl_ctx *ctx, const ctl_list *l, const entry *ids)
{
    for (size_t i = 0; i < l->n_items; i++) {
        const ctl_item *it = &l->items[i];
        if (!it->parent || !*it->parent) continue;
        const entry *p = find(ids, l->n_items, it->parent);
        if (p && p->at > i) {
            const ctl_item *q = &l->items[p->at];
            ctl_status st = warn(ctx, it, CTL_D_NUMBER_DISORDER, "%s comes before its parent %s (line %ld)",
                                 it->id, q->id, q->pos.line);
            if (st != CTL_OK) return st;
        }
    }
    return CTL_OK;
}

/* Requirements (items without children) without a measure or a category
 * while at least four in five of the list's requirements have one. */
static ctl_status check_missing(ctl_ctx *ctx, const ctl_list *l, const entry *parents)
{
    size_t req = 0, no_desc = 0, no_cat = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < l->n_items; i++) {
            const ctl_item *it = &l->items[i];
            if (find(parents, l->n_items, it->id)) continue;
            int d = !*str(it->description), c = !*str(it->category_text) && it->category == CTL_CATEGORY_NONE;
            if (!pass) {
                req++;
                no_desc += d;
                no_cat += c;
                continue;
            }
            ctl_status st = CTL_OK;
            if (d && no_desc * 5 <= req)
                st = warn(ctx, it, CTL_D_NO_MEASURE, "requirement %s has no measure (description); %zu of the "
                          "list's %zu requirements have one", it->id, req - no_desc, req);
            if (st == CTL_OK && c && no_cat * 5 <= req)
                st = warn(ctx, it, CTL_D_NO_CATEGORY, "requirement %s has no category; %zu of the list's %zu "
                          "requirements have one", it->id, req - no_cat, req);
            if (st != CTL_OK) return st;
        }
    }
    return CTL_OK;
}

/* A category word only one item uses, in a list of at least ten items
 * with a category whose words are each used three times or more. */
static ctl_status check_categories(ctl_ctx *ctx, const ctl_list *l, entry *v)
{
    size_t n = 0, common = 0;
    for (size_t i = 0; i < l->n_items; i++)
        if (*str(l->items[i].category_text)) v[n++] = (entry){l->items[i].category_text, i};
    if (n < 10) return CTL_OK;
    qsort(v, n, sizeof *v, by_key);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && !strcmp(v[j].key, v[i].key);) j++;
        if (j - i >= 3) common++;
    }
    if (!common) return CTL_OK;
    for (size_t i = 0; i < n; i++) {
        if ((i && !strcmp(v[i].key, v[i - 1].key)) || (i + 1 < n && !strcmp(v[i].key, v[i + 1].key))) continue;
        const ctl_item *it = &l->items[v[i].at];
        ctl_status st = warn(ctx, it, CTL_D_CATEGORY_UNUSUAL, "%s: category '%s' is used by no other item "
                             "(the list's words are used by %zu others)", it->id, v[i].key, n - 1);
        if (st != CTL_OK) return st;
    }
    return CTL_OK;
}

static ctl_status check_refs(ctl_ctx *ctx, const ctl_list *l)
{
    for (size_t i = 0; i < l->n_items; i++) {
        const ctl_item *it = &l->items[i];
        for (size_t k = 0; k < it->n_refs; k++) {
            const ctl_ref *r = &it->refs[k];
            if (!r->scheme || !*r->scheme || ctl_scheme_has_id(r->scheme, r->id) != 0) continue;
            ctl_status st = warn(ctx, it, CTL_D_REF_UNKNOWN, "%s: reference %s is no identifier of %s", it->id,
                                 r->id, r->scheme);
            if (st != CTL_OK) return st;
        }
    }
    for (size_t k = 0; k < l->meta.n_unplaced; k++) {
        if (ctl_scheme_has_id("iso27001-2013", l->meta.unplaced[k]) != 0) continue;
        ctl_status st = ctl_warn(ctx, CTL_D_REF_UNKNOWN, l->n_sources ? l->sources[0] : NULL, 0,
                                 "unplaced reference %s is no identifier of iso27001-2013", l->meta.unplaced[k]);
        if (st != CTL_OK) return st;
    }
    return CTL_OK;
}

/* The code points of a cell, at most max. */
static size_t code_points(const char *s, uint32_t *cp, size_t max)
{
    size_t n = 0, len = strlen(s);
    while (*s && n < max) {
        size_t k = ctl_utf8_decode(s, len, &cp[n++]);
        s += k;
        len -= k;
    }
    return n;
}

/* A character a UTF-8 continuation byte becomes in Latin-1 or CP1252. */
static int continuation(uint32_t c)
{
    static const uint32_t cp1252[] = {0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6,
                                      0x2030, 0x0160, 0x2039, 0x0152, 0x017D, 0x2018, 0x2019, 0x201C,
                                      0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
                                      0x0153, 0x017E, 0x0178};
    if (c >= 0x80 && c <= 0xBF) return 1;
    for (size_t i = 0; i < sizeof cp1252 / sizeof *cp1252; i++)
        if (c == cp1252[i]) return 1;
    return 0;
}

/* Why a cell looks wrongly decoded, or NULL.  Conservative: each sign is
 * a sequence ordinary text does not hold. */
static const char *mojibake(const char *s)
{
    enum { MAX = 4096 };
    static _Thread_local uint32_t cp[MAX];
    size_t n = code_points(s, cp, MAX);
    size_t utf8_cp932 = 0, sjis_latin = 0, euc_latin = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i], d = i + 1 < n ? cp[i + 1] : 0, e = i + 2 < n ? cp[i + 2] : 0;
        if (c == 0xFFFD) return "a replacement character U+FFFD (text lost in decoding)";
        if (c >= 0x80 && c <= 0x9F) return "a C1 control character (a legacy encoding read as Latin-1)";
        if ((c == 0xC2 || c == 0xC3) && continuation(d))
            return "UTF-8 read as Latin-1 or CP1252 (such as 'Ã©' for 'é')";
        if (c >= 0xE2 && c <= 0xEF && continuation(d) && continuation(e))
            return "UTF-8 read as Latin-1 or CP1252 (such as 'â€™' for '’')";
        if (c == 0x7E3A || c == 0x7E67 || c == 0x7E5D)   /* 縺 繧 繝: UTF-8 E3 81-83 read as CP932 */
            utf8_cp932 += 1 + (d >= 0xFF61 && d <= 0xFF9F);
        if ((c == 0x201A && d >= 0xA0 && d <= 0xFF) || (c == 0x0192 && d >= 0x40 && d <= 0x7E)) sjis_latin++;
        if (c == 0xA4 && d >= 0xA1 && d <= 0xFE) euc_latin++;
    }
    if (utf8_cp932 >= 2) return "UTF-8 read as CP932 (such as '縺' and '繧' for kana)";
    if (sjis_latin >= 2) return "CP932 read as CP1252 (such as '‚ ‚¢' for kana)";
    if (euc_latin >= 2) return "EUC-JP read as Latin-1 (such as '¤¢¤¤' for kana)";
    return NULL;
}

/* Does a spreadsheet run the cell as a formula?  = + - @ at its start,
 * unless the whole cell is a number or the sign alone. */
static int formula(const char *s)
{
    if (!strchr("=+-@", s[0]) || !s[0]) return 0;
    if ((s[0] == '-' || s[0] == '+') && !s[1]) return 0;
    char *end;
    if (s[0] != '=' && s[0] != '@') {
        strtod(s, &end);
        if (end != s && !*end) return 0;
    }
    return 1;
}

/* The text cells of an item: name and value of the i-th; 0 past the last. */
static int cell(const ctl_item *it, size_t i, const char **name, const char **value)
{
    static const char *const names[] = {"title", "description", "category", "answer", "label"};
    const char *values[] = {it->title, it->description, it->category_text, it->answer, it->label};
    if (i < 5) {
        *name = names[i];
        *value = str(values[i]);
        return 1;
    }
    if (i - 5 >= it->n_extra) return 0;
    *name = str(it->extra[i - 5].name);
    *value = str(it->extra[i - 5].value);
    return 1;
}

static ctl_status check_cells(ctl_ctx *ctx, const ctl_list *l)
{
    for (size_t i = 0; i < l->n_items; i++) {
        const ctl_item *it = &l->items[i];
        const char *name, *value, *why;
        int bad_text = 0;
        for (size_t k = 0; cell(it, k, &name, &value); k++) {
            ctl_status st = CTL_OK;
            if (!bad_text && (why = mojibake(value))) {
                bad_text = 1;
                st = warn(ctx, it, CTL_D_MOJIBAKE, "%s: the %s holds %s", it->id, name, why);
            }
            if (st == CTL_OK && formula(value)) {
                size_t n = ctl_utf8_clip(value, strlen(value), 20);
                st = warn(ctx, it, CTL_D_FORMULA_RISK, "%s: the %s begins with '%c' (\"%.*s%s\"): a spreadsheet "
                          "runs it as a formula (write it with --excel-safe)", it->id, name, value[0], (int)n, value,
                          value[n] ? "..." : "");
            }
            if (st != CTL_OK) return st;
        }
    }
    return CTL_OK;
}

ctl_status ctl_check(ctl_ctx *ctx, const ctl_list *list)
{
    size_t n = list->n_items;
    entry *ids = ctl_malloc((n ? n : 1) * sizeof *ids), *parents = ctl_malloc((n ? n : 1) * sizeof *parents);
    if (!ids || !parents) {
        ctl_free(ids);
        ctl_free(parents);
        return ctl_nomem(ctx);
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = (entry){str(list->items[i].id), i};
        parents[i] = (entry){str(list->items[i].parent), i};
    }
    qsort(ids, n, sizeof *ids, by_key);
    qsort(parents, n, sizeof *parents, by_key);
    ctl_status st = check_siblings(ctx, list, parents, n);
    if (st == CTL_OK) st = check_parents(ctx, list, ids);
    if (st == CTL_OK) st = check_missing(ctx, list, parents);
    if (st == CTL_OK) st = check_refs(ctx, list);
    if (st == CTL_OK) st = check_cells(ctx, list);
    if (st == CTL_OK) st = check_categories(ctx, list, ids);   /* reuses ids' room */
    ctl_free(ids);
    ctl_free(parents);
    return st;
}
