/* repl_commands.c — the REPL's one const command table, and finding a command by
 * name (with a "did you mean" for a misspelt one). The entries are of the command
 * model (command/command.h) the batch table (cli/cli.c) uses too.
 * To add a prompt command: its handler `int repl_cmd_NAME(repl_session *s, int
 * argc, char **argv)` (declared in repl_internal.h; it parses its words, s->out is
 * its stream), a REPL_RUN(NAME) line below and an entry in the table (the OPT_*
 * groups it takes, for help and Tab completion; COMMAND_OWN_HELP when NAME --help
 * is its own); its long help is a "@ NAME" section of assets/help/repl.txt. */
#include <string.h>

#include "common/settings.h"
#include "common/suggest.h"
#include "repl/repl_internal.h"

/* The handlers take the session and the words (they parse them themselves). */
#define REPL_RUN(name)                                                                         \
    static int run_##name(const command_args *a)                                               \
    {                                                                                          \
        return repl_cmd_##name(a->context, a->argc, a->argv);                                  \
    }
REPL_RUN(load)
REPL_RUN(result)
REPL_RUN(run)
REPL_RUN(set)
REPL_RUN(gen)
REPL_RUN(info)
REPL_RUN(show)
REPL_RUN(status)
REPL_RUN(wait)
REPL_RUN(cancel)
REPL_RUN(save)
REPL_RUN(compare)
REPL_RUN(history)
REPL_RUN(plot)
REPL_RUN(tui)
REPL_RUN(bench)
REPL_RUN(explain)
REPL_RUN(resume)
REPL_RUN(help)
REPL_RUN(quit)
REPL_RUN(sweep)

const repl_command repl_commands[] = {
    {.name = "load",
     .synopsis = "load FILE [options]",
     .summary = "read a CSV of points (or --dissimilarity MATRIX) and build its matrix",
     .groups = OPT_DATA,
     .flags = COMMAND_OWN_PARSE,
     .run = run_load},
    {.name = "gen",
     .synopsis = "gen uniform|blobs [--n N] [--d D] [--clusters C] [--seed S]",
     .summary = "generate a seeded synthetic dataset and load it",
     .groups = OPT_GEN,
     .flags = COMMAND_OWN_PARSE,
     .run = run_gen},
    {.name = "info",
     .synopsis = "info",
     .summary = "the loaded data: N, D, metric, column summary, matrix memory",
     .flags = COMMAND_OWN_PARSE,
     .run = run_info},
    {.name = "set",
     .synopsis = "set NAME VALUE",
     .summary = "change a setting (k, metric, strategy, threads, ...)",
     .flags = COMMAND_OWN_PARSE,
     .run = run_set},
    {.name = "show",
     .synopsis = "show",
     .summary = "the current settings",
     .flags = COMMAND_OWN_PARSE,
     .run = run_show},
    {.name = "run",
     .synopsis = "run [options]",
     .summary = "start a job in the background with the settings",
     .groups = OPT_SOLVE | OPT_CKPT,
     .flags = COMMAND_OWN_PARSE,
     .run = run_run},
    {.name = "status",
     .synopsis = "status",
     .summary = "the running (or last) job's progress, stage by stage",
     .flags = COMMAND_OWN_PARSE,
     .run = run_status},
    {.name = "wait",
     .synopsis = "wait",
     .summary = "wait for the running job to end (Ctrl-C cancels it)",
     .flags = COMMAND_OWN_PARSE,
     .run = run_wait},
    {.name = "cancel",
     .synopsis = "cancel",
     .summary = "cancel the running job",
     .flags = COMMAND_OWN_PARSE,
     .run = run_cancel},
    {.name = "result",
     .synopsis = "result [--json]",
     .summary = "the last result: medoids, clusters, objective, time",
     .groups = OPT_OUTPUT,
     .flags = COMMAND_OWN_PARSE,
     .run = run_result},
    {.name = "save",
     .synopsis = "save labels FILE | save result FILE.json",
     .summary = "write each point's cluster (CSV) or the last result (JSON)",
     .flags = COMMAND_OWN_PARSE,
     .run = run_save},
    {.name = "compare",
     .synopsis = "compare [options]",
     .summary = "the exact optimum (pruned) beside pam, fasterpam, clarans, alternate",
     .groups = OPT_SOLVE,
     .flags = COMMAND_OWN_PARSE,
     .run = run_compare},
    {.name = "history",
     .synopsis = "history",
     .summary = "the runs of this session: time, speedup vs seq, plan bound",
     .flags = COMMAND_OWN_PARSE,
     .run = run_history},
    {.name = "plot",
     .synopsis = "plot [clusters|curves|speedup|silhouette] [--out FILE.png] [--width W] [--height H]",
     .summary = "draw the last result's clusters (or this session's runs) in a window or a PNG",
     .groups = OPT_PLOT,
     .flags = COMMAND_OWN_PARSE,
     .run = run_plot},
    {.name = "tui",
     .synopsis = "tui",
     .summary = "the full-screen dashboard on this session (q comes back)",
     .flags = COMMAND_OWN_PARSE,
     .run = run_tui},
    {.name = "bench",
     .synopsis = "bench [FILE | --gen KIND] -k K --n LIST --strategies LIST --threads LIST",
     .summary = "time the strategies over N and threads (the options of 'ekm bench')",
     .flags = COMMAND_OWN_PARSE | COMMAND_OWN_HELP,
     .run = run_bench},
    {.name = "explain",
     .synopsis = "explain [options]",
     .summary = "the plan the settings would run on the loaded data, without running it",
     .groups = OPT_SOLVE,
     .flags = COMMAND_OWN_PARSE | COMMAND_OWN_HELP,
     .run = run_explain},
    {.name = "resume",
     .synopsis = "resume FILE [--threads T] [--checkpoint F] [--every S] [--yes]",
     .summary = "continue a run from its checkpoint (same optimum)",
     .groups = OPT_CKPT,
     .flags = COMMAND_OWN_PARSE,
     .run = run_resume},
    {.name = "sweep",
     .synopsis = "sweep LO..HI [--strategy S] [--json] [--plot FILE.png]",
     .summary = "the optimum for every K: objective, silhouette, elbow, suggested K",
     .flags = COMMAND_OWN_PARSE,
     .run = run_sweep},
    {.name = "help",
     .alias = "?",
     .synopsis = "help [COMMAND]",
     .summary = "the commands, or one command in detail",
     .flags = COMMAND_OWN_PARSE | COMMAND_OWN_HELP,
     .run = run_help},
    {.name = "quit",
     .alias = "exit",
     .synopsis = "quit",
     .summary = "leave (asks first when a job is running)",
     .flags = COMMAND_OWN_PARSE,
     .run = run_quit},
    {.name = NULL},
};

const repl_command *repl_find(const char *name)
{
    return command_find(repl_commands, name);
}

const char *repl_suggest(const char *name)
{
    return command_suggest(repl_commands, name, 1);
}
