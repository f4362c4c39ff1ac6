/* test_plot_window.c — the live plot window: open, draw, update live, keys, save,
 * close, reopen; and plot_window_follow, which the REPL and the dashboard use to
 * show a running job's best medoids so far. Needs a display
 * (tests/e2e/plot_window.sh runs it under xvfb-run); without one the display tests
 * skip, and the checks that asking for a window without a display is a clear error
 * (never a crash) still run. */
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

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ekm-test-plotwin-XXXXXX");
    if (!mkdtemp(tmpdir) || !getcwd(olddir, sizeof olddir))
        return -1;
    return chdir(tmpdir); /* the s key writes ekm-plot-N.png into the current directory */
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    if (chdir(olddir) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static double now(void)
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

static void push_key(SDL_Keycode key)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = key;
    assert_int_equal(SDL_PushEvent(&ev), 1); /* thread-safe: a user pressing a key */
}

static plot_rgb pixel(const SDL_Surface *s, int x, int y)
{
    Uint32 v; /* memcpy: no alignment assumed of the row */
    memcpy(&v, (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * sizeof v, sizeof v);
    return (plot_rgb){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
}

static int color_dist(plot_rgb a, plot_rgb b)
{
    int d = abs(a.r - b.r), e = abs(a.g - b.g), f = abs(a.b - b.b);
    return d > e ? (d > f ? d : f) : (e > f ? e : f);
}

static SDL_Surface *load_png(const char *path)
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
static void check_medoids(const SDL_Surface *s, const plot_info *info, const double *xy,
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
static void check_not_medoids(const SDL_Surface *s, const plot_info *info, const double *xy,
                              const uint32_t *points, unsigned n)
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
static void check_drawn_medoids(const plot_window_state *st, const uint32_t *med, unsigned k)
{
    assert_int_equal(st->k, k);
    for (unsigned j = 0; j < k; j++)
        assert_int_equal(st->medoids[j], med[j]);
}

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

static void require_display(void)
{
    char err[PLOT_ERR_MAX];
    if (plot_window_available(err, sizeof err) != 0) {
        print_message("skipping: %s\n", err);
        skip();
    }
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
    plot_series se = {"seq", xs, ys, 4, PLOT_FIT_POWER, 0, 0, 1e-6, 3};
    plot_curves_input ci = {0};
    ci.series = &se;
    ci.n_series = 1;
    if (plot_window_update_curves(win, &ci, err, sizeof err) != 0)
        fail_msg("%s", err);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CURVES && st.info.transform.xlog == 0 &&
                          st.info.marker_radius > 0 && st.info.medoid_radius == 0);
    push_key(SDLK_l);
    WAIT_FOR(win, st, st.log_axes == 1 && st.info.transform.xlog == 1);
    push_key(SDLK_TAB);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CLUSTERS && st.info.medoid_radius > 0);
    assert_int_equal(plot_window_show(win, PLOT_VIEW_SPEEDUP, err, sizeof err), -1);
    assert_non_null(strstr(err, "speedup"));
    assert_int_equal(plot_window_show(win, PLOT_VIEW_CURVES, err, sizeof err), 0);
    WAIT_FOR(win, st, st.view == PLOT_VIEW_CURVES && st.info.transform.xlog == 1);

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
    plot_series ss = {"par1", T, S, 3, 0, 0, 0, 0, 0};
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

/* ---- plot_window_follow: a real job's best medoids so far ---- */

/* n points in the unit square from a fixed linear congruential sequence. */
static void make_uniform(double *xy, size_t n)
{
    uint64_t x = 12345;
    for (size_t i = 0; i < 2 * n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        xy[i] = (double)(x >> 11) / 9007199254740992.0;
    }
}

static ekm_job *start_seq(ekm_dissim *dm, unsigned k)
{
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = k;
    opt.strategy = EKM_STRATEGY_SEQ;
    opt.threads = 1;
    ekm_job *job = NULL;
    ekm_error e;
    if (ekm_job_start(dm, &opt, &job, &e) != EKM_OK)
        fail_msg("cannot start the job: %s", e.message);
    return job;
}

/* Call follow (as a UI loop does) until it pushes, at most 10 s. */
static void follow_until_pushed(plot_window *win, plot_follow *f, ekm_job *job,
                                const ekm_dissim *dm)
{
    char err[PLOT_ERR_MAX] = "";
    double t0 = now();
    int rc;
    while ((rc = plot_window_follow(win, f, job, dm, err, sizeof err)) == 0) {
        if (now() - t0 > 10)
            fail_msg("plot_window_follow pushed nothing in 10 s");
        usleep(20000);
    }
    if (rc < 0)
        fail_msg("plot_window_follow: %s", err);
}

/* Wait until the window has drawn everything pushed so far. */
static void wait_drawn(plot_window *win, plot_window_state *st)
{
    plot_window_get_state(win, st);
    unsigned long version = st->version;
    WAIT_FOR(win, *st, st->drawn_version >= version);
}

static void test_follow_running_job(void **state)
{
    (void)state;
    require_display();
    enum { NJ = 1200, KJ = 3 };
    double *xy = malloc(2 * NJ * sizeof *xy);
    assert_non_null(xy);
    make_uniform(xy, NJ);
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    assert_int_equal(ekm_dataset_from_points("follow", NJ, 2, xy, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);

    plot_window *win = NULL;
    char err[PLOT_ERR_MAX] = "";
    if (plot_window_open(&win, "ekm follow", 640, 480, err, sizeof err) != 0)
        fail_msg("%s", err);
    /* The user looks at another picture: following must not take them away. */
    double xs[] = {10, 20, 40}, ys[] = {0.01, 0.08, 0.6};
    plot_series se = {"seq", xs, ys, 3, 0, 0, 0, 0, 0};
    plot_curves_input ci = {0};
    ci.series = &se;
    ci.n_series = 1;
    if (plot_window_update_curves(win, &ci, err, sizeof err) != 0)
        fail_msg("%s", err);

    /* A job of C(1200, 3) K-subsets on one thread: seconds even in a release build. */
    ekm_job *job = start_seq(dm, KJ);
    plot_follow f;
    plot_follow_reset(&f);
    follow_until_pushed(win, &f, job, dm);
    assert_int_equal(f.k, KJ);
    assert_false(ekm_job_done(job));
    plot_window_state st;
    wait_drawn(win, &st);
    assert_int_equal(st.view, PLOT_VIEW_CURVES); /* still the user's picture */
    assert_int_equal(plot_window_show(win, PLOT_VIEW_CLUSTERS, err, sizeof err), 0);
    wait_drawn(win, &st);
    assert_int_equal(st.view, PLOT_VIEW_CLUSTERS);
    /* The picture drawn is the job's best so far: its medoids, an objective the job
     * has reached (it only improves), and a status that says it is running. */
    check_drawn_medoids(&st, f.medoids, KJ);
    double drawn_objective = ekm_dissim_objective(dm, f.medoids, KJ);
    assert_true(fabs(st.info.objective - drawn_objective) < 1e-9 * fmax(1, drawn_objective));
    assert_non_null(strstr(st.status, "running: the best medoids so far, after "));
    assert_non_null(strstr(st.status, "% of the K-subsets"));
    ekm_progress *p = malloc(sizeof *p);
    assert_non_null(p);
    ekm_job_progress(job, p);
    assert_true(p->has_best);
    assert_true(p->best <= drawn_objective * (1 + 1e-5));

    /* Same medoids within the second: nothing is pushed. After a second, the status
     * line (time, share done) is pushed again even if the medoids stayed. */
    char first_status[sizeof st.status];
    snprintf(first_status, sizeof first_status, "%s", st.status);
    unsigned long version = st.version;
    uint32_t before[EKM_MAX_K];
    memcpy(before, f.medoids, sizeof before);
    double pushed_at = f.pushed_elapsed;
    int rc = plot_window_follow(win, &f, job, dm, err, sizeof err);
    plot_window_get_state(win, &st);
    if (rc == 0) /* nothing new */
        assert_int_equal(st.version, version);
    else /* new medoids, or a second has passed (slow builds) */
        assert_true(rc == 1 && st.version > version &&
                    (memcmp(before, f.medoids, KJ * sizeof *before) != 0 ||
                     f.pushed_elapsed - pushed_at >= 1.0));
    /* Wait, on the job's own clock (the one follow compares), until a second has
     * passed since the push. */
    double waited = now();
    for (ekm_job_progress(job, p); p->elapsed - f.pushed_elapsed < 1.0; ekm_job_progress(job, p)) {
        if (now() - waited > 60)
            fail_msg("the job's clock did not advance by a second in 60 s");
        usleep(10000);
    }
    assert_false(ekm_job_done(job));
    assert_int_equal(plot_window_follow(win, &f, job, dm, err, sizeof err), 1);
    wait_drawn(win, &st);
    check_drawn_medoids(&st, f.medoids, KJ);
    assert_string_not_equal(st.status, first_status);

    /* Closing the window (the user's q) stops neither the caller nor the job. */
    push_key(SDLK_q);
    double t0 = now();
    while (plot_window_is_open(win) && now() - t0 < 10)
        usleep(10000);
    assert_false(plot_window_is_open(win));
    assert_int_equal(plot_window_follow(win, &f, job, dm, err, sizeof err), -1);
    assert_non_null(strstr(err, "closed"));
    ekm_job_progress(job, p);
    uint64_t done = p->done;
    waited = now();
    for (ekm_job_progress(job, p); p->done <= done; ekm_job_progress(job, p)) {
        if (now() - waited > 60)
            fail_msg("the job did not advance in 60 s after the window closed");
        usleep(10000);
    }
    assert_false(ekm_job_done(job));
    assert_int_equal(p->state, EKM_RUN_RUNNING);
    assert_true(p->done > done);
    plot_window_close(win);

    /* A new window follows the same job from scratch (the UI resets on open). */
    if (plot_window_open(&win, "ekm follow 2", 640, 480, err, sizeof err) != 0)
        fail_msg("%s", err);
    plot_follow_reset(&f);
    follow_until_pushed(win, &f, job, dm);
    wait_drawn(win, &st);
    assert_int_equal(st.view, PLOT_VIEW_CLUSTERS); /* nothing else to show: the clusters */
    check_drawn_medoids(&st, f.medoids, KJ);

    /* Cancelled: the job's last best medoids stay, with a status that says so. */
    ekm_job_cancel(job);
    ekm_job_wait(job);
    ekm_job_progress(job, p);
    assert_int_equal(p->state, EKM_RUN_CANCELLED);
    assert_int_equal(plot_window_follow(win, &f, job, dm, err, sizeof err), 1);
    wait_drawn(win, &st);
    check_drawn_medoids(&st, p->best_medoids, KJ);
    assert_non_null(strstr(st.status, "cancelled after "));
    assert_non_null(strstr(st.status, "not proven optimal"));
    version = st.version;
    assert_int_equal(plot_window_follow(win, &f, job, dm, err, sizeof err), 0); /* said once */
    plot_window_get_state(win, &st);
    assert_int_equal(st.version, version);
    ekm_job_destroy(job);

    /* Cancelled and already collected by the UI (no matrix at hand any more): the
     * medoids of the last push stay, the status changes. */
    job = start_seq(dm, KJ);
    plot_follow_reset(&f);
    follow_until_pushed(win, &f, job, dm);
    uint32_t pushed[EKM_MAX_K];
    memcpy(pushed, f.medoids, sizeof pushed);
    ekm_job_cancel(job);
    ekm_job_wait(job);
    assert_int_equal(plot_window_follow(win, &f, job, NULL, err, sizeof err), 1);
    wait_drawn(win, &st);
    check_drawn_medoids(&st, pushed, KJ);
    assert_non_null(strstr(st.status, "cancelled after "));
    ekm_job_destroy(job);

    /* Finished: nothing pushed; the caller shows the result (f.k 0 says so). */
    ekm_dataset *small_ds = NULL;
    ekm_dissim *small_dm = NULL;
    assert_int_equal(ekm_dataset_from_points("small", 30, 2, xy, NULL, &small_ds, NULL),
                     EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(small_ds, EKM_METRIC_EUCLIDEAN, &small_dm, NULL),
                     EKM_OK);
    job = start_seq(small_dm, 2);
    plot_follow_reset(&f);
    ekm_job_wait(job);
    plot_window_get_state(win, &st);
    version = st.version;
    assert_int_equal(plot_window_follow(win, &f, job, small_dm, err, sizeof err), 0);
    assert_int_equal(f.k, 0);
    assert_int_equal(f.ended, 1);
    plot_window_get_state(win, &st);
    assert_int_equal(st.version, version);
    ekm_job_destroy(job);

    /* A job on a matrix without points: one clear error, then silence. */
    enum { NM = 800 };
    double *m = malloc((size_t)NM * NM * sizeof *m);
    assert_non_null(m);
    for (int i = 0; i < NM; i++)
        for (int j = 0; j < NM; j++)
            m[i * NM + j] = fabs(xy[2 * i] - xy[2 * j]);
    ekm_dissim *matrix = NULL;
    assert_int_equal(ekm_dissim_from_matrix("matrix", NM, m, &matrix, NULL), EKM_OK);
    job = start_seq(matrix, KJ); /* C(800, 3) K-subsets: it runs for a while */
    plot_follow_reset(&f);
    t0 = now();
    while ((rc = plot_window_follow(win, &f, job, matrix, err, sizeof err)) == 0 &&
           now() - t0 < 10)
        usleep(1000);
    assert_false(ekm_job_done(job));
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "no points"));
    assert_int_equal(plot_window_follow(win, &f, job, matrix, err, sizeof err), 0);
    ekm_job_destroy(job); /* cancels it */
    ekm_dissim_release(matrix);
    free(m);

    plot_window_close(win);
    free(p);
    ekm_dissim_release(small_dm);
    ekm_dataset_release(small_ds);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
    free(xy);
}

/* The window's X window destroyed by another client (as a misbehaving window manager
 * or a script could): the window thread's next drawing gets an X protocol error.
 * Xlib's default handler would print it and exit; the window reports it, goes on,
 * closes without hanging, and the next window opens. The other client here is the
 * test's own X connection (libX11 looked up at run time, like the window does). */
static void test_x_error_is_reported_not_fatal(void **state)
{
    (void)state;
    require_display();
    void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!x11) {
        print_message("skipping: no libX11 (%s)\n", dlerror());
        skip();
    }
    Display *(*open_display)(const char *);
    int (*close_display)(Display *), (*sync)(Display *, Bool), (*destroy)(Display *, Window);
    int (*fetch_name)(Display *, Window, char **), (*xfree)(void *);
    Status (*query_tree)(Display *, Window, Window *, Window *, Window **, unsigned *);
    Window (*default_root)(Display *);
    *(void **)&open_display = dlsym(x11, "XOpenDisplay");
    *(void **)&close_display = dlsym(x11, "XCloseDisplay");
    *(void **)&sync = dlsym(x11, "XSync");
    *(void **)&destroy = dlsym(x11, "XDestroyWindow");
    *(void **)&fetch_name = dlsym(x11, "XFetchName");
    *(void **)&xfree = dlsym(x11, "XFree");
    *(void **)&query_tree = dlsym(x11, "XQueryTree");
    *(void **)&default_root = dlsym(x11, "XDefaultRootWindow");
    assert_true(open_display && close_display && sync && destroy && fetch_name && xfree &&
                query_tree && default_root);
    Display *d = open_display(NULL);
    if (!d) {
        print_message("skipping: not an X display\n");
        dlclose(x11);
        skip();
    }

    static const char title[] = "ekm x error test";
    plot_window *win = NULL;
    char err[PLOT_ERR_MAX] = "";
    if (plot_window_open(&win, title, 400, 300, err, sizeof err) != 0)
        fail_msg("%s", err);
    double xs[] = {10, 20, 40}, ys[] = {0.01, 0.08, 0.6};
    plot_series se = {"seq", xs, ys, 3, 0, 0, 0, 0, 0};
    plot_curves_input ci = {0};
    ci.series = &se;
    ci.n_series = 1;
    assert_int_equal(plot_window_update_curves(win, &ci, err, sizeof err), 0);
    plot_window_state st;
    wait_drawn(win, &st);
    assert_int_equal(st.x_errors, 0);
    assert_int_equal(plot_window_take_note(win, err, sizeof err), 0);

    /* Find the window by its title among the root's children, and destroy it. */
    Window root_ret, parent, *kids = NULL, target = 0;
    unsigned nkids = 0;
    assert_true(query_tree(d, default_root(d), &root_ret, &parent, &kids, &nkids));
    for (unsigned i = 0; i < nkids && !target; i++) {
        char *name = NULL;
        if (fetch_name(d, kids[i], &name) && name) {
            if (!strcmp(name, title))
                target = kids[i];
            xfree(name);
        }
    }
    if (kids)
        xfree(kids);
    assert_true(target != 0);
    destroy(d, target);
    sync(d, False);

    /* Its next pictures draw into a window that is gone. */
    double t0 = now();
    for (;;) {
        ys[2] += 0.1;
        assert_int_equal(plot_window_update_curves(win, &ci, err, sizeof err), 0);
        plot_window_get_state(win, &st);
        if (st.x_errors > 0)
            break;
        if (now() - t0 > 20)
            fail_msg("no X error reported in 20 s");
        usleep(20000);
    }
    assert_non_null(strstr(st.x_error, "X error ignored: Bad"));
    assert_int_equal(st.x_lost, 0);
    assert_int_equal(plot_window_take_note(win, err, sizeof err), 1);
    assert_non_null(strstr(err, "plot window: X error ignored: Bad"));
    assert_int_equal(plot_window_take_note(win, err, sizeof err), 0); /* said once */
    plot_window_close(win); /* returns: the teardown's own errors are ignored too */

    /* The next window opens and draws as usual. */
    win = NULL;
    if (plot_window_open(&win, "ekm after the error", 400, 300, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(plot_window_update_curves(win, &ci, err, sizeof err), 0);
    wait_drawn(win, &st);
    assert_true(st.frames > 0);
    assert_int_equal(st.x_errors, 0);
    plot_window_close(win);
    close_display(d);
    dlclose(x11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_display_is_an_error),
        cmocka_unit_test(test_window_draw_update_save_close),
        cmocka_unit_test(test_follow_running_job),
        cmocka_unit_test(test_x_error_is_reported_not_fatal),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
