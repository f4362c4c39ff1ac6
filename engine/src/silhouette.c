/* silhouette.c — silhouettes, exact or estimated from a stratified sample of
 * points (quality.h).
 *
 * s(i) needs, for point i, the sum of its dissimilarities to the members of
 * every cluster. The points are copied once in cluster order (by index within a
 * cluster), their coordinates transposed (a column per dimension), so that a
 * cluster's sum is one run over contiguous columns: the distances of a block of
 * points computed as coord_distance does (s = 0; s += t*t or |t| for each
 * coordinate in turn; sqrt for euclidean: the same doubles as
 * ekm_dissim_exact), then added into 8 partial sums. The order of those
 * additions depends on the partition only, so s(i) is the same on any number of
 * threads. A precomputed matrix is read with ekm_dissim_exact in the same order.
 * The threads take the sample's points from an atomic counter, each writing its
 * own entries of the result; the means are summed afterwards in index order. */
#include "ekm/quality.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/ekm.h"
#include "ekm/job.h"
#include "quality_internal.h"
#include "rng.h"

enum { SIL_BLOCK = 256, SIL_LANES = 8, SIL_CHUNK = 8, SIL_MAX_THREADS = 64,
       SIL_CLUSTER_FLOOR = 100 };

size_t ekm_silhouette_default_sample(size_t n)
{
    if (n <= EKM_SILHOUETTE_EXACT_MAX)
        return n;
    double budget = (double)EKM_SILHOUETTE_EXACT_MAX * (double)EKM_SILHOUETTE_EXACT_MAX;
    size_t s = (size_t)(budget / (double)n);
    return s < EKM_SILHOUETTE_MIN_SAMPLE ? EKM_SILHOUETTE_MIN_SAMPLE : s;
}

/* s(i) from a(i) and b(i) as R's cluster::silhouette: 0 when they are equal. */
static double silhouette_width(double a, double b)
{
    if (a == b)
        return 0.0;
    return (b - a) / (a > b ? a : b);
}

typedef struct sil_ctx {
    const ekm_dissim *dm;
    const ekm_dataset *ds; /* NULL: a precomputed matrix */
    const int32_t *cluster;
    unsigned k, nonempty;
    size_t n, d;
    ekm_metric metric;
    const size_t *size;  /* k */
    const size_t *start; /* k + 1: each cluster's range in order[] */
    const size_t *order; /* n: the points by cluster, by index within one */
    const double *xt;    /* d columns of stride entries: their coordinates (ds only) */
    size_t stride;       /* n + SIL_LANES (zeros after the n) */
    const size_t *pick;  /* m points drawn, increasing */
    size_t m;
    double *s; /* m: their s(i) */
    atomic_size_t next;
} sil_ctx;

/* Sum of the distances from p to the points order[lo..hi) (coordinates). The
 * loops run over whole groups of SIL_LANES (fixed-length inner loops, which the
 * compiler vectorises); the columns are padded by SIL_LANES entries, and the
 * distances past hi are set to 0 before they are added. */
static double coord_sum(const sil_ctx *x, const double *p, size_t lo, size_t hi)
{
    double acc[SIL_LANES] = {0}, buf[SIL_BLOCK];
    int manhattan = x->metric == EKM_METRIC_MANHATTAN;
    for (size_t b0 = lo; b0 < hi; b0 += SIL_BLOCK) {
        size_t len = hi - b0 < SIL_BLOCK ? hi - b0 : SIL_BLOCK;
        size_t padded = (len + SIL_LANES - 1) / SIL_LANES * SIL_LANES;
        for (size_t t = 0; t < padded; t += SIL_LANES)
            for (size_t l = 0; l < SIL_LANES; l++)
                buf[t + l] = 0.0;
        for (size_t dd = 0; dd < x->d; dd++) {
            const double *col = x->xt + dd * x->stride + b0;
            double q = p[dd];
            if (manhattan)
                for (size_t t = 0; t < padded; t += SIL_LANES)
                    for (size_t l = 0; l < SIL_LANES; l++)
                        buf[t + l] += fabs(col[t + l] - q);
            else
                for (size_t t = 0; t < padded; t += SIL_LANES)
                    for (size_t l = 0; l < SIL_LANES; l++) {
                        double u = col[t + l] - q;
                        buf[t + l] += u * u;
                    }
        }
        if (x->metric == EKM_METRIC_EUCLIDEAN)
            for (size_t t = 0; t < padded; t += SIL_LANES)
                for (size_t l = 0; l < SIL_LANES; l++)
                    buf[t + l] = sqrt(buf[t + l]);
        for (size_t t = len; t < padded; t++)
            buf[t] = 0.0;
        for (size_t t = 0; t < padded; t += SIL_LANES)
            for (size_t l = 0; l < SIL_LANES; l++)
                acc[l] += buf[t + l];
    }
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* The same from a precomputed matrix. */
static double matrix_sum(const sil_ctx *x, size_t i, size_t lo, size_t hi)
{
    double sum = 0.0;
    for (size_t m = lo; m < hi; m++)
        sum += ekm_dissim_exact(x->dm, i, x->order[m]);
    return sum;
}

/* s(i); sum holds k doubles of scratch. */
static double point_silhouette(const sil_ctx *x, size_t i, double *sum)
{
    unsigned ci = (unsigned)x->cluster[i];
    if (x->nonempty < 2)
        return NAN; /* no other cluster: b(i) is not defined */
    if (x->size[ci] == 1)
        return 0.0; /* alone in its cluster, as R */
    const double *p = x->ds ? ekm_dataset_point(x->ds, i) : NULL;
    for (unsigned c = 0; c < x->k; c++) {
        if (!x->size[c])
            continue;
        sum[c] = p ? coord_sum(x, p, x->start[c], x->start[c + 1])
                   : matrix_sum(x, i, x->start[c], x->start[c + 1]);
    }
    /* d(i, i) = 0 is in its own cluster's sum and adds nothing */
    double a = sum[ci] / (double)(x->size[ci] - 1), b = INFINITY;
    for (unsigned c = 0; c < x->k; c++)
        if (c != ci && x->size[c] && sum[c] / (double)x->size[c] < b)
            b = sum[c] / (double)x->size[c];
    return silhouette_width(a, b);
}

static void *sil_worker(void *arg)
{
    sil_ctx *x = arg;
    double stack_sum[EKM_MAX_K], *sum = x->k <= EKM_MAX_K ? stack_sum : malloc(x->k * sizeof *sum);
    if (!sum)
        return arg; /* out of memory: the caller sees the points left */
    for (;;) {
        size_t at = atomic_fetch_add(&x->next, SIL_CHUNK);
        if (at >= x->m)
            break;
        size_t end = at + SIL_CHUNK < x->m ? at + SIL_CHUNK : x->m;
        for (size_t j = at; j < end; j++)
            x->s[j] = point_silhouette(x, x->pick[j], sum);
    }
    if (sum != stack_sum)
        free(sum);
    return NULL;
}

/* Draw the sample: take[c] points of each cluster, uniformly without
 * replacement (selection sampling in index order), into pick (increasing).
 * Returns how many. */
static size_t draw_sample(const int32_t *cluster, size_t n, unsigned k, const size_t *size,
                          unsigned nonempty, size_t want, uint64_t seed, size_t *take,
                          size_t *pick)
{
    if (want >= n) {
        for (unsigned c = 0; c < k; c++)
            take[c] = size[c];
        for (size_t i = 0; i < n; i++)
            pick[i] = i;
        return n;
    }
    size_t floor_n = want / (nonempty ? nonempty : 1);
    if (floor_n > SIL_CLUSTER_FLOOR)
        floor_n = SIL_CLUSTER_FLOOR;
    if (floor_n < 1)
        floor_n = 1;
    size_t *left = take + k; /* k more: the points of each cluster not yet passed */
    for (unsigned c = 0; c < k; c++) {
        size_t t = (size_t)ceil((double)want * (double)size[c] / (double)n);
        if (t < floor_n)
            t = floor_n;
        take[c] = t < size[c] ? t : size[c];
        left[c] = size[c];
    }
    size_t *need = left + k;
    memcpy(need, take, k * sizeof *need);
    ekm__rng rng;
    ekm__rng_seed(&rng, seed ^ 0x5111b0e77e5a3b1eULL);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned)cluster[i];
        if (need[c] && ekm__rng_unit(&rng) * (double)left[c] < (double)need[c]) {
            pick[m++] = i;
            need[c]--;
        }
        left[c]--;
    }
    return m;
}

/* The points in cluster order and their transposed coordinates. */
static int build_order(sil_ctx *x, size_t *start, size_t *order, double **xt_out)
{
    size_t at = 0;
    for (unsigned c = 0; c < x->k; c++) {
        start[c] = at;
        at += x->size[c];
    }
    start[x->k] = at;
    size_t *fill = malloc((x->k ? x->k : 1) * sizeof *fill);
    if (!fill)
        return -1;
    memcpy(fill, start, x->k * sizeof *fill);
    for (size_t i = 0; i < x->n; i++)
        order[fill[x->cluster[i]]++] = i;
    free(fill);
    *xt_out = NULL;
    if (!x->ds)
        return 0;
    x->stride = x->n + SIL_LANES;
    double *xt = calloc((x->d ? x->d : 1) * x->stride, sizeof *xt);
    if (!xt)
        return -1;
    for (size_t m = 0; m < x->n; m++) {
        const double *p = ekm_dataset_point(x->ds, order[m]);
        for (size_t dd = 0; dd < x->d; dd++)
            xt[dd * x->stride + m] = p[dd];
    }
    *xt_out = xt;
    return 0;
}

/* Compute x->s for the x->m points drawn, on up to `threads` threads. */
static int run_points(sil_ctx *x, unsigned threads)
{
    if (threads == 0)
        threads = ekm_cpu_count();
    size_t chunks = (x->m + SIL_CHUNK - 1) / SIL_CHUNK;
    if (threads > chunks)
        threads = (unsigned)(chunks ? chunks : 1);
    if (threads > SIL_MAX_THREADS)
        threads = SIL_MAX_THREADS;
    atomic_init(&x->next, 0);
    pthread_t tid[SIL_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, sil_worker, x))
            break;
        started++;
    }
    int failed = sil_worker(x) != NULL;
    for (unsigned t = 0; t < started; t++) {
        void *rv;
        pthread_join(tid[t], &rv);
        failed |= rv != NULL;
    }
    return failed ? -1 : 0;
}

ekm_status ekm_silhouette_sampled(const ekm_dissim *dm, const int32_t *cluster, unsigned k,
                                  size_t sample, uint64_t seed, unsigned threads, double *point,
                                  unsigned char *in_sample, double *cluster_mean,
                                  double *cluster_std_error, ekm_silhouette_estimate *est,
                                  ekm_error *err)
{
    ekm_error_clear(err);
    size_t n = ekm_dissim_n(dm);
    ekm_status st = ekm__check_clusters(n, cluster, k, err);
    if (st)
        return st;
    sil_ctx x;
    memset(&x, 0, sizeof x);
    x.dm = dm;
    x.ds = ekm_dissim_dataset(dm);
    x.cluster = cluster;
    x.k = k;
    x.n = n;
    x.d = x.ds ? ekm_dataset_d(x.ds) : 0;
    x.metric = ekm_dissim_metric(dm);
    size_t *size = calloc((size_t)k * 4 + 1, sizeof *size); /* size, then take, left, need */
    size_t *start = malloc(((size_t)k + 1) * sizeof *start);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *pick = malloc((n ? n : 1) * sizeof *pick);
    double *xt = NULL, *s = NULL, *csum = NULL;
    if (!size || !start || !order || !pick)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        if (size[cluster[i]]++ == 0)
            x.nonempty++;
    size_t *take = size + k;
    x.size = size;
    x.start = start;
    x.order = order;
    x.pick = pick;
    x.m = draw_sample(cluster, n, k, size, x.nonempty, sample, seed, take, pick);
    s = malloc((x.m ? x.m : 1) * sizeof *s);
    if (!s)
        goto nomem;
    x.s = s;
    if (x.nonempty >= 2) {
        if (build_order(&x, start, order, &xt))
            goto nomem;
        x.xt = xt;
        if (run_points(&x, threads))
            goto nomem;
    } else {
        for (size_t j = 0; j < x.m; j++)
            s[j] = NAN;
    }
    if (point)
        for (size_t i = 0; i < n; i++)
            point[i] = NAN;
    if (in_sample)
        memset(in_sample, 0, n);
    /* the means: per cluster, then weighted by the clusters' sizes */
    csum = calloc((size_t)k * 2 + 1, sizeof *csum);
    if (!csum)
        goto nomem;
    double *cvar = csum + k, total = 0.0;
    for (size_t j = 0; j < x.m; j++) {
        if (point)
            point[pick[j]] = s[j];
        if (in_sample)
            in_sample[pick[j]] = 1;
        csum[cluster[pick[j]]] += s[j];
        total += s[j];
    }
    for (size_t j = 0; j < x.m; j++) {
        unsigned c = (unsigned)cluster[pick[j]];
        double dev = s[j] - csum[c] / (double)take[c];
        cvar[c] += dev * dev;
    }
    int exact = x.m == n;
    double mean = 0.0, var = 0.0;
    for (unsigned c = 0; c < k; c++) {
        double cm = take[c] ? csum[c] / (double)take[c] : NAN, cse = NAN;
        if (take[c]) {
            double v = take[c] > 1 ? cvar[c] / (double)(take[c] - 1) : 0.0;
            double fpc = 1.0 - (double)take[c] / (double)size[c];
            cse = isnan(cm) ? NAN : sqrt(fpc * v / (double)take[c]);
            double w = (double)size[c] / (double)n;
            mean += w * cm;
            var += w * w * cse * cse;
        }
        if (cluster_mean)
            cluster_mean[c] = cm;
        if (cluster_std_error)
            cluster_std_error[c] = exact && !isnan(cm) ? 0.0 : cse;
    }
    if (exact) /* the exact mean, summed as the points come */
        mean = n ? total / (double)n : NAN;
    if (est) {
        est->n = n;
        est->sample = x.m;
        est->exact = exact;
        est->mean = n ? mean : NAN;
        est->std_error = isnan(est->mean) ? NAN : exact ? 0.0 : sqrt(var);
    }
    free(csum);
    free(size);
    free(start);
    free(order);
    free(pick);
    free(xt);
    free(s);
    return EKM_OK;
nomem:
    free(size);
    free(start);
    free(order);
    free(pick);
    free(xt);
    free(s);
    return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0,
                         "out of memory for the silhouette of %zu points", n);
}

ekm_status ekm_silhouette(const ekm_dissim *dm, const int32_t *cluster, unsigned k,
                          double *point, double *cluster_mean, double *mean, ekm_error *err)
{
    ekm_silhouette_estimate est;
    ekm_status st = ekm_silhouette_sampled(dm, cluster, k, SIZE_MAX, 0, 0, point, NULL,
                                           cluster_mean, NULL, &est, err);
    if (!st && mean)
        *mean = est.mean;
    return st;
}
