/* plot_window_thread.c — the window thread: it makes every SDL call for the
 * window, takes a snapshot of the model under the lock, draws it without the lock,
 * saves PNG files, handles the keys and records what it drew (plot_window.c
 * describes the threading as a whole).
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
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct snapshot {
    plot_view view;
    int has;
    scatter_model sc;
    series_model se;
    timeline_model tm;
    silhouette_model *sil; /* the silhouette view's copy */
    int log_axes;
    char title[256]; /* the window's title for this picture */
} snapshot;

static void snapshot_free(snapshot *s)
{
    plot__scatter_model_free(&s->sc);
    plot__series_model_free(&s->se);
    plot__timeline_model_free(&s->tm);
    plot__silhouette_model_free(s->sil);
}

/* The views, in the order Tab visits them: adding a view is one entry here (and its
 * model and drawing in the switch of draw_snapshot). */
static const struct view_entry {
    const char *name;  /* in traces and the window title */
    const char *title; /* the window title's words */
    const char *empty; /* what the view waits for */
} views[PLOT_VIEW_COUNT] = {
    [PLOT_VIEW_CLUSTERS] = {"clusters", "clusters", "no clusters yet: a finished run shows its medoids here"},
    [PLOT_VIEW_CURVES] = {"runtime", "runtime curves",
                          "no runtime curves yet: they follow the session's finished runs"},
    [PLOT_VIEW_SPEEDUP] = {"speedup", "speedup",
                           "no speedups yet: run seq, then a strategy on the same data and K"},
    [PLOT_VIEW_TIMELINE] = {"timeline", "timeline",
                            "no timeline yet: a run shows each thread's stages over time here"},
    [PLOT_VIEW_SILHOUETTE] = {"silhouette", "silhouette",
                              "no silhouettes yet: a finished run's clusters give them"},
};

/* The window title for the snapshot's view: "ekm - speedup: iris, N=150, K=3". */
static void set_title(snapshot *s, const char *base, const char *detail)
{
    snprintf(s->title, sizeof s->title, "%.60s - %.30s%s%.150s", base,
             views[s->view].title, detail && *detail ? ": " : "", detail ? detail : "");
}

/* Copy what the current view needs (under mu). */
static int take_snapshot(plot_window *win, snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->view = win->view;
    s->has = win->has[win->view];
    s->log_axes = win->log_axes;
    set_title(s, win->title, NULL);
    if (!s->has)
        return 0;
    if (s->view == PLOT_VIEW_CLUSTERS) {
        plot_scatter_input in;
        plot__scatter_model_input(&win->sc, &in);
        if (in.name && *in.name)
            set_title(s, win->title, in.name);
        return plot__scatter_model_set(&s->sc, &in);
    }
    if (s->view == PLOT_VIEW_TIMELINE) {
        plot_timeline_input in;
        plot__timeline_model_input(&win->tm, &in);
        if (in.subtitle)
            set_title(s, win->title, in.subtitle);
        return plot__timeline_model_set(&s->tm, &in);
    }
    if (s->view == PLOT_VIEW_SILHOUETTE) {
        plot_silhouette_input in;
        plot__silhouette_model_input(win->sil, &in);
        return (s->sil = plot__silhouette_model_new(&in)) ? 0 : -1;
    }
    const series_model *m = s->view == PLOT_VIEW_CURVES ? &win->cu : &win->sp;
    if (plot__series_model_set(&s->se, m->series, m->n_series, m->title, m->subtitle, m->xlabel,
                         m->ylabel, m->xvar, m->yvar) != 0)
        return -1;
    s->se.p = m->p;
    s->se.max_threads = m->max_threads;
    if (m->subtitle && *m->subtitle)
        set_title(s, win->title, m->subtitle);
    return 0;
}

const char *plot__view_name(plot_view v)
{
    return (int)v >= 0 && v < PLOT_VIEW_COUNT ? views[v].name : "?";
}

const char *plot_view_name(plot_view v) { return plot__view_name(v); }

/* Draw the snapshot into c; on failure draw the message instead. */
static void draw_snapshot(plot__ctx *c, const snapshot *s, plot_info *info)
{
    char err[PLOT_ERR_MAX] = "";
    int rc = -1;
    memset(info, 0, sizeof *info);
    if (!s->has) {
        plot__text(c, PLOT__F_LABEL, views[s->view].empty, c->w / 2.0, c->h / 2.0,
                   PLOT__ALIGN_CENTER | PLOT__VALIGN_MIDDLE, (plot_rgb){0x66, 0x66, 0x66});
        return;
    }
    if (s->view == PLOT_VIEW_CLUSTERS) {
        plot_scatter_input in;
        plot__scatter_model_input(&s->sc, &in);
        rc = plot__scatter_draw(c, &in, info, err, sizeof err);
    } else if (s->view == PLOT_VIEW_SILHOUETTE) {
        plot_silhouette_input in;
        plot__silhouette_model_input(s->sil, &in);
        rc = plot__silhouette_draw(c, &in, info, err, sizeof err);
    } else if (s->view == PLOT_VIEW_CURVES) {
        plot_curves_input in = {s->se.title, s->se.subtitle, s->se.xlabel, s->se.ylabel,
                                s->se.xvar,  s->se.yvar,     s->se.series, s->se.n_series,
                                s->log_axes};
        rc = plot__curves_draw(c, &in, info, err, sizeof err);
    } else if (s->view == PLOT_VIEW_SPEEDUP) {
        plot_speedup_input in = {s->se.title, s->se.subtitle, s->se.series, s->se.n_series,
                                 s->se.p,     s->se.max_threads, s->log_axes, NULL, NULL};
        rc = plot__speedup_draw(c, &in, info, err, sizeof err);
    } else {
        plot_timeline_input in;
        plot__timeline_model_input(&s->tm, &in);
        rc = plot__timeline_draw(c, &in, info, err, sizeof err);
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
    fprintf(ts->trace, "frame %lu version %lu view %s%s", frame, version,
            snap->has ? "" : "none ", plot__view_name(snap->view));
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
    char title[sizeof snap.title];
    snprintf(title, sizeof title, "%s", snap.title);
    snapshot_free(&snap);
    ts->drawn = version;
    ts->dirty = 0;
    /* The picture's X requests come last, when nothing of this function is left to
     * free: a broken connection leaves from inside them (x_guard). */
    if (strcmp(title, ts->title)) {
        snprintf(ts->title, sizeof ts->title, "%s", title);
        SDL_SetWindowTitle(ts->window, title);
    }
    SDL_UpdateWindowSurface(ts->window);
}

static void next_view(plot_window *win)
{
    pthread_mutex_lock(&win->mu);
    /* every view, in turn: the clusters and their silhouettes, then the session's */
    static const plot_view order[PLOT_VIEW_COUNT] = {PLOT_VIEW_CLUSTERS, PLOT_VIEW_SILHOUETTE,
                                                     PLOT_VIEW_CURVES, PLOT_VIEW_SPEEDUP,
                                                     PLOT_VIEW_TIMELINE};
    int at = 0;
    while (at < PLOT_VIEW_COUNT && order[at] != win->view)
        at++;
    win->view = order[(at + 1) % PLOT_VIEW_COUNT];
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


void *plot__window_thread(void *arg)
{
    plot_window *win = arg;
    thread_state *ts = &win->ts;
    ts->x_fd = -1;
    if (sigsetjmp(ts->escape, 0) != 0) { /* the X connection broke: see x_guard */
        plot__x_window = NULL;
        plot__x_abandon(win);
        return NULL;
    }
    plot__x_window = win;
    plot__x_install(); /* before SDL's video init: SDL keeps it and puts it back at quit */
    /* SDL must not take SIGINT/SIGTERM from the REPL, nor use OpenGL for a plain
     * framebuffer (slow under Xvfb, and it leaks inside Mesa under LeakSanitizer). */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        plot__x_window = NULL;
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
        plot__x_window = NULL;
        report_start(win, 0, why);
        return NULL;
    }
    ts->window = SDL_CreateWindow(win->title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                  win->init_w, win->init_h, SDL_WINDOW_RESIZABLE);
    if (!ts->window) {
        report_start(win, 0, SDL_GetError());
        video_quit();
        plot__x_window = NULL;
        return NULL;
    }
    plot__x_install(); /* in force from now on, instead of SDL's */
    plot__x_attach(ts);
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
            plot__x_wait_for_work(win, ts);
    }
    atomic_store(&win->open, 0);
    /* Destroyed here, by the one thread that made every X request for it; X errors
     * of the teardown (a window the server destroyed already) are ignored. */
    SDL_DestroyWindow(ts->window);
    ts->window = NULL;
    ts->display = NULL;
    ts->x_fd = -1;
    video_quit(); /* closes SDL's X connections: their last errors arrive here */
    plot__x_window = NULL;
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
