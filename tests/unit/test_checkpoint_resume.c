/* test_checkpoint_resume.c — resuming: after a unit range (seq and pruned), after
 * a cancel, a complete checkpoint that resumes at once. */
#include "test_checkpoint.h"

static void test_resume_after_unit_range(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const data_case *dc = &cases[c];
        double *x = case_points(dc);
        ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
        for (int s = 0; s < N_EXACT; s++)
            if (exact[s] != EKM_STRATEGY_PRUNED)
                check_unit_range(dm, dc, exact[s]);
        ekm_dissim_release(dm);
        free(x);
    }
}

static void test_pruned_resume_after_unit_range(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof pruned_cases / sizeof pruned_cases[0]; c++) {
        const data_case *dc = &pruned_cases[c];
        double *x = case_points(dc);
        ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
        check_unit_range(dm, dc, EKM_STRATEGY_PRUNED);
        ekm_dissim_release(dm);
        free(x);
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Start (from ck), cancel once the job has closed K-subsets of its own (a
 * condition, not a delay) or has finished, take the checkpoint of everything. */
static ekm_checkpoint *run_and_cancel(ekm_dissim *dm, ekm_solve_options opt,
                                      const ekm_checkpoint *from, int *cancelled)
{
    opt.resume = from;
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e))
        fail_msg("%s", label(&opt, e.message));
    ekm_progress *p = malloc(sizeof *p);
    assert_non_null(p);
    for (double deadline = ekm_now() + 120; !ekm_job_done(job); sleep_ms(1)) {
        ekm_job_progress(job, p);
        if (p->done > p->resumed)
            break;
        if (ekm_now() > deadline)
            fail_msg("%s", label(&opt, "nothing closed in 120 s"));
    }
    free(p);
    ekm_job_cancel(job);
    ekm_status st = ekm_job_wait(job);
    assert_true(st == EKM_OK || st == EKM_ERR_CANCELLED);
    *cancelled = st == EKM_ERR_CANCELLED;
    ekm_checkpoint *ck;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &e), EKM_OK);
    if (st == EKM_OK)
        assert_int_equal(ekm_checkpoint_units_done(ck), ekm_checkpoint_units(ck));
    ekm_job_free(job);
    return ck;
}

/* Cancelled mid-way, resumed and cancelled again, then resumed to the end. The
 * checkpoints also go through encode/decode, as a file would. */
static void test_resume_after_cancel(void **state)
{
    (void)state;
#if defined(__SANITIZE_THREAD__)
    const size_t n = 160;
#elif defined(EKM_SANITIZED)
    const size_t n = 260;
#else
    const size_t n = 400;
#endif
    data_case dc = {n, 2, 3, 0, 31, EKM_METRIC_EUCLIDEAN};
    double *x = case_points(&dc);
    ekm_dissim *dm = make_dm(x, dc.n, dc.d, dc.metric);
    ekm_solve_options popt = options(EKM_STRATEGY_PRUNED, 3, 2);
    ekm_result *ref3 = solve_ref(dm, &popt);
    popt.k = 4;
    ekm_result *ref4 = solve_ref(dm, &popt);
    int cancelled_somewhere = 0;
    for (int s = 0; s < N_EXACT; s++) {
        ekm_solve_options opt = options(exact[s], exact[s] == EKM_STRATEGY_PRUNED ? 4 : 3, 2);
        const ekm_result *ref = opt.k == 4 ? ref4 : ref3;
        int c1, c2;
        ekm_checkpoint *ck1 = run_and_cancel(dm, opt, NULL, &c1);
        uint8_t *buf;
        size_t len;
        assert_int_equal(ekm_checkpoint_encode(ck1, &buf, &len, NULL), EKM_OK);
        ekm_checkpoint *dec;
        assert_int_equal(ekm_checkpoint_decode(buf, len, &dec, NULL), EKM_OK);
        free(buf);
        ekm_checkpoint *ck2 = run_and_cancel(dm, opt, dec, &c2);
        cancelled_somewhere |= c1 | c2;
        /* everything of the first part is still in the second checkpoint */
        assert_true(ekm_checkpoint_units_done(ck2) >= ekm_checkpoint_units_done(dec));
        assert_true(ekm_checkpoint_done(ck2) >= ekm_checkpoint_done(dec));
        ekm_result *r = resume_all(dm, opt, ck2, NULL);
        check_same(r, ref, &opt, "resumed after two cancels");
        ekm_result_free(r);
        ekm_checkpoint_free(ck1);
        ekm_checkpoint_free(dec);
        ekm_checkpoint_free(ck2);
    }
    /* at these sizes the enumeration takes far longer than the first look at its progress */
    assert_true(cancelled_somewhere);
    ekm_result_free(ref3);
    ekm_result_free(ref4);
    ekm_dissim_release(dm);
    free(x);
}

/* A complete checkpoint resumes to the result at once, doing nothing. */
static void test_complete_checkpoint_resumes_at_once(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    for (int s = 0; s < N_EXACT; s++) {
        ekm_solve_options opt = options(exact[s], dc->k, 2);
        ekm_result *ref = solve_ref(dm, &opt);
        ekm_checkpoint *ck = run_range(dm, opt, NULL, 0, 0, EKM_CKPT_ALL);
        assert_int_equal(ekm_checkpoint_units_done(ck), ekm_checkpoint_units(ck));
        assert_int_equal(ekm_checkpoint_done(ck), ref->total);
        double best;
        uint32_t bm[EKM_MAX_K];
        assert_true(ekm_checkpoint_best(ck, &best, bm));
        assert_memory_equal(bm, ref->medoids, dc->k * sizeof *bm);
        uint64_t fresh = 99;
        ekm_result *r = resume_all(dm, opt, ck, &fresh);
        check_same(r, ref, &opt, "resumed from a complete checkpoint");
        assert_int_equal(fresh, 0);
        ekm_result_free(r);
        ekm_result_free(ref);
        ekm_checkpoint_free(ck);
    }
    ekm_dissim_release(dm);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_after_unit_range),
        cmocka_unit_test(test_pruned_resume_after_unit_range),
        cmocka_unit_test(test_resume_after_cancel),
        cmocka_unit_test(test_complete_checkpoint_resumes_at_once),
    };
    const char *only = getenv("EKM_TEST_FILTER"); /* e.g. "test_merge*" */
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
