/* CSV and TSV.  Writer: RFC 4180 (a field is quoted when it holds the
 * delimiter, a quote, CR or LF; quotes doubled), the header on the first
 * line, extra columns after the canonical ones.  Reading CSV is not
 * implemented yet. */
#include "../converters/headers.h"

typedef struct {
    ctl_sink sink;
    FILE *out;
    const char *name;
    char delim;
    const char *eol;
    ctl_header_lang lang;
    const char **extras;
    size_t n_extras;
    const char **values;
    size_t n_dropped;
    ctl_buf isms;
    int failed;
} csv_writer;

static void put(csv_writer *w, const char *s, size_t n)
{
    if (!w->failed && !ctl_write(w->out, s, n)) w->failed = 1;
}

static void put_field(csv_writer *w, const char *s, int first)
{
    if (!first) put(w, &w->delim, 1);
    size_t n = strlen(s);
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == w->delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) { put(w, s, n); return; }
    put(w, "\"", 1);
    for (const char *p = s, *run = s;; p++) {
        if (*p && *p != '"') continue;
        put(w, run, (size_t)(p - run) + (*p == '"'));
        if (!*p) break;
        put(w, "\"", 1);
        run = p + 1;
    }
    put(w, "\"", 1);
}

static ctl_status check(csv_writer *w, ctl_ctx *ctx)
{
    return w->failed ? ctl_fail(ctx, CTL_EIO, w->name, 0, "write error") : CTL_OK;
}

static const ctl_role columns[] = {CTL_ROLE_ID, CTL_ROLE_LEVEL, CTL_ROLE_ISMS, CTL_ROLE_TITLE,
                                   CTL_ROLE_DESCRIPTION, CTL_ROLE_CATEGORY, CTL_ROLE_ANSWER};

static ctl_status cw_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    csv_writer *w = (csv_writer *)self;
    ctl_status st = ctl_extra_columns(ctx, meta, &w->extras, &w->n_extras);
    if (st != CTL_OK) return st;
    if (w->n_extras && !(w->values = ctl_malloc(w->n_extras * sizeof *w->values)))
        return ctl_nomem(ctx);
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
        put_field(w, w->lang == CTL_HEADER_JA ? ctl_role_name_ja(columns[i])
                                              : ctl_role_name_en(columns[i]), i == 0);
    for (size_t i = 0; i < w->n_extras; i++) put_field(w, w->extras[i], 0);
    put(w, w->eol, strlen(w->eol));
    return check(w, ctx);
}

static ctl_status cw_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    csv_writer *w = (csv_writer *)self;
    char level[16];
    snprintf(level, sizeof level, "%d", it->level);
    w->isms.len = 0;
    if (!ctl_buf_adds(&w->isms, ""))
        return ctl_nomem(ctx);
    for (size_t i = 0; i < it->n_isms; i++)
        if ((i && !ctl_buf_adds(&w->isms, "; ")) || !ctl_buf_adds(&w->isms, it->isms[i]))
            return ctl_nomem(ctx);
    put_field(w, ctl_str(it->id), 1);
    put_field(w, level, 0);
    put_field(w, w->isms.data, 0);
    put_field(w, ctl_str(it->title), 0);
    put_field(w, ctl_str(it->description), 0);
    put_field(w, ctl_category_ja(it->category), 0);
    put_field(w, ctl_str(it->answer), 0);
    w->n_dropped += ctl_extra_values(it, w->extras, w->n_extras, w->values);
    for (size_t i = 0; i < w->n_extras; i++) put_field(w, w->values[i], 0);
    put(w, w->eol, strlen(w->eol));
    return check(w, ctx);
}

static ctl_status cw_end(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta)
{
    csv_writer *w = (csv_writer *)self;
    ctl_status st = CTL_OK;
    const char *fmt = w->delim == '\t' ? "TSV" : "CSV";
    if ((meta->title && *meta->title) || (meta->note && *meta->note) || (meta->annex && *meta->annex))
        st = ctl_warn(ctx, w->name, 0, "%s has no place for the document title, note and annex "
                      "heading: not written (use json to keep them)", fmt);
    if (st == CTL_OK && meta->n_unplaced)
        st = ctl_warn(ctx, w->name, 0, "%zu unplaced ISMS reference(s) not written (%s has no "
                      "place for them)", meta->n_unplaced, fmt);
    if (st == CTL_OK && w->n_dropped)
        st = ctl_warn(ctx, w->name, 0, "%zu extra cell(s) without a column in the document's "
                      "header not written", w->n_dropped);
    return st;
}

static void cw_destroy(ctl_sink *self)
{
    csv_writer *w = (csv_writer *)self;
    ctl_free(w->extras);
    ctl_free(w->values);
    ctl_buf_free(&w->isms);
    ctl_free(w);
}

static ctl_status new_writer(ctl_ctx *ctx, FILE *out, const char *out_name,
                             const ctl_options *opts, ctl_sink **sink, char delim)
{
    csv_writer *w = ctl_malloc(sizeof *w);
    if (!w) return ctl_nomem(ctx);
    memset(w, 0, sizeof *w);
    w->sink.begin = cw_begin;
    w->sink.item = cw_item;
    w->sink.end = cw_end;
    w->sink.destroy = cw_destroy;
    w->out = out;
    w->name = out_name;
    w->delim = delim;
    w->eol = opts->crlf ? "\r\n" : "\n";
    w->lang = opts->header;
    *sink = &w->sink;
    return CTL_OK;
}

static ctl_status csv_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                 const ctl_options *opts, ctl_sink **sink)
{
    return new_writer(ctx, out, out_name, opts, sink, ',');
}

static ctl_status tsv_writer_new(ctl_ctx *ctx, FILE *out, const char *out_name,
                                 const ctl_options *opts, ctl_sink **sink)
{
    return new_writer(ctx, out, out_name, opts, sink, '\t');
}

static const char *const csv_ext[] = {"csv", NULL};
static const char *const tsv_ext[] = {"tsv", "tab", NULL};

const ctl_format ctl_format_csv = {
    .name = "csv",
    .description = "comma-separated values (RFC 4180)",
    .extensions = csv_ext,
    .decode = 1,
    .writer = csv_writer_new,
};

const ctl_format ctl_format_tsv = {
    .name = "tsv",
    .description = "tab-separated values",
    .extensions = tsv_ext,
    .decode = 1,
    .writer = tsv_writer_new,
};
