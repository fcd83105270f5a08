/* Header-word matching shared by every reader that has a header row. */
#include "headers.h"

#include <string.h>

static const struct {
    ctl_role role;
    const char *folded;   /* as ctl_fold_into leaves it */
} words[] = {
    {CTL_ROLE_ID, "項番"},          {CTL_ROLE_ID, "id"},
    {CTL_ROLE_ID, "no."},           {CTL_ROLE_ID, "no"},
    {CTL_ROLE_ID, "番号"},          {CTL_ROLE_LABEL, "label"},
    {CTL_ROLE_LABEL, "表示番号"},
    {CTL_ROLE_LEVEL, "階層"},       {CTL_ROLE_LEVEL, "level"},
    {CTL_ROLE_LEVEL, "レベル"},     {CTL_ROLE_ISMS, "isms管理策"},
    {CTL_ROLE_ISMS, "isms"},        {CTL_ROLE_ISMS, "isms_ref"},
    {CTL_ROLE_ISMS, "isms_refs"},   {CTL_ROLE_TITLE, "対策項目"},
    {CTL_ROLE_TITLE, "title"},      {CTL_ROLE_TITLE, "項目"},
    {CTL_ROLE_DESCRIPTION, "対策内容"}, {CTL_ROLE_DESCRIPTION, "description"},
    {CTL_ROLE_DESCRIPTION, "内容"}, {CTL_ROLE_CATEGORY, "区分"},
    {CTL_ROLE_CATEGORY, "category"}, {CTL_ROLE_ANSWER, "公開回答"},
    {CTL_ROLE_ANSWER, "answer"},    {CTL_ROLE_ANSWER, "回答"},
};

ctl_role ctl_header_role(const char *s, size_t len)
{
    ctl_trim(&s, &len);
    /* header words are short: prose cells are not folded at all */
    char f[256];
    if (!len || len > 48 || ctl_fold_into(s, len, f, sizeof f) < 0) return CTL_ROLE_EXTRA;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(f, words[i].folded)) return words[i].role;
    return CTL_ROLE_EXTRA;
}

ctl_field_kind ctl_field_from_header(const char *s, size_t len) { return ctl_header_role(s, len); }

ctl_role ctl_header_role_opts(const char *s, size_t len, const ctl_options *opts)
{
    if (opts && opts->n_columns) {
        ctl_trim(&s, &len);
        char f[1024], g[1024];
        if (ctl_fold_into(s, len, f, sizeof f) >= 0)
            for (size_t i = 0; i < opts->n_columns; i++)
                if (ctl_fold_into(opts->columns[i].header, strlen(opts->columns[i].header), g, sizeof g) >= 0 &&
                    !strcmp(f, g))
                    return opts->columns[i].field;
    }
    return ctl_header_role(s, len);
}

int ctl_looks_like_annex(const char *s, size_t len)
{
    char f[1024];
    if (ctl_fold_into(s, ctl_utf8_clip(s, len, 256), f, sizeof f) < 0) return 0;
    return !strncmp(f, "annex", 5) || strstr(f, "一覧") != NULL;
}

static const char *const names_en[CTL_ROLE_COUNT] = {
    "", "id", "label", "level", "isms", "title", "description", "category", "answer"};
static const char *const names_ja[CTL_ROLE_COUNT] = {
    "", "項番", "表示番号", "階層", "ISMS管理策", "対策項目", "対策内容", "区分", "公開回答"};

const char *ctl_role_name_en(ctl_role r) { return (unsigned)r < CTL_ROLE_COUNT ? names_en[r] : ""; }
const char *ctl_role_name_ja(ctl_role r) { return (unsigned)r < CTL_ROLE_COUNT ? names_ja[r] : ""; }

ctl_status ctl_extra_columns(ctl_ctx *ctx, const ctl_meta *meta, const ctl_options *opts,
                             const char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    if (!meta->n_columns) return CTL_OK;
    const char **v = ctl_malloc(meta->n_columns * sizeof *v);
    if (!v) return ctl_nomem(ctx);
    size_t k = 0;
    for (size_t i = 0; i < meta->n_columns; i++) {
        const char *c = meta->columns[i];
        if (c && *c && ctl_header_role_opts(c, strlen(c), opts) == CTL_ROLE_EXTRA) v[k++] = c;
    }
    if (!k) { ctl_free(v); return CTL_OK; }
    *names = v;
    *n = k;
    return CTL_OK;
}

size_t ctl_extra_values(const ctl_item *it, const char *const *names, size_t n, const char **values)
{
    size_t placed = 0;
    for (size_t i = 0; i < n; i++) {
        values[i] = "";
        for (size_t k = 0; k < it->n_extra; k++)
            if (!strcmp(ctl_str(it->extra[k].name), names[i])) {
                values[i] = ctl_str(it->extra[k].value);
                placed++;
                break;
            }
    }
    return it->n_extra - placed;
}
