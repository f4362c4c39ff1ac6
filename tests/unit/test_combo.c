/* test_combo.c — binomials (exact, overflow detected) and lexicographic
 * rank/unrank round trips, checked against direct enumeration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "combo.h"
#include "ekm/plan.h"

static void test_binomial_small(void **state)
{
    (void)state;
    /* Pascal's triangle built by addition is the independent reference */
    uint64_t row[70] = {1};
    for (unsigned n = 0; n < 68; n++) {
        for (unsigned k = 0; k <= n; k++)
            assert_int_equal(ekm_binomial(n, k, NULL), row[k]);
        assert_int_equal(ekm_binomial(n, n + 1, NULL), 0);
        for (unsigned k = n + 1; k > 0; k--)
            row[k] += row[k - 1];
    }
}

static void test_binomial_large_and_overflow(void **state)
{
    (void)state;
    int ov = -1;
    /* C(99999,3) = 99999*99998*99997/6 */
    assert_int_equal(ekm_binomial(99999, 3, NULL), 99999ULL * 99998ULL / 2 * 99997ULL / 3);
    assert_int_equal(ekm_binomial(1000, 5, NULL), 8250291250200ULL);
    /* C(67,33) = 14226520737620288370 fits; C(68,34) does not */
    assert_int_equal(ekm_binomial(67, 33, &ov), 14226520737620288370ULL);
    assert_int_equal(ov, 0);
    assert_int_equal(ekm_binomial(68, 34, &ov), 0);
    assert_int_equal(ov, 1);
    assert_int_equal(ekm_binomial(100000, 10, &ov), 0);
    assert_int_equal(ov, 1);
    assert_int_equal(ekm_binomial(100000, 99999, &ov), 100000);
    assert_int_equal(ov, 0);
}

static void test_rank_unrank_round_trip(void **state)
{
    (void)state;
    for (uint32_t n = 1; n <= 12; n++)
        for (unsigned k = 1; k <= n && k <= 6; k++) {
            uint32_t c[6], d[6];
            for (unsigned i = 0; i < k; i++)
                c[i] = i;
            uint64_t r = 0;
            for (;;) {
                assert_int_equal(ekm__combo_rank(c, k, n), r);
                assert_int_equal(ekm__combo_unrank(r, k, n, d), 0);
                assert_memory_equal(c, d, k * sizeof *c);
                r++;
                int i = (int)k - 1;
                while (i >= 0 && c[i] == n - k + (unsigned)i)
                    i--;
                if (i < 0)
                    break;
                c[i]++;
                for (unsigned j = (unsigned)i + 1; j < k; j++)
                    c[j] = c[j - 1] + 1;
            }
            assert_int_equal(r, ekm_binomial(n, k, NULL));
            assert_int_equal(ekm__combo_unrank(r, k, n, d), -1);
        }
    uint32_t big[3] = {99996, 99997, 99998};
    assert_int_equal(ekm__combo_rank(big, 3, 99999), ekm_binomial(99999, 3, NULL) - 1);
    uint32_t bad[2] = {3, 3};
    assert_int_equal(ekm__combo_rank(bad, 2, 10), UINT64_MAX);
}

static void test_stage_count(void **state)
{
    (void)state;
    /* count by enumeration of all K-subsets of [0,n) meeting the constraints */
    for (uint32_t n = 2; n <= 11; n++)
        for (unsigned k = 1; k <= 4 && k <= n; k++)
            for (uint32_t mid = 1; mid < n; mid++) {
                uint64_t want = 0;
                uint32_t c[4];
                for (unsigned i = 0; i < k; i++)
                    c[i] = i;
                for (;;) {
                    want += c[0] < mid && c[k - 1] >= mid;
                    int i = (int)k - 1;
                    while (i >= 0 && c[i] == n - k + (unsigned)i)
                        i--;
                    if (i < 0)
                        break;
                    c[i]++;
                    for (unsigned j = (unsigned)i + 1; j < k; j++)
                        c[j] = c[j - 1] + 1;
                }
                assert_int_equal(ekm__combo_count_stage(0, n, 0, mid, mid, k), want);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binomial_small),
        cmocka_unit_test(test_binomial_large_and_overflow),
        cmocka_unit_test(test_rank_unrank_round_trip),
        cmocka_unit_test(test_stage_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
