/* test_plot_window_follow.c — the plot window following a running job, and an
 * X error reported, never fatal. */
#include "test_plot_window.h"

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
    plot_series se = {"seq", xs, ys, 3, 0, 0, 0, 0, 0, 0};
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
    uint32_t best[KJ];
    ekm_job_snapshot(job, p, NULL, 0, NULL, 0, best, KJ);
    assert_int_equal(p->state, EKM_RUN_CANCELLED);
    assert_int_equal(plot_window_follow(win, &f, job, dm, err, sizeof err), 1);
    wait_drawn(win, &st);
    check_drawn_medoids(&st, best, KJ);
    assert_non_null(strstr(st.status, "cancelled after "));
    assert_non_null(strstr(st.status, "not proven optimal"));
    version = st.version;
    assert_int_equal(plot_window_follow(win, &f, job, dm, err, sizeof err), 0); /* said once */
    plot_window_get_state(win, &st);
    assert_int_equal(st.version, version);
    ekm_job_free(job);

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
    ekm_job_free(job);

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
    ekm_job_free(job);

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
    ekm_job_free(job); /* cancels it */
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
    plot_series se = {"seq", xs, ys, 3, 0, 0, 0, 0, 0, 0};
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
            if (!strncmp(name, title, strlen(title))) /* the title goes on with the view */
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
        cmocka_unit_test(test_follow_running_job),
        cmocka_unit_test(test_x_error_is_reported_not_fatal),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
