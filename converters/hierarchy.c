/* SPDX-License-Identifier: BSD-2-Clause */
/* The hierarchy of a list, from the best evidence the reader found: a sink
 * between every reader and its sink that gives each item its level and
 * parent, ids to rows without one, and warns of duplicate ids.
 *
 * Evidence, best first (what a reader hands on):
 *   - level given (a depth or level column, the outline of a document):
 *     the parent is the nearest item above with a smaller level;
 *   - parent given (a parent column): the level is the parent's plus one;
 *   - both given: both kept;
 *   - neither: containment among the list's own ids ("AC-2" holds
 *     "AC-2(1)"), the nearest containing item above being the parent.
 * A row without an id becomes a child of the numbered item above it unless
 * the reader gave its level or parent, with the id "<parent>#<rank>", the
 * rank counting the parent's rows without an id ("#<rank>" at the top).
 * An id of that form that a row has (a list written with some generated
 * ids, read back) counts as one of them: the rows without an id after it
 * under the same parent are ranked after it, so that the ids a table
 * writer left out (ctl_id_cell()) come back as they were. */
#include "hierarchy.h"

#include <stdio.h>
#include <stdlib.h>

/* An item of the chain; its id's buffer (cap bytes) stays with the slot
 * when it is popped, for the next item pushed there. */
typedef struct {
    char *id;
    size_t cap;
    int level;
} entry;

/* A slot of the table of ids: where the id starts in the arena (plus one;
 * 0: an empty slot), its level, and the rows without an id numbered under
 * it so far.  12 bytes an id, its text once in the arena: the table is the
 * one part of a conversion that grows with the list. */
typedef struct {
    uint32_t at;
    int level;
    uint32_t unnumbered;
} slot;

typedef struct {
    ctl_sink sink;
    ctl_sink *next;
    const char *file;
    /* the chain of items above: each one's ancestors */
    entry *stack;
    size_t n_stack, cap_stack, n_made;   /* n_made: slots with a buffer */
    /* every id seen, with its level: open addressing over an arena */
    slot *table;
    size_t n_table, cap_table;
    char *arena;
    size_t n_arena, cap_arena;
    /* the last item with an id of its own, and its unnumbered rows */
    char *base;
    size_t cap_base;
    int base_level;
    size_t unnumbered, top_unnumbered;   /* rows without an id under an unknown parent, at the top */
} hier;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static slot *lookup(hier *h, const char *id)
{
    if (!h->cap_table) return NULL;
    for (size_t i = hash(id) & (h->cap_table - 1);; i = (i + 1) & (h->cap_table - 1)) {
        if (!h->table[i].at) return NULL;
        if (!strcmp(h->arena + h->table[i].at - 1, id)) return &h->table[i];
    }
}

/* Records id at level; 1 when it was seen before, -1 out of memory (or
 * ids past the 4 GB an offset can name). */
static int remember(hier *h, const char *id, int level)
{
    slot *e = lookup(h, id);
    if (e) {
        e->level = level;
        return 1;
    }
    if ((h->n_table + 1) * 2 > h->cap_table) {
        size_t cap = h->cap_table ? h->cap_table * 2 : 256;
        slot *t = ctl_malloc(cap * sizeof *t);
        if (!t) return -1;
        memset(t, 0, cap * sizeof *t);
        for (size_t i = 0; i < h->cap_table; i++) {
            if (!h->table[i].at) continue;
            size_t k = hash(h->arena + h->table[i].at - 1) & (cap - 1);
            while (t[k].at) k = (k + 1) & (cap - 1);
            t[k] = h->table[i];
        }
        ctl_free(h->table);
        h->table = t;
        h->cap_table = cap;
    }
    size_t len = strlen(id) + 1;
    if (h->n_arena + len >= UINT32_MAX) return -1;
    if (h->n_arena + len > h->cap_arena) {
        size_t cap = h->cap_arena ? h->cap_arena * 2 : 4096;
        while (cap < h->n_arena + len) cap *= 2;
        char *a = ctl_realloc(h->arena, cap);
        if (!a) return -1;
        h->arena = a;
        h->cap_arena = cap;
    }
    memcpy(h->arena + h->n_arena, id, len);
    size_t k = hash(id) & (h->cap_table - 1);
    while (h->table[k].at) k = (k + 1) & (h->cap_table - 1);
    h->table[k].at = (uint32_t)(h->n_arena + 1);
    h->table[k].level = level;
    h->n_arena += len;
    h->n_table++;
    return 0;
}

static void pop(hier *h) { h->n_stack--; }

/* Copies s into *buf of *cap bytes, grown when short; 0 when out of
 * memory. */
static int keep_copy(char **buf, size_t *cap, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *cap) {
        size_t c = n < 32 ? 32 : n;
        char *b = ctl_realloc(*buf, c);
        if (!b) return 0;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf, s, n);
    return 1;
}

static int push(hier *h, const char *id, int level)
{
    if (h->n_stack == h->cap_stack) {
        size_t cap = h->cap_stack ? h->cap_stack * 2 : 16;
        entry *v = ctl_realloc(h->stack, cap * sizeof *v);
        if (!v) return 0;
        h->stack = v;
        h->cap_stack = cap;
    }
    entry *e = &h->stack[h->n_stack];
    if (h->n_stack == h->n_made) {
        e->id = NULL;
        e->cap = 0;
        h->n_made++;
    }
    if (!keep_copy(&e->id, &e->cap, id)) return 0;
    e->level = level;
    h->n_stack++;
    return 1;
}

/* A generated id a row has ("II.1#3", "#2"): its parent's rows without an
 * id count from its rank on. */
static void count_rank(hier *h, const char *id)
{
    const char *mark = strrchr(id, '#');
    if (!mark) return;
    char *end;
    unsigned long rank = strtoul(mark + 1, &end, 10);
    if (*end || !rank || rank > UINT32_MAX) return;
    if (mark == id) {
        if (rank > h->top_unnumbered) h->top_unnumbered = rank;
        return;
    }
    char parent[CTL_ID_MAX];
    size_t n = (size_t)(mark - id);
    if (n >= sizeof parent) return;
    memcpy(parent, id, n);
    parent[n] = '\0';
    slot *e = lookup(h, parent);
    if (e && rank > e->unnumbered) e->unnumbered = (uint32_t)rank;
}

static ctl_status h_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    hier *h = (hier *)self;
    return h->next->begin(h->next, ctx, meta);
}

static ctl_status h_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *in)
{
    hier *h = (hier *)self;
    ctl_item it = *in;
    const char *file = in->pos.file ? in->pos.file : h->file;
    char idbuf[CTL_ID_MAX + 16];
    ctl_status st = CTL_OK;
    int level = in->level > 0 ? in->level : 0;
    const char *parent = in->parent;

    int unnumbered = !in->id || !*in->id;
    if (unnumbered) {
        /* a row without an id: under the numbered item above unless the
         * reader said where; its id is made below, from its parent's */
        it.id = (char *)"";
        /* a label the reader kept (a key such as "core" in the id column) stays */
        it.label = in->label && *in->label ? in->label : (char *)"";
        if (!parent && !level) {
            parent = h->base ? h->base : "";
            level = h->base ? h->base_level + 1 : 1;
        }
    }
    const char *name = unnumbered ? "a row without an id" : it.id;

    if (parent && !level) {
        if (!*parent) {
            level = 1;
        } else {
            slot *e = lookup(h, parent);
            if (e) {
                level = e->level + 1;
            } else {
                level = 1;
                st = ctl_warn_item(ctx, CTL_D_PARENT_UNKNOWN, file, in->pos.line, it.id,
                                   "%s: parent '%s' is no item above it; kept as written",
                                   name, parent);
                if (st != CTL_OK) return st;
            }
        }
        while (h->n_stack && h->stack[h->n_stack - 1].level >= level) pop(h);
    } else if (level) {
        while (h->n_stack && h->stack[h->n_stack - 1].level >= level) pop(h);
        if (!parent) parent = h->n_stack ? h->stack[h->n_stack - 1].id : "";
    } else {
        while (h->n_stack && !ctl_id_contains(h->stack[h->n_stack - 1].id, it.id)) pop(h);
        parent = h->n_stack ? h->stack[h->n_stack - 1].id : "";
        level = h->n_stack ? h->stack[h->n_stack - 1].level + 1 : 1;
    }
    /* the reader's, the chain's (popped at the next item at the soonest)
     * or the base's (replaced only by an item with an id of its own) */
    it.parent = (char *)parent;
    it.level = level;
    if (unnumbered) {
        /* "<parent>#<rank among the parent's rows without an id>" */
        slot *e = *parent ? lookup(h, parent) : NULL;
        size_t rank = e ? ++e->unnumbered : *parent ? ++h->unnumbered : ++h->top_unnumbered;
        int w = snprintf(idbuf, sizeof idbuf, "%s#%zu", parent, rank);
        /* too long to read back as an id: numbered among the top's instead */
        if (w < 0 || (size_t)w >= CTL_ID_MAX - 1) snprintf(idbuf, sizeof idbuf, "#%zu", ++h->top_unnumbered);
        it.id = idbuf;
        if (*it.label)
            st = ctl_warn_item(ctx, CTL_D_ID_GENERATED, file, in->pos.line, idbuf,
                               "'%s' is no identifier: kept as the label of %s, under %s", it.label, idbuf,
                               *parent ? parent : "the top of the list");
        else
            st = ctl_warn_item(ctx, CTL_D_ID_GENERATED, file, in->pos.line, idbuf,
                               "a row without an id: kept as %s, under %s", idbuf,
                               *parent ? parent : "the top of the list");
        if (st != CTL_OK) return st;
    }

    if (!unnumbered) count_rank(h, it.id);
    int seen = remember(h, it.id, level);
    if (seen < 0 || !push(h, it.id, level)) return ctl_nomem(ctx);
    if (seen)
        st = ctl_warn_item(ctx, CTL_D_DUPLICATE_ID, file, in->pos.line, it.id,
                           "%s: an item above has this id too; both kept", it.id);
    /* the base of generated ids: an item with an id of its own */
    if (st == CTL_OK && in->id && *in->id && !strchr(in->id, '#')) {
        if (!keep_copy(&h->base, &h->cap_base, it.id)) st = ctl_nomem(ctx);
        else h->base_level = level;
    }
    if (st == CTL_OK) st = h->next->item(h->next, ctx, &it);
    return st;
}

static ctl_status h_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    hier *h = (hier *)self;
    return h->next->end(h->next, ctx, meta);
}

static void h_destroy(ctl_sink *self)
{
    hier *h = (hier *)self;
    for (size_t i = 0; i < h->n_made; i++) ctl_free(h->stack[i].id);
    ctl_free(h->stack);
    ctl_free(h->table);
    ctl_free(h->arena);
    ctl_free(h->base);
    ctl_free(h);
}

ctl_sink *ctl_hierarchy_new(ctl_sink *next, const char *file)
{
    hier *h = ctl_malloc(sizeof *h);
    if (!h) return NULL;
    memset(h, 0, sizeof *h);
    h->sink.begin = h_begin;
    h->sink.item = h_item;
    h->sink.end = h_end;
    h->sink.destroy = h_destroy;
    h->next = next;
    h->file = file;
    return &h->sink;
}
