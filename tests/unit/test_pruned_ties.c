/* test_pruned_ties.c — `pruned` on duplicate-heavy data: identical points, a
 * few distinct points with many copies (in shuffled order, so that the copies
 * of a point are not neighbours), copies moved by far less than the tie window
 * (1e-10 relative: sets with different medoids tie), and precomputed matrices
 * with duplicated rows. These are the inputs with an optimum of 0 or masses of
 * equal objectives, where the tie rule (the lexicographically smallest sorted
 * medoid set among those within 1e-10 of the minimum) decides the answer.
 *
 * Each case, K = 1..5 and 1..3 threads, against the brute-force oracle of
 * tests/support (long double, its own enumeration and tie rule) and against
 * `fused` and `seq`: the same medoids, the same objective, and evaluated +
 * pruned == C(N,K) exactly.
 *
 * And the degenerate families the bench script tests/bench/pruned_ties.sh
 * times (identical points, 2..10 distinct points with copies, two far groups,
 * a line, a grid; every metric and a precomputed matrix; K = 2..5; 1 and 2
 * threads; with and without the matrix), at sizes the oracle enumerates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"

static uint64_t rnd_state;
static uint64_t rnd_next(void)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static unsigned rnd_below(unsigned b) { return (unsigned)(rnd_next() % b); }
static double rnd_unit(void) { return (double)(rnd_next() >> 11) * 0x1.0p-53; }

static uint64_t binomial(unsigned n, unsigned k)
{
    if (k > n)
        return 0;
    uint64_t r = 1;
    for (unsigned i = 1; i <= k; i++)
        r = r * (n - k + i) / i;
    return r;
}

typedef enum { DUP_IDENTICAL, DUP_FEW_DISTINCT, DUP_NEAR, DUP_MATRIX, DUP_KINDS } dup_kind;
static const char *const dup_name[] = {"identical", "few-distinct", "near-duplicates",
                                       "matrix-duplicate-rows"};

typedef struct dcase {
    size_t n, d;
    long double *D; /* n*n for the oracle */
    ekm_dissim *dm;
    ekm_dissim *lazy; /* the matrix-free form of the same points, or NULL */
    char label[160];
} dcase;

static brute_metric oracle_metric(ekm_metric m)
{
    return m == EKM_METRIC_SQEUCLIDEAN ? BRUTE_SQEUCLIDEAN
           : m == EKM_METRIC_MANHATTAN ? BRUTE_MANHATTAN
                                       : BRUTE_EUCLIDEAN;
}

/* Each point i is a copy of distinct point owner[i] (owner shuffled). */
static void owners(unsigned *owner, size_t n, unsigned distinct)
{
    for (size_t i = 0; i < n; i++)
        owner[i] = (unsigned)(i % distinct);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = rnd_below((unsigned)i + 1);
        unsigned t = owner[i];
        owner[i] = owner[j];
        owner[j] = t;
    }
}

static void case_make(dcase *t, size_t n, dup_kind kd, ekm_metric metric, uint64_t seed)
{
    memset(t, 0, sizeof *t);
    rnd_state = seed;
    t->n = n;
    t->d = 1 + rnd_below(3);
    unsigned distinct = kd == DUP_IDENTICAL ? 1 : 2 + rnd_below(4);
    unsigned *owner = malloc(n * sizeof *owner);
    assert_non_null(owner);
    owners(owner, n, distinct);
    ekm_error err;
    snprintf(t->label, sizeof t->label, "%s %s n=%zu distinct=%u seed=%llu", dup_name[kd],
             kd == DUP_MATRIX ? "precomputed" : ekm_metric_name(metric), n, distinct,
             (unsigned long long)seed);
    if (kd == DUP_MATRIX) {
        double base[6][6];
        for (unsigned a = 0; a < distinct; a++)
            for (unsigned b = a; b < distinct; b++)
                base[a][b] = base[b][a] = a == b ? 0.0 : 1 + rnd_below(5);
        double *m = malloc(n * n * sizeof *m);
        t->D = malloc(n * n * sizeof *t->D);
        assert_non_null(m);
        assert_non_null(t->D);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                t->D[i * n + j] = m[i * n + j] = i == j ? 0.0 : base[owner[i]][owner[j]];
        assert_int_equal(ekm_dissim_from_matrix(t->label, n, m, &t->dm, &err), EKM_OK);
        free(m);
        free(owner);
        return;
    }
    double centre[6][3];
    for (unsigned a = 0; a < distinct; a++)
        for (size_t j = 0; j < t->d; j++)
            centre[a][j] = (double)rnd_below(7) + (kd == DUP_NEAR ? 0.25 : 0.0);
    double *x = malloc(n * t->d * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < t->d; j++) {
            double v = centre[owner[i]][j];
            /* far inside the tie window: objectives differ by ~1e-14 relative */
            if (kd == DUP_NEAR && rnd_below(2))
                v += 1e-15 * rnd_unit();
            x[i * t->d + j] = v;
        }
    t->D = brute_matrix(x, n, t->d, oracle_metric(metric));
    assert_non_null(t->D);
    ekm_dataset *ds;
    assert_int_equal(ekm_dataset_from_points(t->label, n, t->d, x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, metric, &t->dm, &err), EKM_OK);
    ekm_dataset_release(ds);
    free(x);
    free(owner);
}

static void case_free(dcase *t)
{
    ekm_dissim_release(t->lazy);
    ekm_dissim_release(t->dm);
    free(t->D);
}

static ekm_result *solve(ekm_dissim *dm, ekm_strategy s, unsigned k, unsigned threads,
                         uint64_t seed)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.strategy = s;
    o.threads = threads;
    o.seed = seed;
    ekm_result *r = NULL;
    ekm_error err;
    ekm_status st = ekm_solve(dm, &o, &r, &err);
    if (st)
        fail_msg("%s: %s", ekm_strategy_name(s), err.message);
    assert_non_null(r);
    return r;
}

static void same_answer(const dcase *t, unsigned k, unsigned threads, const ekm_result *p,
                        const ekm_result *o, const char *other)
{
    for (unsigned j = 0; j < k; j++)
        if (p->medoids[j] != o->medoids[j])
            fail_msg("%s K=%u threads=%u: pruned medoid %u is %u, %s says %u", t->label, k,
                     threads, j, p->medoids[j], other, o->medoids[j]);
    if (p->objective != o->objective)
        fail_msg("%s K=%u: objective %.17g, %s %.17g", t->label, k, p->objective, other,
                 o->objective);
}

static void check_case(const dcase *t, unsigned k, unsigned threads, uint64_t seed)
{
    ekm_result *p = solve(t->dm, EKM_STRATEGY_PRUNED, k, threads, seed);
    ekm_result *f = solve(t->dm, EKM_STRATEGY_FUSED, k, threads, seed);
    ekm_result *s = solve(t->dm, EKM_STRATEGY_SEQ, k, 1, seed);
    same_answer(t, k, threads, p, f, "fused");
    same_answer(t, k, threads, p, s, "seq");
    uint32_t med[64];
    double obj;
    uint64_t visited;
    assert_int_equal(brute_solve(t->D, t->n, k, med, &obj, &visited), 0);
    for (unsigned j = 0; j < k; j++)
        if (p->medoids[j] != med[j])
            fail_msg("%s K=%u threads=%u: pruned medoid %u is %u, the oracle says %u", t->label,
                     k, threads, j, p->medoids[j], med[j]);
    if (fabs(p->objective - obj) > 1e-9 * fmax(1.0, fabs(obj)))
        fail_msg("%s K=%u: objective %.17g, oracle %.17g", t->label, k, p->objective, obj);
    uint64_t total = binomial((unsigned)t->n, k);
    assert_int_equal(p->total, total);
    if (p->evaluated + p->pruned != total)
        fail_msg("%s K=%u: evaluated %llu + pruned %llu != C(N,K) %llu", t->label, k,
                 (unsigned long long)p->evaluated, (unsigned long long)p->pruned,
                 (unsigned long long)total);
    assert_true(p->exact);
    assert_int_equal(p->stages[0].done, total);
    assert_int_equal(p->stages[0].state, EKM_RUN_DONE);
    if (t->lazy) { /* without the matrix: the same answer, every subset closed */
        ekm_result *q = solve(t->lazy, EKM_STRATEGY_PRUNED, k, threads, seed);
        same_answer(t, k, threads, q, p, "pruned with the matrix");
        if (q->evaluated + q->pruned != total)
            fail_msg("%s K=%u matrix-free: evaluated %llu + pruned %llu != C(N,K) %llu",
                     t->label, k, (unsigned long long)q->evaluated,
                     (unsigned long long)q->pruned, (unsigned long long)total);
        assert_true(q->exact);
        ekm_result_free(q);
    }
    ekm_result_free(p);
    ekm_result_free(f);
    ekm_result_free(s);
}

/* The largest N whose oracle and enumerations stay cheap for K. */
static size_t case_n(unsigned k, unsigned pick)
{
    static const size_t limit[6] = {0, 60, 50, 36, 26, 22};
    size_t lo = k + 3, hi = limit[k];
    return lo + pick % (hi - lo + 1);
}

static void test_duplicates_against_oracle(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                         EKM_METRIC_MANHATTAN};
    int cases = 0;
    for (unsigned c = 0; c < 120; c++) {
        dup_kind kd = (dup_kind)(c % DUP_KINDS);
        unsigned k = 1 + (c / DUP_KINDS) % 5;
        unsigned threads = 1 + c % 3;
        uint64_t seed = 5000 + c;
        rnd_state = seed * 104729;
        size_t n = case_n(k, rnd_below(1000));
        dcase t;
        case_make(&t, n, kd, metric[(c / 20) % 3], seed);
        check_case(&t, k, threads, seed);
        case_free(&t);
        cases++;
    }
    assert_int_equal(cases, 120);
}

/* The shapes that once made pruned re-check every set in double, at sizes the
 * oracle still enumerates: all points identical, and 3 or 4 distinct points
 * with many copies each, K up to and beyond the number of distinct points. */
static void test_worst_shapes(void **state)
{
    (void)state;
    static const struct {
        unsigned distinct, copies, k;
    } shape[] = {{1, 40, 3}, {3, 12, 4}, {4, 6, 5}, {3, 12, 2}, {4, 6, 3}, {1, 25, 5}};
    for (size_t c = 0; c < sizeof shape / sizeof shape[0]; c++) {
        size_t n = (size_t)shape[c].distinct * shape[c].copies;
        double *x = malloc(n * 2 * sizeof *x);
        assert_non_null(x);
        static const double pt[4][2] = {{0, 0}, {3, 1}, {7, 5}, {2, 9}};
        for (size_t i = 0; i < n; i++) {
            x[2 * i] = pt[i % shape[c].distinct][0];
            x[2 * i + 1] = pt[i % shape[c].distinct][1];
        }
        dcase t = {.n = n, .d = 2};
        snprintf(t.label, sizeof t.label, "%u distinct x %u copies", shape[c].distinct,
                 shape[c].copies);
        t.D = brute_matrix(x, n, 2, BRUTE_EUCLIDEAN);
        assert_non_null(t.D);
        ekm_dataset *ds;
        ekm_error err;
        assert_int_equal(ekm_dataset_from_points(t.label, n, 2, x, NULL, &ds, &err), EKM_OK);
        assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &t.dm, &err), EKM_OK);
        ekm_dataset_release(ds);
        for (unsigned threads = 1; threads <= 3; threads++)
            check_case(&t, shape[c].k, threads, 7 + c);
        case_free(&t);
        free(x);
    }
}

/* The degenerate families of tests/bench/pruned_ties.sh, at sizes the oracle
 * enumerates: all points identical; D = 2, 3, 4, 5, 10 distinct points with
 * copies; two far groups of identical points; equally spaced points on a line
 * (masses of equal sums); an integer grid (masses of equal distances). */
typedef enum { FAM_IDENTICAL, FAM_DISTINCT, FAM_GROUPS, FAM_LINE, FAM_GRID } family;

static double *family_points(family f, unsigned distinct, size_t n, size_t *d)
{
    static const double base[10][2] = {{0, 0},  {3, 1},  {7, 5},   {2, 9}, {11, 4},
                                       {5, 13}, {14, 12}, {9, 2}, {1, 6}, {12, 8}};
    *d = f == FAM_LINE ? 1 : 2;
    double *x = malloc(n * *d * sizeof *x);
    assert_non_null(x);
    size_t side = 1;
    while (side * side < n)
        side++;
    for (size_t i = 0; i < n; i++) {
        double *p = x + i * *d;
        switch (f) {
        case FAM_IDENTICAL:
            p[0] = 1, p[1] = 2;
            break;
        case FAM_DISTINCT:
            p[0] = base[i % distinct][0], p[1] = base[i % distinct][1];
            break;
        case FAM_GROUPS:
            p[0] = p[1] = i % 2 ? 1000.0 : 0.0;
            break;
        case FAM_LINE:
            p[0] = (double)i;
            break;
        case FAM_GRID:
            p[0] = (double)(i % side), p[1] = (double)(i / side);
            break;
        }
    }
    return x;
}

/* metric 3: the precomputed matrix of the euclidean distances */
static void family_case(dcase *t, family f, unsigned distinct, size_t n, unsigned metric)
{
    static const char *const fname[] = {"identical", "distinct", "two groups", "line", "grid"};
    static const ekm_metric ms[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                     EKM_METRIC_MANHATTAN};
    memset(t, 0, sizeof *t);
    double *x = family_points(f, distinct, n, &t->d);
    t->n = n;
    snprintf(t->label, sizeof t->label, "%s (%u) n=%zu %s", fname[f], distinct, n,
             metric == 3 ? "precomputed" : ekm_metric_name(ms[metric]));
    ekm_error err;
    if (metric == 3) {
        double *m = malloc(n * n * sizeof *m);
        t->D = malloc(n * n * sizeof *t->D);
        assert_non_null(m);
        assert_non_null(t->D);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double s2 = 0;
                for (size_t c = 0; c < t->d; c++)
                    s2 += (x[i * t->d + c] - x[j * t->d + c]) * (x[i * t->d + c] - x[j * t->d + c]);
                t->D[i * n + j] = m[i * n + j] = sqrt(s2);
            }
        assert_int_equal(ekm_dissim_from_matrix(t->label, n, m, &t->dm, &err), EKM_OK);
        free(m);
    } else {
        t->D = brute_matrix(x, n, t->d, oracle_metric(ms[metric]));
        assert_non_null(t->D);
        ekm_dataset *ds;
        assert_int_equal(ekm_dataset_from_points(t->label, n, t->d, x, NULL, &ds, &err), EKM_OK);
        assert_int_equal(ekm_dissim_from_dataset(ds, ms[metric], &t->dm, &err), EKM_OK);
        assert_int_equal(ekm_dissim_from_dataset_lazy(ds, ms[metric], &t->lazy, &err), EKM_OK);
        ekm_dataset_release(ds);
    }
    free(x);
}

static void test_degenerate_families(void **state)
{
    (void)state;
    static const struct {
        family f;
        unsigned distinct;
    } fam[] = {{FAM_IDENTICAL, 1}, {FAM_DISTINCT, 2}, {FAM_DISTINCT, 3}, {FAM_DISTINCT, 4},
               {FAM_DISTINCT, 5},  {FAM_DISTINCT, 10}, {FAM_GROUPS, 2},  {FAM_LINE, 0},
               {FAM_GRID, 0}};
    static const size_t n_for_k[6] = {0, 0, 36, 28, 22, 20};
    unsigned cases = 0;
    for (size_t c = 0; c < sizeof fam / sizeof fam[0]; c++)
        for (unsigned metric = 0; metric < 4; metric++)
            for (unsigned k = 2; k <= 5; k++) {
                size_t n = n_for_k[k];
                dcase t;
                family_case(&t, fam[c].f, fam[c].distinct, n, metric);
                for (unsigned threads = 1; threads <= 2; threads++)
                    check_case(&t, k, threads, 11 + c);
                /* answers known without the oracle: an optimum of 0 whenever
                 * K reaches the distinct points, the first K points when all
                 * are identical */
                if (fam[c].f == FAM_IDENTICAL || (fam[c].f != FAM_LINE && fam[c].f != FAM_GRID &&
                                                  k >= fam[c].distinct)) {
                    ekm_result *p = solve(t.dm, EKM_STRATEGY_PRUNED, k, 2, 1);
                    assert_true(p->objective == 0.0);
                    for (unsigned j = 0; fam[c].f == FAM_IDENTICAL && j < k; j++)
                        assert_int_equal(p->medoids[j], j);
                    ekm_result_free(p);
                }
                case_free(&t);
                cases++;
            }
    assert_int_equal(cases, 9 * 4 * 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duplicates_against_oracle),
        cmocka_unit_test(test_worst_shapes),
        cmocka_unit_test(test_degenerate_families),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
