/* SPDX-License-Identifier: BSD-2-Clause */
/* Header words: which model field a source column holds. */
#ifndef CTL_HEADERS_H
#define CTL_HEADERS_H

#include "internal.h"

/* The field a column holds: the public ctl_field_kind under a shorter
 * internal name. */
typedef ctl_field_kind ctl_role;
#define CTL_ROLE_EXTRA CTL_FIELD_NONE   /* no field of the model: an extra column */
#define CTL_ROLE_ID CTL_FIELD_ID
#define CTL_ROLE_LABEL CTL_FIELD_LABEL
#define CTL_ROLE_LEVEL CTL_FIELD_LEVEL
#define CTL_ROLE_ISMS CTL_FIELD_ISMS
#define CTL_ROLE_TITLE CTL_FIELD_TITLE
#define CTL_ROLE_DESCRIPTION CTL_FIELD_DESCRIPTION
#define CTL_ROLE_CATEGORY CTL_FIELD_CATEGORY
#define CTL_ROLE_ANSWER CTL_FIELD_ANSWER
#define CTL_ROLE_PARENT CTL_FIELD_PARENT
#define CTL_ROLE_COUNT (CTL_FIELD_PARENT + 1)

/* The role of a header word, matched after NFKC, case and white-space
 * folding ("ISMS 管理策" = "ISMS管理策" = "isms").  An empty word is
 * CTL_ROLE_EXTRA. */
ctl_role ctl_header_role(const char *s, size_t len);

/* The same, with the user's --column mappings consulted first; a field
 * they map onto another column makes this one extra. */
ctl_role ctl_header_role_opts(const char *s, size_t len, const ctl_options *opts);

/* Is this header word one the caller mapped onto a field (opts->columns)? */
int ctl_header_mapped(const char *s, size_t len, const ctl_options *opts);

/* Each of the caller's column mappings (opts->columns) must name a header
 * word among names[0..n), the input's header row (n = 0: it has none):
 * else a no-such-column error naming the header asked for and the first
 * header words. */
ctl_status ctl_check_column_maps(ctl_ctx *ctx, const ctl_options *opts, const char *file, long line,
                                 const char *const *names, size_t n);

/* The scheme of the references in a column with this header word: the
 * scheme it names ("isms" names iso27001-2013), else opts->ref_scheme,
 * else "" (static storage or opts'). */
const char *ctl_column_scheme(const char *s, size_t len, const ctl_options *opts);

/* The header word a table writer gives the references column of a list
 * whose references are mostly of scheme: "isms" (ISMS管理策) for
 * iso27001-2013, the scheme's name for another scheme ctlconv knows,
 * "references" (参照) otherwise. */
const char *ctl_refs_header(const char *scheme, ctl_header_lang lang);
/* The scheme whose references go unprefixed under that header: scheme
 * when ctlconv knows it, else "". */
const char *ctl_refs_unprefixed(const char *scheme);

/* Does a line look like an annex heading ("ANNEX2 対策一覧")? */
int ctl_looks_like_annex(const char *s, size_t len);

/* Header words of the canonical columns, English and Japanese. */
const char *ctl_role_name_en(ctl_role r);
const char *ctl_role_name_ja(ctl_role r);

/* The extra columns of a document: the source columns that are no field of
 * the model, and those after the first column of a field, in order.  *names points into meta (not copied); free the
 * array with ctl_free. */
ctl_status ctl_extra_columns(ctl_ctx *ctx, const ctl_meta *meta, const ctl_options *opts,
                             const char ***names, size_t *n);



/* The values of an item's extra columns in the order of names ("" where the
 * item has none); the k-th column of a name takes the item's k-th extra of
 * that name, so columns with the same header keep their own values.  Linear
 * when the item's extras come in the columns' order, n log n otherwise.  Returns how many of the item's extra columns found no
 * place among names. */
size_t ctl_extra_values(const ctl_item *it, const char *const *names, size_t n, const char **values);
#endif
