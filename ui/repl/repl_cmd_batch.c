/* repl_cmd_batch.c — REPL commands that are the batch CLI's own code run from the
 * prompt: `bench ...` (the arguments of `ekm bench`; at the prompt it runs in the
 * background, see repl_bench.c; in a script it runs to its end before the next
 * command; --kernel and --help are the batch command's, in the foreground) and
 * `explain [options]` (the plan of the settings, on the loaded data's N, without
 * running it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "repl/repl_internal.h"

static int from_cli(int rc)
{
    return rc == CLI_OK ? REPL_OK : rc == CLI_FAIL ? REPL_FAIL : REPL_USAGE;
}

/* 1 when one of the words (after the command's name) is `a` or `b`. */
static int has_word(int argc, char **argv, const char *a, const char *b)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], a) || (b && !strcmp(argv[i], b)))
            return 1;
    return 0;
}

int repl_cmd_bench(repl_session *s, int argc, char **argv)
{
    int help = has_word(argc, argv, "--help", "-h");
    if (!help && !has_word(argc, argv, "--kernel", NULL)) {
        int st = repl_bench_start(s, argc, argv);
        if (st != REPL_OK || s->interactive)
            return st;
        return repl_bench_wait(s); /* a script: the next command comes after the end */
    }
    if (!help && (workspace_running(&s->ws) || workspace_bench_running(&s->ws)))
        return repl_error(s, REPL_FAIL,
                          "a %s is running: 'wait' for it or 'cancel' it first (it would skew "
                          "the timings)",
                          workspace_running(&s->ws) ? "job" : "benchmark");
    fflush(s->out);
    int rc = cli_bench(argc, argv);
    fflush(stdout);
    fflush(stderr);
    return from_cli(rc);
}

int repl_cmd_explain(repl_session *s, int argc, char **argv)
{
    const ekm_solve_options *o = &s->ws.settings.solve;
    char k[16], threads[16], parts[16], leaf[16], n[32], strategy[32];
    char o_strategy[] = "--strategy", o_k[] = "-k", o_threads[] = "--threads",
         o_parts[] = "--partitions", o_leaf[] = "--leaf", o_n[] = "--n";
    snprintf(strategy, sizeof strategy, "%s", ekm_strategy_name(o->strategy));
    snprintf(k, sizeof k, "%u", o->k);
    snprintf(threads, sizeof threads, "%u", o->threads);
    snprintf(parts, sizeof parts, "%u", o->partitions);
    snprintf(leaf, sizeof leaf, "%u", o->leaf);
    char **args = calloc((size_t)argc + 16, sizeof *args);
    if (!args)
        return repl_error(s, REPL_FAIL, "out of memory");
    int a = 0;
    args[a++] = argv[0];
    args[a++] = o_strategy;
    args[a++] = strategy;
    args[a++] = o_k;
    args[a++] = k;
    args[a++] = o_threads;
    args[a++] = threads;
    if (o->partitions) {
        args[a++] = o_parts;
        args[a++] = parts;
    } else if (o->leaf) {
        args[a++] = o_leaf;
        args[a++] = leaf;
    }
    if (s->ws.dm) {
        snprintf(n, sizeof n, "%zu", ekm_dissim_n(s->ws.dm));
        args[a++] = o_n;
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
