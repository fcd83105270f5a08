/* SPDX-License-Identifier: BSD-2-Clause */
/* libxml2 hardening: a deny-all external entity loader, installed once, and
 * handlers that keep libxml2's own messages off standard error. */
#include "xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static xmlParserInputPtr deny_all(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

/* The first message libxml2 raised on this thread outside a parser's own
 * handler (encoding errors, I/O errors, xmlParseChunk's own words), kept
 * for the reader or writer at work to report; done: it is complete. */
static _Thread_local struct {
    char text[512];
    int done;
} kept;

static void on_generic(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    size_t n = strlen(kept.text);
    if (kept.done || n + 1 >= sizeof kept.text) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(kept.text + n, sizeof kept.text - n, fmt, ap);
    va_end(ap);
    /* libxml2 writes a message in pieces; a line end closes it */
    if (strchr(kept.text + n, '\n')) kept.done = 1;
}

static void on_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (kept.done || !e || !e->message) return;
    snprintf(kept.text, sizeof kept.text, "%s", e->message);
    kept.done = 1;
}

static void install(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(deny_all);
    /* for threads started from now on */
    xmlThrDefSetGenericErrorFunc(NULL, on_generic);
    xmlThrDefSetStructuredErrorFunc(NULL, on_structured);
}

void ctl_xml_harden(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
    /* libxml2's handlers belong to each thread */
    xmlSetGenericErrorFunc(NULL, on_generic);
    xmlSetStructuredErrorFunc(NULL, on_structured);
    kept.text[0] = '\0';
    kept.done = 0;
}

void ctl_xml_one_line(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') s[--n] = '\0';
}

int ctl_xml_take_message(char *buf, size_t size)
{
    int any = kept.text[0] != '\0';
    if (any && size) {
        snprintf(buf, size, "%s", kept.text);
        ctl_xml_one_line(buf);
    }
    kept.text[0] = '\0';
    kept.done = 0;
    return any;
}

long ctl_xml_doctype_line(const char *d, size_t n)
{
    const char *p = d, *end = d + n;
    long line = 1;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
        const char *open, *close;
        if (end - p >= 2 && !memcmp(p, "<?", 2)) open = "<?", close = "?>";
        else if (end - p >= 4 && !memcmp(p, "<!--", 4)) open = "<!--", close = "-->";
        else break;
        /* the end is looked for after the opener: "<!--->" is still open */
        const char *from = p + strlen(open);
        const char *q = memmem(from, (size_t)(end - from), close, strlen(close));
        if (!q) return 0;
        p = q + strlen(close);
    }
    if (end - p < 9 || memcmp(p, "<!DOCTYPE", 9)) return 0;
    /* its line as the other readers count them: LF, CRLF and a lone CR each end one */
    for (const char *c = d; c < p; c++)
        if (*c == '\n' || (*c == '\r' && (c + 1 == end || c[1] != '\n'))) line++;
    return line;
}

void ctl_xml_keep_error(void *arg, xmlErrorPtr e)
{
    ctl_xml_error *err = arg;
    if (err->text[0] || !e) return;
    snprintf(err->text, sizeof err->text, "%s", e->message ? e->message : "parse error");
    ctl_xml_one_line(err->text);
    err->line = e->line;
}

long ctl_xml_line(xmlTextReaderPtr r)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(r);
    long line = node ? xmlGetLineNo(node) : -1;
    return line > 0 ? line : xmlTextReaderGetParserLineNumber(r);
}

int ctl_xml_next(ctl_ctx *ctx, const char *file, xmlTextReaderPtr r, ctl_xml_error *err, ctl_status *st)
{
    int rc = xmlTextReaderRead(r);
    if (rc < 0) {
        if (!err->text[0]) ctl_xml_take_message(err->text, sizeof err->text);   /* an encoding error, say */
        long line = err->line ? err->line : ctl_xml_line(r);
        if (strstr(err->text, "huge text node") || strstr(err->text, "Huge input lookup"))
            *st = ctl_fail(ctx, CTL_D_FIXED_LIMIT, file, line, "a text or attribute longer than libxml2 reads (10 MB "
                           "without its huge option, which ctlconv never sets): %s", err->text);
        else
            *st = ctl_fail(ctx, CTL_D_MALFORMED_XML, file, line, "malformed XML: %s",
                           err->text[0] ? err->text : "parse error");
        return -1;
    }
    if (rc == 0) return 0;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
        type == XML_READER_TYPE_ENTITY) {
        *st = ctl_fail(ctx, CTL_D_DOCTYPE, file, ctl_xml_line(r), "a DOCTYPE or entity reference: refused (ctlconv "
                       "never loads DTDs or expands entities)");
        return -1;
    }
    return 1;
}
