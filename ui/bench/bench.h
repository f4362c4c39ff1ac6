/* bench.h — `ekm bench`: the study's runtime experiments, run, summarised and
 * explained.
 *
 * A benchmark is a grid of strategies × N × threads, each cell run `warmup`
 * times untimed and then `repeat` times timed. Rounds are interleaved (every
 * cell's repeat r runs before any cell's repeat r+1) so that a noisy machine
 * slows every cell alike and ratios measured in one run stay fair. seq and
 * split are single-threaded plans: they run once per N, on one thread.
 *
 * The runner (bench_run) is blocking and UI-neutral: it reports through an
 * observer callback and stops when *stop becomes non-zero, keeping the rows
 * finished so far. The report functions print tables (plain or Markdown), the
 * fits, predictions, speedups (the study's eqs. 19-20) and thread scaling
 * (eqs. 1-2); bench_csv_* write the raw rows; bench_kernel_* are the
 * throughput figures of issues 2 and 3 (`ekm bench --kernel`). bench_request_parse
 * reads the arguments of `ekm bench`; bench_job runs a grid on a thread of its
 * own and hands its progress and finished cells to another (the REPL's `bench`).
 */
#ifndef EKM_UI_BENCH_H
#define EKM_UI_BENCH_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/fit.h"
#include "ekm/generate.h"
#include "ekm/job.h"
#include "common/speedup_check.h"

enum { BENCH_MAX_LIST = 256, BENCH_MAX_STRATEGIES = EKM_STRATEGY_COUNT };

/* ---- lists: "50,100,...,800" ---- */

/* Parse a comma-separated list of whole numbers in [lo, hi] into out (at most
 * max). "a,b,...,c" (or the Unicode ellipsis "…") continues the step b-a up to c;
 * "a:c:s" is the range a, a+s, ..., <= c. The result is sorted and without
 * duplicates. Returns the count, or -1 with a message in err. */
int bench_parse_list(const char *what, const char *text, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out, int max, char *err,
                     size_t errsize);
/* Parse "seq,par1,fused" (exact strategies only, no duplicates, order kept).
 * Returns the count, or -1 with a message in err. */
int bench_parse_strategies(const char *text, ekm_strategy *out, int max, char *err,
                           size_t errsize);

/* ---- configuration and rows ---- */

typedef struct bench_config {
    /* data: a loaded dataset (its first N rows are used), or generated points */
    ekm_dataset *source;   /* NULL: generate */
    ekm_gen_kind gen;
    size_t gen_d;
    unsigned gen_clusters;
    uint64_t seed;
    ekm_metric metric;
    /* grid */
    unsigned k;
    size_t ns[BENCH_MAX_LIST];
    int n_ns;
    ekm_strategy strategies[BENCH_MAX_STRATEGIES];
    int n_strategies;
    unsigned threads[BENCH_MAX_LIST];
    int n_threads;
    unsigned repeat;       /* timed runs per cell, >= 1 */
    unsigned warmup;       /* untimed runs per cell before the first timed one */
    unsigned partitions;   /* tree */
    unsigned leaf;         /* tree */
    int weak;              /* --weak: ns[i] is the N run on threads[i] only (n_ns ==
                              n_threads), grown so that the work per thread stays */
} bench_config;

/* Defaults: uniform 2-D points, seed 0, K=3, N=50..400 step 50, every exact
 * strategy, threads 1 and the number of cores, repeat 3, one warm-up. */
void bench_config_default(bench_config *cfg);

/* One timed run: a CSV row. */
typedef struct bench_row {
    ekm_strategy strategy;
    size_t n;
    unsigned k;
    unsigned threads;
    unsigned repeat;       /* 1..R */
    double seconds;        /* the job's own wall time */
    ekm_count evaluated;   /* K-subsets evaluated */
    ekm_count pruned;      /* K-subsets discarded by a bound */
    ekm_count total;       /* C(N,K) */
    double plan_bound;     /* total / critical path of the plan */
    double plan_makespan;  /* the plan's stage totals list-scheduled on `threads`, K-subsets */
    double objective;
    char medoids[128];     /* "i j k" (0-based) */
    double cpu_seconds;    /* CPU time of the process during the run, all threads */
    double load;           /* 1-minute load average as the run ended (-1: unknown) */
} bench_row;

typedef struct bench_results {
    bench_row *rows;
    size_t n, cap;
    int interrupted;       /* 1 when *stop ended the run early */
    char dataset[128];     /* e.g. "uniform d=2 seed=0" or a file name */
    double load_start, load_end; /* 1-minute load average around the run (-1: unknown) */
} bench_results;

/* CPU seconds the process has used (user + system, all threads). */
double bench_cpu_seconds(void);
/* The 1-minute load average, or -1 when unknown. */
double bench_load_average(void);

void bench_results_free(bench_results *r);
/* Append a row (copies it); returns 0, or -1 on no memory. */
int bench_results_add(bench_results *r, const bench_row *row);

/* ---- the runner ---- */

/* What the runner tells its observer, a few times a second and after each run. */
typedef struct bench_status {
    int finished_run;      /* 1: called right after a run finished (row valid when timed) */
    const bench_row *row;  /* the row of that run when it was timed, else NULL */
    int warmup;            /* the current / finished run is a warm-up */
    size_t run, runs;      /* runs finished so far (warm-ups included), runs in all */
    ekm_strategy strategy; /* the current run */
    size_t n;
    unsigned threads;
    unsigned repeat;
    double run_fraction;   /* done / total of the current job */
    double elapsed;        /* seconds since bench_run started */
    double eta;            /* seconds left (estimated; -1 before the first run ends) */
} bench_status;

typedef void (*bench_observer)(void *ctx, const bench_status *st);

/* Check that every cell of the grid can run (K <= N, the rows of the file, the
 * tree's partitions...) before spending minutes on it. Returns 0, or -1 with a
 * message in err. bench_run calls it too. */
int bench_check(const bench_config *cfg, char *err, size_t errsize);

/* Run the grid. rows are appended to res as they finish (and given to the
 * observer, which may write them out at once). stop may be NULL; when it becomes
 * non-zero the job in flight is cancelled, its run dropped, and bench_run returns
 * 0 with res->interrupted = 1. Returns 0, or -1 with a message in err (bad
 * configuration, a dataset that cannot be built, a failed job). */
int bench_run(const bench_config *cfg, bench_results *res, const atomic_int *stop,
              bench_observer obs, void *obs_ctx, char *err, size_t errsize);

/* The number of cells of the grid: per N, one per strategy and thread count (seq
 * and split: one). */
int bench_grid_cells(const bench_config *cfg);
/* The data's name in rows and reports: the file's name, or "uniform d=2 seed=0",
 * with " (metric)" after it unless the metric is euclidean. */
void bench_describe_source(const bench_config *cfg, char *buf, size_t size);

/* The work of one run in point-evaluations, C(N,K)·N divided by the plan's
 * predicted speedup on T threads (capped at the cores), plus a fixed 2e6 for the
 * run's own overhead: the ETA's unit. */
double bench_run_cost(size_t n, unsigned k, ekm_strategy s, unsigned threads);

/* The progress line for a status: a bar, percent, the run, elapsed and ETA. */
void bench_progress_line(const bench_status *st, char *buf, size_t size, int bar_width,
                         int utf8);
/* "1:02:03" or "2:05" (negative: "?"). */
void bench_format_duration(double seconds, char *buf, size_t size);

/* ---- cells: the rows of one (strategy, N, threads), summarised ---- */

typedef struct bench_cell {
    ekm_strategy strategy;
    size_t n;
    unsigned k;
    unsigned threads;
    int count;             /* timed runs */
    double median, min, max;
    double cpu_median;     /* median CPU seconds (all threads) */
    ekm_count evaluated, pruned, total; /* of the median run (equal for enumeration) */
    double plan_bound, plan_makespan;
    double load;           /* the highest load average its runs ended with (-1: unknown) */
    double objective;      /* of the median run */
    char medoids[128];     /* of the median run: "i j k" (0-based) */
} bench_cell;

/* The median of v[0..n) (mean of the middle two for even n); v is reordered. */
double bench_median(double *v, size_t n);

/* Group rows into cells, ordered by strategy (the config's order), threads, N.
 * *out is malloc'd (free it); returns the count, or -1 on no memory. */
int bench_cells(const bench_results *res, const bench_config *cfg, bench_cell **out);
/* The cell for (s, n, threads), or NULL. */
const bench_cell *bench_cell_find(const bench_cell *cells, int n_cells, ekm_strategy s,
                                  size_t n, unsigned threads);

/* ---- tables: aligned plain text or Markdown ---- */

typedef struct bench_table bench_table;
bench_table *bench_table_new(int columns);
void bench_table_free(bench_table *t);
/* Header cells; right_align[i] for numeric columns (NULL: left). */
void bench_table_header(bench_table *t, const char *const *names, const int *right_align);
/* Add a cell to the current row (a row is complete after `columns` cells). */
void bench_table_cell(bench_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bench_table_print(const bench_table *t, FILE *out, int markdown);
/* A time for a table: "812 µs", "12.3 ms", "1.23 s", "123 s". */
const char *bench_format_seconds(double s, char *buf, size_t size);

/* ---- the report ---- */

typedef struct bench_report_options {
    int markdown;          /* Markdown tables and headings */
    double predict_n;      /* > 0: predicted times at this N from the fits */
    unsigned cores;        /* the machine's cores, for the scaling notes */
} bench_report_options;

/* ---- weak scaling (bench_weak.c) ---- */

/* The work of an exhaustive run, C(N,K)·N point-evaluations (as a double). */
double bench_weak_work(size_t n, unsigned k);
/* N on each thread count: the whole N whose work is nearest threads[i]·W(n1).
 * Returns 0, or -1 with a message. */
int bench_weak_sizes(size_t n1, unsigned k, const unsigned *threads, int n_threads, size_t *out,
                     char *err, size_t errsize);
typedef struct bench_weak_point {
    unsigned threads;
    size_t n;
    double work_ratio;     /* W(N) / W(N at T=1) */
    double seconds;        /* the cell's median */
    double scaled_speedup; /* work_ratio · t(N_1, 1) / t(N, T) */
    double efficiency;     /* scaled_speedup / T */
    int flags;             /* speedup_judge's, against T and the cores */
    speedup_sample check;  /* what was judged */
} bench_weak_point;
/* The weak-scaling points of strategy s: the T=1 cell of the smallest N is the
 * base, every cell with T > 1 a point. Returns the count (0: no T=1 cell). */
int bench_weak_series(const bench_cell *cells, int n_cells, ekm_strategy s, unsigned cores,
                      bench_weak_point *out, int max);
/* Gustafson's serial fraction s by least squares over the points, from
 * T - S = s·(T - 1). Returns 0, or -1 without a point at T > 1. */
int bench_weak_fit(const bench_weak_point *pts, int n, double *serial);
/* The weak-scaling tables (only when cfg->weak). */
void bench_report_weak(FILE *out, const bench_cell *cells, int n_cells, const bench_config *cfg,
                       const struct bench_report_options *opt);

/* A measured speedup of cell c (speedup = base's median / c's) judged by the
 * rule of common/speedup_check.h against c's plan bound, the cores, both cells'
 * cpu/wall and load; returns its flags and fills *out. */
int bench_judge(const bench_cell *c, const bench_cell *base, double speedup, unsigned cores,
                speedup_sample *out);

/* Print everything: the runtime table, fits and predictions, speedups against
 * seq (eqs. 19-20), thread scaling with p, Amdahl and Gustafson (eqs. 1-2). */
void bench_report(FILE *out, const bench_config *cfg, const bench_results *res,
                  const bench_report_options *opt);
/* The parts, for callers that want one. */
void bench_report_runtimes(FILE *out, const bench_cell *cells, int n_cells,
                           const bench_config *cfg, int markdown);
void bench_report_fits(FILE *out, const bench_cell *cells, int n_cells, const bench_config *cfg,
                       const bench_report_options *opt);
void bench_report_speedups(FILE *out, const bench_cell *cells, int n_cells,
                           const bench_config *cfg, const bench_report_options *opt);
void bench_report_scaling(FILE *out, const bench_cell *cells, int n_cells,
                          const bench_config *cfg, const bench_report_options *opt);

/* Medians against N of one (strategy, threads): x[] = N, y[] = seconds, at most max.
 * Returns the count. */
int bench_series(const bench_cell *cells, int n_cells, ekm_strategy s, unsigned threads,
                 double *x, double *y, int max);

/* Speedups t(1)/t(T) of strategy s at N: threads[] and speedup[] (at most max), from
 * the cells at T=1 and each other T. Returns the count (0 without a T=1 cell). */
int bench_thread_speedups(const bench_cell *cells, int n_cells, ekm_strategy s, size_t n,
                          double *threads, double *speedup, int max);

/* ---- CSV ---- */

/* The fixed columns (the nine first, then extras; never renamed). */
extern const char *const bench_csv_columns[];
extern const int bench_csv_column_count;

void bench_csv_header(FILE *out);
void bench_csv_row(FILE *out, const bench_row *row, const char *dataset);
/* Read rows written by bench_csv_header/bench_csv_row back, with the grid they
 * span in *cfg (N, strategies, threads, K). Returns 0, or -1 with "file:line: why". */
int bench_csv_read(const char *path, bench_config *cfg, bench_results *res, char *err,
                   size_t errsize);

/* ---- plots (through ui/plot) ---- */

/* Runtime curves (median time vs N per strategy and thread count, with the linear
 * and power-law fits) to `path`, and the thread-scaling plot (measured speedups
 * with Amdahl and Gustafson for the estimated p) to `scaling_path`. Returns 0, or
 * -1 with a message in err. */
int bench_plot(const bench_config *cfg, const bench_results *res, const char *path,
               const char *scaling_path, char *err, size_t errsize);
/* "out.png" -> "out-scaling.png" */
void bench_scaling_path(const char *path, char *buf, size_t size);

/* ---- kernel and plan figures (issues 2 and 3) ---- */

/* The hand-written AVX2 reference: the same depth-first enumeration of the
 * K-subsets of the matrix as seq, each prefix vector built with _mm256_min_ps,
 * and for each last index one pass of _mm256_min_ps/_mm256_add_ps over the
 * prefix vector and the row. Runs on `threads` threads (first indices handed
 * out dynamically). best/best_set get the best float objective and its set.
 * Returns 0, or -1 when the CPU has no AVX2 or memory ran out. */
typedef struct bench_ref_result {
    double seconds;
    uint64_t subsets;
    double best;
    uint32_t best_set[EKM_MAX_K];
} bench_ref_result;
int bench_avx2_available(void);
int bench_avx2_reference(const ekm_dissim *dm, unsigned k, unsigned threads,
                         bench_ref_result *out);

typedef struct bench_kernel_options {
    size_t n;          /* throughput figure: points (default 400) */
    unsigned k;        /* throughput figure: K (default 3) */
    uint64_t seed;     /* throughput figure: seed (default 0) */
    size_t n_scaling;  /* fused and plan figures: points (default 800, seed 1, K=3) */
    unsigned repeat;   /* runs per figure, medians (default 5) */
    unsigned parts;    /* BENCH_PART_* (default all) */
    int markdown;
} bench_kernel_options;

enum { BENCH_PART_THROUGHPUT = 1, BENCH_PART_FUSED = 2, BENCH_PART_PLANS = 4 };

void bench_kernel_options_default(bench_kernel_options *o);
/* Measure and print the figures. Returns 0, 1 when stopped, or -1 with a message. */
int bench_kernel_run(FILE *out, const bench_kernel_options *o, const atomic_int *stop, char *err,
                     size_t errsize);

/* ---- arguments: `ekm bench ...` and the REPL's `bench ...` ---- */

typedef struct bench_request {
    bench_config cfg;            /* the grid; cfg.source: the FILE's points (owned), or NULL */
    int kernel;                  /* --kernel: the kernel figures (kernel_opts), not a grid */
    bench_kernel_options kernel_opts;
    char csv_path[1024];         /* --csv, "" when not given */
    char plot_path[1024];        /* --plot, "" when not given */
    int markdown;                /* --markdown */
    int quiet;                   /* --quiet */
    double predict_n;            /* --predict, 0 when not given */
} bench_request;

/* Parse the arguments of `ekm bench` (argv[0] is the command's name; --help is the
 * caller's): bench's own options, the shared ones (-k, --seed, --d, the data
 * options), a FILE (loaded into cfg.source). The grid is checked (bench_check).
 * Returns 0 (free with bench_request_free), or -1 with a one-line message in err for
 * bad usage or a file that cannot be read (nothing to free). */
int bench_request_parse(int argc, char **argv, bench_request *a, char *err, size_t errsize);
void bench_request_free(bench_request *a);
/* 1 when the grid measures some parallel strategy on 1 thread and on more (the
 * thread-scaling plot has something to show). */
int bench_has_scaling(const bench_config *cfg);

/* ---- a benchmark in the background (the REPL's `bench`) ----
 *
 * bench_run on a thread of its own. The job's thread runs the grid, writes the
 * CSV rows and keeps its rows to itself until it ends; what other threads see of
 * it — the newest status, the cells finished so far, whether it ended and how —
 * goes through the job's mutex. Any thread may call the functions below; the
 * results and the outcome only once bench_job_done says it ended. */

typedef struct bench_job bench_job;

/* Start the grid of a->cfg in the background. *a is copied (a->cfg.source is
 * retained: the caller still frees its bench_request); with a->csv_path the file is
 * created (header written) before the thread starts, and each timed row is
 * appended as it finishes. Returns 0, or -1 with a message in err (nothing runs). */
int bench_job_start(const bench_request *a, bench_job **out, char *err, size_t errsize);
/* Ask it to stop: the run in flight is cancelled and dropped, the finished rows
 * are kept (as bench_run with *stop set). Any number of times. */
void bench_job_cancel(bench_job *j);
/* 1 when stopping was asked. */
int bench_job_cancelled(bench_job *j);
/* 1 once the job's thread has finished (the cells left are published by then). */
int bench_job_done(bench_job *j);
/* Wait until it ended or `seconds` passed; returns bench_job_done. */
int bench_job_wait_for(bench_job *j, double seconds);
/* A descriptor that becomes readable when the job ends (owned by the job). */
int bench_job_fd(const bench_job *j);
/* The newest status (its row is NULL); returns 0 (and zeroes *st) before the first. */
int bench_job_status(bench_job *j, bench_status *st);
/* Cells finished since *cursor (0 at first), in the order they finished: copies
 * up to max of them into out, advances *cursor, returns the count. A cell is
 * published when its last repeat finishes; when the job ends, the cells a stop
 * cut short (fewer timed runs than the repeat) follow. */
size_t bench_job_take_cells(bench_job *j, size_t *cursor, bench_cell *out, size_t max);
/* Cells published so far. */
size_t bench_job_cells_done(bench_job *j);
/* What it runs (valid for the job's life; never changes). */
const bench_request *bench_job_request(const bench_job *j);
/* The data's name as in the rows (bench_describe_source). */
const char *bench_job_dataset(const bench_job *j);
/* Once done: bench_run's return (0, or -1 with its message in err); *csv_failed
 * (may be NULL) is 1 when writing the CSV file failed. */
int bench_job_outcome(bench_job *j, char *err, size_t errsize, int *csv_failed);
/* Once done with *csv_failed: "FILE: write failed: reason". */
const char *bench_job_csv_error(bench_job *j, char *buf, size_t size);
/* Once done: the rows (res->interrupted when a stop ended it); NULL before. */
const bench_results *bench_job_results(bench_job *j);
/* Cancel, join and free; NULL is fine. */
void bench_job_destroy(bench_job *j);

#endif
