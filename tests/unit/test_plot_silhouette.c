/* test_plot_silhouette.c — the silhouette picture: every bar where the
 * picture's own transform puts it (clusters one under the other, sorted by
 * width within each, negative widths to the left of 0), in its cluster's
 * colour and no longer than its width; bad input refused; the sweep picture
 * written, and refused with no finished K. */
#include "test_plot.h"

#include "common/sweep.h"
#include "plot/plot_silhouette.h"
#include "plot/plot_sweep.h"

static void bars_where_the_transform_says(void **state)
{
    (void)state;
    const int32_t cluster[7] = {1, 0, 1, 0, 1, 0, 1};
    const double width[7] = {0.1, 0.9, -0.3, 0.5, 0.6, 0.2, 0.35};
    plot_silhouette_input in = {"t", "euclidean", 7, 2, cluster, width, 0, 0, 0};
    plot_info info;
    const char *path = tmp_file("sil.png");
    assert_int_equal(plot_silhouette_png(&in, 800, 500, path, &info, NULL, 0), 0);
    SDL_Surface *s = load_png(path);
    assert_non_null(s);
    /* sorted: cluster 1 (0.9 0.5 0.2), a gap, cluster 2 (0.6 0.35 0.1 -0.3) */
    const double order[7] = {0.9, 0.5, 0.2, 0.6, 0.35, 0.1, -0.3};
    const int slot[7] = {0, 1, 2, 4, 5, 6, 7};
    const double slots = 8;
    for (int b = 0; b < 7; b++) {
        plot_rgb col = plot_palette(b < 3 ? 0 : 1);
        double y = slots - slot[b] - 0.5, px, py, ex, ey;
        predict(&info, order[b] / 2, y, &px, &py);
        if (color_dist(pixel(s, (int)floor(px), (int)floor(py)), col) > 3)
            fail_msg("bar %d: not its cluster's colour in its middle", b);
        /* past its end (0.05 further out): not the bar's colour */
        double beyond = order[b] + (order[b] >= 0 ? 0.05 : -0.05);
        predict(&info, beyond, y, &ex, &ey);
        if (color_dist(pixel(s, (int)floor(ex), (int)floor(ey)), col) <= 3)
            fail_msg("bar %d runs past its width %g", b, order[b]);
    }
    /* the gap between the clusters holds no bar */
    double gx, gy;
    predict(&info, 0.1, slots - 3 - 0.5, &gx, &gy);
    plot_rgb g = pixel(s, (int)floor(gx), (int)floor(gy));
    assert_true(color_dist(g, plot_palette(0)) > 3 && color_dist(g, plot_palette(1)) > 3);
    SDL_FreeSurface(s);
}

static void bad_input_refused(void **state)
{
    (void)state;
    const int32_t cluster[3] = {0, 2, 1};
    const double width[3] = {0, 0, 0};
    plot_silhouette_input in = {"t", NULL, 3, 2, cluster, width, 0, 0, 0};
    char err[PLOT_ERR_MAX] = "";
    SDL_Surface *out = NULL;
    assert_int_equal(plot_silhouette_render(&in, 640, 400, &out, NULL, err, sizeof err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "point 1"));
    in.n = 0;
    assert_int_equal(plot_silhouette_render(&in, 640, 400, &out, NULL, err, sizeof err), -1);
    /* K = 1: not defined, drawn with zero bars and said in the subtitle */
    const int32_t one[3] = {0, 0, 0};
    const double nan3[3] = {NAN, NAN, NAN};
    plot_silhouette_input k1 = {"t", NULL, 3, 1, one, nan3, 0, 0, 0};
    assert_int_equal(plot_silhouette_render(&k1, 640, 400, &out, NULL, err, sizeof err), 0);
    SDL_FreeSurface(out);
}

static void sweep_picture(void **state)
{
    (void)state;
    sweep sw;
    sweep_init(&sw, 2, 4);
    char err[PLOT_ERR_MAX] = "";
    const char *path = tmp_file("sweep.png");
    assert_int_equal(plot_sweep_png(&sw, "t", "euclidean", 800, 600, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "no K finished"));
    const double obj[3] = {10, 6, 5}, sil[3] = {0.5, 0.7, 0.4};
    for (int i = 0; i < 3; i++) {
        sw.runs[i].done = 1;
        sw.runs[i].exact = 1;
        sw.runs[i].objective = obj[i];
        sw.runs[i].silhouette = sil[i];
    }
    assert_int_equal(sweep_suggested_k(&sw), 3);
    assert_int_equal(sweep_elbow_k(&sw), 3);
    assert_int_equal(plot_sweep_png(&sw, "t", "euclidean", 800, 600, path, err, sizeof err), 0);
    SDL_Surface *s = load_png(path);
    assert_non_null(s);
    assert_int_equal(s->w, 800);
    assert_int_equal(s->h, 600);
    SDL_FreeSurface(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bars_where_the_transform_says),
        cmocka_unit_test(bad_input_refused),
        cmocka_unit_test(sweep_picture),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
