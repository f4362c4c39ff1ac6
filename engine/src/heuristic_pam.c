/* heuristic_pam.c — PAM: BUILD, then SWAP (the best improving swap per
 * iteration until none improves), Kaufman & Rousseeuw 1990. The swap gains are
 * computed with FastPAM1's O(n) decomposition per candidate (Schubert &
 * Rousseeuw 2019), which finds exactly the swap classic PAM would make, k times
 * faster. */
#include "heuristic_internal.h"

#include <stdlib.h>

/* PAM on run->dm. med[k] (out): the medoids. run->swaps counts the swaps made.
 *
 * Each iteration evaluates every (medoid slot, non-medoid x) swap and takes the
 * one that lowers the float objective most; ties go to the smallest x, then to
 * the medoid with the smallest point index (the array order plays no part).
 * The swap is made only if its gain passes ekm__improves(). O(n^2) per
 * iteration, O(n^2 k) for BUILD. Returns EKM_OK, EKM_ERR_CANCELLED or
 * EKM_ERR_NOMEM. */
ekm_status ekm__pam(ekm__hrun *run, uint32_t *med)
{
    size_t n = run->n;
    unsigned k = run->k;
    ekm_status st = ekm__build(run, med);
    if (st != EKM_OK)
        return st;
    if (k == n)
        return EKM_OK;

    ekm__swap sw;
    if (ekm__swap_init(&sw, run, med) != EKM_OK)
        return EKM_ERR_NOMEM;
    for (unsigned it = 0; it < run->max_iter; it++) {
        ekm__removal_loss(&sw.c, n, k, sw.loss);
        double best = INFINITY;
        size_t best_x = 0;
        unsigned best_slot = 0;
        for (size_t x = 0; x < n; x++) {
            if (sw.is_med[x])
                continue;
            if (ekm__poll(run, n)) {
                st = EKM_ERR_CANCELLED;
                goto out;
            }
            unsigned slot = ekm__swap_best_slot(&sw, run, med, x);
            if (sw.delta[slot] < best) { /* strict: the smallest x wins a tie */
                best = sw.delta[slot];
                best_x = x;
                best_slot = slot;
            }
        }
        if (!ekm__improves(-best, sw.td))
            break;
        ekm__swap_apply(&sw, run, med, best_slot, best_x);
        run->swaps++;
    }
out:
    ekm__swap_free(&sw);
    return st;
}
