/* test_repl_jobs.c — the REPL's jobs: run, wait, result, save, history; cancel
 * (keeping the best found); results tied to their data; long runs; compare. */
#include "test_repl.h"

/* ---- jobs ---- */

static ekm_result *reference(unsigned k)
{
    ui_settings st;
    settings_init(&st);
    ekm_dissim *dm;
    char err[512];
    assert_int_equal(dataset_load(&st, IRIS, &dm, err, sizeof err), 0);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = k;
    o.threads = 1;
    ekm_result *r;
    ekm_error e;
    assert_int_equal(ekm_solve(dm, &o, &r, &e), EKM_OK);
    ekm_dissim_release(dm);
    return r;
}

static void test_run_wait_result_save_history(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "run"), REPL_FAIL);
    assert_contains(f->err, "no data loaded");
    assert_int_equal(run(f, "result"), REPL_FAIL);
    assert_contains(f->err, "no result yet");
    assert_int_equal(run(f, "load " IRIS "; set k 3; set strategy par2; set threads 2"), REPL_OK);
    assert_int_equal(run(f, "run --bogus"), REPL_USAGE);
    assert_int_equal(run(f, "run extra"), REPL_USAGE);
    assert_int_equal(run(f, "run; wait"), REPL_OK);
    assert_contains(f->out,
                    "started par2 on iris: N=150 K=3, 2 threads, 551,300 K-subsets in 7 stages");
    assert_contains(f->out, "job done: par2 on iris (N=150 K=3, 2 threads)");
    ekm_result *ref = reference(3);
    const ekm_result *r = f->s.ws.result;
    assert_non_null(r);
    assert_int_equal(r->k, 3);
    assert_memory_equal(r->medoids, ref->medoids, 3 * sizeof *r->medoids);
    assert_close(r->objective, ref->objective, 1e-9);
    assert_int_equal(r->strategy, EKM_STRATEGY_PAR2);
    /* result in words and JSON */
    assert_int_equal(run(f, "result"), REPL_OK);
    assert_contains(f->out, "objective 98.13115488 (proven optimal)");
    assert_int_equal(run(f, "result --json"), REPL_OK);
    char medoids[64];
    snprintf(medoids, sizeof medoids, "\"medoids\":[%u,%u,%u]", ref->medoids[0], ref->medoids[1],
             ref->medoids[2]);
    assert_contains(f->out, medoids);
    assert_contains(f->out, "\"strategy\":\"par2\"");
    /* save */
    char dir[] = "/tmp/ekm-test-repl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[1024], labels[256], json[256];
    snprintf(labels, sizeof labels, "%s/labels.csv", dir);
    snprintf(json, sizeof json, "%s/result.json", dir);
    snprintf(cmd, sizeof cmd, "save labels %s; save result %s", labels, json);
    assert_int_equal(run(f, cmd), REPL_OK);
    FILE *in = fopen(labels, "r");
    assert_non_null(in);
    char line[256];
    int lines = 0, in_cluster[4] = {0};
    while (fgets(line, sizeof line, in)) {
        if (lines++ == 0) {
            assert_string_equal(line, "index,cluster,medoid,label,silhouette\n");
            continue;
        }
        unsigned idx, cl, med;
        assert_int_equal(sscanf(line, "%u,%u,%u,", &idx, &cl, &med), 3);
        assert_int_equal(idx, (unsigned)lines - 2);
        assert_true(cl >= 1 && cl <= 3);
        assert_int_equal(med, ref->medoids[cl - 1]);
        in_cluster[cl]++;
    }
    fclose(in);
    assert_int_equal(lines, 151);
    for (int c = 1; c <= 3; c++)
        assert_int_equal(in_cluster[c], (int)ref->cluster_size[c - 1]);
    in = fopen(json, "r");
    assert_non_null(in);
    char buf[8192];
    size_t len = fread(buf, 1, sizeof buf - 1, in);
    buf[len] = '\0';
    fclose(in);
    assert_contains(buf, medoids);
    assert_int_equal(run(f, "save"), REPL_USAGE);
    assert_int_equal(run(f, "save labels"), REPL_USAGE);
    assert_int_equal(run(f, "save picture x.png"), REPL_USAGE);
    assert_int_equal(run(f, "save labels /nonexistent/dir/l.csv"), REPL_FAIL);
    assert_contains(f->err, "/nonexistent/dir/l.csv: cannot write");
    unlink(labels);
    unlink(json);
    rmdir(dir);
    /* a seq run, then the history shows par2's speedup against it */
    assert_int_equal(run(f, "set strategy seq; run; wait"), REPL_OK);
    assert_int_equal(run(f, "history"), REPL_OK);
    assert_int_equal(f->s.ws.n_history, 2);
    assert_contains(f->out, "  # strategy       N  K  T  seconds  speedup");
    assert_contains(f->out, "data iris (euclidean)\n  1 par2         150  3  2 ");
    assert_contains(f->out, "\n  2 seq          150  3  1 ");
    assert_contains(f->out, "1.00x");
    assert_max_width(f->out, 80);
    assert_int_equal(run(f, "status"), REPL_OK);
    assert_contains(f->out, "done: seq, N=150 K=3, 1 thread\n  100.0%: 551300/551300 K-subsets in ");
    assert_contains(f->out, "L0 [0,150)");
    assert_max_width(f->out, 80);
    ekm_result_free(ref);
}

static void test_cancel_a_long_job(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "cancel"), REPL_OK);
    assert_contains(f->out, "no job is running");
    assert_int_equal(run(f, "gen uniform --n 1500 --d 2 --seed 3; set k 3; set strategy par2; "
                            "set threads 2; run"),
                     REPL_OK);
    assert_true(workspace_running(&f->s.ws));
    assert_int_equal(run(f, "run"), REPL_FAIL); /* one job at a time */
    assert_contains(f->err, "a job is running");
    assert_int_equal(run(f, "result"), REPL_FAIL);
    assert_contains(f->err, "no result yet: the job is running");
    assert_int_equal(run(f, "status"), REPL_OK);
    assert_contains(f->out, "M6 [0,750)+[750,1500)");
    assert_int_equal(run(f, "cancel"), REPL_OK);
    assert_contains(f->out, "job cancelled: par2 on uniform(n=1500,d=2,seed=3)");
    assert_false(workspace_running(&f->s.ws));
    assert_int_equal(f->s.ws.n_history, 1);
    assert_int_equal(f->s.ws.history[0].state, EKM_RUN_CANCELLED);
    /* no result, or the best set found before the cancel: never a proven one */
    assert_true(!f->s.ws.result || (f->s.ws.result->stopped && !f->s.ws.result->exact));
    assert_int_equal(run(f, "wait"), REPL_FAIL); /* the job did not finish */
    assert_contains(f->out, "was cancelled");
}

/* Block until the running job has a best set (deadline: 5 minutes), and check it is
 * still running then. */
static void wait_for_best(fixture *f)
{
    ekm_progress *p = malloc(sizeof *p);
    assert_non_null(p);
    double t0 = ekm_now();
    for (;;) {
        ekm_job_progress(f->s.ws.job, p);
        if (p->has_best && p->done > 0)
            break;
        if (ekm_job_done(f->s.ws.job))
            fail_msg("the job ended before it had a best set");
        if (ekm_now() - t0 > 300)
            fail_msg("no best set after 300 s");
        ekm_job_wait_for(f->s.ws.job, 0.02);
    }
    free(p);
    assert_true(workspace_running(&f->s.ws)); /* C(400,4) = 1e9 subsets: minutes of work */
}

static void test_cancel_keeps_the_best_found(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "gen uniform --n 400 --d 2 --seed 3; set k 4; set strategy seq; run"),
                     REPL_OK);
    wait_for_best(f);
    assert_int_equal(run(f, "cancel"), REPL_OK);
    assert_contains(f->out, "job cancelled: seq on uniform(n=400,d=2,seed=3) after ");
    assert_contains(f->out, "; best found so far ");
    assert_contains(f->out, "not proven optimal ('result' shows it)");
    const ekm_result *r = f->s.ws.result;
    assert_non_null(r);
    assert_true(r->stopped);
    assert_false(r->exact);
    assert_int_equal(r->k, 4);
    assert_int_equal(r->n, 400);
    assert_true(r->evaluated > 0 && r->evaluated < r->total);
    for (unsigned i = 1; i < 4; i++)
        assert_true(r->medoids[i - 1] < r->medoids[i]);
    /* its objective is that of its medoids (an independent long-double count), and
     * not below the optimum */
    ekm_dataset *ds = ekm_dissim_dataset(f->s.ws.result_dm);
    assert_non_null(ds);
    long double *D = brute_matrix(ekm_dataset_coords(ds), 400, 2, BRUTE_EUCLIDEAN);
    assert_non_null(D);
    double own = (double)brute_objective(D, 400, r->medoids, 4);
    assert_close(r->objective, own, 1e-9 * own);
    free(D);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 4;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = 2;
    ekm_result *opt;
    ekm_error e;
    assert_int_equal(ekm_solve(f->s.ws.dm, &o, &opt, &e), EKM_OK);
    assert_true(r->objective >= opt->objective * (1 - 1e-12));
    ekm_result_free(opt);
    /* result, its JSON and saved labels say what it is */
    assert_int_equal(run(f, "result"), REPL_OK);
    assert_contains(f->out, "(best found before the cancel, not proven optimal)");
    assert_null(strstr(f->out, "(proven optimal)"));
    assert_contains(f->out, "cancelled after ");
    assert_int_equal(run(f, "result --json"), REPL_OK);
    assert_contains(f->out, "\"exact\":false,\"cancelled\":true,\"done\":");
    const char *frac = strstr(f->out, "\"fraction_done\":");
    assert_non_null(frac);
    double done = strtod(frac + strlen("\"fraction_done\":"), NULL);
    assert_close(done, (double)(r->evaluated + r->pruned) / (double)r->total, 1e-12);
    assert_true(done > 0 && done < 1);
    char dir[] = "/tmp/ekm-test-repl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512], labels[256];
    snprintf(labels, sizeof labels, "%s/l.csv", dir);
    snprintf(cmd, sizeof cmd, "save labels %s", labels);
    assert_int_equal(run(f, cmd), REPL_OK);
    assert_contains(f->out, "warning: not proven optimal: the best set found before the cancel");
    FILE *in = fopen(labels, "r");
    assert_non_null(in);
    char line[256];
    int lines = 0;
    while (fgets(line, sizeof line, in))
        lines++;
    fclose(in);
    assert_int_equal(lines, 401);
    unlink(labels);
    rmdir(dir);
    /* a plot of it says so too */
    plot_scatter_input pin;
    plot_scatter_input_from_result(&pin, ds, f->s.ws.result_dm, r);
    assert_string_equal(pin.status, "cancelled: the best set found, not proven optimal");
    assert_int_equal(run(f, "wait"), REPL_FAIL); /* the job did not finish */
}

static void test_a_result_belongs_to_its_data(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "load " IRIS "; set k 3; set strategy pruned; run; wait; result"),
                     REPL_OK);
    assert_contains(f->out, "(proven optimal)");
    char dir[] = "/tmp/ekm-test-repl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512], labels[256];
    snprintf(labels, sizeof labels, "%s/l.csv", dir);
    /* other data: iris's result is not this data's */
    assert_int_equal(run(f, "gen uniform --n 50 --d 2 --seed 1; result"), REPL_FAIL);
    assert_contains(f->err, "no result for the current data (uniform(n=50,d=2,seed=1) K=3): the "
                            "last one is of iris K=3 (run 1 in 'history')");
    snprintf(cmd, sizeof cmd, "save labels %s", labels);
    assert_int_equal(run(f, cmd), REPL_FAIL);
    assert_contains(f->err, "no result for the current data");
    assert_int_equal(access(labels, F_OK), -1); /* nothing written */
    assert_int_equal(run(f, "save result x.json"), REPL_FAIL);
    assert_int_equal(run(f, "plot --out x.png"), REPL_FAIL);
    assert_int_equal(run(f, "history"), REPL_OK); /* it stays in the history */
    assert_contains(f->out, "data iris (euclidean)\n  1 pruned       150  3 ");
    /* a run on the new data cancelled at once: its own best set or nothing, never iris's */
    assert_int_equal(run(f, "gen uniform --n 1500 --d 2 --seed 3; set strategy par2; run; cancel"),
                     REPL_OK);
    int st = run(f, "result");
    if (st == REPL_OK) {
        assert_contains(f->out, "uniform(n=1500,d=2,seed=3): N=1500");
        assert_contains(f->out, "not proven optimal");
    } else {
        assert_int_equal(st, REPL_FAIL);
        assert_contains(f->err, "no result for the current data (uniform(n=1500,d=2,seed=3) K=3)");
    }
    /* the same file loaded again is new data too; K and the metric belong to it */
    assert_int_equal(run(f, "load " IRIS "; result"), REPL_FAIL);
    assert_int_equal(run(f, "set strategy pruned; run; wait; result"), REPL_OK);
    assert_int_equal(run(f, "set k 4; result"), REPL_FAIL);
    assert_contains(f->err, "no result for the current data (iris K=4)");
    assert_int_equal(run(f, "set k 3; result"), REPL_OK);
    assert_int_equal(run(f, "set metric manhattan; result"), REPL_FAIL);
    rmdir(dir);
}

/* A CSV of 70 points on a 7 x 10 lattice (many equal objectives). */
static void write_lattice(const char *path)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fprintf(out, "x,y\n");
    for (int i = 0; i < 70; i++)
        fprintf(out, "%d,%d\n", i % 7, i / 7);
    assert_int_equal(fclose(out), 0);
}

static void test_long_runs_are_refused_pruned_never(void **state)
{
    fixture *f = *state;
    char dir[] = "/tmp/ekm-test-repl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/lattice.csv", dir);
    write_lattice(path);
    snprintf(cmd, sizeof cmd, "load %s; set threads 1; run -k 64", path);
    assert_int_equal(run(f, cmd), REPL_FAIL);
    assert_contains(f->err, "run: about ");
    assert_contains(f->err, "K-subsets x 70 points");
    assert_contains(f->err, "add --yes to start it anyway");
    assert_false(workspace_running(&f->s.ws));
    /* pruned has no estimate: it starts without a word, in a script and on a terminal */
    assert_int_equal(run(f, "run -k 64 --strategy pruned"), REPL_OK);
    assert_contains(f->out, "started pruned on lattice: N=70 K=64");
    assert_null(strstr(f->out, "estimated"));
    assert_int_equal(run(f, "cancel"), REPL_OK);
    f->s.interactive = 1; /* a question would be printed (and read from stdin) */
    assert_int_equal(run(f, "run -k 64 --strategy pruned"), REPL_OK);
    f->s.interactive = 0;
    assert_null(strstr(f->out, "estimated"));
    assert_null(strstr(f->out, "start it?"));
    assert_int_equal(run(f, "cancel"), REPL_OK);
    /* --yes starts the long one */
    assert_int_equal(run(f, "run -k 64 --strategy seq --yes; cancel"), REPL_OK);
    assert_contains(f->out, "started seq on lattice: N=70 K=64");
    unlink(path);
    rmdir(dir);
}

static void test_compare_on_iris(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "compare"), REPL_FAIL);
    assert_int_equal(run(f, "load " IRIS "; set k 3; compare"), REPL_OK);
    ekm_result *ref = reference(3);
    char optimal[128];
    snprintf(optimal, sizeof optimal, "pruned          98.13115488    optimal");
    assert_contains(f->out, optimal);
    char medoids[64];
    snprintf(medoids, sizeof medoids, "{%u,%u,%u}", ref->medoids[0], ref->medoids[1],
             ref->medoids[2]);
    assert_contains(f->out, medoids);
    const char *names[] = {"\npam ", "\nfasterpam ", "\nclarans ", "\nalternate "};
    for (int i = 0; i < 4; i++)
        assert_contains(f->out, names[i]);
    ekm_result_free(ref);
    assert_int_equal(run(f, "compare now"), REPL_USAGE);
    /* the options of run: -k given to compare is used, and stays as with run */
    assert_int_equal(run(f, "compare -k 2 --threads 1"), REPL_OK);
    assert_contains(f->out, "compare on iris: N=150 K=2 metric=euclidean, 1 threads");
    assert_int_equal(f->s.ws.settings.solve.k, 2);
    ekm_result *ref2 = reference(2);
    snprintf(medoids, sizeof medoids, "{%u,%u}", ref2->medoids[0], ref2->medoids[1]);
    assert_contains(f->out, medoids);
    ekm_result_free(ref2);
    assert_int_equal(run(f, "compare -k 0"), REPL_USAGE);
    assert_contains(f->err, "compare: ");
    assert_int_equal(run(f, "compare --bogus"), REPL_USAGE);
    assert_int_equal(f->s.ws.settings.solve.k, 2); /* a refused option changes nothing */
}

/* Recorded runs (as a busy machine gave them): par1 at 1.66x against its bound
 * 1.14x, with seq on less than a core under a load of 9.5. history marks it "!"
 * with the reasons, never bare, and fits 80 columns even with a long data name;
 * a run too short to time is marked "~". */
static void test_history_flags_speedups_above_the_bound(void **state)
{
    fixture *f = *state;
    run_record r;
    memset(&r, 0, sizeof r);
    snprintf(r.dataset, sizeof r.dataset, "uniform(n=800,d=2,seed=1)");
    r.strategy = EKM_STRATEGY_SEQ;
    r.n = 800;
    r.k = 3;
    r.threads = 1;
    r.exact = 1;
    r.state = EKM_RUN_DONE;
    r.seconds = 20;
    r.amdahl_bound = 1;
    r.cpu_wall = 0.6;
    r.load = 9.5;
    r.objective = 185.5088364;
    workspace_add_run(&f->s.ws, &r);
    r.strategy = EKM_STRATEGY_PAR1;
    r.threads = 2;
    r.seconds = 12.05;
    r.amdahl_bound = 1.1425;
    r.cpu_wall = 1.9;
    r.load = 3.1;
    workspace_add_run(&f->s.ws, &r);
    r.strategy = EKM_STRATEGY_PAR2;
    r.seconds = 19; /* 1.05x: below its bound, no mark */
    r.amdahl_bound = 1.16;
    workspace_add_run(&f->s.ws, &r);
    assert_int_equal(run(f, "history"), REPL_OK);
    assert_contains(f->out, "data uniform(n=800,d=2,seed=1) (euclidean)\n");
    assert_contains(f->out, "  2 par1         800  3  2   12.050   1.66x!  1.14x  3.1  1.90 done ");
    assert_contains(f->out, "  3 par2         800  3  2   19.000    1.05x  1.16x ");
    assert_contains(f->out, "! #2: above bound 1.14x: busy (load 9.5), cpu/wall<T\n");
    assert_contains(f->out, "! above the bound or the cores");
    assert_true(strstr(f->out, "#3:") == NULL);
    assert_true(strstr(f->out, "~") == NULL);
    assert_max_width(f->out, 80);
    f->s.ws.history[1].seconds = 0.2; /* too short to time, and far above */
    f->s.ws.history[2].seconds = 18;
    f->s.ws.history[0].seconds = 18.9;
    assert_int_equal(run(f, "history"), REPL_OK);
    assert_contains(f->out, "! #2: above bound 1.14x: busy (load 9.5), cpu/wall<T, too short\n");
    assert_contains(f->out, "  3 par2         800  3  2   18.000    1.05x  1.16x ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_wait_result_save_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_flags_speedups_above_the_bound, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cancel_a_long_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_keeps_the_best_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_result_belongs_to_its_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_runs_are_refused_pruned_never, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_on_iris, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
