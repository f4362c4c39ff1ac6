/* test_plot_scatter.c — the scatter plot: palette and markers, transform, 2-D,
 * given assignments, PCA, many clusters, 1-D, marker shapes, numbers, errors. */
#include "test_plot.h"

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
    ekm_pca_free(pca);
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
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
