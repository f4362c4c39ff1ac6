/* progress_snap.h — a running job's progress as the front ends draw it: the
 * engine's summary with its stage and thread records and the best set, in
 * buffers sized once for the job (from its plan) and reused by every poll. */
#ifndef EKM_UI_PROGRESS_SNAP_H
#define EKM_UI_PROGRESS_SNAP_H

#include "ekm/job.h"

typedef struct progress_snap {
    ekm_progress sum;            /* the summary; its n_stages and n_threads records below */
    ekm_stage_progress *stages;  /* sum.n_stages (<= stage_cap) */
    ekm_thread_progress *thread; /* sum.n_threads (<= thread_cap) */
    uint32_t *best_medoids;      /* sum.k, ascending, when sum.has_best */
    int stage_cap, thread_cap;
    unsigned medoid_cap;
} progress_snap;

/* Room for `stages` stages, `threads` threads and k medoids (grows, never
 * shrinks; the records are zeroed). 0, or -1 when out of memory (*s unchanged). */
int progress_snap_reserve(progress_snap *s, int stages, int threads, unsigned k);
/* Fill s with one consistent snapshot of job (ekm_job_snapshot), growing the
 * buffers first only when this job needs more than they hold. 0, or -1 when out
 * of memory (then only s->sum is filled, with no records: n_stages and
 * n_threads 0). */
int progress_snap_poll(progress_snap *s, ekm_job *job);
/* A snapshot allocated with room for the given sizes (NULL when out of memory);
 * free it with progress_snap_free. */
progress_snap *progress_snap_new(int stages, int threads, unsigned k);
/* Free the buffers and s itself (s from progress_snap_new; NULL is fine). */
void progress_snap_free(progress_snap *s);
/* Free the buffers of a snapshot that lives elsewhere (a struct member), zeroing it. */
void progress_snap_clear(progress_snap *s);

#endif
