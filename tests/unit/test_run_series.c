/* test_run_series.c — the runtime picture's series (ui/common/run_series.h): one per
 * (dataset, K, strategy, threads), points sorted by N, the newest run of a repeated N
 * kept, unfinished runs left out, and a session of one N recognised as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/run_series.h"

static run_record rec(const char *data, unsigned k, ekm_strategy s, unsigned threads, size_t n,
                      double seconds, ekm_run_state state)
{
    run_record r;
    memset(&r, 0, sizeof r);
    snprintf(r.dataset, sizeof r.dataset, "%s", data);
    r.k = k;
    r.strategy = s;
    r.threads = threads;
    r.n = n;
    r.seconds = seconds;
    r.state = state;
    r.exact = 1;
    return r;
}

static void test_groups(void **state)
{
    (void)state;
    run_record h[] = {
        rec("/d/iris.csv", 3, EKM_STRATEGY_PAR1, 2, 400, 4.0, EKM_RUN_DONE),
        rec("/d/iris.csv", 3, EKM_STRATEGY_PAR1, 2, 100, 1.0, EKM_RUN_DONE),
        rec("/d/iris.csv", 3, EKM_STRATEGY_PAR1, 1, 100, 1.5, EKM_RUN_DONE),  /* other T */
        rec("/d/iris.csv", 4, EKM_STRATEGY_PAR1, 2, 100, 9.0, EKM_RUN_DONE),  /* other K */
        rec("/d/u.csv", 3, EKM_STRATEGY_PAR1, 2, 100, 2.0, EKM_RUN_DONE),     /* other data */
        rec("/d/iris.csv", 3, EKM_STRATEGY_PAR1, 2, 200, 7.0, EKM_RUN_CANCELLED), /* left out */
        rec("/d/iris.csv", 3, EKM_STRATEGY_PAR1, 2, 100, 1.2, EKM_RUN_DONE),  /* newer N=100 */
        rec("/d/iris.csv", 3, EKM_STRATEGY_SEQ, 1, 100, 1.4, EKM_RUN_DONE),
    };
    run_groups *g = malloc(sizeof *g);
    assert_non_null(g);
    run_groups_build(h, sizeof h / sizeof h[0], g);
    assert_int_equal(g->count, 5);
    assert_false(g->one_dataset_k);
    assert_false(g->single_n);
    const run_group *a = &g->group[0];
    assert_int_equal(a->k, 3);
    assert_int_equal(a->threads, 2);
    assert_int_equal(a->strategy, EKM_STRATEGY_PAR1);
    assert_string_equal(a->dataset, "/d/iris.csv");
    assert_int_equal(a->n, 2);
    assert_true(a->x[0] == 100 && a->y[0] == 1.2); /* sorted, the newest of N=100 */
    assert_true(a->x[1] == 400 && a->y[1] == 4.0);
    assert_string_equal(a->name, "iris.csv K=3: par1, 2 threads");
    assert_int_equal(g->group[1].threads, 1);
    assert_int_equal(g->group[2].k, 4);
    assert_string_equal(g->group[3].dataset, "/d/u.csv");
    assert_string_equal(g->group[4].name, "iris.csv K=3: seq, 1 thread");
    /* one dataset and K: the names say only the strategy and threads */
    run_groups_build(h, 3, g);
    assert_true(g->one_dataset_k);
    assert_int_equal(g->count, 2);
    assert_string_equal(g->group[0].name, "par1, 2 threads");
    assert_false(g->single_n);
    /* one N for every run: a bar chart of strategies */
    run_record one[] = {h[1], h[2], h[7]};
    run_groups_build(one, 3, g);
    assert_int_equal(g->count, 3);
    assert_true(g->single_n);
    run_groups_build(h, 0, g);
    assert_int_equal(g->count, 0);
    assert_false(g->single_n);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_groups)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
