/* SPDX-License-Identifier: BSD-2-Clause */
/* libxml2 hardening shared by every reader of XML (XLSX parts, XML). */
#ifndef CTL_XMLSAFE_H
#define CTL_XMLSAFE_H

#include "ctlconv.h"

#include <libxml/xmlreader.h>
#include <stddef.h>

/* Installs, once per process, an external entity loader that loads
 * nothing: no DTD, no entity and no XInclude can ever reach a file or the
 * network, whatever options a parser is given.  On every call, for the
 * calling thread: handlers that keep libxml2 from printing anything (its
 * messages are kept, see ctl_xml_take_message), and forgets a kept one.
 * Call it before each parse or write. */
void ctl_xml_harden(void);

/* Copies into buf (on one line) the first message libxml2 raised on this
 * thread since ctl_xml_harden or the last take, outside a parser's own
 * error handler; 1 if there was one, else 0.  Forgets it. */
int ctl_xml_take_message(char *buf, size_t size);

/* Turns line ends and tabs of a libxml2 message into spaces, and trims
 * the end. */
void ctl_xml_one_line(char *s);

/* The line of a DOCTYPE in the prolog of UTF-8 bytes, 0 when there is none:
 * a reader refuses it before libxml2 sees it, so that an entity bomb gets
 * the same plain answer as an external entity.  (Other encodings meet the
 * refusal node by node, as the reader meets a DOCTYPE node.) */
long ctl_xml_doctype_line(const char *d, size_t n);

/* The first error a reader's parser reported (its structured handler:
 * ctl_xml_keep_error, with the ctl_xml_error as its argument). */
typedef struct {
    char text[512];
    int line;
} ctl_xml_error;

void ctl_xml_keep_error(void *arg, xmlErrorPtr e);

/* The line of r's current node (the parser itself reads ahead). */
long ctl_xml_line(xmlTextReaderPtr r);

/* Reads r's next node: 1, or 0 at the end; -1 when the XML is malformed
 * (the message err's, else libxml2's, else "parse error") or holds a
 * DOCTYPE or an entity reference: the error recorded on ctx, *st set. */
int ctl_xml_next(ctl_ctx *ctx, const char *file, xmlTextReaderPtr r, ctl_xml_error *err, ctl_status *st);

#endif
