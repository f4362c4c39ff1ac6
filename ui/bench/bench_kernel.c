/* bench_kernel.c — `ekm bench --kernel`: the throughput figures of issues 2 and 3.
 *
 *  1. throughput: seq's point-evaluations per second (K-subsets × N / s) on
 *     `ekm gen uniform --n 400 --d 2 --seed 0`, K=3, one thread, next to the
 *     hand-written AVX2 reference (bench_avx2.c) on the same matrix
 *     (target: the reference at most 1.3× faster);
 *  2. fused: 2 threads against 1 on `gen uniform --n 800 --d 2 --seed 1`, K=3
 *     (target >= 1.85×), and its 2-thread throughput against the reference on
 *     2 threads (target >= 0.9×);
 *  3. plans: split, par1, par2 and tree on the same data, T=2: measured time
 *     against the time the plan predicts, plan makespan / seq's measured rate
 *     (target: within 10 %).
 * Every figure is the median of `repeat` runs; the runs of one figure are
 * interleaved so that a noisy machine slows all of them alike.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/job_wait.h"

void bench_kernel_options_default(bench_kernel_options *o)
{
    *o = (bench_kernel_options){.n = 400, .k = 3, .seed = 0, .n_scaling = 800, .repeat = 5,
                                .parts = BENCH_PART_THROUGHPUT | BENCH_PART_FUSED |
                                         BENCH_PART_PLANS};
}

static int make_uniform(size_t n, uint64_t seed, ekm_dissim **out, char *err, size_t errsize)
{
    ekm_dataset *ds;
    ekm_error e;
    ekm_status st = ekm_generate(EKM_GEN_UNIFORM, n, 2, 1, seed, &ds, &e);
    if (!st) {
        st = ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, out, &e);
        ekm_dataset_release(ds);
    }
    if (st) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    return 0;
}

/* One timed job: 0 done, 1 stopped, -1 failed. */
static int time_job(ekm_dissim *dm, unsigned k, ekm_strategy s, unsigned threads,
                    const atomic_int *stop, double *seconds, double *cpu, double *objective,
                    double *makespan, char *err, size_t errsize)
{
    double cpu0 = bench_cpu_seconds();
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = k;
    opt.strategy = s;
    opt.threads = threads;
    ekm_job *job;
    ekm_error e;
    if (stop && atomic_load(stop))
        return 1;
    if (ekm_job_start(dm, &opt, &job, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    job_wait_stop_on(job, 0.1, stop);
    ekm_status st = ekm_job_status(job, &e);
    int rc = 0;
    if (st == EKM_ERR_CANCELLED && stop && atomic_load(stop)) {
        rc = 1;
    } else if (st) {
        ekm_error_format(&e, err, errsize);
        rc = -1;
    } else {
        const ekm_result *r = ekm_job_result(job);
        *seconds = r->seconds;
        *cpu = bench_cpu_seconds() - cpu0;
        if (objective)
            *objective = r->objective;
        if (makespan)
            *makespan = r->makespan;
    }
    ekm_job_free(job);
    return rc;
}

static int time_ref(ekm_dissim *dm, unsigned k, unsigned threads, double *seconds, double *cpu,
                    double *best, char *err, size_t errsize)
{
    bench_ref_result r;
    double cpu0 = bench_cpu_seconds();
    if (bench_avx2_reference(dm, k, threads, &r)) {
        snprintf(err, errsize, "the AVX2 reference could not run (no AVX2, or no memory)");
        return -1;
    }
    *seconds = r.seconds;
    *cpu = bench_cpu_seconds() - cpu0;
    if (best)
        *best = r.best;
    return 0;
}

/* Wall and CPU seconds of the runs of one figure. */
typedef struct sample {
    double v[64], cpu[64];
    unsigned n;
} sample;

static void add(sample *s, double v, double cpu)
{
    if (s->n < 64) {
        s->cpu[s->n] = cpu;
        s->v[s->n++] = v;
    }
}

static double med(const sample *s)
{
    double tmp[64];
    memcpy(tmp, s->v, s->n * sizeof *tmp);
    return bench_median(tmp, s->n);
}

static double med_cpu(const sample *s)
{
    double tmp[64];
    memcpy(tmp, s->cpu, s->n * sizeof *tmp);
    return bench_median(tmp, s->n);
}

static void minmax(const sample *s, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (unsigned i = 0; i < s->n; i++) {
        *lo = fmin(*lo, s->v[i]);
        *hi = fmax(*hi, s->v[i]);
    }
}

static void heading(FILE *out, int markdown, const char *title)
{
    if (markdown)
        fprintf(out, "\n#### %s\n\n", title);
    else
        fprintf(out, "\n%s\n", title);
}

static const char *const time_cols[] = {"",         "median", "min–max", "point-evals/s",
                                        "CPU s", "point-evals per CPU s"};
static const int time_right[] = {0, 1, 1, 1, 1, 1};

/* A row: wall median, spread, throughput; CPU median and throughput per CPU
 * second (the per-core speed, which a busy machine disturbs far less). */
static void time_row(bench_table *t, const char *what, const sample *s, double work)
{
    double lo, hi;
    char a[32], b[32], c[32], d[32];
    minmax(s, &lo, &hi);
    double m = med(s), mc = med_cpu(s);
    bench_table_cell(t, "%s", what);
    bench_table_cell(t, "%s", bench_format_seconds(m, a, sizeof a));
    bench_table_cell(t, "%s–%s", bench_format_seconds(lo, b, sizeof b),
                     bench_format_seconds(hi, c, sizeof c));
    bench_table_cell(t, "%.3g", work / m);
    bench_table_cell(t, "%s", bench_format_seconds(mc, d, sizeof d));
    bench_table_cell(t, "%.3g", mc > 0 ? work / mc : 0.0);
}

static void print_load(FILE *out, double before, int markdown)
{
    double after = bench_load_average();
    if (before < 0)
        return;
    unsigned cores = ekm_cpu_count();
    fprintf(out, "%sLoad average %.2f before, %.2f after (%u cores)%s\n", markdown ? "\n" : "",
            before, after, cores,
            before > 0.5 * cores ? ": a busy machine; wall-clock ratios are unreliable, the "
                                   "per-CPU-second figures much less so"
                                 : "");
}

static const char *verdict(int ok) { return ok ? "met" : "MISSED"; }

static const char *kernel_name(void)
{
    const char *k = getenv("EKM_KERNEL");
    return k && *k ? k : "the engine's default dispatch (EKM_KERNEL unset)";
}

/* Figure 1: seq against the AVX2 reference on one thread. */
static int figure_throughput(FILE *out, const bench_kernel_options *o, const atomic_int *stop,
                             char *err, size_t errsize)
{
    ekm_dissim *dm;
    if (make_uniform(o->n, o->seed, &dm, err, errsize))
        return -1;
    double subsets = (double)ekm_binomial(o->n, o->k, NULL);
    double work = subsets * (double)o->n;
    sample seq = {0}, ref = {0};
    double obj = NAN, best = NAN, load = bench_load_average();
    int rc = 0;
    for (unsigned r = 0; r < o->repeat && !rc; r++) {
        double s, c;
        rc = time_job(dm, o->k, EKM_STRATEGY_SEQ, 1, stop, &s, &c, &obj, NULL, err, errsize);
        if (!rc)
            add(&seq, s, c);
        if (!rc && !(rc = time_ref(dm, o->k, 1, &s, &c, &best, err, errsize)))
            add(&ref, s, c);
    }
    ekm_dissim_release(dm);
    if (rc)
        return rc;
    char title[200];
    snprintf(title, sizeof title,
             "Throughput: gen uniform --n %zu --d 2 --seed %llu, K=%u, 1 thread (median of %u)",
             o->n, (unsigned long long)o->seed, o->k, o->repeat);
    heading(out, o->markdown, title);
    bench_table *t = bench_table_new(6);
    bench_table_header(t, time_cols, time_right);
    time_row(t, "seq (ekm)", &seq, work);
    time_row(t, "AVX2 reference", &ref, work);
    bench_table_print(t, out, o->markdown);
    bench_table_free(t);
    double ratio = med(&seq) / med(&ref), cratio = med_cpu(&seq) / med_cpu(&ref);
    fprintf(out,
            "%sK-subsets: %.0f; point-evaluations per run: %.4g; ekm kernel: %s.\n"
            "reference / seq speed (target <= 1.3×): %.2f× wall (%s), %.2f× per CPU second "
            "(%s). Objectives: seq %.9g (double), reference %.9g (float sum): %s.\n",
            o->markdown ? "\n" : "", subsets, work, kernel_name(), ratio, verdict(ratio <= 1.3),
            cratio, verdict(cratio <= 1.3), obj, best,
            fabs(best - obj) <= 1e-4 * obj ? "agree" : "DISAGREE");
    print_load(out, load, o->markdown);
    return 0;
}

/* Figure 2: fused on 2 threads against 1, and against the reference on 2. */
static int figure_fused(FILE *out, const bench_kernel_options *o, const atomic_int *stop,
                        char *err, size_t errsize)
{
    ekm_dissim *dm;
    size_t n = o->n_scaling;
    if (make_uniform(n, 1, &dm, err, errsize))
        return -1;
    double work = (double)ekm_binomial(n, 3, NULL) * (double)n;
    sample f1 = {0}, f2 = {0}, r2 = {0};
    double load = bench_load_average();
    int rc = 0;
    for (unsigned r = 0; r < o->repeat && !rc; r++) {
        double s, c;
        if (!(rc = time_job(dm, 3, EKM_STRATEGY_FUSED, 1, stop, &s, &c, NULL, NULL, err,
                            errsize)))
            add(&f1, s, c);
        if (!rc && !(rc = time_job(dm, 3, EKM_STRATEGY_FUSED, 2, stop, &s, &c, NULL, NULL, err,
                                   errsize)))
            add(&f2, s, c);
        if (!rc && !(rc = time_ref(dm, 3, 2, &s, &c, NULL, err, errsize)))
            add(&r2, s, c);
    }
    ekm_dissim_release(dm);
    if (rc)
        return rc;
    char title[200];
    snprintf(title, sizeof title,
             "fused scaling: gen uniform --n %zu --d 2 --seed 1, K=3 (median of %u)", n,
             o->repeat);
    heading(out, o->markdown, title);
    bench_table *t = bench_table_new(6);
    bench_table_header(t, time_cols, time_right);
    time_row(t, "fused T=1", &f1, work);
    time_row(t, "fused T=2", &f2, work);
    time_row(t, "AVX2 reference T=2", &r2, work);
    bench_table_print(t, out, o->markdown);
    bench_table_free(t);
    double sp = med(&f1) / med(&f2), vs = med(&r2) / med(&f2);
    /* the speedup two dedicated cores would give if the threads never wait: the
     * work's CPU time on one thread over the per-thread CPU time on two */
    double est = 2.0 * med_cpu(&f1) / med_cpu(&f2);
    fprintf(out,
            "%sfused 2 threads / 1 thread (target >= 1.85×): %.3f× wall (%s); CPU/wall on 2 "
            "threads %.2f (2.00: both threads always had a core); on two free cores, "
            "2 × CPU(T=1) / CPU(T=2) = %.3f× (%s). fused T=2 throughput / reference T=2 "
            "(target >= 0.9×): %.3f× wall (%s), %.3f× per CPU second (%s).\n",
            o->markdown ? "\n" : "", sp, verdict(sp >= 1.85), med_cpu(&f2) / med(&f2), est,
            verdict(est >= 1.85), vs, verdict(vs >= 0.9), med_cpu(&r2) / med_cpu(&f2),
            verdict(med_cpu(&r2) / med_cpu(&f2) >= 0.9));
    print_load(out, load, o->markdown);
    return 0;
}

/* Figure 3: the faithful strategies against their plans' predictions. */
static int figure_plans(FILE *out, const bench_kernel_options *o, const atomic_int *stop,
                        char *err, size_t errsize)
{
    static const ekm_strategy strat[] = {EKM_STRATEGY_SEQ, EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,
                                         EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE};
    enum { NS = sizeof strat / sizeof strat[0], T = 2 };
    ekm_dissim *dm;
    size_t n = o->n_scaling;
    if (make_uniform(n, 1, &dm, err, errsize))
        return -1;
    double total = (double)ekm_binomial(n, 3, NULL);
    sample s[NS];
    double makespan[NS];
    memset(s, 0, sizeof s);
    double load = bench_load_average();
    int rc = 0;
    for (unsigned r = 0; r < o->repeat && !rc; r++)
        for (int i = 0; i < NS && !rc; i++) {
            double sec, c;
            rc = time_job(dm, 3, strat[i], strat[i] == EKM_STRATEGY_SEQ ? 1 : T, stop, &sec, &c,
                          NULL, &makespan[i], err, errsize);
            if (!rc)
                add(&s[i], sec, c);
        }
    ekm_dissim_release(dm);
    if (rc)
        return rc;
    double seq_rate = total / med(&s[0]);
    char title[200];
    snprintf(title, sizeof title,
             "Plans against measurement: gen uniform --n %zu --d 2 --seed 1, K=3, T=%d (median "
             "of %u); predicted = plan makespan / seq's rate (%.4g K-subsets/s)",
             n, T, o->repeat, seq_rate);
    heading(out, o->markdown, title);
    static const char *const cols[] = {"strategy", "plan makespan (K-subsets)", "predicted",
                                       "measured",  "min–max",  "measured / predicted",
                                       "within 10 %", "CPU/wall", "plan speedup"};
    static const int rcols[] = {0, 1, 1, 1, 1, 1, 0, 1, 1};
    bench_table *t = bench_table_new(9);
    bench_table_header(t, cols, rcols);
    int all = 1;
    for (int i = 1; i < NS; i++) {
        double pred = makespan[i] / seq_rate, m = med(&s[i]), lo, hi;
        minmax(&s[i], &lo, &hi);
        char a[32], b[32], c[32], d[32];
        int ok = fabs(m / pred - 1) <= 0.10;
        all &= ok;
        bench_table_cell(t, "%s", ekm_strategy_name(strat[i]));
        bench_table_cell(t, "%.0f", makespan[i]);
        bench_table_cell(t, "%s", bench_format_seconds(pred, a, sizeof a));
        bench_table_cell(t, "%s", bench_format_seconds(m, b, sizeof b));
        bench_table_cell(t, "%s–%s", bench_format_seconds(lo, c, sizeof c),
                         bench_format_seconds(hi, d, sizeof d));
        bench_table_cell(t, "%.3f", m / pred);
        bench_table_cell(t, "%s", ok ? "yes" : "NO");
        /* on free cores CPU/wall equals the plan's speedup (no thread waits for a core) */
        bench_table_cell(t, "%.2f", med_cpu(&s[i]) / m);
        bench_table_cell(t, "%.2f", total / makespan[i]);
    }
    bench_table_print(t, out, o->markdown);
    bench_table_free(t);
    char a[32];
    fprintf(out, "%sseq T=1: %s (the rate above). All within 10 %%: %s.\n",
            o->markdown ? "\n" : "", bench_format_seconds(med(&s[0]), a, sizeof a),
            all ? "yes" : "no");
    print_load(out, load, o->markdown);
    return 0;
}

int bench_kernel_run(FILE *out, const bench_kernel_options *o, const atomic_int *stop, char *err,
                     size_t errsize)
{
    if (o->repeat < 1 || o->repeat > 64) {
        snprintf(err, errsize, "--repeat must be between 1 and 64 for --kernel");
        return -1;
    }
    if (o->k < 1 || o->k > EKM_MAX_K || o->n < o->k) {
        snprintf(err, errsize, "--kernel needs 1 <= K <= N (K=%u, N=%zu)", o->k, o->n);
        return -1;
    }
    if ((o->parts & (BENCH_PART_FUSED | BENCH_PART_PLANS)) && o->n_scaling < 8) {
        snprintf(err, errsize, "the scaling figures need N >= 8");
        return -1;
    }
    if (!bench_avx2_available() && (o->parts & (BENCH_PART_THROUGHPUT | BENCH_PART_FUSED))) {
        snprintf(err, errsize, "this CPU has no AVX2: the reference loop cannot run");
        return -1;
    }
    int rc = 0;
    if (!rc && (o->parts & BENCH_PART_THROUGHPUT))
        rc = figure_throughput(out, o, stop, err, errsize);
    fflush(out);
    if (!rc && (o->parts & BENCH_PART_FUSED))
        rc = figure_fused(out, o, stop, err, errsize);
    fflush(out);
    if (!rc && (o->parts & BENCH_PART_PLANS))
        rc = figure_plans(out, o, stop, err, errsize);
    fflush(out);
    return rc;
}
