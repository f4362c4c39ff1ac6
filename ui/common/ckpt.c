/* ckpt.c — a checkpoint's dataset note and the periodic checkpoint writer. */
#define _GNU_SOURCE
#include "common/ckpt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/load_report.h"

/* A checkpoint's dataset: the matrix, or the matrix-free form when the matrix
 * does not fit (rows computed on the fly are the matrix's, bit for bit, so a
 * checkpoint resumes on either; only pruned runs without the matrix). */
static ekm_status ckpt_dissim(ekm_dataset *ds, ekm_metric metric, unsigned threads,
                              ekm_dissim **out, ekm_error *e)
{
    ekm_status st = ekm_dissim_from_dataset_threads(ds, metric, threads, out, e);
    if (st == EKM_ERR_TOO_BIG)
        st = ekm_dissim_from_dataset_lazy(ds, metric, out, e);
    return st;
}

int ckpt_path_writable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return 0;
    }
    if (access(path, F_OK) == 0)
        return access(path, W_OK) == 0;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (stat(dir, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return 0;
    }
    return access(dir, W_OK | X_OK) == 0;
}

/* The folder of path (path itself when it has no slash: "."). */
static void folder_of(const char *path, char *dir, size_t size)
{
    snprintf(dir, size, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* Can a new file be made beside path (and removed)? 0, or -1 with errno. The
 * probe is named as a save's temporary file, so that a probe left by a kill is
 * cleaned like one. */
static int folder_takes_files(const char *path)
{
    size_t len = strlen(path) + 48;
    char *tmp = malloc(len);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, len, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        errno = e;
        return -1;
    }
    close(fd);
    unlink(tmp);
    free(tmp);
    return 0;
}

int ckpt_target_check(const char *path, const ekm_dissim *dm, const ekm_solve_options *opt,
                      int force, const char *resumed, char *err, size_t errsize)
{
    char dir[1024];
    folder_of(path, dir, sizeof dir);
    struct stat sb, rb;
    int exists = stat(path, &sb) == 0;
    if (exists && S_ISDIR(sb.st_mode)) {
        snprintf(err, errsize, "%s: cannot save a checkpoint as a folder: %s", path,
                 strerror(EISDIR));
        return -1;
    }
    if (stat(dir, &rb) || !S_ISDIR(rb.st_mode)) {
        snprintf(err, errsize, "%s: its folder %s %s", path, dir,
                 errno == ENOENT ? "does not exist" : "is not a folder");
        return -1;
    }
    ekm_checkpoint_clean_stale(path);
    if (folder_takes_files(path)) {
        snprintf(err, errsize, "%s: cannot save a checkpoint there: the folder %s does not "
                               "take new files (%s); each save writes a new file there and "
                               "renames it",
                 path, dir, strerror(errno));
        return -1;
    }
    if (!exists)
        return 0;
    if (resumed && stat(resumed, &rb) == 0 && rb.st_dev == sb.st_dev && rb.st_ino == sb.st_ino)
        return 0; /* the checkpoint this run continues */
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errsize, "%s: exists and is not a regular file; not overwriting it", path);
        return -1;
    }
    uint8_t head[16];
    ssize_t got = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
        got = read(fd, head, sizeof head);
        close(fd);
    }
    if (got < 0) {
        snprintf(err, errsize, "%s: exists and cannot be read (%s); not overwriting it", path,
                 strerror(errno));
        return -1;
    }
    if (!ekm_checkpoint_sniff(head, (size_t)got)) {
        snprintf(err, errsize, "%s: exists and is not an ekm checkpoint; not overwriting it "
                               "(give --checkpoint a new file)",
                 path);
        return -1;
    }
    if (force)
        return 0;
    ekm_checkpoint *old = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    if (ekm_checkpoint_load(path, &old, &e)) {
        snprintf(err, errsize, "%s: an ekm checkpoint that cannot be read (%s); not "
                               "overwriting it (--force starts over in it)",
                 path, e.message);
        return -1;
    }
    ekm_solve_options o = *opt;
    o.resume = NULL;
    ekm_error_clear(&e);
    if (ekm_checkpoint_check(old, dm, &o, &e) == EKM_OK) {
        ekm_count total = ekm_checkpoint_total(old), done = ekm_checkpoint_done(old);
        snprintf(err, errsize, "%s: a checkpoint of this same run exists (%.1f %% done): "
                               "'ekm resume %s' continues it; --force starts over",
                 path, total ? 100.0 * (double)done / (double)total : 0.0, path);
    } else {
        snprintf(err, errsize, "%s: a checkpoint of another run exists (%s); not "
                               "overwriting it (--force starts over in it)",
                 path, e.message);
    }
    ekm_checkpoint_free(old);
    return -1;
}

int ckpt_source_file(ckpt_source *src, const char *path, int matrix, const ekm_csv_options *csv,
                     ekm_metric metric, char *err, size_t errsize)
{
    memset(src, 0, sizeof *src);
    src->kind = matrix ? CKPT_SRC_MATRIX : CKPT_SRC_CSV;
    src->csv = *csv;
    src->metric = metric;
    if (strcmp(path, "-") == 0) { /* resume reads the data again: a pipe cannot be */
        snprintf(err, errsize, "<stdin>: a checkpoint needs a data file that resume can read "
                               "again; save the data to a file first");
        return -1;
    }
    char *abs = realpath(path, NULL);
    if (!abs) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (strlen(abs) >= sizeof src->path) {
        free(abs);
        snprintf(err, errsize, "%s: too long a path", path);
        return -1;
    }
    memcpy(src->path, abs, strlen(abs) + 1);
    free(abs);
    return 0;
}

static const char *header_name(ekm_header_mode h)
{
    return h == EKM_HEADER_YES ? "yes" : h == EKM_HEADER_NO ? "no" : "auto";
}
static const char *label_name(ekm_label_mode l)
{
    return l == EKM_LABEL_LAST ? "last" : l == EKM_LABEL_NONE ? "none" : "auto";
}
static const char *separator_name(char c)
{
    switch (c) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    case ' ': return "space";
    default: return "auto";
    }
}

void ckpt_source_format(const ckpt_source *src, char *buf, size_t size)
{
    size_t o = 0;
#define PUT(...)                                                                                \
    do {                                                                                        \
        int w_ = snprintf(buf + o, o < size ? size - o : 0, __VA_ARGS__);                       \
        if (w_ > 0)                                                                             \
            o += (size_t)w_;                                                                    \
    } while (0)
    static const char *const kinds[] = {"csv", "matrix", "gen"};
    PUT("ekm-data 1\nsource=%s\n", kinds[src->kind]);
    if (src->kind == CKPT_SRC_GEN) {
        PUT("metric=%s\ngen=%s\nn=%zu\nd=%zu\nclusters=%u\nseed=%llu\n",
            ekm_metric_name(src->metric), ekm_gen_kind_name(src->gen_kind), src->gen_n,
            src->gen_d, src->gen_clusters, (unsigned long long)src->gen_seed);
    } else {
        PUT("path=");
        for (const unsigned char *p = (const unsigned char *)src->path; *p; p++) {
            if (*p < 0x20 || *p == 0x7f || *p == '%')
                PUT("%%%02X", *p);
            else
                PUT("%c", *p);
        }
        PUT("\n");
        if (src->kind == CKPT_SRC_CSV)
            PUT("metric=%s\n", ekm_metric_name(src->metric));
        PUT("header=%s\nlabel=%s\nmissing=%s\nseparator=%s\n", header_name(src->csv.header),
            label_name(src->csv.label),
            src->csv.missing == EKM_MISSING_DROP ? "drop" : "refuse",
            separator_name(src->csv.separator));
        if (src->kind == CKPT_SRC_CSV && src->standardize)
            PUT("standardize=%s\n", ekm_standardize_name(src->standardize));
    }
#undef PUT
    if (o >= size && size > 0)
        buf[size - 1] = '\0';
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* One "key=value" line: a key we know with a value we do not is an error. */
static int parse_line(ckpt_source *src, const char *key, const char *v, unsigned *seen, char *err,
                      size_t errsize)
{
    unsigned long long x;
    if (!strcmp(key, "source")) {
        if (!strcmp(v, "csv"))
            src->kind = CKPT_SRC_CSV;
        else if (!strcmp(v, "matrix"))
            src->kind = CKPT_SRC_MATRIX;
        else if (!strcmp(v, "gen"))
            src->kind = CKPT_SRC_GEN;
        else
            goto bad;
        *seen |= 1;
    } else if (!strcmp(key, "path")) {
        size_t o = 0;
        for (const char *p = v; *p; p++) {
            int c = (unsigned char)*p;
            if (c == '%') {
                int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
                if (lo < 0)
                    goto bad;
                c = hi * 16 + lo;
                p += 2;
            }
            if (c == 0 || o + 1 >= sizeof src->path)
                goto bad;
            src->path[o++] = (char)c;
        }
        src->path[o] = '\0';
        if (src->path[0] != '/')
            goto bad;
        *seen |= 2;
    } else if (!strcmp(key, "metric")) {
        if (ekm_metric_parse(v, &src->metric))
            goto bad;
    } else if (!strcmp(key, "standardize")) {
        if (ekm_standardize_parse(v, &src->standardize))
            goto bad;
    } else if (!strcmp(key, "header")) {
        if (!strcmp(v, "auto"))
            src->csv.header = EKM_HEADER_AUTO;
        else if (!strcmp(v, "yes"))
            src->csv.header = EKM_HEADER_YES;
        else if (!strcmp(v, "no"))
            src->csv.header = EKM_HEADER_NO;
        else
            goto bad;
    } else if (!strcmp(key, "label")) {
        if (!strcmp(v, "auto"))
            src->csv.label = EKM_LABEL_AUTO;
        else if (!strcmp(v, "last"))
            src->csv.label = EKM_LABEL_LAST;
        else if (!strcmp(v, "none"))
            src->csv.label = EKM_LABEL_NONE;
        else
            goto bad;
    } else if (!strcmp(key, "missing")) {
        if (!strcmp(v, "refuse"))
            src->csv.missing = EKM_MISSING_REFUSE;
        else if (!strcmp(v, "drop"))
            src->csv.missing = EKM_MISSING_DROP;
        else
            goto bad;
    } else if (!strcmp(key, "separator")) {
        static const char seps[] = {0, ',', ';', '\t', ' '};
        int found = 0;
        for (size_t i = 0; i < sizeof seps; i++)
            if (!strcmp(v, separator_name(seps[i]))) {
                src->csv.separator = seps[i];
                found = 1;
            }
        if (!found)
            goto bad;
    } else if (!strcmp(key, "gen")) {
        if (ekm_gen_kind_parse(v, &src->gen_kind))
            goto bad;
        *seen |= 4;
    } else if (!strcmp(key, "n") || !strcmp(key, "d") || !strcmp(key, "clusters") ||
               !strcmp(key, "seed")) {
        if (settings_parse_uint(key, v, 0, UINT64_MAX, &x, err, errsize))
            goto bad;
        if (!strcmp(key, "n"))
            src->gen_n = (size_t)x;
        else if (!strcmp(key, "d"))
            src->gen_d = (size_t)x;
        else if (!strcmp(key, "clusters"))
            src->gen_clusters = x > UINT_MAX ? UINT_MAX : (unsigned)x;
        else
            src->gen_seed = x;
    } /* unknown keys: ignored */
    return 0;
bad:
    snprintf(err, errsize, "its dataset note has a bad %s value", key);
    return -1;
}

int ckpt_source_parse(const char *note, ckpt_source *src, char *err, size_t errsize)
{
    memset(src, 0, sizeof *src);
    src->csv = ekm_csv_options_default();
    src->metric = EKM_METRIC_EUCLIDEAN;
    src->gen_clusters = 3;
    if (!note || strncmp(note, "ekm-data 1\n", 11)) {
        snprintf(err, errsize, "it does not say how to load its dataset (not made by ekm "
                               "solve or the REPL)");
        return -1;
    }
    unsigned seen = 0;
    const char *p = note + 11;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[CKPT_NOTE_MAX];
        if (len >= sizeof line) {
            snprintf(err, errsize, "its dataset note has too long a line");
            return -1;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (nl ? 1 : 0);
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (parse_line(src, line, eq + 1, &seen, err, errsize))
            return -1;
    }
    if (!(seen & 1) || (src->kind != CKPT_SRC_GEN && !(seen & 2)) ||
        (src->kind == CKPT_SRC_GEN && (!(seen & 4) || !src->gen_n || !src->gen_d))) {
        snprintf(err, errsize, "its dataset note is incomplete");
        return -1;
    }
    return 0;
}

int ckpt_source_load(const ckpt_source *src, ekm_dissim **out, char *err, size_t errsize)
{
    return ckpt_source_load_for(src, NULL, out, err, errsize);
}

int ckpt_source_load_for(const ckpt_source *src, const ekm_checkpoint *ck, ekm_dissim **out,
                         char *err, size_t errsize)
{
    *out = NULL;
    size_t want = ck ? ekm_checkpoint_n(ck) : 0;
    if (src->kind == CKPT_SRC_GEN && want && src->gen_n != want) {
        snprintf(err, errsize, "its dataset note says %zu generated points, the checkpoint "
                               "holds N=%zu",
                 src->gen_n, want);
        return -1;
    }
    if (src->kind == CKPT_SRC_GEN && src->gen_d > ((size_t)1 << 31) / (src->gen_n ? src->gen_n : 1)) {
        snprintf(err, errsize, "its dataset note says %zu x %zu generated coordinates: too many",
                 src->gen_n, src->gen_d);
        return -1;
    }
    if (src->kind != CKPT_SRC_GEN) {
        struct stat sb;
        if (stat(src->path, &sb)) {
            snprintf(err, errsize, "%s: %s", src->path, strerror(errno));
            return -1;
        }
        if (!S_ISREG(sb.st_mode)) {
            snprintf(err, errsize, "%s: not a regular file (%s): not read", src->path,
                     S_ISFIFO(sb.st_mode)  ? "a FIFO"
                     : S_ISDIR(sb.st_mode) ? "a folder"
                                           : "a device or socket");
            return -1;
        }
        /* N points take N lines of 2 bytes at least ("1\n"), a matrix N rows of N */
        double need = src->kind == CKPT_SRC_MATRIX ? 2.0 * (double)want * (double)want - 1.0
                                                   : 2.0 * (double)want - 1.0;
        if (want && (double)sb.st_size < need) {
            snprintf(err, errsize, "%s: %lld bytes are too few for the checkpoint's %zu points "
                                   "(changed since?)",
                     src->path, (long long)sb.st_size, want);
            return -1;
        }
    }
    if (src->kind == CKPT_SRC_CSV && want) { /* count the points before the matrix */
        ekm_dataset *ds = NULL;
        ekm_error e;
        ekm_error_clear(&e);
        ekm_status st = ekm_dataset_load_csv(src->path, &src->csv, &ds, &e);
        if (!st && ekm_dataset_n(ds) != want) {
            snprintf(err, errsize, "%s: now holds %zu points, the checkpoint N=%zu (changed "
                                   "since?)",
                     src->path, ekm_dataset_n(ds), want);
            ekm_dataset_release(ds);
            return -1;
        }
        ekm_dataset *scaled = NULL;
        if (!st)
            st = ekm_dataset_standardize(ds, src->standardize, &scaled, &e);
        if (!st)
            st = ckpt_dissim(scaled, src->metric, src->threads, out, &e);
        ekm_dataset_release(scaled);
        ekm_dataset_release(ds);
        if (st) {
            ekm_error_format(&e, err, errsize);
            return -1;
        }
        return 0;
    }
    if (src->kind == CKPT_SRC_GEN) {
        ekm_dataset *ds;
        ekm_error e;
        ekm_status st = ekm_generate(src->gen_kind, src->gen_n, src->gen_d, src->gen_clusters,
                                     src->gen_seed, &ds, &e);
        if (!st) {
            st = ckpt_dissim(ds, src->metric, src->threads, out, &e);
            ekm_dataset_release(ds);
        }
        if (st) {
            ekm_error_format(&e, err, errsize);
            return -1;
        }
        return 0;
    }
    ui_settings s;
    settings_init(&s);
    s.csv = src->csv;
    s.metric = src->metric;
    if (src->kind == CKPT_SRC_CSV)
        s.standardize = src->standardize;
    if (src->kind == CKPT_SRC_MATRIX) {
        size_t len = strlen(src->path);
        if (len >= sizeof s.dissim_file) {
            snprintf(err, errsize, "%.200s...: too long a path", src->path);
            return -1;
        }
        memcpy(s.dissim_file, src->path, len + 1);
    }
    return dataset_load(&s, src->path, out, err, errsize);
}

void ckpt_writer_init(ckpt_writer *w, const char *path, double every, const ckpt_source *src)
{
    memset(w, 0, sizeof *w);
    snprintf(w->path, sizeof w->path, "%s", path);
    w->every = every > 0 ? every : 60;
    w->last = ekm_now();
    ckpt_source_format(src, w->note, sizeof w->note);
}

int ckpt_writer_save(ckpt_writer *w, ekm_job *job)
{
    ekm_checkpoint *ck = NULL;
    ekm_error e;
    ekm_error_clear(&e);
    ekm_status st = ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &e);
    if (!st)
        st = ekm_checkpoint_set_note(ck, w->note);
    if (!st)
        st = ekm_checkpoint_save(ck, w->path, &e);
    w->last = ekm_now();
    if (st) {
        char msg[1024];
        ekm_error_format(&e, msg, sizeof msg);
        if (!msg[0])
            snprintf(msg, sizeof msg, "%s", ekm_status_name(st));
        if (strstr(msg, w->path))
            snprintf(w->error, sizeof w->error, "%s", msg);
        else
            snprintf(w->error, sizeof w->error, "%s: %s", w->path, msg);
        w->failed = 1;
        ekm_checkpoint_free(ck);
        return -1;
    }
    w->units = ekm_checkpoint_units(ck);
    w->units_done = ekm_checkpoint_units_done(ck);
    w->done = ekm_checkpoint_done(ck);
    w->total = ekm_checkpoint_total(ck);
    w->saves++;
    w->failed = 0;
    w->error[0] = '\0';
    ekm_checkpoint_free(ck);
    return 0;
}

int ckpt_writer_tick(ckpt_writer *w, ekm_job *job)
{
    if (ekm_now() - w->last < w->every)
        return 0;
    return ckpt_writer_save(w, job) ? -1 : 1;
}

double ckpt_writer_percent(const ckpt_writer *w)
{
    return w->total ? 100.0 * (double)w->done / (double)w->total : 0;
}
