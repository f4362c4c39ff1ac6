/* job_runtime.c — what the solvers call while a job runs: the clock, a
 * stage's best-list, the work-unit bookkeeping and the bound offered from
 * elsewhere (job_internal.h). */
#include "job_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prune_root.h"

long long ekm__job_ns(const ekm_job *job) { return (long long)((ekm_now() - job->t0) * 1e9); }

int ekm__job_cancelled(void *job)
{
    return atomic_load_explicit(&((ekm_job *)job)->cancel, memory_order_relaxed) != 0;
}

void ekm__state_forward(atomic_int *state, int to)
{
    int cur = atomic_load(state);
    while (cur < to && !atomic_compare_exchange_weak(state, &cur, to))
        ;
}

void ekm__stage_publish(ekm__stage_rt *st, const ekm__best *best)
{
    pthread_mutex_lock(&st->lock);
    (void)ekm__best_merge(&st->best, best);
    pthread_mutex_unlock(&st->lock);
}

/* ---- work units ------------------------------------------------------------------ */

int ekm__job_unit_todo(ekm_job *job, uint64_t u)
{
    return u >= job->run_lo && u < job->run_hi && job->unit_state[u] == EKM__UNIT_TODO;
}

void ekm__job_unit_finished(ekm_job *job, int s, uint64_t u, ekm_count done, ekm_count pruned)
{
    pthread_mutex_lock(&job->commit_lock);
    job->unit_state[u] = EKM__UNIT_FINISHED;
    job->ck_done[s] += done;
    job->ck_pruned[s] += pruned;
    job->new_done[s] += done;
    job->new_pruned[s] += pruned;
    pthread_mutex_unlock(&job->commit_lock);
}

double ekm__job_offered_bound(const ekm_job *job)
{
    uint64_t bits = atomic_load(&job->offered_bits);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void ekm_job_offer_bound(ekm_job *job, double objective)
{
    if (!job || !(objective >= 0) || !isfinite(objective))
        return;
    uint64_t want;
    memcpy(&want, &objective, sizeof want);
    uint64_t cur = atomic_load(&job->offered_bits);
    /* non-negative doubles order like their bit patterns */
    while (want < cur && !atomic_compare_exchange_weak(&job->offered_bits, &cur, want))
        ;
}

void ekm__job_unit_range_clamp(ekm_job *job)
{
    job->run_lo = job->opt.unit_hi ? job->opt.unit_lo : 0;
    job->run_hi = job->opt.unit_hi ? job->opt.unit_hi : job->n_units;
    if (job->run_hi > job->n_units)
        job->run_hi = job->n_units;
    if (job->run_lo > job->run_hi)
        job->run_lo = job->run_hi;
}

int ekm__job_root_ready(ekm_job *job, ekm__ck_root *root, ekm_count lump)
{
    unsigned char *state = calloc(root->tasks ? root->tasks : 1, 1);
    if (!state)
        return -1;
    pthread_mutex_lock(&job->commit_lock);
    job->root = root;
    job->unit_state = state;
    job->n_units = root->tasks;
    ekm__job_unit_range_clamp(job);
    root->lump = lump; /* counted with the root, not in the stage's units */
    pthread_mutex_unlock(&job->commit_lock);
    return 0;
}
