/* test_checkpoint_crafted.c — crafted checkpoints (root, best, header) refused
 * with a message, never resumed into a wrong answer. */
#include "test_checkpoint.h"

/* ---- crafted checkpoints: fields changed, checksum recomputed ---------------------- */

/* A decoded copy of ck (to change fields in). */
static ekm_checkpoint *copy_ck(const ekm_checkpoint *ck)
{
    uint8_t *b;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &b, &len, NULL), EKM_OK);
    ekm_checkpoint *c = NULL;
    assert_int_equal(ekm_checkpoint_decode(b, len, &c, NULL), EKM_OK);
    free(b);
    return c;
}

/* Encode a crafted value (a correct checksum over its bytes) and decode it:
 * the status, and the message in msg. */
static ekm_status reencode(const ekm_checkpoint *ck, char *msg, size_t size,
                           ekm_checkpoint **out)
{
    uint8_t *b;
    size_t len;
    assert_int_equal(ekm_checkpoint_encode(ck, &b, &len, NULL), EKM_OK);
    ekm_checkpoint *c = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    ekm_status st = ekm_checkpoint_decode(b, len, &c, &e);
    free(b);
    snprintf(msg, size, "%s", e.message);
    if (out)
        *out = c;
    else
        ekm_checkpoint_free(c);
    if (st)
        assert_null(c);
    return st;
}

/* The crafted value must be refused by the decoder with a message holding `why`. */
static void expect_undecodable(const ekm_checkpoint *ck, const char *what, const char *why)
{
    char msg[512];
    if (reencode(ck, msg, sizeof msg, NULL) == EKM_OK)
        fail_msg("%s: decoded", what);
    if (!strstr(msg, why))
        fail_msg("%s: refused with \"%s\", expected \"%s\"", what, msg, why);
    assert_null(strchr(msg, '\n'));
}

/* The crafted value decodes (its fields are possible) but resuming it on dm is
 * refused with a message holding `why`. */
static void expect_resume_refused(const ekm_checkpoint *ck, ekm_dissim *dm, const char *what,
                                  const char *why)
{
    char msg[512];
    ekm_checkpoint *back = NULL;
    if (reencode(ck, msg, sizeof msg, &back) != EKM_OK)
        fail_msg("%s: not even decoded: %s", what, msg);
    ekm_solve_options opt = ekm_checkpoint_options(back);
    opt.threads = 2;
    opt.resume = back;
    ekm_job *job = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    if (ekm_job_start(dm, &opt, &job, &e) == EKM_OK) {
        ekm_job_free(job);
        ekm_checkpoint_free(back);
        fail_msg("%s: resumed", what);
    }
    assert_null(job);
    if (!strstr(e.message, why))
        fail_msg("%s: refused with \"%s\", expected \"%s\"", what, e.message, why);
    ekm_checkpoint_free(back);
}

/* A pruned checkpoint whose root is ready: root only (no unit finished). */
static ekm_checkpoint *pruned_root_checkpoint(ekm_dissim *dm, unsigned k)
{
    ekm_solve_options opt = options(EKM_STRATEGY_PRUNED, k, 2);
    opt.root_only = 1;
    ekm_checkpoint *ck = run_range(dm, opt, NULL, 0, 0, EKM_CKPT_ALL);
    assert_true(ck->has_root);
    return ck;
}

/* Set a root's task count (and the unit flags and closed count that go with it). */
static void set_tasks(ekm_checkpoint *c, uint32_t tasks)
{
    uint64_t n = c->n;
    unsigned k = c->opt.k;
    c->root.tasks = tasks;
    c->n_units = tasks;
    free(c->done);
    c->done = calloc(tasks ? tasks : 1, 1);
    assert_non_null(c->done);
    c->root.lump = tasks < n - k + 1 ? ekm_binomial(n - tasks, k, NULL) : 0;
}

/* Every field of a pruned root is checked before a search indexes by it. */
static void test_crafted_root_refused(void **state)
{
    (void)state;
    const data_case *dc = &pruned_cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = pruned_root_checkpoint(dm, dc->k);
    uint32_t n = (uint32_t)dc->n, k = dc->k;
    ekm_checkpoint *c;

    /* more root children than there are first medoids (the search read past ρ) */
    for (uint32_t extra = 1; extra <= 3; extra++) {
        c = copy_ck(ck);
        set_tasks(c, n - k + 1 + extra);
        expect_undecodable(c, "tasks > N-K+1", "more root children than N-K+1");
        ekm_checkpoint_free(c);
    }
    c = copy_ck(ck);
    c->root.tasks = c->root.tasks ? c->root.tasks - 1 : 1; /* units left as they were */
    expect_undecodable(c, "tasks != units", "bad root record");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.lump += 1;
    expect_undecodable(c, "lump", "closed count");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.cand[1] = c->root.cand[0];
    expect_undecodable(c, "a candidate twice", "permutation");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.rho[n - 1] = c->root.rho[0] - 1.0;
    expect_undecodable(c, "bounds not ascending", "ascending");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.rho[3] = NAN;
    expect_undecodable(c, "a NaN bound", "ascending finite");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.lam[5] = -1.0f;
    expect_undecodable(c, "a negative multiplier", "multiplier");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.margin = 0.0;
    expect_undecodable(c, "no rounding margin", "margin");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.base = INFINITY;
    expect_undecodable(c, "an infinite base", "out of range");
    ekm_checkpoint_free(c);

    /* possible fields, but not a bound on this data: every ρ raised (still
     * ascending) would close every child */
    c = copy_ck(ck);
    for (uint32_t i = 0; i < n; i++)
        c->root.rho[i] += 1e6;
    set_tasks(c, 0);
    expect_resume_refused(c, dm, "inflated bounds", "bounds exceed");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->root.base *= 2.0;
    c->root.sum_max *= 2.0;
    c->root.margin *= 2.0; /* what the doubled sum needs at most */
    expect_resume_refused(c, dm, "inflated base", "base");
    ekm_checkpoint_free(c);
    /* a child the bound does not exclude, closed by a smaller task count */
    if (ck->root.tasks > 0) {
        c = copy_ck(ck);
        set_tasks(c, ck->root.tasks - 1);
        expect_resume_refused(c, dm, "one task fewer", "does not exclude");
        ekm_checkpoint_free(c);
    }
    /* the untouched copy resumes to the uninterrupted answer */
    ekm_solve_options opt = options(EKM_STRATEGY_PRUNED, k, 2);
    ekm_result *ref = solve_ref(dm, &opt);
    ekm_result *r = resume_all(dm, opt, ck, NULL);
    char msg[1024];
    if (result_differs(r, ref, &opt, "root-only checkpoint", msg, sizeof msg))
        fail_msg("%s", msg);
    ekm_result_free(r);
    ekm_result_free(ref);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

/* Stored medoid sets and objectives: impossible ones are refused by the decoder,
 * possible ones that are not this data's (a fake best) on resume. */
static void test_crafted_best_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    for (int pr = 0; pr < 2; pr++) {
        ekm_checkpoint *ck = pr ? pruned_root_checkpoint(dm, dc->k)
                                : partial_checkpoint(dm, EKM_STRATEGY_FUSED, dc->k);
        unsigned k = dc->k;
        ekm_checkpoint *c;
        assert_true(ck->stages[0].best.len >= 1);
        c = copy_ck(ck);
        uint32_t *set = c->stages[0].best.sets;
        uint32_t t = set[0];
        set[0] = set[1];
        set[1] = t;
        expect_undecodable(c, "unsorted set", "bad medoid set");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.sets[1] = c->stages[0].best.sets[0];
        expect_undecodable(c, "a medoid twice", "bad medoid set");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.sets[k - 1] = (uint32_t)dc->n;
        expect_undecodable(c, "a medoid >= N", "bad medoid set");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.value[0] = NAN;
        expect_undecodable(c, "a NaN objective", "bad objective");
        ekm_checkpoint_free(c);
        c = copy_ck(ck);
        c->stages[0].best.value[0] = -1.0;
        expect_undecodable(c, "a negative objective", "bad objective");
        ekm_checkpoint_free(c);
        /* a fake best: a real set with a smaller number */
        c = copy_ck(ck);
        c->stages[0].best.value[0] *= 0.5;
        expect_resume_refused(c, dm, "fake best value", "not that set's objective");
        ekm_checkpoint_free(c);
        /* a real objective under another set */
        c = copy_ck(ck);
        uint32_t *s0 = c->stages[0].best.sets;
        s0[k - 1] = s0[k - 1] + 1 < dc->n ? s0[k - 1] + 1 : s0[k - 1];
        if (k >= 2 && s0[k - 1] == ck->stages[0].best.sets[k - 1] && s0[k - 2] + 1 < s0[k - 1])
            s0[k - 2]++;
        assert_memory_not_equal(s0, ck->stages[0].best.sets, k * sizeof *s0);
        expect_resume_refused(c, dm, "value of another set", "not that set's objective");
        ekm_checkpoint_free(c);
        /* a stage that evaluated sets but holds no best */
        c = copy_ck(ck);
        if (c->stages[0].done > c->stages[0].pruned) {
            ekm__best_clear(&c->stages[0].best);
            expect_resume_refused(c, dm, "no best", "holds no best");
        }
        ekm_checkpoint_free(c);
        ekm_checkpoint_free(ck);
    }
    ekm_dissim_release(dm);
    free(x);
}

/* Header and counts against N, K and C(N,K). */
static void test_crafted_header_refused(void **state)
{
    (void)state;
    const data_case *dc = &cases[0];
    double *x = case_points(dc);
    ekm_dissim *dm = make_dm(x, dc->n, dc->d, dc->metric);
    ekm_checkpoint *ck = partial_checkpoint(dm, EKM_STRATEGY_SEQ, dc->k);
    ekm_checkpoint *c;
    c = copy_ck(ck);
    c->total += 1;
    expect_undecodable(c, "total != C(N,K)", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->n = dc->k - 1;
    expect_undecodable(c, "N < K", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->n += 1; /* C(N+1,K) != total */
    expect_undecodable(c, "another N", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->opt.threads = 0;
    expect_undecodable(c, "no threads", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->seconds = NAN;
    expect_undecodable(c, "NaN seconds", "impossible header");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->stages[0].done = c->total + 1;
    c->stages[0].pruned = 0;
    expect_undecodable(c, "a stage closes more than C(N,K)", "bad stage record");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->stages[0].lo = c->stages[0].hi + 1;
    expect_undecodable(c, "a stage range backwards", "bad stage record");
    ekm_checkpoint_free(c);
    c = copy_ck(ck);
    c->stages[0].hi = (uint32_t)dc->n + 1;
    expect_undecodable(c, "a stage range past N", "bad stage record");
    ekm_checkpoint_free(c);
    /* K changed with its sets: a checkpoint of another problem */
    c = copy_ck(ck);
    c->opt.k = dc->k + 1;
    c->total = ekm_binomial(dc->n, dc->k + 1, NULL);
    ekm__best_clear(&c->stages[0].best);
    c->stages[0].done = c->stages[0].pruned = 0;
    memset(c->done, 0, c->n_units);
    {
        char msg[512];
        ekm_checkpoint *back = NULL;
        assert_int_equal(reencode(c, msg, sizeof msg, &back), EKM_OK);
        expect_refused(back, dm, options(EKM_STRATEGY_SEQ, dc->k, 2), "K+1 checkpoint, K run");
        ekm_checkpoint_free(back);
    }
    ekm_checkpoint_free(c);
    ekm_checkpoint_free(ck);
    ekm_dissim_release(dm);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crafted_root_refused),
        cmocka_unit_test(test_crafted_best_refused),
        cmocka_unit_test(test_crafted_header_refused),
    };
    const char *only = getenv("EKM_TEST_FILTER"); /* e.g. "test_merge*" */
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
