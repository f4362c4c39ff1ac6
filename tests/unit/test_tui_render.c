/* test_tui_render.c — the dashboard's pure parts: the renderer (screen model ->
 * character grid) checked against golden text files for fixed, hand-built
 * snapshots, plus the grid, number formats, busy meters, estimates and help text.
 *
 * Golden files: tests/golden/tui/NAME.txt (the characters) and NAME.roles (one
 * letter per cell for what it shows: r running, D done, w waiting, ... see
 * tui_role_letter). To regenerate them after a deliberate change of the screen:
 *     EKM_UPDATE_GOLDEN=1 build/tests/test_tui_render
 * then READ the diff (git diff tests/golden/tui) before committing: a golden
 * file is only as good as its review. On a mismatch the test writes what it got
 * to NAME.actual in its working directory and names the first differing line. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/workspace.h"
#include "ekm/job.h"
#include "ekm/plan.h"
#include "tui/tui_internal.h"

/* ---- helpers ---- */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[len] = '\0';
    fclose(f);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void check_golden(const char *name, const char *actual)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/tui/%s", EKM_SOURCE_DIR, name);
    const char *update = getenv("EKM_UPDATE_GOLDEN");
    if (update && *update)
        write_text(path, actual);
    char *expected = read_text(path);
    if (!expected)
        fail_msg("missing golden file %s: run with EKM_UPDATE_GOLDEN=1, then review it", path);
    if (strcmp(expected, actual) != 0) {
        char mine[512];
        snprintf(mine, sizeof mine, "%s.actual", name);
        write_text(mine, actual);
        int line = 1;
        const char *e = expected, *a = actual;
        while (*e && *e == *a) {
            line += *e == '\n';
            e++;
            a++;
        }
        const char *el = e, *al = a;
        while (el > expected && el[-1] != '\n')
            el--;
        while (al > actual && al[-1] != '\n')
            al--;
        fail_msg("%s differs from the golden file at line %d:\n  expected: %.*s\n  got:      %.*s\n"
                 "(all of it in %s)",
                 name, line, (int)strcspn(el, "\n"), el, (int)strcspn(al, "\n"), al, mine);
    }
    free(expected);
}

/* The grid's text and role map against NAME.txt and NAME.roles. */
static void check_grid(const char *name, const tui_grid *g, int roles)
{
    char file[256];
    char *text = tui_grid_to_text(g, 0);
    assert_non_null(text);
    snprintf(file, sizeof file, "%s.txt", name);
    check_golden(file, text);
    free(text);
    if (roles) {
        char *map = tui_grid_to_text(g, 1);
        assert_non_null(map);
        snprintf(file, sizeof file, "%s.roles", name);
        check_golden(file, map);
        free(map);
    }
}

/* The row holding `needle` (first from the top), or -1; its column in *col. */
static int find_row(const tui_grid *g, const char *needle, int *col)
{
    char *text = tui_grid_to_text(g, 0);
    assert_non_null(text);
    int row = 0, found = -1;
    for (char *line = text; *line; row++) {
        char *end = strchr(line, '\n');
        *end = '\0';
        char *hit = strstr(line, needle);
        if (hit) {
            if (col) { /* cells, not bytes: count UTF-8 lead bytes */
                int c = 0;
                for (char *p = line; p < hit; p++)
                    c += ((unsigned char)*p & 0xC0) != 0x80;
                *col = c;
            }
            found = row;
            break;
        }
        line = end + 1;
    }
    free(text);
    return found;
}

static int grid_has(const tui_grid *g, const char *needle)
{
    return find_row(g, needle, NULL) >= 0;
}

/* The column of `needle` in row `row`, or -1. */
static int find_in_row(const tui_grid *g, int row, const char *needle)
{
    char *text = tui_grid_to_text(g, 0);
    assert_non_null(text);
    char *line = text;
    for (int r = 0; r < row; r++)
        line = strchr(line, '\n') + 1;
    *strchr(line, '\n') = '\0';
    char *hit = strstr(line, needle);
    int col = -1;
    if (hit) {
        col = 0;
        for (char *p = line; p < hit; p++)
            col += ((unsigned char)*p & 0xC0) != 0x80;
    }
    free(text);
    return col;
}

static tui_role role_at(const tui_grid *g, int row, int col)
{
    const tui_cell *c = tui_grid_cell_const(g, row, col);
    assert_non_null(c);
    return (tui_role)c->role;
}

static ekm_plan *build_plan(ekm_strategy s, size_t n, unsigned k, unsigned threads,
                            unsigned partitions)
{
    ekm_plan_options po = {.strategy = s, .threads = threads, .partitions = partitions};
    ekm_plan *plan = NULL;
    assert_int_equal(ekm_plan_build(n, k, &po, &plan, NULL), EKM_OK);
    return plan;
}

static void stage_set(ekm_progress *p, int s, ekm_run_state st, int thread, double fraction,
                      double start, double end)
{
    ekm_stage_progress *sp = &p->stages[s];
    sp->state = st;
    sp->thread = thread;
    sp->done = (uint64_t)((double)sp->spec.total * fraction);
    sp->start = start;
    sp->end = end;
}

static void sum_progress(ekm_progress *p)
{
    p->done = p->pruned = 0;
    for (int s = 0; s < p->n_stages; s++) {
        p->done += p->stages[s].done;
        p->pruned += p->stages[s].pruned;
    }
    p->evaluated = p->done - p->pruned;
}

/* par2 on N=1500, K=3, 2 threads, 1.8 s in: the four leaves' first two done, the
 * other two running, M4 ready but without a thread, M5 and M6 waiting. */
static ekm_plan *par2_midrun(ekm_progress *p)
{
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR2, 1500, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->state = EKM_RUN_RUNNING;
    p->elapsed = 1.8;
    stage_set(p, 0, EKM_RUN_DONE, 0, 1.0, 0.0, 1.10);
    stage_set(p, 1, EKM_RUN_DONE, 1, 1.0, 0.0, 1.12);
    stage_set(p, 2, EKM_RUN_RUNNING, 0, 0.6, 1.10, -1);
    stage_set(p, 3, EKM_RUN_RUNNING, 1, 0.35, 1.12, -1);
    sum_progress(p);
    p->has_best = 1;
    p->best = 1234.56789;
    p->best_medoids[0] = 187;
    p->best_medoids[1] = 562;
    p->best_medoids[2] = 1311;
    p->threads_busy = 2;
    p->thread[0] = (ekm_thread_progress){.stage = 2, .busy = 1,
                                         .done = p->stages[0].done + p->stages[2].done,
                                         .busy_seconds = 1.10};
    p->thread[1] = (ekm_thread_progress){.stage = 3, .busy = 1,
                                         .done = p->stages[1].done + p->stages[3].done,
                                         .busy_seconds = 1.12};
    return plan;
}

static run_record record(ekm_strategy s, unsigned threads, ekm_run_state st, double seconds,
                         double bound)
{
    run_record r;
    memset(&r, 0, sizeof r);
    snprintf(r.dataset, sizeof r.dataset, "/tmp/run/u.csv");
    r.metric = EKM_METRIC_EUCLIDEAN;
    r.strategy = s;
    r.n = 1500;
    r.k = 3;
    r.threads = threads;
    r.exact = 1;
    r.state = st;
    r.seconds = seconds;
    r.objective = st == EKM_RUN_DONE ? 1234.56789 : INFINITY;
    r.amdahl_bound = st == EKM_RUN_DONE ? bound : 0;
    r.predicted_speedup = bound;
    return r;
}

/* A workspace with settings K=3 par2 2 threads and three runs of u.csv: seq in
 * 20 s, par1 on 2 threads in 18 s (speedup 1.11, efficiency 56 %), a cancelled
 * par2. No data is loaded: the screen's data line comes from tui_data_info. */
static void history_workspace(workspace *ws, run_record *runs)
{
    workspace_init(ws);
    ws->settings.solve.k = 3;
    ws->settings.solve.strategy = EKM_STRATEGY_PAR2;
    ws->settings.solve.threads = 2;
    runs[0] = record(EKM_STRATEGY_SEQ, 1, EKM_RUN_DONE, 20.0, 1.0);
    runs[1] = record(EKM_STRATEGY_PAR1, 2, EKM_RUN_DONE, 18.0, 1.1425); /* par1's real bound */
    runs[2] = record(EKM_STRATEGY_PAR2, 2, EKM_RUN_CANCELLED, 2.5, 1.16);
    ws->history = runs;
    ws->n_history = 3;
    ws->cap_history = 3;
}

static void release_workspace(workspace *ws)
{
    ws->history = NULL; /* the test's array */
    ws->n_history = ws->cap_history = 0;
    workspace_free(ws);
}

static void u_data(tui_screen *s)
{
    snprintf(s->data.name, sizeof s->data.name, "u");
    s->data.n = 1500;
    s->data.d = 2;
    s->data.metric = EKM_METRIC_EUCLIDEAN;
}

static const double busy_two[2] = {1.0, 0.93};

/* The par2 mid-run screen at rows×cols. */
static void render_par2(tui_grid *g, int rows, int cols, int utf8, const workspace *ws,
                        ekm_progress *p, const ekm_plan *plan)
{
    assert_int_equal(tui_grid_init(g, rows, cols, utf8), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = utf8;
    s.ws = ws;
    u_data(&s);
    s.snap = p;
    s.plan = plan;
    s.busy = busy_two;
    s.eta = tui_job_eta(p);
    tui_render(&s, g, NULL);
}

/* ---- golden screens ---- */

static void test_par2_midrun_120x40(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
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
    int c;
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
    free(p);
}

static void test_par2_midrun_80x24(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
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
    free(p);
}

static void test_par2_ascii_80x24(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
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
    free(p);
}

/* fused on 2 threads, 3 s in, 42 % closed: one shared stage, a bar per thread. */
static void test_fused_120x40(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
    ekm_plan *plan = build_plan(EKM_STRATEGY_FUSED, 1500, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->state = EKM_RUN_RUNNING;
    p->elapsed = 3.0;
    stage_set(p, 0, EKM_RUN_RUNNING, -1, 0.0, 0.0, -1);
    p->thread[0] = (ekm_thread_progress){.stage = 0, .busy = 1, .done = 120000000,
                                         .busy_seconds = 2.95};
    p->thread[1] = (ekm_thread_progress){.stage = 0, .busy = 0, .done = 115775710,
                                         .busy_seconds = 2.90};
    p->stages[0].done = p->thread[0].done + p->thread[1].done;
    sum_progress(p);
    p->threads_busy = 1;
    p->has_best = 1;
    p->best = 1230.5;
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
    assert_true(grid_has(&g, "Plan fused \u00b7 1 shared stage \u00b7 bound 374750\u00d7"));
    /* 235,775,710 of C(1500,3) = 561,375,500 is 42.0 % */
    assert_int_equal(find_row(&g, "42.0%", NULL), 1);
    assert_true(grid_has(&g, "235,775,710/561,375,500"));
    int c;
    assert_int_equal(find_row(&g, "idle", &c), r0 + 2);
    tui_grid_free(&g);
    release_workspace(&ws);
    ekm_plan_free(plan);
    free(p);
}

/* pruned on 4 threads at 100x30: the closed space split into evaluated and pruned. */
static void test_pruned_100x30(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PRUNED, 1500, 3, 4, 0);
    tui_plan_snapshot(plan, p);
    p->state = EKM_RUN_RUNNING;
    p->elapsed = 2.0;
    stage_set(p, 0, EKM_RUN_RUNNING, -1, 0.5, 0.0, -1);  /* 50 % closed */
    p->stages[0].pruned = p->stages[0].spec.total / 5; /* 20 % pruned, 30 % evaluated */
    for (int t = 0; t < 4; t++)
        p->thread[t] = (ekm_thread_progress){.stage = 0, .busy = 1,
                                             .done = p->stages[0].done / 4,
                                             .busy_seconds = 1.9};
    sum_progress(p);
    p->threads_busy = 4;
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
    free(p);
}

/* Before any run: the settings' plan with every stage waiting and an estimate. */
static void test_preview_80x24(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
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
    free(p);
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
    int c;
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
    int c;
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
    ekm_progress *p = calloc(1, sizeof *p);
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
    free(p);
}

/* A tree of 64 leaves (127 stages) scrolls: the title says which lines show, and
 * a scroll position past the end is clamped to the last page. */
static void test_plan_scrolls(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
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
    free(p);
}

/* Every strategy's plan renders at 80x24 and 120x40 with its name in the title. */
static void test_every_strategy_renders(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
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
    free(p);
}

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
    ekm_progress *p = calloc(1, sizeof *p);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR1, 100, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->state = EKM_RUN_RUNNING;
    /* t0 runs L0 from 0 s for the whole time; t1 ran L1 from 0 to 0.5 s, then idles. */
    for (int i = 0; i <= 20; i++) {
        double now = 0.1 * i;
        p->elapsed = now;
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
    p->elapsed = 0.05;
    p->thread[0].busy = 0;
    p->thread[0].stage = -1;
    tui_meters_add(&m, p);
    assert_int_equal(m.count, 1);
    assert_true(tui_meters_fraction(&m, 0) == 0.0);
    assert_true(tui_meters_fraction(&m, 7) == 0.0); /* no such thread */
    tui_meters_free(&m);
    ekm_plan_free(plan);
    free(p);
}

/* The ETA follows the plan: par1's merge runs on one thread, so with the leaves
 * done its remaining work is not divided by the thread count. */
static void test_eta_and_estimates(void **state)
{
    (void)state;
    ekm_progress *p = calloc(1, sizeof *p);
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR1, 100, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->state = EKM_RUN_RUNNING;
    p->elapsed = 2.0;
    stage_set(p, 0, EKM_RUN_DONE, 0, 1.0, 0, 1.0);
    stage_set(p, 1, EKM_RUN_DONE, 1, 1.0, 0, 1.0);
    stage_set(p, 2, EKM_RUN_RUNNING, 0, 0, 1.0, -1);
    p->stages[2].done = 19600; /* one second of merge on t0 */
    sum_progress(p);
    p->thread[0] = (ekm_thread_progress){.stage = 2, .busy = 1, .busy_seconds = 1.0};
    p->thread[1] = (ekm_thread_progress){.stage = -1, .busy = 0, .busy_seconds = 1.0};
    /* busy: t0 1 s + 1 s running, t1 1 s = 3 thread-seconds for `done` subsets */
    double rate = (double)p->done / 3.0;
    double merge_left = (double)(p->stages[2].spec.total - 19600);
    assert_true(fabs(tui_job_eta(p) - merge_left / rate) < 1e-6 * merge_left / rate);
    p->state = EKM_RUN_DONE;
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
    free(p);
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

/* Runs too short to time well get a '~' and a dim speedup. */
static void test_short_runs_marked(void **state)
{
    (void)state;
    workspace ws;
    run_record runs[3];
    history_workspace(&ws, runs);
    runs[0].seconds = 0.05;
    runs[1].seconds = 0.02;
    tui_grid g;
    assert_int_equal(tui_grid_init(&g, 24, 80, 1), 0);
    tui_screen s;
    tui_screen_init(&s);
    s.utf8 = 1;
    s.ws = &ws;
    tui_render(&s, &g, NULL);
    int r = find_row(&g, " par1 ", NULL);
    assert_true(r > 0);
    int c = find_in_row(&g, r, "~2.50\u00d7");
    assert_true(c > 0);
    assert_int_equal(role_at(&g, r, c), TUI_ROLE_DIM);
    assert_true(find_in_row(&g, r, "~125%") > 0);
    runs[0].seconds = 20; /* a long seq and a long par1: no mark */
    runs[1].seconds = 18;
    tui_render(&s, &g, NULL);
    assert_false(grid_has(&g, "~"));
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
        cmocka_unit_test(test_grid_text),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_meters),
        cmocka_unit_test(test_eta_and_estimates),
        cmocka_unit_test(test_history_speedup),
        cmocka_unit_test(test_keys_change_settings),
        cmocka_unit_test(test_keys_run_confirm_cancel),
        cmocka_unit_test(test_keys_run_to_the_end),
        cmocka_unit_test(test_short_runs_marked),
        cmocka_unit_test(test_help_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
