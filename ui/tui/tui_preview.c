/* tui_preview.c — the plan the settings give, and that plan as a snapshot of
 * waiting stages, so the plan view can show what r would run before it runs. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "tui/tui_internal.h"

void tui_plan_snapshot(const ekm_plan *plan, ekm_progress *p)
{
    memset(p, 0, offsetof(ekm_progress, stages));
    p->state = EKM_RUN_WAITING;
    p->strategy = plan->strategy;
    p->n = plan->n;
    p->k = plan->k;
    p->threads = plan->threads;
    p->total = plan->total;
    p->best = INFINITY;
    p->n_stages = plan->n_stages < EKM_MAX_STAGES ? plan->n_stages : EKM_MAX_STAGES;
    for (int s = 0; s < p->n_stages; s++) {
        ekm_stage_progress *sp = &p->stages[s];
        memset(sp, 0, sizeof *sp);
        sp->spec = plan->stages[s];
        sp->state = EKM_RUN_WAITING;
        sp->thread = -1;
        sp->best = INFINITY;
        sp->start = sp->end = -1;
    }
    /* the heuristics run on one thread whatever the plan's figure */
    unsigned threads = ekm_strategy_is_exact(plan->strategy) ? plan->threads : 1;
    p->threads = threads;
    p->n_threads = (int)(threads < EKM_MAX_THREADS ? threads : EKM_MAX_THREADS);
    for (int t = 0; t < p->n_threads; t++)
        p->thread[t] = (ekm_thread_progress){.stage = -1};
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
