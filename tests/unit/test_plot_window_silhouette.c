/* test_plot_window_silhouette.c — the silhouette view of the live window: given
 * behind the clusters (show 0) it waits for Tab, then shows bars where its
 * transform puts them; given with show 1 it comes to the front; a closed
 * window refuses it. Needs a display (tests/e2e/plot_window.sh). */
#include "test_plot_window.h"

#include "plot/plot_silhouette.h"

enum { N = 24, K = 3 };

static void test_silhouette_view(void **state)
{
    (void)state;
    require_display();
    double xy[2 * N];
    for (int i = 0; i < N; i++) {
        xy[2 * i] = (i % 3) * 10 + (i % 5) * 0.3;
        xy[2 * i + 1] = (i % 3) * 5 + (i % 7) * 0.2;
    }
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    assert_int_equal(ekm_dataset_from_points("sil", N, 2, xy, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    plot_window *win = NULL;
    char err[PLOT_ERR_MAX] = "";
    if (plot_window_open(&win, "ekm silhouette", 640, 480, err, sizeof err) != 0)
        fail_msg("%s", err);
    const uint32_t med[K] = {0, 1, 2};
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = ds;
    in.dm = dm;
    in.medoids = med;
    in.k = K;
    if (plot_window_update_clusters(win, &in, err, sizeof err) != 0)
        fail_msg("%s", err);
    plot_window_state st;
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CLUSTERS && st.drawn_version == st.version);

    /* widths: cluster i % 3, all 0.5 except one negative bar in cluster 3 */
    int32_t cluster[N];
    double width[N];
    for (int i = 0; i < N; i++) {
        cluster[i] = i % 3;
        width[i] = i == 5 ? -0.25 : 0.5;
    }
    plot_silhouette_input si = {"sil", "euclidean", N, K, cluster, width, 0, 0, 0};
    if (plot_window_update_silhouette(win, &si, 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    WAIT_FOR(win, st, st.drawn_version == st.version);
    assert_int_equal(st.view, PLOT_VIEW_CLUSTERS); /* it waits behind the clusters */
    push_key(SDLK_TAB);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_SILHOUETTE && st.drawn_version == st.version &&
                          st.info.transform.xmin < 0);
    char saved[1024];
    if (plot_window_save(win, "sil.png", saved, sizeof saved, err, sizeof err) != 0)
        fail_msg("%s", err);
    plot_window_get_state(win, &st);
    SDL_Surface *s = load_png("sil.png");
    /* the first bar (cluster 1, slot 0) at half its width, in cluster 1's colour */
    double slots = N + (K - 1) * 1.0, px, py;
    const plot_transform *t = &st.info.transform;
    assert_int_equal(plot_transform_apply(t, 0.25, slots - 0.5, &px, &py), 0);
    assert_true(color_dist(pixel(s, (int)floor(px), (int)floor(py)), plot_palette(0)) <= 3);
    /* the last bar (cluster 3, the negative one, at the bottom) left of 0 */
    assert_int_equal(plot_transform_apply(t, -0.125, 0.5, &px, &py), 0);
    assert_true(color_dist(pixel(s, (int)floor(px), (int)floor(py)), plot_palette(2)) <= 3);
    SDL_FreeSurface(s);

    /* back to the clusters, then a new silhouette with show 1 comes to the front */
    assert_int_equal(plot_window_show(win, PLOT_VIEW_CLUSTERS, err, sizeof err), 0);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CLUSTERS);
    width[5] = 0.1;
    if (plot_window_update_silhouette(win, &si, 1, err, sizeof err) != 0)
        fail_msg("%s", err);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_SILHOUETTE && st.drawn_version == st.version &&
                          st.info.transform.xmin >= 0);

    push_key(SDLK_q);
    double t0 = now();
    while (plot_window_is_open(win) && now() - t0 < 10)
        usleep(10000);
    assert_false(plot_window_is_open(win));
    assert_int_equal(plot_window_update_silhouette(win, &si, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "closed"));
    plot_window_close(win);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silhouette_view),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
