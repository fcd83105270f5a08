/* SPDX-License-Identifier: BSD-2-Clause */
/* Encoding detection and decoding to UTF-8.
 *
 * Order: a byte-order mark (UTF-8, UTF-16LE/BE) decides; then strict UTF-8
 * (a short input weighed against its Japanese readings, see below); then a
 * trial decode as CP932 and as EUC-JP-MS, and when both succeed the
 * reading that looks more like Japanese wins (a clean trial decode proves
 * little: EUC-JP accepts many CP932 byte pairs); uchardet only when neither
 * decodes.  Nothing is ever dropped or replaced: an undecodable byte is an
 * error naming file, line and byte offset. */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <uchardet/uchardet.h>
#include <utf8proc.h>

typedef struct {
    int ok;               /* 1 decoded, 0 undecodable, -1 no memory, -2 unknown encoding */
    size_t bad_offset;    /* byte offset of the first undecodable byte */
    size_t good_len;      /* UTF-8 bytes produced before it */
    int truncated;        /* the input ends inside a multi-byte sequence */
    int controls;         /* decoded, but to control characters */
    unsigned control_cp;
    size_t control_at;    /* offset in the decoded text */
} decode_result;

/* Decodes in[0..len) from enc into out (NUL-terminated). */
static decode_result decode_with(const char *enc, const unsigned char *in, size_t len, ctl_buf *out)
{
    decode_result r = {1, 0, 0, 0, 0, 0, 0};
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) { r.ok = -2; return r; }
    out->len = 0;
    if (!ctl_buf_reserve(out, len + len / 2 + 16)) { r.ok = -1; goto done; }
    char *ip = (char *)in;
    size_t il = len;
    for (;;) {
        char *op = out->data + out->len;
        size_t ol = out->cap - out->len - 1, before = ol;
        size_t rc = il ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);
        out->len += before - ol;
        if (rc != (size_t)-1) {
            if (!il) break;
            continue;
        }
        if (errno == E2BIG) {
            if (!ctl_buf_reserve(out, out->cap)) { r.ok = -1; goto done; }
            continue;
        }
        /* EILSEQ: an invalid sequence; EINVAL: an incomplete one at the end */
        r.ok = 0;
        r.truncated = errno == EINVAL;
        r.bad_offset = (size_t)(ip - (char *)in);
        r.good_len = out->len;
        break;
    }
    out->data[out->len] = '\0';
done:
    iconv_close(cd);
    return r;
}

/* Line (1-based) at the end of a UTF-8 prefix: LF, CRLF and CR end lines. */
static long line_at(const char *s, size_t n)
{
    long line = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') line++;
        else if (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')) line++;
    }
    return line;
}

/* Does s[0..n) (the bytes after the valid UTF-8 prefix) start a multi-byte
 * sequence that the end of the input cuts short? */
static int utf8_cut_short(const unsigned char *s, size_t n)
{
    if (!n) return 0;
    size_t need = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (!need || n >= need) return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return 1;
}

/* Does a decoded text hold control characters other than tab, line ends
 * and form feed?  A reading that produces them (a stray 0x80 read as
 * U+0080) is not a reading of a text file.  c1_only: only U+0080-U+009F
 * count, for the CP932 and EUC-JP readings, where a control byte below
 * 0x80 reads the same in both and proves nothing (ctlconv writes a DEL or
 * a control of a cell so in CP932, and must read it back).  Records the
 * first one. */
static int has_controls_at(const char *s, size_t n, int c1_only, decode_result *r)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp = 0;
        int c0 = (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F;
        if (c0 && !c1_only) cp = c;
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F)
            cp = (unsigned char)s[i + 1];
        if (cp) {
            if (r) { r->controls = 1; r->control_cp = cp; r->control_at = i; }
            return 1;
        }
    }
    return 0;
}


/* ---- how plausible each reading is ----
 * A clean trial decode proves little: EUC-JP kanji are often valid UTF-8
 * (的 is C5 AA, Ū) and CP932 half-width katakana (bytes 0xA1-0xDF) are
 * often EUC-JP kanji (ﾃﾞｰﾀ is C3 DE B0 C0, 筑粟).  So each reading is
 * weighed in context: a Japanese one by its kana, kanji and half-width
 * katakana in their places, a UTF-8 one by whether its words and symbols
 * are what text in some script looks like. */
enum { SHORT_INPUT = 4096, STRONG_JAPANESE = 16 };

static int ascii_letter(uint32_t c) { return c < 0x80 && (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

static int kana(uint32_t c) { return c >= 0x3041 && c <= 0x30FE; }

static int kanji(uint32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

static int hw_kana(uint32_t c) { return c >= 0xFF61 && c <= 0xFF9F; }

/* ｦ and ｱ-ﾝ: half-width katakana that are letters */
static int hw_letter(uint32_t c) { return c == 0xFF66 || (c >= 0xFF71 && c <= 0xFF9D); }

/* Punctuation, Ⅲ, arrows, ①, ■, ★ and the like, as Japanese documents
 * use them: in UTF-8 they need a second byte below 0xA1, which EUC-JP
 * kanji never have, so they are no misreading of EUC-JP. */
static int document_symbol(uint32_t c) { return c >= 0x2000 && c <= 0x27BF; }

/* Kana, kanji, 、。「」 and full- and half-width forms. */
static int japanese_char(uint32_t c)
{
    return kana(c) || kanji(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF9F);
}

/* CJK ideographs that Japanese text seldom uses (extensions, compatibility). */
static int rare_ideograph(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Is c one of the half-width katakana of set? */
static int hw_one_of(uint32_t c, const char *set)
{
    char u[4] = {(char)(0xE0 | (c >> 12)), (char)(0x80 | ((c >> 6) & 0x3F)), (char)(0x80 | (c & 0x3F)), 0};
    return hw_kana(c) && strstr(set, u);
}

/* A half-width katakana between prev and next: the sound marks ﾞ ﾟ, the
 * long vowel ｰ and the small kana follow a kana that takes them (ｬｭｮ an
 * i-row one), ｯ comes before a consonant, ﾝ starts no word, ｡｢｣､･ sit by
 * kana (･ also as a bullet, after a space and before a word: 0).  A
 * misreading breaks these rules where real text keeps them.
 * +2 a mark in its place, +1 a kana, -3 one out of place or alone between
 * other characters, -2 a kana glued to an ASCII letter (UTF-8 "café" read
 * as CP932 is "cafﾃｩ"). */
static int hw_weight(uint32_t prev, uint32_t c, uint32_t next)
{
    int after = hw_letter(prev) || prev == 0xFF9E || prev == 0xFF9F;
    if (c == 0xFF9E) return hw_one_of(prev, "ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎﾜｦ") ? 2 : -3;   /* ﾞ */
    if (c == 0xFF9F) return hw_one_of(prev, "ﾊﾋﾌﾍﾎ") ? 2 : -3;                      /* ﾟ */
    if (c == 0xFF70) return after || hw_one_of(prev, "ｧｨｩｪｫｬｭｮ") ? 1 : -3;        /* ｰ */
    if (c >= 0xFF67 && c <= 0xFF6B)                                                /* ｧ-ｫ */
        return hw_one_of(prev, "ｲｳｷｸｼｽﾁﾂﾃﾄﾆﾋﾌﾐﾘﾞﾟ") ? 1 : -3;
    if (c >= 0xFF6C && c <= 0xFF6E)                                                /* ｬｭｮ */
        return hw_one_of(prev, "ｷｼﾁﾆﾋﾐﾘﾃﾌﾞﾟ") ? 1 : -3;
    if (c == 0xFF6F)                                                               /* ｯ */
        return after && prev != 0xFF9D && hw_one_of(next, "ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ") ? 1 : -3;
    if (c == 0xFF62) return hw_letter(next) ? 0 : -3;                              /* ｢ */
    if (c == 0xFF65 && prev < 0x80 && strchr(" \t\r\n\"(", (int)prev)             /* ･ a bullet */
        && (next == ' ' || ascii_letter(next)))
        return 0;
    if (!hw_letter(c)) return after || prev == 0xFF70 ? (c == 0xFF63 ? 0 : 1) : -3; /* ｡｣､･ */
    if (!hw_kana(prev) && (!hw_kana(next) || c == 0xFF9D)) return -3;    /* alone; ﾝ first */
    return ascii_letter(prev) || ascii_letter(next) ? -2 : 1;
}

/* What a Japanese reading holds. */
typedef struct {
    long score;
    int kana;    /* full-width kana */
    int run;     /* longest run of full-width Japanese characters in place */
    int odd;     /* characters out of place: the reading of something else */
    int full;    /* full-width Japanese characters in place */
    size_t first_odd;   /* byte offset of the first odd one */
} japanese_reading;

/* Weight of one character of a Japanese reading between prev and next;
 * hw_units: bytes of a half-width kana (CP932 1, EUC-JP 2), so that the
 * bytes of a kanji and of two half-width kana weigh alike. */
static int japanese_weight(uint32_t prev, uint32_t cp, uint32_t next, int hw_units, japanese_reading *r)
{
    if (kana(cp)) { r->kana++; return 3; }
    if (kanji(cp)) {
        if (prev < 0x80 && next < 0x80 && (ascii_letter(prev) || ascii_letter(next))) {
            r->odd++;      /* a lone kanji inside an ASCII word: caf撤 */
            return -2;
        }
        return 2;
    }
    if (cp >= 0x3000 && cp <= 0x303F) return 2;           /* 、。「」 */
    if (cp >= 0xFF01 && cp <= 0xFF5E) return 1;           /* full-width ASCII */
    if (hw_kana(cp)) {
        int w = hw_weight(prev, cp, next);
        if (w < 0) r->odd++;
        return w > 0 ? w * hw_units : w;
    }
    if (document_symbol(cp)) return 1;
    if (cp >= 0xE000 && cp <= 0xF8FF) { r->odd++; return -5; }   /* private use */
    return -1;
}

static void weigh_japanese(const char *s, size_t n, int hw_units, japanese_reading *r)
{
    uint32_t prev = 0, cp = 0, next = 0;
    size_t i = 0, k = n ? ctl_utf8_decode(s, n, &cp) : 0;
    int run = 0;
    memset(r, 0, sizeof *r);
    while (i < n) {
        size_t j = i + k, kn = j < n ? ctl_utf8_decode(s + j, n - j, &next) : 0;
        if (j >= n) next = 0;
        int odd = r->odd, w = cp < 0x80 ? 0 : japanese_weight(prev, cp, next, hw_units, r);
        if (!odd && r->odd) r->first_odd = i;
        r->score += w;
        run = w > 0 && japanese_char(cp) && !hw_kana(cp) ? run + 1 : 0;
        r->full += run > 0;
        if (run > r->run) r->run = run;
        prev = cp;
        cp = next;
        i = j;
        k = kn;
    }
}

/* Clearly Japanese: nothing out of place, and kana or a run of two kanji. */
static int clearly_japanese(const japanese_reading *r)
{
    return !r->odd && r->score > 0 && (r->kana || r->run >= 2);
}

/* ---- how plausible a UTF-8 reading is ---- */
enum { PLAUSIBLE, DOUBTFUL, IMPLAUSIBLE };

/* 1 Latin, 2 Greek, 3 Cyrillic, else a number per block of 128. */
static int script_of(uint32_t c)
{
    if (c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF)) return 1;
    if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF)) return 2;
    if (c >= 0x400 && c <= 0x52F) return 3;
    return 4 + (int)(c >> 7);
}

/* Letters that a word without ASCII letters does not hold: Latin
 * Extended-B, IPA and modifier letters, archaic Greek and Coptic, archaic
 * Cyrillic (EUC-JP 任命 is Ǥ̿ in UTF-8, 分無 ʬ̵, 予測 ͽ¬). */
static int rare_letter(uint32_t c)
{
    return (c >= 0x180 && c <= 0x2FF) || (c >= 0x370 && c <= 0x385) || (c >= 0x3CF && c <= 0x3FF)
           || (c >= 0x460 && c <= 0x489);
}

/* Signs that Unicode calls letters: µ, ª, º. */
static int letter_sign(uint32_t c) { return c == 0xB5 || c == 0xAA || c == 0xBA; }

static int is_mark(utf8proc_category_t k)
{
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}

/* Letters and marks that make words, other than Japanese and CJK. */
static int word_char(uint32_t c)
{
    if (c < 0x80) return ascii_letter(c);
    if (japanese_char(c) || rare_ideograph(c) || letter_sign(c)) return 0;
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) || is_mark(k);
}

/* A word w[0..n) between before and after: with an ASCII letter it is
 * plausible (café, kΩ, μs); made of one script, a word of two letters or
 * more is, except Latin letters without an ASCII one (ˡŪ, Ĵã: EUC-JP 法的,
 * 調達) and rare letters; a single Greek letter is a symbol (β, Ω, β版);
 * other single letters are doubtful (Ū alone is 的), and implausible glued
 * to Japanese. */
static int word_plausibility(const uint32_t *w, size_t n, uint32_t before, uint32_t after)
{
    size_t letters = 0;
    int script = 0, mixed = 0, ascii = 0, rare = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < 0x80) { ascii = 1; continue; }
        if (is_mark(utf8proc_category((utf8proc_int32_t)w[i]))) {
            if (!i) return IMPLAUSIBLE;            /* a mark on nothing */
            continue;
        }
        int sc = script_of(w[i]);
        if (letters++ && sc != script) mixed = 1;
        if (rare_letter(w[i])) rare = 1;
        script = sc;
    }
    if (!letters || ascii) return PLAUSIBLE;
    if (mixed || rare) return IMPLAUSIBLE;
    if (script == 2 && letters == 1) return PLAUSIBLE;
    if (japanese_char(before) || japanese_char(after)) return IMPLAUSIBLE;
    if (script == 1) return letters == 1 ? DOUBTFUL : IMPLAUSIBLE;
    return letters == 1 ? DOUBTFUL : PLAUSIBLE;
}

/* The least plausible part of s[0..n) (valid UTF-8, at most SHORT_INPUT
 * bytes): words as above; Japanese characters, symbols, punctuation and
 * digits are plausible anywhere; rare ideographs and format characters
 * doubtful; unassigned, private-use and control characters implausible. */
static int utf8_plausibility(const char *s, size_t n)
{
    uint32_t cp[SHORT_INPUT];
    size_t m = 0;
    for (size_t i = 0; i < n && m < SHORT_INPUT;) i += ctl_utf8_decode(s + i, n - i, &cp[m++]);
    int worst = PLAUSIBLE;
    for (size_t i = 0, j; i < m; i = j) {
        int v = PLAUSIBLE;
        j = i + 1;
        if (word_char(cp[i])) {
            while (j < m && word_char(cp[j])) j++;
            v = word_plausibility(cp + i, j - i, i ? cp[i - 1] : 0, j < m ? cp[j] : 0);
        } else if (rare_ideograph(cp[i])) {
            v = DOUBTFUL;
        } else if (cp[i] >= 0x80 && !japanese_char(cp[i]) && !document_symbol(cp[i])) {
            utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)cp[i]);
            if (k == UTF8PROC_CATEGORY_CN || k == UTF8PROC_CATEGORY_CO || k == UTF8PROC_CATEGORY_CS
                || k == UTF8PROC_CATEGORY_CC)
                v = IMPLAUSIBLE;
            else if (k == UTF8PROC_CATEGORY_CF)
                v = DOUBTFUL;
        }
        if (v > worst) worst = v;
    }
    return worst;
}

/* Bytes of the first `chars` characters of s[0..n), up to a line end or tab. */
static int span_chars(const char *s, size_t n, int chars)
{
    size_t i = 0;
    uint32_t cp;
    while (i < n && (unsigned char)s[i] >= 0x20 && chars-- > 0) i += ctl_utf8_decode(s + i, n - i, &cp);
    return (int)i;
}

/* Where two readings first differ (a character boundary in both). */
static size_t first_difference(const char *x, size_t nx, const char *y, size_t ny)
{
    size_t i = 0, at = 0;
    uint32_t cp;
    while (i < nx && i < ny && x[i] == y[i]) i++;
    while (at < i) {
        size_t k = ctl_utf8_decode(x + at, nx - at, &cp);
        if (at + k > i) break;
        at += k;
    }
    return at;
}

/* Evidence that rests on one or two characters is weak: a reading with
 * at most two characters over ASCII. */
static int few_chars(const char *s, size_t n)
{
    int chars = 0;
    for (size_t i = 0; i < n && chars <= 2; i++) chars += (unsigned char)s[i] >= 0xC0;
    return chars <= 2;
}

/* Signs that text uses alone (§, ½, °, ×) and Greek letters that look
 * like no Latin one (Ω, phase β): their UTF-8 bytes are also EUC-JP
 * kanji, and UTF-8 is kept. */
static int common_sign(uint32_t c)
{
    if (c >= 0x3B1 && c <= 0x3C9) return 1;
    if (c < 0x80 || c > 0x7FF) return 0;
    char u[3] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)), 0};
    return strstr("¡¢£¥¦§©«®°±µ¶·»¼½¾¿×÷ΓΔΘΛΞΠΣΦΨΩ", u) != NULL;
}

static int only_common_signs(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += ctl_utf8_decode(s + i, n - i, &c);
        if (c >= 0x80 && !common_sign(c)) return 0;
    }
    return 1;
}

/* The CP932 reading into a, the EUC-JP-MS one into b; a reading with
 * C1 control characters is no reading (ok 0, the first one recorded).
 * 0 when out of memory. */
static int japanese_readings(const unsigned char *in, size_t len, ctl_buf *a, ctl_buf *b,
                             decode_result *rc, decode_result *re)
{
    *rc = decode_with("CP932", in, len, a);
    *re = decode_with("EUC-JP-MS", in, len, b);
    if (rc->ok == -1 || re->ok == -1) return 0;
    if (rc->ok == 1 && has_controls_at(a->data, a->len, 1, rc)) rc->ok = 0;
    if (re->ok == 1 && has_controls_at(b->data, b->len, 1, re)) re->ok = 0;
    return 1;
}

/* ---- a short input that is valid UTF-8 and also EUC-JP or CP932 ----
 * Read as Japanese only when that reading is clearly Japanese and the
 * UTF-8 one is implausible.  Else UTF-8 (the bytes are valid UTF-8, and
 * ctlconv writes UTF-8): in silence when the UTF-8 reading is plausible
 * and holds Japanese itself or the other not strong (kana, or a run of
 * three kanji), or the
 * UTF-8 one doubtful and the Japanese one half-width kana only; with a
 * warning that names both readings otherwise, and whenever the Japanese
 * reading has one or two characters (EUC-JP 望 is ˾) and the UTF-8 one
 * holds more than the signs and Greek letters of common_sign.  Longer
 * inputs and UTF-8 readings made only of Japanese characters and symbols
 * stay UTF-8. */

/* A Japanese reading: 3 clear, 2 a claim with kanji or kana, 1 a claim
 * with half-width kana only (what UTF-8 Latin-1 letters read as in
 * CP932: é is ﾃｩ), 0 none. */
static int japanese_rank(int decoded, const japanese_reading *r)
{
    if (!decoded || r->odd || r->score <= 0) return 0;
    return clearly_japanese(r) ? 3 : r->full ? 2 : 1;
}

/* For a short valid UTF-8 input with bytes over 0x7F: the Japanese
 * reading, when it wins, goes into *a and *used; else *a is left empty. */
static ctl_status weigh_short_utf8(ctl_ctx *ctx, const char *file, const unsigned char *in,
                                   size_t len, ctl_buf *a, ctl_buf *b, const char **used)
{
    const char *s = (const char *)in;
    int all = 1, japanese = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += ctl_utf8_decode(s + i, len - i, &c);
        if (!(c < 0x80 || japanese_char(c) || document_symbol(c))) all = 0;
        japanese |= kana(c) || kanji(c);
    }
    if (all) return CTL_OK;
    decode_result rc, re;
    if (!japanese_readings(in, len, a, b, &rc, &re)) return ctl_nomem(ctx);
    japanese_reading jc = {0}, je = {0};
    int dc = rc.ok == 1, de = re.ok == 1;
    if (dc) weigh_japanese(a->data, a->len, 1, &jc);
    if (de) weigh_japanese(b->data, b->len, 2, &je);
    int kc = japanese_rank(dc, &jc), ke = japanese_rank(de, &je);
    int euc = ke > kc || (ke == kc && je.score > jc.score);
    int rank = euc ? ke : kc;
    const japanese_reading *j = euc ? &je : &jc;
    const char *enc = euc ? "EUC-JP-MS" : "CP932";
    if (euc) { ctl_buf t = *a; *a = *b; *b = t; }
    if (!rank) { a->len = 0; return CTL_OK; }
    int u = utf8_plausibility(s, len);
    if (u == IMPLAUSIBLE && rank == 3) {
        *used = enc;
        if (j->score < STRONG_JAPANESE || !j->kana)
            return ctl_warn(ctx, CTL_D_ENCODING_WEAK, file, 0, "encoding is ambiguous: valid UTF-8, but reads more like "
                            "Japanese as %s; used %s, UTF-8 if that is wrong", enc, enc);
        return CTL_OK;
    }
    ctl_status st = CTL_OK;
    /* UTF-8 Japanese read as CP932 has kana too (する is 縺吶ｋ) */
    int strong = rank == 3 && (j->kana || j->run >= 3) && !japanese;
    /* a Japanese reading of one or two characters is too little to rule
     * it out, unless UTF-8 holds only signs such text uses */
    int weak = few_chars(a->data, a->len) && !only_common_signs(s, len);
    if (u == IMPLAUSIBLE || (u == DOUBTFUL && rank >= 2) || strong || weak) {
        size_t at = first_difference(s, len, a->data, a->len);
        st = ctl_warn(ctx, CTL_D_ENCODING_WEAK, file, 0, "encoding is ambiguous: reads as UTF-8 and as %s; used UTF-8, "
                      "%s if that is wrong (first difference: UTF-8 \"%.*s\", %s \"%.*s\")",
                      enc, enc, span_chars(s + at, len - at, 3), s + at, enc,
                      span_chars(a->data + at, a->len - at, 3), a->data + at);
    }
    a->len = 0;
    return st;
}

/* ---- CP932 against EUC-JP-MS ----
 * Both readings weighed as above.  EUC-JP half-width kana are 0x8E and a
 * byte 0xA1-0xDF, which CP932 reads as kanji of its row 0x8E: a run of
 * them (two kanji of one row side by side, again and again) counts
 * against the CP932 reading.  A close call, or a reading of one or two
 * characters (EUC-JP ｱ is CP932 竺), warns with both readings. */
static long euc_hw_pairs(const unsigned char *in, size_t len)
{
    long n = 0;
    for (size_t i = 0; i + 3 < len; i++)
        if (in[i] == 0x8E && in[i + 2] == 0x8E && in[i + 1] >= 0xA1 && in[i + 1] <= 0xDF
            && in[i + 3] >= 0xA1 && in[i + 3] <= 0xDF)
            n++, i++;
    return n;
}

/* Scores this close are weak evidence: within 4, or a quarter of the best. */
static int close_call(long sc, long se)
{
    long d = sc > se ? sc - se : se - sc, best = sc > se ? sc : se;
    return d < 4 || d * 4 < best;
}

/* how: " equally well", ", a little better as CP932" or the like */
static ctl_status warn_close(ctl_ctx *ctx, const char *file, ctl_diag code, const ctl_buf *cp932,
                             const ctl_buf *euc, const char *how, const char *enc)
{
    size_t at = first_difference(cp932->data, cp932->len, euc->data, euc->len);
    return ctl_warn(ctx, code, file, 0, "encoding is ambiguous: reads as CP932 and as EUC-JP-MS%s; used %s (first "
                    "difference: CP932 \"%.*s\", EUC-JP-MS \"%.*s\")", how, enc,
                    span_chars(cp932->data + at, cp932->len - at, 3), cp932->data + at,
                    span_chars(euc->data + at, euc->len - at, 3), euc->data + at);
}

static const char *canonical_name(const char *enc)
{
    static const char *const known[] = {"UTF-8", "UTF-16LE", "UTF-16BE", "UTF-16", "CP932",
                                        "EUC-JP-MS", "EUC-JP", "SHIFT_JIS", "ISO-2022-JP",
                                        "WINDOWS-1252", "ISO-8859-1", NULL};
    for (size_t i = 0; known[i]; i++)
        if (!strcasecmp(enc, known[i])) return known[i];
    if (!strcasecmp(enc, "utf8")) return "UTF-8";
    if (!strcasecmp(enc, "windows-31j") || !strcasecmp(enc, "ms932") || !strcasecmp(enc, "sjis-win"))
        return "CP932";
    if (!strcasecmp(enc, "eucjp-ms") || !strcasecmp(enc, "eucjp-win")) return "EUC-JP-MS";
    if (!strcasecmp(enc, "eucjp")) return "EUC-JP";
    return NULL;
}

static ctl_status undecodable(ctl_ctx *ctx, const char *file, const unsigned char *in, size_t len,
                              const char *enc, const decode_result *r, const ctl_buf *out,
                              const char *what, const char *hint)
{
    long line = line_at(out->data ? out->data : "", r->good_len);
    if (r->truncated || r->bad_offset >= len)
        return ctl_fail(ctx, CTL_D_UNDECODABLE, file, line,
                        "%s%s: truncated multi-byte sequence at the end (byte offset %zu)%s", what,
                        enc, r->bad_offset, hint);
    return ctl_fail(ctx, CTL_D_UNDECODABLE, file, line,
                    "%s%s: undecodable byte 0x%02X at byte offset %zu%s", what, enc,
                    in[r->bad_offset], r->bad_offset, hint);
}

/* uchardet's name for in[0..len) into guess ("" when it has none). */
static void uchardet_guess(const unsigned char *in, size_t len, char *guess, size_t cap)
{
    guess[0] = '\0';
    uchardet_t ud = uchardet_new();
    if (!ud) return;
    if (uchardet_handle_data(ud, (const char *)in, len) == 0) {
        uchardet_data_end(ud);
        snprintf(guess, cap, "%s", uchardet_get_charset(ud));
    }
    uchardet_delete(ud);
}

/* Start of the character `chars` characters before s[at], not before the
 * start of its line. */
static size_t back_chars(const char *s, size_t at, int chars)
{
    while (at > 0 && chars > 0 && s[at - 1] != '\n' && s[at - 1] != '\r') {
        at--;
        if (((unsigned char)s[at] & 0xC0) != 0x80) chars--;
    }
    return at;
}

/* ---- a Japanese reading that is the only one that decodes ----
 * Nothing to weigh it against, so it must read as Japanese by itself.
 * Windows-1252 (Excel's CSV on Western systems) often decodes as CP932:
 * ° ± ® É Ü are half-width katakana there, alone among Latin letters
 * (18°C is 18ｰC), and an accented letter before another letter is a
 * kanji glued to a word (naïve is na鍍e).  Kept in silence when the
 * reading weighs above 0 with nothing out of place, or holds kana or a
 * run of kanji; with a warning when it weighs above 0 all the same, has
 * nothing out of place (nor anything Japanese: ･ bullets alone), or holds
 * one or two characters (too few to tell); else refused, naming
 * uchardet's guess. */
static ctl_status only_reading(ctl_ctx *ctx, const char *file, const unsigned char *in, size_t len,
                               const ctl_buf *t, int hw_units, const char *enc)
{
    japanese_reading j;
    weigh_japanese(t->data, t->len, hw_units, &j);
    if (j.score > 0 && (!j.odd || j.kana || j.run >= 2)) return CTL_OK;
    size_t first = j.first_odd;
    if (!j.odd)
        for (first = 0; first < t->len && (unsigned char)t->data[first] < 0x80; first++) continue;
    size_t at = back_chars(t->data, first, 4);
    int span = span_chars(t->data + at, t->len - at, 12);
    long line = line_at(t->data, first);
    if (j.score > 0 || !j.odd || few_chars(t->data, t->len))
        return ctl_warn(ctx, CTL_D_ENCODING_WEAK, file, line, "encoding is uncertain: reads only as %s, %s (\"%.*s\"); "
                        "used %s", enc, few_chars(t->data, t->len) ? "on too few characters to tell"
                        : j.odd ? "with characters out of place in Japanese text" : "with nothing Japanese in it",
                        span, t->data + at, enc);
    char guess[64], hint[96] = "";
    uchardet_guess(in, len, guess, sizeof guess);
    if (guess[0] && strcasecmp(guess, "ASCII") && strcasecmp(guess, "SHIFT_JIS") && strcasecmp(guess, "EUC-JP"))
        snprintf(hint, sizeof hint, "; uchardet guesses %s", guess);
    return ctl_fail(ctx, CTL_D_UNDECODABLE, file, line, "reads only as %s, and not as Japanese text: %d "
                    "character%s out of place, the first in \"%.*s\" (mojibake of another encoding, such as "
                    "Windows-1252); not decoded%s", enc, j.odd, j.odd == 1 ? "" : "s", span, t->data + at, hint);
}

ctl_status ctl_decode(ctl_ctx *ctx, const char *file, const unsigned char *in, size_t len,
                      const char *encoding, char **out, size_t *out_len, const char **used)
{
    ctl_buf a = {0}, b = {0};
    ctl_status st = CTL_OK;
    *out = NULL;
    *out_len = 0;
    *used = NULL;

    /* An explicit encoding: that one, BOM skipped where it has one. */
    if (encoding) {
        const char *name = canonical_name(encoding);
        const char *enc = name ? name : encoding;
        const unsigned char *p = in;
        size_t n = len;
        if (!strcasecmp(enc, "UTF-8") && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) { p += 3; n -= 3; }
        decode_result r = decode_with(enc, p, n, &a);
        if (r.ok == -2) {
            st = ctl_fail(ctx, CTL_D_UNKNOWN_ENCODING, NULL, 0, "unknown encoding '%s' (see iconv -l)", encoding);
            goto out;
        }
        if (r.ok == -1) { st = ctl_nomem(ctx); goto out; }
        if (!r.ok) {
            r.bad_offset += (size_t)(p - in);
            st = undecodable(ctx, file, in, len, enc, &r, &a, "not valid ", "");
            goto out;
        }
        /* UTF-16 with a BOM decoded by "UTF-16" drops it; a BOM left by an
         * explicit UTF-16LE/BE is removed here */
        if (a.len >= 3 && !memcmp(a.data, "\xEF\xBB\xBF", 3)) {
            memmove(a.data, a.data + 3, a.len - 2);
            a.len -= 3;
        }
        *used = name ? name : "given";
        goto success;
    }

    /* Byte-order marks. */
    {
        const char *bom_enc = NULL;
        size_t skip = 0;
        if (len >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) { bom_enc = "UTF-8"; skip = 3; }
        else if (len >= 2 && in[0] == 0xFF && in[1] == 0xFE) { bom_enc = "UTF-16LE"; skip = 2; }
        else if (len >= 2 && in[0] == 0xFE && in[1] == 0xFF) { bom_enc = "UTF-16BE"; skip = 2; }
        if (bom_enc) {
            if (!strcmp(bom_enc, "UTF-8")) {
                size_t ok = ctl_utf8_valid_prefix(in + skip, len - skip);
                if (ok != len - skip) {
                    decode_result r = {0, skip + ok, ok, utf8_cut_short(in + skip + ok, len - skip - ok), 0, 0, 0};
                    ctl_buf view = {(char *)in + skip, ok, ok};
                    st = undecodable(ctx, file, in, len, "UTF-8", &r, &view,
                                     "starts with a UTF-8 byte-order mark but is not valid ", "");
                    goto out;
                }
            }
            decode_result r = decode_with(bom_enc, in + skip, len - skip, &a);
            if (r.ok == -1) { st = ctl_nomem(ctx); goto out; }
            if (r.ok != 1) {
                r.bad_offset += skip;
                st = undecodable(ctx, file, in, len, bom_enc, &r, &a, "not valid ", "");
                goto out;
            }
            *used = bom_enc;
            goto success;
        }
    }

    /* A NUL byte: not a text file (UTF-16 without a BOM must be named). */
    {
        const unsigned char *nul = memchr(in, 0, len);
        if (nul) {
            size_t off = (size_t)(nul - in);
            st = ctl_fail(ctx, CTL_D_BINARY_INPUT, file, 0,
                          "binary data: NUL byte at byte offset %zu (not a text file; or UTF-16 "
                          "without a byte-order mark: UTF-16LE or UTF-16BE)", off);
            goto out;
        }
    }

    /* Strict UTF-8. */
    size_t valid = ctl_utf8_valid_fast(in, len);
    if (valid == len) {
        /* 7-bit ISO-2022-JP (JIS) is valid UTF-8 too: its escapes give it away */
        if (memchr(in, 0x1B, len) && (memmem(in, len, "\x1b$B", 3) || memmem(in, len, "\x1b$@", 3))) {
            decode_result r = decode_with("ISO-2022-JP", in, len, &a);
            if (r.ok == -1) { st = ctl_nomem(ctx); goto out; }
            if (r.ok == 1) { *used = "ISO-2022-JP"; goto success; }
            a.len = 0;
        }
        int high = 0;
        for (size_t i = 0; i < len && !high; i++) high = in[i] >= 0x80;
        if (high && len <= SHORT_INPUT) {
            if ((st = weigh_short_utf8(ctx, file, in, len, &a, &b, used)) != CTL_OK) goto out;
            if (*used) goto success;
        }
        if (!ctl_buf_add(&a, (const char *)in, len)) { st = ctl_nomem(ctx); goto out; }
        *used = "UTF-8";
        goto success;
    }

    /* CP932 against EUC-JP-MS. */
    decode_result rc, re;
    if (!japanese_readings(in, len, &a, &b, &rc, &re)) { st = ctl_nomem(ctx); goto out; }
    if (rc.ok == 1 && re.ok == 1) {
        japanese_reading jc, je;
        weigh_japanese(a.data, a.len, 1, &jc);
        weigh_japanese(b.data, b.len, 2, &je);
        long sc = jc.score - euc_hw_pairs(in, len), se = je.score;
        const char *enc = se > sc ? "EUC-JP-MS" : "CP932";
        int close = close_call(sc, se), weak = close || few_chars(a.data, a.len) || few_chars(b.data, b.len);
        if (sc == se) st = warn_close(ctx, file, CTL_D_ENCODING_AMBIGUOUS, &a, &b, " equally well", enc);
        else if (weak)
            st = warn_close(ctx, file, CTL_D_ENCODING_WEAK, &a, &b, !close ? ", too few characters to tell"
                            : se > sc ? ", a little better as EUC-JP-MS" : ", a little better as CP932", enc);
        if (st != CTL_OK) goto out;
        if (se > sc) {
            ctl_buf t = a; a = b; b = t;
            *used = "EUC-JP-MS";
        } else {
            *used = "CP932";
        }
        goto success;
    }
    if (rc.ok == 1) {
        if ((st = only_reading(ctx, file, in, len, &a, 1, "CP932")) != CTL_OK) goto out;
        *used = "CP932";
        goto success;
    }
    if (rc.controls || re.controls) {
        /* it decodes, but to a control character no list holds (a DOS ^Z
         * at the end, a stray byte): say that, where it is */
        const decode_result *r = rc.controls ? &rc : &re;
        const ctl_buf *t = rc.controls ? &a : &b;
        st = ctl_fail(ctx, CTL_D_CONTROL_CHARACTER, file, line_at(t->data, r->control_at), "reads as %s except "
                      "for a control character U+%04X, which no text list holds; remove it, or name "
                      "the encoding if the file is in another one", rc.controls ? "CP932" : "EUC-JP-MS",
                      r->control_cp);
        goto out;
    }
    if (re.ok == 1) {
        if ((st = only_reading(ctx, file, in, len, &b, 2, "EUC-JP-MS")) != CTL_OK) goto out;
        ctl_buf t = a; a = b; b = t;
        *used = "EUC-JP-MS";
        goto success;
    }

    /* Last resort: uchardet.  Only a Japanese or Unicode verdict that
     * decodes cleanly is used; any other guess (it will call a damaged
     * CP932 file WINDOWS-1252) is only mentioned in the error. */
    char guess[64];
    {
        uchardet_guess(in, len, guess, sizeof guess);
        static const char *const usable[] = {"ISO-2022-JP", "UTF-16LE", "UTF-16BE", "UTF-32LE",
                                             "UTF-32BE", NULL};
        for (size_t i = 0; usable[i]; i++) {
            if (strcasecmp(guess, usable[i])) continue;
            ctl_buf g = {0};
            decode_result rg = decode_with(usable[i], in, len, &g);
            if (rg.ok == 1 && !has_controls_at(g.data, g.len, 0, NULL)) {
                ctl_buf_free(&a);
                a = g;
                *used = usable[i];
                if ((st = ctl_warn(ctx, CTL_D_ENCODING_GUESSED, file, 0, "encoding guessed as %s by uchardet; check the "
                                   "text", usable[i])) != CTL_OK)
                    goto out;
                goto success;
            }
            ctl_buf_free(&g);
            if (rg.ok == -1) { st = ctl_nomem(ctx); goto out; }
        }
    }

    /* Nothing decodes: report the reading that got furthest. */
    {
        decode_result ru = {0, valid, valid, utf8_cut_short(in + valid, len - valid), 0, 0, 0};
        ctl_buf view = {(char *)in, valid, valid};
        const decode_result *best = &ru;
        const ctl_buf *bbuf = &view;
        const char *bname = "UTF-8";
        if (rc.bad_offset > best->bad_offset) { best = &rc; bbuf = &a; bname = "CP932"; }
        if (re.bad_offset > best->bad_offset) { best = &re; bbuf = &b; bname = "EUC-JP-MS"; }
        char hint[256] = "";
        /* name the encodings we recommend, not their narrower relatives */
        const char *name = !strcasecmp(guess, "SHIFT_JIS") ? "CP932"
                         : !strcasecmp(guess, "EUC-JP") ? "EUC-JP-MS" : guess;
        if (guess[0] && strcasecmp(guess, "ASCII"))
            snprintf(hint, sizeof hint, "; uchardet guesses %s", name);
        st = undecodable(ctx, file, in, len, bname, best, bbuf,
                         "not valid UTF-8, CP932 or EUC-JP; read furthest as ", hint);
        goto out;
    }

success:
    if (!a.data && !ctl_buf_add(&a, "", 0)) { st = ctl_nomem(ctx); goto out; }
    {
        const char *nul = memchr(a.data, 0, a.len);
        if (nul) {
            st = ctl_fail(ctx, CTL_D_BINARY_INPUT, file, line_at(a.data, (size_t)(nul - a.data)),
                          "a NUL character in the text (decoded as %s): not a text file", *used);
            goto out;
        }
    }
    *out_len = a.len;
    *out = ctl_buf_take(&a);
out:
    if (st != CTL_OK) *used = NULL;
    ctl_buf_free(&a);
    ctl_buf_free(&b);
    return st;
}

/* ------------------------------------------------------- decoding in parts */

struct ctl_decoder {
    iconv_t cd;          /* (iconv_t)-1: UTF-8, validated here */
    size_t offset;       /* input bytes consumed so far */
    int started;         /* output was produced (a BOM is dropped only first) */
    int jis_guard;       /* UTF-8 detected, not given: a JIS escape stops it */
};

void ctl_decoder_guard_jis(ctl_decoder *d) { d->jis_guard = 1; }

/* The first JIS X 0208 designation (ESC $ @, ESC $ B) in s, or n; an ESC
 * that ends s and may begin one sets *cut. */
static size_t jis_escape(const unsigned char *s, size_t n, int *cut)
{
    *cut = 0;
    for (const unsigned char *p = memchr(s, 0x1B, n); p; p = memchr(p + 1, 0x1B, n - (size_t)(p + 1 - s))) {
        size_t at = (size_t)(p - s);
        if (at + 1 == n || (at + 2 == n && p[1] == '$')) { *cut = 1; return at; }
        if (p[1] == '$' && (p[2] == '@' || p[2] == 'B')) return at;
        if (at + 1 >= n) break;
    }
    return n;
}

int ctl_decoder_open(const char *encoding, ctl_decoder **d)
{
    *d = NULL;
    const char *name = canonical_name(encoding);
    const char *enc = name ? name : encoding;
    iconv_t cd = (iconv_t)-1;
    if (strcasecmp(enc, "UTF-8") && (cd = iconv_open("UTF-8", enc)) == (iconv_t)-1) return 0;
    ctl_decoder *n = ctl_malloc(sizeof *n);
    if (!n) {
        if (cd != (iconv_t)-1) iconv_close(cd);
        return -1;
    }
    n->cd = cd;
    n->offset = 0;
    n->started = 0;
    *d = n;
    return 1;
}

void ctl_decoder_free(ctl_decoder *d)
{
    if (!d) return;
    if (d->cd != (iconv_t)-1) iconv_close(d->cd);
    ctl_free(d);
}

/* in[0..n) through iconv into out; *used bytes taken, *stop the errno
 * that stopped it (0: all taken). */
static int iconv_part(ctl_decoder *d, const unsigned char *in, size_t n, int final, ctl_buf *out,
                      size_t *used, int *stop)
{
    char *ip = (char *)in;
    size_t il = n;
    *stop = 0;
    for (;;) {
        if (!ctl_buf_reserve(out, il + il / 2 + 64)) return -1;
        char *op = out->data + out->len;
        size_t ol = out->cap - out->len - 1, before = ol;
        size_t rc = il ? iconv(d->cd, &ip, &il, &op, &ol) : final ? iconv(d->cd, NULL, NULL, &op, &ol) : 0;
        out->len += before - ol;
        out->data[out->len] = '\0';
        if (rc != (size_t)-1 && !il) break;
        if (rc != (size_t)-1 || errno == E2BIG) {
            if (!ctl_buf_reserve(out, out->cap)) return -1;
            continue;
        }
        *stop = errno;
        break;
    }
    *used = (size_t)(ip - (char *)in);
    return 1;
}

size_t ctl_utf8_valid_fast(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i == len) break;
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        /* leads whose every continuation is valid: C2-DF; E1-EC, EE, EF
         * (E0 and ED, F0-F4 restrict theirs: checked in full) */
        size_t n = c >= 0xC2 && c <= 0xDF ? 2 : (c >= 0xE1 && c <= 0xEF && c != 0xED) ? 3 : 0;
        if (n && len - i >= n && (s[i + 1] & 0xC0) == 0x80 && (n == 2 || (s[i + 2] & 0xC0) == 0x80)) {
            i += n;
            continue;
        }
        n = c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!n || len - i < n || ctl_utf8_valid_prefix(s + i, n) != n) return i;
        i += n;
    }
    return i;
}

int ctl_decoder_feed(ctl_decoder *d, const unsigned char *in, size_t n, int final, ctl_buf *out, size_t *used,
                     ctl_decode_fault *f)
{
    size_t from = out->len;
    int stop = 0;
    memset(f, 0, sizeof *f);
    if (d->cd == (iconv_t)-1) {
        size_t ok = ctl_utf8_valid_fast(in, n);
        int cut = 0;
        size_t jis = d->jis_guard ? jis_escape(in, ok, &cut) : ok;
        int escaped = jis < ok;
        if (escaped) ok = jis;
        if (!ctl_buf_add(out, (const char *)in, ok)) return -1;
        *used = ok;
        /* 7-bit ISO-2022-JP is valid UTF-8: its escape stops a UTF-8 guess */
        if (escaped) stop = cut && !final ? EINVAL : EILSEQ;
        else if (ok < n) stop = utf8_cut_short(in + ok, n - ok) ? EINVAL : EILSEQ;
    } else if (iconv_part(d, in, n, final, out, used, &stop) < 0) {
        return -1;
    }
    /* a byte-order mark is no text */
    if (!d->started && out->len - from >= 3 && !memcmp(out->data + from, "\xEF\xBB\xBF", 3)) {
        memmove(out->data + from, out->data + from + 3, out->len - from - 2);
        out->len -= 3;
    }
    if (out->len > from || *used) d->started = 1;
    size_t at = d->offset + *used;
    d->offset = at;
    if (stop == EINVAL && !final) return 1;
    if (!stop) return 1;
    f->offset = at;
    f->truncated = stop == EINVAL;
    f->byte = *used < n ? in[*used] : 0;
    return 0;
}

/* ------------------------------------------------------------ encoding out */

struct ctl_encoder {
    iconv_t to, back;
    ctl_buf tmp;
    ctl_change *changes;      /* of the last ctl_encode call */
    size_t n_changes, cap_changes, n_more;
};

/* A cell of millions of changes keeps this many (the context keeps no more
 * warnings than that anyway) and counts the rest. */
enum { MAX_CHANGES = 1000 };

ctl_encoder *ctl_encoder_new(const char *encoding)
{
    ctl_encoder *e = ctl_malloc(sizeof *e);
    if (!e) return NULL;
    memset(e, 0, sizeof *e);
    e->to = iconv_open(encoding, "UTF-8");
    e->back = iconv_open("UTF-8", encoding);
    if (e->to == (iconv_t)-1 || e->back == (iconv_t)-1) {
        if (e->to != (iconv_t)-1) iconv_close(e->to);
        if (e->back != (iconv_t)-1) iconv_close(e->back);
        ctl_free(e);
        return NULL;
    }
    return e;
}

void ctl_encoder_free(ctl_encoder *e)
{
    if (!e) return;
    iconv_close(e->to);
    iconv_close(e->back);
    ctl_buf_free(&e->tmp);
    ctl_free(e->changes);
    ctl_free(e);
}

size_t ctl_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > len || ctl_utf8_valid_prefix((const unsigned char *)s, n) != n) { *cp = c; return 1; }
    uint32_t v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t i = 1; i < n; i++) v = (v << 6) | ((unsigned char)s[i] & 0x3F);
    *cp = v;
    return n;
}

/* Runs cd over in, appending to out; stops at an unconvertible sequence.
 * Returns the bytes of in consumed, or (size_t)-1 when out of memory. */
static size_t convert(iconv_t cd, const char *in, size_t len, ctl_buf *out)
{
    char *ip = (char *)in;
    size_t il = len;
    iconv(cd, NULL, NULL, NULL, NULL);
    for (;;) {
        if (!ctl_buf_reserve(out, il * 2 + 16)) return (size_t)-1;
        char *op = out->data + out->len;
        size_t ol = out->cap - out->len - 1, before = ol;
        size_t rc = iconv(cd, &ip, &il, &op, &ol);
        out->len += before - ol;
        out->data[out->len] = '\0';
        if (rc != (size_t)-1 || errno != E2BIG) break;
    }
    if (!il) {
        char *op = out->data + out->len;
        size_t ol = out->cap - out->len - 1, before = ol;
        iconv(cd, NULL, NULL, &op, &ol);
        out->len += before - ol;
        out->data[out->len] = '\0';
    }
    return len - il;
}

/* Records a change (the first MAX_CHANGES of a call; the rest are
 * counted); 0 when out of memory. */
static int add_change(ctl_encoder *e, uint32_t bad, uint32_t became, size_t at)
{
    if (e->n_changes == MAX_CHANGES) {
        e->n_more++;
        return 1;
    }
    if (e->n_changes == e->cap_changes) {
        size_t cap = e->cap_changes ? e->cap_changes * 2 : 8;
        ctl_change *v = ctl_realloc(e->changes, cap * sizeof *v);
        if (!v) return 0;
        e->changes = v;
        e->cap_changes = cap;
    }
    e->changes[e->n_changes++] = (ctl_change){bad, became, at};
    return 1;
}

/* Character by character: writes each (〓 for one the encoding lacks) and
 * records every one that does not come back the same.  -1: no memory. */
static int encode_each(ctl_encoder *e, const char *s, size_t len, ctl_buf *out)
{
    ctl_buf one = {0}, two = {0};
    int rc = 0;
    size_t at = 0;
    for (size_t pos = 0; pos < len; at++) {
        uint32_t cp, became = 0;
        size_t n = ctl_utf8_decode(s + pos, len - pos, &cp);
        one.len = two.len = 0;
        size_t used = convert(e->to, s + pos, n, &one);
        if (used == (size_t)-1) { rc = -1; break; }
        if (used < n) {
            one.len = 0;
            if (convert(e->to, "\xE3\x80\x93", 3, &one) == (size_t)-1) { rc = -1; break; }   /* 〓 */
            if (!add_change(e, cp, 0, at + 1)) { rc = -1; break; }
        } else {
            if (convert(e->back, one.data, one.len, &two) == (size_t)-1) { rc = -1; break; }
            if (two.len != n || memcmp(two.data, s + pos, n)) {
                if (two.len) ctl_utf8_decode(two.data, two.len, &became);
                if (!add_change(e, cp, became, at + 1)) { rc = -1; break; }
            }
        }
        if (!ctl_buf_add(out, one.data ? one.data : "", one.len)) { rc = -1; break; }
        pos += n;
    }
    ctl_buf_free(&one);
    ctl_buf_free(&two);
    return rc;
}

int ctl_encode(ctl_encoder *e, const char *s, size_t len, int substitute, ctl_buf *out,
               uint32_t *bad, uint32_t *became)
{
    size_t start = out->len;
    *bad = *became = 0;
    e->n_changes = e->n_more = 0;
    /* the usual case: all of it converts and comes back the same */
    size_t used = convert(e->to, s, len, out);
    if (used == (size_t)-1) return -1;
    if (used == len) {
        e->tmp.len = 0;
        if (convert(e->back, out->data + start, out->len - start, &e->tmp) == (size_t)-1) return -1;
        if (e->tmp.len == len && !memcmp(e->tmp.data, s, len)) return 1;
    }
    out->len = start;
    if (encode_each(e, s, len, out) < 0) return -1;
    /* differs, but no single character shows it */
    if (!e->n_changes && !add_change(e, 0xFFFD, 0, 0)) return -1;
    *bad = e->changes[0].bad;
    *became = e->changes[0].became;
    if (!substitute) out->len = start;
    return 0;
}

size_t ctl_encoder_changes(const ctl_encoder *e, const ctl_change **changes, size_t *more)
{
    *changes = e->changes;
    *more = e->n_more;
    return e->n_changes;
}
