/* tui_keys.c — what each key does: run, cancel, change the strategy, threads, K or
 * partitions, load a file (a prompt on the bottom line), open the plot window (which
 * follows a running job's best medoids, then shows its result), show the help,
 * quit; and the status line's account of each. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/estimate.h"
#include "common/load_report.h"
#include "common/quality_report.h"
#include "plot/plot_silhouette.h"
#include "plot/plot.h"
#include "tui/tui_internal.h"


void tui_app_status(tui_app *a, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->status_error = error;
}

static void ask(tui_app *a, tui_input_kind kind, const char *prompt, const char *initial)
{
    a->input = kind;
    snprintf(a->prompt, sizeof a->prompt, "%s", prompt);
    snprintf(a->text, sizeof a->text, "%s", initial ? initial : "");
}

static int refuse_while_running(tui_app *a)
{
    if (!workspace_running(a->ws))
        return 0;
    tui_app_status(a, 1, "a job is running: c cancels it, then change the settings");
    return 1;
}

static void describe_plan(tui_app *a, const char *what)
{
    const ekm_solve_options *o = &a->ws->settings.solve;
    char b[32], msg[600];
    ekm_plan *plan = tui_settings_plan(a->ws, msg, sizeof msg);
    if (!plan && msg[0]) {
        tui_app_status(a, 1, "%s: %s", what, msg);
    } else if (!plan || !ekm_strategy_is_exact(o->strategy)) {
        tui_app_status(a, 0, "%s: %s, K=%u, %u thread%s%s", what, ekm_strategy_name(o->strategy),
                       o->k, o->threads, o->threads == 1 ? "" : "s",
                       ekm_strategy_is_exact(o->strategy) ? "" : " (a heuristic: not exact)");
    } else {
        tui_app_status(a, 0, "%s: %s, K=%u, %d stage%s on %u thread%s, bound %s", what,
                       ekm_strategy_name(o->strategy), o->k, plan->n_stages,
                       plan->n_stages == 1 ? "" : "s", plan->threads,
                       plan->threads == 1 ? "" : "s",
                       tui_fmt_ratio(b, sizeof b, plan->amdahl_bound, a->grid.utf8));
    }
    ekm_plan_free(plan);
}

/* Returns 1 when a job was started (it may have ended already). */
static int start_run(tui_app *a, int confirmed)
{
    workspace *ws = a->ws;
    if (workspace_running(ws)) {
        tui_app_status(a, 1, "a job is running: c cancels it");
        return 0;
    }
    if (!ws->dm) {
        tui_app_status(a, 1, "no data loaded: l loads a CSV file");
        return 0;
    }
    char err[1024];
    if (!confirmed) { /* the settings as they are now: keys may come faster than frames */
        run_estimate est; /* the batch and REPL estimate: pruned and heuristics have none */
        estimate_run(ws->dm, ekm_dissim_n(ws->dm), &ws->settings.solve, 1.0, &est);
        if (estimate_is_long(&est)) { /* over an hour */
            char t[32], q[256];
            snprintf(q, sizeof q, "This plan should take about %s on %u thread%s. Start it? (y/n)",
                     tui_fmt_seconds(t, sizeof t, est.seconds), est.threads,
                     est.threads == 1 ? "" : "s");
            ask(a, TUI_INPUT_CONFIRM, q, NULL);
        }
        if (a->input == TUI_INPUT_CONFIRM)
            return 0;
    }
    if (workspace_run(ws, err, sizeof err)) {
        tui_app_status(a, 1, "%s", err);
        return 0;
    }
    a->job_data_gen = a->data_gen;
    a->simulate = 0; /* the new run shows as measured */
    plot_follow_reset(&a->plot_live); /* an open plot window follows the new job, */
    a->plotted = ws->result;          /* and owes the user no older result any more */
    a->meters_of = NULL;
    a->plan_scroll = 0;
    ekm_progress p;
    ekm_job_progress(ws->job, &p);
    tui_app_status(a, 0, "started %s: K=%u, %d stage%s on %u thread%s",
                   ekm_strategy_name(p.strategy), p.k, p.n_stages, p.n_stages == 1 ? "" : "s",
                   p.threads, p.threads == 1 ? "" : "s");
    return 1;
}

static void cancel_run(tui_app *a)
{
    a->repeat_total = 0; /* R's runs stop here, even between two of them */
    if (!workspace_running(a->ws)) {
        tui_app_status(a, 0, "no job is running");
        return;
    }
    workspace_cancel(a->ws);
    a->repeat_total = 0;
    tui_app_status(a, 0, "cancelling...");
}

int tui_app_interrupt(tui_app *a)
{
    if (!workspace_running(a->ws))
        return 0;
    workspace_cancel(a->ws);
    a->repeat_total = 0;
    a->input = TUI_INPUT_NONE; /* a question asked meanwhile is moot */
    a->quit_asked = 0;
    tui_app_status(a, 0, "Ctrl-C: cancelling the job (the history stays); Ctrl-C or q again "
                         "quits");
    return 1;
}

/* R: run the settings TUI_REPEAT_RUNS times; the median enters the history. */
static void start_repeat(tui_app *a)
{
    if (workspace_running(a->ws)) {
        tui_app_status(a, 1, "a job is running: c cancels it");
        return;
    }
    size_t before = a->ws->n_history;
    if (!start_run(a, 0))
        return; /* refused, or a long run's question (not repeated) */
    a->repeat_total = TUI_REPEAT_RUNS;
    a->repeat_done = 0;
    a->repeat_from = before;
    tui_app_status(a, 0, "run 1 of %d: the median of the %d is the figure", TUI_REPEAT_RUNS,
                   TUI_REPEAT_RUNS);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The repeat's last run is in: its median (min-max) enters the history. */
static void finish_repeat(tui_app *a)
{
    workspace *ws = a->ws;
    double t[TUI_REPEAT_RUNS];
    int n = 0;
    run_record sum = ws->history[ws->n_history - 1];
    for (size_t i = a->repeat_from; i < ws->n_history && n < TUI_REPEAT_RUNS; i++) {
        t[n++] = ws->history[i].seconds;
        if (ws->history[i].load > sum.load)
            sum.load = ws->history[i].load;
    }
    a->repeat_total = 0;
    if (n == 0)
        return;
    qsort(t, (size_t)n, sizeof t[0], cmp_double);
    sum.seconds = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    sum.seconds_min = t[0];
    sum.seconds_max = t[n - 1];
    sum.runs = (unsigned)n;
    sum.repeated = 1;
    workspace_add_run(ws, &sum);
    const run_record *r = &ws->history[ws->n_history - 1];
    speedup_sample smp;
    int flags = workspace_speedup(ws, r, &smp);
    char t1[32], t2[32], t3[32], b1[32], why[120], tail[200] = "";
    if (flags && r->strategy != EKM_STRATEGY_SEQ)
        snprintf(tail, sizeof tail, "; speedup %s%s vs seq%s%s",
                 tui_fmt_ratio(b1, sizeof b1, smp.speedup, a->grid.utf8), speedup_mark(flags),
                 flags & 0xff ? ": " : "",
                 flags & 0xff ? speedup_reason(&smp, flags & 0xff, why, sizeof why) : "");
    tui_app_status(a, 0, "%s, %d runs: median %s (%s-%s)%s", ekm_strategy_name(r->strategy), n,
                   tui_fmt_seconds(t1, sizeof t1, sum.seconds),
                   tui_fmt_seconds(t2, sizeof t2, t[0]), tui_fmt_seconds(t3, sizeof t3, t[n - 1]),
                   tail);
}

void tui_app_collected(tui_app *a)
{
    workspace *ws = a->ws;
    const run_record *r = &ws->history[ws->n_history - 1];
    const char *name = ekm_strategy_name(r->strategy);
    char t[32], b1[32], b2[32];
    if (r->state == EKM_RUN_DONE) {
        speedup_sample smp;
        int flags = workspace_speedup(ws, r, &smp);
        char tail[256] = "";
        if (r->strategy != EKM_STRATEGY_SEQ && r->exact) {
            if (flags) {
                char why[120];
                snprintf(tail, sizeof tail, "; speedup %s%s vs seq (bound %s)%s%s",
                         tui_fmt_ratio(b1, sizeof b1, smp.speedup, a->grid.utf8),
                         speedup_mark(flags),
                         tui_fmt_ratio(b2, sizeof b2, r->amdahl_bound, a->grid.utf8),
                         flags & SPEEDUP_ABOVE_BOUND ? " " : "",
                         flags & SPEEDUP_ABOVE_BOUND ? speedup_reason(&smp, flags, why, sizeof why)
                                                     : "");
            } else {
                snprintf(tail, sizeof tail, "; run seq on the same data and K for a speedup");
            }
        }
        quality q; /* the silhouette (and ARI) of a proven optimum */
        a->quality_of = NULL;
        if (r->exact && ws->result && ws->result->exact &&
            quality_compute(&q, ws->result_dm, ws->result, 0) == 0) {
            char sb[64];
            a->quality_of = ws->result;
            a->silhouette = q.mean;
            a->ari = q.tab ? q.tab->agreement.ari : NAN;
            snprintf(tail + strlen(tail), sizeof tail - strlen(tail), "; silhouette %s",
                     quality_format(sb, sizeof sb, q.mean));
            if (q.tab)
                snprintf(tail + strlen(tail), sizeof tail - strlen(tail), ", ARI %.4f",
                         q.tab->agreement.ari);
            quality_free(&q);
        }
        if (r->exact && r->seconds < SPEEDUP_MIN_SECONDS)
            snprintf(tail + strlen(tail), sizeof tail - strlen(tail),
                     "; too short to time well (k raises K)");
        tui_app_status(a, 0, "%s done in %s: objective %.10g%s", name,
                       tui_fmt_seconds(t, sizeof t, r->seconds), r->objective, tail);
    } else if (r->state == EKM_RUN_CANCELLED) {
        tui_app_status(a, 0, "%s cancelled after %s", name,
                       tui_fmt_seconds(t, sizeof t, r->seconds));
    } else {
        ekm_error e;
        char msg[600] = "";
        if (ws->job && ekm_job_status(ws->job, &e))
            ekm_error_format(&e, msg, sizeof msg);
        tui_app_status(a, 1, "%s failed: %s", name, msg[0] ? msg : "unknown error");
    }
    if (a->repeat_total) { /* R: the next run, or the median */
        if (r->state != EKM_RUN_DONE) {
            a->repeat_total = 0;
        } else if (++a->repeat_done >= a->repeat_total) {
            finish_repeat(a);
        } else {
            int done = a->repeat_done, total = a->repeat_total;
            if (start_run(a, 1))
                tui_app_status(a, 0, "run %d of %d (the median of the %d is the figure)",
                               done + 1, total, total);
            else
                a->repeat_total = 0;
        }
    }
}

static void cycle_strategy(tui_app *a, int step)
{
    if (refuse_while_running(a))
        return;
    ekm_strategy *s = &a->ws->settings.solve.strategy;
    *s = (ekm_strategy)(((int)*s + step + EKM_STRATEGY_COUNT) % EKM_STRATEGY_COUNT);
    a->ws->settings.strategy_auto = 0; /* chosen by the user from now on */
    describe_plan(a, "strategy");
}

static void change_threads(tui_app *a, int step)
{
    if (refuse_while_running(a))
        return;
    unsigned *t = &a->ws->settings.solve.threads;
    if (*t == 0)
        *t = ekm_cpu_count();
    if ((step < 0 && *t <= 1) || (step > 0 && *t >= EKM_MAX_THREADS)) {
        tui_app_status(a, 1, "threads stay between 1 and %d", EKM_MAX_THREADS);
        return;
    }
    *t = (unsigned)((int)*t + step);
    ekm_strategy s = a->ws->settings.solve.strategy;
    if (s == EKM_STRATEGY_SEQ || s == EKM_STRATEGY_SPLIT || !ekm_strategy_is_exact(s))
        tui_app_status(a, 0, "threads: %u (%s runs on one; the parallel strategies use them)", *t,
                       ekm_strategy_name(s));
    else
        describe_plan(a, "threads");
}

static void change_k(tui_app *a, int step)
{
    if (refuse_while_running(a))
        return;
    unsigned *k = &a->ws->settings.solve.k;
    size_t n = a->ws->dm ? ekm_dissim_n(a->ws->dm) : EKM_MAX_K;
    unsigned hi = n < EKM_MAX_K ? (unsigned)n : EKM_MAX_K;
    if ((step < 0 && *k <= 1) || (step > 0 && *k >= hi)) {
        tui_app_status(a, 1, "K stays between 1 and %u", hi);
        return;
    }
    *k = (unsigned)((int)*k + step);
    describe_plan(a, "K");
}

static void finish_partitions(tui_app *a)
{
    unsigned long long v = 0;
    char err[256];
    const char *t = a->text;
    while (*t == ' ')
        t++;
    if (*t && settings_parse_uint("partitions", t, 1, EKM_PLAN_MAX_PARTS, &v, err, sizeof err)) {
        tui_app_status(a, 1, "%s", err);
        return;
    }
    a->ws->settings.solve.partitions = (unsigned)v;
    a->ws->settings.solve.leaf = 0;
    if (a->ws->settings.solve.strategy != EKM_STRATEGY_TREE) {
        if (v)
            tui_app_status(a, 0, "partitions: %llu (used by the tree strategy: s/S picks it)", v);
        else
            tui_app_status(a, 0, "partitions: two per thread (used by the tree strategy)");
        return;
    }
    describe_plan(a, "partitions");
}

/* 1 while ws->job has not been collected yet (running, or just ended). */
static int job_pending(const workspace *ws) { return ws->job && ws->job_dm; }

static void open_plot(tui_app *a)
{
    workspace *ws = a->ws;
    char err[PLOT_ERR_MAX];
    int following = job_pending(ws);
    if (!following && (!ws->result || !ws->result_dm)) {
        tui_app_status(a, 1, "no result to plot yet: r runs a job first");
        return;
    }
    if (!ekm_dissim_dataset(following ? ws->job_dm : ws->result_dm)) {
        tui_app_status(a, 1, "a precomputed dissimilarity matrix has no points to plot");
        return;
    }
    if (plot_window_available(err, sizeof err)) {
        tui_app_status(a, 1, "%s", err[0] ? err : "plot window not available");
        return;
    }
    if (a->plot && !plot_window_is_open(a->plot))
        tui_app_plot_close(a);
    if (!a->plot && plot_window_open(&a->plot, "ekm", 0, 0, err, sizeof err)) {
        a->plot = NULL;
        tui_app_status(a, 1, "plot window not available: %s", err);
        return;
    }
    a->plotted = NULL; /* a new window: show everything again */
    a->plotted_runs = (size_t)-1;
    a->plot_tl_job = NULL; /* and the timeline */
    a->plot_fresh = 1;
    plot_follow_reset(&a->plot_live);
    tui_app_plot_sync(a);
    if (a->plot && following)
        tui_app_status(a, 0, "plot window open: it follows the job's best medoids; q closes it");
    else if (a->plot)
        tui_app_status(a, 0, "plot window open: s saves a PNG, Tab switches pictures, q closes it");
}

/* The speedup picture: one series per strategy, threads against speedup over seq,
 * for the runs on the same data, N and K as the newest one. */
static void plot_speedups(tui_app *a)
{
    enum { MAX_POINTS = 64 };
    workspace *ws = a->ws;
    if (!ws->n_history)
        return;
    const run_record *ref = &ws->history[ws->n_history - 1];
    double xs[EKM_STRATEGY_COUNT][MAX_POINTS], ys[EKM_STRATEGY_COUNT][MAX_POINTS];
    double bound[EKM_STRATEGY_COUNT] = {0}; /* the newest run's plan bound */
    size_t count[EKM_STRATEGY_COUNT] = {0};
    for (size_t i = 0; i < ws->n_history; i++) {
        const run_record *r = &ws->history[i];
        double speedup = tui_history_speedup(ws, r);
        int st = (int)r->strategy;
        if (speedup <= 0 || !r->exact || r->n != ref->n || r->k != ref->k ||
            r->metric != ref->metric || strcmp(r->dataset, ref->dataset) ||
            st < 0 || st >= EKM_STRATEGY_COUNT || count[st] >= MAX_POINTS)
            continue;
        xs[st][count[st]] = r->threads;
        ys[st][count[st]] = speedup;
        count[st]++;
        bound[st] = r->amdahl_bound;
    }
    plot_series series[EKM_STRATEGY_COUNT];
    size_t n = 0;
    for (int st = 0; st < EKM_STRATEGY_COUNT; st++)
        if (count[st])
            series[n++] = (plot_series){.name = ekm_strategy_name((ekm_strategy)st),
                                        .x = xs[st], .y = ys[st], .n = count[st],
                                        .bound = bound[st]};
    if (!n)
        return;
    char name[128], subtitle[256], err[PLOT_ERR_MAX];
    snprintf(subtitle, sizeof subtitle, "%s, N=%zu, K=%u: seq's time / each run's time",
             tui_fmt_basename(name, sizeof name, ref->dataset), ref->n, ref->k);
    plot_speedup_input in = {.title = "Speedup vs threads", .subtitle = subtitle,
                             .series = series, .n_series = n, .parallel_fraction = NAN};
    /* Amdahl's curve for the newest run's plan: its serial part is the critical path */
    if (ref->exact && ref->amdahl_bound >= 1 && isfinite(ref->amdahl_bound))
        in.parallel_fraction = 1 - 1 / ref->amdahl_bound;
    if (plot_window_update_speedup(a->plot, &in, err, sizeof err))
        tui_app_status(a, 1, "plot: %s", err);
}

/* The job's best medoids so far, while it runs; once more when it has ended. */
static void plot_follow_job(tui_app *a)
{
    workspace *ws = a->ws;
    plot_follow *f = &a->plot_live;
    if (!job_pending(ws) && (f->ended || !f->k))
        return; /* collected, and nothing of it left to show */
    char err[PLOT_ERR_MAX];
    int rc = plot_window_follow(a->plot, f, ws->job, ws->job_dm, err, sizeof err);
    if (rc < 0 && plot_window_is_open(a->plot))
        tui_app_status(a, 1, "plot: %s", err); /* said once: follow stops on an error */
    if (rc > 0 && a->plot_fresh) { /* just opened: the clusters first */
        plot_window_show(a->plot, PLOT_VIEW_CLUSTERS, err, sizeof err);
        a->plot_fresh = 0;
    }
}

void tui_app_plot_sync(tui_app *a)
{
    workspace *ws = a->ws;
    if (!a->plot)
        return;
    char note[PLOT_ERR_MAX];
    if (plot_window_take_note(a->plot, note, sizeof note))
        tui_app_status(a, 1, "%s", note);
    if (!plot_window_is_open(a->plot)) {
        tui_app_plot_close(a);
        return;
    }
    plot_follow_job(a);
    tui_app_plot_timeline(a);
    /* While the window shows a job's medoids (running, or cancelled with its best so
     * far), an older result does not replace them; a job that finished leaves
     * plot_live.k 0, and its result shows. */
    int result_due = a->plotted != ws->result && !a->plot_live.k;
    if (!result_due && a->plotted_runs == ws->n_history)
        return;
    plot_window_state before;
    plot_window_get_state(a->plot, &before);
    char err[PLOT_ERR_MAX];
    if (a->plotted_runs != ws->n_history) {
        tui_app_plot_curves(a);
        plot_speedups(a);
        a->plotted_runs = ws->n_history;
    }
    if (result_due && ws->result && ws->result_dm && ekm_dissim_dataset(ws->result_dm)) {
        plot_scatter_input in;
        plot_scatter_input_from_result(&in, ekm_dissim_dataset(ws->result_dm), ws->result_dm,
                                       ws->result);
        if (plot_window_update_clusters(a->plot, &in, err, sizeof err))
            tui_app_status(a, 1, "plot: %s", err);
        const ekm_result *r = ws->result; /* its silhouette, one Tab away */
        quality_points qp;
        if (r->exact && !quality_points_compute(&qp, ws->result_dm, r)) {
            plot_silhouette_input si;
            plot_silhouette_input_from_points(&si, ekm_dissim_name(ws->result_dm),
                                              ekm_metric_name(ekm_dissim_metric(ws->result_dm)),
                                              &qp);
            plot_window_update_silhouette(a->plot, &si, 0, err, sizeof err);
            quality_points_free(&qp);
        }
    }
    if (result_due)
        a->plotted = ws->result;
    /* updates show the picture they change: go back to the one the user looked at */
    plot_window_show(a->plot, a->plot_fresh ? PLOT_VIEW_CLUSTERS : before.view, err, sizeof err);
    a->plot_fresh = 0;
}

void tui_app_plot_close(tui_app *a)
{
    plot_window_close(a->plot);
    a->plot = NULL;
    a->plotted = NULL;
    plot_follow_reset(&a->plot_live);
}

static void scroll_plan(tui_app *a, int delta)
{
    a->plan_scroll += delta; /* the next render clamps it to what the view can show */
    if (a->plan_scroll < 0)
        a->plan_scroll = 0;
}

static int page(const tui_app *a) { return a->grid.rows > 20 ? a->grid.rows / 2 : 5; }

static void help_key(tui_app *a, int key)
{
    switch (key) {
    case TUI_KEY_UP: a->help_scroll -= a->help_scroll > 0; break;
    case TUI_KEY_DOWN: a->help_scroll++; break;
    case TUI_KEY_PGUP: a->help_scroll -= page(a); break;
    case TUI_KEY_PGDN: a->help_scroll += page(a); break;
    case TUI_KEY_HOME: a->help_scroll = 0; break;
    case TUI_KEY_RESIZE: break;
    default: a->help = 0; return;
    }
    if (a->help_scroll < 0)
        a->help_scroll = 0;
    /* the renderer stops at the last page; keep the offset from running away */
    int lines = 0;
    for (const char *p = a->help_text ? a->help_text : ""; *p; p++)
        lines += *p == '\n';
    if (a->help_scroll > lines)
        a->help_scroll = lines;
}

static void input_key(tui_app *a, int key)
{
    size_t len = strlen(a->text);
    if (a->input == TUI_INPUT_CONFIRM) {
        if (key == TUI_KEY_RESIZE)
            return;
        a->input = TUI_INPUT_NONE;
        if (a->quit_asked) {
            a->quit_asked = 0;
            if (key == 'y' || key == 'Y')
                a->quit = 1;
            else
                tui_app_status(a, 0, "not quitting: the job goes on");
            return;
        }
        if (key == 'y' || key == 'Y')
            start_run(a, 1);
        else
            tui_app_status(a, 0, "not started");
        return;
    }
    if (key == TUI_KEY_ESCAPE || key == 7 /* ^G */) {
        a->input = TUI_INPUT_NONE;
        tui_app_status(a, 0, "%s", "");
    } else if (key == TUI_KEY_ENTER) {
        tui_input_kind kind = a->input;
        a->input = TUI_INPUT_NONE;
        if (kind == TUI_INPUT_LOAD)
            tui_load_finish(a);
        else if (kind == TUI_INPUT_PARTITIONS)
            finish_partitions(a);
    } else if (key == TUI_KEY_BACKSPACE) {
        while (len > 0 && ((unsigned char)a->text[len - 1] & 0xC0) == 0x80)
            len--; /* a whole UTF-8 character */
        if (len > 0)
            len--;
        a->text[len] = '\0';
    } else if (key == '\t' && a->input == TUI_INPUT_LOAD) {
        tui_load_complete(a);
    } else if (key == 21 /* ^U */) {
        a->text[0] = '\0';
    } else if (key >= 32 && key < 256 && key != 127 && len + 1 < sizeof a->text) {
        a->text[len] = (char)key;
        a->text[len + 1] = '\0';
    }
}

/* t: show or hide the timeline (a short screen shows it only on this key). */
static void toggle_timeline(tui_app *a)
{
    int shown = a->timeline > 0 || (a->timeline == 0 && a->grid.rows >= TUI_TIMELINE_AUTO_ROWS);
    a->timeline = shown ? -1 : 1;
    tui_app_status(a, 0, "timeline %s", shown ? "hidden (t shows it)" : "shown (t hides it)");
}

/* T: the next simulated thread count (1, 2, 4 ... 64, then the measured run again). */
static void cycle_simulation(tui_app *a)
{
    static const int steps[] = {0, 1, 2, 4, 8, 16, 32, 64};
    enum { N_STEPS = sizeof steps / sizeof steps[0] };
    if (!a->ws->job || workspace_running(a->ws)) {
        tui_app_status(a, 1, "T simulates a finished run on more threads: run one first");
        return;
    }
    int i = 0;
    while (i < N_STEPS && steps[i] != a->simulate)
        i++;
    a->simulate = steps[(i + 1) % N_STEPS];
    if (a->simulate && a->timeline <= 0 && a->grid.rows < TUI_TIMELINE_AUTO_ROWS)
        a->timeline = 1;
    if (a->simulate)
        tui_app_status(a, 0, "timeline: the plan simulated on %d threads from the measured "
                       "stage times (T: more)", a->simulate);
    else
        tui_app_status(a, 0, "timeline: the run as measured");
}

void tui_app_key(tui_app *a, int key)
{
    if (a->help) {
        help_key(a, key);
        return;
    }
    if (a->input != TUI_INPUT_NONE) {
        input_key(a, key);
        return;
    }
    switch (key) {
    case 'q':
    case TUI_KEY_F10:
        if (workspace_running(a->ws)) { /* as the REPL does: ask before dropping a job */
            ask(a, TUI_INPUT_CONFIRM, "A job is running. Quit anyway? (y/n)", NULL);
            a->quit_asked = 1;
        } else {
            a->quit = 1;
        }
        break;
    case 'r': start_run(a, 0); break;
    case 'R': start_repeat(a); break;
    case 'c': cancel_run(a); break;
    case 's': cycle_strategy(a, 1); break;
    case 'S': cycle_strategy(a, -1); break;
    case '+':
    case '=': change_threads(a, 1); break;
    case '-': change_threads(a, -1); break;
    case 'k': change_k(a, 1); break;
    case 'K': change_k(a, -1); break;
    case 'p': {
        if (refuse_while_running(a))
            break;
        char now[32] = "";
        if (a->ws->settings.solve.partitions)
            snprintf(now, sizeof now, "%u", a->ws->settings.solve.partitions);
        ask(a, TUI_INPUT_PARTITIONS, "Tree partitions (1-128, empty: two per thread):", now);
        break;
    }
    case 'l': ask(a, TUI_INPUT_LOAD, "Load CSV file:", NULL); break;
    case 'g': open_plot(a); break;
    case 't': toggle_timeline(a); break;
    case 'T': cycle_simulation(a); break;
    case 'w': tui_app_plot_save(a); break;
    case '?':
    case 'h':
    case TUI_KEY_F1:
        if (!a->help_text)
            a->help_text = tui_help_load();
        a->help = 1;
        a->help_scroll = 0;
        break;
    case TUI_KEY_UP: scroll_plan(a, -1); break;
    case TUI_KEY_DOWN: scroll_plan(a, 1); break;
    case TUI_KEY_PGUP: scroll_plan(a, -page(a)); break;
    case TUI_KEY_PGDN: scroll_plan(a, page(a)); break;
    case TUI_KEY_HOME: a->plan_scroll = 0; break;
    case 12: /* ^L */ tui_term_invalidate(a->term); break;
    default: break;
    }
}
