/* test_best_so_far.c — a cancelled exact job keeps the best set it had found
 * (ekm_job_take_best_so_far): for every exact strategy, cancelled once a best set
 * has been seen, the result is marked stopped and not exact, its medoids are the
 * progress's best, its objective is theirs (recomputed here from the coordinates)
 * and its counts are how far the job got; nothing while running, after success,
 * for a heuristic, or twice. */
#define _GNU_SOURCE
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
#include "ekm/job.h"

static const ekm_strategy exact[] = {EKM_STRATEGY_SEQ,  EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,
                                     EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,  EKM_STRATEGY_FUSED,
                                     EKM_STRATEGY_PRUNED};

typedef struct points {
    double *x;
    size_t n, d;
    ekm_dissim *dm;
} points;

static points make_points(size_t n, size_t d, uint64_t seed)
{
    points p = {malloc(n * d * sizeof(double)), n, d, NULL};
    assert_non_null(p.x);
    brute_random_points(p.x, n, d, 0, seed);
    ekm_dataset *ds;
    ekm_error e;
    assert_int_equal(ekm_dataset_from_points("points", n, d, p.x, NULL, &ds, &e), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &p.dm, &e), EKM_OK);
    ekm_dataset_release(ds);
    return p;
}

static void free_points(points *p)
{
    free(p->x);
    ekm_dissim_release(p->dm);
}

/* The objective of a medoid set straight from the coordinates, in long double. */
static double objective_of(const points *p, const uint32_t *m, unsigned k)
{
    long double sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        long double best = INFINITY;
        for (unsigned c = 0; c < k; c++) {
            long double s = 0;
            for (size_t j = 0; j < p->d; j++) {
                long double t = (long double)p->x[i * p->d + j] - p->x[(size_t)m[c] * p->d + j];
                s += t * t;
            }
            s = sqrtl(s);
            if (s < best)
                best = s;
        }
        sum += best;
    }
    return (double)sum;
}

static void test_cancelled_jobs_keep_their_best_set(void **state)
{
    (void)state;
    points flat = make_points(2000, 2, 5);
    /* pruned closes planar points fast; in 6 dimensions its bounds are weak */
    points hard = make_points(2000, 6, 5);
    ekm_progress *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t s = 0; s < sizeof exact / sizeof *exact; s++) {
        int pruned = exact[s] == EKM_STRATEGY_PRUNED;
        const points *pts = pruned ? &hard : &flat;
        ekm_solve_options opt = ekm_solve_options_default();
        opt.k = pruned ? 5 : 3;
        opt.strategy = exact[s];
        opt.threads = 2;
        ekm_job *job;
        assert_int_equal(ekm_job_start(pts->dm, &opt, &job, NULL), EKM_OK);
        double t0 = ekm_now();
        for (;;) { /* until the job has a best set (deadline 5 minutes) */
            ekm_job_progress(job, p);
            if (p->has_best)
                break;
            if (ekm_job_done(job))
                fail_msg("%s ended before it had a best set", ekm_strategy_name(exact[s]));
            if (ekm_now() - t0 > 300)
                fail_msg("%s: no best set after 300 s", ekm_strategy_name(exact[s]));
            ekm_job_wait_for(job, 0.01);
        }
        assert_null(ekm_job_take_best_so_far(job)); /* not while it runs */
        ekm_job_cancel(job);
        if (ekm_job_wait(job) != EKM_ERR_CANCELLED)
            fail_msg("%s finished N=2000 K=%u before the cancel", ekm_strategy_name(exact[s]),
                     opt.k);
        assert_null(ekm_job_result(job));
        uint32_t best[8];
        assert_int_equal(ekm_job_snapshot(job, p, NULL, 0, NULL, 0, best, 8), 0); /* no records */
        assert_true(opt.k <= 8);
        ekm_result *r = ekm_job_take_best_so_far(job);
        assert_non_null(r);
        assert_true(r->stopped);
        assert_false(r->exact);
        assert_int_equal(r->strategy, exact[s]);
        assert_int_equal(r->k, opt.k);
        assert_int_equal(r->n, 2000);
        /* the progress's best set, its objective from the coordinates */
        assert_true(p->has_best);
        assert_memory_equal(r->medoids, best, opt.k * sizeof *r->medoids);
        for (unsigned i = 1; i < opt.k; i++)
            assert_true(r->medoids[i - 1] < r->medoids[i]);
        double own = objective_of(pts, r->medoids, opt.k);
        if (fabs(r->objective - own) > 1e-9 * own)
            fail_msg("%s: objective %.17g, its medoids give %.17g", ekm_strategy_name(exact[s]),
                     r->objective, own);
        if (fabs(r->objective - p->best) > 1e-9 * own)
            fail_msg("%s: objective %.17g, progress best %.17g", ekm_strategy_name(exact[s]),
                     r->objective, p->best);
        /* clusters: every point with its nearest medoid, sizes adding up */
        uint64_t size_sum = 0;
        for (unsigned c = 0; c < opt.k; c++)
            size_sum += r->cluster_size[c];
        assert_int_equal(size_sum, 2000);
        /* how far it got */
        assert_int_equal(r->total, p->total);
        assert_int_equal(r->evaluated + r->pruned, p->done);
        /* (pruned may hold an incumbent from its root phase before it closes any) */
        if (!((p->done > 0 || pruned) && p->done < p->total))
            fail_msg("%s: %llu of %llu closed", ekm_strategy_name(exact[s]),
                     (unsigned long long)p->done, (unsigned long long)p->total);
        assert_true(r->seconds > 0);
        assert_null(ekm_job_take_best_so_far(job)); /* taken once */
        ekm_result_free(r);
        ekm_job_free(job);
    }
    free(p);
    free_points(&flat);
    free_points(&hard);
}

static void test_none_after_success_or_for_heuristics(void **state)
{
    (void)state;
    points pts = make_points(60, 2, 7);
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = 3;
    opt.threads = 2;
    const ekm_strategy all[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_FUSED, EKM_STRATEGY_PRUNED,
                                EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM};
    for (size_t s = 0; s < sizeof all / sizeof *all; s++) {
        opt.strategy = all[s];
        ekm_job *job;
        assert_int_equal(ekm_job_start(pts.dm, &opt, &job, NULL), EKM_OK);
        assert_int_equal(ekm_job_wait(job), EKM_OK);
        assert_non_null(ekm_job_result(job));
        assert_null(ekm_job_take_best_so_far(job));
        ekm_job_free(job);
    }
    /* a heuristic cancelled: no set to keep (it keeps none before its end) */
    points big = make_points(3000, 2, 8);
    opt.strategy = EKM_STRATEGY_PAM;
    opt.k = 8;
    ekm_job *job;
    assert_int_equal(ekm_job_start(big.dm, &opt, &job, NULL), EKM_OK);
    ekm_job_cancel(job);
    ekm_status st = ekm_job_wait(job);
    ekm_result *r = ekm_job_take_best_so_far(job);
    assert_null(r); /* cancelled or (on a very fast machine) done: none either way */
    assert_true(st == EKM_ERR_CANCELLED || st == EKM_OK);
    ekm_job_free(job);
    free_points(&big);
    free_points(&pts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancelled_jobs_keep_their_best_set),
        cmocka_unit_test(test_none_after_success_or_for_heuristics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
