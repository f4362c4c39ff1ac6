/* bench_progress.c — the benchmark's progress line: a bar over all runs, the
 * run in flight, elapsed time and ETA. */
#include <math.h>
#include <string.h>

#include "bench/bench.h"
#include "common/progress_text.h"

void bench_format_duration(double seconds, char *buf, size_t size)
{
    if (!(seconds >= 0) || !isfinite(seconds)) {
        snprintf(buf, size, "?");
        return;
    }
    unsigned long s = (unsigned long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

void bench_progress_line(const bench_status *st, char *buf, size_t size, int bar_width,
                         int utf8)
{
    double f = st->runs ? ((double)st->run + (st->finished_run ? 0 : st->run_fraction)) /
                              (double)st->runs
                        : 0;
    if (f > 1)
        f = 1;
    char bar[256], el[32], eta[32];
    progress_bar(bar, sizeof bar, f, bar_width, utf8);
    bench_format_duration(st->elapsed, el, sizeof el);
    bench_format_duration(st->eta, eta, sizeof eta);
    char what[64];
    if (st->warmup)
        snprintf(what, sizeof what, "warm-up");
    else
        snprintf(what, sizeof what, "rep %u", st->repeat);
    snprintf(buf, size, "%s %3.0f%%  run %zu/%zu  %s N=%zu T=%u %s  elapsed %s  ETA %s", bar,
             f * 100, st->run + (st->finished_run ? 0 : 1), st->runs,
             ekm_strategy_name(st->strategy), st->n, st->threads, what, el, eta);
}
