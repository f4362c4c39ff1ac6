/* prune_search.c — the depth-first branch and bound of one thread; see
 * prune_search.h. Everything here is owned by the calling thread except the
 * shared incumbent (an atomic) and the progress counters (count_atomic.h). */
#include "prune_search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "combo.h"
#include "ekm/plan.h"

enum { PUBLISH_EVERY = 1 << 14 };

double ekm__incumbent_get(const ekm__shared_incumbent *inc)
{
    uint64_t b = atomic_load_explicit(&inc->bits, memory_order_relaxed);
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

int ekm__incumbent_lower(ekm__shared_incumbent *inc, double v)
{
    uint64_t nb;
    memcpy(&nb, &v, sizeof nb);
    uint64_t cur = atomic_load_explicit(&inc->bits, memory_order_relaxed);
    for (;;) {
        double c;
        memcpy(&c, &cur, sizeof c);
        if (!(v < c))
            return 0;
        if (atomic_compare_exchange_weak_explicit(&inc->bits, &cur, nb, memory_order_relaxed,
                                                  memory_order_relaxed))
            return 1;
    }
}

int ekm__searcher_init(ekm__searcher *s, const ekm__pdata *pd, const ekm_dissim *dm,
                       ekm__shared_incumbent *inc, const atomic_int *cancel)
{
    memset(s, 0, sizeof *s);
    s->memo.k = pd->k; /* the memo off until ekm__memo_init */
    s->pd = pd;
    s->dm = dm;
    s->k = pd->k;
    s->incumbent = inc;
    s->cancel = cancel;
    s->sched = (ekm__subgrad){.max_steps = 12, .patience = 3, .theta = 1.0, .theta_min = 0.05,
                              .prefix = 32};
    s->refine_factor = 2.0;
    ekm__best_init(&s->best, pd->k);
    s->m = aligned_alloc(64, (size_t)(pd->k + 1) * pd->stride * sizeof(float));
    s->probe_m = aligned_alloc(64, pd->stride * sizeof(float));
    if (!pd->base)
        s->row1 = aligned_alloc(64, pd->stride * sizeof(float));
    if (!s->m || !s->probe_m || (!pd->base && !s->row1) ||
        ekm__bound_work_init(&s->bw, pd->n, pd->stride, pd->k, !pd->base)) {
        ekm__searcher_free(s);
        return -1;
    }
    for (size_t p = 0; p < pd->stride; p++)
        s->m[p] = p < pd->n ? INFINITY : 0.0f;
    return 0;
}

void ekm__searcher_free(ekm__searcher *s)
{
    free(s->m);
    free(s->probe_m);
    s->probe_m = NULL;
    free(s->row1);
    s->row1 = NULL;
    ekm__bound_work_free(&s->bw);
    ekm__memo_free(&s->memo);
    for (int d = 0; d < 64; d++) {
        free(s->own_cand[d]);
        free(s->own_rho[d]);
        free(s->own_lam[d]);
    }
    ekm__best_free(&s->best);
    s->m = NULL;
    memset(s->own_cand, 0, sizeof s->own_cand);
    memset(s->own_rho, 0, sizeof s->own_rho);
    memset(s->own_lam, 0, sizeof s->own_lam);
}

void ekm__searcher_flush(ekm__searcher *s)
{
    /* done before pruned, so a reader never sees more pruned than closed */
    if (s->pend_done) {
        if (s->done_a)
            ekm__acount_add(s->done_a, s->pend_done);
        if (s->done_b)
            ekm__acount_add(s->done_b, s->pend_done);
    }
    if (s->pend_pruned && s->pruned_a)
        ekm__acount_add(s->pruned_a, s->pend_pruned);
    s->pend_done = s->pend_pruned = 0;
}

static void maybe_flush(ekm__searcher *s)
{
    if (s->pend_done >= PUBLISH_EVERY)
        ekm__searcher_flush(s);
}

void ekm__searcher_prune(ekm__searcher *s, ekm_count count)
{
    s->stats.pruned += count;
    s->pend_done += count;
    s->pend_pruned += count;
    maybe_flush(s);
}

static int cancelled(const ekm__searcher *s)
{
    return s->cancel && atomic_load_explicit(s->cancel, memory_order_relaxed);
}

/* C(n,k) for a subtree: n < 2^32 and k <= K, below C(N,K), which fits (plan.c) */
static ekm_count binom(uint64_t n, uint64_t k) { return ekm_count_binomial(n, k, NULL); }

/* The bound of child q: base + ρ[q] + ... + ρ[q+r-1] (the r smallest ρ it allows). */
static double child_bound(const ekm__pnode *node, uint32_t q)
{
    double b = node->base;
    for (unsigned t = 0; t < node->r; t++)
        b += node->rho[q + t];
    return b;
}

uint32_t ekm__surviving_children(const ekm__pnode *node, double thr)
{
    if (node->ncand < node->r)
        return 0;
    /* first q in [0, ncand - r] with a bound above thr (bounds grow with q) */
    uint32_t lo = 0, hi = node->ncand - node->r + 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (child_bound(node, mid) > thr)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* m[d] = each point's dissimilarity to its nearest medoid in fixed[0..d). */
static const float *prefix_vector(ekm__searcher *s, unsigned d)
{
    size_t stride = s->pd->stride;
    for (unsigned j = s->m_valid; j < d; j++)
        s->pd->kern.vmin(s->m + (j + 1) * stride, s->m + j * stride,
                         ekm__prow(s->pd, s->fixed[j], s->row1), stride);
    if (s->m_valid < d)
        s->m_valid = d;
    return s->m + (size_t)d * stride;
}

static void set_fixed(ekm__searcher *s, unsigned d, uint32_t point)
{
    s->fixed[d] = point;
    if (s->m_valid > d)
        s->m_valid = d;
}

/* Sort a k-set ascending (insertion sort; k is small). */
static void sort_set(uint32_t *set, unsigned k)
{
    for (unsigned t = 1; t < k; t++) {
        uint32_t v = set[t];
        unsigned j = t;
        for (; j > 0 && set[j - 1] > v; j--)
            set[j] = set[j - 1];
        set[j] = v;
    }
}

/* A lower bound on v(S) from f, the double sum of its float entries (see
 * verify_set) or the EKM kernel's value: f <= f~(S)(1 + rel), rel = N·2^-52
 * or EKM_KERNEL_REL_ERR; f~(S) <= s·Σd(1+u) + a and v(S) >= Σd·(1 − N·2^-53);
 * and v(S) >= 0. */
static double objective_floor(const ekm__pdata *pd, double f, double rel)
{
    const double u = 1.0 / 16777216.0, nr = (double)pd->n * 0x1p-52;
    double lo = (f / (1.0 + rel) - pd->abs_err) / (pd->scale * (1.0 + 2.0 * u)) * (1.0 - nr);
    return lo > 0.0 ? lo : 0.0;
}

/* The tie rule makes most equal objectives cheap: a set S lexicographically
 * greater than a set A this thread already holds, with v(S) >= v(A), can never
 * be the answer (whenever S is within the tie window of the final minimum, so
 * is A, and A comes first; offered in lexicographic order, S would need an
 * objective strictly below v(A)). Such a set needs no re-evaluation in double:
 * with many equal objectives (duplicate points, an optimum of 0) that
 * re-evaluation is what would cost, not the float pass. */
static int cannot_win_tie(const ekm__searcher *s, const uint32_t *set, double f, double rel)
{
    double va;
    const uint32_t *a = ekm__best_answer(&s->best, &va);
    return a && ekm__combo_less(a, set, s->k) && objective_floor(s->pd, f, rel) >= va;
}

/* Offer an ascending set whose float-matrix objective f~(S), summed in double
 * (within N·2^-53 of the exact sum of its float entries), is `f`; returns 0 or
 * -1. As f~(S) <= s·v(S)(1+u)(1+2N·2^-53) + a (s, a: the float rows' scale and
 * absolute error, prune_bound.h), a set with v(S) <= U(1+EKM_TIE_REL)
 * always passes the first test; only then is it re-evaluated from the source
 * (ekm_dissim_objective, the value every strategy compares; from the memo
 * when a set with the same duplicates-free canonical set was, prune_dupes.h)
 * and offered. */
static int verify_set(ekm__searcher *s, const uint32_t *set, double f)
{
    const double u = 1.0 / 16777216.0;
    double limit = ekm__incumbent_get(s->incumbent) * s->pd->scale * (1.0 + EKM_TIE_REL) *
                       (1.0 + 2.0 * u) * (1.0 + (double)s->pd->n * 0x1p-50) +
                   2.0 * s->pd->abs_err;
    s->stats.screened++;
    if (!(f <= limit))
        return 0;
    if (cannot_win_tie(s, set, f, (double)s->pd->n * 0x1p-52))
        return 0;
    double v = ekm__memo_objective(&s->memo, s->dm, set);
    s->stats.verified++;
    int kept = ekm__best_offer_any(&s->best, v, set);
    if (kept < 0)
        return -1;
    ekm__incumbent_lower(s->incumbent, v);
    if (kept && s->on_improve)
        s->on_improve(s->improve_ctx, &s->best);
    return 0;
}

/* Check fixed[0..d) ∪ {leaf} (m: the prefix vector of fixed[0..d); f4: the
 * EKM kernel's value of the set) in double and offer it; returns 0 or -1. */
static int verify_leaf(ekm__searcher *s, unsigned d, const float *m, uint32_t leaf, double f4)
{
    uint32_t set[64];
    memcpy(set, s->fixed, d * sizeof *set);
    set[d] = leaf;
    sort_set(set, s->k);
    if (cannot_win_tie(s, set, f4, EKM_KERNEL_REL_ERR))
        return 0;
    double f = s->pd->minsum(m, ekm__prow(s->pd, leaf, s->row1), s->pd->stride);
    return verify_set(s, set, f);
}

double ekm__searcher_probe(void *ctx, const uint32_t *rows)
{
    ekm__searcher *s = ctx;
    const ekm__pdata *pd = s->pd;
    unsigned k = s->k;
    uint32_t set[64];
    memcpy(set, rows, k * sizeof *set);
    sort_set(set, k);
    /* the float objective: the prefix vector of the first k-1 against the last */
    float *m = s->probe_m;
    for (size_t p = 0; p < pd->stride; p++)
        m[p] = p < pd->n ? INFINITY : 0.0f;
    for (unsigned t = 0; t + 1 < k; t++)
        pd->kern.vmin(m, m, ekm__prow(pd, set[t], s->row1), pd->stride);
    double f = pd->minsum(m, ekm__prow(pd, set[k - 1], s->row1), pd->stride);
    if (verify_set(s, set, f))
        s->probe_failed = 1;
    return ekm__incumbent_get(s->incumbent);
}

/* Evaluate up to 4 leaves of the node at depth d (m: its prefix vector). */
static int eval_leaves(ekm__searcher *s, unsigned d, const float *m, const uint32_t *rows,
                       unsigned count)
{
    const float *r[4];
    double f[4];
    uint32_t busy[4];
    /* matrix-free: the rows from this thread's cache (sibling nodes read the
     * same leading candidates again) */
    for (unsigned t = 0; t < 4; t++)
        r[t] = t >= count       ? r[0]
               : s->pd->base ? s->pd->base + (size_t)rows[t] * s->pd->stride
                             : ekm__rowcache_row(s->pd, &s->bw.cache, rows[t], t, busy, t, &busy[t]);
    s->pd->kern.eval4(m, r, s->pd->stride, f);
    s->stats.evaluated += count;
    s->pend_done += count;
    double thr = ekm__leaf_threshold(s->pd, ekm__incumbent_get(s->incumbent));
    for (unsigned t = 0; t < count; t++)
        if (f[t] <= thr && verify_leaf(s, d, m, rows[t], f[t]))
            return -1;
    return 0;
}

/* The r smallest point indices among the node's candidates, ascending
 * (cached per depth; refine() invalidates the depths it may rewrite). */
static const uint32_t *lowest_indices(ekm__searcher *s, const ekm__pnode *node)
{
    ekm__low_cache *c = &s->low[node->depth];
    if (c->cand == node->cand && c->ncand == node->ncand && c->r == node->r)
        return c->idx;
    unsigned have = 0, r = node->r;
    for (uint32_t q = 0; q < node->ncand; q++) {
        uint32_t v = node->cand[q];
        if (have == r && v >= c->idx[r - 1])
            continue;
        unsigned j = have < r ? have++ : r - 1;
        for (; j > 0 && c->idx[j - 1] > v; j--)
            c->idx[j] = c->idx[j - 1];
        c->idx[j] = v;
    }
    c->cand = node->cand;
    c->ncand = node->ncand;
    c->r = r;
    return c->idx;
}

/* Child q of a node cannot hold the answer, by the tie rule (see
 * cannot_win_tie), already from its bound b = base + ρ[q] + … + ρ[q+r−1]:
 * every set S below it has f~(S) >= b − margin, so v(S) >= (b − margin −
 * a)/(s(1+u))·(1 − N·2^-53), and S is, element by element once sorted, at
 * least F ∪ {cand[q]} ∪ (the r − 1 smallest other indices of the node), so
 * lexicographically at least that set. With an optimum of 0 (duplicates, K
 * at least the distinct points) this discards all but the first few
 * subtrees without evaluating them. */
static int child_cannot_win(ekm__searcher *s, const ekm__pnode *node, uint32_t q)
{
    double va;
    const uint32_t *a = ekm__best_answer(&s->best, &va);
    if (!a)
        return 0;
    const ekm__pdata *pd = s->pd;
    const double u = 1.0 / 16777216.0, nr = (double)pd->n * 0x1p-52;
    double b = child_bound(node, q) - node->margin - pd->abs_err;
    double floor = b / (pd->scale * (1.0 + 2.0 * u)) * (1.0 - nr);
    if (!(floor >= va) && va > 0.0)
        return 0;
    uint32_t set[64];
    unsigned len = node->depth;
    memcpy(set, s->fixed, len * sizeof *set);
    set[len++] = node->cand[q];
    if (node->r > 1) {
        const uint32_t *low = lowest_indices(s, node);
        for (unsigned t = 0; t < node->r && len < s->k; t++)
            if (low[t] != node->cand[q])
                set[len++] = low[t];
    }
    sort_set(set, s->k);
    return ekm__combo_less(a, set, s->k);
}

/* Children [q0, q1) of a node with r == 1: its leaves. */
static int leaves(ekm__searcher *s, const ekm__pnode *node, uint32_t q0, uint32_t q1)
{
    unsigned d = node->depth;
    const float *m = prefix_vector(s, d);
    uint32_t rows[4];
    unsigned have = 0;
    for (uint32_t q = q0; q < q1; q++) {
        double thr = ekm__prune_threshold(s->pd, ekm__incumbent_get(s->incumbent), node->margin);
        if (node->base + node->rho[q] > thr) {
            if (q + 1 == q1) /* else the node's END records the tail */
                ekm__cert_event(s->cert, EKM__CERT_CLOSE, node->cand[q]);
            ekm__searcher_prune(s, q1 - q);
            break;
        }
        if (child_cannot_win(s, node, q)) {
            ekm__cert_event(s->cert, EKM__CERT_CLOSE, node->cand[q]);
            s->stats.pruned++;
            s->pend_done++;
            s->pend_pruned++;
            continue;
        }
        ekm__cert_event(s->cert, EKM__CERT_LEAF, node->cand[q]);
        rows[have++] = node->cand[q];
        if (have == 4) {
            if (eval_leaves(s, d, m, rows, have))
                return -1;
            have = 0;
            if ((q & 255) == 255) {
                maybe_flush(s);
                if (cancelled(s))
                    return 1;
            }
        }
    }
    if (have && eval_leaves(s, d, m, rows, have))
        return -1;
    maybe_flush(s);
    return cancelled(s);
}

/* Should this node (r >= 2, `surv` children within the bound) optimise its own
 * λ? Weigh the leaves its inherited bound leaves to evaluate (exactly, for
 * r = 2: the pairs within the threshold; an upper bound, C(surv+r-1, r),
 * deeper) against the kernel passes the refinement costs. */
static int worth_refining(const ekm__searcher *s, const ekm__pnode *node, uint32_t surv,
                          double thr, double *est_out, double *cost_out)
{
    double cost = (double)s->sched.max_steps * (2.0 * s->sched.prefix + node->depth);
    double est;
    if (node->r == 2) {
        est = 0;
        uint32_t p = node->ncand; /* candidates [q+1, p) pair with q */
        for (uint32_t q = 0; q < surv; q++) {
            double room = thr - node->base - node->rho[q];
            while (p > q + 1 && node->rho[p - 1] > room)
                p--;
            if (p <= q + 1)
                break;
            est += p - q - 1;
        }
    } else {
        est = 1;
        for (unsigned t = 0; t < node->r; t++)
            est = est * (surv + node->r - 1 - t) / (t + 1);
    }
    *est_out = est;
    *cost_out = cost;
    return est > s->refine_factor * cost;
}

/* The work budget of refinements, over the whole search of this thread: the
 * rows they spend stay within half the K-subsets the thread closes (evaluated
 * or discarded), the rows a plain enumeration would read. `est`, the subsets
 * this node leaves to evaluate, is at most the subsets below it, which the
 * thread closes before it returns; so the rule holds at the end by induction,
 * nested refinements included. Where the bounds prune (discarded subtrees
 * count) the budget is vast; where they cannot (masses of ties) refinement
 * stops and the search costs what an enumeration does, and no more than
 * twice that with the root's share (lead_root). */
static int within_budget(const ekm__searcher *s, double est, double cost)
{
    double closed = (double)s->stats.evaluated + (double)s->stats.pruned;
    return (double)s->refine_rows + cost <= 0.5 * (closed + est);
}

static int visit(ekm__searcher *s, const ekm__pnode *in);

int ekm__search_children(ekm__searcher *s, const ekm__pnode *node, uint32_t q0, uint32_t q1)
{
    if (node->r == 1)
        return leaves(s, node, q0, q1);
    unsigned d = node->depth, r = node->r;
    for (uint32_t q = q0; q < q1; q++) {
        if (cancelled(s))
            return 1;
        double thr = ekm__prune_threshold(s->pd, ekm__incumbent_get(s->incumbent), node->margin);
        if (child_bound(node, q) > thr) {
            if (q + 1 == q1) /* else the node's END records the tail */
                ekm__cert_event(s->cert, EKM__CERT_CLOSE, node->cand[q]);
            ekm__searcher_prune(s, binom(node->ncand - q, r) - binom(node->ncand - q1, r));
            break;
        }
        if (child_cannot_win(s, node, q)) {
            ekm__cert_event(s->cert, EKM__CERT_CLOSE, node->cand[q]);
            ekm__searcher_prune(s, binom(node->ncand - q - 1, r - 1));
            continue;
        }
        ekm__cert_event(s->cert, EKM__CERT_OPEN, node->cand[q]);
        set_fixed(s, d, node->cand[q]);
        ekm__pnode child = {d + 1,     node->cand + q + 1, node->rho + q + 1,
                            node->ncand - q - 1, r - 1, node->base + node->rho[q],
                            node->lam, node->rmax, node->sum_max, node->margin};
        int rc = visit(s, &child);
        if (rc)
            return rc;
    }
    return 0;
}

/* Optimise the node's own λ into the depth's buffers; *out gets the re-sorted
 * node. Returns 0, 1 when cancelled, -1 on no memory, 2 when the whole node is
 * discarded. */
static int refine(ekm__searcher *s, const ekm__pnode *in, ekm__pnode *out, uint64_t max_rows)
{
    unsigned d = in->depth;
    uint32_t n = s->pd->n;
    if (!s->own_cand[d]) {
        s->own_cand[d] = malloc((size_t)n * sizeof(uint32_t));
        s->own_rho[d] = malloc((size_t)n * sizeof(double));
        s->own_lam[d] = aligned_alloc(64, s->pd->stride * sizeof(float));
        if (!s->own_cand[d] || !s->own_rho[d] || !s->own_lam[d])
            return -1;
    }
    ekm__bound_in bin = {s->fixed, d,        in->cand,    in->rho,
                         in->ncand, in->r,   in->lam,     in->rmax,
                         in->sum_max, d ? prefix_vector(s, d) : NULL};
    for (unsigned t = d; t < 64; t++)
        s->low[t].cand = NULL; /* own_cand[d] is rewritten: its cached indices go */
    ekm__bound_out bout = {.cand = s->own_cand[d], .lower = s->own_rho[d], .lam = s->own_lam[d]};
    ekm__bound_env env = {NULL, NULL, ekm__searcher_probe, s, NULL, NULL, s->cancel};
    ekm__subgrad sched = s->sched;
    sched.max_rows = max_rows;
    if (ekm__bound_optimise(s->pd, &s->bw, &sched, &bin, ekm__incumbent_get(s->incumbent),
                            &bout, &env))
        return 1;
    if (s->probe_failed)
        return -1;
    ekm__cert_lambda(s->cert, s->own_lam[d], n);
    s->stats.refined++;
    s->stats.bound_passes += bout.rows;
    s->refine_rows += bout.rows;
    if (bout.closed)
        return 2;
    *out = (ekm__pnode){d, s->own_cand[d], s->own_rho[d], in->ncand, in->r, bout.base,
                        s->own_lam[d], bout.rmax, bout.sum_max, bout.margin};
    return 0;
}

/* The node's base clamped to its fixed medoids (Lagrangian bound with
 * μ = min(λ, m_F), m_F the distances to the nearest fixed medoid).
 *
 * For S = F ∪ T: f(S) = Σ_i min(m_F,i, d(i,T)) >= Σ_i min(μ_i, d(i,T))
 * >= Σ_i μ_i + Σ_{t∈T} Σ_i min(0, d_it − μ_i) >= Σ_i μ_i + Σ_{t∈T} ρ_t(λ), as
 * μ <= λ. So the node's lower bounds of ρ_t(λ) stay valid and Σμ replaces
 * base = Σλ + Σ_{f∈F} ρ_f(λ), which it never falls below: per point,
 * λ_i − Σ_f (λ_i − d_if)^+ <= λ_i − (λ_i − m_F,i)^+ = μ_i. The difference is
 * what the relaxation double counts when fixed medoids serve the same points
 * (near-duplicate medoids, a cluster left without one). Σμ is summed in double
 * (relative error N·2^-53, inside the node's margin).
 * Returns the better of the two bases. */
static double clamped_base(ekm__searcher *s, const ekm__pnode *node)
{
    if (node->depth == 0)
        return node->base;
    const float *m = prefix_vector(s, node->depth);
    double mu = s->pd->minsum(node->lam, m, s->pd->stride);
    return mu > node->base ? mu : node->base;
}

/* A node: maybe refine, discard the children beyond the bound, visit the rest. */
static int visit(ekm__searcher *s, const ekm__pnode *in)
{
    s->stats.nodes++;
    ekm__pnode clamped = *in;
    clamped.base = clamped_base(s, in);
    const ekm__pnode *node = &clamped;
    ekm__pnode own;
    double thr = ekm__prune_threshold(s->pd, ekm__incumbent_get(s->incumbent), node->margin);
    uint32_t surv = ekm__surviving_children(node, thr);
    double est, cost;
    if (node->r >= 2 && surv > 0 && worth_refining(s, node, surv, thr, &est, &cost) &&
        within_budget(s, est, cost)) {
        /* the rest of the budget caps this refinement too (a step may cost
         * more rows than the estimate: a rebase reads every candidate) */
        double left = 0.5 * ((double)s->stats.evaluated + (double)s->stats.pruned + est) -
                      (double)s->refine_rows;
        /* closed counts may pass 2^64: cap before the conversion */
        int rc = refine(s, node, &own,
                        left >= 0x1p64 ? UINT64_MAX : left >= 1.0 ? (uint64_t)left : 1);
        if (rc == 2) {
            ekm__searcher_prune(s, binom(node->ncand, node->r));
            ekm__cert_event(s->cert, EKM__CERT_END, 0);
            return 0;
        }
        if (rc)
            return rc;
        own.base = clamped_base(s, &own);
        node = &own;
        thr = ekm__prune_threshold(s->pd, ekm__incumbent_get(s->incumbent), node->margin);
        surv = ekm__surviving_children(node, thr);
    }
    if (surv < node->ncand - node->r + 1)
        ekm__searcher_prune(s, binom(node->ncand - surv, node->r));
    int rc = ekm__search_children(s, node, 0, surv);
    if (!rc)
        ekm__cert_event(s->cert, EKM__CERT_END, 0);
    return rc;
}
