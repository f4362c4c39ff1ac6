/* prune_warm.c — the root's multipliers started from a sample's (prune_warm.h). */
#include "prune_warm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dissim_rows.h"
#include "ekm/dataset.h"
#include "ekm/job.h" /* EKM_MAX_K */
#include "rng.h"

enum { WARM_SAMPLE = 4096 };

uint32_t ekm__warm_min_n = 32768;

/* The sample's indices into the data (m of them, the k medoids first). */
static void draw_sample(uint32_t n, const uint32_t *med, unsigned k, uint32_t m, uint64_t seed,
                        uint32_t *idx, uint32_t *pick)
{
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    ekm__rng r;
    ekm__rng_seed(&r, seed);
    for (unsigned t = 0; t < k; t++) /* the medoids, at the front */
        pick[t] = med[t];
    uint32_t got = k, i = 0;
    while (got < m) { /* a partial Fisher-Yates shuffle, skipping the medoids */
        uint32_t j = i + (uint32_t)ekm__rng_below(&r, n - i);
        uint32_t v = idx[j];
        idx[j] = idx[i];
        idx[i++] = v;
        int is_med = 0;
        for (unsigned t = 0; t < k; t++)
            is_med |= med[t] == v;
        if (!is_med)
            pick[got++] = v;
    }
}

/* The sample's root: its multipliers from the medoid distances, optimised as
 * the full root's are. lam_s (the sample's stride) holds the result in the
 * sample's scaled units. Returns 0, 1 when cancelled, -1 on no memory. */
static int sample_root(const ekm__pdata *pd, ekm_dissim *sdm, unsigned k, float *lam_s,
                       const atomic_int *cancel)
{
    uint32_t m = (uint32_t)ekm_dissim_n(sdm);
    size_t stride = ekm_dissim_stride(sdm);
    ekm__pdata sp = {.kern = pd->kern, .rho4 = pd->rho4, .minsum = pd->minsum, .base = NULL,
                     .stride = stride, .n = m, .k = k, .scale = ekm_dissim_float_scale(sdm),
                     .abs_err = ekm_dissim_float_abs_err(sdm), .dm = sdm};
    uint32_t set[EKM_MAX_K];
    for (unsigned t = 0; t < k; t++)
        set[t] = t;
    float *row = aligned_alloc(64, stride * sizeof *row);
    float *start = aligned_alloc(64, stride * sizeof *start);
    uint32_t *cand = malloc((size_t)m * sizeof *cand);
    uint32_t *sorted = malloc((size_t)m * sizeof *sorted);
    double *lower = malloc((size_t)m * sizeof *lower);
    ekm__bound_work w;
    int rc = -1, have_w = ekm__bound_work_init(&w, m, stride, k, 1) == 0;
    if (!row || !start || !cand || !sorted || !lower || !have_w)
        goto out;
    for (size_t i = 0; i < stride; i++)
        start[i] = i < m ? FLT_MAX : 0.0f;
    for (unsigned t = 0; t < k; t++) {
        ekm__dissim_fill_row(sdm, t, row);
        pd->kern.vmin(start, start, row, stride);
    }
    for (uint32_t j = 0; j < m; j++)
        cand[j] = j;
    ekm__subgrad sched = {.max_steps = 600, .patience = 40, .theta = 1.0, .theta_min = 1e-4,
                          .prefix = 64, .max_rows = 0};
    ekm__bound_in in = {NULL, 0, cand, NULL, m, k, start, 0.0, 0.0, NULL};
    ekm__bound_out out = {.cand = sorted, .lower = lower, .lam = lam_s};
    ekm__bound_env env = {NULL, NULL, NULL, NULL, NULL, NULL, cancel};
    rc = ekm__bound_optimise(&sp, &w, &sched, &in, ekm_dissim_objective(sdm, set, k), &out, &env);
out:
    if (have_w)
        ekm__bound_work_free(&w);
    free(row);
    free(start);
    free(cand);
    free(sorted);
    free(lower);
    return rc;
}

int ekm__warm_multipliers(const ekm__pdata *pd, const uint32_t *med, uint64_t seed, float *lam,
                          const atomic_int *cancel)
{
    uint32_t n = pd->n, m = n / 8 < WARM_SAMPLE ? n / 8 : WARM_SAMPLE;
    unsigned k = pd->k;
    if (pd->base || n < ekm__warm_min_n || m <= k)
        return 0;
    ekm_dataset *ds = ekm_dissim_dataset(pd->dm);
    size_t d = ekm_dataset_d(ds);
    uint32_t *idx = malloc((size_t)n * sizeof *idx), *pick = malloc((size_t)m * sizeof *pick);
    uint32_t *who = malloc((size_t)n * sizeof *who);
    float *near = malloc((size_t)n * sizeof *near), *row = aligned_alloc(64, pd->stride * sizeof *row);
    double *x = malloc((size_t)m * d * sizeof *x), *excess = malloc((size_t)m * sizeof *excess);
    float *lam_s = NULL;
    ekm_dataset *sub = NULL;
    ekm_dissim *sdm = NULL;
    ekm_error err;
    int rc = -1;
    if (!idx || !pick || !who || !near || !row || !x || !excess)
        goto out;
    draw_sample(n, med, k, m, seed, idx, pick);
    for (uint32_t a = 0; a < m; a++)
        memcpy(x + (size_t)a * d, ekm_dataset_point(ds, pick[a]), d * sizeof *x);
    if (ekm_dataset_from_points("warm sample", m, d, x, NULL, &sub, &err) ||
        ekm_dissim_from_dataset_lazy(sub, ekm_dissim_metric(pd->dm), &sdm, &err))
        goto out;
    lam_s = aligned_alloc(64, ekm_dissim_stride(sdm) * sizeof *lam_s);
    if (!lam_s)
        goto out;
    rc = sample_root(pd, sdm, k, lam_s, cancel);
    if (rc)
        goto out;
    /* the sample's excess over its medoid distances, in the data's units */
    double to_full = pd->scale / ekm_dissim_float_scale(sdm);
    for (uint32_t a = 0; a < m; a++)
        excess[a] = (double)lam_s[a] * to_full - (double)lam[pick[a]];
    /* every point's nearest sample point */
    for (uint32_t i = 0; i < n; i++) {
        near[i] = FLT_MAX;
        who[i] = 0;
    }
    for (uint32_t a = 0; a < m; a++) {
        if (cancel && atomic_load_explicit(cancel, memory_order_relaxed)) {
            rc = 1;
            goto out;
        }
        ekm__dissim_fill_row(pd->dm, pick[a], row);
        for (uint32_t i = 0; i < n; i++)
            if (row[i] < near[i]) {
                near[i] = row[i];
                who[i] = a;
            }
    }
    for (uint32_t i = 0; i < n; i++) {
        double v = (double)lam[i] + excess[who[i]];
        lam[i] = v <= 0.0 ? 0.0f : v >= FLT_MAX ? FLT_MAX : (float)v;
    }
out:
    ekm_dissim_release(sdm);
    ekm_dataset_release(sub);
    free(idx);
    free(pick);
    free(who);
    free(near);
    free(row);
    free(x);
    free(excess);
    free(lam_s);
    return rc;
}
