/* plot_timeline.c — the timeline as a picture: one band per thread, time left to
 * right, each stage a box where and when it ran (leaves blue, merges orange, a
 * shared stage green) labelled by its id, idle time grey; a simulation says so in
 * its title. The boxes come from the shared layout (common/timeline.h) with one
 * column per pixel of the data area. */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plot_timeline_input_init(plot_timeline_input *in)
{
    memset(in, 0, sizeof *in);
}

static plot_rgb bar_color(const timeline *tl, const timeline_bar *b)
{
    if (tl->shared)
        return plot_palette(2);
    return b->leaf ? plot_palette(0) : plot_palette(1);
}

int plot__timeline_draw(plot__ctx *c, const plot_timeline_input *in, plot_info *info, char *err,
                        size_t errsz)
{
    const timeline *tl = in ? in->tl : NULL;
    if (!tl || tl->n_threads < 1) {
        plot__err(err, errsz, "timeline: nothing ran yet");
        return -1;
    }
    double px = c->px;
    char title[256], sub[256], tbuf[64];
    if (in->title)
        snprintf(title, sizeof title, "%s", in->title);
    else
        snprintf(title, sizeof title, "Timeline of %s on %d thread%s%s",
                 ekm_strategy_name(tl->strategy), tl->n_threads, tl->n_threads == 1 ? "" : "s",
                 tl->simulated ? " (simulated)" : "");
    if (tl->simulated)
        snprintf(sub, sizeof sub,
                 "a simulation from measured costs: each stage takes the time it took, list-"
                 "scheduled on %d threads; predicted speedup %.2f\xC3\x97",
                 tl->simulated, tl->now > 0 ? tl->work / tl->now : 0.0);
    else
        snprintf(sub, sizeof sub, "%s%seach box: a stage on the thread that ran it; grey: idle%s",
                 in->subtitle ? in->subtitle : "", in->subtitle ? " \xC2\xB7 " : "",
                 tl->running ? " (running)" : "");
    int tw, th;
    plot__text_size(c, PLOT__F_TITLE, title, &tw, &th);
    plot__text(c, PLOT__F_TITLE, title, c->w / 2.0, 14 * px, PLOT__ALIGN_CENTER, (plot_rgb){0, 0, 0});
    int sw, sh;
    char fit[256];
    plot__text_size(c, PLOT__F_SMALL, sub, &sw, &sh);
    plot__text(c, PLOT__F_SMALL, plot__fit_text(c, PLOT__F_SMALL, sub, c->w - (int)(40 * px), fit,
                                                sizeof fit),
               c->w / 2.0, 14 * px + th + 4 * px, PLOT__ALIGN_CENTER, (plot_rgb){0x44, 0x44, 0x44});
    int lw, lh;
    snprintf(tbuf, sizeof tbuf, "t%d", tl->n_threads - 1);
    plot__text_size(c, PLOT__F_TICK, tbuf, &lw, &lh);
    double left = 30 * px + lw, right = c->w - 30 * px;
    double top = 14 * px + th + sh + 22 * px, bottom = c->h - 3.2 * lh - 20 * px;
    if (right - left < 40 || bottom - top < 20) {
        plot__err(err, errsz, "timeline: %dx%d is too small to draw it", c->w, c->h);
        return -1;
    }
    int cols = (int)(right - left);
    double span = timeline_span(tl);
    double row_h = (bottom - top) / tl->n_threads;
    double gap = row_h > 12 * px ? 0.15 * row_h : 0;
    plot_rgb idle = {0xE4, 0xE4, 0xE4}, ink = {0x22, 0x22, 0x22};
    for (int t = 0; t < tl->n_threads; t++) {
        double y = top + t * row_h;
        plot__fill_rect(c, (int)left, (int)(y + gap), cols, (int)fmax(1, row_h - 2 * gap), idle);
        snprintf(tbuf, sizeof tbuf, "t%d", t);
        if (row_h >= lh * 0.8 || t == 0 || t == tl->n_threads - 1)
            plot__text(c, PLOT__F_TICK, tbuf, left - 8 * px, y + row_h / 2,
                       PLOT__ALIGN_RIGHT | PLOT__VALIGN_MIDDLE, ink);
    }
    timeline_segment *seg = malloc(TIMELINE_MAX_BARS * sizeof *seg);
    if (!seg) {
        plot__err(err, errsz, "timeline: out of memory");
        return -1;
    }
    int n = timeline_layout(tl, cols, span, 0, seg, TIMELINE_MAX_BARS);
    for (int i = 0; i < n; i++) {
        const timeline_bar *b = &tl->bar[seg[i].bar];
        double y = top + seg[i].row * row_h;
        int h = (int)fmax(1, row_h - 2 * gap);
        plot_rgb col = bar_color(tl, b);
        plot__fill_rect(c, (int)left + seg[i].col0, (int)(y + gap), seg[i].col1 - seg[i].col0, h,
                        col);
        /* a thin white edge between boxes that touch */
        plot__fill_rect(c, (int)left + seg[i].col0, (int)(y + gap), (int)fmax(1, px), h,
                        plot_background_color());
        int bw, bh;
        plot__text_size(c, PLOT__F_LEGEND, b->label, &bw, &bh);
        if (bw + 6 * px <= seg[i].col1 - seg[i].col0 && bh <= h)
            plot__text(c, PLOT__F_LEGEND, b->label, left + (seg[i].col0 + seg[i].col1) / 2.0,
                       y + row_h / 2, PLOT__ALIGN_CENTER | PLOT__VALIGN_MIDDLE,
                       (plot_rgb){0xFF, 0xFF, 0xFF});
    }
    free(seg);
    /* the time axis */
    plot__axis ax = {.lo = 0, .hi = span, .include_zero = 1, .label = "time (s)"};
    plot__ticks tk;
    plot__make_ticks(&ax, 0, span, (int)fmax(2, cols / (90 * px)), &tk);
    plot__line(c, left, bottom + 4 * px, right, bottom + 4 * px, fmax(1, px), ink);
    for (int i = 0; i < tk.n; i++) {
        if (tk.v[i] < 0 || tk.v[i] > span)
            continue;
        double x = left + tk.v[i] / span * cols;
        plot__line(c, x, bottom + 4 * px, x, bottom + 10 * px, fmax(1, px), ink);
        plot__text(c, PLOT__F_TICK, tk.lab[i], x, bottom + 12 * px, PLOT__ALIGN_CENTER, ink);
    }
    plot__text(c, PLOT__F_LABEL, tl->simulated ? "time (s, simulated)" : "time (s)",
               (left + right) / 2, bottom + 14 * px + lh, PLOT__ALIGN_CENTER, ink);
    if (info) {
        memset(info, 0, sizeof *info);
        info->width = c->w;
        info->height = c->h;
        info->transform = (plot_transform){.left = left, .top = top, .right = right,
                                           .bottom = bottom, .xmin = 0, .xmax = span,
                                           .ymin = 0, .ymax = tl->n_threads};
        info->objective = NAN;
        snprintf(info->xlabel, sizeof info->xlabel, "time (s)");
        snprintf(info->ylabel, sizeof info->ylabel, "thread");
    }
    return 0;
}

int plot_timeline_render(const plot_timeline_input *in, int w, int h, SDL_Surface **out,
                         plot_info *info, char *err, size_t errsz)
{
    plot__ctx c;
    *out = NULL;
    if (plot__begin(&c, w, h, err, errsz) != 0)
        return -1;
    if (plot__timeline_draw(&c, in, info, err, errsz) != 0) {
        plot__abort(&c);
        return -1;
    }
    plot__end(&c, out);
    return 0;
}

int plot_timeline_png(const plot_timeline_input *in, int w, int h, const char *path,
                      plot_info *info, char *err, size_t errsz)
{
    SDL_Surface *s = NULL;
    if (plot_timeline_render(in, w, h, &s, info, err, errsz) != 0)
        return -1;
    int rc = plot_save_png(s, path, err, errsz);
    SDL_FreeSurface(s);
    return rc;
}
