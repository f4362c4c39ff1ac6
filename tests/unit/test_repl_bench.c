/* test_repl_bench.c — the REPL's `bench` in the background: started, it returns at
 * once while its progress advances; each finished cell enters the workspace's
 * history (one record per strategy × N × threads, the median of its timed runs,
 * the counts and the optimum of the exact solver); `run` and a second `bench` are
 * refused meanwhile; at the end the report is printed and the CSV holds every
 * timed run. Cancelled part-way, it keeps exactly the runs finished (the history's
 * cells account for every CSV row). In a script, `bench` runs to its end before
 * the next command. The dashboard's history table shows the cells. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "ekm/generate.h"
#include "repl/repl_internal.h"
#include "tui/tui_internal.h"

/* ---- a session whose output is captured (no terminal) ---- */

typedef struct fixture {
    repl_session s;
    char *out, *err;
    size_t out_len, err_len;
    FILE *fout, *ferr;
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->fout = open_memstream(&f->out, &f->out_len);
    f->ferr = open_memstream(&f->err, &f->err_len);
    assert_non_null(f->fout);
    assert_non_null(f->ferr);
    repl_session_init(&f->s, f->fout, f->ferr, 0);
    snprintf(f->dir, sizeof f->dir, "/tmp/ekm-test-repl-bench-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    repl_session_free(&f->s);
    fclose(f->fout);
    fclose(f->ferr);
    free(f->out);
    free(f->err);
    char path[128];
    snprintf(path, sizeof path, "%s/rows.csv", f->dir);
    unlink(path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void flush(fixture *f)
{
    fflush(f->fout);
    fflush(f->ferr);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay ? hay : "(null)");
}

/* Split a command line on blanks (no quotes needed here) and start it in the
 * background as the prompt does. */
static int start_bench(fixture *f, const char *line)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", line);
    char *argv[64];
    int argc = 0;
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && argc < 63;
         t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    int st = repl_bench_start(&f->s, argc, argv);
    flush(f);
    return st;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static size_t lines_of(const char *path)
{
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    size_t lines = 0;
    int c;
    while ((c = fgetc(in)) != EOF)
        lines += c == '\n';
    fclose(in);
    return lines;
}

/* The exact optimum of the bench's data at N (uniform, d=2, seed 0), K. */
static double optimum(size_t n, unsigned k)
{
    ekm_dataset *ds;
    ekm_dissim *dm;
    ekm_error e;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, n, 2, 3, 0, &ds, &e), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &e), EKM_OK);
    ekm_dataset_release(ds);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.threads = 1;
    ekm_result *r;
    assert_int_equal(ekm_solve(dm, &o, &r, &e), EKM_OK);
    double best = r->objective;
    ekm_result_free(r);
    ekm_dissim_release(dm);
    return best;
}

/* ---- in the background: progress, the history, the report ---- */

static void test_bench_runs_in_the_background_and_fills_the_history(void **state)
{
    fixture *f = *state;
    char line[512], csv[128];
    snprintf(csv, sizeof csv, "%s/rows.csv", f->dir);
    /* per N: seq on 1 thread, par1 on 1 and 2: 3 cells; 2 N: 6 cells, 12 timed runs */
    snprintf(line, sizeof line,
             "bench -k 3 --n 100,140 --strategies seq,par1 --threads 1,2 --repeat 2 "
             "--warmup 0 --csv %s",
             csv);
    for (int attempt = 0;; attempt++) {
        assert_int_equal(start_bench(f, line), REPL_OK);
        assert_non_null(f->s.ws.bench);
        assert_contains(f->out, "started bench on uniform d=2 seed=0: K=3, 6 cells, 12 runs");

        /* meanwhile: no solve job, no second benchmark */
        assert_int_equal(repl_execute(&f->s, "gen uniform --n 40 --seed 1; set k 2; run"),
                         REPL_FAIL);
        flush(f);
        assert_contains(f->err, "a benchmark is running");
        assert_null(f->s.ws.job);
        assert_int_equal(start_bench(f, "bench -k 2 --n 20 --strategies seq --repeat 1"),
                         REPL_FAIL);

        /* progress advances; cells reach the history while it still runs */
        size_t seen_mid = 0, last_run = 0, runs = 0, history_while_running = 0;
        int polls = 0;
        while (!bench_job_done(f->s.ws.bench)) {
            bench_status st;
            if (bench_job_status(f->s.ws.bench, &st)) {
                assert_true(st.run >= last_run); /* never backwards */
                last_run = st.run;
                runs = st.runs;
                if (st.run > 0 && st.run < st.runs)
                    seen_mid++;
            }
            workspace_poll(&f->s.ws);
            if (f->s.ws.n_history < 6 && f->s.ws.n_history > history_while_running &&
                !bench_job_done(f->s.ws.bench))
                history_while_running = f->s.ws.n_history;
            sleep_ms(1);
            assert_true(++polls < 600000); /* 10 minutes: something hangs */
        }
        assert_int_equal(runs, 12);
        if (seen_mid > 0 && history_while_running > 0)
            break;
        /* The looks are samples: a stalled test thread can miss the middle of the
         * short benchmark. Then again, from scratch (at most three times). */
        if (attempt == 2)
            fail_msg("three benchmarks ran without a look at their middle (runs seen mid-way: "
                     "%zu, history while running: %zu)",
                     seen_mid, history_while_running);
        print_message("the benchmark ran between two looks; trying again\n");
        assert_int_equal(repl_bench_collect(&f->s), REPL_OK);
        flush(f);
        f->s.ws.n_history = 0;
        assert_int_equal(unlink(csv), 0);
    }
    char badge[192];
    bench_status st;
    assert_true(bench_job_status(f->s.ws.bench, &st));
    repl_bench_badge(&st, 0, badge, sizeof badge);
    assert_string_equal(badge, "[bench 12/12 par1 N=140 T=2 ETA 0:00]");

    /* the end: the report, a line, and the job is gone */
    int collected = repl_bench_collect(&f->s);
    flush(f);
    assert_int_equal(collected, REPL_OK);
    assert_null(f->s.ws.bench);
    assert_contains(f->out, "ekm bench: uniform d=2 seed=0, K=3");
    assert_contains(f->out, "bench done: 6 cells of uniform d=2 seed=0 in ");
    assert_int_equal(repl_bench_collect(&f->s), -1); /* nothing left */
    assert_int_equal(lines_of(csv), 1 + 12);

    /* the history: one record per cell, in the order they finished */
    assert_int_equal(f->s.ws.n_history, 6);
    int found[2][3] = {{0}};
    for (size_t i = 0; i < 6; i++) {
        const run_record *r = &f->s.ws.history[i];
        assert_string_equal(r->dataset, "uniform d=2 seed=0");
        assert_int_equal(r->k, 3);
        assert_int_equal(r->state, EKM_RUN_DONE);
        assert_int_equal(r->runs, 2);
        assert_true(r->exact);
        assert_true(r->seconds > 0);
        assert_true(r->seconds_min <= r->seconds && r->seconds <= r->seconds_max);
        assert_int_equal(r->evaluated, ekm_binomial(r->n, 3, NULL));
        assert_true(r->amdahl_bound >= 1);
        assert_true(r->n == 100 || r->n == 140);
        int ni = r->n == 140;
        if (r->strategy == EKM_STRATEGY_SEQ) {
            assert_int_equal(r->threads, 1);
            found[ni][0]++;
        } else {
            assert_int_equal(r->strategy, EKM_STRATEGY_PAR1);
            assert_true(r->threads == 1 || r->threads == 2);
            found[ni][r->threads]++;
            /* the speedup column finds the seq cell of the same N */
            assert_true(workspace_seq_seconds(&f->s.ws, r) > 0);
        }
        if (i >= 3)
            assert_int_equal(r->n, 140); /* the N=100 cells finish first */
    }
    for (int ni = 0; ni < 2; ni++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(found[ni][c], 1);
    double best100 = optimum(100, 3), best140 = optimum(140, 3);
    for (size_t i = 0; i < 6; i++) {
        const run_record *r = &f->s.ws.history[i];
        double want = r->n == 100 ? best100 : best140;
        assert_true(fabs(r->objective - want) <= 1e-9 * want);
    }

    /* `history` lists them, and a solve job may run again */
    assert_int_equal(repl_execute(&f->s, "history"), REPL_OK);
    flush(f);
    assert_contains(f->out, "data uniform d=2 seed=0 (euclidean)\n");
    assert_contains(f->out, "  6 par1         140  3  2 ");
}

/* ---- stopped part-way: the runs finished are kept ---- */

static void test_cancel_keeps_the_runs_finished(void **state)
{
    fixture *f = *state;
    char line[512], csv[128];
    snprintf(csv, sizeof csv, "%s/rows.csv", f->dir);
    /* per N: seq once, par1, par2 and fused on 1 and 2 threads: 7 cells; 2 N: 14. The
     * first cell (seq at N=200) is complete after round 2's first run; the six runs
     * left of that round leave the other cells of N=200 cut short when it stops */
    snprintf(line, sizeof line,
             "bench -k 3 --n 200,300 --strategies seq,par1,par2,fused --threads 1,2 --repeat 2 "
             "--warmup 0 --csv %s --quiet",
             csv);
    size_t mark, cells, timed, whole, cut_short;
    for (int attempt = 0;; attempt++) {
        flush(f);
        mark = f->out_len; /* this attempt's output starts here */
        assert_int_equal(start_bench(f, line), REPL_OK);
        int polls = 0;
        while (f->s.ws.n_history < 1) {
            assert_false(bench_job_done(f->s.ws.bench));
            workspace_poll(&f->s.ws);
            sleep_ms(1);
            assert_true(++polls < 600000);
        }
        assert_int_equal(repl_execute(&f->s, "status"), REPL_OK);
        assert_int_equal(repl_execute(&f->s, "cancel"), REPL_OK);
        flush(f);
        assert_contains(f->out + mark, "bench running on uniform d=2 seed=0, K=3: ");
        assert_contains(f->out + mark, " of 14 cells done (in 'history')");
        assert_null(f->s.ws.bench);
        assert_contains(f->out + mark, "bench stopped: ");
        assert_int_equal(f->s.status, REPL_FAIL); /* the grid is not complete */
        /* the tables of what ran */
        assert_contains(f->out + mark, "ekm bench: uniform d=2 seed=0, K=3");

        /* the cells kept: the complete ones and those cut short, fewer than the grid's,
         * and together exactly the timed runs in the CSV (each once) */
        cells = f->s.ws.n_history, timed = 0, whole = 0, cut_short = 0;
        assert_true(cells >= 2 && cells < 14);
        for (size_t i = 0; i < cells; i++) {
            const run_record *r = &f->s.ws.history[i];
            assert_true(r->runs == 1 || r->runs == 2);
            whole += r->runs == 2;
            cut_short += r->runs == 1;
            assert_int_equal(r->state, EKM_RUN_DONE);
            assert_int_equal(r->evaluated, ekm_binomial(r->n, 3, NULL));
            for (size_t j = 0; j < i; j++) /* one record per cell */
                assert_false(f->s.ws.history[j].strategy == r->strategy &&
                             f->s.ws.history[j].n == r->n &&
                             f->s.ws.history[j].threads == r->threads);
            timed += r->runs;
        }
        if (cut_short > 0)
            break;
        /* A cancel that came late (a stalled test thread) may find only whole cells:
         * then again, from scratch (at most three times). */
        if (attempt == 2)
            fail_msg("three cancels found no cell cut short (%zu cells, %zu whole)", cells, whole);
        print_message("the cancel came between two cells; trying again\n");
        f->s.ws.n_history = 0;
        assert_int_equal(unlink(csv), 0);
    }
    assert_true(whole >= 1);
    assert_int_equal(lines_of(csv), 1 + timed);
    char kept[160];
    snprintf(kept, sizeof kept, "bench stopped: %zu timed run%s of uniform d=2 seed=0 kept", timed,
             timed == 1 ? "" : "s");
    assert_contains(f->out + mark, kept);
    snprintf(kept, sizeof kept, "(%zu cells in 'history'", cells);
    assert_contains(f->out + mark, kept);

    /* nothing runs now: `cancel` and `wait` say so; a job can start */
    assert_int_equal(repl_execute(&f->s, "cancel"), REPL_OK);
    flush(f);
    assert_contains(f->out, "no job is running");
    assert_int_equal(repl_execute(&f->s, "gen uniform --n 30 --seed 1; set k 2; run; wait"),
                     REPL_OK);
    assert_int_equal(f->s.ws.n_history, cells + 1);
}

/* ---- in a script: to the end before the next command ---- */

static void test_script_runs_bench_to_its_end(void **state)
{
    fixture *f = *state;
    int st = repl_execute(&f->s, "bench -k 2 --n 30,40 --strategies seq,fused --threads 1,2 "
                                 "--repeat 1 --warmup 0; history");
    flush(f);
    assert_int_equal(st, REPL_OK);
    assert_null(f->s.ws.bench);
    /* seq once per N, fused on 1 and 2 threads */
    assert_int_equal(f->s.ws.n_history, 6);
    const char *report = strstr(f->out, "ekm bench: uniform d=2 seed=0, K=2");
    const char *done = strstr(f->out, "bench done: 6 cells");
    const char *history = strstr(f->out, "speedup: seq's time");
    assert_non_null(report);
    assert_non_null(done);
    assert_non_null(history);
    assert_true(report < done && done < history);
    /* a line per finished cell on stderr, as `ekm bench` on a pipe */
    assert_contains(f->err, "bench: 6/6 runs; fused N=40 T=2: ");
    /* a bad option: one error line, usage status, nothing started */
    assert_int_equal(repl_execute(&f->s, "bench --n 10 --strategis seq"), REPL_USAGE);
    assert_null(f->s.ws.bench);
}

/* ---- the dashboard's history table ---- */

static void test_tui_history_shows_bench_cells(void **state)
{
    fixture *f = *state;
    assert_int_equal(repl_execute(&f->s, "bench -k 2 --n 24 --strategies seq,par1 --threads 2 "
                                         "--repeat 3 --warmup 0 --quiet"),
                     REPL_OK);
    assert_int_equal(f->s.ws.n_history, 2);
    for (int utf8 = 0; utf8 <= 1; utf8++) {
        tui_grid g;
        assert_int_equal(tui_grid_init(&g, 6, 100, utf8), 0);
        tui_screen scr;
        tui_screen_init(&scr);
        scr.utf8 = utf8;
        scr.ws = &f->s.ws;
        tui_draw_history(&scr, &g, 0, 6);
        char *text = tui_grid_to_text(&g, 0);
        assert_non_null(text);
        assert_contains(text, utf8 ? "bench\xc3\x97" "3" : "bench x3");
        assert_contains(text, "seq");
        assert_contains(text, "par1");
        free(text);
        tui_grid_free(&g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bench_runs_in_the_background_and_fills_the_history,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_keeps_the_runs_finished, setup, teardown),
        cmocka_unit_test_setup_teardown(test_script_runs_bench_to_its_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tui_history_shows_bench_cells, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
