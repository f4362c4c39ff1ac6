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

    ekm__caches c;
    double *loss = malloc(6 * (size_t)k * sizeof *loss);
    unsigned char *is_med = calloc(n, 1);
    if (!loss || !is_med || ekm__caches_alloc(&c, n, ekm_dissim_stride(run->dm)) != EKM_OK) {
        free(loss);
        free(is_med);
        return EKM_ERR_NOMEM;
    }
    double *delta = loss + k, *scratch = loss + 2 * (size_t)k;
    for (unsigned j = 0; j < k; j++)
        is_med[med[j]] = 1;
    double td = ekm__caches_init(&c, run->dm, n, med, k);

    for (unsigned it = 0; it < run->max_iter; it++) {
        ekm__removal_loss(&c, n, k, loss);
        double best = INFINITY;
        size_t best_x = 0;
        unsigned best_slot = 0;
        for (size_t x = 0; x < n; x++) {
            if (is_med[x])
                continue;
            if (ekm__poll(run, n)) {
                st = EKM_ERR_CANCELLED;
                goto out;
            }
            ekm__swap_deltas(&c, k, ekm_dissim_row(run->dm, x), loss, delta, scratch);
            unsigned slot = 0;
            for (unsigned j = 1; j < k; j++)
                if (delta[j] < delta[slot] || (delta[j] == delta[slot] && med[j] < med[slot]))
                    slot = j;
            if (delta[slot] < best) { /* strict: the smallest x wins a tie */
                best = delta[slot];
                best_x = x;
                best_slot = slot;
            }
        }
        if (!ekm__improves(-best, td))
            break;
        is_med[med[best_slot]] = 0;
        is_med[best_x] = 1;
        med[best_slot] = (uint32_t)best_x;
        td = ekm__caches_swap(&c, run->dm, n, med, k, best_slot);
        run->swaps++;
    }
out:
    ekm__caches_free(&c);
    free(loss);
    free(is_med);
    return st;
}
