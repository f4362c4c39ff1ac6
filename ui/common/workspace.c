/* workspace.c — an interactive session's data, job, background task (a benchmark,
 * through workspace_task_ops) and history. */
#include "common/workspace.h"
#include "common/speedup_check.h"

#include <stdlib.h>
#include <string.h>

#include "common/load_report.h"
#include "common/text_escape.h"
#include "ekm/generate.h"

void workspace_init(workspace *ws)
{
    memset(ws, 0, sizeof *ws);
    settings_init(&ws->settings);
    ws->settings.solve.threads = ekm_cpu_count();
}

void workspace_free(workspace *ws)
{
    if (ws->bench)
        ws->bench_ops->destroy(ws->bench);
    ekm_job_free(ws->job);
    ekm_dissim_release(ws->job_dm);
    ekm_dissim_release(ws->dm);
    ekm_result_free(ws->result);
    ekm_dissim_release(ws->result_dm);
    free(ws->history);
    memset(ws, 0, sizeof *ws);
}

const char *workspace_data_name(const workspace *ws, char *buf, size_t size)
{
    if (!ws->dm) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    const char *name = ekm_dissim_name(ws->dm);
    const char *slash = strrchr(name, '/');
    text_escape(buf, size, slash ? slash + 1 : name); /* shown, never obeyed */
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf && (!strcmp(dot, ".csv") || !strcmp(dot, ".txt") || !strcmp(dot, ".tsv")))
        *dot = '\0';
    return buf;
}

static void replace_data(workspace *ws, ekm_dissim *dm, const char *path)
{
    ekm_dissim_release(ws->dm);
    ws->dm = dm;
    snprintf(ws->data_path, sizeof ws->data_path, "%s", path);
}

int workspace_load(workspace *ws, const char *path, char *err, size_t errsize)
{
    ekm_dissim *dm;
    if (dataset_load(&ws->settings, path, &dm, err, errsize))
        return -1;
    replace_data(ws, dm, path);
    return 0;
}

int workspace_generate(workspace *ws, char *err, size_t errsize)
{
    ui_settings *s = &ws->settings;
    ekm_dataset *ds;
    ekm_error e;
    if (ekm_generate(s->gen_kind, s->gen_n, s->gen_d, s->gen_clusters, s->solve.seed, &ds, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    ekm_dissim *dm;
    ekm_status st = ekm_dissim_from_dataset_threads(ds, s->metric, s->solve.threads, &dm, &e);
    if (st) {
        ekm_error_format(&e, err, errsize);
        ekm_dataset_release(ds);
        return -1;
    }
    replace_data(ws, dm, ekm_dataset_name(ds));
    ekm_dataset_release(ds);
    return 0;
}

int workspace_set_metric(workspace *ws, ekm_metric metric, char *err, size_t errsize)
{
    if (!ws->dm || ekm_dissim_metric(ws->dm) == metric) {
        ws->settings.metric = metric;
        return 0;
    }
    ekm_dataset *ds = ekm_dissim_dataset(ws->dm);
    if (!ds) {
        snprintf(err, errsize, "%s is a precomputed dissimilarity matrix: its metric cannot change",
                 ekm_dissim_name(ws->dm));
        return -1;
    }
    ekm_dissim *dm;
    ekm_error e;
    if (ekm_dissim_from_dataset_threads(ds, metric, ws->settings.solve.threads, &dm, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    ekm_dissim_release(ws->dm);
    ws->dm = dm;
    ws->settings.metric = metric;
    return 0;
}

int workspace_running(const workspace *ws) { return ws->job && !ekm_job_done(ws->job); }

int workspace_run(workspace *ws, char *err, size_t errsize)
{
    if (!ws->dm) {
        snprintf(err, errsize, "no data loaded: use 'load FILE' or 'gen uniform --n N'");
        return -1;
    }
    if (workspace_running(ws)) {
        snprintf(err, errsize, "a job is running: 'wait' for it or 'cancel' it first");
        return -1;
    }
    if (workspace_bench_running(ws)) {
        snprintf(err, errsize,
                 "a benchmark is running in the background: a run now would skew its timings");
        return -1;
    }
    workspace_poll(ws);
    if (dataset_check(ws->dm, &ws->settings.solve, err, errsize))
        return -1;
    ekm_job_free(ws->job);
    ekm_dissim_release(ws->job_dm);
    ws->job = NULL;
    ws->job_dm = NULL;
    ekm_error e;
    ws->job_cpu_start = speedup_probe_cpu();
    ws->job_wall_start = ekm_now();
    if (ekm_job_start(ws->dm, &ws->settings.solve, &ws->job, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    ws->job_dm = ekm_dissim_retain(ws->dm);
    return 0;
}

void workspace_cancel(workspace *ws)
{
    if (ws->job)
        ekm_job_cancel(ws->job);
}

void workspace_add_run(workspace *ws, const run_record *r)
{
    if (ws->n_history == ws->cap_history) {
        size_t cap = ws->cap_history ? 2 * ws->cap_history : 16;
        run_record *h = realloc(ws->history, cap * sizeof *h);
        if (!h)
            return;
        ws->history = h;
        ws->cap_history = cap;
    }
    ws->history[ws->n_history++] = *r;
}

int workspace_poll(workspace *ws)
{
    workspace_take_bench_cells(ws);
    if (!ws->job || !ekm_job_done(ws->job) || !ws->job_dm)
        return 0;
    ekm_progress sum, *p = &sum;
    ekm_job_progress(ws->job, p);
    run_record r;
    memset(&r, 0, sizeof r);
    snprintf(r.dataset, sizeof r.dataset, "%s", ekm_dissim_name(ws->job_dm));
    r.metric = ekm_dissim_metric(ws->job_dm);
    r.strategy = p->strategy;
    r.n = p->n;
    r.k = p->k;
    r.threads = p->threads;
    r.exact = ekm_strategy_is_exact(p->strategy);
    r.state = p->state;
    r.seconds = p->elapsed;
    r.objective = p->best;
    r.evaluated = p->evaluated;
    r.pruned = p->pruned;
    workspace_job_cpu(ws, &r.cpu_wall, &r.load);
    ekm_result *res = ekm_job_take_result(ws->job);
    if (!res) /* cancelled: its best set so far, marked stopped (not proven optimal) */
        res = ekm_job_take_best_so_far(ws->job);
    if (res) {
        r.seconds = res->seconds;
        r.objective = res->objective;
        r.amdahl_bound = res->amdahl_bound;
        r.predicted_speedup = res->makespan > 0 ? (double)res->total / res->makespan : 1;
        memcpy(r.medoids, res->medoids, (res->k < EKM_MAX_K ? res->k : EKM_MAX_K) * sizeof(uint32_t));
        ekm_result_free(ws->result);
        ekm_dissim_release(ws->result_dm);
        ws->result = res;
        ws->result_dm = ekm_dissim_retain(ws->job_dm);
        ws->result_run = ws->n_history; /* the record added below */
    }
    workspace_add_run(ws, &r);
    ekm_dissim_release(ws->job_dm);
    ws->job_dm = NULL; /* collected: the job stays for its final progress snapshot */
    return 1;
}

const ekm_result *workspace_current_result(const workspace *ws)
{
    if (!ws->result || !ws->dm || ws->result_dm != ws->dm || ws->result->k != ws->settings.solve.k)
        return NULL;
    return ws->result;
}

int workspace_wait(workspace *ws, double seconds)
{
    if (!ws->job)
        return 0;
    if (seconds < 0)
        ekm_job_wait(ws->job);
    else
        ekm_job_wait_for(ws->job, seconds);
    return workspace_poll(ws);
}

void workspace_job_cpu(const workspace *ws, double *cpu_wall, double *load)
{
    double wall = ekm_now() - ws->job_wall_start, cpu = speedup_probe_cpu();
    *cpu_wall = ws->job && ws->job_cpu_start >= 0 && cpu >= 0 && wall > 0
                    ? (cpu - ws->job_cpu_start) / wall : -1;
    *load = speedup_probe_load();
}

static const run_record *seq_record(const workspace *ws, const run_record *r)
{
    const run_record *best = NULL;
    for (size_t i = 0; i < ws->n_history; i++) {
        const run_record *h = &ws->history[i];
        if (h->strategy == EKM_STRATEGY_SEQ && h->state == EKM_RUN_DONE && h->n == r->n &&
            h->k == r->k && h->metric == r->metric && !strcmp(h->dataset, r->dataset))
            best = h; /* the latest seq run */
    }
    return best;
}

int workspace_speedup(const workspace *ws, const run_record *r, speedup_sample *out)
{
    speedup_sample_init(out);
    const run_record *seq = seq_record(ws, r);
    if (!seq || r->state != EKM_RUN_DONE || r->seconds <= 0 || seq->seconds <= 0)
        return 0;
    out->speedup = seq->seconds / r->seconds;
    out->threads = r->threads ? r->threads : 1;
    out->bound = r->exact ? r->amdahl_bound : 0;
    out->cores = speedup_probe_cores();
    out->seconds = r->seconds;
    out->base_seconds = seq->seconds;
    out->cpu_wall = r->cpu_wall;
    out->base_cpu_wall = seq->cpu_wall;
    out->load = r->load;
    out->base_load = seq->load;
    return speedup_judge(out) | 0x100;
}

double workspace_seq_seconds(const workspace *ws, const run_record *r)
{
    double best = 0;
    for (size_t i = 0; i < ws->n_history; i++) {
        const run_record *h = &ws->history[i];
        if (h->strategy == EKM_STRATEGY_SEQ && h->state == EKM_RUN_DONE && h->n == r->n &&
            h->k == r->k && h->metric == r->metric && !strcmp(h->dataset, r->dataset))
            best = h->seconds; /* the latest seq run */
    }
    return best;
}

void workspace_attach_bench(workspace *ws, void *job, const workspace_task_ops *ops)
{
    ws->bench = job;
    ws->bench_ops = ops;
    ws->bench_cells_taken = 0;
}

int workspace_bench_running(const workspace *ws)
{
    return ws->bench && ws->bench_ops->running(ws->bench);
}

size_t workspace_take_bench_cells(workspace *ws)
{
    return ws->bench ? ws->bench_ops->take_runs(ws->bench, ws) : 0;
}

void *workspace_detach_bench(workspace *ws)
{
    workspace_take_bench_cells(ws);
    void *job = ws->bench;
    ws->bench = NULL;
    ws->bench_cells_taken = 0;
    return job;
}
