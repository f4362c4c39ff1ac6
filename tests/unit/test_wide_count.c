/* test_wide_count.c — K-subset counts wider than 64 bits (ekm/count.h).
 *
 * The wide binomial against Pascal's triangle built by 128-bit additions and
 * against values computed elsewhere (Python's math.comb); overflow beyond 128
 * bits refused; decimal formatting and parsing at the edges (0, 2^64 - 1,
 * 2^64, 2^128 - 1); plans: pruned accepts C(N,K) beyond 2^64, the enumerating
 * strategies refuse it with a message, and everything refuses counts beyond
 * 128 bits. Then a pruned job whose C(N,K) exceeds 2^64 (C(2000,10) ≈ 2.8e26)
 * on a construction whose optimum is known: ten rings of 199 points around a
 * centre point each, the rings 1000 apart; the optimum takes the ten centres
 * (each centre is its symmetric ring's best medoid, and a set without one
 * medoid per ring pays about 1000 for every point of the uncovered ring). Its
 * counts add up exactly (evaluated + pruned == total), with the matrix and
 * without it; a checkpoint of it round-trips its wide counts (bytes and a
 * file) and resumes. A
 * checkpoint in the format before wide counts (version 1: counts in 64 bits)
 * still loads and resumes; an unknown version is refused with a message.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include "brute.h"
#include "ekm/checkpoint.h"
#include "ekm/count.h"
#include "ekm/job.h"

/* hi * 2^64 + lo */
static ekm_count wide(uint64_t hi, uint64_t lo) { return (ekm_count)hi << 64 | lo; }

static const char *fmt(ekm_count c)
{
    static char buf[4][EKM_COUNT_DIGITS];
    static int next;
    char *b = buf[next++ % 4];
    return ekm_count_format(c, b, EKM_COUNT_DIGITS);
}

static void test_binomial_pascal(void **state)
{
    (void)state;
    /* every C(n,k) with n <= 131 fits 128 bits (C(131,65) ≈ 1.9e38 < 2^128 ≈ 3.4e38) */
    static ekm_count row[140];
    memset(row, 0, sizeof row);
    row[0] = 1;
    for (unsigned n = 0; n <= 131; n++) {
        for (unsigned k = 0; k <= n; k++) {
            int ov = -1;
            ekm_count c = ekm_count_binomial(n, k, &ov);
            if (ov || c != row[k])
                fail_msg("C(%u,%u) = %s (overflow %d), Pascal says %s", n, k, fmt(c), ov,
                         fmt(row[k]));
        }
        assert_true(ekm_count_binomial(n, n + 1, NULL) == 0);
        for (unsigned k = n + 1; k > 0; k--)
            row[k] += row[k - 1];
    }
    /* C(132,66) = 2 C(131,65) · 132/66 ... does not fit: 3.78e38 > 2^128 */
    int ov = 0;
    assert_true(ekm_count_binomial(132, 66, &ov) == 0);
    assert_int_equal(ov, 1);
    assert_true(ekm_count_binomial(132, 60, &ov) != 0); /* 1.5e38 fits */
    assert_int_equal(ov, 0);
}

static void test_binomial_known_values(void **state)
{
    (void)state;
    ekm_count v;
    int ov = -1;
    /* from Python's math.comb */
    assert_int_equal(ekm_count_parse("83320834041647916894999", &v), 0);
    assert_true(ekm_count_binomial(99999, 5, &ov) == v);
    assert_int_equal(ov, 0);
    assert_int_equal(ekm_count_parse("83325000291662500020000", &v), 0);
    assert_true(ekm_count_binomial(100000, 5, &ov) == v);
    assert_int_equal(ekm_count_parse("88822241108611263330000", &v), 0);
    assert_true(ekm_count_binomial(20000, 6, &ov) == v);
    assert_int_equal(ekm_count_parse("275898785946005613288829800", &v), 0);
    assert_true(ekm_count_binomial(2000, 10, &ov) == v);
    assert_true(v > UINT64_MAX);
    /* the 64-bit form: the same value where it fits, overflow where it does not */
    assert_int_equal(ekm_binomial(67, 33, &ov), 14226520737620288370ULL);
    assert_int_equal(ov, 0);
    assert_int_equal(ekm_binomial(99999, 5, &ov), 0);
    assert_int_equal(ov, 1);
    /* beyond 128 bits: refused, not wrapped */
    ov = 0;
    assert_true(ekm_count_binomial(4294967231ull, 64, &ov) == 0); /* C(2^32-65, 64) */
    assert_int_equal(ov, 1);
    ov = 0;
    assert_true(ekm_count_binomial(300, 40, &ov) == 0);
    assert_int_equal(ov, 1);
    /* C(n,1) and C(n,n-1) at the top of the range */
    assert_true(ekm_count_binomial(UINT64_MAX, 1, &ov) == UINT64_MAX);
    assert_true(ekm_count_binomial(UINT64_MAX, UINT64_MAX - 1, &ov) == UINT64_MAX);
    assert_int_equal(ov, 0);
    /* C(2^64-1, 2) = (2^64-1)(2^64-2)/2 = 2^127 - 3·2^63 + 1 */
    assert_true(ekm_count_binomial(UINT64_MAX, 2, &ov) ==
                ((ekm_count)1 << 127) - 3 * ((ekm_count)1 << 63) + 1);
    assert_int_equal(ov, 0);
}

static void test_format_and_parse(void **state)
{
    (void)state;
    char buf[EKM_COUNT_DIGITS];
    assert_string_equal(ekm_count_format(0, buf, sizeof buf), "0");
    assert_string_equal(ekm_count_format(7, buf, sizeof buf), "7");
    assert_string_equal(ekm_count_format(UINT64_MAX, buf, sizeof buf), "18446744073709551615");
    assert_string_equal(ekm_count_format(wide(1, 0), buf, sizeof buf), "18446744073709551616");
    assert_string_equal(ekm_count_format(EKM_COUNT_MAX, buf, sizeof buf),
                        "340282366920938463463374607431768211455");
    assert_int_equal(strlen(buf) + 1, EKM_COUNT_DIGITS); /* the buffer is just enough */
    /* too small a buffer: empty, never a truncated number */
    char small[5] = "xxxx";
    assert_string_equal(ekm_count_format(12345, small, sizeof small), "");
    assert_string_equal(ekm_count_format(1234, small, sizeof small), "1234");
    /* parse: the inverse of format, whole strings of digits only, no wrap */
    ekm_count v = 1;
    const ekm_count samples[] = {0, 1, 10, UINT64_MAX, wide(1, 0), wide(1, 1),
                                 ekm_count_binomial(100000, 5, NULL), EKM_COUNT_MAX - 1,
                                 EKM_COUNT_MAX};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        assert_int_equal(ekm_count_parse(ekm_count_format(samples[i], buf, sizeof buf), &v), 0);
        assert_true(v == samples[i]);
    }
    v = 5;
    const char *bad[] = {"", "-1", "+1", " 1", "1 ", "12a", "0x10",
                         "340282366920938463463374607431768211456", /* 2^128 */
                         "999999999999999999999999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ekm_count_parse(bad[i], &v) != -1)
            fail_msg("\"%s\" parsed", bad[i]);
    assert_true(v == 5); /* untouched on failure */
    assert_int_equal(ekm_count_parse(NULL, &v), -1);
}

static void test_plans(void **state)
{
    (void)state;
    ekm_plan_options po = {.strategy = EKM_STRATEGY_PRUNED, .threads = 2};
    ekm_plan *plan = NULL;
    ekm_error err;
    /* pruned: K=5 at N=99,999 is a plan with the exact wide total */
    assert_int_equal(ekm_plan_build(99999, 5, &po, &plan, &err), EKM_OK);
    assert_true(plan->total == ekm_count_binomial(99999, 5, NULL));
    assert_true(plan->stages[0].total == plan->total);
    assert_true(plan->critical_path == ekm_count_binomial(99997, 3, NULL)); /* prefix (0,1) */
    ekm_plan_free(plan);
    /* the enumerating strategies refuse it, naming the count and pruned */
    const ekm_strategy enumerating[] = {EKM_STRATEGY_SEQ,  EKM_STRATEGY_SPLIT, EKM_STRATEGY_PAR1,
                                        EKM_STRATEGY_PAR2, EKM_STRATEGY_TREE,  EKM_STRATEGY_FUSED};
    for (size_t i = 0; i < sizeof enumerating / sizeof enumerating[0]; i++) {
        po.strategy = enumerating[i];
        plan = NULL;
        ekm_error_clear(&err);
        assert_int_equal(ekm_plan_build(99999, 5, &po, &plan, &err), EKM_ERR_TOO_BIG);
        assert_null(plan);
        if (!strstr(err.message, "C(99999,5) = 83320834041647916894999 K-subsets do not fit in "
                                 "64 bits") ||
            !strstr(err.message, "pruned"))
            fail_msg("%s: \"%s\"", ekm_strategy_name(po.strategy), err.message);
    }
    /* beyond 128 bits: every exact strategy refuses; a heuristic still plans */
    po.strategy = EKM_STRATEGY_PRUNED;
    assert_int_equal(ekm_plan_build(300, 40, &po, &plan, &err), EKM_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "C(300,40) K-subsets do not fit in 128 bits"));
    assert_int_equal(ekm_plan_build(4294967231ull, 64, &po, &plan, &err), EKM_ERR_TOO_BIG);
    assert_non_null(strstr(err.message, "do not fit in 128 bits"));
    po.strategy = EKM_STRATEGY_FASTERPAM;
    assert_int_equal(ekm_plan_build(300, 40, &po, &plan, &err), EKM_OK);
    ekm_plan_free(plan);
}

/* ---- a pruned job over more than 2^64 K-subsets ----------------------------------- */

enum { RINGS = 10, RING = 199, PER = RING + 1, NPTS = RINGS * PER };

typedef struct rings {
    double x[NPTS * 2];
    long double optimum; /* the centres' cost, in long double */
    ekm_dataset *ds;
    ekm_dissim *mat, *lazy;
} rings;

static void rings_make(rings *r)
{
    const double pi = acos(-1.0);
    r->optimum = 0;
    for (int c = 0; c < RINGS; c++) {
        double cx = (c % 5) * 1000.0, cy = (c / 5) * 1000.0;
        double *p = &r->x[(size_t)c * PER * 2];
        p[0] = cx;
        p[1] = cy;
        for (int i = 0; i < RING; i++) {
            double a = 2 * pi * i / RING;
            p[2 + 2 * i] = cx + cos(a);
            p[3 + 2 * i] = cy + sin(a);
            long double dx = (long double)p[2 + 2 * i] - cx, dy = (long double)p[3 + 2 * i] - cy;
            r->optimum += sqrtl(dx * dx + dy * dy);
        }
    }
    assert_int_equal(ekm_dataset_from_points("rings", NPTS, 2, r->x, NULL, &r->ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(r->ds, EKM_METRIC_EUCLIDEAN, &r->mat, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset_lazy(r->ds, EKM_METRIC_EUCLIDEAN, &r->lazy, NULL),
                     EKM_OK);
}

static void rings_free(rings *r)
{
    ekm_dissim_release(r->mat);
    ekm_dissim_release(r->lazy);
    ekm_dataset_release(r->ds);
}

/* The result is the construction's optimum: the ten centres, their cost. */
static void check_answer(const ekm_result *res, const rings *r, const char *what)
{
    assert_int_equal(res->k, RINGS);
    for (unsigned c = 0; c < RINGS; c++)
        if (res->medoids[c] != c * PER)
            fail_msg("%s: medoid %u is point %u, not the centre %u", what, c, res->medoids[c],
                     c * PER);
    if (fabsl((long double)res->objective - r->optimum) > 1e-9L * r->optimum)
        fail_msg("%s: objective %.17g, the centres cost %.17Lg", what, res->objective,
                 r->optimum);
}

static void check_counts(const ekm_result *res, const char *what)
{
    ekm_count total = ekm_count_binomial(NPTS, RINGS, NULL);
    assert_true(total > UINT64_MAX);
    if (res->total != total || res->evaluated + res->pruned != total || res->evaluated == 0)
        fail_msg("%s: evaluated %s + pruned %s, total %s (C(N,K) = %s)", what,
                 fmt(res->evaluated), fmt(res->pruned), fmt(res->total), fmt(total));
    assert_int_equal(res->n_stages, 1);
    assert_true(res->stages[0].done == total);
    assert_true(res->stages[0].pruned == res->pruned);
}

static ekm_solve_options pruned_options(unsigned threads)
{
    ekm_solve_options o = ekm_solve_options_default();
    o.k = RINGS;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = threads;
    return o;
}

static void test_pruned_beyond_64_bits(void **state)
{
    (void)state;
    static rings r;
    rings_make(&r);
    for (int lazy = 0; lazy <= 1; lazy++)
        for (unsigned t = 1; t <= 2; t++) {
            char what[64];
            snprintf(what, sizeof what, "%s, %u thread%s", lazy ? "matrix-free" : "matrix", t,
                     t == 1 ? "" : "s");
            ekm_solve_options o = pruned_options(t);
            ekm_job *job = NULL;
            ekm_error err;
            if (ekm_job_start(lazy ? r.lazy : r.mat, &o, &job, &err))
                fail_msg("%s: %s", what, err.message);
            assert_int_equal(ekm_job_wait(job), EKM_OK);
            /* the final progress says the same as the result */
            ekm_progress p;
            ekm_job_progress(job, &p);
            const ekm_result *res = ekm_job_result(job);
            assert_non_null(res);
            assert_true(res->exact);
            check_answer(res, &r, what);
            check_counts(res, what);
            assert_true(p.total == res->total && p.done == p.total);
            assert_true(p.evaluated == res->evaluated && p.pruned == res->pruned);
            assert_true(p.resumed == 0);
            ekm_job_free(job);
        }
    rings_free(&r);
}

static void test_checkpoint_wide_counts(void **state)
{
    (void)state;
    static rings r;
    rings_make(&r);
    ekm_count total = ekm_count_binomial(NPTS, RINGS, NULL);
    ekm_solve_options o = pruned_options(2);
    o.root_only = 1;
    ekm_job *job = NULL;
    ekm_error err;
    assert_int_equal(ekm_job_start(r.mat, &o, &job, &err), EKM_OK);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_checkpoint *ck = NULL;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &err), EKM_OK);
    ekm_job_free(job);
    /* the root closed all but its children's subsets: C(N - children, K), > 2^64 */
    uint64_t units = ekm_checkpoint_units(ck);
    assert_true(units >= 1 && units <= NPTS - RINGS + 1);
    ekm_count lump = ekm_count_binomial(NPTS - units, RINGS, NULL);
    assert_true(lump > UINT64_MAX);
    assert_true(ekm_checkpoint_total(ck) == total);
    if (ekm_checkpoint_done(ck) != lump)
        fail_msg("checkpoint done %s, the root's lump C(%u,%u) = %s",
                 fmt(ekm_checkpoint_done(ck)), (unsigned)(NPTS - units), RINGS, fmt(lump));
    /* encode, decode: the counts exactly */
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal(ekm_checkpoint_encode(ck, &bytes, &len, &err), EKM_OK);
    ekm_checkpoint *back = NULL;
    assert_int_equal(ekm_checkpoint_decode(bytes, len, &back, &err), EKM_OK);
    free(bytes);
    assert_true(ekm_checkpoint_total(back) == total);
    assert_true(ekm_checkpoint_done(back) == lump);
    /* and through a file */
    char dir[] = "/tmp/ekm_wide_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/ck", dir);
    assert_int_equal(ekm_checkpoint_save(back, path, &err), EKM_OK);
    ekm_checkpoint *loaded = NULL;
    assert_int_equal(ekm_checkpoint_load(path, &loaded, &err), EKM_OK);
    assert_true(ekm_checkpoint_total(loaded) == total);
    assert_true(ekm_checkpoint_done(loaded) == lump);
    ekm_checkpoint_free(loaded);
    assert_int_equal(remove(path), 0);
    assert_int_equal(rmdir(dir), 0);
    ekm_checkpoint_free(ck);
    /* resume: the same answer, the counts add up, the resumed part is the lump */
    o = pruned_options(2);
    o.resume = back;
    assert_int_equal(ekm_job_start(r.mat, &o, &job, &err), EKM_OK);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_progress p;
    ekm_job_progress(job, &p);
    assert_true(p.resumed == lump);
    assert_true(p.done == total);
    const ekm_result *res = ekm_job_result(job);
    assert_non_null(res);
    check_answer(res, &r, "resumed");
    check_counts(res, "resumed");
    ekm_job_free(job);
    ekm_checkpoint_free(back);
    rings_free(&r);
}

/* ---- version 1 checkpoints ---------------------------------------------------------- */

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

typedef struct conv {
    const uint8_t *in;
    size_t at;
    uint8_t *out;
    size_t len;
} conv;

static uint64_t copy(conv *c, size_t n)
{
    uint64_t v = n <= 8 ? le(c->in + c->at, (int)n) : 0;
    memcpy(c->out + c->len, c->in + c->at, n);
    c->at += n;
    c->len += n;
    return v;
}

/* A 128-bit count to the 64 bits of version 1 (its high word must be 0). */
static void narrow(conv *c)
{
    assert_true(le(c->in + c->at + 8, 8) == 0);
    copy(c, 8);
    c->at += 8;
}

/* The bytes of a version 2 checkpoint in the layout of version 1 (the file
 * format's comment in checkpoint_file.c): the same fields, counts in 64 bits. */
static uint8_t *to_version1(const uint8_t *in, size_t len, size_t *out_len)
{
    conv c = {in, 0, malloc(len), 0};
    assert_non_null(c.out);
    copy(&c, 8);                      /* magic */
    assert_int_equal(le(in + 8, 4), 2);
    c.out[c.len] = 1;                 /* version */
    memset(c.out + c.len + 1, 0, 3);
    c.at += 4;
    c.len += 4;
    unsigned k = (unsigned)copy(&c, 4);
    copy(&c, 8 + 8 + 6 * 4 + 8);      /* fingerprint, n, metric..restarts, seed */
    narrow(&c);                       /* total */
    copy(&c, 8);                      /* seconds */
    uint32_t stages = (uint32_t)copy(&c, 4);
    for (uint32_t s = 0; s < stages; s++) {
        copy(&c, 16);                 /* kind, lo, mid, hi */
        narrow(&c);                   /* done */
        narrow(&c);                   /* pruned */
        uint64_t entries = copy(&c, 8);
        copy(&c, entries * (8 + 4 * (size_t)k));
    }
    uint64_t units = copy(&c, 8);
    copy(&c, (units + 7) / 8);
    if (copy(&c, 4)) {                /* the root */
        uint32_t n = (uint32_t)copy(&c, 4);
        copy(&c, 4);                  /* tasks */
        narrow(&c);                   /* lump */
        copy(&c, 4 * 8 + (size_t)n * (4 + 4 + 8));
    }
    uint32_t note = (uint32_t)copy(&c, 4);
    copy(&c, note);
    assert_int_equal(c.at + 8, len); /* only the checksum left */
    uint64_t h = fnv1a(c.out, c.len);
    for (int i = 0; i < 8; i++)
        c.out[c.len++] = (uint8_t)(h >> (8 * i));
    *out_len = c.len;
    return c.out;
}

static void test_version1_checkpoint_loads(void **state)
{
    (void)state;
    enum { N = 150 };
    static double x[N * 2];
    brute_random_points(x, N, 2, 6, 41); /* a grid: ties, several root children */
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_dataset_from_points("grid", N, 2, x, NULL, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_SQEUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    ekm_solve_options o = ekm_solve_options_default();
    o.k = 3;
    o.strategy = EKM_STRATEGY_PRUNED;
    o.threads = 2;
    ekm_result *ref;
    ekm_error err;
    assert_int_equal(ekm_solve(dm, &o, &ref, &err), EKM_OK);
    /* part of the work: the root and its first child */
    o.unit_lo = 0;
    o.unit_hi = 1;
    ekm_job *job;
    assert_int_equal(ekm_job_start(dm, &o, &job, &err), EKM_OK);
    assert_int_equal(ekm_job_wait(job), EKM_OK);
    ekm_checkpoint *ck;
    assert_int_equal(ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &err), EKM_OK);
    ekm_job_free(job);
    assert_true(ekm_checkpoint_done(ck) > 0);
    uint8_t *v2;
    size_t len2, len1;
    assert_int_equal(ekm_checkpoint_encode(ck, &v2, &len2, &err), EKM_OK);
    uint8_t *v1 = to_version1(v2, len2, &len1);
    assert_true(len1 < len2);
    ekm_checkpoint *old = NULL;
    if (ekm_checkpoint_decode(v1, len1, &old, &err))
        fail_msg("version 1 refused: %s", err.message);
    assert_true(ekm_checkpoint_total(old) == ekm_checkpoint_total(ck));
    assert_true(ekm_checkpoint_done(old) == ekm_checkpoint_done(ck));
    assert_int_equal(ekm_checkpoint_units(old), ekm_checkpoint_units(ck));
    assert_int_equal(ekm_checkpoint_units_done(old), ekm_checkpoint_units_done(ck));
    /* it resumes to the uninterrupted answer, the counts adding up */
    o.unit_lo = o.unit_hi = 0;
    o.resume = old;
    ekm_result *r;
    assert_int_equal(ekm_solve(dm, &o, &r, &err), EKM_OK);
    assert_memory_equal(r->medoids, ref->medoids, o.k * sizeof *r->medoids);
    assert_true(r->objective == ref->objective);
    assert_true(r->evaluated + r->pruned == r->total);
    assert_true(r->total == ekm_count_binomial(N, 3, NULL));
    ekm_result_free(r);
    /* an unknown version: refused with a message naming both */
    v2[8] = 3;
    uint64_t h = fnv1a(v2, len2 - 8);
    for (int i = 0; i < 8; i++)
        v2[len2 - 8 + (size_t)i] = (uint8_t)(h >> (8 * i));
    ekm_checkpoint *none = NULL;
    ekm_error_clear(&err);
    assert_int_equal(ekm_checkpoint_decode(v2, len2, &none, &err), EKM_ERR_PARSE);
    assert_null(none);
    assert_string_equal(err.message, "checkpoint version 3, this ekm reads versions 1 and 2");
    free(v1);
    free(v2);
    ekm_checkpoint_free(old);
    ekm_checkpoint_free(ck);
    ekm_result_free(ref);
    ekm_dissim_release(dm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binomial_pascal),
        cmocka_unit_test(test_binomial_known_values),
        cmocka_unit_test(test_format_and_parse),
        cmocka_unit_test(test_plans),
        cmocka_unit_test(test_pruned_beyond_64_bits),
        cmocka_unit_test(test_checkpoint_wide_counts),
        cmocka_unit_test(test_version1_checkpoint_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
