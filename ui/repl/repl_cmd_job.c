/* repl_cmd_job.c — the job commands: `run` (in the background), `status`, `wait`,
 * `cancel`, `result`, `save` and `history`, and the blocking wait they share. */
#define _GNU_SOURCE
#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/progress_text.h"
#include "common/session.h"
#include "repl/repl_internal.h"

int repl_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

void repl_progress_badge(const ekm_progress *p, int utf8, char *buf, size_t size)
{
    const char *name = ekm_strategy_name(p->strategy);
    if (p->total == 0) {
        snprintf(buf, size, "[%s running %.1fs]", name, p->elapsed);
        return;
    }
    double f = (double)p->done / (double)p->total;
    char bar[64];
    progress_bar(bar, sizeof bar, f, 10, utf8);
    snprintf(buf, size, "[%s %s %5.1f%% %.1fs]", name, bar, 100 * f, p->elapsed);
}

static int terminal_width(FILE *f)
{
    struct winsize ws;
    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

int repl_wait_job(repl_session *s, ekm_job *job)
{
    int interrupted = 0, drawn = 0;
    ekm_progress *p = s->interactive ? malloc(sizeof *p) : NULL;
    int utf8 = repl_utf8();
    while (!ekm_job_wait_for(job, 0.2)) {
        repl_signal_drain();
        if (repl_take_interrupt() || repl_termination_requested()) {
            if (!interrupted && p) {
                fprintf(s->out, "\r\033[K");
                drawn = 0;
                repl_note(s, "cancelling (Ctrl-C)...");
            }
            ekm_job_cancel(job);
            interrupted = 1;
        }
        if (p) {
            ekm_job_progress(job, p);
            char badge[160], line[512];
            repl_progress_badge(p, utf8, badge, sizeof badge);
            double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
            int o = snprintf(line, sizeof line, "%s", badge);
            if (rate > 0 && p->total)
                o += snprintf(line + o, sizeof line - (size_t)o, " ETA %.1fs",
                              (double)(p->total - p->done) / rate);
            if (p->has_best && o < (int)sizeof line)
                snprintf(line + o, sizeof line - (size_t)o, "  best %.8g", p->best);
            /* keep to one row: the bar's glyphs are 3 bytes but one column each */
            int width = terminal_width(s->out) - 1, cols = 0;
            size_t cut = 0;
            for (; line[cut] && cols < width; cut++)
                if (((unsigned char)line[cut] & 0xC0) != 0x80)
                    cols++;
            while (line[cut] && ((unsigned char)line[cut] & 0xC0) == 0x80)
                cut++;
            line[cut] = '\0';
            fprintf(s->out, "\r\033[K%s", line);
            fflush(s->out);
            drawn = 1;
        }
    }
    if (drawn) {
        fprintf(s->out, "\r\033[K");
        fflush(s->out);
    }
    free(p);
    return interrupted;
}

int repl_cmd_run(repl_session *s, int argc, char **argv)
{
    ekm_settings next = s->ws.settings;
    const char *pos[1];
    int npos;
    char err[1024];
    if (settings_parse_argv(&next, OPT_SOLVE, argc, argv, 1, pos, 0, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "run: %s", err);
    if (!s->ws.dm)
        return repl_error(s, REPL_FAIL, "no data loaded: use 'load FILE' or 'gen uniform --n N'");
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a job is running: 'wait' for it or 'cancel' it first (Ctrl-C cancels)");
    s->ws.settings = next; /* options given to run stay, as with set */
    if (workspace_run(&s->ws, err, sizeof err))
        return repl_error(s, REPL_USAGE, "run: %s", err);
    s->plot_live_k = 0; /* an open plot window follows this job's best medoids */
    ekm_progress *p = malloc(sizeof *p);
    if (!p)
        return REPL_OK;
    ekm_job_progress(s->ws.job, p);
    char data[256], count[32];
    workspace_data_name(&s->ws, data, sizeof data);
    if (p->total)
        repl_note(s,
                  "started %s on %s: N=%zu K=%u, %u thread%s, %s K-subsets in %d stage%s; "
                  "'status' shows progress, 'wait' waits",
                  ekm_strategy_name(p->strategy), data, p->n, p->k, p->threads,
                  p->threads == 1 ? "" : "s", session_count(count, sizeof count, p->total),
                  p->n_stages, p->n_stages == 1 ? "" : "s");
    else
        repl_note(s, "started %s on %s: N=%zu K=%u (a heuristic); 'wait' waits",
                  ekm_strategy_name(p->strategy), data, p->n, p->k);
    free(p);
    return REPL_OK;
}

int repl_cmd_status(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "status takes no arguments");
    if (!s->ws.job) {
        repl_note(s, "no job has run yet: 'run' starts one");
        return REPL_OK;
    }
    ekm_progress *p = malloc(sizeof *p);
    if (!p)
        return repl_error(s, REPL_FAIL, "out of memory");
    ekm_job_progress(s->ws.job, p);
    int utf8 = s->interactive && repl_utf8();
    char line[600];
    progress_job_line(p, line, sizeof line);
    fprintf(s->out, "%s: %s, N=%zu K=%u, %u thread%s\n", ekm_run_state_name(p->state), line, p->n,
            p->k, p->threads, p->threads == 1 ? "" : "s");
    enum { MAX_SHOWN = 32 };
    for (int i = 0; i < p->n_stages && i < MAX_SHOWN; i++) {
        progress_stage_line(&p->stages[i], p->elapsed, line, sizeof line, 20, utf8);
        fprintf(s->out, "  %s\n", line);
    }
    if (p->n_stages > MAX_SHOWN)
        fprintf(s->out, "  ... and %d more stages\n", p->n_stages - MAX_SHOWN);
    if (p->state == EKM_RUN_RUNNING)
        fprintf(s->out, "threads busy: %d of %u\n", p->threads_busy, p->threads);
    fflush(s->out);
    free(p);
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

/* The last result, or NULL after an error line (*status set). */
static const ekm_result *need_result(repl_session *s, int *status)
{
    if (s->ws.result)
        return s->ws.result;
    if (workspace_running(&s->ws))
        *status = repl_error(s, REPL_FAIL, "no result yet: the job is running ('wait' for it)");
    else
        *status = repl_error(s, REPL_FAIL, "no result yet: 'run' computes one");
    return NULL;
}

int repl_cmd_result(repl_session *s, int argc, char **argv)
{
    ekm_settings opt;
    settings_init(&opt);
    const char *pos[1];
    int npos, st = REPL_OK;
    char err[1024];
    if (settings_parse_argv(&opt, OPT_OUTPUT, argc, argv, 1, pos, 0, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "result: %s", err);
    const ekm_result *r = need_result(s, &st);
    if (!r)
        return st;
    if (workspace_running(&s->ws))
        repl_note(s, "(a job is running; this is the previous result)");
    else if (s->ws.n_history && s->ws.history[s->ws.n_history - 1].state != EKM_RUN_DONE)
        repl_note(s, "(the last run did not finish; this is the result of an earlier run)");
    if (opt.json)
        session_print_json(s->out, s->ws.result_dm, r);
    else
        session_print_result(s->out, s->ws.result_dm, r);
    fflush(s->out);
    if (opt.labels_out[0]) {
        if (session_write_labels(opt.labels_out, s->ws.result_dm, r, err, sizeof err))
            return repl_error(s, REPL_FAIL, "%s", err);
        repl_note(s, "wrote %zu labels to %s", r->n, opt.labels_out);
    }
    return REPL_OK;
}

static int save_json(const char *path, const ekm_dissim *dm, const ekm_result *r, char *err,
                     size_t errsize)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errsize, "%s: cannot write: %m", path);
        return -1;
    }
    session_print_json(f, dm, r);
    int bad = ferror(f);
    if (fclose(f) || bad) {
        snprintf(err, errsize, "%s: write failed", path);
        return -1;
    }
    return 0;
}

int repl_cmd_save(repl_session *s, int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "labels") && strcmp(argv[1], "result")))
        return repl_error(s, REPL_USAGE, "usage: save labels FILE.csv | save result FILE.json");
    int st = REPL_OK;
    const ekm_result *r = need_result(s, &st);
    if (!r)
        return st;
    char err[1200];
    if (!strcmp(argv[1], "labels")) {
        if (session_write_labels(argv[2], s->ws.result_dm, r, err, sizeof err))
            return repl_error(s, REPL_FAIL, "%s", err);
        repl_note(s, "wrote the clusters of %zu points to %s", r->n, argv[2]);
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
    fprintf(s->out, "%3s  %-10s %-16s %7s %3s %7s %10s %8s %7s  %-9s %s\n", "#", "strategy",
            "data", "N", "K", "threads", "seconds", "speedup", "bound", "state", "objective");
    for (size_t i = 0; i < s->ws.n_history; i++) {
        const run_record *r = &s->ws.history[i];
        char data[256];
        char speedup[16] = "-", bound[16] = "-", objective[32] = "-";
        double seq = workspace_seq_seconds(&s->ws, r);
        if (r->state == EKM_RUN_DONE && seq > 0 && r->seconds > 0)
            snprintf(speedup, sizeof speedup, "%.2fx", seq / r->seconds);
        if (r->amdahl_bound > 0)
            snprintf(bound, sizeof bound, "%.2fx", r->amdahl_bound);
        if (r->state == EKM_RUN_DONE)
            snprintf(objective, sizeof objective, "%.10g", r->objective);
        fprintf(s->out, "%3zu  %-10s %-16.16s %7zu %3u %7u %10.3f %8s %7s  %-9s %s\n", i + 1,
                ekm_strategy_name(r->strategy), repl_short_name(r->dataset, data, sizeof data),
                r->n, r->k,
                r->threads, r->seconds, speedup, bound, ekm_run_state_name(r->state), objective);
    }
    fprintf(s->out, "speedup: seq's time / this run's (same data, N, K, metric); bound: the "
                    "plan's total work / its critical path\n");
    fflush(s->out);
    return REPL_OK;
}
