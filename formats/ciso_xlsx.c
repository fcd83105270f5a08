/* SPDX-License-Identifier: BSD-2-Clause */
/* CISO Assistant's library workbook: the "v2" Excel form its converter
 * (backend/scripts/convert_library_v2.py) turns into a library, read and
 * written as the library tree of formats/ciso.h.
 *
 *  - library_meta: key/value rows (type = library, urn, version, locale,
 *    ref_id, name, ...; name[fr]: a translation); for each object a pair
 *    <prefix>_meta (key/value, its type) and <prefix>_content (a header row,
 *    then a row per entry).  Keys and headers are matched trimmed and lower
 *    case, values trimmed, as the converter does;
 *  - a framework's nodes take their URN from base_urn and, in order: the
 *    node_id cell as it is, the ref_id made a URN suffix (NFKD, ASCII
 *    only, lower case, space '-', other characters '_'), else <parent
 *    URN>:<rank among the unnumbered children>, else the name made a
 *    suffix, else node<rank>; depth gives the parent (the last node one
 *    level up); assessable is any cell Python takes for true;
 *  - a requirement mapping set's rows name nodes by their suffix under
 *    source_node_base_urn and target_node_base_urn (lower case, space '-').
 * Written, the workbook is one the converter turns back into the tree: a
 * node_id cell where the ref_id would not give the node's URN; one mapping
 * set (the converter keeps one a workbook, and makes its reverse).  Read,
 * the tree is what the converter makes (requirement_mapping_sets: the set
 * and its reverse), less what the list has no use for (questions, scores,
 * risk matrices, objects of reference controls and threats...: left out
 * with a warning). */
#include "ciso.h"
#include "xlsx.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <utf8proc.h>

/* ------------------------------------------------------------ text as the converter sees it */

/* Python's str.isspace(): what str.strip() and \s take away. */
static int py_space(uint32_t cp) { return ctl_ciso_space(cp); }

/* Python's str.strip(). */
static void py_strip(const char **s, size_t *n) { ctl_ciso_strip(s, n); }

/* s lower-cased (code point by code point) into out; 0: no memory. */
static int py_lower(const char *s, size_t n, ctl_buf *out)
{
    out->len = 0;
    if (!ctl_buf_add(out, "", 0)) return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += ctl_utf8_decode(s + i, n - i, &cp);
        char u[8];
        size_t k = ctl_utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), u);
        if (!ctl_buf_add(out, u, k)) return 0;
    }
    return 1;
}

/* The converter's URN suffix of a ref_id or a name (s[0..n)): the
 * converter's clean_urn_suffix, ctl_ciso_clean.  Into out; 0: no memory. */
static int urn_clean(const char *s, size_t n, ctl_buf *out)
{
    char *t = ctl_strndup(s, n);
    int ok = t && ctl_ciso_clean(t, out);
    ctl_free(t);
    return ok;
}

/* Python's \w: a letter, a number or '_'. */
static int word_char(uint32_t cp)
{
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) || (c >= UTF8PROC_CATEGORY_ND &&
                                                                        c <= UTF8PROC_CATEGORY_NO);
}

/* A run of word characters at s[0..n): its length. */
static size_t word_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = ctl_utf8_decode(s + i, n - i, &cp);
        if (!word_char(cp)) break;
        i += k;
    }
    return i;
}

/* Is the key or header h a translation, field[lang] (the converter's
 * (\w+)\[(\w+)\] at its start)?  Then *field_len, *lang, *lang_len. */
static int translation_key(const char *h, size_t n, size_t *field_len, const char **lang, size_t *lang_len)
{
    size_t f = word_run(h, n);
    if (!f || f >= n || h[f] != '[') return 0;
    size_t l = word_run(h + f + 1, n - f - 1);
    if (!l || f + 1 + l >= n || h[f + 1 + l] != ']') return 0;
    *field_len = f;
    *lang = h + f + 1;
    *lang_len = l;
    return 1;
}

/* Does the text start, after white space, with '=' (what the converter
 * takes for a formula never evaluated, in a translation)? */
static int formula_like(const char *s, size_t n)
{
    py_strip(&s, &n);
    return n && s[0] == '=';
}

/* ------------------------------------------------------------ jansson helpers */

/* Sets o[key] to v (taken); 0 when v is NULL or memory runs out. */
static int jset(json_t *o, const char *key, json_t *v)
{
    return v && !json_object_set_new(o, key, v);
}

static int jsetn(json_t *o, const char *key, size_t klen, json_t *v)
{
    char *k = ctl_strndup(key, klen);
    int ok = k && jset(o, k, v);
    if (!k) json_decref(v);
    ctl_free(k);
    return ok;
}

static int jappend(json_t *a, json_t *v)
{
    return v && !json_array_append_new(a, v);
}

/* o[key] as a string, or NULL. */
static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* o[key1][key2], made objects as needed; NULL: no memory. */
static json_t *jobj(json_t *o, const char *key, size_t klen)
{
    char *k = ctl_strndup(key, klen);
    if (!k) return NULL;
    json_t *v = json_object_get(o, k);
    if (!v && !jset(o, k, v = json_object())) v = NULL;
    ctl_free(k);
    return json_is_object(v) ? v : NULL;
}

/* Copies o[key] to d[dkey] when there; 0: no memory. */
static int jcopy(json_t *d, const char *dkey, const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !v || jset(d, dkey, json_deep_copy(v));
}

/* The reverse of a requirement mapping set, as the converter makes one of
 * every set it reads: URN and ref_id + "-revert", source and target
 * swapped, subset and superset exchanged.  NULL: no memory, or no URN or
 * ref_id (or mappings without relationships). */
static json_t *revert_of(const json_t *set)
{
    const char *urn = jstr(set, "urn"), *ref = jstr(set, "ref_id");
    json_t *r = json_object(), *maps = json_array();
    ctl_buf b = {0};
    int ok = r && maps && urn && ref && ctl_buf_printf(&b, "%s-revert", urn) && jset(r, "urn", json_string(b.data));
    b.len = 0;
    ok = ok && ctl_buf_printf(&b, "%s-revert", ref) && jset(r, "ref_id", json_string(b.data)) &&
         jcopy(r, "name", set, "name") && jcopy(r, "description", set, "description") &&
         jcopy(r, "target_framework_urn", set, "source_framework_urn") &&
         jcopy(r, "source_framework_urn", set, "target_framework_urn") && jcopy(r, "translations", set, "translations");
    ctl_buf_free(&b);
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(set, "requirement_mappings"), i, m) {
        const char *rel = jstr(m, "relationship");
        json_t *e = json_object();
        ok = ok && rel && jappend(maps, e) && jcopy(e, "source_requirement_urn", m, "target_requirement_urn") &&
             jcopy(e, "target_requirement_urn", m, "source_requirement_urn") &&
             jset(e, "relationship", json_string(!strcmp(rel, "subset") ? "superset"
                                                 : !strcmp(rel, "superset") ? "subset" : rel)) &&
             jcopy(e, "rationale", m, "rationale") && jcopy(e, "strength_of_relationship", m, "strength_of_relationship");
        if (!ok) break;
    }
    if (ok && jset(r, "requirement_mappings", maps)) return r;
    if (!ok) json_decref(maps);
    json_decref(r);
    return NULL;
}

/* A deep copy of v without its null members; NULL: no memory. */
static json_t *without_nulls(const json_t *v)
{
    json_t *c = json_deep_copy(v), *e;
    const char *key;
    void *tmp;
    size_t i;
    if (json_is_object(c))
        json_object_foreach_safe(c, tmp, key, e) {
            if (json_is_null(e)) json_object_del(c, key);
            else if (json_is_object(e) || json_is_array(e)) {
                json_t *n = without_nulls(e);
                if (!n || json_object_set_new(c, key, n)) { json_decref(c); return NULL; }
            }
        }
    else if (json_is_array(c))
        json_array_foreach(c, i, e)
            if (json_is_object(e) || json_is_array(e)) {
                json_t *n = without_nulls(e);
                if (!n || json_array_set_new(c, i, n)) { json_decref(c); return NULL; }
            }
    return c;
}

/* ------------------------------------------------------------ writing */

typedef struct {
    ctl_ctx *ctx;
    const char *name;          /* the output's, for messages */
    lxw_workbook *wb;
    lxw_format *bold, *wrap;
    ctl_buf esc, where, a, b;
    size_t changed;            /* cells the converter will not take as written */
    char first_changed[160];
    const char *base;          /* the framework's base_urn ("" none) */
    ctl_buf fw_base;           /* holds it */
    json_t *deps_out;          /* dependencies left out with a mapping set */
} wbook;

typedef struct {
    wbook *w;
    lxw_worksheet *ws;
    const char *sheet;
    lxw_row_t row;
} wsheet;

/* The tree has what the workbook cannot hold: the tree is ctlconv's own
 * (ctl_ciso_build), so this is a fault of ctlconv. */
static ctl_status bad_tree(wbook *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static ctl_status bad_tree(wbook *w, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctl_fail(w->ctx, CTL_D_INTERNAL, w->name, 0, "the library cannot be written as CISO Assistant's "
                    "workbook: %s", msg);
}

static ctl_status add_sheet(wbook *w, const char *name, wsheet *sh)
{
    sh->w = w;
    sh->sheet = name;
    sh->row = 0;
    sh->ws = workbook_add_worksheet(w->wb, name);
    return sh->ws ? CTL_OK : ctl_fail(w->ctx, CTL_D_OUT_OF_MEMORY, w->name, 0, "cannot add the worksheet %s", name);
}

/* Notes a cell not written as the tree has it (the converter trims
 * values: written trimmed) or that the converter skips (a translation
 * starting with '='). */
static void note_changed(wsheet *sh, lxw_col_t col, const char *why)
{
    if (!sh->w->changed++)
        snprintf(sh->w->first_changed, sizeof sh->w->first_changed, "%s row %u, column %u (%s)", sh->sheet,
                 (unsigned)sh->row + 1, (unsigned)col + 1, why);
}

/* A text cell, written as the converter takes it: trimmed (noted). */
static ctl_status put_text(wsheet *sh, lxw_col_t col, const char *s, lxw_format *f)
{
    wbook *w = sh->w;
    const char *t = s;
    size_t n = strlen(s);
    py_strip(&t, &n);
    w->where.len = 0;
    if (!ctl_buf_printf(&w->where, "%s[%s]", w->name, sh->sheet)) return ctl_nomem(w->ctx);
    if (n == strlen(s)) return ctl_xlsx_put_string(w->ctx, w->where.data, sh->ws, sh->row, col, s, f, &w->esc);
    note_changed(sh, col, "white space at an end, which it trims");
    char *trimmed = ctl_strndup(t, n);
    if (!trimmed) return ctl_nomem(w->ctx);
    ctl_status st = ctl_xlsx_put_string(w->ctx, w->where.data, sh->ws, sh->row, col, trimmed, f, &w->esc);
    ctl_free(trimmed);
    return st;
}

/* A whole number: a number cell when a double holds it exactly. */
static ctl_status put_int(wsheet *sh, lxw_col_t col, json_int_t v)
{
    if (v > -(1LL << 53) && v < (1LL << 53)) {
        lxw_error err = worksheet_write_number(sh->ws, sh->row, col, (double)v, NULL);
        if (err == LXW_NO_ERROR) return CTL_OK;
        return ctl_fail(sh->w->ctx, err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE ? CTL_D_FIXED_LIMIT : CTL_D_OUT_OF_MEMORY,
                        sh->w->name, 0, "%s: cannot write a number: %s", sh->sheet, lxw_strerror(err));
    }
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)v);
    return put_text(sh, col, num, NULL);
}

/* A key as the converter reads it back: trimmed and lower case already. */
static int key_kept(wbook *w, const char *k)
{
    size_t n = strlen(k);
    const char *t = k;
    py_strip(&t, &n);
    return n == strlen(k) && n && py_lower(k, strlen(k), &w->a) && !strcmp(w->a.data, k);
}

/* A key/value row. */
static ctl_status put_kv(wsheet *sh, const char *key, const json_t *v)
{
    ctl_status st = put_text(sh, 0, key, sh->w->bold);
    if (st == CTL_OK)
        st = json_is_integer(v) ? put_int(sh, 1, json_integer_value(v)) : put_text(sh, 1, json_string_value(v), NULL);
    sh->row++;
    return st;
}

/* The rows field[lang] of a translations object {lang: {field: text}}. */
static ctl_status put_translations(wsheet *sh, const char *what, const json_t *tr)
{
    wbook *w = sh->w;
    const char *lang, *field;
    const json_t *fields, *text;
    if (!json_is_object(tr)) return bad_tree(w, "the translations of the %s are no object", what);
    json_object_foreach((json_t *)tr, lang, fields) {
        if (!json_is_object(fields)) return bad_tree(w, "translations '%s' of the %s are no object", lang, what);
        json_object_foreach((json_t *)fields, field, text) {
            w->b.len = 0;
            size_t fl, ll;
            const char *l;
            if (!ctl_buf_printf(&w->b, "%s[%s]", field, lang)) return ctl_nomem(w->ctx);
            if (!json_is_string(text) || !translation_key(w->b.data, w->b.len, &fl, &l, &ll) ||
                fl != strlen(field) || ll != strlen(lang) || !key_kept(w, w->b.data))
                return bad_tree(w, "the %s's translation %s is no text under a word in lower case", what, w->b.data);
            if (formula_like(json_string_value(text), strlen(json_string_value(text))))
                note_changed(sh, 1, "a translation starting with '=', which it skips as a formula");
            char *key = ctl_buf_take(&w->b);
            if (!key) return ctl_nomem(w->ctx);
            ctl_status st = put_kv(sh, key, text);
            ctl_free(key);
            if (st != CTL_OK) return st;
        }
    }
    return CTL_OK;
}

/* The key/value rows of an object (the library, a framework, a mapping
 * set): its text and whole numbers as they are, lists of URNs joined, its
 * translations; skip: keys written otherwise. */
static ctl_status put_meta(wsheet *sh, const char *what, const json_t *o, const char *const *skip)
{
    wbook *w = sh->w;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v) {
        int skipped = 0;
        for (const char *const *s = skip; *s && !skipped; s++) skipped = !strcmp(*s, key);
        if (skipped || json_is_null(v)) continue;
        ctl_status st;
        if (!strcmp(key, "translations")) st = put_translations(sh, what, v);
        else if (!key_kept(w, key) || !strcmp(key, "type") || !strcmp(key, "base_urn") || strchr(key, '['))
            return bad_tree(w, "the %s's key '%s' would not read back as itself", what, key);
        else if (json_is_array(v) && (!strcmp(key, "dependencies") || !strcmp(key, "labels"))) {
            size_t i;
            const json_t *e;
            w->b.len = 0;
            if (!ctl_buf_add(&w->b, "", 0)) return ctl_nomem(w->ctx);
            json_array_foreach(v, i, e) {
                const char *u = json_string_value(e);
                if (!u || !*u || strpbrk(u, " \t\r\n\f\v,"))
                    return bad_tree(w, "the %s's %s hold something that is no name without spaces or commas", what,
                                    key);
                if (!strcmp(key, "dependencies") && json_object_get(w->deps_out, u)) continue;
                if ((w->b.len && !ctl_buf_adds(&w->b, ", ")) || !ctl_buf_adds(&w->b, u)) return ctl_nomem(w->ctx);
            }
            if (!w->b.len) continue;   /* each left out */
            json_t *joined = json_string(w->b.data);
            if (!joined) return ctl_nomem(w->ctx);
            st = put_kv(sh, key, joined);
            json_decref(joined);
        } else if (json_is_string(v) || json_is_integer(v)) st = put_kv(sh, key, v);
        else return bad_tree(w, "the %s's key '%s' holds neither text nor a whole number", what, key);
        if (st != CTL_OK) return st;
    }
    return CTL_OK;
}

static ctl_status put_type(wsheet *sh, const char *type)
{
    json_t *t = json_string(type);
    if (!t) return ctl_nomem(sh->w->ctx);
    ctl_status st = put_kv(sh, "type", t);
    json_decref(t);
    return st;
}

/* The base of a set of URNs, into out: conv when every one is conv:...,
 * else the longest part they share that ends before a ':'.  The URNs are
 * field of each object of a (the string itself when field is NULL).
 * Returns 0 when they share none (or one is no string), -1 no memory. */
static int urn_base(const json_t *a, const char *field, const char *conv, ctl_buf *out)
{
    size_t i, common = 0;
    const json_t *e;
    const char *first = NULL;
    int conv_fits = conv != NULL;
    size_t cl = conv ? strlen(conv) : 0;
    json_array_foreach(a, i, e) {
        const char *u = field ? jstr(e, field) : json_string_value(e);
        if (!u) return 0;
        if (conv_fits && (strncmp(u, conv, cl) || u[cl] != ':' || !u[cl + 1])) conv_fits = 0;
        if (!first) { first = u; common = strlen(u); continue; }
        size_t k = 0;
        while (k < common && u[k] == first[k]) k++;
        common = k;
    }
    out->len = 0;
    if (!ctl_buf_add(out, "", 0)) return -1;
    if (conv_fits || !first) return conv ? (ctl_buf_adds(out, conv) ? 1 : -1) : 0;
    while (common && first[common - 1] != ':') common--;
    if (common < 2) return 0;
    return ctl_buf_add(out, first, common - 1) ? 1 : -1;
}

/* The framework URN's req_node base (urn:x:risk:framework:y ->
 * urn:x:risk:req_node:y), as CISO Assistant names its nodes; into out. */
static int conventional_base(const char *framework_urn, ctl_buf *out)
{
    out->len = 0;
    const char *at = framework_urn ? strstr(framework_urn, ":framework:") : NULL;
    if (!at) return ctl_buf_add(out, "", 0);
    return ctl_buf_add(out, framework_urn, (size_t)(at - framework_urn)) && ctl_buf_adds(out, ":req_node:") &&
           ctl_buf_adds(out, at + 11);
}

/* ---- the framework's nodes ---- */

/* The columns of framework_content, in order; translations follow. */
enum { C_ASSESSABLE, C_DEPTH, C_REF_ID, C_NODE_ID, C_NAME, C_DESCRIPTION, C_ANNOTATION, C_EVIDENCE, C_IMPORTANCE,
       C_WEIGHT, C_MIN, C_MAX, C_CONTROLS, C_THREATS, N_FIXED };
static const char *const node_cols[N_FIXED] = {
    "assessable", "depth", "ref_id", "node_id", "name", "description", "annotation", "typical_evidence",
    "importance", "weight", "min_score", "max_score", "reference_controls", "threats"};
static const double node_widths[N_FIXED] = {10, 6, 14, 14, 40, 70, 30, 30, 12, 8, 8, 8, 30, 30};

typedef struct {
    int used[N_FIXED];
    lxw_col_t col[N_FIXED];
    json_t *tr_cols;           /* "field[lang]" -> its column (an integer) */
    lxw_col_t n_cols;
    unsigned char *node_id;    /* the nodes that need a node_id cell */
} node_plan;

static int node_key(const char *k, size_t *fixed)
{
    static const char *const others[] = {"urn", "parent_urn", "translations"};
    for (size_t c = 0; c < N_FIXED; c++)
        if (c != C_NODE_ID && !strcmp(k, node_cols[c])) { *fixed = c; return 1; }
    *fixed = N_FIXED;
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        if (!strcmp(k, others[i])) return 1;
    return 0;
}

/* Does the converter make the node's URN of its ref_id?  (For an ASCII
 * ref_id only: NFKD is the converter's Python's.) */
static int ref_gives(wbook *w, const char *ref, const char *suffix, int *gives)
{
    const char *t = ref;
    size_t n = strlen(ref);
    py_strip(&t, &n);
    *gives = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] >= 0x80) return 1;
    if (!n) return 1;
    if (!urn_clean(t, n, &w->a)) return 0;
    *gives = !strcmp(w->a.data, suffix);
    return 1;
}

/* A list of URNs the converter reads back from one cell (split at white
 * space and commas; full URNs are taken as they are). */
static int urn_list_ok(const json_t *v)
{
    size_t i;
    const json_t *e;
    if (!json_is_array(v)) return 0;
    json_array_foreach(v, i, e) {
        const char *u = json_string_value(e);
        if (!u || strncmp(u, "urn:", 4) || strpbrk(u, " \t\r\n\f\v,")) return 0;
    }
    return 1;
}

/* One node's values against what the cells can say. */
static ctl_status check_node_values(wbook *w, const char *urn, const json_t *node, node_plan *p)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)node, key, v) {
        size_t c;
        if (!node_key(key, &c)) return bad_tree(w, "node %s: its key '%s' has no column", urn, key);
        if (json_is_null(v) || c == N_FIXED || c == C_DEPTH || c == C_ASSESSABLE) continue;
        int ok;
        switch (c) {
        case C_IMPORTANCE: {
            const char *s = json_string_value(v);
            ok = s && (!strcmp(s, "mandatory") || !strcmp(s, "recommended") || !strcmp(s, "nice_to_have") ||
                       !strcmp(s, "undefined"));
            if (ok && !strcmp(s, "undefined")) continue;   /* an empty cell */
            break;
        }
        case C_WEIGHT: ok = json_is_integer(v) && json_integer_value(v) > 0; break;
        case C_MIN: case C_MAX: ok = json_is_integer(v); break;
        case C_CONTROLS: case C_THREATS: ok = urn_list_ok(v); if (ok && !json_array_size(v)) continue; break;
        default: ok = json_is_string(v); if (ok && !*json_string_value(v)) continue;
        }
        if (!ok) return bad_tree(w, "node %s: its %s is no value the column takes", urn, key);
        p->used[c] = 1;
    }
    const json_t *tr = json_object_get(node, "translations"), *fields, *text;
    const char *lang, *field;
    if (!tr || json_is_null(tr)) return CTL_OK;
    if (!json_is_object(tr)) return bad_tree(w, "node %s: its translations are no object", urn);
    json_object_foreach((json_t *)tr, lang, fields) {
        if (!json_is_object(fields)) return bad_tree(w, "node %s: translations '%s' are no object", urn, lang);
        json_object_foreach((json_t *)fields, field, text) {
            size_t fl, ll;
            const char *l;
            w->b.len = 0;
            if (!ctl_buf_printf(&w->b, "%s[%s]", field, lang)) return ctl_nomem(w->ctx);
            if (!json_is_string(text) || !translation_key(w->b.data, w->b.len, &fl, &l, &ll) || fl != strlen(field) ||
                ll != strlen(lang) || !key_kept(w, w->b.data) || !strcmp(field, "questions"))
                return bad_tree(w, "node %s: its translation %s is no text under a word in lower case", urn, w->b.data);
            if (!json_object_get(p->tr_cols, w->b.data) &&
                !jset(p->tr_cols, w->b.data, json_integer((json_int_t)json_object_size(p->tr_cols))))
                return ctl_nomem(w->ctx);
        }
    }
    return CTL_OK;
}

/* The converter's way from depths to parents: the last node one level
 * up (parent_for_depth). */
typedef struct {
    const char **parent;       /* by depth */
    size_t cap;
    json_int_t prev_depth;
    const char *prev_urn;
} ladder;

/* Is the node's depth and parent what its row gives after the rows above? */
static ctl_status check_place(wbook *w, ladder *l, const char *urn, const json_t *node)
{
    const json_t *d = json_object_get(node, "depth"), *par = json_object_get(node, "parent_urn");
    json_int_t depth = json_integer_value(d);
    if (!json_is_integer(d) || depth < 1 || depth > l->prev_depth + 1)
        return bad_tree(w, "node %s: depth %s after depth %lld (depths start at 1 and go down one at a time)", urn,
                        json_is_integer(d) ? "given" : "missing", (long long)l->prev_depth);
    if ((size_t)depth >= l->cap) {
        size_t nc = (size_t)depth * 2 + 8;
        const char **v = ctl_realloc(l->parent, nc * sizeof *v);
        if (!v) return ctl_nomem(w->ctx);
        for (size_t k = l->cap; k < nc; k++) v[k] = NULL;
        l->parent = v;
        l->cap = nc;
    }
    if (depth == l->prev_depth + 1) l->parent[depth] = l->prev_urn;
    const char *want = l->parent[depth], *has = json_string_value(par);
    if ((par && !json_is_null(par) && !has) || (want ? !has || strcmp(want, has) : has != NULL))
        return bad_tree(w, "node %s: parent %s, where the rows above give %s", urn, has ? has : "none",
                        want ? want : "none");
    l->prev_depth = depth;
    l->prev_urn = urn;
    return CTL_OK;
}

/* The node's URN suffix under base_urn, once in the framework (seen). */
static ctl_status node_suffix(wbook *w, const json_t *node, size_t i, json_t *seen, const char **suffix)
{
    const char *urn = jstr(node, "urn");
    size_t bl = strlen(w->base);
    if (!json_is_object(node) || !urn) return bad_tree(w, "node %zu has no URN", i + 1);
    if (strncmp(urn, w->base, bl) || urn[bl] != ':' || !urn[bl + 1])
        return bad_tree(w, "node %s is not under the framework's base %s", urn, w->base);
    *suffix = urn + bl + 1;
    const char *t = *suffix;
    size_t tl = strlen(t);
    py_strip(&t, &tl);
    if (tl != strlen(*suffix)) return bad_tree(w, "node %s: white space ends its URN", urn);
    if (json_object_get(seen, urn)) return bad_tree(w, "two nodes are %s", urn);
    return jset(seen, urn, json_true()) ? CTL_OK : ctl_nomem(w->ctx);
}

/* Checks the nodes against the rows the converter reads back: each URN
 * under base_urn and new, depths that step down one at most, each parent
 * the last node one level up; notes the columns and the node_id cells
 * they need. */
static ctl_status plan_nodes(wbook *w, const json_t *nodes, node_plan *p)
{
    size_t i, n = json_array_size(nodes);
    const json_t *node;
    ladder l = {0};
    json_t *seen = json_object();
    p->node_id = ctl_malloc(n ? n : 1);
    if (!seen || !p->node_id) { json_decref(seen); return ctl_nomem(w->ctx); }
    ctl_status st = CTL_OK;
    json_array_foreach(nodes, i, node) {
        const char *suffix = NULL;
        if ((st = node_suffix(w, node, i, seen, &suffix)) != CTL_OK) break;
        const char *urn = jstr(node, "urn");
        if ((st = check_place(w, &l, urn, node)) != CTL_OK) break;
        const json_t *a = json_object_get(node, "assessable"), *ref = json_object_get(node, "ref_id");
        if (a && !json_is_boolean(a)) { st = bad_tree(w, "node %s: assessable is no boolean", urn); break; }
        if (ref && !json_is_null(ref) && !json_is_string(ref)) { st = bad_tree(w, "node %s: ref_id is no text", urn); break; }
        int gives = 0;
        if (json_is_string(ref) && !ref_gives(w, json_string_value(ref), suffix, &gives)) { st = ctl_nomem(w->ctx); break; }
        p->node_id[i] = !gives;
        if (!gives) p->used[C_NODE_ID] = 1;
        if ((st = check_node_values(w, urn, node, p)) != CTL_OK) break;
    }
    ctl_free(l.parent);
    json_decref(seen);
    return st;
}

static ctl_status put_node(wsheet *sh, const json_t *node, const node_plan *p, size_t i)
{
    wbook *w = sh->w;
    ctl_status st = CTL_OK;
    const json_t *a = json_object_get(node, "assessable");
    if (json_is_true(a)) st = put_text(sh, p->col[C_ASSESSABLE], "x", NULL);
    if (st == CTL_OK) st = put_int(sh, p->col[C_DEPTH], json_integer_value(json_object_get(node, "depth")));
    if (st == CTL_OK && p->node_id[i])
        st = put_text(sh, p->col[C_NODE_ID], jstr(node, "urn") + strlen(w->base) + 1, NULL);
    for (size_t c = C_REF_ID; c < N_FIXED && st == CTL_OK; c++) {
        const json_t *v = json_object_get(node, node_cols[c]);
        if (c == C_NODE_ID || !p->used[c] || !v || json_is_null(v)) continue;
        lxw_format *f = c == C_NAME || c == C_DESCRIPTION || c == C_ANNOTATION || c == C_EVIDENCE ? w->wrap : NULL;
        if (json_is_integer(v)) st = put_int(sh, p->col[c], json_integer_value(v));
        else if (json_is_array(v)) {
            size_t k;
            const json_t *e;
            w->b.len = 0;
            if (!ctl_buf_add(&w->b, "", 0)) return ctl_nomem(w->ctx);
            json_array_foreach(v, k, e)
                if ((k && !ctl_buf_adds(&w->b, ", ")) || !ctl_buf_adds(&w->b, json_string_value(e)))
                    return ctl_nomem(w->ctx);
            char *joined = ctl_buf_take(&w->b);
            if (!joined) return ctl_nomem(w->ctx);
            st = put_text(sh, p->col[c], joined, NULL);
            ctl_free(joined);
        } else if (c != C_IMPORTANCE || strcmp(json_string_value(v), "undefined"))
            st = put_text(sh, p->col[c], json_string_value(v), f);
    }
    const json_t *tr = json_object_get(node, "translations"), *fields, *text;
    const char *lang, *field;
    if (!json_is_object(tr)) return st;
    json_object_foreach((json_t *)tr, lang, fields) {
        json_object_foreach((json_t *)fields, field, text) {
            if (st != CTL_OK) return st;
            w->b.len = 0;
            if (!ctl_buf_printf(&w->b, "%s[%s]", field, lang)) return ctl_nomem(w->ctx);
            lxw_col_t col = (lxw_col_t)json_integer_value(json_object_get(p->tr_cols, w->b.data));
            const char *s = json_string_value(text);
            if (formula_like(s, strlen(s))) note_changed(sh, col, "a translation starting with '=', which it skips as a formula");
            st = put_text(sh, col, s, w->wrap);
        }
    }
    return st;
}

/* framework_content: a header row, a row per node. */
static ctl_status put_nodes(wbook *w, const json_t *nodes, node_plan *p)
{
    wsheet sh;
    ctl_status st = add_sheet(w, "framework_content", &sh);
    if (st != CTL_OK) return st;
    p->used[C_ASSESSABLE] = p->used[C_DEPTH] = 1;
    lxw_col_t col = 0;
    for (size_t c = 0; c < N_FIXED && st == CTL_OK; c++) {
        if (!p->used[c]) continue;
        p->col[c] = col;
        worksheet_set_column(sh.ws, col, col, node_widths[c], NULL);
        st = put_text(&sh, col++, node_cols[c], w->bold);
    }
    const char *h;
    json_t *v;
    json_object_foreach(p->tr_cols, h, v) {
        if (st != CTL_OK) break;
        lxw_col_t at = (lxw_col_t)(col + json_integer_value(v));
        if (json_integer_set(v, at)) return ctl_nomem(w->ctx);
        worksheet_set_column(sh.ws, at, at, 40, NULL);
        st = put_text(&sh, at, h, w->bold);
    }
    worksheet_freeze_panes(sh.ws, 1, 0);
    size_t i;
    const json_t *node;
    json_array_foreach(nodes, i, node) {
        if (st != CTL_OK) break;
        sh.row++;
        st = put_node(&sh, node, p, i);
    }
    return st;
}

/* ---- the requirement mapping set ---- */

/* A node of a mapping as base + ':' + an id the converter keeps (it lower-
 * cases ids and makes spaces '-'). */
static int mapped_id(wbook *w, const char *urn, const char *base, const char **id)
{
    size_t bl = strlen(base);
    if (!urn || strncmp(urn, base, bl) || urn[bl] != ':' || !urn[bl + 1]) return 0;
    *id = urn + bl + 1;
    const char *t = *id;
    size_t n = strlen(t);
    py_strip(&t, &n);
    return n == strlen(*id) && !strchr(*id, ' ') && py_lower(*id, n, &w->a) && !strcmp(w->a.data, *id);
}

static ctl_status put_mapping_rows(wbook *w, const json_t *maps, const char *src, const char *dst)
{
    wsheet sh;
    ctl_status st = add_sheet(w, "mappings_content", &sh);
    if (st != CTL_OK) return st;
    static const char *const cols[] = {"source_node_id", "target_node_id", "relationship", "rationale",
                                       "strength_of_relationship"};
    static const double widths[] = {20, 20, 14, 50, 10};
    for (lxw_col_t c = 0; c < 5 && st == CTL_OK; c++) {
        worksheet_set_column(sh.ws, c, c, widths[c], c == 3 ? w->wrap : NULL);
        st = put_text(&sh, c, cols[c], w->bold);
    }
    worksheet_freeze_panes(sh.ws, 1, 0);
    size_t i;
    const json_t *m;
    json_array_foreach(maps, i, m) {
        if (st != CTL_OK) break;
        const char *s_id, *t_id, *rel = jstr(m, "relationship"), *why = jstr(m, "rationale");
        const json_t *strength = json_object_get(m, "strength_of_relationship");
        if (!mapped_id(w, jstr(m, "source_requirement_urn"), src, &s_id) ||
            !mapped_id(w, jstr(m, "target_requirement_urn"), dst, &t_id))
            return bad_tree(w, "mapping %zu: a node that is no lower-case id under %s and %s", i + 1, src, dst);
        if (!rel || !*rel || (strength && !json_is_null(strength) && !json_is_integer(strength)) ||
            (json_object_get(m, "rationale") && !json_is_null(json_object_get(m, "rationale")) && !why))
            return bad_tree(w, "mapping %zu: no relationship, or a rationale or strength of the wrong kind", i + 1);
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)m, key, v)
            if (strcmp(key, "source_requirement_urn") && strcmp(key, "target_requirement_urn") &&
                strcmp(key, "relationship") && strcmp(key, "rationale") && strcmp(key, "strength_of_relationship"))
                return bad_tree(w, "mapping %zu: its key '%s' has no column", i + 1, key);
        sh.row++;
        st = put_text(&sh, 0, s_id, NULL);
        if (st == CTL_OK) st = put_text(&sh, 1, t_id, NULL);
        if (st == CTL_OK) st = put_text(&sh, 2, rel, NULL);
        if (st == CTL_OK && why) st = put_text(&sh, 3, why, w->wrap);
        if (st == CTL_OK && json_is_integer(strength)) st = put_int(&sh, 4, json_integer_value(strength));
    }
    return st;
}

/* mappings_meta and mappings_content; fw_base: the framework's base, for
 * the side that is the framework's. */
static ctl_status put_mapping_set(wbook *w, const json_t *set, const json_t *fw)
{
    const json_t *maps = json_object_get(set, "requirement_mappings");
    if (!json_is_object(set) || !jstr(set, "urn") || !jstr(set, "ref_id") || (maps && !json_is_array(maps)))
        return bad_tree(w, "the mapping set needs a URN, a ref_id and a list of mappings");
    if (!maps) maps = json_array();
    else json_incref((json_t *)maps);
    if (!maps) return ctl_nomem(w->ctx);
    const char *fw_urn = fw ? jstr(fw, "urn") : NULL;
    char *base[2] = {NULL, NULL};
    static const char *const side[2] = {"source", "target"};
    ctl_status st = CTL_OK;
    for (int k = 0; k < 2 && st == CTL_OK; k++) {
        char key[40];
        snprintf(key, sizeof key, "%s_framework_urn", side[k]);
        const char *f = jstr(set, key);
        if (!f) { st = bad_tree(w, "the mapping set has no %s", key); break; }
        if (fw_urn && !strcmp(f, fw_urn) && *w->base) base[k] = ctl_strdup(w->base);
        else {
            snprintf(key, sizeof key, "%s_requirement_urn", side[k]);
            if (!conventional_base(f, &w->a)) { st = ctl_nomem(w->ctx); break; }
            int r = urn_base(maps, key, w->a.len ? w->a.data : NULL, &w->b);
            if (r < 0) { st = ctl_nomem(w->ctx); break; }
            if (!r) { st = bad_tree(w, "the mapping set's %s nodes share no base URN", side[k]); break; }
            base[k] = ctl_strdup(w->b.data);
        }
        if (!base[k]) st = ctl_nomem(w->ctx);
    }
    wsheet sh;
    if (st == CTL_OK) st = add_sheet(w, "mappings_meta", &sh);
    if (st == CTL_OK) st = put_type(&sh, "requirement_mapping_set");
    static const char *const skip[] = {"requirement_mappings", NULL};
    if (st == CTL_OK) st = put_meta(&sh, "mapping set", set, skip);
    for (int k = 0; k < 2 && st == CTL_OK; k++) {
        char key[40];
        snprintf(key, sizeof key, "%s_node_base_urn", side[k]);
        json_t *b = json_string(base[k]);
        st = b ? put_kv(&sh, key, b) : ctl_nomem(w->ctx);
        json_decref(b);
    }
    if (st == CTL_OK) st = put_mapping_rows(w, maps, base[0], base[1]);
    ctl_free(base[0]);
    ctl_free(base[1]);
    json_decref((json_t *)maps);
    return st;
}

/* ---- the workbook ---- */

/* The name the converter keys an object by: its name, else the sheets'
 * prefix. */
static const char *object_name(wbook *w, const json_t *o, const char *prefix)
{
    const char *s = jstr(o, "name");
    size_t n = s ? strlen(s) : 0;
    py_strip(&s, &n);
    w->a.len = 0;
    if (!n) return prefix;
    return ctl_buf_add(&w->a, s, n) ? w->a.data : NULL;
}

static ctl_status put_framework(wbook *w, const json_t *fw)
{
    const json_t *nodes = json_object_get(fw, "requirement_nodes");
    if (!json_is_object(fw) || !jstr(fw, "urn") || (nodes && !json_is_array(nodes)))
        return bad_tree(w, "the framework needs a URN and a list of requirement nodes");
    json_t *none = NULL;
    if (!nodes && !(nodes = none = json_array())) return ctl_nomem(w->ctx);
    node_plan p = {.tr_cols = json_object()};
    ctl_status st = p.tr_cols ? CTL_OK : ctl_nomem(w->ctx);
    int r = 0;
    if (st == CTL_OK && !conventional_base(jstr(fw, "urn"), &w->b)) st = ctl_nomem(w->ctx);
    if (st == CTL_OK && (r = urn_base(nodes, "urn", w->b.len ? w->b.data : NULL, &w->fw_base)) < 0)
        st = ctl_nomem(w->ctx);
    if (st == CTL_OK && !r && json_array_size(nodes)) st = bad_tree(w, "the framework's nodes share no base URN");
    w->base = r > 0 ? w->fw_base.data : "";
    if (st == CTL_OK) st = plan_nodes(w, nodes, &p);
    wsheet sh;
    if (st == CTL_OK) st = add_sheet(w, "framework_meta", &sh);
    if (st == CTL_OK) st = put_type(&sh, "framework");
    if (st == CTL_OK && *w->base) {
        json_t *b = json_string(w->base);
        st = b ? put_kv(&sh, "base_urn", b) : ctl_nomem(w->ctx);
        json_decref(b);
    }
    static const char *const skip[] = {"requirement_nodes", NULL};
    if (st == CTL_OK) st = put_meta(&sh, "framework", fw, skip);
    if (st == CTL_OK) {
        worksheet_set_column(sh.ws, 0, 0, 20, NULL);
        worksheet_set_column(sh.ws, 1, 1, 70, w->wrap);
        st = put_nodes(w, nodes, &p);
    }
    json_decref(none);
    json_decref(p.tr_cols);
    ctl_free(p.node_id);
    return st;
}

/* Is set the reverse the converter makes of another set of all (which the
 * converter makes again)?  1 yes, 0 no, -1 no memory; a set named
 * <urn>-revert that is not that reverse is refused. */
static int made_again(wbook *w, const json_t *set, const json_t *all, ctl_status *st)
{
    const char *urn = jstr(set, "urn");
    size_t n = urn ? strlen(urn) : 0, i;
    const json_t *o;
    if (n < 7 || strcmp(urn + n - 7, "-revert")) return 0;
    json_array_foreach(all, i, o) {
        const char *u = jstr(o, "urn");
        if (o == set || !u || strlen(u) != n - 7 || strncmp(u, urn, n - 7)) continue;
        json_t *want = revert_of(o), *got = without_nulls(set), *w2 = want ? without_nulls(want) : NULL;
        int same = w2 && got ? json_equal(w2, got) : -1;
        json_decref(want);
        json_decref(w2);
        json_decref(got);
        if (same < 0) { *st = ctl_nomem(w->ctx); return -1; }
        if (!same)
            *st = bad_tree(w, "mapping set %s is not the reverse CISO Assistant's converter makes of %s", urn, u);
        return same ? 1 : -1;
    }
    return 0;
}

/* Notes the library a left-out set's framework (of the kept set's
 * none) is in, as a dependency the workbook leaves out with the set:
 * urn:x:risk:framework:y is in urn:x:risk:library:y. */
static ctl_status dependency_out(wbook *w, const json_t *left, const json_t *kept)
{
    static const char *const sides[] = {"source_framework_urn", "target_framework_urn"};
    for (int k = 0; k < 2; k++) {
        const char *f = jstr(left, sides[k]), *at = f ? strstr(f, ":risk:framework:") : NULL;
        const char *s0 = jstr(kept, sides[0]), *s1 = jstr(kept, sides[1]);
        if (!at || (s0 && !strcmp(f, s0)) || (s1 && !strcmp(f, s1))) continue;
        w->a.len = 0;
        if (!ctl_buf_add(&w->a, f, (size_t)(at - f)) || !ctl_buf_adds(&w->a, ":risk:library:") ||
            !ctl_buf_adds(&w->a, at + strlen(":risk:framework:")) || !jset(w->deps_out, w->a.data, json_true()))
            return ctl_nomem(w->ctx);
    }
    return CTL_OK;
}

/* The mapping set the workbook holds: the tree's first one that is not
 * the reverse of another (requirement_mapping_set, or the list
 * requirement_mapping_sets), into *set (NULL: none).  The converter keeps
 * one a workbook: others are said left out, and the dependencies only
 * they need (w->deps_out). */
static ctl_status mapping_set_of(wbook *w, const json_t *objects, const json_t **set)
{
    const json_t *one = json_object_get(objects, "requirement_mapping_set");
    const json_t *all = json_object_get(objects, "requirement_mapping_sets"), *e;
    *set = json_is_object(one) ? one : NULL;
    if (one && !*set) return bad_tree(w, "requirement_mapping_set is no object");
    if (all && !json_is_array(all)) return bad_tree(w, "requirement_mapping_sets is no list");
    size_t i, left = 0, maps = 0;
    ctl_status st = CTL_OK;
    w->b.len = 0;
    json_array_foreach(all, i, e) {
        int again = made_again(w, e, all, &st);
        if (again < 0) return st;
        if (again) continue;
        if (!json_is_object(e)) return bad_tree(w, "a mapping set is no object");
        if (!*set) { *set = e; continue; }
        maps += json_array_size(json_object_get(e, "requirement_mappings"));
        if ((st = dependency_out(w, e, *set)) != CTL_OK) return st;
        if (!left++ && !ctl_buf_adds(&w->b, "")) return ctl_nomem(w->ctx);
        if (!ctl_buf_printf(&w->b, "%s%s", left > 1 ? ", " : "", jstr(e, "urn") ? jstr(e, "urn") : "(no URN)"))
            return ctl_nomem(w->ctx);
    }
    if (left)
        return ctl_warn(w->ctx, CTL_D_FIELD_DROPPED, w->name, 0, "%zu requirement mapping set(s) left out, %zu "
                        "mapping(s), with the dependencies only they need: a workbook holds one (CISO Assistant's "
                        "converter keeps the last of a workbook): %s", left, maps, w->b.data);
    return CTL_OK;
}

static ctl_status put_library(wbook *w, const json_t *lib)
{
    const json_t *objects = json_object_get(lib, "objects"), *v = json_object_get(lib, "version");
    const json_t *fw = json_object_get(objects, "framework"), *set = NULL;
    if (!json_is_object(lib) || !jstr(lib, "urn"))
        return bad_tree(w, "the library has no URN");
    if (!urn_clean(jstr(lib, "urn"), strlen(jstr(lib, "urn")), &w->a)) return ctl_nomem(w->ctx);
    if (strcmp(w->a.data, jstr(lib, "urn")))
        return bad_tree(w, "the library's URN %s would read back as %s", jstr(lib, "urn"), w->a.data);
    if (!json_is_integer(v)) return bad_tree(w, "the library has no version (a whole number)");
    const char *key;
    json_t *o;
    json_object_foreach((json_t *)objects, key, o)
        if (strcmp(key, "framework") && strcmp(key, "requirement_mapping_set") && strcmp(key, "requirement_mapping_sets"))
            return bad_tree(w, "the library's object '%s' has no sheets here", key);
    ctl_status st = mapping_set_of(w, objects, &set);
    if (st != CTL_OK) return st;
    if (fw && set) {
        const char *a = object_name(w, fw, "framework");
        char *copy = a ? ctl_strdup(a) : NULL;
        const char *b = copy ? object_name(w, set, "mappings") : NULL;
        int same = b && !strcmp(copy, b);
        ctl_free(copy);
        if (!b) return ctl_nomem(w->ctx);
        if (same)
            return bad_tree(w, "the framework and the mapping set are both named '%s' (the converter keeps one object "
                            "of a name)", b);
    }
    wsheet sh;
    st = add_sheet(w, "library_meta", &sh);
    if (st == CTL_OK) st = put_type(&sh, "library");
    static const char *const skip[] = {"objects", NULL};
    if (st == CTL_OK) st = put_meta(&sh, "library", lib, skip);
    if (st == CTL_OK) {
        worksheet_set_column(sh.ws, 0, 0, 20, NULL);
        worksheet_set_column(sh.ws, 1, 1, 70, w->wrap);
    }
    if (st == CTL_OK && fw) st = put_framework(w, fw);
    if (st == CTL_OK && set) st = put_mapping_set(w, set, fw);
    return st;
}

ctl_status ctl_ciso_tree_to_xlsx(ctl_ctx *ctx, const json_t *lib, FILE *out, const char *out_name,
                                 const ctl_options *opts)
{
    (void)opts;
    wbook w = {.ctx = ctx, .name = out_name ? out_name : "-", .base = "", .deps_out = json_object()};
    char *dir = NULL, *path = NULL;
    ctl_status st = w.deps_out ? ctl_temp_dir_create(ctx, w.name, &dir) : ctl_nomem(ctx);
    if (st == CTL_OK && !(path = ctl_malloc(strlen(dir) + 16))) st = ctl_nomem(ctx);
    if (st == CTL_OK) {
        sprintf(path, "%s/book.xlsx", dir);
        lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = dir};
        if (!(w.wb = workbook_new_opt(path, &wo))) st = ctl_nomem(ctx);
    }
    if (st == CTL_OK) {
        /* the name as its cell has it: trimmed */
        const char *name = jstr(lib, "name");
        size_t n = name ? strlen(name) : 0;
        if (name) py_strip(&name, &n);
        char *title = name ? ctl_strndup(name, n) : NULL, *prop = title;
        lxw_doc_properties props = {.created = CTL_XLSX_CREATED};
        if (name && !title) st = ctl_nomem(ctx);
        if (st == CTL_OK) st = ctl_xlsx_doc_property(ctx, w.name, "library's name (title)", &prop);
        props.title = prop;
        if (st == CTL_OK && workbook_set_properties(w.wb, &props) != LXW_NO_ERROR) st = ctl_nomem(ctx);
        ctl_free(title);
    }
    if (st == CTL_OK) {
        w.bold = workbook_add_format(w.wb);
        w.wrap = workbook_add_format(w.wb);
        if (!w.bold || !w.wrap) st = ctl_nomem(ctx);
    }
    if (st == CTL_OK) {
        format_set_bold(w.bold);
        format_set_align(w.bold, LXW_ALIGN_VERTICAL_TOP);
        format_set_text_wrap(w.wrap);
        format_set_align(w.wrap, LXW_ALIGN_VERTICAL_TOP);
        st = put_library(&w, lib);
    }
    if (st == CTL_OK) {
        st = ctl_xlsx_finish(ctx, w.name, w.wb, path, dir, out);
        w.wb = NULL;
    }
    if (st == CTL_OK && w.changed)
        st = ctl_warn(ctx, CTL_D_TEXT_FLATTENED, w.name, 0, "%zu cell(s) not as the library has them: written "
                      "without the white space at their ends (CISO Assistant's converter trims every cell), or "
                      "a translation it skips; the first %s", w.changed, w.first_changed);
    if (w.wb) lxw_workbook_free(w.wb);   /* a failed conversion: freed, not written */
    ctl_free(path);
    ctl_temp_dir_remove(dir);
    ctl_buf_free(&w.esc);
    ctl_buf_free(&w.where);
    ctl_buf_free(&w.a);
    ctl_buf_free(&w.b);
    ctl_buf_free(&w.fw_base);
    json_decref(w.deps_out);
    return st;
}

/* ------------------------------------------------------------ reading */

/* An object of the workbook: a pair of sheets <prefix>_meta and
 * <prefix>_content. */
typedef struct {
    char *prefix;
    size_t content;          /* the content sheet's index */
    json_t *meta;            /* key -> text, or null for an empty value */
} block;

typedef struct {
    ctl_ctx *ctx;
    ctl_xlsx_book *book;
    ctl_buf file;            /* "book.xlsx[sheet]", the sheet being read */
    ctl_buf a, b;
    block *blocks;
    size_t n_blocks;
    json_t *prefixes;        /* urn_prefix: prefix id -> URN */
    size_t formulas;         /* translations skipped as formulas */
    char first_formula[160];
    ctl_buf skipped;         /* the parts left out, named */
    size_t cost, budget;     /* the tree's memory, estimated; its limit */
} reader;

/* What jansson holds for v, about: its structures, keys and text (with
 * malloc's overhead). */
static size_t json_cost(const json_t *v)
{
    size_t cost = 0, i;
    const char *key;
    json_t *e;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        cost = 256;
        json_object_foreach((json_t *)v, key, e) cost += 80 + strlen(key) + json_cost(e);
        return cost;
    case JSON_ARRAY:
        cost = 64 + 16 * json_array_size(v);
        json_array_foreach(v, i, e) cost += json_cost(e);
        return cost;
    case JSON_STRING: return 64 + json_string_length(v);
    case JSON_INTEGER: case JSON_REAL: return 48;
    default: return 0;
    }
}

/* Counts what v adds to the tree, under the limit json-memory (the tree is
 * held whole, as a JSON document is: floor + 3 x the workbook's bytes). */
static ctl_status count(reader *r, const json_t *v, long row)
{
    r->cost += json_cost(v);
    if (r->cost <= r->budget) return CTL_OK;
    return ctl_limit_fail(r->ctx, r->file.data, row, CTL_LIMIT_JSON_MEMORY, "the library tree of the workbook "
                          "takes more than %zu bytes of memory (json-memory + 3 x the workbook's size)", r->budget);
}

/* A note of a part left out, said in one warning at the end. */
static int skip_note(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int skip_note(reader *r, const char *fmt, ...)
{
    if (r->skipped.len > 1000) return 1;   /* enough said */
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (strstr(r->skipped.data ? r->skipped.data : "", msg)) return 1;
    return (!r->skipped.len || ctl_buf_adds(&r->skipped, "; ")) && ctl_buf_adds(&r->skipped, msg);
}

static ctl_status set_file(reader *r, size_t sheet)
{
    r->file.len = 0;
    return ctl_buf_printf(&r->file, "%s[%s]", ctl_xlsx_book_file(r->book), ctl_xlsx_book_sheet_name(r->book, sheet))
               ? CTL_OK : ctl_nomem(r->ctx);
}

/* What Python makes of a cell's value in a test (openpyxl's value: None
 * for no cell, a number, a bool, text). */
static int truthy(const ctl_cell *c, char kind)
{
    if (!c->len) return 0;
    if (kind == CTL_XLSX_BOOL) return c->s[0] == 'T';
    if (kind == CTL_XLSX_NUMBER) {
        char num[64];
        size_t n = c->len < sizeof num - 1 ? c->len : sizeof num - 1;
        memcpy(num, c->s, n);
        num[n] = '\0';
        return strtod(num, NULL) != 0;
    }
    return 1;
}

/* Python's int() of a cell: text of an optional sign and digits (white
 * space around), a number cut toward zero, a bool 0 or 1. */
static int py_int(const ctl_cell *c, char kind, long long *v)
{
    char num[64];
    const char *s = c->s;
    size_t n = c->len;
    py_strip(&s, &n);
    if (!n || n >= sizeof num) return 0;
    memcpy(num, s, n);
    num[n] = '\0';
    if (kind == CTL_XLSX_BOOL) { *v = num[0] == 'T'; return 1; }
    char *end;
    errno = 0;
    if (kind == CTL_XLSX_NUMBER) {
        double d = strtod(num, &end);
        if (*end || !(d > -9.2e18 && d < 9.2e18)) return 0;
        *v = (long long)d;
        return 1;
    }
    size_t i = num[0] == '+' || num[0] == '-';
    if (!num[i] || strspn(num + i, "0123456789") != n - i) return 0;
    *v = strtoll(num, &end, 10);
    return errno == 0;
}

/* A cell trimmed as a json string; NULL: no memory. */
static json_t *jtext(const ctl_cell *c)
{
    const char *s = c->s;
    size_t n = c->len;
    py_strip(&s, &n);
    return json_stringn(s, n);
}

/* ---- key/value sheets ---- */

typedef struct {
    reader *r;
    json_t *o;
} kv_read;

static ctl_status kv_row(void *user, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    kv_read *k = user;
    reader *r = k->r;
    if (!truthy(&cells[0], kinds[0])) return CTL_OK;
    const char *s = cells[0].s;
    size_t len = cells[0].len;
    py_strip(&s, &len);
    if (!len) return CTL_OK;
    if (!py_lower(s, len, &r->a)) return ctl_nomem(r->ctx);
    json_t *v = n > 1 && cells[1].len ? jtext(&cells[1]) : json_null();
    if (!jset(k->o, r->a.data, v)) return ctl_nomem(r->ctx);
    r->cost += 80 + r->a.len;
    return count(r, v, row);
}

static ctl_status read_kv(reader *r, size_t sheet, json_t **o)
{
    kv_read k = {r, json_object()};
    *o = NULL;
    if (!k.o) return ctl_nomem(r->ctx);
    ctl_status st = set_file(r, sheet);
    if (st == CTL_OK) st = ctl_xlsx_book_rows(r->book, sheet, kv_row, &k);
    if (st != CTL_OK) { json_decref(k.o); return st; }
    *o = k.o;
    return CTL_OK;
}

/* ---- translations ---- */

/* Adds text to tr[lang][field] as the converter does: a value that starts
 * with '=' is skipped (a formula, it says), an empty one too. */
static ctl_status add_translation(reader *r, json_t *tr, const char *key, size_t klen, const ctl_cell *v, char kind,
                                  long row)
{
    size_t fl, ll;
    const char *lang;
    if (!truthy(v, kind) || !translation_key(key, klen, &fl, &lang, &ll)) return CTL_OK;
    if (formula_like(v->s, v->len)) {
        if (!r->formulas++)
            snprintf(r->first_formula, sizeof r->first_formula, "%s row %ld (%.*s)", r->file.data, row,
                     (int)ctl_utf8_clip(key, klen, 40), key);
        return CTL_OK;
    }
    const char *s = v->s;
    size_t n = v->len;
    py_strip(&s, &n);
    if (!n) return CTL_OK;
    json_t *lang_tr = jobj(tr, lang, ll);
    return lang_tr && jsetn(lang_tr, key, fl, json_stringn(s, n)) ? CTL_OK : ctl_nomem(r->ctx);
}

/* The translations of a meta sheet, into o["translations"] when any. */
static ctl_status meta_translations(reader *r, const json_t *meta, json_t *o)
{
    json_t *tr = json_object();
    if (!tr) return ctl_nomem(r->ctx);
    const char *key;
    json_t *v;
    ctl_status st = CTL_OK;
    json_object_foreach((json_t *)meta, key, v) {
        if (!json_is_string(v) || st != CTL_OK) continue;
        ctl_cell c = {json_string_value(v), json_string_length(v)};
        st = add_translation(r, tr, key, strlen(key), &c, CTL_XLSX_STRING, 0);
    }
    if (st == CTL_OK && json_object_size(tr)) return jset(o, "translations", tr) ? CTL_OK : ctl_nomem(r->ctx);
    json_decref(tr);
    return st;
}

/* Copies meta's text of each key to o. */
static ctl_status copy_keys(reader *r, const json_t *meta, json_t *o, const char *const *keys)
{
    for (; *keys; keys++) {
        json_t *v = json_object_get(meta, *keys);
        if (json_is_string(v) && !jset(o, *keys, json_copy(v))) return ctl_nomem(r->ctx);
    }
    return CTL_OK;
}

/* ---- content sheets ---- */

typedef struct content content;
struct content {
    reader *r;
    char **names;            /* the header row, trimmed, lower case */
    size_t n_names;
    int have_header;
    json_t *tr_cols;         /* the header's translation columns: "i" -> name */
    ctl_status (*begin)(content *c);
    ctl_status (*row)(content *c, long row, const ctl_cell *cells, const char *kinds, size_t n);
    void *user;
};

/* The column of a header name (the last of that name), or -1. */
static long col_of(const content *c, const char *name)
{
    for (size_t i = c->n_names; i-- > 0;)
        if (!strcmp(c->names[i], name)) return (long)i;
    return -1;
}

/* The cell of column col in a row; 0 when there is none (None). */
static int cell_at(const content *c, long col, const ctl_cell *cells, const char *kinds, size_t n, ctl_cell *v,
                   char *kind)
{
    if (col < 0 || (size_t)col >= n || (size_t)col >= c->n_names || !cells[col].len) return 0;
    *v = cells[col];
    *kind = kinds[col];
    return 1;
}

static ctl_status content_row(void *user, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    content *c = user;
    reader *r = c->r;
    if (!c->have_header) {
        if (row != 1)
            return ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file.data, row, "row 1 holds no header: the columns "
                            "of the sheet are named there");
        c->have_header = 1;
        if (!(c->names = ctl_malloc((n ? n : 1) * sizeof *c->names))) return ctl_nomem(r->ctx);
        for (size_t i = 0; i < n; i++) {
            const char *s = cells[i].s;
            size_t len = truthy(&cells[i], kinds[i]) ? cells[i].len : 0;
            py_strip(&s, &len);
            if (!py_lower(s, len, &r->a) || !(c->names[i] = ctl_strdup(r->a.data))) return ctl_nomem(r->ctx);
            c->n_names++;
            size_t fl, ll;
            const char *lang;
            char at[24];
            snprintf(at, sizeof at, "%zu", i);
            if (translation_key(c->names[i], strlen(c->names[i]), &fl, &lang, &ll) &&
                !jset(c->tr_cols, at, json_string(c->names[i])))
                return ctl_nomem(r->ctx);
        }
        return c->begin ? c->begin(c) : CTL_OK;
    }
    return c->row(c, row, cells, kinds, n);
}

/* Reads the content sheet of b through c (its begin, row and user set). */
static ctl_status read_content(reader *r, const block *b, content *c)
{
    c->r = r;
    c->tr_cols = json_object();
    ctl_status st = c->tr_cols ? set_file(r, b->content) : ctl_nomem(r->ctx);
    if (st == CTL_OK) st = ctl_xlsx_book_rows(r->book, b->content, content_row, c);
    for (size_t i = 0; i < c->n_names; i++) ctl_free(c->names[i]);
    ctl_free(c->names);
    json_decref(c->tr_cols);
    return st;
}

/* The translations of a row, into o["translations"] when any (the field
 * questions aside: it belongs to the questions). */
static ctl_status row_translations(content *c, long row, const ctl_cell *cells, const char *kinds, size_t n, json_t *o)
{
    reader *r = c->r;
    json_t *tr = json_object();
    if (!tr) return ctl_nomem(r->ctx);
    const char *at;
    json_t *name;
    ctl_status st = CTL_OK;
    json_object_foreach(c->tr_cols, at, name) {
        size_t i = (size_t)strtoul(at, NULL, 10);
        ctl_cell v;
        char kind;
        const char *h = json_string_value(name);
        if (st != CTL_OK || !strncmp(h, "questions[", 10) || !cell_at(c, (long)i, cells, kinds, n, &v, &kind)) continue;
        st = add_translation(r, tr, h, strlen(h), &v, kind, row);
    }
    if (st == CTL_OK && json_object_size(tr)) return jset(o, "translations", tr) ? CTL_OK : ctl_nomem(r->ctx);
    json_decref(tr);
    return st;
}

/* Are the row's cells under the header all empty (the framework's test)? */
static int row_blank(const content *c, const ctl_cell *cells, size_t n)
{
    for (size_t i = 0; i < n && i < c->n_names; i++)
        if (cells[i].len) return 0;
    return 1;
}

/* Is no cell of the row true (the test of the converter's other sheets)? */
static int row_falsy(const ctl_cell *cells, const char *kinds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (truthy(&cells[i], kinds[i])) return 0;
    return 1;
}

/* ---- a framework ---- */

/* The longest URN CISO Assistant stores (its models' max_length). */
enum { URN_MAX = 255 };

/* The columns of a framework's content the tree takes. */
enum { F_DEPTH, F_REF_ID, F_NAME, F_NODE_ID, F_ASSESSABLE, F_DESCRIPTION, F_ANNOTATION, F_EVIDENCE, F_IMPORTANCE,
       F_WEIGHT, F_MIN, F_MAX, F_GROUPS, F_THREATS, F_CONTROLS, F_QUESTIONS, F_SCORES, F_SCORES2, N_FCOLS };
static const char *const fw_cols[N_FCOLS] = {
    "depth", "ref_id", "name", "node_id", "assessable", "description", "annotation", "typical_evidence",
    "importance", "weight", "min_score", "max_score", "implementation_groups", "threats", "reference_controls",
    "questions", "scores_definition_ref", "scores_definition"};

typedef struct {
    const char *base;
    long col[N_FCOLS];
    json_t *nodes;
    json_t *urns;            /* the URNs made so far (a set) */
    char **parent;           /* the converter's parent_for_depth, by depth */
    long *count;             /* its count_for_depth (0: none yet) */
    size_t cap;
    long long prev_depth;
    const char *prev_urn;    /* in nodes */
    size_t questions, scores, unknown_refs;
} fw_read;

static ctl_status fw_begin(content *c)
{
    fw_read *f = c->user;
    for (size_t i = 0; i < N_FCOLS; i++) f->col[i] = col_of(c, fw_cols[i]);
    return CTL_OK;
}

/* Grows the depth arrays to hold depth d. */
static int fw_room(fw_read *f, long long d)
{
    if ((size_t)d < f->cap) return 1;
    size_t cap = (size_t)d * 2 + 8;
    char **p = ctl_realloc(f->parent, cap * sizeof *p);
    if (!p) return 0;
    f->parent = p;
    long *k = ctl_realloc(f->count, cap * sizeof *k);
    if (!k) return 0;
    f->count = k;
    for (size_t i = f->cap; i < cap; i++) { f->parent[i] = NULL; f->count[i] = 0; }
    f->cap = cap;
    return 1;
}

/* The converter's expand_urns_from_prefixed_list: items split at white
 * space and commas; urn:... as it is, prefix:id as the prefix's URN + ':'
 * + the id made a suffix; others left out (it warns). */
static ctl_status expand_urns(reader *r, fw_read *f, const ctl_cell *v, json_t **out)
{
    *out = json_array();
    if (!*out) return ctl_nomem(r->ctx);
    const char *s = v->s, *end = v->s + v->len;
    while (s < end) {
        uint32_t cp;
        size_t k = ctl_utf8_decode(s, (size_t)(end - s), &cp);
        if (cp == ',' || py_space(cp)) { s += k; continue; }
        const char *start = s;
        while (s < end && (k = ctl_utf8_decode(s, (size_t)(end - s), &cp)) && cp != ',' && !py_space(cp)) s += k;
        size_t n = (size_t)(s - start);
        const char *colon = memchr(start, ':', n);
        json_t *u = NULL;
        if (n >= 4 && !memcmp(start, "urn:", 4)) u = json_stringn(start, n);
        else if (colon) {
            char *prefix = ctl_strndup(start, (size_t)(colon - start));
            const char *base = prefix ? json_string_value(json_object_get(r->prefixes, prefix)) : NULL;
            ctl_free(prefix);
            if (!base) { f->unknown_refs++; continue; }
            const char *sx = colon + 1;
            size_t sl = (size_t)(s - sx);
            py_strip(&sx, &sl);
            if (!urn_clean(sx, sl, &r->b)) { json_decref(*out); return ctl_nomem(r->ctx); }
            r->a.len = 0;
            if (!ctl_buf_printf(&r->a, "%s:%s", base, r->b.data)) { json_decref(*out); return ctl_nomem(r->ctx); }
            u = json_string(r->a.data);
        } else { f->unknown_refs++; continue; }
        if (!jappend(*out, u)) { json_decref(*out); return ctl_nomem(r->ctx); }
    }
    return CTL_OK;
}

static ctl_status bad_cell(reader *r, long row, const char *what, const ctl_cell *v)
{
    return ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file.data, row, "%s '%.*s'", what,
                    (int)ctl_utf8_clip(v->s, v->len, 60), v->s);
}

/* The node's URN, as the converter makes it, into r->a. */
static int node_urn(reader *r, fw_read *f, long long depth, const ctl_cell *node_id, const char *ref, size_t ref_len,
                    const char *name, size_t name_len)
{
    r->a.len = 0;
    if (node_id) {
        const char *s = node_id->s;
        size_t n = node_id->len;
        py_strip(&s, &n);
        return ctl_buf_printf(&r->a, "%s:%.*s", f->base, (int)n, s);
    }
    if (ref && ref_len)
        return urn_clean(ref, ref_len, &r->b) && ctl_buf_printf(&r->a, "%s:%s", f->base, r->b.data);
    const char *p = f->parent[depth];
    long k = f->count[depth] ? f->count[depth] : 1;
    f->count[depth] = k + 1;
    if (p) return ctl_buf_printf(&r->a, "%s:%ld", p, k);
    if (name && name_len)
        return urn_clean(name, name_len, &r->b) && ctl_buf_printf(&r->a, "%s:%s", f->base, r->b.data);
    return ctl_buf_printf(&r->a, "%s:node%ld", f->base, k);
}

/* The node's other cells, as set_optional_fields and the rest take them. */
static ctl_status node_fields(content *c, fw_read *f, long row, const ctl_cell *cells, const char *kinds, size_t n,
                              json_t *node)
{
    reader *r = c->r;
    static const int text[] = {F_REF_ID, F_NAME, F_DESCRIPTION, F_ANNOTATION, F_EVIDENCE};
    ctl_cell v;
    char kind;
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        if (cell_at(c, f->col[text[i]], cells, kinds, n, &v, &kind) && truthy(&v, kind) &&
            !jset(node, fw_cols[text[i]], jtext(&v)))
            return ctl_nomem(r->ctx);
    if (cell_at(c, f->col[F_IMPORTANCE], cells, kinds, n, &v, &kind) && truthy(&v, kind)) {
        const char *s = v.s;
        size_t len = v.len;
        py_strip(&s, &len);
        if (!py_lower(s, len, &r->a)) return ctl_nomem(r->ctx);
        if (strcmp(r->a.data, "mandatory") && strcmp(r->a.data, "recommended") && strcmp(r->a.data, "nice_to_have"))
            return bad_cell(r, row, "importance is mandatory, recommended, nice_to_have or empty, not", &v);
        if (!jset(node, "importance", json_string(r->a.data))) return ctl_nomem(r->ctx);
    }
    for (int k = F_WEIGHT; k <= F_MAX; k++) {
        long long x;
        if (!cell_at(c, f->col[k], cells, kinds, n, &v, &kind)) continue;
        const char *s = v.s;
        size_t len = v.len;
        py_strip(&s, &len);
        if (!len) continue;
        if (!py_int(&v, kind, &x) || (k == F_WEIGHT && x <= 0))
            return bad_cell(r, row, k == F_WEIGHT ? "weight is a whole number above 0, not" : "a score is a whole "
                            "number, not", &v);
        if (!jset(node, fw_cols[k], json_integer(x))) return ctl_nomem(r->ctx);
    }
    if (cell_at(c, f->col[F_GROUPS], cells, kinds, n, &v, &kind) && truthy(&v, kind)) {
        json_t *groups = json_array();
        if (!jset(node, "implementation_groups", groups)) return ctl_nomem(r->ctx);
        for (const char *s = v.s, *end = v.s + v.len; s <= end;) {
            const char *comma = memchr(s, ',', (size_t)(end - s));
            const char *e = comma ? comma : end, *t = s;
            size_t len = (size_t)(e - s);
            py_strip(&t, &len);
            if (!jappend(groups, json_stringn(t, len))) return ctl_nomem(r->ctx);
            s = e + 1;
        }
    }
    for (int k = F_THREATS; k <= F_CONTROLS; k++) {
        json_t *list;
        if (!cell_at(c, f->col[k], cells, kinds, n, &v, &kind) || !truthy(&v, kind)) continue;
        ctl_status st = expand_urns(r, f, &v, &list);
        if (st != CTL_OK) return st;
        if (!json_array_size(list)) { json_decref(list); continue; }
        if (!jset(node, fw_cols[k], list)) return ctl_nomem(r->ctx);
    }
    if (cell_at(c, f->col[F_QUESTIONS], cells, kinds, n, &v, &kind) && truthy(&v, kind)) f->questions++;
    if ((cell_at(c, f->col[F_SCORES], cells, kinds, n, &v, &kind) && truthy(&v, kind)) ||
        (cell_at(c, f->col[F_SCORES2], cells, kinds, n, &v, &kind) && truthy(&v, kind)))
        f->scores++;
    return row_translations(c, row, cells, kinds, n, node);
}

static ctl_status fw_row(content *c, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    fw_read *f = c->user;
    reader *r = c->r;
    if (row_blank(c, cells, n)) return CTL_OK;
    ctl_cell v, ref = {"", 0}, name = {"", 0}, id;
    char kind;
    long long depth = 1;
    if (f->col[F_DEPTH] >= 0) {
        if (!cell_at(c, f->col[F_DEPTH], cells, kinds, n, &v, &kind))
            return ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file.data, row, "a node without a depth");
        if (!py_int(&v, kind, &depth) || depth < 1)
            return bad_cell(r, row, "depth is a whole number from 1, not", &v);
    }
    int has_ref = cell_at(c, f->col[F_REF_ID], cells, kinds, n, &ref, &kind);
    int has_name = cell_at(c, f->col[F_NAME], cells, kinds, n, &name, &kind);
    const char *rs = ref.s, *ns = name.s;
    size_t rl = has_ref ? ref.len : 0, nl = has_name ? name.len : 0;
    py_strip(&rs, &rl);
    py_strip(&ns, &nl);
    if (depth == f->prev_depth + 1) {
        if (!fw_room(f, depth)) return ctl_nomem(r->ctx);
        f->parent[depth] = (char *)f->prev_urn;
        f->count[depth] = 1;
    } else if (depth > f->prev_depth) {
        return ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file.data, row, "depth %lld after depth %lld: a node is one "
                        "level below the one above it at most", depth, f->prev_depth);
    }
    int has_id = cell_at(c, f->col[F_NODE_ID], cells, kinds, n, &id, &kind) && truthy(&id, kind);
    if (has_id) {
        const char *s = id.s;
        size_t len = id.len;
        py_strip(&s, &len);
        has_id = len > 0;
    }
    if (!node_urn(r, f, depth, has_id ? &id : NULL, rs, rl, ns, nl)) return ctl_nomem(r->ctx);
    size_t chars = 0;
    for (size_t i = 0; i < r->a.len; i++) chars += ((unsigned char)r->a.data[i] & 0xC0) != 0x80;
    if (chars > URN_MAX)   /* and URNs of unnumbered nodes grow no further */
        return ctl_fail(r->ctx, CTL_D_FIXED_LIMIT, r->file.data, row, "a node URN of %zu characters, %.60s...: CISO "
                        "Assistant stores %d at most", chars, r->a.data, URN_MAX);
    if (json_object_get(f->urns, r->a.data))
        return ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file.data, row, "a second node %s (CISO Assistant's "
                        "converter refuses it: give the rows distinct ref_id or node_id)", r->a.data);
    json_t *node = json_object();
    if (!jappend(f->nodes, node) || !jset(f->urns, r->a.data, json_true()) ||
        !jset(node, "urn", json_string(r->a.data)))
        return ctl_nomem(r->ctx);
    int assess = cell_at(c, f->col[F_ASSESSABLE], cells, kinds, n, &v, &kind) && truthy(&v, kind);
    if (!jset(node, "assessable", json_boolean(assess)) || !jset(node, "depth", json_integer(depth)))
        return ctl_nomem(r->ctx);
    const char *parent = f->parent[depth];
    if (parent && !jset(node, "parent_urn", json_string(parent))) return ctl_nomem(r->ctx);
    f->prev_depth = depth;
    f->prev_urn = jstr(node, "urn");
    ctl_status st = node_fields(c, f, row, cells, kinds, n, node);
    if (st != CTL_OK) return st;
    r->cost += 100 + strlen(f->prev_urn);   /* its place in urns */
    return count(r, node, row);
}

/* ---- implementation groups, URN prefixes, a mapping set ---- */

typedef struct {
    long col[4];
    json_t *list;
} ig_read;

static ctl_status ig_begin(content *c)
{
    ig_read *g = c->user;
    static const char *const cols[] = {"ref_id", "name", "description", "default_selected"};
    for (int i = 0; i < 4; i++) g->col[i] = col_of(c, cols[i]);
    return CTL_OK;
}

/* A row as the converter takes it: ref_id and name as text (an empty
 * cell under a column of that name is the text "None", as Python writes
 * it), a description when not empty, default_selected when there is a
 * cell. */
static ctl_status ig_row(content *c, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    ig_read *g = c->user;
    reader *r = c->r;
    if (row_falsy(cells, kinds, n)) return CTL_OK;
    json_t *e = json_object();
    if (!jappend(g->list, e)) return ctl_nomem(r->ctx);
    static const char *const keys[] = {"ref_id", "name"};
    ctl_cell v;
    char kind;
    for (int i = 0; i < 2; i++) {
        json_t *t = cell_at(c, g->col[i], cells, kinds, n, &v, &kind) ? jtext(&v)
                  : json_string(g->col[i] >= 0 ? "None" : "");
        if (!jset(e, keys[i], t)) return ctl_nomem(r->ctx);
    }
    if (cell_at(c, g->col[2], cells, kinds, n, &v, &kind) && truthy(&v, kind) && !jset(e, "description", jtext(&v)))
        return ctl_nomem(r->ctx);
    if (cell_at(c, g->col[3], cells, kinds, n, &v, &kind) && !jset(e, "default_selected", json_boolean(truthy(&v, kind))))
        return ctl_nomem(r->ctx);
    ctl_status st = row_translations(c, row, cells, kinds, n, e);
    return st == CTL_OK ? count(r, e, row) : st;
}

typedef struct {
    long id, value;
} prefix_read;

static ctl_status prefix_begin(content *c)
{
    prefix_read *p = c->user;
    p->id = col_of(c, "prefix_id");
    p->value = col_of(c, "prefix_value");
    return CTL_OK;
}

static ctl_status prefix_row(content *c, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    prefix_read *p = c->user;
    ctl_cell id, value;
    char k1, k2;
    if (p->id < 0 || p->value < 0 || !cell_at(c, p->id, cells, kinds, n, &id, &k1) || !truthy(&id, k1) ||
        !cell_at(c, p->value, cells, kinds, n, &value, &k2) || !truthy(&value, k2))
        return CTL_OK;
    const char *s = id.s;
    size_t len = id.len;
    py_strip(&s, &len);
    json_t *v = jtext(&value);
    if (!len || !v || !json_string_length(v)) { json_decref(v); return v ? CTL_OK : ctl_nomem(c->r->ctx); }
    c->r->cost += 80 + len;
    return jsetn(c->r->prefixes, s, len, v) ? count(c->r, v, row) : ctl_nomem(c->r->ctx);
}

typedef struct {
    const char *src, *dst;   /* the node base URNs */
    long col[5];
    json_t *list;
} map_read;

static const char *const map_cols[] = {"source_node_id", "target_node_id", "relationship", "rationale",
                                       "strength_of_relationship"};

static ctl_status map_begin(content *c)
{
    map_read *m = c->user;
    for (int i = 0; i < 5; i++) m->col[i] = col_of(c, map_cols[i]);
    return CTL_OK;
}

static ctl_status map_row(content *c, long row, const ctl_cell *cells, const char *kinds, size_t n)
{
    map_read *m = c->user;
    reader *r = c->r;
    if (row_falsy(cells, kinds, n)) return CTL_OK;
    ctl_cell v[5];
    char kind[5];
    int has[5];
    for (int i = 0; i < 5; i++) {
        has[i] = cell_at(c, m->col[i], cells, kinds, n, &v[i], &kind[i]);
        const char *s = v[i].s;
        size_t len = has[i] ? v[i].len : 0;
        py_strip(&s, &len);
        if (i < 3 && !len)
            return ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file.data, row, "a mapping without its %s", map_cols[i]);
    }
    json_t *e = json_object();
    if (!jappend(m->list, e)) return ctl_nomem(r->ctx);
    static const char *const urn_keys[] = {"source_requirement_urn", "target_requirement_urn"};
    for (int i = 0; i < 2; i++) {
        const char *s = v[i].s;
        size_t len = v[i].len;
        py_strip(&s, &len);
        if (!py_lower(s, len, &r->b)) return ctl_nomem(r->ctx);
        for (char *p = r->b.data; *p; p++)
            if (*p == ' ') *p = '-';
        r->a.len = 0;
        if (!ctl_buf_printf(&r->a, "%s:%s", i ? m->dst : m->src, r->b.data) || !jset(e, urn_keys[i], json_string(r->a.data)))
            return ctl_nomem(r->ctx);
    }
    if (!jset(e, "relationship", jtext(&v[2]))) return ctl_nomem(r->ctx);
    if (has[3] && truthy(&v[3], kind[3]) && !jset(e, "rationale", jtext(&v[3]))) return ctl_nomem(r->ctx);
    if (has[4] && truthy(&v[4], kind[4])) {
        long long x;
        if (!py_int(&v[4], kind[4], &x)) return bad_cell(r, row, "strength_of_relationship is a whole number, not", &v[4]);
        if (!jset(e, "strength_of_relationship", json_integer(x))) return ctl_nomem(r->ctx);
    }
    return count(r, e, row);
}

/* ---- the library ---- */

static const block *block_named(const reader *r, const char *name)
{
    for (size_t i = 0; i < r->n_blocks; i++) {
        const char *n = jstr(r->blocks[i].meta, "name");
        if (!strcmp(n ? n : r->blocks[i].prefix, name)) return &r->blocks[i];
    }
    return NULL;
}

static const char *block_type(const block *b)
{
    const char *t = jstr(b->meta, "type");
    return t ? t : "";
}

/* The objects: each <prefix>_meta sheet (but library_meta) with its
 * <prefix>_content, in the workbook's order; one of the name of an
 * earlier one takes its place, as in the converter's table of objects.
 * URN prefixes are read at once. */
static ctl_status find_blocks(reader *r)
{
    size_t n = ctl_xlsx_book_sheet_count(r->book);
    if (!(r->blocks = ctl_malloc((n ? n : 1) * sizeof *r->blocks))) return ctl_nomem(r->ctx);
    for (size_t i = 0; i < n; i++) {
        const char *sheet = ctl_xlsx_book_sheet_name(r->book, i);
        size_t len = strlen(sheet);
        if (len <= 5 || strcmp(sheet + len - 5, "_meta") || !strcmp(sheet, "library_meta")) continue;
        r->b.len = 0;
        if (!ctl_buf_add(&r->b, sheet, len - 5) || !ctl_buf_adds(&r->b, "_content")) return ctl_nomem(r->ctx);
        long pair = ctl_xlsx_book_sheet(r->book, r->b.data);
        if (pair < 0) {
            if (!skip_note(r, "sheet %s (no %s beside it)", sheet, r->b.data)) return ctl_nomem(r->ctx);
            continue;
        }
        block b = {.content = (size_t)pair};
        ctl_status st = read_kv(r, i, &b.meta);
        if (st != CTL_OK) return st;
        if (!(b.prefix = ctl_strndup(sheet, len - 5))) { json_decref(b.meta); return ctl_nomem(r->ctx); }
        if (!strcmp(block_type(&b), "urn_prefix")) {
            prefix_read p;
            content c = {.begin = prefix_begin, .row = prefix_row, .user = &p};
            if ((st = read_content(r, &b, &c)) != CTL_OK) { json_decref(b.meta); ctl_free(b.prefix); return st; }
        }
        const char *name = jstr(b.meta, "name");
        block *same = (block *)block_named(r, name ? name : b.prefix);
        if (same) {
            if (!skip_note(r, "object '%s' of sheet %s_meta (a later one has its name)", name ? name : b.prefix,
                           same->prefix))
                st = ctl_nomem(r->ctx);
            json_decref(same->meta);
            ctl_free(same->prefix);
            *same = b;
            if (st != CTL_OK) return st;
        } else {
            r->blocks[r->n_blocks++] = b;
        }
    }
    return CTL_OK;
}

/* meta[key] as a whole number into o[key], when there. */
static ctl_status meta_int(reader *r, const json_t *meta, const char *key, json_t *o, int required)
{
    json_t *v = json_object_get(meta, key);
    if (!v && !required) return CTL_OK;
    long long x;
    ctl_cell c = {json_string_value(v) ? json_string_value(v) : "", json_string_length(v)};
    if (!py_int(&c, CTL_XLSX_STRING, &x))
        return ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file.data, 0, "%s is a whole number, not '%.*s'", key,
                        (int)ctl_utf8_clip(c.s, c.len, 40), c.s);
    return jset(o, key, json_integer(x)) ? CTL_OK : ctl_nomem(r->ctx);
}

static ctl_status read_framework(reader *r, const block *b, json_t *objects)
{
    json_t *fw = json_object();
    if (!jset(objects, "framework", fw)) return ctl_nomem(r->ctx);
    static const char *const keys[] = {"urn", "ref_id", "name", "description", "annotation", NULL};
    ctl_status st = set_file(r, b->content);   /* messages name the content sheet */
    if (st == CTL_OK) st = copy_keys(r, b->meta, fw, keys);
    if (st == CTL_OK) st = meta_translations(r, b->meta, fw);
    if (st == CTL_OK) st = meta_int(r, b->meta, "min_score", fw, 0);
    if (st == CTL_OK) st = meta_int(r, b->meta, "max_score", fw, 0);
    if (st != CTL_OK) return st;
    static const char *const unread[] = {"field_visibility", "scores_definition", "answers_definition"};
    for (size_t i = 0; i < sizeof unread / sizeof *unread; i++)
        if (jstr(b->meta, unread[i]) && !skip_note(r, "the framework's %s", unread[i])) return ctl_nomem(r->ctx);
    const char *ig = jstr(b->meta, "implementation_groups_definition");
    const block *igb = ig ? block_named(r, ig) : NULL;
    if (igb) {
        ig_read g = {.list = json_array()};
        content c = {.begin = ig_begin, .row = ig_row, .user = &g};
        if (!jset(fw, "implementation_groups_definition", g.list)) return ctl_nomem(r->ctx);
        if ((st = read_content(r, igb, &c)) != CTL_OK) return st;
    }
    fw_read f = {.base = jstr(b->meta, "base_urn"), .nodes = json_array(), .urns = json_object()};
    if (!f.base) {
        json_decref(f.nodes);
        json_decref(f.urns);
        return ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file.data, 0, "the framework of sheet %s_meta has no "
                        "base_urn: its nodes have no URNs", b->prefix);
    }
    content c = {.begin = fw_begin, .row = fw_row, .user = &f};
    st = f.nodes && f.urns ? read_content(r, b, &c) : ctl_nomem(r->ctx);
    if (st == CTL_OK && c.have_header && !jset(fw, "requirement_nodes", json_incref(f.nodes))) st = ctl_nomem(r->ctx);
    if (st == CTL_OK && f.questions && !skip_note(r, "the questions of %zu node(s)", f.questions)) st = ctl_nomem(r->ctx);
    if (st == CTL_OK && f.scores && !skip_note(r, "the score scales of %zu node(s)", f.scores)) st = ctl_nomem(r->ctx);
    if (st == CTL_OK && f.unknown_refs &&
        !skip_note(r, "%zu threat or reference control item(s) without a known urn_prefix", f.unknown_refs))
        st = ctl_nomem(r->ctx);
    json_decref(f.nodes);
    json_decref(f.urns);
    ctl_free(f.parent);
    ctl_free(f.count);
    return st;
}

/* The set and its reverse, as the converter makes them: objects'
 * requirement_mapping_sets. */
static ctl_status read_mapping_set(reader *r, const block *b, json_t *objects)
{
    json_t *set = json_object(), *sets = json_array();
    if (!jset(objects, "requirement_mapping_sets", sets) || !jappend(sets, set)) return ctl_nomem(r->ctx);
    ctl_status st = set_file(r, b->content);
    static const char *const need[] = {"urn", "ref_id", "source_node_base_urn", "target_node_base_urn"};
    for (size_t i = 0; i < sizeof need / sizeof *need && st == CTL_OK; i++)
        if (!jstr(b->meta, need[i]))
            st = ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file.data, 0, "the mapping set of sheet %s_meta has no %s",
                          b->prefix, need[i]);
    static const char *const keys[] = {"urn", "ref_id", "name", "description", "source_framework_urn",
                                       "target_framework_urn", NULL};
    if (st == CTL_OK) st = copy_keys(r, b->meta, set, keys);
    if (st == CTL_OK) st = meta_translations(r, b->meta, set);
    if (st != CTL_OK) return st;
    map_read m = {jstr(b->meta, "source_node_base_urn"), jstr(b->meta, "target_node_base_urn"), {0}, json_array()};
    content c = {.begin = map_begin, .row = map_row, .user = &m};
    if (!jset(set, "requirement_mappings", m.list)) return ctl_nomem(r->ctx);
    if ((st = read_content(r, b, &c)) != CTL_OK) return st;
    json_t *rev = revert_of(set);
    return jappend(sets, rev) ? count(r, rev, 0) : ctl_nomem(r->ctx);
}

/* The words of s (split at white space and commas) appended to a; labels:
 * upper case, each once.  0: no memory. */
static int split_words(const char *s, json_t *a, int labels)
{
    size_t len = strlen(s);
    for (const char *p = s, *end = s + len; p < end;) {
        uint32_t cp;
        size_t n = ctl_utf8_decode(p, (size_t)(end - p), &cp);
        if (cp == ',' || py_space(cp)) { p += n; continue; }
        ctl_buf w = {0};
        while (p < end && (n = ctl_utf8_decode(p, (size_t)(end - p), &cp)) && cp != ',' && !py_space(cp)) {
            char u[8];
            size_t k = labels ? ctl_utf8_encode((uint32_t)utf8proc_toupper((utf8proc_int32_t)cp), u) : n;
            if (!ctl_buf_add(&w, labels ? u : p, k)) { ctl_buf_free(&w); return 0; }
            p += n;
        }
        int dup = 0;
        size_t i;
        json_t *e;
        json_array_foreach(a, i, e) dup |= labels && !strcmp(json_string_value(e), w.data);
        int ok = dup || jappend(a, json_stringn(w.data, w.len));
        ctl_buf_free(&w);
        if (!ok) return 0;
    }
    return 1;
}

/* library_meta as the converter takes it. */
static ctl_status read_library(reader *r, json_t *lib)
{
    json_t *meta = NULL;
    long sheet = ctl_xlsx_book_sheet(r->book, "library_meta");
    if (sheet < 0)
        return ctl_fail(r->ctx, CTL_D_NOT_A_LIST, ctl_xlsx_book_file(r->book), 0, "no sheet library_meta: not a "
                        "CISO Assistant library workbook");
    ctl_status st = read_kv(r, (size_t)sheet, &meta);
    if (st != CTL_OK) return st;
    const char *type = jstr(meta, "type"), *urn = jstr(meta, "urn");
    if (!type || strcmp(type, "library"))
        st = ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file.data, 0, "library_meta says type = %s, where a library "
                      "workbook says library", type ? type : "nothing");
    else if (!urn)
        st = ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file.data, 0, "library_meta has no urn");
    else if (!urn_clean(urn, strlen(urn), &r->a) || !jset(lib, "urn", json_string(r->a.data)))
        st = ctl_nomem(r->ctx);
    static const char *const keys[] = {"locale", "ref_id", "name", "description", "copyright", NULL};
    if (st == CTL_OK) st = copy_keys(r, meta, lib, keys);
    if (st == CTL_OK) st = meta_int(r, meta, "version", lib, 1);
    /* a date the converter reads (YYYY-MM-DD, with a time after it or not);
     * without one it states the day it runs */
    const char *date = jstr(meta, "publication_date");
    if (st == CTL_OK && date && strlen(date) >= 10 && strspn(date, "0123456789") == 4 && date[4] == '-' &&
        strspn(date + 5, "0123456789") == 2 && date[7] == '-' && strspn(date + 8, "0123456789") == 2 &&
        (!date[10] || date[10] == 'T' || date[10] == ' ') && !jset(lib, "publication_date", json_stringn(date, 10)))
        st = ctl_nomem(r->ctx);
    static const char *const keys2[] = {"provider", "packager", NULL};
    if (st == CTL_OK) st = copy_keys(r, meta, lib, keys2);
    static const char *const lists[] = {"labels", "dependencies"};
    for (int k = 0; k < 2 && st == CTL_OK; k++) {
        const char *s = jstr(meta, lists[k]);
        json_t *a = s ? json_array() : NULL;
        if (s && (!jset(lib, lists[k], a) || !split_words(s, a, k == 0))) st = ctl_nomem(r->ctx);
    }
    if (st == CTL_OK) st = meta_translations(r, meta, lib);
    json_decref(meta);
    return st;
}

/* The types the converter takes in but makes no object of. */
static int consumed_type(const char *t)
{
    static const char *const types[] = {"answers", "implementation_groups", "scores", "urn_prefix", "ttp_groups"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(t, types[i])) return 1;
    return 0;
}

static ctl_status read_objects(reader *r, json_t *lib)
{
    json_t *objects = json_object();
    if (!jset(lib, "objects", objects)) return ctl_nomem(r->ctx);
    ctl_status st = find_blocks(r);
    const block *fw = NULL, *set = NULL;
    for (size_t i = 0; i < r->n_blocks && st == CTL_OK; i++) {
        const block *b = &r->blocks[i];
        const char *t = block_type(b);
        const block **one = !strcmp(t, "framework") ? &fw : !strcmp(t, "requirement_mapping_set") ? &set : NULL;
        if (one && *one)
            st = ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, ctl_xlsx_book_file(r->book), 0, "two objects of type %s "
                          "(sheets %s_meta and %s_meta): a library holds one (CISO Assistant's converter keeps "
                          "the last)", t, (*one)->prefix, b->prefix);
        else if (one) *one = b;
        else if (!consumed_type(t) && !skip_note(r, "the %s of sheet %s_meta", *t ? t : "untyped object", b->prefix))
            st = ctl_nomem(r->ctx);
    }
    if (st == CTL_OK && fw) st = read_framework(r, fw, objects);
    if (st == CTL_OK && set) st = read_mapping_set(r, set, objects);
    return st;
}

ctl_status ctl_ciso_xlsx_to_tree(ctl_ctx *ctx, ctl_xlsx_book *book, const ctl_options *opts, json_t **lib)
{
    size_t floor = ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY), size = ctl_xlsx_book_size(book);
    reader r = {.ctx = ctx, .book = book, .prefixes = json_object(),
                .budget = size > (SIZE_MAX - floor) / 3 ? SIZE_MAX : floor + 3 * size};
    json_t *l = json_object();
    *lib = NULL;
    ctl_status st = l && r.prefixes ? CTL_OK : ctl_nomem(ctx);
    if (st == CTL_OK) st = read_library(&r, l);
    if (st == CTL_OK) st = read_objects(&r, l);
    if (st == CTL_OK && r.formulas)
        st = ctl_warn(ctx, CTL_D_FORMULA_UNEVALUATED, ctl_xlsx_book_file(book), 0, "%zu translation(s) starting with "
                      "'=' left out, as CISO Assistant's converter takes them for formulas never evaluated; the "
                      "first: %s", r.formulas, r.first_formula);
    if (st == CTL_OK && r.skipped.len)
        st = ctl_warn(ctx, CTL_D_FIELD_DROPPED, ctl_xlsx_book_file(book), 0, "left out of the library (ctlconv reads "
                      "its framework and requirement mapping set): %s", r.skipped.data);
    for (size_t i = 0; i < r.n_blocks; i++) {
        json_decref(r.blocks[i].meta);
        ctl_free(r.blocks[i].prefix);
    }
    ctl_free(r.blocks);
    json_decref(r.prefixes);
    ctl_buf_free(&r.file);
    ctl_buf_free(&r.a);
    ctl_buf_free(&r.b);
    ctl_buf_free(&r.skipped);
    if (st == CTL_OK) *lib = l;
    else json_decref(l);
    return st;
}

ctl_status ctl_ciso_xlsx_read_book(ctl_ctx *ctx, ctl_xlsx_book *book, const ctl_options *opts, ctl_sink *sink)
{
    json_t *lib;
    ctl_status st = ctl_ciso_xlsx_to_tree(ctx, book, opts, &lib);
    if (st != CTL_OK) return st;
    st = ctl_ciso_read_tree(ctx, lib, ctl_xlsx_book_file(book), opts, sink);
    json_decref(lib);
    return st;
}

/* ------------------------------------------------------------ the format */

static ctl_status ciso_xlsx_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    ctl_xlsx_book *book;
    ctl_status st = ctl_xlsx_book_open(ctx, in, opts, &book);
    if (st != CTL_OK) return st;
    if (ctl_xlsx_book_sheet(book, "library_meta") < 0)
        st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, 0, "a workbook without a sheet library_meta: not a CISO "
                      "Assistant library workbook (the xlsx format reads other workbooks)");
    else
        st = ctl_ciso_xlsx_read_book(ctx, book, opts, sink);
    ctl_xlsx_book_close(book);
    return st;
}

static ctl_status ciso_xlsx_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                                   ctl_sink **sink)
{
    return ctl_ciso_writer(ctx, out, out_name, opts, ctl_ciso_tree_to_xlsx, sink);
}

const ctl_format ctl_format_ciso_xlsx = {
    .name = "ciso-xlsx",
    /* as ciso-yaml's, and what the converter trims; one mapping set */
    .loses = CTL_LOSES_ANSWERS | CTL_LOSES_CATEGORIES | CTL_LOSES_EXTRAS | CTL_LOSES_LABELS | CTL_LOSES_UNPLACED |
             CTL_LOSES_REFS | CTL_LOSES_EDGE_SPACES | CTL_LOSES_SECOND_EDITION,
    .description = "CISO Assistant library workbook (the Excel form of its converter)",
    .options = CTL_WRITES_DOC_VERSION | CTL_WRITES_LIBRARY,
    .read = ciso_xlsx_read,
    .writer = ciso_xlsx_writer,
};
