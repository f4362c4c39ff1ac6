/* test_repl_parse.c — the REPL's parsing: words and quotes, command splitting,
 * unterminated quotes, the command table and aliases, suggestions. */
#include "test_repl.h"

static void test_words_and_quotes(void **state)
{
    (void)state;
    const char *p = "load 'my data.csv'  --metric \"man\\\"hat\\\\tan\" a\\ b ''";
    repl_words w;
    next_ok(&p, &w, NULL, 6, "load", "my data.csv", "--metric", "man\"hat\\tan", "a b", "");
    char err[128];
    assert_int_equal(repl_next_command(&p, &w, NULL, err, sizeof err), 0);
    /* quotes glue to their word; a # inside a word or quotes is kept */
    p = "set k'3' x#y '#z'";
    next_ok(&p, &w, NULL, 4, "set", "k3", "x#y", "#z");
}

static void test_commands_split_on_semicolons_newlines_and_comments(void **state)
{
    (void)state;
    const char *p = "a b; c\n# a comment; not a command\n  d 'x;y' # trailing\n;;\n\n e;";
    long line = 1;
    repl_words w;
    next_ok(&p, &w, &line, 2, "a", "b");
    assert_int_equal(line, 1);
    next_ok(&p, &w, &line, 1, "c");
    assert_int_equal(line, 1);
    next_ok(&p, &w, &line, 2, "d", "x;y");
    assert_int_equal(line, 3);
    next_ok(&p, &w, &line, 1, "e");
    assert_int_equal(line, 6);
    char err[128];
    assert_int_equal(repl_next_command(&p, &w, &line, err, sizeof err), 0);
    assert_int_equal(w.argc, 0);
}

static void test_unterminated_quote_skips_its_line(void **state)
{
    (void)state;
    const char *p = "load 'oops; set k 3\nshow";
    long line = 1;
    repl_words w;
    char err[128] = "";
    assert_int_equal(repl_next_command(&p, &w, &line, err, sizeof err), -1);
    assert_string_equal(err, "unterminated ' quote");
    assert_int_equal(w.argc, 0);
    assert_null(w.argv);
    next_ok(&p, &w, &line, 1, "show");
    assert_int_equal(line, 2);
    p = "x \"abc";
    assert_int_equal(repl_next_command(&p, &w, NULL, err, sizeof err), -1);
    assert_string_equal(err, "unterminated \" quote");
}

static void test_table_lookup_and_aliases(void **state)
{
    (void)state;
    int count = 0;
    for (const repl_command *c = repl_commands; c->name; c++, count++) {
        assert_ptr_equal(repl_find(c->name), c);
        assert_non_null(c->synopsis);
        assert_non_null(c->summary);
        assert_non_null(c->run);
        assert_int_equal(strncmp(c->synopsis, c->name, strlen(c->name)), 0);
        for (const repl_command *d = c + 1; d->name; d++)
            assert_string_not_equal(c->name, d->name);
    }
    const char *required[] = {"load", "gen",    "info",   "set",     "show", "run",
                              "status", "wait", "cancel", "result",  "save", "compare",
                              "history", "help", "quit",  "plot",    "tui",  "bench",
                              "explain", "resume"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        assert_non_null(repl_find(required[i]));
    assert_true(count >= 20);
    assert_string_equal(repl_find("exit")->name, "quit");
    assert_string_equal(repl_find("?")->name, "help");
    assert_null(repl_find("lod"));
    assert_null(repl_find("LOAD"));
    assert_null(repl_find(""));
}

static void test_suggestions(void **state)
{
    (void)state;
    assert_string_equal(repl_suggest("lod"), "load");
    assert_string_equal(repl_suggest("laod"), "load");
    assert_string_equal(repl_suggest("hstory"), "history");
    assert_string_equal(repl_suggest("hist"), "history"); /* the only command it starts */
    assert_string_equal(repl_suggest("comapre"), "compare");
    assert_string_equal(repl_suggest("stauts"), "status");
    assert_null(repl_suggest("xyzzy"));
    assert_null(repl_suggest("re")); /* result, resume: ambiguous */
}

static void test_unknown_command_says_one_line_and_goes_on(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "lod x; set k 5"), REPL_USAGE);
    assert_string_equal(f->err, "ekm: unknown command 'lod' (did you mean 'load'?)\n");
    assert_int_equal(f->s.ws.settings.solve.k, 5); /* the next command ran */
    assert_int_equal(f->s.status, REPL_USAGE);
    assert_int_equal(run(f, "frobnicate"), REPL_USAGE);
    assert_string_equal(f->err, "ekm: unknown command 'frobnicate'; 'help' lists the commands\n");
    /* in a script the line number is given */
    f->s.line = 7;
    assert_int_equal(run(f, "lod"), REPL_USAGE);
    assert_string_equal(f->err, "ekm: line 7: unknown command 'lod' (did you mean 'load'?)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_quotes),
        cmocka_unit_test(test_commands_split_on_semicolons_newlines_and_comments),
        cmocka_unit_test(test_unterminated_quote_skips_its_line),
        cmocka_unit_test(test_table_lookup_and_aliases),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test_setup_teardown(test_unknown_command_says_one_line_and_goes_on, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
