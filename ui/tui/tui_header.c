/* tui_header.c — the three header lines: the data and the run's set-up; the job's
 * state, progress, elapsed time, ETA and rate; the best objective so far. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui_internal.h"

/* Fields laid left to right on one row, each "Label value", two blanks apart. */
typedef struct field_row {
    tui_grid *g;
    int row, col;
} field_row;

static void field(field_row *f, const char *label, const char *value, tui_role role)
{
    if (f->col >= f->g->cols)
        return;
    if (f->col > 0)
        f->col += 2;
    if (label && *label) {
        f->col += tui_grid_put(f->g, f->row, f->col, f->g->cols - f->col, TUI_ROLE_LABEL, label);
        f->col += 1;
    }
    f->col += tui_grid_put(f->g, f->row, f->col, f->g->cols - f->col, role, value);
}

static void data_line(const tui_screen *s, tui_grid *g, int row)
{
    field_row f = {g, row, 0};
    char buf[64];
    if (!s->data.name[0]) {
        field(&f, "Data", "none", TUI_ROLE_VALUE);
        field(&f, NULL, "(l loads a CSV file)", TUI_ROLE_DIM);
    } else {
        field(&f, "Data", s->data.name, TUI_ROLE_VALUE);
        snprintf(buf, sizeof buf, "%zu", s->data.n);
        field(&f, "N", buf, TUI_ROLE_VALUE);
        if (s->data.d)
            snprintf(buf, sizeof buf, "%zu", s->data.d);
        else
            snprintf(buf, sizeof buf, "-");
        field(&f, "D", buf, TUI_ROLE_VALUE);
        field(&f, NULL, ekm_metric_name(s->data.metric), TUI_ROLE_VALUE);
    }
    f.col += 2;
    const progress_snap *p = s->snap;
    int job = p && !s->preview;
    unsigned k = job ? p->sum.k : s->ws->settings.solve.k;
    ekm_strategy strategy = job ? p->sum.strategy : s->ws->settings.solve.strategy;
    snprintf(buf, sizeof buf, "%u", k);
    field(&f, "K", buf, TUI_ROLE_VALUE);
    if (s->ws->settings.strategy_auto && strategy == EKM_STRATEGY_PRUNED)
        field(&f, "Strategy", "pruned (auto)", TUI_ROLE_VALUE);
    else
        field(&f, "Strategy", ekm_strategy_name(strategy), TUI_ROLE_VALUE);
    unsigned threads = p ? p->sum.threads : s->ws->settings.solve.threads;
    if (!job && threads != s->ws->settings.solve.threads && s->ws->settings.solve.threads)
        snprintf(buf, sizeof buf, "%u (%u set)", threads, s->ws->settings.solve.threads);
    else
        snprintf(buf, sizeof buf, "%u", threads);
    field(&f, "Threads", buf, TUI_ROLE_VALUE);
    if (strategy == EKM_STRATEGY_TREE) {
        unsigned parts = s->ws->settings.solve.partitions;
        if (p) {
            int leaves = 0;
            for (int i = 0; i < p->sum.n_stages; i++)
                leaves += p->stages[i].spec.kind == EKM_STAGE_LEAF;
            snprintf(buf, sizeof buf, "%d", leaves);
        } else if (parts) {
            snprintf(buf, sizeof buf, "%u", parts);
        } else {
            snprintf(buf, sizeof buf, "2/thread");
        }
        field(&f, "Partitions", buf, TUI_ROLE_VALUE);
    }
}

static void job_line(const tui_screen *s, tui_grid *g, int row)
{
    field_row f = {g, row, 0};
    char buf[64], n1[32];
    const progress_snap *p = s->snap;
    if (!p || s->preview) {
        field(&f, "Job", "none", TUI_ROLE_VALUE);
        if (s->estimate >= 0) {
            tui_fmt_seconds(n1, sizeof n1, s->estimate);
            unsigned t = p ? p->sum.threads : 1;
            snprintf(buf, sizeof buf, "about %s on %u thread%s", n1, t, t == 1 ? "" : "s");
            field(&f, "Estimate", buf, TUI_ROLE_VALUE);
        }
        if (s->data.name[0])
            field(&f, NULL, "(r runs it)", TUI_ROLE_DIM);
        return;
    }
    field(&f, "Job", ekm_run_state_name(p->sum.state), tui_state_role(p->sum.state));
    if (p->sum.total) {
        snprintf(buf, sizeof buf, "%.1f%%", 100.0 * (double)p->sum.done / (double)p->sum.total);
        field(&f, NULL, buf, TUI_ROLE_VALUE);
    }
    field(&f, "Elapsed", tui_fmt_seconds(buf, sizeof buf, p->sum.elapsed), TUI_ROLE_VALUE);
    if (p->sum.state == EKM_RUN_RUNNING && p->sum.total)
        field(&f, "ETA", tui_fmt_seconds(buf, sizeof buf, s->eta), TUI_ROLE_VALUE);
    if (p->sum.total && p->sum.elapsed > 0) {
        tui_fmt_compact(n1, sizeof n1, (double)p->sum.done / p->sum.elapsed);
        snprintf(buf, sizeof buf, "%s K-subsets/s", n1);
        field(&f, "Rate", buf, TUI_ROLE_VALUE);
    }
    /* what the timings are worth: the machine's load against its cores, and the
     * CPU the run had per second of wall time (T threads that ran: about T) */
    double cpu_wall = -1, load = -1;
    if (workspace_running(s->ws))
        workspace_job_cpu(s->ws, &cpu_wall, &load);
    else if (s->ws->n_history && !s->ws->history[s->ws->n_history - 1].runs) {
        cpu_wall = s->ws->history[s->ws->n_history - 1].cpu_wall;
        load = s->ws->history[s->ws->n_history - 1].load;
    }
    unsigned cores = speedup_probe_cores();
    if (load > 0) {
        snprintf(buf, sizeof buf, "%.2f/%u cores", load, cores);
        field(&f, "Load", buf, load > cores ? TUI_ROLE_ERROR : TUI_ROLE_VALUE);
    }
    if (cpu_wall > 0) {
        snprintf(buf, sizeof buf, "%.2f", cpu_wall);
        field(&f, "cpu/wall", buf, TUI_ROLE_VALUE);
    }
}

static void best_line(const tui_screen *s, tui_grid *g, int row)
{
    field_row f = {g, row, 0};
    const progress_snap *p = s->snap;
    if (!p || s->preview || !p->sum.has_best) {
        field(&f, "Best", "-", TUI_ROLE_VALUE);
        return;
    }
    char buf[64], medoids[EKM_MAX_K * 12 + 4];
    snprintf(buf, sizeof buf, "%.10g", p->sum.best);
    field(&f, "Best", buf, TUI_ROLE_BEST);
    tui_fmt_medoids(medoids, sizeof medoids, p->best_medoids, p->sum.k);
    field(&f, "medoids", medoids, TUI_ROLE_VALUE);
    if (p->sum.root_active > 0 && isfinite(p->sum.root_bound)) { /* pruned's root phase */
        snprintf(buf, sizeof buf, "%.10g", p->sum.root_bound);
        field(&f, "root bound", buf, TUI_ROLE_VALUE);
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)p->sum.root_active);
        field(&f, "candidates left", buf, TUI_ROLE_VALUE);
    }
    if (s->has_silhouette) { /* the finished exact result's quality */
        if (isnan(s->silhouette))
            snprintf(buf, sizeof buf, "not defined (K = 1)");
        else
            snprintf(buf, sizeof buf, "%.4f", s->silhouette);
        field(&f, "silhouette", buf, TUI_ROLE_VALUE);
    }
    if (s->has_ari) {
        snprintf(buf, sizeof buf, "%.4f", s->ari);
        field(&f, "ARI", buf, TUI_ROLE_VALUE);
    }
}

void tui_draw_header(const tui_screen *s, tui_grid *g, int top, int height)
{
    if (height > 0)
        data_line(s, g, top);
    if (height > 1)
        job_line(s, g, top + 1);
    if (height > 2)
        best_line(s, g, top + 2);
}
