/* kernel.h — the fused evaluate kernel of EKM's last level (private).
 *
 * For a prefix vector m (each point's distance to the nearest medoid chosen so
 * far, npad floats, zero padded) and four candidate rows r[0..3] of the float
 * matrix, out[j] = sum_p min(m[p], r[j][p]), accumulated in float within blocks
 * of at most 64 terms per lane and in double across blocks.
 *
 * Rounding: every term is a float rounding of the exact dissimilarity (relative
 * error <= u = 2^-24, plus the double computation of the exact value, < 2^-50);
 * a lane's float partial sum of <= 64 positive terms adds at most 63u relative
 * to the true sum (first order; the second-order terms are < 1e-9 u); the double
 * sums across blocks and lanes add < N 2^-53. So |out - exact| < 65u * exact
 * for any N below 2^26, and EKM_KERNEL_REL_ERR = 128u bounds it with a factor
 * two to spare. Candidates whose float objective comes within that bound of the
 * incumbent are re-evaluated in double (walk.c), so no decision rests on floats.
 */
#ifndef EKM_KERNEL_H
#define EKM_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* A sound bound on the kernel's relative error (128 u, u = 2^-24). */
#define EKM_KERNEL_REL_ERR (128.0 / 16777216.0)

typedef void (*ekm__eval4_fn)(const float *m, const float *const r[4], size_t npad,
                              double out[4]);
typedef void (*ekm__min_fn)(float *dst, const float *a, const float *b, size_t npad);

typedef struct ekm__kernel {
    ekm__eval4_fn eval4;
    ekm__min_fn vmin; /* dst = min(a, b) elementwise */
    const char *name; /* "avx512", "avx2", "sse2" or "portable" */
} ekm__kernel;

/* The fastest kernel this CPU runs (environment EKM_KERNEL=sse2|avx2|avx512|portable
 * forces one). Off x86-64, or built with EKM_PORTABLE, always the portable one. */
ekm__kernel ekm__kernel_select(void);

/* The portable scalar kernel (every architecture; the same error bound). */
ekm__kernel ekm__kernel_portable(void);

/* Evaluate rows l0..l1-1 of base (stride floats apart) against m: out[l-l0]. */
void ekm__eval_rows(const ekm__kernel *kern, const float *m, const float *base, size_t stride,
                    size_t npad, uint32_t l0, uint32_t l1, double *out);

#endif
