/* chunk.h — cutting one stage's K-subsets into small chunks for dynamic
 * scheduling (fused): for K >= 3 a chunk is one first element and a run of
 * second elements; for K <= 2 a run of first elements (private). Not
 * thread-safe: the caller serialises next() (job.c holds job->lock). */
#ifndef EKM_CHUNK_H
#define EKM_CHUNK_H

#include <stdint.h>

#include "walk.h"

typedef struct ekm__chunker {
    uint32_t n;
    unsigned k;
    uint32_t a, b;   /* next first / second element */
    int left;        /* 1 while chunks remain */
    uint64_t grain;  /* K-subsets a chunk aims at */
} ekm__chunker;

void ekm__chunker_init(ekm__chunker *c, uint32_t n, unsigned k, uint64_t grain);
/* The next chunk as a range over [0, n); returns 0 when none is left. */
int ekm__chunker_next(ekm__chunker *c, ekm__range *r);

#endif
