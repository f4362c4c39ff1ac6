/* quality.h — how good a clustering is: silhouettes from the dissimilarities,
 * and agreement with known class labels (contingency table, adjusted Rand
 * index, purity, normalised mutual information).
 *
 * Silhouette (Rousseeuw 1987, as R's cluster::silhouette): for point i in
 * cluster A, a(i) is its mean dissimilarity to the other members of A and b(i)
 * the smallest, over the other non-empty clusters C, of its mean dissimilarity
 * to the members of C; s(i) = (b - a) / max(a, b), 0 when a = b. A point alone
 * in its cluster has s(i) = 0 (as R). With fewer than two non-empty clusters
 * (K = 1, say) b is not defined: every s(i), every cluster mean and the mean
 * are NaN ("not defined"; R gives NA). The dissimilarities are read in double
 * (from the coordinates, or the precomputed matrix): O(N^2 D) time, O(N D)
 * memory beyond the arrays given (a copy of the coordinates by cluster).
 *
 * At large N the exact value is out of reach (N = 10^6: 10^12 distances), and
 * ekm_silhouette_sampled estimates it, as R's clara and scikit-learn's
 * silhouette_score(sample_size=) do: the exact s(i) (each against all N
 * points) of a seeded random sample of points, drawn within each cluster (a
 * stratified sample: every cluster is represented, so its mean is estimated
 * too), with the standard error of the estimate.
 *
 * Thread safety: the functions keep no state; they may run on any thread, on
 * a dissimilarity matrix that other threads read at the same time.
 */
#ifndef EKM_QUALITY_H
#define EKM_QUALITY_H

#include "ekm/dissim.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

/* Silhouettes of the partition cluster[n] (values 0..k-1, n = ekm_dissim_n(dm)).
 * point (n, may be NULL) gets s(i); cluster_mean (k, may be NULL) the mean of
 * s over each cluster (NaN for an empty cluster); *mean (may be NULL) the mean
 * over all points. EKM_ERR_INVALID for k = 0 or a cluster number out of
 * range, EKM_ERR_NOMEM when the working copy cannot be allocated. On all
 * cores (ekm_silhouette_sampled with every point: the same values on any
 * number of threads). */
ekm_status ekm_silhouette(const ekm_dissim *dm, const int32_t *cluster, unsigned k,
                          double *point, double *cluster_mean, double *mean, ekm_error *err);

/* Up to this many points the front ends compute the exact silhouette (N^2 =
 * 4e8 distances, about a second); above, an estimate from a sample of
 * ekm_silhouette_default_sample(N) points that costs about as much. */
#define EKM_SILHOUETTE_EXACT_MAX 20000u
/* The smallest default sample (a standard error of about 0.005 for the
 * spread of s(i) of ordinary data). */
#define EKM_SILHOUETTE_MIN_SAMPLE 2000u

/* N for N <= EKM_SILHOUETTE_EXACT_MAX (exact), else the sample whose cost
 * (sample x N distances) is that of the exact value at the threshold,
 * EKM_SILHOUETTE_EXACT_MAX^2 / N, but at least EKM_SILHOUETTE_MIN_SAMPLE. */
size_t ekm_silhouette_default_sample(size_t n);

/* What ekm_silhouette_sampled measured. */
typedef struct ekm_silhouette_estimate {
    size_t n;         /* points */
    size_t sample;    /* points whose s(i) was computed */
    int exact;        /* 1 when the sample is every point: mean is the exact value */
    double mean;      /* the mean silhouette, or its estimate; NaN: not defined (K = 1) */
    double std_error; /* of the estimate (0 when exact; NaN when not defined) */
} ekm_silhouette_estimate;

/* The silhouette of cluster[n] from the s(i) of about `sample` points (>= n:
 * every point, the exact values of ekm_silhouette). The sample is drawn
 * within each non-empty cluster c of n_c points: ceil(sample * n_c / n) of
 * them, but at least min(n_c, 100, sample / clusters), uniformly without
 * replacement by a generator seeded with `seed` (the same seed, data and
 * partition give the same sample). The mean is the stratified estimate
 * sum_c (n_c / n) mean_c, its standard error
 * sqrt(sum_c (n_c / n)^2 (1 - m_c / n_c) var_c / m_c) (var_c the sample
 * variance of s(i) over the m_c points drawn in c, 0 for m_c = 1).
 * On `threads` threads (0: the number of cores): the result does not depend
 * on it. Outputs, each may be NULL: point (n) s(i) of the points drawn, NaN for
 * the others; in_sample (n) 1 for the points drawn; cluster_mean (k) the mean
 * (estimate) per cluster, NaN for an empty one; cluster_std_error (k) its
 * standard error; est the summary. Errors as ekm_silhouette. O(m N D) time
 * for m points drawn. */
ekm_status ekm_silhouette_sampled(const ekm_dissim *dm, const int32_t *cluster, unsigned k,
                                  size_t sample, uint64_t seed, unsigned threads, double *point,
                                  unsigned char *in_sample, double *cluster_mean,
                                  double *cluster_std_error, ekm_silhouette_estimate *est,
                                  ekm_error *err);

/* Agreement of two partitions of the same n points: a[i] in 0..ka-1 (the
 * clusters) and b[i] in 0..kb-1 (the classes). */
typedef struct ekm_agreement {
    double ari;    /* adjusted Rand index (Hubert & Arabie); 1 for identical
                      partitions, about 0 for chance; 1 when both partitions
                      are trivial (all points in one group, or all apart) */
    double purity; /* share of points in their cluster's most common class */
    double nmi;    /* normalised mutual information, I(a;b) / ((H(a) + H(b)) / 2)
                      (the arithmetic mean, scikit-learn's default), in [0, 1];
                      1 when both entropies are 0, 0 when only one is */
} ekm_agreement;

/* The measures of a ka x kb contingency table (row-major counts). */
ekm_agreement ekm_agreement_of_table(const uint64_t *table, size_t ka, size_t kb);

/* The cluster x class table of a clustering against the labels of a dataset. */
typedef struct ekm_crosstab {
    unsigned k;          /* rows: clusters 0..k-1 */
    size_t classes;      /* columns: the distinct labels, in order of first appearance */
    char **class_names;  /* classes */
    uint64_t *count;     /* k * classes, row-major */
    ekm_agreement agreement;
} ekm_crosstab;

/* Count clusters against the labels of ds (ekm_dataset_label). EKM_ERR_STATE
 * when ds has no labels, EKM_ERR_INVALID for a cluster number out of range,
 * EKM_ERR_NOMEM. Free the table with ekm_crosstab_free. O(N log N). */
ekm_status ekm_crosstab_labels(const ekm_dataset *ds, const int32_t *cluster, unsigned k,
                               ekm_crosstab **out, ekm_error *err);
void ekm_crosstab_free(ekm_crosstab *t); /* NULL is fine */

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
