/* job_wait.h — the one wait-with-progress loop of the front ends: block until a
 * job ends, doing something (draw progress, save a checkpoint, look at a signal
 * flag) every `period` seconds while it runs. */
#ifndef EKM_UI_JOB_WAIT_H
#define EKM_UI_JOB_WAIT_H

#include <signal.h>
#include <stdatomic.h>

#include "ekm/job.h"

/* Called while the job runs; a nonzero return cancels the job (the wait goes on
 * until it has ended). */
typedef int (*job_wait_tick)(void *ctx, ekm_job *job);

/* Wait until job ends, calling tick(ctx, job) (when not NULL) every `period` seconds. */
void job_wait(ekm_job *job, double period, job_wait_tick tick, void *ctx);

/* Wait until job ends, cancelling it once *flag is set (a signal handler's flag). */
void job_wait_cancel_on(ekm_job *job, double period, volatile sig_atomic_t *flag);

/* Wait until job ends, cancelling it once *stop is set (another thread's stop
 * request; NULL: never). */
void job_wait_stop_on(ekm_job *job, double period, const atomic_int *stop);

#endif
