/* test_csv.h — what the test_csv_* tests share.
 * The CSV dataset loader: every format variant, every refused
 * input with its exact line and column, the shipped bad inputs (tests/data/bad)
 * and datasets (data/), and the large ren2022 sets of ../shared/data (skipped,
 * saying so, when that folder is absent), checked against an independent reader.
 * Load speed is a benchmark (tests/bench/csv_load.sh), not a test. */
#ifndef TEST_CSV_H
#define TEST_CSV_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ekm/dataset.h"

#include <dirent.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define assert_double_exact(a, b)                                                              \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!(a_ == b_ && signbit(a_) == signbit(b_)))                                         \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                \
    } while (0)

/* ---- helpers ---------------------------------------------------------------------------- */

static inline ekm_csv_options opts(ekm_header_mode h, ekm_label_mode l, ekm_missing_mode m,
                                   char sep)
{
    ekm_csv_options o = ekm_csv_options_default();
    o.header = h;
    o.label = l;
    o.missing = m;
    o.separator = sep;
    return o;
}

/* Parse text (its strlen) that must load; returns the dataset. */
static inline ekm_dataset *parse_ok_n(const char *text, size_t len, const ekm_csv_options *o)
{
    ekm_dataset *ds = (ekm_dataset *)1;
    ekm_error err;
    ekm_error_clear(&err);
    ekm_status st = ekm_dataset_parse_csv("mem.csv", text, len, o, &ds, &err);
    if (st != EKM_OK)
        fail_msg("refused: %s:%ld:%ld: %s", err.file, err.line, err.column, err.message);
    assert_non_null(ds);
    return ds;
}

static inline ekm_dataset *parse_ok(const char *text, const ekm_csv_options *o)
{
    return parse_ok_n(text, strlen(text), o);
}

/* Parse text that must be refused with status, line, column and a message containing part. */
static inline void refused_n(const char *text, size_t len, const ekm_csv_options *o,
                             ekm_status status, long line, long column, const char *part)
{
    ekm_dataset *ds = (ekm_dataset *)1;
    ekm_error err;
    ekm_error_clear(&err);
    ekm_status st = ekm_dataset_parse_csv("mem.csv", text, len, o, &ds, &err);
    if (st != status || err.status != status || err.line != line || err.column != column ||
        !strstr(err.message, part))
        fail_msg("got %s %ld:%ld '%s', expected %s %ld:%ld '...%s...'", ekm_status_name(st),
                 err.line, err.column, err.message, ekm_status_name(status), line, column, part);
    assert_null(ds);
    assert_string_equal(err.file, "mem.csv");
}

static inline void refused(const char *text, const ekm_csv_options *o, ekm_status status,
                           long line, long column, const char *part)
{
    refused_n(text, strlen(text), o, status, line, column, part);
}

static inline void assert_coords(const ekm_dataset *ds, size_t n, size_t d, const double *want)
{
    assert_int_equal(ekm_dataset_n(ds), n);
    assert_int_equal(ekm_dataset_d(ds), d);
    for (size_t i = 0; i < n * d; i++)
        assert_double_exact(ekm_dataset_coords(ds)[i], want[i]);
}

static inline void assert_lines(const ekm_dataset *ds, const long *want)
{
    for (size_t i = 0; i < ekm_dataset_n(ds); i++)
        assert_int_equal(ekm_dataset_source_line(ds, i), want[i]);
}

#endif
