/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the JSON and JSON Lines readers. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("json", data, size, NULL);
    fuzz_read("jsonl", data, size, NULL);
    return 0;
}
