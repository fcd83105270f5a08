/* SPDX-License-Identifier: BSD-2-Clause */
/* The rules of a source the caller gave in the options (a mapping file's):
 * its category words, and which evidence of the hierarchy counts (see
 * rules.c).  Internal to the pipeline. */
#ifndef CTL_RULES_H
#define CTL_RULES_H

#include "internal.h"

/* Do the options ask for any such rule? */
int ctl_rules_wanted(const ctl_options *opts);

/* A sink that applies them to each item, then hands it to next; destroy
 * it with its destroy member (next is not destroyed).  opts must outlive
 * it.  NULL when memory is exhausted. */
ctl_sink *ctl_rules_new(ctl_sink *next, const ctl_options *opts);

#endif
