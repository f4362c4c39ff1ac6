/* repl_cmd_plot.c — `plot [clusters|curves|speedup|silhouette] [--out FILE.png]`: the last
 * result's clusters, or this session's runs (time vs N, speedup vs threads), drawn
 * by the plot module into a PNG or its live window (which never blocks the prompt).
 * While a job runs, the window's clusters follow its best medoids so far: the
 * prompt's loop and `wait` call repl_plot_live a few times a second, which hands the
 * job to plot_window_follow (the mechanism the dashboard shares). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/quality.h"
#include "plot/plot.h"
#include "common/load_report.h"
#include "common/run_series.h"
#include "plot/plot_silhouette.h"
#include "repl/repl_internal.h"

/* The open window, opened now if needed; NULL after an error line. */
static plot_window *window(repl_session *s, int *status)
{
    char err[PLOT_ERR_MAX];
    if (s->plot && plot_window_is_open(s->plot))
        return s->plot;
    if (repl_plot_take_note(s, err, sizeof err))
        repl_note(s, "%s", err);
    plot_window_close(s->plot);
    s->plot = NULL;
    if (plot_window_available(err, sizeof err)) {
        *status = repl_error(s, REPL_FAIL, "plot: no window here (%s); use 'plot --out FILE.png'",
                             err);
        return NULL;
    }
    if (plot_window_open(&s->plot, "ekm", 0, 0, err, sizeof err)) {
        *status = repl_error(s, REPL_FAIL, "plot: %s", err);
        s->plot = NULL;
        return NULL;
    }
    return s->plot;
}

/* `plot` while a job runs (or has ended, not yet collected): the window follows it. */
static int plot_running_job(repl_session *s)
{
    int status = REPL_OK;
    char err[PLOT_ERR_MAX];
    if (!ekm_dissim_dataset(s->ws.job_dm))
        return repl_error(s, REPL_FAIL,
                          "plot: the job runs on a dissimilarity matrix: there are no points "
                          "to draw");
    plot_window *w = window(s, &status);
    if (!w)
        return status;
    plot_follow_reset(&s->plot_live);
    if (plot_window_follow(w, &s->plot_live, s->ws.job, s->ws.job_dm, err, sizeof err) < 0)
        return repl_error(s, REPL_FAIL, "plot: %s", err);
    if (s->plot_live.k) /* shown: bring it to the front */
        plot_window_show(w, PLOT_VIEW_CLUSTERS, err, sizeof err);
    repl_note(s, "the plot window follows the job's best medoids until it ends");
    return REPL_OK;
}

static int plot_clusters(repl_session *s, const ui_settings *opt)
{
    int status = REPL_OK;
    char err[PLOT_ERR_MAX];
    if (!opt->out[0] && s->ws.job && s->ws.job_dm)
        return plot_running_job(s);
    if (!workspace_current_result(&s->ws) && workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL, "plot: no result yet: the job is still running ('wait' "
                          "waits; 'plot' without --out follows it in a window)");
    if (!workspace_current_result(&s->ws))
        return repl_error(s, REPL_FAIL, "plot: no result %s: 'run' computes one",
                          s->ws.result ? "for the current data" : "yet");
    const ekm_dataset *ds = ekm_dissim_dataset(s->ws.result_dm);
    if (!ds)
        return repl_error(s, REPL_FAIL,
                          "plot: the data is a dissimilarity matrix: there are no points to draw");
    plot_scatter_input in;
    plot_scatter_input_from_result(&in, ds, s->ws.result_dm, s->ws.result);
    if (opt->out[0]) {
        if (plot_scatter_png(&in, (int)opt->width, (int)opt->height, opt->out, NULL, err,
                             sizeof err))
            return repl_error(s, REPL_FAIL, "plot: %s", err);
        repl_note(s, "wrote %s", opt->out);
        return REPL_OK;
    }
    plot_window *w = window(s, &status);
    if (!w)
        return status;
    if (plot_window_update_clusters(w, &in, err, sizeof err) ||
        plot_window_show(w, PLOT_VIEW_CLUSTERS, err, sizeof err))
        return repl_error(s, REPL_FAIL, "plot: %s", err);
    plot_follow_reset(&s->plot_live); /* the result replaced what a job left */
    return REPL_OK;
}

/* The silhouette of the current result: to a PNG with --out, else in the window. */
static int plot_silhouette(repl_session *s, const ui_settings *opt)
{
    int status = REPL_OK;
    char err[PLOT_ERR_MAX];
    const ekm_result *r = workspace_current_result(&s->ws);
    if (!r)
        return repl_error(s, REPL_FAIL, "plot silhouette: no result %s: 'run' computes one",
                          s->ws.result ? "for the current data" : "yet");
    quality_points qp;
    ui_settings style = s->ws.settings;
    if (opt->silhouette_sample) /* plot silhouette --silhouette-sample N: this once */
        style.silhouette_sample = opt->silhouette_sample;
    report_set_style(&style);
    int failed = quality_points_compute(&qp, s->ws.result_dm, r);
    report_set_style(&s->ws.settings);
    if (failed)
        return repl_error(s, REPL_FAIL, "plot silhouette: out of memory");
    const ekm_dissim *dm = s->ws.result_dm;
    plot_silhouette_input in;
    plot_silhouette_input_from_points(&in, ekm_dissim_name(dm),
                                      ekm_metric_name(ekm_dissim_metric(dm)), &qp);
    int rc;
    if (opt->out[0]) {
        rc = plot_silhouette_png(&in, (int)opt->width, (int)opt->height, opt->out, NULL, err,
                                 sizeof err);
    } else {
        plot_window *w = window(s, &status);
        rc = !w ? -2 : plot_window_update_silhouette(w, &in, 1, err, sizeof err);
    }
    quality_points_free(&qp);
    if (rc == -2)
        return status;
    if (rc)
        return repl_error(s, REPL_FAIL, "plot: %s", err);
    if (opt->out[0])
        repl_note(s, "wrote %s", opt->out);
    return REPL_OK;
}

/* Series per strategy from the finished runs of the history: x = N (curves) or
 * threads (speedup), y = seconds or speedup vs seq. */
typedef struct run_series {
    plot_series series[EKM_STRATEGY_COUNT];
    double *xy; /* storage */
    size_t count;
} run_series;

static void sort_points(double *x, double *y, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
            double t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
            t = y[j];
            y[j] = y[j - 1];
            y[j - 1] = t;
        }
}

static int collect_series(const workspace *ws, int speedup, run_series *rs)
{
    memset(rs, 0, sizeof *rs);
    size_t h = ws->n_history;
    rs->xy = calloc(2 * EKM_STRATEGY_COUNT * (h ? h : 1), sizeof *rs->xy);
    if (!rs->xy)
        return -1;
    size_t points = 0;
    for (int st = 0; st < EKM_STRATEGY_COUNT; st++) {
        double *x = rs->xy + (size_t)st * 2 * h, *y = x + h;
        size_t n = 0;
        for (size_t i = 0; i < h; i++) {
            const run_record *r = &ws->history[i];
            if ((int)r->strategy != st || r->state != EKM_RUN_DONE || r->seconds <= 0)
                continue;
            if (speedup) {
                double seq = workspace_seq_seconds(ws, r);
                if (seq <= 0)
                    continue;
                x[n] = r->threads;
                y[n++] = seq / r->seconds;
            } else {
                x[n] = (double)r->n;
                y[n++] = r->seconds;
            }
        }
        if (!n)
            continue;
        sort_points(x, y, n);
        plot_series *ps = &rs->series[rs->count++];
        ps->name = ekm_strategy_name((ekm_strategy)st);
        ps->x = x;
        ps->y = y;
        ps->n = n;
        points += n;
    }
    return points ? 0 : -1;
}

static int plot_runs(repl_session *s, const ui_settings *opt, int speedup)
{
    run_series rs;
    char err[PLOT_ERR_MAX];
    int status = REPL_OK;
    if (collect_series(&s->ws, speedup, &rs)) {
        free(rs.xy);
        return repl_error(s, REPL_FAIL, "plot: no finished runs%s yet in this session",
                          speedup ? " with a seq run on the same data, N and K" : "");
    }
    int rc;
    if (speedup) {
        plot_speedup_input in = {0};
        in.subtitle = "this session's runs; speedup = seq's time / the run's";
        in.series = rs.series;
        in.n_series = rs.count;
        in.parallel_fraction = NAN;
        if (opt->out[0])
            rc = plot_speedup_png(&in, (int)opt->width, (int)opt->height, opt->out, NULL, err,
                                  sizeof err);
        else {
            plot_window *w = window(s, &status);
            rc = !w ? -2
                    : plot_window_update_speedup(w, &in, err, sizeof err) ||
                          plot_window_show(w, PLOT_VIEW_SPEEDUP, err, sizeof err);
        }
    } else {
        /* one curve per (data, K, strategy, threads): never a mix of datasets or K */
        run_groups *g = malloc(sizeof *g);
        if (!g) {
            free(rs.xy);
            return repl_error(s, REPL_FAIL, "plot: out of memory");
        }
        run_groups_build(s->ws.history, s->ws.n_history, g);
        plot_series gs[RUN_SERIES_MAX];
        for (size_t i = 0; i < g->count; i++)
            gs[i] = (plot_series){.name = g->group[i].name, .x = g->group[i].x,
                                  .y = g->group[i].y, .n = g->group[i].n};
        char sub[300];
        const char *slash = g->count ? strrchr(g->group[0].dataset, '/') : NULL;
        if (g->count && g->one_dataset_k)
            snprintf(sub, sizeof sub, "%.200s, K=%u: this session's runs",
                     slash ? slash + 1 : g->group[0].dataset, g->group[0].k);
        else
            snprintf(sub, sizeof sub, "this session's runs, one curve per data, K, strategy, "
                     "threads");
        plot_curves_input in = {0};
        in.subtitle = sub;
        in.series = gs;
        in.n_series = g->count;
        if (opt->out[0])
            rc = plot_curves_png(&in, (int)opt->width, (int)opt->height, opt->out, NULL, err,
                                 sizeof err);
        else {
            plot_window *w = window(s, &status);
            rc = !w ? -2
                    : plot_window_update_curves(w, &in, err, sizeof err) ||
                          plot_window_show(w, PLOT_VIEW_CURVES, err, sizeof err);
        }
        free(g);
    }
    free(rs.xy);
    if (rc == -2)
        return status;
    if (rc)
        return repl_error(s, REPL_FAIL, "plot: %s", err);
    if (opt->out[0])
        repl_note(s, "wrote %s", opt->out);
    return REPL_OK;
}

int repl_cmd_plot(repl_session *s, int argc, char **argv)
{
    ui_settings opt = s->ws.settings;
    opt.out[0] = '\0';
    const char *pos[1];
    int npos;
    char err[1024];
    if (settings_parse_argv(&opt, OPT_PLOT, argc, argv, 1, pos, 1, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "plot: %s", err);
    const char *what = npos ? pos[0] : "clusters";
    if (!strcmp(what, "clusters"))
        return plot_clusters(s, &opt);
    if (!strcmp(what, "curves"))
        return plot_runs(s, &opt, 0);
    if (!strcmp(what, "speedup"))
        return plot_runs(s, &opt, 1);
    if (!strcmp(what, "silhouette"))
        return plot_silhouette(s, &opt);
    return repl_error(s, REPL_USAGE,
                      "plot: '%s' is not one of clusters, curves, speedup, silhouette", what);
}

void repl_plot_refresh(repl_session *s)
{
    if (!s->plot || !plot_window_is_open(s->plot) || !s->ws.result)
        return;
    const ekm_dataset *ds = ekm_dissim_dataset(s->ws.result_dm);
    if (!ds)
        return;
    plot_scatter_input in;
    plot_scatter_input_from_result(&in, ds, s->ws.result_dm, s->ws.result);
    char err[PLOT_ERR_MAX];
    if (plot_window_update_clusters(s->plot, &in, err, sizeof err) == 0)
        plot_follow_reset(&s->plot_live); /* the job's result replaced its best so far */
    const ekm_result *r = s->ws.result; /* its silhouette waits behind Tab */
    quality_points qp;
    if (r->exact && !quality_points_compute(&qp, s->ws.result_dm, r)) {
        plot_silhouette_input si;
        plot_silhouette_input_from_points(&si, ekm_dissim_name(s->ws.result_dm),
                                          ekm_metric_name(ekm_dissim_metric(s->ws.result_dm)),
                                          &qp);
        plot_window_update_silhouette(s->plot, &si, 0, err, sizeof err);
        quality_points_free(&qp);
    }
}

int repl_plot_take_note(repl_session *s, char *note, size_t size)
{
    return s->plot && plot_window_take_note(s->plot, note, size);
}

void repl_plot_live(repl_session *s)
{
    if (!s->plot || !plot_window_is_open(s->plot) || !s->ws.job)
        return;
    if (!s->ws.job_dm && (s->plot_live.ended || !s->plot_live.k))
        return; /* collected, and nothing of it left to show */
    char err[PLOT_ERR_MAX];
    /* An error (a matrix without points) is said once by plot_window_follow and
     * was said by `plot` already: the prompt stays quiet. */
    plot_window_follow(s->plot, &s->plot_live, s->ws.job, s->ws.job_dm, err, sizeof err);
}
