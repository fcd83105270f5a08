/* XLSX and XML support, loaded when a conversion first needs it.
 *
 * libxml2 brings ICU and libxlsxwriter brings libcrypto: mapping them costs
 * the program more than a whole conversion of the seed.  So the ctlconv
 * program is built from the core and from the *facts* of these formats
 * (name, extensions, probe: what choosing a format needs), and their code
 * lives in a module, ctlconv-office.so, beside the program, loaded on the
 * first read or write.  The library (libctlconv.a) holds everything and
 * loads nothing.
 *
 * A format file compiled with CTL_FACTS_ONLY keeps its probe and its
 * descriptor and replaces its reader and writer with CTL_LAZY_FORMAT's
 * functions of the same names, which load the module and call the real
 * ones. */
#ifndef CTL_OFFICE_H
#define CTL_OFFICE_H

#include "ctlconv.h"

/* The descriptor of format name in the module, loading it the first time;
 * NULL (and an error recorded on ctx) when it cannot be loaded. */
const ctl_format *ctl_office_format(ctl_ctx *ctx, const char *name);

/* What program and module must agree on: a module from another version, or
 * built with other structures, refuses to hand out its formats. */
typedef struct ctl_office_abi {
    const char *version;
    size_t format, options, input, sink, item, meta;
} ctl_office_abi;
#define CTL_OFFICE_ABI                                                                             \
    {CTL_VERSION, sizeof(ctl_format), sizeof(ctl_options), sizeof(ctl_input), sizeof(ctl_sink),   \
     sizeof(ctl_item), sizeof(ctl_meta)}

/* The module's own table of formats (the only symbol it exports); NULL when
 * abi is not the module's. */
typedef const ctl_format *const *(*ctl_office_formats_fn)(const ctl_office_abi *abi);
#define CTL_OFFICE_MODULE "ctlconv-office.so"
#define CTL_OFFICE_SYMBOL "ctl_office_formats"

#define CTL_LAZY_FORMAT(NAME, READ, WRITER)                                                        \
    static ctl_status READ(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts,           \
                           ctl_sink *sink)                                                         \
    {                                                                                              \
        const ctl_format *f = ctl_office_format(ctx, NAME);                                        \
        return f ? f->read(ctx, in, opts, sink) : ctl_error_status(ctx);                           \
    }                                                                                              \
    static ctl_status WRITER(ctl_ctx *ctx, FILE *out, const char *out_name,                       \
                             const ctl_options *opts, ctl_sink **sink)                             \
    {                                                                                              \
        const ctl_format *f = ctl_office_format(ctx, NAME);                                        \
        return f ? f->writer(ctx, out, out_name, opts, sink) : ctl_error_status(ctx);              \
    }

#endif
