/* dist_solve.c — `ekm-mpi solve`: start MPI, parse the options and load the data
 * on every rank exactly as `ekm solve` does, agree that every rank is ready with
 * the same data, then hand over to the dispatcher (rank 0) or the worker loop. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mpi.h>

#include "common/ckpt.h"
#include "common/load_report.h"
#include "common/outfile.h"
#include "mpi/dist_solve.h"
#include "common/text_escape.h"

enum { GROUPS = OPT_SOLVE | OPT_DATA | OPT_OUTPUT | OPT_SAVE };

void dist_solve_help(FILE *out)
{
    fprintf(out,
            "usage: mpirun -np R ekm-mpi solve FILE -k K [options]\n"
            "Finds the K medoids minimising the sum of each point's dissimilarity to its\n"
            "nearest medoid with an exact strategy (seq, split, par1, par2, tree, fused,\n"
            "pruned) shared out over the R ranks of an MPI job, each running --threads T\n"
            "threads (0: its cores). The answer, its tie-break (the lexicographically\n"
            "smallest medoid set) and the output are those of `ekm solve`. Every rank reads\n"
            "FILE at the same path. --progress prints the ranks' progress from rank 0.\n"
            "pruned with --matrix off (auto: when the matrix does not fit) stores no N x N\n"
            "matrix on any rank; the root's passes are shared by blocks of candidates.\n"
            "\noptions:\n");
    settings_print_help(out, GROUPS);
}

/* What a rank tells the others once it has parsed and loaded. */
typedef struct rank_hello {
    int32_t code; /* 0 ready, else the exit status (message in msg) */
    uint32_t slots;
    uint32_t threads;
    uint32_t reserved;
    uint64_t fingerprint;
    /* the options every rank must share (--threads may differ) */
    uint64_t seed;
    uint32_t k, strategy, partitions, leaf, restarts, metric;
    char host[64];
    char msg[1024];
} rank_hello;

/* The first option in which rank r's hello differs from rank 0's, described in
 * buf as "-k 3 (rank 0: -k 2)"; returns 0 when they agree. */
static int options_differ(const rank_hello *r, const rank_hello *r0, char *buf, size_t size)
{
    if (r->strategy != r0->strategy)
        snprintf(buf, size, "--strategy %s (rank 0: --strategy %s)",
                 ekm_strategy_name((ekm_strategy)r->strategy),
                 ekm_strategy_name((ekm_strategy)r0->strategy));
    else if (r->k != r0->k)
        snprintf(buf, size, "-k %u (rank 0: -k %u)", r->k, r0->k);
    else if (r->metric != r0->metric)
        snprintf(buf, size, "--metric %s (rank 0: --metric %s)",
                 ekm_metric_name((ekm_metric)r->metric), ekm_metric_name((ekm_metric)r0->metric));
    else if (r->partitions != r0->partitions)
        snprintf(buf, size, "--partitions %u (rank 0: --partitions %u)", r->partitions,
                 r0->partitions);
    else if (r->leaf != r0->leaf)
        snprintf(buf, size, "--leaf %u (rank 0: --leaf %u)", r->leaf, r0->leaf);
    else if (r->seed != r0->seed)
        snprintf(buf, size, "--seed %llu (rank 0: --seed %llu)", (unsigned long long)r->seed,
                 (unsigned long long)r0->seed);
    else if (r->restarts != r0->restarts)
        snprintf(buf, size, "--restarts %u (rank 0: --restarts %u)", r->restarts,
                 r0->restarts);
    else
        return 0;
    return 1;
}

static int refuse(rank_hello *h, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(rank_hello *h, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->msg, sizeof h->msg, fmt, ap);
    va_end(ap);
    text_escape_inplace(h->msg, sizeof h->msg); /* printed by rank 0 */
    h->code = code;
    return code;
}

/* Parse, check and load on this rank; fills h (code 0 when ready). */
static int prepare(int argc, char **argv, ui_settings *s, ekm_dissim **dm, rank_hello *h)
{
    s->solve.threads = 0;
    int have_k = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-k") || !strcmp(argv[i], "--k") || !strncmp(argv[i], "--k=", 4))
            have_k = 1;
    const char *pos[1];
    int npos;
    char err[1024];
    if (settings_parse_argv(s, GROUPS, argc, argv, 1, pos, 1, &npos, err, sizeof err))
        return refuse(h, 2, "solve: %s", err);
    report_set_style(s); /* --index-base, strategy auto in the report */
    if (npos != 1 && !s->dissim_file[0])
        return refuse(h, 2, "solve: which file? usage: mpirun -np R ekm-mpi solve FILE -k K");
    if (!have_k)
        return refuse(h, 2, "solve: say how many medoids with -k K");
    if ((npos && !strcmp(pos[0], "-")) || !strcmp(s->dissim_file, "-"))
        return refuse(h, 2, "solve: every rank reads the data file: standard input ('-') "
                            "cannot be shared between them; save it to a file first");
    if (!ekm_strategy_is_exact(s->solve.strategy))
        return refuse(h, 2,
                      "solve: %s is a heuristic; ekm-mpi runs the exact strategies (seq, split, "
                      "par1, par2, tree, fused, pruned); use `ekm solve` for heuristics",
                      ekm_strategy_name(s->solve.strategy));
    if (dataset_load(s, npos ? pos[0] : s->dissim_file, dm, err, sizeof err))
        return refuse(h, 2, "%s", err);
    if (dataset_check(*dm, &s->solve, err, sizeof err))
        return refuse(h, 2, "%s", err);
    if (!ekm_dissim_has_matrix(*dm) && s->solve.strategy != EKM_STRATEGY_PRUNED)
        return refuse(h, 2, "%s: the %s strategy needs the dissimilarity matrix (--matrix on); "
                            "without it (--matrix off) only pruned runs",
                      ekm_dissim_name(*dm), ekm_strategy_name(s->solve.strategy));
    h->fingerprint = ekm_dissim_fingerprint(*dm);
    h->k = s->solve.k;
    h->strategy = (uint32_t)s->solve.strategy;
    h->partitions = s->solve.partitions;
    h->leaf = s->solve.leaf;
    h->seed = s->solve.seed;
    h->restarts = s->solve.restarts;
    h->metric = (uint32_t)ekm_dissim_metric(*dm);
    return 0;
}

/* The first rank that is not ready (rank 0 first), or -1. */
static int first_refusal(const rank_hello *all, int ranks)
{
    for (int r = 0; r < ranks; r++)
        if (all[r].code)
            return r;
    return -1;
}

static int solve(int rank, int ranks, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            if (rank == 0)
                dist_solve_help(stdout);
            return 0;
        }
    ui_settings *s = malloc(sizeof *s);
    rank_hello *h = calloc(1, sizeof *h), *all = calloc((size_t)ranks, sizeof *all);
    char (*hosts)[64] = calloc((size_t)ranks, sizeof *hosts);
    unsigned *slots = calloc((size_t)ranks, sizeof *slots);
    if (!s || !h || !all || !hosts || !slots) {
        fprintf(stderr, "ekm-mpi: rank %d: out of memory\n", rank);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    settings_init(s);
    ekm_dissim *dm = NULL;
    gethostname(h->host, sizeof h->host - 1);
    if (prepare(argc, argv, s, &dm, h) == 0) {
        h->threads = s->solve.threads ? s->solve.threads : ekm_cpu_count();
        if (h->threads > EKM_MAX_THREADS)
            h->threads = EKM_MAX_THREADS;
        h->slots = ekm_strategy_is_staged(s->solve.strategy) ? h->threads : 1;
        if (rank == 0 && s->labels_out[0] && !ckpt_path_writable(s->labels_out))
            refuse(h, 2, "--labels: %s: cannot write there: %s", s->labels_out,
                   strerror(errno));
        if (rank == 0 && s->out_data[0] && !ckpt_path_writable(s->out_data))
            refuse(h, 2, "--out-data: %s: cannot write there: %s", s->out_data,
                   strerror(errno));
        else if (rank == 0 && s->out_data[0] && outfile_is_protected(s->out_data))
            refuse(h, 2, "--out-data: %s: is the input data; refusing to write over it",
                   s->out_data);
        else if (rank == 0 && s->out_data[0] && !ekm_dissim_dataset(dm))
            refuse(h, 2, "--out-data: %s is a dissimilarity matrix, with no rows of values to "
                         "write (--labels writes the clusters)",
                   ekm_dissim_name(dm));
    }
    MPI_Allgather(h, (int)sizeof *h, MPI_BYTE, all, (int)sizeof *h, MPI_BYTE, MPI_COMM_WORLD);
    int code = 0, bad = first_refusal(all, ranks);
    if (bad >= 0) {
        code = all[bad].code;
        if (rank == 0) {
            if (bad == 0)
                fprintf(stderr, "ekm-mpi: %s\n", all[0].msg);
            else
                fprintf(stderr, "ekm-mpi: rank %d (%s): %s\n", bad, all[bad].host, all[bad].msg);
        }
        goto out;
    }
    /* Every rank checks the same gathered hellos, so all of them stop here (rank 0
     * says why) before any work is shared out. */
    for (int r = 1; r < ranks; r++) {
        char what[256];
        if (options_differ(&all[r], &all[0], what, sizeof what)) {
            if (rank == 0)
                fprintf(stderr,
                        "ekm-mpi: rank %d (%s) was given different options: %s; every rank "
                        "needs the same options (only --threads may differ)\n",
                        r, all[r].host, what);
            code = 2;
            goto out;
        }
    }
    char shown[1200];
    for (int r = 1; r < ranks; r++)
        if (all[r].fingerprint != all[0].fingerprint) {
            if (rank == 0)
                fprintf(stderr,
                        "ekm-mpi: %s: rank %d (%s) read different data (fingerprint %016llx, "
                        "rank 0 has %016llx); every host needs the same file at the same path\n",
                        text_escape(shown, sizeof shown, ekm_dissim_name(dm)), r, all[r].host,
                        (unsigned long long)all[r].fingerprint,
                        (unsigned long long)all[0].fingerprint);
            code = 2;
            goto out;
        }
    for (int r = 0; r < ranks; r++) {
        memcpy(hosts[r], all[r].host, sizeof hosts[r]);
        hosts[r][sizeof hosts[r] - 1] = '\0';
        slots[r] = all[r].slots;
    }
    dist_setup su = {.settings = s,
                     .solve = s->solve,
                     .dm = dm,
                     .rank = rank,
                     .ranks = ranks,
                     .threads = h->threads,
                     .staged = ekm_strategy_is_staged(s->solve.strategy),
                     .slots = slots,
                     .hosts = hosts,
                     .started = ekm_now()};
    /* tree without --partitions/--leaf: leaves for every thread of every rank, fixed
     * here so that the plan does not depend on the thread count a job runs with */
    if (su.solve.strategy == EKM_STRATEGY_TREE && !su.solve.partitions && !su.solve.leaf) {
        unsigned all_threads = 0;
        for (int r = 0; r < ranks; r++)
            all_threads += all[r].threads;
        su.solve.partitions = 2 * all_threads;
        if (su.solve.partitions > EKM_PLAN_MAX_PARTS)
            su.solve.partitions = EKM_PLAN_MAX_PARTS;
        if (su.solve.partitions > ekm_dissim_n(dm))
            su.solve.partitions = (unsigned)ekm_dissim_n(dm);
    }
    code = rank == 0 ? dist_dispatch(&su) : dist_worker(&su);
out:
    ekm_dissim_release(dm);
    free(slots);
    free(hosts);
    free(all);
    free(h);
    free(s);
    return code;
}

int dist_solve_main(int argc, char **argv)
{
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "ekm-mpi: MPI_Init_thread failed\n");
        return 1;
    }
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int code;
    if (provided < MPI_THREAD_FUNNELED) {
        if (rank == 0)
            fprintf(stderr, "ekm-mpi: this MPI does not allow threads (MPI_THREAD_FUNNELED)\n");
        code = 1;
    } else {
        code = solve(rank, ranks, argc, argv);
    }
    MPI_Finalize();
    return code;
}
