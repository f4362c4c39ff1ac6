/* fit.h — the models a benchmark is read with: least-squares fits of runtime
 * against N, the speedup laws of Amdahl and Gustafson, the parallel fraction
 * estimated from measured speedups, and the study's speedup between two
 * strategies (eqs. 19-20).
 *
 * Pure functions on caller-owned arrays: nothing is allocated, nothing printed.
 * Functions that can fail return an ekm_status and fill the error record.
 */
#ifndef EKM_FIT_H
#define EKM_FIT_H

#include "ekm/ekm.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

/* y = a·x + b, the study's straight lines. */
typedef struct ekm_linear_fit {
    double a, b;
    double r2; /* coefficient of determination on y: 1 - SS_res / SS_tot */
    size_t n;  /* points used */
} ekm_linear_fit;

/* y = c·x^p, fitted as the straight line log y = log c + p·log x. */
typedef struct ekm_power_fit {
    double c, p;
    double r2_log; /* R² of the log-log line (what the fit minimises) */
    double r2;     /* R² of c·x^p against y on the original scale (comparable with a linear fit's) */
    size_t n;
} ekm_power_fit;

/* The parallel fraction p of Amdahl's law fitted to measured speedups. */
typedef struct ekm_parallel_fit {
    double p;     /* the estimate clamped to [0, 1] (use this one in the laws) */
    double raw;   /* the unclamped estimate: < 0 when more threads made it slower */
    double rms;   /* root mean square of (measured - Amdahl(p)) / measured speedup */
    size_t n;     /* points used (those with T > 1 carry the information) */
} ekm_parallel_fit;

/* Least-squares line through (x[i], y[i]), i < n.
 * Needs n >= 2 finite points and at least two distinct x (EKM_ERR_INVALID otherwise). */
ekm_status ekm_fit_linear(const double *x, const double *y, size_t n, ekm_linear_fit *out,
                          ekm_error *err);
double ekm_fit_linear_at(const ekm_linear_fit *f, double x);

/* Least-squares power law through (x[i], y[i]) in log-log space.
 * Needs n >= 2, every x and y finite and > 0, two distinct x (EKM_ERR_INVALID). */
ekm_status ekm_fit_power(const double *x, const double *y, size_t n, ekm_power_fit *out,
                         ekm_error *err);
double ekm_fit_power_at(const ekm_power_fit *f, double x);

/* Amdahl (fixed work): S(T) = 1 / ((1 - p) + p / T). */
double ekm_amdahl(double p, double threads);
/* Gustafson (work grown with T): S(T) = (1 - p) + p·T. */
double ekm_gustafson(double p, double threads);

/* Estimate the parallel fraction from speedups S[i] = t(1) / t(T[i]) measured
 * on T[i] threads: Amdahl's normalised time 1/S = 1 - p·(1 - 1/T) is linear in p,
 * so p minimises sum_i ((1 - 1/S_i) - p·(1 - 1/T_i))² (least squares over T).
 * Needs every T >= 1 and S > 0 finite, and at least one T > 1 (EKM_ERR_INVALID). */
ekm_status ekm_fit_parallel_fraction(const double *threads, const double *speedup, size_t n,
                                     ekm_parallel_fit *out, ekm_error *err);

/* The study's eqs. 19-20 for strategy b against strategy a (times t_a, t_b > 0):
 * speedup % = (t_a - t_b) / t_a · 100, speedup × = t_a / t_b. */
double ekm_speedup_percent(double t_a, double t_b);
double ekm_speedup_ratio(double t_a, double t_b);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
