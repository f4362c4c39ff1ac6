/* settings.h — the options every front end shares (batch CLI, REPL, TUI): one
 * const table of option names, each with its parser and help line, so a name
 * means the same thing everywhere. */
#ifndef EKM_UI_SETTINGS_H
#define EKM_UI_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/generate.h"
#include "ekm/job.h"

typedef struct ui_settings {
    /* data */
    ekm_csv_options csv;
    ekm_metric metric;
    char dissim_file[1024]; /* --dissimilarity FILE (a precomputed matrix) */
    ekm_standardize standardize; /* --standardize: columns scaled before the matrix */
    int matrix;             /* --matrix: MATRIX_AUTO, _ON, _OFF (common/matrix_mode.h) */
    /* solver */
    ekm_solve_options solve;
    /* output */
    int json;
    char labels_out[1024];
    int progress;
    unsigned index_base;    /* --index-base 0|1: how points and clusters are numbered */
    char out_data[1024];    /* --out-data OUT.csv: the input rows with their cluster */
    int strategy_auto;      /* --strategy auto (the default): solve.strategy holds what it
                               runs (pruned) */
    /* checkpoints (exact strategies) */
    char checkpoint[1024]; /* --checkpoint FILE, "" for none */
    double every;          /* --every SECONDS between checkpoints (default 60) */
    int force;             /* --force: start over in an existing checkpoint */
    /* gen */
    ekm_gen_kind gen_kind;
    size_t gen_n, gen_d;
    unsigned gen_clusters;
    char out[1024];
    /* plot */
    unsigned width, height;
    /* --silhouette-sample N|all|auto: points whose s(i) estimates the silhouette;
     * SETTINGS_SILHOUETTE_ALL: every point (exact), 0: auto (exact up to
     * EKM_SILHOUETTE_EXACT_MAX points, ekm/quality.h) */
    size_t silhouette_sample;
} ui_settings;

#define SETTINGS_SILHOUETTE_ALL SIZE_MAX

/* Option groups, to say which options a command takes. */
enum {
    OPT_DATA = 1 << 0,   /* --header --no-header --separator --label-column --missing --metric --dissimilarity */
    OPT_SOLVE = 1 << 1,  /* -k --strategy --threads --partitions --leaf --seed --restarts */
    OPT_OUTPUT = 1 << 2, /* --json --labels --progress */
    OPT_GEN = 1 << 3,    /* --n --d --clusters --seed --out */
    OPT_PLOT = 1 << 4,   /* --out --width --height */
    OPT_CKPT = 1 << 5,   /* --checkpoint --every --force */
    OPT_SAVE = 1 << 6    /* --out-data */
};

typedef struct settings_option {
    const char *name;  /* "--metric" */
    const char *alias; /* "-k", or NULL */
    const char *arg;   /* "M" placeholder, NULL for a flag */
    unsigned groups;
    const char *help;
    /* parse value (NULL for a flag) into s; on error write a one-line message */
    int (*apply)(ui_settings *s, const char *value, char *err, size_t errsize);
    const char *const *choices; /* for completion: NULL-terminated, or NULL */
} settings_option;

extern const settings_option settings_options[];
extern const size_t settings_option_count;

void settings_init(ui_settings *s);
/* Find an option by name or alias (exact); NULL if unknown. */
const settings_option *settings_find(const char *name);
/* The first option among args[first..argc) that belongs to OPT_SOLVE and is not
 * `except` (e.g. "--threads"): its name ("--k", "-s", without any "=value") is
 * copied to name; returns 1, or 0 when there is none. */
int settings_find_solve_option(int argc, char **args, int first, const char *except, char *name,
                               size_t size);
/* The known option name closest to `name` (for "did you mean"), or NULL. */
const char *settings_suggest(const char *name, unsigned groups);

/* Parse argv[first..argc) into s and the positional arguments (up to max_pos,
 * stored as pointers into argv). Options outside `groups` are refused.
 * Returns 0, or -1 with a one-line message in err. */
int settings_parse_argv(ui_settings *s, unsigned groups, int argc, char **argv, int first,
                        const char **pos, int max_pos, int *npos, char *err, size_t errsize);

/* Strict number parsing: the whole string, in range. Return 0 or -1 (message in err). */
int settings_parse_uint(const char *what, const char *v, unsigned long long lo,
                        unsigned long long hi, unsigned long long *out, char *err, size_t errsize);

/* Print help lines of the options in `groups` to out. */
void settings_print_help(FILE *out, unsigned groups);

#endif
