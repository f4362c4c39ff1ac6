/* test_incumbent_polish.c — the local search that polishes the matrix-free
 * start of `pruned` (engine/src/incumbent_polish.h).
 *
 * On well-separated clusters whose points all lie among the candidates of the
 * swaps, a start with one medoid per cluster at its edge must reach the
 * brute-force optimum. On any input the result must be a set of distinct
 * points whose reported objective is its exact objective (double) and no
 * worse than the start; all identical points, K = N − 1 and a cancelled run are
 * handled (a cancel leaves the start untouched). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "incumbent_polish.h"

static ekm_dissim *lazy_dm(const double *x, size_t n, size_t d, ekm_metric metric)
{
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("polish", n, d, x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset_lazy(ds, metric, &dm, &err), EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static void sort_ids(uint32_t *x, unsigned k)
{
    for (unsigned i = 1; i < k; i++)
        for (unsigned j = i; j > 0 && x[j - 1] > x[j]; j--) {
            uint32_t t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
        }
}

static int sorted_equal(const uint32_t *a, const uint32_t *b, unsigned k)
{
    uint32_t x[8], y[8];
    memcpy(x, a, k * sizeof *x);
    memcpy(y, b, k * sizeof *y);
    sort_ids(x, k);
    sort_ids(y, k);
    return memcmp(x, y, k * sizeof *x) == 0;
}

/* Three clusters of 40 points, 100 apart: from the farthest point of each
 * cluster from its centre, the polish reaches the brute-force optimum. */
static void test_reaches_optimum_on_separated_clusters(void **state)
{
    (void)state;
    enum { PER = 40, K = 3, N = PER * K, D = 2 };
    static const brute_metric bm[] = {BRUTE_EUCLIDEAN, BRUTE_MANHATTAN};
    static const ekm_metric em[] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_MANHATTAN};
    for (unsigned m = 0; m < 2; m++)
        for (uint64_t seed = 1; seed <= 4; seed++) {
            double x[N * D];
            brute_random_points(x, N, D, 0, seed);
            for (size_t i = 0; i < N; i++)
                x[i * D] += 100.0 * (double)(i / PER); /* cluster i / PER */
            long double *bd = brute_matrix(x, N, D, bm[m]);
            uint32_t best[K];
            double opt;
            assert_int_equal(brute_solve(bd, N, K, best, &opt, NULL), 0);
            ekm_dissim *dm = lazy_dm(x, N, D, em[m]);
            uint32_t med[K];
            for (unsigned c = 0; c < K; c++) { /* the point of cluster c farthest from (c·100+.5, .5) */
                double far = -1.0;
                for (size_t i = c * PER; i < (c + 1) * PER; i++) {
                    double a = x[i * D] - (100.0 * c + 0.5), b = x[i * D + 1] - 0.5;
                    if (a * a + b * b > far) {
                        far = a * a + b * b;
                        med[c] = (uint32_t)i;
                    }
                }
            }
            double obj = ekm_dissim_objective(dm, med, K), start = obj;
            assert_int_equal(ekm__polish_medoids(dm, K, med, &obj, NULL, NULL), EKM_OK);
            assert_true(obj < start);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            assert_true(sorted_equal(med, best, K));
            assert_true(obj == ekm_dissim_objective(dm, med, K));
            free(bd);
            ekm_dissim_release(dm);
        }
}

/* Uniform and integer-grid points (ties, duplicates): never worse than the
 * start, distinct medoids, the objective exactly the set's. */
static void test_never_worse(void **state)
{
    (void)state;
    enum { N = 300, D = 3 };
    for (uint64_t seed = 1; seed <= 6; seed++) {
        double x[N * D];
        brute_random_points(x, N, D, seed % 2 ? 0 : 4, seed);
        ekm_dissim *dm = lazy_dm(x, N, D, seed % 3 ? EKM_METRIC_EUCLIDEAN : EKM_METRIC_MANHATTAN);
        for (unsigned k = 1; k <= 6; k++) {
            uint32_t med[6];
            for (unsigned a = 0; a < k; a++)
                med[a] = (uint32_t)(a * 7 + seed);
            double obj = ekm_dissim_objective(dm, med, k), start = obj;
            assert_int_equal(ekm__polish_medoids(dm, k, med, &obj, NULL, NULL), EKM_OK);
            assert_true(obj <= start);
            assert_true(obj == ekm_dissim_objective(dm, med, k));
            for (unsigned a = 0; a < k; a++) {
                assert_true(med[a] < N);
                for (unsigned b = a + 1; b < k; b++)
                    assert_int_not_equal(med[a], med[b]);
            }
        }
        ekm_dissim_release(dm);
    }
}

static void test_degenerate(void **state)
{
    (void)state;
    enum { N = 50, D = 2 };
    double x[N * D];
    for (size_t i = 0; i < N * D; i++)
        x[i] = 3.25; /* all identical */
    ekm_dissim *dm = lazy_dm(x, N, D, EKM_METRIC_EUCLIDEAN);
    uint32_t med[3] = {4, 9, 30};
    double obj = ekm_dissim_objective(dm, med, 3);
    assert_true(obj == 0.0);
    assert_int_equal(ekm__polish_medoids(dm, 3, med, &obj, NULL, NULL), EKM_OK);
    assert_true(obj == 0.0);
    ekm_dissim_release(dm);

    brute_random_points(x, N, D, 0, 77); /* K = N − 1: one point left out */
    dm = lazy_dm(x, N, D, EKM_METRIC_EUCLIDEAN);
    uint32_t all[N - 1];
    for (unsigned a = 0; a < N - 1; a++)
        all[a] = a;
    obj = ekm_dissim_objective(dm, all, N - 1);
    double start = obj;
    assert_int_equal(ekm__polish_medoids(dm, N - 1, all, &obj, NULL, NULL), EKM_OK);
    assert_true(obj <= start && obj == ekm_dissim_objective(dm, all, N - 1));
    ekm_dissim_release(dm);
}

static int always(void *ctx)
{
    (void)ctx;
    return 1;
}

static void test_cancelled(void **state)
{
    (void)state;
    enum { N = 200, D = 2 };
    double x[N * D];
    brute_random_points(x, N, D, 0, 5);
    ekm_dissim *dm = lazy_dm(x, N, D, EKM_METRIC_EUCLIDEAN);
    uint32_t med[3] = {0, 1, 2}, keep[3] = {0, 1, 2};
    double obj = ekm_dissim_objective(dm, med, 3), start = obj;
    assert_int_equal(ekm__polish_medoids(dm, 3, med, &obj, always, NULL), EKM_ERR_CANCELLED);
    assert_memory_equal(med, keep, sizeof med);
    assert_true(obj == start);
    ekm_dissim_release(dm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reaches_optimum_on_separated_clusters),
        cmocka_unit_test(test_never_worse),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_cancelled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
