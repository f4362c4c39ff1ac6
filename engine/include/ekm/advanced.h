/* advanced.h — the knobs for splitting one exact run across processes (ekm-mpi)
 * and for resuming it: not needed to solve, checkpoint or resume on one machine.
 *
 * The fields they act on live in ekm_solve_options (job.h), a value type the
 * caller fills by hand; leave them zero (ekm_solve_options_default() does):
 *   resume              continue a checkpoint's finished work (checkpoint.h)
 *   unit_lo, unit_hi    run only the work units [unit_lo, unit_hi) (unit_hi 0: all);
 *                       the result is then not the answer (exact = 0)
 *   root_only           pruned: stop once the root is ready (for its checkpoint)
 *   rho_pass, rho_pass_ctx
 *                       pruned: the root's full passes (ρ of every candidate under
 *                       the multipliers, O(N²) each) are handed to rho_pass instead
 *                       of the job's threads, so that the caller can share them out
 *                       (ekm-mpi: each rank sums the ρ of its own block of candidate
 *                       columns with ekm_dissim_rho); NULL: the job's threads
 * This header adds the query a dispatcher needs to cut a plan into unit ranges.
 */
#ifndef EKM_ADVANCED_H
#define EKM_ADVANCED_H

#include "ekm/job.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

/* The unit ranges of a job's plan, without running it: units in all and the
 * first unit of each stage (stage s owns [first[s], first[s+1])); first has
 * n_stages + 1 entries. threads 0 means the number of cores, as for a job.
 * Not for pruned (its units exist after the root phase): EKM_ERR_INVALID. */
ekm_status ekm_plan_units(size_t n, unsigned k, const ekm_solve_options *opt, uint64_t *units,
                          uint64_t *first, int max_stages, int *n_stages, ekm_error *err);

/* Rows of a matrix-free dm kept between calls of ekm_dissim_rho: at most `bytes`
 * of them (at least one row); the first rows asked for keep their places, so a
 * caller that always sums the same block of candidates keeps that block (when it
 * fits) and pays for each of its rows once. NULL if out of memory. Free with
 * ekm_rho_cache_free (NULL is fine). One call at a time per cache. */
typedef struct ekm_rho_cache ekm_rho_cache;
ekm_rho_cache *ekm_rho_cache_new(const ekm_dissim *dm, size_t bytes);
void ekm_rho_cache_free(ekm_rho_cache *cache);

/* The Lagrangian ρ of candidate medoids: out[j] = Σ_i min(0, d~(rows[j], i) − lam[i])
 * over the n points, d~ the float rows of dm (ekm_dissim_row, or computed from the
 * coordinates when dm has no matrix), summed in double on `threads` threads (0: the
 * cores), within the engine's error bound of the exact sum. lam has n entries
 * (ekm_dissim_n). cache: NULL, or one made for dm (ekm_rho_cache_new; unused when
 * dm has the matrix). This is the work of a pruned root's full pass (rho_pass
 * above), for any subset of the candidates. EKM_ERR_INVALID for a row out of range
 * or a cache of other data, EKM_ERR_NOMEM. */
ekm_status ekm_dissim_rho(const ekm_dissim *dm, ekm_rho_cache *cache, const float *lam,
                          const uint32_t *rows, size_t count, double *out, unsigned threads,
                          ekm_error *err);

/* Check ck's pruned root against dm as resuming it does (its bounds recomputed
 * from its multipliers: one full ρ pass, here on `threads` threads, 0: the cores),
 * once: a job that resumes ck on the same data afterwards skips that pass (a
 * dispatcher's tasks all resume one root). A checkpoint a job made is already
 * known good on that job's data; one decoded or loaded is not. EKM_OK (also for
 * a checkpoint without a root), EKM_ERR_INVALID with the reason (other data, a
 * root that does not hold), EKM_ERR_NOMEM. */
ekm_status ekm_checkpoint_verify(struct ekm_checkpoint *ck, const ekm_dissim *dm,
                                 unsigned threads, ekm_error *err);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
