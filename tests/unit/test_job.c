/* test_job.c — jobs in the background: progress snapshots (done <= total,
 * monotone, states forward only), cancellation latency, the completion fd,
 * destroy while running, and the plans' exact stage totals. */
#define _GNU_SOURCE
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "units.h"
#include "ekm/generate.h"
#include "ekm/job.h"
#include "kernel.h"
#include "walk.h"

#ifdef EKM_SANITIZED
#define CANCEL_LIMIT 2.0 /* sanitizers slow the walk 5-20x: latency is checked in release */
#else
#define CANCEL_LIMIT 0.1
#endif
/* Cancel latency is the processor time the process spends from the cancel to the
 * end, per worker: on a loaded machine wall time also counts the wait for a core,
 * which says nothing of how soon the engine stops working. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static ekm_dissim *uniform_d(size_t n, size_t d, uint64_t seed)
{
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, n, d, 0, seed, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static ekm_dissim *uniform(size_t n, uint64_t seed) { return uniform_d(n, 2, seed); }

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const ekm_strategy exact[] = {EKM_STRATEGY_SEQ,  EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,
                                     EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,  EKM_STRATEGY_FUSED,
                                     EKM_STRATEGY_PRUNED};

/* A snapshot with room for every stage, thread and medoid of the jobs below. */
typedef struct snap {
    ekm_progress p;
    ekm_stage_progress stages[16];
    ekm_thread_progress threads[4];
    uint32_t best[8];
} snap;

static void take(ekm_job *job, snap *s)
{
    assert_int_equal(ekm_job_snapshot(job, &s->p, s->stages, 16, s->threads, 4, s->best, 8), 1);
}

static void test_snapshots_monotone(void **state)
{
    (void)state;
    ekm_dissim *dm = uniform(260, 11);
    snap *prev = malloc(sizeof *prev), *cur = malloc(sizeof *cur);
    for (size_t s = 0; s < sizeof exact / sizeof exact[0]; s++) {
        ekm_solve_options opt = ekm_solve_options_default();
        opt.k = 3;
        opt.strategy = exact[s];
        opt.threads = 2;
        opt.partitions = 5;
        ekm_job *job;
        assert_int_equal(ekm_job_start(dm, &opt, &job, NULL), EKM_OK);
        take(job, prev);
        int polls = 0;
        for (;;) {
            int finished = ekm_job_done(job);
            take(job, cur);
            polls++;
            assert_true(cur->p.done <= cur->p.total);
            assert_true(cur->p.done >= prev->p.done);
            assert_true(cur->p.state >= prev->p.state);
            assert_true(cur->p.elapsed >= prev->p.elapsed);
            assert_int_equal(cur->p.n_stages, prev->p.n_stages);
            for (int i = 0; i < cur->p.n_stages; i++) {
                const ekm_stage_progress *a = &prev->stages[i], *b = &cur->stages[i];
                assert_true(b->done <= b->spec.total);
                assert_true(b->done >= a->done);
                assert_true(b->state >= a->state);
                assert_true(b->best <= a->best);
                if (b->state == EKM_RUN_WAITING)
                    assert_int_equal(b->done, 0);
                if (b->state == EKM_RUN_DONE && exact[s] != EKM_STRATEGY_PRUNED)
                    assert_int_equal(b->done, b->spec.total);
            }
            snap *t = prev;
            prev = cur;
            cur = t;
            if (finished)
                break;
            sleep_ms(1);
        }
        assert_true(polls >= 1);
        assert_int_equal(ekm_job_wait(job), EKM_OK);
        take(job, cur);
        assert_int_equal(cur->p.state, EKM_RUN_DONE);
        assert_int_equal(cur->p.done, cur->p.total);
        const ekm_result *r = ekm_job_result(job);
        assert_non_null(r);
        assert_true(cur->p.has_best);
        assert_memory_equal(cur->best, r->medoids, 3 * sizeof(uint32_t));
        ekm_job_free(job);
    }
    free(prev);
    free(cur);
    ekm_dissim_release(dm);
}

/* Start a job and cancel it once it is running and has closed some of its
 * K-subsets (a condition, not a delay: a busy machine only makes the wait longer).
 * Returns the job's status after the cancel and sets *latency to the processor
 * time per worker from the cancel to its completion fd becoming readable (which
 * must come within 10 s of wall time). */
static ekm_status start_and_cancel(ekm_dissim *dm, const ekm_solve_options *opt,
                                   snap *sn, double *latency)
{
    ekm_job *job;
    ekm_progress *p = &sn->p;
    assert_int_equal(ekm_job_start(dm, opt, &job, NULL), EKM_OK);
    const double deadline = ekm_now() + 120;
    for (;;) {
        take(job, sn);
        if (p->state == EKM_RUN_RUNNING && p->done > 0)
            break;
        if (ekm_job_done(job) || ekm_now() > deadline)
            fail_msg("%s N=%zu K=%u: %s before any progress was seen",
                     ekm_strategy_name(opt->strategy), ekm_dissim_n(dm), opt->k,
                     ekm_job_done(job) ? "finished" : "nothing closed in 120 s");
        sleep_ms(1);
    }
    double c0 = cpu_now();
    ekm_job_cancel(job);
    struct pollfd pfd = {.fd = ekm_job_fd(job), .events = POLLIN};
    int ready = poll(&pfd, 1, 10000);
    *latency = (cpu_now() - c0) / (opt->threads ? opt->threads : 1);
    assert_int_equal(ready, 1);
    ekm_error err;
    ekm_status st = ekm_job_wait(job);
    assert_int_equal(ekm_job_status(job, &err), st);
    take(job, sn);
    if (st == EKM_OK) { /* finished in the moment between the look and the cancel */
        assert_non_null(ekm_job_result(job));
        assert_int_equal(p->state, EKM_RUN_DONE);
        ekm_job_free(job);
        return st;
    }
    assert_int_equal(st, EKM_ERR_CANCELLED);
    assert_non_null(strstr(err.message, "cancelled"));
    assert_null(ekm_job_result(job));
    assert_int_equal(p->state, EKM_RUN_CANCELLED);
    assert_true(p->done < p->total);
    for (int i = 0; i < p->n_stages; i++)
        assert_true(sn->stages[i].state == EKM_RUN_DONE ||
                    sn->stages[i].state == EKM_RUN_CANCELLED);
    ekm_job_free(job);
    return st;
}

static void test_cancel_latency_and_fd(void **state)
{
    (void)state;
    ekm_dissim *dm = uniform(2000, 5);
    /* pruned closes planar points fast even at K=5: in 6 dimensions its bounds
     * are weak and it runs for seconds */
    ekm_dissim *hard = uniform_d(2000, 6, 5);
    snap *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t s = 0; s < sizeof exact / sizeof exact[0]; s++) {
        ekm_solve_options opt = ekm_solve_options_default();
        int pruned = exact[s] == EKM_STRATEGY_PRUNED;
        opt.k = pruned ? 5 : 3;
        opt.strategy = exact[s];
        opt.threads = 2;
        /* A cancel over the limit, or a run that ended between the look at its
         * progress and the cancel, is tried again, twice: a busy machine can stall
         * the test thread once, a cancel the engine does not check for every time. */
        for (int attempt = 0;; attempt++) {
            double latency;
            ekm_status st = start_and_cancel(pruned ? hard : dm, &opt, p, &latency);
            if (st == EKM_ERR_CANCELLED && latency <= CANCEL_LIMIT)
                break;
            if (attempt == 2)
                fail_msg("%s: three tries, the last %s after %.3f s of processor time per "
                         "worker from the cancel (limit %.3f s)",
                         ekm_strategy_name(exact[s]),
                         st == EKM_OK ? "finished instead of being cancelled" : "cancelled",
                         latency, CANCEL_LIMIT);
            print_message("%s: %s after %.3f s, trying again\n", ekm_strategy_name(exact[s]),
                          st == EKM_OK ? "finished" : "cancelled", latency);
        }
    }
    free(p);
    ekm_dissim_release(dm);
    ekm_dissim_release(hard);
}

static void test_destroy_while_running(void **state)
{
    (void)state;
    ekm_dissim *dm = uniform(1500, 9);
    for (int i = 0; i < 20; i++) {
        ekm_solve_options opt = ekm_solve_options_default();
        opt.k = 3;
        opt.strategy = exact[i % 7];
        opt.threads = 1 + (unsigned)(i % 3);
        ekm_job *job;
        assert_int_equal(ekm_job_start(dm, &opt, &job, NULL), EKM_OK);
        if (i % 2)
            sleep_ms(2);
        ekm_job_free(job); /* cancels and joins */
    }
    ekm_dissim_release(dm);
}

static void test_bad_options(void **state)
{
    (void)state;
    ekm_dissim *dm = uniform(10, 1);
    ekm_solve_options opt = ekm_solve_options_default();
    ekm_job *job;
    ekm_error err;
    opt.k = 11;
    assert_int_equal(ekm_job_start(dm, &opt, &job, &err), EKM_ERR_INVALID);
    assert_null(job);
    assert_non_null(strstr(err.message, "exceeds the number of points N=10"));
    opt.k = 0;
    assert_int_equal(ekm_job_start(dm, &opt, &job, &err), EKM_ERR_INVALID);
    opt.k = 2;
    opt.strategy = EKM_STRATEGY_TREE;
    opt.partitions = 11;
    assert_int_equal(ekm_job_start(dm, &opt, &job, &err), EKM_ERR_INVALID);
    opt.threads = 100000;
    assert_int_equal(ekm_job_start(dm, &opt, &job, &err), EKM_ERR_INVALID);
    ekm_dissim_release(dm);
}

static void test_count_overflow_refused(void **state)
{
    (void)state;
    ekm_plan_options po = {.strategy = EKM_STRATEGY_SEQ, .threads = 1};
    ekm_plan *plan;
    ekm_error err;
    assert_int_equal(ekm_plan_build(100000, 20, &po, &plan, &err), EKM_ERR_TOO_BIG);
    assert_null(plan);
    assert_non_null(strstr(err.message, "C(100000,20)"));
}

/* ---- every K-subset visited exactly once, for every plan, whole stages and unit by unit ---- */

typedef struct visits {
    uint32_t n;
    unsigned k;
    uint8_t *seen; /* by rank */
    uint64_t count;
    int64_t last;  /* rank of the last set visited in this stage (-1 before) */
} visits;

static uint64_t rank_of(const uint32_t *c, unsigned k, uint32_t n)
{
    uint64_t r = 0;
    uint32_t prev = 0;
    for (unsigned i = 0; i < k; i++) {
        for (uint32_t v = i ? prev + 1 : 0; v < c[i]; v++)
            r += ekm_binomial(n - 1 - v, k - 1 - i, NULL);
        prev = c[i];
    }
    return r;
}

static void on_visit(void *ctx, const uint32_t *set, unsigned k)
{
    visits *v = ctx;
    for (unsigned i = 1; i < k; i++)
        assert_true(set[i - 1] < set[i]);
    uint64_t r = rank_of(set, k, v->n);
    assert_true(v->seen[r] < 255);
    assert_true((int64_t)r > v->last); /* lexicographic order within a stage */
    v->last = (int64_t)r;
    v->seen[r]++;
    v->count++;
}

static void test_every_subset_once(void **state)
{
    (void)state;
    ekm__kernel kern = ekm__kernel_select();
    for (uint32_t n = 1; n <= 22; n += 3)
        for (unsigned k = 1; k <= 5 && k <= n; k++) {
            ekm_dissim *dm = uniform(n, n * 10 + k);
            uint64_t total = ekm_binomial(n, k, NULL);
            for (int s = 0; s <= EKM_STRATEGY_FUSED; s++)
                for (unsigned parts = 1; parts <= (s == EKM_STRATEGY_TREE ? 7u : 1u); parts++) {
                    if (parts > n)
                        break;
                    ekm_plan_options po = {.strategy = (ekm_strategy)s, .threads = 2,
                                           .partitions = parts};
                    ekm_plan *plan;
                    if (ekm_plan_build(n, k, &po, &plan, NULL) != EKM_OK)
                        continue; /* e.g. par2 with n < 4 */
                    visits v = {n, k, calloc(total, 1), 0, -1};
                    ekm__walker w;
                    assert_int_equal(ekm__walker_init(&w, dm, &kern, k, NULL), 0);
                    w.visit = on_visit;
                    w.visit_ctx = &v;
                    ekm__walker whole;
                    assert_int_equal(ekm__walker_init(&whole, dm, &kern, k, NULL), 0);
                    uint64_t sum = 0;
                    for (int i = 0; i < plan->n_stages; i++) {
                        const ekm_stage_spec *sp = &plan->stages[i];
                        ekm__range r = sp->kind == EKM_STAGE_MERGE
                                           ? ekm__range_merge(sp->lo, sp->mid, sp->hi)
                                           : ekm__range_leaf(sp->lo, sp->hi);
                        /* the stage's work units, at a grain that varies with the case:
                         * their union is the stage, each set once, in lexicographic order */
                        ekm__units u;
                        uint64_t grain = 1 + (uint64_t)((n + k + (unsigned)i) % 7) * (n % 5);
                        assert_int_equal(ekm__units_init(&u, &r, k, grain), 0);
                        uint64_t before = v.count;
                        v.last = -1;
                        for (uint64_t id = 0; id < u.count; id++) {
                            ekm__range ur = ekm__units_range(&u, id);
                            assert_int_equal(ekm__walk(&w, &ur), 0);
                        }
                        assert_int_equal(v.count - before, sp->total);
                        ekm__units_free(&u);
                        /* and the stage walked whole closes the same number */
                        uint64_t e0 = whole.evaluated;
                        assert_int_equal(ekm__walk(&whole, &r), 0);
                        assert_int_equal(whole.evaluated - e0, sp->total);
                        sum += sp->total;
                    }
                    assert_int_equal(sum, total);
                    assert_int_equal(plan->total, total);
                    for (uint64_t r = 0; r < total; r++)
                        assert_int_equal(v.seen[r], 1);
                    ekm__walker_free(&w);
                    ekm__walker_free(&whole);
                    free(v.seen);
                    ekm_plan_free(plan);
                }
            ekm_dissim_release(dm);
        }
}

static void test_plan_figures(void **state)
{
    (void)state;
    ekm_plan *plan;
    ekm_plan_options po = {.strategy = EKM_STRATEGY_PAR1, .threads = 2};
    assert_int_equal(ekm_plan_build(800, 3, &po, &plan, NULL), EKM_OK);
    /* two leaves C(400,3) and a merge C(800,3) - 2 C(400,3) */
    uint64_t leaf = ekm_binomial(400, 3, NULL), all = ekm_binomial(800, 3, NULL);
    assert_int_equal(plan->n_stages, 3);
    assert_int_equal(plan->stages[2].total, all - 2 * leaf);
    assert_int_equal(plan->critical_path, leaf + all - 2 * leaf);
    assert_true(fabs(plan->makespan - (double)(leaf + all - 2 * leaf)) < 1);
    /* the merge holds 3/4 of the work and one leaf 1/8: the bound is 1/(3/4 + 1/8) */
    assert_true(fabs(plan->amdahl_bound - (double)all / (double)(all - leaf)) < 1e-12);
    assert_true(plan->amdahl_bound > 1.13 && plan->amdahl_bound < 1.15);
    ekm_plan_free(plan);
    po.strategy = EKM_STRATEGY_PAR2;
    assert_int_equal(ekm_plan_build(800, 3, &po, &plan, NULL), EKM_OK);
    assert_int_equal(plan->n_stages, 7);
    assert_int_equal(plan->stages[6].child[0], 4);
    assert_int_equal(plan->stages[6].child[1], 5);
    assert_int_equal(plan->stages[4].parent, 6);
    /* 4 leaves on 2 threads take two rounds, then the two merges in parallel, then the root */
    uint64_t q = ekm_binomial(200, 3, NULL);
    double want = 2.0 * (double)q + (double)plan->stages[4].total + (double)plan->stages[6].total;
    assert_true(fabs(plan->makespan - want) < 1);
    ekm_plan_free(plan);
}

/* ekm_solve_plan is the plan a job with the same options runs (threads 0: the
 * cores), and ekm_job_plan hands out exactly that plan; a bound wait on a
 * finished job returns at once, on a cancelled one within its timeout. */
static void test_solve_plan_is_the_jobs(void **state)
{
    (void)state;
    ekm_dissim *dm = uniform(40, 11);
    for (int i = 0; i < (int)(sizeof exact / sizeof *exact); i++)
        for (unsigned threads = 0; threads <= 3; threads++) {
            ekm_solve_options opt = ekm_solve_options_default();
            opt.k = 3;
            opt.strategy = exact[i];
            opt.threads = threads;
            ekm_plan *want;
            assert_int_equal(ekm_solve_plan(40, &opt, &want, NULL), EKM_OK);
            if (opt.strategy != EKM_STRATEGY_SEQ && opt.strategy != EKM_STRATEGY_SPLIT)
                assert_int_equal(want->threads, threads ? threads : ekm_cpu_count());
            ekm_job *job;
            assert_int_equal(ekm_job_start(dm, &opt, &job, NULL), EKM_OK);
            const ekm_plan *got = ekm_job_plan(job);
            assert_non_null(got);
            assert_int_equal(got->n, want->n);
            assert_int_equal(got->threads, want->threads);
            assert_int_equal(got->total, want->total);
            assert_int_equal(got->n_stages, want->n_stages);
            for (int s = 0; s < got->n_stages; s++) {
                assert_int_equal(got->stages[s].kind, want->stages[s].kind);
                assert_int_equal(got->stages[s].lo, want->stages[s].lo);
                assert_int_equal(got->stages[s].mid, want->stages[s].mid);
                assert_int_equal(got->stages[s].hi, want->stages[s].hi);
                assert_int_equal(got->stages[s].total, want->stages[s].total);
            }
            assert_int_equal(ekm_job_wait(job), EKM_OK);
            double t0 = ekm_now();
            assert_int_equal(ekm_job_wait_for(job, 30.0), 1);
            assert_true(ekm_now() - t0 < 5.0);
            ekm_job_free(job);
            ekm_plan_free(want);
        }
    ekm_solve_options bad = ekm_solve_options_default();
    bad.k = 50; /* more medoids than points */
    ekm_plan *none = NULL;
    ekm_error e;
    assert_int_not_equal(ekm_solve_plan(40, &bad, &none, &e), EKM_OK);
    assert_null(none);
    ekm_dissim_release(dm);
}

/* The matrix built on one thread, on two and on all cores is the same matrix. */
static void test_matrix_threads(void **state)
{
    (void)state;
    ekm_dataset *ds;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, 1100, 3, 0, 5, &ds, NULL), EKM_OK);
    ekm_dissim *m[3];
    for (unsigned t = 0; t < 3; t++)
        assert_int_equal(ekm_dissim_from_dataset_threads(ds, EKM_METRIC_EUCLIDEAN, t, &m[t], NULL),
                         EKM_OK);
    for (size_t i = 0; i < 1100; i++)
        for (unsigned t = 1; t < 3; t++)
            assert_memory_equal(ekm_dissim_row(m[0], i), ekm_dissim_row(m[t], i),
                                1100 * sizeof(float));
    for (unsigned t = 0; t < 3; t++)
        ekm_dissim_release(m[t]);
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_subset_once),
        cmocka_unit_test(test_plan_figures),
        cmocka_unit_test(test_solve_plan_is_the_jobs),
        cmocka_unit_test(test_matrix_threads),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_count_overflow_refused),
        cmocka_unit_test(test_snapshots_monotone),
        cmocka_unit_test(test_cancel_latency_and_fd),
        cmocka_unit_test(test_destroy_while_running),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
