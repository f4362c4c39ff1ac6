/* tui_draw.c — the small drawing helpers the dashboard's parts share: a section
 * rule, a fraction bar in eighths of a cell, the role of a run state. */
#include <math.h>

#include "tui/tui_draw.h"

tui_role tui_state_role(ekm_run_state st)
{
    switch (st) {
    case EKM_RUN_WAITING: return TUI_ROLE_WAITING;
    case EKM_RUN_RUNNING: return TUI_ROLE_RUNNING;
    case EKM_RUN_DONE: return TUI_ROLE_DONE;
    case EKM_RUN_CANCELLED: return TUI_ROLE_CANCELLED;
    case EKM_RUN_FAILED: return TUI_ROLE_FAILED;
    }
    return TUI_ROLE_NORMAL;
}

void tui_draw_rule(tui_grid *g, int row, const char *title, const char *right)
{
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    tui_grid_fill(g, row, 0, g->cols, gl->hline, TUI_ROLE_DIM);
    /* the right-hand text (a scroll position, a legend) keeps its room first */
    int rw = right && *right ? tui_text_width(right) + 2 : 0;
    if (rw > g->cols / 2)
        rw = 0;
    int room = g->cols - 4 - (rw ? rw + 1 : 0);
    if (title && *title && room > 2)
        tui_grid_printf(g, row, 2, room, TUI_ROLE_TITLE, " %s ", title);
    if (rw)
        tui_grid_printf(g, row, g->cols - 2 - rw, rw, TUI_ROLE_DIM, " %s ", right);
}

void tui_draw_bar(tui_grid *g, int row, int col, int w, double f, tui_role role)
{
    static const uint32_t eighths[8] = {0, 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589};
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    if (!(f >= 0)) /* NaN too */
        f = 0;
    if (f > 1)
        f = 1;
    /* floor: a bar is full only when the work is (never rounded up to done) */
    long filled8 = (long)floor(f * w * 8);
    for (int i = 0; i < w; i++) {
        long fill = filled8 - 8L * i;
        tui_cell *c = tui_grid_cell(g, row, col + i);
        if (!c)
            continue;
        if (fill >= 8)
            *c = (tui_cell){g->utf8 ? 0x2588 : '#', (uint8_t)role};
        else if (fill > 0 && g->utf8)
            *c = (tui_cell){eighths[fill], (uint8_t)role};
        else
            *c = (tui_cell){gl->empty, TUI_ROLE_DIM};
    }
}
