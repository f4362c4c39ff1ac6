/* bench_run.c — the benchmark runner: builds each N's matrix once, runs the
 * grid's cells in interleaved rounds (warm-ups first), and reports to an
 * observer; a stop flag cancels the job in flight and keeps the finished rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/job_wait.h"
#include "common/text_escape.h"

void bench_config_default(bench_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->gen = EKM_GEN_UNIFORM;
    cfg->gen_d = 2;
    cfg->gen_clusters = 3;
    cfg->seed = 0;
    cfg->metric = EKM_METRIC_EUCLIDEAN;
    cfg->k = 3;
    for (int i = 0; i < 8; i++)
        cfg->ns[i] = 50 * (size_t)(i + 1);
    cfg->n_ns = 8;
    for (int i = 0; i <= EKM_STRATEGY_PRUNED; i++)
        cfg->strategies[i] = (ekm_strategy)i;
    cfg->n_strategies = EKM_STRATEGY_PRUNED + 1;
    unsigned cores = ekm_cpu_count();
    cfg->threads[0] = 1;
    cfg->n_threads = 1;
    if (cores > 1)
        cfg->threads[cfg->n_threads++] = cores;
    cfg->repeat = 3;
    cfg->warmup = 1;
}

void bench_results_free(bench_results *r)
{
    free(r->rows);
    r->rows = NULL;
    r->n = r->cap = 0;
}

int bench_results_add(bench_results *r, const bench_row *row)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        bench_row *p = realloc(r->rows, cap * sizeof *p);
        if (!p)
            return -1;
        r->rows = p;
        r->cap = cap;
    }
    r->rows[r->n++] = *row;
    return 0;
}

/* seq and split are one-thread plans: they run once per N, on one thread. */
static int single_threaded(ekm_strategy s)
{
    return s == EKM_STRATEGY_SEQ || s == EKM_STRATEGY_SPLIT;
}

double bench_run_cost(size_t n, unsigned k, ekm_strategy s, unsigned threads)
{
    ekm_plan_options po = {.strategy = s, .threads = threads ? threads : 1};
    ekm_plan *plan;
    double cores = (double)ekm_cpu_count();
    if (ekm_plan_build(n, k, &po, &plan, NULL))
        return 2e6;
    double speedup = plan->predicted_speedup;
    if (speedup > cores)
        speedup = cores;
    if (!(speedup >= 1))
        speedup = 1;
    /* plus a fixed cost per run (starting threads, building the result), about
     * 200 µs at 1e10 point-evaluations per second, so that an ETA taken from
     * tiny runs does not extrapolate their overhead to the large ones */
    double cost = (double)plan->total * (double)n / speedup + 2e6;
    ekm_plan_free(plan);
    return cost;
}

/* The matrix of the first n points of the source, or of n generated points. */
static int make_dissim(const bench_config *cfg, size_t n, ekm_dissim **out, char *err,
                       size_t errsize)
{
    ekm_dataset *ds = NULL;
    ekm_error e;
    ekm_status st;
    if (cfg->source) {
        if (n > ekm_dataset_n(cfg->source)) {
            snprintf(err, errsize, "%s has %zu rows; --n asks for %zu",
                     ekm_dataset_name(cfg->source), ekm_dataset_n(cfg->source), n);
            return -1;
        }
        st = ekm_dataset_from_points(ekm_dataset_name(cfg->source), n,
                                     ekm_dataset_d(cfg->source),
                                     ekm_dataset_coords(cfg->source), NULL, &ds, &e);
    } else {
        st = ekm_generate(cfg->gen, n, cfg->gen_d, cfg->gen_clusters, cfg->seed, &ds, &e);
    }
    if (!st) {
        st = ekm_dissim_from_dataset(ds, cfg->metric, out, &e);
        ekm_dataset_release(ds);
    }
    if (st) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    return 0;
}

typedef struct cell_spec {
    ekm_strategy strategy;
    unsigned threads;
    double cost;
} cell_spec;

/* The cells of the i-th N, in the config's strategy order, then threads. Weak
 * scaling: only its own thread count (seq and split: the first N only). */
static int cells_for_n(const bench_config *cfg, int i, cell_spec *out)
{
    size_t n = cfg->ns[i];
    int c = 0;
    for (int s = 0; s < cfg->n_strategies; s++) {
        ekm_strategy st = cfg->strategies[s];
        if (cfg->weak) {
            unsigned t = cfg->threads[i];
            if (!single_threaded(st) || i == 0)
                out[c++] = (cell_spec){st, single_threaded(st) ? 1 : t,
                                       bench_run_cost(n, cfg->k, st, t)};
            continue;
        }
        if (single_threaded(st)) {
            out[c++] = (cell_spec){st, 1, bench_run_cost(n, cfg->k, st, 1)};
            continue;
        }
        for (int t = 0; t < cfg->n_threads; t++)
            out[c++] = (cell_spec){st, cfg->threads[t],
                                   bench_run_cost(n, cfg->k, st, cfg->threads[t])};
    }
    return c;
}

int bench_check(const bench_config *cfg, char *err, size_t errsize)
{
    if (cfg->n_ns < 1 || cfg->n_strategies < 1 || cfg->n_threads < 1 || cfg->repeat < 1) {
        snprintf(err, errsize, "an empty benchmark grid");
        return -1;
    }
    for (int i = 0; i < cfg->n_ns; i++) {
        if (cfg->ns[i] < cfg->k) {
            snprintf(err, errsize, "K=%u exceeds N=%zu", cfg->k, cfg->ns[i]);
            return -1;
        }
        if (cfg->source && cfg->ns[i] > ekm_dataset_n(cfg->source)) {
            snprintf(err, errsize, "%s has %zu rows; --n asks for %zu",
                     ekm_dataset_name(cfg->source), ekm_dataset_n(cfg->source), cfg->ns[i]);
            return -1;
        }
        for (int s = 0; s < cfg->n_strategies; s++)
            for (int t = 0; t < cfg->n_threads; t++) {
                ekm_plan_options po = {.strategy = cfg->strategies[s],
                                       .threads = cfg->threads[t],
                                       .partitions = cfg->partitions,
                                       .leaf = cfg->leaf};
                ekm_plan *plan;
                ekm_error e;
                if (ekm_plan_build(cfg->ns[i], cfg->k, &po, &plan, &e)) {
                    char m[512];
                    ekm_error_format(&e, m, sizeof m);
                    snprintf(err, errsize, "%s at N=%zu, T=%u: %s",
                             ekm_strategy_name(cfg->strategies[s]), cfg->ns[i], cfg->threads[t],
                             m);
                    return -1;
                }
                ekm_plan_free(plan);
            }
    }
    return 0;
}

typedef struct runner {
    const bench_config *cfg;
    const atomic_int *stop;
    bench_observer obs;
    void *obs_ctx;
    double t0;
    double cost_all, cost_done;
    double work_seconds; /* wall time spent in runs, for the ETA */
    size_t run, runs;
} runner;

static int stopped(const runner *rn)
{
    return rn->stop && atomic_load_explicit(rn->stop, memory_order_relaxed);
}

static void fill_status(const runner *rn, bench_status *st, const cell_spec *c, size_t n,
                        unsigned rep, int warm, double fraction)
{
    double now = ekm_now();
    *st = (bench_status){.warmup = warm, .run = rn->run, .runs = rn->runs,
                         .strategy = c->strategy, .n = n, .threads = c->threads, .repeat = rep,
                         .run_fraction = fraction, .elapsed = now - rn->t0, .eta = -1};
    if (rn->cost_done > 0) {
        double left = rn->cost_all - rn->cost_done - fraction * c->cost;
        st->eta = left > 0 ? left * rn->work_seconds / rn->cost_done : 0;
    }
}

static void format_medoids(char *buf, size_t size, const uint32_t *m, unsigned k)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < k && used + 12 < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%u", i ? " " : "", m[i]);
}

/* What the wait does while a run goes: report its progress to the observer, and
 * stop it when asked. */
typedef struct run_watch {
    runner *rn;
    const cell_spec *c;
    size_t n;
    unsigned rep;
    int warm;
} run_watch;

static int run_tick(void *ctx, ekm_job *job)
{
    run_watch *w = ctx;
    runner *rn = w->rn;
    if (rn->obs) {
        ekm_progress p;
        ekm_job_progress(job, &p);
        double f = p.total ? (double)p.done / (double)p.total : 0;
        bench_status st;
        fill_status(rn, &st, w->c, w->n, w->rep, w->warm, f);
        rn->obs(rn->obs_ctx, &st);
    }
    return stopped(rn);
}

/* One run of a cell: 0 done (row filled), 1 stopped, -1 failed (message in err). */
static int run_one(runner *rn, ekm_dissim *dm, const cell_spec *c, size_t n, unsigned rep,
                   int warm, bench_row *row, char *err, size_t errsize)
{
    const bench_config *cfg = rn->cfg;
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = cfg->k;
    opt.strategy = c->strategy;
    opt.threads = c->threads;
    opt.partitions = cfg->partitions;
    opt.leaf = cfg->leaf;
    ekm_job *job;
    ekm_error e;
    if (stopped(rn))
        return 1;
    double t_start = ekm_now(), cpu_start = bench_cpu_seconds();
    if (ekm_job_start(dm, &opt, &job, &e)) {
        char m[512];
        ekm_error_format(&e, m, sizeof m);
        snprintf(err, errsize, "%s N=%zu T=%u: %s", ekm_strategy_name(c->strategy), n,
                 c->threads, m);
        return -1;
    }
    run_watch w = {rn, c, n, rep, warm};
    job_wait(job, 0.1, run_tick, &w);
    ekm_status status = ekm_job_status(job, &e);
    if (status == EKM_ERR_CANCELLED && stopped(rn)) {
        ekm_job_free(job);
        return 1;
    }
    if (status) {
        char m[512];
        ekm_error_format(&e, m, sizeof m);
        snprintf(err, errsize, "%s N=%zu T=%u: %s", ekm_strategy_name(c->strategy), n,
                 c->threads, m);
        ekm_job_free(job);
        return -1;
    }
    const ekm_result *r = ekm_job_result(job);
    *row = (bench_row){.strategy = c->strategy, .n = n, .k = cfg->k, .threads = c->threads,
                       .repeat = rep, .seconds = r->seconds, .evaluated = r->evaluated,
                       .pruned = r->pruned, .total = r->total, .plan_bound = r->amdahl_bound,
                       .plan_makespan = r->makespan, .objective = r->objective};
    format_medoids(row->medoids, sizeof row->medoids, r->medoids, r->k);
    ekm_job_free(job);
    row->cpu_seconds = bench_cpu_seconds() - cpu_start;
    row->load = bench_load_average();
    rn->work_seconds += ekm_now() - t_start;
    rn->cost_done += c->cost;
    rn->run++;
    return 0;
}

void bench_describe_source(const bench_config *cfg, char *buf, size_t size)
{
    if (cfg->source)
        text_escape(buf, size, ekm_dataset_name(cfg->source)); /* shown in tables */
    else if (cfg->gen == EKM_GEN_BLOBS)
        snprintf(buf, size, "blobs d=%zu clusters=%u seed=%llu", cfg->gen_d, cfg->gen_clusters,
                 (unsigned long long)cfg->seed);
    else
        snprintf(buf, size, "%s d=%zu seed=%llu", ekm_gen_kind_name(cfg->gen), cfg->gen_d,
                 (unsigned long long)cfg->seed);
    if (cfg->metric != EKM_METRIC_EUCLIDEAN) {
        size_t len = strlen(buf);
        if (len < size)
            snprintf(buf + len, size - len, " (%s)", ekm_metric_name(cfg->metric));
    }
}

int bench_grid_cells(const bench_config *cfg)
{
    if (cfg->weak) {
        int cells = 0;
        for (int s = 0; s < cfg->n_strategies; s++)
            cells += single_threaded(cfg->strategies[s]) ? 1 : cfg->n_ns;
        return cells;
    }
    int per_n = 0;
    for (int s = 0; s < cfg->n_strategies; s++)
        per_n += single_threaded(cfg->strategies[s]) ? 1 : cfg->n_threads;
    return per_n * cfg->n_ns;
}

int bench_run(const bench_config *cfg, bench_results *res, const atomic_int *stop,
              bench_observer obs, void *obs_ctx, char *err, size_t errsize)
{
    res->interrupted = 0;
    res->load_start = bench_load_average();
    res->load_end = -1;
    bench_describe_source(cfg, res->dataset, sizeof res->dataset);
    if (bench_check(cfg, err, errsize))
        return -1;
    enum { MAX_CELLS = BENCH_MAX_STRATEGIES * BENCH_MAX_LIST };
    cell_spec *cells = malloc(MAX_CELLS * sizeof *cells);
    runner rn = {.cfg = cfg, .stop = stop, .obs = obs, .obs_ctx = obs_ctx, .t0 = ekm_now()};
    if (!cells) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    for (int i = 0; i < cfg->n_ns; i++) {
        int nc = cells_for_n(cfg, i, cells);
        for (int c = 0; c < nc; c++) {
            rn.cost_all += cells[c].cost * (cfg->warmup + cfg->repeat);
            rn.runs += cfg->warmup + cfg->repeat;
        }
    }
    int rc = 0;
    for (int i = 0; i < cfg->n_ns && !rc; i++) {
        size_t n = cfg->ns[i];
        ekm_dissim *dm;
        if (make_dissim(cfg, n, &dm, err, errsize)) {
            rc = -1;
            break;
        }
        int nc = cells_for_n(cfg, i, cells);
        unsigned rounds = cfg->warmup + cfg->repeat;
        for (unsigned round = 0; round < rounds && !rc; round++) {
            int warm = round < cfg->warmup;
            unsigned rep = warm ? 0 : round - cfg->warmup + 1;
            for (int c = 0; c < nc && !rc; c++) {
                bench_row row;
                int r = run_one(&rn, dm, &cells[c], n, rep, warm, &row, err, errsize);
                if (r) {
                    rc = r;
                    break;
                }
                if (!warm && bench_results_add(res, &row)) {
                    snprintf(err, errsize, "out of memory");
                    rc = -1;
                    break;
                }
                if (obs) {
                    bench_status st;
                    fill_status(&rn, &st, &cells[c], n, rep, warm, 0);
                    st.finished_run = 1;
                    st.row = warm ? NULL : &res->rows[res->n - 1];
                    obs(obs_ctx, &st);
                }
            }
        }
        ekm_dissim_release(dm);
    }
    free(cells);
    res->load_end = bench_load_average();
    if (rc == 1) {
        res->interrupted = 1;
        return 0;
    }
    return rc;
}
