/* tui_estimate.c — how long a plan should take before it starts, and how long a
 * running job has left, from the plan's structure (a merge waits for its
 * children and runs on one thread, so par1's ETA is bounded by its merge). */
#include <math.h>

#include "tui/tui_internal.h"

/* Runs shorter than this are mostly start-up and say little about the rate. */
static const double min_seconds_for_rate = 0.5;

double tui_eval_rate(const workspace *ws)
{
    for (size_t i = ws->n_history; i-- > 0;) {
        const run_record *r = &ws->history[i];
        if (!r->exact || r->state != EKM_RUN_DONE || r->seconds < min_seconds_for_rate ||
            !r->evaluated || r->predicted_speedup <= 0 || !r->n)
            continue;
        /* The run's busiest thread did about evaluated / predicted_speedup K-subsets
         * (the plan's makespan), each a pass over N points. */
        return (double)r->evaluated * (double)r->n / r->predicted_speedup / r->seconds;
    }
    return TUI_DEFAULT_EVAL_RATE;
}

double tui_plan_estimate(const ekm_plan *plan, double eval_rate)
{
    if (!plan || !ekm_strategy_is_exact(plan->strategy) || !plan->total || eval_rate <= 0 ||
        plan->strategy == EKM_STRATEGY_PRUNED) /* its work depends on its bounds: unknown */
        return -1;
    return plan->makespan * (double)plan->n / eval_rate;
}

double tui_job_eta(const progress_snap *p)
{
    if (p->sum.state != EKM_RUN_RUNNING || !p->sum.total || !p->sum.done || p->sum.n_threads <= 0)
        return -1;
    double busy = 0;
    for (int t = 0; t < p->sum.n_threads; t++)
        busy += tui_thread_busy_seconds(p, t);
    if (busy <= 0)
        return -1;
    double per_thread = (double)p->sum.done / busy; /* K-subsets per thread-second */
    double spread = (double)(p->sum.total - p->sum.done) / (per_thread * p->sum.n_threads);
    /* The heaviest remaining chain: a stage cannot finish before its children. */
    double chain[EKM_MAX_STAGES], longest = 0;
    for (int s = 0; s < p->sum.n_stages; s++) {
        const ekm_stage_progress *sp = &p->stages[s];
        double below = 0;
        for (int c = 0; c < 2; c++) {
            int ch = sp->spec.child[c];
            if (ch >= 0 && ch < s && chain[ch] > below)
                below = chain[ch];
        }
        ekm_count done = sp->done < sp->spec.total ? sp->done : sp->spec.total;
        double rem = (double)(sp->spec.total - done);
        if (sp->spec.kind == EKM_STAGE_SHARED)
            rem /= p->sum.n_threads; /* every thread works on it */
        chain[s] = below + rem;
        if (chain[s] > longest)
            longest = chain[s];
    }
    double serial = longest / per_thread;
    double eta = spread > serial ? spread : serial;
    return isfinite(eta) ? eta : -1;
}
