/* OSCAL: what goes where between the list and an OSCAL document (see
 * oscal.h).  STUB: the helper of the OSCAL rules replaces it. */
#include "oscal.h"

ctl_status ctl_oscal_build(ctl_ctx *ctx, const ctl_list *l, const ctl_options *opts, ctl_oscal_kind kind,
                           json_t **doc)
{
    (void)l, (void)opts, (void)kind, (void)doc;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, NULL, 0, "OSCAL is not written yet");
}

ctl_status ctl_oscal_read_tree(ctl_ctx *ctx, const json_t *doc, const char *name, const ctl_options *opts,
                               ctl_sink *sink)
{
    (void)doc, (void)opts, (void)sink;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, name, 0, "OSCAL is not read yet");
}

ctl_status ctl_oscal_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                            ctl_oscal_kind kind, ctl_oscal_emit_fn emit, ctl_sink **sink)
{
    (void)out, (void)out_name, (void)opts, (void)kind, (void)emit, (void)sink;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, NULL, 0, "OSCAL is not written yet");
}
