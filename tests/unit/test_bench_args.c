/* test_bench_args.c — the benchmark's arguments (grid, outputs, errors) and the
 * benchmark as a job: every cell published, a cancelled job's rows kept. */
#include "test_bench.h"

/* ---- arguments ---- */

/* Parse a line split on blanks; returns bench_request_parse's result. */
static int parse_line(const char *line, bench_request *a, char *err, size_t errsize)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", line);
    char *argv[48];
    int argc = 0;
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && argc < 47;
         t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    return bench_request_parse(argc, argv, a, err, errsize);
}

static void args_grid_and_outputs(void **state)
{
    (void)state;
    bench_request a;
    char err[512];
    assert_int_equal(parse_line("bench -k 2 --n 20,30 --strategies seq,par1 --threads 1,2 "
                                "--repeat 4 --warmup 0 --gen blobs --clusters 5 --seed 7 "
                                "--csv out.csv --plot=p.png --markdown --predict 800",
                                &a, err, sizeof err),
                     0);
    assert_int_equal(a.kernel, 0);
    assert_int_equal(a.cfg.k, 2);
    assert_int_equal(a.cfg.n_ns, 2);
    assert_int_equal(a.cfg.ns[1], 30);
    assert_int_equal(a.cfg.n_strategies, 2);
    assert_int_equal(a.cfg.strategies[1], EKM_STRATEGY_PAR1);
    assert_int_equal(a.cfg.n_threads, 2);
    assert_int_equal(a.cfg.repeat, 4);
    assert_int_equal(a.cfg.warmup, 0);
    assert_int_equal(a.cfg.gen, EKM_GEN_BLOBS);
    assert_int_equal(a.cfg.gen_clusters, 5);
    assert_int_equal(a.cfg.seed, 7);
    assert_null(a.cfg.source);
    assert_string_equal(a.csv_path, "out.csv");
    assert_string_equal(a.plot_path, "p.png");
    assert_int_equal(a.markdown, 1);
    assert_int_equal(a.quiet, 0);
    assert_true(a.predict_n == 800);
    /* per N: seq once, par1 on 1 and 2 threads */
    assert_int_equal(bench_grid_cells(&a.cfg), 2 * 3);
    char name[128];
    bench_describe_source(&a.cfg, name, sizeof name);
    assert_string_equal(name, "blobs d=2 clusters=5 seed=7");
    bench_request_free(&a);
    /* a file: its rows, all of them without --n */
    assert_int_equal(parse_line("bench " EKM_SOURCE_DIR "/data/iris.csv -k 2 --strategies seq "
                                "--quiet",
                                &a, err, sizeof err),
                     0);
    assert_non_null(a.cfg.source);
    assert_int_equal(a.cfg.n_ns, 1);
    assert_int_equal(a.cfg.ns[0], 150);
    assert_int_equal(a.quiet, 1);
    bench_request_free(&a);
    /* the kernel figures */
    assert_int_equal(parse_line("bench --kernel --n 60 --parts fused,plans", &a, err, sizeof err),
                     0);
    assert_int_equal(a.kernel, 1);
    assert_int_equal(a.kernel_opts.n, 60);
    assert_int_equal(a.kernel_opts.parts, BENCH_PART_FUSED | BENCH_PART_PLANS);
    bench_request_free(&a);
}

static void args_errors(void **state)
{
    (void)state;
    static const struct {
        const char *line, *message;
    } bad[] = {
        {"bench --strategis seq", "bench: unknown option '--strategis' (did you mean --strategies?)"},
        {"bench --n", "bench: --n needs a value"},
        {"bench --markdown=1", "bench: --markdown takes no value"},
        {"bench --kernel --csv x.csv", "bench: --csv does not apply to --kernel"},
        {"bench --parts fused", "bench: --scaling-n and --parts go with --kernel"},
        {"bench x.csv --gen uniform", "bench: give a FILE or --gen, not both"},
        {"bench --gen spiral", "bench: --gen: unknown kind 'spiral' (uniform or blobs)"},
        {"bench -k 5 --n 4", "bench: K=5 exceeds N=4"},
        {"bench --plot=", "bench: --plot needs a file name"},
        {"bench --out x", "bench: --out is not a bench option; use --csv or --plot"},
        {"bench -p 4 --leaf 8", "bench: give --partitions or --leaf, not both"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bench_request a;
        char err[512] = "";
        if (parse_line(bad[i].line, &a, err, sizeof err) != -1)
            fail_msg("'%s' was accepted", bad[i].line);
        if (strcmp(err, bad[i].message))
            fail_msg("'%s': \"%s\", expected \"%s\"", bad[i].line, err, bad[i].message);
    }
    bench_request a;
    char err[512];
    assert_int_equal(parse_line("bench /nonexistent/pts.csv", &a, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/pts.csv"));
}

/* ---- in the background ---- */

/* The tiny grid as arguments (1 warm-up, 2 timed runs; 10 cells). */
static void tiny_request(bench_request *a)
{
    memset(a, 0, sizeof *a);
    tiny_config(&a->cfg);
    bench_kernel_options_default(&a->kernel_opts);
}

static void job_publishes_every_cell(void **state)
{
    (void)state;
    bench_request a;
    tiny_request(&a);
    char err[512], csv[] = "/tmp/ekm-test-bench-job-XXXXXX";
    int fd = mkstemp(csv);
    assert_true(fd >= 0);
    close(fd);
    snprintf(a.csv_path, sizeof a.csv_path, "%s", csv);
    bench_job *j;
    assert_int_equal(bench_job_start(&a, &j, err, sizeof err), 0);
    assert_string_equal(bench_job_dataset(j), "uniform d=2 seed=0");
    size_t cursor = 0, got = 0;
    bench_cell cells[16];
    int waits = 0;
    while (!bench_job_wait_for(j, 0.01)) {
        got += bench_job_take_cells(j, &cursor, cells + got, 16 - got);
        assert_true(++waits < 60000);
    }
    got += bench_job_take_cells(j, &cursor, cells + got, 16 - got);
    assert_int_equal(got, 10);
    assert_int_equal(bench_job_cells_done(j), 10);
    assert_int_equal(bench_job_take_cells(j, &cursor, cells, 16), 0); /* all taken */
    for (size_t i = 0; i < got; i++) {
        assert_int_equal(cells[i].count, 2);
        assert_int_equal(cells[i].evaluated, cells[i].n == 20 ? 190 : 435);
        assert_true(cells[i].min <= cells[i].median && cells[i].median <= cells[i].max);
        assert_true(cells[i].medoids[0] != '\0');
        for (size_t k = 0; k < i; k++)
            assert_false(cells[k].strategy == cells[i].strategy && cells[k].n == cells[i].n &&
                         cells[k].threads == cells[i].threads);
    }
    bench_status st;
    assert_int_equal(bench_job_status(j, &st), 1);
    assert_int_equal(st.run, 30);
    assert_int_equal(st.runs, 30);
    assert_null(st.row);
    int csv_failed = 1;
    assert_int_equal(bench_job_outcome(j, err, sizeof err, &csv_failed), 0);
    assert_int_equal(csv_failed, 0);
    const bench_results *res = bench_job_results(j);
    assert_non_null(res);
    assert_int_equal(res->n, 20);
    assert_int_equal(res->interrupted, 0);
    bench_job_destroy(j);
    FILE *in = fopen(csv, "r");
    assert_non_null(in);
    int lines = 0, c;
    while ((c = fgetc(in)) != EOF)
        lines += c == '\n';
    fclose(in);
    unlink(csv);
    assert_int_equal(lines, 1 + 20);
    /* a CSV that cannot be written: refused before anything runs */
    snprintf(a.csv_path, sizeof a.csv_path, "/nonexistent/dir/rows.csv");
    assert_int_equal(bench_job_start(&a, &j, err, sizeof err), -1);
    assert_null(j);
    assert_non_null(strstr(err, "/nonexistent/dir/rows.csv: cannot write"));
}

static void job_cancelled_keeps_its_rows_as_cells(void **state)
{
    (void)state;
    bench_request a;
    tiny_request(&a);
    a.cfg.ns[0] = 160; /* long enough to stop in the middle */
    a.cfg.ns[1] = 400;
    a.cfg.k = 3;
    a.cfg.warmup = 0;
    bench_job *j;
    char err[512];
    assert_int_equal(bench_job_start(&a, &j, err, sizeof err), 0);
    bench_status st;
    int waits = 0;
    /* N=160's round 1 (5 runs) and a run of round 2: one cell done, 4 cut short */
    while (!bench_job_status(j, &st) || st.run < 6) {
        assert_false(bench_job_done(j));
        bench_job_wait_for(j, 0.001);
        assert_true(++waits < 600000);
    }
    bench_job_cancel(j);
    assert_true(bench_job_cancelled(j));
    while (!bench_job_wait_for(j, 1)) {
    }
    const bench_results *res = bench_job_results(j);
    assert_int_equal(res->interrupted, 1);
    assert_true(res->n >= 6 && res->n < 20);
    size_t cursor = 0;
    bench_cell cells[16];
    size_t got = bench_job_take_cells(j, &cursor, cells, 16);
    int timed = 0, whole = 0;
    for (size_t i = 0; i < got; i++) {
        timed += cells[i].count;
        whole += cells[i].count == 2;
    }
    assert_int_equal(timed, (int)res->n); /* every row kept is in one cell */
    assert_true(whole >= 1);
    assert_true(got >= 5); /* N=160's five cells at least */
    assert_int_equal(bench_job_outcome(j, err, sizeof err, NULL), 0);
    bench_job_destroy(j);
    bench_job_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(args_grid_and_outputs),
        cmocka_unit_test(args_errors),
        cmocka_unit_test(job_publishes_every_cell),
        cmocka_unit_test(job_cancelled_keeps_its_rows_as_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
