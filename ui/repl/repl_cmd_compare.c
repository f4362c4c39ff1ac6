/* repl_cmd_compare.c — `compare`: the exact optimum (pruned branch and bound) beside
 * the heuristics (pam, fasterpam, clarans, alternate) on the loaded data, one after
 * the other in the foreground (Ctrl-C cancels). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/load_report.h"
#include "repl/repl_internal.h"

static const ekm_strategy compared[] = {EKM_STRATEGY_PRUNED, EKM_STRATEGY_PAM,
                                        EKM_STRATEGY_FASTERPAM, EKM_STRATEGY_CLARANS,
                                        EKM_STRATEGY_ALTERNATE};

/* Run one strategy to the end; NULL (with a line said) when it failed or was cancelled. */
static ekm_result *solve_one(repl_session *s, ekm_strategy strategy, int *interrupted)
{
    ekm_solve_options opt = s->ws.settings.solve;
    opt.strategy = strategy;
    ekm_job *job;
    ekm_error e;
    char msg[600];
    if (ekm_job_start(s->ws.dm, &opt, &job, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        repl_error(s, REPL_FAIL, "compare: %s: %s", ekm_strategy_name(strategy), msg);
        return NULL;
    }
    *interrupted = repl_wait_job(s, job);
    ekm_result *r = ekm_job_take_result(job);
    if (!r && !*interrupted) {
        ekm_job_status(job, &e);
        ekm_error_format(&e, msg, sizeof msg);
        repl_error(s, REPL_FAIL, "compare: %s: %s", ekm_strategy_name(strategy), msg);
    }
    ekm_job_free(job);
    return r;
}

static void medoid_list(const ekm_result *r, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "{");
    for (unsigned i = 0; i < r->k && o + 12 < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%u", i ? "," : "", r->medoids[i]);
    snprintf(buf + o, size - o, "}");
}

int repl_cmd_compare(repl_session *s, int argc, char **argv)
{
    /* the options of run (-k, --threads, --metric, --seed...): they stay, as with run */
    ui_settings next = s->ws.settings;
    const char *pos[1];
    int npos;
    char err[1200];
    if (settings_parse_argv(&next, OPT_SOLVE, argc, argv, 1, pos, 0, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "compare: %s", err);
    if (!s->ws.dm)
        return repl_error(s, REPL_FAIL, "no data loaded: use 'load FILE' or 'gen uniform --n N'");
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL, "a job is running: 'wait' for it or 'cancel' it first");
    if (workspace_bench_running(&s->ws)) /* it would skew the benchmark's timings */
        return repl_error(s, REPL_FAIL, "a benchmark is running: 'wait' for it or 'cancel' it first");
    if (next.solve.k > ekm_dissim_n(s->ws.dm))
        return repl_error(s, REPL_USAGE, "K=%u exceeds the number of points N=%zu", next.solve.k,
                          ekm_dissim_n(s->ws.dm));
    s->ws.settings = next;
    const ekm_solve_options *o = &s->ws.settings.solve;
    char data[256];
    repl_note(s, "compare on %s: N=%zu K=%u metric=%s, %u threads for pruned, seed %llu",
              workspace_data_name(&s->ws, data, sizeof data), ekm_dissim_n(s->ws.dm), o->k,
              ekm_metric_name(ekm_dissim_metric(s->ws.dm)), o->threads,
              (unsigned long long)o->seed);
    enum { COUNT = sizeof compared / sizeof compared[0] };
    ekm_result *res[COUNT] = {0};
    int status = REPL_OK, interrupted = 0;
    for (int i = 0; i < COUNT && !interrupted; i++) {
        res[i] = solve_one(s, compared[i], &interrupted);
        if (!res[i])
            status = REPL_FAIL;
    }
    if (interrupted) {
        repl_note(s, "compare cancelled");
        status = REPL_FAIL;
    }
    const ekm_result *best = res[0];
    fprintf(s->out, "%-10s %16s %10s %10s  %s\n", "strategy", "objective", "gap", "seconds",
            "medoids");
    for (int i = 0; i < COUNT; i++) {
        if (!res[i])
            continue;
        char gap[32], medoids[512];
        /* within the tie window of the optimum: found it, gap 0 (never negative) */
        double g = best && i > 0 ? report_gap_percent(res[i], best) : NAN;
        if (i == 0)
            snprintf(gap, sizeof gap, "optimal");
        else if (isfinite(g))
            snprintf(gap, sizeof gap, "%+.3f%%", g);
        else
            snprintf(gap, sizeof gap, "-");
        medoid_list(res[i], medoids, sizeof medoids);
        int same = best && i > 0 && !memcmp(best->medoids, res[i]->medoids,
                                            best->k * sizeof *best->medoids);
        int tied = !same && best && i > 0 && report_found_optimum(res[i], best);
        fprintf(s->out, "%-10s %16.10g %10s %10.4f  %s%s\n", ekm_strategy_name(compared[i]),
                res[i]->objective, gap, res[i]->seconds, medoids,
                same ? "  (the optimal medoids)" : tied ? "  (tied with the optimum)" : "");
    }
    fflush(s->out);
    for (int i = 0; i < COUNT; i++)
        ekm_result_free(res[i]);
    return status;
}
