/* bench_weak.c — weak scaling (Gustafson measured): `ekm bench --weak` grows N
 * with the threads so that the work per thread stays the same, then reads the
 * scaled speedup and the serial fraction off the runs.
 *
 * An exhaustive run evaluates C(N,K) K-subsets at N point-evaluations each, so
 * its work is W(N) = C(N,K)·N. From N_1 (the --n given) the size on T threads
 * is the whole N_T whose W(N_T) is nearest to T·W(N_1). The scaled speedup of a
 * strategy on T threads is the work done per second against one thread's on
 * N_1: S(T) = (W(N_T) / W(N_1)) · t(N_1, 1) / t(N_T, T), which is T when the
 * time stays flat. Gustafson's law with s the serial fraction reads
 * S(T) = s + (1 - s)·T = T - s·(T - 1); s is fitted by least squares:
 * T - S = s·(T - 1), s = Σ(T-S)(T-1) / Σ(T-1)². */
#include <math.h>
#include <stdlib.h>

#include "bench/bench.h"

double bench_weak_work(size_t n, unsigned k)
{
    if (n < k)
        return 0;
    double c = 1;
    for (unsigned i = 1; i <= k; i++)
        c = c * (double)(n - k + i) / (double)i;
    return c * (double)n;
}

int bench_weak_sizes(size_t n1, unsigned k, const unsigned *threads, int n_threads, size_t *out,
                     char *err, size_t errsize)
{
    if (n1 < k || k == 0) {
        snprintf(err, errsize, "--weak needs N >= K at one thread (N=%zu, K=%u)", n1, k);
        return -1;
    }
    double w1 = bench_weak_work(n1, k);
    for (int i = 0; i < n_threads; i++) {
        double target = (double)threads[i] * w1;
        size_t n = n1;
        while (bench_weak_work(n + 1, k) <= target && n < 1000000)
            n++;
        /* n: the largest with W(n) <= target; n + 1 may be nearer */
        if (target - bench_weak_work(n, k) > bench_weak_work(n + 1, k) - target)
            n++;
        if (n > 1000000) {
            snprintf(err, errsize, "--weak: N on %u threads would exceed 1000000", threads[i]);
            return -1;
        }
        out[i] = n;
    }
    return 0;
}

int bench_weak_series(const bench_cell *cells, int n_cells, ekm_strategy s, unsigned cores,
                      bench_weak_point *out, int max)
{
    const bench_cell *one = NULL;
    for (int i = 0; i < n_cells; i++)
        if (cells[i].strategy == s && cells[i].threads == 1 && cells[i].median > 0 &&
            (!one || cells[i].n < one->n))
            one = &cells[i];
    if (!one)
        return 0;
    double w1 = bench_weak_work(one->n, one->k);
    int m = 0;
    for (int i = 0; i < n_cells && m < max; i++) {
        const bench_cell *c = &cells[i];
        if (c->strategy != s || !(c->median > 0) || (c->threads == 1 && c != one))
            continue;
        bench_weak_point *p = &out[m++];
        p->threads = c->threads;
        p->n = c->n;
        p->work_ratio = bench_weak_work(c->n, c->k) / w1;
        p->seconds = c->median;
        p->scaled_speedup = p->work_ratio * one->median / c->median;
        p->efficiency = p->scaled_speedup / c->threads;
        /* a scaled speedup is bounded by the threads and cores like any other */
        bench_cell plain = *c;
        plain.plan_bound = 0;
        p->flags = bench_judge(&plain, one, p->scaled_speedup, cores, &p->check);
    }
    return m;
}

int bench_weak_fit(const bench_weak_point *pts, int n, double *serial)
{
    double num = 0, den = 0;
    for (int i = 0; i < n; i++) {
        double t1 = (double)pts[i].threads - 1;
        num += ((double)pts[i].threads - pts[i].scaled_speedup) * t1;
        den += t1 * t1;
    }
    if (!(den > 0))
        return -1;
    *serial = num / den;
    return 0;
}

static void heading(FILE *out, int markdown, const char *title)
{
    if (markdown)
        fprintf(out, "\n#### %s\n\n", title);
    else
        fprintf(out, "\n%s\n", title);
}

void bench_report_weak(FILE *out, const bench_cell *cells, int n_cells, const bench_config *cfg,
                       const bench_report_options *opt)
{
    if (!cfg->weak)
        return;
    heading(out, opt->markdown,
            "Weak scaling (Gustafson): N grown with T so that each thread has the work of one "
            "thread at the first N");
    fprintf(out, "work W(N) = C(N,K)·N; N on T threads: the whole N with W(N) nearest T·W(N_1):");
    for (int i = 0; i < cfg->n_threads && i < cfg->n_ns; i++)
        fprintf(out, "%s T=%u N=%zu", i ? "," : "", cfg->threads[i], cfg->ns[i]);
    fprintf(out, ".\n%s", opt->markdown ? "\n" : "");
    static const char *const cols[] = {"strategy", "T",       "N",         "work ×",
                                       "median",   "scaled S", "efficiency", "check"};
    static const int rcols[] = {0, 1, 1, 1, 1, 1, 1, 0};
    bench_table *t = bench_table_new(8);
    bench_table_header(t, cols, rcols);
    bench_table *tf = bench_table_new(4);
    static const char *const fcols[] = {"strategy", "serial fraction s", "parallel 1-s",
                                        "Gustafson S(T) at the largest T"};
    static const int frcols[] = {0, 1, 1, 1};
    bench_table_header(tf, fcols, frcols);
    int flagged = 0, fits = 0;
    for (int si = 0; si < cfg->n_strategies; si++) {
        ekm_strategy s = cfg->strategies[si];
        bench_weak_point pts[BENCH_MAX_LIST];
        int m = bench_weak_series(cells, n_cells, s, opt->cores, pts, BENCH_MAX_LIST);
        if (m < 2)
            continue;
        for (int i = 0; i < m; i++) {
            char b[32], why[120];
            flagged |= pts[i].flags;
            bench_table_cell(t, "%s", ekm_strategy_name(s));
            bench_table_cell(t, "%u", pts[i].threads);
            bench_table_cell(t, "%zu", pts[i].n);
            bench_table_cell(t, "%.3f", pts[i].work_ratio);
            bench_table_cell(t, "%s", bench_format_seconds(pts[i].seconds, b, sizeof b));
            bench_table_cell(t, "%.2f×%s", pts[i].scaled_speedup, speedup_mark(pts[i].flags));
            bench_table_cell(t, "%.0f %%", 100 * pts[i].efficiency);
            bench_table_cell(t, "%s",
                             pts[i].flags
                                 ? speedup_reason(&pts[i].check, pts[i].flags, why, sizeof why)
                                 : "ok");
        }
        double serial;
        if (bench_weak_fit(pts, m, &serial) == 0) {
            unsigned tmax = 1;
            for (int i = 0; i < m; i++)
                if (pts[i].threads > tmax)
                    tmax = pts[i].threads;
            bench_table_cell(tf, "%s", ekm_strategy_name(s));
            bench_table_cell(tf, "%.3f", serial);
            bench_table_cell(tf, "%.3f", 1 - serial);
            bench_table_cell(tf, "%.2f× on %u", ekm_gustafson(1 - serial, tmax), tmax);
            fits++;
        }
    }
    bench_table_print(t, out, opt->markdown);
    if (flagged)
        fprintf(out, "%s%s.\n", opt->markdown ? "\n" : "", speedup_legend());
    if (fits) {
        heading(out, opt->markdown, "Gustafson fit: S(T) = T - s·(T - 1), s by least squares");
        bench_table_print(tf, out, opt->markdown);
        fprintf(out, "%ss near 0: the work grows with the threads and each keeps busy; s near 1: "
                     "the extra threads add nothing (a merge on one thread holds the work).\n",
                opt->markdown ? "\n" : "");
    }
    bench_table_free(t);
    bench_table_free(tf);
}
