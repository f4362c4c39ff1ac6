/* repl_cmd_sweep.c — `sweep LO..HI [--strategy S] [--json] [--plot FILE.png]`:
 * the optimum for every K of the range on the loaded data (pruned unless
 * --strategy names another), one K after the other in the foreground, a row
 * per K as it finishes, then the elbow and the suggested K (common/sweep.h).
 * Ctrl-C stops the running K: the finished ones stay, the rest are marked not
 * run. The session's settings and result are left as they were. */
#include <stdlib.h>
#include <string.h>

#include "common/sweep.h"
#include "plot/plot_sweep.h"
#include "repl/repl_internal.h"

int repl_cmd_sweep(repl_session *s, int argc, char **argv)
{
    const char *range = NULL, *plot = NULL;
    int json = 0;
    ekm_strategy strategy = EKM_STRATEGY_PRUNED;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--plot") || !strcmp(argv[i], "--strategy") ||
             !strcmp(argv[i], "-s")) && i + 1 < argc) {
            if (!strcmp(argv[i], "--plot")) {
                plot = argv[++i];
            } else if (ekm_strategy_parse(argv[++i], &strategy)) {
                return repl_error(s, REPL_USAGE, "sweep: unknown strategy '%s'", argv[i]);
            }
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (argv[i][0] != '-' && !range) {
            range = argv[i];
        } else {
            return repl_error(s, REPL_USAGE, "sweep: unexpected '%s'; usage: sweep LO..HI "
                              "[--strategy S] [--json] [--plot FILE.png]", argv[i]);
        }
    }
    if (!range)
        return repl_error(s, REPL_USAGE, "sweep: which Ks? e.g. 'sweep 2..8'");
    unsigned lo, hi;
    char err[600];
    if (sweep_parse_range(range, &lo, &hi, err, sizeof err))
        return repl_error(s, REPL_USAGE, "sweep: %s", err);
    if (!s->ws.dm)
        return repl_error(s, REPL_FAIL, "no data loaded: use 'load FILE' or 'gen uniform --n N'");
    if (workspace_running(&s->ws))
        return repl_error(s, REPL_FAIL, "a job is running: 'wait' for it or 'cancel' it first");
    if (workspace_bench_running(&s->ws))
        return repl_error(s, REPL_FAIL, "a benchmark is running: 'wait' for it or 'cancel' it first");
    ekm_dissim *dm = s->ws.dm;
    if (hi > ekm_dissim_n(dm))
        return repl_error(s, REPL_USAGE, "sweep: K=%u exceeds the number of points N=%zu", hi,
                          ekm_dissim_n(dm));
    sweep *sw = malloc(sizeof *sw);
    if (!sw)
        return repl_error(s, REPL_FAIL, "sweep: out of memory");
    sweep_init(sw, lo, hi);
    int status = REPL_OK;
    if (!json)
        sweep_print_header(s->out);
    for (unsigned k = lo; k <= hi; k++) {
        ekm_solve_options opt = s->ws.settings.solve;
        opt.k = k;
        opt.strategy = strategy;
        ekm_job *job;
        ekm_error e;
        if (ekm_job_start(dm, &opt, &job, &e)) {
            ekm_error_format(&e, err, sizeof err);
            status = repl_error(s, REPL_USAGE, "sweep: K=%u: %s", k, err);
            break;
        }
        double t0 = ekm_now();
        int interrupted = repl_wait_job(s, job);
        const ekm_result *r = ekm_job_status(job, &e) ? NULL : ekm_job_result(job);
        const sweep_run *run = r ? sweep_record(sw, dm, r, ekm_now() - t0) : NULL;
        if (run && !json) {
            sweep_print_row(s->out, run);
            fflush(s->out);
        } else if (!run && !interrupted) {
            ekm_error_format(&e, err, sizeof err);
            status = repl_error(s, REPL_FAIL, "sweep: K=%u: %s", k, r ? "out of memory" : err);
        }
        ekm_job_free(job);
        if (interrupted) {
            sw->cancelled = 1;
            break;
        }
        if (status != REPL_OK)
            break;
    }
    if (json)
        sweep_json(s->out, dm, strategy, sw);
    else
        sweep_print_summary(s->out, sw);
    if (sw->cancelled) {
        repl_note(s, "sweep cancelled: the finished Ks are shown, the rest not run");
        status = REPL_FAIL;
    }
    if (plot && status == REPL_OK) {
        if (plot_sweep_png(sw, ekm_dissim_name(dm), ekm_metric_name(ekm_dissim_metric(dm)),
                           (int)s->ws.settings.width, (int)s->ws.settings.height, plot, err,
                           sizeof err))
            status = repl_error(s, REPL_FAIL, "sweep: --plot: %s", err);
        else
            repl_note(s, "wrote %s", plot);
    }
    free(sw);
    return status;
}
