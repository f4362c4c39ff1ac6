/* workspace.h — the state of an interactive session, shared by the REPL and the
 * TUI: the loaded data, the settings, the running job, a benchmark running in the
 * background and the history of runs.
 * Single-threaded: only the UI thread touches a workspace (the job's own threads
 * are behind the engine's job API, the benchmark's thread behind bench_job's:
 * workspace_poll copies its finished cells into the history on the UI thread). */
#ifndef EKM_UI_WORKSPACE_H
#define EKM_UI_WORKSPACE_H

#include <stddef.h>

#include "common/settings.h"
#include "common/speedup_check.h"
#include "ekm/job.h"

typedef struct run_record {
    char dataset[256];
    ekm_metric metric;
    ekm_strategy strategy;
    size_t n;
    unsigned k;
    unsigned threads;
    int exact;
    ekm_run_state state;      /* done, cancelled or failed */
    double seconds;
    double objective;
    ekm_count evaluated, pruned;
    double amdahl_bound;      /* the plan's total / critical path */
    double predicted_speedup; /* the plan's total / makespan on its threads */
    uint32_t medoids[EKM_MAX_K];
    /* a benchmark's cell (strategy, N, threads): seconds is the median of `runs`
     * timed runs, between seconds_min and seconds_max; the counts, objective and
     * medoids are the median run's. runs is 0 for a run of its own. */
    unsigned runs;
    double seconds_min, seconds_max;
    double cpu_wall;          /* CPU seconds of the process / wall seconds during the run
                                 (-1: unknown); a bench cell's median run's */
    double load;              /* 1-minute load average as it ended (-1: unknown) */
    int repeated;             /* 1: the median of `runs` runs repeated by the TUI's R (each
                                 run is in the history too), not a benchmark's cell */
} run_record;

struct workspace;

/* A task running in the background of a session (a benchmark: the REPL provides
 * its operations, repl_bench.c) whose finished runs enter the history as
 * workspace_poll sees them. */
typedef struct workspace_task_ops {
    int (*running)(void *task); /* 1 until it has ended */
    /* Append the runs finished since the last call (workspace_add_run); how many. */
    size_t (*take_runs)(void *task, struct workspace *ws);
    void (*destroy)(void *task); /* cancel, join and free it */
} workspace_task_ops;

typedef struct workspace {
    ui_settings settings;
    char data_path[1024];     /* "" when nothing is loaded */
    ekm_dissim *dm;           /* the loaded data's matrix, or NULL */
    ekm_job *job;             /* the running or last job, or NULL */
    ekm_dissim *job_dm;       /* the matrix the job runs on (retained) */
    ekm_result *result;       /* the last result (owned): a finished job's, or a cancelled
                                 exact job's best set so far (result->stopped) */
    ekm_dissim *result_dm;    /* its matrix (retained) */
    size_t result_run;        /* its run's index in the history */
    run_record *history;
    size_t n_history, cap_history;
    void *bench;              /* a benchmark in the background (running, or ended and
                                 not yet collected by its front end), or NULL */
    const workspace_task_ops *bench_ops; /* its operations */
    size_t bench_cells_taken; /* its cells already in the history */
    double job_cpu_start;     /* the process's CPU seconds when the job started */
    double job_wall_start;    /* ekm_now() then */
} workspace;

void workspace_init(workspace *ws);
void workspace_free(workspace *ws); /* cancels and joins a running job and benchmark */

/* Short name of the loaded data ("iris" for data/iris.csv), "" if none. */
const char *workspace_data_name(const workspace *ws, char *buf, size_t size);

/* Load a CSV (or a matrix with settings.dissim_file) with ws->settings. */
int workspace_load(workspace *ws, const char *path, char *err, size_t errsize);
/* Generate a dataset with ws->settings.gen_* and load it. */
int workspace_generate(workspace *ws, char *err, size_t errsize);

/* Change ws->settings.metric; when data is loaded, rebuild its matrix with the new
 * metric (a precomputed matrix is refused). A running job keeps its own matrix. */
int workspace_set_metric(workspace *ws, ekm_metric metric, char *err, size_t errsize);

/* Change ws->settings.standardize; when points are loaded, standardize their
 * original values anew and rebuild the matrix (a precomputed matrix is refused;
 * a constant column too, the data then staying as it was). */
int workspace_set_standardize(workspace *ws, ekm_standardize how, char *err, size_t errsize);

/* Start a job with ws->settings.solve on the loaded data; refuses when one runs,
 * or a benchmark (it would skew the benchmark's timings). */
int workspace_run(workspace *ws, char *err, size_t errsize);
int workspace_running(const workspace *ws);
void workspace_cancel(workspace *ws);
/* Collect a finished job: store its result, append to the history. Returns 1 when
 * a job has just been collected (its record is the last of the history), else 0.
 * First it takes the benchmark's newly finished cells into the history
 * (workspace_take_bench_cells). */
int workspace_poll(workspace *ws);

/* ---- a benchmark in the background ---- */

/* Hand a started benchmark to the workspace (ws->bench must be NULL): its cells
 * enter the history as they finish; workspace_free cancels and joins it. */
void workspace_attach_bench(workspace *ws, void *job, const workspace_task_ops *ops);
/* 1 while ws->bench runs (not yet ended). */
int workspace_bench_running(const workspace *ws);
/* Append the benchmark's cells finished since the last call to the history
 * (ops->take_runs). Returns how many. */
size_t workspace_take_bench_cells(workspace *ws);
/* Take the benchmark back (its last cells are taken into the history first), once
 * it ended or to stop it: the caller reports and destroys it. NULL when none. */
void *workspace_detach_bench(workspace *ws);
/* The last result when it belongs to the data loaded now and the K set now (a
 * load, gen, resume or metric change makes a new matrix), else NULL: a result of
 * other data stays only in the history. */
const ekm_result *workspace_current_result(const workspace *ws);
/* Block until the running job ends (or `seconds` pass, < 0 for no limit); then poll. */
int workspace_wait(workspace *ws, double seconds);

/* Append a run to the history. */
void workspace_add_run(workspace *ws, const run_record *r);

/* The running (or last) job's CPU seconds / wall seconds since it started, and
 * the load average now (-1 each when unknown). */
void workspace_job_cpu(const workspace *ws, double *cpu_wall, double *load);
/* The speedup of r against the latest seq run of the same data, N, K and metric,
 * judged (speedup_judge): 0 when there is none, else 0x100 | the flags. */
int workspace_speedup(const workspace *ws, const run_record *r, speedup_sample *out);

/* seq's time for the same dataset, N, K and metric in the history, or 0. */
double workspace_seq_seconds(const workspace *ws, const run_record *r);

#endif
