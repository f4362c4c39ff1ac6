/* quality_report.c — silhouettes and label agreement in the reports (quality_report.h). */
#include "common/quality_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/text_escape.h"

int quality_has_classes(const ekm_dataset *ds)
{
    if (!ds || !ekm_dataset_has_labels(ds))
        return 0;
    ekm_crosstab *t;
    size_t n = ekm_dataset_n(ds);
    int32_t *one = calloc(n ? n : 1, sizeof *one);
    if (!one || ekm_crosstab_labels(ds, one, 1, &t, NULL)) {
        free(one);
        return 0;
    }
    int classes = t->classes < n;
    ekm_crosstab_free(t);
    free(one);
    return classes;
}

int quality_compute(quality *q, const ekm_dissim *dm, const ekm_result *r, int per_point)
{
    memset(q, 0, sizeof *q);
    q->k = r->k;
    q->n = r->n;
    q->cluster_mean = malloc((r->k ? r->k : 1) * sizeof *q->cluster_mean);
    if (per_point)
        q->point = malloc((r->n ? r->n : 1) * sizeof *q->point);
    if (!q->cluster_mean || (per_point && !q->point) ||
        ekm_silhouette(dm, r->cluster, r->k, q->point, q->cluster_mean, &q->mean, NULL)) {
        quality_free(q);
        return -1;
    }
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    if (quality_has_classes(ds) && ekm_crosstab_labels(ds, r->cluster, r->k, &q->tab, NULL))
        q->tab = NULL; /* out of memory: shown without the table */
    q->ok = 1;
    return 0;
}

void quality_free(quality *q)
{
    free(q->cluster_mean);
    free(q->point);
    ekm_crosstab_free(q->tab);
    memset(q, 0, sizeof *q);
}

const char *quality_format(char *buf, size_t size, double silhouette)
{
    if (isnan(silhouette))
        snprintf(buf, size, "not defined (K = 1)");
    else
        snprintf(buf, size, "%.4f", silhouette);
    return buf;
}

enum { TABLE_MAX_CLASSES = 12, TABLE_CELL = 10 };

static void print_table(FILE *out, const ekm_crosstab *t)
{
    const ekm_agreement *g = &t->agreement;
    fprintf(out, "against the labels: adjusted Rand index %.4f, purity %.4f, NMI %.4f\n", g->ari,
            g->purity, g->nmi);
    if (t->classes > TABLE_MAX_CLASSES) {
        fprintf(out, "(%zu labels: the cluster x label table is in --json)\n", t->classes);
        return;
    }
    char cell[TABLE_CELL + 1];
    fprintf(out, "%7s", "cluster");
    for (size_t j = 0; j < t->classes; j++)
        fprintf(out, " %*s", TABLE_CELL, text_escape(cell, sizeof cell, t->class_names[j]));
    fputc('\n', out);
    for (unsigned c = 0; c < t->k; c++) {
        fprintf(out, "%7u", c + 1);
        for (size_t j = 0; j < t->classes; j++)
            fprintf(out, " %*llu", TABLE_CELL,
                    (unsigned long long)t->count[(size_t)c * t->classes + j]);
        fputc('\n', out);
    }
}

void quality_print(FILE *out, const quality *q)
{
    if (!q->ok)
        return;
    char buf[64];
    fprintf(out, "silhouette %s", quality_format(buf, sizeof buf, q->mean));
    if (!isnan(q->mean)) {
        fputs(" (mean of s(i) = (b-a)/max(a,b), as R's cluster::silhouette); per cluster", out);
        for (unsigned c = 0; c < q->k; c++)
            fprintf(out, " %s", quality_format(buf, sizeof buf, q->cluster_mean[c]));
    }
    fputc('\n', out);
    if (q->tab)
        print_table(out, q->tab);
}

void quality_json(json_writer *w, const quality *q)
{
    if (!q->ok)
        return;
    json_double(w, "silhouette", q->mean);
    json_array_open(w, "silhouette_clusters");
    for (unsigned c = 0; c < q->k; c++)
        json_double(w, NULL, q->cluster_mean[c]);
    json_array_close(w);
    const ekm_crosstab *t = q->tab;
    if (!t)
        return;
    json_double(w, "ari", t->agreement.ari);
    json_double(w, "purity", t->agreement.purity);
    json_double(w, "nmi", t->agreement.nmi);
    json_array_open(w, "classes");
    for (size_t j = 0; j < t->classes; j++)
        json_string(w, NULL, t->class_names[j]);
    json_array_close(w);
    json_array_open(w, "crosstab"); /* a row per cluster, a count per class */
    for (unsigned c = 0; c < t->k; c++) {
        json_array_open(w, NULL);
        for (size_t j = 0; j < t->classes; j++)
            json_uint(w, NULL, t->count[(size_t)c * t->classes + j]);
        json_array_close(w);
    }
    json_array_close(w);
}
