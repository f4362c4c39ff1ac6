/* cli_plot_bench.c — `ekm plot-bench RESULTS.csv --out curves.png`: draw the runtime
 * curves (time vs N per strategy, with the fits) and the thread-scaling picture
 * from the rows `ekm bench --csv` wrote. */
#include <string.h>

#include "bench/bench.h"
#include "cli/cli.h"
#include "common/settings.h"
#include "common/text_escape.h"

const char cli_plot_bench_help[] =
    "usage: ekm plot-bench RESULTS.csv --out curves.png\n"
    "Draws time vs N for each strategy (log axes, linear and power-law fits) and,\n"
    "when the rows hold several thread counts, speedup vs threads with the Amdahl\n"
    "and Gustafson curves (to curves-scaling.png), from 'ekm bench --csv' rows.\n"
    "\n"
    "options:\n";

const command_option cli_plot_bench_options[] = {
    {"--out", "-o", "FILE", COMMAND_VALUE_OUTFILE, "the picture (PNG) to write", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

int cli_plot_bench(const command_args *a)
{
    const char *const *pos = a->pos;
    const char *picture = command_own(a, "--out");
    int npos = a->npos;
    char err[1024];
    if (npos != 1)
        return cli_usage_error("plot-bench: which file? usage: ekm plot-bench RESULTS.csv --out FILE.png");
    if (!picture || !*picture)
        return cli_usage_error("plot-bench: say where to write the picture with --out FILE.png");
    bench_config cfg;
    bench_results res;
    if (bench_csv_read(pos[0], &cfg, &res, err, sizeof err))
        return cli_usage_error("%s", err);
    char scaling[1024];
    bench_scaling_path(picture, scaling, sizeof scaling);
    int multi = cfg.n_threads > 1;
    int rc = bench_plot(&cfg, &res, picture, multi ? scaling : NULL, err, sizeof err);
    bench_results_free(&res);
    if (rc)
        return cli_runtime_error("plot-bench: %s", err);
    char shown[3000], shown2[3000];
    fprintf(a->out, "wrote %s%s%s\n", text_escape(shown, sizeof shown, picture), multi ? " and " : "",
           multi ? text_escape(shown2, sizeof shown2, scaling) : "");
    return CLI_OK;
}
