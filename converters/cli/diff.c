/* SPDX-License-Identifier: BSD-2-Clause */
/* ctlconv diff OLD NEW: reads two lists (any formats), compares the models
 * and prints the changes as text, JSON or an XLSX review workbook.  Exit
 * status as diff(1): 0 equal, 1 different, 2 or more trouble. */
#include "cli.h"
#include "ctlconv.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char diff_usage[] =
    "usage: ctlconv diff [OPTION...] OLD NEW\n"
    "\n"
    "Compares two control lists, of any formats ctlconv reads, as lists: items\n"
    "matched by id (and, where an id changed, by title and text: renumbered),\n"
    "then what was added, removed, renumbered, moved (its parent or place) and\n"
    "changed (which fields, with the changed words).\n"
    "\n"
    "  -f, --from FORMAT        the format of both inputs (default: detected)\n"
    "      --from-old FORMAT    the format of OLD\n"
    "      --from-new FORMAT    the format of NEW\n"
    "      --encoding NAME      the encoding of both inputs (default: detected)\n"
    "      --format F           text (default), json or xlsx (default with -o:\n"
    "                           from its extension, .json or .xlsx)\n"
    "  -o, --output PATH        write there instead of standard output (xlsx\n"
    "                           needs it)\n"
    "      --color[=WHEN]       text: colour the changed words: auto (default:\n"
    "                           when standard output is a terminal), always or\n"
    "                           never; without colour, [-deleted-]{+inserted+}\n"
    "      --labels             compare labels too (off: formats that do not keep\n"
    "                           them would differ everywhere)\n"
    "  -q, --quiet              do not print the inputs' warnings\n"
    "  -h, --help               this help\n"
    "\n"
    "Exit status: 0 the lists are equal, 1 they differ, 2 usage error or an\n"
    "input that is not a readable list, 3 input/output error, 4 out of memory\n"
    "or internal error.\n";

enum { OUT_TEXT, OUT_JSON, OUT_XLSX };

typedef struct {
    const char *from_old, *from_new, *encoding, *output;
    int format, color, labels, quiet;
} diff_opts;

/* Trouble: a usage error, or a status other than 'differ' (never 1). */
static int trouble(ctl_status st)
{
    int rc = ctl_status_exit_code(st);
    return rc < 2 ? 2 : rc;
}

static int diff_usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "ctlconv: diff: %s%s%s\nTry 'ctlconv diff --help'.\n", msg, arg ? arg : "",
            arg ? "'" : "");
    return 2;
}

static void print_one(const char *kind, const char *file, long line, const char *msg, ctl_diag code)
{
    const char *name = ctl_diag_name(code);
    if (file && *file && line > 0) fprintf(stderr, "ctlconv: %s:%ld: %s%s", file, line, kind, msg);
    else if (file && *file) fprintf(stderr, "ctlconv: %s: %s%s", file, kind, msg);
    else fprintf(stderr, "ctlconv: %s%s", kind, msg);
    fprintf(stderr, "%s%s%s\n", name ? " [" : "", name ? name : "", name ? "]" : "");
}

/* Reads one side into a list; prints its error (and warnings unless quiet). */
static ctl_status read_side(ctl_ctx *ctx, const char *path, const char *from, const diff_opts *o, ctl_list **out,
                            const ctl_format **fmt_out)
{
    ctl_options opts;
    ctl_options_init(&opts);
    opts.encoding = o->encoding;
    unsigned char *data = NULL;
    size_t len = 0;
    const ctl_format *fmt = from ? ctl_format_by_name(from) : NULL;
    ctl_list *list = ctl_list_new();
    ctl_status st = list ? ctl_read_file(ctx, path, 0, &data, &len) : CTL_ENOMEM;
    if (st == CTL_OK && !fmt) st = ctl_detect_format(ctx, path, data, len, &opts, &fmt);
    if (st == CTL_OK) st = ctl_read(ctx, fmt, path, data, len, &opts, &list->sink);
    free(data);
    if (st != CTL_OK) {
        if (!list) fprintf(stderr, "ctlconv: out of memory\n");
        else print_one("", ctl_error_file(ctx), ctl_error_line(ctx), ctl_error_message(ctx), ctl_error_code(ctx));
        ctl_list_free(list);
        list = NULL;
    }
    for (size_t i = 0; !o->quiet && i < ctl_warning_kept(ctx); i++)
        print_one("warning: ", ctl_warning_file(ctx, i), ctl_warning_line(ctx, i), ctl_warning_message(ctx, i),
                  ctl_warning_code(ctx, i));
    *out = list;
    *fmt_out = fmt;
    return st;
}

/* Says which fields were not compared because a side's format lacks them. */
static void not_compared(unsigned ignored, const ctl_format *fa, const char *a, const ctl_format *fb, const char *b)
{
    static const struct { unsigned bit; const char *what; } lost[] = {
        {CTL_LOSES_ANSWERS, "answers"}, {CTL_LOSES_CATEGORIES, "categories"}, {CTL_LOSES_EXTRAS, "extra columns"},
        {CTL_LOSES_LABELS, "labels"}, {CTL_LOSES_LINEBREAKS, "line breaks"},
        {CTL_LOSES_REFS, "references other than ISO/IEC 27001 identifiers"}};
    for (size_t i = 0; i < sizeof lost / sizeof *lost; i++) {
        if (!(ignored & lost[i].bit)) continue;
        const ctl_format *f = fa->loses & lost[i].bit ? fa : fb;
        fprintf(stderr, "ctlconv: diff: %s (%s) does not keep %s: %s\n", f == fa ? a : b, f->name, lost[i].what,
                lost[i].bit == CTL_LOSES_LINEBREAKS ? "compared as spaces" : "not compared");
    }
}

/* ---- text --------------------------------------------------------------- */

#define RED "\033[31;9m"
#define GREEN "\033[32;1m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Characters of kept text shown either side of a change (text output). */
enum { CONTEXT_CHARS = 60 };

/* Byte offset of the n-th character of s from its start (from_end: of the
 * n-th from its end), or -1 when s has no more than n characters. */
static long char_offset(const char *s, size_t len, size_t n, int from_end)
{
    size_t seen = 0;
    if (!from_end) {
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)s[i] & 0xC0) != 0x80 && seen++ == n) return (long)i;
        return -1;
    }
    for (size_t i = len; i-- > 0;)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++seen == n) return i ? (long)i : -1;
    return -1;
}

/* A kept run, cut to CONTEXT_CHARS next to the changes around it. */
static void print_kept(FILE *out, const char *t, int before, int after)
{
    size_t len = strlen(t);
    long head = after ? char_offset(t, len, CONTEXT_CHARS, 0) : 0;
    long tail = before ? char_offset(t, len, CONTEXT_CHARS, 1) : (long)len;
    if (head < 0 || tail < 0 || (after && before && head >= tail)) {
        fputs(t, out);
        return;
    }
    if (after) fwrite(t, 1, (size_t)head, out);
    fputs("…", out);
    if (before) fputs(t + tail, out);
}

static void print_spans(FILE *out, const ctl_diff_field *f, int color)
{
    for (size_t s = 0; s < f->n_spans; s++) {
        const ctl_diff_span *sp = &f->spans[s];
        if (sp->op == CTL_SPAN_SAME) print_kept(out, sp->text, s + 1 < f->n_spans, s > 0);
        else if (color) fprintf(out, "%s%s%s", sp->op == CTL_SPAN_DELETED ? RED : GREEN, sp->text, RESET);
        else fprintf(out, sp->op == CTL_SPAN_DELETED ? "[-%s-]" : "{+%s+}", sp->text);
    }
}

static void print_change(FILE *out, const ctl_diff_change *c, int color)
{
    const ctl_item *p = c->old_item, *q = c->new_item, *it = q ? q : p;
    const char *first = NULL;
    for (unsigned bit = 1; bit <= CTL_DIFF_CHANGED; bit <<= 1)
        if (c->kind & bit) {
            if (!first) first = ctl_diff_kind_name(bit);
        }
    fprintf(out, "%s%s%s", color ? BOLD : "", first, color ? RESET : "");
    for (unsigned bit = 1; bit <= CTL_DIFF_CHANGED; bit <<= 1)
        if ((c->kind & bit) && strcmp(ctl_diff_kind_name(bit), first)) fprintf(out, ", %s", ctl_diff_kind_name(bit));
    if (p && q && strcmp(p->id, q->id)) fprintf(out, " %s -> %s (%d%% alike)", p->id, q->id, c->similarity);
    else fprintf(out, " %s", it->id);
    fprintf(out, ": %s\n", it->title ? it->title : "");
    if ((c->kind & CTL_DIFF_MOVED) && strcmp(p->parent, q->parent))
        fprintf(out, "  parent: %s -> %s\n", *p->parent ? p->parent : "(top)", *q->parent ? q->parent : "(top)");
    for (size_t i = 0; i < c->n_fields; i++) {
        fprintf(out, "  %s: ", c->fields[i].field);
        print_spans(out, &c->fields[i], color);
        fputc('\n', out);
    }
}

static void print_text(FILE *out, const ctl_diff_result *res, const char *a, const char *b, int color)
{
    fprintf(out, "--- %s (%zu items)\n+++ %s (%zu items)\n", a, res->n_old, b, res->n_new);
    for (size_t i = 0; i < res->n_changes; i++) print_change(out, &res->changes[i], color);
    if (!res->n_changes) fprintf(out, "the lists are equal\n");
    else
        fprintf(out, "%zu changes: %zu added, %zu removed, %zu renumbered, %zu moved, %zu changed\n",
                res->n_changes, res->counts[0], res->counts[1], res->counts[2], res->counts[3], res->counts[4]);
    if (res->renumber_limited)
        fprintf(out, "note: too many unmatched items to look for every renumbering: some renumbered items "
                     "show as removed and added\n");
}

/* ---- options ------------------------------------------------------------ */

static int parse_format(const char *s)
{
    if (!strcasecmp(s, "text")) return OUT_TEXT;
    if (!strcasecmp(s, "json")) return OUT_JSON;
    if (!strcasecmp(s, "xlsx")) return OUT_XLSX;
    return -1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcasecmp(s + n - m, tail);
}

/* Parses the options; returns -1 to go on, else the exit status. */
static int parse_diff_opts(int argc, char **argv, diff_opts *o)
{
    enum { O_FROM_OLD = 256, O_FROM_NEW, O_ENCODING, O_FORMAT, O_COLOR, O_LABELS };
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},   {"from-old", required_argument, NULL, O_FROM_OLD},
        {"from-new", required_argument, NULL, O_FROM_NEW}, {"encoding", required_argument, NULL, O_ENCODING},
        {"format", required_argument, NULL, O_FORMAT},    {"output", required_argument, NULL, 'o'},
        {"color", optional_argument, NULL, O_COLOR},      {"colour", optional_argument, NULL, O_COLOR},
        {"labels", no_argument, NULL, O_LABELS},          {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},                 {NULL, 0, NULL, 0},
    };
    int c, format_given = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->from_old = o->from_new = optarg; break;
        case O_FROM_OLD: o->from_old = optarg; break;
        case O_FROM_NEW: o->from_new = optarg; break;
        case O_ENCODING: o->encoding = optarg; break;
        case 'o':
            if (!*optarg) return diff_usage_error("-o needs a file name, not ''", NULL);
            o->output = optarg;
            break;
        case O_FORMAT:
            if ((o->format = parse_format(optarg)) < 0)
                return diff_usage_error("--format takes text, json or xlsx, not '", optarg);
            format_given = 1;
            break;
        case O_COLOR:
            if (!optarg || !strcmp(optarg, "auto")) o->color = -1;
            else if (!strcmp(optarg, "always")) o->color = 1;
            else if (!strcmp(optarg, "never")) o->color = 0;
            else return diff_usage_error("--color takes auto, always or never, not '", optarg);
            break;
        case O_LABELS: o->labels = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(diff_usage, stdout); return fflush(stdout) ? 3 : 0;
        case ':': return diff_usage_error("an option needs a value: ", argv[optind - 1]);
        default: return diff_usage_error("unknown option: ", argv[optind - 1]);
        }
    }
    if (argc - optind != 2) return diff_usage_error("give two lists: ctlconv diff OLD NEW", NULL);
    const char *f[2] = {o->from_old, o->from_new};
    for (int i = 0; i < 2; i++) {
        const ctl_format *fmt = f[i] ? ctl_format_by_name(f[i]) : NULL;
        if (f[i] && !fmt) return diff_usage_error("unknown input format (see ctlconv --list-formats): '", f[i]);
        if (fmt && !fmt->read) return diff_usage_error("ctlconv does not read the format '", f[i]);
    }
    if (!format_given && o->output && strcmp(o->output, "-"))
        o->format = ends_with(o->output, ".xlsx") ? OUT_XLSX : ends_with(o->output, ".json") ? OUT_JSON : OUT_TEXT;
    if (o->format == OUT_XLSX && (!o->output || !strcmp(o->output, "-")))
        return diff_usage_error("--format xlsx needs -o FILE.xlsx", NULL);
    if (o->color < 0) o->color = o->format == OUT_TEXT && !o->output && isatty(STDOUT_FILENO);
    return -1;
}

/* Writes the result in the chosen format; returns a status. */
static ctl_status emit(ctl_ctx *ctx, const ctl_diff_result *res, const diff_opts *o, const char *a, const char *b)
{
    if (o->format == OUT_XLSX) return ctl_diff_xlsx(ctx, res, a, b, o->output);
    FILE *out = stdout;
    if (o->output && strcmp(o->output, "-") && !(out = fopen(o->output, "w")))
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->output, 0, "cannot open for writing");
    ctl_status st = CTL_OK;
    if (o->format == OUT_JSON) {
        char *text = NULL;
        st = ctl_diff_json(ctx, res, a, b, &text);
        if (st == CTL_OK) fputs(text, out);
        free(text);
    } else
        print_text(out, res, a, b, o->color);
    if ((out == stdout ? fflush(out) : fclose(out)) || (out == stdout && ferror(out)))
        if (st == CTL_OK) st = ctl_fail(ctx, CTL_D_IO_ERROR, o->output ? o->output : "-", 0, "cannot write");
    return st;
}

int ctlconv_diff_main(int argc, char **argv)
{
    diff_opts o = {.color = -1};
    int rc = parse_diff_opts(argc, argv, &o);
    if (rc >= 0) return rc;
    const char *a = argv[optind], *b = argv[optind + 1];
    ctl_ctx *ca = ctl_ctx_new(), *cb = ctl_ctx_new();
    ctl_list *la = NULL, *lb = NULL;
    ctl_diff_result *res = NULL;
    const ctl_format *fa = NULL, *fb = NULL;
    ctl_status st = ca && cb ? CTL_OK : CTL_ENOMEM;
    if (st == CTL_OK) st = read_side(ca, a, o.from_old, &o, &la, &fa);
    if (st == CTL_OK) st = read_side(cb, b, o.from_new, &o, &lb, &fb);
    if (st == CTL_OK) {
        st = ctl_diff(ca, la, lb, o.labels ? CTL_DIFF_LABELS : 0, fa->loses | fb->loses, &res);
        if (st == CTL_OK && !o.quiet) not_compared(res->ignored, fa, a, fb, b);
        if (st == CTL_OK) st = emit(ca, res, &o, a, b);
        if (st != CTL_OK)
            print_one("", ctl_error_file(ca), ctl_error_line(ca), ctl_error_message(ca), ctl_error_code(ca));
    }
    if (!ca || !cb) fprintf(stderr, "ctlconv: out of memory\n");
    rc = st != CTL_OK ? trouble(st) : res->n_changes ? 1 : 0;
    ctl_diff_free(res);
    ctl_list_free(la);
    ctl_list_free(lb);
    ctl_ctx_free(ca);
    ctl_ctx_free(cb);
    return rc;
}
