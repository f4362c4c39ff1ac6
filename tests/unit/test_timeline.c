/* test_timeline.c — the timeline's layout (ui/common/timeline.h): the segments drawn
 * for a run's stages land in the columns their recorded start and end times give,
 * on the row of the thread that ran them; the plan list-scheduled on other thread
 * counts from measured stage times matches a schedule worked out by hand; the
 * dashboard's Timeline panel shows the rows (t0, t1 with L0, L1, M2). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/timeline.h"
#include "common/workspace.h"
#include "ekm/generate.h"
#include "ekm/job.h"
#include "tui/tui_internal.h"

static ekm_plan *plan_of(ekm_strategy s, size_t n, unsigned k, unsigned threads)
{
    ekm_plan_options o = {.strategy = s, .threads = threads};
    ekm_plan *p = NULL;
    assert_int_equal(ekm_plan_build(n, k, &o, &p, NULL), EKM_OK);
    return p;
}

/* A snapshot of plan whose stage s ran on thread[s] from start[s] to end[s]
 * (end -1: still running), at elapsed `now`. */
static progress_snap *snapshot(const ekm_plan *plan, const int *thread, const double *start,
                               const double *end, double now)
{
    progress_snap *snap = progress_snap_new(plan->n_stages, (int)plan->threads, plan->k);
    assert_non_null(snap);
    ekm_progress *p = &snap->sum;
    p->strategy = plan->strategy;
    p->n = plan->n;
    p->k = plan->k;
    p->threads = plan->threads;
    p->n_threads = (int)plan->threads;
    p->elapsed = now;
    p->state = EKM_RUN_RUNNING;
    p->n_stages = plan->n_stages;
    for (int s = 0; s < plan->n_stages; s++) {
        ekm_stage_progress *sp = &snap->stages[s];
        sp->spec = plan->stages[s];
        sp->thread = thread[s];
        sp->start = start[s];
        sp->end = end[s];
        sp->state = start[s] < 0 ? EKM_RUN_WAITING : end[s] < 0 ? EKM_RUN_RUNNING : EKM_RUN_DONE;
    }
    return snap;
}

static int expected_col(double t, double span, int cols)
{
    int c = (int)floor(t / span * cols + 0.5);
    return c < 0 ? 0 : c > cols ? cols : c;
}

/* Every started stage gives exactly one segment, on its thread's row, over the
 * columns its recorded times give; a stage that has not started gives none. */
static void check_layout(const progress_snap *snap, int cols)
{
    timeline *tl = malloc(sizeof *tl);
    timeline_segment seg[TIMELINE_MAX_BARS];
    assert_non_null(tl);
    timeline_from_progress(tl, snap);
    const ekm_progress *p = &snap->sum;
    double span = timeline_span(tl);
    int n = timeline_layout(tl, cols, span, 0, seg, TIMELINE_MAX_BARS);
    int started = 0;
    for (int s = 0; s < p->n_stages; s++) {
        const ekm_stage_progress *sp = &snap->stages[s];
        if (sp->start < 0)
            continue;
        started++;
        int found = 0;
        for (int i = 0; i < n; i++) {
            const timeline_bar *b = &tl->bar[seg[i].bar];
            if (b->stage != s)
                continue;
            found++;
            assert_int_equal(seg[i].row, sp->thread);
            double end = sp->end >= 0 ? sp->end : p->elapsed;
            int c0 = expected_col(sp->start, span, cols), c1 = expected_col(end, span, cols);
            if (c0 >= cols)
                c0 = cols - 1;
            if (c1 <= c0)
                c1 = c0 + 1;
            assert_int_equal(seg[i].col0, c0);
            assert_int_equal(seg[i].col1, c1);
            char label[8];
            timeline_stage_label(&sp->spec, label, sizeof label);
            assert_string_equal(b->label, label);
            assert_int_equal(b->running, sp->end < 0);
        }
        assert_int_equal(found, 1);
    }
    assert_int_equal(n, started);
    free(tl);
}

/* par1 on 2 threads, by hand: L0 on t0 from 0 to 2 s, L1 on t1 from 0.1 to 2.5 s,
 * M2 on t1 from 2.5 s, running at 10 s. On 100 columns: L0 [0,20), L1 [1,25),
 * M2 [25,100); t0 idle from column 20. */
static void test_layout_by_hand(void **state)
{
    (void)state;
    ekm_plan *plan = plan_of(EKM_STRATEGY_PAR1, 40, 3, 2);
    assert_int_equal(plan->n_stages, 3);
    int thread[3] = {0, 1, 1};
    double start[3] = {0, 0.1, 2.5}, end[3] = {2, 2.5, -1};
    progress_snap *p = snapshot(plan, thread, start, end, 10);
    timeline tl;
    timeline_from_progress(&tl, p);
    assert_int_equal(tl.n_threads, 2);
    assert_int_equal(tl.n_bars, 3);
    assert_true(timeline_span(&tl) == 10);
    timeline_segment seg[8];
    assert_int_equal(timeline_layout(&tl, 100, 10, 0, seg, 8), 3);
    int want[3][3] = {{0, 0, 20}, {1, 1, 25}, {1, 25, 100}};
    const char *labels[3] = {"L0", "L1", "M2"};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(tl.bar[seg[i].bar].label, labels[i]);
        assert_int_equal(seg[i].row, want[i][0]);
        assert_int_equal(seg[i].col0, want[i][1]);
        assert_int_equal(seg[i].col1, want[i][2]);
    }
    check_layout(p, 100);
    check_layout(p, 7); /* narrow: every bar still gets a column */
    /* rows past max_rows are left out */
    assert_int_equal(timeline_layout(&tl, 100, 10, 1, seg, 8), 1);
    progress_snap_free(p);
    ekm_plan_free(plan);
}

/* A real par1 job: its final snapshot's stages, drawn at several widths. */
static void test_layout_of_a_real_run(void **state)
{
    (void)state;
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, 120, 2, 0, 7, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = 3;
    opt.strategy = EKM_STRATEGY_PAR1;
    opt.threads = 2;
    ekm_job *job;
    assert_int_equal(ekm_job_start(dm, &opt, &job, NULL), EKM_OK);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    progress_snap *p = progress_snap_new(3, 2, 3);
    assert_non_null(p);
    assert_int_equal(progress_snap_poll(p, job), 0);
    assert_int_equal(p->sum.n_stages, 3);
    for (int s = 0; s < 3; s++) {
        assert_true(p->stages[s].start >= 0);
        assert_true(p->stages[s].end >= p->stages[s].start);
        assert_true(p->stages[s].thread >= 0 && p->stages[s].thread < 2);
    }
    for (int cols = 1; cols <= 200; cols += 13)
        check_layout(p, cols);
    /* the measured run simulated on its own plan: the merge after both leaves */
    timeline *tl = malloc(sizeof *tl), *sim = malloc(sizeof *sim);
    assert_non_null(tl);
    assert_non_null(sim);
    timeline_from_progress(tl, p);
    assert_int_equal(timeline_simulate(tl, ekm_job_plan(job), 2, sim), 0);
    assert_int_equal(sim->n_bars, 3);
    assert_true(sim->bar[2].start >= sim->bar[0].end && sim->bar[2].start >= sim->bar[1].end);
    free(tl);
    free(sim);
    progress_snap_free(p);
    ekm_job_free(job);
    ekm_dissim_release(dm);
}

/* Measured par2 stage times L0..L3 = 1, 2, 3, 4 s, M4 = 5, M5 = 6, M6 = 10 (work 31).
 * List scheduling by hand (the earliest free thread takes the ready stage it can start
 * soonest, the lowest id on a tie):
 *  T=2: t0 L0 [0,1], t1 L1 [0,2], t0 L2 [1,4], t1 L3 [2,6], t0 M4 [4,9], t1 M5 [6,12],
 *       t0 M6 [12,22]: makespan 22;
 *  T=4: L0..L3 on t0..t3 from 0; t0 M4 [2,7], t1 M5 [4,10], t2 M6 [10,20]: makespan 20;
 *  T=1: one after the other, 31. */
static void test_simulated_schedule(void **state)
{
    (void)state;
    ekm_plan *plan = plan_of(EKM_STRATEGY_PAR2, 40, 3, 2);
    assert_int_equal(plan->n_stages, 7);
    assert_int_equal(plan->stages[4].child[0], 0);
    assert_int_equal(plan->stages[4].child[1], 1);
    assert_int_equal(plan->stages[5].child[0], 2);
    assert_int_equal(plan->stages[5].child[1], 3);
    assert_int_equal(plan->stages[6].child[0], 4);
    assert_int_equal(plan->stages[6].child[1], 5);
    /* measured on 2 threads, the stages' times as above (the schedule measured does
     * not matter, only each stage's own time) */
    int thread[7] = {0, 1, 0, 1, 0, 1, 0};
    double start[7] = {0, 0, 1, 2, 4, 6, 12};
    double cost[7] = {1, 2, 3, 4, 5, 6, 10};
    double end[7];
    for (int s = 0; s < 7; s++)
        end[s] = start[s] + cost[s];
    progress_snap *p = snapshot(plan, thread, start, end, 22);
    timeline *tl = malloc(sizeof *tl), *sim = malloc(sizeof *sim);
    assert_non_null(tl);
    assert_non_null(sim);
    timeline_from_progress(tl, p);
    double got[7];
    timeline_stage_costs(tl, plan, got);
    for (int s = 0; s < 7; s++)
        assert_true(fabs(got[s] - cost[s]) < 1e-12);

    static const struct {
        unsigned threads;
        int thread[7];
        double start[7], makespan;
    } want[] = {
        {2, {0, 1, 0, 1, 0, 1, 0}, {0, 0, 1, 2, 4, 6, 12}, 22},
        {4, {0, 1, 2, 3, 0, 1, 2}, {0, 0, 0, 0, 2, 4, 10}, 20},
        {1, {0, 0, 0, 0, 0, 0, 0}, {0, 1, 3, 6, 10, 15, 21}, 31},
    };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        assert_int_equal(timeline_simulate(tl, plan, want[w].threads, sim), 0);
        assert_int_equal(sim->simulated, (int)want[w].threads);
        assert_int_equal(sim->n_threads, (int)want[w].threads);
        assert_int_equal(sim->n_bars, 7);
        assert_true(fabs(sim->now - want[w].makespan) < 1e-12);
        assert_true(fabs(sim->work - 31) < 1e-12);
        for (int b = 0; b < 7; b++) {
            int s = sim->bar[b].stage;
            assert_int_equal(sim->bar[b].thread, want[w].thread[s]);
            assert_true(fabs(sim->bar[b].start - want[w].start[s]) < 1e-12);
            assert_true(fabs(sim->bar[b].end - (want[w].start[s] + cost[s])) < 1e-12);
        }
        assert_true(fabs(timeline_predicted_speedup(tl, plan, want[w].threads) -
                         31.0 / want[w].makespan) < 1e-12);
        /* the engine's own schedule of these costs is the same */
        assert_true(fabs(ekm_plan_schedule(plan, cost, want[w].threads, NULL, NULL, NULL) -
                         want[w].makespan) < 1e-12);
    }
    /* more threads than stages: no better than the critical chain L3, M5, M6 = 20 */
    assert_true(fabs(timeline_predicted_speedup(tl, plan, 64) - 31.0 / 20) < 1e-12);
    /* bad arguments */
    assert_int_equal(timeline_simulate(tl, plan, 0, sim), -1);
    assert_int_equal(timeline_simulate(tl, plan, TIMELINE_MAX_THREADS + 1, sim), -1);
    assert_true(ekm_plan_schedule(plan, cost, 0, NULL, NULL, NULL) < 0);
    /* nothing measured: nothing to simulate */
    timeline empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(timeline_simulate(&empty, plan, 2, sim), -1);
    assert_true(timeline_predicted_speedup(&empty, plan, 2) == 0);
    free(tl);
    free(sim);
    progress_snap_free(p);
    ekm_plan_free(plan);
}

/* The engine's makespan in K-subsets is the list schedule of the stage totals. */
static void test_plan_makespan_is_the_schedule(void **state)
{
    (void)state;
    for (unsigned t = 1; t <= 8; t++) {
        ekm_plan *plan = plan_of(EKM_STRATEGY_TREE, 200, 3, t);
        int thread[EKM_PLAN_MAX_PARTS * 2];
        double start[EKM_PLAN_MAX_PARTS * 2], finish[EKM_PLAN_MAX_PARTS * 2];
        double m = ekm_plan_schedule(plan, NULL, t, thread, start, finish);
        assert_true(m == plan->makespan);
        for (int s = 0; s < plan->n_stages; s++) {
            assert_true(thread[s] >= 0 && thread[s] < (int)t);
            assert_true(finish[s] == start[s] + (double)plan->stages[s].total);
            for (int c = 0; c < 2; c++)
                if (plan->stages[s].child[c] >= 0)
                    assert_true(start[s] >= finish[plan->stages[s].child[c]]);
        }
        ekm_plan_free(plan);
    }
}

/* A shared stage (fused) measured on 2 threads for 3 s each: 6 s of work, spread
 * evenly over the simulated threads. */
static void test_simulated_shared(void **state)
{
    (void)state;
    ekm_plan *plan = plan_of(EKM_STRATEGY_FUSED, 40, 3, 2);
    int thread[1] = {-1};
    double start[1] = {0}, end[1] = {3};
    progress_snap *p = snapshot(plan, thread, start, end, 3);
    timeline *tl = malloc(sizeof *tl), *sim = malloc(sizeof *sim);
    assert_non_null(tl);
    assert_non_null(sim);
    timeline_from_progress(tl, p);
    assert_int_equal(tl->n_bars, 2); /* one per thread */
    assert_int_equal(tl->bar[0].thread, 0);
    assert_int_equal(tl->bar[1].thread, 1);
    assert_string_equal(tl->bar[1].label, "S0");
    assert_int_equal(timeline_simulate(tl, plan, 4, sim), 0);
    assert_int_equal(sim->n_bars, 4);
    assert_true(fabs(sim->now - 1.5) < 1e-12);
    assert_true(fabs(timeline_predicted_speedup(tl, plan, 4) - 4) < 1e-12);
    free(tl);
    free(sim);
    progress_snap_free(p);
    ekm_plan_free(plan);
}

/* The dashboard: the Timeline panel's rows name the stages where they ran. */
static int find_row(const tui_grid *g, const char *text)
{
    char *all = tui_grid_to_text(g, 0);
    assert_non_null(all);
    int row = -1, r = 0;
    for (char *line = all; line && row < 0; r++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strstr(line, text))
            row = r;
        line = nl ? nl + 1 : NULL;
    }
    free(all);
    return row;
}

static void render(tui_grid *g, int rows, int cols, const progress_snap *p, const ekm_plan *plan,
                   int timeline_key)
{
    static workspace ws; /* settings, no history */
    workspace_init(&ws);
    ws.settings.solve.k = 3;
    ws.settings.solve.strategy = EKM_STRATEGY_PAR1;
    ws.settings.solve.threads = 2;
    tui_screen s;
    tui_screen_init(&s);
    s.ws = &ws;
    s.utf8 = 0;
    snprintf(s.data.name, sizeof s.data.name, "u");
    s.data.n = 40;
    s.data.d = 2;
    s.snap = p;
    s.plan = plan;
    s.ran = p;
    s.ran_plan = plan;
    s.timeline = timeline_key;
    assert_int_equal(tui_grid_init(g, rows, cols, 0), 0);
    tui_render(&s, g, NULL);
}

static void test_tui_panel(void **state)
{
    (void)state;
    ekm_plan *plan = plan_of(EKM_STRATEGY_PAR1, 40, 3, 2);
    int thread[3] = {0, 1, 1};
    double start[3] = {0, 0.1, 2.5}, end[3] = {2, 2.5, -1};
    progress_snap *p = snapshot(plan, thread, start, end, 10);
    tui_grid g;
    render(&g, 40, 120, p, plan, 0); /* tall: shown by itself */
    int title = find_row(&g, "Timeline - par1 - 2 threads");
    assert_true(title > 0);
    assert_int_equal(find_row(&g, " t0 L0======"), title + 1);
    assert_int_equal(find_row(&g, " t1 .L1"), title + 2);
    int m2 = find_row(&g, "M2=====");
    assert_true(m2 == title + 2);
    /* the chart is 115 columns wide (120 less " t0 " and the right margin): L0 covers
     * columns [0, 23) (2 s of 10), then t0 is idle */
    char row0[128] = " t0 L0";
    for (int i = 2; i < 23; i++)
        strcat(row0, "=");
    strcat(row0, "..");
    assert_int_equal(find_row(&g, row0), title + 1);
    tui_grid_free(&g);
    render(&g, 24, 80, p, plan, 0); /* short: only on the t key */
    assert_int_equal(find_row(&g, "Timeline - "), -1);
    assert_true(find_row(&g, "tTime") >= 0 || find_row(&g, "tTimeline") >= 0);
    tui_grid_free(&g);
    render(&g, 24, 80, p, plan, 1);
    title = find_row(&g, "Timeline - par1");
    assert_true(title > 0);
    assert_int_equal(find_row(&g, " t0 L0"), title + 1);
    assert_int_equal(find_row(&g, " t1 .L1"), title + 2); /* 0.1 s of 10 on 75 columns: 1 */
    tui_grid_free(&g);
    render(&g, 40, 120, p, plan, -1); /* hidden with t */
    assert_int_equal(find_row(&g, "Timeline - "), -1);
    tui_grid_free(&g);
    progress_snap_free(p);
    ekm_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_by_hand),
        cmocka_unit_test(test_layout_of_a_real_run),
        cmocka_unit_test(test_simulated_schedule),
        cmocka_unit_test(test_plan_makespan_is_the_schedule),
        cmocka_unit_test(test_simulated_shared),
        cmocka_unit_test(test_tui_panel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
