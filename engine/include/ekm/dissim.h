/* dissim.h — the dissimilarity matrix the solvers read.
 *
 * Stored once as float32, row-major, every row 64-byte aligned and padded with
 * zeros to a multiple of 16 floats (the padding contributes 0 to any min+sum).
 * Objectives that are reported are recomputed in double from the source (the
 * coordinates, or the double matrix read from a file) by ekm_dissim_exact().
 * Reference counted: jobs retain the matrix they run on.
 *
 * Thread safety: a built ekm_dissim is immutable; every function taking a
 * const ekm_dissim * may be called from any number of threads at once, and
 * retain/release (an atomic count) from any thread. The last release frees it:
 * no other thread may still use it then.
 */
#ifndef EKM_DISSIM_H
#define EKM_DISSIM_H

#include "ekm/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef enum ekm_metric {
    EKM_METRIC_EUCLIDEAN = 0,
    EKM_METRIC_SQEUCLIDEAN,
    EKM_METRIC_MANHATTAN,
    EKM_METRIC_PRECOMPUTED /* a square matrix read with ekm_dissim_load_matrix */
} ekm_metric;

const char *ekm_metric_name(ekm_metric m);
/* Parse "euclidean" | "sqeuclidean" | "manhattan"; returns 0 on success. */
int ekm_metric_parse(const char *name, ekm_metric *out);

typedef struct ekm_dissim ekm_dissim;

/* Bytes the float matrix of n points takes (with padding), or UINT64_MAX on overflow. */
uint64_t ekm_dissim_bytes_for(size_t n);

/* Build the matrix of a dataset (retains ds). Refuses (EKM_ERR_TOO_BIG) a matrix
 * larger than the machine's memory, with the size in the message, and
 * (EKM_ERR_INVALID) a dissimilarity over DBL_MAX / (2n) or not finite in
 * double, naming the two points. */
ekm_status ekm_dissim_from_dataset(ekm_dataset *ds, ekm_metric metric, ekm_dissim **out,
                                   ekm_error *err);
/* The same on at most `threads` threads (0: the number of cores, as above). */
ekm_status ekm_dissim_from_dataset_threads(ekm_dataset *ds, ekm_metric metric, unsigned threads,
                                           ekm_dissim **out, ekm_error *err);

/* The matrix-free form of a dataset (retains ds): no N x N matrix, only the
 * coordinates (O(N·D) memory); the rows are computed when needed, bit for bit
 * the rows ekm_dissim_from_dataset would store (same scale, same abs_err).
 * Only the `pruned` strategy runs on it (ekm_dissim_row returns NULL). Refuses
 * (EKM_ERR_INVALID) a dissimilarity over DBL_MAX / (2n), naming the points. */
ekm_status ekm_dissim_from_dataset_lazy(ekm_dataset *ds, ekm_metric metric, ekm_dissim **out,
                                        ekm_error *err);
/* 1 when dm holds the float matrix, 0 for the matrix-free form. */
int ekm_dissim_has_matrix(const ekm_dissim *dm);

/* Read a precomputed square dissimilarity matrix from a CSV file (no labels;
 * header detected as for datasets). Checks squareness, symmetry, a zero diagonal
 * and no negative, non-finite or too large (over DBL_MAX / (2n)) entries; errors
 * name file, line and column. */
ekm_status ekm_dissim_load_matrix(const char *path, const ekm_csv_options *opt,
                                  ekm_dissim **out, ekm_error *err);

/* The same from n*n row-major doubles in memory (checked the same way). */
ekm_status ekm_dissim_from_matrix(const char *name, size_t n, const double *values,
                                  ekm_dissim **out, ekm_error *err);

ekm_dissim *ekm_dissim_retain(ekm_dissim *dm);
void ekm_dissim_release(ekm_dissim *dm); /* NULL is fine */

size_t ekm_dissim_n(const ekm_dissim *dm);
size_t ekm_dissim_stride(const ekm_dissim *dm); /* floats per row, multiple of 16 */
ekm_metric ekm_dissim_metric(const ekm_dissim *dm);
const char *ekm_dissim_name(const ekm_dissim *dm); /* dataset or file name */
/* The dataset the matrix was built from, or NULL for a precomputed matrix. */
ekm_dataset *ekm_dissim_dataset(const ekm_dissim *dm);
/* Row i of the float matrix (aligned, stride floats, zero padded), or NULL for
 * the matrix-free form. Entry j is
 * fl(d_ij * ekm_dissim_float_scale(dm)): a power of two chosen from the data so
 * that no entry or float partial sum overflows and small values stay normal. */
const float *ekm_dissim_row(const ekm_dissim *dm, size_t i);
/* The power of two the float rows are scaled by (1 for most data). */
double ekm_dissim_float_scale(const ekm_dissim *dm);
/* An absolute bound, in scaled float units, on how far a sum over the n points
 * of float entries can be from the scaled exact sum beyond the relative error:
 * n * 2^-149 when the data's dynamic range is wider than float's normal range
 * (some nonzero dissimilarity scaled below FLT_MIN), else 0. */
double ekm_dissim_float_abs_err(const ekm_dissim *dm);
/* The dissimilarity in double precision, from the source. */
double ekm_dissim_exact(const ekm_dissim *dm, size_t i, size_t j);

/* Objective of a medoid set in double: sum over all points of the exact
 * dissimilarity to the nearest medoid. */
double ekm_dissim_objective(const ekm_dissim *dm, const uint32_t *medoids, size_t k);

/* Assign every point to its nearest medoid (ties: the earlier medoid in the
 * array). cluster[n] gets 0..k-1; size[k] and cost[k] (double) are filled when
 * not NULL. Returns the objective in double. */
double ekm_dissim_assign(const ekm_dissim *dm, const uint32_t *medoids, size_t k,
                         int32_t *cluster, uint32_t *size, double *cost);

/* A fingerprint of a dataset's dissimilarities (N, metric and the source
 * values: coordinates or the precomputed matrix), 64-bit FNV-1a. */
uint64_t ekm_dissim_fingerprint(const ekm_dissim *dm);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
