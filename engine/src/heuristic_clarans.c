/* heuristic_clarans.c — CLARANS (Ng & Han 2002, "CLARANS: a method for
 * clustering objects for spatial data mining"): a randomised search of PAM's
 * swap graph. One run is one of Ng & Han's `numlocal` local searches; the
 * restarts of ekm_heuristic_run are numlocal. */
#include "heuristic_internal.h"

#include <stdlib.h>

/* Change of the float objective when medoid slot i is replaced by the point
 * whose row is `row`: sum over points of the new minus the old distance, from
 * the nearest / second-nearest caches (Ng & Han's cost differential TC_ih,
 * computed in O(n) rather than O(nk)). Exact differences of floats in double. */
static double swap_delta(const ekm__caches *c, size_t n, unsigned i, const float *row)
{
    double a0 = 0, a1 = 0;
    for (size_t o = 0; o < n; o++) {
        double d = row[o], dn = c->dn[o];
        if (c->near[o] == i) {
            double ds = c->ds[o]; /* +inf when k == 1: the candidate takes all */
            a0 += (d < ds ? d : ds) - dn;
        } else if (d < dn) {
            a1 += d - dn;
        }
    }
    return a0 + a1;
}

/* One CLARANS local search on run->dm. med[k] (out): the medoids; run->swaps
 * counts the moves made.
 *
 * Start from k random medoids; draw a random neighbour (a medoid slot and a
 * non-medoid, uniformly); move to it if it lowers the objective (by more than
 * ekm__improves' threshold), otherwise count a failure; stop after maxneighbor
 * (run->neighbours) consecutive failures, or after run->max_iter moves.
 * One deviation from Ng & Han's text: neighbours already examined since the
 * last move are not drawn again (a failure is a distinct neighbour). This makes
 * maxneighbor >= k(n-k) examine every neighbour, so the result is then a local
 * optimum of PAM's swap neighbourhood, as Ng & Han's analysis assumes; for
 * smaller maxneighbor it barely changes the draws.
 * Returns EKM_OK, EKM_ERR_CANCELLED or EKM_ERR_NOMEM. */
ekm_status ekm__clarans(ekm__hrun *run, uint32_t *med)
{
    size_t n = run->n;
    unsigned k = run->k;
    ekm_status st = ekm__random_medoids(run, med);
    if (st != EKM_OK || k == n)
        return st;

    size_t m = n - k; /* non-medoids */
    uint64_t neighbours = (uint64_t)k * m;
    uint64_t limit = run->neighbours < neighbours ? run->neighbours : neighbours;
    size_t bitmap_bytes = (size_t)((neighbours + 7) / 8);
    ekm__caches c;
    uint32_t *nonmed = malloc(n * sizeof *nonmed); /* the m non-medoids, any order */
    uint32_t *pos = malloc(n * sizeof *pos);       /* marks the medoids while filling nonmed */
    unsigned char *seen = calloc(bitmap_bytes, 1); /* bit slot*m + q: examined */
    /* the bits set since the last move, to clear them without a full memset */
    uint64_t *tried = malloc((size_t)limit * sizeof *tried);
    if (!nonmed || !pos || !seen || !tried ||
        ekm__caches_alloc(&c, n, ekm_dissim_stride(run->dm)) != EKM_OK) {
        free(nonmed);
        free(pos);
        free(seen);
        free(tried);
        return EKM_ERR_NOMEM;
    }
    for (size_t p = 0; p < n; p++)
        pos[p] = 0;
    for (unsigned j = 0; j < k; j++)
        pos[med[j]] = UINT32_MAX;
    size_t cnt = 0;
    for (size_t p = 0; p < n; p++)
        if (pos[p] != UINT32_MAX)
            nonmed[cnt++] = (uint32_t)p;
    double td = ekm__caches_init(&c, run->dm, n, med, k);

    uint64_t failures = 0, moves = 0;
    while (failures < limit && moves < run->max_iter) {
        if (ekm__poll(run, 8)) { /* a draw that was seen costs almost nothing */
            st = EKM_ERR_CANCELLED;
            break;
        }
        unsigned slot = (unsigned)ekm__rng_below(&run->rng, k);
        uint32_t q = (uint32_t)ekm__rng_below(&run->rng, m);
        uint64_t bit = (uint64_t)slot * m + q;
        if (seen[bit >> 3] & (1u << (bit & 7)))
            continue;
        if (ekm__poll(run, n)) {
            st = EKM_ERR_CANCELLED;
            break;
        }
        uint32_t x = nonmed[q];
        double delta = swap_delta(&c, n, slot, ekm_dissim_row(run->dm, x));
        if (!ekm__improves(-delta, td)) {
            seen[bit >> 3] |= (unsigned char)(1u << (bit & 7));
            tried[failures++] = bit;
            continue;
        }
        uint32_t out = med[slot];
        med[slot] = x;
        nonmed[q] = out;
        td = ekm__caches_swap(&c, run->dm, n, med, k, slot);
        for (uint64_t f = 0; f < failures; f++)
            seen[tried[f] >> 3] = 0;
        failures = 0;
        moves++;
        run->swaps++;
    }
    ekm__caches_free(&c);
    free(nonmed);
    free(pos);
    free(seen);
    free(tried);
    return st;
}
