/* matrix_mode.c — the choice between the float matrix and the matrix-free form. */
#include "common/matrix_mode.h"

#include <stdio.h>
#include <string.h>

const char *matrix_mode_name(int mode)
{
    return mode == MATRIX_ON ? "on" : mode == MATRIX_OFF ? "off" : "auto";
}

ekm_status matrix_mode_build(ekm_dataset *ds, ekm_metric metric, unsigned threads, int mode,
                             ekm_strategy strategy, ekm_dissim **out, ekm_error *err)
{
    uint64_t bytes = ekm_dissim_bytes_for(ekm_dataset_n(ds)), mem = ekm_memory_bytes();
    int lazy = mode == MATRIX_OFF ||
               (mode == MATRIX_AUTO && strategy == EKM_STRATEGY_PRUNED && mem &&
                bytes > mem / 4);
    if (lazy)
        return ekm_dissim_from_dataset_lazy(ds, metric, out, err);
    ekm_status st = ekm_dissim_from_dataset_threads(ds, metric, threads, out, err);
    if (st == EKM_ERR_TOO_BIG) {
        size_t len = strlen(err->message);
        snprintf(err->message + len, sizeof err->message - len,
                 "; --strategy pruned --matrix off (or auto) computes the distances on the "
                 "fly instead, in O(N·D) memory");
    }
    return st;
}
