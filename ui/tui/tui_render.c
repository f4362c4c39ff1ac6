/* tui_render.c — the screen's layout: header on top, then the plan view, the
 * thread meters and the run history sharing the middle, the status line and the
 * key bar at the bottom; plus the small drawing helpers the parts share. */
#include <math.h>
#include <string.h>

#include "tui/tui_internal.h"

enum {
    HEADER_ROWS = 3,
    MIN_ROWS = 8,
    MIN_COLS = 40,
    METER_ROWS_MAX = 5,  /* title + 4 rows of meters */
    HISTORY_ROWS_MIN = 4 /* title + column titles + 2 runs */
};

void tui_screen_init(tui_screen *s)
{
    memset(s, 0, sizeof *s);
    s->estimate = -1;
    s->eta = -1;
}

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

static void render_too_small(tui_grid *g)
{
    tui_grid_printf(g, 0, 0, g->cols, TUI_ROLE_ERROR, "terminal too small (%dx%d)", g->cols,
                    g->rows);
    tui_grid_printf(g, 1, 0, g->cols, TUI_ROLE_STATUS, "need %dx%d, 80x24 or more is best",
                    MIN_COLS, MIN_ROWS);
    tui_grid_put(g, 2, 0, g->cols, TUI_ROLE_STATUS, "q quits");
}

static int min_int(int a, int b) { return a < b ? a : b; }

void tui_render(const tui_screen *s, tui_grid *g, tui_render_info *info)
{
    tui_render_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    info->cursor.row = -1;
    info->plan_first = s->plan_scroll;
    tui_grid_clear(g);
    if (g->rows < MIN_ROWS || g->cols < MIN_COLS) {
        render_too_small(g);
        return;
    }
    if (s->help) {
        tui_draw_help(s, g);
        return;
    }
    tui_draw_header(s, g, 0, HEADER_ROWS);
    int top = HEADER_ROWS, avail = g->rows - HEADER_ROWS - 2;

    int plan_need = 1 + (s->snap ? tui_plan_lines(s) : 1);
    int meter_need = 1 + tui_meter_lines(s, g->cols);
    int hist_need = 1 + tui_history_lines(s);
    int others = min_int(meter_need, METER_ROWS_MAX) + min_int(hist_need, HISTORY_ROWS_MIN);
    int plan_h = min_int(plan_need, avail - others);
    if (plan_h < 2)
        plan_h = min_int(2, avail);
    avail -= plan_h;
    int meter_h = min_int(min_int(meter_need, METER_ROWS_MAX), avail);
    avail -= meter_h;
    int hist_h = avail;

    tui_draw_plan(s, g, top, plan_h, info);
    top += plan_h;
    tui_draw_meters(s, g, top, meter_h);
    top += meter_h;
    tui_draw_history(s, g, top, hist_h);
    tui_draw_status(s, g, g->rows - 2, &info->cursor);
    tui_draw_keybar(s, g, g->rows - 1);
}
