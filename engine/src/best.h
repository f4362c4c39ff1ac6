/* best.h — the incumbent of an exact search, exact about ties (private).
 *
 * Objectives are compared in double. Two objectives within EKM_TIE_REL (relative)
 * of each other are equal, and among equal objectives the lexicographically
 * smallest sorted medoid set wins. To apply that rule identically whatever order
 * the stages and threads finish in, a best-list keeps the Pareto front of
 * (lexicographic order, objective): entries lexicographically increasing with
 * strictly decreasing objectives, all within EKM_TIE_REL of the smallest. It is
 * almost always a single entry.
 */
#ifndef EKM_BEST_H
#define EKM_BEST_H

#include <stddef.h>
#include <stdint.h>

#include "ekm/ekm.h" /* EKM_TIE_REL */

typedef struct ekm__best {
    unsigned k;
    size_t len, cap;
    double *value;   /* len */
    uint32_t *sets;  /* len * k */
} ekm__best;

void ekm__best_init(ekm__best *b, unsigned k);
void ekm__best_free(ekm__best *b);
void ekm__best_clear(ekm__best *b);
/* The smallest objective held (INFINITY when empty). */
double ekm__best_min(const ekm__best *b);
/* Offer a set that is lexicographically greater than every set offered before
 * (the enumeration order of a walk); returns 1 if it was kept, -1 on no memory. */
int ekm__best_offer_next(ekm__best *b, double value, const uint32_t *set);
/* Offer a set in any order (e.g. a branch and bound that visits candidates by
 * bound): the same outcome as if every set had been offered in lexicographic
 * order. `set` is ascending. Returns 1 if it was kept, 0 if it can never win,
 * -1 on no memory. */
int ekm__best_offer_any(ekm__best *b, double value, const uint32_t *set);
/* Merge src into dst in any order; returns 0, or -1 on no memory. */
int ekm__best_merge(ekm__best *dst, const ekm__best *src);
/* The winner: the lexicographically smallest set within EKM_TIE_REL of the
 * minimum, or NULL when empty; *value gets its objective. */
const uint32_t *ekm__best_answer(const ekm__best *b, double *value);

#endif
