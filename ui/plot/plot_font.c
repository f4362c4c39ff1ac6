/* plot_font.c — fonts and drawing contexts: SDL2_ttf with DejaVu Sans, sized to
 * the picture, and the software surface a drawing owns.
 *
 * Threads: TTF is initialised once (pthread_once) and the font file is read once
 * into memory; opening and closing fonts is serialised by font_lock (FreeType's
 * library object is shared); each drawing owns its fonts and surface, so drawings
 * in several threads do not share mutable state.
 */
#include "plot/plot_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/data_dir.h"

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
    char shipped[4096 + 32]; /* a font of ekm's data folder, if one is shipped there */
    snprintf(shipped, sizeof shipped, "%s/fonts/DejaVuSans.ttf", data_dir());
    const char *candidates[] = {
        env && *env ? env : NULL,
        shipped,
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
             "no font: DejaVuSans.ttf is neither in %s/fonts nor in /usr/share/fonts/truetype/dejavu "
             "(install fonts-dejavu-core)",
             data_dir());
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
