/* units.c — work units of a stage (see units.h). */
#include "units.h"

#include <stdlib.h>

#include "ekm/plan.h"

uint64_t ekm__units_grain(uint32_t n, unsigned k)
{
    uint64_t g = ((uint64_t)1 << 24) / (n ? n : 1) + 1;
    int over = 0;
    uint64_t total = ekm_binomial(n, k, &over);
    uint64_t cap = over ? UINT64_MAX >> 20 : (total >> 20) + 1;
    return g > cap ? g : cap;
}

/* The second elements b of first element a: [b_lo, b_hi). */
static uint32_t second_lo(const ekm__units *u, uint32_t a)
{
    return a + 1 > u->stage.slo ? a + 1 : u->stage.slo;
}

static uint32_t second_hi(const ekm__units *u)
{
    uint32_t hi = u->stage.hi - (u->k - 2); /* room for k-2 elements after b */
    return hi < u->stage.shi ? hi : u->stage.shi;
}

int ekm__units_init(ekm__units *u, const ekm__range *stage, unsigned k, uint64_t grain)
{
    *u = (ekm__units){.stage = *stage, .k = k};
    if (grain == 0)
        grain = 1;
    if (k == 0 || stage->hi <= stage->lo || stage->hi - stage->lo < k)
        return 0;
    uint32_t a0 = stage->flo > stage->lo ? stage->flo : stage->lo;
    uint32_t a1 = stage->hi - (k - 1);
    if (a1 > stage->fhi)
        a1 = stage->fhi;
    if (a0 >= a1)
        return 0;
    u->a0 = a0;
    u->a1 = a1;
    if (k <= 2) {
        uint64_t work = k == 2 ? stage->hi - a0 - 1 : 1; /* the heaviest first element */
        uint64_t b = grain / work;
        u->block = b < 1 ? 1 : b > a1 - a0 ? a1 - a0 : (uint32_t)b;
        u->count = (a1 - a0 + (uint64_t)u->block - 1) / u->block;
        return 0;
    }
    uint32_t m = a1 - a0;
    u->before = malloc(((size_t)m + 1) * sizeof *u->before);
    u->per = malloc((size_t)m * sizeof *u->per);
    if (!u->before || !u->per) {
        ekm__units_free(u);
        return -1;
    }
    uint64_t total = 0;
    uint32_t bhi = second_hi(u);
    for (uint32_t i = 0; i < m; i++) {
        uint32_t a = a0 + i, blo = second_lo(u, a);
        uint32_t nb = bhi > blo ? bhi - blo : 0;
        /* the heaviest second element, b = a + 1, closes C(hi - a - 2, k - 2) sets */
        int over = 0;
        uint64_t w = ekm_binomial(stage->hi - a - 2, k - 2, &over);
        uint64_t per = over || !w ? 1 : grain / w;
        per = per < 1 ? 1 : per > nb ? (nb ? nb : 1) : per;
        u->per[i] = (uint32_t)per;
        u->before[i] = total;
        total += (nb + per - 1) / per;
    }
    u->before[m] = total;
    u->count = total;
    return 0;
}

void ekm__units_free(ekm__units *u)
{
    free(u->before);
    free(u->per);
    u->before = NULL;
    u->per = NULL;
    u->count = 0;
}

ekm__range ekm__units_range(const ekm__units *u, uint64_t id)
{
    ekm__range r = u->stage;
    if (u->k <= 2) {
        uint64_t f = u->a0 + id * u->block;
        r.flo = (uint32_t)f;
        r.fhi = f + u->block < u->a1 ? (uint32_t)(f + u->block) : u->a1;
        return r;
    }
    /* the first element: the last i with before[i] <= id */
    uint32_t lo = 0, hi = u->a1 - u->a0; /* before[lo] <= id < before[hi] */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (u->before[mid] <= id)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t a = u->a0 + lo;
    uint64_t b0 = second_lo(u, a) + (id - u->before[lo]) * u->per[lo];
    uint64_t b1 = b0 + u->per[lo];
    uint32_t bhi = second_hi(u);
    r.flo = a;
    r.fhi = a + 1;
    r.slo = (uint32_t)b0;
    r.shi = b1 < bhi ? (uint32_t)b1 : bhi;
    return r;
}
