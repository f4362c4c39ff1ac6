/* plan.c — the strategies of the study as plans of stages, and the plan's own
 * figures: exact stage totals, critical path, Amdahl bound and the makespan of
 * the stage totals list-scheduled on T threads. */
#include "ekm/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "combo.h"

static const char *const strategy_names[EKM_STRATEGY_COUNT] = {
    "seq", "split", "par1", "par2", "tree", "fused", "pruned",
    "pam", "fasterpam", "clarans", "alternate"};

const char *ekm_strategy_name(ekm_strategy s)
{
    return (unsigned)s < EKM_STRATEGY_COUNT ? strategy_names[s] : "unknown";
}

int ekm_strategy_parse(const char *name, ekm_strategy *out)
{
    for (int i = 0; name && i < EKM_STRATEGY_COUNT; i++)
        if (strcmp(name, strategy_names[i]) == 0) {
            *out = (ekm_strategy)i;
            return 0;
        }
    return -1;
}

int ekm_strategy_is_exact(ekm_strategy s) { return s <= EKM_STRATEGY_PRUNED; }

int ekm_strategy_is_staged(ekm_strategy s)
{
    return s == EKM_STRATEGY_SEQ || s == EKM_STRATEGY_SPLIT || s == EKM_STRATEGY_PAR1 ||
           s == EKM_STRATEGY_PAR2 || s == EKM_STRATEGY_TREE;
}

const char *ekm_stage_kind_name(ekm_stage_kind kind)
{
    switch (kind) {
    case EKM_STAGE_LEAF: return "leaf";
    case EKM_STAGE_MERGE: return "merge";
    case EKM_STAGE_SHARED: return "shared";
    }
    return "unknown";
}

typedef struct builder {
    ekm_plan *plan;
    unsigned k;
} builder;

static int add_leaf(builder *b, uint32_t lo, uint32_t hi)
{
    ekm_stage_spec *s = &b->plan->stages[b->plan->n_stages];
    *s = (ekm_stage_spec){.id = b->plan->n_stages, .kind = EKM_STAGE_LEAF, .parent = -1,
                          .child = {-1, -1}, .lo = lo, .mid = hi, .hi = hi,
                          .total = ekm_count_binomial(hi - lo, b->k, NULL), .depth = 0};
    return b->plan->n_stages++;
}

static int add_merge(builder *b, int a, int c)
{
    ekm_stage_spec *sa = &b->plan->stages[a], *sc = &b->plan->stages[c];
    ekm_stage_spec *s = &b->plan->stages[b->plan->n_stages];
    uint32_t lo = sa->lo, mid = sa->hi, hi = sc->hi;
    *s = (ekm_stage_spec){.id = b->plan->n_stages, .kind = EKM_STAGE_MERGE, .parent = -1,
                          .child = {a, c}, .lo = lo, .mid = mid, .hi = hi,
                          .total = ekm_count_binomial(hi - lo, b->k, NULL) -
                                   ekm_count_binomial(mid - lo, b->k, NULL) -
                                   ekm_count_binomial(hi - mid, b->k, NULL),
                          .depth = 1 + (sa->depth > sc->depth ? sa->depth : sc->depth)};
    sa->parent = sc->parent = s->id;
    return b->plan->n_stages++;
}

/* Binary merge tree over leaves [first, first+count): adjacent pairs level by level. */
static int add_tree(builder *b, uint32_t n, unsigned parts)
{
    int level[EKM_PLAN_MAX_PARTS];
    for (unsigned i = 0; i < parts; i++) {
        uint32_t lo = (uint32_t)((uint64_t)n * i / parts), hi = (uint32_t)((uint64_t)n * (i + 1) / parts);
        level[i] = add_leaf(b, lo, hi);
    }
    unsigned count = parts;
    while (count > 1) {
        unsigned next = 0;
        for (unsigned i = 0; i + 1 < count; i += 2)
            level[next++] = add_merge(b, level[i], level[i + 1]);
        if (count % 2)
            level[next++] = level[count - 1];
        count = next;
    }
    return level[0];
}

/* The largest chunk the fused/pruned schedulers hand out: the subsets under the
 * first prefix (0,1) for K>=3, (0) for K=2, one subset for K=1. */
static ekm_count largest_chunk(size_t n, unsigned k)
{
    if (k >= 3)
        return ekm_count_binomial(n - 2, k - 2, NULL);
    if (k == 2)
        return n - 1;
    return 1;
}

/* List scheduling (the engine's own policy): the earliest free thread takes, of the
 * stages whose children have been placed, the one it can start soonest (the lowest
 * id on a tie), at max(its children's finish, the thread's free time). */
double ekm_plan_schedule(const ekm_plan *p, const double *cost, unsigned threads, int *thread,
                         double *start, double *finish)
{
    if (!p || threads == 0 || threads > EKM_PLAN_MAX_THREADS || p->n_stages <= 0)
        return -1;
    int n = p->n_stages;
    double *fin = calloc((size_t)n, sizeof *fin);
    double *free_at = calloc(threads, sizeof *free_at);
    char *started = calloc((size_t)n, 1);
    if (!fin || !free_at || !started) {
        free(fin);
        free(free_at);
        free(started);
        return -1;
    }
    double makespan = 0;
    for (int placed = 0; placed < n; placed++) {
        /* earliest free thread */
        unsigned t = 0;
        for (unsigned i = 1; i < threads; i++)
            if (free_at[i] < free_at[t])
                t = i;
        /* the lowest-id stage ready soonest: ready time = max(children finish) */
        int best = -1;
        double best_ready = 0;
        for (int s = 0; s < n; s++) {
            if (started[s])
                continue;
            const ekm_stage_spec *st = &p->stages[s];
            int ok = 1;
            double ready = 0;
            for (int c = 0; c < 2; c++)
                if (st->child[c] >= 0) {
                    if (!started[st->child[c]])
                        ok = 0;
                    else if (fin[st->child[c]] > ready)
                        ready = fin[st->child[c]];
                }
            if (!ok)
                continue;
            double eff = ready > free_at[t] ? ready : free_at[t];
            if (best < 0 || eff < best_ready) {
                best = s;
                best_ready = eff;
            }
        }
        double c = cost ? cost[best] : (double)p->stages[best].total;
        if (!(c >= 0))
            c = 0;
        started[best] = 1;
        fin[best] = best_ready + c;
        free_at[t] = fin[best];
        if (thread)
            thread[best] = (int)t;
        if (start)
            start[best] = best_ready;
        if (finish)
            finish[best] = fin[best];
        if (fin[best] > makespan)
            makespan = fin[best];
    }
    free(fin);
    free(free_at);
    free(started);
    return makespan;
}

static ekm_count critical_path(const ekm_plan *p, int s)
{
    const ekm_stage_spec *st = &p->stages[s];
    ekm_count below = 0;
    for (int c = 0; c < 2; c++)
        if (st->child[c] >= 0) {
            ekm_count v = critical_path(p, st->child[c]);
            if (v > below)
                below = v;
        }
    return below + st->total;
}

ekm_status ekm_plan_build(size_t n, unsigned k, const ekm_plan_options *opt, ekm_plan **out,
                          ekm_error *err)
{
    *out = NULL;
    if (k == 0)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0, "K must be at least 1");
    if (n < k)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "K=%u exceeds the number of points N=%zu", k, n);
    if (n > UINT32_MAX - 64)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, NULL, 0, 0, "N=%zu is too large", n);
    if (opt->threads == 0 || opt->threads > EKM_PLAN_MAX_THREADS)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "threads must be between 1 and %d, not %u", EKM_PLAN_MAX_THREADS,
                             opt->threads);
    int ov = 0;
    ekm_count total = ekm_count_binomial(n, k, &ov);
    if (ov && ekm_strategy_is_exact(opt->strategy))
        return ekm_error_set(err, EKM_ERR_TOO_BIG, NULL, 0, 0,
                             "C(%zu,%u) K-subsets do not fit in %d bits: far too many to "
                             "count exactly",
                             n, k, EKM_COUNT_BITS);
    if (!ov && total > UINT64_MAX && ekm_strategy_is_exact(opt->strategy) &&
        opt->strategy != EKM_STRATEGY_PRUNED) {
        char num[EKM_COUNT_DIGITS];
        return ekm_error_set(err, EKM_ERR_TOO_BIG, NULL, 0, 0,
                             "C(%zu,%u) = %s K-subsets do not fit in 64 bits: far too many "
                             "for %s to enumerate (pruned may close them by its bounds)",
                             n, k, ekm_count_format(total, num, sizeof num),
                             ekm_strategy_name(opt->strategy));
    }
    unsigned parts = 1;
    switch (opt->strategy) {
    case EKM_STRATEGY_SPLIT:
    case EKM_STRATEGY_PAR1: parts = 2; break;
    case EKM_STRATEGY_PAR2: parts = 4; break;
    case EKM_STRATEGY_TREE:
        if (opt->partitions)
            parts = opt->partitions;
        else if (opt->leaf)
            parts = (unsigned)((n + opt->leaf - 1) / opt->leaf);
        else { /* none given: 2 per thread, capped to what a tree plan can take */
            parts = 2 * opt->threads;
            if (parts > EKM_PLAN_MAX_PARTS)
                parts = EKM_PLAN_MAX_PARTS;
            if (parts > n)
                parts = (unsigned)n;
        }
        if (parts < 1 || parts > EKM_PLAN_MAX_PARTS)
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "a tree plan takes 1 to %d partitions, not %u",
                                 EKM_PLAN_MAX_PARTS, parts);
        break;
    default: break;
    }
    if (parts > n)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "%u partitions need at least %u points, N=%zu", parts, parts, n);
    ekm_plan *p = calloc(1, sizeof *p);
    if (p)
        p->stages = calloc(2 * (size_t)parts, sizeof *p->stages);
    if (!p || !p->stages) {
        free(p);
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    p->strategy = opt->strategy;
    p->n = n;
    p->k = k;
    p->threads = opt->strategy == EKM_STRATEGY_SPLIT || opt->strategy == EKM_STRATEGY_SEQ
                     ? 1 : opt->threads;
    p->total = ov ? 0 : total;
    builder b = {p, k};
    if (ekm_strategy_is_staged(opt->strategy)) {
        add_tree(&b, (uint32_t)n, parts);
        p->critical_path = critical_path(p, p->n_stages - 1);
        p->makespan = ekm_plan_schedule(p, NULL, p->threads, NULL, NULL, NULL);
        if (p->makespan < 0) /* out of memory: no schedule, the serial time */
            p->makespan = (double)p->total;
    } else {
        p->stages[0] = (ekm_stage_spec){.id = 0, .kind = EKM_STAGE_SHARED, .parent = -1,
                                        .child = {-1, -1}, .lo = 0, .mid = (uint32_t)n,
                                        .hi = (uint32_t)n, .total = p->total};
        p->n_stages = 1;
        ekm_count chunk = ekm_strategy_is_exact(opt->strategy) ? largest_chunk(n, k) : p->total;
        p->critical_path = chunk < p->total ? chunk : p->total;
        double even = (double)p->total / p->threads;
        p->makespan = even > (double)p->critical_path ? even : (double)p->critical_path;
    }
    /* the best speedup the plan allows on its threads: no more than one thread
     * each, and never shorter than its heaviest chain of stages */
    p->amdahl_bound = p->critical_path ? (double)p->total / (double)p->critical_path : 1.0;
    if (p->amdahl_bound > (double)p->threads)
        p->amdahl_bound = (double)p->threads;
    p->predicted_speedup = p->makespan > 0 ? (double)p->total / p->makespan : 1.0;
    *out = p;
    return EKM_OK;
}

void ekm_plan_free(ekm_plan *plan)
{
    if (!plan)
        return;
    free(plan->stages);
    free(plan);
}

/* Exact, overflow checked (ekm_count_binomial, narrowed to 64 bits). */
uint64_t ekm_binomial(uint64_t n, uint64_t k, int *overflow)
{
    int ov = 0;
    ekm_count r = ekm_count_binomial(n, k, &ov);
    if (ov || r > UINT64_MAX) {
        if (overflow)
            *overflow = 1;
        return 0;
    }
    if (overflow)
        *overflow = 0;
    return (uint64_t)r;
}
