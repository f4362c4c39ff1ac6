/* test_plot_window_draw.c — the plot window: no display is an error; draw,
 * update, save, close. */
#include "test_plot_window.h"

/* Without a display: a one-line error, no thread, no crash. */
static void test_no_display_is_an_error(void **state)
{
    (void)state;
    char *disp = getenv("DISPLAY") ? strdup(getenv("DISPLAY")) : NULL;
    char *wl = getenv("WAYLAND_DISPLAY") ? strdup(getenv("WAYLAND_DISPLAY")) : NULL;
    char *drv = getenv("SDL_VIDEODRIVER") ? strdup(getenv("SDL_VIDEODRIVER")) : NULL;
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    unsetenv("SDL_VIDEODRIVER");
    char err[PLOT_ERR_MAX] = "";
    plot_window *win = (plot_window *)&win;
    assert_int_equal(plot_window_available(err, sizeof err), -1);
    assert_int_equal(plot_window_open(&win, "t", 400, 300, err, sizeof err), -1);
    assert_null(win);
    assert_non_null(strstr(err, "DISPLAY"));
    assert_null(strchr(err, '\n'));
    /* A display, but a driver that draws nowhere. */
    setenv("DISPLAY", ":99", 1);
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    assert_int_equal(plot_window_open(&win, "t", 400, 300, err, sizeof err), -1);
    assert_non_null(strstr(err, "offscreen"));
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    assert_int_equal(plot_window_available(err, sizeof err), -1);
    assert_non_null(strstr(err, "dummy"));
    /* Calls on no window are errors too. */
    assert_int_equal(plot_window_is_open(NULL), 0);
    assert_int_equal(plot_window_save(NULL, NULL, NULL, 0, err, sizeof err), -1);
    plot_window_close(NULL);
    unsetenv("DISPLAY");
    unsetenv("SDL_VIDEODRIVER");
    if (disp)
        setenv("DISPLAY", disp, 1);
    if (wl)
        setenv("WAYLAND_DISPLAY", wl, 1);
    if (drv)
        setenv("SDL_VIDEODRIVER", drv, 1);
    free(disp);
    free(wl);
    free(drv);
}

enum { N = 24, K = 3 };

static void make_points(double *xy)
{
    static const double c[K][2] = {{0, 0}, {10, 1}, {4, 9}};
    for (int p = 0; p < N; p++) {
        int b = p / 8, i = p % 8;
        xy[2 * p] = c[b][0] + (i % 3 - 1) * 1.3;
        xy[2 * p + 1] = c[b][1] + (i / 3 - 1) * 1.3;
    }
}

static void test_window_draw_update_save_close(void **state)
{
    (void)state;
    require_display();
    double xy[2 * N];
    make_points(xy);
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    assert_int_equal(ekm_dataset_from_points("live", N, 2, xy, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);

    plot_window *win = NULL;
    char err[PLOT_ERR_MAX] = "";
    if (plot_window_open(&win, "ekm test", 640, 480, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(plot_window_is_open(win));
    /* One window at a time. */
    plot_window *second = NULL;
    assert_int_equal(plot_window_open(&second, "again", 400, 300, err, sizeof err), -1);
    assert_non_null(strstr(err, "already open"));

    /* A live run: first medoids only. The caller's copies may go away at once. */
    uint32_t *med = malloc(K * sizeof *med);
    med[0] = 1;
    med[1] = 9;
    med[2] = 17;
    plot_scatter_input in;
    plot_scatter_input_init(&in);
    in.ds = ds;
    in.dm = dm;
    in.medoids = med;
    in.k = K;
    in.status = "running";
    if (plot_window_update_clusters(win, &in, err, sizeof err) != 0)
        fail_msg("%s", err);
    free(med);
    plot_window_state st;
    WAIT_FOR(win, st, st.frames > 0 && st.info.medoid_radius > 0);
    assert_int_equal(st.view, PLOT_VIEW_CLUSTERS);
    WAIT_FOR(win, st, st.drawn_version == st.version);
    const uint32_t first[K] = {1, 9, 17};
    check_drawn_medoids(&st, first, K);
    assert_string_equal(st.status, "running");

    char saved[1024];
    if (plot_window_save(win, "first.png", saved, sizeof saved, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(saved, "first.png");
    plot_window_get_state(win, &st);
    SDL_Surface *s = load_png("first.png");
    assert_int_equal(s->w, st.width);
    assert_int_equal(s->h, st.height);
    assert_true(st.width >= 320 && st.height >= 240);
    check_medoids(s, &st.info, xy, first, K);
    const uint32_t not_yet[K] = {4, 12, 20};
    check_not_medoids(s, &st.info, xy, not_yet, K);
    SDL_FreeSurface(s);

    /* The job finds better medoids: the picture follows. */
    const uint32_t better[K] = {4, 12, 20};
    unsigned long frames = st.frames, version = st.version;
    if (plot_window_update_medoids(win, better, K, NAN, "best so far", err, sizeof err) != 0)
        fail_msg("%s", err);
    plot_window_get_state(win, &st);
    assert_true(st.version > version); /* the model changed at once, the picture follows */
    version = st.version;
    WAIT_FOR(win, st, st.frames > frames && st.drawn_version >= version);
    check_drawn_medoids(&st, better, K);
    assert_string_equal(st.status, "best so far");
    assert_true(fabs(st.info.objective - ekm_dissim_objective(dm, better, K)) < 1e-9);
    if (plot_window_save(win, "second.png", NULL, 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    plot_window_get_state(win, &st);
    s = load_png("second.png");
    check_medoids(s, &st.info, xy, better, K);
    check_not_medoids(s, &st.info, xy, first, K); /* set A is gone from the picture */
    SDL_FreeSurface(s);
    uint32_t wrong[K] = {0, 1, 99};
    assert_int_equal(plot_window_update_medoids(win, wrong, K, NAN, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a point"));

    /* Resized (as by the user): the picture is redrawn at the new size. */
    assert_int_equal(plot_window_resize(win, 100, 100, err, sizeof err), -1);
    assert_non_null(strstr(err, "320"));
    if (plot_window_resize(win, 820, 560, err, sizeof err) != 0)
        fail_msg("%s", err);
    WAIT_FOR(win, st, st.width == 820 && st.height == 560 && st.info.width == 820);
    if (plot_window_save(win, "resized.png", NULL, 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    plot_window_get_state(win, &st);
    s = load_png("resized.png");
    assert_int_equal(s->w, 820);
    assert_int_equal(s->h, 560);
    check_medoids(s, &st.info, xy, better, K);
    SDL_FreeSurface(s);

    /* The s key saves ekm-plot-N.png in the current directory and reports it once. */
    unsigned long saves = st.saves;
    push_key(SDLK_s);
    WAIT_FOR(win, st, st.saves > saves);
    char path[1024];
    assert_int_equal(plot_window_take_saved(win, path, sizeof path), 1);
    assert_string_equal(path, "ekm-plot-1.png");
    assert_int_equal(plot_window_take_saved(win, path, sizeof path), 0);
    s = load_png("ekm-plot-1.png");
    assert_int_equal(s->w, st.width);
    SDL_FreeSurface(s);
    if (plot_window_save(win, NULL, saved, sizeof saved, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(saved, "ekm-plot-2.png"); /* the next free name */

    /* Curves: a second picture; l toggles log axes; Tab goes back to the clusters. */
    double xs[] = {10, 20, 40, 80}, ys[] = {0.001, 0.008, 0.064, 0.512};
    plot_series se = {"seq", xs, ys, 4, PLOT_FIT_POWER, 0, 0, 1e-6, 3, 0};
    plot_curves_input ci = {0};
    ci.series = &se;
    ci.n_series = 1;
    if (plot_window_update_curves(win, &ci, err, sizeof err) != 0)
        fail_msg("%s", err);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CURVES && st.info.transform.xlog == 0 &&
                          st.info.marker_radius > 0 && st.info.medoid_radius == 0);
    push_key(SDLK_l);
    WAIT_FOR(win, st, st.log_axes == 1 && st.info.transform.xlog == 1);
    /* Tab visits every view in turn, those without a picture too (they say what
     * they wait for), and comes back to the clusters. */
    push_key(SDLK_TAB);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_SPEEDUP);
    push_key(SDLK_TAB);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_TIMELINE);
    push_key(SDLK_TAB);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CLUSTERS && st.info.medoid_radius > 0);
    assert_int_equal(plot_window_show(win, PLOT_VIEW_SPEEDUP, err, sizeof err), -1);
    assert_non_null(strstr(err, "speedup"));
    assert_int_equal(plot_window_show(win, PLOT_VIEW_CURVES, err, sizeof err), 0);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CURVES && st.info.transform.xlog == 1);

    /* A timeline: held without changing the view, shown on request, its bars where
     * the layout puts them (the transform spans the run's time and its threads). */
    timeline *tl = calloc(1, sizeof *tl);
    assert_non_null(tl);
    tl->strategy = EKM_STRATEGY_PAR1;
    tl->n_threads = 2;
    tl->now = 4;
    tl->n_bars = 3;
    tl->bar[0] = (timeline_bar){.stage = 0, .label = "L0", .thread = 0, .start = 0, .end = 1, .leaf = 1};
    tl->bar[1] = (timeline_bar){.stage = 1, .label = "L1", .thread = 1, .start = 0, .end = 1, .leaf = 1};
    tl->bar[2] = (timeline_bar){.stage = 2, .label = "M2", .thread = 0, .start = 1, .end = 4};
    plot_timeline_input ti;
    plot_timeline_input_init(&ti);
    ti.tl = tl;
    ti.subtitle = "u, N=40, K=3";
    if (plot_window_update_timeline(win, &ti, err, sizeof err) != 0)
        fail_msg("%s", err);
    free(tl); /* the window holds its own copy */
    assert_int_equal(plot_window_show(win, PLOT_VIEW_TIMELINE, err, sizeof err), 0);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_TIMELINE && st.info.transform.xmax == 4 &&
                          st.info.transform.ymax == 2);
    assert_string_equal(plot_view_name(PLOT_VIEW_TIMELINE), "timeline");
    ti.tl = NULL;
    assert_int_equal(plot_window_update_timeline(win, &ti, err, sizeof err), -1);

    /* q closes the window; the caller goes on and joins it. */
    push_key(SDLK_q);
    double t0 = now();
    while (plot_window_is_open(win) && now() - t0 < 10)
        usleep(10000);
    assert_false(plot_window_is_open(win));
    assert_int_equal(plot_window_update_medoids(win, better, K, NAN, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "closed"));
    assert_int_equal(plot_window_save(win, NULL, NULL, 0, err, sizeof err), -1);
    plot_window_close(win);

    /* Open again in the same process: a speedup picture, closed by the caller. */
    if (plot_window_open(&win, "ekm test 2", 500, 400, err, sizeof err) != 0)
        fail_msg("%s", err);
    double T[] = {1, 2, 4}, S[] = {1, 1.7, 2.6};
    plot_series ss = {"par1", T, S, 3, 0, 0, 0, 0, 0, 0};
    plot_speedup_input si = {0};
    si.series = &ss;
    si.n_series = 1;
    si.parallel_fraction = 0.8;
    if (plot_window_update_speedup(win, &si, err, sizeof err) != 0)
        fail_msg("%s", err);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_SPEEDUP && st.frames > 0 && st.info.width == 500);
    plot_window_close(win);

    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_display_is_an_error),
        cmocka_unit_test(test_window_draw_update_save_close),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
