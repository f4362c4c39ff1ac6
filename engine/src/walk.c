/* walk.c — the fused EKM generator.
 *
 * Depth-first over K-subsets in lexicographic order, carrying at level j the
 * vector m_j[p] = min over the j chosen medoids of D[medoid][p] (m_0 = +inf),
 * so the last level is one min+sum pass per candidate row (kernel.c), four rows
 * at a time. Selection is fused in: a set is re-evaluated in double only when its
 * float objective could beat the walker's incumbent, i.e. when
 * f(S) < (1 + EKM_KERNEL_REL_ERR) * s * v_min + 2a (f is within that relative
 * error, plus a = ekm_dissim_float_abs_err, of s * v(S), s the float rows'
 * scale, so no set with v(S) < v_min is missed). Exact ties are
 * then decided in double by best.c. Reference: He & Little (2024), "EKM: an
 * exact, polynomial-time algorithm for the K-medoids problem".
 */
#include "walk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PUBLISH_EVERY = 1 << 14, ROW_BATCH = 256 };

int ekm__walker_init(ekm__walker *w, const ekm_dissim *dm, const ekm__kernel *kern, unsigned k,
                     const atomic_int *cancel)
{
    memset(w, 0, sizeof *w);
    w->dm = dm;
    w->kern = *kern;
    w->base = ekm_dissim_row(dm, 0);
    w->stride = ekm_dissim_stride(dm);
    w->scale = ekm_dissim_float_scale(dm);
    w->abs_err = ekm_dissim_float_abs_err(dm);
    w->npad = w->stride;
    w->n = (uint32_t)ekm_dissim_n(dm);
    w->k = k;
    w->cancel = cancel;
    ekm__best_init(&w->best, k);
    w->m = aligned_alloc(64, (k + 1) * w->npad * sizeof(float));
    w->sums = malloc(ROW_BATCH * sizeof(double));
    if (!w->m || !w->sums) {
        ekm__walker_free(w);
        return -1;
    }
    for (size_t p = 0; p < w->npad; p++)
        w->m[p] = p < w->n ? INFINITY : 0.0f;
    return 0;
}

void ekm__walker_free(ekm__walker *w)
{
    free(w->m);
    free(w->sums);
    ekm__best_free(&w->best);
    w->m = NULL;
    w->sums = NULL;
}

void ekm__walker_flush(ekm__walker *w)
{
    if (!w->pending)
        return;
    if (w->done_a)
        ekm__acount_add(w->done_a, w->pending);
    if (w->done_b)
        ekm__acount_add(w->done_b, w->pending);
    w->pending = 0;
}

ekm__range ekm__range_leaf(uint32_t lo, uint32_t hi)
{
    return (ekm__range){lo, hi, lo, hi, 0, UINT32_MAX, lo};
}

ekm__range ekm__range_merge(uint32_t lo, uint32_t mid, uint32_t hi)
{
    return (ekm__range){lo, hi, lo, mid, 0, UINT32_MAX, mid};
}

/* The float sum a set must come below to be re-evaluated in double: the
 * incumbent in the float rows' units, widened by the kernel's relative error
 * and (for data wider than float's normal range) the absolute one. */
static double filter_threshold(const ekm__walker *w)
{
    return ekm__best_min(&w->best) * w->scale * (1.0 + EKM_KERNEL_REL_ERR) + 2.0 * w->abs_err;
}

/* Evaluate rows [l0, l1) against prefix vector m; candidates go to the best-list. */
static int last_level(ekm__walker *w, const float *m, uint32_t l0, uint32_t l1)
{
    unsigned last = w->k - 1;
    for (uint32_t b = l0; b < l1; b += ROW_BATCH) {
        uint32_t e = l1 - b > ROW_BATCH ? b + ROW_BATCH : l1;
        ekm__eval_rows(&w->kern, m, w->base, w->stride, w->npad, b, e, w->sums);
        if (w->visit)
            for (uint32_t l = b; l < e; l++) {
                w->set[last] = l;
                w->visit(w->visit_ctx, w->set, w->k);
            }
        double thr = filter_threshold(w);
        for (uint32_t l = b; l < e; l++) {
            if (!(w->sums[l - b] < thr))
                continue;
            w->set[last] = l;
            double v = ekm_dissim_objective(w->dm, w->set, w->k);
            w->verified++;
            int kept = ekm__best_offer_next(&w->best, v, w->set);
            if (kept < 0)
                return -1;
            if (kept && w->on_improve)
                w->on_improve(w->improve_ctx, &w->best);
            thr = filter_threshold(w);
        }
        w->evaluated += e - b;
        w->pending += e - b;
    }
    if (w->pending >= PUBLISH_EVERY) {
        ekm__walker_flush(w);
        if (w->cancel && atomic_load_explicit(w->cancel, memory_order_relaxed))
            return 1;
    }
    return 0;
}

static int level(ekm__walker *w, const ekm__range *r, unsigned j, uint32_t start)
{
    const float *mj = w->m + (size_t)j * w->npad;
    unsigned k = w->k;
    uint32_t hi = r->hi;
    if (j == 0 && start < r->flo)
        start = r->flo;
    if (j == 1 && start < r->slo)
        start = r->slo;
    if (j == k - 1) {
        uint32_t l0 = start > r->last_lo ? start : r->last_lo, l1 = hi;
        if (j == 0 && l1 > r->fhi)
            l1 = r->fhi;
        if (j == 1 && l1 > r->shi)
            l1 = r->shi;
        return l0 < l1 ? last_level(w, mj, l0, l1) : 0;
    }
    /* leave room for the k-1-j elements after this one */
    uint32_t limit = hi - (k - 1 - j);
    if (j == 0 && limit > r->fhi)
        limit = r->fhi;
    if (j == 1 && limit > r->shi)
        limit = r->shi;
    float *next = w->m + (size_t)(j + 1) * w->npad;
    for (uint32_t v = start; v < limit; v++) {
        w->set[j] = v;
        w->kern.vmin(next, mj, w->base + (size_t)v * w->stride, w->npad);
        int rc = level(w, r, j + 1, v + 1);
        if (rc)
            return rc;
    }
    return 0;
}

int ekm__walk(ekm__walker *w, const ekm__range *r)
{
    if (r->hi <= r->lo || r->hi - r->lo < w->k)
        return 0;
    int rc = level(w, r, 0, r->lo);
    ekm__walker_flush(w);
    return rc;
}
