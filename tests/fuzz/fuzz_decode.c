/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: encoding detection and decoding; the first byte picks
 * detection or one of the encodings users name. */
#include "fuzz_common.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {NULL, "UTF-8", "CP932", "EUC-JP-MS", "UTF-16LE", "UTF-16BE"};
    if (!size) return 0;
    const char *enc = encodings[data[0] % (sizeof encodings / sizeof *encodings)];
    ctl_ctx *ctx = ctl_ctx_new();
    char *out = NULL;
    size_t out_len = 0;
    const char *used = NULL;
    ctl_status st = ctl_decode(ctx, "fuzz", data + 1, size - 1, enc, &out, &out_len, &used);
    if (st == CTL_OK) {
        if (!out || out[out_len] != '\0' || !used) __builtin_trap();
    } else if (out || !ctl_error_message(ctx)[0]) {
        __builtin_trap();
    }
    free(out);
    ctl_ctx_free(ctx);
    return 0;
}
