/* incumbent_polish.h — a local search that improves the matrix-free start of
 * `pruned` (private).
 *
 * The sampled start picks its medoids among a few thousand points, so on a
 * large input each lies some way from the best point of its cluster; the
 * branch and bound then proves against a weaker incumbent (it sets fewer
 * candidates aside at the root). Polishing swaps a medoid for one of the
 * points nearest to some medoid while that lowers the objective. */
#ifndef EKM_INCUMBENT_POLISH_H
#define EKM_INCUMBENT_POLISH_H

#include <stdint.h>

#include "ekm/dissim.h"
#include "ekm/ekm.h"
#include "ekm/job.h" /* EKM_MAX_K */

/* Best-improvement swaps: each round computes every point's nearest and
 * second-nearest medoid, then for each of the POLISH_NEAR points nearest to
 * each medoid (other medoids excluded) the change of the objective if it
 * replaced each medoid (one row per candidate: FastPAM1's shared and
 * per-medoid terms), and makes the best swap; it stops when no swap gains, or
 * after a bounded number of rounds, or before its rows would pass N/4 (a
 * quarter of one root pass) or 2^26 distances, whichever is more (one round
 * always runs). The swaps are chosen on the float rows;
 * the result replaces med (k) and *obj only if its objective, evaluated in
 * double on every point, is lower than *obj.
 * Returns EKM_OK, EKM_ERR_NOMEM or EKM_ERR_CANCELLED (med and *obj unchanged). */
ekm_status ekm__polish_medoids(const ekm_dissim *dm, unsigned k, uint32_t *med, double *obj,
                               int (*cancelled)(void *ctx), void *ctx);

#endif
