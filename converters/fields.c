/* SPDX-License-Identifier: BSD-2-Clause */
/* Putting a cell into the field of an item its column names: one set of
 * rules for every reader of columns (the text layout, CSV/TSV, worksheets). */
#include "services.h"

#include <stdio.h>
#include <stdlib.h>

static ctl_status set_text(ctl_ctx *ctx, char **dst, const char *s, size_t len)
{
    char *d = ctl_strndup(s, len);
    if (!d) return ctl_nomem(ctx);
    ctl_free(*dst);
    *dst = d;
    return CTL_OK;
}

ctl_status ctl_text_append(ctl_ctx *ctx, char **dst, const char *s, size_t len)
{
    ctl_buf b = {0};
    if (!ctl_buf_adds(&b, ctl_str(*dst)) || (*dst && **dst && !ctl_buf_addc(&b, ' ')) ||
        !ctl_buf_add(&b, s, len)) {
        ctl_buf_free(&b);
        return ctl_nomem(ctx);
    }
    ctl_free(*dst);
    *dst = ctl_buf_take(&b);
    return *dst ? CTL_OK : ctl_nomem(ctx);
}

/* A second title, measure or answer joins the first. */
static ctl_status set_or_join(ctl_ctx *ctx, char **dst, const char *s, size_t len)
{
    return *dst ? ctl_text_append(ctx, dst, s, len) : set_text(ctx, dst, s, len);
}

/* A references cell: a word that says none (ctl_refs_none()) is no
 * reference; identifiers of the column's scheme or prefixed ones are the
 * references; anything else is one reference as written, warned. */
static ctl_status put_refs(const ctl_cell_place *at, ctl_item *it, const char *v, size_t n,
                           const char *t, size_t tn)
{
    const char *scheme = at->scheme ? at->scheme : "iso27001-2013";
    ctl_ref *refs;
    size_t nr;
    if (ctl_refs_none(t, tn)) return CTL_OK;   /* "None.", "N/A", "-", "該当なし": no reference */
    int ok = ctl_parse_refs(t, tn, scheme, &refs, &nr);
    if (ok < 0) return ctl_nomem(at->ctx);
    if (!ok) {
        /* kept as written: one reference of no known scheme */
        (void)v;
        (void)n;
        if (!ctl_item_add_ref(it, "", t, tn)) return ctl_nomem(at->ctx);
        return ctl_warn_item(at->ctx, CTL_D_NOT_ISMS, at->file, at->line, at->num->id,
                             "%s: '%.*s' is no list of %s identifiers; kept as written", at->num->id,
                             (int)ctl_utf8_clip(t, tn, 60), t, *scheme ? scheme : "reference");
    }
    if (!nr) return CTL_OK;
    ctl_ref *grown = ctl_realloc(it->refs, (it->n_refs + nr) * sizeof *grown);
    if (!grown) {
        for (size_t i = 0; i < nr; i++) {
            ctl_free(refs[i].scheme);
            ctl_free(refs[i].id);
        }
        ctl_free(refs);
        return ctl_nomem(at->ctx);
    }
    it->refs = grown;
    for (size_t i = 0; i < nr; i++) {
        /* the array is the library's allocator's; its strings move as they are */
        it->refs[it->n_refs++] = refs[i];
    }
    ctl_free(refs);
    return CTL_OK;
}

ctl_status ctl_item_put(const ctl_cell_place *at, ctl_item *it, ctl_role role, const char *v, size_t n)
{
    ctl_ctx *ctx = at->ctx;
    const ctl_number *num = at->num;
    const char *t = v;
    size_t tn = n;
    ctl_trim(&t, &tn);
    ctl_status st = CTL_OK;
    switch (role) {
    case CTL_ROLE_TITLE:
        if (it->title)
            st = ctl_warn_item(ctx, CTL_D_TITLE_JOINED, at->file, at->line, num->id,
                          "%s has a title both beside its number and in its own column; "
                          "joined them", num->id);
        if (st == CTL_OK) st = set_or_join(ctx, &it->title, v, n);
        break;
    case CTL_ROLE_DESCRIPTION:
        st = set_or_join(ctx, &it->description, v, n);
        break;
    case CTL_ROLE_ANSWER:
        st = set_or_join(ctx, &it->answer, v, n);
        break;
    case CTL_ROLE_CATEGORY:
        if (!tn) break;
        if (tn > 200 || memchr(t, '\n', tn) || (it->category_text && *it->category_text)) {
            if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(ctx);
            st = ctl_warn_item(ctx, CTL_D_BAD_CATEGORY, at->file, at->line, num->id, "%s: '%.*s' is no "
                               "category word; kept as an extra column", num->id,
                               (int)ctl_utf8_clip(t, tn, 60), t);
            break;
        }
        if (!ctl_parse_category(t, tn, &it->category)) it->category = CTL_CATEGORY_NONE;
        st = set_text(ctx, &it->category_text, t, tn);
        break;
    case CTL_ROLE_ISMS:
        st = put_refs(at, it, v, n, t, tn);
        break;
    case CTL_ROLE_PARENT: {
        char pid[CTL_ID_MAX];
        if (!tn) {
            if (!it->parent) st = set_text(ctx, &it->parent, "", 0);
        } else if (ctl_parse_id(t, tn, pid)) {
            st = set_text(ctx, &it->parent, pid, strlen(pid));
        } else {
            if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(ctx);
            st = ctl_warn_item(ctx, CTL_D_NUMBER_MISMATCH, at->file, at->line, num->id,
                               "%s: parent '%.*s' is no identifier; kept as an extra column", num->id,
                               (int)ctl_utf8_clip(t, tn, 40), t);
        }
        break;
    }
    case CTL_ROLE_LABEL:
        if (tn) st = set_text(ctx, &it->label, t, tn);
        break;
    case CTL_ROLE_ID: {
        /* another number column: fine when it agrees, kept when not */
        char other[CTL_ID_MAX];
        if (!tn || (ctl_parse_id(t, tn, other) && !strcmp(other, num->id))) break;
        if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(ctx);
        st = ctl_warn_item(ctx, CTL_D_NUMBER_MISMATCH, at->file, at->line, num->id, "%s: '%.*s' in column '%s' is not this row's number; "
                      "kept as an extra column", num->id, (int)ctl_utf8_clip(t, tn, 40), t, at->extra_name);
        break;
    }
    case CTL_ROLE_LEVEL: {
        /* a depth: the best evidence of the hierarchy */
        long d = 0;
        size_t i = 0;
        while (i < tn && t[i] >= '0' && t[i] <= '9' && d < 1000) d = d * 10 + (t[i++] - '0');
        if (i == tn && tn && d >= 1 && d <= 64) {
            it->level = (int)d;
        } else if (tn) {
            if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(ctx);
            st = ctl_warn_item(ctx, CTL_D_LEVEL_MISMATCH, at->file, at->line, num->id, "%s: level '%.*s' is "
                               "no whole number from 1 to 64; kept as an extra column, the level inferred",
                               num->id, (int)ctl_utf8_clip(t, tn, 40), t);
        }
        break;
    }
    default:
        break;
    }
    return st;
}
