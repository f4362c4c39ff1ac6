/* speedup_check.c — the one rule for trusting a measured speedup (see the header). */
#define _GNU_SOURCE
#include "common/speedup_check.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ekm/ekm.h"

void speedup_sample_init(speedup_sample *s)
{
    memset(s, 0, sizeof *s);
    s->threads = 1;
    s->cpu_wall = s->base_cpu_wall = -1;
    s->load = s->base_load = -1;
}

double speedup_limit(const speedup_sample *s)
{
    double lim = s->threads ? (double)s->threads : 1.0;
    if (s->bound > 0 && s->bound < lim)
        lim = s->bound;
    if (s->cores > 0 && (double)s->cores < lim)
        lim = (double)s->cores;
    return lim;
}

int speedup_judge(const speedup_sample *s)
{
    int f = 0;
    if ((s->seconds > 0 && s->seconds < SPEEDUP_MIN_SECONDS) ||
        (s->base_seconds > 0 && s->base_seconds < SPEEDUP_MIN_SECONDS))
        f |= SPEEDUP_TOO_SHORT;
    if (!(s->speedup > speedup_limit(s) * (1 + SPEEDUP_TOLERANCE)))
        return f;
    f |= SPEEDUP_ABOVE_BOUND;
    double cores = s->cores ? (double)s->cores : 0;
    if (cores > 0 && (s->load > cores || s->base_load > cores))
        f |= SPEEDUP_BUSY;
    /* seq had less than a core, or the run sped up more than the CPU it had:
     * the baseline's wall time was stretched */
    if ((s->base_cpu_wall > 0 && s->base_cpu_wall < 0.9) ||
        (s->cpu_wall > 0 && s->speedup > s->cpu_wall * (1 + SPEEDUP_TOLERANCE)))
        f |= SPEEDUP_CPU_LOW;
    return f;
}

const char *speedup_mark(int flags)
{
    if (flags & SPEEDUP_ABOVE_BOUND)
        return "!";
    if (flags & SPEEDUP_TOO_SHORT)
        return "~";
    return "";
}

const char *speedup_reason(const speedup_sample *s, int flags, char *buf, size_t size)
{
    if (!size)
        return buf;
    buf[0] = 0;
    size_t o = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        int w_ = snprintf(buf + o, size - o, __VA_ARGS__);                                         \
        if (w_ > 0)                                                                                \
            o = o + (size_t)w_ < size ? o + (size_t)w_ : size - 1;                                 \
    } while (0)
    if (flags & SPEEDUP_ABOVE_BOUND) {
        ADD("above bound %.2fx:", speedup_limit(s));
        int any = 0;
        if (flags & SPEEDUP_BUSY) {
            double l = s->load > s->base_load ? s->load : s->base_load;
            ADD(" busy (load %.1f)", l);
            any = 1;
        }
        if (flags & SPEEDUP_CPU_LOW) {
            ADD("%s cpu/wall<T", any ? "," : "");
            any = 1;
        }
        if (flags & SPEEDUP_TOO_SHORT) {
            ADD("%s too short", any ? "," : "");
            any = 1;
        }
        if (!any)
            ADD(" timing noise");
    } else if (flags & SPEEDUP_TOO_SHORT) {
        ADD("too short to time");
    }
#undef ADD
    (void)s;
    return buf;
}

const char *speedup_legend(void)
{
    return "! above the plan's bound min(T, total/critical path) or the cores: not to be "
           "trusted; ~ a run under 0.25 s, too short to time";
}

double speedup_probe_load(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : -1;
}

unsigned speedup_probe_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return (unsigned)n;
    }
    return ekm_cpu_count();
}

double speedup_probe_cpu(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return -1;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}
