/* test_checkpoint_merge.c — merging checkpoints of disjoint unit ranges, the note
 * round trip, heuristics have none. */
#include "test_checkpoint.h"

/* Disjoint unit ranges run apart (as on several machines), merged, resumed. */
static void test_merge_disjoint_ranges(void **state)
{
    (void)state;
    const data_case *dc = &cases[1];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    const ekm_strategy some[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,
                                 EKM_STRATEGY_FUSED, EKM_STRATEGY_PRUNED};
    char problem[4096] = "";
    for (size_t s = 0; s < sizeof some / sizeof some[0]; s++) {
        ekm_solve_options opt = options(some[s], dc->k, 2);
        ekm_result *ref = solve_ref(dm, &opt);
        ekm_checkpoint *root = NULL;
        uint64_t units;
        if (some[s] == EKM_STRATEGY_PRUNED) {
            root = pruned_root(dm, opt);
            units = ekm_checkpoint_units(root);
        } else {
            units = plan_units(dc->n, &opt);
        }
        uint64_t cut[4] = {0, units / 3, units / 3 + (units - units / 3) / 2, units};
        ekm_checkpoint *part[3];
        for (int p = 0; p < 3; p++) {
            ekm_solve_options o = opt;
            o.threads = 1 + (unsigned)p; /* each "machine" its own thread count */
            part[p] = run_range(dm, o, root, cut[p], cut[p + 1], EKM_CKPT_NEW_ONLY);
            assert_int_equal(ekm_checkpoint_units_done(part[p]), cut[p + 1] - cut[p]);
        }
        ekm_error e;
        /* overlapping work is refused */
        uint8_t *buf;
        size_t len;
        assert_int_equal(ekm_checkpoint_encode(part[1], &buf, &len, NULL), EKM_OK);
        ekm_checkpoint *twin;
        assert_int_equal(ekm_checkpoint_decode(buf, len, &twin, NULL), EKM_OK);
        free(buf);
        if (cut[2] > cut[1]) {
            ekm_error_clear(&e);
            if (ekm_checkpoint_merge(twin, part[1], &e) == EKM_OK)
                fail_msg("%s: merging a checkpoint with a copy of itself was accepted",
                         ekm_strategy_name(some[s]));
            assert_true(e.message[0] != '\0');
        }
        ekm_checkpoint_free(twin);
        if (root) { /* pruned: the parts merged into (a copy of) the root they share */
            assert_int_equal(ekm_checkpoint_encode(root, &buf, &len, NULL), EKM_OK);
            ekm_checkpoint *with_root;
            assert_int_equal(ekm_checkpoint_decode(buf, len, &with_root, NULL), EKM_OK);
            free(buf);
            for (int p = 0; p < 3; p++)
                if (ekm_checkpoint_merge(with_root, part[p], &e))
                    fail_msg("pruned: merge into the root: %s", e.message);
            assert_int_equal(ekm_checkpoint_units_done(with_root), units);
            assert_int_equal(ekm_checkpoint_done(with_root), ref->total);
            uint64_t more = 99;
            ekm_result *rr = resume_all(dm, opt, with_root, &more);
            check_same(rr, ref, &opt, "resumed from the root and merged ranges");
            assert_int_equal(more, 0);
            ekm_result_free(rr);
            ekm_checkpoint_free(with_root);
        }
        /* the parts merged with each other (for pruned too: each holds the root); a
         * problem is kept for the end, so that the other strategies run too */
        ekm_checkpoint *all = part[0];
        for (int p = 1; p < 3; p++)
            if (ekm_checkpoint_merge(all, part[p], &e))
                fail_msg("%s: merge: %s", ekm_strategy_name(some[s]), e.message);
        assert_int_equal(ekm_checkpoint_units_done(all), units);
        size_t used = strlen(problem);
        if (ekm_checkpoint_done(all) != ref->total)
            snprintf(problem + used, sizeof problem - used,
                     "%s: the merged checkpoint closed %llu K-subsets of %llu; ",
                     ekm_strategy_name(some[s]), (unsigned long long)ekm_checkpoint_done(all),
                     (unsigned long long)ref->total);
        double best;
        uint32_t bm[EKM_MAX_K];
        assert_true(ekm_checkpoint_best(all, &best, bm));
        assert_memory_equal(bm, ref->medoids, dc->k * sizeof *bm);
        uint64_t fresh = 99;
        ekm_result *r = resume_all(dm, opt, all, &fresh);
        char msg[1024];
        used = strlen(problem);
        if (result_differs(r, ref, &opt, "resumed from merged ranges", msg, sizeof msg))
            snprintf(problem + used, sizeof problem - used, "%s; ", msg);
        used = strlen(problem);
        if (fresh != 0)
            snprintf(problem + used, sizeof problem - used,
                     "%s: the resumed job ran %llu more units; ", ekm_strategy_name(some[s]),
                     (unsigned long long)fresh);
        ekm_result_free(r);
        for (int p = 0; p < 3; p++)
            ekm_checkpoint_free(part[p]);
        ekm_checkpoint_free(root);
        ekm_result_free(ref);
    }
    /* checkpoints of other datasets do not merge */
    ekm_checkpoint *a = partial_checkpoint(dm, EKM_STRATEGY_SEQ, dc->k);
    ekm_dissim *other = make_dm(x, dc->n, dc->d, EKM_METRIC_EUCLIDEAN);
    ekm_solve_options o = options(EKM_STRATEGY_SEQ, dc->k, 1);
    uint64_t units = plan_units(dc->n, &o);
    ekm_checkpoint *b = run_range(other, o, NULL, units - 1, units, EKM_CKPT_NEW_ONLY);
    assert_int_not_equal(ekm_checkpoint_merge(a, b, NULL), EKM_OK);
    ekm_checkpoint_free(a);
    ekm_checkpoint_free(b);
    ekm_dissim_release(other);
    ekm_dissim_release(dm);
    free(x);
    if (problem[0])
        fail_msg("%s", problem);
}

/* The front ends' note (ui/common/ckpt.h): how to load the data again. */
static void test_note_round_trip(void **state)
{
    (void)state;
    ckpt_source a, b;
    memset(&a, 0, sizeof a);
    a.kind = CKPT_SRC_CSV;
    snprintf(a.path, sizeof a.path, "/data/odd %%name\nwith=line.csv");
    a.csv = ekm_csv_options_default();
    a.csv.header = EKM_HEADER_NO;
    a.csv.label = EKM_LABEL_LAST;
    a.csv.missing = EKM_MISSING_DROP;
    a.csv.separator = '\t';
    a.metric = EKM_METRIC_MANHATTAN;
    char note[CKPT_NOTE_MAX], err[256];
    ckpt_source_format(&a, note, sizeof note);
    assert_non_null(strstr(note, "\npath=/data/odd %25name%0Awith=line.csv\n"));
    if (ckpt_source_parse(note, &b, err, sizeof err))
        fail_msg("parse: %s\n%s", err, note);
    assert_int_equal(b.kind, CKPT_SRC_CSV);
    assert_string_equal(b.path, a.path);
    assert_int_equal(b.csv.header, EKM_HEADER_NO);
    assert_int_equal(b.csv.label, EKM_LABEL_LAST);
    assert_int_equal(b.csv.missing, EKM_MISSING_DROP);
    assert_int_equal(b.csv.separator, '\t');
    assert_int_equal(b.metric, EKM_METRIC_MANHATTAN);

    memset(&a, 0, sizeof a);
    a.kind = CKPT_SRC_GEN;
    a.gen_kind = EKM_GEN_BLOBS;
    a.gen_n = 1234;
    a.gen_d = 5;
    a.gen_clusters = 7;
    a.gen_seed = 18446744073709551615ULL;
    a.metric = EKM_METRIC_SQEUCLIDEAN;
    ckpt_source_format(&a, note, sizeof note);
    assert_int_equal(ckpt_source_parse(note, &b, err, sizeof err), 0);
    assert_int_equal(b.kind, CKPT_SRC_GEN);
    assert_int_equal(b.gen_kind, EKM_GEN_BLOBS);
    assert_int_equal(b.gen_n, 1234);
    assert_int_equal(b.gen_d, 5);
    assert_int_equal(b.gen_clusters, 7);
    assert_true(b.gen_seed == a.gen_seed);
    assert_int_equal(b.metric, EKM_METRIC_SQEUCLIDEAN);
    /* a generated source loads the same points as ekm_generate */
    ekm_dissim *dm;
    a.gen_n = 50;
    assert_int_equal(ckpt_source_load(&a, &dm, err, sizeof err), 0);
    assert_int_equal(ekm_dissim_n(dm), 50);
    assert_int_equal(ekm_dissim_metric(dm), EKM_METRIC_SQEUCLIDEAN);
    ekm_dissim_release(dm);

    /* refused: no note, another program's note, no path, a bad value */
    const char *bad[] = {NULL, "hello", "ekm-data 1\nsource=csv\n",
                         "ekm-data 1\nsource=csv\npath=relative.csv\n",
                         "ekm-data 1\nsource=csv\npath=/a.csv\nmetric=cosine\n",
                         "ekm-data 1\nsource=csv\npath=/a%2.csv\n",
                         "ekm-data 1\nsource=gen\ngen=uniform\nn=0\nd=2\n",
                         "ekm-data 1\nsource=tape\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (ckpt_source_parse(bad[i], &b, err, sizeof err) == 0)
            fail_msg("note %zu was accepted", i);
        assert_true(err[0] != '\0');
    }
    /* unknown keys are ignored (a later version may add some) */
    assert_int_equal(ckpt_source_parse("ekm-data 1\nsource=csv\npath=/a.csv\nfuture=1\n", &b,
                                       err, sizeof err),
                     0);
    /* a missing data file: the error names it */
    memset(&a, 0, sizeof a);
    a.kind = CKPT_SRC_CSV;
    a.csv = ekm_csv_options_default();
    snprintf(a.path, sizeof a.path, "/nonexistent/data.csv");
    assert_int_equal(ckpt_source_load(&a, &dm, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/data.csv"));
}

/* Heuristics have no checkpoint. */
static void test_heuristic_has_none(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_solve_options opt = options(EKM_STRATEGY_FASTERPAM, 3, 1);
    ekm_job *job;
    assert_int_equal(ekm_job_start(dm, &opt, &job, NULL), EKM_OK);
    ekm_job_wait(job);
    ekm_checkpoint *ck = NULL;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, NULL), EKM_ERR_INVALID);
    assert_null(ck);
    ekm_job_free(job);
    ekm_dissim_release(dm);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_disjoint_ranges),
        cmocka_unit_test(test_note_round_trip),
        cmocka_unit_test(test_heuristic_has_none),
    };
    const char *only = getenv("EKM_TEST_FILTER"); /* e.g. "test_merge*" */
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
