/* prune_rows.c — the rows behind the bound: ρ lists and the row cache of the
 * matrix-free form (prune_bound.h). */
#include "prune_bound.h"

#include <stdlib.h>
#include <string.h>

void ekm__rho_list(const ekm__pdata *pd, const float *lam, const uint32_t *rows, size_t count,
                   double *out, ekm__rowcache *cache)
{
    size_t j = 0;
    if (!pd->base) { /* matrix-free: four rows from the cache, then the same kernel */
        for (; j < count; j += 4) {
            const float *r[4];
            double tmp[4];
            uint32_t busy[4];
            for (unsigned t = 0; t < 4; t++)
                r[t] = j + t < count ? ekm__rowcache_row(pd, cache, rows[j + t], t, busy, t,
                                                         &busy[t])
                                     : r[0];
            pd->rho4(lam, r, pd->stride, tmp);
            for (size_t t = 0; t < 4 && j + t < count; t++)
                out[j + t] = tmp[t];
        }
        return;
    }
    for (; j + 4 <= count; j += 4) {
        const float *r[4] = {pd->base + (size_t)rows[j] * pd->stride,
                             pd->base + (size_t)rows[j + 1] * pd->stride,
                             pd->base + (size_t)rows[j + 2] * pd->stride,
                             pd->base + (size_t)rows[j + 3] * pd->stride};
        pd->rho4(lam, r, pd->stride, out + j);
    }
    if (j < count) {
        const float *r[4];
        double tmp[4];
        for (size_t t = 0; t < 4; t++)
            r[t] = pd->base + (size_t)rows[j + t < count ? j + t : count - 1] * pd->stride;
        pd->rho4(lam, r, pd->stride, tmp);
        for (size_t t = 0; j + t < count; t++)
            out[j + t] = tmp[t];
    }
}

/* ρ of up to four cached rows r[0..have) into out[at[t]]. */
static void rho_cached(const ekm__pdata *pd, const float *lam, const float **r, const size_t *at,
                       unsigned have, double *out)
{
    double tmp[4];
    for (unsigned t = have; t < 4; t++)
        r[t] = r[0];
    pd->rho4(lam, r, pd->stride, tmp);
    for (unsigned t = 0; t < have; t++)
        out[at[t]] = tmp[t];
}

void ekm__rho_list_full(const ekm__pdata *pd, const float *lam, const uint32_t *rows,
                        size_t count, double *out, ekm__rowcache *cache)
{
    if (pd->base || count < 16) {
        ekm__rho_list(pd, lam, rows, count, out, cache);
        return;
    }
    ekm__dissim_rho_cut(pd->dm, lam, &cache->cut);
    const float *r[4];
    size_t at[4];
    unsigned have = 0;
    for (size_t j = 0; j < count; j++) {
        uint32_t s = rows[j] % cache->slots;
        if (cache->tag[s] != rows[j]) {
            out[j] = ekm__dissim_rho_row(pd->dm, rows[j], &cache->cut);
            continue;
        }
        at[have] = j;
        r[have++] = cache->rows + (size_t)s * cache->stride;
        if (have == 4) {
            rho_cached(pd, lam, r, at, have, out);
            have = 0;
        }
    }
    if (have)
        rho_cached(pd, lam, r, at, have, out);
}

int ekm__rowcache_init(ekm__rowcache *c, uint32_t n, size_t stride, size_t budget)
{
    memset(c, 0, sizeof *c);
    size_t slots = budget / (stride * sizeof(float));
    if (slots > n)
        slots = n;
    if (slots < 1)
        slots = 1;
    c->slots = (uint32_t)slots;
    c->stride = stride;
    c->scratch = aligned_alloc(64, 4 * stride * sizeof *c->scratch);
    c->rows = aligned_alloc(64, slots * stride * sizeof *c->rows);
    c->tag = malloc(slots * sizeof *c->tag);
    if (!c->scratch || !c->rows || !c->tag || ekm__rho_cut_init(&c->cut, n)) {
        ekm__rowcache_free(c);
        return -1;
    }
    for (size_t s = 0; s < slots; s++)
        c->tag[s] = UINT32_MAX;
    return 0;
}

void ekm__rowcache_free(ekm__rowcache *c)
{
    free(c->scratch);
    free(c->rows);
    free(c->tag);
    ekm__rho_cut_free(&c->cut);
    memset(c, 0, sizeof *c);
}

const float *ekm__rowcache_row(const ekm__pdata *pd, ekm__rowcache *c, uint32_t j, unsigned t,
                               const uint32_t *busy, unsigned nbusy, uint32_t *slot)
{
    uint32_t s = j % c->slots;
    for (unsigned b = 0; b < nbusy; b++)
        if (busy[b] == s) {
            *slot = UINT32_MAX;
            ekm__dissim_fill_row(pd->dm, j, c->scratch + (size_t)t * c->stride);
            return c->scratch + (size_t)t * c->stride;
        }
    *slot = s;
    float *row = c->rows + (size_t)s * c->stride;
    if (c->tag[s] != j) {
        ekm__dissim_fill_row(pd->dm, j, row);
        c->tag[s] = j;
    }
    return row;
}
