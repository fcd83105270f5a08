/* SPDX-License-Identifier: BSD-2-Clause */
/* XML: a namespace of our own (urn:ctlconv:list:1), described by
 * formats/ctlconv.xsd.
 *
 *   <controlList xmlns="urn:ctlconv:list:1" version="2">
 *     <title/> <note/> <annex/> <refScheme/>
 *     <columns><column>…</column>…</columns>
 *     <items>
 *       <item id="II.1.1.1" level="3" parent="II.1.1">
 *         <label/> <ref scheme="iso27001-2013">A.5.1.1</ref>* <title/> <description/>
 *         <category value="basic">基本</category>? <answer/>
 *         <extra name="…">…</extra>*
 *       </item>…
 *     </items>
 *     <unplaced><isms/>*</unplaced>
 *   </controlList>
 *
 * Version 1 (formats/ctlconv.xsd: MIC numbers only, <isms> references,
 * category basic/recommended) is still read; version 2 is
 * formats/ctlconv-2.xsd.
 *
 * Writer: xmlTextWriter, UTF-8, indented, deterministic, item by item.
 * XML 1.0 cannot hold most control characters: a cell holding one is an
 * error naming the item and field, never a silent substitution.
 * Reader: xmlTextReader (the document's own encoding declaration decides
 * its encoding) with no entity expansion, no DTD loading, no network, a
 * deny-all entity loader, any DOCTYPE refused, a depth limit; an element
 * it does not know is an error naming its line. */
#include "../converters/services.h"

#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>

#define NS "urn:ctlconv:list:1"

/* -------------------------------------------------------------- writer */

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    xmlTextWriterPtr w;
    int io_failed; /* the errno of the first failed write, 0 while none */
} xml_writer;

static int write_cb(void *ctx, const char *buf, int len)
{
    xml_writer *x = ctx;
    int err = ctl_write_err(x->out, buf, (size_t)len);
    if (err) {
        if (!x->io_failed) x->io_failed = err;
        return -1;
    }
    return len;
}

static int close_cb(void *ctx)
{
    (void)ctx;
    return 0;
}

/* The first character XML 1.0 cannot hold, or 0. */
static uint32_t bad_xml_char(const char *s)
{
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t cp;
        i += ctl_utf8_decode(s + i, n - i, &cp);
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
            return cp;
    }
    return 0;
}

static ctl_status fail_io(xml_writer *x, ctl_ctx *ctx)
{
    char why[512];
    if (x->io_failed) return ctl_write_failed(ctx, x->name, x->io_failed);
    if (ctl_xml_take_message(why, sizeof why))
        return ctl_fail(ctx, CTL_D_INTERNAL, x->name, 0, "cannot write XML: %s", why);
    return ctl_fail(ctx, CTL_D_OUT_OF_MEMORY, x->name, 0, "cannot write XML (out of memory)");
}

/* libxml2 reads at most 10,000,000 bytes into one text node
 * without XML_PARSE_HUGE (which ctlconv never passes), and joins adjacent
 * text, character references and CDATA sections into one node.  A longer
 * text is written in pieces with an empty comment between them: it keeps
 * the nodes apart, and every reader drops it. */
enum { XML_PIECE = 8000000 };

/* The bytes of an attribute value as written (escapes included): libxml2
 * refuses a start tag it must look more than 10,000,000 bytes into, so the
 * writer stays at XML_PIECE. */
static size_t attr_bytes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '&' || *s == '\r' || *s == '\n' ? 5 : *s == '<' || *s == '>' || *s == '\t' ? 4 : *s == '"' ? 6 : 1;
    return n;
}

static int write_text(xml_writer *x, const char *text)
{
    size_t n = strlen(text);
    while (n > XML_PIECE) {
        size_t k = XML_PIECE;
        while (((unsigned char)text[k] & 0xC0) == 0x80) k--;   /* a whole character */
        xmlChar *piece = xmlStrndup(BAD_CAST text, (int)k);
        int rc = piece ? xmlTextWriterWriteString(x->w, piece) : -1;
        xmlFree(piece);
        if (rc < 0 || xmlTextWriterWriteRaw(x->w, BAD_CAST "<!---->") < 0) return -1;
        text += k;
        n -= k;
    }
    return xmlTextWriterWriteString(x->w, BAD_CAST text);
}

static ctl_status text_element(xml_writer *x, ctl_ctx *ctx, const char *el, const char *text,
                               const char *where)
{
    uint32_t bad = bad_xml_char(text);
    if (bad)
        return ctl_fail(ctx, CTL_D_XML_UNWRITABLE, x->name, 0, "%s: <%s> holds U+%04X, which XML 1.0 cannot "
                        "hold; write json or csv instead", where, el, (unsigned)bad);
    int rc = strlen(text) <= XML_PIECE
                 ? xmlTextWriterWriteElement(x->w, BAD_CAST el, BAD_CAST text)
                 : (xmlTextWriterStartElement(x->w, BAD_CAST el) < 0 || write_text(x, text) < 0)
                       ? -1 : xmlTextWriterEndElement(x->w);
    return rc < 0 ? fail_io(x, ctx) : CTL_OK;
}

static ctl_status xw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    xml_writer *x = (xml_writer *)self;
    if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0 ||
        xmlTextWriterStartElement(x->w, BAD_CAST "controlList") < 0 ||
        xmlTextWriterWriteAttribute(x->w, BAD_CAST "xmlns", BAD_CAST NS) < 0 ||
        xmlTextWriterWriteAttribute(x->w, BAD_CAST "version", BAD_CAST "2") < 0)
        return fail_io(x, ctx);
    ctl_status st;
    if ((st = text_element(x, ctx, "title", ctl_str(meta->title), "the document")) != CTL_OK ||
        (st = text_element(x, ctx, "note", ctl_str(meta->note), "the document")) != CTL_OK ||
        (st = text_element(x, ctx, "annex", ctl_str(meta->annex), "the document")) != CTL_OK ||
        (st = text_element(x, ctx, "refScheme", ctl_str(meta->ref_scheme), "the document")) != CTL_OK)
        return st;
    if (xmlTextWriterStartElement(x->w, BAD_CAST "columns") < 0) return fail_io(x, ctx);
    for (size_t i = 0; i < meta->n_columns; i++)
        if ((st = text_element(x, ctx, "column", ctl_str(meta->columns[i]), "the document")) != CTL_OK)
            return st;
    if (xmlTextWriterEndElement(x->w) < 0 || xmlTextWriterStartElement(x->w, BAD_CAST "items") < 0)
        return fail_io(x, ctx);
    return CTL_OK;
}

static ctl_status xw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    xml_writer *x = (xml_writer *)self;
    char level[16], where[96];
    snprintf(level, sizeof level, "%d", it->level);
    snprintf(where, sizeof where, "item %s", ctl_str(it->id));
    if (xmlTextWriterStartElement(x->w, BAD_CAST "item") < 0 ||
        xmlTextWriterWriteAttribute(x->w, BAD_CAST "id", BAD_CAST ctl_str(it->id)) < 0 ||
        xmlTextWriterWriteAttribute(x->w, BAD_CAST "level", BAD_CAST level) < 0 ||
        xmlTextWriterWriteAttribute(x->w, BAD_CAST "parent", BAD_CAST ctl_str(it->parent)) < 0)
        return fail_io(x, ctx);
    ctl_status st;
    if ((st = text_element(x, ctx, "label", ctl_str(it->label), where)) != CTL_OK) return st;
    for (size_t i = 0; i < it->n_refs; i++) {
        const char *sch = ctl_str(it->refs[i].scheme), *rid = ctl_str(it->refs[i].id);
        uint32_t bad = bad_xml_char(rid);
        if (bad)
            return ctl_fail(ctx, CTL_D_XML_UNWRITABLE, x->name, 0, "%s: <ref> holds U+%04X, which XML 1.0 cannot "
                            "hold; write json or csv instead", where, (unsigned)bad);
        if (xmlTextWriterStartElement(x->w, BAD_CAST "ref") < 0 ||
            xmlTextWriterWriteAttribute(x->w, BAD_CAST "scheme", BAD_CAST sch) < 0 ||
            write_text(x, rid) < 0 || xmlTextWriterEndElement(x->w) < 0)
            return fail_io(x, ctx);
    }
    if ((st = text_element(x, ctx, "title", ctl_str(it->title), where)) != CTL_OK ||
        (st = text_element(x, ctx, "description", ctl_str(it->description), where)) != CTL_OK)
        return st;
    const char *word = ctl_category_word(it);
    if (*word) {
        uint32_t bad = bad_xml_char(word);
        if (bad)
            return ctl_fail(ctx, CTL_D_XML_UNWRITABLE, x->name, 0, "%s: <category> holds U+%04X, which XML 1.0 "
                            "cannot hold; write json or csv instead", where, (unsigned)bad);
        if (xmlTextWriterStartElement(x->w, BAD_CAST "category") < 0 ||
            (it->category != CTL_CATEGORY_NONE &&
             xmlTextWriterWriteAttribute(x->w, BAD_CAST "value", BAD_CAST ctl_category_en(it->category)) < 0) ||
            write_text(x, word) < 0 || xmlTextWriterEndElement(x->w) < 0)
            return fail_io(x, ctx);
    }
    if ((st = text_element(x, ctx, "answer", ctl_str(it->answer), where)) != CTL_OK) return st;
    for (size_t i = 0; i < it->n_extra; i++) {
        const char *v = ctl_str(it->extra[i].value), *n = ctl_str(it->extra[i].name);
        uint32_t bad = bad_xml_char(v);
        if (!bad) bad = bad_xml_char(n);
        if (bad)
            return ctl_fail(ctx, CTL_D_XML_UNWRITABLE, x->name, 0, "%s: extra column '%s' holds U+%04X, which "
                            "XML 1.0 cannot hold", where, n, (unsigned)bad);
        if (attr_bytes(n) > XML_PIECE)
            return ctl_fail(ctx, CTL_D_XML_UNWRITABLE, x->name, 0, "%s: the name of extra column %zu takes %zu bytes "
                            "in an attribute; libxml2 reads a start tag of at most 10 MB (ctlconv writes at "
                            "most %d bytes): write json instead", where, i + 1, attr_bytes(n), XML_PIECE);
        if (xmlTextWriterStartElement(x->w, BAD_CAST "extra") < 0 ||
            xmlTextWriterWriteAttribute(x->w, BAD_CAST "name", BAD_CAST n) < 0 ||
            write_text(x, v) < 0 || xmlTextWriterEndElement(x->w) < 0)
            return fail_io(x, ctx);
    }
    if (xmlTextWriterEndElement(x->w) < 0) return fail_io(x, ctx);
    return CTL_OK;
}

static ctl_status xw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    xml_writer *x = (xml_writer *)self;
    if (xmlTextWriterEndElement(x->w) < 0 || xmlTextWriterStartElement(x->w, BAD_CAST "unplaced") < 0)
        return fail_io(x, ctx);
    ctl_status st;
    for (size_t i = 0; i < meta->n_unplaced; i++)
        if ((st = text_element(x, ctx, "isms", meta->unplaced[i], "the document")) != CTL_OK) return st;
    if (xmlTextWriterEndElement(x->w) < 0 || xmlTextWriterEndDocument(x->w) < 0 || xmlTextWriterFlush(x->w) < 0)
        return fail_io(x, ctx);
    return x->io_failed ? fail_io(x, ctx) : CTL_OK;
}

static void xw_destroy(ctl_sink *self)
{
    xml_writer *x = (xml_writer *)self;
    if (x->w) xmlFreeTextWriter(x->w);
    ctl_free(x);
}

static ctl_status xml_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                 const ctl_options *opts, ctl_sink **sink)
{
    (void)opts;
    ctl_xml_harden();
    xml_writer *x = ctl_malloc(sizeof *x);
    if (!x) return ctl_nomem(ctx);
    memset(x, 0, sizeof *x);
    x->out = out;
    x->name = out_name;
    xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(write_cb, close_cb, x, NULL);
    if (!buf || !(x->w = xmlNewTextWriter(buf))) {
        if (buf) xmlOutputBufferClose(buf);
        ctl_free(x);
        return ctl_nomem(ctx);
    }
    xmlTextWriterSetIndent(x->w, 1);
    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
    x->sink.begin = xw_begin;
    x->sink.item = xw_item;
    x->sink.end = xw_end;
    x->sink.destroy = xw_destroy;
    *sink = &x->sink;
    return CTL_OK;
}

/* -------------------------------------------------------------- reader */

static int xml_probe(const char *data, size_t len);

enum { MAX_DEPTH = 16 };

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    xmlTextReaderPtr r;
    ctl_xml_error err;
} xml_reader;

static long here(const xml_reader *x) { return ctl_xml_line(x->r); }

/* Reads the next node (ctl_xml_next), no deeper than MAX_DEPTH.  Returns
 * 1 for a node, 0 at the end, -1 on error (recorded). */
static int next(xml_reader *x, ctl_status *st)
{
    int rc = ctl_xml_next(x->ctx, x->file, x->r, &x->err, st);
    if (rc > 0 && xmlTextReaderDepth(x->r) > MAX_DEPTH) {
        *st = ctl_fail(x->ctx, CTL_D_FIXED_LIMIT, x->file, here(x), "elements nested deeper than %d (a fixed "
                       "limit: the format nests 3 deep)", MAX_DEPTH);
        return -1;
    }
    return rc;
}

static int is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static int ours(const xml_reader *x)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);
    return ns && !strcmp((const char *)ns, NS);
}

static const char *local(const xml_reader *x)
{
    return (const char *)xmlTextReaderConstLocalName(x->r);
}

/* At a start element: reads its text (no child elements allowed) into a
 * malloc'd string. */
static ctl_status leaf_text(xml_reader *x, char **out)
{
    ctl_status st = CTL_OK;
    ctl_buf b = {0};
    char name[64];
    snprintf(name, sizeof name, "%s", local(x));
    if (!xmlTextReaderIsEmptyElement(x->r)) {
        int depth = xmlTextReaderDepth(x->r);
        for (;;) {
            if (next(x, &st) <= 0) {
                if (st == CTL_OK) st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "unexpected end in <%s>", name);
                break;
            }
            int type = xmlTextReaderNodeType(x->r);
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth) break;
            if (is_text(type)) {
                const char *v = (const char *)xmlTextReaderConstValue(x->r);
                if (v && !ctl_buf_adds(&b, v)) { st = ctl_nomem(x->ctx); break; }
            } else if (type == XML_READER_TYPE_ELEMENT) {
                st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "unexpected element <%s> inside <%s>",
                              local(x), name);
                break;
            }
        }
    }
    if (st != CTL_OK) { ctl_buf_free(&b); return st; }
    *out = ctl_buf_take(&b);
    return *out ? CTL_OK : ctl_nomem(x->ctx);
}

static ctl_status unknown(xml_reader *x, const char *in)
{
    return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "unknown element <%s> in <%s>", local(x), in);
}

/* Reads the children of the current container element with fn. */
typedef ctl_status (*child_fn)(xml_reader *x, void *user);

static ctl_status children(xml_reader *x, const char *container, child_fn fn, void *user)
{
    if (xmlTextReaderIsEmptyElement(x->r)) return CTL_OK;
    int depth = xmlTextReaderDepth(x->r);
    ctl_status st = CTL_OK;
    for (;;) {
        if (next(x, &st) <= 0) {
            if (st == CTL_OK) st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "unexpected end in <%s>", container);
            return st;
        }
        int type = xmlTextReaderNodeType(x->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth) return CTL_OK;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!ours(x)) return unknown(x, container);
            if ((st = fn(x, user)) != CTL_OK) return st;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "text directly inside <%s>", container);
        }
    }
}

typedef struct {
    ctl_sink *sink;
    ctl_meta meta;
    ctl_item it;
    size_t n_items;
    int begun;
    int v1;          /* version 1: <category> holds the value's name, no word */
} doc_state;

static ctl_status add_ref(xml_reader *x, char ***v, size_t *n, const char *text)
{
    char *ref;
    int ok = ctl_parse_isms_one(text, strlen(text), &ref);
    if (ok < 0) return ctl_nomem(x->ctx);
    if (!ok) return ctl_fail(x->ctx, CTL_D_BAD_FIELD, x->file, here(x), "'%s' is not an ISMS reference such as A.5.1.1", text);
    char **g = ctl_realloc(*v, (*n + 1) * sizeof *g);
    if (!g) { ctl_free(ref); return ctl_nomem(x->ctx); }
    *v = g;
    g[(*n)++] = ref;
    return CTL_OK;
}

static ctl_status column_child(xml_reader *x, void *user)
{
    doc_state *d = user;
    if (strcmp(local(x), "column")) return unknown(x, "columns");
    char *t;
    ctl_status st = leaf_text(x, &t);
    if (st != CTL_OK) return st;
    char **g = ctl_realloc(d->meta.columns, (d->meta.n_columns + 1) * sizeof *g);
    if (!g) { ctl_free(t); return ctl_nomem(x->ctx); }
    d->meta.columns = g;
    g[d->meta.n_columns++] = t;
    return CTL_OK;
}

static ctl_status unplaced_child(xml_reader *x, void *user)
{
    doc_state *d = user;
    if (strcmp(local(x), "isms")) return unknown(x, "unplaced");
    char *t;
    ctl_status st = leaf_text(x, &t);
    if (st == CTL_OK) st = add_ref(x, &d->meta.unplaced, &d->meta.n_unplaced, t);
    ctl_free(t);
    return st;
}

static ctl_status item_child(xml_reader *x, void *user)
{
    doc_state *d = user;
    ctl_item *it = &d->it;
    const char *n = local(x);
    char **slot = !strcmp(n, "label") ? &it->label : !strcmp(n, "title") ? &it->title
                : !strcmp(n, "description") ? &it->description : !strcmp(n, "answer") ? &it->answer : NULL;
    ctl_status st;
    if (slot) {
        char *t;
        if ((st = leaf_text(x, &t)) != CTL_OK) return st;
        ctl_free(*slot);
        *slot = t;
        return CTL_OK;
    }
    if (!strcmp(n, "isms")) {
        char *t, **v = NULL;
        size_t k = 0;
        if ((st = leaf_text(x, &t)) != CTL_OK) return st;
        st = add_ref(x, &v, &k, t);
        if (st == CTL_OK && !ctl_item_add_ref(it, "iso27001-2013", v[0], strlen(v[0]))) st = ctl_nomem(x->ctx);
        if (k) ctl_free(v[0]);
        ctl_free(v);
        ctl_free(t);
        return st;
    }
    if (!strcmp(n, "ref")) {
        long line = here(x);
        xmlChar *sch = xmlTextReaderGetAttribute(x->r, BAD_CAST "scheme");
        char *t = NULL;
        st = sch ? leaf_text(x, &t)
                 : ctl_fail_item(x->ctx, CTL_D_BAD_STRUCTURE, x->file, line, it->id, "<ref> without a scheme attribute");
        if (st == CTL_OK && !*t)
            st = ctl_fail_item(x->ctx, CTL_D_BAD_FIELD, x->file, line, it->id, "an empty <ref>");
        /* as JSON: a scheme a table's "scheme:id" prefix can name again */
        if (st == CTL_OK && (*sch == '-' || strspn((const char *)sch, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                                                strlen((const char *)sch)))
            st = ctl_fail_item(x->ctx, CTL_D_BAD_FIELD, x->file, line, it->id, "reference scheme '%s' is not "
                               "lower-case letters, digits and '-'", (const char *)sch);
        if (st == CTL_OK && !ctl_item_add_ref(it, (const char *)sch, t, strlen(t))) st = ctl_nomem(x->ctx);
        ctl_free(t);
        xmlFree(sch);
        return st;
    }
    if (!strcmp(n, "category")) {
        char *t;
        long line = here(x);
        xmlChar *value = xmlTextReaderGetAttribute(x->r, BAD_CAST "value");
        if ((st = leaf_text(x, &t)) != CTL_OK) { xmlFree(value); return st; }
        if (!ctl_parse_category(t, strlen(t), &it->category)) it->category = CTL_CATEGORY_NONE;
        if (value) {
            ctl_category c = CTL_CATEGORY_NONE;
            if (!ctl_parse_category((const char *)value, strlen((const char *)value), &c) ||
                strcmp((const char *)value, ctl_category_en(c)))
                st = ctl_fail_item(x->ctx, CTL_D_BAD_FIELD, x->file, line, it->id,
                                   "category value '%s' is none of basic, recommended, mandatory", (const char *)value);
            it->category = c;
        }
        ctl_free(it->category_text);
        it->category_text = t;
        /* version 1 wrote the value's name ("basic"), not the source's word */
        if (d->v1 && it->category != CTL_CATEGORY_NONE && !strcmp(t, ctl_category_en(it->category)))
            t[0] = '\0';
        xmlFree(value);
        return st;
    }
    if (!strcmp(n, "extra")) {
        xmlChar *name = xmlTextReaderGetAttribute(x->r, BAD_CAST "name");
        if (!name)
            return ctl_fail_item(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), it->id,
                                 "<extra> without a name attribute");
        char *t;
        st = leaf_text(x, &t);
        if (st == CTL_OK) {
            if (!ctl_item_add_extra(it, (const char *)name, t, strlen(t))) st = ctl_nomem(x->ctx);
            ctl_free(t);
        }
        xmlFree(name);
        return st;
    }
    return unknown(x, "item");
}

static ctl_status items_child(xml_reader *x, void *user)
{
    doc_state *d = user;
    if (strcmp(local(x), "item")) return unknown(x, "items");
    long line = here(x);
    xmlChar *id = xmlTextReaderGetAttribute(x->r, BAD_CAST "id");
    xmlChar *level = xmlTextReaderGetAttribute(x->r, BAD_CAST "level");
    xmlChar *parent = xmlTextReaderGetAttribute(x->r, BAD_CAST "parent");
    ctl_status st = CTL_OK;
    ctl_number num;
    char canon[CTL_ID_MAX] = "", pc[CTL_ID_MAX] = "";
    long lv = 0;
    if (!id || (*id && !ctl_parse_id((const char *)id, strlen((const char *)id), canon)))
        st = ctl_fail(x->ctx, CTL_D_BAD_FIELD, x->file, line, "<item> without an identifier such as "
                      "II.1.1.1 or AC-2(1) in its id attribute");
    else if (level && (!(lv = strtol((const char *)level, NULL, 10)) || lv < 1 || lv > 64 ||
                       strspn((const char *)level, "0123456789") != strlen((const char *)level)))
        st = ctl_fail_item(x->ctx, CTL_D_BAD_FIELD, x->file, line, canon, "item %s: level '%s' is no whole number "
                           "from 1 to 64", canon, (const char *)level);
    else if (parent && *parent && !ctl_parse_id((const char *)parent, strlen((const char *)parent), pc))
        st = ctl_fail_item(x->ctx, CTL_D_BAD_FIELD, x->file, line, canon, "item %s: parent '%s' is no identifier",
                           canon, (const char *)parent);
    xmlFree(id);
    xmlFree(level);
    if (st != CTL_OK) { xmlFree(parent); return st; }
    ctl_item_init(&d->it);
    d->it.level = (int)lv;
    d->it.pos.file = x->file;
    d->it.pos.line = line;
    if (!(d->it.id = ctl_strdup(canon)) || (parent && !(d->it.parent = ctl_strdup(pc)))) {
        xmlFree(parent);
        return ctl_nomem(x->ctx);
    }
    xmlFree(parent);
    st = children(x, "item", item_child, d);
    if (st == CTL_OK && (!d->it.label || !*d->it.label) && ctl_parse_number_exact(canon, strlen(canon), &num)) {
        char label[96];
        ctl_number_label(num.id, num.level, label, sizeof label);
        ctl_free(d->it.label);
        if (!(d->it.label = ctl_strdup(label))) st = ctl_nomem(x->ctx);
    }
    if (st == CTL_OK) {
        ctl_item_fill_empty(&d->it);
        st = d->sink->item(d->sink, x->ctx, &d->it);
        d->n_items++;
    }
    ctl_item_clear(&d->it);
    return st;
}

static ctl_status begin_once(xml_reader *x, doc_state *d)
{
    if (d->begun) return CTL_OK;
    d->begun = 1;
    ctl_meta m = ctl_meta_filled(&d->meta);
    return d->sink->begin(d->sink, x->ctx, &m);
}

static ctl_status root_child(xml_reader *x, void *user)
{
    doc_state *d = user;
    const char *n = local(x);
    char **slot = !strcmp(n, "title") ? &d->meta.title : !strcmp(n, "note") ? &d->meta.note
                : !strcmp(n, "annex") ? &d->meta.annex : !strcmp(n, "refScheme") ? &d->meta.ref_scheme : NULL;
    if (slot) {
        if (d->begun)
            return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "<%s> after <items>: the metadata "
                            "comes first", n);
        char *t;
        ctl_status st = leaf_text(x, &t);
        if (st != CTL_OK) return st;
        ctl_free(*slot);
        *slot = t;
        return CTL_OK;
    }
    if (!strcmp(n, "columns")) return children(x, "columns", column_child, d);
    if (!strcmp(n, "unplaced")) return children(x, "unplaced", unplaced_child, d);
    if (!strcmp(n, "items")) {
        ctl_status st = begin_once(x, d);
        return st != CTL_OK ? st : children(x, "items", items_child, d);
    }
    return unknown(x, "controlList");
}

static ctl_status xml_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    (void)opts;
    ctl_xml_harden();
    xml_reader x = {ctx, in->name, NULL, {"", 0}};
    if (in->len > INT_MAX) return ctl_fail(ctx, CTL_D_FIXED_LIMIT, in->name, 0, "an XML document over 2 GiB");
    if (!xml_probe((const char *)in->data, in->len))
        return ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, 0, "empty XML document, or not XML: no control list in it");
    long dt = ctl_xml_doctype_line((const char *)in->data, in->len);
    if (dt)
        return ctl_fail(ctx, CTL_D_DOCTYPE, in->name, dt, "a DOCTYPE: refused (ctlconv never loads DTDs or "
                        "expands entities)");
    x.r = xmlReaderForMemory((const char *)in->data, (int)in->len, in->name, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!x.r) return ctl_nomem(ctx);
    xmlTextReaderSetStructuredErrorHandler(x.r, ctl_xml_keep_error, &x.err);
    doc_state d;
    memset(&d, 0, sizeof d);
    d.sink = sink;
    ctl_status st = CTL_OK;
    int rc;
    while ((rc = next(&x, &st)) > 0 && xmlTextReaderNodeType(x.r) != XML_READER_TYPE_ELEMENT) {}
    if (rc == 0 && st == CTL_OK)
        st = ctl_fail(ctx, CTL_D_EMPTY_INPUT, in->name, 0, "empty XML document: no control list in it");
    if (rc > 0) {
        if (strcmp(local(&x), "controlList") || !ours(&x)) {
            const xmlChar *ns = xmlTextReaderConstNamespaceUri(x.r);
            st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, here(&x), "not a control list: the root element is "
                          "<%s>%s%s%s, not <controlList xmlns=\"" NS "\">", local(&x),
                          ns ? " in namespace " : "", ns ? (const char *)ns : "", "");
        } else {
            xmlChar *version = xmlTextReaderGetAttribute(x.r, BAD_CAST "version");
            if (version && strcmp((const char *)version, "1") && strcmp((const char *)version, "2"))
                st = ctl_fail(ctx, CTL_D_UNSUPPORTED_VERSION, in->name, here(&x), "unsupported version %s of the "
                              "control-list format (this ctlconv reads versions 1 and 2)", (const char *)version);
            /* version 1 had ISO/IEC 27001:2013 references only */
            d.v1 = !version || !strcmp((const char *)version, "1");
            if (st == CTL_OK && d.v1 && !(d.meta.ref_scheme = ctl_strdup("iso27001-2013")))
                st = ctl_nomem(ctx);
            xmlFree(version);
            if (st == CTL_OK) st = children(&x, "controlList", root_child, &d);
            /* the rest of the document must still be well-formed */
            while (st == CTL_OK && (rc = next(&x, &st)) > 0)
                if (xmlTextReaderNodeType(x.r) == XML_READER_TYPE_ELEMENT)
                    st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, here(&x), "a second root element");
        }
    }
    if (st == CTL_OK && !d.n_items) st = ctl_fail(ctx, CTL_D_NO_ROWS, in->name, 0, "no control rows: <items> is missing or empty");
    if (st == CTL_OK && (st = begin_once(&x, &d)) == CTL_OK) {
        ctl_meta m = ctl_meta_filled(&d.meta);
        st = sink->end(sink, ctx, &m);
    }
    ctl_item_clear(&d.it);
    ctl_meta_clear(&d.meta);
    xmlFreeTextReader(x.r);
    return st;
}

static int xml_probe(const char *data, size_t len)
{
    size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i >= len || data[i] != '<') return 0;
    /* an XML declaration or our namespace: XML; another '<' only maybe */
    if (len - i >= 5 && !memcmp(data + i, "<?xml", 5)) return 90;
    if (memmem(data + i, len - i < 4096 ? len - i : 4096, NS, strlen(NS))) return 90;
    return 30;
}

static const char *const xml_ext[] = {"xml", NULL};

const ctl_format ctl_format_xml = {
    .name = "xml",
    .description = "XML in namespace urn:ctlconv:list:1 (schema: formats/ctlconv.xsd)",
    .extensions = xml_ext,
    .probe = xml_probe,
    .read = xml_read,
    .writer = xml_writer_new,
};
