/* test_plot_curves.c — the runtime curves (linear, log), the speedup plot,
 * concurrent drawings that agree. */
#include "test_plot.h"

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

static double bound_fn(const plot_series *se, double t) { return fmin(t, 2.5 + 0 * se->n); }

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
        {"seq", cN, cA, 5, PLOT_FIT_LINEAR | PLOT_FIT_POWER, 1.7e-4, -0.004, 1e-6, 2.0, 0},
        {"fused", cN, cB, 5, PLOT_FIT_LINEAR, 1e-4, 0.03, 0, 0, 0},
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
    plot_series neg = {"neg", cN, bad_y, 5, 0, 0, 0, 0, 0, 0};
    in.series = &neg;
    in.n_series = 1;
    in.log_axes = 1;
    SDL_Surface *s = NULL;
    plot_info info;
    assert_int_equal(plot_curves_render(&in, 800, 600, &s, &info, NULL, 0), 0);
    assert_true(info.transform.ymin > 0 && info.transform.ymin < 0.001);
    SDL_FreeSurface(s);
}

static double amdahl_fn(const plot_series *s, double x) { (void)s; return ekm_amdahl(0.9, x); }
static double gustafson_fn(const plot_series *s, double x)
{
    (void)s;
    return ekm_gustafson(0.9, x);
}

static void test_speedup(void **state)
{
    (void)state;
    assert_true(fabs(ekm_amdahl(0.9, 16) - 6.4) < 1e-12);
    assert_true(fabs(ekm_gustafson(0.9, 16) - 14.5) < 1e-12);
    assert_true(fabs(ekm_amdahl(0.5, 1) - 1) < 1e-15);
    double T[] = {1, 2, 4, 8, 16}, S[] = {1, 1.5, 2.2, 2.9, 3.3};
    plot_series se = {"par1", T, S, 5, 0, 0, 0, 0, 0, 0};
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
        predict(&info, 16, ekm_amdahl(0.9, 16), &ax, &ay);
        predict(&info, 16, ekm_gustafson(0.9, 16), &gx, &gy);
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
    /* The plan's bound, min(T, 2.5), dotted in the series' colour: about a third of
     * the samples along it land on a dot; none without a bound. */
    for (int with = 0; with < 2; with++) {
        se.bound = with ? 2.5 : 0;
        plot_info info;
        assert_int_equal(plot_speedup_render(&in, 800, 600, &s, &info, err, sizeof err), 0);
        double hits = line_hits(s, &info, &se, bound_fn, plot_palette(0), 40);
        if (with ? hits < 0.2 : hits > 0.1)
            fail_msg("bound %g: %.2f of the samples on it", se.bound, hits);
        SDL_FreeSurface(s);
    }
}

/* Every series one point at the same N: a bar per series, in its colour, as high as
 * its time (not a column of dots). */
static void test_single_n_is_a_bar_chart(void **state)
{
    (void)state;
    double n[] = {150}, t[3][1] = {{1.0}, {0.6}, {0.3}};
    plot_series se[3] = {
        {.name = "seq, 1 thread", .x = n, .y = t[0], .n = 1},
        {.name = "par1, 2 threads", .x = n, .y = t[1], .n = 1},
        {.name = "fused, 2 threads", .x = n, .y = t[2], .n = 1},
    };
    plot_curves_input in = {0};
    in.series = se;
    in.n_series = 3;
    SDL_Surface *s = NULL;
    plot_info info;
    char err[PLOT_ERR_MAX] = "";
    if (plot_curves_render(&in, 800, 600, &s, &info, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(info.transform.xmin <= 0.5 && info.transform.xmax >= 3.5);
    assert_true(info.transform.ymin <= 0);
    for (int i = 0; i < 3; i++) {
        double px, py, qx, qy;
        /* inside the bar: half its height; above it: the background */
        assert_int_equal(plot_transform_apply(&info.transform, i + 1, t[i][0] / 2, &px, &py), 0);
        assert_true(color_near(s, px, py, plot_palette((unsigned)i), 10));
        assert_int_equal(plot_transform_apply(&info.transform, i + 1.2, t[i][0] * 1.15 + 0.05,
                                              &qx, &qy), 0);
        assert_false(color_near(s, qx, qy, plot_palette((unsigned)i), 10));
    }
    SDL_FreeSurface(s);
    /* two N: curves again, no bars */
    double n2[] = {100, 150}, t2[] = {0.4, 1.0};
    se[0] = (plot_series){.name = "seq, 1 thread", .x = n2, .y = t2, .n = 2};
    assert_int_equal(plot_curves_render(&in, 800, 600, &s, &info, err, sizeof err), 0);
    assert_true(info.transform.xmax >= 150);
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
        cmocka_unit_test(test_curves_linear_and_log),
        cmocka_unit_test(test_speedup),
        cmocka_unit_test(test_single_n_is_a_bar_chart),
        cmocka_unit_test(test_concurrent_drawings_agree),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
