/* test_csv_gzip.c — gzip-compressed CSV and standard input ("-"): the same
 * dataset as the plain text, every way of writing gzip (one member, several,
 * levels 0 and 9, any file name), errors at lines of the uncompressed text, and
 * truncated, corrupt or trailing-garbage gzip data refused with one message. */
#include "test_csv.h"

#include <zlib.h>

static char dir[] = "/tmp/ekm_test_gzip_XXXXXX";

static void path_of(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static void write_bytes(const char *name, const void *data, size_t len)
{
    char path[256];
    path_of(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* gzip text into *out (malloc'ed) at level, as one member. */
static size_t gzip_text(const char *text, size_t len, int level, unsigned char **out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len) + 64;
    *out = malloc(cap);
    assert_non_null(*out);
    zs.next_in = (Bytef *)(uintptr_t)text;
    zs.avail_in = (uInt)len;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t got = cap - zs.avail_out;
    deflateEnd(&zs);
    return got;
}

/* A CSV of n rows with a header and labels. */
static char *make_csv(size_t n, size_t *len)
{
    size_t cap = 64 + n * 64, o = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    o += (size_t)snprintf(s + o, cap - o, "x,y,name\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o, "%.17g,%zu,p%zu\n", (double)i * 0.37 - 5, i % 7, i);
    *len = o;
    return s;
}

static void assert_same(const ekm_dataset *a, const ekm_dataset *b)
{
    assert_int_equal(ekm_dataset_n(a), ekm_dataset_n(b));
    assert_int_equal(ekm_dataset_d(a), ekm_dataset_d(b));
    assert_memory_equal(ekm_dataset_coords(a), ekm_dataset_coords(b),
                        ekm_dataset_n(a) * ekm_dataset_d(a) * sizeof(double));
    for (size_t i = 0; i < ekm_dataset_n(a); i++) {
        assert_string_equal(ekm_dataset_label(a, i), ekm_dataset_label(b, i));
        assert_int_equal(ekm_dataset_source_line(a, i), ekm_dataset_source_line(b, i));
    }
    assert_string_equal(ekm_dataset_column_name(a, 1), ekm_dataset_column_name(b, 1));
}

static ekm_dataset *load_ok(const char *name)
{
    char path[256];
    path_of(path, sizeof path, name);
    ekm_dataset *ds = NULL;
    ekm_error err;
    ekm_status st = ekm_dataset_load_csv(path, NULL, &ds, &err);
    if (st)
        fail_msg("%s: %s", path, err.message);
    assert_string_equal(ekm_dataset_name(ds), path);
    return ds;
}

static void test_same_as_plain(void **state)
{
    (void)state;
    size_t len;
    char *csv = make_csv(20000, &len); /* over a megabyte: the buffers grow */
    write_bytes("plain.csv", csv, len);
    unsigned char *gz0, *gz9;
    size_t n0 = gzip_text(csv, len, 0, &gz0), n9 = gzip_text(csv, len, 9, &gz9);
    write_bytes("l0.csv.gz", gz0, n0);
    write_bytes("l9.csv.gz", gz9, n9);
    write_bytes("named-anything.txt", gz9, n9);
    /* two members: the first 1000 bytes and the rest (cat a.gz b.gz) */
    unsigned char *m1, *m2;
    size_t k1 = gzip_text(csv, 1000, 6, &m1), k2 = gzip_text(csv + 1000, len - 1000, 6, &m2);
    unsigned char *both = malloc(k1 + k2);
    assert_non_null(both);
    memcpy(both, m1, k1);
    memcpy(both + k1, m2, k2);
    write_bytes("two.csv.gz", both, k1 + k2);

    ekm_dataset *plain = load_ok("plain.csv");
    assert_int_equal(ekm_dataset_n(plain), 20000);
    const char *names[] = {"l0.csv.gz", "l9.csv.gz", "named-anything.txt", "two.csv.gz"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ekm_dataset *ds = load_ok(names[i]);
        assert_same(plain, ds);
        ekm_dataset_release(ds);
    }
    ekm_dataset_release(plain);
    free(both);
    free(m1);
    free(m2);
    free(gz0);
    free(gz9);
    free(csv);
}

static void expect_error(const char *name, ekm_status status, long line, const char *needle)
{
    char path[256];
    path_of(path, sizeof path, name);
    ekm_dataset *ds = (ekm_dataset *)1;
    ekm_error err;
    ekm_status st = ekm_dataset_load_csv(path, NULL, &ds, &err);
    assert_null(ds);
    if (st != status || err.line != line || !strstr(err.message, needle))
        fail_msg("%s: status %d line %ld '%s'; want %d, line %ld, '%s'", name, st, err.line,
                 err.message, status, line, needle);
    assert_string_equal(err.file, path);
}

static void test_bad_gzip(void **state)
{
    (void)state;
    const char *csv = "a,b\n1,2\n3,4\n5,x\n7,8\n";
    unsigned char *gz;
    size_t n = gzip_text(csv, strlen(csv), 6, &gz);
    write_bytes("row.csv.gz", gz, n);
    expect_error("row.csv.gz", EKM_ERR_PARSE, 4, "'x' is not a number");
    /* every truncation of the stream is refused, none crashes or loads */
    for (size_t cut = 2; cut < n; cut++) {
        write_bytes("cut.csv.gz", gz, cut);
        char path[256];
        path_of(path, sizeof path, "cut.csv.gz");
        ekm_dataset *ds = (ekm_dataset *)1;
        ekm_error err;
        assert_int_equal(ekm_dataset_load_csv(path, NULL, &ds, &err), EKM_ERR_PARSE);
        assert_null(ds);
        assert_true(strstr(err.message, "truncated gzip data") ||
                    strstr(err.message, "corrupt gzip data"));
    }
    write_bytes("cut.csv.gz", gz, n - 8); /* the CRC and size trailer missing */
    expect_error("cut.csv.gz", EKM_ERR_PARSE, 0, "truncated gzip data");
    /* a flipped byte in the CRC */
    unsigned char *bad = malloc(n);
    assert_non_null(bad);
    memcpy(bad, gz, n);
    bad[n - 6] ^= 0x55;
    write_bytes("crc.csv.gz", bad, n);
    expect_error("crc.csv.gz", EKM_ERR_PARSE, 0, "corrupt gzip data");
    /* a bad block type just after the header */
    memcpy(bad, gz, n);
    bad[10] = 0xff;
    write_bytes("block.csv.gz", bad, n);
    expect_error("block.csv.gz", EKM_ERR_PARSE, 0, "corrupt gzip data");
    /* garbage after the stream */
    unsigned char *tail = malloc(n + 5);
    assert_non_null(tail);
    memcpy(tail, gz, n);
    memcpy(tail + n, "junk!", 5);
    write_bytes("tail.csv.gz", tail, n + 5);
    expect_error("tail.csv.gz", EKM_ERR_PARSE, 0, "after the compressed stream");
    /* NUL bytes inside the compressed text are reported at their line */
    const char nul_csv[] = "a,b\n1,2\n3\0,4\n";
    unsigned char *gzn;
    size_t nn = gzip_text(nul_csv, sizeof nul_csv - 1, 6, &gzn);
    write_bytes("nul.csv.gz", gzn, nn);
    expect_error("nul.csv.gz", EKM_ERR_PARSE, 3, "NUL byte");
    free(gzn);
    free(tail);
    free(bad);
    free(gz);
}

/* "-" reads standard input (a pipe here), plain or gzip, named <stdin>. */
static void load_stdin(const void *data, size_t len, ekm_dataset **ds, ekm_error *err,
                       ekm_status *st)
{
    char path[256];
    path_of(path, sizeof path, "stdin.bin");
    write_bytes("stdin.bin", data, len);
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    assert_true(dup2(fileno(in), STDIN_FILENO) >= 0);
    fclose(in);
    *st = ekm_dataset_load_csv("-", NULL, ds, err);
    assert_true(dup2(saved, STDIN_FILENO) >= 0);
    close(saved);
    unlink(path);
}

static void test_stdin(void **state)
{
    (void)state;
    size_t len;
    char *csv = make_csv(500, &len);
    write_bytes("p.csv", csv, len);
    ekm_dataset *plain = load_ok("p.csv"), *ds = NULL;
    ekm_error err;
    ekm_status st;
    load_stdin(csv, len, &ds, &err, &st);
    assert_int_equal(st, EKM_OK);
    assert_string_equal(ekm_dataset_name(ds), "<stdin>");
    assert_same(plain, ds);
    ekm_dataset_release(ds);
    unsigned char *gz;
    size_t n = gzip_text(csv, len, 6, &gz);
    load_stdin(gz, n, &ds, &err, &st);
    assert_int_equal(st, EKM_OK);
    assert_same(plain, ds);
    ekm_dataset_release(ds);
    load_stdin("", 0, &ds, &err, &st);
    assert_int_not_equal(st, EKM_OK);
    assert_null(ds);
    assert_string_equal(err.file, "<stdin>");
    load_stdin("a,b,c\n1,x,2\n", 12, &ds, &err, &st);
    assert_int_equal(st, EKM_ERR_PARSE);
    assert_string_equal(err.file, "<stdin>");
    assert_int_equal(err.line, 2);
    ekm_dataset_release(plain);
    free(gz);
    free(csv);
}

static int cleanup(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_plain),
        cmocka_unit_test(test_bad_gzip),
        cmocka_unit_test(test_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
