/* test_estimate.c — the run-time estimate behind the batch warning and the REPL's
 * question (common/estimate.h): the walk's cost per K-subset grows with K exactly
 * as its prefix counts say; the estimate grows with K up to N/2; K=64 of 70 lattice
 * points (every set re-checked in double, measured at about 75 minutes on one
 * thread) and K=60 of 70 points with fused (hours) are long; the same K=64 on
 * points in general position (about 20 s measured) is not; pruned and the
 * heuristics have no estimate. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/estimate.h"
#include "ekm/dataset.h"

/* 70 points: a 7 x 10 lattice (many equal distances and objectives), or points in
 * general position (a fixed pseudo-random sequence). */
static ekm_dissim *points70(int lattice)
{
    double xy[140];
    uint64_t s = 12345;
    for (int i = 0; i < 70; i++) {
        if (lattice) {
            xy[2 * i] = i % 7;
            xy[2 * i + 1] = i / 7;
        } else {
            for (int j = 0; j < 2; j++) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                xy[2 * i + j] = (double)(s >> 11) / 9007199254740992.0;
            }
        }
    }
    ekm_dataset *ds;
    ekm_dissim *dm;
    ekm_error e;
    assert_int_equal(ekm_dataset_from_points(lattice ? "lattice" : "spread", 70, 2, xy, NULL,
                                             &ds, &e),
                     EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &e), EKM_OK);
    ekm_dataset_release(ds);
    return dm;
}

static ekm_solve_options options(unsigned k, ekm_strategy strategy, unsigned threads)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.strategy = strategy;
    o.threads = threads;
    return o;
}

/* Brute count of the walk's prefix updates: the l-point prefixes (1 <= l < K) of
 * the K-subsets of [0,N) that leave room for the K-l points after them. */
static double count_prefixes(unsigned n, unsigned k, unsigned l, unsigned from)
{
    if (l == k - 1 || k == 1)
        return 0;
    double c = 0;
    for (unsigned v = from; v + (k - 1 - l) < n; v++)
        c += 1 + count_prefixes(n, k, l + 1, v + 1);
    return c;
}

static double binomial(unsigned n, unsigned k)
{
    double c = 1;
    for (unsigned i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return c;
}

static void test_walk_cost_matches_a_brute_count(void **state)
{
    (void)state;
    for (unsigned n = 1; n <= 12; n++)
        for (unsigned k = 1; k <= n; k++) {
            double passes, calls;
            estimate_walk_cost(n, k, &passes, &calls);
            double subsets = binomial(n, k);
            double prefixes = count_prefixes(n, k, 0, 0); /* levels 0..K-2 */
            if (fabs(passes - (1 + prefixes / subsets)) > 1e-9)
                fail_msg("N=%u K=%u: %.12g passes, the walk does %.12g", n, k, passes,
                         1 + prefixes / subsets);
            /* last-level calls: the (K-1)-prefixes, C(N-1,K-1); K=1: one call */
            double want = k == 1 ? 1.0 / n : binomial(n - 1, k - 1) / subsets;
            if (fabs(calls - want) > 1e-12)
                fail_msg("N=%u K=%u: %.12g calls per subset, want %.12g", n, k, calls, want);
        }
}

static void test_cost_grows_with_k(void **state)
{
    (void)state;
    double prev = 0;
    for (unsigned k = 1; k <= 70; k++) {
        double passes, calls;
        estimate_walk_cost(70, k, &passes, &calls);
        if (!(passes > prev))
            fail_msg("K=%u: %.6g passes per subset, not more than K=%u's %.6g", k, passes,
                     k - 1, prev);
        prev = passes;
    }
    assert_true(prev == 70); /* K=N: the one subset after N-1 prefix updates */
    /* the whole run's estimate grows with K while C(N,K) does (up to K=26, where
     * C(70,K) still fits in 64 bits) */
    ekm_dissim *dm = points70(0);
    double last = 0;
    for (unsigned k = 1; k <= 26; k++) {
        ekm_solve_options o = options(k, EKM_STRATEGY_SEQ, 1);
        run_estimate e;
        estimate_run(dm, 70, &o, 1.0, &e);
        assert_true(e.known);
        if (!(e.seconds > last))
            fail_msg("K=%u: %.6g s estimated, not more than K=%u's %.6g s", k, e.seconds, k - 1,
                     last);
        last = e.seconds;
    }
    ekm_dissim_release(dm);
}

static void test_large_k_on_equal_objectives_is_long(void **state)
{
    (void)state;
    ekm_dissim *lattice = points70(1), *spread = points70(0);
    run_estimate e;
    ekm_solve_options o = options(64, EKM_STRATEGY_SEQ, 1);
    estimate_run(lattice, 70, &o, 1.0, &e);
    assert_true(e.known);
    assert_true(e.recheck > 0.9); /* nearly every 64-subset has the same objective */
    if (!estimate_is_long(&e))
        fail_msg("K=64 of 70 lattice points: %.0f s estimated, not over an hour", e.seconds);
    char text[400];
    estimate_describe(&e, text, sizeof text);
    assert_non_null(strstr(text, "re-checked in double"));
    assert_non_null(strstr(text, "1.31e+08 K-subsets x 70 points"));
    /* a checkpoint with 90% done: a tenth of that */
    run_estimate rest;
    estimate_run(lattice, 70, &o, 0.1, &rest);
    assert_true(fabs(rest.seconds - e.seconds * 0.1) < 1e-6 * e.seconds);
    /* in general position, the same run is a matter of seconds (about 20 s measured) */
    estimate_run(spread, 70, &o, 1.0, &e);
    assert_true(e.known);
    assert_true(e.recheck == 0);
    if (estimate_is_long(&e) || e.seconds < 5)
        fail_msg("K=64 of 70 spread points: %.1f s estimated", e.seconds);
    /* K=60 with fused: hours even on 2 threads and without re-checks */
    o = options(60, EKM_STRATEGY_FUSED, 2);
    estimate_run(spread, 70, &o, 1.0, &e);
    if (!estimate_is_long(&e))
        fail_msg("K=60 of 70 points, fused: %.0f s estimated, not over an hour", e.seconds);
    estimate_run(NULL, 70, &o, 1.0, &e); /* without the data: no re-checks counted */
    assert_true(estimate_is_long(&e));
    ekm_dissim_release(lattice);
    ekm_dissim_release(spread);
}

static void test_unknown_is_never_long(void **state)
{
    (void)state;
    ekm_dissim *dm = points70(1);
    const ekm_strategy none[] = {EKM_STRATEGY_PRUNED, EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM,
                                 EKM_STRATEGY_CLARANS, EKM_STRATEGY_ALTERNATE};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        ekm_solve_options o = options(64, none[i], 1);
        run_estimate e;
        estimate_run(dm, 70, &o, 1.0, &e);
        assert_false(e.known);
        assert_false(estimate_is_long(&e));
    }
    /* a plan that cannot be built (C(N,K) beyond 64 bits): no estimate either */
    ekm_solve_options o = options(35, EKM_STRATEGY_SEQ, 1);
    run_estimate e;
    estimate_run(NULL, 70, &o, 1.0, &e);
    assert_false(e.known);
    /* small runs are known and short */
    o = options(3, EKM_STRATEGY_PAR2, 2);
    estimate_run(dm, 70, &o, 1.0, &e);
    assert_true(e.known);
    assert_true(e.seconds >= 0 && e.seconds < 1);
    ekm_dissim_release(dm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_cost_matches_a_brute_count),
        cmocka_unit_test(test_cost_grows_with_k),
        cmocka_unit_test(test_large_k_on_equal_objectives_is_long),
        cmocka_unit_test(test_unknown_is_never_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
