/* test_csv_files.c — CSV files: loading, invalid options, the error record,
 * datasets from points, bad files, the shipped data and the shared ren2022 sets. */
#include "test_csv.h"

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
