/* tui_internal.h — the dashboard's own pieces, for the ui/tui sources and its unit test
 * (tests/unit/test_tui_render.c) only; everyone else calls tui.h.
 *
 * The screen is drawn in two steps. A pure renderer (tui_render) turns a screen
 * model — an engine snapshot plus the workspace's settings and history and the
 * dashboard's own state — into a character grid of rows × cols cells, each a
 * Unicode character and a role (what the cell shows: a running stage, a key, an
 * error...). Then the terminal layer (tui_term_*, the only code that calls
 * ncurses) copies the grid to the screen, mapping roles to colours. Tests render
 * fixed, hand-built snapshots and compare the grid with golden text files.
 */
#ifndef EKM_UI_TUI_INTERNAL_H
#define EKM_UI_TUI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/progress_snap.h"
#include "common/settings.h"
#include "common/workspace.h"
#include "ekm/job.h"
#include "ekm/plan.h"
#include "plot/plot.h"
#include "tui/tui_draw.h"
#include "tui/tui_grid.h"

/* ---- numbers in words (tui_format.c) ---- */

/* "23.1M", "4.20G", "950" (3 significant digits, SI suffixes). */
const char *tui_fmt_compact(char *buf, size_t size, double v);
/* "0.42s", "12.3s", "4m05s", "2h03m", "3.1d"; "-" for a negative or non-finite value. */
const char *tui_fmt_seconds(char *buf, size_t size, double s);
/* "1.93×" or "1.93x"; "-" when v <= 0 or not finite. */
const char *tui_fmt_ratio(char *buf, size_t size, double v, int utf8);
/* The last path component without a .csv/.tsv/.txt extension ("iris"). */
const char *tui_fmt_basename(char *buf, size_t size, const char *path);
/* "{12, 345, 1200}" for k medoids (0-based indices, as the engine numbers points). */
const char *tui_fmt_medoids(char *buf, size_t size, const uint32_t *medoids, unsigned k);

/* ---- busy meters over the last second (tui_meters.c) ---- */

enum { TUI_METER_SAMPLES = 32 };

/* Recent (elapsed, busy seconds per thread) samples of one job. */
typedef struct tui_meters {
    int n_threads;
    int count, head;                 /* ring of samples */
    double t[TUI_METER_SAMPLES];     /* job elapsed seconds */
    double *busy;                    /* TUI_METER_SAMPLES × EKM_MAX_THREADS */
    int busy_now[EKM_MAX_THREADS];   /* the newest snapshot's busy flags */
} tui_meters;

int tui_meters_init(tui_meters *m);
void tui_meters_free(tui_meters *m);
void tui_meters_reset(tui_meters *m);
/* Seconds thread t of snapshot p has worked so far, counting the running part of
 * a staged stage (the engine adds a stage's time to busy_seconds when it ends). */
double tui_thread_busy_seconds(const progress_snap *p, int t);
/* Record a snapshot (elapsed going backwards starts over). */
void tui_meters_add(tui_meters *m, const progress_snap *p);
/* Busy fraction (0..1) of thread t over the last second: the growth of its busy
 * seconds divided by the time between the newest sample and the newest one at
 * least a second older (or the oldest); with less than 50 ms of samples, its
 * busy flag. */
double tui_meters_fraction(const tui_meters *m, int t);

/* ---- estimates (tui_estimate.c) ---- */

/* Point-evaluations per second per thread assumed with no history (the kernel
 * runs near 2e10 per core here; a lower figure errs towards asking first). */
#define TUI_DEFAULT_EVAL_RATE 1e10

/* Point-evaluations per second per thread measured by the newest finished exact
 * run of half a second or more in the history (evaluated × N / predicted speedup /
 * seconds: the busiest thread's share of the work over the time), or
 * TUI_DEFAULT_EVAL_RATE when there is none. */
double tui_eval_rate(const workspace *ws);
/* Seconds the plan should take: its makespan (in K-subsets on its threads) × N
 * point-evaluations each / rate. Negative when the plan has no exact total. */
double tui_plan_estimate(const ekm_plan *plan, double eval_rate);
/* Seconds left for a running job: the larger of the remaining work spread over
 * the threads and the heaviest remaining root-to-leaf chain of stages run by one
 * thread, at the per-thread rate measured so far (done / busy seconds).
 * Negative when unknown (nothing done yet, no total). */
double tui_job_eta(const progress_snap *p);

/* ---- the screen model and the renderer (tui_render.c and its parts) ---- */

typedef struct tui_data_info {
    char name[128];  /* "" when nothing is loaded */
    size_t n, d;     /* d 0: a precomputed matrix */
    ekm_metric metric;
} tui_data_info;

typedef enum tui_input_kind {
    TUI_INPUT_NONE = 0,
    TUI_INPUT_LOAD,       /* a path to load */
    TUI_INPUT_PARTITIONS, /* tree partitions */
    TUI_INPUT_CONFIRM     /* a y/n question */
} tui_input_kind;

typedef struct tui_screen {
    int utf8;
    tui_data_info data;
    const workspace *ws;      /* settings and the run history (read only) */
    const progress_snap *snap; /* the job's snapshot or the settings' plan; NULL: none */
    int preview;              /* 1: snap is the plan of the settings, not started */
    const ekm_plan *plan;     /* the plan behind snap (bound, prediction), or NULL */
    const char *plan_error;   /* why there is no plan for the settings (K > N...), or NULL */
    double estimate;          /* preview: estimated seconds (< 0: unknown) */
    double eta;               /* running: seconds left (< 0: unknown) */
    const double *busy;       /* snap->sum.n_threads busy fractions (NULL: all idle) */
    int plan_scroll;          /* first plan line shown */
    const char *status;       /* the status line ("" or NULL: a hint) */
    int status_error;
    tui_input_kind input;     /* a prompt on the bottom line instead of the status */
    const char *prompt;       /* its question */
    const char *input_text;   /* what the user typed so far */
    int help;                 /* 1: the help screen covers the dashboard */
    const char *help_text;
    int help_scroll;
    /* the Timeline panel */
    const progress_snap *ran; /* the last job's snapshot (running or ended), NULL: none */
    const ekm_plan *ran_plan; /* its plan (for simulations), or NULL */
    int timeline;             /* 1 shown, -1 hidden, 0 shown when the screen has room */
    int simulate;             /* > 0: draw the plan on this many threads from measured times */
    /* The quality of the finished exact result shown (0: none to show). */
    int has_silhouette;
    double silhouette;        /* mean; NaN: not defined (K = 1) */
    int has_ari;
    double ari;               /* against the data's class labels */
} tui_screen;

/* The plan as a snapshot in which every stage waits: what r would run (the plan
 * view shows it before a run). Grows p's buffers to the plan's sizes: 0, or -1
 * when out of memory. */
int tui_plan_snapshot(const ekm_plan *plan, progress_snap *p);
/* The plan ws->settings give on the loaded data (free it with ekm_plan_free);
 * NULL with the reason in err, or with err empty when no data is loaded. */
ekm_plan *tui_settings_plan(const workspace *ws, char *err, size_t errsize);

/* Zero everything, estimate and eta -1. */
void tui_screen_init(tui_screen *s);

/* Where the cursor goes (the prompt's input end), or row -1 for none. */
typedef struct tui_cursor {
    int row, col;
} tui_cursor;

/* What a render laid out, for the loop: the cursor, and the plan view's scroll
 * position after clamping (first line shown, lines shown, lines in all). */
typedef struct tui_render_info {
    tui_cursor cursor;
    int plan_first, plan_rows, plan_lines;
} tui_render_info;

/* Render the whole screen into g (its size is the terminal's). info may be NULL. */
void tui_render(const tui_screen *s, tui_grid *g, tui_render_info *info);

/* The parts, each drawing into rows [top, top+height) of g (the helpers they share
 * are in tui_draw.h). */
void tui_draw_header(const tui_screen *s, tui_grid *g, int top, int height);
int tui_plan_lines(const tui_screen *s);   /* lines the plan view wants (without its title) */
void tui_draw_plan(const tui_screen *s, tui_grid *g, int top, int height, tui_render_info *info);
int tui_meter_lines(const tui_screen *s, int cols); /* lines the meters want (without title) */
void tui_draw_meters(const tui_screen *s, tui_grid *g, int top, int height);
int tui_history_lines(const tui_screen *s); /* lines the history wants (without title) */
void tui_draw_history(const tui_screen *s, tui_grid *g, int top, int height);
int tui_timeline_lines(const tui_screen *s); /* lines the timeline wants (without title) */
void tui_draw_timeline(const tui_screen *s, tui_grid *g, int top, int height);
/* Rows from which the timeline shows by itself (below it the t key shows it). */
#define TUI_TIMELINE_AUTO_ROWS 32
void tui_draw_status(const tui_screen *s, tui_grid *g, int row, tui_cursor *cursor);
void tui_draw_keybar(const tui_screen *s, tui_grid *g, int row);
void tui_draw_help(const tui_screen *s, tui_grid *g);

/* Runs shorter than this (seconds) time start-up more than work: their speedups
 * are marked '~' in the history and the status line suggests a larger K. */
#define TUI_SHORT_RUN SPEEDUP_MIN_SECONDS

/* Speedup of a history record against workspace_seq_seconds (the latest seq run
 * of the same data, N, K and metric); 0 when there is none or r did not finish. */
double tui_history_speedup(const workspace *ws, const run_record *r);

/* ---- help text (tui_help.c) ---- */

/* The help text: help/tui.txt of ekm's data folder ($EKM_DATADIR, the installed
 * share/ekm, the build's assets: common/data_dir.h), else a built-in copy. Returns a malloc'd string (NULL
 * only when out of memory). */
char *tui_help_load(void);
/* The same from an explicit file; NULL when it cannot be read. */
char *tui_help_read_file(const char *path);
/* The built-in copy. */
const char *tui_help_builtin(void);

/* ---- the terminal (tui_term.c: the only file that calls ncurses) ---- */

typedef struct tui_term tui_term;

/* Take over the terminal (alternate screen, no echo, keypad). Checks the locale's
 * codeset for UTF-8 and NO_COLOR / has_colors() for colour. NULL on failure with
 * a message in err. */
tui_term *tui_term_open(char *err, size_t errsize);
int tui_term_utf8(const tui_term *t);
void tui_term_size(tui_term *t, int *rows, int *cols);
/* Copy the grid to the screen and show the cursor at c (row < 0: hidden). */
void tui_term_draw(tui_term *t, const tui_grid *g, tui_cursor c);
/* Redraw everything on the next draw (after a resize). */
void tui_term_invalidate(tui_term *t);
/* The next key, or -1 when none is waiting (never blocks). Keys are bytes, or
 * the TUI_KEY_* codes. */
int tui_term_key(tui_term *t);
/* Restore the terminal and free t. NULL is fine. */
void tui_term_close(tui_term *t);

enum {
    TUI_KEY_NONE = -1,
    TUI_KEY_UP = 0x10000,
    TUI_KEY_DOWN,
    TUI_KEY_PGUP,
    TUI_KEY_PGDN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_F1,
    TUI_KEY_F10,
    TUI_KEY_BACKSPACE,
    TUI_KEY_ENTER,
    TUI_KEY_RESIZE,
    TUI_KEY_ESCAPE
};

/* ---- the running dashboard (tui_run.c: the loop; tui_keys.c: what keys do) ---- */

struct plot_window;

typedef struct tui_app {
    workspace *ws;
    tui_term *term;
    tui_grid grid;
    int quit;
    progress_snap *snap;          /* the job's latest snapshot */
    progress_snap *preview;       /* the settings' plan as a snapshot of waiting stages */
    ekm_plan *preview_plan;      /* the plan of the settings, NULL when they have none */
    char preview_key[160];       /* the data and settings preview_plan was built for */
    char plan_error[256];
    unsigned data_gen, job_data_gen; /* which data the job ran on */
    tui_meters meters;
    const ekm_job *meters_of;    /* the job the meters follow */
    double busy[EKM_MAX_THREADS];
    char status[512];
    int status_error;
    tui_input_kind input;
    char prompt[256];
    char text[1024];             /* the input typed so far */
    int help, help_scroll;
    char *help_text;
    int plan_scroll;
    struct plot_window *plot;
    const ekm_result *plotted;   /* the result the plot window shows */
    size_t plotted_runs;         /* the history length its speedup picture shows */
    int plot_fresh;              /* 1: just opened (show the clusters first) */
    plot_follow plot_live;       /* what the window shows of the job (reset at each run) */
    int timeline;                /* the t key: 1 shown, -1 hidden, 0 as the screen allows */
    int simulate;                /* the T key: 0 measured, else simulated threads */
    const ekm_job *plot_tl_job;  /* the job whose timeline the plot window has last got */
    double plot_tl_elapsed;      /* at which time of it */
    int plot_tl_final, plot_tl_sim; /* 1: its end was sent; the simulation it showed */
    int quit_asked;              /* the y/n question on the bottom line is about quitting */
    int repeat_total;            /* R: runs in the repeat going on (0: none) */
    int repeat_done;             /* of them, finished */
    size_t repeat_from;          /* the history index of its first run */
    const ekm_result *quality_of; /* the result the two below describe (NULL: none) */
    double silhouette, ari;      /* its mean silhouette; ARI (NaN: no class labels) */
} tui_app;

/* The load prompt (tui_load.c): load a->text ("FILE [data options]"), saying how it
 * went in the status line; complete the file name being typed (Tab). */
void tui_load_finish(tui_app *a);
void tui_load_complete(tui_app *a);
enum { TUI_REPEAT_RUNS = 5 }; /* R: the runs whose median is the figure */

/* Ctrl-C: cancel the running job and say so; 0 when none runs (then it quits). */
int tui_app_interrupt(tui_app *a);

/* Set the status line (printf style); error 1 shows it as an error. */
void tui_app_status(tui_app *a, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* React to one key (a byte or a TUI_KEY_* code). */
void tui_app_key(tui_app *a, int key);
/* A job has just been collected into the history: say how it ended. */
void tui_app_collected(tui_app *a);
/* Keep the plot window (if open) in step with the workspace: the running job's best
 * medoids so far (plot_window_follow), then its result and the speedups. */
void tui_app_plot_sync(tui_app *a);
/* The plot window's other views (tui_plot_views.c): the job's timeline (live, then
 * its end; simulated when the dashboard shows a simulation), the session's runtime
 * curves, and the w key's PNG of the view the window shows. */
void tui_app_plot_timeline(tui_app *a);
void tui_app_plot_curves(tui_app *a);
void tui_app_plot_save(tui_app *a);
/* Close the plot window (if open). */
void tui_app_plot_close(tui_app *a);

#endif
