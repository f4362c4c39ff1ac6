/* save_data.c — the input rows with their cluster, as a CSV for R or pandas. */
#include "common/save_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"
#include "common/quality_report.h"

/* A field as CSV: quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double. */
static void put_number(FILE *f, double v)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

int save_data_csv(const char *path, const ekm_dissim *dm, const ekm_result *r,
                  unsigned index_base, char *err, size_t errsize)
{
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    if (!ds) {
        snprintf(err, errsize, "%s: a dissimilarity matrix has no rows of values to save; "
                               "save labels writes the clusters",
                 ekm_dissim_name(dm));
        return -1;
    }
    const ekm_dataset *orig = ekm_dataset_original(ds); /* the values as in the file */
    size_t n = ekm_dataset_n(orig), d = ekm_dataset_d(orig);
    if (n != r->n) {
        snprintf(err, errsize, "%s: the result is of %zu points, the data has %zu", path, r->n,
                 n);
        return -1;
    }
    outfile o;
    if (outfile_open(&o, path, err, errsize))
        return -1;
    FILE *f = o.f;
    int labels = ekm_dataset_has_labels(orig);
    quality q = {0}; /* a silhouette column after exact results, as in the labels CSV (over
                      * 20,000 points for the sampled rows only) */
    int sil = r->exact && quality_compute(&q, dm, r, 1) == 0;
    if (ekm_dataset_had_header(orig)) {
        for (size_t j = 0; j < d; j++) {
            const char *name = ekm_dataset_column_name(orig, j);
            if (j)
                fputc(',', f);
            put_field(f, name ? name : "");
        }
        if (labels) {
            const char *name = ekm_dataset_label_column_name(orig);
            fputc(',', f);
            put_field(f, name ? name : "label");
        }
        fputs(sil ? ",cluster,silhouette\n" : ",cluster\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        const double *p = ekm_dataset_point(orig, i);
        for (size_t j = 0; j < d; j++) {
            if (j)
                fputc(',', f);
            put_number(f, p[j]);
        }
        if (labels) {
            const char *l = ekm_dataset_label(orig, i);
            fputc(',', f);
            put_field(f, l ? l : "");
        }
        fprintf(f, ",%u", (unsigned)r->cluster[i] + index_base);
        if (sil && !isnan(q.point[i]))
            fprintf(f, ",%.17g", q.point[i]);
        else if (sil)
            fputs(",", f); /* not defined (K = 1) or not sampled: empty, NA to R and pandas */
        fputc('\n', f);
    }
    quality_free(&q);
    return outfile_commit(&o, err, errsize);
}
