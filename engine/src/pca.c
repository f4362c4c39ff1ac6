/* pca.c — the first two principal components of a point set (for 2-D pictures).
 *
 * Centre the points, form the smaller of the D×D sample covariance C = XᵀX/(n-1)
 * and the n×n Gram matrix G = XXᵀ/(n-1), take its two leading eigenvectors and
 * project. G u = λ u gives C (Xᵀu) = λ (Xᵀu): the covariance's eigenvectors are
 * Xᵀu, normalised, with the same eigenvalues; so wide data (n points of d >> n
 * coordinates) costs O(n²d), never O(nd²) and a d×d matrix.
 * Up to 64 rows: cyclic Jacobi (every eigenpair, exact to rounding). Larger:
 * subspace iteration on two vectors with a Rayleigh–Ritz step, stopped on a
 * relative residual of 1e-12 (or after a bounded number of sweeps, which still
 * yields the best 2-D subspace found). Every loop polls the cancel callback
 * after a bounded amount of work (one matrix row).
 * Reference: Golub & Van Loan, Matrix Computations, 4th ed., §8.5 (Jacobi) and
 * §8.2.4 (orthogonal iteration).
 */
#include "ekm/pca.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PCA_JACOBI_MAX_D = 64, PCA_JACOBI_SWEEPS = 100, PCA_SUBSPACE_ITERS = 20000 };

void ekm_pca_free(ekm_pca *pca)
{
    if (!pca)
        return;
    free(pca->mean);
    free(pca->axes);
    free(pca->proj);
    free(pca);
}

/* Cyclic Jacobi eigen-decomposition of the symmetric d×d matrix a (destroyed).
 * Output: eval[d] (unsorted, the final diagonal) and evec (d×d, column j is the
 * unit eigenvector of eval[j]). */
static int poll_cancel(const ekm_pca_options *o)
{
    return o && o->cancelled && o->cancelled(o->ctx);
}

/* Returns 1 when cancelled (the outputs are then meaningless), else 0. */
static int jacobi_eigen(double *a, size_t d, double *eval, double *evec,
                        const ekm_pca_options *o)
{
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            evec[i * d + j] = i == j ? 1.0 : 0.0;
    double frob = 0.0;
    for (size_t i = 0; i < d * d; i++)
        frob += a[i] * a[i];
    for (int sweep = 0; sweep < PCA_JACOBI_SWEEPS && frob > 0.0; sweep++) {
        double off = 0.0;
        for (size_t p = 0; p < d; p++)
            for (size_t q = p + 1; q < d; q++)
                off += a[p * d + q] * a[p * d + q];
        if (off <= 1e-30 * frob)
            break;
        for (size_t p = 0; p < d; p++) {
            if (poll_cancel(o))
                return 1;
            for (size_t q = p + 1; q < d; q++) {
                double apq = a[p * d + q];
                if (apq == 0.0)
                    continue;
                double theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                /* A <- P^T A P with P = rotation in the (p, q) plane; V <- V P. */
                for (size_t k = 0; k < d; k++) {
                    double akp = a[k * d + p], akq = a[k * d + q];
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < d; k++) {
                    double apk = a[p * d + k], aqk = a[q * d + k];
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                a[p * d + q] = a[q * d + p] = 0.0;
                for (size_t k = 0; k < d; k++) {
                    double vkp = evec[k * d + p], vkq = evec[k * d + q];
                    evec[k * d + p] = c * vkp - s * vkq;
                    evec[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    for (size_t i = 0; i < d; i++)
        eval[i] = a[i * d + i];
    return 0;
}

/* Eigen-decomposition of the symmetric 2×2 matrix [h00 h01; h01 h11]:
 * l[0] >= l[1] and the unit eigenvectors v[0..1] (of l[0]) and v[2..3] (of l[1]). */
static void eigen2(double h00, double h01, double h11, double l[2], double v[4])
{
    double m = 0.5 * (h00 + h11), r = hypot(0.5 * (h00 - h11), h01);
    l[0] = m + r;
    l[1] = m - r;
    double x, y;
    if (h01 == 0.0) {
        x = h00 >= h11 ? 1.0 : 0.0;
        y = h00 >= h11 ? 0.0 : 1.0;
    } else if (h00 >= h11) {
        x = l[0] - h11;
        y = h01;
    } else {
        x = h01;
        y = l[0] - h00;
    }
    double nrm = hypot(x, y);
    v[0] = x / nrm;
    v[1] = y / nrm;
    v[2] = -v[1];
    v[3] = v[0];
}

static void mat_vec(const double *c, size_t d, const double *x, double *y)
{
    for (size_t i = 0; i < d; i++) {
        double s = 0.0;
        for (size_t j = 0; j < d; j++)
            s += c[i * d + j] * x[j];
        y[i] = s;
    }
}

static double dot(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t i = 0; i < d; i++)
        s += a[i] * b[i];
    return s;
}

/* Make q2 orthogonal to the unit vector q1 and unit length. If it (nearly)
 * vanishes, use the first standard basis vector that does not. */
static void orthonormalise(const double *q1, double *q2, size_t d, double ref)
{
    for (int pass = 0; pass < 2; pass++) {
        double p = dot(q1, q2, d);
        for (size_t i = 0; i < d; i++)
            q2[i] -= p * q1[i];
    }
    double nrm = sqrt(dot(q2, q2, d));
    if (nrm > 1e-10 * ref) {
        for (size_t i = 0; i < d; i++)
            q2[i] /= nrm;
        return;
    }
    for (size_t j = 0; j < d; j++) {
        memset(q2, 0, d * sizeof *q2);
        q2[j] = 1.0;
        for (int pass = 0; pass < 2; pass++) {
            double p = dot(q1, q2, d);
            for (size_t i = 0; i < d; i++)
                q2[i] -= p * q1[i];
        }
        nrm = sqrt(dot(q2, q2, d));
        if (nrm > 0.5) {
            for (size_t i = 0; i < d; i++)
                q2[i] /= nrm;
            return;
        }
    }
}

static void normalise(double *q, size_t d, size_t fallback)
{
    double nrm = sqrt(dot(q, q, d));
    if (nrm > 0.0) {
        for (size_t i = 0; i < d; i++)
            q[i] /= nrm;
    } else {
        memset(q, 0, d * sizeof *q);
        q[fallback] = 1.0;
    }
}

/* Two leading eigenpairs of the symmetric positive semi-definite d×d matrix c
 * by orthogonal (subspace) iteration. axes: 2*d (rows), lambda: 2. work: 4*d.
 * Returns 1 when cancelled, else 0. */
static int subspace_top2(const double *c, size_t d, double *axes, double lambda[2], double *work,
                         const ekm_pca_options *o)
{
    double *q1 = axes, *q2 = axes + d, *z1 = work, *z2 = work + d;
    /* Start from the column of the largest variance and a fixed spread vector. */
    size_t jmax = 0;
    double trace = 0.0;
    for (size_t j = 0; j < d; j++) {
        trace += c[j * d + j];
        if (c[j * d + j] > c[jmax * d + jmax])
            jmax = j;
    }
    for (size_t i = 0; i < d; i++) {
        q1[i] = c[i * d + jmax];
        q2[i] = 1.0 + (double)((i * 7919u) % 17u) / 17.0;
    }
    normalise(q1, d, jmax);
    mat_vec(c, d, q2, z2);
    memcpy(q2, z2, d * sizeof *q2);
    orthonormalise(q1, q2, d, 1.0);
    lambda[0] = lambda[1] = 0.0;
    if (trace <= 0.0)
        return 0;
    for (int it = 0; it < PCA_SUBSPACE_ITERS; it++) {
        if (poll_cancel(o))
            return 1;
        mat_vec(c, d, q1, z1);
        mat_vec(c, d, q2, z2);
        double h00 = dot(q1, z1, d), h01 = dot(q1, z2, d), h11 = dot(q2, z2, d);
        /* Residual of the current subspace: ||C Q - Q H||_F relative to the trace. */
        double res = 0.0;
        for (size_t i = 0; i < d; i++) {
            double r1 = z1[i] - q1[i] * h00 - q2[i] * h01;
            double r2 = z2[i] - q1[i] * h01 - q2[i] * h11;
            res += r1 * r1 + r2 * r2;
        }
        double l[2], v[4];
        eigen2(h00, h01, h11, l, v);
        if (sqrt(res) <= 1e-12 * trace || it == PCA_SUBSPACE_ITERS - 1) {
            /* Rayleigh–Ritz: rotate Q onto the eigenvectors of H. */
            for (size_t i = 0; i < d; i++) {
                double a = q1[i], b = q2[i];
                q1[i] = v[0] * a + v[1] * b;
                q2[i] = v[2] * a + v[3] * b;
            }
            lambda[0] = l[0];
            lambda[1] = l[1] > 0.0 ? l[1] : 0.0;
            return 0;
        }
        /* Next subspace: orthonormalised C Q, rotated so the Ritz vectors lead. */
        for (size_t i = 0; i < d; i++) {
            double a = z1[i], b = z2[i];
            q1[i] = v[0] * a + v[1] * b;
            q2[i] = v[2] * a + v[3] * b;
        }
        normalise(q1, d, jmax);
        orthonormalise(q1, q2, d, l[0] > 0 ? l[0] : 1.0);
    }
    return 0;
}

/* The sign convention: the first coordinate of magnitude >= 1e-6 of the largest
 * one is made positive. */
static void fix_sign(double *v, size_t d)
{
    double big = 0.0;
    for (size_t i = 0; i < d; i++)
        if (fabs(v[i]) > big)
            big = fabs(v[i]);
    if (big == 0.0)
        return;
    for (size_t i = 0; i < d; i++) {
        if (fabs(v[i]) >= 1e-6 * big) {
            if (v[i] < 0)
                for (size_t j = 0; j < d; j++)
                    v[j] = -v[j];
            return;
        }
    }
}

/* The two leading eigenpairs of the symmetric positive semi-definite m×m matrix
 * a (destroyed): vec gets them as 2 rows of m (unit length), val their
 * eigenvalues (clamped at 0), largest first. work: max(m, 4m) doubles and, for
 * Jacobi (m <= PCA_JACOBI_MAX_D), m*m more. Returns 1 when cancelled. */
static int top2(double *a, size_t m, double *vec, double val[2], double *eval, double *evec,
                const ekm_pca_options *o)
{
    if (m > PCA_JACOBI_MAX_D)
        return subspace_top2(a, m, vec, val, evec, o);
    if (jacobi_eigen(a, m, eval, evec, o))
        return 1;
    /* The two largest eigenvalues; ties go to the lower index. */
    size_t i1 = 0, i2 = m > 1 ? 1 : 0;
    for (size_t j = 1; j < m; j++)
        if (eval[j] > eval[i1])
            i1 = j;
    if (m > 1) {
        i2 = i1 == 0 ? 1 : 0;
        for (size_t j = 0; j < m; j++)
            if (j != i1 && eval[j] > eval[i2])
                i2 = j;
    }
    for (size_t k = 0; k < m; k++) {
        vec[k] = evec[k * m + i1];
        vec[m + k] = m > 1 ? evec[k * m + i2] : 0.0;
    }
    val[0] = eval[i1] > 0.0 ? eval[i1] : 0.0;
    val[1] = m > 1 && eval[i2] > 0.0 ? eval[i2] : 0.0;
    return 0;
}

ekm_status ekm_pca_compute(const double *coords, size_t n, size_t d, ekm_pca **out,
                           ekm_error *err)
{
    return ekm_pca_compute_opt(coords, n, d, NULL, out, err);
}

ekm_status ekm_pca_compute_opt(const double *coords, size_t n, size_t d,
                               const ekm_pca_options *opt, ekm_pca **out, ekm_error *err)
{
    *out = NULL;
    if (!coords || n == 0 || d == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "PCA needs at least one point and one coordinate (n=%zu, d=%zu)", n,
                             d);
    ekm_pca_method method = opt ? opt->method : EKM_PCA_AUTO;
    if (method != EKM_PCA_AUTO && method != EKM_PCA_COVARIANCE && method != EKM_PCA_GRAM)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "PCA: unknown method %d",
                             (int)method);
    if (method == EKM_PCA_AUTO)
        method = n < d ? EKM_PCA_GRAM : EKM_PCA_COVARIANCE;
    const int gram = method == EKM_PCA_GRAM;
    size_t m = gram ? n : d; /* the order of the matrix diagonalised */
    if (n > SIZE_MAX / d / sizeof(double) || m > SIZE_MAX / m / sizeof(double) / 4)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, NULL, 0, 0,
                             "PCA of %zu points x %zu coordinates: too big", n, d);
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(coords[i]))
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "PCA: coordinate %zu of point %zu is not finite", i % d + 1,
                                 i / d + 1);

    ekm_pca *p = calloc(1, sizeof *p);
    double *mat = NULL, *eval = NULL, *evec = NULL, *xc = NULL, *vec = NULL;
    if (!p)
        goto nomem;
    p->n = n;
    p->d = d;
    p->method = method;
    p->mean = calloc(d, sizeof *p->mean);
    p->axes = calloc(2 * d, sizeof *p->axes);
    p->proj = calloc(n * 2, sizeof *p->proj);
    mat = calloc(m * m, sizeof *mat);
    eval = calloc(d > m ? d : m, sizeof *eval);
    evec = calloc(m <= PCA_JACOBI_MAX_D ? m * m : 4 * m, sizeof *evec);
    vec = calloc(2 * m, sizeof *vec);
    if (gram)
        xc = malloc(n * d * sizeof *xc);
    if (!p->mean || !p->axes || !p->proj || !mat || !eval || !evec || !vec || (gram && !xc))
        goto nomem;

    /* Two passes: the mean, then the matrix of the centred points. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            p->mean[j] += coords[i * d + j];
    for (size_t j = 0; j < d; j++)
        p->mean[j] /= (double)n;
    double div = n > 1 ? (double)(n - 1) : 1.0;
    if (gram) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < d; j++)
                xc[i * d + j] = coords[i * d + j] - p->mean[j];
        for (size_t a = 0; a < n; a++) {
            if (poll_cancel(opt))
                goto cancelled;
            for (size_t b = a; b < n; b++) {
                double v = 0.0;
                for (size_t j = 0; j < d; j++)
                    v += xc[a * d + j] * xc[b * d + j];
                mat[a * n + b] = mat[b * n + a] = n > 1 ? v / div : 0.0;
            }
        }
    } else {
        double *row = eval; /* d scratch doubles, reused below */
        for (size_t i = 0; i < n; i++) {
            if (poll_cancel(opt))
                goto cancelled;
            for (size_t j = 0; j < d; j++)
                row[j] = coords[i * d + j] - p->mean[j];
            for (size_t a = 0; a < d; a++)
                for (size_t b = a; b < d; b++)
                    mat[a * d + b] += row[a] * row[b];
        }
        for (size_t a = 0; a < d; a++)
            for (size_t b = a; b < d; b++) {
                double v = n > 1 ? mat[a * d + b] / div : 0.0;
                mat[a * d + b] = mat[b * d + a] = v;
            }
    }
    /* Both matrices have the same trace: the variance summed over the d axes. */
    p->total_variance = 0.0;
    for (size_t j = 0; j < m; j++)
        p->total_variance += mat[j * m + j];

    if (top2(mat, m, vec, p->variance, eval, evec, opt))
        goto cancelled;
    if (!gram) {
        memcpy(p->axes, vec, 2 * d * sizeof *p->axes);
    } else {
        /* The covariance's eigenvectors: Xᵀu, normalised. PC2 is made orthogonal to
         * PC1 (Gram–Schmidt, to rounding); when Xᵀu2 vanishes (the points lie on a
         * line), it is the first standard basis vector orthogonal to PC1. */
        for (int c = 0; c < 2; c++) {
            double *ax = p->axes + (size_t)c * d;
            for (size_t i = 0; i < n; i++) {
                if (c == 0 && poll_cancel(opt))
                    goto cancelled;
                double u = vec[(size_t)c * n + i];
                for (size_t j = 0; j < d && u != 0.0; j++)
                    ax[j] += u * xc[i * d + j];
            }
        }
        double n1 = sqrt(dot(p->axes, p->axes, d));
        normalise(p->axes, d, 0);
        orthonormalise(p->axes, p->axes + d, d, n1 > 0.0 ? n1 : 1.0);
        if (d == 1)
            p->axes[1] = 0.0;
    }
    fix_sign(p->axes, d);
    fix_sign(p->axes + d, d);
    for (int c = 0; c < 2; c++) {
        if (p->variance[c] > p->total_variance)
            p->variance[c] = p->total_variance; /* rounding */
        p->explained[c] = p->total_variance > 0.0 ? p->variance[c] / p->total_variance : 0.0;
    }

    for (size_t i = 0; i < n; i++) {
        double s0 = 0.0, s1 = 0.0;
        for (size_t j = 0; j < d; j++) {
            double x = coords[i * d + j] - p->mean[j];
            s0 += x * p->axes[j];
            s1 += x * p->axes[d + j];
        }
        p->proj[2 * i] = s0;
        p->proj[2 * i + 1] = s1;
    }
    free(mat);
    free(eval);
    free(evec);
    free(vec);
    free(xc);
    *out = p;
    return EKM_OK;

cancelled:
    free(mat);
    free(eval);
    free(evec);
    free(vec);
    free(xc);
    ekm_pca_free(p);
    return ekm_error_set(err, EKM_ERR_CANCELLED, NULL, 0, 0,
                         "PCA of %zu points x %zu coordinates: cancelled", n, d);

nomem:
    free(mat);
    free(eval);
    free(evec);
    free(vec);
    free(xc);
    ekm_pca_free(p);
    return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0,
                         "PCA of %zu points x %zu coordinates: out of memory", n, d);
}

ekm_status ekm_pca_of_dataset(const ekm_dataset *ds, ekm_pca **out, ekm_error *err)
{
    return ekm_pca_of_dataset_opt(ds, NULL, out, err);
}

ekm_status ekm_pca_of_dataset_opt(const ekm_dataset *ds, const ekm_pca_options *opt,
                                  ekm_pca **out, ekm_error *err)
{
    if (!ds) {
        *out = NULL;
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "PCA: no dataset");
    }
    ekm_status st = ekm_pca_compute_opt(ekm_dataset_coords(ds), ekm_dataset_n(ds),
                                        ekm_dataset_d(ds), opt, out, err);
    if (st != EKM_OK && err && !err->file[0]) {
        char msg[EKM_ERROR_MESSAGE_MAX];
        memcpy(msg, err->message, sizeof msg);
        ekm_error_set(err, st, ekm_dataset_name(ds), 0, 0, "%s", msg);
    }
    return st;
}
