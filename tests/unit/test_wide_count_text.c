/* test_wide_count_text.c — the front ends' text of K-subset counts beyond 64
 * bits: thousands separators exact to 2^128 - 1 (and a rounded form, never a
 * cut number, in a buffer too small), JSON integers exact, and the progress
 * line of a stage of C(99999,5) sets showing its exact done/total. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/json.h"
#include "common/load_report.h"
#include "common/progress_text.h"

static void test_format_count(void **state)
{
    (void)state;
    char buf[COUNT_TEXT_MAX];
    assert_string_equal(format_count(buf, sizeof buf, 0), "0");
    assert_string_equal(format_count(buf, sizeof buf, 999), "999");
    assert_string_equal(format_count(buf, sizeof buf, 1000), "1,000");
    assert_string_equal(format_count(buf, sizeof buf, UINT64_MAX), "18,446,744,073,709,551,615");
    assert_string_equal(format_count(buf, sizeof buf, (ekm_count)UINT64_MAX + 1),
                        "18,446,744,073,709,551,616");
    assert_string_equal(format_count(buf, sizeof buf, EKM_COUNT_MAX),
                        "340,282,366,920,938,463,463,374,607,431,768,211,455");
    assert_string_equal(format_count(buf, sizeof buf, ekm_count_binomial(99999, 5, NULL)),
                        "83,320,834,041,647,916,894,999");
    /* too small for the digits: rounded, not cut */
    char small[12];
    assert_string_equal(format_count(small, sizeof small, ekm_count_binomial(99999, 5, NULL)),
                        "8.332e+22");
    assert_string_equal(format_count(small, sizeof small, 1234567), "1,234,567");
}

static void test_json_count(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    json_writer w;
    json_begin(&w, f);
    json_object_open(&w, NULL);
    json_count(&w, "zero", 0);
    json_count(&w, "two64", (ekm_count)UINT64_MAX + 1);
    json_count(&w, "max", EKM_COUNT_MAX);
    json_object_close(&w);
    json_end(&w);
    fclose(f);
    assert_string_equal(text, "{\"zero\":0,\"two64\":18446744073709551616,"
                              "\"max\":340282366920938463463374607431768211455}\n");
    free(text);
}

static void test_progress_line(void **state)
{
    (void)state;
    ekm_stage_progress sp;
    memset(&sp, 0, sizeof sp);
    sp.spec.kind = EKM_STAGE_SHARED;
    sp.spec.lo = 0;
    sp.spec.mid = sp.spec.hi = 99999;
    sp.spec.total = ekm_count_binomial(99999, 5, NULL);
    sp.spec.parent = sp.spec.child[0] = sp.spec.child[1] = -1;
    sp.done = sp.spec.total / 2 + 1;
    sp.pruned = sp.done - 7;
    sp.state = EKM_RUN_RUNNING;
    sp.thread = -1;
    sp.start = 0;
    sp.end = -1;
    char line[512];
    progress_stage_line(&sp, 1.0, line, sizeof line, 10, 0);
    if (!strstr(line, " 41660417020823958447500/83320834041647916894999 "))
        fail_msg("%s", line);
    assert_non_null(strstr(line, " 50.0%"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_count),
        cmocka_unit_test(test_json_count),
        cmocka_unit_test(test_progress_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
