/* test_csv.c — the CSV dataset loader: every format variant, every refused
 * input with its exact line and column, the shipped bad inputs (tests/data/bad)
 * and datasets (data/), and the large ren2022 sets of ../shared/data (skipped,
 * saying so, when that folder is absent), checked against an independent reader.
 * Load speed is a benchmark (tests/bench/csv_load.sh), not a test. */
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

static ekm_csv_options opts(ekm_header_mode h, ekm_label_mode l, ekm_missing_mode m, char sep)
{
    ekm_csv_options o = ekm_csv_options_default();
    o.header = h;
    o.label = l;
    o.missing = m;
    o.separator = sep;
    return o;
}

/* Parse text (its strlen) that must load; returns the dataset. */
static ekm_dataset *parse_ok_n(const char *text, size_t len, const ekm_csv_options *o)
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

static ekm_dataset *parse_ok(const char *text, const ekm_csv_options *o)
{
    return parse_ok_n(text, strlen(text), o);
}

/* Parse text that must be refused with status, line, column and a message containing part. */
static void refused_n(const char *text, size_t len, const ekm_csv_options *o, ekm_status status,
                      long line, long column, const char *part)
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

static void refused(const char *text, const ekm_csv_options *o, ekm_status status, long line,
                    long column, const char *part)
{
    refused_n(text, strlen(text), o, status, line, column, part);
}

static void assert_coords(const ekm_dataset *ds, size_t n, size_t d, const double *want)
{
    assert_int_equal(ekm_dataset_n(ds), n);
    assert_int_equal(ekm_dataset_d(ds), d);
    for (size_t i = 0; i < n * d; i++)
        assert_double_exact(ekm_dataset_coords(ds)[i], want[i]);
}

static void assert_lines(const ekm_dataset *ds, const long *want)
{
    for (size_t i = 0; i < ekm_dataset_n(ds); i++)
        assert_int_equal(ekm_dataset_source_line(ds, i), want[i]);
}

/* ---- separators -------------------------------------------------------------------------- */

static void test_separators(void **state)
{
    (void)state;
    static const double want[] = {1, 2.5, -3, 4e2};
    static const struct {
        const char *text;
        char sep;
    } cases[] = {
        {"1,2.5\n-3,4e2\n", ','},
        {"1;2.5\n-3;4e2\n", ';'},
        {"1\t2.5\n-3\t4e2\n", '\t'},
        {"  1   2.5\n-3 \t 4e2   \n", ' '},
        {"1 , 2.5\n -3,4e2 \n", ','},
        {"1\t 2.5\n-3 \t4e2\n", '\t'},
    };
    ekm_csv_options o = ekm_csv_options_default();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ekm_dataset *ds = parse_ok(cases[k].text, &o);
        assert_coords(ds, 2, 2, want);
        assert_int_equal(ekm_dataset_separator(ds), cases[k].sep);
        assert_false(ekm_dataset_had_header(ds));
        assert_false(ekm_dataset_has_labels(ds));
        ekm_dataset_release(ds);
    }
    /* A single column has no separator to find: ',' is reported. */
    ekm_dataset *ds = parse_ok("1\n2\n3\n", &o);
    static const double col[] = {1, 2, 3};
    assert_coords(ds, 3, 1, col);
    assert_int_equal(ekm_dataset_separator(ds), ',');
    ekm_dataset_release(ds);
}

static void test_separator_detection(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    /* Semicolons inside quotes are not separators. */
    ekm_dataset *ds = parse_ok("1,2,\"a;b;c\"\n3,4,\"d;e\"\n", &o);
    assert_int_equal(ekm_dataset_separator(ds), ',');
    assert_string_equal(ekm_dataset_label(ds, 0), "a;b;c");
    ekm_dataset_release(ds);
    /* Tabs split every row into 3, the comma in the labels into 2: tab wins. */
    ds = parse_ok("1\t2\tx,y\n3\t4\tz,w\n", &o);
    assert_int_equal(ekm_dataset_separator(ds), '\t');
    assert_string_equal(ekm_dataset_label(ds, 1), "z,w");
    ekm_dataset_release(ds);
    /* Blanks inside labels of a comma file do not make it blank-separated. */
    ds = parse_ok("1,2,New York\n3,4,San Jose\n", &o);
    assert_int_equal(ekm_dataset_separator(ds), ',');
    assert_string_equal(ekm_dataset_label(ds, 0), "New York");
    ekm_dataset_release(ds);
    /* Blank-aligned columns with a stray tab are blank-separated... */
    ds = parse_ok("  1   2\n3 \t 4\n", &o);
    assert_int_equal(ekm_dataset_separator(ds), ' ');
    assert_int_equal(ekm_dataset_d(ds), 2);
    ekm_dataset_release(ds);
    /* ... but a constant number of blanks in labels does not beat a comma. */
    ds = parse_ok("1,a b c d\n2,e f g h\n", &o);
    assert_int_equal(ekm_dataset_separator(ds), ',');
    assert_string_equal(ekm_dataset_label(ds, 1), "e f g h");
    ekm_dataset_release(ds);
    /* A ragged row does not stop the comma from being found; the row is then refused. */
    refused("1,2\n3,4\n5\n7,8\n", &o, EKM_ERR_PARSE, 3, 2,
            "expected 2 fields (as on line 1), found 1");
}

static void test_separator_forced(void **state)
{
    (void)state;
    ekm_csv_options o = opts(EKM_HEADER_AUTO, EKM_LABEL_AUTO, EKM_MISSING_REFUSE, ';');
    ekm_dataset *ds = parse_ok("1;2\n3;4\n", &o);
    assert_int_equal(ekm_dataset_separator(ds), ';');
    ekm_dataset_release(ds);
    /* A decimal comma is not a number. */
    refused("1.5;2\n1,5;2\n", &o, EKM_ERR_PARSE, 2, 1, "field 1: '1,5' is not a number");
    o.separator = '|';
    ds = parse_ok("1|2\n3|4\n", &o);
    static const double want[] = {1, 2, 3, 4};
    assert_coords(ds, 2, 2, want);
    assert_int_equal(ekm_dataset_separator(ds), '|');
    ekm_dataset_release(ds);
    o.separator = ' ';
    ds = parse_ok("1  2\n\t3 4\n", &o);
    assert_coords(ds, 2, 2, want);
    ekm_dataset_release(ds);
    o.separator = ',';
    o.header = EKM_HEADER_NO;
    refused("1\t2\n", &o, EKM_ERR_PARSE, 1, 1, "field 1: '1\\t2' is not a number");
    o.header = EKM_HEADER_AUTO;
    o.separator = 'x';
    refused("1,2\n", &o, EKM_ERR_INVALID, 0, 0, "separator");
    o.separator = '.';
    refused("1,2\n", &o, EKM_ERR_INVALID, 0, 0, "separator");
}

/* ---- encodings and line ends ------------------------------------------------------------- */

static void test_bom(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    static const double want[] = {1, 2, 3, 4};
    ekm_dataset *ds = parse_ok("\xEF\xBB\xBF" "1,2\n3,4\n", &o);
    assert_coords(ds, 2, 2, want);
    assert_false(ekm_dataset_had_header(ds));
    ekm_dataset_release(ds);
    ds = parse_ok("\xEF\xBB\xBF" "x,y\n1,2\n3,4\n", &o);
    assert_coords(ds, 2, 2, want);
    assert_true(ekm_dataset_had_header(ds));
    assert_string_equal(ekm_dataset_column_name(ds, 0), "x");
    ekm_dataset_release(ds);
    /* Byte columns on line 1 do not count the BOM. */
    refused("\xEF\xBB\xBF" "\"1,2\n", &o, EKM_ERR_PARSE, 1, 1, "unterminated quoted field");
    refused("\xEF\xBB\xBF", &o, EKM_ERR_PARSE, 0, 0, "the file is empty");
}

static void test_line_ends(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    static const double want[] = {1, 2, 3, 4, 5, 6};
    static const long lines[] = {1, 2, 3};
    static const char *const texts[] = {
        "1,2\r\n3,4\r\n5,6\r\n", "1,2\r3,4\r5,6\r", "1,2\r3,4\n5,6", "1,2\n3,4\r\n5,6\r",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        ekm_dataset *ds = parse_ok(texts[k], &o);
        assert_coords(ds, 3, 2, want);
        assert_lines(ds, lines);
        ekm_dataset_release(ds);
    }
    /* CR-only files count CRs as line ends; CRLF is one line end. */
    refused("1,2\r3,4\r5,x\r", &o, EKM_ERR_PARSE, 3, 2, "field 2: 'x' is not a number");
    refused("1,2\r\n3,4\r\n5,x\r\n", &o, EKM_ERR_PARSE, 3, 2, "'x' is not a number");
    refused("1,2\r\n\r\n3,4\r\r5,x\n", &o, EKM_ERR_PARSE, 5, 2, "'x' is not a number");
}

static void test_blank_lines(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    ekm_dataset *ds = parse_ok("\n\n1,2\n   \n\t\n3,4\n \t \n\n", &o);
    static const double want[] = {1, 2, 3, 4};
    static const long lines[] = {3, 6};
    assert_coords(ds, 2, 2, want);
    assert_lines(ds, lines);
    ekm_dataset_release(ds);
    /* Blank lines around a header. */
    ds = parse_ok("\r\n x,y \r\n\r\n1,2\r\n\r\n3,4", &o);
    static const long lines2[] = {4, 6};
    assert_coords(ds, 2, 2, want);
    assert_lines(ds, lines2);
    assert_true(ekm_dataset_had_header(ds));
    assert_string_equal(ekm_dataset_column_name(ds, 1), "y");
    ekm_dataset_release(ds);
    /* Blank-separated rows with trailing blanks. */
    ds = parse_ok("1 2   \n\n   \n3 4\n", &o);
    assert_coords(ds, 2, 2, want);
    ekm_dataset_release(ds);
}

/* ---- quotes ------------------------------------------------------------------------------ */

static void test_quotes(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    const char *text = "\"x\",\"y, too\",name\n"
                       "1,2,\"a,b\"\n"
                       "\"3\",\" 4 \",\"say \"\"hi\"\"\"\n"
                       "5,6,\"two\nlines\"\n"
                       "7,8, \"lead\" \n"
                       "9,10,plain text\n";
    ekm_dataset *ds = parse_ok(text, &o);
    static const double want[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const long lines[] = {2, 3, 4, 6, 7};
    assert_coords(ds, 5, 2, want);
    assert_lines(ds, lines);
    assert_true(ekm_dataset_had_header(ds));
    assert_string_equal(ekm_dataset_column_name(ds, 0), "x");
    assert_string_equal(ekm_dataset_column_name(ds, 1), "y, too");
    assert_null(ekm_dataset_column_name(ds, 2));
    assert_true(ekm_dataset_has_labels(ds));
    assert_string_equal(ekm_dataset_label(ds, 0), "a,b");
    assert_string_equal(ekm_dataset_label(ds, 1), "say \"hi\"");
    assert_string_equal(ekm_dataset_label(ds, 2), "two\nlines");
    assert_string_equal(ekm_dataset_label(ds, 3), "lead");
    assert_string_equal(ekm_dataset_label(ds, 4), "plain text");
    ekm_dataset_release(ds);
    /* A multi-line quoted field moves the line count of later errors. */
    refused("1,2,\"a\nb\nc\"\n3,x,d\n", &o, EKM_ERR_PARSE, 4, 2, "field 2: 'x' is not a number");
    /* A stray quote inside an unquoted field is kept literally (here: not a number). */
    refused("1,2\n3,4\"5\n", &o, EKM_ERR_PARSE, 2, 2, "field 2: '4\"5' is not a number");
    /* A quoted field holding "" is never a number. */
    refused("1,2\n3,\"4\"\"\"\n", &o, EKM_ERR_PARSE, 2, 2, "field 2: '4\"' is not a number");
}

static void test_quote_errors(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    refused("1,2\n3,\"abc\n4,5\n", &o, EKM_ERR_PARSE, 2, 3,
            "unterminated quoted field: the quote opened here never closes");
    refused("1,2\n3, \"abc", &o, EKM_ERR_PARSE, 2, 4, "unterminated quoted field");
    refused("1,\"ab\"c\n", &o, EKM_ERR_PARSE, 1, 7,
            "unexpected character 'c' after the closing quote of a field");
    refused("1,2\r3,\"a\" x\r", &o, EKM_ERR_PARSE, 2, 7, "unexpected character 'x'");
    refused("1,2\n\"\"\"\n", &o, EKM_ERR_PARSE, 2, 1, "unterminated quoted field");
}

/* ---- header ------------------------------------------------------------------------------ */

static void test_header_modes(void **state)
{
    (void)state;
    static const double want[] = {1, 2, 3, 4};
    ekm_csv_options o = ekm_csv_options_default();
    /* AUTO: a text field over a number. */
    ekm_dataset *ds = parse_ok("a,b\n1,2\n3,4\n", &o);
    assert_true(ekm_dataset_had_header(ds));
    assert_coords(ds, 2, 2, want);
    assert_string_equal(ekm_dataset_column_name(ds, 0), "a");
    assert_string_equal(ekm_dataset_column_name(ds, 1), "b");
    assert_null(ekm_dataset_column_name(ds, 2));
    ekm_dataset_release(ds);
    /* AUTO: one text name is enough; an empty first name is fine (R's row names). */
    ds = parse_ok("\"\",b\n1,2\n3,4\n", &o);
    assert_true(ekm_dataset_had_header(ds));
    assert_string_equal(ekm_dataset_column_name(ds, 0), "");
    ekm_dataset_release(ds);
    /* AUTO: a numeric first row is data. */
    ds = parse_ok("1,2\n3,4\n", &o);
    assert_false(ekm_dataset_had_header(ds));
    assert_null(ekm_dataset_column_name(ds, 0));
    ekm_dataset_release(ds);
    /* AUTO: a numeric first row is data even over a numeric-looking label. */
    ds = parse_ok("1,2,a\n3,4,42\n", &o);
    assert_false(ekm_dataset_had_header(ds));
    assert_int_equal(ekm_dataset_n(ds), 2);
    ekm_dataset_release(ds);
    /* AUTO: ... while a first row of text only is a header over any number. */
    ds = parse_ok("x,NA,name\n1,2,3\n", &o);
    assert_true(ekm_dataset_had_header(ds));
    assert_int_equal(ekm_dataset_d(ds), 3);
    assert_string_equal(ekm_dataset_column_name(ds, 1), "NA");
    ekm_dataset_release(ds);
    /* AUTO: text over text in the label column only is not a header. */
    ds = parse_ok("1,2,a\n3,4,b\n", &o);
    assert_false(ekm_dataset_had_header(ds));
    assert_int_equal(ekm_dataset_n(ds), 2);
    ekm_dataset_release(ds);
    /* YES: the numeric first row becomes names. */
    o.header = EKM_HEADER_YES;
    ds = parse_ok("10,20\n1,2\n3,4\n", &o);
    assert_true(ekm_dataset_had_header(ds));
    assert_coords(ds, 2, 2, want);
    assert_string_equal(ekm_dataset_column_name(ds, 0), "10");
    ekm_dataset_release(ds);
    /* NO: names are then data, and not numbers. */
    o.header = EKM_HEADER_NO;
    refused("x,y\n1,2\n", &o, EKM_ERR_PARSE, 1, 1, "field 1: 'x' is not a number");
    /* Only a header. */
    o.header = EKM_HEADER_AUTO;
    refused("x,y\n", &o, EKM_ERR_PARSE, 1, 0, "no data rows: the file has only a header line");
    refused("\n\nx,y\n\n \n", &o, EKM_ERR_PARSE, 3, 0, "no data rows");
    o.header = EKM_HEADER_YES;
    refused("1,2\n", &o, EKM_ERR_PARSE, 1, 0, "no data rows");
    /* A single numeric row is data (fewer rows than K is for the solver to refuse). */
    o.header = EKM_HEADER_AUTO;
    ds = parse_ok("1,2", &o);
    assert_int_equal(ekm_dataset_n(ds), 1);
    ekm_dataset_release(ds);
    /* A first row without numbers is a header even when the next row has none either. */
    refused("a,b\nfoo,bar\nbaz,qux\n", &o, EKM_ERR_PARSE, 2, 1, "field 1: 'foo' is not a number");
    /* A header with a different field count makes the data rows ragged. */
    refused("a,b,c\n1,2\n", &o, EKM_ERR_PARSE, 2, 3, "expected 3 fields (as on line 1), found 2");
}

/* ---- labels ------------------------------------------------------------------------------ */

static void test_label_modes(void **state)
{
    (void)state;
    static const double want2[] = {1, 2, 3, 4};
    static const double want3[] = {1, 2, 0, 3, 4, 1};
    const char *numeric = "1,2,0\n3,4,1\n";
    const char *text = "x,y,class\n1,2,setosa\n3,4,virginica\n";
    ekm_csv_options o = ekm_csv_options_default();
    /* AUTO: a text last column is labels, a numeric one is data. */
    ekm_dataset *ds = parse_ok(text, &o);
    assert_coords(ds, 2, 2, want2);
    assert_true(ekm_dataset_has_labels(ds));
    assert_string_equal(ekm_dataset_label(ds, 0), "setosa");
    assert_string_equal(ekm_dataset_label(ds, 1), "virginica");
    assert_null(ekm_dataset_column_name(ds, 2));
    ekm_dataset_release(ds);
    ds = parse_ok(numeric, &o);
    assert_coords(ds, 2, 3, want3);
    assert_false(ekm_dataset_has_labels(ds));
    assert_null(ekm_dataset_label(ds, 0));
    ekm_dataset_release(ds);
    /* AUTO: the first data row decides; a later numeric-looking label stays a label. */
    ds = parse_ok("1,2,a\n3,4,42\n", &o);
    assert_coords(ds, 2, 2, want2);
    assert_string_equal(ekm_dataset_label(ds, 1), "42");
    ekm_dataset_release(ds);
    /* ... and a later text value in a numeric last column is refused. */
    refused("1,2,0\n3,4,b\n", &o, EKM_ERR_PARSE, 2, 3, "field 3: 'b' is not a number");
    /* LAST: a numeric class column is dropped and kept as labels. */
    o.label = EKM_LABEL_LAST;
    ds = parse_ok(numeric, &o);
    assert_coords(ds, 2, 2, want2);
    assert_true(ekm_dataset_has_labels(ds));
    assert_string_equal(ekm_dataset_label(ds, 0), "0");
    assert_string_equal(ekm_dataset_label(ds, 1), "1");
    ekm_dataset_release(ds);
    ds = parse_ok(text, &o);
    assert_coords(ds, 2, 2, want2);
    assert_string_equal(ekm_dataset_label(ds, 1), "virginica");
    ekm_dataset_release(ds);
    /* LAST: an empty label is a label, not a missing value. */
    ds = parse_ok("1,2,\n3,4,x\n", &o);
    assert_string_equal(ekm_dataset_label(ds, 0), "");
    ekm_dataset_release(ds);
    refused("1\n2\n", &o, EKM_ERR_PARSE, 1, 1, "leaves no numeric column");
    /* NONE: every column must be numeric. */
    o.label = EKM_LABEL_NONE;
    ds = parse_ok(numeric, &o);
    assert_coords(ds, 2, 3, want3);
    assert_false(ekm_dataset_has_labels(ds));
    ekm_dataset_release(ds);
    refused(text, &o, EKM_ERR_PARSE, 2, 3, "field 3: 'setosa' is not a number");
}

/* ---- missing values ---------------------------------------------------------------------- */

static void test_missing_refused(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    refused("1,2\n3,\n", &o, EKM_ERR_PARSE, 2, 2,
            "field 2: missing value (empty field); use --missing drop to drop such rows");
    refused("1,2\n3,4\n,5\n", &o, EKM_ERR_PARSE, 3, 1, "field 1: missing value (empty field)");
    refused("1,2\n3, NA\n", &o, EKM_ERR_PARSE, 2, 2,
            "field 2: missing value 'NA'; use --missing drop");
    refused("1,2\n?,4\n", &o, EKM_ERR_PARSE, 2, 1, "field 1: missing value '?'; use --missing");
    refused("1,2\n3,\"\"\n", &o, EKM_ERR_PARSE, 2, 2, "missing value (empty field)");
    /* A trailing separator makes an empty last field. */
    refused("1,2,\n", &o, EKM_ERR_PARSE, 1, 3, "field 3: missing value (empty field)");
    /* NaN is never a missing value. */
    refused("1,2\n3,NaN\n", &o, EKM_ERR_PARSE, 2, 2, "'NaN' is NaN, not a finite number");
}

static void test_missing_dropped(void **state)
{
    (void)state;
    ekm_csv_options o = opts(EKM_HEADER_AUTO, EKM_LABEL_AUTO, EKM_MISSING_DROP, 0);
    ekm_dataset *ds = parse_ok("x,y\n1,2\nNA,3\n4,?\n5,6\n7,\n,\n8,9\n", &o);
    static const double want[] = {1, 2, 5, 6, 8, 9};
    static const long lines[] = {2, 5, 8};
    assert_coords(ds, 3, 2, want);
    assert_lines(ds, lines);
    assert_int_equal(ekm_dataset_dropped_rows(ds), 4);
    ekm_dataset_release(ds);
    /* Labels of dropped rows are dropped too. */
    ds = parse_ok("1,2,a\nNA,3,b\n4,5,c\n", &o);
    assert_int_equal(ekm_dataset_n(ds), 2);
    assert_string_equal(ekm_dataset_label(ds, 0), "a");
    assert_string_equal(ekm_dataset_label(ds, 1), "c");
    assert_int_equal(ekm_dataset_dropped_rows(ds), 1);
    ekm_dataset_release(ds);
    /* Nothing dropped. */
    ds = parse_ok("1,2\n", &o);
    assert_int_equal(ekm_dataset_dropped_rows(ds), 0);
    ekm_dataset_release(ds);
    /* A bad field in a row with a missing value is still refused. */
    refused("1,2\nNA,x\n", &o, EKM_ERR_PARSE, 2, 2, "field 2: 'x' is not a number");
    refused("1,2\nNA,inf\n", &o, EKM_ERR_PARSE, 2, 2, "infinite");
    /* Every row dropped. */
    refused("NA,1\n2,?\n", &o, EKM_ERR_PARSE, 0, 0,
            "no data rows left: all 2 rows have a missing value");
    /* Ragged rows are not "missing". */
    refused("1,2\n3\n", &o, EKM_ERR_PARSE, 2, 2, "expected 2 fields (as on line 1), found 1");
}

/* ---- numbers ----------------------------------------------------------------------------- */

static void test_bad_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *field;
        const char *message;
    } cases[] = {
        {"abc", "field 2: 'abc' is not a number"},
        {"nan", "field 2: 'nan' is NaN, not a finite number"},
        {"NaN", "'NaN' is NaN"},
        {"-nan", "'-nan' is NaN"},
        {"NAN(123)", "'NAN(123)' is NaN"},
        {"inf", "field 2: 'inf' is infinite, not a finite number"},
        {"-Inf", "'-Inf' is infinite"},
        {"Infinity", "'Infinity' is infinite"},
        {"+INFINITY", "'+INFINITY' is infinite"},
        {"0x10", "field 2: '0x10' is a hexadecimal number; write it in decimal"},
        {"0X1p3", "'0X1p3' is a hexadecimal number"},
        {"-0x.8p1", "'-0x.8p1' is a hexadecimal number"},
        {"1e999", "field 2: '1e999' is out of range for a double"},
        {"-1e999", "'-1e999' is out of range"},
        {"1.8e308", "'1.8e308' is out of range"},
        {"1e", "'1e' is not a number"},
        {"1e+", "'1e+' is not a number"},
        {"1.2.3", "'1.2.3' is not a number"},
        {"--1", "'--1' is not a number"},
        {"+", "'+' is not a number"},
        {".", "'.' is not a number"},
        {"e5", "'e5' is not a number"},
        {"1d5", "'1d5' is not a number"},
        {"1 2", "'1 2' is not a number"},
        {"0x", "'0x' is not a number"},
        {"infinite", "'infinite' is not a number"},
        {"nano", "'nano' is not a number"},
        {"N/A", "'N/A' is not a number"},
        {"na", "'na' is not a number"},
        {"1\x01", "'1\\x01' is not a number"},
    };
    ekm_csv_options o = ekm_csv_options_default();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[128];
        snprintf(text, sizeof text, "1,2\n3,%s\n5,6\n", cases[k].field);
        refused(text, &o, EKM_ERR_PARSE, 2, 2, cases[k].message);
    }
}

static void test_numbers_exact(void **state)
{
    (void)state;
    /* Reference values are the compiler's own conversions of the same literals. */
    static const struct {
        const char *text;
        double value;
    } cases[] = {
        {"0.1", 0.1},
        {"-0", -0.0},
        {"+.5", .5},
        {"5.", 5.},
        {"00012", 12.0},
        {"1E3", 1E3},
        {"1e-320", 1e-320}, /* subnormal: accepted */
        {"1e-400", 0.0},    /* underflows to zero: accepted */
        {"2.2250738585072011e-308", 2.2250738585072011e-308},
        {"1.7976931348623157e308", DBL_MAX},
        {"9007199254740993", 9007199254740992.0}, /* ties to even */
        {"0.30000000000000004", 0.30000000000000004},
        {"123456789012345678901234567890", 123456789012345678901234567890.0},
        {"  7.25\t", 7.25},
        {"\" -3.5 \"", -3.5},
    };
    ekm_csv_options o = opts(EKM_HEADER_NO, EKM_LABEL_NONE, EKM_MISSING_REFUSE, ',');
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[512];
        snprintf(text, sizeof text, "%s,1\n", cases[k].text);
        ekm_dataset *ds = parse_ok(text, &o);
        assert_int_equal(ekm_dataset_d(ds), 2);
        if (!(ekm_dataset_coords(ds)[0] == cases[k].value &&
              signbit(ekm_dataset_coords(ds)[0]) == signbit(cases[k].value)))
            fail_msg("'%s' read as %.17g, expected %.17g", cases[k].text,
                     ekm_dataset_coords(ds)[0], cases[k].value);
        ekm_dataset_release(ds);
    }
    /* A number longer than any stack buffer: 0.000...001 with 250 decimals. */
    char text[300] = "0.";
    for (int i = 0; i < 249; i++)
        strcat(text, "0");
    strcat(text, "1,2\n");
    ekm_dataset *ds = parse_ok(text, &o);
    assert_double_exact(ekm_dataset_coords(ds)[0], 1e-250);
    ekm_dataset_release(ds);
}

/* Numbers are read in the C locale whatever LC_NUMERIC the process uses. A
 * locale whose decimal point is ',' is compiled with localedef (libc-bin) into
 * a temporary folder when the system has none installed. */
static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Restores the C locale even when test_locale_independent fails half-way. */
static int restore_locale(void **state)
{
    (void)state;
    return setlocale(LC_NUMERIC, "C") ? 0 : -1;
}

static void test_locale_independent(void **state)
{
    (void)state;
    char dir[] = "/tmp/ekm_test_csv_locale_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], cmd[1200];
    snprintf(path, sizeof path, "%s/comma.src", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("comment_char %\nescape_char /\nLC_NUMERIC\ndecimal_point \"<U002C>\"\n"
          "thousands_sep \"<U002E>\"\ngrouping 3;3\nEND LC_NUMERIC\n",
          f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "localedef -c -i '%s' '%s/xx_COMMA' >/dev/null 2>&1", path, dir);
    int rc = system(cmd); /* exits 1 for the warnings about the categories left out */
    (void)rc;
    char *old_locpath = getenv("LOCPATH") ? strdup(getenv("LOCPATH")) : NULL;
    setenv("LOCPATH", dir, 1);
    const char *set = setlocale(LC_NUMERIC, "xx_COMMA");
    if (!set)
        set = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (old_locpath) {
        setenv("LOCPATH", old_locpath, 1);
        free(old_locpath);
    } else {
        unsetenv("LOCPATH");
    }
    assert_non_null(set);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    assert_string_equal(probe, "1,5"); /* the process really uses a decimal comma now */

    ekm_csv_options o = ekm_csv_options_default();
    ekm_dataset *ds = parse_ok("1.5;2.25\n-0.125;1e-3\n", &o);
    static const double want[] = {1.5, 2.25, -0.125, 1e-3};
    assert_coords(ds, 2, 2, want);
    ekm_dataset_release(ds);
    refused("1.5;2\n1,5;2\n", &o, EKM_ERR_PARSE, 2, 1, "'1,5' is not a number");
    setlocale(LC_NUMERIC, "C");
    remove_tree(dir);
}

/* ---- refused inputs ---------------------------------------------------------------------- */

static void test_empty_and_blank(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    refused("", &o, EKM_ERR_PARSE, 0, 0, "the file is empty");
    refused_n(NULL, 0, &o, EKM_ERR_PARSE, 0, 0, "the file is empty");
    refused("\n\n", &o, EKM_ERR_PARSE, 0, 0, "the file has only blank lines, no data");
    refused("  \r\n\t\r \n", &o, EKM_ERR_PARSE, 0, 0, "only blank lines");
}

static void test_nul_bytes(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    refused_n("1,2\n3,\0x\n", 9, &o, EKM_ERR_PARSE, 2, 3,
              "NUL byte: this is a binary file, not CSV text");
    refused_n("1,2\r\r\0", 6, &o, EKM_ERR_PARSE, 3, 1, "NUL byte");
    refused_n("\0", 1, &o, EKM_ERR_PARSE, 1, 1, "NUL byte");
    refused_n("\xEF\xBB\xBF" "ab\0", 6, &o, EKM_ERR_PARSE, 1, 3, "NUL byte");
}

static void test_ragged(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    /* Too few: the column is the first missing field; too many: the first extra one. */
    refused("1,2,3\n4,5\n", &o, EKM_ERR_PARSE, 2, 3,
            "field 3 is missing: expected 3 fields (as on line 1), found 2");
    refused("1,2\n3,4,5\n", &o, EKM_ERR_PARSE, 2, 3,
            "field 3 is extra: expected 2 fields (as on line 1), found 3");
    refused("\n1 2\n3 4 5 6\n", &o, EKM_ERR_PARSE, 3, 3,
            "expected 2 fields (as on line 2), found 4");
    refused("1;2\n3;4\n\n5;6;\n", &o, EKM_ERR_PARSE, 4, 3, "found 3");
}

static void test_message_truncation(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    char text[512], want[256];
    /* 100 bytes: the message quotes the first 40 and "...". */
    char field[101];
    for (int i = 0; i < 100; i++)
        field[i] = (char)('a' + i % 26);
    field[100] = '\0';
    snprintf(text, sizeof text, "1,2\n3,%s\n", field);
    snprintf(want, sizeof want, "field 2: '%.40s...' is not a number", field);
    refused(text, &o, EKM_ERR_PARSE, 2, 2, want);
    /* The cut does not split a UTF-8 sequence (31 ASCII bytes, then 2-byte characters). */
    char utf[64] = "";
    for (int i = 0; i < 31; i++)
        strcat(utf, "x");
    for (int i = 0; i < 10; i++)
        strcat(utf, "\xC3\xA9");
    snprintf(text, sizeof text, "1,2\n3,%s\n", utf);
    snprintf(want, sizeof want, "'%.31s\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9...' is not", utf);
    refused(text, &o, EKM_ERR_PARSE, 2, 2, want);
    /* An escaped quoted field is unescaped in the message. */
    refused("1,2\n3,\"a\"\"b\"\n", &o, EKM_ERR_PARSE, 2, 2, "field 2: 'a\"b' is not a number");
}

/* Long lines: 200000 fields on one row, and a 1 MiB label (their load time, linear in the
 * line length, is measured by tests/bench/csv_load.sh). */
static void test_long_lines(void **state)
{
    (void)state;
    const size_t d = 200000, label = 1 << 20;
    size_t cap = 2 * (d * 8 + 8) + label + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int row = 0; row < 2; row++) {
        for (size_t j = 0; j < d; j++)
            len += (size_t)snprintf(text + len, cap - len, "%zu,", j * 2 + (size_t)row);
        text[len - 1] = '\n';
    }
    ekm_csv_options o = ekm_csv_options_default();
    ekm_dataset *ds = parse_ok_n(text, len, &o);
    assert_int_equal(ekm_dataset_n(ds), 2);
    assert_int_equal(ekm_dataset_d(ds), d);
    assert_double_exact(ekm_dataset_point(ds, 1)[d - 1], (double)((d - 1) * 2 + 1));
    ekm_dataset_release(ds);

    len = (size_t)snprintf(text, cap, "1,\"");
    memset(text + len, 'q', label);
    len += label;
    len += (size_t)snprintf(text + len, cap - len, "\"\n2,b\n");
    ds = parse_ok_n(text, len, &o);
    assert_int_equal(strlen(ekm_dataset_label(ds, 0)), label);
    assert_string_equal(ekm_dataset_label(ds, 1), "b");
    ekm_dataset_release(ds);
    free(text);
}

/* ---- files, in-memory points, accessors -------------------------------------------------- */

static void test_load_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/ekm_test_csv_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\xEF\xBB\xBFh1;h2;name\r\n1,5;2;x\r\n", f);
    assert_int_equal(fclose(f), 0);
    ekm_dataset *ds = (ekm_dataset *)1;
    ekm_error err;
    ekm_csv_options o = ekm_csv_options_default();
    /* Errors name the path. */
    assert_int_equal(ekm_dataset_load_csv(path, &o, &ds, &err), EKM_ERR_PARSE);
    assert_null(ds);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "'1,5' is not a number"));
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("h1;h2;name\n1.5;2;x\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ekm_dataset_load_csv(path, NULL, &ds, &err), EKM_OK);
    assert_string_equal(ekm_dataset_name(ds), path);
    assert_int_equal(ekm_dataset_separator(ds), ';');
    assert_double_exact(ekm_dataset_point(ds, 0)[0], 1.5);
    assert_string_equal(ekm_dataset_label(ds, 0), "x");
    ekm_dataset_release(ds);
    /* I/O errors: a missing file and a directory. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nope.csv", dir);
    assert_int_equal(ekm_dataset_load_csv(missing, &o, &ds, &err), EKM_ERR_IO);
    assert_null(ds);
    assert_int_equal(err.status, EKM_ERR_IO);
    assert_string_equal(err.file, missing);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "cannot open: No such file or directory"));
    assert_int_equal(ekm_dataset_load_csv(dir, &o, &ds, &err), EKM_ERR_IO);
    assert_non_null(strstr(err.message, "Is a directory"));
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_invalid_options(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    assert_int_equal(o.header, EKM_HEADER_AUTO);
    assert_int_equal(o.label, EKM_LABEL_AUTO);
    assert_int_equal(o.missing, EKM_MISSING_REFUSE);
    assert_int_equal(o.separator, 0);
    o.header = (ekm_header_mode)7;
    refused("1,2\n", &o, EKM_ERR_INVALID, 0, 0, "invalid CSV options");
}

/* The error record is optional: the status alone still tells what happened. */
static void test_no_error_record(void **state)
{
    (void)state;
    ekm_dataset *ds = (ekm_dataset *)1;
    assert_int_equal(ekm_dataset_parse_csv("m", "1,\"x", 4, NULL, &ds, NULL), EKM_ERR_PARSE);
    assert_null(ds);
    assert_int_equal(ekm_dataset_parse_csv("m", "1,x\n", 4, NULL, &ds, NULL), EKM_OK);
    ekm_dataset_release(ds);
    assert_int_equal(ekm_dataset_parse_csv("m", "1,2\n3\n", 6, NULL, &ds, NULL), EKM_ERR_PARSE);
    assert_int_equal(ekm_dataset_load_csv("/nonexistent/ekm.csv", NULL, &ds, NULL), EKM_ERR_IO);
    assert_null(ds);
}

static void test_from_points(void **state)
{
    (void)state;
    static const double xy[] = {1, 2, 3, 4, 5, 6};
    static const char *const labels[] = {"a", NULL, "ccc"};
    ekm_dataset *ds;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("pts", 3, 2, xy, labels, &ds, &err), EKM_OK);
    assert_string_equal(ekm_dataset_name(ds), "pts");
    assert_coords(ds, 3, 2, xy);
    assert_ptr_not_equal(ekm_dataset_coords(ds), xy); /* copied */
    assert_double_exact(ekm_dataset_point(ds, 2)[1], 6);
    assert_string_equal(ekm_dataset_label(ds, 0), "a");
    assert_string_equal(ekm_dataset_label(ds, 1), "");
    assert_string_equal(ekm_dataset_label(ds, 2), "ccc");
    assert_int_equal(ekm_dataset_source_line(ds, 0), 0);
    assert_null(ekm_dataset_column_name(ds, 0));
    assert_false(ekm_dataset_had_header(ds));
    assert_int_equal(ekm_dataset_dropped_rows(ds), 0);
    /* Out of range. */
    assert_null(ekm_dataset_point(ds, 3));
    assert_null(ekm_dataset_label(ds, 3));
    assert_int_equal(ekm_dataset_source_line(ds, 3), 0);
    /* Reference counting: the dataset lives until the last release. */
    assert_ptr_equal(ekm_dataset_retain(ds), ds);
    ekm_dataset_release(ds);
    assert_double_exact(ekm_dataset_point(ds, 0)[0], 1);
    ekm_dataset_release(ds);
    ekm_dataset_release(NULL);

    assert_int_equal(ekm_dataset_from_points("pts", 3, 2, xy, NULL, &ds, &err), EKM_OK);
    assert_false(ekm_dataset_has_labels(ds));
    assert_null(ekm_dataset_label(ds, 0));
    ekm_dataset_release(ds);

    assert_int_equal(ekm_dataset_from_points("pts", 0, 2, xy, NULL, &ds, &err), EKM_ERR_INVALID);
    assert_null(ds);
    assert_int_equal(ekm_dataset_from_points("pts", 2, 0, xy, NULL, &ds, &err), EKM_ERR_INVALID);
    double bad[] = {1, 2, 3, NAN};
    assert_int_equal(ekm_dataset_from_points("pts", 2, 2, bad, NULL, &ds, &err), EKM_ERR_INVALID);
    assert_string_equal(err.message, "coordinate 2 of point 2 is not a finite number");
    bad[3] = INFINITY;
    assert_int_equal(ekm_dataset_from_points("pts", 2, 2, bad, NULL, &ds, &err), EKM_ERR_INVALID);
}

/* ---- the shipped files (tests/data/bad, data/) and the shared data (../shared/data) ------ */

/* The ren2022 sets are too large to ship: their tests skip, saying why, without them. */
static int shared_present(void)
{
    struct stat st;
    if (stat(EKM_SHARED_DATA "/ren2022", &st) == 0)
        return 1;
    print_message("skipped: %s/ren2022 is absent (the large shared datasets are not shipped)\n",
                  EKM_SHARED_DATA);
    return 0;
}

static void test_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        long line, column;
        const char *message;
    } cases[] = {
        {"binary_garbage.csv", 2, 1, "NUL byte"},
        {"empty.csv", 0, 0, "the file is empty"},
        {"header_only.csv", 1, 0, "no data rows: the file has only a header line"},
        {"inf_value.csv", 2, 2, "field 2: 'inf' is infinite, not a finite number"},
        {"nan_value.csv", 2, 2, "field 2: 'nan' is NaN, not a finite number"},
        {"no_numeric_column.csv", 2, 1, "field 1: 'foo' is not a number"},
        {"non_numeric.csv", 2, 2, "field 2: 'abc' is not a number"},
        {"overflow_value.csv", 2, 2, "field 2: '1e999' is out of range for a double"},
        {"ragged_row.csv", 3, 2,
         "field 2 is missing: expected 2 fields (as on line 1), found 1"},
    };
    size_t listed = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/bad/%s", EKM_TEST_DATA, cases[k].file);
        ekm_dataset *ds = (ekm_dataset *)1;
        ekm_error err;
        ekm_error_clear(&err);
        ekm_status st = ekm_dataset_load_csv(path, NULL, &ds, &err);
        if (st != EKM_ERR_PARSE || err.line != cases[k].line || err.column != cases[k].column ||
            !strstr(err.message, cases[k].message) || strcmp(err.file, path) != 0)
            fail_msg("%s: got %s %ld:%ld '%s'", cases[k].file, ekm_status_name(st), err.line,
                     err.column, err.message);
        assert_null(ds);
        listed++;
    }
    /* Every other .csv there is one of the three exceptions, which load. */
    DIR *dir = opendir(EKM_TEST_DATA "/bad");
    assert_non_null(dir);
    size_t csv = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        csv++;
        int known = 0;
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
            known |= strcmp(e->d_name, cases[k].file) == 0;
        if (known)
            continue;
        if (strcmp(e->d_name, "two_rows.csv") != 0 && strncmp(e->d_name, "dissim_", 7) != 0)
            fail_msg("bad/%s is not covered by this test", e->d_name);
        char path[1024];
        snprintf(path, sizeof path, "%s/bad/%s", EKM_TEST_DATA, e->d_name);
        ekm_dataset *ds;
        ekm_error err;
        if (ekm_dataset_load_csv(path, NULL, &ds, &err) != EKM_OK)
            fail_msg("%s refused: %s", e->d_name, err.message);
        assert_int_equal(ekm_dataset_n(ds), strcmp(e->d_name, "two_rows.csv") == 0 ? 2
                                            : strstr(e->d_name, "not_square")      ? 2
                                                                                   : 3);
        ekm_dataset_release(ds);
    }
    closedir(dir);
    assert_int_equal(csv, listed + 4);
}

/* The R exports shipped in data/ load with defaults: header detected, a text last
 * column as labels. n and d are those of tests/data/optima.json. */
static void test_shipped_r(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        size_t n, d;
        int labels;
        const char *col0, *label0;
        double x0;
    } cases[] = {
        {"iris.csv", 150, 4, 1, "Sepal.Length", "setosa", 5.1},
        {"faithful.csv", 272, 2, 0, "eruptions", NULL, 3.6},
        {"USArrests.csv", 50, 4, 1, "Murder", "Alabama", 13.2},
        {"trees.csv", 31, 3, 0, "Girth", NULL, 8.3},
        {"mtcars.csv", 32, 11, 1, "mpg", "Mazda_RX4", 21},
        {"ruspini.csv", 75, 2, 0, "x", NULL, 4},
        {"women.csv", 15, 2, 0, "height", NULL, 58},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/data/%s", EKM_SOURCE_DIR, cases[k].file);
        ekm_dataset *ds;
        ekm_error err;
        if (ekm_dataset_load_csv(path, NULL, &ds, &err) != EKM_OK)
            fail_msg("%s refused: %s:%ld:%ld: %s", cases[k].file, err.file, err.line,
                     err.column, err.message);
        assert_int_equal(ekm_dataset_n(ds), cases[k].n);
        assert_int_equal(ekm_dataset_d(ds), cases[k].d);
        assert_true(ekm_dataset_had_header(ds));
        assert_int_equal(ekm_dataset_has_labels(ds), cases[k].labels);
        assert_string_equal(ekm_dataset_column_name(ds, 0), cases[k].col0);
        assert_double_exact(ekm_dataset_point(ds, 0)[0], cases[k].x0);
        assert_int_equal(ekm_dataset_source_line(ds, 0), 2);
        assert_int_equal(ekm_dataset_source_line(ds, cases[k].n - 1), (long)cases[k].n + 1);
        if (cases[k].labels)
            assert_string_equal(ekm_dataset_label(ds, 0), cases[k].label0);
        ekm_dataset_release(ds);
    }
}

/* An independent reader for the ren2022 files (plain numbers, ',' only, no quotes):
 * split on any line end, strtod every field but the last, skip rows with an
 * empty field. Returns the row-major values and sets *n, *d, *skipped. */
static double *reference_read(const char *path, size_t *n, size_t *d, size_t *skipped)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    text[size] = '\0';
    char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    size_t cap = 1024, len = 0;
    double *v = malloc(cap * sizeof *v);
    assert_non_null(v);
    *n = *d = *skipped = 0;
    for (char *save = NULL, *line = strtok_r(p, "\r\n", &save); line;
         line = strtok_r(NULL, "\r\n", &save)) {
        if (strspn(line, " \t") == strlen(line))
            continue;
        size_t fields = 1;
        for (char *c = line; *c; c++)
            fields += *c == ',';
        if (*d == 0)
            *d = fields - 1;
        assert_int_equal(fields - 1, *d);
        if (strstr(line, ",,") || line[0] == ',') {
            ++*skipped;
            continue;
        }
        if (len + *d > cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        char *c = line;
        for (size_t j = 0; j < *d; j++) {
            char *end;
            v[len++] = strtod(c, &end);
            assert_int_equal(*end, ',');
            c = end + 1;
        }
        ++*n;
    }
    free(text);
    return v;
}

static void test_shared_ren2022(void **state)
{
    (void)state;
    if (!shared_present())
        skip();
    /* N x D after dropping the label column. PROVENANCE.md's sizes, except rds,
     * rds_cnt and urbanGB_L_10, whose files hold one row more than it says (no
     * header; the last line has no line end), and HCV_L, 615 rows of which 13
     * with an empty field are dropped (optima.json's n = 602). */
    static const struct {
        const char *file;
        size_t n, d;
    } cases[] = {
        {"iris.csv", 150, 4},        {"seeds.csv", 210, 7},      {"glass.csv", 214, 9},
        {"BM_FL.csv", 249, 6},       {"UK_L.csv", 258, 5},       {"HF_L.csv", 299, 12},
        {"Who_FL.csv", 440, 8},      {"HCV_L.csv", 602, 12},     {"Abs_FL.csv", 740, 21},
        {"TR_FL.csv", 980, 10},      {"SGC_FL.csv", 1000, 21},   {"hemi.csv", 1955, 7},
        {"pr2392.csv", 2392, 2},     {"TRR_FL.csv", 5454, 24},   {"AC_FL.csv", 7195, 22},
        {"rds_cnt.csv", 10000, 4},   {"HTRU2_L.csv", 17898, 8},  {"GT_FL.csv", 36733, 11},
        {"rds.csv", 50000, 3},       {"urbanGB_L_10.csv", 100000, 2},
    };
    ekm_csv_options o = opts(EKM_HEADER_AUTO, EKM_LABEL_LAST, EKM_MISSING_DROP, 0);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/ren2022/%s", EKM_SHARED_DATA, cases[k].file);
        ekm_dataset *ds;
        ekm_error err;
        if (ekm_dataset_load_csv(path, &o, &ds, &err) != EKM_OK)
            fail_msg("%s refused: %s:%ld:%ld: %s", cases[k].file, err.file, err.line,
                     err.column, err.message);
        assert_int_equal(ekm_dataset_n(ds), cases[k].n);
        assert_int_equal(ekm_dataset_d(ds), cases[k].d);
        assert_false(ekm_dataset_had_header(ds));
        assert_true(ekm_dataset_has_labels(ds));
        assert_int_equal(ekm_dataset_separator(ds), ',');
        size_t rn, rd, skipped;
        double *ref = reference_read(path, &rn, &rd, &skipped);
        assert_int_equal(rn, cases[k].n);
        assert_int_equal(rd, cases[k].d);
        assert_int_equal(ekm_dataset_dropped_rows(ds), skipped);
        assert_int_equal(skipped, strcmp(cases[k].file, "HCV_L.csv") == 0 ? 13 : 0);
        for (size_t i = 0; i < rn * rd; i++)
            if (ekm_dataset_coords(ds)[i] != ref[i])
                fail_msg("%s: point %zu coordinate %zu is %.17g, the reference reads %.17g",
                         cases[k].file, i / rd, i % rd, ekm_dataset_coords(ds)[i], ref[i]);
        free(ref);
        ekm_dataset_release(ds);
    }
}

static void test_shared_ren2022_quirks(void **state)
{
    (void)state;
    if (!shared_present())
        skip();
    char path[1024];
    ekm_dataset *ds = (ekm_dataset *)1;
    ekm_error err;
    /* HCV_L without --missing drop: the first empty field is named. */
    ekm_csv_options o = opts(EKM_HEADER_AUTO, EKM_LABEL_LAST, EKM_MISSING_REFUSE, 0);
    snprintf(path, sizeof path, "%s/ren2022/HCV_L.csv", EKM_SHARED_DATA);
    assert_int_equal(ekm_dataset_load_csv(path, &o, &ds, &err), EKM_ERR_PARSE);
    assert_null(ds);
    assert_int_equal(err.line, 540);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.message, "field 2: missing value (empty field); use --missing drop "
                                     "to drop such rows");
    /* With it: 13 rows dropped, source lines skip them (540 is dropped). */
    o.missing = EKM_MISSING_DROP;
    assert_int_equal(ekm_dataset_load_csv(path, &o, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dataset_dropped_rows(ds), 13);
    assert_int_equal(ekm_dataset_source_line(ds, 538), 539);
    assert_int_equal(ekm_dataset_source_line(ds, 539), 541);
    ekm_dataset_release(ds);
    /* HTRU2_L: CR-only line ends, so the last point comes from line 17898. */
    o.missing = EKM_MISSING_REFUSE;
    snprintf(path, sizeof path, "%s/ren2022/HTRU2_L.csv", EKM_SHARED_DATA);
    assert_int_equal(ekm_dataset_load_csv(path, &o, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dataset_source_line(ds, 17897), 17898);
    ekm_dataset_release(ds);
    /* UK_L starts with a BOM: the first value is a plain 0. */
    snprintf(path, sizeof path, "%s/ren2022/UK_L.csv", EKM_SHARED_DATA);
    assert_int_equal(ekm_dataset_load_csv(path, &o, &ds, &err), EKM_OK);
    assert_double_exact(ekm_dataset_point(ds, 0)[0], 0.0);
    assert_string_equal(ekm_dataset_label(ds, 0), "4");
    ekm_dataset_release(ds);
    /* Without --label-column last the numeric class column is a coordinate. */
    snprintf(path, sizeof path, "%s/ren2022/iris.csv", EKM_SHARED_DATA);
    assert_int_equal(ekm_dataset_load_csv(path, NULL, &ds, &err), EKM_OK);
    assert_int_equal(ekm_dataset_d(ds), 5);
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_separator_detection),
        cmocka_unit_test(test_separator_forced),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_header_modes),
        cmocka_unit_test(test_label_modes),
        cmocka_unit_test(test_missing_refused),
        cmocka_unit_test(test_missing_dropped),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_numbers_exact),
        cmocka_unit_test_teardown(test_locale_independent, restore_locale),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_message_truncation),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_invalid_options),
        cmocka_unit_test(test_no_error_record),
        cmocka_unit_test(test_from_points),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_shipped_r),
        cmocka_unit_test(test_shared_ren2022),
        cmocka_unit_test(test_shared_ren2022_quirks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
