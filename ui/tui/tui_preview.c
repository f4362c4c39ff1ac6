/* tui_preview.c — the plan the settings give, and that plan as a snapshot of
 * waiting stages, so the plan view can show what r would run before it runs. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "tui/tui_internal.h"

int tui_plan_snapshot(const ekm_plan *plan, progress_snap *p)
{
    /* the heuristics run on one thread whatever the plan's figure */
    unsigned threads = ekm_strategy_is_exact(plan->strategy) ? plan->threads : 1;
    if (progress_snap_reserve(p, plan->n_stages, (int)threads, plan->k))
        return -1;
    memset(&p->sum, 0, sizeof p->sum);
    p->sum.state = EKM_RUN_WAITING;
    p->sum.strategy = plan->strategy;
    p->sum.n = plan->n;
    p->sum.k = plan->k;
    p->sum.threads = plan->threads;
    p->sum.total = plan->total;
    p->sum.best = INFINITY;
    p->sum.n_stages = plan->n_stages;
    for (int s = 0; s < p->sum.n_stages; s++) {
        ekm_stage_progress *sp = &p->stages[s];
        memset(sp, 0, sizeof *sp);
        sp->spec = plan->stages[s];
        sp->state = EKM_RUN_WAITING;
        sp->thread = -1;
        sp->best = INFINITY;
        sp->start = sp->end = -1;
    }
    p->sum.threads = threads;
    p->sum.n_threads = (int)threads;
    for (int t = 0; t < p->sum.n_threads; t++)
        p->thread[t] = (ekm_thread_progress){.stage = -1};
    return 0;
}

ekm_plan *tui_settings_plan(const workspace *ws, char *err, size_t errsize)
{
    err[0] = '\0';
    if (!ws->dm)
        return NULL;
    const ekm_solve_options *o = &ws->settings.solve;
    ekm_plan *plan = NULL;
    ekm_error e;
    if (ekm_solve_plan(ekm_dissim_n(ws->dm), o, &plan, &e)) {
        ekm_error_format(&e, err, errsize);
        return NULL;
    }
    return plan;
}
