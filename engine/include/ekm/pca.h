/* pca.h — the first two principal components of a point set, for 2-D pictures.
 *
 * The points are centred and the smaller of two symmetric matrices is
 * diagonalised (cyclic Jacobi up to 64 rows, subspace iteration with
 * Rayleigh–Ritz above): the D×D sample covariance C = XᵀX/(n-1) when n >= d,
 * else the n×n Gram matrix G = XXᵀ/(n-1), which has the same nonzero
 * eigenvalues, its eigenvectors u giving C's as Xᵀu. So the cost is about
 * n·d·min(n,d) plus the eigen-solve of a min(n,d) square matrix. Every point
 * is projected onto the two leading eigenvectors. Deterministic: the same
 * input and method give the same axes, with a fixed sign convention (see
 * ekm_pca). The computation can be cancelled (ekm_pca_options).
 *
 * Thread safety: an ekm_pca result is a plain value (immutable once returned:
 * safe to read from any thread; free it once).
 */
#ifndef EKM_PCA_H
#define EKM_PCA_H

#include "ekm/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef enum ekm_pca_method {
    EKM_PCA_AUTO = 0,       /* the Gram matrix when n < d, else the covariance */
    EKM_PCA_COVARIANCE = 1, /* the d×d covariance */
    EKM_PCA_GRAM = 2        /* the n×n Gram matrix */
} ekm_pca_method;

typedef struct ekm_pca_options {
    ekm_pca_method method;
    /* Polled between steps of bounded work (a row of a matrix product, a Jacobi
     * row, an iteration): when it returns nonzero the computation stops with
     * EKM_ERR_CANCELLED. NULL: never cancelled. Called on the calling thread. */
    int (*cancelled)(void *ctx);
    void *ctx;
} ekm_pca_options;

/* The result of ekm_pca_compute; every array is owned by the struct
 * (free everything with ekm_pca_free). */
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
    ekm_pca_method method; /* the matrix that was diagonalised (never EKM_PCA_AUTO) */
} ekm_pca;

/* PCA of n points of d coordinates (row-major, n*d doubles, all finite).
 * On success *out is a new ekm_pca (free with ekm_pca_free); on failure
 * *out is NULL: EKM_ERR_INVALID (n or d is 0, a non-finite coordinate),
 * EKM_ERR_TOO_BIG (n*d overflows), EKM_ERR_NOMEM. */
ekm_status ekm_pca_compute(const double *coords, size_t n, size_t d, ekm_pca **out,
                           ekm_error *err);
/* The same with options (NULL: the defaults); also EKM_ERR_CANCELLED. */
ekm_status ekm_pca_compute_opt(const double *coords, size_t n, size_t d,
                               const ekm_pca_options *opt, ekm_pca **out, ekm_error *err);

/* The same for the coordinates of a dataset. */
ekm_status ekm_pca_of_dataset(const ekm_dataset *ds, ekm_pca **out, ekm_error *err);
ekm_status ekm_pca_of_dataset_opt(const ekm_dataset *ds, const ekm_pca_options *opt,
                                  ekm_pca **out, ekm_error *err);

void ekm_pca_free(ekm_pca *pca); /* NULL is fine */

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
