/* cli_solve.c — `ekm solve FILE -k K [options]`: run one job, report the result.
 * Ctrl-C (SIGINT) or SIGTERM cancels the job at once; the command then exits 1
 * saying so, never printing a partial result as optimal.
 *
 * With --checkpoint FILE (exact strategies) the job's finished work is saved to
 * FILE every --every seconds (atomically: ekm_checkpoint_save), once more when
 * SIGINT or SIGTERM stops it (the command then exits 130 or 143 and says how to
 * resume), and a last time when it succeeds: the file then holds every work unit,
 * and `ekm resume FILE` prints the result at once. cli_solve_run is shared with
 * `ekm resume` (cli_resume.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/ckpt.h"
#include "common/outfile.h"
#include "common/text_escape.h"
#include "common/estimate.h"
#include "common/job_wait.h"
#include "common/progress_snap.h"
#include "common/progress_text.h"
#include "common/load_report.h"
#include "common/save_data.h"
#include "common/class_hint.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

const char cli_solve_help[] =
    "usage: ekm solve FILE -k K [options]\n"
    "Finds the K medoids minimising the sum of each point's dissimilarity to its\n"
    "nearest medoid. The exact strategies (seq, split, par1, par2, tree, fused,\n"
    "pruned) return the proven optimum. Ties: objectives within 1e-10 (relative)\n"
    "count as equal, and among them the lexicographically smallest sorted medoid\n"
    "set wins, so every exact strategy returns the same medoids.\n"
    "FILE is a CSV of points (header, separator and a text label column are\n"
    "detected).\n"
    "\n"
    "options:\n";

const command_option cli_solve_options[] = {
    {"--certificate", NULL, "FILE", COMMAND_VALUE_OUTFILE,
     "pruned: write a certificate of optimality to FILE ('ekm verify FILE DATA'\nchecks it "
     "without the solver)",
     NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

/* Live progress on stderr: redrawn bars on a terminal; otherwise a line per
 * finished stage and, for a long run, the job's line every PROGRESS_EVERY
 * seconds (a log of a long run is not silent for an hour). */
enum { PROGRESS_EVERY = 60 };

typedef struct progress_view {
    int tty;
    int lines_drawn;
    double next_line; /* without a terminal: elapsed seconds of the next job line */
    ekm_run_state last_state[EKM_MAX_STAGES]; /* a plan has fewer (2 * EKM_PLAN_MAX_PARTS) */
    progress_snap snap; /* sized for the job at the first draw */
} progress_view;

static void progress_draw(progress_view *v, ekm_job *job)
{
    progress_snap_poll(&v->snap, job);
    ekm_progress *p = &v->snap.sum;
    char line[512];
    if (!v->tty) {
        for (int s = 0; s < p->n_stages && s < EKM_MAX_STAGES; s++) {
            ekm_stage_progress *sp = &v->snap.stages[s];
            if (sp->state >= EKM_RUN_DONE && v->last_state[s] < EKM_RUN_DONE) {
                progress_stage_line(sp, p->elapsed, line, sizeof line, 20, 0);
                fprintf(stderr, "stage %s\n", line);
            }
            v->last_state[s] = sp->state;
        }
        if (p->state == EKM_RUN_RUNNING && p->elapsed >= v->next_line) {
            if (v->next_line > 0) {
                progress_job_line(p, v->snap.best_medoids, line, sizeof line);
                fprintf(stderr, "progress %s\n", line);
            }
            v->next_line = p->elapsed + PROGRESS_EVERY;
        }
        return;
    }
    if (v->lines_drawn)
        fprintf(stderr, "\033[%dA", v->lines_drawn);
    int shown = p->n_stages < 40 ? p->n_stages : 40;
    for (int s = 0; s < shown; s++) {
        progress_stage_line(&v->snap.stages[s], p->elapsed, line, sizeof line, 24, 1);
        fprintf(stderr, "\r\033[K%s\n", line);
    }
    progress_job_line(p, v->snap.best_medoids, line, sizeof line);
    fprintf(stderr, "\r\033[K%s\n", line);
    v->lines_drawn = shown + 1;
    fflush(stderr);
}

/* Batch mode warns (it never asks) when a run is estimated to take over an hour
 * (common/estimate.h; pruned and the heuristics have no estimate). */
static void warn_if_long(const ekm_dissim *dm, const ekm_solve_options *opt, double remaining)
{
    char what[400];
    if (!estimate_long(dm, opt, remaining, what, sizeof what))
        return;
    fprintf(stderr, "ekm: warning: %s; Ctrl-C cancels; --strategy pruned is usually far faster\n",
            what);
}

/* A path as a shell word: as it is when it is plain, else in single quotes. */
static const char *shell_word(const char *path, char *buf, size_t size)
{
    if (*path && strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                              "_./-+=:,@%") == strlen(path)) {
        snprintf(buf, size, "%s", path);
        return buf;
    }
    size_t o = 0;
    buf[o++] = '\'';
    for (const char *p = path; *p && o + 6 < size; p++) {
        if (*p == '\'') {
            memcpy(buf + o, "'\\''", 4);
            o += 4;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* What the wait does while a solve runs: cancel on a signal, save the checkpoint
 * every --every seconds, draw the progress. */
typedef struct solve_watch {
    ckpt_writer *ck;
    progress_view *view;
    int warned; /* a failed checkpoint save was reported (once: it is tried again) */
} solve_watch;

static int solve_tick(void *ctx, ekm_job *job)
{
    solve_watch *w = ctx;
    if (interrupted) {
        ekm_job_cancel(job);
    } else if (w->ck && ckpt_writer_tick(w->ck, job) < 0 && !w->warned) {
        char shown[3000];
        fprintf(stderr, "ekm: warning: checkpoint not saved: %s\n",
                text_escape(shown, sizeof shown, w->ck->error));
        w->warned = 1; /* once: it is tried again every --every seconds */
    }
    if (w->view)
        progress_draw(w->view, job);
    return 0;
}

/* cli_solve_run, and with cert (or NULL) a certificate written there (note: how
 * the data was loaded). */
static int solve_run(ekm_dissim *dm, const ui_settings *s, const ekm_solve_options *opt_in,
                     const ckpt_source *src, double remaining, FILE *out, const char *cert,
                     const char *note)
{
    char err[1200], shown[3000];
    ekm_solve_options cert_opt = *opt_in;
    const ekm_solve_options *opt = &cert_opt;
    if (cert) {
        if (opt_in->strategy != EKM_STRATEGY_PRUNED)
            return cli_usage_error("--certificate: only --strategy pruned records one (not %s)",
                                   ekm_strategy_name(opt_in->strategy));
        if (!ekm_dissim_dataset(dm))
            return cli_usage_error("--certificate: its checker needs points (a CSV), not a "
                                   "dissimilarity matrix");
        if (!ckpt_path_writable(cert))
            return cli_usage_error("--certificate: %s: cannot write there: %s", cert,
                                   strerror(errno));
        if (outfile_is_protected(cert))
            return cli_usage_error("--certificate: %s: is the input data; refusing to write "
                                   "over it",
                                   cert);
        cert_opt.certificate = 1;
    }
    if (s->labels_out[0] && !ckpt_path_writable(s->labels_out))
        return cli_usage_error("--labels: %s: cannot write there: %s", s->labels_out,
                               strerror(errno));
    if (s->labels_out[0] && outfile_is_protected(s->labels_out))
        return cli_usage_error("--labels: %s: is the input data; refusing to write over it",
                               s->labels_out);
    if (s->out_data[0] && !ckpt_path_writable(s->out_data))
        return cli_usage_error("--out-data: %s: cannot write there: %s", s->out_data,
                               strerror(errno));
    if (s->out_data[0] && outfile_is_protected(s->out_data))
        return cli_usage_error("--out-data: %s: is the input data; refusing to write over it",
                               s->out_data);
    if (s->out_data[0] && !ekm_dissim_dataset(dm))
        return cli_usage_error("--out-data: %s is a dissimilarity matrix, with no rows of "
                               "values to write (--labels writes the clusters)",
                               ekm_dissim_name(dm));
    report_set_style(s);
    if (s->checkpoint[0]) {
        if (!ekm_strategy_is_exact(opt->strategy))
            return cli_usage_error("--checkpoint: %s is a heuristic; only the exact strategies "
                                   "(seq, split, par1, par2, tree, fused, pruned) keep one",
                                   ekm_strategy_name(opt->strategy));
        /* never over a file that is not a checkpoint, nor over a run's own
         * checkpoint by mistake (ekm resume checks its target itself) */
        if (!opt->resume && ckpt_target_check(s->checkpoint, dm, opt, s->force, NULL, err,
                                              sizeof err))
            return cli_usage_error("--checkpoint: %s", err);
    }
    /* The handlers go in before the long-run warning, which tells the user that
     * Ctrl-C cancels: a signal sent once it shows must not be lost (a background
     * job of a script starts with SIGINT ignored). A signal before the job starts
     * cancels it at its first look. */
    interrupted = 0;
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    warn_if_long(dm, opt, remaining);
    ekm_job *job;
    ekm_error e;
    if (ekm_job_start(dm, opt, &job, &e)) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        ekm_error_format(&e, err, sizeof err);
        return cli_usage_error("%s", err);
    }
    ckpt_writer *ck = NULL;
    if (s->checkpoint[0]) {
        ck = malloc(sizeof *ck);
        if (!ck) {
            sigaction(SIGINT, &old_int, NULL);
            sigaction(SIGTERM, &old_term, NULL);
            ekm_job_free(job);
            return cli_runtime_error("out of memory");
        }
        ckpt_writer_init(ck, s->checkpoint, s->every, src);
    }
    progress_view *view = NULL;
    if (s->progress) {
        view = calloc(1, sizeof *view);
        if (view)
            view->tty = isatty(STDERR_FILENO);
    }
    solve_watch w = {ck, view, 0};
    job_wait(job, view ? 0.1 : 0.05, solve_tick, &w);
    if (view) {
        progress_draw(view, job);
        progress_snap_clear(&view->snap);
        free(view);
    }
    int sig = interrupted;
    int rc = CLI_OK;
    ekm_status st = ekm_job_status(job, &e);
    int saved = ck ? ckpt_writer_save(ck, job) == 0 : 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    ekm_result *stopped = st == EKM_ERR_CANCELLED && s->json ? ekm_job_take_best_so_far(job)
                                                             : NULL;
    if (stopped) { /* --json: the best set found before the cancel, "exact": false */
        report_json(out, dm, stopped);
        fflush(out);
        ekm_result_free(stopped);
    }
    if (st == EKM_ERR_CANCELLED && sig && ck) {
        char word[2200];
        if (saved)
            cli_runtime_error("interrupted; %.1f %% of the work saved in %s — resume with: "
                              "ekm resume %s",
                              ckpt_writer_percent(ck), ck->path,
                              shell_word(ck->path, word, sizeof word));
        else
            cli_runtime_error("interrupted; the checkpoint could not be saved: %s", ck->error);
        rc = 128 + sig;
    } else if (st) {
        ekm_error_format(&e, err, sizeof err);
        if (ck && saved)
            cli_runtime_error("%s: %s (%.1f %% of the work saved in %s)", ekm_dissim_name(dm),
                              err, ckpt_writer_percent(ck), ck->path);
        else
            cli_runtime_error("%s: %s", ekm_dissim_name(dm), err);
        rc = CLI_FAIL;
    } else {
        const ekm_result *r = ekm_job_result(job);
        if (s->json)
            report_json(out, dm, r);
        else
            report_result(out, dm, r);
        if (s->labels_out[0] && report_write_labels(s->labels_out, dm, r, err, sizeof err)) {
            cli_runtime_error("%s", err);
            rc = CLI_FAIL;
        }
        if (s->out_data[0] && save_data_csv(s->out_data, dm, r, s->index_base, err, sizeof err)) {
            cli_runtime_error("%s", err);
            rc = CLI_FAIL;
        }
        if (cert && cli_certificate_write(job, cert, note, err, sizeof err)) {
            cli_runtime_error("--certificate: %s", err);
            rc = CLI_FAIL;
        }
        errno = 0;
        if (fflush(out) || ferror(out)) {
            cli_runtime_error("writing the result failed: %s", errno ? strerror(errno) : "output error");
            rc = CLI_FAIL;
        }
        if (ck && !saved)
            fprintf(stderr, "ekm: warning: final checkpoint not saved: %s\n",
                    text_escape(shown, sizeof shown, ck->error));
    }
    free(ck);
    ekm_job_free(job);
    return rc;
}

int cli_solve_run(ekm_dissim *dm, const ui_settings *s, const ekm_solve_options *opt,
                  const ckpt_source *src, double remaining, FILE *out)
{
    return solve_run(dm, s, opt, src, remaining, out, NULL, NULL);
}

int cli_solve(const command_args *a)
{
    ui_settings s = *a->settings;
    int npos = a->npos;
    const char *const *pos = a->pos;
    char err[1200];
    if (npos != 1 && !s.dissim_file[0])
        return cli_usage_error("solve: which file? usage: ekm solve FILE -k K");
    if (!command_given(a, "--k"))
        return cli_usage_error("solve: say how many medoids with -k K");
    if (command_given(a, "--every") && !s.checkpoint[0])
        return cli_usage_error("solve: --every says how often to save a checkpoint: give "
                               "--checkpoint FILE too");
    const char *path = npos ? pos[0] : s.dissim_file;
    ekm_dissim *dm;
    if (dataset_load(&s, path, &dm, err, sizeof err))
        return cli_usage_error("%s", err);
    if (dataset_check(dm, &s.solve, err, sizeof err)) {
        ekm_dissim_release(dm);
        return cli_usage_error("%s", err);
    }
    if (dataset_class_hint(dm, &s, err, sizeof err))
        fprintf(stderr, "ekm: note: %s\n", err);
    ckpt_source src = {0};
    if (s.checkpoint[0] && ckpt_source_file(&src, path, s.dissim_file[0] != 0, &s.csv, s.metric,
                                            err, sizeof err)) {
        ekm_dissim_release(dm);
        return cli_usage_error("%s", err);
    }
    src.standardize = s.standardize;
    const char *cert = command_own(a, "--certificate");
    char *note = NULL;
    if (cert) { /* how verify loads the data again (ckpt.h's note) */
        ckpt_source csrc = {0};
        note = malloc(CKPT_NOTE_MAX);
        if (!note) {
            ekm_dissim_release(dm);
            return cli_runtime_error("out of memory");
        }
        if (ckpt_source_file(&csrc, path, s.dissim_file[0] != 0, &s.csv, s.metric, err,
                             sizeof err)) {
            free(note);
            ekm_dissim_release(dm);
            return cli_usage_error("%s", err);
        }
        csrc.standardize = s.standardize;
        ckpt_source_format(&csrc, note, CKPT_NOTE_MAX);
    }
    int rc = solve_run(dm, &s, &s.solve, s.checkpoint[0] ? &src : NULL, 1.0, a->out, cert, note);
    free(note);
    ekm_dissim_release(dm);
    return rc;
}
