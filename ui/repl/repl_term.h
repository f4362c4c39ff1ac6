/* repl_term.h — the terminal helpers of the REPL's live lines (repl_term.c); they
 * depend on nothing else of the REPL. */
#ifndef EKM_UI_REPL_TERM_H
#define EKM_UI_REPL_TERM_H

#include <stddef.h>
#include <stdio.h>

#include "ekm/job.h"

/* "[par2 ███▌······ 35.2% 1.4s]": a running job's one-line indicator. */
void repl_progress_badge(const ekm_progress *p, int utf8, char *buf, size_t size);
/* 1 when the terminal shows UTF-8 (from the locale). */
int repl_utf8(void);
/* Draw line over the current row of out, cut to the terminal's width (counted in
 * characters, not bytes; line is shortened in place). */
void repl_status_line(FILE *out, char *line);

#endif
