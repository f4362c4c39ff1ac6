/* bench_avx2.c — the hand-written AVX2 reference the engine's kernel is
 * measured against (issues 2 and 3).
 *
 * The same depth-first enumeration of the K-subsets as EKM's seq: each prefix
 * vector m_{j+1} = min(m_j, row) is built with _mm256_min_ps, and for each last
 * index one pass of _mm256_min_ps/_mm256_add_ps runs over the prefix vector and
 * the row (four independent float accumulators, so the loop is bound by loads,
 * not by the latency of one add chain). No selection beyond "keep the smallest
 * float sum", no progress, no cancellation: the plainest fast loop a person
 * would write by hand.
 *
 * Threads: worker threads take first indices from an atomic counter (the first
 * index 0 carries the most work, so handing them out in order balances well);
 * each keeps its own prefix vectors and best; the bests are merged after join.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

/* The reference is x86-64 AVX2 code: on other architectures, or built with
 * EKM_PORTABLE, it is absent (bench_avx2_available() says 0 and the benchmark
 * leaves out the parts that compare against it). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(EKM_PORTABLE)
#include <immintrin.h>

typedef struct ref_shared {
    const float *base;
    size_t stride;   /* floats per row = the padded length of every vector */
    uint32_t n;
    unsigned k;
    atomic_uint next_first;
} ref_shared;

typedef struct ref_worker {
    ref_shared *sh;
    float *m;        /* (k + 1) * stride prefix vectors, 64-byte aligned */
    uint32_t set[EKM_MAX_K];
    double best;
    uint32_t best_set[EKM_MAX_K];
    uint64_t count;
    pthread_t tid;
} ref_worker;

int bench_avx2_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

/* ---------------------------------------------------------------------------
 * ref_last — the last level: for every l in [from, n), sum_p min(m[p], D[l][p]).
 * m: the prefix vector (stride floats, zero padded). Keeps the smallest sum and
 * its set in w. Reference: He & Little (2024), EKM's evaluation of a K-subset as
 * the sum of each point's distance to its nearest medoid.
 * ------------------------------------------------------------------------- */
__attribute__((target("avx2"))) static void ref_last(ref_worker *w, const float *m,
                                                     uint32_t from, unsigned last)
{
    const ref_shared *sh = w->sh;
    size_t np = sh->stride;
    for (uint32_t l = from; l < sh->n; l++) {
        const float *r = sh->base + (size_t)l * np;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        size_t p = 0;
        for (; p + 32 <= np; p += 32) {
            a0 = _mm256_add_ps(a0, _mm256_min_ps(_mm256_load_ps(m + p), _mm256_load_ps(r + p)));
            a1 = _mm256_add_ps(a1, _mm256_min_ps(_mm256_load_ps(m + p + 8),
                                                 _mm256_load_ps(r + p + 8)));
            a2 = _mm256_add_ps(a2, _mm256_min_ps(_mm256_load_ps(m + p + 16),
                                                 _mm256_load_ps(r + p + 16)));
            a3 = _mm256_add_ps(a3, _mm256_min_ps(_mm256_load_ps(m + p + 24),
                                                 _mm256_load_ps(r + p + 24)));
        }
        for (; p < np; p += 8)
            a0 = _mm256_add_ps(a0, _mm256_min_ps(_mm256_load_ps(m + p), _mm256_load_ps(r + p)));
        __m256 s = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
        h = _mm_add_ps(h, _mm_movehl_ps(h, h));
        h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
        double v = _mm_cvtss_f32(h);
        if (v < w->best) {
            w->best = v;
            w->set[last] = l;
            memcpy(w->best_set, w->set, sh->k * sizeof *w->set);
        }
    }
    w->count += sh->n > from ? sh->n - from : 0;
}

/* dst = min(a, row v) over stride floats. */
__attribute__((target("avx2"))) static void ref_min(float *dst, const float *a, const float *b,
                                                    size_t np)
{
    for (size_t p = 0; p < np; p += 8)
        _mm256_store_ps(dst + p, _mm256_min_ps(_mm256_load_ps(a + p), _mm256_load_ps(b + p)));
}

/* Level j >= 1 of the walk: indices from `start`, prefix vector j in w->m. */
__attribute__((target("avx2"))) static void ref_level(ref_worker *w, unsigned j, uint32_t start)
{
    const ref_shared *sh = w->sh;
    size_t np = sh->stride;
    const float *mj = w->m + (size_t)j * np;
    if (j == sh->k - 1) {
        ref_last(w, mj, start, j);
        return;
    }
    float *next = w->m + (size_t)(j + 1) * np;
    for (uint32_t v = start; v + (sh->k - 1 - j) < sh->n; v++) {
        w->set[j] = v;
        ref_min(next, mj, sh->base + (size_t)v * np, np);
        ref_level(w, j + 1, v + 1);
    }
}

static void *ref_thread(void *arg)
{
    ref_worker *w = arg;
    ref_shared *sh = w->sh;
    if (sh->k == 1) {
        if (atomic_fetch_add(&sh->next_first, 1) == 0)
            ref_last(w, w->m, 0, 0);
        return NULL;
    }
    for (;;) {
        uint32_t i = atomic_fetch_add(&sh->next_first, 1);
        if (i + (sh->k - 1) >= sh->n)
            break;
        w->set[0] = i;
        ref_min(w->m + sh->stride, w->m, sh->base + (size_t)i * sh->stride, sh->stride);
        ref_level(w, 1, i + 1);
    }
    return NULL;
}

int bench_avx2_reference(const ekm_dissim *dm, unsigned k, unsigned threads,
                         bench_ref_result *out)
{
    memset(out, 0, sizeof *out);
    out->best = INFINITY;
    size_t n = ekm_dissim_n(dm);
    if (!bench_avx2_available() || k < 1 || k > EKM_MAX_K || n < k || threads < 1)
        return -1;
    ref_shared sh = {.base = ekm_dissim_row(dm, 0), .stride = ekm_dissim_stride(dm),
                     .n = (uint32_t)n, .k = k};
    atomic_init(&sh.next_first, 0);
    ref_worker *w = calloc(threads, sizeof *w);
    if (!w)
        return -1;
    int rc = 0;
    for (unsigned t = 0; t < threads; t++) {
        w[t].sh = &sh;
        w[t].best = INFINITY;
        w[t].m = aligned_alloc(64, (k + 1) * sh.stride * sizeof(float));
        if (!w[t].m) {
            rc = -1;
            continue;
        }
        for (size_t p = 0; p < sh.stride; p++)
            w[t].m[p] = p < n ? INFINITY : 0.0f;
    }
    unsigned started = 0;
    double t0 = ekm_now();
    if (!rc) {
        for (; started < threads; started++)
            if (pthread_create(&w[started].tid, NULL, ref_thread, &w[started]))
                break;
        if (started == 0)
            rc = -1;
        for (unsigned t = 0; t < started; t++)
            pthread_join(w[t].tid, NULL);
    }
    out->seconds = ekm_now() - t0;
    for (unsigned t = 0; t < threads; t++) {
        if (t < started) {
            out->subsets += w[t].count;
            if (w[t].best < out->best) {
                out->best = w[t].best;
                memcpy(out->best_set, w[t].best_set, k * sizeof *out->best_set);
            }
        }
        free(w[t].m);
    }
    free(w);
    return rc;
}

#else /* no x86-64 AVX2 */

int bench_avx2_available(void)
{
    return 0;
}

int bench_avx2_reference(const ekm_dissim *dm, unsigned k, unsigned threads,
                         bench_ref_result *out)
{
    (void)dm;
    (void)k;
    (void)threads;
    memset(out, 0, sizeof *out);
    out->best = INFINITY;
    return -1;
}

#endif
