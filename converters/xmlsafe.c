/* libxml2 hardening: a deny-all external entity loader, installed once. */
#include "xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>

static xmlParserInputPtr deny_all(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static void install(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(deny_all);
}

void ctl_xml_harden(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
}
