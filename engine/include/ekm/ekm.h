/* ekm.h — status codes, the error record and the version of the ekm engine.
 *
 * The engine is a library: it never prints and never exits. Every function that
 * can fail returns an ekm_status and, when given one, fills an ekm_error record
 * that the application prints as one line "file:line:col: message".
 */
#ifndef EKM_EKM_H
#define EKM_EKM_H

#include <stddef.h>
#include <stdint.h>

/* What the shared library exports: it is built with -fvisibility=hidden, and
 * each public header wraps its declarations in EKM_API_BEGIN ... EKM_API_END
 * (EKM_API marks a single declaration). Only the ekm_ API is visible. */
#if defined(__GNUC__) || defined(__clang__)
#define EKM_API __attribute__((visibility("default")))
#define EKM_API_BEGIN _Pragma("GCC visibility push(default)")
#define EKM_API_END _Pragma("GCC visibility pop")
#else
#define EKM_API
#define EKM_API_BEGIN
#define EKM_API_END
#endif

#ifdef __cplusplus
extern "C" {
#endif
EKM_API_BEGIN

typedef enum ekm_status {
    EKM_OK = 0,
    EKM_ERR_IO,        /* a file could not be opened or read */
    EKM_ERR_PARSE,     /* malformed input (the error record says where) */
    EKM_ERR_INVALID,   /* an argument or option value is out of range */
    EKM_ERR_NOMEM,     /* an allocation failed */
    EKM_ERR_TOO_BIG,   /* a count or a memory size does not fit */
    EKM_ERR_CANCELLED, /* the job was cancelled before it finished */
    EKM_ERR_STATE      /* the call does not fit the object's state */
} ekm_status;

/* The tie rule of the exact strategies: two objectives within EKM_TIE_REL of each
 * other (relative) are equal, and among equal objectives the lexicographically
 * smallest sorted medoid set wins. */
#define EKM_TIE_REL 1e-10

enum { EKM_ERROR_FILE_MAX = 512, EKM_ERROR_MESSAGE_MAX = 512 };

/* Where and why something failed. line and column are 1-based; 0 means "not
 * applicable" (the application then leaves them out of the message). */
typedef struct ekm_error {
    ekm_status status;
    char file[EKM_ERROR_FILE_MAX];
    long line;
    long column;
    char message[EKM_ERROR_MESSAGE_MAX];
} ekm_error;

/* The version of these headers (the project's version in CMakeLists.txt; the
 * header check test keeps them equal), and of the library linked in
 * (ekm_version(), "MAJOR.MINOR.PATCH"). */
#define EKM_VERSION_MAJOR 0
#define EKM_VERSION_MINOR 1
#define EKM_VERSION_PATCH 0
#define EKM_VERSION_STRING "0.1.0"
#define EKM_VERSION_NUMBER (EKM_VERSION_MAJOR * 10000 + EKM_VERSION_MINOR * 100 + EKM_VERSION_PATCH)

const char *ekm_version(void);

/* The build: the compiler that built the engine ("gcc 12.2.0"), the SIMD kernels
 * compiled in ("sse2 avx2 avx512f", or "portable" without x86-64 intrinsics), those
 * this CPU can run, and the one the exact solver uses (after EKM_KERNEL). */
const char *ekm_build_compiler(void);
const char *ekm_simd_compiled(void);
const char *ekm_simd_available(void);
const char *ekm_simd_selected(void);

/* A short, stable, lower-case name for a status ("ok", "parse error", ...). */
const char *ekm_status_name(ekm_status status);

/* Fill err (if not NULL) and return status. file may be NULL. */
ekm_status ekm_error_set(ekm_error *err, ekm_status status, const char *file, long line,
                         long column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Clear an error record to "no error". */
void ekm_error_clear(ekm_error *err);

/* Format "file:line:col: message" (parts that do not apply are left out) into buf. */
void ekm_error_format(const ekm_error *err, char *buf, size_t size);

/* Number of online processors (at least 1). */
unsigned ekm_cpu_count(void);

/* Physical memory of the machine in bytes (0 if unknown). */
uint64_t ekm_memory_bytes(void);

/* Monotonic clock in seconds. */
double ekm_now(void);

EKM_API_END
#ifdef __cplusplus
}
#endif
#endif
