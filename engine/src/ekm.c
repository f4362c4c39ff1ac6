/* ekm.c — status names, error records, version and small machine facts. */
#define _GNU_SOURCE
#include "ekm/ekm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *ekm_version(void) { return EKM_VERSION_STRING; }

const char *ekm_status_name(ekm_status status)
{
    switch (status) {
    case EKM_OK: return "ok";
    case EKM_ERR_IO: return "i/o error";
    case EKM_ERR_PARSE: return "parse error";
    case EKM_ERR_INVALID: return "invalid argument";
    case EKM_ERR_NOMEM: return "out of memory";
    case EKM_ERR_TOO_BIG: return "too big";
    case EKM_ERR_CANCELLED: return "cancelled";
    case EKM_ERR_STATE: return "wrong state";
    }
    return "unknown status";
}

ekm_status ekm_error_set(ekm_error *err, ekm_status status, const char *file, long line,
                         long column, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void ekm_error_clear(ekm_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void ekm_error_format(const ekm_error *err, char *buf, size_t size)
{
    if (!size)
        return;
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->message);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->message);
    else
        snprintf(buf, size, "%s", err->message);
}

unsigned ekm_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

uint64_t ekm_memory_bytes(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0)
        return 0;
    return (uint64_t)pages * (uint64_t)size;
}

double ekm_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
