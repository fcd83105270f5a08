/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the OSCAL catalog readers (JSON and XML), and the
 * writer: what a reader made is written as an OSCAL JSON catalog (or
 * refused with a message) and read again without error. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>

/* Reads data as format in, writes it as out, reads that again. */
static void through(const char *in, const char *out, const uint8_t *data, size_t size)
{
    const ctl_format *fi = ctl_format_by_name(in), *fo = ctl_format_by_name(out);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *a = ctl_list_new(), *b = ctl_list_new();
    if (!fi || !fo || !ctx || !a || !b) __builtin_trap();
    ctl_options o;
    ctl_options_init(&o);
    o.date = "2026-01-01T00:00:00Z";
    if (ctl_read(ctx, fi, "fuzz", data, size, &o, &a->sink) == CTL_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        ctl_sink *sink = NULL;
        if (!f) __builtin_trap();
        ctl_status st = fo->writer(ctx, f, "fuzz-out", &o, &sink);
        if (st == CTL_OK) st = ctl_list_replay(a, ctx, sink);
        if (sink && sink->destroy) sink->destroy(sink);
        fclose(f);
        if (st != CTL_OK && !ctl_error_message(ctx)[0]) __builtin_trap();
        if (st == CTL_OK && ctl_read(ctx, fo, "fuzz-out", (const unsigned char *)buf, len, &o, &b->sink) != CTL_OK)
            __builtin_trap();
        free(buf);
    }
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("oscal-json", data, size, NULL);
    fuzz_read("oscal-xml", data, size, NULL);
    through("oscal-json", "oscal-json", data, size);
    through("oscal-xml", "oscal-xml", data, size);
    return 0;
}
