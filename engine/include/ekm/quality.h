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
 * with ekm_dissim_exact: O(N^2) time, O(K) memory beyond the arrays given.
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
 * range, EKM_ERR_NOMEM when the K sums cannot be allocated. */
ekm_status ekm_silhouette(const ekm_dissim *dm, const int32_t *cluster, unsigned k,
                          double *point, double *cluster_mean, double *mean, ekm_error *err);

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
