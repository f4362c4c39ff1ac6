/* prune_kernel.c — ρ_j = Σ_p min(0, d_jp − λ_p) for four rows at a time, with
 * runtime dispatch on x86-64 (SSE2 baseline, AVX2) and a portable scalar kernel
 * with the same blocking (other architectures, EKM_PORTABLE); see prune_kernel.h for the rounding
 * argument. Like kernel.c, each block of λ is loaded once for four rows, two
 * float accumulators per row take 8 terms each per block, and the block's
 * 16-term lane sums are folded into double accumulators. */
#define _GNU_SOURCE
#include "prune_kernel.h"
#include "simd_fold.h"

#include <stdlib.h>
#include <string.h>

/* Portable: blocks of 16 float terms per row, folded into double every block. */
static void rho4_scalar(const float *lam, const float *const r[4], size_t npad, double out[4])
{
    double dacc[4] = {0, 0, 0, 0};
    for (size_t b = 0; b < npad; b += 16) {
        size_t e = b + 16 < npad ? b + 16 : npad;
        for (int j = 0; j < 4; j++) {
            float a = 0.0f;
            for (size_t p = b; p < e; p++) {
                float t = r[j][p] - lam[p];
                a += t < 0.0f ? t : 0.0f;
            }
            dacc[j] += (double)a;
        }
    }
    for (int j = 0; j < 4; j++)
        out[j] = dacc[j];
}

static double minsum_scalar(const float *a, const float *b, size_t npad)
{
    double s = 0.0;
    for (size_t p = 0; p < npad; p++)
        s += (double)(a[p] < b[p] ? a[p] : b[p]);
    return s;
}

ekm__rho4_fn ekm__rho4_portable(void)
{
    return rho4_scalar;
}

ekm__minsum_fn ekm__minsum_portable(void)
{
    return minsum_scalar;
}

static int force_portable(void)
{
    const char *force = getenv("EKM_KERNEL");
    return force && strcmp(force, "portable") == 0;
}

#if EKM__X86_SIMD

static void rho4_sse2(const float *lam, const float *const r[4], size_t npad, double out[4])
{
    const __m128 zero = _mm_setzero_ps();
    __m128d dacc[4] = {_mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd()};
    /* block: 64 points: 8 terms per lane in each of 2 accumulators, 16 once folded */
    for (size_t b = 0; b < npad; b += 64) {
        size_t e = b + 64 < npad ? b + 64 : npad;
        __m128 a0[4], a1[4];
        for (int j = 0; j < 4; j++)
            a0[j] = a1[j] = zero;
        for (size_t p = b; p < e; p += 8) {
            __m128 l0 = _mm_load_ps(lam + p), l1 = _mm_load_ps(lam + p + 4);
            for (int j = 0; j < 4; j++) {
                a0[j] = _mm_add_ps(a0[j], _mm_min_ps(zero, _mm_sub_ps(_mm_load_ps(r[j] + p), l0)));
                a1[j] = _mm_add_ps(a1[j],
                                   _mm_min_ps(zero, _mm_sub_ps(_mm_load_ps(r[j] + p + 4), l1)));
            }
        }
        ekm__fold128x4(dacc, a0, a1);
    }
    ekm__reduce4_sse2(dacc, out);
}

__attribute__((target("avx2"))) static void rho4_avx2(const float *lam, const float *const r[4],
                                                     size_t npad, double out[4])
{
    const float *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3];
    const __m256 zero = _mm256_setzero_ps();
    __m256d d0 = _mm256_setzero_pd(), d1 = d0, d2 = d0, d3 = d0;
    /* block: 128 points: 8 terms per lane in each of 2 accumulators, 16 once folded */
    for (size_t b = 0; b < npad; b += 128) {
        size_t e = b + 128 < npad ? b + 128 : npad;
        __m256 a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        __m256 c0 = zero, c1 = zero, c2 = zero, c3 = zero;
        for (size_t p = b; p < e; p += 16) {
            __m256 l0 = _mm256_load_ps(lam + p), l1 = _mm256_load_ps(lam + p + 8);
#define EKM_TERM(row, off, l) _mm256_min_ps(zero, _mm256_sub_ps(_mm256_load_ps((row) + p + (off)), l))
            a0 = _mm256_add_ps(a0, EKM_TERM(r0, 0, l0));
            a1 = _mm256_add_ps(a1, EKM_TERM(r1, 0, l0));
            a2 = _mm256_add_ps(a2, EKM_TERM(r2, 0, l0));
            a3 = _mm256_add_ps(a3, EKM_TERM(r3, 0, l0));
            c0 = _mm256_add_ps(c0, EKM_TERM(r0, 8, l1));
            c1 = _mm256_add_ps(c1, EKM_TERM(r1, 8, l1));
            c2 = _mm256_add_ps(c2, EKM_TERM(r2, 8, l1));
            c3 = _mm256_add_ps(c3, EKM_TERM(r3, 8, l1));
#undef EKM_TERM
        }
        d0 = ekm__fold256(d0, a0, c0);
        d1 = ekm__fold256(d1, a1, c1);
        d2 = ekm__fold256(d2, a2, c2);
        d3 = ekm__fold256(d3, a3, c3);
    }
    __m256d d[4] = {d0, d1, d2, d3};
    ekm__reduce4(d, out);
}

static double minsum_sse2(const float *a, const float *b, size_t npad)
{
    __m128d s0 = _mm_setzero_pd(), s1 = s0;
    for (size_t p = 0; p < npad; p += 4) {
        __m128 m = _mm_min_ps(_mm_load_ps(a + p), _mm_load_ps(b + p));
        s0 = _mm_add_pd(s0, _mm_cvtps_pd(m));
        s1 = _mm_add_pd(s1, _mm_cvtps_pd(_mm_movehl_ps(m, m)));
    }
    double t[2];
    _mm_storeu_pd(t, _mm_add_pd(s0, s1));
    return t[0] + t[1];
}

__attribute__((target("avx2"))) static double minsum_avx2(const float *a, const float *b,
                                                         size_t npad)
{
    __m256d s0 = _mm256_setzero_pd(), s1 = s0;
    for (size_t p = 0; p < npad; p += 8) {
        __m256 m = _mm256_min_ps(_mm256_load_ps(a + p), _mm256_load_ps(b + p));
        s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm256_castps256_ps128(m)));
        s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm256_extractf128_ps(m, 1)));
    }
    double t[4];
    _mm256_storeu_pd(t, _mm256_add_pd(s0, s1));
    return (t[0] + t[1]) + (t[2] + t[3]);
}

ekm__minsum_fn ekm__minsum_select(void)
{
    if (force_portable())
        return minsum_scalar;
    __builtin_cpu_init();
    const char *force = getenv("EKM_KERNEL");
    if (force && strcmp(force, "sse2") == 0)
        return minsum_sse2;
    return __builtin_cpu_supports("avx2") ? minsum_avx2 : minsum_sse2;
}

ekm__rho4_fn ekm__rho4_select(void)
{
    if (force_portable())
        return rho4_scalar;
    __builtin_cpu_init();
    const char *force = getenv("EKM_KERNEL");
    if (force && strcmp(force, "sse2") == 0)
        return rho4_sse2;
    return __builtin_cpu_supports("avx2") ? rho4_avx2 : rho4_sse2;
}

#else /* !EKM__X86_SIMD */

ekm__minsum_fn ekm__minsum_select(void)
{
    (void)force_portable;
    return minsum_scalar;
}

ekm__rho4_fn ekm__rho4_select(void)
{
    return rho4_scalar;
}

#endif /* EKM__X86_SIMD */

double ekm__rho_rel_err(size_t n)
{
    const double u = 1.0 / 16777216.0;
    return 16.01 * u + (double)n * 0x1p-53;
}
