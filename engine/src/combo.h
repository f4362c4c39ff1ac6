/* combo.h — combinatorics of K-subsets (private): ranks in lexicographic order. */
#ifndef EKM_COMBO_H
#define EKM_COMBO_H

#include <stddef.h>
#include <stdint.h>

/* Rank of the ascending K-subset c of {0..n-1} in lexicographic order (0-based).
 * Returns UINT64_MAX if C(n,k) does not fit in 64 bits or c is not valid. */
uint64_t ekm__combo_rank(const uint32_t *c, unsigned k, uint32_t n);

/* The K-subset of rank r in lexicographic order; returns 0 on success, -1 when
 * r >= C(n,k) or C(n,k) does not fit. */
int ekm__combo_unrank(uint64_t r, unsigned k, uint32_t n, uint32_t *c);

/* Number of K-subsets of [lo,hi) whose first element lies in [flo,fhi) and whose
 * last element is >= last_lo (the shape of a stage); saturates at UINT64_MAX. */
uint64_t ekm__combo_count_stage(uint32_t lo, uint32_t hi, uint32_t flo, uint32_t fhi,
                                uint32_t last_lo, unsigned k);

/* Is c (ascending, k elements) lexicographically smaller than d? */
int ekm__combo_less(const uint32_t *c, const uint32_t *d, unsigned k);

#endif
