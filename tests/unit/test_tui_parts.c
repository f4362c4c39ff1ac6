/* test_tui_parts.c — the dashboard's parts: grid text, bars, formats, meters,
 * ETA and estimates, the speedup history. */
#include "test_tui_render.h"

static void test_grid_text(void **state)
{
    (void)state;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 2, 10, 1), 0);
    assert_int_equal(tui_grid_put(&g, 0, 0, 20, TUI_ROLE_VALUE, "abcdefghijkl"), 10);
    char *t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "abcdefghi\u2026\n\n");
    free(t);
    t = tui_grid_to_text(&g, 1);
    assert_string_equal(t, "vvvvvvvvvv\n\n");
    free(t);
    /* a wide character becomes '?'; a malformed byte shows escaped, as on the
     * command line */
    tui_grid_clear(&g);
    assert_int_equal(tui_grid_put(&g, 1, 2, 8, TUI_ROLE_NORMAL, "\u00e9\u4e2d\xff" "a"), 7);
    t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "\n  \u00e9?\\xffa\n");
    free(t);
    /* a name or label that would retitle the window and clear the screen is shown,
     * never passed on: no control character reaches a cell */
    tui_grid_clear(&g);
    const char *evil = "\033]0;pwned\007\033[2J\xc2\x9bx";
    assert_int_equal(tui_text_width(evil), 30);
    assert_int_equal(tui_grid_put(&g, 0, 0, 10, TUI_ROLE_NORMAL, evil), 10);
    t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "\\x1b]0;pw\u2026\n\n");
    free(t);
    tui_grid_free(&g);
    assert_int_equal(tui_grid_init(&g, 1, 40, 1), 0);
    assert_int_equal(tui_grid_put(&g, 0, 0, 40, TUI_ROLE_NORMAL, evil), 30);
    t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "\\x1b]0;pwned\\x07\\x1b[2J\\u009bx\n");
    for (const char *q = t; *q; q++)
        assert_true(*q == '\n' || ((unsigned char)*q >= 0x20 && *q != 0x7f));
    free(t);
    tui_grid_free(&g);
    assert_int_equal(tui_grid_init(&g, 2, 10, 1), 0);
    assert_int_equal(tui_text_width("\u2500\u2500x"), 3);
    /* outside the grid: nothing written */
    assert_int_equal(tui_grid_put(&g, 5, 0, 10, TUI_ROLE_NORMAL, "x"), 0);
    assert_int_equal(tui_grid_put(&g, 0, 10, 10, TUI_ROLE_NORMAL, "x"), 0);
    assert_null(tui_grid_cell(&g, 2, 0));
    tui_grid_free(&g);
    /* an ASCII grid holds only ASCII */
    assert_int_equal(tui_grid_init(&g, 1, 10, 0), 0);
    tui_grid_put(&g, 0, 0, 10, TUI_ROLE_NORMAL, "\u00e9t\u00e9 long text");
    t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "?t? long ~\n");
    free(t);
    tui_grid_free(&g);
}

static void test_bars(void **state)
{
    (void)state;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 1, 10, 0), 0);
    tui_draw_bar(&g, 0, 0, 10, 0.999, TUI_ROLE_RUNNING); /* never rounded up to full */
    char *t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "#########.\n");
    free(t);
    assert_int_equal(role_at(&g, 0, 9), TUI_ROLE_DIM);
    tui_draw_bar(&g, 0, 0, 10, 1.0, TUI_ROLE_DONE);
    t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "##########\n");
    free(t);
    tui_draw_bar(&g, 0, 0, 10, NAN, TUI_ROLE_DONE);
    t = tui_grid_to_text(&g, 0);
    assert_string_equal(t, "..........\n");
    free(t);
    tui_grid_free(&g);
    assert_int_equal(tui_grid_init(&g, 1, 4, 1), 0);
    tui_draw_bar(&g, 0, 0, 4, 0.5 + 1.0 / 32, TUI_ROLE_RUNNING); /* 2 cells and an eighth */
    assert_int_equal(tui_grid_cell_const(&g, 0, 1)->ch, 0x2588);
    assert_int_equal(tui_grid_cell_const(&g, 0, 2)->ch, 0x258F);
    assert_int_equal(tui_grid_cell_const(&g, 0, 3)->ch, 0x00B7);
    tui_grid_free(&g);
}

static void test_formats(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(tui_fmt_compact(b, sizeof b, 950), "950");
    assert_string_equal(tui_fmt_compact(b, sizeof b, 1234), "1.23k");
    assert_string_equal(tui_fmt_compact(b, sizeof b, 23100000), "23.1M");
    assert_string_equal(tui_fmt_compact(b, sizeof b, 561375500), "561M");
    assert_string_equal(tui_fmt_compact(b, sizeof b, 999999), "1.00M");
    assert_string_equal(tui_fmt_seconds(b, sizeof b, 0.421), "0.42s");
    assert_string_equal(tui_fmt_seconds(b, sizeof b, 12.34), "12.3s");
    assert_string_equal(tui_fmt_seconds(b, sizeof b, 245), "4m05s");
    assert_string_equal(tui_fmt_seconds(b, sizeof b, 7380), "2h03m");
    assert_string_equal(tui_fmt_seconds(b, sizeof b, -1), "-");
    assert_string_equal(tui_fmt_ratio(b, sizeof b, 1.1573, 0), "1.16x");
    assert_string_equal(tui_fmt_ratio(b, sizeof b, 1.1573, 1), "1.16\u00d7");
    assert_string_equal(tui_fmt_ratio(b, sizeof b, 0, 1), "-");
    assert_string_equal(tui_fmt_ratio(b, sizeof b, 37.46, 0), "37.5x");
    assert_string_equal(tui_fmt_ratio(b, sizeof b, 374750, 0), "374750x");
    assert_string_equal(tui_fmt_basename(b, sizeof b, "/a/b/iris.csv"), "iris");
    assert_string_equal(tui_fmt_basename(b, sizeof b, "m.dat"), "m.dat");
    uint32_t med[3] = {1, 22, 333};
    assert_string_equal(tui_fmt_medoids(b, sizeof b, med, 3), "{1, 22, 333}");
    assert_string_equal(tui_fmt_medoids(b, 8, med, 3), "{1, 22");
}

/* Busy fractions over the last second from busy-seconds deltas, counting the
 * running part of a staged stage (credited by the engine only when it ends). */
static void test_meters(void **state)
{
    (void)state;
    tui_meters m;
    assert_int_equal(tui_meters_init(&m), 0);
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR1, 100, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->sum.state = EKM_RUN_RUNNING;
    /* t0 runs L0 from 0 s for the whole time; t1 ran L1 from 0 to 0.5 s, then idles. */
    for (int i = 0; i <= 20; i++) {
        double now = 0.1 * i;
        p->sum.elapsed = now;
        p->stages[0].state = EKM_RUN_RUNNING;
        p->stages[0].start = 0;
        p->thread[0] = (ekm_thread_progress){.stage = 0, .busy = 1, .busy_seconds = 0};
        if (now < 0.5) {
            p->stages[1].start = 0;
            p->thread[1] = (ekm_thread_progress){.stage = 1, .busy = 1, .busy_seconds = 0};
        } else {
            p->stages[1].end = 0.5;
            p->thread[1] = (ekm_thread_progress){.stage = -1, .busy = 0, .busy_seconds = 0.5};
        }
        tui_meters_add(&m, p);
        if (i == 0) { /* no time has passed: the busy flags */
            assert_true(tui_meters_fraction(&m, 0) == 1.0);
            assert_true(tui_meters_fraction(&m, 1) == 1.0);
        }
        if (i == 10) { /* the first second: t1 worked half of it */
            assert_true(fabs(tui_meters_fraction(&m, 0) - 1.0) < 1e-9);
            assert_true(fabs(tui_meters_fraction(&m, 1) - 0.5) < 1e-9);
        }
    }
    /* The last second (1.0 to 2.0 s): t0 all of it, t1 none. */
    assert_true(fabs(tui_meters_fraction(&m, 0) - 1.0) < 1e-9);
    assert_true(fabs(tui_meters_fraction(&m, 1)) < 1e-9);
    assert_true(fabs(tui_thread_busy_seconds(p, 0) - 2.0) < 1e-9);
    /* A new job (the clock goes back) starts over. */
    p->sum.elapsed = 0.05;
    p->thread[0].busy = 0;
    p->thread[0].stage = -1;
    tui_meters_add(&m, p);
    assert_int_equal(m.count, 1);
    assert_true(tui_meters_fraction(&m, 0) == 0.0);
    assert_true(tui_meters_fraction(&m, 7) == 0.0); /* no such thread */
    tui_meters_free(&m);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

/* The ETA follows the plan: par1's merge runs on one thread, so with the leaves
 * done its remaining work is not divided by the thread count. */
static void test_eta_and_estimates(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR1, 100, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->sum.state = EKM_RUN_RUNNING;
    p->sum.elapsed = 2.0;
    stage_set(p, 0, EKM_RUN_DONE, 0, 1.0, 0, 1.0);
    stage_set(p, 1, EKM_RUN_DONE, 1, 1.0, 0, 1.0);
    stage_set(p, 2, EKM_RUN_RUNNING, 0, 0, 1.0, -1);
    p->stages[2].done = 19600; /* one second of merge on t0 */
    sum_progress(p);
    p->thread[0] = (ekm_thread_progress){.stage = 2, .busy = 1, .busy_seconds = 1.0};
    p->thread[1] = (ekm_thread_progress){.stage = -1, .busy = 0, .busy_seconds = 1.0};
    /* busy: t0 1 s + 1 s running, t1 1 s = 3 thread-seconds for `done` subsets */
    double rate = (double)p->sum.done / 3.0;
    double merge_left = (double)(p->stages[2].spec.total - 19600);
    assert_true(fabs(tui_job_eta(p) - merge_left / rate) < 1e-6 * merge_left / rate);
    p->sum.state = EKM_RUN_DONE;
    assert_true(tui_job_eta(p) < 0);

    /* The estimate before a run: makespan × N / rate. */
    assert_true(fabs(tui_plan_estimate(plan, 1e9) - plan->makespan * 100 / 1e9) < 1e-12);
    ekm_plan *heur = build_plan(EKM_STRATEGY_PAM, 100, 3, 2, 0);
    assert_true(tui_plan_estimate(heur, 1e9) < 0);
    ekm_plan_free(heur);
    heur = build_plan(EKM_STRATEGY_PRUNED, 100, 3, 2, 0); /* bounds decide: unknown */
    assert_true(tui_plan_estimate(heur, 1e9) < 0);
    ekm_plan_free(heur);

    /* The rate comes from the newest exact run of half a second or more. */
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    assert_true(tui_eval_rate(&ws) == TUI_DEFAULT_EVAL_RATE); /* nothing evaluated */
    runs[1].evaluated = 1000000;
    double expect = 1e6 * 1500 / runs[1].predicted_speedup / runs[1].seconds;
    assert_true(fabs(tui_eval_rate(&ws) - expect) < 1e-6 * expect);
    runs[1].seconds = 0.1; /* too short to say much: the built-in figure */
    runs[0].evaluated = 0;
    assert_true(tui_eval_rate(&ws) == TUI_DEFAULT_EVAL_RATE);
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

static void test_history_speedup(void **state)
{
    (void)state;
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    assert_true(fabs(tui_history_speedup(&ws, &runs[1]) - 20.0 / 18.0) < 1e-12);
    assert_true(tui_history_speedup(&ws, &runs[0]) == 1.0);
    assert_true(tui_history_speedup(&ws, &runs[2]) == 0); /* cancelled */
    runs[1].k = 4; /* no seq run with K=4 */
    assert_true(tui_history_speedup(&ws, &runs[1]) == 0);
    release_workspace(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_text),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_meters),
        cmocka_unit_test(test_eta_and_estimates),
        cmocka_unit_test(test_history_speedup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
