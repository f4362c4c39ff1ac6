/* brute.c — the independent oracle (see brute.h). */
#include "brute.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

long double *brute_matrix(const double *x, size_t n, size_t d, brute_metric m)
{
    long double *D = malloc(n * n * sizeof *D);
    if (!D)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            long double s = 0;
            for (size_t t = 0; t < d; t++) {
                long double diff = (long double)x[i * d + t] - (long double)x[j * d + t];
                s += m == BRUTE_MANHATTAN ? fabsl(diff) : diff * diff;
            }
            D[i * n + j] = m == BRUTE_EUCLIDEAN ? sqrtl(s) : s;
        }
    return D;
}

long double brute_objective(const long double *D, size_t n, const uint32_t *set, unsigned k)
{
    long double total = 0;
    for (size_t p = 0; p < n; p++) {
        long double best = INFINITY;
        for (unsigned c = 0; c < k; c++)
            if (D[p * n + set[c]] < best)
                best = D[p * n + set[c]];
        total += best;
    }
    return total;
}

int brute_solve(const long double *D, size_t n, unsigned k, uint32_t *medoids, double *objective,
                uint64_t *visited)
{
    if (k == 0 || k > n || k > 64)
        return -1;
    uint32_t c[64];
    for (unsigned i = 0; i < k; i++)
        c[i] = i;
    /* pass 1: the minimum; pass 2: the first (lexicographic) set within the tie window */
    long double best = INFINITY;
    uint64_t count = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < k; i++)
            c[i] = i;
        for (;;) {
            long double v = brute_objective(D, n, c, k);
            if (pass == 0) {
                count++;
                if (v < best)
                    best = v;
            } else if (v <= best * (1.0L + 1e-10L)) {
                memcpy(medoids, c, k * sizeof *c);
                *objective = (double)v;
                if (visited)
                    *visited = count;
                return 0;
            }
            /* odometer: next K-subset in lexicographic order */
            int i = (int)k - 1;
            while (i >= 0 && c[i] == n - k + (unsigned)i)
                i--;
            if (i < 0)
                break;
            c[i]++;
            for (unsigned j = (unsigned)i + 1; j < k; j++)
                c[j] = c[j - 1] + 1;
        }
    }
    return -1;
}

void brute_random_points(double *x, size_t n, size_t d, int grid, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 12345;
    for (size_t i = 0; i < n * d; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        uint64_t r = s >> 11;
        x[i] = grid > 0 ? (double)(r % (uint64_t)grid) : (double)r * 0x1.0p-53;
    }
}
