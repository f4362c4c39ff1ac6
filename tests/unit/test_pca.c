/* test_pca.c — principal components of point sets whose answer is known:
 * a line, a plane (in low and high dimension, so both eigen-solvers run, on
 * the covariance and on the Gram matrix), a rotated rectangle, degenerate
 * inputs, a general eigen-residual check against a covariance computed here,
 * wide data (20 points of 6,000 coordinates) through the Gram matrix, and
 * cancellation of every path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/dataset.h"
#include "ekm/pca.h"

static double dotv(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += a[i] * b[i];
    return s;
}

/* Points x = centre + a*u + b*v for a grid of (a, b); returns n*d coords. */
static double *plane_points(size_t d, const double *centre, const double *u, const double *v,
                            int na, double sa, int nb, double sb, size_t *n_out)
{
    size_t n = (size_t)na * (size_t)nb;
    double *x = calloc(n * d, sizeof *x);
    assert_non_null(x);
    size_t i = 0;
    for (int ia = 0; ia < na; ia++)
        for (int ib = 0; ib < nb; ib++, i++) {
            double a = sa * (ia - (na - 1) / 2.0), b = sb * (ib - (nb - 1) / 2.0);
            for (size_t j = 0; j < d; j++)
                x[i * d + j] = centre[j] + a * u[j] + b * v[j];
        }
    *n_out = n;
    return x;
}

static const ekm_pca_method methods[] = {EKM_PCA_AUTO, EKM_PCA_COVARIANCE, EKM_PCA_GRAM};

/* Points on a line: on the Gram path PC2 = Xᵀu2 vanishes and is replaced by a
 * unit vector orthogonal to PC1. */
static void check_line_in_3d(ekm_pca_method method)
{
    const double u[3] = {1.0 / 3, -2.0 / 3, 2.0 / 3}; /* unit, first coordinate positive */
    const double t[] = {-4, -1, 0, 0.5, 2, 7, 9.5};
    const size_t n = sizeof t / sizeof t[0];
    double x[7 * 3], tm = 0;
    for (size_t i = 0; i < n; i++) {
        tm += t[i] / (double)n;
        for (int j = 0; j < 3; j++)
            x[i * 3 + j] = 5.0 - j + t[i] * u[j];
    }
    ekm_pca *p = NULL;
    ekm_error err;
    ekm_pca_options o = {.method = method};
    assert_int_equal(ekm_pca_compute_opt(x, n, 3, &o, &p, &err), EKM_OK);
    assert_non_null(p);
    for (int j = 0; j < 3; j++)
        assert_true(fabs(p->axes[j] - u[j]) < 1e-10);
    assert_true(fabs(p->explained[0] - 1.0) < 1e-12);
    assert_true(fabs(p->explained[1]) < 1e-12);
    /* PC2 is a unit vector orthogonal to PC1. */
    assert_true(fabs(dotv(p->axes + 3, p->axes + 3, 3) - 1.0) < 1e-10);
    assert_true(fabs(dotv(p->axes, p->axes + 3, 3)) < 1e-10);
    for (size_t i = 0; i < n; i++) {
        assert_true(fabs(p->proj[2 * i] - (t[i] - tm)) < 1e-10);
        assert_true(fabs(p->proj[2 * i + 1]) < 1e-10);
    }
    ekm_pca_free(p);
}

static void test_line_in_3d(void **state)
{
    (void)state;
    for (int m = 0; m < 3; m++)
        check_line_in_3d(methods[m]);
}

/* A plane in d dimensions spanned by orthonormal u (long side) and v (short side). */
static void check_plane(size_t d, ekm_pca_method method)
{
    double *u = calloc(d, sizeof *u), *v = calloc(d, sizeof *v), *c = calloc(d, sizeof *c);
    assert_true(u && v && c);
    /* u = (1,1,...,1,-1,...)/sqrt(d) style, v = a vector orthogonal to it. */
    for (size_t j = 0; j < d; j++) {
        u[j] = (j % 3 == 2 ? -1.0 : 1.0);
        v[j] = (j % 2 == 0 ? 1.0 : -1.0) * (double)(j + 1);
        c[j] = 10.0 * sin((double)j);
    }
    double un = sqrt(dotv(u, u, d));
    for (size_t j = 0; j < d; j++)
        u[j] /= un;
    double pr = dotv(u, v, d);
    for (size_t j = 0; j < d; j++)
        v[j] -= pr * u[j];
    double vn = sqrt(dotv(v, v, d));
    for (size_t j = 0; j < d; j++)
        v[j] /= vn;
    /* Make the expected signs follow the convention (first non-tiny coordinate > 0). */
    if (u[0] < 0)
        for (size_t j = 0; j < d; j++)
            u[j] = -u[j];
    if (v[0] < 0)
        for (size_t j = 0; j < d; j++)
            v[j] = -v[j];

    size_t n;
    const int na = 9, nb = 5;
    const double sa = 1.5, sb = 0.5;
    double *x = plane_points(d, c, u, v, na, sa, nb, sb, &n);
    /* Grid variances (divisor n-1) along u and along v. */
    double va = 0, vb = 0;
    for (int ia = 0; ia < na; ia++)
        va += pow(sa * (ia - (na - 1) / 2.0), 2) * nb;
    for (int ib = 0; ib < nb; ib++)
        vb += pow(sb * (ib - (nb - 1) / 2.0), 2) * na;
    va /= (double)(n - 1);
    vb /= (double)(n - 1);

    ekm_pca *p = NULL;
    ekm_pca_options o = {.method = method};
    assert_int_equal(ekm_pca_compute_opt(x, n, d, &o, &p, NULL), EKM_OK);
    assert_int_equal(p->method, method != EKM_PCA_AUTO ? method
                                : n < d              ? EKM_PCA_GRAM
                                                     : EKM_PCA_COVARIANCE);
    for (size_t j = 0; j < d; j++) {
        assert_true(fabs(p->axes[j] - u[j]) < 1e-8);
        assert_true(fabs(p->axes[d + j] - v[j]) < 1e-8);
    }
    assert_true(fabs(p->variance[0] - va) < 1e-8 * va);
    assert_true(fabs(p->variance[1] - vb) < 1e-8 * va);
    assert_true(fabs(p->total_variance - (va + vb)) < 1e-9 * va);
    assert_true(fabs(p->explained[0] - va / (va + vb)) < 1e-9);
    assert_true(fabs(p->explained[1] - vb / (va + vb)) < 1e-9);
    for (size_t j = 0; j < d; j++)
        assert_true(fabs(p->mean[j] - c[j]) < 1e-9);
    size_t i = 0;
    for (int ia = 0; ia < na; ia++)
        for (int ib = 0; ib < nb; ib++, i++) {
            assert_true(fabs(p->proj[2 * i] - sa * (ia - (na - 1) / 2.0)) < 1e-8);
            assert_true(fabs(p->proj[2 * i + 1] - sb * (ib - (nb - 1) / 2.0)) < 1e-8);
        }
    ekm_pca_free(p);
    free(x);
    free(u);
    free(v);
    free(c);
}

static void test_plane_in_4d(void **state)
{
    (void)state;
    for (int m = 0; m < 3; m++)
        check_plane(4, methods[m]); /* 45 points: the Gram path runs subspace iteration */
}

static void test_plane_in_100d_subspace_iteration(void **state)
{
    (void)state;
    /* 45 points in 100-D: the covariance above the Jacobi limit (subspace
     * iteration), the Gram matrix (45 x 45, the default) with Jacobi. */
    for (int m = 0; m < 3; m++)
        check_plane(100, methods[m]);
}

static void test_rotated_rectangle(void **state)
{
    (void)state;
    /* A 6 x 2 rectangle (boundary and interior grid) rotated by 30 degrees, shifted. */
    const double ang = M_PI / 6, ca = cos(ang), sn = sin(ang);
    double x[13 * 5 * 2], loc[13 * 5 * 2];
    size_t n = 0;
    for (int i = 0; i <= 12; i++)
        for (int j = 0; j <= 4; j++, n++) {
            double a = -3.0 + 0.5 * i, b = -1.0 + 0.5 * j;
            loc[2 * n] = a;
            loc[2 * n + 1] = b;
            x[2 * n] = 4.0 + ca * a - sn * b;
            x[2 * n + 1] = -2.0 + sn * a + ca * b;
        }
    ekm_pca *p = NULL;
    assert_int_equal(ekm_pca_compute(x, n, 2, &p, NULL), EKM_OK);
    /* PC1 along the long side (cos 30, sin 30); PC2 along the short one, with the
     * sign rule making its first coordinate positive: (sin 30, -cos 30). */
    assert_true(fabs(p->axes[0] - ca) < 1e-10 && fabs(p->axes[1] - sn) < 1e-10);
    assert_true(fabs(p->axes[2] - sn) < 1e-10 && fabs(p->axes[3] + ca) < 1e-10);
    double lo0 = INFINITY, hi0 = -INFINITY, lo1 = INFINITY, hi1 = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double a = p->proj[2 * i], b = p->proj[2 * i + 1];
        assert_true(fabs(a - loc[2 * i]) < 1e-10);
        assert_true(fabs(b + loc[2 * i + 1]) < 1e-10);
        lo0 = fmin(lo0, a), hi0 = fmax(hi0, a), lo1 = fmin(lo1, b), hi1 = fmax(hi1, b);
    }
    /* The projection recovers the sides: 6 by 2, centred. */
    assert_true(fabs(hi0 - lo0 - 6.0) < 1e-10);
    assert_true(fabs(hi1 - lo1 - 2.0) < 1e-10);
    assert_true(fabs(hi0 + lo0) < 1e-10 && fabs(hi1 + lo1) < 1e-10);
    ekm_pca_free(p);
}

/* Negating the data flips the projections, never the axes (the sign convention). */
static void test_sign_convention_is_deterministic(void **state)
{
    (void)state;
    double x[40 * 3], y[40 * 3];
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 3; j++) {
            x[i * 3 + j] = sin(1.3 * i + j) * (3 - j) + 0.1 * i * (j == 1);
            y[i * 3 + j] = -x[i * 3 + j];
        }
    ekm_pca *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(ekm_pca_compute(x, 40, 3, &a, NULL), EKM_OK);
    assert_int_equal(ekm_pca_compute(y, 40, 3, &b, NULL), EKM_OK);
    assert_int_equal(ekm_pca_compute(x, 40, 3, &c, NULL), EKM_OK);
    for (int j = 0; j < 6; j++) {
        assert_true(fabs(a->axes[j] - b->axes[j]) < 1e-10);
        assert_true(a->axes[j] == c->axes[j]); /* bit-identical on a rerun */
    }
    assert_true(a->axes[0] > 0 && a->axes[3] > 0);
    for (int i = 0; i < 80; i++)
        assert_true(fabs(a->proj[i] + b->proj[i]) < 1e-10);
    ekm_pca_free(a);
    ekm_pca_free(b);
    ekm_pca_free(c);
}

/* For general data the axes are unit eigenvectors of the covariance with the two
 * largest eigenvalues: check C a = lambda a, orthogonality and maximality. */
static void check_eigen_residual(size_t n, size_t d, ekm_pca_method method)
{
    double *x = calloc(n * d, sizeof *x), *mean = calloc(d, sizeof *mean);
    double *cov = calloc(d * d, sizeof *cov), *v = calloc(d, sizeof *v), *r = calloc(d, sizeof *r);
    assert_true(x && mean && cov && v && r);
    uint32_t s = 12345;
    for (size_t i = 0; i < n * d; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = (double)(s >> 8) / 16777216.0 * (double)(1 + i % d);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            mean[j] += x[i * d + j] / (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < d; a++)
            for (size_t b = 0; b < d; b++)
                cov[a * d + b] +=
                    (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]) / (double)(n - 1);
    ekm_pca *p = NULL;
    ekm_pca_options o = {.method = method};
    assert_int_equal(ekm_pca_compute_opt(x, n, d, &o, &p, NULL), EKM_OK);
    double tr = 0;
    for (size_t j = 0; j < d; j++)
        tr += cov[j * d + j];
    for (int c = 0; c < 2; c++) {
        const double *ax = p->axes + (size_t)c * d;
        for (size_t a = 0; a < d; a++) {
            double q = 0;
            for (size_t b = 0; b < d; b++)
                q += cov[a * d + b] * ax[b];
            assert_true(fabs(q - p->variance[c] * ax[a]) < 1e-9 * tr);
        }
        assert_true(fabs(dotv(ax, ax, d) - 1) < 1e-12);
    }
    assert_true(fabs(dotv(p->axes, p->axes + d, d)) < 1e-10);
    assert_true(p->variance[0] >= p->variance[1]);
    /* No direction has more variance than PC1; none orthogonal to PC1 more than PC2. */
    for (int t = 0; t < 50; t++) {
        for (size_t j = 0; j < d; j++) {
            s = s * 1664525u + 1013904223u;
            v[j] = (double)(s >> 8) / 16777216.0 - 0.5;
        }
        double pr = dotv(v, p->axes, d);
        for (size_t j = 0; j < d; j++)
            v[j] -= t % 2 ? pr * p->axes[j] : 0.0;
        double nv2 = dotv(v, v, d);
        for (size_t a = 0; a < d; a++) {
            r[a] = 0;
            for (size_t b = 0; b < d; b++)
                r[a] += cov[a * d + b] * v[b];
        }
        assert_true(dotv(v, r, d) / nv2 <= p->variance[t % 2] * (1 + 1e-9));
    }
    assert_true(fabs(p->total_variance - tr) < 1e-12 * tr);
    ekm_pca_free(p);
    free(x);
    free(mean);
    free(cov);
    free(v);
    free(r);
}

static void test_eigen_residual_general(void **state)
{
    (void)state;
    for (int m = 0; m < 3; m++) {
        check_eigen_residual(60, 6, methods[m]);   /* covariance: Jacobi; Gram: subspace */
        check_eigen_residual(300, 90, methods[m]); /* both by subspace iteration */
        check_eigen_residual(20, 150, methods[m]); /* covariance: subspace; Gram: Jacobi */
        check_eigen_residual(7, 7, methods[m]);    /* both by Jacobi */
    }
}

/* Random points with a few strong directions, n*d doubles. */
static double *wide_points(size_t n, size_t d, uint32_t seed)
{
    double *x = calloc(n * d, sizeof *x);
    assert_non_null(x);
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        double a = (double)(s >> 8) / 16777216.0 - 0.5;
        s = s * 1664525u + 1013904223u;
        double b = (double)(s >> 8) / 16777216.0 - 0.5;
        for (size_t j = 0; j < d; j++) {
            s = s * 1664525u + 1013904223u;
            double noise = (double)(s >> 8) / 16777216.0 - 0.5;
            x[i * d + j] = 4 * a * sin(0.01 * (double)j) + 2 * b * cos(0.03 * (double)j) + noise;
        }
    }
    return x;
}

/* The Gram and the covariance paths give the same projection, up to the sign of
 * each axis, and the same variances. */
static void check_same_projection(size_t n, size_t d)
{
    double *x = wide_points(n, d, (uint32_t)(n * 31 + d));
    ekm_pca *g = NULL, *c = NULL;
    ekm_pca_options og = {.method = EKM_PCA_GRAM}, oc = {.method = EKM_PCA_COVARIANCE};
    assert_int_equal(ekm_pca_compute_opt(x, n, d, &og, &g, NULL), EKM_OK);
    assert_int_equal(ekm_pca_compute_opt(x, n, d, &oc, &c, NULL), EKM_OK);
    assert_int_equal(g->method, EKM_PCA_GRAM);
    assert_int_equal(c->method, EKM_PCA_COVARIANCE);
    double scale = sqrt(c->variance[0]);
    for (int a = 0; a < 2; a++) {
        double sg = dotv(g->axes + (size_t)a * d, c->axes + (size_t)a * d, d) < 0 ? -1 : 1;
        assert_true(fabs(fabs(dotv(g->axes + (size_t)a * d, c->axes + (size_t)a * d, d)) - 1) <
                    1e-9);
        for (size_t i = 0; i < n; i++)
            assert_true(fabs(sg * g->proj[2 * i + a] - c->proj[2 * i + a]) < 1e-8 * scale);
        assert_true(fabs(g->variance[a] - c->variance[a]) < 1e-9 * c->variance[0]);
    }
    assert_true(fabs(g->total_variance - c->total_variance) < 1e-12 * c->total_variance);
    ekm_pca_free(g);
    ekm_pca_free(c);
    free(x);
}

static void test_gram_and_covariance_agree(void **state)
{
    (void)state;
    check_same_projection(20, 150); /* Gram by Jacobi, covariance by subspace iteration */
    check_same_projection(12, 40);  /* both by Jacobi */
    check_same_projection(90, 70);  /* both by subspace iteration */
    check_same_projection(30, 30);
}

/* 20 points of 6,000 coordinates: the default takes the 20 x 20 Gram matrix (a
 * 6,000 x 6,000 covariance would take minutes). Checked without forming the
 * covariance: C a = Xᵀ(X a)/(n-1) must equal lambda a, and no random direction
 * has more variance than PC1. */
static void test_wide_data_through_gram(void **state)
{
    (void)state;
    const size_t n = 20, d = 6000;
    double *x = wide_points(n, d, 7), *mean = calloc(d, sizeof *mean);
    double *xa = calloc(n, sizeof *xa), *ca = calloc(d, sizeof *ca), *v = calloc(d, sizeof *v);
    assert_true(mean && xa && ca && v);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            mean[j] += x[i * d + j] / (double)n;
    ekm_pca *p = NULL;
    assert_int_equal(ekm_pca_compute(x, n, d, &p, NULL), EKM_OK);
    assert_int_equal(p->method, EKM_PCA_GRAM);
    double tr = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            tr += pow(x[i * d + j] - mean[j], 2) / (double)(n - 1);
    assert_true(fabs(p->total_variance - tr) < 1e-12 * tr);
    for (int c = 0; c < 2; c++) {
        const double *ax = p->axes + (size_t)c * d;
        assert_true(fabs(dotv(ax, ax, d) - 1) < 1e-12);
        memset(ca, 0, d * sizeof *ca);
        for (size_t i = 0; i < n; i++) {
            xa[i] = 0;
            for (size_t j = 0; j < d; j++)
                xa[i] += (x[i * d + j] - mean[j]) * ax[j];
            assert_true(fabs(xa[i] - p->proj[2 * i + c]) < 1e-9 * sqrt(tr));
            for (size_t j = 0; j < d; j++)
                ca[j] += (x[i * d + j] - mean[j]) * xa[i] / (double)(n - 1);
        }
        for (size_t j = 0; j < d; j++)
            assert_true(fabs(ca[j] - p->variance[c] * ax[j]) < 1e-9 * tr);
    }
    assert_true(fabs(dotv(p->axes, p->axes + d, d)) < 1e-10);
    assert_true(p->variance[0] >= p->variance[1] && p->variance[1] > 0);
    uint32_t s = 99;
    for (int t = 0; t < 20; t++) {
        for (size_t j = 0; j < d; j++) {
            s = s * 1664525u + 1013904223u;
            v[j] = (double)(s >> 8) / 16777216.0 - 0.5;
        }
        double var = 0, nv2 = dotv(v, v, d);
        for (size_t i = 0; i < n; i++) {
            double y = 0;
            for (size_t j = 0; j < d; j++)
                y += (x[i * d + j] - mean[j]) * v[j];
            var += y * y / (double)(n - 1);
        }
        assert_true(var / nv2 <= p->variance[0] * (1 + 1e-9));
    }
    ekm_pca_free(p);
    free(x);
    free(mean);
    free(xa);
    free(ca);
    free(v);
}

typedef struct cancel_probe {
    unsigned long calls, cancel_at; /* cancel on call number cancel_at (0: never) */
} cancel_probe;

static int probe_cancelled(void *ctx)
{
    cancel_probe *c = ctx;
    c->calls++;
    return c->cancel_at && c->calls >= c->cancel_at;
}

/* Every path polls the callback and stops on the first nonzero answer: count the
 * polls of a full run, then cancel at the first, a middle and the last poll. */
static void check_cancel(size_t n, size_t d, ekm_pca_method method)
{
    double *x = wide_points(n, d, 3);
    cancel_probe probe = {0, 0};
    ekm_pca_options o = {.method = method, .cancelled = probe_cancelled, .ctx = &probe};
    ekm_pca *p = NULL;
    assert_int_equal(ekm_pca_compute_opt(x, n, d, &o, &p, NULL), EKM_OK);
    ekm_pca_free(p);
    unsigned long full = probe.calls;
    /* at least once per row of the matrix product */
    assert_true(full >= n);
    const unsigned long at[] = {1, full / 2 > 0 ? full / 2 : 1, full};
    for (int i = 0; i < 3; i++) {
        probe.calls = 0;
        probe.cancel_at = at[i];
        ekm_error err;
        p = (ekm_pca *)&p;
        assert_int_equal(ekm_pca_compute_opt(x, n, d, &o, &p, &err), EKM_ERR_CANCELLED);
        assert_null(p);
        assert_int_equal(probe.calls, at[i]); /* stopped at once */
        assert_non_null(strstr(err.message, "cancelled"));
    }
    probe.cancel_at = 0;
    free(x);
}

static void test_cancel(void **state)
{
    (void)state;
    check_cancel(20, 150, EKM_PCA_GRAM);       /* Gram by Jacobi */
    check_cancel(90, 120, EKM_PCA_GRAM);       /* Gram by subspace iteration */
    check_cancel(30, 8, EKM_PCA_COVARIANCE);   /* covariance by Jacobi */
    check_cancel(30, 80, EKM_PCA_COVARIANCE);  /* covariance by subspace iteration */
    check_cancel(20, 6000, EKM_PCA_AUTO);      /* the wide data of the plot */
}

static void test_one_dimension_and_identical_points(void **state)
{
    (void)state;
    const double x1[] = {3, 1, 2, 6};
    ekm_pca *p = NULL;
    assert_int_equal(ekm_pca_compute(x1, 4, 1, &p, NULL), EKM_OK);
    assert_true(p->axes[0] == 1.0 && p->axes[1] == 0.0);
    assert_true(fabs(p->explained[0] - 1.0) < 1e-15 && p->explained[1] == 0.0);
    assert_true(fabs(p->proj[0] - 0.0) < 1e-15 && fabs(p->proj[6] - 3.0) < 1e-15);
    assert_true(p->proj[1] == 0.0 && p->proj[7] == 0.0);
    ekm_pca_free(p);

    const double same[] = {1, 2, 3, 1, 2, 3, 1, 2, 3};
    for (int m = 0; m < 3; m++) {
        ekm_pca_options o = {.method = methods[m]};
        assert_int_equal(ekm_pca_compute_opt(same, 3, 3, &o, &p, NULL), EKM_OK);
        assert_true(p->total_variance == 0.0 && p->explained[0] == 0.0 &&
                    p->explained[1] == 0.0);
        for (int i = 0; i < 6; i++)
            assert_true(p->proj[i] == 0.0);
        assert_true(fabs(dotv(p->axes, p->axes, 3) - 1) < 1e-15);
        assert_true(fabs(dotv(p->axes + 3, p->axes + 3, 3) - 1) < 1e-15);
        assert_true(fabs(dotv(p->axes, p->axes + 3, 3)) < 1e-15);
        ekm_pca_free(p);
    }

    const double one[] = {4, 5};
    assert_int_equal(ekm_pca_compute(one, 1, 2, &p, NULL), EKM_OK);
    assert_true(p->variance[0] == 0.0 && p->proj[0] == 0.0 && p->proj[1] == 0.0);
    ekm_pca_free(p);
}

static void test_invalid_input(void **state)
{
    (void)state;
    const double x[] = {1, 2, NAN, 4};
    ekm_pca *p = (ekm_pca *)&p;
    ekm_error err;
    assert_int_equal(ekm_pca_compute(x, 0, 2, &p, &err), EKM_ERR_INVALID);
    assert_null(p);
    assert_int_equal(ekm_pca_compute(x, 2, 0, &p, &err), EKM_ERR_INVALID);
    assert_int_equal(ekm_pca_compute(x, 2, 2, &p, &err), EKM_ERR_INVALID);
    assert_null(p);
    assert_non_null(strstr(err.message, "not finite"));
    assert_non_null(strstr(err.message, "point 2"));
    assert_int_equal(ekm_pca_compute(x, SIZE_MAX / 4, 4, &p, &err), EKM_ERR_TOO_BIG);
    assert_int_equal(ekm_pca_of_dataset(NULL, &p, &err), EKM_ERR_INVALID);
    assert_null(p);
}

static void test_of_dataset(void **state)
{
    (void)state;
    const double u[4] = {0.5, 0.5, 0.5, 0.5};
    double x[10 * 4];
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 4; j++)
            x[i * 4 + j] = j + (i - 4.5) * u[j];
    ekm_dataset *ds = NULL;
    ekm_error err;
    assert_int_equal(ekm_dataset_from_points("line4", 10, 4, x, NULL, &ds, &err), EKM_OK);
    ekm_pca *p = NULL;
    assert_int_equal(ekm_pca_of_dataset(ds, &p, &err), EKM_OK);
    assert_int_equal(p->n, 10);
    assert_int_equal(p->d, 4);
    for (int j = 0; j < 4; j++)
        assert_true(fabs(p->axes[j] - 0.5) < 1e-10);
    for (int i = 0; i < 10; i++)
        assert_true(fabs(p->proj[2 * i] - (i - 4.5)) < 1e-10);
    ekm_pca_free(p);
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_in_3d),
        cmocka_unit_test(test_plane_in_4d),
        cmocka_unit_test(test_plane_in_100d_subspace_iteration),
        cmocka_unit_test(test_rotated_rectangle),
        cmocka_unit_test(test_sign_convention_is_deterministic),
        cmocka_unit_test(test_eigen_residual_general),
        cmocka_unit_test(test_gram_and_covariance_agree),
        cmocka_unit_test(test_wide_data_through_gram),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_one_dimension_and_identical_points),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_of_dataset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
