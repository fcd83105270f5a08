/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the xml reader. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("xml", data, size, NULL);
    return 0;
}
