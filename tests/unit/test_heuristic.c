/* test_heuristic.c — PAM, FasterPAM, CLARANS and the alternating heuristic on
 * many seeded small cases (uniform, clustered, integer grids with duplicated
 * points and exact ties; euclidean, sqeuclidean and manhattan computed here),
 * checked against references written here: a brute force over all K-subsets,
 * a slow obviously-correct PAM (objective recomputed from scratch for every
 * candidate), the swap-neighbourhood local-optimum property and the
 * 1-medoid property of the alternating result. Also determinism, restarts,
 * cancellation (before and during a run) and refused options. */
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
static uint64_t rnd_next(void)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double rnd_unit(void) { return (double)(rnd_next() >> 11) * 0x1.0p-53; }
static unsigned rnd_below(unsigned b) { return (unsigned)(rnd_next() % b); }
static double rnd_normal(void)
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

static double distance(ekm_metric m, const double *a, const double *b, unsigned d)
{
    double s = 0;
    for (unsigned j = 0; j < d; j++) {
        double t = a[j] - b[j];
        s += m == EKM_METRIC_MANHATTAN ? fabs(t) : t * t;
    }
    return m == EKM_METRIC_EUCLIDEAN ? sqrt(s) : s;
}

/* Points of kind `kind`; for DATA_BLOBS, `blobs` groups far apart. */
static void make_points(tcase *t, unsigned blobs)
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

static void case_finish(tcase *t)
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

static void case_make(tcase *t, size_t n, data_kind kind, ekm_metric metric, unsigned blobs)
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

static void case_free(tcase *t)
{
    ekm_dissim_release(t->dm);
    free(t->x);
    free(t->D);
    free(t->F);
}

/* ---- objectives computed here ---- */

static double obj_double(const tcase *t, const uint32_t *med, unsigned k)
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
static double obj_float(const tcase *t, const uint32_t *med, unsigned k)
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

static bool contains(const uint32_t *med, unsigned k, uint32_t p)
{
    for (unsigned j = 0; j < k; j++)
        if (med[j] == p)
            return true;
    return false;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* ---- brute force over all K-subsets (depth first, nearest distances kept per level) ---- */

static void brute_rec(const tcase *t, unsigned k, unsigned depth, size_t from, double *near,
                      double *best)
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

static double brute_optimum(const tcase *t, unsigned k)
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
static void reference_build(const tcase *t, unsigned k, uint32_t *med)
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

static uint64_t reference_pam(const tcase *t, unsigned k, uint32_t *med)
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

static ekm_status run(const tcase *t, ekm_strategy s, unsigned k, uint64_t seed,
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
static double one_start(const tcase *t, ekm_strategy s, unsigned k, uint64_t seed, unsigned r,
                        uint32_t *med, uint64_t *swaps)
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
static void check_result(const tcase *t, const uint32_t *med, unsigned k, double obj)
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
static void check_swap_local_optimum(const tcase *t, const uint32_t *med_in, unsigned k)
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
static void random_case(tcase *t, unsigned k, size_t nmax)
{
    size_t lo = k < 2 ? 2 : k;
    size_t n = lo + rnd_below((unsigned)(nmax - lo + 1));
    case_make(t, n, (data_kind)rnd_below(3), metrics[rnd_below(3)], 0);
}

/* Largest n <= 40 whose brute force stays cheap (C(n,k) * n below ~1.5e6). */
static size_t brute_nmax(unsigned k)
{
    static const size_t nmax[6] = {0, 40, 40, 40, 30, 24};
    return nmax[k];
}

/* ---- the tests ---- */

static void test_pam_matches_reference(void **state)
{
    (void)state;
    rnd_state = 101;
    unsigned cases = 0, with_swaps = 0;
    for (int rep = 0; rep < 40; rep++)
        for (unsigned k = 1; k <= 5; k++) {
            tcase t;
            random_case(&t, k, 40);
            uint32_t med[5], ref[5];
            double obj;
            uint64_t swaps;
            assert_int_equal(run(&t, EKM_STRATEGY_PAM, k, 7, 1, med, &obj, &swaps), EKM_OK);
            check_result(&t, med, k, obj);
            uint64_t ref_swaps = reference_pam(&t, k, ref);
            qsort(ref, k, sizeof *ref, cmp_u32);
            if (memcmp(med, ref, k * sizeof *med) != 0 || swaps != ref_swaps) {
                fprintf(stderr, "%s k=%u: engine", t.label, k);
                for (unsigned j = 0; j < k; j++)
                    fprintf(stderr, " %u", med[j]);
                fprintf(stderr, " (%llu swaps), reference", (unsigned long long)swaps);
                for (unsigned j = 0; j < k; j++)
                    fprintf(stderr, " %u", ref[j]);
                fprintf(stderr, " (%llu swaps)\n", (unsigned long long)ref_swaps);
                fail();
            }
            assert_true(obj == obj_double(&t, ref, k));
            cases++;
            with_swaps += ref_swaps > 0;
            case_free(&t);
        }
    assert_int_equal(cases, 200);
    assert_true(with_swaps >= 20); /* SWAP really ran on a good share of the cases */
}

/* Tiny integer grids (2-D, 4x4 values, 6..14 points, k = 2..4): here the best
 * swap often ties between two medoids, and the tie rule must match. */
static void test_pam_ties(void **state)
{
    (void)state;
    rnd_state = 111;
    unsigned with_swaps = 0;
    for (int rep = 0; rep < 400; rep++) {
        unsigned k = 2 + rnd_below(3);
        size_t n = 6 + rnd_below(9);
        tcase t;
        memset(&t, 0, sizeof t);
        t.n = n;
        t.d = 2;
        t.kind = DATA_GRID;
        t.metric = rep % 2 ? EKM_METRIC_SQEUCLIDEAN : EKM_METRIC_MANHATTAN;
        snprintf(t.label, sizeof t.label, "tiny grid %d", rep);
        t.x = malloc(n * 2 * sizeof *t.x);
        assert_non_null(t.x);
        for (size_t i = 0; i < 2 * n; i++)
            t.x[i] = (double)rnd_below(4);
        case_finish(&t);
        uint32_t med[4], ref[4];
        double obj;
        uint64_t swaps;
        assert_int_equal(run(&t, EKM_STRATEGY_PAM, k, 0, 1, med, &obj, &swaps), EKM_OK);
        uint64_t ref_swaps = reference_pam(&t, k, ref);
        qsort(ref, k, sizeof *ref, cmp_u32);
        if (memcmp(med, ref, k * sizeof *med) != 0 || swaps != ref_swaps) {
            fprintf(stderr, "%s k=%u: engine and reference differ\n", t.label, k);
            fail();
        }
        with_swaps += swaps > 0;
        case_free(&t);
    }
    assert_true(with_swaps >= 40);
}

/* PAM, FasterPAM and CLARANS (default maxneighbor, which is >= k(n-k) here, so
 * CLARANS examines the whole neighbourhood) end at swap-local optima, and none
 * of the four heuristics beats the brute-force optimum. */
static void test_local_optimum_and_bound(void **state)
{
    (void)state;
    static const ekm_strategy all[4] = {EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM,
                                        EKM_STRATEGY_CLARANS, EKM_STRATEGY_ALTERNATE};
    rnd_state = 202;
    unsigned at_optimum[4] = {0}, cases = 0;
    for (int rep = 0; rep < 16; rep++)
        for (unsigned k = 1; k <= 5; k++) {
            tcase t;
            random_case(&t, k, brute_nmax(k));
            assert_true(250 >= (uint64_t)k * (t.n - k));
            double opt = brute_optimum(&t, k);
            for (int a = 0; a < 4; a++) {
                uint32_t med[5];
                double obj;
                assert_int_equal(run(&t, all[a], k, 1000 + (uint64_t)rep, 1, med, &obj, NULL),
                                 EKM_OK);
                check_result(&t, med, k, obj);
                assert_true(obj >= opt - 1e-9 * (1 + opt));
                at_optimum[a] += obj <= opt + 1e-9 * (1 + opt);
                if (all[a] != EKM_STRATEGY_ALTERNATE)
                    check_swap_local_optimum(&t, med, k);
                if (all[a] == EKM_STRATEGY_FASTERPAM) {
                    /* the first start is BUILD's: the search only improves on it */
                    uint32_t b[5];
                    reference_build(&t, k, b);
                    assert_true(obj <= obj_double(&t, b, k) * (1 + LOCAL_TOL));
                }
            }
            /* FasterPAM from random starts (its restarts after the first) */
            for (unsigned r = 1; r <= 2; r++) {
                uint32_t med[5];
                double obj = one_start(&t, EKM_STRATEGY_FASTERPAM, k, 77 + (uint64_t)rep, r, med,
                                       NULL);
                assert_true(obj >= opt - 1e-9 * (1 + opt));
                check_swap_local_optimum(&t, med, k);
            }
            cases++;
            case_free(&t);
        }
    assert_int_equal(cases, 80);
    /* sanity of the brute force itself: the good heuristics often reach it */
    assert_true(at_optimum[0] >= cases / 2);
    assert_true(at_optimum[1] >= cases / 2);
}

/* Alternate: after the last round every medoid is the 1-medoid of its cluster
 * (points assigned on the float values, ties to the medoid of smallest index). */
static void test_alternate_one_medoids(void **state)
{
    (void)state;
    rnd_state = 303;
    unsigned moved = 0;
    for (int rep = 0; rep < 40; rep++)
        for (unsigned k = 1; k <= 5; k++) {
            tcase t;
            random_case(&t, k, 40);
            uint32_t med[5];
            double obj;
            uint64_t swaps;
            assert_int_equal(run(&t, EKM_STRATEGY_ALTERNATE, k, 99 + (uint64_t)rep, 1, med, &obj,
                                 &swaps),
                             EKM_OK);
            check_result(&t, med, k, obj);
            moved += swaps > 0;
            unsigned *cl = malloc(t.n * sizeof *cl);
            assert_non_null(cl);
            for (size_t o = 0; o < t.n; o++) { /* med is sorted: strict < keeps the smallest */
                unsigned b = 0;
                for (unsigned j = 1; j < k; j++)
                    if (t.F[o * t.n + med[j]] < t.F[o * t.n + med[b]])
                        b = j;
                cl[o] = b;
            }
            for (unsigned j = 0; j < k; j++) {
                double own = 0;
                for (size_t o = 0; o < t.n; o++)
                    if (cl[o] == j)
                        own += t.F[o * t.n + med[j]];
                for (size_t c = 0; c < t.n; c++) {
                    if (cl[c] != j)
                        continue;
                    double s = 0;
                    for (size_t o = 0; o < t.n; o++)
                        if (cl[o] == j)
                            s += t.F[o * t.n + c];
                    if (s < own - LOCAL_TOL * own) {
                        fprintf(stderr, "%s k=%u: cluster of %u: %zu has sum %.17g < %.17g\n",
                                t.label, k, med[j], c, s, own);
                        fail();
                    }
                }
            }
            free(cl);
            case_free(&t);
        }
    assert_true(moved >= 20); /* the update step really moved medoids */
}

/* Well-separated blobs: every swap-local optimum has one medoid per blob, its
 * 1-medoid, so FasterPAM and CLARANS find the optimum from any seed. */
static void test_blobs_found(void **state)
{
    (void)state;
    rnd_state = 404;
    for (int rep = 0; rep < 12; rep++) {
        unsigned k = 2 + (unsigned)rep % 4;
        size_t n = k * (4 + rnd_below(k <= 3 ? 6 : 2)); /* brute force stays cheap */
        tcase t;
        case_make(&t, n, DATA_BLOBS, metrics[rep % 3], k);
        double opt = brute_optimum(&t, k);
        for (uint64_t seed = 0; seed < 5; seed++) {
            uint32_t med[5];
            double obj;
            assert_int_equal(run(&t, EKM_STRATEGY_FASTERPAM, k, seed, 1, med, &obj, NULL),
                             EKM_OK);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            /* FasterPAM's random starts */
            obj = one_start(&t, EKM_STRATEGY_FASTERPAM, k, seed, 1 + (unsigned)seed, med, NULL);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            assert_int_equal(run(&t, EKM_STRATEGY_CLARANS, k, seed, 1, med, &obj, NULL), EKM_OK);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            /* one medoid in each blob (point i is in blob i % k) */
            unsigned mask = 0;
            for (unsigned j = 0; j < k; j++)
                mask |= 1u << (med[j] % k);
            assert_int_equal(mask, (1u << k) - 1);
        }
        case_free(&t);
    }
}

/* Objective o with sorted medoids m beats (ob, best): lower, or equal and
 * lexicographically smaller. */
static bool better(double o, const uint32_t *m, double ob, const uint32_t *best, unsigned k)
{
    if (o != ob)
        return o < ob;
    for (unsigned j = 0; j < k; j++)
        if (m[j] != best[j])
            return m[j] < best[j];
    return false;
}

/* Same seed, same result; restarts = R is the best of the starts r = 0..R-1,
 * each seeded with seed + r (ties: smallest medoid set), and the swaps add up;
 * PAM is one deterministic run whatever the seed and restarts. */
static void test_determinism_and_restarts(void **state)
{
    (void)state;
    static const ekm_strategy all[4] = {EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM,
                                        EKM_STRATEGY_CLARANS, EKM_STRATEGY_ALTERNATE};
    rnd_state = 505;
    unsigned differ[4] = {0};
    for (int rep = 0; rep < 10; rep++) {
        unsigned k = 2 + (unsigned)rep % 4;
        tcase t;
        case_make(&t, 40, (data_kind)(rep % 3), metrics[rep % 3], 0);
        for (int a = 0; a < 4; a++) {
            const unsigned R = 4;
            uint32_t m1[5], m2[5], best[5] = {0};
            double o1, o2, ob = INFINITY;
            uint64_t s1, s2, sum = 0;
            assert_int_equal(run(&t, all[a], k, 42, R, m1, &o1, &s1), EKM_OK);
            assert_int_equal(run(&t, all[a], k, 42, R, m2, &o2, &s2), EKM_OK);
            assert_memory_equal(m1, m2, k * sizeof *m1);
            assert_true(o1 == o2);
            assert_true(s1 == s2);
            unsigned starts = all[a] == EKM_STRATEGY_PAM ? 1 : R;
            uint32_t first[5];
            bool seen_other = false;
            for (unsigned r = 0; r < starts; r++) {
                uint32_t m[5];
                uint64_t sw;
                double o = one_start(&t, all[a], k, 42, r, m, &sw);
                sum += sw;
                if (better(o, m, ob, best, k)) {
                    ob = o;
                    memcpy(best, m, k * sizeof *m);
                }
                if (r == 0)
                    memcpy(first, m, k * sizeof *m);
                else if (memcmp(m, first, k * sizeof *m) != 0)
                    seen_other = true;
            }
            assert_true(o1 == ob);
            assert_memory_equal(m1, best, k * sizeof *m1);
            assert_true(s1 == sum);
            differ[a] += seen_other;
            /* restarts = 1 is the first start; for PAM also with another seed */
            uint32_t m[5];
            double o;
            assert_int_equal(run(&t, all[a], k, all[a] == EKM_STRATEGY_PAM ? 999 : 42, 1, m, &o,
                                 NULL),
                             EKM_OK);
            assert_memory_equal(m, first, k * sizeof *m);
        }
        case_free(&t);
    }
    /* different seeds do give different starts */
    assert_true(differ[1] >= 3);
    assert_true(differ[2] >= 3);
    assert_true(differ[3] >= 3);
}

/* The cancel callback the tests give: a C11 atomic flag. */
static int flag_set(void *ctx) { return atomic_load((atomic_int *)ctx) != 0; }

static void test_cancel_before(void **state)
{
    (void)state;
    rnd_state = 606;
    tcase t;
    case_make(&t, 30, DATA_CLUSTERED, EKM_METRIC_EUCLIDEAN, 0);
    atomic_int cancel;
    atomic_init(&cancel, 1);
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        ekm_heuristic_options o = {.k = 3, .seed = 1, .cancelled = flag_set, .cancel_ctx = &cancel};
        uint32_t med[3];
        double obj;
        ekm_error err;
        assert_int_equal(ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err),
                         EKM_ERR_CANCELLED);
        assert_int_equal(err.status, EKM_ERR_CANCELLED);
    }
    atomic_store(&cancel, 0);
    ekm_heuristic_options o = {.k = 3, .seed = 1, .cancelled = flag_set, .cancel_ctx = &cancel};
    uint32_t med[3];
    double obj;
    assert_int_equal(ekm_heuristic_run(t.dm, EKM_STRATEGY_PAM, &o, med, &obj, NULL, NULL), EKM_OK);
    case_free(&t);
}

typedef struct canceller {
    atomic_int *flag;
    atomic_int finished;  /* the heuristic returned */
    clockid_t worker_cpu; /* CPU clock of the thread running the heuristic */
    double set_at;        /* that clock when the flag was set (-1: never set) */
} canceller;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Sets the flag once the worker has done 20 ms of work (its CPU time, not a
 * delay: a busy machine only makes the wait longer), unless it finished first. */
static void *cancel_soon(void *arg)
{
    canceller *c = arg;
    const double start = clock_seconds(c->worker_cpu);
    c->set_at = -1;
    while (!atomic_load(&c->finished)) {
        double now = clock_seconds(c->worker_cpu);
        if (now - start >= 0.02) {
            c->set_at = now;
            atomic_store(c->flag, 1);
            break;
        }
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Runs that take far longer than 20 ms of CPU (PAM's BUILD with k = 500 on 1000
 * points; thousands of restarts for the others) stop soon after the flag is set
 * from another thread. "Soon" is measured in CPU time of the working thread, so
 * that a loaded machine does not make the check flaky. */
static void test_cancel_during(void **state)
{
    (void)state;
    rnd_state = 707;
    tcase t;
    case_make(&t, 1000, DATA_UNIFORM, EKM_METRIC_EUCLIDEAN, 0);
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        atomic_int flag;
        atomic_init(&flag, 0);
        canceller c = {.flag = &flag};
        atomic_init(&c.finished, 0);
        assert_int_equal(pthread_getcpuclockid(pthread_self(), &c.worker_cpu), 0);
        ekm_heuristic_options o = {.k = s == EKM_STRATEGY_PAM ? 500 : 50,
                                   .seed = 3,
                                   .restarts = 5000,
                                   .cancelled = flag_set, .cancel_ctx = &flag};
        uint32_t *med = malloc(o.k * sizeof *med);
        assert_non_null(med);
        double obj;
        ekm_error err;
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, cancel_soon, &c), 0);
        ekm_status st = ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err);
        double done = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        atomic_store(&c.finished, 1);
        pthread_join(th, NULL);
        if (c.set_at < 0)
            fail_msg("strategy %d finished (%s) within 20 ms of CPU: nothing left to cancel",
                     (int)s, ekm_status_name(st));
        assert_int_equal(st, EKM_ERR_CANCELLED);
        /* a few ms of work between looks at the flag (measured: 0-2 ms; up to
         * ~50 ms under ThreadSanitizer) */
#ifdef EKM_SANITIZED
        const double bound = 0.25;
#else
        const double bound = 0.03;
#endif
        if (done - c.set_at >= bound) {
            fprintf(stderr, "strategy %d: %.3f s of work after the cancel\n", (int)s,
                    done - c.set_at);
            fail();
        }
        free(med);
    }
    case_free(&t);
}

static void test_invalid(void **state)
{
    (void)state;
    rnd_state = 808;
    tcase t;
    case_make(&t, 10, DATA_UNIFORM, EKM_METRIC_MANHATTAN, 0);
    uint32_t med[16];
    double obj;
    ekm_error err;
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        ekm_heuristic_options o = {.k = 0};
        ekm_error_clear(&err);
        assert_int_equal(ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err), EKM_ERR_INVALID);
        assert_int_equal(err.status, EKM_ERR_INVALID);
        assert_non_null(strstr(err.message, "k = 0"));
        o.k = 11;
        ekm_error_clear(&err);
        assert_int_equal(ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err), EKM_ERR_INVALID);
        assert_non_null(strstr(err.message, "k = 11"));
        assert_non_null(strstr(err.message, "10"));
    }
    ekm_heuristic_options o = {.k = 2};
    assert_int_equal(ekm_heuristic_run(t.dm, EKM_STRATEGY_SEQ, &o, med, &obj, NULL, &err),
                     EKM_ERR_INVALID);
    assert_non_null(strstr(err.message, "not a heuristic"));
    assert_int_equal(ekm_heuristic_run(t.dm, EKM_STRATEGY_PAM, NULL, med, &obj, NULL, &err),
                     EKM_ERR_INVALID);
    assert_int_equal(ekm_heuristic_run(NULL, EKM_STRATEGY_PAM, &o, med, &obj, NULL, &err),
                     EKM_ERR_INVALID);
    case_free(&t);
}

/* k = n: every point is a medoid, objective 0, no swap. k = n - 1 on a grid
 * with duplicates: the optimum. */
static void test_extreme_k(void **state)
{
    (void)state;
    rnd_state = 909;
    tcase t;
    case_make(&t, 7, DATA_GRID, EKM_METRIC_SQEUCLIDEAN, 0);
    double opt = brute_optimum(&t, 6);
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        uint32_t med[7];
        double obj;
        uint64_t swaps;
        assert_int_equal(run(&t, s, 7, 5, 2, med, &obj, &swaps), EKM_OK);
        for (uint32_t j = 0; j < 7; j++)
            assert_int_equal(med[j], j);
        assert_true(obj == 0.0);
        assert_true(swaps == 0);
        assert_int_equal(run(&t, s, 6, 5, 2, med, &obj, &swaps), EKM_OK);
        check_result(&t, med, 6, obj);
        if (s != EKM_STRATEGY_ALTERNATE)
            assert_true(obj == opt);
    }
    case_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pam_matches_reference),
        cmocka_unit_test(test_pam_ties),
        cmocka_unit_test(test_local_optimum_and_bound),
        cmocka_unit_test(test_alternate_one_medoids),
        cmocka_unit_test(test_blobs_found),
        cmocka_unit_test(test_determinism_and_restarts),
        cmocka_unit_test(test_cancel_before),
        cmocka_unit_test(test_cancel_during),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_extreme_k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
