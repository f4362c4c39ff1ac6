/* test_outfile.c — the checked writer every user file goes through: the file appears
 * whole or not at all, an existing file survives a failed write untouched, no
 * temporary file is left behind, every failure (a full device, a file size limit, a
 * directory, a missing directory, a protected input) is an error with its reason. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/outfile.h"
#include "repl/repl.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ekm_outfile_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *in_dir(const char *name)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The names in dir, sorted, joined by spaces. */
static char *listing(void)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    char *out = calloc(1, 4096);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (out[0])
                strcat(out, " ");
            strcat(out, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return out;
}

static void expect_listing(const char *want)
{
    char *got = listing();
    assert_string_equal(got, want);
    free(got);
}

static void no_temporary_files(void)
{
    char *got = listing();
    assert_null(strstr(got, ".tmp."));
    free(got);
}

static void test_new_and_replaced(void **state)
{
    (void)state;
    char err[512];
    outfile o;
    assert_int_equal(outfile_open(&o, in_dir("a.csv"), err, sizeof err), 0);
    assert_non_null(o.tmp); /* a regular file goes through a temporary file */
    fprintf(o.f, "x,y\n1,2\n");
    assert_int_equal(access(in_dir("a.csv"), F_OK), -1); /* not there before the commit */
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    char *t = slurp(in_dir("a.csv"));
    assert_string_equal(t, "x,y\n1,2\n");
    free(t);
    expect_listing("a.csv");
    /* replaced whole, its permissions kept */
    assert_int_equal(chmod(in_dir("a.csv"), 0640), 0);
    assert_int_equal(outfile_open(&o, in_dir("a.csv"), err, sizeof err), 0);
    fprintf(o.f, "new\n");
    t = slurp(in_dir("a.csv"));
    assert_string_equal(t, "x,y\n1,2\n"); /* the old file stays until the commit */
    free(t);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    t = slurp(in_dir("a.csv"));
    assert_string_equal(t, "new\n");
    free(t);
    struct stat st;
    assert_int_equal(stat(in_dir("a.csv"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    expect_listing("a.csv");
    /* abort: the old file as it was, nothing left over */
    assert_int_equal(outfile_open(&o, in_dir("a.csv"), err, sizeof err), 0);
    fprintf(o.f, "half");
    outfile_abort(&o);
    t = slurp(in_dir("a.csv"));
    assert_string_equal(t, "new\n");
    free(t);
    expect_listing("a.csv");
    unlink(in_dir("a.csv"));
}

static void test_full_device(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        fail_msg("/dev/full is not writable here");
    char err[512];
    outfile o;
    assert_int_equal(outfile_open(&o, "/dev/full", err, sizeof err), 0);
    assert_null(o.tmp); /* a device is written in place */
    fprintf(o.f, "a line\n");
    assert_int_equal(outfile_commit(&o, err, sizeof err), -1);
    assert_string_equal(err, "/dev/full: write failed: No space left on device");
    /* a large write fails during the writing, reported the same way */
    assert_int_equal(outfile_open(&o, "/dev/full", err, sizeof err), 0);
    for (int i = 0; i < 100000; i++)
        fprintf(o.f, "%d\n", i);
    assert_true(outfile_failed(&o));
    assert_int_equal(outfile_commit(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, "No space left on device"));
}

/* A regular file that cannot grow (RLIMIT_FSIZE: EFBIG, as a full disk gives
 * ENOSPC): the error names the reason, the old file is intact, no temporary file. */
static void test_file_cannot_grow(void **state)
{
    (void)state;
    put(in_dir("keep.csv"), "precious\n");
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4096;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    char err[512];
    outfile o;
    int opened = outfile_open(&o, in_dir("keep.csv"), err, sizeof err);
    for (int i = 0; opened == 0 && i < 10000; i++)
        fprintf(o.f, "row %d\n", i);
    int rc = opened == 0 ? outfile_commit(&o, err, sizeof err) : 0;
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(opened, 0);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "keep.csv: write failed: File too large"));
    char *t = slurp(in_dir("keep.csv"));
    assert_string_equal(t, "precious\n");
    free(t);
    expect_listing("keep.csv");
    unlink(in_dir("keep.csv"));
}

static void test_refused(void **state)
{
    (void)state;
    char err[512];
    outfile o;
    /* a directory */
    assert_int_equal(outfile_open(&o, dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "Is a directory"));
    /* a directory that does not exist */
    assert_int_equal(outfile_open(&o, in_dir("no/such/x.png"), err, sizeof err), -1);
    assert_non_null(strstr(err, "no/such/x.png: cannot write: No such file or directory"));
    /* a protected input, by its name or through a link to it */
    put(in_dir("data.csv"), "1,2\n3,4\n");
    outfile_protect(in_dir("data.csv"));
    assert_int_equal(outfile_open(&o, in_dir("data.csv"), err, sizeof err), -1);
    assert_non_null(strstr(err, "data.csv: is an input of this run; refusing to write over it"));
    assert_int_equal(symlink(in_dir("data.csv"), in_dir("link.csv")), 0);
    assert_int_equal(outfile_open(&o, in_dir("link.csv"), err, sizeof err), -1);
    char *t = slurp(in_dir("data.csv"));
    assert_string_equal(t, "1,2\n3,4\n");
    free(t);
    assert_true(outfile_is_protected(in_dir("link.csv")));
    assert_false(outfile_is_protected(in_dir("other.csv")));
    expect_listing("data.csv link.csv");
    unlink(in_dir("link.csv"));
}

/* Through a symbolic link the file it names is replaced; the link stays a link. */
static void test_symlink_kept(void **state)
{
    (void)state;
    put(in_dir("real.csv"), "old\n");
    assert_int_equal(symlink("real.csv", in_dir("ln.csv")), 0);
    char err[512];
    outfile o;
    assert_int_equal(outfile_open(&o, in_dir("ln.csv"), err, sizeof err), 0);
    fputs("new\n", o.f);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(lstat(in_dir("ln.csv"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char *t = slurp(in_dir("real.csv"));
    assert_string_equal(t, "new\n");
    free(t);
    expect_listing("data.csv ln.csv real.csv");
}

/* Streamed output (bench rows): a new file grows under its own name and is removed
 * if a write fails; an existing file is still replaced only whole. */
static void test_stream(void **state)
{
    (void)state;
    char err[512];
    outfile o;
    assert_int_equal(outfile_open_stream(&o, in_dir("rows.csv"), err, sizeof err), 0);
    assert_null(o.tmp);
    fputs("a,b\n", o.f);
    fflush(o.f);
    char *t = slurp(in_dir("rows.csv"));
    assert_string_equal(t, "a,b\n"); /* readable while it grows */
    free(t);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    /* an existing file: through a temporary file */
    assert_int_equal(outfile_open_stream(&o, in_dir("rows.csv"), err, sizeof err), 0);
    assert_non_null(o.tmp);
    fputs("c,d\n", o.f);
    outfile_abort(&o);
    t = slurp(in_dir("rows.csv"));
    assert_string_equal(t, "a,b\n");
    free(t);
    no_temporary_files();
    unlink(in_dir("rows.csv"));
    /* a new file that cannot grow: removed, the reason reported */
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4096;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int opened = outfile_open_stream(&o, in_dir("big.csv"), err, sizeof err);
    for (int i = 0; opened == 0 && i < 10000; i++) {
        fprintf(o.f, "row %d\n", i);
        fflush(o.f);
    }
    int rc = opened == 0 ? outfile_commit(&o, err, sizeof err) : 0;
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(opened, 0);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "big.csv: write failed: File too large"));
    assert_int_equal(access(in_dir("big.csv"), F_OK), -1);
    no_temporary_files();
}

/* Temporary files of killed writers (their process gone) go at the next write of the
 * same file; those of a live process stay. */
static void test_stale_removed(void **state)
{
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    char dead[128], alive[128], other[128];
    snprintf(dead, sizeof dead, ".pic.png.tmp.%ld.3", (long)child);
    snprintf(alive, sizeof alive, ".pic.png.tmp.%ld.0", (long)getppid());
    snprintf(other, sizeof other, ".other.png.tmp.%ld.0", (long)child); /* not pic.png's */
    put(in_dir(dead), "half a picture");
    put(in_dir(alive), "being written");
    put(in_dir(other), "another file's");
    char err[512];
    outfile o;
    assert_int_equal(outfile_open(&o, in_dir("pic.png"), err, sizeof err), 0);
    fputs("png", o.f);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    assert_int_equal(access(in_dir(dead), F_OK), -1);
    assert_int_equal(access(in_dir(alive), F_OK), 0);
    assert_int_equal(access(in_dir(other), F_OK), 0);
    unlink(in_dir(alive));
    unlink(in_dir(other));
    unlink(in_dir("pic.png"));
}

/* A name at the length limit still gets written (a short temporary name). */
static void test_long_name(void **state)
{
    (void)state;
    char name[256];
    memset(name, 'n', 251);
    memcpy(name + 251, ".csv", 5); /* 255 bytes: NAME_MAX */
    char err[512];
    outfile o;
    assert_int_equal(outfile_open(&o, in_dir(name), err, sizeof err), 0);
    fputs("long\n", o.f);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    char *t = slurp(in_dir(name));
    assert_string_equal(t, "long\n");
    free(t);
    no_temporary_files();
    unlink(in_dir(name));
}

/* The REPL's history file: a failed append or rewrite returns its reason (the
 * session says so once instead of losing lines silently). */
static void test_history_errors(void **state)
{
    (void)state;
    assert_int_equal(repl_history_add("run", "/dev/full"), ENOSPC);
    assert_int_not_equal(repl_history_add("status", in_dir("no/such/history")), 0);
    put(in_dir("history"), ""); /* repl_history_open creates it */
    assert_int_equal(repl_history_add("wait", in_dir("history")), 0);
    char *t = slurp(in_dir("history"));
    assert_non_null(t);
    assert_non_null(strstr(t, "wait"));
    free(t);
    assert_int_equal(repl_history_close(in_dir("history")), 0);
    assert_int_not_equal(repl_history_close(in_dir("no/such/history")), 0);
    unlink(in_dir("history"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_replaced),
        cmocka_unit_test(test_full_device),
        cmocka_unit_test(test_file_cannot_grow),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_symlink_kept),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_stale_removed),
        cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_history_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
