/* SPDX-License-Identifier: BSD-2-Clause */
/* What the pipeline, which alone walks the format table, offers the other
 * converters.  Not part of the public API. */
#ifndef CTL_PIPELINE_H
#define CTL_PIPELINE_H

#include "internal.h"

/* The format named s[0..len) (case-insensitive) if ctlconv reads it, else
 * NULL; names receives the names of the formats it reads, joined with
 * ", " (cut to size). */
const ctl_format *ctl_reading_format(const char *s, size_t len, char *names, size_t size);

#endif
