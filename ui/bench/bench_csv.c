/* bench_csv.c — benchmark rows as CSV: the nine columns first, then
 * extras. Names are fixed once published: add columns at the end, never rename. */
#include <string.h>

#include "bench/bench.h"

const char *const bench_csv_columns[] = {
    "strategy",  "N",             "K",            "threads", "repeat",
    "seconds",   "evaluated",     "pruned",       "plan_bound",
    "total",     "plan_makespan", "plan_speedup", "rate",    "objective",
    "medoids",   "dataset",       "cpu_seconds", "load",  "timing"};
const int bench_csv_column_count = sizeof bench_csv_columns / sizeof bench_csv_columns[0];

void bench_csv_header(FILE *out)
{
    for (int i = 0; i < bench_csv_column_count; i++)
        fprintf(out, "%s%s", i ? "," : "", bench_csv_columns[i]);
    fputc('\n', out);
}

/* A field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
static void field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void bench_csv_row(FILE *out, const bench_row *r, const char *dataset)
{
    double speedup = r->plan_makespan > 0 ? (double)r->total / r->plan_makespan : 1.0;
    double rate = r->seconds > 0 ? (double)r->evaluated / r->seconds : 0.0;
    char ce[EKM_COUNT_DIGITS], cp[EKM_COUNT_DIGITS], ct[EKM_COUNT_DIGITS];
    fprintf(out, "%s,%zu,%u,%u,%u,%.9g,%s,%s,%.6g,%s,%.17g,%.6g,%.6g,%.17g,",
            ekm_strategy_name(r->strategy), r->n, r->k, r->threads, r->repeat, r->seconds,
            ekm_count_format(r->evaluated, ce, sizeof ce),
            ekm_count_format(r->pruned, cp, sizeof cp), r->plan_bound,
            ekm_count_format(r->total, ct, sizeof ct), r->plan_makespan, speedup, rate,
            r->objective);
    field(out, r->medoids);
    fputc(',', out);
    field(out, dataset ? dataset : "");
    /* the load the run ended with, and "too short" for a run too short to time */
    fprintf(out, ",%.6g,%.3g,%s\n", r->cpu_seconds, r->load,
            r->seconds < SPEEDUP_MIN_SECONDS ? "too short" : "ok");
}
