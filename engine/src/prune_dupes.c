/* prune_dupes.c — duplicate points and a memo of exact objectives; see
 * prune_dupes.h. */
#include "prune_dupes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/dataset.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 31);
}

/* Point i's key: its coordinates, or its row of the precomputed matrix (read
 * along the row; the loader accepts only a symmetric matrix, so the row holds
 * the column's values, a zero's sign aside, which no sum of the objective can
 * tell). */
static uint64_t point_hash(const ekm_dissim *dm, const ekm_dataset *ds, size_t i)
{
    uint64_t h = 0x243f6a8885a308d3ull;
    if (ds) {
        const double *x = ekm_dataset_point(ds, i);
        size_t d = ekm_dataset_d(ds);
        for (size_t c = 0; c < d; c++) {
            uint64_t b;
            memcpy(&b, &x[c], sizeof b);
            h = mix(h, b);
        }
        return h;
    }
    size_t n = ekm_dissim_n(dm);
    for (size_t p = 0; p < n; p++) {
        double v = ekm_dissim_exact(dm, i, p);
        uint64_t b;
        memcpy(&b, &v, sizeof b);
        h = mix(h, b);
    }
    return h;
}

/* Bit for bit: -0.0 and 0.0 differ, which only costs a missed duplicate. */
static int same_point(const ekm_dissim *dm, const ekm_dataset *ds, size_t i, size_t j)
{
    if (ds)
        return memcmp(ekm_dataset_point(ds, i), ekm_dataset_point(ds, j),
                      ekm_dataset_d(ds) * sizeof(double)) == 0;
    size_t n = ekm_dissim_n(dm);
    for (size_t p = 0; p < n; p++) {
        double a = ekm_dissim_exact(dm, i, p), b = ekm_dissim_exact(dm, j, p);
        if (memcmp(&a, &b, sizeof a))
            return 0;
    }
    return 1;
}

uint32_t *ekm__duplicate_map(const ekm_dissim *dm)
{
    size_t n = ekm_dissim_n(dm);
    const ekm_dataset *ds = ekm_dissim_dataset(dm);
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    uint32_t *canon = malloc((n ? n : 1) * sizeof *canon);
    uint32_t *table = malloc(cap * sizeof *table); /* point index + 1; 0: empty */
    uint64_t *hash = malloc(cap * sizeof *hash);
    int dupes = 0;
    if (!canon || !table || !hash)
        goto fail;
    memset(table, 0, cap * sizeof *table);
    for (size_t i = 0; i < n; i++) {
        uint64_t h = point_hash(dm, ds, i);
        size_t s = (size_t)h & (cap - 1);
        canon[i] = (uint32_t)i;
        for (; table[s]; s = (s + 1) & (cap - 1))
            if (hash[s] == h && same_point(dm, ds, table[s] - 1, i)) {
                canon[i] = table[s] - 1;
                dupes = 1;
                break;
            }
        if (canon[i] == i) {
            table[s] = (uint32_t)i + 1;
            hash[s] = h;
        }
    }
    free(table);
    free(hash);
    if (dupes)
        return canon;
    free(canon);
    return NULL;
fail:
    free(canon);
    free(table);
    free(hash);
    return NULL;
}

enum { MEMO_SLOTS = 4096 };

int ekm__memo_init(ekm__objective_memo *m, const uint32_t *canon, unsigned k)
{
    memset(m, 0, sizeof *m);
    m->k = k;
    if (!canon)
        return 0;
    m->slots = MEMO_SLOTS;
    m->keys = malloc(m->slots * k * sizeof *m->keys);
    m->value = malloc(m->slots * sizeof *m->value);
    if (!m->keys || !m->value) {
        ekm__memo_free(m);
        return -1;
    }
    for (size_t s = 0; s < m->slots; s++)
        m->value[s] = NAN;
    m->canon = canon;
    return 0;
}

void ekm__memo_free(ekm__objective_memo *m)
{
    free(m->keys);
    free(m->value);
    m->keys = NULL;
    m->value = NULL;
    m->canon = NULL; /* off; k stays */
}

double ekm__memo_objective(ekm__objective_memo *m, const ekm_dissim *dm, const uint32_t *set)
{
    if (!m->canon)
        return ekm_dissim_objective(dm, set, m->k);
    unsigned k = m->k, u = 0;
    uint32_t key[64];
    for (unsigned t = 0; t < k; t++) { /* canonical, ascending, repeats dropped */
        uint32_t v = m->canon[set[t]];
        unsigned j = u;
        for (; j > 0 && key[j - 1] > v; j--)
            ;
        if (j > 0 && key[j - 1] == v)
            continue;
        memmove(key + j + 1, key + j, (u - j) * sizeof *key);
        key[j] = v;
        u++;
    }
    for (unsigned t = u; t < k; t++)
        key[t] = UINT32_MAX;
    uint64_t h = 0x452821e638d01377ull;
    for (unsigned t = 0; t < u; t++)
        h = mix(h, key[t]);
    size_t s = (size_t)h & (m->slots - 1);
    uint32_t *slot = m->keys + s * k;
    if (!isnan(m->value[s]) && memcmp(slot, key, k * sizeof *key) == 0) {
        m->hits++;
        return m->value[s];
    }
    double v = ekm_dissim_objective(dm, set, k);
    memcpy(slot, key, k * sizeof *key);
    m->value[s] = v;
    return v;
}
