/* tui_load.c — the load prompt: "FILE [options]" (the data options of the REPL's
 * load: --label-column last, --metric manhattan, --standardize mad, ...), with Tab
 * completing the file name. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/class_hint.h"
#include "common/load_report.h"
#include "tui/tui_internal.h"

enum { MAX_WORDS = 32 };

/* Split text into words at blanks; '...' and "..." quote (a path with spaces).
 * The words are written into buf. Returns the count, or -1 (message in err). */
static int split_words(const char *text, char *buf, size_t size, char **words, char *err,
                       size_t errsize)
{
    int n = 0;
    size_t o = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return n;
        if (n == MAX_WORDS) {
            snprintf(err, errsize, "too many words");
            return -1;
        }
        words[n++] = buf + o;
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '\'' || *p == '"') {
                char q = *p++;
                while (*p && *p != q) {
                    if (o + 1 < size)
                        buf[o++] = *p;
                    p++;
                }
                if (!*p) {
                    snprintf(err, errsize, "a quote (%c) is not closed", q);
                    return -1;
                }
                p++;
            } else {
                if (o + 1 < size)
                    buf[o++] = *p;
                p++;
            }
        }
        buf[o++] = '\0'; /* o < size: the copy above stops one short */
    }
}

/* Expand a leading "~/" with $HOME. */
static void expand_home(const char *in, char *out, size_t size)
{
    const char *home = getenv("HOME");
    if (in[0] == '~' && in[1] == '/' && home && *home)
        snprintf(out, size, "%s%s", home, in + 1);
    else
        snprintf(out, size, "%s", in);
}

void tui_load_finish(tui_app *a)
{
    char buf[2048], path[2048], err[1024];
    char *words[MAX_WORDS + 1];
    words[0] = (char *)(uintptr_t) "load";
    int n = split_words(a->text, buf, sizeof buf, words + 1, err, sizeof err);
    if (n < 0) {
        tui_app_status(a, 1, "load: %s", err);
        return;
    }
    if (n == 0) {
        tui_app_status(a, 0, "nothing loaded");
        return;
    }
    ui_settings next = a->ws->settings;
    next.dissim_file[0] = '\0'; /* a matrix file is for this load only */
    const char *pos[1];
    int npos;
    if (settings_parse_argv(&next, OPT_DATA, n + 1, words, 1, pos, 1, &npos, err, sizeof err)) {
        tui_app_status(a, 1, "load: %s", err);
        return;
    }
    if (npos == 0 && !next.dissim_file[0]) {
        tui_app_status(a, 1, "load: which file? FILE [options]");
        return;
    }
    expand_home(npos ? pos[0] : next.dissim_file, path, sizeof path);
    ui_settings old = a->ws->settings;
    a->ws->settings = next;
    int rc = workspace_load(a->ws, path, err, sizeof err);
    a->ws->settings.dissim_file[0] = '\0';
    if (rc) {
        a->ws->settings = old;
        tui_app_status(a, 1, "%s", err);
        return;
    }
    if (!ekm_dissim_dataset(a->ws->dm))
        a->ws->settings.metric = old.metric; /* a matrix has no metric of ours */
    a->data_gen++;
    char name[256];
    workspace_data_name(a->ws, name, sizeof name);
    ekm_dataset *ds = ekm_dissim_dataset(a->ws->dm);
    tui_app_status(a, 0, "loaded %s: %zu points%s", name, ekm_dissim_n(a->ws->dm),
                   ds ? "" : " (a dissimilarity matrix)");
    if (ds) {
        ekm_standardize how = ekm_dataset_standardization(ds);
        snprintf(a->status + strlen(a->status), sizeof a->status - strlen(a->status),
                 ", %zu dimension%s%s%s", ekm_dataset_d(ds), ekm_dataset_d(ds) == 1 ? "" : "s",
                 how ? ", standardized by " : "", how ? ekm_standardize_name(how) : "");
        if (dataset_class_hint(a->ws->dm, &a->ws->settings, err, sizeof err))
            tui_app_status(a, 0, "%s", err);
    }
}

void tui_load_complete(tui_app *a)
{
    size_t len = strlen(a->text);
    size_t start = len; /* the last word: the one being typed */
    while (start > 0 && a->text[start - 1] != ' ')
        start--;
    const char *word = a->text + start;
    if (word[0] == '-')
        return; /* an option, not a file */
    char typed[1024], dir[1100];
    expand_home(word, typed, sizeof typed);
    const char *slash = strrchr(typed, '/');
    const char *base = slash ? slash + 1 : typed;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - typed + 1), typed);
    else
        snprintf(dir, sizeof dir, ".");
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t blen = strlen(base), common = 0;
    int matches = 0, is_dir = 0;
    char first[256] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, base, blen) || !strcmp(e->d_name, ".") ||
            !strcmp(e->d_name, "..") || (e->d_name[0] == '.' && base[0] != '.'))
            continue;
        if (strlen(e->d_name) >= sizeof first)
            continue;
        if (!matches++) {
            snprintf(first, sizeof first, "%s", e->d_name);
            common = strlen(first);
            char full[1400];
            struct stat sb;
            snprintf(full, sizeof full, "%s%s", slash ? dir : "", e->d_name);
            is_dir = stat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
        } else {
            size_t i = 0;
            while (i < common && first[i] == e->d_name[i])
                i++;
            common = i;
        }
    }
    closedir(d);
    if (!matches)
        return;
    /* add what every match shares beyond what was typed (a '/' after a lone folder) */
    char add[300];
    snprintf(add, sizeof add, "%.*s%s", (int)(common - blen), first + blen,
             matches == 1 && is_dir ? "/" : "");
    if (len + strlen(add) + 1 < sizeof a->text)
        memcpy(a->text + len, add, strlen(add) + 1);
}
