/* help_file.c — finding and reading the help texts. */
#include "common/help_file.h"

#include "common/data_dir.h"

#include <stdio.h>
#include <stdlib.h>

char *help_file_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len + 1 < cap)
            break;
        char *more = realloc(buf, cap * 2);
        if (!more) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed || len == 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

char *help_file_load(const char *name)
{
    char dirs[3][4096], path[4096 + 256];
    size_t n = data_dir_candidates(dirs, 3);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/help/%s", dirs[i], name);
        char *text = help_file_read(path);
        if (text)
            return text;
    }
    return NULL;
}
