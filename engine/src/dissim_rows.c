/* dissim_rows.c — the matrix-free form's rows and ρ, computed from the
 * coordinates (dissim_rows.h). Compiled without floating-point contraction
 * (engine/CMakeLists.txt), like dissim.c: every entry is the matrix's. */
#include "dissim_rows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/dataset.h"
#include "simd_fold.h" /* EKM__X86_SIMD */

/* acc[t] = the squared Euclidean (or Manhattan) sum between point xi and the
 * m points of a block, coordinate by coordinate over transposed columns
 * (xt: d × n, the block from position j0): per entry the same operations in
 * the same order as coord_distance, so the entries are the matrix's. */
static inline __attribute__((always_inline)) void block_acc(double *acc, const double *xi,
                                                            const double *xt, size_t n,
                                                            size_t j0, size_t m, size_t d,
                                                            ekm_metric metric)
{
    for (size_t t = 0; t < m; t++)
        acc[t] = 0.0;
    for (size_t c = 0; c < d; c++) {
        const double *col = xt + c * n + j0;
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
}

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
        block_acc(acc, xi, ekm__dissim_xt(dm), n, j0, m, d, metric);
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
int ekm__rho_cut_init(ekm__rho_cut *c, size_t n)
{
    size_t nb = (n + EKM__SPATIAL_BLOCK - 1) / EKM__SPATIAL_BLOCK;
    c->cut = malloc((n ? n : 1) * sizeof *c->cut);
    c->lam = malloc((n ? n : 1) * sizeof *c->lam);
    c->bmax = malloc((nb ? nb : 1) * sizeof *c->bmax);
    if (!c->cut || !c->lam || !c->bmax) {
        ekm__rho_cut_free(c);
        return -1;
    }
    return 0;
}

void ekm__rho_cut_free(ekm__rho_cut *c)
{
    free(c->cut);
    free(c->lam);
    free(c->bmax);
    c->cut = NULL;
    c->lam = NULL;
    c->bmax = NULL;
}

void ekm__dissim_rho_cut(const ekm_dissim *dm, const float *lam, ekm__rho_cut *c)
{
    const double eps = 1.0 + 0x1p-40;
    int root = ekm_dissim_metric(dm) == EKM_METRIC_EUCLIDEAN;
    double scale = ekm_dissim_float_scale(dm);
    const ekm__spatial *sp = ekm__dissim_spatial(dm);
    size_t n = ekm_dissim_n(dm);
    for (size_t t = 0; t < n; t++) {
        float l = lam[sp->perm[t]];
        double q = (double)l / scale, v;
        if (l == 0.0f)
            v = 0.0; /* d~ >= 0 = λ: nothing to add */
        else if (!(q >= 0x1p-500 && q <= 0x1p500))
            v = INFINITY;
        else
            v = root ? q * q * eps : q * eps;
        c->lam[t] = l;
        c->cut[t] = v;
    }
    for (size_t b = 0; b < sp->nb; b++) {
        size_t lo = b * EKM__SPATIAL_BLOCK, hi = lo + EKM__SPATIAL_BLOCK < n ? lo + EKM__SPATIAL_BLOCK : n;
        double m = 0.0;
        for (size_t t = lo; t < hi; t++)
            m = c->cut[t] > m ? c->cut[t] : m;
        c->bmax[b] = m;
    }
}

/* Why a block may be skipped whole. g_c = max(0, lo_c − a_c, a_c − hi_c) is at
 * most |a_c − x_c| for every point x of the box (its bounds are exact minima
 * and maxima), so the box's value lb (Σ g_c² or Σ g_c, as acc is summed) is at
 * most every acc of the block in exact arithmetic. Each is computed with d + 3
 * roundings at most (none below the normal range where it matters, see below),
 * so computed acc >= computed lb · (1 − (2d + 6)·2^-53)/(1 + 2^-52) >
 * lb·(1 − 2^-30) for d < 2^20. A block whose lb·(1 − 2^-30) reaches its
 * largest cut, itself at least 2^-1000 · (1 + 2^-40) unless 0 (where every
 * term is 0 anyway), has every acc beyond its cut; the roundings that could
 * fall below 2^-1022 move acc by at most d·2^-1074, far inside that slack. */
static inline __attribute__((always_inline)) int block_beyond(const ekm__spatial *sp, size_t b,
                                                              const double *a, double bmax,
                                                              int squares)
{
    if (bmax == 0.0)
        return 1;
    if (!(bmax >= 0x1p-1000) || sp->d >= ((size_t)1 << 20))
        return 0;
    const double *lo = sp->lo + b * sp->d, *hi = sp->hi + b * sp->d;
    double lb = 0.0;
    for (size_t c = 0; c < sp->d; c++) {
        double g = lo[c] - a[c], h = a[c] - hi[c];
        g = g > h ? g : h;
        if (g > 0.0)
            lb += squares ? g * g : g;
    }
    return lb * (1.0 - 0x1p-30) >= bmax;
}

/* The body, compiled twice: for the baseline and, where the processor has it,
 * for AVX2 (the same IEEE operations in the same order, no contraction: the
 * same values; wider vectors). */
static inline __attribute__((always_inline)) double rho_row_body(const ekm_dissim *dm, size_t i,
                                                                 const ekm__rho_cut *rc)
{
    /* the loops of ekm__dissim_fill_row over the points in the spatial order:
     * every entry computed is the row's, bit for bit */
    enum { BLOCK = EKM__SPATIAL_BLOCK };
    const ekm__spatial *sp = ekm__dissim_spatial(dm);
    size_t n = ekm_dissim_n(dm), d = sp->d, self = sp->pos[i];
    const double *x = ekm_dataset_coords(ekm_dissim_dataset(dm)), *xi = x + i * d;
    double scale = ekm_dissim_float_scale(dm), acc[BLOCK], sum = 0.0;
    ekm_metric metric = ekm_dissim_metric(dm);
    int squares = metric != EKM_METRIC_MANHATTAN;
    for (size_t b = 0, j0 = 0; j0 < n; b++, j0 += BLOCK) {
        size_t m = n - j0 < BLOCK ? n - j0 : BLOCK;
        if (block_beyond(sp, b, xi, rc->bmax[b], squares))
            continue;
        block_acc(acc, xi, sp->xs, n, j0, m, d, metric);
        /* a block with every entry beyond its cut adds nothing */
        const double *ct = rc->cut + j0;
        const float *lt = rc->lam + j0;
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
        if (self >= j0 && self < j0 + m)
            v[self - j0] = 0.0f;
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
                                                            const ekm__rho_cut *cut)
{
    return rho_row_body(dm, i, cut);
}

#endif

static double rho_row_base(const ekm_dissim *dm, size_t i, const ekm__rho_cut *cut)
{
    return rho_row_body(dm, i, cut);
}

double ekm__dissim_rho_row(const ekm_dissim *dm, size_t i, const ekm__rho_cut *cut)
{
#if EKM__X86_SIMD
    if (have_avx2())
        return rho_row_avx2(dm, i, cut);
#endif
    return rho_row_base(dm, i, cut);
}
