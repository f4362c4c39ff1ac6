/* quality.c — the agreement of a clustering with class labels (quality.h; the
 * silhouettes are silhouette.c). */
#include "ekm/quality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quality_internal.h"

ekm_status ekm__check_clusters(size_t n, const int32_t *cluster, unsigned k, ekm_error *err)
{
    if (k == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "no clusters (K = 0)");
    for (size_t i = 0; i < n; i++)
        if (cluster[i] < 0 || (unsigned)cluster[i] >= k)
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "point %zu is in cluster %ld, not in 0..%u", i,
                                 (long)cluster[i], k - 1);
    return EKM_OK;
}

static double choose2(double x)
{
    return x * (x - 1.0) / 2.0;
}

ekm_agreement ekm_agreement_of_table(const uint64_t *table, size_t ka, size_t kb)
{
    ekm_agreement g = {0, 0, 0};
    double n = 0, pairs = 0, rows = 0, cols = 0, best = 0;
    for (size_t i = 0; i < ka; i++) {
        double row = 0, top = 0;
        for (size_t j = 0; j < kb; j++) {
            double c = (double)table[i * kb + j];
            row += c;
            pairs += choose2(c);
            if (c > top)
                top = c;
        }
        rows += choose2(row);
        best += top;
        n += row;
    }
    for (size_t j = 0; j < kb; j++) {
        double col = 0;
        for (size_t i = 0; i < ka; i++)
            col += (double)table[i * kb + j];
        cols += choose2(col);
    }
    double expected = n >= 2 ? rows * cols / choose2(n) : 0, most = (rows + cols) / 2;
    g.ari = most == expected ? 1.0 : (pairs - expected) / (most - expected);
    g.purity = n > 0 ? best / n : NAN;
    /* entropies and mutual information in nats */
    double ha = 0, hb = 0, mi = 0;
    for (size_t i = 0; i < ka; i++) {
        double row = 0;
        for (size_t j = 0; j < kb; j++)
            row += (double)table[i * kb + j];
        if (row > 0)
            ha -= row / n * log(row / n);
        for (size_t j = 0; j < kb; j++) {
            double c = (double)table[i * kb + j];
            if (c == 0)
                continue;
            double col = 0;
            for (size_t r = 0; r < ka; r++)
                col += (double)table[r * kb + j];
            mi += c / n * log(n * c / (row * col));
        }
    }
    for (size_t j = 0; j < kb; j++) {
        double col = 0;
        for (size_t i = 0; i < ka; i++)
            col += (double)table[i * kb + j];
        if (col > 0)
            hb -= col / n * log(col / n);
    }
    if (n <= 0)
        g.nmi = NAN;
    else if (ha <= 0 && hb <= 0)
        g.nmi = 1.0;
    else
        g.nmi = fmax(0.0, fmin(1.0, mi / ((ha + hb) / 2)));
    return g;
}

typedef struct label_ref {
    const char *text;
    size_t index;
} label_ref;

static int label_ref_cmp(const void *x, const void *y)
{
    const label_ref *a = x, *b = y;
    int c = strcmp(a->text, b->text);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int size_cmp(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

void ekm_crosstab_free(ekm_crosstab *t)
{
    if (!t)
        return;
    for (size_t j = 0; t->class_names && j < t->classes; j++)
        free(t->class_names[j]);
    free(t->class_names);
    free(t->count);
    free(t);
}

ekm_status ekm_crosstab_labels(const ekm_dataset *ds, const int32_t *cluster, unsigned k,
                               ekm_crosstab **out, ekm_error *err)
{
    ekm_error_clear(err);
    *out = NULL;
    if (!ekm_dataset_has_labels(ds))
        return ekm_error_set(err, EKM_ERR_STATE, ekm_dataset_name(ds), 0, 0,
                             "the data have no label column (--label-column last keeps one)");
    size_t n = ekm_dataset_n(ds);
    ekm_status st = ekm__check_clusters(n, cluster, k, err);
    if (st)
        return st;
    label_ref *ref = malloc((n ? n : 1) * sizeof *ref);
    size_t *cls = malloc((n ? n : 1) * sizeof *cls);  /* point -> group (first index) */
    size_t *first = malloc((n ? n : 1) * sizeof *first); /* group first indices, sorted */
    ekm_crosstab *t = calloc(1, sizeof *t);
    if (!ref || !cls || !first || !t)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const char *l = ekm_dataset_label(ds, i);
        ref[i] = (label_ref){l ? l : "", i};
    }
    qsort(ref, n, sizeof *ref, label_ref_cmp);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(ref[i].text, ref[i - 1].text) != 0)
            first[groups++] = ref[i].index; /* sorted by index within a label */
        cls[ref[i].index] = first[groups - 1];
    }
    qsort(first, groups, sizeof *first, size_cmp); /* classes in order of first appearance */
    t->k = k;
    t->classes = groups;
    t->class_names = calloc(groups ? groups : 1, sizeof *t->class_names);
    t->count = calloc((size_t)k * (groups ? groups : 1), sizeof *t->count);
    if (!t->class_names || !t->count)
        goto nomem;
    for (size_t j = 0; j < groups; j++) {
        const char *l = ekm_dataset_label(ds, first[j]);
        t->class_names[j] = strdup(l ? l : "");
        if (!t->class_names[j])
            goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        size_t *at = bsearch(&cls[i], first, groups, sizeof *first, size_cmp);
        t->count[(size_t)cluster[i] * groups + (size_t)(at - first)]++;
    }
    t->agreement = ekm_agreement_of_table(t->count, k, groups);
    free(ref);
    free(cls);
    free(first);
    *out = t;
    return EKM_OK;
nomem:
    free(ref);
    free(cls);
    free(first);
    ekm_crosstab_free(t);
    return ekm_error_set(err, EKM_ERR_NOMEM, ekm_dataset_name(ds), 0, 0,
                         "out of memory for the label table of %zu points", n);
}
