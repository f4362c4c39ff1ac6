/* load_report.c — loading, checks and result reports shared by the front ends. */
#include "common/load_report.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "common/json.h"
#include "common/matrix_mode.h"
#include "common/outfile.h"
#include "common/quality_report.h"
#include "common/text_escape.h"

int dataset_load(const ui_settings *s, const char *path, ekm_dissim **out, char *err,
                 size_t errsize)
{
    ekm_error e;
    ekm_error_clear(&e);
    *out = NULL;
    ekm_status st;
    if (s->dissim_file[0] && s->standardize) {
        snprintf(err, errsize, "%s: --standardize does not apply to a dissimilarity matrix (its "
                               "values are the dissimilarities)",
                 s->dissim_file);
        return -1;
    }
    if (s->dissim_file[0]) {
        st = ekm_dissim_load_matrix(s->dissim_file, &s->csv, out, &e);
    } else {
        ekm_dataset *ds = NULL, *scaled = NULL;
        st = ekm_dataset_load_csv(path, &s->csv, &ds, &e);
        if (!st)
            st = ekm_dataset_standardize(ds, s->standardize, &scaled, &e);
        if (!st)
            st = matrix_mode_build(scaled, s->metric, s->solve.threads, s->matrix,
                                   s->solve.strategy, out, &e);
        ekm_dataset_release(scaled);
        ekm_dataset_release(ds);
    }
    if (st) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    outfile_protect(s->dissim_file[0] ? s->dissim_file : path); /* never written over */
    return 0;
}

static report_style style = {0, 0, 0, 1, 0};

void report_set_style(const ui_settings *s)
{
    style.index_base = s->index_base;
    style.strategy_auto = s->strategy_auto;
    style.silhouette_sample = s->silhouette_sample;
    style.seed = s->solve.seed;
    style.threads = s->solve.threads;
}

const report_style *report_current_style(void) { return &style; }

/* "pruned (auto)" when auto chose it, else the strategy's name. */
static const char *strategy_words(const ekm_result *r, char *buf, size_t size)
{
    int chosen = style.strategy_auto && r->strategy == EKM_STRATEGY_PRUNED;
    snprintf(buf, size, "%s%s", ekm_strategy_name(r->strategy), chosen ? " (auto)" : "");
    return buf;
}

int dataset_check(const ekm_dissim *dm, const ekm_solve_options *opt, char *err, size_t errsize)
{
    size_t n = ekm_dissim_n(dm);
    if (opt->k > n) {
        snprintf(err, errsize, "%s: K=%u exceeds the number of points N=%zu", ekm_dissim_name(dm),
                 opt->k, n);
        return -1;
    }
    return 0;
}

const char *format_count(char *buf, size_t size, ekm_count v)
{
    char tmp[EKM_COUNT_DIGITS], out[COUNT_TEXT_MAX];
    int len = (int)strlen(ekm_count_format(v, tmp, sizeof tmp)), o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
    if ((size_t)o < size)
        memcpy(buf, out, (size_t)o + 1);
    else if (size)
        snprintf(buf, size, "%.4g", (double)v);
    return buf;
}

void report_result(FILE *out, const ekm_dissim *dm, const ekm_result *r)
{
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    size_t d = ds ? ekm_dataset_d(ds) : 0;
    char c1[COUNT_TEXT_MAX], c2[COUNT_TEXT_MAX], sw[48];
    unsigned base = style.index_base;
    ekm_standardize how = ds ? ekm_dataset_standardization(ds) : EKM_STANDARDIZE_NONE;
    text_fputs(ekm_dissim_name(dm), out); /* a name or a label is shown, never obeyed */
    fprintf(out, ": N=%zu", r->n);
    if (ds)
        fprintf(out, " D=%zu", d);
    fprintf(out, " K=%u metric=%s", r->k, ekm_metric_name(r->metric));
    if (how)
        fprintf(out, " standardize=%s", ekm_standardize_name(how));
    fprintf(out, " strategy=%s threads=%u\n", strategy_words(r, sw, sizeof sw), r->threads);
    fprintf(out, "objective %.10g (%s)", r->objective,
            r->exact     ? "proven optimal"
            : r->stopped ? "best found before the cancel, not proven optimal"
                         : "heuristic, not proven optimal");
    if (how)
        fprintf(out, " on the columns standardized by %s", ekm_standardize_name(how));
    fputc('\n', out);
    if (base)
        fprintf(out, "points and clusters are numbered from 1 (--index-base 1)\n");
    fprintf(out, "%7s %7s  %-16s %7s %14s  %s\n", "cluster", "medoid", "label", "size", "cost",
            ds ? "coordinates" : "");
    for (unsigned c = 0; c < r->k; c++) {
        uint32_t m = r->medoids[c];
        const char *label = ds ? ekm_dataset_label(ds, m) : NULL;
        char shown[17];
        text_escape(shown, sizeof shown, label ? label : "-");
        fprintf(out, "%7u %7u  %-16s %7u %14.6g ", c + base, m + base, shown,
                r->cluster_size[c], r->cluster_cost[c]);
        /* the medoid's own values, as in the file (not standardized) */
        const ekm_dataset *orig = ds ? ekm_dataset_original(ds) : NULL;
        for (size_t j = 0; ds && j < d && j < 8; j++)
            fprintf(out, " %g", ekm_dataset_point(orig, m)[j]);
        if (ds && d > 8)
            fprintf(out, " ...");
        fputc('\n', out);
    }
    if (r->exact) {
        double rate = r->seconds > 0 ? (double)r->evaluated / r->seconds : 0;
        fprintf(out, "%s K-subsets evaluated", format_count(c1, sizeof c1, r->evaluated));
        if (r->pruned)
            fprintf(out, ", %s pruned", format_count(c2, sizeof c2, r->pruned));
        fprintf(out, " of %s in %.3f s (%.3g subsets/s, %.3g point-evals/s)\n",
                format_count(c2, sizeof c2, r->total), r->seconds, rate, rate * (double)r->n);
        if (r->n_stages > 1)
            fprintf(out, "plan: %d stages, Amdahl bound %.2fx (total / critical path)\n",
                    r->n_stages, r->amdahl_bound);
    } else if (r->stopped) {
        fprintf(out, "cancelled after %.3f s with %s of %s K-subsets closed (%.1f %%)\n",
                r->seconds, format_count(c1, sizeof c1, r->evaluated + r->pruned),
                format_count(c2, sizeof c2, r->total),
                r->total ? 100.0 * (double)(r->evaluated + r->pruned) / (double)r->total : 0.0);
    } else {
        fprintf(out, "time %.3f s\n", r->seconds);
    }
    quality q; /* the silhouette and label agreement of a proven optimum */
    if (r->exact && quality_compute(&q, dm, r, 0) == 0) {
        quality_print(out, &q);
        quality_free(&q);
    }
}

void report_json(FILE *out, const ekm_dissim *dm, const ekm_result *r)
{
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    json_writer w;
    json_begin(&w, out);
    json_object_open(&w, NULL);
    json_string(&w, "file", ekm_dissim_name(dm));
    json_uint(&w, "n", r->n);
    json_uint(&w, "d", ds ? ekm_dataset_d(ds) : 0);
    json_uint(&w, "k", r->k);
    json_string(&w, "metric", ekm_metric_name(r->metric));
    json_string(&w, "strategy", ekm_strategy_name(r->strategy));
    if (style.strategy_auto && r->strategy == EKM_STRATEGY_PRUNED)
        json_string(&w, "requested", "auto");
    json_string(&w, "standardize",
                ekm_standardize_name(ds ? ekm_dataset_standardization(ds) : EKM_STANDARDIZE_NONE));
    json_uint(&w, "index_base", style.index_base);
    json_uint(&w, "threads", r->threads);
    json_bool(&w, "exact", r->exact);
    if (r->stopped) { /* cancelled: the best set found before, and how far it got */
        json_bool(&w, "cancelled", 1);
        json_count(&w, "done", r->evaluated + r->pruned);
        json_double(&w, "fraction_done",
                    r->total ? (double)(r->evaluated + r->pruned) / (double)r->total : 0.0);
    }
    json_double(&w, "objective", r->objective);
    json_array_open(&w, "medoids");
    for (unsigned c = 0; c < r->k; c++)
        json_uint(&w, NULL, r->medoids[c] + style.index_base);
    json_array_close(&w);
    if (ds && ekm_dataset_has_labels(ds)) {
        json_array_open(&w, "medoid_labels");
        for (unsigned c = 0; c < r->k; c++)
            json_string(&w, NULL, ekm_dataset_label(ds, r->medoids[c]));
        json_array_close(&w);
    }
    json_array_open(&w, "cluster_sizes");
    for (unsigned c = 0; c < r->k; c++)
        json_uint(&w, NULL, r->cluster_size[c]);
    json_array_close(&w);
    json_array_open(&w, "cluster_costs");
    for (unsigned c = 0; c < r->k; c++)
        json_double(&w, NULL, r->cluster_cost[c]);
    json_array_close(&w);
    quality q;
    if (r->exact && quality_compute(&q, dm, r, 0) == 0) {
        quality_json(&w, &q);
        quality_free(&q);
    }
    json_count(&w, "total", r->total);
    json_count(&w, "evaluated", r->evaluated);
    json_count(&w, "pruned", r->pruned);
    json_double(&w, "seconds", r->seconds);
    if (r->strategy == EKM_STRATEGY_PRUNED)
        json_double(&w, "incumbent_seconds", r->incumbent_seconds);
    if (ds)
        json_uint(&w, "dropped_rows", ekm_dataset_dropped_rows(ds));
    if (r->exact) {
        json_double(&w, "amdahl_bound", r->amdahl_bound);
        json_double(&w, "plan_makespan", r->makespan);
        json_count(&w, "critical_path", r->critical_path);
        json_array_open(&w, "stages");
        for (int s = 0; s < r->n_stages; s++) {
            const ekm_stage_progress *sp = &r->stages[s];
            json_object_open(&w, NULL);
            json_int(&w, "id", sp->spec.id);
            json_string(&w, "kind", ekm_stage_kind_name(sp->spec.kind));
            json_int(&w, "parent", sp->spec.parent);
            if (sp->spec.kind == EKM_STAGE_MERGE) {
                json_array_open(&w, "children");
                json_int(&w, NULL, sp->spec.child[0]);
                json_int(&w, NULL, sp->spec.child[1]);
                json_array_close(&w);
                json_array_open(&w, "a");
                json_uint(&w, NULL, sp->spec.lo);
                json_uint(&w, NULL, sp->spec.mid);
                json_array_close(&w);
                json_array_open(&w, "b");
                json_uint(&w, NULL, sp->spec.mid);
                json_uint(&w, NULL, sp->spec.hi);
                json_array_close(&w);
            }
            json_uint(&w, "lo", sp->spec.lo);
            json_uint(&w, "hi", sp->spec.hi);
            json_count(&w, "total", sp->spec.total);
            json_count(&w, "done", sp->done);
            json_count(&w, "pruned", sp->pruned);
            json_double(&w, "seconds", sp->end >= 0 && sp->start >= 0 ? sp->end - sp->start : 0);
            json_double(&w, "start", sp->start);
            json_double(&w, "end", sp->end);
            json_int(&w, "thread", sp->thread);
            json_object_close(&w);
        }
        json_array_close(&w);
    }
    json_object_close(&w);
    json_end(&w);
}

int report_write_labels(const char *path, const ekm_dissim *dm, const ekm_result *r, char *err,
                         size_t errsize)
{
    outfile o;
    if (outfile_open(&o, path, err, errsize))
        return -1;
    FILE *f = o.f;
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    int labels = ds && ekm_dataset_has_labels(ds);
    quality q = {0}; /* a silhouette column after exact results (over 20,000 points: filled
                      * for the sampled rows only, common/quality_report.h) */
    int sil = r->exact && quality_compute(&q, dm, r, 1) == 0;
    fprintf(f, "index,cluster,medoid%s%s\n", labels ? ",label" : "", sil ? ",silhouette" : "");
    for (size_t i = 0; i < r->n; i++) {
        int32_t c = r->cluster[i];
        fprintf(f, "%zu,%u,%u", i + style.index_base, (unsigned)c + style.index_base,
                r->medoids[c] + style.index_base);
        if (labels) {
            const char *l = ekm_dataset_label(ds, i);
            fputc(',', f);
            /* quote when needed (RFC 4180) */
            if (l && strpbrk(l, ",\"\r\n")) {
                fputc('"', f);
                for (const char *p = l; *p; p++) {
                    if (*p == '"')
                        fputc('"', f);
                    fputc(*p, f);
                }
                fputc('"', f);
            } else if (l) {
                fputs(l, f);
            }
        }
        if (sil && !isnan(q.point[i]))
            fprintf(f, ",%.17g", q.point[i]);
        else if (sil)
            fputs(",", f); /* not defined (K = 1) or not sampled: empty, NA to R and pandas */
        fputc('\n', f);
    }
    quality_free(&q);
    return outfile_commit(&o, err, errsize);
}

int report_found_optimum(const ekm_result *r, const ekm_result *opt)
{
    if (r->k == opt->k && memcmp(r->medoids, opt->medoids, r->k * sizeof *r->medoids) == 0)
        return 1;
    return fabs(r->objective - opt->objective) <=
           EKM_TIE_REL * fmax(fabs(r->objective), fabs(opt->objective));
}

double report_gap_percent(const ekm_result *r, const ekm_result *opt)
{
    if (report_found_optimum(r, opt))
        return 0.0;
    return opt->objective > 0 ? 100.0 * (r->objective - opt->objective) / opt->objective
                              : INFINITY;
}
