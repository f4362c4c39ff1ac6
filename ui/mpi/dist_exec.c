/* dist_exec.c — the tasks a rank runs: each an engine job over a range of work
 * units, a few at a time, one queued behind the running ones; the rank's main
 * thread polls them (they compute on the engine's threads). */
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/dist_solve.h"

typedef struct exec_slot {
    ekm_job *job; /* NULL when the slot is free */
    dist_task task;
    double started;
} exec_slot;

struct dist_exec {
    ekm_dissim *dm;
    ekm_solve_options base;
    unsigned threads_per_job;
    const ekm_checkpoint *resume;
    double bound; /* best objective known elsewhere (INFINITY: none) */
    unsigned n_slots;
    exec_slot *slot;
    dist_task *queue; /* FIFO of tasks waiting for a slot */
    unsigned queued, queue_cap;
    double refreshed;
    ekm_count done;
    int has_best;
    double best;
    unsigned running;
};

dist_exec *dist_exec_create(ekm_dissim *dm, const ekm_solve_options *base, unsigned slots,
                            unsigned threads_per_job)
{
    dist_exec *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->n_slots = slots ? slots : 1;
    x->slot = calloc(x->n_slots, sizeof *x->slot);
    if (!x->slot) {
        free(x);
        return NULL;
    }
    x->dm = ekm_dissim_retain(dm);
    x->base = *base;
    x->threads_per_job = threads_per_job ? threads_per_job : 1;
    x->bound = INFINITY;
    x->best = INFINITY;
    x->refreshed = -1;
    return x;
}

void dist_exec_set_resume(dist_exec *x, const ekm_checkpoint *resume) { x->resume = resume; }

int dist_exec_submit(dist_exec *x, const dist_task *t)
{
    if (x->queued == x->queue_cap) {
        unsigned cap = x->queue_cap ? 2 * x->queue_cap : 8;
        dist_task *q = realloc(x->queue, cap * sizeof *q);
        if (!q)
            return -1;
        x->queue = q;
        x->queue_cap = cap;
    }
    x->queue[x->queued++] = *t;
    return 0;
}

static int start_task(dist_exec *x, exec_slot *sl, const dist_task *t, char *err, size_t errsize)
{
    ekm_solve_options opt = x->base;
    opt.threads = x->threads_per_job;
    opt.unit_lo = t->unit_lo;
    opt.unit_hi = t->unit_hi;
    opt.resume = x->resume;
    opt.root_only = 0;
    ekm_error e;
    if (ekm_job_start(x->dm, &opt, &sl->job, &e)) {
        char msg[768];
        ekm_error_format(&e, msg, sizeof msg);
        snprintf(err, errsize, "units [%llu,%llu): %s", (unsigned long long)t->unit_lo,
                 (unsigned long long)t->unit_hi, msg);
        sl->job = NULL;
        return -1;
    }
    if (isfinite(x->bound))
        ekm_job_offer_bound(sl->job, x->bound);
    sl->task = *t;
    sl->started = ekm_now();
    x->running++;
    return 0;
}

/* The job of a slot has ended: its checkpoint, or -1 with the reason. */
static int collect(dist_exec *x, exec_slot *sl, dist_task *t, ekm_checkpoint **ck,
                   double *seconds, char *err, size_t errsize)
{
    ekm_error e;
    int rc = 0;
    *t = sl->task;
    *ck = NULL;
    *seconds = ekm_now() - sl->started;
    char msg[768];
    if (ekm_job_status(sl->job, &e) ||
        ekm_job_checkpoint(sl->job, EKM_CKPT_NEW_ONLY, ck, &e)) {
        ekm_error_format(&e, msg, sizeof msg);
        snprintf(err, errsize, "units [%llu,%llu): %s", (unsigned long long)t->unit_lo,
                 (unsigned long long)t->unit_hi, msg);
        rc = -1;
    }
    ekm_job_free(sl->job);
    sl->job = NULL;
    x->running--;
    x->refreshed = -1; /* the live counts changed */
    return rc;
}

int dist_exec_poll(dist_exec *x, dist_task *t, ekm_checkpoint **ck, double *seconds, char *err,
                   size_t errsize)
{
    for (unsigned i = 0; i < x->n_slots; i++)
        if (x->slot[i].job && ekm_job_done(x->slot[i].job)) {
            int rc = collect(x, &x->slot[i], t, ck, seconds, err, errsize);
            if (rc)
                return -1;
            /* start the queued task at once, before the caller reports this one */
            if (x->queued) {
                dist_task next = x->queue[0];
                memmove(x->queue, x->queue + 1, (x->queued - 1) * sizeof *x->queue);
                x->queued--;
                if (start_task(x, &x->slot[i], &next, err, errsize)) {
                    ekm_checkpoint_free(*ck);
                    *ck = NULL;
                    return -1;
                }
            }
            return 1;
        }
    for (unsigned i = 0; i < x->n_slots && x->queued; i++)
        if (!x->slot[i].job) {
            dist_task next = x->queue[0];
            memmove(x->queue, x->queue + 1, (x->queued - 1) * sizeof *x->queue);
            x->queued--;
            if (start_task(x, &x->slot[i], &next, err, errsize))
                return -1;
        }
    return 0;
}

void dist_exec_wait(dist_exec *x, int milliseconds)
{
    struct pollfd fds[EKM_MAX_THREADS];
    nfds_t n = 0;
    for (unsigned i = 0; i < x->n_slots && n < EKM_MAX_THREADS; i++)
        if (x->slot[i].job)
            fds[n++] = (struct pollfd){.fd = ekm_job_fd(x->slot[i].job), .events = POLLIN};
    poll(fds, n, milliseconds); /* no job: a plain sleep */
}

void dist_exec_offer_bound(dist_exec *x, double objective)
{
    if (!(objective < x->bound))
        return;
    x->bound = objective;
    for (unsigned i = 0; i < x->n_slots; i++)
        if (x->slot[i].job)
            ekm_job_offer_bound(x->slot[i].job, objective);
}

void dist_exec_refresh(dist_exec *x)
{
    double now = ekm_now();
    if (x->refreshed >= 0 && now - x->refreshed < 0.05)
        return;
    x->refreshed = now;
    x->done = 0;
    x->has_best = 0;
    x->best = INFINITY;
    for (unsigned i = 0; i < x->n_slots; i++) {
        if (!x->slot[i].job)
            continue;
        ekm_progress p;
        ekm_job_progress(x->slot[i].job, &p);
        x->done += p.done;
        if (p.has_best && p.best < x->best) {
            x->best = p.best;
            x->has_best = 1;
        }
    }
}

int dist_exec_best(const dist_exec *x, double *objective)
{
    if (x->has_best)
        *objective = x->best;
    return x->has_best;
}

ekm_count dist_exec_done(const dist_exec *x) { return x->done; }

unsigned dist_exec_running(const dist_exec *x) { return x->running; }

unsigned dist_exec_load(const dist_exec *x) { return x->running + x->queued; }

void dist_exec_destroy(dist_exec *x)
{
    if (!x)
        return;
    for (unsigned i = 0; i < x->n_slots; i++)
        ekm_job_free(x->slot[i].job);
    ekm_dissim_release(x->dm);
    free(x->slot);
    free(x->queue);
    free(x);
}
