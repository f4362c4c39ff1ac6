/* repl_cmd_batch.c — REPL commands that are the batch CLI's own code run from the
 * prompt: `bench ...` (the arguments of `ekm bench`; Ctrl-C stops it and keeps the
 * rows finished) and `explain [options]` (the plan of the settings, on the loaded
 * data's N, without running it). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "repl/repl_internal.h"

static int from_cli(int rc)
{
    return rc == CLI_OK ? REPL_OK : rc == CLI_FAIL ? REPL_FAIL : REPL_USAGE;
}

int repl_cmd_bench(repl_session *s, int argc, char **argv)
{
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL,
                          "a job is running: 'wait' for it or 'cancel' it first (it would skew "
                          "the timings)");
    fflush(s->out);
    int rc = cli_bench(argc, argv);
    fflush(stdout);
    fflush(stderr);
    return from_cli(rc);
}

int repl_cmd_explain(repl_session *s, int argc, char **argv)
{
    const ekm_solve_options *o = &s->ws.settings.solve;
    char k[16], threads[16], parts[16], leaf[16], n[32];
    snprintf(k, sizeof k, "%u", o->k);
    snprintf(threads, sizeof threads, "%u", o->threads);
    snprintf(parts, sizeof parts, "%u", o->partitions);
    snprintf(leaf, sizeof leaf, "%u", o->leaf);
    char **args = calloc((size_t)argc + 16, sizeof *args);
    if (!args)
        return repl_error(s, REPL_FAIL, "out of memory");
    int a = 0;
    args[a++] = argv[0];
    args[a++] = (char *)"--strategy";
    args[a++] = (char *)ekm_strategy_name(o->strategy);
    args[a++] = (char *)"-k";
    args[a++] = k;
    args[a++] = (char *)"--threads";
    args[a++] = threads;
    if (o->partitions) {
        args[a++] = (char *)"--partitions";
        args[a++] = parts;
    } else if (o->leaf) {
        args[a++] = (char *)"--leaf";
        args[a++] = leaf;
    }
    if (s->ws.dm) {
        snprintf(n, sizeof n, "%zu", ekm_dissim_n(s->ws.dm));
        args[a++] = (char *)"--n";
        args[a++] = n;
    }
    for (int i = 1; i < argc; i++) /* the user's options come last: they win */
        args[a++] = argv[i];
    args[a] = NULL;
    fflush(s->out);
    int rc = cli_explain(a, args);
    fflush(stdout);
    free(args);
    return from_cli(rc);
}
