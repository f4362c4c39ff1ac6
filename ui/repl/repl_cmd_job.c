/* repl_cmd_job.c — the job commands: `run` (in the background), `status`, `wait`,
 * `cancel`, `result`, `save` and `history`, and the blocking wait they share. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ckpt.h"
#include "common/outfile.h"
#include "common/text_escape.h"
#include "common/estimate.h"
#include "common/load_report.h"
#include "common/resume.h"
#include "common/job_wait.h"
#include "common/progress_snap.h"
#include "common/progress_text.h"
#include "common/save_data.h"
#include "repl/repl_internal.h"
#include "repl/repl_term.h"

/* What the blocking wait does while the job runs (about five times a second). */
typedef struct wait_watch {
    repl_session *s;
    int live; /* 0: no live line (not a terminal) */
    int utf8, interrupted, drawn;
    ekm_progress p;
} wait_watch;

static int wait_tick(void *ctx, ekm_job *job)
{
    wait_watch *w = ctx;
    repl_session *s = w->s;
    ekm_progress *p = w->live ? &w->p : NULL;
    repl_plot_live(s); /* an open plot window keeps following the job */
    repl_checkpoint_tick(s);
    repl_signal_drain();
    if (repl_take_interrupt() || repl_termination_requested()) {
        if (!w->interrupted && p) {
            fprintf(s->out, "\r\033[K");
            w->drawn = 0;
            repl_note(s, "cancelling (Ctrl-C)...");
        }
        ekm_job_cancel(job);
        w->interrupted = 1;
    }
    if (p) {
        ekm_job_progress(job, p);
        char badge[160], line[512];
        repl_progress_badge(p, w->utf8, badge, sizeof badge);
        double rate = p->elapsed > 0 && p->done > p->resumed
                          ? (double)(p->done - p->resumed) / p->elapsed
                          : 0;
        int o = snprintf(line, sizeof line, "%s", badge);
        if (rate > 0 && p->total)
            o += snprintf(line + o, sizeof line - (size_t)o, " ETA %.1fs",
                          (double)(p->total - p->done) / rate);
        if (p->has_best && o < (int)sizeof line)
            o += snprintf(line + o, sizeof line - (size_t)o, "  best %.8g", p->best);
        if (p->root_active > 0 && isfinite(p->root_bound) && o < (int)sizeof line)
            snprintf(line + o, sizeof line - (size_t)o, "  root bound %.8g, %llu candidates left",
                     p->root_bound, (unsigned long long)p->root_active);
        repl_status_line(s->out, line);
        w->drawn = 1;
    }
    return 0;
}

int repl_wait_job(repl_session *s, ekm_job *job)
{
    wait_watch w = {s, s->interactive, repl_utf8(), 0, 0, {0}};
    job_wait(job, 0.2, wait_tick, &w);
    if (w.drawn) {
        fprintf(s->out, "\r\033[K");
        fflush(s->out);
    }
    return w.interrupted;
}

/* ---- checkpoints of the session's job ----
 * `run --checkpoint F [--every S]` and `resume F` save the job's finished work into
 * F every S seconds (default 60): from the prompt's loop, from `wait` and before
 * each command (repl_checkpoint_tick); and once more when the job ends, is
 * cancelled or the session ends (repl_checkpoint_finish). These options are for
 * that job only: they do not stay in the settings.
 * A run estimated over an hour (common/estimate.h; for a resume, the part left)
 * is asked about on a terminal (y/N); a script, which must not block on a
 * question, refuses it unless `--yes` is given. pruned and the heuristics have no
 * estimate: they are never asked about. */

/* One job at a time is checkpointed: the session's current one. */
static struct {
    ekm_job *job;            /* the job being checkpointed, NULL: none */
    ekm_checkpoint *resumed; /* the checkpoint it resumes (alive until it ends) */
    ckpt_writer w;
} ckpt_state;

static void ckpt_drop(void)
{
    ekm_checkpoint_free(ckpt_state.resumed);
    ckpt_state.resumed = NULL;
    ckpt_state.job = NULL;
}

void repl_checkpoint_tick(repl_session *s)
{
    if (!ckpt_state.job)
        return;
    if (s->ws.job != ckpt_state.job) { /* replaced elsewhere (it had ended) */
        ckpt_drop();
        return;
    }
    if (!ekm_job_done(ckpt_state.job))
        ckpt_writer_tick(&ckpt_state.w, ckpt_state.job); /* a failure shows in `status` */
}

void repl_checkpoint_finish(repl_session *s)
{
    if (!ckpt_state.job)
        return;
    if (s->ws.job != ckpt_state.job) {
        ckpt_drop();
        return;
    }
    ekm_job_wait(ckpt_state.job);
    ckpt_writer *w = &ckpt_state.w;
    ekm_error e;
    ekm_status st = ekm_job_status(ckpt_state.job, &e);
    if (ckpt_writer_save(w, ckpt_state.job))
        repl_note(s, "warning: checkpoint not saved: %s", w->error);
    else if (st == EKM_OK)
        repl_note(s, "checkpoint: the whole run saved in %s", w->path);
    else
        repl_note(s, "checkpoint: %.1f %% of the work saved in %s; 'resume %s' continues",
                  ckpt_writer_percent(w), w->path, w->path);
    ckpt_drop();
}

/* `status`: the running job's checkpoint, if it has one. */
static void repl_checkpoint_status(repl_session *s)
{
    if (!ckpt_state.job || ckpt_state.job != s->ws.job)
        return;
    const ckpt_writer *w = &ckpt_state.w;
    char shown[3000]; /* a file name is shown, never obeyed */
    if (w->failed)
        fprintf(s->out, "checkpoint: not saved: %s\n", text_escape(shown, sizeof shown, w->error));
    else if (w->saves)
        fprintf(s->out, "checkpoint: %s, %.1f %% saved %.1f s ago (every %g s)\n",
                text_escape(shown, sizeof shown, w->path), ckpt_writer_percent(w),
                ekm_now() - w->last, w->every);
    else
        fprintf(s->out, "checkpoint: %s, first save in %.1f s\n",
                text_escape(shown, sizeof shown, w->path), w->every - (ekm_now() - w->last));
}

/* Start checkpointing the session's new job into path. */
static void ckpt_begin(repl_session *s, const char *path, double every, const ckpt_source *src,
                       ekm_checkpoint *resumed)
{
    ckpt_state.job = s->ws.job;
    ckpt_state.resumed = resumed;
    ckpt_writer_init(&ckpt_state.w, path, every, src);
}

/* How to load the session's data again, for a checkpoint's note. */
static int workspace_source(repl_session *s, ckpt_source *src, char *err, size_t errsize)
{
    const workspace *ws = &s->ws;
    ekm_dataset *ds = ekm_dissim_dataset(ws->dm);
    char kind[16];
    size_t n, d;
    unsigned long long seed;
    int used = 0;
    if (ds && access(ws->data_path, F_OK) != 0 &&
        sscanf(ws->data_path, "%15[a-z](n=%zu,d=%zu,seed=%llu)%n", kind, &n, &d, &seed, &used) ==
            4 &&
        used > 0 && ws->data_path[used] == '\0') { /* made by gen: its name says how */
        memset(src, 0, sizeof *src);
        src->kind = CKPT_SRC_GEN;
        if (ekm_gen_kind_parse(kind, &src->gen_kind)) {
            snprintf(err, errsize, "%s: cannot tell how this data was made", ws->data_path);
            return -1;
        }
        src->gen_n = n;
        src->gen_d = d;
        src->gen_seed = seed;
        src->gen_clusters = ws->settings.gen_clusters;
        src->metric = ekm_dissim_metric(ws->dm);
        src->csv = ekm_csv_options_default();
        return 0;
    }
    if (ckpt_source_file(src, ws->data_path, ds == NULL, &ws->settings.csv,
                         ekm_dissim_metric(ws->dm), err, errsize))
        return -1;
    src->standardize = ds ? ekm_dataset_standardization(ds) : EKM_STANDARDIZE_NONE;
    return 0;
}

/* Call fn with the words other than "--yes" / "-y", and yes = 1 when there was one
 * (the words stay the caller's: only the array of pointers is new). */
static int without_yes(repl_session *s, int argc, char **argv,
                       int (*fn)(repl_session *, int, char **, int))
{
    char **args = malloc((size_t)(argc + 1) * sizeof *args);
    if (!args)
        return repl_error(s, REPL_FAIL, "out of memory");
    int n = 0, yes = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && (!strcmp(argv[i], "--yes") || !strcmp(argv[i], "-y")))
            yes = 1;
        else
            args[n++] = argv[i];
    }
    args[n] = NULL;
    int st = fn(s, n, args, yes);
    free(args);
    return st;
}

/* A run estimated over an hour (common/estimate.h): ask on a terminal, refuse in a
 * script without --yes. A run without an estimate (pruned, heuristics) just starts.
 * Returns 0 to go on, -1 when the user said no (a note says so), else the status to
 * return (after an error line). */
static int confirm_long(repl_session *s, const char *cmd, const ekm_solve_options *opt,
                        const ekm_dissim *dm, double remaining, int yes)
{
    if (yes)
        return 0;
    char what[400];
    if (!estimate_long(dm, opt, remaining, what, sizeof what))
        return 0;
    if (!s->interactive)
        return repl_error(s, REPL_FAIL,
                          "%s: %s; not started: a script does not ask, add --yes to start it "
                          "anyway",
                          cmd, what);
    char question[500];
    snprintf(question, sizeof question, "%s; --strategy pruned is usually far faster; start it?",
             what);
    if (repl_ask(s, question))
        return 0;
    repl_note(s, "not started");
    return -1;
}

static int resume_job(repl_session *s, int argc, char **argv, int yes)
{
    char fixed[64];
    if (settings_find_solve_option(argc, argv, 1, "--threads", fixed, sizeof fixed))
        return repl_error(s, REPL_USAGE,
                          "resume: %s cannot change: K, the strategy and the plan are the "
                          "checkpoint's (only --threads can)",
                          fixed);
    ui_settings opts;
    settings_init(&opts);
    opts.solve.threads = 0;
    const char *pos[1];
    int npos;
    char err[1200];
    if (settings_parse_argv(&opts, OPT_SOLVE | OPT_CKPT, argc, argv, 1, pos, 1, &npos, err,
                            sizeof err))
        return repl_error(s, REPL_USAGE, "resume: %s", err);
    if (npos != 1)
        return repl_error(s, REPL_USAGE, "resume: which checkpoint? usage: resume FILE");
    const char *path = pos[0];
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a job is running: 'wait' for it or 'cancel' it first (Ctrl-C cancels)");
    if (workspace_bench_running(&s->ws))
        return repl_error(s, REPL_FAIL, "a benchmark is running: 'wait' for it or 'cancel' it "
                                        "first");
    ekm_checkpoint *ck;
    char msg[8192];
    if (resume_load(path, &ck, msg, sizeof msg))
        return repl_error(s, REPL_USAGE, "resume: %s", msg);
    const char *into = opts.checkpoint[0] ? opts.checkpoint : path;
    resume_prep rp;
    int bad = resume_prepare(&rp, path, ck, opts.solve.threads, into, opts.force, msg,
                             sizeof msg);
    if (bad) {
        ekm_checkpoint_free(ck);
        return bad == RESUME_ERR_TARGET ? repl_error(s, REPL_USAGE, "resume: %s: %s", path, msg)
                                        : repl_error(s, REPL_USAGE, "resume: %s", msg);
    }
    ekm_dissim *dm = rp.dm;
    const ckpt_source src = rp.src;
    ekm_solve_options opt = rp.opt;
    ekm_count total = rp.total, done = rp.done;
    int asked = confirm_long(s, "resume", &opt, dm, rp.remaining, yes);
    if (asked) {
        ekm_dissim_release(dm);
        ekm_checkpoint_free(ck);
        return asked < 0 ? REPL_OK : asked;
    }
    /* the checkpoint's data becomes the session's, as with load */
    repl_checkpoint_finish(s);
    ekm_dissim_release(s->ws.dm);
    s->ws.dm = dm;
    const char *name = src.kind == CKPT_SRC_GEN ? ekm_dissim_name(dm) : src.path;
    size_t name_len = strlen(name) < sizeof s->ws.data_path ? strlen(name)
                                                             : sizeof s->ws.data_path - 1;
    memcpy(s->ws.data_path, name, name_len); /* longer paths do not load (PATH_MAX) */
    s->ws.data_path[name_len] = '\0';
    if (src.kind != CKPT_SRC_MATRIX)
        s->ws.settings.metric = src.metric;
    if (src.kind == CKPT_SRC_GEN) {
        s->ws.settings.gen_kind = src.gen_kind;
        s->ws.settings.gen_n = src.gen_n;
        s->ws.settings.gen_d = src.gen_d;
        s->ws.settings.gen_clusters = src.gen_clusters;
    } else {
        s->ws.settings.csv = src.csv;
    }
    ekm_solve_options keep = s->ws.settings.solve;
    s->ws.settings.solve = opt;
    int rc = workspace_run(&s->ws, err, sizeof err);
    s->ws.settings.solve.resume = NULL; /* for this job only; K, strategy... stay */
    s->ws.settings.solve.seed = keep.seed;
    s->ws.settings.solve.restarts = keep.restarts;
    if (rc) {
        ekm_checkpoint_free(ck);
        return repl_error(s, REPL_USAGE, "resume: %s", err);
    }
    ckpt_begin(s, into, opts.every, &src, ck);
    plot_follow_reset(&s->plot_live);
    char data[256], count[COUNT_TEXT_MAX];
    workspace_data_name(&s->ws, data, sizeof data);
    repl_note(s,
              "resumed %s on %s from %s: N=%zu K=%u, %u thread%s, %.1f %% already done (%s "
              "K-subsets); checkpoints go to %s every %g s; 'wait' waits",
              ekm_strategy_name(opt.strategy), data, path, ekm_dissim_n(dm), opt.k, opt.threads,
              opt.threads == 1 ? "" : "s", total ? 100.0 * (double)done / (double)total : 0.0,
              format_count(count, sizeof count, done), into, opts.every);
    return REPL_OK;
}

static int run_job(repl_session *s, int argc, char **argv, int yes)
{
    ui_settings next = s->ws.settings;
    next.checkpoint[0] = '\0';
    next.every = 60;
    next.force = 0;
    int have_every = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--every") || !strncmp(argv[i], "--every=", 8))
            have_every = 1;
    const char *pos[1];
    int npos;
    char err[1200];
    if (settings_parse_argv(&next, OPT_SOLVE | OPT_CKPT, argc, argv, 1, pos, 0, &npos, err,
                            sizeof err))
        return repl_error(s, REPL_USAGE, "run: %s", err);
    if (have_every && !next.checkpoint[0])
        return repl_error(s, REPL_USAGE, "run: --every needs --checkpoint FILE");
    if (!s->ws.dm)
        return repl_error(s, REPL_FAIL, "no data loaded: use 'load FILE' or 'gen uniform --n N'");
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a job is running: 'wait' for it or 'cancel' it first (Ctrl-C cancels)");
    if (workspace_bench_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a benchmark is running: 'wait' for it or 'cancel' it first (a run "
                          "now would skew its timings)");
    ckpt_source src = {0};
    if (next.checkpoint[0]) {
        if (!ekm_strategy_is_exact(next.solve.strategy))
            return repl_error(s, REPL_USAGE,
                              "run: --checkpoint: %s is a heuristic; only the exact strategies "
                              "keep one",
                              ekm_strategy_name(next.solve.strategy));
        if (ckpt_target_check(next.checkpoint, s->ws.dm, &next.solve, next.force, NULL, err,
                              sizeof err))
            return repl_error(s, REPL_USAGE, "run: --checkpoint: %s", err);
        if (workspace_source(s, &src, err, sizeof err))
            return repl_error(s, REPL_USAGE, "run: --checkpoint: %s", err);
    }
    int asked = confirm_long(s, "run", &next.solve, s->ws.dm, 1.0, yes);
    if (asked)
        return asked < 0 ? REPL_OK : asked;
    char ckpt_path[sizeof next.checkpoint];
    memcpy(ckpt_path, next.checkpoint, sizeof ckpt_path);
    double every = next.every;
    next.checkpoint[0] = '\0'; /* for this run only */
    next.every = 60;
    next.force = 0;
    s->ws.settings = next; /* options given to run stay, as with set */
    repl_checkpoint_finish(s); /* a previous checkpointed job, ended */
    if (workspace_run(&s->ws, err, sizeof err))
        return repl_error(s, REPL_USAGE, "run: %s", err);
    if (ckpt_path[0])
        ckpt_begin(s, ckpt_path, every, &src, NULL);
    plot_follow_reset(&s->plot_live); /* an open plot window follows this job's medoids */
    ekm_progress sum, *p = &sum;
    ekm_job_progress(s->ws.job, p);
    char data[256], count[COUNT_TEXT_MAX];
    workspace_data_name(&s->ws, data, sizeof data);
    if (p->total)
        repl_note(s,
                  "started %s on %s: N=%zu K=%u, %u thread%s, %s K-subsets in %d stage%s%s; "
                  "'status' shows progress, 'wait' waits",
                  ekm_strategy_name(p->strategy), data, p->n, p->k, p->threads,
                  p->threads == 1 ? "" : "s", format_count(count, sizeof count, p->total),
                  p->n_stages, p->n_stages == 1 ? "" : "s",
                  next.strategy_auto ? " (strategy auto)" : "");
    else
        repl_note(s, "started %s on %s: N=%zu K=%u (a heuristic); 'wait' waits",
                  ekm_strategy_name(p->strategy), data, p->n, p->k);
    if (ckpt_path[0])
        repl_note(s, "checkpoints go to %s every %g s", ckpt_path, every);
    return REPL_OK;
}

int repl_cmd_run(repl_session *s, int argc, char **argv)
{
    return without_yes(s, argc, argv, run_job);
}

int repl_cmd_resume(repl_session *s, int argc, char **argv)
{
    return without_yes(s, argc, argv, resume_job);
}

int repl_cmd_status(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "status takes no arguments");
    if (s->ws.bench)
        return repl_bench_status(s);
    if (!s->ws.job) {
        repl_note(s, "no job has run yet: 'run' starts one");
        return REPL_OK;
    }
    progress_snap snap = {0};
    if (progress_snap_poll(&snap, s->ws.job)) {
        progress_snap_clear(&snap);
        return repl_error(s, REPL_FAIL, "out of memory");
    }
    repl_print_status(s, &snap, s->interactive && repl_utf8());
    repl_checkpoint_status(s);
    fflush(s->out);
    progress_snap_clear(&snap);
    return REPL_OK;
}

/* REPL_OK when the current job succeeded, else REPL_FAIL. */
static int job_outcome(repl_session *s)
{
    ekm_error e;
    return ekm_job_status(s->ws.job, &e) == EKM_OK ? REPL_OK : REPL_FAIL;
}

int repl_cmd_wait(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "wait takes no arguments");
    if (s->ws.bench)
        return repl_bench_wait(s);
    if (!s->ws.job) {
        repl_note(s, "no job to wait for");
        return REPL_OK;
    }
    if (!workspace_running(&s->ws) && !s->ws.job_dm) {
        /* already collected (its line was printed): say nothing more unless it did
         * not finish, so that `run; wait` in a script reads the same either way */
        ekm_error e;
        ekm_status st = ekm_job_status(s->ws.job, &e);
        if (st != EKM_OK)
            repl_note(s, "no job is running (the last one %s)",
                      st == EKM_ERR_CANCELLED ? "was cancelled" : "failed");
        return job_outcome(s);
    }
    repl_wait_job(s, s->ws.job);
    repl_collect(s);
    return job_outcome(s);
}

int repl_cmd_cancel(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "cancel takes no arguments");
    if (s->ws.bench)
        return repl_bench_cancel(s);
    if (!workspace_running(&s->ws)) {
        repl_collect(s);
        repl_note(s, "no job is running");
        return REPL_OK;
    }
    workspace_cancel(&s->ws);
    ekm_job_wait(s->ws.job);
    repl_collect(s);
    return REPL_OK;
}

/* The last result of the data loaded now (and the K set now), or NULL after an
 * error line (*status set). */
static const ekm_result *need_result(repl_session *s, int *status)
{
    const ekm_result *r = workspace_current_result(&s->ws);
    if (r)
        return r;
    if (workspace_running(&s->ws))
        *status = repl_error(s, REPL_FAIL, "no result yet: the job is running ('wait' for it)");
    else if (s->ws.result && s->ws.result_run < s->ws.n_history) {
        char was[256], now[256];
        repl_short_name(s->ws.history[s->ws.result_run].dataset, was, sizeof was);
        workspace_data_name(&s->ws, now, sizeof now);
        *status = repl_error(s, REPL_FAIL,
                             "no result for the current data (%s K=%u): the last one is of %s "
                             "K=%u (run %zu in 'history'); 'run' computes one",
                             now[0] ? now : "nothing loaded", s->ws.settings.solve.k, was,
                             s->ws.result->k, s->ws.result_run + 1);
    } else
        *status = repl_error(s, REPL_FAIL, "no result yet: 'run' computes one");
    return NULL;
}

/* 1 when a run after the result's did not finish (benchmark cells aside). */
static int later_run_unfinished(const repl_session *s)
{
    for (size_t i = s->ws.result_run + 1; i < s->ws.n_history; i++)
        if (!s->ws.history[i].runs)
            return 1;
    return 0;
}

/* Before labels of a result that is not a proven optimum of a finished run. */
static void warn_stopped(repl_session *s, const ekm_result *r)
{
    if (r->stopped)
        repl_note(s,
                  "warning: not proven optimal: the best set found before the cancel (%.1f %% "
                  "of the K-subsets closed)",
                  r->total ? 100.0 * (double)(r->evaluated + r->pruned) / (double)r->total : 0.0);
}

int repl_cmd_result(repl_session *s, int argc, char **argv)
{
    ui_settings opt;
    settings_init(&opt);
    opt.index_base = s->ws.settings.index_base;
    const char *pos[1];
    int npos, st = REPL_OK;
    char err[1024];
    if (settings_parse_argv(&opt, OPT_OUTPUT, argc, argv, 1, pos, 0, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "result: %s", err);
    ui_settings style = s->ws.settings;
    style.index_base = opt.index_base; /* result --index-base 1: this once */
    if (opt.silhouette_sample) /* result --silhouette-sample all: this once */
        style.silhouette_sample = opt.silhouette_sample;
    report_set_style(&style);
    const ekm_result *r = need_result(s, &st);
    if (!r)
        return st;
    if (workspace_running(&s->ws))
        repl_note(s, "(a job is running; this is the previous result)");
    else if (later_run_unfinished(s))
        repl_note(s, "(the last run did not finish; this is the result of an earlier run)");
    if (opt.json)
        report_json(s->out, s->ws.result_dm, r);
    else
        report_result(s->out, s->ws.result_dm, r);
    fflush(s->out);
    if (opt.labels_out[0]) {
        warn_stopped(s, r);
        if (report_write_labels(opt.labels_out, s->ws.result_dm, r, err, sizeof err))
            return repl_error(s, REPL_FAIL, "%s", err);
        repl_note(s, "wrote %zu labels to %s", r->n, opt.labels_out);
    }
    return REPL_OK;
}

static int save_json(const char *path, const ekm_dissim *dm, const ekm_result *r, char *err,
                     size_t errsize)
{
    outfile o;
    if (outfile_open(&o, path, err, errsize))
        return -1;
    report_json(o.f, dm, r);
    return outfile_commit(&o, err, errsize);
}

int repl_cmd_save(repl_session *s, int argc, char **argv)
{
    if (argc != 3 ||
        (strcmp(argv[1], "labels") && strcmp(argv[1], "result") && strcmp(argv[1], "data")))
        return repl_error(s, REPL_USAGE,
                          "usage: save labels FILE.csv | save result FILE.json | save data "
                          "FILE.csv");
    int st = REPL_OK;
    const ekm_result *r = need_result(s, &st);
    if (!r)
        return st;
    char err[1200];
    warn_stopped(s, r);
    if (!strcmp(argv[1], "labels")) {
        if (report_write_labels(argv[2], s->ws.result_dm, r, err, sizeof err))
            return repl_error(s, REPL_FAIL, "%s", err);
        repl_note(s, "wrote the clusters of %zu points to %s", r->n, argv[2]);
    } else if (!strcmp(argv[1], "data")) {
        if (save_data_csv(argv[2], s->ws.result_dm, r, s->ws.settings.index_base, err,
                          sizeof err))
            return repl_error(s, REPL_FAIL, "%s", err);
        repl_note(s, "wrote %zu rows with their cluster to %s", r->n, argv[2]);
    } else {
        if (save_json(argv[2], s->ws.result_dm, r, err, sizeof err))
            return repl_error(s, REPL_FAIL, "%s", err);
        repl_note(s, "wrote the result to %s", argv[2]);
    }
    return REPL_OK;
}

int repl_cmd_history(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "history takes no arguments");
    if (s->ws.n_history == 0) {
        repl_note(s, "no runs yet in this session");
        return REPL_OK;
    }
    repl_print_history(s);
    fflush(s->out);
    return REPL_OK;
}
