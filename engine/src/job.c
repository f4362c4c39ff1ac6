/* job.c — jobs: a coordinator thread runs a plan on worker threads, publishes
 * progress, and builds the result. See job_internal.h for ownership and locks.
 *
 * Staged plans (seq, split, par1, par2, tree): a free worker takes the
 * lowest-id stage whose children are done and walks it alone, so a merge waits
 * for its children and runs as one task, as in the study. fused: one shared
 * stage whose work units (units.h: a first element and a run of second
 * elements) are handed out by an atomic counter; nothing waits. A staged
 * worker walks its stage unit by unit too, so that every plan can be
 * checkpointed and resumed (checkpoint.h) at the grain of a unit.
 */
#define _GNU_SOURCE
#include "job_parts.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "combo.h"
#include "prune_root.h"
#include "cert_rec.h"

ekm_solve_options ekm_solve_options_default(void)
{
    return (ekm_solve_options){.k = 3, .strategy = EKM_STRATEGY_SEQ, .threads = 0, .seed = 1,
                               .restarts = 1};
}

const char *ekm_run_state_name(ekm_run_state s)
{
    switch (s) {
    case EKM_RUN_WAITING: return "waiting";
    case EKM_RUN_RUNNING: return "running";
    case EKM_RUN_DONE: return "done";
    case EKM_RUN_CANCELLED: return "cancelled";
    case EKM_RUN_FAILED: return "failed";
    }
    return "unknown";
}

static void *coordinator(void *p)
{
    ekm_job *job = p;
    atomic_store(&job->state, EKM_RUN_RUNNING);
    ekm_status st;
    if (job->opt.strategy == EKM_STRATEGY_PRUNED) {
        st = ekm__pruned_run(job);
        if (st == EKM_OK)
            st = ekm__finish_exact(job);
    } else if (ekm_strategy_is_exact(job->opt.strategy)) {
        st = ekm__run_exact(job);
        if (st == EKM_OK)
            st = ekm__finish_exact(job);
    } else {
        st = ekm__run_heuristic(job);
    }
    /* stamped under job->lock, as snapshots read it: elapsed never goes back */
    pthread_mutex_lock(&job->lock);
    long long end = ekm__job_ns(job);
    atomic_store(&job->end_ns, end);
    pthread_mutex_unlock(&job->lock);
    for (int s = 0; s < job->plan->n_stages; s++) /* stages never started */
        if (atomic_load(&job->st[s].state) == EKM_RUN_WAITING)
            ekm__state_forward(&job->st[s].state, EKM_RUN_CANCELLED);
    if (st == EKM_ERR_CANCELLED && ekm_strategy_is_exact(job->opt.strategy))
        ekm__keep_best_so_far(job);
    if (job->result)
        job->result->seconds = (double)end * 1e-9;
    if (job->best_so_far)
        job->best_so_far->seconds = (double)end * 1e-9;
    if (st == EKM_ERR_CANCELLED)
        ekm_error_set(&job->error, st, NULL, 0, 0, "cancelled after %.3f s", (double)end * 1e-9);
    else if (st == EKM_ERR_NOMEM)
        ekm_error_set(&job->error, st, NULL, 0, 0, "out of memory");
    pthread_mutex_lock(&job->lock);
    job->status = st;
    job->finished = 1;
    atomic_store(&job->state, st == EKM_OK ? EKM_RUN_DONE
                              : st == EKM_ERR_CANCELLED ? EKM_RUN_CANCELLED : EKM_RUN_FAILED);
    pthread_cond_broadcast(&job->done_cond);
    pthread_mutex_unlock(&job->lock);
    char byte = 1;
    while (write(job->pipefd[1], &byte, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

/* ---- public API ---------------------------------------------------------------- */

/* Zeroed memory for arrays of cache-line-aligned structs (calloc aligns to 16 only). */
static void *aligned_calloc(size_t align, size_t count, size_t size)
{
    size_t bytes = count * size;
    bytes = (bytes + align - 1) / align * align;
    void *p = aligned_alloc(align, bytes ? bytes : align);
    if (p)
        memset(p, 0, bytes ? bytes : align);
    return p;
}

static void job_dispose(ekm_job *job)
{
    if (job->st)
        for (int s = 0; s < job->plan->n_stages; s++) {
            pthread_mutex_destroy(&job->st[s].lock);
            ekm__best_free(&job->st[s].best);
        }
    free(job->st);
    free(job->th);
    if (job->units)
        for (int s = 0; s < job->plan->n_stages; s++)
            ekm__units_free(&job->units[s]);
    free(job->units);
    free(job->unit_first);
    free(job->unit_state);
    free(job->ck_done);
    free(job->ck_pruned);
    free(job->new_done);
    free(job->new_pruned);
    ekm__ck_root_delete(job->root);
    ekm__cert_free(job->cert);
    pthread_mutex_destroy(&job->commit_lock);
    ekm_plan_free(job->plan);
    ekm_result_free(job->result);
    ekm_result_free(job->best_so_far);
    if (job->pipefd[0] >= 0)
        close(job->pipefd[0]);
    if (job->pipefd[1] >= 0)
        close(job->pipefd[1]);
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->cond);
    pthread_cond_destroy(&job->done_cond);
    ekm_dissim_release(job->dm);
    free(job);
}

ekm_status ekm_job_start(ekm_dissim *dm, const ekm_solve_options *opt, ekm_job **out,
                         ekm_error *err)
{
    *out = NULL;
    size_t n = ekm_dissim_n(dm);
    const char *name = ekm_dissim_name(dm);
    if ((unsigned)opt->strategy >= EKM_STRATEGY_COUNT)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "unknown strategy");
    if (opt->k == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "K must be at least 1");
    if (opt->k > n)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0,
                             "K=%u exceeds the number of points N=%zu", opt->k, n);
    if (opt->k > EKM_MAX_K)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "K=%u: at most %d medoids",
                             opt->k, EKM_MAX_K);
    if (!ekm_dissim_has_matrix(dm) && opt->strategy != EKM_STRATEGY_PRUNED)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0,
                             "the %s strategy needs the dissimilarity matrix (--matrix on); "
                             "without it (--matrix off) only pruned runs",
                             ekm_strategy_name(opt->strategy));
    if (opt->certificate && opt->strategy != EKM_STRATEGY_PRUNED)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "a certificate is recorded only by the pruned strategy, not %s",
                             ekm_strategy_name(opt->strategy));
    if (opt->certificate && (opt->resume || opt->unit_hi || opt->root_only))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "a certificate is recorded only by a whole run from the start "
                             "(not resumed, not a range of work units, not the root alone)");
    unsigned threads = opt->threads ? opt->threads : ekm_cpu_count();
    if (threads > EKM_MAX_THREADS)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "threads must be between 1 and %d, not %u", EKM_MAX_THREADS, threads);
    ekm_plan *plan;
    ekm_status st = ekm_solve_plan(n, opt, &plan, err);
    if (st)
        return st;
    ekm_job *job = calloc(1, sizeof *job);
    if (!job) {
        ekm_plan_free(plan);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    job->pipefd[0] = job->pipefd[1] = -1;
    job->plan = plan;
    job->opt = *opt;
    job->opt.threads = threads;
    job->nthreads = ekm_strategy_is_exact(opt->strategy) ? plan->threads : 1;
    job->dm = ekm_dissim_retain(dm);
    job->kern = ekm__kernel_select();
    pthread_mutex_init(&job->lock, NULL);
    pthread_mutex_init(&job->commit_lock, NULL);
    pthread_cond_init(&job->cond, NULL);
    pthread_condattr_t ca; /* ekm_job_wait_for times on the monotonic clock */
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&job->done_cond, &ca);
    pthread_condattr_destroy(&ca);
    job->st = aligned_calloc(64, (size_t)plan->n_stages, sizeof *job->st);
    job->th = aligned_calloc(64, job->nthreads, sizeof *job->th);
    if (!job->st || !job->th || pipe2(job->pipefd, O_CLOEXEC | O_NONBLOCK)) {
        if (job->st)
            for (int s = 0; s < plan->n_stages; s++)
                pthread_mutex_init(&job->st[s].lock, NULL);
        job_dispose(job);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of resources for a job");
    }
    for (int s = 0; s < plan->n_stages; s++) {
        ekm__stage_rt *r = &job->st[s];
        atomic_init(&r->state, EKM_RUN_WAITING);
        atomic_init(&r->thread, -1);
        atomic_init(&r->start_ns, -1);
        atomic_init(&r->end_ns, -1);
        pthread_mutex_init(&r->lock, NULL);
        ekm__best_init(&r->best, opt->k);
    }
    for (unsigned t = 0; t < job->nthreads; t++)
        atomic_init(&job->th[t].stage, -1);
    atomic_init(&job->end_ns, -1);
    double no_bound = -INFINITY;
    uint64_t bits;
    memcpy(&bits, &no_bound, sizeof bits);
    atomic_init(&job->root_bound_bits, bits);
    atomic_init(&job->root_active, 0);
    st = ekm_strategy_is_exact(opt->strategy) ? ekm__job_setup_units(job, err) : EKM_OK;
    if (!st && opt->resume && ekm_strategy_is_exact(opt->strategy))
        st = ekm__job_restore(job, opt->resume, err);
    if (st) {
        job_dispose(job);
        return st;
    }
    job->t0 = ekm_now();
    if (pthread_create(&job->coord, NULL, coordinator, job)) {
        job_dispose(job);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "cannot start a thread");
    }
    job->coord_started = 1;
    *out = job;
    return EKM_OK;
}

ekm_status ekm_solve_plan(size_t n, const ekm_solve_options *opt, ekm_plan **out, ekm_error *err)
{
    ekm_plan_options po = {.strategy = opt->strategy,
                           .threads = opt->threads ? opt->threads : ekm_cpu_count(),
                           .partitions = opt->partitions, .leaf = opt->leaf};
    return ekm_plan_build(n, opt->k, &po, out, err);
}

const ekm_plan *ekm_job_plan(const ekm_job *job) { return job->plan; }

void ekm_job_cancel(ekm_job *job)
{
    if (!job)
        return;
    atomic_store(&job->cancel, 1);
    pthread_mutex_lock(&job->lock);
    pthread_cond_broadcast(&job->cond);
    pthread_mutex_unlock(&job->lock);
}

int ekm_job_done(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    int f = job->finished;
    pthread_mutex_unlock(&job->lock);
    return f;
}

ekm_status ekm_job_wait(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    while (!job->finished)
        pthread_cond_wait(&job->done_cond, &job->lock);
    ekm_status st = job->status;
    pthread_mutex_unlock(&job->lock);
    return st;
}

int ekm_job_wait_for(ekm_job *job, double seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 + (seconds > 0 ? seconds : 0);
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    pthread_mutex_lock(&job->lock);
    while (!job->finished)
        if (pthread_cond_timedwait(&job->done_cond, &job->lock, &ts) == ETIMEDOUT)
            break;
    int f = job->finished;
    pthread_mutex_unlock(&job->lock);
    return f;
}

int ekm_job_fd(ekm_job *job) { return job->pipefd[0]; }

ekm_status ekm_job_status(ekm_job *job, ekm_error *err)
{
    pthread_mutex_lock(&job->lock);
    ekm_status st = job->finished ? job->status : EKM_OK;
    if (err) {
        if (job->finished && st)
            *err = job->error;
        else
            ekm_error_clear(err);
    }
    pthread_mutex_unlock(&job->lock);
    return st;
}

const ekm_result *ekm_job_result(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    const ekm_result *r = job->finished && job->status == EKM_OK ? job->result : NULL;
    pthread_mutex_unlock(&job->lock);
    return r;
}

ekm_result *ekm_job_take_result(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    ekm_result *r = NULL;
    if (job->finished && job->status == EKM_OK) {
        r = job->result;
        job->result = NULL;
    }
    pthread_mutex_unlock(&job->lock);
    return r;
}

ekm_result *ekm_job_take_best_so_far(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    ekm_result *r = NULL;
    if (job->finished) {
        r = job->best_so_far;
        job->best_so_far = NULL;
    }
    pthread_mutex_unlock(&job->lock);
    return r;
}

int ekm_job_snapshot(ekm_job *job, ekm_progress *out, ekm_stage_progress *stages,
                     int stage_cap, ekm_thread_progress *threads, int thread_cap,
                     uint32_t *best_medoids, unsigned medoid_cap)
{
    memset(out, 0, sizeof *out);
    out->state = (ekm_run_state)atomic_load(&job->state);
    out->strategy = job->opt.strategy;
    out->n = job->plan->n;
    out->k = job->opt.k;
    out->threads = job->nthreads;
    pthread_mutex_lock(&job->lock); /* see the coordinator's end stamp */
    long long end = atomic_load(&job->end_ns);
    out->elapsed = (double)(end >= 0 ? end : ekm__job_ns(job)) * 1e-9;
    pthread_mutex_unlock(&job->lock);
    out->total = job->plan->total;
    out->best = INFINITY;
    out->n_stages = job->plan->n_stages;
    /* k <= EKM_MAX_K (ekm_job_start): the best set and a stage's set on the stack */
    uint32_t best[EKM_MAX_K], set[EKM_MAX_K];
    for (int s = 0; s < out->n_stages; s++) {
        ekm_stage_progress rec, *sp = s < stage_cap && stages ? &stages[s] : &rec;
        int has = ekm__fill_stage_progress(job, s, sp, set);
        out->done += sp->done;
        out->pruned += sp->pruned;
        if (has && (!out->has_best || sp->best < out->best ||
                    (sp->best == out->best && ekm__combo_less(set, best, out->k)))) {
            out->best = sp->best;
            out->has_best = 1;
            memcpy(best, set, out->k * sizeof *set);
        }
    }
    out->evaluated = out->done - out->pruned;
    out->resumed = job->resumed_done < out->done ? job->resumed_done : out->done;
    out->n_threads = (int)job->nthreads;
    for (int t = 0; t < out->n_threads; t++) {
        ekm__thread_rt *th = &job->th[t];
        ekm_thread_progress rec, *tp = t < thread_cap && threads ? &threads[t] : &rec;
        tp->stage = atomic_load(&th->stage);
        tp->busy = atomic_load(&th->busy);
        tp->done = ekm__acount_get(&th->done);
        tp->busy_seconds = (double)atomic_load(&th->busy_ns) * 1e-9;
        out->threads_busy += tp->busy;
    }
    uint64_t bits = atomic_load_explicit(&job->root_bound_bits, memory_order_relaxed);
    memcpy(&out->root_bound, &bits, sizeof bits);
    out->root_active = atomic_load_explicit(&job->root_active, memory_order_relaxed);
    unsigned k = out->k;
    if (out->has_best && best_medoids)
        memcpy(best_medoids, best, (medoid_cap < k ? medoid_cap : k) * sizeof *best);
    int fits_stages = stages ? stage_cap >= out->n_stages : out->n_stages == 0;
    int fits_threads = threads ? thread_cap >= out->n_threads : out->n_threads == 0;
    int fits_best = !out->has_best || (best_medoids && medoid_cap >= k);
    return fits_stages && fits_threads && fits_best;
}

void ekm_job_progress(ekm_job *job, ekm_progress *out)
{
    ekm_job_snapshot(job, out, NULL, 0, NULL, 0, NULL, 0);
}

int ekm_job_stage_best(ekm_job *job, int stage, uint32_t *medoids, unsigned cap,
                       double *objective)
{
    if (stage < 0 || stage >= job->plan->n_stages)
        return 0;
    uint32_t set[EKM_MAX_K];
    ekm_stage_progress rec;
    if (!ekm__fill_stage_progress(job, stage, &rec, set))
        return 0;
    if (medoids)
        memcpy(medoids, set, (cap < job->opt.k ? cap : job->opt.k) * sizeof *set);
    if (objective)
        *objective = rec.best;
    return 1;
}

void ekm_job_free(ekm_job *job)
{
    if (!job)
        return;
    ekm_job_cancel(job);
    if (job->coord_started)
        pthread_join(job->coord, NULL);
    job_dispose(job);
}

ekm_status ekm_solve(ekm_dissim *dm, const ekm_solve_options *opt, ekm_result **out,
                     ekm_error *err)
{
    *out = NULL;
    ekm_job *job;
    ekm_status st = ekm_job_start(dm, opt, &job, err);
    if (st)
        return st;
    st = ekm_job_wait(job);
    if (st)
        ekm_job_status(job, err);
    else
        *out = ekm_job_take_result(job);
    ekm_job_free(job);
    return st;
}
