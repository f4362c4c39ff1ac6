/* prune_root.c — the branch and bound's root: allocation, copy, free. */
#include "prune_root.h"

#include <stdlib.h>
#include <string.h>

int ekm__ck_root_alloc(ekm__ck_root *r, uint32_t n)
{
    r->n = n;
    r->lam = calloc(n ? n : 1, sizeof *r->lam);
    r->cand = calloc(n ? n : 1, sizeof *r->cand);
    r->rho = calloc(n ? n : 1, sizeof *r->rho);
    return r->lam && r->cand && r->rho ? 0 : -1;
}

void ekm__ck_root_clear(ekm__ck_root *r)
{
    free(r->lam);
    free(r->cand);
    free(r->rho);
    memset(r, 0, sizeof *r);
}

ekm__ck_root *ekm__ck_root_new(uint32_t n)
{
    ekm__ck_root *r = calloc(1, sizeof *r);
    if (r && ekm__ck_root_alloc(r, n)) {
        ekm__ck_root_delete(r);
        return NULL;
    }
    return r;
}

ekm__ck_root *ekm__ck_root_copy(const ekm__ck_root *src)
{
    ekm__ck_root *r = ekm__ck_root_new(src->n);
    if (!r)
        return NULL;
    r->tasks = src->tasks;
    r->base = src->base;
    r->rmax = src->rmax;
    r->sum_max = src->sum_max;
    r->margin = src->margin;
    r->lump = src->lump;
    memcpy(r->lam, src->lam, src->n * sizeof *r->lam);
    memcpy(r->cand, src->cand, src->n * sizeof *r->cand);
    memcpy(r->rho, src->rho, src->n * sizeof *r->rho);
    return r;
}

void ekm__ck_root_delete(ekm__ck_root *r)
{
    if (!r)
        return;
    ekm__ck_root_clear(r);
    free(r);
}
