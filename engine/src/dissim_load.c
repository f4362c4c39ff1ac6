/* dissim_load.c — read a precomputed square dissimilarity matrix from a CSV
 * file, checking every entry where it stands (file:line:field) before handing
 * the values to ekm_dissim_from_matrix. */
#include "ekm/dissim.h"

#include "csv.h"
#include "csv_read.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest %g rendering of v that reads back as v (for messages). */
static void shortest(double v, char *buf, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Check the entries of row i (already parsed into row[0..n-1], read from line
 * `line`) against the rows before it; fill err on the first bad entry. */
static ekm_status check_row(const ekm__csv_reader *r, size_t n, size_t i, const double *values,
                            const long *lines, ekm_error *err)
{
    const double *row = values + i * n;
    char a[32], b[32];
    for (size_t j = 0; j < n; j++) {
        double v = row[j];
        const ekm__csv_field *f = &r->fields[j];
        long col = (long)j + 1;
        if (v < 0) {
            shortest(v, a, sizeof a);
            return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, col,
                                 "field %zu: negative dissimilarity %s", j + 1, a);
        }
        if (i == j && v != 0) {
            shortest(v, a, sizeof a);
            return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, col,
                                 "field %zu: the diagonal must be 0, found %s", j + 1, a);
        }
        /* The same test ekm_dissim_from_matrix makes: every objective, a sum of
         * n entries, must stay finite in double. */
        if (v > DBL_MAX / (2.0 * (double)n)) {
            shortest(v, a, sizeof a);
            return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, col,
                                 "field %zu: %s is too large for an exact objective of %zu "
                                 "points (at most %.3g)",
                                 j + 1, a, n, DBL_MAX / (2.0 * (double)n));
        }
        if (j < i && v != values[j * n + i]) {
            shortest(v, a, sizeof a);
            shortest(values[j * n + i], b, sizeof b);
            return ekm_error_set(err, EKM_ERR_PARSE, r->name, f->line, col,
                                 "field %zu: not symmetric: entry (%zu,%zu) is %s but entry "
                                 "(%zu,%zu) on line %ld is %s",
                                 j + 1, i + 1, j + 1, a, j + 1, i + 1, lines[j], b);
        }
    }
    return EKM_OK;
}

/* Read the rows of an open reader into a checked n*n array (*values, *n). */
static ekm_status read_matrix(ekm__csv_reader *r, const ekm_csv_options *opt, double **values,
                              size_t *n_out, ekm_error *err)
{
    ekm_status st;
    if (r->len == 0)
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, 0, 0, "%s is empty",
                             strcmp(r->name, EKM__STDIN_NAME) ? "the file" : "standard input");
    if (ekm__csv_is_blank(r))
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, 0, 0,
                             "the file has only blank lines, no data");
    if ((st = ekm__csv_set_separator(r, opt->separator, err)))
        return st;
    int header = opt->header == EKM_HEADER_YES;
    if (opt->header == EKM_HEADER_AUTO && ekm__csv_detect_header(r, &header, err) < 0)
        return r->error;
    long header_line = 0;
    if (header) {
        if (ekm__csv_next(r, err) < 0)
            return r->error;
        header_line = r->record_line;
    }

    size_t n = 0, rows = 0, cap = 0;
    double *v = NULL;
    long *lines = NULL, first_line = 0, last_line = 0;
    for (;;) {
        int k = ekm__csv_next(r, err);
        if (k < 0) {
            st = r->error;
            goto fail;
        }
        if (k == 0)
            break;
        size_t nf = r->nfields;
        if (rows == 0) {
            n = nf;
            first_line = r->record_line;
            if (n > SIZE_MAX / sizeof(double) / n) {
                st = ekm_error_set(err, EKM_ERR_TOO_BIG, r->name, first_line, 0,
                                   "a %zu x %zu matrix is too big", n, n);
                goto fail;
            }
            lines = malloc(n * sizeof *lines);
            if (!lines) {
                st = ekm_error_set(err, EKM_ERR_NOMEM, r->name, first_line, 0, "out of memory");
                goto fail;
            }
        }
        if (nf != n) { /* the column is the first missing or first extra field */
            size_t col = (nf < n ? nf : n) + 1;
            st = ekm_error_set(err, EKM_ERR_PARSE, r->name, r->record_line, (long)col,
                               "field %zu is %s: expected %zu fields (as on line %ld), found %zu",
                               col, nf < n ? "missing" : "extra", n, first_line, nf);
            goto fail;
        }
        if (rows == n) {
            st = ekm_error_set(err, EKM_ERR_PARSE, r->name, r->record_line, 1,
                               "not square: the rows have %zu fields but this is row %zu", n,
                               rows + 1);
            goto fail;
        }
        if (rows == cap) { /* rows double: a short or ragged file allocates little */
            size_t more = cap ? (cap > n / 2 ? n : cap * 2) : (n < 16 ? n : 16);
            double *bigger = realloc(v, more * n * sizeof *v);
            if (!bigger) {
                st = ekm_error_set(err, EKM_ERR_NOMEM, r->name, r->record_line, 0,
                                   "out of memory for a %zu x %zu matrix", n, n);
                goto fail;
            }
            v = bigger;
            cap = more;
        }
        double *row = v + rows * n;
        for (size_t j = 0; j < n; j++) {
            ekm__csv_kind kind = ekm__csv_number(r, &r->fields[j], &row[j]);
            if (kind != EKM__CSV_NUMBER) {
                st = ekm__csv_field_error(r, &r->fields[j], j + 1, kind,
                                          "; a dissimilarity matrix cannot have missing values",
                                          err);
                goto fail;
            }
        }
        lines[rows] = r->record_line;
        if ((st = check_row(r, n, rows, v, lines, err)))
            goto fail;
        last_line = r->record_line;
        rows++;
    }
    if (rows == 0) {
        st = ekm_error_set(err, EKM_ERR_PARSE, r->name, header_line, 0,
                           "no data rows: the file has only a header line");
        goto fail;
    }
    if (rows < n) {
        /* The offending entry: (rows, rows+1), whose mirror row never comes. */
        st = ekm_error_set(err, EKM_ERR_PARSE, r->name, last_line, (long)rows + 1,
                           "field %zu: not square: the rows have %zu fields but the file ends "
                           "after %zu rows",
                           rows + 1, n, rows);
        goto fail;
    }
    free(lines);
    *values = v;
    *n_out = n;
    return EKM_OK;
fail:
    free(v);
    free(lines);
    return st;
}

ekm_status ekm_dissim_load_matrix(const char *path, const ekm_csv_options *opt, ekm_dissim **out,
                                  ekm_error *err)
{
    *out = NULL;
    ekm_csv_options def = ekm_csv_options_default();
    if (!opt)
        opt = &def;
    if ((unsigned)opt->header > EKM_HEADER_NO)
        return ekm_error_set(err, EKM_ERR_INVALID, path, 0, 0, "invalid header option");
    if (opt->label == EKM_LABEL_LAST)
        return ekm_error_set(err, EKM_ERR_INVALID, path, 0, 0,
                             "a dissimilarity matrix has no label column");
    if (opt->missing == EKM_MISSING_DROP)
        return ekm_error_set(err, EKM_ERR_INVALID, path, 0, 0,
                             "missing values cannot be dropped from a dissimilarity matrix");
    ekm__csv_reader r;
    double *values = NULL;
    size_t n = 0;
    ekm_status st = ekm__csv_open_file(&r, path, err);
    const char *r_name = strcmp(path, "-") == 0 ? EKM__STDIN_NAME : path;
    if (!st)
        st = read_matrix(&r, opt, &values, &n, err);
    ekm__csv_close(&r);
    if (!st)
        st = ekm_dissim_from_matrix(r_name, n, values, out, err);
    free(values);
    return st;
}
