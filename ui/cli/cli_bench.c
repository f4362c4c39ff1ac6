/* cli_bench.c — `ekm bench`: time the exact strategies over a grid of N and
 * threads, print medians, fits, speedups and thread scaling; `--kernel` prints
 * the throughput figures against a hand-written AVX2 loop.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops the benchmark: the run in flight is
 * cancelled and dropped, the finished rows are reported (and already in the
 * CSV file, which is written row by row); a second Ctrl-C kills at once. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cli/cli.h"
#include "common/settings.h"

static atomic_int bench_stop;

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&bench_stop, 1);
}

static void bench_help(FILE *out)
{
    fprintf(out,
            "usage: ekm bench [FILE | --gen uniform|blobs] [-k K] [--n LIST] [--strategies LIST]\n"
            "                 [--threads LIST] [--repeat R] [--warmup W] [--csv OUT.csv]\n"
            "                 [--plot OUT.png] [--markdown] [--predict N] [--quiet]\n"
            "       ekm bench --kernel [--n 400] [-k 3] [--seed 0] [--repeat 5]\n"
            "                 [--scaling-n 800] [--parts throughput,fused,plans] [--markdown]\n\n"
            "Times the exact strategies on every N and thread count: each cell runs W warm-ups,\n"
            "then R timed runs (rounds interleaved across cells so machine noise hits all\n"
            "alike). Prints medians with min-max, the study's linear fits and power laws\n"
            "(p ~ K+1) with R², predicted times at --predict N, the speedup between strategies\n"
            "in %% and × (the study's eqs. 19-20), and thread scaling with the fitted parallel\n"
            "fraction p and the Amdahl and Gustafson predictions (eqs. 1-2).\n"
            "seq and split are one-thread plans: they run once per N, on one thread.\n"
            "With FILE, --n takes the first N rows (default: all of them); without FILE the\n"
            "points are generated (--gen uniform by default, --d 2, --seed 0).\n"
            "LIST: 50,100,...,800 (continues the step), 50:800:50, or values separated by commas.\n"
            "Ctrl-C stops and keeps the finished rows.\n\n"
            "bench options:\n"
            "  --gen KIND                 uniform (default) or blobs\n"
            "  --n LIST                   numbers of points (default 50,100,...,400)\n"
            "  -s, --strategies LIST      seq split par1 par2 tree fused pruned, or all (default)\n"
            "  -t, --threads LIST         thread counts (default 1 and the number of cores)\n"
            "  --repeat R                 timed runs per cell (default 3; --kernel: 5)\n"
            "  --warmup W                 untimed runs per cell first (default 1)\n"
            "  --csv OUT.csv              write every timed run as a CSV row (as it finishes)\n"
            "  --plot OUT.png             runtime curves to OUT.png, scaling to OUT-scaling.png\n"
            "  --markdown                 tables in Markdown\n"
            "  --predict N                predicted times and speedups at N from the fits\n"
            "  --quiet                    no progress on stderr\n"
            "  --kernel                   the throughput figures (seq and fused against a\n"
            "                             hand-written AVX2 loop; plans against measurement)\n"
            "  --scaling-n N              --kernel: N of the fused and plan figures (800)\n"
            "  --parts LIST               --kernel: throughput, fused, plans (default all)\n\n"
            "shared options:\n");
    settings_print_help(out, OPT_SOLVE | OPT_DATA | OPT_GEN);
}

/* The options bench parses itself (the rest go to the shared table). */
typedef struct bench_opt {
    const char *name, *alias;
    int has_arg;
} bench_opt;

static const bench_opt bench_opts[] = {
    {"--gen", NULL, 1},       {"--n", "-n", 1},         {"--strategies", "-s", 1},
    {"--strategy", NULL, 1},  {"--threads", "-t", 1},   {"--repeat", NULL, 1},
    {"--warmup", NULL, 1},    {"--csv", NULL, 1},       {"--plot", NULL, 1},
    {"--markdown", NULL, 0},  {"--predict", NULL, 1},   {"--quiet", NULL, 0},
    {"--kernel", NULL, 0},    {"--scaling-n", NULL, 1}, {"--parts", NULL, 1},
};
enum { N_BENCH_OPTS = sizeof bench_opts / sizeof bench_opts[0] };

typedef struct bench_args {
    const char *v[N_BENCH_OPTS]; /* value, or "" for a flag given; NULL: not given */
} bench_args;

static const char *arg(const bench_args *a, const char *name)
{
    for (int i = 0; i < N_BENCH_OPTS; i++)
        if (strcmp(bench_opts[i].name, name) == 0)
            return a->v[i];
    return NULL;
}

/* Split argv into bench's own options and the rest (for settings_parse_argv). */
static int split_args(int argc, char **argv, bench_args *a, char **rest, int *nrest, char *err,
                      size_t errsize)
{
    memset(a, 0, sizeof *a);
    *nrest = 0;
    rest[(*nrest)++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        char name[64];
        const char *eq = s[0] == '-' && s[1] == '-' ? strchr(s, '=') : NULL;
        size_t len = eq ? (size_t)(eq - s) : strlen(s);
        if (len >= sizeof name) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        memcpy(name, s, len);
        name[len] = '\0';
        int found = -1;
        for (int o = 0; o < N_BENCH_OPTS && s[0] == '-'; o++)
            if (strcmp(name, bench_opts[o].name) == 0 ||
                (bench_opts[o].alias && strcmp(name, bench_opts[o].alias) == 0))
                found = o;
        if (found < 0) {
            rest[(*nrest)++] = argv[i];
            if (s[0] == '-' && s[1] && !(s[1] >= '0' && s[1] <= '9') && strcmp(s, "--") &&
                !settings_find(name)) {
                const char *best = settings_suggest(name, OPT_SOLVE | OPT_DATA | OPT_GEN);
                size_t bd = best ? settings_edit_distance(name, best) : 3;
                for (int o = 0; o < N_BENCH_OPTS; o++) {
                    size_t d = settings_edit_distance(name, bench_opts[o].name);
                    if (d < bd) {
                        bd = d;
                        best = bench_opts[o].name;
                    }
                }
                if (best)
                    snprintf(err, errsize, "unknown option '%s' (did you mean %s?)", name, best);
                else
                    snprintf(err, errsize, "unknown option '%s'", name);
                return -1;
            }
            continue;
        }
        const char *value = "";
        if (bench_opts[found].has_arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                snprintf(err, errsize, "%s needs a value", bench_opts[found].name);
                return -1;
            }
        } else if (eq) {
            snprintf(err, errsize, "%s takes no value", bench_opts[found].name);
            return -1;
        }
        /* --strategy is --strategies */
        if (strcmp(bench_opts[found].name, "--strategy") == 0)
            for (int o = 0; o < N_BENCH_OPTS; o++)
                if (strcmp(bench_opts[o].name, "--strategies") == 0)
                    found = o;
        a->v[found] = value;
    }
    return 0;
}

/* Progress on stderr: a redrawn line on a terminal, a line per finished cell otherwise. */
typedef struct observer {
    int tty, utf8;
    double last_draw;
    FILE *csv;
    const char *dataset;
    unsigned repeat;
    int drawn;
    int csv_failed;
} observer;

static void observe(void *ctx, const bench_status *st)
{
    observer *o = ctx;
    if (st->finished_run && st->row && o->csv) {
        bench_csv_row(o->csv, st->row, o->dataset);
        if (fflush(o->csv))
            o->csv_failed = 1;
    }
    if (o->tty < 0)
        return;
    char line[512];
    if (o->tty) {
        double now = ekm_now();
        if (!st->finished_run && now - o->last_draw < 0.1)
            return;
        o->last_draw = now;
        bench_progress_line(st, line, sizeof line, 24, o->utf8);
        fprintf(stderr, "\r\033[K%s", line);
        o->drawn = 1;
        fflush(stderr);
    } else if (st->finished_run && st->row && st->repeat == o->repeat) {
        char eta[32], sec[32];
        bench_format_duration(st->eta, eta, sizeof eta);
        fprintf(stderr, "bench: %zu/%zu runs; %s N=%zu T=%u: %s (last run); ETA %s\n",
                st->run, st->runs, ekm_strategy_name(st->strategy), st->n, st->threads,
                bench_format_seconds(st->row->seconds, sec, sizeof sec), eta);
    }
}

static int parse_count(const char *what, const char *v, unsigned long long lo,
                       unsigned long long hi, unsigned long long *out)
{
    char err[256];
    if (settings_parse_uint(what, v, lo, hi, out, err, sizeof err)) {
        cli_usage_error("bench: %s", err);
        return -1;
    }
    return 0;
}

static int run_kernel(const bench_args *a, const ekm_settings *s, int have_k)
{
    static const char *const grid_only[] = {"--gen", "--strategies", "--threads", "--warmup",
                                            "--csv", "--plot", "--predict"};
    for (size_t i = 0; i < sizeof grid_only / sizeof grid_only[0]; i++)
        if (arg(a, grid_only[i]))
            return cli_usage_error("bench: %s does not apply to --kernel", grid_only[i]);
    bench_kernel_options ko;
    bench_kernel_options_default(&ko);
    ko.markdown = arg(a, "--markdown") != NULL;
    ko.seed = s->solve.seed;
    if (have_k)
        ko.k = s->solve.k;
    unsigned long long v;
    if (arg(a, "--n")) {
        if (parse_count("--n", arg(a, "--n"), 1, 100000, &v))
            return CLI_USAGE;
        ko.n = (size_t)v;
    }
    if (arg(a, "--scaling-n")) {
        if (parse_count("--scaling-n", arg(a, "--scaling-n"), 8, 100000, &v))
            return CLI_USAGE;
        ko.n_scaling = (size_t)v;
    }
    if (arg(a, "--repeat")) {
        if (parse_count("--repeat", arg(a, "--repeat"), 1, 64, &v))
            return CLI_USAGE;
        ko.repeat = (unsigned)v;
    }
    if (arg(a, "--parts")) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", arg(a, "--parts"));
        ko.parts = 0;
        char *save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (!strcmp(t, "throughput"))
                ko.parts |= BENCH_PART_THROUGHPUT;
            else if (!strcmp(t, "fused"))
                ko.parts |= BENCH_PART_FUSED;
            else if (!strcmp(t, "plans"))
                ko.parts |= BENCH_PART_PLANS;
            else
                return cli_usage_error("bench: --parts: '%s' is not throughput, fused or plans",
                                       t);
        }
    }
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    char err[512];
    int rc = bench_kernel_run(stdout, &ko, &bench_stop, err, sizeof err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc < 0) {
        cli_runtime_error("bench: %s", err);
        return CLI_FAIL;
    }
    if (rc > 0) {
        cli_runtime_error("bench: interrupted");
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* Fill the grid of cfg from the arguments; returns 0 or CLI_USAGE (message printed). */
static int build_grid(const bench_args *a, const ekm_settings *s, bench_config *cfg,
                      int have_k)
{
    char err[512];
    unsigned long long vals[BENCH_MAX_LIST];
    if (have_k)
        cfg->k = s->solve.k;
    if (arg(a, "--n")) {
        int c = bench_parse_list("--n", arg(a, "--n"), 1, 1000000, vals, BENCH_MAX_LIST, err,
                                 sizeof err);
        if (c < 0)
            return cli_usage_error("bench: %s", err);
        for (int i = 0; i < c; i++)
            cfg->ns[i] = (size_t)vals[i];
        cfg->n_ns = c;
    } else if (cfg->source) {
        cfg->ns[0] = ekm_dataset_n(cfg->source);
        cfg->n_ns = 1;
    }
    if (arg(a, "--strategies")) {
        int c = bench_parse_strategies(arg(a, "--strategies"), cfg->strategies,
                                       BENCH_MAX_STRATEGIES, err, sizeof err);
        if (c < 0)
            return cli_usage_error("bench: %s", err);
        cfg->n_strategies = c;
    }
    if (arg(a, "--threads")) {
        int c = bench_parse_list("--threads", arg(a, "--threads"), 1, EKM_MAX_THREADS, vals,
                                 BENCH_MAX_LIST, err, sizeof err);
        if (c < 0)
            return cli_usage_error("bench: %s", err);
        for (int i = 0; i < c; i++)
            cfg->threads[i] = (unsigned)vals[i];
        cfg->n_threads = c;
    }
    unsigned long long v;
    if (arg(a, "--repeat")) {
        if (parse_count("--repeat", arg(a, "--repeat"), 1, 1000, &v))
            return CLI_USAGE;
        cfg->repeat = (unsigned)v;
    }
    if (arg(a, "--warmup")) {
        if (parse_count("--warmup", arg(a, "--warmup"), 0, 100, &v))
            return CLI_USAGE;
        cfg->warmup = (unsigned)v;
    }
    cfg->metric = s->metric;
    cfg->gen_d = s->gen_d;
    cfg->gen_clusters = s->gen_clusters;
    cfg->seed = s->solve.seed;
    cfg->partitions = s->solve.partitions;
    cfg->leaf = s->solve.leaf;
    if (s->solve.partitions && s->solve.leaf)
        return cli_usage_error("bench: give --partitions or --leaf, not both");
    return 0;
}

/* 1 when the grid measures some parallel strategy on 1 thread and on more. */
static int has_scaling(const bench_config *cfg)
{
    int one = 0, more = 0, par = 0;
    for (int i = 0; i < cfg->n_threads; i++) {
        one |= cfg->threads[i] == 1;
        more |= cfg->threads[i] > 1;
    }
    for (int i = 0; i < cfg->n_strategies; i++)
        par |= cfg->strategies[i] != EKM_STRATEGY_SEQ && cfg->strategies[i] != EKM_STRATEGY_SPLIT;
    return one && more && par;
}

int cli_bench(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            bench_help(stdout);
            return CLI_OK;
        }
    char err[1024];
    bench_args a;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return CLI_FAIL;
    int nrest;
    if (split_args(argc, argv, &a, rest, &nrest, err, sizeof err)) {
        free(rest);
        return cli_usage_error("bench: %s", err);
    }
    ekm_settings s;
    settings_init(&s);
    s.solve.seed = 0;
    int have_k = 0;
    for (int i = 1; i < nrest; i++)
        if (!strcmp(rest[i], "-k") || !strcmp(rest[i], "--k") || !strncmp(rest[i], "--k=", 4))
            have_k = 1;
    const char *pos[1];
    int npos;
    int bad = settings_parse_argv(&s, OPT_SOLVE | OPT_DATA | OPT_GEN, nrest, rest, 1, pos, 1,
                                  &npos, err, sizeof err);
    free(rest);
    if (bad)
        return cli_usage_error("bench: %s", err);
    if (s.out[0])
        return cli_usage_error("bench: --out is not a bench option; use --csv or --plot");
    if (s.dissim_file[0])
        return cli_usage_error("bench: --dissimilarity is not supported; bench takes points "
                               "(a CSV file or --gen)");
    if (arg(&a, "--kernel")) {
        if (npos)
            return cli_usage_error("bench: --kernel generates its own data; drop '%s'", pos[0]);
        return run_kernel(&a, &s, have_k);
    }
    if (arg(&a, "--scaling-n") || arg(&a, "--parts"))
        return cli_usage_error("bench: --scaling-n and --parts go with --kernel");
    bench_config cfg;
    bench_config_default(&cfg);
    if (arg(&a, "--gen")) {
        if (npos)
            return cli_usage_error("bench: give a FILE or --gen, not both");
        if (ekm_gen_kind_parse(arg(&a, "--gen"), &cfg.gen))
            return cli_usage_error("bench: --gen: unknown kind '%s' (uniform or blobs)",
                                   arg(&a, "--gen"));
    }
    ekm_dataset *ds = NULL;
    if (npos) {
        ekm_error e;
        if (ekm_dataset_load_csv(pos[0], &s.csv, &ds, &e)) {
            ekm_error_format(&e, err, sizeof err);
            return cli_usage_error("%s", err);
        }
        cfg.source = ds;
    }
    int rc = build_grid(&a, &s, &cfg, have_k);
    double predict = 0;
    if (!rc && arg(&a, "--predict")) {
        unsigned long long v;
        if (parse_count("--predict", arg(&a, "--predict"), 1, 100000000, &v))
            rc = CLI_USAGE;
        predict = (double)v;
    }
    if (!rc && bench_check(&cfg, err, sizeof err))
        rc = cli_usage_error("bench: %s", err);
    const char *plot = arg(&a, "--plot");
    if (!rc && plot && !*plot)
        rc = cli_usage_error("bench: --plot needs a file name");
    FILE *csv = NULL;
    const char *csv_path = arg(&a, "--csv");
    if (!rc && csv_path) {
        csv = fopen(csv_path, "w");
        if (!csv) {
            cli_runtime_error("bench: %s: cannot write: %s", csv_path, strerror(errno));
            rc = CLI_FAIL;
        } else {
            bench_csv_header(csv);
        }
    }
    if (rc) {
        ekm_dataset_release(ds);
        return rc;
    }
    bench_results res = {0};
    observer ob = {.tty = arg(&a, "--quiet") ? -1 : isatty(STDERR_FILENO), .csv = csv,
                   .dataset = res.dataset, .repeat = cfg.repeat};
    const char *lang = getenv("LANG");
    ob.utf8 = lang && (strstr(lang, "UTF-8") || strstr(lang, "utf8"));
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int r = bench_run(&cfg, &res, &bench_stop, observe, &ob, err, sizeof err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (ob.drawn)
        fprintf(stderr, "\r\033[K");
    rc = CLI_OK;
    if (r) {
        cli_runtime_error("bench: %s", err);
        rc = CLI_FAIL;
    }
    if (csv && (fclose(csv) || ob.csv_failed)) {
        cli_runtime_error("bench: writing %s failed", csv_path);
        rc = CLI_FAIL;
    }
    if (!r) {
        bench_report_options ro = {.markdown = arg(&a, "--markdown") != NULL,
                                   .predict_n = predict, .cores = ekm_cpu_count()};
        bench_report(stdout, &cfg, &res, &ro);
        if (fflush(stdout))
            rc = CLI_FAIL;
        if (res.interrupted) {
            cli_runtime_error("bench: interrupted; %zu finished run%s kept%s%s", res.n,
                    res.n == 1 ? "" : "s", csv_path ? " in " : "", csv_path ? csv_path : "");
            rc = CLI_FAIL;
        }
        if (plot && res.n) {
            char scaling[1100];
            bench_scaling_path(plot, scaling, sizeof scaling);
            int sc = has_scaling(&cfg);
            if (bench_plot(&cfg, &res, plot, sc ? scaling : NULL, err, sizeof err)) {
                cli_runtime_error("bench: --plot: %s", err);
                rc = CLI_FAIL;
            } else {
                cli_runtime_error("bench: wrote %s%s%s", plot, sc ? " and " : "",
                        sc ? scaling : "");
            }
        }
    }
    bench_results_free(&res);
    ekm_dataset_release(ds);
    return rc;
}
