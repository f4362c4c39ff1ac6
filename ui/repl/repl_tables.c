/* repl_tables.c — the REPL's `history` and `status` printed to fit 80 columns.
 * history groups the runs by data set (a "data NAME" line when it changes, so the
 * name is never cut), shows each run's speedup against seq judged by the one
 * rule of speedup_check.h ("!" above the plan's bound, "~" too short to time,
 * with the reasons under the table), the machine's load and the run's cpu/wall.
 * status prints the job, its best set and one short line per stage. */
#include <stdio.h>
#include <string.h>

#include "common/progress_snap.h"
#include "common/progress_text.h"
#include "common/speedup_check.h"
#include "repl/repl_internal.h"

/* A count in at most 8 characters. */
static const char *count8(char *buf, size_t size, ekm_count v)
{
    if (v < 100000000ULL)
        snprintf(buf, size, "%llu", (unsigned long long)v);
    else
        snprintf(buf, size, "%.2e", (double)v);
    return buf;
}

void repl_print_history(repl_session *s)
{
    const workspace *ws = &s->ws;
    fprintf(s->out, "%3s %-9s %6s %2s %2s %8s %8s %6s %4s %5s %-6s %s\n", "#", "strategy", "N",
            "K", "T", "seconds", "speedup", "bound", "load", "cpu/w", "state", "objective");
    const char *last_data = NULL;
    ekm_metric last_metric = EKM_METRIC_EUCLIDEAN;
    int flagged = 0, bench = 0;
    for (size_t i = 0; i < ws->n_history; i++) {
        const run_record *r = &ws->history[i];
        if (!last_data || strcmp(last_data, r->dataset) || last_metric != r->metric) {
            char data[256];
            fprintf(s->out, "data %s (%s)\n", repl_short_name(r->dataset, data, sizeof data),
                    ekm_metric_name(r->metric));
            last_data = r->dataset;
            last_metric = r->metric;
        }
        speedup_sample smp;
        int flags = workspace_speedup(ws, r, &smp);
        char speedup[24] = "-", bound[16] = "-", load[16] = "-", cpu[16] = "-";
        char objective[32] = "-", state[16], secs[16];
        if (flags)
            snprintf(speedup, sizeof speedup, "%.2fx%s", smp.speedup, speedup_mark(flags));
        flagged |= flags & 0xff;
        if (r->amdahl_bound > 0 && r->exact)
            snprintf(bound, sizeof bound, r->amdahl_bound < 100 ? "%.2fx" : "%.0fx",
                     r->amdahl_bound);
        if (r->load >= 0 && !(r->runs && r->load == 0))
            snprintf(load, sizeof load, "%.1f", r->load);
        if (r->cpu_wall > 0)
            snprintf(cpu, sizeof cpu, "%.2f", r->cpu_wall);
        if (r->state == EKM_RUN_DONE)
            snprintf(objective, sizeof objective, "%.9g", r->objective);
        if (r->runs) { /* a benchmark's cell: the median of its timed runs */
            snprintf(state, sizeof state, "x%u", r->runs);
            bench = 1;
        } else if (r->state == EKM_RUN_CANCELLED) {
            snprintf(state, sizeof state, "cancel");
        } else {
            snprintf(state, sizeof state, "%s", ekm_run_state_name(r->state));
        }
        snprintf(secs, sizeof secs, r->seconds < 1000 ? "%.3f" : "%.0f", r->seconds);
        fprintf(s->out, "%3zu %-9s %6zu %2u %2u %8s %8s %6s %4s %5s %-6s %s\n", i + 1,
                ekm_strategy_name(r->strategy), r->n, r->k, r->threads, secs, speedup, bound,
                load, cpu, state, objective);
    }
    for (size_t i = 0; i < ws->n_history; i++) {
        speedup_sample smp;
        int flags = workspace_speedup(ws, &ws->history[i], &smp) & 0xff;
        char why[120];
        if (flags)
            fprintf(s->out, "%s #%zu: %s\n", speedup_mark(flags), i + 1,
                    speedup_reason(&smp, flags, why, sizeof why));
    }
    fprintf(s->out, "speedup: seq's time / this one's (same data, N, K); T: threads\n"
                    "bound: the best the plan allows on T threads, min(T, total/critical "
                    "path)\nload: 1-minute load average (%u cores); cpu/w: CPU / wall time\n",
            speedup_probe_cores());
    if (flagged & SPEEDUP_ABOVE_BOUND)
        fprintf(s->out, "! above the bound or the cores: disturbed, not to be trusted\n");
    if (flagged & SPEEDUP_TOO_SHORT)
        fprintf(s->out, "~ a run under %.2g s: too short to time\n", SPEEDUP_MIN_SECONDS);
    if (bench)
        fprintf(s->out, "xR: a cell of 'bench', its median time of R timed runs\n");
}

void repl_print_status(repl_session *s, const progress_snap *snap, int utf8)
{
    const ekm_progress *p = &snap->sum;
    fprintf(s->out, "%s: %s, N=%zu K=%u, %u thread%s\n", ekm_run_state_name(p->state),
            ekm_strategy_name(p->strategy), p->n, p->k, p->threads, p->threads == 1 ? "" : "s");
    double f = p->total ? (double)p->done / (double)p->total : 0;
    double rate = p->elapsed > 0 ? (double)(p->done - p->resumed) / p->elapsed : 0;
    char c1[EKM_COUNT_DIGITS], c2[EKM_COUNT_DIGITS];
    fprintf(s->out, "  %.1f%%: %s/%s K-subsets in %.1f s", 100 * f,
            ekm_count_format(p->done, c1, sizeof c1), ekm_count_format(p->total, c2, sizeof c2),
            p->elapsed);
    if (rate > 0 && p->total && p->state == EKM_RUN_RUNNING)
        fprintf(s->out, ", ETA %.1f s", (double)(p->total - p->done) / rate);
    fprintf(s->out, "\n");
    double cpu_wall, load;
    workspace_job_cpu(&s->ws, &cpu_wall, &load);
    if (rate > 0 && p->total)
        fprintf(s->out, "  rate %.3g K-subsets/s", rate);
    else
        fprintf(s->out, " ");
    if (p->state == EKM_RUN_RUNNING && cpu_wall > 0)
        fprintf(s->out, ", cpu/wall %.2f", cpu_wall);
    if (load >= 0)
        fprintf(s->out, ", load %.1f (%u cores)", load, speedup_probe_cores());
    fprintf(s->out, "\n");
    if (p->has_best) {
        fprintf(s->out, "  best %.10g {", p->best);
        for (unsigned i = 0; i < p->k && i < snap->medoid_cap; i++)
            fprintf(s->out, "%s%u", i ? "," : "", snap->best_medoids[i]);
        fprintf(s->out, "}\n");
    }
    enum { MAX_SHOWN = 32 };
    for (int i = 0; i < p->n_stages && i < MAX_SHOWN; i++) {
        const ekm_stage_progress *sp = &snap->stages[i];
        char name[64], bar[128], done[16], total[16], thread[16];
        progress_stage_name(sp, name, sizeof name);
        double sf = sp->spec.total ? (double)sp->done / (double)sp->spec.total : 1.0;
        progress_bar(bar, sizeof bar, sf, 8, utf8);
        double secs = sp->start < 0 ? 0 : (sp->end >= 0 ? sp->end : p->elapsed) - sp->start;
        if (sp->thread >= 0)
            snprintf(thread, sizeof thread, "t%d", sp->thread);
        else
            snprintf(thread, sizeof thread, "%s", sp->spec.kind == EKM_STAGE_SHARED ? "all" : "-");
        const char *state = ekm_run_state_name(sp->state);
        if (sp->state == EKM_RUN_WAITING && sp->spec.kind == EKM_STAGE_MERGE)
            state = "waits"; /* for its children */
        fprintf(s->out, "  %-20s %s %5.1f%% %8s/%-8s %-3s %6.2fs %s\n", name, bar, 100 * sf,
                count8(done, sizeof done, sp->done),
                count8(total, sizeof total, sp->spec.total), thread, secs,
                state);
    }
    if (p->n_stages > MAX_SHOWN)
        fprintf(s->out, "  ... and %d more stages\n", p->n_stages - MAX_SHOWN);
    if (p->state == EKM_RUN_RUNNING)
        fprintf(s->out, "  threads busy: %d of %u\n", p->threads_busy, p->threads);
}
