/* SPDX-License-Identifier: BSD-2-Clause */
/* The JSON reader leaves jansson's allocation functions to the host: it
 * bounds the tree it lets jansson build by predicting it from the bytes,
 * not by installing functions of its own for the whole process.  A host
 * that counts jansson's allocations sees its own functions called, and its
 * count stays within the bound the reader promises (--limit json-memory +
 * 3 x the bytes parsed). */
#include "support.h"

#include <jansson.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static size_t calls, held, peak;

static void *host_malloc(size_t n)
{
    void *p = malloc(n);
    if (p) {
        calls++;
        held += malloc_usable_size(p) + sizeof(size_t);
        if (held > peak) peak = held;
    }
    return p;
}

static void host_free(void *p)
{
    if (p) held -= malloc_usable_size(p) + sizeof(size_t);
    free(p);
}

static const char doc[] = "{\"format\": \"ctlconv-list\", \"title\": \"T\", \"items\": [{\"id\": \"II.1\"}]}";
static const char lines[] = "{\"format\": \"ctlconv-list\"}\n{\"id\": \"II.1\"}\n";

/* Detects and reads data; the status of the read. */
static ctl_status detect_and_read(const char *data, ctl_options *o)
{
    ctl_ctx *ctx = ctl_ctx_new();
    const ctl_format *fmt;
    ctl_status st = ctl_detect_format(ctx, NULL, (const unsigned char *)data, strlen(data), o, &fmt);
    if (st == CTL_OK) {
        ctl_list *l = ctl_list_new();
        st = ctl_read(ctx, fmt, "test-input", (const unsigned char *)data, strlen(data), o, &l->sink);
        ctl_list_free(l);
    }
    ctl_ctx_free(ctx);
    return st;
}

/* First in the process: a host's functions, installed before any read. */
START_TEST(host_functions_stay_and_are_called)
{
    json_set_alloc_funcs(host_malloc, host_free);
    ctl_options o;
    ctl_options_init(&o);
    calls = 0;
    ck_assert_int_eq(detect_and_read(doc, &o), CTL_OK);
    ck_assert_int_eq(detect_and_read(lines, &o), CTL_OK);
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    ck_assert(m == host_malloc && f == host_free);
    ck_assert_uint_gt(calls, 0);
    ck_assert_uint_eq(held, 0);
    json_set_alloc_funcs(malloc, free);
}
END_TEST

START_TEST(default_functions_stay)
{
    json_set_alloc_funcs(malloc, free);
    ctl_options o;
    ctl_options_init(&o);
    ck_assert_int_eq(detect_and_read(doc, &o), CTL_OK);
    ck_assert_int_eq(detect_and_read(lines, &o), CTL_OK);
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    ck_assert(m == malloc && f == free);
}
END_TEST

/* One item whose "isms" holds n copies of v (malloc'd). */
static char *item_of(const char *v, size_t n)
{
    size_t vl = strlen(v);
    char *b = malloc(64 + (vl + 1) * n), *p = b;
    ck_assert(b != NULL);
    p += sprintf(p, "{\"items\": [{\"id\": \"II.1\", \"isms\": [");
    for (size_t i = 0; i < n; i++) p += sprintf(p, "%s%s", i ? "," : "", v);
    strcpy(p, "]}]}");
    return b;
}

/* For shapes of every kind of node, read at sizes around the bound: what
 * the host counts never exceeds json-memory + 3 x the bytes; a refused
 * value is not built at all; shapes that cost jansson more than 3 x their
 * bytes are refused at the largest size, a long string (about its bytes
 * in jansson) never. */
START_TEST(host_count_within_the_bound)
{
    static const struct { const char *v; int refused; } shapes[] = {
        {"{}", 1}, {"[]", 1}, {"\"\"", 1}, {"1", 1}, {"1.5e3", 1}, {"null", 1}, {"{\"a\":1}", 1},
        {"[[1],{\"b\":\"x\"}]", 1},
        {"{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8}", 1},
        {"\"a long string of some sixty-four bytes to see the lexer's buffer\"", 0},
        {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 1},
    };
    const size_t floor = (size_t)64 << 10;
    json_set_alloc_funcs(host_malloc, host_free);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        int accepted = 0, refused = 0;
        for (size_t n = 1; n <= ((size_t)1 << 16); n *= 2) {
            char *d = item_of(shapes[i].v, n);
            ctl_options o;
            ctl_options_init(&o);
            o.limit[CTL_LIMIT_JSON_MEMORY] = floor;
            ctl_ctx *ctx = ctl_ctx_new();
            ctl_list *l = ctl_list_new();
            peak = held = 0;
            ctl_status st = ctl_read(ctx, ctl_format_by_name("json"), "t", (const unsigned char *)d, strlen(d),
                                     &o, &l->sink);
            if (st == CTL_ELIMIT) {
                refused++;
                ck_assert_msg(ctl_error_limit(ctx) == CTL_LIMIT_JSON_MEMORY, "%s", ctl_error_message(ctx));
                ck_assert_uint_lt(peak, 4096);     /* nothing of the value was built */
            } else {
                accepted++;
                ck_assert_msg(peak <= floor + 3 * strlen(d), "%s x %zu: %zu bytes held, bound %zu", shapes[i].v, n,
                              peak, floor + 3 * strlen(d));
            }
            ctl_list_free(l);
            ctl_ctx_free(ctx);
            free(d);
        }
        ck_assert_msg(accepted && !refused == !shapes[i].refused, "%s: %d accepted, %d refused", shapes[i].v,
                      accepted, refused);
    }
    json_set_alloc_funcs(malloc, free);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_alloc");
    TCase *tc = tcase_create("reader");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, host_functions_stay_and_are_called);
    tcase_add_test(tc, default_functions_stay);
    tcase_add_test(tc, host_count_within_the_bound);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
