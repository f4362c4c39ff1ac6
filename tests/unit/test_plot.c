/* test_plot.c — the offscreen pictures, checked pixel by pixel.
 *
 * Each picture is saved as PNG in a temporary folder, loaded back with IMG_Load,
 * and its pixels are compared with what the plot's own transform (plot_info)
 * predicts: every point's centre pixel has its cluster's colour, every medoid has
 * its black outline where the transform puts it, the margins hold labels and ticks,
 * curves run along the predicted lines in linear and log axes. No display needed. */
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
#define PLOT_INTERNAL /* the marker and number tests use the module's own primitives */
#include "plot/plot.h"

/* ------------------------------------------------------------------ helpers */

static char tmpdir[256];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ekm-test-plot-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_file(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

/* Load a PNG as ARGB8888 (the caller frees it). */
static SDL_Surface *load_png(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

static plot_rgb pixel(const SDL_Surface *s, int x, int y)
{
    assert_true(x >= 0 && y >= 0 && x < s->w && y < s->h);
    Uint32 v; /* memcpy: no alignment assumed of the row */
    memcpy(&v, (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * sizeof v, sizeof v);
    return (plot_rgb){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
}

static int color_dist(plot_rgb a, plot_rgb b)
{
    int d = abs(a.r - b.r), e = abs(a.g - b.g), f = abs(a.b - b.b);
    return d > e ? (d > f ? d : f) : (e > f ? e : f);
}

static int is_white(plot_rgb c) { return c.r == 255 && c.g == 255 && c.b == 255; }

/* 1 when a pixel of colour col (within tol) is in the 3×3 block around (x, y). */
static int color_near(const SDL_Surface *s, double x, double y, plot_rgb col, int tol)
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
static long count_ink(const SDL_Surface *s, int x0, int y0, int x1, int y1)
{
    long n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < s->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < s->w; x++)
            n += !is_white(pixel(s, x, y));
    return n;
}

static long count_color(const SDL_Surface *s, int x0, int y0, int x1, int y1, plot_rgb col,
                        int tol)
{
    long n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < s->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < s->w; x++)
            n += color_dist(pixel(s, x, y), col) <= tol;
    return n;
}

static void predict(const plot_info *info, double x, double y, double *px, double *py)
{
    assert_int_equal(plot_transform_apply(&info->transform, x, y, px, py), 0);
}

/* Three separated blobs of 2-D points: 9 per cluster on a 3×3 grid, the centre of
 * each grid is point 4 of its blob (the natural medoid). */
enum { BLOB = 9, K3 = 3 };
static const double centres2[K3][2] = {{0, 0}, {10, 0}, {5, 8}};

static void blob_points(double *xy)
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

static void fixture_make(fixture *f, size_t d)
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

static void fixture_free(fixture *f)
{
    ekm_dissim_release(f->dm);
    ekm_dataset_release(f->ds);
}

/* Check a clusters picture: every point's colour, every medoid's outline, margins.
 * xy: the plotted coordinates of each point; cl: each point's cluster. */
static void check_scatter_pixels(const SDL_Surface *s, const plot_info *info, const double *xy,
                                 const int *cl, size_t n, const uint32_t *medoids, unsigned k)
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

/* ------------------------------------------------------------------ tests */

static void test_palette_and_markers(void **state)
{
    (void)state;
    for (unsigned i = 0; i < PLOT_PALETTE_SIZE; i++) {
        for (unsigned j = i + 1; j < PLOT_PALETTE_SIZE; j++)
            assert_true(color_dist(plot_palette(i), plot_palette(j)) > 40);
        assert_true(color_dist(plot_palette(i), plot_background_color()) > 10);
        assert_true(color_dist(plot_palette(i), plot_medoid_outline_color()) > 100);
        assert_int_equal(plot_cluster_marker(i), PLOT_MARKER_CIRCLE);
    }
    /* Beyond 8 clusters the colours repeat with another shape: (colour, shape) unique. */
    for (unsigned i = 0; i < 64; i++)
        for (unsigned j = i + 1; j < 64; j++)
            assert_false(color_dist(plot_palette(i), plot_palette(j)) == 0 &&
                         plot_cluster_marker(i) == plot_cluster_marker(j));
    assert_int_equal(plot_cluster_marker(8), PLOT_MARKER_SQUARE);
    assert_int_not_equal(plot_series_marker(0), plot_series_marker(1));
}

static void test_transform(void **state)
{
    (void)state;
    plot_transform t = {100, 50, 700, 450, 0, 10, -1, 1, 0, 0};
    double x, y;
    assert_int_equal(plot_transform_apply(&t, 0, -1, &x, &y), 0);
    assert_true(x == 100 && y == 450);
    assert_int_equal(plot_transform_apply(&t, 5, 0, &x, &y), 0);
    assert_true(x == 400 && y == 250);
    t = (plot_transform){0, 0, 300, 300, 1, 1000, 1, 100, 1, 1};
    assert_int_equal(plot_transform_apply(&t, 10, 10, &x, &y), 0);
    assert_true(fabs(x - 100) < 1e-9 && fabs(y - 150) < 1e-9);
    assert_int_equal(plot_transform_apply(&t, 0, 10, &x, &y), -1);
    assert_int_equal(plot_transform_apply(&t, 10, -1, &x, &y), -1);
    assert_int_equal(plot_transform_apply(&t, NAN, 1, &x, &y), -1);
}

/* A live run: only medoids, the assignment computed with the dissimilarity matrix. */
static void test_scatter_2d_from_medoids(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 2);
    double xy[K3 * BLOB * 2];
    int cl[K3 * BLOB];
    blob_points(xy);
    for (int p = 0; p < K3 * BLOB; p++)
        cl[p] = p / BLOB;
    static const int sizes[][2] = {{800, 600}, {1280, 800}};
    for (int i = 0; i < 2; i++) {
        plot_scatter_input in;
        plot_scatter_input_init(&in);
        in.ds = f.ds;
        in.dm = f.dm;
        in.medoids = f.medoids;
        in.k = K3;
        in.strategy = "seq";
        in.status = "running";
        plot_info info;
        char err[PLOT_ERR_MAX] = "";
        const char *path = tmp_file("scatter2d.png");
        if (plot_scatter_png(&in, sizes[i][0], sizes[i][1], path, &info, err, sizeof err) != 0)
            fail_msg("%s", err);
        SDL_Surface *s = load_png(path);
        assert_int_equal(s->w, sizes[i][0]);
        assert_int_equal(s->h, sizes[i][1]);
        assert_int_equal(info.width, sizes[i][0]);
        assert_int_equal(info.projected, 0);
        assert_string_equal(info.xlabel, "x1");
        assert_string_equal(info.ylabel, "x2");
        assert_true(fabs(info.objective - ekm_dissim_objective(f.dm, f.medoids, K3)) < 1e-9);
        /* The transform covers the data. */
        assert_true(info.transform.xmin < -1.2 && info.transform.xmax > 11.2);
        assert_true(info.transform.ymin < -1.2 && info.transform.ymax > 9.2);
        check_scatter_pixels(s, &info, xy, cl, K3 * BLOB, f.medoids, K3);
        SDL_FreeSurface(s);
    }
    fixture_free(&f);
}

/* A finished result: the given assignment is drawn as given (here deliberately not
 * the nearest medoid), sizes and costs come from the input. */
static void test_scatter_given_assignment(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 2);
    double xy[K3 * BLOB * 2];
    int cl[K3 * BLOB];
    int32_t cluster[K3 * BLOB];
    blob_points(xy);
    for (int p = 0; p < K3 * BLOB; p++) {
        cl[p] = p / BLOB;
        if (p == 0 || p == 2) /* two corner points of blob 0 given to cluster 2 */
            cl[p] = 2;
        cluster[p] = cl[p];
    }
    uint32_t size[K3] = {7, 9, 11};
    double cost[K3] = {1.5, 2.5, 30.25};
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = f.ds;
    in.medoids = f.medoids;
    in.k = K3;
    in.cluster = cluster;
    in.cluster_size = size;
    in.cluster_cost = cost;
    in.metric = "euclidean";
    plot_info info;
    char err[PLOT_ERR_MAX] = "";
    const char *path = tmp_file("given.png");
    if (plot_scatter_png(&in, 800, 600, path, &info, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(fabs(info.objective - 34.25) < 1e-12); /* the sum of the given costs */
    SDL_Surface *s = load_png(path);
    check_scatter_pixels(s, &info, xy, cl, K3 * BLOB, f.medoids, K3);
    SDL_FreeSurface(s);
    fixture_free(&f);
}

/* D = 4: the points are drawn on their first two principal components. */
static void test_scatter_4d_goes_through_pca(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 4);
    ekm_pca *pca = NULL;
    assert_int_equal(ekm_pca_of_dataset(f.ds, &pca, NULL), EKM_OK);
    int cl[K3 * BLOB];
    for (int p = 0; p < K3 * BLOB; p++)
        cl[p] = p / BLOB;
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = f.ds;
    in.dm = f.dm;
    in.medoids = f.medoids;
    in.k = K3;
    plot_info info;
    char err[PLOT_ERR_MAX] = "", want[96];
    const char *path = tmp_file("scatter4d.png");
    if (plot_scatter_png(&in, 800, 600, path, &info, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(info.projected, 1);
    assert_true(fabs(info.explained[0] - pca->explained[0]) < 1e-12);
    assert_true(info.explained[0] > 0.5 && info.explained[0] + info.explained[1] > 0.95);
    snprintf(want, sizeof want, "PC1 (%.1f %%)", 100 * pca->explained[0]);
    assert_string_equal(info.xlabel, want);
    snprintf(want, sizeof want, "PC2 (%.1f %%)", 100 * pca->explained[1]);
    assert_string_equal(info.ylabel, want);
    SDL_Surface *s = load_png(path);
    check_scatter_pixels(s, &info, pca->proj, cl, K3 * BLOB, f.medoids, K3);
    SDL_FreeSurface(s);
    ekm_pca_destroy(pca);
    fixture_free(&f);
}

static void test_scatter_many_clusters(void **state)
{
    (void)state;
    enum { K = 12, PER = 4 };
    double pts[K * PER * 2];
    for (int c = 0; c < K; c++)
        for (int i = 0; i < PER; i++) {
            pts[(c * PER + i) * 2] = (c % 4) * 10 + (i % 2) * 2;
            pts[(c * PER + i) * 2 + 1] = (c / 4) * 10 + (i / 2) * 2;
        }
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    assert_int_equal(ekm_dataset_from_points("grid", K * PER, 2, pts, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_MANHATTAN, &dm, NULL), EKM_OK);
    uint32_t med[K];
    for (int c = 0; c < K; c++)
        med[c] = (uint32_t)(c * PER);
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = ds;
    in.dm = dm;
    in.medoids = med;
    in.k = K;
    SDL_Surface *s = NULL;
    plot_info info;
    char err[PLOT_ERR_MAX] = "";
    if (plot_scatter_render(&in, 1280, 800, &s, &info, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_ARGB8888);
    /* Every point's centre has its cluster's colour: colours repeat after 8. */
    for (int p = 0; p < K * PER; p++) {
        double px, py;
        predict(&info, pts[2 * p], pts[2 * p + 1], &px, &py);
        assert_true(color_dist(pixel(s, (int)floor(px), (int)floor(py)),
                               plot_palette((unsigned)(p / PER))) <= 3);
    }
    assert_true(color_dist(plot_palette(9), plot_palette(1)) == 0);
    SDL_FreeSurface(s);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
}

/* D = 1: the values along x, each cluster on its own row (y = cluster number). */
static void test_scatter_1d(void **state)
{
    (void)state;
    const double v[] = {0, 1, 2, 10, 11, 12, 20, 21};
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    assert_int_equal(ekm_dataset_from_points("line", 8, 1, v, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    const uint32_t med[3] = {1, 4, 7};
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = ds;
    in.dm = dm;
    in.medoids = med;
    in.k = 3;
    SDL_Surface *s = NULL;
    plot_info info;
    char err[PLOT_ERR_MAX] = "";
    if (plot_scatter_render(&in, 800, 600, &s, &info, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(info.xlabel, "x1");
    assert_string_equal(info.ylabel, "cluster");
    const int cl[8] = {0, 0, 0, 1, 1, 1, 2, 2};
    for (int p = 0; p < 8; p++) {
        double px, py;
        predict(&info, v[p], cl[p] + 1, &px, &py);
        assert_true(color_dist(pixel(s, (int)floor(px), (int)floor(py)), plot_palette(cl[p])) <=
                    3);
    }
    SDL_FreeSurface(s);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
}

/* The marker shapes, drawn large with the module's own primitives: probe points
 * inside one shape and outside another. */
static void test_marker_shapes(void **state)
{
    (void)state;
    plot__ctx c;
    char err[PLOT_ERR_MAX] = "";
    if (plot__begin(&c, 240, 160, err, sizeof err) != 0)
        fail_msg("%s", err);
    const double r = 20, cx = 120.5, cy = 80.5;
    const plot_rgb fill = {0x00, 0x72, 0xB2}, edge = {0, 0, 0};
    struct probe {
        plot_marker m;
        double x, y; /* in units of r */
        int inside;
    } probes[] = {
        {PLOT_MARKER_CIRCLE, 0.95, 0, 1},        {PLOT_MARKER_CIRCLE, 0.8, 0.8, 0},
        {PLOT_MARKER_SQUARE, 0.8, 0.8, 1},       {PLOT_MARKER_SQUARE, 0.97, 0, 0},
        {PLOT_MARKER_TRIANGLE_UP, 0, -1.2, 1},   {PLOT_MARKER_TRIANGLE_UP, 0, 0.85, 0},
        {PLOT_MARKER_TRIANGLE_DOWN, 0, 1.2, 1},  {PLOT_MARKER_TRIANGLE_DOWN, 0, -0.85, 0},
        {PLOT_MARKER_DIAMOND, 1.1, 0, 1},        {PLOT_MARKER_DIAMOND, 0.7, 0.7, 0},
        {PLOT_MARKER_PLUS, 1.0, 0, 1},           {PLOT_MARKER_PLUS, 0.7, 0.7, 0},
        {PLOT_MARKER_CROSS, 0.75, 0.75, 1},      {PLOT_MARKER_CROSS, 1.0, 0, 0},
        {PLOT_MARKER_HEXAGON, 0, 1.02, 1},       {PLOT_MARKER_HEXAGON, 1.02, 0, 0},
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        plot__fill_rect(&c, 0, 0, c.w, c.h, plot_background_color());
        plot__marker(&c, probes[i].m, cx, cy, r, fill, edge, 2);
        plot_rgb centre = pixel(c.s, (int)cx, (int)cy);
        plot_rgb probe = pixel(c.s, (int)floor(cx + probes[i].x * r),
                               (int)floor(cy + probes[i].y * r));
        assert_true(color_dist(centre, fill) == 0);
        if (probes[i].inside != !is_white(probe))
            fail_msg("marker %d probe (%.2f, %.2f): expected %s", (int)probes[i].m, probes[i].x,
                     probes[i].y, probes[i].inside ? "ink" : "white");
        /* Nothing beyond 1.8 r. */
        assert_true(is_white(pixel(c.s, (int)(cx + 1.8 * r), (int)cy)));
        assert_true(is_white(pixel(c.s, (int)cx, (int)(cy - 1.8 * r))));
    }
    plot__abort(&c);
}

static void test_number_format(void **state)
{
    (void)state;
    char buf[64];
    plot__fmt_num(97.20462, 6, buf, sizeof buf);
    assert_string_equal(buf, "97.2046");
    plot__fmt_num(0.001234, 3, buf, sizeof buf);
    assert_string_equal(buf, "0.00123");
    plot__fmt_num(9.91e6, 3, buf, sizeof buf);
    assert_string_equal(buf, "9.91\xC3\x97" "10^{6}");
    plot__fmt_num(-1.5e-7, 2, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92" "1.5\xC3\x97" "10^{\xE2\x88\x92" "7}");
    plot__fmt_num(9.9996, 3, buf, sizeof buf); /* rounding carries to the next digit */
    assert_string_equal(buf, "10.0");
    plot__fmt_num(0, 3, buf, sizeof buf);
    assert_string_equal(buf, "0");
}

static void test_scatter_errors(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 2);
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = f.ds;
    in.medoids = f.medoids;
    in.k = K3;
    char err[PLOT_ERR_MAX] = "";
    SDL_Surface *s = (SDL_Surface *)&s;
    /* No assignment and no matrix to compute one. */
    assert_int_equal(plot_scatter_render(&in, 800, 600, &s, NULL, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "no cluster assignment"));
    assert_null(strchr(err, '\n'));
    in.dm = f.dm;
    uint32_t bad[K3] = {0, 1, 999};
    in.medoids = bad;
    assert_int_equal(plot_scatter_render(&in, 800, 600, &s, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "999"));
    in.medoids = f.medoids;
    assert_int_equal(plot_scatter_render(&in, 100, 80, &s, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "size"));
    int32_t cluster[K3 * BLOB] = {0};
    cluster[5] = 7;
    in.cluster = cluster;
    assert_int_equal(plot_scatter_render(&in, 800, 600, &s, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "cluster 7"));
    in.cluster = NULL;
    /* An unwritable path: an error, no crash, no file. */
    const char *path = "/nonexistent-dir/x.png";
    assert_int_equal(plot_scatter_png(&in, 800, 600, path, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write"));
    assert_int_not_equal(access(path, F_OK), 0);
    /* NULL error buffers are fine. */
    assert_int_equal(plot_scatter_png(&in, 800, 600, path, NULL, NULL, 0), -1);
    fixture_free(&f);
}

/* Runtime curves: measured points, fitted lines, in linear and log axes. */
static const double cN[] = {10, 20, 40, 80, 160};
static double cA[5], cB[5];

static double fit_lin(const plot_series *s, double x) { return s->lin_a * x + s->lin_b; }
static double fit_pow(const plot_series *s, double x) { return s->pow_c * pow(x, s->pow_p); }

/* Fraction of samples of f over the data area whose pixel has the colour col. */
static double line_hits(const SDL_Surface *s, const plot_info *info, const plot_series *se,
                        double (*f)(const plot_series *, double), plot_rgb col, int tol)
{
    const plot_transform *t = &info->transform;
    int n = 0, hit = 0;
    for (int i = 1; i < 200; i++) {
        double a = i / 200.0, x;
        if (t->xlog)
            x = pow(10, log10(t->xmin) + a * (log10(t->xmax) - log10(t->xmin)));
        else
            x = t->xmin + a * (t->xmax - t->xmin);
        double px, py;
        if (plot_transform_apply(t, x, f(se, x), &px, &py) != 0)
            continue;
        if (px < t->left + 3 || px > t->right - 3 || py < t->top + 3 || py > t->bottom - 3)
            continue;
        n++;
        hit += color_near(s, px, py, col, tol);
    }
    assert_true(n >= 20);
    return (double)hit / n;
}

static void check_markers(const SDL_Surface *s, const plot_info *info, const plot_series *se,
                          unsigned idx)
{
    for (size_t j = 0; j < se->n; j++) {
        double px, py;
        predict(info, se->x[j], se->y[j], &px, &py);
        plot_rgb got = pixel(s, (int)floor(px), (int)floor(py));
        if (color_dist(got, plot_palette(idx)) > 3)
            fail_msg("series %u point %zu: %02x%02x%02x", idx, j, got.r, got.g, got.b);
    }
}

static void test_curves_linear_and_log(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        cA[i] = 1e-6 * cN[i] * cN[i];
        cB[i] = 1e-4 * cN[i] + 0.03;
    }
    plot_series se[2] = {
        {"seq", cN, cA, 5, PLOT_FIT_LINEAR | PLOT_FIT_POWER, 1.7e-4, -0.004, 1e-6, 2.0},
        {"fused", cN, cB, 5, PLOT_FIT_LINEAR, 1e-4, 0.03, 0, 0},
    };
    plot_curves_input in = {0};
    in.series = se;
    in.n_series = 2;
    in.subtitle = "K = 3";
    for (int lg = 0; lg < 2; lg++) {
        in.log_axes = lg;
        plot_info info;
        char err[PLOT_ERR_MAX] = "";
        const char *path = tmp_file(lg ? "curves_log.png" : "curves_lin.png");
        if (plot_curves_png(&in, 900, 600, path, &info, err, sizeof err) != 0)
            fail_msg("%s", err);
        SDL_Surface *s = load_png(path);
        assert_int_equal(s->w, 900);
        assert_int_equal(s->h, 600);
        assert_int_equal(info.transform.xlog, lg);
        assert_int_equal(info.transform.ylog, lg);
        assert_string_equal(info.xlabel, "N (points)");
        assert_string_equal(info.ylabel, "time (s)");
        check_markers(s, &info, &se[0], 0);
        check_markers(s, &info, &se[1], 1);
        /* The fitted lines run where the equations put them (dashes: not every sample). */
        double h_lin = line_hits(s, &info, &se[0], fit_lin, plot_palette(0), 60);
        double h_pow = line_hits(s, &info, &se[0], fit_pow, plot_palette(0), 60);
        double h_b = line_hits(s, &info, &se[1], fit_lin, plot_palette(1), 60);
        if (h_lin < 0.45 || h_pow < 0.45 || h_b < 0.9)
            fail_msg("log=%d: linear fit %.2f, power fit %.2f, exact fit %.2f of samples", lg,
                     h_lin, h_pow, h_b);
        /* Another series' colour is not along them. */
        assert_true(line_hits(s, &info, &se[0], fit_pow, plot_palette(1), 30) < 0.05);
        /* Ticks and labels in the margins, both series in the legend. */
        const plot_transform *t = &info.transform;
        assert_true(count_ink(s, 0, (int)t->top, (int)t->left - 3, (int)t->bottom) > 200);
        assert_true(count_ink(s, (int)t->left, (int)t->bottom + 3, (int)t->right, s->h) > 200);
        assert_true(count_color(s, (int)t->right + 3, 0, s->w, s->h, plot_palette(0), 3) > 4);
        assert_true(count_color(s, (int)t->right + 3, 0, s->w, s->h, plot_palette(1), 3) > 4);
        SDL_FreeSurface(s);
    }
    /* Log axes leave out values <= 0 instead of failing. */
    double bad_y[5] = {0, -1, 0.001, 0.01, 0.1};
    plot_series neg = {"neg", cN, bad_y, 5, 0, 0, 0, 0, 0};
    in.series = &neg;
    in.n_series = 1;
    in.log_axes = 1;
    SDL_Surface *s = NULL;
    plot_info info;
    assert_int_equal(plot_curves_render(&in, 800, 600, &s, &info, NULL, 0), 0);
    assert_true(info.transform.ymin > 0 && info.transform.ymin < 0.001);
    SDL_FreeSurface(s);
}

static double amdahl_fn(const plot_series *s, double x) { (void)s; return plot_amdahl(0.9, x); }
static double gustafson_fn(const plot_series *s, double x)
{
    (void)s;
    return plot_gustafson(0.9, x);
}

static void test_speedup(void **state)
{
    (void)state;
    assert_true(fabs(plot_amdahl(0.9, 16) - 6.4) < 1e-12);
    assert_true(fabs(plot_gustafson(0.9, 16) - 14.5) < 1e-12);
    assert_true(fabs(plot_amdahl(0.5, 1) - 1) < 1e-15);
    double T[] = {1, 2, 4, 8, 16}, S[] = {1, 1.5, 2.2, 2.9, 3.3};
    plot_series se = {"par1", T, S, 5, 0, 0, 0, 0, 0};
    plot_speedup_input in = {0};
    in.series = &se;
    in.n_series = 1;
    in.parallel_fraction = 0.9;
    in.max_threads = 16;
    for (int lg = 0; lg < 2; lg++) {
        in.log_axes = lg;
        plot_info info;
        char err[PLOT_ERR_MAX] = "";
        const char *path = tmp_file("speedup.png");
        if (plot_speedup_png(&in, 800, 600, path, &info, err, sizeof err) != 0)
            fail_msg("%s", err);
        SDL_Surface *s = load_png(path);
        check_markers(s, &info, &se, 0);
        /* The y axis reaches Gustafson at 16 threads. */
        assert_true(info.transform.ymax >= 14.5);
        double ha = line_hits(s, &info, &se, amdahl_fn, plot_model_color(), 60);
        double hg = line_hits(s, &info, &se, gustafson_fn, plot_model_color(), 60);
        if (ha < 0.45 || hg < 0.45)
            fail_msg("log=%d: Amdahl %.2f, Gustafson %.2f of samples", lg, ha, hg);
        /* Far apart at 16 threads, as the models say. */
        double ax, ay, gx, gy;
        predict(&info, 16, plot_amdahl(0.9, 16), &ax, &ay);
        predict(&info, 16, plot_gustafson(0.9, 16), &gx, &gy);
        assert_true(ay - gy > 50);
        SDL_FreeSurface(s);
    }
    char err[PLOT_ERR_MAX] = "";
    SDL_Surface *s = NULL;
    in.parallel_fraction = 1.5;
    assert_int_equal(plot_speedup_render(&in, 800, 600, &s, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "parallel fraction"));
    in.parallel_fraction = NAN; /* no models: still a picture */
    assert_int_equal(plot_speedup_render(&in, 800, 600, &s, NULL, err, sizeof err), 0);
    SDL_FreeSurface(s);
}

/* Drawing from two threads at once gives the same pixels as drawing alone. */
typedef struct job_arg {
    const plot_scatter_input *in;
    SDL_Surface *out;
    int rc;
} job_arg;

static void *render_job(void *p)
{
    job_arg *a = p;
    a->rc = plot_scatter_render(a->in, 640, 480, &a->out, NULL, NULL, 0);
    return NULL;
}

static int same_pixels(const SDL_Surface *a, const SDL_Surface *b)
{
    if (a->w != b->w || a->h != b->h)
        return 0;
    for (int y = 0; y < a->h; y++)
        if (memcmp((const Uint8 *)a->pixels + (size_t)y * a->pitch,
                   (const Uint8 *)b->pixels + (size_t)y * b->pitch, (size_t)a->w * 4) != 0)
            return 0;
    return 1;
}

static void test_concurrent_drawings_agree(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 4);
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = f.ds;
    in.dm = f.dm;
    in.medoids = f.medoids;
    in.k = K3;
    job_arg alone = {&in, NULL, -1}, a = {&in, NULL, -1}, b = {&in, NULL, -1};
    render_job(&alone);
    assert_int_equal(alone.rc, 0);
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, render_job, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, render_job, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.rc, 0);
    assert_int_equal(b.rc, 0);
    assert_true(same_pixels(alone.out, a.out));
    assert_true(same_pixels(alone.out, b.out));
    SDL_FreeSurface(alone.out);
    SDL_FreeSurface(a.out);
    SDL_FreeSurface(b.out);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette_and_markers),
        cmocka_unit_test(test_transform),
        cmocka_unit_test(test_scatter_2d_from_medoids),
        cmocka_unit_test(test_scatter_given_assignment),
        cmocka_unit_test(test_scatter_4d_goes_through_pca),
        cmocka_unit_test(test_scatter_many_clusters),
        cmocka_unit_test(test_scatter_1d),
        cmocka_unit_test(test_marker_shapes),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_scatter_errors),
        cmocka_unit_test(test_curves_linear_and_log),
        cmocka_unit_test(test_speedup),
        cmocka_unit_test(test_concurrent_drawings_agree),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
