/* test_silhouette_sample.c — the silhouette from a sample of points
 * (ekm_silhouette_sampled, ekm/quality.h):
 * - a sample of every point is the exact silhouette: per point against a
 *   straightforward long double computation (tests/support/brute.c), on the
 *   coordinates of every metric and on a precomputed matrix, with a standard
 *   error of 0;
 * - on 6,000 points of 2-D blobs without the matrix, samples of 400 points
 *   under 8 seeds: each estimate (mean and per cluster) within 4 standard
 *   errors of the exact value, the sampled points' s(i) equal to the exact
 *   ones and the others NaN, the sample's size as documented;
 * - the same seed gives the same bits on 1, 2 or 4 threads and run after run;
 * - a cluster of 5 points among 6,000 is drawn whole (the floor per cluster);
 * - the default sample sizes; K = 1 not defined; errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "ekm/dissim.h"
#include "ekm/generate.h"
#include "ekm/quality.h"

/* s(i) straight from the definition, in long double. */
static void naive_silhouette(const long double *D, size_t n, const int32_t *cl, unsigned k,
                             double *s)
{
    size_t *size = calloc(k, sizeof *size);
    unsigned nonempty = 0;
    for (size_t i = 0; i < n; i++)
        if (size[cl[i]]++ == 0)
            nonempty++;
    for (size_t i = 0; i < n; i++) {
        if (nonempty < 2) {
            s[i] = NAN;
            continue;
        }
        if (size[cl[i]] == 1) {
            s[i] = 0;
            continue;
        }
        long double a = 0, b = -1;
        for (size_t j = 0; j < n; j++)
            if (j != i && cl[j] == cl[i])
                a += D[i * n + j];
        a /= (long double)(size[cl[i]] - 1);
        for (unsigned c = 0; c < k; c++) {
            if ((int32_t)c == cl[i] || !size[c])
                continue;
            long double sum = 0;
            for (size_t j = 0; j < n; j++)
                if ((unsigned)cl[j] == c)
                    sum += D[i * n + j];
            if (b < 0 || sum / (long double)size[c] < b)
                b = sum / (long double)size[c];
        }
        long double mx = a > b ? a : b;
        s[i] = mx == 0 ? 0.0 : (double)((b - a) / mx);
    }
    free(size);
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void check_all_points(const ekm_dissim *dm, const long double *D, size_t n,
                             const int32_t *cl, unsigned k, size_t sample)
{
    double *got = malloc(n * sizeof *got), *want = malloc(n * sizeof *want);
    double *cm = malloc(k * sizeof *cm), *cse = malloc(k * sizeof *cse);
    unsigned char *in = malloc(n);
    assert_true(got && want && cm && cse && in);
    ekm_silhouette_estimate est;
    assert_int_equal(ekm_silhouette_sampled(dm, cl, k, sample, 3, 2, got, in, cm, cse, &est, NULL),
                     EKM_OK);
    naive_silhouette(D, n, cl, k, want);
    assert_int_equal(est.n, n);
    assert_int_equal(est.sample, n);
    assert_true(est.exact);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(in[i], 1);
        if (isnan(want[i])) {
            assert_true(isnan(got[i]));
            continue;
        }
        assert_true(fabs(got[i] - want[i]) < 1e-12);
        total += want[i];
    }
    if (isnan(want[0])) {
        assert_true(isnan(est.mean) && isnan(est.std_error));
    } else {
        assert_true(fabs(est.mean - total / (double)n) < 1e-12);
        assert_true(est.std_error == 0.0);
    }
    for (unsigned c = 0; c < k; c++) {
        double sum = 0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned)cl[i] == c) {
                sum += want[i];
                m++;
            }
        if (m == 0 || isnan(sum)) {
            assert_true(isnan(cm[c]));
        } else {
            assert_true(fabs(cm[c] - sum / (double)m) < 1e-12);
            assert_true(cse[c] == 0.0);
        }
    }
    free(got), free(want), free(cm), free(cse), free(in);
}

static void all_points_is_exact(void **state)
{
    (void)state;
    uint64_t seed = 0x2545f4914f6cdd1dULL;
    for (int round = 0; round < 24; round++) {
        size_t n = 2 + next(&seed) % 200, d = 1 + next(&seed) % 3;
        unsigned k = 1 + (unsigned)(next(&seed) % 5);
        double *x = malloc(n * d * sizeof *x);
        int32_t *cl = malloc(n * sizeof *cl);
        assert_true(x && cl);
        brute_random_points(x, n, d, round % 2 ? 4 : 0, seed); /* a grid: ties, duplicates */
        brute_metric bm = round % 3 == 0   ? BRUTE_MANHATTAN
                          : round % 3 == 1 ? BRUTE_EUCLIDEAN
                                           : BRUTE_SQEUCLIDEAN;
        ekm_metric em = bm == BRUTE_MANHATTAN   ? EKM_METRIC_MANHATTAN
                        : bm == BRUTE_EUCLIDEAN ? EKM_METRIC_EUCLIDEAN
                                                : EKM_METRIC_SQEUCLIDEAN;
        for (size_t i = 0; i < n; i++)
            cl[i] = (int32_t)(round % 5 == 2 ? (i < k ? i : 0) : next(&seed) % k);
        ekm_dataset *ds;
        ekm_dissim *dm, *lazy, *pre;
        assert_int_equal(ekm_dataset_from_points("r", n, d, x, NULL, &ds, NULL), EKM_OK);
        assert_int_equal(ekm_dissim_from_dataset(ds, em, &dm, NULL), EKM_OK);
        assert_int_equal(ekm_dissim_from_dataset_lazy(ds, em, &lazy, NULL), EKM_OK);
        long double *D = brute_matrix(x, n, d, bm);
        double *dd = malloc(n * n * sizeof *dd);
        assert_non_null(dd);
        for (size_t i = 0; i < n * n; i++)
            dd[i] = (double)D[i];
        assert_int_equal(ekm_dissim_from_matrix("m", n, dd, &pre, NULL), EKM_OK);
        check_all_points(dm, D, n, cl, k, n);
        check_all_points(lazy, D, n, cl, k, n + 7);
        check_all_points(pre, D, n, cl, k, SIZE_MAX);
        ekm_dissim_release(dm);
        ekm_dissim_release(lazy);
        ekm_dissim_release(pre);
        ekm_dataset_release(ds);
        free(D), free(dd), free(x), free(cl);
    }
}

enum { BLOB_N = 6000, SAMPLE = 400 };

/* 6,000 points of three 2-D blobs without the matrix, each point in the
 * cluster of its nearest of the points 0, 1, 2 (one per blob). */
static ekm_dissim *blobs(int32_t *cl)
{
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_generate(EKM_GEN_BLOBS, BLOB_N, 2, 3, 7, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset_lazy(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    const uint32_t med[3] = {0, 1, 2};
    ekm_dissim_assign(dm, med, 3, cl, NULL, NULL);
    return dm;
}

static void estimate_within_standard_errors(void **state)
{
    (void)state;
    static int32_t cl[BLOB_N];
    static double exact[BLOB_N], got[BLOB_N];
    static unsigned char in[BLOB_N];
    ekm_dissim *dm = blobs(cl);
    double ecm[3], mean;
    assert_int_equal(ekm_silhouette(dm, cl, 3, exact, ecm, &mean, NULL), EKM_OK);
    assert_true(mean > 0.1 && mean < 0.9); /* a real clustering, not a degenerate one */
    /* per cluster ceil(400 n_c / n), at least min(n_c, 100, 400 / 3) */
    size_t size[3] = {0}, expected = 0;
    for (size_t i = 0; i < BLOB_N; i++)
        size[cl[i]]++;
    for (int c = 0; c < 3; c++) {
        size_t t = (SAMPLE * size[c] + BLOB_N - 1) / BLOB_N;
        t = t < 100 ? 100 : t;
        expected += t < size[c] ? t : size[c];
    }
    assert_true(expected >= SAMPLE && expected < SAMPLE + 100);
    for (uint64_t seed = 1; seed <= 8; seed++) {
        double cm[3], cse[3];
        ekm_silhouette_estimate est;
        assert_int_equal(ekm_silhouette_sampled(dm, cl, 3, SAMPLE, seed, 0, got, in, cm, cse,
                                                &est, NULL),
                         EKM_OK);
        assert_false(est.exact);
        assert_int_equal(est.n, BLOB_N);
        assert_int_equal(est.sample, expected);
        assert_true(est.std_error > 0 && est.std_error < 0.05);
        assert_true(fabs(est.mean - mean) <= 4 * est.std_error);
        for (int c = 0; c < 3; c++)
            assert_true(cse[c] > 0 && fabs(cm[c] - ecm[c]) <= 4 * cse[c]);
        size_t drawn = 0;
        for (size_t i = 0; i < BLOB_N; i++) {
            if (in[i]) {
                drawn++;
                assert_true(got[i] == exact[i]); /* the same sums in the same order */
            } else {
                assert_true(isnan(got[i]));
            }
        }
        assert_int_equal(drawn, est.sample);
    }
    ekm_dissim_release(dm);
}

static void same_bits_on_any_threads(void **state)
{
    (void)state;
    static int32_t cl[BLOB_N];
    static double first[BLOB_N], again[BLOB_N];
    ekm_dissim *dm = blobs(cl);
    ekm_silhouette_estimate e1, e2;
    double cm1[3], cm2[3];
    assert_int_equal(ekm_silhouette_sampled(dm, cl, 3, SAMPLE, 42, 1, first, NULL, cm1, NULL, &e1,
                                            NULL),
                     EKM_OK);
    const unsigned threads[] = {2, 4, 1, 0};
    for (int t = 0; t < 4; t++) {
        assert_int_equal(ekm_silhouette_sampled(dm, cl, 3, SAMPLE, 42, threads[t], again, NULL,
                                                cm2, NULL, &e2, NULL),
                         EKM_OK);
        assert_memory_equal(first, again, sizeof first); /* NaN for the same points too */
        assert_memory_equal(cm1, cm2, sizeof cm1);
        assert_memory_equal(&e1.mean, &e2.mean, sizeof e1.mean);
        assert_memory_equal(&e1.std_error, &e2.std_error, sizeof e1.std_error);
        assert_int_equal(e1.sample, e2.sample);
    }
    /* another seed draws other points */
    assert_int_equal(ekm_silhouette_sampled(dm, cl, 3, SAMPLE, 43, 1, again, NULL, NULL, NULL,
                                            &e2, NULL),
                     EKM_OK);
    assert_true(memcmp(first, again, sizeof first) != 0);
    ekm_dissim_release(dm);
}

static void small_cluster_drawn_whole(void **state)
{
    (void)state;
    static int32_t cl[BLOB_N];
    static double exact[BLOB_N], got[BLOB_N];
    static unsigned char in[BLOB_N];
    ekm_dissim *dm = blobs(cl);
    for (size_t i = 100; i < 105; i++)
        cl[i] = 3; /* 5 points of a fourth cluster */
    double ecm[4], cm[4], cse[4];
    assert_int_equal(ekm_silhouette(dm, cl, 4, exact, ecm, NULL, NULL), EKM_OK);
    ekm_silhouette_estimate est;
    assert_int_equal(ekm_silhouette_sampled(dm, cl, 4, SAMPLE, 5, 0, got, in, cm, cse, &est,
                                            NULL),
                     EKM_OK);
    for (size_t i = 100; i < 105; i++)
        assert_true(in[i] && got[i] == exact[i]);
    assert_true(fabs(cm[3] - ecm[3]) < 1e-12 && cse[3] == 0.0);
    ekm_dissim_release(dm);
}

static void default_sizes_k1_and_errors(void **state)
{
    (void)state;
    assert_int_equal(ekm_silhouette_default_sample(100), 100);
    assert_int_equal(ekm_silhouette_default_sample(20000), 20000);
    assert_int_equal(ekm_silhouette_default_sample(20001), 19999);
    assert_int_equal(ekm_silhouette_default_sample(50000), 8000);
    assert_int_equal(ekm_silhouette_default_sample(1000000), 2000);
    assert_int_equal(ekm_silhouette_default_sample(100000000), 2000);
    static int32_t cl[BLOB_N];
    ekm_dissim *dm = blobs(cl);
    memset(cl, 0, sizeof cl);
    ekm_silhouette_estimate est;
    double cm[2];
    assert_int_equal(ekm_silhouette_sampled(dm, cl, 2, SAMPLE, 1, 0, NULL, NULL, cm, NULL, &est,
                                            NULL),
                     EKM_OK);
    assert_true(isnan(est.mean) && isnan(est.std_error) && isnan(cm[0]) && isnan(cm[1]));
    ekm_error e;
    assert_int_equal(ekm_silhouette_sampled(dm, cl, 0, SAMPLE, 1, 0, NULL, NULL, NULL, NULL, &est,
                                            &e),
                     EKM_ERR_INVALID);
    cl[17] = 2;
    assert_int_equal(ekm_silhouette_sampled(dm, cl, 2, SAMPLE, 1, 0, NULL, NULL, NULL, NULL, &est,
                                            &e),
                     EKM_ERR_INVALID);
    assert_non_null(strstr(e.message, "point 17"));
    ekm_dissim_release(dm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_points_is_exact),
        cmocka_unit_test(estimate_within_standard_errors),
        cmocka_unit_test(same_bits_on_any_threads),
        cmocka_unit_test(small_cluster_drawn_whole),
        cmocka_unit_test(default_sizes_k1_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
