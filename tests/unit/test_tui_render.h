/* test_tui_render.h — what the test_tui_render_* tests share.
 * The dashboard's pure parts: the renderer (screen model ->
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
#ifndef TEST_TUI_RENDER_H
#define TEST_TUI_RENDER_H

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

static inline char *read_text(const char *path)
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

static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static inline void check_golden(const char *name, const char *actual)
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
static inline void check_grid(const char *name, const tui_grid *g, int roles)
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
static inline int find_row(const tui_grid *g, const char *needle, int *col)
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

static inline int grid_has(const tui_grid *g, const char *needle)
{
    return find_row(g, needle, NULL) >= 0;
}

/* The column of `needle` in row `row`, or -1. */
static inline int find_in_row(const tui_grid *g, int row, const char *needle)
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

static inline tui_role role_at(const tui_grid *g, int row, int col)
{
    const tui_cell *c = tui_grid_cell_const(g, row, col);
    assert_non_null(c);
    return (tui_role)c->role;
}

static inline ekm_plan *build_plan(ekm_strategy s, size_t n, unsigned k, unsigned threads,
                                   unsigned partitions)
{
    ekm_plan_options po = {.strategy = s, .threads = threads, .partitions = partitions};
    ekm_plan *plan = NULL;
    assert_int_equal(ekm_plan_build(n, k, &po, &plan, NULL), EKM_OK);
    return plan;
}

static inline void stage_set(progress_snap *p, int s, ekm_run_state st, int thread,
                             double fraction, double start, double end)
{
    ekm_stage_progress *sp = &p->stages[s];
    sp->state = st;
    sp->thread = thread;
    sp->done = (uint64_t)((double)sp->spec.total * fraction);
    sp->start = start;
    sp->end = end;
}

static inline void sum_progress(progress_snap *p)
{
    p->sum.done = p->sum.pruned = 0;
    for (int s = 0; s < p->sum.n_stages; s++) {
        p->sum.done += p->stages[s].done;
        p->sum.pruned += p->stages[s].pruned;
    }
    p->sum.evaluated = p->sum.done - p->sum.pruned;
}

/* par2 on N=1500, K=3, 2 threads, 1.8 s in: the four leaves' first two done, the
 * other two running, M4 ready but without a thread, M5 and M6 waiting. */
static inline ekm_plan *par2_midrun(progress_snap *p)
{
    ekm_plan *plan = build_plan(EKM_STRATEGY_PAR2, 1500, 3, 2, 0);
    tui_plan_snapshot(plan, p);
    p->sum.state = EKM_RUN_RUNNING;
    p->sum.elapsed = 1.8;
    stage_set(p, 0, EKM_RUN_DONE, 0, 1.0, 0.0, 1.10);
    stage_set(p, 1, EKM_RUN_DONE, 1, 1.0, 0.0, 1.12);
    stage_set(p, 2, EKM_RUN_RUNNING, 0, 0.6, 1.10, -1);
    stage_set(p, 3, EKM_RUN_RUNNING, 1, 0.35, 1.12, -1);
    sum_progress(p);
    p->sum.has_best = 1;
    p->sum.best = 1234.56789;
    p->best_medoids[0] = 187;
    p->best_medoids[1] = 562;
    p->best_medoids[2] = 1311;
    p->sum.threads_busy = 2;
    p->thread[0] = (ekm_thread_progress){.stage = 2, .busy = 1,
                                         .done = p->stages[0].done + p->stages[2].done,
                                         .busy_seconds = 1.10};
    p->thread[1] = (ekm_thread_progress){.stage = 3, .busy = 1,
                                         .done = p->stages[1].done + p->stages[3].done,
                                         .busy_seconds = 1.12};
    return plan;
}

static inline run_record record(ekm_strategy s, unsigned threads, ekm_run_state st,
                                double seconds, double bound)
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
static inline void history_workspace(workspace *ws, run_record *runs)
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

static inline void release_workspace(workspace *ws)
{
    ws->history = NULL; /* the test's array */
    ws->n_history = ws->cap_history = 0;
    workspace_free(ws);
}

static inline void u_data(tui_screen *s)
{
    snprintf(s->data.name, sizeof s->data.name, "u");
    s->data.n = 1500;
    s->data.d = 2;
    s->data.metric = EKM_METRIC_EUCLIDEAN;
}

static const double busy_two[2] = {1.0, 0.93};

/* The par2 mid-run screen at rows×cols. */
static inline void render_par2(tui_grid *g, int rows, int cols, int utf8, const workspace *ws,
                               progress_snap *p, const ekm_plan *plan)
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

#endif
