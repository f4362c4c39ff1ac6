/* test_quality.c — silhouettes and label agreement (ekm/quality.h):
 * - iris with the optimal K=3 medoids {7, 78, 112}: mean silhouette 0.552819
 *   (R: summary(silhouette(pam(iris[,1:4], 3)))$avg.width) and adjusted Rand
 *   index 0.730238 against the species;
 * - random small data on an integer grid (ties, duplicate points) with random
 *   partitions (singleton and empty clusters) against a straightforward
 *   computation here from a long double matrix (tests/support/brute.c);
 * - K = 1: every silhouette is NaN (not defined), as documented;
 * - ARI against pair counting over all pairs, purity and NMI against direct
 *   formulas, and the degenerate cases;
 * - errors: a cluster out of range, a dataset without labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "ekm/dissim.h"
#include "ekm/quality.h"

static ekm_dissim *load(const char *rel, ekm_dataset **ds_out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", EKM_SOURCE_DIR, rel);
    ekm_csv_options opt = ekm_csv_options_default();
    ekm_dataset *ds;
    ekm_error e;
    assert_int_equal(ekm_dataset_load_csv(path, &opt, &ds, &e), EKM_OK);
    ekm_dissim *dm;
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &e), EKM_OK);
    if (ds_out)
        *ds_out = ds;
    else
        ekm_dataset_release(ds);
    return dm;
}

static void iris_k3_matches_r(void **state)
{
    (void)state;
    ekm_dataset *ds;
    ekm_dissim *dm = load("data/iris.csv", &ds);
    const uint32_t med[3] = {7, 78, 112};
    int32_t cl[150];
    ekm_dissim_assign(dm, med, 3, cl, NULL, NULL);
    double point[150], cm[3], mean;
    assert_int_equal(ekm_silhouette(dm, cl, 3, point, cm, &mean, NULL), EKM_OK);
    assert_true(fabs(mean - 0.552819) < 1e-6);
    /* per cluster: R's clus.avg.widths 0.7981405 0.4173199 0.4511051 */
    assert_true(fabs(cm[0] - 0.7981405) < 1e-6);
    assert_true(fabs(cm[1] - 0.4173199) < 1e-6);
    assert_true(fabs(cm[2] - 0.4511051) < 1e-6);
    ekm_crosstab *t;
    assert_int_equal(ekm_crosstab_labels(ds, cl, 3, &t, NULL), EKM_OK);
    assert_int_equal(t->classes, 3);
    assert_string_equal(t->class_names[0], "setosa");
    assert_string_equal(t->class_names[1], "versicolor");
    assert_string_equal(t->class_names[2], "virginica");
    /* R: table(pam(iris[,1:4],3)$clustering, iris$Species) */
    const uint64_t want[9] = {50, 0, 0, 0, 48, 14, 0, 2, 36};
    for (int i = 0; i < 9; i++)
        assert_int_equal(t->count[i], want[i]);
    assert_true(fabs(t->agreement.ari - 0.730238) < 1e-6);
    assert_true(fabs(t->agreement.purity - 134.0 / 150) < 1e-12);
    ekm_crosstab_free(t);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
}

/* The silhouette straight from its definition, in long double. */
static void naive_silhouette(const long double *D, size_t n, const int32_t *cl, unsigned k,
                             double *s)
{
    unsigned nonempty = 0;
    for (unsigned c = 0; c < k; c++)
        for (size_t i = 0; i < n; i++)
            if ((unsigned)cl[i] == c) {
                nonempty++;
                break;
            }
    for (size_t i = 0; i < n; i++) {
        if (nonempty < 2) {
            s[i] = NAN;
            continue;
        }
        long double a = 0, b = -1;
        size_t own = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i && cl[j] == cl[i]) {
                a += D[i * n + j];
                own++;
            }
        if (own == 0) {
            s[i] = 0;
            continue;
        }
        a /= (long double)own;
        for (unsigned c = 0; c < k; c++) {
            if ((int32_t)c == cl[i])
                continue;
            long double sum = 0;
            size_t m = 0;
            for (size_t j = 0; j < n; j++)
                if ((unsigned)cl[j] == c) {
                    sum += D[i * n + j];
                    m++;
                }
            if (m && (b < 0 || sum / (long double)m < b))
                b = sum / (long double)m;
        }
        long double mx = a > b ? a : b;
        s[i] = mx == 0 ? 0.0 : (double)((b - a) / mx);
    }
}

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void random_partitions_match_naive(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int round = 0; round < 60; round++) {
        size_t n = 2 + rng_next(&seed) % 40, d = 1 + rng_next(&seed) % 3;
        unsigned k = 1 + (unsigned)(rng_next(&seed) % 6);
        double *x = malloc(n * d * sizeof *x);
        assert_non_null(x);
        brute_random_points(x, n, d, round % 2 ? 4 : 0, seed); /* a grid: ties, duplicates */
        brute_metric bm = round % 3 == 0 ? BRUTE_MANHATTAN : BRUTE_EUCLIDEAN;
        ekm_metric em = bm == BRUTE_MANHATTAN ? EKM_METRIC_MANHATTAN : EKM_METRIC_EUCLIDEAN;
        ekm_dataset *ds;
        ekm_dissim *dm;
        assert_int_equal(ekm_dataset_from_points("r", n, d, x, NULL, &ds, NULL), EKM_OK);
        assert_int_equal(ekm_dissim_from_dataset(ds, em, &dm, NULL), EKM_OK);
        long double *D = brute_matrix(x, n, d, bm);
        int32_t *cl = malloc(n * sizeof *cl);
        double *got = malloc(n * sizeof *got), *want = malloc(n * sizeof *want);
        double *cm = malloc(k * sizeof *cm), mean;
        assert_true(cl && got && want && cm);
        /* some rounds leave the last cluster empty, some make singletons */
        unsigned used = round % 4 == 1 && k > 1 ? k - 1 : k;
        for (size_t i = 0; i < n; i++)
            cl[i] = (int32_t)(round % 5 == 2 ? (i < used ? i : 0) : rng_next(&seed) % used);
        assert_int_equal(ekm_silhouette(dm, cl, k, got, cm, &mean, NULL), EKM_OK);
        naive_silhouette(D, n, cl, k, want);
        double total = 0;
        for (size_t i = 0; i < n; i++) {
            if (isnan(want[i])) {
                assert_true(isnan(got[i]));
                continue;
            }
            assert_true(fabs(got[i] - want[i]) < 1e-12);
            assert_true(got[i] >= -1 && got[i] <= 1);
            total += want[i];
        }
        if (isnan(want[0]))
            assert_true(isnan(mean));
        else
            assert_true(fabs(mean - total / (double)n) < 1e-12);
        for (unsigned c = 0; c < k; c++) {
            double sum = 0;
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if ((unsigned)cl[i] == c) {
                    sum += want[i];
                    m++;
                }
            if (m == 0 || isnan(sum))
                assert_true(isnan(cm[c]));
            else
                assert_true(fabs(cm[c] - sum / (double)m) < 1e-12);
        }
        free(cl);
        free(got);
        free(want);
        free(cm);
        free(D);
        free(x);
        ekm_dissim_release(dm);
        ekm_dataset_release(ds);
    }
}

static void k1_is_not_defined(void **state)
{
    (void)state;
    ekm_dissim *dm = load("data/women.csv", NULL);
    int32_t cl[15] = {0};
    double s[15], cm[1], mean;
    assert_int_equal(ekm_silhouette(dm, cl, 1, s, cm, &mean, NULL), EKM_OK);
    for (int i = 0; i < 15; i++)
        assert_true(isnan(s[i]));
    assert_true(isnan(cm[0]) && isnan(mean));
    /* K = 2 with one cluster empty: the same (one non-empty cluster) */
    assert_int_equal(ekm_silhouette(dm, cl, 2, s, NULL, &mean, NULL), EKM_OK);
    assert_true(isnan(mean));
    /* every point alone (K = N): all 0, as R's singletons */
    int32_t apart[15];
    for (int i = 0; i < 15; i++)
        apart[i] = i;
    assert_int_equal(ekm_silhouette(dm, apart, 15, s, NULL, &mean, NULL), EKM_OK);
    assert_true(mean == 0.0);
    ekm_dissim_release(dm);
}

/* ARI by pair counting (the Hubert-Arabie form over the 2x2 pair table). */
static double pair_ari(const int32_t *a, const int32_t *b, size_t n)
{
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            int sa = a[i] == a[j], sb = b[i] == b[j];
            tp += sa && sb;
            fp += sa && !sb;
            fn += !sa && sb;
            tn += !sa && !sb;
        }
    if (fn == 0 && fp == 0)
        return 1.0;
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

static void agreement_matches_pair_counting(void **state)
{
    (void)state;
    uint64_t seed = 12345;
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rng_next(&seed) % 30;
        unsigned ka = 1 + (unsigned)(rng_next(&seed) % 5), kb = 1 + (unsigned)(rng_next(&seed) % 5);
        int32_t a[30], b[30];
        uint64_t table[25] = {0};
        for (size_t i = 0; i < n; i++) {
            a[i] = (int32_t)(rng_next(&seed) % ka);
            b[i] = round % 7 == 3 ? a[i] % (int32_t)kb : (int32_t)(rng_next(&seed) % kb);
            if (round % 11 == 5)
                b[i] = (int32_t)(i % kb);
            table[(size_t)a[i] * kb + (size_t)b[i]]++;
        }
        ekm_agreement g = ekm_agreement_of_table(table, ka, kb);
        assert_true(fabs(g.ari - pair_ari(a, b, n)) < 1e-12);
        /* purity and NMI, directly */
        double best = 0, ha = 0, hb = 0, mi = 0;
        for (unsigned i = 0; i < ka; i++) {
            double top = 0, row = 0;
            for (unsigned j = 0; j < kb; j++) {
                top = fmax(top, (double)table[i * kb + j]);
                row += (double)table[i * kb + j];
            }
            best += top;
            if (row)
                ha -= row / (double)n * log(row / (double)n);
        }
        for (unsigned j = 0; j < kb; j++) {
            double col = 0;
            for (unsigned i = 0; i < ka; i++)
                col += (double)table[i * kb + j];
            if (col)
                hb -= col / (double)n * log(col / (double)n);
            for (unsigned i = 0; i < ka; i++) {
                double c = (double)table[i * kb + j], row = 0;
                for (unsigned jj = 0; jj < kb; jj++)
                    row += (double)table[i * kb + jj];
                if (c)
                    mi += c / (double)n * log((double)n * c / (row * col));
            }
        }
        assert_true(fabs(g.purity - best / (double)n) < 1e-12);
        double nmi = ha == 0 && hb == 0 ? 1.0 : mi / ((ha + hb) / 2);
        assert_true(fabs(g.nmi - nmi) < 1e-9);
    }
    /* identical partitions: 1; one group against all apart: 0 */
    const uint64_t same[4] = {3, 0, 0, 5}, split[3] = {1, 1, 1};
    ekm_agreement g = ekm_agreement_of_table(same, 2, 2);
    assert_true(fabs(g.ari - 1) < 1e-15 && fabs(g.nmi - 1) < 1e-15 && g.purity == 1);
    g = ekm_agreement_of_table(split, 1, 3);
    assert_true(g.ari == 0 && g.nmi == 0);
}

static void errors(void **state)
{
    (void)state;
    ekm_dataset *ds;
    ekm_dissim *dm = load("data/women.csv", &ds);
    int32_t cl[15] = {0};
    cl[4] = 2;
    ekm_error e;
    assert_int_equal(ekm_silhouette(dm, cl, 2, NULL, NULL, NULL, &e), EKM_ERR_INVALID);
    assert_non_null(strstr(e.message, "point 4"));
    assert_int_equal(ekm_silhouette(dm, cl, 0, NULL, NULL, NULL, &e), EKM_ERR_INVALID);
    cl[4] = 0;
    ekm_crosstab *t = (ekm_crosstab *)1;
    assert_int_equal(ekm_crosstab_labels(ds, cl, 1, &t, &e), EKM_ERR_STATE);
    assert_null(t);
    assert_non_null(strstr(e.message, "no label column"));
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
}

/* Labels in order of first appearance, counted per cluster. */
static void crosstab_of_labels(void **state)
{
    (void)state;
    const double x[6] = {0, 1, 2, 3, 4, 5};
    const char *const labels[6] = {"b", "a", "b", "c", "a", "b"};
    ekm_dataset *ds;
    assert_int_equal(ekm_dataset_from_points("t", 6, 1, x, labels, &ds, NULL), EKM_OK);
    const int32_t cl[6] = {0, 0, 1, 1, 1, 0};
    ekm_crosstab *t;
    assert_int_equal(ekm_crosstab_labels(ds, cl, 2, &t, NULL), EKM_OK);
    assert_int_equal(t->classes, 3);
    assert_string_equal(t->class_names[0], "b");
    assert_string_equal(t->class_names[1], "a");
    assert_string_equal(t->class_names[2], "c");
    const uint64_t want[6] = {2, 1, 0, 1, 1, 1};
    for (int i = 0; i < 6; i++)
        assert_int_equal(t->count[i], want[i]);
    const int32_t cls[6] = {0, 1, 0, 2, 1, 0};
    assert_true(fabs(t->agreement.ari - pair_ari(cl, cls, 6)) < 1e-12);
    ekm_crosstab_free(t);
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iris_k3_matches_r),
        cmocka_unit_test(random_partitions_match_naive),
        cmocka_unit_test(k1_is_not_defined),
        cmocka_unit_test(agreement_matches_pair_counting),
        cmocka_unit_test(errors),
        cmocka_unit_test(crosstab_of_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
