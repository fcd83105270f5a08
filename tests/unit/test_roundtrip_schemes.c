/* SPDX-License-Identifier: BSD-2-Clause */
/* The round-trip property on generated lists of every id scheme the model
 * holds: MIC (II.1.1.1), dotted (3.1.1, 9.2.3.11.PB), 統一基準 (2.1.1(1)-1),
 * NIST (AC-2(1)), CCM (A&A-01), ISO (A.5.1), CIS (1.1); hierarchies up to
 * depth 7, rows without ids, duplicate ids, references of several schemes,
 * category words, awkward text and extra columns.
 *
 * Each list is made by a seeded generator (the seed is in every failure
 * message; CTL_RT_SEED=N runs from another base seed, CTL_RT_LISTS=N makes
 * N lists).  The generator makes the canonical list itself, by the documented
 * rules (the parent is the nearest item above with a smaller level; a row
 * without an id is "<parent>#<rank among its rows without an id>"), and
 * checks that the hierarchy sink turns the raw rows into that list.  Then,
 * for every format
 * that reads and writes (ctl_formats()): read(write(M)) == M up to what the
 * format declares it loses, rewriting gives the same bytes, and for every
 * pair A, B: A -> B -> A gives what A alone gives, up to what either loses.
 * The text layout holds MIC lists only: for any other its writer must refuse
 * with `unsupported`.
 *
 * Metadata that may not read back from a layout (no title, spaces at the
 * ends, line breaks) must come back equal or be warned about by the writer
 * (title-at-risk).
 *
 * Cost: 21 lists of 30-70 items through the 8 formats (56 pairs): about 3 s
 * here (about 10 s under ASan). */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlconv.h"
#include "hierarchy.h"

/* from support.c */
size_t refs_kept(const ctl_item *it, int one_edition, ctl_ref *out);
int one_edition_kept(const ctl_list *l, unsigned loses);
char *edges_stripped(const char *s);

enum { SCHEME_MIC, SCHEME_DOTTED, SCHEME_TOUITSU, SCHEME_NIST, SCHEME_CCM, SCHEME_ISO, SCHEME_CIS,
       N_SCHEMES };
static const char *const scheme_names[N_SCHEMES] = {"MIC", "dotted", "統一基準", "NIST", "CCM", "ISO",
                                                    "CIS"};

enum { MAX_DEPTH = 7, DEFAULT_LISTS = 3 * N_SCHEMES };
static const uint64_t DEFAULT_SEED = 20261202;

/* ------------------------------------------------------------ generator */

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717u;
}

static unsigned pick(uint64_t *s, unsigned n) { return (unsigned)(rng_next(s) >> 33) % n; }
static int chance(uint64_t *s, unsigned percent) { return pick(s, 100) < percent; }

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    ck_assert(d != NULL);
    return d;
}

/* Text of one cell: fragments in both languages joined by separators that
 * every format must carry (line breaks, tabs, quotes, commas, pipes). */
static char *gen_text(uint64_t *s, int may_be_empty)
{
    static const char *const frags[] = {
        "情報セキュリティのための方針群を定め", "管理者は、アクセス権を定期的に見直す",
        "Define, approve and publish the policy", "review \"at least\" yearly",
        "'single' quotes", "a | b | c", "=1+1", "@x", "-2", "<tag> & ampersand",
        "https://example.invalid/a?b=c&d=e", "・第一項", "（全角括弧）と　全角空白", "50%",
        "comma, separated, words", "セミコロン; 区切り", "II. 3. 1. 組織の", "A.5.1.1", "項番", "title",
        "ｶﾀｶﾅ ① ㈱ ﬁ 𠮷", "AC-2(1)",
    };
    static const char *const seps[] = {" ", "\n", "\t", ", ", " | ", "\r\n", "、", "\n\n", "", "\r"};
    if (may_be_empty && chance(s, 15)) return xstrdup("");
    char buf[1024] = "";
    size_t n = 1 + pick(s, 4);
    if (chance(s, 8)) strcat(buf, chance(s, 50) ? "  " : "\n");
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(buf, seps[pick(s, sizeof seps / sizeof *seps)]);
        strcat(buf, frags[pick(s, sizeof frags / sizeof *frags)]);
    }
    if (chance(s, 8)) strcat(buf, chance(s, 50) ? " " : "\n");
    return xstrdup(buf);
}

/* A MIC number spelled as printed: ASCII or full-width digits, the Roman
 * part in ASCII or as one character (U+2161, U+2162), dots with or without
 * spaces, full-width dots, a trailing dot or not. */
static void mic_label(uint64_t *s, const char *id, char *out, size_t size)
{
    static const char *const fw[] = {"０", "１", "２", "３", "４", "５", "６", "７", "８", "９"};
    int wide = chance(s, 25), spaced = chance(s, 50), one_char = chance(s, 30);
    const char *dot = wide ? "．" : spaced ? ". " : ".";
    size_t n = 0;
    const char *p = id;
    out[0] = '\0';
    if (one_char) {
        int three = !strncmp(id, "III.", 4);
        n += (size_t)snprintf(out + n, size - n, "%s", three ? "Ⅲ" : "Ⅱ");
        p += three ? 3 : 2;
    } else {
        while (*p != '.') out[n++] = *p++;
        out[n] = '\0';
    }
    for (; *p; p++) {
        if (*p == '.') n += (size_t)snprintf(out + n, size - n, "%s", dot);
        else if (wide) n += (size_t)snprintf(out + n, size - n, "%s", fw[*p - '0']);
        else n += (size_t)snprintf(out + n, size - n, "%c", *p);
    }
    if (chance(s, 40)) snprintf(out + n, size - n, "%s", wide ? "．" : ".");
}

/* A label of another scheme: the id, with spaces after its dots (before
 * digits), in full-width forms, or with a trailing dot; it must still read
 * as the id. */
static void other_label(uint64_t *s, const char *id, char *out, size_t size)
{
    size_t n = 0;
    int spaced = chance(s, 30), wide = chance(s, 15);
    for (const char *p = id; *p && n + 4 < size; p++) {
        if (wide) {
            /* U+FF01..U+FF5E: the full-width form of '!'..'~' */
            unsigned c = 0xFF01 + (unsigned)(*p - '!');
            out[n++] = (char)(0xE0 | (c >> 12));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[n++] = *p;
        }
        /* a space before a letter would part a number from its title */
        if (*p == '.' && spaced && !wide && p[1] >= '0' && p[1] <= '9') out[n++] = ' ';
    }
    out[n] = '\0';
    if (chance(s, 20) && n + 2 < size) strcat(out, ".");
}

/* printf into an id buffer; the test fails if it does not fit. */
static void put_id(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put_id(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    ck_assert(n >= 0 && (size_t)n < size);
}

/* The id of a numbered item under parent (NULL: a top item) at level, the
 * k-th (1-based) of its parent's numbered children. */
static void make_id(uint64_t *s, int scheme, const char *parent, int level, unsigned k, char *out,
                    size_t size)
{
    static const char *const nist[] = {"AC", "AU", "CM", "IA", "SC"};
    static const char *const ccm[] = {"A&A", "AIS", "BCR", "CCC", "DSP"};
    if (!parent) {
        switch (scheme) {
        case SCHEME_MIC: put_id(out, size, "%s.%u", chance(s, 70) ? "II" : "III", k); break;
        case SCHEME_NIST: put_id(out, size, "%s", nist[(k - 1) % 5]); break;
        case SCHEME_CCM: put_id(out, size, "%s", ccm[(k - 1) % 5]); break;
        case SCHEME_ISO: put_id(out, size, k % 2 ? "A.%u" : "%u", 4 + k); break;
        default: put_id(out, size, "%u", k); break;
        }
        return;
    }
    switch (scheme) {
    case SCHEME_TOUITSU:
        /* 2, 2.1, 2.1.1, 2.1.1(1), 2.1.1(1)-1, 2.1.1(1)-1.1, ... */
        put_id(out, size, level == 4 ? "%s(%u)" : level == 5 ? "%s-%u" : "%s.%u", parent, k);
        break;
    case SCHEME_NIST:
        put_id(out, size, level == 2 ? "%s-%u" : level == 3 ? "%s(%u)" : "%s.%u", parent, k);
        break;
    case SCHEME_CCM:
        put_id(out, size, level == 2 ? "%s-%02u" : "%s.%u", parent, k);
        break;
    case SCHEME_DOTTED:
        /* ISMAP's variants: 6.3.1.P, 9.2.3.11.PB */
        if (level >= 3 && chance(s, 15)) put_id(out, size, "%s.%u.%s", parent, k, chance(s, 50) ? "P" : "PB");
        else put_id(out, size, "%s.%u", parent, k);
        break;
    default:
        put_id(out, size, "%s.%u", parent, k);
        break;
    }
}

/* One reference of a scheme: as ctl_ref, both strings malloc'd. */
static const char *const r2013[] = {"A.5.1.1", "A.6.1.2", "A.9.2.3", "A.12.4.1", "A.18.2.2", "A.17.1"};

static ctl_ref gen_ref(uint64_t *s)
{
    static const char *const r2022[] = {"A.5.1", "A.5.23", "A.8.16", "A.6.3"};
    static const char *const nist[] = {"AC-2(1)", "AC-2", "SC-7(3)", "IA-5(1)"};
    static const char *const r27017[] = {"CLD.6.3.1", "CLD.9.5.2"};
    switch (pick(s, 8)) {
    case 0: case 1: case 2:
        return (ctl_ref){xstrdup("iso27001-2013"), xstrdup(r2013[pick(s, 6)])};
    case 3: case 4:
        return (ctl_ref){xstrdup("iso27001-2022"), xstrdup(r2022[pick(s, 4)])};
    case 5: case 6:
        return (ctl_ref){xstrdup("nist-sp800-53"), xstrdup(nist[pick(s, 4)])};
    default:
        return (ctl_ref){xstrdup("iso27017-2015"), xstrdup(r27017[pick(s, 2)])};
    }
}

/* Free text of no scheme: never a list of identifiers. */
static const char *const free_refs[] = {"社内規程 第3条 参照", "See policy, section x", "ISMAP 管理基準の解説を参照"};

static const char *const extra_pool[] = {"備考", "担当 部署", "Owner", "Evidence | link", "memo, note"};

typedef struct {
    uint64_t base;         /* the base seed */
    unsigned index;        /* the list's number: its seed is base + index */
    int scheme;
    int mic_pure;          /* MIC ids and ISO/IEC 27001:2013 references only */
    ctl_list *expected;    /* the canonical list */
    ctl_list *raw;         /* the rows as a reader hands them: no ids, levels only */
} generated;

/* The chain of items above, by level: each one's id and children. */
typedef struct {
    char id[CTL_ID_MAX + 48];
    int numbered;
    unsigned children;
} slot;

static void free_item(ctl_item *it)
{
    free(it->id);
    free(it->label);
    free(it->parent);
    for (size_t k = 0; k < it->n_refs; k++) {
        free(it->refs[k].scheme);
        free(it->refs[k].id);
    }
    free(it->refs);
    free(it->title);
    free(it->description);
    free(it->category_text);
    free(it->answer);
    for (size_t k = 0; k < it->n_extra; k++) free(it->extra[k].value);
    free(it->extra);
}

static void gen_fields(uint64_t *s, ctl_item *it, int scheme, int pure, char *const *extras, size_t n_extras)
{
    static const char *const words[] = {"", "基本", "推奨", "遵守事項", "基本対策事項", "IG1", "mandatory"};
    it->title = gen_text(s, 1);
    it->description = gen_text(s, 1);
    it->answer = gen_text(s, 1);
    const char *w = words[pick(s, sizeof words / sizeof *words)];
    it->category_text = xstrdup(w);
    if (!ctl_parse_category(w, strlen(w), &it->category)) it->category = CTL_CATEGORY_NONE;
    /* references: none, a few of several schemes, or free text alone */
    size_t nr = pick(s, 4);
    if (nr == 3 && !pure && chance(s, 40)) {
        it->refs = calloc(1, sizeof *it->refs);
        it->refs[0] = (ctl_ref){xstrdup(""), xstrdup(free_refs[pick(s, 3)])};
        it->n_refs = 1;
    } else if (nr) {
        it->refs = calloc(nr, sizeof *it->refs);
        for (size_t k = 0; k < nr; k++) {
            it->refs[k] = gen_ref(s);
            if (pure || (scheme == SCHEME_MIC && chance(s, 50))) {
                free(it->refs[k].scheme);
                it->refs[k].scheme = xstrdup("iso27001-2013");
                free(it->refs[k].id);
                it->refs[k].id = xstrdup(r2013[pick(s, 6)]);
            }
        }
        it->n_refs = nr;
    }
    it->n_extra = n_extras;
    it->extra = n_extras ? calloc(n_extras, sizeof *it->extra) : NULL;
    for (size_t k = 0; k < n_extras; k++) {
        it->extra[k].name = extras[k];
        it->extra[k].value = gen_text(s, 1);
    }
}

static void push(ctl_ctx *ctx, ctl_sink *sink, const ctl_item *it)
{
    ck_assert_int_eq(sink->item(sink, ctx, it), CTL_OK);
}

/* Generates list number i of a base seed (its own seed is base + i): its
 * scheme is i % N_SCHEMES; MIC lists
 * alternate between pure ones (the text layout holds them) and ones with
 * unnumbered rows and references of other schemes. */
static generated generate(uint64_t seed, unsigned i)
{
    generated g = {.base = seed, .index = i, .scheme = (int)(i % N_SCHEMES)};
    g.mic_pure = g.scheme == SCHEME_MIC && (i / N_SCHEMES) % 2 == 0;
    uint64_t st = (seed + i) * 0x9E3779B97F4A7C15u + 1, *s = &st;
    static const char *const titles[] = {"クラウドサービス提供における情報セキュリティ対策ガイドライン",
                                         "Control list \"draft\", <v2> & more", "統一基準群 対策一覧",
                                         "Annex [A]: 管理策/一覧? *draft*"};
    static const char *const notes[] = {"", "出典：総務省\n第3版に基づく", "Source: a provider, 2025"};
    static const char *const annexes[] = {"", "ANNEX2 対策一覧"};
    static const char *const ref_schemes[] = {"iso27001-2013", "", "iso27001-2022", "nist-sp800-53"};
    char *cols[2 + 3] = {"id", "title"};
    size_t n_extras = pick(s, 4);
    size_t first = pick(s, 5);
    for (size_t k = 0; k < n_extras; k++) cols[2 + k] = (char *)extra_pool[(first + k) % 5];
    /* two columns of one name now and then */
    if (n_extras >= 2 && chance(s, 25)) cols[3] = cols[2];
    char *unplaced[] = {"A.17", "A.17.1"};
    ctl_meta m = {.columns = cols, .n_columns = 2 + n_extras};
    /* metadata that may not read back from rows above a table or the
     * text layout: no title, spaces at the ends, an annex heading without
     * ANNEX/一覧, a note that looks like one, line breaks */
    static const struct {
        char *title, *note, *annex;
    } odd[] = {
        {"", "出典：総務省", ""}, {" 対策一覧 ", "", ""}, {"T", "", "Appendix A"},
        {"T", "対策一覧の補足", ""}, {"T\nsecond line", "n", "ANNEX2 対策一覧"}, {"T", "n1\n\nn2", ""},
    };
    if (chance(s, 20)) {
        size_t o = pick(s, sizeof odd / sizeof *odd);
        m.title = odd[o].title;
        m.note = odd[o].note;
        m.annex = odd[o].annex;
    } else if (chance(s, 70)) {
        m.title = (char *)titles[pick(s, 4)];
        m.note = (char *)notes[pick(s, 3)];
        m.annex = (char *)annexes[pick(s, 2)];
    }
    m.ref_scheme = (char *)(g.mic_pure ? "iso27001-2013" : ref_schemes[pick(s, 4)]);
    if (chance(s, 30)) {
        m.unplaced = unplaced;
        m.n_unplaced = 2;
    }

    ctl_ctx *ctx = ctl_ctx_new();
    g.expected = ctl_list_new();
    g.raw = ctl_list_new();
    ck_assert_int_eq(g.expected->sink.begin(&g.expected->sink, ctx, &m), CTL_OK);
    ck_assert_int_eq(g.raw->sink.begin(&g.raw->sink, ctx, &m), CTL_OK);

    slot stack[MAX_DEPTH + 1];
    unsigned top_children = 0;
    int prev_level = 0;
    size_t n = 30 + pick(s, 41);
    /* rows without an id so far under each parent id, and at the top */
    struct {
        char id[CTL_ID_MAX + 48];
        unsigned rows;
    } ranks[80];
    size_t n_ranks = 0;
    unsigned top_unnumbered = 0;
    for (size_t k = 0; k < n; k++) {
        /* one deeper than the item above at most; mostly deeper, to reach
         * 7, less often below a row without an id */
        int deeper = prev_level && !stack[prev_level].numbered ? 30 : 55;
        int level = prev_level < MAX_DEPTH && chance(s, (unsigned)deeper)
                        ? prev_level + 1
                        : 1 + (int)pick(s, (unsigned)prev_level + 1);
        if (level > MAX_DEPTH) level = MAX_DEPTH;
        const slot *up = level > 1 ? &stack[level - 1] : NULL;
        /* rows without an id have none below them either */
        int numbered = (!up || up->numbered) && (g.mic_pure || !chance(s, 12));
        ctl_item it = {.level = level, .parent = xstrdup(up ? up->id : "")};
        char id[CTL_ID_MAX + 48], label[128];
        if (numbered) {
            unsigned nth = up ? ++stack[level - 1].children : ++top_children;
            make_id(s, g.scheme, up ? up->id : NULL, level, nth, id, sizeof id);
            /* a duplicate now and then: the id of the item above again */
            if (prev_level == level && stack[level].numbered && chance(s, 6))
                snprintf(id, sizeof id, "%s", stack[level].id);
            if (g.scheme == SCHEME_MIC) mic_label(s, id, label, sizeof label);
            else other_label(s, id, label, sizeof label);
            char canon[CTL_ID_MAX];
            ck_assert_msg(ctl_parse_id(label, strlen(label), canon) && !strcmp(canon, id),
                          "list %u of seed %llu: generated label '%s' does not read as id '%s'", i,
                          (unsigned long long)seed, label, id);
        } else {
            /* "<parent>#<rank among the parent's rows without an id>", "#<rank>"
             * at the top and where that would be too long for an id */
            size_t r = 0;
            while (up && r < n_ranks && strcmp(ranks[r].id, up->id)) r++;
            if (up && r == n_ranks) {
                ck_assert(n_ranks < sizeof ranks / sizeof *ranks);
                snprintf(ranks[n_ranks].id, sizeof ranks[n_ranks].id, "%s", up->id);
                ranks[n_ranks++].rows = 0;
            }
            if (up) put_id(id, sizeof id, "%s#%u", up->id, ++ranks[r].rows);
            if (!up || strlen(id) >= CTL_ID_MAX - 1) put_id(id, sizeof id, "#%u", ++top_unnumbered);
            label[0] = '\0';
        }
        it.id = xstrdup(id);
        it.label = xstrdup(label);
        gen_fields(s, &it, g.scheme, g.mic_pure, cols + 2, n_extras);
        snprintf(stack[level].id, sizeof stack[level].id, "%s", id);
        stack[level].numbered = numbered;
        stack[level].children = 0;
        prev_level = level;
        push(ctx, &g.expected->sink, &it);
        /* the raw row: no parent, and no id when it has none of its own */
        ctl_item raw = it;
        raw.parent = NULL;
        if (!numbered) raw.id = raw.label = "";
        push(ctx, &g.raw->sink, &raw);
        free_item(&it);
    }
    ck_assert_int_eq(g.expected->sink.end(&g.expected->sink, ctx, &m), CTL_OK);
    ck_assert_int_eq(g.raw->sink.end(&g.raw->sink, ctx, &m), CTL_OK);
    ctl_ctx_free(ctx);
    return g;
}

static void generated_free(generated *g)
{
    ctl_list_free(g->expected);
    ctl_list_free(g->raw);
}

static uint64_t base_seed(void)
{
    const char *e = getenv("CTL_RT_SEED");
    return e && *e ? strtoull(e, NULL, 10) : DEFAULT_SEED;
}

static int n_lists(void)
{
    const char *e = getenv("CTL_RT_LISTS");
    int n = e && *e ? atoi(e) : DEFAULT_LISTS;
    return n > 0 ? n : DEFAULT_LISTS;
}

/* ---------------------------------------------------- what a format loses */

/* A cell as a format that loses line breaks holds it: CR LF, CR, LF and
 * tab each one space, the ends trimmed (malloc'd). */
static char *folded(const char *s)
{
    char *d = xstrdup(s ? s : ""), *o = d;
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\r' && p[1] == '\n') p++;
        *o++ = (*p == '\r' || *p == '\n' || *p == '\t') ? ' ' : *p;
    }
    *o = '\0';
    char *b = d;
    while (*b == ' ') b++;
    size_t n = strlen(b);
    while (n && b[n - 1] == ' ') n--;
    memmove(d, b, n);
    d[n] = '\0';
    return d;
}

/* A sink that hands on what a format keeps of each item and metadata. */
typedef struct {
    ctl_sink sink;
    ctl_sink *next;
    unsigned loses;
    int one_edition;       /* 2022's references lost (CTL_LOSES_SECOND_EDITION) */
    char *meta_text[3];    /* the title, note and annex heading stripped */
} losing_sink;

static ctl_meta meta_kept(losing_sink *l, const ctl_meta *m)
{
    ctl_meta k = *m;
    if (l->loses & CTL_LOSES_METADATA) k.title = k.note = k.annex = "";
    if (l->loses & CTL_LOSES_UNPLACED) k.n_unplaced = 0;
    if (l->loses & CTL_LOSES_EXTRAS) k.n_columns = 0;
    if (l->loses & CTL_LOSES_EDGE_SPACES) {
        char **text[3] = {&k.title, &k.note, &k.annex};
        for (int i = 0; i < 3; i++) {
            free(l->meta_text[i]);
            *text[i] = l->meta_text[i] = edges_stripped(*text[i]);
        }
    }
    return k;
}

static ctl_status losing_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *m)
{
    losing_sink *l = (losing_sink *)self;
    ctl_meta k = meta_kept(l, m);
    return l->next->begin(l->next, ctx, &k);
}

static ctl_status losing_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *m)
{
    losing_sink *l = (losing_sink *)self;
    ctl_meta k = meta_kept(l, m);
    return l->next->end(l->next, ctx, &k);
}

/* The item's text cells as a format that loses edge spaces holds them
 * (each malloc'd, into it). */
static void strip_item(ctl_item *it, ctl_field *extra)
{
    it->title = edges_stripped(it->title);
    it->description = edges_stripped(it->description);
    it->answer = edges_stripped(it->answer);
    for (size_t k = 0; k < it->n_extra; k++) extra[k] = (ctl_field){it->extra[k].name, edges_stripped(it->extra[k].value)};
    it->extra = extra;
}

static ctl_status losing_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *in)
{
    losing_sink *l = (losing_sink *)self;
    ctl_item it = *in;
    ctl_ref kept[in->n_refs + 1];
    if (l->loses & CTL_LOSES_ANSWERS) it.answer = "";
    if (l->loses & CTL_LOSES_CATEGORIES) {
        it.category = CTL_CATEGORY_NONE;
        it.category_text = "";
    }
    if (l->loses & CTL_LOSES_EXTRAS) it.n_extra = 0;
    if (l->loses & CTL_LOSES_REFS) {
        it.n_refs = refs_kept(in, l->one_edition, kept);
        it.refs = kept;
    }
    if (!(l->loses & (CTL_LOSES_LINEBREAKS | CTL_LOSES_EDGE_SPACES))) return l->next->item(l->next, ctx, &it);
    ctl_field extra[16], stripped[16];
    ck_assert(in->n_extra <= 16);
    if (l->loses & CTL_LOSES_LINEBREAKS) {
        it.title = folded(in->title);
        it.description = folded(in->description);
        it.answer = folded(it.answer);
        for (size_t k = 0; k < it.n_extra; k++)
            extra[k] = (ctl_field){in->extra[k].name, folded(in->extra[k].value)};
        it.extra = extra;
    }
    ctl_item out = it;
    if (l->loses & CTL_LOSES_EDGE_SPACES) strip_item(&out, stripped);
    ctl_status st = l->next->item(l->next, ctx, &out);
    if (l->loses & CTL_LOSES_LINEBREAKS) {
        free(it.title);
        free(it.description);
        free(it.answer);
        for (size_t k = 0; k < it.n_extra; k++) free(extra[k].value);
    }
    if (l->loses & CTL_LOSES_EDGE_SPACES) {
        free(out.title);
        free(out.description);
        free(out.answer);
        for (size_t k = 0; k < out.n_extra; k++) free(stripped[k].value);
    }
    return st;
}

static ctl_list *losing(const ctl_list *a, unsigned loses)
{
    ctl_list *b = ctl_list_new();
    losing_sink l = {{losing_begin, losing_item, losing_end, NULL}, &b->sink, loses, one_edition_kept(a, loses),
                     {NULL, NULL, NULL}};
    ctl_ctx *ctx = ctl_ctx_new();
    ck_assert_int_eq(ctl_list_replay(a, ctx, &l.sink), CTL_OK);
    ctl_ctx_free(ctx);
    for (int i = 0; i < 3; i++) free(l.meta_text[i]);
    return b;
}

/* ------------------------------------------------------- writing, reading */

/* Writes l with f into a malloc'd buffer; the status in *st. */
static char *write_as(ctl_ctx *ctx, const ctl_format *f, const ctl_list *l, size_t *len, ctl_status *st)
{
    ctl_options o;
    ctl_options_init(&o);
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    ck_assert(out != NULL);
    ctl_sink *sink = NULL;
    *st = f->writer(ctx, out, "generated-output", &o, &sink);
    if (*st == CTL_OK) *st = ctl_list_replay(l, ctx, sink);
    if (sink && sink->destroy) sink->destroy(sink);
    fclose(out);
    *len = size;
    return buf;
}

static ctl_list *read_as(ctl_ctx *ctx, const ctl_format *f, const void *d, size_t len, ctl_status *st)
{
    ctl_options o;
    ctl_options_init(&o);
    ctl_list *l = ctl_list_new();
    *st = ctl_read(ctx, f, "generated-input", d, len, &o, &l->sink);
    return l;
}

/* What the list says about the case, for messages: CTL_RT_SEED=<seed>
 * CTL_RT_LISTS=<list + 1> makes it again. */
#define CASE_FMT "list %u of seed %llu (scheme %s, %zu items)"
#define CASE_ARGS(g) (g)->index, (unsigned long long)(g)->base, scheme_names[(g)->scheme], (g)->expected->n_items

/* l written with f and read back (the test fails if either fails); the
 * bytes written in *bytes when bytes is not NULL.  A writer that warned
 * the metadata may not read back (title-at-risk) adds CTL_LOSES_METADATA to
 * *loses. */
static ctl_list *through(const generated *g, const ctl_list *l, const ctl_format *f, char **bytes, size_t *n,
                         unsigned *loses)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t len;
    char *b = write_as(ctx, f, l, &len, &st);
    ck_assert_msg(st == CTL_OK, CASE_FMT ": writing %s: [%s] %s", CASE_ARGS(g), f->name,
                  ctl_diag_name(ctl_error_code(ctx)), ctl_error_message(ctx));
    if (ctl_warning_count_of(ctx, CTL_D_TITLE_AT_RISK)) *loses |= CTL_LOSES_METADATA;
    ctl_list *back = read_as(ctx, f, b, len, &st);
    ck_assert_msg(st == CTL_OK, CASE_FMT ": reading %s back: [%s] line %ld: %s", CASE_ARGS(g), f->name,
                  ctl_diag_name(ctl_error_code(ctx)), ctl_error_line(ctx), ctl_error_message(ctx));
    ctl_ctx_free(ctx);
    if (bytes) {
        *bytes = b;
        *n = len;
    } else {
        free(b);
    }
    return back;
}

/* Are the lists equal up to what is lost?  The difference in why. */
static int same_losing(const ctl_list *want, const ctl_list *got, unsigned loses, char *why, size_t size)
{
    ctl_list *a = losing(want, loses), *b = losing(got, loses);
    int same = ctl_list_equal(a, b, !(loses & CTL_LOSES_LABELS), why, size);
    ctl_list_free(a);
    ctl_list_free(b);
    return same;
}

/* The lists are equal up to what is lost, and nothing else differs. */
static void expect_same(const generated *g, const ctl_list *want, const ctl_list *got, unsigned loses,
                        const char *what)
{
    char why[512];
    ck_assert_msg(same_losing(want, got, loses, why, sizeof why), CASE_FMT ", %s: %s", CASE_ARGS(g), what, why);
}

/* Can f hold g's list?  Every format but the text layout can; the text
 * layout holds pure MIC lists. */
static int holds(const ctl_format *f, const generated *g)
{
    return strcmp(f->name, "text") || g->mic_pure;
}

static int reads_and_writes(const ctl_format *f) { return f->read && f->writer; }

/* ----------------------------------------------------------------- tests */

/* A sink that takes the level off numbered rows: their hierarchy then
 * comes from containment among the ids. */
typedef struct {
    ctl_sink sink;
    ctl_sink *next;
} unlevelled_sink;

static ctl_status unlevelled_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *m)
{
    ctl_sink *n = ((unlevelled_sink *)self)->next;
    return n->begin(n, ctx, m);
}

static ctl_status unlevelled_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *m)
{
    ctl_sink *n = ((unlevelled_sink *)self)->next;
    return n->end(n, ctx, m);
}

static ctl_status unlevelled_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *in)
{
    ctl_sink *n = ((unlevelled_sink *)self)->next;
    ctl_item it = *in;
    if (*it.id) it.level = 0;
    return n->item(n, ctx, &it);
}

/* The raw rows through the hierarchy sink; levels: keep the levels of
 * numbered rows (else only unnumbered rows keep theirs). */
static ctl_list *through_hierarchy(const ctl_list *raw, int levels)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *made = ctl_list_new();
    ctl_sink *h = ctl_hierarchy_new(&made->sink, "generated");
    ck_assert(h != NULL);
    unlevelled_sink u = {{unlevelled_begin, unlevelled_item, unlevelled_end, NULL}, h};
    ck_assert_int_eq(ctl_list_replay(raw, ctx, levels ? h : &u.sink), CTL_OK);
    h->destroy(h);
    ctl_ctx_free(ctx);
    return made;
}

/* The generator's canonical list is what the hierarchy sink makes of the
 * raw rows: levels only, no parents, no ids on unnumbered rows; and again
 * with no levels on numbered rows (the generated ids nest). */
START_TEST(hierarchy_rule)
{
    generated g = generate(base_seed(), (unsigned)_i);
    ctl_list *made = through_hierarchy(g.raw, 1), *by_ids = through_hierarchy(g.raw, 0);
    char why[512];
    ck_assert_msg(ctl_list_equal(g.expected, made, 1, why, sizeof why), CASE_FMT ": hierarchy from levels: %s",
                  CASE_ARGS(&g), why);
    ck_assert_msg(ctl_list_equal(g.expected, by_ids, 1, why, sizeof why), CASE_FMT ": hierarchy from ids: %s",
                  CASE_ARGS(&g), why);
    ctl_list_free(by_ids);
    /* the generator made what it is meant to */
    int deepest = 0;
    size_t generated_ids = 0;
    for (size_t k = 0; k < made->n_items; k++) {
        if (made->items[k].level > deepest) deepest = made->items[k].level;
        generated_ids += strchr(made->items[k].id, '#') != NULL;
    }
    ck_assert_int_ge(deepest, 4);
    ck_assert_msg(!g.mic_pure || !generated_ids, CASE_FMT ": %zu generated ids", CASE_ARGS(&g), generated_ids);
    ctl_list_free(made);
    generated_free(&g);
}
END_TEST

/* The lists, together, hold what the property is about. */
START_TEST(generator_covers)
{
    static const char *const ref_schemes[] = {"iso27001-2013", "iso27001-2022", "nist-sp800-53", "iso27017-2015", ""};
    static const char *const words[] = {"基本", "推奨", "遵守事項", "IG1", "mandatory"};
    unsigned schemes = 0, refs = 0, cats = 0;
    int deepest_numbered = 0, pure = 0, impure_mic = 0;
    size_t duplicates = 0, generated_ids = 0, wide_labels = 0, extras = 0;
    for (int i = 0; i < n_lists(); i++) {
        generated g = generate(base_seed(), (unsigned)i);
        const ctl_list *l = g.expected;
        schemes |= 1u << g.scheme;
        pure += g.mic_pure;
        impure_mic += g.scheme == SCHEME_MIC && !g.mic_pure;
        for (size_t k = 0; k < l->n_items; k++) {
            const ctl_item *it = &l->items[k];
            int numbered = !strchr(it->id, '#');
            if (numbered && it->level > deepest_numbered) deepest_numbered = it->level;
            generated_ids += !numbered;
            for (size_t j = 0; numbered && j < k; j++) duplicates += !strcmp(l->items[j].id, it->id);
            wide_labels += strstr(it->label, "．") != NULL;
            extras += it->n_extra;
            for (size_t r = 0; r < it->n_refs; r++)
                for (size_t q = 0; q < sizeof ref_schemes / sizeof *ref_schemes; q++)
                    if (!strcmp(it->refs[r].scheme, ref_schemes[q])) refs |= 1u << q;
            for (size_t q = 0; q < sizeof words / sizeof *words; q++)
                if (!strcmp(it->category_text, words[q])) cats |= 1u << q;
        }
        generated_free(&g);
    }
    ck_assert_uint_eq(schemes, (1u << N_SCHEMES) - 1);
    ck_assert_int_eq(deepest_numbered, MAX_DEPTH);
    ck_assert_int_gt(pure, 0);
    ck_assert_int_gt(impure_mic, 0);
    ck_assert_uint_gt(duplicates, 0);
    ck_assert_uint_gt(generated_ids, 0);
    ck_assert_uint_gt(wide_labels, 0);
    ck_assert_uint_gt(extras, 0);
    ck_assert_uint_eq(refs, (1u << 5) - 1);
    ck_assert_uint_eq(cats, (1u << 5) - 1);
}
END_TEST

/* The text layout refuses a list it cannot hold, naming the first item. */
static void expect_text_refusal(const generated *g, const ctl_format *f)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t len;
    free(write_as(ctx, f, g->expected, &len, &st));
    ck_assert_msg(st == CTL_EUSAGE && ctl_error_code(ctx) == CTL_D_UNSUPPORTED,
                  CASE_FMT ": the text layout wrote a list that is not MIC's: status %s [%s] %s",
                  CASE_ARGS(g), ctl_status_text(st), ctl_diag_name(ctl_error_code(ctx)),
                  ctl_error_message(ctx));
    ctl_ctx_free(ctx);
}

START_TEST(every_format)
{
    generated g = generate(base_seed(), (unsigned)_i);
    const ctl_format *const *all = ctl_formats();
    for (size_t f = 0; all[f]; f++) {
        if (all[f]->writer && !all[f]->read) {
            /* a format written only: it writes the list */
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_status st;
            size_t len;
            free(write_as(ctx, all[f], g.expected, &len, &st));
            ck_assert_msg(st == CTL_OK, CASE_FMT ": writing %s: %s", CASE_ARGS(&g), all[f]->name,
                          ctl_error_message(ctx));
            ctl_ctx_free(ctx);
        }
        if (!reads_and_writes(all[f])) continue;
        if (!holds(all[f], &g)) {
            expect_text_refusal(&g, all[f]);
            continue;
        }
        char *b1, *b2, what[96];
        size_t n1, n2;
        unsigned loses = all[f]->loses;
        snprintf(what, sizeof what, "via %s", all[f]->name);
        ctl_list *back = through(&g, g.expected, all[f], &b1, &n1, &loses);
        expect_same(&g, g.expected, back, loses, what);
        /* rewriting what the format wrote gives the same bytes (unless the
         * writer warned about the metadata) */
        ctl_list *again = through(&g, back, all[f], &b2, &n2, &loses);
        ck_assert_msg((n1 == n2 && !memcmp(b1, b2, n1)) || (loses & ~all[f]->loses),
                      CASE_FMT ", %s: rewriting changes the bytes", CASE_ARGS(&g), what);
        free(b1);
        free(b2);
        ctl_list_free(back);
        ctl_list_free(again);
    }
    generated_free(&g);
}
END_TEST

/* A -> B -> A gives what A alone gives, up to what B loses. */
START_TEST(every_pair)
{
    generated g = generate(base_seed(), (unsigned)_i);
    const ctl_format *const *all = ctl_formats();
    for (size_t a = 0; all[a]; a++) {
        if (!reads_and_writes(all[a]) || !holds(all[a], &g)) continue;
        unsigned loses_a = all[a]->loses;
        ctl_list *direct = through(&g, g.expected, all[a], NULL, NULL, &loses_a);
        for (size_t b = 0; all[b]; b++) {
            if (b == a || !reads_and_writes(all[b]) || !holds(all[b], &g)) continue;
            char what[96];
            snprintf(what, sizeof what, "%s -> %s -> %s", all[a]->name, all[b]->name, all[a]->name);
            unsigned loses = loses_a | all[b]->loses;
            ctl_list *one = through(&g, direct, all[b], NULL, NULL, &loses);
            ctl_list *two = through(&g, one, all[a], NULL, NULL, &loses);
            expect_same(&g, direct, two, loses, what);
            ctl_list_free(one);
            ctl_list_free(two);
        }
        ctl_list_free(direct);
    }
    generated_free(&g);
}
END_TEST

/* Version 1 documents, as ctlconv wrote them before the model's version 2
 * (the list below, written by the commit before it), read into the list
 * their source and the version 2 output give. */
static const char v1_source[] =
    "title\n\nISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\n"
    "A.5.1\tII. 1.\t情報セキュリティのための方針群\t\t\t\n"
    "A.5.1.1\tII. 1. 1. 1\t方針\t・方針を定める\t基本\t当社, \"規程\"\n"
    "\tII. 1. 1. 2\t見直し\t定期的に見直す\t推奨\t\n";

static const char v1_json[] =
    "{\n  \"format\": \"ctlconv-list\",\n  \"version\": 1,\n  \"title\": \"title\",\n  \"note\": \"\",\n"
    "  \"annex\": \"\",\n  \"columns\": [\"ISMS 管理策\", \"項番\", \"対策項目\", \"対策内容\", \"区分\", \"公開回答\"],\n"
    "  \"items\": [\n"
    "    {\"id\": \"II.1\", \"label\": \"II. 1.\", \"level\": 1, \"isms\": [\"A.5.1\"], \"title\": "
    "\"情報セキュリティのための方針群\", \"description\": \"\", \"category\": null, \"answer\": \"\"},\n"
    "    {\"id\": \"II.1.1.1\", \"label\": \"II. 1. 1. 1\", \"level\": 3, \"isms\": [\"A.5.1.1\"], \"title\": "
    "\"方針\", \"description\": \"・方針を定める\", \"category\": \"basic\", \"answer\": \"当社, \\\"規程\\\"\"},\n"
    "    {\"id\": \"II.1.1.2\", \"label\": \"II. 1. 1. 2\", \"level\": 3, \"isms\": [], \"title\": \"見直し\", "
    "\"description\": \"定期的に見直す\", \"category\": \"recommended\", \"answer\": \"\"}\n"
    "  ],\n  \"unplaced_isms\": []\n}\n";

static const char v1_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"1\">\n"
    "  <title>title</title>\n  <note></note>\n  <annex></annex>\n"
    "  <columns>\n    <column>ISMS 管理策</column>\n    <column>項番</column>\n    <column>対策項目</column>\n"
    "    <column>対策内容</column>\n    <column>区分</column>\n    <column>公開回答</column>\n  </columns>\n"
    "  <items>\n"
    "    <item id=\"II.1\" level=\"1\">\n      <label>II. 1.</label>\n      <isms>A.5.1</isms>\n"
    "      <title>情報セキュリティのための方針群</title>\n      <description></description>\n      <answer></answer>\n"
    "    </item>\n"
    "    <item id=\"II.1.1.1\" level=\"3\">\n      <label>II. 1. 1. 1</label>\n      <isms>A.5.1.1</isms>\n"
    "      <title>方針</title>\n      <description>・方針を定める</description>\n      <category>basic</category>\n"
    "      <answer>当社, &quot;規程&quot;</answer>\n    </item>\n"
    "    <item id=\"II.1.1.2\" level=\"3\">\n      <label>II. 1. 1. 2</label>\n      <title>見直し</title>\n"
    "      <description>定期的に見直す</description>\n      <category>recommended</category>\n"
    "      <answer></answer>\n    </item>\n"
    "  </items>\n  <unplaced/>\n</controlList>\n";

static ctl_list *read_ok(const char *format, const char *d, size_t len)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_as(ctx, ctl_format_by_name(format), d, len, &st);
    ck_assert_msg(st == CTL_OK, "reading %s: [%s] %s", format, ctl_diag_name(ctl_error_code(ctx)),
                  ctl_error_message(ctx));
    ctl_ctx_free(ctx);
    return l;
}

/* Lists read from fixed documents are equal, labels included. */
static void expect_equal(const ctl_list *a, const ctl_list *b, const char *what)
{
    char why[512];
    ck_assert_msg(ctl_list_equal(a, b, 1, why, sizeof why), "%s: %s", what, why);
}

START_TEST(version1_reads_as_version2)
{
    static const struct {
        const char *format, *doc, *v2_mark;
    } docs[] = {{"json", v1_json, "\"version\": 2"}, {"xml", v1_xml, "version=\"2\""}};
    ctl_list *source = read_ok("text", v1_source, strlen(v1_source));
    ck_assert_uint_eq(source->n_items, 3);
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        const ctl_format *f = ctl_format_by_name(docs[i].format);
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        size_t len;
        char *v2 = write_as(ctx, f, source, &len, &st);
        ck_assert_int_eq(st, CTL_OK);
        ck_assert_msg(strstr(v2, docs[i].v2_mark) != NULL, "%s: not version 2", docs[i].format);
        ctl_ctx_free(ctx);
        ctl_list *from_v2 = read_ok(docs[i].format, v2, len);
        ctl_list *from_v1 = read_ok(docs[i].format, docs[i].doc, strlen(docs[i].doc));
        char what[64];
        snprintf(what, sizeof what, "%s version 1 against version 2", docs[i].format);
        expect_equal(from_v2, from_v1, what);
        snprintf(what, sizeof what, "%s version 1 against its source", docs[i].format);
        expect_equal(source, from_v1, what);
        ck_assert_str_eq(from_v1->items[1].refs[0].scheme, "iso27001-2013");
        ck_assert_str_eq(from_v1->items[1].parent, "II.1");
        ck_assert_str_eq(ctl_category_word(&from_v1->items[1]), "基本");
        ck_assert_int_eq(from_v1->items[2].category, CTL_CATEGORY_RECOMMENDED);
        free(v2);
        ctl_list_free(from_v2);
        ctl_list_free(from_v1);
    }
    ctl_list_free(source);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roundtrip_schemes");
    TCase *tc = tcase_create("property");
    tcase_set_timeout(tc, 300);
    int n = n_lists();
    tcase_add_test(tc, generator_covers);
    tcase_add_loop_test(tc, hierarchy_rule, 0, n);
    tcase_add_loop_test(tc, every_format, 0, n);
    tcase_add_loop_test(tc, every_pair, 0, n);
    tcase_add_test(tc, version1_reads_as_version2);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
