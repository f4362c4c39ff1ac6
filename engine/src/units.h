/* units.h — a stage's K-subsets cut into work units (private).
 *
 * A unit is a sub-range of the stage's range (walk.h) fixed by (stage range,
 * K, grain) alone, so that a checkpoint can name finished units by number:
 *  - K >= 3: one first element a and a block of consecutive second elements;
 *    the block length is chosen per a so that a unit holds about `grain`
 *    K-subsets (at least one second element);
 *  - K <= 2: a block of consecutive first elements.
 * Units are numbered in lexicographic order of their K-subsets, so a thread
 * that walks units in increasing order offers its sets in increasing order
 * (best.h's ekm__best_offer_next). Any unit can be found from its number in
 * O(log N) (fused threads take numbers from a counter).
 */
#ifndef EKM_UNITS_H
#define EKM_UNITS_H

#include <stdint.h>

#include "walk.h"

typedef struct ekm__units {
    ekm__range stage;
    unsigned k;
    uint32_t a0, a1;   /* first elements that start a K-subset of the stage */
    uint64_t count;    /* units */
    uint32_t block;    /* K <= 2: first elements per unit */
    uint64_t *before;  /* K >= 3: units before first element a0 + i (a1 - a0 + 1 entries) */
    uint32_t *per;     /* K >= 3: second elements per unit, for each first element */
} ekm__units;

/* The grain of a job: about 2^24 point-evaluations per unit (~1 ms of work), and
 * never more than about 2^20 units in all. Depends on (n, k) only. */
uint64_t ekm__units_grain(uint32_t n, unsigned k);
/* Cut a stage's range; returns 0, or -1 on no memory. */
int ekm__units_init(ekm__units *u, const ekm__range *stage, unsigned k, uint64_t grain);
void ekm__units_free(ekm__units *u);
/* The range of unit id (< u->count). */
ekm__range ekm__units_range(const ekm__units *u, uint64_t id);

#endif
