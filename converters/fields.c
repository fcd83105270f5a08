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

static ctl_status put_isms(const ctl_cell_place *at, ctl_item *it, const char *v, size_t n,
                           const char *t, size_t tn)
{
    char **refs;
    size_t nr;
    int ok = ctl_parse_isms(t, tn, &refs, &nr);
    if (ok < 0) return ctl_nomem(at->ctx);
    if (!ok) {
        if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(at->ctx);
        return ctl_warn_item(at->ctx, CTL_D_NOT_ISMS, at->file, at->line, at->num->id, "%s: '%.*s' is not a list of ISMS "
                        "references; kept as an extra column", at->num->id, (int)tn, t);
    }
    if (!nr) return CTL_OK;
    char **grown = ctl_realloc(it->isms, (it->n_isms + nr) * sizeof *grown);
    if (!grown) {
        for (size_t i = 0; i < nr; i++) ctl_free(refs[i]);
        ctl_free(refs);
        return ctl_nomem(at->ctx);
    }
    memcpy(grown + it->n_isms, refs, nr * sizeof *refs);
    it->isms = grown;
    it->n_isms += nr;
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
        if (!tn || ctl_parse_category(t, tn, &it->category)) break;
        if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(ctx);
        st = ctl_warn_item(ctx, CTL_D_BAD_CATEGORY, at->file, at->line, num->id, "%s: category '%.*s' is neither 基本 nor "
                      "推奨; kept as an extra column", num->id, (int)tn, t);
        break;
    case CTL_ROLE_ISMS:
        st = put_isms(at, it, v, n, t, tn);
        break;
    case CTL_ROLE_LABEL:
        if (tn) st = set_text(ctx, &it->label, t, tn);
        break;
    case CTL_ROLE_ID: {
        /* another number column: fine when it agrees, kept when not */
        ctl_number other;
        if (!tn || (ctl_parse_number_exact(t, tn, &other) && !strcmp(other.id, num->id))) break;
        if (!ctl_item_add_extra(it, at->extra_name, v, n)) return ctl_nomem(ctx);
        st = ctl_warn_item(ctx, CTL_D_NUMBER_MISMATCH, at->file, at->line, num->id, "%s: '%.*s' in column '%s' is not this row's number; "
                      "kept as an extra column", num->id, (int)ctl_utf8_clip(t, tn, 40), t, at->extra_name);
        break;
    }
    case CTL_ROLE_LEVEL: {
        char lv[16];
        snprintf(lv, sizeof lv, "%d", num->level);
        if (tn && (tn != strlen(lv) || memcmp(t, lv, tn)))
            st = ctl_warn_item(ctx, CTL_D_LEVEL_MISMATCH, at->file, at->line, num->id, "%s: level '%.*s' does not match its number "
                          "(level %d); the number wins", num->id, (int)tn, t, num->level);
        break;
    }
    default:
        break;
    }
    return st;
}
