/* job_parts.h — the parts of a job the coordinator (job.c) calls: the
 * enumeration workers (job_enum.c), the heuristic runner (job_heuristic.c),
 * the checkpoint side (job_checkpoint.c) and the result (job_result.c)
 * (private to the engine). */
#ifndef EKM_JOB_PARTS_H
#define EKM_JOB_PARTS_H

#include "job_internal.h"
#include "ekm/checkpoint.h"
#include "walk.h"

/* job_enum.c: the K-subsets of a stage as a walk range. */
ekm__range ekm__stage_range(const ekm_stage_spec *sp);
/* job_enum.c: run an exact enumeration plan on the job's threads; EKM_OK,
 * EKM_ERR_CANCELLED or EKM_ERR_NOMEM. */
ekm_status ekm__run_exact(ekm_job *job);
/* job_enum.c: an exact job's answer from its stages' best-lists (job->result);
 * never calls a gap optimal. */
ekm_status ekm__finish_exact(ekm_job *job);

/* job_heuristic.c: run a heuristic strategy as one stage on one thread. */
ekm_status ekm__run_heuristic(ekm_job *job);

/* job_checkpoint.c: cut every stage into work units and set up the counts. */
ekm_status ekm__job_setup_units(ekm_job *job, ekm_error *err);
/* job_checkpoint.c: take over a checkpoint's finished work (before any thread starts). */
ekm_status ekm__job_restore(ekm_job *job, const ekm_checkpoint *ck, ekm_error *err);

/* job_result.c: a stage's progress record, and its best set into set (k
 * entries; NULL: not wanted) read under the same stage lock as out->best.
 * Returns 1 when the stage has a best set. */
int ekm__fill_stage_progress(ekm_job *job, int s, ekm_stage_progress *out, uint32_t *set);
/* job_result.c: the result for a medoid set (EKM_OK or EKM_ERR_NOMEM). */
ekm_status ekm__build_result(ekm_job *job, const uint32_t *medoids, ekm_result **out);
/* job_result.c: a cancelled exact job's best set so far as a result marked
 * stopped (not proven optimal), when it had evaluated one. */
void ekm__keep_best_so_far(ekm_job *job);

#endif
