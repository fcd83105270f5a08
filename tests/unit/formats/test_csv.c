/* SPDX-License-Identifier: BSD-2-Clause */
/* The CSV/TSV format: the record layer against csv-spectrum, delimiter
 * detection, header matching, the reader's rules, every error path, and the
 * writer's quoting, encodings and spreadsheet safety. */
#include "support.h"
#include "internal.h"
#include "../../../formats/csv_records.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ records */

typedef struct {
    char text[4096];      /* records joined: cells by '|', records by '#' */
    size_t n;
} collected;

static ctl_status collect(void *user, const ctl_cell *cells, size_t n, long line)
{
    (void)line;
    collected *c = user;
    size_t room = sizeof c->text - strlen(c->text) - 1;   /* what is kept is cut to size */
    if (c->n && room) strncat(c->text, "#", room--);
    for (size_t i = 0; i < n; i++) {
        if (i && room) strncat(c->text, "|", room--);
        size_t k = cells[i].len < room ? cells[i].len : room;
        strncat(c->text, cells[i].s, k);
        room -= k;
    }
    c->n++;
    return CTL_OK;
}

/* options with the field-size and columns limits set (0: the default) */
static ctl_options with_limits(size_t field, size_t columns)
{
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_FIELD_SIZE] = field;
    o.limit[CTL_LIMIT_COLUMNS] = columns;
    return o;
}

static ctl_status parse_string(ctl_ctx *ctx, const char *s, size_t len, char delim, collected *c)
{
    memset(c, 0, sizeof *c);
    return ctl_csv_parse(ctx, "t.csv", s, len, delim, NULL, collect, c);
}

/* Rewrites records with ctl_csv_quote (records end with LF). */
typedef struct {
    ctl_buf out;
    char delim;
} rewriter;

static ctl_status rewrite(void *user, const ctl_cell *cells, size_t n, long line)
{
    (void)line;
    rewriter *w = user;
    for (size_t i = 0; i < n; i++) {
        if (i) ck_assert(ctl_buf_addc(&w->out, w->delim));
        ck_assert(ctl_csv_quote(&w->out, cells[i].s, cells[i].len, w->delim));
    }
    ck_assert(ctl_buf_addc(&w->out, '\n'));
    return CTL_OK;
}

/* csv-spectrum (tests/data/csv-spectrum, BSD-2-Clause): each file, the
 * records its JSON says (header included), cells '|', records '#'. */
static const struct {
    const char *file;
    const char *want;
} spectrum[] = {
    {"comma_in_quotes.csv", "first|last|address|city|zip#John|Doe|120 any st.|Anytown, WW|08123"},
    {"empty.csv", "a|b|c#1||#2|3|4"},
    {"empty_crlf.csv", "a|b|c#1||#2|3|4"},
    {"escaped_quotes.csv", "a|b#1|ha \"ha\" ha#3|4"},
    {"json.csv", "key|val#1|{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}"},
    {"newlines.csv", "a|b|c#1|2|3#Once upon \na time|5|6#7|8|9"},
    {"newlines_crlf.csv", "a|b|c#1|2|3#Once upon \na time|5|6#7|8|9"},
    {"quotes_and_newlines.csv", "a|b#1|ha \n\"ha\" \nha#3|4"},
    {"simple.csv", "a|b|c#1|2|3"},
    {"simple_crlf.csv", "a|b|c#1|2|3"},
    {"utf8.csv", "a|b|c#1|2|3#4|5|\xCA\xA4"},
};

START_TEST(spectrum_reads_and_writes_back)
{
    char path[512];
    snprintf(path, sizeof path, "%s/csv-spectrum/%s", CTL_TEST_DATA, spectrum[_i].file);
    size_t len;
    unsigned char *data = slurp(path, &len);
    collected a, b;
    assert_ok(ctx, parse_string(ctx, (char *)data, len, ',', &a));
    ck_assert_str_eq(a.text, spectrum[_i].want);
    rewriter w = {{0}, ','};
    assert_ok(ctx, ctl_csv_parse(ctx, "t.csv", (char *)data, len, ',', NULL, rewrite, &w));
    assert_ok(ctx, parse_string(ctx, w.out.data, w.out.len, ',', &b));
    ck_assert_str_eq(b.text, a.text);
    ctl_buf_free(&w.out);
    free(data);
}
END_TEST

START_TEST(spectrum_stray_quote_is_an_error)
{
    /* location_coordinates.csv has 37.8"N in an unquoted field: RFC 4180
     * does not allow it, and strict reading says where */
    size_t len;
    unsigned char *data = slurp(CTL_TEST_DATA "/csv-spectrum/location_coordinates.csv", &len);
    collected a;
    ck_assert_int_eq(parse_string(ctx, (char *)data, len, ',', &a), CTL_EINPUT);
    ck_assert_int_eq(ctl_error_line(ctx), 2);
    ck_assert(strstr(ctl_error_message(ctx), "malformed CSV in field 2") != NULL);
    free(data);
}
END_TEST

START_TEST(cr_and_lf_inside_quotes_kept)
{
    const char *in = "a,b\r\n\"x\r\ny\",\"p\rq\"\r\n\"l\nm\",z\r\n";
    collected c;
    assert_ok(ctx, parse_string(ctx, in, strlen(in), ',', &c));
    ck_assert_str_eq(c.text, "a|b#x\r\ny|p\rq#l\nm|z");
}
END_TEST

START_TEST(spaces_are_data)
{
    const char *in = "  a , b  \n";
    collected c;
    assert_ok(ctx, parse_string(ctx, in, strlen(in), ',', &c));
    ck_assert_str_eq(c.text, "  a | b  ");
}
END_TEST

START_TEST(record_errors)
{
    static const struct {
        const char *in;
        ctl_status st;
        long line;
        const char *msg;
    } cases[] = {
        {"a,b\n\"open,x\ny,z\n", CTL_EINPUT, 2, "unterminated quoted field"},
        {"a,b\nc,d\"e\n", CTL_EINPUT, 2, "malformed CSV in field 2"},
        {"a,b\n\"c\"d,e\n", CTL_EINPUT, 2, "malformed CSV in field 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        collected c;
        ck_assert_int_eq(parse_string(ctx, cases[i].in, strlen(cases[i].in), ',', &c), cases[i].st);
        ck_assert_int_eq(ctl_error_line(ctx), cases[i].line);
        assert_error_code(ctx, CTL_D_MALFORMED_CSV);
        ck_assert_msg(strstr(ctl_error_message(ctx), cases[i].msg) != NULL, "%s", ctl_error_message(ctx));
        ctl_ctx_free(ctx);
    }
}
END_TEST

START_TEST(field_limit_just_under_and_over)
{
    char *in = malloc(2100);
    memcpy(in, "a\n\"", 3);
    memset(in + 3, 'x', 2048);
    memcpy(in + 3 + 2048, "\"\n", 3);
    ctl_ctx *ctx = ctl_ctx_new();
    collected c;
    memset(&c, 0, sizeof c);
    ctl_options o = with_limits(2048, 0);
    assert_ok(ctx, ctl_csv_parse(ctx, "t.csv", in, strlen(in), ',', &o, collect, &c));
    ctl_ctx_free(ctx);
    ctx = ctl_ctx_new();
    memset(&c, 0, sizeof c);
    o = with_limits(2047, 0);
    ck_assert_int_eq(ctl_csv_parse(ctx, "t.csv", in, strlen(in), ',', &o, collect, &c), CTL_ELIMIT);
    assert_error_code(ctx, CTL_D_LIMIT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_FIELD_SIZE);
    ck_assert_int_eq(ctl_error_line(ctx), 2);
    ctl_ctx_free(ctx);
    free(in);
}
END_TEST

START_TEST(column_limit_just_under_and_over)
{
    /* 1024 fields pass a limit of 1024 and fail one of 1023; the default
     * (16384, Excel's widest sheet) passes 16384 and refuses 16385 */
    static const struct { int fields; size_t limit; ctl_status want; } cases[] = {
        {1024, 1024, CTL_OK}, {1024, 1023, CTL_ELIMIT}, {16384, 0, CTL_OK}, {16385, 0, CTL_ELIMIT},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ctl_buf b = {0};
        for (int i = 0; i < cases[k].fields; i++) ck_assert(ctl_buf_adds(&b, i ? ",x" : "x"));
        ck_assert(ctl_buf_adds(&b, "\n"));
        ctl_ctx *ctx = ctl_ctx_new();
        collected c;
        memset(&c, 0, sizeof c);
        ctl_options o = with_limits(0, cases[k].limit);
        ck_assert_int_eq(ctl_csv_parse(ctx, "t.csv", b.data, b.len, ',', &o, collect, &c), cases[k].want);
        if (cases[k].want != CTL_OK) {
            assert_error_code(ctx, CTL_D_LIMIT);
            ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_COLUMNS);
        }
        ctl_ctx_free(ctx);
        ctl_buf_free(&b);
    }
}
END_TEST

START_TEST(delimiter_detection)
{
    ck_assert_int_eq(ctl_csv_detect_delimiter("a,b,c\n1,2,3\n", 12), ',');
    ck_assert_int_eq(ctl_csv_detect_delimiter("a\tb\tc\n1\t2\t3\n", 12), '\t');
    ck_assert_int_eq(ctl_csv_detect_delimiter("a;b;c\n1;2,5;3\n4;5;6\n", 20), ';');
    /* delimiters inside quotes do not count */
    const char *q = "id;title\n\"II.1\";\"a, b, c\"\n\"II.2\";\"d, e\"\n";
    ck_assert_int_eq(ctl_csv_detect_delimiter(q, strlen(q)), ';');
    /* a title row above the header does not confuse it */
    const char *t = "Title\n\nid,title,category\nII.1,a,b\nII.2,c,d\n";
    ck_assert_int_eq(ctl_csv_detect_delimiter(t, strlen(t)), ',');
}
END_TEST

/* ------------------------------------------------------------ reader */

static ctl_list *read_csv(ctl_ctx *ctx, const char *s, const ctl_options *o, ctl_status *st)
{
    return read_bytes(ctx, "csv", s, strlen(s), o, st);
}

START_TEST(header_below_title_rows_any_order)
{
    const char *in = "My list,,,\n"
                     "made from the guideline,,,\n"
                     ",,,\n"
                     "ANNEX2 対策一覧,,,\n"
                     "公開回答,区分,No.,ISMS 管理策,対策項目,備考\n"
                     "ans,推奨,Ⅱ．１．１．１,Ａ．５．１．１ A.5.1.2,t,memo\n"
                     ",,II. 1.,A.5,Section,\n";
    ctl_status st;
    list = read_csv(ctx, in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->meta.title, "My list");
    ck_assert_str_eq(list->meta.note, "made from the guideline");
    ck_assert_str_eq(list->meta.annex, "ANNEX2 対策一覧");
    ck_assert_uint_eq(list->meta.n_columns, 6);
    ck_assert_uint_eq(list->n_items, 2);
    const ctl_item *a = &list->items[0];
    ck_assert_str_eq(a->id, "II.1.1.1");
    ck_assert_str_eq(a->label, "Ⅱ．１．１．１");      /* kept as printed */
    /* model v2: without a level or parent column the level comes from
     * containment among the list's ids, no longer from the number's
     * parts: nothing above II.1.1.1 holds it, so it is a top item */
    ck_assert_int_eq(a->level, 1);
    ck_assert_str_eq(a->parent, "");
    ck_assert_uint_eq(a->n_refs, 2);
    ck_assert_str_eq(a->refs[0].id, "A.5.1.1");
    ck_assert_str_eq(a->refs[1].id, "A.5.1.2");
    ck_assert_int_eq(a->category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_str_eq(a->answer, "ans");
    ck_assert_uint_eq(a->n_extra, 1);
    ck_assert_str_eq(a->extra[0].name, "備考");
    ck_assert_str_eq(a->extra[0].value, "memo");
    ck_assert_int_eq(list->items[1].level, 1);
    ck_assert_int_eq(a->pos.line, 6);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
}
END_TEST

START_TEST(canonical_ids_get_display_labels)
{
    const char *in = "id,level,isms,title,description,category,answer\nII.1.1.1,3,,t,d,basic,a\n";
    ctl_status st;
    list = read_csv(ctx, in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[0].label, "II. 1. 1. 1");
    ck_assert_int_eq(list->items[0].category, CTL_CATEGORY_BASIC);
}
END_TEST

/* Model v2: a level cell is the item's level (a cell that is no whole
 * number is kept as an extra column, level-mismatch); a reference cell
 * that does not parse is kept as one reference of scheme "" (not-isms);
 * any category word is kept (必須 is MANDATORY), a two-line one is an
 * extra column (bad-category); a row without an id is an error unless
 * skip_bad_rows. */
START_TEST(reader_warnings_keep_data)
{
    const char *in = "項番,階層,ISMS管理策,対策項目,区分,,公開回答\n"
                     "II.1.1.1,x,see A.5,t,必須,stray,a\n"
                     "注記: this row has no number,,,,,,\n"
                     "II.1.1.2,3,,t2,\"基本\n推奨\",,a2\n";
    ctl_status st;
    ctl_options o;
    ctl_options_init(&o);
    o.skip_bad_rows = 1;
    list = read_csv(ctx, in, &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 2);
    const ctl_item *a = &list->items[0];
    ck_assert_int_eq(a->level, 1);                      /* containment: nothing above */
    ck_assert(warnings_with(ctx, CTL_D_LEVEL_MISMATCH));
    ck_assert(warnings_with(ctx, CTL_D_NOT_ISMS));
    ck_assert(warnings_with(ctx, CTL_D_BAD_CATEGORY));
    ck_assert(warnings_with(ctx, CTL_D_UNNAMED_COLUMN));
    ck_assert(warnings_with(ctx, CTL_D_ROW_SKIPPED));
    ck_assert_uint_eq(a->n_refs, 1);
    ck_assert_str_eq(a->refs[0].scheme, "");
    ck_assert_str_eq(a->refs[0].id, "see A.5");
    ck_assert_int_eq(a->category, CTL_CATEGORY_MANDATORY);
    ck_assert_str_eq(a->category_text, "必須");
    ck_assert_uint_eq(a->n_extra, 2);
    ck_assert_str_eq(a->extra[0].name, "階層");
    ck_assert_str_eq(a->extra[0].value, "x");
    ck_assert_str_eq(a->extra[1].name, "column 6");
    ck_assert_str_eq(a->extra[1].value, "stray");
    const ctl_item *b = &list->items[1];
    ck_assert_int_eq(b->level, 3);                      /* the level given */
    ck_assert_str_eq(b->parent, "II.1.1.1");            /* the item above at a smaller level */
    ck_assert_uint_eq(b->n_extra, 1);
    ck_assert_str_eq(b->extra[0].value, "基本\n推奨");
    ck_assert_str_eq(ctl_category_word(b), "");
}
END_TEST

START_TEST(duplicate_column_kept_as_extra)
{
    const char *in = "項番,対策項目,対策項目,区分\nII.1,a,b,\n";
    ctl_status st;
    list = read_csv(ctx, in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[0].title, "a");
    ck_assert_uint_eq(list->items[0].n_extra, 1);
    ck_assert_str_eq(list->items[0].extra[0].value, "b");
    ck_assert(warnings_with(ctx, CTL_D_DUPLICATE_COLUMN));
}
END_TEST

START_TEST(column_mapping)
{
    const char *in = "整理記号,名称,内容,回答\nII.1.1.1,t,d,a\n";
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    /* 整理記号 is no header word, but its cells are ids: found by their
     * shape (issue 12); the mapping below says the same explicitly */
    ctl_list *l = read_csv(ctx, in, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->items[0].id, "II.1.1.1");
    ctl_list_free(l);
    ctl_ctx_free(ctx);
    /* with a header of words no rule knows and no ids below: no header */
    ctx = ctl_ctx_new();
    l = read_csv(ctx, "整理記号,件名\nあ,い\n", NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_NO_HEADER);
    ck_assert_int_eq(ctl_diag_hint(ctl_error_code(ctx)), CTL_HINT_COLUMN);
    ctl_list_free(l);
    ctl_ctx_free(ctx);

    ctl_column_map maps[] = {{CTL_FIELD_ID, "整理記号"}, {CTL_FIELD_TITLE, "名称"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = maps;
    o.n_columns = 2;
    ctx = ctl_ctx_new();
    l = read_csv(ctx, in, &o, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->items[0].title, "t");
    ck_assert_str_eq(l->items[0].description, "d");
    ck_assert_str_eq(l->items[0].answer, "a");
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

/* A mapping whose header the file lacks (a typo) is an error naming the
 * header asked for and those the file has, not a mapping lost in silence. */
START_TEST(column_mapping_to_missing_header)
{
    const char *in = "id,title,description,category,answer\nII.1.1.1,t,d,基本,a\n";
    ctl_column_map maps[] = {{CTL_FIELD_DESCRIPTION, "Nope"}};
    ctl_options o;
    ctl_options_init(&o);
    o.columns = maps;
    o.n_columns = 1;
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_csv(ctx, in, &o, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_NO_SUCH_COLUMN);
    ck_assert_int_eq(ctl_diag_hint(ctl_error_code(ctx)), CTL_HINT_COLUMN);
    ck_assert_int_eq(ctl_error_line(ctx), 1);
    ck_assert_msg(strstr(ctl_error_message(ctx), "'Nope'") &&
                  strstr(ctl_error_message(ctx), "'id', 'title', 'description', 'category', 'answer'"),
                  "%s", ctl_error_message(ctx));
    ctl_list_free(l);
    /* matched as header words are: case and width folded */
    maps[0].header = "ＡＮＳＷＥＲ";
    maps[0].field = CTL_FIELD_ANSWER;
    l = read_csv(ctx, in, &o, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

START_TEST(reader_errors)
{
    static const struct {
        const char *in;
        long line;
        ctl_diag code;
        const char *msg;
    } cases[] = {
        {"id,title,category\nII.1,a\n", 2, CTL_D_RAGGED_ROW, "ragged row: 2 fields where the header has 3"},
        {"id,title,category\nII.1,a,基本,x\n", 2, CTL_D_RAGGED_ROW, "field 4 holds text"},
        {"id,title,category\nII.1,\"a,基本\n", 2, CTL_D_MALFORMED_CSV, "unterminated quoted field"},
        {"a,b,c\n1,2,3\n", 0, CTL_D_NO_HEADER, "no header row"},
        {"id,title,category\n", 0, CTL_D_NO_ROWS, "no control rows"},
        /* model v2: a row whose id cell is no id is an error (was skipped) */
        {"id,title,category\nnot a number,a,基本\n", 2, CTL_D_BAD_ROW, "'not a number' in column 1 (the ids) "
         "is no identifier"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_csv(ctx, cases[i].in, NULL, &st);
        ck_assert_int_eq(st, CTL_EINPUT);
        ck_assert_int_eq(ctl_error_line(ctx), cases[i].line);
        assert_error_code(ctx, cases[i].code);
        ck_assert_msg(strstr(ctl_error_message(ctx), cases[i].msg) != NULL, "%s", ctl_error_message(ctx));
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
    /* trailing empty fields past the header are no error */
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_csv(ctx, "id,title,category\nII.1,a,基本,,\n", NULL, &st);
    assert_ok(ctx, st);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
    /* the header must come within the first 64 rows */
    ctl_buf b = {0};
    for (int i = 0; i < 70; i++) ck_assert(ctl_buf_adds(&b, "title row\n"));
    ck_assert(ctl_buf_adds(&b, "id,title,category\nII.1,a,基本\n"));
    ctx = ctl_ctx_new();
    l = read_csv(ctx, b.data, NULL, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    ck_assert(strstr(ctl_error_message(ctx), "first 64 rows") != NULL);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
    ctl_buf_free(&b);
}
END_TEST

START_TEST(tsv_and_semicolon)
{
    ctl_status st;
    const char *tsv = "id\ttitle\tcategory\nII.1\ta, b\t基本\n";
    ctl_list *l = read_bytes(ctx, "tsv", tsv, strlen(tsv), NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->items[0].title, "a, b");
    ctl_list_free(l);
    const char *semi = "id;title;category\nII.1;a, b;基本\n";
    l = read_csv(ctx, semi, NULL, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(l->items[0].title, "a, b");
    ctl_list_free(l);
}
END_TEST

/* Excel's "sep=X" first line declares the delimiter and is no record (not
 * the title); line numbers still count it. */
START_TEST(excel_sep_line)
{
    const char *in = "sep=;\r\nid;title;description;category;answer\r\nII.1.1.1;Keep, this;d;基本;a\r\n";
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_csv(ctx, in, NULL, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ck_assert_str_eq(l->meta.title, "");
    ck_assert_uint_eq(l->n_items, 1);
    ck_assert_str_eq(l->items[0].title, "Keep, this");
    ck_assert_int_eq(l->items[0].pos.line, 3);
    ctl_list_free(l);
    /* detected as CSV, not TSV */
    ck_assert_int_gt(ctl_format_by_name("csv")->probe(in, strlen(in)), 0);
    ck_assert_int_eq(ctl_format_by_name("tsv")->probe(in, strlen(in)), 0);
    /* sep=\t: a TSV */
    const char *tab = "sep=\t\nid\ttitle\tcategory\nII.1\ta, b\t基本\n";
    ck_assert_int_eq(ctl_format_by_name("csv")->probe(tab, strlen(tab)), 0);
    ck_assert_int_gt(ctl_format_by_name("tsv")->probe(tab, strlen(tab)), 0);
    l = read_bytes(ctx, "tsv", tab, strlen(tab), NULL, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ck_assert_str_eq(l->meta.title, "");
    ck_assert_str_eq(l->items[0].title, "a, b");
    ctl_list_free(l);
    /* the caller's delimiter agrees: fine; disagrees: an error */
    ctl_options o;
    ctl_options_init(&o);
    o.delimiter = ';';
    l = read_csv(ctx, in, &o, &st);
    ck_assert_int_eq(st, CTL_OK);
    ctl_list_free(l);
    o.delimiter = ',';
    l = read_csv(ctx, in, &o, &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_DELIMITER_MISMATCH);
    ck_assert_msg(strstr(ctl_error_message(ctx), "'sep=;' declares the delimiter ';', but the delimiter ',' was given"),
                  "%s", ctl_error_message(ctx));
    ctl_list_free(l);
    ctl_error_clear(ctx);
    l = read_bytes(ctx, "tsv", in, strlen(in), NULL, &st);   /* -f tsv on a sep=; file */
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_DELIMITER_MISMATCH);
    ctl_list_free(l);
    ctl_error_clear(ctx);
    /* only exactly "sep=X": anything else on the line is a title row */
    const char *not_sep = "sep=;x\nid;title;category\nII.1;a;基本\n";
    l = read_csv(ctx, not_sep, NULL, &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_str_eq(l->meta.title, "sep= x");   /* a title row, its cells joined */
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

/* TSV honours the delimiter option for tab (what TSV means) only. */
START_TEST(tsv_takes_tab_delimiter_only)
{
    const char *tsv = "id\ttitle\tcategory\nII.1\ta, b\t基本\n";
    ck_assert(ctl_format_by_name("tsv")->options & CTL_READS_DELIMITER);
    ctl_options o;
    ctl_options_init(&o);
    o.delimiter = '\t';
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_bytes(ctx, "tsv", tsv, strlen(tsv), &o, &st);
    ck_assert_msg(st == CTL_OK, "%s", ctl_error_message(ctx));
    ck_assert_str_eq(l->items[0].title, "a, b");
    ctl_list_free(l);
    const char bad[] = {',', ';'};
    for (size_t i = 0; i < sizeof bad; i++) {
        o.delimiter = bad[i];
        ctl_error_clear(ctx);
        l = read_bytes(ctx, "tsv", tsv, strlen(tsv), &o, &st);
        ck_assert_int_eq(st, CTL_EUSAGE);
        assert_error_code(ctx, CTL_D_DELIMITER_MISMATCH);
        ck_assert_msg(strstr(ctl_error_message(ctx), "a TSV file is tab-separated"), "%s", ctl_error_message(ctx));
        ctl_list_free(l);
    }
    ctl_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------ writer */

static ctl_list *formula_list(void)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_meta m = {0};
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    const char *cells[] = {"=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted", "a\"b"};
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        char id[16];
        snprintf(id, sizeof id, "II.%zu", i + 1);
        ctl_item it = {.id = id, .label = "", .level = 1, .title = (char *)cells[i],
                       .description = (char *)cells[(i + 1) % 8], .answer = (char *)cells[(i + 2) % 8]};
        assert_ok(ctx, l->sink.item(&l->sink, ctx, &it));
    }
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    return l;
}

START_TEST(formula_cells_round_trip_exactly)
{
    ctl_list *a = formula_list();
    ctl_status st;
    size_t n;
    const char *fmts[] = {"csv", "tsv"};
    for (size_t f = 0; f < 2; f++) {
        char *out = write_list(ctx, fmts[f], a, NULL, &n, &st);
        assert_ok(ctx, st);
        ctl_list *b = read_bytes(ctx, fmts[f], out, n, NULL, &st);
        assert_ok(ctx, st);
        char why[256];
        ck_assert_msg(ctl_list_equal(a, b, 0, why, sizeof why), "%s: %s", fmts[f], why);
        free(out);
        ctl_list_free(b);
    }
    ctl_list_free(a);
}
END_TEST

START_TEST(excel_safe_prefixes)
{
    list = formula_list();
    ctl_options o;
    ctl_options_init(&o);
    o.excel_safe = 1;
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", list, &o, &n, &st);
    assert_ok(ctx, st);
    /* model v2 columns: id, level, parent, references, title, ... */
    ck_assert(strstr(out, "\nII.1,1,,,'=1+1,'+cmd|' /C calc'!A0,,'-2\n") != NULL);
    ck_assert(strstr(out, "\nII.4,1,,,'@SUM(A1),'\tx,,\"'\rx\"\n") != NULL);
    ck_assert(strstr(out, ",'quoted,") != NULL);          /* not a formula: unchanged */
    free(out);
}
END_TEST

START_TEST(cp932_encoder)
{
    ctl_encoder *e = ctl_encoder_new("CP932");
    ck_assert_ptr_nonnull(e);
    ctl_buf out = {0};
    uint32_t bad, became;
    /* exact */
    ck_assert_int_eq(ctl_encode(e, "基本①Ⅲ～", strlen("基本①Ⅲ～"), 0, &out, &bad, &became), 1);
    ck_assert_uint_eq(out.len, 10);
    /* glibc writes U+301C WAVE DASH as U+FF5E silently: caught */
    out.len = 0;
    ck_assert_int_eq(ctl_encode(e, "a〜b", strlen("a〜b"), 0, &out, &bad, &became), 0);
    ck_assert_uint_eq(bad, 0x301C);
    ck_assert_uint_eq(became, 0xFF5E);
    ck_assert_uint_eq(out.len, 0);                          /* nothing kept */
    const uint32_t silent[][2] = {{0x2212, 0xFF0D}, {0x2016, 0x2225}, {0x00A2, 0xFFE0},
                                  {0x00AC, 0xFFE2}, {0x2014, 0x2015}};
    for (size_t i = 0; i < 5; i++) {
        char s[8];
        ctl_utf8_encode(silent[i][0], s);
        out.len = 0;
        ck_assert_int_eq(ctl_encode(e, s, strlen(s), 0, &out, &bad, &became), 0);
        ck_assert_uint_eq(bad, silent[i][0]);
        ck_assert_uint_eq(became, silent[i][1]);
    }
    /* not in CP932 at all */
    out.len = 0;
    ck_assert_int_eq(ctl_encode(e, "x𠮷y", strlen("x𠮷y"), 0, &out, &bad, &became), 0);
    ck_assert_uint_eq(bad, 0x20BB7);
    ck_assert_uint_eq(became, 0);
    /* with substitution: 〓 (0x81 0xAC), and the change still reported */
    out.len = 0;
    ck_assert_int_eq(ctl_encode(e, "x𠮷y", strlen("x𠮷y"), 1, &out, &bad, &became), 0);
    ck_assert_uint_eq(out.len, 4);
    ck_assert_mem_eq(out.data, "x\x81\xACy", 4);
    out.len = 0;
    ck_assert_int_eq(ctl_encode(e, "〜", strlen("〜"), 1, &out, &bad, &became), 0);
    ck_assert_mem_eq(out.data, "\x81\x60", 2);
    ctl_buf_free(&out);
    ctl_encoder_free(e);
}
END_TEST

START_TEST(cp932_and_bom_output)
{
    list = formula_list();
    ctl_options o;
    ctl_options_init(&o);
    o.out_encoding = CTL_OUT_UTF8_BOM;
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", list, &o, &n, &st);
    assert_ok(ctx, st);
    ck_assert_mem_eq(out, "\xEF\xBB\xBFid,", 6);
    free(out);
    /* a wave dash in a title: an error naming the row and column */
    free(list->items[2].title);
    list->items[2].title = strdup("波〜");
    o.out_encoding = CTL_OUT_CP932;
    out = write_list(ctx, "csv", list, &o, &n, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    ck_assert(has_warning(ctx, "row 3 (II.3), column 'title': U+301C"));
    /* the error itself names the first cell and the count: warnings may
     * not be shown (ctlconv -q), and nothing is "listed above" */
    assert_error_code(ctx, CTL_D_CP932_UNWRITABLE);
    ck_assert_msg(strstr(ctl_error_message(ctx), "1 cell(s) cannot be written in CP932") &&
                  strstr(ctl_error_message(ctx), "the first at row 3 (II.3), column 'title': U+301C 〜, "
                                                 "character 2 of the cell") &&
                  !strstr(ctl_error_message(ctx), "above"),
                  "%s", ctl_error_message(ctx));
    free(out);
}
END_TEST

START_TEST(csv_quotes_what_needs_it)
{
    list = sample_list();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(out,
                     "id,level,parent,isms,title,description,category,answer,備考\n"
                     "II.1,1,,,\"Section, with comma\",,,,\n"
                     "II.1.1.1,3,II.1,A.5.1.1; A.5.1.2,\"say \"\"hi\"\"\",\"・a\n・b\",基本,=1+1\ttab,x\n");
    ck_assert(warnings_with(ctx, CTL_D_TITLE_DROPPED));
    free(out);
}
END_TEST

START_TEST(csv_japanese_header_and_crlf)
{
    list = sample_list();
    ctl_options o;
    ctl_options_init(&o);
    o.header = CTL_HEADER_JA;
    o.crlf = 1;
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "csv", list, &o, &n, &st);
    assert_ok(ctx, st);
    static const char head[] = "項番,階層,親項番,ISMS管理策,対策項目,対策内容,区分,公開回答,備考\r\n";
    ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s", out);
    /* the line break inside a quoted cell is kept as it is */
    ck_assert(strstr(out, "\"・a\n・b\"") != NULL);
    ck_assert(strstr(out, "x\r\n") != NULL);
    free(out);
}
END_TEST

START_TEST(tsv_quotes_tabs)
{
    list = sample_list();
    ctl_status st;
    size_t n;
    char *out = write_list(ctx, "tsv", list, NULL, &n, &st);
    assert_ok(ctx, st);
    ck_assert(strstr(out, "\t\"=1+1\ttab\"\t") != NULL);
    ck_assert(strstr(out, "\tSection, with comma\t") != NULL);
    ck_assert_uint_eq(warnings_with(ctx, CTL_D_TITLE_DROPPED), 1);
    ck_assert(has_warning(ctx, "TSV has no place"));
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv");
    TCase *tr = tcase_create("records");
    use_ctx_fixture(tr);
    tcase_add_loop_test(tr, spectrum_reads_and_writes_back, 0, sizeof spectrum / sizeof *spectrum);
    tcase_add_test(tr, spectrum_stray_quote_is_an_error);
    tcase_add_test(tr, cr_and_lf_inside_quotes_kept);
    tcase_add_test(tr, spaces_are_data);
    tcase_add_test(tr, record_errors);
    tcase_add_test(tr, field_limit_just_under_and_over);
    tcase_add_test(tr, column_limit_just_under_and_over);
    tcase_add_test(tr, delimiter_detection);
    suite_add_tcase(s, tr);
    TCase *tc = tcase_create("reader");
    use_ctx_fixture(tc);
    tcase_add_test(tc, header_below_title_rows_any_order);
    tcase_add_test(tc, canonical_ids_get_display_labels);
    tcase_add_test(tc, reader_warnings_keep_data);
    tcase_add_test(tc, duplicate_column_kept_as_extra);
    tcase_add_test(tc, column_mapping);
    tcase_add_test(tc, column_mapping_to_missing_header);
    tcase_add_test(tc, reader_errors);
    tcase_add_test(tc, tsv_and_semicolon);
    tcase_add_test(tc, excel_sep_line);
    tcase_add_test(tc, tsv_takes_tab_delimiter_only);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("writer");
    use_ctx_fixture(tw);
    tcase_add_test(tw, formula_cells_round_trip_exactly);
    tcase_add_test(tw, excel_safe_prefixes);
    tcase_add_test(tw, cp932_encoder);
    tcase_add_test(tw, cp932_and_bom_output);
    tcase_add_test(tw, csv_quotes_what_needs_it);
    tcase_add_test(tw, csv_japanese_header_and_crlf);
    tcase_add_test(tw, tsv_quotes_tabs);
    suite_add_tcase(s, tw);
    return run_suite(s);
}
