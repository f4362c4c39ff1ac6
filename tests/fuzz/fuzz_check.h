/* fuzz_check.h — the invariants the loader fuzzers check after every input, shared
 * with the regression replay (tests/unit/test_fuzz_regressions.c).
 *
 * Each check returns NULL when the outcome of a load is sane, else a short
 * description of the first broken invariant (static text). The fuzz targets abort
 * on a non-NULL answer, so libFuzzer keeps the input as a crash; the unit test
 * fails with it.
 *
 * What "sane" means:
 *  - CSV success: a dataset with n >= 1, d >= 1, finite coordinates, a label for
 *    every point iff has_labels (and as the label option forces), source lines
 *    strictly increasing within the input's line count, column names iff a
 *    header was read; the coordinates printed with %.17g read back bit for bit.
 *  - matrix success: n >= 1, at most one row per line, finite non-negative
 *    entries, symmetric, zero diagonal, float rows equal to the doubles scaled
 *    by ekm_dissim_float_scale and rounded,
 *    zero padding.
 *  - failure: no object, the record's status is the one returned, a non-empty
 *    NUL-terminated message, the file name given, a line in [0, line count] and
 *    a column in [0, bytes + 1]; EKM_ERR_INVALID only for an option the loader
 *    refuses (a separator it cannot use, labels or dropped rows in a matrix).
 */
#ifndef EKM_FUZZ_CHECK_H
#define EKM_FUZZ_CHECK_H

#include "ekm/dataset.h"
#include "ekm/dissim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The separators the option byte chooses from: 0 detects, 'x' is refused. */
static const char fz_separators[8] = {0, ',', ';', '\t', ' ', '|', ':', 'x'};

static inline int fz_separator_valid(char sep)
{
    return sep == 0 || (sep != 'x' && strchr(",;\t |:", sep) != NULL);
}

/* CSV options from one byte: bits 0-1 header (auto yes no auto), bits 2-3 label
 * (auto none last auto), bit 4 missing (refuse drop), bits 5-7 separator. */
static inline ekm_csv_options fz_csv_options(unsigned char b)
{
    static const ekm_header_mode header[4] = {EKM_HEADER_AUTO, EKM_HEADER_YES, EKM_HEADER_NO,
                                              EKM_HEADER_AUTO};
    static const ekm_label_mode label[4] = {EKM_LABEL_AUTO, EKM_LABEL_NONE, EKM_LABEL_LAST,
                                            EKM_LABEL_AUTO};
    ekm_csv_options o = ekm_csv_options_default();
    o.header = header[b & 3];
    o.label = label[(b >> 2) & 3];
    o.missing = (b >> 4) & 1 ? EKM_MISSING_DROP : EKM_MISSING_REFUSE;
    o.separator = fz_separators[(b >> 5) & 7];
    return o;
}

/* Matrix options from one byte: bits 0-1 header, bits 2-4 separator, bits 5-7:
 * 0-5 defaults, 6 labels "last" (refused), 7 missing "drop" (refused). */
static inline ekm_csv_options fz_matrix_options(unsigned char b)
{
    ekm_csv_options o = fz_csv_options((unsigned char)(b & 3));
    o.separator = fz_separators[(b >> 2) & 7];
    if ((b >> 5) == 6)
        o.label = EKM_LABEL_LAST;
    if ((b >> 5) == 7)
        o.missing = EKM_MISSING_DROP;
    return o;
}

/* Physical lines of text as the tokenizer counts them: LF, CRLF and a lone CR
 * each end a line (an upper bound: a final line end opens an empty last line). */
static inline long fz_line_count(const char *t, size_t n)
{
    long lines = 1;
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\n' || (t[i] == '\r' && !(i + 1 < n && t[i + 1] == '\n')))
            lines++;
    return lines;
}

/* The checks common to every failed load. */
static inline const char *fz_check_error(const char *name, const char *text, size_t len,
                                         ekm_status st, const ekm_error *err)
{
    if (st == EKM_OK)
        return "failure check on a success";
    if (err->status != st)
        return "error record status differs from the returned status";
    if (!memchr(err->message, '\0', sizeof err->message))
        return "error message is not NUL-terminated";
    if (!err->message[0])
        return "empty error message";
    if (!memchr(err->file, '\0', sizeof err->file))
        return "error file is not NUL-terminated";
    if (strcmp(err->file, name) != 0)
        return "error record names another file";
    if (err->line < 0 || err->line > fz_line_count(text, len))
        return "error line outside the input";
    if (err->column < 0 || (size_t)err->column > len + 1)
        return "error column outside the input";
    if (st == EKM_ERR_IO || st == EKM_ERR_CANCELLED || st == EKM_ERR_STATE)
        return "unexpected status for a parse";
    return NULL;
}

/* Check the outcome of ekm_dataset_parse_csv(name, text, len, opt, &ds, err) = st. */
static inline const char *fz_check_csv(const char *name, const char *text, size_t len,
                                       const ekm_csv_options *opt, ekm_status st,
                                       const ekm_dataset *ds, const ekm_error *err)
{
    if (st != EKM_OK) {
        if (ds)
            return "a dataset returned with an error";
        if (st == EKM_ERR_INVALID && fz_separator_valid(opt->separator))
            return "EKM_ERR_INVALID with valid options";
        return fz_check_error(name, text, len, st, err);
    }
    if (!ds)
        return "EKM_OK without a dataset";
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    if (n < 1 || d < 1)
        return "empty dataset accepted";
    if (strcmp(ekm_dataset_name(ds), name) != 0)
        return "dataset name differs from the name given";
    const double *x = ekm_dataset_coords(ds);
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(x[i]))
            return "non-finite coordinate accepted";
    int has = ekm_dataset_has_labels(ds);
    if (opt->label == EKM_LABEL_NONE && has)
        return "labels with --label-column none";
    if (opt->label == EKM_LABEL_LAST && !has)
        return "no labels with --label-column last";
    long lines = fz_line_count(text, len), prev = 0;
    for (size_t i = 0; i < n; i++) {
        if ((ekm_dataset_label(ds, i) != NULL) != (has != 0))
            return "label present iff has_labels broken";
        long ln = ekm_dataset_source_line(ds, i);
        if (ln <= prev || ln > lines)
            return "source lines not increasing within the input";
        prev = ln;
    }
    int hdr = ekm_dataset_had_header(ds);
    if (opt->header == EKM_HEADER_YES && !hdr)
        return "header forced but not read";
    if (opt->header == EKM_HEADER_NO && hdr)
        return "header refused but read";
    for (size_t j = 0; j < d; j++)
        if ((ekm_dataset_column_name(ds, j) != NULL) != (hdr != 0))
            return "column name present iff had_header broken";
    if (opt->missing == EKM_MISSING_REFUSE && ekm_dataset_dropped_rows(ds) != 0)
        return "rows dropped although missing values are refused";
    char sep = ekm_dataset_separator(ds);
    if (!sep || !strchr(",;\t |:", sep) || (opt->separator && sep != opt->separator))
        return "separator not the one forced or not a valid one";

    /* Round trip: the coordinates printed with %.17g read back bit for bit. */
    size_t cap = n * d * 26 + n + 1, o = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL; /* cannot check; not the loader's fault */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            o += (size_t)snprintf(buf + o, cap - o, "%.17g%c", x[i * d + j],
                                  j + 1 < d ? ',' : '\n');
    ekm_csv_options plain = {EKM_HEADER_NO, EKM_LABEL_NONE, EKM_MISSING_REFUSE, ','};
    ekm_dataset *back = NULL;
    ekm_error e2;
    ekm_status st2 = ekm_dataset_parse_csv("roundtrip", buf, o, &plain, &back, &e2);
    const char *why = NULL;
    if (st2 != EKM_OK)
        why = "printed coordinates do not parse back";
    else if (ekm_dataset_n(back) != n || ekm_dataset_d(back) != d)
        why = "printed coordinates parse back to another shape";
    else if (memcmp(ekm_dataset_coords(back), x, n * d * sizeof *x) != 0)
        why = "printed coordinates parse back to other values";
    ekm_dataset_release(back);
    free(buf);
    return why;
}

/* Check the outcome of ekm_dissim_load_matrix(path, opt, &dm, err) = st, where the
 * file at path holds text[0..len). */
static inline const char *fz_check_matrix(const char *path, const char *text, size_t len,
                                          const ekm_csv_options *opt, ekm_status st,
                                          const ekm_dissim *dm, const ekm_error *err)
{
    if (st != EKM_OK) {
        if (dm)
            return "a matrix returned with an error";
        if (st == EKM_ERR_INVALID && fz_separator_valid(opt->separator) &&
            opt->label != EKM_LABEL_LAST && opt->missing != EKM_MISSING_DROP)
            return "EKM_ERR_INVALID with valid options";
        return fz_check_error(path, text, len, st, err);
    }
    if (!dm)
        return "EKM_OK without a matrix";
    if (opt->label == EKM_LABEL_LAST || opt->missing == EKM_MISSING_DROP)
        return "a matrix loaded with labels or dropped rows";
    size_t n = ekm_dissim_n(dm), stride = ekm_dissim_stride(dm);
    if (n < 1)
        return "empty matrix accepted";
    if ((long)n > fz_line_count(text, len))
        return "more rows than lines";
    if (stride < n || stride % 16)
        return "bad row stride";
    if (ekm_dissim_metric(dm) != EKM_METRIC_PRECOMPUTED || ekm_dissim_dataset(dm))
        return "a loaded matrix is not precomputed";
    if (strcmp(ekm_dissim_name(dm), path) != 0)
        return "matrix name differs from the path";
    for (size_t i = 0; i < n; i++) {
        const float *row = ekm_dissim_row(dm, i);
        if (((uintptr_t)row & 63) != 0)
            return "row not 64-byte aligned";
        for (size_t j = 0; j < n; j++) {
            double v = ekm_dissim_exact(dm, i, j);
            if (!isfinite(v) || v < 0)
                return "non-finite or negative entry accepted";
            if (i == j && v != 0)
                return "non-zero diagonal accepted";
            if (v != ekm_dissim_exact(dm, j, i))
                return "asymmetric matrix accepted";
            if (!isfinite(row[j]) || row[j] != (float)(v * ekm_dissim_float_scale(dm)))
                return "float row differs from the rounded double";
        }
        for (size_t j = n; j < stride; j++)
            if (row[j] != 0.0f)
                return "row padding is not zero";
    }
    return NULL;
}

#endif
