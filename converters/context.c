/* Status table, the context object, errors and warnings. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctl_warning {
    char *message;
    char *file;
    long line;
} ctl_warning;

struct ctl_ctx {
    ctl_status status;
    char message[1024];
    char file[512];
    long line;
    ctl_warning *warnings;
    size_t n_warnings, cap_warnings;
    size_t warnings_lost;
};

static const struct {
    const char *text;
    int exit_code;
} status_table[] = {
#define CTL_X_ROW(name, code, text) {text, code},
    CTL_STATUS_TABLE(CTL_X_ROW)
#undef CTL_X_ROW
};

const char *ctl_status_text(ctl_status st)
{
    if ((unsigned)st >= CTL_STATUS_COUNT) return "unknown status";
    return status_table[st].text;
}

int ctl_status_exit_code(ctl_status st)
{
    if ((unsigned)st >= CTL_STATUS_COUNT) return 4;
    return status_table[st].exit_code;
}

ctl_ctx *ctl_ctx_new(void)
{
    ctl_ctx *ctx = ctl_malloc(sizeof *ctx);
    if (!ctx) return NULL;
    memset(ctx, 0, sizeof *ctx);
    return ctx;
}

void ctl_ctx_free(ctl_ctx *ctx)
{
    if (!ctx) return;
    for (size_t i = 0; i < ctx->n_warnings; i++) {
        ctl_free(ctx->warnings[i].message);
        ctl_free(ctx->warnings[i].file);
    }
    ctl_free(ctx->warnings);
    ctl_free(ctx);
}

ctl_status ctl_error_status(const ctl_ctx *ctx) { return ctx->status; }
const char *ctl_error_message(const ctl_ctx *ctx) { return ctx->message; }
const char *ctl_error_file(const ctl_ctx *ctx) { return ctx->file; }
long ctl_error_line(const ctl_ctx *ctx) { return ctx->line; }

void ctl_error_clear(ctl_ctx *ctx)
{
    ctx->status = CTL_OK;
    ctx->message[0] = ctx->file[0] = '\0';
    ctx->line = 0;
}

ctl_status ctl_fail(ctl_ctx *ctx, ctl_status st, const char *file, long line,
                    const char *fmt, ...)
{
    /* The first error is the cause; later ones are consequences. */
    if (ctx->status != CTL_OK) return ctx->status;
    ctx->status = st;
    snprintf(ctx->file, sizeof ctx->file, "%s", file ? file : "");
    ctx->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    return st;
}

ctl_status ctl_nomem(ctl_ctx *ctx)
{
    return ctl_fail(ctx, CTL_ENOMEM, NULL, 0, "out of memory");
}

enum { MAX_WARNINGS = 1000 };

ctl_status ctl_warn(ctl_ctx *ctx, const char *file, long line, const char *fmt, ...)
{
    char msg[1024];
    /* a hostile input can warn on every line: keep the first ones, count
     * the rest in the last one kept, rewritten in place (no allocation per
     * warning lost) */
    if (ctx->n_warnings >= MAX_WARNINGS) {
        enum { SUMMARY = 64 };
        ctl_warning *last = &ctx->warnings[MAX_WARNINGS - 1];
        if (!ctx->warnings_lost) {
            char *m = ctl_malloc(SUMMARY);
            if (!m) return ctl_nomem(ctx);
            ctl_free(last->message);
            last->message = m;
            last->line = 0;
        }
        ctx->warnings_lost++;
        snprintf(last->message, SUMMARY, "... and %zu more warning(s) not shown", ctx->warnings_lost + 1);
        return CTL_OK;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (ctx->n_warnings == ctx->cap_warnings) {
        size_t cap = ctx->cap_warnings ? ctx->cap_warnings * 2 : 16;
        ctl_warning *w = ctl_realloc(ctx->warnings, cap * sizeof *w);
        if (!w) return ctl_nomem(ctx);
        ctx->warnings = w;
        ctx->cap_warnings = cap;
    }
    ctl_warning *w = &ctx->warnings[ctx->n_warnings];
    w->message = ctl_strdup(msg);
    w->file = ctl_strdup(file ? file : "");
    if (!w->message || !w->file) {
        ctl_free(w->message);
        ctl_free(w->file);
        return ctl_nomem(ctx);
    }
    w->line = line;
    ctx->n_warnings++;
    return CTL_OK;
}

void ctl_warnings_forget_since(ctl_ctx *ctx, size_t mark)
{
    if (ctx->warnings_lost) return;
    while (ctx->n_warnings > mark) {
        ctl_warning *w = &ctx->warnings[--ctx->n_warnings];
        ctl_free(w->message);
        ctl_free(w->file);
    }
}

size_t ctl_warning_count(const ctl_ctx *ctx) { return ctx->n_warnings + ctx->warnings_lost; }
const char *ctl_warning_message(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].message : "";
}

size_t ctl_warning_kept(const ctl_ctx *ctx) { return ctx->n_warnings; }
const char *ctl_warning_file(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].file : "";
}
long ctl_warning_line(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].line : 0;
}

/* Every limit ctlconv owns: its --limit name, its default, what it bounds.
 * The CLI's --limit and --help and every refusal come from here (the
 * README's table is a copy: keep it in step). */
static const struct {
    const char *name;
    size_t value;
    const char *about;
} limit_table[CTL_LIMIT_COUNT] = {
    [CTL_LIMIT_INPUT_SIZE] = {"input-size", (size_t)256 << 20, "bytes of one input (read whole)"},
    [CTL_LIMIT_FIELD_SIZE] = {"field-size", (size_t)64 << 20, "bytes of one CSV/TSV field"},
    [CTL_LIMIT_COLUMNS] = {"columns", 16384, "cells in one row (CSV, TSV, XLSX)"},
    [CTL_LIMIT_ITEMS] = {"items", 1000000, "items in one list"},
    [CTL_LIMIT_ZIP_ENTRIES] = {"zip-entries", 1000, "entries in an XLSX archive"},
    [CTL_LIMIT_ZIP_ENTRY_SIZE] = {"zip-entry-size", (size_t)256 << 20, "inflated bytes of one XLSX part"},
    [CTL_LIMIT_ZIP_TOTAL_SIZE] = {"zip-total-size", (size_t)1 << 30, "inflated bytes of all XLSX parts"},
    [CTL_LIMIT_ZIP_RATIO] = {"zip-ratio", 100, "inflated : compressed size of an XLSX part"},
    [CTL_LIMIT_JSON_MEMORY] = {"json-memory", (size_t)16 << 20,
                               "bytes jansson may build for one JSON item or member, beyond 3 x its size"},
};

void ctl_options_init(ctl_options *opts)
{
    memset(opts, 0, sizeof *opts);
    for (int i = 0; i < CTL_LIMIT_COUNT; i++) opts->limit[i] = limit_table[i].value;
}

const char *ctl_limit_name(ctl_limit which)
{
    return (unsigned)which < CTL_LIMIT_COUNT ? limit_table[which].name : NULL;
}

size_t ctl_limit_default(ctl_limit which)
{
    return (unsigned)which < CTL_LIMIT_COUNT ? limit_table[which].value : 0;
}

const char *ctl_limit_about(ctl_limit which)
{
    return (unsigned)which < CTL_LIMIT_COUNT ? limit_table[which].about : NULL;
}

ctl_limit ctl_limit_by_name(const char *name, size_t len)
{
    for (int i = 0; i < CTL_LIMIT_COUNT; i++)
        if (strlen(limit_table[i].name) == len && !memcmp(limit_table[i].name, name, len)) return (ctl_limit)i;
    return CTL_LIMIT_COUNT;
}

size_t ctl_limit_value(const ctl_options *opts, ctl_limit which)
{
    if ((unsigned)which >= CTL_LIMIT_COUNT) return 0;
    return opts && opts->limit[which] ? opts->limit[which] : limit_table[which].value;
}

ctl_status ctl_limit_fail(ctl_ctx *ctx, const char *file, long line, ctl_limit which,
                          const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctl_fail(ctx, CTL_ELIMIT, file, line, "%s (raise it with --limit %s=N)", msg,
                    ctl_limit_name(which) ? ctl_limit_name(which) : "?");
}
