/* sweep.h — choosing K: the optimum for every K of a range (CLI `ekm sweep`,
 * REPL `sweep`), with its objective and mean silhouette, the elbow of the
 * objective curve, and a suggested K: the one with the largest mean
 * silhouette (Kaufman & Rousseeuw's rule; ties go to the smaller K). The front
 * ends run the jobs (each its own way of waiting and cancelling) and record
 * each finished K here. */
#ifndef EKM_UI_SWEEP_H
#define EKM_UI_SWEEP_H

#include <stdio.h>

#include "ekm/job.h"

#define SWEEP_RULE "largest mean silhouette"

typedef struct sweep_run {
    unsigned k;
    int done;          /* 1: finished (the fields below hold), 0: not run */
    int exact;         /* a proven optimum */
    double objective;
    double silhouette; /* mean; NaN for K = 1 (not defined) */
    double seconds;    /* the solve and the silhouette */
    uint32_t medoids[EKM_MAX_K];
    /* the silhouette's sample (common/quality_report.h): exact up to
     * EKM_SILHOUETTE_EXACT_MAX points, else estimated */
    int silhouette_exact;
    size_t silhouette_sample;
    double silhouette_std_error;
} sweep_run;

typedef struct sweep {
    unsigned lo, hi;
    sweep_run runs[EKM_MAX_K]; /* runs[k - lo] */
    int cancelled;             /* stopped before the last K */
    size_t n;                  /* the points (set by sweep_record) */
} sweep;

/* Parse "LO..HI" (or a single K) with 1 <= LO <= HI <= 64. 0 or -1 (message in err). */
int sweep_parse_range(const char *v, unsigned *lo, unsigned *hi, char *err, size_t errsize);
void sweep_init(sweep *sw, unsigned lo, unsigned hi);

/* Record the finished result r of K = r->k on dm (computes its silhouette);
 * `seconds` is the wall time of the solve. Returns the run, or NULL when the
 * silhouette could not be computed (out of memory). */
const sweep_run *sweep_record(sweep *sw, const ekm_dissim *dm, const ekm_result *r,
                              double seconds);

/* The K with the largest mean silhouette among the finished runs (0: none). */
unsigned sweep_suggested_k(const sweep *sw);
/* The elbow of the objective: among at least three finished Ks, the one farthest
 * below the straight line from the first to the last finished K (both axes
 * scaled to [0, 1]); 0 when there is none. */
unsigned sweep_elbow_k(const sweep *sw);

/* The text report: a header, a row per K as it finishes, then the summary (not
 * run Ks, the elbow, the suggested K with its rule). */
void sweep_print_header(FILE *out);
void sweep_print_row(FILE *out, const sweep_run *run);
void sweep_print_summary(FILE *out, const sweep *sw);
/* The whole sweep as one JSON object:
 * {"file", "metric", "strategy", "runs": [{"k", "objective", "medoids",
 *  "silhouette", "silhouette_exact", "silhouette_sample", "silhouette_std_error",
 *  "seconds", "exact"}...], "not_run": [...], "cancelled",
 *  "elbow_k", "suggested_k", "suggested_by"}. */
void sweep_json(FILE *out, const ekm_dissim *dm, ekm_strategy strategy, const sweep *sw);

#endif
