/* job_internal.h — the job's shared state, for the solvers that run inside a job
 * (private to the engine).
 *
 * Ownership and locks: the job owns its threads from start to join (a
 * coordinator thread, which starts and joins the workers). Counters a worker
 * publishes are C11 atomics (relaxed). A stage's best-list is guarded by the
 * stage's own mutex; the scheduler's fields (taken, stages_done, the chunk
 * iterator) by job->lock. Lock order: job->lock before a stage lock; a stage
 * lock is never held while taking job->lock.
 */
#ifndef EKM_JOB_INTERNAL_H
#define EKM_JOB_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "best.h"
#include "chunk.h"
#include "ekm/job.h"
#include "kernel.h"

typedef struct ekm__stage_rt {
    _Alignas(64) atomic_int state;
    atomic_int thread;
    _Atomic uint64_t done;
    _Atomic uint64_t pruned;
    atomic_llong start_ns, end_ns; /* since job start; -1 when not yet */
    pthread_mutex_t lock;
    ekm__best best;                /* guarded by lock */
    int taken;                     /* guarded by job->lock */
} ekm__stage_rt;

typedef struct ekm__thread_rt {
    _Alignas(64) atomic_int stage;
    atomic_int busy;
    _Atomic uint64_t done;
    atomic_llong busy_ns;
} ekm__thread_rt;

struct ekm_job {
    ekm_dissim *dm;
    ekm_solve_options opt;
    ekm_plan *plan;
    ekm__kernel kern;
    unsigned nthreads;
    ekm__stage_rt *st;
    ekm__thread_rt *th;
    atomic_int cancel;
    atomic_int nomem;

    pthread_mutex_t lock;
    pthread_cond_t cond;      /* scheduler: a stage finished, or cancel */
    pthread_cond_t done_cond; /* the job finished */
    int stages_done;
    ekm__chunker chunks;       /* fused: the shared stage's chunk iterator */

    pthread_t coord;
    int coord_started;
    int finished;              /* guarded by lock */
    atomic_int state;          /* ekm_run_state */
    ekm_status status;
    ekm_error error;
    ekm_result *result;
    int pipefd[2];
    double t0;
    atomic_llong end_ns;
    atomic_llong incumbent_ns;
};

/* Nanoseconds since the job started. */
long long ekm__job_ns(const ekm_job *job);
/* Record a stage's improved best-list (merged into the stage's list). */
void ekm__stage_publish(ekm__stage_rt *st, const ekm__best *best);

/* Run a job's plan with the enumeration workers (job.c). */
ekm_status ekm__fused_run(ekm_job *job);

/* The exact branch-and-bound solver (prune.c): runs on the job's threads and
 * leaves its answer in stage 0's best-list; returns EKM_OK, EKM_ERR_CANCELLED or
 * EKM_ERR_NOMEM. */
ekm_status ekm__pruned_run(ekm_job *job);

#endif
