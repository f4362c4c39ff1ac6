/* heuristic_swap.c — the swap-search state shared by PAM and FasterPAM. */
#include <stdlib.h>

#include "heuristic_internal.h"

ekm_status ekm__swap_init(ekm__swap *s, const ekm__hrun *run, const uint32_t *med)
{
    size_t n = run->n;
    unsigned k = run->k;
    s->loss = malloc(6 * (size_t)k * sizeof *s->loss);
    s->is_med = calloc(n, 1);
    if (!s->loss || !s->is_med || ekm__caches_alloc(&s->c, n, ekm_dissim_stride(run->dm)) != EKM_OK) {
        free(s->loss);
        free(s->is_med);
        return EKM_ERR_NOMEM;
    }
    s->delta = s->loss + k;
    s->scratch = s->loss + 2 * (size_t)k;
    for (unsigned j = 0; j < k; j++)
        s->is_med[med[j]] = 1;
    s->td = ekm__caches_init(&s->c, run->dm, n, med, k);
    return EKM_OK;
}

void ekm__swap_free(ekm__swap *s)
{
    ekm__caches_free(&s->c);
    free(s->loss);
    free(s->is_med);
}

unsigned ekm__swap_best_slot(ekm__swap *s, const ekm__hrun *run, const uint32_t *med, size_t x)
{
    ekm__swap_deltas(&s->c, run->k, ekm_dissim_row(run->dm, x), s->loss, s->delta, s->scratch);
    unsigned slot = 0;
    for (unsigned j = 1; j < run->k; j++)
        if (s->delta[j] < s->delta[slot] || (s->delta[j] == s->delta[slot] && med[j] < med[slot]))
            slot = j;
    return slot;
}

void ekm__swap_apply(ekm__swap *s, const ekm__hrun *run, uint32_t *med, unsigned slot, size_t x)
{
    s->is_med[med[slot]] = 0;
    s->is_med[x] = 1;
    med[slot] = (uint32_t)x;
    s->td = ekm__caches_swap(&s->c, run->dm, run->n, med, run->k, slot);
}
