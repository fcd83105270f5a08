/* SPDX-License-Identifier: BSD-2-Clause */
/* The ctlconv command: parses options, runs one conversion, prints warnings
 * and errors, and maps the outcome to the documented exit codes. */
#include "cli.h"
#include "ctlconv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: ctlconv [-f FORMAT] [-t FORMAT] [-o PATH] [OPTION...] [INPUT]\n"
    "       ctlconv -t FORMAT[,FORMAT...] -d OUTDIR [OPTION...] INPUT...\n"
    "       ctlconv check [OPTION...] FILE...   (see ctlconv check --help)\n"
    "       ctlconv diff [OPTION...] OLD NEW    (see ctlconv diff --help)\n"
    "\n"
    "Converts a security control list (MIC cloud guideline ANNEX2 and lists\n"
    "shaped like it) between formats.  INPUT and -o default to standard input\n"
    "and output ('-' names them too).\n"
    "\n"
    "  -f, --from FORMAT        input format (default: detected from the content,\n"
    "                           then the extension)\n"
    "  -t, --to FORMAT          output format (default: from the -o extension)\n"
    "  -o, --output PATH        output file, written only if the conversion succeeds\n"
    "  -d, --output-dir DIR     batch mode: one output per input and format in DIR\n"
    "                           (made if missing), named after the input with the\n"
    "                           format's extension (x.csv -> DIR/x.json); -t may\n"
    "                           name several formats (-t csv,xlsx,json), each input\n"
    "                           is read once\n"
    "  -r, --recursive          with -d: convert the files in the folders named\n"
    "                           (those with an extension ctlconv knows), keeping\n"
    "                           their paths under DIR\n"
    "      --files-from FILE    with -d: the inputs are also listed in FILE ('-':\n"
    "                           standard input), one a line\n"
    "  -0, --null               the names in --files-from end with NUL, not newline\n"
    "  -j, --jobs N             with -d: N worker processes (default: the number of\n"
    "                           cores)\n"
    "      --diagnostics text|json  warnings and errors as text lines (default) or\n"
    "                           as JSON, one object a line on standard error: code,\n"
    "                           severity, file, line, item, message, hint; with -d\n"
    "                           also a record per input and a summary\n"
    "      --encoding NAME      input encoding (UTF-8, UTF-16LE, CP932, EUC-JP-MS, ...;\n"
    "                           default: detected)\n"
    "      --delimiter C        CSV input delimiter: ',' ';' or 'tab' (default: the\n"
    "                           file's Excel \"sep=C\" first line, else detected);\n"
    "                           TSV input takes 'tab' only\n"
    "      --column FIELD=HEADER  read the column named HEADER as FIELD (id, level,\n"
    "                           parent, refs (or isms, references), title,\n"
    "                           description, category, answer, label); repeatable,\n"
    "                           for headers ctlconv does not know; says the input\n"
    "                           is a table\n"
    "      --sheet NAME|N       XLSX input: the sheet to read (default: the one\n"
    "                           whose header row names the most fields)\n"
    "      --map FILE           read the input as the mapping file FILE describes it\n"
    "                           (format, encoding, sheet, columns, reference scheme,\n"
    "                           hierarchy, category words: see the README); options\n"
    "                           given on the command line win over it\n"
    "      --ref-scheme NAME    the scheme of references in a column whose header\n"
    "                           names none (iso27001-2013, iso27001-2022,\n"
    "                           iso27002-2013, iso27002-2022, iso27017-2015,\n"
    "                           nist-sp800-53, or any name [a-z][a-z0-9-]*)\n"
    "      --headings auto|yes|no  tables whose rows repeat their parent's id and\n"
    "                           title in columns (CIS control_id, control_title):\n"
    "                           make heading items of them when found (auto,\n"
    "                           default), whenever the ids contain the row's (yes),\n"
    "                           or keep the columns as they are (no)\n"
    "      --skip-bad-rows      skip a row whose id cell holds no identifier, with a\n"
    "                           warning each (default: an error, nothing written)\n"
    "      --date DATE          OSCAL: the last-modified date, YYYY-MM-DD or an RFC\n"
    "                           3339 date-time with its zone (default:\n"
    "                           SOURCE_DATE_EPOCH, else the input file's modification\n"
    "                           time, else the clock with a warning)\n"
    "      --component NAME     OSCAL component definition: the component (the\n"
    "                           service) the answers describe (default: the title)\n"
    "      --doc-version V      OSCAL and CISO Assistant: the document's version\n"
    "                           (default 1; CISO Assistant takes a whole number)\n"
    "      --library NAME       CISO Assistant: the name in the URNs, [a-z0-9-]\n"
    "                           (default: from the input's file name)\n"
    "      --packager NAME      CISO Assistant: the packager in the URNs (default\n"
    "                           ctlconv)\n"
    "      --compression N      XLSX output: deflate level, 0 (stored) to 9\n"
    "                           (smallest); default 1 (fast; Excel uses 6)\n"
    "      --header en|ja       header words of CSV/TSV/XLSX output: English\n"
    "                           (default) or Japanese\n"
    "      --crlf               CSV/TSV: end records with CRLF (as Excel does)\n"
    "      --output-encoding E  CSV/TSV output: utf-8 (default), utf-8-bom (Excel's\n"
    "                           \"CSV UTF-8\") or cp932 (Excel's Japanese \"CSV\"); a cell\n"
    "                           CP932 cannot hold exactly is an error naming row and\n"
    "                           column\n"
    "      --substitute         with cp932: write the nearest character instead (e.g.\n"
    "                           U+301C as U+FF5E) and 〓 for one CP932 lacks; warned\n"
    "      --excel-safe         CSV/TSV: prefix ' to cells that begin with = + - @ tab\n"
    "                           or CR, so a spreadsheet shows them instead of running\n"
    "                           them as formulas (changes those cells' text; without\n"
    "                           it every cell is written exactly)\n"
    "      --strict             treat warnings as errors: nothing is written\n"
    "      --allow CODE[,CODE]  with --strict: let the warnings with these codes\n"
    "                           through (repeatable; see --list-codes)\n"
    "  -q, --quiet              do not print warnings, even when the conversion\n"
    "                           fails (errors are printed)\n"
    "  -v, --verbose            print every warning kept (up to 999); without it, a\n"
    "                           code raised more than 5 times is one line: the first\n"
    "                           warning, the count and the lines of the next ones\n"
    "      --list-formats       list the formats and what ctlconv does with them\n"
    "      --list-codes         list the codes of warnings and errors, which\n"
    "                           ctlconv prints in brackets after each message\n"
    "  -h, --help               this help\n"
    "  -V, --version            version\n"
    "      --limit NAME=N       set a limit (N may end in K, M or G); input over a\n"
    "                           limit is refused with exit 1.  NAME (default):\n";
static const char usage_tail[] =
    "      --max-input-size N   the same as --limit input-size=N\n"
    "      --max-field-size N   the same as --limit field-size=N\n"
    "\n"
    "An option that has no effect on the formats read and written (--sheet on\n"
    "CSV input, --output-encoding with -t json, ...) is a usage error naming the\n"
    "formats it applies to.\n"
    "\n"
    "-t ciso-yaml writes a CISO Assistant library: a framework with a node per\n"
    "item (ref_id the id, depth, parent_urn, name, description, assessable when\n"
    "it has a measure, category or answer, importance from the category) and\n"
    "mapping sets to CISO's ISO/IEC 27001:2013/2022 from the references; it\n"
    "leaves out the answers, the category words as written, extra columns and\n"
    "references of other schemes, each warned about [field-dropped].  A title\n"
    "over CISO Assistant's 200 characters is shortened in the node's name and\n"
    "kept whole in its annotation, where reading takes it back [name-shortened].\n"
    "-t ciso-xlsx writes the same library as the workbook CISO's converter\n"
    "reads: cells trimmed as it trims them [text-flattened], one mapping set\n"
    "(2013's when the list references both editions) [field-dropped].\n"
    "\n"
    "With -d, one failing input does not stop the others; the exit status is\n"
    "the worst of the inputs'.  Two inputs that would write one output, an\n"
    "output that would overwrite an input, and an input named twice are\n"
    "refused before anything is written.  A progress bar is drawn on standard\n"
    "error when it is a terminal (not with -q), a summary printed at the end.\n"
    "\n"
    "Exit status: 0 success (warnings alone do not change it), 1 bad input\n"
    "(including a limit exceeded), 2 usage, 3 input/output error, 4 out of\n"
    "memory or internal error.  Writing to a pipe whose reader has gone\n"
    "(ctlconv ... | head) ends ctlconv quietly by SIGPIPE, as it ends cat.\n";

/* 268435456 -> "256M" */
static const char *size_text(size_t v, char *buf, size_t n)
{
    const char *unit[] = {"", "K", "M", "G"};
    int u = 0;
    while (u < 3 && v && v % 1024 == 0) { v /= 1024; u++; }
    snprintf(buf, n, "%zu%s", v, unit[u]);
    return buf;
}

static void print_usage(void)
{
    fputs(usage_text, stdout);
    for (int i = 0; i < CTL_LIMIT_COUNT; i++) {
        char name[64], value[32];
        snprintf(name, sizeof name, "%s (%s)", ctl_limit_name((ctl_limit)i),
                 size_text(ctl_limit_default((ctl_limit)i), value, sizeof value));
        printf("        %-21s %s\n", name, ctl_limit_about((ctl_limit)i));
    }
    fputs(usage_tail, stdout);
}

/* What the user can do about a hint, in this program's options ("" when
 * nothing).  No default: a new hint without a case here is a -Wswitch
 * warning (an error in tests/cli_layout.sh; tests/unit/test_cli_hints.c). */
static const char *hint_words(ctl_hint hint, ctl_limit limit, char *buf, size_t n)
{
    switch (hint) {
    case CTL_HINT_NONE:
    case CTL_HINT_COUNT: return "";
    case CTL_HINT_LIMIT:
        if (!ctl_limit_name(limit)) return "";
        snprintf(buf, n, " (raise it with --limit %s=N)", ctl_limit_name(limit));
        return buf;
    case CTL_HINT_FORMAT: return " (say which with -f FORMAT)";
    case CTL_HINT_ENCODING: return " (give the encoding with --encoding NAME)";
    case CTL_HINT_SHEET: return " (choose one with --sheet NAME|N)";
    case CTL_HINT_COLUMN: return " (map others with --column FIELD=HEADER)";
    case CTL_HINT_SUBSTITUTE: return " (with --substitute)";
    case CTL_HINT_ALLOW: return " (let some through with --allow CODE; see --list-codes)";
    case CTL_HINT_SKIP: return " (skip such rows with --skip-bad-rows)";
    }
    return "";
}

/* The words of a diagnostic's hint. */
static const char *hint_text(ctl_diag code, ctl_limit limit, char *buf, size_t n)
{
    return hint_words(ctl_diag_hint(code), limit, buf, n);
}

/* "ctlconv: FILE:LINE: warning: message (hint) [code]" and the tail, to out */
static void print_diag_to(FILE *out, const char *kind, const char *file, long line, const char *msg,
                          ctl_diag code, ctl_limit limit, const char *tail)
{
    char hint[128], where[600] = "";
    if (file && *file && line > 0) snprintf(where, sizeof where, "%s:%ld: ", file, line);
    else if (file && *file) snprintf(where, sizeof where, "%s: ", file);
    const char *name = ctl_diag_name(code);
    fprintf(out, "ctlconv: %s%s%s%s%s%s%s%s\n", where, kind, msg, hint_text(code, limit, hint, sizeof hint),
            name ? " [" : "", name ? name : "", name ? "]" : "", tail);
}

static void print_diag_tail(const char *kind, const char *file, long line, const char *msg,
                            ctl_diag code, ctl_limit limit, const char *tail)
{
    print_diag_to(stderr, kind, file, line, msg, code, limit, tail);
}

static void print_diag(const char *kind, const char *file, long line, const char *msg,
                       ctl_diag code, ctl_limit limit)
{
    print_diag_tail(kind, file, line, msg, code, limit, "");
}

/* A code raised more times than this is printed as one line (without -v). */
enum { FULL_MAX = 5, PLACES_SHOWN = 5 };

/* " (and 1446 more like it: lines 13, 14, 15, 16, 17, ...)": the count of
 * the other warnings of the i-th one's code, and where the next kept ones
 * are (their lines, else their items). */
static void more_like_it(const ctl_ctx *ctx, size_t i, size_t total, char *buf, size_t size)
{
    ctl_diag code = ctl_warning_code(ctx, i);
    char places[256] = "";
    size_t shown = 0, used = 0;
    int lines = 1;
    for (size_t j = i + 1; j < ctl_warning_kept(ctx) && shown < PLACES_SHOWN; j++) {
        if (ctl_warning_code(ctx, j) != code) continue;
        long line = ctl_warning_line(ctx, j);
        const char *item = ctl_warning_item(ctx, j);
        int w;
        if (line > 0) w = snprintf(places + used, sizeof places - used, "%s%ld", shown ? ", " : "", line);
        else if (*item) w = snprintf(places + used, sizeof places - used, "%s%.40s", shown ? ", " : "", item);
        else continue;
        if (w < 0 || (size_t)w >= sizeof places - used) break;
        lines &= line > 0;
        used += (size_t)w;
        shown++;
    }
    if (!shown) snprintf(buf, size, " (and %zu more like it; -v shows them)", total - 1);
    else snprintf(buf, size, " (and %zu more like it: %s %s%s)", total - 1, lines ? "lines" : "items", places,
                  total - 1 > shown ? ", ..." : "");
}

/* The warnings kept on ctx: every one with verbose; else a code raised
 * more than FULL_MAX times is one line, and codes whose warnings were all
 * past the kept ones are counted. */
static void print_warnings(const ctl_ctx *ctx, int verbose)
{
    size_t kept = ctl_warning_kept(ctx);
    int seen[CTL_DIAG_COUNT] = {0};
    for (size_t i = 0; i < kept; i++) {
        ctl_diag code = ctl_warning_code(ctx, i);
        size_t total = (unsigned)code < CTL_DIAG_COUNT ? ctl_warning_count_of(ctx, code) : 0;
        char tail[400] = "";
        if (!verbose && (unsigned)code < CTL_DIAG_COUNT) {
            if (code == CTL_D_MORE_WARNINGS) continue;   /* counted by code below */
            if (total > FULL_MAX) {
                if (seen[code]) continue;
                more_like_it(ctx, i, total, tail, sizeof tail);
            }
            seen[code] = 1;
        }
        print_diag_tail("warning: ", ctl_warning_file(ctx, i), ctl_warning_line(ctx, i), ctl_warning_message(ctx, i),
                        code, CTL_LIMIT_COUNT, tail);
    }
    if (verbose || ctl_warning_count(ctx) <= kept) return;
    for (int c = 0; c < CTL_DIAG_COUNT; c++) {
        size_t n = ctl_warning_count_of(ctx, (ctl_diag)c);
        if (seen[c] || !n || c == CTL_D_MORE_WARNINGS) continue;
        char msg[300];
        snprintf(msg, sizeof msg, "%zu warning(s) past the first 999 kept: %s", n, ctl_diag_meaning((ctl_diag)c));
        print_diag("warning: ", "", 0, msg, (ctl_diag)c, CTL_LIMIT_COUNT);
    }
}

static void list_codes(void)
{
    for (int i = 0; i < CTL_DIAG_COUNT; i++)
        printf("%-20s %-7s  %s\n", ctl_diag_name((ctl_diag)i),
               ctl_diag_severity((ctl_diag)i) == CTL_SEV_ERROR ? "error" : "warning",
               ctl_diag_meaning((ctl_diag)i));
}

/* Adds the codes of a --allow argument to allow (n so far): 0 when one is
 * unknown or names an error. */
static int parse_allow(const char *arg, ctl_diag *allow, size_t *n)
{
    char name[64];
    for (const char *p = arg;; p++) {
        size_t len = strcspn(p, ",");
        if (!len || len >= sizeof name) return 0;
        memcpy(name, p, len);
        name[len] = '\0';
        ctl_diag code = ctl_diag_by_name(name);
        if (code == CTL_DIAG_COUNT || ctl_diag_severity(code) != CTL_SEV_WARNING) return 0;
        size_t i = 0;
        while (i < *n && allow[i] != code) i++;
        if (i == *n) allow[(*n)++] = code;
        p += len;
        if (!*p) return 1;
    }
}

/* A scheme name of the caller's own: [a-z][a-z0-9-]*, 2 to 31 characters,
 * not ending in '-' (as a "name:" prefix of a reference). */
static int scheme_word(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 31 || !islower((unsigned char)s[0]) || s[n - 1] == '-') return 0;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-') return 0;
    return 1;
}

/* --diagnostics json: every diagnostic a JSON object on stderr. */
static int diag_json;
static void json_diag_line(FILE *out, const char *code, const char *severity, const char *file, long line,
                           const char *item, const char *msg, const char *hint);

static int usage_verror(const char *fmt, va_list ap)
{
    if (!diag_json) {
        fprintf(stderr, "ctlconv: ");
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\nTry 'ctlconv --help'.\n");
    } else {
        char msg[8192];
        vsnprintf(msg, sizeof msg, fmt, ap);
        json_diag_line(stderr, ctl_diag_name(CTL_D_BAD_ARGUMENT), "error", "", 0, "", msg, "see ctlconv --help");
    }
    return ctl_status_exit_code(CTL_EUSAGE);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_verror(fmt, ap);
    va_end(ap);
    return rc;
}

/* usage_error for converters/cli/batch.c */
int ctlconv_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_verror(fmt, ap);
    va_end(ap);
    return rc;
}

/* The exit status after printing to standard output: 3 if it failed. */
static int stdout_status(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "ctlconv: cannot write standard output\n");
        return ctl_status_exit_code(CTL_EIO);
    }
    return 0;
}

/* ".csv" or ".md,.markdown": a format's extensions, into ext. */
static void extensions_of(const ctl_format *f, char *ext, size_t size)
{
    ext[0] = '\0';
    for (const char *const *e = f->extensions; e && *e; e++) {
        if (*ext) strncat(ext, ",", size - strlen(ext) - 1);
        strncat(ext, ".", size - strlen(ext) - 1);
        strncat(ext, *e, size - strlen(ext) - 1);
    }
}

static void list_formats(void)
{
    const ctl_format *const *all = ctl_formats();
    /* the columns as wide as their widest entry */
    int wname = 4, wext = 10;
    char ext[64];
    for (size_t i = 0; all[i]; i++) {
        extensions_of(all[i], ext, sizeof ext);
        if ((int)strlen(all[i]->name) > wname) wname = (int)strlen(all[i]->name);
        if ((int)strlen(ext) > wext) wext = (int)strlen(ext);
    }
    printf("%-*s %-4s %-5s %-*s %s\n", wname, "name", "read", "write", wext, "extensions", "description");
    for (size_t i = 0; all[i]; i++) {
        extensions_of(all[i], ext, sizeof ext);
        printf("%-*s %-4s %-5s %-*s %s\n", wname, all[i]->name, all[i]->read ? "yes" : "no",
               all[i]->writer ? "yes" : "no", wext, *ext ? ext : "-", all[i]->description);
    }
    /* the known formats ctlconv refuses, neighbours with one advice joined:
     * "Not read: .xls and .ods (save as .xlsx), .pdf (...)." */
    int any = 0;
    for (size_t i = 0; all[i]; i++) {
        const ctl_format *f = all[i], *next = all[i + 1], *prev = i ? all[i - 1] : NULL;
        if (f->read || f->writer || !f->refusal || !f->extensions || !f->extensions[0]) continue;
        int same_prev = prev && prev->refusal && !strcmp(prev->refusal, f->refusal);
        int same_next = next && next->refusal && !strcmp(next->refusal, f->refusal);
        printf("%s.%s", !any ? "\nNot read: " : same_prev ? " and " : ", ", f->extensions[0]);
        if (!same_next) printf(" (%s)", f->refusal);
        any = 1;
    }
    if (any) printf(".\n");
}

/* The options that apply to some formats only.  Which formats is data on
 * each format (ctl_format.options), not known here. */
static const struct {
    unsigned flag;
    int reading;   /* an option of the input (else of the output) */
    const char *name;
    const char *key;   /* its key in a mapping file, if any */
} scoped_options[] = {
    {CTL_READS_ENCODING, 1, "--encoding", "encoding"},
    {CTL_READS_DELIMITER, 1, "--delimiter", "delimiter"},
    {CTL_READS_COLUMNS, 1, "--column", "column.FIELD"},
    {CTL_READS_SHEET, 1, "--sheet", "sheet"},
    {CTL_WRITES_HEADER_LANG, 0, "--header", NULL},
    {CTL_WRITES_ENCODING, 0, "--output-encoding", NULL},
    {CTL_WRITES_SUBSTITUTE, 0, "--substitute", NULL},
    {CTL_WRITES_EXCEL_SAFE, 0, "--excel-safe", NULL},
    {CTL_WRITES_CRLF, 0, "--crlf", NULL},
    {CTL_WRITES_DATE, 0, "--date", NULL},
    {CTL_WRITES_COMPONENT, 0, "--component", NULL},
    {CTL_WRITES_DOC_VERSION, 0, "--doc-version", NULL},
    {CTL_WRITES_LIBRARY, 0, "--library or --packager", NULL},
    {CTL_WRITES_COMPRESSION, 0, "--compression", NULL},
};

/* A --library or --packager name: [a-z0-9][a-z0-9-]*, at most 63 bytes. */
static int urn_word(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 63 || s[0] == '-') return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) return 0;
    return 1;
}

/* Does f read (reading set) or write, honouring the option flag? */
static int honours(const ctl_format *f, unsigned flag, int reading)
{
    return (f->options & flag) && (reading ? f->read != NULL : f->writer != NULL);
}

/* "csv and tsv": the formats that honour flag, reading or writing. */
static void formats_with(unsigned flag, int reading, char *buf, size_t size)
{
    const ctl_format *const *all = ctl_formats();
    size_t total = 0, n = 0;
    for (size_t i = 0; all[i]; i++) total += honours(all[i], flag, reading);
    buf[0] = '\0';
    for (size_t i = 0; all[i]; i++) {
        if (!honours(all[i], flag, reading)) continue;
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", !n ? "" : n + 1 == total ? " and " : ", ", all[i]->name);
        n++;
    }
}

/* The options given: CTL_READS_* and CTL_WRITES_* bits of the command
 * line's (given) and of the mapping file's (mapped, from map_name). */
typedef struct {
    unsigned given, mapped;
    const char *map_name;
} option_bits;

/* An option given that has no effect on fmt, read (reading set) or
 * written: writes a message naming the formats it applies to into msg and
 * returns 0; 1 when all apply. */
static int options_apply(const ctl_format *fmt, int reading, const option_bits *b, char *msg, size_t size)
{
    const char *side = reading ? "input" : "output";
    for (size_t i = 0; i < sizeof scoped_options / sizeof *scoped_options; i++) {
        unsigned flag = scoped_options[i].flag;
        if (scoped_options[i].reading != reading || !((b->given | b->mapped) & flag) ||
            honours(fmt, flag, reading))
            continue;
        char names[128], what[600];
        formats_with(flag, reading, names, sizeof names);
        if (b->given & flag) snprintf(what, sizeof what, "%s", scoped_options[i].name);
        else snprintf(what, sizeof what, "%s (in the map %.500s)", scoped_options[i].key, b->map_name);
        snprintf(msg, size, "%s has no effect on %s %s: it applies to %s %s", what, fmt->name, side, names,
                 side);
        return 0;
    }
    return 1;
}

/* The input options checked once the library has detected the format. */
typedef struct {
    option_bits bits;
    char msg[768];   /* set when an option does not apply */
} input_check;

static ctl_status check_detected_input(ctl_ctx *ctx, const ctl_format *in, const ctl_format *out,
                                       void *user)
{
    (void)ctx;
    (void)out;
    input_check *c = user;
    return options_apply(in, 1, &c->bits, c->msg, sizeof c->msg) ? CTL_OK : CTL_EUSAGE;
}

/* Descriptors 0, 1 and 2 found closed get /dev/null opened the other way
 * round (read-only for output, write-only for input): no file ctlconv
 * opens takes their place, and any use of them fails.  Returns the mask
 * of those that were closed, or -1 when /dev/null cannot be opened. */
static int guard_standard_descriptors(void)
{
    int closed = 0;
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        closed |= 1 << fd;
        int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (got != fd) return -1;   /* the lowest free descriptor, which is fd */
    }
    return closed;
}

/* SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE (the reader of a pipe we
 * write has gone: ctlconv ... | head) remove the temporary files, then kill
 * the process as they would have: quietly, for SIGPIPE, as cat or grep. */
static void on_signal(int sig)
{
    ctl_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started us (nohup) stays ignored: an
         * ignored SIGPIPE makes a closed pipe a write error (exit 3) */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

/* A size above 0: digits, then K, M or G. */
static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*s)) return 0;   /* strtoull would take " -1" */
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || v == 0) return 0;
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k') { mul = 1ULL << 10; end++; }
    else if (*end == 'M' || *end == 'm') { mul = 1ULL << 20; end++; }
    else if (*end == 'G' || *end == 'g') { mul = 1ULL << 30; end++; }
    if (*end || v > (unsigned long long)SIZE_MAX / mul) return 0;
    *out = (size_t)(v * mul);
    return 1;
}

/* A library ctlconv calls may print on stderr by itself (libxlsxwriter does
 * on a few failures, such as one of its temporary files refused by the
 * disk).  While a conversion runs, stderr is a memory stream (this program
 * is single-threaded, so swapping it is safe here and nowhere else), and
 * whatever landed there is then printed in ctlconv's form, a line each. */
static FILE *real_stderr;
static char *stray;
static size_t stray_len;

static void stray_begin(void)
{
    FILE *m = open_memstream(&stray, &stray_len);
    if (!m) return;   /* then such text goes to the terminal as it is */
    real_stderr = stderr;
    stderr = m;
}

static void stray_end(const char *name)
{
    if (!real_stderr) return;
    fclose(stderr);
    stderr = real_stderr;
    real_stderr = NULL;
    for (char *line = stray, *end; line && line < stray + stray_len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(stray + stray_len - line));
        if (!end) end = stray + stray_len;
        if (end > line && diag_json) {
            char msg[1024];
            snprintf(msg, sizeof msg, "a library reported: %.*s", (int)(end - line), line);
            json_diag_line(stderr, "", "warning", name, 0, "", msg, "");   /* no code of ours */
        } else if (end > line) {
            fprintf(stderr, "ctlconv: %s: a library reported: %.*s\n", name, (int)(end - line), line);
        }
    }
    free(stray);
    stray = NULL;
}

/* The mapping file of --map: static, so that it stays reachable (and is
 * not reported as a leak) on the paths that return before the end. */
static ctl_map *loaded_map;

/* Reads the mapping file and fills the options it sets that the command
 * line left alone (*mapped: the CTL_READS_* bits it filled).  0, or the
 * exit status after printing the error. */
static int load_map(const char *path, ctl_options *opts, unsigned *mapped)
{
    ctl_ctx *ctx = ctl_ctx_new();
    if (!ctx) {
        fprintf(stderr, "ctlconv: out of memory\n");
        return ctl_status_exit_code(CTL_ENOMEM);
    }
    ctl_status st = ctl_map_read(ctx, path, &loaded_map);
    if (st == CTL_OK) st = ctl_map_apply(ctx, loaded_map, opts, mapped);
    if (st != CTL_OK)
        print_diag("", ctl_error_file(ctx), ctl_error_line(ctx), ctl_error_message(ctx), ctl_error_code(ctx),
                   ctl_error_limit(ctx));
    ctl_ctx_free(ctx);
    return st == CTL_OK ? 0 : ctl_status_exit_code(st);
}

/* ------------------------------------------------------------------------
 * ctlconv check: reads each list and reports what its authors would want
 * fixed (the library's ctl_check() and the reading's own findings).
 * ---------------------------------------------------------------------- */

static const char check_usage_text[] =
    "usage: ctlconv check [-f FORMAT] [OPTION...] FILE...\n"
    "\n"
    "Reads each list and reports what its authors would want fixed, one line\n"
    "per finding with its file, line and code: duplicate ids, gaps and disorder\n"
    "in the numbering, requirements without a measure or a category, category\n"
    "words no other item uses, references that are no identifiers of their\n"
    "scheme, references attached by inference or left unplaced, replacement\n"
    "characters and mojibake, cells a spreadsheet would run as formulas.\n"
    "\n"
    "  -f, --from FORMAT        input format (default: detected)\n"
    "      --encoding NAME      input encoding (default: detected)\n"
    "      --delimiter C        CSV input delimiter: ',' ';' or 'tab'\n"
    "      --column FIELD=HEADER  read the column named HEADER as FIELD (repeatable)\n"
    "      --sheet NAME|N       XLSX input: the sheet to read\n"
    "      --map FILE           read the input as the mapping file FILE describes it\n"
    "      --ref-scheme NAME    the scheme of references in a column whose header\n"
    "                           names none\n"
    "      --headings auto|yes|no  make heading items of repeated parent columns\n"
    "      --skip-bad-rows      skip a row whose id cell holds no identifier\n"
    "      --limit NAME=N       set a limit (see ctlconv --help)\n"
    "      --format text|json   findings as text lines (default) or as JSON, one\n"
    "                           object a line: code, severity, file, line, item,\n"
    "                           message\n"
    "  -v, --verbose            also the notes of the reading that are no findings\n"
    "                           (stray-header, encoding-guessed, ...)\n"
    "  -h, --help               this help\n"
    "\n"
    "Findings go to standard output, errors to standard error.  Exit status: 0\n"
    "when every list was read (findings are warnings), 1 when one could not be\n"
    "read (bad input or a limit), 2 usage, 3 input/output error, 4 out of memory\n"
    "or internal error.\n";

/* Warnings of the reading that say how it read, not what is wrong with
 * the list: printed with -v only. */
static int reading_note(ctl_diag code)
{
    switch (code) {
    case CTL_D_ENCODING_WEAK: case CTL_D_ENCODING_AMBIGUOUS: case CTL_D_ENCODING_GUESSED:
    case CTL_D_HEADER_REPEATED: case CTL_D_HEADINGS_MADE: case CTL_D_STRAY_HEADER:
    case CTL_D_TITLE_JOINED: case CTL_D_SHEET_CHOSEN: case CTL_D_NUMBER_FORMAT_IGNORED:
    case CTL_D_ID_GENERATED: case CTL_D_FIELD_DROPPED: case CTL_D_LEVEL_MISMATCH: case CTL_D_NOT_ISMS:
    case CTL_D_MORE_WARNINGS:
        return 1;
    default:
        return 0;
    }
}

/* The length of the valid UTF-8 character at p (2 to 4 bytes), or 0. */
static int utf8_char(const unsigned char *p)
{
    int n = p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3 : p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))) return 0;
    if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))) return 0;
    return n;
}

/* A JSON string of s (UTF-8 passed through, controls escaped, a byte that
 * is no UTF-8, as in a file name, as U+FFFD). */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        int n = *p >= 0x80 ? utf8_char(p) : 1;
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", out);
        else if (*p == '\t') fputs("\\t", out);
        else if (*p < 0x20 || *p == 0x7f) fprintf(out, "\\u%04x", *p);
        else if (!n) fputs("\\ufffd", out);
        else {
            fwrite(p, 1, (size_t)n, out);
            p += n - 1;
        }
    }
    fputc('"', out);
}

/* One diagnostic as a JSON object on a line (--diagnostics json). */
static void json_diag_line(FILE *out, const char *code, const char *severity, const char *file, long line,
                           const char *item, const char *msg, const char *hint)
{
    fputs("{\"code\":", out);
    json_string(out, code);
    fprintf(out, ",\"severity\":\"%s\",\"file\":", severity);
    json_string(out, file);
    fprintf(out, ",\"line\":%ld,\"item\":", line);
    json_string(out, item);
    fputs(",\"message\":", out);
    json_string(out, msg);
    fputs(",\"hint\":", out);
    json_string(out, hint);
    fputs("}\n", out);
}

/* A diagnostic of the library as a JSON line, its hint in this program's
 * words without the parentheses ("raise it with --limit items=N"). */
void ctlconv_json_diag(FILE *out, ctl_diag code, const char *file, long line, const char *item, const char *msg,
                       ctl_limit limit)
{
    char buf[128], hint[128] = "";
    const char *words = hint_text(code, limit, buf, sizeof buf);
    size_t n = strlen(words);
    if (n >= 3 && !strncmp(words, " (", 2) && words[n - 1] == ')') snprintf(hint, sizeof hint, "%.*s", (int)n - 3, words + 2);
    json_diag_line(out, ctl_diag_name(code), ctl_diag_severity(code) == CTL_SEV_ERROR ? "error" : "warning", file,
                   line, item, msg, hint);
}

/* json_string for converters/cli/batch.c */
void ctlconv_json_string(FILE *out, const char *s)
{
    json_string(out, s);
}

typedef struct {
    int json, verbose;
    size_t findings;
} check_run;

/* The diagnostic callback: a finding to standard output, an error to
 * standard error. */
static void check_report(void *user, const ctl_diag_info *d)
{
    check_run *r = user;
    int error = d->severity == CTL_SEV_ERROR;
    if (!error && !r->verbose && reading_note(d->code)) return;
    if (!error) r->findings++;
    if (r->json) {
        FILE *out = error ? stderr : stdout;
        fputs("{\"code\":", out);
        json_string(out, ctl_diag_name(d->code));
        fprintf(out, ",\"severity\":\"%s\",\"file\":", error ? "error" : "warning");
        json_string(out, d->file);
        fprintf(out, ",\"line\":%ld,\"item\":", d->line);
        json_string(out, d->item);
        fputs(",\"message\":", out);
        json_string(out, d->message);
        fputs("}\n", out);
    } else {
        print_diag_to(error ? stderr : stdout, error ? "" : "warning: ", d->file, d->line, d->message, d->code,
                      d->limit, "");
    }
}

/* Reads one file into a list and checks it; the status. */
static ctl_status check_file(ctl_ctx *ctx, const char *path, const ctl_format *fmt, const ctl_options *opts,
                             const option_bits *bits, char *msg, size_t size)
{
    unsigned char *data = NULL;
    size_t len = 0;
    ctl_status st = ctl_read_file(ctx, path, ctl_limit_value(opts, CTL_LIMIT_INPUT_SIZE), &data, &len);
    if (st == CTL_OK && !fmt) st = ctl_detect_format(ctx, path, data, len, opts, &fmt);
    if (st == CTL_OK && !options_apply(fmt, 1, bits, msg, size)) st = CTL_EUSAGE;
    ctl_list *list = NULL;
    if (st == CTL_OK && !(list = ctl_list_new())) {
        fprintf(stderr, "ctlconv: out of memory\n");
        st = CTL_ENOMEM;
    }
    if (st == CTL_OK) st = ctl_read(ctx, fmt, path, data, len, opts, &list->sink);
    if (st == CTL_OK) st = ctl_check(ctx, list);
    ctl_list_free(list);
    free(data);
    return st;
}

/* --delimiter C: into opts; 0, or the usage error's exit status. */
static int delimiter_option(const char *arg, ctl_options *opts)
{
    if (!strcmp(arg, ",") || !strcasecmp(arg, "comma")) opts->delimiter = ',';
    else if (!strcmp(arg, ";") || !strcasecmp(arg, "semicolon")) opts->delimiter = ';';
    else if (!strcmp(arg, "\t") || !strcasecmp(arg, "tab")) opts->delimiter = '\t';
    else return usage_error("--delimiter takes ',', ';' or 'tab', not '%s'", arg);
    return 0;
}

/* --column FIELD=HEADER: one more of opts' column maps, kept in maps (room
 * for max); 0, or the usage error's exit status. */
static int column_option(const char *arg, ctl_options *opts, ctl_column_map *maps, size_t max)
{
    const char *eq = strchr(arg, '=');
    ctl_field_kind f = eq ? ctl_field_from_header(arg, (size_t)(eq - arg)) : CTL_FIELD_NONE;
    if (!eq || !eq[1] || f == CTL_FIELD_NONE)
        return usage_error("--column takes FIELD=HEADER with FIELD one of id, label, level, "
                           "parent, refs, title, description, category, answer, not '%s'", arg);
    if (opts->n_columns == max) return usage_error("%s", "too many --column options");
    maps[opts->n_columns].field = f;
    maps[opts->n_columns].header = eq + 1;
    opts->columns = maps;
    opts->n_columns++;
    return 0;
}

/* The reading options, which a conversion and check take alike: their
 * getopt_long codes (a command's own codes start at OPT_READING_END) and
 * their rows of its table of long options. */
enum { OPT_ENCODING = 256, OPT_DELIM, OPT_COLUMN, OPT_SHEET, OPT_MAP, OPT_REFSCHEME, OPT_HEADINGS, OPT_SKIPBAD,
       OPT_LIMIT, OPT_READING_END };
#define READING_LONGOPTS                                        \
    {"encoding", required_argument, NULL, OPT_ENCODING},       \
    {"delimiter", required_argument, NULL, OPT_DELIM},          \
    {"column", required_argument, NULL, OPT_COLUMN},            \
    {"sheet", required_argument, NULL, OPT_SHEET},              \
    {"map", required_argument, NULL, OPT_MAP},                  \
    {"ref-scheme", required_argument, NULL, OPT_REFSCHEME},     \
    {"headings", required_argument, NULL, OPT_HEADINGS},        \
    {"skip-bad-rows", no_argument, NULL, OPT_SKIPBAD},          \
    {"limit", required_argument, NULL, OPT_LIMIT}

enum { MAX_COLUMN_MAPS = 32 };

/* What the reading options of a command line set. */
typedef struct {
    ctl_options *opts;                      /* its columns: maps */
    ctl_column_map maps[MAX_COLUMN_MAPS];
    unsigned given;                         /* the CTL_READS_* bits of the options given */
    const char *map_path;                   /* --map */
} reading_args;

/* Option c (a getopt_long code) with arg, when it is a reading option:
 * into r, then 0, or the usage error's exit status; -1 when c is none. */
static int reading_option(reading_args *r, int c, const char *arg)
{
    ctl_options *opts = r->opts;
    switch (c) {
    case OPT_ENCODING: opts->encoding = arg; r->given |= CTL_READS_ENCODING; return 0;
    case OPT_SHEET: opts->sheet = arg; r->given |= CTL_READS_SHEET; return 0;
    case OPT_SKIPBAD: opts->skip_bad_rows = 1; return 0;
    case OPT_MAP:
        if (!*arg) return usage_error("%s", "--map needs a file name, not ''");
        r->map_path = arg;
        return 0;
    case OPT_DELIM:
        if (delimiter_option(arg, opts)) return ctl_status_exit_code(CTL_EUSAGE);
        r->given |= CTL_READS_DELIMITER;
        return 0;
    case OPT_COLUMN:
        if (column_option(arg, opts, r->maps, MAX_COLUMN_MAPS)) return ctl_status_exit_code(CTL_EUSAGE);
        r->given |= CTL_READS_COLUMNS;
        return 0;
    case OPT_REFSCHEME:
        if (!(opts->ref_scheme = ctl_scheme_name(arg, strlen(arg))) && scheme_word(arg)) opts->ref_scheme = arg;
        if (!opts->ref_scheme)
            return usage_error("--ref-scheme takes a scheme such as iso27001-2022 or nist-sp800-53, or a "
                               "name of lower-case letters, digits and '-', not '%s'", arg);
        return 0;
    case OPT_HEADINGS:
        if (!strcmp(arg, "auto")) opts->make_headings = 0;
        else if (!strcmp(arg, "yes")) opts->make_headings = 1;
        else if (!strcmp(arg, "no")) opts->make_headings = -1;
        else return usage_error("--headings takes auto, yes or no, not '%s'", arg);
        return 0;
    case OPT_LIMIT: {
        /* the limits come from the library's table */
        const char *eq = strchr(arg, '=');
        ctl_limit k = eq ? ctl_limit_by_name(arg, (size_t)(eq - arg)) : CTL_LIMIT_COUNT;
        if (k == CTL_LIMIT_COUNT || !parse_size(eq + 1, &opts->limit[k])) {
            char names[256] = "";
            for (int i = 0; i < CTL_LIMIT_COUNT; i++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                         ctl_limit_name((ctl_limit)i));
            return usage_error("--limit takes NAME=N with N above 0 and NAME one of %s, not '%s'", names, arg);
        }
        return 0;
    }
    default: return -1;
    }
}

static int check_main(int argc, char **argv)
{
    enum { OPT_FORMAT = OPT_READING_END };
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        READING_LONGOPTS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *from = NULL;
    check_run run = {0, 0, 0};
    if (guard_standard_descriptors() < 0) return ctl_status_exit_code(CTL_EIO);
    ctl_options opts;
    ctl_options_init(&opts);
    reading_args reading = {.opts = &opts};
    opts.columns = reading.maps;
    opterr = 0;
    int c, rc;
    while ((c = getopt_long(argc, argv, ":f:vh", longopts, NULL)) != -1) {
        if ((rc = reading_option(&reading, c, optarg)) >= 0) {
            if (rc) return rc;
            continue;
        }
        switch (c) {
        case 'f': from = optarg; break;
        case 'v': run.verbose = 1; break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "text")) run.json = 0;
            else if (!strcmp(optarg, "json")) run.json = 1;
            else return usage_error("--format takes text or json, not '%s'", optarg);
            break;
        case 'h': fputs(check_usage_text, stdout); return stdout_status();
        case ':': return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: {
            char shortopt[3] = {'-', (char)optopt, 0};
            return usage_error("unknown option '%s' of check", optopt ? shortopt : argv[optind - 1]);
        }
        }
    }
    if (optind == argc) return usage_error("%s", "check needs a file to check ('-' is standard input)");
    for (int i = optind; i < argc; i++)
        if (!*argv[i]) return usage_error("%s", "check needs file names, not '' ('-' is standard input)");
    option_bits bits = {reading.given, 0, reading.map_path};
    if (reading.map_path) {
        rc = load_map(reading.map_path, &opts, &bits.mapped);
        if (rc) return rc;
        if (!from && ctl_map_format(loaded_map)) from = ctl_map_format(loaded_map)->name;
    }
    const ctl_format *fmt = NULL;
    if (from && !(fmt = ctl_format_by_name(from)))
        return usage_error("unknown input format '%s' (see ctlconv --list-formats)", from);
    if (fmt && !fmt->read) return usage_error("ctlconv cannot read %s (see ctlconv --list-formats)", fmt->name);
    char msg[768];
    if (fmt && !options_apply(fmt, 1, &bits, msg, sizeof msg)) return usage_error("%s", msg);
    rc = 0;
    for (int i = optind; i < argc; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        if (!ctx) {
            fprintf(stderr, "ctlconv: out of memory\n");
            return ctl_status_exit_code(CTL_ENOMEM);
        }
        ctl_set_diag_callback(ctx, check_report, &run);
        *msg = '\0';
        ctl_status st = check_file(ctx, argv[i], fmt, &opts, &bits, msg, sizeof msg);
        if (*msg) fprintf(stderr, "ctlconv: %s: %s\nTry 'ctlconv check --help'.\n", argv[i], msg);
        ctl_ctx_free(ctx);
        int code = ctl_status_exit_code(st);
        if (code > rc) rc = code;
    }
    ctl_map_free(loaded_map);
    loaded_map = NULL;
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "ctlconv: cannot write the findings to standard output\n");
        if (rc < 3) rc = ctl_status_exit_code(CTL_EIO);
    }
    return rc;
}

/* ------------------------------------------------------------------------
 * One conversion: of the input given, or of each input of a batch (in a
 * worker process).
 * ---------------------------------------------------------------------- */

/* What every conversion of a run shares. */
typedef struct {
    const ctl_format *in_fmt;
    const ctl_options *opts;
    option_bits bits;
    int strict, quiet, verbose;
} conversion;

/* --diagnostics json: the library's diagnostics as they are raised. */
typedef struct {
    FILE *out;
    int quiet;
} json_diags;

static void json_diag_callback(void *user, const ctl_diag_info *d)
{
    const json_diags *j = user;
    if (j->quiet && d->severity != CTL_SEV_ERROR) return;
    ctlconv_json_diag(j->out, d->code, d->file, d->line, d->item, d->message, d->limit);
}

/* The outcome of a conversion on stderr: the error first (the line that
 * matters), then the warnings; as JSON lines the library's diagnostics
 * went out as they were raised. */
static void report_outcome(ctl_ctx *ctx, ctl_status st, const char *input, const input_check *check,
                           const conversion *cv)
{
    if (*check->msg) {
        if (diag_json)
            json_diag_line(stderr, ctl_diag_name(CTL_D_BAD_ARGUMENT), "error", input, 0, "", check->msg,
                           "see ctlconv --help");
        else
            fprintf(stderr, "ctlconv: %s: %s\nTry 'ctlconv --help'.\n", input, check->msg);
    } else if (st != CTL_OK && !diag_json) {
        print_diag("", ctl_error_file(ctx), ctl_error_line(ctx), ctl_error_message(ctx), ctl_error_code(ctx),
                   ctl_error_limit(ctx));
    }
    if (!cv->quiet && !diag_json) print_warnings(ctx, cv->verbose);
}

/* Converts input into the outputs and reports on stderr; the exit status.
 * counts (batch mode), when not NULL: the items written and the warnings;
 * *code: the error's code, -1 when none. */
static int convert(void *user, const char *input, size_t n_out, const char *const *outputs,
                   const ctl_format *const *fmts, size_t counts[2], int *code)
{
    const conversion *cv = user;
    input_check check = {cv->bits, ""};
    ctl_options opts = *cv->opts;
    if (!cv->in_fmt) {
        opts.formats_known = check_detected_input;
        opts.formats_known_user = &check;
    }
    ctl_ctx *ctx = ctl_ctx_new();
    if (!ctx) {
        fprintf(stderr, "ctlconv: out of memory\n");
        if (code) *code = CTL_D_OUT_OF_MEMORY;
        return ctl_status_exit_code(CTL_ENOMEM);
    }
    json_diags jd = {stderr, cv->quiet};
    if (diag_json) ctl_set_diag_callback(ctx, json_diag_callback, &jd);
    stray_begin();
    ctl_status st = ctl_convert_files(ctx, input, cv->in_fmt, n_out, outputs, fmts, &opts, cv->strict);
    stray_end(n_out > 1 ? input : outputs[0] && *outputs[0] ? outputs[0] : "-");
    report_outcome(ctx, st, input, &check, cv);
    if (counts) {
        counts[0] = ctl_items_read(ctx);
        counts[1] = ctl_warning_count(ctx);
    }
    if (code) *code = st == CTL_OK ? -1 : *check.msg ? (int)CTL_D_BAD_ARGUMENT : (int)ctl_error_code(ctx);
    ctl_ctx_free(ctx);
    return ctl_status_exit_code(st);
}

/* The formats of -t, separated by commas, into fmts (room for
 * CTL_OUTPUTS_MAX); 0, or the usage error's exit status. */
static int output_formats(const char *to, const ctl_format **fmts, size_t *n)
{
    *n = 0;
    for (const char *p = to;; p++) {
        size_t len = strcspn(p, ",");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), p);
        const ctl_format *f = len < 63 ? ctl_format_by_name(name) : NULL;
        if (!f) return usage_error("unknown output format '%.*s' (see --list-formats)", (int)len, p);
        for (size_t i = 0; i < *n; i++)
            if (fmts[i] == f) return usage_error("-t names %s twice", f->name);
        if (*n == CTL_OUTPUTS_MAX) return usage_error("-t names at most %d formats", CTL_OUTPUTS_MAX);
        fmts[(*n)++] = f;
        p += len;
        if (!*p) return 0;
    }
}

/* Is --diagnostics json among the arguments?  Looked for before the
 * options are parsed, so that their usage errors are JSON too. */
static int json_wanted(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "--diagnostics") && i + 1 < argc) json = !strcmp(argv[++i], "json");
        else if (!strncmp(argv[i], "--diagnostics=", 14)) json = !strcmp(argv[i] + 14, "json");
    }
    return json;
}

/* The batch of the run: static, so that it stays reachable on the paths
 * that return before the end. */
static batch *the_batch;

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "diff")) return ctlconv_diff_main(argc - 1, argv + 1);
    enum { OPT_HEADER = OPT_READING_END, OPT_CRLF, OPT_STRICT, OPT_LIST, OPT_MAXIN, OPT_MAXFIELD, OPT_OUTENC,
           OPT_SUBST, OPT_EXCEL, OPT_ALLOW, OPT_LISTCODES, OPT_DATE, OPT_COMPONENT, OPT_DOCVERSION, OPT_LIBRARY,
           OPT_PACKAGER, OPT_COMPRESSION, OPT_FILESFROM, OPT_DIAGNOSTICS };
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"output-dir", required_argument, NULL, 'd'},
        {"recursive", no_argument, NULL, 'r'},
        {"files-from", required_argument, NULL, OPT_FILESFROM},
        {"null", no_argument, NULL, '0'},
        {"jobs", required_argument, NULL, 'j'},
        {"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
        READING_LONGOPTS,
        {"header", required_argument, NULL, OPT_HEADER},
        {"crlf", no_argument, NULL, OPT_CRLF},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"max-input-size", required_argument, NULL, OPT_MAXIN},
        {"max-field-size", required_argument, NULL, OPT_MAXFIELD},
        {"output-encoding", required_argument, NULL, OPT_OUTENC},
        {"substitute", no_argument, NULL, OPT_SUBST},
        {"excel-safe", no_argument, NULL, OPT_EXCEL},
        {"list-formats", no_argument, NULL, OPT_LIST},
        {"allow", required_argument, NULL, OPT_ALLOW},
        {"list-codes", no_argument, NULL, OPT_LISTCODES},
        {"date", required_argument, NULL, OPT_DATE},
        {"component", required_argument, NULL, OPT_COMPONENT},
        {"doc-version", required_argument, NULL, OPT_DOCVERSION},
        {"compression", required_argument, NULL, OPT_COMPRESSION},
        {"library", required_argument, NULL, OPT_LIBRARY},
        {"packager", required_argument, NULL, OPT_PACKAGER},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    if (argc > 1 && !strcmp(argv[1], "check")) return check_main(argc - 1, argv + 1);
    const char *from = NULL, *to = NULL, *output = NULL;
    int strict = 0, quiet = 0, verbose = 0;
    unsigned given = 0;   /* CTL_WRITES_* of the options given (the CTL_READS_* are reading's) */
    int closed = guard_standard_descriptors();
    if (closed < 0) return ctl_status_exit_code(CTL_EIO);
    ctl_options opts;
    ctl_options_init(&opts);
    reading_args reading = {.opts = &opts};
    opts.columns = reading.maps;
    ctl_diag allow[CTL_DIAG_COUNT];
    opts.allow = allow;
    diag_json = json_wanted(argc, argv);
    if (!the_batch && !(the_batch = batch_new())) {
        fprintf(stderr, "ctlconv: out of memory\n");
        return ctl_status_exit_code(CTL_ENOMEM);
    }

    opterr = 0;
    int c, rc;
    while ((c = getopt_long(argc, argv, ":f:t:o:d:rj:0qvhV", longopts, NULL)) != -1) {
        if ((rc = reading_option(&reading, c, optarg)) >= 0) {
            if (rc) return rc;
            continue;
        }
        switch (c) {
        case 'd':
            if ((rc = batch_option(the_batch, "output-dir", optarg))) return rc;
            break;
        case 'r': batch_option(the_batch, "recursive", NULL); break;
        case '0': batch_option(the_batch, "null", NULL); break;
        case 'j':
            if ((rc = batch_option(the_batch, "jobs", optarg))) return rc;
            break;
        case OPT_FILESFROM:
            if ((rc = batch_option(the_batch, "files-from", optarg))) return rc;
            break;
        case OPT_DIAGNOSTICS:
            if (!strcmp(optarg, "text")) diag_json = 0;
            else if (!strcmp(optarg, "json")) diag_json = 1;
            else return usage_error("--diagnostics takes text or json, not '%s'", optarg);
            break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'o':
            if (!*optarg) return usage_error("%s", "-o needs a file name, not ''");
            output = optarg;
            break;
        case 'q': quiet = 1; break;
        case 'v': verbose = 1; break;
        case OPT_HEADER:
            if (!strcasecmp(optarg, "en")) opts.header = CTL_HEADER_EN;
            else if (!strcasecmp(optarg, "ja")) opts.header = CTL_HEADER_JA;
            else return usage_error("--header takes 'en' or 'ja', not '%s'", optarg);
            given |= CTL_WRITES_HEADER_LANG;
            break;
        case OPT_CRLF: opts.crlf = 1; given |= CTL_WRITES_CRLF; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_MAXIN:
            if (!parse_size(optarg, &opts.limit[CTL_LIMIT_INPUT_SIZE]))
                return usage_error("--max-input-size takes a size above 0 such as 64M, not '%s'", optarg);
            break;
        case OPT_MAXFIELD:
            if (!parse_size(optarg, &opts.limit[CTL_LIMIT_FIELD_SIZE]))
                return usage_error("--max-field-size takes a size above 0 such as 64M, not '%s'", optarg);
            break;
        case OPT_OUTENC:
            if (!strcasecmp(optarg, "utf-8") || !strcasecmp(optarg, "utf8")) opts.out_encoding = CTL_OUT_UTF8;
            else if (!strcasecmp(optarg, "utf-8-bom") || !strcasecmp(optarg, "utf8-bom")) opts.out_encoding = CTL_OUT_UTF8_BOM;
            else if (!strcasecmp(optarg, "cp932") || !strcasecmp(optarg, "windows-31j") || !strcasecmp(optarg, "sjis"))
                opts.out_encoding = CTL_OUT_CP932;
            else return usage_error("--output-encoding takes utf-8, utf-8-bom or cp932, not '%s'", optarg);
            given |= CTL_WRITES_ENCODING;
            break;
        case OPT_SUBST: opts.substitute = 1; given |= CTL_WRITES_SUBSTITUTE; break;
        case OPT_EXCEL: opts.excel_safe = 1; given |= CTL_WRITES_EXCEL_SAFE; break;
        case OPT_DATE: opts.date = optarg; given |= CTL_WRITES_DATE; break;
        case OPT_COMPONENT:
            if (!*optarg || isspace((unsigned char)optarg[0]) || isspace((unsigned char)optarg[strlen(optarg) - 1]))
                return usage_error("--component takes a name that neither is empty nor begins or ends with "
                                   "white space, not '%s'", optarg);
            opts.component = optarg;
            given |= CTL_WRITES_COMPONENT;
            break;
        case OPT_DOCVERSION:
            if (!*optarg || strpbrk(optarg, " \t\r\n"))
                return usage_error("--doc-version takes a version without white space (1, 3.0, 2026-04), "
                                   "not '%s'", optarg);
            opts.doc_version = optarg;
            given |= CTL_WRITES_DOC_VERSION;
            break;
        case OPT_COMPRESSION:
            if (!optarg[0] || optarg[1] || optarg[0] < '0' || optarg[0] > '9')
                return usage_error("--compression takes a deflate level from 0 (none) to 9 (smallest), "
                                   "not '%s'", optarg);
            opts.compression = optarg[0] - '0' + 1;
            given |= CTL_WRITES_COMPRESSION;
            break;
        case OPT_LIBRARY:
        case OPT_PACKAGER:
            if (!urn_word(optarg))
                return usage_error("%s takes a name of lower-case ASCII letters, digits and '-' that begins "
                                   "with a letter or digit (at most 63), not '%s'",
                                   c == OPT_LIBRARY ? "--library" : "--packager", optarg);
            if (c == OPT_LIBRARY) opts.library = optarg;
            else opts.packager = optarg;
            given |= CTL_WRITES_LIBRARY;
            break;
        case OPT_ALLOW:
            if (!parse_allow(optarg, allow, &opts.n_allow))
                return usage_error("--allow takes warning codes separated by commas (see --list-codes), "
                                   "not '%s'", optarg);
            break;
        case OPT_LIST: list_formats(); return stdout_status();
        case OPT_LISTCODES: list_codes(); return stdout_status();
        case 'h': print_usage(); return stdout_status();
        case 'V': printf("ctlconv %s\n", CTL_VERSION); return stdout_status();
        case ':': return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: {
            char shortopt[3] = {'-', (char)optopt, 0};
            return usage_error("unknown option '%s'", optopt ? shortopt : argv[optind - 1]);
        }
        }
    }
    if (quiet && verbose) return usage_error("%s", "-q and -v ask for opposite things: give one");
    const ctl_format *fmts[CTL_OUTPUTS_MAX];
    size_t n_fmt = 0;
    if (to && (rc = output_formats(to, fmts, &n_fmt))) return rc;
    int batch_mode = batch_wanted(the_batch) || argc - optind > 1 || n_fmt > 1;
    if (batch_mode && output)
        return usage_error("%s", "-o names one output file: for several inputs or formats give -d OUTDIR alone");
    const char *input = optind < argc ? argv[optind] : "-";
    if (!batch_mode && !*input)
        return usage_error("%s", "the input needs a file name, not '' ('-' is standard input)");
    option_bits bits = {given | reading.given, 0, reading.map_path};
    if (reading.map_path) {
        rc = load_map(reading.map_path, &opts, &bits.mapped);
        if (rc) return rc;
        if (!from && ctl_map_format(loaded_map)) from = ctl_map_format(loaded_map)->name;
    }

    const ctl_format *in_fmt = NULL;
    if (from && !(in_fmt = ctl_format_by_name(from)))
        return usage_error("unknown input format '%s' (see --list-formats)", from);
    if (in_fmt && !in_fmt->read && in_fmt->refusal)
        return usage_error("ctlconv does not read %s: %s", in_fmt->name, in_fmt->refusal);
    if (in_fmt && !in_fmt->read)
        return usage_error("ctlconv cannot read %s yet (see --list-formats)", in_fmt->name);
    if (!n_fmt && !batch_mode && output && strcmp(output, "-") && (fmts[0] = ctl_format_by_extension(output)))
        n_fmt = 1;
    else if (!n_fmt && !batch_mode && output && strcmp(output, "-"))
        return usage_error("cannot tell the output format from '%s': give -t FORMAT", output);
    if (!n_fmt) return usage_error("%s", "give the output format with -t FORMAT (or -o FILE.EXT)");
    /* options that have no effect on the formats: the outputs' now, the
     * input's now if -f named it, else once the library has detected it */
    char msg[256];
    for (size_t i = 0; i < n_fmt; i++) {
        if (!fmts[i]->writer) return usage_error("ctlconv cannot write %s yet (see --list-formats)", fmts[i]->name);
        if (!options_apply(fmts[i], 0, &bits, msg, sizeof msg)) return usage_error("%s", msg);
    }
    if (in_fmt && !options_apply(in_fmt, 1, &bits, msg, sizeof msg)) return usage_error("%s", msg);
    if (opts.substitute && opts.out_encoding != CTL_OUT_CP932)
        return usage_error("%s", "--substitute has no effect without --output-encoding cp932");
    if (opts.n_allow && !strict) return usage_error("%s", "--allow has no effect without --strict");
    conversion cv = {in_fmt, &opts, bits, strict, quiet, verbose};
    signal(SIGXFSZ, SIG_IGN);   /* a file size limit is a write error (EFBIG, exit 3), not a kill */

    if (batch_mode) {
        catch_signals();
        batch_set_report(the_batch, diag_json, quiet);
        rc = batch_run(the_batch, argv + optind, argc - optind, n_fmt, fmts, convert, &cv);
        batch_free(the_batch);
        the_batch = NULL;
    } else {
        int desc = ctl_output_descriptor(output);
        if (desc >= 0 && desc < 3 && (closed & 1 << desc)) {
            fprintf(stderr, "ctlconv: %s: cannot write: %s is closed\n", output ? output : "-",
                    desc == 1 ? "standard output" : desc == 2 ? "standard error" : "standard input");
            return ctl_status_exit_code(CTL_EIO);
        }
        if (!strcmp(input, "-") && (closed & 1)) {
            fprintf(stderr, "ctlconv: -: cannot read: standard input is closed\n");
            return ctl_status_exit_code(CTL_EIO);
        }
        catch_signals();
        rc = convert(&cv, input, 1, &output, fmts, NULL, NULL);
    }
    ctl_map_free(loaded_map);
    loaded_map = NULL;
    return rc;
}
