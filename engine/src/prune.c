/* prune.c — `pruned`: the exact branch and bound over K-subsets.
 *
 * Threads, ownership and locks. ekm__pruned_run runs on the job's coordinator
 * thread; it starts job->nthreads workers, opens a start gate once it knows how
 * many started, and joins them. The workers go through three phases,
 * separated by a barrier (`bar`, counting the started workers):
 *  1. incumbent: worker t runs FasterPAM with seed opt.seed + t; each result is
 *     offered to stage 0's best-list (under st[0].lock) and lowers the shared
 *     incumbent (an atomic double).
 *  2. root bound: worker 0 leads the subgradient optimisation of the root's
 *     multipliers; each kernel pass over the N rows is split among all workers
 *     (fork-join: the leader publishes the pass in `pass`, then two barrier
 *     waits). The leader alone writes the root's data (λ, candidates sorted by
 *     ρ, the number of root children to search) before the barrier that ends
 *     the phase; everyone only reads it afterwards.
 *  3. search: workers take root children from an atomic counter (the largest
 *     subtrees come first) and search each with their own ekm__searcher. A
 *     worker whose best-list improves merges it into st[0].best under
 *     st[0].lock.
 * The root children are the job's work units (checkpoint.h): the root is handed
 * to the job when ready (ekm__job_root_ready) and a finished child is recorded
 * (ekm__job_unit_finished). A job resumed from a checkpoint with a root skips
 * phases 1 and 2 (its incumbent comes from the checkpoint); a root_only job
 * stops after phase 2.
 * st[0].lock is the only lock taken (never while holding another); the gate's
 * mutex is taken only before the phases begin. Progress counters are atomics.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "prune_root.h"
#include "ekm/advanced.h"
#include "cert_rec.h"
#include "ekm/dataset.h"
#include "ekm/heuristic.h"
#include "rng.h"
#include "job_internal.h"
#include "prune_bound.h"
#include "prune_search.h"
#include "incumbent_polish.h"
#include "prune_warm.h"

/* The root's kernel pass, shared by the workers. */
typedef struct shared_pass {
    const float *v;
    const uint32_t *rows;
    size_t count;
    double *out;
    int stop; /* 1: the root phase is over */
} shared_pass;

typedef struct prun {
    ekm_job *job;
    ekm__pdata pd;
    ekm__shared_incumbent inc;
    unsigned nthreads;          /* workers started */
    /* start gate */
    pthread_mutex_t gate_lock;
    pthread_cond_t gate_cond;
    int gate_open;
    pthread_barrier_t bar;
    shared_pass pass;           /* written by the leader between barriers */
    /* the root, written by the leader in phase 2 */
    float *lam, *lam_best;      /* the root's start and best multipliers */
    uint32_t *cand, *cand_sorted; /* 0..n-1, and sorted by ρ */
    double *rho;
    ekm__pnode root;
    uint32_t tasks;             /* root children to search */
    uint32_t grain;             /* root children per task */
    int root_ready;
    _Atomic uint32_t next;      /* next root child to hand out */
    double stage_min;           /* guarded by st[0].lock */
    ekm__rowcache *caches;      /* matrix-free: one per worker, for the shared passes */
    uint32_t *canon;            /* each point's first duplicate, or NULL (prune_dupes.h) */
    ekm__cert *cert;            /* opt.certificate: written by the leader with the root,
                                 * then each unit's record by the worker that searches it */
} prun;

typedef struct worker {
    prun *p;
    unsigned id;
    pthread_t tid;
} worker;

/* Merge a worker's best-list into the stage's; note when the incumbent was found. */
static void publish(prun *p, const ekm__best *best)
{
    ekm__stage_rt *st = &p->job->st[0];
    pthread_mutex_lock(&st->lock);
    if (ekm__best_merge(&st->best, best))
        atomic_store(&p->job->nomem, 1);
    double m = ekm__best_min(&st->best);
    if (m < p->stage_min) {
        p->stage_min = m;
        atomic_store(&p->job->incumbent_ns, ekm__job_ns(p->job));
    }
    pthread_mutex_unlock(&st->lock);
}

static void on_improve(void *ctx, const ekm__best *best) { publish(ctx, best); }

static int stopping(const prun *p)
{
    return atomic_load(&p->job->cancel) || atomic_load(&p->job->nomem);
}

/* ---- phase 1: the incumbent ------------------------------------------------- */

/* Matrix-free: FasterPAM on a random sample of at most SAMPLE_MAX points (its
 * own small matrix), mapped back, its objective evaluated in double on all the
 * points (CLARA-like), then polished by swaps with the points nearest the
 * medoids (incumbent_polish.h). The root's Lagrangian probes improve it; the
 * bound, not the start, proves the optimum, but a better start lets the root
 * set more candidates aside sooner. */
enum { SAMPLE_MAX = 2500 };

static ekm_status sampled_start(ekm_job *job, uint64_t seed, uint32_t *med, double *obj)
{
    const ekm_dissim *dm = job->dm;
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    size_t n = ekm_dissim_n(dm), d = ekm_dataset_d(ds), m = n < SAMPLE_MAX ? n : SAMPLE_MAX;
    unsigned k = job->opt.k;
    uint32_t *idx = malloc(n * sizeof *idx);
    double *x = malloc(m * d * sizeof *x);
    ekm_status st = EKM_ERR_NOMEM;
    ekm_dataset *sub = NULL;
    ekm_dissim *sdm = NULL;
    ekm_error err;
    if (!idx || !x)
        goto out;
    ekm__rng r;
    ekm__rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        idx[i] = (uint32_t)i;
    for (size_t i = 0; i < m; i++) { /* a partial Fisher-Yates shuffle */
        size_t j = i + (size_t)ekm__rng_below(&r, n - i);
        uint32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        memcpy(x + i * d, ekm_dataset_point(ds, idx[i]), d * sizeof *x);
    }
    st = ekm_dataset_from_points("sample", m, d, x, NULL, &sub, &err);
    if (!st)
        st = ekm_dissim_from_dataset_threads(sub, ekm_dissim_metric(dm), 1, &sdm, &err);
    uint32_t smed[EKM_MAX_K];
    ekm_heuristic_options ho = {.k = k, .seed = seed, .restarts = 1,
                                .cancelled = ekm__job_cancelled, .cancel_ctx = job};
    if (!st)
        st = ekm_heuristic_run(sdm, EKM_STRATEGY_FASTERPAM, &ho, smed, obj, NULL, &err);
    if (!st) {
        for (unsigned j = 0; j < k; j++)
            med[j] = idx[smed[j]];
        *obj = ekm_dissim_objective(dm, med, k);
        st = ekm__polish_medoids(dm, k, med, obj, ekm__job_cancelled, job);
    }
out:
    ekm_dissim_release(sdm);
    ekm_dataset_release(sub);
    free(idx);
    free(x);
    return st == EKM_ERR_NOMEM || st == EKM_ERR_CANCELLED || st == EKM_OK ? st : EKM_ERR_NOMEM;
}

static void run_incumbent(prun *p, unsigned id, ekm__searcher *s)
{
    ekm_job *job = p->job;
    unsigned k = job->opt.k;
    uint32_t med[EKM_MAX_K];
    double obj;
    ekm_heuristic_options ho = {.k = k, .seed = job->opt.seed + id, .restarts = 1,
                                .cancelled = ekm__job_cancelled, .cancel_ctx = job};
    ekm_error err;
    ekm_status st = p->pd.base ? ekm_heuristic_run(job->dm, EKM_STRATEGY_FASTERPAM, &ho, med,
                                                   &obj, NULL, &err)
                               : sampled_start(job, job->opt.seed + id, med, &obj);
    if (st == EKM_ERR_NOMEM)
        atomic_store(&job->nomem, 1);
    if (st != EKM_OK)
        return;
    for (unsigned i = 1; i < k; i++) /* ascending */
        for (unsigned j = i; j > 0 && med[j - 1] > med[j]; j--) {
            uint32_t t = med[j];
            med[j] = med[j - 1];
            med[j - 1] = t;
        }
    if (ekm__best_offer_any(&s->best, obj, med) < 0) {
        atomic_store(&job->nomem, 1);
        return;
    }
    ekm__incumbent_lower(&p->inc, obj);
    publish(p, &s->best);
}

/* ---- phase 2: the root bound --------------------------------------------------- */

/* This worker's share of the shared pass: a contiguous slice of the rows. */
static void pass_slice(prun *p, unsigned id)
{
    shared_pass *ps = &p->pass;
    size_t per = (ps->count + p->nthreads - 1) / p->nthreads;
    per = (per + 3) / 4 * 4;
    size_t lo = (size_t)id * per, hi = lo + per < ps->count ? lo + per : ps->count;
    /* in slices, so that a cancel ends a long pass within a fraction of a
     * second; the leader sees it and discards the pass (the rows left are 0) */
    size_t a = lo;
    for (; a < hi && !atomic_load_explicit(&p->job->cancel, memory_order_relaxed); a += 1024) {
        size_t b = hi - a > 1024 ? a + 1024 : hi;
        ekm__rho_list_full(&p->pd, ps->v, ps->rows + a, b - a, ps->out + a,
                           p->caches ? &p->caches[id] : NULL);
    }
    if (a < hi)
        memset(ps->out + a, 0, (hi - a) * sizeof *ps->out);
}

/* The leader's ρ pass, shared with the helpers (ekm__eval_fn). */
static void team_eval(void *ctx, const float *v, const uint32_t *rows, size_t count, double *out)
{
    prun *p = ctx;
    p->pass = (shared_pass){v, rows, count, out, 0};
    pthread_barrier_wait(&p->bar);
    pass_slice(p, 0);
    pthread_barrier_wait(&p->bar);
}

/* The leader's ρ pass, handed to the caller (ekm_solve_options.rho_pass); a
 * refusal cancels the job (the pass's values are then zeros, never read). */
static void caller_eval(void *ctx, const float *v, const uint32_t *rows, size_t count,
                        double *out)
{
    prun *p = ctx;
    const ekm_solve_options *o = &p->job->opt;
    if (o->rho_pass(o->rho_pass_ctx, v, p->pd.n, rows, count, out)) {
        memset(out, 0, count * sizeof *out);
        atomic_store(&p->job->cancel, 1);
    }
}

/* Helpers: join the leader's passes until it says the root phase is over. */
static void help_root(prun *p, unsigned id)
{
    for (;;) {
        pthread_barrier_wait(&p->bar);
        if (p->pass.stop)
            return;
        pass_slice(p, id);
        pthread_barrier_wait(&p->bar);
    }
}

/* The root's bound so far for the job's progress (ekm_progress.root_bound and
 * root_active), in the objective's units. */
static void root_step(void *ctx, double bound, uint32_t active)
{
    prun *p = ctx;
    double v = bound / p->pd.scale;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    atomic_store_explicit(&p->job->root_bound_bits, bits, memory_order_relaxed);
    atomic_store_explicit(&p->job->root_active, active, memory_order_relaxed);
}

/* The leader: optimise the root's λ from the incumbent's distances, sort the
 * points by ρ, count the root children within the bound and discard the rest. */
static void lead_root(prun *p, ekm__searcher *s)
{
    ekm_job *job = p->job;
    uint32_t n = p->pd.n;
    unsigned k = p->pd.k;
    size_t stride = p->pd.stride;
    p->lam = aligned_alloc(64, stride * sizeof *p->lam);
    p->lam_best = aligned_alloc(64, stride * sizeof *p->lam_best);
    p->cand = malloc((size_t)n * sizeof *p->cand);
    p->cand_sorted = malloc((size_t)n * sizeof *p->cand_sorted);
    p->rho = malloc((size_t)n * sizeof *p->rho);
    if (!p->lam || !p->lam_best || !p->cand || !p->cand_sorted || !p->rho) {
        atomic_store(&job->nomem, 1);
        return;
    }
    /* start: λ_i = the incumbent's distance of point i, the submodular bound */
    double inc = ekm__incumbent_get(&p->inc);
    uint32_t incset[EKM_MAX_K];
    const uint32_t *set = NULL;
    pthread_mutex_lock(&job->st[0].lock);
    const uint32_t *best = ekm__best_answer(&job->st[0].best, NULL);
    if (best) {
        memcpy(incset, best, k * sizeof *best);
        set = incset;
    }
    pthread_mutex_unlock(&job->st[0].lock);
    for (size_t i = 0; i < stride; i++)
        p->lam[i] = i < n && set ? INFINITY : 0.0f;
    for (unsigned j = 0; set && j < k; j++)
        p->pd.kern.vmin(p->lam, p->lam, ekm__prow(&p->pd, set[j], s->row1), stride);
    for (uint32_t i = 0; i < n; i++) {
        p->cand[i] = i;
        if (!isfinite(p->lam[i]))
            p->lam[i] = 0.0f;
    }
    /* a large root starts from a sample's multipliers (prune_warm.h); on no
     * memory it starts from the medoid distances */
    if (set &&
        ekm__warm_multipliers(&p->pd, set, job->opt.seed, p->lam, &job->cancel) == 1)
        return;
    /* The work budget: the root's rows at most half the rows a plain
     * enumeration reads (one per K-subset), so that on inputs where the bound
     * cannot prune (ties, tiny N) bounding never costs more than half of what
     * it could save (ekm__searcher.refine_rows: the same rule below the root). */
    int big = 0;
    uint64_t sets = ekm_binomial(n, k, &big);
    ekm__subgrad sched = {.max_steps = 600, .patience = 40, .theta = 1.0, .theta_min = 1e-4,
                          .prefix = 64, .max_rows = big ? 0 : sets / 2 + 1};
    ekm__bound_in bin = {NULL, 0, p->cand, NULL, n, k, p->lam, 0.0, 0.0, NULL};
    ekm__bound_out nb = {.cand = p->cand_sorted, .lower = p->rho, .lam = p->lam_best};
    ekm__eval_fn full = job->opt.rho_pass ? caller_eval : p->nthreads > 1 ? team_eval : NULL;
    ekm__bound_env env = {full, p, ekm__searcher_probe, s, root_step, p, &job->cancel};
    if (ekm__bound_optimise(&p->pd, &s->bw, &sched, &bin, inc, &nb, &env))
        return;
    if (s->probe_failed) {
        atomic_store(&job->nomem, 1);
        return;
    }
    atomic_store_explicit(&job->root_active, 0, memory_order_relaxed); /* the phase is over */
    inc = ekm__incumbent_get(&p->inc);
    s->stats.bound_passes += nb.rows;
    p->root = (ekm__pnode){0,      p->cand_sorted, p->rho, n, k, nb.base, p->lam_best,
                           nb.rmax, nb.sum_max, nb.margin};
    double thr = ekm__prune_threshold(&p->pd, ekm__incumbent_get(&p->inc), nb.margin);
    p->tasks = nb.closed ? 0 : ekm__surviving_children(&p->root, thr);
    if (p->tasks < n - k + 1)
        ekm__searcher_prune(s, ekm_count_binomial(n - p->tasks, k, NULL));
    (void)inc;
    ekm_count lump = p->tasks < n - k + 1 ? ekm_count_binomial(n - p->tasks, k, NULL) : 0;
    ekm__ck_root *r = ekm__ck_root_new(n);
    if (!r) {
        atomic_store(&job->nomem, 1);
        return;
    }
    *r = (ekm__ck_root){n, p->tasks, nb.base, nb.rmax, nb.sum_max, nb.margin,
                        r->lam, r->cand, r->rho, 0};
    memcpy(r->lam, p->lam_best, n * sizeof *r->lam);
    memcpy(r->cand, p->cand_sorted, n * sizeof *r->cand);
    memcpy(r->rho, p->rho, n * sizeof *r->rho);
    if (ekm__job_root_ready(job, r, lump)) {
        ekm__ck_root_delete(r);
        atomic_store(&job->nomem, 1);
        return;
    }
    if (job->opt.certificate) {
        p->cert = ekm__cert_new(n, k, p->pd.scale, p->lam_best, p->tasks);
        if (!p->cert) {
            atomic_store(&job->nomem, 1);
            return;
        }
    }
    p->grain = k == 1 ? 64 : 1;
    p->root_ready = 1;
}

/* The leader, resuming: the root comes from the checkpoint (job->root), the
 * incumbent from the best-list it restored into stage 0. */
static void restore_root(prun *p)
{
    ekm_job *job = p->job;
    const ekm__ck_root *r = job->root;
    uint32_t n = p->pd.n;
    size_t stride = p->pd.stride;
    p->lam_best = aligned_alloc(64, stride * sizeof *p->lam_best);
    if (!p->lam_best) {
        atomic_store(&job->nomem, 1);
        return;
    }
    memset(p->lam_best, 0, stride * sizeof *p->lam_best);
    memcpy(p->lam_best, r->lam, n * sizeof *r->lam);
    pthread_mutex_lock(&job->st[0].lock);
    double m = ekm__best_min(&job->st[0].best);
    p->stage_min = m;
    pthread_mutex_unlock(&job->st[0].lock);
    ekm__incumbent_lower(&p->inc, m);
    p->root = (ekm__pnode){0, r->cand, r->rho, n, p->pd.k, r->base, p->lam_best,
                           r->rmax, r->sum_max, r->margin};
    p->tasks = r->tasks;
    p->grain = p->pd.k == 1 ? 64 : 1;
    p->root_ready = 1;
}

/* ---- phase 3: the search ------------------------------------------------------ */

static void run_search(prun *p, ekm__searcher *s)
{
    ekm_job *job = p->job;
    for (;;) {
        if (stopping(p))
            return;
        ekm__incumbent_lower(&p->inc, ekm__job_offered_bound(job)); /* from elsewhere */
        uint64_t q = job->run_lo + atomic_fetch_add(&p->next, p->grain);
        if (q >= job->run_hi)
            return;
        uint64_t q1 = job->run_hi - q > p->grain ? q + p->grain : job->run_hi;
        int rc = 0;
        for (uint64_t u = q; u < q1 && !rc; u++) {
            if (!ekm__job_unit_todo(job, u))
                continue;
            ekm_count e0 = s->stats.evaluated, p0 = s->stats.pruned;
            s->cert = p->cert ? &p->cert->units[u] : NULL;
            rc = ekm__search_children(s, &p->root, (uint32_t)u, (uint32_t)u + 1);
            s->cert = NULL;
            if (!rc)
                ekm__job_unit_finished(job, 0, u,
                                       s->stats.evaluated - e0 + s->stats.pruned - p0,
                                       s->stats.pruned - p0);
        }
        ekm__searcher_flush(s);
        if (rc < 0)
            atomic_store(&job->nomem, 1);
        if (rc)
            return;
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    prun *p = w->p;
    ekm_job *job = p->job;
    ekm__thread_rt *th = &job->th[w->id];
    pthread_mutex_lock(&p->gate_lock);
    while (!p->gate_open)
        pthread_cond_wait(&p->gate_cond, &p->gate_lock);
    pthread_mutex_unlock(&p->gate_lock);

    long long t0 = ekm__job_ns(job);
    atomic_store(&th->stage, 0);
    atomic_store(&th->busy, 1);
    ekm__searcher s;
    int ok = ekm__searcher_init(&s, &p->pd, job->dm, &p->inc, &job->cancel) == 0 &&
             ekm__memo_init(&s.memo, p->canon, p->pd.k) == 0;
    if (!ok)
        atomic_store(&job->nomem, 1);
    s.on_improve = on_improve;
    s.improve_ctx = p;
    s.done_a = &job->st[0].done;
    s.done_b = &th->done;
    s.pruned_a = &job->st[0].pruned;

    int resumed = job->root != NULL; /* set before the workers start */
    if (ok && !resumed && !stopping(p))
        run_incumbent(p, w->id, &s);
    pthread_barrier_wait(&p->bar);
    if (w->id == 0) {
        if (ok && resumed)
            restore_root(p);
        else if (ok && !stopping(p))
            lead_root(p, &s);
        p->pass.stop = 1;
        pthread_barrier_wait(&p->bar);
    } else {
        help_root(p, w->id);
    }
    if (ok && p->root_ready && !job->opt.root_only)
        run_search(p, &s);
    ekm__searcher_flush(&s);
    if (ok && s.best.len)
        publish(p, &s.best);
    ekm__searcher_free(&s);
    atomic_store(&th->busy, 0);
    atomic_store(&th->stage, -1);
    atomic_fetch_add(&th->busy_ns, ekm__job_ns(job) - t0);
    return NULL;
}

const char *ekm__root_verify(const ekm_dissim *dm, const ekm__ck_root *r, unsigned threads)
{
    uint32_t n = (uint32_t)ekm_dissim_n(dm);
    if (r->n != n)
        return "its pruned root is for another N";
    double *rho = malloc((size_t)n * sizeof *rho);
    const char *why = NULL;
    if (!rho)
        return "out of memory";
    double sum = 0.0;
    for (uint32_t i = 0; i < n; i++)
        sum += r->lam[i];
    /* base = Σλ at the root (no fixed medoid), summed in double: equal up to the
     * order of the sum; sum_max covers it */
    double slack = ((double)n + 2.0) * 0x1p-52 * sum;
    if (!(r->base <= sum + slack) || !(r->sum_max >= sum - slack)) {
        why = "its pruned root's base is not the sum of its multipliers";
        goto out;
    }
    /* every stored ρ a lower bound of the candidate's ρ under λ (the same kernel
     * gives the same value; a lazily bounded one is lower) */
    ekm_error err;
    if (ekm_dissim_rho(dm, NULL, r->lam, r->cand, n, rho, threads, &err)) {
        why = err.status == EKM_ERR_NOMEM ? "out of memory" : "its pruned root names no point";
        goto out;
    }
    /* the stored ρ may come from another summation (rows, or straight from the
     * coordinates), each within ekm__rho_rel_err of the same value */
    double g = 2.0 * ekm__rho_rel_err(n);
    for (uint32_t i = 0; i < n && !why; i++)
        if (!(r->rho[i] <= rho[i] + g * fabs(rho[i])))
            why = "its pruned root's bounds exceed what its multipliers give on this data";
out:
    free(rho);
    return why;
}

ekm_status ekm__pruned_run(ekm_job *job)
{
    prun *p = calloc(1, sizeof *p);
    worker *ws = calloc(job->nthreads, sizeof *ws);
    if (!p || !ws) {
        free(p);
        free(ws);
        return EKM_ERR_NOMEM;
    }
    p->job = job;
    p->pd = (ekm__pdata){.kern = job->kern, .rho4 = ekm__rho4_select(),
                         .minsum = ekm__minsum_select(),
                         .base = ekm_dissim_row(job->dm, 0), .dm = job->dm,
                         .stride = ekm_dissim_stride(job->dm),
                         .n = (uint32_t)ekm_dissim_n(job->dm), .k = job->opt.k,
                         .scale = ekm_dissim_float_scale(job->dm),
                         .abs_err = ekm_dissim_float_abs_err(job->dm)};
    double inf = INFINITY;
    uint64_t bits;
    memcpy(&bits, &inf, sizeof bits);
    atomic_init(&p->inc.bits, bits);
    atomic_init(&p->next, 0);
    p->stage_min = INFINITY;
    pthread_mutex_init(&p->gate_lock, NULL);
    pthread_cond_init(&p->gate_cond, NULL);

    ekm__stage_rt *st = &job->st[0];
    atomic_store(&st->thread, -1);
    atomic_store(&st->start_ns, ekm__job_ns(job));
    ekm__state_forward(&st->state, EKM_RUN_RUNNING);

    if (!p->pd.base) {
        p->caches = calloc(job->nthreads, sizeof *p->caches);
        int bad = !p->caches;
        for (unsigned t = 0; !bad && t < job->nthreads; t++)
            bad = ekm__rowcache_init(&p->caches[t], p->pd.n, p->pd.stride, (size_t)128 << 20);
        if (bad) {
            for (unsigned t = 0; p->caches && t < job->nthreads; t++)
                ekm__rowcache_free(&p->caches[t]);
            free(p->caches);
            free(p);
            free(ws);
            return EKM_ERR_NOMEM;
        }
    }
    /* read-only once the workers start; NULL (no memo) also on no memory */
    p->canon = ekm__duplicate_map(job->dm);
    unsigned started = 0;
    for (unsigned t = 0; t < job->nthreads; t++) {
        ws[t] = (worker){p, t, 0};
        if (pthread_create(&ws[t].tid, NULL, worker_main, &ws[t]))
            break;
        started++;
    }
    p->nthreads = started;
    if (started)
        pthread_barrier_init(&p->bar, NULL, started);
    else
        atomic_store(&job->nomem, 1);
    pthread_mutex_lock(&p->gate_lock);
    p->gate_open = 1;
    pthread_cond_broadcast(&p->gate_cond);
    pthread_mutex_unlock(&p->gate_lock);
    for (unsigned t = 0; t < started; t++)
        pthread_join(ws[t].tid, NULL);
    if (started)
        pthread_barrier_destroy(&p->bar);

    int ok = !atomic_load(&job->cancel) && !atomic_load(&job->nomem);
    atomic_store(&st->end_ns, ekm__job_ns(job));
    ekm__state_forward(&st->state, ok ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
    ekm_status rc = atomic_load(&job->nomem)    ? EKM_ERR_NOMEM
                    : atomic_load(&job->cancel) ? EKM_ERR_CANCELLED
                                                : EKM_OK;
    pthread_mutex_destroy(&p->gate_lock);
    pthread_cond_destroy(&p->gate_cond);
    if (rc == EKM_OK && p->cert) { /* the job keeps a complete record only (a record
                                     * that ran out of memory costs the certificate, not
                                     * the result) */
        int bad = 0;
        for (uint32_t u = 0; u < p->cert->tasks; u++)
            bad |= p->cert->units[u].failed;
        if (!bad)
            job->cert = p->cert, p->cert = NULL;
    }
    ekm__cert_free(p->cert);
    free(p->lam);
    free(p->lam_best);
    free(p->cand);
    free(p->cand_sorted);
    free(p->rho);
    for (unsigned t = 0; p->caches && t < job->nthreads; t++)
        ekm__rowcache_free(&p->caches[t]);
    free(p->caches);
    free(p->canon);
    free(p);
    free(ws);
    return rc;
}
