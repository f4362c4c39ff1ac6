/* checkpoint.c — checkpoints as values: accessors, checks against a dataset and
 * options, merge (see checkpoint.h; the file format is in checkpoint_file.c). */
#include "checkpoint_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/plan.h"

/* ---- values ------------------------------------------------------------------- */

ekm_checkpoint *ekm__ck_new(uint32_t n_stages, uint64_t n_units, unsigned k)
{
    ekm_checkpoint *ck = calloc(1, sizeof *ck);
    if (!ck)
        return NULL;
    ck->n_stages = n_stages;
    ck->n_units = n_units;
    ck->stages = calloc(n_stages ? n_stages : 1, sizeof *ck->stages);
    ck->done = calloc(n_units ? n_units : 1, 1);
    if (!ck->stages || !ck->done) {
        free(ck->stages);
        free(ck->done);
        free(ck);
        return NULL;
    }
    for (uint32_t s = 0; s < n_stages; s++)
        ekm__best_init(&ck->stages[s].best, k);
    return ck;
}

void ekm_checkpoint_free(ekm_checkpoint *ck)
{
    if (!ck)
        return;
    for (uint32_t s = 0; s < ck->n_stages; s++)
        ekm__best_free(&ck->stages[s].best);
    free(ck->stages);
    free(ck->done);
    ekm__ck_root_clear(&ck->root);
    free(ck->note);
    free(ck);
}

ekm_solve_options ekm_checkpoint_options(const ekm_checkpoint *ck) { return ck->opt; }
uint64_t ekm_checkpoint_units(const ekm_checkpoint *ck) { return ck->n_units; }
ekm_count ekm_checkpoint_total(const ekm_checkpoint *ck) { return ck->total; }
double ekm_checkpoint_seconds(const ekm_checkpoint *ck) { return ck->seconds; }
size_t ekm_checkpoint_n(const ekm_checkpoint *ck) { return (size_t)ck->n; }
uint64_t ekm_checkpoint_fingerprint(const ekm_checkpoint *ck) { return ck->fingerprint; }
const char *ekm_checkpoint_note(const ekm_checkpoint *ck) { return ck->note; }

uint64_t ekm_checkpoint_units_done(const ekm_checkpoint *ck)
{
    uint64_t c = 0;
    for (uint64_t u = 0; u < ck->n_units; u++)
        c += ck->done[u] != 0;
    return c;
}

ekm_count ekm_checkpoint_done(const ekm_checkpoint *ck)
{
    ekm_count c = ck->has_root ? ck->root.lump : 0;
    for (uint32_t s = 0; s < ck->n_stages; s++)
        c += ck->stages[s].done;
    return c;
}

int ekm_checkpoint_best(const ekm_checkpoint *ck, double *objective, uint32_t *medoids)
{
    ekm__best all;
    ekm__best_init(&all, ck->opt.k);
    int ok = 1;
    for (uint32_t s = 0; s < ck->n_stages && ok; s++)
        ok = ekm__best_merge(&all, &ck->stages[s].best) == 0;
    double v = INFINITY;
    const uint32_t *set = ok ? ekm__best_answer(&all, &v) : NULL;
    if (set) {
        if (objective)
            *objective = v;
        if (medoids)
            memcpy(medoids, set, ck->opt.k * sizeof *set);
    }
    ekm__best_free(&all);
    return set != NULL;
}

ekm_status ekm_checkpoint_set_note(ekm_checkpoint *ck, const char *note)
{
    char *copy = NULL;
    if (note && !(copy = strdup(note)))
        return EKM_ERR_NOMEM;
    free(ck->note);
    ck->note = copy;
    return EKM_OK;
}

/* ---- checks -------------------------------------------------------------------- */

static int same_plan_options(const ekm_solve_options *a, const ekm_solve_options *b)
{
    return a->k == b->k && a->strategy == b->strategy && a->partitions == b->partitions &&
           a->leaf == b->leaf;
}

static void describe_options(char *buf, size_t size, const ekm_solve_options *o)
{
    int w = snprintf(buf, size, "K=%u, strategy %s", o->k, ekm_strategy_name(o->strategy));
    if (o->strategy == EKM_STRATEGY_TREE && w > 0 && (size_t)w < size)
        snprintf(buf + w, size - (size_t)w, o->leaf && !o->partitions ? ", leaf %u" : ", %u partitions",
                 o->leaf && !o->partitions ? o->leaf : o->partitions);
}

ekm_status ekm_checkpoint_check(const ekm_checkpoint *ck, const ekm_dissim *dm,
                                const ekm_solve_options *opt, ekm_error *err)
{
    size_t n = ekm_dissim_n(dm);
    uint64_t fp = ekm_dissim_fingerprint(dm);
    if (ck->n != n || ck->fingerprint != fp)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint is for another dataset (N=%llu, fingerprint %016llx; "
                             "this one: N=%zu, fingerprint %016llx)",
                             (unsigned long long)ck->n, (unsigned long long)ck->fingerprint, n,
                             (unsigned long long)fp);
    if (ck->metric != (uint32_t)ekm_dissim_metric(dm))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint was made with the %s metric, not %s",
                             ekm_metric_name((ekm_metric)ck->metric),
                             ekm_metric_name(ekm_dissim_metric(dm)));
    if (!same_plan_options(&ck->opt, opt)) {
        char a[128], b[128];
        describe_options(a, sizeof a, &ck->opt);
        describe_options(b, sizeof b, opt);
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "the checkpoint was made with %s, not %s", a, b);
    }
    return EKM_OK;
}

/* ---- merge --------------------------------------------------------------------- */

static int same_root(const ekm__ck_root *a, const ekm__ck_root *b)
{
    return a->n == b->n && a->tasks == b->tasks && a->base == b->base && a->lump == b->lump &&
           !memcmp(a->cand, b->cand, a->n * sizeof *a->cand) &&
           !memcmp(a->lam, b->lam, a->n * sizeof *a->lam);
}

ekm_status ekm_checkpoint_merge(ekm_checkpoint *dst, const ekm_checkpoint *src, ekm_error *err)
{
    if (dst->n != src->n || dst->fingerprint != src->fingerprint || dst->metric != src->metric ||
        !same_plan_options(&dst->opt, &src->opt))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "cannot merge checkpoints of different datasets or options");
    if (dst->n_stages != src->n_stages || dst->has_root != src->has_root ||
        (dst->has_root && !same_root(&dst->root, &src->root)) || dst->n_units != src->n_units)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "cannot merge checkpoints of different plans or roots");
    for (uint64_t u = 0; u < src->n_units; u++)
        if (src->done[u] && dst->done[u])
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "cannot merge: unit %llu was finished in both",
                                 (unsigned long long)u);
    for (uint32_t s = 0; s < dst->n_stages; s++)
        if (ekm__best_merge(&dst->stages[s].best, &src->stages[s].best))
            return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (uint64_t u = 0; u < src->n_units; u++)
        dst->done[u] |= src->done[u];
    for (uint32_t s = 0; s < dst->n_stages; s++) {
        dst->stages[s].done += src->stages[s].done;
        dst->stages[s].pruned += src->stages[s].pruned;
    }
    dst->seconds += src->seconds;
    return EKM_OK;
}

