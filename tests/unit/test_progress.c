/* test_progress.c — a job's progress: the small summary, and ekm_job_snapshot's
 * records in caller-sized arrays (one consistent reading, min(cap, count)
 * entries written, nothing past them), a stage's best set, and the final
 * snapshot against the result and an independent brute-force optimum. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "brute.h"
#include "ekm/dataset.h"
#include "ekm/job.h"
#include "ekm/plan.h"

enum { N = 120, D = 2, K = 3, STAGES = 9, THREADS = 2, SENTINEL = 0x5a5a5a5a };

typedef struct fixture {
    double x[N * D];
    ekm_dissim *dm;
    ekm_job *job;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    brute_random_points(f->x, N, D, 0, 17);
    ekm_dataset *ds;
    if (ekm_dataset_from_points("progress", N, D, f->x, NULL, &ds, NULL) != EKM_OK)
        return -1;
    ekm_status st = ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &f->dm, NULL);
    ekm_dataset_release(ds);
    *state = f;
    return st == EKM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ekm_job_free(f->job);
    ekm_dissim_release(f->dm);
    free(f);
    return 0;
}

static ekm_job *start(fixture *f, ekm_strategy strategy)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = K;
    o.strategy = strategy;
    o.threads = THREADS;
    o.partitions = 5; /* a tree of 9 stages */
    assert_int_equal(ekm_job_start(f->dm, &o, &f->job, NULL), EKM_OK);
    return f->job;
}

/* Everything the summary says follows from the records of the same reading. */
static void check_consistent(const ekm_progress *p, const ekm_stage_progress *st,
                             const ekm_thread_progress *th, const uint32_t *best)
{
    uint64_t done = 0, pruned = 0;
    double least = INFINITY;
    for (int s = 0; s < p->n_stages; s++) {
        assert_true(st[s].done <= st[s].spec.total);
        assert_true(st[s].pruned <= st[s].done);
        done += st[s].done;
        pruned += st[s].pruned;
        if (st[s].best < least)
            least = st[s].best;
    }
    assert_int_equal(p->done, done);
    assert_int_equal(p->pruned, pruned);
    assert_int_equal(p->evaluated, done - pruned);
    int busy = 0;
    for (int t = 0; t < p->n_threads; t++)
        busy += th[t].busy != 0;
    assert_int_equal(p->threads_busy, busy);
    assert_int_equal(p->has_best, isfinite(least));
    if (p->has_best) {
        assert_true(p->best == least);
        for (unsigned i = 1; i < p->k; i++)
            assert_true(best[i - 1] < best[i]);
        for (unsigned i = 0; i < p->k; i++)
            assert_true(best[i] < N);
    }
}

static void test_summary_is_small(void **state)
{
    (void)state;
    /* a value copied five times a second: a few scalars, no arrays */
    assert_true(sizeof(ekm_progress) <= 160);
    assert_true(sizeof(ekm_stage_progress) <= 160);
}

static void test_snapshot_while_running_and_at_the_end(void **state)
{
    fixture *f = *state;
    ekm_job *job = start(f, EKM_STRATEGY_TREE);
    const ekm_plan *plan = ekm_job_plan(job);
    assert_int_equal(plan->n_stages, STAGES);
    ekm_progress p;
    ekm_stage_progress st[STAGES];
    ekm_thread_progress th[THREADS];
    uint32_t best[K];
    int polls = 0;
    do {
        assert_int_equal(ekm_job_snapshot(job, &p, st, STAGES, th, THREADS, best, K), 1);
        assert_int_equal(p.n_stages, STAGES);
        assert_int_equal(p.n_threads, THREADS);
        assert_int_equal(p.total, plan->total);
        check_consistent(&p, st, th, best);
        polls++;
    } while (!ekm_job_wait_for(job, 0.001));
    assert_true(polls >= 1);
    assert_int_equal(ekm_job_snapshot(job, &p, st, STAGES, th, THREADS, best, K), 1);
    check_consistent(&p, st, th, best);
    assert_int_equal(p.state, EKM_RUN_DONE);
    assert_int_equal(p.done, p.total);
    assert_int_equal(p.threads_busy, 0);
    for (int s = 0; s < STAGES; s++) {
        assert_int_equal(st[s].state, EKM_RUN_DONE);
        assert_int_equal(st[s].done, st[s].spec.total);
        assert_true(st[s].thread >= 0 && st[s].thread < THREADS);
        assert_true(st[s].start >= 0 && st[s].end >= st[s].start && st[s].end <= p.elapsed);
    }
    /* the best set is the result's, and the optimum of an independent brute force */
    const ekm_result *r = ekm_job_result(job);
    assert_non_null(r);
    assert_memory_equal(best, r->medoids, K * sizeof *best);
    long double *m = brute_matrix(f->x, N, D, BRUTE_EUCLIDEAN);
    uint32_t want[K];
    double obj;
    assert_int_equal(brute_solve(m, N, K, want, &obj, NULL), 0);
    free(m);
    assert_memory_equal(best, want, K * sizeof *want);
    assert_true(fabs(p.best - obj) <= 1e-9 * obj);
    /* the plain summary is the snapshot's summary */
    ekm_progress q;
    ekm_job_progress(job, &q);
    assert_int_equal(q.done, p.done);
    assert_int_equal(q.pruned, p.pruned);
    assert_true(q.best == p.best);
    assert_int_equal(q.n_stages, STAGES);
    assert_int_equal(q.n_threads, THREADS);
}

static void test_short_arrays_are_filled_to_their_cap(void **state)
{
    fixture *f = *state;
    ekm_job *job = start(f, EKM_STRATEGY_TREE);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_progress full, p;
    ekm_stage_progress all[STAGES], st[3];
    ekm_thread_progress th[2];
    uint32_t best[K], md[3];
    assert_int_equal(ekm_job_snapshot(job, &full, all, STAGES, NULL, 0, best, K),
                     0); /* no threads */
    memset(st, 0x5a, sizeof st);
    memset(th, 0x5a, sizeof th);
    for (int i = 0; i < 3; i++)
        md[i] = SENTINEL;
    assert_int_equal(ekm_job_snapshot(job, &p, st, 2, th, 1, md, 2), 0);
    /* the summary still counts every stage */
    assert_int_equal(p.n_stages, STAGES);
    assert_int_equal(p.done, full.done);
    assert_int_equal(p.done, p.total);
    for (int s = 0; s < 2; s++) {
        assert_int_equal(st[s].spec.id, s);
        assert_int_equal(st[s].done, all[s].done);
    }
    unsigned char untouched[sizeof st[0]];
    memset(untouched, 0x5a, sizeof untouched);
    assert_memory_equal(&st[2], untouched, sizeof st[2]);
    assert_int_equal(th[0].stage, -1);
    assert_memory_equal(&th[1], untouched, sizeof th[1]);
    assert_int_equal(md[0], best[0]);
    assert_int_equal(md[1], best[1]);
    assert_int_equal(md[2], SENTINEL);
    /* no arrays at all: the summary alone */
    assert_int_equal(ekm_job_snapshot(job, &p, NULL, 0, NULL, 0, NULL, 0), 0);
    assert_int_equal(p.done, full.done);
}

static void test_stage_best(void **state)
{
    fixture *f = *state;
    ekm_job *job = start(f, EKM_STRATEGY_TREE);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_progress p;
    ekm_stage_progress st[STAGES];
    uint32_t best[K];
    ekm_job_snapshot(job, &p, st, STAGES, NULL, 0, best, K);
    uint32_t set[K + 1];
    double obj = -1;
    set[K] = SENTINEL;
    assert_int_equal(ekm_job_stage_best(job, -1, set, K, &obj), 0);
    assert_int_equal(ekm_job_stage_best(job, STAGES, set, K, &obj), 0);
    assert_true(obj == -1.0);
    assert_int_equal(set[K], SENTINEL);
    int found = 0;
    for (int s = 0; s < STAGES; s++) {
        assert_int_equal(ekm_job_stage_best(job, s, set, K, &obj), 1);
        assert_int_equal(set[K], SENTINEL);
        assert_true(obj == st[s].best);
        assert_true(fabs(ekm_dissim_objective(f->dm, set, K) - obj) <= 1e-9 * obj);
        for (int i = 1; i < K; i++)
            assert_true(set[i - 1] < set[i]);
        if (obj == p.best && !memcmp(set, best, sizeof best))
            found = 1;
    }
    assert_true(found); /* the job's best set is one stage's best set */
    /* a short buffer gets the first medoids; NULL buffers are fine */
    uint32_t one[2] = {SENTINEL, SENTINEL};
    assert_int_equal(ekm_job_stage_best(job, 0, one, 1, NULL), 1);
    assert_int_equal(ekm_job_stage_best(job, 0, NULL, 0, NULL), 1);
    assert_int_equal(one[1], SENTINEL);
    assert_true(one[0] < N);
}

static void test_heuristic_snapshot(void **state)
{
    fixture *f = *state;
    ekm_job *job = start(f, EKM_STRATEGY_PAM);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_progress p;
    ekm_stage_progress st[1];
    ekm_thread_progress th[1];
    uint32_t best[K];
    assert_int_equal(ekm_job_snapshot(job, &p, st, 1, th, 1, best, K), 1);
    assert_int_equal(p.n_stages, 1);
    assert_int_equal(p.n_threads, 1);
    assert_int_equal(p.total, ekm_job_plan(job)->total);
    assert_int_equal(p.done, 0); /* a heuristic closes no K-subsets */
    assert_true(p.has_best);
    const ekm_result *r = ekm_job_result(job);
    assert_memory_equal(best, r->medoids, K * sizeof *best);
    assert_true(fabs(p.best - r->objective) <= 1e-9 * r->objective);
    assert_int_equal(st[0].state, EKM_RUN_DONE);
    assert_true(p.root_bound == -INFINITY); /* no root bound outside pruned */
    assert_int_equal(p.root_active, 0);
}

/* pruned publishes its root bound: at the end a finite lower bound on the
 * optimum (up to rounding), and no candidates active once the root is done. */
static void test_pruned_root_bound(void **state)
{
    fixture *f = *state;
    ekm_job *job = start(f, EKM_STRATEGY_PRUNED);
    ekm_progress p;
    ekm_job_progress(job, &p);
    assert_true(p.root_bound == -INFINITY || isfinite(p.root_bound));
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_job_progress(job, &p);
    const ekm_result *r = ekm_job_result(job);
    assert_true(r->exact);
    assert_true(isfinite(p.root_bound));
    assert_true(p.root_bound <= r->objective * (1 + 1e-9));
    assert_true(p.root_bound > 0.5 * r->objective); /* a bound that did some work */
    assert_int_equal(p.root_active, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_is_small),
        cmocka_unit_test_setup_teardown(test_snapshot_while_running_and_at_the_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_short_arrays_are_filled_to_their_cap, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stage_best, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heuristic_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pruned_root_bound, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
