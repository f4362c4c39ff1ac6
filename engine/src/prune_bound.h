/* prune_bound.h — lower bounds for the exact branch and bound (private).
 *
 * A node of the search fixes a set F of medoids and allows r more from a list C
 * of candidates; its subtree is every set F ∪ T with T ⊂ C, |T| = r. Its bound
 * is the Lagrangian relaxation of the p-median problem (Cornuéjols, Fisher &
 * Nemhauser 1977) in the closed form Ren, Hua & Cao (NeurIPS 2022) evaluate at
 * every node: for multipliers λ_i >= 0 (one per point),
 *
 *     L(λ) = Σ_i λ_i + Σ_{j∈F} ρ_j + (sum of the r smallest ρ_j over j ∈ C),
 *     ρ_j  = Σ_i min(0, d_ij − λ_i) = Σ_i min(d_ij, λ_i) − Σ_i λ_i,
 *
 * and every set S of the subtree has f(S) >= Σ_i λ_i + Σ_{j∈S} ρ_j >= L(λ).
 * With λ = the distances to the nearest fixed medoid this is the submodularity
 * bound f(F) − (the r largest single-candidate gains); projected subgradient
 * steps tighten it. Σ_i min(d_ij, λ_i) is the EKM min+sum kernel with the
 * prefix vector replaced by λ, one row per candidate.
 *
 * Lazy candidates. Each term of ρ_j is 1-Lipschitz and non-increasing in its
 * λ_i, so ρ_j(λ) >= ρ_j(λ') − Σ_i (λ_i − λ'_i)^+. A node therefore keeps, for
 * its candidates, lower bounds ℓ_j <= ρ_j(λ_ref) sorted ascending; a step at λ
 * evaluates exactly only a prefix of M candidates and bounds the rest by
 * ℓ_j − δ, δ = Σ_i (λ_i − λ_ref,i)^+, widening the prefix until no bounded
 * candidate can be among the r smallest (then L is exact). Children inherit
 * such lower bounds, so a node pays for M rows a step, not |C|.
 *
 * Rounding. Everything runs on the float matrix d~ = fl(d) (d the double
 * dissimilarities of ekm_dissim_exact). ρ_j is summed by its own kernel
 * (prune_kernel.h) to within γ|ρ_j|, γ = ekm__rho_rel_err(N) (about 16u,
 * u = 2^-24), so with R the largest |ρ| behind a node's bounds (`rmax`) a term
 * is off by at most γ(1+2γ)R. A δ, a sum of N non-negative differences of
 * floats in double, is off by at most N·2^-53 of Σλ + Σλ_ref, and a lower bound
 * goes through at most K of them; Σλ and the K+1 terms of a bound are summed
 * in double. With S the largest Σλ involved (`sum_max`), a computed bound is
 * therefore within K·γ(1+2γ)·R + (K²+1)·(N+2)·2^-52·(S+R) of L(λ) on d~;
 * ekm__bound_margin() doubles that. The objective v(S) that best.c compares is
 * the double sum of the N double dissimilarities, so v(S) >= f~(S)/(1+u)·
 * (1 − N·2^-53) >= f~(S)·(1 − u − N·2^-53). Hence a subtree whose computed
 * bound exceeds ekm__prune_threshold(U, margin) =
 * U·(1+EKM_TIE_REL)/(1 − 2u − N·2^-52) + margin holds no set with
 * v(S) <= U·(1+EKM_TIE_REL): once a set of objective U is known, no set in it
 * can be the answer, even through the tie rule.
 *
 * Scale. The float matrix holds d~ = fl(s·d) for a power of two s chosen from
 * the data (dissim.h), so everything above holds with U read as s·U; where
 * the data's dynamic range is wider than float's normal range, an entry may
 * also be off by 2^-150 absolute, so f~(S) <= s·v(S)(1+u)/(1 − N·2^-53) + a,
 * a = N·2^-149 (ekm_dissim_float_abs_err), and the thresholds add a. The
 * incumbent U is always in the objective's own units.
 */
#ifndef EKM_PRUNE_BOUND_H
#define EKM_PRUNE_BOUND_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "dissim_rows.h"
#include "kernel.h"
#include "prune_kernel.h"

/* The float matrix and the kernels, shared read-only by every thread. */
typedef struct ekm__pdata {
    ekm__kernel kern;
    ekm__rho4_fn rho4;
    ekm__minsum_fn minsum;
    const float *base; /* row 0, or NULL: matrix-free (rows computed from `dm`) */
    size_t stride;     /* floats per row (= the padded vector length) */
    uint32_t n;
    unsigned k;
    double scale;   /* the float rows hold fl(d * scale) (dissim.h) */
    double abs_err; /* their absolute error over n terms (ekm_dissim_float_abs_err) */
    const ekm_dissim *dm; /* the rows' source when base is NULL */
} ekm__pdata;

/* Row j of the float matrix: in the matrix, or computed into buf (stride
 * floats) when there is none (the same floats, bit for bit). */
static inline const float *ekm__prow(const ekm__pdata *pd, uint32_t j, float *buf)
{
    if (pd->base)
        return pd->base + (size_t)j * pd->stride;
    ekm__dissim_fill_row(pd->dm, j, buf);
    return buf;
}

/* One thread's rows of the matrix-free form: a scratch of 4 rows and a
 * direct-mapped cache (row j in slot j mod slots), so that the rows the
 * subgradient steps evaluate again and again (the prefix of the best
 * candidates) are computed once. Rows never change: a hit is always exact. */
typedef struct ekm__rowcache {
    float *scratch;  /* 4 × stride */
    float *rows;     /* slots × stride */
    uint32_t *tag;   /* slots: the row held, UINT32_MAX for none */
    ekm__rho_cut cut; /* the skip thresholds of a full pass (ekm__dissim_rho_cut) */
    uint32_t slots;
    size_t stride;
} ekm__rowcache;

/* At most budget bytes of cached rows (at least one slot, at most n). */
int ekm__rowcache_init(ekm__rowcache *c, uint32_t n, size_t stride, size_t budget);
void ekm__rowcache_free(ekm__rowcache *c);
/* Row j, from the cache or computed into it; when its slot is one of
 * busy[0..nbusy) (rows the caller still reads), computed into scratch row t
 * instead. *slot gets the slot used, or UINT32_MAX. */
const float *ekm__rowcache_row(const ekm__pdata *pd, ekm__rowcache *c, uint32_t j, unsigned t,
                               const uint32_t *busy, unsigned nbusy, uint32_t *slot);

/* ρ of rows[0..count) under multipliers lam (stride floats, zero padded):
 * out[j] = Σ_i min(0, d_{rows[j], i} − λ_i), relative error <= ekm__rho_rel_err(n).
 * cache: this thread's rows when pd is matrix-free, else unused (may be NULL). */
void ekm__rho_list(const ekm__pdata *pd, const float *lam, const uint32_t *rows, size_t count,
                   double *out, ekm__rowcache *cache);

/* ekm__rho_list for a pass over many rows that will not be read again soon
 * (every candidate of a node, a rebase): matrix-free, a row the cache does not
 * hold is not computed but its ρ summed straight from the coordinates
 * (ekm__dissim_rho_row: entries far beyond λ skipped, the same float entries,
 * the same error bound), and the cache is left as it was. */
void ekm__rho_list_full(const ekm__pdata *pd, const float *lam, const uint32_t *rows,
                        size_t count, double *out, ekm__rowcache *cache);

/* The absolute rounding margin of a bound whose terms derive from values of
 * magnitude at most rmax under multipliers summing to at most sum_max (see the
 * banner). */
double ekm__bound_margin(const ekm__pdata *pd, double rmax, double sum_max);
/* The value a computed bound must exceed to discard a subtree when the best
 * objective known is `incumbent` (see the banner). */
double ekm__prune_threshold(const ekm__pdata *pd, double incumbent, double margin);
/* The EKM kernel value (relative error ε) a set must not exceed to be
 * re-evaluated: f^ <= f~(1+ε) and f~ <= v(S)(1+u)/(1 − N·2^-53), so every set
 * with v(S) <= incumbent·(1+EKM_TIE_REL) passes. */
double ekm__leaf_threshold(const ekm__pdata *pd, double incumbent);

/* How a node's multipliers are tightened. */
typedef struct ekm__subgrad {
    unsigned max_steps; /* subgradient steps at most */
    unsigned patience;  /* steps without a better bound before the step halves */
    double theta;       /* initial step factor (Polyak: θ (U − L) / |g|^2) */
    double theta_min;   /* stop once the factor falls below it */
    unsigned prefix;    /* candidates evaluated exactly at first (M) */
    uint64_t max_rows;  /* stop after a step once this many rows are spent
                         * (0: no limit); the caller's work budget */
} ekm__subgrad;

/* Scratch of one thread for ekm__bound_optimise (sized for n points, k medoids). */
typedef struct ekm__bound_work {
    float *lam;          /* stride: the multipliers being stepped */
    float *lam_ref;      /* stride: the multipliers of the lower bounds after a rebase */
    double *rho;         /* n: exact ρ of the prefix at the current λ */
    double *rho_fix;     /* k */
    int32_t *cover;      /* n */
    double *dir;         /* n: the deflected step direction */
    uint32_t *sel;       /* k: positions of the r smallest ρ in the prefix */
    uint32_t *rows;      /* k: rows of F ∪ the selected, at the current λ */
    uint32_t *best_rows; /* k: the same at the best λ */
    uint32_t *probed_rows; /* k: the last relaxed solution probed */
    void *pairs;         /* n (ρ, index) pairs for sorting */
    ekm__rowcache cache; /* matrix-free only: rows computed on the fly */
} ekm__bound_work;

/* lazy: the matrix is not stored (the row cache is allocated). */
int ekm__bound_work_init(ekm__bound_work *w, uint32_t n, size_t stride, unsigned k, int lazy);
void ekm__bound_work_free(ekm__bound_work *w);

/* A ρ pass over a list of rows (as ekm__rho_list), possibly shared by several
 * threads (the root's full passes are); NULL means this thread alone. */
typedef void (*ekm__eval_fn)(void *ctx, const float *v, const uint32_t *rows, size_t count,
                             double *out);

/* A node as the optimiser reads it. */
typedef struct ekm__bound_in {
    const uint32_t *fixed;   /* nfixed medoids forced in */
    unsigned nfixed;
    const uint32_t *cand;    /* ncand candidates */
    const double *lower;     /* ncand ascending lower bounds of ρ under lam, or NULL:
                              * none yet (the first step evaluates every candidate) */
    uint32_t ncand;
    unsigned r;              /* medoids to choose from cand, 1 <= r <= ncand */
    const float *lam;        /* stride: the multipliers `lower` refers to; the start */
    double rmax, sum_max;    /* behind the lower bounds (see the banner; 0 when NULL) */
    const float *cap;        /* stride, or NULL: keep λ <= cap, the distances to the
                              * nearest fixed medoid; then every ρ_f (f ∈ F) is 0 and
                              * F's service is exact in the relaxation */
} ekm__bound_in;

/* The optimised node: its candidates re-sorted by lower bounds under its best λ. */
typedef struct ekm__bound_out {
    uint32_t *cand;    /* ncand (the caller's buffer) */
    double *lower;     /* ncand, ascending (the caller's buffer) */
    float *lam;        /* stride: the best multipliers (the caller's buffer) */
    double bound;      /* the best L(λ) found (its rounding margin not included) */
    double base;       /* Σλ + Σ_{j∈F} ρ_j at the best λ */
    double rmax, sum_max; /* behind the output lower bounds (see the banner) */
    double margin;     /* ekm__bound_margin(rmax, sum_max) */
    int closed;        /* 1: the bound passed the threshold: nothing inside can win */
    unsigned steps;    /* subgradient steps made */
    uint64_t rows;     /* kernel rows evaluated */
} ekm__bound_out;

/* What the optimiser may call on the caller's side. */
typedef struct ekm__bound_env {
    ekm__eval_fn full;      /* passes over every candidate (NULL: this thread) */
    void *full_ctx;
    /* A Lagrangian heuristic: offer the relaxed solution (k medoids, in no
     * particular order) as a candidate answer; returns the best objective now
     * known. NULL: none. */
    double (*probe)(void *ctx, const uint32_t *set);
    void *probe_ctx;
    /* After each step: the best bound so far (the matrix's scaled units) and
     * the candidates still stepped. NULL: none. */
    void (*on_step)(void *ctx, double bound, uint32_t active);
    void *step_ctx;
    const atomic_int *cancel; /* may be NULL */
} ekm__bound_env;

/* Tighten the Lagrangian bound of a node by projected subgradient steps
 * (deflected subgradient g_i = 1 − the number of medoids of the relaxed
 * solution with d_ij < λ_i, Polyak step towards U; θ halves after `patience`
 * steps without progress, restarting from the best λ), evaluating candidates
 * lazily (see the banner). Each new relaxed solution is probed (env->probe),
 * which may lower U.
 *   pd: matrix; w: scratch; s: schedule; in: the node; incumbent: U, the best
 *   objective known; out: the result, in the caller's buffers (which must not
 *   alias in's arrays); env: callbacks and the cancel flag.
 * Stops early once the bound exceeds ekm__prune_threshold(U, margin).
 * Returns 0, or 1 when cancelled. */
int ekm__bound_optimise(const ekm__pdata *pd, ekm__bound_work *w, const ekm__subgrad *s,
                        const ekm__bound_in *in, double incumbent, ekm__bound_out *out,
                        const ekm__bound_env *env);

#endif
