/* test_fuzz_regressions.c — replay the fuzzers' inputs through the loaders.
 *
 * Every file in tests/fuzz/regressions/ (inputs that once crashed a fuzz target
 * or broke one of its invariants) and in the seed corpora tests/fuzz/corpus/csv
 * and corpus/matrix goes through ekm_dataset_parse_csv with every combination
 * of options (header auto/yes/no x labels auto/none/last x missing refuse/drop
 * x separator detected or forced, a refused one included), both as the fuzz
 * target sees it (its first byte is the option byte) and whole; and through
 * ekm_dissim_load_matrix from a temporary file. Each outcome must pass the
 * fuzzers' own invariants (tests/fuzz/fuzz_check.h): no crash (the sanitizer
 * builds watch memory), a sane dataset or matrix, or a sane error record.
 * The checkpoint fuzzer's inputs (regressions/ckpt-* and corpus/ckpt) go through
 * its harness (tests/fuzz/fuzz_ckpt_check.h): decode, re-encode, resume. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../fuzz/fuzz_check.h"
#include "../fuzz/fuzz_ckpt_check.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_DIR EKM_SOURCE_DIR "/tests/fuzz"

static const ekm_header_mode headers[] = {EKM_HEADER_AUTO, EKM_HEADER_YES, EKM_HEADER_NO};
static const ekm_label_mode labels[] = {EKM_LABEL_AUTO, EKM_LABEL_NONE, EKM_LABEL_LAST};
static const ekm_missing_mode missings[] = {EKM_MISSING_REFUSE, EKM_MISSING_DROP};

/* A file's bytes in a heap block of exactly its size (so that AddressSanitizer
 * catches a read past the end); *len gets the size. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct stat st;
    assert_int_equal(fstat(fileno(f), &st), 0);
    *len = (size_t)st.st_size;
    char *buf = malloc(*len ? *len : 1);
    assert_non_null(buf);
    if (*len && fread(buf, 1, *len, f) != *len)
        fail_msg("cannot read %s", path);
    fclose(f);
    if (*len) { /* shrink to the exact size */
        char *exact = malloc(*len);
        assert_non_null(exact);
        memcpy(exact, buf, *len);
        free(buf);
        buf = exact;
    }
    return buf;
}

/* Text through the CSV loader with every option combination; returns the number
 * of successful loads. */
static int csv_all_options(const char *file, const char *text, size_t len)
{
    int ok = 0;
    for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++)
        for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++)
            for (size_t m = 0; m < sizeof missings / sizeof missings[0]; m++)
                for (size_t s = 0; s < sizeof fz_separators; s++) {
                    ekm_csv_options o = {headers[h], labels[l], missings[m], fz_separators[s]};
                    ekm_dataset *ds = NULL;
                    ekm_error err;
                    memset(&err, 0, sizeof err);
                    ekm_status st = ekm_dataset_parse_csv("replay.csv", text, len, &o, &ds, &err);
                    const char *why = fz_check_csv("replay.csv", text, len, &o, st, ds, &err);
                    if (why)
                        fail_msg("%s (header %d, label %d, missing %d, separator 0x%02x): %s; "
                                 "status %d, %s:%ld:%ld: %s",
                                 file, (int)o.header, (int)o.label, (int)o.missing,
                                 (unsigned char)o.separator, why, (int)st, err.file, err.line,
                                 err.column, err.message);
                    ok += st == EKM_OK;
                    ekm_dataset_release(ds);
                }
    return ok;
}

/* Text through the matrix loader (from a temporary file) with every header and
 * separator option, and the two options a matrix refuses; returns the successes. */
static int matrix_all_options(const char *file, const char *text, size_t len)
{
    char path[] = "/tmp/ekm_fuzz_replay_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    int ok = 0;
    for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++)
        for (size_t s = 0; s < sizeof fz_separators; s++)
            for (int odd = 0; odd < 3; odd++) {
                ekm_csv_options o = {headers[h], odd == 1 ? EKM_LABEL_LAST : EKM_LABEL_AUTO,
                                     odd == 2 ? EKM_MISSING_DROP : EKM_MISSING_REFUSE,
                                     fz_separators[s]};
                ekm_dissim *dm = NULL;
                ekm_error err;
                memset(&err, 0, sizeof err);
                ekm_status st = ekm_dissim_load_matrix(path, &o, &dm, &err);
                const char *why = fz_check_matrix(path, text, len, &o, st, dm, &err);
                if (why)
                    fail_msg("%s as a matrix (header %d, label %d, missing %d, separator 0x%02x): "
                             "%s; status %d, %s:%ld:%ld: %s",
                             file, (int)o.header, (int)o.label, (int)o.missing,
                             (unsigned char)o.separator, why, (int)st, err.file, err.line,
                             err.column, err.message);
                ok += st == EKM_OK;
                ekm_dissim_release(dm);
            }
    unlink(path);
    return ok;
}

typedef struct replay_count {
    int files;
    int csv_ok;
    int matrix_ok;
} replay_count;

/* Every regular file of dir through both loaders, as the fuzz target sees it
 * (first byte = option byte, skipped) and whole. */
static replay_count replay_dir(const char *dir)
{
    replay_count c = {0, 0, 0};
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (strcmp(e->d_name, "README.md") == 0)
            continue;
        size_t len;
        char *text = slurp(path, &len);
        c.files++;
        if (len > 0) {
            /* the body in its own exact-size block */
            char *body = malloc(len - 1 ? len - 1 : 1);
            assert_non_null(body);
            memcpy(body, text + 1, len - 1);
            c.csv_ok += csv_all_options(path, body, len - 1);
            c.matrix_ok += matrix_all_options(path, body, len - 1);
            free(body);
        }
        c.csv_ok += csv_all_options(path, text, len);
        c.matrix_ok += matrix_all_options(path, text, len);
        free(text);
    }
    closedir(d);
    return c;
}

static void test_regressions(void **state)
{
    (void)state;
    replay_count c = replay_dir(FUZZ_DIR "/regressions");
    print_message("regressions: %d files, %d CSV loads and %d matrix loads succeeded\n", c.files,
                  c.csv_ok, c.matrix_ok);
    assert_true(c.files >= 1);
}

static void test_csv_corpus(void **state)
{
    (void)state;
    replay_count c = replay_dir(FUZZ_DIR "/corpus/csv");
    print_message("csv corpus: %d files, %d CSV loads succeeded\n", c.files, c.csv_ok);
    assert_true(c.files >= 20);
    assert_true(c.csv_ok > 0); /* the good seeds load: the checks on success ran */
}

static void test_matrix_corpus(void **state)
{
    (void)state;
    replay_count c = replay_dir(FUZZ_DIR "/corpus/matrix");
    print_message("matrix corpus: %d files, %d matrix loads succeeded\n", c.files, c.matrix_ok);
    assert_true(c.files >= 10);
    assert_true(c.matrix_ok > 0);
}

/* Parse the body of regressions/NAME (after its option byte) with default options. */
static ekm_status parse_edge(const char *name, ekm_dataset **ds, ekm_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/regressions/%s", FUZZ_DIR, name);
    size_t len;
    char *text = slurp(path, &len);
    assert_true(len >= 1);
    ekm_csv_options o = ekm_csv_options_default();
    memset(err, 0, sizeof *err);
    ekm_status st = ekm_dataset_parse_csv(name, text + 1, len - 1, &o, ds, err);
    free(text);
    return st;
}

static ekm_status load_edge_matrix(const char *name, ekm_dissim **dm, ekm_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/regressions/%s", FUZZ_DIR, name);
    size_t len;
    char *text = slurp(path, &len);
    char tmp[] = "/tmp/ekm_fuzz_edge_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text + 1, len - 1), (ssize_t)(len - 1));
    close(fd);
    free(text);
    memset(err, 0, sizeof *err);
    ekm_status st = ekm_dissim_load_matrix(tmp, NULL, dm, err);
    unlink(tmp);
    return st;
}

/* What the hand-made edge inputs must give, exactly. */
static void test_edge_outcomes(void **state)
{
    (void)state;
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    ekm_error err;
    char a39[40];
    memset(a39, 'a', 39);
    a39[39] = '\0';
    char want[128];

    /* a message quotes 40 bytes of the unescaped field: the cut falls after the quote */
    assert_int_equal(parse_edge("edge-escaped-quote-cut-at-40", &ds, &err), EKM_ERR_PARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    snprintf(want, sizeof want, "field 2: '%s\"...' is not a number", a39);
    assert_string_equal(err.message, want);
    /* ... and never inside a UTF-8 sequence */
    assert_int_equal(parse_edge("edge-utf8-cut-at-40", &ds, &err), EKM_ERR_PARSE);
    snprintf(want, sizeof want, "field 2: '%s...' is not a number", a39);
    assert_string_equal(err.message, want);
    /* numbers across the 80-byte stack copy read exactly */
    assert_int_equal(parse_edge("edge-number-stack-boundary", &ds, &err), EKM_OK);
    assert_int_equal(ekm_dataset_n(ds), 3);
    const double *x = ekm_dataset_coords(ds);
    assert_true(x[0] == 1e-77 && x[1] == 1e-78 && x[2] == 1e-79 && x[3] == 1e199);
    assert_true(x[4] == -1e-78 && x[5] == 1e5);
    ekm_dataset_release(ds);
    /* the byte-order mark is not a column */
    assert_int_equal(parse_edge("edge-bom-then-nul", &ds, &err), EKM_ERR_PARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "NUL byte"));
    /* a quote opened on line 2 (CR line ends) */
    assert_int_equal(parse_edge("edge-cr-unterminated-at-eof", &ds, &err), EKM_ERR_PARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    /* entries beyond float's range are kept in double and scaled into the
     * float matrix by a power of two */
    assert_int_equal(load_edge_matrix("edge-matrix-3e38-rounds-above", &dm, &err), EKM_OK);
    assert_int_equal(ekm_dissim_n(dm), 2);
    assert_true(isfinite(ekm_dissim_row(dm, 0)[1]) && ekm_dissim_row(dm, 0)[1] > 0);
    assert_true(ekm_dissim_float_scale(dm) < 1.0);
    ekm_dissim_release(dm);
    assert_int_equal(load_edge_matrix("edge-matrix-just-below-3e38", &dm, &err), EKM_OK);
    assert_int_equal(ekm_dissim_n(dm), 2);
    assert_true(ekm_dissim_exact(dm, 0, 1) == 2.9999999e38);
    ekm_dissim_release(dm);
}

/* The checks themselves catch what they are for (else every replay would pass). */
static void test_checks_catch_breakage(void **state)
{
    (void)state;
    ekm_csv_options o = ekm_csv_options_default();
    ekm_error err;
    memset(&err, 0, sizeof err);
    const char *text = "1,2\n3,4\n";
    /* an error record without a message, or on a line past the end */
    assert_non_null(fz_check_csv("a.csv", text, 8, &o, EKM_ERR_PARSE, NULL, &err));
    err.status = EKM_ERR_PARSE;
    snprintf(err.file, sizeof err.file, "a.csv");
    snprintf(err.message, sizeof err.message, "bad");
    err.line = 3;
    assert_null(fz_check_csv("a.csv", text, 8, &o, EKM_ERR_PARSE, NULL, &err));
    err.line = 4;
    assert_non_null(fz_check_csv("a.csv", text, 8, &o, EKM_ERR_PARSE, NULL, &err));
    err.line = 1;
    assert_non_null(fz_check_csv("b.csv", text, 8, &o, EKM_ERR_PARSE, NULL, &err));
    assert_non_null(fz_check_csv("a.csv", text, 8, &o, EKM_ERR_INVALID, NULL, &err));
    /* a dataset with labels when none were asked for */
    ekm_dataset *ds = NULL;
    ekm_csv_options last = o;
    last.label = EKM_LABEL_LAST;
    assert_int_equal(ekm_dataset_parse_csv("a.csv", "1,2,x\n3,4,y\n", 12, &last, &ds, &err),
                     EKM_OK);
    ekm_csv_options none = o;
    none.label = EKM_LABEL_NONE;
    assert_null(fz_check_csv("a.csv", "1,2,x\n3,4,y\n", 12, &last, EKM_OK, ds, &err));
    assert_non_null(fz_check_csv("a.csv", "1,2,x\n3,4,y\n", 12, &none, EKM_OK, ds, &err));
    /* source lines beyond the text given */
    assert_non_null(fz_check_csv("a.csv", "1,2,x", 5, &last, EKM_OK, ds, &err));
    ekm_dataset_release(ds);
    /* line counting: LF, CRLF and a lone CR each end a line */
    assert_int_equal(fz_line_count("a\nb\r\nc\rd", 8), 4);
    assert_int_equal(fz_line_count("", 0), 1);
    /* a matrix load that returns an object with an error */
    assert_non_null(fz_check_matrix("m.csv", "0\n", 2, &o, EKM_ERR_PARSE, (ekm_dissim *)&err,
                                    &err));
}

/* Every ckpt input of dir (names starting with prefix) through the checkpoint
 * harness; returns how many files, *decoded how many decoded. */
static int ckpt_dir(const char *dir, const char *prefix, int *decoded)
{
    int files = 0;
    *decoded = 0;
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) ||
            stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        size_t len;
        char *body = slurp(path, &len);
        files++;
        const char *why = fz_ckpt_run((const uint8_t *)body, len);
        if (why)
            fail_msg("%s: %s", path, why);
        size_t flen = 0;
        uint8_t *framed = fz_ckpt_frame((const uint8_t *)body, len, &flen);
        assert_non_null(framed);
        ekm_checkpoint *ck = NULL;
        ekm_status ds = ekm_checkpoint_decode(framed, flen, &ck, NULL);
        if (ds == EKM_OK)
            (*decoded)++;
        if (ds == EKM_ERR_NOMEM) /* sizes are checked against the bytes first */
            fail_msg("%s: out of memory decoding %zu bytes", path, flen);
        ekm_checkpoint_free(ck);
        free(framed);
        free(body);
    }
    closedir(d);
    return files;
}

static void test_ckpt_inputs(void **state)
{
    (void)state;
    int decoded;
    int files = ckpt_dir(FUZZ_DIR "/regressions", "ckpt-", &decoded);
    print_message("checkpoint regressions: %d files, %d decoded\n", files, decoded);
    assert_true(files >= 1);
    files = ckpt_dir(FUZZ_DIR "/corpus/ckpt", "", &decoded);
    print_message("checkpoint seeds: %d files, %d decoded\n", files, decoded);
    assert_true(files >= 100);
    assert_int_equal(decoded, files); /* the seeds are real checkpoints */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_catch_breakage),
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_ckpt_inputs),
        cmocka_unit_test(test_edge_outcomes),
        cmocka_unit_test(test_csv_corpus),
        cmocka_unit_test(test_matrix_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
