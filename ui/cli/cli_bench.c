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
#include "common/outfile.h"
#include "common/settings.h"

static atomic_int bench_stop;

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&bench_stop, 1);
}

const char cli_bench_help[] =
    "usage: ekm bench [FILE | --gen uniform|blobs] [-k K] [--n LIST] [--strategies LIST]\n"
    "                 [--threads LIST] [--repeat R] [--warmup W] [--csv OUT.csv]\n"
    "                 [--plot OUT.png] [--markdown] [--predict N] [--quiet] [--weak]\n"
    "       ekm bench --kernel [--n 400] [-k 3] [--seed 0] [--repeat 5]\n"
    "                 [--scaling-n 800] [--parts throughput,fused,plans] [--markdown]\n"
    "\n"
    "Times the exact strategies on every N and thread count: each cell runs W warm-ups,\n"
    "then R timed runs (rounds interleaved across cells so machine noise hits all\n"
    "alike). Prints medians with min-max, the study's linear fits and power laws\n"
    "(p ~ K+1) with R², predicted times at --predict N, the speedup between strategies\n"
    "in % and × (the study's eqs. 19-20), and thread scaling with the fitted parallel\n"
    "fraction p and the Amdahl and Gustafson predictions (eqs. 1-2).\n"
    "seq and split are one-thread plans: they run once per N, on one thread.\n"
    "With FILE, --n takes the first N rows (default: all of them); without FILE the\n"
    "points are generated (--gen uniform by default, --d 2, --seed 0).\n"
    "LIST: 50,100,...,800 (continues the step), 50:800:50, or values separated by commas.\n"
    "Ctrl-C stops and keeps the finished rows.\n"
    "Every speedup is checked against the plan's bound min(T, total / critical path)\n"
    "and the cores: '!' marks one above it (machine busy, cpu/wall below T, too\n"
    "short), '~' a run under 0.25 s, too short to time.\n"
    "\n"
    "bench options:\n";

static const char *const gen_kinds[] = {"uniform", "blobs", NULL};
static const char *const kernel_parts[] = {"throughput", "fused", "plans", NULL};

const command_option cli_bench_options[] = {
    {"--gen", NULL, "KIND", COMMAND_VALUE_CHOICE, "uniform (default) or blobs", gen_kinds},
    {"--n", NULL, "LIST", COMMAND_VALUE_LIST, "numbers of points (default 50,100,...,400)", NULL},
    {"--strategies", "-s", "LIST", COMMAND_VALUE_STRATEGIES,
     "seq split par1 par2 tree fused pruned, or all (default)", NULL},
    {"--threads", "-t", "LIST", COMMAND_VALUE_LIST,
     "thread counts (default 1 and the number of cores)", NULL},
    {"--repeat", NULL, "R", COMMAND_VALUE_INT, "timed runs per cell (default 3; --kernel: 5)",
     NULL},
    {"--warmup", NULL, "W", COMMAND_VALUE_INT, "untimed runs per cell first (default 1)", NULL},
    {"--csv", NULL, "OUT.csv", COMMAND_VALUE_OUTFILE,
     "write every timed run as a CSV row (as it finishes)", NULL},
    {"--plot", NULL, "OUT.png", COMMAND_VALUE_OUTFILE,
     "runtime curves to OUT.png, scaling to OUT-scaling.png", NULL},
    {"--markdown", NULL, NULL, COMMAND_VALUE_NONE, "tables in Markdown", NULL},
    {"--predict", NULL, "N", COMMAND_VALUE_INT,
     "predicted times and speedups at N from the fits", NULL},
    {"--quiet", NULL, NULL, COMMAND_VALUE_NONE, "no progress on stderr", NULL},
    {"--weak", NULL, NULL, COMMAND_VALUE_NONE,
     "weak scaling (Gustafson): --n N is the size on one\n"
     "thread; on T threads N grows so that the work\n"
     "C(N,K)·N is T times as much (the N used are printed);\n"
     "reports the scaled speedup and the serial fraction", NULL},
    {"--kernel", NULL, NULL, COMMAND_VALUE_NONE,
     "the throughput figures (seq and fused against a\n"
     "hand-written AVX2 loop; plans against measurement)", NULL},
    {"--scaling-n", NULL, "N", COMMAND_VALUE_INT,
     "--kernel: N of the fused and plan figures (800)", NULL},
    {"--parts", NULL, "LIST", COMMAND_VALUE_CHOICE,
     "--kernel: throughput, fused, plans (default all)", kernel_parts},
    {"--k", "-k", "K", COMMAND_VALUE_INT, "number of medoids (default 3)", NULL},
    {"--partitions", "-p", "P", COMMAND_VALUE_INT, "tree: number of leaf partitions", NULL},
    {"--leaf", NULL, "L", COMMAND_VALUE_INT, "tree: leaf partition length (instead of -p)", NULL},
    {"--d", "-d", "D", COMMAND_VALUE_INT, "generated points: dimensions (default 2)", NULL},
    {"--clusters", "-c", "C", COMMAND_VALUE_INT, "--gen blobs: number of blobs (default 3)",
     NULL},
    {"--seed", NULL, "S", COMMAND_VALUE_INT, "generated points: seed (default 0)", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

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
        if (fflush(o->csv)) /* the reason is kept by the outfile */
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

static int run_kernel(const bench_kernel_options *ko, FILE *out)
{
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    char err[512];
    int rc = bench_kernel_run(out, ko, &bench_stop, err, sizeof err);
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

int cli_bench(const command_args *args)
{
    char err[1200];
    bench_request a;
    if (bench_request_parse(args->argc, args->argv, &a, err, sizeof err))
        return cli_usage_error("%s", err);
    if (a.kernel) {
        int rc = run_kernel(&a.kernel_opts, args->out);
        bench_request_free(&a);
        return rc;
    }
    bench_config cfg = a.cfg;
    const char *plot = a.plot_path[0] ? a.plot_path : NULL;
    const char *csv_path = a.csv_path[0] ? a.csv_path : NULL;
    double predict = a.predict_n;
    int rc = CLI_OK;
    FILE *csv = NULL;
    outfile csv_out;
    if (csv_path) {
        if (outfile_open_stream(&csv_out, csv_path, err, sizeof err)) {
            cli_runtime_error("bench: %s", err);
            bench_request_free(&a);
            return CLI_FAIL;
        }
        csv = csv_out.f;
        bench_csv_header(csv);
    }
    bench_results res = {0};
    observer ob = {.tty = a.quiet ? -1 : isatty(STDERR_FILENO), .csv = csv,
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
    if (r) {
        cli_runtime_error("bench: %s", err);
        rc = CLI_FAIL;
    }
    /* the rows of the finished runs replace the file, also when stopped early */
    if (csv && outfile_commit(&csv_out, err, sizeof err)) {
        cli_runtime_error("bench: --csv: %s", err);
        rc = CLI_FAIL;
    }
    if (!r) {
        bench_report_options ro = {.markdown = a.markdown,
                                   .predict_n = predict, .cores = ekm_cpu_count()};
        bench_report(args->out, &cfg, &res, &ro);
        if (fflush(args->out))
            rc = CLI_FAIL;
        if (res.interrupted) {
            cli_runtime_error("bench: interrupted; %zu finished run%s kept%s%s", res.n,
                    res.n == 1 ? "" : "s", csv_path ? " in " : "", csv_path ? csv_path : "");
            rc = CLI_FAIL;
        }
        if (plot && res.n) {
            char scaling[1100];
            bench_scaling_path(plot, scaling, sizeof scaling);
            int sc = bench_has_scaling(&cfg);
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
    bench_request_free(&a);
    return rc;
}
