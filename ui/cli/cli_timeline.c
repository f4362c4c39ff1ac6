/* cli_timeline.c — `ekm timeline FILE -k K [--strategy S] [--threads T] [--simulate T2]
 * --out timeline.png [--speedup speedup.png]`: solve, then draw each thread's stages
 * over time to a PNG; with --simulate, the same plan list-scheduled on T2 threads from
 * the stages' measured times; --speedup draws the speedup that simulation predicts
 * on 1 to 64 threads. No display needed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/job_wait.h"
#include "common/load_report.h"
#include "common/outfile.h"
#include "common/text_escape.h"
#include "common/timeline.h"
#include "plot/plot.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { interrupted = sig; }

const char cli_timeline_help[] =
    "usage: ekm timeline FILE -k K [--strategy S] [--threads T] [--simulate T2]\n"
    "                    --out timeline.png [--speedup speedup.png]\n"
    "Solves (default strategy: par1) and draws the run's timeline: one band per thread,\n"
    "time left to right, each stage (L0, L1, M2 ...) where and when it ran, idle time\n"
    "grey. --simulate T2 draws instead the schedule the same plan would have on T2\n"
    "threads (1-64), each stage taking the time it took here, list-scheduled as the\n"
    "engine schedules them: a simulation from measured costs, and said so. --speedup\n"
    "FILE also draws the speedup that simulation predicts for 1 to 64 threads. The\n"
    "predicted speedups are printed too.\n"
    "\n"
    "options:\n";

const command_option cli_timeline_options[] = {
    {"--simulate", NULL, "T2", COMMAND_VALUE_INT, "draw the plan simulated on T2 threads (1-64)",
     NULL},
    {"--speedup", NULL, "OUT.png", COMMAND_VALUE_OUTFILE,
     "also draw the predicted speedup on 1-64 threads", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

static int write_speedup(const timeline *tl, const ekm_plan *plan, const char *path,
                         const ui_settings *s, char *err, size_t errsz)
{
    double x[TIMELINE_MAX_THREADS], y[TIMELINE_MAX_THREADS];
    size_t n = 0;
    for (unsigned t = 1; t <= TIMELINE_MAX_THREADS; t++) {
        double sp = timeline_predicted_speedup(tl, plan, t);
        if (sp > 0) {
            x[n] = t;
            y[n++] = sp;
        }
    }
    char name[96], sub[160];
    snprintf(name, sizeof name, "%s: simulated from measured stage times",
             ekm_strategy_name(plan->strategy));
    snprintf(sub, sizeof sub, "N=%zu K=%u, measured on %d thread%s; bound %.2f\xC3\x97 "
             "(total / critical path)", plan->n, plan->k, tl->n_threads,
             tl->n_threads == 1 ? "" : "s", plan->amdahl_bound);
    plot_series ser = {.name = name, .x = x, .y = y, .n = n, .bound = plan->amdahl_bound};
    plot_speedup_input in = {.title = "Predicted speedup (a simulation from measured costs)",
                             .subtitle = sub, .series = &ser, .n_series = 1,
                             .parallel_fraction = plan->amdahl_bound > 0 ? 1 - 1 / plan->amdahl_bound : 0,
                             .max_threads = TIMELINE_MAX_THREADS};
    return plot_speedup_png(&in, (int)s->width, (int)s->height, path, NULL, err, errsz);
}

int cli_timeline(const command_args *a)
{
    const char *sim_arg = command_own(a, "--simulate");
    const char *speedup_path = command_own(a, "--speedup");
    if (speedup_path && !*speedup_path)
        return cli_usage_error("timeline: --speedup needs a file name");
    unsigned simulate = 0;
    if (sim_arg) {
        char *end;
        unsigned long v = strtoul(sim_arg, &end, 10);
        if (!*sim_arg || *end || v < 1 || v > TIMELINE_MAX_THREADS)
            return cli_usage_error("timeline: --simulate takes a thread count from 1 to %d, not "
                                   "'%s'", TIMELINE_MAX_THREADS, sim_arg);
        simulate = (unsigned)v;
    }
    int have_strategy = command_given(a, "--strategy"), have_k = command_given(a, "--k");
    ui_settings s = *a->settings;
    const char *const *pos = a->pos;
    char err[1024];
    if (a->npos != 1)
        return cli_usage_error("timeline: which file? usage: ekm timeline FILE -k K --out FILE.png");
    if (!have_k)
        return cli_usage_error("timeline: say how many medoids with -k K");
    if (!s.out[0])
        return cli_usage_error("timeline: say where to write the picture with --out FILE.png");
    if (!have_strategy)
        s.solve.strategy = EKM_STRATEGY_PAR1;
    if (!ekm_strategy_is_exact(s.solve.strategy))
        return cli_usage_error("timeline: %s is a heuristic: it has no plan of stages to draw",
                               ekm_strategy_name(s.solve.strategy));
    if (speedup_path && !strcmp(speedup_path, s.out))
        return cli_usage_error("timeline: --out and --speedup name the same file");
    ekm_dissim *dm;
    if (dataset_load(&s, pos[0], &dm, err, sizeof err))
        return cli_usage_error("%s", err);
    if (outfile_is_protected(s.out) || (speedup_path && outfile_is_protected(speedup_path))) {
        ekm_dissim_release(dm);
        return cli_usage_error("timeline: %s: is the input data; refusing to write over it",
                               outfile_is_protected(s.out) ? s.out : speedup_path);
    }
    if (dataset_check(dm, &s.solve, err, sizeof err)) {
        ekm_dissim_release(dm);
        return cli_usage_error("%s", err);
    }
    interrupted = 0;
    struct sigaction sa = {0}, old_int, old_term, old_hup;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    ekm_job *job = NULL;
    ekm_error e;
    int rc = CLI_OK;
    progress_snap *snap = progress_snap_new(EKM_MAX_STAGES, EKM_MAX_THREADS, EKM_MAX_K);
    const ekm_progress *p = snap ? &snap->sum : NULL;
    timeline *tl = malloc(sizeof *tl), *sim = malloc(sizeof *sim);
    if (!snap || !tl || !sim) {
        cli_runtime_error("timeline: out of memory");
        rc = CLI_FAIL;
    } else if (ekm_job_start(dm, &s.solve, &job, &e)) {
        ekm_error_format(&e, err, sizeof err);
        cli_runtime_error("%s", err);
        rc = CLI_FAIL;
    } else {
        job_wait_cancel_on(job, 0.05, &interrupted);
        if (ekm_job_status(job, &e)) {
            if (interrupted)
                cli_runtime_error("timeline: interrupted; no picture written");
            else {
                ekm_error_format(&e, err, sizeof err);
                cli_runtime_error("%s", err);
            }
            rc = CLI_FAIL;
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    char shown[3000], name[256], sub[400];
    if (rc == CLI_OK) {
        const ekm_plan *plan = ekm_job_plan(job);
        progress_snap_poll(snap, job);
        timeline_from_progress(tl, snap);
        const timeline *draw = tl;
        if (simulate) {
            if (timeline_simulate(tl, plan, simulate, sim)) {
                cli_runtime_error("timeline: the run was too short to time its stages");
                rc = CLI_FAIL;
            }
            draw = sim;
        }
        const char *base = strrchr(pos[0], '/');
        text_escape(name, sizeof name, base ? base + 1 : pos[0]);
        snprintf(sub, sizeof sub, "%s, N=%zu, K=%u, %.3g s", name, p->n, p->k, p->elapsed);
        plot_timeline_input in;
        plot_timeline_input_init(&in);
        in.tl = draw;
        in.subtitle = sub;
        if (rc == CLI_OK &&
            plot_timeline_png(&in, (int)s.width, (int)s.height, s.out, NULL, err, sizeof err)) {
            cli_runtime_error("timeline: %s", err);
            rc = CLI_FAIL;
        }
        if (rc == CLI_OK) {
            fprintf(a->out, "wrote %s (%ux%u): %s on %d thread%s%s, %.3f s measured\n",
                   text_escape(shown, sizeof shown, s.out), s.width, s.height,
                   ekm_strategy_name(p->strategy), draw->n_threads,
                   draw->n_threads == 1 ? "" : "s", simulate ? " (simulated)" : "", p->elapsed);
            for (int i = 0; i < draw->n_bars; i++) {
                const timeline_bar *b = &draw->bar[i];
                if (!draw->shared || b->thread == 0)
                    fprintf(a->out, "  %-4s t%-3d %8.3f s to %8.3f s\n", b->label, b->thread, b->start,
                           b->end);
            }
            fprintf(a->out, "predicted speedup, simulated from the measured stage times:");
            for (unsigned t = 1; t <= TIMELINE_MAX_THREADS; t *= 2)
                fprintf(a->out, " T=%u %.2fx%s", t, timeline_predicted_speedup(tl, plan, t),
                       t < TIMELINE_MAX_THREADS ? "," : "\n");
        }
        if (rc == CLI_OK && speedup_path) {
            if (write_speedup(tl, plan, speedup_path, &s, err, sizeof err)) {
                cli_runtime_error("timeline: %s", err);
                rc = CLI_FAIL;
            } else {
                fprintf(a->out, "wrote %s: predicted speedup on 1 to %d threads\n",
                       text_escape(shown, sizeof shown, speedup_path), TIMELINE_MAX_THREADS);
            }
        }
    }
    ekm_job_free(job);
    progress_snap_free(snap);
    free(tl);
    free(sim);
    ekm_dissim_release(dm);
    return rc;
}
