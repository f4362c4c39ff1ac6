/* bench_scaling.c — thread scaling: measured speedup t(1)/t(T) per strategy,
 * the parallel fraction p fitted to it, and the Amdahl and Gustafson
 * predictions for that p (the study's eqs. 1-2) beside the plan's own
 * prediction. Small N shows the parallel slowdown honestly. */
#include <math.h>
#include <stdlib.h>

#include "bench/bench.h"

static void heading(FILE *out, int markdown, const char *title)
{
    if (markdown)
        fprintf(out, "\n#### %s\n\n", title);
    else
        fprintf(out, "\n%s\n", title);
}

/* 1 when strategy s has a T=1 cell and a T>1 cell at some N. */
static int scales(const bench_cell *cells, int n_cells, ekm_strategy s)
{
    int one = 0, more = 0;
    for (int i = 0; i < n_cells; i++)
        if (cells[i].strategy == s) {
            one |= cells[i].threads == 1;
            more |= cells[i].threads > 1;
        }
    return one && more;
}

/* Rows of the detailed table for (s, n); returns the number of slowdowns seen. */
static int detail_rows(bench_table *t, const bench_cell *cells, int n_cells, ekm_strategy s,
                       size_t n, unsigned cores, int *flagged)
{
    const bench_cell *one = bench_cell_find(cells, n_cells, s, n, 1);
    double th[BENCH_MAX_LIST], sp[BENCH_MAX_LIST];
    int m = bench_thread_speedups(cells, n_cells, s, n, th, sp, BENCH_MAX_LIST);
    if (m < 2)
        return 0;
    ekm_parallel_fit pf;
    int have_p = ekm_fit_parallel_fraction(th, sp, (size_t)m, &pf, NULL) == EKM_OK;
    int slow = 0;
    for (int i = 0; i < m; i++) {
        const bench_cell *c = bench_cell_find(cells, n_cells, s, n, (unsigned)th[i]);
        char b[32];
        bench_table_cell(t, "%s", ekm_strategy_name(s));
        bench_table_cell(t, "%zu", n);
        bench_table_cell(t, "%u%s", c->threads, c->threads > cores ? " (over)" : "");
        bench_table_cell(t, "%s", bench_format_seconds(c->median, b, sizeof b));
        speedup_sample smp;
        speedup_sample_init(&smp);
        int flags = one ? bench_judge(c, one, sp[i], cores, &smp) : 0;
        *flagged |= flags;
        bench_table_cell(t, "%.2f×%s%s", sp[i], speedup_mark(flags), sp[i] < 1 ? " slower" : "");
        bench_table_cell(t, "%.0f %%%s", 100 * sp[i] / th[i], speedup_mark(flags));
        bench_table_cell(t, "%.2f×",
                         c->plan_makespan > 0 ? (double)c->total / c->plan_makespan : 1.0);
        if (have_p) {
            bench_table_cell(t, "%.3f", pf.raw);
            bench_table_cell(t, "%.2f×", ekm_amdahl(pf.p, th[i]));
            bench_table_cell(t, "%.2f×", ekm_gustafson(pf.p, th[i]));
        } else {
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
            bench_table_cell(t, "-");
        }
        char why[120];
        bench_table_cell(t, "%s", flags ? speedup_reason(&smp, flags, why, sizeof why) : "ok");
        slow += sp[i] < 1 && th[i] > 1;
    }
    return slow;
}

void bench_report_scaling(FILE *out, const bench_cell *cells, int n_cells,
                          const bench_config *cfg, const bench_report_options *opt)
{
    int any = 0;
    for (int s = 0; s < cfg->n_strategies; s++)
        any |= scales(cells, n_cells, cfg->strategies[s]);
    if (!any)
        return;
    size_t nmin = 0, nmax = 0;
    for (int i = 0; i < n_cells; i++) {
        if (!nmin || cells[i].n < nmin)
            nmin = cells[i].n;
        if (cells[i].n > nmax)
            nmax = cells[i].n;
    }
    heading(out, opt->markdown,
            "Thread scaling: speedup t(1)/t(T), p fitted (least squares over T), Amdahl "
            "1/((1-p)+p/T) and Gustafson (1-p)+p·T");
    static const char *const cols[] = {"strategy", "N", "T", "median", "speedup", "efficiency",
                                       "plan speedup", "p", "Amdahl(p)", "Gustafson(p)", "check"};
    static const int rcols[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    bench_table *t = bench_table_new(11);
    int flagged = 0;
    bench_table_header(t, cols, rcols);
    int slow = 0;
    for (int s = 0; s < cfg->n_strategies; s++) {
        ekm_strategy st = cfg->strategies[s];
        if (!scales(cells, n_cells, st))
            continue;
        if (nmin != nmax)
            slow += detail_rows(t, cells, n_cells, st, nmin, opt->cores, &flagged);
        slow += detail_rows(t, cells, n_cells, st, nmax, opt->cores, &flagged);
    }
    bench_table_print(t, out, opt->markdown);
    bench_table_free(t);
    if (opt->markdown)
        fputc('\n', out);
    fprintf(out,
            "p is the fitted parallel fraction (negative: more threads made it slower); "
            "\"plan speedup\" is the plan's own prediction (stage totals scheduled on T threads); "
            "\"(over)\" marks more threads than the %u core%s.\n",
            opt->cores, opt->cores == 1 ? "" : "s");
    if (flagged)
        fprintf(out, "%s; a p above 1 comes from such speedups, not from the plan.\n",
                speedup_legend());
    if (slow)
        fprintf(out,
                "Parallel slowdown: %d cell%s ran slower on more threads than on one; at small N "
                "a run lasts microseconds and starting threads and waiting for merges costs more "
                "than the work they share.\n",
                slow, slow == 1 ? "" : "s");

    /* p against N: how the parallel fraction grows with the problem */
    int nn = cfg->n_ns;
    heading(out, opt->markdown, "Fitted parallel fraction p by N");
    bench_table *tp = bench_table_new(nn + 1);
    const char **names = calloc((size_t)nn + 1, sizeof *names);
    char (*lab)[24] = calloc((size_t)nn + 1, sizeof *lab);
    int *right = calloc((size_t)nn + 1, sizeof *right);
    if (tp && names && lab && right) {
        names[0] = "strategy";
        for (int i = 0; i < nn; i++) {
            snprintf(lab[i + 1], sizeof lab[i + 1], "N=%zu", cfg->ns[i]);
            names[i + 1] = lab[i + 1];
            right[i + 1] = 1;
        }
        bench_table_header(tp, names, right);
        for (int s = 0; s < cfg->n_strategies; s++) {
            ekm_strategy st = cfg->strategies[s];
            if (!scales(cells, n_cells, st))
                continue;
            bench_table_cell(tp, "%s", ekm_strategy_name(st));
            for (int i = 0; i < nn; i++) {
                double th[BENCH_MAX_LIST], sp[BENCH_MAX_LIST];
                int m = bench_thread_speedups(cells, n_cells, st, cfg->ns[i], th, sp,
                                              BENCH_MAX_LIST);
                ekm_parallel_fit pf;
                if (m >= 2 && ekm_fit_parallel_fraction(th, sp, (size_t)m, &pf, NULL) == EKM_OK)
                    bench_table_cell(tp, "%.3f", pf.raw);
                else
                    bench_table_cell(tp, "-");
            }
        }
        bench_table_print(tp, out, opt->markdown);
    }
    bench_table_free(tp);
    free(names);
    free(lab);
    free(right);
}
