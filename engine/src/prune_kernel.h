/* prune_kernel.h — the Lagrangian kernel of the branch and bound (private).
 *
 * For multipliers λ (npad floats, zero padded) and four rows r[0..3] of the
 * float matrix, out[j] = ρ_j = Σ_p min(0, r[j][p] − λ_p), accumulated like the
 * EKM kernel (kernel.h): in float within blocks of at most 16 terms per lane,
 * in double across blocks. (The padding adds min(0, 0 − 0) = 0.)
 *
 * Rounding: each term is fl(d − λ) clamped at 0, within u = 2^-24 (relative)
 * of min(0, d − λ), and every term has the same sign; a lane's float partial
 * sum of <= 16 terms adds <= 15.0001u, the double sums of n/16 blocks
 * n·2^-53. So |out − ρ| <= (16.01u + n·2^-53)·|ρ|: ekm__rho_rel_err(n). The
 * error is relative to |ρ_j|, usually several times smaller than Σλ: a bound
 * built from E_j − Σλ with the EKM kernel would carry an error of Σλ per term.
 */
#ifndef EKM_PRUNE_KERNEL_H
#define EKM_PRUNE_KERNEL_H

#include <stddef.h>
#include <stdint.h>

typedef void (*ekm__rho4_fn)(const float *lam, const float *const r[4], size_t npad,
                             double out[4]);

/* The fastest ρ kernel this CPU runs (AVX2 or the SSE2 baseline; environment
 * EKM_KERNEL=sse2 forces the baseline, EKM_KERNEL=portable the scalar kernel, as for
 * the EKM kernel; off x86-64 or with EKM_PORTABLE, always the scalar one). */
ekm__rho4_fn ekm__rho4_select(void);
ekm__rho4_fn ekm__rho4_portable(void);

/* Σ_p min(a_p, b_p) over npad floats (a multiple of 16), summed in double:
 * within npad·2^-53 (relative) of the exact sum of the float minima. */
typedef double (*ekm__minsum_fn)(const float *a, const float *b, size_t npad);
ekm__minsum_fn ekm__minsum_select(void);
ekm__minsum_fn ekm__minsum_portable(void);

/* A sound bound on the kernel's relative error for n points (see the banner). */
double ekm__rho_rel_err(size_t n);

#endif
