/* outfile.c — see outfile.h. */
#define _GNU_SOURCE
#include "common/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ protected inputs */

enum { PROTECT_MAX = 64 };
static struct {
    dev_t dev;
    ino_t ino;
} protected_files[PROTECT_MAX];
static size_t n_protected, next_protected;
static pthread_mutex_t protect_lock = PTHREAD_MUTEX_INITIALIZER;

void outfile_protect(const char *path)
{
    struct stat st;
    if (!path || !*path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    pthread_mutex_lock(&protect_lock);
    int known = 0;
    for (size_t i = 0; i < n_protected && !known; i++)
        known = protected_files[i].dev == st.st_dev && protected_files[i].ino == st.st_ino;
    if (!known) { /* the oldest forgotten past PROTECT_MAX */
        protected_files[next_protected].dev = st.st_dev;
        protected_files[next_protected].ino = st.st_ino;
        next_protected = (next_protected + 1) % PROTECT_MAX;
        if (n_protected < PROTECT_MAX)
            n_protected++;
    }
    pthread_mutex_unlock(&protect_lock);
}

int outfile_is_protected(const char *path)
{
    struct stat st;
    if (!path || !*path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    int hit = 0;
    pthread_mutex_lock(&protect_lock);
    for (size_t i = 0; i < n_protected && !hit; i++)
        hit = protected_files[i].dev == st.st_dev && protected_files[i].ino == st.st_ino;
    pthread_mutex_unlock(&protect_lock);
    return hit;
}

/* ------------------------------------------------------------ the stream */

/* stdio's buffer drains through here, so the first error keeps its errno whatever
 * the caller checks (fprintf's return values are rarely looked at). */
static ssize_t cookie_write(void *c, const char *buf, size_t size)
{
    outfile *o = c;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(o->fd, buf + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!o->errnum)
                o->errnum = w < 0 ? errno : ENOSPC;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static int cookie_close(void *c)
{
    outfile *o = c;
    int rc = close(o->fd);
    if (rc && !o->errnum && errno != EINTR)
        o->errnum = errno;
    o->fd = -1;
    return rc;
}

static void set_err(char *err, size_t errsize, const char *path, const char *what, int e)
{
    if (err && errsize)
        snprintf(err, errsize, "%s: %s%s%s", path, what, what[0] ? ": " : "", strerror(e));
}

static void clear(outfile *o)
{
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
    o->fd = -1;
}

/* Remove DIR/.BASE.tmp.PID.N files left by writers that were killed (PID no
 * longer running): a save that was interrupted leaves nothing behind for long. */
static void remove_stale(const char *path, size_t dirlen, const char *base)
{
    char *dirname = dirlen ? strndup(path, dirlen) : strdup(".");
    char *prefix = NULL;
    if (!dirname || asprintf(&prefix, ".%s.tmp.", base) < 0) {
        free(dirname);
        return;
    }
    DIR *d = opendir(dirname);
    size_t plen = strlen(prefix);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, plen))
            continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (end == e->d_name + plen || *end != '.' || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its writer may still be at work */
        unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
    free(prefix);
    free(dirname);
}

/* A temporary name next to path: DIR/.BASE.tmp.PID.N (the checkpoint writer's
 * leftovers use a different pattern), created exclusively. */
static int make_temp(outfile *o, const char *path, mode_t keep_mode, int keep)
{
    static atomic_uint counter;
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t cap = strlen(path) + 64;
    char *tmp = malloc(cap);
    if (!tmp)
        return -1;
    remove_stale(path, dirlen, base);
    int short_name = 0;
    for (int tries = 0; tries < 100; tries++) {
        /* a name near the length limit gets a short temporary name instead */
        snprintf(tmp, cap, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path, short_name ? "ekm" : base,
                 (long)getpid(), atomic_fetch_add(&counter, 1u));
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0 && errno == ENAMETOOLONG && !short_name) {
            short_name = 1;
            continue;
        }
        if (fd < 0) {
            int e = errno;
            free(tmp);
            errno = e;
            return -1;
        }
        if (keep)
            (void)fchmod(fd, keep_mode & 07777); /* the replaced file's permissions */
        o->fd = fd;
        o->tmp = tmp;
        return 0;
    }
    free(tmp);
    errno = EEXIST;
    return -1;
}

static int open_file(outfile *o, const char *path, int stream, char *err, size_t errsize)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    if (!path || !*path) {
        set_err(err, errsize, "(no name)", "cannot write", ENOENT);
        return -1;
    }
    if (outfile_is_protected(path)) {
        if (err && errsize)
            snprintf(err, errsize, "%s: is an input of this run; refusing to write over it",
                     path);
        return -1;
    }
    struct stat lst, st;
    char *target = NULL;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        target = realpath(path, NULL); /* replace the file the link names, not the link */
    if (!target)
        target = strdup(path);
    if (!target) {
        set_err(err, errsize, path, "cannot write", ENOMEM);
        return -1;
    }
    o->path = target;
    int exists = stat(target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        set_err(err, errsize, path, "cannot write", EISDIR);
        clear(o);
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode)) { /* a device or a FIFO: in place */
        o->fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (o->fd < 0) {
            set_err(err, errsize, path, "cannot write", errno);
            clear(o);
            return -1;
        }
    } else if (stream && !exists &&
               (o->fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                             0666)) >= 0) {
        o->created = 1; /* new: grows under its own name */
    } else if (stream && !exists && errno != EEXIST) {
        set_err(err, errsize, path, "cannot write", errno);
        clear(o);
        return -1;
    } else if (make_temp(o, target, exists ? st.st_mode : 0, exists) != 0) {
        int e = errno;
        /* no room for a temporary file next to a file we may write (a directory we
         * cannot write to): write the file itself, errors still reported */
        if (exists && (e == EACCES || e == EPERM) && access(target, W_OK) == 0)
            o->fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
        if (o->fd < 0) {
            set_err(err, errsize, path, "cannot write", e);
            clear(o);
            return -1;
        }
    }
    cookie_io_functions_t io = {.write = cookie_write, .close = cookie_close};
    o->f = fopencookie(o, "w", io);
    if (!o->f) {
        int e = errno;
        close(o->fd);
        if (o->tmp || o->created)
            unlink(o->tmp ? o->tmp : o->path);
        set_err(err, errsize, path, "cannot write", e);
        clear(o);
        return -1;
    }
    return 0;
}

int outfile_open(outfile *o, const char *path, char *err, size_t errsize)
{
    return open_file(o, path, 0, err, errsize);
}

int outfile_open_stream(outfile *o, const char *path, char *err, size_t errsize)
{
    return open_file(o, path, 1, err, errsize);
}

int outfile_failed(outfile *o) { return o->errnum != 0 || (o->f && ferror(o->f)); }

void outfile_abort(outfile *o)
{
    if (o->f)
        fclose(o->f);
    else if (o->fd >= 0)
        close(o->fd);
    if (o->tmp || o->created)
        unlink(o->tmp ? o->tmp : o->path);
    clear(o);
}

int outfile_commit(outfile *o, char *err, size_t errsize)
{
    if (!o->f) {
        set_err(err, errsize, o->path ? o->path : "(no file)", "write failed", EBADF);
        clear(o);
        return -1;
    }
    if (fflush(o->f) != 0 && !o->errnum)
        o->errnum = errno ? errno : EIO;
    if (ferror(o->f) && !o->errnum)
        o->errnum = EIO;
    /* the data on disk before the name moves (some file systems report a full disk
     * only here) */
    if (!o->errnum && (o->tmp || o->created) && fsync(o->fd) != 0)
        o->errnum = errno;
    if (fclose(o->f) != 0 && !o->errnum)
        o->errnum = errno ? errno : EIO;
    o->f = NULL;
    o->fd = -1;
    if (!o->errnum && o->tmp && rename(o->tmp, o->path) != 0)
        o->errnum = errno;
    if (o->errnum) {
        if (o->tmp || o->created) /* no partial file left behind */
            unlink(o->tmp ? o->tmp : o->path);
        set_err(err, errsize, o->path, "write failed", o->errnum);
        clear(o);
        return -1;
    }
    clear(o);
    return 0;
}
