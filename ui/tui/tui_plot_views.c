/* tui_plot_views.c — what the dashboard hands the plot window besides the clusters
 * and speedups: the run's timeline (live while it runs, kept after it, simulated on
 * more threads when the dashboard shows that), the runtime curves of the session's
 * runs (one series per dataset, K, strategy and threads), and the w key, which saves
 * the view the window shows as a PNG. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/run_series.h"
#include "common/timeline.h"
#include "tui/tui_internal.h"

void tui_app_plot_timeline(tui_app *a)
{
    workspace *ws = a->ws;
    if (!a->plot || !ws->job)
        return;
    int running = workspace_running(ws);
    if (a->plot_tl_job == ws->job && a->plot_tl_sim == a->simulate) {
        if (!running && a->plot_tl_final)
            return; /* the end is shown */
        if (running && a->snap->sum.elapsed - a->plot_tl_elapsed < 0.25)
            return; /* four pictures a second are enough */
    }
    progress_snap_poll(a->snap, ws->job);
    timeline *tl = malloc(sizeof *tl), *sim = malloc(sizeof *sim);
    if (!tl || !sim) {
        free(tl);
        free(sim);
        return;
    }
    timeline_from_progress(tl, a->snap);
    const timeline *show = tl;
    if (a->simulate > 0 && !running &&
        timeline_simulate(tl, ekm_job_plan(ws->job), (unsigned)a->simulate, sim) == 0)
        show = sim;
    char name[128], sub[256], err[PLOT_ERR_MAX];
    workspace_data_name(ws, name, sizeof name);
    snprintf(sub, sizeof sub, "%s, N=%zu, K=%u", name[0] ? name : "data", a->snap->sum.n,
             a->snap->sum.k);
    plot_timeline_input in;
    plot_timeline_input_init(&in);
    in.tl = show;
    in.subtitle = sub;
    if (show->n_bars > 0 && plot_window_update_timeline(a->plot, &in, err, sizeof err) &&
        plot_window_is_open(a->plot))
        tui_app_status(a, 1, "plot: %s", err);
    a->plot_tl_job = ws->job;
    a->plot_tl_sim = a->simulate;
    a->plot_tl_elapsed = a->snap->sum.elapsed;
    a->plot_tl_final = !running;
    free(tl);
    free(sim);
}

void tui_app_plot_curves(tui_app *a)
{
    workspace *ws = a->ws;
    if (!a->plot)
        return;
    run_groups *g = malloc(sizeof *g);
    if (!g)
        return;
    run_groups_build(ws->history, ws->n_history, g);
    plot_series series[RUN_SERIES_MAX];
    for (size_t i = 0; i < g->count; i++)
        series[i] = (plot_series){.name = g->group[i].name, .x = g->group[i].x,
                                  .y = g->group[i].y, .n = g->group[i].n};
    char sub[300], name[128], err[PLOT_ERR_MAX];
    if (g->count && g->one_dataset_k)
        snprintf(sub, sizeof sub, "%s, K=%u: this session's runs",
                 tui_fmt_basename(name, sizeof name, g->group[0].dataset), g->group[0].k);
    else
        snprintf(sub, sizeof sub, "this session's runs, one curve per data, K, strategy, threads");
    plot_curves_input in = {0};
    in.subtitle = sub;
    in.series = series;
    in.n_series = g->count;
    if (g->count && plot_window_update_curves(a->plot, &in, err, sizeof err) &&
        plot_window_is_open(a->plot))
        tui_app_status(a, 1, "plot: %s", err);
    free(g);
}

void tui_app_plot_save(tui_app *a)
{
    if (!a->plot || !plot_window_is_open(a->plot)) {
        tui_app_status(a, 1, "w saves the plot window's picture: g opens the window first");
        return;
    }
    plot_window_state st;
    plot_window_get_state(a->plot, &st);
    char saved[1024], err[PLOT_ERR_MAX];
    if (plot_window_save(a->plot, NULL, saved, sizeof saved, err, sizeof err))
        tui_app_status(a, 1, "plot: %s", err);
    else
        tui_app_status(a, 0, "saved the %s picture as %s", plot_view_name(st.view), saved);
}
