/* estimate.c — the run-time estimate of an exact run (see estimate.h). */
#include "common/estimate.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The walk re-checks in double a set whose float objective is within this
 * relative error of its incumbent (engine/src/kernel.h, EKM_KERNEL_REL_ERR). */
static const double recheck_window = 128.0 / 16777216.0;

void estimate_walk_cost(size_t n, unsigned k, double *passes, double *calls)
{
    if (k == 0 || n < k) {
        *passes = 1;
        *calls = 0;
        return;
    }
    /* c_l = C(N-K+l, l): the prefixes of l points that leave room for the rest;
     * c_K = C(N,K) */
    double c = 1, prefixes = 0, m = (double)(n - k);
    for (unsigned l = 1; l < k; l++) {
        c = c * (m + l) / l;
        prefixes += c;
    }
    double all = c * (m + k) / k;
    *passes = 1 + prefixes / all;
    *calls = k == 1 ? 1.0 / (double)n : (double)k / (double)n; /* C(N-1,K-1) / C(N,K) */
}

/* xorshift64*: a fixed sequence, so that the same data gives the same estimate. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* The share of random K-subsets whose objective is within the re-check window of
 * the smallest sampled: 0 when only that one is (values spread out), near 1 when
 * most sets have the same objective. */
static double sample_recheck(const ekm_dissim *dm, unsigned k)
{
    size_t n = ekm_dissim_n(dm);
    if (k == 0 || k > EKM_MAX_K || n < k || n > UINT32_MAX)
        return 0;
    /* a sample set costs k*n dissimilarities, each d coordinates (1 for a matrix) */
    const ekm_dataset *ds = ekm_dissim_dataset(dm);
    double d = ds ? (double)ekm_dataset_d(ds) : 1.0;
    double budget = 2e6 / ((double)k * (double)n * d);
    if (budget < 16)
        return 0; /* too costly to sample: assume values spread out */
    int samples = budget > 512 ? 512 : (int)budget;
    double values[512], best = INFINITY;
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    uint32_t set[EKM_MAX_K];
    for (int s = 0; s < samples; s++) {
        for (unsigned i = 0; i < k; i++) { /* distinct points, by rejection (k <= 64) */
            uint32_t p;
            int dup;
            do {
                p = (uint32_t)(next_random(&seed) % n);
                dup = 0;
                for (unsigned j = 0; j < i; j++)
                    dup |= set[j] == p;
            } while (dup);
            set[i] = p;
        }
        values[s] = ekm_dissim_objective(dm, set, k);
        if (values[s] < best)
            best = values[s];
    }
    if (!isfinite(best))
        return 0;
    int near = 0;
    for (int s = 0; s < samples; s++)
        near += values[s] <= best + fabs(best) * recheck_window;
    return near > 1 ? (double)near / samples : 0;
}

void estimate_run(const ekm_dissim *dm, size_t n, const ekm_solve_options *opt,
                  double remaining, run_estimate *e)
{
    memset(e, 0, sizeof *e);
    e->n = n;
    e->k = opt->k;
    if (!ekm_strategy_is_exact(opt->strategy) || opt->strategy == EKM_STRATEGY_PRUNED)
        return; /* work not known in advance */
    ekm_plan *plan;
    if (ekm_solve_plan(n, opt, &plan, NULL))
        return; /* the job's start reports the problem */
    if (!(remaining > 0) || remaining > 1)
        remaining = 1;
    double calls;
    estimate_walk_cost(n, opt->k, &e->passes, &calls);
    e->threads = plan->threads;
    e->subsets = (double)plan->total * remaining;
    double dn = (double)n, pad = (double)((n + 15) / 16 * 16); /* a row's floats */
    double per_subset = dn / ESTIMATE_EVAL_RATE + (e->passes - 1) * pad / ESTIMATE_PREFIX_RATE +
                        calls * ESTIMATE_CALL_SECONDS;
    double per_recheck = (double)opt->k * dn / ESTIMATE_CHECK_RATE;
    /* sample the re-check share only when it could make the whole run long */
    if (dm && plan->makespan * (per_subset + per_recheck) > ESTIMATE_LONG_SECONDS)
        e->recheck = sample_recheck(dm, opt->k);
    e->seconds = plan->makespan * remaining * (per_subset + e->recheck * per_recheck);
    e->known = isfinite(e->seconds) && e->seconds >= 0;
    ekm_plan_free(plan);
}

int estimate_is_long(const run_estimate *e)
{
    return e->known && e->seconds > ESTIMATE_LONG_SECONDS;
}

void estimate_describe(const run_estimate *e, char *buf, size_t size)
{
    if (!e->known) {
        snprintf(buf, size, "no estimate (its work is not known in advance)");
        return;
    }
    char checks[80] = "";
    if (e->recheck >= 0.5)
        snprintf(checks, sizeof checks, ", most re-checked in double (many equal objectives)");
    else if (e->recheck > 0)
        snprintf(checks, sizeof checks, ", %.0f%% re-checked in double (equal objectives)",
                 100 * e->recheck);
    snprintf(buf, size,
             "about %.1f hours estimated (%.3g K-subsets x %zu points, ~%.2f passes over the "
             "points each%s, on %u thread%s)",
             e->seconds / 3600, e->subsets, e->n, e->passes, checks, e->threads, e->threads == 1 ? "" : "s");
}

int estimate_long(const ekm_dissim *dm, const ekm_solve_options *opt, double remaining,
                  char *what, size_t size)
{
    run_estimate est;
    estimate_run(dm, ekm_dissim_n(dm), opt, remaining, &est);
    if (!estimate_is_long(&est))
        return 0;
    estimate_describe(&est, what, size);
    return 1;
}
