/* job_heuristic.c — a heuristic strategy run as a one-stage job. */
#include "job_parts.h"

#include <stdlib.h>
#include <string.h>

#include "ekm/heuristic.h"

ekm_status ekm__run_heuristic(ekm_job *job)
{
    uint32_t *medoids = malloc(job->opt.k * sizeof *medoids);
    if (!medoids)
        return EKM_ERR_NOMEM;
    ekm__stage_rt *st = &job->st[0];
    atomic_store(&st->thread, 0);
    atomic_store(&st->start_ns, ekm__job_ns(job));
    ekm__state_forward(&st->state, EKM_RUN_RUNNING);
    atomic_store(&job->th[0].busy, 1);
    ekm_heuristic_options ho = {.k = job->opt.k, .seed = job->opt.seed,
                                .restarts = job->opt.restarts, .cancelled = ekm__job_cancelled, .cancel_ctx = job};
    double obj = 0;
    ekm_status rc = ekm_heuristic_run(job->dm, job->opt.strategy, &ho, medoids, &obj, NULL,
                                      &job->error);
    atomic_store(&job->th[0].busy, 0);
    atomic_store(&job->th[0].busy_ns, ekm__job_ns(job));
    atomic_store(&st->end_ns, ekm__job_ns(job));
    ekm__state_forward(&st->state, rc == EKM_OK ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
    if (rc == EKM_OK) {
        pthread_mutex_lock(&st->lock);
        ekm__best_clear(&st->best);
        if (job->opt.k <= EKM_MAX_K) {
            uint32_t sorted[EKM_MAX_K];
            memcpy(sorted, medoids, job->opt.k * sizeof *medoids);
            ekm__best_offer_next(&st->best, obj, sorted);
        }
        pthread_mutex_unlock(&st->lock);
        rc = ekm__build_result(job, medoids, &job->result);
    }
    free(medoids);
    return rc;
}
