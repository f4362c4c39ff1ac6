/* dissim.c — the float32 dissimilarity matrix with aligned, zero-padded rows,
 * and the double-precision objective used for every reported figure.
 *
 * Range. The float rows hold fl(d * scale) for a power of two `scale` chosen
 * from the data (exact in binary: the only rounding is the one to float). It
 * is 1 when an upper bound B on every dissimilarity lies in [2^-40, 2^100];
 * otherwise it brings B just under 2^100. So no float entry, and no float
 * partial sum of fewer than 2^27 entries, can overflow, and data of tiny
 * magnitude stays in float's normal range. Where the data's dynamic range is
 * wider than float's (a nonzero d whose scaled value falls below FLT_MIN),
 * the rounding error of such an entry is absolute, at most 2^-150, and
 * ekm_dissim_float_abs_err() reports n * 2^-149 for the filters to add (float
 * additions whose results are subnormal are exact, so sums add nothing else).
 * Dissimilarities must be finite and at most DBL_MAX / (2n), so that every
 * objective, a sum of n of them, is finite in double. */
#include "ekm/dissim.h"

#include "ekm/checkpoint.h"
#include "dissim_rows.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ekm_dissim {
    atomic_int refs;
    size_t n;
    size_t stride;       /* floats per row, multiple of 16 */
    ekm_metric metric;
    float *rows;         /* n * stride, 64-byte aligned */
    ekm_dataset *ds;     /* source coordinates (NULL for a precomputed matrix) */
    double *exact;       /* n * n doubles for a precomputed matrix */
    double *xt;          /* matrix-free: the coordinates transposed (d * n), for rows */
    ekm__spatial *spatial; /* matrix-free: the points in blocks of nearby points, for ρ */
    char *name;
    double scale;        /* rows hold fl(d * scale), a power of two */
    double abs_err;      /* n * 2^-149 when some nonzero d fell below FLT_MIN, else 0 */
};

/* The power of two for an upper bound b on every dissimilarity (see the banner). */
static double scale_for_bound(double b)
{
    if (!(b > 0.0))
        return 1.0;
    if (!isfinite(b))
        b = DBL_MAX;
    if (b >= 0x1p-40 && b <= 0x1p100)
        return 1.0;
    int e;
    frexp(b, &e); /* b < 2^e */
    int s = 100 - e;
    if (s > 1023)
        s = 1023;
    return ldexp(1.0, s);
}

/* The largest dissimilarity accepted for n points. */
static double max_dissim_for(size_t n) { return DBL_MAX / (2.0 * (double)(n ? n : 1)); }

/* An upper bound on every dissimilarity of the dataset: from the bounding box. */
static double dataset_bound(const ekm_dataset *ds, ekm_metric metric)
{
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    const double *x = ekm_dataset_coords(ds);
    double b = 0.0;
    for (size_t j = 0; j < d; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * d + j];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        double r = hi - lo;
        b += metric == EKM_METRIC_MANHATTAN ? r : r * r;
    }
    return metric == EKM_METRIC_EUCLIDEAN ? sqrt(b) : b;
}

const char *ekm_metric_name(ekm_metric m)
{
    switch (m) {
    case EKM_METRIC_EUCLIDEAN: return "euclidean";
    case EKM_METRIC_SQEUCLIDEAN: return "sqeuclidean";
    case EKM_METRIC_MANHATTAN: return "manhattan";
    case EKM_METRIC_PRECOMPUTED: return "precomputed";
    }
    return "unknown";
}

int ekm_metric_parse(const char *name, ekm_metric *out)
{
    static const ekm_metric all[] = {EKM_METRIC_EUCLIDEAN, EKM_METRIC_SQEUCLIDEAN,
                                     EKM_METRIC_MANHATTAN};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (name && strcmp(name, ekm_metric_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

static size_t stride_for(size_t n) { return (n + 15) / 16 * 16; }

uint64_t ekm_dissim_bytes_for(size_t n)
{
    uint64_t s = stride_for(n);
    if (n && s > UINT64_MAX / 4 / n)
        return UINT64_MAX;
    return (uint64_t)n * s * 4;
}

/* Allocate the matrix shell; refuses a matrix larger than the machine's memory. */
static ekm_status dissim_alloc(size_t n, const char *name, ekm_dissim **out, ekm_error *err)
{
    *out = NULL;
    if (n == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0, "no points");
    if (n > UINT32_MAX - 16)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, name, 0, 0, "%zu points: too many", n);
    uint64_t bytes = ekm_dissim_bytes_for(n), mem = ekm_memory_bytes();
    if (bytes == UINT64_MAX || (mem && bytes > mem / 10 * 9))
        return ekm_error_set(err, EKM_ERR_TOO_BIG, name, 0, 0,
                             "the %zu x %zu dissimilarity matrix needs %.1f GiB, more than "
                             "this machine's %.1f GiB of memory",
                             n, n, (double)bytes / 1073741824.0, (double)mem / 1073741824.0);
    ekm_dissim *dm = calloc(1, sizeof *dm);
    if (!dm)
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
    dm->n = n;
    dm->stride = stride_for(n);
    dm->scale = 1.0;
    dm->rows = aligned_alloc(64, (size_t)bytes);
    dm->name = strdup(name ? name : "");
    if (!dm->rows || !dm->name) {
        free(dm->rows);
        free(dm->name);
        free(dm);
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0,
                             "out of memory for a %.1f MiB matrix", (double)bytes / 1048576.0);
    }
    atomic_init(&dm->refs, 1);
    *out = dm;
    return EKM_OK;
}

static double coord_distance(ekm_metric metric, const double *a, const double *b, size_t d)
{
    double s = 0.0;
    switch (metric) {
    case EKM_METRIC_MANHATTAN:
        for (size_t j = 0; j < d; j++)
            s += fabs(a[j] - b[j]);
        return s;
    case EKM_METRIC_SQEUCLIDEAN:
    case EKM_METRIC_EUCLIDEAN:
    default:
        for (size_t j = 0; j < d; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return metric == EKM_METRIC_EUCLIDEAN ? sqrt(s) : s;
    }
}

/* Filling the matrix in parallel. Threads take rows of 64x64 tiles from an
 * atomic counter; a tile (I,J) with I <= J is computed once and written to both
 * (I,J) and its transpose (J,I). Every entry has exactly one writer, and the
 * threads are joined before the matrix is used: no lock needed. */
enum { FILL_TILE = 64, FILL_MAX_THREADS = 64 };

typedef struct fill_args {
    ekm_dissim *dm;
    const double *x;
    size_t d;
    ekm_metric metric;
    atomic_size_t next_tile_row;
    double scale, limit;        /* dm's scale; the largest dissimilarity accepted */
    atomic_size_t bad_i, bad_j; /* first overflow seen (SIZE_MAX: none) */
    atomic_int tiny;            /* some nonzero d scaled below FLT_MIN */
} fill_args;

static void *fill_worker(void *p)
{
    fill_args *a = p;
    ekm_dissim *dm = a->dm;
    size_t n = dm->n, d = a->d, tiles = (n + FILL_TILE - 1) / FILL_TILE;
    for (;;) {
        size_t ti = atomic_fetch_add(&a->next_tile_row, 1);
        if (ti >= tiles)
            break;
        int tiny = 0;
        size_t i0 = ti * FILL_TILE, i1 = i0 + FILL_TILE < n ? i0 + FILL_TILE : n;
        for (size_t i = i0; i < i1; i++) {
            float *ri = dm->rows + i * dm->stride;
            ri[i] = 0.0f;
            for (size_t j = n; j < dm->stride; j++)
                ri[j] = 0.0f;
        }
        for (size_t tj = ti; tj < tiles; tj++) {
            size_t j0 = tj * FILL_TILE, j1 = j0 + FILL_TILE < n ? j0 + FILL_TILE : n;
            for (size_t i = i0; i < i1; i++) {
                float *ri = dm->rows + i * dm->stride;
                for (size_t j = j0 > i + 1 ? j0 : i + 1; j < j1; j++) {
                    /* the same expression as ekm__dissim_fill_row: bit-identical rows */
                    double e = coord_distance(a->metric, a->x + i * d, a->x + j * d, d);
                    if (!(e <= a->limit)) { /* too large, or not a number */
                        size_t none = SIZE_MAX;
                        if (atomic_compare_exchange_strong(&a->bad_i, &none, i))
                            atomic_store(&a->bad_j, j);
                        e = 0.0;
                    }
                    float v = (float)(e * a->scale);
                    tiny |= e > 0.0 && v < FLT_MIN;
                    ri[j] = v;
                    dm->rows[j * dm->stride + i] = v;
                }
            }
        }
        if (tiny)
            atomic_store(&a->tiny, 1);
    }
    return NULL;
}

ekm_status ekm_dissim_from_dataset(ekm_dataset *ds, ekm_metric metric, ekm_dissim **out,
                                   ekm_error *err)
{
    return ekm_dissim_from_dataset_threads(ds, metric, 0, out, err);
}

ekm_status ekm_dissim_from_dataset_threads(ekm_dataset *ds, ekm_metric metric, unsigned threads,
                                           ekm_dissim **out, ekm_error *err)
{
    *out = NULL;
    if (metric == EKM_METRIC_PRECOMPUTED)
        return ekm_error_set(err, EKM_ERR_INVALID, ekm_dataset_name(ds), 0, 0,
                             "a dataset needs a metric, not 'precomputed'");
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    ekm_dissim *dm;
    ekm_status st = dissim_alloc(n, ekm_dataset_name(ds), &dm, err);
    if (st)
        return st;
    dm->metric = metric;
    dm->ds = ekm_dataset_retain(ds);
    dm->scale = scale_for_bound(dataset_bound(ds, metric));
    fill_args a = {.dm = dm, .x = ekm_dataset_coords(ds), .d = d, .metric = metric,
                   .scale = dm->scale, .limit = max_dissim_for(n)};
    if (!threads)
        threads = ekm_cpu_count();
    if (threads > FILL_MAX_THREADS)
        threads = FILL_MAX_THREADS;
    if ((uint64_t)n * n < 1u << 20)
        threads = 1; /* not worth a thread */
    atomic_init(&a.next_tile_row, 0);
    atomic_init(&a.bad_i, SIZE_MAX);
    atomic_init(&a.bad_j, SIZE_MAX);
    atomic_init(&a.tiny, 0);
    pthread_t tid[FILL_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++)
        if (pthread_create(&tid[t], NULL, fill_worker, &a) == 0)
            started = t;
        else
            break;
    fill_worker(&a);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    size_t bi = atomic_load(&a.bad_i), bj = atomic_load(&a.bad_j);
    if (bi != SIZE_MAX) {
        ekm_dissim_release(dm);
        return ekm_error_set(err, EKM_ERR_INVALID, ekm_dataset_name(ds),
                             ekm_dataset_source_line(ds, bi), 0,
                             "the %s dissimilarity of points %zu and %zu is too large for an "
                             "exact objective (over %.3g, or overflows a double); rescale the data",
                             ekm_metric_name(metric), bi, bj, a.limit);
    }
    dm->abs_err = atomic_load(&a.tiny) ? (double)n * 0x1p-149 : 0.0;
    *out = dm;
    return EKM_OK;
}

/* ---- the matrix-free form ---------------------------------------------------- */

/* Whether some nonzero dissimilarity of the dataset could scale below FLT_MIN:
 * a nonzero distance is at least the smallest nonzero gap between two values of
 * one coordinate (euclidean, manhattan; its square for sqeuclidean), so only
 * when that floor is tiny are the pairs scanned. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int lazy_tiny(const ekm_dataset *ds, ekm_metric metric, double scale)
{
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    const double *x = ekm_dataset_coords(ds);
    double *v = malloc((n ? n : 1) * sizeof *v);
    double gap = INFINITY;
    if (v) {
        for (size_t j = 0; j < d; j++) {
            for (size_t i = 0; i < n; i++)
                v[i] = x[i * d + j];
            qsort(v, n, sizeof *v, cmp_double);
            for (size_t i = 1; i < n; i++)
                if (v[i] > v[i - 1] && v[i] - v[i - 1] < gap)
                    gap = v[i] - v[i - 1];
        }
        free(v);
    } else {
        gap = 0.0;
    }
    double floor = metric == EKM_METRIC_SQEUCLIDEAN ? gap * gap : gap;
    /* rounding of the gap and the scaling: a factor 2 of room; squares of
     * gaps below 2^-480 may be subnormal (inexact): then the pairs decide */
    if (floor * scale >= 2.0 * FLT_MIN && (metric == EKM_METRIC_MANHATTAN || gap >= 0x1p-480))
        return 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double e = coord_distance(metric, x + i * d, x + j * d, d);
            float f = (float)(e * scale);
            if (e > 0.0 && f < FLT_MIN)
                return 1;
        }
    return 0;
}

ekm_status ekm_dissim_from_dataset_lazy(ekm_dataset *ds, ekm_metric metric, ekm_dissim **out,
                                        ekm_error *err)
{
    *out = NULL;
    if (metric == EKM_METRIC_PRECOMPUTED)
        return ekm_error_set(err, EKM_ERR_INVALID, ekm_dataset_name(ds), 0, 0,
                             "a dataset needs a metric, not 'precomputed'");
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    const char *name = ekm_dataset_name(ds);
    if (n == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0, "no points");
    if (n > UINT32_MAX - 16)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, name, 0, 0, "%zu points: too many", n);
    /* every dissimilarity below the limit: the bounding box's diameter bounds them */
    double bound = dataset_bound(ds, metric), limit = max_dissim_for(n);
    if (!(bound <= limit)) {
        /* find a pair over the limit, as the matrix would name it */
        const double *x = ekm_dataset_coords(ds);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (!(coord_distance(metric, x + i * d, x + j * d, d) <= limit))
                    return ekm_error_set(err, EKM_ERR_INVALID, name,
                                         ekm_dataset_source_line(ds, i), 0,
                                         "the %s dissimilarity of points %zu and %zu is too "
                                         "large for an exact objective (over %.3g, or "
                                         "overflows a double); rescale the data",
                                         ekm_metric_name(metric), i, j, limit);
    }
    ekm_dissim *dm = calloc(1, sizeof *dm);
    if (!dm || !(dm->name = strdup(name ? name : ""))) {
        free(dm);
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    atomic_init(&dm->refs, 1);
    dm->n = n;
    dm->stride = stride_for(n);
    dm->metric = metric;
    dm->ds = ekm_dataset_retain(ds);
    dm->scale = scale_for_bound(bound);
    dm->abs_err = lazy_tiny(ds, metric, dm->scale) ? (double)n * 0x1p-149 : 0.0;
    dm->xt = malloc(n * (d ? d : 1) * sizeof *dm->xt);
    if (!dm->xt) {
        ekm_dissim_release(dm);
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    const double *x = ekm_dataset_coords(ds);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < d; c++)
            dm->xt[c * n + i] = x[i * d + c];
    if (!(dm->spatial = ekm__spatial_build(x, n, d))) {
        ekm_dissim_release(dm);
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    *out = dm;
    return EKM_OK;
}

int ekm_dissim_has_matrix(const ekm_dissim *dm) { return dm->rows != NULL; }

const double *ekm__dissim_xt(const ekm_dissim *dm) { return dm->xt; }
const ekm__spatial *ekm__dissim_spatial(const ekm_dissim *dm) { return dm->spatial; }

ekm_status ekm_dissim_from_matrix(const char *name, size_t n, const double *values,
                                  ekm_dissim **out, ekm_error *err)
{
    *out = NULL;
    double limit = max_dissim_for(n), bound = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double v = values[i * n + j];
            if (!isfinite(v))
                return ekm_error_set(err, EKM_ERR_PARSE, name, (long)i + 1, (long)j + 1,
                                     "not a finite number");
            if (v < 0)
                return ekm_error_set(err, EKM_ERR_PARSE, name, (long)i + 1, (long)j + 1,
                                     "negative dissimilarity %g", v);
            if (i == j && v != 0)
                return ekm_error_set(err, EKM_ERR_PARSE, name, (long)i + 1, (long)j + 1,
                                     "the diagonal must be 0, found %g", v);
            if (j < i && v != values[j * n + i])
                return ekm_error_set(err, EKM_ERR_PARSE, name, (long)i + 1, (long)j + 1,
                                     "not symmetric: row %zu column %zu is %g but row %zu "
                                     "column %zu is %g",
                                     i + 1, j + 1, v, j + 1, i + 1, values[j * n + i]);
            if (v > limit)
                return ekm_error_set(err, EKM_ERR_PARSE, name, (long)i + 1, (long)j + 1,
                                     "%g is too large for an exact objective of %zu points "
                                     "(at most %.3g)",
                                     v, n, limit);
            bound = v > bound ? v : bound;
        }
    ekm_dissim *dm;
    ekm_status st = dissim_alloc(n, name, &dm, err);
    if (st)
        return st;
    dm->metric = EKM_METRIC_PRECOMPUTED;
    dm->exact = malloc(n * n * sizeof(double));
    if (!dm->exact) {
        ekm_dissim_release(dm);
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    memcpy(dm->exact, values, n * n * sizeof(double));
    dm->scale = scale_for_bound(bound);
    int tiny = 0;
    for (size_t i = 0; i < n; i++) {
        float *ri = dm->rows + i * dm->stride;
        for (size_t j = 0; j < n; j++) {
            double e = values[i * n + j];
            ri[j] = (float)(e * dm->scale);
            tiny |= e > 0.0 && ri[j] < FLT_MIN;
        }
        for (size_t j = n; j < dm->stride; j++)
            ri[j] = 0.0f;
    }
    dm->abs_err = tiny ? (double)n * 0x1p-149 : 0.0;
    *out = dm;
    return EKM_OK;
}

ekm_dissim *ekm_dissim_retain(ekm_dissim *dm)
{
    if (dm)
        atomic_fetch_add_explicit(&dm->refs, 1, memory_order_relaxed);
    return dm;
}

void ekm_dissim_release(ekm_dissim *dm)
{
    if (!dm || atomic_fetch_sub_explicit(&dm->refs, 1, memory_order_acq_rel) != 1)
        return;
    ekm_dataset_release(dm->ds);
    free(dm->xt);
    ekm__spatial_free(dm->spatial);
    free(dm->exact);
    free(dm->rows);
    free(dm->name);
    free(dm);
}

size_t ekm_dissim_n(const ekm_dissim *dm) { return dm->n; }
size_t ekm_dissim_stride(const ekm_dissim *dm) { return dm->stride; }
ekm_metric ekm_dissim_metric(const ekm_dissim *dm) { return dm->metric; }
const char *ekm_dissim_name(const ekm_dissim *dm) { return dm->name; }
ekm_dataset *ekm_dissim_dataset(const ekm_dissim *dm) { return dm->ds; }
const float *ekm_dissim_row(const ekm_dissim *dm, size_t i)
{
    return dm->rows ? dm->rows + i * dm->stride : NULL;
}
double ekm_dissim_float_scale(const ekm_dissim *dm) { return dm->scale; }
double ekm_dissim_float_abs_err(const ekm_dissim *dm) { return dm->abs_err; }

static uint64_t fnv1a_more(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t ekm_dissim_fingerprint(const ekm_dissim *dm)
{
    uint64_t h = 0xcbf29ce484222325ull;
    uint64_t head[3] = {dm->n, dm->ds ? ekm_dataset_d(dm->ds) : 0, (uint64_t)dm->metric};
    h = fnv1a_more(h, head, sizeof head);
    if (dm->ds)
        return fnv1a_more(h, ekm_dataset_coords(dm->ds),
                          dm->n * ekm_dataset_d(dm->ds) * sizeof(double));
    return fnv1a_more(h, dm->exact, dm->n * dm->n * sizeof(double));
}

double ekm_dissim_exact(const ekm_dissim *dm, size_t i, size_t j)
{
    if (dm->exact)
        return dm->exact[i * dm->n + j];
    size_t d = ekm_dataset_d(dm->ds);
    return coord_distance(dm->metric, ekm_dataset_point(dm->ds, i), ekm_dataset_point(dm->ds, j),
                          d);
}

double ekm_dissim_objective(const ekm_dissim *dm, const uint32_t *medoids, size_t k)
{
    return ekm_dissim_assign(dm, medoids, k, NULL, NULL, NULL);
}

double ekm_dissim_assign(const ekm_dissim *dm, const uint32_t *medoids, size_t k,
                         int32_t *cluster, uint32_t *size, double *cost)
{
    if (size)
        memset(size, 0, k * sizeof *size);
    if (cost)
        memset(cost, 0, k * sizeof *cost);
    double total = 0.0;
    for (size_t p = 0; p < dm->n; p++) {
        double best = INFINITY;
        size_t arg = 0;
        for (size_t c = 0; c < k; c++) {
            double v = ekm_dissim_exact(dm, p, medoids[c]);
            if (v < best) {
                best = v;
                arg = c;
            }
        }
        total += best;
        if (cluster)
            cluster[p] = (int32_t)arg;
        if (size)
            size[arg]++;
        if (cost)
            cost[arg] += best;
    }
    return total;
}
