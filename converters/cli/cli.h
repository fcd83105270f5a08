/* SPDX-License-Identifier: BSD-2-Clause */
/* What the ctlconv program's files (converters/cli/) call in each other:
 * main.c's diagnostics, diff.c's subcommand and batch.c's batch mode.
 * The program's own header: it declares nothing of the library, whose
 * only header here is ctlconv.h. */
#ifndef CTLCONV_CLI_H
#define CTLCONV_CLI_H

#include "ctlconv.h"

#include <stddef.h>
#include <stdio.h>

/* converters/cli/main.c */

/* A usage error: printed (as text, or as a JSON object with
 * --diagnostics json) and its exit status returned (2). */
int ctlconv_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s as a JSON string, quoted and escaped. */
void ctlconv_json_string(FILE *out, const char *s);
/* One diagnostic as a line of --diagnostics json. */
void ctlconv_json_diag(FILE *out, ctl_diag code, const char *file, long line, const char *item, const char *msg,
                       ctl_limit limit);

/* converters/cli/diff.c: ctlconv diff OLD NEW (argv[0] is "diff"); the
 * exit status. */
int ctlconv_diff_main(int argc, char **argv);

/* converters/cli/batch.c: batch mode (-d OUTDIR) */
typedef struct batch batch;
/* Converts input into the outputs (their formats fmts), printing its
 * diagnostics on stderr; the exit status.  counts: the items written and
 * the warnings; *code: the error's ctl_diag, -1 when none. */
typedef int (*batch_convert_fn)(void *user, const char *input, size_t n_out, const char *const *outputs,
                                const ctl_format *const *fmts, size_t counts[2], int *code);
batch *batch_new(void);
void batch_free(batch *b);
/* A batch option by its long name: 0, or the usage error's exit status. */
int batch_option(batch *b, const char *name, const char *arg);
void batch_set_report(batch *b, int json, int quiet);
/* Was an option of batch mode given? */
int batch_wanted(const batch *b);
/* The batch: the inputs, the refusals, the output folder, the workers and
 * the summary; the exit status, the worst of the inputs'. */
int batch_run(batch *b, char **args, int n_args, size_t n_fmt, const ctl_format *const *fmts,
              batch_convert_fn fn, void *user);

#endif
