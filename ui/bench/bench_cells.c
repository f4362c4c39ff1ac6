/* bench_cells.c — rows grouped into cells (strategy, N, threads): medians,
 * minima and maxima of the timed repeats. */
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

static int cmp_cell(const bench_config *cfg, const bench_cell *x, const bench_cell *y)
{
    int rx = strategy_rank(cfg, x->strategy), ry = strategy_rank(cfg, y->strategy);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    if (x->threads != y->threads)
        return x->threads < y->threads ? -1 : 1;
    return x->n < y->n ? -1 : x->n > y->n;
}

int bench_cells(const bench_results *res, const bench_config *cfg, bench_cell **out)
{
    *out = NULL;
    bench_cell *cells = calloc(res->n ? res->n : 1, sizeof *cells);
    double *times = malloc((res->n ? res->n : 1) * sizeof *times);
    if (!cells || !times) {
        free(cells);
        free(times);
        return -1;
    }
    int nc = 0;
    for (size_t i = 0; i < res->n; i++) {
        const bench_row *r = &res->rows[i];
        if (bench_cell_find(cells, nc, r->strategy, r->n, r->threads))
            continue;
        bench_cell *c = &cells[nc++];
        *c = (bench_cell){.strategy = r->strategy, .n = r->n, .k = r->k, .threads = r->threads};
        size_t m = 0;
        for (size_t j = i; j < res->n; j++) {
            const bench_row *q = &res->rows[j];
            if (q->strategy != r->strategy || q->n != r->n || q->threads != r->threads)
                continue;
            times[m++] = q->seconds;
        }
        c->count = (int)m;
        c->median = bench_median(times, m);
        c->min = times[0];
        c->max = times[m - 1];
        m = 0;
        for (size_t j = i; j < res->n; j++) {
            const bench_row *q = &res->rows[j];
            if (q->strategy == r->strategy && q->n == r->n && q->threads == r->threads)
                times[m++] = q->cpu_seconds;
        }
        c->cpu_median = bench_median(times, m);
        /* counts and plan figures from the run closest to the median */
        const bench_row *best = r;
        double bd = -1;
        for (size_t j = i; j < res->n; j++) {
            const bench_row *q = &res->rows[j];
            if (q->strategy != r->strategy || q->n != r->n || q->threads != r->threads)
                continue;
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
    /* insertion sort: a few hundred cells at most, and it takes the config */
    for (int i = 1; i < nc; i++) {
        bench_cell c = cells[i];
        int j = i;
        for (; j > 0 && cmp_cell(cfg, &cells[j - 1], &c) > 0; j--)
            cells[j] = cells[j - 1];
        cells[j] = c;
    }
    *out = cells;
    return nc;
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
