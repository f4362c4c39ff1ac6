/* spatial_order.h — the points in blocks of nearby points, with a bounding box
 * per block (private).
 *
 * The matrix-free ρ pass (dissim_rows.c) sums, for one candidate, a term per
 * point that is zero wherever the point lies beyond its multiplier. In file
 * order the points of a block are scattered and a block is rarely all beyond;
 * in this order (a k-d split on the widest coordinate, at multiples of the
 * block size, down to single blocks) a block is a small box, and one test of
 * the candidate against the box skips the whole block. */
#ifndef EKM_SPATIAL_ORDER_H
#define EKM_SPATIAL_ORDER_H

#include <stddef.h>
#include <stdint.h>

enum { EKM__SPATIAL_BLOCK = 256 };

typedef struct ekm__spatial {
    size_t n, d, nb; /* points, coordinates, blocks of EKM__SPATIAL_BLOCK positions */
    uint32_t *perm;  /* n: the point at each position */
    uint32_t *pos;   /* n: the position of each point */
    double *xs;      /* d × n: the coordinates transposed, in position order */
    double *lo, *hi; /* nb × d: each block's bounding box (exact: minima and maxima) */
} ekm__spatial;

/* The order of the n points x (row-major, n × d); NULL when out of memory. */
ekm__spatial *ekm__spatial_build(const double *x, size_t n, size_t d);
void ekm__spatial_free(ekm__spatial *s);

#endif
