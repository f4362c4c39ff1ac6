/* sweep.c — the optimum for every K of a range, and which K to pick (sweep.h). */
#include "common/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/load_report.h"
#include "common/quality_report.h"
#include "ekm/quality.h"
#include "common/settings.h"

int sweep_parse_range(const char *v, unsigned *lo, unsigned *hi, char *err, size_t errsize)
{
    const char *dots = strstr(v, "..");
    char first[32];
    unsigned long long a, b;
    if (!dots) {
        if (settings_parse_uint("K", v, 1, EKM_MAX_K, &a, err, errsize))
            return -1;
        *lo = *hi = (unsigned)a;
        return 0;
    }
    size_t len = (size_t)(dots - v);
    if (len == 0 || len >= sizeof first) {
        snprintf(err, errsize, "K range '%s': write it LO..HI, e.g. 2..8", v);
        return -1;
    }
    memcpy(first, v, len);
    first[len] = '\0';
    if (settings_parse_uint("K", first, 1, EKM_MAX_K, &a, err, errsize) ||
        settings_parse_uint("K", dots + 2, 1, EKM_MAX_K, &b, err, errsize))
        return -1;
    if (a > b) {
        snprintf(err, errsize, "K range '%s': the first K is larger than the last", v);
        return -1;
    }
    *lo = (unsigned)a;
    *hi = (unsigned)b;
    return 0;
}

void sweep_init(sweep *sw, unsigned lo, unsigned hi)
{
    memset(sw, 0, sizeof *sw);
    sw->lo = lo;
    sw->hi = hi;
    for (unsigned k = lo; k <= hi; k++)
        sw->runs[k - lo].k = k;
}

const sweep_run *sweep_record(sweep *sw, const ekm_dissim *dm, const ekm_result *r,
                              double seconds)
{
    if (r->k < sw->lo || r->k > sw->hi)
        return NULL;
    sweep_run *run = &sw->runs[r->k - sw->lo];
    double t0 = ekm_now();
    const report_style *st = report_current_style();
    ekm_silhouette_estimate est;
    if (ekm_silhouette_sampled(dm, r->cluster, r->k, quality_sample_size(r->n), st->seed,
                               st->threads, NULL, NULL, NULL, NULL, &est, NULL))
        return NULL;
    sw->n = r->n;
    run->silhouette = est.mean;
    run->silhouette_exact = est.exact;
    run->silhouette_sample = est.sample;
    run->silhouette_std_error = est.std_error;
    run->done = 1;
    run->exact = r->exact;
    run->objective = r->objective;
    run->seconds = seconds + (ekm_now() - t0);
    memcpy(run->medoids, r->medoids, r->k * sizeof *r->medoids);
    return run;
}

unsigned sweep_suggested_k(const sweep *sw)
{
    unsigned best = 0;
    double top = -INFINITY;
    for (unsigned k = sw->lo; k <= sw->hi; k++) {
        const sweep_run *run = &sw->runs[k - sw->lo];
        if (run->done && !isnan(run->silhouette) && run->silhouette > top) {
            top = run->silhouette;
            best = k;
        }
    }
    return best;
}

unsigned sweep_elbow_k(const sweep *sw)
{
    const sweep_run *first = NULL, *last = NULL;
    unsigned count = 0;
    for (unsigned k = sw->lo; k <= sw->hi; k++) {
        const sweep_run *run = &sw->runs[k - sw->lo];
        if (!run->done)
            continue;
        if (!first)
            first = run;
        last = run;
        count++;
    }
    if (count < 3 || first->objective == last->objective)
        return 0;
    double dk = (double)(last->k - first->k), dy = first->objective - last->objective;
    unsigned best = 0;
    double far = 0;
    for (unsigned k = first->k + 1; k < last->k; k++) {
        const sweep_run *run = &sw->runs[k - sw->lo];
        if (!run->done)
            continue;
        double x = (double)(k - first->k) / dk, y = (run->objective - last->objective) / dy;
        double below = (1.0 - x) - y; /* the line from (0, 1) to (1, 0), minus the curve */
        if (below > far) {
            far = below;
            best = k;
        }
    }
    return best;
}

void sweep_print_header(FILE *out)
{
    fprintf(out, "%3s %18s %10s %9s  %-5s  %s\n", "K", "objective", "silhouette", "seconds",
            "exact", "medoids");
}

void sweep_print_row(FILE *out, const sweep_run *run)
{
    char sil[32];
    if (isnan(run->silhouette))
        snprintf(sil, sizeof sil, "-");
    else
        snprintf(sil, sizeof sil, "%s%.4f", run->silhouette_exact ? "" : "~",
                 run->silhouette);
    fprintf(out, "%3u %18.10g %10s %9.3f  %-5s ", run->k, run->objective, sil, run->seconds,
            run->exact ? "yes" : "no");
    for (unsigned c = 0; c < run->k; c++)
        fprintf(out, " %u", run->medoids[c] + report_current_style()->index_base);
    fputc('\n', out);
}

void sweep_print_summary(FILE *out, const sweep *sw)
{
    for (unsigned k = sw->lo; k <= sw->hi; k++)
        if (!sw->runs[k - sw->lo].done)
            fprintf(out, "%3u %18s\n", k, "not run");
    if (sw->lo == 1)
        fputs("(the silhouette is not defined for K = 1)\n", out);
    for (unsigned k = sw->lo; k <= sw->hi; k++) {
        const sweep_run *run = &sw->runs[k - sw->lo];
        if (run->done && !run->silhouette_exact && !isnan(run->silhouette)) {
            char words[128], n[32];
            fprintf(out, "(~: the silhouette %s, ± %.4f for K = %u; "
                         "--silhouette-sample all computes it exactly, %s^2 distances)\n",
                    quality_sample_words(words, sizeof words, run->silhouette_sample,
                                         sw->n, 0),
                    run->silhouette_std_error, k, format_count(n, sizeof n, sw->n));
            break;
        }
    }
    unsigned elbow = sweep_elbow_k(sw), best = sweep_suggested_k(sw);
    if (elbow)
        fprintf(out, "elbow of the objective: K = %u (farthest below the line from the first "
                     "to the last K)\n", elbow);
    if (best)
        fprintf(out, "suggested K = %u (rule: %s, %.4f)\n", best, SWEEP_RULE,
                sw->runs[best - sw->lo].silhouette);
    else
        fputs("no suggested K: no finished K with a defined silhouette (K >= 2)\n", out);
    for (unsigned k = sw->lo; k <= sw->hi; k++)
        if (sw->runs[k - sw->lo].done && !sw->runs[k - sw->lo].exact) {
            fputs("(exact 'no': a heuristic's result, not proven optimal)\n", out);
            break;
        }
}

void sweep_json(FILE *out, const ekm_dissim *dm, ekm_strategy strategy, const sweep *sw)
{
    json_writer w;
    json_begin(&w, out);
    json_object_open(&w, NULL);
    json_string(&w, "file", ekm_dissim_name(dm));
    json_uint(&w, "n", ekm_dissim_n(dm));
    json_string(&w, "metric", ekm_metric_name(ekm_dissim_metric(dm)));
    json_string(&w, "strategy", ekm_strategy_name(strategy));
    json_array_open(&w, "runs");
    for (unsigned k = sw->lo; k <= sw->hi; k++) {
        const sweep_run *run = &sw->runs[k - sw->lo];
        if (!run->done)
            continue;
        json_object_open(&w, NULL);
        json_uint(&w, "k", k);
        json_double(&w, "objective", run->objective);
        json_array_open(&w, "medoids");
        for (unsigned c = 0; c < k; c++)
            json_uint(&w, NULL, run->medoids[c] + report_current_style()->index_base);
        json_array_close(&w);
        json_double(&w, "silhouette", run->silhouette);
        json_bool(&w, "silhouette_exact", run->silhouette_exact);
        json_uint(&w, "silhouette_sample", run->silhouette_sample);
        json_double(&w, "silhouette_std_error", run->silhouette_std_error);
        json_double(&w, "seconds", run->seconds);
        json_bool(&w, "exact", run->exact);
        json_object_close(&w);
    }
    json_array_close(&w);
    json_array_open(&w, "not_run");
    for (unsigned k = sw->lo; k <= sw->hi; k++)
        if (!sw->runs[k - sw->lo].done)
            json_uint(&w, NULL, k);
    json_array_close(&w);
    json_bool(&w, "cancelled", sw->cancelled);
    unsigned elbow = sweep_elbow_k(sw), best = sweep_suggested_k(sw);
    if (elbow)
        json_uint(&w, "elbow_k", elbow);
    else
        json_string(&w, "elbow_k", NULL);
    if (best)
        json_uint(&w, "suggested_k", best);
    else
        json_string(&w, "suggested_k", NULL);
    json_string(&w, "suggested_by", SWEEP_RULE);
    json_object_close(&w);
    json_end(&w);
}
