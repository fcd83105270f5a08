/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the fuzz harnesses: read bytes of one format into a list and
 * throw it away; any crash, leak, hang or sanitizer report is a finding. */
#ifndef CTL_FUZZ_COMMON_H
#define CTL_FUZZ_COMMON_H

#include "ctlconv.h"

#include <stddef.h>
#include <stdint.h>

static inline void fuzz_read(const char *format, const uint8_t *data, size_t size, const char *encoding)
{
    const ctl_format *fmt = ctl_format_by_name(format);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *l = ctl_list_new();
    if (!fmt || !ctx || !l) __builtin_trap();
    ctl_options o;
    ctl_options_init(&o);
    o.encoding = encoding;
    o.limit[CTL_LIMIT_ZIP_ENTRY_SIZE] = 16 << 20;   /* keep zip bombs cheap while fuzzing */
    o.limit[CTL_LIMIT_ZIP_TOTAL_SIZE] = 32 << 20;
    ctl_status st = ctl_read(ctx, fmt, "fuzz", data, size, &o, &l->sink);
    /* every failure must say something */
    if (st != CTL_OK && !ctl_error_message(ctx)[0]) __builtin_trap();
    if (st == CTL_OK)
        for (size_t i = 0; i < l->n_items; i++)
            if (!l->items[i].id || !l->items[i].title || l->items[i].level < 1) __builtin_trap();
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}

#endif
