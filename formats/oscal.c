/* SPDX-License-Identifier: BSD-2-Clause */
/* OSCAL: what goes where between the list and an OSCAL document in its
 * JSON form (see oscal.h).  The rules, in short (the README's OSCAL
 * section says them in full):
 *
 * Writing a catalog.  Items nest under their parents; an item is a control
 * when it is a requirement (a description, a category or an answer), a
 * leaf, or inside a control; else a group.  A group holds groups or
 * controls, never both: when any child of a group is a control, all are;
 * at the top, every item up to the last control is one (the catalog lists
 * its controls before its groups).  Ids are OSCAL tokens (ctl_oscal_token,
 * unique: a taken one gets a suffix and our "id" prop); the printed label
 * is NIST's "label" prop; the description is the "statement" part; the
 * category a class (basic, recommended, mandatory) and our "category" prop
 * (the word as written); each reference our "reference" prop (class: the
 * scheme); each extra field our "extra" part (title: the column's name);
 * the metadata our props in metadata.  What OSCAL cannot hold as it is (a
 * title with a line break, a level that is not the nesting depth...) goes
 * to our props, whose values are the text itself, or a JSON string literal
 * when the text is no OSCAL string ("\"a\\nb\"").  Answers are left out:
 * they are a component definition's implemented requirements.
 *
 * Reading a catalog: groups and controls at any depth become items
 * (level: the depth), NIST's content (statement items flattened to lines,
 * guidance and other parts, params, links, props) extra fields where the
 * model has no field; our props and parts give back what we wrote.  In a
 * catalog not ours, the labels are the ids when every control's label is
 * one ("AC-2(1)"), a token that is no id of the model ("ac") gives none
 * (the hierarchy makes one), and params' inserts read as NIST prints them
 * ("[Assignment: frequency]"). */
#include "oscal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <uuid/uuid.h>

#define NIST_NS "http://csrc.nist.gov/ns/oscal"
#define MODEL "ctlconv-list-2"   /* our metadata prop "model": the list is ours, whole */

enum { MAX_DEPTH = 64 };         /* the model's levels: 1 to 64 */

/* ------------------------------------------------------------ strings */

/* Unicode white space: what \s matches in the validators' patterns. */
static int space_cp(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

/* A line break to one validator or another: LF, CR, NEL, U+2028, U+2029. */
static int break_cp(uint32_t c) { return c == 0x0A || c == 0x0D || c == 0x85 || c == 0x2028 || c == 0x2029; }

/* Is s a markup-line every validator takes: not empty, no line break? */
static int line_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n) return 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += ctl_utf8_decode(s + i, n - i, &c);
        if (break_cp(c)) return 0;
    }
    return 1;
}

/* Is s an OSCAL string (^\S(.*\S)?$): a line without white space at
 * either end? */
static int string_ok(const char *s)
{
    if (!line_ok(s)) return 0;
    size_t n = strlen(s), k = n - 1;
    uint32_t first, last;
    ctl_utf8_decode(s, n, &first);
    while (k && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    ctl_utf8_decode(s + k, n - k, &last);
    return !space_cp(first) && !space_cp(last);
}

/* The value of one of our props for text s, into out: s when it is an
 * OSCAL string that does not begin with '"'; else s as a JSON string
 * literal (which is one).  0 when out of memory. */
static int put_value(ctl_buf *out, const char *s)
{
    out->len = 0;
    if (!ctl_buf_reserve(out, 1)) return 0;
    out->data[0] = '\0';
    if (string_ok(s) && s[0] != '"') return ctl_buf_adds(out, s);
    if (!ctl_buf_addc(out, '"')) return 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = ctl_utf8_decode(s + i, n - i, &c);
        int ok;
        if (c == '"' || c == '\\') ok = ctl_buf_addc(out, '\\') && ctl_buf_addc(out, (char)c);
        else if (c < 0x20 || c == 0x7F || break_cp(c)) ok = ctl_buf_printf(out, "\\u%04x", (unsigned)c);
        else ok = ctl_buf_add(out, s + i, k);
        if (!ok) return 0;
        i += k;
    }
    return ctl_buf_addc(out, '"');
}

/* The text a value of our props stands for (see put_value), malloc'd;
 * NULL when out of memory.  A value that begins with '"' but is no JSON
 * string literal is taken as it is. */
static char *get_value(const char *v, size_t n)
{
    if (n >= 2 && v[0] == '"') {
        json_error_t e;
        json_t *j = json_loadb(v, n, JSON_DECODE_ANY, &e);
        if (json_is_string(j)) {
            char *r = ctl_strndup(json_string_value(j), json_string_length(j));
            json_decref(j);
            return r;
        }
        json_decref(j);
    }
    return ctl_strndup(v, n);
}

/* s as one line, into out: each run of line breaks one space, spaces and
 * tabs at either end dropped (perhaps nothing).  0 when out of memory. */
static int one_line(ctl_buf *out, const char *s)
{
    out->len = 0;
    if (!ctl_buf_reserve(out, 1)) return 0;
    out->data[0] = '\0';
    size_t n = strlen(s);
    int gap = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = ctl_utf8_decode(s + i, n - i, &c);
        if (break_cp(c)) {
            gap = 1;
        } else {
            if ((gap && out->len && !ctl_buf_addc(out, ' ')) || !ctl_buf_add(out, s + i, k)) return 0;
            gap = 0;
        }
        i += k;
    }
    const char *t = out->data;
    size_t len = out->len;
    while (len && (*t == ' ' || *t == '\t')) t++, len--;
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\t')) len--;
    memmove(out->data, t, len);
    out->data[out->len = len] = '\0';
    return 1;
}

/* A line OSCAL can show for s (one_line), into out; when nothing is left,
 * fallback's, then fallback2's, then "untitled".  0 when out of memory. */
static int display(ctl_buf *out, const char *s, const char *fallback, const char *fallback2)
{
    if (!one_line(out, s)) return 0;
    if (out->len) return 1;
    if (fallback) return display(out, fallback, fallback2, NULL);
    return ctl_buf_adds(out, "untitled");
}

/* A name-based (v5) UUID in our namespace, lower case, into out. */
static void uuid5(const char *name, size_t len, char out[37])
{
    uuid_t ns, u;
    uuid_parse(CTL_OSCAL_NS_UUID, ns);
    uuid_generate_sha1(u, ns, name, len);
    uuid_unparse_lower(u, out);
}

/* ------------------------------------------------------ building JSON */

/* What builds a document: jansson calls whose failures are gathered (out
 * of memory, or text that is not UTF-8) and a scratch buffer. */
typedef struct {
    ctl_ctx *ctx;
    int failed, not_utf8;
    ctl_buf tmp;
} builder;

static json_t *str(builder *b, const char *s)
{
    json_t *v = json_string(s);
    if (!v) {
        b->failed = 1;
        if (ctl_utf8_valid_prefix((const unsigned char *)s, strlen(s)) != strlen(s)) b->not_utf8 = 1;
    }
    return v;
}

/* obj[key] = v (v taken; NULL a failure). */
static void set(builder *b, json_t *obj, const char *key, json_t *v)
{
    if (!v || !obj || json_object_set_new(obj, key, v)) b->failed = 1;
}

static void push(builder *b, json_t *arr, json_t *v)
{
    if (!v || !arr || json_array_append_new(arr, v)) b->failed = 1;
}

/* obj[key] = arr when arr has anything; arr dropped otherwise. */
static void set_array(builder *b, json_t *obj, const char *key, json_t *arr)
{
    if (arr && !json_array_size(arr)) json_decref(arr);
    else set(b, obj, key, arr);
}

static ctl_status built(builder *b)
{
    ctl_buf_free(&b->tmp);
    if (!b->failed) return CTL_OK;
    if (b->not_utf8) return ctl_fail(b->ctx, CTL_D_BAD_FIELD, NULL, 0, "the list holds text that is not UTF-8");
    return ctl_nomem(b->ctx);
}

static json_t *prop(builder *b, const char *name, const char *ns, const char *cls, const char *value)
{
    json_t *p = json_object();
    set(b, p, "name", str(b, name));
    if (ns) set(b, p, "ns", str(b, ns));
    set(b, p, "value", str(b, value));
    if (cls) set(b, p, "class", str(b, cls));
    return p;
}

/* One of our props, holding text (see put_value). */
static void our_prop(builder *b, json_t *props, const char *name, const char *cls, const char *text)
{
    if (!put_value(&b->tmp, text)) {
        b->failed = 1;
        return;
    }
    push(b, props, prop(b, name, CTL_OSCAL_NS, cls, b->tmp.data));
}

/* ----------------------------------------------------- the plan: tree */

/* Where each item goes: its token, and the tree (a node per item). */
typedef struct {
    const ctl_list *l;
    char **token;
    unsigned char *moved;       /* its token is not its own (taken): our "id" prop */
    unsigned char *control;
    int *depth;
    long *parent, *first, *last, *next;
    long top_first, top_last;
    json_t *taken;              /* every id written: a set */
} plan;

static void plan_free(plan *p)
{
    for (size_t i = 0; p->token && i < p->l->n_items; i++) ctl_free(p->token[i]);
    ctl_free(p->token);
    ctl_free(p->moved);
    ctl_free(p->control);
    ctl_free(p->depth);
    ctl_free(p->parent);
    ctl_free(p->first);
    ctl_free(p->last);
    ctl_free(p->next);
    json_decref(p->taken);
}

/* Takes token for one id of the document; 0 when it was taken (or no memory). */
static int take(plan *p, const char *token)
{
    if (json_object_get(p->taken, token)) return 0;
    return json_object_set_new(p->taken, token, json_true()) == 0;
}

/* Each item's token, unique: a token taken already gets "_2", "_3"... (the
 * first free one: the set remembers where to start for each token). */
static ctl_status plan_tokens(ctl_ctx *ctx, plan *p, int warn)
{
    ctl_buf t = {0}, u = {0};
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < p->l->n_items && st == CTL_OK; i++) {
        const ctl_item *it = &p->l->items[i];
        if (!ctl_oscal_token(ctl_str(it->id), &t)) goto nomem;
        const char *tok = t.data;
        if (!take(p, tok)) {
            /* the taken token holds the next suffix to try */
            json_t *next = json_object_get(p->taken, tok);
            if (!next) goto nomem;
            json_int_t k = json_is_integer(next) ? json_integer_value(next) : 2;
            for (;; k++) {
                u.len = 0;
                if (!ctl_buf_printf(&u, "%s_%lld", t.data, (long long)k)) goto nomem;
                if (take(p, u.data)) break;
                if (!json_object_get(p->taken, u.data)) goto nomem;
            }
            if (json_object_set_new(p->taken, t.data, json_integer(k + 1))) goto nomem;
            tok = u.data;
            p->moved[i] = 1;
            if (warn)
                st = ctl_warn_item(ctx, CTL_D_DUPLICATE_ID, NULL, 0, it->id, "OSCAL ids must be unique: item %s "
                                   "written with the id %s and our \"id\" prop (ctlconv reads it back as %s)",
                                   it->id, tok, it->id);
        }
        if (!(p->token[i] = ctl_strdup(tok))) goto nomem;
    }
    ctl_buf_free(&t);
    ctl_buf_free(&u);
    return st;
nomem:
    ctl_buf_free(&t);
    ctl_buf_free(&u);
    return ctl_nomem(ctx);
}

/* Each item under its parent when the parent is on the chain of the item
 * before it (so that the document order is the order of the tree) and
 * less than MAX_DEPTH deep; else at the top (its parent in our prop). */
static void plan_tree(plan *p)
{
    long chain[MAX_DEPTH + 1];
    size_t n = 0;
    p->top_first = p->top_last = -1;
    for (size_t i = 0; i < p->l->n_items; i++) {
        const char *want = ctl_str(p->l->items[i].parent);
        long up = -1;
        size_t k = n;
        while (*want && k > 0 && strcmp(ctl_str(p->l->items[chain[k - 1]].id), want)) k--;
        if (*want && k > 0 && p->depth[chain[k - 1]] < MAX_DEPTH) up = chain[k - 1];
        n = up < 0 ? 0 : k;
        p->parent[i] = up;
        p->first[i] = p->last[i] = p->next[i] = -1;
        p->depth[i] = up < 0 ? 1 : p->depth[up] + 1;
        long *first = up < 0 ? &p->top_first : &p->first[up], *last = up < 0 ? &p->top_last : &p->last[up];
        if (*last < 0) *first = (long)i;
        else p->next[*last] = (long)i;
        *last = (long)i;
        chain[n++] = (long)i;
    }
}

static int requirement(const ctl_item *it)
{
    return *ctl_str(it->description) || it->category != CTL_CATEGORY_NONE || *ctl_str(it->category_text) ||
           *ctl_str(it->answer);
}

/* A control by itself: a requirement, or a leaf. */
static int own_control(const plan *p, long i) { return requirement(&p->l->items[i]) || p->first[i] < 0; }

static void force_control(plan *p, long i)
{
    p->control[i] = 1;
    for (long c = p->first[i]; c >= 0; c = p->next[c]) force_control(p, c);
}

/* Group i holds controls only, or groups only. */
static void group_rule(plan *p, long i)
{
    int any = 0;
    for (long c = p->first[i]; c >= 0; c = p->next[c]) any |= own_control(p, c);
    for (long c = p->first[i]; c >= 0; c = p->next[c]) {
        if (any) force_control(p, c);
        else group_rule(p, c);
    }
}

static void plan_kinds(plan *p)
{
    long last = -1;
    for (long t = p->top_first; t >= 0; t = p->next[t])
        if (own_control(p, t)) last = t;
    int before = last >= 0;
    for (long t = p->top_first; t >= 0; t = p->next[t]) {
        if (before) force_control(p, t);
        else group_rule(p, t);
        if (t == last) before = 0;
    }
}

static ctl_status plan_make(ctl_ctx *ctx, const ctl_list *l, plan *p, int warn)
{
    memset(p, 0, sizeof *p);
    p->l = l;
    size_t n = l->n_items ? l->n_items : 1;
    if ((p->token = ctl_malloc(n * sizeof *p->token))) memset(p->token, 0, n * sizeof *p->token);
    p->moved = ctl_malloc(n);
    p->control = ctl_malloc(n);
    p->depth = ctl_malloc(n * sizeof *p->depth);
    p->parent = ctl_malloc(n * sizeof(long));
    p->first = ctl_malloc(n * sizeof(long));
    p->last = ctl_malloc(n * sizeof(long));
    p->next = ctl_malloc(n * sizeof(long));
    p->taken = json_object();
    if (!p->token || !p->moved || !p->control || !p->depth || !p->parent || !p->first || !p->last || !p->next ||
        !p->taken)
        return ctl_nomem(ctx);
    memset(p->moved, 0, n);
    memset(p->control, 0, n);
    ctl_status st = plan_tokens(ctx, p, warn);
    if (st != CTL_OK) return st;
    plan_tree(p);
    plan_kinds(p);
    return CTL_OK;
}

/* ------------------------------------------------- the catalog: items */

static void item_props(builder *b, const plan *p, long i, json_t *props)
{
    const ctl_item *it = &p->l->items[i];
    const char *label = ctl_str(it->label), *title = ctl_str(it->title);
    char num[16];
    if (*label && string_ok(label)) {
        push(b, props, prop(b, "label", NULL, NULL, label));
    } else if (*label) {
        /* NIST's label as OSCAL can hold it, ours exact */
        if (!one_line(&b->tmp, label)) b->failed = 1;
        else if (string_ok(b->tmp.data)) push(b, props, prop(b, "label", NULL, NULL, b->tmp.data));
        our_prop(b, props, "label", NULL, label);
    }
    if (!line_ok(title)) our_prop(b, props, "title", NULL, title);
    if (p->moved[i]) our_prop(b, props, "id", NULL, ctl_str(it->id));
    if (it->level != p->depth[i]) {
        snprintf(num, sizeof num, "%d", it->level);
        our_prop(b, props, "level", NULL, num);
    }
    const char *enclosing = p->parent[i] < 0 ? "" : ctl_str(p->l->items[p->parent[i]].id);
    if (strcmp(ctl_str(it->parent), enclosing)) our_prop(b, props, "parent", NULL, ctl_str(it->parent));
    if (*ctl_str(it->category_text)) our_prop(b, props, "category", NULL, it->category_text);
    ctl_buf scheme = {0};
    for (size_t r = 0; r < it->n_refs; r++) {
        const char *s = ctl_str(it->refs[r].scheme);
        if (*s && !ctl_oscal_token(s, &scheme)) b->failed = 1;
        our_prop(b, props, "reference", *s ? scheme.data : NULL, ctl_str(it->refs[r].id));
    }
    ctl_buf_free(&scheme);
}

/* An extra field: our "extra" part, titled with its column's name. */
static json_t *extra_part(builder *b, const ctl_field *f)
{
    json_t *part = json_object();
    const char *name = ctl_str(f->name), *value = ctl_str(f->value);
    set(b, part, "name", str(b, "extra"));
    set(b, part, "ns", str(b, CTL_OSCAL_NS));
    if (line_ok(name)) {
        set(b, part, "title", str(b, name));
    } else {
        json_t *props = json_array();
        our_prop(b, props, "title", NULL, name);
        set(b, part, "props", props);
    }
    if (*value) set(b, part, "prose", str(b, value));
    return part;
}

static void item_parts(builder *b, plan *p, long i, json_t *parts)
{
    const ctl_item *it = &p->l->items[i];
    if (*ctl_str(it->description)) {
        json_t *part = json_object();
        b->tmp.len = 0;
        if (!ctl_buf_printf(&b->tmp, "%s_smt", p->token[i])) b->failed = 1;
        else if (take(p, b->tmp.data)) set(b, part, "id", str(b, b->tmp.data));
        set(b, part, "name", str(b, "statement"));
        set(b, part, "prose", str(b, it->description));
        push(b, parts, part);
    }
    for (size_t k = 0; k < it->n_extra; k++) push(b, parts, extra_part(b, &it->extra[k]));
}

/* A group or control (and what it holds) as JSON. */
static json_t *node(builder *b, plan *p, long i)
{
    const ctl_item *it = &p->l->items[i];
    json_t *o = json_object(), *props = json_array(), *parts = json_array();
    set(b, o, "id", str(b, p->token[i]));
    if (p->control[i] && it->category != CTL_CATEGORY_NONE) set(b, o, "class", str(b, ctl_category_en(it->category)));
    if (!display(&b->tmp, ctl_str(it->title), it->label, ctl_str(it->id))) b->failed = 1;
    set(b, o, "title", str(b, line_ok(ctl_str(it->title)) ? it->title : b->tmp.data));
    item_props(b, p, i, props);
    set_array(b, o, "props", props);
    item_parts(b, p, i, parts);
    set_array(b, o, "parts", parts);
    if (p->first[i] >= 0) {
        json_t *kids = json_array();
        for (long c = p->first[i]; c >= 0 && !b->failed; c = p->next[c]) push(b, kids, node(b, p, c));
        set(b, o, p->control[p->first[i]] ? "controls" : "groups", kids);
    }
    return o;
}

/* ------------------------------------------------- the catalog: whole */

/* Is s (ctl_date_resolve()'s) a date-time OSCAL takes: years 1900 to
 * 2999, seconds below 60, a zone of its list?  Upper-cases 't' and 'z'. */
static int oscal_date(char *s)
{
    static const char *const zones[] = {"-03:30", "-09:30", "+03:30", "+04:30", "+05:30", "+06:30", "+09:30",
                                        "+10:30", "+05:45", "+08:45", "+12:45"};
    size_t n = strlen(s);
    if (n < 20 || s[0] < '1' || s[0] > '2' || (s[0] == '1' && s[1] != '9') || s[17] > '5') return 0;
    if (s[10] == 't') s[10] = 'T';
    if (s[n - 1] == 'z') s[n - 1] = 'Z';
    if (s[n - 1] == 'Z') return 1;
    const char *z = s + n - 6;
    for (size_t i = 0; i < sizeof zones / sizeof *zones; i++)
        if (!strcmp(z, zones[i])) return 1;
    int h = (z[1] - '0') * 10 + (z[2] - '0');
    return !strcmp(z + 3, ":00") && h <= (z[0] == '-' ? 12 : 14);
}

/* The document's date (opts->date, else ctl_date_resolve()'s) and
 * version, checked. */
static ctl_status date_and_version(ctl_ctx *ctx, const ctl_options *opts, char date[CTL_DATE_MAX],
                                   const char **version)
{
    ctl_status st = ctl_date_resolve(ctx, opts ? opts->date : NULL, NULL, date);
    if (st != CTL_OK) return st;
    if (!oscal_date(date))
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the date %s is no OSCAL date-time (years 1900 to "
                        "2999, a real zone such as Z or +09:00)", date);
    *version = opts && opts->doc_version ? opts->doc_version : "1";
    if (!string_ok(*version))
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the document version '%.60s' is no OSCAL string (one "
                        "line, no space at either end)", *version);
    return CTL_OK;
}

/* metadata: title, last-modified (placeholder *lm, set once the UUID is
 * made), version, oscal-version; props and remarks for a catalog. */
static json_t *metadata(builder *b, const ctl_meta *m, const char *title, const char *version, json_t **lm,
                        int catalog)
{
    json_t *md = json_object();
    set(b, md, "title", str(b, title));
    *lm = str(b, "");
    if (*lm) json_incref(*lm);
    set(b, md, "last-modified", *lm);
    set(b, md, "version", str(b, version));
    set(b, md, "oscal-version", str(b, CTL_OSCAL_VERSION));
    if (!catalog) return md;
    json_t *props = json_array();
    push(b, props, prop(b, "model", CTL_OSCAL_NS, NULL, MODEL));
    if (!line_ok(ctl_str(m->title))) our_prop(b, props, "title", NULL, ctl_str(m->title));
    if (*ctl_str(m->annex)) our_prop(b, props, "annex", NULL, m->annex);
    if (*ctl_str(m->ref_scheme)) our_prop(b, props, "ref-scheme", NULL, m->ref_scheme);
    for (size_t i = 0; i < m->n_columns; i++) our_prop(b, props, "column", NULL, ctl_str(m->columns[i]));
    for (size_t i = 0; i < m->n_unplaced; i++) our_prop(b, props, "unplaced", NULL, ctl_str(m->unplaced[i]));
    set_array(b, md, "props", props);
    if (*ctl_str(m->note)) set(b, md, "remarks", str(b, m->note));
    return md;
}

/* The list's title as OSCAL can show it, into b->tmp. */
static void list_title(builder *b, const ctl_meta *m)
{
    if (!display(&b->tmp, ctl_str(m->title), m->annex, "Control list")) b->failed = 1;
}

/* Sets the placeholder uuid to the v5 UUID of the document as it stands
 * (with its placeholders: the date is not part of it), then lm to date. */
static void seal(builder *b, json_t *doc, json_t *uuid, json_t *lm, const char *date, char out[37])
{
    out[0] = '\0';
    if (b->failed) return;
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text) {
        b->failed = 1;
        return;
    }
    uuid5(text, strlen(text), out);
    free(text);
    if (json_string_set(uuid, out) || json_string_set(lm, date)) b->failed = 1;
}

static ctl_status build_catalog(ctl_ctx *ctx, plan *p, const char *date, const char *version, json_t **doc,
                                char uuid[37])
{
    builder b = {ctx, 0, 0, {0}};
    const ctl_list *l = p->l;
    json_t *root = json_object(), *cat = json_object(), *id = str(&b, ""), *lm = NULL;
    if (id) json_incref(id);
    set(&b, root, "catalog", cat);
    set(&b, cat, "uuid", id);
    list_title(&b, &l->meta);
    char *title = ctl_strdup(line_ok(ctl_str(l->meta.title)) ? l->meta.title : ctl_str(b.tmp.data));
    if (!title) b.failed = 1;
    set(&b, cat, "metadata", metadata(&b, &l->meta, ctl_str(title), version, &lm, 1));
    ctl_free(title);
    json_t *controls = json_array(), *groups = json_array();
    for (long t = p->top_first; t >= 0 && !b.failed; t = p->next[t])
        push(&b, p->control[t] ? controls : groups, node(&b, p, t));
    set_array(&b, cat, "controls", controls);
    set_array(&b, cat, "groups", groups);
    seal(&b, root, id, lm, date, uuid);
    json_decref(id);
    json_decref(lm);
    ctl_status st = built(&b);
    if (st != CTL_OK) json_decref(root);
    else *doc = root;
    return st;
}

/* ------------------------------------------ the component definition */

static json_t *implemented(builder *b, const plan *p, size_t i, const char *catalog_uuid)
{
    char u[37];
    b->tmp.len = 0;
    if (!ctl_buf_printf(&b->tmp, "%s/implemented-requirement/%s", catalog_uuid, p->token[i])) b->failed = 1;
    uuid5(ctl_str(b->tmp.data), b->tmp.len, u);
    json_t *r = json_object();
    set(b, r, "uuid", str(b, u));
    set(b, r, "control-id", str(b, p->token[i]));
    set(b, r, "description", str(b, p->l->items[i].answer));
    return r;
}

/* The control implementation: the answers, pointing at the catalog. */
static json_t *implementation(builder *b, const plan *p, const char *component_uuid, const char *catalog_uuid,
                              const char *title)
{
    char u[37], source[64];
    snprintf(source, sizeof source, "urn:uuid:%s", catalog_uuid);
    b->tmp.len = 0;
    if (!ctl_buf_printf(&b->tmp, "%s/control-implementation", component_uuid)) b->failed = 1;
    uuid5(ctl_str(b->tmp.data), b->tmp.len, u);
    json_t *ci = json_object(), *reqs = json_array();
    set(b, ci, "uuid", str(b, u));
    set(b, ci, "source", str(b, source));
    b->tmp.len = 0;
    if (!ctl_buf_printf(&b->tmp, "The answers to %s, one implemented requirement per answered item; the "
                        "controls are those of the OSCAL catalog %s.", title, source))
        b->failed = 1;
    set(b, ci, "description", str(b, ctl_str(b->tmp.data)));
    for (size_t i = 0; i < p->l->n_items && !b->failed; i++)
        if (*ctl_str(p->l->items[i].answer)) push(b, reqs, implemented(b, p, i, catalog_uuid));
    set(b, ci, "implemented-requirements", reqs);
    return ci;
}

static ctl_status build_component(ctl_ctx *ctx, plan *p, const ctl_options *opts, const char *date,
                                  const char *version, const char *catalog_uuid, json_t **doc)
{
    builder b = {ctx, 0, 0, {0}};
    const ctl_list *l = p->l;
    const char *given = opts ? opts->component : NULL;
    if (given && !line_ok(given))
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the component's name must be one line of text");
    size_t answers = 0;
    for (size_t i = 0; i < l->n_items; i++) answers += *ctl_str(l->items[i].answer) != 0;
    list_title(&b, &l->meta);
    char *title = ctl_strdup(line_ok(ctl_str(l->meta.title)) ? l->meta.title : ctl_str(b.tmp.data));
    char *name = ctl_strdup(given ? given : ctl_str(title));
    if (!title || !name) b.failed = 1;
    char cu[37], text[128];
    b.tmp.len = 0;
    if (!ctl_buf_printf(&b.tmp, "%s/component/%s", catalog_uuid, ctl_str(name))) b.failed = 1;
    uuid5(ctl_str(b.tmp.data), b.tmp.len, cu);
    json_t *root = json_object(), *cd = json_object(), *id = str(&b, ""), *lm = NULL;
    if (id) json_incref(id);
    set(&b, root, "component-definition", cd);
    set(&b, cd, "uuid", id);
    set(&b, cd, "metadata", metadata(&b, &l->meta, ctl_str(name), version, &lm, 0));
    json_t *comps = json_array(), *comp = json_object();
    push(&b, comps, comp);
    set(&b, cd, "components", comps);
    set(&b, comp, "uuid", str(&b, cu));
    set(&b, comp, "type", str(&b, "service"));
    set(&b, comp, "title", str(&b, ctl_str(name)));
    b.tmp.len = 0;
    if (!ctl_buf_printf(&b.tmp, "The component as its answers to %s describe it.", ctl_str(title))) b.failed = 1;
    set(&b, comp, "description", str(&b, ctl_str(b.tmp.data)));
    if (answers) {
        json_t *cis = json_array();
        push(&b, cis, implementation(&b, p, cu, catalog_uuid, ctl_str(title)));
        set(&b, comp, "control-implementations", cis);
    }
    seal(&b, root, id, lm, date, text);
    json_decref(id);
    json_decref(lm);
    ctl_free(title);
    ctl_free(name);
    ctl_status st = built(&b);
    if (st == CTL_OK && !answers)
        st = ctl_warn(ctx, CTL_D_NO_ANSWERS, NULL, 0, "the list has no answers: the component definition "
                      "holds no implemented requirements");
    if (st != CTL_OK) json_decref(root);
    else *doc = root;
    return st;
}

ctl_status ctl_oscal_build(ctl_ctx *ctx, const ctl_list *l, const ctl_options *opts, ctl_oscal_kind kind,
                           json_t **doc)
{
    *doc = NULL;
    char date[CTL_DATE_MAX], uuid[37];
    const char *version = "1";
    ctl_status st = date_and_version(ctx, opts, date, &version);
    if (st != CTL_OK) return st;
    plan p;
    json_t *cat = NULL;
    st = plan_make(ctx, l, &p, kind == CTL_OSCAL_CATALOG);
    if (st == CTL_OK) st = build_catalog(ctx, &p, date, version, &cat, uuid);
    if (st == CTL_OK && kind == CTL_OSCAL_COMPONENT) {
        /* the catalog for its UUID and ids (the tokens) */
        json_decref(cat);
        st = build_component(ctx, &p, opts, date, version, uuid, doc);
    } else if (st == CTL_OK) {
        *doc = cat;
        size_t answers = 0;
        for (size_t i = 0; i < l->n_items; i++) answers += *ctl_str(l->items[i].answer) != 0;
        if (answers)
            st = ctl_warn(ctx, CTL_D_ANSWERS_DROPPED, NULL, 0, "%zu answer(s) left out: an OSCAL catalog has no "
                          "place for them (write them as a component definition: oscal-component-json)", answers);
    }
    plan_free(&p);
    return st;
}

/* ------------------------------------------------------------- reader */

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    ctl_sink *sink;
    json_t *titles;          /* back-matter: resource uuid -> its title */
    json_t *columns;         /* pass 1: extra field name -> most one item holds */
    json_t *params;          /* pass 0: param id -> the param, for its inserts */
    json_t *ids;             /* pass 0: token -> the id its label gives ("": none) */
    json_t *seen;            /* pass 0: each item's id (as by_label would make it) -> its token */
    int by_label;            /* ids from labels: every control's is an id, no two the same */
    size_t growth, budget;   /* what params' inserts may add to the texts (json-memory), and what is left */
    int emit;                /* 0: pass 1 (a catalog not ours: the columns), 1: the items */
    int ours;                /* our metadata prop "model": the list is ours, whole */
} reader;

static ctl_status bad(reader *r, ctl_diag code, const char *item, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static ctl_status bad(reader *r, ctl_diag code, const char *item, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctl_fail_item(r->ctx, code, r->file, 0, item, "OSCAL: %s", msg);
}

/* obj[key] into *out when it is of type (absent: NULL); of another type,
 * an error naming where. */
static ctl_status member(reader *r, const json_t *obj, const char *key, json_type type, const char *where,
                         const char *item, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v) return CTL_OK;
    if (json_typeof(v) != type)
        return bad(r, CTL_D_BAD_FIELD, item, "%s: '%s' must be %s", where, key,
                   type == JSON_STRING ? "a string" : type == JSON_ARRAY ? "an array" : "an object");
    *out = v;
    return CTL_OK;
}

static int is_ours(const char *ns) { return ns && !strcmp(ns, CTL_OSCAL_NS); }
static int is_nist(const char *ns) { return !ns || !strcmp(ns, NIST_NS); }

/* A prop's members. */
typedef struct {
    const char *name, *value, *ns, *cls;
    size_t len;              /* of value */
} oprop;

static ctl_status get_prop(reader *r, const json_t *p, const char *where, const char *item, oprop *out)
{
    if (!json_is_object(p)) return bad(r, CTL_D_BAD_FIELD, item, "%s: a prop must be an object", where);
    json_t *name, *value, *ns, *cls;
    ctl_status st;
    if ((st = member(r, p, "name", JSON_STRING, where, item, &name)) != CTL_OK ||
        (st = member(r, p, "value", JSON_STRING, where, item, &value)) != CTL_OK ||
        (st = member(r, p, "ns", JSON_STRING, where, item, &ns)) != CTL_OK ||
        (st = member(r, p, "class", JSON_STRING, where, item, &cls)) != CTL_OK)
        return st;
    if (!name || !value) return bad(r, CTL_D_BAD_FIELD, item, "%s: a prop needs a name and a value", where);
    *out = (oprop){json_string_value(name), json_string_value(value), ns ? json_string_value(ns) : NULL,
                   cls ? json_string_value(cls) : NULL, json_string_length(value)};
    return CTL_OK;
}

/* NIST's label among props: the one without a class, else the first;
 * NULL when none (malformed props are the caller's to refuse). */
static const char *label_of(const json_t *props)
{
    const char *found = NULL;
    for (size_t i = 0; i < json_array_size(props); i++) {
        json_t *p = json_array_get(props, i), *name = json_object_get(p, "name"),
               *value = json_object_get(p, "value"), *ns = json_object_get(p, "ns");
        if (!json_is_string(name) || strcmp(json_string_value(name), "label") || !json_is_string(value) ||
            (ns && (!json_is_string(ns) || !is_nist(json_string_value(ns)))))
            continue;
        if (!json_object_get(p, "class")) return json_string_value(value);
        if (!found) found = json_string_value(value);
    }
    return found;
}

/* Replaces *dst with a copy of s[0..n). */
static int put(char **dst, const char *s, size_t n)
{
    char *d = ctl_strndup(s, n);
    if (!d) return 0;
    ctl_free(*dst);
    *dst = d;
    return 1;
}

/* An extra field of NIST's content, named so that no table reads the name
 * as a field's header ("sort-id" ends as an id column's does): such a name
 * gets " (OSCAL)". */
static int foreign_extra(ctl_item *it, const char *name, const char *value, size_t n)
{
    if (ctl_field_from_header(name, strlen(name)) == CTL_FIELD_NONE) return ctl_item_add_extra(it, name, value, n);
    ctl_buf b = {0};
    int ok = ctl_buf_printf(&b, "%s (OSCAL)", name) && ctl_item_add_extra(it, b.data, value, n);
    ctl_buf_free(&b);
    return ok;
}

static void trim_ws(const char **s, size_t *n)
{
    while (*n && strchr(" \t\r\n", **s)) (*s)++, (*n)--;
    while (*n && strchr(" \t\r\n", (*s)[*n - 1])) (*n)--;
}

/* ------------------------------------------------ reader: params' inserts */

/* Expanding the inserts of one text into out, the growth of all texts
 * held to r->budget. */
typedef struct {
    reader *r;
    ctl_buf *out;
    int nomem, over;
} expand;

static void add(expand *e, const char *s, size_t n)
{
    if (e->nomem || e->over) return;
    if (n > e->r->budget) e->over = 1;
    else if (!ctl_buf_add(e->out, s, n)) e->nomem = 1;
    else e->r->budget -= n;
}

static size_t blanks(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    return i;
}

/* The word w at s[*i..n) after white space: *i after it; 0 when not there. */
static int word(const char *s, size_t n, size_t *i, const char *w)
{
    size_t k = strlen(w);
    *i = blanks(s, n, *i);
    if (n - *i < k || memcmp(s + *i, w, k)) return 0;
    *i += k;
    return 1;
}

/* "{{ insert: param, ID }}" at s[0..n): ID's offset and length, and the
 * length of the whole; 0 when s does not begin with one. */
static int param_insert(const char *s, size_t n, size_t *id, size_t *idn, size_t *len)
{
    size_t i = 0;
    if (!word(s, n, &i, "{{") || !word(s, n, &i, "insert:") || !word(s, n, &i, "param") || !word(s, n, &i, ","))
        return 0;
    *id = i = blanks(s, n, i);
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '}') i++;
    *idn = i - *id;
    if (!*idn || !word(s, n, &i, "}}")) return 0;
    *len = i;
    return 1;
}

static void expand_text(expand *e, const char *s, size_t n, int depth);

/* The strings of array a, each expanded, sep between them; how many. */
static size_t expand_all(expand *e, const json_t *a, const char *sep, int depth)
{
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_string(v)) continue;
        if (k++) add(e, sep, strlen(sep));
        expand_text(e, json_string_value(v), json_string_length(v), depth + 1);
    }
    return k;
}

/* A param as NIST prints it: its values (a profile set them); else
 * "[Selection (one or more): a; b]" or "[Selection: a; b]"; else
 * "[Assignment: label]" (the param's id when it has no label). */
static void expand_param(expand *e, const json_t *p, const char *id, size_t idn, int depth)
{
    json_t *sel = json_object_get(p, "select"), *label = json_object_get(p, "label");
    json_t *choice = json_object_get(sel, "choice"), *many = json_object_get(sel, "how-many");
    if (expand_all(e, json_object_get(p, "values"), ", ", depth)) return;
    if (json_array_size(choice)) {
        int more = json_is_string(many) && !strcmp(json_string_value(many), "one-or-more");
        const char *head = more ? "[Selection (one or more): " : "[Selection: ";
        add(e, head, strlen(head));
        expand_all(e, choice, "; ", depth);
    } else {
        add(e, "[Assignment: ", 13);
        if (json_is_string(label)) expand_text(e, json_string_value(label), json_string_length(label), depth + 1);
        else add(e, id, idn);
    }
    add(e, "]", 1);
}

/* s[0..n) with each insert of a param the catalog defines expanded, to a
 * depth of 4 (a choice may insert another param; deeper, as written). */
static void expand_text(expand *e, const char *s, size_t n, int depth)
{
    size_t i = 0;
    while (i < n && !e->nomem && !e->over) {
        const char *b = depth < 4 ? memmem(s + i, n - i, "{{", 2) : NULL;
        size_t stop = b ? (size_t)(b - s) : n, id, idn, len;
        add(e, s + i, stop - i);
        if (!b) break;
        i = stop;
        json_t *p = param_insert(s + i, n - i, &id, &idn, &len)
                        ? json_object_getn(e->r->params, s + i + id, idn) : NULL;
        if (p) expand_param(e, p, s + i + id, idn, depth);
        else add(e, s + i, len = 2);
        i += len;
    }
}

/* s[0..n) into out as a reviewer reads it: in a catalog not ours, each
 * "{{ insert: param, ID }}" of a param it defines as NIST prints it
 * (expand_param); else as it is.  The growth of all texts is held to the
 * json-memory limit. */
static ctl_status with_params(reader *r, const char *s, size_t n, ctl_buf *out)
{
    out->len = 0;
    expand e = {r, out, 0, 0};
    if (r->ours || !r->emit || !json_object_size(r->params) || !memmem(s, n, "{{", 2)) {
        if (!ctl_buf_add(out, s, n)) return ctl_nomem(r->ctx);
        return CTL_OK;
    }
    r->budget += n;
    expand_text(&e, s, n, 0);
    if (e.nomem) return ctl_nomem(r->ctx);
    if (e.over)
        return ctl_limit_fail(r->ctx, r->file, 0, CTL_LIMIT_JSON_MEMORY, "OSCAL: the params' inserts make the "
                              "catalog's text more than %zu bytes longer", r->growth);
    return CTL_OK;
}

/* Appends a part's text to out: a line of its label (when level > 0 or
 * own_label), title and prose (trimmed), then its parts' lines, each
 * indented two spaces a level below the first (at most 16). */
static ctl_status flatten(reader *r, const json_t *part, int level, int own_label, ctl_buf *out, const char *where,
                          const char *item)
{
    if (!json_is_object(part)) return bad(r, CTL_D_BAD_FIELD, item, "%s: a part must be an object", where);
    json_t *prose, *parts, *title, *props;
    ctl_status st;
    if ((st = member(r, part, "prose", JSON_STRING, where, item, &prose)) != CTL_OK ||
        (st = member(r, part, "parts", JSON_ARRAY, where, item, &parts)) != CTL_OK ||
        (st = member(r, part, "title", JSON_STRING, where, item, &title)) != CTL_OK ||
        (st = member(r, part, "props", JSON_ARRAY, where, item, &props)) != CTL_OK)
        return st;
    const char *label = level > 0 || own_label ? label_of(props) : NULL;
    const char *pieces[3] = {label, title ? json_string_value(title) : NULL, prose ? json_string_value(prose) : NULL};
    size_t start = out->len;
    int any = 0;
    int ok = !out->len || ctl_buf_addc(out, '\n');
    for (int i = 0; ok && level >= 2 && i < 2 * ((level > 9 ? 9 : level) - 1); i++) ok = ctl_buf_addc(out, ' ');
    for (int i = 0; ok && i < 3; i++) {
        if (!pieces[i]) continue;
        const char *s = pieces[i];
        size_t n = strlen(s);
        trim_ws(&s, &n);
        if (!n) continue;
        ok = (!any || ctl_buf_addc(out, ' ')) && ctl_buf_add(out, s, n);
        any = 1;
    }
    if (!ok) return ctl_nomem(r->ctx);
    if (!any) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
    }
    for (size_t i = 0; i < json_array_size(parts); i++)
        if ((st = flatten(r, json_array_get(parts, i), level + 1, 1, out, where, item)) != CTL_OK) return st;
    return CTL_OK;
}

/* A param as a line: "id: label [one of: a; b] = value". */
static ctl_status param_line(reader *r, const json_t *p, ctl_buf *out, const char *where, const char *item)
{
    if (!json_is_object(p)) return bad(r, CTL_D_BAD_FIELD, item, "%s: a param must be an object", where);
    json_t *id, *label, *sel, *guide, *values, *choice = NULL, *many = NULL;
    ctl_status st;
    if ((st = member(r, p, "id", JSON_STRING, where, item, &id)) != CTL_OK ||
        (st = member(r, p, "label", JSON_STRING, where, item, &label)) != CTL_OK ||
        (st = member(r, p, "select", JSON_OBJECT, where, item, &sel)) != CTL_OK ||
        (st = member(r, p, "guidelines", JSON_ARRAY, where, item, &guide)) != CTL_OK ||
        (st = member(r, p, "values", JSON_ARRAY, where, item, &values)) != CTL_OK ||
        (sel && (st = member(r, sel, "choice", JSON_ARRAY, where, item, &choice)) != CTL_OK) ||
        (sel && (st = member(r, sel, "how-many", JSON_STRING, where, item, &many)) != CTL_OK))
        return st;
    json_t *g = json_object_get(json_array_get(guide, 0), "prose");
    const char *text = label ? json_string_value(label) : json_is_string(g) ? json_string_value(g) : "";
    int ok = (!out->len || ctl_buf_addc(out, '\n')) && ctl_buf_printf(out, "%s:%s%s", id ? json_string_value(id) : "",
                                                                        *text ? " " : "", text);
    if (ok && json_array_size(choice))
        ok = ctl_buf_printf(out, " [%s:", many && !strcmp(json_string_value(many), "one-or-more") ? "one or more of" : "one of");
    for (size_t i = 0; ok && i < json_array_size(choice); i++)
        if (json_is_string(json_array_get(choice, i)))
            ok = ctl_buf_printf(out, "%s %s", i ? ";" : "", json_string_value(json_array_get(choice, i)));
    if (ok && json_array_size(choice)) ok = ctl_buf_addc(out, ']');
    for (size_t i = 0; ok && i < json_array_size(values); i++)
        if (json_is_string(json_array_get(values, i)))
            ok = ctl_buf_printf(out, "%s %s", i ? "," : " =", json_string_value(json_array_get(values, i)));
    return ok ? CTL_OK : ctl_nomem(r->ctx);
}

static ctl_status params_extra(reader *r, const json_t *params, ctl_item *it, const char *where, const char *item)
{
    ctl_buf t = {0}, x = {0};
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < json_array_size(params) && st == CTL_OK; i++)
        st = param_line(r, json_array_get(params, i), &t, where, item);
    if (st == CTL_OK && t.len) st = with_params(r, t.data, t.len, &x);
    if (st == CTL_OK && t.len && !foreign_extra(it, "params", x.data, x.len)) st = ctl_nomem(r->ctx);
    ctl_buf_free(&t);
    ctl_buf_free(&x);
    return st;
}

/* Pass 0 (a catalog not ours): the params by id, for their inserts; each
 * token's id as its label gives it (a label ctl_parse_id takes: "AC-2(1)"
 * for ac-2.1, "1.1" for s1.1), with by_label cleared when a control has
 * no such label or two tokens would give one id.  Malformed members are
 * passed over: pass 1 refuses them. */
static ctl_status scan(reader *r, const json_t *holder, int depth);

/* The params of o (the catalog, a group or a control) by id; 0 when out
 * of memory. */
static int collect_params(reader *r, const json_t *o)
{
    json_t *params = json_object_get(o, "params");
    for (size_t i = 0; i < json_array_size(params); i++) {
        json_t *p = json_array_get(params, i), *pid = json_object_get(p, "id");
        if (json_is_string(pid) && !json_object_get(r->params, json_string_value(pid)) &&
            json_object_set(r->params, json_string_value(pid), p))
            return 0;
    }
    return 1;
}

static ctl_status scan_node(reader *r, const json_t *o, int control, int depth)
{
    json_t *id = json_object_get(o, "id"), *props = json_object_get(o, "props");
    int ok = collect_params(r, o);
    const char *label = json_is_array(props) ? label_of(props) : NULL;
    char canon[CTL_ID_MAX];
    int labelled = label && ctl_parse_id(label, strlen(label), canon);
    if (control && !labelled) r->by_label = 0;
    if (ok && json_is_string(id)) {
        const char *token = json_string_value(id);
        ctl_buf b = {0};
        ok = labelled || ctl_oscal_id(token, &b) >= 0;
        const char *mine = labelled ? canon : ctl_str(b.data);
        json_t *other = json_object_get(r->seen, mine);
        if (other && strcmp(json_string_value(other), token)) r->by_label = 0;
        ok = ok && !json_object_set_new(r->ids, token, json_string(labelled ? canon : "")) &&
             (other || !json_object_set_new(r->seen, mine, json_string(token)));
        ctl_buf_free(&b);
    }
    if (!ok) return ctl_nomem(r->ctx);
    return scan(r, o, depth + 1);
}

static ctl_status scan(reader *r, const json_t *holder, int depth)
{
    static const char *const keys[] = {"controls", "groups"};
    ctl_status st = CTL_OK;
    for (int k = 0; k < 2 && depth <= MAX_DEPTH; k++) {
        const json_t *a = json_object_get(holder, keys[k]);
        for (size_t i = 0; i < json_array_size(a) && st == CTL_OK; i++)
            if (json_is_object(json_array_get(a, i))) st = scan_node(r, json_array_get(a, i), k == 0, depth);
    }
    return st;
}

/* Is id one of the model's: canonical by ctl_parse_id? */
static int identifier(const char *id)
{
    char canon[CTL_ID_MAX];
    return id && ctl_parse_id(id, strlen(id), canon) && !strcmp(canon, id);
}

/* A group or control of a catalog not ours: its id from its token.  Its
 * label's when the labels are the ids (pass 0); else the token read back
 * when that is an identifier (ctl_parse_id: "ac-1", "s1.1"), canonical;
 * else none ("ac", "intro": the hierarchy makes one), the token the label
 * when the item has none.  A token not kept as the id is the extra field
 * "id (OSCAL)". */
static ctl_status node_id(reader *r, const char *token, ctl_item *it)
{
    const char *canon = r->by_label ? json_string_value(json_object_get(r->ids, token)) : NULL;
    char id[CTL_ID_MAX];
    int ok = 1;
    if (canon && *canon) ok = put(&it->id, canon, strlen(canon));
    else if (ctl_parse_id(it->id, strlen(it->id), id)) ok = put(&it->id, id, strlen(id));
    else ok = put(&it->id, "", 0) && (*ctl_str(it->label) || put(&it->label, token, strlen(token)));
    if (ok && strcmp(it->id, token)) ok = foreign_extra(it, "id", token, strlen(token));
    return ok ? CTL_OK : ctl_nomem(r->ctx);
}

/* What a link says: a related control's OSCAL id read back; its text;
 * the title of the back-matter resource it points at; the OSCAL id of the
 * group or control it points at ("required": "#ac-2"); or its href.  (The
 * OSCAL ids, not the labels: a related control may be outside the
 * catalog, a baseline's.) */
static ctl_status link_text(reader *r, const char *rel, const json_t *link, ctl_buf *out, const char *where,
                            const char *item)
{
    json_t *href, *text;
    ctl_status st;
    if ((st = member(r, link, "href", JSON_STRING, where, item, &href)) != CTL_OK ||
        (st = member(r, link, "text", JSON_STRING, where, item, &text)) != CTL_OK)
        return st;
    if (!href) return bad(r, CTL_D_BAD_FIELD, item, "%s: a link needs an href", where);
    const char *h = json_string_value(href);
    json_t *res = h[0] == '#' ? json_object_get(r->titles, h + 1) : NULL;
    ctl_buf id = {0};
    int ok;
    if (h[0] == '#' && (!strcmp(rel, "related") || (!text && !res && json_object_get(r->ids, h + 1))))
        ok = ctl_oscal_id(h + 1, &id) >= 0 && ctl_buf_adds(out, id.data);
    else ok = ctl_buf_adds(out, text ? json_string_value(text) : res ? json_string_value(res) : h);
    ctl_buf_free(&id);
    return ok ? CTL_OK : ctl_nomem(r->ctx);
}

/* Links, a run of one rel an extra field of that name ("related": the
 * ids, comma separated; others: a line each). */
static ctl_status links_extras(reader *r, const json_t *links, ctl_item *it, const char *where, const char *item)
{
    ctl_buf t = {0};
    const char *run = NULL;
    ctl_status st = CTL_OK;
    for (size_t i = 0; i <= json_array_size(links) && st == CTL_OK; i++) {
        json_t *l = json_array_get(links, i), *rel = NULL;
        if (l && !json_is_object(l)) st = bad(r, CTL_D_BAD_FIELD, item, "%s: a link must be an object", where);
        if (l && st == CTL_OK) st = member(r, l, "rel", JSON_STRING, where, item, &rel);
        if (st != CTL_OK) break;
        const char *name = rel ? json_string_value(rel) : "link";
        if (run && (!l || strcmp(run, name))) {
            if (!foreign_extra(it, run, t.data, t.len)) st = ctl_nomem(r->ctx);
            t.len = 0;
        }
        if (!l || st != CTL_OK) break;
        if (t.len && !ctl_buf_adds(&t, strcmp(name, "related") ? "\n" : ", ")) st = ctl_nomem(r->ctx);
        if (st == CTL_OK) st = link_text(r, name, l, &t, where, item);
        run = name;
    }
    ctl_buf_free(&t);
    return st;
}

static ctl_category category_of_class(const char *cls)
{
    static const ctl_category all[] = {CTL_CATEGORY_BASIC, CTL_CATEGORY_RECOMMENDED, CTL_CATEGORY_MANDATORY};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!strcmp(cls, ctl_category_en(all[i]))) return all[i];
    return CTL_CATEGORY_NONE;
}

/* An id of ours (or a token of another's, as it is) into *dst. */
static ctl_status take_id(reader *r, const char *s, size_t n, int token, char **dst, const char *where)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F)
            return bad(r, CTL_D_BAD_FIELD, NULL, "%s: the id '%.64s' holds white space or a control character",
                       where, s);
    ctl_buf b = {0};
    if ((token && ctl_oscal_id(s, &b) < 0) || (!token && !ctl_buf_add(&b, s, n))) {
        ctl_buf_free(&b);
        return ctl_nomem(r->ctx);
    }
    if (!b.len || b.len > 63) {
        ctl_buf_free(&b);
        return bad(r, CTL_D_BAD_FIELD, NULL, "%s: the id '%.64s' is empty or stands for more than 63 bytes", where, s);
    }
    ctl_free(*dst);
    *dst = ctl_buf_take(&b);
    return CTL_OK;
}

/* One of our props of a group or control into it. */
static ctl_status our_node_prop(reader *r, const oprop *p, ctl_item *it, int *level, int *has_parent,
                                const char *where)
{
    char *v = get_value(p->value, p->len), *end;
    if (!v) return ctl_nomem(r->ctx);
    ctl_status st = CTL_OK;
    int ok = 1;
    if (!strcmp(p->name, "label")) {
        ok = put(&it->label, v, strlen(v));
    } else if (!strcmp(p->name, "title")) {
        ok = put(&it->title, v, strlen(v));
    } else if (!strcmp(p->name, "category")) {
        ok = put(&it->category_text, v, strlen(v));
    } else if (!strcmp(p->name, "parent")) {
        ok = put(&it->parent, v, strlen(v));
        *has_parent = 1;
    } else if (!strcmp(p->name, "id")) {
        st = take_id(r, v, strlen(v), 0, &it->id, where);
    } else if (!strcmp(p->name, "level")) {
        long lv = strtol(v, &end, 10);
        if (*end || end == v || lv < 1 || lv > MAX_DEPTH)
            st = bad(r, CTL_D_BAD_FIELD, it->id, "%s: our level '%.20s' is no whole number from 1 to 64", where, v);
        *level = (int)lv;
    } else if (!strcmp(p->name, "reference")) {
        ctl_buf scheme = {0};
        ok = (!p->cls || ctl_oscal_id(p->cls, &scheme) >= 0) &&
             ctl_item_add_ref(it, p->cls ? scheme.data : "", v, strlen(v));
        ctl_buf_free(&scheme);
    } else {
        ok = ctl_item_add_extra(it, p->name, v, strlen(v));
    }
    ctl_free(v);
    return ok ? st : ctl_nomem(r->ctx);
}

/* The props of a group or control into it: ours, NIST's label, and the
 * others as extra fields. */
static ctl_status node_props(reader *r, const json_t *props, ctl_item *it, int *level, int *has_parent,
                             const char *where)
{
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < json_array_size(props) && st == CTL_OK; i++) {
        oprop p = {0};
        if ((st = get_prop(r, json_array_get(props, i), where, it->id, &p)) != CTL_OK) break;
        if (is_ours(p.ns)) st = our_node_prop(r, &p, it, level, has_parent, where);
        else if ((strcmp(p.name, "label") || !is_nist(p.ns)) && !foreign_extra(it, p.name, p.value, p.len))
            st = ctl_nomem(r->ctx);
    }
    return st;
}

/* Our "extra" part: its name (title, or our "title" prop) and its prose. */
static ctl_status our_extra(reader *r, const json_t *part, ctl_item *it, const char *where)
{
    json_t *title, *props, *prose;
    ctl_status st;
    if ((st = member(r, part, "title", JSON_STRING, where, it->id, &title)) != CTL_OK ||
        (st = member(r, part, "props", JSON_ARRAY, where, it->id, &props)) != CTL_OK ||
        (st = member(r, part, "prose", JSON_STRING, where, it->id, &prose)) != CTL_OK)
        return st;
    char *name = ctl_strdup(title ? json_string_value(title) : "");
    for (size_t i = 0; name && i < json_array_size(props); i++) {
        oprop p = {0};
        if ((st = get_prop(r, json_array_get(props, i), where, it->id, &p)) != CTL_OK) break;
        if (!is_ours(p.ns) || strcmp(p.name, "title")) continue;
        ctl_free(name);
        name = get_value(p.value, p.len);
    }
    if (st == CTL_OK && (!name || !ctl_item_add_extra(it, name, prose ? json_string_value(prose) : "",
                                                      prose ? json_string_length(prose) : 0)))
        st = ctl_nomem(r->ctx);
    ctl_free(name);
    return st;
}

/* The parts of a group or control: the statement the description (its
 * prose as it is, or with its items flattened to lines), our "extra"
 * parts extra fields, any other an extra field of its name, flattened. */
static ctl_status node_parts(reader *r, const json_t *parts, ctl_item *it, const char *where)
{
    int statement = 0;
    ctl_status st = CTL_OK;
    ctl_buf t = {0}, x = {0};
    for (size_t i = 0; i < json_array_size(parts) && st == CTL_OK; i++) {
        json_t *part = json_array_get(parts, i), *name, *ns, *sub, *prose;
        if (!json_is_object(part)) {
            st = bad(r, CTL_D_BAD_FIELD, it->id, "%s: a part must be an object", where);
            break;
        }
        if ((st = member(r, part, "name", JSON_STRING, where, it->id, &name)) != CTL_OK ||
            (st = member(r, part, "ns", JSON_STRING, where, it->id, &ns)) != CTL_OK ||
            (st = member(r, part, "parts", JSON_ARRAY, where, it->id, &sub)) != CTL_OK ||
            (st = member(r, part, "prose", JSON_STRING, where, it->id, &prose)) != CTL_OK)
            break;
        if (!name) {
            st = bad(r, CTL_D_BAD_FIELD, it->id, "%s: a part needs a name", where);
            break;
        }
        const char *n = json_string_value(name), *space = ns ? json_string_value(ns) : NULL;
        t.len = 0;
        if (is_ours(space) && !strcmp(n, "extra")) {
            st = our_extra(r, part, it, where);
        } else if (!statement && !strcmp(n, "statement") && is_nist(space)) {
            /* its prose as it is, or flattened with its items */
            statement = 1;
            if (!json_array_size(sub))
                st = ctl_buf_add(&t, prose ? json_string_value(prose) : "", prose ? json_string_length(prose) : 0)
                         ? CTL_OK : ctl_nomem(r->ctx);
            else st = flatten(r, part, 0, 0, &t, where, it->id);
            if (st == CTL_OK) st = with_params(r, t.len ? t.data : "", t.len, &x);
            if (st == CTL_OK && !put(&it->description, x.len ? x.data : "", x.len)) st = ctl_nomem(r->ctx);
        } else if ((st = flatten(r, part, 0, 1, &t, where, it->id)) == CTL_OK &&
                   (st = with_params(r, t.len ? t.data : "", t.len, &x)) == CTL_OK) {
            if (!foreign_extra(it, n, x.len ? x.data : "", x.len)) st = ctl_nomem(r->ctx);
        }
    }
    ctl_buf_free(&t);
    ctl_buf_free(&x);
    return st;
}

/* Pass 1: the most extra fields of each name one item holds. */
static ctl_status count_columns(reader *r, const ctl_item *it)
{
    json_t *mine = json_object();
    int ok = mine != NULL;
    for (size_t i = 0; ok && i < it->n_extra; i++) {
        const char *name = ctl_str(it->extra[i].name);
        ok = !json_object_set_new(mine, name, json_integer(json_integer_value(json_object_get(mine, name)) + 1));
    }
    const char *name;
    json_t *n;
    json_object_foreach(mine, name, n) {
        if (!ok) break;
        if (json_integer_value(json_object_get(r->columns, name)) < json_integer_value(n))
            ok = !json_object_set(r->columns, name, n);
    }
    json_decref(mine);
    return ok ? CTL_OK : ctl_nomem(r->ctx);
}

static ctl_status walk(reader *r, const json_t *holder, int depth, const char *enclosing, const char *where);

/* The members of a group or control the reader takes. */
typedef struct {
    json_t *id, *title, *cls, *props, *parts, *params, *links;
} onode;

/* The item of a group or control n: all but its parent and level. */
static ctl_status node_item(reader *r, const onode *n, ctl_item *it, int *level, int *has_parent, const char *where)
{
    const char *label = label_of(n->props);
    ctl_status st = CTL_OK;
    if (n->id) st = take_id(r, json_string_value(n->id), json_string_length(n->id), 1, &it->id, where);
    if (st == CTL_OK && (!put(&it->title, json_string_value(n->title), json_string_length(n->title)) ||
                         (label && !put(&it->label, label, strlen(label)))))
        st = ctl_nomem(r->ctx);
    if (st == CTL_OK && n->id && !r->ours) st = node_id(r, json_string_value(n->id), it);
    if (st == CTL_OK && n->cls) {
        it->category = category_of_class(json_string_value(n->cls));
        if (!it->category && !foreign_extra(it, "class", json_string_value(n->cls), json_string_length(n->cls)))
            st = ctl_nomem(r->ctx);
    }
    if (st == CTL_OK) st = node_props(r, n->props, it, level, has_parent, where);
    if (st == CTL_OK && *ctl_str(it->id) && !identifier(it->id))
        st = bad(r, CTL_D_BAD_FIELD, NULL, "%s: the id '%.64s' is no identifier such as II.1.1.1 or AC-2(1) (our "
                 "props and the tokens of a catalog of ctlconv's hold the list's ids)", where, it->id);
    if (st == CTL_OK && n->params) st = params_extra(r, n->params, it, where, it->id);
    if (st == CTL_OK && n->links) st = links_extras(r, n->links, it, where, it->id);
    if (st == CTL_OK) st = node_parts(r, n->parts, it, where);
    return st;
}

/* A group or control at depth (1: top) and what it holds; enclosing: the
 * id of the item that holds it ("" the top; NULL: one whose id ctlconv
 * makes). */
static ctl_status read_node(reader *r, const json_t *o, int control, int depth, const char *enclosing, size_t index)
{
    char where[200];
    const char *kind = control ? "control" : "group";
    snprintf(where, sizeof where, "%s %zu %s%.64s%s", kind, index + 1, !enclosing ? "under a group without an id" :
             *enclosing ? "under '" : "at the top", enclosing ? enclosing : "", enclosing && *enclosing ? "'" : "");
    if (!json_is_object(o)) return bad(r, CTL_D_BAD_FIELD, NULL, "%s must be an object", where);
    onode n;
    ctl_status st;
    if ((st = member(r, o, "id", JSON_STRING, where, NULL, &n.id)) != CTL_OK) return st;
    if (n.id) snprintf(where, sizeof where, "%s '%.64s'", kind, json_string_value(n.id));
    if (control && !n.id) return bad(r, CTL_D_BAD_FIELD, NULL, "%s has no id (OSCAL requires one)", where);
    if (depth > MAX_DEPTH)
        return bad(r, CTL_D_FIXED_LIMIT, NULL, "%s is nested %d deep: ctlconv's items have levels 1 to %d", where,
                   depth, MAX_DEPTH);
    if ((st = member(r, o, "title", JSON_STRING, where, NULL, &n.title)) != CTL_OK ||
        (st = member(r, o, "class", JSON_STRING, where, NULL, &n.cls)) != CTL_OK ||
        (st = member(r, o, "props", JSON_ARRAY, where, NULL, &n.props)) != CTL_OK ||
        (st = member(r, o, "parts", JSON_ARRAY, where, NULL, &n.parts)) != CTL_OK ||
        (st = member(r, o, "params", JSON_ARRAY, where, NULL, &n.params)) != CTL_OK ||
        (st = member(r, o, "links", JSON_ARRAY, where, NULL, &n.links)) != CTL_OK)
        return st;
    if (!n.title) return bad(r, CTL_D_BAD_FIELD, NULL, "%s has no title (OSCAL requires one)", where);
    ctl_item it;
    ctl_item_init(&it);
    int level = depth, has_parent = 0;
    st = node_item(r, &n, &it, &level, &has_parent, where);
    if (st == CTL_OK && !has_parent && enclosing && !put(&it.parent, enclosing, strlen(enclosing)))
        st = ctl_nomem(r->ctx);
    it.level = level;
    it.pos.file = r->file;
    ctl_item_fill_empty(&it);
    if (st == CTL_OK) st = r->emit ? r->sink->item(r->sink, r->ctx, &it) : count_columns(r, &it);
    char mine[CTL_ID_MAX];
    snprintf(mine, sizeof mine, "%s", ctl_str(it.id));
    ctl_item_clear(&it);
    if (st == CTL_OK) st = walk(r, o, depth + 1, *mine ? mine : NULL, where);
    return st;
}

/* The controls, then the groups, that holder holds. */
static ctl_status walk(reader *r, const json_t *holder, int depth, const char *enclosing, const char *where)
{
    json_t *controls, *groups;
    ctl_status st;
    if ((st = member(r, holder, "controls", JSON_ARRAY, where, NULL, &controls)) != CTL_OK ||
        (st = member(r, holder, "groups", JSON_ARRAY, where, NULL, &groups)) != CTL_OK)
        return st;
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(controls) && st == CTL_OK; i++)
        st = read_node(r, json_array_get(controls, i), 1, depth, enclosing, k++);
    for (size_t i = 0; i < json_array_size(groups) && st == CTL_OK; i++)
        st = read_node(r, json_array_get(groups, i), 0, depth, enclosing, k++);
    return st;
}

/* Appends s (taken) to the array *v of *n strings; 0 when out of memory. */
static int strv_add(char ***v, size_t *n, char *s)
{
    if (!s) return 0;
    if (*n == 0 || (*n >= 4 && !(*n & (*n - 1)))) {
        char **g = ctl_realloc(*v, (*n ? *n * 2 : 4) * sizeof *g);
        if (!g) {
            ctl_free(s);
            return 0;
        }
        *v = g;
    }
    (*v)[(*n)++] = s;
    return 1;
}

/* One of our metadata props into m. */
static ctl_status our_meta_prop(reader *r, const oprop *p, ctl_meta *m)
{
    if (!strcmp(p->name, "model")) {
        if (strcmp(p->value, MODEL))
            return bad(r, CTL_D_UNSUPPORTED_VERSION, NULL, "the catalog holds a list of the model '%.40s' (this "
                       "ctlconv reads %s)", p->value, MODEL);
        r->ours = 1;
        return CTL_OK;
    }
    char *v = get_value(p->value, p->len);
    int ok = v != NULL;
    if (!strcmp(p->name, "title")) ok = ok && put(&m->title, v, strlen(v));
    else if (!strcmp(p->name, "annex")) ok = ok && put(&m->annex, v, strlen(v));
    else if (!strcmp(p->name, "ref-scheme")) ok = ok && put(&m->ref_scheme, v, strlen(v));
    else if (!strcmp(p->name, "column")) ok = strv_add(&m->columns, &m->n_columns, v), v = NULL;
    else if (!strcmp(p->name, "unplaced")) ok = strv_add(&m->unplaced, &m->n_unplaced, v), v = NULL;
    ctl_free(v);
    return ok ? CTL_OK : ctl_nomem(r->ctx);
}

static ctl_status read_meta(reader *r, const json_t *cat, ctl_meta *m)
{
    json_t *md, *title, *remarks, *props;
    ctl_status st;
    if ((st = member(r, cat, "metadata", JSON_OBJECT, "the catalog", NULL, &md)) != CTL_OK) return st;
    if (!md)
        return bad(r, CTL_D_BAD_FIELD, NULL, "the catalog has no metadata (OSCAL requires it; JSON of another "
                   "shape whose key is \"catalog\": read it as the format json)");
    if ((st = member(r, md, "title", JSON_STRING, "the metadata", NULL, &title)) != CTL_OK ||
        (st = member(r, md, "remarks", JSON_STRING, "the metadata", NULL, &remarks)) != CTL_OK ||
        (st = member(r, md, "props", JSON_ARRAY, "the metadata", NULL, &props)) != CTL_OK)
        return st;
    if (!title) return bad(r, CTL_D_BAD_FIELD, NULL, "the catalog's metadata has no title (OSCAL requires one)");
    if (!put(&m->title, json_string_value(title), json_string_length(title)) ||
        (remarks && !put(&m->note, json_string_value(remarks), json_string_length(remarks))))
        return ctl_nomem(r->ctx);
    for (size_t i = 0; i < json_array_size(props) && st == CTL_OK; i++) {
        oprop p = {0};
        if ((st = get_prop(r, json_array_get(props, i), "the metadata", NULL, &p)) == CTL_OK && is_ours(p.ns))
            st = our_meta_prop(r, &p, m);
    }
    return st;
}

/* The back-matter's resources by UUID: their titles, for links. */
static ctl_status resource_titles(reader *r, const json_t *cat)
{
    json_t *res = json_object_get(json_object_get(cat, "back-matter"), "resources");
    for (size_t i = 0; i < json_array_size(res); i++) {
        json_t *x = json_array_get(res, i), *u = json_object_get(x, "uuid"), *t = json_object_get(x, "title");
        if (json_is_string(u) && json_is_string(t) && json_object_set(r->titles, json_string_value(u), t))
            return ctl_nomem(r->ctx);
    }
    return CTL_OK;
}

/* The columns pass 1 found: each name as many times as one item holds it. */
static ctl_status columns_found(reader *r, ctl_meta *m)
{
    const char *name;
    json_t *n;
    json_object_foreach(r->columns, name, n) {
        for (json_int_t k = 0; k < json_integer_value(n); k++)
            if (!strv_add(&m->columns, &m->n_columns, ctl_strdup(name))) return ctl_nomem(r->ctx);
    }
    return CTL_OK;
}

/* What other OSCAL documents are, for the error that refuses them. */
static ctl_status not_a_catalog(reader *r, const json_t *doc)
{
    static const char *const roots[][2] = {
        {"profile", "an OSCAL profile: resolve it into a catalog first (oscal-cli profile resolve)"},
        {"component-definition", "an OSCAL component definition: ctlconv writes those, and reads catalogs"},
        {"system-security-plan", "an OSCAL system security plan"},
        {"assessment-plan", "an OSCAL assessment plan"},
        {"assessment-results", "OSCAL assessment results"},
        {"plan-of-action-and-milestones", "an OSCAL plan of action and milestones"},
        {"mapping-collection", "an OSCAL mapping collection"},
    };
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
        if (json_object_get(doc, roots[i][0]))
            return ctl_fail(r->ctx, CTL_D_NOT_A_LIST, r->file, 0, "not a control list ctlconv reads: %s, not a "
                            "catalog", roots[i][1]);
    return ctl_fail(r->ctx, CTL_D_NOT_A_LIST, r->file, 0, "not an OSCAL catalog: no \"catalog\" object at the top");
}

/* doc's catalog into *cat: an object with metadata and some groups or
 * controls. */
static ctl_status catalog_of(reader *r, const json_t *doc, json_t **cat, ctl_meta *m)
{
    json_t *controls, *groups;
    ctl_status st;
    *cat = json_is_object(doc) ? json_object_get(doc, "catalog") : NULL;
    if (!*cat)
        return json_is_object(doc) ? not_a_catalog(r, doc) : ctl_fail(r->ctx, CTL_D_NOT_A_LIST, r->file, 0, "not "
                                                                      "an OSCAL document: the JSON is no object");
    if (!json_is_object(*cat)) return bad(r, CTL_D_BAD_FIELD, NULL, "'catalog' must be an object");
    if ((st = read_meta(r, *cat, m)) != CTL_OK || (st = resource_titles(r, *cat)) != CTL_OK ||
        (st = member(r, *cat, "controls", JSON_ARRAY, "the catalog", NULL, &controls)) != CTL_OK ||
        (st = member(r, *cat, "groups", JSON_ARRAY, "the catalog", NULL, &groups)) != CTL_OK)
        return st;
    if (!json_array_size(controls) && !json_array_size(groups))
        return ctl_fail(r->ctx, CTL_D_NO_ROWS, r->file, 0, "no control rows: the catalog holds no groups or controls");
    return CTL_OK;
}

ctl_status ctl_oscal_read_tree(ctl_ctx *ctx, const json_t *doc, const char *name, const ctl_options *opts,
                               ctl_sink *sink)
{
    size_t growth = ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY);
    reader r = {ctx, name ? name : "-", sink, json_object(), json_object(), json_object(), json_object(),
                json_object(), 0, growth, growth, 0, 0};
    ctl_meta m;
    memset(&m, 0, sizeof m);
    json_t *cat = NULL;
    ctl_status st = CTL_OK;
    if (!r.titles || !r.columns || !r.params || !r.ids || !r.seen) st = ctl_nomem(ctx);
    if (st == CTL_OK) st = catalog_of(&r, doc, &cat, &m);
    if (st == CTL_OK && !r.ours) {
        /* pass 0: params and ids; pass 1: the columns */
        r.by_label = 1;
        if (!collect_params(&r, cat)) st = ctl_nomem(ctx);
        else if ((st = scan(&r, cat, 1)) == CTL_OK && (st = walk(&r, cat, 1, "", "the catalog")) == CTL_OK)
            st = columns_found(&r, &m);
    }
    ctl_meta filled = ctl_meta_filled(&m);
    r.emit = 1;
    if (st == CTL_OK) st = sink->begin(sink, ctx, &filled);
    if (st == CTL_OK) st = walk(&r, cat, 1, "", "the catalog");
    if (st == CTL_OK) st = sink->end(sink, ctx, &filled);
    ctl_meta_clear(&m);
    json_t *trees[] = {r.titles, r.columns, r.params, r.ids, r.seen};
    for (size_t i = 0; i < sizeof trees / sizeof *trees; i++) json_decref(trees[i]);
    return st;
}

/* ------------------------------------------------------------- writer */

typedef struct {
    ctl_sink sink;
    ctl_list *list;
    FILE *out;
    const char *out_name;
    const ctl_options *opts;
    ctl_oscal_kind kind;
    ctl_oscal_emit_fn emit;
} oscal_writer;

static ctl_status ow_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    ctl_list *l = ((oscal_writer *)self)->list;
    return l->sink.begin(&l->sink, ctx, meta);
}

static ctl_status ow_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    ctl_list *l = ((oscal_writer *)self)->list;
    return l->sink.item(&l->sink, ctx, it);
}

static ctl_status ow_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    oscal_writer *w = (oscal_writer *)self;
    ctl_status st = w->list->sink.end(&w->list->sink, ctx, meta);
    json_t *doc = NULL;
    if (st == CTL_OK) st = ctl_oscal_build(ctx, w->list, w->opts, w->kind, &doc);
    if (st == CTL_OK) st = w->emit(ctx, doc, w->out, w->out_name);
    json_decref(doc);
    return st;
}

static void ow_destroy(ctl_sink *self)
{
    ctl_list_free(((oscal_writer *)self)->list);
    ctl_free(self);
}

ctl_status ctl_oscal_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                            ctl_oscal_kind kind, ctl_oscal_emit_fn emit, ctl_sink **sink)
{
    oscal_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    if (!(w->list = ctl_list_new())) {
        ctl_free(w);
        return ctl_nomem(ctx);
    }
    w->sink = (ctl_sink){ow_begin, ow_item, ow_end, ow_destroy};
    w->out = out;
    w->out_name = out_name;
    w->opts = opts;
    w->kind = kind;
    w->emit = emit;
    *sink = &w->sink;
    return CTL_OK;
}
