/* dataset_internal.h — what the dataset's other source files need of it. */
#ifndef EKM_DATASET_INTERNAL_H
#define EKM_DATASET_INTERNAL_H

#include "ekm/dataset.h"

/* A dataset with src's points replaced by coords (n*d, malloc'd; owned by the
 * result, freed on failure), marked as standardised by `how`; it shares the rest
 * with src's original, which it retains. */
ekm_status ekm__dataset_derive(ekm_dataset *src, double *coords, ekm_standardize how,
                               ekm_dataset **out, ekm_error *err);

/* ekm_dataset_original, for a caller that may retain it. */
ekm_dataset *ekm__dataset_original_mut(ekm_dataset *ds);

#endif
