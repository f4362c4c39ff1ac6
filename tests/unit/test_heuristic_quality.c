/* test_heuristic_quality.c — the heuristics' answers against the references of
 * test_heuristic.h: PAM against the slow PAM, ties, the swap local optimum and the
 * bound by the brute force, the 1-medoid property of the alternating result,
 * planted blobs found. */
#include "test_heuristic.h"

/* ---- the tests ---- */

static void test_pam_matches_reference(void **state)
{
    (void)state;
    rnd_state = 101;
    unsigned cases = 0, with_swaps = 0;
    for (int rep = 0; rep < 40; rep++)
        for (unsigned k = 1; k <= 5; k++) {
            tcase t;
            random_case(&t, k, 40);
            uint32_t med[5], ref[5];
            double obj;
            uint64_t swaps;
            assert_int_equal(run(&t, EKM_STRATEGY_PAM, k, 7, 1, med, &obj, &swaps), EKM_OK);
            check_result(&t, med, k, obj);
            uint64_t ref_swaps = reference_pam(&t, k, ref);
            qsort(ref, k, sizeof *ref, cmp_u32);
            if (memcmp(med, ref, k * sizeof *med) != 0 || swaps != ref_swaps) {
                fprintf(stderr, "%s k=%u: engine", t.label, k);
                for (unsigned j = 0; j < k; j++)
                    fprintf(stderr, " %u", med[j]);
                fprintf(stderr, " (%llu swaps), reference", (unsigned long long)swaps);
                for (unsigned j = 0; j < k; j++)
                    fprintf(stderr, " %u", ref[j]);
                fprintf(stderr, " (%llu swaps)\n", (unsigned long long)ref_swaps);
                fail();
            }
            assert_true(obj == obj_double(&t, ref, k));
            cases++;
            with_swaps += ref_swaps > 0;
            case_free(&t);
        }
    assert_int_equal(cases, 200);
    assert_true(with_swaps >= 20); /* SWAP really ran on a good share of the cases */
}

/* Tiny integer grids (2-D, 4x4 values, 6..14 points, k = 2..4): here the best
 * swap often ties between two medoids, and the tie rule must match. */
static void test_pam_ties(void **state)
{
    (void)state;
    rnd_state = 111;
    unsigned with_swaps = 0;
    for (int rep = 0; rep < 400; rep++) {
        unsigned k = 2 + rnd_below(3);
        size_t n = 6 + rnd_below(9);
        tcase t;
        memset(&t, 0, sizeof t);
        t.n = n;
        t.d = 2;
        t.kind = DATA_GRID;
        t.metric = rep % 2 ? EKM_METRIC_SQEUCLIDEAN : EKM_METRIC_MANHATTAN;
        snprintf(t.label, sizeof t.label, "tiny grid %d", rep);
        t.x = malloc(n * 2 * sizeof *t.x);
        assert_non_null(t.x);
        for (size_t i = 0; i < 2 * n; i++)
            t.x[i] = (double)rnd_below(4);
        case_finish(&t);
        uint32_t med[4], ref[4];
        double obj;
        uint64_t swaps;
        assert_int_equal(run(&t, EKM_STRATEGY_PAM, k, 0, 1, med, &obj, &swaps), EKM_OK);
        uint64_t ref_swaps = reference_pam(&t, k, ref);
        qsort(ref, k, sizeof *ref, cmp_u32);
        if (memcmp(med, ref, k * sizeof *med) != 0 || swaps != ref_swaps) {
            fprintf(stderr, "%s k=%u: engine and reference differ\n", t.label, k);
            fail();
        }
        with_swaps += swaps > 0;
        case_free(&t);
    }
    assert_true(with_swaps >= 40);
}

/* PAM, FasterPAM and CLARANS (default maxneighbor, which is >= k(n-k) here, so
 * CLARANS examines the whole neighbourhood) end at swap-local optima, and none
 * of the four heuristics beats the brute-force optimum. */
static void test_local_optimum_and_bound(void **state)
{
    (void)state;
    static const ekm_strategy all[4] = {EKM_STRATEGY_PAM, EKM_STRATEGY_FASTERPAM,
                                        EKM_STRATEGY_CLARANS, EKM_STRATEGY_ALTERNATE};
    rnd_state = 202;
    unsigned at_optimum[4] = {0}, cases = 0;
    for (int rep = 0; rep < 16; rep++)
        for (unsigned k = 1; k <= 5; k++) {
            tcase t;
            random_case(&t, k, brute_nmax(k));
            assert_true(250 >= (uint64_t)k * (t.n - k));
            double opt = brute_optimum(&t, k);
            for (int a = 0; a < 4; a++) {
                uint32_t med[5];
                double obj;
                assert_int_equal(run(&t, all[a], k, 1000 + (uint64_t)rep, 1, med, &obj, NULL),
                                 EKM_OK);
                check_result(&t, med, k, obj);
                assert_true(obj >= opt - 1e-9 * (1 + opt));
                at_optimum[a] += obj <= opt + 1e-9 * (1 + opt);
                if (all[a] != EKM_STRATEGY_ALTERNATE)
                    check_swap_local_optimum(&t, med, k);
                if (all[a] == EKM_STRATEGY_FASTERPAM) {
                    /* the first start is BUILD's: the search only improves on it */
                    uint32_t b[5];
                    reference_build(&t, k, b);
                    assert_true(obj <= obj_double(&t, b, k) * (1 + LOCAL_TOL));
                }
            }
            /* FasterPAM from random starts (its restarts after the first) */
            for (unsigned r = 1; r <= 2; r++) {
                uint32_t med[5];
                double obj = one_start(&t, EKM_STRATEGY_FASTERPAM, k, 77 + (uint64_t)rep, r, med,
                                       NULL);
                assert_true(obj >= opt - 1e-9 * (1 + opt));
                check_swap_local_optimum(&t, med, k);
            }
            cases++;
            case_free(&t);
        }
    assert_int_equal(cases, 80);
    /* sanity of the brute force itself: the good heuristics often reach it */
    assert_true(at_optimum[0] >= cases / 2);
    assert_true(at_optimum[1] >= cases / 2);
}

/* Alternate: after the last round every medoid is the 1-medoid of its cluster
 * (points assigned on the float values, ties to the medoid of smallest index). */
static void test_alternate_one_medoids(void **state)
{
    (void)state;
    rnd_state = 303;
    unsigned moved = 0;
    for (int rep = 0; rep < 40; rep++)
        for (unsigned k = 1; k <= 5; k++) {
            tcase t;
            random_case(&t, k, 40);
            uint32_t med[5];
            double obj;
            uint64_t swaps;
            assert_int_equal(run(&t, EKM_STRATEGY_ALTERNATE, k, 99 + (uint64_t)rep, 1, med, &obj,
                                 &swaps),
                             EKM_OK);
            check_result(&t, med, k, obj);
            moved += swaps > 0;
            unsigned *cl = malloc(t.n * sizeof *cl);
            assert_non_null(cl);
            for (size_t o = 0; o < t.n; o++) { /* med is sorted: strict < keeps the smallest */
                unsigned b = 0;
                for (unsigned j = 1; j < k; j++)
                    if (t.F[o * t.n + med[j]] < t.F[o * t.n + med[b]])
                        b = j;
                cl[o] = b;
            }
            for (unsigned j = 0; j < k; j++) {
                double own = 0;
                for (size_t o = 0; o < t.n; o++)
                    if (cl[o] == j)
                        own += t.F[o * t.n + med[j]];
                for (size_t c = 0; c < t.n; c++) {
                    if (cl[c] != j)
                        continue;
                    double s = 0;
                    for (size_t o = 0; o < t.n; o++)
                        if (cl[o] == j)
                            s += t.F[o * t.n + c];
                    if (s < own - LOCAL_TOL * own) {
                        fprintf(stderr, "%s k=%u: cluster of %u: %zu has sum %.17g < %.17g\n",
                                t.label, k, med[j], c, s, own);
                        fail();
                    }
                }
            }
            free(cl);
            case_free(&t);
        }
    assert_true(moved >= 20); /* the update step really moved medoids */
}

/* Well-separated blobs: every swap-local optimum has one medoid per blob, its
 * 1-medoid, so FasterPAM and CLARANS find the optimum from any seed. */
static void test_blobs_found(void **state)
{
    (void)state;
    rnd_state = 404;
    for (int rep = 0; rep < 12; rep++) {
        unsigned k = 2 + (unsigned)rep % 4;
        size_t n = k * (4 + rnd_below(k <= 3 ? 6 : 2)); /* brute force stays cheap */
        tcase t;
        case_make(&t, n, DATA_BLOBS, metrics[rep % 3], k);
        double opt = brute_optimum(&t, k);
        for (uint64_t seed = 0; seed < 5; seed++) {
            uint32_t med[5];
            double obj;
            assert_int_equal(run(&t, EKM_STRATEGY_FASTERPAM, k, seed, 1, med, &obj, NULL),
                             EKM_OK);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            /* FasterPAM's random starts */
            obj = one_start(&t, EKM_STRATEGY_FASTERPAM, k, seed, 1 + (unsigned)seed, med, NULL);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            assert_int_equal(run(&t, EKM_STRATEGY_CLARANS, k, seed, 1, med, &obj, NULL), EKM_OK);
            assert_true(fabs(obj - opt) <= 1e-9 * opt);
            /* one medoid in each blob (point i is in blob i % k) */
            unsigned mask = 0;
            for (unsigned j = 0; j < k; j++)
                mask |= 1u << (med[j] % k);
            assert_int_equal(mask, (1u << k) - 1);
        }
        case_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pam_matches_reference),
        cmocka_unit_test(test_pam_ties),
        cmocka_unit_test(test_local_optimum_and_bound),
        cmocka_unit_test(test_alternate_one_medoids),
        cmocka_unit_test(test_blobs_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
