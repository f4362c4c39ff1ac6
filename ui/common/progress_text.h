/* progress_text.h — progress snapshots as text lines (CLI --progress, REPL status). */
#ifndef EKM_UI_PROGRESS_TEXT_H
#define EKM_UI_PROGRESS_TEXT_H

#include <stddef.h>

#include "ekm/job.h"

/* "leaf [0,75)", "merge [0,75)+[75,150)", "shared [0,150)" */
void progress_stage_name(const ekm_stage_progress *sp, char *buf, size_t size);

/* A bar of `width` cells for done/total: '#' and '.' (ascii) or block glyphs. */
void progress_bar(char *buf, size_t size, double fraction, int width, int utf8);

/* One line for a stage: name, bar, percent, done/total, thread, seconds, state. */
void progress_stage_line(const ekm_stage_progress *sp, double now, char *buf, size_t size,
                         int bar_width, int utf8);

/* One summary line for a job: percent, rate, ETA, best so far (its set:
 * best_medoids, p->k of them; NULL prints none). */
void progress_job_line(const ekm_progress *p, const uint32_t *best_medoids, char *buf,
                       size_t size);

#endif
