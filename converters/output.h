/* SPDX-License-Identifier: BSD-2-Clause */
/* Output staging and temporary files (converters/output.c).  Internal. */
#ifndef CTL_OUTPUT_H
#define CTL_OUTPUT_H

#include "ctlconv.h"
#include <stdio.h>
#include <sys/stat.h>

/* The name diagnostics give a path: "-" for standard input or output
 * ("-" or NULL), the path itself otherwise. */
const char *ctl_display_name(const char *path);

/* An input being read: its first part (the head) in data, and maybe the
 * rest still to come from fd. */
typedef struct ctl_infile {
    const char *name;
    int fd, is_stdin;
    struct stat sb;
    int sized;               /* a regular file whose size is a promise */
    off_t start;             /* where reading started in it */
    size_t limit;            /* CTL_LIMIT_INPUT_SIZE of a whole read */
    unsigned char *data;     /* what was read whole, NUL-terminated */
    size_t len;
    int whole;               /* data is all of the input */
    size_t done;             /* bytes read from fd so far */
    int checked;             /* the unchanged check was made */
} ctl_infile;

/* Opens the input ("-" or NULL: standard input) and reads the first head
 * bytes (SIZE_MAX: all; a regular file over limit is then refused before
 * it is read).  *f is set for ctl_infile_close even on failure. */
ctl_status ctl_infile_open(ctl_ctx *ctx, const char *path, size_t limit, size_t head, ctl_infile *f);
/* Reads the rest whole under the limit (as ctl_read_file does); a
 * regular file is checked to be unchanged. */
ctl_status ctl_infile_rest(ctl_ctx *ctx, ctl_infile *f);
/* Reads up to size more bytes past the head into buf (*got 0: the end,
 * where a regular file is checked to be unchanged). */
ctl_status ctl_infile_read(ctl_ctx *ctx, ctl_infile *f, unsigned char *buf, size_t size, size_t *got);
/* Closes the file (not standard input) and frees data. */
void ctl_infile_close(ctl_infile *f);
/* An input read in place (f->sized, not whole): reads n bytes at offset
 * off from its start into buf (pread: threads may read at once); *got
 * fewer at its end.  Returns 0 or an errno value.  A ctl_input.read_at. */
int ctl_infile_read_at(void *f, void *buf, size_t n, unsigned long long off, size_t *got);
/* A regular file over the input-size limit?  CTL_OK, or the limit
 * refused (before reading the rest whole, or reading in place). */
ctl_status ctl_infile_in_place(ctl_ctx *ctx, ctl_infile *f);
/* An input read in place: has it changed since it was opened (its size
 * or time of change; 1 too when it cannot be told)? */
int ctl_infile_changed(const ctl_infile *f);

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
/* Lets an output to a descriptor or a device go out as it is made: the
 * first CTL_OUTPUT_HELD bytes are held (a conversion that fails before
 * leaves nothing), then everything is written through; a failure later
 * leaves what was written.  A file's output stays staged.  Call before
 * anything is written. */
enum { CTL_OUTPUT_HELD = 64 * 1024 };
ctl_status ctl_output_through(ctl_ctx *ctx, ctl_output *o);
/* Puts the finished output in place: renamed over the target in the
 * directory held since ctl_output_open, or copied to the descriptor or
 * device opened then. */
ctl_status ctl_output_commit(ctl_ctx *ctx, ctl_output *o);
/* Removes what is left (the temporary file unless committed) and frees. */
void ctl_output_close(ctl_output *o);

/* Temporary directories: see internal.h. */

#endif
