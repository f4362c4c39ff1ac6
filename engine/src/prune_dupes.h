/* prune_dupes.h — duplicate points and a memo of exact objectives (private).
 *
 * Two points are duplicates when every point's exact dissimilarity to them is
 * the same double: identical coordinates (bit for bit), or, for a precomputed
 * matrix, identical rows (bit for bit; the matrix is symmetric). Then swapping one for the other in a medoid set
 * changes nothing in ekm_dissim_objective (each point's minimum is taken over
 * the same doubles, summed in the same order), and a set holding both is worth
 * the set holding one. So the exact objective of a set is a function of its
 * *canonical* set (every medoid replaced by the first of its duplicates,
 * repeats dropped), and a memo keyed by that set returns the very double
 * ekm_dissim_objective would compute. With a few distinct points and many
 * copies, masses of sets tie and each would be re-evaluated in double from the
 * source (O(N·K) each); the memo evaluates each canonical set once.
 */
#ifndef EKM_PRUNE_DUPES_H
#define EKM_PRUNE_DUPES_H

#include <stddef.h>
#include <stdint.h>

#include "ekm/dissim.h"

/* The canonical point of each point (the smallest index with the same exact
 * dissimilarities), n entries, or NULL when there is no duplicate at all or no
 * memory (both: no memo; the caller re-evaluates every set). free() it. */
uint32_t *ekm__duplicate_map(const ekm_dissim *dm);

/* A direct-mapped memo of exact objectives of canonical sets, one per thread. */
typedef struct ekm__objective_memo {
    const uint32_t *canon; /* NULL: off */
    unsigned k;
    size_t slots;
    uint32_t *keys;        /* slots * k, UINT32_MAX-padded canonical sets */
    double *value;         /* slots; NAN when empty */
    uint64_t hits;
} ekm__objective_memo;

/* Set up (canon may be NULL: off); returns 0 or -1 on no memory. */
int ekm__memo_init(ekm__objective_memo *m, const uint32_t *canon, unsigned k);
void ekm__memo_free(ekm__objective_memo *m);
/* ekm_dissim_objective(dm, set, k), from the memo when a set with the same
 * canonical set was evaluated before (the same double). */
double ekm__memo_objective(ekm__objective_memo *m, const ekm_dissim *dm, const uint32_t *set);

#endif
