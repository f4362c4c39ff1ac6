/* test_bench.c — the benchmark runner and its outputs: list parsing, medians,
 * a tiny grid run for real (every count equal to C(N,K), the plan figures
 * known by hand), the CSV schema (header and column count of every row),
 * stopping part-way keeps the finished rows, the report's tables, and the AVX2
 * reference against seq's optimum. */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench/bench.h"
#include "ekm/generate.h"

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

/* ---- a tiny grid, run for real ---- */

typedef struct watch {
    int finished, timed;
    size_t runs;
    int stop_after; /* set *stop after this many finished runs (0: never) */
    atomic_int *stop;
    int monotone;   /* run counter never went backwards */
    size_t last_run;
} watch;

static void on_status(void *ctx, const bench_status *st)
{
    watch *w = ctx;
    w->runs = st->runs;
    if (st->run < w->last_run)
        w->monotone = 0;
    w->last_run = st->run;
    if (!st->finished_run)
        return;
    w->finished++;
    w->timed += st->row != NULL;
    if (w->stop_after && w->finished == w->stop_after)
        atomic_store(w->stop, 1);
}

static void tiny_config(bench_config *cfg)
{
    bench_config_default(cfg);
    cfg->k = 2;
    cfg->ns[0] = 20;
    cfg->ns[1] = 30;
    cfg->n_ns = 2;
    cfg->strategies[0] = EKM_STRATEGY_SEQ;
    cfg->strategies[1] = EKM_STRATEGY_PAR1;
    cfg->strategies[2] = EKM_STRATEGY_FUSED;
    cfg->n_strategies = 3;
    cfg->threads[0] = 1;
    cfg->threads[1] = 2;
    cfg->n_threads = 2;
    cfg->repeat = 2;
    cfg->warmup = 1;
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
         * critical path 145; on 2 threads the makespan is 45 + 100 = 145 */
        if (r->strategy == EKM_STRATEGY_PAR1 && r->n == 20) {
            assert_true(fabs(r->plan_bound - 190.0 / 145.0) < 1e-12);
            assert_true(r->plan_makespan == (r->threads == 2 ? 145.0 : 190.0));
        }
        if (r->strategy == EKM_STRATEGY_SEQ)
            assert_true(r->plan_bound == 1.0 && r->plan_makespan == (double)c);
        if (r->strategy == EKM_STRATEGY_FUSED && r->threads == 2)
            assert_true(r->plan_makespan == (double)c / 2);
    }
    bench_results_free(&res);
}

/* Split a CSV line into fields (RFC 4180 quotes); returns the count. */
static int csv_fields(const char *line, char fields[][128], int max)
{
    int n = 0, q = 0;
    size_t len = 0;
    fields[0][0] = '\0';
    for (const char *p = line; *p && *p != '\n'; p++) {
        if (q) {
            if (*p == '"' && p[1] == '"')
                fields[n][len++] = '"', p++;
            else if (*p == '"')
                q = 0;
            else
                fields[n][len++] = *p;
        } else if (*p == '"') {
            q = 1;
        } else if (*p == ',') {
            fields[n][len] = '\0';
            if (++n >= max)
                return -1;
            len = 0;
        } else {
            fields[n][len++] = *p;
        }
        if (len >= 127)
            return -1;
    }
    fields[n][len] = '\0';
    return n + 1;
}

static void csv_schema(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    bench_results res = {0};
    char err[512];
    assert_int_equal(bench_run(&cfg, &res, NULL, NULL, NULL, err, sizeof err), 0);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    bench_csv_header(f);
    for (size_t i = 0; i < res.n; i++)
        bench_csv_row(f, &res.rows[i], "a \"quoted\", name");
    fclose(f);
    const char *want = "strategy,N,K,threads,repeat,seconds,evaluated,pruned,plan_bound,total,"
                       "plan_makespan,plan_speedup,rate,objective,medoids,dataset,cpu_seconds\n";
    assert_int_equal(bench_csv_column_count, 17);
    assert_true(strncmp(buf, want, strlen(want)) == 0);
    int lines = 0;
    char fields[32][128];
    for (char *line = strchr(buf, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        int nf = csv_fields(line, fields, 32);
        assert_int_equal(nf, bench_csv_column_count);
        ekm_strategy s;
        assert_int_equal(ekm_strategy_parse(fields[0], &s), 0);
        unsigned long n = strtoul(fields[1], NULL, 10);
        assert_true(n == 20 || n == 30);
        assert_string_equal(fields[2], "2");
        assert_true(!strcmp(fields[3], "1") || !strcmp(fields[3], "2"));
        assert_true(!strcmp(fields[4], "1") || !strcmp(fields[4], "2"));
        assert_true(strtod(fields[5], NULL) > 0);
        assert_int_equal(strtoull(fields[6], NULL, 10), n == 20 ? 190 : 435);
        assert_string_equal(fields[7], "0");
        assert_true(strtod(fields[8], NULL) >= 1.0);
        assert_int_equal(strtoull(fields[9], NULL, 10), n == 20 ? 190 : 435);
        assert_int_equal(strlen(fields[14]) > 2, 1); /* "i j" */
        assert_string_equal(fields[15], "a \"quoted\", name");
        assert_true(strtod(fields[16], NULL) >= 0);
        lines++;
    }
    assert_int_equal(lines, 20);
    free(buf);
    bench_results_free(&res);
}

static void stop_keeps_finished_rows(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    atomic_int stop;
    atomic_init(&stop, 0);
    /* N=20: 5 warm-ups, then 5 timed runs of round 1; stop after the 8th run */
    watch w = {.stop_after = 8, .stop = &stop, .monotone = 1};
    bench_results res = {0};
    char err[512];
    assert_int_equal(bench_run(&cfg, &res, &stop, on_status, &w, err, sizeof err), 0);
    assert_int_equal(res.interrupted, 1);
    assert_int_equal(res.n, 3);
    assert_int_equal(w.timed, 3);
    for (size_t i = 0; i < res.n; i++)
        assert_int_equal(res.rows[i].evaluated, 190);
    bench_results_free(&res);
    /* stopped before it starts: nothing runs */
    atomic_store(&stop, 1);
    assert_int_equal(bench_run(&cfg, &res, &stop, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(res.interrupted, 1);
    assert_int_equal(res.n, 0);
    bench_results_free(&res);
}

static void bad_grids(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    cfg.k = 25; /* > N=20 */
    bench_results res = {0};
    char err[512] = "";
    assert_int_equal(bench_run(&cfg, &res, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "K=25"));
    tiny_config(&cfg);
    cfg.strategies[0] = EKM_STRATEGY_TREE;
    cfg.partitions = 25; /* more leaves than points */
    assert_int_equal(bench_run(&cfg, &res, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "tree"));
    assert_int_equal(res.n, 0);
}

/* ---- the report ---- */

static void table_golden(void **state)
{
    (void)state;
    bench_table *t = bench_table_new(3);
    static const char *const names[] = {"strategy", "N", "time"};
    static const int right[] = {0, 1, 1};
    bench_table_header(t, names, right);
    bench_table_cell(t, "seq");
    bench_table_cell(t, "%d", 400);
    bench_table_cell(t, "1.5 µs");
    bench_table_cell(t, "fused");
    bench_table_cell(t, "%d", 50);
    bench_table_cell(t, "12 s");
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    bench_table_print(t, f, 0);
    bench_table_print(t, f, 1);
    fclose(f);
    assert_string_equal(buf, "strategy    N    time\n"
                             "---------------------\n"
                             "seq       400  1.5 µs\n"
                             "fused      50    12 s\n"
                             "| strategy |   N |   time |\n"
                             "| -------- | --: | -----: |\n"
                             "| seq      | 400 | 1.5 µs |\n"
                             "| fused    |  50 |   12 s |\n");
    free(buf);
    bench_table_free(t);
    char b[32];
    assert_string_equal(bench_format_seconds(0.000812, b, sizeof b), "812 µs");
    assert_string_equal(bench_format_seconds(0.0123, b, sizeof b), "12.3 ms");
    assert_string_equal(bench_format_seconds(1.234, b, sizeof b), "1.23 s");
    assert_string_equal(bench_format_seconds(0.0009996, b, sizeof b), "1 ms");
    assert_string_equal(bench_format_seconds(1234.4, b, sizeof b), "1234 s");
    bench_format_duration(3723, b, sizeof b);
    assert_string_equal(b, "1:02:03");
    bench_format_duration(125, b, sizeof b);
    assert_string_equal(b, "2:05");
    bench_scaling_path("out/curves.png", b, sizeof b);
    assert_string_equal(b, "out/curves-scaling.png");
    bench_scaling_path("a.d/curves", b, sizeof b);
    assert_string_equal(b, "a.d/curves-scaling");
}

static void report_sections(void **state)
{
    (void)state;
    /* synthetic rows with known timings: seq t = 1e-11·N^4, fused T=2 twice as fast */
    bench_config cfg;
    bench_config_default(&cfg);
    cfg.k = 3;
    cfg.n_ns = 3;
    cfg.ns[0] = 100;
    cfg.ns[1] = 200;
    cfg.ns[2] = 400;
    cfg.strategies[0] = EKM_STRATEGY_SEQ;
    cfg.strategies[1] = EKM_STRATEGY_FUSED;
    cfg.n_strategies = 2;
    bench_results res = {0};
    snprintf(res.dataset, sizeof res.dataset, "synthetic");
    for (int i = 0; i < 3; i++) {
        double n = (double)cfg.ns[i], t = 1e-11 * n * n * n * n;
        uint64_t c = ekm_binomial(cfg.ns[i], 3, NULL);
        bench_row r = {.strategy = EKM_STRATEGY_SEQ, .n = cfg.ns[i], .k = 3, .threads = 1,
                       .repeat = 1, .seconds = t, .evaluated = c, .total = c, .plan_bound = 1,
                       .plan_makespan = (double)c};
        bench_results_add(&res, &r);
        r.strategy = EKM_STRATEGY_FUSED;
        bench_results_add(&res, &r);
        r.threads = 2;
        r.seconds = t / 2;
        r.plan_makespan = (double)c / 2;
        bench_results_add(&res, &r);
    }
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    bench_report_options o = {.markdown = 1, .predict_n = 800, .cores = 2};
    bench_report(f, &cfg, &res, &o);
    fclose(f);
    assert_non_null(strstr(buf, "### ekm bench: synthetic, K=3, 2 cores"));
    assert_non_null(strstr(buf, "|   N | seq T=1 | fused T=1 | fused T=2 |"));
    assert_non_null(strstr(buf, "| 100 |    1 ms |      1 ms |    500 µs |"));
    /* the power law recovers p = 4 exactly; t(800) = 1e-11·800^4 = 4.096 s */
    assert_non_null(strstr(buf, "| 1e-11 | 4.000 | 1.0000 |      601 ms |      4.1 s |"));
    /* eqs. 19-20 for fused T=2 against seq: 50 %, 2× */
    assert_non_null(strstr(buf, "+50.0 %"));
    assert_non_null(strstr(buf, "2.00×"));
    /* scaling: speedup 2 on 2 threads, p = 1 */
    assert_non_null(strstr(buf, "Thread scaling"));
    assert_non_null(strstr(buf, "| 1.000 |"));
    free(buf);
    bench_results_free(&res);
}

/* ---- the AVX2 reference ---- */

static void avx2_reference_matches_seq(void **state)
{
    (void)state;
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, 37, 2, 1, 5, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    for (unsigned k = 1; k <= 4; k++) {
        ekm_solve_options opt = ekm_solve_options_default();
        opt.k = k;
        opt.threads = 1;
        ekm_result *r;
        assert_int_equal(ekm_solve(dm, &opt, &r, NULL), EKM_OK);
        for (unsigned t = 1; t <= 2; t++) {
            bench_ref_result ref;
            int rc = bench_avx2_reference(dm, k, t, &ref);
            if (!bench_avx2_available()) {
                assert_int_equal(rc, -1); /* refuses cleanly without AVX2 */
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(ref.subsets, ekm_binomial(37, k, NULL));
            assert_true(fabs(ref.best - r->objective) <= 1e-5 * r->objective);
            /* the same optimal set (the float sums here have no near-ties) */
            uint32_t sorted[EKM_MAX_K];
            memcpy(sorted, ref.best_set, k * sizeof *sorted);
            for (unsigned i = 0; i < k; i++)
                assert_int_equal(sorted[i], r->medoids[i]);
        }
        ekm_result_free(r);
    }
    ekm_dissim_release(dm);
}

static void kernel_figures_small(void **state)
{
    (void)state;
    if (!bench_avx2_available()) {
        bench_kernel_options o;
        bench_kernel_options_default(&o);
        char err[256];
        assert_int_equal(bench_kernel_run(stdout, &o, NULL, err, sizeof err), -1);
        return;
    }
    bench_kernel_options o;
    bench_kernel_options_default(&o);
    o.n = 40;
    o.n_scaling = 40;
    o.repeat = 1;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    char err[256];
    assert_int_equal(bench_kernel_run(f, &o, NULL, err, sizeof err), 0);
    fclose(f);
    assert_non_null(strstr(buf, "seq (ekm)"));
    assert_non_null(strstr(buf, "AVX2 reference"));
    assert_non_null(strstr(buf, ": agree."));
    assert_non_null(strstr(buf, "fused 2 threads / 1 thread"));
    for (const char *s = "split\0par1\0par2\0tree\0"; *s; s += strlen(s) + 1)
        assert_non_null(strstr(buf, s));
    assert_non_null(strstr(buf, "All within 10 %"));
    free(buf);
}

/* ---- arguments ---- */

/* Parse a line split on blanks; returns bench_request_parse's result. */
static int parse_line(const char *line, bench_request *a, char *err, size_t errsize)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", line);
    char *argv[48];
    int argc = 0;
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && argc < 47;
         t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    return bench_request_parse(argc, argv, a, err, errsize);
}

static void args_grid_and_outputs(void **state)
{
    (void)state;
    bench_request a;
    char err[512];
    assert_int_equal(parse_line("bench -k 2 --n 20,30 --strategies seq,par1 --threads 1,2 "
                                "--repeat 4 --warmup 0 --gen blobs --clusters 5 --seed 7 "
                                "--csv out.csv --plot=p.png --markdown --predict 800",
                                &a, err, sizeof err),
                     0);
    assert_int_equal(a.kernel, 0);
    assert_int_equal(a.cfg.k, 2);
    assert_int_equal(a.cfg.n_ns, 2);
    assert_int_equal(a.cfg.ns[1], 30);
    assert_int_equal(a.cfg.n_strategies, 2);
    assert_int_equal(a.cfg.strategies[1], EKM_STRATEGY_PAR1);
    assert_int_equal(a.cfg.n_threads, 2);
    assert_int_equal(a.cfg.repeat, 4);
    assert_int_equal(a.cfg.warmup, 0);
    assert_int_equal(a.cfg.gen, EKM_GEN_BLOBS);
    assert_int_equal(a.cfg.gen_clusters, 5);
    assert_int_equal(a.cfg.seed, 7);
    assert_null(a.cfg.source);
    assert_string_equal(a.csv_path, "out.csv");
    assert_string_equal(a.plot_path, "p.png");
    assert_int_equal(a.markdown, 1);
    assert_int_equal(a.quiet, 0);
    assert_true(a.predict_n == 800);
    /* per N: seq once, par1 on 1 and 2 threads */
    assert_int_equal(bench_grid_cells(&a.cfg), 2 * 3);
    char name[128];
    bench_describe_source(&a.cfg, name, sizeof name);
    assert_string_equal(name, "blobs d=2 clusters=5 seed=7");
    bench_request_free(&a);
    /* a file: its rows, all of them without --n */
    assert_int_equal(parse_line("bench " EKM_SOURCE_DIR "/data/iris.csv -k 2 --strategies seq "
                                "--quiet",
                                &a, err, sizeof err),
                     0);
    assert_non_null(a.cfg.source);
    assert_int_equal(a.cfg.n_ns, 1);
    assert_int_equal(a.cfg.ns[0], 150);
    assert_int_equal(a.quiet, 1);
    bench_request_free(&a);
    /* the kernel figures */
    assert_int_equal(parse_line("bench --kernel --n 60 --parts fused,plans", &a, err, sizeof err),
                     0);
    assert_int_equal(a.kernel, 1);
    assert_int_equal(a.kernel_opts.n, 60);
    assert_int_equal(a.kernel_opts.parts, BENCH_PART_FUSED | BENCH_PART_PLANS);
    bench_request_free(&a);
}

static void args_errors(void **state)
{
    (void)state;
    static const struct {
        const char *line, *message;
    } bad[] = {
        {"bench --strategis seq", "bench: unknown option '--strategis' (did you mean --strategies?)"},
        {"bench --n", "bench: --n needs a value"},
        {"bench --markdown=1", "bench: --markdown takes no value"},
        {"bench --kernel --csv x.csv", "bench: --csv does not apply to --kernel"},
        {"bench --parts fused", "bench: --scaling-n and --parts go with --kernel"},
        {"bench x.csv --gen uniform", "bench: give a FILE or --gen, not both"},
        {"bench --gen spiral", "bench: --gen: unknown kind 'spiral' (uniform or blobs)"},
        {"bench -k 5 --n 4", "bench: K=5 exceeds N=4"},
        {"bench --plot=", "bench: --plot needs a file name"},
        {"bench --out x", "bench: --out is not a bench option; use --csv or --plot"},
        {"bench -p 4 --leaf 8", "bench: give --partitions or --leaf, not both"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bench_request a;
        char err[512] = "";
        if (parse_line(bad[i].line, &a, err, sizeof err) != -1)
            fail_msg("'%s' was accepted", bad[i].line);
        if (strcmp(err, bad[i].message))
            fail_msg("'%s': \"%s\", expected \"%s\"", bad[i].line, err, bad[i].message);
    }
    bench_request a;
    char err[512];
    assert_int_equal(parse_line("bench /nonexistent/pts.csv", &a, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/pts.csv"));
}

/* ---- in the background ---- */

/* The tiny grid as arguments (1 warm-up, 2 timed runs; 10 cells). */
static void tiny_request(bench_request *a)
{
    memset(a, 0, sizeof *a);
    tiny_config(&a->cfg);
    bench_kernel_options_default(&a->kernel_opts);
}

static void job_publishes_every_cell(void **state)
{
    (void)state;
    bench_request a;
    tiny_request(&a);
    char err[512], csv[] = "/tmp/ekm-test-bench-job-XXXXXX";
    int fd = mkstemp(csv);
    assert_true(fd >= 0);
    close(fd);
    snprintf(a.csv_path, sizeof a.csv_path, "%s", csv);
    bench_job *j;
    assert_int_equal(bench_job_start(&a, &j, err, sizeof err), 0);
    assert_string_equal(bench_job_dataset(j), "uniform d=2 seed=0");
    size_t cursor = 0, got = 0;
    bench_cell cells[16];
    int waits = 0;
    while (!bench_job_wait_for(j, 0.01)) {
        got += bench_job_take_cells(j, &cursor, cells + got, 16 - got);
        assert_true(++waits < 60000);
    }
    got += bench_job_take_cells(j, &cursor, cells + got, 16 - got);
    assert_int_equal(got, 10);
    assert_int_equal(bench_job_cells_done(j), 10);
    assert_int_equal(bench_job_take_cells(j, &cursor, cells, 16), 0); /* all taken */
    for (size_t i = 0; i < got; i++) {
        assert_int_equal(cells[i].count, 2);
        assert_int_equal(cells[i].evaluated, cells[i].n == 20 ? 190 : 435);
        assert_true(cells[i].min <= cells[i].median && cells[i].median <= cells[i].max);
        assert_true(cells[i].medoids[0] != '\0');
        for (size_t k = 0; k < i; k++)
            assert_false(cells[k].strategy == cells[i].strategy && cells[k].n == cells[i].n &&
                         cells[k].threads == cells[i].threads);
    }
    bench_status st;
    assert_int_equal(bench_job_status(j, &st), 1);
    assert_int_equal(st.run, 30);
    assert_int_equal(st.runs, 30);
    assert_null(st.row);
    int csv_failed = 1;
    assert_int_equal(bench_job_outcome(j, err, sizeof err, &csv_failed), 0);
    assert_int_equal(csv_failed, 0);
    const bench_results *res = bench_job_results(j);
    assert_non_null(res);
    assert_int_equal(res->n, 20);
    assert_int_equal(res->interrupted, 0);
    bench_job_destroy(j);
    FILE *in = fopen(csv, "r");
    assert_non_null(in);
    int lines = 0, c;
    while ((c = fgetc(in)) != EOF)
        lines += c == '\n';
    fclose(in);
    unlink(csv);
    assert_int_equal(lines, 1 + 20);
    /* a CSV that cannot be written: refused before anything runs */
    snprintf(a.csv_path, sizeof a.csv_path, "/nonexistent/dir/rows.csv");
    assert_int_equal(bench_job_start(&a, &j, err, sizeof err), -1);
    assert_null(j);
    assert_non_null(strstr(err, "/nonexistent/dir/rows.csv: cannot write"));
}

static void job_cancelled_keeps_its_rows_as_cells(void **state)
{
    (void)state;
    bench_request a;
    tiny_request(&a);
    a.cfg.ns[0] = 160; /* long enough to stop in the middle */
    a.cfg.ns[1] = 400;
    a.cfg.k = 3;
    a.cfg.warmup = 0;
    bench_job *j;
    char err[512];
    assert_int_equal(bench_job_start(&a, &j, err, sizeof err), 0);
    bench_status st;
    int waits = 0;
    /* N=160's round 1 (5 runs) and a run of round 2: one cell done, 4 cut short */
    while (!bench_job_status(j, &st) || st.run < 6) {
        assert_false(bench_job_done(j));
        bench_job_wait_for(j, 0.001);
        assert_true(++waits < 600000);
    }
    bench_job_cancel(j);
    assert_true(bench_job_cancelled(j));
    while (!bench_job_wait_for(j, 1)) {
    }
    const bench_results *res = bench_job_results(j);
    assert_int_equal(res->interrupted, 1);
    assert_true(res->n >= 6 && res->n < 20);
    size_t cursor = 0;
    bench_cell cells[16];
    size_t got = bench_job_take_cells(j, &cursor, cells, 16);
    int timed = 0, whole = 0;
    for (size_t i = 0; i < got; i++) {
        timed += cells[i].count;
        whole += cells[i].count == 2;
    }
    assert_int_equal(timed, (int)res->n); /* every row kept is in one cell */
    assert_true(whole >= 1);
    assert_true(got >= 5); /* N=160's five cells at least */
    assert_int_equal(bench_job_outcome(j, err, sizeof err, NULL), 0);
    bench_job_destroy(j);
    bench_job_destroy(NULL);
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
        cmocka_unit_test(csv_schema),
        cmocka_unit_test(stop_keeps_finished_rows),
        cmocka_unit_test(bad_grids),
        cmocka_unit_test(table_golden),
        cmocka_unit_test(report_sections),
        cmocka_unit_test(avx2_reference_matches_seq),
        cmocka_unit_test(kernel_figures_small),
        cmocka_unit_test(args_grid_and_outputs),
        cmocka_unit_test(args_errors),
        cmocka_unit_test(job_publishes_every_cell),
        cmocka_unit_test(job_cancelled_keeps_its_rows_as_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
