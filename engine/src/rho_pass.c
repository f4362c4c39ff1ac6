/* rho_pass.c — ekm_dissim_rho: the Lagrangian ρ of a list of candidates under
 * given multipliers, the work of a pruned root's full pass, for a caller that
 * shares those passes out (ekm/advanced.h; ekm-mpi gives each rank a block of
 * candidate columns). The rows are split into contiguous slices, one thread
 * each, every thread with its own row scratch (matrix-free: ρ summed straight
 * from the coordinates, ekm__rho_list_full). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/advanced.h"
#include "ekm/ekm.h"
#include "prune_bound.h"

typedef struct rho_slice {
    const ekm__pdata *pd;
    const float *lam;
    const uint32_t *rows;
    size_t count;
    double *out;
    ekm__rowcache cache;
    pthread_t tid;
    int started;
} rho_slice;

static void *slice_main(void *arg)
{
    rho_slice *s = arg;
    if (s->count)
        ekm__rho_list_full(s->pd, s->lam, s->rows, s->count, s->out,
                           s->pd->base ? NULL : &s->cache);
    return NULL;
}

ekm_status ekm_dissim_rho(const ekm_dissim *dm, const float *lam, const uint32_t *rows,
                          size_t count, double *out, unsigned threads, ekm_error *err)
{
    size_t n = ekm_dissim_n(dm);
    for (size_t j = 0; j < count; j++)
        if (rows[j] >= n)
            return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                                 "ekm_dissim_rho: row %u of a set of %zu points",
                                 (unsigned)rows[j], n);
    if (!count)
        return EKM_OK;
    ekm__pdata pd = {.kern = ekm__kernel_select(), .rho4 = ekm__rho4_select(),
                     .minsum = ekm__minsum_select(), .base = ekm_dissim_row(dm, 0), .dm = dm,
                     .stride = ekm_dissim_stride(dm), .n = (uint32_t)n, .k = 1,
                     .scale = ekm_dissim_float_scale(dm),
                     .abs_err = ekm_dissim_float_abs_err(dm)};
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
        sl[t] = (rho_slice){&pd, v, rows + lo, hi - lo, out + lo, {0}, 0, 0};
        if (!pd.base && ekm__rowcache_init(&sl[t].cache, pd.n, pd.stride, 0)) {
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
    for (unsigned t = 0; sl && t < threads; t++)
        ekm__rowcache_free(&sl[t].cache);
    free(sl);
    free(v);
    if (st == EKM_ERR_NOMEM)
        return ekm_error_set(err, st, NULL, 0, 0, "ekm_dissim_rho: out of memory");
    return st;
}
