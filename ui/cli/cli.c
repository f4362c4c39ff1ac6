/* cli.c — the batch command table and top-level help.
 *
 * To add a command:
 *   1. write its run function, `int cli_NAME(const command_args *a)`, in its own
 *      file cli_NAME.c (and in CMakeLists.txt): a->settings holds the shared
 *      options already parsed, a->pos the positionals, a->out the stream to print
 *      to (stdout); return CLI_OK, CLI_FAIL or CLI_USAGE (cli_usage_error);
 *   2. its help text next to it: `const char cli_NAME_help[]`, "usage: ..." and
 *      the description, ending with "options:\n"; declare both in cli.h;
 *   3. one entry below (designated fields; those left out are 0/NULL): name,
 *      synopsis, summary, help, the OPT_* groups of the shared options
 *      (common/settings.h) it takes, its own options (a command_option array
 *      ended by {NULL}, with the kind of value each takes: run reads them with
 *      command_own(a, "--name")), how many positionals (max_pos) and what they
 *      are (pos_kind: a file, choices), flags (enum command_flags in
 *      command/command.h: COMMAND_OWN_PARSE when run parses a->argv itself), run.
 * Options that more than one command takes go in the shared table instead
 * (settings.c: a name, a placeholder, a group, a help line, a parser; a file
 * placeholder ("FILE", "OUT.csv") or a list of choices tells the completion).
 * `--help`, the man page ekm(1) and the shell completion follow by themselves. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>

#include "common/settings.h"
#include "common/suggest.h"
#include "common/text_escape.h"
#include "ekm/ekm.h"

static const char *const gen_kinds[] = {"uniform", "blobs", NULL};

/* The table: one entry per command, in the order of `ekm --help` (how to add one:
 * at the top of this file). */
const ui_command cli_commands[] = {
    {.name = "solve",
     .synopsis = "solve FILE -k K [options]",
     .summary = "find the optimal K medoids of a CSV file",
     .help = cli_solve_help,
     .groups = OPT_SOLVE | OPT_DATA | OPT_OUTPUT | OPT_CKPT | OPT_SAVE,
     .options = cli_solve_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .flags = COMMAND_ALL_THREADS,
     .run = cli_solve},
    {.name = "resume",
     .synopsis = "resume CHECKPOINT [--threads T] [--checkpoint F] [--every S] [--json]",
     .summary = "continue a run saved with 'solve --checkpoint' (same optimum)",
     .help = cli_resume_help,
     .groups = OPT_OUTPUT | OPT_CKPT | OPT_SAVE,
     .options = cli_resume_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .flags = COMMAND_OWN_PARSE | COMMAND_ALL_THREADS,
     .run = cli_resume},
    {.name = "compare",
     .synopsis = "compare FILE -k K [options]",
     .summary = "the proven optimum against every heuristic: time, objective, gap",
     .help = cli_compare_help,
     .groups = OPT_SOLVE | OPT_DATA | OPT_OUTPUT,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .flags = COMMAND_ALL_THREADS,
     .run = cli_compare},
    {.name = "gen",
     .synopsis = "gen uniform|blobs --n N --d D [--clusters C] [--seed S] [--out FILE]",
     .summary = "write a seeded synthetic dataset as CSV",
     .help = cli_gen_help,
     .groups = OPT_GEN,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_CHOICE,
     .pos_choices = gen_kinds,
     .flags = COMMAND_SEED_ZERO,
     .run = cli_gen},
    {.name = "plot",
     .synopsis = "plot FILE -k K [--strategy S] --out clusters.png [--silhouette sil.png] [--width W --height H]",
     .summary = "solve and draw the clusters (or their silhouette) to a PNG file",
     .help = cli_plot_help,
     .groups = OPT_SOLVE | OPT_DATA | OPT_PLOT,
     .options = cli_plot_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .run = cli_plot},
    {.name = "plot-bench",
     .synopsis = "plot-bench RESULTS.csv --out curves.png",
     .summary = "draw runtime curves and thread scaling from 'ekm bench --csv' rows",
     .help = cli_plot_bench_help,
     .options = cli_plot_bench_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .run = cli_plot_bench},
    {.name = "info",
     .synopsis = "info FILE [data options]",
     .summary = "load a file and describe it: N, D, columns, memory",
     .help = cli_info_help,
     .groups = OPT_DATA,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .run = cli_info},
    {.name = "bench",
     .synopsis = "bench [FILE | --gen KIND] -k K --n LIST --strategies LIST --threads LIST [options]",
     .summary = "time the strategies over N and threads: medians, fits, speedups, scaling",
     .help = cli_bench_help,
     .groups = OPT_DATA,
     .options = cli_bench_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .flags = COMMAND_OWN_PARSE,
     .run = cli_bench,
     .shared_header = "\ndata options (with FILE):\n"},
    {.name = "explain",
     .synopsis = "explain [--strategy S] -k K --n N [--threads T] [--partitions P | --leaf L]",
     .summary = "show a strategy's plan of stages and its exact work without running it",
     .help = cli_explain_help,
     .options = cli_explain_options,
     .flags = COMMAND_OWN_PARSE | COMMAND_ALL_THREADS,
     .run = cli_explain},
    {.name = "tui",
     .synopsis = "tui [FILE] [-k K] [--strategy S] [--threads T] [options]",
     .summary = "the live dashboard: every stage of the plan, thread meters, run history",
     .help = cli_tui_help,
     .groups = OPT_SOLVE | OPT_DATA,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .run = cli_tui},
    {.name = "timeline",
     .synopsis = "timeline FILE -k K [--strategy S] [--threads T] [--simulate T2] --out timeline.png",
     .summary = "solve and draw each thread's stages over time (or simulated on T2 threads) to a PNG",
     .help = cli_timeline_help,
     .groups = OPT_SOLVE | OPT_DATA | OPT_PLOT,
     .options = cli_timeline_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .run = cli_timeline},
    {.name = "sweep",
     .synopsis = "sweep FILE --k LO..HI [options] [--plot OUT.png]",
     .summary = "the optimum for every K: objective, silhouette, elbow, suggested K",
     .help = cli_sweep_help,
     .groups = OPT_SOLVE | OPT_DATA | OPT_OUTPUT | OPT_PLOT,
     .options = cli_sweep_options,
     .max_pos = 1,
     .pos_kind = COMMAND_VALUE_FILE,
     .flags = COMMAND_OWN_PARSE | COMMAND_ALL_THREADS,
     .run = cli_sweep},
    {.name = "verify",
     .synopsis = "verify CERT DATA [data options]",
     .summary = "check a certificate of optimality from 'solve --certificate' on its data",
     .help = cli_verify_help,
     .groups = OPT_DATA,
     .max_pos = 2,
     .pos_kind = COMMAND_VALUE_FILE,
     .run = cli_verify},
    {.name = NULL},
};

const cli_command *cli_find(const char *name)
{
    return command_find(cli_commands, name);
}

const char *cli_suggest(const char *name)
{
    return command_suggest(cli_commands, name, 0);
}

void cli_print_help(FILE *out, const cli_command *c)
{
    command_print_help(out, c);
}

int cli_dispatch(const cli_command *c, int argc, char **argv)
{
    return command_dispatch(c, argc, argv, stdout, NULL);
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
        if (!(c->flags & COMMAND_HIDDEN))
            fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\n'ekm COMMAND --help' describes a command; 'ekm --version' prints the version.\n"
                 "Exit status: 0 success, 1 runtime failure or cancelled, 2 bad usage or input;\n"
                 "130 (SIGINT) or 143 (SIGTERM) when a run with --checkpoint was stopped and saved.\n"
                 "Data files are CSV; '-' reads standard input; gzip-compressed CSV (.csv.gz) is\n"
                 "read as it is.\n");
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
