/* The conversion pipeline: read the input, choose its format, decode it if
 * the format travels in legacy encodings, stream it through a writer into a
 * temporary file, and put the result in place only when all went well. */
#include "internal.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *display_name(const char *path)
{
    return (!path || !strcmp(path, "-")) ? "-" : path;
}

/* Known formats by their first bytes: 0 when none matched, else a status
 * (an error for formats ctlconv does not read). */
static int magic(ctl_ctx *ctx, const char *name, const unsigned char *d, size_t n,
                 const ctl_format **fmt, ctl_status *st)
{
    const ctl_format *want = NULL;
    const char *what = NULL;
    if (n >= 4 && !memcmp(d, "PK\x03\x04", 4)) {
        /* a zip: the XLSX reader tells a workbook from other zips */
        want = ctl_format_by_name("xlsx");
        what = "a zip archive (XLSX)";
    } else if (n >= 8 && !memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        *st = ctl_fail(ctx, CTL_EINPUT, name, 0, "is an Excel 97-2003 workbook (.xls) or another "
                       "OLE2 document: ctlconv does not read it; save it as .xlsx");
        return 1;
    } else if (n >= 5 && !memcmp(d, "%PDF-", 5)) {
        *st = ctl_fail(ctx, CTL_EINPUT, name, 0, "is a PDF: ctlconv can read the text extracted "
                       "from it, not the PDF itself; extract its text first (for example with "
                       "pdftotext) and convert that");
        return 1;
    } else {
        return 0;
    }
    if (!want || !want->read) {
        *st = ctl_fail(ctx, CTL_EUSAGE, name, 0, "looks like %s, which this version of ctlconv "
                       "cannot read yet", what);
        return 1;
    }
    *fmt = want;
    *st = CTL_OK;
    return 1;
}

/* Formats that known extensions name but ctlconv does not read. */
static ctl_status unsupported_extension(ctl_ctx *ctx, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return CTL_OK;
    if (!strcasecmp(dot, ".xls") || !strcasecmp(dot, ".ods"))
        return ctl_fail(ctx, CTL_EINPUT, name, 0, "%s files are not read by ctlconv: save it as .xlsx", dot);
    if (!strcasecmp(dot, ".pdf"))
        return ctl_fail(ctx, CTL_EINPUT, name, 0, "ctlconv does not read PDF: extract its text first "
                        "(for example with pdftotext) and convert that");
    return CTL_OK;
}

/* A name that says "text" and nothing more (.txt): no claim to a format. */
static int plain_text_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".txt") || !strcasecmp(dot, ".text"));
}

/* Detection; for formats that decode, the decoded text is handed back so
 * that it is made once. */
static ctl_status detect(ctl_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                         const ctl_options *opts, const ctl_format **fmt, char **text,
                         size_t *text_len, const char **enc)
{
    const char *name = display_name(path);
    ctl_status st;
    *fmt = NULL;
    *text = NULL;
    if (len == 0) return ctl_fail(ctx, CTL_EINPUT, name, 0, "empty input: no control list in it");
    if (magic(ctx, name, data, len, fmt, &st)) return st;
    if ((st = unsupported_extension(ctx, name)) != CTL_OK) return st;

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
    const ctl_format *by_ext = strcmp(name, "-") ? ctl_format_by_extension(name) : NULL;
    const ctl_format *claim[2] = {NULL, NULL}, *fit[2] = {NULL, NULL}, *weak = NULL;
    size_t n_claim = 0, n_fit = 0;
    int best_score = 0;
    for (size_t i = 0; all[i]; i++) {
        if (!all[i]->read || !all[i]->decode || !all[i]->probe) continue;
        int sc = all[i]->probe(*text, *text_len);
        if (sc > best_score) best_score = sc;
        if (!sc) continue;
        int named = all[i] == by_ext && !plain_text_name(name);
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
    if (!n_fit && weak) { *fmt = weak; return CTL_OK; }
    ctl_free(*text);
    *text = NULL;
    if (n_claim)
        return ctl_fail(ctx, CTL_EUSAGE, name, 0, "could be %s or %s (it shows what only each of "
                        "them has): say which with -f", claim[0]->name, claim[1]->name);
    if (n_fit)
        return ctl_fail(ctx, CTL_EUSAGE, name, 0, "could be %s or %s (nothing in it tells them "
                        "apart): say which with -f", fit[0]->name, fit[1]->name);
    return ctl_fail(ctx, CTL_EINPUT, name, 0, "not a control list ctlconv recognises: neither "
                    "a header row with column names such as 項番, 対策項目, 区分 (CSV/TSV) nor "
                    "tab-separated rows that start with item numbers such as 'II. 1. 1. 1' (give "
                    "-f FORMAT if you know its format)");
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

/* Decodes the input when its format travels in legacy encodings and the
 * detection step has not decoded it already (*text NULL). */
static ctl_status decode_for(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                             const unsigned char *data, size_t len, const ctl_options *opts,
                             char **text, size_t *text_len, const char **enc)
{
    if (!fmt->decode || *text) return CTL_OK;
    if (len == 0) return ctl_fail(ctx, CTL_EINPUT, name, 0, "empty input: no control list in it");
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
                            const char *enc, const ctl_options *opts, ctl_sink *sink)
{
    ctl_input in = {name, data, len, NULL, 0, NULL};
    if (fmt->decode) {
        in.text = text;
        in.text_len = text_len;
        in.encoding = enc;
    }
    counted c = {{counted_begin, counted_item, counted_end, NULL}, sink, 0,
                 ctl_limit_value(opts, CTL_LIMIT_ITEMS), name};
    return fmt->read(ctx, &in, opts, &c.sink);
}

ctl_status ctl_read(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                    const unsigned char *data, size_t len, const ctl_options *opts,
                    ctl_sink *sink)
{
    if (!fmt->read)
        return ctl_fail(ctx, CTL_EUSAGE, display_name(name), 0,
                        "reading %s is not supported by this version", fmt->name);
    char *text = NULL;
    size_t text_len = 0;
    const char *enc = NULL;
    ctl_status st = decode_for(ctx, fmt, display_name(name), data, len, opts, &text, &text_len, &enc);
    if (st == CTL_OK) st = read_with(ctx, fmt, display_name(name), data, len, text, text_len, enc, opts, sink);
    ctl_free(text);
    return st;
}

ctl_status ctl_convert_file(ctl_ctx *ctx, const char *in_path, const ctl_format *in_fmt,
                            const char *out_path, const ctl_format *out_fmt,
                            const ctl_options *opts, int strict)
{
    const char *in_name = display_name(in_path), *out_name = display_name(out_path);
    unsigned char *data = NULL;
    size_t len = 0;
    char *text = NULL;
    size_t text_len = 0;
    const char *enc = NULL;
    ctl_output *out = NULL;
    ctl_sink *sink = NULL;
    ctl_status st;

    if (!out_fmt->writer) return ctl_fail(ctx, CTL_EUSAGE, NULL, 0, "writing %s is not supported", out_fmt->name);
    if (in_fmt && !in_fmt->read)
        return ctl_fail(ctx, CTL_EUSAGE, NULL, 0, "reading %s is not supported by this version", in_fmt->name);
    /* the output first (see converters/output.c): one that cannot be
     * written fails before any work */
    if ((st = ctl_output_open(ctx, out_path, &out)) != CTL_OK) goto done;
    if ((st = ctl_read_file(ctx, in_path, ctl_limit_value(opts, CTL_LIMIT_INPUT_SIZE), &data, &len)) != CTL_OK)
        goto done;
    if (!in_fmt && (st = detect(ctx, in_path, data, len, opts, &in_fmt, &text, &text_len, &enc)) != CTL_OK)
        goto done;
    if (in_fmt->decode) {
        /* decode once, then let the raw bytes go: the reader needs the text */
        if ((st = decode_for(ctx, in_fmt, in_name, data, len, opts, &text, &text_len, &enc)) != CTL_OK)
            goto done;
        ctl_free(data);
        data = NULL;
        len = 0;
    }

    if ((st = out_fmt->writer(ctx, ctl_output_stream(out), out_name, opts, &sink)) != CTL_OK) goto done;
    st = read_with(ctx, in_fmt, in_name, data, len, text, text_len, enc, opts, sink);
    if (st == CTL_OK && strict && ctl_warning_count(ctx))
        st = ctl_fail(ctx, CTL_EINPUT, in_name, 0, "%zu warning(s) with --strict: nothing written",
                      ctl_warning_count(ctx));
    if (st == CTL_OK) st = ctl_output_commit(ctx, out);

done:
    if (sink && sink->destroy) sink->destroy(sink);
    ctl_output_close(out);
    ctl_free(text);
    ctl_free(data);
    return st;
}
