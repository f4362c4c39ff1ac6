/* bench_clock.c — what a benchmark reads besides the wall clock: the process's
 * CPU time (all threads) and the machine's load, so that figures measured on a
 * busy machine say so. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/resource.h>

#include "bench/bench.h"

double bench_cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

double bench_load_average(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : -1;
}
