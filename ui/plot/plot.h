/* plot.h — pictures of clusterings and benchmarks, drawn with SDL2 (the plot module's
 * public face; its own files share the private half, plot_internal.h).
 *
 * Three pictures: the clusters (a scatter of the points coloured by cluster, the
 * medoids larger and outlined, PCA for D > 2), the runtime curves (time vs N per
 * strategy, with fitted lines) and the speedup curves (measured points with the
 * Amdahl and Gustafson models). Each is drawn offscreen on a software surface (no
 * display, no video subsystem), returned as an SDL surface or saved as PNG, at any
 * size: fonts, markers and margins scale with it. A live window (plot_window_*)
 * shows the same pictures from its own thread, fed through a locked model.
 *
 * Every drawing function takes the output size and reports, in a plot_info, the
 * transform it used from data to pixels, so tests can predict where a point lands.
 * Errors: functions return 0 on success and -1 on failure, with a one-line message
 * in the caller's buffer (err, errsz; either may be NULL/0). Nothing prints or exits.
 * All functions may be called many times in one process and from several threads
 * (fonts are opened under a lock; TTF is initialised once).
 */
#ifndef EKM_UI_PLOT_H
#define EKM_UI_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"
#include "common/timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

struct SDL_Surface;

enum { PLOT_ERR_MAX = 256 };       /* a comfortable size for err buffers */
enum { PLOT_PALETTE_SIZE = 8 };

typedef struct plot_rgb {
    uint8_t r, g, b;
} plot_rgb;

typedef enum plot_marker {
    PLOT_MARKER_CIRCLE = 0,
    PLOT_MARKER_SQUARE,
    PLOT_MARKER_TRIANGLE_UP,
    PLOT_MARKER_DIAMOND,
    PLOT_MARKER_TRIANGLE_DOWN,
    PLOT_MARKER_PLUS,
    PLOT_MARKER_HEXAGON,
    PLOT_MARKER_CROSS,
    PLOT_MARKER_COUNT
} plot_marker;

/* Colour i of the colour-blind-safe palette (Okabe & Ito 2008: blue, orange,
 * bluish green, vermillion, sky blue, reddish purple, yellow, grey); cycles every 8. */
plot_rgb plot_palette(unsigned i);
/* Marker of cluster i: circles for the first 8 clusters, then the next shape for
 * each further round of the palette, so (colour, shape) stays unique up to 64. */
plot_marker plot_cluster_marker(unsigned i);
/* Marker of series i in the curves: a different shape per series (cycles every 8). */
plot_marker plot_series_marker(unsigned i);
/* The colours used for the background, the medoid outline and the model curves. */
plot_rgb plot_background_color(void); /* white */
plot_rgb plot_medoid_outline_color(void); /* black */
plot_rgb plot_model_color(void);     /* Amdahl and Gustafson curves (near black) */

/* ---- the data -> pixel transform ---- */
typedef struct plot_transform {
    double left, top, right, bottom; /* the data area in pixels (y grows downwards) */
    double xmin, xmax, ymin, ymax;   /* the data range shown, in data units */
    int xlog, ylog;                  /* 1: that axis is logarithmic (base 10) */
} plot_transform;

/* Pixel coordinates of the data point (x, y): px = left + (X - X0)/(X1 - X0) *
 * (right - left), py = bottom - (Y - Y0)/(Y1 - Y0) * (bottom - top), where X, X0, X1
 * are log10 of x, xmin, xmax on a log axis (else the values), the same for y. The
 * pixel containing the point is (floor(px), floor(py)). Returns 0, or -1 when the
 * point cannot be placed (a value <= 0 on a log axis, a non-finite value). */
int plot_transform_apply(const plot_transform *t, double x, double y, double *px, double *py);

/* What a drawing function drew, for callers and tests. */
typedef struct plot_info {
    int width, height;
    plot_transform transform;
    double marker_radius;  /* scatter: radius of an ordinary point, pixels */
    double medoid_radius;  /* scatter: outer radius of a medoid marker, outline included */
    double medoid_outline; /* scatter: width of the medoid outline (inside medoid_radius) */
    int projected;         /* scatter: 1 when the points are shown on PC1/PC2 */
    double explained[2];   /* scatter, projected: explained variance ratio of PC1, PC2 */
    double objective;      /* scatter: the objective shown (NAN when none) */
    char xlabel[96], ylabel[96];
} plot_info;

/* ---- clusters ---- */
typedef struct plot_scatter_input {
    const ekm_dataset *ds;        /* required: the points (any D >= 1) */
    const ekm_dissim *dm;         /* required when cluster is NULL: assigns points to medoids */
    const uint32_t *medoids;      /* k point indices (required, k >= 1) */
    unsigned k;
    const int32_t *cluster;       /* n entries in 0..k-1, or NULL (computed with dm) */
    const uint32_t *cluster_size; /* k, or NULL (counted) */
    const double *cluster_cost;   /* k, or NULL (computed with dm when there is one) */
    const char *name;             /* title: dataset name (NULL: ekm_dataset_name's basename) */
    const char *strategy;         /* title: strategy name (NULL: left out) */
    const char *metric;           /* title: metric (NULL: the dissim's, else left out) */
    double objective;             /* title: NAN means the computed one (or none) */
    const char *status;           /* second title line (NULL: none), e.g. "running, 42 %" */
    /* Polled during the projection on the principal components (D > 2): nonzero
     * stops the drawing with an error saying "cancelled". NULL: never. */
    int (*cancelled)(void *ctx);
    void *cancel_ctx;
} plot_scatter_input;

/* Every field empty, objective NAN. */
void plot_scatter_input_init(plot_scatter_input *in);
/* Fill in from a finished result (pointers into r and ds: keep them alive).
 * dm may be NULL. */
void plot_scatter_input_from_result(plot_scatter_input *in, const ekm_dataset *ds,
                                    const ekm_dissim *dm, const ekm_result *r);

/* Draw the clusters at w×h (each at least 200×150) into a new ARGB8888 surface
 * (*out; free it with SDL_FreeSurface). info may be NULL. */
int plot_scatter_render(const plot_scatter_input *in, int w, int h, struct SDL_Surface **out,
                        plot_info *info, char *err, size_t errsz);
int plot_scatter_png(const plot_scatter_input *in, int w, int h, const char *path,
                     plot_info *info, char *err, size_t errsz);

/* ---- runtime curves and speedup ---- */
enum { PLOT_FIT_LINEAR = 1u, PLOT_FIT_POWER = 2u };

typedef struct plot_series {
    const char *name;   /* legend text, e.g. a strategy name */
    const double *x, *y;/* n measured points (on log axes, points <= 0 are left out) */
    size_t n;
    unsigned fits;      /* PLOT_FIT_LINEAR | PLOT_FIT_POWER: which fitted lines to draw */
    double lin_a, lin_b;/* linear fit  y = a·x + b */
    double pow_c, pow_p;/* power law   y = c·x^p */
    double bound;       /* speedup: the plan's bound (total / critical path), drawn as
                         * min(T, bound) in the series' colour, dotted; 0: none */
} plot_series;

typedef struct plot_curves_input {
    const char *title;    /* NULL: "Runtime vs N" */
    const char *subtitle; /* NULL: none */
    const char *xlabel;   /* NULL: "N (points)" */
    const char *ylabel;   /* NULL: "time (s)" */
    const char *xvar, *yvar; /* names in the fitted equations (NULL: "N", "t") */
    const plot_series *series;
    size_t n_series;
    int log_axes;         /* 1: both axes logarithmic (power laws are straight lines) */
} plot_curves_input;

typedef struct plot_speedup_input {
    const char *title;    /* NULL: "Speedup vs threads" */
    const char *subtitle; /* NULL: none */
    const plot_series *series; /* x = threads, y = measured speedup; fits are ignored */
    size_t n_series;
    double parallel_fraction; /* p in [0, 1] for Amdahl and Gustafson (ekm_amdahl,
                               * ekm_gustafson in ekm/fit.h); NAN: no models */
    double max_threads;       /* right end of the axis (0: the largest measured x) */
    int log_axes;
    /* Per series (NULL: none): the plan's total / critical path, drawn in the
     * series' colour as its bound min(T, it) (<= 0: none); and the parallel
     * fraction fitted to the series, whose Amdahl and Gustafson curves are drawn
     * in its colour (NAN: none). */
    const double *series_bound;
    const double *series_p;
} plot_speedup_input;

int plot_curves_render(const plot_curves_input *in, int w, int h, struct SDL_Surface **out,
                       plot_info *info, char *err, size_t errsz);
int plot_curves_png(const plot_curves_input *in, int w, int h, const char *path,
                    plot_info *info, char *err, size_t errsz);
int plot_speedup_render(const plot_speedup_input *in, int w, int h, struct SDL_Surface **out,
                        plot_info *info, char *err, size_t errsz);
int plot_speedup_png(const plot_speedup_input *in, int w, int h, const char *path,
                     plot_info *info, char *err, size_t errsz);

/* ---- the timeline: each thread's stages over time (common/timeline.h) ---- */
typedef struct plot_timeline_input {
    const timeline *tl;   /* required: measured (timeline_from_progress) or simulated */
    const char *title;    /* NULL: "Timeline of STRATEGY on T threads" */
    const char *subtitle; /* measured: what ran (data, N, K), NULL: none */
} plot_timeline_input;

void plot_timeline_input_init(plot_timeline_input *in);
int plot_timeline_render(const plot_timeline_input *in, int w, int h, struct SDL_Surface **out,
                         plot_info *info, char *err, size_t errsz);
int plot_timeline_png(const plot_timeline_input *in, int w, int h, const char *path,
                      plot_info *info, char *err, size_t errsz);

/* Save a surface as PNG. */
int plot_save_png(struct SDL_Surface *s, const char *path, char *err, size_t errsz);

/* The font file the plots use ($EKM_FONT, fonts/ of ekm's data folder, then the
 * system's DejaVu Sans), or NULL with a message when none is found. */
const char *plot_font_path(char *err, size_t errsz);

/* ---- the live window ----
 * A window shown by its own thread, which makes every SDL call for it (video
 * init, window, events, drawing); callers hand it data through a locked model, so
 * a REPL or TUI never blocks and a running job can update the medoids live.
 * Keys: s saves a PNG (ekm-plot-N.png in the current directory), l toggles log /
 * linear axes on the curves, Tab goes to the next view (clusters, runtime curves,
 * speedup, timeline: every one, saying what it waits for when it has no picture
 * yet), q or Esc closes. The window's title names the view and its data. Closing the window (key or window manager) only ends that thread, and so
 * does a broken X connection (xkill, the X server gone): no X error ends the
 * process (they are reported by plot_window_take_note). One window per process
 * at a time.
 * With EKM_PLOT_TRACE=FILE in the environment when it opens, the window thread
 * appends one line to FILE per picture drawn, for tests and bug reports:
 *   frame F version V view clusters k K medoids M1 M2 ... objective X status TEXT
 * (other views: "frame F version V view runtime|speedup|timeline", or "none" followed
 * by the view's name when it has no picture yet), and one line per
 * X error ignored ("x-error TEXT") or connection lost ("x-lost TEXT"). */
typedef struct plot_window plot_window;

typedef enum plot_view {
    PLOT_VIEW_CLUSTERS = 0,
    PLOT_VIEW_CURVES,
    PLOT_VIEW_SPEEDUP,
    PLOT_VIEW_TIMELINE,
    PLOT_VIEW_SILHOUETTE, /* plot_silhouette.h */
    PLOT_VIEW_COUNT
} plot_view;

/* 0 when a window can be opened here; -1 with the reason (no DISPLAY and no
 * WAYLAND_DISPLAY, SDL_VIDEODRIVER=offscreen/dummy, or the X connection of an
 * earlier window broke: xkill, the X server gone). Makes no SDL call. */
int plot_window_available(char *err, size_t errsz);
/* Open a w×h resizable window (0: 1280×800) and return once it shows (or failed,
 * with SDL's reason). */
int plot_window_open(plot_window **out, const char *title, int w, int h, char *err,
                     size_t errsz);
/* 1 while the window is shown; 0 once the user closed it (still call close). */
int plot_window_is_open(plot_window *win);
/* Close (if still shown), join the thread, free. NULL is fine. */
void plot_window_close(plot_window *win);

/* Replace a picture (deep copies; the dataset and dissim are retained) and show it. */
int plot_window_update_clusters(plot_window *win, const plot_scatter_input *in, char *err,
                                size_t errsz);
/* New medoids for the clusters picture (e.g. a running job's best so far): the
 * assignment is recomputed in the window thread with the picture's dissim.
 * objective NAN: computed; status NULL: unchanged. */
int plot_window_update_medoids(plot_window *win, const uint32_t *medoids, unsigned k,
                               double objective, const char *status, char *err, size_t errsz);
int plot_window_update_curves(plot_window *win, const plot_curves_input *in, char *err,
                              size_t errsz);
int plot_window_update_speedup(plot_window *win, const plot_speedup_input *in, char *err,
                               size_t errsz);
/* Replace the timeline picture (a copy of in->tl and its texts). */
int plot_window_update_timeline(plot_window *win, const plot_timeline_input *in, char *err,
                                size_t errsz);
/* The name of a view ("clusters", "runtime", "speedup", "timeline"). */
const char *plot_view_name(plot_view v);
/* Show one of the pictures the window holds. */
int plot_window_show(plot_window *win, plot_view view, char *err, size_t errsz);
/* Resize the window to w×h (at least 320×240), as a user dragging its border would;
 * the picture is redrawn at the new size. */
int plot_window_resize(plot_window *win, int w, int h, char *err, size_t errsz);
/* Save what the window shows, like the s key: to path, or ekm-plot-N.png in the
 * current directory when path is NULL. Waits (at most 10 s) for the window
 * thread; the file written goes to saved (may be NULL). */
int plot_window_save(plot_window *win, const char *path, char *saved, size_t savedsz,
                     char *err, size_t errsz);
/* The newest PNG saved by the window (s key or plot_window_save) not yet reported:
 * returns 1 and copies its path, else 0. */
int plot_window_take_saved(plot_window *win, char *path, size_t size);
/* What the window shows: a copy taken under the model's lock. */
typedef struct plot_window_state {
    int open;
    unsigned long frames; /* pictures drawn so far */
    plot_view view;
    int width, height;    /* size of the last picture */
    int log_axes;
    unsigned long saves;  /* PNG files written */
    plot_info info;       /* the last picture's transform and sizes */
    unsigned long version;       /* the model's version now (every update bumps it) */
    unsigned long drawn_version; /* the version the last picture was drawn from */
    /* The last clusters picture drawn (k 0: none yet): its medoids and status line. */
    unsigned k;
    uint32_t medoids[EKM_MAX_K];
    char status[192];
    /* X errors: protocol errors ignored (and the first of them), a lost connection. */
    unsigned long x_errors;
    char x_error[160];
    int x_lost;
} plot_window_state;
void plot_window_get_state(plot_window *win, plot_window_state *out);
/* Something the user should hear about the window, once: an X error that was
 * ignored, or the X connection lost (the window closed; the session goes on).
 * Returns 1 with the message, else 0. */
int plot_window_take_note(plot_window *win, char *note, size_t size);

/* ---- following a running job (the REPL's and the dashboard's live picture) ----
 * The UI's loop calls plot_window_follow() a few times a second while a job runs
 * (and once more after it ends). The clusters picture then shows the job's best
 * medoids so far: pushed as soon as they change (the points are assigned to them
 * in the window thread), with a status line giving the time and the share of the
 * K-subsets done, refreshed at most once a second when the medoids stay. A
 * cancelled or failed job leaves its last best medoids on show with a status that
 * says so (not proven optimal); a finished one is left to the caller, which shows
 * its result (plot_window_update_clusters). Following never changes the picture the
 * user looks at (Tab), unless the window has nothing to show in it yet. */
typedef struct plot_follow {
    const ekm_job *job;          /* the job followed (identity only) */
    const ekm_dissim *dm;        /* its matrix (identity only) */
    unsigned k;                  /* 0: the window shows nothing of this job */
    uint32_t medoids[EKM_MAX_K]; /* the medoids pushed last */
    double pushed_elapsed;       /* the job's time at the last push */
    int ended;                   /* 1: its end was handled; nothing more to push */
    int no_points;               /* 1: it cannot be drawn (said once) */
} plot_follow;

/* Forget what was pushed, so that the next call pushes again: call it when a new
 * job starts, when a window opens, or when something else replaced the clusters. */
void plot_follow_reset(plot_follow *f);
/* Show job's best medoids so far in win. dm is the matrix the job runs on (it must
 * have points); it may be NULL once the UI has collected the job, when only the
 * end of a cancelled or failed job remains to be shown. Returns 1 when it pushed
 * something to the window, 0 when nothing had to change (no best yet, the same
 * medoids shown less than a second ago, a finished job, nothing to follow), -1 with
 * err when the job cannot be shown (a closed window, no points): f then stops
 * following that job, so the error is reported once. */
int plot_window_follow(plot_window *win, plot_follow *f, ekm_job *job, const ekm_dissim *dm,
                       char *err, size_t errsz);


#ifdef __cplusplus
}
#endif
#endif
