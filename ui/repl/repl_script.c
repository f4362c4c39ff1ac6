/* repl_script.c — the REPL without a terminal: commands from a stream (`ekm <
 * script.ekm`) or one text (`ekm -c "load data/iris.csv; set k 3; run; wait"`), no
 * prompts, no colours. The session goes on after a bad command; the exit status is
 * the worst command status (see repl.h), 130 when Ctrl-C stopped the script. A job
 * still running at the end is cancelled, and the status is then at least 1. Ctrl-C
 * cancels a running job (a `wait` then returns); pressed when none runs, it stops
 * the script. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl/repl_internal.h"

enum { EXIT_INTERRUPTED = 130 };

/* After a command: what a Ctrl-C meant. Returns 1 when the script must stop. */
static int interrupted(repl_session *s)
{
    repl_signal_drain();
    if (repl_termination_requested()) {
        if (s->status < REPL_FAIL)
            s->status = REPL_FAIL;
        return 1;
    }
    if (!repl_take_interrupt())
        return 0;
    if (workspace_running(&s->ws)) {
        workspace_cancel(&s->ws);
        repl_note(s, "cancelling the job (Ctrl-C)");
        return 0;
    }
    s->status = EXIT_INTERRUPTED;
    return 1;
}

static int finish(repl_session *s)
{
    if (workspace_running(&s->ws) && s->status < REPL_FAIL)
        s->status = REPL_FAIL; /* the session's end cancels it (repl_session_free says so) */
    int status = s->status;
    repl_session_free(s);
    repl_signals_restore();
    /* output that never arrived (a full disk, a closed pipe) fails the script */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno ? errno : repl_note_errno();
        fprintf(stderr, "ekm: stdout: write failed%s%s\n", e ? ": " : "", e ? strerror(e) : "");
        if (status == 0)
            status = 1;
    }
    return status;
}

int repl_main_stream(FILE *in)
{
    repl_session s;
    repl_session_init(&s, stdout, stderr, 0);
    s.after_command = interrupted;
    repl_signals_install();
    char *line = NULL;
    size_t cap = 0;
    long number = 0;
    while (!s.quit) {
        errno = 0;
        ssize_t len = getline(&line, &cap, in);
        if (len < 0) {
            if (errno == EINTR && !feof(in)) {
                clearerr(in);
                if (interrupted(&s))
                    break;
                continue;
            }
            break;
        }
        s.line = ++number;
        repl_execute(&s, line);
        if (s.status == EXIT_INTERRUPTED || repl_termination_requested())
            break;
    }
    free(line);
    return finish(&s);
}

int repl_main_script(const char *text)
{
    repl_session s;
    repl_session_init(&s, stdout, stderr, 0);
    repl_signals_install();
    s.after_command = interrupted;
    repl_execute(&s, text); /* errors say "ekm: ..." without a line number */
    return finish(&s);
}
