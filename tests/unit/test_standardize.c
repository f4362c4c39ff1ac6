/* test_standardize.c — column standardisation (mad = R cluster's stand=TRUE,
 * zscore, range) against the transforms computed here independently in long
 * double, and the exact optimum on the standardised data against the brute force
 * (tests/support/brute.c); constant and overflowing columns refused, naming the
 * file and the column. */
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
#include "ekm/job.h"

/* The test's own transform, written from the definitions:
 *   mad:    (x - mean) / (sum |x - mean| / n)        (R: cluster's stand=TRUE)
 *   zscore: (x - mean) / sqrt(sum (x - mean)^2 / (n - 1))
 *   range:  (x - min) / (max - min)                                            */
static void reference_transform(const double *x, size_t n, size_t d, ekm_standardize how,
                                double *y)
{
    for (size_t j = 0; j < d; j++) {
        long double sum = 0, lo = x[j], hi = x[j];
        for (size_t i = 0; i < n; i++) {
            long double v = x[i * d + j];
            sum += v;
            lo = fminl(lo, v);
            hi = fmaxl(hi, v);
        }
        long double mean = sum / (long double)n, abs_dev = 0, sq_dev = 0;
        for (size_t i = 0; i < n; i++) {
            long double e = (long double)x[i * d + j] - mean;
            abs_dev += fabsl(e);
            sq_dev += e * e;
        }
        long double centre = how == EKM_STANDARDIZE_RANGE ? lo : mean;
        long double scale = how == EKM_STANDARDIZE_MAD      ? abs_dev / (long double)n
                            : how == EKM_STANDARDIZE_ZSCORE ? sqrtl(sq_dev / (long double)(n - 1))
                                                            : hi - lo;
        for (size_t i = 0; i < n; i++)
            y[i * d + j] = (double)(((long double)x[i * d + j] - centre) / scale);
    }
}

/* n points whose columns have very different scales (so standardising matters),
 * as CSV text with a header and a label column. */
static char *make_csv(size_t n, size_t d, uint64_t seed, double *x)
{
    brute_random_points(x, n, d, 0, seed);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            x[i * d + j] = x[i * d + j] * pow(10.0, (double)j * 1.5) - 3.0 * (double)j;
    size_t cap = 64 + n * (d + 1) * 32;
    char *text = malloc(cap);
    size_t o = 0;
    for (size_t j = 0; j < d; j++)
        o += (size_t)snprintf(text + o, cap - o, "c%zu,", j);
    o += (size_t)snprintf(text + o, cap - o, "name\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++)
            o += (size_t)snprintf(text + o, cap - o, "%.17g,", x[i * d + j]);
        o += (size_t)snprintf(text + o, cap - o, "p%zu\n", i);
    }
    return text;
}

static void check_against_brute(ekm_standardize how, ekm_metric metric, brute_metric bm,
                                size_t n, size_t d, unsigned k, uint64_t seed)
{
    double *x = malloc(n * d * sizeof *x), *y = malloc(n * d * sizeof *y);
    char *text = make_csv(n, d, seed, x);
    ekm_dataset *ds, *sd;
    ekm_error e;
    assert_int_equal(ekm_dataset_parse_csv("t.csv", text, strlen(text), NULL, &ds, &e), EKM_OK);
    assert_int_equal(ekm_dataset_standardize(ds, how, &sd, &e), EKM_OK);
    assert_int_equal(ekm_dataset_standardization(sd), how);
    assert_ptr_equal(ekm_dataset_original(sd), ds);
    /* the original values stay as read; labels and names are shared */
    for (size_t i = 0; i < n * d; i++)
        assert_true(ekm_dataset_coords(ds)[i] == x[i]);
    assert_string_equal(ekm_dataset_label(sd, 3), "p3");
    assert_string_equal(ekm_dataset_column_name(sd, 1), "c1");
    assert_string_equal(ekm_dataset_label_column_name(sd), "name");
    /* the transform, element by element */
    reference_transform(x, n, d, how, y);
    for (size_t i = 0; i < n * d; i++)
        assert_true(fabs(ekm_dataset_coords(sd)[i] - y[i]) <= 1e-12 * (1 + fabs(y[i])));
    /* the exact optimum of the standardised data is the brute force's on y */
    ekm_dissim *dm;
    assert_int_equal(ekm_dissim_from_dataset(sd, metric, &dm, &e), EKM_OK);
    long double *D = brute_matrix(y, n, d, bm);
    uint32_t want[8];
    double want_obj;
    uint64_t visited;
    assert_int_equal(brute_solve(D, n, k, want, &want_obj, &visited), 0);
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = k;
    opt.strategy = EKM_STRATEGY_PRUNED;
    opt.threads = 2;
    ekm_result *r;
    assert_int_equal(ekm_solve(dm, &opt, &r, &e), EKM_OK);
    assert_true(r->exact);
    assert_memory_equal(r->medoids, want, k * sizeof *want);
    assert_true(fabs(r->objective - want_obj) <= 1e-9 * fabs(want_obj));
    ekm_result_free(r);
    free(D);
    ekm_dissim_release(dm);
    ekm_dataset_release(sd);
    ekm_dataset_release(ds);
    free(text);
    free(y);
    free(x);
}

static void test_mad_is_r_stand_true(void **state)
{
    (void)state;
    check_against_brute(EKM_STANDARDIZE_MAD, EKM_METRIC_EUCLIDEAN, BRUTE_EUCLIDEAN, 24, 3, 3, 7);
    check_against_brute(EKM_STANDARDIZE_MAD, EKM_METRIC_MANHATTAN, BRUTE_MANHATTAN, 20, 4, 2, 8);
}

static void test_zscore_and_range(void **state)
{
    (void)state;
    check_against_brute(EKM_STANDARDIZE_ZSCORE, EKM_METRIC_EUCLIDEAN, BRUTE_EUCLIDEAN, 22, 3, 3,
                        9);
    check_against_brute(EKM_STANDARDIZE_RANGE, EKM_METRIC_SQEUCLIDEAN, BRUTE_SQEUCLIDEAN, 21, 2,
                        4, 10);
}

/* R: colMeans(abs(scale(x, scale = FALSE))) on a small column, by hand:
 * x = 1, 2, 3, 10: mean 4, |dev| 3 2 1 6, MAD 3: (x - 4) / 3. */
static void test_mad_by_hand(void **state)
{
    (void)state;
    const char *text = "a,b\n1,5\n2,6\n3,8\n10,5\n";
    ekm_dataset *ds, *sd;
    ekm_error e;
    assert_int_equal(ekm_dataset_parse_csv("h.csv", text, strlen(text), NULL, &ds, &e), EKM_OK);
    assert_int_equal(ekm_dataset_standardize(ds, EKM_STANDARDIZE_MAD, &sd, &e), EKM_OK);
    const double want_a[] = {-1.0, -2.0 / 3.0, -1.0 / 3.0, 2.0};
    for (int i = 0; i < 4; i++)
        assert_true(fabs(ekm_dataset_point(sd, (size_t)i)[0] - want_a[i]) < 1e-15);
    ekm_dataset_release(sd);
    /* range of b: 5..8 */
    assert_int_equal(ekm_dataset_standardize(ds, EKM_STANDARDIZE_RANGE, &sd, &e), EKM_OK);
    assert_true(ekm_dataset_point(sd, 2)[1] == 1.0 && ekm_dataset_point(sd, 0)[1] == 0.0);
    /* standardising a standardised dataset starts from the original values */
    ekm_dataset *again;
    assert_int_equal(ekm_dataset_standardize(sd, EKM_STANDARDIZE_MAD, &again, &e), EKM_OK);
    assert_true(fabs(ekm_dataset_point(again, 3)[0] - 2.0) < 1e-15);
    assert_ptr_equal(ekm_dataset_original(again), ds);
    ekm_dataset_release(again);
    /* none gives the original back */
    assert_int_equal(ekm_dataset_standardize(sd, EKM_STANDARDIZE_NONE, &again, &e), EKM_OK);
    assert_ptr_equal(again, ds);
    ekm_dataset_release(again);
    ekm_dataset_release(sd);
    ekm_dataset_release(ds);
}

static void test_constant_column_refused(void **state)
{
    (void)state;
    const char *text = "a,b,c\n1,0.1,3\n2,0.1,4\n3,0.1,5\n";
    ekm_dataset *ds, *sd;
    ekm_error e;
    assert_int_equal(ekm_dataset_parse_csv("k.csv", text, strlen(text), NULL, &ds, &e), EKM_OK);
    sd = ds; /* must be set to NULL on failure */
    const ekm_standardize all[] = {EKM_STANDARDIZE_MAD, EKM_STANDARDIZE_ZSCORE,
                                   EKM_STANDARDIZE_RANGE};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ekm_dataset_standardize(ds, all[i], &sd, &e), EKM_ERR_INVALID);
        assert_null(sd);
        char msg[1200];
        ekm_error_format(&e, msg, sizeof msg);
        assert_non_null(strstr(msg, "k.csv: column 2 ('b') is constant (every value is 0.1)"));
        assert_non_null(strstr(msg, ekm_standardize_name(all[i])));
        assert_null(strchr(msg, '\n'));
    }
    ekm_dataset_release(ds);
    /* one point: every column is constant */
    const char *one = "7,8\n";
    assert_int_equal(ekm_dataset_parse_csv("one.csv", one, strlen(one), NULL, &ds, &e), EKM_OK);
    assert_int_equal(ekm_dataset_standardize(ds, EKM_STANDARDIZE_ZSCORE, &sd, &e),
                     EKM_ERR_INVALID);
    assert_non_null(strstr(e.message, "column 1 is constant"));
    ekm_dataset_release(ds);
}

/* Values whose mean or scale overflows a double: refused, never inf or NaN. */
static void test_overflow_refused(void **state)
{
    (void)state;
    const char *text = "1.7e308,1\n1.7e308,2\n-1.7e308,3\n";
    ekm_dataset *ds, *sd;
    ekm_error e;
    assert_int_equal(ekm_dataset_parse_csv("big.csv", text, strlen(text), NULL, &ds, &e), EKM_OK);
    for (int how = EKM_STANDARDIZE_MAD; how <= EKM_STANDARDIZE_RANGE; how++) {
        assert_int_equal(ekm_dataset_standardize(ds, (ekm_standardize)how, &sd, &e),
                         EKM_ERR_INVALID);
        assert_non_null(strstr(e.message, "column 1"));
    }
    ekm_dataset_release(ds);
}

static void test_names(void **state)
{
    (void)state;
    ekm_standardize h;
    const char *names[] = {"none", "mad", "zscore", "range"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ekm_standardize_parse(names[i], &h), 0);
        assert_int_equal(h, i);
        assert_string_equal(ekm_standardize_name(h), names[i]);
    }
    assert_int_equal(ekm_standardize_parse("MAD", &h), -1);
    assert_int_equal(ekm_standardize_parse("", &h), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mad_is_r_stand_true), cmocka_unit_test(test_zscore_and_range),
        cmocka_unit_test(test_mad_by_hand),         cmocka_unit_test(test_constant_column_refused),
        cmocka_unit_test(test_overflow_refused),    cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
