/* test_pca.c — principal components of point sets whose answer is known:
 * a line, a plane (in low and high dimension, so both eigen-solvers run), a
 * rotated rectangle, degenerate inputs, and a general eigen-residual check. */
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

static void test_line_in_3d(void **state)
{
    (void)state;
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
    assert_int_equal(ekm_pca_compute(x, n, 3, &p, &err), EKM_OK);
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
    ekm_pca_destroy(p);
}

/* A plane in d dimensions spanned by orthonormal u (long side) and v (short side). */
static void check_plane(size_t d)
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
    assert_int_equal(ekm_pca_compute(x, n, d, &p, NULL), EKM_OK);
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
    ekm_pca_destroy(p);
    free(x);
    free(u);
    free(v);
    free(c);
}

static void test_plane_in_4d(void **state)
{
    (void)state;
    check_plane(4);
}

static void test_plane_in_100d_subspace_iteration(void **state)
{
    (void)state;
    check_plane(100); /* above the Jacobi limit: the subspace iteration path */
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
    ekm_pca_destroy(p);
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
    ekm_pca_destroy(a);
    ekm_pca_destroy(b);
    ekm_pca_destroy(c);
}

/* For general data the axes are unit eigenvectors of the covariance with the two
 * largest eigenvalues: check C a = lambda a, orthogonality and maximality. */
static void check_eigen_residual(size_t n, size_t d)
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
    assert_int_equal(ekm_pca_compute(x, n, d, &p, NULL), EKM_OK);
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
    ekm_pca_destroy(p);
    free(x);
    free(mean);
    free(cov);
    free(v);
    free(r);
}

static void test_eigen_residual_general(void **state)
{
    (void)state;
    check_eigen_residual(60, 6);   /* Jacobi */
    check_eigen_residual(300, 90); /* subspace iteration */
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
    ekm_pca_destroy(p);

    const double same[] = {1, 2, 3, 1, 2, 3, 1, 2, 3};
    assert_int_equal(ekm_pca_compute(same, 3, 3, &p, NULL), EKM_OK);
    assert_true(p->total_variance == 0.0 && p->explained[0] == 0.0 && p->explained[1] == 0.0);
    for (int i = 0; i < 6; i++)
        assert_true(p->proj[i] == 0.0);
    assert_true(fabs(dotv(p->axes, p->axes, 3) - 1) < 1e-15);
    ekm_pca_destroy(p);

    const double one[] = {4, 5};
    assert_int_equal(ekm_pca_compute(one, 1, 2, &p, NULL), EKM_OK);
    assert_true(p->variance[0] == 0.0 && p->proj[0] == 0.0 && p->proj[1] == 0.0);
    ekm_pca_destroy(p);
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
    ekm_pca_destroy(p);
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
        cmocka_unit_test(test_one_dimension_and_identical_points),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_of_dataset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
