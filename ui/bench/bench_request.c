/* bench_request.c — the arguments of `ekm bench` (and of the REPL's `bench`) read
 * into a grid, the kernel figures' options and the outputs: bench's own options
 * (--n, --strategies, --csv, ...) are split from the shared ones (-k, --seed,
 * the data options), which go through the settings table; a FILE is loaded. */
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/outfile.h"
#include "common/settings.h"
#include "common/suggest.h"

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
    {"--weak", NULL, 0},
};
enum { N_BENCH_OPTS = sizeof bench_opts / sizeof bench_opts[0] };

typedef struct given {
    const char *v[N_BENCH_OPTS]; /* value, or "" for a flag given; NULL: not given */
} given;

static const char *arg(const given *g, const char *name)
{
    for (int i = 0; i < N_BENCH_OPTS; i++)
        if (strcmp(bench_opts[i].name, name) == 0)
            return g->v[i];
    return NULL;
}

/* Split argv into bench's own options and the rest (for settings_parse_argv). */
static int split_args(int argc, char **argv, given *g, char **rest, int *nrest, char *err,
                      size_t errsize)
{
    memset(g, 0, sizeof *g);
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
                suggest sg;
                suggest_init(&sg, name, 0);
                for (size_t o = 0; o < settings_option_count; o++)
                    if (settings_options[o].groups & (OPT_SOLVE | OPT_DATA | OPT_GEN))
                        suggest_offer(&sg, settings_options[o].name, NULL);
                for (int o = 0; o < N_BENCH_OPTS; o++)
                    suggest_offer(&sg, bench_opts[o].name, NULL);
                const char *best = suggest_best(&sg);
                if (best)
                    snprintf(err, errsize, "bench: unknown option '%s' (did you mean %s?)", name,
                             best);
                else
                    snprintf(err, errsize, "bench: unknown option '%s'", name);
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
                snprintf(err, errsize, "bench: %s needs a value", bench_opts[found].name);
                return -1;
            }
        } else if (eq) {
            snprintf(err, errsize, "bench: %s takes no value", bench_opts[found].name);
            return -1;
        }
        /* --strategy is --strategies */
        if (strcmp(bench_opts[found].name, "--strategy") == 0)
            for (int o = 0; o < N_BENCH_OPTS; o++)
                if (strcmp(bench_opts[o].name, "--strategies") == 0)
                    found = o;
        g->v[found] = value;
    }
    return 0;
}

static int parse_count(const char *what, const char *v, unsigned long long lo,
                       unsigned long long hi, unsigned long long *out, char *err, size_t errsize)
{
    char m[256];
    if (settings_parse_uint(what, v, lo, hi, out, m, sizeof m)) {
        snprintf(err, errsize, "bench: %s", m);
        return -1;
    }
    return 0;
}

static int parse_kernel(const given *g, const ui_settings *s, int have_k, bench_request *a,
                        char *err, size_t errsize)
{
    static const char *const grid_only[] = {"--gen", "--strategies", "--threads", "--warmup",
                                            "--csv", "--plot", "--predict"};
    for (size_t i = 0; i < sizeof grid_only / sizeof grid_only[0]; i++)
        if (arg(g, grid_only[i])) {
            snprintf(err, errsize, "bench: %s does not apply to --kernel", grid_only[i]);
            return -1;
        }
    bench_kernel_options *ko = &a->kernel_opts;
    ko->markdown = arg(g, "--markdown") != NULL;
    ko->seed = s->solve.seed;
    if (have_k)
        ko->k = s->solve.k;
    unsigned long long v;
    if (arg(g, "--n")) {
        if (parse_count("--n", arg(g, "--n"), 1, 100000, &v, err, errsize))
            return -1;
        ko->n = (size_t)v;
    }
    if (arg(g, "--scaling-n")) {
        if (parse_count("--scaling-n", arg(g, "--scaling-n"), 8, 100000, &v, err, errsize))
            return -1;
        ko->n_scaling = (size_t)v;
    }
    if (arg(g, "--repeat")) {
        if (parse_count("--repeat", arg(g, "--repeat"), 1, 64, &v, err, errsize))
            return -1;
        ko->repeat = (unsigned)v;
    }
    if (arg(g, "--parts")) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", arg(g, "--parts"));
        ko->parts = 0;
        char *save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (!strcmp(t, "throughput"))
                ko->parts |= BENCH_PART_THROUGHPUT;
            else if (!strcmp(t, "fused"))
                ko->parts |= BENCH_PART_FUSED;
            else if (!strcmp(t, "plans"))
                ko->parts |= BENCH_PART_PLANS;
            else {
                snprintf(err, errsize,
                         "bench: --parts: '%s' is not throughput, fused or plans", t);
                return -1;
            }
        }
    }
    return 0;
}

/* Fill the grid of cfg from the arguments. */
static int build_grid(const given *g, const ui_settings *s, bench_config *cfg, int have_k,
                      char *err, size_t errsize)
{
    char m[512];
    unsigned long long vals[BENCH_MAX_LIST];
    if (have_k)
        cfg->k = s->solve.k;
    if (arg(g, "--n")) {
        int c = bench_parse_list("--n", arg(g, "--n"), 1, 1000000, vals, BENCH_MAX_LIST, m,
                                 sizeof m);
        if (c < 0) {
            snprintf(err, errsize, "bench: %s", m);
            return -1;
        }
        for (int i = 0; i < c; i++)
            cfg->ns[i] = (size_t)vals[i];
        cfg->n_ns = c;
    } else if (cfg->source) {
        cfg->ns[0] = ekm_dataset_n(cfg->source);
        cfg->n_ns = 1;
    }
    if (arg(g, "--strategies")) {
        int c = bench_parse_strategies(arg(g, "--strategies"), cfg->strategies,
                                       BENCH_MAX_STRATEGIES, m, sizeof m);
        if (c < 0) {
            snprintf(err, errsize, "bench: %s", m);
            return -1;
        }
        cfg->n_strategies = c;
    }
    if (arg(g, "--threads")) {
        int c = bench_parse_list("--threads", arg(g, "--threads"), 1, EKM_MAX_THREADS, vals,
                                 BENCH_MAX_LIST, m, sizeof m);
        if (c < 0) {
            snprintf(err, errsize, "bench: %s", m);
            return -1;
        }
        for (int i = 0; i < c; i++)
            cfg->threads[i] = (unsigned)vals[i];
        cfg->n_threads = c;
    }
    if (arg(g, "--weak")) {
        /* N_1 on one thread, grown with T: one N per thread count */
        if (cfg->n_ns != 1) {
            snprintf(err, errsize, "bench: --weak takes one N (the size on one thread), "
                                   "not %d", cfg->n_ns);
            return -1;
        }
        if (cfg->threads[0] != 1) { /* the base: one thread */
            if (cfg->n_threads >= BENCH_MAX_LIST) {
                snprintf(err, errsize, "bench: too many thread counts");
                return -1;
            }
            memmove(cfg->threads + 1, cfg->threads, (size_t)cfg->n_threads * sizeof *cfg->threads);
            cfg->threads[0] = 1;
            cfg->n_threads++;
        }
        if (bench_weak_sizes(cfg->ns[0], cfg->k, cfg->threads, cfg->n_threads, cfg->ns, m,
                             sizeof m)) {
            snprintf(err, errsize, "bench: %s", m);
            return -1;
        }
        cfg->n_ns = cfg->n_threads;
        cfg->weak = 1;
    }
    unsigned long long v;
    if (arg(g, "--repeat")) {
        if (parse_count("--repeat", arg(g, "--repeat"), 1, 1000, &v, err, errsize))
            return -1;
        cfg->repeat = (unsigned)v;
    }
    if (arg(g, "--warmup")) {
        if (parse_count("--warmup", arg(g, "--warmup"), 0, 100, &v, err, errsize))
            return -1;
        cfg->warmup = (unsigned)v;
    }
    cfg->metric = s->metric;
    cfg->gen_d = s->gen_d;
    cfg->gen_clusters = s->gen_clusters;
    cfg->seed = s->solve.seed;
    cfg->partitions = s->solve.partitions;
    cfg->leaf = s->solve.leaf;
    if (s->solve.partitions && s->solve.leaf) {
        snprintf(err, errsize, "bench: give --partitions or --leaf, not both");
        return -1;
    }
    return 0;
}

/* Everything after the split and the shared options: the kernel or the grid. */
static int parse_rest(const given *g, const ui_settings *s, int have_k, const char *file,
                      bench_request *a, char *err, size_t errsize)
{
    if (s->out[0]) {
        snprintf(err, errsize, "bench: --out is not a bench option; use --csv or --plot");
        return -1;
    }
    if (s->dissim_file[0]) {
        snprintf(err, errsize, "bench: --dissimilarity is not supported; bench takes points "
                               "(a CSV file or --gen)");
        return -1;
    }
    if (arg(g, "--kernel")) {
        if (file) {
            snprintf(err, errsize, "bench: --kernel generates its own data; drop '%s'", file);
            return -1;
        }
        a->kernel = 1;
        return parse_kernel(g, s, have_k, a, err, errsize);
    }
    if (arg(g, "--scaling-n") || arg(g, "--parts")) {
        snprintf(err, errsize, "bench: --scaling-n and --parts go with --kernel");
        return -1;
    }
    bench_config *cfg = &a->cfg;
    if (arg(g, "--gen")) {
        if (file) {
            snprintf(err, errsize, "bench: give a FILE or --gen, not both");
            return -1;
        }
        if (ekm_gen_kind_parse(arg(g, "--gen"), &cfg->gen)) {
            snprintf(err, errsize, "bench: --gen: unknown kind '%s' (uniform or blobs)",
                     arg(g, "--gen"));
            return -1;
        }
    }
    if (file) {
        ekm_error e;
        if (ekm_dataset_load_csv(file, &s->csv, &cfg->source, &e)) {
            cfg->source = NULL;
            ekm_error_format(&e, err, errsize);
            return -1;
        }
        outfile_protect(file); /* --csv or --plot never write over the data */
    }
    if (build_grid(g, s, cfg, have_k, err, errsize))
        return -1;
    if (arg(g, "--predict")) {
        unsigned long long v;
        if (parse_count("--predict", arg(g, "--predict"), 1, 100000000, &v, err, errsize))
            return -1;
        a->predict_n = (double)v;
    }
    char m[512];
    if (bench_check(cfg, m, sizeof m)) {
        snprintf(err, errsize, "bench: %s", m);
        return -1;
    }
    const char *plot = arg(g, "--plot");
    if (plot && !*plot) {
        snprintf(err, errsize, "bench: --plot needs a file name");
        return -1;
    }
    if (plot)
        snprintf(a->plot_path, sizeof a->plot_path, "%s", plot);
    if (arg(g, "--csv"))
        snprintf(a->csv_path, sizeof a->csv_path, "%s", arg(g, "--csv"));
    a->markdown = arg(g, "--markdown") != NULL;
    a->quiet = arg(g, "--quiet") != NULL;
    return 0;
}

int bench_request_parse(int argc, char **argv, bench_request *a, char *err, size_t errsize)
{
    memset(a, 0, sizeof *a);
    bench_config_default(&a->cfg);
    bench_kernel_options_default(&a->kernel_opts);
    given g;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    int nrest;
    if (split_args(argc, argv, &g, rest, &nrest, err, errsize)) {
        free(rest);
        return -1;
    }
    ui_settings s;
    settings_init(&s);
    s.solve.seed = 0;
    int have_k = 0;
    for (int i = 1; i < nrest; i++)
        if (!strcmp(rest[i], "-k") || !strcmp(rest[i], "--k") || !strncmp(rest[i], "--k=", 4))
            have_k = 1;
    const char *pos[1];
    int npos;
    char m[1024];
    int bad = settings_parse_argv(&s, OPT_SOLVE | OPT_DATA | OPT_GEN, nrest, rest, 1, pos, 1,
                                  &npos, m, sizeof m);
    free(rest);
    if (bad) {
        snprintf(err, errsize, "bench: %s", m);
        return -1;
    }
    if (parse_rest(&g, &s, have_k, npos ? pos[0] : NULL, a, err, errsize)) {
        bench_request_free(a);
        return -1;
    }
    return 0;
}

void bench_request_free(bench_request *a)
{
    ekm_dataset_release(a->cfg.source);
    a->cfg.source = NULL;
}

int bench_has_scaling(const bench_config *cfg)
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
