/* chunk.c — chunks of the whole K-subset space for dynamic scheduling. */
#include "chunk.h"

#include "ekm/plan.h"

void ekm__chunker_init(ekm__chunker *c, uint32_t n, unsigned k, uint64_t grain)
{
    *c = (ekm__chunker){.n = n, .k = k, .a = 0, .b = 1, .left = n >= k && k >= 1,
                        .grain = grain ? grain : 1};
}

int ekm__chunker_next(ekm__chunker *c, ekm__range *r)
{
    uint32_t n = c->n;
    unsigned k = c->k;
    if (!c->left)
        return 0;
    *r = ekm__range_leaf(0, n);
    uint64_t work = 0;
    if (k <= 2) {
        uint32_t e = c->a;
        while (e <= n - k && work < c->grain)
            work += k == 2 ? n - e - 1 : 1, e++;
        r->flo = c->a;
        r->fhi = e;
        c->a = e;
        if (e > n - k)
            c->left = 0;
        return 1;
    }
    uint32_t bmax = n - k + 2; /* the second element leaves room for k-2 after it */
    uint32_t e = c->b;
    while (e < bmax && work < c->grain)
        work += ekm_binomial(n - e - 1, k - 2, NULL), e++;
    r->flo = c->a;
    r->fhi = c->a + 1;
    r->slo = c->b;
    r->shi = e;
    if (e >= bmax) {
        c->a++;
        c->b = c->a + 1;
        if (c->a > n - k)
            c->left = 0;
    } else {
        c->b = e;
    }
    return 1;
}
