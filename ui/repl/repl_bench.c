/* repl_bench.c — `bench` at the prompt: the benchmark runs in the background on a
 * thread of its own (bench_job) while the prompt stays usable; its indicator
 * (runs done / all, the cell running, ETA) stands in front of the prompt, each
 * finished cell enters the workspace's history (so `history` and the dashboard
 * show it at once), `status` shows where it is, `wait` waits, `cancel` or Ctrl-C
 * stops it keeping the runs finished, and when it ends its tables and fits are
 * printed and --plot is drawn (--csv rows are written as they finish).
 *
 * Ownership: everything here runs on the REPL's (main) thread; the benchmark's
 * thread is reached only through bench_job's locked accessors, and the workspace
 * holds the job (ws->bench) so that its end is seen by the TUI too. Without a
 * terminal (scripts) `bench` waits for the end before the next command. */
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "repl/repl_internal.h"
#include "repl/repl_term.h"

/* readline counts the characters between \001 and \002 as taking no room */
#define RL_INVISIBLE(seq) "\001" seq "\002"

/* The history record of a benchmark's cell. */
static void cell_record(const bench_cell *c, const char *dataset, ekm_metric metric, run_record *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->dataset, sizeof r->dataset, "%s", dataset);
    r->metric = metric;
    r->strategy = c->strategy;
    r->n = c->n;
    r->k = c->k;
    r->threads = c->threads;
    r->exact = ekm_strategy_is_exact(c->strategy);
    r->state = EKM_RUN_DONE;
    r->seconds = c->median;
    r->seconds_min = c->min;
    r->seconds_max = c->max;
    r->runs = (unsigned)c->count;
    r->objective = c->objective;
    r->evaluated = c->evaluated;
    r->pruned = c->pruned;
    r->amdahl_bound = c->plan_bound;
    r->cpu_wall = c->median > 0 && c->cpu_median > 0 ? c->cpu_median / c->median : -1;
    r->load = -1;
    r->predicted_speedup = c->plan_makespan > 0 ? (double)c->total / c->plan_makespan : 1;
    const char *p = c->medoids;
    for (unsigned i = 0; i < c->k && i < EKM_MAX_K; i++) {
        char *end;
        unsigned long m = strtoul(p, &end, 10);
        if (end == p)
            break;
        r->medoids[i] = (uint32_t)m;
        p = end;
    }
}

/* ---- the workspace's view of the benchmark (workspace_task_ops) ---- */

static int bench_running(void *task) { return !bench_job_done(task); }

/* Each cell finished since the last call enters the history as one record: state
 * done, `runs` timed runs. */
static size_t bench_take_runs(void *task, workspace *ws)
{
    bench_job *job = task;
    enum { BATCH = 16 };
    bench_cell cells[BATCH];
    const char *dataset = bench_job_dataset(job);
    ekm_metric metric = bench_job_request(job)->cfg.metric;
    size_t added = 0, got;
    while ((got = bench_job_take_cells(job, &ws->bench_cells_taken, cells, BATCH)) > 0) {
        for (size_t i = 0; i < got; i++) {
            run_record r;
            cell_record(&cells[i], dataset, metric, &r);
            workspace_add_run(ws, &r);
        }
        added += got;
    }
    return added;
}

static void bench_destroy(void *task) { bench_job_destroy(task); }

static const workspace_task_ops bench_ops = {bench_running, bench_take_runs, bench_destroy};

int repl_bench_start(repl_session *s, int argc, char **argv)
{
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a job is running: 'wait' for it or 'cancel' it first (it would skew "
                          "the timings)");
    if (workspace_bench_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a benchmark is running: 'wait' for it or 'cancel' it first "
                          "(Ctrl-C stops it)");
    repl_bench_collect(s); /* one that ended and was not reported yet */
    bench_request a;
    char err[1200];
    if (bench_request_parse(argc, argv, &a, err, sizeof err))
        return repl_error(s, REPL_USAGE, "%s", err);
    if (a.kernel) {
        bench_request_free(&a);
        return repl_error(s, REPL_USAGE, "bench: --kernel runs in the foreground only");
    }
    bench_job *job;
    int rc = bench_job_start(&a, &job, err, sizeof err);
    bench_request_free(&a);
    if (rc)
        return repl_error(s, REPL_FAIL, "%s", err);
    workspace_attach_bench(&s->ws, job, &bench_ops);
    const bench_config *cfg = &bench_job_request(job)->cfg;
    int cells = bench_grid_cells(cfg);
    unsigned long long runs = (unsigned long long)cells * (cfg->warmup + cfg->repeat);
    repl_note(s,
              "started bench on %s: K=%u, %d cell%s, %llu runs (%u warm-up%s + %u timed "
              "each); each cell enters 'history' as it ends; 'status', 'wait', 'cancel' "
              "(keeps the runs finished)",
              bench_job_dataset(job), cfg->k, cells, cells == 1 ? "" : "s", runs, cfg->warmup,
              cfg->warmup == 1 ? "" : "s", cfg->repeat);
    return REPL_OK;
}

int repl_bench_fd(repl_session *s) { return s->ws.bench ? bench_job_fd(s->ws.bench) : -1; }

int repl_bench_ended(repl_session *s) { return s->ws.bench && bench_job_done(s->ws.bench); }

void repl_bench_badge(const bench_status *st, int stopping, char *buf, size_t size)
{
    if (!st->runs) {
        snprintf(buf, size, "[bench %s]", stopping ? "stopping" : "starting");
        return;
    }
    char eta[32];
    bench_format_duration(st->eta, eta, sizeof eta);
    if (stopping)
        snprintf(buf, size, "[bench stopping %zu/%zu]", st->run, st->runs);
    else
        snprintf(buf, size, "[bench %zu/%zu %s N=%zu T=%u ETA %s]", st->run, st->runs,
                 ekm_strategy_name(st->strategy), st->n, st->threads, eta);
}

int repl_bench_prompt(repl_session *s, char *buf, size_t size)
{
    if (!s->ws.bench)
        return 0;
    bench_status st;
    bench_job_status(s->ws.bench, &st);
    char badge[192], rest[768];
    repl_bench_badge(&st, bench_job_cancelled(s->ws.bench), badge, sizeof badge);
    repl_prompt(&s->ws, NULL, s->color, rest, sizeof rest);
    if (s->color)
        snprintf(buf, size, RL_INVISIBLE(REPL_YELLOW) "%s" RL_INVISIBLE(REPL_RESET) " %s", badge,
                 rest);
    else
        snprintf(buf, size, "%s %s", badge, rest);
    return 1;
}

/* Take the cells finished since the last call into the history; without a
 * terminal and without --quiet, say so for each (as `ekm bench` does on a pipe). */
static void take_cells(repl_session *s)
{
    size_t before = s->ws.n_history;
    workspace_take_bench_cells(&s->ws);
    if (s->interactive || !s->ws.bench || bench_job_request(s->ws.bench)->quiet)
        return;
    bench_status st;
    bench_job_status(s->ws.bench, &st);
    for (size_t i = before; i < s->ws.n_history; i++) {
        const run_record *r = &s->ws.history[i];
        char sec[32];
        fprintf(s->err, "bench: %zu/%zu runs; %s N=%zu T=%u: %s (median of %u)\n", st.run,
                st.runs, ekm_strategy_name(r->strategy), r->n, r->threads,
                bench_format_seconds(r->seconds, sec, sizeof sec), r->runs);
    }
    fflush(s->err);
}

int repl_bench_collect(repl_session *s)
{
    if (!repl_bench_ended(s))
        return -1;
    take_cells(s);
    bench_job *job = workspace_detach_bench(&s->ws);
    size_t cells = bench_job_cells_done(job);
    const bench_request *a = bench_job_request(job);
    const bench_results *res = bench_job_results(job);
    bench_status st;
    bench_job_status(job, &st);
    char err[1200];
    int csv_failed, st_out = REPL_OK;
    int rc = bench_job_outcome(job, err, sizeof err, &csv_failed);
    fflush(s->out);
    if (rc)
        st_out = repl_error(s, REPL_FAIL, "bench: %s", err);
    if (csv_failed) {
        char why[1200];
        st_out = repl_error(s, REPL_FAIL, "bench: --csv: %s",
                            bench_job_csv_error(job, why, sizeof why));
    }
    if (!rc) {
        bench_report_options ro = {.markdown = a->markdown, .predict_n = a->predict_n,
                                   .cores = ekm_cpu_count()};
        bench_report(s->out, &a->cfg, res, &ro);
        fflush(s->out);
        if (a->plot_path[0] && res->n) {
            char scaling[1100];
            bench_scaling_path(a->plot_path, scaling, sizeof scaling);
            int sc = bench_has_scaling(&a->cfg);
            if (bench_plot(&a->cfg, res, a->plot_path, sc ? scaling : NULL, err, sizeof err))
                st_out = repl_error(s, REPL_FAIL, "bench: --plot: %s", err);
            else
                repl_note(s, "bench: wrote %s%s%s", a->plot_path, sc ? " and " : "",
                          sc ? scaling : "");
        }
    }
    char el[32];
    bench_format_duration(st.elapsed, el, sizeof el);
    const char *csv_note = a->csv_path[0] ? ", rows in " : "";
    const char *csv_name = a->csv_path[0] ? a->csv_path : "";
    if (res && res->interrupted) {
        repl_note(s,
                  "%sbench stopped:%s %zu timed run%s of %s kept after %s (%zu cell%s in "
                  "'history'%s%s)",
                  repl_color(s, REPL_YELLOW), repl_color(s, REPL_RESET), res->n,
                  res->n == 1 ? "" : "s", bench_job_dataset(job), el, cells,
                  cells == 1 ? "" : "s", csv_note, csv_name);
        if (st_out < REPL_FAIL)
            st_out = REPL_FAIL; /* as a cancelled job: the grid is not complete */
    } else if (!rc) {
        repl_note(s, "%sbench done:%s %zu cell%s of %s in %s, in 'history'%s%s",
                  repl_color(s, REPL_GREEN), repl_color(s, REPL_RESET), cells,
                  cells == 1 ? "" : "s", bench_job_dataset(job), el, csv_note, csv_name);
    }
    bench_job_destroy(job);
    if (st_out > s->status)
        s->status = st_out;
    return st_out;
}

int repl_bench_wait(repl_session *s)
{
    bench_job *job = s->ws.bench;
    if (!job)
        return REPL_OK;
    int live = s->interactive && !bench_job_request(job)->quiet, drawn = 0;
    int utf8 = repl_utf8();
    while (!bench_job_wait_for(job, 0.2)) {
        repl_signal_drain();
        if (repl_take_interrupt() || repl_termination_requested()) {
            if (!bench_job_cancelled(job)) {
                if (drawn)
                    fprintf(s->out, "\r\033[K");
                drawn = 0;
                repl_note(s, "stopping the benchmark (Ctrl-C): the runs finished are kept...");
            }
            bench_job_cancel(job);
        }
        take_cells(s);
        if (live) {
            bench_status st;
            if (!bench_job_status(job, &st))
                continue;
            char line[512];
            bench_progress_line(&st, line, sizeof line, 20, utf8);
            repl_status_line(s->out, line);
            drawn = 1;
        }
    }
    if (drawn) {
        fprintf(s->out, "\r\033[K");
        fflush(s->out);
    }
    return repl_bench_collect(s);
}

int repl_bench_cancel(repl_session *s)
{
    if (!s->ws.bench)
        return REPL_OK;
    if (!bench_job_done(s->ws.bench))
        bench_job_cancel(s->ws.bench);
    while (!bench_job_wait_for(s->ws.bench, 1)) {
    }
    repl_bench_collect(s);
    return REPL_OK; /* as `cancel` of a job: the cancelling worked */
}

int repl_bench_status(repl_session *s)
{
    bench_job *job = s->ws.bench;
    if (!job)
        return REPL_OK;
    take_cells(s);
    const bench_config *cfg = &bench_job_request(job)->cfg;
    bench_status st;
    int has = bench_job_status(job, &st);
    size_t cells = bench_job_cells_done(job);
    int all = bench_grid_cells(cfg);
    const char *state = bench_job_done(job)          ? "ended"
                        : bench_job_cancelled(job) ? "stopping"
                                                   : "running";
    fprintf(s->out, "bench %s on %s, K=%u: %zu of %d cell%s done (in 'history')\n", state,
            bench_job_dataset(job), cfg->k, cells, all, all == 1 ? "" : "s");
    if (has) {
        char line[512];
        bench_progress_line(&st, line, sizeof line, 20, s->interactive && repl_utf8());
        fprintf(s->out, "  %s\n", line);
    }
    fflush(s->out);
    return REPL_OK;
}
