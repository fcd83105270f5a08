/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the XLSX reader on whole archives (the zip layer). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read("xlsx", data, size, NULL);
    return 0;
}
