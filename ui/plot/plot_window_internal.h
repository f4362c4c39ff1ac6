/* plot_window_internal.h — the live window's private half, shared by its files:
 * the model (plot_window_model.c), the window thread (plot_window_thread.c), the X
 * error guard (plot_window_x.c) and the callers' side (plot_window.c, which also
 * describes the threading). Only files of ui/plot include it.
 */
#ifndef EKM_UI_PLOT_WINDOW_INTERNAL_H
#define EKM_UI_PLOT_WINDOW_INTERNAL_H

#include "plot/plot_internal.h"

#include <X11/Xlib.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>

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


typedef struct timeline_model {
    timeline *tl;       /* NULL: none */
    char title[160], subtitle[256];
} timeline_model;

/* Copies of a picture's data (under the window's lock); free releases and empties. */
void plot__timeline_model_free(timeline_model *m);
int plot__timeline_model_set(timeline_model *m, const plot_timeline_input *in);
void plot__timeline_model_input(const timeline_model *m, plot_timeline_input *in);
void plot__scatter_model_free(scatter_model *m);
int plot__scatter_model_set(scatter_model *m, const plot_scatter_input *in);
void plot__scatter_model_input(const scatter_model *m, plot_scatter_input *in);
void plot__series_model_free(series_model *m);
int plot__series_model_set(series_model *m, const plot_series *s, size_t ns, const char *title,
                           const char *subtitle, const char *xlabel, const char *ylabel,
                           const char *xvar, const char *yvar);
/* A malloc'ed copy of bytes bytes at p (NULL when p is NULL or bytes 0, or no memory). */
void *plot__win_dup_mem(const void *p, size_t bytes);


/* The window thread's own state. It lives in the plot_window (not on the thread's
 * stack) so that it is still valid after the thread's escape from a broken X
 * connection (siglongjmp; see x_guard in plot_window_x.c). */
typedef struct thread_state {
    SDL_Window *window;
    FILE *trace;          /* EKM_PLOT_TRACE, or NULL */
    SDL_Surface *frame;   /* the last picture, as saved */
    unsigned long drawn;  /* model version drawn */
    int dirty;
    char hint[WIN_PATH_MAX + 64];
    double hint_until;    /* a transient message in the hint line */
    char title[256];      /* the window title set last */
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
    timeline_model tm;
    struct silhouette_model *sil; /* plot_silhouette_view.c */
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

/* The thread's side (plot_window_thread.c). */
void *plot__window_thread(void *arg);
const char *plot__view_name(plot_view v);
/* Wake the window thread after a change of the model (plot_window.c). */
void plot__window_wake(plot_window *win);
/* Lock win->mu if the window is still open; else an error (plot_window.c). */
int plot__window_lock_open(plot_window *win, char *err, size_t errsz);

/* The X error guard (plot_window_x.c). */
extern atomic_int plot__x_broken; /* the X connection broke once: no more windows here */
extern _Thread_local plot_window *plot__x_window; /* the window whose thread this is */
void plot__x_install(void);
void plot__x_attach(thread_state *ts);
void plot__x_abandon(plot_window *win);
void plot__x_wait_for_work(plot_window *win, thread_state *ts);

#endif
