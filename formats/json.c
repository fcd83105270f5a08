/* JSON: one document, described by formats/ctlconv.schema.json.
 *
 * The shape is flat: metadata, then "items" in document order, each with
 * its level.  Flat rather than nested sections -> subsections -> controls
 * because real lists are not always well-formed trees (the seed has
 * controls whose subsection is missing, references on sections, numbering
 * that jumps), because a flat array can be written item by item as the
 * reader delivers them, and because every GRC importer we feed wants rows;
 * the hierarchy is still explicit in "id" and "level".
 *
 * Writer only for now; the reader (on jansson) comes with its own issue. */
#include "../converters/headers.h"

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    size_t n_items;
    int failed;
} json_writer;

static void put(json_writer *w, const char *s, size_t n)
{
    if (!w->failed && !ctl_write(w->out, s, n)) w->failed = 1;
}

static void puts_(json_writer *w, const char *s) { put(w, s, strlen(s)); }

/* A JSON string: quotes, backslashes and control characters escaped, the
 * rest (valid UTF-8 from the model) as is. */
static void put_string(json_writer *w, const char *s)
{
    put(w, "\"", 1);
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(w, run, (size_t)(p - run));
        if (!c) break;
        char esc[8];
        switch (c) {
        case '"': puts_(w, "\\\""); break;
        case '\\': puts_(w, "\\\\"); break;
        case '\n': puts_(w, "\\n"); break;
        case '\r': puts_(w, "\\r"); break;
        case '\t': puts_(w, "\\t"); break;
        case '\b': puts_(w, "\\b"); break;
        case '\f': puts_(w, "\\f"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(w, esc);
        }
        run = p + 1;
    }
    put(w, "\"", 1);
}

static void put_key(json_writer *w, const char *indent, const char *key)
{
    puts_(w, indent);
    put_string(w, key);
    puts_(w, ": ");
}

static void put_strv(json_writer *w, char *const *v, size_t n)
{
    puts_(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) puts_(w, ", ");
        put_string(w, ctl_str(v[i]));
    }
    puts_(w, "]");
}

static ctl_status check(json_writer *w, ctl_ctx *ctx)
{
    return w->failed ? ctl_fail(ctx, CTL_EIO, w->name, 0, "write error") : CTL_OK;
}

static ctl_status jw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    json_writer *w = (json_writer *)self;
    puts_(w, "{\n");
    put_key(w, "  ", "format");
    puts_(w, "\"ctlconv-list\",\n");
    put_key(w, "  ", "version");
    puts_(w, "1,\n");
    put_key(w, "  ", "title");
    put_string(w, ctl_str(meta->title));
    puts_(w, ",\n");
    put_key(w, "  ", "note");
    put_string(w, ctl_str(meta->note));
    puts_(w, ",\n");
    put_key(w, "  ", "annex");
    put_string(w, ctl_str(meta->annex));
    puts_(w, ",\n");
    put_key(w, "  ", "columns");
    put_strv(w, meta->columns, meta->n_columns);
    puts_(w, ",\n");
    put_key(w, "  ", "items");
    puts_(w, "[");
    return check(w, ctx);
}

static ctl_status jw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    json_writer *w = (json_writer *)self;
    char num[32];
    puts_(w, w->n_items++ ? ",\n    {" : "\n    {");
    put_key(w, "", "id");
    put_string(w, ctl_str(it->id));
    put_key(w, ", ", "label");
    put_string(w, ctl_str(it->label));
    put_key(w, ", ", "level");
    snprintf(num, sizeof num, "%d", it->level);
    puts_(w, num);
    put_key(w, ", ", "isms");
    put_strv(w, it->isms, it->n_isms);
    put_key(w, ", ", "title");
    put_string(w, ctl_str(it->title));
    put_key(w, ", ", "description");
    put_string(w, ctl_str(it->description));
    put_key(w, ", ", "category");
    if (it->category == CTL_CATEGORY_NONE) puts_(w, "null");
    else put_string(w, ctl_category_en(it->category));
    put_key(w, ", ", "answer");
    put_string(w, ctl_str(it->answer));
    if (it->n_extra) {
        put_key(w, ", ", "extra");
        puts_(w, "[");
        for (size_t i = 0; i < it->n_extra; i++) {
            puts_(w, i ? ", {" : "{");
            put_key(w, "", "name");
            put_string(w, ctl_str(it->extra[i].name));
            put_key(w, ", ", "value");
            put_string(w, ctl_str(it->extra[i].value));
            puts_(w, "}");
        }
        puts_(w, "]");
    }
    puts_(w, "}");
    return check(w, ctx);
}

static ctl_status jw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    json_writer *w = (json_writer *)self;
    puts_(w, w->n_items ? "\n  ],\n" : "],\n");
    put_key(w, "  ", "unplaced_isms");
    put_strv(w, meta->unplaced, meta->n_unplaced);
    puts_(w, "\n}\n");
    return check(w, ctx);
}

static void jw_destroy(ctl_sink *self) { ctl_free(self); }

static ctl_status json_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                  const ctl_options *opts, ctl_sink **sink)
{
    (void)opts;
    json_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    w->sink.begin = jw_begin;
    w->sink.item = jw_item;
    w->sink.end = jw_end;
    w->sink.destroy = jw_destroy;
    w->out = out;
    w->name = out_name;
    *sink = &w->sink;
    return CTL_OK;
}

static const char *const json_ext[] = {"json", NULL};

const ctl_format ctl_format_json = {
    .name = "json",
    .description = "JSON document (schema: formats/ctlconv.schema.json)",
    .extensions = json_ext,
    .writer = json_writer_new,
};
