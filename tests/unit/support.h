/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the unit tests. */
#ifndef CTL_TEST_SUPPORT_H
#define CTL_TEST_SUPPORT_H

#include <check.h>
#include <stdio.h>
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

/* A list built from meta and items through the hierarchy (as ctl_read()
 * hands a reader's items on: a NULL parent or level 0 is completed, a
 * missing id generated) and the list's sink. */
ctl_list *list_of(ctl_meta *m, ctl_item *items, size_t n);

/* A small list built by hand: a section and a control with awkward text
 * (quotes, commas, line breaks, a formula-like answer, an extra column). */
ctl_list *sample_list(void);
/* A private copy of a list with what a format loses (CTL_LOSES_*) taken
 * out of it the way that format loses it: metadata emptied, unplaced
 * references dropped, line breaks and tabs of cells made spaces and cells
 * trimmed; compare two such copies to compare as the format promises. */
ctl_list *list_losing(const ctl_list *a, unsigned loses);
/* The references of an item a format that loses CTL_LOSES_REFS gives back,
 * in its order, into out (room for it->n_refs): those of ISO/IEC
 * 27001:2013 that exist, then those of 2022 (unless one_edition).
 * Returns how many. */
size_t refs_kept(const ctl_item *it, int one_edition, ctl_ref *out);
/* Does a format that loses what loses says keep one edition's references
 * of the list (CTL_LOSES_SECOND_EDITION and references of 2013 that
 * exist): 2013's? */
int one_edition_kept(const ctl_list *l, unsigned loses);
/* s (NULL: "") without the white space at its ends that Python's
 * str.strip() takes off (CTL_LOSES_EDGE_SPACES); malloc'd. */
char *edges_stripped(const char *s);

/* Reading in (format by name) is refused with the code named code (the
 * status bad input or limit); msg: a fragment of the message where its
 * wording matters. */
void assert_refused(const char *format, const char *in, const char *code, const char *msg);

/* Runs a suite; returns the process exit status. */
int run_suite(Suite *s);

/* The shared checked fixture: a fresh ctx for each test, and list (NULL at
 * the start) for the list the test reads or builds; both freed after the
 * test, also when it fails.  Add with use_ctx_fixture(tc). */
extern ctl_ctx *ctx;
extern ctl_list *list;
void ctx_setup(void);
void ctx_teardown(void);
#define use_ctx_fixture(tc) tcase_add_checked_fixture((tc), ctx_setup, ctx_teardown)

/* The same with a fresh folder for the test's files, tmp_dir, removed with
 * all it holds after the test; the first part of a streamed input is set
 * back to its size then too (ctl_test_stream_head(0)).  Add with
 * use_tmp_dir_fixture(tc). */
extern char tmp_dir[64];
void tmp_dir_setup(void);
void tmp_dir_teardown(void);
#define use_tmp_dir_fixture(tc) tcase_add_checked_fixture((tc), tmp_dir_setup, tmp_dir_teardown)

/* Writes "STATUS [code] file:line: message" for the error recorded on c. */
void describe_error(const ctl_ctx *c, ctl_status st, char *out, size_t size);
/* The status st (evaluated once) is CTL_OK, else the test fails showing the
 * status, the diagnostic code and the message recorded on c. */
#define assert_ok(c, st)                                                                     \
    do {                                                                                     \
        ctl_status ok_st_ = (st);                                                            \
        if (ok_st_ != CTL_OK) {                                                              \
            char ok_why_[1024];                                                              \
            describe_error((c), ok_st_, ok_why_, sizeof ok_why_);                            \
            ck_abort_msg("expected CTL_OK, got %s", ok_why_);                                \
        }                                                                                    \
    } while (0)

/* Same, the failure message led by a printf-style description of the case. */
#define assert_ok_msg(c, st, ...)                                                            \
    do {                                                                                     \
        ctl_status ok_st_ = (st);                                                            \
        if (ok_st_ != CTL_OK) {                                                              \
            char ok_why_[1024], ok_case_[512];                                               \
            describe_error((c), ok_st_, ok_why_, sizeof ok_why_);                            \
            snprintf(ok_case_, sizeof ok_case_, __VA_ARGS__);                                \
            ck_abort_msg("%s: expected CTL_OK, got %s", ok_case_, ok_why_);                  \
        }                                                                                    \
    } while (0)

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
