/* generate.h — seeded synthetic datasets (uniform and Gaussian blobs). */
#ifndef EKM_GENERATE_H
#define EKM_GENERATE_H

#include "ekm/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef enum ekm_gen_kind { EKM_GEN_UNIFORM = 0, EKM_GEN_BLOBS } ekm_gen_kind;

/* Parse "uniform" | "blobs"; returns 0 on success. */
int ekm_gen_kind_parse(const char *name, ekm_gen_kind *out);
const char *ekm_gen_kind_name(ekm_gen_kind kind);

/* n points in d dimensions: uniform in [0,1)^d, or `clusters` Gaussian blobs
 * (centres uniform in [0,10)^d, unit standard deviation; point i belongs to blob
 * i mod clusters, which is kept as its label). Deterministic for a seed on every
 * platform (xoshiro256** and a Box-Muller transform in double). */
ekm_status ekm_generate(ekm_gen_kind kind, size_t n, size_t d, unsigned clusters, uint64_t seed,
                        ekm_dataset **out, ekm_error *err);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
