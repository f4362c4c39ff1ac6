/* test_rho_pass.c — the hooks that let a caller share a pruned root's full passes
 * out (ekm/advanced.h; ekm-mpi gives each rank a block of candidate columns).
 *
 * ekm_dissim_rho: on seeded points (uniform and an integer grid with ties), both
 * metrics, with and without the matrix, 1 and 3 threads, any list of rows: every
 * value is Σ_i min(0, d~_ji − λ_i) summed here from the float rows, within the
 * engine's relative error; a row out of range is refused, an empty list is fine.
 * rho_pass: a job whose full passes go to a hook that sums the candidates block
 * by block (as ranks would) gives the brute-force oracle's medoids and objective,
 * the hook is called; a hook that refuses cancels the job (never an answer).
 * ekm_checkpoint_verify: a root checkpoint decoded from bytes is checked once on
 * its data and then resumes to the oracle's answer; other data is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "ekm/advanced.h"
#include "ekm/checkpoint.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"

static ekm_dissim *make(const double *x, size_t n, size_t d, ekm_metric metric, int lazy)
{
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("points", n, d, x, NULL, &ds, &err), EKM_OK);
    ekm_status st = lazy ? ekm_dissim_from_dataset_lazy(ds, metric, &dm, &err)
                         : ekm_dissim_from_dataset_threads(ds, metric, 1, &dm, &err);
    assert_int_equal(st, EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static void test_rho_values(void **state)
{
    (void)state;
    enum { N = 150, D = 3 };
    double *x = malloc(N * D * sizeof *x);
    float *lam = malloc(N * sizeof *lam);
    uint32_t rows[N];
    double out[N];
    assert_non_null(x);
    assert_non_null(lam);
    for (int grid = 0; grid <= 5; grid += 5)
        for (int mi = 0; mi < 2; mi++) {
            ekm_metric metric = mi ? EKM_METRIC_MANHATTAN : EKM_METRIC_EUCLIDEAN;
            brute_random_points(x, N, D, grid, 11 + (uint64_t)grid + (uint64_t)mi);
            ekm_dissim *mat = make(x, N, D, metric, 0), *lazy = make(x, N, D, metric, 1);
            assert_true(ekm_dissim_has_matrix(mat));
            assert_false(ekm_dissim_has_matrix(lazy));
            /* λ_i: a part of point i's largest distance, some zero */
            for (size_t i = 0; i < N; i++) {
                const float *r = ekm_dissim_row(mat, i);
                float mx = 0;
                for (size_t j = 0; j < N; j++)
                    mx = r[j] > mx ? r[j] : mx;
                lam[i] = i % 7 == 0 ? 0.0f : mx * (float)((i * 37) % 100) / 150.0f;
            }
            size_t count = 0; /* every third row backwards, then the rest */
            for (size_t j = N; j-- > 0;)
                if (j % 3 == 0)
                    rows[count++] = (uint32_t)j;
            for (size_t j = 0; j < N; j++)
                if (j % 3)
                    rows[count++] = (uint32_t)j;
            assert_int_equal(count, N);
            /* 40 rows' worth of cache: some rows held, the others from the coordinates */
            ekm_rho_cache *cache = ekm_rho_cache_new(lazy, 40 * ekm_dissim_stride(lazy) * 4);
            assert_non_null(cache);
            for (int form = 0; form < 4; form++) /* matrix, lazy, lazy cached twice */
                for (unsigned threads = 1; threads <= 3; threads += 2) {
                    ekm_error err;
                    memset(out, 0xff, sizeof out);
                    assert_int_equal(ekm_dissim_rho(form ? lazy : mat, form >= 2 ? cache : NULL,
                                                    lam, rows, count, out, threads, &err),
                                     EKM_OK);
                    for (size_t j = 0; j < count; j++) {
                        const float *r = ekm_dissim_row(mat, rows[j]);
                        double want = 0.0;
                        for (size_t i = 0; i < N; i++) {
                            double t = (double)r[i] - (double)lam[i];
                            want += t < 0.0 ? t : 0.0;
                        }
                        assert_true(fabs(out[j] - want) <= 1e-5 * fabs(want) + 1e-9);
                    }
                }
            ekm_error err;
            double y[N * D]; /* a cache of other data is refused */
            for (size_t i = 0; i < N * D; i++)
                y[i] = x[i] * 2.0;
            ekm_dissim *scaled = make(y, N, D, metric, 1);
            assert_int_equal(ekm_dissim_rho(scaled, cache, lam, rows, count, out, 1, &err),
                             EKM_ERR_INVALID);
            ekm_dissim_release(scaled);
            ekm_rho_cache_free(cache);
            uint32_t bad = N;
            assert_int_equal(ekm_dissim_rho(lazy, NULL, lam, &bad, 1, out, 1, &err), EKM_ERR_INVALID);
            assert_int_equal(ekm_dissim_rho(lazy, NULL, lam, rows, 0, out, 2, &err), EKM_OK);
            ekm_dissim_release(mat);
            ekm_dissim_release(lazy);
        }
    free(lam);
    free(x);
}

/* The hook: the candidates summed in R blocks of columns, as R ranks would. */
typedef struct blocks {
    const ekm_dissim *dm;
    unsigned ranks;
    int calls;
    int refuse;
} blocks;

static int block_pass(void *ctx, const float *lam, size_t n, const uint32_t *rows, size_t count,
                      double *out)
{
    blocks *b = ctx;
    b->calls++;
    if (b->refuse)
        return 1;
    assert_int_equal(n, ekm_dissim_n(b->dm));
    uint32_t *mine = malloc((count ? count : 1) * sizeof *mine);
    size_t *at = malloc((count ? count : 1) * sizeof *at);
    double *rho = malloc((count ? count : 1) * sizeof *rho);
    assert_non_null(mine);
    assert_non_null(at);
    assert_non_null(rho);
    for (unsigned r = 0; r < b->ranks; r++) {
        size_t lo = n * r / b->ranks, hi = n * (r + 1) / b->ranks, c = 0;
        for (size_t j = 0; j < count; j++)
            if (rows[j] >= lo && rows[j] < hi) {
                mine[c] = rows[j];
                at[c++] = j;
            }
        ekm_error err;
        assert_int_equal(ekm_dissim_rho(b->dm, NULL, lam, mine, c, rho, 1 + r % 2, &err), EKM_OK);
        for (size_t i = 0; i < c; i++)
            out[at[i]] = rho[i];
    }
    free(rho);
    free(at);
    free(mine);
    return 0;
}

static ekm_result *solve(ekm_dissim *dm, ekm_solve_options *opt, ekm_status want)
{
    ekm_job *job;
    ekm_error err;
    assert_int_equal(ekm_job_start(dm, opt, &job, &err), EKM_OK);
    ekm_job_wait(job);
    assert_int_equal(ekm_job_status(job, &err), want);
    ekm_result *r = want == EKM_OK ? ekm_job_take_result(job) : NULL;
    ekm_job_free(job);
    return r;
}

static void test_hook_and_verify(void **state)
{
    (void)state;
    enum { N = 70, D = 2 };
    double x[N * D], y[N * D];
    for (int grid = 0; grid <= 6; grid += 6) {
        brute_random_points(x, N, D, grid, 5 + (uint64_t)grid);
        long double *bm = brute_matrix(x, N, D, BRUTE_EUCLIDEAN);
        ekm_dissim *dm = make(x, N, D, EKM_METRIC_EUCLIDEAN, 1);
        for (unsigned k = 1; k <= 3; k++) {
            uint32_t want[8];
            double want_obj;
            uint64_t visited;
            assert_int_equal(brute_solve(bm, N, k, want, &want_obj, &visited), 0);
            ekm_solve_options opt = ekm_solve_options_default();
            opt.k = k;
            opt.strategy = EKM_STRATEGY_PRUNED;
            opt.threads = 2;
            blocks b = {dm, 3, 0, 0};
            opt.rho_pass = block_pass;
            opt.rho_pass_ctx = &b;
            ekm_result *r = solve(dm, &opt, EKM_OK);
            assert_true(b.calls >= 1);
            assert_true(r->exact);
            assert_memory_equal(r->medoids, want, k * sizeof *want);
            assert_true(fabs(r->objective - want_obj) <= 1e-9 * want_obj);
            ekm_result_free(r);

            b = (blocks){dm, 2, 0, 1}; /* a refusal cancels, never an answer */
            solve(dm, &opt, EKM_ERR_CANCELLED);
            assert_int_equal(b.calls, 1);

            /* the root through bytes: checked once, then resumed to the answer */
            b = (blocks){dm, 2, 0, 0};
            opt.root_only = 1;
            ekm_job *job;
            ekm_error err;
            assert_int_equal(ekm_job_start(dm, &opt, &job, &err), EKM_OK);
            ekm_job_wait(job);
            ekm_checkpoint *ck, *back;
            assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &err), EKM_OK);
            ekm_job_free(job);
            uint8_t *bytes;
            size_t len;
            assert_int_equal(ekm_checkpoint_encode(ck, &bytes, &len, &err), EKM_OK);
            assert_int_equal(ekm_checkpoint_decode(bytes, len, &back, &err), EKM_OK);
            free(bytes);
            ekm_checkpoint_free(ck);
            /* other data (every point moved) is refused */
            for (size_t i = 0; i < N * D; i++)
                y[i] = x[i] + 0.5;
            ekm_dissim *other = make(y, N, D, EKM_METRIC_EUCLIDEAN, 1);
            assert_int_equal(ekm_checkpoint_verify(back, other, 2, &err), EKM_ERR_INVALID);
            ekm_dissim_release(other);
            assert_int_equal(ekm_checkpoint_verify(back, dm, 2, &err), EKM_OK);
            opt.root_only = 0;
            opt.rho_pass = NULL;
            opt.resume = back;
            r = solve(dm, &opt, EKM_OK);
            assert_true(r->exact);
            assert_memory_equal(r->medoids, want, k * sizeof *want);
            ekm_result_free(r);
            ekm_checkpoint_free(back);
        }
        ekm_dissim_release(dm);
        free(bm);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rho_values),
        cmocka_unit_test(test_hook_and_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
