/* SPDX-License-Identifier: BSD-2-Clause */
/* References cells: a word that says there are none (NIST's "None.",
 * "N/A", "-", "該当なし") is no reference and no warning
 * (converters/numbering.c ctl_refs_none, converters/fields.c put_refs);
 * the table writers say when a references cell will not read back as its
 * item's references (converters/model.c ctl_refs_read_back, refs-changed). */
#include "support.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const none_words[] = {
    "None.", "none", "NONE", " None ", "N/A", "n/a", "N/A.", "\xEF\xBC\xAE\xEF\xBC\x8F\xEF\xBC\xA1", /* Ｎ／Ａ */
    "-", "\xEF\xBC\x8D",                                                                    /* full-width - */
    "\xE2\x80\x93", "\xE2\x80\x94", "なし", "該当なし", "該当なし。", "N / A",
};

START_TEST(none_words_say_none)
{
    const char *w = none_words[_i];
    ck_assert_msg(ctl_refs_none(w, strlen(w)), "'%s' not taken for 'none'", w);
}
END_TEST

static const char *const not_none[] = {
    "", "none yet", "None of the above", "AC-2", "N/A; AC-2", "--", "..", "n/a/x", "nothing", "無し？",
    "A.5.1", ".",
};

START_TEST(other_text_is_not_none)
{
    const char *w = not_none[_i];
    ck_assert_msg(!ctl_refs_none(w, strlen(w)), "'%s' taken for 'none'", w);
}
END_TEST

/* NIST's Related Controls: None. is no reference and no warning; other
 * text still is one reference as written, warned. */
START_TEST(none_cell_reads_as_no_reference)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, "csv",
                              "Control Identifier,Control Name,Related Controls\n"
                              "AC-2,Account Management,\"AC-3, AC-4\"\n"
                              "AC-2(1),Automated Management,None.\n"
                              "AC-3,Access Enforcement,N/A\n"
                              "AC-4,Information Flow,\xE2\x80\x94\n"
                              "AC-5,Separation,none yet\n",
                              &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_uint_eq(l->n_items, 5);
    ck_assert_uint_eq(l->items[0].n_refs, 2);
    ck_assert_str_eq(l->items[0].refs[1].id, "AC-4");
    ck_assert_uint_eq(l->items[1].n_refs, 0);
    ck_assert_uint_eq(l->items[2].n_refs, 0);
    ck_assert_uint_eq(l->items[3].n_refs, 0);
    ck_assert_uint_eq(l->items[4].n_refs, 1);
    ck_assert_str_eq(l->items[4].refs[0].id, "none yet");
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_NOT_ISMS), 1);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}
END_TEST

/* Appends an item with the given references (scheme, id pairs), level 1. */
static void put_item(ctl_list *l, const char *id, const char *const *refs, size_t n)
{
    ctl_item it;
    ctl_item_init(&it);
    it.id = it.label = (char *)id;
    it.level = 1;
    it.parent = (char *)"";
    it.title = (char *)"t";
    for (size_t i = 0; i < n; i++) ck_assert(ctl_item_add_ref(&it, refs[2 * i], refs[2 * i + 1], strlen(refs[2 * i + 1])));
    ctl_ctx *ctx = ctl_ctx_new();
    ck_assert_int_eq(l->sink.item(&l->sink, ctx, &it), CTL_OK);
    ctl_ctx_free(ctx);
    for (size_t i = 0; i < it.n_refs; i++) {
        ctl_free(it.refs[i].scheme);
        ctl_free(it.refs[i].id);
    }
    ctl_free(it.refs);
}

static const char *const clean[] = {"iso27001-2022", "A.5.1", "nist-sp800-53", "AC-2(1)"};
static const char *const free_beside[] = {"", "free text", "iso27001-2022", "A.5.1"};
static const char *const not_an_id[] = {"nist-sp800-53", "see AC-2"};
static const char *const free_only[] = {"", "see the policy"};
static const char *const free_none[] = {"", "N/A"};

/* A list of items whose references read back (1, 4) and do not (2, 3, 5). */
static ctl_list *mixed_list(void)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_meta m = {0};
    m.title = m.note = m.annex = m.ref_scheme = (char *)"";
    ck_assert_int_eq(l->sink.begin(&l->sink, ctx, &m), CTL_OK);
    put_item(l, "1", clean, 2);
    put_item(l, "2", free_beside, 2);
    put_item(l, "3", not_an_id, 1);
    put_item(l, "4", free_only, 1);
    put_item(l, "5", free_none, 1);
    ck_assert_int_eq(l->sink.end(&l->sink, ctx, &m), CTL_OK);
    ctl_ctx_free(ctx);
    return l;
}

START_TEST(read_back_tells_which_cells_change)
{
    ctl_list *l = mixed_list();
    ctl_buf b = {0};
    const int want[] = {1, 0, 0, 1, 0};
    for (size_t i = 0; i < l->n_items; i++) {
        ck_assert(ctl_refs_join(&b, &l->items[i], ""));
        ck_assert_msg(ctl_refs_read_back(&l->items[i], b.data, "") == want[i], "item %zu ('%s')", i + 1, b.data);
    }
    ctl_buf_free(&b);
    ctl_list_free(l);
}
END_TEST

static const char *const writers[] = {"csv", "tsv", "markdown", "xlsx"};

/* One refs-changed warning a conversion, counting the items, naming the
 * first; a list whose cells read back gets none. */
START_TEST(table_writers_say_refs_changed)
{
    ctl_list *l = mixed_list();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t len;
    char *out = write_list(ctx, writers[_i], l, NULL, &len, &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_REFS_CHANGED), 1);
    for (size_t i = 0; i < ctl_warning_count(ctx); i++)
        if (ctl_warning_code(ctx, i) == CTL_D_REFS_CHANGED) {
            const char *msg = ctl_warning_message(ctx, i);
            ck_assert_msg(strstr(msg, "3 item(s)") && strstr(msg, "the first: 2"), "%s", msg);
        }
    free(out);
    ctl_ctx_free(ctx);
    ctl_list_free(l);

    ctx = ctl_ctx_new();
    l = read_seed(ctx);
    ctl_ctx_free(ctx);
    ctx = ctl_ctx_new();
    out = write_list(ctx, writers[_i], l, NULL, &len, &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_REFS_CHANGED), 0);
    free(out);
    ctl_ctx_free(ctx);
    ctl_list_free(l);
}
END_TEST

/* JSON keeps them all: no warning. */
START_TEST(json_keeps_them)
{
    ctl_list *l = mixed_list();
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    size_t len;
    char *out = write_list(ctx, "json", l, NULL, &len, &st);
    ck_assert_int_eq(st, CTL_OK);
    ck_assert_uint_eq(ctl_warning_count_of(ctx, CTL_D_REFS_CHANGED), 0);
    free(out);
    ctl_ctx_free(ctx);
    ctl_list_free(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("refwords");
    TCase *tc = tcase_create("refwords");
    tcase_add_loop_test(tc, none_words_say_none, 0, sizeof none_words / sizeof *none_words);
    tcase_add_loop_test(tc, other_text_is_not_none, 0, sizeof not_none / sizeof *not_none);
    tcase_add_test(tc, none_cell_reads_as_no_reference);
    tcase_add_test(tc, read_back_tells_which_cells_change);
    tcase_add_loop_test(tc, table_writers_say_refs_changed, 0, sizeof writers / sizeof *writers);
    tcase_add_test(tc, json_keeps_them);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
