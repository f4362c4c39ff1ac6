/* best.c — Pareto front of (lexicographic order, objective); see best.h. */
#include "best.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "combo.h"

void ekm__best_init(ekm__best *b, unsigned k) { *b = (ekm__best){.k = k}; }

void ekm__best_free(ekm__best *b)
{
    free(b->value);
    free(b->sets);
    *b = (ekm__best){.k = b->k};
}

void ekm__best_clear(ekm__best *b) { b->len = 0; }

double ekm__best_min(const ekm__best *b) { return b->len ? b->value[b->len - 1] : INFINITY; }

static int reserve(ekm__best *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap * 2 : 4;
    while (cap < need)
        cap *= 2;
    double *v = realloc(b->value, cap * sizeof *v);
    if (!v)
        return -1;
    b->value = v;
    uint32_t *s = realloc(b->sets, cap * b->k * sizeof *s);
    if (!s)
        return -1;
    b->sets = s;
    b->cap = cap;
    return 0;
}

/* Drop entries that can never win against the minimum m: objective > m(1+tie). */
static void trim_window(ekm__best *b)
{
    if (!b->len)
        return;
    double limit = ekm__best_min(b) * (1.0 + EKM_TIE_REL);
    size_t w = 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->value[i] <= limit) {
            if (w != i) {
                b->value[w] = b->value[i];
                memcpy(b->sets + w * b->k, b->sets + i * b->k, b->k * sizeof *b->sets);
            }
            w++;
        }
    b->len = w;
}

int ekm__best_offer_next(ekm__best *b, double value, const uint32_t *set)
{
    /* A lexicographically greater set wins only with a strictly smaller objective. */
    if (!(value < ekm__best_min(b)))
        return 0;
    if (reserve(b, b->len + 1))
        return -1;
    b->value[b->len] = value;
    memcpy(b->sets + b->len * b->k, set, b->k * sizeof *set);
    b->len++;
    trim_window(b);
    return 1;
}

int ekm__best_offer_any(ekm__best *b, double value, const uint32_t *set)
{
    /* position: the first entry lexicographically greater than or equal to set */
    size_t pos = 0;
    while (pos < b->len && ekm__combo_less(b->sets + pos * b->k, set, b->k))
        pos++;
    /* dominated by a lexicographically smaller (or equal) set with an objective <= value:
     * values decrease along the list, so entry pos-1 is the smallest of those */
    if (pos > 0 && b->value[pos - 1] <= value)
        return 0;
    if (pos < b->len && !ekm__combo_less(set, b->sets + pos * b->k, b->k) &&
        b->value[pos] <= value)
        return 0;
    if (!(value <= ekm__best_min(b) * (1.0 + EKM_TIE_REL)) && b->len)
        return 0; /* outside the tie window of the minimum: can never win */
    if (reserve(b, b->len + 1))
        return -1;
    /* drop the lexicographically greater entries it dominates (objective >= value) */
    size_t end = pos;
    while (end < b->len && b->value[end] >= value)
        end++;
    size_t tail = b->len - end;
    memmove(b->value + pos + 1, b->value + end, tail * sizeof *b->value);
    memmove(b->sets + (pos + 1) * b->k, b->sets + end * b->k, tail * b->k * sizeof *b->sets);
    b->value[pos] = value;
    memcpy(b->sets + pos * b->k, set, b->k * sizeof *set);
    b->len = pos + 1 + tail;
    trim_window(b);
    return 1;
}

typedef struct entry {
    double value;
    const uint32_t *set;
    unsigned k;
} entry;

static int cmp_entry(const void *x, const void *y)
{
    const entry *a = x, *c = y;
    if (ekm__combo_less(a->set, c->set, a->k))
        return -1;
    if (ekm__combo_less(c->set, a->set, a->k))
        return 1;
    return (a->value > c->value) - (a->value < c->value);
}

int ekm__best_merge(ekm__best *dst, const ekm__best *src)
{
    size_t n = dst->len + src->len;
    if (!src->len)
        return 0;
    entry *e = malloc(n * sizeof *e);
    uint32_t *copy = malloc(n * dst->k * sizeof *copy);
    if (!e || !copy) {
        free(e);
        free(copy);
        return -1;
    }
    if (dst->len)
        memcpy(copy, dst->sets, dst->len * dst->k * sizeof *copy);
    memcpy(copy + dst->len * dst->k, src->sets, src->len * src->k * sizeof *copy);
    for (size_t i = 0; i < n; i++)
        e[i] = (entry){i < dst->len ? dst->value[i] : src->value[i - dst->len], copy + i * dst->k,
                       dst->k};
    qsort(e, n, sizeof *e, cmp_entry);
    ekm__best_clear(dst);
    int rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++)
        rc = ekm__best_offer_next(dst, e[i].value, e[i].set);
    free(e);
    free(copy);
    return rc < 0 ? -1 : 0;
}

const uint32_t *ekm__best_answer(const ekm__best *b, double *value)
{
    if (!b->len)
        return NULL;
    if (value)
        *value = b->value[0];
    return b->sets;
}
