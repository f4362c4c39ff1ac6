/* count_atomic.h — a K-subset counter many threads add to and any thread reads
 * (private).
 *
 * An ekm_count is 128 bits wide, and 128-bit atomics are not lock-free
 * everywhere (and need libatomic with GCC), so the counter is a plain ekm_count
 * behind a tiny spin lock of its own: an add or a read holds it for a few
 * instructions. Writers publish in batches (walk.c, prune_search.c), so the
 * lock is rarely contended. Acquire/release on the lock order the value, so a
 * reader sees every add published before it took the lock.
 */
#ifndef EKM_COUNT_ATOMIC_H
#define EKM_COUNT_ATOMIC_H

#include <sched.h>
#include <stdatomic.h>

#include "ekm/count.h"

typedef struct ekm__acount {
    atomic_int lock;
    ekm_count value; /* guarded by lock */
} ekm__acount;

static inline void ekm__acount_lock(ekm__acount *c)
{
    for (unsigned spins = 0;
         atomic_exchange_explicit(&c->lock, 1, memory_order_acquire); spins++)
        while (atomic_load_explicit(&c->lock, memory_order_relaxed))
            if (++spins % 64 == 0)
                sched_yield(); /* the holder may be preempted: let it run */
}

static inline void ekm__acount_unlock(ekm__acount *c)
{
    atomic_store_explicit(&c->lock, 0, memory_order_release);
}

static inline void ekm__acount_add(ekm__acount *c, ekm_count v)
{
    ekm__acount_lock(c);
    c->value += v;
    ekm__acount_unlock(c);
}

static inline void ekm__acount_set(ekm__acount *c, ekm_count v)
{
    ekm__acount_lock(c);
    c->value = v;
    ekm__acount_unlock(c);
}

static inline ekm_count ekm__acount_get(ekm__acount *c)
{
    ekm__acount_lock(c);
    ekm_count v = c->value;
    ekm__acount_unlock(c);
    return v;
}

#endif
