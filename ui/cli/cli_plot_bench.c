/* cli_plot_bench.c — `ekm plot-bench RESULTS.csv --out curves.png`: draw the runtime
 * curves (time vs N per strategy, with the fits) and the thread-scaling picture
 * from the rows `ekm bench --csv` wrote. */
#include <string.h>

#include "bench/bench.h"
#include "cli/cli.h"
#include "common/settings.h"
#include "common/text_escape.h"

const cli_help cli_plot_bench_help = {
    "usage: ekm plot-bench RESULTS.csv --out curves.png\n"
    "Draws time vs N for each strategy (log axes, linear and power-law fits) and,\n"
    "when the rows hold several thread counts, speedup vs threads with the Amdahl\n"
    "and Gustafson curves (to curves-scaling.png), from 'ekm bench --csv' rows.\n",
    0, NULL};

int cli_plot_bench(int argc, char **argv)
{
    ui_settings s;
    settings_init(&s);
    const char *pos[1];
    int npos;
    char err[1024];
    if (settings_parse_argv(&s, OPT_PLOT, argc, argv, 1, pos, 1, &npos, err, sizeof err))
        return cli_usage_error("plot-bench: %s", err);
    if (npos != 1)
        return cli_usage_error("plot-bench: which file? usage: ekm plot-bench RESULTS.csv --out FILE.png");
    if (!s.out[0])
        return cli_usage_error("plot-bench: say where to write the picture with --out FILE.png");
    bench_config cfg;
    bench_results res;
    if (bench_csv_read(pos[0], &cfg, &res, err, sizeof err))
        return cli_usage_error("%s", err);
    char scaling[1024];
    bench_scaling_path(s.out, scaling, sizeof scaling);
    int multi = cfg.n_threads > 1;
    int rc = bench_plot(&cfg, &res, s.out, multi ? scaling : NULL, err, sizeof err);
    bench_results_free(&res);
    if (rc)
        return cli_runtime_error("plot-bench: %s", err);
    char shown[3000], shown2[3000];
    printf("wrote %s%s%s\n", text_escape(shown, sizeof shown, s.out), multi ? " and " : "",
           multi ? text_escape(shown2, sizeof shown2, scaling) : "");
    return CLI_OK;
}
