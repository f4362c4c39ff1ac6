/* cli_plot.c — `ekm plot FILE -k K --out clusters.png`: solve, then draw the clusters
 * to a PNG (no display needed), or in a window with --window. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/job_wait.h"
#include "common/outfile.h"
#include "common/load_report.h"
#include "plot/plot.h"
#include "common/text_escape.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

static int plot_interrupted(void *ctx)
{
    (void)ctx;
    return interrupted != 0;
}

/* Solve as a job, cancelled on a signal. Returns 0 with *out, or -1 (message in err). */
static int solve_cancellable(ekm_dissim *dm, const ekm_solve_options *opt, ekm_result **out,
                             char *err, size_t errsize)
{
    ekm_job *job;
    ekm_error e;
    *out = NULL;
    if (ekm_job_start(dm, opt, &job, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    job_wait_cancel_on(job, 0.05, &interrupted);
    if (ekm_job_status(job, &e)) {
        ekm_error_format(&e, err, errsize);
        ekm_job_free(job);
        return -1;
    }
    *out = ekm_job_take_result(job);
    ekm_job_free(job);
    return 0;
}

const char cli_plot_help[] =
    "usage: ekm plot FILE -k K [--strategy S] --out clusters.png [--width W --height H]\n"
    "Solves (default strategy: pruned, exact) and draws the clusters: points coloured\n"
    "by cluster, medoids larger and outlined, a legend with sizes and costs. D > 2 is\n"
    "projected on the first two principal components. Writes a PNG without a display.\n"
    "\n"
    "options:\n";

int cli_plot(const command_args *a)
{
    int have_strategy = command_given(a, "--strategy"), have_k = command_given(a, "--k");
    ui_settings s = *a->settings;
    const char *const *pos = a->pos;
    int npos = a->npos;
    char err[1024];
    if (npos != 1)
        return cli_usage_error("plot: which file? usage: ekm plot FILE -k K --out FILE.png");
    if (!have_k)
        return cli_usage_error("plot: say how many medoids with -k K");
    if (!s.out[0])
        return cli_usage_error("plot: say where to write the picture with --out FILE.png");
    if (s.dissim_file[0])
        return cli_usage_error("plot: a precomputed matrix has no coordinates to draw");
    if (!have_strategy)
        s.solve.strategy = EKM_STRATEGY_PRUNED;
    ekm_dissim *dm;
    if (dataset_load(&s, pos[0], &dm, err, sizeof err))
        return cli_usage_error("%s", err);
    if (outfile_is_protected(s.out)) {
        ekm_dissim_release(dm);
        return cli_usage_error("plot: --out %s: is the input data; refusing to write over it",
                               s.out);
    }
    if (dataset_check(dm, &s.solve, err, sizeof err)) {
        ekm_dissim_release(dm);
        return cli_usage_error("%s", err);
    }
    /* Ctrl-C, SIGTERM or a hang-up stop the solve and the projection promptly. */
    interrupted = 0;
    struct sigaction sa = {0}, old_int, old_term, old_hup;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    ekm_result *r = NULL;
    int rc = solve_cancellable(dm, &s.solve, &r, err, sizeof err);
    if (!rc) {
        plot_scatter_input in;
        plot_scatter_input_from_result(&in, ekm_dissim_dataset(dm), dm, r);
        in.cancelled = plot_interrupted;
        rc = plot_scatter_png(&in, (int)s.width, (int)s.height, s.out, NULL, err, sizeof err);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (rc && interrupted) {
        cli_runtime_error("plot: interrupted (%s); no picture written",
                          interrupted == SIGINT ? "Ctrl-C" : strsignal(interrupted));
        ekm_result_free(r);
        ekm_dissim_release(dm);
        return CLI_FAIL;
    }
    char shown[3000];
    if (rc && !r)
        cli_runtime_error("%s", err);
    else if (rc)
        cli_runtime_error("plot: %s", err);
    else
        fprintf(a->out, "wrote %s (%ux%u): K=%u objective %.10g, medoids",
               text_escape(shown, sizeof shown, s.out), s.width, s.height, r->k, r->objective);
    for (unsigned c = 0; !rc && c < r->k; c++)
        fprintf(a->out, " %u", r->medoids[c]);
    if (!rc)
        fprintf(a->out, "\n");
    ekm_result_free(r);
    ekm_dissim_release(dm);
    return rc ? CLI_FAIL : CLI_OK;
}
