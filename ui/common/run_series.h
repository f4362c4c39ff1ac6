/* run_series.h — a session's finished runs as the series of a runtime picture: one
 * series per (dataset, K, strategy, threads), time against N, so that a curve never
 * mixes datasets or K. Pure (no drawing): the dashboard and the REPL build their
 * pictures from it, the tests check the grouping. */
#ifndef EKM_UI_COMMON_RUN_SERIES_H
#define EKM_UI_COMMON_RUN_SERIES_H

#include <stddef.h>

#include "common/workspace.h"

enum { RUN_SERIES_MAX = 32, RUN_SERIES_POINTS = 64 };

typedef struct run_group {
    char dataset[256];
    unsigned k;
    ekm_strategy strategy;
    unsigned threads;
    char name[128];   /* "par1, 2 threads" (with "iris K=3: " first when groups differ in them) */
    size_t n;          /* points, sorted by N */
    double x[RUN_SERIES_POINTS], y[RUN_SERIES_POINTS]; /* N, seconds */
} run_group;

typedef struct run_groups {
    size_t count;
    run_group group[RUN_SERIES_MAX];
    int one_dataset_k;  /* 1: every group is of the same dataset and K */
    int single_n;       /* 1: every point has the same N (a bar chart of strategies) */
} run_groups;

/* Group the finished (done) runs of history[0..n) with a time; the same (dataset, K,
 * strategy, threads, N) twice keeps the newest. Groups past RUN_SERIES_MAX and
 * points past RUN_SERIES_POINTS are left out. */
void run_groups_build(const run_record *history, size_t n, run_groups *out);

#endif
