/* cert_rec.h — what the pruned search records for a certificate of optimality
 * (private; the file format and its checker: ekm/certificate.h).
 *
 * A node of the search (prune_search.h) fixes F, allows r more medoids from a
 * candidate set C and handles its children one candidate c at a time; each
 * handled c leaves C for the children handled after it, so child c's subtree is
 * F ∪ {c} with r − 1 more from what C still holds. The recorder keeps, per root
 * child, the events of that depth-first walk in order:
 *   OPEN c   child c is searched: its own events follow, ended by END;
 *   CLOSE c  child c's whole subtree is discarded by its bound (or, r == 1,
 *            the single set F ∪ {c} is discarded);
 *   LEAF c   (r == 1) the set F ∪ {c} is evaluated;
 *   LAMBDA   the node optimised its own multipliers (n floats follow); they
 *            hold for it and its descendants;
 *   END      the node's remaining candidates (its tail) are discarded by the
 *            node's bound.
 * Every event of a subtree is recorded by the thread that searches it, so no
 * lock is needed; a failed allocation marks the recorder `failed`. */
#ifndef EKM_CERT_REC_H
#define EKM_CERT_REC_H

#include <stddef.h>
#include <stdint.h>

enum { EKM__CERT_OPEN = 'o', EKM__CERT_CLOSE = 'x', EKM__CERT_LEAF = 'l', EKM__CERT_END = 'e',
       EKM__CERT_LAMBDA = 'L' };

typedef struct ekm__cert_rec {
    unsigned char *buf; /* events: a type byte, then a uint32 (OPEN, CLOSE, LEAF) or n floats (LAMBDA) */
    size_t len, cap;
    int failed;
} ekm__cert_rec;

/* Record an event (rec NULL: nothing; c is ignored for END). */
void ekm__cert_event(ekm__cert_rec *rec, int type, uint32_t c);
/* Record a LAMBDA event: lam[0..n) (rec NULL: nothing). */
void ekm__cert_lambda(ekm__cert_rec *rec, const float *lam, uint32_t n);
void ekm__cert_rec_free(ekm__cert_rec *rec);

/* A pruned job's certificate: the root's multipliers and each root child's events. */
typedef struct ekm__cert {
    uint32_t n;
    unsigned k;
    double scale;        /* the float rows hold fl(d * scale): λ / scale is in the objective's units */
    float *lam;          /* n: the root's multipliers */
    uint32_t tasks;      /* root children searched; the rest is closed by the root's bound */
    ekm__cert_rec *units; /* tasks */
} ekm__cert;

ekm__cert *ekm__cert_new(uint32_t n, unsigned k, double scale, const float *lam, uint32_t tasks);
void ekm__cert_free(ekm__cert *c); /* NULL is fine */

#endif
