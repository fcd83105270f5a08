/* Output staging and temporary files (converters/output.c).  Internal. */
#ifndef CTL_OUTPUT_H
#define CTL_OUTPUT_H

#include "ctlconv.h"
#include <stdio.h>

/* Where a conversion's output goes, staged in a temporary file until
 * ctl_output_commit. */
typedef struct ctl_output ctl_output;

/* Prepares the output path ("-" or NULL: standard output) before any work:
 * a descriptor is duplicated, a symbolic link resolved under the rule in
 * README.md, a temporary file created.  *out is set even on failure (for
 * ctl_output_close). */
ctl_status ctl_output_open(ctl_ctx *ctx, const char *path, ctl_output **out);
/* The stream the writer writes to. */
FILE *ctl_output_stream(ctl_output *o);
/* Puts the finished output in place: renamed over the target, or copied
 * to the descriptor or device. */
ctl_status ctl_output_commit(ctl_ctx *ctx, ctl_output *o);
/* Removes what is left (the temporary file unless committed) and frees. */
void ctl_output_close(ctl_output *o);

/* Temporary directories: see internal.h. */

#endif
