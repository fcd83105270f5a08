/* SPDX-License-Identifier: BSD-2-Clause */
/* The hierarchy of a list from the best evidence its reader found (see
 * hierarchy.c).  Internal to the pipeline. */
#ifndef CTL_HIERARCHY_H
#define CTL_HIERARCHY_H

#include "internal.h"

/* A sink that completes each item's level, parent and id, then hands it
 * to next; destroy it with its destroy member (next is not destroyed).
 * NULL when memory is exhausted. */
ctl_sink *ctl_hierarchy_new(ctl_sink *next, const char *file);

#endif
