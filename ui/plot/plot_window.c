/* plot_window.c — the live plot window, run by its own thread.
 *
 * Ownership: the window thread makes every SDL call for the window — video
 * init and quit, the window, its events, the frame surfaces — and so is the only
 * thread that talks to the X server: everything that touches the window's X
 * resources is serialised with their destruction by being on that one thread.
 * Callers (the REPL, the TUI, a job's progress loop) only touch the model: deep
 * copies of the data of each picture (datasets and dissimilarity matrices are
 * retained, not copied), the current view, the log flag and the save requests,
 * all under win->mu, and wake the thread through a pipe. The thread copies what it
 * draws while holding the lock and draws without it, so an update never waits for
 * a drawing. There is one lock and no lock order to keep; win->cv signals the
 * caller when the thread has started, saved or stopped.
 * The thread never blocks inside SDL (SDL_WaitEventTimeout): SDL wakes such a wait
 * by an XSendEvent to the window on a second X connection, and that request can
 * reach the server after the window is destroyed on the first one — a BadWindow
 * error that Xlib's default handler turns into exit(1). It polls SDL's events and
 * sleeps in poll() on the X connection and the wake pipe instead.
 * Closing the window (q, Esc, the window manager) ends only the thread's loop;
 * plot_window_close() joins it. At most one window exists per process
 * (window_exists), since SDL's video subsystem is global. X errors never end the
 * process: protocol errors are reported (trace, plot_window_take_note) and
 * ignored, and a broken X connection (xkill, the X server going away) ends the
 * thread instead of Xlib's default of exiting the whole process (see x_guard in
 * plot_window_x.c).
 * After each picture the thread records what it drew (version, medoids, status) in
 * the model for plot_window_get_state, and appends a line to the EKM_PLOT_TRACE
 * file if there is one.
 */
#define _GNU_SOURCE
#include "plot/plot_window_internal.h"
#include "plot/plot_silhouette_internal.h"

#include <SDL_image.h>
#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int window_exists;

int plot_window_available(char *err, size_t errsz)
{
    if (atomic_load(&plot__x_broken)) {
        plot__err(err, errsz, "no plot window: the connection to the X display was lost "
                  "earlier in this session (PNG files still work)");
        return -1;
    }
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0 ||
                strcmp(drv, "evdev") == 0)) {
        plot__err(err, errsz,
                  "no plot window: SDL_VIDEODRIVER=%s draws nowhere (PNG files still work)",
                  drv);
        return -1;
    }
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if ((!x || !*x) && (!wl || !*wl)) {
        plot__err(err, errsz,
                  "no plot window: no display (DISPLAY and WAYLAND_DISPLAY are not set); "
                  "PNG files still work");
        return -1;
    }
    return 0;
}

/* ---- the thread's side ---- */

static void wake_thread(plot_window *win)
{
    if (win->wake[1] >= 0) {
        ssize_t w = write(win->wake[1], "x", 1); /* full pipe: a wake-up is pending anyway */
        (void)w;
    }
}


static void window_free(plot_window *win)
{
    plot__scatter_model_free(&win->sc);
    plot__series_model_free(&win->cu);
    plot__series_model_free(&win->sp);
    plot__timeline_model_free(&win->tm);
    plot__silhouette_model_free(win->sil);
    pthread_cond_destroy(&win->cv);
    pthread_mutex_destroy(&win->mu);
    for (int i = 0; i < 2; i++)
        if (win->wake[i] >= 0)
            close(win->wake[i]);
    free(win);
    atomic_store(&window_exists, 0);
}

int plot_window_open(plot_window **out, const char *title, int w, int h, char *err,
                     size_t errsz)
{
    *out = NULL;
    if (plot_window_available(err, errsz) != 0)
        return -1;
    char ferr[PLOT_ERR_MAX];
    if (!plot_font_path(ferr, sizeof ferr)) {
        plot__err(err, errsz, "cannot open a plot window: %s", ferr);
        return -1;
    }
    int expected = 0;
    if (!atomic_compare_exchange_strong(&window_exists, &expected, 1)) {
        plot__err(err, errsz, "a plot window is already open (one at a time)");
        return -1;
    }
    plot_window *win = calloc(1, sizeof *win);
    if (!win) {
        atomic_store(&window_exists, 0);
        plot__err(err, errsz, "cannot open a plot window: out of memory");
        return -1;
    }
    pthread_mutex_init(&win->mu, NULL);
    if (pipe2(win->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        win->wake[0] = win->wake[1] = -1; /* the thread then looks every 25 ms */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&win->cv, &ca);
    pthread_condattr_destroy(&ca);
    snprintf(win->title, sizeof win->title, "%s", title && *title ? title : "ekm plot");
    win->init_w = w > 0 ? (w < WIN_MIN_W ? WIN_MIN_W : w) : 1280;
    win->init_h = h > 0 ? (h < WIN_MIN_H ? WIN_MIN_H : h) : 800;
    const char *trace = getenv("EKM_PLOT_TRACE");
    if (trace && strlen(trace) < sizeof win->trace_path)
        snprintf(win->trace_path, sizeof win->trace_path, "%s", trace);
    /* The window thread takes no signal: SIGINT and SIGTERM go to the thread that
     * handles them, and a SIGPIPE from writing to an X connection the server has
     * closed (xkill) stays pending on the thread instead of ending the program: the
     * write fails with EPIPE and the X error path closes the window. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&win->thread, NULL, plot__window_thread, win);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        plot__err(err, errsz, "cannot open a plot window: no thread (%s)", strerror(rc));
        window_free(win);
        return -1;
    }
    pthread_mutex_lock(&win->mu);
    while (!win->started)
        pthread_cond_wait(&win->cv, &win->mu);
    int ok = win->start_ok;
    if (!ok)
        plot__err(err, errsz, "%s", win->start_err);
    pthread_mutex_unlock(&win->mu);
    if (!ok) {
        pthread_join(win->thread, NULL);
        window_free(win);
        return -1;
    }
    *out = win;
    return 0;
}

int plot_window_is_open(plot_window *win) { return win && atomic_load(&win->open); }

void plot_window_close(plot_window *win)
{
    if (!win)
        return;
    pthread_mutex_lock(&win->mu);
    win->quit = 1;
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    pthread_join(win->thread, NULL);
    window_free(win);
}

/* Lock the model of an open window, or fill err. */
static int lock_open(plot_window *win, char *err, size_t errsz)
{
    if (!win) {
        plot__err(err, errsz, "no plot window");
        return -1;
    }
    pthread_mutex_lock(&win->mu);
    if (win->stopped || !atomic_load(&win->open)) {
        pthread_mutex_unlock(&win->mu);
        plot__err(err, errsz, "the plot window is closed");
        return -1;
    }
    return 0;
}

int plot__window_lock_open(plot_window *win, char *err, size_t errsz)
{
    return lock_open(win, err, errsz);
}

void plot__window_wake(plot_window *win) { wake_thread(win); }

/* After a change of the clusters picture: show it when asked, or when the view the
 * user looks at has nothing to show (under mu). */
static void clusters_changed(plot_window *win, int show)
{
    if (show || !win->has[win->view])
        win->view = PLOT_VIEW_CLUSTERS;
    win->version++;
}

int plot_window_update_clusters(plot_window *win, const plot_scatter_input *in, char *err,
                                size_t errsz)
{
    return plot__window_set_clusters(win, in, 1, err, errsz);
}

int plot__window_set_clusters(plot_window *win, const plot_scatter_input *in, int show,
                              char *err, size_t errsz)
{
    if (!in || !in->ds || !in->medoids || in->k == 0 || in->k > ekm_dataset_n(in->ds)) {
        plot__err(err, errsz, "clusters picture: need a dataset and 1 to N medoids");
        return -1;
    }
    for (unsigned j = 0; j < in->k; j++)
        if (in->medoids[j] >= ekm_dataset_n(in->ds)) {
            plot__err(err, errsz, "clusters picture: medoid %u is point %u, but there are %zu",
                      j + 1, in->medoids[j], ekm_dataset_n(in->ds));
            return -1;
        }
    if (!in->cluster && !in->dm) {
        plot__err(err, errsz, "clusters picture: no cluster assignment and no dissimilarity "
                  "matrix to compute it");
        return -1;
    }
    scatter_model m;
    if (plot__scatter_model_set(&m, in) != 0) {
        plot__err(err, errsz, "clusters picture: out of memory");
        return -1;
    }
    if (lock_open(win, err, errsz) != 0) {
        plot__scatter_model_free(&m);
        return -1;
    }
    scatter_model old = win->sc;
    win->sc = m;
    win->has[PLOT_VIEW_CLUSTERS] = 1;
    clusters_changed(win, show);
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    plot__scatter_model_free(&old);
    return 0;
}

int plot_window_update_medoids(plot_window *win, const uint32_t *medoids, unsigned k,
                               double objective, const char *status, char *err, size_t errsz)
{
    return plot__window_set_medoids(win, medoids, k, objective, status, 1, err, errsz);
}

int plot__window_set_medoids(plot_window *win, const uint32_t *medoids, unsigned k,
                             double objective, const char *status, int show, char *err,
                             size_t errsz)
{
    uint32_t *copy = plot__win_dup_mem(medoids, (size_t)k * sizeof *copy);
    char *st = status ? strdup(status) : NULL;
    if (!medoids || k == 0 || !copy || (status && !st)) {
        free(copy);
        free(st);
        plot__err(err, errsz, k == 0 || !medoids ? "medoids: none given" : "out of memory");
        return -1;
    }
    if (lock_open(win, err, errsz) != 0) {
        free(copy);
        free(st);
        return -1;
    }
    const char *why = NULL;
    size_t n = win->has[PLOT_VIEW_CLUSTERS] ? ekm_dataset_n(win->sc.ds) : 0;
    if (!win->has[PLOT_VIEW_CLUSTERS])
        why = "no clusters picture yet (give the dataset first)";
    else if (!win->sc.dm)
        why = "the clusters picture has no dissimilarity matrix to assign the points";
    else if (k > n)
        why = "more medoids than points";
    for (unsigned j = 0; !why && j < k; j++)
        if (medoids[j] >= n)
            why = "a medoid is not a point of the dataset";
    if (why) {
        pthread_mutex_unlock(&win->mu);
        plot__err(err, errsz, "medoids: %s", why);
        free(copy);
        free(st);
        return -1;
    }
    scatter_model *m = &win->sc;
    uint32_t *old_medoids = m->medoids;
    int32_t *old_cluster = m->cluster;
    uint32_t *old_size = m->size;
    double *old_cost = m->cost;
    char *old_status = st ? m->status : NULL;
    m->medoids = copy;
    m->k = k;
    m->cluster = NULL; /* recomputed for the new medoids when drawn */
    m->size = NULL;
    m->cost = NULL;
    m->objective = objective;
    if (st)
        m->status = st;
    clusters_changed(win, show);
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    free(old_medoids);
    free(old_cluster);
    free(old_size);
    free(old_cost);
    free(old_status);
    return 0;
}

static int update_series(plot_window *win, plot_view view, const plot_series *s, size_t ns,
                         const char *title, const char *subtitle, const char *xlabel,
                         const char *ylabel, const char *xvar, const char *yvar, int log_axes,
                         double p, double max_threads, char *err, size_t errsz)
{
    for (size_t i = 0; i < ns; i++)
        if (!s || (s[i].n > 0 && (!s[i].x || !s[i].y))) {
            plot__err(err, errsz, "%s picture: series %zu has no data",
                      plot__view_name(view), i + 1);
            return -1;
        }
    series_model m;
    if (plot__series_model_set(&m, s, ns, title, subtitle, xlabel, ylabel, xvar, yvar) != 0) {
        plot__err(err, errsz, "%s picture: out of memory", plot__view_name(view));
        return -1;
    }
    m.log_axes = log_axes;
    m.p = p;
    m.max_threads = max_threads;
    if (lock_open(win, err, errsz) != 0) {
        plot__series_model_free(&m);
        return -1;
    }
    series_model *dst = view == PLOT_VIEW_CURVES ? &win->cu : &win->sp;
    series_model old = *dst;
    *dst = m;
    win->has[view] = 1;
    win->view = view;
    win->log_axes = log_axes;
    win->version++;
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    plot__series_model_free(&old);
    return 0;
}

int plot_window_update_curves(plot_window *win, const plot_curves_input *in, char *err,
                              size_t errsz)
{
    if (!in) {
        plot__err(err, errsz, "runtime picture: no input");
        return -1;
    }
    return update_series(win, PLOT_VIEW_CURVES, in->series, in->n_series, in->title,
                         in->subtitle, in->xlabel, in->ylabel, in->xvar, in->yvar,
                         in->log_axes, NAN, 0, err, errsz);
}

int plot_window_update_speedup(plot_window *win, const plot_speedup_input *in, char *err,
                               size_t errsz)
{
    if (!in) {
        plot__err(err, errsz, "speedup picture: no input");
        return -1;
    }
    return update_series(win, PLOT_VIEW_SPEEDUP, in->series, in->n_series, in->title,
                         in->subtitle, NULL, NULL, NULL, NULL, in->log_axes,
                         in->parallel_fraction, in->max_threads, err, errsz);
}

int plot_window_show(plot_window *win, plot_view view, char *err, size_t errsz)
{
    if ((int)view < 0 || view >= PLOT_VIEW_COUNT) {
        plot__err(err, errsz, "no such picture");
        return -1;
    }
    if (lock_open(win, err, errsz) != 0)
        return -1;
    if (!win->has[view]) {
        pthread_mutex_unlock(&win->mu);
        plot__err(err, errsz, "the window has no %s picture yet", plot__view_name(view));
        return -1;
    }
    win->view = view;
    win->version++;
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    return 0;
}

int plot_window_resize(plot_window *win, int w, int h, char *err, size_t errsz)
{
    if (w < WIN_MIN_W || h < WIN_MIN_H || w > 16384 || h > 16384) {
        plot__err(err, errsz, "window size %d x %d: must be between %d x %d and 16384 x 16384",
                  w, h, WIN_MIN_W, WIN_MIN_H);
        return -1;
    }
    if (lock_open(win, err, errsz) != 0)
        return -1;
    win->resize_w = w;
    win->resize_h = h;
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    return 0;
}

int plot_window_save(plot_window *win, const char *path, char *saved, size_t savedsz,
                     char *err, size_t errsz)
{
    if (path && strlen(path) >= WIN_PATH_MAX) {
        plot__err(err, errsz, "save: file name too long");
        return -1;
    }
    if (lock_open(win, err, errsz) != 0)
        return -1;
    snprintf(win->save_path, sizeof win->save_path, "%s", path ? path : "");
    unsigned long ticket = ++win->save_req;
    wake_thread(win);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += 10;
    int rc = 0;
    while (win->save_done < ticket && !win->stopped && rc == 0)
        rc = pthread_cond_timedwait(&win->cv, &win->mu, &deadline);
    int ret;
    if (win->save_done >= ticket) {
        ret = win->save_rc;
        if (ret == 0 && saved && savedsz)
            snprintf(saved, savedsz, "%s", win->save_result);
        if (ret != 0)
            plot__err(err, errsz, "%s", win->save_err);
    } else {
        ret = -1;
        plot__err(err, errsz, win->stopped ? "the plot window closed before saving"
                                           : "the plot window did not save within 10 s");
    }
    pthread_mutex_unlock(&win->mu);
    return ret;
}

int plot_window_take_saved(plot_window *win, char *path, size_t size)
{
    if (!win)
        return 0;
    pthread_mutex_lock(&win->mu);
    int got = win->saved_pending;
    if (got && path && size)
        snprintf(path, size, "%s", win->last_saved);
    win->saved_pending = 0;
    pthread_mutex_unlock(&win->mu);
    return got;
}

void plot_window_get_state(plot_window *win, plot_window_state *out)
{
    memset(out, 0, sizeof *out);
    if (!win)
        return;
    pthread_mutex_lock(&win->mu);
    out->open = atomic_load(&win->open);
    out->frames = win->frames;
    out->view = win->view;
    out->width = win->width;
    out->height = win->height;
    out->log_axes = win->log_axes;
    out->saves = win->saves;
    out->info = win->info;
    out->version = win->version;
    out->drawn_version = win->drawn_version;
    out->k = win->drawn_k;
    memcpy(out->medoids, win->drawn_medoids, sizeof out->medoids);
    snprintf(out->status, sizeof out->status, "%s", win->drawn_status);
    out->x_errors = win->x_errors;
    snprintf(out->x_error, sizeof out->x_error, "%s", win->x_error);
    out->x_lost = atomic_load(&win->x_lost);
    pthread_mutex_unlock(&win->mu);
}

int plot_window_take_note(plot_window *win, char *note, size_t size)
{
    if (!win)
        return 0;
    int said = 0;
    pthread_mutex_lock(&win->mu);
    if (atomic_load(&win->x_lost) && !(win->note_taken & 2)) {
        win->note_taken |= 2;
        plot__err(note, size, "the plot window lost its connection to the X display and "
                  "closed; the session goes on (PNG files still work)");
        said = 1;
    } else if (win->x_errors && !(win->note_taken & 1)) {
        win->note_taken |= 1;
        plot__err(note, size, "plot window: %s", win->x_error);
        said = 1;
    }
    pthread_mutex_unlock(&win->mu);
    return said;
}
