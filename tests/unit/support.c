/* SPDX-License-Identifier: BSD-2-Clause */
#include "support.h"
#include "internal.h"
#include "hierarchy.h"
#include "grc.h"
#include "../../formats/ciso.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)n + 1);
    ck_assert(d != NULL);
    ck_assert(fread(d, 1, (size_t)n, f) == (size_t)n);
    d[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return d;
}

ctl_list *read_bytes(ctl_ctx *ctx, const char *format, const void *data, size_t len,
                     const ctl_options *opts, ctl_status *st)
{
    ctl_options dflt;
    if (!opts) {
        ctl_options_init(&dflt);
        opts = &dflt;
    }
    const ctl_format *fmt = ctl_format_by_name(format);
    ck_assert_msg(fmt != NULL, "no format %s", format);
    ctl_list *l = ctl_list_new();
    ck_assert(l != NULL);
    *st = ctl_read(ctx, fmt, "test-input", data, len, opts, &l->sink);
    return l;
}

ctl_list *read_seed(ctl_ctx *ctx)
{
    size_t len;
    unsigned char *seed = slurp(SEED_PATH, &len);
    ctl_status st;
    ctl_list *l = read_bytes(ctx, "text", seed, len, NULL, &st);
    free(seed);
    assert_ok_msg(ctx, st, "the seed");
    return l;
}

ctl_list *read_string(ctl_ctx *ctx, const char *format, const char *s, ctl_status *st)
{
    return read_bytes(ctx, format, s, strlen(s), NULL, st);
}

char *write_list(ctl_ctx *ctx, const char *format, const ctl_list *list,
                 const ctl_options *opts, size_t *len, ctl_status *st)
{
    ctl_options dflt;
    if (!opts) {
        ctl_options_init(&dflt);
        opts = &dflt;
    }
    const ctl_format *fmt = ctl_format_by_name(format);
    ck_assert(fmt != NULL && fmt->writer != NULL);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    ck_assert(f != NULL);
    ctl_sink *sink = NULL;
    *st = fmt->writer(ctx, f, "test-output", opts, &sink);
    if (*st == CTL_OK) *st = ctl_list_replay(list, ctx, sink);
    if (sink && sink->destroy) sink->destroy(sink);
    fclose(f);
    *len = size;
    return buf;
}

ctl_list *list_of(ctl_meta *m, ctl_item *items, size_t n)
{
    ctl_list *l = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    /* as a reader's items reach a sink: through the hierarchy */
    ctl_sink *h = ctl_hierarchy_new(&l->sink, "list_of");
    ck_assert(h != NULL);
    assert_ok(ctx, h->begin(h, ctx, m));
    for (size_t i = 0; i < n; i++) assert_ok(ctx, h->item(h, ctx, &items[i]));
    assert_ok(ctx, h->end(h, ctx, m));
    h->destroy(h);
    ctl_ctx_free(ctx);
    return l;
}

/* A small list built by hand: a section and a control with awkward text. */
ctl_list *sample_list(void)
{
    ctl_list *l = ctl_list_new();
    ck_assert(l != NULL);
    ctl_ctx *ctx = ctl_ctx_new();
    char *cols[] = {"項番", "対策項目", "備考"};
    ctl_meta m = {.title = "Title \"quoted\"", .note = "line 1\nline 2", .annex = "ANNEX2 対策一覧", .ref_scheme = "iso27001-2013",
                  .columns = cols, .n_columns = 3};
    assert_ok(ctx, l->sink.begin(&l->sink, ctx, &m));
    ctl_ref refs[] = {{"iso27001-2013", "A.5.1.1"}, {"iso27001-2013", "A.5.1.2"}};
    ctl_field extra[] = {{"備考", "x"}};
    ctl_item sec = {.id = "II.1", .label = "II. 1.", .level = 1, .parent = "", .title = "Section, with comma"};
    ctl_item ctl = {.id = "II.1.1.1", .label = "II. 1. 1. 1", .level = 3, .parent = "II.1", .refs = refs, .n_refs = 2,
                    .title = "say \"hi\"", .description = "・a\n・b", .category = CTL_CATEGORY_BASIC,
                    .answer = "=1+1\ttab", .extra = extra, .n_extra = 1};
    assert_ok(ctx, l->sink.item(&l->sink, ctx, &sec));
    assert_ok(ctx, l->sink.item(&l->sink, ctx, &ctl));
    assert_ok(ctx, l->sink.end(&l->sink, ctx, &m));
    ctl_ctx_free(ctx);
    return l;
}

/* The input is refused with the code named code; msg: a fragment of the
 * message where its wording matters. */
void assert_refused(const char *format, const char *in, const char *code, const char *msg)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_status st;
    ctl_list *l = read_string(ctx, format, in, &st);
    ck_assert_msg(st == CTL_EINPUT || st == CTL_ELIMIT, "%s accepted: %s", format, in);
    ck_assert_msg(ctl_diag_by_name(code) != CTL_DIAG_COUNT, "no code '%s'", code);
    assert_error_code(ctx, ctl_diag_by_name(code));
    ck_assert_msg(strstr(ctl_error_message(ctx), msg) != NULL, "'%s' lacks '%s'", ctl_error_message(ctx), msg);
    ctl_list_free(l);
    ctl_ctx_free(ctx);
}

int run_suite(Suite *s)
{
    /* the date of the GRC exports, unless the caller set one (ctest does):
     * writing twice gives the same bytes also when a suite is run alone */
    setenv("SOURCE_DATE_EPOCH", "1764547200", 0);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

size_t warnings_with(const ctl_ctx *ctx, ctl_diag code)
{
    size_t n = 0;
    for (size_t i = 0; i < ctl_warning_kept(ctx); i++) n += ctl_warning_code(ctx, i) == code;
    return n;
}

int has_warning(const ctl_ctx *ctx, const char *needle)
{
    for (size_t i = 0; i < ctl_warning_count(ctx); i++)
        if (strstr(ctl_warning_message(ctx, i), needle)) return 1;
    return 0;
}

ctl_ctx *ctx;
ctl_list *list;

void ctx_setup(void)
{
    ctx = ctl_ctx_new();
    ck_assert(ctx != NULL);
    list = NULL;
}

void ctx_teardown(void)
{
    ctl_list_free(list);
    list = NULL;
    ctl_ctx_free(ctx);
    ctx = NULL;
}

char tmp_dir[64];

void tmp_dir_setup(void)
{
    ctx_setup();
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/ctl-unit-XXXXXX");
    ck_assert(mkdtemp(tmp_dir) != NULL);
}

void tmp_dir_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp_dir);
    ck_assert_int_eq(system(cmd), 0);
    ctl_test_stream_head(0);
    ctx_teardown();
}

void describe_error(const ctl_ctx *c, ctl_status st, char *out, size_t size)
{
    const char *code = ctl_diag_name(ctl_error_code(c));
    const char *file = ctl_error_file(c);
    long line = ctl_error_line(c);
    int n = snprintf(out, size, "%s [%s] ", ctl_status_text(st), code ? code : "none");
    if (n < 0 || (size_t)n >= size) return;
    if (file && *file && line > 0)
        n += snprintf(out + n, size - (size_t)n, "%s:%ld: ", file, line);
    else if (file && *file)
        n += snprintf(out + n, size - (size_t)n, "%s: ", file);
    if (n < 0 || (size_t)n >= size) return;
    const char *msg = ctl_error_message(c);
    snprintf(out + n, size - (size_t)n, "%s", msg && *msg ? msg : "(no message)");
}

/* A cell as a format that loses line breaks writes it (in place). */
static void fold_cell(char **s)
{
    if (!*s) return;
    char *d = *s;
    for (char *p = *s; *p; p++) {
        if (*p == '\r' && p[1] == '\n') p++;
        *d++ = (*p == '\r' || *p == '\n' || *p == '\t') ? ' ' : *p;
    }
    *d = '\0';
    const char *t = *s;
    size_t n = strlen(t);
    ctl_trim(&t, &n);
    memmove(*s, t, n);
    (*s)[n] = '\0';
}

size_t refs_kept(const ctl_item *it, int one_edition, ctl_ref *out)
{
    static const char *const editions[] = {"iso27001-2013", "iso27001-2022"};
    size_t n = 0;
    for (size_t e = 0; e < (one_edition ? 1u : 2u); e++)
        for (size_t i = 0; i < it->n_refs; i++)
            if (!strcmp(it->refs[i].scheme, editions[e]) && ctl_scheme_has_id(editions[e], it->refs[i].id) == 1)
                out[n++] = it->refs[i];
    return n;
}

int one_edition_kept(const ctl_list *l, unsigned loses)
{
    if (!(loses & CTL_LOSES_SECOND_EDITION)) return 0;
    for (size_t i = 0; i < l->n_items; i++)
        for (size_t k = 0; k < l->items[i].n_refs; k++)
            if (!strcmp(l->items[i].refs[k].scheme, "iso27001-2013") &&
                ctl_scheme_has_id("iso27001-2013", l->items[i].refs[k].id) == 1)
                return 1;
    return 0;
}

char *edges_stripped(const char *s)
{
    const char *t = s ? s : "";
    size_t n = strlen(t);
    ctl_ciso_strip(&t, &n);
    char *d = strndup(t, n);
    ck_assert(d != NULL);
    return d;
}

/* A text as a format that loses CTL_LOSES_EDGE_SPACES holds it (in place:
 * "" may be the model's shared empty string). */
static void strip_cell(char **s)
{
    if (!*s || !**s) return;
    const char *t = *s;
    size_t n = strlen(t);
    ctl_ciso_strip(&t, &n);
    memmove(*s, t, n);
    (*s)[n] = '\0';
}

ctl_list *list_losing(const ctl_list *a, unsigned loses)
{
    ctl_list *b = ctl_list_new();
    ctl_ctx *ctx = ctl_ctx_new();
    /* extras lost: replayed without them */
    ctl_meta m = a->meta;
    if (loses & CTL_LOSES_EXTRAS) m.n_columns = 0;
    int one_edition = one_edition_kept(a, loses);
    assert_ok(ctx, b->sink.begin(&b->sink, ctx, &m));
    for (size_t i = 0; i < a->n_items; i++) {
        ctl_item it = a->items[i];
        if (loses & CTL_LOSES_EXTRAS) it.n_extra = 0;
        ctl_ref kept[it.n_refs + 1];
        if (loses & CTL_LOSES_REFS) {
            it.n_refs = refs_kept(&a->items[i], one_edition, kept);
            it.refs = kept;
        }
        assert_ok(ctx, b->sink.item(&b->sink, ctx, &it));
    }
    assert_ok(ctx, b->sink.end(&b->sink, ctx, &m));
    ctl_ctx_free(ctx);
    for (char **s = &b->meta.title; s <= &b->meta.annex; s++)
        if (!**s) *s = strdup("");
    if (loses & CTL_LOSES_METADATA) b->meta.title[0] = b->meta.note[0] = b->meta.annex[0] = '\0';
    if (loses & CTL_LOSES_UNPLACED) {
        for (size_t i = 0; i < b->meta.n_unplaced; i++) free(b->meta.unplaced[i]);
        b->meta.n_unplaced = 0;
    }
    for (size_t i = 0; i < b->n_items; i++) {
        ctl_item *it = &b->items[i];
        if ((loses & CTL_LOSES_ANSWERS) && it->answer && *it->answer) it->answer[0] = '\0';
        if (loses & CTL_LOSES_CATEGORIES) {
            it->category = CTL_CATEGORY_NONE;
            if (it->category_text && *it->category_text) it->category_text[0] = '\0';
        }
    }
    for (size_t i = 0; (loses & CTL_LOSES_LINEBREAKS) && i < b->n_items; i++) {
        ctl_item *it = &b->items[i];
        fold_cell(&it->title);
        fold_cell(&it->description);
        fold_cell(&it->answer);
        for (size_t k = 0; k < it->n_extra; k++) fold_cell(&it->extra[k].value);
    }
    if (!(loses & CTL_LOSES_EDGE_SPACES)) return b;
    for (char **s = &b->meta.title; s <= &b->meta.annex; s++) strip_cell(s);
    for (size_t i = 0; i < b->n_items; i++) {
        ctl_item *it = &b->items[i];
        strip_cell(&it->title);
        strip_cell(&it->description);
        strip_cell(&it->answer);
        for (size_t k = 0; k < it->n_extra; k++) strip_cell(&it->extra[k].value);
    }
    return b;
}
