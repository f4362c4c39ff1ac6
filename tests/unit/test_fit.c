/* test_fit.c — the benchmark's models: least-squares lines and power laws
 * recovered exactly from synthetic timings, R² below 1 on noisy or curved data,
 * Amdahl and Gustafson at known points, the parallel fraction recovered from
 * synthetic Amdahl speedups, the study's eqs. 19-20, and refusals of bad input. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ekm/fit.h"

static void assert_rel(double got, double want, double tol)
{
    double err = fabs(got - want) / (fabs(want) > 0 ? fabs(want) : 1.0);
    if (!(err <= tol))
        fail_msg("got %.17g, want %.17g (relative error %.3g > %.3g)", got, want, err, tol);
}

/* The study's grid: N = 50, 100, ..., 800. */
static size_t study_grid(double *x)
{
    for (size_t i = 0; i < 16; i++)
        x[i] = 50.0 * (double)(i + 1);
    return 16;
}

static void linear_exact(void **state)
{
    (void)state;
    double x[16], y[16];
    size_t n = study_grid(x);
    for (size_t i = 0; i < n; i++)
        y[i] = 3.75e-3 * x[i] - 0.125;
    ekm_linear_fit f;
    assert_int_equal(ekm_fit_linear(x, y, n, &f, NULL), EKM_OK);
    assert_rel(f.a, 3.75e-3, 1e-9);
    assert_rel(f.b, -0.125, 1e-9);
    assert_rel(f.r2, 1.0, 1e-12);
    assert_int_equal(f.n, 16);
    assert_rel(ekm_fit_linear_at(&f, 1000), 3.625, 1e-9);
}

static void linear_large_offset(void **state)
{
    (void)state;
    /* x near 1e6: a one-pass formula would lose the slope's digits */
    double x[5] = {1e6, 1e6 + 1, 1e6 + 2, 1e6 + 3, 1e6 + 4}, y[5];
    for (int i = 0; i < 5; i++)
        y[i] = 2.0 * x[i] + 7.0;
    ekm_linear_fit f;
    assert_int_equal(ekm_fit_linear(x, y, 5, &f, NULL), EKM_OK);
    assert_rel(f.a, 2.0, 1e-9);
    assert_rel(f.b, 7.0, 1e-6); /* b = mean(y) - a·mean(x): cancels 2e6 down to 7 */
    assert_rel(f.r2, 1.0, 1e-12);
}

static void linear_noisy(void **state)
{
    (void)state;
    double x[16], y[16];
    size_t n = study_grid(x);
    for (size_t i = 0; i < n; i++)
        y[i] = (2e-3 * x[i] + 0.5) * (i % 2 ? 1.05 : 0.95); /* ±5 % alternating */
    ekm_linear_fit f;
    assert_int_equal(ekm_fit_linear(x, y, n, &f, NULL), EKM_OK);
    assert_true(f.r2 < 1.0);
    assert_true(f.r2 > 0.95);
    assert_rel(f.a, 2e-3, 0.05);
}

static void linear_on_a_power_law(void **state)
{
    (void)state;
    /* enumeration times grow as N^4: a straight line cannot fit them exactly */
    double x[16], y[16];
    size_t n = study_grid(x);
    for (size_t i = 0; i < n; i++)
        y[i] = 1e-11 * pow(x[i], 4);
    ekm_linear_fit f;
    assert_int_equal(ekm_fit_linear(x, y, n, &f, NULL), EKM_OK);
    assert_true(f.r2 < 0.95);
    assert_true(f.a > 0);
}

static void power_exact(void **state)
{
    (void)state;
    double x[16], y[16];
    size_t n = study_grid(x);
    for (size_t i = 0; i < n; i++)
        y[i] = 2.5e-12 * pow(x[i], 4.0);
    ekm_power_fit f;
    assert_int_equal(ekm_fit_power(x, y, n, &f, NULL), EKM_OK);
    assert_rel(f.p, 4.0, 1e-9);
    assert_rel(f.c, 2.5e-12, 1e-9);
    assert_rel(f.r2_log, 1.0, 1e-12);
    assert_rel(f.r2, 1.0, 1e-12);
    assert_rel(ekm_fit_power_at(&f, 1600), 2.5e-12 * pow(1600, 4), 1e-9);
}

static void power_fractional_exponent(void **state)
{
    (void)state;
    double x[6] = {1, 2, 4, 8, 16, 32}, y[6];
    for (int i = 0; i < 6; i++)
        y[i] = 7.0 * pow(x[i], -0.5);
    ekm_power_fit f;
    assert_int_equal(ekm_fit_power(x, y, 6, &f, NULL), EKM_OK);
    assert_rel(f.p, -0.5, 1e-9);
    assert_rel(f.c, 7.0, 1e-9);
}

static void power_noisy(void **state)
{
    (void)state;
    double x[16], y[16];
    size_t n = study_grid(x);
    for (size_t i = 0; i < n; i++)
        y[i] = 1e-11 * pow(x[i], 4) * (i % 3 == 0 ? 1.1 : i % 3 == 1 ? 0.92 : 1.0);
    ekm_power_fit f;
    assert_int_equal(ekm_fit_power(x, y, n, &f, NULL), EKM_OK);
    assert_true(f.r2_log < 1.0);
    assert_true(f.r2 < 1.0);
    assert_true(fabs(f.p - 4.0) < 0.1);
}

static void refusals(void **state)
{
    (void)state;
    double x[3] = {1, 1, 1}, y[3] = {1, 2, 3};
    ekm_linear_fit lf;
    ekm_power_fit pf;
    ekm_error e;
    assert_int_equal(ekm_fit_linear(x, y, 1, &lf, &e), EKM_ERR_INVALID);
    assert_int_equal(ekm_fit_linear(x, y, 3, &lf, &e), EKM_ERR_INVALID); /* one distinct x */
    assert_true(isnan(lf.a));
    double xn[2] = {1, NAN};
    assert_int_equal(ekm_fit_linear(xn, y, 2, &lf, &e), EKM_ERR_INVALID);
    double x2[3] = {1, 2, 3}, yz[3] = {1, 0, 3}, yneg[3] = {1, -2, 3};
    assert_int_equal(ekm_fit_power(x2, yz, 3, &pf, &e), EKM_ERR_INVALID);
    assert_int_equal(ekm_fit_power(x2, yneg, 3, &pf, &e), EKM_ERR_INVALID);
    assert_int_equal(ekm_fit_power(x, y, 3, &pf, &e), EKM_ERR_INVALID);
    assert_int_equal(ekm_fit_power(x2, y, 1, &pf, &e), EKM_ERR_INVALID);
    assert_true(e.message[0] != '\0');
}

static void amdahl_gustafson(void **state)
{
    (void)state;
    /* par1 at K=3: the merge holds 3/4 of the work */
    assert_rel(ekm_amdahl(0.75, 2), 1.6, 1e-15);
    assert_rel(ekm_gustafson(0.75, 2), 1.75, 1e-15);
    assert_rel(ekm_amdahl(0.9, 1), 1.0, 1e-15);
    assert_rel(ekm_gustafson(0.9, 1), 1.0, 1e-15);
    assert_rel(ekm_amdahl(1.0, 8), 8.0, 1e-15);
    assert_rel(ekm_gustafson(1.0, 8), 8.0, 1e-15);
    assert_rel(ekm_amdahl(0.0, 8), 1.0, 1e-15);
    assert_rel(ekm_amdahl(0.95, 1e12), 20.0, 1e-9); /* the limit 1/(1-p) */
}

static void parallel_fraction_exact(void **state)
{
    (void)state;
    const double ps[] = {0.0, 0.5, 0.9, 0.99, 1.0};
    double t[6] = {1, 2, 3, 4, 8, 16}, s[6];
    for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) {
        for (int i = 0; i < 6; i++)
            s[i] = ekm_amdahl(ps[k], t[i]);
        ekm_parallel_fit f;
        assert_int_equal(ekm_fit_parallel_fraction(t, s, 6, &f, NULL), EKM_OK);
        assert_true(fabs(f.p - ps[k]) < 1e-12);
        assert_true(fabs(f.raw - ps[k]) < 1e-12);
        assert_true(f.rms < 1e-12);
        assert_int_equal(f.n, 6);
    }
}

static void parallel_fraction_noisy_and_slowdown(void **state)
{
    (void)state;
    double t[4] = {1, 2, 3, 4}, s[4];
    for (int i = 0; i < 4; i++)
        s[i] = ekm_amdahl(0.8, t[i]) * (i % 2 ? 1.03 : 0.97);
    ekm_parallel_fit f;
    assert_int_equal(ekm_fit_parallel_fraction(t, s, 4, &f, NULL), EKM_OK);
    assert_true(fabs(f.p - 0.8) < 0.05);
    assert_true(f.rms > 0.001);
    /* twice as slow on 2 threads: u = 1/2, v = 1 - 2 = -1, p = -2, clamped to 0 */
    double t2[2] = {1, 2}, s2[2] = {1, 0.5};
    assert_int_equal(ekm_fit_parallel_fraction(t2, s2, 2, &f, NULL), EKM_OK);
    assert_true(fabs(f.raw + 2.0) < 1e-12);
    assert_true(f.p == 0.0);
    /* superlinear: clamped to 1 */
    double s3[2] = {1, 2.5};
    assert_int_equal(ekm_fit_parallel_fraction(t2, s3, 2, &f, NULL), EKM_OK);
    assert_true(f.raw > 1.0);
    assert_true(f.p == 1.0);
}

static void parallel_fraction_refusals(void **state)
{
    (void)state;
    double t1[2] = {1, 1}, s1[2] = {1, 1};
    ekm_parallel_fit f;
    ekm_error e;
    assert_int_equal(ekm_fit_parallel_fraction(t1, s1, 2, &f, &e), EKM_ERR_INVALID);
    double t[2] = {1, 2}, s0[2] = {1, 0};
    assert_int_equal(ekm_fit_parallel_fraction(t, s0, 2, &f, &e), EKM_ERR_INVALID);
    double tb[2] = {0.5, 2}, s[2] = {1, 1.5};
    assert_int_equal(ekm_fit_parallel_fraction(tb, s, 2, &f, &e), EKM_ERR_INVALID);
    assert_int_equal(ekm_fit_parallel_fraction(t, s, 0, &f, &e), EKM_ERR_INVALID);
}

static void study_speedup(void **state)
{
    (void)state;
    /* eqs. 19-20: t_a = 10 s, t_b = 4 s: 60 % shorter, 2.5 times as fast */
    assert_rel(ekm_speedup_percent(10, 4), 60.0, 1e-15);
    assert_rel(ekm_speedup_ratio(10, 4), 2.5, 1e-15);
    assert_rel(ekm_speedup_percent(4, 10), -150.0, 1e-15);
    assert_rel(ekm_speedup_ratio(4, 10), 0.4, 1e-15);
    assert_true(ekm_speedup_percent(3, 3) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_exact),
        cmocka_unit_test(linear_large_offset),
        cmocka_unit_test(linear_noisy),
        cmocka_unit_test(linear_on_a_power_law),
        cmocka_unit_test(power_exact),
        cmocka_unit_test(power_fractional_exponent),
        cmocka_unit_test(power_noisy),
        cmocka_unit_test(refusals),
        cmocka_unit_test(amdahl_gustafson),
        cmocka_unit_test(parallel_fraction_exact),
        cmocka_unit_test(parallel_fraction_noisy_and_slowdown),
        cmocka_unit_test(parallel_fraction_refusals),
        cmocka_unit_test(study_speedup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
