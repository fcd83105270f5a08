/* SPDX-License-Identifier: BSD-2-Clause */
/* The rules of a source the caller gave in the options, applied to each
 * item between a reader and the hierarchy (converters/hierarchy.c):
 *   - category words (opts->categories): a word of the list gives the
 *     item its value, before the words ctlconv knows;
 *   - the evidence of the hierarchy (opts->hierarchy): levels or parents
 *     the file gives that the caller did not choose are taken as unknown,
 *     so that the hierarchy is made from the evidence chosen. */
#include "rules.h"

#include <stdlib.h>

typedef struct {
    ctl_sink sink;
    ctl_sink *next;
    const ctl_options *opts;
    char **folded;       /* each category word folded; NULL: one that cannot match */
} rules;

int ctl_rules_wanted(const ctl_options *opts)
{
    return opts && (opts->n_categories || opts->hierarchy != CTL_HIERARCHY_AUTO);
}

static ctl_status r_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    rules *r = (rules *)self;
    return r->next->begin(r->next, ctx, meta);
}

/* The value of the caller's word that a category text is, if any. */
static int caller_category(const rules *r, const char *text, ctl_category *cat)
{
    char f[1024];
    if (!text || !*text || ctl_fold_into(text, strlen(text), f, sizeof f) < 0) return 0;
    for (size_t i = 0; i < r->opts->n_categories; i++)
        if (r->folded[i] && !strcmp(r->folded[i], f)) {
            *cat = r->opts->categories[i].value;
            return 1;
        }
    return 0;
}

static ctl_status r_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *in)
{
    rules *r = (rules *)self;
    ctl_item it = *in;
    caller_category(r, in->category_text, &it.category);
    switch (r->opts->hierarchy) {
    case CTL_HIERARCHY_LEVEL: it.parent = NULL; break;
    case CTL_HIERARCHY_PARENT: it.level = 0; break;
    case CTL_HIERARCHY_IDS:
        it.parent = NULL;
        it.level = 0;
        break;
    default: break;
    }
    return r->next->item(r->next, ctx, &it);
}

static ctl_status r_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    rules *r = (rules *)self;
    return r->next->end(r->next, ctx, meta);
}

static void r_destroy(ctl_sink *self)
{
    rules *r = (rules *)self;
    for (size_t i = 0; r->folded && i < r->opts->n_categories; i++) ctl_free(r->folded[i]);
    ctl_free(r->folded);
    ctl_free(r);
}

ctl_sink *ctl_rules_new(ctl_sink *next, const ctl_options *opts)
{
    rules *r = ctl_malloc(sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    r->sink.begin = r_begin;
    r->sink.item = r_item;
    r->sink.end = r_end;
    r->sink.destroy = r_destroy;
    r->next = next;
    r->opts = opts;
    size_t n = opts->n_categories;
    if (n && !(r->folded = ctl_malloc(n * sizeof *r->folded))) {
        ctl_free(r);
        return NULL;
    }
    if (n) memset(r->folded, 0, n * sizeof *r->folded);
    for (size_t i = 0; i < n; i++) {
        const char *w = opts->categories[i].word ? opts->categories[i].word : "";
        char f[1024];
        if (ctl_fold_into(w, strlen(w), f, sizeof f) < 0 || !*f) continue;
        if (!(r->folded[i] = ctl_strdup(f))) {
            r_destroy(&r->sink);
            return NULL;
        }
    }
    return &r->sink;
}
