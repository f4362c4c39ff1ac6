/* generate.c — seeded synthetic datasets. */
#include "ekm/generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

int ekm_gen_kind_parse(const char *name, ekm_gen_kind *out)
{
    if (name && strcmp(name, "uniform") == 0)
        *out = EKM_GEN_UNIFORM;
    else if (name && strcmp(name, "blobs") == 0)
        *out = EKM_GEN_BLOBS;
    else
        return -1;
    return 0;
}

const char *ekm_gen_kind_name(ekm_gen_kind kind)
{
    return kind == EKM_GEN_BLOBS ? "blobs" : "uniform";
}

ekm_status ekm_generate(ekm_gen_kind kind, size_t n, size_t d, unsigned clusters, uint64_t seed,
                        ekm_dataset **out, ekm_error *err)
{
    *out = NULL;
    if (n == 0 || d == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "--n and --d must be at least 1");
    if (n > 100000000 || d > 100000 || n * d > 200000000)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, NULL, 0, 0,
                             "%zu points x %zu dimensions is too large to generate", n, d);
    if (kind == EKM_GEN_BLOBS && (clusters == 0 || clusters > n))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "--clusters must be between 1 and N=%zu", n);
    double *x = malloc(n * d * sizeof *x);
    double *centre = kind == EKM_GEN_BLOBS ? malloc((size_t)clusters * d * sizeof *centre) : NULL;
    char **labels = kind == EKM_GEN_BLOBS ? calloc(n, sizeof *labels) : NULL;
    char *arena = kind == EKM_GEN_BLOBS ? malloc(n * 12) : NULL;
    if (!x || (kind == EKM_GEN_BLOBS && (!centre || !labels || !arena))) {
        free(x);
        free(centre);
        free(labels);
        free(arena);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    ekm__rng rng;
    ekm__rng_seed(&rng, seed);
    if (kind == EKM_GEN_UNIFORM) {
        for (size_t i = 0; i < n * d; i++)
            x[i] = ekm__rng_unit(&rng);
    } else {
        for (size_t i = 0; i < (size_t)clusters * d; i++)
            centre[i] = 10.0 * ekm__rng_unit(&rng);
        for (size_t i = 0; i < n; i++) {
            size_t c = i % clusters;
            for (size_t j = 0; j < d; j++)
                x[i * d + j] = centre[c * d + j] + ekm__rng_normal(&rng);
            labels[i] = arena + i * 12;
            snprintf(labels[i], 12, "c%zu", c);
        }
    }
    char name[64];
    snprintf(name, sizeof name, "%s(n=%zu,d=%zu,seed=%llu)", ekm_gen_kind_name(kind), n, d,
             (unsigned long long)seed);
    ekm_status st =
        ekm_dataset_from_points(name, n, d, x, (const char *const *)labels, out, err);
    free(x);
    free(centre);
    free(labels);
    free(arena);
    return st;
}
