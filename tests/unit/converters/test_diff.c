/* SPDX-License-Identifier: BSD-2-Clause */
/* Comparing lists (converters/diff.c, diff_out.c): matching by id and by
 * text, moves, changed fields, word and character differences, bounds. */
#include "support.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The old (SAME + DELETED) or new (SAME + INSERTED) text of runs. */
static char *side(const ctl_diff_span *sp, size_t n, ctl_span_op other)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += strlen(sp[i].text);
    char *s = calloc(len + 1, 1);
    for (size_t i = 0; i < n; i++)
        if (sp[i].op != other) strcat(s, sp[i].text);
    return s;
}

/* The runs as "a[-b-]{+c+}" */
static char *marked(const ctl_diff_span *sp, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++) len += strlen(sp[i].text) + 4;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        const char *o = sp[i].op == CTL_SPAN_DELETED ? "[-" : sp[i].op == CTL_SPAN_INSERTED ? "{+" : "";
        const char *c = sp[i].op == CTL_SPAN_DELETED ? "-]" : sp[i].op == CTL_SPAN_INSERTED ? "+}" : "";
        strcat(strcat(strcat(s, o), sp[i].text), c);
    }
    return s;
}

/* The difference of a and b, marked; checks both sides come back. */
static char *diff_of(const char *a, const char *b, int *whole)
{
    ctl_diff_span *sp;
    size_t n;
    assert_ok(ctx, ctl_diff_text(ctx, a, b, &sp, &n, whole));
    char *oa = side(sp, n, CTL_SPAN_INSERTED), *ob = side(sp, n, CTL_SPAN_DELETED);
    ck_assert_str_eq(oa, a);
    ck_assert_str_eq(ob, b);
    free(oa);
    free(ob);
    char *m = marked(sp, n);
    ctl_diff_spans_free(sp, n);
    return m;
}

START_TEST(words_of_english_text)
{
    int whole;
    char *m = diff_of("the quick brown fox jumps", "the slow brown dog jumps", &whole);
    ck_assert_str_eq(m, "the [-quick-]{+slow+} brown [-fox-]{+dog+} jumps");
    ck_assert_int_eq(whole, 0);
    free(m);
    /* a word is changed whole, not letter by letter */
    m = diff_of("implement controls", "implemented controls", NULL);
    ck_assert_str_eq(m, "[-implement-]{+implemented+} controls");
    free(m);
}
END_TEST

START_TEST(characters_of_japanese_text)
{
    char *m = diff_of("当社ISMSに基づき、実施しています。", "当社ISMSに基づき、年2回実施しています。", NULL);
    ck_assert_str_eq(m, "当社ISMSに基づき、{+年2回+}実施しています。");
    free(m);
    m = diff_of("雇用契約を締結すること。", "雇用契約を締結しなければならない。", NULL);
    ck_assert_str_eq(m, "雇用契約を締結[-すること-]{+しなければならない+}。");
    free(m);
}
END_TEST

START_TEST(equal_and_empty_texts)
{
    ctl_diff_span *sp;
    size_t n;
    assert_ok(ctx, ctl_diff_text(ctx, "", "", &sp, &n, NULL));
    ck_assert_uint_eq(n, 0);
    ctl_diff_spans_free(sp, n);
    char *m = diff_of("same", "same", NULL);
    ck_assert_str_eq(m, "same");
    free(m);
    m = diff_of("", "new", NULL);
    ck_assert_str_eq(m, "{+new+}");
    free(m);
    m = diff_of("old", "", NULL);
    ck_assert_str_eq(m, "[-old-]");
    free(m);
}
END_TEST

/* Beyond CTL_DIFF_TOKENS_MAX the middle is replaced whole; the common
 * head and tail are still kept. */
START_TEST(long_texts_are_bounded)
{
    enum { N = 3000 };
    char *a = malloc(N * 8 + 16), *b = malloc(N * 8 + 16);
    strcpy(a, "head ");
    strcpy(b, "head ");
    for (int i = 0; i < N; i++) {
        sprintf(a + strlen(a), "a%d ", i);
        sprintf(b + strlen(b), "b%d ", i);
    }
    strcat(a, "tail");
    strcat(b, "tail");
    int whole;
    char *m = diff_of(a, b, &whole);
    ck_assert_int_eq(whole, 1);
    ck_assert(strncmp(m, "head [-a0 ", 10) == 0);
    ck_assert(strstr(m, "-]{+b0 ") != NULL);
    ck_assert(strcmp(m + strlen(m) - 7, "+} tail") == 0);
    free(m);
    free(a);
    free(b);
}
END_TEST

/* ---- lists ---- */

static ctl_item control(const char *id, const char *parent, const char *title, const char *desc, const char *answer)
{
    return (ctl_item){.id = (char *)id, .level = 0, .parent = (char *)parent, .title = (char *)title,
                      .description = (char *)desc, .answer = (char *)answer};
}

#define T1 "Information security policy"
#define D1 "A set of policies for information security shall be defined and approved by management."
#define T2 "Review of the policies"
#define D2 "The policies shall be reviewed at planned intervals or if significant changes occur."
#define T3 "Roles and responsibilities"
#define D3 "All information security responsibilities shall be defined and allocated."
#define T4 "Segregation of duties"
#define D4 "Conflicting duties and areas of responsibility shall be segregated."

static ctl_list *make(ctl_item *items, size_t n)
{
    ctl_meta m = {.title = "t"};
    return list_of(&m, items, n);
}

static ctl_list *old_list(void)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, "Yes"),
        control("1.2", "1", T2, D2, "Yes"),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, "Yes"),
        control("2.2", "2", T4, D4, "No"),
    };
    return make(it, sizeof it / sizeof *it);
}

static ctl_diff_result *diff_lists(ctl_list *a, ctl_list *b, unsigned ignore)
{
    ctl_diff_result *res = NULL;
    assert_ok(ctx, ctl_diff(ctx, a, b, 0, ignore, &res));
    ck_assert(res != NULL);
    return res;
}

static const ctl_diff_change *find(const ctl_diff_result *res, const char *id)
{
    for (size_t i = 0; i < res->n_changes; i++) {
        const ctl_diff_change *c = &res->changes[i];
        if ((c->new_item && !strcmp(c->new_item->id, id)) || (c->old_item && !strcmp(c->old_item->id, id))) return c;
    }
    return NULL;
}

START_TEST(equal_lists_have_no_changes)
{
    ctl_list *a = old_list(), *b = old_list();
    ctl_diff_result *res = diff_lists(a, b, 0);
    ck_assert_uint_eq(res->n_changes, 0);
    ck_assert_uint_eq(res->n_old, 6);
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

/* One added, one removed, one renumbered (same text), one answer changed. */
START_TEST(added_removed_renumbered_changed)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, "Yes, yearly"),
        control("1.3", "1", "Something new", "Backups shall be tested.", ""),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.7", "2", T3, D3, "Yes"),
        control("2.2", "2", T4, D4, "No"),
    };
    ctl_list *a = old_list(), *b = make(it, sizeof it / sizeof *it);
    ctl_diff_result *res = diff_lists(a, b, 0);
    ck_assert_uint_eq(res->n_changes, 4);
    ck_assert_uint_eq(res->counts[0], 1);   /* added */
    ck_assert_uint_eq(res->counts[1], 1);   /* removed */
    ck_assert_uint_eq(res->counts[2], 1);   /* renumbered */
    ck_assert_uint_eq(res->counts[3], 0);   /* moved */
    ck_assert_uint_eq(res->counts[4], 1);   /* changed */
    const ctl_diff_change *c = find(res, "1.1");
    ck_assert_uint_eq(c->kind, CTL_DIFF_CHANGED);
    ck_assert_uint_eq(c->n_fields, 1);
    ck_assert_str_eq(c->fields[0].field, "answer");
    ck_assert_str_eq(c->fields[0].old_text, "Yes");
    ck_assert_str_eq(c->fields[0].new_text, "Yes, yearly");
    c = find(res, "1.2");
    ck_assert_uint_eq(c->kind, CTL_DIFF_REMOVED);
    ck_assert(c->new_item == NULL);
    c = find(res, "1.3");
    ck_assert_uint_eq(c->kind, CTL_DIFF_ADDED);
    c = find(res, "2.7");
    ck_assert_uint_eq(c->kind, CTL_DIFF_RENUMBERED);
    ck_assert_str_eq(c->old_item->id, "2.1");
    ck_assert_int_eq(c->similarity, 100);
    /* the new list's order, a removed item where it stood */
    ck_assert_str_eq(res->changes[0].new_item->id, "1.1");
    ck_assert_str_eq(res->changes[1].old_item->id, "1.2");
    ck_assert_str_eq(res->changes[2].new_item->id, "1.3");
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

/* A renumbered item whose text was also reworded: matched when alike
 * enough, and changed; an unlike one is removed and added. */
START_TEST(renumbered_by_similar_text)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, "Yes"),
        control("1.5", "1", T2, "The policies shall be reviewed at planned intervals or when significant changes occur.",
                "Yes"),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, "Yes"),
        control("2.9", "2", "Teleworking", "Security measures shall be implemented when personnel work remotely.", "No"),
    };
    ctl_list *a = old_list(), *b = make(it, sizeof it / sizeof *it);
    ctl_diff_result *res = diff_lists(a, b, 0);
    const ctl_diff_change *c = find(res, "1.5");
    ck_assert_uint_eq(c->kind, CTL_DIFF_RENUMBERED | CTL_DIFF_CHANGED);
    ck_assert_str_eq(c->old_item->id, "1.2");
    ck_assert_int_ge(c->similarity, 70);
    ck_assert_int_lt(c->similarity, 100);
    ck_assert_str_eq(c->fields[0].field, "description");
    ck_assert_uint_eq(find(res, "2.9")->kind, CTL_DIFF_ADDED);
    ck_assert_uint_eq(find(res, "2.2")->kind, CTL_DIFF_REMOVED);
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

/* Two items swapped: one of them moved; an item under another parent:
 * moved. */
START_TEST(moves)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.2", "1", T2, D2, "Yes"),
        control("1.1", "1", T1, D1, "Yes"),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, "Yes"),
    };
    ctl_item it2[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, "Yes"),
        control("1.2", "1", T2, D2, "Yes"),
        control("2.2", "1", T4, D4, "No"),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, "Yes"),
    };
    ctl_list *a = old_list(), *b = make(it, sizeof it / sizeof *it), *c2 = make(it2, sizeof it2 / sizeof *it2);
    ctl_diff_result *res = diff_lists(a, b, 0);
    ck_assert_uint_eq(res->counts[3], 1);
    ck_assert_uint_eq(res->counts[1], 1);   /* 2.2 removed */
    ctl_diff_free(res);
    res = diff_lists(a, c2, 0);
    ck_assert_uint_eq(res->n_changes, 1);
    ck_assert_uint_eq(find(res, "2.2")->kind, CTL_DIFF_MOVED);
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
    ctl_list_free(c2);
}
END_TEST

/* What a format cannot hold is left out when asked. */
START_TEST(ignored_fields)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, ""),
        control("1.2", "1", T2, D2, ""),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, ""),
        control("2.2", "2", T4, D4, ""),
    };
    ctl_list *a = old_list(), *b = make(it, sizeof it / sizeof *it);
    ctl_diff_result *res = diff_lists(a, b, 0);
    ck_assert_uint_eq(res->counts[4], 4);
    ctl_diff_free(res);
    res = diff_lists(a, b, CTL_LOSES_ANSWERS | CTL_LOSES_METADATA);
    ck_assert_uint_eq(res->n_changes, 0);
    ck_assert_uint_eq(res->ignored, CTL_LOSES_ANSWERS);
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

/* Too many unmatched pairs: renumbering by equal text only, said so. */
START_TEST(renumbering_is_bounded)
{
    enum { N = 600 };
    ctl_item *x = calloc(N, sizeof *x), *y = calloc(N, sizeof *y);
    char (*ids)[16] = calloc(2 * N, 16), (*txt)[32] = calloc(N, 32);
    for (int i = 0; i < N; i++) {
        sprintf(ids[i], "A-%d", i + 1);
        sprintf(ids[N + i], "B-%d", i + 1);
        sprintf(txt[i], "text number %d", i);
        x[i] = control(ids[i], "", txt[i], "", "");
        y[i] = control(ids[N + i], "", txt[i], i == 5 ? "reworded" : "", "");
    }
    ctl_list *a = make(x, N), *b = make(y, N);
    ctl_diff_result *res = diff_lists(a, b, 0);
    ck_assert_int_eq(res->renumber_limited, 1);
    ck_assert_uint_eq(res->counts[2], N - 1);
    ck_assert_uint_eq(res->counts[0], 1);
    ck_assert_uint_eq(res->counts[1], 1);
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
    free(x);
    free(y);
    free(ids);
    free(txt);
}
END_TEST

START_TEST(json_of_a_result)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, "Yes, yearly"),
        control("1.2", "1", T2, D2, "Yes"),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, "Yes"),
        control("2.2", "2", T4, D4, "No"),
    };
    ctl_list *a = old_list(), *b = make(it, sizeof it / sizeof *it);
    ctl_diff_result *res = diff_lists(a, b, 0);
    char *text;
    assert_ok(ctx, ctl_diff_json(ctx, res, "old.csv", NULL, &text));
    json_error_t err;
    json_t *o = json_loads(text, 0, &err);
    ck_assert(o != NULL);
    ck_assert_str_eq(json_string_value(json_object_get(o, "old")), "old.csv");
    ck_assert(json_object_get(o, "new") == NULL);
    ck_assert(json_is_false(json_object_get(o, "equal")));
    json_t *ch = json_array_get(json_object_get(o, "changes"), 0);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(ch, "kind"), 0)), "changed");
    json_t *f = json_array_get(json_object_get(ch, "fields"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(f, "field")), "answer");
    json_t *run = json_array_get(json_object_get(f, "diff"), 1);
    ck_assert_str_eq(json_string_value(json_array_get(run, 0)), "+");
    ck_assert_str_eq(json_string_value(json_array_get(run, 1)), ", yearly");
    json_decref(o);
    free(text);
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

/* The workbook: written in place when complete; an unwritable place is an
 * I/O error that leaves nothing. */
START_TEST(xlsx_of_a_result)
{
    ctl_list *a = old_list(), *b = old_list();
    free(b->items[1].answer);
    b->items[1].answer = strdup("Yes, yearly");
    ctl_diff_result *res = diff_lists(a, b, 0);
    char dir[] = "/tmp/ctl-diff-XXXXXX", path[64], bad[96];
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/review.xlsx", dir);
    assert_ok(ctx, ctl_diff_xlsx(ctx, res, "a", "b", path));
    size_t len;
    unsigned char *data = slurp(path, &len);
    ck_assert(len > 4 && !memcmp(data, "PK", 2));
    free(data);
    snprintf(bad, sizeof bad, "%s/no/such/dir/review.xlsx", dir);
    ck_assert_int_eq(ctl_diff_xlsx(ctx, res, "a", "b", bad), CTL_EIO);
    ck_assert_int_eq(ctl_error_code(ctx), CTL_D_IO_ERROR);
    ck_assert_int_eq(remove(path), 0);
    ck_assert_int_eq(rmdir(dir), 0);   /* nothing else left in it */
    ctl_diff_free(res);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

/* Every allocation failing in turn: out of memory, nothing leaked. */
START_TEST(out_of_memory)
{
    ctl_item it[] = {
        {.id = "1", .parent = "", .title = "Policies"},
        control("1.1", "1", T1, D1, "Yes, yearly"),
        control("1.5", "1", T2, D2 " Also yearly.", "Yes"),
        {.id = "2", .parent = "", .title = "Organisation"},
        control("2.1", "2", T3, D3, "Yes"),
    };
    ctl_list *a = old_list(), *b = make(it, sizeof it / sizeof *it);
    int failed = 0;
    for (unsigned long n = 1; n < 400; n++) {
        ctl_diff_result *res = NULL;
        ctl_error_clear(ctx);
        ctl_test_fail_alloc(n);
        ctl_status st = ctl_diff(ctx, a, b, 0, 0, &res);
        ctl_test_fail_alloc(0);
        ck_assert(st == CTL_OK || st == CTL_ENOMEM);
        ck_assert((st == CTL_OK) == (res != NULL));
        failed += st == CTL_ENOMEM;
        ctl_diff_free(res);
    }
    ck_assert_int_gt(failed, 10);
    ctl_list_free(a);
    ctl_list_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diff");
    TCase *t_text = tcase_create("text");
    use_ctx_fixture(t_text);
    tcase_add_test(t_text, words_of_english_text);
    tcase_add_test(t_text, characters_of_japanese_text);
    tcase_add_test(t_text, equal_and_empty_texts);
    tcase_add_test(t_text, long_texts_are_bounded);
    suite_add_tcase(s, t_text);
    TCase *t_list = tcase_create("lists");
    use_ctx_fixture(t_list);
    tcase_add_test(t_list, equal_lists_have_no_changes);
    tcase_add_test(t_list, added_removed_renumbered_changed);
    tcase_add_test(t_list, renumbered_by_similar_text);
    tcase_add_test(t_list, moves);
    tcase_add_test(t_list, ignored_fields);
    tcase_add_test(t_list, renumbering_is_bounded);
    tcase_add_test(t_list, json_of_a_result);
    tcase_add_test(t_list, xlsx_of_a_result);
    tcase_add_test(t_list, out_of_memory);
    suite_add_tcase(s, t_list);
    return run_suite(s);
}
