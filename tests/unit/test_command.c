/* test_command.c — the command model (ui/command): a table entry's own options
 * are parsed into a->own (values, flags, the last one given, errors for a missing
 * or unwanted value), the shared ones into the settings, positionals counted;
 * --help prints the generated help instead of running; the strategy and metric
 * names are the engine's; the batch and prompt tables are well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "command/command.h"
#include "ekm/ekm.h"
#include "repl/repl.h"

/* What the test command's run saw. */
static struct {
    int runs;
    unsigned k, threads;
    int npos;
    char pos0[64];
    char own_out[64], own_flag[64], own_list[64]; /* "(null)": not given */
    int given_k;
} seen;

static int test_run(const command_args *a)
{
    seen.runs++;
    seen.k = a->settings->solve.k;
    seen.threads = a->settings->solve.threads;
    seen.npos = a->npos;
    snprintf(seen.pos0, sizeof seen.pos0, "%s", a->npos ? a->pos[0] : "");
    const char *v;
    snprintf(seen.own_out, sizeof seen.own_out, "%s",
             (v = command_own(a, "--picture")) ? v : "(null)");
    snprintf(seen.own_flag, sizeof seen.own_flag, "%s",
             (v = command_own(a, "--dry")) ? v : "(null)");
    snprintf(seen.own_list, sizeof seen.own_list, "%s",
             (v = command_own(a, "--sizes")) ? v : "(null)");
    seen.given_k = command_given(a, "--k");
    fprintf(a->out, "ran\n");
    return COMMAND_OK;
}

static const command_option test_options[] = {
    {"--picture", "-P", "FILE", COMMAND_VALUE_OUTFILE, "the picture", NULL},
    {"--dry", NULL, NULL, COMMAND_VALUE_NONE, "do nothing\nreally nothing", NULL},
    {"--sizes", NULL, "LIST", COMMAND_VALUE_LIST, "sizes", NULL},
    {NULL, NULL, NULL, COMMAND_VALUE_NONE, NULL, NULL},
};

static const ui_command test_cmd = {
    .name = "try",
    .synopsis = "try FILE [options]",
    .summary = "a test",
    .help = "usage: ekm try FILE\n\noptions:\n",
    .groups = OPT_SOLVE,
    .options = test_options,
    .max_pos = 1,
    .pos_kind = COMMAND_VALUE_FILE,
    .flags = COMMAND_ALL_THREADS,
    .run = test_run,
};

/* Run test_cmd on the words of `line` (split at spaces); the output in buf. */
static int dispatch(const char *line, char *buf, size_t size)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", line);
    char *argv[32];
    int argc = 0;
    for (char *w = strtok(copy, " "); w && argc < 31; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    memset(&seen, 0, sizeof seen);
    FILE *out = fmemopen(buf, size, "w");
    assert_non_null(out);
    int rc = command_dispatch(&test_cmd, argc, argv, out, NULL);
    fclose(out);
    return rc;
}

static void test_parses_own_and_shared_options(void **state)
{
    (void)state;
    char buf[4096];
    assert_int_equal(
        dispatch("try data.csv -k 4 --picture a.png --dry --sizes=1,2", buf, sizeof buf),
        COMMAND_OK);
    assert_int_equal(seen.runs, 1);
    assert_int_equal(seen.k, 4);
    assert_int_equal(seen.threads, 0); /* COMMAND_ALL_THREADS */
    assert_int_equal(seen.npos, 1);
    assert_string_equal(seen.pos0, "data.csv");
    assert_string_equal(seen.own_out, "a.png");
    assert_string_equal(seen.own_flag, "");
    assert_string_equal(seen.own_list, "1,2");
    assert_int_equal(seen.given_k, 1);
    assert_string_equal(buf, "ran\n");
    /* the last value wins; an alias works; absent options are NULL */
    assert_int_equal(dispatch("try -P a.png data.csv -P b.png", buf, sizeof buf), COMMAND_OK);
    assert_string_equal(seen.own_out, "b.png");
    assert_string_equal(seen.own_flag, "(null)");
    assert_string_equal(seen.own_list, "(null)");
    assert_int_equal(seen.given_k, 0);
    /* after --, an option's name is a positional */
    assert_int_equal(dispatch("try -- --dry", buf, sizeof buf), COMMAND_OK);
    assert_string_equal(seen.pos0, "--dry");
    assert_string_equal(seen.own_flag, "(null)");
}

static void test_refuses_bad_words(void **state)
{
    (void)state;
    char buf[4096];
    assert_int_equal(dispatch("try x --picture", buf, sizeof buf), COMMAND_USAGE);
    assert_int_equal(dispatch("try x --dry=1", buf, sizeof buf), COMMAND_USAGE);
    assert_int_equal(dispatch("try x --nosuch", buf, sizeof buf), COMMAND_USAGE);
    assert_int_equal(dispatch("try x --out y.csv", buf, sizeof buf),
                     COMMAND_USAGE);                                       /* not OPT_SOLVE */
    assert_int_equal(dispatch("try x y", buf, sizeof buf), COMMAND_USAGE); /* one positional */
    assert_int_equal(dispatch("try x -k 0", buf, sizeof buf), COMMAND_USAGE);
    assert_int_equal(seen.runs, 0);
}

static void test_help_is_generated(void **state)
{
    (void)state;
    char buf[8192];
    assert_int_equal(dispatch("try x -k 3 --help", buf, sizeof buf), COMMAND_OK);
    assert_int_equal(seen.runs, 0);
    assert_non_null(strstr(buf, "usage: ekm try FILE\n\noptions:\n"));
    assert_non_null(strstr(buf, "  -P, --picture FILE         the picture\n"));
    /* a help line continued under its column */
    assert_non_null(strstr(buf, "  --dry                      do nothing\n"
                                "                             really nothing\n"));
    /* then the shared options of the groups */
    assert_non_null(strstr(buf, "  -s, --strategy S"));
    assert_null(strstr(buf, "--metric"));
    assert_true(strstr(buf, "--sizes") < strstr(buf, "--strategy"));
}

static void test_names_are_the_engines(void **state)
{
    (void)state;
    int n = 0, exact = 0;
    for (; command_strategy_names[n]; n++) {
        assert_string_equal(command_strategy_names[n], ekm_strategy_name((ekm_strategy)n));
        if (ekm_strategy_is_exact((ekm_strategy)n)) {
            assert_string_equal(command_exact_strategy_names[exact], command_strategy_names[n]);
            exact++;
        }
    }
    assert_int_equal(n, EKM_STRATEGY_COUNT);
    assert_null(command_exact_strategy_names[exact]);
    for (int m = 0; command_metric_names[m]; m++) {
        ekm_metric metric;
        assert_int_equal(ekm_metric_parse(command_metric_names[m], &metric), 0);
        assert_string_equal(ekm_metric_name(metric), command_metric_names[m]);
    }
}

static void check_table(const ui_command *table, int prompt)
{
    int count = 0;
    for (const ui_command *c = table; c->name; c++, count++) {
        assert_ptr_equal(command_find(table, c->name), c);
        assert_non_null(c->synopsis);
        assert_non_null(c->summary);
        assert_non_null(c->run);
        assert_int_equal(strncmp(c->synopsis, c->name, strlen(c->name)), 0);
        assert_true(c->max_pos <= 8);
        int own = 0;
        for (const command_option *o = c->options; o && o->name; o++, own++) {
            assert_int_equal(strncmp(o->name, "--", 2), 0);
            assert_true((o->arg == NULL) == (o->kind == COMMAND_VALUE_NONE));
        }
        assert_true(own <= COMMAND_MAX_OWN);
        if (!prompt) {
            assert_non_null(c->help);
            assert_int_equal(strncmp(c->help, "usage: ekm ", 11), 0);
        }
    }
    assert_true(count >= 10);
}

static void test_tables_are_well_formed(void **state)
{
    (void)state;
    check_table(cli_commands, 0);
    check_table(repl_commands, 1);
    assert_string_equal(command_suggest(cli_commands, "slove", 0), "solve");
    assert_null(command_suggest(cli_commands, "xyzzy", 0));
}

static void test_man_and_completion_cover_the_table(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    assert_non_null(out);
    command_write_man(out, cli_commands, repl_commands, "test");
    fclose(out);
    for (const ui_command *c = cli_commands; c->name; c++) {
        char want[96], roff[64];
        size_t o = 0;
        for (const char *p = c->name; *p && o + 3 < sizeof roff; p++) {
            if (*p == '-')
                roff[o++] = '\\';
            roff[o++] = *p;
        }
        roff[o] = '\0';
        snprintf(want, sizeof want, "\n.SS %s\n", roff);
        assert_non_null(strstr(buf, want));
    }
    free(buf);
    buf = NULL;
    out = open_memstream(&buf, &size);
    assert_int_equal(command_write_completion(out, cli_commands, "bash"), 0);
    assert_int_equal(command_write_completion(out, cli_commands, "fish"), -1);
    fclose(out);
    for (const ui_command *c = cli_commands; c->name; c++) {
        char want[64];
        snprintf(want, sizeof want, "\n    %s)\n", c->name);
        assert_non_null(strstr(buf, want));
    }
    assert_non_null(strstr(buf, "complete -o filenames -F _ekm ekm\n"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_own_and_shared_options),
        cmocka_unit_test(test_refuses_bad_words),
        cmocka_unit_test(test_help_is_generated),
        cmocka_unit_test(test_names_are_the_engines),
        cmocka_unit_test(test_tables_are_well_formed),
        cmocka_unit_test(test_man_and_completion_cover_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
