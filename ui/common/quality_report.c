/* quality_report.c — silhouettes and label agreement in the reports (quality_report.h). */
#include "common/quality_report.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/load_report.h"
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

size_t quality_sample_size(size_t n)
{
    size_t want = report_current_style()->silhouette_sample;
    if (want == SETTINGS_SILHOUETTE_ALL)
        return n;
    if (want == 0)
        return ekm_silhouette_default_sample(n);
    return want < n ? want : n;
}

const char *quality_sample_words(char *buf, size_t size, size_t sample, size_t n, int exact)
{
    char a[32], b[32];
    if (exact)
        snprintf(buf, size, "%s", "");
    else
        snprintf(buf, size, "estimated from %s sampled points of %s",
                 format_count(a, sizeof a, sample), format_count(b, sizeof b, n));
    return buf;
}

/* The last silhouette computed, for the next report of the same result: `solve
 * --json --labels F --out-data G`, the dashboard's status line and its picture
 * each want it, and at large N it takes seconds. Keyed by the data's
 * fingerprint, the partition's, and the sample asked for; under a lock (the
 * front ends report from one thread, but nothing here assumes it). */
static struct {
    pthread_mutex_t mu;
    int valid;
    uint64_t data, partition, seed;
    size_t n, sample;
    unsigned k;
    double *point, *cluster_mean;
    unsigned char *in_sample;
    ekm_silhouette_estimate est;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static uint64_t partition_fingerprint(const int32_t *cluster, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (uint32_t)cluster[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The silhouette of r into the cache (the lock held). Returns 0 or -1. */
static int cache_fill(const ekm_dissim *dm, const ekm_result *r)
{
    const report_style *st = report_current_style();
    uint64_t data = ekm_dissim_fingerprint(dm), partition = partition_fingerprint(r->cluster, r->n);
    size_t sample = quality_sample_size(r->n);
    if (cache.valid && cache.data == data && cache.partition == partition &&
        cache.seed == st->seed && cache.n == r->n && cache.k == r->k && cache.sample == sample)
        return 0;
    cache.valid = 0;
    free(cache.point);
    free(cache.cluster_mean);
    free(cache.in_sample);
    cache.point = malloc((r->n ? r->n : 1) * sizeof *cache.point);
    cache.cluster_mean = malloc((r->k ? r->k : 1) * sizeof *cache.cluster_mean);
    cache.in_sample = malloc(r->n ? r->n : 1);
    if (!cache.point || !cache.cluster_mean || !cache.in_sample ||
        ekm_silhouette_sampled(dm, r->cluster, r->k, sample, st->seed, st->threads, cache.point,
                               cache.in_sample, cache.cluster_mean, NULL, &cache.est, NULL))
        return -1;
    cache.data = data;
    cache.partition = partition;
    cache.seed = st->seed;
    cache.n = r->n;
    cache.k = r->k;
    cache.sample = sample;
    cache.valid = 1;
    return 0;
}

int quality_compute(quality *q, const ekm_dissim *dm, const ekm_result *r, int per_point)
{
    memset(q, 0, sizeof *q);
    q->k = r->k;
    q->n = r->n;
    q->cluster_mean = malloc((r->k ? r->k : 1) * sizeof *q->cluster_mean);
    if (per_point) {
        q->point = malloc((r->n ? r->n : 1) * sizeof *q->point);
        q->in_sample = malloc(r->n ? r->n : 1);
    }
    if (!q->cluster_mean || (per_point && (!q->point || !q->in_sample))) {
        quality_free(q);
        return -1;
    }
    pthread_mutex_lock(&cache.mu);
    if (cache_fill(dm, r)) {
        pthread_mutex_unlock(&cache.mu);
        quality_free(q);
        return -1;
    }
    memcpy(q->cluster_mean, cache.cluster_mean, r->k * sizeof *q->cluster_mean);
    if (per_point) {
        memcpy(q->point, cache.point, r->n * sizeof *q->point);
        memcpy(q->in_sample, cache.in_sample, r->n);
    }
    q->mean = cache.est.mean;
    q->exact = cache.est.exact;
    q->sample = cache.est.sample;
    q->std_error = cache.est.std_error;
    pthread_mutex_unlock(&cache.mu);
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
    free(q->in_sample);
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
        fprintf(out, "%7u", c + report_current_style()->index_base);
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
    char buf[64], words[128];
    int estimate = !q->exact && !isnan(q->mean);
    fprintf(out, "silhouette %s%s", estimate ? "≈ " : "",
            quality_format(buf, sizeof buf, q->mean));
    if (estimate)
        fprintf(out, " ± %.4f (%s, ± one standard error; --silhouette-sample all "
                     "computes it exactly, N^2 distances)",
                q->std_error, quality_sample_words(words, sizeof words, q->sample, q->n, 0));
    if (!isnan(q->mean)) {
        fputs(estimate ? "; mean of s(i)" : " (mean of s(i)", out);
        fputs(" = (b-a)/max(a,b), as R's cluster::silhouette", out);
        fputs(estimate ? "; per cluster ≈" : "); per cluster", out);
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
    json_bool(w, "silhouette_exact", q->exact); /* false: estimated from a sample */
    json_uint(w, "silhouette_sample", q->sample);
    json_double(w, "silhouette_std_error", q->std_error);
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

int quality_points_compute(quality_points *qp, const ekm_dissim *dm, const ekm_result *r)
{
    memset(qp, 0, sizeof *qp);
    quality q;
    if (quality_compute(&q, dm, r, 1))
        return -1;
    qp->k = r->k;
    qp->cluster = malloc((q.sample ? q.sample : 1) * sizeof *qp->cluster);
    qp->width = malloc((q.sample ? q.sample : 1) * sizeof *qp->width);
    qp->cluster_mean = malloc((r->k ? r->k : 1) * sizeof *qp->cluster_mean);
    if (!qp->cluster || !qp->width || !qp->cluster_mean) {
        quality_points_free(qp);
        quality_free(&q);
        return -1;
    }
    for (size_t i = 0; i < r->n; i++)
        if (q.in_sample[i]) {
            qp->cluster[qp->m] = r->cluster[i];
            qp->width[qp->m++] = q.point[i];
        }
    memcpy(qp->cluster_mean, q.cluster_mean, r->k * sizeof *qp->cluster_mean);
    qp->est = (ekm_silhouette_estimate){r->n, q.sample, q.exact, q.mean, q.std_error};
    quality_free(&q);
    return 0;
}

void quality_points_free(quality_points *qp)
{
    free(qp->cluster);
    free(qp->width);
    free(qp->cluster_mean);
    memset(qp, 0, sizeof *qp);
}
