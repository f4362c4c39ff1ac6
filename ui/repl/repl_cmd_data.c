/* repl_cmd_data.c — the data commands: `load`, `gen` and `info`. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/class_hint.h"
#include "common/load_report.h"
#include "ekm/generate.h"
#include "repl/repl_internal.h"
#include "common/text_escape.h"

/* "12.3 MiB" */
static const char *human_bytes(char *buf, size_t size, uint64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu B", (unsigned long long)bytes);
    else
        snprintf(buf, size, "%.1f %s", v, units[u]);
    return buf;
}

/* One line saying what is loaded. */
static void describe_data(repl_session *s, const char *verb)
{
    const ekm_dissim *dm = s->ws.dm;
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    char name[256], mem[32];
    workspace_data_name(&s->ws, name, sizeof name);
    if (ds) {
        size_t dropped = ekm_dataset_dropped_rows(ds);
        char extra[96] = "";
        if (dropped)
            snprintf(extra, sizeof extra, ", %zu row%s with missing values dropped", dropped,
                     dropped == 1 ? "" : "s");
        ekm_standardize how = ekm_dataset_standardization(ds);
        char metric[64];
        snprintf(metric, sizeof metric, "%s%s%s", ekm_metric_name(ekm_dissim_metric(dm)),
                 how ? " standardize=" : "", how ? ekm_standardize_name(how) : "");
        repl_note(s, "%s %s: N=%zu D=%zu metric=%s%s%s (matrix %s)", verb, name, ekm_dissim_n(dm),
                  ekm_dataset_d(ds), metric,
                  ekm_dataset_has_labels(ds) ? ", labelled" : "", extra,
                  human_bytes(mem, sizeof mem, ekm_dissim_bytes_for(ekm_dissim_n(dm))));
    } else {
        repl_note(s, "%s %s: N=%zu, a precomputed dissimilarity matrix (%s)", verb, name,
                  ekm_dissim_n(dm),
                  human_bytes(mem, sizeof mem, ekm_dissim_bytes_for(ekm_dissim_n(dm))));
    }
}

int repl_cmd_load(repl_session *s, int argc, char **argv)
{
    ui_settings next = s->ws.settings;
    next.dissim_file[0] = '\0'; /* a matrix file is for this load only */
    const char *pos[1];
    int npos;
    char err[1024];
    if (settings_parse_argv(&next, OPT_DATA, argc, argv, 1, pos, 1, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "load: %s", err);
    if (npos == 0 && !next.dissim_file[0])
        return repl_error(s, REPL_USAGE, "load: which file? usage: load FILE [options]");
    if (npos == 1 && next.dissim_file[0])
        return repl_error(s, REPL_USAGE,
                          "load: give either FILE or --dissimilarity MATRIX, not both");
    ui_settings old = s->ws.settings;
    s->ws.settings = next;
    int rc = workspace_load(&s->ws, npos ? pos[0] : next.dissim_file, err, sizeof err);
    s->ws.settings.dissim_file[0] = '\0';
    if (rc) {
        s->ws.settings = old;
        return repl_error(s, REPL_USAGE, "%s", err);
    }
    if (!ekm_dissim_dataset(s->ws.dm))
        s->ws.settings.metric = old.metric; /* a matrix has no metric of ours */
    describe_data(s, "loaded");
    if (dataset_class_hint(s->ws.dm, &s->ws.settings, err, sizeof err))
        repl_note(s, "note: %s", err);
    return REPL_OK;
}

int repl_cmd_gen(repl_session *s, int argc, char **argv)
{
    ui_settings next = s->ws.settings;
    next.out[0] = '\0';
    const char *pos[1];
    int npos;
    char err[1024];
    if (settings_parse_argv(&next, OPT_GEN, argc, argv, 1, pos, 1, &npos, err, sizeof err))
        return repl_error(s, REPL_USAGE, "gen: %s", err);
    if (npos != 1)
        return repl_error(s, REPL_USAGE, "gen: say which kind: gen uniform|blobs [--n N] [--d D]");
    if (ekm_gen_kind_parse(pos[0], &next.gen_kind))
        return repl_error(s, REPL_USAGE, "gen: unknown kind '%s' (uniform or blobs)", pos[0]);
    if (next.out[0])
        return repl_error(s, REPL_USAGE,
                          "gen: --out is for the batch 'ekm gen'; here the data is loaded into "
                          "the session");
    ui_settings old = s->ws.settings;
    s->ws.settings = next;
    if (workspace_generate(&s->ws, err, sizeof err)) {
        s->ws.settings = old;
        return repl_error(s, REPL_USAGE, "gen: %s", err);
    }
    describe_data(s, "generated");
    return REPL_OK;
}

int repl_cmd_info(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "info takes no arguments");
    const ekm_dissim *dm = s->ws.dm;
    if (!dm)
        return repl_error(s, REPL_FAIL, "no data loaded: use 'load FILE' or 'gen uniform --n N'");
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    size_t n = ekm_dissim_n(dm);
    char mem[32];
    fputs("data     ", s->out);
    text_fputs(ekm_dissim_name(dm), s->out);
    fputc('\n', s->out);
    fprintf(s->out, "N        %zu points\n", n);
    if (ds)
        fprintf(s->out, "D        %zu columns\n", ekm_dataset_d(ds));
    fprintf(s->out, "metric   %s\n", ekm_metric_name(ekm_dissim_metric(dm)));
    fprintf(s->out, "matrix   %s (float32, %zu floats a row)\n",
            human_bytes(mem, sizeof mem, ekm_dissim_bytes_for(n)), ekm_dissim_stride(dm));
    if (ds) {
        fprintf(s->out, "labels   %s\n", ekm_dataset_has_labels(ds) ? "yes (last column)" : "no");
        if (ekm_dataset_dropped_rows(ds))
            fprintf(s->out, "dropped  %zu rows with missing values\n",
                    ekm_dataset_dropped_rows(ds));
        size_t d = ekm_dataset_d(ds);
        size_t shown = d < 24 ? d : 24;
        fprintf(s->out, "%-16s %14s %14s %14s\n", "column", "min", "mean", "max");
        for (size_t j = 0; j < shown; j++) {
            double lo = INFINITY, hi = -INFINITY, sum = 0;
            for (size_t i = 0; i < n; i++) {
                double x = ekm_dataset_point(ds, i)[j];
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
                sum += x;
            }
            const char *cname = ekm_dataset_column_name(ds, j);
            char fallback[32];
            snprintf(fallback, sizeof fallback, "x%zu", j + 1);
            char cshown[17];
            text_escape(cshown, sizeof cshown, cname ? cname : fallback);
            fprintf(s->out, "%-16s %14.6g %14.6g %14.6g\n", cshown, lo,
                    n ? sum / (double)n : 0, hi);
        }
        if (shown < d)
            fprintf(s->out, "... and %zu more columns\n", d - shown);
    }
    fflush(s->out);
    return REPL_OK;
}
