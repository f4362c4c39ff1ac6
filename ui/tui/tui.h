/* tui.h — the full-screen ncurses dashboard (`ekm tui`, the REPL's `tui`).
 *
 * The dashboard shows a workspace (ui/common/workspace.h): the loaded data, the
 * settings, the running job's plan of stages with live bars, per-thread meters and
 * the run history with speedups against `seq` and each plan's bound. Keys start,
 * cancel and re-configure runs (press ? inside for the list).
 *
 * tui_run() takes over the terminal until the user presses q, then restores it on
 * every way out: q, an error, SIGINT, SIGTERM or SIGHUP. A job still running when
 * the user quits keeps running in the workspace (the REPL can wait for it); the
 * caller that owns the workspace cancels it with workspace_free(). Finished jobs
 * are collected into ws->history while the dashboard runs.
 */
#ifndef EKM_UI_TUI_H
#define EKM_UI_TUI_H

#include <stddef.h>

#include "common/workspace.h"

enum {
    TUI_QUIT = 0,        /* the user pressed q */
    TUI_ERROR = -1,      /* it could not start (not a terminal, unknown TERM...): see err */
    TUI_INTERRUPTED = 1  /* a signal ended it (err names the signal) */
};

/* Run the dashboard on ws until q. Returns TUI_QUIT, TUI_INTERRUPTED or TUI_ERROR,
 * with a one-line message in err for the last two. */
int tui_run(workspace *ws, char *err, size_t errsize);

#endif
