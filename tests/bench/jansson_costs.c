/* SPDX-License-Identifier: BSD-2-Clause */
/* What jansson takes to parse each kind of node, in malloc chunks (usable
 * size + 8): the figures behind the JSON reader's prediction of a tree
 * (formats/json.c, "parser memory").  Rerun when jansson changes:
 *   cc -O2 -o /tmp/jansson_costs tests/bench/jansson_costs.c -ljansson && /tmp/jansson_costs
 * A host program may install allocation functions; this one does, to count. */
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t held, peak;

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p && (held += malloc_usable_size(p) + 8) > peak) peak = held;
    return p;
}

static void count_free(void *p)
{
    if (p) held -= malloc_usable_size(p) + 8;
    free(p);
}

/* The peak and the final size of the tree of doc. */
static size_t measure(const char *doc, size_t *final)
{
    json_error_t e;
    held = peak = 0;
    json_t *v = json_loadb(doc, strlen(doc), JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (!v) {
        fprintf(stderr, "%s\n", e.text);
        exit(1);
    }
    *final = held;
    json_decref(v);
    return peak;
}

/* [v,v,...] with n and 2n elements: what one more element costs. */
static void per_element(const char *v, size_t n)
{
    size_t vl = strlen(v), f1, f2, p[2];
    for (int k = 0; k < 2; k++) {
        size_t m = n << k;
        char *d = malloc(m * (vl + 1) + 2), *q = d;
        *q++ = '[';
        for (size_t i = 0; i < m; i++, q += vl + 1) memcpy(q, v, vl), q[vl] = ',';
        q[-1] = ']';
        *q = '\0';
        p[k] = measure(d, k ? &f2 : &f1);
        free(d);
    }
    printf("%-22s alone %5zu; in an array, each: peak %6.1f, held %6.1f\n", v, measure(v, &f1),
           (double)(p[1] - p[0]) / n, (double)(f2 - f1) / n);
}

int main(void)
{
    json_set_alloc_funcs(count_malloc, count_free);
    static const char *const v[] = {"{}", "[]", "\"\"", "\"abcdefghijklmnopqrstuvwxyz\"", "1", "1.5", "null",
                                    "{\"a\":1}", "{\"abcdefghijklmnopqrstuvwxyz\":1}", "[1]"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) per_element(v[i], 100000);
    /* growth: an object's buckets and an array's slots double */
    for (size_t k = 1; k <= 40; k++) {
        char o[1024] = "{", a[512] = "[";
        for (size_t i = 0; i < k; i++) {
            sprintf(o + strlen(o), "%s\"k%03zu\":null", i ? "," : "", i);
            strcat(a, i ? ",null" : "null");
        }
        strcat(o, "}");
        strcat(a, "]");
        size_t fo, fa, po = measure(o, &fo), pa = measure(a, &fa);
        printf("%2zu members: peak %5zu held %5zu | %2zu nulls in an array: peak %4zu held %4zu\n", k, po, fo, k,
               pa, fa);
    }
    for (size_t len = 0; len <= 128; len += 16) {
        char s[256] = "\"";
        memset(s + 1, 'x', len);
        strcpy(s + 1 + len, "\"");
        size_t f, p = measure(s, &f);
        printf("a string of %3zu bytes: peak %4zu held %4zu\n", len, p, f);
    }
    return 0;
}
