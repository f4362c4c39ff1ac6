/* plot.c — the drawing core shared by the pictures: software surfaces, fonts and
 * text, anti-aliased lines and markers, axes with nice ticks, legends, PNG files.
 *
 * Everything is drawn straight into an ARGB8888 SDL surface (no renderer, no video
 * subsystem): markers and lines are anti-aliased by their exact coverage of each
 * pixel (signed distances), so a window and a PNG show the same pixels, and a
 * point's centre pixel has exactly its colour. Text comes from SDL2_ttf (blended,
 * i.e. anti-aliased) with DejaVu Sans.
 *
 * Threads: TTF is initialised once (pthread_once) and the font file is read once
 * into memory; opening and closing fonts is serialised by font_lock (FreeType's
 * library object is shared); each drawing owns its fonts and surface, so drawings
 * in several threads do not share mutable state.
 */
#define PLOT_INTERNAL
#include "plot/plot.h"

#include "common/outfile.h"

#include <SDL_image.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EKM_ASSETS_DIR
#define EKM_ASSETS_DIR "assets"
#endif

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

static const plot_rgb ink = {0x22, 0x22, 0x22};      /* titles, labels */
static const plot_rgb ink_soft = {0x55, 0x55, 0x55}; /* tick labels, subtitles */
static const plot_rgb frame_col = {0x4D, 0x4D, 0x4D};
static const plot_rgb grid_major = {0xE3, 0xE3, 0xE3};
static const plot_rgb grid_minor = {0xF2, 0xF2, 0xF2};

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

/* ---------------------------------------------------------------- fonts */

static pthread_once_t ttf_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static int ttf_ok;
static char ttf_error[256];
static char font_file[1024];
static void *font_data; /* the font file, read once, kept for the process */
static size_t font_size;

static void ttf_init_once(void)
{
    if (TTF_Init() != 0) {
        snprintf(ttf_error, sizeof ttf_error, "cannot initialise SDL_ttf: %s", TTF_GetError());
        return;
    }
    const char *env = getenv("EKM_FONT");
    const char *candidates[] = {
        env && *env ? env : NULL,
        EKM_ASSETS_DIR "/DejaVuSans.ttf",
        EKM_ASSETS_DIR "/fonts/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    };
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (!candidates[i])
            continue;
        size_t size = 0;
        void *data = SDL_LoadFile(candidates[i], &size);
        if (data && size > 0) {
            snprintf(font_file, sizeof font_file, "%s", candidates[i]);
            font_data = data;
            font_size = size;
            ttf_ok = 1;
            return;
        }
        SDL_free(data);
    }
    snprintf(ttf_error, sizeof ttf_error,
             "no font: DejaVuSans.ttf is neither in %s nor in /usr/share/fonts/truetype/dejavu "
             "(install fonts-dejavu-core)",
             EKM_ASSETS_DIR);
}

const char *plot_font_path(char *err, size_t errsz)
{
    pthread_once(&ttf_once, ttf_init_once);
    if (!ttf_ok) {
        plot__err(err, errsz, "%s", ttf_error);
        return NULL;
    }
    return font_file;
}

static TTF_Font *open_font(int size, int bold)
{
    SDL_RWops *rw = SDL_RWFromConstMem(font_data, (int)font_size);
    if (!rw)
        return NULL;
    pthread_mutex_lock(&font_lock);
    TTF_Font *f = TTF_OpenFontRW(rw, 1, size);
    pthread_mutex_unlock(&font_lock);
    if (f) {
        TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
        if (bold)
            TTF_SetFontStyle(f, TTF_STYLE_BOLD);
    }
    return f;
}

static void close_fonts(plot__ctx *c)
{
    pthread_mutex_lock(&font_lock);
    for (int i = 0; i < PLOT__F_COUNT; i++) {
        if (c->font[i])
            TTF_CloseFont(c->font[i]);
        if (c->sup[i])
            TTF_CloseFont(c->sup[i]);
        c->font[i] = c->sup[i] = NULL;
    }
    pthread_mutex_unlock(&font_lock);
}

/* Sizes at 1280×800 (design pixels). */
static const double font_base[PLOT__F_COUNT] = {22, 17, 14.5, 15, 13};

static int open_fonts(plot__ctx *c, char *err, size_t errsz)
{
    pthread_once(&ttf_once, ttf_init_once);
    if (!ttf_ok) {
        plot__err(err, errsz, "%s", ttf_error);
        return -1;
    }
    for (int i = 0; i < PLOT__F_COUNT; i++) {
        int size = (int)lround(font_base[i] * c->px);
        if (size < 8)
            size = 8;
        int sup = (int)lround(size * 0.72);
        c->font[i] = open_font(size, i == PLOT__F_TITLE);
        c->sup[i] = open_font(sup < 6 ? 6 : sup, 0);
        if (!c->font[i] || !c->sup[i]) {
            plot__err(err, errsz, "cannot open the font %s: %s", font_file, TTF_GetError());
            close_fonts(c);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- contexts */

static int ctx_setup(plot__ctx *c, char *err, size_t errsz)
{
    double scale = fmin(c->w / 1280.0, c->h / 800.0);
    c->px = pow(scale, 0.6);
    if (c->px < 0.55)
        c->px = 0.55;
    if (c->px > 3.0)
        c->px = 3.0;
    plot__no_clip(c);
    return open_fonts(c, err, errsz);
}

int plot__begin(plot__ctx *c, int w, int h, char *err, size_t errsz)
{
    memset(c, 0, sizeof *c);
    if (w < 200 || h < 150 || w > 16384 || h > 16384) {
        plot__err(err, errsz, "picture size %d x %d: must be between 200 x 150 and 16384 x 16384",
                  w, h);
        return -1;
    }
    c->s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!c->s) {
        plot__err(err, errsz, "cannot create a %d x %d surface: %s", w, h, SDL_GetError());
        return -1;
    }
    c->owns = 1;
    c->w = w;
    c->h = h;
    plot_rgb bg = plot_background_color();
    SDL_FillRect(c->s, NULL, SDL_MapRGB(c->s->format, bg.r, bg.g, bg.b));
    if (ctx_setup(c, err, errsz) != 0) {
        plot__abort(c);
        return -1;
    }
    return 0;
}

int plot__begin_on(plot__ctx *c, SDL_Surface *s, char *err, size_t errsz)
{
    memset(c, 0, sizeof *c);
    if (!s || s->format->format != SDL_PIXELFORMAT_ARGB8888) {
        plot__err(err, errsz, "internal: drawing needs an ARGB8888 surface");
        return -1;
    }
    c->s = s;
    c->w = s->w;
    c->h = s->h;
    return ctx_setup(c, err, errsz);
}

void plot__end(plot__ctx *c, SDL_Surface **out)
{
    close_fonts(c);
    if (out) {
        *out = c->s;
        c->s = NULL;
    } else if (c->owns) {
        SDL_FreeSurface(c->s);
        c->s = NULL;
    }
}

void plot__abort(plot__ctx *c) { plot__end(c, NULL); }

void plot__no_clip(plot__ctx *c) { c->clip = (SDL_Rect){0, 0, c->w, c->h}; }

/* SDL_image writes the PNG through this: into an outfile, whose stream keeps the
 * first error's reason whether or not the encoder looks at the count returned. */
static size_t SDLCALL rw_write(SDL_RWops *rw, const void *p, size_t size, size_t num)
{
    outfile *o = rw->hidden.unknown.data1;
    if (!size || !num)
        return 0;
    return fwrite(p, size, num, o->f);
}

static Sint64 SDLCALL rw_size(SDL_RWops *rw)
{
    (void)rw;
    return -1;
}

static Sint64 SDLCALL rw_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    outfile *o = rw->hidden.unknown.data1;
    if (offset == 0 && whence == RW_SEEK_CUR) /* a tell */
        return (Sint64)ftell(o->f);
    return SDL_SetError("a picture is written in one pass");
}

static size_t SDLCALL rw_read(SDL_RWops *rw, void *p, size_t size, size_t num)
{
    (void)rw, (void)p, (void)size, (void)num;
    SDL_SetError("writing only");
    return 0;
}

static int SDLCALL rw_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

int plot_save_png(SDL_Surface *s, const char *path, char *err, size_t errsz)
{
    if (!s || !path || !*path) {
        plot__err(err, errsz, "save: no picture or no file name");
        return -1;
    }
    outfile o;
    char why[1200];
    if (outfile_open(&o, path, why, sizeof why)) {
        plot__err(err, errsz, "%s", why);
        return -1;
    }
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw) {
        outfile_abort(&o);
        plot__err(err, errsz, "%s: cannot write: out of memory", path);
        return -1;
    }
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = &o;
    rw->write = rw_write;
    rw->read = rw_read;
    rw->seek = rw_seek;
    rw->size = rw_size;
    rw->close = rw_close;
    if (IMG_SavePNG_RW(s, rw, 1) != 0 && !outfile_failed(&o)) {
        plot__err(err, errsz, "%s: cannot write: %s", path, IMG_GetError());
        outfile_abort(&o);
        return -1;
    }
    if (outfile_commit(&o, why, sizeof why)) {
        plot__err(err, errsz, "%s", why);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- pixels */

static inline void put(plot__ctx *c, int x, int y, plot_rgb col, double a)
{
    if (a <= 0.0 || x < c->clip.x || y < c->clip.y || x >= c->clip.x + c->clip.w ||
        y >= c->clip.y + c->clip.h)
        return;
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
                put(c, x, y, col, cov > 1 ? 1 : cov);
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
                put(c, x, y, outline, cov > 1 ? 1 : cov);
                double cf = 0.5 - (d + outline_w);
                if (cf > 0)
                    put(c, x, y, fill, cf > 1 ? 1 : cf);
            } else {
                put(c, x, y, fill, cov > 1 ? 1 : cov);
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

/* ---------------------------------------------------------------- text */

/* Walk text as segments of normal text and "^{...}" superscripts. */
typedef struct text_seg {
    const char *p;
    size_t len;
    int sup;
} text_seg;

static size_t split_rich(const char *text, text_seg *seg, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p && n < max) {
        const char *s = strstr(p, "^{");
        if (!s) {
            seg[n++] = (text_seg){p, strlen(p), 0};
            break;
        }
        if (s > p)
            seg[n++] = (text_seg){p, (size_t)(s - p), 0};
        if (n >= max)
            break;
        const char *e = strchr(s + 2, '}');
        if (!e)
            e = s + strlen(s);
        seg[n++] = (text_seg){s + 2, (size_t)(e - s - 2), 1};
        p = *e ? e + 1 : e;
    }
    return n;
}

static SDL_Surface *render_seg(TTF_Font *f, const text_seg *sg)
{
    char buf[512];
    size_t len = sg->len < sizeof buf - 1 ? sg->len : sizeof buf - 1;
    memcpy(buf, sg->p, len);
    buf[len] = 0;
    if (!buf[0])
        return NULL;
    SDL_Color white = {255, 255, 255, 255};
    return TTF_RenderUTF8_Blended(f, buf, white);
}

static int seg_width(TTF_Font *f, const text_seg *sg)
{
    char buf[512];
    size_t len = sg->len < sizeof buf - 1 ? sg->len : sizeof buf - 1;
    memcpy(buf, sg->p, len);
    buf[len] = 0;
    int w = 0, h = 0;
    if (buf[0])
        TTF_SizeUTF8(f, buf, &w, &h);
    return w;
}

void plot__text_size(plot__ctx *c, plot__font f, const char *text, int *w, int *h)
{
    text_seg seg[32];
    size_t n = split_rich(text ? text : "", seg, 32);
    int tw = 0;
    for (size_t i = 0; i < n; i++)
        tw += seg_width(seg[i].sup ? c->sup[f] : c->font[f], &seg[i]);
    if (w)
        *w = tw;
    if (h)
        *h = TTF_FontHeight(c->font[f]);
}

/* Blend a text surface's coverage (its alpha) in colour col; rot: 90° CCW. */
static void blit_alpha(plot__ctx *c, SDL_Surface *t, int x, int y, plot_rgb col, int rot)
{
    if (SDL_LockSurface(t) != 0)
        return;
    const SDL_PixelFormat *fmt = t->format;
    for (int j = 0; j < t->h; j++) {
        const Uint32 *row = (const Uint32 *)(const void *)((const Uint8 *)t->pixels + (size_t)j * t->pitch);
        for (int i = 0; i < t->w; i++) {
            Uint8 r, g, b, a;
            SDL_GetRGBA(row[i], fmt, &r, &g, &b, &a);
            if (!a)
                continue;
            if (rot)
                put(c, x + j, y + (t->w - 1 - i), col, a / 255.0);
            else
                put(c, x + i, y + j, col, a / 255.0);
        }
    }
    SDL_UnlockSurface(t);
}

static void draw_rich(plot__ctx *c, plot__font f, const char *text, int x, int y, plot_rgb col,
                      int rot)
{
    text_seg seg[32];
    size_t n = split_rich(text, seg, 32);
    int asc = TTF_FontAscent(c->font[f]), supasc = TTF_FontAscent(c->sup[f]);
    int pos = 0, total = 0;
    if (rot)
        plot__text_size(c, f, text, &total, NULL);
    for (size_t i = 0; i < n; i++) {
        TTF_Font *font = seg[i].sup ? c->sup[f] : c->font[f];
        int dy = seg[i].sup ? asc - (int)lround(0.42 * asc) - supasc : 0;
        SDL_Surface *t = render_seg(font, &seg[i]);
        if (t) {
            if (t->format->BytesPerPixel == 4) {
                if (rot) /* the text runs upwards from the bottom of its box */
                    blit_alpha(c, t, x + dy, y + total - pos - t->w, col, 1);
                else
                    blit_alpha(c, t, x + pos, y + dy, col, 0);
            }
            pos += t->w;
            SDL_FreeSurface(t);
        }
    }
}

void plot__text(plot__ctx *c, plot__font f, const char *text, double x, double y, int align,
                plot_rgb col)
{
    if (!text || !*text)
        return;
    int w, h;
    plot__text_size(c, f, text, &w, &h);
    int ha = align & 3, va = align & 12;
    double x0 = ha == PLOT__ALIGN_CENTER ? x - w / 2.0 : ha == PLOT__ALIGN_RIGHT ? x - w : x;
    double y0 = va == PLOT__VALIGN_MIDDLE ? y - h / 2.0 : va == PLOT__VALIGN_BOTTOM ? y - h : y;
    draw_rich(c, f, text, (int)lround(x0), (int)lround(y0), col, 0);
}

void plot__text_vertical(plot__ctx *c, plot__font f, const char *text, double x, double y,
                         plot_rgb col)
{
    if (!text || !*text)
        return;
    int w, h;
    plot__text_size(c, f, text, &w, &h);
    draw_rich(c, f, text, (int)lround(x - h / 2.0), (int)lround(y - w / 2.0), col, 1);
}

const char *plot__fit_text(plot__ctx *c, plot__font f, const char *text, int maxw, char *buf,
                           size_t size)
{
    int w;
    plot__text_size(c, f, text, &w, NULL);
    if (w <= maxw || size < 8)
        return text;
    size_t len = strlen(text);
    if (len > size - 4)
        len = size - 4;
    while (len > 0) {
        /* Step back over a whole UTF-8 character. */
        do
            len--;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80);
        memcpy(buf, text, len);
        buf[len] = 0;
        char *open = strstr(buf, "^{"), *last = NULL;
        while (open) { /* an unterminated superscript is dropped */
            last = open;
            open = strstr(open + 2, "^{");
        }
        if (last && !strchr(last, '}'))
            *last = 0;
        strcat(buf, "\xE2\x80\xA6"); /* … */
        plot__text_size(c, f, buf, &w, NULL);
        if (w <= maxw)
            return buf;
    }
    snprintf(buf, size, "\xE2\x80\xA6");
    return buf;
}

/* Replace ASCII minus signs by U+2212 (in place, buf of size bytes). */
static void pretty_minus(char *buf, size_t size)
{
    char tmp[128];
    size_t o = 0;
    for (const char *p = buf; *p && o + 4 < sizeof tmp; p++) {
        if (*p == '-' && (p == buf || p[-1] == '{' || p[-1] == ' ')) {
            memcpy(tmp + o, "\xE2\x88\x92", 3);
            o += 3;
        } else {
            tmp[o++] = *p;
        }
    }
    tmp[o] = 0;
    if (size == 0)
        return;
    size_t len = o < size - 1 ? o : size - 1;
    while (len > 0 && len < o && ((unsigned char)tmp[len] & 0xC0) == 0x80)
        len--; /* never cut a UTF-8 character */
    memcpy(buf, tmp, len);
    buf[len] = 0;
}

void plot__fmt_num(double v, int sig, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", isnan(v) ? "n/a" : v > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E");
        pretty_minus(buf, size);
        return;
    }
    if (v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    if (sig < 1)
        sig = 1;
    int e = (int)floor(log10(fabs(v)));
    /* Rounding may carry into the next power of ten (9.996 -> 10.0). */
    double m = v / pow(10, e);
    if (fabs(m) * pow(10, sig - 1) + 0.5 >= pow(10, sig)) {
        e++;
        m = v / pow(10, e);
    }
    if (e >= -3 && e < 6) {
        int dec = sig - 1 - e;
        snprintf(buf, size, "%.*f", dec < 0 ? 0 : dec, v);
    } else {
        snprintf(buf, size, "%.*f\xC3\x97" "10^{%d}", sig - 1, m, e);
    }
    pretty_minus(buf, size);
}

/* ---------------------------------------------------------------- axes */

enum { MAX_TICKS = 64, MAX_MINOR = 160, MAX_LEGEND = 256 };

typedef struct ticks {
    int n;
    double v[MAX_TICKS]; /* axis coordinates (log10 on log axes) */
    char lab[MAX_TICKS][48];
    int nminor;
    double minor[MAX_MINOR];
} ticks;

static double nice_step(double raw)
{
    double mag = pow(10, floor(log10(raw))), norm = raw / mag;
    return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

static void linear_ticks(double a0, double a1, int target, int log_axis, ticks *tk)
{
    if (target < 2)
        target = 2;
    double step = nice_step((a1 - a0) / target);
    double big = 0;
    long i0 = (long)ceil(a0 / step - 1e-9), i1 = (long)floor(a1 / step + 1e-9);
    for (long i = i0; i <= i1 && tk->n < MAX_TICKS; i++) {
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
        pretty_minus(tk->lab[k], sizeof tk->lab[k]);
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
    pretty_minus(buf, size);
}

static void log_ticks(double a0, double a1, int target, ticks *tk)
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
        linear_ticks(pow(10, a0), pow(10, a1), target, 1, tk);
        return;
    }
    int stride = count[chosen] > target ? (count[chosen] + target - 1) / target : 1;
    int idx = 0;
    for (int k = k0; k <= k1; k++)
        for (int j = 0; j < set_n[chosen]; j++) {
            double a = k + log10(sets[chosen][j]);
            if (a < a0 - 1e-9 || a > a1 + 1e-9)
                continue;
            if (idx++ % stride != 0 || tk->n >= MAX_TICKS) {
                if (tk->nminor < MAX_MINOR)
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
                if (a < a0 || a > a1 || tk->nminor >= MAX_MINOR)
                    continue;
                int major = 0;
                for (int t = 0; t < tk->n; t++)
                    if (fabs(tk->v[t] - a) < 1e-9)
                        major = 1;
                if (!major)
                    tk->minor[tk->nminor++] = a;
            }
}

static void make_ticks(const plot__axis *ax, double a0, double a1, int target, ticks *tk)
{
    memset(tk, 0, sizeof *tk);
    if (ax->log)
        log_ticks(a0, a1, target, tk);
    else
        linear_ticks(a0, a1, target, 0, tk);
}

/* The shown range of an axis in axis coordinates (log10 on log axes). */
static void axis_range(const plot__axis *ax, double *a0, double *a1)
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

/* ---------------------------------------------------------------- layout */

typedef struct legend_place {
    int x, y;    /* top-left of the entry */
    int shown;
} legend_place;

typedef struct layout {
    double pad;
    int top, bottom, left, right; /* data area */
    int title_y, subtitle_y;
    double ax0, ax1, ay0, ay1;
    ticks tx, ty;
    int tick_h, label_h;
    /* legend */
    int has_legend;
    int lx, ly, lcol_w, lrows_h, ltitle_h, lcols;
    int entry_h[MAX_LEGEND];
    legend_place place[MAX_LEGEND];
    size_t lshown, lhidden;
    int more_x, more_y;
} layout;

static int entry_height(plot__ctx *c, const plot__legend_entry *e)
{
    int h1 = TTF_FontLineSkip(c->font[PLOT__F_LEGEND]);
    int h2 = TTF_FontLineSkip(c->font[PLOT__F_SMALL]);
    int h = h1 + (e->text && strchr(e->text, '\n') ? h2 : 0);
    return h + (int)lround(3 * c->px);
}

static int swatch_w(const plot__ctx *c) { return (int)lround(30 * c->px); }

static int entry_text_w(plot__ctx *c, const plot__legend_entry *e)
{
    if (!e->text)
        return 0;
    char first[256];
    const char *nl = strchr(e->text, '\n');
    size_t l1 = nl ? (size_t)(nl - e->text) : strlen(e->text);
    if (l1 >= sizeof first)
        l1 = sizeof first - 1;
    memcpy(first, e->text, l1);
    first[l1] = 0;
    int w1 = 0, w2 = 0;
    plot__text_size(c, PLOT__F_LEGEND, first, &w1, NULL);
    if (nl)
        plot__text_size(c, PLOT__F_SMALL, nl + 1, &w2, NULL);
    return w1 > w2 ? w1 : w2;
}

static void compute_layout(plot__ctx *c, const plot__frame *f, layout *L)
{
    memset(L, 0, sizeof *L);
    double px = c->px;
    L->pad = 14 * px;
    int th = TTF_FontHeight(c->font[PLOT__F_TITLE]);
    int sh = TTF_FontHeight(c->font[PLOT__F_SMALL]);
    L->title_y = (int)lround(L->pad);
    int top = L->title_y + (f->title && *f->title ? th : 0);
    if (f->subtitle && *f->subtitle) {
        L->subtitle_y = top + (int)lround(3 * px);
        top = L->subtitle_y + sh;
    }
    L->top = top + (int)lround(L->pad * 1.2);
    L->tick_h = TTF_FontHeight(c->font[PLOT__F_TICK]);
    L->label_h = TTF_FontHeight(c->font[PLOT__F_LABEL]);
    int tick_len = (int)lround(5 * px);
    L->bottom = c->h - (int)lround(L->pad + L->label_h + 6 * px + L->tick_h + tick_len + 4 * px);

    /* Legend: columns on the right, at most 40 % of the width. */
    int right_margin = (int)lround(L->pad * 2);
    size_t n = f->n_legend < MAX_LEGEND ? f->n_legend : MAX_LEGEND;
    if (n > 0) {
        L->has_legend = 1;
        int tw = 0;
        for (size_t i = 0; i < n; i++) {
            int w = entry_text_w(c, &f->legend[i]) + (f->legend[i].indent ? (int)(12 * px) : 0);
            if (w > tw)
                tw = w;
            L->entry_h[i] = entry_height(c, &f->legend[i]);
        }
        int cap = (int)(0.40 * c->w);
        L->lcol_w = swatch_w(c) + (int)lround(8 * px) + tw + (int)lround(L->pad);
        if (L->lcol_w > cap)
            L->lcol_w = cap;
        L->ltitle_h = f->legend_title ? TTF_FontLineSkip(c->font[PLOT__F_LABEL]) +
                                            (int)lround(4 * px)
                                      : 0;
        int avail = L->bottom - L->top - L->ltitle_h;
        int max_cols = cap / L->lcol_w;
        if (max_cols < 1)
            max_cols = 1;
        int col = 0, y = 0, more_h = TTF_FontLineSkip(c->font[PLOT__F_LEGEND]);
        size_t i;
        for (i = 0; i < n; i++) {
            int need = L->entry_h[i] + (col == max_cols - 1 && i + 1 < n ? more_h : 0);
            if (y + need > avail && y > 0) {
                if (col + 1 >= max_cols)
                    break;
                col++;
                y = 0;
            }
            L->place[i] = (legend_place){col, y, 1};
            y += L->entry_h[i];
            if (y > L->lrows_h)
                L->lrows_h = y;
        }
        L->lshown = i;
        L->lhidden = f->n_legend - i;
        L->lcols = col + 1;
        L->more_y = y;
        L->more_x = col;
        right_margin = L->lcols * L->lcol_w + (int)lround(L->pad * 1.5);
    }
    L->right = c->w - right_margin;
    L->lx = L->right + (int)lround(L->pad * 1.5);
    L->ly = L->top;

    /* Y ticks first (their widths make the left margin), then X ticks. */
    axis_range(&f->y, &L->ay0, &L->ay1);
    axis_range(&f->x, &L->ax0, &L->ax1);
    int ylen = L->bottom - L->top;
    make_ticks(&f->y, L->ay0, L->ay1, ylen / (int)fmax(3.2 * L->tick_h, 1), &L->ty);
    int maxw = 0;
    for (int i = 0; i < L->ty.n; i++) {
        int w;
        plot__text_size(c, PLOT__F_TICK, L->ty.lab[i], &w, NULL);
        if (w > maxw)
            maxw = w;
    }
    L->left = (int)lround(L->pad + L->label_h + 10 * px + maxw + tick_len + 5 * px);
    int xlen = L->right - L->left;
    int target = (int)(xlen / (95 * px));
    for (int attempt = 0; attempt < 4; attempt++) {
        make_ticks(&f->x, L->ax0, L->ax1, target, &L->tx);
        int wx = 0;
        for (int i = 0; i < L->tx.n; i++) {
            int w;
            plot__text_size(c, PLOT__F_TICK, L->tx.lab[i], &w, NULL);
            if (w > wx)
                wx = w;
        }
        if (L->tx.n < 2 || (wx + 18 * px) * L->tx.n <= xlen || target <= 2)
            break;
        target = (int)(xlen / (wx + 18 * px));
    }
}

static void set_transform(const plot__frame *f, const layout *L, plot_transform *t)
{
    t->left = L->left;
    t->right = L->right;
    t->top = L->top;
    t->bottom = L->bottom;
    t->xlog = f->x.log;
    t->ylog = f->y.log;
    t->xmin = f->x.log ? pow(10, L->ax0) : L->ax0;
    t->xmax = f->x.log ? pow(10, L->ax1) : L->ax1;
    t->ymin = f->y.log ? pow(10, L->ay0) : L->ay0;
    t->ymax = f->y.log ? pow(10, L->ay1) : L->ay1;
}

static double axis_px_x(const layout *L, double a)
{
    return L->left + (a - L->ax0) / (L->ax1 - L->ax0) * (L->right - L->left);
}

static double axis_px_y(const layout *L, double a)
{
    return L->bottom - (a - L->ay0) / (L->ay1 - L->ay0) * (L->bottom - L->top);
}

int plot__frame_begin(plot__ctx *c, const plot__frame *f, plot_transform *t, char *err,
                      size_t errsz)
{
    layout *L = malloc(sizeof *L);
    if (!L) {
        plot__err(err, errsz, "out of memory");
        return -1;
    }
    compute_layout(c, f, L);
    if (L->right - L->left < 40 || L->bottom - L->top < 40) {
        plot__err(err, errsz, "picture %d x %d is too small for its labels", c->w, c->h);
        free(L);
        return -1;
    }
    set_transform(f, L, t);
    plot__no_clip(c);
    int w = L->right - L->left, h = L->bottom - L->top;
    c->clip = (SDL_Rect){L->left, L->top, w, h};
    for (int i = 0; i < L->tx.nminor; i++)
        plot__fill_rect(c, (int)floor(axis_px_x(L, L->tx.minor[i])), L->top, 1, h, grid_minor);
    for (int i = 0; i < L->ty.nminor; i++)
        plot__fill_rect(c, L->left, (int)floor(axis_px_y(L, L->ty.minor[i])), w, 1, grid_minor);
    for (int i = 0; i < L->tx.n; i++)
        plot__fill_rect(c, (int)floor(axis_px_x(L, L->tx.v[i])), L->top, 1, h, grid_major);
    for (int i = 0; i < L->ty.n; i++)
        plot__fill_rect(c, L->left, (int)floor(axis_px_y(L, L->ty.v[i])), w, 1, grid_major);
    free(L);
    return 0;
}

static void draw_swatch(plot__ctx *c, const plot__legend_entry *e, double x, double cy)
{
    double sw = swatch_w(c);
    if (e->has_line) {
        double dash[8];
        int nd = e->ndash > 8 ? 8 : e->ndash;
        for (int i = 0; i < nd; i++)
            dash[i] = e->dash[i] * c->px;
        double xy[4] = {x + 1, cy, x + sw - 1, cy};
        plot__polyline(c, xy, 2, fmax(e->line_w * c->px, 1.0), e->line_col,
                       e->dash ? dash : NULL, e->dash ? nd : 0);
    }
    if (e->has_marker) {
        double r = plot__marker_radius(c, 1) * (e->marker_scale > 0 ? e->marker_scale : 1);
        if (r > 0.45 * TTF_FontHeight(c->font[PLOT__F_LEGEND]))
            r = 0.45 * TTF_FontHeight(c->font[PLOT__F_LEGEND]);
        double ow = e->outline_w > 0 ? e->outline_w * c->px : fmax(1.0, 0.9 * c->px);
        plot__marker(c, e->marker, x + sw / 2, cy, r, e->fill, e->outline, ow);
    }
}

void plot__frame_finish(plot__ctx *c, const plot__frame *f, const plot_transform *t)
{
    (void)t;
    layout *L = malloc(sizeof *L);
    if (!L)
        return;
    compute_layout(c, f, L);
    plot__no_clip(c);
    double px = c->px;
    int w = L->right - L->left, h = L->bottom - L->top;
    int lw = px >= 1.5 ? 2 : 1, tick_len = (int)lround(5 * px);
    /* Frame and ticks. */
    plot__fill_rect(c, L->left - lw + 1, L->top, lw, h + 1, frame_col);
    plot__fill_rect(c, L->left, L->bottom, w + 1, lw, frame_col);
    plot__fill_rect(c, L->right, L->top, 1, h + 1, frame_col);
    plot__fill_rect(c, L->left, L->top, w + 1, 1, frame_col);
    for (int i = 0; i < L->tx.n; i++) {
        int x = (int)floor(axis_px_x(L, L->tx.v[i]));
        plot__fill_rect(c, x, L->bottom + lw, lw, tick_len, frame_col);
        plot__text(c, PLOT__F_TICK, L->tx.lab[i], x + 0.5, L->bottom + lw + tick_len + 3 * px,
                   PLOT__ALIGN_CENTER | PLOT__VALIGN_TOP, ink_soft);
    }
    for (int i = 0; i < L->ty.n; i++) {
        int y = (int)floor(axis_px_y(L, L->ty.v[i]));
        plot__fill_rect(c, L->left - lw - tick_len + 1, y, tick_len, lw, frame_col);
        plot__text(c, PLOT__F_TICK, L->ty.lab[i], L->left - lw - tick_len - 4 * px, y + 0.5,
                   PLOT__ALIGN_RIGHT | PLOT__VALIGN_MIDDLE, ink_soft);
    }
    char buf[512];
    if (f->x.label)
        plot__text(c, PLOT__F_LABEL,
                   plot__fit_text(c, PLOT__F_LABEL, f->x.label, w, buf, sizeof buf),
                   (L->left + L->right) / 2.0, c->h - L->pad,
                   PLOT__ALIGN_CENTER | PLOT__VALIGN_BOTTOM, ink);
    if (f->y.label)
        plot__text_vertical(c, PLOT__F_LABEL,
                            plot__fit_text(c, PLOT__F_LABEL, f->y.label, h, buf, sizeof buf),
                            L->pad + L->label_h / 2.0, (L->top + L->bottom) / 2.0, ink);
    /* Title and subtitle, centred over the data area. */
    int tw = c->w - 2 * (int)L->pad;
    double tx = (L->left + L->right) / 2.0;
    if (f->title && *f->title) {
        int wt;
        const char *s = plot__fit_text(c, PLOT__F_TITLE, f->title, tw, buf, sizeof buf);
        plot__text_size(c, PLOT__F_TITLE, s, &wt, NULL);
        double x = fmin(fmax(tx, L->pad + wt / 2.0), c->w - L->pad - wt / 2.0);
        plot__text(c, PLOT__F_TITLE, s, x, L->title_y, PLOT__ALIGN_CENTER, ink);
    }
    if (f->subtitle && *f->subtitle) {
        int ws;
        const char *s = plot__fit_text(c, PLOT__F_SMALL, f->subtitle, tw, buf, sizeof buf);
        plot__text_size(c, PLOT__F_SMALL, s, &ws, NULL);
        double x = fmin(fmax(tx, L->pad + ws / 2.0), c->w - L->pad - ws / 2.0);
        plot__text(c, PLOT__F_SMALL, s, x, L->subtitle_y, PLOT__ALIGN_CENTER, ink_soft);
    }
    /* Legend. */
    if (L->has_legend) {
        if (f->legend_title)
            plot__text(c, PLOT__F_LABEL, f->legend_title, L->lx, L->ly, PLOT__ALIGN_LEFT, ink);
        int sw = swatch_w(c), gap = (int)lround(8 * px);
        for (size_t i = 0; i < L->lshown; i++) {
            const plot__legend_entry *e = &f->legend[i];
            int indent = e->indent ? (int)lround(12 * px) : 0;
            int x = L->lx + L->place[i].x * L->lcol_w + indent;
            int y = L->ly + L->ltitle_h + L->place[i].y;
            int h1 = TTF_FontLineSkip(c->font[PLOT__F_LEGEND]);
            draw_swatch(c, e, x, y + h1 / 2.0);
            if (!e->text)
                continue;
            int maxw = L->lcol_w - sw - gap - indent - (int)lround(L->pad * 0.5);
            char first[256];
            const char *nl = strchr(e->text, '\n');
            size_t l1 = nl ? (size_t)(nl - e->text) : strlen(e->text);
            if (l1 >= sizeof first)
                l1 = sizeof first - 1;
            memcpy(first, e->text, l1);
            first[l1] = 0;
            plot__text(c, PLOT__F_LEGEND,
                       plot__fit_text(c, PLOT__F_LEGEND, first, maxw, buf, sizeof buf),
                       x + sw + gap, y + h1 / 2.0, PLOT__ALIGN_LEFT | PLOT__VALIGN_MIDDLE, ink);
            if (nl)
                plot__text(c, PLOT__F_SMALL,
                           plot__fit_text(c, PLOT__F_SMALL, nl + 1, maxw, buf, sizeof buf),
                           x + sw + gap, y + h1, PLOT__ALIGN_LEFT, ink_soft);
        }
        if (L->lhidden > 0) {
            char more[64];
            snprintf(more, sizeof more, "\xE2\x80\xA6 and %zu more", L->lhidden);
            plot__text(c, PLOT__F_LEGEND, more, L->lx + L->more_x * L->lcol_w + sw + gap,
                       L->ly + L->ltitle_h + L->more_y, PLOT__ALIGN_LEFT, ink_soft);
        }
    }
    free(L);
}

void plot__fill_info(const plot__ctx *c, const plot__frame *f, const plot_transform *t,
                     plot_info *info)
{
    if (!info)
        return;
    info->width = c->w;
    info->height = c->h;
    info->transform = *t;
    snprintf(info->xlabel, sizeof info->xlabel, "%s", f->x.label ? f->x.label : "");
    snprintf(info->ylabel, sizeof info->ylabel, "%s", f->y.label ? f->y.label : "");
}
