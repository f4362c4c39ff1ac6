/* job_enum.c — the enumeration workers: staged plans (seq, split, par1, par2,
 * tree) take the lowest-id ready stage and walk it unit by unit; fused workers
 * share one stage whose units an atomic counter hands out (see job.c). */
#include "job_parts.h"

#include <stdlib.h>

#include "walk.h"

static void on_improve(void *ctx, const ekm__best *best) { ekm__stage_publish(ctx, best); }

/* ---- staged plans ---------------------------------------------------------- */

/* 1 when the job runs some of stage s's units (a job given a unit range skips
 * the stages outside it, and their children count as done). */
static int stage_in_job(const ekm_job *job, int s)
{
    if (!job->opt.unit_hi)
        return 1;
    return job->unit_first[s] < job->run_hi && job->unit_first[s + 1] > job->run_lo;
}

/* Take the lowest-id ready stage; -1 when all are taken or the job is cancelled. */
static int take_stage(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    for (;;) {
        if (atomic_load(&job->cancel) || atomic_load(&job->nomem)) {
            pthread_mutex_unlock(&job->lock);
            return -1;
        }
        int all_taken = 1;
        for (int s = 0; s < job->plan->n_stages; s++) {
            ekm__stage_rt *st = &job->st[s];
            if (st->taken)
                continue;
            all_taken = 0;
            const ekm_stage_spec *sp = &job->plan->stages[s];
            int ready = 1;
            for (int c = 0; c < 2; c++)
                if (sp->child[c] >= 0 && stage_in_job(job, sp->child[c]) &&
                    atomic_load(&job->st[sp->child[c]].state) != EKM_RUN_DONE)
                    ready = 0;
            if (ready) {
                st->taken = 1;
                pthread_mutex_unlock(&job->lock);
                return s;
            }
        }
        if (all_taken) {
            pthread_mutex_unlock(&job->lock);
            return -1;
        }
        pthread_cond_wait(&job->cond, &job->lock);
    }
}


ekm__range ekm__stage_range(const ekm_stage_spec *sp)
{
    return sp->kind == EKM_STAGE_MERGE ? ekm__range_merge(sp->lo, sp->mid, sp->hi)
                                       : ekm__range_leaf(sp->lo, sp->hi);
}

typedef struct worker_arg {
    ekm_job *job;
    int id;
} worker_arg;

static void *staged_worker(void *p)
{
    worker_arg *a = p;
    ekm_job *job = a->job;
    ekm__thread_rt *th = &job->th[a->id];
    ekm__walker w;
    if (ekm__walker_init(&w, job->dm, &job->kern, job->opt.k, &job->cancel)) {
        atomic_store(&job->nomem, 1);
        pthread_cond_broadcast(&job->cond);
        return NULL;
    }
    int s;
    while ((s = take_stage(job)) >= 0) {
        ekm__stage_rt *st = &job->st[s];
        long long t_start = ekm__job_ns(job);
        atomic_store(&st->thread, a->id);
        atomic_store(&st->start_ns, t_start);
        ekm__state_forward(&st->state, EKM_RUN_RUNNING);
        atomic_store(&th->stage, s);
        atomic_store(&th->busy, 1);
        ekm__best_clear(&w.best);
        w.done_a = &st->done;
        w.done_b = &th->done;
        w.on_improve = on_improve;
        w.improve_ctx = st;
        int rc = 0;
        uint64_t u0 = job->unit_first[s];
        for (uint64_t u = u0; u < job->unit_first[s + 1] && !rc; u++) {
            if (atomic_load_explicit(&job->cancel, memory_order_relaxed)) {
                rc = 1; /* a unit is shorter than the walker's own look at the flag */
                break;
            }
            if (!ekm__job_unit_todo(job, u))
                continue;
            ekm__range r = ekm__units_range(&job->units[s], u - u0);
            uint64_t e0 = w.evaluated;
            rc = ekm__walk(&w, &r);
            if (!rc)
                ekm__job_unit_finished(job, s, u, w.evaluated - e0, 0);
        }
        long long t_end = ekm__job_ns(job);
        atomic_fetch_add(&th->busy_ns, t_end - t_start);
        atomic_store(&th->busy, 0);
        atomic_store(&th->stage, -1);
        atomic_store(&st->end_ns, t_end);
        if (rc < 0)
            atomic_store(&job->nomem, 1);
        ekm__state_forward(&st->state, rc == 0 ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
        pthread_mutex_lock(&job->lock);
        job->stages_done++;
        pthread_cond_broadcast(&job->cond);
        pthread_mutex_unlock(&job->lock);
        if (rc)
            break;
    }
    ekm__walker_free(&w);
    return NULL;
}

/* ---- fused ----------------------------------------------------------------- */

static void *fused_worker(void *p)
{
    worker_arg *a = p;
    ekm_job *job = a->job;
    ekm__thread_rt *th = &job->th[a->id];
    ekm__stage_rt *st = &job->st[0];
    ekm__walker w;
    if (ekm__walker_init(&w, job->dm, &job->kern, job->opt.k, &job->cancel)) {
        atomic_store(&job->nomem, 1);
        return NULL;
    }
    w.done_a = &st->done;
    w.done_b = &th->done;
    w.on_improve = on_improve;
    w.improve_ctx = st;
    atomic_store(&th->stage, 0);
    for (;;) {
        if (atomic_load(&job->cancel))
            break;
        uint64_t u = atomic_fetch_add(&job->next_unit, 1);
        if (u >= job->run_hi)
            break;
        if (!ekm__job_unit_todo(job, u))
            continue;
        ekm__range r = ekm__units_range(&job->units[0], u);
        long long t0 = ekm__job_ns(job);
        atomic_store(&th->busy, 1);
        uint64_t e0 = w.evaluated;
        int rc = ekm__walk(&w, &r);
        atomic_store(&th->busy, 0);
        atomic_fetch_add(&th->busy_ns, ekm__job_ns(job) - t0);
        if (rc < 0)
            atomic_store(&job->nomem, 1);
        if (rc)
            break;
        ekm__job_unit_finished(job, 0, u, w.evaluated - e0, 0);
    }
    atomic_store(&th->stage, -1);
    ekm__walker_free(&w);
    return NULL;
}

/* ---- running and finishing an exact plan ------------------------------------- */

ekm_status ekm__run_exact(ekm_job *job)
{
    pthread_t *tids = calloc(job->nthreads, sizeof *tids);
    worker_arg *args = calloc(job->nthreads, sizeof *args);
    if (!tids || !args) {
        free(tids);
        free(args);
        return EKM_ERR_NOMEM;
    }
    int fused = !ekm_strategy_is_staged(job->opt.strategy);
    if (fused) {
        atomic_store(&job->st[0].thread, -1);
        atomic_store(&job->st[0].start_ns, ekm__job_ns(job));
        ekm__state_forward(&job->st[0].state, EKM_RUN_RUNNING);
    }
    unsigned started = 0;
    for (unsigned t = 0; t < job->nthreads; t++) {
        args[t] = (worker_arg){job, (int)t};
        if (pthread_create(&tids[t], NULL, fused ? fused_worker : staged_worker, &args[t]))
            break;
        started++;
    }
    if (!started)
        atomic_store(&job->nomem, 1);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    free(args);
    if (fused) {
        atomic_store(&job->st[0].end_ns, ekm__job_ns(job));
        int ok = !atomic_load(&job->cancel) && !atomic_load(&job->nomem);
        ekm__state_forward(&job->st[0].state, ok ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
    }
    if (atomic_load(&job->nomem))
        return EKM_ERR_NOMEM;
    if (atomic_load(&job->cancel))
        return EKM_ERR_CANCELLED;
    return EKM_OK;
}
ekm_status ekm__finish_exact(ekm_job *job)
{
    ekm__best all;
    ekm__best_init(&all, job->opt.k);
    ekm_status st = EKM_OK;
    for (int s = 0; s < job->plan->n_stages && !st; s++) {
        pthread_mutex_lock(&job->st[s].lock);
        if (ekm__best_merge(&all, &job->st[s].best))
            st = EKM_ERR_NOMEM;
        pthread_mutex_unlock(&job->st[s].lock);
    }
    const uint32_t *set = st ? NULL : ekm__best_answer(&all, NULL);
    if (!st && !set && job->partial) { /* a unit range without a set: nothing to show */
        ekm__best_free(&all);
        return EKM_OK;
    }
    if (!st && !set)
        st = ekm_error_set(&job->error, EKM_ERR_STATE, NULL, 0, 0, "no K-subset was evaluated");
    ekm_count closed = 0;
    for (int s = 0; s < job->plan->n_stages; s++)
        closed += ekm__acount_get(&job->st[s].done);
    if (!st && !job->partial && closed != job->plan->total) { /* never call a gap optimal */
        char a[EKM_COUNT_DIGITS], b[EKM_COUNT_DIGITS];
        st = ekm_error_set(&job->error, EKM_ERR_STATE, NULL, 0, 0,
                           "internal error: %s of %s K-subsets were closed; no optimum "
                           "is claimed",
                           ekm_count_format(closed, a, sizeof a),
                           ekm_count_format(job->plan->total, b, sizeof b));
    }
    if (!st)
        st = ekm__build_result(job, set, &job->result);
    ekm__best_free(&all);
    return st;
}
