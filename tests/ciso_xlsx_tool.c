/* SPDX-License-Identifier: BSD-2-Clause */
/* A test tool for CISO Assistant's library workbook (formats/ciso_xlsx.c),
 * whose format needs the library rules of formats/ciso.c to run through
 * the CLI:
 *   ciso_xlsx_tool write TREE.json OUT.xlsx   the library tree as a workbook
 *   ciso_xlsx_tool read IN.xlsx               the workbook's tree, as JSON
 * Diagnostics go to stderr as "[code] message"; the exit status is 0, 1
 * (an error recorded) or 2 (usage). */
#include "../formats/xlsx.h"

#include <stdio.h>
#include <stdlib.h>

static void say(const ctl_ctx *ctx, ctl_status st)
{
    for (size_t i = 0; i < ctl_warning_kept(ctx); i++)
        fprintf(stderr, "[%s] %s\n", ctl_diag_name(ctl_warning_code(ctx, i)), ctl_warning_message(ctx, i));
    if (st != CTL_OK) fprintf(stderr, "error [%s] %s\n", ctl_diag_name(ctl_error_code(ctx)), ctl_error_message(ctx));
}

static int write_tree(ctl_ctx *ctx, const char *tree, const char *out_path)
{
    json_error_t err;
    json_t *lib = json_load_file(tree, JSON_REJECT_DUPLICATES, &err);
    if (!lib) {
        fprintf(stderr, "%s:%d: %s\n", tree, err.line, err.text);
        return 2;
    }
    FILE *out = fopen(out_path, "wb");
    if (!out) {
        perror(out_path);
        json_decref(lib);
        return 2;
    }
    ctl_options opts;
    ctl_options_init(&opts);
    ctl_status st = ctl_ciso_tree_to_xlsx(ctx, lib, out, out_path, &opts);
    if (fclose(out) != 0 && st == CTL_OK) st = ctl_fail(ctx, CTL_D_IO_ERROR, out_path, 0, "write error");
    say(ctx, st);
    json_decref(lib);
    return st == CTL_OK ? 0 : 1;
}

static int read_book(ctl_ctx *ctx, const char *path)
{
    unsigned char *data;
    size_t len;
    ctl_status st = ctl_read_file(ctx, path, 0, &data, &len);
    if (st != CTL_OK) {
        say(ctx, st);
        return 1;
    }
    ctl_options opts;
    ctl_options_init(&opts);
    ctl_input in = {.name = path, .data = data, .len = len};
    ctl_xlsx_book *book;
    json_t *lib = NULL;
    st = ctl_xlsx_book_open(ctx, &in, &opts, &book);
    if (st == CTL_OK) {
        st = ctl_ciso_xlsx_to_tree(ctx, book, &opts, &lib);
        ctl_xlsx_book_close(book);
    }
    say(ctx, st);
    if (lib) {
        json_dumpf(lib, stdout, JSON_INDENT(1));
        putchar('\n');
    }
    json_decref(lib);
    free(data);
    return st == CTL_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "write") && strcmp(argv[1], "read")) || (!strcmp(argv[1], "write") && argc != 4)) {
        fprintf(stderr, "usage: %s write TREE.json OUT.xlsx | read IN.xlsx\n", argv[0]);
        return 2;
    }
    ctl_ctx *ctx = ctl_ctx_new();
    if (!ctx) return 1;
    int rc = !strcmp(argv[1], "write") ? write_tree(ctx, argv[2], argv[3]) : read_book(ctx, argv[2]);
    ctl_ctx_free(ctx);
    return rc;
}
