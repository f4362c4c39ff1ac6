/* test_ui_common.c — the shared front-end steps of ui/common: the "did you mean"
 * search, the wait-with-progress loop (its tick and cancel) and the help files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/data_dir.h"
#include "common/help_file.h"
#include "common/job_wait.h"
#include "common/progress_text.h"
#include "common/suggest.h"
#include "ekm/generate.h"

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(suggest_edit_distance("", ""), 0);
    assert_int_equal(suggest_edit_distance("solve", "solve"), 0);
    assert_int_equal(suggest_edit_distance("slove", "solve"), 2); /* a swap is two edits */
    assert_int_equal(suggest_edit_distance("solv", "solve"), 1);
    assert_int_equal(suggest_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(suggest_edit_distance("", "abc"), 3);
}

static void test_suggest(void **state)
{
    (void)state;
    const char *names[] = {"solve", "resume", "compare", "gen", "explain"};
    suggest sg;
    suggest_init(&sg, "slove", 0);
    for (size_t i = 0; i < 5; i++)
        suggest_offer(&sg, names[i], NULL);
    assert_string_equal(suggest_best(&sg), "solve");

    /* three edits or more: no suggestion */
    suggest_init(&sg, "xyzzy", 0);
    for (size_t i = 0; i < 5; i++)
        suggest_offer(&sg, names[i], NULL);
    assert_null(suggest_best(&sg));

    /* the first of equally close candidates wins; `shown` is what is suggested */
    suggest_init(&sg, "ab", 0);
    suggest_offer(&sg, "ac", "--ac");
    suggest_offer(&sg, "ad", "--ad");
    assert_string_equal(suggest_best(&sg), "--ac");

    /* shorter: a one-letter word is not close to every one-letter name */
    suggest_init(&sg, "x", 1);
    suggest_offer(&sg, "k", NULL);
    assert_null(suggest_best(&sg));
    suggest_init(&sg, "x", 0);
    suggest_offer(&sg, "k", NULL);
    assert_string_equal(suggest_best(&sg), "k");
}

/* A job far too long to finish during the test (C(3000,6) K-subsets on seq). */
static ekm_job *long_job(ekm_dissim **dm)
{
    ekm_dataset *ds;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, 3000, 2, 0, 7, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = 6;
    opt.strategy = EKM_STRATEGY_SEQ;
    opt.threads = 1;
    ekm_job *job;
    ekm_error e;
    assert_int_equal(ekm_job_start(*dm, &opt, &job, &e), EKM_OK);
    return job;
}

typedef struct ticks {
    int n;      /* ticks seen */
    int cancel; /* cancel from this tick on */
} ticks;

static int count_tick(void *ctx, ekm_job *job)
{
    ticks *t = ctx;
    assert_false(ekm_job_done(job)); /* called only while the job runs */
    return ++t->n >= t->cancel;
}

static void test_job_wait_tick_cancels(void **state)
{
    (void)state;
    ekm_dissim *dm;
    ekm_job *job = long_job(&dm);
    ticks t = {0, 3};
    job_wait(job, 0.01, count_tick, &t);
    assert_true(ekm_job_done(job));
    /* the third tick cancelled it; the wait went on (ticking) until the job ended */
    assert_true(t.n >= 3);
    ekm_error e;
    assert_int_equal(ekm_job_status(job, &e), EKM_ERR_CANCELLED);
    ekm_job_free(job);
    ekm_dissim_release(dm);
}

static void test_job_wait_short_job_no_tick_needed(void **state)
{
    (void)state;
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, 20, 2, 0, 7, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = 2;
    ekm_job *job;
    ekm_error e;
    assert_int_equal(ekm_job_start(dm, &opt, &job, &e), EKM_OK);
    job_wait(job, 0.01, NULL, NULL); /* no tick: just the wait */
    assert_int_equal(ekm_job_status(job, &e), EKM_OK);
    assert_non_null(ekm_job_result(job));
    ekm_job_free(job);
    ekm_dissim_release(dm);
}

static volatile sig_atomic_t flag;

static void test_job_wait_cancel_on_flag(void **state)
{
    (void)state;
    ekm_dissim *dm;
    ekm_job *job = long_job(&dm);
    flag = 1; /* set before the wait: the first look cancels the job */
    job_wait_cancel_on(job, 0.01, &flag);
    ekm_error e;
    assert_int_equal(ekm_job_status(job, &e), EKM_ERR_CANCELLED);
    ekm_job_free(job);
    ekm_dissim_release(dm);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_help_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/ekm_help_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64], path[96];
    snprintf(sub, sizeof sub, "%s/help", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/x.txt", sub);
    write_file(path, "one\ntwo\n");

    char *text = help_file_read(path);
    assert_non_null(text);
    assert_string_equal(text, "one\ntwo\n");
    free(text);
    assert_null(help_file_read("/nonexistent/help/x.txt"));

    /* $EKM_ASSETS_DIR first */
    setenv("EKM_ASSETS_DIR", dir, 1);
    text = help_file_load("x.txt");
    assert_non_null(text);
    assert_string_equal(text, "one\ntwo\n");
    free(text);
    /* a file it does not have comes from the build's assets */
    text = help_file_load("repl.txt");
    assert_non_null(text);
    assert_non_null(strstr(text, "@ load"));
    free(text);
    unsetenv("EKM_ASSETS_DIR");
    assert_null(help_file_load("no-such-help.txt"));

    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

/* The data folder: $EKM_DATADIR, then $EKM_ASSETS_DIR, then ../share/ekm beside the
 * program, then the source tree's assets. */
static void test_data_dir_order(void **state)
{
    (void)state;
    char exe[4096], want[4200], dirs[3][4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(want, sizeof want, "%s/share/ekm", exe);
    unsetenv("EKM_DATADIR");
    unsetenv("EKM_ASSETS_DIR");
    assert_int_equal(data_dir_candidates(dirs, 3), 2);
    assert_string_equal(dirs[0], want);
    assert_string_equal(dirs[1], EKM_SOURCE_DIR "/assets");
    setenv("EKM_ASSETS_DIR", "/old", 1);
    assert_int_equal(data_dir_candidates(dirs, 3), 3);
    assert_string_equal(dirs[0], "/old");
    setenv("EKM_DATADIR", "/new", 1);
    assert_int_equal(data_dir_candidates(dirs, 3), 3);
    assert_string_equal(dirs[0], "/new");
    assert_string_equal(dirs[1], want);
    assert_int_equal(data_dir_candidates(dirs, 1), 1);
    setenv("EKM_DATADIR", "", 1); /* empty: as unset */
    assert_int_equal(data_dir_candidates(dirs, 3), 3);
    assert_string_equal(dirs[0], "/old");
    unsetenv("EKM_DATADIR");
    unsetenv("EKM_ASSETS_DIR");
    /* run from the build tree: the share/ekm beside it is absent, the assets are found */
    assert_string_equal(data_dir(), EKM_SOURCE_DIR "/assets");
}

/* The job's progress line shows pruned's root phase (bound, gap, candidates
 * left) while it lasts, and nothing of it otherwise. */
static void test_progress_line_root_phase(void **state)
{
    (void)state;
    ekm_progress p;
    memset(&p, 0, sizeof p);
    p.strategy = EKM_STRATEGY_PRUNED;
    p.k = 2;
    p.total = 4950;
    p.elapsed = 12.5;
    p.has_best = 1;
    p.best = 200.0;
    p.root_bound = 199.0;
    p.root_active = 731;
    uint32_t best[2] = {3, 41};
    char line[400];
    progress_job_line(&p, best, line, sizeof line);
    assert_non_null(strstr(line, "best 200 {3,41}"));
    assert_non_null(strstr(line, "root bound 199, gap 0.5%, 731 candidates left"));
    p.root_active = 0; /* the root is done */
    progress_job_line(&p, best, line, sizeof line);
    assert_null(strstr(line, "root bound"));
    p.root_active = 731;
    p.root_bound = -INFINITY; /* no bound yet */
    progress_job_line(&p, best, line, sizeof line);
    assert_null(strstr(line, "root bound"));
    p.root_bound = 150.0;
    p.has_best = 0; /* no best yet: no gap */
    progress_job_line(&p, NULL, line, sizeof line);
    assert_non_null(strstr(line, "root bound 150, 731 candidates left"));
    char tiny[24]; /* truncated, still a string */
    progress_job_line(&p, NULL, tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_job_wait_tick_cancels),
        cmocka_unit_test(test_job_wait_short_job_no_tick_needed),
        cmocka_unit_test(test_job_wait_cancel_on_flag),
        cmocka_unit_test(test_help_file),
        cmocka_unit_test(test_data_dir_order),
        cmocka_unit_test(test_progress_line_root_phase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
