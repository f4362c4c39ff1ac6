/* job_wait.c — the wait-with-progress loop shared by the front ends. */
#include "common/job_wait.h"

void job_wait(ekm_job *job, double period, job_wait_tick tick, void *ctx)
{
    while (!ekm_job_wait_for(job, period))
        if (tick && tick(ctx, job))
            ekm_job_cancel(job);
}

typedef struct flag_ref {
    volatile sig_atomic_t *flag;
} flag_ref;

static int flag_set(void *ctx, ekm_job *job)
{
    (void)job;
    return *((flag_ref *)ctx)->flag != 0;
}

void job_wait_cancel_on(ekm_job *job, double period, volatile sig_atomic_t *flag)
{
    flag_ref ref = {flag};
    job_wait(job, period, flag_set, &ref);
}

typedef struct stop_ref {
    const atomic_int *stop;
} stop_ref;

static int stop_set(void *ctx, ekm_job *job)
{
    (void)job;
    return atomic_load(((stop_ref *)ctx)->stop) != 0;
}

void job_wait_stop_on(ekm_job *job, double period, const atomic_int *stop)
{
    stop_ref ref = {stop};
    job_wait(job, period, stop ? stop_set : NULL, &ref);
}
