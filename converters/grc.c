/* SPDX-License-Identifier: BSD-2-Clause */
/* Rules shared by the GRC exports: the date an export states, ids as
 * OSCAL tokens (see grc.h). */
#include "grc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* YYYY-MM-DD at s, a real day. */
static int is_day(const char *s)
{
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2)) return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* An RFC 3339 date-time with its zone, or a bare day; 1 when s is one. */
static int date_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 10) return is_day(s);
    if (n < 20 || n >= CTL_DATE_MAX || !is_day(s) || (s[10] != 'T' && s[10] != 't')) return 0;
    const char *t = s + 11;
    if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2)) return 0;
    if (num(t, 2) > 23 || num(t + 3, 2) > 59 || num(t + 6, 2) > 60) return 0;
    t += 8;
    if (*t == '.') {
        if (!isdigit((unsigned char)t[1])) return 0;
        for (t++; isdigit((unsigned char)*t); t++) {}
    }
    if ((*t == 'Z' || *t == 'z') && !t[1]) return 1;
    return (*t == '+' || *t == '-') && digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) && !t[6] &&
           num(t + 1, 2) <= 23 && num(t + 4, 2) <= 59;
}

static ctl_status utc(ctl_ctx *ctx, time_t t, const char *from, char out[CTL_DATE_MAX])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
        !strftime(out, CTL_DATE_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "%s is no time ctlconv can write", from);
    return CTL_OK;
}

ctl_status ctl_date_resolve(ctl_ctx *ctx, const char *given, const char *in_path, char out[CTL_DATE_MAX])
{
    if (given) {
        if (!date_ok(given))
            return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0,
                            "the date '%.60s' is neither YYYY-MM-DD nor an RFC 3339 date-time with its zone "
                            "(2026-12-01T09:00:00+09:00)", given);
        if (strlen(given) == 10) snprintf(out, CTL_DATE_MAX, "%sT00:00:00Z", given);
        else snprintf(out, CTL_DATE_MAX, "%s", given);
        return CTL_OK;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!isdigit((unsigned char)*sde) || *end || errno || v > 253402300799LL)
            return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0,
                            "SOURCE_DATE_EPOCH='%.40s' is no count of seconds since 1970", sde);
        return utc(ctx, (time_t)v, "SOURCE_DATE_EPOCH", out);
    }
    struct stat st;
    if (in_path && strcmp(in_path, "-") && stat(in_path, &st) == 0) return utc(ctx, st.st_mtime, in_path, out);
    ctl_status s = utc(ctx, time(NULL), "the clock", out);
    if (s == CTL_OK)
        ctl_warn(ctx, CTL_D_DATE_FROM_CLOCK, NULL, 0,
                 "the export's date is the clock's (%s): give --date or SOURCE_DATE_EPOCH for the same "
                 "output each run", out);
    return s;
}

static int ascii_alnum(unsigned char c) { return isalnum(c) && c < 0x80; }

void ctl_library_name(const char *path, char out[CTL_LIBRARY_MAX])
{
    size_t n = 0;
    if (path && strcmp(path, "-")) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *dot = strrchr(base, '.');
        size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        for (size_t i = 0; i < len && n < CTL_LIBRARY_MAX - 1; i++) {
            unsigned char c = (unsigned char)base[i];
            if (ascii_alnum(c)) out[n++] = (char)tolower(c);
            else if (n && out[n - 1] != '-') out[n++] = '-';
        }
        while (n && out[n - 1] == '-') n--;
    }
    if (!n) memcpy(out, "list", n = 4);
    out[n] = '\0';
}

int ctl_library_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n >= CTL_LIBRARY_MAX || !ascii_alnum((unsigned char)s[0]) || isupper((unsigned char)s[0])) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(ascii_alnum((unsigned char)s[i]) && !isupper((unsigned char)s[i])) && s[i] != '-') return 0;
    return 1;
}

/* Is id a token of ASCII letters, digits, '.', '-' and '_' that starts
 * with a letter? */
static int plain_token(const char *id)
{
    if (!isalpha((unsigned char)id[0]) || (unsigned char)id[0] >= 0x80) return 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (!ascii_alnum(*p) && *p != '.' && *p != '-' && *p != '_') return 0;
    return 1;
}

static const char escapes[][2] = {{'_', '_'}, {'(', 'o'}, {')', 'c'}, {'&', 'a'}, {'#', 'h'}, {'/', 's'}, {'+', 'p'}};

/* One UTF-8 code point at s (n bytes left) into *cp; its length, 0 if malformed. */
static size_t utf8_point(const unsigned char *s, size_t n, unsigned long *cp)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n) return 0;
    unsigned long v = len == 1 ? s[0] : len == 2 ? s[0] & 0x1Fu : len == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    *cp = v;
    return len;
}

int ctl_oscal_token(const char *id, ctl_buf *out)
{
    out->len = 0;
    if (!ctl_buf_reserve(out, 1)) return 0;
    out->data[0] = '\0';
    if (plain_token(id) && id[0] != '_') return ctl_buf_adds(out, id);
    if (!ctl_buf_addc(out, '_')) return 0;
    const unsigned char *p = (const unsigned char *)id;
    size_t n = strlen(id);
    while (n) {
        if (ascii_alnum(*p) || *p == '.' || *p == '-') {
            if (!ctl_buf_addc(out, (char)*p)) return 0;
            p++, n--;
            continue;
        }
        size_t e = 0;
        while (e < sizeof escapes / sizeof *escapes && (unsigned char)escapes[e][0] != *p) e++;
        if (e < sizeof escapes / sizeof *escapes) {
            if (!ctl_buf_addc(out, '_') || !ctl_buf_addc(out, escapes[e][1])) return 0;
            p++, n--;
            continue;
        }
        unsigned long cp;
        size_t len = utf8_point(p, n, &cp);
        if (!len) cp = *p, len = 1;   /* not UTF-8: the byte, still reversible as a code point below 0x100 */
        if (!ctl_buf_printf(out, "_u%06lx", cp)) return 0;
        p += len, n -= len;
    }
    return 1;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int put_point(ctl_buf *out, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) b[0] = (char)cp, n = 1;
    else if (cp < 0x800) b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F)), b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F)), b[2] = (char)(0x80 | (cp >> 6 & 0x3F)),
        b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    return ctl_buf_add(out, b, n);
}

/* Unescapes token (after its leading '_') into out: 1, 0 not of the rule, -1 no memory. */
static int unescape(const char *t, ctl_buf *out)
{
    while (*t) {
        unsigned char c = (unsigned char)*t;
        if (ascii_alnum(c) || c == '.' || c == '-') {
            if (!ctl_buf_addc(out, (char)c)) return -1;
            t++;
            continue;
        }
        if (c != '_' || !t[1]) return 0;
        size_t e = 0;
        while (e < sizeof escapes / sizeof *escapes && escapes[e][1] != t[1]) e++;
        if (e < sizeof escapes / sizeof *escapes) {
            if (!ctl_buf_addc(out, escapes[e][0])) return -1;
            t += 2;
            continue;
        }
        if (t[1] != 'u') return 0;
        unsigned long cp = 0;
        for (int i = 2; i < 8; i++) {
            int h = hexval(t[i]);
            if (h < 0) return 0;
            cp = cp << 4 | (unsigned long)h;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        if (!put_point(out, cp)) return -1;
        t += 8;
    }
    return 1;
}

int ctl_oscal_id(const char *token, ctl_buf *out)
{
    out->len = 0;
    if (!ctl_buf_reserve(out, 1)) return -1;
    out->data[0] = '\0';
    if (token[0] != '_') {
        if (!ctl_buf_adds(out, token)) return -1;
        return plain_token(token) ? 1 : 0;
    }
    int r = unescape(token + 1, out);
    if (r == 1 && out->len) {
        /* only the token ctl_oscal_token makes of it ("_x" is no token of ours: "x" is) */
        ctl_buf again = {0};
        if (!ctl_oscal_token(out->data, &again)) r = -1;
        else if (strcmp(again.data, token)) r = 0;
        ctl_buf_free(&again);
        if (r == 1) return 1;
    }
    if (r < 0) return -1;
    out->len = 0;
    out->data[0] = '\0';
    return ctl_buf_adds(out, token) ? 0 : -1;
}
