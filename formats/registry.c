/* SPDX-License-Identifier: BSD-2-Clause */
/* The table of formats.  Adding a format: one file in formats/, one line
 * here, one line in CMakeLists.txt. */
#include "ctlconv.h"

#include <string.h>
#include <strings.h>

extern const ctl_format ctl_format_text;
extern const ctl_format ctl_format_csv;
extern const ctl_format ctl_format_tsv;
extern const ctl_format ctl_format_json;
extern const ctl_format ctl_format_jsonl;
extern const ctl_format ctl_format_xlsx;
extern const ctl_format ctl_format_xml;
extern const ctl_format ctl_format_markdown;
extern const ctl_format ctl_format_oscal_json;
extern const ctl_format ctl_format_oscal_component_json;
extern const ctl_format ctl_format_oscal_xml;
extern const ctl_format ctl_format_oscal_component_xml;
extern const ctl_format ctl_format_ciso_yaml;
extern const ctl_format ctl_format_ciso_xlsx;
extern const ctl_format ctl_format_xls;
extern const ctl_format ctl_format_ods;
extern const ctl_format ctl_format_pdf;

static const ctl_format *const table[] = {
    &ctl_format_text,
    &ctl_format_csv,
    &ctl_format_tsv,
    &ctl_format_json,
    &ctl_format_jsonl,
    &ctl_format_xlsx,
    &ctl_format_xml,
    &ctl_format_markdown,
    &ctl_format_oscal_json,
    &ctl_format_oscal_component_json,
    &ctl_format_oscal_xml,
    &ctl_format_oscal_component_xml,
    &ctl_format_ciso_yaml,
    &ctl_format_ciso_xlsx,
    /* known, refused (formats/unread.c) */
    &ctl_format_xls,
    &ctl_format_ods,
    &ctl_format_pdf,
    NULL,
};

const ctl_format *const *ctl_formats(void) { return table; }

const ctl_format *ctl_format_by_name(const char *name)
{
    for (size_t i = 0; table[i]; i++)
        if (!strcasecmp(table[i]->name, name)) return table[i];
    return NULL;
}

const ctl_format *ctl_format_by_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot || !dot[1]) return NULL;
    for (size_t i = 0; table[i]; i++)
        for (const char *const *e = table[i]->extensions; e && *e; e++)
            if (!strcasecmp(*e, dot + 1)) return table[i];
    return NULL;
}
