/* workspace.h — the state of an interactive session, shared by the REPL and the
 * TUI: the loaded data, the settings, the running job and the history of runs.
 * Single-threaded: only the UI thread touches a workspace (the job's own threads
 * are behind the engine's job API). */
#ifndef EKM_UI_WORKSPACE_H
#define EKM_UI_WORKSPACE_H

#include <stddef.h>

#include "common/settings.h"
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
    uint64_t evaluated, pruned;
    double amdahl_bound;      /* the plan's total / critical path */
    double predicted_speedup; /* the plan's total / makespan on its threads */
    uint32_t medoids[EKM_MAX_K];
} run_record;

typedef struct workspace {
    ekm_settings settings;
    char data_path[1024];     /* "" when nothing is loaded */
    ekm_dissim *dm;           /* the loaded data's matrix, or NULL */
    ekm_job *job;             /* the running or last job, or NULL */
    ekm_dissim *job_dm;       /* the matrix the job runs on (retained) */
    ekm_result *result;       /* the last successful result (owned) */
    ekm_dissim *result_dm;    /* its matrix (retained) */
    run_record *history;
    size_t n_history, cap_history;
} workspace;

void workspace_init(workspace *ws);
void workspace_free(workspace *ws); /* cancels and joins a running job */

/* Short name of the loaded data ("iris" for data/iris.csv), "" if none. */
const char *workspace_data_name(const workspace *ws, char *buf, size_t size);

/* Load a CSV (or a matrix with settings.dissim_file) with ws->settings. */
int workspace_load(workspace *ws, const char *path, char *err, size_t errsize);
/* Generate a dataset with ws->settings.gen_* and load it. */
int workspace_generate(workspace *ws, char *err, size_t errsize);

/* Change ws->settings.metric; when data is loaded, rebuild its matrix with the new
 * metric (a precomputed matrix is refused). A running job keeps its own matrix. */
int workspace_set_metric(workspace *ws, ekm_metric metric, char *err, size_t errsize);

/* Start a job with ws->settings.solve on the loaded data; refuses when one runs. */
int workspace_run(workspace *ws, char *err, size_t errsize);
int workspace_running(const workspace *ws);
void workspace_cancel(workspace *ws);
/* Collect a finished job: store its result, append to the history. Returns 1 when
 * a job has just been collected (its record is the last of the history), else 0. */
int workspace_poll(workspace *ws);
/* Block until the running job ends (or `seconds` pass, < 0 for no limit); then poll. */
int workspace_wait(workspace *ws, double seconds);

/* seq's time for the same dataset, N, K and metric in the history, or 0. */
double workspace_seq_seconds(const workspace *ws, const run_record *r);

#endif
