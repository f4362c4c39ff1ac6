/* prune_root.h — the branch and bound's root (prune.c), which a checkpoint
 * stores (checkpoint_internal.h) and a resumed job takes over (private). */
#ifndef EKM_PRUNE_ROOT_H
#define EKM_PRUNE_ROOT_H

#include <stdint.h>

#include "ekm/count.h"

/* Multipliers, candidates sorted by their bound ρ, and the root children to
 * search (the units). The stage counts of a checkpoint with a root leave out
 * the root's lump. */
typedef struct ekm__ck_root {
    uint32_t n, tasks;
    double base, rmax, sum_max, margin;
    float *lam;      /* n */
    uint32_t *cand;  /* n */
    double *rho;     /* n */
    ekm_count lump;  /* K-subsets the root's bound closed at once (all pruned): counted
                        with the root, once, however many partial checkpoints share it */
} ekm__ck_root;

/* Allocate the root's arrays for n points; 0, or -1 on no memory. */
int ekm__ck_root_alloc(ekm__ck_root *r, uint32_t n);
/* Free the root's arrays and zero it (the struct itself stays). */
void ekm__ck_root_clear(ekm__ck_root *r);
/* A heap-allocated root: new (arrays for n points; NULL on no memory), a deep
 * copy (NULL on no memory) and free (NULL is fine). */
ekm__ck_root *ekm__ck_root_new(uint32_t n);
ekm__ck_root *ekm__ck_root_copy(const ekm__ck_root *src);
void ekm__ck_root_delete(ekm__ck_root *r);

#endif
