/* test_checkpoint.c — checkpoints and resume (engine/include/ekm/checkpoint.h):
 * for every exact strategy and 1..3 threads, a job that ran part of the work units
 * (or was cancelled mid-way, once or twice) resumes to the same medoids and
 * objective as an uninterrupted run, with evaluated + pruned == C(N,K) exactly;
 * encode/decode and save/load round trips; a flipped byte or a truncated file is
 * refused; a checkpoint is refused for another dataset (one coordinate changed),
 * another metric, K, strategy or plan; checkpoints of disjoint unit ranges merge
 * into one that resumes to the full answer with nothing left to do; and the
 * front ends' note that says how to load a checkpoint's data again. */
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

static ekm_dissim *make_dm(const double *x, size_t n, size_t d, ekm_metric m)
{
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_dataset_from_points("case", n, d, x, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, m, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static double *case_points(const data_case *c)
{
    double *x = malloc(c->n * c->d * sizeof *x);
    assert_non_null(x);
    brute_random_points(x, c->n, c->d, c->grid, c->seed);
    return x;
}

static ekm_solve_options options(ekm_strategy s, unsigned k, unsigned threads)
{
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = k;
    opt.strategy = s;
    opt.threads = threads;
    if (s == EKM_STRATEGY_TREE)
        opt.partitions = 5;
    return opt;
}

static const char *label(const ekm_solve_options *o, const char *what)
{
    static char buf[700];
    snprintf(buf, sizeof buf, "%s K=%u T=%u: %s", ekm_strategy_name(o->strategy), o->k,
             o->threads, what);
    return buf;
}

static ekm_result *solve_ref(ekm_dissim *dm, const ekm_solve_options *opt)
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
static int result_differs(const ekm_result *r, const ekm_result *ref,
                          const ekm_solve_options *opt, const char *what, char *msg, size_t size)
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

static void check_same(const ekm_result *r, const ekm_result *ref, const ekm_solve_options *opt,
                       const char *what)
{
    char msg[1024];
    if (result_differs(r, ref, opt, what, msg, sizeof msg))
        fail_msg("%s", msg);
}

/* Run [lo, hi) of the units (from `from`, may be NULL) and take its checkpoint. */
static ekm_checkpoint *run_range(ekm_dissim *dm, ekm_solve_options opt,
                                 const ekm_checkpoint *from, uint64_t lo, uint64_t hi, int what)
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
static ekm_result *resume_all(ekm_dissim *dm, ekm_solve_options opt, const ekm_checkpoint *ck,
                              uint64_t *new_units)
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
static uint64_t plan_units(size_t n, const ekm_solve_options *opt)
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

static ekm_checkpoint *pruned_root(ekm_dissim *dm, ekm_solve_options opt)
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
static void check_unit_range(ekm_dissim *dm, const data_case *dc, ekm_strategy strategy)
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

static void test_resume_after_unit_range(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const data_case *dc = &cases[c];
        double *x = case_points(dc);
        ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
        for (int s = 0; s < N_EXACT; s++)
            if (exact[s] != EKM_STRATEGY_PRUNED)
                check_unit_range(dm, dc, exact[s]);
        ekm_dissim_release(dm);
        free(x);
    }
}

static void test_pruned_resume_after_unit_range(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof pruned_cases / sizeof pruned_cases[0]; c++) {
        const data_case *dc = &pruned_cases[c];
        double *x = case_points(dc);
        ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
        check_unit_range(dm, dc, EKM_STRATEGY_PRUNED);
        ekm_dissim_release(dm);
        free(x);
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Start (from ck), cancel once the job has closed K-subsets of its own (a
 * condition, not a delay) or has finished, take the checkpoint of everything. */
static ekm_checkpoint *run_and_cancel(ekm_dissim *dm, ekm_solve_options opt,
                                      const ekm_checkpoint *from, int *cancelled)
{
    opt.resume = from;
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e))
        fail_msg("%s", label(&opt, e.message));
    ekm_progress *p = malloc(sizeof *p);
    assert_non_null(p);
    for (double deadline = ekm_now() + 120; !ekm_job_done(job); sleep_ms(1)) {
        ekm_job_progress(job, p);
        if (p->done > p->resumed)
            break;
        if (ekm_now() > deadline)
            fail_msg("%s", label(&opt, "nothing closed in 120 s"));
    }
    free(p);
    ekm_job_cancel(job);
    ekm_status st = ekm_job_wait(job);
    assert_true(st == EKM_OK || st == EKM_ERR_CANCELLED);
    *cancelled = st == EKM_ERR_CANCELLED;
    ekm_checkpoint *ck;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &e), EKM_OK);
    if (st == EKM_OK)
        assert_int_equal(ekm_checkpoint_units_done(ck), ekm_checkpoint_units(ck));
    ekm_job_free(job);
    return ck;
}

/* Cancelled mid-way, resumed and cancelled again, then resumed to the end. The
 * checkpoints also go through encode/decode, as a file would. */
static void test_resume_after_cancel(void **state)
{
    (void)state;
#if defined(__SANITIZE_THREAD__)
    const size_t n = 160;
#elif defined(EKM_SANITIZED)
    const size_t n = 260;
#else
    const size_t n = 400;
#endif
    data_case dc = {n, 2, 3, 0, 31, EKM_METRIC_EUCLIDEAN};
    double *x = case_points(&dc);
    ekm_dissim *dm = make_dm(x, dc.n, dc.d, dc.metric);
    ekm_solve_options popt = options(EKM_STRATEGY_PRUNED, 3, 2);
    ekm_result *ref3 = solve_ref(dm, &popt);
    popt.k = 4;
    ekm_result *ref4 = solve_ref(dm, &popt);
    int cancelled_somewhere = 0;
    for (int s = 0; s < N_EXACT; s++) {
        ekm_solve_options opt = options(exact[s], exact[s] == EKM_STRATEGY_PRUNED ? 4 : 3, 2);
        const ekm_result *ref = opt.k == 4 ? ref4 : ref3;
        int c1, c2;
        ekm_checkpoint *ck1 = run_and_cancel(dm, opt, NULL, &c1);
        uint8_t *buf;
        size_t len;
        assert_int_equal(ekm_checkpoint_encode(ck1, &buf, &len, NULL), EKM_OK);
        ekm_checkpoint *dec;
        assert_int_equal(ekm_checkpoint_decode(buf, len, &dec, NULL), EKM_OK);
        free(buf);
        ekm_checkpoint *ck2 = run_and_cancel(dm, opt, dec, &c2);
        cancelled_somewhere |= c1 | c2;
        /* everything of the first part is still in the second checkpoint */
        assert_true(ekm_checkpoint_units_done(ck2) >= ekm_checkpoint_units_done(dec));
        assert_true(ekm_checkpoint_done(ck2) >= ekm_checkpoint_done(dec));
        ekm_result *r = resume_all(dm, opt, ck2, NULL);
        check_same(r, ref, &opt, "resumed after two cancels");
        ekm_result_free(r);
        ekm_checkpoint_free(ck1);
        ekm_checkpoint_free(dec);
        ekm_checkpoint_free(ck2);
    }
    /* at these sizes the enumeration takes far longer than the first look at its progress */
    assert_true(cancelled_somewhere);
    ekm_result_free(ref3);
    ekm_result_free(ref4);
    ekm_dissim_release(dm);
    free(x);
}

/* A complete checkpoint resumes to the result at once, doing nothing. */
static void test_complete_checkpoint_resumes_at_once(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    for (int s = 0; s < N_EXACT; s++) {
        ekm_solve_options opt = options(exact[s], dc->k, 2);
        ekm_result *ref = solve_ref(dm, &opt);
        ekm_checkpoint *ck = run_range(dm, opt, NULL, 0, 0, EKM_CKPT_ALL);
        assert_int_equal(ekm_checkpoint_units_done(ck), ekm_checkpoint_units(ck));
        assert_int_equal(ekm_checkpoint_done(ck), ref->total);
        double best;
        uint32_t bm[EKM_MAX_K];
        assert_true(ekm_checkpoint_best(ck, &best, bm));
        assert_memory_equal(bm, ref->medoids, dc->k * sizeof *bm);
        uint64_t fresh = 99;
        ekm_result *r = resume_all(dm, opt, ck, &fresh);
        check_same(r, ref, &opt, "resumed from a complete checkpoint");
        assert_int_equal(fresh, 0);
        ekm_result_free(r);
        ekm_result_free(ref);
        ekm_checkpoint_free(ck);
    }
    ekm_dissim_release(dm);
    free(x);
}

/* A partial checkpoint with a note, for the round trips. */
static ekm_checkpoint *partial_checkpoint(ekm_dissim *dm, ekm_strategy s, unsigned k)
{
    ekm_solve_options opt = options(s, k, 2);
    uint64_t units = plan_units(ekm_dissim_n(dm), &opt);
    ekm_checkpoint *ck = run_range(dm, opt, NULL, 1, units / 2, EKM_CKPT_ALL);
    assert_int_equal(ekm_checkpoint_set_note(ck, "ekm-data 1\nsource=csv\npath=/x/y.csv\n"),
                     EKM_OK);
    return ck;
}

static void assert_same_checkpoint(const ekm_checkpoint *a, const ekm_checkpoint *b)
{
    assert_int_equal(ekm_checkpoint_units(a), ekm_checkpoint_units(b));
    assert_int_equal(ekm_checkpoint_units_done(a), ekm_checkpoint_units_done(b));
    assert_int_equal(ekm_checkpoint_done(a), ekm_checkpoint_done(b));
    assert_int_equal(ekm_checkpoint_total(a), ekm_checkpoint_total(b));
    assert_int_equal(ekm_checkpoint_n(a), ekm_checkpoint_n(b));
    assert_int_equal(ekm_checkpoint_fingerprint(a), ekm_checkpoint_fingerprint(b));
    ekm_solve_options oa = ekm_checkpoint_options(a), ob = ekm_checkpoint_options(b);
    assert_int_equal(oa.k, ob.k);
    assert_int_equal(oa.strategy, ob.strategy);
    assert_int_equal(oa.partitions, ob.partitions);
    double ba, bb;
    uint32_t ma[EKM_MAX_K], mb[EKM_MAX_K];
    int ha = ekm_checkpoint_best(a, &ba, ma), hb = ekm_checkpoint_best(b, &bb, mb);
    assert_int_equal(ha, hb);
    if (ha) {
        assert_true(ba == bb);
        assert_memory_equal(ma, mb, oa.k * sizeof *ma);
    }
    const char *na = ekm_checkpoint_note(a), *nb = ekm_checkpoint_note(b);
    assert_true((na == NULL) == (nb == NULL));
    if (na)
        assert_string_equal(na, nb);
}

static void test_encode_decode_round_trip(void **state)
{
    (void)state;
    const data_case *dc = &cases[1];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_PAR2, dc->k);
    assert_string_equal(ekm_checkpoint_note(ck), "ekm-data 1\nsource=csv\npath=/x/y.csv\n");
    assert_int_equal(ekm_checkpoint_fingerprint(ck), ekm_dissim_fingerprint(dm));
    uint8_t *a, *b;
    size_t la, lb;
    assert_int_equal(ekm_checkpoint_encode(ck, &a, &la, NULL), EKM_OK);
    ekm_checkpoint *back;
    ekm_error e;
    if (ekm_checkpoint_decode(a, la, &back, &e))
        fail_msg("decode: %s", e.message);
    assert_same_checkpoint(ck, back);
    assert_int_equal(ekm_checkpoint_encode(back, &b, &lb, NULL), EKM_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    /* the decoded one resumes like the original */
    ekm_solve_options opt = options(EKM_STRATEGY_PAR2, dc->k, 2);
    ekm_result *ref = solve_ref(dm, &opt);
    ekm_result *r = resume_all(dm, opt, back, NULL);
    check_same(r, ref, &opt, "resumed from a decoded checkpoint");
    ekm_result_free(r);
    ekm_result_free(ref);
    free(a);
    free(b);
    ekm_checkpoint_free(back);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* Every single flipped byte and every truncation is refused. */
static void test_damaged_bytes_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_FUSED, dc->k);
    uint8_t *buf;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &buf, &len, NULL), EKM_OK);
    assert_true(len > 16);
    size_t step = len <= 8192 ? 1 : len / 4096;
    for (size_t i = 0; i < len; i += step) {
        for (int bit = 0; bit < 8; bit += 7) { /* the lowest and the highest bit */
            buf[i] ^= (uint8_t)(1u << bit);
            ekm_checkpoint *bad = NULL;
            ekm_error e;
            ekm_error_clear(&e);
            ekm_status st = ekm_checkpoint_decode(buf, len, &bad, &e);
            buf[i] ^= (uint8_t)(1u << bit);
            if (st == EKM_OK)
                fail_msg("byte %zu of %zu with bit %d flipped was accepted", i, len, bit);
            assert_null(bad);
            assert_true(e.message[0] != '\0');
            assert_null(strchr(e.message, '\n'));
        }
    }
    for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : step * 7 + 1) {
        ekm_checkpoint *bad = NULL;
        if (ekm_checkpoint_decode(buf, cut, &bad, NULL) == EKM_OK)
            fail_msg("a checkpoint truncated to %zu of %zu bytes was accepted", cut, len);
        assert_null(bad);
    }
    /* one byte more is damage too */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    ekm_checkpoint *bad = NULL;
    assert_int_not_equal(ekm_checkpoint_decode(longer, len + 1, &bad, NULL), EKM_OK);
    free(longer);
    free(buf);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

static char tmpdir[256];

static int count_entries(const char *dir)
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

static void write_bytes(const char *path, const uint8_t *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_save_load_round_trip(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ekm-ckpt-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char path[400], other[400];
    snprintf(path, sizeof path, "%s/run.ckpt", tmpdir);
    const data_case *dc = &cases[2];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_TREE, dc->k);
    ekm_error e;
    if (ekm_checkpoint_save(ck, path, &e))
        fail_msg("save: %s", e.message);
    /* saved twice (the second replaces the first): no temporary file is left */
    assert_int_equal(ekm_checkpoint_save(ck, path, NULL), EKM_OK);
    assert_int_equal(count_entries(tmpdir), 1);
    ekm_checkpoint *back;
    if (ekm_checkpoint_load(path, &back, &e))
        fail_msg("load: %s", e.message);
    assert_same_checkpoint(ck, back);
    ekm_solve_options opt = options(EKM_STRATEGY_TREE, dc->k, 3);
    ekm_result *ref = solve_ref(dm, &opt);
    ekm_result *r = resume_all(dm, opt, back, NULL);
    check_same(r, ref, &opt, "resumed from a loaded file");
    ekm_result_free(r);
    ekm_result_free(ref);
    ekm_checkpoint_free(back);

    /* damaged files: a flipped byte, truncated, empty, not a checkpoint, missing */
    uint8_t *buf;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &buf, &len, NULL), EKM_OK);
    snprintf(other, sizeof other, "%s/bad.ckpt", tmpdir);
    const size_t cuts[] = {len / 2, len - 1, 0, 3};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0] + 3; i++) {
        if (i < 4) {
            write_bytes(other, buf, cuts[i]);
        } else if (i == 4) {
            buf[len / 3] ^= 0x10;
            write_bytes(other, buf, len);
            buf[len / 3] ^= 0x10;
        } else if (i == 5) {
            write_bytes(other, (const uint8_t *)"index,cluster\n0,1\n", 18);
        } else {
            unlink(other);
        }
        ekm_checkpoint *bad = NULL;
        ekm_error_clear(&e);
        ekm_status st = ekm_checkpoint_load(other, &bad, &e);
        if (st == EKM_OK)
            fail_msg("damaged file %zu was accepted", i);
        assert_null(bad);
        char msg[1200];
        ekm_error_format(&e, msg, sizeof msg);
        if (!strstr(msg, "bad.ckpt"))
            fail_msg("the message does not name the file: %s", msg);
        assert_null(strchr(msg, '\n'));
    }
    /* a folder that does not exist: the error names the path, nothing is left */
    snprintf(other, sizeof other, "%s/no/such/dir/x.ckpt", tmpdir);
    ekm_error_clear(&e);
    assert_int_not_equal(ekm_checkpoint_save(ck, other, &e), EKM_OK);
    char msg[1200];
    ekm_error_format(&e, msg, sizeof msg);
    assert_non_null(strstr(msg, "x.ckpt"));
    free(buf);
    unlink(path);
    assert_int_equal(count_entries(tmpdir), 0);
    rmdir(tmpdir);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

static void expect_refused(const ekm_checkpoint *ck, ekm_dissim *dm, ekm_solve_options opt,
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

static void test_other_dataset_or_options_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    const ekm_strategy some[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_TREE, EKM_STRATEGY_FUSED};
    for (size_t s = 0; s < sizeof some / sizeof some[0]; s++) {
        ekm_checkpoint *ck = partial_checkpoint(dm, some[s], dc->k);
        ekm_solve_options opt = options(some[s], dc->k, 2);
        opt.resume = ck;
        /* the same dataset and options, any thread count: accepted */
        for (unsigned t = 1; t <= 3; t++) {
            opt.threads = t;
            ekm_error e;
            if (ekm_checkpoint_check(ck, dm, &opt, &e))
                fail_msg("%s T=%u refused: %s", ekm_strategy_name(some[s]), t, e.message);
        }
        /* one coordinate changed */
        double *y = malloc(dc->n * dc->d * sizeof *y);
        memcpy(y, x, dc->n * dc->d * sizeof *y);
        y[7 * dc->d + 1] += 1e-9;
        ekm_dissim *moved = make_dm(y, dc->n, dc->d, dc->metric);
        assert_true(ekm_dissim_fingerprint(moved) != ekm_dissim_fingerprint(dm));
        expect_refused(ck, moved, opt, "one coordinate changed");
        ekm_dissim_release(moved);
        /* one point fewer */
        ekm_dissim *fewer = make_dm(x, dc->n - 1, dc->d, dc->metric);
        expect_refused(ck, fewer, opt, "one point fewer");
        ekm_dissim_release(fewer);
        free(y);
        /* another metric */
        ekm_dissim *manhattan = make_dm(x, dc->n, dc->d, EKM_METRIC_MANHATTAN);
        expect_refused(ck, manhattan, opt, "another metric");
        ekm_dissim_release(manhattan);
        /* another K, strategy, plan */
        ekm_solve_options o = opt;
        o.k = dc->k + 1;
        expect_refused(ck, dm, o, "another K");
        o = opt;
        o.strategy = some[s] == EKM_STRATEGY_SEQ ? EKM_STRATEGY_PAR2 : EKM_STRATEGY_SEQ;
        expect_refused(ck, dm, o, "another strategy");
        if (some[s] == EKM_STRATEGY_TREE) {
            o = opt;
            o.partitions = 7;
            expect_refused(ck, dm, o, "another tree");
        }
        ekm_checkpoint_free(ck);
    }
    ekm_dissim_release(dm);
    free(x);
}

/* Disjoint unit ranges run apart (as on several machines), merged, resumed. */
static void test_merge_disjoint_ranges(void **state)
{
    (void)state;
    const data_case *dc = &cases[1];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    const ekm_strategy some[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,
                                 EKM_STRATEGY_FUSED, EKM_STRATEGY_PRUNED};
    char problem[4096] = "";
    for (size_t s = 0; s < sizeof some / sizeof some[0]; s++) {
        ekm_solve_options opt = options(some[s], dc->k, 2);
        ekm_result *ref = solve_ref(dm, &opt);
        ekm_checkpoint *root = NULL;
        uint64_t units;
        if (some[s] == EKM_STRATEGY_PRUNED) {
            root = pruned_root(dm, opt);
            units = ekm_checkpoint_units(root);
        } else {
            units = plan_units(dc->n, &opt);
        }
        uint64_t cut[4] = {0, units / 3, units / 3 + (units - units / 3) / 2, units};
        ekm_checkpoint *part[3];
        for (int p = 0; p < 3; p++) {
            ekm_solve_options o = opt;
            o.threads = 1 + (unsigned)p; /* each "machine" its own thread count */
            part[p] = run_range(dm, o, root, cut[p], cut[p + 1], EKM_CKPT_NEW_ONLY);
            assert_int_equal(ekm_checkpoint_units_done(part[p]), cut[p + 1] - cut[p]);
        }
        ekm_error e;
        /* overlapping work is refused */
        uint8_t *buf;
        size_t len;
        assert_int_equal(ekm_checkpoint_encode(part[1], &buf, &len, NULL), EKM_OK);
        ekm_checkpoint *twin;
        assert_int_equal(ekm_checkpoint_decode(buf, len, &twin, NULL), EKM_OK);
        free(buf);
        if (cut[2] > cut[1]) {
            ekm_error_clear(&e);
            if (ekm_checkpoint_merge(twin, part[1], &e) == EKM_OK)
                fail_msg("%s: merging a checkpoint with a copy of itself was accepted",
                         ekm_strategy_name(some[s]));
            assert_true(e.message[0] != '\0');
        }
        ekm_checkpoint_free(twin);
        if (root) { /* pruned: the parts merged into (a copy of) the root they share */
            assert_int_equal(ekm_checkpoint_encode(root, &buf, &len, NULL), EKM_OK);
            ekm_checkpoint *with_root;
            assert_int_equal(ekm_checkpoint_decode(buf, len, &with_root, NULL), EKM_OK);
            free(buf);
            for (int p = 0; p < 3; p++)
                if (ekm_checkpoint_merge(with_root, part[p], &e))
                    fail_msg("pruned: merge into the root: %s", e.message);
            assert_int_equal(ekm_checkpoint_units_done(with_root), units);
            assert_int_equal(ekm_checkpoint_done(with_root), ref->total);
            uint64_t more = 99;
            ekm_result *rr = resume_all(dm, opt, with_root, &more);
            check_same(rr, ref, &opt, "resumed from the root and merged ranges");
            assert_int_equal(more, 0);
            ekm_result_free(rr);
            ekm_checkpoint_free(with_root);
        }
        /* the parts merged with each other (for pruned too: each holds the root); a
         * problem is kept for the end, so that the other strategies run too */
        ekm_checkpoint *all = part[0];
        for (int p = 1; p < 3; p++)
            if (ekm_checkpoint_merge(all, part[p], &e))
                fail_msg("%s: merge: %s", ekm_strategy_name(some[s]), e.message);
        assert_int_equal(ekm_checkpoint_units_done(all), units);
        size_t used = strlen(problem);
        if (ekm_checkpoint_done(all) != ref->total)
            snprintf(problem + used, sizeof problem - used,
                     "%s: the merged checkpoint closed %llu K-subsets of %llu; ",
                     ekm_strategy_name(some[s]), (unsigned long long)ekm_checkpoint_done(all),
                     (unsigned long long)ref->total);
        double best;
        uint32_t bm[EKM_MAX_K];
        assert_true(ekm_checkpoint_best(all, &best, bm));
        assert_memory_equal(bm, ref->medoids, dc->k * sizeof *bm);
        uint64_t fresh = 99;
        ekm_result *r = resume_all(dm, opt, all, &fresh);
        char msg[1024];
        used = strlen(problem);
        if (result_differs(r, ref, &opt, "resumed from merged ranges", msg, sizeof msg))
            snprintf(problem + used, sizeof problem - used, "%s; ", msg);
        used = strlen(problem);
        if (fresh != 0)
            snprintf(problem + used, sizeof problem - used,
                     "%s: the resumed job ran %llu more units; ", ekm_strategy_name(some[s]),
                     (unsigned long long)fresh);
        ekm_result_free(r);
        for (int p = 0; p < 3; p++)
            ekm_checkpoint_free(part[p]);
        ekm_checkpoint_free(root);
        ekm_result_free(ref);
    }
    /* checkpoints of other datasets do not merge */
    ekm_checkpoint *a = partial_checkpoint(dm, EKM_STRATEGY_SEQ, dc->k);
    ekm_dissim *other = make_dm(x, dc->n, dc->d, EKM_METRIC_EUCLIDEAN);
    ekm_solve_options o = options(EKM_STRATEGY_SEQ, dc->k, 1);
    uint64_t units = plan_units(dc->n, &o);
    ekm_checkpoint *b = run_range(other, o, NULL, units - 1, units, EKM_CKPT_NEW_ONLY);
    assert_int_not_equal(ekm_checkpoint_merge(a, b, NULL), EKM_OK);
    ekm_checkpoint_free(a);
    ekm_checkpoint_free(b);
    ekm_dissim_release(other);
    ekm_dissim_release(dm);
    free(x);
    if (problem[0])
        fail_msg("%s", problem);
}

/* The front ends' note (ui/common/ckpt.h): how to load the data again. */
static void test_note_round_trip(void **state)
{
    (void)state;
    ckpt_source a, b;
    memset(&a, 0, sizeof a);
    a.kind = CKPT_SRC_CSV;
    snprintf(a.path, sizeof a.path, "/data/odd %%name\nwith=line.csv");
    a.csv = ekm_csv_options_default();
    a.csv.header = EKM_HEADER_NO;
    a.csv.label = EKM_LABEL_LAST;
    a.csv.missing = EKM_MISSING_DROP;
    a.csv.separator = '\t';
    a.metric = EKM_METRIC_MANHATTAN;
    char note[CKPT_NOTE_MAX], err[256];
    ckpt_source_format(&a, note, sizeof note);
    assert_non_null(strstr(note, "\npath=/data/odd %25name%0Awith=line.csv\n"));
    if (ckpt_source_parse(note, &b, err, sizeof err))
        fail_msg("parse: %s\n%s", err, note);
    assert_int_equal(b.kind, CKPT_SRC_CSV);
    assert_string_equal(b.path, a.path);
    assert_int_equal(b.csv.header, EKM_HEADER_NO);
    assert_int_equal(b.csv.label, EKM_LABEL_LAST);
    assert_int_equal(b.csv.missing, EKM_MISSING_DROP);
    assert_int_equal(b.csv.separator, '\t');
    assert_int_equal(b.metric, EKM_METRIC_MANHATTAN);

    memset(&a, 0, sizeof a);
    a.kind = CKPT_SRC_GEN;
    a.gen_kind = EKM_GEN_BLOBS;
    a.gen_n = 1234;
    a.gen_d = 5;
    a.gen_clusters = 7;
    a.gen_seed = 18446744073709551615ULL;
    a.metric = EKM_METRIC_SQEUCLIDEAN;
    ckpt_source_format(&a, note, sizeof note);
    assert_int_equal(ckpt_source_parse(note, &b, err, sizeof err), 0);
    assert_int_equal(b.kind, CKPT_SRC_GEN);
    assert_int_equal(b.gen_kind, EKM_GEN_BLOBS);
    assert_int_equal(b.gen_n, 1234);
    assert_int_equal(b.gen_d, 5);
    assert_int_equal(b.gen_clusters, 7);
    assert_true(b.gen_seed == a.gen_seed);
    assert_int_equal(b.metric, EKM_METRIC_SQEUCLIDEAN);
    /* a generated source loads the same points as ekm_generate */
    ekm_dissim *dm;
    a.gen_n = 50;
    assert_int_equal(ckpt_source_load(&a, &dm, err, sizeof err), 0);
    assert_int_equal(ekm_dissim_n(dm), 50);
    assert_int_equal(ekm_dissim_metric(dm), EKM_METRIC_SQEUCLIDEAN);
    ekm_dissim_release(dm);

    /* refused: no note, another program's note, no path, a bad value */
    const char *bad[] = {NULL, "hello", "ekm-data 1\nsource=csv\n",
                         "ekm-data 1\nsource=csv\npath=relative.csv\n",
                         "ekm-data 1\nsource=csv\npath=/a.csv\nmetric=cosine\n",
                         "ekm-data 1\nsource=csv\npath=/a%2.csv\n",
                         "ekm-data 1\nsource=gen\ngen=uniform\nn=0\nd=2\n",
                         "ekm-data 1\nsource=tape\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (ckpt_source_parse(bad[i], &b, err, sizeof err) == 0)
            fail_msg("note %zu was accepted", i);
        assert_true(err[0] != '\0');
    }
    /* unknown keys are ignored (a later version may add some) */
    assert_int_equal(ckpt_source_parse("ekm-data 1\nsource=csv\npath=/a.csv\nfuture=1\n", &b,
                                       err, sizeof err),
                     0);
    /* a missing data file: the error names it */
    memset(&a, 0, sizeof a);
    a.kind = CKPT_SRC_CSV;
    a.csv = ekm_csv_options_default();
    snprintf(a.path, sizeof a.path, "/nonexistent/data.csv");
    assert_int_equal(ckpt_source_load(&a, &dm, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/data.csv"));
}

/* Heuristics have no checkpoint. */
static void test_heuristic_has_none(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_solve_options opt = options(EKM_STRATEGY_FASTERPAM, 3, 1);
    ekm_job *job;
    assert_int_equal(ekm_job_start(dm, &opt, &job, NULL), EKM_OK);
    ekm_job_wait(job);
    ekm_checkpoint *ck = NULL;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, NULL), EKM_ERR_INVALID);
    assert_null(ck);
    ekm_job_free(job);
    ekm_dissim_release(dm);
    free(x);
}

/* ---- crafted checkpoints: fields changed, checksum recomputed ---------------------- */

/* A decoded copy of ck (to change fields in). */
static ekm_checkpoint *copy_ck(const ekm_checkpoint *ck)
{
    uint8_t *b;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &b, &len, NULL), EKM_OK);
    ekm_checkpoint *c = NULL;
    assert_int_equal(ekm_checkpoint_decode(b, len, &c, NULL), EKM_OK);
    free(b);
    return c;
}

/* Encode a crafted value (a correct checksum over its bytes) and decode it:
 * the status, and the message in msg. */
static ekm_status reencode(const ekm_checkpoint *ck, char *msg, size_t size,
                           ekm_checkpoint **out)
{
    uint8_t *b;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &b, &len, NULL), EKM_OK);
    ekm_checkpoint *c = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    ekm_status st = ekm_checkpoint_decode(b, len, &c, &e);
    free(b);
    snprintf(msg, size, "%s", e.message);
    if (out)
        *out = c;
    else
        ekm_checkpoint_free(c);
    if (st)
        assert_null(c);
    return st;
}

/* The crafted value must be refused by the decoder with a message holding `why`. */
static void expect_undecodable(const ekm_checkpoint *ck, const char *what, const char *why)
{
    char msg[512];
    if (reencode(ck, msg, sizeof msg, NULL) == EKM_OK)
        fail_msg("%s: decoded", what);
    if (!strstr(msg, why))
        fail_msg("%s: refused with \"%s\", expected \"%s\"", what, msg, why);
    assert_null(strchr(msg, '\n'));
}

/* The crafted value decodes (its fields are possible) but resuming it on dm is
 * refused with a message holding `why`. */
static void expect_resume_refused(const ekm_checkpoint *ck, ekm_dissim *dm, const char *what,
                                  const char *why)
{
    char msg[512];
    ekm_checkpoint *back = NULL;
    if (reencode(ck, msg, sizeof msg, &back) != EKM_OK)
        fail_msg("%s: not even decoded: %s", what, msg);
    ekm_solve_options opt = ekm_checkpoint_options(back);
    opt.threads = 2;
    opt.resume = back;
    ekm_job *job = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    if (ekm_job_start(dm, &opt, &job, &e) == EKM_OK) {
        ekm_job_free(job);
        ekm_checkpoint_free(back);
        fail_msg("%s: resumed", what);
    }
    assert_null(job);
    if (!strstr(e.message, why))
        fail_msg("%s: refused with \"%s\", expected \"%s\"", what, e.message, why);
    ekm_checkpoint_free(back);
}

/* A pruned checkpoint whose root is ready: root only (no unit finished). */
static ekm_checkpoint *pruned_root_checkpoint(ekm_dissim *dm, unsigned k)
{
    ekm_solve_options opt = options(EKM_STRATEGY_PRUNED, k, 2);
    opt.root_only = 1;
    ekm_checkpoint *ck = run_range(dm, opt, NULL, 0, 0, EKM_CKPT_ALL);
    assert_true(ck->has_root);
    return ck;
}

/* Set a root's task count (and the unit flags and closed count that go with it). */
static void set_tasks(ekm_checkpoint *c, uint32_t tasks)
{
    uint64_t n = c->n;
    unsigned k = c->opt.k;
    c->root.tasks = tasks;
    c->n_units = tasks;
    free(c->done);
    c->done = calloc(tasks ? tasks : 1, 1);
    assert_non_null(c->done);
    c->root.lump = tasks < n - k + 1 ? ekm_binomial(n - tasks, k, NULL) : 0;
}

/* Every field of a pruned root is checked before a search indexes by it. */
static void test_crafted_root_refused(void **state)
{
    (void)state;
    const data_case *dc = &pruned_cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = pruned_root_checkpoint(dm, dc->k);
    uint32_t n = (uint32_t)dc->n, k = dc->k;
    ekm_checkpoint *c;

    /* more root children than there are first medoids (the search read past ρ) */
    for (uint32_t extra = 1; extra <= 3; extra++) {
        c = copy_ck(ck);
        set_tasks(c, n - k + 1 + extra);
        expect_undecodable(c, "tasks > N-K+1", "more root children than N-K+1");
        ekm_checkpoint_free(c);
    }
    c = copy_ck(ck);
    c->root.tasks = c->root.tasks ? c->root.tasks - 1 : 1; /* units left as they were */
    expect_undecodable(c, "tasks != units", "bad root record");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.lump += 1;
    expect_undecodable(c, "lump", "closed count");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.cand[1] = c->root.cand[0];
    expect_undecodable(c, "a candidate twice", "permutation");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.rho[n - 1] = c->root.rho[0] - 1.0;
    expect_undecodable(c, "bounds not ascending", "ascending");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.rho[3] = NAN;
    expect_undecodable(c, "a NaN bound", "ascending finite");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.lam[5] = -1.0f;
    expect_undecodable(c, "a negative multiplier", "multiplier");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.margin = 0.0;
    expect_undecodable(c, "no rounding margin", "margin");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.base = INFINITY;
    expect_undecodable(c, "an infinite base", "out of range");
    ekm_checkpoint_free(c);

    /* possible fields, but not a bound on this data: every ρ raised (still
     * ascending) would close every child */
    c = copy_ck(ck);
    for (uint32_t i = 0; i < n; i++)
        c->root.rho[i] += 1e6;
    set_tasks(c, 0);
    expect_resume_refused(c, dm, "inflated bounds", "bounds exceed");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.base *= 2.0;
    c->root.sum_max *= 2.0;
    c->root.margin *= 2.0; /* what the doubled sum needs at most */
    expect_resume_refused(c, dm, "inflated base", "base");
    ekm_checkpoint_free(c);
    /* a child the bound does not exclude, closed by a smaller task count */
    if (ck->root.tasks > 0) {
        c = copy_ck(ck);
        set_tasks(c, ck->root.tasks - 1);
        expect_resume_refused(c, dm, "one task fewer", "does not exclude");
        ekm_checkpoint_free(c);
    }
    /* the untouched copy resumes to the uninterrupted answer */
    ekm_solve_options opt = options(EKM_STRATEGY_PRUNED, k, 2);
    ekm_result *ref = solve_ref(dm, &opt);
    ekm_result *r = resume_all(dm, opt, ck, NULL);
    char msg[1024];
    if (result_differs(r, ref, &opt, "root-only checkpoint", msg, sizeof msg))
        fail_msg("%s", msg);
    ekm_result_free(r);
    ekm_result_free(ref);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* Stored medoid sets and objectives: impossible ones are refused by the decoder,
 * possible ones that are not this data's (a fake best) on resume. */
static void test_crafted_best_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    for (int pr = 0; pr < 2; pr++) {
        ekm_checkpoint *ck = pr ? pruned_root_checkpoint(dm, dc->k)
                                : partial_checkpoint(dm, EKM_STRATEGY_FUSED, dc->k);
        unsigned k = dc->k;
        ekm_checkpoint *c;
        assert_true(ck->stages[0].best.len >= 1);
        c = copy_ck(ck);
        uint32_t *set = c->stages[0].best.sets;
        uint32_t t = set[0];
        set[0] = set[1];
        set[1] = t;
        expect_undecodable(c, "unsorted set", "bad medoid set");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.sets[1] = c->stages[0].best.sets[0];
        expect_undecodable(c, "a medoid twice", "bad medoid set");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.sets[k - 1] = (uint32_t)dc->n;
        expect_undecodable(c, "a medoid >= N", "bad medoid set");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.value[0] = NAN;
        expect_undecodable(c, "a NaN objective", "bad objective");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.value[0] = -1.0;
        expect_undecodable(c, "a negative objective", "bad objective");
        ekm_checkpoint_free(c);
        /* a fake best: a real set with a smaller number */
        c = copy_ck(ck);
        c->stages[0].best.value[0] *= 0.5;
        expect_resume_refused(c, dm, "fake best value", "not that set's objective");
        ekm_checkpoint_free(c);
        /* a real objective under another set */
        c = copy_ck(ck);
        uint32_t *s0 = c->stages[0].best.sets;
        s0[k - 1] = s0[k - 1] + 1 < dc->n ? s0[k - 1] + 1 : s0[k - 1];
        if (k >= 2 && s0[k - 1] == ck->stages[0].best.sets[k - 1] && s0[k - 2] + 1 < s0[k - 1])
            s0[k - 2]++;
        assert_memory_not_equal(s0, ck->stages[0].best.sets, k * sizeof *s0);
        expect_resume_refused(c, dm, "value of another set", "not that set's objective");
        ekm_checkpoint_free(c);
        /* a stage that evaluated sets but holds no best */
        c = copy_ck(ck);
        if (c->stages[0].done > c->stages[0].pruned) {
            ekm__best_clear(&c->stages[0].best);
            expect_resume_refused(c, dm, "no best", "holds no best");
        }
        ekm_checkpoint_free(c);
        ekm_checkpoint_free(ck);
    }
    ekm_dissim_release(dm);
    free(x);
}

/* Header and counts against N, K and C(N,K). */
static void test_crafted_header_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_SEQ, dc->k);
    ekm_checkpoint *c;
    c = copy_ck(ck);
    c->total += 1;
    expect_undecodable(c, "total != C(N,K)", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->n = dc->k - 1;
    expect_undecodable(c, "N < K", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->n += 1; /* C(N+1,K) != total */
    expect_undecodable(c, "another N", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->opt.threads = 0;
    expect_undecodable(c, "no threads", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->seconds = NAN;
    expect_undecodable(c, "NaN seconds", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->stages[0].done = c->total + 1;
    c->stages[0].pruned = 0;
    expect_undecodable(c, "a stage closes more than C(N,K)", "bad stage record");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->stages[0].lo = c->stages[0].hi + 1;
    expect_undecodable(c, "a stage range backwards", "bad stage record");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->stages[0].hi = (uint32_t)dc->n + 1;
    expect_undecodable(c, "a stage range past N", "bad stage record");
    ekm_checkpoint_free(c);
    /* K changed with its sets: a checkpoint of another problem */
    c = copy_ck(ck);
    c->opt.k = dc->k + 1;
    c->total = ekm_binomial(dc->n, dc->k + 1, NULL);
    ekm__best_clear(&c->stages[0].best);
    c->stages[0].done = c->stages[0].pruned = 0;
    memset(c->done, 0, c->n_units);
    {
        char msg[512];
        ekm_checkpoint *back = NULL;
        assert_int_equal(reencode(c, msg, sizeof msg, &back), EKM_OK);
        expect_refused(back, dm, options(EKM_STRATEGY_SEQ, dc->k, 2), "K+1 checkpoint, K run");
        ekm_checkpoint_free(back);
    }
    ekm_checkpoint_free(c);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* A checkpoint's data source is checked against it before anything large is
 * built, and only regular files are read. */
static void test_source_checked_first(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ekm-src-XXXXXX");
    assert_non_null(mkdtemp(dir));
    const data_case *dc = &cases[0]; /* N = N3 */
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_SEQ, dc->k);
    ckpt_source src;
    ekm_dissim *out = (ekm_dissim *)(uintptr_t)1;
    char err[1200];
    /* 30,000 generated points for a checkpoint of N3: refused before generating
     * (the matrix alone would take 3.4 GB) */
    memset(&src, 0, sizeof src);
    src.kind = CKPT_SRC_GEN;
    src.metric = EKM_METRIC_EUCLIDEAN;
    src.gen_n = 30000;
    src.gen_d = 2;
    src.gen_clusters = 3;
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "30000 generated points"));
    /* too many generated coordinates, even for the right N */
    src.gen_n = dc->n;
    src.gen_d = (size_t)1 << 40;
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "too many"));
    /* a CSV too small for N points; one with another number of points */
    char path[128];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("1,2\n3,4\n", f);
    fclose(f);
    assert_int_equal(ckpt_source_file(&src, path, 0, &(ekm_csv_options){0}, dc->metric, err,
                                      sizeof err),
                     0);
    src.csv = ekm_csv_options_default();
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "too few for the checkpoint's"));
    f = fopen(path, "w");
    for (size_t i = 0; i < dc->n + 1; i++)
        fprintf(f, "%zu,%zu\n", i, i % 7);
    fclose(f);
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "now holds"));
    /* the very points: loaded */
    f = fopen(path, "w");
    for (size_t i = 0; i < dc->n; i++)
        fprintf(f, "%.17g,%.17g\n", x[2 * i], x[2 * i + 1]);
    fclose(f);
    src.csv.header = EKM_HEADER_NO;
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), 0);
    assert_int_equal(ekm_dissim_n(out), dc->n);
    assert_true(ekm_dissim_fingerprint(out) == ekm_dissim_fingerprint(dm));
    ekm_dissim_release(out);
    /* a FIFO is not opened */
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/p.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(src.path, sizeof src.path, "%s", fifo);
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file (a FIFO)"));
    ekm_checkpoint *back = NULL;
    ekm_error e;
    assert_int_not_equal(ekm_checkpoint_load(fifo, &back, &e), EKM_OK);
    assert_null(back);
    assert_non_null(strstr(e.message, "not a regular file"));
    unlink(fifo);
    unlink(path);
    rmdir(dir);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* Only the temporary files of dead writers to exactly this checkpoint go. */
static void test_clean_stale(void **state)
{
    (void)state;
    char dir[64], path[160], name[256];
    snprintf(dir, sizeof dir, "/tmp/ekm-stale-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/c.ckpt", dir);
    pid_t dead = fork();
    assert_true(dead >= 0);
    if (dead == 0)
        _exit(0);
    assert_int_equal(waitpid(dead, NULL, 0), dead);
    /* name = path + a, the dead pid, b */
    static const char *const gone[][2] = {{".tmp.", ".AbC123"}, {".tmp.", ".zzzzzz"}};
    static const char *const kept[][2] = {{".tmp.", ".AbC12"},  {".tmp.", ".AbC1234"},
                                          {".tmp.", ".AbC12!"}, {".tmp.x", ".AbC123"},
                                          {".tmp.", ""},        {"x.tmp.", ".AbC123"}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "%s%s%ld%s", path, gone[i][0], (long)dead, gone[i][1]);
        fclose(fopen(name, "w"));
    }
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        snprintf(name, sizeof name, "%s%s%ld%s", path, kept[i][0], (long)dead, kept[i][1]);
        fclose(fopen(name, "w"));
    }
    snprintf(name, sizeof name, "%s.tmp.%ld.AbC123", path, (long)getppid()); /* alive */
    fclose(fopen(name, "w"));
    snprintf(name, sizeof name, "%s.tmp.%ld.Dir123", path, (long)dead); /* not a file */
    assert_int_equal(mkdir(name, 0700), 0);
    assert_int_equal(count_entries(dir), 10);
    assert_int_equal(ekm_checkpoint_clean_stale(path), 2);
    assert_int_equal(count_entries(dir), 8);
    assert_int_equal(ekm_checkpoint_clean_stale(path), 0);
    rmdir(name);
    DIR *d = opendir(dir);
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_after_unit_range),
        cmocka_unit_test(test_pruned_resume_after_unit_range),
        cmocka_unit_test(test_resume_after_cancel),
        cmocka_unit_test(test_complete_checkpoint_resumes_at_once),
        cmocka_unit_test(test_encode_decode_round_trip),
        cmocka_unit_test(test_damaged_bytes_refused),
        cmocka_unit_test(test_save_load_round_trip),
        cmocka_unit_test(test_other_dataset_or_options_refused),
        cmocka_unit_test(test_merge_disjoint_ranges),
        cmocka_unit_test(test_note_round_trip),
        cmocka_unit_test(test_heuristic_has_none),
        cmocka_unit_test(test_crafted_root_refused),
        cmocka_unit_test(test_crafted_best_refused),
        cmocka_unit_test(test_crafted_header_refused),
        cmocka_unit_test(test_source_checked_first),
        cmocka_unit_test(test_clean_stale),
    };
    const char *only = getenv("EKM_TEST_FILTER"); /* e.g. "test_merge*" */
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
