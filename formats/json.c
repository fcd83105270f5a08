/* SPDX-License-Identifier: BSD-2-Clause */
/* JSON: one document, described by formats/ctlconv-2.schema.json (version
 * 1, formats/ctlconv.schema.json, is still read).  JSON of other shapes
 * (arrays and JSON Lines of records, outlines of nested objects) is read
 * too: see "records and outlines" below.
 *
 * The shape is flat: metadata, then "items" in document order, each with
 * its level.  Flat rather than nested sections -> subsections -> controls
 * because real lists are not always well-formed trees (the seed has
 * controls whose subsection is missing, references on sections, numbering
 * that jumps), because a flat array can be written item by item as the
 * reader delivers them, and because every GRC importer we feed wants rows;
 * the hierarchy is still explicit in "id" and "level".
 *
 * Reader on jansson, value by value: a lexical pass finds the top-level
 * members and the items, and jansson parses each on its own under a memory
 * budget (see "parser memory"), so the reader holds one item's tree, never
 * the document's; duplicate keys rejected, NUL in strings rejected, nesting limited by
 * jansson's fixed depth of 2048, errors with line and column; then checked
 * against the shape, key by key: valid JSON of another shape is "not a
 * control list".  JSON Lines (jsonl) is the streaming form: the metadata on
 * the first line, one item per line, and (only when there are any) the
 * unplaced references on a last line; it is read and written line by line. */
#include "../converters/services.h"
#include "json_doc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    size_t n_items;
    int lines;               /* JSON Lines */
    int failed;              /* the errno of the first failed write, 0 while none */
    int nomem;
    ctl_buf buf;             /* the part being written: one fwrite each */
} json_writer;

static void put_grow(json_writer *w, const char *s, size_t n)
{
    if (!ctl_buf_add(&w->buf, s, n)) w->nomem = 1;
}

/* Appends to the buffer, which goes out at the end of each part
 * (flush): stdio per small piece cost a fifth of a conversion. */
static inline void put(json_writer *w, const char *s, size_t n)
{
    if (w->buf.cap - w->buf.len > n) {
        memcpy(w->buf.data + w->buf.len, s, n);
        w->buf.len += n;
    } else {
        put_grow(w, s, n);
    }
}

#define PUT_LIT(w, lit) put((w), (lit), sizeof(lit) - 1)

static void puts_(json_writer *w, const char *s) { put(w, s, strlen(s)); }

static void flush(json_writer *w)
{
    if (!w->failed) w->failed = ctl_write_err(w->out, w->buf.data, w->buf.len);
    w->buf.len = 0;
}

/* The bytes a JSON string cannot hold as they are: control characters,
 * the quote and the backslash. */
static const unsigned char must_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
    [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x0E] = 1, [0x0F] = 1,
    [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
    [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1,
    ['"'] = 1, ['\\'] = 1,
};

/* The first byte of s[0..n) that must be escaped, or s + n: eight bytes
 * at a time while none is. */
static const char *next_escape(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
        /* a byte below 0x20, or one equal to '"' or '\\' (zero after xor) */
        if (((x - ones * 0x20) | (q - ones) | (b - ones)) & ~x & highs) break;
    }
    for (; i < n; i++)
        if (must_escape[(unsigned char)s[i]]) break;
    return s + i;
}

/* A JSON string: quotes, backslashes and control characters escaped, the
 * rest (valid UTF-8 from the model) as is. */
static void put_string(json_writer *w, const char *s)
{
    PUT_LIT(w, "\"");
    const char *run = s, *end = s + strlen(s);
    for (const char *p = next_escape(s, (size_t)(end - s));; p = next_escape(p + 1, (size_t)(end - p - 1))) {
        put(w, run, (size_t)(p - run));
        if (p == end) break;
        unsigned char c = (unsigned char)*p;
        char esc[8];
        switch (c) {
        case '"': PUT_LIT(w, "\\\""); break;
        case '\\': PUT_LIT(w, "\\\\"); break;
        case '\n': PUT_LIT(w, "\\n"); break;
        case '\r': PUT_LIT(w, "\\r"); break;
        case '\t': PUT_LIT(w, "\\t"); break;
        case '\b': PUT_LIT(w, "\\b"); break;
        case '\f': PUT_LIT(w, "\\f"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(w, esc);
        }
        run = p + 1;
    }
    PUT_LIT(w, "\"");
}

/* indent, the key (a literal that needs no escape) and ": " */
#define put_key(w, indent, key) PUT_LIT((w), indent "\"" key "\": ")

/* One {"k1": "v1", "k2": "v2"} object of an array (", " before all but
 * the first); k1, k2: literals. */
#define put_pair(w, first, k1, v1, k2, v2) \
    do { \
        if (first) PUT_LIT((w), "{\"" k1 "\": "); \
        else PUT_LIT((w), ", {\"" k1 "\": "); \
        put_string((w), ctl_str(v1)); \
        put_key((w), ", ", k2); \
        put_string((w), ctl_str(v2)); \
        PUT_LIT((w), "}"); \
    } while (0)

static void put_strv(json_writer *w, char *const *v, size_t n)
{
    puts_(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) puts_(w, ", ");
        put_string(w, ctl_str(v[i]));
    }
    puts_(w, "]");
}

/* Sends what the buffer holds; the status of the writes so far. */
static ctl_status check(json_writer *w, ctl_ctx *ctx)
{
    if (w->nomem) return ctl_nomem(ctx);
    flush(w);
    return w->failed ? ctl_write_failed(ctx, w->name, w->failed) : CTL_OK;
}

/* The decimal digits of v. */
static void put_int(json_writer *w, int v)
{
    char d[16], *p = d + sizeof d;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) *--p = '-';
    put(w, p, (size_t)(d + sizeof d - p));
}

static ctl_status jw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    json_writer *w = (json_writer *)self;
    /* pretty: one key a line; JSON Lines: the whole object on one line */
    const char *open = w->lines ? "{" : "{\n  ", *sep = w->lines ? ", " : ",\n  ";
    puts_(w, open);
    put_key(w, "", "format");
    puts_(w, "\"ctlconv-list\"");
    puts_(w, sep);
    put_key(w, "", "version");
    puts_(w, "2");
    puts_(w, sep);
    put_key(w, "", "title");
    put_string(w, ctl_str(meta->title));
    puts_(w, sep);
    put_key(w, "", "note");
    put_string(w, ctl_str(meta->note));
    puts_(w, sep);
    put_key(w, "", "annex");
    put_string(w, ctl_str(meta->annex));
    puts_(w, sep);
    put_key(w, "", "ref_scheme");
    put_string(w, ctl_str(meta->ref_scheme));
    puts_(w, sep);
    put_key(w, "", "columns");
    put_strv(w, meta->columns, meta->n_columns);
    if (w->lines) {
        puts_(w, "}\n");
    } else {
        puts_(w, sep);
        put_key(w, "", "items");
        puts_(w, "[");
    }
    return check(w, ctx);
}

static ctl_status jw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    json_writer *w = (json_writer *)self;
    if (w->lines) puts_(w, "{");
    else puts_(w, w->n_items ? ",\n    {" : "\n    {");
    w->n_items++;
    put_key(w, "", "id");
    put_string(w, ctl_str(it->id));
    put_key(w, ", ", "label");
    put_string(w, ctl_str(it->label));
    put_key(w, ", ", "level");
    put_int(w, it->level);
    put_key(w, ", ", "parent");
    put_string(w, ctl_str(it->parent));
    put_key(w, ", ", "refs");
    puts_(w, "[");
    for (size_t i = 0; i < it->n_refs; i++)
        put_pair(w, i == 0, "scheme", it->refs[i].scheme, "id", it->refs[i].id);
    puts_(w, "]");
    put_key(w, ", ", "title");
    put_string(w, ctl_str(it->title));
    put_key(w, ", ", "description");
    put_string(w, ctl_str(it->description));
    put_key(w, ", ", "category");
    if (!*ctl_category_word(it)) puts_(w, "null");
    else put_string(w, ctl_category_word(it));
    put_key(w, ", ", "category_value");
    if (it->category == CTL_CATEGORY_NONE) puts_(w, "null");
    else put_string(w, ctl_category_en(it->category));
    put_key(w, ", ", "answer");
    put_string(w, ctl_str(it->answer));
    if (it->n_extra) {
        put_key(w, ", ", "extra");
        puts_(w, "[");
        for (size_t i = 0; i < it->n_extra; i++)
            put_pair(w, i == 0, "name", it->extra[i].name, "value", it->extra[i].value);
        puts_(w, "]");
    }
    puts_(w, w->lines ? "}\n" : "}");
    return check(w, ctx);
}

static ctl_status jw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    json_writer *w = (json_writer *)self;
    if (w->lines) {
        if (meta->n_unplaced) {
            puts_(w, "{");
            put_key(w, "", "unplaced_isms");
            put_strv(w, meta->unplaced, meta->n_unplaced);
            puts_(w, "}\n");
        }
        return check(w, ctx);
    }
    puts_(w, w->n_items ? "\n  ],\n" : "],\n");
    put_key(w, "  ", "unplaced_isms");
    put_strv(w, meta->unplaced, meta->n_unplaced);
    puts_(w, "\n}\n");
    return check(w, ctx);
}

static void jw_destroy(ctl_sink *self)
{
    ctl_buf_free(&((json_writer *)self)->buf);
    ctl_free(self);
}

static ctl_status new_writer(ctl_ctx *ctx, FILE *out, const char *out_name, ctl_sink **sink, int lines)
{
    json_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    w->sink.begin = jw_begin;
    w->sink.item = jw_item;
    w->sink.end = jw_end;
    w->sink.destroy = jw_destroy;
    w->out = out;
    w->name = out_name;
    w->lines = lines;
    *sink = &w->sink;
    return CTL_OK;
}

static ctl_status json_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                  const ctl_options *opts, ctl_sink **sink)
{
    (void)opts;
    return new_writer(ctx, out, out_name, sink, 0);
}

static ctl_status jsonl_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                   const ctl_options *opts, ctl_sink **sink)
{
    (void)opts;
    return new_writer(ctx, out, out_name, sink, 1);
}

/* -------------------------------------------------------------- reader */

/* Where a shape error points: the JSON Lines line, or the item. */
typedef struct {
    ctl_ctx *ctx;
    const char *file;
    long line;              /* JSON Lines: the line; JSON: 0 */
    const char *item;       /* the item's canonical id, once known; else NULL */
} where;

static ctl_status shape(const where *w, ctl_diag code, const char *fmt, const char *a, const char *b)
{
    return ctl_fail_item(w->ctx, code, w->file, w->line, w->item, fmt, a, b);
}

static int one_of(const char *key, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (!strcmp(key, allowed[i])) return 1;
    return 0;
}

/* Copies a string member (absent: ""); an error if it is not a string. */
static ctl_status get_string(const where *w, json_t *obj, const char *key, const char *ctx_name,
                             char **dst)
{
    json_t *v = json_object_get(obj, key);
    if (!v) return CTL_OK;
    if (!json_is_string(v)) return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be a string", ctx_name, key);
    char *d = ctl_strndup(json_string_value(v), json_string_length(v));
    if (!d) return ctl_nomem(w->ctx);
    ctl_free(*dst);
    *dst = d;
    return CTL_OK;
}

static ctl_status get_refs(const where *w, json_t *arr, const char *ctx_name, char ***refs, size_t *n)
{
    if (!json_is_array(arr)) return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be an array of references", ctx_name, "isms");
    size_t count = json_array_size(arr);
    if (!count) return CTL_OK;
    char **v = ctl_malloc(count * sizeof *v);
    if (!v) return ctl_nomem(w->ctx);
    for (size_t i = 0; i < count; i++) {
        json_t *e = json_array_get(arr, i);
        int ok = json_is_string(e) ? ctl_parse_isms_one(json_string_value(e), json_string_length(e), &v[i]) : 0;
        if (ok <= 0) {
            for (size_t j = 0; j < i; j++) ctl_free(v[j]);
            ctl_free(v);
            if (ok < 0) return ctl_nomem(w->ctx);
            return shape(w, CTL_D_BAD_FIELD, "%s: '%s' is not an ISMS reference such as A.5.1.1", ctx_name,
                         json_is_string(e) ? json_string_value(e) : "(not a string)");
        }
    }
    *refs = v;
    *n = count;
    return CTL_OK;
}

/* Version 2 references: [{"scheme": "...", "id": "..."}], appended. */
static ctl_status get_refs2(const where *w, json_t *arr, const char *ctx_name, ctl_item *it)
{
    if (!json_is_array(arr)) return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be an array of references", ctx_name, "refs");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i), *sch = json_object_get(e, "scheme"), *id = json_object_get(e, "id");
        if (!json_is_object(e) || json_object_size(e) != 2 || !json_is_string(sch) || !json_is_string(id) ||
            !json_string_length(id))
            return shape(w, CTL_D_BAD_FIELD, "%s: '%s' entries must be {\"scheme\": string, \"id\": non-empty string}",
                         ctx_name, "refs");
        const char *sv = json_string_value(sch);
        size_t sl = json_string_length(sch);
        for (size_t k = 0; k < sl; k++)
            if (!((sv[k] >= 'a' && sv[k] <= 'z') || (sv[k] >= '0' && sv[k] <= '9') || (k && sv[k] == '-')))
                return shape(w, CTL_D_BAD_FIELD, "%s: reference scheme '%s' is not lower-case letters, digits and '-'",
                             ctx_name, sv);
        if (!ctl_item_add_ref(it, sv, json_string_value(id), json_string_length(id))) return ctl_nomem(w->ctx);
    }
    return CTL_OK;
}

static ctl_status item_from_json(const where *outer, json_t *obj, size_t index, ctl_item *it)
{
    where at = *outer;
    const where *w = &at;
    static const char *const keys[] = {"id", "label", "level", "parent", "isms", "refs", "title",
                                       "description", "category", "category_value", "answer",
                                       "extra", NULL};
    char name[96];
    snprintf(name, sizeof name, "item %zu", index + 1);
    if (!json_is_object(obj)) return shape(w, CTL_D_BAD_FIELD, "%s: %s must be an object", name, "an item");
    json_t *id = json_object_get(obj, "id");
    if (!json_is_string(id)) return shape(w, CTL_D_BAD_FIELD, "%s: '%s' (the item's code) is missing or not a string", name, "id");
    char canon[CTL_ID_MAX] = "";
    const char *ids = json_string_value(id);
    if (json_string_length(id) && !ctl_parse_id(ids, json_string_length(id), canon))
        return shape(w, CTL_D_BAD_FIELD, "%s: '%s' is no identifier such as II.1.1.1, AC-2(1) or 2.1.1(1)-1", name, ids);
    snprintf(name, sizeof name, "item %zu (%s)", index + 1, canon);
    at.item = canon;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
        if (!one_of(key, keys)) return shape(w, CTL_D_BAD_STRUCTURE, "%s: unknown key '%s'", name, key);
    if (!(it->id = ctl_strdup(canon))) return ctl_nomem(w->ctx);
    json_t *level = json_object_get(obj, "level");
    if (level && (!json_is_integer(level) || json_integer_value(level) < 1 || json_integer_value(level) > 64))
        return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be a whole number from 1 to 64", name, "level");
    if (level) it->level = (int)json_integer_value(level);
    ctl_status st;
    json_t *parent = json_object_get(obj, "parent");
    if (parent) {
        char pc[CTL_ID_MAX] = "";
        if (!json_is_string(parent) ||
            (json_string_length(parent) && !ctl_parse_id(json_string_value(parent), json_string_length(parent), pc)))
            return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be the id of another item or \"\"", name, "parent");
        if (!(it->parent = ctl_strdup(pc))) return ctl_nomem(w->ctx);
    }
    if ((st = get_string(w, obj, "label", name, &it->label)) != CTL_OK ||
        (st = get_string(w, obj, "title", name, &it->title)) != CTL_OK ||
        (st = get_string(w, obj, "description", name, &it->description)) != CTL_OK ||
        (st = get_string(w, obj, "answer", name, &it->answer)) != CTL_OK)
        return st;
    ctl_number num;
    if ((!it->label || !*it->label) && *canon && ctl_parse_number_exact(canon, strlen(canon), &num)) {
        char label[96];
        ctl_number_label(num.id, num.level, label, sizeof label);
        ctl_free(it->label);
        if (!(it->label = ctl_strdup(label))) return ctl_nomem(w->ctx);
    }
    json_t *isms = json_object_get(obj, "isms");
    if (isms) {
        char **v1 = NULL;
        size_t n1 = 0;
        if ((st = get_refs(w, isms, name, &v1, &n1)) != CTL_OK) return st;
        for (size_t i = 0; i < n1 && st == CTL_OK; i++)
            if (!ctl_item_add_ref(it, "iso27001-2013", v1[i], strlen(v1[i]))) st = ctl_nomem(w->ctx);
        for (size_t i = 0; i < n1; i++) ctl_free(v1[i]);
        ctl_free(v1);
        if (st != CTL_OK) return st;
    }
    json_t *refs = json_object_get(obj, "refs");
    if (refs && (st = get_refs2(w, refs, name, it)) != CTL_OK) return st;
    json_t *cat = json_object_get(obj, "category"), *cv = json_object_get(obj, "category_value");
    if (cat && !json_is_null(cat)) {
        if (!json_is_string(cat))
            return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be a string or null", name, "category");
        if ((st = get_string(w, obj, "category", name, &it->category_text)) != CTL_OK) return st;
        if (!ctl_parse_category(json_string_value(cat), json_string_length(cat), &it->category))
            it->category = CTL_CATEGORY_NONE;
        /* version 1 (no "category_value"): "basic"/"recommended" named the
         * value, not the source's word */
        if (!cv && it->category != CTL_CATEGORY_NONE && !strcmp(it->category_text, ctl_category_en(it->category)))
            it->category_text[0] = '\0';
    }
    if (cv && !json_is_null(cv)) {
        ctl_category c = CTL_CATEGORY_NONE;
        if (!json_is_string(cv) || !ctl_parse_category(json_string_value(cv), json_string_length(cv), &c) ||
            strcmp(json_string_value(cv), ctl_category_en(c)))
            return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be \"basic\", \"recommended\", \"mandatory\" or null",
                         name, "category_value");
        it->category = c;
    }
    json_t *extra = json_object_get(obj, "extra");
    if (extra) {
        if (!json_is_array(extra)) return shape(w, CTL_D_BAD_FIELD, "%s: '%s' must be an array", name, "extra");
        for (size_t i = 0; i < json_array_size(extra); i++) {
            json_t *e = json_array_get(extra, i), *n = json_object_get(e, "name"), *v = json_object_get(e, "value");
            if (!json_is_object(e) || json_object_size(e) != 2 || !json_is_string(n) || !json_is_string(v))
                return shape(w, CTL_D_BAD_FIELD, "%s: '%s' entries must be {\"name\": string, \"value\": string}", name, "extra");
            if (!ctl_item_add_extra(it, json_string_value(n), json_string_value(v), json_string_length(v)))
                return ctl_nomem(w->ctx);
        }
    }
    ctl_item_fill_empty(it);
    return CTL_OK;
}

/* The document's metadata (from the top object, or the first JSON Lines
 * line).  items_key: whether "items" may appear. */
static ctl_status meta_from_json(const where *w, json_t *obj, ctl_meta *m, int items_key)
{
    static const char *const keys[] = {"format", "version", "title", "note", "annex", "ref_scheme",
                                       "columns", "unplaced_isms", "items", NULL};
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        if (!one_of(key, keys) || (!items_key && !strcmp(key, "items")))
            return shape(w, CTL_D_NOT_A_LIST, "not a control list: unknown key '%s' at the top%s", key, "");
        if (!items_key && !strcmp(key, "unplaced_isms"))
            return shape(w, CTL_D_BAD_STRUCTURE, "JSON Lines: '%s' belongs on the last line, not with the metadata%s", key, "");
    }
    json_t *format = json_object_get(obj, "format"), *version = json_object_get(obj, "version");
    if (format && (!json_is_string(format) || strcmp(json_string_value(format), "ctlconv-list")))
        return shape(w, CTL_D_NOT_A_LIST, "not a control list: \"format\" is not \"ctlconv-list\"%s%s", "", "");
    if (version && (!json_is_integer(version) || json_integer_value(version) < 1 || json_integer_value(version) > 2))
        return shape(w, CTL_D_UNSUPPORTED_VERSION, "unsupported version of the control-list format (this ctlconv reads versions 1 and 2)%s%s", "", "");
    ctl_status st;
    if ((st = get_string(w, obj, "title", "the document", &m->title)) != CTL_OK ||
        (st = get_string(w, obj, "note", "the document", &m->note)) != CTL_OK ||
        (st = get_string(w, obj, "annex", "the document", &m->annex)) != CTL_OK ||
        (st = get_string(w, obj, "ref_scheme", "the document", &m->ref_scheme)) != CTL_OK)
        return st;
    /* version 1 had ISO/IEC 27001:2013 references only */
    if (items_key && !json_object_get(obj, "ref_scheme") && !m->ref_scheme &&
        !(m->ref_scheme = ctl_strdup("iso27001-2013")))
        return ctl_nomem(w->ctx);
    json_t *cols = json_object_get(obj, "columns");
    if (cols) {
        if (!json_is_array(cols)) return shape(w, CTL_D_BAD_FIELD, "the document: '%s' must be an array of strings%s", "columns", "");
        size_t n = json_array_size(cols);
        if (n && !(m->columns = ctl_malloc(n * sizeof *m->columns))) return ctl_nomem(w->ctx);
        for (size_t i = 0; i < n; i++) {
            json_t *c = json_array_get(cols, i);
            if (!json_is_string(c)) return shape(w, CTL_D_BAD_FIELD, "the document: '%s' must be an array of strings%s", "columns", "");
            if (!(m->columns[i] = ctl_strdup(json_string_value(c)))) return ctl_nomem(w->ctx);
            m->n_columns = i + 1;
        }
    }
    json_t *un = json_object_get(obj, "unplaced_isms");
    if (un && (st = get_refs(w, un, "the document", &m->unplaced, &m->n_unplaced)) != CTL_OK) return st;
    return CTL_OK;
}

/* ------------------------------------------------------ parser memory */

/* jansson builds a tree of up to ~80 times the bytes it parses (an empty
 * object costs it about 250 bytes).  So no value is handed to it whose tree
 * would exceed a budget: json-memory + 3 x the bytes parsed (reading a
 * string takes up to 3 x its size).  The tree is predicted from the bytes,
 * lexically, with what jansson 2.14 allocates for each node on 64 bits as
 * malloc chunks (usable size + 8; measured by tests/bench/jansson_costs.c,
 * each figure at or above the measure), so no allocation function of the
 * process is touched. */
enum {
    COST_OBJECT = 224,      /* the object (80) and its first 8 buckets (144) */
    COST_ARRAY = 128,       /* the array (48) and its first 8 slots (80) */
    COST_STRING = 48,       /* a string, besides its bytes */
    COST_NUMBER = 32,       /* an integer or a real (true, false, null: none) */
    COST_SLOT = 25,         /* a value's slot in an array, with the old table while it
                               grows (24), and the pages of a large table */
    COST_BUCKETS = 48,      /* a member's share of the buckets, with the old ones while they grow */
    COST_PAIR = 56          /* a member, besides its key's bytes */
};

static int is_ws(char c);
static int is_punct(char c);
static const char *skip_ws(const char *p, const char *end);
static const char *closing_quote(const char *p, const char *end);
static const char *word_end(const char *p, const char *end);

/* The malloc chunk that holds n bytes (from 128 KiB, whole pages). */
static uint64_t chunk(uint64_t n)
{
    if (n >= ((uint64_t)128 << 10)) return (n + 16 + 4095) & ~(uint64_t)4095;
    n = (n + 8 + 15) & ~(uint64_t)15;
    return n < 32 ? 32 : n;
}

/* What jansson holds at most while it parses the n bytes at s.  Each token
 * is counted as jansson would build it; where the bytes are not valid JSON,
 * jansson stops at the first error, having built less.  A key's string
 * lives while its value is parsed; the lexer's buffer is the longest token
 * rounded up to a power of 2 (and its previous size while it grows). */
static uint64_t tree_cost(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    uint64_t cost = 0;
    size_t depth = 0, longest = 0, word = 0;
    while (p < end) {
        const char *t = p;
        char c = *p;
        if (is_ws(c) || c == ',' || c == ':' || c == '}' || c == ']') {
            if ((c == '}' || c == ']') && depth) depth--;
            p++;
            continue;
        }
        if (c == '{' || c == '[') {
            if (++depth > JSON_PARSER_MAX_DEPTH) break;     /* jansson stops there */
            cost += (c == '{' ? COST_OBJECT : COST_ARRAY) + COST_SLOT;
            p++;
            continue;
        }
        if (c == '"') {
            p = closing_quote(p, end);
            p = p < end ? p + 1 : end;
            const char *q = skip_ws(p, end);
            size_t len = (size_t)(p - t);
            cost += chunk(len + 1) + (q < end && *q == ':' ? chunk(COST_PAIR + len) + COST_BUCKETS
                                                             : COST_STRING + COST_SLOT);
        } else {
            p = word_end(p, end);
            if ((size_t)(p - t) > word) word = (size_t)(p - t);
            cost += (c == '-' || (c >= '0' && c <= '9') ? COST_NUMBER : 0) + COST_SLOT;
        }
        if ((size_t)(p - t) > longest) longest = (size_t)(p - t);
    }
    uint64_t buffer = 16;
    while (buffer < (uint64_t)longest + 2) buffer *= 2;
    return cost + chunk(buffer) + chunk(word + 1);
}

/* json_loadb if the tree fits floor + 3 x n bytes; else NULL and *over. */
static json_t *load(const char *s, size_t n, size_t floor, json_error_t *err, int *over)
{
    uint64_t budget = (uint64_t)floor + 3 * (uint64_t)n;
    *over = budget >= floor && tree_cost(s, n) > budget;    /* (a floor near 2^64: no bound) */
    if (*over) return NULL;
    return json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, err);
}

/* ---------------------------------------------------- parsing, errors */

/* What parses a document: where errors go, and the document itself, from
 * which a value's line and column are counted. */
typedef struct {
    ctl_ctx *ctx;
    const char *file;
    const char *doc;
    long line_base;         /* JSON Lines: the lines before this one */
    size_t floor;           /* --limit json-memory */
} parser;

/* The line and column of s in the document, counted as jansson counts
 * them: lines end at LF, columns count characters from 1. */
static void place(const parser *ps, const char *s, long *line, int *col)
{
    long l = 1;
    int c = 0;
    for (const char *p = ps->doc; p < s; p++) {
        if (*p == '\n') { l++; c = 0; }
        else if (((unsigned char)*p & 0xC0) != 0x80) c++;
    }
    *line = ps->line_base + l;
    *col = c;
}

static ctl_status syntax_error(const parser *ps, const char *s, const json_error_t *e)
{
    if (json_error_code(e) == json_error_out_of_memory) return ctl_nomem(ps->ctx);
    long line;
    int col;
    place(ps, s, &line, &col);
    /* jansson counts from the start of the value it was given */
    line += e->line > 0 ? e->line - 1 : 0;
    col = e->line > 1 ? e->column : col + e->column;
    /* jansson's nesting limit (2048) is fixed when it is built: say so */
    int depth = json_error_code(e) == json_error_stack_overflow;
    return ctl_fail(ps->ctx, depth ? CTL_D_FIXED_LIMIT : CTL_D_MALFORMED_JSON, ps->file, line, "JSON: %s (column %d)%s",
                    e->text, col, depth ? "; jansson's limit of 2048 levels cannot be raised" : "");
}

/* Parses the n bytes at s (one value); NULL with the error recorded. */
static json_t *parse(const parser *ps, const char *s, size_t n)
{
    json_error_t err;
    int over;
    json_t *v = load(s, n, ps->floor, &err, &over);
    if (v) return v;
    if (!over) {
        syntax_error(ps, s, &err);
        return NULL;
    }
    long line;
    int col;
    place(ps, s, &line, &col);
    ctl_limit_fail(ps->ctx, ps->file, line, CTL_LIMIT_JSON_MEMORY, "JSON: parsing the value of %zu bytes "
                   "that starts here (column %d) takes more than %zu + 3 x %zu bytes of memory",
                   n, col + 1, ps->floor, n);
    return NULL;
}

static const char *skip_bom(const char *s, size_t *len)
{
    if (*len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { *len -= 3; return s + 3; }
    return s;
}

json_t *ctl_json_document(ctl_ctx *ctx, const char *file, const unsigned char *data, size_t len,
                          const ctl_options *opts)
{
    const char *s = skip_bom((const char *)data, &len);
    parser ps = {ctx, file, s, 0, ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY)};
    return parse(&ps, s, len);
}

static ctl_status emit(ctl_sink *sink, ctl_ctx *ctx, const ctl_meta *m, int end)
{
    ctl_meta v = ctl_meta_filled(m);
    return end ? sink->end(sink, ctx, &v) : sink->begin(sink, ctx, &v);
}

/* The whole document as one jansson tree: for what the streaming reader
 * below does not take (another top-level shape, a misplaced separator),
 * where the answer is an error and jansson words it. */
static ctl_status read_whole(const parser *ps, const char *data, size_t len, ctl_sink *sink)
{
    ctl_ctx *ctx = ps->ctx;
    json_t *root = parse(ps, data, len);
    if (!root) return ctl_error_status(ctx);
    where w = {ctx, ps->file, 0, NULL};
    ctl_meta m;
    memset(&m, 0, sizeof m);
    ctl_status st = CTL_OK;
    json_t *items = json_is_object(root) ? json_object_get(root, "items") : NULL;
    if (!json_is_array(items)) {
        st = ctl_fail(ctx, CTL_D_NOT_A_LIST, ps->file, 0, "not a control list: valid JSON, but not an object "
                      "with an \"items\" array (see formats/ctlconv.schema.json)");
        goto out;
    }
    if ((st = meta_from_json(&w, root, &m, 1)) != CTL_OK) goto out;
    if (!json_array_size(items)) {
        st = ctl_fail(ctx, CTL_D_NO_ROWS, ps->file, 0, "no control rows: \"items\" is empty");
        goto out;
    }
    if ((st = emit(sink, ctx, &m, 0)) != CTL_OK) goto out;
    for (size_t i = 0; i < json_array_size(items) && st == CTL_OK; i++) {
        ctl_item it;
        ctl_item_init(&it);
        st = item_from_json(&w, json_array_get(items, i), i, &it);
        if (st == CTL_OK) st = sink->item(sink, ctx, &it);
        ctl_item_clear(&it);
    }
    if (st == CTL_OK) st = emit(sink, ctx, &m, 1);
out:
    ctl_meta_clear(&m);
    json_decref(root);
    return st;
}

/* ------------------------------------------- the document, value by value
 *
 * A lexical pass finds the top-level members and the elements of "items"
 * (strings and nesting only); jansson then parses each value on its own,
 * which checks everything else.  So the reader holds the document and one
 * item's tree, never the whole tree. */

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* JSON's structural characters and the quote (not NUL, which strchr would
 * find as the terminator of the set). */
static int is_punct(char c) { return c && strchr(",:[]{}\"", c); }

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p)) p++;
    return p;
}

/* The closing quote of the string that opens at p; end when it has none. */
static const char *closing_quote(const char *p, const char *end)
{
    for (p++; p < end && *p != '"'; p++)
        if (*p == '\\' && ++p >= end) return end;
    return p;
}

/* The end of the literal, number or stray bytes that start at p. */
static const char *word_end(const char *p, const char *end)
{
    do p++;
    while (p < end && !is_ws(*p) && !is_punct(*p));
    return p;
}

/* The end of the value at p, found lexically; NULL when there is none. */
static const char *skip_value(const char *p, const char *end)
{
    size_t depth = 0;
    do {
        if (p >= end) return NULL;
        char c = *p;
        if (c == '"') {
            p = closing_quote(p, end);
            if (p >= end) return NULL;
            p++;
        } else if (c == '{' || c == '[') {
            depth++;
            p++;
        } else if (c == '}' || c == ']' || c == ',' || c == ':' || is_ws(c)) {
            if (!depth) return NULL;
            if (c == '}' || c == ']') depth--;
            p++;
        } else {
            /* a literal or number, or a stray byte (a NUL too): jansson judges it */
            p = word_end(p, end);
        }
    } while (depth);
    return p;
}

typedef struct {
    const char *key, *val;
    size_t key_len, val_len;
} member;

/* At most one member for each key the format has, and one more (which is
 * then either a duplicate or unknown). */
enum { MAX_MEMBERS = 10 };

/* The members of the top-level object; 0 when the document is not an
 * object with separators in their places (or has too many members). */
static int top_members(const char *p, const char *end, member *m, size_t *n)
{
    *n = 0;
    p = skip_ws(p, end);
    if (p >= end || *p != '{') return 0;
    p = skip_ws(p + 1, end);
    for (;;) {
        if (*n == MAX_MEMBERS || p >= end || *p != '"') return 0;
        const char *k = p, *ke = skip_value(p, end);
        if (!ke) return 0;
        p = skip_ws(ke, end);
        if (p >= end || *p != ':') return 0;
        const char *v = skip_ws(p + 1, end), *ve = skip_value(v, end);
        if (!ve) return 0;
        m[(*n)++] = (member){k, v, (size_t)(ke - k), (size_t)(ve - v)};
        p = skip_ws(ve, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        return p < end && *p == '}' && skip_ws(p + 1, end) == end;
    }
}

/* Calls fn for each element of the array [a, end); fn returns 0 to stop.
 * Returns -1 when a separator is out of place, else 0 (stopped) or 1. */
typedef int (*element_fn)(void *user, const char *s, size_t n);

static int each_element(const char *a, const char *end, element_fn fn, void *user)
{
    const char *p = skip_ws(a + 1, end);
    if (p < end && *p == ']') return p + 1 == end ? 1 : -1;
    for (;;) {
        const char *e = skip_value(p, end);
        if (!e) return -1;
        if (fn && !fn(user, p, (size_t)(e - p))) return 0;
        p = skip_ws(e, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        return p < end && *p == ']' && p + 1 == end ? 1 : -1;
    }
}

static int count_one(void *user, const char *s, size_t n)
{
    (void)s;
    (void)n;
    ++*(size_t *)user;
    return 1;
}

typedef struct {
    const parser *ps;
    ctl_sink *sink;
    size_t index;
    ctl_status st;
} item_pass;

static int one_item(void *user, const char *s, size_t n)
{
    item_pass *ip = user;
    json_t *obj = parse(ip->ps, s, n);
    if (!obj) {
        ip->st = ctl_error_status(ip->ps->ctx);
        return 0;
    }
    where w = {ip->ps->ctx, ip->ps->file, 0, NULL};
    ctl_item it;
    ctl_item_init(&it);
    ip->st = item_from_json(&w, obj, ip->index++, &it);
    json_decref(obj);
    if (ip->st == CTL_OK) ip->st = ip->sink->item(ip->sink, ip->ps->ctx, &it);
    ctl_item_clear(&it);
    return ip->st == CTL_OK;
}

/* One top-level member other than "items" into the metadata. */
static ctl_status meta_member(const parser *ps, const char *key, const member *mb, ctl_meta *m)
{
    json_t *v = parse(ps, mb->val, mb->val_len), *obj = v ? json_object() : NULL;
    if (!v) return ctl_error_status(ps->ctx);
    if (!obj || json_object_set_new(obj, key, v)) {
        json_decref(obj);
        return ctl_nomem(ps->ctx);
    }
    where w = {ps->ctx, ps->file, 0, NULL};
    ctl_status st = meta_from_json(&w, obj, m, 1);
    json_decref(obj);
    return st;
}

/* The streaming reader; *whole set when the document is for read_whole. */
static ctl_status read_streamed(const parser *ps, const member *mb, size_t n, ctl_sink *sink, int *whole)
{
    static const char *const keys[] = {"format", "version", "title", "note", "annex", "ref_scheme",
                                       "columns", "unplaced_isms", "items", NULL};
    ctl_ctx *ctx = ps->ctx;
    const member *items = NULL;
    char *seen[MAX_MEMBERS] = {0};
    ctl_meta m;
    memset(&m, 0, sizeof m);
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < n && st == CTL_OK; i++) {
        json_t *k = parse(ps, mb[i].key, mb[i].key_len);
        if (!k) { st = ctl_error_status(ctx); break; }
        const char *key = json_string_value(k);
        long line;
        int col;
        place(ps, mb[i].key, &line, &col);
        if (!one_of(key, keys)) {
            st = ctl_fail(ctx, CTL_D_NOT_A_LIST, ps->file, line, "not a control list: unknown key '%s' at the top", key);
        } else {
            for (size_t j = 0; j < i; j++)
                if (!strcmp(seen[j], key))
                    st = ctl_fail(ctx, CTL_D_MALFORMED_JSON, ps->file, line, "JSON: duplicate object key near '\"%s\"' "
                                  "(column %d)", key, col + 1);
            if (st == CTL_OK && !(seen[i] = ctl_strdup(key))) st = ctl_nomem(ctx);
        }
        if (st == CTL_OK && !strcmp(key, "items")) items = &mb[i];
        else if (st == CTL_OK) st = meta_member(ps, key, &mb[i], &m);
        json_decref(k);
    }
    size_t count = 0;
    if (st == CTL_OK && (!items || items->val[0] != '[' ||
                         each_element(items->val, items->val + items->val_len, count_one, &count) < 0))
        *whole = 1;
    else if (st == CTL_OK && !count)
        st = ctl_fail(ctx, CTL_D_NO_ROWS, ps->file, 0, "no control rows: \"items\" is empty");
    else if (st == CTL_OK && (st = emit(sink, ctx, &m, 0)) == CTL_OK) {
        item_pass ip = {ps, sink, 0, CTL_OK};
        each_element(items->val, items->val + items->val_len, one_item, &ip);
        if ((st = ip.st) == CTL_OK) st = emit(sink, ctx, &m, 1);
    }
    for (size_t i = 0; i < n; i++) ctl_free(seen[i]);
    ctl_meta_clear(&m);
    return st;
}

/* ------------------------------------------------ records and outlines
 *
 * JSON of other producers: a top-level array of objects (records, such as
 * a spreadsheet exported row by row), JSON Lines of objects, or an
 * outline: objects holding arrays of child objects at any depth
 * (統一基準: parts -> sections -> subsections -> items).
 *
 * Records (when no object nests others) are rows of a table, read by
 * converters/table.c as a CSV of the same data is: see "records" below.
 * What follows is of outlines, and of both where it says so.
 *
 * Keys name fields by the header words of tables (ctl_header_role_opts:
 * column mappings name the others).  An array under a key that names no
 * field holds children, whatever its key, when its first element is an
 * object that names its id or title before any nested value; every
 * element must then be an object.  Every other member is a field: a
 * string, a number, true or false as written, null as empty; references
 * may also be an array of strings or of {"scheme", "id"} objects; a key
 * that names no field is an extra field, in the order of the object, and
 * an array or object there is kept as its JSON text (white space outside
 * strings removed); an empty array is nothing.  An array or object under
 * any other field is an error.  An object with members besides its
 * children is an item; one with children only is a mere container.  Some
 * object of an outline must have an id key.
 *
 * An id that is no identifier but a code (ctl_is_code(): "2.1.1(1)-1 a)",
 * "core") is kept as the label, and the item gets a generated id
 * (converters/hierarchy.c), as in a table; other text under an id key is
 * a bad row.
 *
 * Hierarchy: a level or parent key is taken as given.  Else, when some
 * object nests others, an object's parent is the nearest sibling above it
 * in its array whose id contains its id (2.1.1(1) holds 2.1.1(1)-1: the
 * ids refine the outline), else the object holding the array; an object
 * without an id goes under the nearest numbered sibling above it, else
 * under the holder.
 *
 * Two passes, each reading every byte about once.  The first, lexical,
 * checks the structure, collects the keys (the columns, in order of first
 * appearance; at most the columns limit), counts the objects (at most the
 * items limit) and notes where each list of children starts and ends; the
 * second parses each value on its own with jansson, under the json-memory
 * budget, and hands over the items in document order, parents first,
 * stepping over the lists of children it comes back to (records: hands
 * each object to the table as a row).  Memory: the document, its distinct
 * keys, two offsets per list of children, one item, and for each level of
 * nesting (at most 64) a chain of siblings' ids, each longer than the one
 * before: never the tree.  Records: a cell and an offset per column, one
 * object's text, and the table's first CTL_TABLE_DECIDE_ROWS rows (each
 * as wide as the last key it has). */

enum { OUTLINE_DEPTH = 64 };

typedef struct {
    char *name;
    ctl_role role;
    const char *scheme;     /* a references key: its scheme */
    size_t stamp;           /* the last object that had it */
    int column;             /* listed in meta.columns */
    size_t col;             /* records: its index there */
    int warned;             /* a second key of its field in one object: warned */
    size_t uses;            /* the objects that have it as a field */
} json_key;

/* An item's place, as its children see it. */
typedef struct {
    const char *id;         /* "" the top; NULL not known here (a generated id) */
    int level;              /* 0 the top; -1 not known here */
} holder;

typedef struct {
    char (*id)[CTL_ID_MAX];
    int *level;
    size_t n, cap;
} sibling_chain;

/* Where a list of children starts and ends. */
typedef struct {
    const char *start, *end;
} span;

typedef struct {
    parser ps;
    const ctl_options *opts;
    ctl_sink *sink;
    size_t doc_len;         /* the bytes at ps.doc: the document, or the line */
    int emit;               /* second pass */
    int lines;              /* JSON Lines */
    int outline;            /* some object nests others */
    int named;              /* some object has a key naming the id */
    long line;              /* JSON Lines: the line being read */
    json_key *keys;
    size_t n_keys, cap_keys, max_keys;
    size_t *slots;          /* open addressing: index + 1 into keys */
    size_t cap_slots;
    size_t stamp;
    span *kids;             /* the lists of children, in document order */
    size_t n_kids, cap_kids;
    size_t n_objects, max_objects;
    ctl_buf text;           /* a decoded key or value */
    ctl_meta meta;
    size_t cap_columns;     /* room in meta.columns */
    const char *counted;    /* second pass: lines counted up to here */
    long counted_line;
    size_t n_units, n_items;
    /* records (nothing nests): rows of a table, a cell for each column */
    ctl_table *table;
    ctl_cell *row;
    size_t *row_off;        /* where each cell's text starts in row_text */
    size_t *row_cols;       /* the columns of the cells the object has */
    size_t row_n, row_width;
    ctl_buf row_text;
    /* a wrapper, groups: see below */
    const char *root;       /* the top-level object */
    const char *wrapper;    /* the top-level object when it is the document */
    const char *last_id;    /* first pass: the id value of the object last scanned */
    const char *kid_id;     /* first pass: the first id value of the list last scanned */
    json_key *group_key[OUTLINE_DEPTH];
    signed char group_state[OUTLINE_DEPTH]; /* 0 undecided, 1 group_key, -1 none */
    size_t group_n[OUTLINE_DEPTH];
} shapes;

static ctl_ctx *sctx(const shapes *sh) { return sh->ps.ctx; }

static long line_at(const shapes *sh, const char *p)
{
    long line;
    int col;
    place(&sh->ps, p, &line, &col);
    return line;
}

/* The line of p, counting forwards from the last one asked (the second
 * pass asks in document order). */
static long item_line(shapes *sh, const char *p)
{
    if (sh->lines) return sh->line;
    if (!sh->counted || p < sh->counted) {
        sh->counted = sh->ps.doc;
        sh->counted_line = 1;
    }
    for (const char *q = sh->counted; q < p; q++)
        if (*q == '\n') sh->counted_line++;
    sh->counted = p;
    return sh->counted_line;
}

/* A value or separator out of place: jansson words the error (of the
 * line, or the document). */
static ctl_status malformed(shapes *sh, const char *near)
{
    json_t *v = parse(&sh->ps, sh->ps.doc, sh->doc_len);
    if (!v) return ctl_error_status(sctx(sh));
    json_decref(v);
    return ctl_fail(sctx(sh), CTL_D_MALFORMED_JSON, sh->ps.file, line_at(sh, near), "JSON: a value or separator "
                    "out of place");
}

/* The characters of the JSON string s[0..n) (quotes included) into
 * sh->text: as they are when nothing is escaped, else through jansson. */
static ctl_status string_text(shapes *sh, const char *s, size_t n)
{
    sh->text.len = 0;
    const char *a = s + 1, *b = s + n - 1;
    int plain = n >= 2;
    for (const char *p = a; plain && p < b; p++)
        if (*p == '\\' || (unsigned char)*p < 0x20) plain = 0;
    if (plain && ctl_utf8_valid_prefix((const unsigned char *)a, (size_t)(b - a)) == (size_t)(b - a))
        return ctl_buf_add(&sh->text, a, (size_t)(b - a)) ? CTL_OK : ctl_nomem(sctx(sh));
    json_t *v = parse(&sh->ps, s, n);
    if (!v) return ctl_error_status(sctx(sh));
    int ok = ctl_buf_add(&sh->text, json_string_value(v), json_string_length(v));
    json_decref(v);
    return ok ? CTL_OK : ctl_nomem(sctx(sh));
}

static const char *text_of(const shapes *sh) { return sh->text.data ? sh->text.data : ""; }

static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static ctl_status grow_slots(shapes *sh)
{
    size_t cap = sh->cap_slots ? sh->cap_slots * 2 : 64;
    size_t *t = ctl_malloc(cap * sizeof *t);
    if (!t) return ctl_nomem(sctx(sh));
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < sh->n_keys; i++) {
        size_t k = key_hash(sh->keys[i].name, strlen(sh->keys[i].name)) & (cap - 1);
        while (t[k]) k = (k + 1) & (cap - 1);
        t[k] = i + 1;
    }
    ctl_free(sh->slots);
    sh->slots = t;
    sh->cap_slots = cap;
    return CTL_OK;
}

static ctl_status add_key(shapes *sh, const char *name, size_t len, uint64_t h, json_key **out)
{
    ctl_status st;
    if ((sh->n_keys + 1) * 2 > sh->cap_slots && (st = grow_slots(sh)) != CTL_OK) return st;
    if (sh->n_keys == sh->cap_keys) {
        size_t cap = sh->cap_keys ? sh->cap_keys * 2 : 16;
        json_key *v = ctl_realloc(sh->keys, cap * sizeof *v);
        if (!v) return ctl_nomem(sctx(sh));
        sh->keys = v;
        sh->cap_keys = cap;
    }
    json_key *e = &sh->keys[sh->n_keys];
    memset(e, 0, sizeof *e);
    if (!(e->name = ctl_strndup(name, len))) return ctl_nomem(sctx(sh));
    e->role = ctl_header_role_opts(name, len, sh->opts);
    if (e->role == CTL_ROLE_ISMS) e->scheme = ctl_column_scheme(name, len, sh->opts);
    size_t k = h & (sh->cap_slots - 1);
    while (sh->slots[k]) k = (k + 1) & (sh->cap_slots - 1);
    sh->slots[k] = ++sh->n_keys;
    *out = e;
    return CTL_OK;
}

/* The key whose string token is s[0..n), added when new. */
static ctl_status key_of(shapes *sh, const char *s, size_t n, json_key **out)
{
    ctl_status st = string_text(sh, s, n);
    if (st != CTL_OK) return st;
    const char *name = text_of(sh);
    size_t len = sh->text.len;
    uint64_t h = key_hash(name, len);
    for (size_t k = sh->cap_slots ? h & (sh->cap_slots - 1) : 0; sh->cap_slots && sh->slots[k];
         k = (k + 1) & (sh->cap_slots - 1)) {
        json_key *e = &sh->keys[sh->slots[k] - 1];
        if (strlen(e->name) == len && !memcmp(e->name, name, len)) {
            *out = e;
            return CTL_OK;
        }
    }
    if (sh->n_keys == sh->max_keys)
        return ctl_limit_fail(sctx(sh), sh->ps.file, line_at(sh, s), CTL_LIMIT_COLUMNS, "JSON: more than the limit "
                              "of %zu different keys (each is a column)", sh->max_keys);
    return add_key(sh, name, len, h, out);
}

/* The recorded list of children that starts at p, or NULL. */
static const span *kids_at(const shapes *sh, const char *p)
{
    size_t lo = 0, hi = sh->n_kids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sh->kids[mid].start < p) lo = mid + 1;
        else hi = mid;
    }
    return lo < sh->n_kids && sh->kids[lo].start == p ? &sh->kids[lo] : NULL;
}

/* Iterating an object's members, or an array's elements, lexically: 1 and
 * the next one; 0 after the last; -1 when a separator is out of place.
 * The second pass steps over the lists of children the first recorded. */
typedef struct {
    const char *p, *end;
    int started;
    const shapes *sh;       /* NULL: every value skipped byte by byte */
} lex_iter;

static int lex_next(lex_iter *it, char close, member *m)
{
    const char *p = it->p, *end = it->end;
    if (!it->started) {
        it->started = 1;
        p = skip_ws(p + 1, end);
        if (p < end && *p == close) return 0;
    } else if (p < end && *p == ',') {
        p = skip_ws(p + 1, end);
    } else {
        return p < end && *p == close && p + 1 == end ? 0 : -1;
    }
    m->key = NULL;
    m->key_len = 0;
    if (close == '}') {
        if (p >= end || *p != '"') return -1;
        const char *ke = skip_value(p, end);
        if (!ke) return -1;
        m->key = p;
        m->key_len = (size_t)(ke - p);
        p = skip_ws(ke, end);
        if (p >= end || *p != ':') return -1;
        p = skip_ws(p + 1, end);
    }
    const span *k = it->sh && p < end && *p == '[' ? kids_at(it->sh, p) : NULL;
    const char *ve = k ? k->end : skip_value(p, end);
    if (!ve) return -1;
    m->val = p;
    m->val_len = (size_t)(ve - p);
    it->p = skip_ws(ve, end);
    return 1;
}

static int is_empty_array(const member *m)
{
    return m->val[0] == '[' && skip_ws(m->val + 1, m->val + m->val_len) == m->val + m->val_len - 1;
}

/* Is the array at p (under a key that names no field) a list of children:
 * is its first element an object that names its id or title before any
 * nested value?  Only scalars are stepped over. */
static ctl_status holds_children(shapes *sh, const char *p, const char *end, int *yes)
{
    *yes = 0;
    p = skip_ws(p + 1, end);
    if (p >= end || *p != '{') return CTL_OK;
    p = skip_ws(p + 1, end);
    while (p < end && *p == '"') {
        const char *ke = skip_value(p, end);
        json_key *k;
        ctl_status st;
        if (!ke || (st = key_of(sh, p, (size_t)(ke - p), &k)) != CTL_OK) return ke ? st : CTL_OK;
        if (k->role == CTL_ROLE_ID || k->role == CTL_ROLE_TITLE) {
            *yes = 1;
            return CTL_OK;
        }
        p = skip_ws(ke, end);
        if (p >= end || *p != ':') return CTL_OK;
        p = skip_ws(p + 1, end);
        if (p >= end || *p == '{' || *p == '[' || !(p = skip_value(p, end))) return CTL_OK;
        p = skip_ws(p, end);
        if (p >= end || *p != ',') return CTL_OK;
        p = skip_ws(p + 1, end);
    }
    return CTL_OK;
}

/* ------------------------------------------------ first pass: the shape */

static ctl_status scan_object(shapes *sh, const char *o, const char *end, int depth, const char **after,
                              int *kids);
static ctl_status group_check(shapes *sh, const char *o, const char *end, int depth, const char *kid_id,
                              const char **id_val);

static ctl_status add_column(shapes *sh, json_key *k)
{
    if (sh->meta.n_columns == sh->cap_columns) {
        size_t cap = sh->cap_columns ? sh->cap_columns * 2 : 16;
        char **v = ctl_realloc(sh->meta.columns, cap * sizeof *v);
        if (!v) return ctl_nomem(sctx(sh));
        sh->meta.columns = v;
        sh->cap_columns = cap;
    }
    char **v = sh->meta.columns;
    if (!(v[sh->meta.n_columns] = ctl_strdup(k->name))) return ctl_nomem(sctx(sh));
    k->col = sh->meta.n_columns++;
    k->column = 1;
    if (k->role == CTL_ROLE_ISMS && !sh->meta.ref_scheme && !(sh->meta.ref_scheme = ctl_strdup(k->scheme)))
        return ctl_nomem(sctx(sh));
    return CTL_OK;
}

static const char *kind_of(char c)
{
    return c == '[' ? "an array" : c == '"' ? "a string" : c == '-' || (c >= '0' && c <= '9') ? "a number"
                                                                                          : "a literal";
}

/* A value where an object should be: jansson's error when it (at the
 * top, the document) is not JSON, else not a list (the top-level array's
 * first element) or a bad structure. */
static ctl_status not_object(shapes *sh, const char *v, const char *end, int depth, size_t index)
{
    const char *ve = skip_value(v, end);
    json_t *j = depth ? parse(&sh->ps, v, ve ? (size_t)(ve - v) : 0) : parse(&sh->ps, sh->ps.doc, sh->doc_len);
    if (!j) return ctl_error_status(sctx(sh));
    json_decref(j);
    if (!depth && index == 1)
        return ctl_fail(sctx(sh), CTL_D_NOT_A_LIST, sh->ps.file, line_at(sh, v), "not a control list: an "
                        "array whose first element is %s (ctlconv reads arrays of objects)", kind_of(*v));
    return ctl_fail(sctx(sh), CTL_D_BAD_STRUCTURE, sh->ps.file, line_at(sh, v), "%s where an object was "
                    "expected (element %zu of a list of objects)", kind_of(*v), index);
}

/* First pass, the objects of an array (the top-level one, depth 0, or a
 * list of children); *after: the end of the array. */
static ctl_status scan_array(shapes *sh, const char *a, const char *end, int depth, const char **after)
{
    const char *p = skip_ws(a + 1, end), *first_id = NULL;
    size_t index = 0;
    sh->kid_id = NULL;
    if (p < end && *p == ']') {
        *after = p + 1;
        return CTL_OK;
    }
    for (;;) {
        index++;
        if (p >= end || *p != '{') return p < end ? not_object(sh, p, end, depth, index) : malformed(sh, p);
        if (++sh->n_objects > sh->max_objects)
            return ctl_limit_fail(sctx(sh), sh->ps.file, line_at(sh, p), CTL_LIMIT_ITEMS, "more than the limit of "
                                  "%zu items", sh->max_objects);
        int kids;
        ctl_status st = scan_object(sh, p, end, depth, &p, &kids);
        if (st != CTL_OK) return st;
        if (!first_id) first_id = sh->last_id;
        if (!depth) sh->n_units++;
        if (!depth && kids) sh->outline = 1;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p >= end || *p != ']') return malformed(sh, p);
        *after = p + 1;
        sh->kid_id = first_id;
        return CTL_OK;
    }
}

/* A list of children: recorded, then scanned. */
static ctl_status scan_kids(shapes *sh, const char *a, const char *end, int depth, const char **after)
{
    if (sh->n_kids == sh->cap_kids) {
        size_t cap = sh->cap_kids ? sh->cap_kids * 2 : 64;
        span *v = ctl_realloc(sh->kids, cap * sizeof *v);
        if (!v) return ctl_nomem(sctx(sh));
        sh->kids = v;
        sh->cap_kids = cap;
    }
    size_t at = sh->n_kids++;
    sh->kids[at].start = a;
    ctl_status st = scan_array(sh, a, end, depth, after);
    sh->kids[at].end = *after;
    return st;
}

/* One member's value: a list of children (scanned), else stepped over
 * and its key a column. */
static ctl_status scan_member(shapes *sh, json_key *k, const char *v, const char *end, int depth,
                              const char **after, int *kids)
{
    int yes = 0;
    ctl_status st;
    if (k->role == CTL_ROLE_EXTRA && *v == '[' && (st = holds_children(sh, v, end, &yes)) != CTL_OK) return st;
    if (yes) {
        if (sh->lines)
            return ctl_fail(sctx(sh), CTL_D_BAD_STRUCTURE, sh->ps.file, sh->line, "JSON Lines: '%s' holds child "
                            "objects; a nested list is read from a JSON document, not JSON Lines", k->name);
        if (depth + 1 >= OUTLINE_DEPTH)
            return ctl_fail(sctx(sh), CTL_D_BAD_STRUCTURE, sh->ps.file, line_at(sh, v), "objects nested deeper "
                            "than %d levels", OUTLINE_DEPTH);
        *kids = 1;
        return scan_kids(sh, v, end, depth + 1, after);
    }
    if (!(*after = skip_value(v, end))) return malformed(sh, v);
    member m = {NULL, v, 0, (size_t)(*after - v)};
    if (is_empty_array(&m)) return CTL_OK;
    k->uses++;
    return k->column ? CTL_OK : add_column(sh, k);
}

/* First pass, one object at o: its keys and columns, its lists of
 * children; *after: its end; *kids set when it has children. */
static ctl_status scan_object(shapes *sh, const char *o, const char *end, int depth, const char **after,
                              int *kids)
{
    const char *p = skip_ws(o + 1, end), *id_val = NULL, *kid_id = NULL;
    *kids = 0;
    sh->last_id = NULL;
    if (p < end && *p == '}') {
        *after = p + 1;
        return CTL_OK;
    }
    for (;;) {
        const char *ke = p < end && *p == '"' ? skip_value(p, end) : NULL;
        if (!ke) return malformed(sh, p);
        json_key *k;
        ctl_status st = key_of(sh, p, (size_t)(ke - p), &k);
        if (st != CTL_OK) return st;
        if (k->role == CTL_ROLE_ID) sh->named = 1;
        p = skip_ws(ke, end);
        if (p >= end || *p != ':') return malformed(sh, p);
        p = skip_ws(p + 1, end);
        if (k->role == CTL_ROLE_ID && !id_val) id_val = p;
        int had = *kids;
        if ((st = scan_member(sh, k, p, end, depth, &p, kids)) != CTL_OK) return st;
        if (*kids && !had) kid_id = sh->kid_id;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p >= end || *p != '}') return malformed(sh, p);
        *after = p + 1;
        if (*kids && !id_val && o != sh->root && (st = group_check(sh, o, *after, depth, kid_id, &id_val)) != CTL_OK)
            return st;
        sh->last_id = id_val;
        return CTL_OK;
    }
}

/* ------------------------------------------------ second pass: the items */

/* A scalar value's text into sh->text: a string's characters; a number,
 * true or false as written; null as "".  *nested set (nothing read) for an
 * array or an object. */
static ctl_status scalar_text(shapes *sh, const member *m, int *nested)
{
    *nested = m->val[0] == '[' || m->val[0] == '{';
    if (*nested) return CTL_OK;
    if (m->val[0] == '"') return string_text(sh, m->val, m->val_len);
    json_t *v = parse(&sh->ps, m->val, m->val_len);
    if (!v) return ctl_error_status(sctx(sh));
    int null = json_is_null(v);
    json_decref(v);
    sh->text.len = 0;
    return ctl_buf_add(&sh->text, m->val, null ? 0 : m->val_len) ? CTL_OK : ctl_nomem(sctx(sh));
}

/* An array or object as its JSON text (checked by jansson), white space
 * outside strings removed. */
static ctl_status json_text(shapes *sh, const member *m)
{
    json_t *v = parse(&sh->ps, m->val, m->val_len);
    if (!v) return ctl_error_status(sctx(sh));
    json_decref(v);
    sh->text.len = 0;
    if (!ctl_buf_reserve(&sh->text, m->val_len + 1)) return ctl_nomem(sctx(sh));
    const char *p = m->val, *end = p + m->val_len;
    while (p < end) {
        const char *q = *p == '"' ? closing_quote(p, end) + 1 : p + 1;
        if (!is_ws(*p)) ctl_buf_add(&sh->text, p, (size_t)(q - p));   /* reserved: cannot fail */
        p = q;
    }
    return CTL_OK;
}

/* References as an array: of strings (each a cell of references) or of
 * {"scheme", "id"} objects. */
static ctl_status refs_array(shapes *sh, const member *m, const ctl_cell_place *at, ctl_item *it)
{
    json_t *arr = parse(&sh->ps, m->val, m->val_len);
    if (!arr) return ctl_error_status(sctx(sh));
    size_t n = json_array_size(arr), strings = 0;
    for (size_t i = 0; i < n; i++) strings += json_is_string(json_array_get(arr, i));
    ctl_status st = CTL_OK;
    if (strings == n) {
        for (size_t i = 0; i < n && st == CTL_OK; i++) {
            json_t *e = json_array_get(arr, i);
            st = ctl_item_put(at, it, CTL_ROLE_ISMS, json_string_value(e), json_string_length(e));
        }
    } else {
        where w = {sctx(sh), sh->ps.file, at->line, at->num->id};
        st = get_refs2(&w, arr, at->num->id[0] ? at->num->id : "an object", it);
    }
    json_decref(arr);
    return st;
}

/* ------------------------------------------------ a wrapper, groups
 *
 * A top-level object without an id, whose other members are scalars of no
 * field but the title or the description, beside one list of children,
 * is the document, not an item ({"name": ..., "version": ...,
 * "controls": [...]}): its first title member is the document's title,
 * every other member a line "key: value" of the note; its children are
 * the top items.
 *
 * Objects holding children without an id key ({"family": "AC",
 * "controls": [...]}): when, in every such object of one depth, a member
 * of the same key is an identifier that contains the first id among the
 * object's children (AC holds AC-1), that member is their id; else they
 * get generated ids (converters/hierarchy.c).  Decided in the first pass;
 * a key used only so is no column. */

static void drop_column(shapes *sh, json_key *k)
{
    if (!k->column) return;
    char **v = sh->meta.columns;
    ctl_free(v[k->col]);
    memmove(v + k->col, v + k->col + 1, (sh->meta.n_columns - k->col - 1) * sizeof *v);
    sh->meta.n_columns--;
    for (size_t i = 0; i < sh->n_keys; i++)
        if (sh->keys[i].column && sh->keys[i].col > k->col) sh->keys[i].col--;
    k->column = 0;
}

/* The scalar value at v as a canonical id into id; 0 when it is none. */
static int value_id(shapes *sh, const char *v, const char *end, char id[CTL_ID_MAX])
{
    const char *ve = skip_value(v, end);
    int nested;
    member m = {NULL, v, 0, ve ? (size_t)(ve - v) : 0};
    if (!ve || scalar_text(sh, &m, &nested) != CTL_OK || nested) return 0;
    const char *s = text_of(sh);
    size_t len = sh->text.len;
    ctl_trim(&s, &len);
    return len && ctl_parse_id(s, len, id);
}

static ctl_status group_check(shapes *sh, const char *o, const char *end, int depth, const char *kid_id,
                              const char **id_val)
{
    char kid[CTL_ID_MAX], gid[CTL_ID_MAX];
    signed char *state = &sh->group_state[depth];
    if (*state < 0) return CTL_OK;
    if (!kid_id || !value_id(sh, kid_id, sh->ps.doc + sh->doc_len, kid)) {
        *state = -1;
        return CTL_OK;
    }
    lex_iter li = {o, end, 0, sh};
    member m;
    while (lex_next(&li, '}', &m) == 1) {
        json_key *k;
        ctl_status st = key_of(sh, m.key, m.key_len, &k);
        if (st != CTL_OK) return st;
        if (*state ? k != sh->group_key[depth] : k->role != CTL_ROLE_EXTRA) continue;
        if (value_id(sh, m.val, m.val + m.val_len, gid) && ctl_id_contains(gid, kid)) {
            sh->group_key[depth] = k;
            *state = 1;
            sh->group_n[depth]++;
            *id_val = m.val;
            return CTL_OK;
        }
        if (*state) break;
    }
    *state = -1;
    return CTL_OK;
}

/* Group keys decided: each one used only as an id is no column. */
static void groups_done(shapes *sh)
{
    for (int d = 0; d < OUTLINE_DEPTH; d++)
        if (sh->group_state[d] > 0) {
            json_key *k = sh->group_key[d];
            sh->named = 1;
            if (k->uses == sh->group_n[d]) drop_column(sh, k);
        }
}

/* Appends "key: value" (value in sh->text) to the note. */
static ctl_status note_line(shapes *sh, const char *key)
{
    ctl_buf b = {0};
    const char *old = ctl_str(sh->meta.note);
    int ok = ctl_buf_printf(&b, "%s%s%s: %.*s", old, *old ? "\n" : "", key, (int)sh->text.len, text_of(sh));
    char *note = ok ? ctl_buf_take(&b) : NULL;
    ctl_buf_free(&b);
    if (!note) return ctl_nomem(sctx(sh));
    ctl_free(sh->meta.note);
    sh->meta.note = note;
    return CTL_OK;
}

/* Is the top-level object o[0..n) (scanned) a wrapper?  If so, its
 * members into the metadata. */
static ctl_status take_wrapper(shapes *sh, const char *o, size_t n)
{
    lex_iter li = {o, o + n, 0, sh};
    member m;
    size_t lists = 0;
    ctl_status st = CTL_OK;
    while (lex_next(&li, '}', &m) == 1) {
        json_key *k;
        if ((st = key_of(sh, m.key, m.key_len, &k)) != CTL_OK) return st;
        if (kids_at(sh, m.val)) lists++;
        else if (m.val[0] == '[' || m.val[0] == '{' ||
                 (k->role != CTL_ROLE_EXTRA && k->role != CTL_ROLE_TITLE && k->role != CTL_ROLE_DESCRIPTION))
            return CTL_OK;
    }
    if (lists != 1) return CTL_OK;
    sh->wrapper = o;
    li = (lex_iter){o, o + n, 0, sh};
    while (st == CTL_OK && lex_next(&li, '}', &m) == 1) {
        json_key *k;
        int nested;
        if (kids_at(sh, m.val) || (st = key_of(sh, m.key, m.key_len, &k)) != CTL_OK ||
            (st = scalar_text(sh, &m, &nested)) != CTL_OK)
            continue;
        if (k->uses == 1) drop_column(sh, k);
        if (k->role == CTL_ROLE_TITLE && !sh->meta.title)
            st = (sh->meta.title = ctl_strndup(text_of(sh), sh->text.len)) ? CTL_OK : ctl_nomem(sctx(sh));
        else
            st = note_line(sh, k->name);
    }
    return st;
}

/* One member other than the id and the children. */
static ctl_status read_member(shapes *sh, json_key *k, const member *m, ctl_item *it, const ctl_number *num,
                              int *used)
{
    ctl_role role = k->role;
    ctl_status st = CTL_OK;
    if (role != CTL_ROLE_EXTRA && role != CTL_ROLE_ID && used[role]) {
        if (!k->warned)
            st = ctl_warn_item(sctx(sh), CTL_D_DUPLICATE_COLUMN, sh->ps.file, it->pos.line, num->id, "'%s' is a "
                               "second key for the %s of one object: kept as an extra field", k->name,
                               ctl_role_name_en(role));
        k->warned = 1;
        role = CTL_ROLE_EXTRA;
    }
    used[role] = 1;
    if (st != CTL_OK) return st;
    ctl_cell_place at = {sctx(sh), sh->ps.file, it->pos.line, num, k->name, k->scheme};
    if (role == CTL_ROLE_ISMS && m->val[0] == '[') return refs_array(sh, m, &at, it);
    int nested;
    if ((st = scalar_text(sh, m, &nested)) != CTL_OK) return st;
    if (nested && role != CTL_ROLE_EXTRA)
        return ctl_fail_item(sctx(sh), CTL_D_BAD_FIELD, sh->ps.file, it->pos.line, num->id, "'%s' (read as %s) "
                             "holds an %s: that field takes a string, a number or null", k->name,
                             ctl_role_name_en(role), m->val[0] == '[' ? "array" : "object");
    if (nested && (st = json_text(sh, m)) != CTL_OK) return st;
    if (role == CTL_ROLE_EXTRA)
        return ctl_item_add_extra(it, k->name, text_of(sh), sh->text.len) ? CTL_OK : ctl_nomem(sctx(sh));
    return ctl_item_put(&at, it, role, text_of(sh), sh->text.len);
}

/* The id in sh->text, under key: canonical into num->id and it->id, the
 * label as written; a code that is no identifier (ctl_is_code()) into the
 * label alone.  *skip set when the object is skipped (skip_bad_rows). */
static ctl_status take_id(shapes *sh, const json_key *k, ctl_item *it, ctl_number *num, int *skip)
{
    const char *s = text_of(sh);
    size_t len = sh->text.len;
    ctl_trim(&s, &len);
    if (!len) return CTL_OK;
    if (ctl_parse_id(s, len, num->id)) {
        const char *canon = num->id;
        char label[96];
        ctl_number mic;
        int as_written = len != strlen(canon) || memcmp(s, canon, len);
        if (!as_written && ctl_parse_number_exact(canon, strlen(canon), &mic))
            ctl_number_label(mic.id, mic.level, label, sizeof label);
        else
            snprintf(label, sizeof label, "%s", canon);
        if (!(it->id = ctl_strdup(canon)) || !(it->label = as_written ? ctl_strndup(s, len) : ctl_strdup(label)))
            return ctl_nomem(sctx(sh));
        return CTL_OK;
    }
    if (ctl_is_code(s, len)) return (it->label = ctl_strndup(s, len)) ? CTL_OK : ctl_nomem(sctx(sh));
    int shown = (int)ctl_utf8_clip(s, len, 40);
    if (sh->opts && sh->opts->skip_bad_rows) {
        *skip = 1;
        return ctl_warn(sctx(sh), CTL_D_ROW_SKIPPED, sh->ps.file, it->pos.line, "object skipped with the objects "
                        "it holds: '%.*s' under '%s' is no identifier", shown, s, k->name);
    }
    return ctl_fail(sctx(sh), CTL_D_BAD_ROW, sh->ps.file, it->pos.line, "an object that cannot be read: '%.*s' "
                    "under '%s' (the id) is no identifier such as II.1.1.1, 3.1.1, AC-2(1) or A.5.1", shown, s,
                    k->name);
}

static ctl_status duplicate_key(const shapes *sh, const json_key *k, const char *at)
{
    long line;
    int col;
    place(&sh->ps, at, &line, &col);
    return ctl_fail(sctx(sh), CTL_D_MALFORMED_JSON, sh->ps.file, line, "JSON: duplicate object key near "
                    "'\"%s\"' (column %d)", k->name, col + 1);
}

/* The id: from the first member whose key names it (see take_id), else,
 * for an object holding children, its depth's group key (see above);
 * duplicate keys refused on the way.  *id_key: that member's key. */
static ctl_status read_id(shapes *sh, const char *o, size_t n, int depth, ctl_item *it, ctl_number *num,
                          const char **id_key, int *skip)
{
    lex_iter li = {o, o + n, 0, sh};
    member m, id = {0}, grp = {0};
    json_key *k, *idk = NULL, *gk = sh->group_state[depth] > 0 ? sh->group_key[depth] : NULL;
    ctl_status st = CTL_OK;
    size_t stamp = ++sh->stamp;
    int holds = 0;
    while (st == CTL_OK && lex_next(&li, '}', &m) == 1) {
        if ((st = key_of(sh, m.key, m.key_len, &k)) != CTL_OK) break;
        if (k->stamp == stamp) return duplicate_key(sh, k, m.key);
        k->stamp = stamp;
        if (kids_at(sh, m.val)) holds = 1;
        if (k == gk) grp = m;
        if (k->role == CTL_ROLE_ID && !idk) {
            idk = k;
            id = m;
        }
    }
    if (st == CTL_OK && !idk && holds && grp.key) {
        idk = gk;
        id = grp;
    }
    if (st != CTL_OK || !idk) return st;
    *id_key = id.key;
    int nested;
    if ((st = scalar_text(sh, &id, &nested)) != CTL_OK) return st;
    if (nested)
        return ctl_fail(sctx(sh), CTL_D_BAD_FIELD, sh->ps.file, it->pos.line, "'%s' (read as id) holds an %s: an id "
                        "is a string or a number", idk->name, id.val[0] == '[' ? "array" : "object");
    return take_id(sh, idk, it, num, skip);
}

/* The members besides the id and the children; *fields: how many. */
static ctl_status read_members(shapes *sh, const char *o, size_t n, ctl_item *it, const ctl_number *num,
                               const char *id_key, size_t *fields)
{
    int used[CTL_ROLE_COUNT] = {0};
    used[CTL_ROLE_ID] = id_key != NULL;
    lex_iter li = {o, o + n, 0, sh};
    member m;
    ctl_status st = CTL_OK;
    *fields = id_key != NULL;
    while (st == CTL_OK && lex_next(&li, '}', &m) == 1) {
        json_key *k;
        if (m.key == id_key || kids_at(sh, m.val) || is_empty_array(&m)) continue;
        if ((st = key_of(sh, m.key, m.key_len, &k)) != CTL_OK) break;
        ++*fields;
        st = read_member(sh, k, &m, it, num, used);
    }
    return st;
}

static void chain_free(sibling_chain *c)
{
    ctl_free(c->id);
    ctl_free(c->level);
}

static int chain_push(sibling_chain *c, const char *id, int level)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        char(*ids)[CTL_ID_MAX] = ctl_realloc(c->id, cap * sizeof *ids);
        if (ids) c->id = ids;
        int *lv = ids ? ctl_realloc(c->level, cap * sizeof *lv) : NULL;
        if (!lv) return 0;
        c->level = lv;
        c->cap = cap;
    }
    snprintf(c->id[c->n], CTL_ID_MAX, "%s", id);
    c->level[c->n++] = level;
    return 1;
}

/* Level and parent from the outline, unless the object gave either; what
 * its children see of it into *self. */
static ctl_status place_item(shapes *sh, ctl_item *it, const holder *above, sibling_chain *sib, holder *self)
{
    const char *id = ctl_str(it->id);
    self->id = *id ? id : NULL;
    self->level = it->level > 0 ? it->level : -1;
    if (!sh->outline || it->level > 0 || it->parent) return CTL_OK;
    if (*id)
        while (sib->n && !ctl_id_contains(sib->id[sib->n - 1], id)) sib->n--;
    const char *pid = sib->n ? sib->id[sib->n - 1] : above->id;
    int plevel = sib->n ? sib->level[sib->n - 1] : above->level;
    if (plevel >= OUTLINE_DEPTH)
        return ctl_fail_item(sctx(sh), CTL_D_BAD_STRUCTURE, sh->ps.file, it->pos.line, id, "%s: nested deeper "
                             "than %d levels", *id ? id : ctl_str(it->label), OUTLINE_DEPTH);
    if (plevel >= 0) it->level = self->level = plevel + 1;
    if (pid && !(it->parent = ctl_strdup(pid))) return ctl_nomem(sctx(sh));
    return CTL_OK;
}

static ctl_status emit_array(shapes *sh, const char *a, const char *end, const holder *above, int depth);

/* The item of the object at o[0..n) (unless it is a mere container). */
static ctl_status emit_item(shapes *sh, const char *o, size_t n, const holder *above, sibling_chain *sib,
                            holder *self, char *self_id, int *skip, int depth)
{
    ctl_item it;
    ctl_item_init(&it);
    it.pos.file = sh->ps.file;
    it.pos.line = item_line(sh, o);
    ctl_number num;
    memset(&num, 0, sizeof num);
    const char *id_key = NULL;
    size_t fields = 0;
    ctl_status st = read_id(sh, o, n, depth, &it, &num, &id_key, skip);
    if (st == CTL_OK && !*skip) st = read_members(sh, o, n, &it, &num, id_key, &fields);
    if (st == CTL_OK && !*skip && fields) {
        if ((st = place_item(sh, &it, above, sib, self)) == CTL_OK && self->id) {
            self->id = strcpy(self_id, self->id);
            if (sh->outline && !chain_push(sib, self_id, self->level)) st = ctl_nomem(sctx(sh));
        }
        ctl_item_fill_empty(&it);
        if (st == CTL_OK) st = sh->sink->item(sh->sink, sctx(sh), &it);
        sh->n_items++;
    }
    ctl_item_clear(&it);
    return st;
}

static ctl_status record_row(shapes *sh, const char *o, size_t n);

/* Second pass, one object: the item, then its children (a record: a row). */
static ctl_status emit_object(shapes *sh, const char *o, size_t n, const holder *above, sibling_chain *sib,
                              int depth)
{
    if (sh->table) return record_row(sh, o, n);
    holder self = *above;
    char self_id[CTL_ID_MAX] = "";
    int skip = 0;
    ctl_status st = o == sh->wrapper ? CTL_OK : emit_item(sh, o, n, above, sib, &self, self_id, &skip, depth);
    if (st != CTL_OK || skip) return st;
    lex_iter li = {o, o + n, 0, sh};
    member m;
    while (st == CTL_OK && lex_next(&li, '}', &m) == 1)
        if (kids_at(sh, m.val)) st = emit_array(sh, m.val, m.val + m.val_len, &self, depth + 1);
    return st;
}

/* The end of the object at o, which the first pass checked: its members
 * stepped over, its lists of children jumped. */
static const char *object_end(const shapes *sh, const char *o, const char *end)
{
    const char *p = skip_ws(o + 1, end);
    while (p && p < end && *p != '}') {
        p = skip_value(p, end);
        p = p ? skip_ws(skip_ws(p, end) + 1, end) : NULL;
        const span *k = p && p < end && *p == '[' ? kids_at(sh, p) : NULL;
        p = k ? k->end : p ? skip_value(p, end) : NULL;
        p = p ? skip_ws(p, end) : NULL;
        if (p && p < end && *p == ',') p = skip_ws(p + 1, end);
    }
    return p && p < end ? p + 1 : NULL;
}

/* Second pass, the objects of an array (checked by the first). */
static ctl_status emit_array(shapes *sh, const char *a, const char *end, const holder *above, int depth)
{
    sibling_chain sib = {0};
    ctl_status st = CTL_OK;
    const char *p = skip_ws(a + 1, end);
    while (st == CTL_OK && p < end && *p == '{') {
        const char *oe = object_end(sh, p, end);
        if (!oe) {
            st = malformed(sh, p);
            break;
        }
        st = emit_object(sh, p, (size_t)(oe - p), above, &sib, depth);
        p = skip_ws(oe, end);
        if (p < end && *p == ',') p = skip_ws(p + 1, end);
    }
    chain_free(&sib);
    return st;
}

/* ------------------------------------------------ records: rows of a table
 *
 * Records (objects that nest nothing) are read by the rules of tables
 * (converters/table.c), so that a list reads the same in CSV, a worksheet
 * or JSON: the keys, in order of first appearance, are the header row;
 * each object is a row of cells in that order, a missing key (or an empty
 * array) no cell.  Header words, the id column chosen by shape, heading
 * items of columns that repeat each row's parents, depth and parent
 * columns, bad rows and column mappings are the table's. */

/* A references array as the text of one cell, a reference a line: its
 * strings, or its {"scheme", "id"} objects (checked as in ctlconv's own
 * lists) as "scheme:id". */
static ctl_status refs_cell(shapes *sh, const member *m, long line)
{
    json_t *arr = parse(&sh->ps, m->val, m->val_len);
    if (!arr) return ctl_error_status(sctx(sh));
    size_t n = json_array_size(arr), strings = 0;
    for (size_t i = 0; i < n; i++) strings += json_is_string(json_array_get(arr, i));
    ctl_item tmp;
    ctl_item_init(&tmp);
    where w = {sctx(sh), sh->ps.file, line, NULL};
    ctl_status st = strings == n ? CTL_OK : get_refs2(&w, arr, "an object", &tmp);
    sh->text.len = 0;
    for (size_t i = 0; i < (strings == n ? n : tmp.n_refs) && st == CTL_OK; i++) {
        json_t *e = json_array_get(arr, i);
        const char *sch = strings == n ? "" : tmp.refs[i].scheme;
        int ok = (!i || ctl_buf_addc(&sh->text, '\n')) && (!*sch || ctl_buf_printf(&sh->text, "%s:", sch)) &&
                 (strings == n ? ctl_buf_add(&sh->text, json_string_value(e), json_string_length(e))
                               : ctl_buf_adds(&sh->text, tmp.refs[i].id));
        if (!ok) st = ctl_nomem(sctx(sh));
    }
    ctl_item_clear(&tmp);
    json_decref(arr);
    return st;
}

/* A member's value as the text of its cell, into sh->text. */
static ctl_status record_value(shapes *sh, const json_key *k, const member *m, long line)
{
    if (k->role == CTL_ROLE_ISMS && m->val[0] == '[') return refs_cell(sh, m, line);
    int nested;
    ctl_status st = scalar_text(sh, m, &nested);
    if (st != CTL_OK || !nested) return st;
    if (k->role == CTL_ROLE_EXTRA) return json_text(sh, m);
    const char *what = m->val[0] == '[' ? "array" : "object";
    if (k->role == CTL_ROLE_ID)
        return ctl_fail(sctx(sh), CTL_D_BAD_FIELD, sh->ps.file, line, "'%s' (read as id) holds an %s: an id is a "
                        "string or a number", k->name, what);
    return ctl_fail(sctx(sh), CTL_D_BAD_FIELD, sh->ps.file, line, "'%s' (read as %s) holds an %s: that field "
                    "takes a string, a number or null", k->name, ctl_role_name_en(k->role), what);
}

/* One record as a row of the table. */
static ctl_status record_row(shapes *sh, const char *o, size_t n)
{
    long line = item_line(sh, o);
    lex_iter li = {o, o + n, 0, sh};
    member m;
    size_t stamp = ++sh->stamp;
    ctl_status st = CTL_OK;
    sh->row_text.len = 0;
    while (st == CTL_OK && lex_next(&li, '}', &m) == 1) {
        json_key *k;
        if ((st = key_of(sh, m.key, m.key_len, &k)) != CTL_OK) break;
        if (k->stamp == stamp) return duplicate_key(sh, k, m.key);
        k->stamp = stamp;
        if (!k->column || is_empty_array(&m) || (st = record_value(sh, k, &m, line)) != CTL_OK) continue;
        sh->row[k->col].len = sh->text.len;
        sh->row_off[k->col] = sh->row_text.len;
        sh->row_cols[sh->row_n++] = k->col;
        if (!ctl_buf_add(&sh->row_text, text_of(sh), sh->text.len)) st = ctl_nomem(sctx(sh));
        if (k->col >= sh->row_width) sh->row_width = k->col + 1;
    }
    for (size_t i = 0; i < sh->row_n; i++) sh->row[sh->row_cols[i]].s = sh->row_text.data + sh->row_off[sh->row_cols[i]];
    if (st == CTL_OK) st = ctl_table_row(sh->table, sh->row, sh->row_width, line);
    for (size_t i = 0; i < sh->row_n; i++) sh->row[sh->row_cols[i]] = (ctl_cell){ctl_table_absent, 0};
    sh->row_n = sh->row_width = 0;
    return st;
}

static ctl_status shapes_pass(shapes *sh, const char *data, size_t len);

/* The second pass over records: their keys the header row, each a row. */
static ctl_status read_records(shapes *sh, const char *data, size_t len)
{
    size_t n = sh->meta.n_columns;
    if (!n)
        return ctl_fail(sctx(sh), CTL_D_NOT_A_LIST, sh->ps.file, 0, "not a control list: no object has a key "
                        "naming its id (such as id, 項番, control_id, ref_id), nor any other key");
    ctl_cell *names = ctl_malloc(n * sizeof *names);
    sh->row = ctl_malloc(n * sizeof *sh->row);
    sh->row_off = ctl_malloc(n * sizeof *sh->row_off);
    sh->row_cols = ctl_malloc(n * sizeof *sh->row_cols);
    sh->table = names && sh->row && sh->row_off && sh->row_cols && ctl_buf_reserve(&sh->row_text, 1)
                    ? ctl_table_new(sctx(sh), sh->opts, sh->sink, sh->ps.file, 0)
                    : NULL;
    if (!sh->table) {
        ctl_free(names);
        return ctl_nomem(sctx(sh));
    }
    for (size_t c = 0; c < n; c++) {
        names[c] = (ctl_cell){sh->meta.columns[c], strlen(sh->meta.columns[c])};
        sh->row[c] = (ctl_cell){ctl_table_absent, 0};
    }
    ctl_status st = ctl_table_records(sh->table, names, n, 1);
    ctl_free(names);
    sh->emit = 1;
    if (st == CTL_OK) st = shapes_pass(sh, data, len);
    if (st == CTL_OK) st = ctl_table_finish(sh->table);
    return st;
}

/* ------------------------------------------------ the passes */

static void shapes_free(shapes *sh)
{
    ctl_table_free(sh->table);
    ctl_free(sh->row);
    ctl_free(sh->row_off);
    ctl_free(sh->row_cols);
    ctl_buf_free(&sh->row_text);
    for (size_t i = 0; i < sh->n_keys; i++) ctl_free(sh->keys[i].name);
    ctl_free(sh->keys);
    ctl_free(sh->slots);
    ctl_free(sh->kids);
    ctl_buf_free(&sh->text);
    ctl_meta_clear(&sh->meta);
}

/* One top-level value at s[0..n): the document's array or root object, or
 * a line of JSON Lines. */
static ctl_status shapes_unit(shapes *sh, const char *s, size_t n)
{
    const char *end = s + n, *after;
    holder top = {"", 0};
    if (sh->emit && *s == '[') return emit_array(sh, s, end, &top, 0);
    if (sh->emit) {
        sibling_chain sib = {0};
        ctl_status st = emit_object(sh, s, n, &top, &sib, 0);
        chain_free(&sib);
        return st;
    }
    if (*s == '[') return scan_array(sh, s, end, 0, &after);
    int kids;
    sh->n_units++;
    sh->n_objects++;
    sh->root = s;
    ctl_status st = scan_object(sh, s, end, 0, &after, &kids);
    if (kids) sh->outline = 1;
    if (st == CTL_OK && kids && !sh->lines) st = take_wrapper(sh, s, (size_t)(after - s));
    return st;
}

/* The lines of JSON Lines, each an object, into shapes_unit. */
static ctl_status shapes_lines(shapes *sh, const char *data, size_t len)
{
    const char *s = data, *end = data + len;
    ctl_status st = CTL_OK;
    sh->line = 0;
    while (s < end && st == CTL_OK) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        sh->line++;
        const char *a = s;
        size_t n = (size_t)(e - s);
        s = e < end ? e + 1 : e;
        while (n && is_ws(a[n - 1])) n--;
        while (n && is_ws(*a)) {
            a++;
            n--;
        }
        if (!n) continue;
        sh->ps.doc = a;
        sh->doc_len = n;
        sh->ps.line_base = sh->line - 1;
        if (*a != '{')
            return ctl_fail(sctx(sh), CTL_D_NOT_A_LIST, sh->ps.file, sh->line, "not a control list: each JSON Lines "
                            "line must be an object");
        const char *ve = skip_value(a, a + n);
        if (!ve || ve != a + n) return malformed(sh, ve ? ve : a);
        if (!sh->emit && sh->n_objects == sh->max_objects)
            return ctl_limit_fail(sctx(sh), sh->ps.file, sh->line, CTL_LIMIT_ITEMS, "more than the limit of %zu "
                                  "items", sh->max_objects);
        st = shapes_unit(sh, a, n);
    }
    return st;
}

static ctl_status shapes_pass(shapes *sh, const char *data, size_t len)
{
    if (sh->lines) return shapes_lines(sh, data, len);
    sh->ps.doc = data;
    sh->doc_len = len;
    const char *a = skip_ws(data, data + len), *e = skip_value(a, data + len);
    if (!e || skip_ws(e, data + len) != data + len) return malformed(sh, e ? e : a);
    return shapes_unit(sh, a, (size_t)(e - a));
}

/* Arrays of objects, JSON Lines of objects, outlines: see above. */
static ctl_status read_shapes(ctl_ctx *ctx, const ctl_input *in, const char *data, size_t len,
                              const ctl_options *opts, ctl_sink *sink, int lines)
{
    shapes sh;
    memset(&sh, 0, sizeof sh);
    sh.ps = (parser){ctx, in->name, data, 0, ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY)};
    sh.opts = opts;
    sh.sink = sink;
    sh.lines = lines;
    sh.max_keys = ctl_limit_value(opts, CTL_LIMIT_COLUMNS);
    sh.max_objects = ctl_limit_value(opts, CTL_LIMIT_ITEMS);
    ctl_status st = shapes_pass(&sh, data, len);
    if (st == CTL_OK) groups_done(&sh);
    if (st == CTL_OK && !sh.n_units)
        st = ctl_fail(ctx, CTL_D_NO_ROWS, in->name, 0, "no control rows: %s", lines ? "no lines" : "the array is empty");
    if (st == CTL_OK)
        st = ctl_check_column_maps(ctx, opts, in->name, 0, (const char *const *)sh.meta.columns, sh.meta.n_columns);
    if (st == CTL_OK && !sh.outline) {
        st = read_records(&sh, data, len);
        shapes_free(&sh);
        return st;
    }
    if (st == CTL_OK && !sh.named)
        st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, 0, "not a control list: no object has a key naming its id "
                      "(such as id, 項番, control_id, ref_id), nor one mapped onto the id");
    if (st == CTL_OK && (st = emit(sink, ctx, &sh.meta, 0)) == CTL_OK) {
        sh.emit = 1;
        if ((st = shapes_pass(&sh, data, len)) == CTL_OK && !sh.n_items)
            st = ctl_fail(ctx, CTL_D_NO_ROWS, in->name, 0, "no control rows: every object was skipped");
        if (st == CTL_OK) st = emit(sink, ctx, &sh.meta, 1);
    }
    shapes_free(&sh);
    return st;
}

/* Is the key token s[0..n) the string word? */
static int key_is(const char *s, size_t n, const char *word, size_t floor)
{
    size_t w = strlen(word);
    if (!memchr(s, '\\', n)) return n == w + 2 && !memcmp(s + 1, word, w);
    json_error_t err;
    int over;
    json_t *k = load(s, n, floor, &err, &over);
    int yes = json_is_string(k) && !strcmp(json_string_value(k), word);
    json_decref(k);
    return yes;
}

/* Is the document ctlconv's own: an object with a "format" or an "items"
 * key, or anything but an array or an object the lexical pass takes
 * apart (its reader words the error as it always did)? */
static int own_document(const char *data, size_t len, size_t floor)
{
    const char *p = skip_ws(data, data + len), *e = skip_value(p, data + len);
    if (p < data + len && *p == '[') return 0;
    if (!e || *p != '{') return 1;
    lex_iter li = {p, e, 0, NULL};
    member m;
    int r;
    while ((r = lex_next(&li, '}', &m)) == 1)
        if (key_is(m.key, m.key_len, "format", floor) || key_is(m.key, m.key_len, "items", floor)) return 1;
    return r < 0;
}

/* Column mappings are for JSON of other shapes: ctlconv's own names its
 * fields. */
static ctl_status own_takes_no_maps(ctl_ctx *ctx, const ctl_options *opts, const char *file)
{
    if (!opts || !opts->n_columns) return CTL_OK;
    return ctl_fail(ctx, CTL_D_NO_SUCH_COLUMN, file, 0, "no key '%s' to map: a ctlconv list names its own fields "
                    "(column mappings apply to arrays of objects, JSON Lines of objects and outlines)",
                    opts->columns[0].header);
}

static ctl_status json_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    size_t len = in->len;
    const char *data = skip_bom((const char *)in->data, &len);
    parser ps = {ctx, in->name, data, 0, ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY)};
    if (!own_document(data, len, ps.floor)) return read_shapes(ctx, in, data, len, opts, sink, 0);
    ctl_status own = own_takes_no_maps(ctx, opts, in->name);
    if (own != CTL_OK) return own;
    member mb[MAX_MEMBERS];
    size_t n;
    int whole = !top_members(data, data + len, mb, &n);
    ctl_status st = whole ? CTL_OK : read_streamed(&ps, mb, n, sink, &whole);
    return whole ? read_whole(&ps, data, len, sink) : st;
}

/* JSON Lines: parsed and delivered a line at a time. */
/* The first line that is not blank, trimmed; NULL when there is none. */
static const char *first_line(const char *s, size_t len, size_t *n)
{
    const char *end = s + len;
    while (s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        const char *a = skip_ws(s, e), *b = e;
        while (b > a && is_ws(b[-1])) b--;
        if (b > a) {
            *n = (size_t)(b - a);
            return a;
        }
        s = e < end ? e + 1 : e;
    }
    return NULL;
}

/* JSON Lines of records: a first line that is an object without
 * "format" (ctlconv's metadata line). */
static int jsonl_records(const char *s, size_t len, size_t floor)
{
    size_t n;
    const char *a = first_line(s, len, &n);
    if (!a || *a != '{') return 0;
    json_error_t err;
    int over;
    json_t *obj = load(a, n, floor, &err, &over);
    int yes = json_is_object(obj) && !json_object_get(obj, "format");
    json_decref(obj);
    return yes;
}

/* ctlconv's item lines without the metadata line (a chunk of a split
 * stream): read as items, not as records.  Taken for them only when every
 * line has exactly the keys the writer gives an item (jw_item), which no
 * export of records has ("refs", "category_value"). */
static const char *const written_keys[] = {"id", "label", "level", "parent", "refs", "title",
                                           "description", "category", "category_value", "answer", NULL};

static int item_shaped(json_t *obj)
{
    if (!json_is_object(obj)) return 0;
    size_t n = 0;
    for (; written_keys[n]; n++)
        if (!json_object_get(obj, written_keys[n])) return 0;
    return json_object_size(obj) == n + (json_object_get(obj, "extra") != NULL);
}

static int unplaced_line(json_t *obj)
{
    return json_is_object(obj) && json_object_size(obj) == 1 && json_object_get(obj, "unplaced_isms");
}

/* The metadata the items give: the scheme of the first reference, and
 * the names of the extra fields in the order first seen (at most max).
 * 0: no memory. */
static int meta_from_item(json_t *obj, ctl_meta *m, size_t max)
{
    json_t *sch = json_object_get(json_array_get(json_object_get(obj, "refs"), 0), "scheme");
    if (!m->ref_scheme && json_is_string(sch) && !(m->ref_scheme = ctl_strdup(json_string_value(sch)))) return 0;
    json_t *extra = json_object_get(obj, "extra");
    for (size_t i = 0; i < json_array_size(extra); i++) {
        const char *name = json_string_value(json_object_get(json_array_get(extra, i), "name"));
        size_t k = 0;
        while (name && k < m->n_columns && strcmp(m->columns[k], name)) k++;
        if (!name || k < m->n_columns || m->n_columns >= max) continue;
        char **v = ctl_realloc(m->columns, (m->n_columns + 1) * sizeof *v);
        if (!v) return 0;
        m->columns = v;
        if (!(v[m->n_columns] = ctl_strdup(name))) return 0;
        m->n_columns++;
    }
    return 1;
}

/* Are the lines of s[0..len) (the whole input, or a streamed input's
 * first part) ctlconv's items without the metadata line, an unplaced_isms
 * line possibly closing them?  1 with the metadata they give (*m); 0;
 * -1: no memory. */
static int bare_items(const char *s, size_t len, size_t floor, size_t max_columns, ctl_meta *m)
{
    const char *end = s + len;
    size_t items = 0;
    int tail = 0, yes = 1;
    while (yes && s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        const char *a = skip_ws(s, e), *b = e;
        while (b > a && is_ws(b[-1])) b--;
        s = e < end ? e + 1 : e;
        if (a == b) continue;
        json_error_t err;
        int over;
        json_t *obj = tail ? NULL : load(a, (size_t)(b - a), floor, &err, &over);
        if (item_shaped(obj)) {
            items++;
            if (!meta_from_item(obj, m, max_columns)) yes = -1;
        } else {
            tail = unplaced_line(obj);
            yes = tail && items;
        }
        json_decref(obj);
    }
    return items ? yes : 0;
}

/* The warning that item lines came without the metadata line. */
static ctl_status bare_begin(ctl_ctx *ctx, const char *file, long line, const ctl_meta *m)
{
    return ctl_warn(ctx, CTL_D_NO_METADATA, file, line, "JSON Lines of ctlconv's items without the metadata "
                    "line (a chunk of a split stream?): read as items, with no title, note or annex; the "
                    "reference scheme (%s) and the extra columns taken from the items",
                    *ctl_str(m->ref_scheme) ? m->ref_scheme : "none");
}

static ctl_status jsonl_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    size_t floor = ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY);
    size_t len = in->len;
    const char *s = skip_bom((const char *)in->data, &len);
    ctl_meta m;
    memset(&m, 0, sizeof m);
    int records = jsonl_records(s, len, floor), bare = 0;
    /* with column mappings, lines of ctlconv's items are records too */
    if (records && !(opts && opts->n_columns) &&
        (bare = bare_items(s, len, floor, ctl_limit_value(opts, CTL_LIMIT_COLUMNS), &m)) <= 0) {
        ctl_meta_clear(&m);
        if (bare < 0) return ctl_nomem(ctx);
    }
    if (records && !bare) {
        /* records are read in two passes: over the whole input */
        const char *all = s;
        size_t n_all = len;
        ctl_status got = in->stream ? ctl_stream_slurp(ctx, in->stream, &all, &n_all) : CTL_OK;
        if (got != CTL_OK) return got;
        if (in->stream) all = skip_bom(all, &n_all);
        return read_shapes(ctx, in, all, n_all, opts, sink, 1);
    }
    ctl_status own = own_takes_no_maps(ctx, opts, in->name);
    if (own != CTL_OK) return own;
    ctl_status st = CTL_OK;
    long line = 0;
    size_t n_items = 0;
    int have_meta = 0, have_tail = 0;
    ctl_stream mem, *src = in->stream;
    if (!src) ctl_stream_memory(src = &mem, in->name, s, len);
    while (st == CTL_OK) {
        const char *a;
        size_t n;
        if ((st = ctl_stream_line(ctx, src, 0, &a, &n)) != CTL_OK || !n) break;
        if (a[n - 1] == '\n') n--;
        if (!line && in->stream) a = skip_bom(a, &n);
        line++;
        while (n && (a[n - 1] == '\r' || a[n - 1] == ' ' || a[n - 1] == '\t')) n--;
        while (n && (*a == ' ' || *a == '\t')) { a++; n--; }
        if (!n) continue;
        parser ps = {ctx, in->name, a, line - 1, floor};
        json_t *obj = parse(&ps, a, n);
        if (!obj) { st = ctl_error_status(ctx); break; }
        where w = {ctx, in->name, line, NULL};
        if (bare && !have_meta) {
            have_meta = 1;
            if ((st = bare_begin(ctx, in->name, line, &m)) == CTL_OK) st = emit(sink, ctx, &m, 0);
        }
        if (st != CTL_OK) {
            /* the metadata was not taken: nothing more */
        } else if (!json_is_object(obj)) {
            st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, line, "not a control list: each JSON Lines line "
                          "must be an object");
        } else if (!have_meta) {
            have_meta = 1;
            if (json_object_get(obj, "id") || !json_object_get(obj, "format"))
                st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, line, "not a control list: the first line must "
                              "hold the metadata ({\"format\": \"ctlconv-list\", ...})");
            else if ((st = meta_from_json(&w, obj, &m, 0)) == CTL_OK)
                st = emit(sink, ctx, &m, 0);
        } else if (have_tail) {
            st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, line, "a line after the unplaced references, "
                          "which must come last");
        } else if (json_object_size(obj) == 1 && json_object_get(obj, "unplaced_isms")) {
            have_tail = 1;
            st = get_refs(&w, json_object_get(obj, "unplaced_isms"), "the document", &m.unplaced, &m.n_unplaced);
        } else if (bare && !item_shaped(obj)) {
            st = ctl_fail(ctx, CTL_D_BAD_STRUCTURE, in->name, line, "JSON Lines without the metadata line: "
                          "this line does not have the keys of ctlconv's items, as the lines before it, which "
                          "were read as items (put the metadata line first)");
        } else {
            ctl_item it;
            ctl_item_init(&it);
            st = item_from_json(&w, obj, n_items, &it);
            it.pos.file = in->name;
            it.pos.line = line;
            if (st == CTL_OK) st = sink->item(sink, ctx, &it);
            ctl_item_clear(&it);
            n_items++;
        }
        json_decref(obj);
    }
    if (st == CTL_OK && !have_meta)
        st = ctl_fail(ctx, CTL_D_EMPTY_INPUT, in->name, 0, "empty input: no control list in it");
    if (st == CTL_OK && !n_items)
        st = ctl_fail(ctx, CTL_D_NO_ROWS, in->name, 0, "no control rows: no item lines after the metadata");
    if (st == CTL_OK) st = emit(sink, ctx, &m, 1);
    ctl_meta_clear(&m);
    return st;
}

/* An object whose first key is quoted, or an array whose first element
 * is an object: a JSON document (80); any other '{' or '[' only maybe
 * (30), so that a text whose title starts with '[' is still read as
 * text. */
static int json_probe(const char *data, size_t len)
{
    const char *s = skip_bom(data, &len);
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    if (i >= len || (s[i] != '{' && s[i] != '[')) return 0;
    size_t j = i + 1;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n')) j++;
    if (s[i] == '[') return j < len && s[j] == '{' ? 80 : 30;
    return j < len && (s[j] == '"' || s[j] == '}') ? 80 : 30;
}

/* A first line that is a whole object with "format": JSON Lines (95).
 * One without "format" or "items" followed by a line that opens another
 * object: JSON Lines of records (90; a JSON document bids 80). */
static int jsonl_probe(const char *data, size_t len)
{
    const char *s = skip_bom(data, &len);
    const char *e = memchr(s, '\n', len);
    size_t n = e ? (size_t)(e - s) : len;
    if (!n || s[0] != '{' || n > ((size_t)1 << 20)) return 0;
    json_error_t err;
    int over;
    json_t *obj = load(s, n, ctl_limit_default(CTL_LIMIT_JSON_MEMORY), &err, &over);
    int yes = obj && json_is_object(obj) && !json_object_get(obj, "items");
    int own = yes && json_object_get(obj, "format");
    json_decref(obj);
    if (own) return 95;
    size_t rest;
    const char *next = yes && e ? first_line(e + 1, len - n - 1, &rest) : NULL;
    return next && *next == '{' ? 90 : 0;
}

static const char *const json_ext[] = {"json", NULL};
static const char *const jsonl_ext[] = {"jsonl", "ndjson", NULL};

const ctl_format ctl_format_json = {
    .name = "json",
    .description = "JSON: ctlconv's document (schema: formats/ctlconv-2.schema.json), arrays of objects, outlines",
    .extensions = json_ext,
    .options = CTL_READS_COLUMNS,
    .probe = json_probe,
    .read = json_read,
    .writer = json_writer_new,
};

const ctl_format ctl_format_jsonl = {
    .name = "jsonl",
    .description = "JSON Lines: metadata, then one item per line (streaming); or one object per line",
    .extensions = jsonl_ext,
    .options = CTL_READS_COLUMNS,
    .probe = jsonl_probe,
    .read = jsonl_read,
    .streams = 1,
    .writer = jsonl_writer_new,
};
