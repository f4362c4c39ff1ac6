/* cli.h — the batch command line: `ekm COMMAND [options]`, for scripts.
 * Exit status: 0 success, 1 runtime failure (or cancelled), 2 bad usage or input. */
#ifndef EKM_UI_CLI_H
#define EKM_UI_CLI_H

#include <stdio.h>

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* A command's long help (`ekm NAME --help`): its text, then the lines of the
 * shared option table (common/settings.h) of its groups, then its own lines. */
typedef struct cli_help {
    const char *text;  /* usage and description, up to the option list */
    unsigned options;  /* OPT_* groups of the shared option table (0: none) */
    const char *more;  /* lines after them, or NULL */
} cli_help;

typedef struct cli_command {
    const char *name;
    const char *synopsis;
    const char *summary;
    const cli_help *help;              /* `ekm NAME --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name; never sees --help */
} cli_command;

/* The batch commands (NULL-terminated). */
extern const cli_command cli_commands[];

const cli_command *cli_find(const char *name);
/* The closest command name to `name` (for "did you mean"), or NULL. */
const char *cli_suggest(const char *name);
void cli_print_usage(FILE *out);
/* Print command c's long help to out. */
void cli_print_help(FILE *out, const cli_command *c);
/* Run command c on argv (argv[0] its name): with --help or -h among the words, its
 * help on stdout instead. Returns the exit status. */
int cli_dispatch(const cli_command *c, int argc, char **argv);
/* Print "ekm: message" on stderr and return CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "ekm: message" on stderr (one line) and return CLI_FAIL. */
int cli_runtime_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_solve(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_info(int argc, char **argv);
int cli_plot(int argc, char **argv);
int cli_plot_bench(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_timeline(int argc, char **argv);
int cli_tui(int argc, char **argv);
int cli_resume(int argc, char **argv);

/* Their long help (the table's `help`). */
extern const cli_help cli_solve_help;
extern const cli_help cli_gen_help;
extern const cli_help cli_compare_help;
extern const cli_help cli_info_help;
extern const cli_help cli_plot_help;
extern const cli_help cli_plot_bench_help;
extern const cli_help cli_bench_help;
extern const cli_help cli_explain_help;
extern const cli_help cli_timeline_help;
extern const cli_help cli_tui_help;
extern const cli_help cli_resume_help;

/* `explain`, in two steps the REPL shares: parse the options of argv (after
 * argv[0]) over s and *n (the number of points, 0: --n must give it; --json sets
 * *json); then print the plan of s on n points to out. Errors go to stderr (as
 * "ekm: explain: ..."); both return the exit status. (cli_explain.c) */
struct ui_settings;
int cli_explain_parse(struct ui_settings *s, unsigned long long *n, int *json, int argc,
                      char **argv);
int cli_explain_run(const struct ui_settings *s, unsigned long long n, int json, FILE *out);

/* Run one exact or heuristic job on dm with opt and report it as `ekm solve` does
 * (s: output and checkpoint options; src: how to load dm again, for the checkpoint's
 * note, NULL without --checkpoint; remaining: the share of the work left, for the
 * over-an-hour warning). Returns the exit status. (cli_solve.c) */
struct ekm_dissim;
struct ekm_solve_options;
struct ckpt_source;
int cli_solve_run(struct ekm_dissim *dm, const struct ui_settings *s,
                  const struct ekm_solve_options *opt, const struct ckpt_source *src,
                  double remaining);

#endif
