/* data_dir.c — finding share/ekm at run time (see data_dir.h). */
#include "common/data_dir.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int set_dir(char *dst, const char *src)
{
    int n = snprintf(dst, 4096, "%s", src);
    return n > 0 && n < 4096;
}

/* ../share/ekm relative to the folder of the running program, or 0. */
static int exe_relative(char *dst)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (size_t)n >= sizeof exe - 1)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0'; /* the bin folder */
    char *up = strrchr(exe, '/');
    if (!up)
        return 0;
    up[1] = '\0'; /* the prefix, with its slash ("/" for a program in /bin) */
    int len = snprintf(dst, 4096, "%sshare/ekm", exe);
    return len > 0 && len < 4096;
}

size_t data_dir_candidates(char dirs[][4096], size_t max)
{
    size_t n = 0;
    const char *env = getenv("EKM_DATADIR");
    if (!env || !*env)
        env = getenv("EKM_ASSETS_DIR");
    if (n < max && env && *env && set_dir(dirs[n], env))
        n++;
    if (n < max && exe_relative(dirs[n]))
        n++;
#ifdef EKM_ASSETS_DIR
    if (n < max && set_dir(dirs[n], EKM_ASSETS_DIR))
        n++;
#endif
    return n;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char found[4096];

static void find_once(void)
{
    char dirs[3][4096];
    size_t n = data_dir_candidates(dirs, 3);
    for (size_t i = 0; i < n; i++) {
        char help[4096 + 8];
        struct stat st;
        snprintf(help, sizeof help, "%s/help", dirs[i]);
        if (stat(help, &st) == 0 && S_ISDIR(st.st_mode)) {
            memcpy(found, dirs[i], sizeof found);
            return;
        }
    }
    if (n)
        memcpy(found, dirs[n - 1], sizeof found);
}

const char *data_dir(void)
{
    pthread_once(&once, find_once);
    return found;
}
