/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping files (converters/mapfile.c): every key, comments and blank
 * lines, errors with their lines, options the caller set winning over the
 * map; and the rules a map gives (converters/rules.c): category words and
 * the evidence of the hierarchy. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ctl_map *map;

static void setup(void)
{
    ctx_setup();
    map = NULL;
}

static void teardown(void)
{
    ctl_map_free(map);
    map = NULL;
    ctx_teardown();
}

static ctl_status parse(const char *text)
{
    ctl_map_free(map);
    map = NULL;
    return ctl_map_parse(ctx, "m.map", text, strlen(text), &map);
}

/* The options a map gives to defaults. */
static ctl_options applied(const char *text, unsigned *bits)
{
    ctl_options o;
    ctl_options_init(&o);
    assert_ok(ctx, parse(text));
    assert_ok(ctx, ctl_map_apply(ctx, map, &o, bits));
    return o;
}

/* The field a header is mapped onto in o (CTL_FIELD_NONE: none). */
static ctl_field_kind field_of(const ctl_options *o, const char *header)
{
    for (size_t i = 0; i < o->n_columns; i++)
        if (!strcmp(o->columns[i].header, header)) return o->columns[i].field;
    return CTL_FIELD_NONE;
}

START_TEST(every_key)
{
    unsigned bits = 0;
    ctl_options o = applied("format = csv\n"
                            "encoding = CP932\n"
                            "delimiter = ;\n"
                            "sheet = req_content\n"
                            "column.id = Kontroll-Nr\n"
                            "column.label = Anzeige\n"
                            "column.level = Tiefe\n"
                            "column.parent = Oben\n"
                            "column.refs = Norm\n"
                            "column.title = Bezeichnung\n"
                            "column.description = Beschreibung\n"
                            "column.category = Stufe\n"
                            "column.answer = Antwort\n"
                            "ref-scheme = ISO/IEC 27001:2022\n"
                            "hierarchy = parent\n"
                            "headings = yes\n"
                            "skip-bad-rows = yes\n"
                            "category.Pflicht = mandatory\n"
                            "category.Empfohlen = recommended\n"
                            "category.Basis = 基本\n"
                            "category.IG1 = none\n",
                            &bits);
    ck_assert_ptr_nonnull(ctl_map_format(map));
    ck_assert_str_eq(ctl_map_format(map)->name, "csv");
    ck_assert_str_eq(o.encoding, "CP932");
    ck_assert_int_eq(o.delimiter, ';');
    ck_assert_str_eq(o.sheet, "req_content");
    ck_assert_uint_eq(o.n_columns, 9);
    ck_assert_int_eq(field_of(&o, "Kontroll-Nr"), CTL_FIELD_ID);
    ck_assert_int_eq(field_of(&o, "Anzeige"), CTL_FIELD_LABEL);
    ck_assert_int_eq(field_of(&o, "Tiefe"), CTL_FIELD_LEVEL);
    ck_assert_int_eq(field_of(&o, "Oben"), CTL_FIELD_PARENT);
    ck_assert_int_eq(field_of(&o, "Norm"), CTL_FIELD_ISMS);
    ck_assert_int_eq(field_of(&o, "Bezeichnung"), CTL_FIELD_TITLE);
    ck_assert_int_eq(field_of(&o, "Beschreibung"), CTL_FIELD_DESCRIPTION);
    ck_assert_int_eq(field_of(&o, "Stufe"), CTL_FIELD_CATEGORY);
    ck_assert_int_eq(field_of(&o, "Antwort"), CTL_FIELD_ANSWER);
    ck_assert_str_eq(o.ref_scheme, "iso27001-2022");
    ck_assert_int_eq(o.hierarchy, CTL_HIERARCHY_PARENT);
    ck_assert_int_eq(o.make_headings, 1);
    ck_assert_int_eq(o.skip_bad_rows, 1);
    ck_assert_uint_eq(o.n_categories, 4);
    ck_assert_str_eq(o.categories[0].word, "Pflicht");
    ck_assert_int_eq(o.categories[0].value, CTL_CATEGORY_MANDATORY);
    ck_assert_int_eq(o.categories[1].value, CTL_CATEGORY_RECOMMENDED);
    ck_assert_int_eq(o.categories[2].value, CTL_CATEGORY_BASIC);
    ck_assert_int_eq(o.categories[3].value, CTL_CATEGORY_NONE);
    ck_assert_uint_eq(bits, CTL_READS_ENCODING | CTL_READS_DELIMITER | CTL_READS_COLUMNS | CTL_READS_SHEET);
    /* column.extra repeats */
    ctl_options e = applied("column.extra = x\ncolumn.extra = y\n", NULL);
    ck_assert_uint_eq(e.n_columns, 2);
    ck_assert_int_eq(e.columns[1].field, CTL_FIELD_NONE);
    ck_assert_str_eq(e.columns[1].header, "y");
}
END_TEST

START_TEST(value_spellings)
{
    static const struct {
        const char *line;
        int delimiter, hierarchy, headings, skip;
    } cases[] = {
        {"delimiter = tab", '\t', -1, 9, -1},
        {"delimiter = comma", ',', -1, 9, -1},
        {"delimiter = semicolon", ';', -1, 9, -1},
        {"hierarchy = level", 0, CTL_HIERARCHY_LEVEL, 9, -1},
        {"hierarchy = IDS", 0, CTL_HIERARCHY_IDS, 9, -1},
        {"hierarchy = auto", 0, CTL_HIERARCHY_AUTO, 9, -1},
        {"headings = no", 0, -1, -1, -1},
        {"headings = auto", 0, -1, 0, -1},
        {"headings = true", 0, -1, 1, -1},
        {"skip-bad-rows = no", 0, -1, 9, 0},
        {"skip-bad-rows = on", 0, -1, 9, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_options o = applied(cases[i].line, NULL);
        ck_assert_msg(o.delimiter == cases[i].delimiter, "%s", cases[i].line);
        if (cases[i].hierarchy >= 0) ck_assert_msg((int)o.hierarchy == cases[i].hierarchy, "%s", cases[i].line);
        if (cases[i].headings != 9) ck_assert_msg(o.make_headings == cases[i].headings, "%s", cases[i].line);
        if (cases[i].skip >= 0) ck_assert_msg(o.skip_bad_rows == cases[i].skip, "%s", cases[i].line);
    }
    /* a custom scheme of the right shape is kept */
    ck_assert_str_eq(applied("ref-scheme = bsi-grundschutz-2023", NULL).ref_scheme, "bsi-grundschutz-2023");
    /* keys and field names in any case, spaces around '=' or none */
    ctl_options o = applied("Column.TITLE=Name\nSHEET=2", NULL);
    ck_assert_int_eq(field_of(&o, "Name"), CTL_FIELD_TITLE);
    ck_assert_str_eq(o.sheet, "2");
}
END_TEST

START_TEST(comments_blank_lines_and_line_ends)
{
    ctl_options o = applied("\xEF\xBB\xBF# a map\r\n"
                            "\r\n"
                            "   # indented comment\n"
                            "\t\n"
                            "column.title = Nr # not a comment\r\n"
                            "  sheet  =  Sheet 1  \n"
                            "#last = comment",
                            NULL);
    ck_assert_uint_eq(o.n_columns, 1);
    ck_assert_str_eq(o.columns[0].header, "Nr # not a comment");
    ck_assert_str_eq(o.sheet, "Sheet 1");
    /* an empty map sets nothing */
    unsigned bits = 1;
    o = applied("", &bits);
    ck_assert_uint_eq(bits, 0);
    ck_assert_ptr_null(ctl_map_format(map));
    ck_assert_ptr_null(o.encoding);
    ck_assert_uint_eq(o.n_columns, 0);
}
END_TEST

/* Each error: its line and a fragment of its message. */
static const struct {
    const char *text;
    long line;
    const char *msg;
} errors[] = {
    {"# typo\ncolum.title = x", 2, "unknown key 'colum.title'"},
    {"sheets = 1", 1, "unknown key 'sheets'"},
    {"column. = x", 1, "unknown key 'column.'"},
    {"\n\ncolumn.tilte = x", 3, "no field 'tilte' (id, label, level, parent, refs"},
    {"column.extras = x", 1, "no field 'extras'"},
    {"column.extra = x\ncolumn.extra = y\ncolumn.extra = X", 3, "column 'X' is mapped onto extra already (line 1)"},
    {"ref-scheme = ISO 9999", 1, "ref-scheme 'ISO 9999' is no scheme"},
    {"ref-scheme = 27002", 1, "is no scheme"},
    {"sheet = a\n# again\nsheet = b", 3, "sheet given twice (first on line 1)"},
    {"format = csv\nFORMAT = tsv", 2, "format given twice (first on line 1)"},
    {"column.isms = A\ncolumn.refs = B", 2, "column.refs: a column for refs is given already (line 1)"},
    {"column.id = Nr\ncolumn.title = NR", 2, "column 'NR' is mapped onto id already (line 1)"},
    {"category.Pflicht = basic\ncategory.ＰＦＬＩＣＨＴ = mandatory", 2,
     "category word 'ＰＦＬＩＣＨＴ' given twice (first on line 1)"},
    {"category.Muss = sehr", 1, "category.Muss takes basic, recommended, mandatory or none, not 'sehr'"},
    {"category. = basic", 1, "names no word"},
    {"format = pdf", 1, "format 'pdf' is not one ctlconv reads (text, csv"},
    {"format = nonesuch", 1, "is not one ctlconv reads"},
    {"encoding = klingon-8", 1, "encoding 'klingon-8' is not one iconv knows"},
    {"delimiter = |", 1, "delimiter takes ',', ';' or 'tab', not '|'"},
    {"hierarchy = tree", 1, "hierarchy takes auto, level, parent or ids, not 'tree'"},
    {"headings = maybe", 1, "headings takes auto, yes or no"},
    {"skip-bad-rows = 2", 1, "skip-bad-rows takes yes or no"},
    {"just words", 1, "'just words' is no KEY = VALUE line"},
    {"sheet = 1\n = x", 2, "a line without a key before '='"},
    {"sheet =   ", 1, "'sheet' has no value after '='"},
    {"sheet = \xFF\xFE", 1, "not UTF-8 (byte 9 of the line)"},
};

START_TEST(errors_name_their_line)
{
    ck_assert_int_eq(parse(errors[_i].text), CTL_EUSAGE);
    ck_assert_ptr_null(map);
    assert_error_code(ctx, CTL_D_BAD_MAP);
    ck_assert_str_eq(ctl_error_file(ctx), "m.map");
    ck_assert_msg(ctl_error_line(ctx) == errors[_i].line, "%s: line %ld, want %ld", errors[_i].text,
                  ctl_error_line(ctx), errors[_i].line);
    ck_assert_msg(strstr(ctl_error_message(ctx), errors[_i].msg) != NULL, "'%s' lacks '%s'",
                  ctl_error_message(ctx), errors[_i].msg);
    ck_assert_int_eq(ctl_diag_status(CTL_D_BAD_MAP), CTL_EUSAGE);
}
END_TEST

START_TEST(nul_byte_is_an_error)
{
    static const char text[] = "sheet = 1\nsheet\0 = 2\n";
    ck_assert_int_eq(ctl_map_parse(ctx, NULL, text, sizeof text - 1, &map), CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_BAD_MAP);
    ck_assert_str_eq(ctl_error_file(ctx), "-");
    ck_assert_int_eq(ctl_error_line(ctx), 2);
    ck_assert(strstr(ctl_error_message(ctx), "NUL") != NULL);
}
END_TEST

START_TEST(caller_options_win)
{
    ctl_options o;
    ctl_options_init(&o);
    ctl_column_map mine[] = {{CTL_FIELD_TITLE, "Titel"}, {CTL_FIELD_ANSWER, "Beschreibung"}};
    ctl_category_map words[] = {{"Pflicht", CTL_CATEGORY_BASIC}};
    o.columns = mine;
    o.n_columns = 2;
    o.categories = words;
    o.n_categories = 1;
    o.encoding = "UTF-8";
    o.sheet = "3";
    o.skip_bad_rows = 1;
    o.hierarchy = CTL_HIERARCHY_LEVEL;
    o.make_headings = 1;
    assert_ok(ctx, parse("encoding = CP932\nsheet = 1\ndelimiter = tab\nskip-bad-rows = no\nhierarchy = ids\n"
                         "headings = no\ncolumn.title = Bezeichnung\ncolumn.description = Beschreibung\n"
                         "column.id = Nr\ncategory.Pflicht = mandatory\ncategory.Soll = recommended\n"));
    unsigned bits;
    assert_ok(ctx, ctl_map_apply(ctx, map, &o, &bits));
    ck_assert_str_eq(o.encoding, "UTF-8");
    ck_assert_str_eq(o.sheet, "3");
    ck_assert_int_eq(o.delimiter, '\t');
    ck_assert_int_eq(o.skip_bad_rows, 1);
    ck_assert_int_eq(o.hierarchy, CTL_HIERARCHY_LEVEL);
    ck_assert_int_eq(o.make_headings, 1);
    /* the caller's title and its header Beschreibung win; the map adds id */
    ck_assert_uint_eq(o.n_columns, 3);
    ck_assert_int_eq(field_of(&o, "Titel"), CTL_FIELD_TITLE);
    ck_assert_int_eq(field_of(&o, "Beschreibung"), CTL_FIELD_ANSWER);
    ck_assert_int_eq(field_of(&o, "Nr"), CTL_FIELD_ID);
    ck_assert_int_eq(field_of(&o, "Bezeichnung"), CTL_FIELD_NONE);
    /* the caller's words first: its Pflicht is the one that counts */
    ck_assert_uint_eq(o.n_categories, 3);
    ck_assert_str_eq(o.categories[0].word, "Pflicht");
    ck_assert_int_eq(o.categories[0].value, CTL_CATEGORY_BASIC);
    ck_assert_str_eq(o.categories[2].word, "Soll");
    ck_assert_uint_eq(bits, CTL_READS_DELIMITER | CTL_READS_COLUMNS);
    /* the caller's arrays are untouched */
    ck_assert_str_eq(mine[0].header, "Titel");
    ck_assert_int_eq(words[0].value, CTL_CATEGORY_BASIC);
}
END_TEST

START_TEST(read_from_a_file)
{
    char path[] = "/tmp/ctl-map-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    static const char text[] = "# on disk\nsheet = 2\nbogus = 1\n";
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (int)(sizeof text - 1));
    close(fd);
    ck_assert_int_eq(ctl_map_read(ctx, path, &map), CTL_EUSAGE);
    ck_assert_str_eq(ctl_error_file(ctx), path);
    ck_assert_int_eq(ctl_error_line(ctx), 3);
    unlink(path);
    ctl_error_clear(ctx);
    ck_assert_int_eq(ctl_map_read(ctx, path, &map), CTL_EIO);
    ck_assert_ptr_null(map);
    assert_error_code(ctx, CTL_D_IO_ERROR);
}
END_TEST

/* Reading a table with a map. */
static ctl_list *read_mapped(const char *format, const char *input, const char *map_text, ctl_status *st)
{
    ctl_options o;
    ctl_options_init(&o);
    assert_ok(ctx, parse(map_text));
    assert_ok(ctx, ctl_map_apply(ctx, map, &o, NULL));
    return read_bytes(ctx, format, input, strlen(input), &o, st);
}

static const char german[] = "Kontroll-Nr,Bezeichnung,Beschreibung,Stufe\n"
                             "K.1,Organisation,,\n"
                             "K.1.1,Richtlinie,Es gibt eine,Pflicht\n"
                             "K.1.2,Rollen,Verteilt,empfohlen\n"
                             "K.1.3,Schulung,Jährlich,基本\n";
static const char german_map[] = "column.id = Kontroll-Nr\ncolumn.title = Bezeichnung\n"
                                 "column.description = Beschreibung\ncolumn.category = Stufe\n"
                                 "category.Pflicht = mandatory\ncategory.Empfohlen = recommended\n";

START_TEST(map_reads_unknown_headers)
{
    ctl_status st;
    /* without the map the headers mean nothing */
    list = read_string(ctx, "csv", german, &st);
    ck_assert_int_ne(st, CTL_OK);
    ctl_list_free(list);
    ctl_error_clear(ctx);
    list = read_mapped("csv", german, german_map, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 4);
    ck_assert_str_eq(list->items[1].id, "K.1.1");
    ck_assert_str_eq(list->items[1].title, "Richtlinie");
    ck_assert_str_eq(list->items[1].parent, "K.1");
    ck_assert_int_eq(list->items[1].level, 2);
    ck_assert_str_eq(list->items[1].category_text, "Pflicht");
    ck_assert_int_eq(list->items[1].category, CTL_CATEGORY_MANDATORY);
    /* words match after case folding; a known word still counts */
    ck_assert_str_eq(list->items[2].category_text, "empfohlen");
    ck_assert_int_eq(list->items[2].category, CTL_CATEGORY_RECOMMENDED);
    ck_assert_int_eq(list->items[3].category, CTL_CATEGORY_BASIC);
}
END_TEST

START_TEST(map_words_come_before_known_ones)
{
    ctl_status st;
    char m[512];
    snprintf(m, sizeof m, "%scategory.基本 = none\n", german_map);
    list = read_mapped("csv", german, m, &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->items[3].category_text, "基本");
    ck_assert_int_eq(list->items[3].category, CTL_CATEGORY_NONE);
}
END_TEST

/* A column mapped onto a field holds it alone: another column whose header
 * word names the field is an extra column, with no warning; column.extra
 * makes a known header an extra column. */
START_TEST(mapped_column_wins_over_header_words)
{
    static const char cis[] = "control_id,control_title,safeguard_id,safeguard_title,iso_reference,description\n"
                              "1,Inventory,1.1,Establish,27002:2013,d\n"
                              "1,Inventory,1.2,Address,,e\n";
    ctl_status st;
    /* headings = no: control_id stays a column (else it makes heading items) */
    list = read_mapped("csv", cis, "column.id = safeguard_id\ncolumn.title = safeguard_title\n"
                                   "column.extra = iso_reference\nheadings = no\n", &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(ctl_warning_count(ctx), 0);
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(list->items[1].id, "1.2");
    ck_assert_str_eq(list->items[1].title, "Address");
    ck_assert_uint_eq(list->items[0].n_refs, 0);
    ck_assert_uint_eq(list->items[0].n_extra, 3);
    ck_assert_str_eq(list->items[0].extra[0].name, "control_id");
    ck_assert_str_eq(list->items[0].extra[2].name, "iso_reference");
    ck_assert_str_eq(list->items[0].extra[2].value, "27002:2013");
    ctl_list_free(list);
    /* an extra column the header row lacks is named as such */
    list = read_mapped("csv", cis, "column.id = safeguard_id\ncolumn.extra = Notes\n", &st);
    ck_assert_int_eq(st, CTL_EUSAGE);
    assert_error_code(ctx, CTL_D_NO_SUCH_COLUMN);
    ck_assert(strstr(ctl_error_message(ctx), "no column 'Notes' to read as an extra column") != NULL);
}
END_TEST

/* A row holding every header the caller mapped (an id among them) is the
 * header row, even with fewer than three known words. */
START_TEST(mapped_headers_make_the_header_row)
{
    /* header words no rule knows ("Nr" and "Text" now are) */
    static const char two[] = "Liste der Kontrollen\nKennung,Wortlaut,Sonstiges\nX.1,a,b\nX.2,c,d\n";
    ctl_status st;
    list = read_string(ctx, "csv", two, &st);
    ck_assert_int_eq(st, CTL_EINPUT);
    assert_error_code(ctx, CTL_D_NO_HEADER);
    ctl_list_free(list);
    ctl_error_clear(ctx);
    list = read_mapped("csv", two, "column.id = Kennung\ncolumn.title = Wortlaut\n", &st);
    assert_ok(ctx, st);
    ck_assert_str_eq(list->meta.title, "Liste der Kontrollen");
    ck_assert_uint_eq(list->n_items, 2);
    ck_assert_str_eq(list->items[1].id, "X.2");
    ck_assert_str_eq(list->items[1].title, "c");
    ck_assert_str_eq(list->items[1].extra[0].value, "d");
    ctl_list_free(list);
    /* a mapped header missing: no header row is found */
    list = read_mapped("csv", two, "column.id = Kennung\ncolumn.title = Titel\n", &st);
    ck_assert_int_ne(st, CTL_OK);
}
END_TEST

/* A table whose level and parent columns disagree with its ids. */
static const char tree[] = "id,level,parent,title\n"
                           "A,1,,a\n"
                           "A.1,1,,a1\n"
                           "B,1,,b\n"
                           "B.1,3,A,b1\n";

static void expect_levels(const char *map_text, const int *levels, const char *const *parents)
{
    ctl_status st;
    list = read_mapped("csv", tree, map_text, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(list->n_items, 4);
    for (size_t i = 0; i < 4; i++) {
        ck_assert_msg(list->items[i].level == levels[i], "%s: %s level %d, want %d", map_text, list->items[i].id,
                      list->items[i].level, levels[i]);
        ck_assert_msg(!strcmp(list->items[i].parent, parents[i]), "%s: %s parent '%s', want '%s'", map_text,
                      list->items[i].id, list->items[i].parent, parents[i]);
    }
}

START_TEST(hierarchy_from_the_evidence_chosen)
{
    static const int auto_levels[] = {1, 1, 1, 3};
    static const char *const auto_parents[] = {"", "", "", "A"};
    expect_levels("hierarchy = auto", auto_levels, auto_parents);
    ctl_list_free(list);
    static const int level_levels[] = {1, 1, 1, 3};
    static const char *const level_parents[] = {"", "", "", "B"};
    expect_levels("hierarchy = level", level_levels, level_parents);
    ctl_list_free(list);
    static const int parent_levels[] = {1, 1, 1, 2};
    static const char *const parent_parents[] = {"", "", "", "A"};
    expect_levels("hierarchy = parent", parent_levels, parent_parents);
    ctl_list_free(list);
    static const int ids_levels[] = {1, 2, 1, 2};
    static const char *const ids_parents[] = {"", "A", "", "B"};
    expect_levels("hierarchy = ids", ids_levels, ids_parents);
}
END_TEST

/* Every allocation of parsing and applying a map may fail: out of memory,
 * nothing leaked (the sanitizer build checks). */
START_TEST(allocation_failures)
{
    static const char text[] = "format = csv\nencoding = CP932\nsheet = 1\nref-scheme = iso27001-2022\n"
                               "column.id = Nr\ncolumn.title = T\ncategory.A = basic\ncategory.B = mandatory\n";
    for (unsigned long n = 1;; n++) {
        ctl_ctx *c = ctl_ctx_new();
        ck_assert_ptr_nonnull(c);
        ctl_options o;
        ctl_options_init(&o);
        ctl_map *m = NULL;
        ctl_test_fail_alloc(n);
        ctl_status st = ctl_map_parse(c, "m", text, sizeof text - 1, &m);
        if (st == CTL_OK) st = ctl_map_apply(c, m, &o, NULL);
        unsigned long used = ctl_test_alloc_count();
        ctl_test_fail_alloc(0);
        ctl_map_free(m);
        ctl_ctx_free(c);
        if (st == CTL_OK) {
            ck_assert_uint_lt(used, n);
            break;
        }
        ck_assert_msg(st == CTL_ENOMEM, "allocation %lu: status %d", n, st);
        ck_assert_uint_lt(n, 1000);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mapfile");
    TCase *tc = tcase_create("mapfile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_key);
    tcase_add_test(tc, value_spellings);
    tcase_add_test(tc, comments_blank_lines_and_line_ends);
    tcase_add_loop_test(tc, errors_name_their_line, 0, (int)(sizeof errors / sizeof *errors));
    tcase_add_test(tc, nul_byte_is_an_error);
    tcase_add_test(tc, caller_options_win);
    tcase_add_test(tc, read_from_a_file);
    tcase_add_test(tc, map_reads_unknown_headers);
    tcase_add_test(tc, map_words_come_before_known_ones);
    tcase_add_test(tc, mapped_column_wins_over_header_words);
    tcase_add_test(tc, mapped_headers_make_the_header_row);
    tcase_add_test(tc, hierarchy_from_the_evidence_chosen);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
