/* prune_bound.c — the Lagrangian bound of a branch-and-bound node and its
 * subgradient tightening; see prune_bound.h for the bound and the rounding
 * argument. */
#include "prune_bound.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "best.h"
#include "ekm/job.h" /* EKM_MAX_K */

/* u = 2^-24, the unit roundoff of float. */
#define EKM_U (1.0 / 16777216.0)

enum {
    EVAL_SLICE = 256,
    FULL_MIN = 256,   /* rows from which a list goes through the full (shared) pass */
    WIDEN_MIN = 4096, /* rows the exact prefix may grow by at once */
};

double ekm__bound_margin(const ekm__pdata *pd, double rmax, double sum_max)
{
    double g = ekm__rho_rel_err(pd->n), k = pd->k;
    return 2.0 * (k * g * (1.0 + 2.0 * g) * rmax +
                  (k * k + 1.0) * ((double)pd->n + 2.0) * 0x1p-52 * (sum_max + rmax));
}

double ekm__prune_threshold(const ekm__pdata *pd, double incumbent, double margin)
{
    return incumbent * pd->scale *
               ((1.0 + EKM_TIE_REL) / (1.0 - 2.0 * EKM_U - (double)pd->n * 0x1p-52)) +
           margin + pd->abs_err;
}

double ekm__leaf_threshold(const ekm__pdata *pd, double incumbent)
{
    return incumbent * pd->scale * (1.0 + EKM_TIE_REL) * (1.0 + 2.0 * EKM_KERNEL_REL_ERR) *
               (1.0 + 2.0 * EKM_U) / (1.0 - (double)pd->n * 0x1p-52) +
           2.0 * pd->abs_err;
}

typedef struct rho_pair {
    double rho;
    uint32_t id;
} rho_pair;

int ekm__bound_work_init(ekm__bound_work *w, uint32_t n, size_t stride, unsigned k, int lazy)
{
    memset(w, 0, sizeof *w);
    if (lazy && ekm__rowcache_init(&w->cache, n, stride, (size_t)128 << 20))
        return -1;
    w->lam = aligned_alloc(64, stride * sizeof *w->lam);
    w->lam_ref = aligned_alloc(64, stride * sizeof *w->lam_ref);
    w->rho = malloc((size_t)n * sizeof *w->rho);
    w->rho_fix = malloc(k * sizeof *w->rho_fix);
    w->cover = malloc((size_t)n * sizeof *w->cover);
    w->dir = malloc((size_t)n * sizeof *w->dir);
    w->sel = malloc(k * sizeof *w->sel);
    w->rows = malloc(k * sizeof *w->rows);
    w->best_rows = malloc(k * sizeof *w->best_rows);
    w->probed_rows = malloc(k * sizeof *w->probed_rows);
    w->pairs = malloc((size_t)n * sizeof(rho_pair));
    if (!w->lam || !w->lam_ref || !w->rho || !w->rho_fix || !w->cover || !w->dir || !w->sel || !w->rows ||
        !w->best_rows || !w->probed_rows || !w->pairs) {
        ekm__bound_work_free(w);
        return -1;
    }
    memset(w->lam, 0, stride * sizeof *w->lam);
    memset(w->lam_ref, 0, stride * sizeof *w->lam_ref);
    return 0;
}

void ekm__bound_work_free(ekm__bound_work *w)
{
    ekm__rowcache_free(&w->cache);
    free(w->lam);
    free(w->lam_ref);
    free(w->rho);
    free(w->rho_fix);
    free(w->cover);
    free(w->dir);
    free(w->sel);
    free(w->rows);
    free(w->best_rows);
    free(w->probed_rows);
    free(w->pairs);
    memset(w, 0, sizeof *w);
}

static int cmp_pair(const void *a, const void *b)
{
    const rho_pair *x = a, *y = b;
    if (x->rho != y->rho)
        return x->rho < y->rho ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Positions of the r smallest of rho[0..count) into sel[0..r), ascending by
 * value (ties: the earlier position); returns their sum. */
static double select_smallest(const double *rho, uint32_t count, unsigned r, uint32_t *sel)
{
    unsigned have = 0;
    for (uint32_t j = 0; j < count; j++) {
        double v = rho[j];
        if (have == r && !(v < rho[sel[r - 1]]))
            continue;
        unsigned at = have < r ? have++ : r - 1;
        while (at > 0 && v < rho[sel[at - 1]]) {
            sel[at] = sel[at - 1];
            at--;
        }
        sel[at] = j;
    }
    double s = 0.0;
    for (unsigned t = 0; t < have; t++)
        s += rho[sel[t]];
    return s;
}

/* One projected, deflected subgradient step of the multipliers.
 *
 * For the relaxed solution `rows` (F and the r candidates of smallest ρ), the
 * subgradient of L at λ is g_i = 1 − #{j ∈ rows : d_ij < λ_i}: point i is
 * covered by no medoid (raise λ_i), exactly one (optimal), or several (lower
 * it). The direction is deflected (Camerini, Fratta & Maffioli 1975):
 * dir <- g + β dir with β = max(0, −τ g·dir / |dir|²), τ = 1.5, which damps the
 * zig-zag of plain subgradient steps; then the Polyak step
 * λ_i <- clamp(λ_i + θ (U − L) dir_i / |dir|², 0, FLT_MAX).
 * Arguments: pd matrix; lam[stride] (in/out; the padding stays 0); cover[n]
 * scratch; dir[n] (in/out, all 0 to start afresh); rows[nrows]; bound L;
 * target U; theta.
 * Returns |g|² (0: every point has exactly one medoid within its λ, so L equals
 * the objective of `rows` and no multiplier does better). */
static double subgradient_step(const ekm__pdata *pd, ekm__rowcache *cache, float *lam,
                               const float *cap, int32_t *cover, double *dir, const uint32_t *rows, unsigned nrows,
                               double bound, double target, double theta)
{
    const double tau = 1.5;
    uint32_t n = pd->n;
    memset(cover, 0, n * sizeof *cover);
    for (unsigned t = 0; t < nrows; t++) {
        uint32_t slot;
        const float *row = pd->base ? pd->base + (size_t)rows[t] * pd->stride
                                    : ekm__rowcache_row(pd, cache, rows[t], 0, NULL, 0, &slot);
        for (uint32_t i = 0; i < n; i++)
            cover[i] += row[i] < lam[i];
    }
    double gg = 0.0, gd = 0.0, dd = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double g = 1.0 - cover[i];
        gg += g * g;
        gd += g * dir[i];
        dd += dir[i] * dir[i];
    }
    if (gg == 0.0 || !(target > bound))
        return gg;
    double beta = dd > 0.0 && gd < 0.0 ? -tau * gd / dd : 0.0;
    double nn = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        dir[i] = (1.0 - cover[i]) + beta * dir[i];
        nn += dir[i] * dir[i];
    }
    double step = theta * (target - bound) / nn;
    for (uint32_t i = 0; i < n; i++) {
        double v = (double)lam[i] + step * dir[i];
        float f = v <= 0.0 ? 0.0f : v >= FLT_MAX ? FLT_MAX : (float)v;
        lam[i] = cap && f > cap[i] ? cap[i] : f;
    }
    return gg;
}

/* The optimiser's view of one node while it steps. */
typedef struct lazy {
    const ekm__pdata *pd;
    ekm__bound_work *w;
    const ekm__bound_in *in;
    ekm__bound_out *out;
    const uint32_t *cand; /* the lower bounds' candidates: in's, or out's after a rebase */
    const double *low;
    const float *lref;    /* the multipliers the lower bounds refer to */
    uint32_t m;           /* prefix evaluated exactly at the current λ */
    uint32_t m0;
    uint32_t nca;         /* candidates still stepped: cand[nca..ncand) were set aside */
    double inc;           /* the best objective known */
    ekm__eval_fn full;
    void *full_ctx;
    const atomic_int *cancel;
} lazy;

static int is_cancelled(const atomic_int *cancel)
{
    return cancel && atomic_load_explicit(cancel, memory_order_relaxed);
}

static double sum_floats(const float *v, uint32_t n)
{
    double s = 0.0;
    for (uint32_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* δ = Σ_i (λ_i − λref_i)^+: how far any ρ_j can have fallen since λref. */
static double drift(const float *lam, const float *lref, uint32_t n)
{
    double d = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double t = (double)lam[i] - (double)lref[i];
        d += t > 0.0 ? t : 0.0;
    }
    return d;
}

/* ρ of rows[0..count) at lam into out, on this thread in slices so a cancel
 * is seen within milliseconds (or by the shared pass when use_full); the
 * largest |ρ| goes into out->rmax. Returns 1 when cancelled. */
static int eval_rho(const lazy *z, const float *lam, const uint32_t *rows, size_t count,
                    double *out, int use_full)
{
    if (use_full && z->full) {
        z->full(z->full_ctx, lam, rows, count, out);
    } else {
        for (size_t j = 0; j < count; j += EVAL_SLICE) {
            if (is_cancelled(z->cancel))
                return 1;
            size_t e = count - j > EVAL_SLICE ? j + EVAL_SLICE : count;
            if (use_full)
                ekm__rho_list_full(z->pd, lam, rows + j, e - j, out + j, &z->w->cache);
            else
                ekm__rho_list(z->pd, lam, rows + j, e - j, out + j, &z->w->cache);
        }
    }
    double rmax = z->out->rmax;
    for (size_t j = 0; j < count; j++)
        if (-out[j] > rmax)
            rmax = -out[j];
    z->out->rmax = rmax;
    z->out->rows += count;
    return is_cancelled(z->cancel);
}

/* Reduced-cost fixing. At the rebase's λ, with every active candidate's ρ exact
 * and sorted (rho[0..nca)), a candidate q >= r whose best set, base + ρ_q + the
 * r − 1 smallest others, passes the pruning threshold can be in no set that
 * could win: it is set aside (cand[nca..ncand)), and the later steps and
 * rebases no longer evaluate it; each rebase carries its lower bound over to
 * the new reference λ (ℓ_j − δ, rounded down). This only steers the
 * multipliers; the output (finalize) bounds the set-aside candidates at the
 * best λ and evaluates again those whose bound could leave a child open, so
 * every lower bound it writes holds there whatever was set aside. Returns 1
 * if cancelled. */
static int set_aside(lazy *z)
{
    ekm__bound_work *w = z->w;
    const ekm__bound_in *in = z->in;
    unsigned r = in->r, nfix = in->cap ? 0 : in->nfixed;
    if (!isfinite(z->inc) || z->nca <= r)
        return 0;
    if (eval_rho(z, w->lam, in->fixed, nfix, w->rho_fix, 0))
        return 1;
    double sum = sum_floats(w->lam, z->pd->n), base = sum;
    for (unsigned t = 0; t < nfix; t++)
        base += w->rho_fix[t];
    double others = 0.0;
    for (unsigned t = 0; t + 1 < r; t++)
        others += w->rho[t];
    double smax = sum > z->out->sum_max ? sum : z->out->sum_max;
    double thr = ekm__prune_threshold(z->pd, z->inc,
                                      ekm__bound_margin(z->pd, z->out->rmax, smax));
    uint32_t q = z->nca;
    while (q > r && base + others + w->rho[q - 1] > thr)
        q--;
    z->nca = q;
    if (z->m0 > q)
        z->m0 = q;
    return 0;
}

/* Every active candidate evaluated at the current λ, which becomes the
 * reference: the lower bounds are then exact, sorted into out's buffers (the
 * set-aside tail stays where it is); then set_aside. Returns 1 if cancelled. */
static int rebase(lazy *z)
{
    ekm__bound_work *w = z->w;
    uint32_t nc = z->in->ncand, na = z->nca;
    if (eval_rho(z, w->lam, z->cand, na, w->rho, 1))
        return 1;
    rho_pair *p = w->pairs;
    for (uint32_t j = 0; j < na; j++)
        p[j] = (rho_pair){w->rho[j], z->cand[j]};
    qsort(p, na, sizeof *p, cmp_pair);
    for (uint32_t j = 0; j < na; j++) {
        z->out->cand[j] = p[j].id;
        z->out->lower[j] = p[j].rho;
        w->rho[j] = p[j].rho;
    }
    if (z->cand != z->out->cand) { /* the first rebase from in's list: its tail too */
        for (uint32_t j = na; j < nc; j++)
            z->out->cand[j] = z->cand[j];
    } else if (na < nc) {
        /* the set-aside tail's bounds move to the new reference λ: ℓ_j − δ,
         * with δ and the difference rounded down-safe, so that they stay
         * lower bounds however many rebases they go through */
        uint32_t n = z->pd->n;
        double up = drift(w->lam, z->lref, n) * (1.0 + ((double)n + 2.0) * 0x1p-52);
        for (uint32_t j = na; j < nc; j++)
            z->out->lower[j] = nextafter(z->out->lower[j] - up, -INFINITY);
    }
    memcpy(w->lam_ref, w->lam, z->pd->stride * sizeof *w->lam);
    z->cand = z->out->cand;
    z->low = z->out->lower;
    z->lref = w->lam_ref;
    if (set_aside(z))
        return 1;
    z->m = z->m0;
    return 0;
}

/* The r smallest ρ at the current λ (positions in w->sel, their sum in *ssum):
 * widen the exact prefix until no candidate outside it, bounded by ℓ_j − δ,
 * can be among them; rebase rather when the prefix would pass a quarter of
 * the list.
 * w->rho[0..m) holds the exact prefix. Returns 1 if cancelled. */
static int smallest_exact(lazy *z, double *ssum)
{
    ekm__bound_work *w = z->w;
    unsigned r = z->in->r;
    uint32_t n = z->pd->n;
    double delta = drift(w->lam, z->lref, n);
    for (;;) {
        *ssum = select_smallest(w->rho, z->m, r, w->sel);
        uint32_t nc = z->nca;
        double top = w->rho[w->sel[r - 1]];
        if (z->m >= nc || !(top > z->low[z->m] - delta))
            return 0;
        /* the first bounded candidate that cannot be among the r smallest
         * (the bounds ascend): how far the prefix must reach at most */
        uint32_t lo = z->m + 1, hi = nc;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (top > z->low[mid] - delta)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > nc / 4 && nc > 4 * z->m0) {
            if (rebase(z))
                return 1;
            delta = 0.0;
            continue;
        }
        /* widen in chunks (the r-th smallest falls as the prefix grows) */
        uint32_t chunk = z->m > WIDEN_MIN ? z->m : WIDEN_MIN;
        uint32_t want = lo - z->m > chunk ? z->m + chunk : lo;
        if (eval_rho(z, w->lam, z->cand + z->m, want - z->m, w->rho + z->m,
                     want - z->m >= FULL_MIN))
            return 1;
        z->m = want;
    }
}

/* Add v to the r − 1 smallest kept in low[0..r-1) (ascending, +∞ for none). */
static void keep_smallest(double *low, unsigned r, double v)
{
    if (r < 2 || !(v < low[r - 2]))
        return;
    unsigned t = r - 2;
    while (t > 0 && low[t - 1] > v) {
        low[t] = low[t - 1];
        t--;
    }
    low[t] = v;
}

/* The set-aside tail at the output λ into w->rho[m..m+nx): each candidate
 * bounded by ℓ_j − δ, and evaluated exactly only where that bound could make
 * it the first candidate of a child the threshold leaves open, i.e. where
 * base + (ℓ_j − δ) + (the r − 1 smallest other bounds) <= the threshold.
 * Set aside because no winning set could hold them, they rarely are: this
 * spares a pass over most of the candidates at every node that set many
 * aside. Exact values only raise the others' sum, while the margin grows
 * with the values read; so it repeats until no bounded one qualifies.
 * Returns 1 if cancelled. */
static int tail_bounds(lazy *z, double incumbent, double base, double delta)
{
    ekm__bound_work *w = z->w;
    uint32_t m = z->m, na = z->nca, nx = z->in->ncand - na;
    unsigned r = z->in->r;
    double *v = w->rho + m, *got = w->dir;
    int32_t *exact = w->cover;
    uint32_t *ids = (uint32_t *)w->pairs, *at = ids + nx;
    for (uint32_t j = 0; j < nx; j++) {
        v[j] = z->low[na + j] - delta;
        exact[j] = 0;
    }
    for (;;) {
        double low[EKM_MAX_K];
        for (unsigned t = 0; t < r; t++)
            low[t] = INFINITY;
        for (uint32_t j = 0; j < m; j++)
            keep_smallest(low, r, w->rho[j]);
        for (uint32_t j = m; j < na && j < m + r; j++)
            keep_smallest(low, r, z->low[j] - delta);
        for (uint32_t j = 0; j < nx; j++)
            if (exact[j])
                keep_smallest(low, r, v[j]);
        /* first the bounded ones that could be among the r − 1 smallest
         * (their loose bounds would drag the others' sum down) */
        uint32_t count = 0;
        for (uint32_t j = 0; r > 1 && j < nx; j++)
            if (!exact[j] && v[j] < low[r - 2]) {
                ids[count] = z->cand[na + j];
                at[count++] = j;
            }
        uint32_t phase1 = count;
        double others = 0.0;
        for (unsigned t = 0; t + 1 < r; t++)
            others += low[t];
        double thr = ekm__prune_threshold(
            z->pd, incumbent, ekm__bound_margin(z->pd, z->out->rmax, z->out->sum_max));
        /* then those whose bound leaves their child open */
        for (uint32_t j = 0; phase1 == 0 && j < nx; j++)
            if (!exact[j] && !(base + v[j] + others > thr)) {
                ids[count] = z->cand[na + j];
                at[count++] = j;
            }
        if (!count)
            return 0;
        if (eval_rho(z, z->out->lam, ids, count, got, count >= FULL_MIN))
            return 1;
        for (uint32_t t = 0; t < count; t++) {
            v[at[t]] = got[t];
            exact[at[t]] = 1;
        }
    }
}

/* Write the output at the best λ: the exact prefix evaluated there and the
 * set-aside tail (tail_bounds), sorted, merged with the bounded rest (ℓ_j − δ,
 * already in order); fill base, bound, margin. */
static int finalize(lazy *z, double incumbent)
{
    ekm__bound_work *w = z->w;
    ekm__bound_out *out = z->out;
    const ekm__bound_in *in = z->in;
    uint32_t nc = in->ncand, n = z->pd->n, m = z->m, na = z->nca, nx = nc - na;
    double sum = sum_floats(out->lam, n);
    double delta = drift(out->lam, z->lref, n);
    unsigned nfix = in->cap ? 0 : in->nfixed; /* under the cap every ρ_f is 0 */
    if (eval_rho(z, out->lam, z->cand, m, w->rho, m >= FULL_MIN) ||
        eval_rho(z, out->lam, in->fixed, nfix, w->rho_fix, 0))
        return 1;
    double base = sum;
    for (unsigned t = 0; t < nfix; t++)
        base += w->rho_fix[t];
    if (tail_bounds(z, incumbent, base, delta))
        return 1;
    /* pairs: [0, ne) the exact ones (sorted), [ne, nc) the bounded rest in
     * order; the merge reads only the pairs, so out's buffers may be z's */
    rho_pair *p = w->pairs;
    uint32_t ne = m + nx;
    for (uint32_t j = 0; j < m; j++)
        p[j] = (rho_pair){w->rho[j], z->cand[j]};
    for (uint32_t j = 0; j < nx; j++)
        p[m + j] = (rho_pair){w->rho[m + j], z->cand[na + j]};
    for (uint32_t j = m; j < na; j++)
        p[nx + j] = (rho_pair){z->low[j] - delta, z->cand[j]};
    qsort(p, ne, sizeof *p, cmp_pair);
    uint32_t a = 0, b = ne, o = 0;
    while (o < nc) {
        int take_prefix = b >= nc;
        if (!take_prefix && a < ne)
            take_prefix = p[a].rho < p[b].rho || (p[a].rho == p[b].rho && p[a].id < p[b].id);
        const rho_pair *e = take_prefix ? &p[a++] : &p[b++];
        out->cand[o] = e->id;
        out->lower[o] = e->rho;
        o++;
    }
    out->base = base;
    double bound = base;
    for (unsigned t = 0; t < in->r; t++)
        bound += out->lower[t];
    out->bound = bound;
    out->margin = ekm__bound_margin(z->pd, out->rmax, out->sum_max);
    out->closed = bound > ekm__prune_threshold(z->pd, incumbent, out->margin);
    return 0;
}

/* Has the relaxed solution changed since the last probe? (rows in selection order) */
static int same_rows(const uint32_t *a, const uint32_t *b, unsigned k)
{
    for (unsigned t = 0; t < k; t++)
        if (a[t] != b[t])
            return 0;
    return 1;
}

int ekm__bound_optimise(const ekm__pdata *pd, ekm__bound_work *w, const ekm__subgrad *s,
                        const ekm__bound_in *in, double incumbent, ekm__bound_out *out,
                        const ekm__bound_env *env)
{
    ekm__eval_fn full = env->full;
    void *full_ctx = env->full_ctx;
    const atomic_int *cancel = env->cancel;
    int probed = 0;
    uint32_t n = pd->n, nc = in->ncand;
    unsigned r = in->r, k = in->nfixed + in->r;
    unsigned nfix = in->cap ? 0 : in->nfixed; /* under the cap every ρ_f is 0 */
    lazy z = {pd, w, in, out, in->cand, in->lower, in->lam, 0, 0, in->ncand, incumbent,
              full, full_ctx, cancel};
    z.m0 = s->prefix > 2 * r ? s->prefix : 2 * r;
    if (z.m0 > nc)
        z.m0 = nc;
    out->steps = 0;
    out->rows = 0;
    out->closed = 0;
    out->sum_max = in->sum_max;
    out->rmax = in->rmax;
    memcpy(w->lam, in->lam, pd->stride * sizeof *w->lam);
    if (in->cap)
        for (size_t i = 0; i < pd->stride; i++)
            w->lam[i] = w->lam[i] < in->cap[i] ? w->lam[i] : in->cap[i];
    memcpy(out->lam, w->lam, pd->stride * sizeof *w->lam);
    double best = -INFINITY, theta = s->theta;
    unsigned since = 0;
    memset(w->dir, 0, n * sizeof *w->dir);
    if (!in->lower) {
        if (rebase(&z))
            return 1;
    } else {
        z.m = z.m0;
        if (eval_rho(&z, w->lam, z.cand, z.m, w->rho, 0))
            return 1;
    }
    int fresh = 1; /* w->rho[0..m) is exact at w->lam */
    for (unsigned step = 0; step < s->max_steps; step++) {
        double sum = sum_floats(w->lam, n);
        if (sum > out->sum_max)
            out->sum_max = sum;
        if (!fresh && eval_rho(&z, w->lam, z.cand, z.m, w->rho, z.m >= FULL_MIN))
            return 1;
        fresh = 0;
        double ssum;
        if (smallest_exact(&z, &ssum) || eval_rho(&z, w->lam, in->fixed, nfix, w->rho_fix, 0))
            return 1;
        double bound = sum + ssum;
        for (unsigned t = 0; t < nfix; t++)
            bound += w->rho_fix[t];
        out->steps++;
        if (in->nfixed)
            memcpy(w->rows, in->fixed, in->nfixed * sizeof *in->fixed);
        for (unsigned t = 0; t < r; t++)
            w->rows[in->nfixed + t] = z.cand[w->sel[t]];
        if (env->probe && (!probed || !same_rows(w->rows, w->probed_rows, k))) {
            memcpy(w->probed_rows, w->rows, k * sizeof *w->rows);
            probed = 1;
            double u = env->probe(env->probe_ctx, w->rows);
            if (u < incumbent)
                incumbent = z.inc = u;
        }
        if (bound > best) {
            best = bound;
            memcpy(out->lam, w->lam, pd->stride * sizeof *w->lam);
            memcpy(w->best_rows, w->rows, k * sizeof *w->rows);
            since = 0;
        } else if (++since >= s->patience) {
            /* restart from the best point with half the step */
            theta *= 0.5;
            since = 0;
            memcpy(w->lam, out->lam, pd->stride * sizeof *w->lam);
            memcpy(w->rows, w->best_rows, k * sizeof *w->rows);
            memset(w->dir, 0, n * sizeof *w->dir);
            bound = best;
        }
        if (env->on_step)
            env->on_step(env->step_ctx, best, z.nca);
        double margin = ekm__bound_margin(pd, out->rmax, out->sum_max);
        if (best > ekm__prune_threshold(pd, incumbent, margin))
            break;
        if (step + 1 == s->max_steps || theta < s->theta_min || !isfinite(incumbent) ||
            (s->max_rows && out->rows >= s->max_rows))
            break;
        /* Once L is within the margin of U no step can close the node. */
        if (!(incumbent * pd->scale - bound > margin))
            break;
        /* under the cap F covers nothing: its λ_i <= d_if */
        if (subgradient_step(pd, &w->cache, w->lam, in->cap, w->cover, w->dir, w->rows + in->nfixed - nfix,
                             k - (in->nfixed - nfix), bound, incumbent * pd->scale, theta) == 0.0)
            break;
        if (is_cancelled(cancel))
            return 1;
    }
    return finalize(&z, incumbent);
}
