/* job_result.c — a job's result: built from the stages' best-lists, the
 * best-so-far of a cancelled exact job, and a stage's progress record. */
#include "job_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ekm_result_free(ekm_result *r)
{
    if (!r)
        return;
    free(r->medoids);
    free(r->cluster);
    free(r->cluster_size);
    free(r->cluster_cost);
    free(r->stages);
    free(r);
}

int ekm__fill_stage_progress(ekm_job *job, int s, ekm_stage_progress *out, uint32_t *set)
{
    ekm__stage_rt *st = &job->st[s];
    out->spec = job->plan->stages[s];
    out->state = (ekm_run_state)atomic_load(&st->state);
    out->thread = atomic_load(&st->thread);
    /* pruned first: a worker adds to done before pruned, so pruned <= done */
    out->pruned = ekm__acount_get(&st->pruned);
    out->done = ekm__acount_get(&st->done);
    if (out->done > out->spec.total)
        out->done = out->spec.total;
    if (out->pruned > out->done)
        out->pruned = out->done;
    long long s0 = atomic_load(&st->start_ns), s1 = atomic_load(&st->end_ns);
    out->start = s0 < 0 ? -1.0 : (double)s0 * 1e-9;
    out->end = s1 < 0 ? -1.0 : (double)s1 * 1e-9;
    out->best = INFINITY;
    pthread_mutex_lock(&st->lock);
    double v;
    const uint32_t *best = ekm__best_answer(&st->best, &v);
    if (best) {
        out->best = v;
        if (set)
            memcpy(set, best, job->opt.k * sizeof *best);
    }
    pthread_mutex_unlock(&st->lock);
    return best != NULL;
}

ekm_status ekm__build_result(ekm_job *job, const uint32_t *medoids, ekm_result **out)
{
    unsigned k = job->opt.k;
    size_t n = job->plan->n;
    ekm_result *r = calloc(1, sizeof *r);
    if (!r)
        return EKM_ERR_NOMEM;
    r->medoids = malloc(k * sizeof *r->medoids);
    r->cluster = malloc(n * sizeof *r->cluster);
    r->cluster_size = malloc(k * sizeof *r->cluster_size);
    r->cluster_cost = malloc(k * sizeof *r->cluster_cost);
    r->stages = calloc((size_t)job->plan->n_stages, sizeof *r->stages);
    if (!r->medoids || !r->cluster || !r->cluster_size || !r->cluster_cost || !r->stages) {
        ekm_result_free(r);
        return EKM_ERR_NOMEM;
    }
    memcpy(r->medoids, medoids, k * sizeof *medoids);
    for (unsigned i = 1; i < k; i++) /* ascending (heuristics may return any order) */
        for (unsigned j = i; j > 0 && r->medoids[j - 1] > r->medoids[j]; j--) {
            uint32_t t = r->medoids[j];
            r->medoids[j] = r->medoids[j - 1];
            r->medoids[j - 1] = t;
        }
    r->strategy = job->opt.strategy;
    r->metric = ekm_dissim_metric(job->dm);
    r->n = n;
    r->k = k;
    r->threads = job->nthreads;
    r->exact = ekm_strategy_is_exact(job->opt.strategy) && !job->partial;
    r->objective =
        ekm_dissim_assign(job->dm, r->medoids, k, r->cluster, r->cluster_size, r->cluster_cost);
    r->total = job->plan->total;
    r->n_stages = job->plan->n_stages;
    for (int s = 0; s < r->n_stages; s++) {
        ekm__fill_stage_progress(job, s, &r->stages[s], NULL);
        r->evaluated += r->stages[s].done - r->stages[s].pruned;
        r->pruned += r->stages[s].pruned;
    }
    r->amdahl_bound = job->plan->amdahl_bound;
    r->makespan = job->plan->makespan;
    r->critical_path = job->plan->critical_path;
    long long inc = atomic_load(&job->incumbent_ns);
    r->incumbent_seconds = inc > 0 ? (double)inc * 1e-9 : 0.0;
    *out = r;
    return EKM_OK;
}

/* A cancelled exact job: its best set so far as a result marked stopped (not
 * proven optimal), when it had evaluated one. */
void ekm__keep_best_so_far(ekm_job *job)
{
    ekm__best all;
    ekm__best_init(&all, job->opt.k);
    int bad = 0;
    for (int s = 0; s < job->plan->n_stages && !bad; s++) {
        pthread_mutex_lock(&job->st[s].lock);
        bad = ekm__best_merge(&all, &job->st[s].best) != 0;
        pthread_mutex_unlock(&job->st[s].lock);
    }
    const uint32_t *set = bad ? NULL : ekm__best_answer(&all, NULL);
    if (set && ekm__build_result(job, set, &job->best_so_far) == EKM_OK) {
        job->best_so_far->exact = 0;
        job->best_so_far->stopped = 1;
    }
    ekm__best_free(&all);
}
