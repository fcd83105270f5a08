/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the XLSX reader on sheet XML.  The input becomes
 * xl/worksheets/sheet1.xml of an otherwise valid workbook built in memory
 * (and, after a NUL byte, xl/sharedStrings.xml).  Read on one thread and
 * on threads (formats/xlsx_read.c, sheet_threads), the two readings must
 * agree: status, error, warnings and items. */
#include "fuzz_common.h"
#include "../../formats/xlsx.h"

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

typedef struct {
    ctl_status st;
    ctl_diag code;
    long line;
    size_t warnings, items;
    unsigned long sum;   /* of the error, warnings and items' texts */
} reading;

static unsigned long mix(unsigned long h, const char *s)
{
    for (; s && *s; s++) h = h * 131 + (unsigned char)*s;
    return h * 131 + 1;
}

static void read_with(const uint8_t *data, size_t size, size_t thread_min, reading *r)
{
    ctl_xlsx_thread_min = thread_min;
    const ctl_format *fmt = ctl_format_by_name("xlsx");
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_list *l = ctl_list_new();
    if (!fmt || !ctx || !l) __builtin_trap();
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_ZIP_ENTRY_SIZE] = 16 << 20;
    o.limit[CTL_LIMIT_ZIP_TOTAL_SIZE] = 32 << 20;
    r->st = ctl_read(ctx, fmt, "fuzz", data, size, &o, &l->sink);
    r->code = ctl_error_code(ctx);
    r->line = ctl_error_line(ctx);
    r->warnings = ctl_warning_count(ctx);
    r->items = l->n_items;
    r->sum = mix(0, ctl_error_message(ctx));
    for (size_t i = 0; i < ctl_warning_kept(ctx); i++) r->sum = mix(r->sum, ctl_warning_message(ctx, i));
    for (size_t i = 0; i < l->n_items; i++) {
        r->sum = mix(r->sum, l->items[i].id);
        r->sum = mix(r->sum, l->items[i].title);
        r->sum = mix(r->sum, l->items[i].description);
    }
    ctl_list_free(l);
    ctl_ctx_free(ctx);
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
    reading one, many;
    read_with(m.data, m.len, (size_t)-1, &one);
    read_with(m.data, m.len, 0, &many);
    ctl_xlsx_thread_min = (size_t)4 << 20;
    if (one.st != many.st || one.code != many.code || one.line != many.line || one.warnings != many.warnings ||
        one.items != many.items || one.sum != many.sum)
        __builtin_trap();
    free(m.data);
    return 0;
}
