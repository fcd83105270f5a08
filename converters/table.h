/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a control list laid out as a table (CSV, TSV, a worksheet): rows
 * of cells in, items out.  Shared by the CSV and XLSX readers so that they
 * find headers and read rows by the same rules. */
#ifndef CTL_TABLE_H
#define CTL_TABLE_H

#include "internal.h"

typedef struct ctl_table ctl_table;

/* The header row must come within this many non-blank rows; the columns
 * are decided on at most CTL_TABLE_DECIDE_ROWS rows below it, kept in
 * memory until then (every later row streams). */
enum { CTL_TABLE_HEADER_ROWS = 64, CTL_TABLE_DECIDE_ROWS = 128 };

/* strict_width: a row with fewer cells than the header is an error (CSV);
 * otherwise missing cells are empty (a worksheet omits trailing blanks). */
ctl_table *ctl_table_new(ctl_ctx *ctx, const ctl_options *opts, ctl_sink *sink, const char *file,
                         int strict_width);
void ctl_table_free(ctl_table *t);

/* Feeds one row (blank rows are skipped) with the line or row number it
 * starts on.  Before the header row: title, note and annex heading.  The
 * header is the first row with three known header words, the item number
 * among them; or one that names fewer fields (ctl_table_header_score())
 * when the rows below it have a column of identifiers (and no row among
 * them names more fields), within the first 64 rows.  After it, one item
 * per row, and heading items made of columns that repeat each row's
 * parents (see table.c). */
ctl_status ctl_table_row(ctl_table *t, const ctl_cell *cells, size_t n, long line);

/* The rows are records whose keys are known (JSON objects): names[0..n)
 * is the header row, given before any row: it must name a field (the
 * id, or another while the id column is found by the shape of its cells),
 * else the input is no control list (not-a-list), but needs no more
 * words than that.  The id column is chosen as in any table.  In a
 * record, a cell whose text is ctl_table_absent, or one past the row's
 * end, is a key the record lacks: an empty cell for a field, no extra
 * column (a key present with an empty value is an empty extra column). */
ctl_status ctl_table_records(ctl_table *t, const ctl_cell *names, size_t n, long line);
extern const char ctl_table_absent[];

/* Ends the table: an error without a header or without rows; else the
 * sink's end. */
ctl_status ctl_table_finish(ctl_table *t);

/* The trimmed header word over column col, or NULL (no header yet, an
 * empty header cell, col past the header). */
const char *ctl_table_column_name(const ctl_table *t, size_t col);

/* How well a row fits as the header row: 0 when it cannot be one, else
 * the number of fields its words name (each once).  It has two cells at
 * least and names the id and another field, or one field or more but not
 * the id (whose column is then found by the shape of its cells). */
size_t ctl_table_header_score(const ctl_options *opts, const ctl_cell *cells, size_t n);

/* Could this row be a header row whose words name no field: two short
 * cells or more, none an identifier?  The table reader takes it for the
 * header when a column below it is mostly codes (ctl_table_code_cell,
 * two at least) beside a column named "Control" (ctl_table_control_word),
 * which holds the titles: a statement of applicability's "Annex A ref |
 * Control | Applicable". */
int ctl_table_weak_header(const ctl_cell *cells, size_t n);

/* Is s[0..n) a code rather than a count: an identifier with a letter, a
 * parenthesis or two joiners (A.5.1, AC-2(1), 1.1.1; not 1.0, 12)? */
int ctl_table_code_cell(const char *s, size_t n);

/* Is s[0..n) the header word "Control(s)"? */
int ctl_table_control_word(const char *s, size_t n);

/* Does this row name two fields or more, as a header row (a table is
 * likely)? */
int ctl_table_is_header(const ctl_options *opts, const ctl_cell *cells, size_t n);

#endif
