/* SPDX-License-Identifier: BSD-2-Clause */
/* The record layer of the CSV format (formats/csv.c): strict RFC 4180
 * parsing on libcsv with line numbers, and field quoting.  Shared by the
 * CSV/TSV reader and writer, and tested on its own. */
#ifndef CTL_FORMATS_CSV_RECORDS_H
#define CTL_FORMATS_CSV_RECORDS_H

#include "../converters/services.h"

/* Called for every record that is not blank, with the line it starts on.
 * Returns CTL_OK to go on. */
typedef ctl_status (*ctl_csv_record_fn)(void *user, const ctl_cell *cells, size_t n, long line);

/* Parses text[0..len) (UTF-8) with the delimiter; quoted fields may hold the
 * delimiter, quotes ("") and line breaks, which are kept as they are.  A
 * quote inside an unquoted field, text after a closing quote, an
 * unterminated quote, more fields than the columns limit or a field longer
 * than the field-size limit (of opts; NULL: the defaults) is an error naming
 * file and line. */
ctl_status ctl_csv_parse(ctl_ctx *ctx, const char *file, const char *text, size_t len, char delim,
                         const ctl_options *opts, ctl_csv_record_fn fn, void *user);

/* The same over the lines of a stream (ctl_input.stream). */
ctl_status ctl_csv_parse_stream(ctl_ctx *ctx, const char *file, ctl_stream *in, char delim,
                                const ctl_options *opts, ctl_csv_record_fn fn, void *user);

/* Detects the delimiter (',', tab or ';'): the one that splits most of the
 * first lines into the same number of fields, outside quotes. */
char ctl_csv_detect_delimiter(const char *text, size_t len);

/* Appends s[0..n) as one field: quoted when it holds the delimiter, a
 * quote, CR or LF, with quotes doubled.  Returns 0 when out of memory. */
int ctl_csv_quote(ctl_buf *out, const char *s, size_t n, char delim);

#endif
