/* heuristic_alternate.c — the alternating (Voronoi iteration) k-medoids of
 * Park & Jun 2009 ("A simple and fast algorithm for K-medoids clustering"),
 * the k-medoids analogue of Lloyd's k-means, from a k-means++-style seeding. */
#include "heuristic_internal.h"

#include <stdlib.h>
#include <string.h>

/* k-means++-style seeding (Arthur & Vassilvitskii 2007) with the dissimilarity
 * itself as the weight (D^1: the objective is a sum of dissimilarities, so a
 * point is drawn with probability proportional to its share of the current
 * objective; with sqeuclidean this is exactly k-means++'s D^2). The first
 * medoid is uniform; when every remaining weight is 0 (duplicates) the next
 * one is uniform among the points not chosen. run: n, k, matrix, rng;
 * med[k] (out); dist[n]: scratch. */
static void seed_plusplus(ekm__hrun *run, uint32_t *med, float *dist, unsigned char *chosen)
{
    size_t n = run->n;
    memset(chosen, 0, n);
    uint32_t first = (uint32_t)ekm__rng_below(&run->rng, n);
    med[0] = first;
    chosen[first] = 1;
    memcpy(dist, ekm_dissim_row(run->dm, first), n * sizeof *dist);
    for (unsigned j = 1; j < run->k; j++) {
        double total = 0.0;
        for (size_t o = 0; o < n; o++)
            total += chosen[o] ? 0.0 : (double)dist[o];
        size_t pick = n;
        if (total > 0.0) {
            double r = ekm__rng_unit(&run->rng) * total, cum = 0.0;
            size_t last = n;
            for (size_t o = 0; o < n; o++) {
                if (chosen[o] || dist[o] <= 0.0f)
                    continue;
                last = o;
                cum += dist[o];
                if (r < cum) {
                    pick = o;
                    break;
                }
            }
            if (pick == n)
                pick = last; /* r rounded up to the total */
        } else {
            uint64_t r = ekm__rng_below(&run->rng, n - j);
            for (size_t o = 0; o < n; o++)
                if (!chosen[o] && r-- == 0) {
                    pick = o;
                    break;
                }
        }
        med[j] = (uint32_t)pick;
        chosen[pick] = 1;
        const float *row = ekm_dissim_row(run->dm, pick);
        for (size_t o = 0; o < n; o++)
            if (row[o] < dist[o])
                dist[o] = row[o];
    }
}

/* Alternating k-medoids on run->dm. med[k] (out): the medoids; run->swaps
 * counts the medoid replacements.
 *
 * Repeat: assign every point to its nearest medoid (ties: the medoid with the
 * smallest point index); in every cluster, make the member with the smallest
 * sum of dissimilarities to the other members the medoid — only if it beats
 * the current medoid's sum by ekm__improves' threshold (relative to that
 * cluster's sum), ties to the smallest index. Stop when no medoid changes (each
 * medoid is then the 1-medoid of its cluster) or after run->max_iter rounds.
 * Sums in double over the float matrix. O(nk + sum of squared cluster sizes)
 * per round. Returns EKM_OK, EKM_ERR_CANCELLED or EKM_ERR_NOMEM. */
ekm_status ekm__alternate(ekm__hrun *run, uint32_t *med)
{
    size_t n = run->n;
    unsigned k = run->k;
    float *dist = malloc(n * sizeof *dist);
    uint32_t *slot = malloc(n * sizeof *slot);
    uint32_t *members = malloc(n * sizeof *members); /* points grouped by cluster */
    size_t *start = malloc(((size_t)k + 1) * sizeof *start);
    unsigned char *chosen = malloc(n);
    if (!dist || !slot || !members || !start || !chosen) {
        free(dist);
        free(slot);
        free(members);
        free(start);
        free(chosen);
        return EKM_ERR_NOMEM;
    }
    ekm_status st = EKM_OK;
    seed_plusplus(run, med, dist, chosen);

    for (unsigned it = 0; it < run->max_iter; it++) {
        /* assignment, one medoid row at a time */
        for (size_t o = 0; o < n; o++) {
            dist[o] = INFINITY;
            slot[o] = 0;
        }
        for (unsigned j = 0; j < k; j++) {
            if (ekm__poll(run, n)) {
                st = EKM_ERR_CANCELLED;
                goto out;
            }
            const float *row = ekm_dissim_row(run->dm, med[j]);
            for (size_t o = 0; o < n; o++)
                if (row[o] < dist[o] || (row[o] == dist[o] && med[j] < med[slot[o]])) {
                    dist[o] = row[o];
                    slot[o] = j;
                }
        }
        /* counting sort of the points by cluster */
        memset(start, 0, ((size_t)k + 1) * sizeof *start);
        for (size_t o = 0; o < n; o++)
            start[slot[o] + 1]++;
        for (unsigned j = 0; j < k; j++)
            start[j + 1] += start[j];
        for (size_t o = 0; o < n; o++)
            members[start[slot[o]]++] = (uint32_t)o;
        for (unsigned j = k; j > 0; j--)
            start[j] = start[j - 1];
        start[0] = 0;
        /* update: each cluster's 1-medoid */
        unsigned changed = 0;
        for (unsigned j = 0; j < k; j++) {
            const uint32_t *mem = members + start[j];
            size_t size = start[j + 1] - start[j];
            double cur = 0.0;
            for (size_t a = 0; a < size; a++)
                cur += dist[mem[a]];
            double best = cur;
            uint32_t arg = med[j];
            for (size_t b = 0; b < size; b++) {
                if (ekm__poll(run, size)) {
                    st = EKM_ERR_CANCELLED;
                    goto out;
                }
                const float *row = ekm_dissim_row(run->dm, mem[b]);
                double s = 0.0;
                for (size_t a = 0; a < size; a++)
                    s += row[mem[a]];
                /* members are in index order: strict < keeps the smallest */
                if (s < best && mem[b] != med[j]) {
                    best = s;
                    arg = mem[b];
                }
            }
            if (arg != med[j] && ekm__improves(cur - best, cur)) {
                med[j] = arg;
                changed++;
            }
        }
        run->swaps += changed;
        if (!changed)
            break;
    }
out:
    free(dist);
    free(slot);
    free(members);
    free(start);
    free(chosen);
    return st;
}
