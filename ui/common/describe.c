/* describe.c — column summaries and matrix memory of a dataset. */
#include "common/describe.h"

#include <math.h>

#include "common/text_escape.h"
#include "ekm/dissim.h"

void describe_dataset(FILE *out, const ekm_dataset *ds)
{
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    uint64_t bytes = ekm_dissim_bytes_for(n), mem = ekm_memory_bytes();
    text_fputs(ekm_dataset_name(ds), out);
    fprintf(out, ": N=%zu points, D=%zu columns%s%s\n", n, d,
            ekm_dataset_had_header(ds) ? ", header row" : "",
            ekm_dataset_has_labels(ds) ? ", labels kept" : "");
    if (ekm_dataset_dropped_rows(ds))
        fprintf(out, "%zu rows with missing values dropped\n", ekm_dataset_dropped_rows(ds));
    fprintf(out, "dissimilarity matrix: %.1f MiB as float32 (%s this machine's %.1f GiB)\n",
            (double)bytes / 1048576.0, mem && bytes > mem / 10 * 9 ? "MORE than" : "fits in",
            (double)mem / 1073741824.0);
    fprintf(out,
            "without it (--matrix off, strategy pruned): %.1f MiB of coordinates, distances "
            "computed on the fly; --matrix auto %s\n",
            (double)n * (double)d * 8.0 / 1048576.0,
            mem && bytes > mem / 4 ? "goes without it for pruned (the matrix would take over "
                                     "1/4 of memory)"
                                   : "keeps the matrix");
    fprintf(out, "%-20s %14s %14s %14s\n", "column", "min", "mean", "max");
    const double *x = ekm_dataset_coords(ds);
    for (size_t j = 0; j < d; j++) {
        double lo = INFINITY, hi = -INFINITY, sum = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * d + j];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
            sum += v;
        }
        const char *name = ekm_dataset_column_name(ds, j);
        char fallback[32];
        if (!name) {
            snprintf(fallback, sizeof fallback, "x%zu", j + 1);
            name = fallback;
        }
        char shown[21];
        text_escape(shown, sizeof shown, name);
        fprintf(out, "%-20s %14.6g %14.6g %14.6g\n", shown, lo, sum / (double)n, hi);
    }
}
