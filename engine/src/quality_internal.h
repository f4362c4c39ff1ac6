/* quality_internal.h — what the quality measures share (private). */
#ifndef EKM_QUALITY_INTERNAL_H
#define EKM_QUALITY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ekm/ekm.h"

/* EKM_OK when every cluster[i] (i < n) is in 0..k-1 and k > 0; else the error
 * naming the first point out of range. */
ekm_status ekm__check_clusters(size_t n, const int32_t *cluster, unsigned k, ekm_error *err);

#endif
