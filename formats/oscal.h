/* SPDX-License-Identifier: BSD-2-Clause */
/* OSCAL catalogs and component definitions (issue 13): the list as an
 * OSCAL document in its JSON form (a jansson tree), and back.  The JSON
 * format (formats/oscal_json.c) reads and writes that tree as text; the XML
 * format (formats/oscal_xml.c) converts between it and OSCAL XML.  The
 * rules of what goes where live in formats/oscal.c. */
#ifndef CTL_OSCAL_H
#define CTL_OSCAL_H

#include "ctlconv.h"
#include "../converters/services.h"

#include <jansson.h>
#include <stdio.h>

/* Our namespace, for the props and parts NIST does not define. */
#define CTL_OSCAL_NS "https://github.com/ctlconv/ns/oscal"
/* The namespace of ctlconv's name-based (v5) UUIDs. */
#define CTL_OSCAL_NS_UUID "360306a3-627c-4fec-b13c-9032dd74929c"
/* The OSCAL version the documents declare (the schemas at hand). */
#define CTL_OSCAL_VERSION "1.2.1"

/* The kinds of OSCAL document ctlconv writes. */
typedef enum { CTL_OSCAL_CATALOG, CTL_OSCAL_COMPONENT } ctl_oscal_kind;

/* The list as an OSCAL document (formats/oscal.c): {"catalog": {...}} or
 * {"component-definition": {...}}, valid by the OSCAL 1.2.1 JSON schema.
 * opts->date is the last-modified date (NULL: ctl_date_resolve() with no
 * input); *doc is the caller's (json_decref). */
ctl_status ctl_oscal_build(ctl_ctx *ctx, const ctl_list *l, const ctl_options *opts, ctl_oscal_kind kind,
                           json_t **doc);

/* Reads an OSCAL document in its JSON form ({"catalog": {...}}) into sink
 * (formats/oscal.c).  name: the input's name for diagnostics. */
ctl_status ctl_oscal_read_tree(ctl_ctx *ctx, const json_t *doc, const char *name, const ctl_options *opts,
                               ctl_sink *sink);

/* Writes the document doc to out (out_name for diagnostics). */
typedef ctl_status (*ctl_oscal_emit_fn)(ctl_ctx *ctx, const json_t *doc, FILE *out, const char *out_name);

/* A writer sink that gathers the list and, at its end, builds the document
 * of kind and hands it to emit (formats/oscal.c). */
ctl_status ctl_oscal_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                            ctl_oscal_kind kind, ctl_oscal_emit_fn emit, ctl_sink **sink);

/* OSCAL XML and the JSON form (formats/oscal_xml.c): the document in
 * data (XML, namespace http://csrc.nist.gov/ns/oscal/1.0) as the JSON
 * form, and the JSON form as XML valid by the OSCAL 1.2.1 XSD. */
ctl_status ctl_oscal_xml_to_tree(ctl_ctx *ctx, const char *name, const unsigned char *data, size_t len,
                                 const ctl_options *opts, json_t **doc);
ctl_status ctl_oscal_tree_to_xml(ctl_ctx *ctx, const json_t *doc, FILE *out, const char *out_name);

#endif
