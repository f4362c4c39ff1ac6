/* plot_ticks.c — axis ticks: nice linear steps (1, 2, 5 × 10^k), decades with
 * minor ticks on log axes, their labels, and the padded range an axis shows.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- axes */


static double nice_step(double raw)
{
    double mag = pow(10, floor(log10(raw))), norm = raw / mag;
    return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

static void linear_ticks(double a0, double a1, int target, int log_axis, double min_step,
                         plot__ticks *tk)
{
    if (target < 2)
        target = 2;
    double step = nice_step((a1 - a0) / target);
    if (step < min_step)
        step = min_step;
    double big = 0;
    long i0 = (long)ceil(a0 / step - 1e-9), i1 = (long)floor(a1 / step + 1e-9);
    for (long i = i0; i <= i1 && tk->n < PLOT__MAX_TICKS; i++) {
        double v = i * step;
        if (log_axis && v <= 0)
            continue;
        tk->v[tk->n++] = log_axis ? log10(v) : v;
        if (fabs(v) > big)
            big = fabs(v);
    }
    /* Labels: plain decimals, or a shared power of ten for very large/small values. */
    int es = (int)floor(log10(step) + 1e-9);
    int eb = big > 0 ? (int)floor(log10(big) + 1e-9) : 0;
    for (int k = 0; k < tk->n; k++) {
        double v = log_axis ? pow(10, tk->v[k]) : tk->v[k];
        if (fabs(v) < step * 1e-6)
            v = 0;
        if (eb >= 6 || eb < -3) {
            int dec = eb - es;
            if (v == 0)
                snprintf(tk->lab[k], sizeof tk->lab[k], "0");
            else
                snprintf(tk->lab[k], sizeof tk->lab[k], "%.*f\xC3\x97" "10^{%d}",
                         dec < 0 ? 0 : dec, v / pow(10, eb), eb);
        } else {
            snprintf(tk->lab[k], sizeof tk->lab[k], "%.*f", es < 0 ? -es : 0, v);
        }
        plot__pretty_minus(tk->lab[k], sizeof tk->lab[k]);
    }
}

static void log_label(double mant, int e, char *buf, size_t size)
{
    if (e >= -3 && e <= 4)
        snprintf(buf, size, "%.*f", e < 0 ? -e : 0, mant * pow(10, e));
    else if (mant == 1)
        snprintf(buf, size, "10^{%d}", e);
    else
        snprintf(buf, size, "%g\xC3\x97" "10^{%d}", mant, e);
    plot__pretty_minus(buf, size);
}

static void log_ticks(double a0, double a1, int target, plot__ticks *tk)
{
    static const double sets[3][9] = {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    static const int set_n[3] = {1, 3, 9};
    if (target < 2)
        target = 2;
    int k0 = (int)floor(a0) - 1, k1 = (int)ceil(a1) + 1, count[3] = {0, 0, 0};
    for (int s = 0; s < 3; s++)
        for (int k = k0; k <= k1; k++)
            for (int j = 0; j < set_n[s]; j++) {
                double a = k + log10(sets[s][j]);
                if (a >= a0 - 1e-9 && a <= a1 + 1e-9)
                    count[s]++;
            }
    /* Powers of ten when at least three show; else 1-2-5; else every mantissa; else
     * (less than a factor of about 3 shown) plain linear ticks. */
    int chosen;
    if (count[0] >= 3)
        chosen = 0;
    else if (count[1] >= 3 || (count[1] >= 2 && count[2] > target))
        chosen = 1;
    else if (count[2] >= 2)
        chosen = 2;
    else {
        linear_ticks(pow(10, a0), pow(10, a1), target, 1, 0, tk);
        return;
    }
    int stride = count[chosen] > target ? (count[chosen] + target - 1) / target : 1;
    int idx = 0;
    for (int k = k0; k <= k1; k++)
        for (int j = 0; j < set_n[chosen]; j++) {
            double a = k + log10(sets[chosen][j]);
            if (a < a0 - 1e-9 || a > a1 + 1e-9)
                continue;
            if (idx++ % stride != 0 || tk->n >= PLOT__MAX_TICKS) {
                if (tk->nminor < PLOT__MAX_MINOR)
                    tk->minor[tk->nminor++] = a;
                continue;
            }
            tk->v[tk->n] = a;
            log_label(sets[chosen][j], k, tk->lab[tk->n], sizeof tk->lab[tk->n]);
            tk->n++;
        }
    if (a1 - a0 <= 6) /* minor grid at the other integer mantissas */
        for (int k = k0; k <= k1; k++)
            for (int m = 2; m <= 9; m++) {
                double a = k + log10(m);
                if (a < a0 || a > a1 || tk->nminor >= PLOT__MAX_MINOR)
                    continue;
                int major = 0;
                for (int t = 0; t < tk->n; t++)
                    if (fabs(tk->v[t] - a) < 1e-9)
                        major = 1;
                if (!major)
                    tk->minor[tk->nminor++] = a;
            }
}

void plot__make_ticks(const plot__axis *ax, double a0, double a1, int target, plot__ticks *tk)
{
    memset(tk, 0, sizeof *tk);
    if (ax->log)
        log_ticks(a0, a1, target, tk);
    else
        linear_ticks(a0, a1, target, 0, ax->whole ? 1 : 0, tk);
}

/* The shown range of an axis in axis coordinates (log10 on log axes). */
void plot__axis_range(const plot__axis *ax, double *a0, double *a1)
{
    double lo = ax->lo, hi = ax->hi;
    if (ax->log) {
        if (!(lo > 0) || !(hi > 0) || !isfinite(lo) || !isfinite(hi)) {
            lo = 1;
            hi = 10;
        }
        lo = log10(lo);
        hi = log10(hi);
        if (hi - lo < 1e-9) {
            lo -= 0.5;
            hi += 0.5;
        }
        double pad = 0.05 * (hi - lo);
        *a0 = lo - pad;
        *a1 = hi + pad;
        return;
    }
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi - lo <= 1e-12 * fmax(fabs(lo), fabs(hi))) {
        double d = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    }
    double pad = 0.05 * (hi - lo);
    *a0 = ax->include_zero && lo >= 0 ? 0 : lo - pad;
    *a1 = ax->include_zero && hi <= 0 ? 0 : hi + pad;
}
