/* SPDX-License-Identifier: BSD-2-Clause */
/* The id cell of a table writer (CSV, TSV, XLSX, Markdown): what it writes
 * there so that the table reader (converters/table.c) gives each item its
 * id back, and its label as far as the format keeps labels. */
#ifndef CTL_IDCELL_H
#define CTL_IDCELL_H

#include "internal.h"

typedef struct ctl_id_cells ctl_id_cells;

/* keep_labels: the format keeps printed labels (it does not declare
 * CTL_LOSES_LABELS).  NULL out of memory. */
ctl_id_cells *ctl_id_cells_new(int keep_labels);
void ctl_id_cells_free(ctl_id_cells *c);

/* The id cell of the next item (items in document order):
 *  - an id generated under the item's parent ("<parent>#<rank>", "#<rank>"
 *    at the top) that the reader generates again from the parent column:
 *    the parent an item above, the rank the next among the parent's
 *    (converters/hierarchy.c, which counts the ranks of the generated ids
 *    written out too),
 *    and a label that is a code (ctl_is_code()): the label; with
 *    keep_labels and no label, an empty cell;
 *  - with keep_labels, the label when it reads back as the id; MIC's
 *    label of a MIC number; else the id;
 *  - else the id.
 * A label that does not come back is counted (keep_labels: any that reads
 * back otherwise; else one that is neither a printed form of the id nor
 * the code written).  buf: at least CTL_ID_MAX + 96 bytes.  NULL out of
 * memory. */
const char *ctl_id_cell(ctl_id_cells *c, const ctl_item *it, char *buf, size_t size);

/* The labels counted: one label-rewritten warning, with their number and
 * the first of them (name: the output). */
ctl_status ctl_id_cells_warn(const ctl_id_cells *c, ctl_ctx *ctx, const char *name);

#endif
