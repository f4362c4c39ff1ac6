/* plot_frame.c — the frame around a picture's data: the layout of title, legend
 * and axes for the picture's size, the background grid, the axes with their ticks
 * and labels, the legend with its swatches, and the plot_info callers get back.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_LEGEND = 256 };

static const plot_rgb ink = {0x22, 0x22, 0x22};      /* titles, labels */
static const plot_rgb ink_soft = {0x55, 0x55, 0x55}; /* tick labels, subtitles */
static const plot_rgb frame_col = {0x4D, 0x4D, 0x4D};
static const plot_rgb grid_major = {0xE3, 0xE3, 0xE3};
static const plot_rgb grid_minor = {0xF2, 0xF2, 0xF2};

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
    plot__ticks tx, ty;
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
    plot__axis_range(&f->y, &L->ay0, &L->ay1);
    plot__axis_range(&f->x, &L->ax0, &L->ax1);
    int ylen = L->bottom - L->top;
    plot__make_ticks(&f->y, L->ay0, L->ay1, ylen / (int)fmax(3.2 * L->tick_h, 1), &L->ty);
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
        plot__make_ticks(&f->x, L->ax0, L->ax1, target, &L->tx);
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
