/* kernel.c — min+sum kernels: on x86-64 with runtime dispatch (SSE2 baseline,
 * AVX2, AVX-512F), elsewhere (or with EKM_PORTABLE) a portable scalar kernel with
 * the same blocking. See kernel.h for the rounding argument.
 *
 * Each kernel loads a block of the prefix vector once and reuses it for four
 * candidate rows (1.25 loads per point-evaluation instead of 2), keeps two float
 * accumulators per row, and folds them into double accumulators every block.
 */
#define _GNU_SOURCE
#include "kernel.h"
#include "simd_fold.h"

#include <stdlib.h>
#include <string.h>

/* Portable: the same blocks as the SIMD kernels (at most 64 float terms per
 * accumulator, folded into double every block), one accumulator per row. */
static void eval4_portable(const float *m, const float *const r[4], size_t npad, double out[4])
{
    double dacc[4] = {0, 0, 0, 0};
    for (size_t b = 0; b < npad; b += 64) {
        size_t e = b + 64 < npad ? b + 64 : npad;
        for (int j = 0; j < 4; j++) {
            float a = 0.0f;
            for (size_t p = b; p < e; p++)
                a += m[p] < r[j][p] ? m[p] : r[j][p];
            dacc[j] += (double)a;
        }
    }
    for (int j = 0; j < 4; j++)
        out[j] = dacc[j];
}

static void min_portable(float *dst, const float *a, const float *b, size_t npad)
{
    for (size_t p = 0; p < npad; p++)
        dst[p] = a[p] < b[p] ? a[p] : b[p];
}

ekm__kernel ekm__kernel_portable(void)
{
    return (ekm__kernel){eval4_portable, min_portable, "portable"};
}

#if EKM__X86_SIMD
#include <immintrin.h>

static void eval4_sse2(const float *m, const float *const r[4], size_t npad, double out[4])
{
    __m128d dacc[4] = {_mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd()};
    /* block: 256 points: 32 terms per lane in each of 2 accumulators, 64 once folded */
    for (size_t b = 0; b < npad; b += 256) {
        size_t e = b + 256 < npad ? b + 256 : npad;
        __m128 a0[4], a1[4];
        for (int j = 0; j < 4; j++)
            a0[j] = a1[j] = _mm_setzero_ps();
        for (size_t p = b; p < e; p += 8) {
            __m128 m0 = _mm_load_ps(m + p), m1 = _mm_load_ps(m + p + 4);
            for (int j = 0; j < 4; j++) {
                a0[j] = _mm_add_ps(a0[j], _mm_min_ps(m0, _mm_load_ps(r[j] + p)));
                a1[j] = _mm_add_ps(a1[j], _mm_min_ps(m1, _mm_load_ps(r[j] + p + 4)));
            }
        }
        ekm__fold128x4(dacc, a0, a1);
    }
    ekm__reduce4_sse2(dacc, out);
}

static void min_sse2(float *dst, const float *a, const float *b, size_t npad)
{
    for (size_t p = 0; p < npad; p += 4)
        _mm_store_ps(dst + p, _mm_min_ps(_mm_load_ps(a + p), _mm_load_ps(b + p)));
}

__attribute__((target("avx2"))) static void eval4_avx2(const float *m, const float *const r[4],
                                                      size_t npad, double out[4])
{
    const float *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3];
    __m256d d0 = _mm256_setzero_pd(), d1 = d0, d2 = d0, d3 = d0;
    /* block: 512 points: 32 terms per lane in each of 2 accumulators, 64 once folded */
    for (size_t b = 0; b < npad; b += 512) {
        size_t e = b + 512 < npad ? b + 512 : npad;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        __m256 c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        for (size_t p = b; p < e; p += 16) {
            __m256 m0 = _mm256_load_ps(m + p), m1 = _mm256_load_ps(m + p + 8);
            a0 = _mm256_add_ps(a0, _mm256_min_ps(m0, _mm256_load_ps(r0 + p)));
            a1 = _mm256_add_ps(a1, _mm256_min_ps(m0, _mm256_load_ps(r1 + p)));
            a2 = _mm256_add_ps(a2, _mm256_min_ps(m0, _mm256_load_ps(r2 + p)));
            a3 = _mm256_add_ps(a3, _mm256_min_ps(m0, _mm256_load_ps(r3 + p)));
            c0 = _mm256_add_ps(c0, _mm256_min_ps(m1, _mm256_load_ps(r0 + p + 8)));
            c1 = _mm256_add_ps(c1, _mm256_min_ps(m1, _mm256_load_ps(r1 + p + 8)));
            c2 = _mm256_add_ps(c2, _mm256_min_ps(m1, _mm256_load_ps(r2 + p + 8)));
            c3 = _mm256_add_ps(c3, _mm256_min_ps(m1, _mm256_load_ps(r3 + p + 8)));
        }
        d0 = ekm__fold256(d0, a0, c0);
        d1 = ekm__fold256(d1, a1, c1);
        d2 = ekm__fold256(d2, a2, c2);
        d3 = ekm__fold256(d3, a3, c3);
    }
    __m256d d[4] = {d0, d1, d2, d3};
    ekm__reduce4(d, out);
}

__attribute__((target("avx2"))) static void min_avx2(float *dst, const float *a, const float *b,
                                                    size_t npad)
{
    for (size_t p = 0; p < npad; p += 8)
        _mm256_store_ps(dst + p, _mm256_min_ps(_mm256_load_ps(a + p), _mm256_load_ps(b + p)));
}

__attribute__((target("avx512f"))) static void eval4_avx512(const float *m, const float *const r[4],
                                                           size_t npad, double out[4])
{
    const float *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3];
    __m512d d0 = _mm512_setzero_pd(), d1 = d0, d2 = d0, d3 = d0;
    /* block: 1024 points: 32 terms per lane in each of 2 accumulators, 64 once
     * folded; npad is a multiple of 16, so a block may end after one vector. */
    for (size_t b = 0; b < npad; b += 1024) {
        size_t e = b + 1024 < npad ? b + 1024 : npad;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        __m512 c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        size_t p = b;
        for (; p + 32 <= e; p += 32) {
            __m512 m0 = _mm512_load_ps(m + p), m1 = _mm512_load_ps(m + p + 16);
            a0 = _mm512_add_ps(a0, _mm512_min_ps(m0, _mm512_load_ps(r0 + p)));
            a1 = _mm512_add_ps(a1, _mm512_min_ps(m0, _mm512_load_ps(r1 + p)));
            a2 = _mm512_add_ps(a2, _mm512_min_ps(m0, _mm512_load_ps(r2 + p)));
            a3 = _mm512_add_ps(a3, _mm512_min_ps(m0, _mm512_load_ps(r3 + p)));
            c0 = _mm512_add_ps(c0, _mm512_min_ps(m1, _mm512_load_ps(r0 + p + 16)));
            c1 = _mm512_add_ps(c1, _mm512_min_ps(m1, _mm512_load_ps(r1 + p + 16)));
            c2 = _mm512_add_ps(c2, _mm512_min_ps(m1, _mm512_load_ps(r2 + p + 16)));
            c3 = _mm512_add_ps(c3, _mm512_min_ps(m1, _mm512_load_ps(r3 + p + 16)));
        }
        if (p < e) {
            __m512 m0 = _mm512_load_ps(m + p);
            a0 = _mm512_add_ps(a0, _mm512_min_ps(m0, _mm512_load_ps(r0 + p)));
            a1 = _mm512_add_ps(a1, _mm512_min_ps(m0, _mm512_load_ps(r1 + p)));
            a2 = _mm512_add_ps(a2, _mm512_min_ps(m0, _mm512_load_ps(r2 + p)));
            a3 = _mm512_add_ps(a3, _mm512_min_ps(m0, _mm512_load_ps(r3 + p)));
        }
#define EKM_FOLD512(d, a, c)                                                                   \
    do {                                                                                       \
        __m512 s_ = _mm512_add_ps(a, c);                                                       \
        d = _mm512_add_pd(d, _mm512_cvtps_pd(_mm512_castps512_ps256(s_)));                     \
        d = _mm512_add_pd(d, _mm512_cvtps_pd(_mm256_castpd_ps(                                 \
                                 _mm512_extractf64x4_pd(_mm512_castps_pd(s_), 1))));           \
    } while (0)
        EKM_FOLD512(d0, a0, c0);
        EKM_FOLD512(d1, a1, c1);
        EKM_FOLD512(d2, a2, c2);
        EKM_FOLD512(d3, a3, c3);
#undef EKM_FOLD512
    }
    out[0] = _mm512_reduce_add_pd(d0);
    out[1] = _mm512_reduce_add_pd(d1);
    out[2] = _mm512_reduce_add_pd(d2);
    out[3] = _mm512_reduce_add_pd(d3);
}

__attribute__((target("avx512f"))) static void min_avx512(float *dst, const float *a,
                                                         const float *b, size_t npad)
{
    for (size_t p = 0; p < npad; p += 16)
        _mm512_store_ps(dst + p, _mm512_min_ps(_mm512_load_ps(a + p), _mm512_load_ps(b + p)));
}

ekm__kernel ekm__kernel_select(void)
{
    const char *force = getenv("EKM_KERNEL");
    if (force && strcmp(force, "portable") == 0)
        return ekm__kernel_portable();
    const ekm__kernel sse2 = {eval4_sse2, min_sse2, "sse2"};
    const ekm__kernel avx2 = {eval4_avx2, min_avx2, "avx2"};
    const ekm__kernel avx512 = {eval4_avx512, min_avx512, "avx512"};
    __builtin_cpu_init();
    int has2 = __builtin_cpu_supports("avx2"), has512 = __builtin_cpu_supports("avx512f");
    if (force) {
        if (strcmp(force, "sse2") == 0)
            return sse2;
        if (strcmp(force, "avx2") == 0 && has2)
            return avx2;
        if (strcmp(force, "avx512") == 0 && has512)
            return avx512;
    }
    if (has2)
        return avx2; /* AVX-512 is opt-in: see the benchmark figures in the README */
    return sse2;
}

#else /* !EKM__X86_SIMD */

ekm__kernel ekm__kernel_select(void)
{
    return ekm__kernel_portable();
}

#endif /* EKM__X86_SIMD */

void ekm__eval_rows(const ekm__kernel *kern, const float *m, const float *base, size_t stride,
                    size_t npad, uint32_t l0, uint32_t l1, double *out)
{
    uint32_t l = l0;
    for (; l + 4 <= l1; l += 4) {
        const float *r[4] = {base + (size_t)l * stride, base + (size_t)(l + 1) * stride,
                             base + (size_t)(l + 2) * stride, base + (size_t)(l + 3) * stride};
        kern->eval4(m, r, npad, out + (l - l0));
    }
    if (l < l1) {
        const float *r[4];
        double tmp[4];
        for (int j = 0; j < 4; j++)
            r[j] = base + (size_t)(l + j < l1 ? l + j : l1 - 1) * stride;
        kern->eval4(m, r, npad, tmp);
        for (uint32_t j = 0; l + j < l1; j++)
            out[l - l0 + j] = tmp[j];
    }
}
