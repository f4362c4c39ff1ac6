/* cli_compare.c — `ekm compare FILE -k K`: the proven optimum (the exact
 * branch and bound, `pruned`) against every heuristic (pam, fasterpam, clarans,
 * alternate), as a table or JSON: method, seconds, objective, the gap to the
 * optimum in percent, and whether it found the optimal medoid set.
 * When the exact solver cannot run (C(N,K) does not fit in 128 bits), the
 * heuristics still run: one line on stderr says what was not run, and the gaps
 * are unknown ("-" in the table, null in JSON).
 * Ctrl-C (SIGINT) or SIGTERM cancels the running method; the command then
 * exits 1 saying so. */
#define _GNU_SOURCE
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "cli/cli.h"
#include "common/job_wait.h"
#include "common/json.h"
#include "common/class_hint.h"
#include "common/load_report.h"
#include "common/text_escape.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* The methods, the exact one first. */
static const ekm_strategy methods[] = {EKM_STRATEGY_PRUNED, EKM_STRATEGY_PAM,
                                       EKM_STRATEGY_FASTERPAM, EKM_STRATEGY_CLARANS,
                                       EKM_STRATEGY_ALTERNATE};
enum { N_METHODS = sizeof methods / sizeof methods[0] };

/* Options that choose one method or write per-run files make no sense here. */
static const char *const refused[] = {"--strategy", "-s", "--partitions", "-p", "--leaf",
                                      "--labels", "--progress"};

const char cli_compare_help[] =
    "usage: ekm compare FILE -k K [options]\n"
    "Runs the exact solver (pruned) once and every heuristic (pam, fasterpam,\n"
    "clarans, alternate), and prints for each: seconds, objective, the gap to the\n"
    "proven optimum in percent, and whether it found the optimum: the optimal\n"
    "medoid set, or an objective within 1e-10 (relative) of it, which the tie\n"
    "rule counts as equal (gap 0).\n"
    "--seed and --restarts go to the heuristics, --threads to the exact solver.\n"
    "\n"
    "options:\n";

/* Run one method as a job, cancelling it on a signal. Returns CLI_OK with the
 * result in *out, CLI_USAGE when the job cannot start (bad options: the message
 * in err), CLI_FAIL when it failed or was cancelled. */
static int run_method(ekm_dissim *dm, const ekm_solve_options *base, ekm_strategy s,
                      ekm_result **out, ekm_status *start_status, char *err, size_t errsize)
{
    ekm_solve_options o = *base;
    o.strategy = s;
    *out = NULL;
    *start_status = EKM_OK;
    ekm_job *job;
    ekm_error e;
    if ((*start_status = ekm_job_start(dm, &o, &job, &e))) {
        ekm_error_format(&e, err, errsize);
        return CLI_USAGE;
    }
    job_wait_cancel_on(job, 0.05, &interrupted);
    int rc = CLI_OK;
    if (ekm_job_status(job, &e)) {
        char msg[600];
        ekm_error_format(&e, msg, sizeof msg);
        snprintf(err, errsize, "%s: %s: %s", ekm_dissim_name(dm), ekm_strategy_name(s), msg);
        rc = CLI_FAIL;
    } else {
        *out = ekm_job_take_result(job);
    }
    ekm_job_free(job);
    return rc;
}

/* r[0] (the exact solver's) is NULL when it could not run: gaps are then unknown. */
static void print_table(FILE *out, const ekm_dissim *dm, ekm_result *const *r)
{
    const ekm_result *opt = r[0], *any = r[0] ? r[0] : r[1];
    text_fputs(ekm_dissim_name(dm), out);
    if (opt)
        fprintf(out, ": N=%zu, K=%u, %s; exact solver on %u thread%s\n", opt->n, opt->k,
                ekm_metric_name(opt->metric), opt->threads, opt->threads == 1 ? "" : "s");
    else
        fprintf(out, ": N=%zu, K=%u, %s; no exact solver: the optimum is unknown\n", any->n,
                any->k, ekm_metric_name(any->metric));
    fprintf(out, "%-10s %-5s %10s %22s %10s  %s\n", "method", "exact", "seconds", "objective",
            "gap %", "optimum");
    for (int m = 0; m < N_METHODS; m++) {
        if (!r[m])
            continue;
        fprintf(out, "%-10s %-5s %10.6f %22.12g ", ekm_strategy_name(methods[m]),
                r[m]->exact ? "yes" : "no", r[m]->seconds, r[m]->objective);
        if (opt)
            fprintf(out, "%10.4f  %s\n", report_gap_percent(r[m], opt),
                    report_found_optimum(r[m], opt) ? "yes" : "no");
        else
            fprintf(out, "%10s  %s\n", "-", "-");
    }
}

static void print_json(FILE *out, const ekm_dissim *dm, ekm_result *const *r,
                       const char *not_run)
{
    const ekm_result *opt = r[0], *any = r[0] ? r[0] : r[1];
    ekm_dataset *ds = ekm_dissim_dataset(dm);
    json_writer w;
    json_begin(&w, out);
    json_object_open(&w, NULL);
    json_string(&w, "file", ekm_dissim_name(dm));
    json_uint(&w, "n", any->n);
    json_uint(&w, "d", ds ? ekm_dataset_d(ds) : 0);
    json_uint(&w, "k", any->k);
    json_string(&w, "metric", ekm_metric_name(any->metric));
    if (opt) {
        json_uint(&w, "threads", opt->threads);
        json_double(&w, "optimum", opt->objective);
    } else {
        json_string(&w, "threads", NULL);
        json_string(&w, "optimum", NULL);
        json_array_open(&w, "not_run");
        json_object_open(&w, NULL);
        json_string(&w, "method", ekm_strategy_name(methods[0]));
        json_string(&w, "reason", not_run);
        json_object_close(&w);
        json_array_close(&w);
    }
    json_array_open(&w, "methods");
    for (int m = 0; m < N_METHODS; m++) {
        if (!r[m])
            continue;
        json_object_open(&w, NULL);
        json_string(&w, "method", ekm_strategy_name(methods[m]));
        json_bool(&w, "exact", r[m]->exact);
        json_double(&w, "seconds", r[m]->seconds);
        json_double(&w, "objective", r[m]->objective);
        if (opt) {
            json_double(&w, "gap_percent", report_gap_percent(r[m], opt));
            json_bool(&w, "found_optimum", report_found_optimum(r[m], opt));
        } else {
            json_string(&w, "gap_percent", NULL);
            json_string(&w, "found_optimum", NULL);
        }
        json_array_open(&w, "medoids");
        for (unsigned c = 0; c < r[m]->k; c++)
            json_uint(&w, NULL, r[m]->medoids[c] + report_current_style()->index_base);
        json_array_close(&w);
        if (r[m]->exact) {
            json_count(&w, "evaluated", r[m]->evaluated);
            json_count(&w, "pruned", r[m]->pruned);
        }
        json_object_close(&w);
    }
    json_array_close(&w);
    json_object_close(&w);
    json_end(&w);
}

int cli_compare(const command_args *a)
{
    for (int i = 1; i < a->argc; i++) {
        const char *w = a->argv[i];
        for (size_t j = 0; j < sizeof refused / sizeof refused[0]; j++) {
            size_t len = strlen(refused[j]);
            if (strncmp(w, refused[j], len) == 0 &&
                (w[len] == '\0' || (w[len] == '=' && w[1] == '-')))
                return cli_usage_error("compare: %s does not apply (compare runs every method)",
                                       refused[j]);
        }
    }
    ui_settings s = *a->settings;
    const char *const *pos = a->pos;
    int npos = a->npos;
    char err[1024];
    report_set_style(&s); /* --index-base */
    if (npos != 1 && !s.dissim_file[0])
        return cli_usage_error("compare: which file? usage: ekm compare FILE -k K");
    if (!command_given(a, "--k"))
        return cli_usage_error("compare: say how many medoids with -k K");
    ekm_dissim *dm;
    if (dataset_load(&s, npos ? pos[0] : s.dissim_file, &dm, err, sizeof err))
        return cli_usage_error("%s", err);
    if (dataset_check(dm, &s.solve, err, sizeof err)) {
        ekm_dissim_release(dm);
        return cli_usage_error("%s", err);
    }
    if (dataset_class_hint(dm, &s, err, sizeof err))
        fprintf(stderr, "ekm: note: %s\n", err);
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    ekm_result *r[N_METHODS] = {0};
    int rc = CLI_OK;
    char not_run[1024] = "";
    for (int m = 0; m < N_METHODS && rc == CLI_OK; m++) {
        ekm_status start;
        rc = run_method(dm, &s.solve, methods[m], &r[m], &start, err, sizeof err);
        if (rc && m == 0 && start == EKM_ERR_TOO_BIG) {
            /* the exact solver cannot count the K-subsets: run the heuristics anyway */
            snprintf(not_run, sizeof not_run, "%s", err);
            char shown[1200];
            fprintf(stderr, "ekm: compare: %s (exact) not run: %s; the heuristics ran, "
                            "their gaps to the optimum are unknown\n",
                    ekm_strategy_name(methods[m]), text_escape(shown, sizeof shown, err));
            rc = CLI_OK;
        } else if (rc) {
            cli_runtime_error("%s", err);
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc == CLI_OK) {
        if (s.json)
            print_json(a->out, dm, r, not_run);
        else
            print_table(a->out, dm, r);
        errno = 0;
        if (fflush(a->out) || ferror(a->out)) {
            cli_runtime_error("writing the table failed: %s", errno ? strerror(errno) : "output error");
            rc = CLI_FAIL;
        }
    }
    for (int m = 0; m < N_METHODS; m++)
        ekm_result_free(r[m]);
    ekm_dissim_release(dm);
    return rc;
}
