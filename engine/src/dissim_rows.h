/* dissim_rows.h — rows of the float matrix for the matrix-free form (private). */
#ifndef EKM_DISSIM_ROWS_H
#define EKM_DISSIM_ROWS_H

#include <stddef.h>

#include "ekm/dissim.h"

/* Row i of the float matrix into out (stride floats, zero padded): copied from
 * the matrix, or computed from the coordinates exactly as the matrix would
 * hold it (bit-identical). */
void ekm__dissim_fill_row(const ekm_dissim *dm, size_t i, float *out);

#endif
