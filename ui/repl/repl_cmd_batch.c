/* repl_cmd_batch.c — REPL commands that are the batch CLI's own code run from the
 * prompt: `bench ...` (the arguments of `ekm bench`; at the prompt it runs in the
 * background, see repl_bench.c; in a script it runs to its end before the next
 * command; --kernel and --help are the batch command's, in the foreground) and
 * `explain [options]` (the plan of the settings, on the loaded data's N, without
 * running it: the batch command's parsing and printing, on the session's stream). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "repl/repl_internal.h"

static int from_cli(int rc)
{
    return rc == CLI_OK ? REPL_OK : rc == CLI_FAIL ? REPL_FAIL : REPL_USAGE;
}

/* 1 when one of the words (after the command's name) is `a`. */
static int has_word(int argc, char **argv, const char *a)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], a))
            return 1;
    return 0;
}

int repl_cmd_bench(repl_session *s, int argc, char **argv)
{
    int help = command_help_asked(argc, argv);
    if (!help && !has_word(argc, argv, "--kernel")) {
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
    /* the batch command's help, or its --kernel figures, on the session's stream */
    int rc = command_dispatch(cli_find("bench"), argc, argv, s->out, NULL);
    fflush(s->out);
    fflush(stderr);
    return from_cli(rc);
}

int repl_cmd_explain(repl_session *s, int argc, char **argv)
{
    /* the session's plan settings, the loaded data's N; the user's options win */
    const ekm_solve_options *o = &s->ws.settings.solve;
    ui_settings es;
    settings_init(&es);
    es.solve.strategy = o->strategy;
    es.solve.k = o->k;
    es.solve.threads = o->threads;
    es.solve.partitions = o->partitions;
    es.solve.leaf = o->partitions ? 0 : o->leaf;
    unsigned long long n = s->ws.dm ? ekm_dissim_n(s->ws.dm) : 0;
    int json = 0, handled;
    if (command_help_asked(argc, argv)) { /* the batch command's help */
        command_print_help(s->out, cli_find("explain"));
        fflush(s->out);
        return REPL_OK;
    }
    fflush(s->out);
    int rc = cli_explain_table(argc, argv, n, &handled, s->out);
    if (handled)
        return from_cli(rc);
    rc = cli_explain_parse(&es, &n, &json, argc, argv);
    if (rc == CLI_OK)
        rc = cli_explain_run(&es, n, json, s->out);
    return from_cli(rc);
}
