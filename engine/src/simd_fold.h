/* simd_fold.h — the AVX2 tail shared by the min+sum kernels (kernel.c) and the
 * bound kernels (prune_kernel.c): float block sums folded into double lanes,
 * and four double accumulators reduced to four sums; the same for SSE2 (private). */
#ifndef EKM_SIMD_FOLD_H
#define EKM_SIMD_FOLD_H

/* EKM__X86_SIMD: 1 where the x86-64 intrinsics are compiled (SSE2 baseline, AVX2,
 * AVX-512F with runtime dispatch); 0 on other architectures and with EKM_PORTABLE
 * (CMake -DEKM_PORTABLE=ON), where only the portable scalar kernels are built. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(EKM_PORTABLE)
#define EKM__X86_SIMD 1
#else
#define EKM__X86_SIMD 0
#endif

#if EKM__X86_SIMD
#include <immintrin.h>

/* d += a + c, the eight float lanes widened to double. */
__attribute__((target("avx2"))) static inline __m256d ekm__fold256(__m256d d, __m256 a, __m256 c)
{
    __m256 s = _mm256_add_ps(a, c);
    d = _mm256_add_pd(d, _mm256_cvtps_pd(_mm256_castps256_ps128(s)));
    return _mm256_add_pd(d, _mm256_cvtps_pd(_mm256_extractf128_ps(s, 1)));
}

/* out[j] = the sum of d[j]'s four lanes, in a fixed order. */
__attribute__((target("avx2"))) static inline void ekm__reduce4(const __m256d d[4], double out[4])
{
    for (int j = 0; j < 4; j++) {
        double t[4];
        _mm256_storeu_pd(t, d[j]);
        out[j] = (t[0] + t[1]) + (t[2] + t[3]);
    }
}

/* SSE2 (every x86-64): dacc[j] += a0[j] + a1[j] widened to double, for j < 4. */
static inline void ekm__fold128x4(__m128d dacc[4], const __m128 a0[4], const __m128 a1[4])
{
    for (int j = 0; j < 4; j++) {
        __m128 s = _mm_add_ps(a0[j], a1[j]);
        dacc[j] = _mm_add_pd(dacc[j], _mm_cvtps_pd(s));
        dacc[j] = _mm_add_pd(dacc[j], _mm_cvtps_pd(_mm_movehl_ps(s, s)));
    }
}

/* SSE2: out[j] = the sum of dacc[j]'s two lanes. */
static inline void ekm__reduce4_sse2(const __m128d dacc[4], double out[4])
{
    for (int j = 0; j < 4; j++) {
        double t[2];
        _mm_storeu_pd(t, dacc[j]);
        out[j] = t[0] + t[1];
    }
}

#endif /* EKM__X86_SIMD */

#endif
