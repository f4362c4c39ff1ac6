/* repl_session.c — a REPL session: running commands from text, error lines and
 * notes, and the line that says how a background job ended. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/load_report.h"
#include "common/text_escape.h"
#include "plot/plot.h"
#include "repl/repl_internal.h"

void repl_session_init(repl_session *s, FILE *out, FILE *err, int interactive)
{
    memset(s, 0, sizeof *s);
    workspace_init(&s->ws);
    s->out = out;
    s->err = err;
    s->interactive = interactive;
}

void repl_session_free(repl_session *s)
{
    if (workspace_running(&s->ws)) {
        workspace_cancel(&s->ws);
        repl_note(s, "a job was still running: it was cancelled");
    }
    repl_checkpoint_finish(s); /* its last checkpoint, when it keeps one */
    plot_window_close(s->plot);
    s->plot = NULL;
    workspace_free(&s->ws);
}

const char *repl_short_name(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    text_escape(buf, size, slash ? slash + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf && (!strcmp(dot, ".csv") || !strcmp(dot, ".txt") || !strcmp(dot, ".tsv")))
        *dot = '\0';
    return buf;
}

const char *repl_color(const repl_session *s, const char *ansi) { return s->color ? ansi : ""; }

/* A formatted line (malloc'd), or NULL without memory. */
__attribute__((format(printf, 1, 0))) static char *format_line(const char *fmt, va_list ap)
{
    char *line = NULL;
    if (vasprintf(&line, fmt, ap) < 0)
        return NULL;
    return line;
}

int repl_error(repl_session *s, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = format_line(fmt, ap);
    va_end(ap);
    if (s->interactive)
        fprintf(s->err, "%serror:%s ", repl_color(s, REPL_RED REPL_BOLD),
                repl_color(s, REPL_RESET));
    else if (s->line > 0)
        fprintf(s->err, "ekm: line %ld: ", s->line);
    else
        fputs("ekm: ", s->err);
    /* names and labels quoted in it reach the terminal escaped */
    text_fputs(line ? line : "out of memory", s->err);
    fputc('\n', s->err);
    fflush(s->err);
    free(line);
    return status;
}

static int note_errno; /* the main thread's alone: notes are printed there */

void repl_note(repl_session *s, const char *fmt, ...)
{
    static const char *const colors[] = {REPL_RESET, REPL_BOLD, REPL_RED,   REPL_GREEN,
                                         REPL_YELLOW, REPL_CYAN, REPL_DIM};
    va_list ap;
    va_start(ap, fmt);
    char *line = format_line(fmt, ap);
    va_end(ap);
    /* escaped but for the session's own colours */
    text_fputs_keep(line ? line : "out of memory", s->out, colors,
                    s->color ? sizeof colors / sizeof *colors : 0);
    fputc('\n', s->out);
    if (fflush(s->out) != 0 && !note_errno)
        note_errno = errno;
    free(line);
}

int repl_note_errno(void) { return note_errno; }


int repl_collect(repl_session *s)
{
    repl_checkpoint_tick(s); /* a checkpoint due (before each command, too) */
    if (!workspace_poll(&s->ws) || s->ws.n_history == 0)
        return 0;
    const run_record *r = &s->ws.history[s->ws.n_history - 1];
    const char *strategy = ekm_strategy_name(r->strategy);
    char data[256];
    repl_short_name(r->dataset, data, sizeof data);
    if (r->state == EKM_RUN_DONE) {
        repl_note(s,
                  "%sjob done:%s %s on %s (N=%zu K=%u, %u thread%s) in %.3f s, objective %.10g%s",
                  repl_color(s, REPL_GREEN), repl_color(s, REPL_RESET), strategy, data, r->n,
                  r->k, r->threads, r->threads == 1 ? "" : "s", r->seconds, r->objective,
                  r->exact ? " (proven optimal)" : " (heuristic)");
        repl_plot_refresh(s);
    } else if (r->state == EKM_RUN_CANCELLED) {
        ekm_count total = r->exact ? ekm_count_binomial(r->n, r->k, NULL) : 0;
        char done[64] = "";
        if (total)
            snprintf(done, sizeof done, ", %.1f%% done",
                     100.0 * (double)(r->evaluated + r->pruned) / (double)total);
        const ekm_result *best = s->ws.result;
        if (best && best->stopped && s->ws.result_run + 1 == s->ws.n_history)
            repl_note(s,
                      "%sjob cancelled:%s %s on %s after %.2f s%s; best found so far %.10g, "
                      "not proven optimal ('result' shows it)",
                      repl_color(s, REPL_YELLOW), repl_color(s, REPL_RESET), strategy, data,
                      r->seconds, done, best->objective);
        else
            repl_note(s, "%sjob cancelled:%s %s on %s after %.2f s%s; no result",
                      repl_color(s, REPL_YELLOW), repl_color(s, REPL_RESET), strategy, data,
                      r->seconds, done);
    } else {
        ekm_error e;
        char msg[600] = "unknown error";
        if (ekm_job_status(s->ws.job, &e))
            ekm_error_format(&e, msg, sizeof msg);
        repl_note(s, "%sjob failed:%s %s on %s: %s", repl_color(s, REPL_RED),
                  repl_color(s, REPL_RESET), strategy, data, msg);
    }
    repl_checkpoint_finish(s); /* the job's last checkpoint, when it keeps one */
    return 1;
}

int repl_run_command(repl_session *s, int argc, char **argv)
{
    if (argc < 1)
        return REPL_OK;
    repl_collect(s);
    int st;
    const repl_command *c = repl_find(argv[0]);
    if (!c) {
        const char *sug = repl_suggest(argv[0]);
        if (sug)
            st = repl_error(s, REPL_USAGE, "unknown command '%s' (did you mean '%s'?)", argv[0],
                            sug);
        else
            st = repl_error(s, REPL_USAGE, "unknown command '%s'; 'help' lists the commands",
                            argv[0]);
    } else if (command_help_asked(argc, argv) && !(c->flags & COMMAND_OWN_HELP)) {
        st = repl_print_help(s, c);
    } else {
        report_set_style(&s->ws.settings); /* --index-base, strategy auto */
        st = command_dispatch(c, argc, argv, s->out, s);
    }
    if (st > s->status)
        s->status = st;
    return st;
}

int repl_execute(repl_session *s, const char *text)
{
    const char *p = text;
    long base = s->line, line = 0;
    int worst = REPL_OK;
    while (!s->quit) {
        repl_words w;
        char err[256];
        int r = repl_next_command(&p, &w, &line, err, sizeof err);
        if (base > 0)
            s->line = base + line;
        if (r == 0)
            break;
        int st;
        if (r < 0) {
            st = repl_error(s, REPL_USAGE, "%s", err);
            if (st > s->status)
                s->status = st;
        } else {
            st = repl_run_command(s, w.argc, w.argv);
            repl_words_free(&w);
        }
        if (st > worst)
            worst = st;
        if (s->after_command && s->after_command(s))
            break;
    }
    s->line = base;
    return worst;
}
