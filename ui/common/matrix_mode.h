/* matrix_mode.h — `--matrix auto|on|off`: whether a dataset's dissimilarities
 * are stored as the N x N float matrix or computed on the fly (pruned only). */
#ifndef EKM_UI_MATRIX_MODE_H
#define EKM_UI_MATRIX_MODE_H

#include "ekm/dataset.h"
#include "ekm/dissim.h"
#include "ekm/job.h"

enum { MATRIX_AUTO = 0, MATRIX_ON = 1, MATRIX_OFF = 2 };

/* The dissimilarities of ds for `strategy` under `mode`. auto: the matrix when
 * it takes at most a quarter of the machine's memory or the strategy is not
 * pruned, else the matrix-free form. A refused matrix's message names both
 * options. */
ekm_status matrix_mode_build(ekm_dataset *ds, ekm_metric metric, unsigned threads, int mode,
                             ekm_strategy strategy, ekm_dissim **out, ekm_error *err);

/* "auto", "on" or "off". */
const char *matrix_mode_name(int mode);

#endif
