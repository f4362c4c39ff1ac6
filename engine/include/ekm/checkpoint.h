/* checkpoint.h — a job's finished work, saved and resumed; work units.
 *
 * An exact job's K-subsets are cut into work units, numbered 0..units-1 in a
 * fixed order that depends only on (N, K, strategy, plan) — never on the
 * thread count or on timing:
 *  - enumeration strategies (seq, split, par1, par2, tree, fused): each stage
 *    is cut into chunks (a first element and a run of second elements, or a run
 *    of first elements for K <= 2); the units of stage 0 come first, then those
 *    of stage 1, and so on. A faithful strategy still runs a whole stage on one
 *    thread, unit after unit; fused shares the units of its one stage among all
 *    threads.
 *  - pruned: the root children of the branch and bound, in the order of the
 *    root's bound; they exist once the root phase (incumbent + root bound) has
 *    run, and the checkpoint then holds the root too.
 *
 * A checkpoint records which units are finished, the stage counters those units
 * closed, every stage's incumbent (the exact tie-aware best-list), the pruned
 * root, a fingerprint of the dataset and the options. Resuming from it
 * (ekm_solve_options.resume) skips the finished units and gives the same answer,
 * tie-break included, and the same counts as an uninterrupted run.
 *
 * Checkpoints can also be merged: jobs that ran disjoint unit ranges
 * (ekm_solve_options.unit_lo/unit_hi, e.g. on several machines) each export the
 * units they finished (ekm_job_checkpoint with EKM_CKPT_NEW_ONLY) and the merge
 * is the checkpoint of all of them; a job resumed from a checkpoint with every
 * unit finished ends at once with the full result.
 *
 * Thread safety: an ekm_checkpoint is a plain value; use one from one thread at a
 * time (it may be read by several jobs at once: jobs only read it).
 */
#ifndef EKM_CHECKPOINT_H
#define EKM_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "ekm/dissim.h"
#include "ekm/job.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef struct ekm_checkpoint ekm_checkpoint;

/* What ekm_job_checkpoint copies. */
typedef enum ekm_checkpoint_scope {
    EKM_CKPT_ALL = 0,      /* everything finished, resumed work included */
    EKM_CKPT_NEW_ONLY = 1  /* only the units this job finished (for a merge) */
} ekm_checkpoint_scope;

/* A snapshot of a job's finished work: callable at any time from any thread,
 * while it runs, after it finished, or after it was cancelled (a worker is
 * never blocked longer than a copy). Heuristic jobs have none: EKM_ERR_INVALID.
 * A pruned job before its root is ready gives a checkpoint with no units. */
ekm_status ekm_job_checkpoint(ekm_job *job, ekm_checkpoint_scope what, ekm_checkpoint **out, ekm_error *err);

void ekm_checkpoint_free(ekm_checkpoint *ck); /* NULL is fine */

/* The options the checkpoint was made with (k, strategy, the plan's partitions,
 * seed; threads as it ran): resume with these (threads may change). */
ekm_solve_options ekm_checkpoint_options(const ekm_checkpoint *ck);
/* Units in all, units finished, K-subsets closed, C(N,K) (exact: ekm/count.h). */
uint64_t ekm_checkpoint_units(const ekm_checkpoint *ck);
uint64_t ekm_checkpoint_units_done(const ekm_checkpoint *ck);
ekm_count ekm_checkpoint_done(const ekm_checkpoint *ck);
ekm_count ekm_checkpoint_total(const ekm_checkpoint *ck);
/* Seconds of work the checkpoint holds (summed over the runs behind it). */
double ekm_checkpoint_seconds(const ekm_checkpoint *ck);
/* The best objective and medoids so far (returns 0 when none). */
int ekm_checkpoint_best(const ekm_checkpoint *ck, double *objective, uint32_t *medoids);
/* N, metric and fingerprint of the dataset it belongs to. */
size_t ekm_checkpoint_n(const ekm_checkpoint *ck);
uint64_t ekm_checkpoint_fingerprint(const ekm_checkpoint *ck);

/* A free text the UI stores with it (e.g. how to load the dataset again);
 * NULL when none. set copies the text. */
const char *ekm_checkpoint_note(const ekm_checkpoint *ck);
ekm_status ekm_checkpoint_set_note(ekm_checkpoint *ck, const char *note);

/* EKM_OK when ck belongs to this dataset and these options, else
 * EKM_ERR_INVALID with a one-line reason ("the checkpoint is for another
 * dataset (N=150, fingerprint …)", "… K=3, not 4", …). ekm_job_start checks it. */
ekm_status ekm_checkpoint_check(const ekm_checkpoint *ck, const ekm_dissim *dm,
                                const ekm_solve_options *opt, ekm_error *err);

/* Write atomically: a temporary file PATH.tmp.PID.XXXXXX in the same directory
 * (PID: this process), fsync, rename, fsync of the directory. Errors name the
 * path. Before writing, the temporary files of earlier saves to PATH whose
 * writer is dead are removed (ekm_checkpoint_clean_stale). */
ekm_status ekm_checkpoint_save(const ekm_checkpoint *ck, const char *path, ekm_error *err);
/* Remove the leftovers of saves to `path` that were killed before their rename:
 * regular files named exactly PATH.tmp.PID.XXXXXX (6 letters or digits) whose
 * PID is not a live process on this machine; nothing else. Returns how many
 * were removed (0 when the folder cannot be read). */
int ekm_checkpoint_clean_stale(const char *path);
/* Read and validate (magic, version, sizes, checksum, every field against N
 * and K): a truncated or altered file is refused with "PATH: not an ekm
 * checkpoint" / "… damaged (checksum)" / "… bad …". Only a regular file is read
 * (a FIFO or a device is refused without opening it for reading). What needs
 * the data (the objectives of the stored sets, a pruned root's bounds) is
 * checked when a job resumes from it (ekm_job_start). */
ekm_status ekm_checkpoint_load(const char *path, ekm_checkpoint **out, ekm_error *err);
/* 1 when the bytes begin as an ekm checkpoint file does (its magic), else 0:
 * to tell a checkpoint, even a damaged one, from any other file. */
int ekm_checkpoint_sniff(const uint8_t *head, size_t len);

/* The same bytes in memory (e.g. to send to another process). *buf is malloc'ed. */
ekm_status ekm_checkpoint_encode(const ekm_checkpoint *ck, uint8_t **buf, size_t *len,
                                 ekm_error *err);
ekm_status ekm_checkpoint_decode(const uint8_t *buf, size_t len, ekm_checkpoint **out,
                                 ekm_error *err);

/* Add src's finished units, counts and best-lists to dst. Both must be of the
 * same dataset and options (and, for pruned, the same root); the units they
 * finished must be disjoint (EKM_ERR_INVALID otherwise). */
ekm_status ekm_checkpoint_merge(ekm_checkpoint *dst, const ekm_checkpoint *src, ekm_error *err);


EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
