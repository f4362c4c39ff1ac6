/* estimate.h — how long an exact run should take, before it starts: the one
 * estimate behind the batch warning (`ekm solve`, `ekm resume`) and the REPL's
 * question (`run`, `resume`: asked on a terminal, refused in a script without --yes).
 *
 * The work is counted as the walk does it (engine/src/walk.c): each K-subset is
 * one N-point min+sum at the last level; above it, each prefix of 1..K-1 chosen
 * points is one N-point min update (sum over l of C(N-K+l, l) of them, about K/(N-K)
 * per K-subset when K is large: K=64 of N=70 costs ~10 passes over N per subset,
 * K=3 of N=150 ~1); each last-level call has a fixed overhead. A set whose float
 * objective is within the kernel's error of the incumbent is re-checked in double
 * (K x N): on data with many equal objectives (lattices, duplicates, K close to
 * N) that is nearly every set and dominates. Its share is measured on a sample
 * of random K-subsets of the data. The busiest thread's share of the work is the
 * plan's makespan.
 *
 * pruned (its work depends on its bounds) and the heuristics have no estimate:
 * unknown, never "long". */
#ifndef EKM_UI_ESTIMATE_H
#define EKM_UI_ESTIMATE_H

#include <stddef.h>

#include "ekm/job.h"

/* Point operations per second on one thread, measured on a 2-core AMD EPYC (the
 * machine of EKM_NOMINAL_RATE): the last level's AVX2 min+sum, the prefix min
 * updates (a deeper, store-bound loop), a last-level call's overhead, and the
 * double re-check of a set (ekm_dissim_objective, K x N). */
#define ESTIMATE_EVAL_RATE EKM_NOMINAL_RATE
#define ESTIMATE_PREFIX_RATE 6e9
#define ESTIMATE_CALL_SECONDS 10e-9
#define ESTIMATE_CHECK_RATE 1.3e8

/* A run longer than this is asked about (REPL) or warned about (batch). */
#define ESTIMATE_LONG_SECONDS 3600.0

typedef struct run_estimate {
    int known;           /* 0: no estimate (pruned, heuristics, a plan that cannot be built) */
    double seconds;      /* the run's estimated wall time on its threads */
    double subsets;      /* K-subsets left to evaluate (all of them x remaining) */
    double passes;       /* N-point passes per K-subset: 1 + the prefix updates */
    double recheck;      /* share of the K-subsets expected to be re-checked in double */
    size_t n;
    unsigned k;
    unsigned threads;    /* the plan's threads */
} run_estimate;

/* Per K-subset of N points, the walk's N-point passes (1 + its prefix updates) and
 * last-level calls (both averaged over all C(N,K) subsets). */
void estimate_walk_cost(size_t n, unsigned k, double *passes, double *calls);

/* Estimate a run of opt on n points, `remaining` (0..1] of its work still to do
 * (1 for a new run). dm (may be NULL: no re-checks counted) is the data, sampled
 * for equal objectives. Never fails: e->known says whether there is an estimate. */
void estimate_run(const ekm_dissim *dm, size_t n, const ekm_solve_options *opt,
                  double remaining, run_estimate *e);

/* 1 when the estimate is known and over ESTIMATE_LONG_SECONDS. */
int estimate_is_long(const run_estimate *e);

/* Whether the run of opt on dm (`remaining` of its work left) is long: 1 with its
 * description (estimate_describe) in what, else 0. What the batch commands warn
 * about and the REPL asks about. */
int estimate_long(const ekm_dissim *dm, const ekm_solve_options *opt, double remaining,
                  char *what, size_t size);

/* "about 1.3 hours estimated (1.31e+08 K-subsets x 70 points, ~10 passes over the
 * points each, most re-checked in double (many equal objectives), on 1 thread)". */
void estimate_describe(const run_estimate *e, char *buf, size_t size);

#endif
