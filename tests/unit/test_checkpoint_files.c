/* test_checkpoint_files.c — checkpoint files: the source checked first, stale
 * files cleaned. */
#include "test_checkpoint.h"

/* A checkpoint's data source is checked against it before anything large is
 * built, and only regular files are read. */
static void test_source_checked_first(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ekm-src-XXXXXX");
    assert_non_null(mkdtemp(dir));
    const data_case *dc = &cases[0]; /* N = N3 */
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_SEQ, dc->k);
    ckpt_source src;
    ekm_dissim *out = (ekm_dissim *)(uintptr_t)1;
    char err[1200];
    /* 30,000 generated points for a checkpoint of N3: refused before generating
     * (the matrix alone would take 3.4 GB) */
    memset(&src, 0, sizeof src);
    src.kind = CKPT_SRC_GEN;
    src.metric = EKM_METRIC_EUCLIDEAN;
    src.gen_n = 30000;
    src.gen_d = 2;
    src.gen_clusters = 3;
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "30000 generated points"));
    /* too many generated coordinates, even for the right N */
    src.gen_n = dc->n;
    src.gen_d = (size_t)1 << 40;
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "too many"));
    /* a CSV too small for N points; one with another number of points */
    char path[128];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("1,2\n3,4\n", f);
    fclose(f);
    assert_int_equal(ckpt_source_file(&src, path, 0, &(ekm_csv_options){0}, dc->metric, err,
                                      sizeof err),
                     0);
    src.csv = ekm_csv_options_default();
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "too few for the checkpoint's"));
    f = fopen(path, "w");
    for (size_t i = 0; i < dc->n + 1; i++)
        fprintf(f, "%zu,%zu\n", i, i % 7);
    fclose(f);
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "now holds"));
    /* the very points: loaded */
    f = fopen(path, "w");
    for (size_t i = 0; i < dc->n; i++)
        fprintf(f, "%.17g,%.17g\n", x[2 * i], x[2 * i + 1]);
    fclose(f);
    src.csv.header = EKM_HEADER_NO;
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), 0);
    assert_int_equal(ekm_dissim_n(out), dc->n);
    assert_true(ekm_dissim_fingerprint(out) == ekm_dissim_fingerprint(dm));
    ekm_dissim_release(out);
    /* a FIFO is not opened */
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/p.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(src.path, sizeof src.path, "%s", fifo);
    assert_int_equal(ckpt_source_load_for(&src, ck, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file (a FIFO)"));
    ekm_checkpoint *back = NULL;
    ekm_error e;
    assert_int_not_equal(ekm_checkpoint_load(fifo, &back, &e), EKM_OK);
    assert_null(back);
    assert_non_null(strstr(e.message, "not a regular file"));
    unlink(fifo);
    unlink(path);
    rmdir(dir);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* Only the temporary files of dead writers to exactly this checkpoint go. */
static void test_clean_stale(void **state)
{
    (void)state;
    char dir[64], path[160], name[256];
    snprintf(dir, sizeof dir, "/tmp/ekm-stale-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/c.ckpt", dir);
    pid_t dead = fork();
    assert_true(dead >= 0);
    if (dead == 0)
        _exit(0);
    assert_int_equal(waitpid(dead, NULL, 0), dead);
    /* name = path + a, the dead pid, b */
    static const char *const gone[][2] = {{".tmp.", ".AbC123"}, {".tmp.", ".zzzzzz"}};
    static const char *const kept[][2] = {{".tmp.", ".AbC12"},  {".tmp.", ".AbC1234"},
                                          {".tmp.", ".AbC12!"}, {".tmp.x", ".AbC123"},
                                          {".tmp.", ""},        {"x.tmp.", ".AbC123"}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "%s%s%ld%s", path, gone[i][0], (long)dead, gone[i][1]);
        fclose(fopen(name, "w"));
    }
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        snprintf(name, sizeof name, "%s%s%ld%s", path, kept[i][0], (long)dead, kept[i][1]);
        fclose(fopen(name, "w"));
    }
    snprintf(name, sizeof name, "%s.tmp.%ld.AbC123", path, (long)getppid()); /* alive */
    fclose(fopen(name, "w"));
    snprintf(name, sizeof name, "%s.tmp.%ld.Dir123", path, (long)dead); /* not a file */
    assert_int_equal(mkdir(name, 0700), 0);
    assert_int_equal(count_entries(dir), 10);
    assert_int_equal(ekm_checkpoint_clean_stale(path), 2);
    assert_int_equal(count_entries(dir), 8);
    assert_int_equal(ekm_checkpoint_clean_stale(path), 0);
    rmdir(name);
    DIR *d = opendir(dir);
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_checked_first),
        cmocka_unit_test(test_clean_stale),
    };
    const char *only = getenv("EKM_TEST_FILTER"); /* e.g. "test_merge*" */
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
