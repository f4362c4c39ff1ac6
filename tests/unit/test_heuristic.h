/* test_heuristic.h — what the test_heuristic_* tests share.
 * PAM, FasterPAM, CLARANS and the alternating heuristic on
 * many seeded small cases (uniform, clustered, integer grids with duplicated
 * points and exact ties; euclidean, sqeuclidean and manhattan computed here),
 * checked against references written here: a brute force over all K-subsets,
 * a slow obviously-correct PAM (objective recomputed from scratch for every
 * candidate), the swap-neighbourhood local-optimum property and the
 * 1-medoid property of the alternating result. Also determinism, restarts,
 * cancellation (before and during a run) and refused options. */
#ifndef TEST_HEURISTIC_H
#define TEST_HEURISTIC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ekm/dissim.h"
#include "ekm/heuristic.h"
#include "heuristic_internal.h" /* one start of one heuristic, to check restarts */

/* The improvement threshold of the engine (heuristic_internal.h, EKM__REL_EPS):
 * the reference PAM must use the same rule to make the same decisions. */
#define PAM_REL_EPS 1e-7
/* Tolerance of the local-optimum checks in double: the engine decides on the
 * float matrix (each entry within 6e-8 relative of the double) with the
 * threshold above, so no swap can look better than ~3e-7 relative in double. */
#define LOCAL_TOL 1e-6

/* ---- the test's own random numbers (independent of the engine's) ---- */

static uint64_t rnd_state;
static inline uint64_t rnd_next(void)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static inline double rnd_unit(void) { return (double)(rnd_next() >> 11) * 0x1.0p-53; }
static inline unsigned rnd_below(unsigned b) { return (unsigned)(rnd_next() % b); }
static inline double rnd_normal(void)
{
    double u = rnd_unit(), v = rnd_unit();
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- data and the test's own dissimilarities ---- */

typedef enum { DATA_UNIFORM, DATA_CLUSTERED, DATA_GRID, DATA_BLOBS, DATA_KINDS } data_kind;
static const char *const kind_name[] = {"uniform", "clustered", "grid", "blobs"};
static const ekm_metric metrics[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                      EKM_METRIC_MANHATTAN};

typedef struct tcase {
    size_t n;
    unsigned d;
    ekm_metric metric;
    data_kind kind;
    double *x;   /* n*d */
    double *D;   /* n*n, double, computed here */
    float *F;    /* n*n, the float values the engine works on */
    ekm_dissim *dm;
    char label[96];
} tcase;

static inline double distance(ekm_metric m, const double *a, const double *b, unsigned d)
{
    double s = 0;
    for (unsigned j = 0; j < d; j++) {
        double t = a[j] - b[j];
        s += m == EKM_METRIC_MANHATTAN ? fabs(t) : t * t;
    }
    return m == EKM_METRIC_EUCLIDEAN ? sqrt(s) : s;
}

/* Points of kind `kind`; for DATA_BLOBS, `blobs` groups far apart. */
static inline void make_points(tcase *t, unsigned blobs)
{
    size_t n = t->n;
    unsigned d = t->d;
    t->x = malloc(n * d * sizeof *t->x);
    assert_non_null(t->x);
    double centres[8][3];
    unsigned nc = t->kind == DATA_BLOBS ? blobs : 1 + rnd_below(4);
    unsigned grid = 2 + rnd_below(3); /* 2..4 values per axis: from 2 to 16 distinct points */
    for (unsigned c = 0; c < nc; c++)
        for (unsigned j = 0; j < d; j++)
            centres[c][j] = t->kind == DATA_BLOBS ? 100.0 * c + (j ? 37.0 * (c % 3) : 0)
                                                  : 10.0 * rnd_unit();
    for (size_t i = 0; i < n; i++)
        for (unsigned j = 0; j < d; j++) {
            double *v = &t->x[i * d + j];
            switch (t->kind) {
            case DATA_UNIFORM: *v = rnd_unit(); break;
            case DATA_CLUSTERED: *v = centres[i % nc][j] + rnd_normal(); break;
            case DATA_GRID: *v = (double)rnd_below(grid); break; /* duplicates and ties */
            case DATA_BLOBS: *v = centres[i % nc][j] + rnd_unit(); break;
            default: break;
            }
        }
}

static inline void case_finish(tcase *t)
{
    size_t n = t->n;
    t->D = malloc(n * n * sizeof *t->D);
    t->F = malloc(n * n * sizeof *t->F);
    assert_non_null(t->D);
    assert_non_null(t->F);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double v = distance(t->metric, t->x + i * t->d, t->x + j * t->d, t->d);
            if (j < i)
                v = t->D[j * n + i]; /* bitwise symmetric */
            t->D[i * n + j] = v;
            t->F[i * n + j] = (float)v;
        }
    ekm_error err;
    assert_int_equal(ekm_dissim_from_matrix(t->label, n, t->D, &t->dm, &err), EKM_OK);
}

static inline void case_make(tcase *t, size_t n, data_kind kind, ekm_metric metric, unsigned blobs)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    t->d = kind == DATA_GRID ? 1 + rnd_below(2) : 1 + rnd_below(3);
    t->kind = kind;
    t->metric = metric;
    snprintf(t->label, sizeof t->label, "%s/%s/n=%zu/d=%u", kind_name[kind],
             ekm_metric_name(metric), n, t->d);
    make_points(t, blobs);
    case_finish(t);
}

static inline void case_free(tcase *t)
{
    ekm_dissim_release(t->dm);
    free(t->x);
    free(t->D);
    free(t->F);
}

/* ---- objectives computed here ---- */

static inline double obj_double(const tcase *t, const uint32_t *med, unsigned k)
{
    double s = 0;
    for (size_t o = 0; o < t->n; o++) {
        double b = INFINITY;
        for (unsigned j = 0; j < k; j++)
            if (t->D[o * t->n + med[j]] < b)
                b = t->D[o * t->n + med[j]];
        s += b;
    }
    return s;
}

/* The objective on the float values, summed in double (what the engine decides on). */
static inline double obj_float(const tcase *t, const uint32_t *med, unsigned k)
{
    double s = 0;
    for (size_t o = 0; o < t->n; o++) {
        float b = INFINITY;
        for (unsigned j = 0; j < k; j++)
            if (t->F[o * t->n + med[j]] < b)
                b = t->F[o * t->n + med[j]];
        s += b;
    }
    return s;
}

static inline bool contains(const uint32_t *med, unsigned k, uint32_t p)
{
    for (unsigned j = 0; j < k; j++)
        if (med[j] == p)
            return true;
    return false;
}

static inline int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* ---- brute force over all K-subsets (depth first, nearest distances kept per level) ---- */

static inline void brute_rec(const tcase *t, unsigned k, unsigned depth, size_t from,
                             double *near, double *best)
{
    size_t n = t->n;
    double *cur = near + depth * n, *next = near + (depth + 1) * n;
    for (size_t c = from; c + (k - depth) <= n; c++) {
        const double *row = t->D + c * n;
        if (depth + 1 == k) {
            double s = 0;
            for (size_t o = 0; o < n; o++)
                s += row[o] < cur[o] ? row[o] : cur[o];
            if (s < *best)
                *best = s;
        } else {
            for (size_t o = 0; o < n; o++)
                next[o] = row[o] < cur[o] ? row[o] : cur[o];
            brute_rec(t, k, depth + 1, c + 1, near, best);
        }
    }
}

static inline double brute_optimum(const tcase *t, unsigned k)
{
    double *near = malloc((k + 1) * t->n * sizeof *near);
    assert_non_null(near);
    for (size_t o = 0; o < t->n; o++)
        near[o] = INFINITY;
    double best = INFINITY;
    brute_rec(t, k, 0, 0, near, &best);
    free(near);
    return best;
}

/* ---- the slow reference PAM: every objective recomputed from scratch ---- */

/* BUILD: add the point that gives the lowest objective (ties: smallest index),
 * k times. SWAP: among all (medoid m, non-medoid h), the swap giving the lowest
 * objective (ties: smallest h, then smallest m); made while it lowers the
 * objective by more than PAM_REL_EPS relative. Float values, sums in double. */
static inline void reference_build(const tcase *t, unsigned k, uint32_t *med)
{
    size_t n = t->n;
    for (unsigned j = 0; j < k; j++) {
        double best = INFINITY;
        uint32_t arg = 0;
        for (uint32_t c = 0; c < n; c++) {
            if (contains(med, j, c))
                continue;
            med[j] = c;
            double v = obj_float(t, med, j + 1);
            if (v < best) {
                best = v;
                arg = c;
            }
        }
        med[j] = arg;
    }
}

static inline uint64_t reference_pam(const tcase *t, unsigned k, uint32_t *med)
{
    size_t n = t->n;
    reference_build(t, k, med);
    uint64_t swaps = 0;
    for (;;) {
        qsort(med, k, sizeof *med, cmp_u32);
        double cur = obj_float(t, med, k), best = INFINITY;
        uint32_t bh = 0;
        unsigned bj = 0;
        for (uint32_t h = 0; h < n; h++) {
            if (contains(med, k, h))
                continue;
            for (unsigned j = 0; j < k; j++) { /* med is sorted: smallest m first */
                uint32_t keep = med[j];
                med[j] = h;
                double v = obj_float(t, med, k);
                med[j] = keep;
                if (v < best) {
                    best = v;
                    bh = h;
                    bj = j;
                }
            }
        }
        if (!(cur - best > PAM_REL_EPS * fabs(cur)))
            break;
        med[bj] = bh;
        swaps++;
    }
    return swaps;
}

/* ---- running the engine ---- */

static inline ekm_status run(const tcase *t, ekm_strategy s, unsigned k, uint64_t seed,
                             unsigned restarts, uint32_t *med, double *obj, uint64_t *swaps)
{
    ekm_heuristic_options o = {.k = k, .seed = seed, .restarts = restarts};
    ekm_error err;
    ekm_status st = ekm_heuristic_run(t->dm, s, &o, med, obj, swaps, &err);
    if (st != EKM_OK)
        fprintf(stderr, "%s: %s\n", t->label, err.message);
    return st;
}

/* One start of heuristic s, restart index r, through the engine's internal
 * entry points: what ekm_heuristic_run does for its r-th restart (generator
 * seeded with seed + r; FasterPAM starts from BUILD at r = 0, at random after).
 * med (out) sorted; returns the double objective. */
static inline double one_start(const tcase *t, ekm_strategy s, unsigned k, uint64_t seed,
                               unsigned r, uint32_t *med, uint64_t *swaps)
{
    ekm__hrun h = {.dm = t->dm,
                   .n = t->n,
                   .k = k,
                   .max_iter = 1000,
                   .neighbours = 250,
                   .budget = EKM__POLL_UNITS,
                   .restart = r};
    ekm__rng_seed(&h.rng, seed + r);
    ekm_status st = s == EKM_STRATEGY_PAM         ? ekm__pam(&h, med)
                    : s == EKM_STRATEGY_FASTERPAM ? ekm__fasterpam(&h, med)
                    : s == EKM_STRATEGY_CLARANS   ? ekm__clarans(&h, med)
                                                  : ekm__alternate(&h, med);
    assert_int_equal(st, EKM_OK);
    qsort(med, k, sizeof *med, cmp_u32);
    if (swaps)
        *swaps = h.swaps;
    return obj_double(t, med, k);
}

/* Sorted, distinct, in range; and the reported objective is the double one. */
static inline void check_result(const tcase *t, const uint32_t *med, unsigned k, double obj)
{
    for (unsigned j = 0; j < k; j++) {
        assert_true(med[j] < t->n);
        if (j)
            assert_true(med[j - 1] < med[j]);
    }
    double ref = obj_double(t, med, k);
    assert_true(fabs(obj - ref) <= 1e-12 * (1 + ref));
}

/* No single swap lowers the double objective by more than LOCAL_TOL relative. */
static inline void check_swap_local_optimum(const tcase *t, const uint32_t *med_in, unsigned k)
{
    uint32_t med[8];
    memcpy(med, med_in, k * sizeof *med);
    double cur = obj_double(t, med, k);
    for (uint32_t h = 0; h < t->n; h++) {
        if (contains(med, k, h))
            continue;
        for (unsigned j = 0; j < k; j++) {
            uint32_t keep = med[j];
            med[j] = h;
            double v = obj_double(t, med, k);
            med[j] = keep;
            if (v < cur - LOCAL_TOL * cur) {
                fprintf(stderr, "%s k=%u: swapping %u for %u lowers %.17g to %.17g\n",
                        t->label, k, keep, h, cur, v);
                fail();
            }
        }
    }
}

/* A random small case: n in [max(k,2), nmax], any kind but blobs, any metric. */
static inline void random_case(tcase *t, unsigned k, size_t nmax)
{
    size_t lo = k < 2 ? 2 : k;
    size_t n = lo + rnd_below((unsigned)(nmax - lo + 1));
    case_make(t, n, (data_kind)rnd_below(3), metrics[rnd_below(3)], 0);
}

/* Largest n <= 40 whose brute force stays cheap (C(n,k) * n below ~1.5e6). */
static inline size_t brute_nmax(unsigned k)
{
    static const size_t nmax[6] = {0, 40, 40, 40, 30, 24};
    return nmax[k];
}

#endif
