/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal helpers shared by formats/ and converters/: allocation, a growable
 * byte buffer, item helpers.  Not part of the public API. */
#ifndef CTL_INTERNAL_H
#define CTL_INTERNAL_H

#include "ctlconv.h"
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* All allocation of our own code goes through these, so that a test mode
 * can make the N-th one fail. */
void *ctl_malloc(size_t n);
void *ctl_realloc(void *p, size_t n);
void ctl_free(void *p);
char *ctl_strndup(const char *s, size_t n);
char *ctl_strdup(const char *s);

/* A cell of a table row: text and its length (not necessarily
 * NUL-terminated). */
typedef struct ctl_cell {
    const char *s;
    size_t len;
} ctl_cell;

/* A growable byte buffer, always NUL-terminated once anything was added. */
typedef struct ctl_buf {
    char *data;
    size_t len;
    size_t cap;
} ctl_buf;

int ctl_buf_reserve(ctl_buf *b, size_t extra);            /* 0: no memory */
int ctl_buf_add(ctl_buf *b, const char *s, size_t n);     /* 0: no memory */
int ctl_buf_adds(ctl_buf *b, const char *s);
int ctl_buf_addc(ctl_buf *b, char c);
int ctl_buf_printf(ctl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *ctl_buf_take(ctl_buf *b);                           /* "" if empty; NULL: no memory */
void ctl_buf_free(ctl_buf *b);

/* Records "out of memory" on ctx and returns CTL_ENOMEM. */
ctl_status ctl_nomem(ctl_ctx *ctx);

/* Items. */
void ctl_item_init(ctl_item *it);
void ctl_item_clear(ctl_item *it);                 /* frees, leaves it empty */
ctl_status ctl_item_copy(ctl_ctx *ctx, ctl_item *dst, const ctl_item *src);
/* Gives every NULL string of an item the empty string (static). */
void ctl_item_fill_empty(ctl_item *it);
/* Appends an extra column; 0 when out of memory.  Only for items whose extra
 * array was made by it or by ctl_item_copy (which keep room to grow). */
int ctl_item_add_extra(ctl_item *it, const char *name, const char *value, size_t vlen);
void ctl_meta_clear(ctl_meta *m);
ctl_status ctl_meta_copy(ctl_ctx *ctx, ctl_meta *dst, const ctl_meta *src);
const char *ctl_str(const char *s);                /* s or "" */
/* A shallow copy of m whose missing title, note and annex are "" (what a
 * sink is handed). */
ctl_meta ctl_meta_filled(const ctl_meta *m);
/* Forgets the warnings raised since ctl_warning_count was mark (a guess
 * that was not taken); nothing once the warnings have hit their cap. */
void ctl_warnings_forget_since(ctl_ctx *ctx, size_t mark);
/* Adds n to the items readers handed on through ctx (ctl_items_read). */
void ctl_items_add(ctl_ctx *ctx, size_t n);
/* Holds the diagnostic callback (a guess is being made): what is raised
 * meanwhile is told at the release, unless it was forgotten or cleared.
 * Holds nest. */
void ctl_diag_hold(ctl_ctx *ctx);
void ctl_diag_release(ctl_ctx *ctx);
/* Are all cells empty after trimming? */
int ctl_cells_blank(const ctl_cell *cells, size_t n);
/* An item's references as one cell, "A.5.1.1; iso27001-2022:A.5.1", into
 * out (replacing what it held): those of scheme without a prefix, the
 * others as scheme:id.  Returns 0 when out of memory. */
int ctl_refs_join(ctl_buf *out, const ctl_item *it, const char *scheme);
/* Does a references cell say there are none?  The whole cell, trimmed,
 * NFKC and case folded, a final '.' or '。' aside, is one of: none, n/a,
 * "-", "–", "—", なし, 該当なし. */
int ctl_refs_none(const char *s, size_t len);
/* Would the references cell ctl_refs_join() makes of it read back as the
 * item's references, in a column of the scheme given?  1 yes, 0 no, -1 out
 * of memory.  joined: that cell. */
int ctl_refs_read_back(const ctl_item *it, const char *joined, const char *scheme);
/* A table writer's watch on the references cells it writes: the items
 * whose cell would not read back as their references, counted, the
 * first one's id kept. */
typedef struct {
    size_t n;
    char first[CTL_ID_MAX + 16];
} ctl_refs_watched;
/* Watches one item's cell (ctl_refs_read_back()); 0 when out of memory. */
int ctl_refs_watch(ctl_refs_watched *w, const ctl_item *it, const char *joined, const char *scheme);
/* One refs-changed warning with the count and the first item, if any
 * (fmt: "CSV", "XLSX"...). */
ctl_status ctl_refs_watched_say(const ctl_refs_watched *w, ctl_ctx *ctx, const char *file, const char *fmt);
/* Appends a reference (id[0..idlen) as given); 0 when out of memory. */
int ctl_item_add_ref(ctl_item *it, const char *scheme, const char *id, size_t idlen);
/* The category word of an item: its text, else the Japanese word of its
 * value ("" none). */
const char *ctl_category_word(const ctl_item *it);
/* Exactly one ISMS reference in s[0..len): 1 and *ref (malloc'd, canonical),
 * 0 when s holds anything else, -1 when out of memory. */
int ctl_parse_isms_one(const char *s, size_t len, char **ref);

/* Is s[0..n) a code that is no identifier: what a list prints where its
 * items' numbers go but ctl_parse_id() does not take ("2.1.1(1)-1 a)",
 * "2.1.1(1)(a)(ア)"; a tool's key such as "core" or "annex-a")?  Readers
 * keep it as the label of an item whose id is generated
 * (converters/hierarchy.c: "<parent>#<rank>"), table writers write it
 * back in the id cell (ctl_id_cell()).  A code is no identifier; it is at
 * most CTL_CODE_MAX bytes of valid UTF-8 on one line, without control
 * characters, white space at either end or more than one space inside,
 * nor a first character that starts a spreadsheet formula (= + - @);
 * and it holds an ASCII digit, or is a key: lower-case ASCII letters and
 * digits led by a letter, joined by single '-', '_' or '.', two
 * characters at least, and no value word (true, false, yes, no, none,
 * null, nan).  So prose ("see the note below", "Note: see", "none") is
 * no code. */
enum { CTL_CODE_MAX = 32 };
int ctl_is_code(const char *s, size_t n);

/* UTF-8 helpers. */
/* Length of the valid UTF-8 prefix of s (strict: no overlongs, no
 * surrogates, nothing above U+10FFFF). */
size_t ctl_utf8_valid_prefix(const unsigned char *s, size_t len);
/* The longest prefix of s[0..len) of at most max bytes that ends on a
 * character boundary. */
size_t ctl_utf8_clip(const char *s, size_t len, size_t max);
/* Trims ASCII white space and U+3000 from both ends. */
void ctl_trim(const char **s, size_t *len);

/* Encoding UTF-8 cells to a legacy encoding (CSV output in CP932). */
typedef struct ctl_encoder ctl_encoder;
/* NULL when the encoding is unknown or memory is exhausted. */
ctl_encoder *ctl_encoder_new(const char *encoding);
void ctl_encoder_free(ctl_encoder *e);
/* Appends s[0..len) encoded to out.  Returns 1 when every character was
 * written exactly; 0 when one cannot be: *bad is its code point and
 * *became what the encoder silently wrote instead (decoded back; 0 when it
 * cannot write it at all).  With substitute, a character the encoding lacks
 * is written as U+3013 GETA MARK (〓) and silent substitutions are kept; the
 * return value still reports the first change.  -1: out of memory. */
int ctl_encode(ctl_encoder *e, const char *s, size_t len, int substitute, ctl_buf *out,
               uint32_t *bad, uint32_t *became);
/* One character ctl_encode could not write exactly: its code point, what
 * was written instead (0: nothing, or 〓 with substitute) and its position
 * in the cell (1-based, in characters). */
typedef struct {
    uint32_t bad, became;
    size_t at;
} ctl_change;
/* The changes of the last ctl_encode call, in order (none after a return
 * of 1): the first 1000, and in *more how many followed them. */
size_t ctl_encoder_changes(const ctl_encoder *e, const ctl_change **changes, size_t *more);
/* Decoding an input in parts, as it arrives (converters/encoding.c): a
 * sequence cut by the end of a part is left for the next. */
typedef struct ctl_decoder ctl_decoder;
/* An undecodable byte: its offset in the input, its value, and whether
 * the input ended inside a sequence. */
typedef struct {
    size_t offset;
    unsigned char byte;
    int truncated;
} ctl_decode_fault;
/* encoding: a name iconv knows ("UTF-8" is validated without it).
 * Returns 1; 0 when the encoding is unknown; -1 out of memory. */
int ctl_decoder_open(const char *encoding, ctl_decoder **d);
/* A UTF-8 decoder whose encoding was detected, not given: an ISO-2022-JP
 * escape (ESC $ @, ESC $ B) is an undecodable byte, not text. */
void ctl_decoder_guard_jis(ctl_decoder *d);
void ctl_decoder_free(ctl_decoder *d);
/* Appends in[0..n) decoded to out (a byte-order mark at the start of the
 * input dropped) and sets *used to the bytes taken: all but a sequence the
 * part ends in, unless final.  Returns 1; 0 at an undecodable byte or a
 * sequence the input ends in (*f; out holds the text before it); -1 out
 * of memory. */
int ctl_decoder_feed(ctl_decoder *d, const unsigned char *in, size_t n, int final, ctl_buf *out, size_t *used,
                     ctl_decode_fault *f);
/* ctl_utf8_valid_prefix() made fast for long texts (encoding.c): ASCII
 * a word at a time, the common leads without decoding. */
size_t ctl_utf8_valid_fast(const unsigned char *s, size_t len);
/* Decodes one UTF-8 code point at s (len > 0); returns its length (1 for an
 * invalid byte, whose value is returned in *cp). */
size_t ctl_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Folds a header word (NFKC, case folding, white space removed) into out
 * without allocating; -1 when it does not fit or is longer than 256 bytes. */
int ctl_fold_into(const char *s, size_t len, char *out, size_t size);

/* Writes the UTF-8 form of cp and a NUL into out (at least 5 bytes). */
size_t ctl_utf8_encode(uint32_t cp, char *out);

/* Writes s[0..n) to a writer's stream: 0, or the failure's errno (EIO
 * when the stream gave none).  A writer keeps the first and reports it
 * with ctl_write_failed. */
int ctl_write_err(FILE *out, const char *s, size_t n);

/* The error of a write to the output name (ctl_display_name: "-" is
 * standard output) that failed with errno err: io-error "cannot write
 * standard output: <the system's reason>" ("the output" for another name),
 * out-of-memory for ENOMEM.  One message, whether the writer saw the
 * failure as the output streamed or the staged output was copied at the
 * end (converters/output.c). */
ctl_status ctl_write_failed(ctl_ctx *ctx, const char *name, int err);

/* CP932 output without decoding each cell back (converters/util.c).
 * Found by encoding every Unicode scalar value with glibc's CP932 and
 * decoding it back (tests/unit/test_cp932.c checks it again): every
 * character it writes comes back the same, except the few of
 * ctl_cp932_one_way; and a character other than ASCII is written in bytes
 * of 0x40 and above, so quoting before encoding is quoting after it. */
typedef struct ctl_cp932 ctl_cp932;
/* NULL when iconv has no CP932 or memory is exhausted. */
ctl_cp932 *ctl_cp932_new(void);
void ctl_cp932_free(ctl_cp932 *c);
/* Does glibc write cp in CP932 as another character, or drop it, without
 * an error?  ¢ £ ¥ ¬ — ‖ ‾ − 〜 and the tags U+E0000..U+E007F. */
int ctl_cp932_one_way(uint32_t cp);
/* Appends s[0..len) in CP932 to out when every character is written
 * exactly: 1.  0 when one may not be (one of ctl_cp932_one_way, one CP932
 * lacks, invalid UTF-8): out unchanged, ctl_encode tells which.  -1: out
 * of memory. */
int ctl_cp932_exact(ctl_cp932 *c, const char *s, size_t len, ctl_buf *out);

/* Temporary directories (converters/output.c). */
/* $TMPDIR when set and not empty, else /tmp. */
const char *ctl_tmpdir(void);
/* Creates a private directory ctlconv-RANDOM in ctl_tmpdir(), kept for
 * ctl_remove_temporaries (with what is put in it) until
 * ctl_temp_dir_remove.  *dir is malloc'd. */
ctl_status ctl_temp_dir_create(ctl_ctx *ctx, const char *name, char **dir);
/* Removes dir and the files in it, forgets it and frees it (NULL: nothing). */
void ctl_temp_dir_remove(char *dir);

#endif
