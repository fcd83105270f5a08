/* SPDX-License-Identifier: BSD-2-Clause */
/* Inputs read line by line: what the pipeline hands the readers of the
 * formats that stream (CSV, TSV, the text layout, JSON Lines), so that a
 * conversion holds one line of its input, not all of it.  The same
 * ctl_stream_line() walks a text in memory, so that a reader has one loop
 * whether its input is streamed or read whole. */
#include "stream.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

/* The first part is more than the megabyte probes look at (a sample
 * that short would be taken for the whole input). */
enum { HEAD = (1 << 20) + (256 << 10), CHUNK = 256 * 1024 };
static size_t head_size = HEAD, chunk_size = CHUNK;

void ctl_test_stream_head(size_t bytes)
{
    head_size = bytes ? bytes : HEAD;
    chunk_size = bytes ? bytes : CHUNK;
}

size_t ctl_stream_head(void)
{
    return head_size;
}

void ctl_stream_memory(ctl_stream *s, const char *name, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->mode = CTL_STREAM_MEMORY;
    s->buf = (char *)text;
    s->len = s->cap = len;
    s->eof = 1;
    s->max_line = (size_t)-1;
}

ctl_status ctl_stream_open(ctl_ctx *ctx, ctl_stream *s, struct ctl_infile *in, const char *encoding,
                           int detected, size_t max_line)
{
    memset(s, 0, sizeof *s);
    s->name = in->name;
    s->in = in;
    s->mode = encoding ? CTL_STREAM_DECODE : CTL_STREAM_RAW;
    s->detected = detected;
    s->enc = encoding;
    s->max_line = max_line;
    if (encoding) {
        int r = ctl_decoder_open(encoding, &s->dec);
        if (r < 0) return ctl_nomem(ctx);
        if (!r) return ctl_fail(ctx, CTL_D_UNKNOWN_ENCODING, NULL, 0, "unknown encoding '%s' (see iconv -l)", encoding);
        if (detected) ctl_decoder_guard_jis(s->dec);
    }
    s->chunk = chunk_size;
    if (!(s->raw = ctl_malloc(s->chunk + 16))) return ctl_nomem(ctx);
    return CTL_OK;
}

void ctl_stream_close(ctl_stream *s)
{
    if (s->mode == CTL_STREAM_MEMORY) return;
    ctl_decoder_free(s->dec);
    ctl_free(s->buf);
    ctl_free(s->raw);
    memset(s, 0, sizeof *s);
}

size_t ctl_stream_offset(const ctl_stream *s)
{
    return s->given_at;
}

/* The line a text position is on (for messages): the lines given, then
 * the line ends in the text not given yet up to at. */
static long line_of(const ctl_stream *s, size_t at)
{
    long line = s->lines + 1;
    for (size_t i = s->pos; i < at; i++) {
        if (s->buf[i] == '\n') line++;
        else if (s->buf[i] == '\r' && (i + 1 >= at || s->buf[i + 1] != '\n')) line++;
    }
    return line;
}

static ctl_status fail(ctl_stream *s, ctl_status st)
{
    s->st = st;
    return st;
}

/* A decoding failure, worded as a whole-input decode words it; a byte
 * that contradicts the encoding chosen on the first part names
 * --encoding. */
static ctl_status undecodable(ctl_ctx *ctx, ctl_stream *s, const ctl_decode_fault *f)
{
    long line = line_of(s, s->len);
    if (f->truncated)
        return ctl_fail(ctx, CTL_D_UNDECODABLE, s->name, line, "not valid %s: truncated multi-byte sequence at "
                        "the end (byte offset %zu)%s", s->enc, f->offset,
                        s->detected ? " (the input is read as it arrives, as UTF-8 on its first part: name its "
                        "encoding)" : "");
    return ctl_fail(ctx, CTL_D_UNDECODABLE, s->name, line, "not valid %s: undecodable byte 0x%02X at byte offset "
                    "%zu%s", s->enc, f->byte, f->offset,
                    s->detected ? " (the input is read as it arrives, and its first part was UTF-8: name its "
                    "encoding)" : "");
}

/* Room for want more bytes of text. */
static int reserve(ctl_stream *s, size_t want)
{
    if (s->cap - s->len > want) return 1;
    size_t cap = s->cap ? s->cap : 4 * s->chunk;
    while (cap - s->len <= want) {
        if (cap > ((size_t)-1) / 2) return 0;
        cap *= 2;
    }
    char *b = ctl_realloc(s->buf, cap);
    if (!b) return 0;
    s->buf = b;
    s->cap = cap;
    return 1;
}

/* The next bytes of the input after raw[0..raw_len): the rest of the
 * head, then the descriptor's. */
static ctl_status read_more(ctl_ctx *ctx, ctl_stream *s, size_t *got)
{
    struct ctl_infile *in = s->in;
    size_t room = s->chunk + 16 - s->raw_len;
    if (room > s->chunk) room = s->chunk;
    if (s->head_used < in->len) {
        size_t n = in->len - s->head_used < room ? in->len - s->head_used : room;
        memcpy(s->raw + s->raw_len, in->data + s->head_used, n);
        s->head_used += n;
        *got = n;
        return CTL_OK;
    }
    if (in->whole) {
        *got = 0;
        return CTL_OK;
    }
    return ctl_infile_read(ctx, in, s->raw + s->raw_len, room, got);
}

/* Decodes raw[0..raw_len) onto the text; a NUL is no text. */
static ctl_status decode_raw(ctl_ctx *ctx, ctl_stream *s, int final)
{
    size_t used = 0, from = s->len;
    if (s->mode == CTL_STREAM_RAW) {
        if (!reserve(s, s->raw_len)) return ctl_nomem(ctx);
        memcpy(s->buf + s->len, s->raw, s->raw_len);
        s->len += s->raw_len;
        s->raw_len = 0;
        return CTL_OK;
    }
    ctl_buf out = {s->buf, s->len, s->cap};
    ctl_decode_fault f;
    int r = ctl_decoder_feed(s->dec, s->raw, s->raw_len, final, &out, &used, &f);
    s->buf = out.data;
    s->len = out.len;
    s->cap = out.cap;
    if (r < 0) return ctl_nomem(ctx);
    const char *nul = memchr(s->buf + from, 0, s->len - from);
    if (nul && s->detected)
        return ctl_fail(ctx, CTL_D_BINARY_INPUT, s->name, 0, "binary data: NUL byte at byte offset %zu (not a text "
                        "file; or UTF-16 without a byte-order mark: UTF-16LE or UTF-16BE)",
                        s->base + (size_t)(nul - s->buf));
    if (nul)
        return ctl_fail(ctx, CTL_D_BINARY_INPUT, s->name, line_of(s, (size_t)(nul - s->buf)), "a NUL character "
                        "in the text (decoded as %s): not a text file", s->enc);
    if (!r) return undecodable(ctx, s, &f);
    memmove(s->raw, s->raw + used, s->raw_len - used);
    s->raw_len -= used;
    return CTL_OK;
}

/* Moves the text not given yet to the front, and reads and decodes one
 * more part of the input. */
static ctl_status fill(ctl_ctx *ctx, ctl_stream *s)
{
    if (s->pos) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->base += s->pos;
        s->len -= s->pos;
        s->scan -= s->pos;
        s->pos = 0;
    }
    size_t got;
    ctl_status st = read_more(ctx, s, &got);
    if (st != CTL_OK) return st;
    s->raw_len += got;
    if (!got) s->eof = 1;
    return decode_raw(ctx, s, s->eof);
}

ctl_status ctl_stream_line(ctl_ctx *ctx, ctl_stream *s, int cr, const char **line, size_t *len)
{
    *line = NULL;
    *len = 0;
    if (s->st != CTL_OK) return s->st;
    s->taken = 1;
    for (;;) {
        char *p = s->buf + s->scan, *end = s->buf + s->len;
        char *e = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        if (cr) {
            char *r = p < end ? memchr(p, '\r', (size_t)((e ? e : end) - p)) : NULL;
            if (r && r + 1 < end) e = r[1] == '\n' ? r + 1 : r;
            else if (r && s->eof) e = r;
            else if (r) e = NULL, end = r;   /* is an LF next? */
        }
        if (e || (s->eof && s->pos < s->len)) {
            size_t stop = e ? (size_t)(e - s->buf) + 1 : s->len;
            *line = s->buf + s->pos;
            *len = stop - s->pos;
            s->given_at = s->base + s->pos;
            s->pos = s->scan = stop;
            s->lines++;
            return CTL_OK;
        }
        if (s->eof) return CTL_OK;
        s->scan = (size_t)(end - s->buf);
        if (s->len - s->pos > s->max_line)
            return fail(s, ctl_limit_fail(ctx, s->name, s->lines + 1, CTL_LIMIT_INPUT_SIZE, "a line longer than the "
                                          "limit of %zu bytes (an input read as it arrives holds a line at a time)",
                                          s->max_line));
        ctl_status st = fill(ctx, s);
        if (st != CTL_OK) return fail(s, st);
    }
}

ctl_status ctl_stream_slurp(ctl_ctx *ctx, ctl_stream *s, const char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (s->st != CTL_OK) return s->st;
    if (s->taken && s->mode != CTL_STREAM_MEMORY)
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, s->name, 0, "a stream is read whole only before its lines");
    while (!s->eof) {
        if (s->len > s->max_line)
            return fail(s, ctl_limit_fail(ctx, s->name, 0, CTL_LIMIT_INPUT_SIZE, "input is larger than the "
                                          "limit of %zu bytes", s->max_line));
        ctl_status st = fill(ctx, s);
        if (st != CTL_OK) return fail(s, st);
    }
    if (s->mode != CTL_STREAM_MEMORY) {
        if (!reserve(s, 1)) return fail(s, ctl_nomem(ctx));
        s->buf[s->len] = '\0';
    }
    *data = s->buf;
    *len = s->len;
    return CTL_OK;
}
