/* bench_plot.c — `ekm bench --plot`: the runtime curves (median time vs N per
 * strategy and thread count, with both fits) and the thread-scaling plot
 * (measured speedups with, per strategy, its plan's bound min(T, total / critical
 * path) and the Amdahl and Gustafson curves fitted to it; ticks at whole thread
 * counts; speedups above the bound counted in the subtitle), drawn by ui/plot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "plot/plot.h"

void bench_scaling_path(const char *path, char *buf, size_t size)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        snprintf(buf, size, "%s-scaling", path);
    else
        snprintf(buf, size, "%.*s-scaling%s", (int)(dot - path), path, dot);
}

enum { MAX_PLOT_SERIES = 64 };

typedef struct plot_data {
    plot_series series[MAX_PLOT_SERIES];
    double x[MAX_PLOT_SERIES][BENCH_MAX_LIST], y[MAX_PLOT_SERIES][BENCH_MAX_LIST];
    char names[MAX_PLOT_SERIES][48];
    double bound[MAX_PLOT_SERIES]; /* scaling: the plan's total / critical path (0: none) */
    double pfit[MAX_PLOT_SERIES];  /* scaling: the fitted parallel fraction (NAN: none) */
    int flagged;                   /* scaling: points above the bound (speedup_judge) */
    int n;
} plot_data;

/* The runtime series: one per (strategy, threads) with its power law, and with
 * the study's straight line too when there are at most 3 series (beyond that
 * the dashed lines hide the data). */
static void runtime_series(const bench_cell *cells, int n_cells, plot_data *d)
{
    d->n = 0;
    ekm_strategy strategy[MAX_PLOT_SERIES]; /* of each series so far: at most 64 to look at */
    unsigned threads[MAX_PLOT_SERIES];
    for (int i = 0; i < n_cells && d->n < MAX_PLOT_SERIES; i++) {
        int seen = 0;
        for (int j = 0; j < d->n && !seen; j++)
            seen = strategy[j] == cells[i].strategy && threads[j] == cells[i].threads;
        if (seen)
            continue;
        strategy[d->n] = cells[i].strategy;
        threads[d->n] = cells[i].threads;
        int k = d->n;
        int m = bench_series(cells, n_cells, cells[i].strategy, cells[i].threads, d->x[k],
                             d->y[k], BENCH_MAX_LIST);
        snprintf(d->names[k], sizeof d->names[k], "%s T=%u", ekm_strategy_name(cells[i].strategy),
                 cells[i].threads);
        plot_series *s = &d->series[k];
        *s = (plot_series){.name = d->names[k], .x = d->x[k], .y = d->y[k], .n = (size_t)m};
        ekm_linear_fit lf;
        ekm_power_fit pf;
        if (m >= 2 && ekm_fit_linear(d->x[k], d->y[k], (size_t)m, &lf, NULL) == EKM_OK) {
            s->lin_a = lf.a;
            s->lin_b = lf.b;
        }
        if (m >= 2 && ekm_fit_power(d->x[k], d->y[k], (size_t)m, &pf, NULL) == EKM_OK) {
            s->fits |= PLOT_FIT_POWER;
            s->pow_c = pf.c;
            s->pow_p = pf.p;
        }
        d->n++;
    }
    if (d->n <= 3)
        for (int k = 0; k < d->n; k++)
            if (d->series[k].n >= 2)
                d->series[k].fits |= PLOT_FIT_LINEAR;
}

/* The scaling series at the largest N: one per strategy measured on T=1 and more.
 * *p gets the fitted parallel fraction of fused (the strategy meant to scale),
 * else of the first series (NAN without one). */
static void scaling_series(const bench_cell *cells, int n_cells, const bench_config *cfg,
                           size_t nmax, plot_data *d, double *p, char *which, size_t wsize)
{
    d->n = 0;
    d->flagged = 0;
    *p = NAN;
    which[0] = '\0';
    for (int s = 0; s < cfg->n_strategies && d->n < MAX_PLOT_SERIES; s++) {
        int k = d->n;
        ekm_strategy st = cfg->strategies[s];
        int m;
        d->bound[k] = 0;
        d->pfit[k] = NAN;
        if (cfg->weak) { /* scaled speedups; Gustafson's fit */
            bench_weak_point pts[BENCH_MAX_LIST];
            m = bench_weak_series(cells, n_cells, st, ekm_cpu_count(), pts, BENCH_MAX_LIST);
            for (int i = 0; i < m; i++) {
                d->x[k][i] = pts[i].threads;
                d->y[k][i] = pts[i].scaled_speedup;
                d->flagged += (pts[i].flags & SPEEDUP_ABOVE_BOUND) != 0;
            }
            double serial;
            if (m >= 2 && bench_weak_fit(pts, m, &serial) == 0 && serial >= 0 && serial <= 1)
                d->pfit[k] = 1 - serial;
        } else {
            m = bench_thread_speedups(cells, n_cells, st, nmax, d->x[k], d->y[k], BENCH_MAX_LIST);
            const bench_cell *one = bench_cell_find(cells, n_cells, st, nmax, 1);
            unsigned tmax = 0;
            for (int i = 0; i < m && one; i++) {
                const bench_cell *c = bench_cell_find(cells, n_cells, st, nmax,
                                                      (unsigned)d->x[k][i]);
                speedup_sample smp;
                if (c && (bench_judge(c, one, d->y[k][i], ekm_cpu_count(), &smp) &
                          SPEEDUP_ABOVE_BOUND))
                    d->flagged++;
                if (c && c->threads > tmax && c->total) { /* total / critical path */
                    ekm_plan_options po = {.strategy = st, .threads = c->threads,
                                           .partitions = cfg->partitions, .leaf = cfg->leaf};
                    ekm_plan *pl;
                    if (ekm_plan_build(nmax, cfg->k, &po, &pl, NULL) == EKM_OK) {
                        d->bound[k] = pl->critical_path
                                          ? (double)pl->total / (double)pl->critical_path
                                          : 0;
                        ekm_plan_free(pl);
                    }
                    tmax = c->threads;
                }
            }
            ekm_parallel_fit pf;
            if (m >= 2 && ekm_fit_parallel_fraction(d->x[k], d->y[k], (size_t)m, &pf, NULL) ==
                              EKM_OK)
                d->pfit[k] = pf.p;
        }
        if (m < 2)
            continue;
        snprintf(d->names[k], sizeof d->names[k], "%s", ekm_strategy_name(cfg->strategies[s]));
        d->series[k] = (plot_series){.name = d->names[k], .x = d->x[k], .y = d->y[k],
                                     .n = (size_t)m};
        ekm_parallel_fit pf;
        int prefer = cfg->strategies[s] == EKM_STRATEGY_FUSED;
        if ((isnan(*p) || prefer) &&
            ekm_fit_parallel_fraction(d->x[k], d->y[k], (size_t)m, &pf, NULL) == EKM_OK) {
            *p = pf.p;
            snprintf(which, wsize, "%s", d->names[k]);
        }
        d->n++;
    }
}

int bench_plot(const bench_config *cfg, const bench_results *res, const char *path,
               const char *scaling_path, char *err, size_t errsize)
{
    bench_cell *cells;
    int n_cells = bench_cells(res, cfg, &cells);
    if (n_cells < 0) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    plot_data *d = malloc(sizeof *d);
    if (!d) {
        free(cells);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    int rc = 0;
    char title[160], subtitle[512];
    snprintf(title, sizeof title, "Runtime vs N, K=%u", cfg->k);
    snprintf(subtitle, sizeof subtitle, "%s; median of %u run%s per point", res->dataset,
             cfg->repeat, cfg->repeat == 1 ? "" : "s");
    runtime_series(cells, n_cells, d);
    plot_curves_input ci = {.title = title, .subtitle = subtitle, .series = d->series,
                            .n_series = (size_t)d->n, .log_axes = 1};
    if (path && plot_curves_png(&ci, 1280, 800, path, NULL, err, errsize))
        rc = -1;
    size_t nmax = 0;
    for (int i = 0; i < n_cells; i++)
        if (cells[i].n > nmax)
            nmax = cells[i].n;
    double p;
    char which[48];
    if (!rc && scaling_path) {
        scaling_series(cells, n_cells, cfg, nmax, d, &p, which, sizeof which);
        if (d->n == 0) {
            snprintf(err, errsize,
                     "no thread scaling to plot: measure a parallel strategy on --threads 1 and "
                     "more");
            rc = -1;
        } else {
            char st[160], ss[512];
            snprintf(st, sizeof st, "Speedup vs threads, N=%zu, K=%u", nmax, cfg->k);
            (void)which;
            snprintf(ss, sizeof ss, "%s; per strategy: %s", res->dataset,
                     cfg->weak ? "Gustafson and Amdahl for 1 - s fitted to its scaled speedups"
                               : "its plan's bound (dots), Amdahl and Gustafson fitted to it");
            if (d->flagged) {
                size_t o = strlen(ss);
                snprintf(ss + o, sizeof ss - o,
                         "; ! %d speedup%s above the plan's bound or the cores: disturbed "
                         "timings",
                         d->flagged, d->flagged == 1 ? "" : "s");
            }
            if (cfg->weak)
                snprintf(st, sizeof st, "Weak scaling: scaled speedup vs threads, K=%u", cfg->k);
            plot_speedup_input si = {.title = st, .subtitle = ss, .series = d->series,
                                     .n_series = (size_t)d->n, .parallel_fraction = NAN,
                                     .series_bound = cfg->weak ? NULL : d->bound,
                                     .series_p = d->pfit};
            (void)p;
            if (plot_speedup_png(&si, 1280, 800, scaling_path, NULL, err, errsize))
                rc = -1;
        }
    }
    free(d);
    free(cells);
    return rc;
}
