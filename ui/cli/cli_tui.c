/* cli_tui.c — `ekm tui [FILE] [options]`: open the dashboard on a new workspace,
 * with the file loaded and the solve and data options applied. Quitting cancels
 * a job still running (the workspace ends with the command). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/workspace.h"
#include "tui/tui.h"

const char cli_tui_help[] =
    "usage: ekm tui [FILE] [options]\n"
    "Opens the live dashboard: the plan's stages with their progress, per-thread\n"
    "meters and the history of runs with speedups against seq and each plan's\n"
    "bound. FILE (a CSV of points) is loaded first; l loads another inside.\n"
    "Keys: r run, c cancel, s/S strategy, +/- threads, k/K medoids, p partitions,\n"
    "l load, g plot, ? help, q quit. NO_COLOR turns colours off.\n"
    "\n"
    "options:\n";

int cli_tui(const command_args *a)
{
    workspace ws;
    workspace_init(&ws);
    unsigned cores = ws.settings.solve.threads;
    ws.settings = *a->settings;
    if (!command_given(a, "--threads"))
        ws.settings.solve.threads = cores; /* the workspace's default: every core */
    const char *const *pos = a->pos;
    int npos = a->npos;
    char err[1024];
    const char *path = npos ? pos[0] : ws.settings.dissim_file[0] ? ws.settings.dissim_file : NULL;
    if (path && workspace_load(&ws, path, err, sizeof err)) {
        workspace_free(&ws);
        return cli_usage_error("%s", err);
    }
    int rc = tui_run(&ws, err, sizeof err);
    workspace_free(&ws); /* cancels and joins a job still running */
    if (rc == TUI_ERROR)
        return cli_usage_error("tui: %s", err);
    if (rc == TUI_INTERRUPTED) {
        cli_runtime_error("tui: %s", err);
        return CLI_FAIL;
    }
    return CLI_OK;
}
