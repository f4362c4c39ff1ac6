/* test_solver.c — every exact strategy against the independent brute force
 * (tests/support/brute.c) on seeded random cases: identical medoids (the tie
 * rule included) and objective within 1e-9 relative; and the plans' counts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "brute.h"
#include "ekm/job.h"

static const ekm_metric metrics[3] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                      EKM_METRIC_MANHATTAN};
static const brute_metric bmetrics[3] = {BRUTE_EUCLIDEAN, BRUTE_SQEUCLIDEAN, BRUTE_MANHATTAN};

typedef struct test_case {
    size_t n, d;
    unsigned k;
    int metric;
    int grid; /* 0: uniform reals; >0: integer grid (ties and duplicates) */
    uint64_t seed;
} test_case;

static ekm_dissim *make_dissim(const test_case *tc, double *x)
{
    brute_random_points(x, tc->n, tc->d, tc->grid, tc->seed);
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_dataset_from_points("case", tc->n, tc->d, x, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, metrics[tc->metric], &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static test_case random_case(uint64_t i)
{
    test_case tc;
    tc.n = 4 + (size_t)(i * 7919 % 27);    /* 4..30 */
    tc.d = 1 + (size_t)(i % 3);
    tc.k = 1 + (unsigned)(i % 5);           /* 1..5 */
    if (tc.k > tc.n)
        tc.k = (unsigned)tc.n;
    tc.metric = (int)(i / 5 % 3);
    tc.grid = i % 2 ? 0 : 2 + (int)(i % 4); /* half the cases on a tiny grid: many ties */
    tc.seed = 1000 + i;
    return tc;
}

/* One case, every strategy and thread count listed, against brute force. */
static void check_case(const test_case *tc, const ekm_strategy *strategies, int ns,
                       unsigned max_threads)
{
    double *x = malloc(tc->n * tc->d * sizeof *x);
    ekm_dissim *dm = make_dissim(tc, x);
    long double *D = brute_matrix(x, tc->n, tc->d, bmetrics[tc->metric]);
    uint32_t want[8];
    double want_obj;
    uint64_t visited;
    assert_int_equal(brute_solve(D, tc->n, tc->k, want, &want_obj, &visited), 0);
    for (int s = 0; s < ns; s++)
        for (unsigned t = 1; t <= max_threads; t++) {
            ekm_solve_options opt = ekm_solve_options_default();
            opt.k = tc->k;
            opt.strategy = strategies[s];
            opt.threads = t;
            if (strategies[s] == EKM_STRATEGY_TREE)
                opt.partitions = 1 + (unsigned)((tc->seed + t) % (tc->n < 6 ? tc->n : 6));
            ekm_result *r;
            ekm_error err;
            ekm_status st = ekm_solve(dm, &opt, &r, &err);
            if (st)
                fail_msg("%s: %s", ekm_strategy_name(strategies[s]), err.message);
            if (memcmp(r->medoids, want, tc->k * sizeof *want) != 0 ||
                fabs(r->objective - want_obj) > 1e-9 * fabs(want_obj)) {
                char got[128] = "", exp[128] = "";
                for (unsigned i = 0; i < tc->k; i++) {
                    snprintf(got + strlen(got), sizeof got - strlen(got), " %u", r->medoids[i]);
                    snprintf(exp + strlen(exp), sizeof exp - strlen(exp), " %u", want[i]);
                }
                fail_msg("n=%zu d=%zu k=%u metric=%d grid=%d seed=%llu %s T=%u: got {%s} %.17g, "
                         "brute force {%s} %.17g",
                         tc->n, tc->d, tc->k, tc->metric, tc->grid,
                         (unsigned long long)tc->seed, ekm_strategy_name(strategies[s]), t, got,
                         r->objective, exp, want_obj);
            }
            assert_true(r->exact);
            assert_int_equal(r->total, visited);
            if (strategies[s] != EKM_STRATEGY_PRUNED)
                assert_int_equal(r->evaluated, visited);
            assert_int_equal(r->evaluated + r->pruned, visited);
            uint64_t stage_sum = 0;
            for (int i = 0; i < r->n_stages; i++) {
                stage_sum += r->stages[i].spec.total;
                assert_int_equal(r->stages[i].done, r->stages[i].spec.total);
                assert_int_equal(r->stages[i].state, EKM_RUN_DONE);
            }
            assert_int_equal(stage_sum, visited);
            /* clusters: sizes add to n, each point's cluster is a nearest medoid */
            uint32_t total = 0;
            for (unsigned c = 0; c < tc->k; c++)
                total += r->cluster_size[c];
            assert_int_equal(total, tc->n);
            for (size_t p = 0; p < tc->n; p++) {
                long double mine = D[p * tc->n + r->medoids[r->cluster[p]]];
                for (unsigned c = 0; c < tc->k; c++)
                    assert_true(mine <= D[p * tc->n + r->medoids[c]] + 1e-12L);
            }
            ekm_result_free(r);
        }
    free(D);
    free(x);
    ekm_dissim_release(dm);
}

static void test_seq_against_brute_force(void **state)
{
    (void)state;
    const ekm_strategy seq[] = {EKM_STRATEGY_SEQ};
    for (uint64_t i = 0; i < 240; i++) {
        test_case tc = random_case(i);
        check_case(&tc, seq, 1, 1);
    }
}

static void test_every_strategy_and_thread_count(void **state)
{
    (void)state;
    const ekm_strategy all[] = {EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1, EKM_STRATEGY_PAR2,
                                EKM_STRATEGY_TREE, EKM_STRATEGY_FUSED};
    for (uint64_t i = 0; i < 110; i++) {
        test_case tc = random_case(i * 3 + 1);
        check_case(&tc, all, 5, 4);
    }
}

static void test_k_equals_n_and_duplicates(void **state)
{
    (void)state;
    const ekm_strategy all[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_PAR2, EKM_STRATEGY_FUSED,
                                EKM_STRATEGY_TREE};
    test_case all_same = {.n = 12, .d = 2, .k = 3, .metric = 0, .grid = 1, .seed = 5};
    check_case(&all_same, all, 4, 2); /* every point equal: objective 0, medoids {0,1,2} */
    test_case full = {.n = 6, .d = 2, .k = 6, .metric = 1, .grid = 0, .seed = 6};
    check_case(&full, all, 4, 2);
    test_case one = {.n = 9, .d = 1, .k = 1, .metric = 2, .grid = 3, .seed = 7};
    check_case(&one, all, 4, 3);
}

static void test_larger_float_noise_case(void **state)
{
    (void)state;
    /* N beyond a kernel block (128/256 points) with near-ties */
    const ekm_strategy all[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_FUSED};
    test_case tc = {.n = 300, .d = 2, .k = 2, .metric = 0, .grid = 4, .seed = 77};
    check_case(&tc, all, 2, 2);
    test_case tc2 = {.n = 140, .d = 3, .k = 3, .metric = 2, .grid = 0, .seed = 78};
    check_case(&tc2, all, 2, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k_equals_n_and_duplicates),
        cmocka_unit_test(test_seq_against_brute_force),
        cmocka_unit_test(test_every_strategy_and_thread_count),
        cmocka_unit_test(test_larger_float_noise_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
