/* bench_csv_read.c — read back the CSV rows `ekm bench --csv` writes, so their
 * curves can be drawn later (`ekm plot-bench`). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/outfile.h"

/* Split one CSV record (RFC 4180 quotes, no line breaks inside) in place. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return -1;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            *w = '\0';
            if (*p == ',')
                p++;
            else if (*p)
                return -1;
            else
                return n;
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                return n;
            *c = '\0';
            p = c + 1;
        }
    }
}

/* A K-subset count field (0 when it is not a whole number, as strtoull gives). */
static ekm_count count_field(const char *f)
{
    ekm_count v = 0;
    return ekm_count_parse(f, &v) ? 0 : v;
}

static void add_unique_size(size_t *list, int *n, size_t v)
{
    for (int i = 0; i < *n; i++)
        if (list[i] == v)
            return;
    if (*n < BENCH_MAX_LIST)
        list[(*n)++] = v;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Rows of `bench --weak`: every thread count of the parallel strategies has
 * one N, growing with T. Then ns[i] is the N of threads[i] and cfg->weak is set. */
static void detect_weak(bench_config *cfg, const bench_results *res)
{
    if (cfg->n_threads < 2)
        return;
    size_t n_of[BENCH_MAX_LIST] = {0};
    for (size_t i = 0; i < res->n; i++) {
        const bench_row *r = &res->rows[i];
        if (r->strategy == EKM_STRATEGY_SEQ || r->strategy == EKM_STRATEGY_SPLIT)
            continue;
        for (int t = 0; t < cfg->n_threads; t++)
            if (cfg->threads[t] == r->threads) {
                if (n_of[t] && n_of[t] != r->n)
                    return; /* two N on one T: a grid */
                n_of[t] = r->n;
            }
    }
    for (int t = 0; t < cfg->n_threads; t++)
        if (!n_of[t] || (t && n_of[t] <= n_of[t - 1]))
            return;
    for (int t = 0; t < cfg->n_threads; t++)
        cfg->ns[t] = n_of[t];
    cfg->n_ns = cfg->n_threads;
    cfg->weak = 1;
}

int bench_csv_read(const char *path, bench_config *cfg, bench_results *res, char *err,
                   size_t errsize)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    outfile_protect(path); /* plot-bench never draws over its rows */
    bench_config_default(cfg);
    cfg->n_ns = cfg->n_strategies = cfg->n_threads = 0;
    memset(res, 0, sizeof *res);
    char line[4096];
    long lineno = 0;
    int rc = 0;
    size_t threads[BENCH_MAX_LIST];
    int n_threads = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        char *fld[32];
        int nf = split(line, fld, 32);
        if (lineno == 1) {
            if (nf < 6 || strcmp(fld[0], "strategy") || strcmp(fld[1], "N") ||
                strcmp(fld[5], "seconds")) {
                snprintf(err, errsize, "%s:1: not a CSV written by 'ekm bench --csv'", path);
                rc = -1;
                break;
            }
            continue;
        }
        bench_row r;
        memset(&r, 0, sizeof r);
        char *end;
        /* rows written before the load and timing columns have 17 fields */
        if ((nf != bench_csv_column_count && nf != 17) ||
            ekm_strategy_parse(fld[0], &r.strategy)) {
            snprintf(err, errsize, "%s:%ld: expected %d fields starting with a strategy", path,
                     lineno, bench_csv_column_count);
            rc = -1;
            break;
        }
        r.n = strtoull(fld[1], &end, 10);
        r.k = (unsigned)strtoul(fld[2], &end, 10);
        r.threads = (unsigned)strtoul(fld[3], &end, 10);
        r.repeat = (unsigned)strtoul(fld[4], &end, 10);
        r.seconds = strtod(fld[5], &end);
        r.evaluated = count_field(fld[6]);
        r.pruned = count_field(fld[7]);
        r.plan_bound = strtod(fld[8], &end);
        r.total = count_field(fld[9]);
        r.plan_makespan = strtod(fld[10], &end);
        r.objective = strtod(fld[13], &end);
        snprintf(r.medoids, sizeof r.medoids, "%s", fld[14]);
        r.cpu_seconds = strtod(fld[16], &end);
        r.load = nf > 17 ? strtod(fld[17], &end) : -1;
        if (!r.n || !r.k || !r.threads || !(r.seconds >= 0)) {
            snprintf(err, errsize, "%s:%ld: N, K and threads must be positive", path, lineno);
            rc = -1;
            break;
        }
        if (!res->n)
            snprintf(res->dataset, sizeof res->dataset, "%s", fld[15]);
        cfg->k = r.k;
        add_unique_size(cfg->ns, &cfg->n_ns, r.n);
        add_unique_size(threads, &n_threads, r.threads);
        int known = 0;
        for (int i = 0; i < cfg->n_strategies; i++)
            known |= cfg->strategies[i] == r.strategy;
        if (!known && cfg->n_strategies < BENCH_MAX_STRATEGIES)
            cfg->strategies[cfg->n_strategies++] = r.strategy;
        if (bench_results_add(res, &r)) {
            snprintf(err, errsize, "out of memory");
            rc = -1;
            break;
        }
    }
    fclose(f);
    if (!rc && !res->n) {
        snprintf(err, errsize, "%s: no rows", path);
        rc = -1;
    }
    if (rc) {
        bench_results_free(res);
        return -1;
    }
    qsort(cfg->ns, (size_t)cfg->n_ns, sizeof cfg->ns[0], cmp_size);
    qsort(threads, (size_t)n_threads, sizeof threads[0], cmp_size);
    for (int i = 0; i < n_threads; i++)
        cfg->threads[i] = (unsigned)threads[i];
    cfg->n_threads = n_threads;
    unsigned max_repeat = 1;
    for (size_t i = 0; i < res->n; i++)
        if (res->rows[i].repeat > max_repeat)
            max_repeat = res->rows[i].repeat;
    cfg->repeat = max_repeat;
    detect_weak(cfg, res);
    return 0;
}
