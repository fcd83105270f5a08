/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the text reader. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("text", data, size, NULL);
    return 0;
}
