/* SPDX-License-Identifier: BSD-2-Clause */
/* A test tool for tests/e2e_oscal_xml.sh: OSCAL documents in their JSON
 * form as OSCAL XML (formats/oscal_xml.c), and back.
 *   oscal_xml_tool to-xml IN.json OUT.xml   the XML of the document
 *   oscal_xml_tool same IN.json IN.xml      exit 0 when the XML reads back
 *                                           as the JSON's tree, 1 if not
 * Prints the time and peak memory of reading the XML (same). */
#include "../formats/oscal.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static json_t *load(const char *path)
{
    json_error_t e;
    json_t *doc = json_load_file(path, 0, &e);
    if (!doc) fprintf(stderr, "oscal_xml_tool: %s:%d: %s\n", path, e.line, e.text);
    return doc;
}

static int fail(ctl_ctx *ctx)
{
    fprintf(stderr, "oscal_xml_tool: %s:%ld: %s [%s]\n", ctl_error_file(ctx), ctl_error_line(ctx),
            ctl_error_message(ctx), ctl_diag_name(ctl_error_code(ctx)));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: oscal_xml_tool to-xml IN.json OUT.xml | same IN.json IN.xml\n");
        return 2;
    }
    json_t *doc = load(argv[2]);
    if (!doc) return 2;
    ctl_ctx *ctx = ctl_ctx_new();
    int rc = 0;
    if (!strcmp(argv[1], "to-xml")) {
        FILE *f = fopen(argv[3], "wb");
        ctl_status st = f ? ctl_oscal_tree_to_xml(ctx, doc, f, argv[3]) : CTL_EIO;
        rc = !f || fclose(f) ? 2 : st != CTL_OK ? fail(ctx) : 0;
    } else {
        unsigned char *data = NULL;
        size_t len;
        json_t *back = NULL;
        ctl_status st = ctl_read_file(ctx, argv[3], 0, &data, &len);
        clock_t t0 = clock();
        if (st == CTL_OK) st = ctl_oscal_xml_to_tree(ctx, argv[3], data, len, NULL, &back);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        if (st != CTL_OK) {
            rc = fail(ctx);
        } else {
            rc = !json_equal(doc, back);
            printf("%s: %zu bytes read in %.3f s, peak %ld KB, %s\n", argv[3], len, secs, ru.ru_maxrss,
                   rc ? "NOT the same tree" : "the same tree");
        }
        json_decref(back);
        free(data);
    }
    json_decref(doc);
    ctl_ctx_free(ctx);
    return rc;
}
