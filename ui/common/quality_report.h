/* quality_report.h — the quality of a result as the front ends show it: the
 * mean silhouette (and per cluster, per point), and with class labels in the
 * data the cluster x label table, adjusted Rand index, purity and NMI
 * (engine: ekm/quality.h). Shown after exact results only: the silhouette
 * reads all N^2 dissimilarities. */
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
} quality;

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
