/* SPDX-License-Identifier: BSD-2-Clause */
/* An example client of libctlconv, built against an installed copy
 * (tests/install.sh): reads a control list in any format ctlconv reads,
 * walks its items, and writes the list as ctlconv's JSON on standard
 * output, as `ctlconv -t json FILE` does; a count on standard error.
 *
 *   cc -o consumer consumer.c $(pkg-config --cflags --libs ctlconv)
 *   ./consumer list.xlsx > list.json
 */
#include <stdio.h>
#include <stdlib.h>
#include <ctlconv.h>

/* Reads path into list; *fmt receives the format detected. */
static ctl_status read_list(ctl_ctx *ctx, const char *path, const ctl_options *opts,
                            ctl_list *list, const ctl_format **fmt)
{
    unsigned char *data = NULL;
    size_t len = 0;
    ctl_status st = ctl_read_file(ctx, path, 0, &data, &len);
    if (st == CTL_OK)
        st = ctl_detect_format(ctx, path, data, len, opts, fmt);
    if (st == CTL_OK)
        st = ctl_read(ctx, *fmt, path, data, len, opts, &list->sink);
    free(data);
    return st;
}

/* Walks the items into the JSON writer; counts those that carry a measure. */
static ctl_status write_json(ctl_ctx *ctx, const ctl_list *list, const ctl_options *opts,
                             size_t *measures)
{
    ctl_sink *out = NULL;
    ctl_status st = ctl_format_by_name("json")->writer(ctx, stdout, "-", opts, &out);
    if (st == CTL_OK)
        st = out->begin(out, ctx, &list->meta);
    for (size_t i = 0; st == CTL_OK && i < list->n_items; i++) {
        const ctl_item *it = &list->items[i];
        if (it->description[0] != '\0')
            ++*measures;
        st = out->item(out, ctx, it);
    }
    if (st == CTL_OK)
        st = out->end(out, ctx, &list->meta);
    if (out && out->destroy)
        out->destroy(out);
    return st;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *list = ctl_list_new();
    if (!ctx || !list) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 4;
    }
    ctl_options opts;
    ctl_options_init(&opts);
    const ctl_format *fmt = NULL;
    size_t measures = 0;
    ctl_status st = read_list(ctx, argv[1], &opts, list, &fmt);
    if (st == CTL_OK)
        st = write_json(ctx, list, &opts, &measures);
    if (st == CTL_OK && fflush(stdout) != 0) {
        fprintf(stderr, "%s: cannot write standard output\n", argv[0]);
        st = CTL_EIO;
    } else if (st != CTL_OK) {
        fprintf(stderr, "%s: %s:%ld: %s [%s]\n", argv[0], ctl_error_file(ctx),
                ctl_error_line(ctx), ctl_error_message(ctx),
                ctl_diag_name(ctl_error_code(ctx)));
    } else {
        fprintf(stderr, "%s: %s: %zu items (%s), %zu with a measure, %zu warnings\n",
                argv[0], argv[1], list->n_items, fmt->name, measures,
                ctl_warning_count(ctx));
    }
    ctl_list_free(list);
    ctl_ctx_free(ctx);
    return ctl_status_exit_code(st);
}
