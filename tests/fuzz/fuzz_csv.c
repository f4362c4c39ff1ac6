/* fuzz_csv.c — libFuzzer target for the CSV dataset loader.
 *
 * The first input byte picks the options (header auto/yes/no, labels
 * auto/none/last, missing values refuse/drop, separator detected or forced, see
 * fz_csv_options); the rest is the CSV text, handed to ekm_dataset_parse_csv in
 * a buffer of exactly its size so that AddressSanitizer sees any read past the
 * end. The outcome must pass fz_check_csv (fuzz_check.h); a broken invariant
 * aborts, which libFuzzer reports as a crash. */
#include "fuzz_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ekm_csv_options opt = fz_csv_options(data[0]);
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    ekm_dataset *ds = NULL;
    ekm_error err;
    memset(&err, 0, sizeof err);
    ekm_status st = ekm_dataset_parse_csv("fuzz.csv", text, len, &opt, &ds, &err);
    const char *why = fz_check_csv("fuzz.csv", text, len, &opt, st, ds, &err);
    if (why) {
        fprintf(stderr, "fuzz_csv: invariant broken: %s (status %d, %s:%ld:%ld: %s)\n", why,
                (int)st, err.file, err.line, err.column, err.message);
        abort();
    }
    /* Small datasets also go through the matrix builder: a dissimilarity that
     * overflows a float must be refused, never stored. */
    if (ds && ekm_dataset_n(ds) <= 48) {
        ekm_dissim *dm = NULL;
        ekm_status ds_st = ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &err);
        if (ds_st == EKM_OK) {
            size_t n = ekm_dissim_n(dm);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    float v = ekm_dissim_row(dm, i)[j];
                    if (!isfinite(v) || v < 0 || v != ekm_dissim_row(dm, j)[i] ||
                        (i == j && v != 0)) {
                        fprintf(stderr, "fuzz_csv: bad matrix entry (%zu,%zu) = %g\n", i, j,
                                (double)v);
                        abort();
                    }
                }
        } else if (dm || ds_st != EKM_ERR_INVALID || !err.message[0]) {
            fprintf(stderr, "fuzz_csv: matrix build failed oddly: status %d: %s\n", (int)ds_st,
                    err.message);
            abort();
        }
        ekm_dissim_release(dm);
    }
    /* Standardised columns are finite, or the column is refused (never inf or NaN). */
    if (ds && ekm_dataset_n(ds) <= 48) {
        ekm_standardize how = (ekm_standardize)(1 + (size % 3));
        ekm_dataset *sd = NULL;
        ekm_status sd_st = ekm_dataset_standardize(ds, how, &sd, &err);
        if (sd_st == EKM_OK) {
            size_t nd = ekm_dataset_n(sd) * ekm_dataset_d(sd);
            for (size_t i = 0; i < nd; i++)
                if (!isfinite(ekm_dataset_coords(sd)[i]) ||
                    (how == EKM_STANDARDIZE_RANGE &&
                     (ekm_dataset_coords(sd)[i] < 0 || ekm_dataset_coords(sd)[i] > 1))) {
                    fprintf(stderr, "fuzz_csv: standardized value %zu is %g\n", i,
                            ekm_dataset_coords(sd)[i]);
                    abort();
                }
        } else if (sd || sd_st != EKM_ERR_INVALID || !strstr(err.message, "column ")) {
            fprintf(stderr, "fuzz_csv: standardize failed oddly: status %d: %s\n", (int)sd_st,
                    err.message);
            abort();
        }
        ekm_dataset_release(sd);
    }
    ekm_dataset_release(ds);
    return 0;
}
