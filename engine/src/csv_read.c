/* csv_read.c — a whole input in memory: a file or standard input ("-"), with
 * gzip data inflated through zlib (detected by its magic bytes). */
#define _GNU_SOURCE
#include "csv_read.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* A growing buffer with a ceiling (a stream without end, a gzip bomb). */
typedef struct grow_buf {
    char *data;
    size_t len, cap, limit;
} grow_buf;

static size_t input_limit(void)
{
    uint64_t mem = ekm_memory_bytes(), limit = mem ? mem / 4 : (uint64_t)1 << 32;
    return limit < SIZE_MAX / 2 ? (size_t)limit : SIZE_MAX / 2;
}

/* Room for at least one more byte: 0, or the status of the failure (err filled). */
static ekm_status grow(grow_buf *b, const char *name, ekm_error *err)
{
    if (b->len >= b->limit)
        return ekm_error_set(err, EKM_ERR_TOO_BIG, name, 0, 0,
                             "more than %.1f GiB of text: not a dataset ekm can hold",
                             (double)b->limit / 1073741824.0);
    if (b->len < b->cap)
        return EKM_OK;
    size_t cap = b->cap ? b->cap * 2 : 65536;
    char *bigger = realloc(b->data, cap);
    if (!bigger)
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory reading the file");
    b->data = bigger;
    b->cap = cap;
    return EKM_OK;
}

static int is_gzip(const char *p, size_t len)
{
    return len >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b;
}

/* Read the raw bytes of fd. Plain text stops at a NUL byte; gzip data does not. */
static ekm_status read_raw(int fd, size_t size_hint, const char *name, grow_buf *b,
                           ekm_error *err)
{
    char why[256];
    b->limit = input_limit();
    if (size_hint) {
        b->data = malloc(size_hint);
        if (!b->data)
            return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory reading the file");
        b->cap = size_hint;
    }
    for (;;) {
        ekm_status st = grow(b, name, err);
        if (st)
            return st;
        ssize_t got = read(fd, b->data + b->len, b->cap - b->len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return ekm_error_set(err, EKM_ERR_IO, name, 0, 0, "cannot read: %s",
                                 strerror_r(errno, why, sizeof why));
        if (got == 0)
            return EKM_OK;
        int has_nul = memchr(b->data + b->len, '\0', (size_t)got) != NULL;
        b->len += (size_t)got;
        if (has_nul && !is_gzip(b->data, b->len))
            return EKM_OK; /* the CSV reader reports it at its line and column */
    }
}

/* Inflate the gzip members in raw into out. */
static ekm_status inflate_all(const grow_buf *raw, const char *name, grow_buf *out,
                              ekm_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "cannot start zlib");
    out->limit = input_limit();
    size_t in = 0;
    ekm_status st = EKM_OK;
    for (;;) {
        st = grow(out, name, err);
        if (st)
            break;
        size_t avail_in = raw->len - in, avail_out = out->cap - out->len;
        zs.next_in = (Bytef *)(uintptr_t)(raw->data + in);
        zs.avail_in = avail_in > UINT_MAX ? UINT_MAX : (uInt)avail_in;
        zs.next_out = (Bytef *)(out->data + out->len);
        zs.avail_out = avail_out > UINT_MAX ? UINT_MAX : (uInt)avail_out;
        uInt before_in = zs.avail_in, before_out = zs.avail_out;
        int z = inflate(&zs, Z_NO_FLUSH);
        in += before_in - zs.avail_in;
        out->len += before_out - zs.avail_out;
        if (z == Z_STREAM_END) {
            if (in == raw->len)
                break;
            if (!is_gzip(raw->data + in, raw->len - in)) {
                st = ekm_error_set(err, EKM_ERR_PARSE, name, 0, 0,
                                   "corrupt gzip data: %zu bytes of something else after the "
                                   "compressed stream", raw->len - in);
                break;
            }
            inflateReset(&zs); /* another member (cat a.gz b.gz) */
            continue;
        }
        if (z == Z_DATA_ERROR || z == Z_NEED_DICT || z == Z_STREAM_ERROR) {
            st = ekm_error_set(err, EKM_ERR_PARSE, name, 0, 0, "corrupt gzip data (%s)",
                               zs.msg ? zs.msg : "invalid compressed data");
            break;
        }
        if (z == Z_MEM_ERROR) {
            st = ekm_error_set(err, EKM_ERR_NOMEM, name, 0, 0, "out of memory inflating the file");
            break;
        }
        if (in == raw->len && zs.avail_out > 0) {
            st = ekm_error_set(err, EKM_ERR_PARSE, name, 0, 0,
                               "truncated gzip data: the compressed stream ends early");
            break;
        }
        if (zs.avail_in == before_in && zs.avail_out == before_out) { /* no progress */
            st = ekm_error_set(err, EKM_ERR_PARSE, name, 0, 0, "corrupt gzip data (zlib: %d)", z);
            break;
        }
    }
    inflateEnd(&zs);
    return st;
}

ekm_status ekm__read_input(const char *path, char **text, size_t *len, const char **name,
                           ekm_error *err)
{
    *text = NULL;
    *len = 0;
    *name = path;
    char why[256];
    int is_stdin = strcmp(path, "-") == 0;
    int fd = STDIN_FILENO;
    if (is_stdin) {
        *name = EKM__STDIN_NAME;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return ekm_error_set(err, EKM_ERR_IO, path, 0, 0, "cannot open: %s",
                                 strerror_r(errno, why, sizeof why));
    }
    struct stat st;
    int bad_stat = fstat(fd, &st) != 0;
    if (bad_stat || S_ISDIR(st.st_mode)) {
        int e = bad_stat ? errno : EISDIR;
        if (!is_stdin)
            close(fd);
        return ekm_error_set(err, EKM_ERR_IO, *name, 0, 0, "cannot read: %s",
                             strerror_r(e, why, sizeof why));
    }
    /* Regular files are read in one go; pipes and the like grow the buffer. */
    size_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 0;
    grow_buf raw = {0};
    ekm_status rc = read_raw(fd, hint, *name, &raw, err);
    if (!is_stdin)
        close(fd);
    if (!rc && is_gzip(raw.data, raw.len)) {
        grow_buf plain = {0};
        rc = inflate_all(&raw, *name, &plain, err);
        free(raw.data);
        raw = plain;
    }
    if (rc) {
        free(raw.data);
        return rc;
    }
    *text = raw.data;
    *len = raw.len;
    return EKM_OK;
}
