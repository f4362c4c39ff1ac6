/* run_series.c — grouping a session's runs into runtime series (run_series.h). */
#include "common/run_series.h"

#include <stdio.h>
#include <string.h>

static run_group *find_group(run_groups *g, const run_record *r)
{
    for (size_t i = 0; i < g->count; i++) {
        run_group *x = &g->group[i];
        if (x->k == r->k && x->strategy == r->strategy && x->threads == r->threads &&
            !strcmp(x->dataset, r->dataset))
            return x;
    }
    if (g->count >= RUN_SERIES_MAX)
        return NULL;
    run_group *x = &g->group[g->count++];
    memset(x, 0, sizeof *x);
    snprintf(x->dataset, sizeof x->dataset, "%s", r->dataset);
    x->k = r->k;
    x->strategy = r->strategy;
    x->threads = r->threads;
    return x;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void run_groups_build(const run_record *history, size_t n, run_groups *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const run_record *r = &history[i];
        if (r->state != EKM_RUN_DONE || !(r->seconds > 0))
            continue;
        run_group *g = find_group(out, r);
        if (!g)
            continue;
        size_t j = 0;
        while (j < g->n && g->x[j] < (double)r->n)
            j++;
        if (j < g->n && g->x[j] == (double)r->n) { /* the newest run of this N */
            g->y[j] = r->seconds;
            continue;
        }
        if (g->n >= RUN_SERIES_POINTS)
            continue;
        memmove(&g->x[j + 1], &g->x[j], (g->n - j) * sizeof g->x[0]);
        memmove(&g->y[j + 1], &g->y[j], (g->n - j) * sizeof g->y[0]);
        g->x[j] = (double)r->n;
        g->y[j] = r->seconds;
        g->n++;
    }
    out->one_dataset_k = 1;
    out->single_n = out->count > 0;
    for (size_t i = 0; i < out->count; i++) {
        const run_group *g = &out->group[i];
        if (g->k != out->group[0].k || strcmp(g->dataset, out->group[0].dataset))
            out->one_dataset_k = 0;
        if (g->n != 1 || g->x[0] != out->group[0].x[0])
            out->single_n = 0;
    }
    for (size_t i = 0; i < out->count; i++) {
        run_group *g = &out->group[i];
        char who[200] = "";
        if (!out->one_dataset_k)
            snprintf(who, sizeof who, "%.120s K=%u: ", base_name(g->dataset), g->k);
        snprintf(g->name, sizeof g->name, "%s%s, %u thread%s", who,
                 ekm_strategy_name(g->strategy), g->threads, g->threads == 1 ? "" : "s");
    }
}
