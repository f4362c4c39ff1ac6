/* dissim_rows.h — rows of the float matrix for the matrix-free form (private). */
#ifndef EKM_DISSIM_ROWS_H
#define EKM_DISSIM_ROWS_H

#include <stddef.h>

#include "ekm/dissim.h"

/* Row i of the float matrix into out (stride floats, zero padded): copied from
 * the matrix, or computed from the coordinates exactly as the matrix would
 * hold it (bit-identical). */
void ekm__dissim_fill_row(const ekm_dissim *dm, size_t i, float *out);

/* The coordinates transposed (d × n doubles), matrix-free dm only. */
const double *ekm__dissim_xt(const ekm_dissim *dm);

/* The matrix-free ρ of a row, without the row: ρ_i = Σ_j min(0, d~_ij − λ_j)
 * over the n points, d~ the float row's entries (ekm__dissim_fill_row), each
 * term exact in double and summed in double (|error| <= (n+1)·2^-53·|ρ_i|).
 * An entry with acc_ij >= cut_j (its distance before the root and the scale)
 * certainly has d~ >= λ_j and is skipped without its square root.
 * cut: n doubles from ekm__dissim_rho_cut(lam). Matrix-free dm only. */
void ekm__dissim_rho_cut(const ekm_dissim *dm, const float *lam, double *cut);
double ekm__dissim_rho_row(const ekm_dissim *dm, size_t i, const float *lam, const double *cut);

#endif
