/* repl_history.c — the prompt's history, kept across sessions in
 * $XDG_STATE_HOME/ekm/history (folders 0700, file 0600), appended line by line so a
 * crash loses nothing and several sessions can share it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>

#include "repl/repl.h"

enum { HISTORY_KEEP = 1000 };

int repl_history_path(const char *xdg_state_home, const char *home, char *buf, size_t size)
{
    int len;
    if (xdg_state_home && xdg_state_home[0] == '/') /* the spec: relative paths are ignored */
        len = snprintf(buf, size, "%s/ekm/history", xdg_state_home);
    else if (home && home[0])
        len = snprintf(buf, size, "%s/.local/state/ekm/history", home);
    else
        return -1;
    return len > 0 && (size_t)len < size ? 0 : -1;
}

/* mkdir -p of the folder holding `path`, new folders 0700. */
static int make_parent_dirs(const char *path, char *err, size_t errsize)
{
    char dir[1024];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
        snprintf(err, errsize, "history path too long");
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(dir, 0700) && errno != EEXIST) {
                snprintf(err, errsize, "%s: cannot create: %s", dir, strerror(errno));
                return -1;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

int repl_history_open(const char *path, char *err, size_t errsize)
{
    if (make_parent_dirs(path, err, errsize))
        return -1;
    /* without blocking: a FIFO with no writer (or reader) would hang the start-up */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                  0600);
    if (fd < 0 && errno == ENXIO) { /* a FIFO nobody reads */
        snprintf(err, errsize, "%s is not a regular file", path);
        return -1;
    }
    if (fd < 0) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    if (!regular) {
        snprintf(err, errsize, "%s is not a regular file", path);
        return -1;
    }
    using_history();
    read_history(path);
    return 0;
}

int repl_history_add(const char *line, const char *path)
{
    if (!line[0])
        return 0;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && last->line && !strcmp(last->line, line))
        return 0;
    add_history(line);
    return path ? append_history(1, path) : 0; /* readline returns an errno */
}

int repl_history_close(const char *path)
{
    return path ? history_truncate_file(path, HISTORY_KEEP) : 0;
}
