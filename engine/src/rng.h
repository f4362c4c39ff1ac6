/* rng.h — xoshiro256** seeded by splitmix64: a small explicit-state generator
 * (private; no global state anywhere in the engine). */
#ifndef EKM_RNG_H
#define EKM_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct ekm__rng {
    uint64_t s[4];
} ekm__rng;

static inline uint64_t ekm__splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void ekm__rng_seed(ekm__rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = ekm__splitmix64(&seed);
}

static inline uint64_t ekm__rng_next(ekm__rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform in [0,1) with 53 random bits. */
static inline double ekm__rng_unit(ekm__rng *r) { return (double)(ekm__rng_next(r) >> 11) * 0x1.0p-53; }

/* Uniform integer in [0, bound) (bound > 0), without modulo bias. */
static inline uint64_t ekm__rng_below(ekm__rng *r, uint64_t bound)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t v;
    do
        v = ekm__rng_next(r);
    while (v >= limit);
    return v % bound;
}

/* Standard normal (Box-Muller, one value per call). */
static inline double ekm__rng_normal(ekm__rng *r)
{
    double u1 = ekm__rng_unit(r), u2 = ekm__rng_unit(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#endif
