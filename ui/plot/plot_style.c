/* plot_style.c — the look shared by the pictures: the palette, the markers of
 * clusters and series, the fixed colours, and the data -> pixel transform; also the
 * module's one-line error messages.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

/* ---------------------------------------------------------------- errors, colours */

void plot__err(char *err, size_t errsz, const char *fmt, ...)
{
    if (!err || errsz == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
    for (char *p = err; *p; p++) /* one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static const plot_rgb okabe_ito[PLOT_PALETTE_SIZE] = {
    {0x00, 0x72, 0xB2}, /* blue */
    {0xE6, 0x9F, 0x00}, /* orange */
    {0x00, 0x9E, 0x73}, /* bluish green */
    {0xD5, 0x5E, 0x00}, /* vermillion */
    {0x56, 0xB4, 0xE9}, /* sky blue */
    {0xCC, 0x79, 0xA7}, /* reddish purple */
    {0xF0, 0xE4, 0x42}, /* yellow */
    {0x99, 0x99, 0x99}, /* grey */
};

plot_rgb plot_palette(unsigned i) { return okabe_ito[i % PLOT_PALETTE_SIZE]; }

plot_marker plot_cluster_marker(unsigned i)
{
    return (plot_marker)((i / PLOT_PALETTE_SIZE) % PLOT_MARKER_COUNT);
}

plot_marker plot_series_marker(unsigned i) { return (plot_marker)(i % PLOT_MARKER_COUNT); }

plot_rgb plot_background_color(void) { return (plot_rgb){255, 255, 255}; }
plot_rgb plot_medoid_outline_color(void) { return (plot_rgb){0, 0, 0}; }
plot_rgb plot_model_color(void) { return (plot_rgb){0x33, 0x33, 0x33}; }


plot_rgb plot__darker(plot_rgb c, double f)
{
    return (plot_rgb){(uint8_t)(c.r * f + 0.5), (uint8_t)(c.g * f + 0.5),
                      (uint8_t)(c.b * f + 0.5)};
}

/* ---------------------------------------------------------------- transform */

static double axis_value(int log, double v) { return log ? log10(v) : v; }

int plot_transform_apply(const plot_transform *t, double x, double y, double *px, double *py)
{
    if (!isfinite(x) || !isfinite(y) || (t->xlog && x <= 0) || (t->ylog && y <= 0))
        return -1;
    double x0 = axis_value(t->xlog, t->xmin), x1 = axis_value(t->xlog, t->xmax);
    double y0 = axis_value(t->ylog, t->ymin), y1 = axis_value(t->ylog, t->ymax);
    double X = axis_value(t->xlog, x), Y = axis_value(t->ylog, y);
    *px = t->left + (X - x0) / (x1 - x0) * (t->right - t->left);
    *py = t->bottom - (Y - y0) / (y1 - y0) * (t->bottom - t->top);
    return 0;
}
