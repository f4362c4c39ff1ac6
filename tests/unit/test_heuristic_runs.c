/* test_heuristic_runs.c — the heuristics as runs: determinism and restarts,
 * cancellation before and during a run, refused options, extreme K. */
#include "test_heuristic.h"

/* Objective o with sorted medoids m beats (ob, best): lower, or equal and
 * lexicographically smaller. */
/* The cancel callback the tests give: a C11 atomic flag. */
static int flag_set(void *ctx) { return atomic_load((atomic_int *)ctx) != 0; }

static bool better(double o, const uint32_t *m, double ob, const uint32_t *best, unsigned k)
{
    if (o != ob)
        return o < ob;
    for (unsigned j = 0; j < k; j++)
        if (m[j] != best[j])
            return m[j] < best[j];
    return false;
}

/* Same seed, same result; restarts = R is the best of the starts r = 0..R-1,
 * each seeded with seed + r (ties: smallest medoid set), and the swaps add up;
 * PAM is one deterministic run whatever the seed and restarts. */
static void test_determinism_and_restarts(void **state)
{
    (void)state;
    static const ekm_strategy all[4] = {EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM,
                                        EKM_STRATEGY_CLARANS, EKM_STRATEGY_ALTERNATE};
    rnd_state = 505;
    unsigned differ[4] = {0};
    for (int rep = 0; rep < 10; rep++) {
        unsigned k = 2 + (unsigned)rep % 4;
        tcase t;
        case_make(&t, 40, (data_kind)(rep % 3), metrics[rep % 3], 0);
        for (int a = 0; a < 4; a++) {
            const unsigned R = 4;
            uint32_t m1[5], m2[5], best[5] = {0};
            double o1, o2, ob = INFINITY;
            uint64_t s1, s2, sum = 0;
            assert_int_equal(run(&t, all[a], k, 42, R, m1, &o1, &s1), EKM_OK);
            assert_int_equal(run(&t, all[a], k, 42, R, m2, &o2, &s2), EKM_OK);
            assert_memory_equal(m1, m2, k * sizeof *m1);
            assert_true(o1 == o2);
            assert_true(s1 == s2);
            unsigned starts = all[a] == EKM_STRATEGY_PAM ? 1 : R;
            uint32_t first[5];
            bool seen_other = false;
            for (unsigned r = 0; r < starts; r++) {
                uint32_t m[5];
                uint64_t sw;
                double o = one_start(&t, all[a], k, 42, r, m, &sw);
                sum += sw;
                if (better(o, m, ob, best, k)) {
                    ob = o;
                    memcpy(best, m, k * sizeof *m);
                }
                if (r == 0)
                    memcpy(first, m, k * sizeof *m);
                else if (memcmp(m, first, k * sizeof *m) != 0)
                    seen_other = true;
            }
            assert_true(o1 == ob);
            assert_memory_equal(m1, best, k * sizeof *m1);
            assert_true(s1 == sum);
            differ[a] += seen_other;
            /* restarts = 1 is the first start; for PAM also with another seed */
            uint32_t m[5];
            double o;
            assert_int_equal(run(&t, all[a], k, all[a] == EKM_STRATEGY_PAM ? 999 : 42, 1, m, &o,
                                 NULL),
                             EKM_OK);
            assert_memory_equal(m, first, k * sizeof *m);
        }
        case_free(&t);
    }
    /* different seeds do give different starts */
    assert_true(differ[1] >= 3);
    assert_true(differ[2] >= 3);
    assert_true(differ[3] >= 3);
}

static void test_cancel_before(void **state)
{
    (void)state;
    rnd_state = 606;
    tcase t;
    case_make(&t, 30, DATA_CLUSTERED, EKM_METRIC_EUCLIDEAN, 0);
    atomic_int cancel;
    atomic_init(&cancel, 1);
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        ekm_heuristic_options o = {.k = 3, .seed = 1, .cancelled = flag_set, .cancel_ctx = &cancel};
        uint32_t med[3];
        double obj;
        ekm_error err;
        assert_int_equal(ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err),
                         EKM_ERR_CANCELLED);
        assert_int_equal(err.status, EKM_ERR_CANCELLED);
    }
    atomic_store(&cancel, 0);
    ekm_heuristic_options o = {.k = 3, .seed = 1, .cancelled = flag_set, .cancel_ctx = &cancel};
    uint32_t med[3];
    double obj;
    assert_int_equal(ekm_heuristic_run(t.dm, EKM_STRATEGY_PAM, &o, med, &obj, NULL, NULL), EKM_OK);
    case_free(&t);
}

typedef struct canceller {
    atomic_int *flag;
    atomic_int finished;  /* the heuristic returned */
    clockid_t worker_cpu; /* CPU clock of the thread running the heuristic */
    double set_at;        /* that clock when the flag was set (-1: never set) */
} canceller;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Sets the flag once the worker has done 20 ms of work (its CPU time, not a
 * delay: a busy machine only makes the wait longer), unless it finished first. */
static void *cancel_soon(void *arg)
{
    canceller *c = arg;
    const double start = clock_seconds(c->worker_cpu);
    c->set_at = -1;
    while (!atomic_load(&c->finished)) {
        double now = clock_seconds(c->worker_cpu);
        if (now - start >= 0.02) {
            c->set_at = now;
            atomic_store(c->flag, 1);
            break;
        }
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Runs that take far longer than 20 ms of CPU (PAM's BUILD with k = 500 on 1000
 * points; thousands of restarts for the others) stop soon after the flag is set
 * from another thread. "Soon" is measured in CPU time of the working thread, so
 * that a loaded machine does not make the check flaky. */
static void test_cancel_during(void **state)
{
    (void)state;
    rnd_state = 707;
    tcase t;
    case_make(&t, 1000, DATA_UNIFORM, EKM_METRIC_EUCLIDEAN, 0);
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        atomic_int flag;
        atomic_init(&flag, 0);
        canceller c = {.flag = &flag};
        atomic_init(&c.finished, 0);
        assert_int_equal(pthread_getcpuclockid(pthread_self(), &c.worker_cpu), 0);
        ekm_heuristic_options o = {.k = s == EKM_STRATEGY_PAM ? 500 : 50,
                                   .seed = 3,
                                   .restarts = 5000,
                                   .cancelled = flag_set, .cancel_ctx = &flag};
        uint32_t *med = malloc(o.k * sizeof *med);
        assert_non_null(med);
        double obj;
        ekm_error err;
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, cancel_soon, &c), 0);
        ekm_status st = ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err);
        double done = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        atomic_store(&c.finished, 1);
        pthread_join(th, NULL);
        if (c.set_at < 0)
            fail_msg("strategy %d finished (%s) within 20 ms of CPU: nothing left to cancel",
                     (int)s, ekm_status_name(st));
        assert_int_equal(st, EKM_ERR_CANCELLED);
        /* a few ms of work between looks at the flag (measured: 0-2 ms; up to
         * ~50 ms under ThreadSanitizer) */
#ifdef EKM_SANITIZED
        const double bound = 0.25;
#else
        const double bound = 0.03;
#endif
        if (done - c.set_at >= bound) {
            fprintf(stderr, "strategy %d: %.3f s of work after the cancel\n", (int)s,
                    done - c.set_at);
            fail();
        }
        free(med);
    }
    case_free(&t);
}

static void test_invalid(void **state)
{
    (void)state;
    rnd_state = 808;
    tcase t;
    case_make(&t, 10, DATA_UNIFORM, EKM_METRIC_MANHATTAN, 0);
    uint32_t med[16];
    double obj;
    ekm_error err;
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        ekm_heuristic_options o = {.k = 0};
        ekm_error_clear(&err);
        assert_int_equal(ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err), EKM_ERR_INVALID);
        assert_int_equal(err.status, EKM_ERR_INVALID);
        assert_non_null(strstr(err.message, "k = 0"));
        o.k = 11;
        ekm_error_clear(&err);
        assert_int_equal(ekm_heuristic_run(t.dm, s, &o, med, &obj, NULL, &err), EKM_ERR_INVALID);
        assert_non_null(strstr(err.message, "k = 11"));
        assert_non_null(strstr(err.message, "10"));
    }
    ekm_heuristic_options o = {.k = 2};
    assert_int_equal(ekm_heuristic_run(t.dm, EKM_STRATEGY_SEQ, &o, med, &obj, NULL, &err),
                     EKM_ERR_INVALID);
    assert_non_null(strstr(err.message, "not a heuristic"));
    assert_int_equal(ekm_heuristic_run(t.dm, EKM_STRATEGY_PAM, NULL, med, &obj, NULL, &err),
                     EKM_ERR_INVALID);
    assert_int_equal(ekm_heuristic_run(NULL, EKM_STRATEGY_PAM, &o, med, &obj, NULL, &err),
                     EKM_ERR_INVALID);
    case_free(&t);
}

/* k = n: every point is a medoid, objective 0, no swap. k = n - 1 on a grid
 * with duplicates: the optimum. */
static void test_extreme_k(void **state)
{
    (void)state;
    rnd_state = 909;
    tcase t;
    case_make(&t, 7, DATA_GRID, EKM_METRIC_SQEUCLIDEAN, 0);
    double opt = brute_optimum(&t, 6);
    for (ekm_strategy s = EKM_STRATEGY_PAM; s <= EKM_STRATEGY_ALTERNATE; s++) {
        uint32_t med[7];
        double obj;
        uint64_t swaps;
        assert_int_equal(run(&t, s, 7, 5, 2, med, &obj, &swaps), EKM_OK);
        for (uint32_t j = 0; j < 7; j++)
            assert_int_equal(med[j], j);
        assert_true(obj == 0.0);
        assert_true(swaps == 0);
        assert_int_equal(run(&t, s, 6, 5, 2, med, &obj, &swaps), EKM_OK);
        check_result(&t, med, 6, obj);
        if (s != EKM_STRATEGY_ALTERNATE)
            assert_true(obj == opt);
    }
    case_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinism_and_restarts),
        cmocka_unit_test(test_cancel_before),
        cmocka_unit_test(test_cancel_during),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_extreme_k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
