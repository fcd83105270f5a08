/* SPDX-License-Identifier: BSD-2-Clause */
/* The conversion pipeline: read the input, choose its format, decode it if
 * the format travels in legacy encodings, stream it through a writer into a
 * temporary file, and put the result in place only when all went well.  An
 * input larger than its first part, of a format whose reader streams, is
 * read as it arrives (see try_stream), and standard output then gets the
 * output as it is made (ctl_output_through). */
#include "internal.h"
#include "output.h"
#include "hierarchy.h"
#include "rules.h"
#include "pipeline.h"
#include "grc.h"
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Does d (n bytes) hold f's magic? */
static int holds_magic(const ctl_format *f, const unsigned char *d, size_t n)
{
    return f->magic && n >= f->magic_at + f->magic_len && !memcmp(d + f->magic_at, f->magic, f->magic_len);
}

/* The format whose magic the input holds: 1 with *fmt set or, for a
 * format ctlconv does not read, 1 with the error in *st; 0 when none. */
static int magic(ctl_ctx *ctx, const char *name, const unsigned char *d, size_t n,
                 const ctl_format **fmt, ctl_status *st)
{
    const ctl_format *const *all = ctl_formats();
    for (size_t i = 0; all[i]; i++) {
        const ctl_format *f = all[i];
        if (!holds_magic(f, d, n)) continue;
        if (f->read) {
            *fmt = f;
            *st = CTL_OK;
        } else if (f->refuse) {
            *st = f->refuse(ctx, name, 1);
        } else {
            *st = ctl_fail(ctx, CTL_D_UNSUPPORTED, name, 0, "looks like %s, which this version of ctlconv "
                           "cannot read yet", f->description);
        }
        return 1;
    }
    return 0;
}

/* Detection; for formats that decode, the decoded text is handed back so
 * that it is made once. */
static ctl_status guess(ctl_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                        const ctl_options *opts, const ctl_format **fmt, char **text,
                        size_t *text_len, const char **enc)
{
    const char *name = ctl_display_name(path);
    ctl_status st;
    *fmt = NULL;
    *text = NULL;
    if (len == 0) return ctl_fail(ctx, CTL_D_EMPTY_INPUT, name, 0, "empty input: no control list in it");
    if (magic(ctx, name, data, len, fmt, &st)) return st;
    /* a known extension of a format ctlconv does not read is refused */
    const ctl_format *by_ext = strcmp(name, "-") ? ctl_format_by_extension(name) : NULL;
    if (by_ext && by_ext->refuse) return by_ext->refuse(ctx, name, 0);

    /* formats that carry their own encoding bid on the raw bytes; a sure
     * bid wins at once, a doubtful one only against a weaker text bid */
    const ctl_format *const *all = ctl_formats();
    const ctl_format *raw = NULL;
    int raw_best = 0;
    for (size_t i = 0; all[i]; i++) {
        if (!all[i]->read || all[i]->decode || !all[i]->probe) continue;
        int sc = all[i]->probe((const char *)data, len);
        if (sc > raw_best) { raw_best = sc; raw = all[i]; }
    }
    if (raw && raw_best >= 80) { *fmt = raw; return CTL_OK; }

    /* decoding is a guess until a text format wins: what it warned of goes
     * if the raw bid is taken */
    size_t mark = ctl_warning_count(ctx);
    if ((st = ctl_decode(ctx, name, data, len, opts->encoding, text, text_len, enc)) != CTL_OK) {
        if (!raw) return st;
        /* not text: the doubtful raw bid it is, and its reader will say */
        ctl_error_clear(ctx);
        ctl_warnings_forget_since(ctx, mark);
        *fmt = raw;
        return CTL_OK;
    }
    /* the decode formats' bids: 50 or more claims what only that format has
     * (quoting, page headers...), 40 to 49 says the input merely fits, less
     * that its reader would refuse it (kept for its reader to say why when
     * nothing else fits); a table's own extension is a claim too, if the
     * table fits at all.  A .txt name claims nothing */
    const ctl_format *claim[2] = {NULL, NULL}, *fit[2] = {NULL, NULL}, *weak = NULL, *table = NULL;
    size_t n_claim = 0, n_fit = 0, n_table = 0;
    int best_score = 0;
    for (size_t i = 0; all[i]; i++) {
        if (!all[i]->read || !all[i]->decode || !all[i]->probe) continue;
        int sc = all[i]->probe(*text, *text_len);
        if (sc > best_score) best_score = sc;
        if (!sc) continue;
        /* column mappings say the input is a delimited table where
         * nothing else decides */
        if (opts->n_columns && (all[i]->options & CTL_READS_DELIMITER)) {
            table = all[i];
            n_table++;
        }
        int named = all[i] == by_ext && !by_ext->weak_extension;
        if (sc < 40 && !named) {
            if (!weak) weak = all[i];
            continue;
        }
        if (sc >= 50 || named) {
            if (n_claim < 2) claim[n_claim] = all[i];
            n_claim++;
        }
        if (n_fit < 2) fit[n_fit] = all[i];
        n_fit++;
    }
    if (raw && raw_best >= best_score) {
        ctl_free(*text);
        *text = NULL;
        ctl_warnings_forget_since(ctx, mark);
        *fmt = raw;
        return CTL_OK;
    }
    if (n_claim == 1) { *fmt = claim[0]; return CTL_OK; }
    if (!n_claim && n_fit == 1) { *fmt = fit[0]; return CTL_OK; }
    if (n_table == 1) { *fmt = table; return CTL_OK; }
    if (!n_fit && weak) { *fmt = weak; return CTL_OK; }
    ctl_free(*text);
    *text = NULL;
    if (n_claim)
        return ctl_fail(ctx, CTL_D_AMBIGUOUS_FORMAT, name, 0, "could be %s or %s (it shows what only each of "
                        "them has)", claim[0]->name, claim[1]->name);
    if (n_fit)
        return ctl_fail(ctx, CTL_D_AMBIGUOUS_FORMAT, name, 0, "could be %s or %s (nothing in it tells them "
                        "apart)", fit[0]->name, fit[1]->name);
    return ctl_fail(ctx, CTL_D_UNRECOGNISED, name, 0, "not a control list ctlconv recognises: neither "
                    "a header row with column names such as 項番, 対策項目, 区分 (CSV/TSV) nor "
                    "tab-separated rows that start with item numbers such as 'II. 1. 1. 1'");
}

/* The guess, with the diagnostic callback told only what it kept. */
static ctl_status detect(ctl_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                         const ctl_options *opts, const ctl_format **fmt, char **text,
                         size_t *text_len, const char **enc)
{
    ctl_diag_hold(ctx);
    ctl_status st = guess(ctx, path, data, len, opts, fmt, text, text_len, enc);
    ctl_diag_release(ctx);
    return st;
}

ctl_status ctl_detect_format(ctl_ctx *ctx, const char *path, const unsigned char *data,
                             size_t len, const ctl_options *opts, const ctl_format **fmt)
{
    char *text = NULL;
    size_t text_len;
    const char *enc;
    ctl_status st = detect(ctx, path, data, len, opts, fmt, &text, &text_len, &enc);
    ctl_free(text);
    return st;
}

const ctl_format *ctl_reading_format(const char *s, size_t len, char *names, size_t size)
{
    const ctl_format *const *all = ctl_formats();
    const ctl_format *found = NULL;
    size_t used = 0;
    if (size) names[0] = '\0';
    for (size_t i = 0; all[i]; i++) {
        if (!all[i]->read) continue;
        if (strlen(all[i]->name) == len && !strncasecmp(all[i]->name, s, len)) found = all[i];
        if (used < size) {
            int w = snprintf(names + used, size - used, "%s%s", used ? ", " : "", all[i]->name);
            if (w > 0) used += (size_t)w;
        }
    }
    return found;
}

/* Decodes the input when its format travels in legacy encodings and the
 * detection step has not decoded it already (*text NULL). */
static ctl_status decode_for(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                             const unsigned char *data, size_t len, const ctl_options *opts,
                             char **text, size_t *text_len, const char **enc)
{
    if (!fmt->decode || *text) return CTL_OK;
    if (len == 0) return ctl_fail(ctx, CTL_D_EMPTY_INPUT, name, 0, "empty input: no control list in it");
    return ctl_decode(ctx, name, data, len, opts->encoding, text, text_len, enc);
}

/* Stands between a reader and the sink it feeds, to hold the items limit
 * for every format in one place. */
typedef struct {
    ctl_sink sink;
    ctl_sink *next;
    size_t n, max;
    const char *name;
} counted;

static ctl_status counted_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    counted *c = (counted *)self;
    return c->next->begin(c->next, ctx, meta);
}

static ctl_status counted_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *item)
{
    counted *c = (counted *)self;
    if (++c->n > c->max)
        return ctl_limit_fail(ctx, item->pos.file ? item->pos.file : c->name, item->pos.line, CTL_LIMIT_ITEMS,
                              "more than the limit of %zu items", c->max);
    return c->next->item(c->next, ctx, item);
}

static ctl_status counted_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    counted *c = (counted *)self;
    return c->next->end(c->next, ctx, meta);
}

static ctl_status read_with(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                            const unsigned char *data, size_t len, const char *text, size_t text_len,
                            const char *enc, ctl_stream *stream, ctl_infile *in_place, const ctl_options *opts,
                            ctl_sink *sink)
{
    ctl_input in = {name, data, len, NULL, 0, NULL, stream, NULL, NULL, 0};
    if (in_place) {
        in.read_at = ctl_infile_read_at;
        in.read_at_user = in_place;
        in.size = (unsigned long long)(in_place->sb.st_size - in_place->start);
    }
    if (fmt->decode) {
        in.text = text;
        in.text_len = text_len;
        in.encoding = enc;
    }
    ctl_sink *h = ctl_hierarchy_new(sink, name);
    if (!h) return ctl_nomem(ctx);
    /* the caller's rules of the source, before the hierarchy is made */
    ctl_sink *rules = NULL;
    if (ctl_rules_wanted(opts) && !(rules = ctl_rules_new(h, opts))) {
        h->destroy(h);
        return ctl_nomem(ctx);
    }
    counted c = {{counted_begin, counted_item, counted_end, NULL}, rules ? rules : h, 0,
                 ctl_limit_value(opts, CTL_LIMIT_ITEMS), name};
    ctl_status st = fmt->read(ctx, &in, opts, &c.sink);
    ctl_items_add(ctx, c.n > c.max ? c.max : c.n);
    if (rules) rules->destroy(rules);
    h->destroy(h);
    return st;
}

ctl_status ctl_read(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                    const unsigned char *data, size_t len, const ctl_options *opts,
                    ctl_sink *sink)
{
    name = ctl_display_name(name);
    if (!fmt->read)
        return ctl_fail(ctx, CTL_D_UNSUPPORTED, name, 0,
                        "reading %s is not supported by this version", fmt->name);
    char *text = NULL;
    size_t text_len = 0;
    const char *enc = NULL;
    ctl_status st = decode_for(ctx, fmt, name, data, len, opts, &text, &text_len, &enc);
    if (st == CTL_OK) st = read_with(ctx, fmt, name, data, len, text, text_len, enc, NULL, NULL, opts, sink);
    ctl_free(text);
    return st;
}

/* ------------------------------------------------------------------------
 * Streaming: an input larger than its first part, of a format whose reader
 * streams, is read as it arrives when its encoding is known from that part.
 * ---------------------------------------------------------------------- */


/* The first part cut after its last LF (0: none), so that detection sees
 * whole lines and no sequence cut short. */
static size_t sample_len(const unsigned char *d, size_t n)
{
    while (n && d[n - 1] != '\n') n--;
    return n;
}

/* For a regular file whose first part is ASCII: is the first part of the
 * rest that is not ASCII valid UTF-8 (or is there none)?  A reading of
 * another encoding is decided on the whole file, read whole. */
static int rest_reads_as_utf8(const ctl_infile *f, size_t from)
{
    enum { PART = 1 << 20 };
    unsigned char *b = ctl_malloc(PART + 1);
    if (!b) return 0;
    off_t at = f->start + (off_t)from;
    int verdict = 1;
    for (;;) {
        ssize_t n = pread(f->fd, b, PART, at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { verdict = n == 0; break; }
        size_t i = 0;
        while (i < (size_t)n && b[i] < 0x80 && b[i] != 0x1B) i++;
        if (i == (size_t)n) { at += n; continue; }
        /* an escape: ISO-2022-JP, perhaps; decided on the whole file */
        if (b[i] == 0x1B) { verdict = 0; break; }
        /* a part from the first such byte, cut after a line end where it has one */
        n = pread(f->fd, b, PART, at + (off_t)i);
        if (n <= 0) { verdict = 0; break; }
        size_t m = (size_t)n == PART ? sample_len(b, PART) : (size_t)n;
        if (!m) m = (size_t)n;
        size_t ok = ctl_utf8_valid_prefix(b, m);
        verdict = ok == m || (m == PART && m - ok < 4 && (size_t)n == PART);
        break;
    }
    ctl_free(b);
    return verdict;
}

/* The encoding a streamed input of a decode format is read in: the one
 * given, or UTF-8 when the first part was; NULL when the input must be
 * read whole (another encoding is decided on all of it). */
static const char *stream_encoding(const ctl_infile *f, size_t sample, const char *enc, const ctl_options *opts,
                                   int *detected)
{
    *detected = 0;
    if (opts->encoding) return opts->encoding;
    if (!enc || strcmp(enc, "UTF-8")) return NULL;
    *detected = 1;
    for (size_t i = 0; i < sample; i++) {
        if (f->data[i] == 0x1B) return NULL;   /* ISO-2022-JP's escapes: decided whole */
        if (f->data[i] >= 0x80) return "UTF-8";
    }
    if (f->sized && !rest_reads_as_utf8(f, sample)) return NULL;
    return "UTF-8";
}

/* Can the input, of which f holds the first part, be streamed?  1 with the
 * format (*fmt), the first part's text (decode formats) and the stream
 * opened; 0: read it whole (what detection said on the first part is
 * forgotten); a failure only for what reading whole would not change. */
static int try_stream(ctl_ctx *ctx, ctl_infile *f, const char *path, const ctl_options *opts,
                      const ctl_format **fmt, char **text, size_t *text_len, const char **enc,
                      ctl_stream *s, size_t *sample, ctl_status *st)
{
    const char *name = ctl_display_name(path);
    size_t n = sample_len(f->data, f->len), mark = ctl_warning_count(ctx);
    const ctl_format *found = *fmt;
    int detected = 0;
    const char *senc = NULL;
    *st = CTL_OK;
    *text = NULL;
    if (!n || (!found && n <= CTL_STREAM_PROBED)) return 0;
    ctl_diag_hold(ctx);
    ctl_status r = found ? CTL_OK : guess(ctx, path, f->data, n, opts, &found, text, text_len, enc);
    int ok = r == CTL_OK && found->read && found->streams;
    if (ok && found->decode && !*text)
        ok = ctl_decode(ctx, name, f->data, n, opts->encoding, text, text_len, enc) == CTL_OK;
    if (ok && found->decode) ok = (senc = stream_encoding(f, n, *enc, opts, &detected)) != NULL;
    if (!ok) {
        ctl_error_clear(ctx);
        ctl_warnings_forget_since(ctx, mark);
        ctl_free(*text);
        *text = NULL;
    }
    ctl_diag_release(ctx);
    if (!ok) return 0;
    *fmt = found;
    *sample = n;
    *st = ctl_stream_open(ctx, s, f, found->decode ? senc : NULL, detected, f->limit);
    return 1;
}

/* The warnings strict mode refuses: all but those opts->allow lists. */
static size_t warnings_refused(const ctl_ctx *ctx, const ctl_options *opts)
{
    size_t n = ctl_warning_count(ctx);
    for (int c = 0; c < CTL_DIAG_COUNT; c++)
        for (size_t i = 0; i < opts->n_allow; i++)
            if (opts->allow[i] == (ctl_diag)c) {
                n -= ctl_warning_count_of(ctx, (ctl_diag)c);
                break;
            }
    return n;
}

/* Hands everything a reader gives to several sinks, in order: one input
 * read once into every output of a multi-format conversion. */
typedef struct {
    ctl_sink sink;
    ctl_sink **next;
    size_t n;
} tee_sink;

static ctl_status tee_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    tee_sink *t = (tee_sink *)self;
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < t->n && st == CTL_OK; i++) st = t->next[i]->begin(t->next[i], ctx, meta);
    return st;
}

static ctl_status tee_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *item)
{
    tee_sink *t = (tee_sink *)self;
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < t->n && st == CTL_OK; i++) st = t->next[i]->item(t->next[i], ctx, item);
    return st;
}

static ctl_status tee_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    tee_sink *t = (tee_sink *)self;
    ctl_status st = CTL_OK;
    for (size_t i = 0; i < t->n && st == CTL_OK; i++) st = t->next[i]->end(t->next[i], ctx, meta);
    return st;
}

/* The options one output is written with: the date a GRC export states
 * and the name in its URNs, resolved here where the input's file is known
 * (its modification time, its name). */
typedef struct {
    ctl_options opts;
    char date[CTL_DATE_MAX];
    char library[CTL_LIBRARY_MAX];
} out_options;

static ctl_status options_for(ctl_ctx *ctx, const char *in_path, const ctl_format *out_fmt,
                              const ctl_options *opts, out_options *o)
{
    ctl_status st;
    o->opts = *opts;
    if (out_fmt->options & CTL_WRITES_DATE) {
        if ((st = ctl_date_resolve(ctx, opts->date, in_path, o->date)) != CTL_OK) return st;
        o->opts.date = o->date;
    }
    if ((out_fmt->options & CTL_WRITES_LIBRARY) && !opts->library) {
        ctl_library_name(in_path, o->library);
        o->opts.library = o->library;
    }
    return CTL_OK;
}

ctl_status ctl_convert_file(ctl_ctx *ctx, const char *in_path, const ctl_format *in_fmt,
                            const char *out_path, const ctl_format *out_fmt,
                            const ctl_options *opts, int strict)
{
    if (!out_fmt) return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "no output format");
    return ctl_convert_files(ctx, in_path, in_fmt, 1, &out_path, &out_fmt, opts, strict);
}

/* The format that reads an input in place whose first part (data) is
 * this: fmt when given and it seeks, else the seeking format whose magic
 * the input holds (detection would take it first); NULL when none. */
static const ctl_format *seeking_format(const ctl_format *fmt, const unsigned char *data, size_t len)
{
    if (fmt) return fmt->seeks ? fmt : NULL;
    for (const ctl_format *const *f = ctl_formats(); *f; f++)
        if ((*f)->seeks && holds_magic(*f, data, len)) return *f;
    return NULL;
}

ctl_status ctl_convert_files(ctl_ctx *ctx, const char *in_path, const ctl_format *in_fmt, size_t n_out,
                             const char *const *out_paths, const ctl_format *const *out_fmts,
                             const ctl_options *opts, int strict)
{
    const char *in_name = ctl_display_name(in_path);
    unsigned char *data = NULL;
    size_t len = 0;
    char *text = NULL;
    size_t text_len = 0;
    const char *enc = NULL;
    ctl_output **out = NULL;
    ctl_sink **sink = NULL;
    out_options *oo = NULL;
    ctl_infile in = {.fd = -1};
    ctl_stream stream;
    int streamed = 0;
    const ctl_format *in_place_fmt = NULL;   /* the input is read in place, by this format */
    ctl_status st;

    if (n_out == 0 || n_out > CTL_OUTPUTS_MAX)
        return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "%zu outputs: give 1 to %d", n_out, CTL_OUTPUTS_MAX);
    for (size_t i = 0; i < n_out; i++) {
        if (!out_fmts[i] || !out_fmts[i]->writer)
            return ctl_fail(ctx, CTL_D_UNSUPPORTED, NULL, 0, "writing %s is not supported",
                            out_fmts[i] ? out_fmts[i]->name : "(no format)");
        const char *pi = ctl_display_name(out_paths[i]);
        if (out_paths[i] && !*out_paths[i])
            return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the output file name is empty");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(pi, ctl_display_name(out_paths[j])))
                return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, pi, 0, "two outputs of one conversion are "
                                "the same file");
    }
    if (in_fmt && !in_fmt->read)
        return ctl_fail(ctx, CTL_D_UNSUPPORTED, NULL, 0, "reading %s is not supported by this version", in_fmt->name);
    if (in_path && !*in_path) return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the input file name is empty");
    out = ctl_malloc(n_out * sizeof *out);
    sink = ctl_malloc(n_out * sizeof *sink);
    oo = ctl_malloc(n_out * sizeof *oo);
    for (size_t i = 0; i < n_out; i++) {
        if (out) out[i] = NULL;
        if (sink) sink[i] = NULL;
    }
    if (!out || !sink || !oo) {
        st = ctl_nomem(ctx);
        goto done;
    }
    /* the outputs first (see converters/output.c): one that cannot be
     * written fails before any work */
    for (size_t i = 0; i < n_out; i++)
        if ((st = ctl_output_open(ctx, out_paths[i], &out[i])) != CTL_OK) goto done;
    if ((st = ctl_infile_open(ctx, in_path, ctl_limit_value(opts, CTL_LIMIT_INPUT_SIZE), ctl_stream_head(), &in)) != CTL_OK)
        goto done;
    /* an input larger than its first part is streamed when it can be */
    if (!in.whole && try_stream(ctx, &in, in_path, opts, &in_fmt, &text, &text_len, &enc, &stream, &len, &st)) {
        streamed = 1;
        if (st != CTL_OK) goto done;
        data = in.data;
        /* the output to a descriptor or device goes out as it is made
         * (not in strict mode, where a warning at the end refuses it all) */
        for (size_t i = 0; i < n_out && !strict; i++)
            if ((st = ctl_output_through(ctx, out[i])) != CTL_OK) goto done;
    } else if (!in.whole && in.sized && (in_place_fmt = seeking_format(in_fmt, in.data, in.len))) {
        /* a zip is read at offsets, not whole */
        if ((st = ctl_infile_in_place(ctx, &in)) != CTL_OK) goto done;
        in_fmt = in_place_fmt;
        data = in.data;
        len = in.len;
        in.data = NULL;
    } else {
        if ((st = ctl_infile_rest(ctx, &in)) != CTL_OK) goto done;
        data = in.data;
        len = in.len;
        in.data = NULL;
    }
    if (!in_fmt && (st = detect(ctx, in_path, data, len, opts, &in_fmt, &text, &text_len, &enc)) != CTL_OK)
        goto done;
    /* a reader that hands items on as it reads: its output flows too */
    for (size_t i = 0; i < n_out && !streamed && !strict && in_fmt->flows; i++)
        if ((st = ctl_output_through(ctx, out[i])) != CTL_OK) goto done;
    for (size_t i = 0; i < n_out; i++)
        if (opts->formats_known &&
            (st = opts->formats_known(ctx, in_fmt, out_fmts[i], opts->formats_known_user)) != CTL_OK)
            goto done;
    if (in_fmt->decode && !streamed) {
        /* decode once, then let the raw bytes go: the reader needs the text */
        if ((st = decode_for(ctx, in_fmt, in_name, data, len, opts, &text, &text_len, &enc)) != CTL_OK)
            goto done;
        ctl_free(data);
        data = NULL;
        len = 0;
    }
    for (size_t i = 0; i < n_out; i++) {
        if ((st = options_for(ctx, in_path, out_fmts[i], opts, &oo[i])) != CTL_OK) goto done;
        if ((st = out_fmts[i]->writer(ctx, ctl_output_stream(out[i]), ctl_display_name(out_paths[i]),
                                      &oo[i].opts, &sink[i])) != CTL_OK)
            goto done;
    }
    tee_sink t = {{tee_begin, tee_item, tee_end, NULL}, sink, n_out};
    /* the reading options are the same for every output: the first's */
    /* an input read in place may change under the reading: then that is
     * the cause of whatever went wrong, said instead of it (the
     * diagnostics wait until it is known) */
    if (in_place_fmt) ctl_diag_hold(ctx);
    st = read_with(ctx, in_fmt, in_name, data, len, text, text_len, enc, streamed ? &stream : NULL,
                   in_place_fmt ? &in : NULL, &oo[0].opts, n_out == 1 ? sink[0] : &t.sink);
    if (in_place_fmt) {
        if (ctl_infile_changed(&in)) {
            ctl_error_clear(ctx);
            st = ctl_fail(ctx, CTL_D_INPUT_CHANGED, in_name, 0, "the file changed while it was read: the conversion "
                          "failed (do not use its output)");
        }
        ctl_diag_release(ctx);
    }
    size_t refused = strict ? warnings_refused(ctx, opts) : 0;
    if (st == CTL_OK && refused)
        st = ctl_fail(ctx, CTL_D_STRICT, in_name, 0, "%zu warning(s) in strict mode: nothing written",
                      refused);
    /* all outputs or none: each is put in place only once every one is complete */
    for (size_t i = 0; i < n_out && st == CTL_OK; i++) st = ctl_output_commit(ctx, out[i]);

done:
    for (size_t i = 0; sink && i < n_out; i++)
        if (sink[i] && sink[i]->destroy) sink[i]->destroy(sink[i]);
    for (size_t i = 0; out && i < n_out; i++) ctl_output_close(out[i]);
    ctl_free(sink);
    ctl_free(out);
    ctl_free(oo);
    ctl_free(text);
    if (streamed) ctl_stream_close(&stream);
    else ctl_free(data);
    ctl_infile_close(&in);
    return st;
}
