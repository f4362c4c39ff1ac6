/* test_plot.h — what the test_plot_* tests share.
 * The offscreen pictures, checked pixel by pixel.
 *
 * Each picture is saved as PNG in a temporary folder, loaded back with IMG_Load,
 * and its pixels are compared with what the plot's own transform (plot_info)
 * predicts: every point's centre pixel has its cluster's colour, every medoid has
 * its black outline where the transform puts it, the margins hold labels and ticks,
 * curves run along the predicted lines in linear and log axes. No display needed. */
#ifndef TEST_PLOT_H
#define TEST_PLOT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/pca.h"
#include "ekm/fit.h"
#include "plot/plot_internal.h" /* the marker and number tests use the module's own primitives */

/* ------------------------------------------------------------------ helpers */

static char tmpdir[256];

static inline int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ekm-test-plot-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static inline const char *tmp_file(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

/* Load a PNG as ARGB8888 (the caller frees it). */
static inline SDL_Surface *load_png(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

static inline plot_rgb pixel(const SDL_Surface *s, int x, int y)
{
    assert_true(x >= 0 && y >= 0 && x < s->w && y < s->h);
    Uint32 v; /* memcpy: no alignment assumed of the row */
    memcpy(&v, (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * sizeof v, sizeof v);
    return (plot_rgb){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
}

static inline int color_dist(plot_rgb a, plot_rgb b)
{
    int d = abs(a.r - b.r), e = abs(a.g - b.g), f = abs(a.b - b.b);
    return d > e ? (d > f ? d : f) : (e > f ? e : f);
}

static inline int is_white(plot_rgb c) { return c.r == 255 && c.g == 255 && c.b == 255; }

/* 1 when a pixel of colour col (within tol) is in the 3×3 block around (x, y). */
static inline int color_near(const SDL_Surface *s, double x, double y, plot_rgb col, int tol)
{
    int cx = (int)floor(x), cy = (int)floor(y);
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int px = cx + dx, py = cy + dy;
            if (px < 0 || py < 0 || px >= s->w || py >= s->h)
                continue;
            if (color_dist(pixel(s, px, py), col) <= tol)
                return 1;
        }
    return 0;
}

/* Non-white pixels in a rectangle. */
static inline long count_ink(const SDL_Surface *s, int x0, int y0, int x1, int y1)
{
    long n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < s->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < s->w; x++)
            n += !is_white(pixel(s, x, y));
    return n;
}

static inline long count_color(const SDL_Surface *s, int x0, int y0, int x1, int y1, plot_rgb col,
                               int tol)
{
    long n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < s->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < s->w; x++)
            n += color_dist(pixel(s, x, y), col) <= tol;
    return n;
}

static inline void predict(const plot_info *info, double x, double y, double *px, double *py)
{
    assert_int_equal(plot_transform_apply(&info->transform, x, y, px, py), 0);
}

/* Three separated blobs of 2-D points: 9 per cluster on a 3×3 grid, the centre of
 * each grid is point 4 of its blob (the natural medoid). */
enum { BLOB = 9, K3 = 3 };
static const double centres2[K3][2] = {{0, 0}, {10, 0}, {5, 8}};

static inline void blob_points(double *xy)
{
    for (int c = 0; c < K3; c++)
        for (int i = 0; i < BLOB; i++) {
            xy[(c * BLOB + i) * 2] = centres2[c][0] + (i % 3 - 1) * 1.2;
            xy[(c * BLOB + i) * 2 + 1] = centres2[c][1] + (i / 3 - 1) * 1.2;
        }
}

typedef struct fixture {
    ekm_dataset *ds;
    ekm_dissim *dm;
    uint32_t medoids[K3];
} fixture;

static inline void fixture_make(fixture *f, size_t d)
{
    double xy[K3 * BLOB * 2], *pts = calloc(K3 * BLOB * d, sizeof *pts);
    assert_non_null(pts);
    blob_points(xy);
    for (int p = 0; p < K3 * BLOB; p++) {
        pts[p * d] = xy[2 * p];
        pts[p * d + 1] = xy[2 * p + 1];
        /* Extra dimensions: small and varied, so PCA sees mostly the first two. */
        for (size_t j = 2; j < d; j++)
            pts[p * d + j] = 0.05 * sin(1.7 * p + (double)j) + 0.3 * (p / BLOB) * (j == 2);
    }
    ekm_error err;
    assert_int_equal(
        ekm_dataset_from_points(d == 2 ? "blobs" : "blobs4d", K3 * BLOB, d, pts, NULL, &f->ds,
                                &err),
        EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(f->ds, EKM_METRIC_EUCLIDEAN, &f->dm, &err), EKM_OK);
    for (int c = 0; c < K3; c++)
        f->medoids[c] = (uint32_t)(c * BLOB + 4);
    free(pts);
}

static inline void fixture_free(fixture *f)
{
    ekm_dissim_release(f->dm);
    ekm_dataset_release(f->ds);
}

/* Check a clusters picture: every point's colour, every medoid's outline, margins.
 * xy: the plotted coordinates of each point; cl: each point's cluster. */
static inline void check_scatter_pixels(const SDL_Surface *s, const plot_info *info,
                                        const double *xy, const int *cl, size_t n,
                                        const uint32_t *medoids, unsigned k)
{
    int checked[8] = {0};
    double r = info->marker_radius, R = info->medoid_radius, ow = info->medoid_outline;
    assert_true(r >= 2 && R > r && ow >= 2 && ow < R);
    for (size_t p = 0; p < n; p++) {
        double px, py;
        predict(info, xy[2 * p], xy[2 * p + 1], &px, &py);
        /* Skip a point whose marker touches another's (drawn on top, maybe). */
        int crowded = 0;
        for (size_t q = 0; q < n && !crowded; q++) {
            if (q == p)
                continue;
            double qx, qy, lim = 2.2 * r + 1;
            predict(info, xy[2 * q], xy[2 * q + 1], &qx, &qy);
            for (unsigned j = 0; j < k; j++)
                if (medoids[j] == q)
                    lim = R + r + 1;
            crowded = hypot(px - qx, py - qy) < lim;
        }
        if (crowded)
            continue;
        plot_rgb got = pixel(s, (int)floor(px), (int)floor(py));
        if (color_dist(got, plot_palette((unsigned)cl[p])) > 3)
            fail_msg("point %zu of cluster %d at (%.1f, %.1f): colour %02x%02x%02x", p, cl[p], px,
                     py, got.r, got.g, got.b);
        checked[cl[p]]++;
    }
    for (unsigned j = 0; j < k; j++) {
        assert_true(checked[j] >= 5); /* most points of each cluster were checked */
        double px, py;
        uint32_t m = medoids[j];
        predict(info, xy[2 * m], xy[2 * m + 1], &px, &py);
        assert_true(color_dist(pixel(s, (int)floor(px), (int)floor(py)), plot_palette(j)) <= 3);
        /* The black outline, all around, at R - ow/2 from the centre. */
        for (int a = 0; a < 8; a++) {
            double ang = a * M_PI / 4, rr = R - ow / 2;
            plot_rgb got = pixel(s, (int)floor(px + rr * cos(ang)), (int)floor(py + rr * sin(ang)));
            if (color_dist(got, plot_medoid_outline_color()) > 40)
                fail_msg("medoid %u: no outline at angle %d: %02x%02x%02x", j, a * 45, got.r,
                         got.g, got.b);
        }
        /* Outside the marker: not black any more. */
        assert_true(color_dist(pixel(s, (int)floor(px + R + 2.5), (int)floor(py)),
                               plot_medoid_outline_color()) > 100);
    }
    /* Margins: labels and ticks on the left and below, a title above, a legend on the
     * right holding every cluster's colour. */
    const plot_transform *t = &info->transform;
    assert_true(count_ink(s, 0, (int)t->top, (int)t->left - 3, (int)t->bottom) > 200);
    assert_true(count_ink(s, (int)t->left, (int)t->bottom + 3, (int)t->right, s->h) > 200);
    assert_true(count_ink(s, 0, 0, s->w, (int)t->top - 3) > 200);
    for (unsigned j = 0; j < k; j++)
        assert_true(count_color(s, (int)t->right + 3, 0, s->w, s->h, plot_palette(j), 3) >= 4);
    /* The data area is most of the picture at this size. */
    assert_true(t->right - t->left > 0.5 * s->w);
    assert_true(t->bottom - t->top > 0.6 * s->h);
}

#endif
