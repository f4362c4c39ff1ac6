/* test_bench_cells.c — the benchmark's lists and cells: list syntax, ranges and
 * errors, strategies, medians and cells (against a naive grouping), a tiny grid. */
#include "test_bench.h"

/* ---- lists ---- */

static void list_ellipsis(void **state)
{
    (void)state;
    unsigned long long v[BENCH_MAX_LIST];
    char err[256];
    int n = bench_parse_list("--n", "50,100,...,800", 1, 1000000, v, BENCH_MAX_LIST, err,
                             sizeof err);
    assert_int_equal(n, 16);
    for (int i = 0; i < 16; i++)
        assert_int_equal(v[i], 50 * (i + 1));
    /* the Unicode ellipsis, a last value off the step, and spaces */
    n = bench_parse_list("--n", "10, 20, \xe2\x80\xa6, 45", 1, 1000, v, BENCH_MAX_LIST, err,
                         sizeof err);
    assert_int_equal(n, 5);
    assert_int_equal(v[3], 40);
    assert_int_equal(v[4], 45);
    n = bench_parse_list("--n", "50,100,...,120", 1, 1000, v, BENCH_MAX_LIST, err, sizeof err);
    assert_int_equal(n, 3);
    assert_int_equal(v[2], 120);
}

static void list_ranges_sorting_errors(void **state)
{
    (void)state;
    unsigned long long v[BENCH_MAX_LIST];
    char err[256];
    int n = bench_parse_list("--n", "50:200:50", 1, 1000, v, BENCH_MAX_LIST, err, sizeof err);
    assert_int_equal(n, 4);
    assert_int_equal(v[0], 50);
    assert_int_equal(v[3], 200);
    n = bench_parse_list("--threads", "4,1,2,2", 1, 256, v, BENCH_MAX_LIST, err, sizeof err);
    assert_int_equal(n, 3);
    assert_int_equal(v[0], 1);
    assert_int_equal(v[1], 2);
    assert_int_equal(v[2], 4);
    n = bench_parse_list("--threads", "1:3", 1, 256, v, BENCH_MAX_LIST, err, sizeof err);
    assert_int_equal(n, 3);
    const char *bad[] = {"", "a", "0", "...,5", "1,2,...", "5,3,...,9", "1,,2x", "3:1", "1:5:0",
                         "300"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        n = bench_parse_list("--threads", bad[i], 1, 256, v, BENCH_MAX_LIST, err, sizeof err);
        if (n != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(strlen(err) > 0);
    }
    n = bench_parse_list("--n", "1:1000000", 1, 1000000, v, BENCH_MAX_LIST, err, sizeof err);
    assert_int_equal(n, -1); /* more values than the list holds */
}

static void strategies(void **state)
{
    (void)state;
    ekm_strategy s[BENCH_MAX_STRATEGIES];
    char err[256];
    assert_int_equal(bench_parse_strategies("fused,seq,par1", s, BENCH_MAX_STRATEGIES, err,
                                            sizeof err),
                     3);
    assert_int_equal(s[0], EKM_STRATEGY_FUSED);
    assert_int_equal(s[1], EKM_STRATEGY_SEQ);
    assert_int_equal(s[2], EKM_STRATEGY_PAR1);
    assert_int_equal(bench_parse_strategies("all", s, BENCH_MAX_STRATEGIES, err, sizeof err), 7);
    assert_int_equal(s[6], EKM_STRATEGY_PRUNED);
    assert_int_equal(bench_parse_strategies("pam", s, BENCH_MAX_STRATEGIES, err, sizeof err), -1);
    assert_non_null(strstr(err, "heuristic"));
    assert_int_equal(bench_parse_strategies("seq,seq", s, BENCH_MAX_STRATEGIES, err, sizeof err),
                     -1);
    assert_int_equal(bench_parse_strategies("sequ", s, BENCH_MAX_STRATEGIES, err, sizeof err),
                     -1);
}

static void medians_and_cells(void **state)
{
    (void)state;
    double odd[5] = {5, 1, 4, 2, 3}, even[4] = {4, 1, 3, 2};
    assert_true(bench_median(odd, 5) == 3.0);
    assert_true(bench_median(even, 4) == 2.5);
    /* the ETA's unit: C(20,2)·20 point-evaluations plus the fixed 2e6 of a run */
    assert_true(bench_run_cost(20, 2, EKM_STRATEGY_SEQ, 1) == 190.0 * 20 + 2e6);
    assert_true(bench_run_cost(20, 2, EKM_STRATEGY_SPLIT, 4) == 190.0 * 20 + 2e6);
    bench_config cfg;
    bench_config_default(&cfg);
    cfg.strategies[0] = EKM_STRATEGY_PAR1;
    cfg.strategies[1] = EKM_STRATEGY_SEQ;
    cfg.n_strategies = 2;
    bench_results res = {0};
    const double secs[] = {1.0, 3.0, 2.0};
    for (int i = 0; i < 3; i++) {
        bench_row r = {.strategy = EKM_STRATEGY_SEQ, .n = 10, .k = 2, .threads = 1,
                       .repeat = (unsigned)i + 1, .seconds = secs[i], .evaluated = 45,
                       .total = 45};
        assert_int_equal(bench_results_add(&res, &r), 0);
        r.strategy = EKM_STRATEGY_PAR1;
        r.threads = 2;
        r.seconds = secs[i] / 2;
        assert_int_equal(bench_results_add(&res, &r), 0);
        r.threads = 1;
        r.seconds = secs[i] * 0.8;
        assert_int_equal(bench_results_add(&res, &r), 0);
    }
    bench_cell *cells;
    int n = bench_cells(&res, &cfg, &cells);
    assert_int_equal(n, 3);
    /* the config's order: par1 before seq; threads ascending */
    assert_int_equal(cells[0].strategy, EKM_STRATEGY_PAR1);
    assert_int_equal(cells[0].threads, 1);
    assert_int_equal(cells[1].threads, 2);
    assert_int_equal(cells[2].strategy, EKM_STRATEGY_SEQ);
    assert_true(cells[2].median == 2.0 && cells[2].min == 1.0 && cells[2].max == 3.0);
    assert_int_equal(cells[2].count, 3);
    double th[4], sp[4];
    int m = bench_thread_speedups(cells, n, EKM_STRATEGY_PAR1, 10, th, sp, 4);
    assert_int_equal(m, 2);
    assert_true(th[1] == 2.0);
    assert_true(fabs(sp[1] - 1.6) < 1e-12); /* 1.6 s / 1.0 s */
    assert_int_equal(bench_thread_speedups(cells, n, EKM_STRATEGY_SEQ, 10, th, sp, 4), 1);
    free(cells);
    bench_results_free(&res);
}

/* The grouping as first written (for every row, scan every later row): the
 * reference bench_cells must match, cell for cell. */
static int naive_rank(const bench_config *cfg, ekm_strategy s)
{
    for (int i = 0; i < cfg->n_strategies; i++)
        if (cfg->strategies[i] == s)
            return i;
    return cfg->n_strategies + (int)s;
}

static int naive_before(const bench_config *cfg, const bench_cell *x, const bench_cell *y)
{
    int rx = naive_rank(cfg, x->strategy), ry = naive_rank(cfg, y->strategy);
    if (rx != ry)
        return rx < ry;
    if (x->threads != y->threads)
        return x->threads < y->threads;
    return x->n < y->n;
}

static int naive_cells(const bench_results *res, const bench_config *cfg, bench_cell *cells)
{
    int nc = 0;
    double *t = malloc(res->n * sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < res->n; i++) {
        const bench_row *r = &res->rows[i];
        if (bench_cell_find(cells, nc, r->strategy, r->n, r->threads))
            continue;
        bench_cell *c = &cells[nc++];
        memset(c, 0, sizeof *c);
        c->strategy = r->strategy, c->n = r->n, c->k = r->k, c->threads = r->threads;
#define SAME(q) ((q)->strategy == r->strategy && (q)->n == r->n && (q)->threads == r->threads)
        size_t m = 0;
        for (size_t j = i; j < res->n; j++)
            if (SAME(&res->rows[j]))
                t[m++] = res->rows[j].seconds;
        c->count = (int)m;
        c->median = bench_median(t, m);
        c->min = t[0];
        c->max = t[m - 1];
        m = 0;
        for (size_t j = i; j < res->n; j++)
            if (SAME(&res->rows[j]))
                t[m++] = res->rows[j].cpu_seconds;
        c->cpu_median = bench_median(t, m);
        const bench_row *best = r;
        double bd = -1;
        for (size_t j = i; j < res->n; j++) {
            if (!SAME(&res->rows[j]))
                continue;
            double d = fabs(res->rows[j].seconds - c->median);
            if (bd < 0 || d < bd)
                bd = d, best = &res->rows[j];
        }
#undef SAME
        c->evaluated = best->evaluated;
        c->objective = best->objective;
    }
    for (int i = 1; i < nc; i++) /* stable insertion sort */
        for (int j = i; j > 0 && naive_before(cfg, &cells[j], &cells[j - 1]); j--) {
            bench_cell x = cells[j];
            cells[j] = cells[j - 1];
            cells[j - 1] = x;
        }
    free(t);
    return nc;
}

/* Rows in a random order, with repeats, equal times (ties for the median run),
 * a strategy outside the config: the same cells as the naive grouping. Then 50,000
 * rows of as many cells, which the naive grouping takes quadratic time over: they
 * come out complete and in order (a hang guard, no timing assertion). */
static void cells_match_a_naive_grouping(void **state)
{
    (void)state;
    bench_config cfg;
    bench_config_default(&cfg);
    cfg.strategies[0] = EKM_STRATEGY_FUSED;
    cfg.strategies[1] = EKM_STRATEGY_SEQ;
    cfg.strategies[2] = EKM_STRATEGY_TREE;
    cfg.n_strategies = 3;
    const ekm_strategy pick[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_FUSED, EKM_STRATEGY_TREE,
                                 EKM_STRATEGY_PRUNED};
    bench_results res = {0};
    uint32_t s = 2024;
    for (int i = 0; i < 5000; i++) {
        s = s * 1664525u + 1013904223u;
        bench_row r = {.strategy = pick[(s >> 4) % 4], .n = 10 + (s >> 8) % 40, .k = 2,
                       .threads = 1 + (s >> 16) % 3, .repeat = 1,
                       .seconds = (double)((s >> 20) % 7), .cpu_seconds = (double)((s >> 24) % 5),
                       .evaluated = (uint64_t)i, .objective = i * 0.5};
        assert_int_equal(bench_results_add(&res, &r), 0);
    }
    bench_cell *cells, *want = calloc(res.n, sizeof *want);
    assert_non_null(want);
    int n = bench_cells(&res, &cfg, &cells), m = naive_cells(&res, &cfg, want);
    assert_int_equal(n, m);
    assert_true(n > 400); /* 4 strategies x 40 N x 3 thread counts, nearly all present */
    for (int i = 0; i < n; i++) {
        assert_int_equal(cells[i].strategy, want[i].strategy);
        assert_int_equal(cells[i].n, want[i].n);
        assert_int_equal(cells[i].threads, want[i].threads);
        assert_int_equal(cells[i].count, want[i].count);
        assert_true(cells[i].median == want[i].median && cells[i].min == want[i].min &&
                    cells[i].max == want[i].max && cells[i].cpu_median == want[i].cpu_median);
        assert_int_equal(cells[i].evaluated, want[i].evaluated); /* the same median run */
        assert_true(cells[i].objective == want[i].objective);
    }
    free(cells);
    free(want);
    bench_results_free(&res);

    /* 50,000 cells, given in reverse order */
    const size_t big = 50000;
    for (size_t i = 0; i < big; i++) {
        bench_row r = {.strategy = EKM_STRATEGY_SEQ, .n = big - i, .k = 2, .threads = 1,
                       .repeat = 1, .seconds = (double)(big - i), .evaluated = i};
        assert_int_equal(bench_results_add(&res, &r), 0);
    }
    n = bench_cells(&res, &cfg, &cells);
    assert_int_equal(n, (int)big);
    for (int i = 0; i < n; i++) {
        assert_int_equal(cells[i].n, (size_t)i + 1);
        assert_int_equal(cells[i].count, 1);
        assert_true(cells[i].median == (double)(i + 1));
        assert_int_equal(cells[i].evaluated, big - 1 - (size_t)i);
    }
    free(cells);
    bench_results_free(&res);
}

static void tiny_grid(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    bench_results res = {0};
    watch w = {.monotone = 1};
    char err[512];
    assert_int_equal(bench_run(&cfg, &res, NULL, on_status, &w, err, sizeof err), 0);
    assert_int_equal(res.interrupted, 0);
    /* per N: seq once (T=1), par1 and fused on T=1 and T=2: 5 cells; 1 warm-up + 2 timed */
    assert_int_equal(res.n, 2 * 5 * 2);
    assert_int_equal(w.runs, 2 * 5 * 3);
    assert_int_equal(w.finished, 30);
    assert_int_equal(w.timed, 20);
    assert_true(w.monotone);
    assert_string_equal(res.dataset, "uniform d=2 seed=0");
    double obj[2] = {0, 0};
    for (size_t i = 0; i < res.n; i++) {
        const bench_row *r = &res.rows[i];
        uint64_t c = r->n == 20 ? 190 : 435; /* C(20,2), C(30,2) */
        assert_int_equal(r->k, 2);
        assert_int_equal(r->total, c);
        assert_int_equal(r->evaluated + r->pruned, c);
        assert_int_equal(r->evaluated, c); /* enumeration prunes nothing */
        assert_true(r->seconds > 0);
        assert_true(r->repeat == 1 || r->repeat == 2);
        if (r->strategy == EKM_STRATEGY_SEQ)
            assert_int_equal(r->threads, 1);
        /* every strategy finds the same optimum */
        int j = r->n == 30;
        if (obj[j] == 0)
            obj[j] = r->objective;
        assert_true(r->objective == obj[j]);
        /* par1 at N=20: leaves C(10,2) = 45 each, merge 190 - 90 = 100;
         * critical path 145; on 2 threads the makespan is 45 + 100 = 145; the bound
         * is min(T, 190 / 145) */
        if (r->strategy == EKM_STRATEGY_PAR1 && r->n == 20) {
            assert_true(fabs(r->plan_bound - (r->threads == 1 ? 1.0 : 190.0 / 145.0)) < 1e-12);
            assert_true(r->plan_makespan == (r->threads == 2 ? 145.0 : 190.0));
        }
        if (r->strategy == EKM_STRATEGY_SEQ)
            assert_true(r->plan_bound == 1.0 && r->plan_makespan == (double)c);
        if (r->strategy == EKM_STRATEGY_FUSED && r->threads == 2)
            assert_true(r->plan_makespan == (double)c / 2);
    }
    bench_results_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_ellipsis),
        cmocka_unit_test(list_ranges_sorting_errors),
        cmocka_unit_test(strategies),
        cmocka_unit_test(medians_and_cells),
        cmocka_unit_test(cells_match_a_naive_grouping),
        cmocka_unit_test(tiny_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
