/* test_pruned_matrix_free.c — `pruned` without the N x N matrix
 * (ekm_dissim_from_dataset_lazy: rows computed on the fly).
 *
 * The rows must be the matrix's bit for bit, so that every float filter keeps
 * its guarantee: checked row by row, and so is ρ summed without the row. Then, on seeded small cases (clustered,
 * uniform, integer grids with ties and duplicates, duplicated points; all three
 * metrics; K = 1..5; 1..3 threads), the matrix-free pruned returns what the
 * brute-force oracle, the matrix path and seq return, with evaluated + pruned
 * == C(N,K). Checkpoints made on either path resume on the other to the
 * uninterrupted answer; all of it again with the root started warm from a
 * sample, as large inputs start it. Other strategies refuse the matrix-free form with a
 * message; cancelling a matrix-free run ends it with EKM_ERR_CANCELLED. The
 * float-range cases are in test_float_range.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "dissim_rows.h"
#include "ekm/advanced.h"
#include "ekm/checkpoint.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"
#include "prune_warm.h"

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

static brute_metric oracle_metric(ekm_metric m)
{
    return m == EKM_METRIC_SQEUCLIDEAN ? BRUTE_SQEUCLIDEAN
           : m == EKM_METRIC_MANHATTAN ? BRUTE_MANHATTAN
                                       : BRUTE_EUCLIDEAN;
}

/* Both forms of one dataset. */
typedef struct pair {
    size_t n, d;
    ekm_metric metric;
    double *x;
    ekm_dissim *mat, *lazy;
    char label[128];
} pair;

static void pair_make(pair *p, double *x, size_t n, size_t d, ekm_metric metric,
                      const char *label)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->d = d;
    p->metric = metric;
    p->x = x;
    snprintf(p->label, sizeof p->label, "%s", label);
    ekm_dataset *ds;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points(label, n, d, x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, metric, &p->mat, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset_lazy(ds, metric, &p->lazy, &err), EKM_OK);
    ekm_dataset_release(ds);
    assert_true(ekm_dissim_has_matrix(p->mat));
    assert_false(ekm_dissim_has_matrix(p->lazy));
    assert_null(ekm_dissim_row(p->lazy, 0));
    assert_int_equal(ekm_dissim_stride(p->lazy), ekm_dissim_stride(p->mat));
    assert_true(ekm_dissim_fingerprint(p->lazy) == ekm_dissim_fingerprint(p->mat));
}

static void pair_free(pair *p)
{
    ekm_dissim_release(p->mat);
    ekm_dissim_release(p->lazy);
    free(p->x);
}

/* Seeded points of one of four kinds. */
static double *points(unsigned kind, size_t n, size_t d, uint64_t seed)
{
    double *x = malloc(n * d * sizeof *x);
    assert_non_null(x);
    rnd_state = seed;
    switch (kind % 4) {
    case 0: brute_random_points(x, n, d, 0, seed); break;
    case 1: brute_random_points(x, n, d, 2 + (int)rnd_below(4), seed); break;
    case 2: {
        double centre[5][3];
        unsigned c = 2 + rnd_below(3);
        for (unsigned a = 0; a < c; a++)
            for (size_t j = 0; j < d; j++)
                centre[a][j] = 20.0 * rnd_unit();
        for (size_t i = 0; i < n; i++) {
            unsigned a = rnd_below(c);
            for (size_t j = 0; j < d; j++)
                x[i * d + j] = centre[a][j] + rnd_unit() - 0.5;
        }
        break;
    }
    default:
        brute_random_points(x, n, d, 0, seed);
        for (size_t i = n / 2; i < n; i++)
            memcpy(x + i * d, x + rnd_below((unsigned)(n / 2)) * d, d * sizeof *x);
        break;
    }
    return x;
}

static ekm_result *solve(ekm_dissim *dm, ekm_strategy s, unsigned k, unsigned threads)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.strategy = s;
    o.threads = threads;
    ekm_result *r = NULL;
    ekm_error err;
    if (ekm_solve(dm, &o, &r, &err))
        fail_msg("%s: %s", ekm_strategy_name(s), err.message);
    assert_non_null(r);
    return r;
}

static void same(const char *label, unsigned k, unsigned t, const ekm_result *a,
                 const ekm_result *b, const char *what)
{
    for (unsigned j = 0; j < k; j++)
        if (a->medoids[j] != b->medoids[j])
            fail_msg("%s K=%u T=%u: matrix-free medoid %u is %u, %s says %u", label, k, t, j,
                     a->medoids[j], what, b->medoids[j]);
    if (a->objective != b->objective)
        fail_msg("%s K=%u T=%u: objective %.17g, %s %.17g", label, k, t, a->objective, what,
                 b->objective);
}

static void test_rows_bit_identical(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                         EKM_METRIC_MANHATTAN};
    for (unsigned c = 0; c < 12; c++) {
        size_t n = 37 + 11 * c, d = 1 + c % 4;
        pair p;
        pair_make(&p, points(c, n, d, 900 + c), n, d, metric[c % 3], "rows");
        size_t stride = ekm_dissim_stride(p.mat);
        float *row = aligned_alloc(64, stride * sizeof *row);
        assert_non_null(row);
        for (size_t i = 0; i < n; i++) {
            ekm__dissim_fill_row(p.lazy, i, row);
            assert_memory_equal(row, ekm_dissim_row(p.mat, i), stride * sizeof *row);
        }
        free(row);
        pair_free(&p);
    }
}

/* ρ summed straight from the coordinates (ekm__dissim_rho_row, which skips the
 * entries its cut proves to be beyond λ) against ρ of the computed row: at the
 * edge of the cut a single multiplier set at an entry, one float above and one
 * below it gives exactly that one term; mixed multipliers (0, entries, their
 * neighbours, subnormal, FLT_MAX, random) agree within the stated error. */
static void test_rho_without_rows(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                         EKM_METRIC_MANHATTAN};
    /* 9 cases within one block of the spatial order, 4 of several blocks
     * (clustered points: whole blocks are skipped by their boxes) */
    for (unsigned c = 0; c < 13; c++) {
        size_t n = c < 9 ? 23 + 13 * c : 700 + 450 * (c - 9), d = 1 + c % 4;
        size_t step_i = n > 200 ? 41 : 3, step_j = n > 200 ? 19 : 1;
        pair p;
        pair_make(&p, points(c < 9 ? c : 2, n, d < 4 ? d : 3, 700 + c), n, d < 4 ? d : 3,
                  metric[c % 3], "rho rows");
        size_t stride = ekm_dissim_stride(p.lazy);
        float *row = aligned_alloc(64, stride * sizeof *row);
        float *lam = aligned_alloc(64, stride * sizeof *lam);
        ekm__rho_cut cut;
        assert_true(row && lam && ekm__rho_cut_init(&cut, n) == 0);
        for (size_t i = 0; i < n; i += step_i) {
            ekm__dissim_fill_row(p.lazy, i, row);
            for (size_t j = 0; j < n; j += step_j) {
                float at[3] = {row[j], nextafterf(row[j], INFINITY), nextafterf(row[j], 0.0f)};
                for (unsigned v = 0; v < 3; v++) {
                    memset(lam, 0, stride * sizeof *lam);
                    lam[j] = at[v];
                    ekm__dissim_rho_cut(p.lazy, lam, &cut);
                    double want = row[j] < lam[j] ? (double)row[j] - (double)lam[j] : 0.0;
                    double got = ekm__dissim_rho_row(p.lazy, i, &cut);
                    if (got != want)
                        fail_msg("%s c=%u row %zu point %zu: rho %.17g, from the row %.17g",
                                 p.label, c, i, j, got, want);
                }
            }
            for (unsigned rep = 0; rep < 30; rep++) {
                /* reps 20..29: the distances to the nearest of three points
                 * (as a solver's multipliers start), exactly or scaled, so
                 * that far blocks are skipped by their boxes */
                size_t med[3] = {rnd_below((unsigned)n), rnd_below((unsigned)n),
                                 rnd_below((unsigned)n)};
                double f = rep < 25 ? 1.0 : 0.5 + rnd_unit();
                for (size_t j = 0; rep >= 20 && j < n; j++) {
                    float e = ekm_dissim_row(p.mat, med[0])[j];
                    for (unsigned t = 1; t < 3; t++)
                        if (ekm_dissim_row(p.mat, med[t])[j] < e)
                            e = ekm_dissim_row(p.mat, med[t])[j];
                    lam[j] = rep == 20 ? nextafterf(e, INFINITY) : (float)(f * e);
                }
                for (size_t j = 0; rep < 20 && j < n; j++) {
                    float e = ekm_dissim_row(p.mat, rnd_below((unsigned)n))[j];
                    unsigned kind = rnd_below(8);
                    lam[j] = kind == 0   ? 0.0f
                             : kind == 1 ? e
                             : kind == 2 ? nextafterf(e, INFINITY)
                             : kind == 3 ? nextafterf(e, 0.0f)
                             : kind == 4 ? 1e-40f
                             : kind == 5 ? FLT_MAX
                                         : (float)(rnd_unit() * 2.0 * e);
                }
                ekm__dissim_rho_cut(p.lazy, lam, &cut);
                double want = 0.0;
                for (size_t j = 0; j < n; j++)
                    want += row[j] < lam[j] ? (double)row[j] - (double)lam[j] : 0.0;
                double got = ekm__dissim_rho_row(p.lazy, i, &cut);
                if (!(fabs(got - want) <= (double)(n + 2) * 0x1p-52 * fabs(want)))
                    fail_msg("%s c=%u row %zu: rho %.17g, from the row %.17g", p.label, c, i,
                             got, want);
            }
        }
        free(row);
        free(lam);
        ekm__rho_cut_free(&cut);
        pair_free(&p);
    }
}

static void test_against_oracle_and_matrix(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                         EKM_METRIC_MANHATTAN};
    static const size_t limit[6] = {0, 60, 50, 34, 24, 18};
    int cases = 0;
    for (unsigned c = 0; c < 90; c++) {
        unsigned k = 1 + c % 5, t = 1 + (c / 5) % 3;
        rnd_state = 4242 + c;
        size_t n = k + 4 + rnd_below((unsigned)(limit[k] - k - 3)), d = 1 + rnd_below(3);
        pair p;
        char label[64];
        snprintf(label, sizeof label, "case %u kind %u n=%zu d=%zu", c, c / 15 % 4, n, d);
        pair_make(&p, points(c / 15, n, d, 77 + c), n, d, metric[c % 3], label);
        ekm_result *lz = solve(p.lazy, EKM_STRATEGY_PRUNED, k, t);
        ekm_result *mx = solve(p.mat, EKM_STRATEGY_PRUNED, k, t);
        ekm_result *sq = solve(p.mat, EKM_STRATEGY_SEQ, k, 1);
        same(label, k, t, lz, mx, "the matrix path");
        same(label, k, t, lz, sq, "seq");
        long double *D = brute_matrix(p.x, n, d, oracle_metric(p.metric));
        assert_non_null(D);
        uint32_t med[8];
        double obj;
        uint64_t visited;
        assert_int_equal(brute_solve(D, n, k, med, &obj, &visited), 0);
        assert_memory_equal(lz->medoids, med, k * sizeof *med);
        assert_true(fabs(lz->objective - obj) <= 1e-9 * fmax(1.0, obj));
        assert_true(lz->exact);
        assert_int_equal(lz->total, binomial((unsigned)n, k));
        assert_int_equal(lz->evaluated + lz->pruned, lz->total);
        free(D);
        ekm_result_free(lz);
        ekm_result_free(mx);
        ekm_result_free(sq);
        pair_free(&p);
        cases++;
    }
    assert_int_equal(cases, 90);
}

/* Several blocks of the spatial order (n > 256), where whole blocks of points
 * are skipped by their bounding boxes: clustered, uniform and duplicate-heavy
 * points, every metric; K = 2 against the brute force, K = 3 against the
 * matrix path and seq's plain enumeration. */
static void test_many_blocks(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                         EKM_METRIC_MANHATTAN};
    for (unsigned c = 0; c < 6; c++) {
        unsigned k = 2 + c % 2, kind = c % 3 == 0 ? 2 : c % 3 == 1 ? 0 : 3;
        size_t n = k == 2 ? 560 + 40 * c : 270 + 5 * c, d = 2 + c % 2;
        pair p;
        char label[64];
        snprintf(label, sizeof label, "blocks case %u kind %u n=%zu d=%zu", c, kind, n, d);
        pair_make(&p, points(kind, n, d, 991 + c), n, d, metric[c % 3], label);
        ekm_result *lz = solve(p.lazy, EKM_STRATEGY_PRUNED, k, 2);
        ekm_result *mx = solve(p.mat, EKM_STRATEGY_PRUNED, k, 2);
        same(label, k, 2, lz, mx, "the matrix path");
        if (k == 2) {
            long double *D = brute_matrix(p.x, n, d, oracle_metric(p.metric));
            assert_non_null(D);
            uint32_t med[2];
            double obj;
            uint64_t visited;
            assert_int_equal(brute_solve(D, n, k, med, &obj, &visited), 0);
            assert_memory_equal(lz->medoids, med, k * sizeof *med);
            assert_true(fabs(lz->objective - obj) <= 1e-9 * fmax(1.0, obj));
            free(D);
        } else {
            ekm_result *sq = solve(p.mat, EKM_STRATEGY_SEQ, k, 1);
            same(label, k, 2, lz, sq, "seq");
            ekm_result_free(sq);
        }
        assert_true(lz->exact);
        assert_int_equal(lz->evaluated + lz->pruned, lz->total);
        ekm_result_free(lz);
        ekm_result_free(mx);
        pair_free(&p);
    }
}

static ekm_checkpoint *run_range(ekm_dissim *dm, ekm_solve_options opt,
                                 const ekm_checkpoint *from, uint64_t lo, uint64_t hi)
{
    opt.resume = from;
    opt.unit_lo = lo;
    opt.unit_hi = hi;
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e))
        fail_msg("start: %s", e.message);
    if (ekm_job_wait(job)) {
        ekm_job_status(job, &e);
        fail_msg("units [%llu, %llu): %s", (unsigned long long)lo, (unsigned long long)hi,
                 e.message);
    }
    ekm_checkpoint *ck = NULL;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &e), EKM_OK);
    ekm_job_free(job);
    return ck;
}

static ekm_result *resume_all(ekm_dissim *dm, ekm_solve_options opt, const ekm_checkpoint *ck)
{
    opt.resume = ck;
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e))
        fail_msg("resume: %s", e.message);
    if (ekm_job_wait(job)) {
        ekm_job_status(job, &e);
        fail_msg("resume: %s", e.message);
    }
    ekm_result *r = ekm_job_take_result(job);
    assert_non_null(r);
    ekm_job_free(job);
    return r;
}

/* The root and half of its children on one path, the rest on the other. */
static void test_checkpoints_cross_paths(void **state)
{
    (void)state;
    static const struct {
        size_t n, d;
        unsigned k;
        int grid;
        ekm_metric metric;
    } cs[] = {{200, 2, 3, 5, EKM_METRIC_SQEUCLIDEAN}, {120, 4, 4, 0, EKM_METRIC_MANHATTAN}};
    for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++) {
        double *x = malloc(cs[c].n * cs[c].d * sizeof *x);
        assert_non_null(x);
        brute_random_points(x, cs[c].n, cs[c].d, cs[c].grid, 31 + c);
        pair p;
        pair_make(&p, x, cs[c].n, cs[c].d, cs[c].metric, "checkpoint case");
        for (int dir = 0; dir < 2; dir++) {
            ekm_dissim *first = dir ? p.lazy : p.mat, *second = dir ? p.mat : p.lazy;
            ekm_solve_options opt = ekm_solve_options_default();
            opt.k = cs[c].k;
            opt.strategy = EKM_STRATEGY_PRUNED;
            opt.threads = 2;
            ekm_result *ref = solve(p.mat, EKM_STRATEGY_PRUNED, cs[c].k, 2);
            opt.root_only = 1;
            ekm_checkpoint *root = run_range(first, opt, NULL, 0, 0);
            opt.root_only = 0;
            uint64_t units = ekm_checkpoint_units(root);
            assert_true(units >= 2);
            ekm_checkpoint *half = run_range(first, opt, root, 0, units / 2);
            assert_int_equal(ekm_checkpoint_units_done(half), units / 2);
            ekm_result *r = resume_all(second, opt, half);
            same(dir ? "lazy then matrix" : "matrix then lazy", cs[c].k, 2, r, ref,
                 "the uninterrupted run");
            assert_true(r->exact);
            assert_int_equal(r->evaluated + r->pruned, r->total);
            ekm_result_free(r);
            ekm_result_free(ref);
            ekm_checkpoint_free(half);
            ekm_checkpoint_free(root);
        }
        pair_free(&p);
    }
}

static void test_other_strategies_refused(void **state)
{
    (void)state;
    pair p;
    pair_make(&p, points(0, 30, 2, 5), 30, 2, EKM_METRIC_EUCLIDEAN, "refused");
    static const ekm_strategy other[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_FUSED,
                                         EKM_STRATEGY_TREE, EKM_STRATEGY_FASTERPAM};
    for (size_t s = 0; s < sizeof other / sizeof other[0]; s++) {
        ekm_solve_options o = ekm_solve_options_default();
        o.k = 2;
        o.strategy = other[s];
        ekm_result *r = NULL;
        ekm_error err;
        assert_int_equal(ekm_solve(p.lazy, &o, &r, &err), EKM_ERR_INVALID);
        assert_null(r);
        assert_non_null(strstr(err.message, "--matrix on"));
    }
    pair_free(&p);
}

/* Cancel once the matrix-free search has closed some K-subsets. */
static void test_cancel(void **state)
{
    (void)state;
    size_t n = 1500, d = 5;
    double *x = malloc(n * d * sizeof *x);
    assert_non_null(x);
    brute_random_points(x, n, d, 0, 12345);
    pair p;
    pair_make(&p, x, n, d, EKM_METRIC_EUCLIDEAN, "cancel");
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 6;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = 2;
    ekm_job *job;
    ekm_error err;
    assert_int_equal(ekm_job_start(p.lazy, &o, &job, &err), EKM_OK);
    ekm_progress *pr = malloc(sizeof *pr);
    assert_non_null(pr);
    int finished = 0;
    do {
        finished = ekm_job_wait_for(job, 0.005);
        ekm_job_progress(job, pr);
    } while (!finished && pr->done == 0);
    ekm_job_cancel(job);
    ekm_status st = ekm_job_wait(job);
    if (!finished) {
        assert_int_equal(st, EKM_ERR_CANCELLED);
        assert_null(ekm_job_result(job));
        ekm_job_progress(job, pr);
        assert_int_equal(pr->state, EKM_RUN_CANCELLED);
        assert_true(pr->done < pr->total);
    }
    free(pr);
    ekm_job_free(job);
    pair_free(&p);
}

/* The same exact cases with the root started from a sample's multipliers
 * (prune_warm.h), which large inputs use: the answers must not change. */
static void test_warm_started_root(void **state)
{
    uint32_t was = ekm__warm_min_n;
    ekm__warm_min_n = 0;
    test_against_oracle_and_matrix(state);
    test_many_blocks(state);
    test_checkpoints_cross_paths(state);
    ekm__warm_min_n = was;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_bit_identical),
        cmocka_unit_test(test_against_oracle_and_matrix),
        cmocka_unit_test(test_rho_without_rows),
        cmocka_unit_test(test_many_blocks),
        cmocka_unit_test(test_checkpoints_cross_paths),
        cmocka_unit_test(test_warm_started_root),
        cmocka_unit_test(test_other_strategies_refused),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
