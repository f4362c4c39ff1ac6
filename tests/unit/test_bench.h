/* test_bench.h — what the test_bench_* tests share.
 * The benchmark runner and its outputs: list parsing, medians,
 * a tiny grid run for real (every count equal to C(N,K), the plan figures
 * known by hand), the CSV schema (header and column count of every row),
 * stopping part-way keeps the finished rows, the report's tables, and the AVX2
 * reference against seq's optimum. */
#ifndef TEST_BENCH_H
#define TEST_BENCH_H

#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench/bench.h"
#include "ekm/generate.h"

/* ---- a tiny grid, run for real ---- */

typedef struct watch {
    int finished, timed;
    size_t runs;
    int stop_after; /* set *stop after this many finished runs (0: never) */
    atomic_int *stop;
    int monotone;   /* run counter never went backwards */
    size_t last_run;
} watch;

static inline void on_status(void *ctx, const bench_status *st)
{
    watch *w = ctx;
    w->runs = st->runs;
    if (st->run < w->last_run)
        w->monotone = 0;
    w->last_run = st->run;
    if (!st->finished_run)
        return;
    w->finished++;
    w->timed += st->row != NULL;
    if (w->stop_after && w->finished == w->stop_after)
        atomic_store(w->stop, 1);
}

static inline void tiny_config(bench_config *cfg)
{
    bench_config_default(cfg);
    cfg->k = 2;
    cfg->ns[0] = 20;
    cfg->ns[1] = 30;
    cfg->n_ns = 2;
    cfg->strategies[0] = EKM_STRATEGY_SEQ;
    cfg->strategies[1] = EKM_STRATEGY_PAR1;
    cfg->strategies[2] = EKM_STRATEGY_FUSED;
    cfg->n_strategies = 3;
    cfg->threads[0] = 1;
    cfg->threads[1] = 2;
    cfg->n_threads = 2;
    cfg->repeat = 2;
    cfg->warmup = 1;
}

#endif
