/* test_dissim_load.c — reading a precomputed dissimilarity matrix from CSV:
 * good matrices (header, separators, line ends) and every refused one with the
 * line and column of the offending entry. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ekm/dissim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A temporary folder for the matrix files of one test. */
typedef struct tmp {
    char dir[64];
    char path[128];
} tmp;

static int setup(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/ekm_test_dissim_XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    snprintf(t->path, sizeof t->path, "%s/m.csv", t->dir);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmp *t = *state;
    unlink(t->path);
    int rc = rmdir(t->dir);
    free(t);
    return rc;
}

static const char *write_file(void **state, const char *text, size_t len)
{
    tmp *t = *state;
    FILE *f = fopen(t->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return t->path;
}

static ekm_dissim *load_ok(void **state, const char *text, const ekm_csv_options *o)
{
    const char *path = write_file(state, text, strlen(text));
    ekm_dissim *dm = (ekm_dissim *)1;
    ekm_error err;
    ekm_error_clear(&err);
    if (ekm_dissim_load_matrix(path, o, &dm, &err) != EKM_OK)
        fail_msg("refused: %s:%ld:%ld: %s", err.file, err.line, err.column, err.message);
    assert_non_null(dm);
    assert_string_equal(ekm_dissim_name(dm), path);
    assert_int_equal(ekm_dissim_metric(dm), EKM_METRIC_PRECOMPUTED);
    assert_null(ekm_dissim_dataset(dm));
    return dm;
}

static void refused_path(const char *path, const ekm_csv_options *o, ekm_status status, long line,
                         long column, const char *part)
{
    ekm_dissim *dm = (ekm_dissim *)1;
    ekm_error err;
    ekm_error_clear(&err);
    ekm_status st = ekm_dissim_load_matrix(path, o, &dm, &err);
    if (st != status || err.status != status || err.line != line || err.column != column ||
        !strstr(err.message, part) || strcmp(err.file, path) != 0)
        fail_msg("got %s %s:%ld:%ld '%s', expected %s %ld:%ld '...%s...'", ekm_status_name(st),
                 err.file, err.line, err.column, err.message, ekm_status_name(status), line,
                 column, part);
    assert_null(dm);
}

static void refused(void **state, const char *text, const ekm_csv_options *o, ekm_status status,
                    long line, long column, const char *part)
{
    refused_path(write_file(state, text, strlen(text)), o, status, line, column, part);
}

/* Every entry, in double and in the float rows, equals want (n*n). */
static void assert_matrix(const ekm_dissim *dm, size_t n, const double *want)
{
    assert_int_equal(ekm_dissim_n(dm), n);
    assert_int_equal(ekm_dissim_stride(dm) % 16, 0);
    assert_true(ekm_dissim_stride(dm) >= n);
    for (size_t i = 0; i < n; i++) {
        const float *row = ekm_dissim_row(dm, i);
        for (size_t j = 0; j < n; j++) {
            if (ekm_dissim_exact(dm, i, j) != want[i * n + j])
                fail_msg("(%zu,%zu) = %.17g, expected %.17g", i, j, ekm_dissim_exact(dm, i, j),
                         want[i * n + j]);
            assert_true(row[j] == (float)want[i * n + j]);
        }
        for (size_t j = n; j < ekm_dissim_stride(dm); j++)
            assert_true(row[j] == 0.0f);
    }
}

static void test_good(void **state)
{
    static const double m3[] = {0, 1.5, 2, 1.5, 0, 3.25, 2, 3.25, 0};
    static const char *const texts[] = {
        "0,1.5,2\n1.5,0,3.25\n2,3.25,0\n",
        "a,b,c\n0,1.5,2\n1.5,0,3.25\n2,3.25,0\n",              /* header detected */
        "\xEF\xBB\xBF\"a\";\"b\";\"c\"\r\n0;1.5;2\r\n\r\n1.5;0;3.25\r\n2;3.25;0", /* BOM, CRLF */
        "  0   1.5  2\r1.5 0 3.25\r   2 3.25 0\r",             /* blanks, CR-only */
        "0\t1.5\t2\n\n1.5\t0\t3.25\n2\t3.25\t0.0e0\n",
        "0,\"1.5\",2\n1.5,0,3.25\n2,3.25,0\n",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        ekm_dissim *dm = load_ok(state, texts[k], NULL);
        assert_matrix(dm, 3, m3);
        /* The objective of a medoid set in double from the file's values. */
        static const uint32_t med[] = {0};
        assert_true(ekm_dissim_objective(dm, med, 1) == 3.5);
        ekm_dissim_release(dm);
    }
    /* 1 x 1. */
    ekm_dissim *dm = load_ok(state, "0\n", NULL);
    static const double m1[] = {0};
    assert_matrix(dm, 1, m1);
    ekm_dissim_release(dm);
    /* -0 is a zero. */
    dm = load_ok(state, "-0,1\n1,0\n", NULL);
    assert_true(ekm_dissim_exact(dm, 0, 0) == 0.0);
    ekm_dissim_release(dm);
    /* A forced header over a numeric first row. */
    ekm_csv_options o = ekm_csv_options_default();
    o.header = EKM_HEADER_YES;
    dm = load_ok(state, "7,8\n0,4\n4,0\n", &o);
    static const double m2[] = {0, 4, 4, 0};
    assert_matrix(dm, 2, m2);
    ekm_dissim_release(dm);
    /* A forced separator. */
    o.header = EKM_HEADER_AUTO;
    o.separator = ';';
    dm = load_ok(state, "0;4\n4;0\n", &o);
    assert_matrix(dm, 2, m2);
    ekm_dissim_release(dm);
}

/* A 150 x 150 matrix written with %.17g reads back exactly. */
static void test_round_trip(void **state)
{
    enum { N = 150 };
    double *m = malloc(N * N * sizeof *m);
    char *text = malloc(N * N * 26 + 16);
    assert_non_null(m);
    assert_non_null(text);
    size_t len = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            double v = i == j ? 0 : sqrt((double)((i + 1) * (j + 1))) / 7.0 + (double)(i + j);
            m[i * N + j] = v;
            len += (size_t)sprintf(text + len, "%.17g%c", v, j + 1 < N ? ',' : '\n');
        }
    ekm_dissim *dm = load_ok(state, text, NULL);
    assert_matrix(dm, N, m);
    ekm_dissim_release(dm);
    free(text);
    free(m);
}

static void test_not_square(void **state)
{
    /* Too few rows: the entry whose mirror row never comes. */
    refused(state, "0,1,2\n1,0,3\n", NULL, EKM_ERR_PARSE, 2, 3,
            "field 3: not square: the rows have 3 fields but the file ends after 2 rows");
    refused(state, "x,y,z\n\n0,1,2\n", NULL, EKM_ERR_PARSE, 3, 2,
            "field 2: not square: the rows have 3 fields but the file ends after 1 rows");
    /* Too many rows. */
    refused(state, "0,1\n1,0\n2,2\n", NULL, EKM_ERR_PARSE, 3, 1,
            "not square: the rows have 2 fields but this is row 3");
    /* Ragged rows. */
    refused(state, "0,1,2\n1,0\n2,3,0\n", NULL, EKM_ERR_PARSE, 2, 3,
            "field 3 is missing: expected 3 fields (as on line 1), found 2");
    refused(state, "0,1\n1,0,5\n", NULL, EKM_ERR_PARSE, 2, 3,
            "field 3 is extra: expected 2 fields (as on line 1), found 3");
}

static void test_bad_entries(void **state)
{
    refused(state, "0,1,2\n1,0,3\n2,5,0\n", NULL, EKM_ERR_PARSE, 3, 2,
            "field 2: not symmetric: entry (3,2) is 5 but entry (2,3) on line 2 is 3");
    /* The first asymmetric entry in reading order is named. */
    refused(state, "0,1,2\n\n1,0,3\n\n7,8,0\n", NULL, EKM_ERR_PARSE, 5, 1,
            "field 1: not symmetric: entry (3,1) is 7 but entry (1,3) on line 1 is 2");
    /* Values that differ beyond %g's 6 digits are shown in full. */
    refused(state, "0,0.1000001\n0.1,0\n", NULL, EKM_ERR_PARSE, 2, 1,
            "entry (2,1) is 0.1 but entry (1,2) on line 1 is 0.1000001");
    refused(state, "0,1,-2\n1,0,3\n-2,3,0\n", NULL, EKM_ERR_PARSE, 1, 3,
            "field 3: negative dissimilarity -2");
    refused(state, "0,1\n1,0.5\n", NULL, EKM_ERR_PARSE, 2, 2,
            "field 2: the diagonal must be 0, found 0.5");
    refused(state, "0,1e308\n1e308,0\n", NULL, EKM_ERR_PARSE, 1, 2,
            "field 2: 1e+308 is too large for an exact objective of 2 points (at most "
            "4.49e+307)");
    refused(state, "0,1\n1,x\n", NULL, EKM_ERR_PARSE, 2, 2, "field 2: 'x' is not a number");
    refused(state, "0,nan\nnan,0\n", NULL, EKM_ERR_PARSE, 1, 2, "'nan' is NaN");
    refused(state, "0,inf\ninf,0\n", NULL, EKM_ERR_PARSE, 1, 2, "'inf' is infinite");
    refused(state, "0,1e999\n1e999,0\n", NULL, EKM_ERR_PARSE, 1, 2, "'1e999' is out of range");
    refused(state, "0,0x1\n1,0\n", NULL, EKM_ERR_PARSE, 1, 2, "hexadecimal");
    refused(state, "0,1\n,0\n", NULL, EKM_ERR_PARSE, 2, 1,
            "field 1: missing value (empty field); a dissimilarity matrix cannot have missing "
            "values");
    refused(state, "0,NA\nNA,0\n", NULL, EKM_ERR_PARSE, 1, 2, "missing value 'NA'");
    /* Labels are not allowed: a text last column is not a number. */
    refused(state, "0,1,a\n1,0,b\n", NULL, EKM_ERR_PARSE, 1, 3, "field 3: 'a' is not a number");
}

static void test_bad_files(void **state)
{
    refused(state, "", NULL, EKM_ERR_PARSE, 0, 0, "the file is empty");
    refused(state, "\n \n", NULL, EKM_ERR_PARSE, 0, 0, "only blank lines");
    refused(state, "a,b\n", NULL, EKM_ERR_PARSE, 1, 0, "no data rows");
    refused(state, "0,1\n1,\"0\n", NULL, EKM_ERR_PARSE, 2, 3, "unterminated quoted field");
    const char *path = write_file(state, "0,1\n\0,0\n", 8);
    refused_path(path, NULL, EKM_ERR_PARSE, 2, 1, "NUL byte");
    tmp *t = *state;
    char missing[200];
    snprintf(missing, sizeof missing, "%s/none.csv", t->dir);
    refused_path(missing, NULL, EKM_ERR_IO, 0, 0, "cannot open: No such file or directory");
    refused_path(t->dir, NULL, EKM_ERR_IO, 0, 0, "Is a directory");
}

static void test_options(void **state)
{
    ekm_csv_options o = ekm_csv_options_default();
    o.label = EKM_LABEL_LAST;
    refused(state, "0,1\n1,0\n", &o, EKM_ERR_INVALID, 0, 0,
            "a dissimilarity matrix has no label column");
    o = ekm_csv_options_default();
    o.missing = EKM_MISSING_DROP;
    refused(state, "0,1\n1,0\n", &o, EKM_ERR_INVALID, 0, 0, "missing values cannot be dropped");
    o = ekm_csv_options_default();
    o.separator = 'q';
    refused(state, "0,1\n1,0\n", &o, EKM_ERR_INVALID, 0, 0, "separator");
    o = ekm_csv_options_default();
    o.header = EKM_HEADER_NO;
    refused(state, "a,b\n0,1\n1,0\n", &o, EKM_ERR_PARSE, 1, 1, "field 1: 'a' is not a number");
    /* The error record is optional. */
    ekm_dissim *none = (ekm_dissim *)1;
    assert_int_equal(ekm_dissim_load_matrix(write_file(state, "0,1\n2,0\n", 8), NULL, &none,
                                            NULL),
                     EKM_ERR_PARSE);
    assert_null(none);
    assert_int_equal(ekm_dissim_load_matrix(write_file(state, "0,\"1\n", 5), NULL, &none, NULL),
                     EKM_ERR_PARSE);
    /* EKM_LABEL_NONE is what a matrix means anyway. */
    o = ekm_csv_options_default();
    o.label = EKM_LABEL_NONE;
    ekm_dissim *dm = load_ok(state, "0,1\n1,0\n", &o);
    assert_int_equal(ekm_dissim_n(dm), 2);
    ekm_dissim_release(dm);
}

/* The shipped bad inputs (tests/data/bad). */
static void test_shipped_bad(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        long line, column;
        const char *message;
    } cases[] = {
        {"dissim_asymmetric.csv", 3, 2,
         "field 2: not symmetric: entry (3,2) is 5 but entry (2,3) on line 2 is 3"},
        {"dissim_negative.csv", 1, 3, "field 3: negative dissimilarity -2"},
        {"dissim_not_square.csv", 2, 3,
         "field 3: not square: the rows have 3 fields but the file ends after 2 rows"},
        {"two_rows.csv", 1, 1, "field 1: the diagonal must be 0, found 1"},
        {"binary_garbage.csv", 2, 1, "NUL byte"},
        {"empty.csv", 0, 0, "the file is empty"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/bad/%s", EKM_TEST_DATA, cases[k].file);
        refused_path(path, NULL, EKM_ERR_PARSE, cases[k].line, cases[k].column,
                     cases[k].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_square, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options, setup, teardown),
        cmocka_unit_test(test_shipped_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
