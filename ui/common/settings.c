/* settings.c — the shared option table and strict value parsing. */
#include "common/settings.h"

#include "common/matrix_mode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"

int settings_parse_uint(const char *what, const char *v, unsigned long long lo,
                        unsigned long long hi, unsigned long long *out, char *err, size_t errsize)
{
    const char *p = v;
    while (*p == ' ')
        p++;
    if (*p < '0' || *p > '9') {
        snprintf(err, errsize, "%s: '%s' is not a whole number", what, v);
        return -1;
    }
    errno = 0;
    char *end;
    unsigned long long x = strtoull(p, &end, 10);
    while (*end == ' ')
        end++;
    if (*end) {
        snprintf(err, errsize, "%s: '%s' is not a whole number", what, v);
        return -1;
    }
    if (errno == ERANGE || x < lo || x > hi) {
        snprintf(err, errsize, "%s must be between %llu and %llu, not %s", what, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

#define UINT_SETTER(fn, what, lo, hi, field, cast)                                              \
    static int fn(ui_settings *s, const char *v, char *err, size_t n)                          \
    {                                                                                           \
        unsigned long long x;                                                                   \
        if (settings_parse_uint(what, v, lo, hi, &x, err, n))                                   \
            return -1;                                                                          \
        s->field = (cast)x;                                                                     \
        return 0;                                                                               \
    }

UINT_SETTER(set_k, "K", 1, EKM_MAX_K, solve.k, unsigned)
UINT_SETTER(set_threads, "--threads", 1, EKM_MAX_THREADS, solve.threads, unsigned)
UINT_SETTER(set_partitions, "--partitions", 0, EKM_PLAN_MAX_PARTS, solve.partitions, unsigned)
UINT_SETTER(set_leaf, "--leaf", 0, 100000000, solve.leaf, unsigned)
UINT_SETTER(set_seed, "--seed", 0, UINT64_MAX, solve.seed, uint64_t)
UINT_SETTER(set_restarts, "--restarts", 1, 100000, solve.restarts, unsigned)
UINT_SETTER(set_gen_n, "--n", 1, 100000000, gen_n, size_t)
UINT_SETTER(set_gen_d, "--d", 1, 100000, gen_d, size_t)
UINT_SETTER(set_clusters, "--clusters", 1, 1000000, gen_clusters, unsigned)
UINT_SETTER(set_width, "--width", 64, 8192, width, unsigned)
UINT_SETTER(set_height, "--height", 64, 8192, height, unsigned)

static int set_metric(ui_settings *s, const char *v, char *err, size_t n)
{
    if (ekm_metric_parse(v, &s->metric) == 0)
        return 0;
    snprintf(err, n, "--metric: unknown metric '%s' (euclidean, sqeuclidean, manhattan)", v);
    return -1;
}

static int set_strategy(ui_settings *s, const char *v, char *err, size_t n)
{
    if (strcmp(v, "auto") == 0) { /* the fastest exact strategy */
        s->solve.strategy = EKM_STRATEGY_PRUNED;
        s->strategy_auto = 1;
        return 0;
    }
    if (ekm_strategy_parse(v, &s->solve.strategy) == 0) {
        s->strategy_auto = 0;
        return 0;
    }
    snprintf(err, n,
             "--strategy: unknown strategy '%s' (auto, seq, split, par1, par2, tree, fused, "
             "pruned, pam, fasterpam, clarans, alternate)",
             v);
    return -1;
}

static int set_standardize(ui_settings *s, const char *v, char *err, size_t n)
{
    if (ekm_standardize_parse(v, &s->standardize) == 0)
        return 0;
    snprintf(err, n, "--standardize: '%s' is not one of mad, zscore, range, none", v);
    return -1;
}

static int set_index_base(ui_settings *s, const char *v, char *err, size_t n)
{
    if (strcmp(v, "0") && strcmp(v, "1")) {
        snprintf(err, n, "--index-base: '%s' is not 0 or 1", v);
        return -1;
    }
    s->index_base = (unsigned)(v[0] - '0');
    return 0;
}

static int set_label(ui_settings *s, const char *v, char *err, size_t n)
{
    if (strcmp(v, "last") == 0)
        s->csv.label = EKM_LABEL_LAST;
    else if (strcmp(v, "auto") == 0)
        s->csv.label = EKM_LABEL_AUTO;
    else if (strcmp(v, "none") == 0)
        s->csv.label = EKM_LABEL_NONE;
    else {
        snprintf(err, n, "--label-column: '%s' is not one of last, auto, none", v);
        return -1;
    }
    return 0;
}

static int set_missing(ui_settings *s, const char *v, char *err, size_t n)
{
    if (strcmp(v, "drop") == 0)
        s->csv.missing = EKM_MISSING_DROP;
    else if (strcmp(v, "refuse") == 0)
        s->csv.missing = EKM_MISSING_REFUSE;
    else {
        snprintf(err, n, "--missing: '%s' is not one of drop, refuse", v);
        return -1;
    }
    return 0;
}

static int set_separator(ui_settings *s, const char *v, char *err, size_t n)
{
    if (strcmp(v, "comma") == 0 || strcmp(v, ",") == 0)
        s->csv.separator = ',';
    else if (strcmp(v, "semicolon") == 0 || strcmp(v, ";") == 0)
        s->csv.separator = ';';
    else if (strcmp(v, "tab") == 0 || strcmp(v, "\t") == 0)
        s->csv.separator = '\t';
    else if (strcmp(v, "space") == 0 || strcmp(v, "whitespace") == 0 || strcmp(v, " ") == 0)
        s->csv.separator = ' ';
    else if (strcmp(v, "auto") == 0)
        s->csv.separator = 0;
    else {
        snprintf(err, n, "--separator: '%s' is not one of comma, semicolon, tab, space, auto", v);
        return -1;
    }
    return 0;
}

static int copy_path(char *dst, size_t size, const char *what, const char *v, char *err, size_t n)
{
    if (!*v || strlen(v) >= size) {
        snprintf(err, n, "%s: %s path", what, *v ? "too long a" : "an empty");
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int set_dissim(ui_settings *s, const char *v, char *err, size_t n)
{
    return copy_path(s->dissim_file, sizeof s->dissim_file, "--dissimilarity", v, err, n);
}
static int set_matrix(ui_settings *s, const char *v, char *err, size_t n)
{
    if (strcmp(v, "auto") == 0)
        s->matrix = MATRIX_AUTO;
    else if (strcmp(v, "on") == 0)
        s->matrix = MATRIX_ON;
    else if (strcmp(v, "off") == 0)
        s->matrix = MATRIX_OFF;
    else {
        snprintf(err, n, "--matrix: '%s' is not one of auto, on, off", v);
        return -1;
    }
    return 0;
}
static int set_labels_out(ui_settings *s, const char *v, char *err, size_t n)
{
    return copy_path(s->labels_out, sizeof s->labels_out, "--labels", v, err, n);
}
static int set_out_data(ui_settings *s, const char *v, char *err, size_t n)
{
    return copy_path(s->out_data, sizeof s->out_data, "--out-data", v, err, n);
}
static int set_out(ui_settings *s, const char *v, char *err, size_t n)
{
    return copy_path(s->out, sizeof s->out, "--out", v, err, n);
}
static int set_checkpoint(ui_settings *s, const char *v, char *err, size_t n)
{
    return copy_path(s->checkpoint, sizeof s->checkpoint, "--checkpoint", v, err, n);
}
static int set_every(ui_settings *s, const char *v, char *err, size_t n)
{
    char *end;
    errno = 0;
    double x = *v && *v != ' ' ? strtod(v, &end) : 0;
    if (!*v || *v == ' ' || *end || errno == ERANGE || !(x > 0) || x > 1e7) {
        snprintf(err, n, "--every: '%s' is not a positive number of seconds (up to 1e7)", v);
        return -1;
    }
    s->every = x;
    return 0;
}
static int set_silhouette_sample(ui_settings *s, const char *v, char *err, size_t n)
{
    unsigned long long x;
    if (strcmp(v, "all") == 0) {
        s->silhouette_sample = SETTINGS_SILHOUETTE_ALL;
        return 0;
    }
    if (strcmp(v, "auto") == 0) {
        s->silhouette_sample = 0;
        return 0;
    }
    if (settings_parse_uint("--silhouette-sample", v, 1, 1000000000, &x, err, n)) {
        snprintf(err, n, "--silhouette-sample: '%s' is not a number of points (1..1e9), all "
                         "or auto", v);
        return -1;
    }
    s->silhouette_sample = (size_t)x;
    return 0;
}
static int set_header(ui_settings *s, const char *v, char *err, size_t n)
{
    (void)v, (void)err, (void)n;
    s->csv.header = EKM_HEADER_YES;
    return 0;
}
static int set_no_header(ui_settings *s, const char *v, char *err, size_t n)
{
    (void)v, (void)err, (void)n;
    s->csv.header = EKM_HEADER_NO;
    return 0;
}
static int set_json(ui_settings *s, const char *v, char *err, size_t n)
{
    (void)v, (void)err, (void)n;
    s->json = 1;
    return 0;
}
static int set_progress(ui_settings *s, const char *v, char *err, size_t n)
{
    (void)v, (void)err, (void)n;
    s->progress = 1;
    return 0;
}

static int set_force(ui_settings *s, const char *v, char *err, size_t n)
{
    (void)v, (void)err, (void)n;
    s->force = 1;
    return 0;
}

static const char *const metric_choices[] = {"euclidean", "sqeuclidean", "manhattan", NULL};
static const char *const strategy_choices[] = {"auto", "seq",  "split",  "par1", "par2",
                                               "tree", "fused",  "pruned", "pam",
                                               "fasterpam", "clarans", "alternate", NULL};
static const char *const label_choices[] = {"last", "auto", "none", NULL};
static const char *const missing_choices[] = {"refuse", "drop", NULL};
static const char *const standardize_choices[] = {"none", "mad", "zscore", "range", NULL};
static const char *const index_base_choices[] = {"0", "1", NULL};
static const char *const matrix_choices[] = {"auto", "on", "off", NULL};
static const char *const sep_choices[] = {"auto", "comma", "semicolon", "tab", "space", NULL};

const settings_option settings_options[] = {
    {"--k", "-k", "K", OPT_SOLVE, "number of medoids (1..64)", set_k, NULL},
    {"--strategy", "-s", "S", OPT_SOLVE,
     "auto (default: pruned) | seq split par1 par2 tree fused pruned | pam fasterpam "
     "clarans alternate",
     set_strategy,
     strategy_choices},
    {"--threads", "-t", "T", OPT_SOLVE, "worker threads (default: the number of cores)",
     set_threads, NULL},
    {"--partitions", "-p", "P", OPT_SOLVE, "tree: number of leaf partitions (0: from --leaf, else 2 x threads, at most 128 and N)", set_partitions, NULL},
    {"--leaf", NULL, "L", OPT_SOLVE, "tree: leaf partition length (used when -p is 0)", set_leaf, NULL},
    {"--seed", NULL, "S", OPT_SOLVE | OPT_GEN, "random seed (heuristics, gen)", set_seed, NULL},
    {"--restarts", NULL, "R", OPT_SOLVE, "heuristics: independent starts, best kept",
     set_restarts, NULL},
    {"--metric", "-m", "M", OPT_DATA, "euclidean (default), sqeuclidean, manhattan", set_metric,
     metric_choices},
    {"--dissimilarity", NULL, "FILE", OPT_DATA,
     "read a precomputed square dissimilarity matrix instead of points", set_dissim, NULL},
    {"--label-column", NULL, "WHICH", OPT_DATA,
     "last: drop the last column as class labels; auto (default); none", set_label,
     label_choices},
    {"--missing", NULL, "HOW", OPT_DATA,
     "refuse (default) or drop rows with empty, NA or ? fields", set_missing, missing_choices},
    {"--separator", NULL, "SEP", OPT_DATA, "auto (default), comma, semicolon, tab, space",
     set_separator, sep_choices},
    {"--header", NULL, NULL, OPT_DATA, "the first row is a header", set_header, NULL},
    {"--no-header", NULL, NULL, OPT_DATA, "the first row is data", set_no_header, NULL},
    {"--matrix", NULL, "MODE", OPT_DATA,
     "on: store the N x N matrix; off: distances on the fly (pruned only); auto (default)",
     set_matrix, matrix_choices},
    {"--json", NULL, NULL, OPT_OUTPUT, "print one JSON object", set_json, NULL},
    {"--labels", NULL, "OUT.csv", OPT_OUTPUT, "write each point's cluster to a CSV file",
     set_labels_out, NULL},
    {"--progress", NULL, NULL, OPT_OUTPUT, "live per-stage progress on stderr", set_progress,
     NULL},
    {"--checkpoint", NULL, "FILE", OPT_CKPT,
     "exact strategies: save the finished work to FILE (resume with 'ekm resume FILE')",
     set_checkpoint, NULL},
    {"--every", NULL, "SECONDS", OPT_CKPT, "seconds between checkpoints (default 60)",
     set_every, NULL},
    {"--force", NULL, NULL, OPT_CKPT,
     "--checkpoint: start over in an existing checkpoint (never in another kind of file)",
     set_force, NULL},
    {"--standardize", NULL, "HOW", OPT_DATA,
     "scale each column first: mad (R's stand=TRUE), zscore, range, none (default)",
     set_standardize, standardize_choices},
    {"--index-base", NULL, "B", OPT_DATA | OPT_OUTPUT,
     "number points and clusters from 0 (default) or 1 (as R does)", set_index_base,
     index_base_choices},
    {"--out-data", NULL, "OUT.csv", OPT_SAVE,
     "write the input rows with a cluster column to a CSV file", set_out_data, NULL},
    {"--n", "-n", "N", OPT_GEN, "number of points", set_gen_n, NULL},
    {"--d", "-d", "D", OPT_GEN, "dimensions", set_gen_d, NULL},
    {"--clusters", "-c", "C", OPT_GEN, "blobs: number of blobs (default 3)", set_clusters, NULL},
    {"--out", "-o", "FILE", OPT_GEN | OPT_PLOT, "output file", set_out, NULL},
    {"--width", NULL, "W", OPT_PLOT, "picture width in pixels (default 1280)", set_width, NULL},
    {"--height", NULL, "H", OPT_PLOT, "picture height in pixels (default 800)", set_height, NULL},
    {"--silhouette-sample", NULL, "N", OPT_OUTPUT | OPT_PLOT,
     "silhouette of over 20000 points: estimated from N sampled points (auto: "
     "20000^2/N, at least 2000); all: exact (N^2 distances)",
     set_silhouette_sample, NULL},
};
const size_t settings_option_count = sizeof settings_options / sizeof settings_options[0];

void settings_init(ui_settings *s)
{
    memset(s, 0, sizeof *s);
    s->csv = ekm_csv_options_default();
    s->metric = EKM_METRIC_EUCLIDEAN;
    s->solve = ekm_solve_options_default();
    s->solve.strategy = EKM_STRATEGY_PRUNED; /* --strategy auto */
    s->strategy_auto = 1;
    s->every = 60;
    s->gen_kind = EKM_GEN_UNIFORM;
    s->gen_n = 100;
    s->gen_d = 2;
    s->gen_clusters = 3;
    s->width = 1280;
    s->height = 800;
}

int settings_find_solve_option(int argc, char **args, int first, const char *except, char *name,
                               size_t size)
{
    for (int i = first; i < argc; i++) {
        const char *eq = strchr(args[i], '=');
        size_t len = eq && args[i][1] == '-' ? (size_t)(eq - args[i]) : strlen(args[i]);
        if (args[i][0] != '-' || len >= size)
            continue;
        memcpy(name, args[i], len);
        name[len] = '\0';
        const settings_option *o = settings_find(name);
        if (o && (o->groups & OPT_SOLVE) && (!except || strcmp(o->name, except)))
            return 1;
    }
    return 0;
}

const settings_option *settings_find(const char *name)
{
    for (size_t i = 0; i < settings_option_count; i++) {
        const settings_option *o = &settings_options[i];
        if (strcmp(name, o->name) == 0 || (o->alias && strcmp(name, o->alias) == 0))
            return o;
    }
    return NULL;
}

const char *settings_suggest(const char *name, unsigned groups)
{
    suggest sg;
    suggest_init(&sg, name, 0);
    for (size_t i = 0; i < settings_option_count; i++)
        if (settings_options[i].groups & groups)
            suggest_offer(&sg, settings_options[i].name, NULL);
    return suggest_best(&sg);
}

int settings_parse_argv(ui_settings *s, unsigned groups, int argc, char **argv, int first,
                        const char **pos, int max_pos, int *npos, char *err, size_t errsize)
{
    *npos = 0;
    int only_pos = 0, metric_given = 0, dissim_given = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
            if (*npos >= max_pos) {
                snprintf(err, errsize, "unexpected argument '%s'", a);
                return -1;
            }
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        char name[64];
        const char *value = NULL;
        const char *eq = strchr(a, '=');
        size_t len = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
        if (len >= sizeof name) {
            snprintf(err, errsize, "unknown option '%.40s...'", a);
            return -1;
        }
        memcpy(name, a, len);
        name[len] = '\0';
        if (eq && a[1] == '-')
            value = eq + 1;
        const settings_option *o = settings_find(name);
        if (!o || !(o->groups & groups)) {
            const char *sug = settings_suggest(name, groups);
            if (sug)
                snprintf(err, errsize, "unknown option '%s' (did you mean %s?)", name, sug);
            else
                snprintf(err, errsize, "unknown option '%s'", name);
            return -1;
        }
        if (o->arg && !value) {
            if (i + 1 >= argc) {
                snprintf(err, errsize, "%s needs a value (%s)", name, o->arg);
                return -1;
            }
            value = argv[++i];
        } else if (!o->arg && value) {
            snprintf(err, errsize, "%s takes no value", name);
            return -1;
        }
        if (o->apply(s, value, err, errsize))
            return -1;
        metric_given |= o->apply == set_metric;
        dissim_given |= o->apply == set_dissim;
    }
    /* A precomputed matrix is the data: anything else said about the data would
     * be silently ignored. */
    if (dissim_given && *npos) {
        snprintf(err, errsize,
                 "give either FILE or --dissimilarity MATRIX, not both ('%s' would be ignored)",
                 pos[0]);
        return -1;
    }
    if (dissim_given && metric_given) {
        snprintf(err, errsize,
                 "--metric does not apply to --dissimilarity MATRIX (its values are the "
                 "dissimilarities)");
        return -1;
    }
    return 0;
}

void settings_print_help(FILE *out, unsigned groups)
{
    for (size_t i = 0; i < settings_option_count; i++) {
        const settings_option *o = &settings_options[i];
        if (!(o->groups & groups))
            continue;
        char left[64];
        snprintf(left, sizeof left, "%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "",
                 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
}
