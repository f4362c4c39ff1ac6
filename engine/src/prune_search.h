/* prune_search.h — one thread's depth-first branch and bound over subtrees of
 * the K-subset tree (private).
 *
 * A node fixes medoids F = fixed[0..d) and allows r = K − d more from a list of
 * candidates sorted by ascending ρ under the node's multipliers λ (see
 * prune_bound.h). Child q adds cand[q] and keeps the candidates after it, so
 * the children partition the node's subsets, and the bound of child q,
 * base + ρ[q] + … + ρ[q+r−1], only grows with q: once it passes the threshold
 * every later child is discarded too. A node may re-optimise λ for itself (its
 * candidates are then re-sorted); otherwise it inherits its parent's λ and
 * order for free. Leaves are evaluated with the EKM kernel against the prefix
 * vector of F, filtered in float and re-evaluated in double (prune_bound.h says
 * why nothing that can win, tie rule included, is filtered out), and offered to
 * the thread's best-list in any order (ekm__best_offer_any).
 */
#ifndef EKM_PRUNE_SEARCH_H
#define EKM_PRUNE_SEARCH_H

#include <stdatomic.h>

#include "best.h"
#include "cert_rec.h"
#include "count_atomic.h"
#include "ekm/dissim.h"
#include "prune_bound.h"
#include "prune_dupes.h"

/* A node whose candidates are already sorted by ρ under its λ. */
typedef struct ekm__pnode {
    unsigned depth;        /* |F|; F is the searcher's fixed[0..depth) */
    const uint32_t *cand;  /* ncand candidates, ascending ρ */
    const double *rho;     /* ncand lower bounds of ρ under lam, ascending */
    uint32_t ncand;
    unsigned r;            /* medoids still to choose, >= 1 */
    double base;           /* Σλ + Σ_{j∈F} ρ_j */
    const float *lam;      /* the multipliers (stride floats) */
    double rmax, sum_max;  /* behind the bounds (see prune_bound.h) */
    double margin;         /* ekm__bound_margin(rmax, sum_max) */
} ekm__pnode;

/* The incumbent every thread shares: the smallest objective offered so far. */
typedef struct ekm__shared_incumbent {
    _Atomic uint64_t bits; /* a non-negative double, as bits */
} ekm__shared_incumbent;

double ekm__incumbent_get(const ekm__shared_incumbent *inc);
/* Lower it to v if v is smaller; returns 1 if it did. */
int ekm__incumbent_lower(ekm__shared_incumbent *inc, double v);

/* When a node pays for its own λ (see ekm__searcher.refine_factor). */
typedef struct ekm__search_stats {
    ekm_count evaluated;    /* leaves evaluated with the kernel */
    ekm_count pruned;       /* K-subsets discarded by a bound (a subtree may hold
                             * more than 2^64) */
    uint64_t screened;      /* sets re-evaluated on the float matrix, accurately */
    uint64_t verified;      /* sets re-evaluated in double from the source */
    uint64_t nodes;         /* inner nodes entered */
    uint64_t refined;       /* nodes that optimised their own λ */
    uint64_t bound_passes;  /* kernel passes spent on bounds (rows) */
} ekm__search_stats;

/* The r smallest point indices of a node's candidates (its list is the key). */
typedef struct ekm__low_cache {
    const uint32_t *cand;
    uint32_t ncand;
    unsigned r;
    uint32_t idx[64];
} ekm__low_cache;

typedef struct ekm__searcher {
    const ekm__pdata *pd;
    const ekm_dissim *dm;
    unsigned k;
    uint32_t fixed[64];
    ekm__bound_work bw;
    ekm__subgrad sched;      /* for nodes below the root */
    double refine_factor;    /* refine when the leaves left exceed this × the
                              * kernel passes a refinement costs */
    uint64_t refine_rows;    /* rows spent by this thread's refinements: kept
                              * within half the K-subsets it closes (see visit) */
    float *m;                /* (k+1) prefix vectors, stride floats each */
    float *probe_m;          /* stride: scratch of ekm__searcher_probe */
    float *row1;             /* stride, matrix-free only: one row computed on the fly */
    unsigned m_valid;        /* m[0..m_valid] match fixed[0..m_valid) */
    uint32_t *own_cand[64];  /* per depth, for refined nodes (n each, lazily) */
    double *own_rho[64];
    ekm__low_cache low[64];  /* per depth, for the tie rule's discards */
    float *own_lam[64];
    ekm__best best;          /* this thread's candidates */
    ekm__shared_incumbent *incumbent;
    const atomic_int *cancel;
    /* called on this thread when its best-list improves the shared incumbent */
    void (*on_improve)(void *ctx, const ekm__best *best);
    void *improve_ctx;
    /* progress: closed K-subsets (evaluated + pruned) and pruned ones */
    ekm__acount *done_a, *done_b, *pruned_a;
    ekm_count pend_done, pend_pruned;
    int probe_failed;        /* a probe ran out of memory */
    ekm__objective_memo memo; /* exact objectives by canonical set (off unless
                               * the caller sets it up: ekm__memo_init) */
    ekm__search_stats stats;
    ekm__cert_rec *cert;     /* records the walk for a certificate (cert_rec.h), or NULL */
} ekm__searcher;

/* Set up (allocates); returns 0 or -1 on no memory. */
int ekm__searcher_init(ekm__searcher *s, const ekm__pdata *pd, const ekm_dissim *dm,
                       ekm__shared_incumbent *inc, const atomic_int *cancel);
void ekm__searcher_free(ekm__searcher *s);
/* Publish pending progress. */
void ekm__searcher_flush(ekm__searcher *s);
/* Count subsets discarded without evaluation (progress is published in batches). */
void ekm__searcher_prune(ekm__searcher *s, ekm_count count);

/* Visit children [q0, q1) of node (fixed[0..node->depth) set by the caller):
 * every K-subset below them is evaluated or counted as pruned. Returns 0, 1 when
 * cancelled, -1 on no memory. */
int ekm__search_children(ekm__searcher *s, const ekm__pnode *node, uint32_t q0, uint32_t q1);

/* The Lagrangian heuristic (ekm__bound_env.probe, ctx = the searcher): offer
 * the k medoids `set` (any order) as a candidate answer, re-evaluated in double
 * when its float objective could win; returns the shared incumbent. Not counted
 * as evaluated: the set is closed again by the search. */
double ekm__searcher_probe(void *ctx, const uint32_t *set);

/* The number of leading children of node whose bound does not exceed thr. */
uint32_t ekm__surviving_children(const ekm__pnode *node, double thr);

#endif
