/* plot_curves.c — the benchmark pictures: runtime vs N per strategy with the fitted
 * lines (linear y = a·x + b and power law y = c·x^p, given, not fitted here) and
 * their equations in the legend; speedup vs threads with the Amdahl and Gustafson
 * models for a parallel fraction p. Log or linear axes. */
#include "plot/plot_internal.h"

#include "ekm/fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CURVE_SAMPLES = 400 };

static const double dash_linear[] = {9, 5};   /* fitted linear: dashes */
static const double dash_power[] = {2, 4};    /* fitted power law: dots */
static const double dash_amdahl[] = {10, 5};  /* Amdahl: dashes */
static const double dash_gustafson[] = {12, 4, 2, 4}; /* Gustafson: dash-dot */

static int check_series(const plot_series *s, size_t n, const char *what, char *err,
                        size_t errsz)
{
    if (n > 0 && !s) {
        plot__err(err, errsz, "%s: no series", what);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i].n > 0 && (!s[i].x || !s[i].y)) {
            plot__err(err, errsz, "%s: series %zu (%s) has %zu points but no data", what, i + 1,
                      s[i].name ? s[i].name : "unnamed", s[i].n);
            return -1;
        }
    return 0;
}

/* The range of the series' points (only positive values on log axes). */
static void series_range(const plot_series *s, size_t ns, int log, double *x0, double *x1,
                         double *y0, double *y1)
{
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
    for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < s[i].n; j++) {
            double x = s[i].x[j], y = s[i].y[j];
            if (!isfinite(x) || !isfinite(y) || (log && (x <= 0 || y <= 0)))
                continue;
            *x0 = fmin(*x0, x);
            *x1 = fmax(*x1, x);
            *y0 = fmin(*y0, y);
            *y1 = fmax(*y1, y);
        }
}

/* Sample f over the x axis of t (evenly in axis space) and draw it. */
typedef double (*curve_fn)(const void *arg, double x);

static int draw_function(plot__ctx *c, const plot_transform *t, curve_fn fn, const void *arg,
                         double xfrom, double xto, double width, plot_rgb col, const double *dash,
                         int ndash)
{
    double *xy = malloc(2 * CURVE_SAMPLES * sizeof *xy);
    if (!xy)
        return -1;
    double a0 = t->xlog ? log10(xfrom) : xfrom, a1 = t->xlog ? log10(xto) : xto;
    double d[8];
    for (int i = 0; i < ndash && i < 8; i++)
        d[i] = dash[i] * c->px;
    for (int i = 0; i < CURVE_SAMPLES; i++) {
        double a = a0 + (a1 - a0) * i / (CURVE_SAMPLES - 1);
        double x = t->xlog ? pow(10, a) : a, y = fn(arg, x);
        if (plot_transform_apply(t, x, y, &xy[2 * i], &xy[2 * i + 1]) != 0)
            xy[2 * i] = xy[2 * i + 1] = NAN;
    }
    plot__polyline(c, xy, CURVE_SAMPLES, width, col, dash ? d : NULL, dash ? ndash : 0);
    free(xy);
    return 0;
}

static double fn_linear(const void *arg, double x)
{
    const plot_series *s = arg;
    return s->lin_a * x + s->lin_b;
}

static double fn_power(const void *arg, double x)
{
    const plot_series *s = arg;
    return s->pow_c * pow(x, s->pow_p);
}

static double fn_amdahl(const void *arg, double x) { return ekm_amdahl(*(const double *)arg, x); }
static double fn_gustafson(const void *arg, double x)
{
    return ekm_gustafson(*(const double *)arg, x);
}
static double fn_plan_bound(const void *arg, double x)
{
    double b = *(const double *)arg;
    return x < b ? x : b;
}

static double fn_ideal(const void *arg, double x)
{
    (void)arg;
    return x;
}

/* Measured points: a thin line through them, then the markers. */
static void draw_measured(plot__ctx *c, const plot_transform *t, const plot_series *s,
                          unsigned idx)
{
    plot_rgb col = plot_palette(idx);
    double *xy = malloc(2 * (s->n ? s->n : 1) * sizeof *xy);
    if (!xy)
        return;
    for (size_t j = 0; j < s->n; j++)
        if (plot_transform_apply(t, s->x[j], s->y[j], &xy[2 * j], &xy[2 * j + 1]) != 0)
            xy[2 * j] = xy[2 * j + 1] = NAN;
    plot__polyline(c, xy, s->n, fmax(1.0, 1.6 * c->px), col, NULL, 0);
    double r = 4.5 * c->px;
    for (size_t j = 0; j < s->n; j++)
        if (isfinite(xy[2 * j]))
            plot__marker(c, plot_series_marker(idx), xy[2 * j], xy[2 * j + 1], r, col,
                         plot__darker(col, 0.6), fmax(1.0, 1.0 * c->px));
    free(xy);
}

/* A plan's bound on speedup: min(T, bound) from T = from to T = to, dotted in the
 * series' colour (the knee at T = bound drawn exactly). */
static void draw_bound(plot__ctx *c, const plot_transform *t, const plot_series *s, unsigned idx,
                       double from, double to)
{
    if (!(s->bound > 0) || !isfinite(s->bound))
        return;
    double pts[3][2] = {{from, fmin(from, s->bound)}, {fmin(fmax(s->bound, from), to), 0},
                        {to, fmin(to, s->bound)}};
    pts[1][1] = fmin(pts[1][0], s->bound);
    double xy[6];
    for (int j = 0; j < 3; j++)
        if (plot_transform_apply(t, pts[j][0], pts[j][1], &xy[2 * j], &xy[2 * j + 1]) != 0)
            xy[2 * j] = xy[2 * j + 1] = NAN;
    static const double dots[] = {2, 4};
    double dash[2] = {dots[0] * c->px, dots[1] * c->px};
    plot__polyline(c, xy, 3, fmax(1.0, 1.6 * c->px), plot_palette(idx), dash, 2);
}

static plot__legend_entry series_entry(const plot_series *s, unsigned idx)
{
    plot_rgb col = plot_palette(idx);
    return (plot__legend_entry){.text = s->name ? s->name : "(unnamed)", .has_marker = 1,
                                .marker = plot_series_marker(idx), .fill = col,
                                .outline = plot__darker(col, 0.6), .marker_scale = 0.9,
                                .outline_w = 1.0, .has_line = 1, .line_col = col,
                                .line_w = 1.6};
}

/* "a·N + b" with signs and numbers formatted for a legend. */
static void linear_text(const char *yv, const char *xv, double a, double b, char *buf,
                        size_t size)
{
    char na[64], nb[64];
    plot__fmt_num(a, 3, na, sizeof na);
    plot__fmt_num(fabs(b), 3, nb, sizeof nb);
    snprintf(buf, size, "linear: %s = %s\xC2\xB7%s %s %s", yv, na, xv,
             b < 0 ? "\xE2\x88\x92" : "+", nb);
}

static void power_text(const char *yv, const char *xv, double cc, double p, char *buf,
                       size_t size)
{
    char nc[64], np[64];
    plot__fmt_num(cc, 3, nc, sizeof nc);
    snprintf(np, sizeof np, "%.3g", p);
    if (p < 0) { /* a U+2212 minus in the exponent */
        snprintf(np, sizeof np, "\xE2\x88\x92%.3g", -p);
    }
    snprintf(buf, size, "power law: %s = %s\xC2\xB7%s^{%s}", yv, nc, xv, np);
}

/* 1 when every series is one point at the same x and without fits: a comparison of
 * strategies at one N, drawn as bars rather than a column of dots. */
static int single_n(const plot_series *s, size_t ns)
{
    if (ns < 1)
        return 0;
    for (size_t i = 0; i < ns; i++)
        if (s[i].n != 1 || s[i].fits || s[i].x[0] != s[0].x[0] || !(s[i].y[0] > 0))
            return 0;
    return 1;
}

/* One bar per series (its colour, in the legend's order) of height its time. */
static int bars_draw(plot__ctx *c, const plot_curves_input *in, const plot__legend_entry *leg,
                     size_t nl, plot_info *info, char *err, size_t errsz)
{
    size_t ns = in->n_series;
    double top = 0;
    for (size_t i = 0; i < ns; i++)
        top = fmax(top, in->series[i].y[0]);
    char xlabel[128], num[48];
    plot__fmt_num(in->series[0].x[0], 6, num, sizeof num);
    snprintf(xlabel, sizeof xlabel, "one bar per series (see the legend), %s = %s",
             in->xvar ? in->xvar : "N", num);
    plot__frame f = {.title = in->title ? in->title : "Runtime at one N",
                     .subtitle = in->subtitle,
                     .x = {.lo = 0.5, .hi = ns + 0.5, .label = xlabel},
                     .y = {.lo = 0, .hi = top, .include_zero = 1, .label = in->ylabel ? in->ylabel : "time (s)"},
                     .legend_title = "strategies", .legend = leg, .n_legend = nl};
    plot_transform t;
    if (plot__frame_begin(c, &f, &t, err, errsz) != 0)
        return -1;
    for (size_t i = 0; i < ns; i++) {
        double xa, ya, xb, yb;
        if (plot_transform_apply(&t, i + 1 - 0.35, in->series[i].y[0], &xa, &ya) ||
            plot_transform_apply(&t, i + 1 + 0.35, 0, &xb, &yb))
            continue;
        plot__fill_rect(c, (int)xa, (int)ya, (int)fmax(1, xb - xa), (int)fmax(1, yb - ya),
                        plot_palette((unsigned)i));
    }
    plot__frame_finish(c, &f, &t);
    if (info) {
        memset(info, 0, sizeof *info);
        plot__fill_info(c, &f, &t, info);
        info->objective = NAN;
    }
    return 0;
}

int plot__curves_draw(plot__ctx *c, const plot_curves_input *in, plot_info *info, char *err,
                      size_t errsz)
{
    if (!in || check_series(in->series, in->n_series, "runtime curves", err, errsz) != 0) {
        if (!in)
            plot__err(err, errsz, "runtime curves: no input");
        return -1;
    }
    size_t ns = in->n_series;
    const char *xv = in->xvar ? in->xvar : "N", *yv = in->yvar ? in->yvar : "t";
    plot__legend_entry *leg = calloc(3 * ns + 1, sizeof *leg);
    char (*texts)[160] = calloc(2 * ns + 1, sizeof *texts);
    if (!leg || !texts) {
        free(leg);
        free(texts);
        plot__err(err, errsz, "runtime curves: out of memory");
        return -1;
    }
    size_t nl = 0;
    for (size_t i = 0; i < ns; i++) {
        const plot_series *s = &in->series[i];
        plot_rgb col = plot_palette((unsigned)i);
        leg[nl++] = series_entry(s, (unsigned)i);
        if (s->fits & PLOT_FIT_LINEAR) {
            linear_text(yv, xv, s->lin_a, s->lin_b, texts[2 * i], sizeof texts[2 * i]);
            leg[nl++] = (plot__legend_entry){.text = texts[2 * i], .has_line = 1,
                                             .line_col = col, .line_w = 2, .dash = dash_linear,
                                             .ndash = 2, .indent = 1};
        }
        if (s->fits & PLOT_FIT_POWER) {
            power_text(yv, xv, s->pow_c, s->pow_p, texts[2 * i + 1], sizeof texts[2 * i + 1]);
            leg[nl++] = (plot__legend_entry){.text = texts[2 * i + 1], .has_line = 1,
                                             .line_col = col, .line_w = 2.2, .dash = dash_power,
                                             .ndash = 2, .indent = 1};
        }
    }
    if (single_n(in->series, ns)) {
        int rc = bars_draw(c, in, leg, nl, info, err, errsz);
        free(leg);
        free(texts);
        return rc;
    }
    double x0, x1, y0, y1;
    series_range(in->series, ns, in->log_axes, &x0, &x1, &y0, &y1);
    plot__frame f = {.title = in->title ? in->title : "Runtime vs N",
                     .subtitle = in->subtitle,
                     .x = {x0, x1, in->log_axes, 0, in->xlabel ? in->xlabel : "N (points)", 0},
                     .y = {y0, y1, in->log_axes, 0, in->ylabel ? in->ylabel : "time (s)", 0},
                     .legend_title = ns ? "strategies" : NULL, .legend = leg, .n_legend = nl};
    plot_transform t;
    int rc = plot__frame_begin(c, &f, &t, err, errsz);
    if (rc == 0) {
        for (size_t i = 0; i < ns; i++) { /* fits under the data */
            const plot_series *s = &in->series[i];
            plot_rgb col = plot_palette((unsigned)i);
            if (s->fits & PLOT_FIT_LINEAR)
                draw_function(c, &t, fn_linear, s, t.xmin, t.xmax, 2 * c->px, col, dash_linear,
                              2);
            if (s->fits & PLOT_FIT_POWER)
                draw_function(c, &t, fn_power, s, t.xmin, t.xmax, 2.2 * c->px, col, dash_power,
                              2);
        }
        for (size_t i = 0; i < ns; i++)
            draw_measured(c, &t, &in->series[i], (unsigned)i);
        plot__frame_finish(c, &f, &t);
        if (info) {
            memset(info, 0, sizeof *info);
            plot__fill_info(c, &f, &t, info);
            info->marker_radius = 4.5 * c->px;
            info->objective = NAN;
        }
    }
    free(leg);
    free(texts);
    return rc;
}

int plot__speedup_draw(plot__ctx *c, const plot_speedup_input *in, plot_info *info, char *err,
                       size_t errsz)
{
    if (!in || check_series(in->series, in->n_series, "speedup curves", err, errsz) != 0) {
        if (!in)
            plot__err(err, errsz, "speedup curves: no input");
        return -1;
    }
    double p = in->parallel_fraction;
    int models = isfinite(p);
    if (models && (p < 0 || p > 1)) {
        plot__err(err, errsz, "speedup curves: the parallel fraction %g is not in [0, 1]", p);
        return -1;
    }
    size_t ns = in->n_series;
    plot__legend_entry *leg = calloc(ns + 6, sizeof *leg);
    if (!leg) {
        plot__err(err, errsz, "speedup curves: out of memory");
        return -1;
    }
    char amdahl[160], gustafson[160], lim[64];
    size_t nl = 0;
    int any_bound = 0;
    for (size_t i = 0; i < ns; i++) {
        leg[nl++] = series_entry(&in->series[i], (unsigned)i);
        any_bound |= in->series[i].bound > 0;
    }
    static const double bound_dash[] = {2, 4};
    if (any_bound)
        leg[nl++] = (plot__legend_entry){.text = "dotted: each plan's bound\nmin(T, total / critical path)",
                                         .has_line = 1, .line_col = {0x66, 0x66, 0x66},
                                         .line_w = 1.6, .dash = bound_dash, .ndash = 2};
    plot_rgb ideal_col = {0xAA, 0xAA, 0xAA}, model = plot_model_color();
    leg[nl++] = (plot__legend_entry){.text = "ideal: S = T", .has_line = 1,
                                     .line_col = ideal_col, .line_w = 1.5};
    int per_series = in->series_bound || in->series_p;
    if (per_series) {
        plot_rgb grey = {0x77, 0x77, 0x77};
        if (in->series_bound)
            leg[nl++] = (plot__legend_entry){.text = "bound min(T, total/critical path)\n"
                                                     "in each plan's colour",
                                             .has_line = 1, .line_col = grey, .line_w = 1.5,
                                             .dash = dash_power, .ndash = 2};
        if (in->series_p)
            leg[nl++] = (plot__legend_entry){.text = "Amdahl (dashes), Gustafson (dash-dot)\n"
                                                     "fitted to each strategy",
                                             .has_line = 1, .line_col = grey, .line_w = 1.5,
                                             .dash = dash_amdahl, .ndash = 2};
    }
    if (models) {
        if (p < 1)
            plot__fmt_num(1 / (1 - p), 3, lim, sizeof lim);
        else
            snprintf(lim, sizeof lim, "\xE2\x88\x9E");
        snprintf(amdahl, sizeof amdahl,
                 "Amdahl, p = %.3f\nS(T) = 1/((1\xE2\x88\x92p) + p/T), limit %s", p, lim);
        snprintf(gustafson, sizeof gustafson,
                 "Gustafson, p = %.3f\nS(T) = (1\xE2\x88\x92p) + p\xC2\xB7T", p);
        leg[nl++] = (plot__legend_entry){.text = amdahl, .has_line = 1, .line_col = model,
                                         .line_w = 2, .dash = dash_amdahl, .ndash = 2};
        leg[nl++] = (plot__legend_entry){.text = gustafson, .has_line = 1, .line_col = model,
                                         .line_w = 2, .dash = dash_gustafson, .ndash = 4};
    }
    double x0, x1, y0, y1;
    series_range(in->series, ns, in->log_axes, &x0, &x1, &y0, &y1);
    double tmax = in->max_threads > 0 ? in->max_threads : (isfinite(x1) ? x1 : 8);
    if (isfinite(x1) && x1 > tmax)
        tmax = x1;
    if (tmax < 2)
        tmax = 2;
    double tmin = isfinite(x0) && x0 < 1 && x0 > 0 ? x0 : 1;
    /* The y range holds the data, the ideal line and the models at the right end. */
    double ylo = isfinite(y0) ? fmin(y0, 1) : 1, yhi = isfinite(y1) ? fmax(y1, tmax) : tmax;
    if (models)
        yhi = fmax(yhi, ekm_gustafson(p, tmax));
    plot__frame f = {.title = in->title ? in->title : "Speedup vs threads",
                     .subtitle = in->subtitle,
                     .x = {tmin, tmax, in->log_axes, 1, "threads T", 1},
                     .y = {ylo, yhi, in->log_axes, 1, "speedup S(T)", 0},
                     .legend_title = "speedup", .legend = leg, .n_legend = nl};
    plot_transform t;
    int rc = plot__frame_begin(c, &f, &t, err, errsz);
    if (rc == 0) {
        double from = t.xlog ? t.xmin : fmax(t.xmin, 1e-9);
        draw_function(c, &t, fn_ideal, NULL, from, t.xmax, 1.5 * c->px, ideal_col, NULL, 0);
        if (models) {
            double from_model = fmax(from, 1.0); /* the models start at one thread */
            draw_function(c, &t, fn_amdahl, &p, from_model, t.xmax, 2 * c->px, model,
                          dash_amdahl, 2);
            draw_function(c, &t, fn_gustafson, &p, from_model, t.xmax, 2 * c->px, model,
                          dash_gustafson, 4);
        }
        for (size_t i = 0; i < ns && per_series; i++) {
            plot_rgb col = plot_palette((unsigned)i);
            double from_model = fmax(from, 1.0);
            if (in->series_bound && in->series_bound[i] > 0)
                draw_function(c, &t, fn_plan_bound, &in->series_bound[i], from_model, t.xmax,
                              1.6 * c->px, col, dash_power, 2);
            if (in->series_p && isfinite(in->series_p[i]) && in->series_p[i] >= 0 &&
                in->series_p[i] <= 1) {
                draw_function(c, &t, fn_amdahl, &in->series_p[i], from_model, t.xmax,
                              1.4 * c->px, col, dash_amdahl, 2);
                draw_function(c, &t, fn_gustafson, &in->series_p[i], from_model, t.xmax,
                              1.4 * c->px, col, dash_gustafson, 4);
            }
        }
        for (size_t i = 0; i < ns; i++)
            draw_bound(c, &t, &in->series[i], (unsigned)i, from, t.xmax);
        for (size_t i = 0; i < ns; i++)
            draw_measured(c, &t, &in->series[i], (unsigned)i);
        plot__frame_finish(c, &f, &t);
        if (info) {
            memset(info, 0, sizeof *info);
            plot__fill_info(c, &f, &t, info);
            info->marker_radius = 4.5 * c->px;
            info->objective = NAN;
        }
    }
    free(leg);
    return rc;
}

int plot_curves_render(const plot_curves_input *in, int w, int h, SDL_Surface **out,
                       plot_info *info, char *err, size_t errsz)
{
    plot__ctx c;
    *out = NULL;
    if (plot__begin(&c, w, h, err, errsz) != 0)
        return -1;
    if (plot__curves_draw(&c, in, info, err, errsz) != 0) {
        plot__abort(&c);
        return -1;
    }
    plot__end(&c, out);
    return 0;
}

int plot_speedup_render(const plot_speedup_input *in, int w, int h, SDL_Surface **out,
                        plot_info *info, char *err, size_t errsz)
{
    plot__ctx c;
    *out = NULL;
    if (plot__begin(&c, w, h, err, errsz) != 0)
        return -1;
    if (plot__speedup_draw(&c, in, info, err, errsz) != 0) {
        plot__abort(&c);
        return -1;
    }
    plot__end(&c, out);
    return 0;
}

int plot_curves_png(const plot_curves_input *in, int w, int h, const char *path,
                    plot_info *info, char *err, size_t errsz)
{
    SDL_Surface *s = NULL;
    if (plot_curves_render(in, w, h, &s, info, err, errsz) != 0)
        return -1;
    int rc = plot_save_png(s, path, err, errsz);
    SDL_FreeSurface(s);
    return rc;
}

int plot_speedup_png(const plot_speedup_input *in, int w, int h, const char *path,
                     plot_info *info, char *err, size_t errsz)
{
    SDL_Surface *s = NULL;
    if (plot_speedup_render(in, w, h, &s, info, err, errsz) != 0)
        return -1;
    int rc = plot_save_png(s, path, err, errsz);
    SDL_FreeSurface(s);
    return rc;
}
