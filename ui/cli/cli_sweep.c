/* cli_sweep.c — `ekm sweep FILE --k LO..HI`: the optimum for every K of the
 * range (pruned unless --strategy says otherwise), one after the other, with
 * the objective, mean silhouette, seconds and medoids of each, the elbow of the
 * objective and a suggested K (sweep.h). The text table grows a row as each K
 * finishes; on a terminal stderr shows the running K's progress (elsewhere,
 * with --progress, a line per finished K). Ctrl-C
 * (SIGINT) or SIGTERM cancels the running K: the finished Ks are still
 * reported (the rest marked not run) and the command exits 1, as other
 * cancelled runs. --plot OUT.png draws the objective and the silhouette
 * against K. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/job_wait.h"
#include "common/load_report.h"
#include "common/outfile.h"
#include "common/progress_text.h"
#include "common/sweep.h"
#include "plot/plot_sweep.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

const char cli_sweep_help[] =
    "usage: ekm sweep FILE --k LO..HI [options] [--plot OUT.png]\n"
    "Finds the proven optimum for every K from LO to HI (at most 64), with the\n"
    "pruned strategy unless --strategy names another, and prints for each K the\n"
    "objective, the mean silhouette (as R's cluster::silhouette; not defined for\n"
    "K = 1), the seconds and the medoids; then the elbow of the objective (the K\n"
    "farthest below the straight line from the first to the last K) and the\n"
    "suggested K: the one with the largest mean silhouette.\n"
    "Ctrl-C stops the running K: the finished ones are still printed, the rest\n"
    "marked not run, and the exit status is 1. On a terminal stderr shows the\n"
    "running K's progress; elsewhere --progress prints a line per finished K.\n"
    "--k takes the range LO..HI here (or one K).\n"
    "\n"
    "options:\n";

const command_option cli_sweep_options[] = {
    {"--plot", NULL, "OUT.png", COMMAND_VALUE_OUTFILE,
     "draw the objective and the silhouette against K", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

/* The running K's progress on a terminal: one line, redrawn. */
typedef struct sweep_watch {
    int tty;
    unsigned k;
    ekm_progress snap;
    uint32_t best[EKM_MAX_K]; /* the snapshot's best set (K <= EKM_MAX_K) */
} sweep_watch;

static int sweep_tick(void *ctx, ekm_job *job)
{
    sweep_watch *w = ctx;
    if (interrupted)
        return 1;
    if (w->tty) {
        char line[400];
        ekm_job_snapshot(job, &w->snap, NULL, 0, NULL, 0, w->best, EKM_MAX_K);
        progress_job_line(&w->snap, w->best, line, sizeof line);
        fprintf(stderr, "\r\033[KK=%u: %s", w->k, line);
        fflush(stderr);
    }
    return 0;
}

int cli_sweep(const command_args *a)
{
    int argc = a->argc;
    char **argv = a->argv;
    FILE *out = a->out;
    /* --k LO..HI and --plot FILE are this command's own; the rest is the shared table */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return cli_runtime_error("out of memory");
    const char *range = NULL, *plot = NULL;
    int nrest = 0, strategy_given = 0;
    char err[1200];
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (i > 0 && (!strcmp(w, "-k") || !strcmp(w, "--k") || !strcmp(w, "--plot"))) {
            if (i + 1 >= argc) {
                free(rest);
                return cli_usage_error("sweep: %s needs a value", w);
            }
            *(w[2] == 'p' ? &plot : &range) = argv[++i];
        } else if (i > 0 && !strncmp(w, "--k=", 4)) {
            range = w + 4;
        } else if (i > 0 && !strncmp(w, "--plot=", 7)) {
            plot = w + 7;
        } else {
            if (!strcmp(w, "--strategy") || !strcmp(w, "-s") || !strncmp(w, "--strategy=", 11))
                strategy_given = 1;
            rest[nrest++] = argv[i];
        }
    }
    ui_settings s = *a->settings; /* --threads 0: all cores */
    const char *pos[1];
    int npos;
    int bad = settings_parse_argv(&s, OPT_SOLVE | OPT_DATA | OPT_OUTPUT | OPT_PLOT, nrest, rest,
                                  1, pos, 1, &npos, err, sizeof err);
    free(rest);
    if (bad)
        return cli_usage_error("sweep: %s", err);
    if (!strategy_given)
        s.solve.strategy = EKM_STRATEGY_PRUNED;
    if (s.labels_out[0])
        return cli_usage_error("sweep: --labels writes one clustering; use 'ekm solve -k K "
                               "--labels FILE' for the K you pick");
    if (s.out[0])
        return cli_usage_error("sweep: the picture's file is given with --plot OUT.png");
    if (npos != 1 && !s.dissim_file[0])
        return cli_usage_error("sweep: which file? usage: ekm sweep FILE --k 2..8");
    if (!range)
        return cli_usage_error("sweep: say which Ks with --k LO..HI (e.g. --k 2..8)");
    unsigned lo, hi;
    if (sweep_parse_range(range, &lo, &hi, err, sizeof err))
        return cli_usage_error("sweep: --k: %s", err);
    if (plot && outfile_is_protected(plot))
        return cli_usage_error("sweep: --plot: %s: is the input data; refusing to write over it",
                               plot);
    const char *path = npos ? pos[0] : s.dissim_file;
    ekm_dissim *dm;
    if (dataset_load(&s, path, &dm, err, sizeof err))
        return cli_usage_error("%s", err);
    if (plot && outfile_is_protected(plot)) {
        ekm_dissim_release(dm);
        return cli_usage_error("sweep: --plot: %s: is the input data; refusing to write over it",
                               plot);
    }
    if (hi > ekm_dissim_n(dm)) {
        size_t n = ekm_dissim_n(dm);
        ekm_dissim_release(dm);
        return cli_usage_error("%s: K=%u exceeds the number of points N=%zu", path, hi, n);
    }
    sweep *sw = malloc(sizeof *sw);
    if (!sw) {
        ekm_dissim_release(dm);
        return cli_runtime_error("out of memory");
    }
    sweep_init(sw, lo, hi);
    interrupted = 0;
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sweep_watch w = {isatty(STDERR_FILENO), 0, {0}, {0}};
    int rc = CLI_OK;
    if (!s.json) {
        sweep_print_header(out);
        fflush(out);
    }
    for (unsigned k = lo; k <= hi && rc == CLI_OK; k++) {
        if (interrupted) {
            sw->cancelled = 1;
            break;
        }
        ekm_solve_options opt = s.solve;
        opt.k = k;
        ekm_job *job;
        ekm_error e;
        if (ekm_job_start(dm, &opt, &job, &e)) {
            ekm_error_format(&e, err, sizeof err);
            rc = cli_usage_error("sweep: K=%u: %s", k, err);
            break;
        }
        w.k = k;
        double t0 = ekm_now();
        job_wait(job, 0.1, sweep_tick, &w);
        if (w.tty)
            fputs("\r\033[K", stderr);
        ekm_status st = ekm_job_status(job, &e);
        if (st == EKM_ERR_CANCELLED && interrupted) {
            sw->cancelled = 1;
        } else if (st) {
            ekm_error_format(&e, err, sizeof err);
            rc = cli_runtime_error("%s: K=%u: %s", ekm_dissim_name(dm), k, err);
        } else {
            const sweep_run *run = sweep_record(sw, dm, ekm_job_result(job), ekm_now() - t0);
            if (!run)
                rc = cli_runtime_error("sweep: K=%u: out of memory for the silhouette", k);
            else if (!s.json) {
                sweep_print_row(out, run);
                fflush(out);
            }
            if (run && s.progress && !w.tty) /* a line per K for logs and scripts */
                fprintf(stderr, "sweep: K=%u done in %.3f s\n", k, run->seconds);
        }
        ekm_job_free(job);
        if (sw->cancelled)
            break;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (s.json)
        sweep_json(out, dm, s.solve.strategy, sw);
    else
        sweep_print_summary(out, sw);
    if (sw->cancelled) {
        cli_runtime_error("sweep cancelled: the finished Ks are shown, the rest not run");
        rc = CLI_FAIL;
    }
    if (plot && rc == CLI_OK) {
        if (plot_sweep_png(sw, ekm_dissim_name(dm), ekm_metric_name(ekm_dissim_metric(dm)),
                           (int)s.width, (int)s.height, plot, err, sizeof err))
            rc = cli_runtime_error("sweep: --plot: %s", err);
        else if (!s.json)
            fprintf(out, "wrote %s\n", plot);
    }
    errno = 0;
    if (fflush(out) || ferror(out))
        rc = cli_runtime_error("writing the result failed: %s",
                               errno ? strerror(errno) : "output error");
    free(sw);
    ekm_dissim_release(dm);
    return rc;
}
