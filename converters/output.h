/* SPDX-License-Identifier: BSD-2-Clause */
/* Output staging and temporary files (converters/output.c).  Internal. */
#ifndef CTL_OUTPUT_H
#define CTL_OUTPUT_H

#include "ctlconv.h"
#include <stdio.h>

/* The name diagnostics give a path: "-" for standard input or output
 * ("-" or NULL), the path itself otherwise. */
const char *ctl_display_name(const char *path);

/* Where a conversion's output goes, staged in a temporary file until
 * ctl_output_commit. */
typedef struct ctl_output ctl_output;

/* Prepares the output path ("-" or NULL: standard output) before any work:
 * the path walked with every symbolic link under the rule in README.md, a
 * descriptor duplicated or a FIFO or device opened, a temporary file
 * created.  *out is set even on failure (for ctl_output_close). */
ctl_status ctl_output_open(ctl_ctx *ctx, const char *path, ctl_output **out);
/* The stream the writer writes to. */
FILE *ctl_output_stream(ctl_output *o);
/* Puts the finished output in place: renamed over the target in the
 * directory held since ctl_output_open, or copied to the descriptor or
 * device opened then. */
ctl_status ctl_output_commit(ctl_ctx *ctx, ctl_output *o);
/* Removes what is left (the temporary file unless committed) and frees. */
void ctl_output_close(ctl_output *o);

/* Temporary directories: see internal.h. */

#endif
