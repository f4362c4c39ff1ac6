/* plan.h — strategies as plans of stages.
 *
 * The K-subsets of N points are split among stages so that every K-subset is
 * evaluated exactly once:
 *  - a LEAF owns the contiguous index range [lo, hi) and evaluates the K-subsets
 *    inside it: C(hi-lo, K);
 *  - a MERGE joins two children, A = [lo, mid) and B = [mid, hi), and evaluates
 *    the K-subsets of A∪B that take at least one point from each side:
 *    C(|A|+|B|, K) - C(|A|, K) - C(|B|, K).
 * Totals are exact (ekm_count, overflow checked) and known before a stage starts.
 * A merge waits for both of its children and runs as one task on one thread,
 * as in the study; `fused` and `pruned` are one stage shared by all threads.
 *
 * Thread safety: a built ekm_plan is immutable (safe to read from any number
 * of threads); ekm_plan_free it once, when no thread reads it any more.
 */
#ifndef EKM_PLAN_H
#define EKM_PLAN_H

#include "ekm/count.h"
#include "ekm/ekm.h"

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef enum ekm_strategy {
    EKM_STRATEGY_SEQ = 0, /* one leaf over the whole list: the original EKM */
    EKM_STRATEGY_SPLIT,   /* two halves one after the other, then a merge, one thread */
    EKM_STRATEGY_PAR1,    /* two halves in parallel, then a merge */
    EKM_STRATEGY_PAR2,    /* four quarters in parallel, two merges in parallel, a final merge */
    EKM_STRATEGY_TREE,    /* P leaves (or leaf length L) and a binary merge tree */
    EKM_STRATEGY_FUSED,   /* the whole space in small chunks shared by all threads */
    EKM_STRATEGY_PRUNED,  /* exact branch and bound */
    EKM_STRATEGY_PAM,     /* heuristics (not exact) */
    EKM_STRATEGY_FASTERPAM,
    EKM_STRATEGY_CLARANS,
    EKM_STRATEGY_ALTERNATE,
    EKM_STRATEGY_COUNT
} ekm_strategy;

const char *ekm_strategy_name(ekm_strategy s);
/* Parse a strategy name; returns 0 on success. */
int ekm_strategy_parse(const char *name, ekm_strategy *out);
/* 1 for the exact strategies (seq..pruned), 0 for heuristics. */
int ekm_strategy_is_exact(ekm_strategy s);
/* 1 for the plans of the study whose merges wait for their children. */
int ekm_strategy_is_staged(ekm_strategy s);

typedef enum ekm_stage_kind {
    EKM_STAGE_LEAF = 0,
    EKM_STAGE_MERGE,
    EKM_STAGE_SHARED /* one stage whose chunks all threads share (fused, pruned) */
} ekm_stage_kind;

const char *ekm_stage_kind_name(ekm_stage_kind kind);

typedef struct ekm_stage_spec {
    int id;        /* index in the plan's array; children come before parents */
    ekm_stage_kind kind;
    int parent;    /* -1 for the root */
    int child[2];  /* -1 for a leaf */
    uint32_t lo, mid, hi; /* leaf: [lo,hi) (mid = hi); merge: A=[lo,mid), B=[mid,hi) */
    ekm_count total;      /* K-subsets this stage evaluates */
    int depth;            /* 0 for leaves, 1 + max(children) for merges */
} ekm_stage_spec;

typedef struct ekm_plan {
    ekm_strategy strategy;
    size_t n;
    unsigned k;
    unsigned threads;        /* threads the plan is scheduled on */
    int n_stages;
    ekm_stage_spec *stages;  /* n_stages, children before parents */
    ekm_count total;         /* C(N,K) = sum of stage totals */
    ekm_count critical_path; /* the heaviest root-to-leaf chain of stage totals */
    double amdahl_bound;     /* the best speedup the plan allows on `threads`:
                                min(threads, total / critical_path) */
    double makespan;         /* stage totals list-scheduled on `threads` threads, in K-subsets */
    double predicted_speedup;/* total / makespan */
} ekm_plan;

enum { EKM_PLAN_MAX_PARTS = 128, EKM_PLAN_MAX_THREADS = 256 };

typedef struct ekm_plan_options {
    ekm_strategy strategy;
    unsigned threads;    /* >= 1 */
    unsigned partitions; /* tree: number of leaves (0: use leaf, else 2*threads) */
    unsigned leaf;       /* tree: leaf length (used when partitions is 0) */
} ekm_plan_options;

/* Build the plan of a strategy for n points and k medoids. Refuses (EKM_ERR_TOO_BIG,
 * with the size in the message) an exact strategy when C(N,K) does not fit an
 * ekm_count, and an enumerating one (all exact strategies but pruned) when it
 * does not fit in 64 bits: pruned alone can close that many sets, by its bounds.
 * Bad options: EKM_ERR_INVALID. Free with ekm_plan_free. */
ekm_status ekm_plan_build(size_t n, unsigned k, const ekm_plan_options *opt, ekm_plan **out,
                          ekm_error *err);
void ekm_plan_free(ekm_plan *plan);

/* List-schedule the plan's stages on `threads` threads (1..EKM_PLAN_MAX_THREADS) as
 * the engine runs them: the earliest free thread takes, of the stages whose children
 * are placed, the one it can start soonest (lowest id on a tie); a merge starts when
 * both children have finished. cost[s] is stage s's duration in any unit (seconds
 * measured, K-subsets...); NULL: the stage totals (this gives plan->makespan). Fills
 * thread[s], start[s] and finish[s] when they are not NULL, and returns the makespan,
 * or -1 for bad arguments or when out of memory. A shared stage (fused, pruned) is
 * placed whole on one thread: spread its cost over the threads yourself. */
double ekm_plan_schedule(const ekm_plan *p, const double *cost, unsigned threads, int *thread,
                         double *start, double *finish);

/* A nominal enumeration rate, point-evaluations per second per thread (K-subsets
 * x N / s), measured with the AVX2 kernel on a 2-core AMD EPYC; used only for
 * estimates shown before a run. */
#define EKM_NOMINAL_RATE 1.5e10


/* Binomial coefficient C(n,k) in 64 bits; returns 0 and sets *overflow when it
 * does not fit (overflow may be NULL). Wider: ekm_count_binomial (ekm/count.h). */
uint64_t ekm_binomial(uint64_t n, uint64_t k, int *overflow);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
