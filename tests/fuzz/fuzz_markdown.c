/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the markdown reader, and its writer: what the reader
 * made is written and read again without error.  With CTL_FUZZ_STRICT set
 * in the environment it must also be the same list (labels aside, which
 * Markdown does not carry; unless the writer warned of a loss) and rewrite
 * to the same bytes: garbage documents still break that (kept in
 * crashes/markdown/), so CI runs without it; the round-trip property on
 * generated lists (tests/unit/test_roundtrip_schemes.c) holds it. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *write_md(ctl_ctx *ctx, const ctl_format *fmt, const ctl_list *l, const ctl_options *o,
                      size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ctl_sink *sink = NULL;
    if (!f) __builtin_trap();
    ctl_status st = fmt->writer(ctx, f, "fuzz-out", o, &sink);
    if (st == CTL_OK) st = ctl_list_replay(l, ctx, sink);
    if (sink && sink->destroy) sink->destroy(sink);
    fclose(f);
    if (st != CTL_OK) __builtin_trap();
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("markdown", data, size, NULL);
    const ctl_format *fmt = ctl_format_by_name("markdown");
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *a = ctl_list_new(), *b = ctl_list_new();
    if (!fmt || !ctx || !a || !b) __builtin_trap();
    ctl_options o;
    ctl_options_init(&o);
    if (ctl_read(ctx, fmt, "fuzz", data, size, &o, &a->sink) == CTL_OK) {
        size_t n1, n2, warned = ctl_warning_count(ctx);
        char *one = write_md(ctx, fmt, a, &o, &n1);
        /* a writer that drops something says so (extra-dropped...): the
         * list then may differ; one that says nothing must keep it all */
        int kept = ctl_warning_count(ctx) == warned;
        if (ctl_read(ctx, fmt, "fuzz-out", (const unsigned char *)one, n1, &o, &b->sink) != CTL_OK) __builtin_trap();
        char why[256];
        int strict = getenv("CTL_FUZZ_STRICT") != NULL;
        if (strict && kept && !ctl_list_equal(a, b, 0, why, sizeof why)) __builtin_trap();
        char *two = write_md(ctx, fmt, b, &o, &n2);
        if (strict && (n1 != n2 || memcmp(one, two, n1))) __builtin_trap();
        free(one);
        free(two);
    }
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_ctx_free(ctx);
    return 0;
}
