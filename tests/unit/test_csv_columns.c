/* test_csv_columns.c — CSV columns: header and label modes, missing values
 * refused or dropped. */
#include "test_csv.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_modes),
        cmocka_unit_test(test_label_modes),
        cmocka_unit_test(test_missing_refused),
        cmocka_unit_test(test_missing_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
