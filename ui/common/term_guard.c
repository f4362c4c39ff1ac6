/* term_guard.c — see term_guard.h. Everything the handlers touch is set before
 * they can run (arm) and read with async-signal-safe calls only (write,
 * tcsetattr, sigaction, raise). */
#define _GNU_SOURCE
#include "common/term_guard.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { MAX_DEPTH = 4, RESET_MAX = 192 };

static const int crash_signals[] = {SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
enum { N_CRASH = sizeof crash_signals / sizeof crash_signals[0] };

static struct termios saved;   /* the modes of the outermost arm */
static int saved_ok;
static int guard_fd = -1;
static volatile sig_atomic_t depth;
static char resets[MAX_DEPTH][RESET_MAX];
static size_t reset_len[MAX_DEPTH];
static struct sigaction previous[N_CRASH];
static int installed;

static void restore(void)
{
    int d = depth;
    if (d <= 0)
        return;
    depth = 0; /* once */
    if (d > MAX_DEPTH)
        d = MAX_DEPTH;
    for (int i = d - 1; i >= 0; i--)
        if (reset_len[i]) {
            ssize_t w = write(guard_fd, resets[i], reset_len[i]);
            (void)w;
        }
    if (saved_ok)
        tcsetattr(guard_fd, TCSANOW, &saved);
}

static void restore_at_exit(void) { restore(); }

static void on_crash(int sig)
{
    int saved_errno = errno;
    restore();
    for (int i = 0; i < N_CRASH; i++)
        if (crash_signals[i] == sig)
            sigaction(sig, &previous[i], NULL);
    /* Blocked until the handler returns, then delivered to the handler found
     * before (or the default). A fault from an instruction would come back anyway;
     * a signal sent by kill would not. */
    raise(sig);
    errno = saved_errno;
}

static void set_reset(int level, const char *reset)
{
    size_t n = reset ? strlen(reset) : 0;
    if (n >= RESET_MAX)
        n = 0; /* cannot be right: write nothing rather than half */
    if (n)
        memcpy(resets[level], reset, n);
    reset_len[level] = n;
}

void term_guard_arm(int fd, const char *reset)
{
    int d = depth;
    if (d == 0) {
        guard_fd = fd;
        saved_ok = tcgetattr(fd, &saved) == 0;
    }
    if (d < MAX_DEPTH)
        set_reset(d, reset);
    if (!installed) {
        installed = 1;
        atexit(restore_at_exit);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < N_CRASH; i++)
            sigaction(crash_signals[i], &sa, &previous[i]);
    }
    depth = d + 1;
}

void term_guard_set_reset(const char *reset)
{
    int d = depth;
    if (d > 0 && d <= MAX_DEPTH) {
        depth = 0; /* not read by a handler while it changes */
        set_reset(d - 1, reset);
        depth = d;
    }
}

void term_guard_disarm(void)
{
    if (depth > 0)
        depth = depth - 1;
}
