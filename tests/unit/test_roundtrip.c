/* SPDX-License-Identifier: BSD-2-Clause */
/* The round-trip property: for every sample and every format F,
 * read_F(write_F(M)) == M, up to what F says it loses (ctl_format.loses);
 * rewriting what F wrote gives the same bytes; and every pair F -> G keeps
 * the model up to what either loses. */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *samples[] = {
    CTL_SOURCE_DIR "/samples/mic-cloud-guideline-v3-annex2-provider.txt",
    CTL_TEST_DATA "/offices-cp932-crlf.csv",
    CTL_TEST_DATA "/offices-layout.xlsx",
    CTL_TEST_DATA "/title-rows.csv",
    NULL, /* the synthetic list below */
};
enum { N_SAMPLES = sizeof samples / sizeof *samples };

/* A list with what the seed lacks: several references, extra columns,
 * unplaced references, line breaks, edge spaces, quotes, formula-like
 * text, XML and CSV metacharacters. */
static ctl_list *synthetic(void)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    char *cols[] = {"項番", "対策項目", "備考", "担当 部署"};
    char *unplaced[] = {"A.17", "A.17.1"};
    ctl_meta m = {.title = "Synthetic <list> & \"quotes\"", .note = "line one\nline two", .annex = "ANNEX2 対策一覧",
                  .ref_scheme = "iso27001-2013", .columns = cols, .n_columns = 4, .unplaced = unplaced,
                  .n_unplaced = 2};
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    ctl_ref refs[] = {{"iso27001-2013", "A.5.1.1"}, {"iso27001-2013", "A.5.1.2"}, {"iso27001-2013", "A.18.2.2"}};
    ctl_field extra1[] = {{"備考", "memo, with \"quotes\""}, {"担当 部署", "情報システム部"}};
    ctl_field extra2[] = {{"備考", ""}, {"担当 部署", "=cmd"}};
    ctl_item items[] = {
        {.id = "II.1", .label = "Ⅱ．１．", .level = 1, .parent = "", .title = "Section <one> & two", .extra = extra2, .n_extra = 2},
        {.id = "II.1.1", .label = "II. 1. 1.", .level = 2, .parent = "II.1", .refs = refs, .n_refs = 1, .title = "Sub", .extra = extra2, .n_extra = 2},
        {.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .parent = "II.1.1", .refs = refs, .n_refs = 3,
         .title = "  spaced  ", .description = "・first\n・second\r\n・third\tend", .category = CTL_CATEGORY_BASIC,
         .answer = "=1+1; @x, -2 \"q\" 'a'", .extra = extra1, .n_extra = 2},
        /* a level is given (the number's, in the text layout): the parent
         * is the nearest item above with a smaller level */
        {.id = "III.1.1.10", .label = "Ⅲ. 1. 1. 10.", .level = 3, .parent = "II.1.1", .title = "x", .description = "",
         .category = CTL_CATEGORY_RECOMMENDED, .answer = "https://example.invalid/a?b=c&d=e", .extra = extra2, .n_extra = 2},
    };
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        assert_ok(ctx, l->sink.item(&l->sink, ctx, &items[i]));
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    return l;
}

static ctl_list *load(size_t i)
{
    if (!samples[i]) return synthetic();
    size_t len;
    unsigned char *d = slurp(samples[i], &len);
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_options o;
    ctl_options_init(&o);
    const ctl_format *f = NULL;
    assert_ok(ctx, ctl_detect_format(ctx, samples[i], d, len, &o, &f));
    ctl_status st;
    ctl_list *l = read_bytes(ctx, f->name, d, len, &o, &st);
    assert_ok_msg(ctx, st, "%s", samples[i]);
    free(d);
    ctl_ctx_free(ctx);
    return l;
}

/* Writes l with f and reads it back. */
static ctl_list *through(const ctl_list *l, const ctl_format *f, char **bytes, size_t *len)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    *bytes = write_list(ctx, f->name, l, NULL, len, &st);
    assert_ok_msg(ctx, st, "writing %s", f->name);
    ctl_list *b = read_bytes(ctx, f->name, *bytes, *len, NULL, &st);
    assert_ok_msg(ctx, st, "reading back %s", f->name);
    ctl_ctx_free(ctx);
    return b;
}

static void expect_same(const ctl_list *want, const ctl_list *got, unsigned loses, const char *what)
{
    ctl_list *a = list_losing(want, loses), *b = list_losing(got, loses);
    char why[256];
    ck_assert_msg(ctl_list_equal(a, b, !(loses & CTL_LOSES_LABELS), why, sizeof why), "%s: %s", what, why);
    ctl_list_free(a);
    ctl_list_free(b);
}

START_TEST(every_format)
{
    ctl_list *m = load((size_t)_i);
    const ctl_format *const *all = ctl_formats();
    for (size_t f = 0; all[f]; f++) {
        if (!all[f]->read || !all[f]->writer) continue;
        char *b1, *b2, what[160];
        size_t n1, n2;
        snprintf(what, sizeof what, "sample %d via %s", _i, all[f]->name);
        ctl_list *back = through(m, all[f], &b1, &n1);
        expect_same(m, back, all[f]->loses, what);
        /* rewriting what the format wrote gives the same bytes */
        ctl_list *again = through(back, all[f], &b2, &n2);
        ck_assert_msg(n1 == n2 && !memcmp(b1, b2, n1), "%s: rewriting changes the bytes", what);
        free(b1);
        free(b2);
        ctl_list_free(back);
        ctl_list_free(again);
    }
    ctl_list_free(m);
}
END_TEST

START_TEST(every_pair)
{
    ctl_list *m = load((size_t)_i);
    const ctl_format *const *all = ctl_formats();
    for (size_t f = 0; all[f]; f++) {
        if (!all[f]->read || !all[f]->writer) continue;
        char *b1;
        size_t n1;
        ctl_list *one = through(m, all[f], &b1, &n1);
        free(b1);
        for (size_t g = 0; all[g]; g++) {
            if (!all[g]->read || !all[g]->writer) continue;
            char *b2, what[160];
            size_t n2;
            snprintf(what, sizeof what, "sample %d via %s then %s", _i, all[f]->name, all[g]->name);
            ctl_list *two = through(one, all[g], &b2, &n2);
            expect_same(m, two, all[f]->loses | all[g]->loses, what);
            free(b2);
            ctl_list_free(two);
        }
        ctl_list_free(one);
    }
    ctl_list_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roundtrip");
    TCase *tc = tcase_create("property");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, every_format, 0, N_SAMPLES);
    tcase_add_loop_test(tc, every_pair, 0, N_SAMPLES);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
