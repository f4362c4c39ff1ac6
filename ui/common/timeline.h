/* timeline.h — who ran what, when: the stages of a job as bars on a thread × time
 * chart, and the same plan list-scheduled on other thread counts from the stages'
 * measured times. Pure layout, shared by the dashboard (cells), the plot window and
 * the PNG output (pixels): the drawing code only turns segments into cells or pixels.
 *
 * The chart is filled from an engine snapshot by one function
 * (timeline_from_progress); everything else works on this small struct.
 */
#ifndef EKM_UI_COMMON_TIMELINE_H
#define EKM_UI_COMMON_TIMELINE_H

#include <stddef.h>

#include "common/progress_snap.h"
#include "ekm/job.h"
#include "ekm/plan.h"

enum { TIMELINE_MAX_BARS = EKM_MAX_STAGES + EKM_MAX_THREADS, TIMELINE_MAX_THREADS = 64 };

/* One stage (or, for a shared stage, one thread's part of it) as it ran. */
typedef struct timeline_bar {
    int stage;          /* stage id in the plan */
    char label[8];      /* "L0", "M2", "S0" (shared) */
    int thread;         /* the row */
    double start, end;  /* seconds since the job started; end < 0: still running */
    int running;        /* 1: not finished yet (drawn up to `now`) */
    int leaf;           /* 1: a leaf, 0: a merge or shared stage */
} timeline_bar;

typedef struct timeline {
    ekm_strategy strategy;
    int n_threads;      /* rows */
    double now;         /* the job's elapsed time: the right end of the chart */
    int running;        /* 1: the job still runs */
    int simulated;      /* 0: measured; else the thread count of a simulation */
    int shared;         /* 1: one stage shared by all threads (fused, pruned) */
    double work;        /* simulations: the sum of the measured stage times (seconds) */
    int n_bars;
    timeline_bar bar[TIMELINE_MAX_BARS];
} timeline;

/* "L0", "M2" or "S0": the short name of a stage. */
void timeline_stage_label(const ekm_stage_spec *spec, char *buf, size_t size);

/* Fill tl from a job's snapshot (the one function that reads the engine's progress):
 * a bar for each stage that has started, on the thread that ran it; a shared stage
 * gives one bar per thread from its start to its end. */
void timeline_from_progress(timeline *tl, const progress_snap *p);

/* One run of cells of a row: [col0, col1) of the width given to timeline_layout. */
typedef struct timeline_segment {
    int row;    /* the thread */
    int col0, col1;
    int bar;    /* index in tl->bar */
} timeline_segment;

/* The chart's time span: tl->now, at least the latest bar end, never 0. */
double timeline_span(const timeline *tl);
/* Lay the bars out on `cols` columns for the time span [0, span]: a bar covers the
 * columns from round(start/span·cols) to round(end/span·cols) (a running bar ends at
 * now), at least one column, clamped to the width. Rows are threads; bars on a
 * thread beyond max_rows are left out (max_rows <= 0: no limit). Returns the number
 * of segments written to out (at most max). Cells in no segment are idle. */
int timeline_layout(const timeline *tl, int cols, double span, int max_rows,
                    timeline_segment *out, int max);

/* The measured time of each stage of plan taken from a finished (or partly run)
 * timeline: cost[s] = end - start of stage s (a running stage: now - start; a stage
 * that has not started: 0). For a shared stage: the sum over the threads. */
void timeline_stage_costs(const timeline *measured, const ekm_plan *plan, double *cost);
/* The schedule plan would have on `threads` threads (1..TIMELINE_MAX_THREADS) with
 * the measured stage times: list scheduling as the engine does it (ekm_plan_schedule);
 * a shared stage is spread evenly over the threads. Returns 0, or -1 for bad
 * arguments (no plan, nothing measured). out->simulated = threads. */
int timeline_simulate(const timeline *measured, const ekm_plan *plan, unsigned threads,
                      timeline *out);
/* The speedup that schedule predicts: the measured work over its makespan (0 when
 * nothing was measured). */
double timeline_predicted_speedup(const timeline *measured, const ekm_plan *plan,
                                  unsigned threads);

#endif
