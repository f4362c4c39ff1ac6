/* test_repl.c — the REPL without a terminal: splitting text into commands and words
 * (quotes, escapes, ';', newlines, comments), the command table (lookup, aliases,
 * "did you mean"), `set` of every setting and its errors, the data and job commands
 * on data/iris.csv (results checked against ekm_solve), completion candidates, the
 * prompt, the history file and the help file. */
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
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <readline/history.h>

#include "brute.h"
#include "common/load_report.h"
#include "ekm/dataset.h"
#include "repl/repl.h"

#define IRIS EKM_SOURCE_DIR "/data/iris.csv"

#define assert_close(a, b, tol)                                                                \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!(fabs(a_ - b_) <= (tol)))                                                         \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                \
    } while (0)

/* ---- a session whose output is captured ---- */

typedef struct fixture {
    repl_session s;
    char *out, *err;
    size_t out_len, err_len;
    FILE *fout, *ferr;
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
    free(f);
    return 0;
}

/* Forget what was printed so far: new streams. */
static void clear_output(fixture *f)
{
    fclose(f->fout);
    fclose(f->ferr);
    free(f->out);
    free(f->err);
    f->out = f->err = NULL;
    f->fout = open_memstream(&f->out, &f->out_len);
    f->ferr = open_memstream(&f->err, &f->err_len);
    assert_non_null(f->fout);
    assert_non_null(f->ferr);
    f->s.out = f->fout;
    f->s.err = f->ferr;
}

static int run(fixture *f, const char *text)
{
    clear_output(f);
    int st = repl_execute(&f->s, text);
    fflush(f->fout);
    fflush(f->ferr);
    return st;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay ? hay : "(null)");
}

/* ---- words and commands ---- */

static void next_ok(const char **p, repl_words *w, long *line, int argc, ...)
{
    char err[128];
    assert_int_equal(repl_next_command(p, w, line, err, sizeof err), 1);
    assert_int_equal(w->argc, argc);
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        assert_string_equal(w->argv[i], va_arg(ap, const char *));
    va_end(ap);
    assert_null(w->argv[argc]);
    repl_words_free(w);
}

static void test_words_and_quotes(void **state)
{
    (void)state;
    const char *p = "load 'my data.csv'  --metric \"man\\\"hat\\\\tan\" a\\ b ''";
    repl_words w;
    next_ok(&p, &w, NULL, 6, "load", "my data.csv", "--metric", "man\"hat\\tan", "a b", "");
    char err[128];
    assert_int_equal(repl_next_command(&p, &w, NULL, err, sizeof err), 0);
    /* quotes glue to their word; a # inside a word or quotes is kept */
    p = "set k'3' x#y '#z'";
    next_ok(&p, &w, NULL, 4, "set", "k3", "x#y", "#z");
}

static void test_commands_split_on_semicolons_newlines_and_comments(void **state)
{
    (void)state;
    const char *p = "a b; c\n# a comment; not a command\n  d 'x;y' # trailing\n;;\n\n e;";
    long line = 1;
    repl_words w;
    next_ok(&p, &w, &line, 2, "a", "b");
    assert_int_equal(line, 1);
    next_ok(&p, &w, &line, 1, "c");
    assert_int_equal(line, 1);
    next_ok(&p, &w, &line, 2, "d", "x;y");
    assert_int_equal(line, 3);
    next_ok(&p, &w, &line, 1, "e");
    assert_int_equal(line, 6);
    char err[128];
    assert_int_equal(repl_next_command(&p, &w, &line, err, sizeof err), 0);
    assert_int_equal(w.argc, 0);
}

static void test_unterminated_quote_skips_its_line(void **state)
{
    (void)state;
    const char *p = "load 'oops; set k 3\nshow";
    long line = 1;
    repl_words w;
    char err[128] = "";
    assert_int_equal(repl_next_command(&p, &w, &line, err, sizeof err), -1);
    assert_string_equal(err, "unterminated ' quote");
    assert_int_equal(w.argc, 0);
    assert_null(w.argv);
    next_ok(&p, &w, &line, 1, "show");
    assert_int_equal(line, 2);
    p = "x \"abc";
    assert_int_equal(repl_next_command(&p, &w, NULL, err, sizeof err), -1);
    assert_string_equal(err, "unterminated \" quote");
}

static void test_table_lookup_and_aliases(void **state)
{
    (void)state;
    int count = 0;
    for (const repl_command *c = repl_commands; c->name; c++, count++) {
        assert_ptr_equal(repl_find(c->name), c);
        assert_non_null(c->synopsis);
        assert_non_null(c->summary);
        assert_non_null(c->run);
        assert_int_equal(strncmp(c->synopsis, c->name, strlen(c->name)), 0);
        for (const repl_command *d = c + 1; d->name; d++)
            assert_string_not_equal(c->name, d->name);
    }
    const char *required[] = {"load", "gen",    "info",   "set",     "show", "run",
                              "status", "wait", "cancel", "result",  "save", "compare",
                              "history", "help", "quit",  "plot",    "tui",  "bench",
                              "explain", "resume"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        assert_non_null(repl_find(required[i]));
    assert_true(count >= 20);
    assert_string_equal(repl_find("exit")->name, "quit");
    assert_string_equal(repl_find("?")->name, "help");
    assert_null(repl_find("lod"));
    assert_null(repl_find("LOAD"));
    assert_null(repl_find(""));
}

static void test_suggestions(void **state)
{
    (void)state;
    assert_string_equal(repl_suggest("lod"), "load");
    assert_string_equal(repl_suggest("laod"), "load");
    assert_string_equal(repl_suggest("hstory"), "history");
    assert_string_equal(repl_suggest("hist"), "history"); /* the only command it starts */
    assert_string_equal(repl_suggest("comapre"), "compare");
    assert_string_equal(repl_suggest("stauts"), "status");
    assert_null(repl_suggest("xyzzy"));
    assert_null(repl_suggest("re")); /* result, resume: ambiguous */
}

static void test_unknown_command_says_one_line_and_goes_on(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "lod x; set k 5"), REPL_USAGE);
    assert_string_equal(f->err, "ekm: unknown command 'lod' (did you mean 'load'?)\n");
    assert_int_equal(f->s.ws.settings.solve.k, 5); /* the next command ran */
    assert_int_equal(f->s.status, REPL_USAGE);
    assert_int_equal(run(f, "frobnicate"), REPL_USAGE);
    assert_string_equal(f->err, "ekm: unknown command 'frobnicate'; 'help' lists the commands\n");
    /* in a script the line number is given */
    f->s.line = 7;
    assert_int_equal(run(f, "lod"), REPL_USAGE);
    assert_string_equal(f->err, "ekm: line 7: unknown command 'lod' (did you mean 'load'?)\n");
}

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
            assert_string_equal(line, "index,cluster,medoid,label\n");
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
    assert_int_equal(run(f, "set strategy seq; run; wait; history"), REPL_OK);
    assert_int_equal(f->s.ws.n_history, 2);
    assert_contains(f->out, "strategy   data");
    assert_contains(f->out, "  1  par2       iris                 150   3       2 ");
    assert_contains(f->out, "  2  seq        iris                 150   3       1 ");
    assert_contains(f->out, "1.00x");
    assert_int_equal(run(f, "status"), REPL_OK);
    assert_contains(f->out, "done: seq 100.0%");
    assert_contains(f->out, "L0 [0,150)");
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
    assert_contains(f->out, "  1  pruned     iris                 150   3 ");
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
}

/* ---- help, quit, commands not in this build ---- */

static void test_help(void **state)
{
    fixture *f = *state;
    char text[16384];
    for (const repl_command *c = repl_commands; c->name; c++) {
        if (repl_help_text(c->name, text, sizeof text) != 0)
            fail_msg("no section '@ %s' in assets/help/repl.txt", c->name);
        assert_true(strlen(text) > 10);
    }
    assert_int_equal(repl_help_text("nosuchcommand", text, sizeof text), -1);
    assert_int_equal(run(f, "help"), REPL_OK);
    for (const repl_command *c = repl_commands; c->name; c++)
        assert_contains(f->out, c->summary);
    assert_int_equal(run(f, "help run"), REPL_OK);
    assert_contains(f->out, "usage: run [options]\nStarts a job");
    assert_contains(f->out, "--strategy S");
    assert_int_equal(run(f, "run --help"), REPL_OK);
    assert_contains(f->out, "usage: run [options]\nStarts a job");
    assert_int_equal(run(f, "help lod"), REPL_USAGE);
    assert_contains(f->err, "did you mean 'load'?");
    assert_int_equal(run(f, "help a b"), REPL_USAGE);
}

static void test_commands_of_other_modules(void **state)
{
    fixture *f = *state;
    /* tui needs a terminal; this session has none */
    assert_int_equal(run(f, "tui"), REPL_FAIL);
    assert_string_equal(f->err, "ekm: tui needs a terminal\n");
    assert_int_equal(run(f, "tui now"), REPL_USAGE);
    /* explain: the batch command on the settings and the loaded data's N */
    assert_int_equal(run(f, "explain"), REPL_USAGE); /* no N: nothing loaded, no --n */
    assert_int_equal(run(f, "load " IRIS "; set strategy par2; set threads 2"), REPL_OK);
    assert_int_equal(run(f, "explain"), REPL_OK);
    assert_int_equal(run(f, "explain --n 40 --strategy tree --partitions 4"), REPL_OK);
    assert_int_equal(run(f, "explain --strategy pam"), REPL_USAGE); /* not a plan */
    assert_int_equal(f->s.ws.settings.solve.strategy, EKM_STRATEGY_PAR2); /* unchanged */
    /* bench: the batch command's arguments */
    assert_int_equal(run(f, "bench -k 2 --n 12 --strategies seq --threads 1 --repeat 1 "
                            "--warmup 0 --quiet"),
                     REPL_OK);
    assert_int_equal(run(f, "bench --no-such-option"), REPL_USAGE);
    assert_int_equal(run(f, "gen uniform --n 1500 --d 2 --seed 3; run"), REPL_OK); /* long */
    assert_int_equal(run(f, "bench -k 2 --n 12 --strategies seq --threads 1"), REPL_FAIL);
    assert_contains(f->err, "a job is running");
    assert_int_equal(run(f, "cancel"), REPL_OK);
    /* resume: a missing checkpoint is one line naming it (tests/e2e/checkpoint.sh
     * resumes real ones) */
    assert_int_equal(run(f, "resume /nonexistent/x.ckpt"), REPL_USAGE);
    assert_contains(f->err, "resume: /nonexistent/x.ckpt");
    assert_int_equal(run(f, "resume"), REPL_USAGE);
    assert_int_equal(run(f, "resume x.ckpt -k 4"), REPL_USAGE);
    assert_contains(f->err, "only --threads");
}

static int is_png(const char *path, unsigned *w, unsigned *h)
{
    unsigned char b[24];
    FILE *in = fopen(path, "rb");
    if (!in)
        return 0;
    size_t n = fread(b, 1, sizeof b, in);
    fclose(in);
    if (n != sizeof b || memcmp(b, "\x89PNG\r\n\x1a\n", 8) || memcmp(b + 12, "IHDR", 4))
        return 0;
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    return 1;
}

static void test_plot_to_png(void **state)
{
    fixture *f = *state;
    char dir[] = "/tmp/ekm-test-plot-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512], png[256];
    snprintf(png, sizeof png, "%s/clusters.png", dir);
    snprintf(cmd, sizeof cmd, "plot --out %s", png);
    assert_int_equal(run(f, cmd), REPL_FAIL); /* no result yet */
    assert_contains(f->err, "no result yet");
    assert_int_equal(run(f, "load " IRIS "; set k 3; set strategy par2; run; wait"), REPL_OK);
    snprintf(cmd, sizeof cmd, "plot speedup --out %s", png);
    assert_int_equal(run(f, cmd), REPL_FAIL); /* no seq run to compare with */
    assert_contains(f->err, "no finished runs with a seq run on the same data, N and K yet");
    assert_int_equal(run(f, "set strategy seq; run; wait"), REPL_OK);
    snprintf(cmd, sizeof cmd, "plot clusters --out %s --width 640 --height 400", png);
    assert_int_equal(run(f, cmd), REPL_OK);
    unsigned w = 0, h = 0;
    assert_true(is_png(png, &w, &h));
    assert_int_equal(w, 640);
    assert_int_equal(h, 400);
    unlink(png);
    snprintf(cmd, sizeof cmd, "plot speedup --out %s", png);
    assert_int_equal(run(f, cmd), REPL_OK); /* seq against itself */
    assert_true(is_png(png, &w, &h));
    assert_int_equal(w, 1280);
    unlink(png);
    snprintf(cmd, sizeof cmd, "plot curves --out %s", png);
    assert_int_equal(run(f, cmd), REPL_OK);
    assert_true(is_png(png, &w, &h));
    unlink(png);
    rmdir(dir);
    assert_int_equal(run(f, "plot pie"), REPL_USAGE);
    assert_int_equal(run(f, "plot --width 10 --out x.png"), REPL_USAGE);
    assert_int_equal(run(f, "plot --out /nonexistent/x.png"), REPL_FAIL);
    assert_contains(f->err, "/nonexistent/x.png");
}

static void test_quit_stops_the_text(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "set k 2; quit; set k 5"), REPL_OK);
    assert_true(f->s.quit);
    assert_int_equal(f->s.ws.settings.solve.k, 2);
}

static void test_exit_status_is_the_worst(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "help; result"), REPL_FAIL);
    assert_int_equal(run(f, "help"), REPL_OK);
    assert_int_equal(f->s.status, REPL_FAIL); /* the session keeps the worst */
    assert_int_equal(run(f, "result; bogus; help"), REPL_USAGE);
    assert_int_equal(f->s.status, REPL_USAGE);
}

/* ---- prompt, completion, history ---- */

static void test_prompt(void **state)
{
    fixture *f = *state;
    char p[512];
    repl_prompt(&f->s.ws, NULL, 0, p, sizeof p);
    assert_string_equal(p, "ekm k=3> ");
    assert_int_equal(run(f, "load " IRIS "; set k 4"), REPL_OK);
    repl_prompt(&f->s.ws, NULL, 0, p, sizeof p);
    assert_string_equal(p, "ekm iris k=4> ");
    repl_prompt(&f->s.ws, NULL, 1, p, sizeof p);
    assert_string_equal(p, "\001\033[1m\033[36m\002ekm\001\033[0m\002 iris k=4> ");
    ekm_progress *pr = calloc(1, sizeof *pr);
    assert_non_null(pr);
    pr->strategy = EKM_STRATEGY_PAR2;
    pr->total = 1000;
    pr->done = 250;
    pr->elapsed = 1.25;
    repl_prompt(&f->s.ws, pr, 0, p, sizeof p);
    assert_true(strncmp(p, "[par2 ", 6) == 0);
    assert_non_null(strstr(p, " 25.0% 1.2s] ekm iris k=4> "));
    pr->strategy = EKM_STRATEGY_PAM; /* a heuristic: no total, no bar */
    pr->total = pr->done = 0;
    repl_prompt(&f->s.ws, pr, 0, p, sizeof p);
    assert_string_equal(p, "[pam running 1.2s] ekm iris k=4> ");
    free(pr);
}

static int has(const char **c, int n, const char *word)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(c[i], word))
            return 1;
    return 0;
}

static int complete(const char *line, const char **c, int *files)
{
    const char *space = strrchr(line, ' ');
    const char *semi = strrchr(line, ';');
    const char *cut = space > semi ? space : semi;
    int start = cut ? (int)(cut - line) + 1 : 0;
    return repl_completions(line, start, line + start, c, 64, files);
}

static void test_completion(void **state)
{
    (void)state;
    const char *c[64];
    int files, n;
    n = complete("", c, &files);
    assert_int_equal(files, 0);
    assert_true(has(c, n, "load") && has(c, n, "run") && has(c, n, "quit"));
    n = complete("se", c, &files);
    assert_int_equal(n, 1);
    assert_string_equal(c[0], "set");
    n = complete("s", c, &files);
    assert_true(has(c, n, "set") && has(c, n, "show") && has(c, n, "save") && has(c, n, "status"));
    assert_false(has(c, n, "load"));
    n = complete("set st", c, &files);
    assert_int_equal(n, 1);
    assert_string_equal(c[0], "strategy");
    n = complete("set strategy pa", c, &files);
    assert_int_equal(n, 3);
    assert_true(has(c, n, "pam") && has(c, n, "par1") && has(c, n, "par2"));
    n = complete("set metric ", c, &files);
    assert_int_equal(n, 3);
    assert_true(has(c, n, "manhattan"));
    n = complete("run --thr", c, &files);
    assert_int_equal(n, 1);
    assert_string_equal(c[0], "--threads");
    n = complete("run --strategy f", c, &files);
    assert_int_equal(n, 2);
    assert_true(has(c, n, "fused") && has(c, n, "fasterpam"));
    n = complete("run --", c, &files);
    assert_false(has(c, n, "--metric")); /* a data option: not for run */
    n = complete("load data/ir", c, &files);
    assert_int_equal(n, 0);
    assert_int_equal(files, 1);
    n = complete("load x.csv --metric eu", c, &files);
    assert_int_equal(files, 0);
    assert_int_equal(n, 1);
    assert_string_equal(c[0], "euclidean");
    n = complete("load x.csv --dissimilarity d", c, &files);
    assert_int_equal(files, 1);
    n = complete("save ", c, &files);
    assert_true(has(c, n, "labels") && has(c, n, "result"));
    n = complete("save labels /tm", c, &files);
    assert_int_equal(files, 1);
    n = complete("help lo", c, &files);
    assert_int_equal(n, 1);
    assert_string_equal(c[0], "load");
    n = complete("gen ", c, &files);
    assert_true(has(c, n, "uniform") && has(c, n, "blobs"));
    n = complete("set k 3; ru", c, &files);
    assert_int_equal(n, 1);
    assert_string_equal(c[0], "run");
    n = complete("bogus x", c, &files);
    assert_int_equal(n, 0);
    assert_int_equal(files, 0);
}

static void test_history_path(void **state)
{
    (void)state;
    char p[256];
    assert_int_equal(repl_history_path("/x/state", "/home/u", p, sizeof p), 0);
    assert_string_equal(p, "/x/state/ekm/history");
    assert_int_equal(repl_history_path("relative", "/home/u", p, sizeof p), 0);
    assert_string_equal(p, "/home/u/.local/state/ekm/history");
    assert_int_equal(repl_history_path("", "/home/u", p, sizeof p), 0);
    assert_string_equal(p, "/home/u/.local/state/ekm/history");
    assert_int_equal(repl_history_path(NULL, NULL, p, sizeof p), -1);
    assert_int_equal(repl_history_path("/a-very-long-state-home", NULL, p, 10), -1);
}

static void test_history_file_is_created_private_and_appended(void **state)
{
    (void)state;
    char dir[] = "/tmp/ekm-test-history-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], err[512];
    assert_int_equal(repl_history_path(dir, NULL, path, sizeof path), 0);
    assert_int_equal(repl_history_open(path, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char ekm_dir[512];
    snprintf(ekm_dir, sizeof ekm_dir, "%s/ekm", dir);
    assert_int_equal(stat(ekm_dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    repl_history_add("load data/iris.csv", path);
    repl_history_add("run", path);
    repl_history_add("run", path); /* a repeat is not added */
    repl_history_add("", path);
    repl_history_close(path);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char buf[256];
    size_t len = fread(buf, 1, sizeof buf - 1, in);
    buf[len] = '\0';
    fclose(in);
    assert_string_equal(buf, "load data/iris.csv\nrun\n");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* a new session reads it back */
    clear_history();
    assert_int_equal(repl_history_open(path, err, sizeof err), 0);
    assert_int_equal(history_length, 2);
    assert_string_equal(history_get(history_base + 1)->line, "run");
    clear_history();
    unlink(path);
    rmdir(ekm_dir);
    rmdir(dir);
    /* a place that cannot be created is reported */
    assert_int_equal(repl_history_open("/proc/ekm-no/history", err, sizeof err), -1);
    assert_contains(err, "/proc/ekm-no");
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "repl_history_open blocked on a FIFO\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

static void test_history_file_that_is_not_regular_is_skipped(void **state)
{
    (void)state;
    char dir[] = "/tmp/ekm-test-history-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], ekm_dir[512], err[512];
    assert_int_equal(repl_history_path(dir, NULL, path, sizeof path), 0);
    snprintf(ekm_dir, sizeof ekm_dir, "%s/ekm", dir);
    assert_int_equal(mkdir(ekm_dir, 0700), 0);
    assert_int_equal(mkfifo(path, 0600), 0);
    signal(SIGALRM, on_alarm); /* a block would hang the test: fail it instead */
    alarm(30);
    assert_int_equal(repl_history_open(path, err, sizeof err), -1);
    assert_contains(err, "is not a regular file");
    assert_contains(err, path);
    /* also when someone reads the FIFO (the open would not block then) */
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    assert_int_equal(repl_history_open(path, err, sizeof err), -1);
    assert_contains(err, "is not a regular file");
    close(rd);
    alarm(0);
    signal(SIGALRM, SIG_DFL);
    unlink(path);
    /* a directory in its place is reported too */
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(repl_history_open(path, err, sizeof err), -1);
    assert_contains(err, path);
    rmdir(path);
    rmdir(ekm_dir);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_quotes),
        cmocka_unit_test(test_commands_split_on_semicolons_newlines_and_comments),
        cmocka_unit_test(test_unterminated_quote_skips_its_line),
        cmocka_unit_test(test_table_lookup_and_aliases),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test_setup_teardown(test_unknown_command_says_one_line_and_goes_on, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_set_every_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_errors_leave_settings_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_metric_rebuilds_the_loaded_matrix, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_info_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_wait_result_save_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_a_long_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_keeps_the_best_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_result_belongs_to_its_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_runs_are_refused_pruned_never, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_on_iris, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commands_of_other_modules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_to_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quit_stops_the_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_status_is_the_worst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prompt, setup, teardown),
        cmocka_unit_test(test_completion),
        cmocka_unit_test(test_history_path),
        cmocka_unit_test(test_history_file_is_created_private_and_appended),
        cmocka_unit_test(test_history_file_that_is_not_regular_is_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
