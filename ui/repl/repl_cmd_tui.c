/* repl_cmd_tui.c — `tui`: the full-screen dashboard on this session's workspace
 * (data, settings, a running job, the history); `q` comes back to the prompt, with
 * a job still running left running. */
#include "repl/repl_internal.h"
#include "tui/tui.h"

int repl_cmd_tui(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "tui takes no arguments (it shows this session)");
    if (!s->interactive)
        return repl_error(s, REPL_FAIL, "tui needs a terminal");
    repl_collect(s);
    size_t before = s->ws.n_history;
    char err[512];
    fflush(s->out);
    int rc = tui_run(&s->ws, err, sizeof err);
    if (rc == TUI_ERROR)
        return repl_error(s, REPL_FAIL, "tui: %s", err);
    size_t ran = 0; /* runs of the dashboard's own, not a background benchmark's cells */
    for (size_t i = before; i < s->ws.n_history; i++)
        ran += s->ws.history[i].runs == 0;
    if (ran)
        repl_note(s, "%zu run%s finished in the dashboard: 'history' lists them", ran,
                  ran == 1 ? "" : "s");
    if (workspace_running(&s->ws))
        repl_note(s, "a job is still running: 'status', 'wait' or 'cancel'");
    if (rc == TUI_INTERRUPTED)
        repl_note(s, "the dashboard was closed by %s", err);
    return REPL_OK;
}
