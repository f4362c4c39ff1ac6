/* dissim_rows.c — the matrix-free form's rows and ρ, computed from the
 * coordinates (dissim_rows.h). Compiled without floating-point contraction
 * (engine/CMakeLists.txt), like dissim.c: every entry is the matrix's. */
#include "dissim_rows.h"

#include <math.h>
#include <string.h>

#include "ekm/dataset.h"
#include "simd_fold.h" /* EKM__X86_SIMD */

static inline __attribute__((always_inline)) void fill_row_body(const ekm_dissim *dm, size_t i,
                                                                  float *out)
{
    /* Blocks of points, one coordinate at a time over the transposed copy (so the
     * loops vectorise): per entry the same operations in the same order as
     * coord_distance (s = 0; s += t*t or |t| for each coordinate in turn; sqrt),
     * and this file is compiled without floating-point contraction, so every
     * entry is the matrix's bit for bit (tests/unit/test_pruned_matrix_free.c). */
    enum { BLOCK = 256 };
    size_t n = ekm_dissim_n(dm), d = ekm_dataset_d(ekm_dissim_dataset(dm));
    const double *x = ekm_dataset_coords(ekm_dissim_dataset(dm)), *xi = x + i * d;
    double scale = ekm_dissim_float_scale(dm), acc[BLOCK];
    ekm_metric metric = ekm_dissim_metric(dm);
    for (size_t j0 = 0; j0 < n; j0 += BLOCK) {
        size_t m = n - j0 < BLOCK ? n - j0 : BLOCK;
        for (size_t t = 0; t < m; t++)
            acc[t] = 0.0;
        for (size_t c = 0; c < d; c++) {
            const double *col = ekm__dissim_xt(dm) + c * n + j0;
            double a = xi[c];
            if (metric == EKM_METRIC_MANHATTAN)
                for (size_t t = 0; t < m; t++)
                    acc[t] += fabs(a - col[t]);
            else
                for (size_t t = 0; t < m; t++) {
                    double v = a - col[t];
                    acc[t] += v * v;
                }
        }
        if (metric == EKM_METRIC_EUCLIDEAN)
            for (size_t t = 0; t < m; t++)
                out[j0 + t] = (float)(sqrt(acc[t]) * scale);
        else
            for (size_t t = 0; t < m; t++)
                out[j0 + t] = (float)(acc[t] * scale);
    }
    out[i] = 0.0f;
    for (size_t j = n; j < ekm_dissim_stride(dm); j++)
        out[j] = 0.0f;
}

/* compiled twice, as rho_row_body below (the same values, wider vectors) */
#if EKM__X86_SIMD
__attribute__((target("avx2"))) static void fill_row_avx2(const ekm_dissim *dm, size_t i,
                                                          float *out)
{
    fill_row_body(dm, i, out);
}

static int have_avx2(void)
{
    static int avx2 = -1; /* racy but idempotent: every thread stores the same value */
    int a = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
    if (a < 0) {
        __builtin_cpu_init();
        a = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&avx2, a, __ATOMIC_RELAXED);
    }
    return a;
}
#endif

static void fill_row_base(const ekm_dissim *dm, size_t i, float *out)
{
    fill_row_body(dm, i, out);
}

void ekm__dissim_fill_row(const ekm_dissim *dm, size_t i, float *out)
{
    if (ekm_dissim_row(dm, 0))
        memcpy(out, ekm_dissim_row(dm, i), ekm_dissim_stride(dm) * sizeof *out);
#if EKM__X86_SIMD
    else if (have_avx2())
        fill_row_avx2(dm, i, out);
#endif
    else
        fill_row_base(dm, i, out);
}

/* Why a skipped entry adds nothing. Euclidean: d~ = fl_f(fl(√acc)·s), s a power
 * of two. With q = λ/s (exact, q >= 2^-500 checked) and cut = fl(fl(q·q)·(1+2^-40))
 * >= q²(1 + 2^-41): acc >= cut gives √acc >= q(1 + 2^-43), so fl(√acc) > q,
 * fl(√acc)·s >= λ (exact, or an overflow to +inf) and, λ being a float and the
 * rounding to float monotone, d~ >= λ: min(0, d~ − λ) = 0. The other metrics
 * (d~ = fl_f(acc·s)) likewise with cut = fl(q·(1+2^-40)). Where q is tiny, not
 * finite or not a number the cut is +inf: every entry is computed. */
void ekm__dissim_rho_cut(const ekm_dissim *dm, const float *lam, double *cut)
{
    const double eps = 1.0 + 0x1p-40;
    int root = ekm_dissim_metric(dm) == EKM_METRIC_EUCLIDEAN;
    double scale = ekm_dissim_float_scale(dm);
    for (size_t i = 0, n = ekm_dissim_n(dm); i < n; i++) {
        double q = (double)lam[i] / scale;
        if (lam[i] == 0.0f)
            cut[i] = 0.0; /* d~ >= 0 = λ_i: nothing to add */
        else if (!(q >= 0x1p-500 && q <= 0x1p500))
            cut[i] = INFINITY;
        else
            cut[i] = root ? q * q * eps : q * eps;
    }
}

/* The body, compiled twice: for the baseline and, where the processor has it,
 * for AVX2 (the same IEEE operations in the same order, no contraction: the
 * same values; wider vectors). */
static inline __attribute__((always_inline)) double
rho_row_body(const ekm_dissim *dm, size_t i, const float *lam, const double *cut)
{
    /* the loops of ekm__dissim_fill_row: every entry computed is the row's, bit for bit */
    enum { BLOCK = 256 };
    size_t n = ekm_dissim_n(dm), d = ekm_dataset_d(ekm_dissim_dataset(dm));
    const double *x = ekm_dataset_coords(ekm_dissim_dataset(dm)), *xi = x + i * d;
    double scale = ekm_dissim_float_scale(dm), acc[BLOCK], sum = 0.0;
    ekm_metric metric = ekm_dissim_metric(dm);
    for (size_t j0 = 0; j0 < n; j0 += BLOCK) {
        size_t m = n - j0 < BLOCK ? n - j0 : BLOCK;
        for (size_t t = 0; t < m; t++)
            acc[t] = 0.0;
        for (size_t c = 0; c < d; c++) {
            const double *col = ekm__dissim_xt(dm) + c * n + j0;
            double a = xi[c];
            if (metric == EKM_METRIC_MANHATTAN)
                for (size_t t = 0; t < m; t++)
                    acc[t] += fabs(a - col[t]);
            else
                for (size_t t = 0; t < m; t++) {
                    double v = a - col[t];
                    acc[t] += v * v;
                }
        }
        /* a block with every entry beyond its cut adds nothing */
        const double *ct = cut + j0;
        const float *lt = lam + j0;
        int near = 0;
        for (size_t t = 0; t < m; t++)
            near |= acc[t] < ct[t];
        if (!near)
            continue;
        float v[BLOCK];
        if (metric == EKM_METRIC_EUCLIDEAN)
            for (size_t t = 0; t < m; t++)
                v[t] = (float)(sqrt(acc[t]) * scale);
        else
            for (size_t t = 0; t < m; t++)
                v[t] = (float)(acc[t] * scale);
        if (i >= j0 && i < j0 + m)
            v[i - j0] = 0.0f;
        /* eight partial sums (any order keeps the bound: every term is <= 0) */
        double part[8] = {0};
        size_t t = 0;
        for (; t + 8 <= m; t += 8)
            for (size_t l = 0; l < 8; l++) {
                double e = (double)v[t + l] - (double)lt[t + l];
                part[l] += e < 0.0 ? e : 0.0;
            }
        for (; t < m; t++) {
            double e = (double)v[t] - (double)lt[t];
            part[0] += e < 0.0 ? e : 0.0;
        }
        sum += ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
    }
    return sum;
}

#if EKM__X86_SIMD
__attribute__((target("avx2"))) static double rho_row_avx2(const ekm_dissim *dm, size_t i,
                                                            const float *lam, const double *cut)
{
    return rho_row_body(dm, i, lam, cut);
}

#endif

static double rho_row_base(const ekm_dissim *dm, size_t i, const float *lam, const double *cut)
{
    return rho_row_body(dm, i, lam, cut);
}

double ekm__dissim_rho_row(const ekm_dissim *dm, size_t i, const float *lam, const double *cut)
{
#if EKM__X86_SIMD
    if (have_avx2())
        return rho_row_avx2(dm, i, lam, cut);
#endif
    return rho_row_base(dm, i, lam, cut);
}
