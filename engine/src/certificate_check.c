/* certificate_check.c — the independent checker of a pruned certificate
 * (ekm/certificate.h). It reads only the certificate and the dataset's
 * coordinates: every dissimilarity is recomputed here in double, nothing of the
 * solver (float matrix, kernels, search) is used.
 *
 * The walk. A stack of nodes, one per depth d (F = the points opened on the
 * path, r = K − d), each with the multipliers it uses (the root's, or its own
 * from an L event, inherited below) and m_d, each point's dissimilarity to its
 * nearest medoid of F. A point named by a child event is marked out of the
 * node's candidates (for the children after it and for the tail) and unmarked
 * when the node ends. Coverage: a K-subset F ∪ T of a node either meets the
 * points its events named — then it lies in the subtree of the first of them —
 * or lies in the tail; a named point must still be a candidate (never fixed,
 * never named twice in a node or above it), so every K-subset of the root is
 * in exactly one closed subtree or evaluated set.
 *
 * Tolerance. A check passes when value >= X − ε·X − e, X the objective, ε =
 * EKM_CERTIFICATE_REL_TOL, e the rounding of this file's own double sums
 * (u = 2^-53): Σλ and each ρ_j (n terms, each min(0, d − λ) within u of its
 * exact value, |terms| <= λ_i) are within n·u·Σλ of their exact sums, and so is
 * Σ min(λ_i, m_i) <= Σλ; a bound adds at most K + 1 of them, each addition
 * within u of the running total, whose magnitude is at most (K + 1)·Σλ.
 * Hence |computed − exact| <= (K + 1)(n + K + 1)·u·Σλ; e doubles that
 * (second-order terms) and adds (K + 2)·u·Σλ for the final additions:
 * e = 2(K + 2)(n + K + 2)·u·Σλ. An evaluated set's cost (n terms) is within
 * n·u of its exact value: e = 2n·u·f there. The dissimilarities are the double
 * values this file computes, so what passes proves: no K-subset costs less than
 * X·(1 − ε) − e. The solver's own bounds are on float roundings of the same
 * values; where that makes a bound land just below X here, the part is
 * evaluated set by set when small (enumerate_part). */
#include "ekm/certificate.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cert_check_internal.h"

/* ---- the walk -------------------------------------------------------------- */

static int fail(chk *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(chk *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[EKM_ERROR_MESSAGE_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ekm_error_set(c->err, EKM_ERR_INVALID, c->name, c->lineno, 0, "%s", msg);
    return -1;
}

/* "{a, b, c}" of F (0-based, as the certificate names points). */
static const char *set_text(const uint32_t *f, unsigned len, uint32_t extra, char *buf, size_t size)
{
    size_t o = 0;
    o += (size_t)snprintf(buf + o, size - o, "{");
    for (unsigned t = 0; t < len && o < size; t++)
        o += (size_t)snprintf(buf + o, size - o, "%s%u", t ? ", " : "", (unsigned)f[t]);
    if (extra != UINT32_MAX && o < size)
        o += (size_t)snprintf(buf + o, size - o, "%s%u", len ? ", " : "", (unsigned)extra);
    if (o < size)
        snprintf(buf + o, size - o, "}");
    return buf;
}

/* Does value (a lower bound on every set of a closed part) pass? */
static int passes(chk *c, double value, double err, int bound)
{
    double x = c->objective;
    if (x == 0.0)
        return 1; /* dissimilarities are >= 0: nothing is below 0 */
    double slack = (value - x) / x;
    if (bound && slack < c->sum->min_slack)
        c->sum->min_slack = slack;
    return value >= x - EKM_CERTIFICATE_REL_TOL * x - err;
}

/* The bound of (F ∪ {extra}, the candidates not marked, r) under frame fr, with
 * m the nearest-medoid vector of F ∪ {extra}; +inf when fewer than r candidates
 * remain (an empty subtree). */
static double node_bound(chk *c, const frame *fr, const uint32_t *f, unsigned len, uint32_t extra,
                         const double *m, unsigned r)
{
    double take = 0.0;
    unsigned got = 0;
    for (size_t q = 0; q < c->n && got < r; q++) {
        uint32_t j = fr->order[q];
        if (!c->out[j]) {
            take += fr->rho[j];
            got++;
        }
    }
    if (got < r)
        return INFINITY;
    double base = fr->sum;
    for (unsigned t = 0; t < len; t++)
        base += fr->rho[f[t]];
    if (extra != UINT32_MAX)
        base += fr->rho[extra];
    if (len || extra != UINT32_MAX) {
        double mu = 0.0;
        for (size_t i = 0; i < c->n; i++)
            mu += fr->lam[i] < m[i] ? fr->lam[i] : m[i];
        if (mu > base)
            base = mu;
    }
    return base + take;
}

static double bound_err(const chk *c, const frame *fr)
{
    const double u = 0x1p-53;
    return 2.0 * (c->k + 2.0) * ((double)c->n + c->k + 2.0) * u * fr->sum;
}

/* C(m, r) in double (the count of a closed subtree, for the summary). */
static double choose(size_t m, unsigned r)
{
    if (r > m)
        return 0.0;
    double v = 1.0;
    for (unsigned t = 1; t <= r; t++)
        v = v * (double)(m - r + t) / t;
    return v;
}

/* The exact cost of F ∪ {j} from F's nearest-medoid vector m. */
static double leaf_cost(chk *c, const double *m, uint32_t j)
{
    double f = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        double v = chk_dist(c, i, j);
        f += v < m[i] ? v : m[i];
    }
    return f;
}

/* A closed part whose bound b falls short of the objective by less than
 * ENUM_WINDOW (relative): the solver bounds float roundings of these
 * dissimilarities (relative error 2^-24 per entry, over up to K + 1 sums of ρ),
 * so a bound it found just above the objective may land just below it here.
 * When the part holds at most ENUM_BUDGET distance evaluations' worth of sets,
 * every set of it is evaluated exactly instead. m: the nearest-medoid vector of
 * its fixed medoids; r more from the unmarked points. Returns 1 when every set
 * passes, 0 when one does not, there are too many or b is further off (*worst:
 * the least cost found, or NAN when not enumerated). */
#define ENUM_WINDOW 1e-5
enum { ENUM_BUDGET = 50000000 };
static int enumerate_part(chk *c, double b, const double *m, unsigned r, double *worst)
{
    size_t nc = c->n - c->nmarked;
    *worst = NAN;
    if (!(b >= c->objective * (1.0 - ENUM_WINDOW)))
        return 0;
    double sets = 1.0;
    for (unsigned t = 1; t <= r; t++)
        sets = sets * (double)(nc - r + t) / t;
    if (r > nc || sets * (double)c->n * r > ENUM_BUDGET)
        return 0;
    uint32_t *cand = malloc((nc ? nc : 1) * sizeof *cand);
    if (!cand)
        return 0;
    for (size_t j = 0, q = 0; j < c->n; j++)
        if (!c->out[j])
            cand[q++] = (uint32_t)j;
    unsigned idx[64];
    for (unsigned t = 0; t < r; t++)
        idx[t] = t;
    int ok = 1;
    double low = INFINITY;
    for (;;) {
        double f = 0.0;
        for (size_t i = 0; i < c->n; i++) {
            double v = m[i];
            for (unsigned t = 0; t < r; t++) {
                double w = chk_dist(c, i, cand[idx[t]]);
                v = w < v ? w : v;
            }
            f += v;
        }
        low = f < low ? f : low;
        if (!passes(c, f, 2.0 * (double)c->n * 0x1p-53 * f, 0)) {
            ok = 0;
            break;
        }
        int t = (int)r - 1; /* the next r-subset of cand, in lexicographic order */
        while (t >= 0 && idx[t] == nc - r + (unsigned)t)
            t--;
        if (t < 0)
            break;
        idx[t]++;
        for (unsigned u = (unsigned)t + 1; u < r; u++)
            idx[u] = idx[u - 1] + 1;
    }
    free(cand);
    *worst = low;
    if (ok)
        c->sum->enumerated += (uint64_t)sets;
    return ok;
}

/* "; a set in it costs X" after an enumeration that failed, else "". */
static const char *worst_text(double worst, char *buf, size_t size)
{
    if (isnan(worst))
        buf[0] = '\0';
    else
        snprintf(buf, size, "; a set in it costs %.17g", worst);
    return buf;
}

/* A child event names point j of the node at depth d: it must be a candidate. */
static int take_point(chk *c, unsigned d, uint32_t j, long line)
{
    (void)d;
    if (j >= c->n)
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                             "point %u is not a point of the data (N=%zu)", (unsigned)j, c->n);
    if (c->out[j])
        return ekm_error_set(c->err, EKM_ERR_INVALID, c->name, line, 0,
                             "point %u is not a candidate of its node (fixed above it or "
                             "named before): the certificate does not cover the K-subsets",
                             (unsigned)j);
    c->out[j] = 1;
    c->marked[c->nmarked++] = j;
    return 0;
}

/* x or l: child j of the node at depth d is closed (r >= 2: by its bound) or
 * evaluated (r == 1). */
static int close_child(chk *c, unsigned d, uint32_t j, long line, int leaf)
{
    unsigned r = c->k - d;
    char buf[400], wbuf[80];
    if (leaf && r != 1)
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                             "an evaluated set where %u medoids are still to choose", r);
    if (take_point(c, d, j, line))
        return -1;
    c->sum->covered += choose(c->n - c->nmarked, r - 1);
    if (r == 1) {
        double f = leaf_cost(c, c->m[d], j);
        c->sum->leaves++;
        if (!passes(c, f, 2.0 * (double)c->n * 0x1p-53 * f, 0))
            return fail(c, "the set %s costs %.17g, below the claimed objective %.17g",
                        set_text(c->fixed, d, j, buf, sizeof buf), f, c->objective);
        return 0;
    }
    double *m = c->m[c->k]; /* scratch: F ∪ {j} */
    for (size_t i = 0; i < c->n; i++) {
        double v = chk_dist(c, i, j);
        m[i] = v < c->m[d][i] ? v : c->m[d][i];
    }
    const frame *fr = c->node_frame[d];
    double b = node_bound(c, fr, c->fixed, d, j, m, r - 1), worst;
    c->sum->subtrees++;
    if (!passes(c, b, bound_err(c, fr), 1) && !enumerate_part(c, b, m, r - 1, &worst))
        return fail(c, "closed subtree %s (+%u more): its bound %.17g is below the "
                       "claimed objective %.17g (tolerance %.3g)%s",
                    set_text(c->fixed, d, j, buf, sizeof buf), r - 1, b,
                    c->objective, EKM_CERTIFICATE_REL_TOL * c->objective + bound_err(c, fr),
                    worst_text(worst, wbuf, sizeof wbuf));
    return 0;
}

/* o j: descend into child j of the node at depth d. */
static int open_child(chk *c, unsigned d, uint32_t j, long line)
{
    if (c->k - d < 2)
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                             "a searched child where only single sets remain (use l or x)");
    if (take_point(c, d, j, line))
        return -1;
    c->fixed[d] = j;
    for (size_t i = 0; i < c->n; i++) {
        double v = chk_dist(c, i, j);
        c->m[d + 1][i] = v < c->m[d][i] ? v : c->m[d][i];
    }
    c->node_frame[d + 1] = c->node_frame[d];
    c->own[d + 1] = NULL;
    c->events[d + 1] = 0;
    c->mark_base[d + 1] = c->nmarked;
    c->sum->nodes++;
    return 0;
}

/* e: the tail of the node at depth d is closed by its bound; the node ends. */
static int end_node(chk *c, unsigned d)
{
    const frame *fr = c->node_frame[d];
    double b = node_bound(c, fr, c->fixed, d, UINT32_MAX, c->m[d], c->k - d);
    c->sum->covered += choose(c->n - c->nmarked, c->k - d);
    if (isfinite(b)) {
        char buf[400], wbuf[80];
        double worst;
        c->sum->subtrees++;
        if (!passes(c, b, bound_err(c, fr), 1) && !enumerate_part(c, b, c->m[d], c->k - d, &worst))
            return fail(c, "closed subtree %s (+%u more, the candidates left at its "
                           "end): its bound %.17g is below the claimed objective %.17g "
                           "(tolerance %.3g)%s",
                        set_text(c->fixed, d, UINT32_MAX, buf, sizeof buf),
                        c->k - d, b, c->objective,
                        EKM_CERTIFICATE_REL_TOL * c->objective + bound_err(c, fr),
                        worst_text(worst, wbuf, sizeof wbuf));
    }
    while (c->nmarked > c->mark_base[d])
        c->out[c->marked[--c->nmarked]] = 0;
    chk_frame_free(c->own[d]);
    c->own[d] = NULL;
    return 0;
}

int chk_walk(chk *c)
{
    unsigned d = 0;
    for (;;) {
        long line;
        const char *s = chk_line(c, &line);
        if (!s && c->err->status)
            return -1; /* a line too long */
        if (!s)
            return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                                 "the tree ends early (%u nodes still open)", d + 1);
        char type = s[0];
        uint32_t j = 0;
        if (type == 'o' || type == 'x' || type == 'l') {
            if (chk_point(c, s + 1, &j, line))
                return -1;
            c->events[d]++;
        }
        int rc = 0;
        if (type == 'o') {
            rc = open_child(c, d, j, line);
            if (!rc)
                d++;
        } else if (type == 'x' || type == 'l') {
            rc = close_child(c, d, j, line, type == 'l');
        } else if (type == 'L' && s[1] == '\0') {
            if (d == 0 || c->own[d] || c->events[d])
                return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                                     "multipliers must open a node below the root, before "
                                     "its children");
            c->own[d] = chk_frame_read(c);
            if (!c->own[d])
                return -1;
            c->node_frame[d] = c->own[d];
            c->sum->multipliers++;
        } else if (type == 'e' && s[1] == '\0') {
            rc = end_node(c, d);
            if (!rc && d == 0)
                break;
            d--;
        } else {
            return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                                 "expected o, x, l, L or e, not \"%.40s\"", s);
        }
        if (rc)
            return -1;
    }
    long line;
    const char *s = chk_line(c, &line);
    if (!s || strcmp(s, "end"))
        return c->err->status ? -1
                              : (int)ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                                                   "expected \"end\" after the root's e");
    while ((s = chk_line(c, &line)))
        if (*s)
            return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                                 "text after \"end\"");
    return c->err->status ? -1 : 0;
}
