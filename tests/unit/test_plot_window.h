/* test_plot_window.h — what the test_plot_window_* tests share.
 * The live plot window: open, draw, update live, keys, save,
 * close, reopen; and plot_window_follow, which the REPL and the dashboard use to
 * show a running job's best medoids so far. Needs a display
 * (tests/e2e/plot_window.sh runs it under xvfb-run); without one the display tests
 * skip, and the checks that asking for a window without a display is a clear error
 * (never a crash) still run. */
#ifndef TEST_PLOT_WINDOW_H
#define TEST_PLOT_WINDOW_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <X11/Xlib.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"
#include "plot/plot.h"

static char tmpdir[256], olddir[1024];

static inline int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ekm-test-plotwin-XXXXXX");
    if (!mkdtemp(tmpdir) || !getcwd(olddir, sizeof olddir))
        return -1;
    return chdir(tmpdir); /* the s key writes ekm-plot-N.png into the current directory */
}

static inline int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    if (chdir(olddir) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Poll the window's state until cond holds (at most 10 s). */
#define WAIT_FOR(win, st, cond)                                                              \
    do {                                                                                     \
        double t0_ = now();                                                                  \
        for (;;) {                                                                           \
            plot_window_get_state((win), &(st));                                             \
            if (cond)                                                                        \
                break;                                                                       \
            if (now() - t0_ > 10)                                                            \
                fail_msg("timed out waiting for: %s", #cond);                                \
            usleep(10000);                                                                   \
        }                                                                                    \
    } while (0)

static inline void push_key(SDL_Keycode key)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = key;
    assert_int_equal(SDL_PushEvent(&ev), 1); /* thread-safe: a user pressing a key */
}

static inline plot_rgb pixel(const SDL_Surface *s, int x, int y)
{
    Uint32 v; /* memcpy: no alignment assumed of the row */
    memcpy(&v, (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * sizeof v, sizeof v);
    return (plot_rgb){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
}

static inline int color_dist(plot_rgb a, plot_rgb b)
{
    int d = abs(a.r - b.r), e = abs(a.g - b.g), f = abs(a.b - b.b);
    return d > e ? (d > f ? d : f) : (e > f ? e : f);
}

static inline SDL_Surface *load_png(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        fail_msg("cannot load %s: %s", path, IMG_GetError());
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

/* Each medoid's centre has its cluster's colour and a black outline around it. */
static inline void check_medoids(const SDL_Surface *s, const plot_info *info, const double *xy,
                                 const uint32_t *med, unsigned k)
{
    for (unsigned j = 0; j < k; j++) {
        double px, py;
        assert_int_equal(plot_transform_apply(&info->transform, xy[2 * med[j]],
                                              xy[2 * med[j] + 1], &px, &py),
                         0);
        assert_true(color_dist(pixel(s, (int)floor(px), (int)floor(py)), plot_palette(j)) <= 3);
        double rr = info->medoid_radius - info->medoid_outline / 2;
        for (int a = 0; a < 4; a++)
            assert_true(color_dist(pixel(s, (int)floor(px + rr * cos(a * M_PI / 2)),
                                         (int)floor(py + rr * sin(a * M_PI / 2))),
                                   plot_medoid_outline_color()) <= 40);
    }
}

/* Where a medoid of the other set was, no medoid is drawn any more: at the medoid
 * outline's radius around that point there is no outline colour. */
static inline void check_not_medoids(const SDL_Surface *s, const plot_info *info,
                                     const double *xy, const uint32_t *points, unsigned n)
{
    for (unsigned j = 0; j < n; j++) {
        double px, py;
        assert_int_equal(plot_transform_apply(&info->transform, xy[2 * points[j]],
                                              xy[2 * points[j] + 1], &px, &py),
                         0);
        double rr = info->medoid_radius - info->medoid_outline / 2;
        for (int a = 0; a < 4; a++)
            assert_true(color_dist(pixel(s, (int)floor(px + rr * cos(a * M_PI / 2)),
                                         (int)floor(py + rr * sin(a * M_PI / 2))),
                                   plot_medoid_outline_color()) > 100);
    }
}

/* The window drew version `version` or later and its last clusters picture shows
 * exactly these medoids. */
static inline void check_drawn_medoids(const plot_window_state *st, const uint32_t *med, unsigned k)
{
    assert_int_equal(st->k, k);
    for (unsigned j = 0; j < k; j++)
        assert_int_equal(st->medoids[j], med[j]);
}

static inline void require_display(void)
{
    char err[PLOT_ERR_MAX];
    if (plot_window_available(err, sizeof err) != 0) {
        print_message("skipping: %s\n", err);
        skip();
    }
}

#endif
