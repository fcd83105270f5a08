/* SPDX-License-Identifier: BSD-2-Clause */
/* Status table, the context object, errors and warnings. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctl_warning {
    char *message;
    char *file;
    char *item;
    long line;
    ctl_diag code;
} ctl_warning;

struct ctl_ctx {
    ctl_status status;
    ctl_diag code;
    ctl_limit limit;
    char message[1024];
    char file[512];
    char item[64];
    long line;
    ctl_warning *warnings;
    size_t n_warnings, cap_warnings;
    size_t warnings_lost;
    size_t per_code[CTL_DIAG_COUNT];
    ctl_diag_fn callback;
    void *callback_user;
    int held;              /* callbacks wait (a guess of the format) */
    size_t held_mark;      /* warnings kept before the hold */
    int held_error;        /* the error was raised during the hold */
    size_t items_read;     /* items readers handed on (ctl_items_read) */
};

static const struct {
    const char *text;
    int exit_code;
} status_table[] = {
#define CTL_X_ROW(name, code, text) {text, code},
    CTL_STATUS_TABLE(CTL_X_ROW)
#undef CTL_X_ROW
};

static const struct {
    const char *name;
    ctl_severity severity;
    ctl_status status;
    ctl_hint hint;
    const char *meaning;
} diag_table[CTL_DIAG_COUNT] = {
#define CTL_X_ROW(code, name, sev, st, hint, meaning) [code] = {name, sev, st, hint, meaning},
    CTL_DIAG_TABLE(CTL_X_ROW)
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

const char *ctl_diag_name(ctl_diag code)
{
    return (unsigned)code < CTL_DIAG_COUNT ? diag_table[code].name : NULL;
}

const char *ctl_diag_meaning(ctl_diag code)
{
    return (unsigned)code < CTL_DIAG_COUNT ? diag_table[code].meaning : NULL;
}

ctl_diag ctl_diag_by_name(const char *name)
{
    for (int i = 0; name && i < CTL_DIAG_COUNT; i++)
        if (!strcmp(diag_table[i].name, name)) return (ctl_diag)i;
    return CTL_DIAG_COUNT;
}

ctl_severity ctl_diag_severity(ctl_diag code)
{
    return (unsigned)code < CTL_DIAG_COUNT ? diag_table[code].severity : CTL_SEV_ERROR;
}

ctl_status ctl_diag_status(ctl_diag code)
{
    return (unsigned)code < CTL_DIAG_COUNT ? diag_table[code].status : CTL_EINTERNAL;
}

ctl_hint ctl_diag_hint(ctl_diag code)
{
    return (unsigned)code < CTL_DIAG_COUNT ? diag_table[code].hint : CTL_HINT_NONE;
}

ctl_ctx *ctl_ctx_new(void)
{
    ctl_ctx *ctx = ctl_malloc(sizeof *ctx);
    if (!ctx) return NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->code = CTL_DIAG_COUNT;
    ctx->limit = CTL_LIMIT_COUNT;
    return ctx;
}

static void warning_free(ctl_warning *w)
{
    ctl_free(w->message);
    ctl_free(w->file);
    ctl_free(w->item);
}

void ctl_ctx_free(ctl_ctx *ctx)
{
    if (!ctx) return;
    for (size_t i = 0; i < ctx->n_warnings; i++) warning_free(&ctx->warnings[i]);
    ctl_free(ctx->warnings);
    ctl_free(ctx);
}

void ctl_set_diag_callback(ctl_ctx *ctx, ctl_diag_fn fn, void *user)
{
    ctx->callback = fn;
    ctx->callback_user = user;
}

ctl_status ctl_error_status(const ctl_ctx *ctx) { return ctx->status; }
ctl_diag ctl_error_code(const ctl_ctx *ctx) { return ctx->code; }
const char *ctl_error_message(const ctl_ctx *ctx) { return ctx->message; }
const char *ctl_error_file(const ctl_ctx *ctx) { return ctx->file; }
long ctl_error_line(const ctl_ctx *ctx) { return ctx->line; }
const char *ctl_error_item(const ctl_ctx *ctx) { return ctx->item; }
ctl_limit ctl_error_limit(const ctl_ctx *ctx) { return ctx->limit; }

void ctl_error_clear(ctl_ctx *ctx)
{
    ctx->status = CTL_OK;
    ctx->code = CTL_DIAG_COUNT;
    ctx->limit = CTL_LIMIT_COUNT;
    ctx->message[0] = ctx->file[0] = ctx->item[0] = '\0';
    ctx->line = 0;
    ctx->held_error = 0;
}

static void tell(ctl_ctx *ctx, ctl_diag code, const char *file, long line, const char *item,
                 const char *message, ctl_limit limit)
{
    if (!ctx->callback) return;
    ctl_diag_info d = {code, ctl_diag_severity(code), file ? file : "", line, item ? item : "",
                       message, limit};
    ctx->callback(ctx->callback_user, &d);
}

static void tell_error(ctl_ctx *ctx)
{
    if (ctx->held) ctx->held_error = 1;
    else tell(ctx, ctx->code, ctx->file, ctx->line, ctx->item, ctx->message, ctx->limit);
}

static ctl_status vfail(ctl_ctx *ctx, ctl_diag code, ctl_limit limit, const char *file, long line,
                        const char *item, const char *fmt, va_list ap)
{
    /* The first error is the cause; later ones are consequences. */
    if (ctx->status != CTL_OK) return ctx->status;
    ctl_status st = ctl_diag_status(code);
    if (st == CTL_OK) st = CTL_EINTERNAL;   /* a warning code: a bug of the caller */
    ctx->status = st;
    ctx->code = code;
    ctx->limit = limit;
    snprintf(ctx->file, sizeof ctx->file, "%s", file ? file : "");
    snprintf(ctx->item, sizeof ctx->item, "%s", item ? item : "");
    ctx->line = line;
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    tell_error(ctx);
    return st;
}

ctl_status ctl_fail(ctl_ctx *ctx, ctl_diag code, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctl_status st = vfail(ctx, code, CTL_LIMIT_COUNT, file, line, NULL, fmt, ap);
    va_end(ap);
    return st;
}

ctl_status ctl_fail_item(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                         const char *item, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctl_status st = vfail(ctx, code, CTL_LIMIT_COUNT, file, line, item, fmt, ap);
    va_end(ap);
    return st;
}

ctl_status ctl_nomem(ctl_ctx *ctx)
{
    return ctl_fail(ctx, CTL_D_OUT_OF_MEMORY, NULL, 0, "out of memory");
}

enum { MAX_WARNINGS = 1000 };

/* Past the cap: the last warning kept becomes the count of those lost,
 * rewritten in place (no allocation per warning lost). */
static ctl_status count_lost(ctl_ctx *ctx)
{
    enum { SUMMARY = 64 };
    ctl_warning *last = &ctx->warnings[MAX_WARNINGS - 1];
    if (!ctx->warnings_lost) {
        char *m = ctl_malloc(SUMMARY);
        if (!m) return ctl_nomem(ctx);
        ctl_free(last->message);
        last->message = m;
        last->line = 0;
        last->item[0] = '\0';
        last->code = CTL_D_MORE_WARNINGS;
    }
    ctx->warnings_lost++;
    snprintf(last->message, SUMMARY, "... and %zu more warning(s) not shown", ctx->warnings_lost + 1);
    return CTL_OK;
}

static ctl_status keep_warning(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                               const char *item, const char *msg)
{
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
    w->item = ctl_strdup(item ? item : "");
    if (!w->message || !w->file || !w->item) {
        warning_free(w);
        return ctl_nomem(ctx);
    }
    w->line = line;
    w->code = code;
    ctx->n_warnings++;
    return CTL_OK;
}

static ctl_status vwarn(ctl_ctx *ctx, ctl_diag code, const char *file, long line, const char *item,
                        const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ctl_status st = ctx->n_warnings >= MAX_WARNINGS ? count_lost(ctx)
                                                     : keep_warning(ctx, code, file, line, item, msg);
    if (st != CTL_OK) return st;
    if ((unsigned)code < CTL_DIAG_COUNT) ctx->per_code[code]++;
    if (!ctx->held) tell(ctx, code, file, line, item, msg, CTL_LIMIT_COUNT);
    return CTL_OK;
}

ctl_status ctl_warn(ctl_ctx *ctx, ctl_diag code, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctl_status st = vwarn(ctx, code, file, line, NULL, fmt, ap);
    va_end(ap);
    return st;
}

ctl_status ctl_warn_item(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                         const char *item, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctl_status st = vwarn(ctx, code, file, line, item, fmt, ap);
    va_end(ap);
    return st;
}

void ctl_warnings_forget_since(ctl_ctx *ctx, size_t mark)
{
    if (ctx->warnings_lost) return;
    while (ctx->n_warnings > mark) {
        ctl_warning *w = &ctx->warnings[--ctx->n_warnings];
        if ((unsigned)w->code < CTL_DIAG_COUNT && ctx->per_code[w->code]) ctx->per_code[w->code]--;
        warning_free(w);
    }
    if (ctx->held_mark > ctx->n_warnings) ctx->held_mark = ctx->n_warnings;
}

void ctl_diag_hold(ctl_ctx *ctx)
{
    if (!ctx->held++) {
        ctx->held_mark = ctx->n_warnings;
        ctx->held_error = 0;
    }
}

void ctl_diag_release(ctl_ctx *ctx)
{
    if (!ctx->held || --ctx->held) return;
    for (size_t i = ctx->held_mark; i < ctx->n_warnings; i++) {
        const ctl_warning *w = &ctx->warnings[i];
        tell(ctx, w->code, w->file, w->line, w->item, w->message, CTL_LIMIT_COUNT);
    }
    if (ctx->held_error && ctx->status != CTL_OK) tell_error(ctx);
    ctx->held_error = 0;
}

size_t ctl_warning_count(const ctl_ctx *ctx) { return ctx->n_warnings + ctx->warnings_lost; }

size_t ctl_items_read(const ctl_ctx *ctx) { return ctx->items_read; }

void ctl_items_add(ctl_ctx *ctx, size_t n) { ctx->items_read += n; }
size_t ctl_warning_count_of(const ctl_ctx *ctx, ctl_diag code)
{
    return (unsigned)code < CTL_DIAG_COUNT ? ctx->per_code[code] : 0;
}
size_t ctl_warning_kept(const ctl_ctx *ctx) { return ctx->n_warnings; }
ctl_diag ctl_warning_code(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].code : CTL_DIAG_COUNT;
}
const char *ctl_warning_message(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].message : "";
}
const char *ctl_warning_file(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].file : "";
}
long ctl_warning_line(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].line : 0;
}
const char *ctl_warning_item(const ctl_ctx *ctx, size_t i)
{
    return i < ctx->n_warnings ? ctx->warnings[i].item : "";
}

/* Every limit ctlconv owns: its --limit name, its default, what it bounds.
 * The CLI's --limit and --help and every refusal's hint come from here (the
 * README's table is a copy: keep it in step). */
static const struct {
    const char *name;
    size_t value;
    const char *about;
} limit_table[CTL_LIMIT_COUNT] = {
    [CTL_LIMIT_INPUT_SIZE] = {"input-size", (size_t)256 << 20, "bytes of one input (read whole)"},
    [CTL_LIMIT_FIELD_SIZE] = {"field-size", (size_t)64 << 20, "bytes of one CSV/TSV field"},
    [CTL_LIMIT_COLUMNS] = {"columns", 16384, "cells in one row (CSV, TSV, XLSX); different keys of JSON records"},
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
    va_list ap;
    va_start(ap, fmt);
    ctl_status st = vfail(ctx, CTL_D_LIMIT, (unsigned)which < CTL_LIMIT_COUNT ? which : CTL_LIMIT_COUNT,
                          file, line, NULL, fmt, ap);
    va_end(ap);
    return st;
}
