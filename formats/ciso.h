/* SPDX-License-Identifier: BSD-2-Clause */
/* CISO Assistant libraries (issue 13): the list as a library in the shape
 * of its YAML (a jansson tree of objects, arrays, strings, integers and
 * booleans: urn, locale, ref_id, ..., objects.framework.requirement_nodes,
 * objects.requirement_mapping_set...), and back.  The YAML format
 * (formats/ciso_yaml.c) reads and writes that tree with libyaml; the
 * workbook format (formats/ciso_xlsx.c) converts between it and the v2
 * Excel form of CISO Assistant's converter.  The rules of what goes where
 * live in formats/ciso.c. */
#ifndef CTL_CISO_H
#define CTL_CISO_H

#include "ctlconv.h"
#include "../converters/services.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* CISO Assistant's own cleaning of a ref_id into a URN suffix
 * (clean_urn_suffix of its converter, convert_library_v2.py) into out:
 * Unicode NFKD, characters outside ASCII dropped, letters lower-cased,
 * space to '-', every character other than a-z 0-9 _ - . [ ] ( ) : to '_'.
 * Replaces out's content; 0 when out of memory. */
int ctl_ciso_clean(const char *s, ctl_buf *out);

/* The URN suffix of the node of an item of canonical id id (before the
 * library makes it unique with "[2]"...): the part before the first '#'
 * cleaned (ctl_ciso_clean), each "#<n>" of a generated id as ":<n>", a
 * generated id at the top ("#3") as "node3"; "_" when nothing is left.
 * "II.1#2" -> "ii.1:2", "A&A-01" -> "a_a-01".  Replaces out's content; 0
 * when out of memory. */
int ctl_ciso_suffix(const char *id, ctl_buf *out);

/* Python's str.isspace() (what str.strip() takes off): CISO Assistant's
 * converter strips every cell so. */
int ctl_ciso_space(uint32_t cp);

/* Python's str.strip() of s[0..*n), in place. */
void ctl_ciso_strip(const char **s, size_t *n);

/* The name of a node whose title is over CISO Assistant's 200 characters
 * (the full title goes to the node's annotation): the title stripped
 * (ctl_ciso_strip), and when that is still over 200 characters, cut after
 * at most 199 at a character (grapheme) boundary, with "…" added.  Into
 * out; 0 when out of memory. */
int ctl_ciso_short_name(const char *title, ctl_buf *out);

/* The list as a library (formats/ciso.c): its framework and, when the list
 * references ISO/IEC 27001:2013 or 2022, a requirement mapping set to the
 * framework CISO Assistant ships.  opts->library and opts->packager name
 * the URNs (NULL: "list", "ctlconv"); *lib is the caller's. */
ctl_status ctl_ciso_build(ctl_ctx *ctx, const ctl_list *l, const ctl_options *opts, json_t **lib);

/* Reads a library tree's framework into sink (formats/ciso.c). */
ctl_status ctl_ciso_read_tree(ctl_ctx *ctx, const json_t *lib, const char *name, const ctl_options *opts,
                              ctl_sink *sink);

/* Writes the library lib to out. */
typedef ctl_status (*ctl_ciso_emit_fn)(ctl_ctx *ctx, const json_t *lib, FILE *out, const char *out_name,
                                       const ctl_options *opts);

/* A writer sink that gathers the list and, at its end, builds the library
 * and hands it to emit (formats/ciso.c). */
ctl_status ctl_ciso_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                           ctl_ciso_emit_fn emit, ctl_sink **sink);

#endif
