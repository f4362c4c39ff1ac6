/* class_hint.c — see class_hint.h for the rule. */
#include "common/class_hint.h"

#include <math.h>
#include <string.h>

#include "common/text_escape.h"

int dataset_class_hint(const ekm_dissim *dm, const ui_settings *s, char *buf, size_t size)
{
    ekm_dataset *scaled = ekm_dissim_dataset(dm);
    if (!scaled || s->dissim_file[0] || s->csv.label != EKM_LABEL_AUTO)
        return 0;
    const ekm_dataset *ds = ekm_dataset_original(scaled);
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    if (ekm_dataset_has_labels(ds) || d < 2)
        return 0;
    enum { MAX_CLASSES = 10 };
    double seen[MAX_CLASSES + 1];
    size_t distinct = 0;
    int fractional = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = ekm_dataset_point(ds, i);
        double v = p[d - 1];
        if (v != floor(v) || v < 0 || v > 100)
            return 0;
        size_t k = 0;
        while (k < distinct && seen[k] != v)
            k++;
        if (k == distinct) {
            if (distinct == MAX_CLASSES)
                return 0;
            seen[distinct++] = v;
        }
        for (size_t j = 0; j + 1 < d && !fractional; j++)
            fractional = p[j] != floor(p[j]);
    }
    if (distinct < 2 || n < 3 * distinct || !fractional)
        return 0;
    double lo = seen[0], hi = seen[0];
    for (size_t k = 1; k < distinct; k++) {
        lo = seen[k] < lo ? seen[k] : lo;
        hi = seen[k] > hi ? seen[k] : hi;
    }
    char file[256], col[96] = "";
    text_escape(file, sizeof file, ekm_dataset_name(ds));
    const char *name = ekm_dataset_column_name(ds, d - 1);
    if (name && *name) {
        char shown[64];
        snprintf(col, sizeof col, " ('%s')", text_escape(shown, sizeof shown, name));
    }
    snprintf(buf, size,
             "the last column of %s%s holds only the whole numbers %g..%g (%zu values): if it "
             "is a class, --label-column last keeps it out of the distances",
             file, col, lo, hi, distinct);
    return 1;
}
