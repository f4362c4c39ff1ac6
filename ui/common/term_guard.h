/* term_guard.h — the terminal given back on every way out.
 *
 * The REPL (readline) and the dashboard (ncurses) change the terminal's modes: no
 * echo, no line editing by the terminal, keypad and bracketed-paste modes, the
 * alternate screen. They give them back on their ordinary ways out, including
 * SIGINT, SIGTERM and SIGHUP, which they turn into an orderly end (or a cancel).
 * The guard gives them back on the other ways: exit() called from anywhere
 * (atexit), SIGQUIT and the crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT). It writes the front end's reset bytes and the modes saved when the
 * terminal was taken (tcsetattr: async-signal-safe), then lets the signal take
 * its course: the handler found before (a sanitizer's report) or the default (a
 * core dump). Arms nest (the dashboard opened from the REPL); the modes of the
 * outermost one are the ones given back. Main thread only. */
#ifndef EKM_UI_TERM_GUARD_H
#define EKM_UI_TERM_GUARD_H

/* The terminal fd is about to be taken: save its modes (outermost arm) and guard
 * them. reset (may be NULL): bytes to write before the modes are restored, e.g.
 * leaving the alternate screen; term_guard_set_reset replaces the innermost one. */
void term_guard_arm(int fd, const char *reset);
void term_guard_set_reset(const char *reset);
/* The terminal was given back by ordinary code. */
void term_guard_disarm(void);

#endif
