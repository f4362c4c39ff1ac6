/* test_csv_syntax.c — CSV syntax: separators (detected, forced), BOM, line ends,
 * blank lines, quotes and their errors. */
#include "test_csv.h"

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
