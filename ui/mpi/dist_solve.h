/* dist_solve.h — `ekm-mpi solve`: the exact solver shared out over the ranks of an
 * MPI job (Open MPI), on one machine or many.
 *
 * Every rank parses the same options (the shared settings table, as `ekm solve`)
 * and loads the same file; the ranks check that their data agree (fingerprint).
 * Rank 0 is the dispatcher: its main thread hands out tasks and merges what comes
 * back, while its engine jobs compute on their own threads like everyone else's.
 *  - fused: blocks of work units, guided sizes (remaining / (4 x ranks)), one job
 *    of T threads per block; each rank keeps one block queued behind the running
 *    one so it never waits for the dispatcher.
 *  - pruned: rank 0 runs the root phase, sends the root checkpoint to every rank,
 *    then hands out blocks as for fused; incumbents are shared (a rank reports an
 *    improvement, rank 0 forwards it to every rank, jobs take it as a bound).
 *    Matrix-free (--matrix off/auto: no rank stores N x N), the root phase's full
 *    ρ passes are shared by blocks of candidate columns: rank r sums the ρ of the
 *    columns [r·N/R, (r+1)·N/R) at every pass (dist_pass.c); a worker checks the
 *    root it receives once, not in every task.
 *  - seq, split, par1, par2, tree: whole stages of the plan, each a one-thread job,
 *    T per rank; a stage is handed out once its children are merged, leaves go to
 *    the ranks with the most free threads, a merge to a rank that ran one of its
 *    children when that rank has a free thread.
 * A task's finished work comes back as an encoded checkpoint (EKM_CKPT_NEW_ONLY)
 * and is merged into rank 0's master; once every unit is in, rank 0 resumes the
 * master (it ends at once) and prints the result exactly as `ekm solve` does.
 *
 * Only the main thread of a rank calls MPI (MPI_THREAD_FUNNELED). Waiting is done
 * by polling (MPI_Iprobe, then a sleep of at most 1 ms that a job's end cuts
 * short), never in a blocking MPI call that would spin a core the engine needs. An error on any rank ends the whole job with
 * one line on rank 0's stderr and a non-zero exit on every rank; a rank that dies
 * is noticed by mpirun, which ends the job.
 */
#ifndef EKM_UI_MPI_DIST_SOLVE_H
#define EKM_UI_MPI_DIST_SOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "common/settings.h"
#include "ekm/advanced.h"
#include "ekm/checkpoint.h"
#include "ekm/job.h"

/* `ekm-mpi solve FILE -k K [options]` (argv[0] is "solve"): initialises MPI, runs,
 * finalises. Returns the exit status: 0, 1 (runtime failure), 2 (bad usage/input). */
int dist_solve_main(int argc, char **argv);
void dist_solve_help(FILE *out);

/* ---- protocol (dist_protocol.c) -------------------------------------------------
 * Messages are MPI_BYTE arrays on MPI_COMM_WORLD, one tag per kind. Ranks run the
 * same build on the same architecture (the structs are sent as they are). */
enum dist_tag {
    DIST_TAG_ROOT = 11,    /* 0 -> w: pruned root checkpoint (encoded) */
    DIST_TAG_ASSIGN,       /* 0 -> w: dist_assign_msg */
    DIST_TAG_BOUND,        /* both ways: a double, the best objective known */
    DIST_TAG_DONE,         /* w -> 0: dist_done_header + encoded NEW_ONLY checkpoint */
    DIST_TAG_PROGRESS,     /* w -> 0: dist_progress_msg */
    DIST_TAG_FAIL,         /* w -> 0: one line of text, NUL-terminated */
    DIST_TAG_STOP,         /* 0 -> w: dist_stop_msg; the worker returns its code */
    DIST_TAG_PASS,         /* 0 -> w: dist_pass_header, n floats λ, its rows (uint32) */
    DIST_TAG_PASS_DONE     /* w -> 0: dist_pass_header, the rows' ρ (doubles) */
};

/* A piece of work: a block of units (fused, pruned) or one stage of a plan. */
typedef struct dist_task {
    uint32_t id;
    int32_t stage; /* the plan's stage it runs, -1 for a block of units */
    uint64_t unit_lo, unit_hi;
} dist_task;

typedef struct dist_assign_msg {
    dist_task task;
    double bound; /* pruned: the best objective known (INFINITY: none) */
} dist_assign_msg;

typedef struct dist_done_header {
    uint32_t task_id;
    uint32_t reserved;
    double seconds; /* the task's wall time on its rank */
} dist_done_header;

typedef struct dist_progress_msg {
    ekm_count done; /* K-subsets closed by the rank's running jobs (every rank runs
                     * the same build, so the bytes mean the same) */
    uint32_t running;
    uint32_t reserved;
} dist_progress_msg;

typedef struct dist_stop_msg {
    int32_t code; /* 0: finished; else the exit status */
} dist_stop_msg;

/* pruned, matrix-free: one of the root's full ρ passes (dist_pass.c) */
typedef struct dist_pass_header {
    uint64_t id;    /* the pass, counted from 1 */
    uint64_t n;     /* λ's length (the points) */
    uint64_t count; /* rows that follow (PASS) or their ρ (PASS_DONE) */
} dist_pass_header;

typedef struct dist_msg {
    int source, tag;
    uint8_t *data; /* malloc'ed (NULL when len is 0) */
    size_t len;
} dist_msg;

/* Send len bytes (blocking until the buffer may be reused). */
void dist_send(int dest, int tag, const void *buf, size_t len);
/* Take the next waiting message from `source` (or MPI_ANY_SOURCE) if there is one:
 * returns 1 and fills *msg (free with dist_msg_free), else 0. Never blocks. */
int dist_poll(int source, dist_msg *msg);
void dist_msg_free(dist_msg *msg);
/* Sleep about a millisecond (while no job runs). */
void dist_nap(void);
/* A checkpoint as bytes / bytes as a checkpoint; 0 or -1 with a message in err. */
int dist_encode(const ekm_checkpoint *ck, uint8_t **buf, size_t *len, char *err, size_t errsize);
int dist_decode(const uint8_t *buf, size_t len, ekm_checkpoint **out, char *err, size_t errsize);

/* ---- running tasks as engine jobs on this rank (dist_exec.c) ---------------------- */
typedef struct dist_exec dist_exec;

/* Up to `slots` jobs at a time, each with `threads_per_job` threads, all with the
 * options `base` (unit ranges set per task). dm is retained. NULL if out of memory. */
dist_exec *dist_exec_create(ekm_dissim *dm, const ekm_solve_options *base, unsigned slots,
                            unsigned threads_per_job);
/* pruned: the root checkpoint every task resumes (owned by the caller, must outlive x). */
void dist_exec_set_resume(dist_exec *x, const ekm_checkpoint *resume);
/* Queue a task; it starts when a slot is free (dist_exec_poll starts it). 0 or -1. */
int dist_exec_submit(dist_exec *x, const dist_task *t);
/* Start queued tasks on free slots and collect one finished task: returns 1 with *t,
 * its checkpoint *ck (EKM_CKPT_NEW_ONLY, caller frees) and its wall time, 0 when none
 * finished, -1 when a job failed (one line in err). */
int dist_exec_poll(dist_exec *x, dist_task *t, ekm_checkpoint **ck, double *seconds, char *err,
                   size_t errsize);
/* Sleep until a running job ends or `milliseconds` pass (the polling loops' idle
 * step: a finished task is collected, and the one queued behind it started, at once). */
void dist_exec_wait(dist_exec *x, int milliseconds);
/* Lower the incumbent of the running jobs and of those started later. */
void dist_exec_offer_bound(dist_exec *x, double objective);
/* Refresh the running jobs' progress (at most every 50 ms; cheap otherwise). */
void dist_exec_refresh(dist_exec *x);
/* From the last refresh: the best objective of the running jobs (0 when none),
 * the K-subsets they closed. */
int dist_exec_best(const dist_exec *x, double *objective);
ekm_count dist_exec_done(const dist_exec *x);
unsigned dist_exec_running(const dist_exec *x);
/* Tasks running or queued. */
unsigned dist_exec_load(const dist_exec *x);
/* Cancel every job, free. NULL is fine. */
void dist_exec_destroy(dist_exec *x);

/* ---- the root's full passes by candidate blocks (dist_pass.c) ----------------------
 * Matrix-free pruned: rank r owns the candidate columns [r·N/R, (r+1)·N/R). The
 * engine thread that leads rank 0's root phase hands each full pass (ρ of a list
 * of candidates under λ) to rank 0's main thread (the relay; only the main thread
 * calls MPI); it sends every worker λ and the candidates of its block, sums the
 * ρ of its own block meanwhile, and puts the answers back in the pass's order. */
typedef struct dist_relay dist_relay;

/* The candidate columns rank r of R owns out of n: [*lo, *hi). */
void dist_block(size_t n, int r, int ranks, size_t *lo, size_t *hi);
/* NULL if out of memory. */
dist_relay *dist_relay_create(void);
void dist_relay_destroy(dist_relay *rl);
/* The ekm_rho_pass_fn to put in the root job's options (ctx: the relay). */
int dist_relay_hook(void *ctx, const float *lam, size_t n, const uint32_t *rows, size_t count,
                    double *out);
/* Handler of the other messages that arrive while a pass waits (the dispatcher's);
 * nonzero: give up the pass. */
typedef int (*dist_other_fn)(void *ctx, dist_msg *m);
/* Rank 0's main thread: wait up to `milliseconds` for a pass; if one came, run it
 * over the ranks and answer the engine thread. Returns 1 when a pass ran, 0 when
 * none came, -1 when it failed (message in err; the engine thread was told, its
 * job cancels itself). */
int dist_relay_serve(dist_relay *rl, const ekm_dissim *dm, int ranks, unsigned threads,
                     int milliseconds, dist_other_fn other, void *other_ctx, char *err,
                     size_t errsize);
/* Passes run so far. */
uint64_t dist_relay_passes(const dist_relay *rl);
/* A rank's cache of the rows of its block (128 MiB per thread; NULL if no memory:
 * then the rows come from the coordinates every pass). */
ekm_rho_cache *dist_rho_cache(const ekm_dissim *dm, unsigned threads);
/* A worker: sum the ρ of its block for a PASS message and send them back; 0, or -1
 * with a message in err. *cache: the rank's cache, made at the first pass. */
int dist_pass_answer(const dist_msg *m, const ekm_dissim *dm, unsigned threads,
                     ekm_rho_cache **cache, char *err, size_t errsize);

/* ---- the two roles (dist_dispatch.c, dist_worker.c) ---------------------------------- */
typedef struct dist_setup {
    const ui_settings *settings; /* options as parsed; settings->solve is the job's */
    ekm_solve_options solve;      /* the options every task uses (tree: partitions fixed) */
    ekm_dissim *dm;
    int rank, ranks;
    unsigned threads;      /* per rank (--threads, 0 = that rank's cores; here resolved) */
    int staged;            /* 1: whole stages of a plan; 0: blocks of units (fused, pruned) */
    const unsigned *slots; /* per rank: jobs it runs at once (staged: its threads; else 1) */
    char (*hosts)[64];     /* per rank: host name, for messages */
    double started;        /* ekm_now() when the solve began (after loading) */
} dist_setup;

/* Rank 0: run the job over all ranks, print the result; returns the exit status. */
int dist_dispatch(const dist_setup *setup);
/* Ranks 1..: take tasks until told to stop; returns the exit status. */
int dist_worker(const dist_setup *setup);

#endif
