/* SPDX-License-Identifier: BSD-2-Clause */
/* The id cell of a table writer: see idcell.h.  To know which generated
 * ids the reader makes again, the writer counts as the hierarchy does
 * (converters/hierarchy.c): every id seen, each with the last rank of the
 * generated ids under it, in a table over an arena (12 bytes an id and its
 * text once, as the reader's). */
#include "idcell.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint32_t at;         /* where the id starts in the arena, plus one; 0: empty */
    uint32_t rank;       /* the last rank of a generated id under it */
} seen_id;

struct ctl_id_cells {
    int keep_labels;
    seen_id *slots;
    size_t n, cap;
    char *arena;
    size_t n_arena, cap_arena;
    unsigned long top;   /* the last rank at the top ("#<rank>") */
    size_t lost;
    char first_id[CTL_ID_MAX];
    char first_label[CTL_CODE_MAX * 4];
};

ctl_id_cells *ctl_id_cells_new(int keep_labels)
{
    ctl_id_cells *c = ctl_malloc(sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->keep_labels = keep_labels;
    return c;
}

void ctl_id_cells_free(ctl_id_cells *c)
{
    if (!c) return;
    ctl_free(c->slots);
    ctl_free(c->arena);
    ctl_free(c);
}

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static seen_id *find(const ctl_id_cells *c, const char *id)
{
    if (!c->cap) return NULL;
    for (size_t i = hash(id) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        if (!c->slots[i].at) return NULL;
        if (!strcmp(c->arena + c->slots[i].at - 1, id)) return &c->slots[i];
    }
}

static int grow_slots(ctl_id_cells *c)
{
    size_t cap = c->cap ? c->cap * 2 : 256;
    seen_id *t = ctl_malloc(cap * sizeof *t);
    if (!t) return 0;
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i].at) continue;
        size_t k = hash(c->arena + c->slots[i].at - 1) & (cap - 1);
        while (t[k].at) k = (k + 1) & (cap - 1);
        t[k] = c->slots[i];
    }
    ctl_free(c->slots);
    c->slots = t;
    c->cap = cap;
    return 1;
}

/* Adds id (once); 0 out of memory (or past the 4 GB an offset names). */
static int add(ctl_id_cells *c, const char *id)
{
    if (find(c, id)) return 1;
    if ((c->n + 1) * 2 > c->cap && !grow_slots(c)) return 0;
    size_t len = strlen(id) + 1;
    if (c->n_arena + len >= UINT32_MAX) return 0;
    if (c->n_arena + len > c->cap_arena) {
        size_t cap = c->cap_arena ? c->cap_arena * 2 : 4096;
        while (cap < c->n_arena + len) cap *= 2;
        char *a = ctl_realloc(c->arena, cap);
        if (!a) return 0;
        c->arena = a;
        c->cap_arena = cap;
    }
    memcpy(c->arena + c->n_arena, id, len);
    size_t k = hash(id) & (c->cap - 1);
    while (c->slots[k].at) k = (k + 1) & (c->cap - 1);
    c->slots[k] = (seen_id){(uint32_t)(c->n_arena + 1), 0};
    c->n_arena += len;
    c->n++;
    return 1;
}

/* Is the item's id one the reader generates again from its parent column
 * and its place: "<parent>#<rank>" (or "#<rank>" at the top), its parent an
 * item above, its rank the next one among the parent's?  The rank counts
 * either way, as the reader counts it. */
static int regenerated(ctl_id_cells *c, const ctl_item *it)
{
    const char *id = ctl_str(it->id), *parent = ctl_str(it->parent), *mark = strrchr(id, '#');
    if (!mark) return 0;
    char *end;
    unsigned long rank = strtoul(mark + 1, &end, 10);
    if (*end || !rank || rank > UINT32_MAX) return 0;
    size_t n = (size_t)(mark - id);
    if (!n) {
        int next = !*parent && rank == c->top + 1;
        if (rank > c->top) c->top = rank;
        return next;
    }
    char head[CTL_ID_MAX];
    if (n >= sizeof head) return 0;
    memcpy(head, id, n);
    head[n] = '\0';
    seen_id *p = find(c, head);
    if (!p) return 0;
    int next = !strcmp(head, parent) && rank == (unsigned long)p->rank + 1 && strlen(id) < CTL_ID_MAX - 1;
    if (rank > p->rank) p->rank = (uint32_t)rank;
    return next;
}

/* The label the table reader gives an item whose id cell reads cell, the
 * item's id being id (table.c's set_label()). */
static const char *label_back(const char *cell, const char *id, char *buf, size_t size)
{
    ctl_number mic;
    if (strcmp(cell, id)) return cell;
    if (ctl_parse_number_exact(id, strlen(id), &mic)) return ctl_number_label(mic.id, mic.level, buf, size);
    return id;
}

static void count_lost(ctl_id_cells *c, const ctl_item *it)
{
    if (!c->lost++) {
        const char *label = ctl_str(it->label);
        snprintf(c->first_id, sizeof c->first_id, "%s", ctl_str(it->id));
        snprintf(c->first_label, sizeof c->first_label, "%.*s", (int)ctl_utf8_clip(label, strlen(label), 40), label);
    }
}

const char *ctl_id_cell(ctl_id_cells *c, const ctl_item *it, char *buf, size_t size)
{
    const char *id = ctl_str(it->id), *label = ctl_str(it->label), *cell = id;
    char canon[CTL_ID_MAX], back[96];
    ctl_number mic;
    int again = regenerated(c, it);
    if (!add(c, id)) return NULL;
    if (again && ctl_is_code(label, strlen(label))) return label;
    if (again && c->keep_labels && !*label) return "";
    const char *t = label;
    size_t tn = strlen(label);
    ctl_trim(&t, &tn);
    /* a printed form of the id (the reader trims it) */
    int printed = tn && ctl_parse_id(label, strlen(label), canon) && !strcmp(canon, id);
    if (c->keep_labels) {
        if (printed && tn == strlen(label)) cell = label;
        else if (ctl_parse_number_exact(id, strlen(id), &mic) && !strcmp(mic.id, id))
            cell = ctl_number_label(id, mic.level, buf, size);
        if (strcmp(label_back(cell, id, back, sizeof back), label)) count_lost(c, it);
    } else if (*label && !printed) {
        count_lost(c, it);
    }
    return cell;
}

ctl_status ctl_id_cells_warn(const ctl_id_cells *c, ctl_ctx *ctx, const char *name)
{
    if (!c->lost) return CTL_OK;
    return ctl_warn(ctx, CTL_D_LABEL_REWRITTEN, name, 0, "%zu label(s) that the id column cannot carry, written "
                    "as the id: they do not come back (the first: '%s' of %s)", c->lost, c->first_label,
                    c->first_id);
}
