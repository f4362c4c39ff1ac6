/* fuzz_matrix.c — libFuzzer target for the dissimilarity-matrix loader.
 *
 * ekm_dissim_load_matrix reads a file and has no in-memory form, so the input
 * (after its first byte, which picks the options: see fz_matrix_options) is
 * written to one memfd made once per process, and the loader opens it as
 * /proc/self/fd/N. The outcome must pass fz_check_matrix (fuzz_check.h): on
 * success n > 0, finite, non-negative, symmetric entries and a zero diagonal. */
#define _GNU_SOURCE
#include "fuzz_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (memfd < 0) {
        memfd = memfd_create("ekm-fuzz-matrix", MFD_CLOEXEC);
        if (memfd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    }
    ekm_csv_options opt = fz_matrix_options(data[0]);
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (ftruncate(memfd, 0) != 0 || pwrite(memfd, text, len, 0) != (ssize_t)len) {
        perror("writing the memfd");
        abort();
    }
    ekm_dissim *dm = NULL;
    ekm_error err;
    memset(&err, 0, sizeof err);
    ekm_status st = ekm_dissim_load_matrix(path, &opt, &dm, &err);
    const char *why = fz_check_matrix(path, text, len, &opt, st, dm, &err);
    if (why) {
        fprintf(stderr, "fuzz_matrix: invariant broken: %s (status %d, %s:%ld:%ld: %s)\n", why,
                (int)st, err.file, err.line, err.column, err.message);
        abort();
    }
    ekm_dissim_release(dm);
    return 0;
}
