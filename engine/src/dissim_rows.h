/* dissim_rows.h — rows of the float matrix for the matrix-free form (private). */
#ifndef EKM_DISSIM_ROWS_H
#define EKM_DISSIM_ROWS_H

#include <stddef.h>

#include "ekm/dissim.h"
#include "spatial_order.h"

/* Row i of the float matrix into out (stride floats, zero padded): copied from
 * the matrix, or computed from the coordinates exactly as the matrix would
 * hold it (bit-identical). */
void ekm__dissim_fill_row(const ekm_dissim *dm, size_t i, float *out);

/* The coordinates transposed (d × n doubles), matrix-free dm only. */
const double *ekm__dissim_xt(const ekm_dissim *dm);

/* The thresholds of one full ρ pass, in the spatial order (spatial_order.h):
 * for the point at position t, lam[t] its multiplier and cut[t] the value of
 * acc (its distance to a candidate before the root and the scale) from which
 * its entry certainly has d~ >= λ and adds nothing; bmax[b] the largest cut of
 * block b. Arrays sized by ekm__rho_cut_init. */
typedef struct ekm__rho_cut {
    double *cut;
    float *lam;
    double *bmax;
} ekm__rho_cut;

int ekm__rho_cut_init(ekm__rho_cut *c, size_t n);
void ekm__rho_cut_free(ekm__rho_cut *c);

/* The matrix-free ρ of a row, without the row: ρ_i = Σ_j min(0, d~_ij − λ_j)
 * over the n points, d~ the float row's entries (ekm__dissim_fill_row), each
 * term exact in double and summed in double, in the spatial order
 * (|error| <= (n+1)·2^-53·|ρ_i|: every term is <= 0, so any order keeps it).
 * An entry with acc_ij >= cut_j certainly has d~ >= λ_j and is skipped without
 * its square root; a block whose bounding box is that far from point i in
 * every entry is skipped without computing any of them.
 * cut: from ekm__dissim_rho_cut(lam). Matrix-free dm only. */
void ekm__dissim_rho_cut(const ekm_dissim *dm, const float *lam, ekm__rho_cut *cut);
double ekm__dissim_rho_row(const ekm_dissim *dm, size_t i, const ekm__rho_cut *cut);

/* The spatial order of a matrix-free dm's points (NULL with a matrix). */
const ekm__spatial *ekm__dissim_spatial(const ekm_dissim *dm);

#endif
