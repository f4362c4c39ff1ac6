/* repl_commands.c — the REPL's one const command table, and finding a command by
 * name (with a "did you mean" for a misspelt one). */
#include <string.h>

#include "common/settings.h"
#include "common/suggest.h"
#include "repl/repl_internal.h"

const repl_command repl_commands[] = {
    {"load", NULL, "load FILE [options]",
     "read a CSV of points (or --dissimilarity MATRIX) and build its matrix", OPT_DATA, 0,
     repl_cmd_load},
    {"gen", NULL, "gen uniform|blobs [--n N] [--d D] [--clusters C] [--seed S]",
     "generate a seeded synthetic dataset and load it", OPT_GEN, 0, repl_cmd_gen},
    {"info", NULL, "info", "the loaded data: N, D, metric, column summary, matrix memory", 0, 0,
     repl_cmd_info},
    {"set", NULL, "set NAME VALUE", "change a setting (k, metric, strategy, threads, ...)",
     0, 0, repl_cmd_set},
    {"show", NULL, "show", "the current settings", 0, 0, repl_cmd_show},
    {"run", NULL, "run [options]", "start a job in the background with the settings",
     OPT_SOLVE | OPT_CKPT, 0, repl_cmd_run},
    {"status", NULL, "status", "the running (or last) job's progress, stage by stage", 0, 0,
     repl_cmd_status},
    {"wait", NULL, "wait", "wait for the running job to end (Ctrl-C cancels it)", 0, 0,
     repl_cmd_wait},
    {"cancel", NULL, "cancel", "cancel the running job", 0, 0, repl_cmd_cancel},
    {"result", NULL, "result [--json]", "the last result: medoids, clusters, objective, time",
     OPT_OUTPUT, 0, repl_cmd_result},
    {"save", NULL, "save labels FILE | save result FILE.json | save data FILE.csv",
     "write each point's cluster (CSV), the last result (JSON) or the rows with their cluster",
     0, 0, repl_cmd_save},
    {"compare", NULL, "compare",
     "the exact optimum (pruned) beside pam, fasterpam, clarans, alternate", 0, 0,
     repl_cmd_compare},
    {"history", NULL, "history", "the runs of this session: time, speedup vs seq, plan bound", 0, 0,
     repl_cmd_history},
    {"plot", NULL, "plot [clusters|curves|speedup] [--out FILE.png] [--width W] [--height H]",
     "draw the last result's clusters (or this session's runs) in a window or a PNG", OPT_PLOT, 0,
     repl_cmd_plot},
    {"tui", NULL, "tui", "the full-screen dashboard on this session (q comes back)", 0, 0,
     repl_cmd_tui},
    {"bench", NULL, "bench [FILE | --gen KIND] -k K --n LIST --strategies LIST --threads LIST",
     "time the strategies over N and threads (the options of 'ekm bench')", 0, 1, repl_cmd_bench},
    {"explain", NULL, "explain [options]",
     "the plan the settings would run on the loaded data, without running it", OPT_SOLVE, 1,
     repl_cmd_explain},
    {"resume", NULL, "resume FILE [--threads T] [--checkpoint F] [--every S] [--yes]",
     "continue a run from its checkpoint (same optimum)", OPT_CKPT, 0, repl_cmd_resume},
    {"help", "?", "help [COMMAND]", "the commands, or one command in detail", 0, 1, repl_cmd_help},
    {"quit", "exit", "quit", "leave (asks first when a job is running)", 0, 0, repl_cmd_quit},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};

const repl_command *repl_find(const char *name)
{
    for (const repl_command *c = repl_commands; c->name; c++)
        if (!strcmp(c->name, name) || (c->alias && !strcmp(c->alias, name)))
            return c;
    return NULL;
}

const char *repl_suggest(const char *name)
{
    size_t len = strlen(name);
    suggest sg;
    suggest_init(&sg, name, 1);
    for (const repl_command *c = repl_commands; c->name; c++)
        suggest_offer(&sg, c->name, NULL);
    const char *best = suggest_best(&sg);
    if (best || len == 0)
        return best;
    const char *only = NULL;
    for (const repl_command *c = repl_commands; c->name; c++) {
        if (!strncmp(c->name, name, len)) {
            if (only)
                return NULL; /* more than one: no suggestion */
            only = c->name;
        }
    }
    return only;
}
