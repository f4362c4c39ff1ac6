/* test_csv_numbers.c — CSV values: bad numbers refused, numbers read exactly and
 * in any locale, empty files, NUL bytes, ragged rows, long messages and lines. */
#include "test_csv.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_numbers_exact),
        cmocka_unit_test_teardown(test_locale_independent, restore_locale),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_message_truncation),
        cmocka_unit_test(test_long_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
