/* SPDX-License-Identifier: BSD-2-Clause */
/* The round-trip property over hostile shapes (issue 10, "Done when"):
 * generated lists (a seeded PRNG) with control characters, DEL,
 * U+FFFE/U+FFFF, text that looks like XLSX escapes (_xHHHH_, an escaped
 * surrogate pair), duplicate extra headers, long cells (32,767 and 32,768
 * UTF-16 units; over 10 MB) and emoji.  For every format that writes and
 * reads, and every pair of them, each output either reads back equal (up to
 * what the formats say they lose) or the writer refuses it with an error
 * status and a message: never exit-0 garbage, never a reader refusing what
 * the writer wrote.  XLSX output must also be well-formed in every zip part
 * (parsed with libxml2) and keep every cell within Excel's 32,767 UTF-16
 * units. */
#include "support.h"
#include "internal.h"
#include "xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unzip.h>

typedef enum {
    SH_PLAIN, SH_CONTROL, SH_DEL, SH_NONCHAR, SH_SURROGATE_ESCAPE, SH_X_ESCAPE_TEXT, SH_DUP_EXTRA,
    SH_LONG_32767, SH_LONG_32768, SH_LONG_10MB, SH_EMOJI, SH_MIXED, N_SHAPES
} shape;

static const char *const shape_name[N_SHAPES] = {
    "plain", "control", "del", "nonchar", "surrogate-escape", "x-escape-text", "dup-extra",
    "long-32767", "long-32768", "long-10mb", "emoji", "mixed",
};

/* Lists per shape (each from its own seed); the long shapes need one. */
static int lists_of(shape s) { return s == SH_LONG_10MB || s == SH_LONG_32767 || s == SH_LONG_32768 ? 1 : 4; }

/* ------------------------------------------------------------ generator */

static uint64_t next_rand(uint64_t *state)   /* splitmix64 */
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *r, size_t n) { return (size_t)(next_rand(r) % n); }

static void add(ctl_buf *b, const char *s) { ck_assert(ctl_buf_adds(b, s)); }

static void add_cp(ctl_buf *b, uint32_t cp)
{
    char u[5];
    size_t n = ctl_utf8_encode(cp, u);
    ck_assert(ctl_buf_add(b, u, n));
}

/* One piece of the shape's kind. */
static void add_hot(ctl_buf *b, uint64_t *r, shape s)
{
    static const char *const escapes[] = {"_x0041_", "_x0000_", "_x005F_", "_xFFFF_", "_x000D_", "_x",
                                          "_x005F_x0041_", "__x0041__", "_X0041_"};
    static const char *const emoji[] = {"😀", "👍🏽", "👨‍👩‍👧", "🇯🇵", "𠮷", "é", "🏳️‍🌈"};
    switch (s) {
    case SH_CONTROL: add_cp(b, 1 + (uint32_t)pick(r, 31)); break;
    case SH_DEL: add_cp(b, 0x7F); break;
    case SH_NONCHAR: add_cp(b, pick(r, 2) ? 0xFFFE : 0xFFFF); break;
    case SH_SURROGATE_ESCAPE: add(b, pick(r, 2) ? "_xD83D__xDE00_" : "_xD83D_"); break;
    case SH_X_ESCAPE_TEXT: add(b, escapes[pick(r, sizeof escapes / sizeof *escapes)]); break;
    case SH_EMOJI: add(b, emoji[pick(r, sizeof emoji / sizeof *emoji)]); break;
    case SH_MIXED: add_hot(b, r, (shape)(SH_CONTROL + pick(r, SH_X_ESCAPE_TEXT - SH_CONTROL + 1))); break;
    default: break;
    }
}

/* A cell: ordinary words, and a piece of the shape when hot. */
static char *cell(uint64_t *r, shape s, int hot, int nonempty)
{
    static const char *const words[] = {"対策", "access control", "A & B <c>", "\"quoted\"", "it's",
                                        "a, b; c", "=1+1", "URL https://example.invalid/?a=b&c=d",
                                        "全角　空白", "Ⅲ", "x"};
    ctl_buf b = {0};
    size_t n = pick(r, 4) + (nonempty ? 1 : 0);
    size_t at = pick(r, n + 1);
    for (size_t i = 0; i <= n; i++) {
        if (hot && i == at) add_hot(&b, r, s);
        if (i < n) {
            if (i) add(&b, " ");
            add(&b, words[pick(r, sizeof words / sizeof *words)]);
        }
    }
    char *t = ctl_buf_take(&b);
    ck_assert(t != NULL);
    return t;
}

/* A cell of exactly units UTF-16 units (BMP kana and astral emoji). */
static char *long_units(size_t units)
{
    ctl_buf b = {0};
    size_t emoji = 1000;
    for (size_t i = 0; i < emoji; i++) add(&b, "😀");
    for (size_t i = 0; i < units - 2 * emoji; i++) add(&b, "あ");
    return ctl_buf_take(&b);
}

/* A cell of bytes bytes: kana (so that a character straddles the XML
 * writer's 8,000,000-byte pieces), XML metacharacters, ASCII at the end. */
static char *long_bytes(size_t bytes)
{
    char *t = malloc(bytes + 1);
    ck_assert(t != NULL);
    size_t n;
    memcpy(t, "<&\r\n", 4);
    for (n = 4; n + 3 <= bytes; n += 3) memcpy(t + n, "あ", 3);
    memset(t + n, 'x', bytes - n);
    t[bytes] = '\0';
    return t;
}

static int hot_shape(shape s)
{
    return s != SH_PLAIN && s != SH_DUP_EXTRA && s != SH_LONG_32767 && s != SH_LONG_32768 && s != SH_LONG_10MB;
}

static ctl_list *generate(shape s, uint64_t seed)
{
    uint64_t r = seed;
    int hs = hot_shape(s);
    const char *x1 = "備考", *x2 = s == SH_DUP_EXTRA ? "備考" : "担当 部署";
    char *cols[] = {"項番", "対策項目", "対策内容", "区分", "公開回答", (char *)x1, (char *)x2};
    /* as the text layout can hold them: a title, a note, an annex heading
     * that says ANNEX or 一覧 */
    static const char *const meta_head[3] = {"Title", "Note", "ANNEX2"};
    char *meta_text[3];
    for (int i = 0; i < 3; i++) {
        char *c = cell(&r, s, hs && !pick(&r, 3), 0);
        ctl_buf b = {0};
        add(&b, meta_head[i]);
        if (*c) add(&b, " ");
        add(&b, c);
        if (i == 2) add(&b, " 対策一覧");
        ck_assert((meta_text[i] = ctl_buf_take(&b)) != NULL);
        free(c);
    }
    ctl_meta m = {.title = meta_text[0], .note = meta_text[1], .annex = meta_text[2],
                  .ref_scheme = "iso27001-2013", .columns = cols, .n_columns = 7};
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    size_t n = 2 + pick(&r, 4), long_at = pick(&r, n);
    ctl_ref refs[] = {{"iso27001-2013", "A.5.1.1"}, {"iso27001-2013", "A.18.2.2"}};
    for (size_t i = 0; i < n; i++) {
        char id[32], label[32];
        snprintf(id, sizeof id, "II.1.1.%zu", i + 1);
        snprintf(label, sizeof label, "II. 1. 1. %zu", i + 1);
        /* item 1's title is always hot, so each list holds the shape */
        char *f[5];
        for (int k = 0; k < 5; k++) f[k] = cell(&r, s, hs && ((i == 0 && k == 0) || !pick(&r, 3)), k == 0);
        if (i == long_at && (s == SH_LONG_32767 || s == SH_LONG_32768 || s == SH_LONG_10MB)) {
            free(f[1]);
            f[1] = s == SH_LONG_10MB ? long_bytes(10000001) : long_units(s == SH_LONG_32767 ? 32767 : 32768);
        }
        ctl_field extra[] = {{(char *)x1, f[3]}, {(char *)x2, f[4]}};
        /* level 3 with nothing above: a top item as the hierarchy reads it back */
        ctl_item it = {.id = id, .label = label, .level = 3, .parent = "", .refs = refs, .n_refs = pick(&r, 3),
                       .title = f[0], .description = f[1], .answer = f[2],
                       .category = pick(&r, 2) ? CTL_CATEGORY_BASIC : CTL_CATEGORY_RECOMMENDED,
                       .extra = extra, .n_extra = 2};
        assert_ok(ctx, l->sink.item(&l->sink, ctx, &it));
        for (int k = 0; k < 5; k++) free(f[k]);
    }
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    for (int i = 0; i < 3; i++) free(meta_text[i]);
    ctl_ctx_free(ctx);
    return l;
}

/* ------------------------------------------- what a format says it loses */

static int same(const ctl_list *want, const ctl_list *got, unsigned loses, char *why, size_t n)
{
    ctl_list *a = list_losing(want, loses), *b = list_losing(got, loses);
    int eq = ctl_list_equal(a, b, !(loses & CTL_LOSES_LABELS), why, n);
    if (!eq && strstr(why, "document")) {   /* say what, in short */
        size_t l = strlen(why);
        snprintf(why + l, n - l, ": '%.40s|%.40s|%.40s' became '%.40s|%.40s|%.40s'", a->meta.title, a->meta.note,
                 a->meta.annex, b->meta.title, b->meta.note, b->meta.annex);
    }
    ctl_list_free(a);
    ctl_list_free(b);
    return eq;
}

/* ------------------------------------------------- XLSX: every part valid */

/* UTF-16 units of a cell's text, an _xHHHH_ escape counting as one. */
static size_t utf16_units(const char *s)
{
    size_t units = 0, n = strlen(s);
    for (size_t i = 0; i < n;) {
        if (n - i >= 7 && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_' &&
            strspn(s + i + 2, "0123456789abcdefABCDEF") >= 4) {
            units++;
            i += 7;
            continue;
        }
        uint32_t cp;
        i += ctl_utf8_decode(s + i, n - i, &cp);
        units += cp > 0xFFFF ? 2 : 1;
    }
    return units;
}

/* The first <t> over Excel's 32,767 units under node, or NULL. */
static xmlNodePtr long_text(xmlNodePtr node)
{
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) continue;
        if (!strcmp((const char *)node->name, "t")) {
            xmlChar *t = xmlNodeGetContent(node);
            size_t u = t ? utf16_units((const char *)t) : 0;
            xmlFree(t);
            if (u > 32767) return node;
        }
        xmlNodePtr in = long_text(node->children);
        if (in) return in;
    }
    return NULL;
}

/* 1 when every part of the workbook parses and no cell is too long. */
static int xlsx_valid(const char *bytes, size_t len, char *why, size_t why_size)
{
    char path[] = "/tmp/ctl-rt-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    ck_assert(write(fd, bytes, len) == (ssize_t)len);
    close(fd);
    unzFile z = unzOpen64(path);
    int ok = z != NULL;
    if (!ok) snprintf(why, why_size, "not a zip");
    for (int rc = z ? unzGoToFirstFile(z) : UNZ_END_OF_LIST_OF_FILE; ok && rc == UNZ_OK; rc = unzGoToNextFile(z)) {
        char name[256];
        unz_file_info64 info;
        ck_assert_int_eq(unzGetCurrentFileInfo64(z, &info, name, sizeof name, NULL, 0, NULL, 0), UNZ_OK);
        char *d = malloc(info.uncompressed_size + 1);
        ck_assert(d && unzOpenCurrentFile(z) == UNZ_OK);
        ck_assert(unzReadCurrentFile(z, d, (unsigned)info.uncompressed_size) == (int)info.uncompressed_size);
        unzCloseCurrentFile(z);
        size_t nl = strlen(name);
        if ((nl > 4 && !strcmp(name + nl - 4, ".xml")) || (nl > 5 && !strcmp(name + nl - 5, ".rels"))) {
            xmlDocPtr doc = xmlReadMemory(d, (int)info.uncompressed_size, name, NULL,
                                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
            if (!doc) {
                char msg[256] = "";
                ctl_xml_take_message(msg, sizeof msg);
                const xmlError *e = xmlGetLastError();
                snprintf(why, why_size, "part %s is not well-formed XML: %s", name,
                         e && e->message ? e->message : msg);
                ctl_xml_one_line(why);
                ok = 0;
            } else if (long_text(xmlDocGetRootElement(doc))) {
                snprintf(why, why_size, "part %s has a cell over Excel's 32,767 UTF-16 units", name);
                ok = 0;
            }
            xmlFreeDoc(doc);
        }
        free(d);
    }
    if (z) unzClose(z);
    unlink(path);
    return ok;
}

/* ------------------------------------------------------------- the test */

/* What one shape gave: its first failure. */
typedef struct {
    char fail[1024];
} outcome;

/* A way to write and read: every format that does both, and CSV and TSV
 * also written in CP932 (read back without --encoding). */
typedef struct {
    const ctl_format *f;
    char name[32];
    ctl_out_encoding enc;
} way;

static const way *both_ways(size_t *n)
{
    static way v[32];
    const ctl_format *const *all = ctl_formats();
    *n = 0;
    for (size_t i = 0; all[i] && *n < 30; i++) {
        if (!all[i]->read || !all[i]->writer) continue;
        v[*n] = (way){all[i], "", CTL_OUT_UTF8};
        snprintf(v[(*n)++].name, sizeof v->name, "%s", all[i]->name);
        if (strcmp(all[i]->name, "csv") && strcmp(all[i]->name, "tsv")) continue;
        v[*n] = (way){all[i], "", CTL_OUT_CP932};
        snprintf(v[(*n)++].name, sizeof v->name, "%s-cp932", all[i]->name);
    }
    return v;
}

/* Writes l with f: the bytes (NULL when the writer refused, which must
 * come with an error and a message; a failure goes into fail). */
static char *write_or_refuse(const ctl_list *l, const way *w, size_t *len, const char *what, char *fail,
                             size_t fail_size)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_options o;
    ctl_options_init(&o);
    o.out_encoding = w->enc;
    char *b = write_list(ctx, w->f->name, l, &o, len, &st);
    if (st != CTL_OK) {
        if (!*ctl_error_message(ctx) || ctl_error_status(ctx) != st)
            snprintf(fail, fail_size, "%s: the writer failed (%d) without a message", what, st);
        free(b);
        b = NULL;
    } else if (!strcmp(w->f->name, "xlsx")) {
        char why[512];
        if (!xlsx_valid(b, *len, why, sizeof why)) snprintf(fail, fail_size, "%s: exit-0 output: %s", what, why);
    }
    ctl_ctx_free(ctx);
    return b;
}

/* One step: l through f.  Returns the list read back, or NULL when the
 * writer refused; a failure goes into fail. */
static ctl_list *step(const ctl_list *l, const way *w, const char *what, char *fail, size_t fail_size)
{
    size_t len;
    char *b = write_or_refuse(l, w, &len, what, fail, fail_size);
    if (!b) return NULL;
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *back = read_bytes(ctx, w->f->name, b, len, NULL, &st);
    if (st != CTL_OK && !*fail)
        snprintf(fail, fail_size, "%s: the reader refuses what the writer wrote: %s", what, ctl_error_message(ctx));
    if (st != CTL_OK) {
        ctl_list_free(back);
        back = NULL;
    }
    ctl_ctx_free(ctx);
    free(b);
    return back;
}

/* Notes the first failure of a shape. */
static void note(outcome *o, const char *fail)
{
    if (!*o->fail) snprintf(o->fail, sizeof o->fail, "%s", fail);
}

/* One list through format f, then through f and each format g. */
static void check_list(const ctl_list *m, shape s, int k, size_t f, outcome *o)
{
    size_t nf;
    const way *all = both_ways(&nf);
    char what[160], fail[1024] = "", why[256];
    snprintf(what, sizeof what, "%s list %d via %s", shape_name[s], k, all[f].name);
    ctl_list *one = step(m, &all[f], what, fail, sizeof fail);
    if (one && !*fail && !same(m, one, all[f].f->loses, why, sizeof why))
        snprintf(fail, sizeof fail, "%s: exit-0 output that reads back different: %s", what, why);
    if (*fail) {
        note(o, fail);
        ctl_list_free(one);
        return;
    }
    for (size_t g = 0; one && g < nf; g++) {
        snprintf(what, sizeof what, "%s list %d via %s then %s", shape_name[s], k, all[f].name, all[g].name);
        ctl_list *two = step(one, &all[g], what, fail, sizeof fail);
        if (two && !*fail && !same(m, two, all[f].f->loses | all[g].f->loses, why, sizeof why))
            snprintf(fail, sizeof fail, "%s: exit-0 output that reads back different: %s", what, why);
        if (*fail) note(o, fail);
        fail[0] = '\0';
        ctl_list_free(two);
    }
    ctl_list_free(one);
}

START_TEST(every_shape_every_pair)
{
    shape s = (shape)_i;
    ctl_xml_harden();
    size_t nf;
    both_ways(&nf);
    ck_assert_uint_ge(nf, 9);
    static outcome o;
    memset(&o, 0, sizeof o);
    for (int k = 0; k < lists_of(s); k++) {
        ctl_list *m = generate(s, 0x5EED0000u + (uint64_t)s * 1000 + (uint64_t)k);
        for (size_t f = 0; f < nf; f++) check_list(m, s, k, f, &o);
        ctl_list_free(m);
    }
    ck_assert_msg(!*o.fail, "%s", o.fail);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roundtrip_hostile");
    TCase *tc = tcase_create("property");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, every_shape_every_pair, 0, N_SHAPES);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
