/* test_float_range.c — exactness at the ends of the float range.
 *
 * The solvers filter K-subsets on a float32 matrix and decide in double. These
 * cases put the dissimilarities where float alone would fail: sums that
 * overflow (entries near 1e38), values below float's normal range (1e-44, from
 * coordinates near 1e-22 squared), coordinates that are themselves subnormal
 * in float (1e-44), and matrices whose dynamic range is wider than float's.
 * Every exact strategy on 1 to 3 threads must return what the independent
 * brute force (long double, tests/support/brute.c) returns; the heuristics
 * must return finite objectives no better than the optimum; and data whose
 * objective could overflow a double is refused with a message. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "brute.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/heuristic.h"
#include "ekm/job.h"

static const ekm_strategy exact_strategies[] = {
    EKM_STRATEGY_SEQ,  EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,  EKM_STRATEGY_PAR2,
    EKM_STRATEGY_TREE, EKM_STRATEGY_FUSED, EKM_STRATEGY_PRUNED};
static const ekm_strategy heuristics[] = {EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM,
                                          EKM_STRATEGY_CLARANS, EKM_STRATEGY_ALTERNATE};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void set_text(char *buf, size_t size, const uint32_t *set, unsigned k)
{
    buf[0] = 0;
    for (unsigned i = 0; i < k; i++)
        snprintf(buf + strlen(buf), size - strlen(buf), " %u", set[i]);
}

/* Every exact strategy and thread count against the brute force on D. */
static void check_all(const char *what, ekm_dissim *dm, const long double *D, size_t n,
                      unsigned k)
{
    uint32_t want[8];
    double want_obj;
    uint64_t visited;
    assert_int_equal(brute_solve(D, n, k, want, &want_obj, &visited), 0);
    assert_true(isfinite(want_obj));
    for (size_t s = 0; s < COUNT(exact_strategies); s++)
        for (unsigned t = 1; t <= 3; t++) {
            ekm_solve_options opt = ekm_solve_options_default();
            opt.k = k;
            opt.strategy = exact_strategies[s];
            opt.threads = t;
            if (opt.strategy == EKM_STRATEGY_TREE)
                opt.partitions = 3;
            ekm_result *r = NULL;
            ekm_error err;
            memset(&err, 0, sizeof err);
            ekm_status st = ekm_solve(dm, &opt, &r, &err);
            if (st)
                fail_msg("%s k=%u %s T=%u: %s", what, k, ekm_strategy_name(opt.strategy), t,
                         err.message);
            if (memcmp(r->medoids, want, k * sizeof *want) != 0 ||
                !(fabs(r->objective - want_obj) <= 1e-9 * want_obj)) {
                char got[128], exp[128];
                set_text(got, sizeof got, r->medoids, k);
                set_text(exp, sizeof exp, want, k);
                fail_msg("%s k=%u %s T=%u: got {%s} %.17g, brute force {%s} %.17g", what, k,
                         ekm_strategy_name(opt.strategy), t, got, r->objective, exp, want_obj);
            }
            assert_true(r->exact);
            assert_int_equal(r->total, visited);
            assert_int_equal(r->evaluated + r->pruned, visited);
            ekm_result_free(r);
        }
    /* pruned without the matrix (rows computed on the fly): the same answers */
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    if (ds) {
        ekm_dissim *lz = NULL;
        ekm_error err;
        assert_int_equal(ekm_dissim_from_dataset_lazy(ds, ekm_dissim_metric(dm), &lz, &err),
                         EKM_OK);
        assert_false(ekm_dissim_has_matrix(lz));
        assert_true(ekm_dissim_float_scale(lz) == ekm_dissim_float_scale(dm));
        assert_true(ekm_dissim_float_abs_err(lz) == ekm_dissim_float_abs_err(dm));
        for (unsigned t = 1; t <= 3; t++) {
            ekm_solve_options opt = ekm_solve_options_default();
            opt.k = k;
            opt.strategy = EKM_STRATEGY_PRUNED;
            opt.threads = t;
            ekm_result *r = NULL;
            if (ekm_solve(lz, &opt, &r, &err))
                fail_msg("%s k=%u pruned matrix-free T=%u: %s", what, k, t, err.message);
            if (memcmp(r->medoids, want, k * sizeof *want) != 0 ||
                !(fabs(r->objective - want_obj) <= 1e-9 * want_obj))
                fail_msg("%s k=%u pruned matrix-free T=%u: objective %.17g, brute force %.17g",
                         what, k, t, r->objective, want_obj);
            assert_int_equal(r->evaluated + r->pruned, visited);
            ekm_result_free(r);
        }
        ekm_dissim_release(lz);
    }
    for (size_t h = 0; h < COUNT(heuristics); h++) {
        ekm_heuristic_options ho;
        memset(&ho, 0, sizeof ho);
        ho.k = k;
        ho.seed = 7;
        uint32_t med[8];
        double obj = NAN;
        ekm_error err;
        ekm_status st = ekm_heuristic_run(dm, heuristics[h], &ho, med, &obj, NULL, &err);
        if (st)
            fail_msg("%s k=%u %s: %s", what, k, ekm_strategy_name(heuristics[h]), err.message);
        if (!isfinite(obj) || obj < want_obj * (1.0 - 1e-9))
            fail_msg("%s k=%u %s: objective %.17g against the optimum %.17g", what, k,
                     ekm_strategy_name(heuristics[h]), obj, want_obj);
        for (unsigned i = 0; i < k; i++)
            assert_true(med[i] < n && (i == 0 || med[i] > med[i - 1]));
    }
}

/* Points x (n x d, row-major) under a metric, every k in ks. */
static void check_points(const char *what, const double *x, size_t n, size_t d, ekm_metric m,
                         brute_metric bm, const unsigned *ks, size_t nk)
{
    ekm_dataset *ds;
    ekm_dissim *dm;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points(what, n, d, x, NULL, &ds, &err), EKM_OK);
    ekm_status st = ekm_dissim_from_dataset(ds, m, &dm, &err);
    if (st)
        fail_msg("%s: %s", what, err.message);
    ekm_dataset_release(ds);
    /* the float rows are finite: nothing overflowed */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            assert_true(isfinite(ekm_dissim_row(dm, i)[j]));
    long double *D = brute_matrix(x, n, d, bm);
    for (size_t i = 0; i < nk; i++)
        check_all(what, dm, D, n, ks[i]);
    free(D);
    ekm_dissim_release(dm);
}

/* Seeded points scaled by `scale` (half of them on a small grid: ties). */
static double *scaled_points(size_t n, size_t d, int grid, uint64_t seed, double scale)
{
    double *x = malloc(n * d * sizeof *x);
    brute_random_points(x, n, d, grid, seed);
    for (size_t i = 0; i < n * d; i++)
        x[i] = x[i] * scale + (grid ? 0.0 : 0.25 * scale);
    return x;
}

/* The reported reproducer: 64 points, 8e37 on every 8th row, 4e37 on row 1,
 * (0, i mod 5) elsewhere; the float block sums used to overflow and every
 * enumerating strategy returned medoid 1 at 2.52e39 instead of 6.8e38. */
static void test_overflow_reproducer(void **state)
{
    (void)state;
    double x[64 * 2];
    for (int i = 0; i < 64; i++) {
        x[2 * i] = i % 8 == 0 ? 8e37 : i == 1 ? 4e37 : 0.0;
        x[2 * i + 1] = i % 8 == 0 || i == 1 ? 0.0 : (double)(i % 5);
    }
    const unsigned ks[] = {1, 2};
    check_points("overflow-64", x, 64, 2, EKM_METRIC_EUCLIDEAN, BRUTE_EUCLIDEAN, ks, 2);
}

/* Coordinates near 3e-22, squared distances near 1e-44: below float's normal
 * range (and its smallest subnormal) unless scaled. */
static void test_subnormal_reproducer(void **state)
{
    (void)state;
    double x[80 * 2];
    uint64_t z = 12345;
    for (int i = 0; i < 160; i++) {
        z = z * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = 3e-22 * (1.0 + (double)(z >> 11) * 0x1p-53);
    }
    const unsigned ks[] = {3};
    check_points("subnormal-80", x, 80, 2, EKM_METRIC_SQEUCLIDEAN, BRUTE_SQEUCLIDEAN, ks, 1);
}

static void scale_cases(const char *what, double scale, ekm_metric m, brute_metric bm)
{
    const unsigned ks[] = {1, 2, 3};
    for (uint64_t c = 0; c < 4; c++) {
        size_t n = 12 + c * 3, d = 1 + c % 3;
        int grid = c % 2 ? 0 : 3 + (int)c;
        double *x = scaled_points(n, d, grid, 900 + c, scale);
        char name[64];
        snprintf(name, sizeof name, "%s-case%llu", what, (unsigned long long)c);
        check_points(name, x, n, d, m, bm, ks, 3);
        free(x);
    }
}

static void test_scale_1e38(void **state)
{
    (void)state;
    scale_cases("1e38", 1e38, EKM_METRIC_EUCLIDEAN, BRUTE_EUCLIDEAN);
    scale_cases("1e38-manhattan", 1e38, EKM_METRIC_MANHATTAN, BRUTE_MANHATTAN);
}

static void test_scale_1e19_squared(void **state)
{
    (void)state;
    scale_cases("1e19-sq", 1e19, EKM_METRIC_SQEUCLIDEAN, BRUTE_SQEUCLIDEAN);
}

static void test_scale_1e22_small_squared(void **state)
{
    (void)state;
    scale_cases("1e-22-sq", 1e-22, EKM_METRIC_SQEUCLIDEAN, BRUTE_SQEUCLIDEAN);
}

static void test_scale_1e44_small(void **state)
{
    (void)state;
    scale_cases("1e-44", 1e-44, EKM_METRIC_EUCLIDEAN, BRUTE_EUCLIDEAN);
    scale_cases("1e-44-manhattan", 1e-44, EKM_METRIC_MANHATTAN, BRUTE_MANHATTAN);
}

/* A random symmetric matrix: entries v * mag^u for u uniform in [-1, 1] (a
 * dynamic range of mag^2), or up to `top` when mag is 0. */
static double *random_matrix(size_t n, uint64_t seed, double top, double mag)
{
    double *v = calloc(n * n, sizeof *v);
    uint64_t z = seed;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            z = z * 6364136223846793005ull + 1442695040888963407ull;
            double r = (double)(z >> 11) * 0x1p-53;
            double e = mag > 0 ? top * pow(mag, 2.0 * r - 1.0) : top * (0.05 + 0.95 * r);
            v[i * n + j] = v[j * n + i] = e;
        }
    return v;
}

static void check_matrix(const char *what, const double *v, size_t n, const unsigned *ks,
                         size_t nk)
{
    ekm_dissim *dm;
    ekm_error err;
    ekm_status st = ekm_dissim_from_matrix(what, n, v, &dm, &err);
    if (st)
        fail_msg("%s: %s", what, err.message);
    long double *D = malloc(n * n * sizeof *D);
    for (size_t i = 0; i < n * n; i++)
        D[i] = v[i];
    for (size_t i = 0; i < nk; i++)
        check_all(what, dm, D, n, ks[i]);
    free(D);
    ekm_dissim_release(dm);
}

/* Matrices with entries up to 3e38 (pruned used to return sets 9 % worse),
 * up to the largest accepted value, and with dynamic ranges wider than
 * float's (1e-300 .. 1e300 side by side). */
static void test_matrix_extremes(void **state)
{
    (void)state;
    const unsigned ks[] = {1, 2, 3, 4};
    for (uint64_t c = 0; c < 3; c++) {
        size_t n = 14 + 2 * c;
        double *v = random_matrix(n, 77 + c, 3e38, 0);
        check_matrix("matrix-3e38", v, n, ks, 4);
        free(v);
        v = random_matrix(n, 177 + c, DBL_MAX / (2.0 * (double)n), 0);
        check_matrix("matrix-dbl-max", v, n, ks, 4);
        free(v);
        v = random_matrix(n, 277 + c, 1.0, 1e300);
        check_matrix("matrix-wide", v, n, ks, 4);
        free(v);
        v = random_matrix(n, 377 + c, 1e-290, 1e15);
        check_matrix("matrix-tiny", v, n, ks, 4);
        free(v);
    }
}

/* Entries of 1 beside two below float's smallest subnormal (0.9 and 0.6 of
 * 2^-149): both round to 2^-149 in the float rows, so the float objectives of
 * {0,1,2} (0.9 * 2^-149, found first) and {0,1,3} (0.6 * 2^-149, the optimum)
 * are equal, and a filter without the absolute error term keeps the first. */
static void test_tiny_difference_decides(void **state)
{
    (void)state;
    const double tb = 0.9 * 0x1p-149, ta = 0.6 * 0x1p-149;
    double v[16] = {0, 1, 1, tb, /**/ 1, 0, ta, 1, /**/ 1, ta, 0, 1, /**/ tb, 1, 1, 0};
    ekm_dissim *dm;
    assert_int_equal(ekm_dissim_from_matrix("tiny", 4, v, &dm, NULL), EKM_OK);
    assert_true(ekm_dissim_float_scale(dm) == 1.0);
    assert_true(ekm_dissim_row(dm, 0)[3] == ekm_dissim_row(dm, 1)[2]); /* equal in float */
    assert_true(ekm_dissim_float_abs_err(dm) > 0.0);
    ekm_dissim_release(dm);
    const unsigned ks[] = {1, 2, 3};
    check_matrix("tiny-difference", v, 4, ks, 3);
}

/* Objectives that could overflow a double are refused, naming the points. */
static void test_too_large_refused(void **state)
{
    (void)state;
    double x[3 * 1] = {0.0, 1e200, -1e200};
    ekm_dataset *ds;
    ekm_dissim *dm = NULL;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("huge", 3, 1, x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_SQEUCLIDEAN, &dm, &err),
                     EKM_ERR_INVALID);
    assert_null(dm);
    assert_non_null(strstr(err.message, "too large"));
    assert_non_null(strstr(err.message, "rescale"));
    ekm_dataset_release(ds);
    /* euclidean distances of 2e150 are fine: their squares and sums fit a double */
    double y[3] = {0.0, 1e150, -1e150};
    assert_int_equal(ekm_dataset_from_points("big", 3, 1, y, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &err), EKM_OK);
    uint32_t one = 0;
    assert_true(ekm_dissim_objective(dm, &one, 1) == 2e150);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
    double v[4] = {0, DBL_MAX / 3, DBL_MAX / 3, 0};
    dm = NULL;
    assert_int_equal(ekm_dissim_from_matrix("m", 2, v, &dm, &err), EKM_ERR_PARSE);
    assert_null(dm);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.message, "too large"));
}

/* Ordinary data keeps scale 1 and no absolute term: its float matrix is the
 * rounded doubles, as before. */
static void test_ordinary_data_unscaled(void **state)
{
    (void)state;
    double *x = scaled_points(20, 2, 0, 5, 10.0);
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_dataset_from_points("plain", 20, 2, x, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    assert_true(ekm_dissim_float_scale(dm) == 1.0);
    assert_true(ekm_dissim_float_abs_err(dm) == 0.0);
    for (size_t i = 0; i < 20; i++)
        for (size_t j = 0; j < 20; j++)
            assert_true(ekm_dissim_row(dm, i)[j] == (float)ekm_dissim_exact(dm, i, j));
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
    free(x);
    /* a power of two, and entries exactly the scaled doubles rounded once */
    x = scaled_points(20, 2, 0, 6, 1e38);
    assert_int_equal(ekm_dataset_from_points("big", 20, 2, x, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    double s = ekm_dissim_float_scale(dm);
    int e;
    assert_true(frexp(s, &e) == 0.5 && s < 1.0);
    for (size_t i = 0; i < 20; i++)
        for (size_t j = 0; j < 20; j++) {
            float f = ekm_dissim_row(dm, i)[j];
            assert_true(f == (float)(ekm_dissim_exact(dm, i, j) * s));
            assert_true(f <= 0x1p100f);
        }
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overflow_reproducer),
        cmocka_unit_test(test_subnormal_reproducer),
        cmocka_unit_test(test_scale_1e38),
        cmocka_unit_test(test_scale_1e19_squared),
        cmocka_unit_test(test_scale_1e22_small_squared),
        cmocka_unit_test(test_scale_1e44_small),
        cmocka_unit_test(test_matrix_extremes),
        cmocka_unit_test(test_tiny_difference_decides),
        cmocka_unit_test(test_too_large_refused),
        cmocka_unit_test(test_ordinary_data_unscaled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
