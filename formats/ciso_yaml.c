/* SPDX-License-Identifier: BSD-2-Clause */
/* CISO Assistant library YAML (-t/-f ciso-yaml): the library tree of
 * formats/ciso.c as YAML text, both ways, with libyaml.
 *
 * Writer: libyaml's emitter, UTF-8 with Unicode as it is (Japanese stays
 * readable), block style as CISO Assistant's own libraries (PyYAML's
 * layout: indentless lists under a key, lines folded at 80); a string a
 * YAML 1.1 reader would take for another type ("4", "yes", "null", "") is
 * quoted; text with line breaks is a literal block where YAML can keep it
 * exactly, else double-quoted with escapes.
 *
 * Reader: libyaml's event parser into the tree, hardened: one document, no
 * duplicate keys, scalar keys only, YAML's own tags only, nesting of at
 * most MAX_DEPTH (a fixed limit), anchors and aliases shared rather than
 * copied and the document with its aliases expanded held to the
 * input-size limit (an alias bomb is refused before it costs anything).
 * Plain scalars resolve as PyYAML's safe_load does for null, booleans and
 * decimal integers; any other scalar is a string as written. */
#include "ciso.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <yaml.h>

enum { MAX_DEPTH = 256 };

/* -------------------------------------------------------------- reading */

typedef struct {
    json_t *node;      /* the mapping or sequence being filled */
    char *key;         /* a mapping's key waiting for its value */
    size_t start;      /* where it starts (characters) */
    size_t expanded;   /* what the aliases in it add */
    char *anchor;      /* its anchor, or NULL */
} frame;

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    yaml_parser_t parser;
    frame stack[MAX_DEPTH];
    size_t depth;
    json_t *anchors;   /* anchor -> [node, its size with its aliases expanded] */
    json_t *root;
    size_t size, max;  /* the document's size with its aliases expanded; the limit */
    int documents;
} yreader;

static ctl_status malformed(yreader *y, const char *what, long line, long column)
{
    return ctl_fail(y->ctx, CTL_D_MALFORMED_YAML, y->file, line, "YAML: %s (column %ld)", what, column);
}

static ctl_status refuse(yreader *y, const yaml_event_t *e, const char *what)
{
    return ctl_fail(y->ctx, CTL_D_BAD_STRUCTURE, y->file, (long)e->start_mark.line + 1, "YAML: %s (column %ld)",
                    what, (long)e->start_mark.column + 1);
}

/* The plain scalars PyYAML's safe_load takes for another type than text. */
static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
static const char *const falses[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};

static int one_of(const char *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, v[i])) return 1;
    return 0;
}

/* A scalar as the tree holds it. */
static json_t *scalar_value(const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    const char *tag = (const char *)e->data.scalar.tag;
    int text = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (tag && (!strcmp(tag, "!") ||
                                                                           !strcmp(tag, YAML_STR_TAG)));
    if (!text && strlen(s) == n) {
        if (one_of(s, nulls, sizeof nulls / sizeof *nulls)) return json_null();
        if (one_of(s, trues, sizeof trues / sizeof *trues)) return json_true();
        if (one_of(s, falses, sizeof falses / sizeof *falses)) return json_false();
        const char *d = s + (*s == '-' || *s == '+');
        if (*d && (*d != '0' || !d[1]) && strspn(d, "0123456789") == strlen(d)) {
            errno = 0;
            long long v = strtoll(s, NULL, 10);
            if (!errno) return json_integer((json_int_t)v);
        }
    }
    return json_stringn(s, n);
}

/* Is a tag none, or one of YAML's own types? */
static int tag_ok(const yaml_char_t *tag)
{
    static const char *const types[] = {"str", "int", "float", "bool", "null", "timestamp", "map", "seq"};
    const char *t = (const char *)tag;
    if (!t || !strcmp(t, "!")) return 1;
    if (strncmp(t, "tag:yaml.org,2002:", 18)) return 0;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(t + 18, types[i])) return 1;
    return 0;
}

/* Puts value (taken) where the innermost collection wants it. */
static ctl_status place(yreader *y, const yaml_event_t *e, json_t *value)
{
    if (!value) return ctl_nomem(y->ctx);
    if (!y->depth) {
        y->root = value;
        return CTL_OK;
    }
    frame *f = &y->stack[y->depth - 1];
    if (json_is_array(f->node)) return json_array_append_new(f->node, value) ? ctl_nomem(y->ctx) : CTL_OK;
    if (!f->key) {
        json_decref(value);
        return refuse(y, e, "a mapping key that is no scalar");
    }
    char *key = f->key;
    f->key = NULL;
    ctl_status st = CTL_OK;
    if (json_object_get(f->node, key)) {
        char what[160];
        snprintf(what, sizeof what, "the key '%.100s' twice in one mapping", key);
        st = refuse(y, e, what);
        json_decref(value);
    } else if (json_object_set_new(f->node, key, value)) {
        st = ctl_nomem(y->ctx);
    }
    ctl_free(key);
    return st;
}

/* Is the innermost collection a mapping waiting for a key? */
static int wants_key(const yreader *y)
{
    return y->depth && json_is_object(y->stack[y->depth - 1].node) && !y->stack[y->depth - 1].key;
}

/* Remembers an anchor's node and its size with its aliases expanded. */
static ctl_status anchor(yreader *y, const char *name, json_t *node, size_t size)
{
    json_t *a = json_pack("[OI]", node, (json_int_t)size);
    if (!a || json_object_set_new(y->anchors, name, a)) return ctl_nomem(y->ctx);
    return CTL_OK;
}

static ctl_status on_scalar(yreader *y, const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    if (!tag_ok(e->data.scalar.tag)) return refuse(y, e, "a tag ctlconv does not read");
    if (wants_key(y)) {
        if (strlen(s) != e->data.scalar.length) return refuse(y, e, "a key that holds a NUL character");
        if (e->data.scalar.anchor) return refuse(y, e, "an anchor on a key");
        return (y->stack[y->depth - 1].key = ctl_strdup(s)) ? CTL_OK : ctl_nomem(y->ctx);
    }
    json_t *v = scalar_value(e);
    if (v && e->data.scalar.anchor) {
        ctl_status st = anchor(y, (const char *)e->data.scalar.anchor, v, e->end_mark.index - e->start_mark.index);
        if (st != CTL_OK) {
            json_decref(v);
            return st;
        }
    }
    return place(y, e, v);
}

static ctl_status on_start(yreader *y, const yaml_event_t *e, int mapping)
{
    const yaml_char_t *tag = mapping ? e->data.mapping_start.tag : e->data.sequence_start.tag;
    const yaml_char_t *name = mapping ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
    if (!tag_ok(tag)) return refuse(y, e, "a tag ctlconv does not read");
    if (wants_key(y)) return refuse(y, e, "a mapping key that is no scalar");
    if (y->depth == MAX_DEPTH)
        return ctl_fail(y->ctx, CTL_D_FIXED_LIMIT, y->file, (long)e->start_mark.line + 1, "YAML nested deeper than "
                        "%d levels: ctlconv's fixed limit", MAX_DEPTH);
    frame *f = &y->stack[y->depth];
    memset(f, 0, sizeof *f);
    f->start = e->start_mark.index;
    if (!(f->node = mapping ? json_object() : json_array()) || (name && !(f->anchor = ctl_strdup((const char *)name)))) {
        json_decref(f->node);
        return ctl_nomem(y->ctx);
    }
    y->depth++;
    return CTL_OK;
}

static ctl_status on_end(yreader *y, const yaml_event_t *e)
{
    frame f = y->stack[--y->depth];
    ctl_free(f.key);
    ctl_status st = CTL_OK;
    if (f.anchor) st = anchor(y, f.anchor, f.node, e->end_mark.index - f.start + f.expanded);
    ctl_free(f.anchor);
    if (y->depth) y->stack[y->depth - 1].expanded += f.expanded;
    if (st != CTL_OK) {
        json_decref(f.node);
        return st;
    }
    return place(y, e, f.node);
}

static ctl_status on_alias(yreader *y, const yaml_event_t *e, const ctl_options *opts)
{
    if (wants_key(y)) return refuse(y, e, "an alias as a key");
    json_t *a = json_object_get(y->anchors, (const char *)e->data.alias.anchor);
    if (!a) return refuse(y, e, "an alias to no anchor before it");
    size_t size = (size_t)json_integer_value(json_array_get(a, 1));
    if (size > y->max - y->size) {
        size_t limit = ctl_limit_value(opts, CTL_LIMIT_INPUT_SIZE);
        return ctl_limit_fail(y->ctx, y->file, (long)e->start_mark.line + 1, CTL_LIMIT_INPUT_SIZE,
                              "YAML aliases that would expand the document past %zu bytes", limit);
    }
    y->size += size;
    if (y->depth) y->stack[y->depth - 1].expanded += size;
    return place(y, e, json_incref(json_array_get(a, 0)));
}

static ctl_status on_event(yreader *y, const yaml_event_t *e, const ctl_options *opts)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        return y->documents++ ? refuse(y, e, "a second YAML document in the stream") : CTL_OK;
    case YAML_SCALAR_EVENT: return on_scalar(y, e);
    case YAML_SEQUENCE_START_EVENT: return on_start(y, e, 0);
    case YAML_MAPPING_START_EVENT: return on_start(y, e, 1);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return on_end(y, e);
    case YAML_ALIAS_EVENT: return on_alias(y, e, opts);
    default: return CTL_OK;
    }
}

/* The parser's error; a reader error (bytes that are no UTF-8, a control
 * character) has a byte offset instead of a line. */
static ctl_status parse_error(yreader *y, const unsigned char *data, size_t len)
{
    yaml_parser_t *p = &y->parser;
    const char *what = p->problem ? p->problem : "not well-formed";
    if (p->error == YAML_MEMORY_ERROR) return ctl_nomem(y->ctx);
    if (p->error != YAML_READER_ERROR)
        return malformed(y, what, (long)p->problem_mark.line + 1, (long)p->problem_mark.column + 1);
    size_t at = p->problem_offset < len ? p->problem_offset : len;
    long line = 1, column = 1;
    for (size_t i = 0; i < at; i++, column++)
        if (data[i] == '\n') line++, column = 0;
    return ctl_fail(y->ctx, CTL_D_MALFORMED_YAML, y->file, line, "YAML: %s (0x%02X at byte offset %zu, column %ld)",
                    what, (unsigned)p->problem_value, at, column);
}

/* The YAML document in data as a tree (*tree: the caller's). */
static ctl_status yaml_to_tree(ctl_ctx *ctx, const char *name, const unsigned char *data, size_t len,
                               const ctl_options *opts, json_t **tree)
{
    yreader *y = ctl_malloc(sizeof *y);
    *tree = NULL;
    if (!y) return ctl_nomem(ctx);
    memset(y, 0, sizeof *y);
    y->ctx = ctx;
    y->file = name;
    y->size = len;
    y->max = ctl_limit_value(opts, CTL_LIMIT_INPUT_SIZE);
    if (y->max < len) y->max = len;
    ctl_status st = CTL_OK;
    if (!(y->anchors = json_object()) || !yaml_parser_initialize(&y->parser)) {
        json_decref(y->anchors);
        ctl_free(y);
        return ctl_nomem(ctx);
    }
    yaml_parser_set_input_string(&y->parser, data, len);
    yaml_parser_set_encoding(&y->parser, YAML_UTF8_ENCODING);
    for (int done = 0; st == CTL_OK && !done;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&y->parser, &e)) {
            st = parse_error(y, data, len);
            break;
        }
        done = e.type == YAML_STREAM_END_EVENT;
        st = on_event(y, &e, opts);
        yaml_event_delete(&e);
    }
    while (y->depth) {
        frame *f = &y->stack[--y->depth];
        json_decref(f->node);
        ctl_free(f->key);
        ctl_free(f->anchor);
    }
    if (st == CTL_OK) *tree = y->root;
    else json_decref(y->root);
    yaml_parser_delete(&y->parser);
    json_decref(y->anchors);
    ctl_free(y);
    return st;
}

static ctl_status ciso_yaml_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    json_t *tree = NULL;
    ctl_status st = yaml_to_tree(ctx, in->name, in->data, in->len, opts, &tree);
    if (st == CTL_OK && !json_is_object(tree))
        st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, 0, "not a CISO Assistant library: the YAML document is %s, "
                      "not a mapping", tree ? "a scalar or a list" : "empty");
    if (st == CTL_OK) st = ctl_ciso_read_tree(ctx, tree, in->name, opts, sink);
    json_decref(tree);
    return st;
}

/* -------------------------------------------------------------- writing */

typedef struct {
    ctl_ctx *ctx;
    FILE *out;
    const char *name;
    yaml_emitter_t em;
    int io_failed; /* the errno of the first failed write, 0 while none */
} ywriter;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    ywriter *w = data;
    if (!w->io_failed) w->io_failed = ctl_write_err(w->out, (const char *)buffer, size);
    return !w->io_failed;
}

static ctl_status emit_failed(ywriter *w)
{
    if (w->io_failed) return ctl_write_failed(w->ctx, w->name, w->io_failed);
    if (w->em.error == YAML_MEMORY_ERROR) return ctl_nomem(w->ctx);
    return ctl_fail(w->ctx, CTL_D_INTERNAL, w->name, 0, "cannot write YAML: %s",
                    w->em.problem ? w->em.problem : "libyaml failed");
}

static int emit(ywriter *w, yaml_event_t *e)
{
    return yaml_emitter_emit(&w->em, e);
}

/* Would a YAML 1.1 reader (PyYAML) take the plain scalar s for anything
 * but this text?  Then it is quoted. */
static int looks_typed(const char *s)
{
    static const char *const words[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "<<", "="};
    if (!*s || strchr("0123456789+-.~", *s)) return 1;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcasecmp(s, words[i])) return 1;
    return 0;
}

static ctl_status emit_string(ywriter *w, const char *s, size_t n)
{
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    /* line breaks YAML would not give back as they are (NEL, LS, PS, CR):
     * escaped; LF alone: a literal block, if libyaml can keep it exactly */
    if (memmem(s, n, "\xC2\x85", 2) || memmem(s, n, "\xE2\x80\xA8", 3) || memmem(s, n, "\xE2\x80\xA9", 3) ||
        memchr(s, '\r', n))
        style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    else if (memchr(s, '\n', n))
        style = YAML_LITERAL_SCALAR_STYLE;
    yaml_event_t e;
    if (n > INT_MAX)
        return ctl_fail(w->ctx, CTL_D_FIXED_LIMIT, w->name, 0, "a text of %zu bytes: libyaml writes at most %d",
                        n, INT_MAX);
    if (!yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)n, !looks_typed(s), 1, style))
        return ctl_fail(w->ctx, CTL_D_INTERNAL, w->name, 0, "cannot write YAML: a text that is no UTF-8");
    return emit(w, &e) ? CTL_OK : emit_failed(w);
}

static ctl_status emit_plain(ywriter *w, const char *s)
{
    yaml_event_t e;
    if (!yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                      YAML_PLAIN_SCALAR_STYLE))
        return ctl_nomem(w->ctx);
    return emit(w, &e) ? CTL_OK : emit_failed(w);
}

static ctl_status emit_node(ywriter *w, const json_t *v)
{
    yaml_event_t e;
    char num[40];
    ctl_status st = CTL_OK;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (!yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) || !emit(w, &e))
            return emit_failed(w);
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) {
            if ((st = emit_string(w, k, strlen(k))) != CTL_OK || (st = emit_node(w, x)) != CTL_OK) return st;
        }
        yaml_mapping_end_event_initialize(&e);
        return emit(w, &e) ? CTL_OK : emit_failed(w);
    }
    case JSON_ARRAY: {
        if (!yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) || !emit(w, &e))
            return emit_failed(w);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if ((st = emit_node(w, x)) != CTL_OK) return st;
        }
        yaml_sequence_end_event_initialize(&e);
        return emit(w, &e) ? CTL_OK : emit_failed(w);
    }
    case JSON_STRING: return emit_string(w, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return emit_plain(w, num);
    case JSON_REAL: snprintf(num, sizeof num, "%.17g", json_real_value(v)); return emit_plain(w, num);
    case JSON_TRUE: return emit_plain(w, "true");
    case JSON_FALSE: return emit_plain(w, "false");
    default: return emit_plain(w, "null");
    }
}

/* Writes the library tree as YAML (ctl_ciso_emit_fn). */
static ctl_status tree_to_yaml(ctl_ctx *ctx, const json_t *lib, FILE *out, const char *out_name,
                               const ctl_options *opts)
{
    (void)opts;
    ywriter w = {.ctx = ctx, .out = out, .name = out_name};
    if (!yaml_emitter_initialize(&w.em)) return ctl_nomem(ctx);
    yaml_emitter_set_output(&w.em, write_handler, &w);
    yaml_emitter_set_unicode(&w.em, 1);
    yaml_emitter_set_indent(&w.em, 2);
    yaml_emitter_set_width(&w.em, 80);
    yaml_emitter_set_break(&w.em, YAML_LN_BREAK);
    yaml_event_t e;
    ctl_status st = CTL_OK;
    if (!yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING) || !emit(&w, &e) ||
        !yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1) || !emit(&w, &e))
        st = emit_failed(&w);
    if (st == CTL_OK) st = emit_node(&w, lib);
    if (st == CTL_OK && (!yaml_document_end_event_initialize(&e, 1) || !emit(&w, &e) ||
                         !yaml_stream_end_event_initialize(&e) || !emit(&w, &e) || !yaml_emitter_flush(&w.em)))
        st = emit_failed(&w);
    if (st == CTL_OK && w.io_failed) st = emit_failed(&w);
    yaml_emitter_delete(&w.em);
    return st;
}

static ctl_status ciso_yaml_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                                   ctl_sink **sink)
{
    return ctl_ciso_writer(ctx, out, out_name, opts, tree_to_yaml, sink);
}

/* ---------------------------------------------------------- detection */

/* A library: lines at the left margin "urn: urn:...:risk:library:..." and
 * "objects:" in the first 64 KiB. */
static int ciso_yaml_probe(const char *data, size_t len)
{
    size_t n = len < 65536 ? len : 65536;
    size_t i = n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    int urn = 0, objects = 0;
    while (i < n) {
        const char *line = data + i, *nl = memchr(line, '\n', n - i);
        size_t ll = nl ? (size_t)(nl - line) : n - i;
        if (ll > 9 && !memcmp(line, "urn: urn:", 9) && memmem(line, ll, ":risk:library:", 14)) urn = 1;
        if (ll >= 8 && !memcmp(line, "objects:", 8)) objects = 1;
        i += ll + 1;
    }
    return urn && objects ? 90 : urn ? 60 : 0;
}

static const char *const yaml_ext[] = {"yaml", "yml", NULL};

const ctl_format ctl_format_ciso_yaml = {
    .name = "ciso-yaml",
    .loses = CTL_LOSES_ANSWERS | CTL_LOSES_CATEGORIES | CTL_LOSES_EXTRAS | CTL_LOSES_LABELS | CTL_LOSES_UNPLACED |
             CTL_LOSES_REFS,
    .description = "CISO Assistant library YAML: a framework and mapping sets to ISO/IEC 27001 (answers, "
                   "category words, extra columns, other references left out)",
    .extensions = yaml_ext,
    .options = CTL_WRITES_DOC_VERSION | CTL_WRITES_LIBRARY,
    .probe = ciso_yaml_probe,
    .read = ciso_yaml_read,
    .writer = ciso_yaml_writer,
};
