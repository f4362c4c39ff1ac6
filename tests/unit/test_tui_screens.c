/* test_tui_screens.c — whole dashboard screens against the golden files
 * (tests/golden/tui): par2, fused, pruned, preview, help, no data, odd sizes, plan
 * scrolling, every strategy. */
#include "test_tui_render.h"

/* ---- golden screens ---- */

static void test_par2_midrun_120x40(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = par2_midrun(p);
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    tui_grid g;
    render_par2(&g, 40, 120, 1, &ws, p, plan);
    check_grid("par2_120x40", &g, 1);

    /* The tree from the root down, children indented under their merge. */
    const char *order[7] = {"M6 [0,750)+[750,1500)", "M4 [0,375)+[375,750)", "L0 [0,375)",
                            "L1 [375,750)",          "M5 [750,1125)+[1125,1500)",
                            "L2 [750,1125)",         "L3 [1125,1500)"};
    int rows[7], cols[7];
    for (int i = 0; i < 7; i++) {
        rows[i] = find_row(&g, order[i], &cols[i]);
        assert_true(rows[i] > 0);
        if (i)
            assert_int_equal(rows[i], rows[i - 1] + 1);
    }
    assert_true(cols[1] > cols[0]); /* depth 1 under the root */
    assert_true(cols[2] > cols[1]); /* depth 2 */
    assert_int_equal(cols[5], cols[2]);
    assert_int_equal(cols[4], cols[1]);
    /* Merges say what they wait for, in the waiting colour. */
    int c = -1; /* set by find_row */
    assert_int_equal(find_row(&g, "waits for M4, M5", &c), rows[0]);
    assert_int_equal(role_at(&g, rows[0], c), TUI_ROLE_WAITING);
    assert_int_equal(find_row(&g, "ready, waits for a thread", NULL), rows[1]);
    assert_int_equal(find_row(&g, "waits for L2, L3", NULL), rows[4]);
    /* States in their colours; threads and times of the stages that ran. */
    const char *states[7] = {"waiting", "waiting", "done", "done", "waiting", "running", "running"};
    const tui_role state_roles[7] = {TUI_ROLE_WAITING, TUI_ROLE_WAITING, TUI_ROLE_DONE,
                                     TUI_ROLE_DONE,    TUI_ROLE_WAITING, TUI_ROLE_RUNNING,
                                     TUI_ROLE_RUNNING};
    for (int i = 0; i < 7; i++) {
        c = find_in_row(&g, rows[i], states[i]);
        assert_true(c > 100);
        assert_int_equal(role_at(&g, rows[i], c), state_roles[i]);
    }
    assert_true(find_in_row(&g, rows[2], " t0 ") > 0);
    assert_true(find_in_row(&g, rows[2], "1.10s") > 0);  /* L0: 0 to 1.10 s */
    assert_true(find_in_row(&g, rows[6], " t1 ") > 0);
    assert_true(find_in_row(&g, rows[6], "0.68s") > 0);  /* L3: since 1.12 s, now 1.80 s */
    /* Exact counts: L2 is 60 % of C(375,3) = 8,718,875 -> 5,231,325; the root merge
     * C(1500,3) - 2 C(750,3) = 421,312,500. */
    assert_int_equal(find_row(&g, "5,231,325/8,718,875", NULL), rows[5]);
    assert_int_equal(find_row(&g, "0/421,312,500", NULL), rows[0]);
    /* Header: progress, best and medoids; the plan's bound. */
    assert_int_equal(find_row(&g, "Job running", NULL), 1);
    assert_int_equal(find_row(&g, "{187, 562, 1311}", NULL), 2);
    assert_true(grid_has(&g, "bound 1.16\u00d7"));
    /* History: seq, par1 with speedup 20/18 and efficiency 56 %, the cancelled par2. */
    int r1 = find_row(&g, "par1", NULL);
    assert_true(r1 > rows[6]);
    assert_true(find_row(&g, "1.11\u00d7", NULL) == r1);
    assert_true(find_row(&g, "56%", NULL) == r1);
    assert_true(find_row(&g, "cancelled", NULL) > r1);
    /* Key bar on the last row, status (a hint) above it. */
    assert_int_equal(find_row(&g, "rRun", NULL), 39);
    assert_int_equal(role_at(&g, 39, 0), TUI_ROLE_KEY);
    assert_int_equal(role_at(&g, 39, 1), TUI_ROLE_KEY_LABEL);

    tui_grid_free(&g);
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

static void test_par2_midrun_80x24(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = par2_midrun(p);
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    tui_grid g;
    render_par2(&g, 24, 80, 1, &ws, p, plan);
    check_grid("par2_80x24", &g, 1);
    /* All seven stages, the three runs and the key bar fit in 80x24. */
    const char *names[7] = {"M6 ", "M4 ", "L0 ", "L1 ", "M5 ", "L2 ", "L3 "};
    for (int i = 0; i < 7; i++)
        assert_true(grid_has(&g, names[i]));
    assert_true(grid_has(&g, "seq"));
    assert_true(grid_has(&g, "cancelled"));
    assert_int_equal(find_row(&g, "rRun", NULL), 23);
    /* Compact counts at this width. */
    assert_true(grid_has(&g, "5.23M/8.72M"));
    tui_grid_free(&g);
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

static void test_par2_ascii_80x24(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = par2_midrun(p);
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    tui_grid g;
    render_par2(&g, 24, 80, 0, &ws, p, plan);
    check_grid("par2_80x24_ascii", &g, 0);
    for (int r = 0; r < g.rows; r++)
        for (int c = 0; c < g.cols; c++)
            assert_true(tui_grid_cell_const(&g, r, c)->ch < 0x80);
    assert_true(grid_has(&g, " | |-L0 [0,375)"));   /* under M4, which has a sibling below */
    assert_true(grid_has(&g, " | `-L1 [375,750)"));
    assert_true(grid_has(&g, "   |-L2 [750,1125)")); /* under M5, the last child */
    assert_true(grid_has(&g, " `-M5 [750,1125)"));
    assert_true(grid_has(&g, "1.11x"));
    tui_grid_free(&g);
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

/* fused on 2 threads, 3 s in, 42 % closed: one shared stage, a bar per thread. */
static void test_fused_120x40(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = build_plan(EKM_STRATEGY_FUSED, 1500, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->sum.state = EKM_RUN_RUNNING;
    p->sum.elapsed = 3.0;
    stage_set(p, 0, EKM_RUN_RUNNING, -1, 0.0, 0.0, -1);
    p->thread[0] = (ekm_thread_progress){.stage = 0, .busy = 1, .done = 120000000,
                                         .busy_seconds = 2.95};
    p->thread[1] = (ekm_thread_progress){.stage = 0, .busy = 0, .done = 115775710,
                                         .busy_seconds = 2.90};
    p->stages[0].done = p->thread[0].done + p->thread[1].done;
    sum_progress(p);
    p->sum.threads_busy = 1;
    p->sum.has_best = 1;
    p->sum.best = 1230.5;
    p->best_medoids[0] = 190;
    p->best_medoids[1] = 640;
    p->best_medoids[2] = 1280;
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    ws.settings.solve.strategy = EKM_STRATEGY_FUSED;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 40, 120, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    u_data(&s);
    s.snap = p;
    s.plan = plan;
    s.busy = busy_two;
    s.eta = tui_job_eta(p);
    tui_render(&s, &g, NULL);
    check_grid("fused_120x40", &g, 1);
    int r0 = find_row(&g, "S0 [0,1500)", NULL);
    assert_true(r0 > 0);
    assert_int_equal(find_row(&g, "thread 0", NULL), r0 + 1);
    assert_int_equal(find_row(&g, "thread 1", NULL), r0 + 2);
    assert_true(grid_has(&g, "Plan fused \u00b7 1 shared stage \u00b7 bound 2.00\u00d7"));
    /* 235,775,710 of C(1500,3) = 561,375,500 is 42.0 % */
    assert_int_equal(find_row(&g, "42.0%", NULL), 1);
    assert_true(grid_has(&g, "235,775,710/561,375,500"));
    int c = -1; /* set by find_row */
    assert_int_equal(find_row(&g, "idle", &c), r0 + 2);
    tui_grid_free(&g);
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

/* pruned on 4 threads at 100x30: the closed space split into evaluated and pruned. */
static void test_pruned_100x30(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PRUNED, 1500, 3, 4, 0);
    tui_plan_snapshot(plan, p);
    p->sum.state = EKM_RUN_RUNNING;
    p->sum.elapsed = 2.0;
    stage_set(p, 0, EKM_RUN_RUNNING, -1, 0.5, 0.0, -1);  /* 50 % closed */
    p->stages[0].pruned = p->stages[0].spec.total / 5; /* 20 % pruned, 30 % evaluated */
    for (int t = 0; t < 4; t++)
        p->thread[t] = (ekm_thread_progress){.stage = 0, .busy = 1,
                                             .done = p->stages[0].done / 4,
                                             .busy_seconds = 1.9};
    sum_progress(p);
    p->sum.threads_busy = 4;
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    ws.settings.solve.strategy = EKM_STRATEGY_PRUNED;
    ws.settings.solve.threads = 4;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 30, 100, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    u_data(&s);
    s.snap = p;
    s.plan = plan;
    double busy[4] = {1, 1, 0.5, 0};
    s.busy = busy;
    s.eta = tui_job_eta(p);
    tui_render(&s, &g, NULL);
    check_grid("pruned_100x30", &g, 1);
    int r = find_row(&g, "closed", NULL);
    assert_true(r > 0);
    assert_true(find_row(&g, "(30.0%)", NULL) == r);
    assert_true(find_row(&g, "pruned 112M (20.0%)", NULL) == r);
    assert_true(find_row(&g, "open 50.0%", NULL) == r);
    /* The shared stage's bar: evaluated cells, then pruned cells, then empty ones. */
    int r0 = find_row(&g, "S0 [0,1500)", NULL);
    int saw_eval = 0, saw_pruned = 0, order_ok = 1;
    for (int c = 0; c < g.cols; c++) {
        tui_role role = role_at(&g, r0, c);
        uint32_t ch = tui_grid_cell_const(&g, r0, c)->ch;
        if (ch == 0x2588 && role == TUI_ROLE_RUNNING) {
            order_ok &= !saw_pruned;
            saw_eval++;
        } else if (role == TUI_ROLE_PRUNED) {
            saw_pruned++;
        }
    }
    assert_true(saw_eval > 0 && saw_pruned > 0 && order_ok);
    assert_true(saw_pruned * 10 > saw_eval * 5); /* 20 % vs 30 % of the bar, roughly */
    tui_grid_free(&g);
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

/* Before any run: the settings' plan with every stage waiting and an estimate. */
static void test_preview_80x24(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR1, 150, 4, 2, 0);
    tui_plan_snapshot(plan, p);
    workspace ws;
    workspace_init(&ws);
    ws.settings.solve.k = 4;
    ws.settings.solve.strategy = EKM_STRATEGY_PAR1;
    ws.settings.solve.threads = 2;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    snprintf(s.data.name, sizeof s.data.name, "iris");
    s.data.n = 150;
    s.data.d = 4;
    s.snap = p;
    s.preview = 1;
    s.plan = plan;
    s.estimate = tui_plan_estimate(plan, 2e9);
    tui_render(&s, &g, NULL);
    check_grid("preview_par1_80x24", &g, 0);
    assert_true(grid_has(&g, " not started "));
    assert_true(grid_has(&g, "waits for L0, L1"));
    assert_true(grid_has(&g, "Job none"));
    assert_true(grid_has(&g, "no runs yet"));
    /* bound of par1 on iris, K=4: C(150,4) / (C(75,4) + merge) = 1.06 */
    assert_true(grid_has(&g, "bound 1.06\u00d7"));
    tui_grid_free(&g);
    workspace_free(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

static void test_help_screen_80x24(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    s.help = 1;
    s.help_text = tui_help_builtin();
    tui_render(&s, &g, NULL);
    check_grid("help_builtin_80x24", &g, 0);
    assert_int_equal(find_row(&g, "Help", NULL), 0);
    int c = -1; /* set by find_row */
    int r = find_row(&g, "KEYS", &c);
    assert_true(r > 0);
    assert_int_equal(role_at(&g, r, c), TUI_ROLE_TITLE); /* headings stand out */
    /* The full text is longer than a screen: scrolling past the end stops at the
     * last page, which ends with the file's last line. */
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/help/tui.txt", EKM_SOURCE_DIR);
    char *text = tui_help_read_file(path);
    assert_non_null(text);
    s.help_text = text;
    tui_render(&s, &g, NULL);
    assert_true(grid_has(&g, "ekm dashboard"));
    assert_true(grid_has(&g, "lines 1-22 of"));
    s.help_scroll = 1000;
    tui_render(&s, &g, NULL);
    assert_false(grid_has(&g, "ekm dashboard"));
    assert_true(grid_has(&g, "80x24 is the smallest comfortable size"));
    assert_int_equal(find_row(&g, "80x24 is the smallest", NULL), 22);
    free(text);
    tui_grid_free(&g);
    workspace_free(&ws);
}

/* ---- behaviour without golden files ---- */

static void test_no_data_and_prompt(void **state)
{
    (void)state;
    workspace ws;
    workspace_init(&ws);
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    tui_render_info info;
    tui_render(&s, &g, &info);
    assert_int_equal(find_row(&g, "Data none", NULL), 0);
    assert_true(grid_has(&g, "no data: l loads a CSV file"));
    assert_int_equal(info.cursor.row, -1);
    /* A prompt replaces the status line and puts the cursor after the input. */
    s.input = TUI_INPUT_LOAD;
    s.prompt = "Load CSV file:";
    s.input_text = "data/iris.csv";
    tui_render(&s, &g, &info);
    int c = -1; /* set by find_row */
    assert_int_equal(find_row(&g, "Load CSV file: data/iris.csv", &c), 22);
    assert_int_equal(info.cursor.row, 22);
    assert_int_equal(info.cursor.col, c + (int)strlen("Load CSV file: data/iris.csv"));
    assert_true(grid_has(&g, "EnterOK"));
    /* An error shows in the error role. */
    s.input = TUI_INPUT_NONE;
    s.status = "data/x.csv:3:7: not a number";
    s.status_error = 1;
    s.plan_error = "K=200 exceeds the number of points N=150";
    snprintf(s.data.name, sizeof s.data.name, "iris");
    tui_render(&s, &g, &info);
    assert_int_equal(find_row(&g, "data/x.csv:3:7", NULL), 22);
    assert_int_equal(role_at(&g, 22, 0), TUI_ROLE_ERROR);
    assert_true(grid_has(&g, "no plan: K=200 exceeds"));
    tui_grid_free(&g);
    workspace_free(&ws);
}

static void test_small_and_odd_sizes(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = par2_midrun(p);
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    tui_grid g;
    render_par2(&g, 6, 30, 1, &ws, p, plan);
    assert_true(grid_has(&g, "terminal too small (30x6)"));
    tui_grid_free(&g);
    /* Every size from the minimum up renders without writing outside the grid
     * (the grid refuses to) and keeps the key bar on the last row. */
    for (int rows = 8; rows <= 50; rows += 3)
        for (int cols = 40; cols <= 200; cols += 17) {
            render_par2(&g, rows, cols, rows % 2, &ws, p, plan);
            const tui_cell *k = tui_grid_cell_const(&g, rows - 1, 0);
            assert_int_equal(k->ch, 'r');
            assert_int_equal(k->role, TUI_ROLE_KEY);
            tui_grid_free(&g);
        }
    release_workspace(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

/* A tree of 64 leaves (127 stages) scrolls: the title says which lines show, and
 * a scroll position past the end is clamped to the last page. */
static void test_plan_scrolls(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    ekm_plan *plan = build_plan(EKM_STRATEGY_TREE, 1500, 3, 2, 64);
    tui_plan_snapshot(plan, p);
    workspace ws;
    workspace_init(&ws);
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    u_data(&s);
    s.snap = p;
    s.preview = 1;
    s.plan = plan;
    tui_render_info info;
    tui_render(&s, &g, &info);
    assert_int_equal(info.plan_lines, 127);
    assert_int_equal(info.plan_first, 0);
    assert_true(info.plan_rows > 3 && info.plan_rows < 20);
    char expect[64];
    snprintf(expect, sizeof expect, "1-%d of 127", info.plan_rows);
    assert_true(grid_has(&g, expect));
    assert_true(grid_has(&g, "M126 [0,750)+[750,1500)"));
    s.plan_scroll = 1000;
    tui_render(&s, &g, &info);
    assert_int_equal(info.plan_first, 127 - info.plan_rows);
    assert_false(grid_has(&g, "M126 "));
    snprintf(expect, sizeof expect, "%d-127 of 127", 128 - info.plan_rows);
    assert_true(grid_has(&g, expect));
    tui_grid_free(&g);
    workspace_free(&ws);
    ekm_plan_free(plan);
    progress_snap_free(p);
}

/* Every strategy's plan renders at 80x24 and 120x40 with its name in the title. */
static void test_every_strategy_renders(void **state)
{
    (void)state;
    progress_snap *p = progress_snap_new(0, 0, 0);
    workspace ws;
    workspace_init(&ws);
    for (int st = 0; st < EKM_STRATEGY_COUNT; st++) {
        ekm_plan *plan = build_plan((ekm_strategy)st, 200, 3, 3, 0);
        tui_plan_snapshot(plan, p);
        ws.settings.solve.strategy = (ekm_strategy)st;
        for (int big = 0; big < 2; big++) {
            tui_grid g;
            assert_int_equal(tui_grid_init(&g, big ? 40 : 24, big ? 120 : 80, big), 0);
            tui_screen s;
            tui_screen_init(&s);
            s.utf8 = big;
            s.ws = &ws;
            u_data(&s);
            s.snap = p;
            s.preview = 1;
            s.plan = plan;
            tui_render(&s, &g, NULL);
            char title[64];
            snprintf(title, sizeof title, "Plan %s ", ekm_strategy_name((ekm_strategy)st));
            assert_true(grid_has(&g, title));
            tui_grid_free(&g);
        }
        ekm_plan_free(plan);
    }
    workspace_free(&ws);
    progress_snap_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_par2_midrun_120x40),
        cmocka_unit_test(test_par2_midrun_80x24),
        cmocka_unit_test(test_par2_ascii_80x24),
        cmocka_unit_test(test_fused_120x40),
        cmocka_unit_test(test_pruned_100x30),
        cmocka_unit_test(test_preview_80x24),
        cmocka_unit_test(test_help_screen_80x24),
        cmocka_unit_test(test_no_data_and_prompt),
        cmocka_unit_test(test_small_and_odd_sizes),
        cmocka_unit_test(test_plan_scrolls),
        cmocka_unit_test(test_every_strategy_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
