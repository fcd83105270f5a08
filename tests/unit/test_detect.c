/* SPDX-License-Identifier: BSD-2-Clause */
/* Detection (ctl_detect_format): table against text layout.  What only a
 * table has (needed quoting, a first-line header over a constant field
 * count, title rows padded to the header's width, a cell with spaces at its
 * ends, its extension) against what only PDF text has (page headers,
 * numbers fused with titles, field counts that change, detached ISMS
 * references); both, or neither under a .txt name, is an error asking for
 * -f; quoting a table reader refuses is no table's.  The property: every list
 * ctlconv writes as CSV or TSV is detected as that format, with its
 * extension and without, and reads back equal. */
#include "support.h"

#include <glob.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Detects bytes under a name; the chosen format's name, or NULL (the
 * status in *st, the message in ctx). */
static const char *detect_as(ctl_ctx *ctx, const char *name, const void *data, size_t len,
                             ctl_status *st)
{
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *f = NULL;
    *st = ctl_detect_format(ctx, name, data, len, &o, &f);
    return *st == CTL_OK ? f->name : NULL;
}

static void expect_format(const char *name, const void *data, size_t len, const char *want)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    const char *got = detect_as(ctx, name, data, len, &st);
    ck_assert_msg(got && !strcmp(got, want), "%s: detected as %s, expected %s (%s)", name,
                  got ? got : "nothing", want, got ? "" : ctl_error_message(ctx));
    ctl_ctx_free(ctx);
}

static void expect_ambiguous(const char *name, const void *data, size_t len)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    const char *got = detect_as(ctx, name, data, len, &st);
    ck_assert_msg(st == CTL_EUSAGE, "%s: detected as %s, expected an ambiguity error", name,
                  got ? got : "nothing");
    assert_error_code(ctx, CTL_D_AMBIGUOUS_FORMAT);
    ctl_ctx_free(ctx);
}

/* Detects, then reads with the detected format. */
static ctl_list *detect_and_read(ctl_ctx *ctx, const char *name, const void *data, size_t len,
                                 const char *want)
{
    expect_format(name, data, len, want);
    ctl_status st;
    ctl_list *l = read_bytes(ctx, want, data, len, NULL, &st);
    assert_ok_msg(ctx, st, "%s", name);
    return l;
}

/* ------------------------------------------------------------ reproducers */

static const char repro[] = "id\ttitle\tdescription\tanswer\n"
                            "II.1.1.1\t  Keep  \td\t\"a \"\"q\"\"\"\n"
                            "II.1.1.2\tt\td\ta\n"
                            "II.1.1.3\tt\td\ta\n";

START_TEST(tsv_is_not_text)
{
    const char *names[] = {"m.tsv", "m.txt", "-", "m"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_list *l = detect_and_read(ctx, names[i], repro, strlen(repro), "tsv");
        ck_assert_uint_eq(l->n_items, 3);
        ck_assert_str_eq(l->items[0].title, "  Keep  ");
        ck_assert_str_eq(l->items[0].answer, "a \"q\"");
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
}
END_TEST

/* The first lines of the seed (title, note, annex, header, two section
 * rows whose numbers are fused with their titles) are text, never TSV. */
START_TEST(seed_head_is_text)
{
    size_t len;
    unsigned char *seed = slurp(SEED_PATH, &len);
    size_t cut = 0;
    for (int lines = 0; cut < len && lines < 11; cut++) lines += seed[cut] == '\n';
    expect_format("head.txt", seed, cut, "text");
    expect_format("-", seed, cut, "text");
    free(seed);
}
END_TEST

START_TEST(seed_variants_are_text)
{
    glob_t g;
    ck_assert_int_eq(glob(CTL_TEST_DATA "/seed-*.txt", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 6);
    for (size_t i = 0; i <= g.gl_pathc; i++) {
        const char *path = i < g.gl_pathc ? g.gl_pathv[i] : SEED_PATH;
        size_t len;
        unsigned char *d = slurp(path, &len);
        expect_format(path, d, len, "text");
        expect_format("-", d, len, "text");
        free(d);
    }
    globfree(&g);
}
END_TEST

/* UTF-8 to UTF-16LE with a BOM, as Excel's "Unicode text" is written. */
static char *utf16le(const char *s, size_t *len)
{
    size_t in = strlen(s), room = 2 * in + 2;
    char *out = malloc(room + 2), *p = out + 2, *q = (char *)s;
    ck_assert(out != NULL);
    out[0] = '\xFF';
    out[1] = '\xFE';
    iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    ck_assert(iconv(cd, &q, &in, &p, &room) != (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(p - out);
    return out;
}

START_TEST(excel_unicode_text)
{
    size_t len;
    unsigned char *d = slurp(CTL_TEST_DATA "/excel-unicode-text.tsv", &len);
    expect_format("excel-unicode-text.tsv", d, len, "tsv");
    expect_format("-", d, len, "tsv");
    expect_format("export.txt", d, len, "tsv");
    free(d);
    /* with a cell of several lines, quoted as Excel quotes it */
    const char *t = "ISMS管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\r\n"
                    "A.5\tII.1\t情報セキュリティ\t\t\t\r\n"
                    "A.5.1.1\tII.1.1.1\t方針\t\"・一つ目\n・二つ目\tタブ\n"
                    "II. 1. 1. 2\t偽の行\"\t基本\t回答\r\n"
                    "A.5.1.2\tII.1.1.2\t見直し\t内容\t推奨\t回答\r\n";
    char *u = utf16le(t, &len);
    const char *names[] = {"export.txt", "-"};
    for (size_t i = 0; i < 2; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_list *l = detect_and_read(ctx, names[i], u, len, "tsv");
        ck_assert_uint_eq(l->n_items, 3);
        ck_assert_str_eq(l->items[1].description, "・一つ目\n・二つ目\tタブ\nII. 1. 1. 2\t偽の行");
        ck_assert_int_eq(l->items[1].category, CTL_CATEGORY_BASIC);
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
    free(u);
}
END_TEST

START_TEST(csv_with_tabs_in_quotes)
{
    const char *t = "id,title,description,answer\n"
                    "II.1.1.1,\"a\tb\",d,x\n"
                    "II.1.1.2,\"c\td\",d,\"y\tz\"\n"
                    "II.1.1.3,t,\"e\tf\",a\n";
    const char *names[] = {"t.csv", "t.txt", "-"};
    for (size_t i = 0; i < 3; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_list *l = detect_and_read(ctx, names[i], t, strlen(t), "csv");
        ck_assert_str_eq(l->items[0].title, "a\tb");
        ck_assert_str_eq(l->items[1].answer, "y\tz");
        ck_assert_str_eq(l->items[2].description, "e\tf");
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
}
END_TEST

/* The seed through ctlconv's own table writers: that format, every way. */
START_TEST(own_outputs_of_the_seed)
{
    list = read_seed(ctx);
    const char *fmts[] = {"csv", "tsv"};
    for (int k = 0; k < 8; k++) {
        ctl_options o;
        ctl_options_init(&o);
        o.header = (k & 1) ? CTL_HEADER_JA : CTL_HEADER_EN;
        o.crlf = (k & 2) != 0;
        const char *fmt = fmts[k >> 2];
        ctl_status st;
        size_t len;
        char *b = write_list(ctx, fmt, list, &o, &len, &st);
        assert_ok(ctx, st);
        char name[32];
        snprintf(name, sizeof name, "out.%s", fmt);
        expect_format(name, b, len, fmt);
        expect_format("-", b, len, fmt);
        expect_format("out.txt", b, len, fmt);
        free(b);
    }
    /* and the text writer's output is text */
    ctl_status st;
    size_t len;
    char *b = write_list(ctx, "text", list, NULL, &len, &st);
    assert_ok(ctx, st);
    expect_format("out.txt", b, len, "text");
    expect_format("-", b, len, "text");
    free(b);
}
END_TEST

/* Traits of both, or nothing that tells them apart: an error, not a guess. */
START_TEST(ambiguous_is_an_error)
{
    size_t len;
    unsigned char *seed = slurp(SEED_PATH, &len);
    expect_ambiguous("seed.tsv", seed, len);      /* page headers, and a table's extension */
    free(seed);
    /* needed quoting (a table's) and a number fused with its title (the layout's) */
    const char *both = "id\ttitle\tanswer\n"
                       "II. 1. 情報セキュリティ\t\t\n"
                       "II.1.1.1\tt\t\"a \"\"q\"\"\"\n";
    expect_ambiguous("-", both, strlen(both));
    expect_ambiguous("both.txt", both, strlen(both));
    /* a quoted cell that needed no quoting: the layout keeps the quotes, a
     * table drops them; only the name can tell */
    const char *plain = "ISMS 管理策\t項番\t対策項目\n"
                        "\tII. 1.\t\"見出し\"\n"
                        "\tII. 1. 1.\tx\n";
    expect_ambiguous("-", plain, strlen(plain));
    expect_ambiguous("plain.txt", plain, strlen(plain));     /* .txt claims nothing */
    expect_format("plain.tsv", plain, strlen(plain), "tsv");
    /* a quote that opens in one row of the layout and closes in the next:
     * one cell to a table, two rows to the layout */
    const char *spans = "ISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\n"
                        "\tII. 1.\t\"見出し\t\t\t\n"
                        "\tII. 1. 1.\t小見出し\"\t\t\t\n";
    expect_ambiguous("-", spans, strlen(spans));
    expect_ambiguous("spans.txt", spans, strlen(spans));
}
END_TEST

/* Review finding 3: a spreadsheet's "Unicode text" saved as .txt, title
 * rows above the header.  The spreadsheet pads every row to the sheet's
 * width (the layout's title lines have no tabs), and a cell may have spaces
 * at its ends (the layout's never do): a table under any name, in UTF-8 and
 * in UTF-16LE with a BOM. */
static const char titled[] = "My list\t\t\n\t\t\nid\ttitle\tcategory\n"
                             "II. 1. 1. 1\t  padded  \t基本\nII. 1. 1. 2\tt\t推奨\n";

START_TEST(title_rows_of_a_sheet)
{
    size_t len16;
    char *u16 = utf16le(titled, &len16);
    const char *names[] = {"x.txt", "-", "x", "x.tsv"};
    for (int enc = 0; enc < 2; enc++) {
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_list *l = detect_and_read(ctx, names[i], enc ? u16 : titled,
                                          enc ? len16 : strlen(titled), "tsv");
            ck_assert_uint_eq(l->n_items, 2);
            ck_assert_str_eq(l->items[0].title, "  padded  ");
            ck_assert_int_eq(l->items[1].category, CTL_CATEGORY_RECOMMENDED);
            ctl_list_free(l);
            ctl_ctx_free(ctx);
        }
    }
    free(u16);
    /* each trait alone */
    const char *padded = "My list\t\t\n\t\t\nid\ttitle\tcategory\n"
                         "II. 1. 1. 1\tp\t基本\nII. 1. 1. 2\tt\t推奨\n";
    expect_format("padded.txt", padded, strlen(padded), "tsv");
    expect_format("-", padded, strlen(padded), "tsv");
    /* padded, with a row without a number and a cell quoted without need */
    const char *loose = "My list\t\t\n\t\t\nid\ttitle\tcategory\n"
                        "II. 1. 1. 1\t\"p\"\t基本\n\tnote\t\nII. 1. 1. 2\tt\t推奨\n";
    expect_format("loose.txt", loose, strlen(loose), "tsv");
    const char *spaced = "My list\nid\ttitle\tcategory\n"
                         "II. 1. 1. 1\t  padded  \t基本\nII. 1. 1. 2\tt\t推奨\n";
    expect_format("spaced.txt", spaced, strlen(spaced), "tsv");
    expect_format("-", spaced, strlen(spaced), "tsv");
    /* with the layout's title lines parted by a blank line: both, an error */
    const char *both = "My list\n\nid\ttitle\tcategory\n"
                       "II. 1. 1. 1\t  padded  \t基本\nII. 1. 1. 2\tt\t推奨\n";
    expect_ambiguous("both.txt", both, strlen(both));
    /* a title line that is not padded to the header's width is no evidence */
    const char *uneven = "My list\t\nid\ttitle\tcategory\n"
                         "II. 1. 1. 1\tp\t基本\nII. 1. 1. 2\tt\t推奨\n";
    expect_ambiguous("uneven.txt", uneven, strlen(uneven));
    expect_ambiguous("-", uneven, strlen(uneven));
}
END_TEST

/* ctlconv's own XLSX of the seed (title, note and annex heading above the
 * header) saved by LibreOffice as tab-separated UTF-16: a table, the same
 * list as the seed. */
START_TEST(libreoffice_text_of_own_xlsx)
{
    size_t len;
    unsigned char *d = slurp(CTL_TEST_DATA "/libreoffice-unicode-text.txt", &len);
    ctl_list *seed = read_seed(ctx);
    const char *names[] = {"libreoffice-unicode-text.txt", "-"};
    for (size_t i = 0; i < 2; i++) {
        char why[256];
        ctl_list *l = detect_and_read(ctx, names[i], d, len, "tsv");
        ck_assert_msg(ctl_list_equal(seed, l, 0, why, sizeof why), "%s: %s", names[i], why);
        ctl_list_free(l);
    }
    ctl_list_free(seed);
    free(d);
}
END_TEST

/* Review finding 9: ctlconv's text output of a list without title or note,
 * with quotes a table would refuse (a quote inside an unquoted field): the
 * TSV reader cannot read it, the text reader can. */
static const char quoted_json[] =
    "{\"format\":\"ctlconv-list\",\"version\":1,\"items\":["
    "{\"id\":\"II.1.1.1\",\"level\":3,\"isms\":[\"A.5.1.1\"],\"title\":\"t1\","
    "\"description\":\"say \\\"hi\\\"\",\"category\":\"basic\",\"answer\":\"a, b\"},"
    "{\"id\":\"II.1.1.2\",\"level\":3,\"isms\":[],\"title\":\"t2\",\"description\":\"d\","
    "\"category\":\"recommended\",\"answer\":\"x\"},"
    "{\"id\":\"II.1.1.3\",\"level\":3,\"isms\":[\"A.5.1.2\"],\"title\":\"t3\","
    "\"description\":\"\\\"quoted\\\"\",\"category\":null,\"answer\":\"y\"}]}";

START_TEST(own_text_with_quotes)
{
    ctl_status st;
    list = read_string(ctx, "json", quoted_json, &st);
    assert_ok(ctx, st);
    size_t len;
    char *b = write_list(ctx, "text", list, NULL, &len, &st);
    assert_ok(ctx, st);
    const char *names[] = {"-", "out", "out.txt"};
    for (size_t i = 0; i < 3; i++) {
        char why[256];
        ctl_list *back = detect_and_read(ctx, names[i], b, len, "text");
        ck_assert_msg(ctl_list_equal(list, back, 0, why, sizeof why), "%s: %s", names[i], why);
        ctl_list_free(back);
    }
    free(b);
}
END_TEST

/* Quoting a table reader refuses: no evidence for the table, unless the
 * input shows what only a table has; its own name still names it (the
 * reader then says where); with no tabs, nothing else fits. */
START_TEST(broken_quoting)
{
    const char *t = "ISMS 管理策\t項番\t対策項目\t対策内容\n"
                    "A.5.1.1\tII. 1. 1. 1\tt\tsay \"hi\"\n"
                    "\tII. 1. 1. 2\tt\td\n";
    expect_format("-", t, strlen(t), "text");
    expect_format("t.txt", t, strlen(t), "text");
    expect_format("t.tsv", t, strlen(t), "tsv");
    /* a cell with spaces at its ends after the broken quote: the layout
     * would trim it, the table reader refuses it */
    const char *spaced = "id\ttitle\tdescription\n"
                         "II. 1. 1. 1\tsay \"hi\"\t  kept  \n"
                         "II. 1. 1. 2\tt\td\n";
    expect_ambiguous("-", spaced, strlen(spaced));
    expect_ambiguous("spaced.txt", spaced, strlen(spaced));
    const char *csv = "id,title,description\nII.1.1.1,say \"hi\",d\n";
    expect_format("-", csv, strlen(csv), "csv");
    ctl_status st;
    list = read_bytes(ctx, "csv", csv, strlen(csv), NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    ck_assert_msg(strstr(ctl_error_message(ctx), "a quote inside an unquoted field"), "%s",
                  ctl_error_message(ctx));
}
END_TEST

/* ---------------------------------------------------------- property */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

/* A cell: pieces that trouble detection and quoting, at random. */
static char *random_text(void)
{
    static const char *pieces[] = {
        "a", "Keep", " ", "  ", "\t", "\"", "\"\"", ",", ";", "\n", "\r\n", "組織の", "情報セキュリティ",
        "　", "'", "=1+1", "x y", "II. 1. 1. 組織", "A.5.1.1", "\nA.17\n", "ISMS 管理策", "項番", "基本",
        "https://example.invalid/a?b=c", "・", "\t\t", "II.1.1.1",
    };
    char buf[512] = "";
    for (uint32_t n = rnd(7), i = 0; i < n; i++)
        strcat(buf, pieces[rnd(sizeof pieces / sizeof *pieces)]);
    return strdup(buf);
}

static const char *const romans[] = {"I", "II", "III", "IV", "V", "IX", "X", "XII"};

static ctl_list *random_list(void)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    char *cols[] = {"備考", "担当 部署", "memo"};
    size_t n_extra = rnd(4);
    ctl_meta m = {.columns = cols, .n_columns = n_extra, .ref_scheme = "iso27001-2013"};
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    /* ids as MIC numbers them, every item's ancestors above it (model v2:
     * the level read from the number, as the text reader does, is then the
     * level containment gives, as the table readers do); drawn with the
     * same calls of rnd as before, so the cells are the same as before */
    char ids[10][64], root[8] = "II";
    int levels[10], depth = 0;
    unsigned path[5];
    for (uint32_t n = 1 + rnd(10), i = 0; i < n; i++) {
        char *id = ids[i], refs_buf[3][32];
        ctl_ref refs[3];
        int drawn = 1 + (int)rnd(5);
        const char *roman = romans[rnd(8)];
        unsigned parts[5];
        for (int k = 0; k < drawn; k++) parts[k] = 1 + rnd(30);
        int level = drawn < depth + 1 ? drawn : depth + 1;
        if (level == 1) snprintf(root, sizeof root, "%s", roman);
        path[level - 1] = parts[level - 1];
        depth = level;
        int o = snprintf(id, sizeof ids[i], "%s", root);
        for (int k = 0; k < level; k++) o += snprintf(id + o, sizeof ids[i] - (size_t)o, ".%u", path[k]);
        levels[i] = level;
        /* the parent a reader's hierarchy gives a level: the nearest item
         * above with a smaller one */
        const char *parent = "";
        for (uint32_t k = i; k-- > 0;)
            if (levels[k] < level) {
                parent = ids[k];
                break;
            }
        size_t n_refs = rnd(4);
        for (size_t k = 0; k < n_refs; k++) {
            snprintf(refs_buf[k], sizeof refs_buf[k], "A.%u.%u", 5 + rnd(14), 1 + rnd(3));
            refs[k] = (ctl_ref){"iso27001-2013", refs_buf[k]};
        }
        ctl_field extra[3];
        for (size_t k = 0; k < n_extra; k++) extra[k] = (ctl_field){cols[k], random_text()};
        ctl_item it = {.id = id, .label = "", .level = level, .parent = (char *)parent, .refs = refs,
                       .n_refs = n_refs, .title = random_text(), .description = random_text(),
                       .category = (ctl_category)rnd(3), .answer = random_text(),
                       .extra = extra, .n_extra = n_extra};
        assert_ok(ctx, l->sink.item(&l->sink, ctx, &it));
        free(it.title);
        free(it.description);
        free(it.answer);
        for (size_t k = 0; k < n_extra; k++) free(extra[k].value);
    }
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    return l;
}

enum { N_LISTS = 300 };

START_TEST(written_tables_are_detected)
{
    rng_state = 0x9E3779B97F4A7C15u;
    const char *fmts[] = {"csv", "tsv"};
    for (int i = 0; i < N_LISTS; i++) {
        ctl_list *l = random_list();
        for (int k = 0; k < 8; k++) {
            ctl_options o;
            ctl_options_init(&o);
            o.header = (k & 1) ? CTL_HEADER_JA : CTL_HEADER_EN;
            o.crlf = (k & 2) != 0;
            const char *fmt = fmts[k >> 2];
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_status st;
            size_t len;
            char *b = write_list(ctx, fmt, l, &o, &len, &st);
            assert_ok_msg(ctx, st, "list %d", i);
            char name[32], why[256];
            snprintf(name, sizeof name, "list-%d.%s", i, fmt);
            const char *names[] = {name, "-"};
            for (int n = 0; n < 2; n++) {
                ctl_status dst;
                const char *got = detect_as(ctx, names[n], b, len, &dst);
                ck_assert_msg(got && !strcmp(got, fmt), "list %d as %s (%s, %s header%s): detected "
                              "as %s %s\n%.*s", i, fmt, names[n], (k & 1) ? "ja" : "en",
                              o.crlf ? ", CRLF" : "", got ? got : "nothing",
                              got ? "" : ctl_error_message(ctx), (int)(len < 600 ? len : 600), b);
            }
            ctl_list *back = read_bytes(ctx, fmt, b, len, NULL, &st);
            assert_ok_msg(ctx, st, "list %d as %s", i, fmt);
            ck_assert_msg(ctl_list_equal(l, back, 0, why, sizeof why), "list %d as %s: %s", i, fmt, why);
            ctl_list_free(back);
            free(b);
            ctl_ctx_free(ctx);
        }
        ctl_list_free(l);
    }
}
END_TEST

/* ctlconv's text output of random lists (no title or note, the weakest
 * case), with and without its .txt name: never read silently as another
 * format that reads it differently, and an ambiguity error only where the
 * TSV reader can read it too (quotes it would refuse are no table's). */
START_TEST(written_text_is_not_misread)
{
    rng_state = 0x2545F4914F6CDD1Du;
    size_t n_text = 0, n_ambiguous = 0;
    for (int i = 0; i < N_LISTS; i++) {
        ctl_list *l = random_list();
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        size_t len;
        char *b = write_list(ctx, "text", l, NULL, &len, &st);
        assert_ok_msg(ctx, st, "list %d", i);
        ctl_list *want = read_bytes(ctx, "text", b, len, NULL, &st);
        assert_ok_msg(ctx, st, "list %d", i);
        const char *names[] = {"list.txt", "-"};
        for (int n = 0; n < 2; n++) {
            ctl_ctx *dctx = ctl_ctx_new();
            ctl_status dst, rst;
            char why[256];
            const char *got = detect_as(dctx, names[n], b, len, &dst);
            ctl_list *tsv = read_bytes(dctx, "tsv", b, len, NULL, &rst);
            if (!got) {
                ck_assert_msg(dst == CTL_EUSAGE && rst == CTL_OK, "list %d (%s): %s, and the TSV "
                              "reader %s\n%.*s", i, names[n], ctl_error_message(dctx),
                              rst == CTL_OK ? "reads it" : "refuses it", (int)(len < 600 ? len : 600), b);
                n_ambiguous++;
            } else if (strcmp(got, "text")) {
                ctl_list *back = read_bytes(dctx, got, b, len, NULL, &rst);
                ck_assert_msg(rst == CTL_OK && ctl_list_equal(want, back, 0, why, sizeof why),
                              "list %d (%s) read as %s: %s\n%.*s", i, names[n], got, why,
                              (int)(len < 600 ? len : 600), b);
                ctl_list_free(back);
            } else {
                n_text++;
            }
            ctl_list_free(tsv);
            ctl_ctx_free(dctx);
        }
        ctl_list_free(want);
        free(b);
        ctl_ctx_free(ctx);
        ctl_list_free(l);
    }
    ck_assert_uint_gt(n_text, N_LISTS);   /* most of them as text */
    ck_assert_uint_lt(n_ambiguous, N_LISTS / 10);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("detect");
    TCase *tc = tcase_create("detect");
    use_ctx_fixture(tc);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, tsv_is_not_text);
    tcase_add_test(tc, seed_head_is_text);
    tcase_add_test(tc, seed_variants_are_text);
    tcase_add_test(tc, excel_unicode_text);
    tcase_add_test(tc, csv_with_tabs_in_quotes);
    tcase_add_test(tc, own_outputs_of_the_seed);
    tcase_add_test(tc, ambiguous_is_an_error);
    tcase_add_test(tc, title_rows_of_a_sheet);
    tcase_add_test(tc, libreoffice_text_of_own_xlsx);
    tcase_add_test(tc, own_text_with_quotes);
    tcase_add_test(tc, broken_quoting);
    tcase_add_test(tc, written_tables_are_detected);
    tcase_add_test(tc, written_text_is_not_misread);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
