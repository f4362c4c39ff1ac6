/* rho_pass.c — ekm_dissim_rho: the Lagrangian ρ of a list of candidates under
 * given multipliers, the work of a pruned root's full pass, for a caller that
 * shares those passes out (ekm/advanced.h; ekm-mpi gives each rank a block of
 * candidate columns).
 *
 * Without a cache the rows are split into contiguous slices, one thread each
 * (matrix-free: ρ summed straight from the coordinates, ekm__rho_list_full).
 * With a cache (matrix-free only): row j may live in slot j mod slots, which
 * keeps the first row put there for good (a rank's block of columns, when it
 * fits, stays whole); thread t serves the rows whose slot is t mod threads, so
 * a thread writes only its own slots. A cached row's ρ comes from the row (the
 * matrix's floats bit for bit, the kernel's ρ), any other from the coordinates;
 * both within the same error bound (prune_bound.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/advanced.h"
#include "ekm/ekm.h"
#include "prune_bound.h"

struct ekm_rho_cache {
    uint64_t fingerprint; /* the data it holds rows of */
    size_t n, stride;
    uint32_t slots;
    float *rows; /* slots x stride */
    uint32_t *tag; /* slots: the row held, UINT32_MAX for none */
};

ekm_rho_cache *ekm_rho_cache_new(const ekm_dissim *dm, size_t bytes)
{
    size_t n = ekm_dissim_n(dm), stride = ekm_dissim_stride(dm);
    size_t slots = bytes / (stride * sizeof(float));
    slots = slots < 1 ? 1 : slots > n ? n : slots;
    ekm_rho_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = (ekm_rho_cache){ekm_dissim_fingerprint(dm), n, stride, (uint32_t)slots, NULL, NULL};
    c->rows = aligned_alloc(64, slots * stride * sizeof *c->rows);
    c->tag = malloc(slots * sizeof *c->tag);
    if (!c->rows || !c->tag) {
        ekm_rho_cache_free(c);
        return NULL;
    }
    for (size_t s = 0; s < slots; s++)
        c->tag[s] = UINT32_MAX;
    return c;
}

void ekm_rho_cache_free(ekm_rho_cache *c)
{
    if (!c)
        return;
    free(c->rows);
    free(c->tag);
    free(c);
}

typedef struct rho_slice {
    const ekm__pdata *pd;
    const float *lam;
    const uint32_t *rows;
    size_t count;
    double *out;
    ekm__rowcache cache; /* no cache: this thread's scratch */
    ekm_rho_cache *shared; /* or the caller's cache: this thread serves slots t mod threads */
    unsigned t, threads;
    ekm__rho_cut cut;
    int have_cut;
    pthread_t tid;
    int started;
} rho_slice;

/* ρ of the four rows r[0..have) into out at at[0..have). */
static void rho_rows(const rho_slice *s, const float **r, const size_t *at, unsigned have)
{
    double tmp[4];
    for (unsigned t = have; t < 4; t++)
        r[t] = r[0];
    s->pd->rho4(s->lam, r, s->pd->stride, tmp);
    for (unsigned t = 0; t < have; t++)
        s->out[at[t]] = tmp[t];
}

static void serve_cached(rho_slice *s)
{
    ekm_rho_cache *c = s->shared;
    const float *r[4];
    size_t at[4];
    unsigned have = 0;
    for (size_t j = 0; j < s->count; j++) {
        uint32_t row = s->rows[j], slot = row % c->slots;
        if (slot % s->threads != s->t)
            continue;
        float *held = c->rows + (size_t)slot * c->stride;
        if (c->tag[slot] == UINT32_MAX) { /* a free slot: the row stays there */
            ekm__dissim_fill_row(s->pd->dm, row, held);
            c->tag[slot] = row;
        }
        if (c->tag[slot] != row) {
            if (!s->have_cut) {
                ekm__dissim_rho_cut(s->pd->dm, s->lam, &s->cut);
                s->have_cut = 1;
            }
            s->out[j] = ekm__dissim_rho_row(s->pd->dm, row, &s->cut);
            continue;
        }
        at[have] = j;
        r[have++] = held;
        if (have == 4) {
            rho_rows(s, r, at, have);
            have = 0;
        }
    }
    if (have)
        rho_rows(s, r, at, have);
}

static void *slice_main(void *arg)
{
    rho_slice *s = arg;
    if (s->shared)
        serve_cached(s);
    else if (s->count)
        ekm__rho_list_full(s->pd, s->lam, s->rows, s->count, s->out,
                           s->pd->base ? NULL : &s->cache);
    return NULL;
}

ekm_status ekm_dissim_rho(const ekm_dissim *dm, ekm_rho_cache *cache, const float *lam,
                          const uint32_t *rows, size_t count, double *out, unsigned threads,
                          ekm_error *err)
{
    size_t n = ekm_dissim_n(dm);
    for (size_t j = 0; j < count; j++)
        if (rows[j] >= n)
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "ekm_dissim_rho: row %u of a set of %zu points",
                                 (unsigned)rows[j], n);
    if (cache && (cache->n != n || cache->fingerprint != ekm_dissim_fingerprint(dm)))
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "ekm_dissim_rho: the cache holds rows of other data");
    if (!count)
        return EKM_OK;
    ekm__pdata pd = {.kern = ekm__kernel_select(), .rho4 = ekm__rho4_select(),
                     .minsum = ekm__minsum_select(), .base = ekm_dissim_row(dm, 0), .dm = dm,
                     .stride = ekm_dissim_stride(dm), .n = (uint32_t)n, .k = 1,
                     .scale = ekm_dissim_float_scale(dm),
                     .abs_err = ekm_dissim_float_abs_err(dm)};
    if (pd.base) /* the matrix holds every row already */
        cache = NULL;
    if (!threads)
        threads = ekm_cpu_count();
    if (threads > EKM_MAX_THREADS)
        threads = EKM_MAX_THREADS;
    size_t per = (count + threads - 1) / threads;
    if (per < 16) /* a thread for a handful of rows costs more than it saves */
        per = 16;
    threads = (unsigned)((count + per - 1) / per);
    /* the kernels read the multipliers as stride floats, aligned, zero padded */
    float *v = aligned_alloc(64, (pd.stride * sizeof *v + 63) / 64 * 64);
    rho_slice *sl = calloc(threads, sizeof *sl);
    ekm_status st = EKM_OK;
    if (!v || !sl) {
        st = EKM_ERR_NOMEM;
        goto out;
    }
    memset(v, 0, pd.stride * sizeof *v);
    memcpy(v, lam, n * sizeof *v);
    for (unsigned t = 0; t < threads; t++) {
        size_t lo = (size_t)t * per, hi = lo + per < count ? lo + per : count;
        sl[t] = (rho_slice){.pd = &pd, .lam = v, .rows = rows + lo, .count = hi - lo,
                            .out = out + lo, .t = t, .threads = threads};
        if (cache) { /* every thread looks at every row and serves its slots */
            sl[t].shared = cache;
            sl[t].rows = rows;
            sl[t].count = count;
            sl[t].out = out;
            if (ekm__rho_cut_init(&sl[t].cut, n)) {
                st = EKM_ERR_NOMEM;
                goto out;
            }
        } else if (!pd.base && ekm__rowcache_init(&sl[t].cache, pd.n, pd.stride, 0)) {
            st = EKM_ERR_NOMEM;
            goto out;
        }
    }
    for (unsigned t = 1; t < threads; t++) /* this thread takes slice 0 */
        sl[t].started = pthread_create(&sl[t].tid, NULL, slice_main, &sl[t]) == 0;
    slice_main(&sl[0]);
    for (unsigned t = 1; t < threads; t++) {
        if (sl[t].started)
            pthread_join(sl[t].tid, NULL);
        else
            slice_main(&sl[t]); /* no thread: here, in turn */
    }
out:
    for (unsigned t = 0; sl && t < threads; t++) {
        ekm__rowcache_free(&sl[t].cache);
        ekm__rho_cut_free(&sl[t].cut);
    }
    free(sl);
    free(v);
    if (st == EKM_ERR_NOMEM)
        return ekm_error_set(err, st, NULL, 0, 0, "ekm_dissim_rho: out of memory");
    return st;
}
