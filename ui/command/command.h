/* command.h — the one command model of the batch CLI and the REPL: a command is
 * a const table entry (name, synopsis, one-line summary, long help, the options it
 * takes with the kind of value each wants, its positionals, flags) and a run
 * function that gets the parsed settings and the stream to print to.
 *
 * The batch commands' table is ui/cli/cli.c (`cli_commands`), the prompt's is
 * ui/repl/repl_commands.c (`repl_commands`); both are arrays of `command`, both
 * dispatch through command_dispatch, and `--help`, the man page ekm(1) and the
 * shell completion are all printed from them (command_help.c, command_man.c,
 * command_complete.c), so that they cannot disagree. */
#ifndef EKM_UI_COMMAND_H
#define EKM_UI_COMMAND_H

#include <stdio.h>

#include "common/settings.h"

enum { COMMAND_OK = 0, COMMAND_FAIL = 1, COMMAND_USAGE = 2 };

/* What an option's value (or a positional) is: completion and the man page use it. */
typedef enum command_value {
    COMMAND_VALUE_NONE = 0,   /* a flag: no value */
    COMMAND_VALUE_INT,        /* a whole number */
    COMMAND_VALUE_NUMBER,     /* a number (seconds, ...) */
    COMMAND_VALUE_LIST,       /* numbers: 50,100,...,400 or 50:400:50 */
    COMMAND_VALUE_STRATEGY,   /* one strategy name (choices: which ones) */
    COMMAND_VALUE_STRATEGIES, /* strategy names separated by commas, or all */
    COMMAND_VALUE_METRIC,     /* a metric name */
    COMMAND_VALUE_CHOICE,     /* one of `choices` */
    COMMAND_VALUE_FILE,       /* a file that is read */
    COMMAND_VALUE_OUTFILE,    /* a file that is written */
    COMMAND_VALUE_TEXT        /* anything else */
} command_value;

/* An option of one command only (the shared ones are settings_options[]). */
typedef struct command_option {
    const char *name;  /* "--info" */
    const char *alias; /* "-t", or NULL */
    const char *arg;   /* "T" placeholder, NULL for a flag */
    command_value kind;
    const char *help;           /* its line of --help; a '\n' continues it on the next line */
    const char *const *choices; /* NULL-terminated, or NULL (metric, strategy: all) */
} command_option;

enum command_flags {
    /* `NAME --help` goes to run: the command prints its own help */
    COMMAND_OWN_HELP = 1u << 0,
    /* run parses a->argv itself (a->settings holds the defaults; a->pos is empty) */
    COMMAND_OWN_PARSE = 1u << 1,
    /* --threads defaults to 0 (all cores) */
    COMMAND_ALL_THREADS = 1u << 2,
    /* --seed defaults to 0 */
    COMMAND_SEED_ZERO = 1u << 3,
    /* only in this front end's tables, not in ekm(1) nor in the completion */
    COMMAND_HIDDEN = 1u << 4
};

/* What run gets. */
typedef struct command_args {
    ui_settings *settings;  /* the options parsed over the defaults */
    const char *const *pos; /* the positionals (npos of them) */
    int npos;
    int argc; /* the words as given, argv[0] the command's name */
    char **argv;
    FILE *out;     /* where the command prints (stdout in batch mode) */
    void *context; /* the front end's: the REPL's session; NULL in batch mode */
    /* the command's own options, in the order of its table: own[i] is the value
     * of options[i] as given (the last one), "" for a flag given, NULL if absent */
    const char *const *own;
    const struct ui_command *command; /* the table entry run */
} command_args;

/* Own options a command may have (beside the shared ones). */
#define COMMAND_MAX_OWN 32

typedef struct ui_command {
    const char *name;
    const char *alias;    /* another name (the prompt's "?" for help), or NULL */
    const char *synopsis; /* "solve FILE -k K [options]" */
    const char *summary;  /* one line, for the command list */
    const char *help;     /* long help: usage and description, up to the option lines */
    unsigned groups;      /* OPT_* groups of the shared option table it takes (0: none) */
    const command_option *options;     /* its own options, printed first; NULL-terminated */
    int max_pos;                       /* positionals it takes at most */
    command_value pos_kind;            /* what they are (completion) */
    const char *const *pos_choices;    /* COMMAND_VALUE_CHOICE: which words */
    unsigned flags;                    /* enum command_flags */
    int (*run)(const command_args *a); /* never sees --help unless COMMAND_OWN_HELP */
    const char *shared_header;         /* a line before the shared options' lines, or NULL */
} ui_command;

/* The strategy and metric names (NULL-terminated). */
extern const char *const command_strategy_names[];
extern const char *const command_exact_strategy_names[];
extern const char *const command_metric_names[];

/* The value of the command's own option `name` as given ("" for a flag), or NULL
 * when it was not given. */
const char *command_own(const command_args *a, const char *name);

/* A command by its name or alias in `table` (NULL-terminated by name); NULL if none. */
const ui_command *command_find(const ui_command *table, const char *name);
/* The closest command name (an edit distance of at most 2; with `prefix`, also the
 * only name starting with `name`), or NULL. */
const char *command_suggest(const ui_command *table, const char *name, int prefix);

/* 1 when --help or -h is among argv[1..argc). */
int command_help_asked(int argc, char **argv);
/* 1 when the option `name` (or its alias) is among the words, alone or as name=value. */
int command_given(const command_args *a, const char *name);

/* Parse argv by c's table entry into s (which holds the defaults) and run c:
 * with --help (unless COMMAND_OWN_HELP) its help goes to `out` instead.
 * A parse error is printed on stderr as "ekm: NAME: message". Returns the
 * command's status (COMMAND_OK, COMMAND_FAIL, COMMAND_USAGE or the run's own). */
int command_dispatch(const ui_command *c, int argc, char **argv, FILE *out, void *context);

/* `ekm NAME --help`: c's help text, then the lines of its own options, then those
 * of the shared options of its groups. */
void command_print_help(FILE *out, const ui_command *c);
/* The help line of one option ("  -k, --k K                  number of medoids"). */
void command_print_option(FILE *out, const char *alias, const char *name, const char *arg,
                          const char *help);

/* The kind of value a shared option takes (from its placeholder and choices). */
command_value command_shared_kind(const settings_option *o);

/* ekm(1), from the batch table (and the prompt's, listed briefly; may be NULL). */
void command_write_man(FILE *out, const ui_command *batch, const ui_command *prompt,
                       const char *version);
/* The completion script for `shell` ("bash" or "zsh"); -1 for another shell. */
int command_write_completion(FILE *out, const ui_command *batch, const char *shell);

#endif
