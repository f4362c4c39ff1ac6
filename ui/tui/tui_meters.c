/* tui_meters.c — per-thread busy fractions over the last second, like htop's CPU
 * meters, derived from the growth of each thread's busy seconds between snapshots. */
#include <stdlib.h>
#include <string.h>

#include "tui/tui_internal.h"

int tui_meters_init(tui_meters *m)
{
    memset(m, 0, sizeof *m);
    m->busy = calloc((size_t)TUI_METER_SAMPLES * EKM_MAX_THREADS, sizeof *m->busy);
    return m->busy ? 0 : -1;
}

void tui_meters_free(tui_meters *m)
{
    free(m->busy);
    memset(m, 0, sizeof *m);
}

void tui_meters_reset(tui_meters *m)
{
    m->count = 0;
    m->head = 0;
    m->n_threads = 0;
    memset(m->busy_now, 0, sizeof m->busy_now);
}

double tui_thread_busy_seconds(const progress_snap *p, int t)
{
    const ekm_thread_progress *th = &p->thread[t];
    double b = th->busy_seconds;
    if (!th->busy || th->stage < 0 || th->stage >= p->sum.n_stages)
        return b;
    const ekm_stage_progress *sp = &p->stages[th->stage];
    /* Staged workers and heuristics credit their time when the stage ends; fused
     * and pruned workers after every small chunk. */
    int credited_per_chunk =
        sp->spec.kind == EKM_STAGE_SHARED && ekm_strategy_is_exact(p->sum.strategy);
    if (!credited_per_chunk && sp->start >= 0 && sp->end < 0 && p->sum.elapsed > sp->start)
        b += p->sum.elapsed - sp->start;
    return b;
}

static double *sample_row(const tui_meters *m, int i)
{
    return m->busy + (size_t)i * EKM_MAX_THREADS;
}

void tui_meters_add(tui_meters *m, const progress_snap *p)
{
    int n = p->sum.n_threads < EKM_MAX_THREADS ? p->sum.n_threads : EKM_MAX_THREADS;
    if (m->count && (p->sum.elapsed < m->t[m->head] || n != m->n_threads))
        tui_meters_reset(m);
    int slot;
    if (m->count && p->sum.elapsed == m->t[m->head]) {
        slot = m->head; /* the clock has not moved (a finished job): refresh in place */
    } else {
        slot = m->count ? (m->head + 1) % TUI_METER_SAMPLES : 0;
        m->head = slot;
        if (m->count < TUI_METER_SAMPLES)
            m->count++;
    }
    m->n_threads = n;
    m->t[slot] = p->sum.elapsed;
    double *row = sample_row(m, slot);
    for (int t = 0; t < n; t++) {
        row[t] = tui_thread_busy_seconds(p, t);
        m->busy_now[t] = p->thread[t].busy;
    }
}

double tui_meters_fraction(const tui_meters *m, int t)
{
    if (!m->count || t < 0 || t >= m->n_threads)
        return 0;
    int h = m->head, from = h;
    for (int i = 1; i < m->count; i++) {
        int j = (h - i + TUI_METER_SAMPLES) % TUI_METER_SAMPLES;
        from = j;
        if (m->t[h] - m->t[j] >= 1.0)
            break;
    }
    double dt = m->t[h] - m->t[from];
    if (dt < 0.05)
        return m->busy_now[t] ? 1.0 : 0.0;
    double f = (sample_row(m, h)[t] - sample_row(m, from)[t]) / dt;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}
