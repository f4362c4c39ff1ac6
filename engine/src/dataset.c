/* dataset.c — the dataset object (coordinates, labels, column names, source
 * lines) and the CSV dataset loader built on the tokenizer in csv.c. */
#include "ekm/dataset.h"

#include "csv.h"
#include "csv_read.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ekm_dataset {
    atomic_int refs;
    char *name;
    size_t n, d;
    double *coords;        /* n*d, row-major */
    long *lines;           /* n source lines, NULL for in-memory points */
    size_t *label_off;     /* n offsets into labels, NULL without labels */
    char *labels;          /* one arena of NUL-terminated labels */
    size_t *colname_off;   /* d offsets into colnames, NULL without a header */
    char *colnames;
    size_t dropped;
    int had_header;
    char sep;
};

#define MISSING_HINT "; use --missing drop to drop such rows"

ekm_csv_options ekm_csv_options_default(void)
{
    ekm_csv_options o = {EKM_HEADER_AUTO, EKM_LABEL_AUTO, EKM_MISSING_REFUSE, 0};
    return o;
}

/* Make room for need elements of size elem in *p (capacity *cap, doubling). */
static int reserve(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / elem)
        return -1;
    void *bigger = realloc(*(void **)p, c * elem);
    if (!bigger)
        return -1;
    *(void **)p = bigger;
    *cap = c;
    return 0;
}

static ekm_dataset *dataset_new(const char *name)
{
    ekm_dataset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->name = strdup(name ? name : "");
    if (!ds->name) {
        free(ds);
        return NULL;
    }
    atomic_init(&ds->refs, 1);
    return ds;
}

static void dataset_free(ekm_dataset *ds)
{
    if (!ds)
        return;
    free(ds->name);
    free(ds->coords);
    free(ds->lines);
    free(ds->label_off);
    free(ds->labels);
    free(ds->colname_off);
    free(ds->colnames);
    free(ds);
}

/* The growing parts of a dataset while it is read. */
typedef struct loader {
    size_t cap_rows, cap_labels, cap_names;
    size_t labels_len, names_len;
    size_t *header_off; /* offsets of every header field in colnames */
} loader;

/* Room for one more row: coords, lines and (with labels) label offsets grow together. */
static int grow_rows(ekm_dataset *ds, loader *L, int labels)
{
    if (ds->n < L->cap_rows)
        return 0;
    size_t cap = L->cap_rows;
    if (reserve(&ds->coords, &cap, ds->n + 1, ds->d * sizeof(double)) < 0)
        return -1;
    long *lines = realloc(ds->lines, cap * sizeof *lines);
    if (!lines)
        return -1;
    ds->lines = lines;
    if (labels) {
        size_t *off = realloc(ds->label_off, cap * sizeof *off);
        if (!off)
            return -1;
        ds->label_off = off;
    }
    L->cap_rows = cap;
    return 0;
}

/* Append text (unescaped, NUL-terminated) to an arena; *off gets its offset. */
static int arena_add(char **arena, size_t *cap, size_t *len, const ekm__csv_field *f, size_t *off)
{
    if (f->len > SIZE_MAX - *len - 1 || reserve(arena, cap, *len + f->len + 1, 1) < 0)
        return -1;
    *off = *len;
    size_t k = ekm__csv_field_copy(f, *arena + *len);
    (*arena)[*len + k] = '\0';
    *len += k + 1;
    return 0;
}

static ekm_status nomem(const ekm__csv_reader *r, ekm_error *err)
{
    return ekm_error_set(err, EKM_ERR_NOMEM, r->name, r->record_line, 0, "out of memory");
}

/* Read every record of r into ds; see dataset.h for the rules. */
static ekm_status load_records(ekm__csv_reader *r, const ekm_csv_options *opt, ekm_dataset *ds,
                               ekm_error *err)
{
    loader L = {0};
    ekm_status st = EKM_OK;
    if (r->len == 0)
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, 0, 0, "%s is empty",
                             strcmp(r->name, EKM__STDIN_NAME) ? "the file" : "standard input");
    if (ekm__csv_is_blank(r))
        return ekm_error_set(err, EKM_ERR_PARSE, r->name, 0, 0,
                             "the file has only blank lines, no data");
    if ((st = ekm__csv_set_separator(r, opt->separator, err)))
        return st;
    ds->sep = r->sep;

    int header = opt->header == EKM_HEADER_YES;
    if (opt->header == EKM_HEADER_AUTO && ekm__csv_detect_header(r, &header, err) < 0)
        return r->error;
    size_t expected = 0, labels = 0;
    long expected_line = 0;
    if (header) {
        if (ekm__csv_next(r, err) < 0)
            return r->error;
        expected = r->nfields;
        expected_line = r->record_line;
        L.header_off = malloc(expected * sizeof *L.header_off);
        if (!L.header_off)
            return nomem(r, err);
        for (size_t j = 0; j < expected; j++)
            if (arena_add(&ds->colnames, &L.cap_names, &L.names_len, &r->fields[j],
                          &L.header_off[j]) < 0) {
                st = nomem(r, err);
                goto out;
            }
        ds->had_header = 1;
    }

    int first = 1;
    for (;;) {
        int k = ekm__csv_next(r, err);
        if (k < 0) {
            st = r->error;
            goto out;
        }
        if (k == 0)
            break;
        size_t nf = r->nfields;
        if (!expected) {
            expected = nf;
            expected_line = r->record_line;
        }
        if (nf != expected) { /* the column is the first missing or first extra field */
            size_t col = (nf < expected ? nf : expected) + 1;
            st = ekm_error_set(err, EKM_ERR_PARSE, r->name, r->record_line, (long)col,
                               "field %zu is %s: expected %zu fields (as on line %ld), found %zu",
                               col, nf < expected ? "missing" : "extra", expected, expected_line,
                               nf);
            goto out;
        }
        if (first) { /* the first data row decides the label column */
            first = 0;
            double v;
            if (opt->label == EKM_LABEL_LAST)
                labels = 1;
            else if (opt->label == EKM_LABEL_AUTO && nf >= 2)
                labels = ekm__csv_number(r, &r->fields[nf - 1], &v) == EKM__CSV_TEXT;
            if (labels && nf < 2) {
                st = ekm_error_set(err, EKM_ERR_PARSE, r->name, r->record_line, 1,
                                   "the last column is taken as labels, which leaves no "
                                   "numeric column (rows have 1 field)");
                goto out;
            }
            ds->d = nf - labels;
        }
        size_t d = ds->d, n = ds->n;
        if (grow_rows(ds, &L, labels != 0) < 0) {
            st = nomem(r, err);
            goto out;
        }
        double *row = ds->coords + n * d;
        int missing = 0;
        for (size_t j = 0; j < d; j++) {
            ekm__csv_kind kind = ekm__csv_number(r, &r->fields[j], &row[j]);
            if (kind == EKM__CSV_NUMBER)
                continue;
            if (kind == EKM__CSV_MISSING && opt->missing == EKM_MISSING_DROP) {
                missing = 1;
                continue;
            }
            st = ekm__csv_field_error(r, &r->fields[j], j + 1, kind, MISSING_HINT, err);
            goto out;
        }
        if (missing) {
            ds->dropped++;
            continue;
        }
        if (labels && arena_add(&ds->labels, &L.cap_labels, &L.labels_len, &r->fields[nf - 1],
                                &ds->label_off[n]) < 0) {
            st = nomem(r, err);
            goto out;
        }
        ds->lines[n] = r->record_line;
        ds->n = n + 1;
    }

    if (first) {
        st = ekm_error_set(err, EKM_ERR_PARSE, r->name, expected_line, 0,
                           "no data rows: the file has only a header line");
        goto out;
    }
    if (ds->n == 0) {
        st = ekm_error_set(err, EKM_ERR_PARSE, r->name, 0, 0,
                           "no data rows left: all %zu rows have a missing value and were "
                           "dropped",
                           ds->dropped);
        goto out;
    }
    if (header) { /* names of the numeric columns */
        ds->colname_off = malloc(ds->d * sizeof *ds->colname_off);
        if (!ds->colname_off) {
            st = nomem(r, err);
            goto out;
        }
        memcpy(ds->colname_off, L.header_off, ds->d * sizeof *ds->colname_off);
    }
    /* Give back the unused capacity (a failed shrink keeps the larger block). */
    double *c = realloc(ds->coords, ds->n * ds->d * sizeof *c);
    if (c)
        ds->coords = c;
    long *lines = realloc(ds->lines, ds->n * sizeof *lines);
    if (lines)
        ds->lines = lines;
out:
    free(L.header_off);
    return st;
}

static ekm_status load(ekm__csv_reader *r, const ekm_csv_options *opt, ekm_dataset **out,
                       ekm_error *err)
{
    ekm_csv_options def = ekm_csv_options_default();
    if (!opt)
        opt = &def;
    if ((unsigned)opt->header > EKM_HEADER_NO || (unsigned)opt->label > EKM_LABEL_LAST ||
        (unsigned)opt->missing > EKM_MISSING_DROP)
        return ekm_error_set(err, EKM_ERR_INVALID, r->name, 0, 0, "invalid CSV options");
    ekm_dataset *ds = dataset_new(r->name);
    if (!ds)
        return nomem(r, err);
    ekm_status st = load_records(r, opt, ds, err);
    if (st) {
        dataset_free(ds);
        return st;
    }
    *out = ds;
    return EKM_OK;
}

ekm_status ekm_dataset_load_csv(const char *path, const ekm_csv_options *opt, ekm_dataset **out,
                                ekm_error *err)
{
    *out = NULL;
    ekm__csv_reader r;
    ekm_status st = ekm__csv_open_file(&r, path, err);
    if (!st)
        st = load(&r, opt, out, err);
    ekm__csv_close(&r);
    return st;
}

ekm_status ekm_dataset_parse_csv(const char *name, const char *text, size_t len,
                                 const ekm_csv_options *opt, ekm_dataset **out, ekm_error *err)
{
    *out = NULL;
    ekm__csv_reader r;
    ekm_status st = ekm__csv_open_text(&r, name ? name : "", text, len, err);
    if (!st)
        st = load(&r, opt, out, err);
    ekm__csv_close(&r);
    return st;
}

ekm_status ekm_dataset_from_points(const char *name, size_t n, size_t d, const double *coords,
                                   const char *const *labels, ekm_dataset **out, ekm_error *err)
{
    *out = NULL;
    if (n == 0 || d == 0 || !coords)
        return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0,
                             "a dataset needs at least one point and one coordinate");
    if (n > SIZE_MAX / sizeof(double) / d)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, name, 0, 0, "%zu x %zu coordinates: too many",
                             n, d);
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(coords[i]))
            return ekm_error_set(err, EKM_ERR_INVALID, name, 0, 0,
                                 "coordinate %zu of point %zu is not a finite number",
                                 i % d + 1, i / d + 1);
    ekm_dataset *ds = dataset_new(name);
    if (!ds || !(ds->coords = malloc(n * d * sizeof(double)))) {
        dataset_free(ds);
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
    }
    memcpy(ds->coords, coords, n * d * sizeof(double));
    ds->n = n;
    ds->d = d;
    if (labels) {
        size_t total = 0;
        for (size_t i = 0; i < n; i++)
            total += strlen(labels[i] ? labels[i] : "") + 1;
        ds->label_off = malloc(n * sizeof *ds->label_off);
        ds->labels = malloc(total);
        if (!ds->label_off || !ds->labels) {
            dataset_free(ds);
            return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory");
        }
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            const char *s = labels[i] ? labels[i] : "";
            size_t k = strlen(s) + 1;
            memcpy(ds->labels + o, s, k);
            ds->label_off[i] = o;
            o += k;
        }
    }
    *out = ds;
    return EKM_OK;
}

ekm_dataset *ekm_dataset_retain(ekm_dataset *ds)
{
    if (ds)
        atomic_fetch_add_explicit(&ds->refs, 1, memory_order_relaxed);
    return ds;
}

void ekm_dataset_release(ekm_dataset *ds)
{
    if (ds && atomic_fetch_sub_explicit(&ds->refs, 1, memory_order_acq_rel) == 1)
        dataset_free(ds);
}

const char *ekm_dataset_name(const ekm_dataset *ds) { return ds->name; }
size_t ekm_dataset_n(const ekm_dataset *ds) { return ds->n; }
size_t ekm_dataset_d(const ekm_dataset *ds) { return ds->d; }
const double *ekm_dataset_coords(const ekm_dataset *ds) { return ds->coords; }

const double *ekm_dataset_point(const ekm_dataset *ds, size_t i)
{
    return i < ds->n ? ds->coords + i * ds->d : NULL;
}

const char *ekm_dataset_label(const ekm_dataset *ds, size_t i)
{
    return ds->label_off && i < ds->n ? ds->labels + ds->label_off[i] : NULL;
}

int ekm_dataset_has_labels(const ekm_dataset *ds) { return ds->label_off != NULL; }

const char *ekm_dataset_column_name(const ekm_dataset *ds, size_t j)
{
    return ds->colname_off && j < ds->d ? ds->colnames + ds->colname_off[j] : NULL;
}

long ekm_dataset_source_line(const ekm_dataset *ds, size_t i)
{
    return ds->lines && i < ds->n ? ds->lines[i] : 0;
}

size_t ekm_dataset_dropped_rows(const ekm_dataset *ds) { return ds->dropped; }
int ekm_dataset_had_header(const ekm_dataset *ds) { return ds->had_header; }
char ekm_dataset_separator(const ekm_dataset *ds) { return ds->sep; }
