/* SPDX-License-Identifier: BSD-2-Clause */
/* Header-word matching shared by every reader that has a header row. */
#include "headers.h"

#include <stdio.h>
#include <stdlib.h>
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
    /* the real lists' words (ISMAP, 統一基準, ISO 27001, NIST, CIS, CCM,
     * CISO Assistant, K-ISMS-P) */
    {CTL_ROLE_ID, "管理策番号"},    {CTL_ROLE_ID, "controlid"},
    {CTL_ROLE_ID, "controlidentifier"}, {CTL_ROLE_ID, "ref_id"},
    {CTL_ROLE_ID, "refid"},         {CTL_ROLE_ID, "safeguard_id"},
    {CTL_ROLE_ID, "safeguardid"},   {CTL_ROLE_ID, "requirementid"},
    {CTL_ROLE_ID, "識別子"},        {CTL_ROLE_ID, "ref"},
    {CTL_ROLE_ID, "identifier"},    {CTL_ROLE_ID, "number"},
    {CTL_ROLE_ID, "control_id"},
    {CTL_ROLE_TITLE, "管理策"},     {CTL_ROLE_TITLE, "名称"},
    {CTL_ROLE_TITLE, "name"},       {CTL_ROLE_TITLE, "controlname"},
    {CTL_ROLE_TITLE, "controltitle"}, {CTL_ROLE_TITLE, "safeguard_title"},
    {CTL_ROLE_TITLE, "safeguardtitle"}, {CTL_ROLE_TITLE, "control_title"},
    {CTL_ROLE_TITLE, "タイトル"},   {CTL_ROLE_TITLE, "見出し"},
    {CTL_ROLE_DESCRIPTION, "要求事項"}, {CTL_ROLE_DESCRIPTION, "controltext"},
    {CTL_ROLE_DESCRIPTION, "control_text"}, {CTL_ROLE_DESCRIPTION, "controlspecification"},
    {CTL_ROLE_DESCRIPTION, "requirement"}, {CTL_ROLE_DESCRIPTION, "requirements"},
    {CTL_ROLE_DESCRIPTION, "statement"}, {CTL_ROLE_DESCRIPTION, "管理策の内容"},
    {CTL_ROLE_DESCRIPTION, "説明"}, {CTL_ROLE_DESCRIPTION, "本文"},
    {CTL_ROLE_CATEGORY, "type"},    {CTL_ROLE_CATEGORY, "importance"},
    {CTL_ROLE_CATEGORY, "種別"},    {CTL_ROLE_CATEGORY, "分類"},
    {CTL_ROLE_LEVEL, "depth"},      {CTL_ROLE_LEVEL, "深さ"},
    {CTL_ROLE_PARENT, "parent"},    {CTL_ROLE_PARENT, "parent_id"},
    {CTL_ROLE_PARENT, "parentid"},  {CTL_ROLE_PARENT, "親"},
    {CTL_ROLE_PARENT, "親項番"},    {CTL_ROLE_PARENT, "上位"},
    {CTL_ROLE_ISMS, "references"},  {CTL_ROLE_ISMS, "reference"},
    {CTL_ROLE_ISMS, "refs"},        {CTL_ROLE_ISMS, "参照"},
    {CTL_ROLE_ISMS, "関連規格"},    {CTL_ROLE_ISMS, "iso_reference"},
    {CTL_ROLE_ISMS, "isoreference"},
    /* more words of real lists: Japanese statements of applicability and
     * criteria, NIST's and CSA's spreadsheets, GRC exports */
    {CTL_ROLE_ID, "管理番号"},      {CTL_ROLE_ID, "項目番号"},
    {CTL_ROLE_ID, "対策番号"},      {CTL_ROLE_ID, "基準番号"},
    {CTL_ROLE_ID, "要求事項番号"},  {CTL_ROLE_ID, "管理策id"},
    {CTL_ROLE_ID, "#"},
    {CTL_ROLE_ID, "itemno"},        {CTL_ROLE_ID, "itemno."},
    {CTL_ROLE_ID, "item_no"},       {CTL_ROLE_ID, "controlno"},
    {CTL_ROLE_ID, "controlno."},    {CTL_ROLE_ID, "controlnumber"},
    {CTL_ROLE_ID, "control_no"},    {CTL_ROLE_ID, "control_number"},
    {CTL_ROLE_ID, "requirement_id"}, {CTL_ROLE_ID, "req_id"},
    {CTL_ROLE_ID, "reqid"},         {CTL_ROLE_ID, "ref_no"},
    {CTL_ROLE_ID, "refno"},         {CTL_ROLE_ID, "refno."},
    {CTL_ROLE_ID, "ref."},          {CTL_ROLE_ID, "ref#"},
    {CTL_ROLE_ID, "id#"},           {CTL_ROLE_ID, "control#"},
    {CTL_ROLE_ID, "controlref"},    {CTL_ROLE_ID, "controlref."},
    {CTL_ROLE_ID, "ctrlid"},        {CTL_ROLE_ID, "req#"},
    {CTL_ROLE_TITLE, "管理策名"},   {CTL_ROLE_TITLE, "対策名"},
    {CTL_ROLE_TITLE, "項目名"},     {CTL_ROLE_TITLE, "要求事項名"},
    {CTL_ROLE_TITLE, "名前"},       {CTL_ROLE_TITLE, "表題"},
    {CTL_ROLE_TITLE, "件名"},       {CTL_ROLE_TITLE, "requirementname"},
    {CTL_ROLE_TITLE, "requirement_name"}, {CTL_ROLE_TITLE, "control_name"},
    {CTL_ROLE_TITLE, "heading"},
    {CTL_ROLE_DESCRIPTION, "詳細"}, {CTL_ROLE_DESCRIPTION, "対策"},
    {CTL_ROLE_DESCRIPTION, "管理策の説明"}, {CTL_ROLE_DESCRIPTION, "要求内容"},
    {CTL_ROLE_DESCRIPTION, "基準内容"}, {CTL_ROLE_DESCRIPTION, "text"},
    {CTL_ROLE_DESCRIPTION, "controldescription"}, {CTL_ROLE_DESCRIPTION, "control_description"},
    {CTL_ROLE_DESCRIPTION, "controlstatement"}, {CTL_ROLE_DESCRIPTION, "control_statement"},
    {CTL_ROLE_DESCRIPTION, "requirementtext"}, {CTL_ROLE_DESCRIPTION, "requirement_text"},
    {CTL_ROLE_DESCRIPTION, "details"}, {CTL_ROLE_DESCRIPTION, "detail"},
    {CTL_ROLE_CATEGORY, "重要度"},  {CTL_ROLE_CATEGORY, "種類"},
    {CTL_ROLE_CATEGORY, "priority"},
    {CTL_ROLE_LEVEL, "階層レベル"}, {CTL_ROLE_LEVEL, "hierarchy"},
    {CTL_ROLE_LEVEL, "hierarchylevel"}, {CTL_ROLE_LEVEL, "outlinelevel"},
    {CTL_ROLE_PARENT, "上位項番"},  {CTL_ROLE_PARENT, "親番号"},
    {CTL_ROLE_PARENT, "parent_ref_id"}, {CTL_ROLE_PARENT, "parentrefid"},
    {CTL_ROLE_ISMS, "relatedcontrols"}, {CTL_ROLE_ISMS, "related_controls"},
    {CTL_ROLE_ISMS, "mapping"},     {CTL_ROLE_ISMS, "mappings"},
    {CTL_ROLE_ISMS, "対応規格"},    {CTL_ROLE_ISMS, "参照規格"},
    {CTL_ROLE_ANSWER, "response"},  {CTL_ROLE_ANSWER, "対応状況"},
    {CTL_ROLE_ANSWER, "回答内容"},
    /* K-ISMS-P (Korean) */
    {CTL_ROLE_ID, "번호"},          {CTL_ROLE_ID, "항목번호"},
    {CTL_ROLE_TITLE, "항목"},       {CTL_ROLE_TITLE, "항목명"},
    {CTL_ROLE_DESCRIPTION, "내용"}, {CTL_ROLE_DESCRIPTION, "세부내용"},
    {CTL_ROLE_DESCRIPTION, "상세내용"}, {CTL_ROLE_DESCRIPTION, "설명"},
    {CTL_ROLE_LEVEL, "깊이"},
    /* ISMAP 管理基準 in Japanese: the detailed control's text */
    {CTL_ROLE_DESCRIPTION, "詳細管理策"},
};

/* Words that name a field by their ending: "domain_id", "管理策番号", "통제번호",
 * "Control Identifier" the ids; "Control Name", "管理策名" a title;
 * "Control Description" a description ("Name[fr]" ends otherwise). */
static const struct {
    ctl_role role;
    const char *ending;
} endings[] = {
    {CTL_ROLE_ID, "_id"},          {CTL_ROLE_ID, "-id"},       {CTL_ROLE_ID, "番号"},
    {CTL_ROLE_ID, "번호"},
    {CTL_ROLE_ID, "identifier"},   {CTL_ROLE_TITLE, "name"},
    {CTL_ROLE_TITLE, "名称"},      {CTL_ROLE_TITLE, "名"},     {CTL_ROLE_DESCRIPTION, "description"},
};

static ctl_role role_by_ending(const char *f)
{
    size_t n = strlen(f);
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        size_t k = strlen(endings[i].ending);
        if (n > k && !strcmp(f + n - k, endings[i].ending)) return endings[i].role;
    }
    return CTL_ROLE_EXTRA;
}

ctl_role ctl_header_role(const char *s, size_t len)
{
    ctl_trim(&s, &len);
    /* header words are short: prose cells are not folded at all */
    char f[256];
    if (!len || len > 48 || ctl_fold_into(s, len, f, sizeof f) < 0) return CTL_ROLE_EXTRA;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (words[i].folded[0] == f[0] && !strcmp(f, words[i].folded)) return words[i].role;
    /* a column named after a scheme holds references of it */
    if (ctl_scheme_name(s, len)) return CTL_ROLE_ISMS;
    return role_by_ending(f);
}

const char *ctl_column_scheme(const char *s, size_t len, const ctl_options *opts)
{
    const char *named = ctl_scheme_name(s, len);
    if (named) return named;
    if (opts && opts->ref_scheme) return opts->ref_scheme;
    return "";
}

const char *ctl_refs_unprefixed(const char *scheme)
{
    scheme = ctl_str(scheme);
    return *scheme && ctl_scheme_name(scheme, strlen(scheme)) ? scheme : "";
}

const char *ctl_refs_header(const char *scheme, ctl_header_lang lang)
{
    scheme = ctl_str(scheme);
    if (!strcmp(scheme, "iso27001-2013")) return lang == CTL_HEADER_JA ? "ISMS管理策" : "isms";
    if (*scheme && ctl_scheme_name(scheme, strlen(scheme))) return scheme;
    return lang == CTL_HEADER_JA ? "参照" : "references";
}

ctl_field_kind ctl_field_from_header(const char *s, size_t len) { return ctl_header_role(s, len); }

/* The user's mapping of a header word: its index in opts->columns, or -1. */
static long mapping_of(const char *s, size_t len, const ctl_options *opts)
{
    if (!opts || !opts->n_columns) return -1;
    ctl_trim(&s, &len);
    char f[1024], g[1024];
    if (ctl_fold_into(s, len, f, sizeof f) < 0) return -1;
    for (size_t i = 0; i < opts->n_columns; i++)
        if (ctl_fold_into(opts->columns[i].header, strlen(opts->columns[i].header), g, sizeof g) >= 0 &&
            !strcmp(f, g))
            return (long)i;
    return -1;
}

int ctl_header_mapped(const char *s, size_t len, const ctl_options *opts)
{
    return mapping_of(s, len, opts) >= 0;
}

ctl_role ctl_header_role_opts(const char *s, size_t len, const ctl_options *opts)
{
    long i = mapping_of(s, len, opts);
    if (i >= 0) return opts->columns[i].field;
    ctl_role role = ctl_header_role(s, len);
    /* a field the caller mapped onto another column: this one is extra */
    for (size_t k = 0; opts && role != CTL_ROLE_EXTRA && k < opts->n_columns; k++)
        if ((ctl_role)opts->columns[k].field == role) return CTL_ROLE_EXTRA;
    return role;
}

/* Does a header word among names[0..n) fold to the same as header? */
static int has_header(const char *header, const char *const *names, size_t n)
{
    char f[1024], g[1024];
    if (ctl_fold_into(header, strlen(header), f, sizeof f) < 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (names[i] && ctl_fold_into(names[i], strlen(names[i]), g, sizeof g) >= 0 && !strcmp(f, g))
            return 1;
    return 0;
}

ctl_status ctl_check_column_maps(ctl_ctx *ctx, const ctl_options *opts, const char *file, long line,
                                 const char *const *names, size_t n)
{
    enum { SHOWN = 6 };
    for (size_t i = 0; opts && i < opts->n_columns; i++) {
        const ctl_column_map *m = &opts->columns[i];
        if (has_header(m->header, names, n)) continue;
        int asked = (int)ctl_utf8_clip(m->header, strlen(m->header), 80);
        const char *as = m->field == CTL_FIELD_NONE ? "an extra column" : ctl_role_name_en(m->field);
        if (!n)
            return ctl_fail(ctx, CTL_D_NO_SUCH_COLUMN, file, line, "no column '%.*s' to read as %s: "
                            "the input has no header row", asked, m->header, as);
        char have[1024] = "";
        size_t used = 0;
        for (size_t k = 0; k < n && k < SHOWN && used < sizeof have; k++) {
            const char *c = names[k] ? names[k] : "";
            int w = (int)ctl_utf8_clip(c, strlen(c), 40);
            used += (size_t)snprintf(have + used, sizeof have - used, "%s'%.*s'", k ? ", " : "", w, c);
        }
        return ctl_fail(ctx, CTL_D_NO_SUCH_COLUMN, file, line, "no column '%.*s' to read as %s: the "
                        "header row has %s%s", asked, m->header, as, have,
                        n > SHOWN ? " and more" : "");
    }
    return CTL_OK;
}

int ctl_looks_like_annex(const char *s, size_t len)
{
    char f[1024];
    if (ctl_fold_into(s, ctl_utf8_clip(s, len, 256), f, sizeof f) < 0) return 0;
    return !strncmp(f, "annex", 5) || strstr(f, "一覧") != NULL;
}

static const char *const names_en[CTL_ROLE_COUNT] = {
    "", "id", "label", "level", "isms", "title", "description", "category", "answer", "parent"};
static const char *const names_ja[CTL_ROLE_COUNT] = {
    "", "項番", "表示番号", "階層", "ISMS管理策", "対策項目", "対策内容", "区分", "公開回答", "親項番"};

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
    int seen[CTL_ROLE_COUNT] = {0};
    for (size_t i = 0; i < meta->n_columns; i++) {
        const char *c = meta->columns[i];
        if (!c || !*c) continue;
        /* the first column of a field is that field; a later one is extra,
         * as a reader reads a second column of a field */
        ctl_role role = ctl_header_role_opts(c, strlen(c), opts);
        if (role == CTL_ROLE_EXTRA || seen[role]) v[k++] = c;
        seen[role] = 1;
    }
    if (!k) { ctl_free(v); return CTL_OK; }
    *names = v;
    *n = k;
    return CTL_OK;
}

typedef struct {
    const char *name;
    size_t at;
} named_at;

static int by_name_then_position(const void *a, const void *b)
{
    const named_at *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Without memory for the sort: the j-th column of a name takes the j-th
 * extra of that name, found by counting (quadratic, but right). */
static size_t values_by_counting(const ctl_item *it, const char *const *names, size_t n,
                                 const char **values)
{
    size_t placed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        for (size_t p = 0; p < i; p++) j += !strcmp(names[p], names[i]);
        for (size_t k = 0; k < it->n_extra; k++)
            if (!strcmp(ctl_str(it->extra[k].name), names[i]) && j-- == 0) {
                values[i] = ctl_str(it->extra[k].value);
                placed++;
                break;
            }
    }
    return placed;
}

/* Both sides sorted by name, then position: equal names pair up in order. */
static size_t values_by_sorting(const ctl_item *it, const char *const *names, size_t n,
                                const char **values)
{
    size_t m = it->n_extra;
    named_at *a = ctl_malloc((n + m) * sizeof *a);
    if (!a) return values_by_counting(it, names, n, values);
    named_at *b = a + n;
    for (size_t i = 0; i < n; i++) a[i] = (named_at){names[i], i};
    for (size_t k = 0; k < m; k++) b[k] = (named_at){ctl_str(it->extra[k].name), k};
    qsort(a, n, sizeof *a, by_name_then_position);
    qsort(b, m, sizeof *b, by_name_then_position);
    size_t placed = 0;
    for (size_t i = 0, k = 0; i < n && k < m;) {
        int c = strcmp(a[i].name, b[k].name);
        if (c < 0) i++;
        else if (c > 0) k++;
        else {
            values[a[i++].at] = ctl_str(it->extra[b[k++].at].value);
            placed++;
        }
    }
    ctl_free(a);
    return placed;
}

size_t ctl_extra_values(const ctl_item *it, const char *const *names, size_t n, const char **values)
{
    for (size_t i = 0; i < n; i++) values[i] = "";
    /* the usual case: the item's extras are the columns, in their order */
    size_t i = 0;
    while (i < n && i < it->n_extra && !strcmp(ctl_str(it->extra[i].name), names[i])) {
        values[i] = ctl_str(it->extra[i].value);
        i++;
    }
    if (i == n) return it->n_extra - n;
    for (size_t k = 0; k < i; k++) values[k] = "";
    return it->n_extra - values_by_sorting(it, names, n, values);
}
