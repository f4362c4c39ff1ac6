/* job.h — running a solver in the background, polling its progress, its result.
 *
 * ekm_job_start() returns at once; the engine's own threads do the work. The UI
 * polls ekm_job_progress() (a small summary) or ekm_job_snapshot() (the summary
 * with per-stage and per-thread records and the best set, in arrays the caller
 * sizes once: no allocation per poll), may cancel from any thread (the job stops
 * within 100 ms and reports EKM_ERR_CANCELLED, never a partial result called
 * optimal), and learns of the end by ekm_job_wait(), ekm_job_done() or by
 * polling ekm_job_fd() for reading.
 *
 * Thread safety: every ekm_job_* function but ekm_job_free may be called from
 * any thread at any time, concurrently (progress, snapshot, cancel, checkpoint,
 * offer, wait, status). ekm_job_free must not race any other call on the same
 * job, a progress or snapshot call included: it frees the job's memory, so a
 * call still running on another thread would read freed memory. The owner
 * calls it once, after every other thread is done with the job (it cancels and
 * joins the job's own threads itself). Immutable while the job lives, so safe
 * to read from any thread without a lock: the job's plan (ekm_job_plan). An
 * ekm_result (and its stages) is a plain value owned by whoever took it: once
 * taken nothing in the engine writes it. The progress records below are plain
 * values the caller owns.
 *
 * Counts of K-subsets are ekm_count (ekm/count.h): exact, 128 bits wide where
 * the compiler allows, so a pruned job over more than 2^64 sets reports them.
 */
#ifndef EKM_JOB_H
#define EKM_JOB_H

#include "ekm/dissim.h"
#include "ekm/plan.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

/* The solver's limits (validated by ekm_job_start; no public struct is sized by
 * them): K at most EKM_MAX_K, threads at most EKM_MAX_THREADS; a checkpoint
 * records at most EKM_MAX_STAGES stages. */
enum { EKM_MAX_K = 64, EKM_MAX_STAGES = 256, EKM_MAX_THREADS = 256 };

/* A pruned root's full ρ pass handed to the caller (ekm/advanced.h): fill
 * out[0..count) with ρ of the candidates rows[0..count) under the multipliers
 * lam[0..n) (as ekm_dissim_rho computes them); return 0, or nonzero to cancel
 * the job. Called from one of the job's threads, one pass at a time. */
typedef int (*ekm_rho_pass_fn)(void *ctx, const float *lam, size_t n, const uint32_t *rows,
                               size_t count, double *out);

typedef struct ekm_solve_options {
    unsigned k;
    ekm_strategy strategy;
    unsigned threads;    /* 0: the number of cores */
    unsigned partitions; /* tree: leaves (0: see leaf, else 2*threads) */
    unsigned leaf;       /* tree: leaf length */
    uint64_t seed;       /* heuristics */
    unsigned restarts;   /* heuristics: 0 means 1 */
    /* advanced (ekm/advanced.h; leave zero): resume a checkpoint (NULL: from the
     * start; it must stay alive until the job ends), run only some work units,
     * stop a pruned job at its root */
    const struct ekm_checkpoint *resume;
    uint64_t unit_lo, unit_hi;
    int root_only;
    /* advanced: pruned, the root's full ρ passes done by the caller (NULL: the
     * job's threads) */
    ekm_rho_pass_fn rho_pass;
    void *rho_pass_ctx;
    /* pruned: record what the search closed, for ekm_job_write_certificate
     * (ekm/certificate.h); a whole run only (no resume, units or root_only) */
    int certificate;
} ekm_solve_options;

ekm_solve_options ekm_solve_options_default(void);

typedef enum ekm_run_state {
    EKM_RUN_WAITING = 0,
    EKM_RUN_RUNNING,
    EKM_RUN_DONE,
    EKM_RUN_CANCELLED,
    EKM_RUN_FAILED
} ekm_run_state;

const char *ekm_run_state_name(ekm_run_state s);

typedef struct ekm_stage_progress {
    ekm_stage_spec spec;   /* id, kind, parent, children, ranges, total */
    ekm_run_state state;   /* moves forward only */
    int thread;            /* thread running (or that ran) it, -1 before */
    ekm_count done;        /* K-subsets closed (evaluated + pruned), <= spec.total */
    ekm_count pruned;      /* of which discarded by a bound without evaluation */
    double best;           /* best objective found in the stage (INFINITY before);
                              its set: ekm_job_stage_best */
    double start, end;     /* seconds since the job started; -1 when not yet */
} ekm_stage_progress;

typedef struct ekm_thread_progress {
    int stage;            /* stage it works on now, -1 when idle */
    int busy;             /* 1 while working */
    ekm_count done;       /* K-subsets it has closed (evaluated + pruned) */
    double busy_seconds;  /* total time spent working */
} ekm_thread_progress;

/* A job's progress summary: a small value (no arrays), copied out whole. */
typedef struct ekm_progress {
    ekm_run_state state;
    ekm_strategy strategy;
    size_t n;
    unsigned k;
    unsigned threads;
    double elapsed;          /* seconds since start (frozen at the end) */
    ekm_count total;         /* C(N,K) (a heuristic closes none of them: done 0) */
    ekm_count done;          /* evaluated + pruned */
    ekm_count resumed;       /* of done: closed before this job (taken from a checkpoint);
                                rates are (done - resumed) / elapsed */
    ekm_count evaluated;
    ekm_count pruned;
    int has_best;
    double best;             /* best objective so far (INFINITY before); its set:
                                ekm_job_snapshot's best_medoids */
    int threads_busy;        /* threads working now */
    double root_bound;       /* pruned: the root's Lagrangian bound so far, in the
                                objective's units (a lower bound on the optimum up to
                                rounding: a gauge, not a proof); -INFINITY before it
                                has one and for the other strategies */
    uint64_t root_active;    /* pruned, while the root bound is tightened: the candidate
                                medoids it still evaluates (N at first, fewer as its
                                bound rules them out); 0 outside that phase */
    int n_stages;            /* stages of the job's plan (ekm_job_plan) */
    int n_threads;           /* worker threads (= threads) */
} ekm_progress;

typedef struct ekm_result {
    ekm_strategy strategy;
    ekm_metric metric;
    size_t n;
    unsigned k;
    unsigned threads;
    int exact;               /* 1: proven optimal (0 for heuristics and for a job that
                                ran only some work units: its best is not the answer) */
    uint32_t *medoids;       /* k, ascending, 0-based */
    double objective;        /* recomputed in double */
    int32_t *cluster;        /* n: 0..k-1 */
    uint32_t *cluster_size;  /* k */
    double *cluster_cost;    /* k */
    ekm_count total;         /* C(N,K) */
    ekm_count evaluated;     /* K-subsets evaluated */
    ekm_count pruned;        /* K-subsets discarded by a bound */
    double seconds;
    double incumbent_seconds;/* pruned: time to the final incumbent */
    int n_stages;
    ekm_stage_progress *stages; /* n_stages, final state of each stage (a stage's best
                                   set is not kept: the result's medoids are the answer) */
    double amdahl_bound;     /* the plan's bound: min(threads, total / critical path) */
    double makespan;         /* plan's makespan on `threads`, in K-subsets */
    ekm_count critical_path;
    int stopped;             /* 1: the job was cancelled and this is the best set it had
                                found (exact is 0): not proven optimal; evaluated and
                                pruned say how far it got */
} ekm_result;

void ekm_result_free(ekm_result *r); /* NULL is fine */

typedef struct ekm_job ekm_job;

/* Start solving in the background (retains dm). On failure *out is NULL. */
ekm_status ekm_job_start(ekm_dissim *dm, const ekm_solve_options *opt, ekm_job **out,
                         ekm_error *err);
/* Copy the job's progress summary into *out (never blocks a worker beyond a copy). */
void ekm_job_progress(ekm_job *job, ekm_progress *out);
/* The summary with, from the same reading, the records of the first
 * min(stage_cap, n_stages) stages into stages[], of the first min(thread_cap,
 * n_threads) threads into threads[], and the best set so far (the first
 * min(medoid_cap, k) medoids, ascending, of the set whose objective is
 * summary->best; untouched while has_best is 0). Any array may be NULL with its
 * cap 0. Sizes that always fit: ekm_job_plan(job)->n_stages stages, the job's
 * threads (ekm_progress.n_threads, fixed for the job's life), k medoids.
 *
 * Consistency: every number comes from one pass over the job's counters, and
 * the summary is computed from exactly the records returned: done and pruned
 * are the sums over all stages, best the least stage best (ties to the
 * lexicographically smaller set) and best_medoids that stage's set,
 * threads_busy the count of busy threads, each stage's done <= spec.total. The
 * workers do not stop for it, so a stage read later in the pass may be a little
 * further on than one read earlier; each value is one the job really had.
 *
 * Returns 1 when every array held all its entries (stage_cap >= n_stages,
 * thread_cap >= n_threads, and medoid_cap >= k or no best yet), 0 when some
 * were left out. Never blocks a worker beyond a copy. */
int ekm_job_snapshot(ekm_job *job, ekm_progress *summary, ekm_stage_progress *stages,
                     int stage_cap, ekm_thread_progress *threads, int thread_cap,
                     uint32_t *best_medoids, unsigned medoid_cap);
/* A stage's best set so far: its first min(cap, k) medoids (ascending) into
 * medoids and its objective into *objective (either may be NULL). Returns 1, or
 * 0 when the stage has none yet or is not a stage of the job (nothing written). */
int ekm_job_stage_best(ekm_job *job, int stage, uint32_t *medoids, unsigned cap,
                       double *objective);
/* Ask the job to stop; callable from any thread, any number of times. */
void ekm_job_cancel(ekm_job *job);
/* 1 once the job has finished (done, cancelled or failed). */
int ekm_job_done(ekm_job *job);
/* Block until the job has finished; returns its final status. */
ekm_status ekm_job_wait(ekm_job *job);
/* Like ekm_job_wait with a timeout in seconds; returns 1 when finished. */
int ekm_job_wait_for(ekm_job *job, double seconds);
/* A descriptor that becomes readable when the job has finished (owned by the job). */
int ekm_job_fd(ekm_job *job);
/* Final status and error record (EKM_OK while running or when it succeeded). */
ekm_status ekm_job_status(ekm_job *job, ekm_error *err);
/* The result, owned by the job: NULL unless the job finished with EKM_OK. It is
 * never written once returned, and stays valid until ekm_job_take_result moves it
 * out or ekm_job_free frees it (so those must not race its readers). */
const ekm_result *ekm_job_result(ekm_job *job);
/* Move the result out of the job (caller frees it with ekm_result_free). */
ekm_result *ekm_job_take_result(ekm_job *job);
/* A cancelled exact job's best set found before the cancel, as a result with
 * exact = 0 and stopped = 1 (its clusters and objective recomputed in double; its
 * counts say how much of the space was closed); moved out of the job (free it with
 * ekm_result_free). NULL while running, after success, failure, for a heuristic,
 * when no set had been evaluated yet, or once taken. */
ekm_result *ekm_job_take_best_so_far(ekm_job *job);
/* Lower a running pruned job's incumbent to an objective reached elsewhere (e.g.
 * by another process): subtrees that cannot beat it, tie rule included, are
 * discarded. Any thread; ignored by other strategies and by larger values. */
void ekm_job_offer_bound(ekm_job *job, double objective);
/* Cancel if running, wait, free. NULL is fine. */
void ekm_job_free(ekm_job *job);

/* The plan a job with these options would run on n points: threads 0 means the
 * number of cores, the rest as ekm_plan_build (free it with ekm_plan_free). */
ekm_status ekm_solve_plan(size_t n, const ekm_solve_options *opt, ekm_plan **out, ekm_error *err);
/* The plan a job runs (immutable, owned by the job: valid until ekm_job_free;
 * any thread may read it). */
const ekm_plan *ekm_job_plan(const ekm_job *job);

/* Start, wait, take the result: the blocking form for scripts and tests. */
ekm_status ekm_solve(ekm_dissim *dm, const ekm_solve_options *opt, ekm_result **out,
                     ekm_error *err);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
