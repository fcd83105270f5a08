/* SPDX-License-Identifier: BSD-2-Clause */
/* The context (converters/context.c): diagnostic codes (the table, the
 * accessors, the callback, strict mode with allowed codes), the status
 * table, the limits and the warnings a context keeps. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int well_formed(const char *s)
{
    if (!s || !*s || strlen(s) > 24) return 0;
    for (const char *p = s; *p; p++) {
        int alnum = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
        if (!alnum && !(*p == '-' && p > s && p[1] && p[-1] != '-')) return 0;
    }
    return 1;
}

START_TEST(codes_unique_and_well_formed)
{
    ck_assert_int_ge(CTL_DIAG_COUNT, 30);
    for (int i = 0; i < CTL_DIAG_COUNT; i++) {
        ctl_diag c = (ctl_diag)i;
        const char *name = ctl_diag_name(c);
        ck_assert_msg(well_formed(name), "code %d: '%s'", i, name ? name : "(null)");
        for (int j = 0; j < i; j++) ck_assert_str_ne(name, ctl_diag_name((ctl_diag)j));
        ck_assert_int_eq(ctl_diag_by_name(name), c);
        ck_assert_msg(ctl_diag_meaning(c) && *ctl_diag_meaning(c), "%s: no meaning", name);
        if (ctl_diag_severity(c) == CTL_SEV_ERROR)
            ck_assert_msg(ctl_diag_status(c) != CTL_OK, "%s: an error with status OK", name);
        else
            ck_assert_msg(ctl_diag_status(c) == CTL_OK, "%s: a warning with a status", name);
        ck_assert_int_lt(ctl_diag_hint(c), CTL_HINT_COUNT);
        ck_assert_int_eq(ctl_diag_hint(c) == CTL_HINT_LIMIT, c == CTL_D_LIMIT);
    }
    ck_assert_int_eq(ctl_diag_by_name("no-such-code"), CTL_DIAG_COUNT);
    ck_assert_int_eq(ctl_diag_by_name("ref-inferre"), CTL_DIAG_COUNT);
    ck_assert_int_eq(ctl_diag_by_name(""), CTL_DIAG_COUNT);
    ck_assert_int_eq(ctl_diag_by_name(NULL), CTL_DIAG_COUNT);
    ck_assert_ptr_null(ctl_diag_name(CTL_DIAG_COUNT));
    ck_assert_ptr_null(ctl_diag_meaning(CTL_DIAG_COUNT));
    ck_assert_str_eq(ctl_diag_name(CTL_D_REF_INFERRED), "ref-inferred");
    ck_assert_int_eq(ctl_diag_status(CTL_D_RAGGED_ROW), CTL_EINPUT);
    ck_assert_int_eq(ctl_diag_status(CTL_D_LIMIT), CTL_ELIMIT);
    ck_assert_int_eq(ctl_diag_status(CTL_D_OUT_OF_MEMORY), CTL_ENOMEM);
}
END_TEST

START_TEST(error_and_warning_records)
{
    ck_assert_int_eq(ctl_error_code(ctx), CTL_DIAG_COUNT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_COUNT);
    assert_ok(ctx, ctl_warn_item(ctx, CTL_D_BAD_CATEGORY, "a.csv", 3, "II.1.1", "w %d", 1));
    assert_ok(ctx, ctl_warn(ctx, CTL_D_ROW_SKIPPED, "a.csv", 4, "w 2"));
    ck_assert_int_eq(ctl_warning_code(ctx, 0), CTL_D_BAD_CATEGORY);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "II.1.1");
    ck_assert_str_eq(ctl_warning_item(ctx, 1), "");
    ck_assert_int_eq(ctl_warning_code(ctx, 2), CTL_DIAG_COUNT);
    ck_assert_str_eq(ctl_warning_item(ctx, 2), "");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_ROW_SKIPPED), 1);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_REF_INFERRED), 0);
    ck_assert_int_eq(ctl_fail_item(ctx, CTL_D_BAD_FIELD, "a.xml", 9, "II.2", "bad"), CTL_EINPUT);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_BAD_FIELD);
    ck_assert_str_eq(ctl_error_item(ctx), "II.2");
    ctl_error_clear(ctx);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_DIAG_COUNT);
    ck_assert_str_eq(ctl_error_item(ctx), "");
    /* a limit: the code says raise it, the record says which; no CLI words */
    ck_assert_int_eq(ctl_limit_fail(ctx, "b", 2, CTL_LIMIT_ITEMS, "more than %d", 5), CTL_ELIMIT);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_LIMIT);
    ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_ITEMS);
    ck_assert_str_eq(ctl_error_message(ctx), "more than 5");
}
END_TEST

/* Item-level diagnostics name their item; document-level ones none.
 * Model v2: a category word of any spelling ("must") is kept, and a level
 * is the item's own (level="2" on II.3 is read), so the cases that name an
 * item are bad levels; a row whose id cell is no id is an error (bad-row)
 * unless skip_bad_rows makes it a warning. */
START_TEST(item_ids_of_readers)
{
    static const struct {
        const char *format, *in;
        ctl_diag code;
        const char *item;
    } cases[] = {
        {"json", "{\"items\": [{\"id\": \"II.1\"}, {\"id\": \"Ⅱ．２\", \"level\": 0}]}",
         CTL_D_BAD_FIELD, "II.2"},
        {"json", "{\"items\": [{\"id\": \"x\"}]}", CTL_D_BAD_FIELD, ""},
        {"json", "{\"items\": []}", CTL_D_NO_ROWS, ""},
        {"xml", "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"1\"><items><item id=\"II.1.1\" "
                "level=\"x\"/></items></controlList>", CTL_D_BAD_FIELD, "II.1.1"},
        {"xml", "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"1\"><items><item id=\"II.3\" level=\"65\"/>"
                "</items></controlList>", CTL_D_BAD_FIELD, "II.3"},
        {"csv", "id,title,category\nII.1,a\n", CTL_D_RAGGED_ROW, ""},
        {"csv", "id,title,category\nII.1,t,基本\nnone,t,基本\n", CTL_D_BAD_ROW, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_status st;
        ctl_list *l = read_string(ctx, cases[i].format, cases[i].in, &st);
        ck_assert_msg(st != CTL_OK, "case %zu read", i);
        assert_error_code(ctx, cases[i].code);
        ck_assert_str_eq(ctl_error_item(ctx), cases[i].item);
        ctl_list_free(l);
        ctl_ctx_free(ctx);
    }
    /* warnings of the table reader */
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_options o;
    ctl_options_init(&o);
    o.skip_bad_rows = 1;
    const char *in = "id,title,isms\nII.1,t,A.5.1\nII.1.1,t,must\nnone,t,A.5\n";
    ctl_list *l = read_bytes(ctx, "csv", in, strlen(in), &o, &st);
    assert_ok(ctx, st);
    ck_assert_uint_eq(ctl_warning_kept(ctx), 2);
    ck_assert_int_eq(ctl_warning_code(ctx, 0), CTL_D_NOT_ISMS);
    ck_assert_str_eq(ctl_warning_item(ctx, 0), "II.1.1");
    ck_assert_int_eq(ctl_warning_code(ctx, 1), CTL_D_ROW_SKIPPED);
    ck_assert_str_eq(ctl_warning_item(ctx, 1), "");
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

/* What a callback saw, copied. */
typedef struct {
    ctl_diag code;
    ctl_severity severity;
    long line;
    ctl_limit limit;
    char item[64];
    char message[256];
    size_t items_seen;      /* items the sink had when it was told */
} seen;

typedef struct {
    ctl_sink sink;
    size_t n_items;
    seen got[16];
    size_t n_got;
} watcher;

static ctl_status w_begin(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *m)
{
    (void)self, (void)ctx, (void)m;
    return CTL_OK;
}

static ctl_status w_item(ctl_sink *self, ctl_ctx *ctx, const ctl_item *it)
{
    (void)ctx, (void)it;
    ((watcher *)self)->n_items++;
    return CTL_OK;
}

static void on_diag(void *user, const ctl_diag_info *d)
{
    watcher *w = user;
    ck_assert_uint_lt(w->n_got, 16);
    seen *s = &w->got[w->n_got++];
    s->code = d->code;
    s->severity = d->severity;
    s->line = d->line;
    s->limit = d->limit;
    snprintf(s->item, sizeof s->item, "%s", d->item);
    snprintf(s->message, sizeof s->message, "%s", d->message);
    s->items_seen = w->n_items;
}

static void watch(watcher *w, ctl_ctx *ctx)
{
    memset(w, 0, sizeof *w);
    w->sink.begin = w_begin;
    w->sink.item = w_item;
    w->sink.end = w_begin;
    ctl_set_diag_callback(ctx, on_diag, w);
}

/* The seed read by the text reader: each warning reaches the callback when
 * it is raised, with the item it concerns. */
START_TEST(callback_sees_the_seed_warnings_as_they_happen)
{
    size_t len;
    unsigned char *data = slurp(SEED_PATH, &len);
    watcher w;
    watch(&w, ctx);
    ctl_options o;
    ctl_options_init(&o);
    assert_ok(ctx, ctl_read(ctx, ctl_format_by_name("text"), "seed.txt", data, len, &o, &w.sink));
    ck_assert_uint_eq(w.n_got, ctl_warning_count(ctx));
    ck_assert_uint_eq(w.n_got, 2);
    for (size_t i = 0; i < w.n_got; i++) {
        ck_assert_int_eq(w.got[i].code, ctl_warning_code(ctx, i));
        ck_assert_int_eq(w.got[i].severity, CTL_SEV_WARNING);
        ck_assert_str_eq(w.got[i].item, ctl_warning_item(ctx, i));
        ck_assert_int_eq(w.got[i].line, ctl_warning_line(ctx, i));
        ck_assert_str_eq(w.got[i].message, ctl_warning_message(ctx, i));
        ck_assert_int_eq(w.got[i].limit, CTL_LIMIT_COUNT);
    }
    ck_assert_int_eq(w.got[0].code, CTL_D_STRAY_HEADER);
    ck_assert_str_eq(w.got[0].item, "II.1");
    ck_assert_int_eq(w.got[1].code, CTL_D_REF_INFERRED);
    ck_assert_str_eq(w.got[1].item, "II.9");   /* the first row it attached to */
    ck_assert_int_eq(w.got[1].line, 123);
    /* told while reading, long before the last item */
    ck_assert_uint_gt(w.got[1].items_seen, 0);
    ck_assert_uint_lt(w.got[1].items_seen, w.n_items / 2);
    ck_assert_uint_eq(w.n_items, 160);
    free(data);
}
END_TEST

/* The error kept reaches the callback; its consequences do not. */
START_TEST(callback_sees_the_error)
{
    size_t len;
    unsigned char *data = slurp(SEED_PATH, &len);
    watcher w;
    watch(&w, ctx);
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_ITEMS] = 10;
    ck_assert_int_eq(ctl_convert_file(ctx, SEED_PATH, NULL, "/dev/null", ctl_format_by_name("csv"), &o, 0),
                     CTL_ELIMIT);
    ck_assert_uint_ge(w.n_got, 1);
    seen *last = &w.got[w.n_got - 1];
    ck_assert_int_eq(last->code, CTL_D_LIMIT);
    ck_assert_int_eq(last->severity, CTL_SEV_ERROR);
    ck_assert_int_eq(last->limit, CTL_LIMIT_ITEMS);
    ck_assert_str_eq(last->message, ctl_error_message(ctx));
    ck_assert_ptr_null(strstr(last->message, "--limit"));
    for (size_t i = 0; i + 1 < w.n_got; i++) ck_assert_int_eq(w.got[i].severity, CTL_SEV_WARNING);
    ctl_fail(ctx, CTL_D_IO_ERROR, NULL, 0, "a consequence");
    ck_assert_int_eq(w.got[w.n_got - 1].code, CTL_D_LIMIT);
    free(data);
}
END_TEST

/* While a guess is made the callback waits; what the guess dropped is
 * never told. */
START_TEST(callback_held_during_a_guess)
{
    watcher w;
    watch(&w, ctx);
    ctl_diag_hold(ctx);
    ctl_warn(ctx, CTL_D_ENCODING_WEAK, "f", 0, "kept");
    size_t mark = ctl_warning_count(ctx);
    ctl_warn(ctx, CTL_D_ENCODING_GUESSED, "f", 0, "dropped");
    ctl_fail(ctx, CTL_D_UNDECODABLE, "f", 1, "cleared");
    ck_assert_uint_eq(w.n_got, 0);
    ctl_warnings_forget_since(ctx, mark);
    ctl_error_clear(ctx);
    ctl_diag_release(ctx);
    ck_assert_uint_eq(w.n_got, 1);
    ck_assert_int_eq(w.got[0].code, CTL_D_ENCODING_WEAK);
    /* an error raised in a guess and kept is told at the release */
    ctl_diag_hold(ctx);
    ctl_fail(ctx, CTL_D_AMBIGUOUS_FORMAT, "f", 0, "kept error");
    ck_assert_uint_eq(w.n_got, 1);
    ctl_diag_release(ctx);
    ck_assert_uint_eq(w.n_got, 2);
    ck_assert_int_eq(w.got[1].code, CTL_D_AMBIGUOUS_FORMAT);
    ctl_set_diag_callback(ctx, NULL, NULL);
    ctl_warn(ctx, CTL_D_ROW_SKIPPED, "f", 2, "untold");
    ck_assert_uint_eq(w.n_got, 2);
}
END_TEST

/* Strict mode refuses the warnings whose codes opts->allow does not list. */
START_TEST(strict_with_allowed_codes)
{
    static const ctl_diag seed_codes[] = {CTL_D_STRAY_HEADER, CTL_D_REF_INFERRED, CTL_D_TITLE_DROPPED};
    for (size_t n = 0; n <= 3; n++) {
        ctl_ctx *ctx = ctl_ctx_new();
        ctl_options o;
        ctl_options_init(&o);
        o.allow = seed_codes;
        o.n_allow = n;
        ctl_status st = ctl_convert_file(ctx, SEED_PATH, NULL, "/dev/null", ctl_format_by_name("csv"), &o, 1);
        if (n == 3) {
            assert_ok(ctx, st);
            ck_assert_uint_eq(ctl_warning_count(ctx), 3);
        } else {
            ck_assert_int_eq(st, CTL_EINPUT);
            assert_error_code(ctx, CTL_D_STRICT);
            char want[64];
            snprintf(want, sizeof want, "%zu warning(s) in strict mode", 3 - n);
            ck_assert_msg(strstr(ctl_error_message(ctx), want), "%s", ctl_error_message(ctx));
        }
        ctl_ctx_free(ctx);
    }
}
END_TEST

/* The limits table: every limit has a distinct name that finds it again, a
 * default above 0, and ctl_options_init installs the defaults. */
START_TEST(test_limit_table)
{
    ctl_options o;
    ctl_options_init(&o);
    for (int i = 0; i < CTL_LIMIT_COUNT; i++) {
        const char *name = ctl_limit_name((ctl_limit)i);
        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(ctl_limit_by_name(name, strlen(name)), i);
        ck_assert_uint_gt(ctl_limit_default((ctl_limit)i), 0);
        ck_assert_uint_eq(o.limit[i], ctl_limit_default((ctl_limit)i));
        ck_assert_ptr_nonnull(ctl_limit_about((ctl_limit)i));
    }
    ck_assert_int_eq(ctl_limit_by_name("items", 4), CTL_LIMIT_COUNT);     /* a prefix is no name */
    ck_assert_int_eq(ctl_limit_by_name("nope", 4), CTL_LIMIT_COUNT);
    ck_assert_ptr_null(ctl_limit_name(CTL_LIMIT_COUNT));
    o.limit[CTL_LIMIT_ITEMS] = 0;   /* 0 means the default */
    ck_assert_uint_eq(ctl_limit_value(&o, CTL_LIMIT_ITEMS), ctl_limit_default(CTL_LIMIT_ITEMS));
    ck_assert_uint_eq(ctl_limit_value(NULL, CTL_LIMIT_ZIP_RATIO), 100);
}
END_TEST

/* Every reader's items pass the items limit on their way to the sink. */
START_TEST(test_items_limit)
{
    static const char *formats[] = {"csv", "json", "jsonl", "xml"};
    static const char *docs[] = {
        "id,title,category\nII.1,a,\nII.1.1,b,\nII.1.2,c,\n",
        "{\"items\": [{\"id\": \"II.1\"}, {\"id\": \"II.1.1\"}, {\"id\": \"II.1.2\"}]}",
        "{\"format\": \"ctlconv-list\", \"version\": 1}\n{\"id\": \"II.1\"}\n{\"id\": \"II.1.1\"}\n{\"id\": \"II.1.2\"}\n",
        "<controlList xmlns=\"urn:ctlconv:list:1\" version=\"1\"><items><item id=\"II.1\"/>"
        "<item id=\"II.1.1\"/><item id=\"II.1.2\"/></items></controlList>",
    };
    for (size_t i = 0; i < 4; i++)
        for (size_t max = 2; max <= 3; max++) {
            ctl_options o;
            ctl_options_init(&o);
            o.limit[CTL_LIMIT_ITEMS] = max;
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_status st;
            ctl_list *l = read_bytes(ctx, formats[i], docs[i], strlen(docs[i]), &o, &st);
            ck_assert_msg(st == (max == 3 ? CTL_OK : CTL_ELIMIT), "%s, limit %zu: %s", formats[i], max,
                          ctl_error_message(ctx));
            if (st != CTL_OK)
            if (st != CTL_OK) {
                assert_error_code(ctx, CTL_D_LIMIT);
                ck_assert_int_eq(ctl_error_limit(ctx), CTL_LIMIT_ITEMS);
            }
            ctl_list_free(l);
            ctl_ctx_free(ctx);
        }
}
END_TEST

/* Warnings are kept up to 1000; the last one kept counts the rest. */
START_TEST(test_warnings_capped)
{
    for (int i = 1; i <= 2500; i++) assert_ok(ctx, ctl_warn(ctx, CTL_D_ROW_SKIPPED, "f", i, "warning %d", i));
    ck_assert_uint_eq(ctl_warning_count(ctx), 2500);
    ck_assert_uint_eq(ctl_warning_kept(ctx), 1000);
    ck_assert_str_eq(ctl_warning_message(ctx, 0), "warning 1");
    ck_assert_str_eq(ctl_warning_message(ctx, 998), "warning 999");
    ck_assert_str_eq(ctl_warning_message(ctx, 999), "... and 1501 more warning(s) not shown");
    ck_assert_int_eq(ctl_warning_line(ctx, 999), 0);
    ck_assert_int_eq(ctl_warning_code(ctx, 998), CTL_D_ROW_SKIPPED);
    ck_assert_int_eq(ctl_warning_code(ctx, 999), CTL_D_MORE_WARNINGS);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_ROW_SKIPPED), 2500);
}
END_TEST

/* A guess not taken forgets its warnings; past the cap nothing is undone. */
START_TEST(test_warnings_forgotten)
{
    assert_ok(ctx, ctl_warn(ctx, CTL_D_ROW_SKIPPED, "f", 1, "kept"));
    size_t mark = ctl_warning_count(ctx);
    assert_ok(ctx, ctl_warn(ctx, CTL_D_ROW_SKIPPED, "f", 2, "guess 1"));
    assert_ok(ctx, ctl_warn(ctx, CTL_D_ROW_SKIPPED, "f", 3, "guess 2"));
    ctl_warnings_forget_since(ctx, mark);
    ck_assert_uint_eq(ctl_warning_count(ctx), 1);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_ROW_SKIPPED), 1);
    ck_assert_str_eq(ctl_warning_message(ctx, 0), "kept");
    ctl_warnings_forget_since(ctx, 5);   /* a mark past the count: nothing */
    ck_assert_uint_eq(ctl_warning_count(ctx), 1);
    for (int i = 0; i < 1500; i++) assert_ok(ctx, ctl_warn(ctx, CTL_D_ROW_SKIPPED, "f", i, "w"));
    ctl_warnings_forget_since(ctx, mark);
    ck_assert_uint_eq(ctl_warning_count(ctx), 1501);
}
END_TEST

START_TEST(status_table)
{
    ck_assert_int_eq(ctl_status_exit_code(CTL_OK), 0);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EINPUT), 1);
    ck_assert_int_eq(ctl_status_exit_code(CTL_ELIMIT), 1);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EUSAGE), 2);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EIO), 3);
    ck_assert_int_eq(ctl_status_exit_code(CTL_ENOMEM), 4);
    ck_assert_int_eq(ctl_status_exit_code(CTL_EINTERNAL), 4);
    ck_assert_str_eq(ctl_status_text(CTL_EIO), "input/output error");
    ck_assert_int_eq(ctl_fail(ctx, CTL_D_RAGGED_ROW, "f.txt", 7, "bad %d", 1), CTL_EINPUT);
    /* the first error is kept: later ones are consequences */
    ck_assert_int_eq(ctl_fail(ctx, CTL_D_IO_ERROR, "g", 1, "later"), CTL_EINPUT);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_RAGGED_ROW);
    ck_assert_str_eq(ctl_error_message(ctx), "bad 1");
    ck_assert_str_eq(ctl_error_file(ctx), "f.txt");
    ck_assert_int_eq(ctl_error_line(ctx), 7);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    use_ctx_fixture(tc);
    tcase_add_test(tc, codes_unique_and_well_formed);
    tcase_add_test(tc, error_and_warning_records);
    tcase_add_test(tc, item_ids_of_readers);
    tcase_add_test(tc, callback_sees_the_seed_warnings_as_they_happen);
    tcase_add_test(tc, callback_sees_the_error);
    tcase_add_test(tc, callback_held_during_a_guess);
    tcase_add_test(tc, strict_with_allowed_codes);
    suite_add_tcase(s, tc);
    TCase *t_limits = tcase_create("limits");
    use_ctx_fixture(t_limits);
    tcase_add_test(t_limits, test_limit_table);
    tcase_add_test(t_limits, test_items_limit);
    tcase_add_test(t_limits, test_warnings_capped);
    tcase_add_test(t_limits, test_warnings_forgotten);
    suite_add_tcase(s, t_limits);
    TCase *t_status = tcase_create("status");
    use_ctx_fixture(t_status);
    tcase_add_test(t_status, status_table);
    suite_add_tcase(s, t_status);
    return run_suite(s);
}
