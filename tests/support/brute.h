/* brute.h — an independent brute-force K-medoids oracle for the tests.
 *
 * Written separately from the engine (no kernel, no walk, no float matrix): it
 * computes every dissimilarity in long double from the coordinates, enumerates
 * every K-subset with a plain odometer, and applies the tie rule directly: the
 * lexicographically smallest set among those within 1e-10 (relative) of the
 * minimum objective. */
#ifndef EKM_TEST_BRUTE_H
#define EKM_TEST_BRUTE_H

#include <stddef.h>
#include <stdint.h>

typedef enum brute_metric { BRUTE_EUCLIDEAN, BRUTE_SQEUCLIDEAN, BRUTE_MANHATTAN } brute_metric;

/* n*n long double matrix of the metric over row-major n*d coordinates (malloc'd). */
long double *brute_matrix(const double *x, size_t n, size_t d, brute_metric m);

/* Optimum over all K-subsets of the n*n matrix D: medoids (ascending) and the
 * objective; also the number of subsets visited. Returns 0, -1 for bad k. */
int brute_solve(const long double *D, size_t n, unsigned k, uint32_t *medoids, double *objective,
                uint64_t *visited);

/* Objective of a given set in long double. */
long double brute_objective(const long double *D, size_t n, const uint32_t *set, unsigned k);

/* Seeded test data: n points in d dims on an integer grid 0..grid-1 (many exact
 * ties and duplicates) when grid > 0, else uniform reals in [0,1). */
void brute_random_points(double *x, size_t n, size_t d, int grid, uint64_t seed);

#endif
