/* combo.c — lexicographic ranking of K-subsets (the binomial coefficients
 * are ekm_binomial, plan.c). */
#include "combo.h"

#include "ekm/plan.h"

uint64_t ekm__combo_rank(const uint32_t *c, unsigned k, uint32_t n)
{
    int ov;
    uint64_t total = ekm_binomial(n, k, &ov);
    if (ov)
        return UINT64_MAX;
    uint64_t r = 0;
    uint32_t prev = 0;
    for (unsigned i = 0; i < k; i++) {
        if (c[i] >= n || (i && c[i] <= c[i - 1]))
            return UINT64_MAX;
        /* subsets whose i-th element is smaller than c[i] (with the same prefix) */
        for (uint32_t v = i ? prev + 1 : 0; v < c[i]; v++)
            r += ekm_binomial(n - 1 - v, k - 1 - i, NULL);
        prev = c[i];
    }
    return r < total ? r : UINT64_MAX;
}

int ekm__combo_unrank(uint64_t r, unsigned k, uint32_t n, uint32_t *c)
{
    int ov;
    uint64_t total = ekm_binomial(n, k, &ov);
    if (ov || r >= total)
        return -1;
    uint32_t v = 0;
    for (unsigned i = 0; i < k; i++) {
        for (;; v++) {
            uint64_t below = ekm_binomial(n - 1 - v, k - 1 - i, NULL);
            if (r < below)
                break;
            r -= below;
        }
        c[i] = v++;
    }
    return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

uint64_t ekm__combo_count_stage(uint32_t lo, uint32_t hi, uint32_t flo, uint32_t fhi,
                                uint32_t last_lo, unsigned k)
{
    if (k == 0 || hi <= lo)
        return 0;
    if (flo < lo)
        flo = lo;
    if (fhi > hi)
        fhi = hi;
    uint64_t total = 0;
    int ov;
    for (uint32_t f = flo; f < fhi; f++) {
        if (k == 1) {
            total += f >= last_lo;
            continue;
        }
        /* the other k-1 come from (f, hi), the last >= last_lo: all minus those inside (f, last_lo) */
        uint32_t after = hi - f - 1;
        uint64_t all = ekm_binomial(after, k - 1, &ov);
        if (ov)
            return UINT64_MAX;
        uint32_t below = last_lo > f + 1 ? last_lo - f - 1 : 0;
        if (below > after)
            below = after;
        total = sat_add(total, all - ekm_binomial(below, k - 1, NULL));
    }
    return total;
}

int ekm__combo_less(const uint32_t *c, const uint32_t *d, unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        if (c[i] != d[i])
            return c[i] < d[i];
    return 0;
}
