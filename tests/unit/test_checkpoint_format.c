/* test_checkpoint_format.c — the checkpoint format: encode/decode and save/load
 * round trips, damaged bytes refused, another dataset or other options refused. */
#include "test_checkpoint.h"

static void assert_same_checkpoint(const ekm_checkpoint *a, const ekm_checkpoint *b)
{
    assert_int_equal(ekm_checkpoint_units(a), ekm_checkpoint_units(b));
    assert_int_equal(ekm_checkpoint_units_done(a), ekm_checkpoint_units_done(b));
    assert_int_equal(ekm_checkpoint_done(a), ekm_checkpoint_done(b));
    assert_int_equal(ekm_checkpoint_total(a), ekm_checkpoint_total(b));
    assert_int_equal(ekm_checkpoint_n(a), ekm_checkpoint_n(b));
    assert_int_equal(ekm_checkpoint_fingerprint(a), ekm_checkpoint_fingerprint(b));
    ekm_solve_options oa = ekm_checkpoint_options(a), ob = ekm_checkpoint_options(b);
    assert_int_equal(oa.k, ob.k);
    assert_int_equal(oa.strategy, ob.strategy);
    assert_int_equal(oa.partitions, ob.partitions);
    double ba, bb;
    uint32_t ma[EKM_MAX_K], mb[EKM_MAX_K];
    int ha = ekm_checkpoint_best(a, &ba, ma), hb = ekm_checkpoint_best(b, &bb, mb);
    assert_int_equal(ha, hb);
    if (ha) {
        assert_true(ba == bb);
        assert_memory_equal(ma, mb, oa.k * sizeof *ma);
    }
    const char *na = ekm_checkpoint_note(a), *nb = ekm_checkpoint_note(b);
    assert_true((na == NULL) == (nb == NULL));
    if (na)
        assert_string_equal(na, nb);
}

static void test_encode_decode_round_trip(void **state)
{
    (void)state;
    const data_case *dc = &cases[1];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_PAR2, dc->k);
    assert_string_equal(ekm_checkpoint_note(ck), "ekm-data 1\nsource=csv\npath=/x/y.csv\n");
    assert_int_equal(ekm_checkpoint_fingerprint(ck), ekm_dissim_fingerprint(dm));
    uint8_t *a, *b;
    size_t la, lb;
    assert_int_equal(ekm_checkpoint_encode(ck, &a, &la, NULL), EKM_OK);
    ekm_checkpoint *back;
    ekm_error e;
    if (ekm_checkpoint_decode(a, la, &back, &e))
        fail_msg("decode: %s", e.message);
    assert_same_checkpoint(ck, back);
    assert_int_equal(ekm_checkpoint_encode(back, &b, &lb, NULL), EKM_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    /* the decoded one resumes like the original */
    ekm_solve_options opt = options(EKM_STRATEGY_PAR2, dc->k, 2);
    ekm_result *ref = solve_ref(dm, &opt);
    ekm_result *r = resume_all(dm, opt, back, NULL);
    check_same(r, ref, &opt, "resumed from a decoded checkpoint");
    ekm_result_free(r);
    ekm_result_free(ref);
    free(a);
    free(b);
    ekm_checkpoint_free(back);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* Every single flipped byte and every truncation is refused. */
static void test_damaged_bytes_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_FUSED, dc->k);
    uint8_t *buf;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &buf, &len, NULL), EKM_OK);
    assert_true(len > 16);
    size_t step = len <= 8192 ? 1 : len / 4096;
    for (size_t i = 0; i < len; i += step) {
        for (int bit = 0; bit < 8; bit += 7) { /* the lowest and the highest bit */
            buf[i] ^= (uint8_t)(1u << bit);
            ekm_checkpoint *bad = NULL;
            ekm_error e;
            ekm_error_clear(&e);
            ekm_status st = ekm_checkpoint_decode(buf, len, &bad, &e);
            buf[i] ^= (uint8_t)(1u << bit);
            if (st == EKM_OK)
                fail_msg("byte %zu of %zu with bit %d flipped was accepted", i, len, bit);
            assert_null(bad);
            assert_true(e.message[0] != '\0');
            assert_null(strchr(e.message, '\n'));
        }
    }
    for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : step * 7 + 1) {
        ekm_checkpoint *bad = NULL;
        if (ekm_checkpoint_decode(buf, cut, &bad, NULL) == EKM_OK)
            fail_msg("a checkpoint truncated to %zu of %zu bytes was accepted", cut, len);
        assert_null(bad);
    }
    /* one byte more is damage too */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    ekm_checkpoint *bad = NULL;
    assert_int_not_equal(ekm_checkpoint_decode(longer, len + 1, &bad, NULL), EKM_OK);
    free(longer);
    free(buf);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

static char tmpdir[256];

static void write_bytes(const char *path, const uint8_t *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_save_load_round_trip(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ekm-ckpt-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char path[400], other[400];
    snprintf(path, sizeof path, "%s/run.ckpt", tmpdir);
    const data_case *dc = &cases[2];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_TREE, dc->k);
    ekm_error e;
    if (ekm_checkpoint_save(ck, path, &e))
        fail_msg("save: %s", e.message);
    /* saved twice (the second replaces the first): no temporary file is left */
    assert_int_equal(ekm_checkpoint_save(ck, path, NULL), EKM_OK);
    assert_int_equal(count_entries(tmpdir), 1);
    ekm_checkpoint *back;
    if (ekm_checkpoint_load(path, &back, &e))
        fail_msg("load: %s", e.message);
    assert_same_checkpoint(ck, back);
    ekm_solve_options opt = options(EKM_STRATEGY_TREE, dc->k, 3);
    ekm_result *ref = solve_ref(dm, &opt);
    ekm_result *r = resume_all(dm, opt, back, NULL);
    check_same(r, ref, &opt, "resumed from a loaded file");
    ekm_result_free(r);
    ekm_result_free(ref);
    ekm_checkpoint_free(back);

    /* damaged files: a flipped byte, truncated, empty, not a checkpoint, missing */
    uint8_t *buf;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &buf, &len, NULL), EKM_OK);
    snprintf(other, sizeof other, "%s/bad.ckpt", tmpdir);
    const size_t cuts[] = {len / 2, len - 1, 0, 3};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0] + 3; i++) {
        if (i < 4) {
            write_bytes(other, buf, cuts[i]);
        } else if (i == 4) {
            buf[len / 3] ^= 0x10;
            write_bytes(other, buf, len);
            buf[len / 3] ^= 0x10;
        } else if (i == 5) {
            write_bytes(other, (const uint8_t *)"index,cluster\n0,1\n", 18);
        } else {
            unlink(other);
        }
        ekm_checkpoint *bad = NULL;
        ekm_error_clear(&e);
        ekm_status st = ekm_checkpoint_load(other, &bad, &e);
        if (st == EKM_OK)
            fail_msg("damaged file %zu was accepted", i);
        assert_null(bad);
        char msg[1200];
        ekm_error_format(&e, msg, sizeof msg);
        if (!strstr(msg, "bad.ckpt"))
            fail_msg("the message does not name the file: %s", msg);
        assert_null(strchr(msg, '\n'));
    }
    /* a folder that does not exist: the error names the path, nothing is left */
    snprintf(other, sizeof other, "%s/no/such/dir/x.ckpt", tmpdir);
    ekm_error_clear(&e);
    assert_int_not_equal(ekm_checkpoint_save(ck, other, &e), EKM_OK);
    char msg[1200];
    ekm_error_format(&e, msg, sizeof msg);
    assert_non_null(strstr(msg, "x.ckpt"));
    free(buf);
    unlink(path);
    assert_int_equal(count_entries(tmpdir), 0);
    rmdir(tmpdir);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

static void test_other_dataset_or_options_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    const ekm_strategy some[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_TREE, EKM_STRATEGY_FUSED};
    for (size_t s = 0; s < sizeof some / sizeof some[0]; s++) {
        ekm_checkpoint *ck = partial_checkpoint(dm, some[s], dc->k);
        ekm_solve_options opt = options(some[s], dc->k, 2);
        opt.resume = ck;
        /* the same dataset and options, any thread count: accepted */
        for (unsigned t = 1; t <= 3; t++) {
            opt.threads = t;
            ekm_error e;
            if (ekm_checkpoint_check(ck, dm, &opt, &e))
                fail_msg("%s T=%u refused: %s", ekm_strategy_name(some[s]), t, e.message);
        }
        /* one coordinate changed */
        double *y = malloc(dc->n * dc->d * sizeof *y);
        memcpy(y, x, dc->n * dc->d * sizeof *y);
        y[7 * dc->d + 1] += 1e-9;
        ekm_dissim *moved = make_dm(y, dc->n, dc->d, dc->metric);
        assert_true(ekm_dissim_fingerprint(moved) != ekm_dissim_fingerprint(dm));
        expect_refused(ck, moved, opt, "one coordinate changed");
        ekm_dissim_release(moved);
        /* one point fewer */
        ekm_dissim *fewer = make_dm(x, dc->n - 1, dc->d, dc->metric);
        expect_refused(ck, fewer, opt, "one point fewer");
        ekm_dissim_release(fewer);
        free(y);
        /* another metric */
        ekm_dissim *manhattan = make_dm(x, dc->n, dc->d, EKM_METRIC_MANHATTAN);
        expect_refused(ck, manhattan, opt, "another metric");
        ekm_dissim_release(manhattan);
        /* another K, strategy, plan */
        ekm_solve_options o = opt;
        o.k = dc->k + 1;
        expect_refused(ck, dm, o, "another K");
        o = opt;
        o.strategy = some[s] == EKM_STRATEGY_SEQ ? EKM_STRATEGY_PAR2 : EKM_STRATEGY_SEQ;
        expect_refused(ck, dm, o, "another strategy");
        if (some[s] == EKM_STRATEGY_TREE) {
            o = opt;
            o.partitions = 7;
            expect_refused(ck, dm, o, "another tree");
        }
        ekm_checkpoint_free(ck);
    }
    ekm_dissim_release(dm);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_decode_round_trip),
        cmocka_unit_test(test_damaged_bytes_refused),
        cmocka_unit_test(test_save_load_round_trip),
        cmocka_unit_test(test_other_dataset_or_options_refused),
    };
    const char *only = getenv("EKM_TEST_FILTER"); /* e.g. "test_merge*" */
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
