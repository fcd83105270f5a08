/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the XLSX reader on sheet XML.  The input becomes
 * xl/worksheets/sheet1.xml of an otherwise valid workbook built in memory
 * (and, after a NUL byte, xl/sharedStrings.xml). */
#include "fuzz_common.h"

#include <minizip/zip.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t len, cap, pos;
} membuf;

static voidpf ZCALLBACK m_open(voidpf opaque, const void *name, int mode)
{
    (void)name;
    (void)mode;
    return opaque;
}
static uLong ZCALLBACK m_read(voidpf o, voidpf s, void *buf, uLong n)
{
    (void)o;
    membuf *m = s;
    size_t k = m->len - m->pos < n ? m->len - m->pos : n;
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return (uLong)k;
}
static uLong ZCALLBACK m_write(voidpf o, voidpf s, const void *buf, uLong n)
{
    (void)o;
    membuf *m = s;
    if (m->pos + n > m->cap) {
        size_t cap = (m->pos + n) * 2;
        uint8_t *d = realloc(m->data, cap);
        if (!d) return 0;
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->pos, buf, n);
    m->pos += n;
    if (m->pos > m->len) m->len = m->pos;
    return n;
}
static ZPOS64_T ZCALLBACK m_tell(voidpf o, voidpf s)
{
    (void)o;
    return ((membuf *)s)->pos;
}
static long ZCALLBACK m_seek(voidpf o, voidpf s, ZPOS64_T off, int origin)
{
    (void)o;
    membuf *m = s;
    size_t base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0 : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->len;
    m->pos = base + (size_t)off;
    return 0;
}
static int ZCALLBACK m_close(voidpf o, voidpf s)
{
    (void)o;
    (void)s;
    return 0;
}
static int ZCALLBACK m_error(voidpf o, voidpf s)
{
    (void)o;
    (void)s;
    return 0;
}

static void add(zipFile z, const char *name, const void *data, size_t len)
{
    zipOpenNewFileInZip64(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1, 0);
    zipWriteInFileInZip(z, data, (unsigned)len);
    zipCloseFileInZip(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char wb[] =
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] =
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
        "Target=\"sharedStrings.xml\"/></Relationships>";
    membuf m = {0};
    zlib_filefunc64_def io = {m_open, m_read, m_write, m_tell, m_seek, m_close, m_error, &m};
    zipFile z = zipOpen2_64("mem", 0, NULL, &io);
    if (!z) return 0;
    const uint8_t *nul = memchr(data, 0, size);
    size_t sheet_len = nul ? (size_t)(nul - data) : size;
    add(z, "xl/workbook.xml", wb, sizeof wb - 1);
    add(z, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1);
    add(z, "xl/worksheets/sheet1.xml", data, sheet_len);
    if (nul) add(z, "xl/sharedStrings.xml", nul + 1, size - sheet_len - 1);
    zipClose(z, NULL);
    fuzz_read("xlsx", m.data, m.len, NULL);
    free(m.data);
    return 0;
}
