/* walk.h — EKM's depth-first generator with evaluation and selection fused in
 * (He & Little 2024), over one stage or one chunk of a stage (private). */
#ifndef EKM_WALK_H
#define EKM_WALK_H

#include <stdatomic.h>

#include "best.h"
#include "count_atomic.h"
#include "ekm/dissim.h"
#include "kernel.h"

/* The K-subsets {i0 < i1 < ... < i(K-1)} of [lo, hi) with i0 in [flo, fhi),
 * i1 in [slo, shi) (K >= 2) and i(K-1) >= last_lo. A leaf is
 * {lo,hi, lo,hi, 0,UINT32_MAX, lo}; a merge of A=[lo,mid) and B=[mid,hi) is
 * {lo,hi, lo,mid, 0,UINT32_MAX, mid}. */
typedef struct ekm__range {
    uint32_t lo, hi;
    uint32_t flo, fhi;
    uint32_t slo, shi;
    uint32_t last_lo;
} ekm__range;

/* One thread's walking state: owned by that thread only. */
typedef struct ekm__walker {
    const ekm_dissim *dm;
    ekm__kernel kern;
    const float *base;    /* row 0 of the float matrix */
    size_t stride, npad;
    double scale, abs_err; /* the float rows' scale and absolute error (dissim.h) */
    uint32_t n;
    unsigned k;
    float *m;             /* (k+1) * npad prefix vectors, 64-byte aligned */
    double *sums;         /* n */
    uint32_t set[64];
    ekm__best best;       /* this walker's candidates (the Pareto list) */
    const atomic_int *cancel;
    /* progress, published every few thousand subsets */
    ekm__acount *done_a, *done_b; /* e.g. the stage's and the thread's counter */
    uint64_t pending;
    uint64_t evaluated;   /* total evaluated by this walker */
    uint64_t verified;    /* sets re-evaluated in double */
    /* called (on the walker's thread) each time the best-list improves */
    void (*on_improve)(void *ctx, const ekm__best *best);
    void *improve_ctx;
    /* tests only: called with every K-subset evaluated (NULL in production) */
    void (*visit)(void *ctx, const uint32_t *set, unsigned k);
    void *visit_ctx;
} ekm__walker;

/* Set up a walker (allocates); returns 0, or -1 on no memory. */
int ekm__walker_init(ekm__walker *w, const ekm_dissim *dm, const ekm__kernel *kern, unsigned k,
                     const atomic_int *cancel);
void ekm__walker_free(ekm__walker *w);
/* Publish pending progress now. */
void ekm__walker_flush(ekm__walker *w);

/* Walk one range; candidates go to w->best. Returns 0 when the range was
 * finished, 1 when cancelled, -1 on no memory. */
int ekm__walk(ekm__walker *w, const ekm__range *r);

/* The range shapes of a plan's stages. */
ekm__range ekm__range_leaf(uint32_t lo, uint32_t hi);
ekm__range ekm__range_merge(uint32_t lo, uint32_t mid, uint32_t hi);

#endif
