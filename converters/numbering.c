/* SPDX-License-Identifier: BSD-2-Clause */
/* Normalisation of identifiers: item numbers, ISMS references, category
 * words, header words.  Identifiers are matched after Unicode compatibility
 * decomposition (full-width digits, U+2162 ROMAN NUMERAL THREE, U+FF0E
 * FULLWIDTH FULL STOP and the ideographic space all become ASCII), prose is
 * never touched. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <utf8proc.h>

/* One character of the compatibility-decomposed view of a string, with the
 * byte offset in the original just after the code point it came from. */
typedef struct {
    int32_t c;
    size_t end;
} nchar;

#define NMAX 256

/* U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN, U+2212 MINUS SIGN, U+FE63
 * SMALL HYPHEN-MINUS */
static int is_hyphen(int32_t c) { return c == 0x2010 || c == 0x2011 || c == 0x2212 || c == 0xFE63; }

/* Decomposes up to max characters of s.  Stops at invalid UTF-8. */
static size_t decompose_prefix(const char *s, size_t len, nchar *out, size_t max)
{
    size_t pos = 0, n = 0;
    while (pos < len && n < max) {
        if ((unsigned char)s[pos] < 0x80) {   /* ASCII: itself */
            out[n].c = (unsigned char)s[pos++];
            out[n++].end = pos;
            continue;
        }
        int32_t cp;
        const unsigned char *u = (const unsigned char *)s + pos;
        if (u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED && len - pos >= 3 && (u[1] & 0xC0) == 0x80 &&
            (u[2] & 0xC0) == 0x80) {
            /* three bytes whose every continuation is valid (kana, kanji) */
            cp = (int32_t)((u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F));
            pos += 3;
        } else {
            utf8proc_ssize_t k = utf8proc_iterate(u, (utf8proc_ssize_t)(len - pos), &cp);
            if (k <= 0) break;
            pos += (size_t)k;
        }
        int32_t buf[18];
        int bound = 0;
        /* Only the compatibility forms that spell numbers and references
         * are decomposed: full-width ASCII, Roman numerals, white space.
         * Superscripts, circled digits and the like stay what they are
         * ("1²" is not "12"). */
        int compat = (cp >= 0xFF01 && cp <= 0xFF5E) || (cp >= 0x2160 && cp <= 0x217F) ||
                     cp == 0x3000 || cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A);
        utf8proc_ssize_t m = !compat ? (buf[0] = cp, 1)
                                     : utf8proc_decompose_char(cp, buf, 18, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &bound);
        /* the hyphens word processors and IMEs put in codes ("AC‐2", "1‐1")
         * are '-'; dashes (U+2013, U+2014) are not: they mark ranges */
        if (is_hyphen(cp)) { buf[0] = '-'; m = 1; }
        if (m <= 0 || m > 18) { buf[0] = cp; m = 1; }
        for (utf8proc_ssize_t i = 0; i < m && n < max; i++) {
            out[n].c = buf[i];
            out[n].end = pos;
            n++;
        }
    }
    return n;
}

static int is_ws(int32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static size_t skip_ws(const nchar *v, size_t n, size_t i)
{
    while (i < n && is_ws(v[i].c)) i++;
    return i;
}

static int roman_value(int32_t c)
{
    switch (c) {
    case 'I': case 'i': return 1;
    case 'V': case 'v': return 5;
    case 'X': case 'x': return 10;
    case 'L': case 'l': return 50;
    default: return 0;
    }
}

/* Writes the canonical Roman numeral of v (1..89) into buf (16 bytes);
 * returns its length. */
static size_t roman_format(int v, char *buf)
{
    static const struct { int v; const char *s; } t[] = {
        {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}};
    size_t o = 0;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        for (; v >= t[i].v; v -= t[i].v)
            for (const char *p = t[i].s; *p; p++) buf[o++] = *p;
    buf[o] = '\0';
    return o;
}

/* Appends '.' and the digits of x (>= 0) to id[0..*used) of size bytes;
 * 0 (id unchanged) when they do not fit with the NUL. */
static int append_part(char *id, size_t size, size_t *used, long x)
{
    char d[24], *p = d + sizeof d;
    do *--p = (char)('0' + x % 10); while (x /= 10);
    size_t k = (size_t)(d + sizeof d - p);
    if (*used + 1 + k >= size) return 0;
    id[(*used)++] = '.';
    memcpy(id + *used, p, k);
    *used += k;
    id[*used] = '\0';
    return 1;
}

/* Parses a Roman numeral at v[*i]; returns its value (0: none). */
static int parse_roman(const nchar *v, size_t n, size_t *i)
{
    char raw[16];
    size_t k = 0, j = *i;
    int total = 0;
    while (j < n && roman_value(v[j].c) && k < sizeof raw - 1) {
        raw[k++] = (char)toupper((unsigned char)v[j].c);
        j++;
    }
    raw[k] = '\0';
    if (!k) return 0;
    for (size_t a = 0; a < k; a++) {
        int x = roman_value(raw[a]), y = a + 1 < k ? roman_value(raw[a + 1]) : 0;
        total += x < y ? -x : x;
    }
    if (total <= 0 || total > 89) return 0;
    char canon[16];
    if (roman_format(total, canon) != k || memcmp(canon, raw, k) != 0) return 0;   /* "IIII", "VX"... are not numerals */
    *i = j;
    return total;
}

static int is_digit(int32_t c) { return c >= '0' && c <= '9'; }

/* Parses digits at v[*i] (at most 6); returns -1 if none, -2 if more. */
static long parse_digits(const nchar *v, size_t n, size_t *i)
{
    size_t j = *i;
    long x = 0;
    while (j < n && is_digit(v[j].c)) {
        if (j - *i >= 6) return -2;
        x = x * 10 + (v[j].c - '0');
        j++;
    }
    if (j == *i) return -1;
    *i = j;
    return x;
}

/* Does v[0..n) hold a character a number does not: other than white
 * space, a Roman letter, a digit or '.'? */
static int holds_other(const nchar *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws(v[i].c) && !roman_value(v[i].c) && !is_digit(v[i].c) && v[i].c != '.') return 1;
    return 0;
}

size_t ctl_parse_number(const char *s, size_t len, ctl_number *num)
{
    enum { FIRST = 32 };
    nchar v[NMAX];
    /* The parse below moves over white space, Roman letters, digits and
     * dots only, so it looks no further than the first other character:
     * when the first characters hold one, they are enough. */
    size_t n = decompose_prefix(s, len, v, FIRST);
    if (n == FIRST && !holds_other(v, n)) n = decompose_prefix(s, len, v, NMAX);
    size_t i = skip_ws(v, n, 0);
    int part = parse_roman(v, n, &i);
    if (!part) return 0;
    char id[64];
    size_t used = roman_format(part, id);
    size_t j = skip_ws(v, n, i);
    if (j >= n || v[j].c != '.') return 0;
    i = j + 1;
    int level = 0;
    int dotted = 1;               /* the last component was followed by '.' */
    for (;;) {
        size_t k = skip_ws(v, n, i);
        long x = parse_digits(v, n, &k);
        if (x == -2) return 0;     /* a 7-digit part: no item number at all */
        if (x < 0) break;
        if (level == 8) return 0;
        if (!append_part(id, sizeof id, &used, x)) return 0;   /* absurdly long */
        level++;
        i = k;
        dotted = 0;
        k = skip_ws(v, n, i);
        if (k < n && v[k].c == '.') {
            i = k + 1;
            dotted = 1;
        } else {
            break;
        }
    }
    if (!level) return 0;
    /* After an undotted last number only the end, white space or a
     * character that is not part of a number may follow ("1組織" is not
     * "1" followed by a title, but neither is it anything else). */
    if (!dotted && i < n && (is_digit(v[i].c) || v[i].c == '.')) return 0;
    i = skip_ws(v, n, i);
    size_t keep = used < sizeof num->id ? used : sizeof num->id - 1;
    memcpy(num->id, id, keep);
    num->id[keep] = '\0';
    num->level = level;
    return v[i - 1].end;
}

int ctl_parse_number_exact(const char *s, size_t len, ctl_number *num)
{
    return len && ctl_parse_number(s, len, num) == len;
}

char *ctl_number_label(const char *id, int level, char *buf, size_t size)
{
    size_t o = 0;
    if (!size) return buf;
    buf[0] = '\0';
    for (const char *p = id; *p && o + 4 < size; p++) {
        buf[o++] = *p;
        if (*p == '.') buf[o++] = ' ';
    }
    if (level < 3 && o + 1 < size) buf[o++] = '.';
    buf[o] = '\0';
    return buf;
}

/* One reference at v[*i]: A . digits (. digits)* [.] */
static int parse_ref(const nchar *v, size_t n, size_t *i, char *out, size_t outsz)
{
    size_t j = *i;
    if (j >= n || (v[j].c != 'A' && v[j].c != 'a')) return 0;
    j = skip_ws(v, n, j + 1);
    if (j >= n || v[j].c != '.') return 0;
    j = skip_ws(v, n, j + 1);
    snprintf(out, outsz, "A");
    size_t used = strlen(out);
    int parts = 0;
    for (;;) {
        long x = parse_digits(v, n, &j);
        if (x < 0) return 0;
        if (++parts > 6) return 0;
        append_part(out, outsz, &used, x);   /* 6 parts of 6 digits fit */
        if (j + 1 < n && v[j].c == '.' && is_digit(v[j + 1].c)) { j++; continue; }
        if (j < n && v[j].c == '.') j++;    /* trailing dot */
        break;
    }
    *i = j;
    return 1;
}

static int is_ref_sep(int32_t c)
{
    return is_ws(c) || c == ',' || c == ';' || c == '/' || c == 0x3001 /* 、 */ ||
           c == 0x30FB /* ・ */;
}

/* Room for the decomposed characters of a cell: on the stack for a short
 * one (a character of 2 bytes or more gives at most 4: "ⅷ" is "viii"). */
enum { MAXC = 1024, SHORT_CELL = NMAX / 2 };

static nchar *cell_room(size_t len, nchar *small)
{
    return len <= SHORT_CELL ? small : ctl_malloc(MAXC * sizeof(nchar));
}

static void cell_room_free(nchar *v, const nchar *small)
{
    if (v != small) ctl_free(v);
}

int ctl_parse_isms(const char *s, size_t len, char ***refs, size_t *count)
{
    *refs = NULL;
    *count = 0;
    nchar small[NMAX], *v = cell_room(len, small);
    if (!v) return -1;
    size_t n = decompose_prefix(s, len, v, v == small ? NMAX : MAXC);
    int result = 1;
    char **out = NULL;
    size_t nout = 0;
    /* the whole cell must decompose (valid UTF-8, not absurdly long) */
    if (len && (!n || v[n - 1].end != len)) { result = 0; goto done; }
    for (size_t i = 0;;) {
        while (i < n && is_ref_sep(v[i].c)) i++;
        if (i == n) break;
        char ref[64];
        if (!parse_ref(v, n, &i, ref, sizeof ref) || (i < n && !is_ref_sep(v[i].c))) {
            result = 0;
            goto done;
        }
        char **grown = ctl_realloc(out, (nout + 1) * sizeof *out);
        if (!grown) { result = -1; goto done; }
        out = grown;
        if (!(out[nout] = ctl_strdup(ref))) { result = -1; goto done; }
        nout++;
    }
done:
    cell_room_free(v, small);
    if (result != 1) {
        for (size_t k = 0; k < nout; k++) ctl_free(out[k]);
        ctl_free(out);
        return result;
    }
    *refs = out;
    *count = nout;
    return 1;
}

int ctl_parse_isms_one(const char *s, size_t len, char **ref)
{
    char **refs;
    size_t k;
    int ok = ctl_parse_isms(s, len, &refs, &k);
    if (ok <= 0) return ok;
    if (k == 1) *ref = refs[0];
    else
        for (size_t i = 0; i < k; i++) ctl_free(refs[i]);
    ctl_free(refs);
    return k == 1;
}

int ctl_isms_depth(const char *ref)
{
    int d = 0;
    for (const char *p = ref; *p; p++)
        if (*p == '.') d++;
    return d;
}

/* Is cp, a character of three UTF-8 bytes, left as it is by NFKC and
 * case folding, and composed with none of its neighbours?  So are the CJK
 * symbols and kana (U+3001..U+30FE but the combining marks U+302A..U+302F,
 * U+3099..U+309C, and U+3036, U+3038..U+303A, U+309F, which decompose)
 * and the unified ideographs (U+4E00..U+9FFF). */
static int plain_cp(uint32_t cp)
{
    if (cp >= 0x4E00 && cp <= 0x9FFF) return 1;
    if (cp < 0x3001 || cp > 0x30FE) return 0;
    return !((cp >= 0x302A && cp <= 0x302F) || cp == 0x3036 || (cp >= 0x3038 && cp <= 0x303A) ||
             (cp >= 0x3099 && cp <= 0x309C) || cp == 0x309F);
}

/* Does NFKC with case folding leave s[0..len) as it is, but for ASCII
 * capitals?  It does when every character is ASCII or plain_cp(). */
static int folds_plainly(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) { i++; continue; }
        if (len - i < 3 || s[i] < 0xE3 || s[i] > 0xE9 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
            return 0;
        uint32_t cp = (uint32_t)(s[i] & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
        if (!plain_cp(cp)) return 0;
        i += 3;
    }
    return 1;
}

int ctl_fold_into(const char *s, size_t len, char *out, size_t size)
{
    enum { CAP = 1024 };
    int32_t buf[CAP];
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
    if (!size || len > 256) return -1;
    if (folds_plainly((const unsigned char *)s, len)) {
        size_t o = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (isspace(c)) continue;
            if (o + 1 >= size) return -1;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        out[o] = '\0';
        return (int)o;
    }
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf, CAP, opt);
    if (n < 0 || n > CAP) return -1;
    n = utf8proc_reencode(buf, n, opt);     /* UTF-8 bytes, in place */
    if (n < 0) return -1;
    const unsigned char *u = (const unsigned char *)buf;
    size_t o = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (isspace(u[i])) continue;
        if (o + 1 >= size) return -1;
        out[o++] = (char)u[i];
    }
    out[o] = '\0';
    return (int)o;
}

int ctl_parse_category(const char *s, size_t len, ctl_category *cat)
{
    ctl_trim(&s, &len);
    char f[256];
    if (!len || len > 64 || ctl_fold_into(s, len, f, sizeof f) < 0) return 0;
    if (!strcmp(f, "基本") || !strcmp(f, "basic")) *cat = CTL_CATEGORY_BASIC;
    else if (!strcmp(f, "推奨") || !strcmp(f, "recommended")) *cat = CTL_CATEGORY_RECOMMENDED;
    else if (!strcmp(f, "遵守事項") || !strcmp(f, "必須") || !strcmp(f, "mandatory") ||
             !strcmp(f, "required"))
        *cat = CTL_CATEGORY_MANDATORY;
    else return 0;
    return 1;
}

const char *ctl_category_ja(ctl_category c)
{
    return c == CTL_CATEGORY_BASIC         ? "基本"
           : c == CTL_CATEGORY_RECOMMENDED ? "推奨"
           : c == CTL_CATEGORY_MANDATORY   ? "必須"
                                           : "";
}

const char *ctl_category_en(ctl_category c)
{
    return c == CTL_CATEGORY_BASIC         ? "basic"
           : c == CTL_CATEGORY_RECOMMENDED ? "recommended"
           : c == CTL_CATEGORY_MANDATORY   ? "mandatory"
                                           : "";
}

/* ---- identifiers of any scheme ---- */

static int is_alpha(int32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_upper(int32_t c) { return c >= 'A' && c <= 'Z'; }
static int is_join(int32_t c) { return c == '.' || c == '-' || c == '_'; }

/* Digits at s[*i]: their value, *i past them; -1 when fewer than min or
 * more than max. */
static long digit_run(const char *s, size_t *i, size_t min, size_t max)
{
    long v = 0;
    size_t k = 0;
    while (is_digit(s[*i + k]) && k <= max) v = v * 10 + (s[*i + k++] - '0');
    if (k < min || k > max) return -1;
    *i += k;
    return v;
}

/* A date with the year last: 15.03.2024, 3-15-2024 (day or month
 * first, one of them 12 at most). */
static int is_date_year_last(const char *s)
{
    size_t i = 0;
    long a = digit_run(s, &i, 1, 2);
    if (a < 1 || (s[i] != '-' && s[i] != '.')) return 0;
    char sep = s[i++];
    long b = digit_run(s, &i, 1, 2);
    if (b < 1 || s[i] != sep) return 0;
    i++;
    long y = digit_run(s, &i, 4, 4);
    return y >= 1900 && y <= 2099 && !s[i] && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
}

/* A date rather than a code: 2024-03-15, 2024.3.15, 2024-03, 15.03.2024. */
static int is_date(const char *s)
{
    if (is_date_year_last(s)) return 1;
    size_t i = 0;
    long y = digit_run(s, &i, 4, 4);
    if (y < 1900 || y > 2099 || (s[i] != '-' && s[i] != '.')) return 0;
    char sep = s[i++];
    size_t at = i;
    long m = digit_run(s, &i, 1, 2);
    if (m < 1 || m > 12) return 0;
    if (!s[i]) return sep == '-' && i - at == 2;
    if (s[i++] != sep) return 0;
    long d = digit_run(s, &i, 1, 2);
    return d >= 1 && d <= 31 && !s[i];
}

static int is_word(int32_t c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* The canonical form of v[0..n) (white space removed, one trailing dot
 * dropped) into id, or 0 when it is no identifier by shape.  White space
 * may stand beside a joiner or parenthesis ("II. 1", "AC-2 (1)"), never
 * between two letters or digits nor before a letter: "1 2", "see A.5",
 * "Step 1" and "II. 1. Policy" (a number and its title) are no ids. */
static int canonical_id(const nchar *v, size_t n, char *id)
{
    size_t o = 0;
    int gap = 0;   /* white space since the last character kept */
    for (size_t i = 0; i < n; i++) {
        int32_t c = v[i].c;
        if (is_ws(c)) {
            gap = 1;
            continue;
        }
        if (c > 0x7E || o >= 63) return 0;
        /* white space may stand beside a joiner ("II. 1. 1"), never
         * before a letter or between two letters or digits ("bad words 12",
         * "Step 1" are prose) */
        if (gap && o && (is_alpha(c) || (is_word(id[o - 1]) && is_word(c)))) return 0;
        gap = 0;
        id[o++] = (char)c;
    }
    if (o && id[o - 1] == '.') o--;
    id[o] = '\0';
    if (!o || is_date(id)) return 0;
    /* shape: segments of letters/digits ('&' inside), joined by . - _,
     * parenthesised segments of at most 4 letters or digits */
    int digit = 0, lower = 0, in_paren = 0;
    size_t seg = 0, paren_len = 0;
    char prev = 0;   /* 'a' letter/digit, 'j' joiner, '(' , ')' , '&' */
    for (size_t i = 0; i < o; i++) {
        char c = id[i];
        if (is_digit(c) || is_alpha(c)) {
            if (prev == ')') return 0;            /* "(1)a" */
            if (is_digit(c)) digit = 1;
            if (c >= 'a' && c <= 'z') lower = 1;
            if (in_paren && ++paren_len > 4) return 0;
            if (!in_paren && ++seg > 12) return 0; /* no word runs */
            prev = 'a';
        } else if (c == '&') {
            if (prev != 'a' || in_paren) return 0;
            prev = '&';
        } else if (is_join(c)) {
            if (prev != 'a' && prev != ')') return 0;
            if (in_paren) return 0;
            seg = 0;
            prev = 'j';
        } else if (c == '(') {
            if (prev != 'a' && prev != ')' && prev != 'j') return 0;
            if (in_paren) return 0;
            in_paren = 1;
            paren_len = 0;
            prev = '(';
        } else if (c == ')') {
            if (!in_paren || prev != 'a') return 0;
            in_paren = 0;
            seg = 0;
            prev = ')';
        } else {
            return 0;
        }
    }
    if (in_paren || (prev != 'a' && prev != ')')) return 0;
    if (!is_digit(id[0]) && !is_alpha(id[0])) return 0;
    if (!digit) {
        /* no digit: short, and every letter upper case (AC, A&A, II) */
        if (o > 8 || lower) return 0;
    }
    /* a digit run longer than 6 is a count or a date, not a code; four
     * letters or more with a lower-case one are a word ("1.Introduction") */
    size_t run = 0, letters = 0;
    int low = 0;
    for (size_t i = 0; i < o; i++) {
        run = is_digit(id[i]) ? run + 1 : 0;
        if (run > 6) return 0;
        letters = is_alpha(id[i]) ? letters + 1 : 0;
        low = letters && (low || (id[i] >= 'a' && id[i] <= 'z'));
        if (letters >= 4 && low) return 0;
    }
    (void)is_upper;
    return 1;
}

/* A key: lower-case ASCII letters and digits led by a letter, joined by
 * single '-', '_' or '.'; no value word. */
static int is_key(const char *s, size_t n)
{
    static const char *const values[] = {"true", "false", "yes", "no", "none", "null", "nan"};
    if (n < 2 || !(s[0] >= 'a' && s[0] <= 'z')) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) continue;
        if ((c != '-' && c != '_' && c != '.') || i + 1 == n || !((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                                                                   (s[i + 1] >= '0' && s[i + 1] <= '9')))
            return 0;
    }
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        if (strlen(values[i]) == n && !memcmp(values[i], s, n)) return 0;
    return 1;
}

int ctl_is_code(const char *s, size_t n)
{
    static const char wide_space[] = "\xE3\x80\x80";   /* U+3000 */
    if (!n || n > CTL_CODE_MAX || strchr("=+-@", s[0]) ||
        ctl_utf8_valid_prefix((const unsigned char *)s, n) != n)
        return 0;
    size_t spaces = 0;
    int digit = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) return 0;
        digit |= c >= '0' && c <= '9';
        if (c == ' ' || (i + 3 <= n && !memcmp(s + i, wide_space, 3))) {
            if (!i || i + (c == ' ' ? 1 : 3) == n || ++spaces > 1) return 0;
        }
    }
    char id[CTL_ID_MAX];
    return (digit || is_key(s, n)) && !ctl_parse_id(s, n, id);
}

int ctl_parse_id(const char *s, size_t len, char id[CTL_ID_MAX])
{
    ctl_trim(&s, &len);
    if (!len || len > 4 * NMAX) return 0;
    nchar v[NMAX];
    size_t n = decompose_prefix(s, len, v, NMAX);
    if (!n || v[n - 1].end != len) return 0;
    char tmp[CTL_ID_MAX];
    /* a generated id, "II.1.1#2" or "#1" (see ctl_item): an id or nothing,
     * '#', 1 to 6 digits */
    size_t hash_at = n;
    for (size_t i = 0; i < n; i++)
        if (v[i].c == '#') { hash_at = i; break; }
    if (hash_at < n) {
        /* ranks: ('#' 1-6 digits, no leading zero)+ */
        if (hash_at && !canonical_id(v, hash_at, tmp)) return 0;
        if (!hash_at) tmp[0] = '\0';
        size_t used = strlen(tmp), d = 0;
        for (size_t i = hash_at; i < n; i++) {
            int32_t c = v[i].c;
            if (c == '#') {
                if (i > hash_at && !d) return 0;
                if (i + 1 >= n || v[i + 1].c == '0') return 0;
                d = 0;
            } else if (!is_digit(c) || ++d > 6) {
                return 0;
            }
            if (used + 1 >= CTL_ID_MAX) return 0;
            tmp[used++] = (char)c;
        }
        if (!d) return 0;
        tmp[used] = '\0';
        memcpy(id, tmp, used + 1);
        return 1;
    }
    if (!canonical_id(v, n, tmp)) return 0;
    memcpy(id, tmp, strlen(tmp) + 1);
    return 1;
}

int ctl_id_contains(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    if (!n || strncmp(outer, inner, n)) return 0;
    char c = inner[n];
    return (c == '.' || c == '-' || c == '_' || c == '(') && inner[n + 1];
}

/* ---- reference schemes ---- */

static const struct {
    const char *name;
    const char *folded[8];   /* spellings, as ctl_fold_into leaves them */
} schemes[] = {
    {"iso27001-2013", {"iso27001-2013", "iso/iec27001:2013", "iso27001:2013", "isms", "isms管理策", "27001:2013"}},
    {"iso27001-2022", {"iso27001-2022", "iso/iec27001:2022", "iso27001:2022", "27001:2022", NULL}},
    {"iso27002-2013", {"iso27002-2013", "iso/iec27002:2013", "iso27002:2013", "27002:2013", NULL}},
    {"iso27002-2022", {"iso27002-2022", "iso/iec27002:2022", "iso27002:2022", "27002:2022", NULL}},
    {"iso27017-2015", {"iso27017-2015", "iso/iec27017:2015", "iso27017:2015", "27017:2015", NULL}},
    {"nist-sp800-53", {"nist-sp800-53", "nistsp800-53", "sp800-53", "nist800-53", "800-53",
                       "nistsp800-53rev.5", "nistsp800-53r5", NULL}},
};

const char *ctl_scheme_name(const char *s, size_t len)
{
    char f[256];
    ctl_trim(&s, &len);
    if (!len || len > 64 || ctl_fold_into(s, len, f, sizeof f) < 0) return NULL;
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        for (size_t k = 0; k < 8 && schemes[i].folded[k]; k++)
            if (!strcmp(f, schemes[i].folded[k])) return schemes[i].name;
    return NULL;
}

/* A scheme prefix "name:" at v[i..n): a known scheme's name, or any name
 * [a-z][a-z0-9-]* of 2 to 31 characters; its end in *after. */
static int scheme_prefix(const nchar *v, size_t n, size_t i, char *name, size_t *after)
{
    size_t k = 0;
    if (i >= n || !(v[i].c >= 'a' && v[i].c <= 'z')) return 0;
    while (i + k < n && k < 31 &&
           ((v[i + k].c >= 'a' && v[i + k].c <= 'z') || is_digit(v[i + k].c) || v[i + k].c == '-')) {
        name[k] = (char)v[i + k].c;
        k++;
    }
    if (k < 2 || i + k >= n || v[i + k].c != ':' || name[k - 1] == '-') return 0;
    name[k] = '\0';
    *after = i + k + 1;
    return 1;
}

static void free_refs(ctl_ref *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ctl_free(r[i].scheme);
        ctl_free(r[i].id);
    }
    ctl_free(r);
}

int ctl_refs_none(const char *s, size_t len)
{
    static const char *const words[] = {"none", "n/a", "-", "–", "—", "なし", "該当なし"};
    char f[64];
    ctl_trim(&s, &len);
    if (!len || len > 32) return 0;
    int n = ctl_fold_into(s, len, f, sizeof f);
    if (n <= 0) return 0;
    if (f[n - 1] == '.') f[--n] = '\0';
    else if (n > 3 && !strcmp(f + n - 3, "。")) f[n -= 3] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(f, words[i])) return 1;
    return 0;
}

int ctl_parse_refs(const char *s, size_t len, const char *scheme, ctl_ref **refs, size_t *count)
{
    *refs = NULL;
    *count = 0;
    if (!scheme) scheme = "";
    nchar small[NMAX], *v = cell_room(len, small);
    if (!v) return -1;
    size_t n = decompose_prefix(s, len, v, v == small ? NMAX : MAXC);
    int result = 1;
    ctl_ref *out = NULL;
    size_t nout = 0;
    if (len && (!n || v[n - 1].end != len)) { result = 0; goto done; }
    for (size_t i = 0;;) {
        while (i < n && is_ref_sep(v[i].c)) i++;
        if (i == n) break;
        char name[32];
        size_t start = i;
        const char *sch = scheme;
        if (scheme_prefix(v, n, i, name, &start)) sch = name;
        char id[CTL_ID_MAX];
        size_t end = start;
        if (!strcmp(sch, "iso27001-2013")) {
            if (!parse_ref(v, n, &end, id, sizeof id) || (end < n && !is_ref_sep(v[end].c))) {
                result = 0;
                goto done;
            }
        } else {
            /* "/" separates references but ")" or "(" do not; white space
             * before a parenthesis does not either ("AC-2 (1)", as NIST prints it) */
            while (end < n) {
                if (!is_ref_sep(v[end].c)) { end++; continue; }
                size_t k = is_ws(v[end].c) ? skip_ws(v, n, end) : end;
                if (k > end && k < n && v[k].c == '(') { end = k; continue; }
                break;
            }
            if (!canonical_id(v + start, end - start, id)) { result = 0; goto done; }
        }
        i = end;
        ctl_ref *grown = ctl_realloc(out, (nout + 1) * sizeof *out);
        if (!grown) { result = -1; goto done; }
        out = grown;
        out[nout].scheme = ctl_strdup(sch);
        out[nout].id = ctl_strdup(id);
        nout++;
        if (!out[nout - 1].scheme || !out[nout - 1].id) { result = -1; goto done; }
    }
done:
    cell_room_free(v, small);
    if (result != 1) {
        free_refs(out, nout);
        return result;
    }
    *refs = out;
    *count = nout;
    return 1;
}
