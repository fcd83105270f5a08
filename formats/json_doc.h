/* SPDX-License-Identifier: BSD-2-Clause */
/* Whole JSON documents, for formats that hold their document in JSON
 * (OSCAL): parsed by the JSON reader's rules (formats/json.c). */
#ifndef CTL_JSON_DOC_H
#define CTL_JSON_DOC_H

#include "ctlconv.h"

#include <jansson.h>

/* Parses data[0..len) (a UTF-8 byte-order mark skipped) as one JSON value:
 * duplicate keys and NUL in strings refused, the tree held under the
 * json-memory limit (opts; NULL: the default), errors with line and column
 * (malformed-json, fixed-limit for jansson's depth of 2048, limit).  The
 * tree is the caller's (json_decref); NULL with the error recorded. */
json_t *ctl_json_document(ctl_ctx *ctx, const char *file, const unsigned char *data, size_t len,
                          const ctl_options *opts);

#endif
