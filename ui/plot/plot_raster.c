/* plot_raster.c — the rasteriser: filled rectangles, anti-aliased lines and
 * markers drawn straight into the ARGB8888 surface. Lines and markers are
 * anti-aliased by their exact coverage of each pixel (signed distances), so a window
 * and a PNG show the same pixels, and a point's centre pixel has exactly its colour.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- pixels */


void plot__fill_rect(plot__ctx *c, int x, int y, int w, int h, plot_rgb col)
{
    SDL_Rect r = {x, y, w, h}, out;
    if (!SDL_IntersectRect(&r, &c->clip, &out))
        return;
    SDL_FillRect(c->s, &out, SDL_MapRGB(c->s->format, col.r, col.g, col.b));
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Liang–Barsky: clip the segment to the rectangle; 0 when nothing is left. */
static int clip_segment(double *x0, double *y0, double *x1, double *y1, double xmin,
                        double ymin, double xmax, double ymax)
{
    double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {*x0 - xmin, xmax - *x0, *y0 - ymin, ymax - *y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1)
                return 0;
            if (r > t0)
                t0 = r;
        } else {
            if (r < t0)
                return 0;
            if (r < t1)
                t1 = r;
        }
    }
    double ax = *x0 + t0 * dx, ay = *y0 + t0 * dy;
    *x1 = *x0 + t1 * dx;
    *y1 = *y0 + t1 * dy;
    *x0 = ax;
    *y0 = ay;
    return 1;
}

void plot__line(plot__ctx *c, double x0, double y0, double x1, double y1, double width,
                plot_rgb col)
{
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1) || width <= 0)
        return;
    double hw = width / 2, m = hw + 2;
    if (!clip_segment(&x0, &y0, &x1, &y1, c->clip.x - m, c->clip.y - m, c->clip.x + c->clip.w + m,
                      c->clip.y + c->clip.h + m))
        return;
    double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    int steep = fabs(dy) > fabs(dx);
    /* Walk the major axis; on each line of pixels visit the band around the segment. */
    double a0 = steep ? fmin(y0, y1) : fmin(x0, x1), a1 = steep ? fmax(y0, y1) : fmax(x0, x1);
    double slope = steep ? (dy != 0 ? dx / dy : 0) : (dx != 0 ? dy / dx : 0);
    double band = (hw + 1.5) * sqrt(1 + slope * slope);
    int ia0 = (int)floor(a0 - hw - 1), ia1 = (int)ceil(a1 + hw + 1);
    for (int ia = ia0; ia <= ia1; ia++) {
        double ac = ia + 0.5, acl = clampd(ac, a0, a1);
        double bc = steep ? x0 + (acl - y0) * slope : y0 + (acl - x0) * slope;
        int ib0 = (int)floor(bc - band), ib1 = (int)ceil(bc + band);
        for (int ib = ib0; ib <= ib1; ib++) {
            int x = steep ? ib : ia, y = steep ? ia : ib;
            double px = x + 0.5, py = y + 0.5, t = 0;
            if (len2 > 0)
                t = clampd(((px - x0) * dx + (py - y0) * dy) / len2, 0, 1);
            double ddx = px - (x0 + t * dx), ddy = py - (y0 + t * dy);
            double cov = hw + 0.5 - sqrt(ddx * ddx + ddy * ddy);
            if (cov > 0)
                plot__put(c, x, y, col, cov > 1 ? 1 : cov);
        }
    }
}

void plot__polyline(plot__ctx *c, const double *xy, size_t n, double width, plot_rgb col,
                    const double *dash, int ndash)
{
    int di = 0;
    double left = dash && ndash > 0 ? dash[0] : 0; /* of the current dash element */
    for (size_t i = 0; i + 1 < n; i++) {
        double x0 = xy[2 * i], y0 = xy[2 * i + 1], x1 = xy[2 * i + 2], y1 = xy[2 * i + 3];
        if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
            continue;
        /* Keep far-away points from making huge loops: clip first (dash phase is
         * only cosmetic outside the picture). */
        double m = width + 4;
        if (!clip_segment(&x0, &y0, &x1, &y1, c->clip.x - m, c->clip.y - m,
                          c->clip.x + c->clip.w + m, c->clip.y + c->clip.h + m))
            continue;
        if (!dash || ndash <= 0) {
            plot__line(c, x0, y0, x1, y1, width, col);
            continue;
        }
        double len = hypot(x1 - x0, y1 - y0), pos = 0;
        while (pos < len) {
            double step = fmin(left, len - pos);
            if (di % 2 == 0) {
                double t0 = pos / len, t1 = (pos + step) / len;
                plot__line(c, x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0, x0 + (x1 - x0) * t1,
                           y0 + (y1 - y0) * t1, width, col);
            }
            pos += step;
            left -= step;
            if (left <= 1e-9) {
                di = (di + 1) % ndash;
                left = dash[di];
            }
        }
    }
}

/* ---------------------------------------------------------------- markers */

static double sd_box(double x, double y, double hx, double hy)
{
    double qx = fabs(x) - hx, qy = fabs(y) - hy;
    double ox = fmax(qx, 0), oy = fmax(qy, 0);
    return hypot(ox, oy) + fmin(fmax(qx, qy), 0);
}

/* Signed distance (negative inside) of a regular polygon with nside sides, its
 * first edge normal at angle a0 (screen coordinates, y down), apothem ap. */
static double sd_polygon(double x, double y, int nside, double a0, double ap)
{
    double d = -INFINITY;
    for (int i = 0; i < nside; i++) {
        double a = a0 + 2 * M_PI * i / nside;
        double v = x * cos(a) + y * sin(a) - ap;
        if (v > d)
            d = v;
    }
    return d;
}

static double marker_sd(plot_marker m, double x, double y, double r)
{
    switch (m) {
    case PLOT_MARKER_CIRCLE: return hypot(x, y) - r;
    case PLOT_MARKER_SQUARE: return sd_box(x, y, 0.886 * r, 0.886 * r);
    case PLOT_MARKER_DIAMOND: return sd_polygon(x, y, 4, M_PI / 4, 1.2 * r / M_SQRT2);
    case PLOT_MARKER_TRIANGLE_UP: /* circumradius 1.4 r, centred on the centroid */
        return sd_polygon(x, y, 3, M_PI / 2, 0.7 * r);
    case PLOT_MARKER_TRIANGLE_DOWN: return sd_polygon(x, y, 3, -M_PI / 2, 0.7 * r);
    case PLOT_MARKER_HEXAGON: return sd_polygon(x, y, 6, 0, 1.1 * r * 0.8660254);
    case PLOT_MARKER_PLUS:
        return fmin(sd_box(x, y, 1.15 * r, 0.4 * r), sd_box(x, y, 0.4 * r, 1.15 * r));
    case PLOT_MARKER_CROSS: {
        double u = (x + y) * M_SQRT1_2, v = (x - y) * M_SQRT1_2;
        return fmin(sd_box(u, v, 1.2 * r, 0.38 * r), sd_box(u, v, 0.38 * r, 1.2 * r));
    }
    case PLOT_MARKER_COUNT: break;
    }
    return hypot(x, y) - r;
}

void plot__marker(plot__ctx *c, plot_marker m, double cx, double cy, double r, plot_rgb fill,
                  plot_rgb outline, double outline_w)
{
    if (!isfinite(cx) || !isfinite(cy) || r <= 0)
        return;
    double ext = 1.7 * r + 2;
    int x0 = (int)floor(cx - ext), x1 = (int)ceil(cx + ext);
    int y0 = (int)floor(cy - ext), y1 = (int)ceil(cy + ext);
    if (x1 < c->clip.x || y1 < c->clip.y || x0 >= c->clip.x + c->clip.w ||
        y0 >= c->clip.y + c->clip.h)
        return;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            double d = marker_sd(m, x + 0.5 - cx, y + 0.5 - cy, r);
            double cov = 0.5 - d;
            if (cov <= 0)
                continue;
            if (outline_w > 0) {
                plot__put(c, x, y, outline, cov > 1 ? 1 : cov);
                double cf = 0.5 - (d + outline_w);
                if (cf > 0)
                    plot__put(c, x, y, fill, cf > 1 ? 1 : cf);
            } else {
                plot__put(c, x, y, fill, cov > 1 ? 1 : cov);
            }
        }
}

double plot__marker_radius(const plot__ctx *c, size_t npoints)
{
    double r = 5.0 * c->px;
    if (npoints > 400)
        r *= sqrt(400.0 / (double)npoints);
    double rmin = 1.6 * c->px;
    return r < rmin ? rmin : r;
}
