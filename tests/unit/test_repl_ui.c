/* test_repl_ui.c — the REPL around the commands: help, other modules' commands,
 * plot to PNG, quit, exit status, prompt, completion, the history file. */
#include "test_repl.h"

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
    assert_int_equal(n, 2);
    assert_true(has(c, n, "strategy") && has(c, n, "standardize"));
    n = complete("set str", c, &files);
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
