/* tui_render.c — the screen's layout: header on top, then the plan view, the
 * thread meters, the timeline and the run history sharing the middle, the status line and the
 * key bar at the bottom. */
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
    /* The timeline: by itself on a tall screen once something ran, else on the t key;
     * it takes its rows from the history (which keeps its minimum unless asked). */
    int tl_h = 0;
    int tl_on = s->timeline > 0 || (s->timeline == 0 && s->ran && g->rows >= TUI_TIMELINE_AUTO_ROWS);
    if (tl_on) {
        int tl_need = 1 + tui_timeline_lines(s);
        int room = s->timeline > 0 ? avail - 2 : avail - min_int(hist_need, HISTORY_ROWS_MIN);
        tl_h = min_int(tl_need, room);
        if (tl_h < 2)
            tl_h = s->timeline > 0 ? min_int(2, avail) : 0;
        avail -= tl_h;
    }
    int hist_h = avail;

    tui_draw_plan(s, g, top, plan_h, info);
    top += plan_h;
    tui_draw_meters(s, g, top, meter_h);
    top += meter_h;
    tui_draw_timeline(s, g, top, tl_h);
    top += tl_h;
    tui_draw_history(s, g, top, hist_h);
    tui_draw_status(s, g, g->rows - 2, &info->cursor);
    tui_draw_keybar(s, g, g->rows - 1);
}
