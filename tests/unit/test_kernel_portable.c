/* test_kernel_portable.c — the portable scalar kernels (built on every architecture,
 * the only ones off x86-64 or with -DEKM_PORTABLE=ON) against the exact sums and
 * against every SIMD kernel this CPU runs: the EKM kernel (eval4, vmin), the
 * Lagrangian ρ kernel and the min-sum of the branch and bound, each within its
 * documented error bound. */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel.h"
#include "prune_kernel.h"

enum { ROWS = 4 };

typedef struct vecs {
    size_t n, npad;
    float *m, *r[ROWS];
} vecs;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static float uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (float)((double)(rng_state >> 11) * 0x1p-53);
}

/* n values per vector in [0, scale), zero padded to a multiple of 16, 64-byte aligned. */
static vecs make(size_t n, float scale)
{
    vecs v = {.n = n, .npad = (n + 15) / 16 * 16};
    size_t bytes = (v.npad ? v.npad : 16) * sizeof(float);
    bytes = (bytes + 63) / 64 * 64;
    v.m = aligned_alloc(64, bytes);
    assert_non_null(v.m);
    memset(v.m, 0, bytes);
    for (size_t p = 0; p < n; p++)
        v.m[p] = scale * uniform();
    for (int j = 0; j < ROWS; j++) {
        v.r[j] = aligned_alloc(64, bytes);
        assert_non_null(v.r[j]);
        memset(v.r[j], 0, bytes);
        for (size_t p = 0; p < n; p++)
            v.r[j][p] = scale * uniform();
    }
    return v;
}

static void release(vecs *v)
{
    free(v->m);
    for (int j = 0; j < ROWS; j++)
        free(v->r[j]);
}

static const size_t sizes[] = {1, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1000, 4099};
static const float scales[] = {1.0f, 1e-3f, 7.5e4f};

/* The kernels this CPU runs, the portable one first. */
static size_t kernels(ekm__kernel *out)
{
    size_t k = 0;
    out[k++] = ekm__kernel_portable();
    const char *names[] = {"sse2", "avx2", "avx512"};
    for (size_t i = 0; i < 3; i++) {
        setenv("EKM_KERNEL", names[i], 1);
        ekm__kernel kern = ekm__kernel_select();
        if (strcmp(kern.name, names[i]) == 0)
            out[k++] = kern;
    }
    unsetenv("EKM_KERNEL");
    return k;
}

static void test_select_portable(void **state)
{
    (void)state;
    setenv("EKM_KERNEL", "portable", 1);
    assert_string_equal(ekm__kernel_select().name, "portable");
    assert_ptr_equal(ekm__rho4_select(), ekm__rho4_portable());
    assert_ptr_equal(ekm__minsum_select(), ekm__minsum_portable());
    unsetenv("EKM_KERNEL");
    ekm__kernel kern = ekm__kernel_select();
#if defined(__x86_64__) && !defined(EKM_PORTABLE)
    assert_string_not_equal(kern.name, "portable");
#else
    assert_string_equal(kern.name, "portable");
#endif
}

static void test_eval4_and_min(void **state)
{
    (void)state;
    ekm__kernel ks[4];
    size_t nk = kernels(ks);
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (size_t ci = 0; ci < sizeof scales / sizeof *scales; ci++) {
            vecs v = make(sizes[si], scales[ci]);
            double exact[ROWS], port[ROWS];
            for (int j = 0; j < ROWS; j++) {
                exact[j] = 0.0;
                for (size_t p = 0; p < v.n; p++)
                    exact[j] += (double)fminf(v.m[p], v.r[j][p]);
            }
            ks[0].eval4(v.m, (const float *const *)v.r, v.npad, port);
            for (size_t k = 0; k < nk; k++) {
                double out[ROWS];
                ks[k].eval4(v.m, (const float *const *)v.r, v.npad, out);
                for (int j = 0; j < ROWS; j++) {
                    assert_true(fabs(out[j] - exact[j]) <= EKM_KERNEL_REL_ERR * exact[j]);
                    assert_true(fabs(out[j] - port[j]) <= 2 * EKM_KERNEL_REL_ERR * exact[j]);
                }
                float *dst = aligned_alloc(64, (v.npad * sizeof(float) + 63) / 64 * 64);
                assert_non_null(dst);
                ks[k].vmin(dst, v.m, v.r[1], v.npad);
                for (size_t p = 0; p < v.npad; p++)
                    assert_true(dst[p] == fminf(v.m[p], v.r[1][p]));
                free(dst);
            }
            release(&v);
        }
}

static void test_rho4_and_minsum(void **state)
{
    (void)state;
    ekm__rho4_fn rho[2] = {ekm__rho4_portable(), NULL};
    ekm__minsum_fn ms[2] = {ekm__minsum_portable(), NULL};
    unsetenv("EKM_KERNEL");
    rho[1] = ekm__rho4_select();
    ms[1] = ekm__minsum_select();
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (size_t ci = 0; ci < sizeof scales / sizeof *scales; ci++) {
            vecs v = make(sizes[si], scales[ci]);
            double exact[ROWS], exact_ms = 0.0;
            for (int j = 0; j < ROWS; j++) {
                exact[j] = 0.0;
                for (size_t p = 0; p < v.n; p++) {
                    double t = (double)v.r[j][p] - (double)v.m[p];
                    exact[j] += t < 0 ? t : 0;
                }
            }
            for (size_t p = 0; p < v.n; p++)
                exact_ms += (double)fminf(v.m[p], v.r[0][p]);
            double bound = ekm__rho_rel_err(v.n);
            for (int k = 0; k < 2; k++) {
                double out[ROWS];
                rho[k](v.m, (const float *const *)v.r, v.npad, out);
                for (int j = 0; j < ROWS; j++)
                    assert_true(fabs(out[j] - exact[j]) <= bound * fabs(exact[j]));
                double s = ms[k](v.m, v.r[0], v.npad);
                assert_true(fabs(s - exact_ms) <= 2.0 * (double)v.npad * 0x1p-53 * exact_ms);
            }
            release(&v);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_portable),
        cmocka_unit_test(test_eval4_and_min),
        cmocka_unit_test(test_rho4_and_minsum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
