/* fuzz_ckpt_check.h — the checkpoint decoder's fuzz harness, shared by the fuzz
 * target (fuzz_ckpt.c) and the regression replay (tests/unit/test_fuzz_regressions.c).
 *
 * Structure-aware: an input is a checkpoint file without its magic, version and
 * trailing checksum; the harness adds them (the checksum computed over the rest),
 * so every mutation of a field reaches the field checks instead of dying at the
 * checksum. What it checks (fz_ckpt_run returns NULL, or the first broken
 * invariant as static text):
 *  - decode: either a checkpoint or a sane error record (status PARSE or NOMEM,
 *    a non-empty message), never both, never a crash (the sanitizers watch);
 *  - a decoded checkpoint re-encodes to bytes that decode and re-encode to the
 *    same bytes (a fixed point; the first decode may drop best-list entries
 *    that can never win), and its counts are
 *    consistent (units done <= units, closed <= C(N,K), best set sorted < N);
 *  - resume: when N <= FZ_CKPT_MAX_N and C(N,K) is small, the checkpoint is
 *    pointed at a fixed dataset of N points (its fingerprint and metric are made
 *    to match, so that the crafted fields reach the search) and resumed on one
 *    thread. Either ekm_job_start refuses it with a message, or the job ends
 *    with a result whose objective is its medoid set's own (never a number the
 *    checkpoint made up), and, when the checkpoint marks no unit finished (so
 *    that it claims no work it did not show), whose exact answer is the true
 *    optimum: every K-subset evaluated here in double, the answer within the tie
 *    window of the minimum. A pruned root is only multipliers and bounds, so a
 *    root that is not one (bounds above what its multipliers give) must be
 *    refused, not searched. What a checkpoint says it finished is trusted: the
 *    checksum guards against damage, not against forgery.
 */
#ifndef EKM_FUZZ_CKPT_CHECK_H
#define EKM_FUZZ_CKPT_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint_internal.h"
#include "ekm/checkpoint.h"
#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"
#include "ekm/plan.h"

enum { FZ_CKPT_MAX_N = 24, FZ_CKPT_MAX_SUBSETS = 3000, FZ_CKPT_MAX_LEN = 1 << 16 };

static const uint8_t fz_ckpt_head[12] = {'E', 'K', 'M', 'C', 'K', 'P', 'T', '\n', 1, 0, 0, 0};

static inline uint64_t fz_ckpt_fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The file bytes of an input: head + body + checksum (malloc'ed, *len set). */
static inline uint8_t *fz_ckpt_frame(const uint8_t *body, size_t size, size_t *len)
{
    uint8_t *b = malloc(sizeof fz_ckpt_head + size + 8);
    if (!b)
        return NULL;
    memcpy(b, fz_ckpt_head, sizeof fz_ckpt_head);
    if (size)
        memcpy(b + sizeof fz_ckpt_head, body, size);
    uint64_t h = fz_ckpt_fnv(b, sizeof fz_ckpt_head + size);
    for (int i = 0; i < 8; i++)
        b[sizeof fz_ckpt_head + size + (size_t)i] = (uint8_t)(h >> (8 * i));
    *len = sizeof fz_ckpt_head + size + 8;
    return b;
}

/* The fixed dataset of n points: 2-D small integers (ties on purpose). */
static inline ekm_dissim *fz_ckpt_data(size_t n, ekm_metric metric)
{
    double xy[2 * FZ_CKPT_MAX_N];
    uint32_t s = 12345;
    for (size_t i = 0; i < 2 * n; i++) {
        s = s * 1103515245u + 12345u;
        xy[i] = (double)((s >> 16) % 9);
    }
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    if (ekm_dataset_from_points("fuzz", n, 2, xy, NULL, &ds, NULL))
        return NULL;
    if (ekm_dissim_from_dataset(ds, metric, &dm, NULL))
        dm = NULL;
    ekm_dataset_release(ds);
    return dm;
}

/* The best objective over every K-subset in double (lexicographic order). */
static inline double fz_ckpt_brute(const ekm_dissim *dm, unsigned k)
{
    size_t n = ekm_dissim_n(dm);
    uint32_t set[EKM_MAX_K];
    for (unsigned j = 0; j < k; j++)
        set[j] = j;
    double best = INFINITY;
    for (;;) {
        double v = ekm_dissim_objective(dm, set, k);
        if (v < best)
            best = v;
        int j = (int)k - 1;
        while (j >= 0 && set[j] == n - k + (unsigned)j)
            j--;
        if (j < 0)
            return best;
        set[j]++;
        for (unsigned t = (unsigned)j + 1; t < k; t++)
            set[t] = set[t - 1] + 1;
    }
}

/* Resume ck (already decoded and sane) on the fixed dataset of its N points. */
static inline const char *fz_ckpt_resume(ekm_checkpoint *ck)
{
    ekm_solve_options opt = ekm_checkpoint_options(ck);
    size_t n = ekm_checkpoint_n(ck);
    int ovf = 0;
    if (n > FZ_CKPT_MAX_N || ekm_binomial(n, opt.k, &ovf) > FZ_CKPT_MAX_SUBSETS || ovf)
        return NULL;
    ekm_metric metric = (ekm_metric)ck->metric;
    if (metric == EKM_METRIC_PRECOMPUTED)
        metric = EKM_METRIC_EUCLIDEAN;
    ekm_dissim *dm = fz_ckpt_data(n, metric);
    if (!dm)
        return NULL; /* out of memory: nothing to check */
    ck->fingerprint = ekm_dissim_fingerprint(dm);
    ck->metric = (uint32_t)metric;
    opt.threads = 1;
    opt.resume = ck;
    const char *why = NULL;
    ekm_job *job = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    ekm_status st = ekm_job_start(dm, &opt, &job, &e);
    if (st) {
        if (job)
            why = "ekm_job_start failed but gave a job";
        else if (!e.message[0])
            why = "ekm_job_start refused it without a message";
    } else {
        ekm_status rs = ekm_job_wait(job);
        const ekm_result *r = ekm_job_result(job);
        if (rs == EKM_OK && !r)
            why = "a finished job has no result";
        if (!why && rs == EKM_OK && r->exact) {
            double opt_v = fz_ckpt_brute(dm, opt.k);
            double own = ekm_dissim_objective(dm, r->medoids, opt.k);
            for (unsigned j = 0; j < opt.k && !why; j++)
                if (r->medoids[j] >= n || (j && r->medoids[j] <= r->medoids[j - 1]))
                    why = "resumed result: medoids not ascending below N";
            if (!why && own != r->objective)
                why = "resumed result: objective is not its set's";
            if (!why && ekm_checkpoint_units_done(ck) == 0 &&
                !(r->objective <= opt_v * (1.0 + 1e-10)))
                why = "resumed result claims exactness above the true optimum";
        }
        ekm_job_free(job);
    }
    ekm_dissim_release(dm);
    return why;
}

static inline const char *fz_ckpt_run(const uint8_t *body, size_t size)
{
    if (size > FZ_CKPT_MAX_LEN)
        return NULL;
    size_t len;
    uint8_t *buf = fz_ckpt_frame(body, size, &len);
    if (!buf)
        return NULL;
    ekm_checkpoint *ck = (ekm_checkpoint *)(uintptr_t)1;
    ekm_error e;
    ekm_error_clear(&e);
    ekm_status st = ekm_checkpoint_decode(buf, len, &ck, &e);
    const char *why = NULL;
    if (st) {
        if (ck)
            why = "decode failed but gave a checkpoint";
        else if (st != EKM_ERR_PARSE && st != EKM_ERR_NOMEM)
            why = "decode failed with an unexpected status";
        else if (!e.message[0])
            why = "decode failed without a message";
        free(buf);
        return why;
    }
    if (!ck) {
        free(buf);
        return "decode succeeded without a checkpoint";
    }
    /* the bytes may carry best-list entries that can never win (dropped on
     * decode): encode, decode, encode again must then be a fixed point */
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t l1 = 0, l2 = 0;
    if (ekm_checkpoint_encode(ck, &b1, &l1, NULL) == EKM_OK) {
        ekm_checkpoint *ck2 = NULL;
        ekm_status st2 = ekm_checkpoint_decode(b1, l1, &ck2, NULL);
        if (st2 == EKM_OK) {
            if (ekm_checkpoint_encode(ck2, &b2, &l2, NULL) == EKM_OK &&
                (l1 != l2 || memcmp(b1, b2, l1)))
                why = "re-encoding a decoded checkpoint gives other bytes";
            free(b2);
            ekm_checkpoint_free(ck2);
        } else if (st2 != EKM_ERR_NOMEM) {
            why = "a re-encoded checkpoint does not decode";
        }
        free(b1);
    }
    ekm_solve_options o = ekm_checkpoint_options(ck);
    if (!why && ekm_checkpoint_units_done(ck) > ekm_checkpoint_units(ck))
        why = "more units done than units";
    if (!why && ekm_checkpoint_done(ck) > ekm_checkpoint_total(ck))
        why = "more K-subsets closed than C(N,K)";
    double best;
    uint32_t med[EKM_MAX_K];
    if (!why && ekm_checkpoint_best(ck, &best, med)) {
        for (unsigned j = 0; j < o.k && !why; j++)
            if (med[j] >= ekm_checkpoint_n(ck) || (j && med[j] <= med[j - 1]))
                why = "best set not ascending below N";
        if (!why && !isfinite(best))
            why = "best objective not finite";
    }
    if (!why)
        why = fz_ckpt_resume(ck);
    ekm_checkpoint_free(ck);
    free(buf);
    return why;
}

#endif
