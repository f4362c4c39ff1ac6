/* test_warm_start.c — the warm start of a large pruned root
 * (engine/src/prune_warm.h).
 *
 * Any multipliers λ >= 0 give a valid bound, so what the warm start must show
 * is that it is worth its sample: on clustered points its λ are finite and
 * non-negative, and its Lagrangian bound L(λ), computed here from the float
 * rows in long double, lies between the bound of the medoid distances it
 * starts from and the objective of the incumbent (weak duality) and closes
 * most of the gap between them. It leaves λ alone below ekm__warm_min_n, on
 * a matrix, and when cancelled. That the answers stay exact with it is
 * checked in test_pruned_matrix_free.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "dissim_rows.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/heuristic.h"
#include "prune_kernel.h"
#include "prune_warm.h"

enum { N = 2400, D = 2, K = 3 };

typedef struct fixture {
    double x[N * D];
    ekm_dissim *lazy, *mat;
    ekm__pdata pd;
    uint32_t med[K];
    float *start; /* the medoid distances */
} fixture;

/* Three clusters of unequal size and spread, 30 apart. */
static void fixture_make(fixture *f, ekm_metric metric)
{
    brute_random_points(f->x, N, D, 0, 7);
    for (size_t i = 0; i < N; i++) {
        unsigned c = i < N / 2 ? 0 : i < 5 * N / 6 ? 1 : 2;
        double spread = 4.0 + 3.0 * c;
        f->x[i * D] = 30.0 * c + spread * f->x[i * D];
        f->x[i * D + 1] = spread * f->x[i * D + 1];
    }
    ekm_dataset *ds;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("warm", N, D, f->x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset_lazy(ds, metric, &f->lazy, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, metric, &f->mat, &err), EKM_OK);
    ekm_dataset_release(ds);
    f->pd = (ekm__pdata){.kern = ekm__kernel_select(), .rho4 = ekm__rho4_select(),
                         .minsum = ekm__minsum_select(), .base = NULL, .dm = f->lazy,
                         .stride = ekm_dissim_stride(f->lazy), .n = N, .k = K,
                         .scale = ekm_dissim_float_scale(f->lazy),
                         .abs_err = ekm_dissim_float_abs_err(f->lazy)};
    /* a good start, as the solver has one: FasterPAM's medoids */
    ekm_heuristic_options ho = {.k = K, .seed = 3, .restarts = 1};
    double obj;
    assert_int_equal(ekm_heuristic_run(f->mat, EKM_STRATEGY_FASTERPAM, &ho, f->med, &obj, NULL,
                                       &err),
                     EKM_OK);
    f->start = aligned_alloc(64, f->pd.stride * sizeof *f->start);
    assert_non_null(f->start);
    for (size_t i = 0; i < f->pd.stride; i++) {
        float v = i < N ? FLT_MAX : 0.0f;
        for (unsigned t = 0; i < N && t < K; t++) {
            float e = ekm_dissim_row(f->mat, f->med[t])[i];
            v = e < v ? e : v;
        }
        f->start[i] = v;
    }
}

static void fixture_free(fixture *f)
{
    ekm_dissim_release(f->lazy);
    ekm_dissim_release(f->mat);
    free(f->start);
}

/* L(λ) = Σλ + the K smallest ρ_j, ρ_j = Σ_i min(0, d~_ij − λ_i), in long double. */
static long double lagrangian(const fixture *f, const float *lam)
{
    long double sum = 0.0L, low[K];
    for (unsigned t = 0; t < K; t++)
        low[t] = INFINITY;
    for (size_t i = 0; i < N; i++)
        sum += lam[i];
    for (size_t j = 0; j < N; j++) {
        const float *row = ekm_dissim_row(f->mat, j);
        long double rho = 0.0L;
        for (size_t i = 0; i < N; i++)
            rho += row[i] < lam[i] ? (long double)row[i] - (long double)lam[i] : 0.0L;
        for (unsigned t = 0; t < K; t++)
            if (rho < low[t]) {
                long double c = low[t];
                low[t] = rho;
                rho = c;
            }
    }
    for (unsigned t = 0; t < K; t++)
        sum += low[t];
    return sum;
}

static void test_closes_most_of_the_gap(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_MANHATTAN,
                                         EKM_METRIC_SQEUCLIDEAN};
    uint32_t was = ekm__warm_min_n;
    ekm__warm_min_n = 0;
    for (unsigned m = 0; m < 3; m++) {
        fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        fixture_make(f, metric[m]);
        float *lam = aligned_alloc(64, f->pd.stride * sizeof *lam);
        assert_non_null(lam);
        memcpy(lam, f->start, f->pd.stride * sizeof *lam);
        atomic_int cancel = 0;
        assert_int_equal(ekm__warm_multipliers(&f->pd, f->med, 11, lam, &cancel), 0);
        for (size_t i = 0; i < f->pd.stride; i++)
            assert_true(i < N ? isfinite(lam[i]) && lam[i] >= 0.0f : lam[i] == 0.0f);
        long double upper = 0.0L; /* f~(medoids), the float objective */
        for (size_t i = 0; i < N; i++)
            upper += f->start[i];
        long double cold = lagrangian(f, f->start), warm = lagrangian(f, lam);
        long double tol = 1e-6L * upper;
        if (!(warm <= upper + tol))
            fail_msg("metric %u: bound %.9Lg above the objective %.9Lg", m, warm, upper);
        if (!(warm - cold >= 0.5L * (upper - cold)))
            fail_msg("metric %u: cold bound %.9Lg, warm %.9Lg, objective %.9Lg: less than half "
                     "the gap closed",
                     m, cold, warm, upper);
        free(lam);
        fixture_free(f);
        free(f);
    }
    ekm__warm_min_n = was;
}

static void test_left_alone(void **state)
{
    (void)state;
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fixture_make(f, EKM_METRIC_EUCLIDEAN);
    float *lam = aligned_alloc(64, f->pd.stride * sizeof *lam);
    assert_non_null(lam);
    uint32_t was = ekm__warm_min_n;
    atomic_int cancel = 0;
    /* below the size from which it starts warm */
    ekm__warm_min_n = N + 1;
    memcpy(lam, f->start, f->pd.stride * sizeof *lam);
    assert_int_equal(ekm__warm_multipliers(&f->pd, f->med, 11, lam, &cancel), 0);
    assert_memory_equal(lam, f->start, f->pd.stride * sizeof *lam);
    ekm__warm_min_n = 0;
    /* on the matrix */
    ekm__pdata pm = f->pd;
    pm.base = ekm_dissim_row(f->mat, 0);
    pm.dm = f->mat;
    assert_int_equal(ekm__warm_multipliers(&pm, f->med, 11, lam, &cancel), 0);
    assert_memory_equal(lam, f->start, f->pd.stride * sizeof *lam);
    /* cancelled */
    cancel = 1;
    assert_int_equal(ekm__warm_multipliers(&f->pd, f->med, 11, lam, &cancel), 1);
    assert_memory_equal(lam, f->start, f->pd.stride * sizeof *lam);
    ekm__warm_min_n = was;
    free(lam);
    fixture_free(f);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closes_most_of_the_gap),
        cmocka_unit_test(test_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
