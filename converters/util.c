/* SPDX-License-Identifier: BSD-2-Clause */
/* Allocation, growable buffers, UTF-8 helpers. */
#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allocation-failure testing (SQLite's method): the N-th allocation of our
 * own code fails, once.  The switch is for tests; the counters are atomic
 * (relaxed) so that contexts converting on several threads do not race on
 * them. */
static _Atomic unsigned long alloc_fail_at, alloc_count;
/* Set by the first ctl_test_fail_alloc: until then nothing is counted (an
 * atomic add on every allocation cost 3 % of a conversion). */
static _Atomic int alloc_testing;

void ctl_test_fail_alloc(unsigned long n)
{
    atomic_store_explicit(&alloc_fail_at, n, memory_order_relaxed);
    atomic_store_explicit(&alloc_count, 0, memory_order_relaxed);
    atomic_store_explicit(&alloc_testing, 1, memory_order_relaxed);
}

unsigned long ctl_test_alloc_count(void) { return atomic_load_explicit(&alloc_count, memory_order_relaxed); }

static int should_fail(void)
{
    if (!atomic_load_explicit(&alloc_testing, memory_order_relaxed)) return 0;
    unsigned long n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    unsigned long at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
    return at && n == at;
}

void *ctl_malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }
void *ctl_realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }
void ctl_free(void *p) { free(p); }

char *ctl_strndup(const char *s, size_t n)
{
    char *d = ctl_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ctl_strdup(const char *s) { return ctl_strndup(s, strlen(s)); }
const char *ctl_str(const char *s) { return s ? s : ""; }

int ctl_buf_reserve(ctl_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX / 2 - b->len) return 0;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *d = ctl_realloc(b->data, cap);
    if (!d) return 0;
    d[b->len] = '\0';
    b->data = d;
    b->cap = cap;
    return 1;
}

int ctl_buf_add(ctl_buf *b, const char *s, size_t n)
{
    if (!ctl_buf_reserve(b, n)) return 0;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 1;
}

int ctl_buf_adds(ctl_buf *b, const char *s) { return ctl_buf_add(b, s, strlen(s)); }
int ctl_buf_addc(ctl_buf *b, char c) { return ctl_buf_add(b, &c, 1); }

int ctl_buf_printf(ctl_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return 0;
    if ((size_t)n < sizeof tmp) return ctl_buf_add(b, tmp, (size_t)n);
    if (!ctl_buf_reserve(b, (size_t)n)) return 0;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 1;
}

char *ctl_buf_take(ctl_buf *b)
{
    char *d = b->data;
    if (!d) d = ctl_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void ctl_buf_free(ctl_buf *b)
{
    ctl_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* The length of the valid sequence led by s[0] (1..4 bytes available in
 * n), 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    /* the second byte's range depends on the first (RFC 3629) */
    unsigned lo = 0x80, hi = 0xBF;
    size_t k;
    if (c >= 0xC2 && c <= 0xDF) k = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0) lo = 0xA0;           /* overlong */
        else if (c == 0xED) hi = 0x9F;      /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0) lo = 0x90;           /* overlong */
        else if (c == 0xF4) hi = 0x8F;      /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < k || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return k;
}

size_t ctl_utf8_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            /* ASCII, then eight bytes at a time */
            i++;
            for (uint64_t x; i + 8 <= len; i += 8) {
                memcpy(&x, s + i, 8);
                if (x & 0x8080808080808080u) break;
            }
            continue;
        }
        /* kana, kanji, full-width forms: a lead whose second byte may be
         * any continuation byte, and two of them */
        static const unsigned char plain3[256] = {
            [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xE4] = 1, [0xE5] = 1, [0xE6] = 1, [0xE7] = 1,
            [0xE8] = 1, [0xE9] = 1, [0xEA] = 1, [0xEB] = 1, [0xEC] = 1, [0xEE] = 1, [0xEF] = 1};
        uint16_t t;
        if (plain3[c] && len - i >= 3 && (memcpy(&t, s + i + 1, 2), (t & 0xC0C0) == 0x8080)) {
            i += 3;
            continue;
        }
        size_t k = utf8_sequence(s + i, len - i);
        if (!k) return i;
        i += k;
    }
    return i;
}

size_t ctl_utf8_clip(const char *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

void ctl_trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    for (;;) {
        if (n && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')) { p++; n--; }
        else if (n >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) { p += 3; n -= 3; }
        else break;
    }
    for (;;) {
        if (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
        else if (n >= 3 && memcmp(p + n - 3, "\xE3\x80\x80", 3) == 0) n -= 3;
        else break;
    }
    *s = p;
    *len = n;
}

int ctl_write_err(FILE *out, const char *s, size_t n)
{
    errno = 0;
    if (n == 0 || fwrite(s, 1, n, out) == n) return 0;
    return errno ? errno : EIO;
}

ctl_status ctl_write_failed(ctl_ctx *ctx, const char *name, int err)
{
    if (err == ENOMEM) return ctl_nomem(ctx);
    return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot write %s: %s",
                    name && !strcmp(name, "-") ? "standard output" : "the output", strerror(err ? err : EIO));
}

size_t ctl_utf8_encode(uint32_t cp, char *o)
{
    size_t n;
    if (cp < 0x80) { o[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    o[n] = '\0';
    return n;
}

int ctl_cells_blank(const ctl_cell *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = c[i].s;
        size_t len = c[i].len;
        ctl_trim(&s, &len);
        if (len) return 0;
    }
    return 1;
}

/* ------------------------------------------------------------- CP932 out */

int ctl_cp932_one_way(uint32_t cp)
{
    switch (cp) {
    case 0x00A2: case 0x00A3: case 0x00A5: case 0x00AC:   /* ¢ £ ¥ ¬ */
    case 0x2014: case 0x2016: case 0x203E: case 0x2212:   /* — ‖ ‾ − */
    case 0x301C:                                          /* 〜 */
        return 1;
    default:
        return cp >= 0xE0000 && cp <= 0xE007F;            /* tags: dropped */
    }
}

/* Is the character at p (left bytes, valid UTF-8) one of
 * ctl_cp932_one_way()?  Their UTF-8 forms, byte by byte. */
static int one_way_at(const unsigned char *p, size_t left)
{
    switch (p[0]) {
    case 0xC2: return left >= 2 && (p[1] == 0xA2 || p[1] == 0xA3 || p[1] == 0xA5 || p[1] == 0xAC);
    case 0xE2:
        return left >= 3 && ((p[1] == 0x80 && (p[2] == 0x94 || p[2] == 0x96 || p[2] == 0xBE)) ||
                             (p[1] == 0x88 && p[2] == 0x92));
    case 0xE3: return left >= 3 && p[1] == 0x80 && p[2] == 0x9C;
    case 0xF3: return left >= 4 && p[1] == 0xA0 && (p[2] == 0x80 || p[2] == 0x81);
    default: return 0;
    }
}

/* Byte by byte from i on to end (at most n). */
static int one_way_in(const unsigned char *s, size_t i, size_t end, size_t n)
{
    static const unsigned char lead[256] = {[0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xF3] = 1};
    for (; i < end; i++)
        if (lead[s[i]] && one_way_at(s + i, n - i)) return 1;
    return 0;
}

/* Sixteen bytes at a time, those that may be part of one: the leads C2,
 * E2, F3 and 9C, the last byte of 〜 (E3 80 9C), whose lead may lie in the
 * block before. */
static int has_one_way(const unsigned char *s, size_t n)
{
    typedef unsigned char v16 __attribute__((vector_size(16)));
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v16 x;
        memcpy(&x, s + i, 16);
        v16 m = (v16)((x == 0xC2) | (x == 0xE2) | (x == 0xF3) | (x == 0x9C));
        uint64_t lo, hi;
        memcpy(&lo, &m, 8);
        memcpy(&hi, (const char *)&m + 8, 8);
        if ((lo | hi) && one_way_in(s, i >= 2 ? i - 2 : 0, i + 16, n)) return 1;
    }
    return one_way_in(s, i >= 2 ? i - 2 : 0, n, n);
}

struct ctl_cp932 {
    iconv_t cd;
};

ctl_cp932 *ctl_cp932_new(void)
{
    ctl_cp932 *c = ctl_malloc(sizeof *c);
    if (!c) return NULL;
    if ((c->cd = iconv_open("CP932", "UTF-8")) == (iconv_t)-1) {
        ctl_free(c);
        return NULL;
    }
    return c;
}

void ctl_cp932_free(ctl_cp932 *c)
{
    if (!c) return;
    iconv_close(c->cd);
    ctl_free(c);
}

int ctl_cp932_exact(ctl_cp932 *c, const char *s, size_t len, ctl_buf *out)
{
    if (has_one_way((const unsigned char *)s, len)) return 0;
    /* CP932 takes at most as many bytes as UTF-8 for each character */
    if (!ctl_buf_reserve(out, len)) return -1;
    char *ip = (char *)s, *op = out->data + out->len;
    size_t il = len, ol = out->cap - out->len - 1;
    iconv(c->cd, NULL, NULL, NULL, NULL);
    if (iconv(c->cd, &ip, &il, &op, &ol) == (size_t)-1 || il) {
        out->data[out->len] = '\0';
        return 0;
    }
    out->len = (size_t)(op - out->data);
    out->data[out->len] = '\0';
    return 1;
}
