/* test_repl_settings.c — the REPL's settings and data: set (every setting,
 * errors), the metric rebuilding the matrix, load, info, gen. */
#include "test_repl.h"

/* ---- settings ---- */

static void test_set_every_setting(void **state)
{
    fixture *f = *state;
    const ui_settings *st = &f->s.ws.settings;
    assert_int_equal(run(f, "set k 5"), REPL_OK);
    assert_int_equal(st->solve.k, 5);
    assert_string_equal(f->out, "k=5\n");
    assert_int_equal(run(f, "set strategy par2"), REPL_OK);
    assert_int_equal(st->solve.strategy, EKM_STRATEGY_PAR2);
    assert_int_equal(run(f, "set threads 3"), REPL_OK);
    assert_int_equal(st->solve.threads, 3);
    assert_int_equal(run(f, "set partitions 6"), REPL_OK);
    assert_int_equal(st->solve.partitions, 6);
    assert_int_equal(run(f, "set leaf 40"), REPL_OK);
    assert_int_equal(st->solve.leaf, 40);
    assert_int_equal(run(f, "set seed 42"), REPL_OK);
    assert_int_equal(st->solve.seed, 42);
    assert_int_equal(run(f, "set restarts 7"), REPL_OK);
    assert_int_equal(st->solve.restarts, 7);
    assert_int_equal(run(f, "set metric manhattan"), REPL_OK);
    assert_int_equal(st->metric, EKM_METRIC_MANHATTAN);
    assert_int_equal(run(f, "set label-column last; set missing drop; set separator tab"),
                     REPL_OK);
    assert_int_equal(st->csv.label, EKM_LABEL_LAST);
    assert_int_equal(st->csv.missing, EKM_MISSING_DROP);
    assert_int_equal(st->csv.separator, '\t');
    /* other spellings: NAME=VALUE, the option names and aliases */
    assert_int_equal(run(f, "set k=4"), REPL_OK);
    assert_int_equal(st->solve.k, 4);
    assert_int_equal(run(f, "set --k 6; set -s fused; set -t 2"), REPL_OK);
    assert_int_equal(st->solve.k, 6);
    assert_int_equal(st->solve.strategy, EKM_STRATEGY_FUSED);
    assert_int_equal(st->solve.threads, 2);
    /* show lists what was set */
    assert_int_equal(run(f, "show"), REPL_OK);
    assert_contains(f->out, "k             6 ");
    assert_contains(f->out, "strategy      fused ");
    assert_contains(f->out, "metric        manhattan ");
    assert_contains(f->out, "restarts      7 ");
    assert_contains(f->out, "data          none loaded");
    /* the value `show` prints is one `set` takes back */
    for (size_t i = 0; i < settings_option_count; i++) {
        const settings_option *o = repl_setting_find(settings_options[i].name);
        if (!o)
            continue;
        char value[64], cmd[128];
        repl_setting_value(st, o, value, sizeof value);
        snprintf(cmd, sizeof cmd, "set %s %s", o->name + 2, value);
        ui_settings before = *st;
        assert_int_equal(run(f, cmd), REPL_OK);
        assert_memory_equal(&before, st, sizeof before);
    }
}

static void test_set_errors_leave_settings_alone(void **state)
{
    fixture *f = *state;
    ui_settings before = f->s.ws.settings;
    struct {
        const char *cmd, *msg;
    } bad[] = {
        {"set k 0", "ekm: set: K must be between 1 and 64, not 0\n"},
        {"set k 65", "ekm: set: K must be between 1 and 64, not 65\n"},
        {"set k abc", "ekm: set: K: 'abc' is not a whole number\n"},
        {"set k -3", "ekm: set: K: '-3' is not a whole number\n"},
        {"set threads 0", "between 1 and"},
        {"set strategy foo", "ekm: set: --strategy: unknown strategy 'foo'"},
        {"set metric cosine", "ekm: set: --metric: unknown metric 'cosine'"},
        {"set kk 3", "ekm: set: unknown setting 'kk' (did you mean 'k'?)\n"},
        {"set stratgy par2", "(did you mean 'strategy'?)"},
        {"set dissimilarity x.csv", "ekm: set: unknown setting 'dissimilarity'"},
        {"set json 1", "unknown setting 'json'"},
        {"set", "ekm: usage: set NAME VALUE, NAME one of k, strategy, threads"},
        {"set k", "ekm: set k needs a value (K)\n"},
        {"set k 3 4", "usage: set NAME VALUE"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(run(f, bad[i].cmd), REPL_USAGE);
        assert_contains(f->err, bad[i].msg);
        assert_non_null(strchr(f->err, '\n'));
        assert_int_equal(strchr(f->err, '\n')[1], '\0'); /* exactly one line */
        assert_memory_equal(&before, &f->s.ws.settings, sizeof before);
    }
}

static void test_set_metric_rebuilds_the_loaded_matrix(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "load " IRIS), REPL_OK);
    assert_contains(f->out, "loaded iris: N=150 D=4 metric=euclidean");
    const ekm_dataset *ds = ekm_dissim_dataset(f->s.ws.dm);
    const double *a = ekm_dataset_point(ds, 0), *b = ekm_dataset_point(ds, 100);
    double l1 = 0;
    for (int j = 0; j < 4; j++)
        l1 += fabs(a[j] - b[j]);
    assert_true(fabs(ekm_dissim_exact(f->s.ws.dm, 0, 100) - l1) > 1e-3); /* euclidean now */
    assert_int_equal(run(f, "set metric manhattan"), REPL_OK);
    assert_contains(f->out, "metric=manhattan (the matrix of iris was rebuilt)");
    assert_int_equal(ekm_dissim_metric(f->s.ws.dm), EKM_METRIC_MANHATTAN);
    assert_close(ekm_dissim_exact(f->s.ws.dm, 0, 100), l1, 1e-12);
    assert_int_equal(run(f, "info"), REPL_OK);
    assert_contains(f->out, "metric   manhattan");
}

/* ---- data ---- */

static void test_load_info_and_errors(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "info"), REPL_FAIL);
    assert_contains(f->err, "no data loaded");
    assert_int_equal(run(f, "load"), REPL_USAGE);
    assert_contains(f->err, "load: which file?");
    assert_int_equal(run(f, "load /nonexistent/x.csv --metric manhattan"), REPL_USAGE);
    assert_contains(f->err, "/nonexistent/x.csv");
    assert_int_equal(f->s.ws.settings.metric, EKM_METRIC_EUCLIDEAN); /* not kept on failure */
    assert_int_equal(run(f, "load " IRIS " --metrc manhattan"), REPL_USAGE);
    assert_contains(f->err, "unknown option '--metrc' (did you mean --metric?)");
    assert_null(f->s.ws.dm);
    assert_int_equal(run(f, "load " IRIS " -k 3"), REPL_USAGE); /* not a data option */
    assert_int_equal(run(f, "load " IRIS), REPL_OK);
    assert_int_equal(ekm_dissim_n(f->s.ws.dm), 150);
    assert_int_equal(run(f, "info"), REPL_OK);
    assert_contains(f->out, "N        150 points\n");
    assert_contains(f->out, "D        4 columns\n");
    assert_contains(f->out, "metric   euclidean\n");
    assert_contains(f->out, "matrix   93.8 KiB");
    assert_contains(f->out, "labels   yes");
    /* Petal.Length of iris: min 1, mean 3.758, max 6.9 */
    assert_contains(f->out, "Petal.Length                  1          3.758            6.9\n");
    assert_int_equal(run(f, "info extra"), REPL_USAGE);
}

static void test_gen(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "gen blobs --n 90 --d 3 --clusters 3 --seed 5"), REPL_OK);
    assert_contains(f->out, "generated blobs(n=90,d=3,seed=5): N=90 D=3");
    assert_int_equal(ekm_dissim_n(f->s.ws.dm), 90);
    assert_int_equal(run(f, "gen"), REPL_USAGE);
    assert_contains(f->err, "gen: say which kind");
    assert_int_equal(run(f, "gen gaussian"), REPL_USAGE);
    assert_contains(f->err, "unknown kind 'gaussian'");
    assert_int_equal(run(f, "gen uniform --out x.csv"), REPL_USAGE);
    assert_int_equal(run(f, "gen uniform --n 0"), REPL_USAGE);
    assert_int_equal(run(f, "gen uniform --width 300"), REPL_USAGE);
    assert_int_equal(ekm_dissim_n(f->s.ws.dm), 90); /* still the blobs */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set_every_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_errors_leave_settings_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_metric_rebuilds_the_loaded_matrix, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_info_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
