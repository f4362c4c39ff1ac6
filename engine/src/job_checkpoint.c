/* job_checkpoint.c — a job's checkpoint side: the work units of a plan, a
 * checkpoint taken from a running job, and a resume checked against the data
 * before any thread starts (checkpoint.h). */
#include "job_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint_internal.h"
#include "ekm/advanced.h"
#include "prune_bound.h"

/* The options a checkpoint records: the plan's own parameters made explicit (a
 * tree's default leaf count depends on the threads), the rest cleared. */
static ekm_solve_options checkpoint_options(const ekm_job *job)
{
    ekm_solve_options o = job->opt;
    o.resume = NULL;
    o.unit_lo = o.unit_hi = 0;
    o.root_only = 0;
    o.rho_pass = NULL;
    o.rho_pass_ctx = NULL;
    o.certificate = 0;
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


ekm_status ekm__job_setup_units(ekm_job *job, ekm_error *err)
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
            ekm__range r = ekm__stage_range(&job->plan->stages[s]);
            if (ekm__units_init(&job->units[s], &r, job->opt.k, grain))
                return nomem(err);
            job->unit_first[s + 1] = job->unit_first[s] + job->units[s].count;
        }
        job->n_units = job->unit_first[ns];
        job->unit_state = calloc(job->n_units ? job->n_units : 1, 1);
        if (!job->unit_state)
            return nomem(err);
    }
    ekm__job_unit_range_clamp(job);
    atomic_init(&job->next_unit, job->run_lo);
    return EKM_OK;
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

ekm_status ekm__job_restore(ekm_job *job, const ekm_checkpoint *ck, ekm_error *err)
{
    ekm_status st = ekm_checkpoint_check(ck, job->dm, &job->ck_opt, err);
    if (!st)
        st = check_best_lists(job, ck, err);
    if (!st && ck->has_root)
        st = check_root_tasks(job, ck, err);
    int checked = ck->root_checked && ck->root_checked_fp == ekm_dissim_fingerprint(job->dm);
    const char *why = !st && ck->has_root && !checked ? ekm__root_verify(job->dm, &ck->root, 1)
                                                      : NULL;
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
            job->root = ekm__ck_root_copy(&ck->root);
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
        ekm_count lump = s == 0 && job->root ? job->root->lump : 0; /* shown as the stage's */
        job->ck_done[s] = cs->done;
        job->ck_pruned[s] = cs->pruned;
        ekm__acount_set(&job->st[s].done, cs->done + lump);
        ekm__acount_set(&job->st[s].pruned, cs->pruned + lump);
        if (ekm__best_merge(&job->st[s].best, &cs->best))
            return nomem(err);
    }
    job->resumed_seconds = ck->seconds;
    job->resumed_done = ekm_checkpoint_done(ck);
    ekm__job_unit_range_clamp(job);
    atomic_store(&job->next_unit, job->run_lo);
    return EKM_OK;
}

ekm_status ekm_job_checkpoint(ekm_job *job, ekm_checkpoint_scope what, ekm_checkpoint **out, ekm_error *err)
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
            ekm__ck_root *r = ekm__ck_root_copy(job->root);
            if (r) {
                ck->root = *r;
                ck->has_root = 1;
                ck->root_checked = 1; /* this job's own root, on this data */
                ck->root_checked_fp = job->fingerprint;
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
    ekm_solve_options o = *opt;
    o.k = k;
    ekm_plan *plan;
    ekm_status st = ekm_solve_plan(n, &o, &plan, err);
    if (st)
        return st;
    if (plan->n_stages > max_stages) {
        ekm_plan_free(plan);
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "more than %d stages", max_stages);
    }
    uint64_t grain = ekm__units_grain((uint32_t)n, k), at = 0;
    for (int s = 0; s < plan->n_stages && !st; s++) {
        ekm__units u;
        ekm__range r = ekm__stage_range(&plan->stages[s]);
        if (ekm__units_init(&u, &r, k, grain))
            st = nomem(err);
        first[s] = at;
        at += u.count;
        ekm__units_free(&u);
    }
    first[plan->n_stages] = at;
    *units = at;
    *n_stages = plan->n_stages;
    ekm_plan_free(plan);
    return st;
}

ekm_status ekm_checkpoint_verify(ekm_checkpoint *ck, const ekm_dissim *dm, unsigned threads,
                                 ekm_error *err)
{
    if (ck->fingerprint != ekm_dissim_fingerprint(dm) || ck->n != ekm_dissim_n(dm))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint was made on other data than %s",
                             ekm_dissim_name(dm));
    if (!ck->has_root)
        return EKM_OK;
    const char *why = ekm__root_verify(dm, &ck->root, threads);
    if (why)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "the checkpoint: %s", why);
    ck->root_checked = 1;
    ck->root_checked_fp = ekm_dissim_fingerprint(dm);
    return EKM_OK;
}
