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
#include <stdio.h>

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
