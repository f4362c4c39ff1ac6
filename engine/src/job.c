/* job.c — jobs: a coordinator thread runs a plan on worker threads, publishes
 * progress, and builds the result. See job_internal.h for ownership and locks.
 *
 * Staged plans (seq, split, par1, par2, tree): a free worker takes the
 * lowest-id stage whose children are done and walks it alone, so a merge waits
 * for its children and runs as one task, as in the study. fused: one shared
 * stage whose work units (units.h: a first element and a run of second
 * elements) are handed out by an atomic counter; nothing waits. A staged
 * worker walks its stage unit by unit too, so that every plan can be
 * checkpointed and resumed (checkpoint.h) at the grain of a unit.
 */
#define _GNU_SOURCE
#include "job_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_internal.h"
#include "combo.h"
#include "ekm/heuristic.h"
#include "prune_bound.h"
#include "walk.h"

ekm_solve_options ekm_solve_options_default(void)
{
    return (ekm_solve_options){.k = 3, .strategy = EKM_STRATEGY_SEQ, .threads = 0, .seed = 1,
                               .restarts = 1};
}

const char *ekm_run_state_name(ekm_run_state s)
{
    switch (s) {
    case EKM_RUN_WAITING: return "waiting";
    case EKM_RUN_RUNNING: return "running";
    case EKM_RUN_DONE: return "done";
    case EKM_RUN_CANCELLED: return "cancelled";
    case EKM_RUN_FAILED: return "failed";
    }
    return "unknown";
}

long long ekm__job_ns(const ekm_job *job) { return (long long)((ekm_now() - job->t0) * 1e9); }

static void set_state_forward(atomic_int *state, int to)
{
    int cur = atomic_load(state);
    while (cur < to && !atomic_compare_exchange_weak(state, &cur, to))
        ;
}

void ekm__stage_publish(ekm__stage_rt *st, const ekm__best *best)
{
    pthread_mutex_lock(&st->lock);
    (void)ekm__best_merge(&st->best, best);
    pthread_mutex_unlock(&st->lock);
}

static void on_improve(void *ctx, const ekm__best *best) { ekm__stage_publish(ctx, best); }

/* ---- staged plans ---------------------------------------------------------- */

/* 1 when the job runs some of stage s's units (a job given a unit range skips
 * the stages outside it, and their children count as done). */
static int stage_in_job(const ekm_job *job, int s)
{
    if (!job->opt.unit_hi)
        return 1;
    return job->unit_first[s] < job->run_hi && job->unit_first[s + 1] > job->run_lo;
}

/* Take the lowest-id ready stage; -1 when all are taken or the job is cancelled. */
static int take_stage(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    for (;;) {
        if (atomic_load(&job->cancel) || atomic_load(&job->nomem)) {
            pthread_mutex_unlock(&job->lock);
            return -1;
        }
        int all_taken = 1;
        for (int s = 0; s < job->plan->n_stages; s++) {
            ekm__stage_rt *st = &job->st[s];
            if (st->taken)
                continue;
            all_taken = 0;
            const ekm_stage_spec *sp = &job->plan->stages[s];
            int ready = 1;
            for (int c = 0; c < 2; c++)
                if (sp->child[c] >= 0 && stage_in_job(job, sp->child[c]) &&
                    atomic_load(&job->st[sp->child[c]].state) != EKM_RUN_DONE)
                    ready = 0;
            if (ready) {
                st->taken = 1;
                pthread_mutex_unlock(&job->lock);
                return s;
            }
        }
        if (all_taken) {
            pthread_mutex_unlock(&job->lock);
            return -1;
        }
        pthread_cond_wait(&job->cond, &job->lock);
    }
}

static ekm__range stage_range(const ekm_stage_spec *sp)
{
    return sp->kind == EKM_STAGE_MERGE ? ekm__range_merge(sp->lo, sp->mid, sp->hi)
                                       : ekm__range_leaf(sp->lo, sp->hi);
}

/* ---- work units ------------------------------------------------------------------ */

int ekm__job_unit_todo(ekm_job *job, uint64_t u)
{
    return u >= job->run_lo && u < job->run_hi && job->unit_state[u] == EKM__UNIT_TODO;
}

void ekm__job_unit_finished(ekm_job *job, int s, uint64_t u, uint64_t done, uint64_t pruned)
{
    pthread_mutex_lock(&job->commit_lock);
    job->unit_state[u] = EKM__UNIT_FINISHED;
    job->ck_done[s] += done;
    job->ck_pruned[s] += pruned;
    job->new_done[s] += done;
    job->new_pruned[s] += pruned;
    pthread_mutex_unlock(&job->commit_lock);
}

double ekm__job_offered_bound(const ekm_job *job)
{
    uint64_t bits = atomic_load(&job->offered_bits);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void ekm_job_offer_bound(ekm_job *job, double objective)
{
    if (!job || !(objective >= 0) || !isfinite(objective))
        return;
    uint64_t want;
    memcpy(&want, &objective, sizeof want);
    uint64_t cur = atomic_load(&job->offered_bits);
    /* non-negative doubles order like their bit patterns */
    while (want < cur && !atomic_compare_exchange_weak(&job->offered_bits, &cur, want))
        ;
}

static void unit_range_clamp(ekm_job *job)
{
    job->run_lo = job->opt.unit_hi ? job->opt.unit_lo : 0;
    job->run_hi = job->opt.unit_hi ? job->opt.unit_hi : job->n_units;
    if (job->run_hi > job->n_units)
        job->run_hi = job->n_units;
    if (job->run_lo > job->run_hi)
        job->run_lo = job->run_hi;
}

int ekm__job_root_ready(ekm_job *job, ekm__ck_root *root, uint64_t lump)
{
    unsigned char *state = calloc(root->tasks ? root->tasks : 1, 1);
    if (!state)
        return -1;
    pthread_mutex_lock(&job->commit_lock);
    job->root = root;
    job->unit_state = state;
    job->n_units = root->tasks;
    unit_range_clamp(job);
    root->lump = lump; /* counted with the root, not in the stage's units */
    pthread_mutex_unlock(&job->commit_lock);
    return 0;
}

typedef struct worker_arg {
    ekm_job *job;
    int id;
} worker_arg;

static void *staged_worker(void *p)
{
    worker_arg *a = p;
    ekm_job *job = a->job;
    ekm__thread_rt *th = &job->th[a->id];
    ekm__walker w;
    if (ekm__walker_init(&w, job->dm, &job->kern, job->opt.k, &job->cancel)) {
        atomic_store(&job->nomem, 1);
        pthread_cond_broadcast(&job->cond);
        return NULL;
    }
    int s;
    while ((s = take_stage(job)) >= 0) {
        ekm__stage_rt *st = &job->st[s];
        long long t_start = ekm__job_ns(job);
        atomic_store(&st->thread, a->id);
        atomic_store(&st->start_ns, t_start);
        set_state_forward(&st->state, EKM_RUN_RUNNING);
        atomic_store(&th->stage, s);
        atomic_store(&th->busy, 1);
        ekm__best_clear(&w.best);
        w.done_a = &st->done;
        w.done_b = &th->done;
        w.on_improve = on_improve;
        w.improve_ctx = st;
        int rc = 0;
        uint64_t u0 = job->unit_first[s];
        for (uint64_t u = u0; u < job->unit_first[s + 1] && !rc; u++) {
            if (atomic_load_explicit(&job->cancel, memory_order_relaxed)) {
                rc = 1; /* a unit is shorter than the walker's own look at the flag */
                break;
            }
            if (!ekm__job_unit_todo(job, u))
                continue;
            ekm__range r = ekm__units_range(&job->units[s], u - u0);
            uint64_t e0 = w.evaluated;
            rc = ekm__walk(&w, &r);
            if (!rc)
                ekm__job_unit_finished(job, s, u, w.evaluated - e0, 0);
        }
        long long t_end = ekm__job_ns(job);
        atomic_fetch_add(&th->busy_ns, t_end - t_start);
        atomic_store(&th->busy, 0);
        atomic_store(&th->stage, -1);
        atomic_store(&st->end_ns, t_end);
        if (rc < 0)
            atomic_store(&job->nomem, 1);
        set_state_forward(&st->state, rc == 0 ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
        pthread_mutex_lock(&job->lock);
        job->stages_done++;
        pthread_cond_broadcast(&job->cond);
        pthread_mutex_unlock(&job->lock);
        if (rc)
            break;
    }
    ekm__walker_free(&w);
    return NULL;
}

/* ---- fused ----------------------------------------------------------------- */

static void *fused_worker(void *p)
{
    worker_arg *a = p;
    ekm_job *job = a->job;
    ekm__thread_rt *th = &job->th[a->id];
    ekm__stage_rt *st = &job->st[0];
    ekm__walker w;
    if (ekm__walker_init(&w, job->dm, &job->kern, job->opt.k, &job->cancel)) {
        atomic_store(&job->nomem, 1);
        return NULL;
    }
    w.done_a = &st->done;
    w.done_b = &th->done;
    w.on_improve = on_improve;
    w.improve_ctx = st;
    atomic_store(&th->stage, 0);
    for (;;) {
        if (atomic_load(&job->cancel))
            break;
        uint64_t u = atomic_fetch_add(&job->next_unit, 1);
        if (u >= job->run_hi)
            break;
        if (!ekm__job_unit_todo(job, u))
            continue;
        ekm__range r = ekm__units_range(&job->units[0], u);
        long long t0 = ekm__job_ns(job);
        atomic_store(&th->busy, 1);
        uint64_t e0 = w.evaluated;
        int rc = ekm__walk(&w, &r);
        atomic_store(&th->busy, 0);
        atomic_fetch_add(&th->busy_ns, ekm__job_ns(job) - t0);
        if (rc < 0)
            atomic_store(&job->nomem, 1);
        if (rc)
            break;
        ekm__job_unit_finished(job, 0, u, w.evaluated - e0, 0);
    }
    atomic_store(&th->stage, -1);
    ekm__walker_free(&w);
    return NULL;
}

/* ---- results ----------------------------------------------------------------- */

void ekm_result_free(ekm_result *r)
{
    if (!r)
        return;
    free(r->medoids);
    free(r->cluster);
    free(r->cluster_size);
    free(r->cluster_cost);
    free(r->stages);
    free(r);
}

static void fill_stage_progress(ekm_job *job, int s, ekm_stage_progress *out)
{
    ekm__stage_rt *st = &job->st[s];
    out->spec = job->plan->stages[s];
    out->state = (ekm_run_state)atomic_load(&st->state);
    out->thread = atomic_load(&st->thread);
    out->done = atomic_load_explicit(&st->done, memory_order_relaxed);
    out->pruned = atomic_load_explicit(&st->pruned, memory_order_relaxed);
    if (out->done > out->spec.total)
        out->done = out->spec.total;
    long long s0 = atomic_load(&st->start_ns), s1 = atomic_load(&st->end_ns);
    out->start = s0 < 0 ? -1.0 : (double)s0 * 1e-9;
    out->end = s1 < 0 ? -1.0 : (double)s1 * 1e-9;
    out->best = INFINITY;
    memset(out->best_medoids, 0, sizeof out->best_medoids);
    pthread_mutex_lock(&st->lock);
    double v;
    const uint32_t *set = ekm__best_answer(&st->best, &v);
    if (set) {
        out->best = v;
        unsigned k = job->opt.k < EKM_MAX_K ? job->opt.k : EKM_MAX_K;
        memcpy(out->best_medoids, set, k * sizeof *set);
    }
    pthread_mutex_unlock(&st->lock);
}

/* ---- checkpoints ------------------------------------------------------------------ */

/* The options a checkpoint records: the plan's own parameters made explicit (a
 * tree's default leaf count depends on the threads), the rest cleared. */
static ekm_solve_options checkpoint_options(const ekm_job *job)
{
    ekm_solve_options o = job->opt;
    o.resume = NULL;
    o.unit_lo = o.unit_hi = 0;
    o.root_only = 0;
    if (o.strategy != EKM_STRATEGY_TREE) {
        o.partitions = o.leaf = 0;
    } else if (!o.partitions && !o.leaf) {
        unsigned leaves = 0;
        for (int s = 0; s < job->plan->n_stages; s++)
            leaves += job->plan->stages[s].kind == EKM_STAGE_LEAF;
        o.partitions = leaves;
    }
    if (o.strategy != EKM_STRATEGY_PRUNED)
        o.seed = 0, o.restarts = 0; /* enumeration does not use them */
    return o;
}

static ekm_status nomem(ekm_error *err)
{
    return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Cut every stage into work units (enumeration) and set up the counts. */
static ekm_status setup_units(ekm_job *job, ekm_error *err)
{
    int ns = job->plan->n_stages;
    job->ck_opt = checkpoint_options(job);
    job->fingerprint = ekm_dissim_fingerprint(job->dm);
    job->partial = job->opt.unit_hi != 0 || job->opt.root_only;
    job->unit_first = calloc((size_t)ns + 1, sizeof *job->unit_first);
    job->ck_done = calloc((size_t)ns, sizeof *job->ck_done);
    job->ck_pruned = calloc((size_t)ns, sizeof *job->ck_pruned);
    job->new_done = calloc((size_t)ns, sizeof *job->new_done);
    job->new_pruned = calloc((size_t)ns, sizeof *job->new_pruned);
    double inf = INFINITY;
    uint64_t bits;
    memcpy(&bits, &inf, sizeof bits);
    atomic_init(&job->offered_bits, bits);
    if (!job->unit_first || !job->ck_done || !job->ck_pruned || !job->new_done ||
        !job->new_pruned)
        return nomem(err);
    if (job->opt.strategy != EKM_STRATEGY_PRUNED) { /* pruned: once its root is ready */
        job->units = calloc((size_t)ns, sizeof *job->units);
        if (!job->units)
            return nomem(err);
        uint64_t grain = ekm__units_grain((uint32_t)job->plan->n, job->opt.k);
        for (int s = 0; s < ns; s++) {
            ekm__range r = stage_range(&job->plan->stages[s]);
            if (ekm__units_init(&job->units[s], &r, job->opt.k, grain))
                return nomem(err);
            job->unit_first[s + 1] = job->unit_first[s] + job->units[s].count;
        }
        job->n_units = job->unit_first[ns];
        job->unit_state = calloc(job->n_units ? job->n_units : 1, 1);
        if (!job->unit_state)
            return nomem(err);
    }
    unit_range_clamp(job);
    atomic_init(&job->next_unit, job->run_lo);
    return EKM_OK;
}

static ekm__ck_root *root_copy(const ekm__ck_root *src)
{
    ekm__ck_root *r = ekm__ck_root_new(src->n);
    if (!r)
        return NULL;
    r->tasks = src->tasks;
    r->base = src->base;
    r->rmax = src->rmax;
    r->sum_max = src->sum_max;
    r->margin = src->margin;
    r->lump = src->lump;
    memcpy(r->lam, src->lam, src->n * sizeof *r->lam);
    memcpy(r->cand, src->cand, src->n * sizeof *r->cand);
    memcpy(r->rho, src->rho, src->n * sizeof *r->rho);
    return r;
}

/* Every set a checkpoint's best-lists hold, evaluated again on this data: the
 * stored objective must be exactly ekm_dissim_objective's (the value every
 * strategy stores), so a resumed run never reports a number it did not find. */
static ekm_status check_best_lists(const ekm_job *job, const ekm_checkpoint *ck,
                                   ekm_error *err)
{
    unsigned k = job->opt.k;
    for (uint32_t s = 0; s < ck->n_stages; s++) {
        const ekm__best *b = &ck->stages[s].best;
        if (ck->stages[s].done > ck->stages[s].pruned && !b->len)
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "the checkpoint's stage %u evaluated K-subsets but holds no "
                                 "best one", s);
        for (size_t i = 0; i < b->len; i++) {
            const uint32_t *set = b->sets + i * k;
            for (unsigned j = 0; j < k; j++)
                if (set[j] >= job->plan->n || (j && set[j] <= set[j - 1]))
                    return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                         "the checkpoint holds an invalid medoid set");
            double v = ekm_dissim_objective(job->dm, set, k);
            if (v != b->value[i])
                return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                     "the checkpoint's objective %.17g for medoid set %u... is "
                                     "not that set's objective on this data (%.17g)",
                                     b->value[i], set[0], v);
        }
    }
    return EKM_OK;
}

/* A pruned root closes the children after its last task at once: their bound
 * must exceed the threshold of the best objective the checkpoint holds (it
 * did when the root was made, against a higher or equal incumbent). */
static ekm_status check_root_tasks(const ekm_job *job, const ekm_checkpoint *ck, ekm_error *err)
{
    const ekm__ck_root *r = &ck->root;
    unsigned k = job->opt.k;
    uint32_t n = r->n;
    if (r->tasks >= n - k + 1)
        return EKM_OK;
    double inc = INFINITY;
    for (uint32_t s = 0; s < ck->n_stages; s++) {
        double m = ekm__best_min(&ck->stages[s].best);
        inc = m < inc ? m : inc;
    }
    double b = r->base;
    for (unsigned t = 0; t < k; t++)
        b += r->rho[r->tasks + t];
    ekm__pdata pd = {.n = n, .k = k, .scale = ekm_dissim_float_scale(job->dm),
                     .abs_err = ekm_dissim_float_abs_err(job->dm)};
    if (!isfinite(inc) || !(b > ekm__prune_threshold(&pd, inc, r->margin)))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint's pruned root closes children its bound does not "
                             "exclude");
    return EKM_OK;
}

/* Take over a checkpoint's finished work (before any thread starts). */
static ekm_status restore(ekm_job *job, const ekm_checkpoint *ck, ekm_error *err)
{
    ekm_status st = ekm_checkpoint_check(ck, job->dm, &job->ck_opt, err);
    if (!st)
        st = check_best_lists(job, ck, err);
    if (!st && ck->has_root)
        st = check_root_tasks(job, ck, err);
    const char *why = !st && ck->has_root ? ekm__root_verify(job, &ck->root) : NULL;
    if (why)
        st = ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "the checkpoint: %s", why);
    if (st)
        return st;
    int ns = job->plan->n_stages;
    if (ck->n_stages != (uint32_t)ns)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint's plan has %u stages, this one %d", ck->n_stages, ns);
    for (int s = 0; s < ns; s++) {
        const ekm_stage_spec *sp = &job->plan->stages[s];
        const ekm__ck_stage *cs = &ck->stages[s];
        if (cs->kind != (uint32_t)sp->kind || cs->lo != sp->lo || cs->mid != sp->mid ||
            cs->hi != sp->hi || cs->done > sp->total)
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "the checkpoint's stage %d differs from this plan's", s);
    }
    if (job->opt.strategy == EKM_STRATEGY_PRUNED) {
        if (ck->has_root) {
            if (ck->root.n != job->plan->n)
                return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "bad checkpoint root");
            job->root = root_copy(&ck->root);
            job->unit_state = calloc(ck->root.tasks ? ck->root.tasks : 1, 1);
            if (!job->root || !job->unit_state)
                return nomem(err);
            job->n_units = ck->root.tasks;
        }
    } else if (ck->n_units != job->n_units) {
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint has %llu work units, this plan %llu",
                             (unsigned long long)ck->n_units, (unsigned long long)job->n_units);
    }
    if (ck->n_units != job->n_units)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "the checkpoint's units differ");
    for (uint64_t u = 0; u < job->n_units; u++)
        if (ck->done[u])
            job->unit_state[u] = EKM__UNIT_RESTORED;
    for (int s = 0; s < ns; s++) {
        const ekm__ck_stage *cs = &ck->stages[s];
        uint64_t lump = s == 0 && job->root ? job->root->lump : 0; /* shown as the stage's */
        job->ck_done[s] = cs->done;
        job->ck_pruned[s] = cs->pruned;
        atomic_store(&job->st[s].done, cs->done + lump);
        atomic_store(&job->st[s].pruned, cs->pruned + lump);
        if (ekm__best_merge(&job->st[s].best, &cs->best))
            return nomem(err);
    }
    job->resumed_seconds = ck->seconds;
    job->resumed_done = ekm_checkpoint_done(ck);
    unit_range_clamp(job);
    atomic_store(&job->next_unit, job->run_lo);
    return EKM_OK;
}

ekm_status ekm_job_checkpoint(ekm_job *job, int what, ekm_checkpoint **out, ekm_error *err)
{
    *out = NULL;
    if (!ekm_strategy_is_exact(job->opt.strategy))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "a %s job has no checkpoint (heuristics restart cheaply)",
                             ekm_strategy_name(job->opt.strategy));
    int ns = job->plan->n_stages;
    unsigned k = job->opt.k;
    pthread_mutex_lock(&job->commit_lock);
    ekm_checkpoint *ck = ekm__ck_new((uint32_t)ns, job->n_units, k);
    int bad = !ck;
    if (ck) {
        ck->fingerprint = job->fingerprint;
        ck->n = job->plan->n;
        ck->metric = (uint32_t)ekm_dissim_metric(job->dm);
        ck->opt = job->ck_opt;
        ck->opt.threads = job->nthreads;
        ck->total = job->plan->total;
        for (uint64_t u = 0; u < job->n_units; u++)
            ck->done[u] = job->unit_state[u] == EKM__UNIT_FINISHED ||
                          (what == EKM_CKPT_ALL && job->unit_state[u] == EKM__UNIT_RESTORED);
        for (int s = 0; s < ns && !bad; s++) {
            const ekm_stage_spec *sp = &job->plan->stages[s];
            ekm__ck_stage *cs = &ck->stages[s];
            cs->kind = (uint32_t)sp->kind;
            cs->lo = sp->lo;
            cs->mid = sp->mid;
            cs->hi = sp->hi;
            cs->done = what == EKM_CKPT_NEW_ONLY ? job->new_done[s] : job->ck_done[s];
            cs->pruned = what == EKM_CKPT_NEW_ONLY ? job->new_pruned[s] : job->ck_pruned[s];
            pthread_mutex_lock(&job->st[s].lock);
            bad = ekm__best_merge(&cs->best, &job->st[s].best) != 0;
            pthread_mutex_unlock(&job->st[s].lock);
        }
        if (!bad && job->root) {
            ekm__ck_root *r = root_copy(job->root);
            if (r) {
                ck->root = *r;
                ck->has_root = 1;
                free(r);
            } else {
                bad = 1;
            }
        }
        long long end = atomic_load(&job->end_ns);
        ck->seconds = (what == EKM_CKPT_ALL ? job->resumed_seconds : 0.0) +
                      (double)(end >= 0 ? end : ekm__job_ns(job)) * 1e-9;
    }
    pthread_mutex_unlock(&job->commit_lock);
    if (bad) {
        ekm_checkpoint_free(ck);
        return nomem(err);
    }
    *out = ck;
    return EKM_OK;
}

ekm_status ekm_plan_units(size_t n, unsigned k, const ekm_solve_options *opt, uint64_t *units,
                          uint64_t *first, int max_stages, int *n_stages, ekm_error *err)
{
    if (!ekm_strategy_is_exact(opt->strategy) || opt->strategy == EKM_STRATEGY_PRUNED)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "%s has no work units before it runs",
                             ekm_strategy_name(opt->strategy));
    ekm_plan_options po = {.strategy = opt->strategy,
                           .threads = opt->threads ? opt->threads : ekm_cpu_count(),
                           .partitions = opt->partitions, .leaf = opt->leaf};
    ekm_plan *plan;
    ekm_status st = ekm_plan_build(n, k, &po, &plan, err);
    if (st)
        return st;
    if (plan->n_stages > max_stages) {
        ekm_plan_destroy(plan);
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "more than %d stages", max_stages);
    }
    uint64_t grain = ekm__units_grain((uint32_t)n, k), at = 0;
    for (int s = 0; s < plan->n_stages && !st; s++) {
        ekm__units u;
        ekm__range r = stage_range(&plan->stages[s]);
        if (ekm__units_init(&u, &r, k, grain))
            st = nomem(err);
        first[s] = at;
        at += u.count;
        ekm__units_free(&u);
    }
    first[plan->n_stages] = at;
    *units = at;
    *n_stages = plan->n_stages;
    ekm_plan_destroy(plan);
    return st;
}

static ekm_status build_result(ekm_job *job, const uint32_t *medoids, ekm_result **out)
{
    unsigned k = job->opt.k;
    size_t n = job->plan->n;
    ekm_result *r = calloc(1, sizeof *r);
    if (!r)
        return EKM_ERR_NOMEM;
    r->medoids = malloc(k * sizeof *r->medoids);
    r->cluster = malloc(n * sizeof *r->cluster);
    r->cluster_size = malloc(k * sizeof *r->cluster_size);
    r->cluster_cost = malloc(k * sizeof *r->cluster_cost);
    r->stages = calloc((size_t)job->plan->n_stages, sizeof *r->stages);
    if (!r->medoids || !r->cluster || !r->cluster_size || !r->cluster_cost || !r->stages) {
        ekm_result_free(r);
        return EKM_ERR_NOMEM;
    }
    memcpy(r->medoids, medoids, k * sizeof *medoids);
    for (unsigned i = 1; i < k; i++) /* ascending (heuristics may return any order) */
        for (unsigned j = i; j > 0 && r->medoids[j - 1] > r->medoids[j]; j--) {
            uint32_t t = r->medoids[j];
            r->medoids[j] = r->medoids[j - 1];
            r->medoids[j - 1] = t;
        }
    r->strategy = job->opt.strategy;
    r->metric = ekm_dissim_metric(job->dm);
    r->n = n;
    r->k = k;
    r->threads = job->nthreads;
    r->exact = ekm_strategy_is_exact(job->opt.strategy) && !job->partial;
    r->objective =
        ekm_dissim_assign(job->dm, r->medoids, k, r->cluster, r->cluster_size, r->cluster_cost);
    r->total = job->plan->total;
    r->n_stages = job->plan->n_stages;
    for (int s = 0; s < r->n_stages; s++) {
        fill_stage_progress(job, s, &r->stages[s]);
        r->evaluated += r->stages[s].done - r->stages[s].pruned;
        r->pruned += r->stages[s].pruned;
    }
    r->amdahl_bound = job->plan->amdahl_bound;
    r->makespan = job->plan->makespan;
    r->critical_path = job->plan->critical_path;
    long long inc = atomic_load(&job->incumbent_ns);
    r->incumbent_seconds = inc > 0 ? (double)inc * 1e-9 : 0.0;
    *out = r;
    return EKM_OK;
}

/* ---- the coordinator ----------------------------------------------------------- */

static ekm_status run_exact(ekm_job *job);

/* Run the job's single shared stage with fused workers (used by prune.c too). */
ekm_status ekm__fused_run(ekm_job *job) { return run_exact(job); }

static ekm_status run_exact(ekm_job *job)
{
    pthread_t *tids = calloc(job->nthreads, sizeof *tids);
    worker_arg *args = calloc(job->nthreads, sizeof *args);
    if (!tids || !args) {
        free(tids);
        free(args);
        return EKM_ERR_NOMEM;
    }
    int fused = !ekm_strategy_is_staged(job->opt.strategy);
    if (fused) {
        atomic_store(&job->st[0].thread, -1);
        atomic_store(&job->st[0].start_ns, ekm__job_ns(job));
        set_state_forward(&job->st[0].state, EKM_RUN_RUNNING);
    }
    unsigned started = 0;
    for (unsigned t = 0; t < job->nthreads; t++) {
        args[t] = (worker_arg){job, (int)t};
        if (pthread_create(&tids[t], NULL, fused ? fused_worker : staged_worker, &args[t]))
            break;
        started++;
    }
    if (!started)
        atomic_store(&job->nomem, 1);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    free(args);
    if (fused) {
        atomic_store(&job->st[0].end_ns, ekm__job_ns(job));
        int ok = !atomic_load(&job->cancel) && !atomic_load(&job->nomem);
        set_state_forward(&job->st[0].state, ok ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
    }
    if (atomic_load(&job->nomem))
        return EKM_ERR_NOMEM;
    if (atomic_load(&job->cancel))
        return EKM_ERR_CANCELLED;
    return EKM_OK;
}

static ekm_status finish_exact(ekm_job *job)
{
    ekm__best all;
    ekm__best_init(&all, job->opt.k);
    ekm_status st = EKM_OK;
    for (int s = 0; s < job->plan->n_stages && !st; s++) {
        pthread_mutex_lock(&job->st[s].lock);
        if (ekm__best_merge(&all, &job->st[s].best))
            st = EKM_ERR_NOMEM;
        pthread_mutex_unlock(&job->st[s].lock);
    }
    const uint32_t *set = st ? NULL : ekm__best_answer(&all, NULL);
    if (!st && !set && job->partial) { /* a unit range without a set: nothing to show */
        ekm__best_free(&all);
        return EKM_OK;
    }
    if (!st && !set)
        st = ekm_error_set(&job->error, EKM_ERR_STATE, NULL, 0, 0, "no K-subset was evaluated");
    uint64_t closed = 0;
    for (int s = 0; s < job->plan->n_stages; s++)
        closed += atomic_load(&job->st[s].done);
    if (!st && !job->partial && closed != job->plan->total) /* never call a gap optimal */
        st = ekm_error_set(&job->error, EKM_ERR_STATE, NULL, 0, 0,
                           "internal error: %llu of %llu K-subsets were closed; no optimum "
                           "is claimed",
                           (unsigned long long)closed, (unsigned long long)job->plan->total);
    if (!st)
        st = build_result(job, set, &job->result);
    ekm__best_free(&all);
    return st;
}

/* A cancelled exact job: its best set so far as a result marked stopped (not
 * proven optimal), when it had evaluated one. */
static void keep_best_so_far(ekm_job *job)
{
    ekm__best all;
    ekm__best_init(&all, job->opt.k);
    int bad = 0;
    for (int s = 0; s < job->plan->n_stages && !bad; s++) {
        pthread_mutex_lock(&job->st[s].lock);
        bad = ekm__best_merge(&all, &job->st[s].best) != 0;
        pthread_mutex_unlock(&job->st[s].lock);
    }
    const uint32_t *set = bad ? NULL : ekm__best_answer(&all, NULL);
    if (set && build_result(job, set, &job->best_so_far) == EKM_OK) {
        job->best_so_far->exact = 0;
        job->best_so_far->stopped = 1;
    }
    ekm__best_free(&all);
}

static ekm_status run_heuristic(ekm_job *job)
{
    uint32_t *medoids = malloc(job->opt.k * sizeof *medoids);
    if (!medoids)
        return EKM_ERR_NOMEM;
    ekm__stage_rt *st = &job->st[0];
    atomic_store(&st->thread, 0);
    atomic_store(&st->start_ns, ekm__job_ns(job));
    set_state_forward(&st->state, EKM_RUN_RUNNING);
    atomic_store(&job->th[0].busy, 1);
    ekm_heuristic_options ho = {.k = job->opt.k, .seed = job->opt.seed,
                                .restarts = job->opt.restarts, .cancel = &job->cancel};
    double obj = 0;
    ekm_status rc = ekm_heuristic_run(job->dm, job->opt.strategy, &ho, medoids, &obj, NULL,
                                      &job->error);
    atomic_store(&job->th[0].busy, 0);
    atomic_store(&job->th[0].busy_ns, ekm__job_ns(job));
    atomic_store(&st->end_ns, ekm__job_ns(job));
    set_state_forward(&st->state, rc == EKM_OK ? EKM_RUN_DONE : EKM_RUN_CANCELLED);
    if (rc == EKM_OK) {
        pthread_mutex_lock(&st->lock);
        ekm__best_clear(&st->best);
        if (job->opt.k <= EKM_MAX_K) {
            uint32_t sorted[EKM_MAX_K];
            memcpy(sorted, medoids, job->opt.k * sizeof *medoids);
            ekm__best_offer_next(&st->best, obj, sorted);
        }
        pthread_mutex_unlock(&st->lock);
        rc = build_result(job, medoids, &job->result);
    }
    free(medoids);
    return rc;
}

static void *coordinator(void *p)
{
    ekm_job *job = p;
    atomic_store(&job->state, EKM_RUN_RUNNING);
    ekm_status st;
    if (job->opt.strategy == EKM_STRATEGY_PRUNED) {
        st = ekm__pruned_run(job);
        if (st == EKM_OK)
            st = finish_exact(job);
    } else if (ekm_strategy_is_exact(job->opt.strategy)) {
        st = run_exact(job);
        if (st == EKM_OK)
            st = finish_exact(job);
    } else {
        st = run_heuristic(job);
    }
    /* stamped under job->lock, as snapshots read it: elapsed never goes back */
    pthread_mutex_lock(&job->lock);
    long long end = ekm__job_ns(job);
    atomic_store(&job->end_ns, end);
    pthread_mutex_unlock(&job->lock);
    for (int s = 0; s < job->plan->n_stages; s++) /* stages never started */
        if (atomic_load(&job->st[s].state) == EKM_RUN_WAITING)
            set_state_forward(&job->st[s].state, EKM_RUN_CANCELLED);
    if (st == EKM_ERR_CANCELLED && ekm_strategy_is_exact(job->opt.strategy))
        keep_best_so_far(job);
    if (job->result)
        job->result->seconds = (double)end * 1e-9;
    if (job->best_so_far)
        job->best_so_far->seconds = (double)end * 1e-9;
    if (st == EKM_ERR_CANCELLED)
        ekm_error_set(&job->error, st, NULL, 0, 0, "cancelled after %.3f s", (double)end * 1e-9);
    else if (st == EKM_ERR_NOMEM)
        ekm_error_set(&job->error, st, NULL, 0, 0, "out of memory");
    pthread_mutex_lock(&job->lock);
    job->status = st;
    job->finished = 1;
    atomic_store(&job->state, st == EKM_OK ? EKM_RUN_DONE
                              : st == EKM_ERR_CANCELLED ? EKM_RUN_CANCELLED : EKM_RUN_FAILED);
    pthread_cond_broadcast(&job->done_cond);
    pthread_mutex_unlock(&job->lock);
    char byte = 1;
    while (write(job->pipefd[1], &byte, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

/* ---- public API ---------------------------------------------------------------- */

/* Zeroed memory for arrays of cache-line-aligned structs (calloc aligns to 16 only). */
static void *aligned_calloc(size_t align, size_t count, size_t size)
{
    size_t bytes = count * size;
    bytes = (bytes + align - 1) / align * align;
    void *p = aligned_alloc(align, bytes ? bytes : align);
    if (p)
        memset(p, 0, bytes ? bytes : align);
    return p;
}

static void job_free(ekm_job *job)
{
    if (job->st)
        for (int s = 0; s < job->plan->n_stages; s++) {
            pthread_mutex_destroy(&job->st[s].lock);
            ekm__best_free(&job->st[s].best);
        }
    free(job->st);
    free(job->th);
    if (job->units)
        for (int s = 0; s < job->plan->n_stages; s++)
            ekm__units_free(&job->units[s]);
    free(job->units);
    free(job->unit_first);
    free(job->unit_state);
    free(job->ck_done);
    free(job->ck_pruned);
    free(job->new_done);
    free(job->new_pruned);
    ekm__ck_root_delete(job->root);
    pthread_mutex_destroy(&job->commit_lock);
    ekm_plan_destroy(job->plan);
    ekm_result_free(job->result);
    ekm_result_free(job->best_so_far);
    if (job->pipefd[0] >= 0)
        close(job->pipefd[0]);
    if (job->pipefd[1] >= 0)
        close(job->pipefd[1]);
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->cond);
    pthread_cond_destroy(&job->done_cond);
    ekm_dissim_release(job->dm);
    free(job);
}

ekm_status ekm_job_start(ekm_dissim *dm, const ekm_solve_options *opt, ekm_job **out,
                         ekm_error *err)
{
    *out = NULL;
    size_t n = ekm_dissim_n(dm);
    const char *name = ekm_dissim_name(dm);
    if ((unsigned)opt->strategy >= EKM_STRATEGY_COUNT)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "unknown strategy");
    if (opt->k == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "K must be at least 1");
    if (opt->k > n)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0,
                             "K=%u exceeds the number of points N=%zu", opt->k, n);
    if (opt->k > EKM_MAX_K)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "K=%u: at most %d medoids",
                             opt->k, EKM_MAX_K);
    unsigned threads = opt->threads ? opt->threads : ekm_cpu_count();
    if (threads > EKM_MAX_THREADS)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "threads must be between 1 and %d, not %u", EKM_MAX_THREADS, threads);
    ekm_plan_options po = {.strategy = opt->strategy, .threads = threads,
                           .partitions = opt->partitions, .leaf = opt->leaf};
    ekm_plan *plan;
    ekm_status st = ekm_plan_build(n, opt->k, &po, &plan, err);
    if (st)
        return st;
    ekm_job *job = calloc(1, sizeof *job);
    if (!job) {
        ekm_plan_destroy(plan);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    job->pipefd[0] = job->pipefd[1] = -1;
    job->plan = plan;
    job->opt = *opt;
    job->opt.threads = threads;
    job->nthreads = ekm_strategy_is_exact(opt->strategy) ? plan->threads : 1;
    job->dm = ekm_dissim_retain(dm);
    job->kern = ekm__kernel_select();
    pthread_mutex_init(&job->lock, NULL);
    pthread_mutex_init(&job->commit_lock, NULL);
    pthread_cond_init(&job->cond, NULL);
    pthread_cond_init(&job->done_cond, NULL);
    job->st = aligned_calloc(64, (size_t)plan->n_stages, sizeof *job->st);
    job->th = aligned_calloc(64, job->nthreads, sizeof *job->th);
    if (!job->st || !job->th || pipe2(job->pipefd, O_CLOEXEC | O_NONBLOCK)) {
        if (job->st)
            for (int s = 0; s < plan->n_stages; s++)
                pthread_mutex_init(&job->st[s].lock, NULL);
        job_free(job);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of resources for a job");
    }
    for (int s = 0; s < plan->n_stages; s++) {
        ekm__stage_rt *r = &job->st[s];
        atomic_init(&r->state, EKM_RUN_WAITING);
        atomic_init(&r->thread, -1);
        atomic_init(&r->start_ns, -1);
        atomic_init(&r->end_ns, -1);
        pthread_mutex_init(&r->lock, NULL);
        ekm__best_init(&r->best, opt->k);
    }
    for (unsigned t = 0; t < job->nthreads; t++)
        atomic_init(&job->th[t].stage, -1);
    atomic_init(&job->end_ns, -1);
    st = ekm_strategy_is_exact(opt->strategy) ? setup_units(job, err) : EKM_OK;
    if (!st && opt->resume && ekm_strategy_is_exact(opt->strategy))
        st = restore(job, opt->resume, err);
    if (st) {
        job_free(job);
        return st;
    }
    job->t0 = ekm_now();
    if (pthread_create(&job->coord, NULL, coordinator, job)) {
        job_free(job);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "cannot start a thread");
    }
    job->coord_started = 1;
    *out = job;
    return EKM_OK;
}

void ekm_job_cancel(ekm_job *job)
{
    if (!job)
        return;
    atomic_store(&job->cancel, 1);
    pthread_mutex_lock(&job->lock);
    pthread_cond_broadcast(&job->cond);
    pthread_mutex_unlock(&job->lock);
}

int ekm_job_done(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    int f = job->finished;
    pthread_mutex_unlock(&job->lock);
    return f;
}

ekm_status ekm_job_wait(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    while (!job->finished)
        pthread_cond_wait(&job->done_cond, &job->lock);
    ekm_status st = job->status;
    pthread_mutex_unlock(&job->lock);
    return st;
}

int ekm_job_wait_for(ekm_job *job, double seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 + (seconds > 0 ? seconds : 0);
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    pthread_mutex_lock(&job->lock);
    while (!job->finished)
        if (pthread_cond_timedwait(&job->done_cond, &job->lock, &ts) == ETIMEDOUT)
            break;
    int f = job->finished;
    pthread_mutex_unlock(&job->lock);
    return f;
}

int ekm_job_fd(ekm_job *job) { return job->pipefd[0]; }

ekm_status ekm_job_status(ekm_job *job, ekm_error *err)
{
    pthread_mutex_lock(&job->lock);
    ekm_status st = job->finished ? job->status : EKM_OK;
    if (err) {
        if (job->finished && st)
            *err = job->error;
        else
            ekm_error_clear(err);
    }
    pthread_mutex_unlock(&job->lock);
    return st;
}

const ekm_result *ekm_job_result(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    const ekm_result *r = job->finished && job->status == EKM_OK ? job->result : NULL;
    pthread_mutex_unlock(&job->lock);
    return r;
}

ekm_result *ekm_job_take_result(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    ekm_result *r = NULL;
    if (job->finished && job->status == EKM_OK) {
        r = job->result;
        job->result = NULL;
    }
    pthread_mutex_unlock(&job->lock);
    return r;
}

ekm_result *ekm_job_take_best_so_far(ekm_job *job)
{
    pthread_mutex_lock(&job->lock);
    ekm_result *r = NULL;
    if (job->finished) {
        r = job->best_so_far;
        job->best_so_far = NULL;
    }
    pthread_mutex_unlock(&job->lock);
    return r;
}

void ekm_job_progress(ekm_job *job, ekm_progress *out)
{
    memset(out, 0, offsetof(ekm_progress, stages));
    out->state = (ekm_run_state)atomic_load(&job->state);
    out->strategy = job->opt.strategy;
    out->n = job->plan->n;
    out->k = job->opt.k;
    out->threads = job->nthreads;
    pthread_mutex_lock(&job->lock); /* see the coordinator's end stamp */
    long long end = atomic_load(&job->end_ns);
    out->elapsed = (double)(end >= 0 ? end : ekm__job_ns(job)) * 1e-9;
    pthread_mutex_unlock(&job->lock);
    out->total = job->plan->total;
    out->best = INFINITY;
    out->n_stages = job->plan->n_stages < EKM_MAX_STAGES ? job->plan->n_stages : EKM_MAX_STAGES;
    for (int s = 0; s < out->n_stages; s++) {
        ekm_stage_progress *sp = &out->stages[s];
        fill_stage_progress(job, s, sp);
        out->done += sp->done;
        out->pruned += sp->pruned;
        if (sp->best < out->best ||
            (sp->best == out->best && out->has_best &&
             ekm__combo_less(sp->best_medoids, out->best_medoids, out->k))) {
            out->best = sp->best;
            out->has_best = 1;
            memcpy(out->best_medoids, sp->best_medoids, sizeof out->best_medoids);
        }
    }
    out->evaluated = out->done - out->pruned;
    out->resumed = job->resumed_done < out->done ? job->resumed_done : out->done;
    out->n_threads = (int)(job->nthreads < EKM_MAX_THREADS ? job->nthreads : EKM_MAX_THREADS);
    for (int t = 0; t < out->n_threads; t++) {
        ekm__thread_rt *th = &job->th[t];
        out->thread[t].stage = atomic_load(&th->stage);
        out->thread[t].busy = atomic_load(&th->busy);
        out->thread[t].done = atomic_load_explicit(&th->done, memory_order_relaxed);
        out->thread[t].busy_seconds = (double)atomic_load(&th->busy_ns) * 1e-9;
        out->threads_busy += out->thread[t].busy;
    }
}

void ekm_job_destroy(ekm_job *job)
{
    if (!job)
        return;
    ekm_job_cancel(job);
    if (job->coord_started)
        pthread_join(job->coord, NULL);
    job_free(job);
}

ekm_status ekm_solve(ekm_dissim *dm, const ekm_solve_options *opt, ekm_result **out,
                     ekm_error *err)
{
    *out = NULL;
    ekm_job *job;
    ekm_status st = ekm_job_start(dm, opt, &job, err);
    if (st)
        return st;
    st = ekm_job_wait(job);
    if (st)
        ekm_job_status(job, err);
    else
        *out = ekm_job_take_result(job);
    ekm_job_destroy(job);
    return st;
}
