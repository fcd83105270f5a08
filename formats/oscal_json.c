/* SPDX-License-Identifier: BSD-2-Clause */
/* OSCAL in JSON: a catalog (read and written) and a component definition
 * (written), the document's JSON form as formats/oscal.c makes and reads
 * it.  A catalog is found by content: an object whose first key (after a
 * "$schema") is an OSCAL document's root; the reader refuses the other
 * OSCAL documents by name.  The document is parsed whole (jansson, under
 * the json-memory limit: formats/json_doc.h) and written whole, two
 * spaces of indent. */
#include "oscal.h"
#include "json_doc.h"

#include <string.h>

/* The root keys of OSCAL's documents. */
static const char *const roots[] = {"catalog", "profile", "component-definition", "system-security-plan",
                                    "assessment-plan", "assessment-results", "plan-of-action-and-milestones",
                                    "mapping-collection"};

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

/* The key (a string without escapes) at *p: its bytes in [*k, *k + *n);
 * *p after its ':'.  0 when there is none such. */
static int key_at(const char **p, const char *end, const char **k, size_t *n)
{
    const char *s = skip_ws(*p, end);
    if (s >= end || *s != '"') return 0;
    const char *q = ++s;
    while (q < end && *q != '"' && *q != '\\') q++;
    if (q >= end || *q != '"') return 0;
    *k = s;
    *n = (size_t)(q - s);
    s = skip_ws(q + 1, end);
    if (s >= end || *s != ':') return 0;
    *p = s + 1;
    return 1;
}

/* {"catalog": {... (or another OSCAL root, perhaps after "$schema"): 92,
 * more than a JSON document's 80 and JSON Lines of records' 90. */
static int oscal_probe(const char *data, size_t len)
{
    const char *p = data, *end = data + len, *k;
    size_t n;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    p = skip_ws(p, end);
    if (p >= end || *p != '{') return 0;
    p++;
    if (!key_at(&p, end, &k, &n)) return 0;
    if (n == 7 && !memcmp(k, "$schema", 7)) {
        /* its value, a string, then the next key */
        p = skip_ws(p, end);
        if (p >= end || *p != '"') return 0;
        for (p++; p < end && *p != '"'; p++)
            if (*p == '\\') p++;
        p = skip_ws(p + 1, end);
        if (p >= end || *p != ',') return 0;
        p++;
        if (!key_at(&p, end, &k, &n)) return 0;
    }
    p = skip_ws(p, end);
    if (p >= end || *p != '{') return 0;
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
        if (strlen(roots[i]) == n && !memcmp(roots[i], k, n)) return 92;
    return 0;
}

static ctl_status oscal_json_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    json_t *doc = ctl_json_document(ctx, in->name, in->data, in->len, opts);
    if (!doc) return ctl_error_status(ctx);
    ctl_status st = ctl_oscal_read_tree(ctx, doc, in->name, opts, sink);
    json_decref(doc);
    return st;
}

/* jansson hands its text on in pieces of a few bytes: gathered here. */
typedef struct {
    FILE *out;
    int failed; /* the errno of the first failed write, 0 while none */
    size_t n;
    char buf[1 << 16];
} dump_to;

static void flush(dump_to *d)
{
    if (d->n && !d->failed) d->failed = ctl_write_err(d->out, d->buf, d->n);
    d->n = 0;
}

static int dump_chunk(const char *buffer, size_t size, void *data)
{
    dump_to *d = data;
    if (d->n + size > sizeof d->buf) flush(d);
    if (size > sizeof d->buf) {
        if (!d->failed) d->failed = ctl_write_err(d->out, buffer, size);
    } else {
        memcpy(d->buf + d->n, buffer, size);
        d->n += size;
    }
    return d->failed ? -1 : 0;
}

/* The document as JSON text, two spaces of indent, a line end last. */
static ctl_status emit_json(ctl_ctx *ctx, const json_t *doc, FILE *out, const char *out_name)
{
    dump_to *d = ctl_malloc(sizeof *d);
    if (!d) return ctl_nomem(ctx);
    d->out = out;
    d->failed = 0;
    d->n = 0;
    int r = json_dump_callback(doc, dump_chunk, d, JSON_INDENT(2));
    if (r == 0) dump_chunk("\n", 1, d);
    flush(d);
    int failed = d->failed;
    ctl_free(d);
    if (failed) return ctl_write_failed(ctx, out_name, failed);
    return r == 0 ? CTL_OK : ctl_nomem(ctx);
}

static ctl_status catalog_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                                 ctl_sink **sink)
{
    return ctl_oscal_writer(ctx, out, out_name, opts, CTL_OSCAL_CATALOG, emit_json, sink);
}

static ctl_status component_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                                   ctl_sink **sink)
{
    return ctl_oscal_writer(ctx, out, out_name, opts, CTL_OSCAL_COMPONENT, emit_json, sink);
}

const ctl_format ctl_format_oscal_json = {
    .name = "oscal-json",
    .loses = CTL_LOSES_ANSWERS,
    .description = "OSCAL 1.2.1 catalog, JSON: groups and controls, labels, statements, references "
                   "(answers: oscal-component-json); read by content",
    .options = CTL_WRITES_DATE | CTL_WRITES_DOC_VERSION,
    .probe = oscal_probe,
    .read = oscal_json_read,
    .writer = catalog_writer,
};

const ctl_format ctl_format_oscal_component_json = {
    .name = "oscal-component-json",
    .loses = CTL_LOSES_METADATA | CTL_LOSES_UNPLACED | CTL_LOSES_LABELS | CTL_LOSES_CATEGORIES |
             CTL_LOSES_EXTRAS,
    .description = "OSCAL 1.2.1 component definition, JSON: the answers as implemented requirements "
                   "of one component (--component)",
    .options = CTL_WRITES_DATE | CTL_WRITES_COMPONENT | CTL_WRITES_DOC_VERSION,
    .writer = component_writer,
};
