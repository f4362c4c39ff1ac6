/* repl_signal.c — SIGINT, SIGTERM, SIGHUP and SIGWINCH for the REPL.
 *
 * Ownership: the handlers only touch sig_atomic_t counters and write one byte to
 * a non-blocking pipe (async-signal-safe); everything else happens on the main
 * thread, which polls the pipe's read end next to the terminal and the job.
 * Handlers are installed without SA_RESTART, so a blocking read returns EINTR. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "repl/repl_internal.h"

static volatile sig_atomic_t interrupts;
static volatile sig_atomic_t termination;
static volatile sig_atomic_t resized;
static int wake_pipe[2] = {-1, -1};
static struct sigaction old_int, old_term, old_hup, old_winch;
static int installed;

static void wake(void)
{
    int saved = errno;
    if (wake_pipe[1] >= 0) {
        ssize_t w = write(wake_pipe[1], "x", 1);
        (void)w;
    }
    errno = saved;
}

static void on_interrupt(int sig)
{
    (void)sig;
    interrupts++;
    wake();
}

static void on_terminate(int sig)
{
    (void)sig;
    termination = 1;
    wake();
}

static void on_resize(int sig)
{
    (void)sig;
    resized = 1;
    wake();
}

void repl_signals_install(void)
{
    if (installed)
        return;
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK)) {
        wake_pipe[0] = wake_pipe[1] = -1;
    }
    struct sigaction sa = {0};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, &old_int);
    sa.sa_handler = on_terminate;
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    sa.sa_handler = on_resize;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, &old_winch);
    interrupts = 0;
    termination = 0;
    resized = 0;
    installed = 1;
}

void repl_signals_restore(void)
{
    if (!installed)
        return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGWINCH, &old_winch, NULL);
    for (int i = 0; i < 2; i++) {
        if (wake_pipe[i] >= 0)
            close(wake_pipe[i]);
        wake_pipe[i] = -1;
    }
    installed = 0;
}

int repl_take_interrupt(void)
{
    int n = interrupts;
    interrupts = 0;
    return n;
}

int repl_termination_requested(void) { return termination != 0; }

int repl_take_resize(void)
{
    int r = resized;
    resized = 0;
    return r;
}

int repl_signal_fd(void) { return wake_pipe[0]; }

void repl_signal_drain(void)
{
    char buf[64];
    if (wake_pipe[0] < 0)
        return;
    while (read(wake_pipe[0], buf, sizeof buf) > 0) {
    }
}
