/* cli_plot.c — `ekm plot FILE -k K --out clusters.png`: solve, then draw the clusters
 * to a PNG (no display needed), or in a window with --window. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/job_wait.h"
#include "common/outfile.h"
#include "common/class_hint.h"
#include "common/load_report.h"
#include "plot/plot.h"
#include "plot/plot_silhouette.h"
#include "ekm/quality.h"
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

/* The silhouette picture of r (--silhouette OUT.png): of a sample of the points
 * above EKM_SILHOUETTE_EXACT_MAX of them (--silhouette-sample). */
static int silhouette_png(const ekm_dissim *dm, const ekm_result *r, const char *path,
                          const ui_settings *s, char *err, size_t errsize)
{
    quality_points qp;
    report_set_style(s); /* --silhouette-sample, --seed */
    if (quality_points_compute(&qp, dm, r)) {
        snprintf(err, errsize, "--silhouette: out of memory");
        return -1;
    }
    plot_silhouette_input in;
    plot_silhouette_input_from_points(&in, ekm_dissim_name(dm),
                                      ekm_metric_name(ekm_dissim_metric(dm)), &qp);
    int rc = plot_silhouette_png(&in, (int)s->width, (int)s->height, path, NULL, err, errsize);
    quality_points_free(&qp);
    return rc;
}

const char cli_plot_help[] =
    "usage: ekm plot FILE -k K [--strategy S] --out clusters.png [--silhouette sil.png]\n"
    "                [--width W --height H]\n"
    "Solves (default strategy: pruned, exact) and draws the clusters: points coloured\n"
    "by cluster, medoids larger and outlined, a legend with sizes and costs. D > 2 is\n"
    "projected on the first two principal components. Writes a PNG without a display.\n"
    "--silhouette FILE.png draws the silhouette of the result as R's plot.silhouette\n"
    "does: a bar per point, sorted within clusters (with it --out may be left out);\n"
    "over 20000 points, a bar per point of a sample (--silhouette-sample).\n"
    "\n"
    "options:\n";

const command_option cli_plot_options[] = {
    {"--silhouette", NULL, "FILE.png", COMMAND_VALUE_OUTFILE,
     "the silhouette plot of the result (a bar per point)", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

int cli_plot(const command_args *a)
{
    int have_strategy = command_given(a, "--strategy"), have_k = command_given(a, "--k");
    ui_settings s = *a->settings;
    const char *const *pos = a->pos;
    int npos = a->npos;
    char err[1024];
    const char *sil_out = command_own(a, "--silhouette");
    if (sil_out && !sil_out[0])
        return cli_usage_error("plot: --silhouette needs a file name");
    if (npos != 1 && !(s.dissim_file[0] && sil_out))
        return cli_usage_error("plot: which file? usage: ekm plot FILE -k K --out FILE.png");
    if (!have_k)
        return cli_usage_error("plot: say how many medoids with -k K");
    if (!s.out[0] && !sil_out)
        return cli_usage_error("plot: say where to write the picture with --out FILE.png");
    if (s.dissim_file[0] && s.out[0])
        return cli_usage_error("plot: a precomputed matrix has no coordinates to draw");
    if (!have_strategy)
        s.solve.strategy = EKM_STRATEGY_PRUNED;
    ekm_dissim *dm;
    if (dataset_load(&s, npos ? pos[0] : s.dissim_file, &dm, err, sizeof err))
        return cli_usage_error("%s", err);
    if ((s.out[0] && outfile_is_protected(s.out)) || (sil_out && outfile_is_protected(sil_out))) {
        ekm_dissim_release(dm);
        return cli_usage_error("plot: %s: is the input data; refusing to write over it",
                               s.out[0] && outfile_is_protected(s.out) ? s.out : sil_out);
    }
    if (dataset_check(dm, &s.solve, err, sizeof err)) {
        ekm_dissim_release(dm);
        return cli_usage_error("%s", err);
    }
    if (dataset_class_hint(dm, &s, err, sizeof err))
        fprintf(stderr, "ekm: note: %s\n", err);
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
    if (!rc && s.out[0]) {
        plot_scatter_input in;
        plot_scatter_input_from_result(&in, ekm_dissim_dataset(dm), dm, r);
        in.cancelled = plot_interrupted;
        rc = plot_scatter_png(&in, (int)s.width, (int)s.height, s.out, NULL, err, sizeof err);
    }
    if (!rc && sil_out && !interrupted)
        rc = silhouette_png(dm, r, sil_out, &s, err, sizeof err);
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
                text_escape(shown, sizeof shown, s.out[0] ? s.out : sil_out), s.width, s.height,
                r->k, r->objective);
    for (unsigned c = 0; !rc && c < r->k; c++)
        fprintf(a->out, " %u", r->medoids[c] + s.index_base);
    if (!rc)
        fprintf(a->out, "\n");
    if (!rc && sil_out && s.out[0])
        fprintf(a->out, "wrote %s (the silhouette)\n", text_escape(shown, sizeof shown, sil_out));
    ekm_result_free(r);
    ekm_dissim_release(dm);
    return rc ? CLI_FAIL : CLI_OK;
}
