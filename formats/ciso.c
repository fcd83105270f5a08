/* SPDX-License-Identifier: BSD-2-Clause */
/* CISO Assistant: what goes where between the list and a library (see
 * ciso.h), the same for the YAML and the workbook forms.
 *
 * The list as a library: urn:<packager>:risk:library:<library>; one
 * framework, a requirement node per item in order (URN from the id by
 * ctl_ciso_suffix(), made unique with "[2]"...; depth the level;
 * parent_urn the parent's; ref_id the id; name, description; assessable
 * when the item has a measure, a category or an answer; importance from
 * the category); for each edition of ISO/IEC 27001 the items reference,
 * a requirement mapping set to the framework CISO Assistant ships (one
 * mapping per reference that exists, relationship "intersect") and its
 * reverse, as CISO's converter makes them.  Answers, category words as
 * written, other extra columns and references of other schemes are left
 * out with one warning each.
 *
 * A library as the list: the framework's nodes in order; ids from ref_id,
 * else made as for rows without one (the URN rule reversed where the URN
 * says it); parents from parent_urn; references from the mapping sets
 * whose source is the framework; other node fields as extra columns. */
#include "ciso.h"

#include <ctype.h>
#include <stdlib.h>
#include <utf8proc.h>

#define NAME_MAX_CHARS 200   /* CISO Assistant's database: names */
#define REF_ID_MAX_CHARS 100 /* ... ref_ids */
#define URN_MAX_BYTES 255    /* ... URNs */
#define ISO_URN "urn:intuitem:risk:"

/* The editions of ISO/IEC 27001 CISO Assistant ships a framework of. */
static const struct {
    const char *scheme, *name;
} iso[] = {
    {"iso27001-2013", "ISO/IEC 27001:2013"},
    {"iso27001-2022", "ISO/IEC 27001:2022"},
};
enum { N_ISO = sizeof iso / sizeof *iso };

/* ------------------------------------------------------------- URNs */

static int reset(ctl_buf *b)
{
    b->len = 0;
    if (!ctl_buf_reserve(b, 0)) return 0;
    b->data[0] = '\0';
    return 1;
}

/* Appends s cleaned as CISO's converter cleans a ref_id. */
static int add_clean(ctl_buf *out, const char *s)
{
    utf8proc_uint8_t *d = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &d,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
    if (n == UTF8PROC_ERROR_NOMEM) return 0;
    /* not UTF-8: its ASCII bytes, as Python's ascii/ignore would keep */
    const unsigned char *p = n >= 0 ? d : (const unsigned char *)s;
    int ok = 1;
    for (; ok && *p; p++) {
        unsigned char c = *p;
        if (c >= 0x80) continue;
        c = (unsigned char)tolower(c);
        if (c == ' ') c = '-';
        else if (!isalnum(c) && !strchr("_-.[]():", c)) c = '_';
        ok = ctl_buf_addc(out, (char)c);
    }
    free(d);
    return ok;
}

int ctl_ciso_clean(const char *s, ctl_buf *out)
{
    return reset(out) && add_clean(out, s);
}

int ctl_ciso_suffix(const char *id, ctl_buf *out)
{
    if (!reset(out)) return 0;
    const char *hash = strchr(id, '#');
    size_t head = hash ? (size_t)(hash - id) : strlen(id);
    int ok = 1;
    if (head) {
        char *h = ctl_strndup(id, head);
        ok = h && add_clean(out, h);
        ctl_free(h);
    } else if (hash) {
        ok = ctl_buf_adds(out, "node");
    }
    /* each "#<n>" as ":<n>"; the first of "#<n>..." follows "node" */
    for (const char *p = hash; ok && p; p = strchr(p + 1, '#')) {
        const char *end = strchr(p + 1, '#');
        char *part = ctl_strndup(p + 1, end ? (size_t)(end - p - 1) : strlen(p + 1));
        ok = part && (p == id || ctl_buf_addc(out, ':')) && add_clean(out, part);
        ctl_free(part);
    }
    if (ok && !out->len) ok = ctl_buf_addc(out, '_');
    return ok;
}

/* Characters (code points) of UTF-8 text. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ------------------------------------------------------------- names */

int ctl_ciso_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* The code point before s[0..n)'s end, and its length. */
static size_t last_char(const char *s, size_t n, uint32_t *cp)
{
    size_t k = n - 1;
    while (k && ((unsigned char)s[k] & 0xC0) == 0x80 && n - k < 4) k--;
    ctl_utf8_decode(s + k, n - k, cp);
    return n - k;
}

void ctl_ciso_strip(const char **s, size_t *n)
{
    uint32_t cp;
    size_t k;
    while (*n && (k = ctl_utf8_decode(*s, *n, &cp)) && ctl_ciso_space(cp)) { *s += k; *n -= k; }
    while (*n && (k = last_char(*s, *n, &cp)) && ctl_ciso_space(cp)) *n -= k;
}

int ctl_ciso_short_name(const char *title, ctl_buf *out)
{
    const char *s = title;
    size_t n = strlen(title), cut = 0, count = 0;
    ctl_ciso_strip(&s, &n);
    if (!reset(out)) return 0;
    /* the bytes of the longest prefix of at most NAME_MAX_CHARS - 1
     * characters that ends at a grapheme boundary */
    utf8proc_int32_t prev = -1, state = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = ctl_utf8_decode(s + i, n - i, &cp);
        if (!k) k = 1;
        if (prev >= 0 && utf8proc_grapheme_break_stateful(prev, (utf8proc_int32_t)cp, &state) &&
            count < NAME_MAX_CHARS)
            cut = i;
        prev = (utf8proc_int32_t)cp;
        i += k;
        if (++count > NAME_MAX_CHARS) break;
    }
    if (count <= NAME_MAX_CHARS) return ctl_buf_add(out, s, n);
    return ctl_buf_add(out, s, cut) && ctl_buf_adds(out, "…");
}

/* --------------------------------------------------- the list as a library */

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    const char *packager, *library;
    json_int_t version;
    int oom;
    int japanese;
    json_t *used;           /* URN suffixes given so far */
    json_t *urn_of;         /* an id -> the URN of the latest item with it */
    json_t *maps[N_ISO];    /* the mappings to each edition */
    size_t answers, words, extras, others;
    ctl_buf extra_names, other_schemes;
    ctl_buf name;           /* a shortened name */
} builder;

static json_t *str(const char *s) { return json_stringn_nocheck(s, strlen(s)); }

/* o[k] = v (taken); a failure is remembered as out of memory. */
static void put(builder *b, json_t *o, const char *k, json_t *v)
{
    if (!v || json_object_set_new_nocheck(o, k, v)) b->oom = 1;
}

static void append(builder *b, json_t *a, json_t *v)
{
    if (!v || json_array_append_new(a, v)) b->oom = 1;
}

/* Does text hold kana or kanji? */
static int has_japanese(const char *s)
{
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t c;
        i += ctl_utf8_decode(s + i, n - i, &c);
        if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0x3400 && c <= 0x4DBF) ||
            (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F))
            return 1;
    }
    return 0;
}

/* A name CISO Assistant's database holds, or an error naming what. */
static ctl_status check_name(builder *b, const char *s, const char *item, const char *what)
{
    size_t n = chars(s);
    if (n <= NAME_MAX_CHARS) return CTL_OK;
    return ctl_fail_item(b->ctx, CTL_D_CISO_UNWRITABLE, b->file, 0, item,
                         "%s: a name of %zu characters; CISO Assistant holds at most %d (shorten it)", what, n,
                         NAME_MAX_CHARS);
}

/* Notes a name among those a warning lists ("a, b"), once each. */
static void note_name(builder *b, ctl_buf *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names->data; p && (p = strstr(p, name)); p += n)
        if ((p == names->data || p[-1] == ' ') && (p[n] == ',' || !p[n])) return;
    if (names->len > 400) return;
    if ((names->len && !ctl_buf_adds(names, ", ")) || !ctl_buf_adds(names, name)) b->oom = 1;
}

/* CISO's importance of an item's category, or NULL. */
static const char *importance(const ctl_item *it)
{
    switch (it->category) {
    case CTL_CATEGORY_BASIC:
    case CTL_CATEGORY_MANDATORY: return "mandatory";
    case CTL_CATEGORY_RECOMMENDED: return "recommended";
    default: break;
    }
    static const char *const words[] = {"mandatory", "recommended", "nice_to_have"};
    for (size_t i = 0; i < 3; i++)
        if (it->category_text && !strcasecmp(it->category_text, words[i])) return words[i];
    return NULL;
}

/* The item's extra of a name (the first), or NULL. */
static const char *extra_of(const ctl_item *it, const char *name)
{
    for (size_t i = 0; i < it->n_extra; i++)
        if (!strcmp(it->extra[i].name, name)) return it->extra[i].value;
    return NULL;
}

/* The node's assessable: an extra column "assessable" (true/false) when
 * the item has one, else whether it has a measure, a category or an
 * answer. */
static int assessable(const ctl_item *it)
{
    const char *a = extra_of(it, "assessable");
    if (a && !strcasecmp(a, "true")) return 1;
    if (a && !strcasecmp(a, "false")) return 0;
    return *ctl_str(it->description) || it->category != CTL_CATEGORY_NONE || *ctl_str(it->category_text) ||
           *ctl_str(it->answer);
}

/* The item's suffix, made unique in the library, into suf. */
static int unique_suffix(builder *b, const char *id, ctl_buf *suf)
{
    if (!ctl_ciso_suffix(id, suf)) return 0;
    size_t base = suf->len;
    for (unsigned n = 2; json_object_get(b->used, suf->data); n++) {
        suf->len = base;
        if (!ctl_buf_printf(suf, "[%u]", n)) return 0;
    }
    return !json_object_set_new(b->used, suf->data, json_true());
}

/* The item's references: mappings to the editions CISO ships, the others
 * counted; a reference of those editions that is no identifier of it is
 * warned about. */
static ctl_status map_refs(builder *b, const ctl_item *it, const char *urn)
{
    ctl_buf target = {0};
    ctl_status st = CTL_OK;
    for (size_t r = 0; st == CTL_OK && r < it->n_refs; r++) {
        const ctl_ref *ref = &it->refs[r];
        size_t k = 0;
        while (k < N_ISO && strcmp(ctl_str(ref->scheme), iso[k].scheme)) k++;
        if (k == N_ISO) {
            b->others++;
            note_name(b, &b->other_schemes, *ctl_str(ref->scheme) ? ref->scheme : "free text");
            continue;
        }
        if (ctl_scheme_has_id(iso[k].scheme, ref->id) != 1) {
            st = ctl_warn_item(b->ctx, CTL_D_REF_UNKNOWN, b->file, 0, it->id,
                               "%s: reference %s is no identifier of %s: no mapping made of it", it->id, ref->id,
                               iso[k].name);
            continue;
        }
        json_t *m = json_object();
        if (!m || !ctl_ciso_clean(ref->id, &target)) {
            json_decref(m);
            st = ctl_nomem(b->ctx);
            break;
        }
        put(b, m, "source_requirement_urn", str(urn));
        put(b, m, "target_requirement_urn", json_sprintf(ISO_URN "req_node:%s:%s", iso[k].scheme, target.data));
        put(b, m, "relationship", str("intersect"));
        if (!b->maps[k] && !(b->maps[k] = json_array())) b->oom = 1;
        if (b->maps[k]) append(b, b->maps[k], m);
        else json_decref(m);
    }
    ctl_buf_free(&target);
    return st;
}

/* The node's name: the title, or, when it is over CISO Assistant's 200
 * characters, the title shortened (ctl_ciso_short_name), warned about,
 * with the title as it is for the annotation (*annotation; the reader
 * takes it back from there).  An annotation column of the item that the
 * reader would take for the title, or that the title needs, is refused. */
static ctl_status name_of(builder *b, json_t *node, const ctl_item *it, const char **annotation)
{
    const char *t = ctl_str(it->title), *a = *annotation ? *annotation : "";
    size_t n = chars(t);
    if (n <= NAME_MAX_CHARS) {
        if (*t) put(b, node, "name", str(t));
        if (chars(a) <= NAME_MAX_CHARS) return CTL_OK;
        if (!ctl_ciso_short_name(a, &b->name)) return ctl_nomem(b->ctx);
        if (!*t || strcmp(b->name.data, t)) return CTL_OK;
        return ctl_fail_item(b->ctx, CTL_D_CISO_UNWRITABLE, b->file, 0, it->id, "%s: its title is its annotation "
                             "shortened, the form of a title over 200 characters: it would read back as the "
                             "annotation", it->id);
    }
    if (*a)
        return ctl_fail_item(b->ctx, CTL_D_CISO_UNWRITABLE, b->file, 0, it->id, "%s: a title of %zu characters "
                             "(CISO Assistant holds %d in a name: the full title goes to the annotation) and an "
                             "annotation column: shorten the title or leave the column out", it->id, n,
                             NAME_MAX_CHARS);
    if (!ctl_ciso_short_name(t, &b->name)) return ctl_nomem(b->ctx);
    put(b, node, "name", str(b->name.data));
    *annotation = t;
    return ctl_warn_item(b->ctx, CTL_D_NAME_SHORTENED, b->file, 0, it->id, "%s: a title of %zu characters: the "
                         "node's name is it shortened to %zu characters (CISO Assistant holds at most %d); the full "
                         "title is the node's annotation", it->id, n, chars(b->name.data), NAME_MAX_CHARS);
}

/* The text fields of a node. */
static ctl_status node_text(builder *b, json_t *node, const ctl_item *it)
{
    if (strchr(it->id, '#')) {
        /* a generated id: CISO's converter names a row without ref_id
         * from its parent; the label is its ref_id when it is a code */
        char canon[CTL_ID_MAX];
        const char *l = ctl_str(it->label);
        if (*l && !ctl_parse_id(l, strlen(l), canon) && chars(l) <= REF_ID_MAX_CHARS) put(b, node, "ref_id", str(l));
    } else {
        put(b, node, "ref_id", str(it->id));
    }
    const char *annotation = extra_of(it, "annotation");
    ctl_status st = name_of(b, node, it, &annotation);
    if (st != CTL_OK) return st;
    if (*ctl_str(it->description)) put(b, node, "description", str(it->description));
    if (annotation && *annotation) put(b, node, "annotation", str(annotation));
    const char *evidence = extra_of(it, "typical_evidence");
    if (evidence && *evidence) put(b, node, "typical_evidence", str(evidence));
    const char *imp = importance(it);
    if (imp) put(b, node, "importance", str(imp));
    /* what is not written */
    if (*ctl_str(it->answer)) b->answers++;
    const char *word = ctl_category_word(it);
    if (*word && (!imp || strcmp(word, imp))) b->words++;
    for (size_t i = 0; i < it->n_extra; i++) {
        const char *n = it->extra[i].name;
        /* the first of each field's name goes to the node */
        const char *v = it->extra[i].value;
        int kept = (!strcmp(n, "annotation") || !strcmp(n, "typical_evidence") ||
                    (!strcmp(n, "assessable") && (!strcasecmp(v, "true") || !strcasecmp(v, "false")))) &&
                   extra_of(it, n) == v;
        if (kept || !*ctl_str(it->extra[i].value)) continue;
        b->extras++;
        note_name(b, &b->extra_names, n);
    }
    if (has_japanese(ctl_str(it->title)) || has_japanese(ctl_str(it->description))) b->japanese = 1;
    return CTL_OK;
}

static ctl_status add_node(builder *b, json_t *nodes, const ctl_item *it)
{
    ctl_buf suf = {0};
    json_t *node = NULL, *urn = NULL;
    ctl_status st = CTL_OK;
    if (!unique_suffix(b, it->id, &suf) || !(node = json_object()) ||
        !(urn = json_sprintf("urn:%s:risk:req_node:%s:%s", b->packager, b->library, suf.data))) {
        st = ctl_nomem(b->ctx);
        goto done;
    }
    if (json_string_length(urn) > URN_MAX_BYTES) {
        st = ctl_fail_item(b->ctx, CTL_D_CISO_UNWRITABLE, b->file, 0, it->id,
                           "%s: its URN would be %zu bytes; CISO Assistant holds at most %d (a shorter "
                           "--library or --packager)", it->id, json_string_length(urn), URN_MAX_BYTES);
        goto done;
    }
    put(b, node, "urn", json_incref(urn));
    put(b, node, "assessable", json_boolean(assessable(it)));
    put(b, node, "depth", json_integer(it->level > 0 ? it->level : 1));
    json_t *parent = *ctl_str(it->parent) ? json_object_get(b->urn_of, it->parent) : NULL;
    if (parent) put(b, node, "parent_urn", json_incref(parent));
    if ((st = node_text(b, node, it)) != CTL_OK) goto done;
    append(b, nodes, json_incref(node));
    if (json_object_set_nocheck(b->urn_of, it->id, urn)) b->oom = 1;
    st = map_refs(b, it, json_string_value(urn));
done:
    json_decref(node);
    json_decref(urn);
    ctl_buf_free(&suf);
    return st;
}

/* The mapping sets to one edition: this framework's nodes to CISO's, and
 * back ("-revert"), as CISO's converter makes them. */
static void mapping_sets(builder *b, json_t *sets, size_t k, const char *framework)
{
    for (int back = 0; back < 2; back++) {
        json_t *set = json_object(), *maps = json_array();
        if (!set || !maps) {
            json_decref(set);
            json_decref(maps);
            b->oom = 1;
            return;
        }
        const char *rev = back ? "-revert" : "";
        put(b, set, "urn", json_sprintf("urn:%s:risk:req_mapping_set:%s-to-%s%s", b->packager, b->library,
                                        iso[k].scheme, rev));
        put(b, set, "ref_id", json_sprintf("%s-to-%s%s", b->library, iso[k].scheme, rev));
        put(b, set, "name", json_sprintf("%s -> %s", b->library, iso[k].name));
        put(b, set, "description", json_sprintf("Mapping from %s to International standard %s", b->library,
                                                iso[k].name));
        json_t *ours = str(framework), *theirs = json_sprintf(ISO_URN "framework:%s", iso[k].scheme);
        put(b, set, "source_framework_urn", json_incref(back ? theirs : ours));
        put(b, set, "target_framework_urn", json_incref(back ? ours : theirs));
        json_decref(ours);
        json_decref(theirs);
        size_t i;
        json_t *m;
        json_array_foreach(b->maps[k], i, m) {
            json_t *r = json_object();
            const char *src = json_string_value(json_object_get(m, "source_requirement_urn"));
            const char *dst = json_string_value(json_object_get(m, "target_requirement_urn"));
            if (!r || !src || !dst) {
                json_decref(r);
                b->oom = 1;
                continue;
            }
            put(b, r, "source_requirement_urn", str(back ? dst : src));
            put(b, r, "target_requirement_urn", str(back ? src : dst));
            put(b, r, "relationship", str("intersect"));
            append(b, maps, r);
        }
        put(b, set, "requirement_mappings", maps);
        append(b, sets, set);
    }
}

/* The framework around the nodes (taken). */
static json_t *framework(builder *b, const ctl_meta *m, const char *title, json_t *urn, json_t *nodes)
{
    json_t *fw = json_object();
    if (!fw) {
        json_decref(urn);
        json_decref(nodes);
        b->oom = 1;
        return NULL;
    }
    put(b, fw, "urn", urn);
    put(b, fw, "ref_id", str(b->library));
    put(b, fw, "name", str(title));
    if (*ctl_str(m->note)) put(b, fw, "description", str(m->note));
    if (*ctl_str(m->annex)) put(b, fw, "annotation", str(m->annex));
    put(b, fw, "requirement_nodes", nodes);
    return fw;
}

/* The library around the nodes (taken). */
static json_t *library(builder *b, const ctl_list *l, json_t *nodes)
{
    const ctl_meta *m = &l->meta;
    const char *title = *ctl_str(m->title) ? m->title : b->library;
    json_t *lib = json_object(), *objects = json_object();
    json_t *fw_urn = json_sprintf("urn:%s:risk:framework:%s", b->packager, b->library);
    if (!lib || !objects || !fw_urn) {
        json_decref(lib);
        json_decref(objects);
        json_decref(fw_urn);
        json_decref(nodes);
        b->oom = 1;
        return NULL;
    }
    if (has_japanese(ctl_str(m->title)) || has_japanese(ctl_str(m->note)) || has_japanese(ctl_str(m->annex)))
        b->japanese = 1;
    put(b, lib, "urn", json_sprintf("urn:%s:risk:library:%s", b->packager, b->library));
    put(b, lib, "locale", str(b->japanese ? "ja" : "en"));
    put(b, lib, "ref_id", str(b->library));
    put(b, lib, "name", str(title));
    if (*ctl_str(m->note)) put(b, lib, "description", str(m->note));
    put(b, lib, "version", json_integer(b->version));
    put(b, lib, "provider", str(b->packager));
    put(b, lib, "packager", str(b->packager));
    json_t *deps = NULL, *sets = NULL;
    for (size_t k = 0; k < N_ISO; k++) {
        if (!b->maps[k]) continue;
        if (!deps && !(deps = json_array())) b->oom = 1;
        if (deps) append(b, deps, json_sprintf(ISO_URN "library:%s", iso[k].scheme));
        if (!sets && !(sets = json_array())) b->oom = 1;
        if (sets) mapping_sets(b, sets, k, json_string_value(fw_urn));
    }
    if (deps) put(b, lib, "dependencies", deps);
    put(b, objects, "framework", framework(b, m, title, fw_urn, nodes));
    if (sets) put(b, objects, "requirement_mapping_sets", sets);
    put(b, lib, "objects", objects);
    return lib;
}

/* One warning for each kind of thing left out. */
static ctl_status say_dropped(builder *b, const ctl_list *l)
{
    ctl_status st = CTL_OK;
    if (b->answers)
        st = ctl_warn(b->ctx, CTL_D_FIELD_DROPPED, b->file, 0, "CISO Assistant library: %zu answer(s) not "
                      "written (a framework holds requirements; answers belong to an assessment)", b->answers);
    if (st == CTL_OK && b->words)
        st = ctl_warn(b->ctx, CTL_D_FIELD_DROPPED, b->file, 0, "CISO Assistant library: the category words of "
                      "%zu item(s) not written as such: importance says mandatory (基本, 必須) or recommended "
                      "(推奨), nothing for other words", b->words);
    if (st == CTL_OK && b->extras)
        st = ctl_warn(b->ctx, CTL_D_FIELD_DROPPED, b->file, 0, "CISO Assistant library: %zu cell(s) of extra "
                      "columns not written (%s): a node holds annotation and typical_evidence only", b->extras,
                      b->extra_names.data);
    if (st == CTL_OK && b->others)
        st = ctl_warn(b->ctx, CTL_D_FIELD_DROPPED, b->file, 0, "CISO Assistant library: %zu reference(s) not "
                      "mapped (%s): mappings go to ISO/IEC 27001:2013 and 2022 only", b->others,
                      b->other_schemes.data);
    if (st == CTL_OK && l->meta.n_unplaced)
        st = ctl_warn(b->ctx, CTL_D_UNPLACED_DROPPED, b->file, 0, "CISO Assistant library: %zu unplaced ISMS "
                      "reference(s) not written", l->meta.n_unplaced);
    if (st == CTL_OK && !strcmp(ctl_str(l->meta.title), b->library))
        st = ctl_warn(b->ctx, CTL_D_TITLE_AT_RISK, b->file, 0, "the title '%s' is the library's name: it reads "
                      "back as no title", b->library);
    return st;
}

/* A version CISO Assistant takes: a whole number. */
static int version_of(const char *s, json_int_t *v)
{
    if (!s) s = "1";
    size_t n = strlen(s);
    if (!n || n > 9 || strspn(s, "0123456789") != n) return 0;
    *v = (json_int_t)strtol(s, NULL, 10);
    return 1;
}

/* The options a library is named by, or an error. */
static ctl_status check_options(ctl_ctx *ctx, const ctl_options *opts, builder *b)
{
    b->packager = opts && opts->packager ? opts->packager : "ctlconv";
    b->library = opts && opts->library ? opts->library : "list";
    if (!version_of(opts ? opts->doc_version : NULL, &b->version))
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "CISO Assistant takes a whole number as a library's "
                        "version, not '%.40s'", opts->doc_version);
    if (!ctl_library_name_ok(b->packager) || !ctl_library_name_ok(b->library))
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the packager and library in CISO Assistant URNs are "
                        "lower-case ASCII letters, digits and '-' (at most 63), not '%.70s' and '%.70s'",
                        b->packager, b->library);
    return CTL_OK;
}

static void builder_free(builder *b)
{
    json_decref(b->used);
    json_decref(b->urn_of);
    for (size_t k = 0; k < N_ISO; k++) json_decref(b->maps[k]);
    ctl_buf_free(&b->extra_names);
    ctl_buf_free(&b->other_schemes);
    ctl_buf_free(&b->name);
}

ctl_status ctl_ciso_build(ctl_ctx *ctx, const ctl_list *l, const ctl_options *opts, json_t **lib)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    *lib = NULL;
    ctl_status st = check_options(ctx, opts, &b);
    if (st != CTL_OK) return st;
    const char *title = *ctl_str(l->meta.title) ? l->meta.title : b.library;
    if ((st = check_name(&b, title, NULL, "the title")) != CTL_OK) return st;
    json_t *nodes = json_array();
    b.used = json_object();
    b.urn_of = json_object();
    if (!nodes || !b.used || !b.urn_of) b.oom = 1;
    for (size_t i = 0; !b.oom && st == CTL_OK && i < l->n_items; i++) st = add_node(&b, nodes, &l->items[i]);
    if (st == CTL_OK && !b.oom) {
        *lib = library(&b, l, nodes);
        nodes = NULL;
    }
    json_decref(nodes);
    if (st == CTL_OK && b.oom) st = ctl_nomem(ctx);
    if (st == CTL_OK) st = say_dropped(&b, l);
    if (st != CTL_OK) {
        json_decref(*lib);
        *lib = NULL;
    }
    builder_free(&b);
    return st;
}

/* --------------------------------------------------- a library as the list */

typedef struct {
    ctl_ctx *ctx;
    const char *file;
    ctl_sink *sink;
    const char *fw_urn;     /* the framework's URN */
    json_t *refs;           /* a node's URN (lower case) -> [[scheme, id]...] */
    json_t *nodes_seen;     /* a node's URN -> [id, level] */
    json_t *ranks;          /* a parent's id ("" the top) -> the last rank under it */
    const char *ref_scheme; /* the scheme of the first mapping set read */
    size_t depth_off;       /* nodes whose depth is not their parent's + 1 */
    const char *depth_first;
    json_t *dropped;        /* fields left out -> how many nodes had one */
} reader;

/* The text of a scalar of the tree (a number as Python writes it); NULL
 * for an object, an array or null. */
static const char *scalar_text(const json_t *v, char num[40])
{
    switch (json_typeof(v)) {
    case JSON_STRING: return json_string_value(v);
    case JSON_INTEGER: snprintf(num, 40, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); return num;
    case JSON_REAL: {
        double d = json_real_value(v);
        for (int p = 1; p <= 17; p++) {
            snprintf(num, 40, "%.*g", p, d);
            if (strtod(num, NULL) == d) break;
        }
        if (!strpbrk(num, ".eEna")) strcat(num, ".0");
        return num;
    }
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return NULL;
    }
}

/* A string of the tree that holds a NUL cannot be a C string. */
static int holds_nul(const json_t *v)
{
    return json_is_string(v) && strlen(json_string_value(v)) != json_string_length(v);
}

/* A text field of a node: its text ("" when absent), or an error when it
 * is no scalar. */
static ctl_status node_field(reader *r, const json_t *node, const char *key, const char *urn, char num[40],
                             const char **out)
{
    const json_t *v = json_object_get(node, key);
    *out = "";
    if (!v || json_is_null(v)) return CTL_OK;
    if (holds_nul(v) || !(*out = scalar_text(v, num)))
        return ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file, 0, "requirement node %s: %s is no text", urn, key);
    return CTL_OK;
}

/* A whole number of the tree (an integer, an integral real, digits). */
static int whole(const json_t *v, long *n)
{
    if (json_is_integer(v)) {
        *n = (long)json_integer_value(v);
        return 1;
    }
    if (json_is_real(v) && json_real_value(v) == (double)(long)json_real_value(v)) {
        *n = (long)json_real_value(v);
        return 1;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s)) return 0;
    *n = strtol(s, NULL, 10);
    return 1;
}

/* A yes or no of the tree: 1, 0, or -1 when it is neither. */
static int yes_no(const json_t *v)
{
    if (json_is_boolean(v)) return json_is_true(v);
    long n;
    if (json_is_integer(v) && whole(v, &n) && (n == 0 || n == 1)) return (int)n;
    const char *s = json_string_value(v);
    static const char *const yes[] = {"true", "yes", "x", "1"}, *const no[] = {"false", "no", "", "0"};
    for (size_t i = 0; s && i < 4; i++) {
        if (!strcasecmp(s, yes[i])) return 1;
        if (!strcasecmp(s, no[i])) return 0;
    }
    return -1;
}

/* The scheme of a target framework's URN: an edition ctlconv knows, else
 * its name when it is one ([a-z][a-z0-9-]*), else "". */
static const char *scheme_of(const char *fw_urn, char out[CTL_LIBRARY_MAX])
{
    const char *name = strstr(fw_urn, ":framework:");
    out[0] = '\0';
    if (!name) return out;
    name += strlen(":framework:");
    const char *known = ctl_scheme_name(name, strlen(name));
    if (known) return known;
    if (ctl_library_name_ok(name) && isalpha((unsigned char)name[0])) snprintf(out, CTL_LIBRARY_MAX, "%s", name);
    return out;
}

/* The id a target node's URN names: its last part; for an edition of
 * ISO/IEC 27001, the identifier it stands for ("a.5.1.1" -> "A.5.1.1"). */
static int target_id(const char *urn, const char *scheme, ctl_buf *out)
{
    const char *p = urn;
    for (int colons = 0; colons < 5 && p; colons++) p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
    if (!p || !*p) p = urn;
    if (!reset(out) || !ctl_buf_adds(out, p)) return 0;
    if (out->data[0] == 'a' && out->data[1] == '.' && ctl_scheme_has_id(scheme, out->data) < 1) {
        out->data[0] = 'A';
        if (ctl_scheme_has_id(scheme, out->data) != 1) out->data[0] = 'a';
    }
    return 1;
}

/* Lower-cases an ASCII URN into out (CISO Assistant compares URNs so). */
static int lower_urn(const char *urn, ctl_buf *out)
{
    if (!reset(out) || !ctl_buf_adds(out, urn)) return 0;
    for (char *p = out->data; *p; p++) *p = (char)tolower((unsigned char)*p);
    return 1;
}

/* The mappings of one set whose source is the framework, as references
 * of its nodes. */
static ctl_status index_set(reader *r, const json_t *set)
{
    const char *src = json_string_value(json_object_get(set, "source_framework_urn"));
    const char *dst = json_string_value(json_object_get(set, "target_framework_urn"));
    if (!src || !dst || strcasecmp(src, r->fw_urn)) return CTL_OK;
    char name[CTL_LIBRARY_MAX];
    const char *scheme = scheme_of(dst, name);
    const json_t *maps = json_object_get(set, "requirement_mappings"), *m;
    size_t i;
    ctl_buf key = {0}, id = {0};
    ctl_status st = CTL_OK;
    json_array_foreach(maps, i, m) {
        const char *s = json_string_value(json_object_get(m, "source_requirement_urn"));
        const char *t = json_string_value(json_object_get(m, "target_requirement_urn"));
        if (!s || !t) {
            st = ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file, 0, "requirement mapping %zu of %s: no source or "
                          "target URN", i + 1, json_string_value(json_object_get(set, "urn")));
            break;
        }
        if (!lower_urn(s, &key) || !target_id(t, scheme, &id)) {
            st = ctl_nomem(r->ctx);
            break;
        }
        json_t *list = json_object_get(r->refs, key.data);
        if (!list && (!(list = json_array()) || json_object_set_new(r->refs, key.data, list))) {
            st = ctl_nomem(r->ctx);
            break;
        }
        if (json_array_append_new(list, json_pack("[ss]", scheme, id.data))) {
            st = ctl_nomem(r->ctx);
            break;
        }
        if (!r->ref_scheme && *scheme) r->ref_scheme = scheme;
    }
    ctl_buf_free(&key);
    ctl_buf_free(&id);
    return st;
}

static ctl_status index_refs(reader *r, const json_t *objects)
{
    const json_t *sets = json_object_get(objects, "requirement_mapping_sets");
    if (!sets) sets = json_object_get(objects, "requirement_mapping_set");
    if (json_is_object(sets)) return index_set(r, sets);
    size_t i;
    const json_t *set;
    ctl_status st = CTL_OK;
    json_array_foreach(sets, i, set) {
        if (st == CTL_OK) st = index_set(r, set);
    }
    return st;
}

/* Is the node's annotation its title in full, its name being that title
 * shortened (the form ctl_ciso_build writes a title over 200 characters
 * in)?  1 yes, 0 no, -1 out of memory. */
static int title_in_annotation(const json_t *node)
{
    const char *a = json_string_value(json_object_get(node, "annotation"));
    const char *name = json_string_value(json_object_get(node, "name"));
    if (!a || !name || holds_nul(json_object_get(node, "annotation")) || chars(a) <= NAME_MAX_CHARS) return 0;
    ctl_buf b = {0};
    int r = ctl_ciso_short_name(a, &b) ? !strcmp(b.data, name) : -1;
    ctl_buf_free(&b);
    return r;
}

/* The node fields that are fields of the item. */
static int named_field(const char *k)
{
    static const char *const named[] = {"urn", "parent_urn", "depth", "ref_id", "name", "description",
                                        "importance", "assessable"};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (!strcmp(k, named[i])) return 1;
    return 0;
}

/* An extra column's text of a node field into out: a scalar's, the
 * scalars of a list one a line.  0 when it is neither (an object, a list
 * of objects), -1 out of memory. */
static int extra_text(const json_t *v, ctl_buf *out)
{
    char num[40];
    if (!reset(out)) return -1;
    if (holds_nul(v)) return 0;
    const char *t = scalar_text(v, num);
    if (t) return ctl_buf_adds(out, t) ? 1 : -1;
    if (!json_is_array(v) || !json_array_size(v)) return 0;
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e) {
        if (holds_nul(e) || !(t = scalar_text(e, num))) return 0;
        if ((i && !ctl_buf_addc(out, '\n')) || !ctl_buf_adds(out, t)) return -1;
    }
    return 1;
}

/* Would the writer call this node assessable (a measure, an importance)? */
static int assessable_by_rule(const json_t *node)
{
    const char *d = json_string_value(json_object_get(node, "description"));
    const char *imp = json_string_value(json_object_get(node, "importance"));
    return (d && *d) || (imp && *imp && strcasecmp(imp, "undefined"));
}

/* Should a node's assessable be kept as an extra column? */
static int assessable_extra(const json_t *node)
{
    int a = yes_no(json_object_get(node, "assessable"));
    return a >= 0 && a != assessable_by_rule(node);
}

/* The columns of the document: the extra columns' names, first seen first
 * (at most the columns limit); the fields left out counted. */
static ctl_status columns(reader *r, const json_t *nodes, const ctl_options *opts, ctl_meta *meta)
{
    json_t *names = json_array(), *seen = json_object();
    ctl_buf t = {0};
    ctl_status st = CTL_OK;
    size_t i, max = ctl_limit_value(opts, CTL_LIMIT_COLUMNS);
    const json_t *node;
    if (!names || !seen) goto nomem;
    json_array_foreach(nodes, i, node) {
        const char *k;
        const json_t *v;
        int full = title_in_annotation(node);
        if (full < 0) goto nomem;
        json_object_foreach((json_t *)node, k, v) {
            if (full && !strcmp(k, "annotation")) continue;
            int x = !strcmp(k, "assessable") ? assessable_extra(node) : named_field(k) ? 0 : extra_text(v, &t);
            if (x < 0) goto nomem;
            if (!x && !named_field(k) && !json_is_null(v)) {
                json_t *n = json_object_get(r->dropped, k);
                if (json_object_set_new(r->dropped, k, json_integer(n ? json_integer_value(n) + 1 : 1))) goto nomem;
            }
            if (!x || json_object_get(seen, k)) continue;
            if (json_array_size(names) == max) {
                st = ctl_limit_fail(r->ctx, r->file, 0, CTL_LIMIT_COLUMNS, "requirement nodes with more than the "
                                    "limit of %zu different fields (each is a column)", max);
                goto done;
            }
            if (json_object_set_new(seen, k, json_true()) || json_array_append_new(names, json_string(k))) goto nomem;
        }
    }
    size_t n = json_array_size(names);
    if (n && !(meta->columns = ctl_malloc(n * sizeof *meta->columns))) goto nomem;
    for (i = 0; i < n; i++) {
        if (!(meta->columns[i] = ctl_strdup(json_string_value(json_array_get(names, i))))) goto nomem;
        meta->n_columns = i + 1;
    }
    goto done;
nomem:
    st = ctl_nomem(r->ctx);
done:
    json_decref(names);
    json_decref(seen);
    ctl_buf_free(&t);
    return st;
}

/* The next rank under a parent id (given: the rank a URN says, taken when
 * it is past the last one). */
static long next_rank(reader *r, const char *parent, long given)
{
    json_t *last = json_object_get(r->ranks, parent);
    long n = last ? (long)json_integer_value(last) : 0;
    n = given > n ? given : n + 1;
    if (json_object_set_new(r->ranks, parent, json_integer(n))) return -1;
    return n;
}

/* The rank a node's URN gives it: <parent URN>:<n>, or node<n> at the top;
 * 0 when it gives none. */
static long rank_in_urn(const char *urn, const char *parent_urn)
{
    const char *tail;
    if (parent_urn) {
        size_t n = strlen(parent_urn);
        if (strncasecmp(urn, parent_urn, n) || urn[n] != ':') return 0;
        tail = urn + n + 1;
    } else {
        const char *p = urn;
        for (int colons = 0; colons < 5 && p; colons++) p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
        if (!p || strncmp(p, "node", 4)) return 0;
        tail = p + 4;
    }
    if (!isdigit((unsigned char)*tail) || *tail == '0' || strlen(tail) > 9 || strspn(tail, "0123456789") != strlen(tail))
        return 0;
    return strtol(tail, NULL, 10);
}

/* A node's id, label (*label: malloc'd, the caller's), parent and level. */
static ctl_status place(reader *r, const json_t *node, const char *urn, ctl_item *it, char id[CTL_ID_MAX + 16],
                        char **label)
{
    char num[40];
    const char *ref;
    ctl_status st = node_field(r, node, "ref_id", urn, num, &ref);
    if (st != CTL_OK) return st;
    size_t len = strlen(ref);
    ctl_trim(&ref, &len);
    if (!(*label = ctl_strndup(ref, len))) return ctl_nomem(r->ctx);
    const char *parent_urn = json_string_value(json_object_get(node, "parent_urn"));
    ctl_buf key = {0};
    if (parent_urn && !lower_urn(parent_urn, &key)) return ctl_nomem(r->ctx);
    const json_t *up = parent_urn && *parent_urn ? json_object_get(r->nodes_seen, key.data) : NULL;
    ctl_buf_free(&key);
    if (parent_urn && *parent_urn && !up) {
        st = ctl_warn_item(r->ctx, CTL_D_PARENT_UNKNOWN, r->file, 0, NULL, "requirement node %s: parent_urn %s "
                           "is no node above it; placed by its depth", urn, parent_urn);
        if (st != CTL_OK) return st;
    }
    long depth = 0;
    const json_t *dv = json_object_get(node, "depth");
    int has_depth = dv && whole(dv, &depth) && depth > 0 && depth < 1000;
    /* the parent from parent_urn (none: the top), the level from depth
     * (none: the parent's + 1, 1 at the top); a parent_urn that is no node
     * above leaves the parent to the hierarchy */
    int up_level = up ? (int)json_integer_value(json_array_get(up, 1)) : 0;
    it->parent = up ? (char *)json_string_value(json_array_get(up, 0)) : parent_urn && *parent_urn ? NULL : "";
    it->level = has_depth ? (int)depth : up ? up_level + 1 : it->parent ? 1 : 0;
    if (up && it->level != up_level + 1 && !r->depth_off++) r->depth_first = urn;
    if (ctl_parse_id(*label, len, id)) return CTL_OK;
    /* no identifier: an id made as for a row without one */
    const char *p = it->parent ? it->parent : "";
    long rank = next_rank(r, p, rank_in_urn(urn, up ? parent_urn : NULL));
    if (rank < 0) return ctl_nomem(r->ctx);
    int w = snprintf(id, CTL_ID_MAX + 16, "%s#%ld", p, rank);
    if (w < 0 || w >= CTL_ID_MAX - 1) {
        if ((rank = next_rank(r, "", 0)) < 0) return ctl_nomem(r->ctx);
        snprintf(id, CTL_ID_MAX + 16, "#%ld", rank);
    }
    return ctl_warn_item(r->ctx, CTL_D_ID_GENERATED, r->file, 0, id, "requirement node %s: %s; kept as %s",
                         urn, len ? "its ref_id is no identifier" : "no ref_id", id);
}

/* The node's references and extra columns, into it; full: its annotation
 * is its title. */
static ctl_status node_rest(reader *r, const json_t *node, const char *urn, int full, ctl_item *it)
{
    ctl_buf t = {0};
    ctl_status st = CTL_OK;
    if (!lower_urn(urn, &t)) return ctl_nomem(r->ctx);
    size_t i;
    const json_t *ref;
    json_array_foreach(json_object_get(r->refs, t.data), i, ref) {
        const char *id = json_string_value(json_array_get(ref, 1));
        if (!ctl_item_add_ref(it, json_string_value(json_array_get(ref, 0)), id, strlen(id))) goto nomem;
    }
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)node, k, v) {
        if (!strcmp(k, "assessable") && assessable_extra(node)) {
            if (!ctl_item_add_extra(it, k, yes_no(v) ? "true" : "false", yes_no(v) ? 4 : 5)) goto nomem;
            continue;
        }
        if (named_field(k) || (full && !strcmp(k, "annotation"))) continue;
        int x = extra_text(v, &t);
        if (x < 0 || (x > 0 && !ctl_item_add_extra(it, k, t.data, t.len))) goto nomem;
    }
    goto done;
nomem:
    st = ctl_nomem(r->ctx);
done:
    ctl_buf_free(&t);
    return st;
}

/* One requirement node as an item. */
static ctl_status read_node(reader *r, const json_t *node, size_t index)
{
    const char *urn = json_string_value(json_object_get(node, "urn"));
    if (!json_is_object(node) || !urn || !*urn || holds_nul(json_object_get(node, "urn")))
        return ctl_fail(r->ctx, CTL_D_BAD_STRUCTURE, r->file, 0, "requirement node %zu: no urn", index + 1);
    ctl_buf key = {0};
    if (!lower_urn(urn, &key)) return ctl_nomem(r->ctx);
    ctl_item it;
    ctl_item_init(&it);
    it.pos.file = r->file;
    char id[CTL_ID_MAX + 16], num[3][40], *label = NULL;
    const char *title, *description, *importance;
    ctl_status st = CTL_OK;
    if (json_object_get(r->nodes_seen, key.data))
        st = ctl_fail(r->ctx, CTL_D_BAD_FIELD, r->file, 0, "requirement node %zu: urn %s is a node's above it",
                      index + 1, urn);
    if (st != CTL_OK || (st = place(r, node, urn, &it, id, &label)) != CTL_OK ||
        (st = node_field(r, node, "name", urn, num[0], &title)) != CTL_OK ||
        (st = node_field(r, node, "description", urn, num[1], &description)) != CTL_OK ||
        (st = node_field(r, node, "importance", urn, num[2], &importance)) != CTL_OK) {
        ctl_buf_free(&key);
        ctl_free(label);
        return st;
    }
    int full = title_in_annotation(node);
    if (full < 0) st = ctl_nomem(r->ctx);
    it.id = id;
    it.label = label;
    it.title = (char *)(full > 0 ? json_string_value(json_object_get(node, "annotation")) : title);
    it.description = (char *)description;
    it.answer = "";
    if (!strcasecmp(importance, "undefined")) importance = "";
    it.category_text = (char *)importance;
    if (!ctl_parse_category(importance, strlen(importance), &it.category)) it.category = CTL_CATEGORY_NONE;
    json_t *seen = json_pack("[si]", id, it.level);
    if (!seen || json_object_set_new(r->nodes_seen, key.data, seen)) st = ctl_nomem(r->ctx);
    if (st == CTL_OK && (st = node_rest(r, node, urn, full > 0, &it)) == CTL_OK)
        st = r->sink->item(r->sink, r->ctx, &it);
    it.id = it.parent = it.title = it.description = it.answer = it.category_text = NULL;
    ctl_item_clear(&it);   /* the label, references and extras */
    ctl_buf_free(&key);
    return st;
}

/* The warnings of what was not read as it stands. */
static ctl_status say_read(reader *r)
{
    ctl_status st = CTL_OK;
    if (r->depth_off)
        st = ctl_warn(r->ctx, CTL_D_LEVEL_MISMATCH, r->file, 0, "%zu requirement node(s) whose depth is not "
                      "their parent's + 1 (the first: %s): kept as written", r->depth_off, r->depth_first);
    const char *k;
    json_t *v;
    json_object_foreach(r->dropped, k, v) {
        if (st == CTL_OK)
            st = ctl_warn(r->ctx, CTL_D_FIELD_DROPPED, r->file, 0, "%" JSON_INTEGER_FORMAT " requirement node(s) "
                          "with %s: not read (no text)", json_integer_value(v), k);
    }
    return st;
}

/* The framework of a library, or NULL. */
static const json_t *the_framework(const json_t *objects)
{
    const json_t *fw = json_object_get(objects, "framework");
    if (!fw) fw = json_array_get(json_object_get(objects, "frameworks"), 0);
    return json_is_object(fw) ? fw : NULL;
}

/* The document's metadata; 0 when out of memory. */
static int meta_of(reader *r, const json_t *lib, const json_t *fw, ctl_meta *m)
{
    const char *name = json_string_value(json_object_get(lib, "name"));
    const char *ref = json_string_value(json_object_get(lib, "ref_id"));
    const char *urn = json_string_value(json_object_get(lib, "urn"));
    const char *note = json_string_value(json_object_get(lib, "description"));
    if (!note) note = json_string_value(json_object_get(fw, "description"));
    /* what ctlconv writes for a list without a title */
    if (name && ref && urn && !strcmp(name, ref) && strstr(urn, ":risk:library:") &&
        !strcmp(strstr(urn, ":risk:library:") + strlen(":risk:library:"), ref))
        name = NULL;
    const char *annex = json_string_value(json_object_get(fw, "annotation"));
    return (m->title = ctl_strdup(ctl_str(name))) && (m->note = ctl_strdup(ctl_str(note))) &&
           (m->annex = ctl_strdup(ctl_str(annex))) && (m->ref_scheme = ctl_strdup(ctl_str(r->ref_scheme)));
}

ctl_status ctl_ciso_read_tree(ctl_ctx *ctx, const json_t *lib, const char *name, const ctl_options *opts,
                              ctl_sink *sink)
{
    const json_t *objects = json_object_get(lib, "objects");
    const json_t *fw = the_framework(objects);
    const json_t *nodes = json_object_get(fw, "requirement_nodes");
    const char *fw_urn = json_string_value(json_object_get(fw, "urn"));
    if (!json_is_object(lib) || !json_is_object(objects))
        return ctl_fail(ctx, CTL_D_NOT_A_LIST, name, 0, "not a CISO Assistant library: no objects");
    if (!fw)
        return ctl_fail(ctx, CTL_D_NOT_A_LIST, name, 0, "a CISO Assistant library without a framework (a mapping "
                        "set, a risk matrix...): no control list in it");
    if (!fw_urn || (nodes && !json_is_array(nodes)))
        return ctl_fail(ctx, CTL_D_BAD_STRUCTURE, name, 0, "the framework has no urn, or its requirement_nodes are "
                        "no list");
    if (!json_array_size(nodes))
        return ctl_fail(ctx, CTL_D_NO_ROWS, name, 0, "no control rows: the framework has no requirement_nodes");
    reader r = {.ctx = ctx, .file = name, .sink = sink, .fw_urn = fw_urn};
    ctl_meta m;
    memset(&m, 0, sizeof m);
    r.refs = json_object();
    r.nodes_seen = json_object();
    r.ranks = json_object();
    r.dropped = json_object();
    ctl_status st = !r.refs || !r.nodes_seen || !r.ranks || !r.dropped ? ctl_nomem(ctx) : CTL_OK;
    if (st == CTL_OK) st = index_refs(&r, objects);
    if (st == CTL_OK) st = columns(&r, nodes, opts, &m);
    if (st == CTL_OK && !meta_of(&r, lib, fw, &m)) st = ctl_nomem(ctx);
    if (st == CTL_OK) {
        ctl_meta f = ctl_meta_filled(&m);
        st = sink->begin(sink, ctx, &f);
    }
    size_t i;
    const json_t *node;
    json_array_foreach(nodes, i, node) {
        if (st != CTL_OK) break;
        st = read_node(&r, node, i);
    }
    if (st == CTL_OK) st = say_read(&r);
    size_t more = json_array_size(json_object_get(objects, "frameworks"));
    if (st == CTL_OK && more > 1)
        st = ctl_warn(ctx, CTL_D_FIELD_DROPPED, name, 0, "%zu framework(s) after the first not read", more - 1);
    if (st == CTL_OK) {
        ctl_meta f = ctl_meta_filled(&m);
        st = sink->end(sink, ctx, &f);
    }
    ctl_meta_clear(&m);
    json_decref(r.refs);
    json_decref(r.nodes_seen);
    json_decref(r.ranks);
    json_decref(r.dropped);
    return st;
}

/* ----------------------------------------------------------- the writer */

typedef struct {
    ctl_sink sink;
    ctl_list *list;
    FILE *out;
    const char *out_name;
    const ctl_options *opts;
    ctl_ciso_emit_fn emit;
} writer;

static ctl_status w_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    writer *w = (writer *)self;
    return w->list->sink.begin(&w->list->sink, ctx, meta);
}

static ctl_status w_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    writer *w = (writer *)self;
    return w->list->sink.item(&w->list->sink, ctx, it);
}

static ctl_status w_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    writer *w = (writer *)self;
    ctl_status st = w->list->sink.end(&w->list->sink, ctx, meta);
    json_t *lib = NULL;
    if (st == CTL_OK) st = ctl_ciso_build(ctx, w->list, w->opts, &lib);
    if (st == CTL_OK) st = w->emit(ctx, lib, w->out, w->out_name, w->opts);
    json_decref(lib);
    return st;
}

static void w_destroy(ctl_sink *self)
{
    writer *w = (writer *)self;
    ctl_list_free(w->list);
    ctl_free(w);
}

ctl_status ctl_ciso_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                           ctl_ciso_emit_fn emit, ctl_sink **sink)
{
    builder b;
    ctl_status st = check_options(ctx, opts, &b);
    if (st != CTL_OK) return st;
    writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    if (!(w->list = ctl_list_new())) {
        ctl_free(w);
        return ctl_nomem(ctx);
    }
    w->sink = (ctl_sink){w_begin, w_item, w_end, w_destroy};
    w->out = out;
    w->out_name = out_name;
    w->opts = opts;
    w->emit = emit;
    *sink = &w->sink;
    return CTL_OK;
}
