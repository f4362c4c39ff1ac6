/* quality_report.h — the quality of a result as the front ends show it: the
 * mean silhouette (and per cluster, per point), and with class labels in the
 * data the cluster x label table, adjusted Rand index, purity and NMI
 * (engine: ekm/quality.h). Shown after exact results only. The silhouette is
 * exact up to EKM_SILHOUETTE_EXACT_MAX points (it reads all N^2
 * dissimilarities); above, it is estimated from a seeded sample of points
 * (ekm_silhouette_sampled) and said so, with its standard error, unless
 * --silhouette-sample says otherwise (report_style: common/load_report.h). */
#ifndef EKM_UI_QUALITY_REPORT_H
#define EKM_UI_QUALITY_REPORT_H

#include <stdio.h>

#include "common/json.h"
#include "ekm/job.h"
#include "ekm/quality.h"

typedef struct quality {
    int ok;               /* 1 when computed */
    unsigned k;
    size_t n;
    double mean;          /* mean silhouette (NaN: not defined, K = 1) */
    double *cluster_mean; /* k */
    double *point;        /* n, or NULL when not asked for */
    ekm_crosstab *tab;    /* NULL without class labels (see quality_has_classes) */
    /* the silhouette's sample: point holds s(i) of the points drawn (in_sample
     * marks them, with per_point) and NaN for the others */
    int exact;            /* 1: every point (mean and point are the exact values) */
    size_t sample;        /* points whose s(i) was computed */
    double std_error;     /* of mean (0 when exact) */
    unsigned char *in_sample; /* n with per_point, else NULL */
} quality;

/* The points the silhouette of n points is computed from with the current
 * report_style: n up to EKM_SILHOUETTE_EXACT_MAX or with --silhouette-sample
 * all, else --silhouette-sample N or ekm_silhouette_default_sample(n). */
size_t quality_sample_size(size_t n);

/* The silhouette of r for a picture: the points drawn (every point when
 * exact), their clusters and s(i), in index order. */
typedef struct quality_points {
    size_t m;          /* points drawn */
    int32_t *cluster;  /* m */
    double *width;     /* m */
    ekm_silhouette_estimate est;
    double *cluster_mean; /* k: the (estimated) mean per cluster */
    unsigned k;
} quality_points;
/* Returns 0, or -1 (out of memory or a bad result; nothing to free). */
int quality_points_compute(quality_points *qp, const ekm_dissim *dm, const ekm_result *r);
void quality_points_free(quality_points *qp);
/* "estimated from 2,000 sampled points of 1,000,000" into buf ("" when exact). */
const char *quality_sample_words(char *buf, size_t size, size_t sample, size_t n, int exact);

/* Compute the measures of r on dm (per point only with per_point). Returns 0, or
 * -1 (out of memory: q->ok stays 0 and nothing is shown). */
int quality_compute(quality *q, const ekm_dissim *dm, const ekm_result *r, int per_point);
void quality_free(quality *q);

/* Labels that are classes: a label column where some label repeats (a column
 * of distinct row names, as mtcars' models, is no classification). */
int quality_has_classes(const ekm_dataset *ds);

/* "silhouette 0.5528 (mean; per cluster ...)" and, with classes, the table and
 * "adjusted Rand index ..." lines. */
void quality_print(FILE *out, const quality *q);
/* "silhouette", "silhouette_clusters" and with classes "ari", "purity", "nmi",
 * "classes" and "crosstab" members of the open object. */
void quality_json(json_writer *w, const quality *q);

/* The silhouette shown with 4 decimals, or "not defined (K = 1)". */
const char *quality_format(char *buf, size_t size, double silhouette);

#endif
