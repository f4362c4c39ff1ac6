/* speedup_check.h — whether a measured speedup can be trusted.
 *
 * A speedup t(seq) / t(run) cannot exceed the plan's bound on the run's thread
 * count (min(T, total / critical path)) nor the cores the machine has: one above
 * that (or an efficiency over 100 %) says the timings were disturbed, not that
 * the plan beat itself. speedup_judge applies the rule once for every front end
 * (the TUI, the REPL, bench's tables and CSV, plot-bench) and names the likely
 * reasons: the machine was busy (load average above its cores), a run was too
 * short to time, or a run had less CPU than wall time per thread (cpu/wall below
 * its threads: it waited for a core). A run too short to time is marked even
 * when its speedup looks plausible.
 * Pure functions; speedup_probe_* read the machine (load average, CPU time). */
#ifndef EKM_UI_SPEEDUP_CHECK_H
#define EKM_UI_SPEEDUP_CHECK_H

#include <stddef.h>

/* Runs shorter than this (seconds) are too short to time: a scheduler tick, a
 * page fault or the start of the threads is a large part of them. */
#define SPEEDUP_MIN_SECONDS 0.25
/* Slack before a speedup counts as above its bound (timer resolution). */
#define SPEEDUP_TOLERANCE 0.05

/* One run compared with its seq baseline; a figure <= 0 (< 0 for a load) is
 * unknown and ignored. */
typedef struct speedup_sample {
    double speedup;        /* base_seconds / seconds */
    unsigned threads;      /* the run's threads, >= 1 */
    double bound;          /* the plan's bound on those threads (0: unknown) */
    unsigned cores;        /* cores available (0: unknown) */
    double seconds;        /* the run's wall time */
    double base_seconds;   /* seq's wall time */
    double cpu_wall;       /* the run's CPU seconds / wall seconds (-1: unknown) */
    double base_cpu_wall;  /* seq's (-1: unknown) */
    double load;           /* 1-minute load average during the run (-1: unknown) */
    double base_load;      /* during seq's run (-1: unknown) */
} speedup_sample;

enum {
    SPEEDUP_ABOVE_BOUND = 1, /* above min(bound, cores, threads) beyond the tolerance */
    SPEEDUP_TOO_SHORT = 2,   /* the run or seq's took less than SPEEDUP_MIN_SECONDS */
    SPEEDUP_BUSY = 4,        /* the load average exceeded the cores */
    SPEEDUP_CPU_LOW = 8,     /* seq's cpu/wall below 1, or the run's below its speedup:
                                fewer cores than threads were working */
};

/* An empty sample: every figure unknown. */
void speedup_sample_init(speedup_sample *s);
/* The most the speedup may be: min(threads, bound, cores) over what is known. */
double speedup_limit(const speedup_sample *s);
/* The flags of a sample (0: nothing to say). SPEEDUP_BUSY and SPEEDUP_CPU_LOW
 * are reported only with SPEEDUP_ABOVE_BOUND: they are its reasons. */
int speedup_judge(const speedup_sample *s);
/* The mark after a speedup: "!" above the bound, "~" too short to time, "". */
const char *speedup_mark(int flags);
/* A short reason for a table cell: "above bound: busy, cpu/wall<T", "too short
 * to time", "" (no flag). */
const char *speedup_reason(const speedup_sample *s, int flags, char *buf, size_t size);
/* The legend line of the marks. */
const char *speedup_legend(void);

/* The 1-minute load average (-1: unknown) and the cores available. */
double speedup_probe_load(void);
unsigned speedup_probe_cores(void);
/* CPU seconds used by the process so far (user + system, all threads). */
double speedup_probe_cpu(void);

#endif
