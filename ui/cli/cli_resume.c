/* cli_resume.c — `ekm resume CHECKPOINT [options]`: continue a run saved by
 * `ekm solve --checkpoint` (or the REPL's `run --checkpoint`) and report it as
 * `ekm solve` does. The dataset is loaded again as the checkpoint's note says
 * (common/ckpt.h); K, the strategy and the plan come from the checkpoint, only the
 * number of threads may change. While it runs it keeps saving into CHECKPOINT (or
 * --checkpoint F). A checkpoint that belongs to another dataset or other options,
 * or a damaged file, is refused with one line naming the file (exit status 2). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/ckpt.h"
#include "common/load_report.h"
#include "common/resume.h"
#include "common/text_escape.h"

const char cli_resume_help[] =
    "usage: ekm resume CHECKPOINT [--threads T] [--checkpoint F] [--every S] [--json]\n"
    "                  [--labels OUT.csv] [--progress] [--info]\n"
    "Continues a run saved by 'ekm solve FILE -k K --checkpoint CHECKPOINT' from the\n"
    "work it had finished, and reports it as 'ekm solve' does: the same optimum,\n"
    "tie-break included, and the same counts as a run that was never stopped. The\n"
    "dataset is read again from where the checkpoint says (the same file, with the\n"
    "same load options); a file changed since, or other options, are refused.\n"
    "K, the strategy and the plan come from the checkpoint; only --threads may change.\n"
    "While it runs it keeps saving into CHECKPOINT (or into --checkpoint F) every\n"
    "--every seconds (default 60), and when SIGINT or SIGTERM stops it.\n"
    "--info prints what the checkpoint holds and exits, without running anything.\n"
    "\n"
    "options:\n";

const command_option cli_resume_options[] = {
    {"--info", NULL, NULL, COMMAND_VALUE_NONE, "describe the checkpoint and exit", NULL},
    {"--threads", "-t", "T", COMMAND_VALUE_INT, "worker threads (default: as it ran)", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

static void print_info(FILE *out, const char *path, const ekm_checkpoint *ck, const ckpt_source *src,
                       const char *src_err, unsigned s_index_base)
{
    ekm_solve_options o = ekm_checkpoint_options(ck);
    char c1[COUNT_TEXT_MAX], c2[COUNT_TEXT_MAX];
    ekm_count total = ekm_checkpoint_total(ck), done = ekm_checkpoint_done(ck);
    char shown[3000];
    fprintf(out, "checkpoint %s: strategy=%s K=%u threads=%u N=%zu fingerprint=%016llx\n",
           text_escape(shown, sizeof shown, path),
           ekm_strategy_name(o.strategy), o.k, o.threads, ekm_checkpoint_n(ck),
           (unsigned long long)ekm_checkpoint_fingerprint(ck));
    if (src_err)
        fprintf(out, "data: unknown (%s)\n", text_escape(shown, sizeof shown, src_err));
    else if (src->kind == CKPT_SRC_GEN)
        fprintf(out, "data: gen %s --n %zu --d %zu --clusters %u --seed %llu, metric %s\n",
               ekm_gen_kind_name(src->gen_kind), src->gen_n, src->gen_d, src->gen_clusters,
               (unsigned long long)src->gen_seed, ekm_metric_name(src->metric));
    else
        fprintf(out, "data: %s%s%s%s%s\n", text_escape(shown, sizeof shown, src->path), src->kind == CKPT_SRC_MATRIX ? " (a matrix)" : ", metric ",
               src->kind == CKPT_SRC_MATRIX ? "" : ekm_metric_name(src->metric),
               src->standardize ? ", standardize " : "",
               src->standardize ? ekm_standardize_name(src->standardize) : "");
    fprintf(out, "units %llu of %llu done, %s of %s K-subsets (%.1f %%), %.3f s of work\n",
           (unsigned long long)ekm_checkpoint_units_done(ck),
           (unsigned long long)ekm_checkpoint_units(ck), format_count(c1, sizeof c1, done),
           format_count(c2, sizeof c2, total), total ? 100.0 * (double)done / (double)total : 0,
           ekm_checkpoint_seconds(ck));
    double best;
    uint32_t medoids[EKM_MAX_K];
    if (o.k <= EKM_MAX_K && ekm_checkpoint_best(ck, &best, medoids)) {
        fprintf(out, "best so far %.10g, medoids", best);
        for (unsigned i = 0; i < o.k; i++)
            fprintf(out, " %u", medoids[i] + s_index_base);
        fprintf(out, "\n");
    } else {
        fprintf(out, "best so far: none\n");
    }
}

int cli_resume(const command_args *a)
{
    int argc = a->argc;
    char **argv = a->argv;
    int info = 0;
    char **args = malloc((size_t)(argc + 1) * sizeof *args);
    if (!args)
        return cli_runtime_error("out of memory");
    int nargs = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && !strcmp(argv[i], "--info"))
            info = 1;
        else
            args[nargs++] = argv[i];
    }
    args[nargs] = NULL;
    /* the solve options other than --threads are the checkpoint's */
    char name[64];
    if (settings_find_solve_option(nargs, args, 1, "--threads", name, sizeof name)) {
        free(args);
        return cli_usage_error("resume: %s cannot change: K, the strategy and the plan are "
                               "the checkpoint's (only --threads can)",
                               name);
    }
    ui_settings s = *a->settings; /* --threads 0: all cores */
    s.strategy_auto = 0; /* the strategy is the checkpoint's, whoever chose it */
    const char *pos[1];
    int npos;
    char err[1200];
    int bad = settings_parse_argv(&s, OPT_SOLVE | OPT_OUTPUT | OPT_CKPT | OPT_SAVE, nargs, args, 1, pos, 1,
                                  &npos, err, sizeof err);
    const char *path = !bad && npos == 1 ? pos[0] : NULL;
    free(args); /* pos points into argv, not args */
    if (bad)
        return cli_usage_error("resume: %s", err);
    if (!path)
        return cli_usage_error("resume: which checkpoint? usage: ekm resume CHECKPOINT");
    ekm_checkpoint *ck;
    char msg[8192];
    if (resume_load(path, &ck, msg, sizeof msg))
        return cli_usage_error("%s", msg);
    if (info) {
        ckpt_source src;
        char why[600];
        int no_src = ckpt_source_parse(ekm_checkpoint_note(ck), &src, why, sizeof why);
        print_info(a->out, path, ck, &src, no_src ? why : NULL, s.index_base);
        ekm_checkpoint_free(ck);
        return fflush(a->out) ? cli_runtime_error("writing failed") : CLI_OK;
    }
    if (!s.checkpoint[0])
        snprintf(s.checkpoint, sizeof s.checkpoint, "%s", path);
    resume_prep rp;
    int failed = resume_prepare(&rp, path, ck, s.solve.threads, s.checkpoint, s.force, msg,
                                sizeof msg);
    if (failed) {
        ekm_checkpoint_free(ck);
        return failed == RESUME_ERR_TARGET ? cli_usage_error("--checkpoint: %s", msg)
                                        : cli_usage_error("%s", msg);
    }
    int rc = cli_solve_run(rp.dm, &s, &rp.opt, &rp.src, rp.remaining, a->out);
    ekm_dissim_release(rp.dm);
    ekm_checkpoint_free(ck); /* after the job: cli_solve_run destroyed it */
    return rc;
}
