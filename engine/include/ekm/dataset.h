/* dataset.h — numeric point sets loaded from CSV text.
 *
 * A dataset is N points of D coordinates (row-major doubles), with optional
 * per-point labels (a non-numeric last column) and column names (a header).
 * It is reference counted: jobs retain the dataset they run on.
 *
 * Thread safety: a loaded ekm_dataset is immutable (safe to read from any
 * number of threads); retain/release are atomic and may be called from any
 * thread; the last release frees it.
 */
#ifndef EKM_DATASET_H
#define EKM_DATASET_H

#include "ekm/ekm.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef enum ekm_header_mode {
    EKM_HEADER_AUTO = 0, /* a first row with a non-numeric field in a numeric column is a header */
    EKM_HEADER_YES,
    EKM_HEADER_NO
} ekm_header_mode;

typedef enum ekm_label_mode {
    EKM_LABEL_AUTO = 0, /* a last column that is non-numeric in every data row is kept as labels */
    EKM_LABEL_NONE,     /* every column must be numeric */
    EKM_LABEL_LAST      /* drop the last column (numeric class labels too), keep it as labels */
} ekm_label_mode;

typedef enum ekm_missing_mode {
    EKM_MISSING_REFUSE = 0, /* an empty field, NA or ? is an error (with a hint) */
    EKM_MISSING_DROP        /* rows with a missing value are dropped and counted */
} ekm_missing_mode;

typedef struct ekm_csv_options {
    ekm_header_mode header;
    ekm_label_mode label;
    ekm_missing_mode missing;
    char separator; /* 0: detect among ',' ';' '\t' and runs of blanks ' ' */
} ekm_csv_options;

/* Options with every field at its default (detect everything, refuse missing values). */
ekm_csv_options ekm_csv_options_default(void);

typedef struct ekm_dataset ekm_dataset;

/* Load a CSV file. On success *out holds a new dataset (release it with
 * ekm_dataset_release). On failure *out is NULL and err says file, line, column. */
ekm_status ekm_dataset_load_csv(const char *path, const ekm_csv_options *opt,
                                ekm_dataset **out, ekm_error *err);

/* Parse CSV text from memory; name is used in error records and as the dataset name. */
ekm_status ekm_dataset_parse_csv(const char *name, const char *text, size_t len,
                                 const ekm_csv_options *opt, ekm_dataset **out,
                                 ekm_error *err);

/* Make a dataset from n*d row-major coordinates (copied). labels may be NULL. */
ekm_status ekm_dataset_from_points(const char *name, size_t n, size_t d, const double *coords,
                                   const char *const *labels, ekm_dataset **out,
                                   ekm_error *err);

ekm_dataset *ekm_dataset_retain(ekm_dataset *ds);
void ekm_dataset_release(ekm_dataset *ds); /* NULL is fine */

const char *ekm_dataset_name(const ekm_dataset *ds); /* file path or given name */
size_t ekm_dataset_n(const ekm_dataset *ds);
size_t ekm_dataset_d(const ekm_dataset *ds);
const double *ekm_dataset_coords(const ekm_dataset *ds); /* n*d, row-major */
const double *ekm_dataset_point(const ekm_dataset *ds, size_t i);
/* Label of point i (the kept label column), or NULL when the dataset has none. */
const char *ekm_dataset_label(const ekm_dataset *ds, size_t i);
int ekm_dataset_has_labels(const ekm_dataset *ds);
/* Name of numeric column j from the header, or NULL without a header. */
const char *ekm_dataset_column_name(const ekm_dataset *ds, size_t j);
/* 1-based line of the source file that point i came from (0 for in-memory points). */
long ekm_dataset_source_line(const ekm_dataset *ds, size_t i);
/* Rows dropped by EKM_MISSING_DROP. */
size_t ekm_dataset_dropped_rows(const ekm_dataset *ds);
int ekm_dataset_had_header(const ekm_dataset *ds);
char ekm_dataset_separator(const ekm_dataset *ds);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
