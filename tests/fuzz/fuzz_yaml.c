/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the CISO Assistant library YAML reader, and its writer:
 * what the reader made is written (or refused with a message: a name over
 * 200 characters) and read again without error. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("ciso-yaml", data, size, NULL);
    const ctl_format *fmt = ctl_format_by_name("ciso-yaml");
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *a = ctl_list_new(), *b = ctl_list_new();
    if (!fmt || !ctx || !a || !b) __builtin_trap();
    ctl_options o;
    ctl_options_init(&o);
    if (ctl_read(ctx, fmt, "fuzz", data, size, &o, &a->sink) == CTL_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        ctl_sink *sink = NULL;
        if (!f) __builtin_trap();
        ctl_status st = fmt->writer(ctx, f, "fuzz-out", &o, &sink);
        if (st == CTL_OK) st = ctl_list_replay(a, ctx, sink);
        if (sink && sink->destroy) sink->destroy(sink);
        fclose(f);
        if (st != CTL_OK && !ctl_error_message(ctx)[0]) __builtin_trap();
        if (st == CTL_OK && ctl_read(ctx, fmt, "fuzz-out", (const unsigned char *)buf, len, &o, &b->sink) != CTL_OK)
            __builtin_trap();
        free(buf);
    }
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_ctx_free(ctx);
    return 0;
}
