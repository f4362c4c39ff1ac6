/* test_checkpoint.h — what the test_checkpoint_* tests share.
 * checkpoints and resume (engine/include/ekm/checkpoint.h):
 * for every exact strategy and 1..3 threads, a job that ran part of the work units
 * (or was cancelled mid-way, once or twice) resumes to the same medoids and
 * objective as an uninterrupted run, with evaluated + pruned == C(N,K) exactly;
 * encode/decode and save/load round trips; a flipped byte or a truncated file is
 * refused; a checkpoint is refused for another dataset (one coordinate changed),
 * another metric, K, strategy or plan; checkpoints of disjoint unit ranges merge
 * into one that resumes to the full answer with nothing left to do; and the
 * front ends' note that says how to load a checkpoint's data again. */
#ifndef TEST_CHECKPOINT_H
#define TEST_CHECKPOINT_H

#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "brute.h"
#include "checkpoint_internal.h"
#include "common/ckpt.h"
#include "ekm/advanced.h"
#include "ekm/checkpoint.h"
#include "ekm/job.h"

static const ekm_strategy exact[] = {EKM_STRATEGY_SEQ,  EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,
                                     EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,  EKM_STRATEGY_FUSED,
                                     EKM_STRATEGY_PRUNED};
enum { N_EXACT = sizeof exact / sizeof exact[0] };

typedef struct data_case {
    size_t n, d;
    unsigned k;
    int grid; /* > 0: integer grid (ties, duplicates) */
    uint64_t seed;
    ekm_metric metric;
} data_case;

/* Several work units per stage (a unit holds at least one second element, so
 * there are many even at these sizes); smaller under the sanitizers. */
#if defined(__SANITIZE_THREAD__) /* ThreadSanitizer: the enumeration is ~100x slower */
#define N3 80
#define N4 45
#elif defined(EKM_SANITIZED)
#define N3 120
#define N4 60
#else
#define N3 200
#define N4 90
#endif
static const data_case cases[] = {
    {N3, 2, 3, 0, 21, EKM_METRIC_EUCLIDEAN},
    {N3, 2, 3, 5, 22, EKM_METRIC_SQEUCLIDEAN}, /* many exact ties: the tie rule */
    {N4, 3, 4, 0, 23, EKM_METRIC_MANHATTAN},
};

static inline ekm_dissim *make_dm(const double *x, size_t n, size_t d, ekm_metric m)
{
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_dataset_from_points("case", n, d, x, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, m, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static inline double *case_points(const data_case *c)
{
    double *x = malloc(c->n * c->d * sizeof *x);
    assert_non_null(x);
    brute_random_points(x, c->n, c->d, c->grid, c->seed);
    return x;
}

static inline ekm_solve_options options(ekm_strategy s, unsigned k, unsigned threads)
{
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = k;
    opt.strategy = s;
    opt.threads = threads;
    if (s == EKM_STRATEGY_TREE)
        opt.partitions = 5;
    return opt;
}

static inline const char *label(const ekm_solve_options *o, const char *what)
{
    static char buf[700];
    snprintf(buf, sizeof buf, "%s K=%u T=%u: %s", ekm_strategy_name(o->strategy), o->k,
             o->threads, what);
    return buf;
}

static inline ekm_result *solve_ref(ekm_dissim *dm, const ekm_solve_options *opt)
{
    ekm_result *r;
    ekm_error e;
    if (ekm_solve(dm, opt, &r, &e))
        fail_msg("%s", label(opt, e.message));
    assert_true(r->exact);
    return r;
}

/* The resumed (or any) result against the uninterrupted one. */
/* The resumed (or any) result against the uninterrupted one: 0, or 1 with what
 * differs in msg. */
static inline int result_differs(const ekm_result *r, const ekm_result *ref,
                                 const ekm_solve_options *opt, const char *what, char *msg,
                                 size_t size)
{
    if (memcmp(r->medoids, ref->medoids, ref->k * sizeof *ref->medoids) != 0 ||
        fabs(r->objective - ref->objective) > 1e-12 * fabs(ref->objective)) {
        char got[256] = "", want[256] = "";
        for (unsigned i = 0; i < ref->k; i++) {
            snprintf(got + strlen(got), sizeof got - strlen(got), " %u", r->medoids[i]);
            snprintf(want + strlen(want), sizeof want - strlen(want), " %u", ref->medoids[i]);
        }
        snprintf(msg, size, "%s: resumed {%s} %.17g, uninterrupted {%s} %.17g",
                 label(opt, what), got, r->objective, want, ref->objective);
        return 1;
    }
    if (!r->exact) {
        snprintf(msg, size, "%s: the resumed result is not marked exact", label(opt, what));
        return 1;
    }
    if (r->total != ref->total || r->evaluated + r->pruned != r->total) {
        snprintf(msg, size, "%s: evaluated %llu + pruned %llu != C(N,K) %llu", label(opt, what),
                 (unsigned long long)r->evaluated, (unsigned long long)r->pruned,
                 (unsigned long long)ref->total);
        return 1;
    }
    if (opt->strategy != EKM_STRATEGY_PRUNED && (r->evaluated != r->total || r->pruned != 0)) {
        snprintf(msg, size, "%s: evaluated %llu of %llu, pruned %llu", label(opt, what),
                 (unsigned long long)r->evaluated, (unsigned long long)r->total,
                 (unsigned long long)r->pruned);
        return 1;
    }
    for (int i = 0; i < r->n_stages; i++)
        if (r->stages[i].done != r->stages[i].spec.total) {
            snprintf(msg, size, "%s: stage %d closed %llu of %llu", label(opt, what), i,
                     (unsigned long long)r->stages[i].done,
                     (unsigned long long)r->stages[i].spec.total);
            return 1;
        }
    return 0;
}

static inline void check_same(const ekm_result *r, const ekm_result *ref,
                              const ekm_solve_options *opt, const char *what)
{
    char msg[1024];
    if (result_differs(r, ref, opt, what, msg, sizeof msg))
        fail_msg("%s", msg);
}

/* Run [lo, hi) of the units (from `from`, may be NULL) and take its checkpoint. */
static inline ekm_checkpoint *run_range(ekm_dissim *dm, ekm_solve_options opt,
                                        const ekm_checkpoint *from, uint64_t lo, uint64_t hi,
                                        int what)
{
    opt.resume = from;
    opt.unit_lo = lo;
    opt.unit_hi = hi;
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e))
        fail_msg("%s", label(&opt, e.message));
    ekm_status st = ekm_job_wait(job);
    if (st) {
        ekm_job_status(job, &e);
        fail_msg("units [%llu, %llu): %s", (unsigned long long)lo, (unsigned long long)hi,
                 label(&opt, e.message));
    }
    ekm_checkpoint *ck = NULL;
    if (ekm_job_checkpoint(job, what, &ck, &e))
        fail_msg("%s", label(&opt, e.message));
    assert_non_null(ck);
    ekm_job_free(job);
    return ck;
}

/* Resume ck over the whole job to the end; the caller frees the result. */
static inline ekm_result *resume_all(ekm_dissim *dm, ekm_solve_options opt,
                                     const ekm_checkpoint *ck, uint64_t *new_units)
{
    opt.resume = ck;
    opt.unit_lo = opt.unit_hi = 0;
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e))
        fail_msg("resume: %s", label(&opt, e.message));
    if (ekm_job_wait(job)) {
        ekm_job_status(job, &e);
        fail_msg("resume: %s", label(&opt, e.message));
    }
    if (new_units) {
        ekm_checkpoint *mine;
        assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_NEW_ONLY, &mine, &e), EKM_OK);
        *new_units = ekm_checkpoint_units_done(mine);
        ekm_checkpoint_free(mine);
    }
    ekm_result *r = ekm_job_take_result(job);
    assert_non_null(r);
    ekm_job_free(job);
    return r;
}

/* Units of a job: from the plan, or for pruned from its root checkpoint. */
static inline uint64_t plan_units(size_t n, const ekm_solve_options *opt)
{
    uint64_t units = 0, first[EKM_MAX_STAGES + 1];
    int n_stages = 0;
    ekm_error e;
    if (ekm_plan_units(n, opt->k, opt, &units, first, EKM_MAX_STAGES, &n_stages, &e))
        fail_msg("%s", label(opt, e.message));
    assert_true(n_stages >= 1);
    assert_int_equal(first[0], 0);
    assert_int_equal(first[n_stages], units);
    for (int s = 0; s < n_stages; s++)
        assert_true(first[s] <= first[s + 1]);
    return units;
}

static inline ekm_checkpoint *pruned_root(ekm_dissim *dm, ekm_solve_options opt)
{
    opt.root_only = 1;
    ekm_checkpoint *ck = run_range(dm, opt, NULL, 0, 0, EKM_CKPT_ALL);
    opt.root_only = 0;
    if (ekm_checkpoint_units(ck) < 2)
        fail_msg("%s", label(&opt, "the root has fewer than 2 children: no range to test"));
    assert_int_equal(ekm_checkpoint_units_done(ck), 0);
    return ck;
}

/* Datasets whose pruned root keeps many children (on uniform reals the root bound
 * leaves one or none: nothing to split). */
static const data_case pruned_cases[] = {
    {200, 2, 3, 5, 22, EKM_METRIC_SQEUCLIDEAN},
    {120, 4, 4, 0, 5, EKM_METRIC_MANHATTAN},
};

/* Part of the units (a middle range, not a prefix) by t threads, then the rest by
 * 4 - t threads: the uninterrupted answer. */
static inline void check_unit_range(ekm_dissim *dm, const data_case *dc, ekm_strategy strategy)
{
    ekm_solve_options ref_opt = options(strategy, dc->k, 2);
    ekm_result *ref = solve_ref(dm, &ref_opt);
    for (unsigned t = 1; t <= 3; t++) {
        ekm_solve_options opt = options(strategy, dc->k, t);
        ekm_checkpoint *root = NULL;
        uint64_t units;
        if (strategy == EKM_STRATEGY_PRUNED) {
            root = pruned_root(dm, opt);
            units = ekm_checkpoint_units(root);
        } else {
            units = plan_units(dc->n, &opt);
        }
        if (units < 3)
            fail_msg("%s: %llu units", label(&opt, "too few units for the test"),
                     (unsigned long long)units);
        uint64_t lo = units / 3, hi = 2 * units / 3 + (t == 2);
        ekm_checkpoint *ck = run_range(dm, opt, root, lo, hi, EKM_CKPT_ALL);
        assert_int_equal(ekm_checkpoint_units(ck), units);
        if (ekm_checkpoint_units_done(ck) != hi - lo)
            fail_msg("%s: %llu units done, ran [%llu, %llu)", label(&opt, "range"),
                     (unsigned long long)ekm_checkpoint_units_done(ck), (unsigned long long)lo,
                     (unsigned long long)hi);
        assert_true(ekm_checkpoint_done(ck) > 0);
        assert_true(ekm_checkpoint_done(ck) < ekm_checkpoint_total(ck));
        assert_int_equal(ekm_checkpoint_total(ck), ref->total);
        assert_int_equal(ekm_checkpoint_n(ck), dc->n);
        double best;
        uint32_t bm[EKM_MAX_K];
        if (ekm_checkpoint_best(ck, &best, bm))
            assert_true(best >= ref->objective * (1 - 1e-12));
        ekm_solve_options again = opt;
        again.threads = 4 - t;
        ekm_result *r = resume_all(dm, again, ck, NULL);
        check_same(r, ref, &again, "resumed after a unit range");
        ekm_result_free(r);
        ekm_checkpoint_free(ck);
        ekm_checkpoint_free(root);
    }
    ekm_result_free(ref);
}

/* A partial checkpoint with a note, for the round trips. */
static inline ekm_checkpoint *partial_checkpoint(ekm_dissim *dm, ekm_strategy s, unsigned k)
{
    ekm_solve_options opt = options(s, k, 2);
    uint64_t units = plan_units(ekm_dissim_n(dm), &opt);
    ekm_checkpoint *ck = run_range(dm, opt, NULL, 1, units / 2, EKM_CKPT_ALL);
    assert_int_equal(ekm_checkpoint_set_note(ck, "ekm-data 1\nsource=csv\npath=/x/y.csv\n"),
                     EKM_OK);
    return ck;
}

static inline int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static inline void expect_refused(const ekm_checkpoint *ck, ekm_dissim *dm, ekm_solve_options opt,
                                  const char *what)
{
    opt.resume = ck;
    ekm_error e;
    ekm_error_clear(&e);
    if (ekm_checkpoint_check(ck, dm, &opt, &e) == EKM_OK)
        fail_msg("%s: ekm_checkpoint_check accepted it", what);
    assert_true(e.message[0] != '\0');
    assert_null(strchr(e.message, '\n'));
    ekm_job *job = NULL;
    ekm_error_clear(&e);
    if (ekm_job_start(dm, &opt, &job, &e) == EKM_OK) {
        ekm_job_free(job);
        fail_msg("%s: ekm_job_start accepted it", what);
    }
    assert_null(job);
    assert_true(e.message[0] != '\0');
}

#endif
