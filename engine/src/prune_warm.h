/* prune_warm.h — a warm start for the multipliers of a large root (private).
 *
 * The root's Lagrangian bound starts from λ_i = the distance of point i to the
 * incumbent's nearest medoid (the submodularity bound, some 20% below the
 * optimum on clustered data) and needs a dozen full passes over every
 * candidate before its bound lets it set candidates aside. On a random sample
 * of a few thousand points (the incumbent's medoids among them) the same
 * optimisation costs little, and the sample's multipliers tell how far above
 * its medoid distance each region's λ should sit: each point gets
 * λ_i = d(i, medoids) + (λ^s_a − d(a, medoids)), a its nearest sample point.
 * Any λ >= 0 gives a valid bound; this only chooses where the steps start. */
#ifndef EKM_PRUNE_WARM_H
#define EKM_PRUNE_WARM_H

#include <stdatomic.h>
#include <stdint.h>

#include "prune_bound.h"

/* The points from which a matrix-free root starts warm (32768: below, its own
 * passes are cheap); the tests lower it to run small inputs through it. Read
 * by the solver's threads, so set it only while no job runs. */
extern uint32_t ekm__warm_min_n;

/* pd: the full data (matrix-free: nothing is done with the matrix); med: the
 * incumbent's pd->k medoids; seed: the sample's; lam (pd->stride): in, the
 * medoid distances; out, the warm start. The sample holds min(4096, N/8)
 * points; nothing is done when N < ekm__warm_min_n or that is not more than
 * K. Returns 0 (lam changed or not), 1 when cancelled, or -1 on no memory
 * (lam unchanged for both). */
int ekm__warm_multipliers(const ekm__pdata *pd, const uint32_t *med, uint64_t seed, float *lam,
                          const atomic_int *cancel);

#endif
