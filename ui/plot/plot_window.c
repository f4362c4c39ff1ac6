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
 * thread instead of Xlib's default of exiting the whole process (see x_guard).
 * After each picture the thread records what it drew (version, medoids, status) in
 * the model for plot_window_get_state, and appends a line to the EKM_PLOT_TRACE
 * file if there is one.
 */
#define _GNU_SOURCE
#define PLOT_INTERNAL
#include "plot/plot.h"

#include <SDL_image.h>
#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { WIN_PATH_MAX = 1024, WIN_MIN_W = 320, WIN_MIN_H = 240 };

/* ---------------------------------------------------------------- model copies */

typedef struct scatter_model {
    ekm_dataset *ds;
    ekm_dissim *dm;
    uint32_t *medoids;
    unsigned k;
    int32_t *cluster;
    uint32_t *size;
    double *cost;
    char *name, *strategy, *metric, *status;
    double objective;
} scatter_model;

typedef struct series_model {
    size_t n_series;
    plot_series *series; /* names and x, y arrays owned */
    char *title, *subtitle, *xlabel, *ylabel, *xvar, *yvar;
    int log_axes;
    double p, max_threads; /* speedup */
} series_model;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void *dup_mem(const void *p, size_t bytes)
{
    if (!p || bytes == 0)
        return NULL;
    void *q = malloc(bytes);
    if (q)
        memcpy(q, p, bytes);
    return q;
}

static void scatter_model_free(scatter_model *m)
{
    ekm_dissim_release(m->dm);
    ekm_dataset_release(m->ds);
    free(m->medoids);
    free(m->cluster);
    free(m->size);
    free(m->cost);
    free(m->name);
    free(m->strategy);
    free(m->metric);
    free(m->status);
    memset(m, 0, sizeof *m);
}

/* Deep copy of a scatter input (or of another model, through its input view). */
static int scatter_model_set(scatter_model *m, const plot_scatter_input *in)
{
    memset(m, 0, sizeof *m);
    size_t n = ekm_dataset_n(in->ds);
    m->ds = ekm_dataset_retain((ekm_dataset *)(uintptr_t)in->ds); /* shared, never written */
    m->dm = in->dm ? ekm_dissim_retain((ekm_dissim *)(uintptr_t)in->dm) : NULL;
    m->k = in->k;
    m->medoids = dup_mem(in->medoids, in->k * sizeof *m->medoids);
    m->cluster = dup_mem(in->cluster, n * sizeof *m->cluster);
    m->size = dup_mem(in->cluster_size, in->k * sizeof *m->size);
    m->cost = dup_mem(in->cluster_cost, in->k * sizeof *m->cost);
    m->name = dup_or_null(in->name);
    m->strategy = dup_or_null(in->strategy);
    m->metric = dup_or_null(in->metric);
    m->status = dup_or_null(in->status);
    m->objective = in->objective;
    if (!m->medoids || (in->cluster && !m->cluster) || (in->cluster_size && !m->size) ||
        (in->cluster_cost && !m->cost) || (in->name && !m->name) ||
        (in->strategy && !m->strategy) || (in->metric && !m->metric) ||
        (in->status && !m->status)) {
        scatter_model_free(m);
        return -1;
    }
    return 0;
}

static void scatter_model_input(const scatter_model *m, plot_scatter_input *in)
{
    plot_scatter_input_init(in);
    in->ds = m->ds;
    in->dm = m->dm;
    in->medoids = m->medoids;
    in->k = m->k;
    in->cluster = m->cluster;
    in->cluster_size = m->size;
    in->cluster_cost = m->cost;
    in->name = m->name;
    in->strategy = m->strategy;
    in->metric = m->metric;
    in->status = m->status;
    in->objective = m->objective;
}

static void series_model_free(series_model *m)
{
    for (size_t i = 0; i < m->n_series; i++) {
        free((void *)(uintptr_t)m->series[i].name); /* the model's own copies */
        free((void *)(uintptr_t)m->series[i].x);
        free((void *)(uintptr_t)m->series[i].y);
    }
    free(m->series);
    free(m->title);
    free(m->subtitle);
    free(m->xlabel);
    free(m->ylabel);
    free(m->xvar);
    free(m->yvar);
    memset(m, 0, sizeof *m);
}

static int series_model_set(series_model *m, const plot_series *s, size_t ns, const char *title,
                            const char *subtitle, const char *xlabel, const char *ylabel,
                            const char *xvar, const char *yvar)
{
    memset(m, 0, sizeof *m);
    m->series = calloc(ns ? ns : 1, sizeof *m->series);
    if (!m->series)
        return -1;
    m->n_series = ns;
    int bad = 0;
    for (size_t i = 0; i < ns; i++) {
        m->series[i] = s[i];
        m->series[i].name = dup_or_null(s[i].name);
        m->series[i].x = dup_mem(s[i].x, s[i].n * sizeof(double));
        m->series[i].y = dup_mem(s[i].y, s[i].n * sizeof(double));
        if ((s[i].name && !m->series[i].name) ||
            (s[i].n && (!m->series[i].x || !m->series[i].y)))
            bad = 1;
    }
    m->title = dup_or_null(title);
    m->subtitle = dup_or_null(subtitle);
    m->xlabel = dup_or_null(xlabel);
    m->ylabel = dup_or_null(ylabel);
    m->xvar = dup_or_null(xvar);
    m->yvar = dup_or_null(yvar);
    if (bad || (title && !m->title) || (subtitle && !m->subtitle) || (xlabel && !m->xlabel) ||
        (ylabel && !m->ylabel) || (xvar && !m->xvar) || (yvar && !m->yvar)) {
        series_model_free(m);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- the window */

/* The window thread's own state. It lives in the plot_window (not on the thread's
 * stack) so that it is still valid after the thread's escape from a broken X
 * connection (siglongjmp; see x_guard). */
typedef struct thread_state {
    SDL_Window *window;
    FILE *trace;          /* EKM_PLOT_TRACE, or NULL */
    SDL_Surface *frame;   /* the last picture, as saved */
    unsigned long drawn;  /* model version drawn */
    int dirty;
    char hint[WIN_PATH_MAX + 64];
    double hint_until;    /* a transient message in the hint line */
    Display *display;     /* SDL's X connection (NULL: not X11) */
    int x_fd;             /* its socket (-1: none) */
    sigjmp_buf escape;    /* where a broken X connection leaves SDL and Xlib */
} thread_state;

struct plot_window {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_int open;     /* 1 while the window is shown */
    atomic_int x_lost;   /* 1 once the X connection broke */
    int wake[2];         /* callers write a byte on every change; the thread polls [0] */
    thread_state ts;     /* the window thread's only */
    /* Set at open, read-only afterwards. */
    char title[256];
    int init_w, init_h;
    char trace_path[WIN_PATH_MAX]; /* EKM_PLOT_TRACE ("" none); the thread appends to it */
    /* Everything below is under mu. */
    int started;         /* the thread has reported its start */
    int start_ok;
    char start_err[PLOT_ERR_MAX];
    int quit;            /* the caller asks the thread to stop */
    int stopped;         /* the thread left its loop */
    unsigned long version; /* bumped by every model change */
    plot_view view;
    int has[PLOT_VIEW_COUNT];
    scatter_model sc;
    series_model cu, sp;
    int log_axes;
    unsigned long save_req, save_done;
    char save_path[WIN_PATH_MAX]; /* empty: ekm-plot-N.png */
    int save_rc;
    char save_result[WIN_PATH_MAX], save_err[PLOT_ERR_MAX];
    char last_saved[WIN_PATH_MAX];
    int saved_pending;
    unsigned long frames, saves;
    int width, height;
    plot_info info;
    unsigned long drawn_version;      /* what the last picture shows: its model version, */
    unsigned drawn_k;                 /* the medoids of the last clusters picture (0: none) */
    uint32_t drawn_medoids[EKM_MAX_K];
    char drawn_status[192];           /* and its status line */
    int resize_w, resize_h; /* a pending resize request (0: none) */
    unsigned long x_errors;   /* X protocol errors reported and ignored */
    char x_error[160];        /* the first of them */
    int note_taken;           /* what plot_window_take_note has said: bit 1 errors, 2 lost */
};

static atomic_int window_exists;
static atomic_int x_broken; /* the X connection broke once: no more windows here */

int plot_window_available(char *err, size_t errsz)
{
    if (atomic_load(&x_broken)) {
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

typedef struct snapshot {
    plot_view view;
    int has;
    scatter_model sc;
    series_model se;
    int log_axes;
} snapshot;

static void snapshot_free(snapshot *s)
{
    scatter_model_free(&s->sc);
    series_model_free(&s->se);
}

/* Copy what the current view needs (under mu). */
static int take_snapshot(plot_window *win, snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->view = win->view;
    s->has = win->has[win->view];
    s->log_axes = win->log_axes;
    if (!s->has)
        return 0;
    if (s->view == PLOT_VIEW_CLUSTERS) {
        plot_scatter_input in;
        scatter_model_input(&win->sc, &in);
        return scatter_model_set(&s->sc, &in);
    }
    const series_model *m = s->view == PLOT_VIEW_CURVES ? &win->cu : &win->sp;
    if (series_model_set(&s->se, m->series, m->n_series, m->title, m->subtitle, m->xlabel,
                         m->ylabel, m->xvar, m->yvar) != 0)
        return -1;
    s->se.p = m->p;
    s->se.max_threads = m->max_threads;
    return 0;
}

static const char *view_name(plot_view v)
{
    return v == PLOT_VIEW_CLUSTERS ? "clusters" : v == PLOT_VIEW_CURVES ? "runtime" : "speedup";
}

/* Draw the snapshot into c; on failure draw the message instead. */
static void draw_snapshot(plot__ctx *c, const snapshot *s, plot_info *info)
{
    char err[PLOT_ERR_MAX] = "";
    int rc = -1;
    memset(info, 0, sizeof *info);
    if (!s->has) {
        plot__text(c, PLOT__F_LABEL, "waiting for a picture\xE2\x80\xA6", c->w / 2.0,
                   c->h / 2.0, PLOT__ALIGN_CENTER | PLOT__VALIGN_MIDDLE,
                   (plot_rgb){0x66, 0x66, 0x66});
        return;
    }
    if (s->view == PLOT_VIEW_CLUSTERS) {
        plot_scatter_input in;
        scatter_model_input(&s->sc, &in);
        rc = plot__scatter_draw(c, &in, info, err, sizeof err);
    } else if (s->view == PLOT_VIEW_CURVES) {
        plot_curves_input in = {s->se.title, s->se.subtitle, s->se.xlabel, s->se.ylabel,
                                s->se.xvar,  s->se.yvar,     s->se.series, s->se.n_series,
                                s->log_axes};
        rc = plot__curves_draw(c, &in, info, err, sizeof err);
    } else {
        plot_speedup_input in = {s->se.title, s->se.subtitle, s->se.series, s->se.n_series,
                                 s->se.p,     s->se.max_threads, s->log_axes};
        rc = plot__speedup_draw(c, &in, info, err, sizeof err);
    }
    if (rc != 0) {
        plot_rgb white = plot_background_color();
        plot__no_clip(c);
        plot__fill_rect(c, 0, 0, c->w, c->h, white);
        plot__text(c, PLOT__F_LABEL, err, c->w / 2.0, c->h / 2.0,
                   PLOT__ALIGN_CENTER | PLOT__VALIGN_MIDDLE, (plot_rgb){0xB0, 0x30, 0x20});
    }
}

/* Claim ekm-plot-N.png in the current directory (the first N that is free). */
static int claim_auto_path(char *path, size_t size, char *err, size_t errsz)
{
    for (int i = 1; i < 100000; i++) {
        snprintf(path, size, "ekm-plot-%d.png", i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        if (errno != EEXIST) {
            plot__err(err, errsz, "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
    }
    plot__err(err, errsz, "cannot find a free name ekm-plot-N.png in the current directory");
    return -1;
}

/* Save the last frame (window thread). path "" means ekm-plot-N.png. */
static int save_frame(plot_window *win, SDL_Surface *frame, const char *path, char *out,
                      size_t outsz, char *err, size_t errsz)
{
    char auto_path[64];
    if (!frame) {
        plot__err(err, errsz, "nothing drawn yet");
        return -1;
    }
    if (!path[0]) {
        if (claim_auto_path(auto_path, sizeof auto_path, err, errsz) != 0)
            return -1;
        path = auto_path;
    }
    if (plot_save_png(frame, path, err, errsz) != 0) {
        if (path == auto_path)
            unlink(auto_path);
        return -1;
    }
    snprintf(out, outsz, "%s", path);
    pthread_mutex_lock(&win->mu);
    snprintf(win->last_saved, sizeof win->last_saved, "%s", path);
    win->saved_pending = 1;
    win->saves++;
    pthread_mutex_unlock(&win->mu);
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One line per picture in the trace file (window thread; the snapshot is its own). */
static void trace_frame(thread_state *ts, unsigned long frame, unsigned long version,
                        const snapshot *snap, const plot_info *info)
{
    if (!ts->trace)
        return;
    fprintf(ts->trace, "frame %lu version %lu view %s", frame, version,
            snap->has ? view_name(snap->view) : "none");
    if (snap->has && snap->view == PLOT_VIEW_CLUSTERS) {
        fprintf(ts->trace, " k %u medoids", snap->sc.k);
        for (unsigned j = 0; j < snap->sc.k; j++)
            fprintf(ts->trace, " %u", snap->sc.medoids[j]);
        fprintf(ts->trace, " objective %.10g status ", info->objective);
        for (const char *c = snap->sc.status ? snap->sc.status : ""; *c; c++)
            fputc(*c == '\n' ? ' ' : *c, ts->trace); /* one line per picture */
    }
    fputc('\n', ts->trace);
    fflush(ts->trace);
}

static void redraw(plot_window *win, thread_state *ts)
{
    SDL_Surface *ws = SDL_GetWindowSurface(ts->window);
    if (!ws)
        return;
    int w = ws->w < 200 ? 200 : ws->w, h = ws->h < 150 ? 150 : ws->h;
    snapshot snap;
    pthread_mutex_lock(&win->mu);
    unsigned long version = win->version;
    int ok = take_snapshot(win, &snap) == 0;
    pthread_mutex_unlock(&win->mu);
    if (!ok)
        return; /* out of memory: keep the old frame, retry at the next change */

    plot__ctx c;
    char err[PLOT_ERR_MAX];
    if (plot__begin(&c, w, h, err, sizeof err) != 0) {
        snapshot_free(&snap);
        return;
    }
    plot_info info;
    draw_snapshot(&c, &snap, &info);
    SDL_Surface *frame = SDL_DuplicateSurface(c.s);
    if (frame) {
        SDL_FreeSurface(ts->frame);
        ts->frame = frame;
    }
    /* The key hint (on the screen only, not in saved files). */
    plot__no_clip(&c);
    const char *hint = ts->hint_until > now_s() ? ts->hint
                       : "s save \xC2\xB7 l log/linear \xC2\xB7 Tab next picture \xC2\xB7 q close";
    plot__text(&c, PLOT__F_SMALL, hint, w - 8 * c.px, h - 5 * c.px,
               PLOT__ALIGN_RIGHT | PLOT__VALIGN_BOTTOM, (plot_rgb){0x88, 0x88, 0x88});
    SDL_SetSurfaceBlendMode(c.s, SDL_BLENDMODE_NONE);
    SDL_BlitSurface(c.s, NULL, ws, NULL);
    plot__end(&c, NULL);

    pthread_mutex_lock(&win->mu);
    unsigned long frame_no = ++win->frames;
    win->width = w;
    win->height = h;
    win->info = info;
    win->drawn_version = version;
    if (snap.has && snap.view == PLOT_VIEW_CLUSTERS) { /* what this picture shows */
        win->drawn_k = snap.sc.k < EKM_MAX_K ? snap.sc.k : EKM_MAX_K;
        memcpy(win->drawn_medoids, snap.sc.medoids, win->drawn_k * sizeof *snap.sc.medoids);
        snprintf(win->drawn_status, sizeof win->drawn_status, "%s",
                 snap.sc.status ? snap.sc.status : "");
    }
    pthread_mutex_unlock(&win->mu);
    trace_frame(ts, frame_no, version, &snap, &info);
    snapshot_free(&snap);
    ts->drawn = version;
    ts->dirty = 0;
    /* The picture's one X request comes last, when nothing of this function is left
     * to free: a broken connection leaves from inside it (x_guard). */
    SDL_UpdateWindowSurface(ts->window);
}

static void next_view(plot_window *win)
{
    pthread_mutex_lock(&win->mu);
    for (int i = 1; i <= PLOT_VIEW_COUNT; i++) {
        plot_view v = (plot_view)((win->view + i) % PLOT_VIEW_COUNT);
        if (win->has[v]) {
            win->view = v;
            break;
        }
    }
    win->version++;
    pthread_mutex_unlock(&win->mu);
}

/* A key from the user. Returns 1 when the window must close. */
static int handle_key(plot_window *win, thread_state *ts, SDL_Keycode key)
{
    switch (key) {
    case SDLK_q:
    case SDLK_ESCAPE: return 1;
    case SDLK_s: {
        char saved[WIN_PATH_MAX], err[PLOT_ERR_MAX];
        if (ts->dirty)
            redraw(win, ts);
        if (save_frame(win, ts->frame, "", saved, sizeof saved, err, sizeof err) == 0)
            snprintf(ts->hint, sizeof ts->hint, "saved %s", saved);
        else
            snprintf(ts->hint, sizeof ts->hint, "not saved: %s", err);
        ts->hint_until = now_s() + 4;
        ts->dirty = 1;
        return 0;
    }
    case SDLK_l:
        pthread_mutex_lock(&win->mu);
        win->log_axes = !win->log_axes;
        win->version++;
        pthread_mutex_unlock(&win->mu);
        return 0;
    case SDLK_TAB: next_view(win); return 0;
    default: return 0;
    }
}

static void report_start(plot_window *win, int ok, const char *msg)
{
    pthread_mutex_lock(&win->mu);
    win->started = 1;
    win->start_ok = ok;
    if (!ok)
        snprintf(win->start_err, sizeof win->start_err, "cannot open a plot window: %s", msg);
    pthread_cond_broadcast(&win->cv);
    pthread_mutex_unlock(&win->mu);
}

/* Leave SDL as we found it: when nothing else of SDL is initialised (the plots
 * themselves need no SDL_Init), SDL_Quit also frees SDL's global state (D-Bus, IME),
 * so opening and closing windows does not leak. */
static void video_quit(void)
{
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0)
        SDL_Quit();
}

/* ---- X errors (x_guard) ----
 * Xlib's default answers end the process: a protocol error (BadWindow, ...) prints
 * "X Error of failed request" and calls exit(1), and so does a broken connection
 * (xkill, a window manager's force-quit, the X server going away). SDL installs a
 * protocol error handler of its own at video init, which calls the one it found
 * there, and puts that one back at video quit, just before closing its displays
 * (when the errors of the last requests are read). So ours is installed before
 * SDL's init — SDL then calls it and puts it back — and again after the window is
 * made, which makes it the one in force. Both handlers are process-wide; nothing
 * else in ekm uses X, and every X call is made by the window thread.
 *
 * A protocol error is reported (the window's trace, plot_window_take_note) and
 * ignored: the window goes on, or goes on closing.
 *
 * A broken connection: Xlib calls the I/O error handler, which must not return
 * (Xlib would call exit). XSetIOErrorExitHandler (libX11 1.7) lets a program
 * return from it, but Xlib's _XIOError has then released the display's mutex,
 * and the interrupted call releases it a second time on its way out: undefined
 * behaviour (ThreadSanitizer reports it). So the handler leaves with siglongjmp to
 * the top of the window thread (ts->escape, set before the thread's first SDL
 * call; x_window says which thread has one). What the jump skips is abandoned, never
 * used again: the interrupted SDL and Xlib calls (at that point _XIOError holds the
 * display only through its user lock, XLockDisplay's, which blocks other threads
 * and no other thread uses this display), the dead display, SDL's video state and
 * the window. SDL's teardown is not run either: it would wait forever for X events
 * that cannot come. x_broken then refuses new windows in this process (PNG files
 * still work); the thread's own state is in the plot_window, not on its stack, so
 * the thread still closes its trace, frees its frame and reports that it stopped.
 * An I/O error on any other thread (none is expected) gets the display's exit
 * handler, set where libX11 has it, which marks the connection lost and returns:
 * the process lives, at the price above. libX11 is SDL's (SDL loads it at run
 * time); its functions are looked up, not linked. */
typedef int (*x_error_fn)(Display *, XErrorEvent *);
typedef int (*x_io_error_fn)(Display *);
typedef void (*x_exit_fn)(Display *, void *);

static struct {
    x_error_fn (*set_error_handler)(x_error_fn);
    x_io_error_fn (*set_io_error_handler)(x_io_error_fn);
    void (*set_io_error_exit_handler)(Display *, x_exit_fn, void *); /* libX11 >= 1.7 */
    int (*get_error_text)(Display *, int, char *, int);
    int (*get_error_database_text)(Display *, const char *, const char *, const char *,
                                   char *, int);
    int (*connection_number)(Display *);
    int (*events_queued)(Display *, int);
} X;
static pthread_once_t x_once = PTHREAD_ONCE_INIT;
static _Thread_local plot_window *x_window; /* the window whose thread this is */
static atomic_ulong x_errors_elsewhere;     /* protocol errors on no window's thread */

static void x_load(void)
{
    void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL); /* never closed */
    if (!x11)
        return; /* no X: nothing to guard */
    *(void **)&X.set_error_handler = dlsym(x11, "XSetErrorHandler");
    *(void **)&X.set_io_error_handler = dlsym(x11, "XSetIOErrorHandler");
    *(void **)&X.set_io_error_exit_handler = dlsym(x11, "XSetIOErrorExitHandler");
    *(void **)&X.get_error_text = dlsym(x11, "XGetErrorText");
    *(void **)&X.get_error_database_text = dlsym(x11, "XGetErrorDatabaseText");
    *(void **)&X.connection_number = dlsym(x11, "XConnectionNumber");
    *(void **)&X.events_queued = dlsym(x11, "XEventsQueued");
}

static int on_x_error(Display *display, XErrorEvent *e)
{
    char text[96] = "", request[64] = "", code[16], line[160];
    if (X.get_error_text)
        X.get_error_text(display, e->error_code, text, sizeof text);
    snprintf(code, sizeof code, "%d", e->request_code);
    if (X.get_error_database_text)
        X.get_error_database_text(display, "XRequest", code, "", request, sizeof request);
    if (!text[0])
        snprintf(text, sizeof text, "error %d", e->error_code);
    if (!request[0])
        snprintf(request, sizeof request, "request %d", e->request_code);
    snprintf(line, sizeof line, "X error ignored: %s in %s (resource 0x%lx)", text, request,
             (unsigned long)e->resourceid);
    plot_window *win = x_window;
    if (!win) {
        atomic_fetch_add(&x_errors_elsewhere, 1);
        return 0;
    }
    /* The window thread holds win->mu only where it makes no X call. */
    pthread_mutex_lock(&win->mu);
    if (win->x_errors++ == 0)
        snprintf(win->x_error, sizeof win->x_error, "%s", line);
    pthread_mutex_unlock(&win->mu);
    if (win->ts.trace) {
        fprintf(win->ts.trace, "x-error %s\n", line);
        fflush(win->ts.trace);
    }
    return 0; /* ignored: Xlib goes on */
}

static void on_x_exit(Display *display, void *data)
{
    (void)display;
    (void)data;
    atomic_store(&x_broken, 1); /* returns: the process lives (see above) */
}

static int on_x_io_error(Display *display)
{
    (void)display;
    atomic_store(&x_broken, 1);
    plot_window *win = x_window;
    if (win) {
        atomic_store(&win->x_lost, 1);
        siglongjmp(win->ts.escape, 1); /* to the top of the window thread */
    }
    return 0; /* not a window thread: the display's exit handler comes next */
}

/* Make our handlers the ones in force (window thread). */
static void x_install(void)
{
    pthread_once(&x_once, x_load);
    if (X.set_error_handler)
        X.set_error_handler(on_x_error);
    if (X.set_io_error_handler)
        X.set_io_error_handler(on_x_io_error);
}

/* The window's X connection: its exit handler and the socket to wait on. */
static void x_attach(thread_state *ts)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    ts->x_fd = -1;
    if (!SDL_GetWindowWMInfo(ts->window, &info) || info.subsystem != SDL_SYSWM_X11)
        return;
    Display *d = info.info.x11.display;
    ts->display = d;
    if (X.set_io_error_exit_handler)
        X.set_io_error_exit_handler(d, on_x_exit, NULL);
    if (X.connection_number)
        ts->x_fd = X.connection_number(d);
}

/* After the escape from a broken X connection: what is left to do without SDL. */
static void x_abandon(plot_window *win)
{
    thread_state *ts = &win->ts;
    atomic_store(&win->open, 0);
    if (ts->trace) {
        fprintf(ts->trace, "x-lost the connection to the X display\n");
        fclose(ts->trace);
        ts->trace = NULL;
    }
    SDL_FreeSurface(ts->frame); /* memory only */
    ts->frame = NULL;
    SDL_TLSCleanup(); /* this thread's SDL data (its error message), freed by SDL_Quit else */
    pthread_mutex_lock(&win->mu);
    if (!win->started) {
        win->started = 1;
        win->start_ok = 0;
        snprintf(win->start_err, sizeof win->start_err,
                 "cannot open a plot window: the connection to the X display was lost");
    }
    win->stopped = 1;
    pthread_cond_broadcast(&win->cv);
    pthread_mutex_unlock(&win->mu);
}

static void wake_thread(plot_window *win)
{
    if (win->wake[1] >= 0) {
        ssize_t w = write(win->wake[1], "x", 1); /* full pipe: a wake-up is pending anyway */
        (void)w;
    }
}

/* Sleep until X input, a caller's change, or 25 ms (the hint's timer, and events
 * Xlib read from the socket while waiting for a reply, which poll cannot see). */
static void wait_for_work(plot_window *win, thread_state *ts)
{
    if (ts->display && X.events_queued && X.events_queued(ts->display, 0 /* QueuedAlready */))
        return;
    struct pollfd fds[2];
    nfds_t n = 0;
    if (win->wake[0] >= 0)
        fds[n++] = (struct pollfd){.fd = win->wake[0], .events = POLLIN};
    if (ts->x_fd >= 0)
        fds[n++] = (struct pollfd){.fd = ts->x_fd, .events = POLLIN};
    if (poll(fds, n, 25) > 0 && win->wake[0] >= 0 && (fds[0].revents & POLLIN)) {
        char buf[64];
        while (read(win->wake[0], buf, sizeof buf) > 0) {
        }
    }
}

static void *window_thread(void *arg)
{
    plot_window *win = arg;
    thread_state *ts = &win->ts;
    ts->x_fd = -1;
    if (sigsetjmp(ts->escape, 0) != 0) { /* the X connection broke: see x_guard */
        x_window = NULL;
        x_abandon(win);
        return NULL;
    }
    x_window = win;
    x_install(); /* before SDL's video init: SDL keeps it and puts it back at quit */
    /* SDL must not take SIGINT/SIGTERM from the REPL, nor use OpenGL for a plain
     * framebuffer (slow under Xvfb, and it leaks inside Mesa under LeakSanitizer). */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        x_window = NULL;
        report_start(win, 0, SDL_GetError());
        return NULL;
    }
    /* When no display answers, SDL falls back to its offscreen driver, whose
     * windows are shown nowhere: that is no window. */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!driver || !strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) {
        char why[160];
        snprintf(why, sizeof why, "no display answers (DISPLAY=%.100s)",
                 getenv("DISPLAY") ? getenv("DISPLAY") : "");
        video_quit();
        x_window = NULL;
        report_start(win, 0, why);
        return NULL;
    }
    ts->window = SDL_CreateWindow(win->title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                  win->init_w, win->init_h, SDL_WINDOW_RESIZABLE);
    if (!ts->window) {
        report_start(win, 0, SDL_GetError());
        video_quit();
        x_window = NULL;
        return NULL;
    }
    x_install(); /* in force from now on, instead of SDL's */
    x_attach(ts);
    SDL_SetWindowMinimumSize(ts->window, WIN_MIN_W, WIN_MIN_H);
    if (win->trace_path[0]) /* a file that cannot be opened only means no trace */
        ts->trace = fopen(win->trace_path, "ae");
    atomic_store(&win->open, 1);
    report_start(win, 1, NULL);
    ts->dirty = 1;

    int closing = 0;
    while (!closing) {
        SDL_Event ev;
        while (!closing && SDL_PollEvent(&ev)) {
            switch (ev.type) {
            case SDL_QUIT: closing = 1; break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_CLOSE)
                    closing = 1;
                else if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                         ev.window.event == SDL_WINDOWEVENT_RESIZED ||
                         ev.window.event == SDL_WINDOWEVENT_EXPOSED ||
                         ev.window.event == SDL_WINDOWEVENT_SHOWN)
                    ts->dirty = 1;
                break;
            case SDL_KEYDOWN:
                if (!ev.key.repeat && handle_key(win, ts, ev.key.keysym.sym))
                    closing = 1;
                break;
            default: break;
            }
        }
        pthread_mutex_lock(&win->mu);
        if (win->quit)
            closing = 1;
        if (win->version != ts->drawn)
            ts->dirty = 1;
        int rw = win->resize_w, rh = win->resize_h;
        win->resize_w = win->resize_h = 0;
        int want_save = win->save_req != win->save_done;
        char path[WIN_PATH_MAX];
        snprintf(path, sizeof path, "%s", win->save_path);
        pthread_mutex_unlock(&win->mu);
        if (ts->hint_until > 0 && ts->hint_until <= now_s()) {
            ts->hint_until = 0;
            ts->dirty = 1;
        }
        if (closing)
            break;
        if (rw > 0 && rh > 0) {
            SDL_SetWindowSize(ts->window, rw, rh);
            ts->dirty = 1; /* and again when SDL reports the new size */
        }
        if (ts->dirty)
            redraw(win, ts);
        if (want_save) {
            char out[WIN_PATH_MAX] = "", err[PLOT_ERR_MAX] = "";
            int rc = save_frame(win, ts->frame, path, out, sizeof out, err, sizeof err);
            pthread_mutex_lock(&win->mu);
            win->save_rc = rc;
            snprintf(win->save_result, sizeof win->save_result, "%s", out);
            snprintf(win->save_err, sizeof win->save_err, "%s", err);
            win->save_done = win->save_req;
            pthread_cond_broadcast(&win->cv);
            pthread_mutex_unlock(&win->mu);
            continue; /* more may have come meanwhile */
        }
        if (!ts->dirty)
            wait_for_work(win, ts);
    }
    atomic_store(&win->open, 0);
    /* Destroyed here, by the one thread that made every X request for it; X errors
     * of the teardown (a window the server destroyed already) are ignored. */
    SDL_DestroyWindow(ts->window);
    ts->window = NULL;
    ts->display = NULL;
    ts->x_fd = -1;
    video_quit(); /* closes SDL's X connections: their last errors arrive here */
    x_window = NULL;
    if (ts->trace) {
        fclose(ts->trace);
        ts->trace = NULL;
    }
    SDL_FreeSurface(ts->frame);
    ts->frame = NULL;
    pthread_mutex_lock(&win->mu);
    win->stopped = 1;
    pthread_cond_broadcast(&win->cv);
    pthread_mutex_unlock(&win->mu);
    return NULL;
}

/* ---- the caller's side ---- */

static void window_free(plot_window *win)
{
    scatter_model_free(&win->sc);
    series_model_free(&win->cu);
    series_model_free(&win->sp);
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
    int rc = pthread_create(&win->thread, NULL, window_thread, win);
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
    if (scatter_model_set(&m, in) != 0) {
        plot__err(err, errsz, "clusters picture: out of memory");
        return -1;
    }
    if (lock_open(win, err, errsz) != 0) {
        scatter_model_free(&m);
        return -1;
    }
    scatter_model old = win->sc;
    win->sc = m;
    win->has[PLOT_VIEW_CLUSTERS] = 1;
    clusters_changed(win, show);
    pthread_mutex_unlock(&win->mu);
    wake_thread(win);
    scatter_model_free(&old);
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
    uint32_t *copy = dup_mem(medoids, (size_t)k * sizeof *copy);
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
            plot__err(err, errsz, "%s picture: series %zu has no data", view_name(view), i + 1);
            return -1;
        }
    series_model m;
    if (series_model_set(&m, s, ns, title, subtitle, xlabel, ylabel, xvar, yvar) != 0) {
        plot__err(err, errsz, "%s picture: out of memory", view_name(view));
        return -1;
    }
    m.log_axes = log_axes;
    m.p = p;
    m.max_threads = max_threads;
    if (lock_open(win, err, errsz) != 0) {
        series_model_free(&m);
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
    series_model_free(&old);
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
        plot__err(err, errsz, "the window has no %s picture yet", view_name(view));
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
