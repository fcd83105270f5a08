/* Helpers shared by the unit tests. */
#ifndef CTL_TEST_SUPPORT_H
#define CTL_TEST_SUPPORT_H

#include <check.h>
#include "ctlconv.h"

/* The bundled seed sample and the hand-read expected CSV. */
#define SEED_PATH CTL_SOURCE_DIR "/samples/mic-cloud-guideline-v3-annex2-provider.txt"
#define EXPECTED_CSV CTL_TEST_DATA "/seed-expected.csv"

/* Reads a whole file (aborts the test if it cannot). */
unsigned char *slurp(const char *path, size_t *len);

/* Reads bytes of a format (by name) into a new list; the status is stored
 * in *st.  The list is returned even on failure (possibly partial). */
ctl_list *read_bytes(ctl_ctx *ctx, const char *format, const void *data, size_t len,
                     const ctl_options *opts, ctl_status *st);
/* The bundled seed, read by the text reader (the test fails if it cannot). */
ctl_list *read_seed(ctl_ctx *ctx);
/* Same, from a NUL-terminated string. */
ctl_list *read_string(ctl_ctx *ctx, const char *format, const char *s, ctl_status *st);

/* Writes a list with a format's writer into a malloc'd buffer. */
char *write_list(ctl_ctx *ctx, const char *format, const ctl_list *list,
                 const ctl_options *opts, size_t *len, ctl_status *st);

/* Runs a suite; returns the process exit status. */
int run_suite(Suite *s);

/* Is there a warning whose message contains needle? */
int has_warning(const ctl_ctx *ctx, const char *needle);
/* How many of the kept warnings have code? */
size_t warnings_with(const ctl_ctx *ctx, ctl_diag code);
/* The error recorded on ctx has code (else the test fails, showing the
 * message). */
#define assert_error_code(ctx, code)                                                         \
    ck_assert_msg(ctl_error_code(ctx) == (code), "error [%s] %s, want [%s]",                  \
                  ctl_diag_name(ctl_error_code(ctx)) ? ctl_diag_name(ctl_error_code(ctx)) : "none", \
                  ctl_error_message(ctx), ctl_diag_name(code))

#endif
