/* heuristic.h — the heuristics users pick instead of an exact solver.
 *
 * PAM (BUILD + SWAP, Kaufman & Rousseeuw 1990), FasterPAM (Schubert & Rousseeuw
 * 2021), CLARANS (Ng & Han 2002) and the alternating Voronoi iteration (Park &
 * Jun 2009). All are deterministic for a seed, work on the float matrix of an
 * ekm_dissim, report the objective recomputed in double and can be cancelled.
 * None of them is exact: a result is a local optimum of its own neighbourhood.
 *
 * Thread safety: ekm_heuristic_run only reads the ekm_dissim (immutable), so
 * any number may run at once on one matrix from different threads.
 */
#ifndef EKM_HEURISTIC_H
#define EKM_HEURISTIC_H

#include "ekm/dissim.h"
#include "ekm/plan.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef struct ekm_heuristic_options {
    unsigned k;
    uint64_t seed;        /* random starts: FasterPAM restarts after the first (BUILD), CLARANS, alternate */
    unsigned restarts;    /* independent starts, the best kept (0 means 1) */
    unsigned max_iter;    /* 0: a generous default */
    unsigned clarans_neighbours; /* CLARANS maxneighbor (0: max(250, 1.25% of k(n-k))) */
    /* Polled now and then from the thread running the heuristic (may be NULL):
     * a non-zero return asks it to stop (EKM_ERR_CANCELLED). A callback, not a
     * flag, so that the header compiles as C++ and the caller picks the
     * synchronisation (e.g. a C11 atomic_int it loads). */
    int (*cancelled)(void *ctx);
    void *cancel_ctx;
} ekm_heuristic_options;


/* Run heuristic `s` (EKM_STRATEGY_PAM .. EKM_STRATEGY_ALTERNATE). medoids_out
 * receives k indices, ascending. *objective gets the double objective,
 * *swaps (may be NULL) the number of improving moves made.
 * Returns EKM_ERR_CANCELLED when cancelled, EKM_ERR_INVALID for bad k. */
ekm_status ekm_heuristic_run(const ekm_dissim *dm, ekm_strategy s,
                             const ekm_heuristic_options *opt, uint32_t *medoids_out,
                             double *objective, uint64_t *swaps, ekm_error *err);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
