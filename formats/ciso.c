/* CISO Assistant: what goes where between the list and a library (see
 * ciso.h).  STUB: the helper of the CISO rules replaces it. */
#include "ciso.h"

ctl_status ctl_ciso_build(ctl_ctx *ctx, const ctl_list *l, const ctl_options *opts, json_t **lib)
{
    (void)l, (void)opts, (void)lib;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, NULL, 0, "CISO Assistant libraries are not written yet");
}

ctl_status ctl_ciso_read_tree(ctl_ctx *ctx, const json_t *lib, const char *name, const ctl_options *opts,
                              ctl_sink *sink)
{
    (void)lib, (void)opts, (void)sink;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, name, 0, "CISO Assistant libraries are not read yet");
}

ctl_status ctl_ciso_writer(ctl_ctx *ctx, FILE *out, const char *out_name, const ctl_options *opts,
                           ctl_ciso_emit_fn emit, ctl_sink **sink)
{
    (void)out, (void)out_name, (void)opts, (void)emit, (void)sink;
    return ctl_fail(ctx, CTL_D_UNSUPPORTED, NULL, 0, "CISO Assistant libraries are not written yet");
}
