/* bench_job.c — a benchmark in the background: bench_run on a thread of its own,
 * handing its newest status, the cells as they finish and its outcome to other
 * threads.
 *
 * Ownership: the job's thread alone writes the rows (res), the CSV file and the
 * copy of the arguments' grid it reads; other threads read res only after they
 * saw `ended` under the lock (the thread sets it last, after its final writes).
 * Everything else another thread may read — status, the published cells, the
 * outcome — is written and read under `lock`. The stop flag is atomic; the end is
 * also signalled by a byte on a pipe, for select()/poll() loops. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "common/outfile.h"

struct bench_job {
    bench_request args;        /* what runs; cfg.source retained; read-only once started */
    char dataset[128];
    outfile csv_out;        /* --csv (the stream keeps a pointer to it: never moved) */
    FILE *csv;              /* csv_out.f; the job's thread's alone once started */
    bench_results res;      /* the job's thread's alone until `ended` */
    atomic_int stop;
    pthread_t thread;
    int started;            /* the thread was created (join it) */
    int wake[2];            /* a byte is written to wake[1] when the job ends */
    pthread_mutex_t lock;   /* guards everything below */
    int has_status;
    bench_status status;    /* row always NULL */
    bench_cell *cells;      /* published cells, in order */
    size_t n_cells, cap_cells;
    int ended;
    int rc;
    char err[1024];
    int csv_failed;
    char csv_err[1200];     /* why, when csv_failed */
};

/* On the job's thread: append a cell to the published ones. */
static void publish(bench_job *j, const bench_cell *c)
{
    pthread_mutex_lock(&j->lock);
    if (j->n_cells == j->cap_cells) {
        size_t cap = j->cap_cells ? 2 * j->cap_cells : 16;
        bench_cell *p = realloc(j->cells, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&j->lock);
            return; /* the row stays in the results and the report */
        }
        j->cells = p;
        j->cap_cells = cap;
    }
    j->cells[j->n_cells++] = *c;
    pthread_mutex_unlock(&j->lock);
}

/* On the job's thread: publish the cell of (s, n, threads) from the rows so far. */
static void publish_cell_of(bench_job *j, ekm_strategy s, size_t n, unsigned threads)
{
    bench_results mine = {0};
    for (size_t i = 0; i < j->res.n; i++) {
        const bench_row *r = &j->res.rows[i];
        if (r->strategy == s && r->n == n && r->threads == threads &&
            bench_results_add(&mine, r)) {
            bench_results_free(&mine);
            return;
        }
    }
    bench_cell *cells;
    if (bench_cells(&mine, &j->args.cfg, &cells) == 1)
        publish(j, &cells[0]);
    free(cells);
    bench_results_free(&mine);
}

/* On the job's thread, after bench_run: the cells a stop cut short. The
 * published list only grows on this thread, so it is read here without the lock. */
static void publish_the_rest(bench_job *j)
{
    bench_cell *cells;
    int nc = bench_cells(&j->res, &j->args.cfg, &cells);
    for (int i = 0; i < nc; i++)
        if (!bench_cell_find(j->cells, (int)j->n_cells, cells[i].strategy, cells[i].n,
                             cells[i].threads))
            publish(j, &cells[i]);
    free(cells);
}

/* bench_run's observer, on the job's thread. */
static void observe(void *ctx, const bench_status *st)
{
    bench_job *j = ctx;
    /* the status first: whoever sees a cell sees a status at least as new */
    pthread_mutex_lock(&j->lock);
    j->status = *st;
    j->status.row = NULL; /* it points into rows other threads must not read */
    j->has_status = 1;
    pthread_mutex_unlock(&j->lock);
    if (st->finished_run && st->row) {
        if (j->csv) {
            bench_csv_row(j->csv, st->row, j->dataset);
            fflush(j->csv); /* a failure is kept in csv_out, reported at the end */
        }
        if (st->row->repeat == j->args.cfg.repeat) /* the cell's last timed run */
            publish_cell_of(j, st->row->strategy, st->row->n, st->row->threads);
    }
}

static void *job_main(void *arg)
{
    bench_job *j = arg;
    char err[sizeof j->err] = "";
    int rc = bench_run(&j->args.cfg, &j->res, &j->stop, observe, j, err, sizeof err);
    int csv_failed = 0;
    char csv_err[sizeof j->csv_err] = "";
    /* the rows of the finished runs replace the file, also when stopped early */
    if (j->csv && outfile_commit(&j->csv_out, csv_err, sizeof csv_err))
        csv_failed = 1;
    j->csv = NULL;
    publish_the_rest(j);
    pthread_mutex_lock(&j->lock);
    j->rc = rc;
    snprintf(j->err, sizeof j->err, "%s", err);
    j->csv_failed = csv_failed;
    snprintf(j->csv_err, sizeof j->csv_err, "%s", csv_err);
    j->ended = 1;
    pthread_mutex_unlock(&j->lock);
    ssize_t w = write(j->wake[1], "x", 1); /* stays readable: never drained */
    (void)w;
    return NULL;
}

int bench_job_start(const bench_request *a, bench_job **out, char *err, size_t errsize)
{
    *out = NULL;
    bench_job *j = calloc(1, sizeof *j);
    if (!j) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    j->args = *a;
    ekm_dataset_retain(j->args.cfg.source);
    bench_describe_source(&j->args.cfg, j->dataset, sizeof j->dataset);
    atomic_init(&j->stop, 0);
    j->wake[0] = j->wake[1] = -1;
    if (pthread_mutex_init(&j->lock, NULL)) {
        ekm_dataset_release(j->args.cfg.source);
        free(j);
        snprintf(err, errsize, "cannot create a lock");
        return -1;
    }
    if (pipe2(j->wake, O_CLOEXEC | O_NONBLOCK)) {
        snprintf(err, errsize, "cannot create a pipe: %s", strerror(errno));
        j->wake[0] = j->wake[1] = -1;
        bench_job_destroy(j);
        return -1;
    }
    if (a->csv_path[0]) {
        char why[1200];
        if (outfile_open_stream(&j->csv_out, a->csv_path, why, sizeof why)) {
            snprintf(err, errsize, "bench: %s", why);
            bench_job_destroy(j);
            return -1;
        }
        j->csv = j->csv_out.f;
        bench_csv_header(j->csv);
    }
    int e = pthread_create(&j->thread, NULL, job_main, j);
    if (e) {
        snprintf(err, errsize, "cannot start a thread: %s", strerror(e));
        bench_job_destroy(j);
        return -1;
    }
    j->started = 1;
    *out = j;
    return 0;
}

void bench_job_cancel(bench_job *j) { atomic_store(&j->stop, 1); }

int bench_job_cancelled(bench_job *j) { return atomic_load(&j->stop) != 0; }

int bench_job_done(bench_job *j)
{
    pthread_mutex_lock(&j->lock);
    int ended = j->ended;
    pthread_mutex_unlock(&j->lock);
    return ended;
}

int bench_job_wait_for(bench_job *j, double seconds)
{
    if (bench_job_done(j))
        return 1;
    struct pollfd p = {.fd = j->wake[0], .events = POLLIN};
    int ms = seconds <= 0 ? 0 : seconds > 3600 ? 3600000 : (int)(seconds * 1000 + 0.5);
    (void)poll(&p, 1, ms); /* EINTR: the caller looks at its signals and comes back */
    return bench_job_done(j);
}

int bench_job_fd(const bench_job *j) { return j->wake[0]; }

int bench_job_status(bench_job *j, bench_status *st)
{
    pthread_mutex_lock(&j->lock);
    int has = j->has_status;
    if (has)
        *st = j->status;
    else
        memset(st, 0, sizeof *st);
    pthread_mutex_unlock(&j->lock);
    return has;
}

size_t bench_job_take_cells(bench_job *j, size_t *cursor, bench_cell *out, size_t max)
{
    pthread_mutex_lock(&j->lock);
    size_t count = 0;
    while (*cursor < j->n_cells && count < max)
        out[count++] = j->cells[(*cursor)++];
    pthread_mutex_unlock(&j->lock);
    return count;
}

size_t bench_job_cells_done(bench_job *j)
{
    pthread_mutex_lock(&j->lock);
    size_t n = j->n_cells;
    pthread_mutex_unlock(&j->lock);
    return n;
}

const bench_request *bench_job_request(const bench_job *j) { return &j->args; }

const char *bench_job_dataset(const bench_job *j) { return j->dataset; }

int bench_job_outcome(bench_job *j, char *err, size_t errsize, int *csv_failed)
{
    pthread_mutex_lock(&j->lock);
    int rc = j->ended ? j->rc : 0;
    if (err && errsize)
        snprintf(err, errsize, "%s", j->ended ? j->err : "");
    if (csv_failed)
        *csv_failed = j->ended && j->csv_failed;
    pthread_mutex_unlock(&j->lock);
    return rc;
}

const char *bench_job_csv_error(bench_job *j, char *buf, size_t size)
{
    pthread_mutex_lock(&j->lock);
    snprintf(buf, size, "%s", j->ended ? j->csv_err : "");
    pthread_mutex_unlock(&j->lock);
    return buf;
}

const bench_results *bench_job_results(bench_job *j)
{
    return bench_job_done(j) ? &j->res : NULL;
}

void bench_job_destroy(bench_job *j)
{
    if (!j)
        return;
    bench_job_cancel(j);
    if (j->started)
        pthread_join(j->thread, NULL);
    if (j->csv) /* it never started */
        outfile_abort(&j->csv_out);
    for (int i = 0; i < 2; i++)
        if (j->wake[i] >= 0)
            close(j->wake[i]);
    free(j->cells);
    bench_results_free(&j->res);
    ekm_dataset_release(j->args.cfg.source);
    pthread_mutex_destroy(&j->lock);
    free(j);
}
