/* tui_draw.h — the small drawing helpers the dashboard's parts share (tui_draw.c):
 * section rules, fraction bars, the role of a run state. They draw into a grid and
 * know nothing of the screen's layout, so the renderer and its views both depend on
 * them and not on each other's files.
 */
#ifndef EKM_UI_TUI_DRAW_H
#define EKM_UI_TUI_DRAW_H

#include "ekm/job.h"
#include "tui/tui_grid.h"

/* A section rule on one row: "── title ─────". */
void tui_draw_rule(tui_grid *g, int row, const char *title, const char *right);
/* A bar of w cells for fraction f, filled cells in `role`, empty ones dim. */
void tui_draw_bar(tui_grid *g, int row, int col, int w, double f, tui_role role);
/* The role of a run state. */
tui_role tui_state_role(ekm_run_state s);

#endif
