/* cert_check_internal.h — the certificate checker's state, shared by its
 * reader (certificate_parse.c) and its walk (certificate_check.c) (private). */
#ifndef EKM_CERT_CHECK_INTERNAL_H
#define EKM_CERT_CHECK_INTERNAL_H

#include <math.h>
#include <stdint.h>

#include "ekm/certificate.h"

/* One multiplier vector and what the checks need of it. */
typedef struct frame {
    double *lam;     /* n, >= 0 */
    double sum;      /* Σλ */
    double *rho;     /* n: ρ_j = Σ_i min(0, d_ij − λ_i) */
    uint32_t *order; /* n: the points by ascending ρ */
} frame;

typedef struct chk {
    const char *name;  /* for messages: "certificate" */
    const char *text;
    size_t len, pos;
    long lineno;
    char line[512];
    ekm_error *err;
    ekm_certificate_summary *sum;
    /* the data */
    const double *x;
    size_t n, d;
    ekm_metric metric;
    unsigned k;
    double objective;
    /* the walk */
    uint32_t fixed[64];
    double *m[65];          /* per depth: nearest fixed medoid; m[k]: scratch */
    frame *node_frame[64];  /* the multipliers each depth uses */
    frame *own[64];         /* the ones a depth read itself (freed at its end) */
    uint64_t events[64];    /* child events of each open node */
    size_t mark_base[64];
    unsigned char *out;     /* n: no longer a candidate of the current node */
    uint32_t *marked;       /* the points marked, in order */
    size_t nmarked;
} chk;

static inline double chk_dist(const chk *c, size_t i, size_t j)
{
    const double *a = c->x + i * c->d, *b = c->x + j * c->d;
    double s = 0.0;
    if (c->metric == EKM_METRIC_MANHATTAN) {
        for (size_t t = 0; t < c->d; t++)
            s += fabs(a[t] - b[t]);
        return s;
    }
    for (size_t t = 0; t < c->d; t++)
        s += (a[t] - b[t]) * (a[t] - b[t]);
    return c->metric == EKM_METRIC_SQEUCLIDEAN ? s : sqrt(s);
}

/* The next line (NUL-terminated, without its newline) and its number; NULL at
 * the end of the text or on a line too long (err set then). */
const char *chk_line(chk *c, long *line);
/* A point index after a one-letter event ("o 12"); 0 or -1 (err set). */
int chk_point(chk *c, const char *s, uint32_t *out, long line);
/* Read n multipliers (one per line) and compute their ρ; NULL (err set) on a
 * malformed or negative value or no memory. */
frame *chk_frame_read(chk *c);
void chk_frame_free(frame *f); /* NULL is fine */
/* The tree from "tree" (already read) to "end"; 0 or -1 (err set). */
int chk_walk(chk *c);

#endif
