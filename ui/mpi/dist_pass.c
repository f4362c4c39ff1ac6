/* dist_pass.c — the pruned root's full ρ passes shared out by candidate blocks
 * (matrix-free: each is O(N²·D) of distance work, the bulk of a large root).
 *
 * Rank r owns the candidate columns [r·N/R, (r+1)·N/R) (dist_block). Rank 0 runs
 * the root's subgradient optimisation alone (an engine job); its leading thread
 * calls dist_relay_hook for every full pass and blocks; rank 0's main thread
 * (the only one that calls MPI) takes the pass in dist_relay_serve, sends every
 * worker λ and the pass's candidates in that worker's block, sums the ρ of its
 * own block with its threads (ekm_dissim_rho) meanwhile, puts the workers'
 * answers back in the pass's order and wakes the engine thread. A worker answers
 * in its polling loop (dist_pass_answer). Each rank keeps the rows of its block
 * between passes (ekm_rho_cache, 128 MiB per thread: the whole block when it
 * fits, so R ranks hold R times the rows one process could), computing the
 * others from the coordinates. The ρ are the engine's own sums of the
 * same float entries, so the root, its bound and the answer are those of one
 * process; only who sums which column changes. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mpi.h>

#include "mpi/dist_solve.h"

struct dist_relay {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int pending;  /* a pass is waiting for the main thread */
    int answered; /* ... and has been answered */
    int failed;
    uint64_t id;
    /* the pending pass (the engine thread's buffers, read while it waits) */
    const float *lam;
    size_t n;
    const uint32_t *rows;
    size_t count;
    double *out;
    ekm_rho_cache *cache; /* rank 0's rows of its block, kept between passes */
};

void dist_block(size_t n, int r, int ranks, size_t *lo, size_t *hi)
{
    /* n < 2^32 (rows are uint32_t) and ranks < 2^31: no overflow */
    *lo = (size_t)((uint64_t)n * (uint64_t)r / (uint64_t)ranks);
    *hi = (size_t)((uint64_t)n * (uint64_t)(r + 1) / (uint64_t)ranks);
}

/* The rank whose block holds column c. */
static int owner_of(size_t c, size_t n, int ranks)
{
    int r = (int)((uint64_t)c * (uint64_t)ranks / n);
    size_t lo, hi;
    for (;;) {
        dist_block(n, r, ranks, &lo, &hi);
        if (c < lo)
            r--;
        else if (c >= hi)
            r++;
        else
            return r;
    }
}

ekm_rho_cache *dist_rho_cache(const ekm_dissim *dm, unsigned threads)
{
    /* the engine's own budget for the rows of a thread's passes, per thread */
    return ekm_rho_cache_new(dm, ((size_t)128 << 20) * (threads ? threads : ekm_cpu_count()));
}

dist_relay *dist_relay_create(void)
{
    dist_relay *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    pthread_mutex_init(&rl->lock, NULL);
    pthread_cond_init(&rl->cond, NULL);
    return rl;
}

void dist_relay_destroy(dist_relay *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    pthread_cond_destroy(&rl->cond);
    ekm_rho_cache_free(rl->cache);
    free(rl);
}

int dist_relay_hook(void *ctx, const float *lam, size_t n, const uint32_t *rows, size_t count,
                    double *out)
{
    dist_relay *rl = ctx;
    pthread_mutex_lock(&rl->lock);
    rl->lam = lam;
    rl->n = n;
    rl->rows = rows;
    rl->count = count;
    rl->out = out;
    rl->answered = 0;
    rl->pending = 1;
    pthread_cond_broadcast(&rl->cond);
    while (!rl->answered)
        pthread_cond_wait(&rl->cond, &rl->lock);
    int failed = rl->failed;
    pthread_mutex_unlock(&rl->lock);
    return failed;
}

/* Run the pending pass over the ranks; 0 or -1 (err). */
static int run_pass(dist_relay *rl, const ekm_dissim *dm, int ranks, unsigned threads,
                    dist_other_fn other, void *other_ctx, char *err, size_t errsize)
{
    size_t n = rl->n, count = rl->count;
    size_t *start = calloc((size_t)ranks + 1, sizeof *start);
    size_t *pos = malloc((count ? count : 1) * sizeof *pos);
    uint32_t *rows = malloc((count ? count : 1) * sizeof *rows);
    double *rho = malloc((count ? count : 1) * sizeof *rho);
    unsigned char *back = calloc((size_t)ranks, 1);
    size_t msg_cap = sizeof(dist_pass_header) + n * sizeof(float) + count * sizeof(uint32_t);
    uint8_t *msg = malloc(msg_cap);
    int rc = -1;
    if (!start || !pos || !rows || !rho || !back || !msg || n != ekm_dissim_n(dm)) {
        snprintf(err, errsize, n != ekm_dissim_n(dm) ? "a pass of the wrong size"
                                                     : "out of memory");
        goto out;
    }
    rl->id++;
    /* the pass's positions grouped by the rank that owns their column */
    for (size_t j = 0; j < count; j++)
        start[owner_of(rl->rows[j], n, ranks) + 1]++;
    for (int r = 0; r < ranks; r++)
        start[r + 1] += start[r];
    size_t *fill = malloc((size_t)ranks * sizeof *fill);
    if (!fill) {
        snprintf(err, errsize, "out of memory");
        goto out;
    }
    memcpy(fill, start, (size_t)ranks * sizeof *fill);
    for (size_t j = 0; j < count; j++)
        pos[fill[owner_of(rl->rows[j], n, ranks)]++] = j;
    free(fill);
    for (size_t i = 0; i < count; i++)
        rows[i] = rl->rows[pos[i]];
    /* every worker gets λ and its candidates, even none (it answers all the same) */
    for (int r = 1; r < ranks; r++) {
        size_t c = start[r + 1] - start[r];
        dist_pass_header h = {rl->id, n, c};
        memcpy(msg, &h, sizeof h);
        memcpy(msg + sizeof h, rl->lam, n * sizeof(float));
        memcpy(msg + sizeof h + n * sizeof(float), rows + start[r], c * sizeof *rows);
        dist_send(r, DIST_TAG_PASS, msg, sizeof h + n * sizeof(float) + c * sizeof *rows);
    }
    ekm_error e;
    if (!rl->cache)
        rl->cache = dist_rho_cache(dm, threads);
    if (ekm_dissim_rho(dm, rl->cache, rl->lam, rows, start[1], rho, threads, &e)) {
        ekm_error_format(&e, err, errsize);
        goto out;
    }
    int missing = ranks - 1;
    while (missing) {
        dist_msg m;
        if (!dist_poll(MPI_ANY_SOURCE, &m)) {
            dist_nap();
            continue;
        }
        if (m.tag != DIST_TAG_PASS_DONE) {
            int bad = other(other_ctx, &m);
            dist_msg_free(&m);
            if (bad) /* the handler wrote the message */
                goto out;
            continue;
        }
        dist_pass_header h;
        int r = m.source;
        int ok = r > 0 && r < ranks && !back[r] && m.len >= sizeof h;
        if (ok) {
            memcpy(&h, m.data, sizeof h);
            ok = h.id == rl->id && h.count == start[r + 1] - start[r] &&
                 m.len == sizeof h + h.count * sizeof(double);
        }
        if (ok) {
            memcpy(rho + start[r], m.data + sizeof h, h.count * sizeof(double));
            back[r] = 1;
            missing--;
        }
        dist_msg_free(&m);
        if (!ok) {
            snprintf(err, errsize, "rank %d answered a root pass it was not given", r);
            goto out;
        }
    }
    for (size_t i = 0; i < count; i++)
        rl->out[pos[i]] = rho[i];
    rc = 0;
out:
    free(msg);
    free(back);
    free(rho);
    free(rows);
    free(pos);
    free(start);
    return rc;
}

uint64_t dist_relay_passes(const dist_relay *rl) { return rl->id; }

int dist_relay_serve(dist_relay *rl, const ekm_dissim *dm, int ranks, unsigned threads,
                     int milliseconds, dist_other_fn other, void *other_ctx, char *err,
                     size_t errsize)
{
    pthread_mutex_lock(&rl->lock);
    if (!rl->pending) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)milliseconds * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!rl->pending && pthread_cond_timedwait(&rl->cond, &rl->lock, &until) != ETIMEDOUT)
            ;
    }
    int have = rl->pending;
    pthread_mutex_unlock(&rl->lock);
    if (!have)
        return 0;
    /* the engine thread waits in dist_relay_hook: its buffers are ours until answered */
    int rc = run_pass(rl, dm, ranks, threads, other, other_ctx, err, errsize);
    pthread_mutex_lock(&rl->lock);
    rl->pending = 0;
    rl->failed = rc != 0;
    rl->answered = 1;
    pthread_cond_broadcast(&rl->cond);
    pthread_mutex_unlock(&rl->lock);
    return rc ? -1 : 1;
}

int dist_pass_answer(const dist_msg *m, const ekm_dissim *dm, unsigned threads,
                     ekm_rho_cache **cache, char *err, size_t errsize)
{
    dist_pass_header h;
    size_t n = ekm_dissim_n(dm);
    if (m->len < sizeof h) {
        snprintf(err, errsize, "a root pass too short (%zu bytes) from rank 0", m->len);
        return -1;
    }
    memcpy(&h, m->data, sizeof h);
    if (h.n != n || h.count > n ||
        m->len != sizeof h + n * sizeof(float) + h.count * sizeof(uint32_t)) {
        snprintf(err, errsize, "a malformed root pass from rank 0 (%zu bytes)", m->len);
        return -1;
    }
    /* copies: the message's bytes carry no alignment promise */
    float *lam = malloc((n ? n : 1) * sizeof *lam);
    uint32_t *rows = malloc((h.count ? h.count : 1) * sizeof *rows);
    uint8_t *reply = malloc(sizeof h + h.count * sizeof(double));
    double *rho = malloc((h.count ? h.count : 1) * sizeof *rho);
    int rc = -1;
    if (!lam || !rows || !reply || !rho) {
        snprintf(err, errsize, "out of memory");
        goto out;
    }
    memcpy(lam, m->data + sizeof h, n * sizeof *lam);
    memcpy(rows, m->data + sizeof h + n * sizeof *lam, h.count * sizeof *rows);
    ekm_error e;
    if (!*cache)
        *cache = dist_rho_cache(dm, threads);
    if (ekm_dissim_rho(dm, *cache, lam, rows, h.count, rho, threads, &e)) {
        ekm_error_format(&e, err, errsize);
        goto out;
    }
    memcpy(reply, &h, sizeof h);
    memcpy(reply + sizeof h, rho, h.count * sizeof *rho);
    dist_send(0, DIST_TAG_PASS_DONE, reply, sizeof h + h.count * sizeof(double));
    rc = 0;
out:
    free(rho);
    free(reply);
    free(rows);
    free(lam);
    return rc;
}
