/* cli.c — the batch command table and top-level help. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>

#include "common/settings.h"
#include "common/suggest.h"
#include "common/text_escape.h"
#include "ekm/ekm.h"

const cli_command cli_commands[] = {
    {"solve", "solve FILE -k K [options]", "find the optimal K medoids of a CSV file", &cli_solve_help, cli_solve},
    {"resume", "resume CHECKPOINT [--threads T] [--checkpoint F] [--every S] [--json]",
     "continue a run saved with 'solve --checkpoint' (same optimum)", &cli_resume_help, cli_resume},
    {"compare", "compare FILE -k K [options]",
     "the proven optimum against every heuristic: time, objective, gap", &cli_compare_help, cli_compare},
    {"gen", "gen uniform|blobs --n N --d D [--clusters C] [--seed S] [--out FILE]",
     "write a seeded synthetic dataset as CSV", &cli_gen_help, cli_gen},
    {"plot", "plot FILE -k K [--strategy S] --out clusters.png [--width W --height H]",
     "solve and draw the clusters to a PNG file", &cli_plot_help, cli_plot},
    {"plot-bench", "plot-bench RESULTS.csv --out curves.png",
     "draw runtime curves and thread scaling from 'ekm bench --csv' rows", &cli_plot_bench_help, cli_plot_bench},
    {"info", "info FILE [data options]", "load a file and describe it: N, D, columns, memory",
     &cli_info_help, cli_info},
    {"bench", "bench [FILE | --gen KIND] -k K --n LIST --strategies LIST --threads LIST [options]", "time the strategies over N and threads: medians, fits, speedups, scaling", &cli_bench_help, cli_bench},
    {"explain", "explain [--strategy S] -k K --n N [--threads T] [--partitions P | --leaf L]", "show a strategy's plan of stages and its exact work without running it", &cli_explain_help, cli_explain},
    {"tui", "tui [FILE] [-k K] [--strategy S] [--threads T] [options]", "the live dashboard: every stage of the plan, thread meters, run history", &cli_tui_help, cli_tui},
    {"timeline", "timeline FILE -k K [--strategy S] [--threads T] [--simulate T2] --out timeline.png", "solve and draw each thread's stages over time (or simulated on T2 threads) to a PNG", &cli_timeline_help, cli_timeline},
    {NULL, NULL, NULL, NULL, NULL},
};

const cli_command *cli_find(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

const char *cli_suggest(const char *name)
{
    suggest sg;
    suggest_init(&sg, name, 0);
    for (const cli_command *c = cli_commands; c->name; c++)
        suggest_offer(&sg, c->name, NULL);
    return suggest_best(&sg);
}

void cli_print_help(FILE *out, const cli_command *c)
{
    fputs(c->help->text, out);
    if (c->help->options)
        settings_print_help(out, c->help->options);
    if (c->help->more)
        fputs(c->help->more, out);
}

int cli_dispatch(const cli_command *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_print_help(stdout, c);
            return CLI_OK;
        }
    return c->run(argc, argv);
}

void cli_print_usage(FILE *out)
{
    fprintf(out,
            "ekm %s — exact K-medoids clustering\n\n"
            "usage: ekm                      interactive prompt (on a terminal)\n"
            "       ekm -c \"CMD; CMD; ...\"   run REPL commands and exit\n"
            "       ekm COMMAND [options]    batch mode\n\ncommands:\n",
            ekm_version());
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\n'ekm COMMAND --help' describes a command; 'ekm --version' prints the version.\n"
                 "Exit status: 0 success, 1 runtime failure or cancelled, 2 bad usage or input;\n"
                 "130 (SIGINT) or 143 (SIGTERM) when a run with --checkpoint was stopped and saved.\n");
}

/* Print "ekm: message" as exactly one line: control characters (a file name with a
 * line end or a terminal escape, say) are shown escaped (text_escape.h). */
__attribute__((format(printf, 1, 0))) static void error_line(const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fputs("ekm: ", stderr);
    text_fputs(buf, stderr); /* names and labels quoted in it stay text */
    fputc('\n', stderr);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line(fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int cli_runtime_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line(fmt, ap);
    va_end(ap);
    return CLI_FAIL;
}
