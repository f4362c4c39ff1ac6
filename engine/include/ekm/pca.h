/* pca.h — the first two principal components of a point set, for 2-D pictures.
 *
 * The points are centred, their D×D sample covariance is diagonalised (cyclic
 * Jacobi for D <= 64, subspace iteration with Rayleigh–Ritz above) and every
 * point is projected onto the two leading eigenvectors. Deterministic: the same
 * input gives the same axes, with a fixed sign convention (see ekm_pca).
 */
#ifndef EKM_PCA_H
#define EKM_PCA_H

#include "ekm/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The result of ekm_pca_compute; every array is owned by the struct
 * (free everything with ekm_pca_destroy). */
typedef struct ekm_pca {
    size_t n, d;
    double *mean;          /* d: the centre that was subtracted */
    double *axes;          /* 2*d row-major: axes[0..d) = PC1, axes[d..2d) = PC2, unit length.
                            * Sign: the first coordinate whose magnitude is at least 1e-6 of
                            * the axis' largest one is positive. When D == 1 (or every point
                            * lies on one line through the mean) PC2 may be the zero vector. */
    double variance[2];    /* variance along PC1, PC2 (eigenvalues, divisor n-1; 0 when n == 1) */
    double total_variance; /* trace of the covariance: the variance summed over all D axes */
    double explained[2];   /* variance[i] / total_variance (0 when total_variance is 0) */
    double *proj;          /* n*2 row-major: (PC1, PC2) coordinates of each point */
} ekm_pca;

/* PCA of n points of d coordinates (row-major, n*d doubles, all finite).
 * On success *out is a new ekm_pca (free with ekm_pca_destroy); on failure
 * *out is NULL: EKM_ERR_INVALID (n or d is 0, a non-finite coordinate),
 * EKM_ERR_TOO_BIG (n*d overflows), EKM_ERR_NOMEM. */
ekm_status ekm_pca_compute(const double *coords, size_t n, size_t d, ekm_pca **out,
                           ekm_error *err);

/* The same for the coordinates of a dataset. */
ekm_status ekm_pca_of_dataset(const ekm_dataset *ds, ekm_pca **out, ekm_error *err);

void ekm_pca_destroy(ekm_pca *pca); /* NULL is fine */

#ifdef __cplusplus
}
#endif
#endif
