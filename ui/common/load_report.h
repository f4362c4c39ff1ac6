/* load_report.h — what every front end does with data and results: load a dataset
 * (or a precomputed matrix) into a dissimilarity matrix, describe a result in
 * words or JSON, write per-point labels. */
#ifndef EKM_UI_LOAD_REPORT_H
#define EKM_UI_LOAD_REPORT_H

#include <stdio.h>

#include "common/settings.h"
#include "ekm/job.h"

/* Load `path` (a CSV of points, or with s->dissim_file set, that matrix) and build
 * its dissimilarity matrix. On failure writes "FILE:LINE:COL: problem" to err. */
int dataset_load(const ui_settings *s, const char *path, ekm_dissim **out, char *err,
                 size_t errsize);

/* How results are shown: the front end sets it from its settings (--index-base,
 * --strategy auto) before it reports. Every point and cluster number printed by
 * report_result, report_json and report_write_labels counts from index_base. */
typedef struct report_style {
    unsigned index_base;
    int strategy_auto;
    /* the silhouette (common/quality_report.h): --silhouette-sample, and the
     * sample's seed (--seed) and threads (--threads) */
    size_t silhouette_sample;
    uint64_t seed;
    unsigned threads;
} report_style;
void report_set_style(const ui_settings *s);
const report_style *report_current_style(void);

/* Check that the job fits the data before starting: K <= N and the like. */
int dataset_check(const ekm_dissim *dm, const ekm_solve_options *opt, char *err, size_t errsize);

/* A readable summary: medoids with their row labels and coordinates, cluster
 * sizes and costs, objective, time. */
void report_result(FILE *out, const ekm_dissim *dm, const ekm_result *r);

/* One JSON object (see README for the fields). */
void report_json(FILE *out, const ekm_dissim *dm, const ekm_result *r);

/* Write "index,cluster,medoid[,label]" per point. Returns 0 or -1 (message in err). */
int report_write_labels(const char *path, const ekm_dissim *dm, const ekm_result *r, char *err,
                         size_t errsize);

/* Whether r found the optimum opt (of the exact solver): the same medoid set, or
 * an objective the tie rule counts as equal (within EKM_TIE_REL, relative). */
int report_found_optimum(const ekm_result *r, const ekm_result *opt);
/* r's gap to the optimum in percent of it: 0 when r found it (ties included, so
 * never negative from rounding); INFINITY when the optimum is 0 and r's is not. */
double report_gap_percent(const ekm_result *r, const ekm_result *opt);

/* Format a count with thousands separators ("1,234,567"); exact for any
 * ekm_count in a buffer of COUNT_TEXT_MAX bytes (a smaller one that cannot
 * hold it gets the count to 4 digits, "8.332e+22"). */
enum { COUNT_TEXT_MAX = 56 };
const char *format_count(char *buf, size_t size, ekm_count v);

#endif
