/* cli_explain_table.c — `ekm explain --strategy all --threads 1,2,4,8`: every
 * exact strategy's predicted speedup at every thread count side by side, from
 * the engine's own plans (ekm_solve_plan), with the plan figures behind each
 * (total, critical path, makespan, bound = min(T, total / critical path)) and
 * why split, par1 and par2 stop where they do. --json prints the rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "cli/cli.h"
#include "common/json.h"
#include "common/settings.h"
#include "ekm/plan.h"

enum { MAX_T = 64 };

static const ekm_strategy all_exact[] = {EKM_STRATEGY_SEQ,  EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,
                                         EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,  EKM_STRATEGY_FUSED,
                                         EKM_STRATEGY_PRUNED};

/* Take "--strategy all" (-s, --strategy=) and "--threads LIST" (-t, --threads=)
 * out of argv into *all and threads; the rest is kept in rest. Returns the
 * count of threads given (0: none or a single number left in rest), -1 on a
 * bad list (message printed). */
static int take_options(int argc, char **argv, char **rest, int *nrest, int *all,
                        unsigned *threads)
{
    int nt = 0;
    *nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int strat = 0, thr = 0, two = 0;
        if (!strcmp(a, "--strategy") || !strcmp(a, "-s"))
            strat = two = 1;
        else if (!strncmp(a, "--strategy=", 11))
            strat = 1, v = a + 11;
        else if (!strcmp(a, "--threads") || !strcmp(a, "-t"))
            thr = two = 1;
        else if (!strncmp(a, "--threads=", 10))
            thr = 1, v = a + 10;
        if (two && i + 1 < argc)
            v = argv[i + 1];
        if (strat && v && !strcmp(v, "all")) {
            *all = 1;
            i += two;
            continue;
        }
        if (thr && v && strpbrk(v, ",:")) {
            unsigned long long t[MAX_T];
            char err[256];
            int n = bench_parse_list("--threads", v, 1, EKM_PLAN_MAX_THREADS, t, MAX_T, err,
                                     sizeof err);
            if (n < 0) {
                cli_usage_error("explain: %s", err);
                return -1;
            }
            for (int j = 0; j < n; j++)
                threads[j] = (unsigned)t[j];
            nt = n;
            i += two;
            continue;
        }
        rest[(*nrest)++] = argv[i];
    }
    return nt;
}

typedef struct row {
    ekm_strategy strategy;
    unsigned threads;
    ekm_plan *plan;
} row;

static void print_json(FILE *out, size_t n, unsigned k, const row *rows, int nrows)
{
    json_writer w;
    json_begin(&w, out);
    json_object_open(&w, NULL);
    json_uint(&w, "n", n);
    json_uint(&w, "k", k);
    json_array_open(&w, "rows");
    for (int i = 0; i < nrows; i++) {
        const ekm_plan *p = rows[i].plan;
        json_object_open(&w, NULL);
        json_string(&w, "strategy", ekm_strategy_name(rows[i].strategy));
        json_uint(&w, "threads", rows[i].threads);
        json_uint(&w, "plan_threads", p->threads);
        json_double(&w, "predicted_speedup", p->predicted_speedup);
        json_count(&w, "total", p->total);
        json_count(&w, "critical_path", p->critical_path);
        json_double(&w, "makespan", p->makespan);
        json_double(&w, "bound", p->amdahl_bound);
        json_int(&w, "stages", p->n_stages);
        json_object_close(&w);
    }
    json_array_close(&w);
    json_object_close(&w);
    json_end(&w);
}

static void print_text(FILE *out, size_t n, unsigned k, const row *rows, int nstrat,
                       const unsigned *threads, int nt)
{
    fprintf(out, "predicted speedup (total work / makespan of the plan's stages on T "
                 "threads),\nN=%zu, K=%u\n\n%-8s",
            n, k, "strategy");
    for (int t = 0; t < nt; t++)
        fprintf(out, " %8s%-3u", "T=", threads[t]);
    char bh[32];
    snprintf(bh, sizeof bh, "bound T=%u", threads[nt - 1]);
    fprintf(out, "  %12s\n", bh);
    for (int s = 0; s < nstrat; s++) {
        const row *r = &rows[s * nt];
        fprintf(out, "%-8s", ekm_strategy_name(r->strategy));
        for (int t = 0; t < nt; t++)
            fprintf(out, " %10.3fx", r[t].plan->predicted_speedup);
        const ekm_plan *p = r[nt - 1].plan;
        fprintf(out, "  %11.3fx\n", p->amdahl_bound);
    }
    double h = pow(2.0, -(double)k), q = pow(4.0, -(double)k);
    fprintf(out,
            "\nbound on T threads = min(T, total / critical path): no run beats it.\n"
            "seq and split are one-thread plans: 1.00x on any T (split runs its halves and\n"
            "their merge one after the other).\n"
            "par1: each half holds about 2^-K of the K-subsets, the merge the other 1-2^(1-K) "
            "and runs on one\nthread after them: the critical path is 1-2^-K of the work, so "
            "par1 never beats\n1/(1-2^-K) = %.4fx for K=%u, however many threads.\n"
            "par2: quarters 4^-K each, two merges, a final merge of 1-2^(1-K): the critical "
            "path is\n1-2^-K-4^-K, so par2 stops at 1/(1-2^-K-4^-K) = %.4fx for K=%u.\n"
            "tree: more leaves shorten the path but its root merge still holds 1-2^(1-K).\n"
            "fused and pruned share one stage in small chunks: T on T threads (pruned's "
            "bounds discard work,\nso its measured time is not the enumeration's).\n",
            1 / (1 - h), k, 1 / (1 - h - q), k);
}

int cli_explain_table(int argc, char **argv, unsigned long long n_default, int *handled,
                      FILE *out)
{
    *handled = 0;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return CLI_FAIL;
    int nrest, all = 0;
    unsigned threads[MAX_T];
    int nt = take_options(argc, argv, rest, &nrest, &all, threads);
    if (nt < 0) {
        *handled = 1;
        free(rest);
        return CLI_USAGE;
    }
    if (!all && nt == 0) {
        free(rest);
        return CLI_OK; /* one plan: the ordinary explain */
    }
    *handled = 1;
    ui_settings s;
    settings_init(&s);
    s.solve.threads = 0;
    unsigned long long n = n_default;
    int json = 0;
    int rc = cli_explain_parse(&s, &n, &json, nrest, rest);
    free(rest);
    if (rc != CLI_OK)
        return rc;
    if (nt == 0)
        threads[nt++] = s.solve.threads ? s.solve.threads : ekm_cpu_count();
    ekm_strategy one = s.solve.strategy;
    const ekm_strategy *list = all ? all_exact : &one;
    int nstrat = all ? (int)(sizeof all_exact / sizeof all_exact[0]) : 1;
    if (!ekm_strategy_is_exact(one) && !all)
        return cli_usage_error("explain: %s is a heuristic: no plan", ekm_strategy_name(one));
    row *rows = calloc((size_t)nstrat * (size_t)nt, sizeof *rows);
    if (!rows)
        return CLI_FAIL;
    rc = CLI_OK;
    for (int i = 0; i < nstrat && rc == CLI_OK; i++)
        for (int t = 0; t < nt && rc == CLI_OK; t++) {
            ekm_solve_options o = s.solve;
            o.strategy = list[i];
            o.threads = threads[t];
            row *r = &rows[i * nt + t];
            r->strategy = list[i];
            r->threads = threads[t];
            ekm_error e;
            if (ekm_solve_plan((size_t)n, &o, &r->plan, &e)) {
                char err[512];
                ekm_error_format(&e, err, sizeof err);
                rc = cli_usage_error("explain: %s", err);
            }
        }
    if (rc == CLI_OK) {
        if (json)
            print_json(out, (size_t)n, s.solve.k, rows, nstrat * nt);
        else
            print_text(out, (size_t)n, s.solve.k, rows, nstrat, threads, nt);
        if (fflush(out))
            rc = CLI_FAIL;
    }
    for (int i = 0; i < nstrat * nt; i++)
        ekm_plan_free(rows[i].plan);
    free(rows);
    return rc;
}
