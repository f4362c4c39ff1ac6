/* repl_terminal.c — the interactive prompt: GNU readline's callback interface in a
 * select() loop over the terminal, the signal pipe and the job's completion fd.
 *
 * Ownership: everything here runs on the main thread. Readline calls on_line() from
 * rl_callback_read_char() with the terminal already back in cooked mode, so a
 * command may print and block (`wait`) like any program; the prompt is drawn again
 * after it returns. While a job runs the loop wakes at about 5 Hz and puts the job's
 * progress in front of the prompt (rl_set_prompt + rl_redisplay: the line being
 * edited stays as it is); when the job ends its line is printed above the prompt.
 * Ctrl-C is ours (rl_catch_signals = 0): it cancels the running job, or clears the
 * line when none runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "bench/bench.h"
#include "common/term_guard.h"
#include "ekm/ekm.h"
#include "repl/repl_internal.h"

static repl_session *term;       /* the session the callbacks serve */
static char history_file[1024];  /* "" when the history is not kept */
static char prompt[1024];        /* what readline shows now */
static int handler_installed;

/* The prompt for the session's state now (with the job's indicator while it runs). */
static void make_prompt(char *buf, size_t size)
{
    if (repl_bench_prompt(term, buf, size)) /* a benchmark in the background */
        return;
    ekm_progress sum, *p = NULL;
    if (term->ws.job && term->ws.job_dm) { /* running, or ended and not yet collected */
        ekm_job_progress(term->ws.job, &sum);
        p = &sum;
    }
    repl_prompt(&term->ws, p, term->color, buf, size);
}

/* Show the prompt for the state now, if it changed, keeping the edited line. */
static void refresh_prompt(void)
{
    if (!handler_installed)
        return;
    char next[sizeof prompt];
    make_prompt(next, sizeof next);
    if (strcmp(next, prompt)) {
        memcpy(prompt, next, sizeof prompt);
        rl_set_prompt(prompt);
        rl_redisplay();
    }
}

/* Print something on lines of its own above the prompt and the edited line. */
static char *saved_line;
static int saved_point;

static void above_begin(void)
{
    saved_point = rl_point;
    saved_line = rl_copy_text(0, rl_end);
    rl_save_prompt();
    rl_replace_line("", 0);
    rl_redisplay();
}

/* new_prompt (or NULL): the prompt to show from now on. */
static void above_end(const char *new_prompt)
{
    rl_restore_prompt();
    if (new_prompt)
        rl_set_prompt(new_prompt);
    rl_replace_line(saved_line ? saved_line : "", 0);
    rl_point = saved_point;
    free(saved_line);
    saved_line = NULL;
    rl_redisplay();
}

int repl_ask(repl_session *s, const char *question)
{
    if (!s->interactive)
        return 1;
    fprintf(s->out, "%s [y/N] ", question);
    fflush(s->out);
    char answer[64];
    size_t len = 0;
    for (;;) {
        char c;
        ssize_t r = read(STDIN_FILENO, &c, 1);
        if (r == 0) {
            fputc('\n', s->out);
            return 1; /* the terminal is gone */
        }
        if (r < 0) {
            if (errno == EINTR && repl_take_interrupt()) {
                fputc('\n', s->out);
                return 0;
            }
            if (errno == EINTR)
                continue;
            return 1;
        }
        if (c == '\n')
            break;
        if (len + 1 < sizeof answer)
            answer[len++] = c;
    }
    answer[len] = '\0';
    const char *a = answer;
    while (*a == ' ')
        a++;
    return *a == 'y' || *a == 'Y';
}

static void on_line(char *line)
{
    if (!line) { /* Ctrl-D */
        fputs("quit\n", term->out);
        char quit_word[] = "quit";
        char *argv[] = {quit_word, NULL};
        repl_cmd_quit(term, 1, argv);
    } else {
        int e = repl_history_add(line, history_file[0] ? history_file : NULL);
        if (e) { /* said once; the session goes on without the file */
            repl_error(term, REPL_OK, "history not saved to %s: %s; not trying again",
                       history_file, strerror(e));
            history_file[0] = '\0';
        }
        repl_execute(term, line);
        free(line);
    }
    if (term->quit) {
        rl_callback_handler_remove(); /* no new prompt */
        handler_installed = 0;
        return;
    }
    make_prompt(prompt, sizeof prompt);
    rl_set_prompt(prompt);
}

/* Ctrl-C at the prompt. */
static void on_interrupt(void)
{
    if (workspace_bench_running(&term->ws)) {
        bench_job_cancel(term->ws.bench);
        above_begin();
        repl_note(term, "stopping the benchmark (Ctrl-C): the runs finished are kept...");
        above_end(NULL);
        return;
    }
    if (workspace_running(&term->ws)) {
        workspace_cancel(&term->ws);
        above_begin();
        repl_note(term, "cancelling the job (Ctrl-C)...");
        above_end(NULL);
        return;
    }
    /* no job: drop the line being edited, like a shell */
    rl_callback_sigcleanup();
    rl_point = rl_end;
    rl_redisplay();
    fputs("^C\n", term->out);
    fflush(term->out);
    rl_replace_line("", 1);
    rl_on_new_line();
    rl_redisplay();
}

/* A job ended while the prompt was shown: say so above it. */
static void collect_at_prompt(void)
{
    int job_ended = term->ws.job && term->ws.job_dm && ekm_job_done(term->ws.job);
    if (!job_ended && !repl_bench_ended(term))
        return;
    above_begin();
    repl_collect(term);
    repl_bench_collect(term); /* a benchmark's tables and fits */
    make_prompt(prompt, sizeof prompt);
    above_end(prompt);
}

static void setup_readline(void)
{
    rl_change_environment = 0; /* before the first readline call: keep LINES/COLUMNS out */
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_readline_name = "ekm";
    rl_attempted_completion_function = repl_complete;
    rl_completer_quote_characters = "\"'";
    rl_basic_word_break_characters = " \t\n;";
}

int repl_main_terminal(void)
{
    setlocale(LC_CTYPE, ""); /* readline and the bars need the terminal's character set */
    repl_session s;
    repl_session_init(&s, stdout, stderr, 1);
    term = &s;
    const char *nc = getenv("NO_COLOR"), *tname = getenv("TERM");
    s.color = isatty(STDOUT_FILENO) && !(nc && nc[0]) && !(tname && !strcmp(tname, "dumb"));
    setup_readline();
    char err[1200];
    history_file[0] = '\0';
    if (repl_history_path(getenv("XDG_STATE_HOME"), getenv("HOME"), history_file,
                          sizeof history_file) ||
        repl_history_open(history_file, err, sizeof err)) {
        if (history_file[0])
            repl_note(&s, "warning: history not kept (%s)", err);
        history_file[0] = '\0';
    }
    repl_signals_install();
    repl_note(&s,
              "ekm %s, exact K-medoids. 'help' lists the commands; Tab completes; Ctrl-D quits.",
              ekm_version());
    make_prompt(prompt, sizeof prompt);
    /* Readline takes the terminal now: on a way out that is not ours (exit from
     * elsewhere, SIGQUIT, a crash) the guard gives it back, bracketed paste off. */
    const char *paste = rl_variable_value("enable-bracketed-paste");
    term_guard_arm(STDIN_FILENO, paste && !strcmp(paste, "on") ? "\033[?2004l" : NULL);
    rl_callback_handler_install(prompt, on_line);
    handler_installed = 1;
    while (!s.quit) {
        int job_fd = s.ws.job && s.ws.job_dm ? ekm_job_fd(s.ws.job) : -1;
        if (job_fd < 0) /* at most one of the two runs at a time */
            job_fd = repl_bench_fd(&s);
        int sig_fd = repl_signal_fd();
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(STDIN_FILENO, &rd);
        int maxfd = STDIN_FILENO;
        if (sig_fd >= 0) {
            FD_SET(sig_fd, &rd);
            maxfd = sig_fd > maxfd ? sig_fd : maxfd;
        }
        if (job_fd >= 0) {
            FD_SET(job_fd, &rd);
            maxfd = job_fd > maxfd ? job_fd : maxfd;
        }
        struct timeval tick = {0, 200000}; /* ~5 Hz while a job runs */
        int n = select(maxfd + 1, &rd, NULL, NULL, job_fd >= 0 ? &tick : NULL);
        if (n < 0 && errno != EINTR)
            break;
        repl_signal_drain();
        if (repl_termination_requested())
            break;
        if (repl_take_resize())
            rl_resize_terminal();
        if (repl_take_interrupt())
            on_interrupt();
        if (n > 0 && FD_ISSET(STDIN_FILENO, &rd))
            rl_callback_read_char();
        if (s.quit)
            break;
        repl_checkpoint_tick(&s); /* --checkpoint: save every --every seconds */
        collect_at_prompt();
        repl_plot_live(&s); /* after collecting: a job that just ended shows as such */
        char note[512];
        if (repl_plot_take_note(&s, note, sizeof note)) {
            above_begin();
            repl_note(&s, "%s", note);
            above_end(NULL);
        }
        refresh_prompt();
    }
    if (handler_installed) {
        rl_callback_handler_remove();
        handler_installed = 0;
        fputc('\n', s.out);
    }
    term_guard_disarm(); /* readline gave the terminal back */
    int e = history_file[0] ? repl_history_close(history_file) : 0;
    if (e)
        repl_error(&s, REPL_OK, "history not saved to %s: %s", history_file, strerror(e));
    repl_session_free(&s);
    repl_signals_restore();
    term = NULL;
    return 0;
}
