/* plot_follow.c — a running job's best medoids so far in the live window: the one
 * mechanism the REPL's loop and the dashboard's loop share (plot_window_follow).
 *
 * Runs on the caller's thread (the UI's). It copies the job's progress
 * (ekm_job_snapshot: a copy that never blocks a worker for longer) and hands the
 * window a new clusters picture only when there is something new to show, since
 * every push makes the window thread assign all the points and draw again. The
 * window's model is changed through plot__window_set_clusters/_medoids with show 0,
 * so following never takes the user away from the picture they look at.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* With the same medoids, the status line (time, share done) is refreshed this often. */
static const double status_refresh_seconds = 1.0;

void plot_follow_reset(plot_follow *f) { memset(f, 0, sizeof *f); }

/* Forget the pushes but keep following the same job and matrix. */
static void start_over(plot_follow *f)
{
    const ekm_job *job = f->job;
    const ekm_dissim *dm = f->dm;
    plot_follow_reset(f);
    f->job = job;
    f->dm = dm;
}

static int is_live(ekm_run_state s) { return s == EKM_RUN_WAITING || s == EKM_RUN_RUNNING; }

static void running_status(const ekm_progress *p, char *buf, size_t size)
{
    if (p->total)
        snprintf(buf, size, "running: the best medoids so far, after %.1f s and %.1f %% of the "
                 "K-subsets", p->elapsed, 100.0 * (double)p->done / (double)p->total);
    else
        snprintf(buf, size, "running: the best medoids so far, after %.1f s (a heuristic)",
                 p->elapsed);
}

static void ended_status(const ekm_progress *p, char *buf, size_t size)
{
    const char *how = p->state == EKM_RUN_CANCELLED ? "cancelled" : "failed";
    if (p->total)
        snprintf(buf, size, "%s after %.1f s and %.1f %% of the K-subsets: the best medoids "
                 "found until then, not proven optimal", how, p->elapsed,
                 100.0 * (double)p->done / (double)p->total);
    else
        snprintf(buf, size, "%s after %.1f s: the best medoids found until then", how,
                 p->elapsed);
}

/* A new clusters picture of the job's best medoids, with the given status. */
static int push_best(plot_window *win, plot_follow *f, const ekm_dataset *ds,
                     const ekm_dissim *dm, const ekm_progress *p, const uint32_t *best,
                     unsigned k, const char *status, char *err, size_t errsz)
{
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = ds;
    in.dm = dm;
    in.medoids = best;
    in.k = k;
    in.strategy = ekm_strategy_name(p->strategy);
    in.status = status;
    if (plot__window_set_clusters(win, &in, 0, err, errsz) != 0)
        return -1;
    memcpy(f->medoids, best, k * sizeof *f->medoids);
    f->k = k;
    f->pushed_elapsed = p->elapsed;
    return 1;
}

/* p and best: the summary and the best set (p->k of them) of one snapshot. */
static int follow_snapshot(plot_window *win, plot_follow *f, const ekm_dissim *dm,
                           const ekm_progress *p, const uint32_t *best, char *err,
                           size_t errsz)
{
    int live = is_live(p->state);
    /* A job that runs again, or whose clock went back, is a new job at the old
     * one's address (the caller did not reset): push everything again. */
    if ((live && f->ended) || (f->k && p->elapsed < f->pushed_elapsed))
        start_over(f);
    unsigned k = p->k < EKM_MAX_K ? p->k : EKM_MAX_K;
    const ekm_dataset *ds = dm ? ekm_dissim_dataset(dm) : NULL;
    if (live) {
        if (!p->has_best || k == 0)
            return 0; /* nothing found yet: the window keeps what it shows */
        if (f->no_points)
            return 0; /* said once */
        if (!ds) {
            f->no_points = 1;
            plot__err(err, errsz, "the job runs on %s: there are no points to draw",
                      dm ? "a dissimilarity matrix" : "no data");
            return -1;
        }
        int same = f->k == k && !memcmp(f->medoids, best, k * sizeof *f->medoids);
        if (same && p->elapsed - f->pushed_elapsed < status_refresh_seconds)
            return 0;
        char status[192];
        running_status(p, status, sizeof status);
        return push_best(win, f, ds, dm, p, best, k, status, err, errsz);
    }
    if (f->ended)
        return 0;
    f->ended = 1;
    if (p->state == EKM_RUN_DONE || f->k == 0 || f->no_points) {
        f->k = 0; /* the caller shows the result from now on */
        return 0;
    }
    /* Cancelled or failed: the best medoids stay, said to be what they are. */
    char status[192];
    ended_status(p, status, sizeof status);
    if (ds && p->has_best && k)
        return push_best(win, f, ds, dm, p, best, k, status, err, errsz);
    /* Collected already (no matrix at hand): the picture of the last push stays,
     * with the new status. */
    if (plot__window_set_medoids(win, f->medoids, f->k, NAN, status, 0, err, errsz) != 0)
        return -1;
    return 1;
}

int plot_window_follow(plot_window *win, plot_follow *f, ekm_job *job, const ekm_dissim *dm,
                       char *err, size_t errsz)
{
    if (!job)
        return 0;
    if (f->job != job || (dm && f->dm && f->dm != dm)) {
        plot_follow_reset(f);
        f->job = job;
    }
    if (dm)
        f->dm = dm;
    if (!plot_window_is_open(win)) {
        plot__err(err, errsz, "the plot window is closed");
        return -1;
    }
    ekm_progress p;
    uint32_t best[EKM_MAX_K]; /* K is at most EKM_MAX_K (ekm_job_start checks it) */
    ekm_job_snapshot(job, &p, NULL, 0, NULL, 0, best, EKM_MAX_K);
    return follow_snapshot(win, f, dm, &p, best, err, errsz);
}
