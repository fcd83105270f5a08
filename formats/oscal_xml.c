/* OSCAL XML <-> the JSON form (see oscal.h).  STUB: the helper of OSCAL
 * XML replaces it. */
#include "oscal.h"

ctl_status ctl_oscal_xml_to_tree(ctl_ctx *ctx, const char *name, const unsigned char *data, size_t len,
                                 const ctl_options *opts, json_t **doc)
{
    (void)data, (void)len, (void)opts, (void)doc;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, name, 0, "OSCAL XML is not read yet");
}

ctl_status ctl_oscal_tree_to_xml(ctl_ctx *ctx, const json_t *doc, FILE *out, const char *out_name)
{
    (void)doc, (void)out;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, out_name, 0, "OSCAL XML is not written yet");
}
