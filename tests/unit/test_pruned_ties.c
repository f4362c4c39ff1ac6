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
 * pruned == C(N,K) exactly. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duplicates_against_oracle),
        cmocka_unit_test(test_worst_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
