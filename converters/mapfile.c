/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping files: what describes one source (format, encoding, sheet,
 * columns, reference scheme, hierarchy, headings, bad rows, category
 * words), read from KEY = VALUE lines and applied to options.  The format
 * of the file is documented at ctl_map in ctlconv.h. */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

struct ctl_map {
    const ctl_format *format;
    char *encoding, *sheet, *ref_scheme;
    char delimiter;                 /* 0: not set */
    int skip_bad_rows;              /* -1: not set */
    int make_headings, has_headings;
    ctl_hierarchy_source hierarchy;
    int has_hierarchy;
    ctl_column_map *columns;        /* headers owned */
    long *column_line;              /* the line of each */
    size_t n_columns;
    ctl_category_map *categories;  /* words owned */
    size_t n_categories;
    /* what ctl_map_apply made: the caller's entries, then the map's */
    ctl_column_map *merged_columns;
    ctl_category_map *merged_categories;
};

/* The state of a parse: where we are, and the line each key was set on
 * (for "given twice" errors). */
enum { K_FORMAT, K_ENCODING, K_DELIMITER, K_SHEET, K_SCHEME, K_HIERARCHY, K_HEADINGS, K_SKIP, K_COUNT };

typedef struct {
    ctl_ctx *ctx;
    const char *name;
    long line;
    ctl_map *map;
    long key_line[K_COUNT];
    long field_line[CTL_FIELD_PARENT + 1];
    long *category_line;            /* one per map->categories entry */
} parse;

static ctl_status bad(parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static ctl_status bad(parse *p, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctl_fail(p->ctx, CTL_D_BAD_MAP, p->name, p->line, "%s", msg);
}

/* The value, clipped for a message. */
#define SHOWN(v, n) (int)ctl_utf8_clip((v), (n), 60), (v)

static int is(const char *v, size_t n, const char *word)
{
    return strlen(word) == n && !strncasecmp(v, word, n);
}

static ctl_status set_string(parse *p, char **dst, const char *v, size_t n)
{
    if (!(*dst = ctl_strndup(v, n))) return ctl_nomem(p->ctx);
    return CTL_OK;
}

static ctl_status set_format(parse *p, const char *v, size_t n)
{
    char names[256];
    if ((p->map->format = ctl_reading_format(v, n, names, sizeof names))) return CTL_OK;
    return bad(p, "format '%.*s' is not one ctlconv reads (%s)", SHOWN(v, n), names);
}

/* An encoding the decoder knows: tried on one byte with a scratch context. */
static ctl_status set_encoding(parse *p, const char *v, size_t n)
{
    char *enc = ctl_strndup(v, n);
    ctl_ctx *scratch = ctl_ctx_new();
    if (!enc || !scratch) {
        ctl_free(enc);
        ctl_ctx_free(scratch);
        return ctl_nomem(p->ctx);
    }
    char *out = NULL;
    size_t out_len;
    const char *used;
    ctl_status st = ctl_decode(scratch, NULL, (const unsigned char *)"a", 1, enc, &out, &out_len, &used);
    ctl_diag code = ctl_error_code(scratch);
    ctl_free(out);
    ctl_ctx_free(scratch);
    if (st == CTL_ENOMEM) {
        ctl_free(enc);
        return ctl_nomem(p->ctx);
    }
    if (code == CTL_D_UNKNOWN_ENCODING) {
        ctl_free(enc);
        return bad(p, "encoding '%.*s' is not one iconv knows (UTF-8, CP932, EUC-JP-MS, ...; see iconv -l)",
                   SHOWN(v, n));
    }
    p->map->encoding = enc;
    return CTL_OK;
}

static ctl_status set_delimiter(parse *p, const char *v, size_t n)
{
    if (is(v, n, ",") || is(v, n, "comma")) p->map->delimiter = ',';
    else if (is(v, n, ";") || is(v, n, "semicolon")) p->map->delimiter = ';';
    else if (is(v, n, "tab")) p->map->delimiter = '\t';
    else return bad(p, "delimiter takes ',', ';' or 'tab', not '%.*s'", SHOWN(v, n));
    return CTL_OK;
}

static ctl_status set_sheet(parse *p, const char *v, size_t n)
{
    return set_string(p, &p->map->sheet, v, n);
}

/* A scheme ctlconv knows (canonical name), or a name of its own. */
static ctl_status set_scheme(parse *p, const char *v, size_t n)
{
    const char *known = ctl_scheme_name(v, n);
    if (known) return set_string(p, &p->map->ref_scheme, known, strlen(known));
    int shaped = n <= 64 && v[0] >= 'a' && v[0] <= 'z';
    for (size_t i = 0; shaped && i < n; i++)
        shaped = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-';
    if (!shaped)
        return bad(p, "ref-scheme '%.*s' is no scheme: iso27001-2013, iso27001-2022, iso27002-2013, "
                   "iso27002-2022, iso27017-2015, nist-sp800-53, or a name of lower-case letters, "
                   "digits and '-'", SHOWN(v, n));
    return set_string(p, &p->map->ref_scheme, v, n);
}

static ctl_status set_hierarchy(parse *p, const char *v, size_t n)
{
    ctl_hierarchy_source h;
    if (is(v, n, "auto")) h = CTL_HIERARCHY_AUTO;
    else if (is(v, n, "level")) h = CTL_HIERARCHY_LEVEL;
    else if (is(v, n, "parent")) h = CTL_HIERARCHY_PARENT;
    else if (is(v, n, "ids")) h = CTL_HIERARCHY_IDS;
    else return bad(p, "hierarchy takes auto, level, parent or ids, not '%.*s'", SHOWN(v, n));
    p->map->hierarchy = h;
    p->map->has_hierarchy = 1;
    return CTL_OK;
}

/* yes/no: 1, 0; -1 for any other word. */
static int yes_no(const char *v, size_t n)
{
    if (is(v, n, "yes") || is(v, n, "true") || is(v, n, "on")) return 1;
    if (is(v, n, "no") || is(v, n, "false") || is(v, n, "off")) return 0;
    return -1;
}

static ctl_status set_headings(parse *p, const char *v, size_t n)
{
    int yn = yes_no(v, n);
    if (is(v, n, "auto")) p->map->make_headings = 0;
    else if (yn >= 0) p->map->make_headings = yn ? 1 : -1;
    else return bad(p, "headings takes auto, yes or no, not '%.*s'", SHOWN(v, n));
    p->map->has_headings = 1;
    return CTL_OK;
}

static ctl_status set_skip(parse *p, const char *v, size_t n)
{
    int yn = yes_no(v, n);
    if (yn < 0) return bad(p, "skip-bad-rows takes yes or no, not '%.*s'", SHOWN(v, n));
    p->map->skip_bad_rows = yn;
    return CTL_OK;
}

static const struct {
    const char *key;
    ctl_status (*set)(parse *p, const char *v, size_t n);
} plain_keys[K_COUNT] = {
    [K_FORMAT] = {"format", set_format},
    [K_ENCODING] = {"encoding", set_encoding},
    [K_DELIMITER] = {"delimiter", set_delimiter},
    [K_SHEET] = {"sheet", set_sheet},
    [K_SCHEME] = {"ref-scheme", set_scheme},
    [K_HIERARCHY] = {"hierarchy", set_hierarchy},
    [K_HEADINGS] = {"headings", set_headings},
    [K_SKIP] = {"skip-bad-rows", set_skip},
};

static const struct {
    const char *name;
    ctl_field_kind field;
} field_names[] = {
    {"id", CTL_FIELD_ID},       {"label", CTL_FIELD_LABEL},
    {"level", CTL_FIELD_LEVEL}, {"parent", CTL_FIELD_PARENT},
    {"refs", CTL_FIELD_ISMS},   {"isms", CTL_FIELD_ISMS},
    {"references", CTL_FIELD_ISMS}, {"title", CTL_FIELD_TITLE},
    {"description", CTL_FIELD_DESCRIPTION}, {"category", CTL_FIELD_CATEGORY},
    {"answer", CTL_FIELD_ANSWER}, {"extra", CTL_FIELD_NONE},
};

static const char *field_name(ctl_field_kind f)
{
    for (size_t i = 0; i < sizeof field_names / sizeof *field_names; i++)
        if (field_names[i].field == f) return field_names[i].name;
    return "";
}

/* Do two words fold to the same (NFKC, case, white space)? */
static int same_word(const char *a, const char *b, size_t bn)
{
    char fa[1024], fb[1024];
    return ctl_fold_into(a, strlen(a), fa, sizeof fa) >= 0 && ctl_fold_into(b, bn, fb, sizeof fb) >= 0 &&
           !strcmp(fa, fb);
}

/* column.FIELD = HEADER (column.extra: one of any number of extra columns) */
static ctl_status set_column(parse *p, const char *f, size_t fn, const char *v, size_t n)
{
    ctl_map *m = p->map;
    size_t k = 0;
    while (k < sizeof field_names / sizeof *field_names && !is(f, fn, field_names[k].name)) k++;
    if (k == sizeof field_names / sizeof *field_names)
        return bad(p, "'column.%.*s': no field '%.*s' (id, label, level, parent, refs, title, description, "
                   "category, answer, extra)", SHOWN(f, fn), SHOWN(f, fn));
    ctl_field_kind field = field_names[k].field;
    if (field != CTL_FIELD_NONE && p->field_line[field])
        return bad(p, "column.%.*s: a column for %s is given already (line %ld)", SHOWN(f, fn), field_name(field),
                   p->field_line[field]);
    for (size_t i = 0; i < m->n_columns; i++)
        if (same_word(m->columns[i].header, v, n))
            return bad(p, "column '%.*s' is mapped onto %s already (line %ld)", SHOWN(v, n),
                       field_name(m->columns[i].field), m->column_line[i]);
    ctl_column_map *grown = ctl_realloc(m->columns, (m->n_columns + 1) * sizeof *grown);
    if (!grown) return ctl_nomem(p->ctx);
    m->columns = grown;
    long *lines = ctl_realloc(m->column_line, (m->n_columns + 1) * sizeof *lines);
    if (!lines) return ctl_nomem(p->ctx);
    m->column_line = lines;
    lines[m->n_columns] = p->line;
    char *header = ctl_strndup(v, n);
    if (!header) return ctl_nomem(p->ctx);
    m->columns[m->n_columns].field = field;
    m->columns[m->n_columns++].header = header;
    p->field_line[field] = p->line;
    return CTL_OK;
}

/* category.WORD = VALUE */
static ctl_status set_category(parse *p, const char *w, size_t wn, const char *v, size_t n)
{
    ctl_map *m = p->map;
    char folded[1024];
    if (!wn) return bad(p, "'category.' names no word (category.WORD = basic, recommended, mandatory or none)");
    if (ctl_fold_into(w, wn, folded, sizeof folded) < 0)
        return bad(p, "category word '%.*s' is too long (at most 256 bytes)", SHOWN(w, wn));
    ctl_category value = CTL_CATEGORY_NONE;
    if (!is(v, n, "none") && !ctl_parse_category(v, n, &value))
        return bad(p, "category.%.*s takes basic, recommended, mandatory or none, not '%.*s'", SHOWN(w, wn),
                   SHOWN(v, n));
    for (size_t i = 0; i < m->n_categories; i++)
        if (same_word(m->categories[i].word, w, wn))
            return bad(p, "category word '%.*s' given twice (first on line %ld)", SHOWN(w, wn),
                       p->category_line[i]);
    ctl_category_map *grown = ctl_realloc(m->categories, (m->n_categories + 1) * sizeof *grown);
    if (!grown) return ctl_nomem(p->ctx);
    m->categories = grown;
    long *lines = ctl_realloc(p->category_line, (m->n_categories + 1) * sizeof *lines);
    if (!lines) return ctl_nomem(p->ctx);
    p->category_line = lines;
    char *word = ctl_strndup(w, wn);
    if (!word) return ctl_nomem(p->ctx);
    lines[m->n_categories] = p->line;
    m->categories[m->n_categories].word = word;
    m->categories[m->n_categories++].value = value;
    return CTL_OK;
}

static ctl_status set_key(parse *p, const char *k, size_t kn, const char *v, size_t n)
{
    if (kn > 7 && !strncasecmp(k, "column.", 7)) return set_column(p, k + 7, kn - 7, v, n);
    if (kn >= 9 && !strncasecmp(k, "category.", 9)) {
        const char *w = k + 9;
        size_t wn = kn - 9;
        ctl_trim(&w, &wn);
        return set_category(p, w, wn, v, n);
    }
    for (int i = 0; i < K_COUNT; i++) {
        if (!is(k, kn, plain_keys[i].key)) continue;
        if (p->key_line[i])
            return bad(p, "%s given twice (first on line %ld)", plain_keys[i].key, p->key_line[i]);
        p->key_line[i] = p->line;
        return plain_keys[i].set(p, v, n);
    }
    return bad(p, "unknown key '%.*s' (format, encoding, delimiter, sheet, column.FIELD, ref-scheme, hierarchy, "
               "headings, skip-bad-rows, category.WORD)", SHOWN(k, kn));
}

/* One line, its end of line removed. */
static ctl_status parse_line(parse *p, const char *s, size_t len)
{
    if (memchr(s, '\0', len)) return bad(p, "a NUL byte: a mapping file is UTF-8 text");
    if (ctl_utf8_valid_prefix((const unsigned char *)s, len) != len)
        return bad(p, "not UTF-8 (byte %zu of the line): a mapping file is UTF-8 text",
                   ctl_utf8_valid_prefix((const unsigned char *)s, len) + 1);
    ctl_trim(&s, &len);
    if (!len || *s == '#') return CTL_OK;
    const char *eq = memchr(s, '=', len);
    if (!eq) return bad(p, "'%.*s' is no KEY = VALUE line", SHOWN(s, len));
    const char *k = s, *v = eq + 1;
    size_t kn = (size_t)(eq - s), vn = len - kn - 1;
    ctl_trim(&k, &kn);
    ctl_trim(&v, &vn);
    if (!kn) return bad(p, "a line without a key before '='");
    if (!vn) return bad(p, "'%.*s' has no value after '='", SHOWN(k, kn));
    return set_key(p, k, kn, v, vn);
}

ctl_status ctl_map_parse(ctl_ctx *ctx, const char *name, const char *text, size_t len, ctl_map **map)
{
    *map = NULL;
    ctl_map *m = ctl_malloc(sizeof *m);
    if (!m) return ctl_nomem(ctx);
    memset(m, 0, sizeof *m);
    m->skip_bad_rows = -1;
    parse p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.name = name ? name : "-";
    p.map = m;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    ctl_status st = CTL_OK;
    for (size_t at = 0; at < len && st == CTL_OK;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - at;
        if (n && text[at + n - 1] == '\r') n--;
        p.line++;
        st = parse_line(&p, text + at, n);
        at = end + 1;
    }
    ctl_free(p.category_line);
    if (st != CTL_OK) {
        ctl_map_free(m);
        return st;
    }
    *map = m;
    return CTL_OK;
}

ctl_status ctl_map_read(ctl_ctx *ctx, const char *path, ctl_map **map)
{
    unsigned char *data;
    size_t len;
    *map = NULL;
    ctl_status st = ctl_read_file(ctx, path, 0, &data, &len);
    if (st != CTL_OK) return st;
    st = ctl_map_parse(ctx, path && *path ? path : "-", (const char *)data, len, map);
    ctl_free(data);
    return st;
}

/* Is field, or header, mapped by one of cols[0..n)? */
static int column_taken(const ctl_column_map *cols, size_t n, const ctl_column_map *c)
{
    for (size_t i = 0; i < n; i++)
        if ((c->field != CTL_FIELD_NONE && cols[i].field == c->field) ||
            same_word(cols[i].header, c->header, strlen(c->header)))
            return 1;
    return 0;
}

/* The caller's column mappings, then the map's for the fields and headers
 * the caller's leave: *v malloc'd (NULL when the map adds none), *n its
 * length; 0 when out of memory. */
static int merged_columns(const ctl_map *m, const ctl_options *opts, ctl_column_map **v, size_t *n)
{
    *v = NULL;
    *n = opts->n_columns;
    if (!m->n_columns) return 1;
    ctl_column_map *c = ctl_malloc((opts->n_columns + m->n_columns) * sizeof *c);
    if (!c) return 0;
    if (*n) memcpy(c, opts->columns, *n * sizeof *c);
    for (size_t i = 0; i < m->n_columns; i++)
        if (!column_taken(opts->columns, opts->n_columns, &m->columns[i])) c[(*n)++] = m->columns[i];
    if (*n == opts->n_columns) ctl_free(c);
    else *v = c;
    return 1;
}

/* The caller's category words, then the map's (the first match counts). */
static int merged_categories(const ctl_map *m, const ctl_options *opts, ctl_category_map **v, size_t *n)
{
    *v = NULL;
    *n = opts->n_categories;
    if (!m->n_categories) return 1;
    ctl_category_map *c = ctl_malloc((opts->n_categories + m->n_categories) * sizeof *c);
    if (!c) return 0;
    if (*n) memcpy(c, opts->categories, *n * sizeof *c);
    memcpy(c + *n, m->categories, m->n_categories * sizeof *c);
    *n += m->n_categories;
    *v = c;
    return 1;
}

ctl_status ctl_map_apply(ctl_ctx *ctx, ctl_map *map, ctl_options *opts, unsigned *applied)
{
    unsigned bits = 0;
    ctl_column_map *cols;
    ctl_category_map *cats = NULL;
    size_t n_cols, n_cats;
    if (!merged_columns(map, opts, &cols, &n_cols) || !merged_categories(map, opts, &cats, &n_cats)) {
        ctl_free(cols);
        return ctl_nomem(ctx);
    }
    if (cols) {
        ctl_free(map->merged_columns);
        map->merged_columns = cols;
        opts->columns = cols;
        opts->n_columns = n_cols;
        bits |= CTL_READS_COLUMNS;
    }
    if (cats) {
        ctl_free(map->merged_categories);
        map->merged_categories = cats;
        opts->categories = cats;
        opts->n_categories = n_cats;
    }
    if (!opts->encoding && map->encoding) {
        opts->encoding = map->encoding;
        bits |= CTL_READS_ENCODING;
    }
    if (!opts->delimiter && map->delimiter) {
        opts->delimiter = map->delimiter;
        bits |= CTL_READS_DELIMITER;
    }
    if (!opts->sheet && map->sheet) {
        opts->sheet = map->sheet;
        bits |= CTL_READS_SHEET;
    }
    if (!opts->ref_scheme && map->ref_scheme) opts->ref_scheme = map->ref_scheme;
    if (!opts->skip_bad_rows && map->skip_bad_rows > 0) opts->skip_bad_rows = 1;
    if (!opts->make_headings && map->has_headings) opts->make_headings = map->make_headings;
    if (opts->hierarchy == CTL_HIERARCHY_AUTO && map->has_hierarchy) opts->hierarchy = map->hierarchy;
    if (applied) *applied = bits;
    return CTL_OK;
}

const ctl_format *ctl_map_format(const ctl_map *map) { return map->format; }

void ctl_map_free(ctl_map *map)
{
    if (!map) return;
    ctl_free(map->encoding);
    ctl_free(map->sheet);
    ctl_free(map->ref_scheme);
    for (size_t i = 0; i < map->n_columns; i++) ctl_free((char *)map->columns[i].header);
    ctl_free(map->columns);
    ctl_free(map->column_line);
    for (size_t i = 0; i < map->n_categories; i++) ctl_free((char *)map->categories[i].word);
    ctl_free(map->categories);
    ctl_free(map->merged_columns);
    ctl_free(map->merged_categories);
    ctl_free(map);
}
