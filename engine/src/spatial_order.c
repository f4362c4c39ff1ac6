/* spatial_order.c — blocks of nearby points (spatial_order.h).
 *
 * A k-d split: a range of positions is cut in two at a multiple of the block
 * size near its middle, by the coordinate of widest extent, with a selection
 * (quickselect with three-way partitions: keys equal to the pivot settle at
 * once, so many identical points cost no more than distinct ones); ranges of
 * one block stop. O(n log n)
 * expected; the order depends only on the coordinates, never on threads. */
#include "spatial_order.h"

#include <stdlib.h>

static double key(const double *x, size_t d, const uint32_t *perm, size_t t, size_t c)
{
    return x[(size_t)perm[t] * d + c];
}

static void swap_u32(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

/* Reorder perm[lo, hi) so that position k holds the k-th smallest key of
 * coordinate c, smaller-or-equal keys before it, greater-or-equal after.
 * Three-way partitions around a median of three: the keys equal to the pivot
 * (never none) settle at once, so the range shrinks every round. */
static void select_kth(const double *x, size_t d, uint32_t *perm, size_t lo, size_t hi, size_t k,
                       size_t c)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        double a = key(x, d, perm, lo, c), b = key(x, d, perm, mid, c),
               e = key(x, d, perm, hi - 1, c);
        double p = a < b ? (b < e ? b : (a < e ? e : a)) : (a < e ? a : (b < e ? e : b));
        /* [lo, lt) < p, [lt, t) == p, [t, gt) unseen, [gt, hi) > p */
        size_t lt = lo, t = lo, gt = hi;
        while (t < gt) {
            double v = key(x, d, perm, t, c);
            if (v < p)
                swap_u32(&perm[lt++], &perm[t++]);
            else if (v > p)
                swap_u32(&perm[t], &perm[--gt]);
            else
                t++;
        }
        if (k < lt)
            hi = lt;
        else if (k < gt)
            return;
        else
            lo = gt;
    }
}

static void box_of(const double *x, size_t d, const uint32_t *perm, size_t lo, size_t hi,
                   double *blo, double *bhi)
{
    for (size_t c = 0; c < d; c++) {
        blo[c] = bhi[c] = key(x, d, perm, lo, c);
        for (size_t t = lo + 1; t < hi; t++) {
            double v = key(x, d, perm, t, c);
            if (v < blo[c])
                blo[c] = v;
            if (v > bhi[c])
                bhi[c] = v;
        }
    }
}

ekm__spatial *ekm__spatial_build(const double *x, size_t n, size_t d)
{
    const size_t B = EKM__SPATIAL_BLOCK;
    ekm__spatial *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t dd = d ? d : 1;
    s->n = n;
    s->d = d;
    s->nb = (n + B - 1) / B;
    s->perm = malloc((n ? n : 1) * sizeof *s->perm);
    s->pos = malloc((n ? n : 1) * sizeof *s->pos);
    s->xs = malloc((n ? n : 1) * dd * sizeof *s->xs);
    s->lo = malloc((s->nb ? s->nb : 1) * dd * sizeof *s->lo);
    s->hi = malloc((s->nb ? s->nb : 1) * dd * sizeof *s->hi);
    /* ranges still to split: at most one per level and side (depth <= 64) */
    size_t stack_lo[128], stack_hi[128], top = 0;
    double *blo = malloc(dd * sizeof *blo), *bhi = malloc(dd * sizeof *bhi);
    if (!s->perm || !s->pos || !s->xs || !s->lo || !s->hi || !blo || !bhi) {
        free(blo);
        free(bhi);
        ekm__spatial_free(s);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        s->perm[i] = (uint32_t)i;
    if (n > B && d > 0) {
        stack_lo[top] = 0;
        stack_hi[top++] = n;
    }
    while (top) {
        size_t lo = stack_lo[--top], hi = stack_hi[top];
        box_of(x, d, s->perm, lo, hi, blo, bhi);
        size_t c = 0;
        for (size_t t = 1; t < d; t++)
            if (bhi[t] - blo[t] > bhi[c] - blo[c])
                c = t;
        if (!(bhi[c] > blo[c]))
            continue; /* every point alike: no split helps */
        size_t blocks = (hi - lo + B - 1) / B, mid = lo + blocks / 2 * B;
        select_kth(x, d, s->perm, lo, hi, mid, c);
        /* the larger half last, so the stack stays within depth bounds */
        if (mid - lo > B) {
            stack_lo[top] = lo;
            stack_hi[top++] = mid;
        }
        if (hi - mid > B) {
            stack_lo[top] = mid;
            stack_hi[top++] = hi;
        }
    }
    free(blo);
    free(bhi);
    for (size_t t = 0; t < n; t++) {
        s->pos[s->perm[t]] = (uint32_t)t;
        for (size_t c = 0; c < d; c++)
            s->xs[c * n + t] = x[(size_t)s->perm[t] * d + c];
    }
    for (size_t b = 0; b < s->nb; b++) {
        size_t lo = b * B, hi = lo + B < n ? lo + B : n;
        box_of(x, d, s->perm, lo, hi, s->lo + b * dd, s->hi + b * dd);
    }
    return s;
}

void ekm__spatial_free(ekm__spatial *s)
{
    if (!s)
        return;
    free(s->perm);
    free(s->pos);
    free(s->xs);
    free(s->lo);
    free(s->hi);
    free(s);
}
