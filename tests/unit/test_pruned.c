/* test_pruned.c — the exact branch and bound (`--strategy pruned`).
 *
 * Checked against independent references: the brute-force oracle of
 * tests/support (long double, its own enumeration and tie rule) and the plain
 * enumeration `seq`, on 240 seeded small cases (clustered, uniform, integer
 * grids with duplicated points and exact ties, explicitly duplicated points,
 * precomputed matrices with tied integer entries; euclidean, sqeuclidean,
 * manhattan; K = 1..6; threads 1..4): the same medoids, the same objective, and
 * evaluated + pruned == C(N,K) exactly. Also: larger clustered cases against
 * `seq`, that the bounds really prune (blobs), the progress counters, the
 * Lagrangian bound itself against subsets enumerated here (it must never
 * exceed the objective of a set in its subtree), the any-order best-list
 * insert against lexicographic-order offers, and cancellation (at once and
 * during the search: EKM_ERR_CANCELLED, no result). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "best.h"
#include "brute.h"
#include "combo.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"
#include "kernel.h"
#include "prune_bound.h"

/* ---- the test's own random numbers ---- */

static uint64_t rnd_state;
static uint64_t rnd_next(void)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double rnd_unit(void) { return (double)(rnd_next() >> 11) * 0x1.0p-53; }
static unsigned rnd_below(unsigned b) { return (unsigned)(rnd_next() % b); }
static double rnd_normal(void)
{
    double u = rnd_unit(), v = rnd_unit();
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static uint64_t binomial(unsigned n, unsigned k)
{
    if (k > n)
        return 0;
    uint64_t r = 1;
    for (unsigned i = 1; i <= k; i++)
        r = r * (n - k + i) / i; /* exact: r * (n-k+i) is C(n-k+i, i) * i */
    return r;
}

/* ---- cases ---- */

typedef enum { KIND_CLUSTERED, KIND_UNIFORM, KIND_GRID, KIND_DUPLICATED, KIND_MATRIX } kind;
static const char *const kind_name[] = {"clustered", "uniform", "grid", "duplicated", "matrix"};

typedef struct tcase {
    size_t n, d;
    kind kind;
    ekm_metric metric;
    double *x;         /* n*d (points) */
    double *m;         /* n*n (precomputed matrices) */
    long double *D;    /* n*n for the oracle */
    ekm_dissim *dm;
    char label[128];
} tcase;

static brute_metric oracle_metric(ekm_metric m)
{
    return m == EKM_METRIC_SQEUCLIDEAN ? BRUTE_SQEUCLIDEAN
           : m == EKM_METRIC_MANHATTAN ? BRUTE_MANHATTAN
                                       : BRUTE_EUCLIDEAN;
}

static void case_make(tcase *t, size_t n, kind kd, ekm_metric metric, uint64_t seed)
{
    memset(t, 0, sizeof *t);
    rnd_state = seed;
    t->n = n;
    t->kind = kd;
    t->metric = kd == KIND_MATRIX ? EKM_METRIC_PRECOMPUTED : metric;
    t->d = 1 + rnd_below(3);
    ekm_error err;
    if (kd == KIND_MATRIX) {
        /* symmetric, zero diagonal, small integers: many exact ties */
        t->m = calloc(n * n, sizeof *t->m);
        t->D = malloc(n * n * sizeof *t->D);
        assert_non_null(t->m);
        assert_non_null(t->D);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                t->m[i * n + j] = t->m[j * n + i] = 1 + rnd_below(9);
        for (size_t i = 0; i < n * n; i++)
            t->D[i] = t->m[i];
        snprintf(t->label, sizeof t->label, "matrix n=%zu seed=%llu", n,
                 (unsigned long long)seed);
        assert_int_equal(ekm_dissim_from_matrix(t->label, n, t->m, &t->dm, &err), EKM_OK);
        return;
    }
    t->x = malloc(n * t->d * sizeof *t->x);
    assert_non_null(t->x);
    switch (kd) {
    case KIND_UNIFORM: brute_random_points(t->x, n, t->d, 0, seed); break;
    case KIND_GRID: brute_random_points(t->x, n, t->d, 2 + (int)rnd_below(4), seed); break;
    case KIND_CLUSTERED: {
        unsigned c = 2 + rnd_below(4);
        double centre[6][3];
        for (unsigned a = 0; a < c; a++)
            for (size_t j = 0; j < t->d; j++)
                centre[a][j] = 20.0 * rnd_unit();
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < t->d; j++)
                t->x[i * t->d + j] = centre[rnd_below(c)][j] + rnd_normal();
        break;
    }
    case KIND_DUPLICATED:
        brute_random_points(t->x, n, t->d, 0, seed);
        for (size_t i = n / 2; i < n; i++) /* the second half copies points of the first */
            memcpy(t->x + i * t->d, t->x + rnd_below((unsigned)(n / 2)) * t->d,
                   t->d * sizeof *t->x);
        break;
    default: break;
    }
    t->D = brute_matrix(t->x, n, t->d, oracle_metric(metric));
    assert_non_null(t->D);
    snprintf(t->label, sizeof t->label, "%s %s n=%zu d=%zu seed=%llu", kind_name[kd],
             ekm_metric_name(metric), n, t->d, (unsigned long long)seed);
    ekm_dataset *ds;
    assert_int_equal(ekm_dataset_from_points(t->label, n, t->d, t->x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, metric, &t->dm, &err), EKM_OK);
    ekm_dataset_release(ds);
}

static void case_free(tcase *t)
{
    ekm_dissim_release(t->dm);
    free(t->x);
    free(t->m);
    free(t->D);
}

static ekm_result *solve(ekm_dissim *dm, ekm_strategy s, unsigned k, unsigned threads,
                         uint64_t seed)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.strategy = s;
    o.threads = threads;
    o.seed = seed;
    ekm_result *r = NULL;
    ekm_error err;
    ekm_status st = ekm_solve(dm, &o, &r, &err);
    if (st)
        fail_msg("%s: %s", ekm_strategy_name(s), err.message);
    assert_non_null(r);
    return r;
}

/* pruned against seq (and the oracle when `oracle`): medoids, objective, counts. */
static void check_case(const tcase *t, unsigned k, unsigned threads, uint64_t seed, bool oracle)
{
    ekm_result *p = solve(t->dm, EKM_STRATEGY_PRUNED, k, threads, seed);
    ekm_result *s = solve(t->dm, EKM_STRATEGY_SEQ, k, 1, seed);
    for (unsigned j = 0; j < k; j++)
        if (p->medoids[j] != s->medoids[j])
            fail_msg("%s K=%u threads=%u: pruned medoid %u is %u, seq says %u", t->label, k,
                     threads, j, p->medoids[j], s->medoids[j]);
    if (p->objective != s->objective)
        fail_msg("%s K=%u: objective %.17g, seq %.17g", t->label, k, p->objective, s->objective);
    if (oracle) {
        uint32_t med[64];
        double obj;
        uint64_t visited;
        assert_int_equal(brute_solve(t->D, t->n, k, med, &obj, &visited), 0);
        for (unsigned j = 0; j < k; j++)
            if (p->medoids[j] != med[j])
                fail_msg("%s K=%u threads=%u: pruned medoid %u is %u, the oracle says %u",
                         t->label, k, threads, j, p->medoids[j], med[j]);
        if (fabs(p->objective - obj) > 1e-9 * fmax(1.0, fabs(obj)))
            fail_msg("%s K=%u: objective %.17g, oracle %.17g", t->label, k, p->objective, obj);
        assert_int_equal(visited, binomial((unsigned)t->n, k));
    }
    uint64_t total = binomial((unsigned)t->n, k);
    assert_int_equal(p->total, total);
    if (p->evaluated + p->pruned != total)
        fail_msg("%s K=%u: evaluated %llu + pruned %llu != C(N,K) %llu", t->label, k,
                 (unsigned long long)p->evaluated, (unsigned long long)p->pruned,
                 (unsigned long long)total);
    assert_true(p->exact);
    assert_int_equal(p->n_stages, 1);
    assert_int_equal(p->stages[0].done, total);
    assert_int_equal(p->stages[0].state, EKM_RUN_DONE);
    assert_true(p->incumbent_seconds > 0 && p->incumbent_seconds <= p->seconds);
    ekm_result_free(p);
    ekm_result_free(s);
}

/* The largest N whose brute force stays cheap (N·C(N,K) about 1e6 at most). */
static size_t small_n(unsigned k, unsigned pick)
{
    static const size_t limit[7] = {0, 60, 60, 36, 24, 18, 15};
    size_t lo = k + 2 < 7 ? 7 : k + 2, hi = limit[k];
    return lo + pick % (hi - lo + 1);
}

static void test_matches_oracle_and_seq(void **state)
{
    (void)state;
    static const ekm_metric metric[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                         EKM_METRIC_MANHATTAN};
    int cases = 0;
    for (unsigned c = 0; c < 240; c++) {
        kind kd = (kind)(c % 5);
        unsigned k = 1 + (c / 5) % 6;
        unsigned threads = 1 + (c / 3) % 4;
        uint64_t seed = 1000 + c;
        rnd_state = seed * 7919;
        size_t n = small_n(k, rnd_below(1000));
        tcase t;
        case_make(&t, n, kd, metric[(c / 30) % 3], seed);
        check_case(&t, k, threads, seed, true);
        case_free(&t);
        cases++;
    }
    assert_int_equal(cases, 240);
}

/* Bigger cases, where the search has several root children, refines nodes and
 * runs several threads on a shared incumbent: against seq only. */
static void test_larger_against_seq(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        kind kind;
        ekm_metric metric;
        unsigned k, threads;
    } cases[] = {
        {120, KIND_CLUSTERED, EKM_METRIC_SQEUCLIDEAN, 3, 2},
        {60, KIND_UNIFORM, EKM_METRIC_EUCLIDEAN, 4, 3},
        {100, KIND_GRID, EKM_METRIC_MANHATTAN, 3, 4},
        {56, KIND_DUPLICATED, EKM_METRIC_SQEUCLIDEAN, 4, 2},
        {60, KIND_MATRIX, EKM_METRIC_PRECOMPUTED, 3, 2},
        {36, KIND_UNIFORM, EKM_METRIC_MANHATTAN, 5, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tcase t;
        case_make(&t, cases[i].n, cases[i].kind, cases[i].metric, 77 + i);
        check_case(&t, cases[i].k, cases[i].threads, 5, false);
        case_free(&t);
    }
}

/* On well separated blobs the bounds discard nearly everything. */
static void test_bounds_prune(void **state)
{
    (void)state;
    tcase t;
    case_make(&t, 400, KIND_CLUSTERED, EKM_METRIC_SQEUCLIDEAN, 4242);
    ekm_result *r = solve(t.dm, EKM_STRATEGY_PRUNED, 3, 2, 1);
    uint64_t total = binomial(400, 3);
    assert_int_equal(r->evaluated + r->pruned, total);
    if (!(r->evaluated * 20 < total))
        fail_msg("evaluated %llu of %llu K-subsets: the bounds prune less than 20x",
                 (unsigned long long)r->evaluated, (unsigned long long)total);
    /* the per-thread counters add up to the stage's */
    ekm_result_free(r);
    case_free(&t);
}

/* Progress while and after running: thread counters sum to the stage's, the
 * stage ends done, pruned never exceeds done. */
static void test_progress_counters(void **state)
{
    (void)state;
    tcase t;
    case_make(&t, 300, KIND_UNIFORM, EKM_METRIC_EUCLIDEAN, 99);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 4;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = 3;
    ekm_job *job;
    ekm_error err;
    assert_int_equal(ekm_job_start(t.dm, &o, &job, &err), EKM_OK);
    ekm_progress prog, *p = &prog;
    ekm_stage_progress stage;
    ekm_thread_progress th[3];
    uint32_t best[4];
    while (!ekm_job_wait_for(job, 0.002)) {
        assert_int_equal(ekm_job_snapshot(job, p, &stage, 1, th, 3, best, 4), 1);
        assert_true(stage.done <= p->total);
        assert_int_equal(stage.done, p->done);
    }
    assert_int_equal(ekm_job_status(job, &err), EKM_OK);
    assert_int_equal(ekm_job_snapshot(job, p, &stage, 1, th, 3, best, 4), 1);
    const ekm_result *r = ekm_job_result(job);
    assert_non_null(r);
    uint64_t total = binomial(300, 4), sum = 0;
    assert_int_equal(p->done, total);
    assert_int_equal(p->pruned, r->pruned);
    assert_int_equal(p->evaluated, r->evaluated);
    assert_int_equal(p->n_threads, 3);
    for (int i = 0; i < p->n_threads; i++)
        sum += th[i].done;
    assert_int_equal(sum, total);
    assert_int_equal(p->state, EKM_RUN_DONE);
    assert_true(p->has_best);
    assert_memory_equal(best, r->medoids, 4 * sizeof *r->medoids);
    ekm_job_free(job);
    case_free(&t);
}

/* ---- the Lagrangian bound against enumeration ---- */

/* f~(S): the objective on the float matrix, in long double. */
static long double float_objective(const ekm_dissim *dm, const uint32_t *set, unsigned k)
{
    size_t n = ekm_dissim_n(dm);
    long double s = 0;
    for (size_t i = 0; i < n; i++) {
        float b = INFINITY;
        for (unsigned t = 0; t < k; t++)
            if (ekm_dissim_row(dm, set[t])[i] < b)
                b = ekm_dissim_row(dm, set[t])[i];
        s += b;
    }
    return s;
}

/* ρ_j(λ) on the float matrix, in long double. */
static long double rho_exact(const ekm_dissim *dm, const float *lam, uint32_t j)
{
    size_t n = ekm_dissim_n(dm);
    long double s = 0;
    for (size_t i = 0; i < n; i++) {
        long double t = (long double)ekm_dissim_row(dm, j)[i] - lam[i];
        s += t < 0 ? t : 0;
    }
    return s;
}

/* The smallest f~ over the subtree: fixed ∪ T, T an r-subset of cand. */
static long double subtree_min(const ekm_dissim *dm, const uint32_t *fixed, unsigned nf,
                               const uint32_t *cand, unsigned nc, unsigned r)
{
    uint32_t pick[8], set[16];
    long double best = INFINITY;
    for (unsigned i = 0; i < r; i++)
        pick[i] = i;
    for (;;) {
        memcpy(set, fixed, nf * sizeof *set);
        for (unsigned i = 0; i < r; i++)
            set[nf + i] = cand[pick[i]];
        long double v = float_objective(dm, set, nf + r);
        if (v < best)
            best = v;
        int i = (int)r - 1;
        while (i >= 0 && pick[i] == nc - r + (unsigned)i)
            i--;
        if (i < 0)
            break;
        pick[i]++;
        for (unsigned j = (unsigned)i + 1; j < r; j++)
            pick[j] = pick[j - 1] + 1;
    }
    return best;
}

static void test_bound_is_a_lower_bound(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 60; c++) {
        tcase t;
        size_t n = 14 + c % 7;
        case_make(&t, n, (kind)(c % 5), (ekm_metric)(c % 3), 500 + c);
        ekm__pdata pd = {ekm__kernel_select(), ekm__rho4_select(), ekm__minsum_select(),
                         ekm_dissim_row(t.dm, 0), ekm_dissim_stride(t.dm), (uint32_t)n, 0,
                         ekm_dissim_float_scale(t.dm), ekm_dissim_float_abs_err(t.dm), t.dm};
        rnd_state = 31 * c + 7;
        unsigned nf = rnd_below(3), r = 1 + rnd_below(3);
        pd.k = nf + r;
        /* a random split of the points: fixed, candidates, the rest excluded */
        uint32_t perm[32], fixed[4], cand[32];
        for (uint32_t i = 0; i < n; i++)
            perm[i] = i;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t j = i + rnd_below((unsigned)(n - i)), tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        memcpy(fixed, perm, nf * sizeof *fixed);
        unsigned nc = (unsigned)(n - nf) - rnd_below(3);
        memcpy(cand, perm + nf, nc * sizeof *cand);
        /* random start multipliers around the typical dissimilarity */
        float *lam = aligned_alloc(64, pd.stride * sizeof *lam), *out_lam =
            aligned_alloc(64, pd.stride * sizeof *out_lam);
        assert_non_null(lam);
        assert_non_null(out_lam);
        double scale = 0;
        for (uint32_t i = 0; i < n; i++)
            scale += ekm_dissim_row(t.dm, 0)[i] / n;
        for (size_t i = 0; i < pd.stride; i++)
            lam[i] = i < n ? (float)(2 * scale * rnd_unit()) : 0.0f;
        ekm__bound_work w;
        assert_int_equal(ekm__bound_work_init(&w, (uint32_t)n, pd.stride, pd.k, 0), 0);
        /* once without lower bounds, then again from the output (lazy path) */
        uint32_t out_cand[32], out2_cand[32];
        double out_low[32], out2_low[32];
        ekm__subgrad sched = {.max_steps = 3 + c % 9, .patience = 2, .theta = 1.0,
                              .theta_min = 1e-3, .prefix = 2};
        long double best = subtree_min(t.dm, fixed, nf, cand, nc, r);
        double target = (double)best * (0.9 + 0.2 * rnd_unit());
        ekm__bound_in in = {fixed, nf, cand, NULL, nc, r, lam, 0, 0, NULL};
        ekm__bound_out out = {.cand = out_cand, .lower = out_low, .lam = out_lam};
        ekm__bound_env env = {0};
        assert_int_equal(ekm__bound_optimise(&pd, &w, &sched, &in, target, &out, &env), 0);
        float *lam2 = aligned_alloc(64, pd.stride * sizeof *lam2);
        assert_non_null(lam2);
        ekm__bound_in in2 = {fixed, nf, out_cand, out_low, nc, r, out_lam, out.rmax, out.sum_max,
                             NULL};
        ekm__bound_out out2 = {.cand = out2_cand, .lower = out2_low, .lam = lam2};
        assert_int_equal(ekm__bound_optimise(&pd, &w, &sched, &in2, target, &out2, &env), 0);
        const ekm__bound_out *o[2] = {&out, &out2};
        const float *ol[2] = {out_lam, lam2};
        for (int v = 0; v < 2; v++) {
            if ((long double)o[v]->bound - o[v]->margin > best)
                fail_msg("%s: bound %.17g (margin %g) exceeds the subtree's minimum %.17Lg",
                         t.label, o[v]->bound, o[v]->margin, best);
            /* every output value is a lower bound of its candidate's ρ, ascending;
             * the candidates are a permutation of the input */
            uint32_t seen[32] = {0};
            for (unsigned j = 0; j < nc; j++) {
                const uint32_t *oc = v ? out2_cand : out_cand;
                const double *lo = v ? out2_low : out_low;
                if (j)
                    assert_true(lo[j - 1] <= lo[j]);
                long double exact = rho_exact(t.dm, ol[v], oc[j]);
                if ((long double)lo[j] > exact + o[v]->margin / pd.k)
                    fail_msg("%s: lower bound %.17g of point %u exceeds rho %.17Lg", t.label,
                             lo[j], oc[j], exact);
                seen[oc[j]]++;
            }
            for (unsigned j = 0; j < nc; j++)
                assert_int_equal(seen[cand[j]], 1);
        }
        ekm__bound_work_free(&w);
        free(lam);
        free(out_lam);
        free(lam2);
        case_free(&t);
    }
}

/* ---- the any-order insert of the best-list ---- */

static void test_best_offer_any(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 300; c++) {
        rnd_state = 9000 + c;
        unsigned k = 1 + rnd_below(3), count = 1 + rnd_below(40);
        if (count > binomial(12, k))
            count = (unsigned)binomial(12, k); /* distinct k-subsets of {0..11} */
        uint32_t sets[40][3];
        double value[40];
        unsigned order[40];
        for (unsigned i = 0; i < count; i++) {
            /* distinct ascending sets from a small universe, values with ties
             * and near-ties inside and outside the tie window */
            bool fresh;
            do {
                uint32_t pool[12];
                for (uint32_t j = 0; j < 12; j++)
                    pool[j] = j;
                for (unsigned j = 0; j < k; j++) { /* a random k-subset, ascending */
                    uint32_t at = j + rnd_below(12 - j), tmp = pool[j];
                    pool[j] = pool[at];
                    pool[at] = tmp;
                }
                for (unsigned j = 0; j < k; j++)
                    sets[i][j] = pool[j];
                for (unsigned j = 1; j < k; j++)
                    for (unsigned q = j; q > 0 && sets[i][q - 1] > sets[i][q]; q--) {
                        uint32_t tmp = sets[i][q];
                        sets[i][q] = sets[i][q - 1];
                        sets[i][q - 1] = tmp;
                    }
                fresh = true;
                for (unsigned p = 0; p < i; p++)
                    if (!memcmp(sets[p], sets[i], k * sizeof sets[i][0]))
                        fresh = false;
            } while (!fresh);
            static const double nudge[4] = {0, 3e-11, 5e-11, 4e-10};
            value[i] = (double)(100 + rnd_below(4)) * (1 + nudge[rnd_below(4)]);
            order[i] = i;
        }
        /* reference: offers in lexicographic order */
        for (unsigned i = 1; i < count; i++)
            for (unsigned j = i; j > 0 && ekm__combo_less(sets[order[j]], sets[order[j - 1]], k);
                 j--) {
                unsigned tmp = order[j];
                order[j] = order[j - 1];
                order[j - 1] = tmp;
            }
        ekm__best ref, any;
        ekm__best_init(&ref, k);
        ekm__best_init(&any, k);
        for (unsigned i = 0; i < count; i++)
            assert_true(ekm__best_offer_next(&ref, value[order[i]], sets[order[i]]) >= 0);
        /* any order */
        for (unsigned i = 0; i < count; i++) {
            unsigned j = i + rnd_below(count - i), tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        for (unsigned i = 0; i < count; i++)
            assert_true(ekm__best_offer_any(&any, value[order[i]], sets[order[i]]) >= 0);
        double vr, va;
        const uint32_t *ar = ekm__best_answer(&ref, &vr), *aa = ekm__best_answer(&any, &va);
        assert_non_null(ar);
        assert_non_null(aa);
        assert_memory_equal(ar, aa, k * sizeof *ar);
        assert_true(vr == va);
        assert_true(ekm__best_min(&ref) == ekm__best_min(&any));
        /* the front: lexicographically increasing, objectives strictly decreasing */
        for (size_t i = 1; i < any.len; i++) {
            assert_true(ekm__combo_less(any.sets + (i - 1) * k, any.sets + i * k, k));
            assert_true(any.value[i - 1] > any.value[i]);
        }
        ekm__best_free(&ref);
        ekm__best_free(&any);
    }
}

/* ---- cancellation ---- */

static ekm_dissim *hard_case(size_t n, unsigned d)
{
    double *x = malloc(n * d * sizeof *x);
    assert_non_null(x);
    brute_random_points(x, n, d, 0, 12345);
    ekm_dataset *ds;
    ekm_dissim *dm;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("uniform", n, d, x, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &err), EKM_OK);
    ekm_dataset_release(ds);
    free(x);
    return dm;
}

static void expect_cancelled(ekm_job *job)
{
    ekm_error err;
    assert_int_equal(ekm_job_wait(job), EKM_ERR_CANCELLED);
    assert_int_equal(ekm_job_status(job, &err), EKM_ERR_CANCELLED);
    assert_null(ekm_job_result(job));
    assert_null(ekm_job_take_result(job));
    ekm_progress p;
    ekm_stage_progress stage;
    ekm_job_snapshot(job, &p, &stage, 1, NULL, 0, NULL, 0);
    assert_int_equal(p.state, EKM_RUN_CANCELLED);
    assert_int_equal(stage.state, EKM_RUN_CANCELLED);
    assert_true(p.done < p.total);
}

static void test_cancel_at_once(void **state)
{
    (void)state;
    ekm_dissim *dm = hard_case(2000, 5);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 6;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = 2;
    ekm_job *job;
    ekm_error err;
    assert_int_equal(ekm_job_start(dm, &o, &job, &err), EKM_OK);
    ekm_job_cancel(job);
    expect_cancelled(job);
    ekm_job_free(job);
    ekm_dissim_release(dm);
}

/* Cancel once the search has closed some K-subsets (a case whose search runs
 * for seconds: uniform points in 5-D, K=6). */
static void test_cancel_during_search(void **state)
{
    (void)state;
    ekm_dissim *dm = hard_case(800, 5);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 6;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = 2;
    ekm_job *job;
    ekm_error err;
    assert_int_equal(ekm_job_start(dm, &o, &job, &err), EKM_OK);
    ekm_progress p;
    do {
        assert_false(ekm_job_wait_for(job, 0.005));
        ekm_job_progress(job, &p);
    } while (p.done == 0);
    ekm_job_cancel(job);
    expect_cancelled(job);
    ekm_job_free(job);
    ekm_dissim_release(dm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_oracle_and_seq),
        cmocka_unit_test(test_larger_against_seq),
        cmocka_unit_test(test_bounds_prune),
        cmocka_unit_test(test_progress_counters),
        cmocka_unit_test(test_bound_is_a_lower_bound),
        cmocka_unit_test(test_best_offer_any),
        cmocka_unit_test(test_cancel_at_once),
        cmocka_unit_test(test_cancel_during_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
