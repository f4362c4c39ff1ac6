/* test_bench_output.c — what the benchmark writes: the CSV schema, rows kept when
 * stopped, the table (golden), the report's sections, the AVX2 reference against
 * seq, the kernel figures. */
#include "test_bench.h"

/* Split a CSV line into fields (RFC 4180 quotes); returns the count. */
static int csv_fields(const char *line, char fields[][128], int max)
{
    int n = 0, q = 0;
    size_t len = 0;
    fields[0][0] = '\0';
    for (const char *p = line; *p && *p != '\n'; p++) {
        if (q) {
            if (*p == '"' && p[1] == '"')
                fields[n][len++] = '"', p++;
            else if (*p == '"')
                q = 0;
            else
                fields[n][len++] = *p;
        } else if (*p == '"') {
            q = 1;
        } else if (*p == ',') {
            fields[n][len] = '\0';
            if (++n >= max)
                return -1;
            len = 0;
        } else {
            fields[n][len++] = *p;
        }
        if (len >= 127)
            return -1;
    }
    fields[n][len] = '\0';
    return n + 1;
}

static void csv_schema(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    bench_results res = {0};
    char err[512];
    assert_int_equal(bench_run(&cfg, &res, NULL, NULL, NULL, err, sizeof err), 0);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    bench_csv_header(f);
    for (size_t i = 0; i < res.n; i++)
        bench_csv_row(f, &res.rows[i], "a \"quoted\", name");
    fclose(f);
    const char *want = "strategy,N,K,threads,repeat,seconds,evaluated,pruned,plan_bound,total,"
                       "plan_makespan,plan_speedup,rate,objective,medoids,dataset,cpu_seconds,load,"
                       "timing\n";
    assert_int_equal(bench_csv_column_count, 19);
    assert_true(strncmp(buf, want, strlen(want)) == 0);
    int lines = 0;
    char fields[32][128];
    for (char *line = strchr(buf, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        int nf = csv_fields(line, fields, 32);
        assert_int_equal(nf, bench_csv_column_count);
        ekm_strategy s;
        assert_int_equal(ekm_strategy_parse(fields[0], &s), 0);
        unsigned long n = strtoul(fields[1], NULL, 10);
        assert_true(n == 20 || n == 30);
        assert_string_equal(fields[2], "2");
        assert_true(!strcmp(fields[3], "1") || !strcmp(fields[3], "2"));
        assert_true(!strcmp(fields[4], "1") || !strcmp(fields[4], "2"));
        assert_true(strtod(fields[5], NULL) > 0);
        assert_int_equal(strtoull(fields[6], NULL, 10), n == 20 ? 190 : 435);
        assert_string_equal(fields[7], "0");
        assert_true(strtod(fields[8], NULL) >= 1.0);
        assert_int_equal(strtoull(fields[9], NULL, 10), n == 20 ? 190 : 435);
        assert_int_equal(strlen(fields[14]) > 2, 1); /* "i j" */
        assert_string_equal(fields[15], "a \"quoted\", name");
        assert_true(strtod(fields[16], NULL) >= 0);
        lines++;
    }
    assert_int_equal(lines, 20);
    free(buf);
    bench_results_free(&res);
}

static void stop_keeps_finished_rows(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    atomic_int stop;
    atomic_init(&stop, 0);
    /* N=20: 5 warm-ups, then 5 timed runs of round 1; stop after the 8th run */
    watch w = {.stop_after = 8, .stop = &stop, .monotone = 1};
    bench_results res = {0};
    char err[512];
    assert_int_equal(bench_run(&cfg, &res, &stop, on_status, &w, err, sizeof err), 0);
    assert_int_equal(res.interrupted, 1);
    assert_int_equal(res.n, 3);
    assert_int_equal(w.timed, 3);
    for (size_t i = 0; i < res.n; i++)
        assert_int_equal(res.rows[i].evaluated, 190);
    bench_results_free(&res);
    /* stopped before it starts: nothing runs */
    atomic_store(&stop, 1);
    assert_int_equal(bench_run(&cfg, &res, &stop, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(res.interrupted, 1);
    assert_int_equal(res.n, 0);
    bench_results_free(&res);
}

static void bad_grids(void **state)
{
    (void)state;
    bench_config cfg;
    tiny_config(&cfg);
    cfg.k = 25; /* > N=20 */
    bench_results res = {0};
    char err[512] = "";
    assert_int_equal(bench_run(&cfg, &res, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "K=25"));
    tiny_config(&cfg);
    cfg.strategies[0] = EKM_STRATEGY_TREE;
    cfg.partitions = 25; /* more leaves than points */
    assert_int_equal(bench_run(&cfg, &res, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "tree"));
    assert_int_equal(res.n, 0);
}

/* ---- the report ---- */

static void table_golden(void **state)
{
    (void)state;
    bench_table *t = bench_table_new(3);
    static const char *const names[] = {"strategy", "N", "time"};
    static const int right[] = {0, 1, 1};
    bench_table_header(t, names, right);
    bench_table_cell(t, "seq");
    bench_table_cell(t, "%d", 400);
    bench_table_cell(t, "1.5 µs");
    bench_table_cell(t, "fused");
    bench_table_cell(t, "%d", 50);
    bench_table_cell(t, "12 s");
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    bench_table_print(t, f, 0);
    bench_table_print(t, f, 1);
    fclose(f);
    assert_string_equal(buf, "strategy    N    time\n"
                             "---------------------\n"
                             "seq       400  1.5 µs\n"
                             "fused      50    12 s\n"
                             "| strategy |   N |   time |\n"
                             "| -------- | --: | -----: |\n"
                             "| seq      | 400 | 1.5 µs |\n"
                             "| fused    |  50 |   12 s |\n");
    free(buf);
    bench_table_free(t);
    char b[32];
    assert_string_equal(bench_format_seconds(0.000812, b, sizeof b), "812 µs");
    assert_string_equal(bench_format_seconds(0.0123, b, sizeof b), "12.3 ms");
    assert_string_equal(bench_format_seconds(1.234, b, sizeof b), "1.23 s");
    assert_string_equal(bench_format_seconds(0.0009996, b, sizeof b), "1 ms");
    assert_string_equal(bench_format_seconds(1234.4, b, sizeof b), "1234 s");
    bench_format_duration(3723, b, sizeof b);
    assert_string_equal(b, "1:02:03");
    bench_format_duration(125, b, sizeof b);
    assert_string_equal(b, "2:05");
    bench_scaling_path("out/curves.png", b, sizeof b);
    assert_string_equal(b, "out/curves-scaling.png");
    bench_scaling_path("a.d/curves", b, sizeof b);
    assert_string_equal(b, "a.d/curves-scaling");
}

static void report_sections(void **state)
{
    (void)state;
    /* synthetic rows with known timings: seq t = 1e-11·N^4, fused T=2 twice as fast */
    bench_config cfg;
    bench_config_default(&cfg);
    cfg.k = 3;
    cfg.n_ns = 3;
    cfg.ns[0] = 100;
    cfg.ns[1] = 200;
    cfg.ns[2] = 400;
    cfg.strategies[0] = EKM_STRATEGY_SEQ;
    cfg.strategies[1] = EKM_STRATEGY_FUSED;
    cfg.n_strategies = 2;
    bench_results res = {0};
    snprintf(res.dataset, sizeof res.dataset, "synthetic");
    for (int i = 0; i < 3; i++) {
        double n = (double)cfg.ns[i], t = 1e-11 * n * n * n * n;
        uint64_t c = ekm_binomial(cfg.ns[i], 3, NULL);
        bench_row r = {.strategy = EKM_STRATEGY_SEQ, .n = cfg.ns[i], .k = 3, .threads = 1,
                       .repeat = 1, .seconds = t, .evaluated = c, .total = c, .plan_bound = 1,
                       .plan_makespan = (double)c};
        bench_results_add(&res, &r);
        r.strategy = EKM_STRATEGY_FUSED;
        bench_results_add(&res, &r);
        r.threads = 2;
        r.seconds = t / 2;
        r.plan_makespan = (double)c / 2;
        bench_results_add(&res, &r);
    }
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    bench_report_options o = {.markdown = 1, .predict_n = 800, .cores = 2};
    bench_report(f, &cfg, &res, &o);
    fclose(f);
    assert_non_null(strstr(buf, "### ekm bench: synthetic, K=3, 2 cores"));
    assert_non_null(strstr(buf, "|   N | seq T=1 | fused T=1 | fused T=2 |"));
    assert_non_null(strstr(buf, "| 100 |    1 ms |      1 ms |    500 µs |"));
    /* the power law recovers p = 4 exactly; t(800) = 1e-11·800^4 = 4.096 s */
    assert_non_null(strstr(buf, "| 1e-11 | 4.000 | 1.0000 |      601 ms |      4.1 s |"));
    /* eqs. 19-20 for fused T=2 against seq: 50 %, 2× */
    assert_non_null(strstr(buf, "+50.0 %"));
    assert_non_null(strstr(buf, "2.00×"));
    /* scaling: speedup 2 on 2 threads, p = 1 */
    assert_non_null(strstr(buf, "Thread scaling"));
    assert_non_null(strstr(buf, "| 1.000 |"));
    free(buf);
    bench_results_free(&res);
}

/* ---- the AVX2 reference ---- */

static void avx2_reference_matches_seq(void **state)
{
    (void)state;
    ekm_dataset *ds;
    ekm_dissim *dm;
    assert_int_equal(ekm_generate(EKM_GEN_UNIFORM, 37, 2, 1, 5, &ds, NULL), EKM_OK);
    assert_int_equal(ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, NULL), EKM_OK);
    ekm_dataset_release(ds);
    for (unsigned k = 1; k <= 4; k++) {
        ekm_solve_options opt = ekm_solve_options_default();
        opt.k = k;
        opt.threads = 1;
        ekm_result *r;
        assert_int_equal(ekm_solve(dm, &opt, &r, NULL), EKM_OK);
        for (unsigned t = 1; t <= 2; t++) {
            bench_ref_result ref;
            int rc = bench_avx2_reference(dm, k, t, &ref);
            if (!bench_avx2_available()) {
                assert_int_equal(rc, -1); /* refuses cleanly without AVX2 */
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(ref.subsets, ekm_binomial(37, k, NULL));
            assert_true(fabs(ref.best - r->objective) <= 1e-5 * r->objective);
            /* the same optimal set (the float sums here have no near-ties) */
            uint32_t sorted[EKM_MAX_K];
            memcpy(sorted, ref.best_set, k * sizeof *sorted);
            for (unsigned i = 0; i < k; i++)
                assert_int_equal(sorted[i], r->medoids[i]);
        }
        ekm_result_free(r);
    }
    ekm_dissim_release(dm);
}

static void kernel_figures_small(void **state)
{
    (void)state;
    if (!bench_avx2_available()) {
        bench_kernel_options o;
        bench_kernel_options_default(&o);
        char err[256];
        assert_int_equal(bench_kernel_run(stdout, &o, NULL, err, sizeof err), -1);
        return;
    }
    bench_kernel_options o;
    bench_kernel_options_default(&o);
    o.n = 40;
    o.n_scaling = 40;
    o.repeat = 1;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    char err[256];
    assert_int_equal(bench_kernel_run(f, &o, NULL, err, sizeof err), 0);
    fclose(f);
    assert_non_null(strstr(buf, "seq (ekm)"));
    assert_non_null(strstr(buf, "AVX2 reference"));
    assert_non_null(strstr(buf, ": agree."));
    assert_non_null(strstr(buf, "fused 2 threads / 1 thread"));
    for (const char *s = "split\0par1\0par2\0tree\0"; *s; s += strlen(s) + 1)
        assert_non_null(strstr(buf, s));
    assert_non_null(strstr(buf, "All within 10 %"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_schema),
        cmocka_unit_test(stop_keeps_finished_rows),
        cmocka_unit_test(bad_grids),
        cmocka_unit_test(table_golden),
        cmocka_unit_test(report_sections),
        cmocka_unit_test(avx2_reference_matches_seq),
        cmocka_unit_test(kernel_figures_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
