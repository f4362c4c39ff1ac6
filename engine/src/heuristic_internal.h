/* heuristic_internal.h — what the heuristics (heuristic_*.c) share: the
 * per-run context with its cancellation poll, the improvement threshold, the
 * nearest/second-nearest medoid caches and the swap-gain kernel.
 *
 * Nothing here is global: every run owns an ekm__hrun and its buffers.
 */
#ifndef EKM_HEURISTIC_INTERNAL_H
#define EKM_HEURISTIC_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "ekm/heuristic.h"
#include "rng.h"

/* The seeded generator (xoshiro256** through splitmix64) is the engine's
 * shared one, rng.h: an explicit state passed around, no global. */

/* ---- one run of one heuristic ---- */

/* Work units (point evaluations) between two looks at the cancel flag: about a
 * millisecond of work at a few 1e8..1e9 evaluations per second. */
#define EKM__POLL_UNITS ((uint64_t)1 << 20)

typedef struct ekm__hrun {
    const ekm_dissim *dm;
    size_t n;
    unsigned k;
    unsigned max_iter;       /* resolved (never 0) */
    unsigned neighbours;     /* CLARANS maxneighbor, resolved (never 0) */
    int (*cancelled)(void *ctx); /* may be NULL */
    void *cancel_ctx;
    uint64_t budget;         /* work units left before the next look at cancel */
    unsigned restart;        /* index of this start, 0 .. restarts - 1 */
    ekm__rng rng;            /* seeded from seed + restart */
    uint64_t swaps;          /* improving moves made by this run */
} ekm__hrun;

/* Count `units` of work; every EKM__POLL_UNITS look at the cancel flag.
 * Returns true when the run must stop. */
static inline bool ekm__poll(ekm__hrun *run, uint64_t units)
{
    if (run->budget > units) {
        run->budget -= units;
        return false;
    }
    run->budget = EKM__POLL_UNITS;
    return run->cancelled && run->cancelled(run->cancel_ctx) != 0;
}

/* The improvement threshold shared by every heuristic.
 *
 * All gains are computed in double from the float matrix: every term of a gain
 * is a difference of two floats, which a double holds exactly, so a gain is the
 * exact change of the float objective up to the double rounding of the sum
 * (about 1e-16 relative). Accepting a move only when the gain exceeds
 * 1e-7 * |objective| therefore (a) rejects moves whose "gain" is only summation
 * noise — with exact ties on duplicated points a zero-gain swap can come out as
 * +1e-17 and two equivalent medoid sets would then be swapped back and forth
 * forever — and (b) makes every accepted move lower the objective by a fixed
 * positive amount, so the search terminates. 1e-7 is about the float epsilon
 * (6e-8): differences smaller than that are below the precision of the matrix
 * itself and are not worth a move. */
#define EKM__REL_EPS 1e-7

static inline bool ekm__improves(double gain, double objective)
{
    return gain > EKM__REL_EPS * fabs(objective);
}

/* ---- nearest / second-nearest caches (FastPAM1, FasterPAM, CLARANS) ---- */

typedef struct ekm__caches {
    size_t stride;  /* entries allocated: the matrix row stride; the padding is 0 */
    uint32_t *near; /* slot (index into the medoid array) of the nearest medoid */
    uint32_t *sec;  /* slot of the second nearest (UINT32_MAX when k == 1) */
    float *dn;      /* distance to the nearest medoid */
    float *ds;      /* distance to the second nearest (+inf when k == 1) */
} ekm__caches;

ekm_status ekm__caches_alloc(ekm__caches *c, size_t n, size_t stride);
void ekm__caches_free(ekm__caches *c);

/* Fill the caches for the medoids med[k]; returns the float objective (sum of
 * dn in double). Ties keep the earlier slot as nearest. */
double ekm__caches_init(ekm__caches *c, const ekm_dissim *dm, size_t n, const uint32_t *med,
                        unsigned k);

/* Update the caches after med[slot] was replaced (med already holds the new
 * medoid); returns the new float objective. */
double ekm__caches_swap(ekm__caches *c, const ekm_dissim *dm, size_t n, const uint32_t *med,
                        unsigned k, unsigned slot);

/* loss[k]: the removal loss of each medoid, sum over its points of ds - dn. */
void ekm__removal_loss(const ekm__caches *c, size_t n, unsigned k, double *loss);

/* The FastPAM1 / FasterPAM swap kernel: delta[i] receives the change of the
 * float objective if medoid slot i is replaced by the point whose (padded)
 * matrix row is `row`. scratch holds 4*k doubles. */
void ekm__swap_deltas(const ekm__caches *c, unsigned k, const float *row, const double *loss,
                      double *delta, double *scratch);

/* The state of a swap search (PAM, FasterPAM) around the medoids med[k]: the
 * caches, per-slot buffers and the medoid flags (heuristic_swap.c). */
typedef struct ekm__swap {
    ekm__caches c;
    double *loss, *delta, *scratch; /* k, k and 4k entries */
    unsigned char *is_med;          /* n flags */
    double td;                      /* the float objective of med */
} ekm__swap;

ekm_status ekm__swap_init(ekm__swap *s, const ekm__hrun *run, const uint32_t *med);
void ekm__swap_free(ekm__swap *s);
/* Fill s->delta for swapping point x in and return the best slot to swap out
 * (ties: the medoid with the smallest point index). */
unsigned ekm__swap_best_slot(ekm__swap *s, const ekm__hrun *run, const uint32_t *med, size_t x);
/* Replace med[slot] by x and update the caches, flags and objective (not loss). */
void ekm__swap_apply(ekm__swap *s, const ekm__hrun *run, uint32_t *med, unsigned slot, size_t x);

/* ---- initialisations ---- */

/* PAM's BUILD (greedy); med[k] receives the medoids in the order chosen. */
ekm_status ekm__build(ekm__hrun *run, uint32_t *med);
/* k distinct points uniformly at random from run->rng. */
ekm_status ekm__random_medoids(ekm__hrun *run, uint32_t *med);

/* ---- the heuristics: med[k] receives the medoids (any order) ---- */

ekm_status ekm__pam(ekm__hrun *run, uint32_t *med);
ekm_status ekm__fasterpam(ekm__hrun *run, uint32_t *med);
ekm_status ekm__clarans(ekm__hrun *run, uint32_t *med);
ekm_status ekm__alternate(ekm__hrun *run, uint32_t *med);

#endif
