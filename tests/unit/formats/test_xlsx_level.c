/* SPDX-License-Identifier: BSD-2-Clause */
/* The deflate level of the XLSX writer's zip entries (ctl_options
 * .compression): set through the library's pass-through of minizip's
 * zipOpenNewFileInZip4_64, which changes the level only inside the
 * writer's own workbook_close.  Here: level 0 gives stored entries, 9 and
 * the default deflated ones, every workbook reads back as the list, the
 * same list gives the same bytes, a level out of range is refused, and a
 * caller of minizip in the same process (this test) gets the level it
 * asks for, before and after a conversion.  And the writer's own XML for
 * the sheet's cells is byte for byte what libxlsxwriter writes for them
 * (ctl_xlsx_rows_by_libxlsxwriter). */
#include "support.h"
#include "internal.h"
#include "../../../formats/xlsx.h"

#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The compression methods of the entries of a zip in memory: 1 if all are
 * method, 0 otherwise (or not a zip). */
static int all_entries(const void *data, size_t len, int method)
{
    char path[] = "/tmp/ctl-level-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    ck_assert(write(fd, data, len) == (ssize_t)len);
    close(fd);
    unzFile z = unzOpen64(path);
    int all = z != NULL, n = 0;
    for (int rc = z ? unzGoToFirstFile(z) : UNZ_END_OF_LIST_OF_FILE; all && rc == UNZ_OK; rc = unzGoToNextFile(z)) {
        unz_file_info64 info;
        all = unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK && (int)info.compression_method == method;
        n++;
    }
    if (z) unzClose(z);
    unlink(path);
    return all && n > 0;
}

/* The seed written as XLSX with opts.compression = compression. */
static char *seed_xlsx(ctl_ctx *ctx, const ctl_list *seed, int compression, size_t *len)
{
    ctl_options o;
    ctl_options_init(&o);
    o.compression = compression;
    ctl_status st;
    char *x = write_list(ctx, "xlsx", seed, &o, len, &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_COMPRESSION_IGNORED), 0);
    return x;
}

/* The list x reads back as, written as CSV: what seed gives written so. */
static void reads_back(ctl_ctx *ctx, const ctl_list *seed, const char *x, size_t len)
{
    ctl_status st;
    ctl_list *back = read_bytes(ctx, "xlsx", x, len, NULL, &st);
    ck_assert_int_eq(st, CTL_OK);
    size_t n1, n2;
    char *a = write_list(ctx, "csv", seed, NULL, &n1, &st);
    char *b = write_list(ctx, "csv", back, NULL, &n2, &st);
    ck_assert_uint_eq(n1, n2);
    ck_assert(!memcmp(a, b, n1));
    free(a);
    free(b);
    ctl_list_free(back);
}

/* A one-entry zip written here with minizip at level: is it deflated? */
static int minizip_deflates_at(int level)
{
    char path[] = "/tmp/ctl-level-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    zipFile z = zipOpen64(path, 0);
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(zipOpenNewFileInZip4_64(z, "a.txt", NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, level, 0, -MAX_WBITS,
                                             DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, NULL, 0, 0, 0, 0), ZIP_OK);
    static const char text[] = "the same words again and again and again and again and again";
    ck_assert_int_eq(zipWriteInFileInZip(z, text, sizeof text - 1), ZIP_OK);
    ck_assert_int_eq(zipCloseFileInZip(z), ZIP_OK);
    ck_assert_int_eq(zipClose(z, NULL), ZIP_OK);
    size_t len;
    unsigned char *d = slurp(path, &len);
    unlink(path);
    int deflated = all_entries(d, len, Z_DEFLATED);
    free(d);
    return deflated;
}

/* the shared fixture's list is the seed here */
#define seed list

static void setup(void)
{
    ctx_setup();
    seed = read_seed(ctx);
}

START_TEST(level_0_stores_9_and_the_default_deflate)
{
    size_t n0, n9, nd, n1;
    char *x0 = seed_xlsx(ctx, seed, 1, &n0), *x9 = seed_xlsx(ctx, seed, 10, &n9);
    char *xd = seed_xlsx(ctx, seed, 0, &nd), *x1 = seed_xlsx(ctx, seed, 2, &n1);
    ck_assert(all_entries(x0, n0, 0));
    ck_assert(all_entries(x9, n9, Z_DEFLATED));
    ck_assert(all_entries(xd, nd, Z_DEFLATED));
    ck_assert_uint_gt(n0, 3 * n9);
    ck_assert_uint_le(n9, nd);
    /* the default is level 1: the same bytes */
    ck_assert_uint_eq(nd, n1);
    ck_assert(!memcmp(xd, x1, nd));
    reads_back(ctx, seed, x0, n0);
    reads_back(ctx, seed, x9, n9);
    reads_back(ctx, seed, xd, nd);
    free(x0);
    free(x9);
    free(xd);
    free(x1);
}
END_TEST

START_TEST(same_list_same_bytes)
{
    for (int c = 0; c <= 10; c += 5) {
        size_t a, b;
        char *x = seed_xlsx(ctx, seed, c, &a), *y = seed_xlsx(ctx, seed, c, &b);
        ck_assert_uint_eq(a, b);
        ck_assert(!memcmp(x, y, a));
        free(x);
        free(y);
    }
}
END_TEST

START_TEST(other_users_of_minizip_unaffected)
{
    /* before any conversion, after one at level 0, and after one at 9 */
    ck_assert(minizip_deflates_at(9));
    ck_assert(!all_entries("", 0, 0));
    size_t n;
    char *x = seed_xlsx(ctx, seed, 1, &n);
    ck_assert(all_entries(x, n, 0));
    ck_assert(minizip_deflates_at(9));
    ck_assert(minizip_deflates_at(Z_DEFAULT_COMPRESSION));
    free(x);
    x = seed_xlsx(ctx, seed, 10, &n);
    ck_assert(minizip_deflates_at(9));
    free(x);
}
END_TEST

START_TEST(level_out_of_range_refused)
{
    ctl_options o;
    ctl_options_init(&o);
    const int bad[] = {-1, 11, 100};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.compression = bad[i];
        ctl_status st;
        size_t n;
        char *x = write_list(ctx, "xlsx", seed, &o, &n, &st);
        ck_assert_int_eq(st, CTL_EUSAGE);
        ck_assert_int_eq(ctl_error_code(ctx), CTL_D_BAD_ARGUMENT);
        ck_assert_ptr_nonnull(strstr(ctl_error_message(ctx), "the deflate level plus one"));
        free(x);
    }
}
END_TEST

/* A list of awkward text: entities, control characters, spaces at the
 * ends (xml:space), text like an escape, U+FFFE, a character past U+FFFF,
 * empty cells (blank cells with a format), extra columns. */
static const char AWKWARD[] =
    "id,level,title,description,category,answer,memo,note\n"
    "II.1,1, a & b ,x<y>z,,\tt, m ,&amp;\n"
    "II.1.1,2,\"line\nbreak\",,,end ,,\n"
    "II.1.1.1,3,e\x02" "f\x1f,_x0041_ and \xEF\xBF\xBE \xF0\x9F\x98\x80,\xE5\x9F\xBA\xE6\x9C\xAC,"
    "\"\r\nx\",>,\n";

START_TEST(own_cell_xml_is_libxlsxwriters)
{
    ctl_status st;
    ctl_list *awkward = read_string(ctx, "csv", AWKWARD, &st);
    ck_assert_int_eq(st, CTL_OK);
    const ctl_list *lists[] = {seed, awkward};
    for (size_t i = 0; i < 2; i++) {
        for (int c = 0; c <= 10; c += 10) {
            size_t a, b;
            char *ours = seed_xlsx(ctx, lists[i], c, &a);
            ctl_xlsx_rows_by_libxlsxwriter = 1;
            char *theirs = seed_xlsx(ctx, lists[i], c, &b);
            ctl_xlsx_rows_by_libxlsxwriter = 0;
            ck_assert_uint_eq(a, b);
            ck_assert(!memcmp(ours, theirs, a));
            free(ours);
            free(theirs);
        }
    }
    ctl_list_free(awkward);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xlsx_level");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, ctx_teardown);
    tcase_add_test(tc, level_0_stores_9_and_the_default_deflate);
    tcase_add_test(tc, same_list_same_bytes);
    tcase_add_test(tc, other_users_of_minizip_unaffected);
    tcase_add_test(tc, level_out_of_range_refused);
    tcase_add_test(tc, own_cell_xml_is_libxlsxwriters);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
