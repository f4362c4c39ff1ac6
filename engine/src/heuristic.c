/* heuristic.c — ekm_heuristic_run(): options, restarts and the pieces the
 * heuristics share (nearest/second caches, swap kernel, BUILD, random starts). */
#include "heuristic_internal.h"

#include <stdlib.h>
#include <string.h>

/* The hot loops (swap kernel, BUILD) run over whole padded rows (stride
 * floats, a multiple of 16, zero padded) in vectors of 4 doubles: every float
 * is converted to double first, so each term is exact and only the
 * (reassociated) sums round. On x86-64 an AVX2 clone is picked at load time. */
/* Not under sanitizers: the clones' ifunc resolver runs while the dynamic
 * loader relocates, before ThreadSanitizer's runtime is up, and its
 * instrumented entry crashes. The default clone is the same source. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(EKM_SANITIZED) && \
    !defined(EKM_PORTABLE)
#define EKM__CLONES __attribute__((target_clones("avx2", "default")))
#else
#define EKM__CLONES
#endif

typedef double ekm__v4d __attribute__((vector_size(32)));
typedef float ekm__v4f_u __attribute__((vector_size(16), aligned(4), may_alias));
typedef long long ekm__v4l __attribute__((vector_size(32)));

/* Macros, not functions: 32-byte vectors passed to a function compiled for the
 * default target would go through memory (and change the ABI). */
#define LOAD4(p) __builtin_convertvector(*(const ekm__v4f_u *)(p), ekm__v4d)
#define HSUM4(v) (((v)[0] + (v)[1]) + ((v)[2] + (v)[3]))
#define POS4(t) ((ekm__v4d)((ekm__v4l)((t) > (ekm__v4d){0}) & (ekm__v4l)(t)))
#define NEG4(t) ((ekm__v4d)((ekm__v4l)((t) < (ekm__v4d){0}) & (ekm__v4l)(t)))
/* m ? a : b for a lane mask m (all ones or all zeros) */
#define SEL4(m, a, b) ((ekm__v4d)(((m) & (ekm__v4l)(a)) | (~(m) & (ekm__v4l)(b))))

/* ---- nearest / second-nearest caches ---- */

ekm_status ekm__caches_alloc(ekm__caches *c, size_t n, size_t stride)
{
    c->stride = stride;
    c->near = aligned_alloc(64, stride * sizeof *c->near);
    c->sec = aligned_alloc(64, stride * sizeof *c->sec);
    c->dn = aligned_alloc(64, stride * sizeof *c->dn);
    c->ds = aligned_alloc(64, stride * sizeof *c->ds);
    if (!c->near || !c->sec || !c->dn || !c->ds) {
        ekm__caches_free(c);
        return EKM_ERR_NOMEM;
    }
    /* the padding takes part in the vector loops and must add 0 there */
    for (size_t o = n; o < stride; o++) {
        c->near[o] = c->sec[o] = 0;
        c->dn[o] = c->ds[o] = 0.0f;
    }
    return EKM_OK;
}

void ekm__caches_free(ekm__caches *c)
{
    free(c->near);
    free(c->sec);
    free(c->dn);
    free(c->ds);
    memset(c, 0, sizeof *c);
}

double ekm__caches_init(ekm__caches *c, const ekm_dissim *dm, size_t n, const uint32_t *med,
                        unsigned k)
{
    for (size_t o = 0; o < n; o++) {
        c->near[o] = c->sec[o] = UINT32_MAX;
        c->dn[o] = c->ds[o] = INFINITY;
    }
    /* One medoid row at a time: the rows are contiguous, d(m, o) = d(o, m). */
    for (unsigned j = 0; j < k; j++) {
        const float *row = ekm_dissim_row(dm, med[j]);
        for (size_t o = 0; o < n; o++) {
            float d = row[o];
            if (d < c->dn[o]) {
                c->sec[o] = c->near[o];
                c->ds[o] = c->dn[o];
                c->near[o] = j;
                c->dn[o] = d;
            } else if (d < c->ds[o]) {
                c->sec[o] = j;
                c->ds[o] = d;
            }
        }
    }
    double td = 0.0;
    for (size_t o = 0; o < n; o++)
        td += c->dn[o];
    return td;
}

/* Re-scan all medoids of point o for its second nearest, given its nearest. */
static void rescan_second(ekm__caches *c, const ekm_dissim *dm, const uint32_t *med, unsigned k,
                          size_t o)
{
    uint32_t best = UINT32_MAX;
    float bd = INFINITY;
    for (unsigned j = 0; j < k; j++) {
        if (j == c->near[o])
            continue;
        float d = ekm_dissim_row(dm, med[j])[o];
        if (d < bd) {
            bd = d;
            best = j;
        }
    }
    c->sec[o] = best;
    c->ds[o] = bd;
}

/* Cache update after a swap, as in FasterPAM (Schubert & Rousseeuw 2021, §4):
 * only points whose nearest or second nearest was the replaced medoid may need
 * a scan over all k medoids; every other point compares with the new one.
 * Arguments: caches c (updated), matrix dm, n points, med[k] holding the new
 * medoid at `slot`. Returns the new float objective summed in double. */
double ekm__caches_swap(ekm__caches *c, const ekm_dissim *dm, size_t n, const uint32_t *med,
                        unsigned k, unsigned slot)
{
    const float *row = ekm_dissim_row(dm, med[slot]);
    double td = 0.0;
    for (size_t o = 0; o < n; o++) {
        float d = row[o];
        if (c->near[o] == slot) {
            if (d <= c->ds[o]) {
                c->dn[o] = d; /* the new medoid is still the nearest */
            } else {
                c->near[o] = c->sec[o];
                c->dn[o] = c->ds[o];
                rescan_second(c, dm, med, k, o);
            }
        } else if (d < c->dn[o]) {
            c->sec[o] = c->near[o];
            c->ds[o] = c->dn[o];
            c->near[o] = slot;
            c->dn[o] = d;
        } else if (c->sec[o] == slot) {
            if (d <= c->ds[o])
                c->ds[o] = d; /* every other medoid is at least the old ds away */
            else
                rescan_second(c, dm, med, k, o);
        } else if (d < c->ds[o]) {
            c->sec[o] = slot;
            c->ds[o] = d;
        }
        td += c->dn[o];
    }
    return td;
}

void ekm__removal_loss(const ekm__caches *c, size_t n, unsigned k, double *loss)
{
    for (unsigned j = 0; j < k; j++)
        loss[j] = 0.0;
    if (k == 1)
        return; /* handled apart in ekm__swap_deltas */
    for (size_t o = 0; o < n; o++)
        loss[c->near[o]] += (double)c->ds[o] - (double)c->dn[o];
}

/* Swap gains of one candidate against all k medoids in one O(n) pass
 * (FastPAM1: Schubert & Rousseeuw 2019, "Faster k-Medoids Clustering",
 * Algorithm 2; the same decomposition is FasterPAM's inner loop, 2021, §4).
 *
 * The change of the objective when slot i is replaced by candidate x is
 *   loss[i] + sum_o min(d(o,x) - dn(o), 0) + sum_{o: near(o)=i} (clamp(d(o,x), dn, ds) - ds)
 * where loss[i] is the removal loss. The middle sum is shared by all slots.
 *
 * c: caches (stride entries, padding zero); k medoids; row: the candidate's
 * padded matrix row; loss[k]: removal losses; delta[k] (out): objective change
 * per slot (negative is an improvement); scratch[4k]. Every term is a
 * difference of floats, exact in double.
 * The shared sum and the clamped terms are computed in vectors over a block;
 * the clamped terms are then added to their slot by a scalar loop into four
 * copies of the slot sums, which breaks the store-to-load dependency between
 * consecutive points of the same cluster. */
#define EKM__BLOCK 512
EKM__CLONES void ekm__swap_deltas(const ekm__caches *c, unsigned k, const float *row,
                                  const double *loss, double *delta, double *scratch)
{
    const size_t stride = c->stride;
    const float *restrict dnv = c->dn, *restrict dsv = c->ds;
    const uint32_t *restrict near = c->near;
    ekm__v4d a0 = {0}, a1 = {0};
    if (k == 1) {
        /* Removing the only medoid: every point moves to the candidate. */
        for (size_t o = 0; o < stride; o += 8) {
            a0 += LOAD4(row + o) - LOAD4(dnv + o);
            a1 += LOAD4(row + o + 4) - LOAD4(dnv + o + 4);
        }
        delta[0] = HSUM4(a0 + a1);
        return;
    }
    for (unsigned j = 0; j < 4 * k; j++)
        scratch[j] = 0.0;
    double *restrict s0 = scratch, *restrict s1 = scratch + k, *restrict s2 = scratch + 2 * k,
                     *restrict s3 = scratch + 3 * k;
    double v[EKM__BLOCK] __attribute__((aligned(32)));
    for (size_t b = 0; b < stride; b += EKM__BLOCK) {
        size_t e = stride - b < EKM__BLOCK ? stride : b + EKM__BLOCK;
        for (size_t o = b; o < e; o += 8) {
            ekm__v4d x0 = LOAD4(row + o), n0 = LOAD4(dnv + o), d0 = LOAD4(dsv + o);
            ekm__v4d x1 = LOAD4(row + o + 4), n1 = LOAD4(dnv + o + 4), d1 = LOAD4(dsv + o + 4);
            ekm__v4d t0 = x0 - n0, t1 = x1 - n1;
            a0 += NEG4(t0);
            a1 += NEG4(t1);
            /* clamp(x, dn, ds) - ds */
            ekm__v4d c0 = SEL4(x0 > n0, x0, n0), c1 = SEL4(x1 > n1, x1, n1);
            c0 = SEL4(c0 < d0, c0, d0) - d0;
            c1 = SEL4(c1 < d1, c1, d1) - d1;
            memcpy(v + (o - b), &c0, sizeof c0);
            memcpy(v + (o - b) + 4, &c1, sizeof c1);
        }
        for (size_t o = b; o < e; o += 4) {
            s0[near[o]] += v[o - b];
            s1[near[o + 1]] += v[o - b + 1];
            s2[near[o + 2]] += v[o - b + 2];
            s3[near[o + 3]] += v[o - b + 3];
        }
    }
    double acc = HSUM4(a0 + a1);
    for (unsigned j = 0; j < k; j++)
        delta[j] = loss[j] + acc + ((s0[j] + s1[j]) + (s2[j] + s3[j]));
}

/* ---- initialisations ---- */

/* Sum of a padded row: stride floats, stride a multiple of 16. */
EKM__CLONES static double row_sum(const float *row, size_t stride)
{
    ekm__v4d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (size_t o = 0; o < stride; o += 16) {
        a0 += LOAD4(row + o);
        a1 += LOAD4(row + o + 4);
        a2 += LOAD4(row + o + 8);
        a3 += LOAD4(row + o + 12);
    }
    return HSUM4((a0 + a1) + (a2 + a3));
}

/* BUILD gain of a candidate: sum_o max(dn[o] - row[o], 0) over padded rows
 * (dn is zero in the padding, so the padding adds 0). */
EKM__CLONES static double build_gain(const float *dn, const float *row, size_t stride)
{
    ekm__v4d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (size_t o = 0; o < stride; o += 16) {
        a0 += POS4(LOAD4(dn + o) - LOAD4(row + o));
        a1 += POS4(LOAD4(dn + o + 4) - LOAD4(row + o + 4));
        a2 += POS4(LOAD4(dn + o + 8) - LOAD4(row + o + 8));
        a3 += POS4(LOAD4(dn + o + 12) - LOAD4(row + o + 12));
    }
    return HSUM4((a0 + a1) + (a2 + a3));
}

/* PAM's BUILD (Kaufman & Rousseeuw 1990, ch. 2): the first medoid minimises the
 * sum of dissimilarities; each next one maximises the decrease of the objective
 * sum_o max(dn(o) - d(o,c), 0). Ties go to the smallest index; a candidate with
 * zero gain is still taken (k may exceed the number of distinct points).
 * Gains are summed in double over float entries. O(n^2 k).
 * run: the run (n, k, matrix, cancel); med[k] (out). */
ekm_status ekm__build(ekm__hrun *run, uint32_t *med)
{
    size_t n = run->n, stride = ekm_dissim_stride(run->dm);
    unsigned k = run->k;
    float *dn = aligned_alloc(64, stride * sizeof *dn);
    unsigned char *is_med = calloc(n, 1);
    if (!dn || !is_med) {
        free(dn);
        free(is_med);
        return EKM_ERR_NOMEM;
    }
    ekm_status st = EKM_OK;
    size_t first = 0;
    double best = INFINITY;
    for (size_t c = 0; c < n; c++) {
        if (ekm__poll(run, n)) {
            st = EKM_ERR_CANCELLED;
            goto out;
        }
        double s = row_sum(ekm_dissim_row(run->dm, c), stride);
        if (s < best) {
            best = s;
            first = c;
        }
    }
    med[0] = (uint32_t)first;
    is_med[first] = 1;
    memcpy(dn, ekm_dissim_row(run->dm, first), stride * sizeof *dn);
    for (unsigned j = 1; j < k; j++) {
        double bestg = -1.0;
        size_t arg = 0;
        for (size_t c = 0; c < n; c++) {
            if (is_med[c])
                continue;
            if (ekm__poll(run, n)) {
                st = EKM_ERR_CANCELLED;
                goto out;
            }
            double g = build_gain(dn, ekm_dissim_row(run->dm, c), stride);
            if (g > bestg) {
                bestg = g;
                arg = c;
            }
        }
        med[j] = (uint32_t)arg;
        is_med[arg] = 1;
        const float *row = ekm_dissim_row(run->dm, arg);
        for (size_t o = 0; o < n; o++)
            if (row[o] < dn[o])
                dn[o] = row[o];
    }
out:
    free(dn);
    free(is_med);
    return st;
}

/* k distinct indices, uniform: a partial Fisher-Yates shuffle. */
ekm_status ekm__random_medoids(ekm__hrun *run, uint32_t *med)
{
    size_t n = run->n;
    uint32_t *perm = malloc(n * sizeof *perm);
    if (!perm)
        return EKM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (unsigned j = 0; j < run->k; j++) {
        uint32_t r = j + (uint32_t)ekm__rng_below(&run->rng, n - j);
        uint32_t t = perm[j];
        perm[j] = perm[r];
        perm[r] = t;
        med[j] = perm[j];
    }
    free(perm);
    return EKM_OK;
}

/* ---- the public entry point ---- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Is sorted a[k] lexicographically smaller than sorted b[k]? */
static bool lex_less(const uint32_t *a, const uint32_t *b, unsigned k)
{
    for (unsigned j = 0; j < k; j++)
        if (a[j] != b[j])
            return a[j] < b[j];
    return false;
}

ekm_status ekm_heuristic_run(const ekm_dissim *dm, ekm_strategy s,
                             const ekm_heuristic_options *opt, uint32_t *medoids_out,
                             double *objective, uint64_t *swaps, ekm_error *err)
{
    if (!dm || !opt || !medoids_out || !objective)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "heuristic: missing matrix, options or output");
    ekm_status (*algo)(ekm__hrun *, uint32_t *);
    switch (s) {
    case EKM_STRATEGY_PAM: algo = ekm__pam; break;
    case EKM_STRATEGY_FASTERPAM: algo = ekm__fasterpam; break;
    case EKM_STRATEGY_CLARANS: algo = ekm__clarans; break;
    case EKM_STRATEGY_ALTERNATE: algo = ekm__alternate; break;
    default:
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "strategy '%s' is not a heuristic (expected pam, fasterpam, "
                             "clarans or alternate)",
                             ekm_strategy_name(s));
    }
    size_t n = ekm_dissim_n(dm);
    unsigned k = opt->k;
    if (k < 1 || k > n)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "%s: k = %u is out of range: it must be between 1 and the number "
                             "of points, %zu",
                             ekm_strategy_name(s), k, n);
    if (n > UINT32_MAX / 2)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, NULL, 0, 0, "%s: %zu points: too many",
                             ekm_strategy_name(s), n);

    ekm__hrun run = {
        .dm = dm,
        .n = n,
        .k = k,
        .cancelled = opt->cancelled,
        .cancel_ctx = opt->cancel_ctx,
        .budget = EKM__POLL_UNITS,
    };
    /* Generous defaults: every move lowers the objective by a fixed amount
     * (see EKM__REL_EPS), so the loops end anyway; the caps only bound the
     * time a pathological input may take. */
    if (opt->max_iter)
        run.max_iter = opt->max_iter;
    else if (s == EKM_STRATEGY_FASTERPAM)
        run.max_iter = 1000; /* passes over the data */
    else if (s == EKM_STRATEGY_ALTERNATE)
        run.max_iter = 1000; /* assign/update rounds */
    else
        run.max_iter = k > (UINT32_MAX - 10000) / 100 ? UINT32_MAX : 100 * k + 10000; /* moves */
    if (opt->clarans_neighbours) {
        run.neighbours = opt->clarans_neighbours;
    } else {
        /* Ng & Han 2002: maxneighbor = max(250, 1.25% of k(n-k)). */
        uint64_t m = ((uint64_t)k * (n - k) + 79) / 80;
        run.neighbours = m > 250 ? (m > UINT32_MAX ? UINT32_MAX : (unsigned)m) : 250;
    }
    /* PAM is deterministic (BUILD + SWAP): more restarts would repeat it. */
    unsigned restarts = opt->restarts ? opt->restarts : 1;
    if (s == EKM_STRATEGY_PAM)
        restarts = 1;

    uint32_t *cur = malloc(2 * (size_t)k * sizeof *cur);
    if (!cur)
        return ekm_error_set(err, EKM_ERR_NOMEM, NULL, 0, 0, "%s: out of memory",
                             ekm_strategy_name(s));
    uint32_t *best = cur + k;
    double best_obj = INFINITY;
    uint64_t total_swaps = 0;
    ekm_status st = EKM_OK;
    if (run.cancelled && run.cancelled(run.cancel_ctx))
        st = EKM_ERR_CANCELLED;
    for (unsigned r = 0; r < restarts && st == EKM_OK; r++) {
        run.restart = r;
        ekm__rng_seed(&run.rng, opt->seed + r);
        run.swaps = 0;
        st = algo(&run, cur);
        total_swaps += run.swaps;
        if (st != EKM_OK)
            break;
        qsort(cur, k, sizeof *cur, cmp_u32);
        double obj = ekm_dissim_objective(dm, cur, k);
        if (r == 0 || obj < best_obj || (obj == best_obj && lex_less(cur, best, k))) {
            best_obj = obj;
            memcpy(best, cur, k * sizeof *cur);
        }
    }
    if (st == EKM_OK) {
        memcpy(medoids_out, best, k * sizeof *best);
        *objective = best_obj;
        if (swaps)
            *swaps = total_swaps;
    } else if (st == EKM_ERR_CANCELLED) {
        ekm_error_set(err, st, NULL, 0, 0, "%s: cancelled", ekm_strategy_name(s));
    } else {
        ekm_error_set(err, st, NULL, 0, 0, "%s: out of memory for %zu points",
                      ekm_strategy_name(s), n);
    }
    free(cur);
    return st;
}
