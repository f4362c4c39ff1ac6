/* job_internal.h — the job's shared state and the runtime (job_runtime.c) the
 * solvers that run inside a job call (private to the engine). It does not
 * include the checkpoint side: solvers do not depend on it.
 *
 * Ownership and locks: the job owns its threads from start to join (a
 * coordinator thread, which starts and joins the workers). Flags a worker
 * publishes are C11 atomics (relaxed); its K-subset counts are ekm__acount
 * (count_atomic.h: exact at 128 bits). A stage's best-list is guarded by the
 * stage's own mutex; the scheduler's fields (taken, stages_done, the chunk
 * iterator) by job->lock. Lock order: job->lock before a stage lock; a stage
 * lock is never held while taking job->lock.
 */
#ifndef EKM_JOB_INTERNAL_H
#define EKM_JOB_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "best.h"
#include "count_atomic.h"
#include "ekm/job.h"
#include "kernel.h"
#include "units.h"

struct ekm__ck_root;

/* A work unit's state (checkpoint.h). */
enum { EKM__UNIT_TODO = 0, EKM__UNIT_RESTORED = 1, EKM__UNIT_FINISHED = 2 };

typedef struct ekm__stage_rt {
    _Alignas(64) atomic_int state;
    atomic_int thread;
    ekm__acount done;              /* added before pruned: read pruned first */
    ekm__acount pruned;
    atomic_llong start_ns, end_ns; /* since job start; -1 when not yet */
    pthread_mutex_t lock;
    ekm__best best;                /* guarded by lock */
    int taken;                     /* guarded by job->lock */
} ekm__stage_rt;

typedef struct ekm__thread_rt {
    _Alignas(64) atomic_int stage;
    atomic_int busy;
    ekm__acount done;
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

    pthread_t coord;
    int coord_started;
    int finished;              /* guarded by lock */
    atomic_int state;          /* ekm_run_state */
    ekm_status status;
    ekm_error error;
    ekm_result *result;
    ekm_result *best_so_far;   /* a cancelled exact job's best set (stopped = 1), or NULL */
    int pipefd[2];
    double t0;
    atomic_llong end_ns;
    atomic_llong incumbent_ns;

    /* work units and checkpoints (checkpoint.h). The unit states, the counts of
     * finished units and the root change together under commit_lock (taken
     * after a unit's work, never while a stage lock is held). */
    ekm_solve_options ck_opt;      /* the options a checkpoint records (plan resolved) */
    uint64_t fingerprint;          /* of dm */
    ekm__units *units;             /* per stage (enumeration strategies) */
    uint64_t *unit_first;          /* n_stages + 1: the first unit of each stage */
    uint64_t n_units;              /* pruned: 0 until the root is ready */
    unsigned char *unit_state;     /* n_units EKM__UNIT_* */
    uint64_t run_lo, run_hi;       /* the units this job runs (clamped to n_units) */
    int partial;                   /* runs only some units: its best is not the answer */
    pthread_mutex_t commit_lock;
    ekm_count *ck_done, *ck_pruned; /* per stage: closed by finished units, resumed ones too */
    ekm_count *new_done, *new_pruned; /* of which by this job */
    double resumed_seconds;        /* of the checkpoint resumed from */
    ekm_count resumed_done;        /* K-subsets it had closed (root lump included) */
    struct ekm__ck_root *root;     /* pruned: the root once ready (owned) */
    _Atomic uint64_t next_unit;    /* fused: the next unit to hand out */
    _Atomic uint64_t offered_bits; /* ekm_job_offer_bound's lowest value (double bits) */
    _Atomic uint64_t root_bound_bits; /* pruned: ekm_progress.root_bound (double bits) */
    _Atomic uint64_t root_active;     /* pruned: ekm_progress.root_active */
    struct ekm__cert *cert;        /* pruned with opt.certificate: set once it succeeded */
};

/* 1 when this job should run unit u (in its range, not finished). Call only for
 * a unit the caller owns (no other thread finishes it meanwhile). */
int ekm__job_unit_todo(ekm_job *job, uint64_t u);
/* A unit's work is finished: it closed `done` K-subsets of stage s, `pruned` of
 * them by a bound. */
void ekm__job_unit_finished(ekm_job *job, int s, uint64_t u, ekm_count done, ekm_count pruned);
/* pruned: the root is ready (the job takes root); `tasks` units, and the root
 * already closed lump K-subsets by its bound (recorded in root->lump, counted
 * with the root). Returns 0, or -1 on no memory. */
int ekm__job_root_ready(ekm_job *job, struct ekm__ck_root *root, ekm_count lump);
/* The lowest bound offered by ekm_job_offer_bound (INFINITY when none). */
double ekm__job_offered_bound(const ekm_job *job);

/* Clamp the job's unit range [run_lo, run_hi) to its n_units. */
void ekm__job_unit_range_clamp(ekm_job *job);
/* 1 once the job (an ekm_job *) is asked to stop: the heuristics' cancelled. */
int ekm__job_cancelled(void *job);
/* Move a stage's or the job's ekm_run_state forward to `to` (never back). */
void ekm__state_forward(atomic_int *state, int to);

/* Nanoseconds since the job started. */
long long ekm__job_ns(const ekm_job *job);
/* Record a stage's improved best-list (merged into the stage's list). */
void ekm__stage_publish(ekm__stage_rt *st, const ekm__best *best);

/* The exact branch-and-bound solver (prune.c): runs on the job's threads and
 * leaves its answer in stage 0's best-list; returns EKM_OK, EKM_ERR_CANCELLED or
 * EKM_ERR_NOMEM. */
ekm_status ekm__pruned_run(ekm_job *job);
/* A resumed root (already checked against N and K by the decoder) against the
 * data: its base is Σλ and each stored ρ is at most the candidate's ρ under
 * its λ, so its bounds are bounds. NULL, or the reason it is refused. */
const char *ekm__root_verify(const ekm_dissim *dm, const struct ekm__ck_root *r,
                             unsigned threads);

#endif
