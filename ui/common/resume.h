/* resume.h — what `ekm resume` and the REPL's `resume` both do before running:
 * load the checkpoint, load its dataset again as its note says, take its options
 * (only the number of threads may change) and check that the file receiving the
 * next saves may be written. */
#ifndef EKM_UI_RESUME_H
#define EKM_UI_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "common/ckpt.h"
#include "ekm/checkpoint.h"

typedef struct resume_prep {
    ckpt_source src;       /* where the dataset came from (the checkpoint's note) */
    ekm_dissim *dm;        /* that dataset loaded again (the caller releases it) */
    ekm_solve_options opt; /* the checkpoint's options, threads applied, resume set */
    ekm_count total, done; /* K-subsets of the whole run and done already */
    double remaining;      /* the share of the work left (for the long-run estimate) */
} resume_prep;

/* Load the checkpoint at path. Returns 0, or -1 with a message naming the file in err. */
int resume_load(const char *path, ekm_checkpoint **ck, char *err, size_t errsize);

enum { RESUME_ERR = -1, RESUME_ERR_TARGET = -2 };
/* Prepare to resume ck (loaded from path) on `threads` threads (0: as it ran),
 * saving into `into` (force: over a file that is not this run's checkpoint).
 * Returns 0 with rp filled; RESUME_ERR with a message naming path in err; or
 * RESUME_ERR_TARGET when `into` may not be written (the reason alone in err). ck
 * stays the caller's: free it after the job has ended. */
int resume_prepare(resume_prep *rp, const char *path, ekm_checkpoint *ck, unsigned threads,
                   const char *into, int force, char *err, size_t errsize);

#endif
