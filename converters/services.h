/* SPDX-License-Identifier: BSD-2-Clause */
/* The shared services of the library, in one header: what a format file
 * may use besides the public API.  Allocation, buffers, items and metadata,
 * diagnostics (ctl_fail, ctl_warn, in ctlconv.h), normalisers, header words,
 * the table reader, putting a cell into an item's field, temporary
 * directories and libxml2 hardening.
 *
 * formats/ include ctlconv.h and this header, nothing else of the project
 * (tests/layers.sh checks it): no format reaches the pipeline, the output
 * stage or the program.  Not part of the public API. */
#ifndef CTL_SERVICES_H
#define CTL_SERVICES_H

#include "internal.h"
#include "headers.h"
#include "idcell.h"
#include "table.h"
#include "xmlsafe.h"
#include "grc.h"
#include "stream.h"

/* Appends " " + s[0..len) to *dst (s alone when *dst is NULL or empty). */
ctl_status ctl_text_append(ctl_ctx *ctx, char **dst, const char *s, size_t len);

/* Where a cell of a row sits, for ctl_item_put. */
typedef struct ctl_cell_place {
    ctl_ctx *ctx;
    const char *file;
    long line;
    const ctl_number *num;      /* the row's item number */
    const char *extra_name;     /* the extra column a cell the field cannot hold goes to */
    const char *scheme;         /* the scheme of a references cell; NULL: iso27001-2013 */
} ctl_cell_place;

/* Puts a cell into the field of the item role names: title, description
 * and answer as written (a second one is joined to the first, a second
 * title with a warning); a category word (kept as written, its value
 * normalised where known); references of at->scheme (appended; a cell that
 * is no list of identifiers is kept as one reference as written, with a
 * warning); the label (trimmed); a level (a whole number 1..64: the item's
 * level); a parent id; a second number column, which must agree with the
 * row's number (kept as an extra column when not).  A category, level or
 * parent that cannot be read is kept as extra column at->extra_name, with a
 * warning.  Checks look at the cell trimmed;
 * a blank cell sets only a title, description or answer.  Other roles (an
 * extra column): nothing is done. */
ctl_status ctl_item_put(const ctl_cell_place *at, ctl_item *it, ctl_role role, const char *v, size_t n);

#endif
