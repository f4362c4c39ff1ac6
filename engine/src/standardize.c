/* standardize.c — column standardisation of a dataset (mad, zscore, range),
 * computed in double; a column that cannot be scaled is refused. */
#include "ekm/dataset.h"

#include "dataset_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"none", "mad", "zscore", "range"};

const char *ekm_standardize_name(ekm_standardize how)
{
    return (unsigned)how < sizeof names / sizeof names[0] ? names[how] : "?";
}

int ekm_standardize_parse(const char *name, ekm_standardize *out)
{
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (ekm_standardize)i;
            return 0;
        }
    return -1;
}

/* "column 3 ('Na')" or "column 3" without a header. */
static void column_words(const ekm_dataset *ds, size_t j, char *buf, size_t size)
{
    const char *name = ekm_dataset_column_name(ds, j);
    if (name && *name && strlen(name) < 64 && !strpbrk(name, "'\r\n"))
        snprintf(buf, size, "column %zu ('%s')", j + 1, name);
    else
        snprintf(buf, size, "column %zu", j + 1);
}

/* Centre and scale of column j: x' = (x - centre) / scale. Returns 0, or -1 when
 * the column is constant (*constant set) or its statistics are not finite. */
static int column_scale(const double *x, size_t n, size_t d, size_t j, ekm_standardize how,
                        double *centre, double *scale, int *constant)
{
    *constant = 1;
    double lo = x[j], hi = x[j], sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * d + j];
        if (v != x[j])
            *constant = 0;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        sum += v;
    }
    if (*constant)
        return -1;
    double mean = sum / (double)n, dev = 0;
    if (how == EKM_STANDARDIZE_RANGE) {
        *centre = lo;
        *scale = hi - lo;
    } else {
        for (size_t i = 0; i < n; i++) {
            double e = x[i * d + j] - mean;
            dev += how == EKM_STANDARDIZE_MAD ? fabs(e) : e * e;
        }
        *centre = mean;
        *scale = how == EKM_STANDARDIZE_MAD ? dev / (double)n : sqrt(dev / (double)(n - 1));
    }
    return isfinite(*centre) && isfinite(*scale) && *scale > 0 ? 0 : -1;
}

ekm_status ekm_dataset_standardize(ekm_dataset *ds, ekm_standardize how, ekm_dataset **out,
                                   ekm_error *err)
{
    *out = NULL;
    const char *file = ekm_dataset_name(ds);
    if ((unsigned)how > EKM_STANDARDIZE_RANGE)
        return ekm_error_set(err, EKM_ERR_INVALID, file, 0, 0, "invalid standardisation");
    if (how == EKM_STANDARDIZE_NONE) {
        *out = ekm_dataset_retain(ekm__dataset_original_mut(ds));
        return EKM_OK;
    }
    const ekm_dataset *src = ekm_dataset_original(ds);
    size_t n = ekm_dataset_n(src), d = ekm_dataset_d(src);
    const double *x = ekm_dataset_coords(src);
    double *y = malloc(n * d * sizeof *y);
    if (!y)
        return ekm_error_set(err, EKM_ERR_NOMEM, file, 0, 0, "out of memory");
    for (size_t j = 0; j < d; j++) {
        double centre = 0, scale = 1;
        int constant;
        char col[96];
        if (column_scale(x, n, d, j, how, &centre, &scale, &constant)) {
            column_words(src, j, col, sizeof col);
            free(y);
            if (constant)
                return ekm_error_set(err, EKM_ERR_INVALID, file, 0, 0,
                                     "%s is constant (every value is %.15g): standardize %s "
                                     "cannot scale it; drop the column",
                                     col, x[j], ekm_standardize_name(how));
            return ekm_error_set(err, EKM_ERR_INVALID, file, 0, 0,
                                 "%s: its values are too large to standardize (%s)", col,
                                 ekm_standardize_name(how));
        }
        for (size_t i = 0; i < n; i++) {
            double v = (x[i * d + j] - centre) / scale;
            if (!isfinite(v)) {
                column_words(src, j, col, sizeof col);
                free(y);
                return ekm_error_set(err, EKM_ERR_INVALID, file, 0, 0,
                                     "%s: row %zu does not standardize to a finite number",
                                     col, i + 1);
            }
            y[i * d + j] = v;
        }
    }
    return ekm__dataset_derive(ds, y, how, out, err);
}
