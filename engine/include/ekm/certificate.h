/* certificate.h — a certificate of optimality for the pruned strategy, and its
 * independent checker.
 *
 * A pruned job started with ekm_solve_options.certificate = 1 records what its
 * branch and bound closed; ekm_job_write_certificate writes it as text:
 *
 *   ekm-certificate 1
 *   data LINE             any number: how to rebuild the data (the caller's note)
 *   n N / d D / metric M / k K
 *   objective HEX DEC     the claimed optimum (hexadecimal float, exact; decimal)
 *   medoids I1 .. IK      0-based, ascending
 *   lambda                then N lines: the root's multipliers λ_i >= 0 (hex floats)
 *   tree                  the root's walk, one event a line:
 *     o C   the child that fixes point C is searched: its events follow, up to its e
 *     x C   that child is closed by its bound (with one medoid left: the single set)
 *     l C   (one medoid left) the set F ∪ {C} was evaluated
 *     L     the node uses its own multipliers (N lines follow) for itself and below
 *     e     the node's remaining candidates are closed by its bound; the node ends
 *   end
 *
 * A node fixes the medoids F of its path and takes r = K − |F| more from its
 * candidates C (the root: every point, F empty). Each child event takes its
 * point out of C for the children after it, so the children and the final
 * tail partition the node's K-subsets whatever their order: the checker needs
 * no order and enumerates nothing. A closed subtree (F', C', r') is valid when
 * its Lagrangian bound, recomputed in double from the coordinates,
 *     max(Σλ + Σ_{j∈F'} ρ_j, Σ_i min(λ_i, m_i)) + (the r' smallest ρ_j, j ∈ C'),
 *     ρ_j = Σ_i min(0, d_ij − λ_i), m_i = min_{j∈F'} d_ij,
 * is at least the objective (every set S below it has f(S) >= that bound for
 * any λ, since min_{j∈S} d_ij >= λ_i + Σ_{j∈S} min(0, d_ij − λ_i)), or when
 * the bound falls short by less than 1e-5 (relative: the solver's float
 * rounding) and the part is small, every set in it costs at least the
 * objective (each evaluated).
 *
 * Thread safety: ekm_certificate_verify touches only its arguments. */
#ifndef EKM_CERTIFICATE_H
#define EKM_CERTIFICATE_H

#include <stdio.h>

#include "ekm/job.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

/* The relative tolerance of the checks: the claimed objective must be the
 * medoids' cost within it, and no closed subtree's bound may fall below the
 * objective by more than it (plus the checker's own rounding, see
 * certificate_check.c). */
#define EKM_CERTIFICATE_REL_TOL 1e-9

/* Write the certificate of a finished pruned job that succeeded and was started
 * with opt.certificate = 1. note (or NULL): text written as "data" lines (one per
 * line of it), for the caller to know how to rebuild the data. Returns EKM_OK,
 * EKM_ERR_INVALID when the job has no certificate (its record ran out of memory:
 * the result stands, the certificate is lost), EKM_ERR_IO when a write fails. */
ekm_status ekm_job_write_certificate(ekm_job *job, FILE *f, const char *note, ekm_error *err);

typedef struct ekm_certificate_summary {
    size_t n;
    unsigned k;
    ekm_metric metric;
    double objective;        /* the claimed (and verified) objective */
    uint32_t medoids[64];    /* k, 0-based */
    uint64_t subtrees;       /* closed subtrees whose bound was checked */
    uint64_t leaves;         /* sets evaluated exactly */
    uint64_t nodes;          /* searched nodes */
    uint64_t multipliers;    /* multiplier vectors (the root's and the nodes' own) */
    double min_slack;        /* the least (bound − objective) / objective over the closed
                              * subtrees (INFINITY when none; 0 objective: not computed) */
    int trivial;             /* the objective is 0: no set can be below it */
    uint64_t enumerated;     /* sets of closed subtrees whose bound fell short of the
                              * objective within the checker's rounding of the solver's
                              * float values, evaluated one by one instead */
    double covered;          /* K-subsets the closed subtrees and evaluated sets hold
                              * (C(N,K) by construction; in double) */
} ekm_certificate_summary;

/* Check a certificate (text, len bytes; name: its file, for the messages)
 * against the points of ds, with the
 * metric it names (euclidean, sqeuclidean or manhattan), recomputing every
 * dissimilarity in double without any of the solver's code. Returns EKM_OK
 * when it proves its objective optimal for its K, filling *out (may be NULL);
 * EKM_ERR_PARSE (malformed: err names the line) or EKM_ERR_INVALID (a check
 * failed: err->message says which, with the numbers) otherwise. */
ekm_status ekm_certificate_verify(const char *text, size_t len, const char *name,
                                  const ekm_dataset *ds, ekm_certificate_summary *out,
                                  ekm_error *err);

/* The certificate's "data" lines joined by newlines (malloc'd; "" when none),
 * or NULL on no memory. */
char *ekm_certificate_note(const char *text, size_t len);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
