/* plot_text.c — text: UTF-8 with "^{...}" superscripts, rendered blended
 * (anti-aliased) by SDL2_ttf and blitted into the surface, horizontal or rotated;
 * cutting text to a width; numbers formatted for axes and legends.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
                plot__put(c, x + j, y + (t->w - 1 - i), col, a / 255.0);
            else
                plot__put(c, x + i, y + j, col, a / 255.0);
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
void plot__pretty_minus(char *buf, size_t size)
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
        plot__pretty_minus(buf, size);
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
    plot__pretty_minus(buf, size);
}
