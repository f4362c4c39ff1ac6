/* test_bench_truth.c — figures that tell the truth: the one rule that judges a
 * measured speedup (speedup_check), bench's tables flagging recorded speedups
 * above the plan's bound (fed as CSV rows, as `ekm bench --csv` writes them),
 * and weak scaling: the N sequence of --weak and the Gustafson fit on recorded
 * rows, checked against arithmetic done here. No timing is measured. */
#include "test_bench.h"

#include "common/speedup_check.h"

/* ---- the rule ---- */

static void judge_rule(void **state)
{
    (void)state;
    speedup_sample s;
    speedup_sample_init(&s);
    s.threads = 2;
    s.bound = 1.1425; /* par1, K=3 */
    s.cores = 2;
    s.seconds = 10;
    s.base_seconds = 11;
    s.speedup = 1.10;
    assert_int_equal(speedup_judge(&s), 0);
    assert_true(fabs(speedup_limit(&s) - 1.1425) < 1e-12);
    s.speedup = 1.1425 * 1.049; /* within the tolerance */
    assert_int_equal(speedup_judge(&s), 0);
    s.speedup = 1.66; /* what a busy machine showed */
    assert_int_equal(speedup_judge(&s), SPEEDUP_ABOVE_BOUND);
    char buf[160];
    assert_string_equal(speedup_reason(&s, speedup_judge(&s), buf, sizeof buf),
                        "above bound 1.14x: timing noise");
    s.base_load = 7.5; /* seq measured while the machine was busy */
    assert_int_equal(speedup_judge(&s), SPEEDUP_ABOVE_BOUND | SPEEDUP_BUSY);
    s.base_cpu_wall = 0.5; /* and it had half a core */
    assert_int_equal(speedup_judge(&s), SPEEDUP_ABOVE_BOUND | SPEEDUP_BUSY | SPEEDUP_CPU_LOW);
    assert_string_equal(speedup_reason(&s, speedup_judge(&s), buf, sizeof buf),
                        "above bound 1.14x: busy (load 7.5), cpu/wall<T");
    assert_string_equal(speedup_mark(speedup_judge(&s)), "!");
    /* the run sped up more than the CPU it had */
    speedup_sample_init(&s);
    s.threads = 4;
    s.bound = 4;
    s.cores = 8;
    s.seconds = s.base_seconds = 5;
    s.speedup = 3.0;
    s.cpu_wall = 3.5;
    assert_int_equal(speedup_judge(&s), 0);
    /* split on one thread: its bound is 1.00, so 1.44x is flagged */
    speedup_sample_init(&s);
    s.threads = 1;
    s.bound = 1;
    s.speedup = 1.44;
    s.seconds = 2;
    s.base_seconds = 2.88;
    assert_int_equal(speedup_judge(&s), SPEEDUP_ABOVE_BOUND);
    /* the cores cap it: fused on 8 threads of a 2-core machine */
    s.threads = 8;
    s.bound = 8;
    s.cores = 2;
    s.speedup = 2.5;
    assert_true(speedup_limit(&s) == 2);
    assert_int_equal(speedup_judge(&s), SPEEDUP_ABOVE_BOUND);
    /* too short to time: marked even when plausible */
    s.speedup = 1.5;
    s.seconds = 0.1;
    assert_int_equal(speedup_judge(&s), SPEEDUP_TOO_SHORT);
    assert_string_equal(speedup_mark(SPEEDUP_TOO_SHORT), "~");
    assert_string_equal(speedup_reason(&s, SPEEDUP_TOO_SHORT, buf, sizeof buf),
                        "too short to time");
    s.seconds = 2;
    s.base_seconds = 0.2;
    assert_int_equal(speedup_judge(&s), SPEEDUP_TOO_SHORT);
}

/* The plan's bound is min(T, total / critical path) everywhere. */
static void bound_is_min_of_threads_and_path(void **state)
{
    (void)state;
    struct {
        ekm_strategy s;
        unsigned t;
        double want;
    } cases[] = {
        {EKM_STRATEGY_SEQ, 4, 1},
        {EKM_STRATEGY_SPLIT, 1, 1},
        {EKM_STRATEGY_SPLIT, 4, 1},
        {EKM_STRATEGY_PAR1, 1, 1},
        {EKM_STRATEGY_PAR1, 2, 85013600.0 / (85013600.0 - 10586800.0)},
        {EKM_STRATEGY_FUSED, 1, 1},
        {EKM_STRATEGY_FUSED, 4, 4},
        {EKM_STRATEGY_PRUNED, 8, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ekm_plan_options po = {.strategy = cases[i].s, .threads = cases[i].t};
        ekm_plan *p;
        assert_int_equal(ekm_plan_build(800, 3, &po, &p, NULL), EKM_OK);
        assert_true(fabs(p->amdahl_bound - cases[i].want) < 1e-12);
        assert_true(p->predicted_speedup <= p->amdahl_bound + 1e-12);
        ekm_plan_free(p);
    }
}

/* ---- recorded rows, written and read back as CSV ---- */

static void add_row(bench_results *res, ekm_strategy s, size_t n, unsigned t, double seconds,
                    double cpu, double load)
{
    ekm_plan_options po = {.strategy = s, .threads = t};
    ekm_plan *p;
    assert_int_equal(ekm_plan_build(n, 3, &po, &p, NULL), EKM_OK);
    bench_row r = {.strategy = s, .n = n, .k = 3, .threads = t, .repeat = 1,
                   .seconds = seconds, .evaluated = p->total, .total = p->total,
                   .plan_bound = p->amdahl_bound, .plan_makespan = p->makespan,
                   .objective = 1, .cpu_seconds = cpu, .load = load};
    snprintf(r.medoids, sizeof r.medoids, "0 1 2");
    ekm_plan_free(p);
    assert_int_equal(bench_results_add(res, &r), 0);
}

/* Write res as `bench --csv` does and read it back. */
static void through_csv(bench_results *res, bench_config *cfg, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/ekm-truth-%ld-%s.csv", (long)getpid(), name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    bench_csv_header(f);
    for (size_t i = 0; i < res->n; i++)
        bench_csv_row(f, &res->rows[i], "recorded");
    assert_int_equal(fclose(f), 0);
    bench_results_free(res);
    char err[256];
    assert_int_equal(bench_csv_read(path, cfg, res, err, sizeof err), 0);
    unlink(path);
}

static char *report(const bench_config *cfg, const bench_results *res)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    bench_report_options o = {.cores = 2};
    bench_report(f, cfg, res, &o);
    fclose(f);
    return buf;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "%s\n", hay); /* whole: a failure message is cut */
        fail_msg("expected \"%s\" in the report above", needle);
    }
}

/* seq at 20 s on a busy machine with 0.6 of a core; par1 at 1.66x on 2 threads
 * (bound 1.14x), fused at 1.9x (fine), par2 at 2.43x (above 2 cores). */
static void report_flags_speedups_above_the_bound(void **state)
{
    (void)state;
    bench_results res = {0};
    add_row(&res, EKM_STRATEGY_SEQ, 800, 1, 20, 12, 9.5);
    add_row(&res, EKM_STRATEGY_PAR1, 800, 1, 20, 19.9, 1.5);
    add_row(&res, EKM_STRATEGY_PAR1, 800, 2, 20 / 1.66, 23, 1.6);
    add_row(&res, EKM_STRATEGY_PAR2, 800, 1, 20, 19.9, 1.5);
    add_row(&res, EKM_STRATEGY_PAR2, 800, 2, 20 / 2.43, 16, 1.6);
    add_row(&res, EKM_STRATEGY_FUSED, 800, 1, 20, 19.9, 1.5);
    add_row(&res, EKM_STRATEGY_FUSED, 800, 2, 20 / 1.9, 38, 1.6);
    bench_config cfg;
    through_csv(&res, &cfg, "above");
    assert_int_equal(res.n, 7);
    assert_true(res.rows[0].load == 9.5);
    assert_int_equal(cfg.weak, 0);
    char *out = report(&cfg, &res);
    /* against seq (eqs. 19-20) */
    assert_has(out, "1.66×!  above bound 1.14x: busy (load 9.5), cpu/wall<T");
    assert_has(out, "2.43×!  above bound 1.16x: busy (load 9.5), cpu/wall<T");
    assert_has(out, "1.90×  ok");
    assert_has(out, "! above the plan's bound");
    /* thread scaling, against each strategy's own T=1 (no busy baseline there):
     * par1 and par2 still above their bounds, fused fine */
    assert_has(out, "1.66×!       83 %!         1.14×  0.795      1.66×         1.80×  above "
                    "bound 1.14x: timing noise\n");
    assert_has(out, "2.43×!      122 %!         1.14×  1.177      2.00×         2.00×  above "
                    "bound 1.16x: cpu/wall<T\n");
    assert_has(out, "1.90×        95 %         2.00×  0.947      1.90×         1.95×  ok\n");
    assert_has(out, "a p above 1 comes from such speedups");
    free(out);
    bench_results_free(&res);
}

/* ---- weak scaling ---- */

static double work(size_t n, unsigned k)
{
    /* C(n,k)·n in exact integers (small n) */
    unsigned long long c = 1;
    for (unsigned i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return (double)c * (double)n;
}

static void weak_sizes(void **state)
{
    (void)state;
    unsigned t[] = {1, 2, 4, 8};
    size_t got[4];
    char err[128];
    for (unsigned k = 2; k <= 4; k++)
        for (size_t n1 = 20; n1 <= 200; n1 += 45) {
            assert_int_equal(bench_weak_sizes(n1, k, t, 4, got, err, sizeof err), 0);
            assert_int_equal(got[0], n1);
            for (int i = 0; i < 4; i++) {
                double target = t[i] * work(n1, k);
                /* nearest: no other N is closer */
                for (size_t m = n1; m < got[i] + 20; m++)
                    assert_true(fabs(work(got[i], k) - target) <= fabs(work(m, k) - target));
            }
        }
    /* by hand: K=2, N_1=60: W = C(60,2)·60 = 106200; T=2: 212400 lies between
     * W(75) = 207750 and W(76) = 216600, nearer 76; T=4: 424800 lies between
     * W(95) = 424650 and W(96) = 437760 */
    assert_int_equal(bench_weak_sizes(60, 2, t, 4, got, err, sizeof err), 0);
    assert_int_equal(got[1], 76);
    assert_int_equal(got[2], 95);
    assert_int_equal(bench_weak_sizes(1, 2, t, 4, got, err, sizeof err), -1);
}

/* Rows of a weak run (fused: scaled speedup 1.8 on 2 threads, 3.4 on 4), fed as
 * CSV: read back as weak, and s = Σ(T-S)(T-1)/Σ(T-1)² = (0.2 + 0.6·3)/(1 + 9) = 0.2. */
static void weak_fit_from_csv(void **state)
{
    (void)state;
    unsigned t[] = {1, 2, 4};
    size_t ns[3];
    char err[128];
    assert_int_equal(bench_weak_sizes(200, 3, t, 3, ns, err, sizeof err), 0);
    const double t1 = 4.0, s_want[3] = {1, 1.8, 3.4};
    bench_results res = {0};
    add_row(&res, EKM_STRATEGY_SEQ, ns[0], 1, t1, t1, 0.5);
    for (int i = 0; i < 3; i++) {
        double ratio = bench_weak_work(ns[i], 3) / bench_weak_work(ns[0], 3);
        double secs = ratio * t1 / s_want[i];
        add_row(&res, EKM_STRATEGY_FUSED, ns[i], t[i], secs, secs * s_want[i] / ratio * t[i],
                0.5);
    }
    bench_config cfg;
    through_csv(&res, &cfg, "weak");
    assert_int_equal(cfg.weak, 1);
    assert_int_equal(cfg.n_ns, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(cfg.ns[i], ns[i]);
    bench_cell *cells;
    int nc = bench_cells(&res, &cfg, &cells);
    assert_true(nc == 4);
    bench_weak_point pts[8];
    int m = bench_weak_series(cells, nc, EKM_STRATEGY_FUSED, 8, pts, 8);
    assert_int_equal(m, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pts[i].threads, t[i]);
        assert_true(fabs(pts[i].scaled_speedup - s_want[i]) < 1e-6);
        assert_int_equal(pts[i].flags, 0);
    }
    double serial;
    assert_int_equal(bench_weak_fit(pts, m, &serial), 0);
    assert_true(fabs(serial - 0.2) < 1e-6);
    assert_int_equal(bench_weak_fit(pts, 1, &serial), -1); /* only T=1 */
    free(cells);
    char *out = report(&cfg, &res);
    assert_has(out, "Weak scaling (Gustafson)");
    char line[160];
    snprintf(line, sizeof line, "T=1 N=%zu, T=2 N=%zu, T=4 N=%zu.", ns[0], ns[1], ns[2]);
    assert_has(out, line);
    assert_has(out, "fused                 0.200         0.800");
    assert_has(out, "3.40×");
    free(out);
    bench_results_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(judge_rule),
        cmocka_unit_test(bound_is_min_of_threads_and_path),
        cmocka_unit_test(report_flags_speedups_above_the_bound),
        cmocka_unit_test(weak_sizes),
        cmocka_unit_test(weak_fit_from_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
