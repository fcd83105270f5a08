/* SPDX-License-Identifier: BSD-2-Clause */
/* Rules shared by the GRC exports (OSCAL, CISO Assistant): the date an
 * export states, and ids as OSCAL tokens.  Not part of the public API. */
#ifndef CTL_GRC_H
#define CTL_GRC_H

#include "internal.h"

/* Room for a date-time ctl_date_resolve() writes. */
#define CTL_DATE_MAX 40

/* The date an export states, as an RFC 3339 date-time, into out: given
 * (an RFC 3339 date-time with its zone, or YYYY-MM-DD: midnight UTC) when
 * not NULL; else the environment's SOURCE_DATE_EPOCH (whole seconds since
 * 1970); else the modification time of in_path (a file; NULL or "-" is
 * standard input); else the clock, with the warning
 * CTL_D_DATE_FROM_CLOCK.  Times made here are UTC ("...Z").  A given
 * date or SOURCE_DATE_EPOCH that cannot be read is CTL_EUSAGE
 * (CTL_D_BAD_ARGUMENT). */
ctl_status ctl_date_resolve(ctl_ctx *ctx, const char *given, const char *in_path, char out[CTL_DATE_MAX]);

/* Room for a name ctl_library_name() writes. */
#define CTL_LIBRARY_MAX 64

/* The ASCII name of a list in URNs ([a-z0-9][a-z0-9-]*, at most 63
 * bytes) made from a file name into out: its base name without the last
 * extension, ASCII letters lower-cased, every run of other characters one
 * '-', none at either end ("MIC ANNEX2 (v3).txt" -> "mic-annex2-v3"); "list"
 * when nothing is left (standard input, a Japanese name). */
void ctl_library_name(const char *path, char out[CTL_LIBRARY_MAX]);

/* Is s such a name?  (A --library or --packager value.) */
int ctl_library_name_ok(const char *s);

/* An id as an OSCAL token (^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$ with ASCII
 * letters only), reversibly: an id that is such a token and does not
 * begin with '_' is itself ("II.1.1.1", "A.5.1.1", "ac-2.1"); any other is
 * '_' followed by its characters, A-Z a-z 0-9 '.' '-' as they are and the
 * others escaped: "__" for '_', "_o" '(', "_c" ')', "_a" '&', "_h" '#',
 * "_s" '/', "_p" '+', "_u" and six lower-case hex digits for any other
 * code point ("1.1" -> "_1.1", "AC-2(1)" -> "_AC-2_o1_c", "A&A-01" ->
 * "_A_aA-01", "3#1" -> "_3_h1").  Replaces out's content; 0 when out of
 * memory. */
int ctl_oscal_token(const char *id, ctl_buf *out);

/* The id a token stands for (the inverse of ctl_oscal_token) into out: a
 * token not beginning with '_' is the id; one beginning with '_' is
 * unescaped.  Returns 1; 0 when the token is no token of that rule (an
 * escape unknown, a character outside the token's, or not the one
 * ctl_oscal_token makes of what it stands for: "_x"), out then holding the
 * token as it is; -1 out of memory. */
int ctl_oscal_id(const char *token, ctl_buf *out);

/* Is id an identifier of scheme (converters/schemes.c)?  1 yes, 0 no, -1
 * for a scheme ctlconv has no table of.  Tables: iso27001-2013 and
 * iso27001-2022, their clauses 4-10 ("4", "6.1.2") and Annex A ("A.5",
 * "A.5.1", "A.5.1.1"; 2022: "A.5.1" ... "A.8.34"), as the frameworks CISO
 * Assistant ships hold them.  Ids are canonical: "A.05.1" is none. */
int ctl_scheme_has_id(const char *scheme, const char *id);

#endif
