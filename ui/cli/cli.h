/* cli.h — the batch command line: `ekm COMMAND [options]`, for scripts.
 * Exit status: 0 success, 1 runtime failure (or cancelled), 2 bad usage or input. */
#ifndef EKM_UI_CLI_H
#define EKM_UI_CLI_H

#include <stdio.h>

#include "command/command.h"

enum { CLI_OK = COMMAND_OK, CLI_FAIL = COMMAND_FAIL, CLI_USAGE = COMMAND_USAGE };

typedef ui_command cli_command;

/* The batch commands (NULL-terminated): one entry of the command model
 * (command/command.h) each; see cli.c for how to add one. */
extern const ui_command cli_commands[];

const cli_command *cli_find(const char *name);
/* The closest command name to `name` (for "did you mean"), or NULL. */
const char *cli_suggest(const char *name);
void cli_print_usage(FILE *out);
/* Print command c's long help to out. */
void cli_print_help(FILE *out, const cli_command *c);
/* Run command c on argv (argv[0] its name), printing to stdout: with --help or -h
 * among the words, its help instead. Returns the exit status. */
int cli_dispatch(const cli_command *c, int argc, char **argv);
/* Print "ekm: message" on stderr and return CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "ekm: message" on stderr (one line) and return CLI_FAIL. */
int cli_runtime_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The run functions of the table (command_args: the parsed settings, the
 * positionals, the words, the output stream). */
int cli_solve(const command_args *a);
int cli_gen(const command_args *a);
int cli_compare(const command_args *a);
int cli_info(const command_args *a);
int cli_plot(const command_args *a);
int cli_plot_bench(const command_args *a);
int cli_bench(const command_args *a);
int cli_explain(const command_args *a);
int cli_tui(const command_args *a);
int cli_resume(const command_args *a);
int cli_timeline(const command_args *a);
int cli_sweep(const command_args *a);

/* Their long help: usage and description, up to the option lines. */
extern const char cli_solve_help[], cli_gen_help[], cli_compare_help[], cli_info_help[],
    cli_plot_help[], cli_plot_bench_help[], cli_bench_help[], cli_explain_help[],
    cli_tui_help[], cli_resume_help[], cli_timeline_help[], cli_sweep_help[];

/* Their own options (beside the shared ones of their groups). */
extern const command_option cli_bench_options[];
extern const command_option cli_explain_options[];
extern const command_option cli_resume_options[];
extern const command_option cli_plot_bench_options[];
extern const command_option cli_timeline_options[];
extern const command_option cli_plot_options[];
extern const command_option cli_sweep_options[];

/* `explain`, in two steps the REPL shares: parse the options of argv (after
 * argv[0]) over s and *n (the number of points, 0: --n must give it; --json sets
 * *json); then print the plan of s on n points to out. Errors go to stderr (as
 * "ekm: explain: ..."); both return the exit status. (cli_explain.c) */
struct ui_settings;
int cli_explain_parse(struct ui_settings *s, unsigned long long *n, int *json, int argc,
                      char **argv);
int cli_explain_run(const struct ui_settings *s, unsigned long long n, int json, FILE *out);
/* `explain --strategy all` or `--threads 1,2,4,8`: the predicted speedups of
 * every strategy at every T side by side (--json: {"rows": [...]}). Sets
 * *handled when argv asks for it (and returns the exit status); else 0 and the
 * ordinary explain applies. n_default: the points when --n is not given (0:
 * required). (cli_explain_table.c) */
int cli_explain_table(int argc, char **argv, unsigned long long n_default, int *handled,
                      FILE *out);

/* Run one exact or heuristic job on dm with opt and report it as `ekm solve` does
 * (s: output and checkpoint options; src: how to load dm again, for the checkpoint's
 * note, NULL without --checkpoint; remaining: the share of the work left, for the
 * over-an-hour warning; out: where the result goes). Returns the exit status.
 * (cli_solve.c) */
struct ekm_dissim;
struct ekm_solve_options;
struct ckpt_source;
int cli_solve_run(struct ekm_dissim *dm, const struct ui_settings *s,
                  const struct ekm_solve_options *opt, const struct ckpt_source *src,
                  double remaining, FILE *out);

/* `verify`: check a certificate of optimality (cli_verify.c); and write a
 * finished pruned job's certificate to path through outfile.h (note: how its
 * data was loaded, ckpt.h). Returns 0, or -1 with "PATH: reason" in err. */
extern const char cli_verify_help[];
int cli_verify(const command_args *a);
struct ekm_job;
int cli_certificate_write(struct ekm_job *job, const char *path, const char *note, char *err,
                          size_t errsize);
extern const command_option cli_solve_options[];

#endif
