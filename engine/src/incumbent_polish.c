/* incumbent_polish.c — swaps among the points nearest the medoids
 * (incumbent_polish.h). */
#include "incumbent_polish.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "dissim_rows.h"

enum { POLISH_NEAR = 64, POLISH_ROUNDS = 200 };

typedef struct polish {
    size_t n, stride;
    unsigned k;
    float *rows;     /* k × stride: the medoids' rows */
    float *crow;     /* stride: a candidate's row */
    float *d1, *d2;  /* n: distance to the nearest and second-nearest medoid */
    unsigned *near;  /* n: the nearest medoid */
    uint32_t *cand;  /* k × POLISH_NEAR */
    float *cval;     /* POLISH_NEAR: the distances of one medoid's nearest */
} polish;

static void polish_free(polish *p)
{
    free(p->rows);
    free(p->crow);
    free(p->d1);
    free(p->d2);
    free(p->near);
    free(p->cand);
    free(p->cval);
}

static int is_medoid(const uint32_t *med, unsigned k, uint32_t j)
{
    for (unsigned a = 0; a < k; a++)
        if (med[a] == j)
            return 1;
    return 0;
}

/* The rows of the medoids, every point's two nearest, and the candidates:
 * the POLISH_NEAR points nearest each medoid (not medoids, not repeated).
 * Returns the number of candidates. */
static unsigned round_setup(polish *p, const ekm_dissim *dm, const uint32_t *med)
{
    size_t n = p->n;
    for (unsigned a = 0; a < p->k; a++)
        ekm__dissim_fill_row(dm, med[a], p->rows + a * p->stride);
    for (size_t i = 0; i < n; i++) {
        float b1 = FLT_MAX, b2 = FLT_MAX;
        unsigned at = 0;
        for (unsigned a = 0; a < p->k; a++) {
            float v = p->rows[a * p->stride + i];
            if (v < b1) {
                b2 = b1;
                b1 = v;
                at = a;
            } else if (v < b2)
                b2 = v;
        }
        p->d1[i] = b1;
        p->d2[i] = b2;
        p->near[i] = at;
    }
    unsigned nc = 0;
    for (unsigned a = 0; a < p->k; a++) {
        const float *row = p->rows + a * p->stride;
        uint32_t *best = p->cand + nc;
        unsigned have = 0;
        for (size_t i = 0; i < n; i++) { /* insertion into the sorted few */
            float v = row[i];
            if (have == POLISH_NEAR && !(v < p->cval[have - 1]))
                continue;
            if (is_medoid(med, p->k, (uint32_t)i))
                continue;
            unsigned at = have < POLISH_NEAR ? have++ : POLISH_NEAR - 1;
            while (at > 0 && v < p->cval[at - 1]) {
                p->cval[at] = p->cval[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            p->cval[at] = v;
            best[at] = (uint32_t)i;
        }
        for (unsigned t = 0; t < have; t++) { /* drop those another medoid listed */
            int seen = 0;
            for (unsigned u = 0; u < nc && !seen; u++)
                seen = p->cand[u] == best[t];
            if (!seen)
                p->cand[nc++] = best[t];
        }
    }
    return nc;
}

/* The change of the objective (on the float rows) if candidate c replaced
 * each medoid: delta[a]. */
static void swap_deltas(polish *p, const ekm_dissim *dm, uint32_t c, double *delta)
{
    double shared = 0.0;
    for (unsigned a = 0; a < p->k; a++)
        delta[a] = 0.0;
    ekm__dissim_fill_row(dm, c, p->crow);
    for (size_t i = 0; i < p->n; i++) {
        float v = p->crow[i];
        if (v < p->d1[i])
            shared += (double)v - (double)p->d1[i];
        else
            delta[p->near[i]] += (double)(v < p->d2[i] ? v : p->d2[i]) - (double)p->d1[i];
    }
    for (unsigned a = 0; a < p->k; a++)
        delta[a] += shared;
}

ekm_status ekm__polish_medoids(const ekm_dissim *dm, unsigned k, uint32_t *med, double *obj,
                               int (*cancelled)(void *ctx), void *ctx)
{
    size_t n = ekm_dissim_n(dm);
    if (k == 0 || n <= k || k > EKM_MAX_K)
        return EKM_OK;
    polish p = {n, ekm_dissim_stride(dm), k, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    p.rows = aligned_alloc(64, (size_t)k * p.stride * sizeof *p.rows);
    p.crow = aligned_alloc(64, p.stride * sizeof *p.crow);
    p.d1 = malloc(n * sizeof *p.d1);
    p.d2 = malloc(n * sizeof *p.d2);
    p.near = malloc(n * sizeof *p.near);
    p.cand = malloc((size_t)k * POLISH_NEAR * sizeof *p.cand);
    p.cval = malloc(POLISH_NEAR * sizeof *p.cval);
    if (!p.rows || !p.crow || !p.d1 || !p.d2 || !p.near || !p.cand || !p.cval) {
        polish_free(&p);
        return EKM_ERR_NOMEM;
    }
    uint32_t cur[EKM_MAX_K];
    memcpy(cur, med, k * sizeof *cur);
    ekm_status st = EKM_OK;
    /* rows at most a quarter of one pass of the root over every candidate
     * (N rows), or 2^26 distances on a small input; the first round always */
    size_t spent = 0, budget = n / 4 > ((size_t)1 << 26) / n ? n / 4 : ((size_t)1 << 26) / n;
    for (unsigned round = 0; round < POLISH_ROUNDS && st == EKM_OK; round++) {
        if (round > 0 && spent + k + (size_t)k * POLISH_NEAR > budget)
            break;
        unsigned nc = round_setup(&p, dm, cur);
        spent += k + nc;
        double cost = 0.0, best = 0.0, delta[EKM_MAX_K];
        for (size_t i = 0; i < n; i++)
            cost += p.d1[i];
        uint32_t bc = 0;
        unsigned ba = 0;
        for (unsigned t = 0; t < nc; t++) {
            if (cancelled && cancelled(ctx)) {
                st = EKM_ERR_CANCELLED;
                break;
            }
            swap_deltas(&p, dm, p.cand[t], delta);
            for (unsigned a = 0; a < k; a++)
                if (delta[a] < best) {
                    best = delta[a];
                    bc = p.cand[t];
                    ba = a;
                }
        }
        /* a gain within the float rows' rounding is no gain */
        if (st != EKM_OK || !(best < -1e-9 * cost))
            break;
        cur[ba] = bc;
    }
    if (st == EKM_OK) {
        double v = ekm_dissim_objective(dm, cur, k);
        if (v < *obj) {
            memcpy(med, cur, k * sizeof *cur);
            *obj = v;
        }
    }
    polish_free(&p);
    return st;
}
