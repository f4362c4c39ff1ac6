/* checkpoint_internal.h — the checkpoint's fields, shared by checkpoint.c (files,
 * merge) and job.c (export, resume) (private). */
#ifndef EKM_CHECKPOINT_INTERNAL_H
#define EKM_CHECKPOINT_INTERNAL_H

#include "best.h"
#include "ekm/checkpoint.h"
#include "prune_root.h"

typedef struct ekm__ck_stage {
    uint32_t kind, lo, mid, hi; /* the plan's stage, to check a resume against */
    ekm_count done, pruned;     /* K-subsets closed by the finished units */
    ekm__best best;             /* the stage's incumbent (tie-aware best-list) */
} ekm__ck_stage;

struct ekm_checkpoint {
    uint64_t fingerprint;
    uint64_t n;
    uint32_t metric;
    ekm_solve_options opt;  /* resume, unit range and root_only cleared */
    ekm_count total;        /* C(N,K) */
    uint32_t n_stages;
    ekm__ck_stage *stages;
    uint64_t n_units;
    uint8_t *done;          /* n_units flags, 0 or 1 */
    int has_root;
    ekm__ck_root root;
    double seconds;
    char *note;
    /* the root is known to hold on the data of this fingerprint (made by a job on
     * it, or ekm_checkpoint_verify): a resume there skips its ρ pass. Never
     * encoded: a checkpoint read from bytes or a file is checked again. */
    int root_checked;
    uint64_t root_checked_fp;
};

/* An empty checkpoint with n_stages stages (best-lists for k) and n_units
 * flags; NULL on no memory. */
ekm_checkpoint *ekm__ck_new(uint32_t n_stages, uint64_t n_units, unsigned k);
#endif
