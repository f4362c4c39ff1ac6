/* timeline.c — stage bars on a thread × time chart, their layout on a width, and the
 * plan list-scheduled on other thread counts from the measured stage times. */
#include "common/timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void timeline_stage_label(const ekm_stage_spec *spec, char *buf, size_t size)
{
    char c = spec->kind == EKM_STAGE_MERGE ? 'M' : spec->kind == EKM_STAGE_LEAF ? 'L' : 'S';
    snprintf(buf, size, "%c%d", c, spec->id);
}

static void add_bar(timeline *tl, const ekm_stage_spec *spec, int thread, double start,
                    double end, int running)
{
    if (tl->n_bars >= TIMELINE_MAX_BARS)
        return;
    timeline_bar *b = &tl->bar[tl->n_bars++];
    memset(b, 0, sizeof *b);
    b->stage = spec->id;
    timeline_stage_label(spec, b->label, sizeof b->label);
    b->thread = thread;
    b->start = start;
    b->end = running ? -1 : end;
    b->running = running;
    b->leaf = spec->kind == EKM_STAGE_LEAF;
}

void timeline_from_progress(timeline *tl, const progress_snap *snap)
{
    const ekm_progress *p = &snap->sum;
    memset(tl, 0, sizeof *tl);
    tl->strategy = p->strategy;
    tl->n_threads = p->n_threads > 0 ? p->n_threads : (int)p->threads;
    if (tl->n_threads < 1)
        tl->n_threads = 1;
    tl->now = p->elapsed > 0 ? p->elapsed : 0;
    tl->running = p->state == EKM_RUN_RUNNING || p->state == EKM_RUN_WAITING;
    tl->shared = p->n_stages == 1 && snap->stages[0].spec.kind == EKM_STAGE_SHARED;
    for (int s = 0; s < p->n_stages; s++) {
        const ekm_stage_progress *sp = &snap->stages[s];
        if (sp->start < 0)
            continue;
        int running = sp->end < 0;
        if (tl->shared) {
            for (int t = 0; t < tl->n_threads; t++)
                add_bar(tl, &sp->spec, t, sp->start, sp->end, running);
        } else if (sp->thread >= 0) {
            add_bar(tl, &sp->spec, sp->thread, sp->start, sp->end, running);
            if (sp->thread >= tl->n_threads)
                tl->n_threads = sp->thread + 1;
        }
    }
}

static double bar_end(const timeline *tl, const timeline_bar *b)
{
    if (b->running || b->end < 0)
        return tl->now > b->start ? tl->now : b->start;
    return b->end;
}

double timeline_span(const timeline *tl)
{
    double span = tl->now;
    for (int i = 0; i < tl->n_bars; i++) {
        double e = bar_end(tl, &tl->bar[i]);
        if (e > span)
            span = e;
    }
    return span > 0 ? span : 1.0;
}

static int to_col(double t, double span, int cols)
{
    double x = floor(t / span * cols + 0.5);
    if (!(x >= 0))
        return 0;
    return x > cols ? cols : (int)x;
}

int timeline_layout(const timeline *tl, int cols, double span, int max_rows,
                    timeline_segment *out, int max)
{
    if (cols <= 0 || !(span > 0))
        return 0;
    int n = 0;
    for (int i = 0; i < tl->n_bars && n < max; i++) {
        const timeline_bar *b = &tl->bar[i];
        if (b->thread < 0 || (max_rows > 0 && b->thread >= max_rows))
            continue;
        int c0 = to_col(b->start, span, cols), c1 = to_col(bar_end(tl, b), span, cols);
        if (c0 >= cols)
            c0 = cols - 1;
        if (c1 <= c0)
            c1 = c0 + 1;
        out[n++] = (timeline_segment){.row = b->thread, .col0 = c0, .col1 = c1, .bar = i};
    }
    return n;
}

void timeline_stage_costs(const timeline *measured, const ekm_plan *plan, double *cost)
{
    for (int s = 0; s < plan->n_stages; s++)
        cost[s] = 0;
    for (int i = 0; i < measured->n_bars; i++) {
        const timeline_bar *b = &measured->bar[i];
        if (b->stage < 0 || b->stage >= plan->n_stages)
            continue;
        double d = bar_end(measured, b) - b->start;
        if (d > 0)
            cost[b->stage] += d;
    }
}

static double measured_schedule(const timeline *measured, const ekm_plan *plan,
                                unsigned threads, timeline *out)
{
    double *cost = calloc((size_t)plan->n_stages, sizeof *cost);
    int *thread = calloc((size_t)plan->n_stages, sizeof *thread);
    double *start = calloc((size_t)plan->n_stages, sizeof *start);
    double *finish = calloc((size_t)plan->n_stages, sizeof *finish);
    double makespan = -1;
    if (!cost || !thread || !start || !finish)
        goto done;
    timeline_stage_costs(measured, plan, cost);
    double work = 0;
    for (int s = 0; s < plan->n_stages; s++)
        work += cost[s];
    if (!(work > 0))
        goto done;
    int shared = plan->n_stages == 1 && plan->stages[0].kind == EKM_STAGE_SHARED;
    if (shared) {
        makespan = work / threads;
        for (unsigned t = 0; t < threads && out; t++) {
            out->bar[out->n_bars] = (timeline_bar){.stage = 0, .thread = (int)t, .start = 0,
                                                   .end = makespan};
            timeline_stage_label(&plan->stages[0], out->bar[out->n_bars].label,
                                 sizeof out->bar[0].label);
            out->n_bars++;
        }
    } else {
        makespan = ekm_plan_schedule(plan, cost, threads, thread, start, finish);
        for (int s = 0; s < plan->n_stages && out && makespan >= 0; s++) {
            timeline_bar *b = &out->bar[out->n_bars++];
            *b = (timeline_bar){.stage = s, .thread = thread[s], .start = start[s],
                                .end = finish[s], .leaf = plan->stages[s].kind == EKM_STAGE_LEAF};
            timeline_stage_label(&plan->stages[s], b->label, sizeof b->label);
        }
    }
    if (out) {
        out->work = work;
        out->shared = shared;
        out->now = makespan > 0 ? makespan : 0;
    }
done:
    free(cost);
    free(thread);
    free(start);
    free(finish);
    return makespan;
}

int timeline_simulate(const timeline *measured, const ekm_plan *plan, unsigned threads,
                      timeline *out)
{
    if (!measured || !plan || !out || threads < 1 || threads > TIMELINE_MAX_THREADS ||
        plan->n_stages < 1 || plan->n_stages > EKM_MAX_STAGES)
        return -1;
    memset(out, 0, sizeof *out);
    out->strategy = plan->strategy;
    out->n_threads = (int)threads;
    out->simulated = (int)threads;
    if (measured_schedule(measured, plan, threads, out) <= 0) {
        out->n_bars = 0;
        return -1;
    }
    return 0;
}

double timeline_predicted_speedup(const timeline *measured, const ekm_plan *plan,
                                  unsigned threads)
{
    if (!measured || !plan || threads < 1 || threads > TIMELINE_MAX_THREADS ||
        plan->n_stages < 1 || plan->n_stages > EKM_MAX_STAGES)
        return 0;
    timeline *tl = calloc(1, sizeof *tl);
    if (!tl)
        return 0;
    double makespan = measured_schedule(measured, plan, threads, tl);
    double work = tl->work;
    free(tl);
    return makespan > 0 ? work / makespan : 0;
}
