/* bench_report.c — the benchmark's report: runtimes (medians, min–max), the
 * study's straight-line fits next to power laws, predicted times at a given N,
 * and the speedup between strategies (the study's eqs. 19-20). Thread scaling
 * is in bench_scaling.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

typedef struct series {
    ekm_strategy strategy;
    unsigned threads;
} series;

/* The distinct (strategy, threads) pairs, in the cells' order. */
static int list_series(const bench_cell *cells, int n_cells, series *out, int max)
{
    int c = 0;
    for (int i = 0; i < n_cells; i++) {
        int seen = 0;
        for (int j = 0; j < c; j++)
            seen |= out[j].strategy == cells[i].strategy && out[j].threads == cells[i].threads;
        if (!seen && c < max)
            out[c++] = (series){cells[i].strategy, cells[i].threads};
    }
    return c;
}

static void series_name(const series *s, char *buf, size_t size)
{
    snprintf(buf, size, "%s T=%u", ekm_strategy_name(s->strategy), s->threads);
}

static void heading(FILE *out, int markdown, const char *title)
{
    if (markdown)
        fprintf(out, "\n#### %s\n\n", title);
    else
        fprintf(out, "\n%s\n", title);
}

enum { MAX_SERIES = BENCH_MAX_STRATEGIES * BENCH_MAX_LIST };

void bench_report_runtimes(FILE *out, const bench_cell *cells, int n_cells,
                           const bench_config *cfg, int markdown)
{
    series *ser = malloc(MAX_SERIES * sizeof *ser);
    if (!ser)
        return;
    int ns = list_series(cells, n_cells, ser, MAX_SERIES);
    /* the compact view: N down, one column per (strategy, threads) */
    char title[160];
    snprintf(title, sizeof title, "Median time (K=%u, %u timed run%s per cell after %u warm-up%s)",
             cfg->k, cfg->repeat, cfg->repeat == 1 ? "" : "s", cfg->warmup,
             cfg->warmup == 1 ? "" : "s");
    heading(out, markdown, title);
    bench_table *t = bench_table_new(ns + 1);
    const char **names = calloc((size_t)ns + 1, sizeof *names);
    int *right = calloc((size_t)ns + 1, sizeof *right);
    char (*labels)[48] = calloc((size_t)ns + 1, sizeof *labels);
    if (t && names && right && labels) {
        names[0] = "N";
        right[0] = 1;
        for (int i = 0; i < ns; i++) {
            series_name(&ser[i], labels[i + 1], sizeof labels[i + 1]);
            names[i + 1] = labels[i + 1];
            right[i + 1] = 1;
        }
        bench_table_header(t, names, right);
        for (int i = 0; i < cfg->n_ns; i++) {
            int any = 0;
            for (int j = 0; j < ns; j++)
                any |= bench_cell_find(cells, n_cells, ser[j].strategy, cfg->ns[i],
                                       ser[j].threads) != NULL;
            if (!any)
                continue;
            bench_table_cell(t, "%zu", cfg->ns[i]);
            for (int j = 0; j < ns; j++) {
                const bench_cell *c =
                    bench_cell_find(cells, n_cells, ser[j].strategy, cfg->ns[i], ser[j].threads);
                char b[32];
                bench_table_cell(t, "%s", c ? bench_format_seconds(c->median, b, sizeof b) : "-");
            }
        }
        bench_table_print(t, out, markdown);
    }
    bench_table_free(t);
    free(names);
    free(right);
    free(labels);

    /* every cell: spread, counts, the plan's own figures */
    heading(out, markdown, "Every cell: median, min–max, work, the plan's bound");
    static const char *const cols[] = {"strategy",  "T",         "N",          "median",
                                       "min–max",   "runs",      "cpu/wall",   "evaluated",
                                       "pruned",    "all closed", "plan bound", "plan speedup",
                                       "subsets/s"};
    static const int rcols[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1};
    t = bench_table_new(13);
    bench_table_header(t, cols, rcols);
    for (int i = 0; i < n_cells; i++) {
        const bench_cell *c = &cells[i];
        char a[32], b[32], m[32];
        ekm_count closed = c->evaluated + c->pruned;
        char ce[EKM_COUNT_DIGITS], cp[EKM_COUNT_DIGITS];
        bench_table_cell(t, "%s", ekm_strategy_name(c->strategy));
        bench_table_cell(t, "%u", c->threads);
        bench_table_cell(t, "%zu", c->n);
        bench_table_cell(t, "%s", bench_format_seconds(c->median, m, sizeof m));
        bench_table_cell(t, "%s–%s", bench_format_seconds(c->min, a, sizeof a),
                         bench_format_seconds(c->max, b, sizeof b));
        bench_table_cell(t, "%d", c->count);
        bench_table_cell(t, "%.2f", c->median > 0 ? c->cpu_median / c->median : 0.0);
        bench_table_cell(t, "%s", ekm_count_format(c->evaluated, ce, sizeof ce));
        bench_table_cell(t, "%s", ekm_count_format(c->pruned, cp, sizeof cp));
        bench_table_cell(t, "%s", closed == c->total ? "yes" : "NO");
        bench_table_cell(t, "%.3f", c->plan_bound);
        bench_table_cell(t, "%.3f", c->plan_makespan > 0 ? (double)c->total / c->plan_makespan
                                                        : 1.0);
        bench_table_cell(t, "%.3g", c->median > 0 ? (double)c->evaluated / c->median : 0.0);
    }
    bench_table_print(t, out, markdown);
    bench_table_free(t);
    free(ser);
}

void bench_report_fits(FILE *out, const bench_cell *cells, int n_cells, const bench_config *cfg,
                       const bench_report_options *opt)
{
    series *ser = malloc(MAX_SERIES * sizeof *ser);
    if (!ser)
        return;
    int ns = list_series(cells, n_cells, ser, MAX_SERIES);
    char title[200];
    if (opt->predict_n > 0)
        snprintf(title, sizeof title,
                 "Fits of median time t against N: linear t = a·N + b (the study's), power law "
                 "t = c·N^p (p ≈ K+1 = %u for enumeration); predicted t at N = %.0f",
                 cfg->k + 1, opt->predict_n);
    else
        snprintf(title, sizeof title,
                 "Fits of median time t against N: linear t = a·N + b (the study's), power law "
                 "t = c·N^p (p ≈ K+1 = %u for enumeration)",
                 cfg->k + 1);
    heading(out, opt->markdown, title);
    int pred = opt->predict_n > 0;
    static const char *const cols[] = {"strategy", "T", "points", "a (s/point)", "b (s)",
                                       "R² lin", "c", "p", "R² pow", "t(N) linear",
                                       "t(N) power"};
    static const int rcols[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    bench_table *t = bench_table_new(pred ? 11 : 9);
    bench_table_header(t, cols, rcols);
    double x[BENCH_MAX_LIST], y[BENCH_MAX_LIST];
    int fitted = 0;
    for (int i = 0; i < ns; i++) {
        int m = bench_series(cells, n_cells, ser[i].strategy, ser[i].threads, x, y,
                             BENCH_MAX_LIST);
        ekm_linear_fit lf;
        ekm_power_fit pf;
        if (m < 2 || ekm_fit_linear(x, y, (size_t)m, &lf, NULL))
            continue;
        int have_pow = ekm_fit_power(x, y, (size_t)m, &pf, NULL) == EKM_OK;
        fitted++;
        bench_table_cell(t, "%s", ekm_strategy_name(ser[i].strategy));
        bench_table_cell(t, "%u", ser[i].threads);
        bench_table_cell(t, "%d", m);
        bench_table_cell(t, "%.4g", lf.a);
        bench_table_cell(t, "%.4g", lf.b);
        bench_table_cell(t, "%.4f", lf.r2);
        if (have_pow) {
            bench_table_cell(t, "%.4g", pf.c);
            bench_table_cell(t, "%.3f", pf.p);
            bench_table_cell(t, "%.4f", pf.r2);
        } else {
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
        }
        if (pred) {
            char a[32], b[32];
            double tl = ekm_fit_linear_at(&lf, opt->predict_n);
            bench_table_cell(t, "%s", tl > 0 ? bench_format_seconds(tl, a, sizeof a) : "< 0");
            bench_table_cell(t, "%s",
                             have_pow ? bench_format_seconds(ekm_fit_power_at(&pf, opt->predict_n),
                                                             b, sizeof b)
                                      : "-");
        }
    }
    if (fitted) {
        bench_table_print(t, out, opt->markdown);
        fprintf(out, "%sR² is on the time scale for both fits. A straight line fits a short range "
                     "of N well but undershoots outside it; the power law is the model of "
                     "enumeration (C(N,K)·N point evaluations).\n",
                opt->markdown ? "\n" : "");
    } else {
        fprintf(out, "(fits need at least two values of N)\n");
    }
    bench_table_free(t);
    free(ser);
}

/* The baseline of the comparisons: seq at T=1, else the first series. */
static int baseline(const series *ser, int ns)
{
    for (int i = 0; i < ns; i++)
        if (ser[i].strategy == EKM_STRATEGY_SEQ && ser[i].threads == 1)
            return i;
    return 0;
}

void bench_report_speedups(FILE *out, const bench_cell *cells, int n_cells,
                           const bench_config *cfg, const bench_report_options *opt)
{
    series *ser = malloc(MAX_SERIES * sizeof *ser);
    if (!ser)
        return;
    int ns = list_series(cells, n_cells, ser, MAX_SERIES);
    if (ns < 2) {
        free(ser);
        return;
    }
    int b = baseline(ser, ns);
    char bname[48];
    series_name(&ser[b], bname, sizeof bname);
    /* the largest N that the baseline measured */
    size_t nmax = 0;
    for (int i = 0; i < n_cells; i++)
        if (cells[i].strategy == ser[b].strategy && cells[i].threads == ser[b].threads &&
            cells[i].n > nmax)
            nmax = cells[i].n;
    const bench_cell *base = bench_cell_find(cells, n_cells, ser[b].strategy, nmax, ser[b].threads);
    if (!base) {
        free(ser);
        return;
    }
    char title[200];
    snprintf(title, sizeof title,
             "Speedup against %s, K=%u (the study's eqs. 19-20: %% = (t_a - t_b)/t_a·100, "
             "× = t_a/t_b)",
             bname, cfg->k);
    heading(out, opt->markdown, title);
    int pred = opt->predict_n > 0;
    static const char *const cols[] = {"strategy", "T", "t_b at N", "speedup %", "×", "check",
                                       "predicted % at N*", "predicted × at N*"};
    static const int rcols[] = {0, 1, 1, 1, 1, 0, 1, 1};
    bench_table *t = bench_table_new(pred ? 8 : 6);
    char hdr[3][48];
    snprintf(hdr[0], sizeof hdr[0], "t_b at N=%zu", nmax);
    snprintf(hdr[1], sizeof hdr[1], "%% at N=%.0f", opt->predict_n);
    snprintf(hdr[2], sizeof hdr[2], "× at N=%.0f", opt->predict_n);
    const char *names[8] = {cols[0], cols[1], hdr[0], cols[3], cols[4], cols[5], hdr[1], hdr[2]};
    int flagged = 0;
    bench_table_header(t, names, rcols);
    double x[BENCH_MAX_LIST], y[BENCH_MAX_LIST];
    ekm_power_fit bfit;
    int m = bench_series(cells, n_cells, ser[b].strategy, ser[b].threads, x, y, BENCH_MAX_LIST);
    int have_bfit = pred && m >= 2 && ekm_fit_power(x, y, (size_t)m, &bfit, NULL) == EKM_OK;
    char tb[32];
    fprintf(out, "t_a = %s at N=%zu.\n%s", bench_format_seconds(base->median, tb, sizeof tb),
            nmax, opt->markdown ? "\n" : "");
    for (int i = 0; i < ns; i++) {
        if (i == b)
            continue;
        const bench_cell *c = bench_cell_find(cells, n_cells, ser[i].strategy, nmax,
                                              ser[i].threads);
        bench_table_cell(t, "%s", ekm_strategy_name(ser[i].strategy));
        bench_table_cell(t, "%u", ser[i].threads);
        if (c && c->median > 0) {
            bench_table_cell(t, "%s", bench_format_seconds(c->median, tb, sizeof tb));
            double ratio = ekm_speedup_ratio(base->median, c->median);
            speedup_sample smp;
            int flags = bench_judge(c, base, ratio, opt->cores, &smp);
            char why[120];
            flagged |= flags;
            bench_table_cell(t, "%+.1f %%", ekm_speedup_percent(base->median, c->median));
            bench_table_cell(t, "%.2f×%s", ratio, speedup_mark(flags));
            bench_table_cell(t, "%s", flags ? speedup_reason(&smp, flags, why, sizeof why) : "ok");
        } else {
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
        }
        if (pred) {
            ekm_power_fit f;
            m = bench_series(cells, n_cells, ser[i].strategy, ser[i].threads, x, y,
                             BENCH_MAX_LIST);
            if (have_bfit && m >= 2 && ekm_fit_power(x, y, (size_t)m, &f, NULL) == EKM_OK) {
                double ta = ekm_fit_power_at(&bfit, opt->predict_n);
                double tbp = ekm_fit_power_at(&f, opt->predict_n);
                bench_table_cell(t, "%+.1f %%", ekm_speedup_percent(ta, tbp));
                bench_table_cell(t, "%.2f×", ekm_speedup_ratio(ta, tbp));
            } else {
                bench_table_cell(t, "-");
                bench_table_cell(t, "-");
            }
        }
    }
    bench_table_print(t, out, opt->markdown);
    if (flagged)
        fprintf(out, "%s%s.\n", opt->markdown ? "\n" : "", speedup_legend());
    if (pred)
        fprintf(out, "%sPredicted columns use each series' power-law fit at N=%.0f.\n",
                opt->markdown ? "\n" : "", opt->predict_n);
    bench_table_free(t);
    free(ser);
}

void bench_report(FILE *out, const bench_config *cfg, const bench_results *res,
                  const bench_report_options *opt)
{
    bench_cell *cells;
    int n = bench_cells(res, cfg, &cells);
    if (n < 0) {
        fprintf(out, "(out of memory summarising the benchmark)\n");
        return;
    }
    if (opt->markdown)
        fprintf(out, "### ekm bench: %s, K=%u, %u core%s%s\n", res->dataset, cfg->k, opt->cores,
                opt->cores == 1 ? "" : "s", res->interrupted ? " (interrupted)" : "");
    else
        fprintf(out, "ekm bench: %s, K=%u, %u core%s%s\n", res->dataset, cfg->k, opt->cores,
                opt->cores == 1 ? "" : "s", res->interrupted ? " (interrupted: rows so far)" : "");
    if (res->load_start >= 0) {
        fprintf(out, "%sload average %.2f at the start, %.2f at the end", opt->markdown ? "\n" : "",
                res->load_start, res->load_end);
        if (res->load_start > 0.5 * opt->cores) /* the end counts the benchmark's own threads */
            fprintf(out, ": the machine was busy, so wall times and speedups are noisy; cpu/wall "
                         "below T shows threads waiting for a core");
        fprintf(out, ".\n");
    }
    if (n == 0) {
        fprintf(out, "no run finished\n");
        free(cells);
        return;
    }
    bench_report_runtimes(out, cells, n, cfg, opt->markdown);
    bench_report_fits(out, cells, n, cfg, opt);
    bench_report_speedups(out, cells, n, cfg, opt);
    bench_report_scaling(out, cells, n, cfg, opt);
    bench_report_weak(out, cells, n, cfg, opt);
    free(cells);
}
