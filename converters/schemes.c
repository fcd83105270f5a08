/* SPDX-License-Identifier: BSD-2-Clause */
/* The identifiers of the reference schemes ctlconv maps into a GRC tool
 * (see grc.h): ISO/IEC 27001:2013 and 2022, their clauses 4-10 and Annex A
 * as CISO Assistant's frameworks of them hold them.  Each table is a row
 * per top part (clause 4, A.5...): the number of its second-level parts
 * and, where those have parts of their own, one digit each for how many
 * ("30": 6.1 has 6.1.1-6.1.3, 6.2 none). */
#include "grc.h"

#include <ctype.h>
#include <stdlib.h>

typedef struct {
    int n2;             /* parts at the second level: x.1 ... x.n2 */
    const char *n3;     /* one digit per second-level part: its parts; NULL: none */
} part;

typedef struct {
    const char *prefix; /* "" for the clauses, "A." for Annex A */
    int first, last;    /* the top parts' numbers */
    const part *parts;  /* last - first + 1 rows */
} table;

/* ISO/IEC 27001:2013 clauses 4-10 (4.1 ... 10.2; 6.1.1-6.1.3, 7.5.1-7.5.3). */
static const part body2013[] = {{4, NULL}, {3, NULL}, {2, "30"}, {5, "00003"}, {3, NULL}, {3, NULL}, {2, NULL}};
/* ISO/IEC 27001:2013 Annex A: 14 clauses, 35 objectives, 114 controls. */
static const part annex2013[] = {
    {1, "2"},     {2, "52"},   {3, "231"}, {3, "433"}, {4, "2615"}, {1, "2"},  {2, "69"},
    {7, "4114121"}, {2, "34"}, {3, "391"}, {2, "32"},  {1, "7"},    {2, "31"}, {2, "53"},
};
/* ISO/IEC 27001:2022 clauses 4-10 (6.3 and 9.2.1-9.3.3 new). */
static const part body2022[] = {{4, NULL}, {3, NULL}, {3, "300"}, {5, "00003"}, {3, NULL}, {3, "023"}, {2, NULL}};
/* ISO/IEC 27001:2022 Annex A: A.5.1-A.5.37, A.6.1-8, A.7.1-14, A.8.1-34. */
static const part annex2022[] = {{37, NULL}, {8, NULL}, {14, NULL}, {34, NULL}};

static const struct {
    const char *scheme;
    table body, annex;
} schemes[] = {
    {"iso27001-2013", {"", 4, 10, body2013}, {"A.", 5, 18, annex2013}},
    {"iso27001-2022", {"", 4, 10, body2022}, {"A.", 5, 8, annex2022}},
};

/* A number without sign or leading zero at *s, advanced past it; -1 when
 * there is none. */
static int number(const char **s)
{
    const char *p = *s;
    if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned char)p[1]))) return -1;
    int v = 0;
    for (; isdigit((unsigned char)*p); p++) {
        if (v > 9999) return -1;
        v = v * 10 + (*p - '0');
    }
    *s = p;
    return v;
}

/* Is s (after the table's prefix) one of its identifiers? */
static int in_table(const table *t, const char *s)
{
    size_t pl = strlen(t->prefix);
    if (strncmp(s, t->prefix, pl)) return 0;
    s += pl;
    int n[3], depth = 0;
    for (;;) {
        if ((n[depth++] = number(&s)) < 0) return 0;
        if (!*s) break;
        if (*s != '.' || depth == 3) return 0;
        s++;
    }
    if (n[0] < t->first || n[0] > t->last) return 0;
    const part *p = &t->parts[n[0] - t->first];
    if (depth == 1) return 1;
    if (n[1] < 1 || n[1] > p->n2) return 0;
    if (depth == 2) return 1;
    return p->n3 && n[2] >= 1 && n[2] <= p->n3[n[1] - 1] - '0';
}

int ctl_scheme_has_id(const char *scheme, const char *id)
{
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        if (strcmp(scheme, schemes[i].scheme)) continue;
        return in_table(&schemes[i].annex, id) || in_table(&schemes[i].body, id);
    }
    return -1;
}
