/* fit.c — least-squares fits of runtimes, the speedup laws, the parallel
 * fraction from measured speedups, and the study's speedup between strategies. */
#include "ekm/fit.h"

#include <math.h>

/* R² = 1 - ss_res / ss_tot; a constant y fitted exactly counts as 1. */
static double r_squared(double ss_res, double ss_tot)
{
    if (ss_tot > 0)
        return 1.0 - ss_res / ss_tot;
    return ss_res == 0 ? 1.0 : 0.0;
}

/* ---------------------------------------------------------------------------
 * line_fit — ordinary least squares Y = a·X + b, with X = x, Y = y, or with
 * logs set, X = log x, Y = log y (the power law's line).
 * x, y: n points (input). *a, *b: slope and intercept (output); *r2: R² of Y.
 * Two passes (means first, then centred sums) so that data with a large
 * offset, such as N in the thousands, keep their digits: exact data give the
 * coefficients back to rounding and R² = 1.
 * Returns 0, or -1 when x has no spread.
 * Reference: any statistics text, e.g. Montgomery & Runger, "Applied
 * Statistics and Probability for Engineers", ch. 11 (simple linear regression).
 * ------------------------------------------------------------------------- */
static int line_fit(const double *x, const double *y, size_t n, int logs, double *a, double *b,
                    double *r2)
{
#define X(i) (logs ? log(x[i]) : x[i])
#define Y(i) (logs ? log(y[i]) : y[i])
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += X(i);
        my += Y(i);
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = X(i) - mx, dy = Y(i) - my;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if (!(sxx > 0))
        return -1;
    *a = sxy / sxx;
    *b = my - *a * mx;
    double ss_res = 0;
    for (size_t i = 0; i < n; i++) {
        double e = Y(i) - (*a * X(i) + *b);
        ss_res += e * e;
    }
    *r2 = r_squared(ss_res, syy);
    return 0;
#undef X
#undef Y
}

ekm_status ekm_fit_linear(const double *x, const double *y, size_t n, ekm_linear_fit *out,
                          ekm_error *err)
{
    *out = (ekm_linear_fit){NAN, NAN, NAN, n};
    if (n < 2)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "a line needs at least 2 points, got %zu", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "point %zu is not finite (%g, %g)", i, x[i], y[i]);
    if (line_fit(x, y, n, 0, &out->a, &out->b, &out->r2))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "all %zu points have the same x: no line fits", n);
    return EKM_OK;
}

double ekm_fit_linear_at(const ekm_linear_fit *f, double x) { return f->a * x + f->b; }

/* ---------------------------------------------------------------------------
 * ekm_fit_power — y = c·x^p by least squares on (log x, log y).
 * x, y: n points, all > 0 (input). out: c, p, the R² of the log-log line and
 * the R² of the curve against y on the original scale (output).
 * For exhaustive enumeration of K-subsets the time grows as C(N,K)·N, so p
 * should come out near K+1; the linear fit the study used bends away from
 * that curve outside the measured range.
 * Returns EKM_OK, or EKM_ERR_INVALID for fewer than 2 points, values <= 0 or
 * not finite, or a single distinct x.
 * ------------------------------------------------------------------------- */
ekm_status ekm_fit_power(const double *x, const double *y, size_t n, ekm_power_fit *out,
                         ekm_error *err)
{
    *out = (ekm_power_fit){NAN, NAN, NAN, NAN, n};
    if (n < 2)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "a power law needs at least 2 points, got %zu", n);
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0) || !(y[i] > 0) || !isfinite(x[i]) || !isfinite(y[i]))
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "a power law needs positive finite values; point %zu is "
                                 "(%g, %g)",
                                 i, x[i], y[i]);
    }
    double slope, icept, r2l;
    if (line_fit(x, y, n, 1, &slope, &icept, &r2l))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "all %zu points have the same x: no power law fits", n);
    out->p = slope;
    out->c = exp(icept);
    out->r2_log = r2l;
    double my = 0;
    for (size_t i = 0; i < n; i++)
        my += y[i];
    my /= (double)n;
    double ss_res = 0, ss_tot = 0;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - ekm_fit_power_at(out, x[i]), d = y[i] - my;
        ss_res += e * e;
        ss_tot += d * d;
    }
    out->r2 = r_squared(ss_res, ss_tot);
    return EKM_OK;
}

double ekm_fit_power_at(const ekm_power_fit *f, double x) { return f->c * pow(x, f->p); }

/* ---------------------------------------------------------------------------
 * ekm_amdahl / ekm_gustafson — speedup on T threads of a program whose
 * parallel fraction is p (0 <= p <= 1).
 * Amdahl (fixed problem size): S = 1 / ((1 - p) + p / T).
 * Gustafson (the problem grows with T, time fixed): S = (1 - p) + p·T.
 * References: G. Amdahl (1967), "Validity of the single processor approach to
 * achieving large scale computing capabilities"; J. Gustafson (1988),
 * "Reevaluating Amdahl's law"; the study's eqs. 1-2.
 * ------------------------------------------------------------------------- */
double ekm_amdahl(double p, double threads) { return 1.0 / ((1.0 - p) + p / threads); }

double ekm_gustafson(double p, double threads) { return (1.0 - p) + p * threads; }

/* ---------------------------------------------------------------------------
 * ekm_fit_parallel_fraction — Amdahl's p from measured speedups.
 * threads[i] = T_i >= 1, speedup[i] = S_i = t(1)/t(T_i) > 0 (input, n points).
 * Amdahl's normalised time t(T)/t(1) = 1/S = (1 - p) + p/T, i.e.
 *   1 - 1/S = p·(1 - 1/T),
 * a line through the origin in u = 1 - 1/T, v = 1 - 1/S; least squares gives
 *   p = sum(u·v) / sum(u²).
 * Exact Amdahl speedups give p back to rounding; a parallel slowdown (S < 1)
 * gives p < 0 (kept in ->raw; ->p is clamped to [0, 1]). ->rms is the root mean
 * square relative error of Amdahl(p) against the measured speedups.
 * Returns EKM_OK, or EKM_ERR_INVALID for bad values or no point with T > 1.
 * Reference: the same rearrangement underlies the Karp-Flatt metric (Karp &
 * Flatt 1990, "Measuring parallel processor performance").
 * ------------------------------------------------------------------------- */
ekm_status ekm_fit_parallel_fraction(const double *threads, const double *speedup, size_t n,
                                     ekm_parallel_fit *out, ekm_error *err)
{
    *out = (ekm_parallel_fit){NAN, NAN, NAN, n};
    double suv = 0, suu = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(threads[i] >= 1) || !isfinite(threads[i]) || !(speedup[i] > 0) ||
            !isfinite(speedup[i]))
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "point %zu: threads must be >= 1 and speedup > 0, got (%g, %g)",
                                 i, threads[i], speedup[i]);
        double u = 1.0 - 1.0 / threads[i], v = 1.0 - 1.0 / speedup[i];
        suv += u * v;
        suu += u * u;
    }
    if (!(suu > 0))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the parallel fraction needs a measurement on more than 1 thread");
    out->raw = suv / suu;
    out->p = out->raw < 0 ? 0 : out->raw > 1 ? 1 : out->raw;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double e = (speedup[i] - ekm_amdahl(out->p, threads[i])) / speedup[i];
        ss += e * e;
    }
    out->rms = sqrt(ss / (double)n);
    return EKM_OK;
}

/* The study's eq. 19: how much shorter t_b is than t_a, in percent of t_a. */
double ekm_speedup_percent(double t_a, double t_b) { return (t_a - t_b) / t_a * 100.0; }

/* The study's eq. 20: how many times faster b is than a. */
double ekm_speedup_ratio(double t_a, double t_b) { return t_a / t_b; }
