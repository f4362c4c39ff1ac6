/* test_best.c — the incumbent list: the tie rule (lexicographically smallest set
 * among objectives within EKM_TIE_REL of the minimum) gives the same winner
 * whatever order sets are offered or lists merged in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "best.h"
#include "combo.h"

enum { K = 3, N = 9 };

/* The rule applied directly to a full table of (set, value). */
static size_t direct_winner(const double *v, size_t count)
{
    double m = v[0];
    for (size_t i = 1; i < count; i++)
        if (v[i] < m)
            m = v[i];
    for (size_t i = 0; i < count; i++) /* rank order is lexicographic order */
        if (v[i] <= m * (1.0 + EKM_TIE_REL))
            return i;
    return 0;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_orders_agree(void **state)
{
    (void)state;
    size_t count = 84; /* C(9,3) */
    double v[84];
    uint32_t sets[84][K];
    size_t perm[84];
    for (int round = 0; round < 300; round++) {
        for (size_t i = 0; i < count; i++) {
            assert_int_equal(ekm__combo_unrank(i, K, N, sets[i]), 0);
            /* few distinct values: many exact ties; some within the tie window */
            v[i] = 10.0 + (double)(next() % 4) + (next() % 3 == 0 ? 5e-11 * 10.0 : 0.0);
            perm[i] = i;
        }
        size_t want = direct_winner(v, count);
        ekm__best lex, any, parts[3], merged;
        ekm__best_init(&lex, K);
        ekm__best_init(&any, K);
        ekm__best_init(&merged, K);
        for (int p = 0; p < 3; p++)
            ekm__best_init(&parts[p], K);
        for (size_t i = 0; i < count; i++)
            assert_true(ekm__best_offer_next(&lex, v[i], sets[i]) >= 0);
        for (size_t i = count - 1; i > 0; i--) { /* shuffle */
            size_t j = next() % (i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (size_t i = 0; i < count; i++)
            assert_true(ekm__best_offer_any(&any, v[perm[i]], sets[perm[i]]) >= 0);
        /* three interleaved lexicographic streams merged in a random order */
        for (size_t i = 0; i < count; i++)
            assert_true(ekm__best_offer_next(&parts[i % 3], v[i], sets[i]) >= 0);
        int first = (int)(next() % 3);
        for (int p = 0; p < 3; p++)
            assert_int_equal(ekm__best_merge(&merged, &parts[(first + p) % 3]), 0);
        ekm__best *lists[3] = {&lex, &any, &merged};
        for (int l = 0; l < 3; l++) {
            double got_v;
            const uint32_t *got = ekm__best_answer(lists[l], &got_v);
            assert_non_null(got);
            assert_memory_equal(got, sets[want], K * sizeof(uint32_t));
            assert_true(got_v == v[want]);
        }
        ekm__best_free(&lex);
        ekm__best_free(&any);
        ekm__best_free(&merged);
        for (int p = 0; p < 3; p++)
            ekm__best_free(&parts[p]);
    }
}

static void test_empty(void **state)
{
    (void)state;
    ekm__best b;
    ekm__best_init(&b, 2);
    assert_null(ekm__best_answer(&b, NULL));
    assert_true(ekm__best_min(&b) > 1e300);
    ekm__best_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders_agree),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
