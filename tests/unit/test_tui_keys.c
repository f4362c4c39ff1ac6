/* test_tui_keys.c — the dashboard's keys: settings changed, run, confirm and
 * cancel, run to the end, short runs marked, the help text. */
#include "test_tui_render.h"

/* ---- the keys, on a dashboard without a terminal ---- */

static void app_open(tui_app *a, workspace *ws)
{
    memset(a, 0, sizeof *a);
    a->ws = ws;
    a->snap = calloc(1, sizeof *a->snap);
    a->preview = calloc(1, sizeof *a->preview);
    assert_non_null(a->snap);
    assert_non_null(a->preview);
    assert_int_equal(tui_meters_init(&a->meters), 0);
}

static void app_close(tui_app *a)
{
    ekm_plan_free(a->preview_plan);
    tui_meters_free(&a->meters);
    free(a->snap);
    free(a->preview);
    free(a->help_text);
}

static void keys(tui_app *a, const char *typed)
{
    for (const char *k = typed; *k; k++)
        tui_app_key(a, *k == '\n' ? TUI_KEY_ENTER : (unsigned char)*k);
}

static void test_keys_change_settings(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    ws.settings.gen_n = 40;
    char err[512];
    assert_int_equal(workspace_generate(&ws, err, sizeof err), 0);
    ws.settings.solve.strategy = EKM_STRATEGY_SEQ;
    ws.settings.solve.threads = 2;
    ws.settings.solve.k = 3;
    tui_app a;
    app_open(&a, &ws);
    keys(&a, "ss");
    assert_int_equal(ws.settings.solve.strategy, EKM_STRATEGY_PAR1);
    assert_non_null(strstr(a.status, "strategy: par1, K=3, 3 stages on 2 threads, bound"));
    keys(&a, "S");
    assert_int_equal(ws.settings.solve.strategy, EKM_STRATEGY_SPLIT);
    keys(&a, "SS");
    assert_int_equal(ws.settings.solve.strategy, EKM_STRATEGY_ALTERNATE); /* wraps around */
    keys(&a, "s++-");
    assert_int_equal(ws.settings.solve.threads, 3);
    assert_non_null(strstr(a.status, "seq runs on one"));
    keys(&a, "kkK");
    assert_int_equal(ws.settings.solve.k, 4);
    ws.settings.solve.k = 1;
    keys(&a, "K");
    assert_int_equal(ws.settings.solve.k, 1);
    assert_true(a.status_error);
    /* partitions: a prompt, then the number */
    keys(&a, "p");
    assert_int_equal(a.input, TUI_INPUT_PARTITIONS);
    keys(&a, "8\n");
    assert_int_equal(a.input, TUI_INPUT_NONE);
    assert_int_equal(ws.settings.solve.partitions, 8);
    assert_non_null(strstr(a.status, "used by the tree strategy"));
    keys(&a, "p");
    tui_app_key(&a, TUI_KEY_BACKSPACE);
    keys(&a, "999\n");
    assert_true(a.status_error);
    assert_int_equal(ws.settings.solve.partitions, 8);
    /* load: a bad path says so; Esc gives up */
    keys(&a, "l/nonexistent/x.csv\n");
    assert_true(a.status_error);
    assert_non_null(strstr(a.status, "/nonexistent/x.csv"));
    keys(&a, "lsomething");
    tui_app_key(&a, TUI_KEY_ESCAPE);
    assert_int_equal(a.input, TUI_INPUT_NONE);
    assert_int_equal(ws.settings.solve.strategy, EKM_STRATEGY_SEQ); /* typed, not keys */
    /* g without a result, c without a job, ? and any key */
    keys(&a, "g");
    assert_non_null(strstr(a.status, "no result to plot yet"));
    keys(&a, "c");
    assert_non_null(strstr(a.status, "no job is running"));
    keys(&a, "?");
    assert_int_equal(a.help, 1);
    assert_non_null(a.help_text);
    tui_app_key(&a, TUI_KEY_DOWN);
    assert_int_equal(a.help_scroll, 1);
    keys(&a, "x");
    assert_int_equal(a.help, 0);
    assert_int_equal(a.quit, 0);
    keys(&a, "q");
    assert_int_equal(a.quit, 1);
    app_close(&a);
    workspace_free(&ws);
}

/* A plan estimated at over an hour asks first; n leaves it, y starts it. A run
 * then refuses setting changes until c cancels it; the end is reported. */
static void test_keys_run_confirm_cancel(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    ws.settings.gen_n = 3000;
    char err[512];
    assert_int_equal(workspace_generate(&ws, err, sizeof err), 0);
    ws.settings.solve.strategy = EKM_STRATEGY_PAR2;
    ws.settings.solve.threads = 2;
    ws.settings.solve.k = 5; /* C(3000,5): years */
    tui_app a;
    app_open(&a, &ws);
    keys(&a, "r");
    assert_int_equal(a.input, TUI_INPUT_CONFIRM);
    assert_non_null(strstr(a.prompt, "Start it? (y/n)"));
    keys(&a, "n");
    assert_int_equal(a.input, TUI_INPUT_NONE);
    assert_null(ws.job);
    assert_string_equal(a.status, "not started");
    keys(&a, "ry");
    assert_non_null(ws.job);
    assert_true(workspace_running(&ws) || ekm_job_done(ws.job));
    assert_non_null(strstr(a.status, "started par2: K=5, 7 stages on 2 threads"));
    if (workspace_running(&ws)) {
        keys(&a, "s");
        assert_int_equal(ws.settings.solve.strategy, EKM_STRATEGY_PAR2);
        assert_true(a.status_error);
        keys(&a, "r");
        assert_non_null(strstr(a.status, "a job is running"));
    }
    keys(&a, "c");
    assert_int_equal(workspace_wait(&ws, 10.0), 1);
    tui_app_collected(&a);
    assert_non_null(strstr(a.status, "par2 cancelled after"));
    assert_int_equal(ws.n_history, 1);
    assert_int_equal(ws.history[0].state, EKM_RUN_CANCELLED);
    /* pruned has no estimate: it starts without a question */
    ws.settings.solve.strategy = EKM_STRATEGY_PRUNED;
    keys(&a, "r");
    assert_int_equal(a.input, TUI_INPUT_NONE);
    assert_non_null(strstr(a.status, "started pruned: K=5"));
    keys(&a, "c");
    assert_int_equal(workspace_wait(&ws, 10.0), 1);
    tui_app_collected(&a);
    app_close(&a);
    workspace_free(&ws);
}

/* A short run is collected with its result and the hint about its length. */
static void test_keys_run_to_the_end(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    ws.settings.gen_n = 30;
    char err[512];
    assert_int_equal(workspace_generate(&ws, err, sizeof err), 0);
    ws.settings.solve.threads = 2;
    ws.settings.solve.k = 2;
    tui_app a;
    app_open(&a, &ws);
    keys(&a, "r");
    assert_int_equal(workspace_wait(&ws, 30.0), 1);
    tui_app_collected(&a);
    assert_non_null(strstr(a.status, "seq done in "));
    assert_non_null(strstr(a.status, "too short to time well (k raises K)"));
    /* The loop keeps the finished job's meters; a new job (which may get the old
     * one's address) must not inherit them. (The job's plan is the job's own,
     * ekm_job_plan: nothing to inherit.) */
    a.meters_of = ws.job;
    keys(&a, "ssr");
    assert_null(a.meters_of);
    assert_int_equal(workspace_wait(&ws, 30.0), 1);
    tui_app_collected(&a);
    assert_non_null(strstr(a.status, "par1 done in "));
    assert_non_null(strstr(a.status, " vs seq (bound 1."));
    assert_int_equal(ws.n_history, 2);
    app_close(&a);
    workspace_free(&ws);
}

/* q while a job runs asks first (n: it goes on; y: quit); Ctrl-C cancels the
 * job and keeps the dashboard, and with no job it is left to quit. */
static void test_quit_asks_and_ctrl_c_cancels(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    ws.settings.gen_n = 400;
    char err[512];
    assert_int_equal(workspace_generate(&ws, err, sizeof err), 0);
    ws.settings.solve.strategy = EKM_STRATEGY_PRUNED; /* no estimate, no question */
    ws.settings.solve.threads = 1;
    ws.settings.solve.k = 6;
    tui_app a;
    app_open(&a, &ws);
    assert_int_equal(tui_app_interrupt(&a), 0); /* nothing runs: Ctrl-C would quit */
    keys(&a, "r");
    assert_true(workspace_running(&ws));
    keys(&a, "q");
    assert_false(a.quit);
    assert_int_equal(a.input, TUI_INPUT_CONFIRM);
    assert_non_null(strstr(a.prompt, "A job is running. Quit anyway? (y/n)"));
    keys(&a, "n");
    assert_false(a.quit);
    assert_int_equal(a.input, TUI_INPUT_NONE);
    assert_true(workspace_running(&ws) || ws.job_dm); /* not cancelled by the question */
    /* Ctrl-C: the job is cancelled, the dashboard stays */
    if (workspace_running(&ws)) {
        assert_int_equal(tui_app_interrupt(&a), 1);
        assert_non_null(strstr(a.status, "Ctrl-C: cancelling the job"));
        assert_false(a.quit);
    }
    assert_int_equal(workspace_wait(&ws, 60.0), 1);
    tui_app_collected(&a);
    assert_int_equal(ws.n_history, 1);
    keys(&a, "q"); /* nothing runs: it quits at once */
    assert_true(a.quit);
    a.quit = 0;
    keys(&a, "r");
    keys(&a, "q");
    keys(&a, "y");
    assert_true(a.quit);
    workspace_cancel(&ws);
    assert_int_equal(workspace_wait(&ws, 60.0), 1);
    app_close(&a);
    workspace_free(&ws);
}

/* R: five runs, then their median (min-max) enters the history as one record. */
static void test_repeat_gives_a_median(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    ws.settings.gen_n = 30;
    char err[512];
    assert_int_equal(workspace_generate(&ws, err, sizeof err), 0);
    ws.settings.solve.threads = 1;
    ws.settings.solve.k = 2;
    tui_app a;
    app_open(&a, &ws);
    keys(&a, "R");
    assert_non_null(strstr(a.status, "run 1 of 5"));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(workspace_wait(&ws, 30.0), 1);
        tui_app_collected(&a);
    }
    assert_false(workspace_running(&ws));
    assert_int_equal(ws.n_history, 6);
    const run_record *m = &ws.history[5];
    assert_int_equal(m->runs, 5);
    assert_true(m->repeated);
    double t[5];
    for (int i = 0; i < 5; i++)
        t[i] = ws.history[i].seconds;
    /* the median: three of the five are <= it and three >= it */
    int le = 0, ge = 0;
    for (int i = 0; i < 5; i++) {
        le += t[i] <= m->seconds;
        ge += t[i] >= m->seconds;
        assert_true(m->seconds_min <= t[i] && t[i] <= m->seconds_max);
    }
    assert_true(le >= 3 && ge >= 3);
    assert_non_null(strstr(a.status, "seq, 5 runs: median "));
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 100, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    tui_render(&s, &g, NULL);
    assert_true(grid_has(&g, "median\u00d75"));
    tui_grid_free(&g);
    /* a cancelled run ends the repeat */
    keys(&a, "R");
    keys(&a, "c");
    assert_int_equal(workspace_wait(&ws, 30.0), 1);
    tui_app_collected(&a);
    assert_int_equal(a.repeat_total, 0);
    app_close(&a);
    workspace_free(&ws);
}

/* Runs too short to time well get a '~' and a dim speedup, with the reason on
 * the table's last row. */
static void test_short_runs_marked(void **state)
{
    (void)state;
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    runs[0].seconds = 0.05;
    runs[1].seconds = 0.045; /* 1.11x: within par1's bound 1.1425 */
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    tui_render(&s, &g, NULL);
    int r = find_row(&g, " par1 ", NULL);
    assert_true(r > 0);
    int c = find_in_row(&g, r, "1.11\u00d7~");
    assert_true(c > 0);
    assert_int_equal(role_at(&g, r, c), TUI_ROLE_DIM);
    assert_true(find_in_row(&g, r, "56%~") > 0);
    assert_true(grid_has(&g, "~ #2: too short to time"));
    runs[0].seconds = 20; /* a long seq and a long par1: no mark */
    runs[1].seconds = 18;
    tui_render(&s, &g, NULL);
    assert_false(grid_has(&g, "~"));
    assert_false(grid_has(&g, "!"));
    tui_grid_free(&g);
    release_workspace(&ws);
}

/* A recorded speedup above the plan's bound (par1 at 1.66x against 1.1425, seq
 * measured on a busy machine with less than a core) is marked '!' in the error
 * colour, never shown bare, with the reasons below the table; the status line
 * of a collected run says it too. */
static void test_above_bound_flagged(void **state)
{
    (void)state;
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    runs[0].seconds = 20;
    runs[0].load = 9.5;
    runs[0].cpu_wall = 0.6;
    runs[1].seconds = 12.05; /* 1.66x */
    runs[1].load = 3.1;
    runs[1].cpu_wall = 1.9;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    tui_render(&s, &g, NULL);
    int r = find_row(&g, " par1 ", NULL);
    assert_true(r > 0);
    int c = find_in_row(&g, r, "1.66\u00d7!");
    assert_true(c > 0);
    assert_int_equal(role_at(&g, r, c), TUI_ROLE_ERROR);
    assert_true(find_in_row(&g, r, "83%!") > 0);
    assert_true(grid_has(&g, "! #2: above bound 1.14x: busy (load 9.5), cpu/wall<T"));
    tui_grid_free(&g);
    release_workspace(&ws);
}

static void test_help_text(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/help/tui.txt", EKM_SOURCE_DIR);
    char *text = tui_help_read_file(path);
    assert_non_null(text);
    /* Every key of the key bar is explained, and the history's columns. */
    const char *must[] = {"  r ", "  c ", "s / S", "+ / -", "k / K", "  p ", "  l ", "  g ",
                          "? or F1", "q or F10", "speedup", "bound", "efficiency", "NO_COLOR"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        assert_non_null(strstr(text, must[i]));
    free(text);
    assert_null(tui_help_read_file("/nonexistent/help/tui.txt"));
    /* The variable points the loader elsewhere; a folder without the file falls
     * back to the build's assets (or the built-in copy). */
    setenv("EKM_ASSETS_DIR", EKM_SOURCE_DIR "/assets", 1);
    text = tui_help_load();
    assert_non_null(strstr(text, "THE PLAN VIEW"));
    free(text);
    setenv("EKM_ASSETS_DIR", "/nonexistent", 1);
    text = tui_help_load();
    assert_non_null(text);
    assert_non_null(strstr(text, "KEYS"));
    free(text);
    unsetenv("EKM_ASSETS_DIR");
    assert_non_null(strstr(tui_help_builtin(), "efficiency"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_change_settings),
        cmocka_unit_test(test_keys_run_confirm_cancel),
        cmocka_unit_test(test_keys_run_to_the_end),
        cmocka_unit_test(test_quit_asks_and_ctrl_c_cancels),
        cmocka_unit_test(test_repeat_gives_a_median),
        cmocka_unit_test(test_short_runs_marked),
        cmocka_unit_test(test_above_bound_flagged),
        cmocka_unit_test(test_help_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
