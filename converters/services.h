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
#include "table.h"
#include "xmlsafe.h"

#endif
