/* test_certificate.c — certificates of the pruned strategy, end to end in the
 * library: a job started with the certificate option writes one
 * (ekm_job_write_certificate) that ekm_certificate_verify accepts, with the
 * brute-force oracle's optimum (tests/support: long double, its own
 * enumeration) and a cover of exactly C(N,K) subsets; on grids (duplicates,
 * ties), uniform points, three metrics, the matrix stored and matrix-free,
 * 1 and 2 threads, K = 1..4. A lowered objective, a changed multiplier, a cut
 * file and other data are refused; the option is refused where it cannot
 * apply. */
#define _GNU_SOURCE
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
#include "ekm/certificate.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"

static double choose(unsigned n, unsigned k)
{
    double v = 1.0;
    for (unsigned t = 1; t <= k; t++)
        v = v * (n - k + t) / t;
    return v;
}

/* Solve with a certificate; the certificate text (malloc'd) and its length. */
static char *certify(ekm_dissim *dm, unsigned k, unsigned threads, size_t *len, double *obj)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = threads;
    o.certificate = 1;
    ekm_job *job;
    ekm_error e;
    assert_int_equal(ekm_job_start(dm, &o, &job, &e), EKM_OK);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    *obj = ekm_job_result(job)->objective;
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    assert_non_null(f);
    assert_int_equal(ekm_job_write_certificate(job, f, "ekm-data 1\nsource=test\n", &e), EKM_OK);
    assert_int_equal(fclose(f), 0);
    ekm_job_free(job);
    return text;
}

static const ekm_metric metrics[] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_MANHATTAN,
                                     EKM_METRIC_SQEUCLIDEAN};
static const brute_metric bmetrics[] = {BRUTE_EUCLIDEAN, BRUTE_MANHATTAN, BRUTE_SQEUCLIDEAN};

static void test_valid_certificates(void **state)
{
    (void)state;
    int cases = 0;
    for (unsigned seed = 1; seed <= 6; seed++) {
        size_t n = 14 + seed * 2, d = 2;
        double *x = malloc(n * d * sizeof *x);
        assert_non_null(x);
        brute_random_points(x, n, d, seed % 2 ? 4 : 0, seed);
        ekm_dataset *ds;
        ekm_error e;
        assert_int_equal(ekm_dataset_from_points("t", n, d, x, NULL, &ds, &e), EKM_OK);
        unsigned mi = seed % 3;
        long double *D = brute_matrix(x, n, d, bmetrics[mi]);
        for (int lazy = 0; lazy <= 1; lazy++) {
            ekm_dissim *dm;
            if (lazy)
                assert_int_equal(ekm_dissim_from_dataset_lazy(ds, metrics[mi], &dm, &e), EKM_OK);
            else
                assert_int_equal(ekm_dissim_from_dataset(ds, metrics[mi], &dm, &e), EKM_OK);
            for (unsigned k = 1; k <= 4; k++) {
                uint32_t bm[8];
                double bobj;
                assert_int_equal(brute_solve(D, n, k, bm, &bobj, NULL), 0);
                size_t len;
                double obj;
                char *text = certify(dm, k, 1 + (k + lazy) % 2, &len, &obj);
                ekm_certificate_summary sum;
                ekm_status st = ekm_certificate_verify(text, len, "cert", ds, &sum, &e);
                if (st)
                    fail_msg("seed %u lazy %d K=%u: %s", seed, lazy, k, e.message);
                assert_int_equal(sum.k, k);
                assert_true(fabs(sum.objective - bobj) <= 1e-12 * (1.0 + bobj));
                assert_true(sum.covered == choose((unsigned)n, k));
                cases++;
                free(text);
            }
            ekm_dissim_release(dm);
        }
        free(D);
        free(x);
        ekm_dataset_release(ds);
    }
    assert_int_equal(cases, 6 * 2 * 4);
}

/* Replace the first line starting with `prefix` by `line` (malloc'd result). */
static char *replace_line(const char *text, size_t len, const char *prefix, const char *line,
                          size_t *out_len)
{
    const char *p = strstr(text, prefix);
    assert_non_null(p);
    assert_true(p == text || p[-1] == '\n');
    const char *e = memchr(p, '\n', len - (size_t)(p - text));
    assert_non_null(e);
    size_t a = (size_t)(p - text), b = len - (size_t)(e - text);
    char *r = malloc(a + strlen(line) + b + 1);
    assert_non_null(r);
    memcpy(r, text, a);
    memcpy(r + a, line, strlen(line));
    memcpy(r + a + strlen(line), e, b);
    *out_len = a + strlen(line) + b;
    r[*out_len] = '\0';
    return r;
}

static void test_tampered(void **state)
{
    (void)state;
    size_t n = 40, d = 2;
    double x[80];
    brute_random_points(x, n, d, 5, 11);
    ekm_dataset *ds, *other;
    ekm_error e;
    assert_int_equal(ekm_dataset_from_points("t", n, d, x, NULL, &ds, &e), EKM_OK);
    x[7] += 1.0;
    assert_int_equal(ekm_dataset_from_points("o", n, d, x, NULL, &other, &e), EKM_OK);
    ekm_dissim *dm;
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &e), EKM_OK);
    size_t len, tl;
    double obj;
    char *text = certify(dm, 3, 2, &len, &obj);
    assert_int_equal(ekm_certificate_verify(text, len, "c", ds, NULL, &e), EKM_OK);
    char line[200];
    /* the objective lowered */
    snprintf(line, sizeof line, "objective %a", obj * (1.0 - 1e-7));
    char *t = replace_line(text, len, "objective ", line, &tl);
    assert_int_equal(ekm_certificate_verify(t, tl, "c", ds, NULL, &e), EKM_ERR_INVALID);
    assert_non_null(strstr(e.message, "is not the cost of the claimed medoids"));
    free(t);
    /* the first multiplier raised far: some closed bound falls below the objective */
    t = replace_line(text, len, "lambda\n", "lambda\n0x1p+30", &tl);
    /* (the line after "lambda" is now "0x1p+30" followed by the old first value:
     * drop that one so that N values remain) */
    char *p = strstr(t, "0x1p+30\n") + 8;
    char *q = strchr(p, '\n') + 1;
    memmove(p, q, strlen(q) + 1);
    tl = strlen(t);
    assert_int_equal(ekm_certificate_verify(t, tl, "c", ds, NULL, &e), EKM_ERR_INVALID);
    assert_non_null(strstr(e.message, "its bound"));
    free(t);
    /* cut before the end */
    assert_int_equal(ekm_certificate_verify(text, len - 6, "c", ds, NULL, &e), EKM_ERR_PARSE);
    /* other data */
    assert_int_not_equal(ekm_certificate_verify(text, len, "c", other, NULL, &e), EKM_OK);
    free(text);
    /* the option where it cannot apply */
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 2;
    o.strategy = EKM_STRATEGY_SEQ;
    o.certificate = 1;
    ekm_job *job;
    assert_int_equal(ekm_job_start(dm, &o, &job, &e), EKM_ERR_INVALID);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
    ekm_dataset_release(other);
}

/* Three pairs of points 1 apart, far from each other: the optimum is 3 (a
 * medoid in each pair) and λ = 1 everywhere gives the bound 6 − 3 = 3 exactly
 * (ρ_j = −1). A certificate with only the root's tail closed: with λ = 1 it
 * passes by its bound; with λ = 1 − 1e-7 the bound is 1e-7 short, within the
 * window of float rounding, so the checker evaluates the C(6,3) sets and
 * passes; with λ = 0.9 (10 % short) it fails; and a claimed non-optimal set
 * fails too. */
static void test_enumerated(void **state)
{
    (void)state;
    const double x[12] = {0, 0, 1, 0, 100, 0, 101, 0, 0, 100, 1, 100};
    ekm_dataset *ds;
    ekm_error e;
    assert_int_equal(ekm_dataset_from_points("pairs", 6, 2, x, NULL, &ds, &e), EKM_OK);
    struct {
        double lam;
        const char *medoids;
        double obj;
        ekm_status want;
        uint64_t enumerated;
    } cases[] = {
        {1.0, "0 2 4", 3.0, EKM_OK, 0},
        {1.0 - 1e-7, "0 2 4", 3.0, EKM_OK, 20},
        {0.9, "0 2 4", 3.0, EKM_ERR_INVALID, 0},
        {1.0 - 1e-7, "0 1 2", 201.0, EKM_ERR_INVALID, 0},
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        char text[2048];
        size_t o = (size_t)snprintf(text, sizeof text,
                                    "ekm-certificate 1\nn 6\nd 2\nmetric manhattan\nk 3\n"
                                    "objective %a\nmedoids %s\nlambda\n",
                                    cases[t].obj, cases[t].medoids);
        for (int i = 0; i < 6; i++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%a\n", cases[t].lam);
        o += (size_t)snprintf(text + o, sizeof text - o, "tree\ne\nend\n");
        ekm_certificate_summary sum;
        ekm_status st = ekm_certificate_verify(text, o, "c", ds, &sum, &e);
        if (st != cases[t].want)
            fail_msg("case %zu: status %d: %s", t, (int)st, st ? e.message : "");
        if (!st)
            assert_true(sum.enumerated == cases[t].enumerated);
        else
            assert_non_null(strstr(e.message, "its bound"));
    }
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_certificates),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_enumerated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
