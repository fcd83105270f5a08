/* SPDX-License-Identifier: BSD-2-Clause */
/* OSCAL XML <-> the JSON form (see oscal.h), and the formats oscal-xml
 * (a catalog, read and written) and oscal-component-xml (a component
 * definition, written).
 *
 * One table of the OSCAL 1.2.1 models (catalog and component definition,
 * metadata and back matter included) drives both directions: for each
 * assembly its members in the XSD's order, each with its key in the JSON
 * form and its name in XML.  Flags are attributes; fields and assemblies
 * are child elements; an array of the JSON form is the element repeated
 * (metadata's revisions inside a <revisions> wrapper, as the XSD has it);
 * a field with flags (document-id, hash...) holds its value as its text.
 *
 * Markup (markup-line: titles, labels, link text; markup-multiline:
 * prose, description, remarks...) is the list's plain text in the JSON
 * form ctlconv makes.  Written: the text as it is in one <p> (for a
 * markup-line, the element itself), a line break as <br/>, and
 * "{{ insert: TYPE, ID }}" (TYPE and ID ASCII tokens) as <insert type=
 * "TYPE" id-ref="ID"/>; so reading it back gives the very same string.
 * Read: markup flattened to text: each paragraph, heading, preformatted
 * block, list item and table row (cells joined by a tab) a line; inline
 * markup (em, strong, code, a, q...) its text; <br/> a line break; an
 * insert "{{ insert: TYPE, ID }}" (the JSON form's convention); an image
 * its alt text; text nodes as they are.
 *
 * XML 1.0 cannot hold most control characters: a string holding one is an
 * error naming where it is (xml-unwritable), never a substitution.
 * Reading: xmlTextReader with no entity expansion, no DTD, no network, a
 * DOCTYPE refused; an element or attribute OSCAL does not have there is an
 * error naming its line; the tree built is held to the json-memory limit
 * beyond 6 x the document's size (OSCAL's XML takes about half the bytes
 * of its JSON: the bound of the same document read as JSON, 3 x). */
#include "oscal.h"

#include <libxml/xmlreader.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#define OSCAL_NS "http://csrc.nist.gov/ns/oscal/1.0"

/* ---------------------------------------------------------- the models */

typedef enum {
    K_FLAG,       /* an attribute; a string */
    K_INT,        /* an attribute; a whole number in the JSON form */
    K_STRING,     /* a child element of plain text */
    K_LINE,       /* a child element of markup-line */
    K_MULTI,      /* a child element of markup-multiline */
    K_PROSE,      /* markup-multiline without a wrapper: the blocks are children */
    K_VALUE,      /* the element's own text (a field with flags) */
    K_ASSEMBLY,   /* a child element of its own model */
} kind;

typedef struct model model;

typedef struct {
    const char *json;       /* key in the JSON form */
    const char *xml;        /* attribute or element name */
    unsigned char kind;
    unsigned char many;     /* an array: the element repeated */
    unsigned char choice;   /* members of one choice (not 0) exclude each other */
    const model *sub;       /* K_ASSEMBLY */
    const char *wrap;       /* the element around the repeated ones */
} member;

struct model {
    const char *name;       /* for messages */
    const member *m;        /* ends with a NULL json */
};

#define FLAG(k) {k, k, K_FLAG, 0, 0, NULL, NULL}
#define INT(k) {k, k, K_INT, 0, 0, NULL, NULL}
#define STR(k) {k, k, K_STRING, 0, 0, NULL, NULL}
#define STRS(k, x) {k, x, K_STRING, 1, 0, NULL, NULL}
#define LINE(k) {k, k, K_LINE, 0, 0, NULL, NULL}
#define MULTI(k) {k, k, K_MULTI, 0, 0, NULL, NULL}
#define PROSE {"prose", "", K_PROSE, 0, 0, NULL, NULL}
#define VALUE(k) {k, "", K_VALUE, 0, 0, NULL, NULL}
#define ONE(k, sub) {k, k, K_ASSEMBLY, 0, 0, &sub, NULL}
#define MANY(k, x, sub) {k, x, K_ASSEMBLY, 1, 0, &sub, NULL}
#define PROPS MANY("props", "prop", m_prop)
#define LINKS MANY("links", "link", m_link)
#define REMARKS MULTI("remarks")
#define END {NULL, NULL, 0, 0, 0, NULL, NULL}

static const model m_prop, m_link, m_resp_party, m_resp_role, m_part, m_param, m_control, m_group;

static const member prop_m[] = {FLAG("name"), FLAG("uuid"), FLAG("ns"), FLAG("value"), FLAG("class"),
                                FLAG("group"), REMARKS, END};
static const model m_prop = {"prop", prop_m};
static const member link_m[] = {FLAG("href"), FLAG("rel"), FLAG("media-type"), FLAG("resource-fragment"),
                                LINE("text"), END};
static const model m_link = {"link", link_m};
static const member resp_party_m[] = {FLAG("role-id"), STRS("party-uuids", "party-uuid"), PROPS, LINKS, REMARKS, END};
static const model m_resp_party = {"responsible-party", resp_party_m};
static const member resp_role_m[] = {FLAG("role-id"), PROPS, LINKS, STRS("party-uuids", "party-uuid"), REMARKS, END};
static const model m_resp_role = {"responsible-role", resp_role_m};
static const member action_m[] = {FLAG("uuid"), FLAG("date"), FLAG("type"), FLAG("system"), PROPS, LINKS,
                                  MANY("responsible-parties", "responsible-party", m_resp_party), REMARKS, END};
static const model m_action = {"action", action_m};
static const member hash_m[] = {FLAG("algorithm"), VALUE("value"), END};
static const model m_hash = {"hash", hash_m};
static const member doc_id_m[] = {FLAG("scheme"), VALUE("identifier"), END};
static const model m_doc_id = {"document-id", doc_id_m};
static const member phone_m[] = {FLAG("type"), VALUE("number"), END};
static const model m_phone = {"telephone-number", phone_m};
static const member ext_id_m[] = {FLAG("scheme"), VALUE("id"), END};
static const model m_ext_id = {"external-id", ext_id_m};
static const member address_m[] = {FLAG("type"), STRS("addr-lines", "addr-line"), STR("city"), STR("state"),
                                   STR("postal-code"), STR("country"), END};
static const model m_address = {"address", address_m};
static const member revision_m[] = {LINE("title"), STR("published"), STR("last-modified"), STR("version"),
                                    STR("oscal-version"), PROPS, LINKS, REMARKS, END};
static const model m_revision = {"revision", revision_m};
static const member role_m[] = {FLAG("id"), LINE("title"), STR("short-name"), MULTI("description"), PROPS, LINKS,
                                REMARKS, END};
static const model m_role = {"role", role_m};
static const member location_m[] = {FLAG("uuid"), LINE("title"), ONE("address", m_address),
                                    STRS("email-addresses", "email-address"),
                                    MANY("telephone-numbers", "telephone-number", m_phone), STRS("urls", "url"),
                                    PROPS, LINKS, REMARKS, END};
static const model m_location = {"location", location_m};
static const member party_m[] = {
    FLAG("uuid"), FLAG("type"), STR("name"), STR("short-name"), MANY("external-ids", "external-id", m_ext_id),
    PROPS, LINKS, STRS("email-addresses", "email-address"),
    MANY("telephone-numbers", "telephone-number", m_phone),
    {"addresses", "address", K_ASSEMBLY, 1, 1, &m_address, NULL},
    {"location-uuids", "location-uuid", K_STRING, 1, 1, NULL, NULL},
    STRS("member-of-organizations", "member-of-organization"), REMARKS, END};
static const model m_party = {"party", party_m};
static const member metadata_m[] = {
    LINE("title"), STR("published"), STR("last-modified"), STR("version"), STR("oscal-version"),
    {"revisions", "revision", K_ASSEMBLY, 1, 0, &m_revision, "revisions"},
    MANY("document-ids", "document-id", m_doc_id), PROPS, LINKS, MANY("roles", "role", m_role),
    MANY("locations", "location", m_location), MANY("parties", "party", m_party),
    MANY("responsible-parties", "responsible-party", m_resp_party), MANY("actions", "action", m_action),
    REMARKS, END};
static const model m_metadata = {"metadata", metadata_m};
static const member citation_m[] = {LINE("text"), PROPS, LINKS, END};
static const model m_citation = {"citation", citation_m};
static const member rlink_m[] = {FLAG("href"), FLAG("media-type"), MANY("hashes", "hash", m_hash), END};
static const model m_rlink = {"rlink", rlink_m};
static const member base64_m[] = {FLAG("filename"), FLAG("media-type"), VALUE("value"), END};
static const model m_base64 = {"base64", base64_m};
static const member resource_m[] = {FLAG("uuid"), LINE("title"), MULTI("description"), PROPS,
                                    MANY("document-ids", "document-id", m_doc_id), ONE("citation", m_citation),
                                    MANY("rlinks", "rlink", m_rlink), ONE("base64", m_base64), REMARKS, END};
static const model m_resource = {"resource", resource_m};
static const member back_matter_m[] = {MANY("resources", "resource", m_resource), END};
static const model m_back_matter = {"back-matter", back_matter_m};

/* the catalog */
static const member part_m[] = {FLAG("id"), FLAG("name"), FLAG("ns"), FLAG("class"), LINE("title"), PROPS, PROSE,
                                MANY("parts", "part", m_part), LINKS, END};
static const model m_part = {"part", part_m};
static const member test_m[] = {STR("expression"), REMARKS, END};
static const model m_test = {"test", test_m};
static const member constraint_m[] = {MULTI("description"), MANY("tests", "test", m_test), END};
static const model m_constraint = {"constraint", constraint_m};
static const member guideline_m[] = {PROSE, END};
static const model m_guideline = {"guideline", guideline_m};
static const member select_m[] = {FLAG("how-many"), {"choice", "choice", K_LINE, 1, 0, NULL, NULL}, END};
static const model m_select = {"select", select_m};
static const member param_m[] = {
    FLAG("id"), FLAG("class"), FLAG("depends-on"), PROPS, LINKS, LINE("label"), MULTI("usage"),
    MANY("constraints", "constraint", m_constraint), MANY("guidelines", "guideline", m_guideline),
    {"values", "value", K_STRING, 1, 1, NULL, NULL}, {"select", "select", K_ASSEMBLY, 0, 1, &m_select, NULL},
    REMARKS, END};
static const model m_param = {"param", param_m};
static const member control_m[] = {FLAG("id"), FLAG("class"), LINE("title"), MANY("params", "param", m_param),
                                   PROPS, LINKS, MANY("parts", "part", m_part),
                                   MANY("controls", "control", m_control), END};
static const model m_control = {"control", control_m};
static const member group_m[] = {FLAG("id"), FLAG("class"), LINE("title"), MANY("params", "param", m_param),
                                 PROPS, LINKS, MANY("parts", "part", m_part),
                                 {"groups", "group", K_ASSEMBLY, 1, 1, &m_group, NULL},
                                 {"controls", "control", K_ASSEMBLY, 1, 1, &m_control, NULL}, END};
static const model m_group = {"group", group_m};
static const member catalog_m[] = {FLAG("uuid"), ONE("metadata", m_metadata), MANY("params", "param", m_param),
                                   MANY("controls", "control", m_control), MANY("groups", "group", m_group),
                                   ONE("back-matter", m_back_matter), END};
static const model m_catalog = {"catalog", catalog_m};

/* the component definition */
static const member import_m[] = {FLAG("href"), REMARKS, END};
static const model m_import = {"import-component-definition", import_m};
static const member port_range_m[] = {INT("start"), INT("end"), FLAG("transport"), REMARKS, END};
static const model m_port_range = {"port-range", port_range_m};
static const member protocol_m[] = {FLAG("uuid"), FLAG("name"), LINE("title"),
                                    MANY("port-ranges", "port-range", m_port_range), END};
static const model m_protocol = {"protocol", protocol_m};
static const member set_param_m[] = {FLAG("param-id"), STRS("values", "value"), REMARKS, END};
static const model m_set_param = {"set-parameter", set_param_m};
static const member statement_m[] = {FLAG("statement-id"), FLAG("uuid"), MULTI("description"), PROPS, LINKS,
                                     MANY("responsible-roles", "responsible-role", m_resp_role), REMARKS, END};
static const model m_statement = {"statement", statement_m};
static const member impl_req_m[] = {FLAG("uuid"), FLAG("control-id"), MULTI("description"), PROPS, LINKS,
                                    MANY("set-parameters", "set-parameter", m_set_param),
                                    MANY("responsible-roles", "responsible-role", m_resp_role),
                                    MANY("statements", "statement", m_statement), REMARKS, END};
static const model m_impl_req = {"implemented-requirement", impl_req_m};
static const member control_impl_m[] = {FLAG("uuid"), FLAG("source"), MULTI("description"), PROPS, LINKS,
                                        MANY("set-parameters", "set-parameter", m_set_param),
                                        MANY("implemented-requirements", "implemented-requirement", m_impl_req),
                                        END};
static const model m_control_impl = {"control-implementation", control_impl_m};
static const member component_m[] = {FLAG("uuid"), FLAG("type"), LINE("title"), MULTI("description"),
                                     LINE("purpose"), PROPS, LINKS,
                                     MANY("responsible-roles", "responsible-role", m_resp_role),
                                     MANY("protocols", "protocol", m_protocol),
                                     MANY("control-implementations", "control-implementation", m_control_impl),
                                     REMARKS, END};
static const model m_component = {"component", component_m};
static const member incorporates_m[] = {FLAG("component-uuid"), MULTI("description"), END};
static const model m_incorporates = {"incorporates-component", incorporates_m};
static const member capability_m[] = {FLAG("uuid"), FLAG("name"), MULTI("description"), PROPS, LINKS,
                                      MANY("incorporates-components", "incorporates-component", m_incorporates),
                                      MANY("control-implementations", "control-implementation", m_control_impl),
                                      REMARKS, END};
static const model m_capability = {"capability", capability_m};
static const member compdef_m[] = {FLAG("uuid"), ONE("metadata", m_metadata),
                                   MANY("import-component-definitions", "import-component-definition", m_import),
                                   MANY("components", "component", m_component),
                                   MANY("capabilities", "capability", m_capability),
                                   ONE("back-matter", m_back_matter), END};
static const model m_compdef = {"component-definition", compdef_m};

/* The documents: the root element is the JSON form's one key. */
static const struct {
    const char *root;
    const model *m;
} roots[] = {{"catalog", &m_catalog}, {"component-definition", &m_compdef}};

static int is_flag(const member *mb) { return mb->kind == K_FLAG || mb->kind == K_INT; }

static const member *by_json(const model *m, const char *key)
{
    for (const member *mb = m->m; mb->json; mb++)
        if (!strcmp(mb->json, key)) return mb;
    return NULL;
}

/* The model's member of element (attribute: flags) name x; its prose. */
static const member *by_xml(const model *m, const char *x, int attribute)
{
    for (const member *mb = m->m; mb->json; mb++)
        if (is_flag(mb) == attribute && !strcmp(mb->wrap ? mb->wrap : mb->xml, x)) return mb;
    return NULL;
}

static const member *prose_of(const model *m)
{
    for (const member *mb = m->m; mb->json; mb++)
        if (mb->kind == K_PROSE) return mb;
    return NULL;
}

static const member *value_of(const model *m)
{
    for (const member *mb = m->m; mb->json; mb++)
        if (mb->kind == K_VALUE) return mb;
    return NULL;
}

/* Element nesting either way: the reader's structure walk refuses deeper
 * documents (libxml2 stops at 256 without XML_PARSE_HUGE), so the writer
 * refuses to write them. */
enum { MAX_DEPTH = 200 };

/* libxml2 reads at most 10,000,000 bytes into one text node and one start
 * tag (without XML_PARSE_HUGE, which ctlconv never passes): longer text is
 * written in pieces with an empty comment between them, which the reader
 * drops; a longer attribute is refused. */
enum { XML_PIECE = 8000000 };

/* ---------------------------------------------------------- the writer */

typedef struct {
    ctl_ctx *ctx;
    FILE *out;
    const char *name;
    ctl_buf b;
    int io_failed; /* the errno of the first failed write, 0 while none */
    size_t run;             /* bytes of the text node being written */
} writer;

/* Where the writer is, for messages: the element and the nearest id. */
typedef struct place {
    const char *el;
    const char *id;
    const struct place *up;
} place;

static void where(const place *p, char *out, size_t size)
{
    const place *q = p;
    while (q && !q->id) q = q->up;
    if (q && q != p) snprintf(out, size, "<%s> in <%s> %s", p->el, q->el, q->id);
    else if (q) snprintf(out, size, "<%s> %s", p->el, q->id);
    else snprintf(out, size, "<%s>", p ? p->el : "?");
}

static int flush(writer *w)
{
    if (w->b.len && !w->io_failed) w->io_failed = ctl_write_err(w->out, w->b.data, w->b.len);
    w->b.len = 0;
    return !w->io_failed;
}

static ctl_status put(writer *w, const char *s, size_t n)
{
    if (!ctl_buf_add(&w->b, s, n)) return ctl_nomem(w->ctx);
    if (w->b.len >= 65536 && !flush(w)) return ctl_write_failed(w->ctx, w->name, w->io_failed);
    return CTL_OK;
}

static ctl_status puts_(writer *w, const char *s) { return put(w, s, strlen(s)); }

static ctl_status indent(writer *w, int depth)
{
    static const char spaces[] = "\n                                ";
    ctl_status st = put(w, spaces, 1);
    for (int d = 2 * depth; st == CTL_OK && d > 0; d -= 32) st = put(w, spaces + 1, d < 32 ? (size_t)d : 32);
    return st;
}

static ctl_status internal(writer *w, const place *p, const char *what)
{
    char at[256];
    where(p, at, sizeof at);
    return ctl_fail(w->ctx, CTL_D_INTERNAL, w->name, 0, "the OSCAL document to write: %s: %s", at, what);
}

/* The first character XML 1.0 cannot hold in s (n bytes), or -1. */
static long bad_char(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += ctl_utf8_decode(s + i, n - i, &cp);
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) return (long)cp;
    }
    return -1;
}

/* The string of v for the writer, checked: NULL with the error recorded. */
static const char *string_of(writer *w, const json_t *v, const place *p, size_t *n)
{
    if (!json_is_string(v)) {
        internal(w, p, "not a string");
        return NULL;
    }
    const char *s = json_string_value(v);
    *n = json_string_length(v);
    long bad = strlen(s) < *n ? 0 : bad_char(s, *n);
    if (bad >= 0) {
        char at[256];
        where(p, at, sizeof at);
        ctl_fail(w->ctx, CTL_D_XML_UNWRITABLE, w->name, 0, "%s holds U+%04lX, which XML 1.0 cannot hold; "
                 "write oscal-json instead", at, (unsigned long)bad);
        return NULL;
    }
    return s;
}

/* Text escaped: & < > always, a CR as a reference (a parser would make a
 * line end of it), in an attribute also " and the other white space. */
static ctl_status escaped(writer *w, const char *s, size_t n, int attr)
{
    ctl_status st = CTL_OK;
    size_t from = 0;
    for (size_t i = 0; i < n && st == CTL_OK; i++) {
        const char *e = NULL;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '\r': e = "&#13;"; break;
        case '"': e = attr ? "&quot;" : NULL; break;
        case '\n': e = attr ? "&#10;" : NULL; break;
        case '\t': e = attr ? "&#9;" : NULL; break;
        default: break;
        }
        if (!e) continue;
        if ((st = put(w, s + from, i - from)) == CTL_OK) st = puts_(w, e);
        from = i + 1;
    }
    return st == CTL_OK ? put(w, s + from, n - from) : st;
}

/* Text of an element, in pieces of at most XML_PIECE bytes. */
static ctl_status text(writer *w, const char *s, size_t n)
{
    ctl_status st = CTL_OK;
    while (st == CTL_OK && w->run + n > XML_PIECE) {
        size_t k = XML_PIECE - w->run;
        while (k && ((unsigned char)s[k] & 0xC0) == 0x80) k--;   /* a whole character */
        if ((st = escaped(w, s, k, 0)) == CTL_OK) st = puts_(w, "<!---->");
        s += k;
        n -= k;
        w->run = 0;
    }
    w->run += n;
    return st == CTL_OK ? escaped(w, s, n, 0) : st;
}

/* The length of the ASCII token at s (before end), 0 when there is none. */
static size_t token_at(const char *s, const char *end)
{
    static const char more[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    if (s >= end || !(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))) return 0;
    const char *p = s + 1;
    while (p < end && *p && strchr(more, *p)) p++;
    return (size_t)(p - s);
}

/* The length of "{{ insert: TYPE, ID }}" at s (n bytes), or 0; its type
 * and id.  (Each look scans the tokens after s only: linear in all.) */
static size_t insert_at(const char *s, size_t n, const char **type, size_t *tn, const char **id, size_t *in)
{
    static const char open[] = "{{ insert: ";
    const char *end = s + n, *p = s + sizeof open - 1;
    if (n < sizeof open - 1 || memcmp(s, open, sizeof open - 1) || !(*tn = token_at(p, end))) return 0;
    *type = p;
    p += *tn;
    if (end - p < 2 || memcmp(p, ", ", 2) || !(*in = token_at(p + 2, end))) return 0;
    *id = p + 2;
    p += 2 + *in;
    if (end - p < 3 || memcmp(p, " }}", 3)) return 0;
    return (size_t)(p + 3 - s);
}

/* Plain text as markup: a line break as <br/>, an insert as <insert/>. */
static ctl_status markup(writer *w, const char *s, size_t n)
{
    ctl_status st = CTL_OK;
    size_t from = 0;
    w->run = 0;
    for (size_t i = 0; i < n && st == CTL_OK;) {
        const char *type = NULL, *id = NULL;
        size_t tn = 0, in = 0, k = 0;
        if (s[i] != '\n' && !(s[i] == '{' && (k = insert_at(s + i, n - i, &type, &tn, &id, &in)))) {
            i++;
            continue;
        }
        st = text(w, s + from, i - from);
        w->run = 0;
        if (st == CTL_OK && s[i] == '\n') {
            st = puts_(w, "<br/>");
            i++;
        } else if (st == CTL_OK) {
            if ((st = puts_(w, "<insert type=\"")) == CTL_OK && (st = put(w, type, tn)) == CTL_OK &&
                (st = puts_(w, "\" id-ref=\"")) == CTL_OK && (st = put(w, id, in)) == CTL_OK)
                st = puts_(w, "\"/>");
            i += k;
        }
        from = i;
    }
    return st == CTL_OK ? text(w, s + from, n - from) : st;
}

static ctl_status attribute(writer *w, const char *name, const json_t *v, int integer, const place *p)
{
    char num[32];
    const char *s;
    size_t n;
    if (integer) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) return internal(w, p, "not a whole number");
        n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
    } else if (!(s = string_of(w, v, p, &n))) {
        return ctl_error_status(w->ctx);
    }
    /* an escape takes 6 bytes at most */
    if (n > XML_PIECE / 6) {
        size_t bytes = 0;
        for (size_t i = 0; i < n; i++)
            bytes += s[i] == '"' ? 6 : s[i] == '&' || s[i] == '\r' || s[i] == '\n' ? 5 : s[i] == '<' || s[i] == '>' || s[i] == '\t' ? 4 : 1;
        if (bytes > XML_PIECE) {
            char at[256];
            where(p, at, sizeof at);
            return ctl_fail(w->ctx, CTL_D_XML_UNWRITABLE, w->name, 0, "%s takes %zu bytes in an attribute; "
                            "libxml2 reads a start tag of at most 10 MB (ctlconv writes at most %d bytes): "
                            "write oscal-json instead", at, bytes, XML_PIECE);
        }
    }
    ctl_status st;
    if ((st = puts_(w, " ")) != CTL_OK || (st = puts_(w, name)) != CTL_OK || (st = puts_(w, "=\"")) != CTL_OK ||
        (st = escaped(w, s, n, 1)) != CTL_OK)
        return st;
    return puts_(w, "\"");
}

static ctl_status write_assembly(writer *w, const model *m, const json_t *obj, const char *el, int depth,
                                 const place *up, const char *xmlns);

static ctl_status open_tag(writer *w, const char *el, int depth)
{
    if (depth > MAX_DEPTH)
        return ctl_fail(w->ctx, CTL_D_XML_UNWRITABLE, w->name, 0, "elements nested %d deep: ctlconv reads OSCAL "
                        "XML %d deep at most (libxml2 stops at 256); write oscal-json instead", depth, MAX_DEPTH);
    ctl_status st = indent(w, depth - 1);
    if (st == CTL_OK && (st = puts_(w, "<")) == CTL_OK) st = puts_(w, el);
    return st;
}

static ctl_status close_tag(writer *w, const char *el)
{
    ctl_status st = puts_(w, "</");
    if (st == CTL_OK && (st = puts_(w, el)) == CTL_OK) st = puts_(w, ">");
    return st;
}

/* One value of a member that is not a flag, as element(s) at depth. */
static ctl_status write_one(writer *w, const member *mb, const json_t *v, int depth, const place *up)
{
    place p = {mb->xml, NULL, up};
    if (mb->kind == K_ASSEMBLY) return write_assembly(w, mb->sub, v, mb->xml, depth, up, NULL);
    if (mb->kind == K_PROSE) p.el = "p";
    size_t n;
    const char *s = string_of(w, v, &p, &n);
    if (!s) return ctl_error_status(w->ctx);
    ctl_status st = open_tag(w, mb->kind == K_PROSE ? "p" : mb->xml, depth);
    if (st != CTL_OK) return st;
    if (!n && mb->kind != K_MULTI) return puts_(w, "/>");
    st = puts_(w, mb->kind == K_MULTI ? (n ? "><p>" : "><p/>") : ">");
    if (st == CTL_OK && n) {
        w->run = 0;
        st = mb->kind == K_STRING ? text(w, s, n) : markup(w, s, n);
        if (st == CTL_OK && mb->kind == K_MULTI) st = puts_(w, "</p>");
    }
    return st == CTL_OK ? close_tag(w, mb->kind == K_PROSE ? "p" : mb->xml) : st;
}

static ctl_status write_member(writer *w, const member *mb, const json_t *v, int depth, const place *up)
{
    place p = {mb->xml, NULL, up};
    if (!mb->many) return write_one(w, mb, v, depth, up);
    if (!json_is_array(v)) return internal(w, &p, "not an array");
    if (!json_array_size(v)) return internal(w, &p, "an empty array (OSCAL wants at least one)");
    ctl_status st = CTL_OK;
    if (mb->wrap && (st = open_tag(w, mb->wrap, depth)) == CTL_OK) st = puts_(w, ">");
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e) {
        if (st != CTL_OK) break;
        st = write_one(w, mb, e, depth + !!mb->wrap, up);
    }
    if (st == CTL_OK && mb->wrap && (st = indent(w, depth - 1)) == CTL_OK) st = close_tag(w, mb->wrap);
    return st;
}

/* Checks that obj has members of m only, and one side of each choice. */
static ctl_status check_members(writer *w, const model *m, const json_t *obj, const place *p)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        const member *mb = by_json(m, key);
        char what[160];
        if (!mb) {
            snprintf(what, sizeof what, "'%.60s' is no member of %s in OSCAL", key, m->name);
            return internal(w, p, what);
        }
        if (!mb->choice) continue;
        for (const member *o = m->m; o->json; o++)
            if (o != mb && o->choice == mb->choice && json_object_get(obj, o->json)) {
                char at[256];
                where(p, at, sizeof at);
                return ctl_fail(w->ctx, CTL_D_XML_UNWRITABLE, w->name, 0, "%s has both %s and %s, which OSCAL "
                                "XML cannot hold together (its schema lets <%s> have one or the other)",
                                at, mb->json, o->json, m->name);
            }
    }
    return CTL_OK;
}

static const char *id_of(const json_t *obj)
{
    static const char *const keys[] = {"id", "control-id", "statement-id", "param-id", "role-id", "uuid", "href"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *s = json_string_value(json_object_get(obj, keys[i]));
        if (s) return s;
    }
    return NULL;
}

static ctl_status write_assembly(writer *w, const model *m, const json_t *obj, const char *el, int depth,
                                 const place *up, const char *xmlns)
{
    place p = {el, NULL, up};
    if (!json_is_object(obj)) return internal(w, &p, "not an object");
    p.id = id_of(obj);
    ctl_status st = check_members(w, m, obj, &p);
    if (st == CTL_OK) st = open_tag(w, el, depth);
    if (st == CTL_OK && xmlns && (st = puts_(w, " xmlns=\"")) == CTL_OK && (st = puts_(w, xmlns)) == CTL_OK)
        st = puts_(w, "\"");
    int content = 0;
    for (const member *mb = m->m; st == CTL_OK && mb->json; mb++) {
        const json_t *v = json_object_get(obj, mb->json);
        if (!v) continue;
        char name[96];
        snprintf(name, sizeof name, "%s %s", el, mb->xml);
        place a = {name, p.id, up};
        if (is_flag(mb)) st = attribute(w, mb->xml, v, mb->kind == K_INT, &a);
        else content = 1;
    }
    const member *value = value_of(m);
    if (st == CTL_OK && value && !content) st = internal(w, &p, "no value (its text in XML)");
    if (st != CTL_OK) return st;
    if (!content) return puts_(w, "/>");
    if ((st = puts_(w, ">")) != CTL_OK) return st;
    if (value) {
        size_t n;
        place a = {el, p.id, up};
        const char *s = string_of(w, json_object_get(obj, value->json), &a, &n);
        if (!s) return ctl_error_status(w->ctx);
        w->run = 0;
        return (st = text(w, s, n)) == CTL_OK ? close_tag(w, el) : st;
    }
    for (const member *mb = m->m; st == CTL_OK && mb->json; mb++) {
        const json_t *v = json_object_get(obj, mb->json);
        if (v && !is_flag(mb)) st = write_member(w, mb, v, depth + 1, &p);
    }
    if (st == CTL_OK) st = indent(w, depth - 1);
    return st == CTL_OK ? close_tag(w, el) : st;
}

ctl_status ctl_oscal_tree_to_xml(ctl_ctx *ctx, const json_t *doc, FILE *out, const char *out_name)
{
    const model *m = NULL;
    const char *root = NULL;
    for (size_t i = 0; i < sizeof roots / sizeof *roots && json_is_object(doc); i++)
        if (json_object_get(doc, roots[i].root)) root = roots[i].root, m = roots[i].m;
    if (!m || json_object_size(doc) != 1)
        return ctl_fail(ctx, CTL_D_INTERNAL, out_name, 0, "the OSCAL document to write is not one "
                        "{\"catalog\": ...} or {\"component-definition\": ...}");
    writer w = {ctx, out, out_name, {0}, 0, 0};
    ctl_status st = puts_(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    if (st == CTL_OK) st = write_assembly(&w, m, json_object_get(doc, root), root, 1, NULL, OSCAL_NS);
    if (st == CTL_OK) st = puts_(&w, "\n");
    if (st == CTL_OK && !flush(&w)) st = ctl_write_failed(ctx, out_name, w.io_failed);
    ctl_buf_free(&w.b);
    return st;
}

/* ---------------------------------------------------------- the reader */

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    xmlTextReaderPtr r;
    ctl_xml_error err;
    uint64_t cost, budget;  /* bytes of the tree built, and its bound */
    size_t len;             /* bytes of the document */
    size_t floor;           /* --limit json-memory */
} reader;

static long here(const reader *x) { return ctl_xml_line(x->r); }

/* Reads the next node (ctl_xml_next).  Returns 1 for a node, 0 at the
 * end, -1 on error (recorded).  Markup (below the elements of the
 * models) is not held to MAX_DEPTH. */
static int read_node(reader *x, ctl_status *st, int markup)
{
    int rc = ctl_xml_next(x->ctx, x->file, x->r, &x->err, st);
    if (rc > 0 && !markup && xmlTextReaderDepth(x->r) >= MAX_DEPTH) {
        *st = ctl_fail(x->ctx, CTL_D_FIXED_LIMIT, x->file, here(x), "elements nested deeper than %d (a fixed "
                       "limit of ctlconv's OSCAL reader; libxml2 stops at 256)", MAX_DEPTH);
        return -1;
    }
    return rc;
}

static int step(reader *x, ctl_status *st) { return read_node(x, st, 0); }

static const char *local(const reader *x) { return (const char *)xmlTextReaderConstLocalName(x->r); }

static int ours(const reader *x)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);
    return ns && !strcmp((const char *)ns, OSCAL_NS);
}

static int is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static int blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* XML bytes to JSON bytes, about (OSCAL's XML takes half the bytes of its
 * JSON: 1.4 MB for the 2.6 MB of NIST's 800-53 LOW baseline). */
enum { XML_TO_JSON = 2 };

/* Counts bytes of the tree against its bound. */
static ctl_status charge(reader *x, size_t bytes)
{
    x->cost += bytes;
    if (x->cost <= x->budget) return CTL_OK;
    return ctl_limit_fail(x->ctx, x->file, here(x), CTL_LIMIT_JSON_MEMORY, "OSCAL XML: the document of %zu "
                          "bytes makes a tree of more than %zu + %d x %zu bytes", x->len, x->floor, 3 * XML_TO_JSON,
                          x->len);
}

/* What jansson 2.14 allocates at most, malloc's overhead included (as
 * measured): an object with its first 8 buckets; a member, its key's bytes
 * besides, with its share of buckets as the object grows; a string, its
 * bytes besides; an integer; an array; a slot of an array (up to twice the
 * slots, and the old ones too while they are copied as it grows). */
enum { COST_OBJECT = 224, COST_MEMBER = 96, COST_STRING = 80, COST_INTEGER = 32, COST_ARRAY = 128, COST_SLOT = 24 };

static ctl_status set(reader *x, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v)) return ctl_nomem(x->ctx);
    return charge(x, COST_MEMBER + strlen(key));
}

static ctl_status push(reader *x, json_t *arr, json_t *v)
{
    if (!v || json_array_append_new(arr, v)) return ctl_nomem(x->ctx);
    return charge(x, COST_SLOT);
}

static json_t *string(reader *x, const char *s, size_t n, ctl_status *st)
{
    *st = charge(x, COST_STRING + n);
    json_t *v = *st == CTL_OK ? json_stringn(s, n) : NULL;
    if (*st == CTL_OK && !v) *st = ctl_nomem(x->ctx);
    return v;
}

static ctl_status unknown(reader *x, const char *in)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);
    if (!ns || strcmp((const char *)ns, OSCAL_NS))
        return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "element <%s>%s%s in <%s> is not in the "
                        "OSCAL namespace " OSCAL_NS, local(x), ns ? " of namespace " : "", ns ? (const char *)ns : "",
                        in);
    return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "unknown element <%s> in <%s> (OSCAL 1.2.1 "
                    "has no such element there)", local(x), in);
}

/* Refuses attributes on an element that has none in OSCAL (namespace
 * declarations and attributes of other namespaces are let be). */
static ctl_status no_attributes(reader *x, const char *el)
{
    ctl_status st = CTL_OK;
    if (!xmlTextReaderHasAttributes(x->r)) return st;
    long line = here(x);
    while (st == CTL_OK && xmlTextReaderMoveToNextAttribute(x->r) == 1)
        if (!xmlTextReaderIsNamespaceDecl(x->r) && !xmlTextReaderConstNamespaceUri(x->r))
            st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, line, "unknown attribute %s on <%s>", local(x), el);
    xmlTextReaderMoveToElement(x->r);
    return st;
}

/* At a start element: its text (no child elements) as a JSON string. */
static json_t *leaf_text(reader *x, ctl_status *st)
{
    ctl_buf b = {0};
    char name[64];
    snprintf(name, sizeof name, "%s", local(x));
    *st = CTL_OK;
    if (!xmlTextReaderIsEmptyElement(x->r)) {
        int depth = xmlTextReaderDepth(x->r);
        for (;;) {
            int rc = step(x, st);
            if (rc <= 0) {
                if (*st == CTL_OK) *st = ctl_fail(x->ctx, CTL_D_MALFORMED_XML, x->file, here(x), "unexpected end in <%s>", name);
                break;
            }
            int type = xmlTextReaderNodeType(x->r);
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth) break;
            if (is_text(type)) {
                const char *v = (const char *)xmlTextReaderConstValue(x->r);
                if (v && !ctl_buf_adds(&b, v)) { *st = ctl_nomem(x->ctx); break; }
            } else if (type == XML_READER_TYPE_ELEMENT) {
                *st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "element <%s> inside <%s>, which "
                               "holds text only", local(x), name);
                break;
            }
        }
    }
    json_t *v = *st == CTL_OK ? string(x, b.data ? b.data : "", b.len, st) : NULL;
    ctl_buf_free(&b);
    return v;
}

/* ------------------------------------------------ markup to plain text */

/* Text made of markup: lines counts the lines begun. */
typedef struct {
    reader *x;
    ctl_buf b;
    size_t lines;
} flat;

static int is_block_name(const char *s)
{
    static const char *const blocks[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "ul", "ol", "table",
                                         "blockquote", "hr", "img"};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (!strcmp(s, blocks[i])) return 1;
    return 0;
}

static int one_of(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i])) return 1;
    return 0;
}

static ctl_status add(flat *f, const char *s)
{
    return ctl_buf_adds(&f->b, s) ? CTL_OK : ctl_nomem(f->x->ctx);
}

static ctl_status new_line(flat *f)
{
    return f->lines++ ? add(f, "\n") : CTL_OK;
}

static ctl_status out_of_place(reader *x, const char *in)
{
    if (!ours(x)) return unknown(x, in);
    return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "<%s> in <%s>: OSCAL markup has no such "
                    "element there", local(x), in);
}

/* What is done with each child node of a markup element. */
typedef ctl_status (*node_fn)(flat *f, int type, void *arg);

/* At a markup element: fn on each of its children (comments dropped);
 * returns on its last node.  Markup is not held to MAX_DEPTH. */
static ctl_status children(flat *f, node_fn fn, void *arg)
{
    reader *x = f->x;
    if (xmlTextReaderIsEmptyElement(x->r)) return CTL_OK;
    int depth = xmlTextReaderDepth(x->r);
    ctl_status st = CTL_OK;
    for (;;) {
        int rc = read_node(x, &st, 1);
        if (rc <= 0) return st != CTL_OK ? st : ctl_fail(x->ctx, CTL_D_MALFORMED_XML, x->file, here(x), "unexpected end");
        int type = xmlTextReaderNodeType(x->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth) return CTL_OK;
        if (type == XML_READER_TYPE_COMMENT || type == XML_READER_TYPE_PROCESSING_INSTRUCTION) continue;
        if ((st = fn(f, type, arg)) != CTL_OK) return st;
    }
}

static ctl_status skip(flat *f, int type, void *arg)
{
    (void)f, (void)type, (void)arg;
    return CTL_OK;
}

/* An attribute of the current element added to f (missing: "", or an
 * error naming it when needed). */
static ctl_status add_attribute(flat *f, const char *name, int needed)
{
    xmlChar *v = xmlTextReaderGetAttribute(f->x->r, BAD_CAST name);
    ctl_status st = v ? add(f, (const char *)v)
                  : needed ? ctl_fail(f->x->ctx, CTL_D_BAD_STRUCTURE, f->x->file, here(f->x), "<%s> without its "
                                      "%s attribute", local(f->x), name)
                           : CTL_OK;
    xmlFree(v);
    return st;
}

/* A child of inline markup: text as it is, phrases' text, a line break,
 * an insert as the JSON form writes it, an image's alt text. */
static ctl_status inline_node(flat *f, int type, void *arg)
{
    static const char *const phrases[] = {"a", "em", "i", "b", "strong", "sub", "sup", "q", "code"};
    reader *x = f->x;
    const char *in = arg;
    ctl_status st;
    if (is_text(type)) return add(f, (const char *)xmlTextReaderConstValue(x->r));
    if (type != XML_READER_TYPE_ELEMENT) return CTL_OK;
    const char *n = local(x);
    if (!ours(x)) return out_of_place(x, in);
    if (one_of(n, phrases, sizeof phrases / sizeof *phrases)) return children(f, inline_node, (void *)n);
    if (!strcmp(n, "br")) st = add(f, "\n");
    else if (!strcmp(n, "img")) st = add_attribute(f, "alt", 0);
    else if (!strcmp(n, "insert")) {
        if ((st = add(f, "{{ insert: ")) == CTL_OK && (st = add_attribute(f, "type", 1)) == CTL_OK &&
            (st = add(f, ", ")) == CTL_OK && (st = add_attribute(f, "id-ref", 1)) == CTL_OK)
            st = add(f, " }}");
    } else {
        return out_of_place(x, in);
    }
    return st == CTL_OK ? children(f, skip, NULL) : st;
}

static ctl_status block(flat *f, const char *in);

/* A child of a block container: a block; white space between them. */
static ctl_status block_node(flat *f, int type, void *arg)
{
    reader *x = f->x;
    if (type == XML_READER_TYPE_ELEMENT) return block(f, arg);
    if (is_text(type) && !blank((const char *)xmlTextReaderConstValue(x->r)))
        return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "text directly inside <%s> (OSCAL markup "
                        "wants it in <p> or another block)", (const char *)arg);
    return CTL_OK;
}

/* A list item's state: its inline content so far; whether it holds
 * blocks too. */
typedef struct {
    flat *f;
    flat run;
    int mixed;
} item_state;

/* The run of inline content of an item holding blocks: a line, trimmed. */
static ctl_status end_run(item_state *s)
{
    const char *t = s->run.b.data ? s->run.b.data : "";
    size_t n = s->run.b.len;
    while (n && strchr(" \t\r\n", t[n - 1])) n--;
    while (n && strchr(" \t\r\n", *t)) t++, n--;
    ctl_status st = n ? new_line(s->f) : CTL_OK;
    if (st == CTL_OK && n && !ctl_buf_add(&s->f->b, t, n)) st = ctl_nomem(s->f->x->ctx);
    s->run.b.len = 0;
    return st;
}

static ctl_status item_node(flat *f, int type, void *arg)
{
    item_state *s = arg;
    reader *x = f->x;
    if (type == XML_READER_TYPE_ELEMENT && ours(x) && is_block_name(local(x)) && strcmp(local(x), "img")) {
        s->mixed = 1;
        ctl_status st = end_run(s);
        return st == CTL_OK ? block(s->f, "li") : st;
    }
    return inline_node(&s->run, type, "li");
}

/* A list item: a line; one holding blocks: their lines, and each run of
 * inline content between them a line, trimmed. */
static ctl_status list_item(flat *f)
{
    item_state s = {f, {f->x, {0}, 0}, 0};
    ctl_status st = children(f, item_node, &s);
    if (st == CTL_OK && s.mixed) st = end_run(&s);
    else if (st == CTL_OK && (st = new_line(f)) == CTL_OK && s.run.b.len && !ctl_buf_add(&f->b, s.run.b.data, s.run.b.len))
        st = ctl_nomem(f->x->ctx);
    ctl_buf_free(&s.run.b);
    return st;
}

/* White space between the parts of a list or table; other text refused. */
static ctl_status between(flat *f, int type, const char *in)
{
    reader *x = f->x;
    if (is_text(type) && !blank((const char *)xmlTextReaderConstValue(x->r)))
        return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "text directly inside <%s>", in);
    return CTL_OK;
}

static ctl_status li_node(flat *f, int type, void *arg)
{
    if (type != XML_READER_TYPE_ELEMENT) return between(f, type, arg);
    if (ours(f->x) && !strcmp(local(f->x), "li")) return list_item(f);
    return out_of_place(f->x, arg);
}

/* A cell: its text, after a tab unless it is the row's first. */
static ctl_status cell_node(flat *f, int type, void *arg)
{
    int *first = arg;
    const char *n = local(f->x);
    if (type != XML_READER_TYPE_ELEMENT) return between(f, type, "tr");
    if (!ours(f->x) || (strcmp(n, "td") && strcmp(n, "th"))) return out_of_place(f->x, "tr");
    ctl_status st = *first ? CTL_OK : add(f, "\t");
    *first = 0;
    return st == CTL_OK ? children(f, inline_node, (void *)n) : st;
}

/* A table row: a line. */
static ctl_status tr_node(flat *f, int type, void *arg)
{
    (void)arg;
    if (type != XML_READER_TYPE_ELEMENT) return between(f, type, "table");
    if (!ours(f->x) || strcmp(local(f->x), "tr")) return out_of_place(f->x, "table");
    int first = 1;
    ctl_status st = new_line(f);
    return st == CTL_OK ? children(f, cell_node, &first) : st;
}

/* At a block element: its lines. */
static ctl_status block(flat *f, const char *in)
{
    static const char *const lines[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"};
    reader *x = f->x;
    const char *n = local(x);
    ctl_status st;
    if (!ours(x)) return out_of_place(x, in);
    if (one_of(n, lines, sizeof lines / sizeof *lines))
        return (st = new_line(f)) == CTL_OK ? children(f, inline_node, (void *)n) : st;
    if (!strcmp(n, "ul") || !strcmp(n, "ol")) return children(f, li_node, (void *)n);
    if (!strcmp(n, "table")) return children(f, tr_node, NULL);
    if (!strcmp(n, "blockquote")) return children(f, block_node, (void *)n);
    if (!strcmp(n, "hr")) return children(f, skip, NULL);
    if (!strcmp(n, "img")) {
        if ((st = new_line(f)) == CTL_OK && (st = add_attribute(f, "alt", 0)) == CTL_OK) st = children(f, skip, NULL);
        return st;
    }
    return out_of_place(x, in);
}

/* At a markup element: its text (line: markup-line, else markup-multiline)
 * as a JSON string; the reader left on its last node. */
static json_t *markup_text(reader *x, int line, ctl_status *st)
{
    flat f = {x, {0}, 0};
    json_t *v = NULL;
    const char *n = local(x);
    if ((*st = no_attributes(x, n)) == CTL_OK) *st = children(&f, line ? inline_node : block_node, (void *)n);
    if (*st == CTL_OK) v = string(x, f.b.data ? f.b.data : "", f.b.len, st);
    ctl_buf_free(&f.b);
    return v;
}

static ctl_status read_assembly(reader *x, const model *m, json_t *obj);

/* At the element of member mb: its value. */
static json_t *read_value(reader *x, const member *mb, ctl_status *st)
{
    json_t *v = NULL;
    switch (mb->kind) {
    case K_STRING:
        if ((*st = no_attributes(x, mb->xml)) == CTL_OK) v = leaf_text(x, st);
        return v;
    case K_LINE:
    case K_MULTI:
        return markup_text(x, mb->kind == K_LINE, st);
    default:
        if ((*st = charge(x, COST_OBJECT)) != CTL_OK) return NULL;
        if (!(v = json_object())) {
            *st = ctl_nomem(x->ctx);
            return NULL;
        }
        if ((*st = read_assembly(x, mb->sub, v)) != CTL_OK) {
            json_decref(v);
            v = NULL;
        }
        return v;
    }
}

/* At the element of member mb of obj (m): its value set or added. */
static ctl_status read_member(reader *x, const model *m, const member *mb, json_t *obj)
{
    ctl_status st = CTL_OK;
    json_t *have = json_object_get(obj, mb->json);
    if (have && !mb->many)
        return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "a second <%s> in <%s>", mb->xml, m->name);
    if (mb->many && !have) {
        if ((st = charge(x, COST_ARRAY)) != CTL_OK || (st = set(x, obj, mb->json, json_array())) != CTL_OK) return st;
        have = json_object_get(obj, mb->json);
    }
    if (!mb->wrap) {
        json_t *v = read_value(x, mb, &st);
        if (st != CTL_OK) return st;
        return mb->many ? push(x, have, v) : set(x, obj, mb->json, v);
    }
    /* the wrapper: the repeated elements inside */
    if ((st = no_attributes(x, mb->wrap)) != CTL_OK || xmlTextReaderIsEmptyElement(x->r)) return st;
    int depth = xmlTextReaderDepth(x->r);
    for (;;) {
        int rc = step(x, &st);
        if (rc <= 0) return st != CTL_OK ? st : ctl_fail(x->ctx, CTL_D_MALFORMED_XML, x->file, here(x), "unexpected end");
        int type = xmlTextReaderNodeType(x->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth) return CTL_OK;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!ours(x) || strcmp(local(x), mb->xml)) return unknown(x, mb->wrap);
            json_t *v = read_value(x, mb, &st);
            if (st != CTL_OK || (st = push(x, have, v)) != CTL_OK) return st;
        } else if (is_text(type) && !blank((const char *)xmlTextReaderConstValue(x->r))) {
            return ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "text directly inside <%s>", mb->wrap);
        }
    }
}

/* At an assembly's element: its flags, then its children, into obj. */
static ctl_status read_flags(reader *x, const model *m, json_t *obj)
{
    ctl_status st = CTL_OK;
    if (!xmlTextReaderHasAttributes(x->r)) return st;
    long line = here(x);
    while (st == CTL_OK && xmlTextReaderMoveToNextAttribute(x->r) == 1) {
        if (xmlTextReaderIsNamespaceDecl(x->r) || xmlTextReaderConstNamespaceUri(x->r)) continue;
        const char *name = local(x), *value = (const char *)xmlTextReaderConstValue(x->r);
        const member *mb = by_xml(m, name, 1);
        if (!mb) {
            st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, line, "unknown attribute %s on <%s>", name, m->name);
            break;
        }
        if (mb->kind == K_INT) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(value, &end, 10);
            if (!*value || *end || *value == '-' || *value == '+' || errno || n > (unsigned long long)LLONG_MAX) {
                st = ctl_fail(x->ctx, CTL_D_BAD_FIELD, x->file, line, "%s=\"%s\" on <%s> is no whole number", name,
                              value, m->name);
                break;
            }
            if ((st = charge(x, COST_INTEGER)) == CTL_OK) st = set(x, obj, mb->json, json_integer((json_int_t)n));
        } else {
            json_t *v = string(x, value, strlen(value), &st);
            if (st == CTL_OK) st = set(x, obj, mb->json, v);
        }
    }
    xmlTextReaderMoveToElement(x->r);
    return st;
}

static ctl_status read_assembly(reader *x, const model *m, json_t *obj)
{
    ctl_status st = read_flags(x, m, obj);
    const member *value = value_of(m), *prose = prose_of(m);
    if (st != CTL_OK) return st;
    if (value) {
        json_t *v = leaf_text(x, &st);
        return st == CTL_OK ? set(x, obj, value->json, v) : st;
    }
    if (xmlTextReaderIsEmptyElement(x->r)) return CTL_OK;
    flat f = {x, {0}, 0};
    int depth = xmlTextReaderDepth(x->r);
    for (;;) {
        int rc = step(x, &st);
        if (rc <= 0) {
            if (st == CTL_OK) st = ctl_fail(x->ctx, CTL_D_MALFORMED_XML, x->file, here(x), "unexpected end");
            break;
        }
        int type = xmlTextReaderNodeType(x->r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth) break;
        if (is_text(type) && !blank((const char *)xmlTextReaderConstValue(x->r))) {
            st = ctl_fail(x->ctx, CTL_D_BAD_STRUCTURE, x->file, here(x), "text directly inside <%s>", m->name);
            break;
        }
        if (type != XML_READER_TYPE_ELEMENT) continue;
        const member *mb = ours(x) ? by_xml(m, local(x), 0) : NULL;
        if (mb) {
            st = read_member(x, m, mb, obj);
        } else if (prose && ours(x) && is_block_name(local(x))) {
            st = block(&f, m->name);
        } else {
            st = unknown(x, m->name);
        }
        if (st != CTL_OK) break;
    }
    if (st == CTL_OK && f.lines) {
        json_t *v = string(x, f.b.data ? f.b.data : "", f.b.len, &st);
        if (st == CTL_OK) st = set(x, obj, prose->json, v);
    }
    ctl_buf_free(&f.b);
    return st;
}

/* What the root element is, for a refusal. */
static ctl_status not_oscal(reader *x)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);
    if (ours(x))
        return ctl_fail(x->ctx, CTL_D_NOT_A_LIST, x->file, here(x), "an OSCAL <%s>, not a catalog: ctlconv reads "
                        "OSCAL catalogs (and writes component definitions)", local(x));
    return ctl_fail(x->ctx, CTL_D_NOT_A_LIST, x->file, here(x), "not OSCAL: the root element is <%s>%s%s, not "
                    "<catalog xmlns=\"" OSCAL_NS "\">", local(x), ns ? " in namespace " : "",
                    ns ? (const char *)ns : "");
}

/* The root element into *doc; then the rest must be well-formed. */
static ctl_status read_root(reader *x, json_t **doc)
{
    const model *m = NULL;
    const char *root = NULL;
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
        if (ours(x) && !strcmp(local(x), roots[i].root)) m = roots[i].m, root = roots[i].root;
    if (!m) return not_oscal(x);
    json_t *obj = json_object();
    ctl_status st = charge(x, 2 * COST_OBJECT);
    if (st == CTL_OK && (!obj || !(*doc = json_object()))) st = ctl_nomem(x->ctx);
    if (st == CTL_OK) st = set(x, *doc, root, json_incref(obj));
    if (st == CTL_OK) st = read_assembly(x, m, obj);
    json_decref(obj);
    int rc;
    while (st == CTL_OK && (rc = step(x, &st)) > 0)
        if (xmlTextReaderNodeType(x->r) == XML_READER_TYPE_ELEMENT)
            st = ctl_fail(x->ctx, CTL_D_MALFORMED_XML, x->file, here(x), "a second root element");
    return st;
}

static ctl_status xml_to_tree(ctl_ctx *ctx, const char *name, const unsigned char *data, size_t len,
                              const ctl_options *opts, int xml_options, json_t **doc)
{
    ctl_xml_harden();
    size_t floor = ctl_limit_value(opts, CTL_LIMIT_JSON_MEMORY);
    reader x = {ctx, name, NULL, {"", 0}, 0, (uint64_t)floor + 3 * XML_TO_JSON * (uint64_t)len, len, floor};
    if (len > INT_MAX) return ctl_fail(ctx, CTL_D_FIXED_LIMIT, name, 0, "an XML document over 2 GiB");
    size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && strchr(" \t\r\n", data[i]) && data[i]) i++;
    if (i >= len || data[i] != '<')
        return ctl_fail(ctx, i >= len ? CTL_D_EMPTY_INPUT : CTL_D_NOT_A_LIST, name, 0, "%s: no OSCAL catalog in it",
                        i >= len ? "empty input" : "not XML");
    long dt = ctl_xml_doctype_line((const char *)data, len);
    if (dt)
        return ctl_fail(ctx, CTL_D_DOCTYPE, name, dt, "a DOCTYPE: refused (ctlconv never loads DTDs or expands "
                        "entities)");
    x.r = xmlReaderForMemory((const char *)data, (int)len, name, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | xml_options);
    if (!x.r) return ctl_nomem(ctx);
    xmlTextReaderSetStructuredErrorHandler(x.r, ctl_xml_keep_error, &x.err);
    ctl_status st = CTL_OK;
    int rc;
    while ((rc = step(&x, &st)) > 0 && xmlTextReaderNodeType(x.r) != XML_READER_TYPE_ELEMENT) {}
    if (rc == 0 && st == CTL_OK) st = ctl_fail(ctx, CTL_D_EMPTY_INPUT, name, 0, "no root element: no OSCAL catalog in it");
    if (rc > 0) st = read_root(&x, doc);
    xmlFreeTextReader(x.r);
    if (st != CTL_OK) {
        json_decref(*doc);
        *doc = NULL;
    }
    return st;
}

static int utf16_bom(const unsigned char *d, size_t len)
{
    return len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF));
}

ctl_status ctl_oscal_xml_to_tree(ctl_ctx *ctx, const char *name, const unsigned char *data, size_t len,
                                 const ctl_options *opts, json_t **doc)
{
    *doc = NULL;
    if (!utf16_bom(data, len)) return xml_to_tree(ctx, name, data, len, opts, 0, doc);
    /* UTF-16 (its byte-order mark) read as UTF-8, the declaration's encoding ignored */
    char *utf8 = NULL;
    size_t n = 0;
    const char *used;
    ctl_status st = ctl_decode(ctx, name, data, len, NULL, &utf8, &n, &used);
    if (st == CTL_OK) st = xml_to_tree(ctx, name, (const unsigned char *)utf8, n, opts, XML_PARSE_IGNORE_ENC, doc);
    free(utf8);
    return st;
}

/* ---------------------------------------------------------- the formats */

/* The root element's start tag in the first 64 KiB: its local name and
 * whether it binds its prefix (or the default namespace) to OSCAL's. */
static int oscal_root(const char *d, size_t len, char *name, size_t size)
{
    const char *p = d, *end = d + (len < 65536 ? len : 65536);
    if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    for (;;) {
        while (p < end && strchr(" \t\r\n", *p) && *p) p++;
        const char *close = NULL;
        if (end - p >= 2 && !memcmp(p, "<?", 2)) close = "?>";
        else if (end - p >= 4 && !memcmp(p, "<!--", 4)) close = "-->";
        if (!close) break;
        const char *q = memmem(p + 2, (size_t)(end - p - 2), close, strlen(close));
        if (!q) return 0;
        p = q + strlen(close);
    }
    if (p >= end || *p != '<') return 0;
    const char *tag = ++p;
    while (p < end && !strchr(" \t\r\n/>", *p)) p++;
    const char *colon = memchr(tag, ':', (size_t)(p - tag));
    const char *lname = colon ? colon + 1 : tag;
    if ((size_t)(p - lname) >= size || p == lname) return 0;
    memcpy(name, lname, (size_t)(p - lname));
    name[p - lname] = '\0';
    /* the attributes: xmlns or xmlns:PREFIX = the namespace */
    char want[80];
    if (colon) snprintf(want, sizeof want, "xmlns:%.*s", (int)(colon - tag), tag);
    else snprintf(want, sizeof want, "xmlns");
    while (p < end && *p != '>') {
        while (p < end && strchr(" \t\r\n/", *p) && *p) p++;
        const char *an = p;
        while (p < end && !strchr(" \t\r\n=/>", *p)) p++;
        size_t alen = (size_t)(p - an);
        while (p < end && strchr(" \t\r\n", *p) && *p) p++;
        if (p >= end || *p != '=') continue;
        p++;
        while (p < end && strchr(" \t\r\n", *p) && *p) p++;
        if (p >= end || (*p != '"' && *p != '\'')) return 0;
        char quote = *p++;
        const char *v = p;
        while (p < end && *p != quote) p++;
        if (p >= end) return 0;
        if (alen == strlen(want) && !memcmp(an, want, alen) && (size_t)(p - v) == strlen(OSCAL_NS) &&
            !memcmp(v, OSCAL_NS, strlen(OSCAL_NS)))
            return 1;
        p++;
    }
    return 0;
}

/* An XML document whose root is in OSCAL's namespace: above the generic
 * XML format's 90, so that OSCAL's own reader says what it is. */
static int oscal_xml_probe(const char *data, size_t len)
{
    char name[64], ascii[16384];
    if (utf16_bom((const unsigned char *)data, len)) {
        /* UTF-16: its first characters, any beyond ASCII a '?' */
        int le = data[0] == '\xFF';
        size_t n = 0;
        for (size_t i = 2; i + 1 < len && n < sizeof ascii; i += 2) {
            unsigned char lo = (unsigned char)data[i + !le], hi = (unsigned char)data[i + le];
            ascii[n++] = hi || lo >= 0x80 ? '?' : (char)lo;
        }
        data = ascii;
        len = n;
    }
    return oscal_root(data, len, name, sizeof name) ? 95 : 0;
}

static ctl_status oscal_xml_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    json_t *doc;
    ctl_status st = ctl_oscal_xml_to_tree(ctx, in->name, in->data, in->len, opts, &doc);
    if (st == CTL_OK && !json_object_get(doc, "catalog"))
        st = ctl_fail(ctx, CTL_D_NOT_A_LIST, in->name, 0, "an OSCAL component definition, not a catalog: ctlconv "
                      "writes component definitions, and reads catalogs");
    if (st == CTL_OK) st = ctl_oscal_read_tree(ctx, doc, in->name, opts, sink);
    json_decref(doc);
    return st;
}

static ctl_status oscal_xml_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                                   ctl_sink **sink)
{
    return ctl_oscal_writer(ctx, out, out_name, opts, CTL_OSCAL_CATALOG, ctl_oscal_tree_to_xml, sink);
}

static ctl_status oscal_component_xml_writer(ctl_ctx *ctx, FILE *out, const char *out_name,
                                             const ctl_options *opts, ctl_sink **sink)
{
    return ctl_oscal_writer(ctx, out, out_name, opts, CTL_OSCAL_COMPONENT, ctl_oscal_tree_to_xml, sink);
}

const ctl_format ctl_format_oscal_xml = {
    .name = "oscal-xml",
    .loses = CTL_LOSES_ANSWERS,
    .description = "OSCAL 1.2.1 catalog, XML (answers: oscal-component-xml)",
    .options = CTL_WRITES_DATE | CTL_WRITES_DOC_VERSION,
    .probe = oscal_xml_probe,
    .read = oscal_xml_read,
    .writer = oscal_xml_writer,
};

const ctl_format ctl_format_oscal_component_xml = {
    .name = "oscal-component-xml",
    .loses = CTL_LOSES_METADATA | CTL_LOSES_UNPLACED | CTL_LOSES_LABELS | CTL_LOSES_CATEGORIES | CTL_LOSES_EXTRAS,
    .description = "OSCAL 1.2.1 component definition, XML: the answers",
    .options = CTL_WRITES_DATE | CTL_WRITES_COMPONENT | CTL_WRITES_DOC_VERSION,
    .writer = oscal_component_xml_writer,
};
