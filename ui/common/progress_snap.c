/* progress_snap.c — progress snapshots in buffers sized once per job. */
#include "common/progress_snap.h"

#include <stdlib.h>
#include <string.h>

#include "ekm/plan.h"

/* Make *buf hold at least `want` elements (*cap of them now); on failure it
 * keeps what it held. */
static int grow(void **buf, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap && *buf)
        return 0;
    void *p = realloc(*buf, (want ? want : 1) * elem);
    if (!p)
        return -1;
    *buf = p;
    *cap = want;
    return 0;
}

int progress_snap_reserve(progress_snap *s, int stages, int threads, unsigned k)
{
    if (stages < 0 || threads < 0)
        return -1;
    void *st = s->stages, *th = s->thread, *md = s->best_medoids;
    size_t sc = (size_t)s->stage_cap, tc = (size_t)s->thread_cap, mc = s->medoid_cap;
    int rc = grow(&st, &sc, (size_t)stages, sizeof *s->stages);
    s->stages = st; /* a grown buffer is kept even when a later one fails */
    s->stage_cap = (int)sc;
    rc = rc ? rc : grow(&th, &tc, (size_t)threads, sizeof *s->thread);
    s->thread = th;
    s->thread_cap = (int)tc;
    rc = rc ? rc : grow(&md, &mc, k, sizeof *s->best_medoids);
    s->best_medoids = md;
    s->medoid_cap = (unsigned)mc;
    if (rc)
        return -1;
    memset(s->stages, 0, sc * sizeof *s->stages);
    memset(s->thread, 0, tc * sizeof *s->thread);
    memset(s->best_medoids, 0, mc * sizeof *s->best_medoids);
    return 0;
}

int progress_snap_poll(progress_snap *s, ekm_job *job)
{
    const ekm_plan *plan = ekm_job_plan(job);
    if ((plan->n_stages > s->stage_cap || (int)plan->threads > s->thread_cap ||
         plan->k > s->medoid_cap || !s->stages || !s->thread || !s->best_medoids) &&
        progress_snap_reserve(s, plan->n_stages, (int)plan->threads, plan->k)) {
        ekm_job_progress(job, &s->sum);
        s->sum.n_stages = s->sum.n_threads = 0;
        return -1;
    }
    ekm_job_snapshot(job, &s->sum, s->stages, s->stage_cap, s->thread, s->thread_cap,
                     s->best_medoids, s->medoid_cap);
    return 0;
}

progress_snap *progress_snap_new(int stages, int threads, unsigned k)
{
    progress_snap *s = calloc(1, sizeof *s);
    if (s && progress_snap_reserve(s, stages, threads, k)) {
        progress_snap_free(s);
        return NULL;
    }
    return s;
}

void progress_snap_clear(progress_snap *s)
{
    free(s->stages);
    free(s->thread);
    free(s->best_medoids);
    memset(s, 0, sizeof *s);
}

void progress_snap_free(progress_snap *s)
{
    if (!s)
        return;
    progress_snap_clear(s);
    free(s);
}
