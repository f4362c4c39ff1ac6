/* test_repl.h — what the test_repl_* tests share.
 * The REPL without a terminal: splitting text into commands and words
 * (quotes, escapes, ';', newlines, comments), the command table (lookup, aliases,
 * "did you mean"), `set` of every setting and its errors, the data and job commands
 * on data/iris.csv (results checked against ekm_solve), completion candidates, the
 * prompt, the history file and the help file. */
#ifndef TEST_REPL_H
#define TEST_REPL_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <readline/history.h>

#include "brute.h"
#include "common/load_report.h"
#include "ekm/dataset.h"
#include "repl/repl.h"

#define IRIS EKM_SOURCE_DIR "/data/iris.csv"

#define assert_close(a, b, tol)                                                                \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!(fabs(a_ - b_) <= (tol)))                                                         \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                \
    } while (0)

/* ---- a session whose output is captured ---- */

typedef struct fixture {
    repl_session s;
    char *out, *err;
    size_t out_len, err_len;
    FILE *fout, *ferr;
} fixture;

static inline int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->fout = open_memstream(&f->out, &f->out_len);
    f->ferr = open_memstream(&f->err, &f->err_len);
    assert_non_null(f->fout);
    assert_non_null(f->ferr);
    repl_session_init(&f->s, f->fout, f->ferr, 0);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    repl_session_free(&f->s);
    fclose(f->fout);
    fclose(f->ferr);
    free(f->out);
    free(f->err);
    free(f);
    return 0;
}

/* Forget what was printed so far: new streams. */
static inline void clear_output(fixture *f)
{
    fclose(f->fout);
    fclose(f->ferr);
    free(f->out);
    free(f->err);
    f->out = f->err = NULL;
    f->fout = open_memstream(&f->out, &f->out_len);
    f->ferr = open_memstream(&f->err, &f->err_len);
    assert_non_null(f->fout);
    assert_non_null(f->ferr);
    f->s.out = f->fout;
    f->s.err = f->ferr;
}

static inline int run(fixture *f, const char *text)
{
    clear_output(f);
    int st = repl_execute(&f->s, text);
    fflush(f->fout);
    fflush(f->ferr);
    return st;
}

static inline void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay ? hay : "(null)");
}

/* Every line of text at most `cols` characters (UTF-8 sequences count once). */
static inline void assert_max_width(const char *text, int cols)
{
    int w = 0;
    const char *line = text;
    for (const char *p = text; p && *p; p++) {
        if (*p == '\n') {
            if (w > cols)
                fail_msg("a line of %d columns (at most %d): %.*s", w, cols, (int)(p - line), line);
            w = 0;
            line = p + 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            w++;
        }
    }
    if (w > cols)
        fail_msg("a last line of %d columns (at most %d): %s", w, cols, line);
}

/* ---- words and commands ---- */

static inline void next_ok(const char **p, repl_words *w, long *line, int argc, ...)
{
    char err[128];
    assert_int_equal(repl_next_command(p, w, line, err, sizeof err), 1);
    assert_int_equal(w->argc, argc);
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        assert_string_equal(w->argv[i], va_arg(ap, const char *));
    va_end(ap);
    assert_null(w->argv[argc]);
    repl_words_free(w);
}

#endif
