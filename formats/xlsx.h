/* SPDX-License-Identifier: BSD-2-Clause */
/* Workbooks, shared by the XLSX format (formats/xlsx_read.c,
 * formats/xlsx_write.c) and CISO Assistant's library workbook
 * (formats/ciso_xlsx.c): a workbook opened under the reader's limits and
 * read sheet by sheet as rows of cells, and the writer's cell text rules
 * and its way to a stream.  Not part of the public API. */
#ifndef CTL_XLSX_H
#define CTL_XLSX_H

#include "ctlconv.h"
#include "../converters/services.h"

#include <jansson.h>
#include <stdio.h>
#include <xlsxwriter.h>

/* ------------------------------------------------------------ reading */

/* A workbook opened: its archive, sheets, shared strings and styles read
 * under the limits of opts (formats/xlsx_read.c). */
typedef struct xlsx ctl_xlsx_book;

/* Opens the workbook in in->data (a zip).  The book borrows in and opts:
 * they must outlive it.  On CTL_OK *book is the caller's
 * (ctl_xlsx_book_close); errors as ctl_format_xlsx's reader has them
 * (CTL_D_CORRUPT_WORKBOOK, CTL_D_UNREADABLE_FORMAT, CTL_D_LIMIT...). */
ctl_status ctl_xlsx_book_open(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts, ctl_xlsx_book **book);
void ctl_xlsx_book_close(ctl_xlsx_book *book);

/* The index of the sheet named name (exactly), or -1. */
long ctl_xlsx_book_sheet(const ctl_xlsx_book *book, const char *name);
size_t ctl_xlsx_book_sheet_count(const ctl_xlsx_book *book);
const char *ctl_xlsx_book_sheet_name(const ctl_xlsx_book *book, size_t i);

/* What a cell held in the workbook: none (no cell), a string, a number
 * (its text as Excel shows it: a date format makes it an ISO 8601 date), a
 * boolean ("TRUE", "FALSE"). */
enum { CTL_XLSX_NONE = 0, CTL_XLSX_STRING = 's', CTL_XLSX_NUMBER = 'n', CTL_XLSX_BOOL = 'b' };

/* One row of a sheet: its number (1-based), its cells from column A (an
 * absent cell is "" of kind CTL_XLSX_NONE) and their kinds.  Valid during
 * the call only.  A status other than CTL_OK stops the reading. */
typedef ctl_status (*ctl_xlsx_row_fn)(void *user, long row, const ctl_cell *cells, const char *kinds, size_t n);

/* Hands the rows of sheet i to fn in order, as they are stored: merged
 * ranges are not filled.  Rows without cells are not handed. */
ctl_status ctl_xlsx_book_rows(ctl_xlsx_book *book, size_t i, ctl_xlsx_row_fn fn, void *user);

/* A sheet read as a table whose part inflates (by the zip's directory)
 * to this many bytes or more is read on threads (formats/xlsx_read.c,
 * sheet_threads); 4 MiB.  Tests set it to read any sheet either way. */
extern size_t ctl_xlsx_thread_min;
/* The sheets read on threads so far (not those that went back to one
 * thread: merged ranges), by every reader of the process: for tests. */
extern size_t ctl_xlsx_thread_reads;

/* The workbook's name for messages (the input's), its bytes. */
const char *ctl_xlsx_book_file(const ctl_xlsx_book *book);
size_t ctl_xlsx_book_size(const ctl_xlsx_book *book);

/* ---- CISO Assistant's library workbook (formats/ciso_xlsx.c) ---- */

/* A library workbook (a sheet named library_meta) read into sink: the
 * XLSX reader hands it such a workbook when it is not asked for a sheet
 * or columns. */
ctl_status ctl_ciso_xlsx_read_book(ctl_ctx *ctx, ctl_xlsx_book *book, const ctl_options *opts, ctl_sink *sink);

/* The library tree (formats/ciso.h) of a library workbook, as CISO
 * Assistant's converter makes it of the workbook, less what the list has
 * no use for (said in a warning, CTL_D_FIELD_DROPPED); *lib is the
 * caller's.  The tree is held whole: its memory is limited by
 * CTL_LIMIT_JSON_MEMORY (that + 3 x the workbook's bytes).  Errors:
 * CTL_D_NOT_A_LIST (no library_meta), CTL_D_BAD_STRUCTURE, CTL_D_BAD_FIELD
 * (what the converter refuses), CTL_D_FIXED_LIMIT (a node URN longer
 * than the 255 characters CISO Assistant stores), the workbook's own. */
ctl_status ctl_ciso_xlsx_to_tree(ctl_ctx *ctx, ctl_xlsx_book *book, const ctl_options *opts, json_t **lib);

/* Writes the library tree lib to out as a library workbook that the
 * converter turns back into lib (a ctl_ciso_emit_fn).  A tree the
 * workbook cannot hold is CTL_D_INTERNAL (the tree is ctlconv's own). */
ctl_status ctl_ciso_tree_to_xlsx(ctl_ctx *ctx, const json_t *lib, FILE *out, const char *out_name,
                                 const ctl_options *opts);

/* ------------------------------------------------------------ writing */

/* Excel's limit on a cell's text, in UTF-16 units. */
#define CTL_XLSX_CELL_MAX 32767

/* Writes s as a string cell (a blank one when s is empty; never a
 * formula) of ws at row, col with format f (may be NULL), made ready for
 * libxlsxwriter by the cell text rules of formats/xlsx_write.c (text that
 * looks like an _xHHHH_ escape escaped, U+FFFE and U+FFFF as escapes),
 * refused past Excel's limit of 32,767 characters (CTL_D_FIXED_LIMIT).
 * escaped is a buffer for the work; where names the sheet in messages. */
ctl_status ctl_xlsx_put_string(ctl_ctx *ctx, const char *where, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                               const char *s, lxw_format *f, ctl_buf *escaped);

/* For tests: non-zero, the XLSX writer (formats/xlsx_write.c) hands its
 * cells to libxlsxwriter (ctl_xlsx_put_string) on this thread rather than
 * writing their XML itself, which must give the same bytes. */
extern _Thread_local int ctl_xlsx_rows_by_libxlsxwriter;

/* A document property value that XML 1.0 cannot carry (docProps/core.xml
 * has no escape) is left out, with a warning (CTL_D_PROPERTY_DROPPED):
 * *value becomes NULL then, and so does an empty one. */
ctl_status ctl_xlsx_doc_property(ctl_ctx *ctx, const char *name, const char *what, char **value);

/* The deflate level of a workbook's zip entries unless one is asked for
 * (ctl_options.compression): level 1, standard deflate as every level is,
 * half the time of libxlsxwriter's level 6 for a tenth more bytes. */
#define CTL_XLSX_LEVEL 1

/* Closes wb (workbook_close: the file at path is written, its entries
 * deflated at CTL_XLSX_LEVEL: see formats/xlsx_write.c), reads the file
 * back whole (libxlsxwriter does not check its writes) and copies it to
 * out.  wb is freed in all cases.  dir: the directory of path, for
 * messages. */
ctl_status ctl_xlsx_finish(ctl_ctx *ctx, const char *name, lxw_workbook *wb, const char *path, const char *dir,
                           FILE *out);

/* 1980-01-01T00:00:00Z: a fixed creation time for reproducible bytes. */
#define CTL_XLSX_CREATED ((time_t)315532800)

#endif
