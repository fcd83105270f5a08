/* SPDX-License-Identifier: BSD-2-Clause */
/* Markdown pipe tables (GitHub Flavored Markdown), read and written.
 *
 * Reader: a GitHub document (a statement of applicability, say): prose,
 * headings, fenced code and one or several pipe tables.  A table is a
 * header row over a delimiter row ("|---|:--:|") with as many cells, and
 * the rows below it up to a blank line or the start of another block, as
 * GFM has it, or up to a line without a pipe (GitHub would show it as a
 * row; here it is prose, with a warning); tables inside fenced code, HTML
 * comments and blocks, block quotes and list items are not read.  A table
 * whose header row names an id column and two other known columns (the
 * words of CSV and XLSX, --column too) is read by the shared table reader;
 * the tables of a document make one list and each must have the first
 * one's header row (another is an error, not a guess); a table without
 * such a header is skipped with a warning.
 * Cells as GitHub shows them: "\|" is '|', backslash escapes and entities
 * resolved, the markers of emphasis, strikethrough and code spans dropped,
 * a link or an image keeps its text (inline and reference links), "<br>"
 * is a line break, other HTML tags are dropped; cells are trimmed.
 *
 * Around the tables:
 *  - title: the first level-1 heading before the list's first table;
 *  - note: the paragraphs under the title (above the first heading when
 *    there is no title) and before the first table, lines joined with
 *    "\n";
 *  - annex heading: the last heading above the first table (not the title),
 *    unless it is a heading item;
 *  - heading items: a heading above a table (since the previous one) whose
 *    text begins with an identifier becomes an item before the table's
 *    rows — its id and label from that identifier, its title the rest —
 *    when the identifier contains the id of the table's first row
 *    ("## A.5 Organizational controls" over A.5.1...), or, when that first
 *    row has no id, when it is the last heading (or contains the last
 *    heading's id): the rows then sit under it by the containment of their
 *    ids, or as its unnumbered rows.  Only for tables with a title column;
 *  - the outline: when the list has two or more tables and its header
 *    names no level or parent column, the last heading above each table
 *    that begins with an identifier is a heading item too (with those
 *    containing its identifier), "## 8 Technological controls" over
 *    A.8.1...; the table's rows that no item above them contains (the
 *    hierarchy's containment, counted from that heading) get it as their
 *    parent.  One table under one heading is the annex heading's case;
 *  - nothing vanishes: the last heading above a later table that is no
 *    item is a line of the note, after the paragraphs (a first pass over
 *    the document finds them, since the note goes out before the rows).
 *    Other headings — over prose, over tables that are not the list's,
 *    above another heading — are prose;
 *  - other prose is not read; a line that starts with '|' outside a table
 *    is warned of (a table that lost its delimiter row?).
 *
 * Writer: the title as a "# " heading, the note as a paragraph, the annex
 * heading as a "## " heading, then one table with the CSV writer's columns.
 * Text is escaped to read back exactly: a backslash before '\', '`', '*',
 * '_', '~', '[', ']', '<', '|' (and '#' in headings, a first punctuation
 * mark in the note), before '&' where an entity would follow; "<br>" for
 * LF; character references for CR, other control characters and spaces or
 * tabs at the ends of a cell.  An annex heading that would read back as a
 * heading item gets its first character as a character reference. */
#include "../converters/services.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <utf8proc.h>

#define NONE ((size_t)-1)

/* TICKS: the longest backtick run that opens a code span (cmark's);
 * MARKS: emphasis runs and link openers one text may hold (memory). */
enum { TICKS = 80, MARKS = 100000, PROBE_BYTES = 1 << 20 };

static int is_punct(int c)
{
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}

static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_alpha(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int is_hex(int c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

static int is_blank_char(char c) { return c == ' ' || c == '\t'; }

/* White space of a table cell's ends (cmark-gfm trims these). */
static int is_cell_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* ================================================================ lines */

typedef struct {
    const char *s;
    size_t len;
    long no;
} line;

typedef struct {
    size_t pos;
    long no;
} cursor;

/* The line at c (LF, CRLF or CR end it); 0 at the end of the text. */
static int get_line(const char *text, size_t n, cursor *c, line *l)
{
    if (c->pos >= n) return 0;
    const char *s = text + c->pos, *end = text + n, *e = s;
    while (e < end && *e != '\n' && *e != '\r') e++;
    l->s = s;
    l->len = (size_t)(e - s);
    l->no = ++c->no;
    if (e < end) e += (*e == '\r' && e + 1 < end && e[1] == '\n') ? 2 : 1;
    c->pos = (size_t)(e - text);
    return 1;
}

/* Bytes of leading spaces and tabs; *cols their width (tab stops of 4). */
static size_t indent(const char *s, size_t n, size_t *cols)
{
    size_t i = 0, w = 0;
    for (; i < n && is_blank_char(s[i]); i++) w = s[i] == '\t' ? w + 4 - w % 4 : w + 1;
    *cols = w;
    return i;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank_char(s[i])) return 0;
    return 1;
}

static size_t run_of(const char *s, size_t n, char c)
{
    size_t k = 0;
    while (k < n && s[k] == c) k++;
    return k;
}

/* The line (less its indentation of at most 3 columns) in *p, *n; 0 when
 * it is indented further (indented code, or a lazy paragraph line). */
static int unindented(const line *l, const char **p, size_t *n)
{
    size_t cols, at = indent(l->s, l->len, &cols);
    if (cols >= 4) return 0;
    *p = l->s + at;
    *n = l->len - at;
    return 1;
}

/* An ATX heading: its level and its text (without the closing #s). */
static int atx_heading(const char *p, size_t n, int *level, const char **text, size_t *len)
{
    size_t k = run_of(p, n, '#');
    if (k < 1 || k > 6 || (k < n && !is_blank_char(p[k]))) return 0;
    size_t a = k, b = n;
    while (a < b && is_blank_char(p[a])) a++;
    while (b > a && is_blank_char(p[b - 1])) b--;
    size_t h = b;
    while (h > a && p[h - 1] == '#') h--;
    if (h < b && (h == a || is_blank_char(p[h - 1]))) {
        b = h;
        while (b > a && is_blank_char(p[b - 1])) b--;
    }
    *level = (int)k;
    *text = p + a;
    *len = b - a;
    return 1;
}

/* A code fence: its character and length (0: none).  A backtick fence's
 * info string holds no backtick. */
static size_t fence_open(const char *p, size_t n, char *ch)
{
    if (!n || (p[0] != '`' && p[0] != '~')) return 0;
    size_t k = run_of(p, n, p[0]);
    if (k < 3 || (p[0] == '`' && memchr(p + k, '`', n - k))) return 0;
    *ch = p[0];
    return k;
}

static int fence_closes(const char *p, size_t n, char ch, size_t len)
{
    size_t k = run_of(p, n, ch);
    return k >= len && blank(p + k, n - k);
}

/* "---", "***", "___" with spaces between. */
static int thematic_break(const char *p, size_t n)
{
    if (!n || (p[0] != '-' && p[0] != '*' && p[0] != '_')) return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == p[0]) k++;
        else if (!is_blank_char(p[i])) return 0;
    }
    return k >= 3;
}

/* A setext underline: 1 for '=', 2 for '-', 0 none. */
static int setext_underline(const char *p, size_t n)
{
    if (!n || (p[0] != '=' && p[0] != '-')) return 0;
    size_t k = run_of(p, n, p[0]);
    return blank(p + k, n - k) ? (p[0] == '=' ? 1 : 2) : 0;
}

static int list_item(const char *p, size_t n)
{
    size_t k = 0;
    if (n && (p[0] == '-' || p[0] == '+' || p[0] == '*')) k = 1;
    else {
        while (k < n && k < 10 && p[k] >= '0' && p[k] <= '9') k++;
        if (!k || k > 9 || k >= n || (p[k] != '.' && p[k] != ')')) return 0;
        k++;
    }
    return k == n || is_blank_char(p[k]);
}

/* Where the next unescaped pipe of p[from..n) is (n: none). */
static size_t next_pipe(const char *p, size_t n, size_t from)
{
    for (size_t i = from; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n && is_punct((unsigned char)p[i + 1])) i++;
        else if (p[i] == '|') return i;
    }
    return n;
}

/* Starts a block that ends a table, or keeps a line from being a table's
 * header: a block quote, a list item, HTML (a line without a pipe). */
static int other_block(const char *p, size_t n)
{
    if (n && p[0] == '>') return 1;
    if (list_item(p, n)) return 1;
    return n > 1 && p[0] == '<' && (is_alpha((unsigned char)p[1]) || strchr("/!?", p[1])) &&
           next_pipe(p, n, 0) == n;
}

/* HTML block tags (CommonMark's kind 6): such a line starts an HTML block
 * that ends at a blank line, even inside a paragraph. */
static const char *const html_blocks[] = {
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
    "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
};

/* Does p start an HTML block: a block tag, or (not inside a paragraph) a
 * line that is one tag ("<div align=center>", "</details>")? */
static int html_block_start(const char *p, size_t n, int in_para)
{
    size_t k = n > 1 && p[0] == '<' ? 1 : 0;
    if (!k) return 0;
    if (k < n && p[k] == '/') k++;
    size_t a = k;
    while (k < n && (is_alnum((unsigned char)p[k]) || p[k] == '-')) k++;
    if (k == a || !is_alpha((unsigned char)p[a])) return 0;
    int end = k == n || is_blank_char(p[k]) || p[k] == '>' || (p[k] == '/' && k + 1 < n && p[k + 1] == '>');
    for (size_t i = 0; end && i < sizeof html_blocks / sizeof *html_blocks; i++)
        if (strlen(html_blocks[i]) == k - a && !strncasecmp(html_blocks[i], p + a, k - a)) return 1;
    size_t b = n;
    while (b > k && is_blank_char(p[b - 1])) b--;
    return !in_para && end && p[b - 1] == '>' && !memchr(p + k, '<', b - k);
}

/* What hides lines from the reader: fenced code, an HTML comment, an HTML
 * block (up to a blank line). */
typedef struct {
    char fence;
    size_t fence_len;
    int comment, html;
} hiding;

/* 1: l is hidden; 2: l opens what hides it (a paragraph ends); 0: l is
 * for the reader. */
static int hidden(hiding *h, const line *l, int in_para)
{
    const char *p = NULL;
    size_t n = 0;
    int open = unindented(l, &p, &n);
    if (h->fence_len) {
        if (open && fence_closes(p, n, h->fence, h->fence_len)) h->fence_len = 0;
        return 1;
    }
    if (h->comment) {
        h->comment = !memmem(l->s, l->len, "-->", 3);
        return 1;
    }
    if (h->html) {
        h->html = !blank(l->s, l->len);
        return h->html;
    }
    if (!open) return 0;
    if ((h->fence_len = fence_open(p, n, &h->fence)) != 0) return 2;
    if (n >= 4 && !memcmp(p, "<!--", 4)) {
        h->comment = !memmem(p + 4, n - 4, "-->", 3);
        return 2;
    }
    if (html_block_start(p, n, in_para)) {
        h->html = 1;
        return 2;
    }
    return 0;
}

/* ---------------------------------------------------------------- rows */

typedef struct {
    const char *s;
    size_t len;
} span;

/* Splits a row into cells as cmark-gfm does: an optional leading and
 * trailing pipe, a backslash escaping the punctuation after it ("\|" is no
 * separator).  Stores at most max spans (untrimmed, pipes still escaped);
 * returns the number of cells (0: not a row). */
static size_t split_row(const line *l, span *out, size_t max)
{
    size_t cols, i = indent(l->s, l->len, &cols), n = l->len, k = 0;
    const char *s = l->s;
    if (i < n && s[i] == '|') i++;
    while (i < n) {
        size_t e = next_pipe(s, n, i);
        if (e == n) {
            size_t a = i;
            while (a < n && is_cell_space(s[a])) a++;
            if (a == n && k) break;   /* spaces after a trailing pipe */
        }
        if (k < max) out[k] = (span){s + i, e - i};
        k++;
        i = e < n ? e + 1 : n;
    }
    return k;
}

static size_t count_cells(const line *l) { return split_row(l, NULL, 0); }

/* A delimiter row ("| --- | :-: |"): its number of cells, 0 when it is
 * none (a setext underline "---" is none). */
static size_t delimiter_row(const line *l)
{
    const char *p;
    size_t n;
    if (!unindented(l, &p, &n) || setext_underline(p, n)) return 0;
    size_t cells = 0;
    size_t i = 0;
    if (i < n && p[i] == '|') i++;
    int any = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && p[e] != '|') e++;
        size_t a = i, b = e;
        while (a < b && is_cell_space(p[a])) a++;
        while (b > a && is_cell_space(p[b - 1])) b--;
        if (a == b) {
            if (e == n && cells) break;   /* after a trailing pipe */
            return 0;
        }
        if (p[a] == ':') a++;
        if (b > a && p[b - 1] == ':') b--;
        if (a == b || run_of(p + a, b - a, '-') != b - a) return 0;
        cells++;
        any = 1;
        i = e < n ? e + 1 : n;
    }
    return any ? cells : 0;
}

/* Does l (under the header line head) start a table?  *cols: its cells. */
static int table_start(const line *head, const line *delim, size_t *cols)
{
    const char *p;
    size_t n;
    if (!unindented(head, &p, &n) || blank(p, n) || other_block(p, n) || thematic_break(p, n)) return 0;
    size_t d = delimiter_row(delim);
    if (!d || count_cells(head) != d) return 0;
    /* one column without a pipe anywhere is too little to go on */
    if (!memchr(head->s, '|', head->len) && !memchr(delim->s, '|', delim->len)) return 0;
    *cols = d;
    return 1;
}

/* Does l end a table (a blank line, another block starts, or a line
 * without a pipe, which GFM would take as a row: prose is no row here)? */
static int ends_table(const line *l)
{
    const char *p;
    size_t n;
    int level;
    char ch;
    const char *t;
    size_t tn;
    if (blank(l->s, l->len) || !unindented(l, &p, &n)) return 1;
    return atx_heading(p, n, &level, &t, &tn) || fence_open(p, n, &ch) || thematic_break(p, n) ||
           other_block(p, n) || !count_cells(l) || next_pipe(p, n, 0) == n;
}

/* A line of prose right under a table (GitHub shows it as a row). */
static int lazy_line(const line *l)
{
    const char *p;
    size_t n;
    int level;
    char ch;
    const char *t;
    size_t tn;
    return !blank(l->s, l->len) && unindented(l, &p, &n) && !atx_heading(p, n, &level, &t, &tn) &&
           !fence_open(p, n, &ch) && !thematic_break(p, n) && !other_block(p, n) && next_pipe(p, n, 0) == n;
}

/* ============================================================= inlines */

/* Link reference definitions of the document: folded labels, sorted. */
typedef struct {
    char **v;
    size_t n, cap;
} defs;

typedef struct {
    char kind;            /* 0 text; '*', '_', '~' a delimiter run; '[' or '!' a link
                             opener; 'x' gone */
    unsigned char open, close;
    size_t off, len;      /* text: bytes in txt; an opener: its place in the source */
    size_t count, orig;   /* a delimiter run: characters left, and at first */
    size_t prev, next;    /* delimiter runs still in play */
} piece;

typedef struct {
    const char *s;
    size_t n;
    const defs *defs;
    ctl_buf txt;
    piece *p;
    size_t np, cap;
    size_t *br, nbr, capbr;
    size_t inactive_to;   /* '[' openers below this depth can make no link */
    size_t last;          /* the last delimiter run in play */
    size_t ticks[TICKS + 1];
    int ticks_all;        /* the text was scanned for backticks to its end */
    int no_end[6];        /* "-->", "?>", "]]>", '>', '"', '\'': none further on */
    size_t marks;         /* delimiter runs and openers made */
    int nomem, too_many;
} inl;

static size_t add_piece(inl *in, piece pc)
{
    if (pc.kind && ++in->marks > MARKS) {
        in->too_many = 1;
        return NONE;
    }
    if (in->np == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        piece *p = ctl_realloc(in->p, cap * sizeof *p);
        if (!p) {
            in->nomem = 1;
            return NONE;
        }
        in->p = p;
        in->cap = cap;
    }
    in->p[in->np] = pc;
    return in->np++;
}

static void add_text(inl *in, const char *s, size_t n)
{
    if (!n) return;
    size_t at = in->txt.len;
    if (!ctl_buf_add(&in->txt, s, n)) {
        in->nomem = 1;
        return;
    }
    piece *last = in->np ? &in->p[in->np - 1] : NULL;
    if (last && !last->kind && last->off + last->len == at) last->len += n;
    else add_piece(in, (piece){.off = at, .len = n, .prev = NONE, .next = NONE});
}

static void add_cp(inl *in, uint32_t cp)
{
    char u[8];
    add_text(in, u, ctl_utf8_encode(cp, u));
}

/* The code point before s[i] (-1: none) and at s[i]. */
static int32_t cp_before(const char *s, size_t i)
{
    if (!i) return -1;
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    uint32_t cp;
    ctl_utf8_decode(s + k, i - k, &cp);
    return (int32_t)cp;
}

static int32_t cp_at(const char *s, size_t n, size_t i)
{
    if (i >= n) return -1;
    uint32_t cp;
    ctl_utf8_decode(s + i, n - i, &cp);
    return (int32_t)cp;
}

/* CommonMark's Unicode white space and punctuation (the ends of the text
 * count as white space). */
static int uni_space(int32_t cp)
{
    if (cp < 0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r') return 1;
    return cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

static int uni_punct(int32_t cp)
{
    if (cp < 0) return 0;
    if (cp < 0x80) return is_punct(cp);
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

/* A run of '*', '_' or '~' at s[i..i+k): a delimiter with what it can do. */
static void add_delimiter(inl *in, size_t i, size_t k)
{
    char c = in->s[i];
    if (c == '~' && k > 2) {
        add_text(in, in->s + i, k);
        return;
    }
    int32_t before = cp_before(in->s, i), after = cp_at(in->s, in->n, i + k);
    int left = !uni_space(after) && (!uni_punct(after) || uni_space(before) || uni_punct(before));
    int right = !uni_space(before) && (!uni_punct(before) || uni_space(after) || uni_punct(after));
    piece pc = {.kind = c, .count = k, .orig = k, .prev = in->last, .next = NONE};
    pc.open = (unsigned char)(c == '_' ? left && (!right || uni_punct(before)) : left);
    pc.close = (unsigned char)(c == '_' ? right && (!left || uni_punct(after)) : right);
    size_t at = add_piece(in, pc);
    if (at == NONE) return;
    if (in->last != NONE) in->p[in->last].next = at;
    in->last = at;
}

static void unlink_delim(inl *in, size_t d)
{
    piece *P = &in->p[d];
    if (P->prev != NONE) in->p[P->prev].next = P->next;
    if (P->next != NONE) in->p[P->next].prev = P->prev;
    else in->last = P->prev;
    P->prev = P->next = NONE;
}

static int kind_index(char k) { return k == '*' ? 0 : k == '_' ? 1 : 2; }

/* CommonMark's "process emphasis" over the runs from piece lo on: matched
 * markers are used up, the rest stays literal. */
static void emphasis(inl *in, size_t lo)
{
    size_t bottom[3][2][3];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++) bottom[a][b][c] = lo;
    size_t closer = NONE;
    for (size_t d = in->last; d != NONE && d >= lo; d = in->p[d].prev) closer = d;
    while (closer != NONE) {
        piece *C = &in->p[closer];
        if (!C->close) {
            closer = C->next;
            continue;
        }
        size_t *b = &bottom[kind_index(C->kind)][C->open][C->orig % 3], found = NONE;
        for (size_t o = C->prev; o != NONE && o >= *b; o = in->p[o].prev) {
            const piece *O = &in->p[o];
            if (O->kind != C->kind || !O->open) continue;
            if (C->kind != '~' && (O->close || C->open) && (O->orig + C->orig) % 3 == 0 &&
                (O->orig % 3 || C->orig % 3))
                continue;
            found = o;
            break;
        }
        if (found != NONE && C->kind == '~' && in->p[found].count != C->count) found = NONE;
        if (found == NONE) {
            *b = closer;
            size_t next = C->next;
            if (!C->open) unlink_delim(in, closer);
            closer = next;
            continue;
        }
        piece *O = &in->p[found];
        size_t use = C->kind == '~' ? C->count : (O->count >= 2 && C->count >= 2 ? 2 : 1);
        O->count -= use;
        C->count -= use;
        while (O->next != closer) unlink_delim(in, O->next);
        if (!O->count) unlink_delim(in, found);
        if (!C->count) {
            size_t next = C->next;
            unlink_delim(in, closer);
            closer = next;
        }
    }
    while (in->last != NONE && in->last >= lo) unlink_delim(in, in->last);
}

/* ------------------------------------------------------------- escapes */

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},     {"copy", 0xA9},     {"reg", 0xAE},
    {"trade", 0x2122},  {"hellip", 0x2026}, {"mdash", 0x2014},  {"ndash", 0x2013},
    {"laquo", 0xAB},    {"raquo", 0xBB},    {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"times", 0xD7},    {"divide", 0xF7},
    {"middot", 0xB7},   {"bull", 0x2022},   {"deg", 0xB0},      {"plusmn", 0xB1},
    {"sect", 0xA7},     {"para", 0xB6},     {"euro", 0x20AC},   {"yen", 0xA5},
    {"pound", 0xA3},    {"cent", 0xA2},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwj", 0x200D},    {"zwnj", 0x200C},   {"shy", 0xAD},
    {"larr", 0x2190},   {"rarr", 0x2192},   {"uarr", 0x2191},   {"darr", 0x2193},
    {"harr", 0x2194},   {"check", 0x2713},  {"cross", 0x2717},  {"star", 0x2606},
};

/* An entity or numeric character reference at s[i] ('&'): its end, the
 * character added; NONE when there is none (or an unknown name). */
static size_t entity(inl *in, size_t i)
{
    const char *s = in->s;
    size_t n = in->n, j = i + 1;
    if (j < n && s[j] == '#') {
        int hex = j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X');
        size_t a = j + 1 + (size_t)hex, k = a;
        uint32_t v = 0;
        while (k < n && k - a < (hex ? 6u : 7u) &&
               (hex ? is_hex((unsigned char)s[k]) : (s[k] >= '0' && s[k] <= '9'))) {
            int d = s[k] <= '9' ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
            k++;
        }
        if (k == a || k >= n || s[k] != ';') return NONE;
        if (!v || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) v = 0xFFFD;
        add_cp(in, v);
        return k + 1;
    }
    size_t k = j;
    while (k < n && k - j < 32 && is_alnum((unsigned char)s[k])) k++;
    if (k == j || k >= n || s[k] != ';') return NONE;
    for (size_t e = 0; e < sizeof entities / sizeof *entities; e++)
        if (strlen(entities[e].name) == k - j && !memcmp(entities[e].name, s + j, k - j)) {
            add_cp(in, entities[e].cp);
            return k + 1;
        }
    return NONE;
}

/* ------------------------------------------------------------- HTML */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
                     s[i] == '\v'))
        i++;
    return i;
}

/* The end of the first "what" at or after from (NONE: none), remembering a
 * miss in no_end[which] (a later search cannot find it either). */
static size_t find_end(inl *in, size_t from, const char *what, int which)
{
    if (in->no_end[which] || from > in->n) return NONE;
    const char *f = memmem(in->s + from, in->n - from, what, strlen(what));
    if (!f) {
        in->no_end[which] = 1;
        return NONE;
    }
    return (size_t)(f - in->s) + strlen(what);
}

/* An HTML attribute value at s[i]: its end, or NONE. */
static size_t attr_value(inl *in, size_t i)
{
    const char *s = in->s;
    size_t n = in->n;
    if (i < n && (s[i] == '"' || s[i] == '\'')) {
        int which = s[i] == '"' ? 4 : 5;
        const char *q = in->no_end[which] ? NULL : memchr(s + i + 1, s[i], n - i - 1);
        if (!q) in->no_end[which] = 1;
        return q ? (size_t)(q - s) + 1 : NONE;
    }
    size_t k = i;
    while (k < n && (unsigned char)s[k] > ' ' && !strchr("\"'=<>`", s[k])) k++;
    return k > i ? k : NONE;
}

/* An open or closing tag at s[i] ('<'): its end, or NONE; *br: it is <br>. */
static size_t html_tag(inl *in, size_t i, int *br)
{
    const char *s = in->s;
    size_t n = in->n, k = i + 1;
    int closing = k < n && s[k] == '/';
    k += (size_t)closing;
    size_t name = k;
    if (k >= n || !is_alpha((unsigned char)s[k])) return NONE;
    while (k < n && (is_alnum((unsigned char)s[k]) || s[k] == '-')) k++;
    *br = !closing && k - name == 2 && (s[name] | 0x20) == 'b' && (s[name + 1] | 0x20) == 'r';
    if (closing) {
        k = skip_ws(s, n, k);
        return k < n && s[k] == '>' ? k + 1 : NONE;
    }
    for (;;) {
        size_t w = skip_ws(s, n, k);
        if (w < n && s[w] == '>') return w + 1;
        if (w + 1 < n && s[w] == '/' && s[w + 1] == '>') return w + 2;
        if (w == k || w >= n || !(is_alpha((unsigned char)s[w]) || s[w] == '_' || s[w] == ':')) return NONE;
        k = w;
        while (k < n && (is_alnum((unsigned char)s[k]) || strchr("_.:-", s[k]))) k++;
        size_t e = skip_ws(s, n, k);
        if (e < n && s[e] == '=') {
            k = attr_value(in, skip_ws(s, n, e + 1));
            if (k == NONE) return NONE;
        }
    }
}

/* An autolink at s[i] ('<'): its end (the text between the brackets is
 * kept), or NONE. */
static size_t autolink(const char *s, size_t n, size_t i)
{
    size_t k = i + 1;
    if (k < n && is_alpha((unsigned char)s[k])) {
        size_t a = k;
        while (k < n && k - a < 33 && (is_alnum((unsigned char)s[k]) || strchr("+.-", s[k]))) k++;
        if (k - a >= 2 && k - a <= 32 && k < n && s[k] == ':') {
            while (++k < n && (unsigned char)s[k] > ' ' && s[k] != '<' && s[k] != '>') {}
            if (k < n && s[k] == '>') return k + 1;
        }
    }
    k = i + 1;
    size_t a = k;
    while (k < n && (is_alnum((unsigned char)s[k]) || strchr(".!#$%&'*+/=?^_`{|}~-", s[k]))) k++;
    if (k == a || k >= n || s[k] != '@') return NONE;
    size_t labels = 0;
    do {
        size_t b = ++k;
        while (k < n && k - b < 63 && (is_alnum((unsigned char)s[k]) || s[k] == '-')) k++;
        if (k == b || s[b] == '-' || s[k - 1] == '-') return NONE;
        labels++;
    } while (k < n && s[k] == '.');
    return labels && k < n && s[k] == '>' ? k + 1 : NONE;
}

/* '<' at s[i]: an autolink (its text kept), <br> (a line break), another
 * tag, a comment, a processing instruction, a declaration or CDATA
 * (dropped).  Returns the end, NONE when it is a plain '<'. */
static size_t angle(inl *in, size_t i)
{
    const char *s = in->s;
    size_t n = in->n, e = autolink(s, n, i);
    if (e != NONE) {
        add_text(in, s + i + 1, e - i - 2);
        return e;
    }
    if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
        if (i + 4 < n && s[i + 4] == '>') return i + 5;
        if (i + 5 < n && s[i + 4] == '-' && s[i + 5] == '>') return i + 6;
        return find_end(in, i + 4, "-->", 0);
    }
    if (i + 1 < n && s[i + 1] == '?') return find_end(in, i + 2, "?>", 1);
    if (n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) return find_end(in, i + 9, "]]>", 2);
    if (i + 2 < n && s[i + 1] == '!' && is_alpha((unsigned char)s[i + 2])) return find_end(in, i + 2, ">", 3);
    int br = 0;
    e = html_tag(in, i, &br);
    if (e != NONE && br) add_text(in, "\n", 1);
    return e;
}

/* -------------------------------------------------------------- links */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A link label as CommonMark matches them (NFKC, case folding, white space
 * removed: ctl_fold_into); 0 when it cannot be one. */
static int fold_label(const char *s, size_t n, char out[256])
{
    if (blank(s, n) || ctl_fold_into(s, n, out, 256) < 0) return 0;
    return *out != '\0';
}

static int defined(const inl *in, const char *s, size_t n)
{
    char f[256];
    if (!in->defs || !in->defs->n || !fold_label(s, n, f)) return 0;
    const char *key = f;
    return bsearch(&key, in->defs->v, in->defs->n, sizeof *in->defs->v, cmp_str) != NULL;
}

/* A link label "[...]" at s[i]: the place of its ']', or NONE. */
static size_t label_end(const char *s, size_t n, size_t i)
{
    for (size_t k = i + 1; k < n && k - i <= 1000; k++) {
        if (s[k] == '\\' && k + 1 < n && is_punct((unsigned char)s[k + 1])) k++;
        else if (s[k] == '[') return NONE;
        else if (s[k] == ']') return k;
    }
    return NONE;
}

/* A link title at s[i] ("...", '...' or (...)): its end, or NONE. */
static size_t link_title(const char *s, size_t n, size_t i)
{
    if (i >= n || (s[i] != '"' && s[i] != '\'' && s[i] != '(')) return NONE;
    char close = s[i] == '(' ? ')' : s[i];
    for (size_t k = i + 1; k < n; k++) {
        if (s[k] == '\\' && k + 1 < n && is_punct((unsigned char)s[k + 1])) k++;
        else if (s[k] == close) return k + 1;
        else if (close == ')' && s[k] == '(') return NONE;
    }
    return NONE;
}

/* A link destination at s[i]: its end (i when empty), or NONE. */
static size_t link_dest(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] == '<') {
        for (size_t k = i + 1; k < n; k++) {
            if (s[k] == '\\' && k + 1 < n && is_punct((unsigned char)s[k + 1])) k++;
            else if (s[k] == '>') return k + 1;
            else if (s[k] == '<' || s[k] == '\n' || s[k] == '\r') return NONE;
        }
        return NONE;
    }
    size_t k = i;
    int depth = 0;
    for (; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '\\' && k + 1 < n && is_punct((unsigned char)s[k + 1])) k++;
        else if (c == '(' && ++depth > 32) return NONE;
        else if (c == ')' && depth-- == 0) break;
        else if (c <= ' ' || c == 0x7F) break;
    }
    return depth > 0 ? NONE : k;
}

/* An inline link's "(destination "title")" at s[i] ('('): its end, or
 * NONE. */
static size_t inline_link(const char *s, size_t n, size_t i)
{
    size_t k = skip_ws(s, n, i + 1), d = link_dest(s, n, k);
    if (d == NONE) return NONE;
    size_t w = skip_ws(s, n, d);
    if (w > d || d == k) {
        size_t t = link_title(s, n, w);
        if (t != NONE) w = skip_ws(s, n, t);
    }
    return w < n && s[w] == ')' ? w + 1 : NONE;
}

/* What follows the ']' of a link text s[from..to): its end when the text
 * is a link's or an image's, NONE otherwise. */
static size_t link_tail(const inl *in, size_t from, size_t to)
{
    const char *s = in->s;
    size_t n = in->n, j = to + 1;
    if (j < n && s[j] == '(') {
        size_t e = inline_link(s, n, j);
        if (e != NONE) return e;
    }
    if (!in->defs || !in->defs->n) return NONE;
    if (j < n && s[j] == '[') {
        size_t e = label_end(s, n, j);
        if (e != NONE) {
            if (e > j + 1) return defined(in, s + j + 1, e - j - 1) ? e + 1 : NONE;
            return defined(in, s + from, to - from) ? e + 1 : NONE;
        }
    }
    return defined(in, s + from, to - from) ? j : NONE;
}

static void push_opener(inl *in, char kind, size_t text_at)
{
    size_t at = add_piece(in, (piece){.kind = kind, .off = text_at, .prev = NONE, .next = NONE});
    if (at == NONE) return;
    if (in->nbr == in->capbr) {
        size_t cap = in->capbr ? in->capbr * 2 : 16;
        size_t *b = ctl_realloc(in->br, cap * sizeof *b);
        if (!b) {
            in->nomem = 1;
            return;
        }
        in->br = b;
        in->capbr = cap;
    }
    in->br[in->nbr++] = at;
}

/* ']' at s[i]: closes a link or an image (its text kept, the rest
 * dropped) or is text.  Returns where to go on. */
static size_t close_bracket(inl *in, size_t i)
{
    if (!in->nbr) {
        add_text(in, "]", 1);
        return i + 1;
    }
    size_t depth = in->nbr - 1, o = in->br[depth];
    char kind = in->p[o].kind;
    size_t end = NONE;
    if (kind == '!' || depth >= in->inactive_to) end = link_tail(in, in->p[o].off, i);
    in->nbr--;
    if (in->inactive_to > in->nbr) in->inactive_to = in->nbr;
    if (end == NONE) {
        add_text(in, "]", 1);
        return i + 1;
    }
    emphasis(in, o + 1);
    in->p[o].kind = 'x';
    if (kind == '[') in->inactive_to = in->nbr;   /* no links in links */
    return end;
}

/* ------------------------------------------------------------- spans */

/* The start of the closing run of exactly k backticks after from, or
 * NONE (cmark's memo: runs of each length seen so far). */
static size_t code_closer(inl *in, size_t from, size_t k)
{
    if (k > TICKS) return NONE;
    if (in->ticks_all && (in->ticks[k] == NONE || in->ticks[k] < from)) return NONE;
    const char *s = in->s;
    size_t n = in->n, q = from;
    while (q < n) {
        const char *t = memchr(s + q, '`', n - q);
        if (!t) break;
        size_t a = (size_t)(t - s), len = run_of(s + a, n - a, '`');
        if (len <= TICKS) in->ticks[len] = a;
        if (len == k) return a;
        q = a + len;
    }
    in->ticks_all = 1;
    return NONE;
}

/* A code span s[a..b): line breaks made spaces, one space stripped from
 * each end when both have one (and it is not all spaces). */
static void code_span(inl *in, size_t a, size_t b)
{
    const char *s = in->s;
    int strip = b - a >= 2 && (s[a] == ' ' || s[a] == '\n') && (s[b - 1] == ' ' || s[b - 1] == '\n');
    if (strip) {
        strip = 0;
        for (size_t k = a; k < b && !strip; k++) strip = s[k] != ' ' && s[k] != '\n';
    }
    if (strip) a++, b--;
    for (size_t k = a; k < b;) {
        size_t e = k;
        while (e < b && s[e] != '\n') e++;
        add_text(in, s + k, e - k);
        if (e < b) add_text(in, " ", 1);
        k = e + 1;
    }
}

/* ----------------------------------------------------------- the pass */

static const unsigned char special[256] = {
    ['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['~'] = 1, ['['] = 1,
    [']'] = 1,  ['!'] = 1, ['<'] = 1, ['&'] = 1,
};

/* One special character at s[i]: what it makes; returns where to go on. */
static size_t inline_at(inl *in, size_t i)
{
    const char *s = in->s;
    size_t n = in->n, e;
    switch (s[i]) {
    case '\\':
        if (i + 1 < n && is_punct((unsigned char)s[i + 1])) {
            add_text(in, s + i + 1, 1);
            return i + 2;
        }
        if (i + 1 < n && s[i + 1] == '\n') return i + 1;   /* a hard line break */
        add_text(in, "\\", 1);
        return i + 1;
    case '`': {
        size_t k = run_of(s + i, n - i, '`'), c = code_closer(in, i + k, k);
        if (c == NONE) {
            add_text(in, s + i, k);
            return i + k;
        }
        code_span(in, i + k, c);
        return c + k;
    }
    case '*':
    case '_':
    case '~': {
        size_t k = run_of(s + i, n - i, s[i]);
        add_delimiter(in, i, k);
        return i + k;
    }
    case '[':
        push_opener(in, '[', i + 1);
        return i + 1;
    case '!':
        if (i + 1 < n && s[i + 1] == '[') {
            push_opener(in, '!', i + 2);
            return i + 2;
        }
        add_text(in, "!", 1);
        return i + 1;
    case ']':
        return close_bracket(in, i);
    case '<':
        if ((e = angle(in, i)) != NONE) return e;
        add_text(in, "<", 1);
        return i + 1;
    default:   /* '&' */
        if ((e = entity(in, i)) != NONE) return e;
        add_text(in, "&", 1);
        return i + 1;
    }
}

/* Appends s[0..n) as GitHub shows it, markup dropped, to out: 1; 0 when
 * out of memory; -1 when it holds more than MARKS marks. */
static int inline_text(inl *in, const char *s, size_t n, ctl_buf *out)
{
    in->s = s;
    in->n = n;
    in->txt.len = 0;
    in->np = in->nbr = in->inactive_to = 0;
    in->last = NONE;
    in->ticks_all = in->too_many = 0;
    in->marks = 0;
    for (size_t k = 0; k <= TICKS; k++) in->ticks[k] = NONE;
    memset(in->no_end, 0, sizeof in->no_end);
    size_t i = 0, run = 0;
    while (i < n && !in->nomem && !in->too_many) {
        if (!special[(unsigned char)s[i]]) {
            i++;
            continue;
        }
        add_text(in, s + run, i - run);
        run = i = inline_at(in, i);
    }
    add_text(in, s + run, n - run);
    if (in->too_many) return -1;
    if (in->nomem) return 0;
    emphasis(in, 0);
    for (size_t k = 0; k < in->np; k++) {
        const piece *p = &in->p[k];
        int ok = 1;
        if (!p->kind) ok = ctl_buf_add(out, in->txt.data + p->off, p->len);
        else if (p->kind == '[') ok = ctl_buf_addc(out, '[');
        else if (p->kind == '!') ok = ctl_buf_add(out, "![", 2);
        else if (p->kind != 'x')
            for (size_t c = 0; c < p->count && ok; c++) ok = ctl_buf_addc(out, p->kind);
        if (!ok) return 0;
    }
    return ctl_buf_add(out, "", 0);
}

static void inl_free(inl *in)
{
    ctl_buf_free(&in->txt);
    ctl_free(in->p);
    ctl_free(in->br);
}

/* ================================================================ reader */

/* A heading above a table, as written. */
typedef struct {
    char *raw;
    size_t len;
    long line;
} heading;

/* A heading item over a table by position (the outline): its id, its
 * line and the table's last line (LONG_MAX while the table is read). */
typedef struct {
    char id[CTL_ID_MAX];
    long from, to;
} group;

/* A sink in front of the reader's: the document's title, note and annex
 * heading in the metadata the table reader hands on; the rows of a table
 * under a heading item by position that no item above them contains get
 * it as their parent. */
typedef struct {
    ctl_sink sink;
    ctl_sink *next;
    const char *title, *note, *annex;
    group *groups;
    size_t n_groups, cap_groups, at;
    /* the ids above in the group at, each's ancestors (as the hierarchy's) */
    char (*chain)[CTL_ID_MAX];
    size_t n_chain, cap_chain, chain_group;
} meta_proxy;

typedef struct {
    ctl_ctx *ctx;
    const ctl_options *opts;
    const char *file;
    const char *text;
    size_t len;
    meta_proxy proxy;
    int scan;                   /* the first pass: the headings the note keeps */
    int several;                /* two or more tables of the list (from the first pass) */
    int outline;                /* several, a title column, no level or parent column */
    size_t n_lists;             /* tables of the list read so far */
    ctl_buf head_note;          /* headings kept as lines of the note */
    long row_line;              /* the line of the last row of a table */
    ctl_table *table;           /* made at the list's first table */
    char *title, *annex;
    ctl_buf note;
    int have_title, in_lead;
    line *para;                 /* the paragraph being gathered */
    size_t n_para, cap_para;
    heading *heads;             /* headings since the list's last table */
    size_t n_heads, cap_heads;
    char **header;              /* the list's header row, folded */
    size_t n_header;
    long header_line;
    size_t id_col, title_col;   /* title_col NONE: none */
    int header_tree;            /* the header names a level or parent column */
    size_t codes_at;            /* a header naming no field: its column of codes + 1 (codes_below) */
    /* one row: its cells' text in buf, and the cells */
    ctl_buf buf;
    span *spans;
    size_t *ends;
    ctl_cell *cells;
    size_t n_cells, cap_cells, cap_spans, cap_ends;
    inl in;
    defs defs;
    ctl_buf tmp;
} md_reader;

static ctl_status mp_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    meta_proxy *p = (meta_proxy *)self;
    ctl_meta m = *meta;
    m.title = (char *)p->title;
    m.note = (char *)p->note;
    m.annex = (char *)p->annex;
    return p->next->begin(p->next, ctx, &m);
}

static int grow(void **v, size_t *cap, size_t need, size_t size);

/* The parent an item gets by the outline: the heading item of the group
 * its line is in when no item of the group above it contains its id (nor
 * the heading item's) and the reader said nothing of its place; else NULL
 * (the hierarchy's containment).  *nomem on failure. */
static const char *outline_parent(meta_proxy *p, const ctl_item *it, int *nomem)
{
    long line = it->pos.line;
    while (p->at < p->n_groups && p->groups[p->at].to < line) p->at++;
    if (p->at == p->n_groups || line <= p->groups[p->at].from) return NULL;
    const group *g = &p->groups[p->at];
    if (p->chain_group != p->at) p->n_chain = 0, p->chain_group = p->at;
    if (!it->id || !*it->id || it->level > 0 || it->parent) return NULL;
    while (p->n_chain && !ctl_id_contains(p->chain[p->n_chain - 1], it->id)) p->n_chain--;
    int top = !p->n_chain;
    if (!grow((void **)&p->chain, &p->cap_chain, p->n_chain + 1, sizeof *p->chain)) {
        *nomem = 1;
        return NULL;
    }
    snprintf(p->chain[p->n_chain++], CTL_ID_MAX, "%s", it->id);
    return top && !ctl_id_contains(g->id, it->id) ? g->id : NULL;
}

static ctl_status mp_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    meta_proxy *p = (meta_proxy *)self;
    int nomem = 0;
    const char *parent = outline_parent(p, it, &nomem);
    if (nomem) return ctl_nomem(ctx);
    if (!parent) return p->next->item(p->next, ctx, it);
    ctl_item under = *it;
    under.parent = (char *)parent;
    return p->next->item(p->next, ctx, &under);
}

static ctl_status mp_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    meta_proxy *p = (meta_proxy *)self;
    ctl_meta m = *meta;
    m.title = (char *)p->title;
    m.note = (char *)p->note;
    m.annex = (char *)p->annex;
    return p->next->end(p->next, ctx, &m);
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 1;
    size_t c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    void *p = ctl_realloc(*v, c * size);
    if (!p) return 0;
    *v = p;
    *cap = c;
    return 1;
}

/* inline_text into out, its failures recorded. */
static ctl_status inline_into(md_reader *r, const char *s, size_t n, ctl_buf *out, long line)
{
    int rc = inline_text(&r->in, s, n, out);
    if (rc > 0) return CTL_OK;
    if (!rc) return ctl_nomem(r->ctx);
    return ctl_fail(r->ctx, CTL_D_FIXED_LIMIT, r->file, line, "more than %d marks of emphasis, links or "
                    "images in one cell, heading or paragraph: more than ctlconv's Markdown reader follows",
                    MARKS);
}

/* The cells of row l, each unescaped ("\|"), read as inlines and trimmed,
 * into r->cells.  Over the columns limit: an error. */
static ctl_status row_cells(md_reader *r, const line *l)
{
    size_t n = count_cells(l), max = ctl_limit_value(r->opts, CTL_LIMIT_COLUMNS);
    if (n > max)
        return ctl_limit_fail(r->ctx, r->file, l->no, CTL_LIMIT_COLUMNS, "more than the limit of %zu "
                              "cells in a row", max);
    if (!grow((void **)&r->spans, &r->cap_spans, n, sizeof *r->spans) ||
        !grow((void **)&r->ends, &r->cap_ends, n, sizeof *r->ends) ||
        !grow((void **)&r->cells, &r->cap_cells, n, sizeof *r->cells))
        return ctl_nomem(r->ctx);
    split_row(l, r->spans, n);
    r->buf.len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = r->spans[i].s;
        size_t len = r->spans[i].len, k = 0;
        r->tmp.len = 0;
        for (; k < len; k++) {   /* cmark-gfm's unescape_pipes */
            if (s[k] == '\\' && k + 1 < len && s[k + 1] == '|') k++;
            if (!ctl_buf_addc(&r->tmp, s[k])) return ctl_nomem(r->ctx);
        }
        const char *t = r->tmp.data ? r->tmp.data : "";
        size_t a = 0, b = r->tmp.len;
        while (a < b && is_cell_space(t[a])) a++;
        while (b > a && is_cell_space(t[b - 1])) b--;
        ctl_status st = inline_into(r, t + a, b - a, &r->buf, l->no);
        if (st != CTL_OK) return st;
        r->ends[i] = r->buf.len;
    }
    for (size_t i = 0; i < n; i++) {
        size_t a = i ? r->ends[i - 1] : 0;
        r->cells[i] = (ctl_cell){r->buf.data ? r->buf.data + a : "", r->ends[i] - a};
    }
    r->n_cells = n;
    return CTL_OK;
}

/* ------------------------------------------------------ headings, prose */

/* The identifier a heading's text begins with: an item number ("II. 1.
 * 1.") or a first word that is an identifier ("A.5", "AC", "1:"), emphasis
 * markers around it aside.  Returns 1 with the canonical id and the place
 * of the identifier as written ([*at, *at + *len)); 0 when none.  Escapes
 * and character references make no identifier (the writer's protection). */
static int heading_id(const char *s, size_t n, char id[CTL_ID_MAX], size_t *at, size_t *len)
{
    size_t m = 0;
    while (m < n && (s[m] == '*' || s[m] == '_')) m++;
    ctl_number num;
    size_t k = ctl_parse_number(s + m, n - m, &num);
    if (!k || (m + k < n && !is_blank_char(s[m + k]) && s[m + k] != '*' && s[m + k] != '_')) {
        k = 0;
        while (m + k < n && !is_blank_char(s[m + k])) k++;
        while (k && (s[m + k - 1] == '*' || s[m + k - 1] == '_')) k--;
        if (k && s[m + k - 1] == ':') k--;
    }
    if (!k || memchr(s + m, '\\', k) || memmem(s + m, k, "&#", 2) || !ctl_parse_id(s + m, k, id)) return 0;
    *at = m;
    *len = k;
    return 1;
}

static ctl_status text_of(md_reader *r, const char *s, size_t n, long line, char **out)
{
    ctl_buf b = {0};
    ctl_status st = inline_into(r, s, n, &b, line);
    if (st == CTL_OK && !(*out = ctl_buf_take(&b))) st = ctl_nomem(r->ctx);
    if (st != CTL_OK) ctl_buf_free(&b);
    return st;
}

static ctl_status on_heading(md_reader *r, const char *raw, size_t n, int level, long no)
{
    if (!r->n_lists && !r->have_title && level == 1) {
        r->have_title = 1;
        r->note.len = 0;   /* what is above the title is not its note */
        r->in_lead = 1;
        return text_of(r, raw, n, no, &r->title);
    }
    if (!r->n_lists) r->in_lead = 0;
    if (!grow((void **)&r->heads, &r->cap_heads, r->n_heads + 1, sizeof *r->heads)) return ctl_nomem(r->ctx);
    heading *h = &r->heads[r->n_heads];
    if (!(h->raw = ctl_strndup(raw, n))) return ctl_nomem(r->ctx);
    h->len = n;
    h->line = no;
    r->n_heads++;
    return CTL_OK;
}

/* A link reference definition on one line: "[label]: destination 'title'". */
static int link_definition(const char *p, size_t n, char folded[256])
{
    if (!n || p[0] != '[') return 0;
    size_t e = label_end(p, n, 0);
    if (e == NONE || e + 1 >= n || p[e + 1] != ':' || !fold_label(p + 1, e - 1, folded)) return 0;
    size_t k = skip_ws(p, n, e + 2), d = link_dest(p, n, k);
    if (d == NONE || d == k) return 0;
    size_t w = skip_ws(p, n, d);
    if (w < n && w > d) {
        size_t t = link_title(p, n, w);
        if (t == NONE) return 0;
        w = skip_ws(p, n, t);
    }
    return w == n;
}

/* The paragraph gathered so far: under the title (or above any heading)
 * and before the list's first table, part of the note. */
static ctl_status end_para(md_reader *r)
{
    size_t n = r->n_para, k = 0;
    r->n_para = 0;
    if (!n || r->n_lists || !r->in_lead) return CTL_OK;
    char f[256];
    const char *p;
    size_t pn;
    while (k < n && unindented(&r->para[k], &p, &pn) && link_definition(p, pn, f)) k++;
    if (k == n) return CTL_OK;
    r->tmp.len = 0;
    for (size_t i = k; i < n; i++) {
        const char *s = r->para[i].s;
        size_t a = 0, b = r->para[i].len;
        while (a < b && is_blank_char(s[a])) a++;
        while (b > a && is_blank_char(s[b - 1])) b--;
        if ((i > k && !ctl_buf_addc(&r->tmp, '\n')) || !ctl_buf_add(&r->tmp, s + a, b - a))
            return ctl_nomem(r->ctx);
    }
    if (r->note.len && !ctl_buf_addc(&r->note, '\n')) return ctl_nomem(r->ctx);
    /* inline_text does not use tmp */
    return inline_into(r, r->tmp.data ? r->tmp.data : "", r->tmp.len, &r->note, r->para[k].no);
}

static ctl_status add_para(md_reader *r, const line *l)
{
    if (!grow((void **)&r->para, &r->cap_para, r->n_para + 1, sizeof *r->para)) return ctl_nomem(r->ctx);
    r->para[r->n_para++] = *l;
    return CTL_OK;
}

/* The paragraph gathered so far is a setext heading. */
static ctl_status setext_heading(md_reader *r, int level)
{
    ctl_buf raw = {0};
    long no = r->para[0].no;
    for (size_t i = 0; i < r->n_para; i++) {
        const char *s = r->para[i].s;
        size_t a = 0, b = r->para[i].len;
        while (a < b && is_blank_char(s[a])) a++;
        while (b > a && is_blank_char(s[b - 1])) b--;
        if ((i && !ctl_buf_addc(&raw, '\n')) || !ctl_buf_add(&raw, s + a, b - a)) {
            ctl_buf_free(&raw);
            return ctl_nomem(r->ctx);
        }
    }
    r->n_para = 0;
    ctl_status st = on_heading(r, raw.data ? raw.data : "", raw.len, level, no);
    ctl_buf_free(&raw);
    return st;
}

/* --------------------------------------------------------------- tables */

/* Folds a header cell for comparing header rows (as written when it is
 * too long to fold). */
static char *fold_cell(const ctl_cell *c)
{
    char f[256];
    const char *s = c->s;
    size_t n = c->len;
    ctl_trim(&s, &n);
    if (n <= 200 && ctl_fold_into(s, n, f, sizeof f) >= 0) return ctl_strdup(f);
    return ctl_strndup(s, n);
}

/* The first table of the list: its header row is the list's. */
static ctl_status take_header(md_reader *r, long no)
{
    if (!(r->header = ctl_malloc(r->n_cells * sizeof *r->header))) return ctl_nomem(r->ctx);
    r->id_col = r->title_col = NONE;
    for (size_t i = 0; i < r->n_cells; i++) {
        if (!(r->header[i] = fold_cell(&r->cells[i]))) return ctl_nomem(r->ctx);
        r->n_header = i + 1;
        ctl_role role = ctl_header_role_opts(r->cells[i].s, r->cells[i].len, r->opts);
        if (role == CTL_ROLE_ID && r->id_col == NONE) r->id_col = i;
        if (role == CTL_ROLE_TITLE && r->title_col == NONE) r->title_col = i;
        if (role == CTL_ROLE_LEVEL || role == CTL_ROLE_PARENT) r->header_tree = 1;
    }
    /* a header naming no field: the ids in its column of codes, the titles
     * in a "Control" column beside it, as the table reader takes them */
    if (r->id_col == NONE && r->codes_at && r->codes_at <= r->n_header) {
        r->id_col = r->codes_at - 1;
        for (size_t i = r->id_col + 1, k = 0; k < 2 && r->title_col == NONE; k++, i = r->id_col - 1)
            if (i < r->n_header && (!strcmp(r->header[i], "control") || !strcmp(r->header[i], "controls")))
                r->title_col = i;
    }
    r->header_line = no;
    return CTL_OK;
}

/* A later table must have the list's header row (the first pass only
 * says whether it has: *same). */
static ctl_status same_header(md_reader *r, long no, int *same)
{
    *same = r->n_cells == r->n_header;
    for (size_t i = 0; i < r->n_cells && *same; i++) {
        char *f = fold_cell(&r->cells[i]);
        if (!f) return ctl_nomem(r->ctx);
        *same = !strcmp(f, r->header[i]);
        ctl_free(f);
    }
    if (*same || r->scan) return CTL_OK;
    return ctl_fail(r->ctx, CTL_D_RAGGED_ROW, r->file, no, "this table's header row is not the one of the "
                    "table on line %ld: the tables of a document are read as one list, with one header "
                    "(make their header rows the same, or split the document)", r->header_line);
}

/* The identifier heading h begins with (id) when it stays one once the
 * markup is read (*ok). */
static ctl_status heading_item_id(md_reader *r, const heading *h, char id[CTL_ID_MAX], int *ok)
{
    size_t at, len, at2, len2;
    char id2[CTL_ID_MAX], *text = NULL;
    *ok = 0;
    if (!heading_id(h->raw, h->len, id, &at, &len)) return CTL_OK;
    ctl_status st = text_of(r, h->raw, h->len, h->line, &text);
    if (st != CTL_OK) return st;
    *ok = heading_id(text, strlen(text), id2, &at2, &len2) && !strcmp(id, id2);
    ctl_free(text);
    return CTL_OK;
}

/* Which headings above the table become items (tables with a title
 * column only): those whose identifier contains the id of the first row
 * (first_id); and the last heading, with those that contain its
 * identifier, when the first row has no id (first_blank) or by position
 * (r->outline).  *last_item: the last heading is one. */
static ctl_status mark_heading_items(md_reader *r, const char *first_id, int first_blank, unsigned char *item,
                                     char last_id[CTL_ID_MAX], int *last_item)
{
    char id[CTL_ID_MAX];
    int ok;
    memset(item, 0, r->n_heads);
    *last_item = 0;
    /* a heading item needs the id and title columns named by the header
     * (the table reader may find ids by shape alone: then none is made) */
    if (r->title_col == NONE || r->id_col == NONE || !r->n_heads) return CTL_OK;
    size_t last = r->n_heads - 1;
    ctl_status st = heading_item_id(r, &r->heads[last], last_id, &ok);
    int by_last = ok && (first_blank || r->outline);
    for (size_t i = 0; i < r->n_heads && st == CTL_OK; i++) {
        if ((st = heading_item_id(r, &r->heads[i], id, &ok)) != CTL_OK || !ok) continue;
        item[i] = (unsigned char)((first_id && ctl_id_contains(id, first_id)) ||
                                  (by_last && (i == last || ctl_id_contains(id, last_id))));
    }
    *last_item = item[last];
    return st;
}

/* A heading item: a row with the identifier in the id column and the
 * rest of the heading in the title column. */
static ctl_status heading_row(md_reader *r, const heading *h)
{
    char *text = NULL, id[CTL_ID_MAX];
    size_t at, len;
    ctl_status st = text_of(r, h->raw, h->len, h->line, &text);
    if (st != CTL_OK) return st;
    heading_id(text, strlen(text), id, &at, &len);
    const char *rest = text + at + len;
    size_t rn = strlen(rest);
    while (rn && (*rest == '*' || *rest == '_' || *rest == ':' || is_blank_char(*rest))) rest++, rn--;
    ctl_cell *cells = ctl_malloc(r->n_header * sizeof *cells);
    if (!cells) {
        ctl_free(text);
        return ctl_nomem(r->ctx);
    }
    for (size_t i = 0; i < r->n_header; i++) cells[i] = (ctl_cell){"", 0};
    if (r->id_col < r->n_header) cells[r->id_col] = (ctl_cell){text + at, len};
    if (r->title_col < r->n_header) cells[r->title_col] = (ctl_cell){rest, rn};
    st = ctl_table_row(r->table, cells, r->n_header, h->line);
    ctl_free(cells);
    ctl_free(text);
    return st;
}

/* The id of the table's first row (rows from c on): *blank when its id
 * cell is empty; NULL id when it is empty or no identifier. */
static ctl_status first_row_id(md_reader *r, cursor c, char id[CTL_ID_MAX], int *have, int *blank_id)
{
    line l;
    *have = *blank_id = 0;
    if (!get_line(r->text, r->len, &c, &l) || ends_table(&l)) return CTL_OK;
    ctl_status st = row_cells(r, &l);
    if (st != CTL_OK) return st;
    const char *s = r->id_col < r->n_cells ? r->cells[r->id_col].s : "";
    size_t n = r->id_col < r->n_cells ? r->cells[r->id_col].len : 0;
    ctl_trim(&s, &n);
    if (!n) *blank_id = 1;
    else *have = ctl_parse_id(s, n, id);
    return CTL_OK;
}

static void clear_heads(md_reader *r)
{
    for (size_t i = 0; i < r->n_heads; i++) ctl_free(r->heads[i].raw);
    r->n_heads = 0;
}

/* The list's first table: the annex heading (the last heading above it,
 * unless an item), the note with the headings the first pass kept, then
 * the table reader, handed the header row. */
static ctl_status begin_list(md_reader *r, const line *head, const unsigned char *item)
{
    ctl_status st = CTL_OK;
    const heading *last = r->n_heads ? &r->heads[r->n_heads - 1] : NULL;
    if (last && !item[r->n_heads - 1]) st = text_of(r, last->raw, last->len, last->line, &r->annex);
    if (st == CTL_OK && r->head_note.len &&
        ((r->note.len && !ctl_buf_addc(&r->note, '\n')) || !ctl_buf_add(&r->note, r->head_note.data, r->head_note.len)))
        st = ctl_nomem(r->ctx);
    r->proxy.title = r->title ? r->title : "";
    r->proxy.note = r->note.len ? r->note.data : "";
    r->proxy.annex = r->annex ? r->annex : "";
    if (st == CTL_OK && !(r->table = ctl_table_new(r->ctx, r->opts, &r->proxy.sink, r->file, 0)))
        st = ctl_nomem(r->ctx);
    if (st == CTL_OK) st = row_cells(r, head);
    return st == CTL_OK ? ctl_table_row(r->table, r->cells, r->n_cells, head->no) : st;
}

/* The rows of a table of the list, from *c on. */
static ctl_status table_rows(md_reader *r, cursor *c)
{
    line l;
    cursor at = *c;
    ctl_status st = CTL_OK;
    int more = 0;
    while (st == CTL_OK && (more = get_line(r->text, r->len, &at, &l)) && !ends_table(&l)) {
        *c = at;
        r->row_line = l.no;
        st = row_cells(r, &l);
        if (st == CTL_OK) st = ctl_table_row(r->table, r->cells, r->n_cells, l.no);
    }
    if (st == CTL_OK && more && lazy_line(&l))
        st = ctl_warn(r->ctx, CTL_D_LINE_SKIPPED, r->file, l.no, "a line without a pipe right under a "
                      "table: not read as a row (GitHub shows it as one; a blank line above it says it is "
                      "prose)");
    return st;
}

/* Skips the rows of a table from *c on. */
static void skip_rows(md_reader *r, cursor *c)
{
    line l;
    cursor at = *c;
    while (get_line(r->text, r->len, &at, &l) && !ends_table(&l)) *c = at;
}

/* The first pass: the last heading above a later table of the list that
 * is no item becomes a line of the note. */
static ctl_status keep_heading(md_reader *r, const unsigned char *item)
{
    if (!r->n_lists || !r->n_heads || item[r->n_heads - 1]) return CTL_OK;
    const heading *h = &r->heads[r->n_heads - 1];
    if (r->head_note.len && !ctl_buf_addc(&r->head_note, '\n')) return ctl_nomem(r->ctx);
    return inline_into(r, h->raw, h->len, &r->head_note, h->line);
}

/* A heading item by position: the table's rows that no item above them
 * contains go under it (meta_proxy). */
static ctl_status open_group(md_reader *r, const char *id)
{
    meta_proxy *p = &r->proxy;
    if (!grow((void **)&p->groups, &p->cap_groups, p->n_groups + 1, sizeof *p->groups)) return ctl_nomem(r->ctx);
    group *g = &p->groups[p->n_groups++];
    snprintf(g->id, sizeof g->id, "%s", id);
    g->from = r->heads[r->n_heads - 1].line;
    g->to = LONG_MAX;
    return CTL_OK;
}

/* A table of the list: the heading items above it, then its rows (the
 * first pass: the headings the note keeps, the rows skipped). */
static ctl_status list_table(md_reader *r, const line *head, cursor *c)
{
    int same = 1;
    ctl_status st = r->n_lists ? same_header(r, head->no, &same) : take_header(r, head->no);
    if (st != CTL_OK) return st;
    if (!same) {   /* the first pass: the second says it */
        skip_rows(r, c);
        return CTL_OK;
    }
    r->outline = r->title_col != NONE && !r->header_tree && (r->several || (r->scan && r->n_lists));
    char first[CTL_ID_MAX], last_id[CTL_ID_MAX];
    int have, blank_first, last_item, grouped = 0;
    if ((st = first_row_id(r, *c, first, &have, &blank_first)) != CTL_OK) return st;
    unsigned char *item = ctl_malloc(r->n_heads + 1);
    if (!item) return ctl_nomem(r->ctx);
    st = mark_heading_items(r, have ? first : NULL, blank_first, item, last_id, &last_item);
    if (r->scan) {
        if (st == CTL_OK) st = keep_heading(r, item);
        skip_rows(r, c);
    } else {
        if (st == CTL_OK && !r->n_lists) st = begin_list(r, head, item);
        for (size_t i = 0; i < r->n_heads && st == CTL_OK; i++)
            if (item[i]) st = heading_row(r, &r->heads[i]);
        if (st == CTL_OK && r->outline && last_item && (st = open_group(r, last_id)) == CTL_OK) grouped = 1;
    }
    ctl_free(item);
    clear_heads(r);
    r->n_lists++;
    if (r->scan || st != CTL_OK) return st;
    r->row_line = head->no + 1;
    st = table_rows(r, c);
    if (grouped) r->proxy.groups[r->proxy.n_groups - 1].to = r->row_line;
    return st;
}

/* Is a table whose header row names no field a list all the same, by the
 * table reader's rule (ctl_table_weak_header): a column mostly of codes on
 * its first rows (from c on) beside a column named "Control"?  *at: that
 * column + 1, else 0; the header cells are read again into r->cells. */
static ctl_status codes_below(md_reader *r, const line *head, cursor c, size_t *at)
{
    enum { COLS = 64 };
    size_t codes[COLS] = {0}, filled[COLS] = {0}, rows = 0;
    unsigned char control[COLS + 1] = {0};
    line l;
    *at = 0;
    /* the header's columns only: cells past them are no column */
    size_t width = r->n_cells < COLS ? r->n_cells : COLS;
    for (size_t i = 0; i < width; i++)
        control[i] = (unsigned char)ctl_table_control_word(r->cells[i].s, r->cells[i].len);
    while (rows++ < CTL_TABLE_DECIDE_ROWS && get_line(r->text, r->len, &c, &l) && !ends_table(&l)) {
        ctl_status st = row_cells(r, &l);
        if (st != CTL_OK) return st;
        for (size_t i = 0; i < r->n_cells && i < width; i++) {
            const char *s = r->cells[i].s;
            size_t n = r->cells[i].len;
            ctl_trim(&s, &n);
            if (!n) continue;
            filled[i]++;
            codes[i] += ctl_table_code_cell(s, n);
        }
    }
    for (size_t i = width; i-- > 0;)
        if (codes[i] >= 2 && codes[i] * 5 >= filled[i] * 4 && (control[i + 1] || (i && control[i - 1]))) *at = i + 1;
    return row_cells(r, head);
}

/* A table at head (its delimiter row read, rows from *c on). */
static ctl_status take_table(md_reader *r, const line *head, cursor *c)
{
    if (!r->n_lists) r->in_lead = 0;
    ctl_status st = row_cells(r, head);
    if (st != CTL_OK) return st;
    if (ctl_table_is_header(r->opts, r->cells, r->n_cells)) return list_table(r, head, c);
    size_t codes = 0;
    if (ctl_table_weak_header(r->cells, r->n_cells) && (st = codes_below(r, head, *c, &codes)) != CTL_OK) return st;
    if (codes) {
        if (!r->table) r->codes_at = codes;
        return list_table(r, head, c);
    }
    skip_rows(r, c);
    if (r->scan) return CTL_OK;
    return ctl_warn(r->ctx, CTL_D_LINE_SKIPPED, r->file, head->no, "a table whose header row names no id "
                    "column and two other known columns (such as id, title, description): not read");
}

/* A line that starts with '|' outside any table. */
static ctl_status stray_row(md_reader *r, const line *l)
{
    if (r->scan) return CTL_OK;
    return ctl_warn(r->ctx, CTL_D_LINE_SKIPPED, r->file, l->no, "a line that looks like a table row "
                    "outside any table (no delimiter row such as |---|---| under a header row above "
                    "it): not read");
}

/* One line the hiding blocks leave to the reader. */
static ctl_status block_line(md_reader *r, const line *l, cursor *c)
{
    const char *p, *t;
    size_t n, tn, cols;
    int level;
    if (blank(l->s, l->len)) return end_para(r);
    if (!unindented(l, &p, &n)) return r->n_para ? add_para(r, l) : CTL_OK;   /* indented code */
    ctl_status st = CTL_OK;
    if (atx_heading(p, n, &level, &t, &tn)) {
        if ((st = end_para(r)) != CTL_OK) return st;
        return on_heading(r, t, tn, level, l->no);
    }
    if (r->n_para && (level = setext_underline(p, n)) != 0) return setext_heading(r, level);
    cursor c2 = *c;
    line d;
    if (get_line(r->text, r->len, &c2, &d) && table_start(l, &d, &cols)) {
        if ((st = end_para(r)) != CTL_OK) return st;
        *c = c2;
        return take_table(r, l, c);
    }
    if (thematic_break(p, n)) return end_para(r);
    if (p[0] == '|' && count_cells(l) >= 2) {
        if ((st = end_para(r)) != CTL_OK) return st;
        return stray_row(r, l);
    }
    return add_para(r, l);
}

static ctl_status read_blocks(md_reader *r)
{
    cursor c = {0, 0};
    line l;
    hiding h = {0};
    ctl_status st = CTL_OK;
    while (st == CTL_OK && get_line(r->text, r->len, &c, &l)) {
        int hide = hidden(&h, &l, r->n_para > 0);
        if (hide == 2) st = end_para(r);
        else if (!hide) st = block_line(r, &l, &c);
    }
    return st == CTL_OK ? end_para(r) : st;
}

/* Link reference definitions, outside fenced code and HTML. */
static ctl_status gather_defs(md_reader *r)
{
    cursor c = {0, 0};
    line l;
    hiding h = {0};
    char f[256];
    while (get_line(r->text, r->len, &c, &l)) {
        const char *p;
        size_t n;
        if (hidden(&h, &l, 0) || !unindented(&l, &p, &n) || !link_definition(p, n, f)) continue;
        if (!grow((void **)&r->defs.v, &r->defs.cap, r->defs.n + 1, sizeof *r->defs.v) ||
            !(r->defs.v[r->defs.n] = ctl_strdup(f)))
            return ctl_nomem(r->ctx);
        r->defs.n++;
    }
    if (r->defs.n) qsort(r->defs.v, r->defs.n, sizeof *r->defs.v, cmp_str);
    return CTL_OK;
}

static void reader_free(md_reader *r)
{
    ctl_table_free(r->table);
    ctl_free(r->title);
    ctl_free(r->annex);
    ctl_buf_free(&r->note);
    ctl_free(r->para);
    clear_heads(r);
    ctl_free(r->heads);
    for (size_t i = 0; i < r->n_header; i++) ctl_free(r->header[i]);
    ctl_free(r->header);
    ctl_buf_free(&r->buf);
    ctl_free(r->spans);
    ctl_free(r->ends);
    ctl_free(r->cells);
    inl_free(&r->in);
    for (size_t i = 0; i < r->defs.n; i++) ctl_free(r->defs.v[i]);
    ctl_free(r->defs.v);
    ctl_buf_free(&r->tmp);
    ctl_buf_free(&r->head_note);
    ctl_free(r->proxy.groups);
    ctl_free(r->proxy.chain);
}

static void reader_init(md_reader *r, ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->opts = opts;
    r->file = in->name;
    r->text = in->text ? in->text : "";
    r->len = in->text ? in->text_len : 0;
    if (r->len >= 3 && !memcmp(r->text, "\xEF\xBB\xBF", 3)) r->text += 3, r->len -= 3;
    r->in_lead = 1;
    r->in.defs = &r->defs;
    r->proxy.sink = (ctl_sink){mp_begin, mp_item, mp_end, NULL};
    r->proxy.next = sink;
}

/* The first pass: how many tables the list has, and the headings over
 * later ones that are no items, as lines of the note (into *note). */
static ctl_status first_pass(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, int *several, ctl_buf *note)
{
    md_reader r;
    reader_init(&r, ctx, in, opts, NULL);
    r.scan = 1;
    ctl_status st = gather_defs(&r);
    if (st == CTL_OK) st = read_blocks(&r);
    *several = r.n_lists >= 2;
    *note = r.head_note;
    memset(&r.head_note, 0, sizeof r.head_note);
    reader_free(&r);
    return st;
}

static ctl_status md_read(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_sink *sink)
{
    md_reader r;
    int several;
    ctl_buf note = {0};
    ctl_status st = first_pass(ctx, in, opts, &several, &note);
    reader_init(&r, ctx, in, opts, sink);
    r.several = several;
    r.head_note = note;
    if (st == CTL_OK) st = gather_defs(&r);
    if (st == CTL_OK) st = read_blocks(&r);
    if (st == CTL_OK && !r.table)
        st = ctl_fail(ctx, CTL_D_NO_HEADER, in->name, 0, "no pipe table with a header row of a control "
                      "list: expected a table such as | id | title | description | over a delimiter "
                      "row |---|---|---| (column names such as 項番, 対策項目, 対策内容, or id, title, "
                      "description)");
    if (st == CTL_OK) st = ctl_table_finish(r.table);
    reader_free(&r);
    return st;
}

/* Probe: a header row over a delimiter row (outside fenced code and HTML)
 * in the first megabyte is what only Markdown has: 60.  Lines that start
 * with '|' without one, or headings in a first megabyte that does not end
 * the input: 10 (it fits if nothing else does, for its reader to say what
 * is missing, or to find the table further on).  Else 0. */
static int md_probe(const char *data, size_t len)
{
    int cut = len > PROBE_BYTES;
    if (cut) len = PROBE_BYTES;
    cursor c = {0, 0};
    line l, d;
    hiding h = {0};
    size_t cols;
    int fits = 0, level;
    while (get_line(data, len, &c, &l)) {
        const char *p, *t;
        size_t n, tn;
        if (hidden(&h, &l, 0) || !unindented(&l, &p, &n)) continue;
        cursor c2 = c;
        if (get_line(data, len, &c2, &d) && table_start(&l, &d, &cols)) return 60;
        if (n && p[0] == '|' && count_cells(&l) >= 2) fits = 1;
        if (cut && atx_heading(p, n, &level, &t, &tn)) fits = 1;
    }
    return fits ? 10 : 0;
}

/* ================================================================ writer */

enum { IN_CELL, IN_HEADING, IN_PARA };

/* Does s begin what an entity or character reference continues ("amp;",
 * "#32;")? */
static int entity_like(const char *s)
{
    size_t k = 0, a;
    if (s[0] == '#') k = (s[1] == 'x' || s[1] == 'X') ? 2 : 1;
    a = k;
    while (is_alnum((unsigned char)s[k])) k++;
    return k > a && s[k] == ';';
}

/* Appends s escaped to read back exactly where it goes; 0: no memory. */
static int escape(ctl_buf *b, const char *s, int where)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int ok;
        size_t d = 0;
        if (where == IN_PARA && (c == '.' || c == ')'))
            while (d < i && s[d] >= '0' && s[d] <= '9') d++;
        if ((c == ' ' || c == '\t') && (i == 0 || i == n - 1)) ok = ctl_buf_printf(b, "&#%d;", c);
        else if (c == '\n') ok = ctl_buf_adds(b, "<br>");
        else if ((c < 0x20 && c != '\t') || c == 0x7F) ok = ctl_buf_printf(b, "&#%d;", c);
        else if (strchr("\\`*_~[]<|", c) || (c == '#' && where == IN_HEADING) ||
                 (c == '&' && entity_like(s + i + 1)) || (where == IN_PARA && i == 0 && is_punct(c)) ||
                 (d && d == i && i <= 9))
            ok = ctl_buf_addc(b, '\\') && ctl_buf_addc(b, (char)c);
        else
            ok = ctl_buf_addc(b, (char)c);
        if (!ok) return 0;
    }
    return 1;
}

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    const ctl_options *opts;
    const char **extras;
    size_t n_extras;
    const char **values;
    size_t n_dropped;
    char *ref_scheme;
    char *annex;
    int started;       /* the annex heading and the header row are written */
    ctl_buf line, refs;
    ctl_id_cells *ids; /* what goes in the id column */
    ctl_refs_watched refs_changed;
    int failed; /* the errno of the first failed write, 0 while none */
} md_writer;

static void put(md_writer *w, const char *s, size_t n)
{
    if (!w->failed) w->failed = ctl_write_err(w->out, s, n);
}

static ctl_status flush_line(md_writer *w, ctl_ctx *ctx)
{
    put(w, w->line.data ? w->line.data : "", w->line.len);
    w->line.len = 0;
    return w->failed ? ctl_write_failed(ctx, w->name, w->failed) : CTL_OK;
}

static const ctl_role columns[] = {CTL_ROLE_ID, CTL_ROLE_LEVEL, CTL_ROLE_PARENT, CTL_ROLE_ISMS,
                                   CTL_ROLE_TITLE, CTL_ROLE_DESCRIPTION, CTL_ROLE_CATEGORY,
                                   CTL_ROLE_ANSWER};
enum { N_COLUMNS = sizeof columns / sizeof *columns };

static const char *column_name(const md_writer *w, ctl_role r)
{
    if (r == CTL_ROLE_ISMS) return ctl_refs_header(w->ref_scheme, w->opts->header);
    return w->opts->header == CTL_HEADER_JA ? ctl_role_name_ja(r) : ctl_role_name_en(r);
}

/* One table row of n cells into w->line. */
static int row_line(md_writer *w, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ctl_buf_adds(&w->line, i ? " | " : "| ") || !escape(&w->line, cells[i], IN_CELL)) return 0;
    return ctl_buf_adds(&w->line, " |\n");
}

/* Would the reader take the annex heading for a heading item over a
 * table whose first id is first_id? */
static int annex_is_item(const char *annex, const char *written, const char *first_id)
{
    char a[CTL_ID_MAX], b[CTL_ID_MAX];
    size_t at, len;
    return first_id && heading_id(written, strlen(written), a, &at, &len) &&
           heading_id(annex, strlen(annex), b, &at, &len) && !strcmp(a, b) && ctl_id_contains(a, first_id);
}

/* The annex heading and the table's header and delimiter rows, before
 * the first item (first_id) or at the end (NULL). */
static ctl_status start_table(md_writer *w, ctl_ctx *ctx, const char *first_id)
{
    w->started = 1;
    if (*w->annex) {
        ctl_buf esc = {0};
        int ok = escape(&esc, w->annex, IN_HEADING) && ctl_buf_add(&esc, "", 0);
        if (ok && annex_is_item(w->annex, esc.data, first_id)) {
            /* its first character as a reference: no identifier as written */
            uint32_t cp;
            size_t k = ctl_utf8_decode(w->annex, strlen(w->annex), &cp);
            esc.len = 0;
            ok = ctl_buf_printf(&esc, "&#%u;", (unsigned)cp) && escape(&esc, w->annex + k, IN_HEADING);
        }
        ok = ok && ctl_buf_adds(&w->line, "## ") && ctl_buf_add(&w->line, esc.data, esc.len) &&
             ctl_buf_adds(&w->line, "\n\n");
        ctl_buf_free(&esc);
        if (!ok) return ctl_nomem(ctx);
    }
    size_t n = N_COLUMNS + w->n_extras;
    const char **names = ctl_malloc(n * sizeof *names);
    if (!names) return ctl_nomem(ctx);
    for (size_t i = 0; i < N_COLUMNS; i++) names[i] = column_name(w, columns[i]);
    for (size_t i = 0; i < w->n_extras; i++) names[N_COLUMNS + i] = w->extras[i];
    int ok = row_line(w, names, n) && ctl_buf_adds(&w->line, "|");
    for (size_t i = 0; i < n && ok; i++) ok = ctl_buf_adds(&w->line, "---|");
    ctl_free(names);
    if (!ok || !ctl_buf_adds(&w->line, "\n")) return ctl_nomem(ctx);
    return flush_line(w, ctx);
}

static ctl_status mw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    md_writer *w = (md_writer *)self;
    w->ref_scheme = ctl_strdup(ctl_str(meta->ref_scheme));
    w->annex = ctl_strdup(ctl_str(meta->annex));
    if (!w->ref_scheme || !w->annex) return ctl_nomem(ctx);
    ctl_status st = ctl_extra_columns(ctx, meta, w->opts, &w->extras, &w->n_extras);
    if (st != CTL_OK) return st;
    if (w->n_extras && !(w->values = ctl_malloc(w->n_extras * sizeof *w->values))) return ctl_nomem(ctx);
    const char *title = ctl_str(meta->title), *note = ctl_str(meta->note);
    if (*title && (!ctl_buf_adds(&w->line, "# ") || !escape(&w->line, title, IN_HEADING) ||
                   !ctl_buf_adds(&w->line, "\n\n")))
        return ctl_nomem(ctx);
    if (*note && (!escape(&w->line, note, IN_PARA) || !ctl_buf_adds(&w->line, "\n\n"))) return ctl_nomem(ctx);
    return flush_line(w, ctx);
}

static ctl_status mw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    md_writer *w = (md_writer *)self;
    ctl_status st = w->started ? CTL_OK : start_table(w, ctx, ctl_str(it->id));
    if (st != CTL_OK) return st;
    char level[16], idbuf[CTL_ID_MAX + 96];
    snprintf(level, sizeof level, "%d", it->level);
    const char *id = ctl_id_cell(w->ids, it, idbuf, sizeof idbuf);
    if (!id || !ctl_refs_join(&w->refs, it, ctl_refs_unprefixed(w->ref_scheme)) ||
        !ctl_refs_watch(&w->refs_changed, it, w->refs.data, ctl_refs_unprefixed(w->ref_scheme)))
        return ctl_nomem(ctx);
    const char *fixed[N_COLUMNS] = {id, level, ctl_str(it->parent), ctl_str(w->refs.data),
                                    ctl_str(it->title), ctl_str(it->description), ctl_category_word(it),
                                    ctl_str(it->answer)};
    w->n_dropped += ctl_extra_values(it, w->extras, w->n_extras, w->values);
    int ok = 1;
    for (size_t i = 0; i < N_COLUMNS && ok; i++)
        ok = ctl_buf_adds(&w->line, i ? " | " : "| ") && escape(&w->line, fixed[i], IN_CELL);
    for (size_t i = 0; i < w->n_extras && ok; i++)
        ok = ctl_buf_adds(&w->line, " | ") && escape(&w->line, w->values[i], IN_CELL);
    if (!ok || !ctl_buf_adds(&w->line, " |\n")) return ctl_nomem(ctx);
    return flush_line(w, ctx);
}

static ctl_status mw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    md_writer *w = (md_writer *)self;
    ctl_status st = w->started ? CTL_OK : start_table(w, ctx, NULL);
    if (st == CTL_OK && meta->n_unplaced)
        st = ctl_warn(ctx, CTL_D_UNPLACED_DROPPED, w->name, 0, "%zu unplaced ISMS reference(s) not written "
                      "(Markdown output has no place for them)", meta->n_unplaced);
    if (st == CTL_OK && w->n_dropped)
        st = ctl_warn(ctx, CTL_D_EXTRA_DROPPED, w->name, 0, "%zu extra cell(s) without a column in the "
                      "document's header not written", w->n_dropped);
    if (st == CTL_OK) st = ctl_id_cells_warn(w->ids, ctx, w->name);
    if (st == CTL_OK) st = ctl_refs_watched_say(&w->refs_changed, ctx, w->name, "Markdown");
    return st;
}

static void mw_destroy(ctl_sink *self)
{
    md_writer *w = (md_writer *)self;
    ctl_free(w->extras);
    ctl_free(w->values);
    ctl_free(w->ref_scheme);
    ctl_free(w->annex);
    ctl_buf_free(&w->line);
    ctl_buf_free(&w->refs);
    ctl_id_cells_free(w->ids);
    ctl_free(w);
}

static ctl_status md_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                                ctl_sink **sink)
{
    md_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    /* the format loses printed labels (CTL_LOSES_LABELS), not codes */
    if (!(w->ids = ctl_id_cells_new(0))) {
        ctl_free(w);
        return ctl_nomem(ctx);
    }
    w->sink = (ctl_sink){mw_begin, mw_item, mw_end, mw_destroy};
    w->out = out;
    w->name = out_name;
    w->opts = opts;
    *sink = &w->sink;
    return CTL_OK;
}

static const char *const md_ext[] = {"md", "markdown", NULL};

const ctl_format ctl_format_markdown = {
    .name = "markdown",
    .loses = CTL_LOSES_UNPLACED | CTL_LOSES_LABELS,
    .description = "Markdown pipe tables (GitHub Flavored Markdown), under the document's headings",
    .extensions = md_ext,
    .decode = 1,
    .options = CTL_READS_ENCODING | CTL_READS_COLUMNS | CTL_WRITES_HEADER_LANG,
    .probe = md_probe,
    .read = md_read,
    .writer = md_writer_new,
};
