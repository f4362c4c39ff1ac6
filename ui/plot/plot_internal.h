/* plot_internal.h — the plot module's private half: the drawing core its files share
 * (contexts, fonts, pixels, text, ticks, frames) and the window's hooks for following
 * a job. Only files of ui/plot (and the plot tests) include it; plot.h is the
 * module's public face.
 */
#ifndef EKM_UI_PLOT_INTERNAL_H
#define EKM_UI_PLOT_INTERNAL_H

#include "plot/plot.h"

#include <SDL.h>
#include <SDL_ttf.h>

void plot__err(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Fonts of a drawing, each with a smaller one for superscripts. */
typedef enum plot__font {
    PLOT__F_TITLE = 0, /* bold */
    PLOT__F_LABEL,     /* axis labels */
    PLOT__F_TICK,      /* tick labels */
    PLOT__F_LEGEND,
    PLOT__F_SMALL,     /* subtitles, second legend lines, hints */
    PLOT__F_COUNT
} plot__font;

enum { PLOT__ALIGN_LEFT = 0, PLOT__ALIGN_CENTER = 1, PLOT__ALIGN_RIGHT = 2 };
enum { PLOT__VALIGN_TOP = 0, PLOT__VALIGN_MIDDLE = 4, PLOT__VALIGN_BOTTOM = 8 };

/* A drawing in progress: the target surface, its fonts and the clip rectangle. */
typedef struct plot__ctx {
    SDL_Surface *s; /* ARGB8888, owned by the context until plot__end */
    int w, h;
    double px;      /* one design pixel (1 at 1280×800; fonts, markers, margins follow it) */
    TTF_Font *font[PLOT__F_COUNT], *sup[PLOT__F_COUNT];
    SDL_Rect clip;  /* every pixel written is inside it */
    int owns;       /* 1: the surface is freed by plot__abort / plot__end(c, NULL) */
} plot__ctx;

/* Start a w×h drawing on a new white surface. */
int plot__begin(plot__ctx *c, int w, int h, char *err, size_t errsz);
/* Draw on an existing ARGB8888 surface (not owned). */
int plot__begin_on(plot__ctx *c, SDL_Surface *s, char *err, size_t errsz);
/* Close the fonts; *out gets the surface (the caller frees it); out NULL: as abort. */
void plot__end(plot__ctx *c, SDL_Surface **out);
/* Close the fonts and free the surface. */
void plot__abort(plot__ctx *c);
void plot__no_clip(plot__ctx *c);

void plot__fill_rect(plot__ctx *c, int x, int y, int w, int h, plot_rgb col);
/* An anti-aliased segment of the given width with round caps. */
void plot__line(plot__ctx *c, double x0, double y0, double x1, double y1, double width,
                plot_rgb col);
/* A polyline of n points xy[2n]; a NAN coordinate breaks it. dash: on/off lengths in
 * pixels (ndash even), NULL for solid. */
void plot__polyline(plot__ctx *c, const double *xy, size_t n, double width, plot_rgb col,
                    const double *dash, int ndash);
/* A filled marker of radius r with an outline of outline_w pixels inside r. */
void plot__marker(plot__ctx *c, plot_marker m, double cx, double cy, double r, plot_rgb fill,
                  plot_rgb outline, double outline_w);
plot_rgb plot__darker(plot_rgb c, double f);

/* Text (UTF-8) with "^{...}" superscripts. align: PLOT__ALIGN_* | PLOT__VALIGN_*. */
void plot__text_size(plot__ctx *c, plot__font f, const char *text, int *w, int *h);
void plot__text(plot__ctx *c, plot__font f, const char *text, double x, double y, int align,
                plot_rgb col);
/* The same rotated 90° counter-clockwise, centred on (x, y). */
void plot__text_vertical(plot__ctx *c, plot__font f, const char *text, double x, double y,
                         plot_rgb col);
/* text, cut with "…" to fit in maxw pixels (into buf when it must be cut). */
const char *plot__fit_text(plot__ctx *c, plot__font f, const char *text, int maxw, char *buf,
                           size_t size);
/* Replace ASCII minus signs (leading, or after "{" or a space) by U+2212, in place. */
void plot__pretty_minus(char *buf, size_t size);
/* About sig significant digits; "1.23×10^{−5}" style when small or large. */
void plot__fmt_num(double v, int sig, char *buf, size_t size);

/* One axis of a frame. */
typedef struct plot__axis {
    double lo, hi;    /* data range to show (padded a little, unless include_zero) */
    int log;
    int include_zero; /* linear: start at 0 when the data are positive */
    const char *label;
    int whole;        /* linear: ticks at whole numbers only (thread counts) */
} plot__axis;

/* One legend line: a swatch (marker and/or line sample) and a text. */
typedef struct plot__legend_entry {
    const char *text;     /* "\n" starts a second line, drawn smaller */
    int has_marker;
    plot_marker marker;
    plot_rgb fill, outline;
    double marker_scale;  /* 1: an ordinary marker */
    double outline_w;     /* design pixels; 0: a thin darker outline */
    int has_line;
    plot_rgb line_col;
    double line_w;        /* design pixels */
    const double *dash;   /* design pixels; NULL: solid */
    int ndash;
    int indent;           /* 1: a sub-entry (a fit under its series) */
} plot__legend_entry;

typedef struct plot__frame {
    const char *title, *subtitle;
    plot__axis x, y;
    const char *legend_title;
    const plot__legend_entry *legend;
    size_t n_legend;
} plot__frame;

/* Lay out title, legend and axes for c's size, fill *t and draw the background grid;
 * c->clip is then the data area. Draw the data, then call plot__frame_finish. */
int plot__frame_begin(plot__ctx *c, const plot__frame *f, plot_transform *t, char *err,
                      size_t errsz);
/* Axes, ticks, labels, legend and title (unclipped). */
void plot__frame_finish(plot__ctx *c, const plot__frame *f, const plot_transform *t);
/* Radius of an ordinary marker for a picture of npoints points. */
double plot__marker_radius(const plot__ctx *c, size_t npoints);
void plot__fill_info(const plot__ctx *c, const plot__frame *f, const plot_transform *t,
                     plot_info *info);

/* Replace the clusters picture, or only its medoids and status (as the public
 * update functions do); show 0 keeps the view the user looks at unless it has no
 * picture yet, show 1 switches to the clusters. */
int plot__window_set_clusters(plot_window *win, const plot_scatter_input *in, int show,
                              char *err, size_t errsz);
int plot__window_set_medoids(plot_window *win, const uint32_t *medoids, unsigned k,
                             double objective, const char *status, int show, char *err,
                             size_t errsz);

/* Draw a picture into a context begun by the caller (the window uses these). */
int plot__scatter_draw(plot__ctx *c, const plot_scatter_input *in, plot_info *info, char *err,
                       size_t errsz);
int plot__curves_draw(plot__ctx *c, const plot_curves_input *in, plot_info *info, char *err,
                      size_t errsz);
int plot__speedup_draw(plot__ctx *c, const plot_speedup_input *in, plot_info *info, char *err,
                       size_t errsz);
int plot__timeline_draw(plot__ctx *c, const plot_timeline_input *in, plot_info *info, char *err,
                        size_t errsz);

/* ---- pixels (the rasteriser and the text share them) ---- */

/* Blend col over the pixel (x, y) with coverage a in [0, 1]; outside the clip: nothing. */
static inline void plot__put(plot__ctx *c, int x, int y, plot_rgb col, double a)
{
    if (a <= 0.0 || x < c->clip.x || y < c->clip.y || x >= c->clip.x + c->clip.w ||
        y >= c->clip.y + c->clip.h)
        return;
    /* a 32-bit surface: its pixels and pitch are 4-byte aligned (void * says so to -Wcast-align) */
    Uint32 *p = (Uint32 *)(void *)((Uint8 *)c->s->pixels + (size_t)y * (size_t)c->s->pitch) + x;
    if (a >= 1.0) {
        *p = 0xFF000000u | (Uint32)col.r << 16 | (Uint32)col.g << 8 | col.b;
        return;
    }
    Uint32 o = *p;
    double r = ((o >> 16) & 255) + (col.r - (double)((o >> 16) & 255)) * a;
    double g = ((o >> 8) & 255) + (col.g - (double)((o >> 8) & 255)) * a;
    double b = (o & 255) + (col.b - (double)(o & 255)) * a;
    *p = 0xFF000000u | (Uint32)(r + 0.5) << 16 | (Uint32)(g + 0.5) << 8 | (Uint32)(b + 0.5);
}

/* ---- ticks (plot_ticks.c; the frame lays them out) ---- */

enum { PLOT__MAX_TICKS = 64, PLOT__MAX_MINOR = 160 };

typedef struct plot__ticks {
    int n;
    double v[PLOT__MAX_TICKS]; /* axis coordinates (log10 on log axes) */
    char lab[PLOT__MAX_TICKS][48];
    int nminor;
    double minor[PLOT__MAX_MINOR];
} plot__ticks;

/* Ticks of an axis shown over [a0, a1] (axis coordinates), about target of them. */
void plot__make_ticks(const plot__axis *ax, double a0, double a1, int target, plot__ticks *tk);
/* The shown range of an axis in axis coordinates (log10 on log axes). */
void plot__axis_range(const plot__axis *ax, double *a0, double *a1);

#endif
