/* libxml2 hardening shared by every reader of XML (XLSX parts, XML). */
#ifndef CTL_XMLSAFE_H
#define CTL_XMLSAFE_H

/* Installs, once per process, an external entity loader that loads
 * nothing: no DTD, no entity and no XInclude can ever reach a file or the
 * network, whatever options a parser is given. */
void ctl_xml_harden(void);

#endif
