/* bench_cells.c — rows grouped into cells (strategy, N, threads): medians,
 * minima and maxima of the timed repeats. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int strategy_rank(const bench_config *cfg, ekm_strategy s)
{
    for (int i = 0; i < cfg->n_strategies; i++)
        if (cfg->strategies[i] == s)
            return i;
    return cfg->n_strategies + (int)s;
}

/* A row's place in the cell order: strategy (the config's order), threads, N,
 * then the row's own index (so a cell's rows keep their order). */
typedef struct row_key {
    int rank;
    unsigned threads;
    size_t n;
    size_t row;
} row_key;

static int cmp_key(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->threads != y->threads)
        return x->threads < y->threads ? -1 : 1;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Sorting the rows once by (cell, row) makes every cell a run of consecutive
 * keys, already in the cell order: O(rows log rows) for any number of cells. */
int bench_cells(const bench_results *res, const bench_config *cfg, bench_cell **out)
{
    *out = NULL;
    size_t rows = res->n ? res->n : 1;
    bench_cell *cells = calloc(rows, sizeof *cells);
    double *times = malloc(rows * sizeof *times);
    row_key *key = malloc(rows * sizeof *key);
    if (!cells || !times || !key || res->n > (size_t)INT_MAX) {
        free(cells);
        free(times);
        free(key);
        return -1;
    }
    for (size_t i = 0; i < res->n; i++) {
        const bench_row *r = &res->rows[i];
        key[i] = (row_key){strategy_rank(cfg, r->strategy), r->threads, r->n, i};
    }
    qsort(key, res->n, sizeof *key, cmp_key);
    int nc = 0;
    for (size_t lo = 0, hi; lo < res->n; lo = hi) {
        for (hi = lo + 1; hi < res->n && key[hi].rank == key[lo].rank &&
                          key[hi].threads == key[lo].threads && key[hi].n == key[lo].n;
             hi++)
            ;
        const bench_row *r = &res->rows[key[lo].row]; /* the cell's first row */
        bench_cell *c = &cells[nc++];
        *c = (bench_cell){.strategy = r->strategy, .n = r->n, .k = r->k, .threads = r->threads};
        size_t m = hi - lo;
        for (size_t j = 0; j < m; j++)
            times[j] = res->rows[key[lo + j].row].seconds;
        c->count = (int)m;
        c->median = bench_median(times, m);
        c->min = times[0];
        c->max = times[m - 1];
        for (size_t j = 0; j < m; j++)
            times[j] = res->rows[key[lo + j].row].cpu_seconds;
        c->cpu_median = bench_median(times, m);
        c->load = -1;
        for (size_t j = lo; j < hi; j++)
            if (res->rows[key[j].row].load > c->load)
                c->load = res->rows[key[j].row].load;
        /* counts and plan figures from the run closest to the median (the first
         * such row on a tie) */
        const bench_row *best = r;
        double bd = -1;
        for (size_t j = lo; j < hi; j++) {
            const bench_row *q = &res->rows[key[j].row];
            double d = q->seconds > c->median ? q->seconds - c->median : c->median - q->seconds;
            if (bd < 0 || d < bd) {
                bd = d;
                best = q;
            }
        }
        c->evaluated = best->evaluated;
        c->pruned = best->pruned;
        c->total = best->total;
        c->plan_bound = best->plan_bound;
        c->plan_makespan = best->plan_makespan;
        c->objective = best->objective;
        snprintf(c->medoids, sizeof c->medoids, "%s", best->medoids);
    }
    free(times);
    free(key);
    *out = cells;
    return nc;
}

int bench_judge(const bench_cell *c, const bench_cell *base, double speedup, unsigned cores,
                speedup_sample *out)
{
    speedup_sample_init(out);
    out->speedup = speedup;
    out->threads = c->threads ? c->threads : 1;
    out->bound = ekm_strategy_is_exact(c->strategy) ? c->plan_bound : 0;
    out->cores = cores;
    out->seconds = c->median;
    out->base_seconds = base->median;
    out->cpu_wall = c->median > 0 && c->cpu_median > 0 ? c->cpu_median / c->median : -1;
    out->base_cpu_wall =
        base->median > 0 && base->cpu_median > 0 ? base->cpu_median / base->median : -1;
    out->load = c->load;
    out->base_load = base->load;
    return speedup_judge(out);
}

const bench_cell *bench_cell_find(const bench_cell *cells, int n_cells, ekm_strategy s,
                                  size_t n, unsigned threads)
{
    for (int i = 0; i < n_cells; i++)
        if (cells[i].strategy == s && cells[i].n == n && cells[i].threads == threads)
            return &cells[i];
    return NULL;
}

int bench_series(const bench_cell *cells, int n_cells, ekm_strategy s, unsigned threads,
                 double *x, double *y, int max)
{
    int c = 0;
    for (int i = 0; i < n_cells && c < max; i++)
        if (cells[i].strategy == s && cells[i].threads == threads) {
            x[c] = (double)cells[i].n;
            y[c] = cells[i].median;
            c++;
        }
    return c;
}

int bench_thread_speedups(const bench_cell *cells, int n_cells, ekm_strategy s, size_t n,
                          double *threads, double *speedup, int max)
{
    const bench_cell *one = bench_cell_find(cells, n_cells, s, n, 1);
    if (!one || !(one->median > 0))
        return 0;
    int c = 0;
    for (int i = 0; i < n_cells && c < max; i++)
        if (cells[i].strategy == s && cells[i].n == n && cells[i].median > 0) {
            threads[c] = cells[i].threads;
            speedup[c] = one->median / cells[i].median;
            c++;
        }
    return c;
}
