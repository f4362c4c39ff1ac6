/* tui_run.c — the dashboard's loop: wait for a key, the job's end or the next
 * frame; collect finished jobs; pick what to show (the job's snapshot, or the plan
 * the current settings would run); render it and hand the grid to the terminal.
 *
 * One thread (the caller's) does everything here; the job's threads live behind
 * the engine's job API and are only read through snapshots. Signals: SIGINT,
 * SIGTERM and SIGHUP only set a flag; the loop sees it (poll returns EINTR) and
 * leaves, the terminal restored by ordinary code, never in a handler; except that
 * SIGINT (Ctrl-C) while a job runs cancels the job, as in the REPL, and the
 * dashboard stays with its history (a second Ctrl-C quits). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/tui.h"
#include "tui/tui_internal.h"

static const double frame_seconds = 0.1; /* at most 10 redraws a second */
static const double idle_redraw_seconds = 1.0;

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) { stop_signal = sig; }

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { N_STOP_SIGNALS = sizeof stop_signals / sizeof stop_signals[0] };

static void data_info(const workspace *ws, tui_data_info *d)
{
    memset(d, 0, sizeof *d);
    if (!ws->dm)
        return;
    workspace_data_name(ws, d->name, sizeof d->name);
    if (!d->name[0])
        snprintf(d->name, sizeof d->name, "?");
    d->n = ekm_dissim_n(ws->dm);
    ekm_dataset *ds = ekm_dissim_dataset(ws->dm);
    d->d = ds ? ekm_dataset_d(ds) : 0;
    d->metric = ekm_dissim_metric(ws->dm);
}

/* Rebuild the preview plan when the data or the settings have changed. */
static void refresh_preview(tui_app *a)
{
    workspace *ws = a->ws;
    const ekm_solve_options *o = &ws->settings.solve;
    char key[sizeof a->preview_key];
    size_t n = ws->dm ? ekm_dissim_n(ws->dm) : 0;
    snprintf(key, sizeof key, "%u|%zu|%u|%d|%u|%u|%u", a->data_gen, n, o->k, (int)o->strategy,
             o->threads, o->partitions, o->leaf);
    if (!strcmp(key, a->preview_key))
        return;
    snprintf(a->preview_key, sizeof a->preview_key, "%s", key);
    ekm_plan_free(a->preview_plan);
    a->preview_plan = NULL;
    a->plan_error[0] = '\0';
    a->plan_scroll = 0;
    a->preview_plan = tui_settings_plan(ws, a->plan_error, sizeof a->plan_error);
    if (a->preview_plan && tui_plan_snapshot(a->preview_plan, a->preview)) {
        ekm_plan_free(a->preview_plan);
        a->preview_plan = NULL;
        snprintf(a->plan_error, sizeof a->plan_error, "out of memory");
    }
}

/* Show the job when it runs, or when it ran what the settings would run now. */
static int job_is_current(const tui_app *a, const progress_snap *p)
{
    if (workspace_running(a->ws))
        return 1;
    const ekm_plan *pl = a->preview_plan;
    return pl && a->job_data_gen == a->data_gen && p->sum.strategy == pl->strategy &&
           p->sum.k == pl->k && p->sum.n == pl->n && p->sum.threads == pl->threads &&
           p->sum.n_stages == pl->n_stages;
}

static void draw(tui_app *a)
{
    workspace *ws = a->ws;
    int rows, cols;
    tui_term_size(a->term, &rows, &cols);
    if ((rows != a->grid.rows || cols != a->grid.cols) && tui_grid_resize(&a->grid, rows, cols))
        return;
    refresh_preview(a);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = a->grid.utf8;
    s.ws = ws;
    data_info(ws, &s.data);
    s.plan_error = a->plan_error;
    if (ws->job) {
        progress_snap_poll(a->snap, ws->job); /* buffers grow once per job, at most */
    }
    if (ws->job && job_is_current(a, a->snap)) {
        s.snap = a->snap;
        if (a->quality_of && a->quality_of == ws->result && !workspace_running(ws)) {
            s.has_silhouette = 1;
            s.silhouette = a->silhouette;
            s.has_ari = !isnan(a->ari);
            s.ari = a->ari;
        }
        s.plan = ekm_job_plan(ws->job);
        if (workspace_running(ws)) {
            if (a->meters_of != ws->job) {
                tui_meters_reset(&a->meters);
                a->meters_of = ws->job;
            }
            tui_meters_add(&a->meters, a->snap);
            for (int t = 0; t < a->snap->sum.n_threads; t++)
                a->busy[t] = tui_meters_fraction(&a->meters, t);
            s.busy = a->busy;
            s.eta = tui_job_eta(a->snap);
        }
    } else if (a->preview_plan) {
        s.snap = a->preview;
        s.preview = 1;
        s.plan = a->preview_plan;
        s.estimate = tui_plan_estimate(a->preview_plan, tui_eval_rate(ws));
    }
    if (ws->job) { /* the last job's timeline stays after it ends */
        s.ran = a->snap;
        s.ran_plan = ekm_job_plan(ws->job);
    }
    s.timeline = a->timeline;
    s.simulate = a->simulate;
    s.plan_scroll = a->plan_scroll;
    s.status = a->status;
    s.status_error = a->status_error;
    s.input = a->input;
    s.prompt = a->prompt;
    s.input_text = a->text;
    s.help = a->help;
    s.help_text = a->help_text;
    s.help_scroll = a->help_scroll;
    tui_render_info info;
    tui_render(&s, &a->grid, &info);
    a->plan_scroll = info.plan_first; /* as clamped to what the view can show */
    tui_term_draw(a->term, &a->grid, info.cursor);
}

static int app_init(tui_app *a, workspace *ws)
{
    memset(a, 0, sizeof *a);
    a->ws = ws;
    a->snap = progress_snap_new(0, 0, 0);
    a->preview = progress_snap_new(0, 0, 0);
    if (!a->snap || !a->preview || tui_meters_init(&a->meters))
        return -1;
    return 0;
}

static void app_free(tui_app *a)
{
    tui_app_plot_close(a);
    tui_grid_free(&a->grid);
    tui_meters_free(&a->meters);
    ekm_plan_free(a->preview_plan);
    progress_snap_free(a->snap);
    progress_snap_free(a->preview);
    free(a->help_text);
    memset(a, 0, sizeof *a);
}

static void loop(tui_app *a)
{
    workspace *ws = a->ws;
    double last_draw = -INFINITY;
    int dirty = 1;
    for (;;) {
        /* Ctrl-C cancels a running job, as in the REPL; with none it quits */
        if (stop_signal == SIGINT && tui_app_interrupt(a)) {
            stop_signal = 0;
            dirty = 1;
        }
        if (a->quit || stop_signal)
            break;
        int key;
        while (!a->quit && (key = tui_term_key(a->term)) != TUI_KEY_NONE) {
            if (key == TUI_KEY_RESIZE)
                tui_term_invalidate(a->term);
            tui_app_key(a, key);
            dirty = 1;
        }
        if (a->quit)
            break;
        if (workspace_poll(ws)) {
            tui_app_collected(a);
            dirty = 1;
        }
        tui_app_plot_sync(a);
        int running = workspace_running(ws);
        double now = ekm_now(), since = now - last_draw;
        double period = dirty || running ? frame_seconds : idle_redraw_seconds;
        if (since >= period) {
            draw(a);
            last_draw = now;
            dirty = 0;
            since = 0;
        }
        double wait = period - since;
        struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}};
        nfds_t nfds = 1;
        if (ws->job && ws->job_dm) /* a job not collected yet: its end wakes us */
            fds[nfds++] = (struct pollfd){.fd = ekm_job_fd(ws->job), .events = POLLIN};
        int ms = (int)ceil(wait * 1000);
        if (poll(fds, nfds, ms < 1 ? 1 : ms) < 0 && errno != EINTR)
            break;
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            break; /* the terminal is gone: nothing left to show */
    }
}

int tui_run(workspace *ws, char *err, size_t errsize)
{
    /* Our handlers first: ncurses leaves SIGINT/SIGTERM alone when they are set. */
    struct sigaction sa, old[N_STOP_SIGNALS];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    for (int i = 0; i < N_STOP_SIGNALS; i++)
        sigaction(stop_signals[i], &sa, &old[i]);

    int rc = TUI_QUIT;
    tui_app a;
    if (app_init(&a, ws)) {
        snprintf(err, errsize, "out of memory");
        rc = TUI_ERROR;
    } else if (!(a.term = tui_term_open(err, errsize))) {
        rc = TUI_ERROR;
    } else if (tui_grid_init(&a.grid, 0, 0, tui_term_utf8(a.term))) {
        snprintf(err, errsize, "out of memory");
        rc = TUI_ERROR;
    } else {
        loop(&a);
    }
    /* The plot window's thread ends first: Xlib reads the locale in it, which
     * tui_term_close puts back (setlocale is no thread's to call meanwhile). */
    tui_app_plot_close(&a);
    tui_term_close(a.term); /* the terminal is back before anything else happens */
    a.term = NULL;
    app_free(&a);
    for (int i = 0; i < N_STOP_SIGNALS; i++)
        sigaction(stop_signals[i], &old[i], NULL);
    if (rc == TUI_QUIT && stop_signal) {
        snprintf(err, errsize, "interrupted by %s",
                 stop_signal == SIGINT ? "SIGINT" : stop_signal == SIGTERM ? "SIGTERM" : "SIGHUP");
        rc = TUI_INTERRUPTED;
    }
    return rc;
}
