/* tui_meter_view.c — one meter per worker thread, like htop's CPU meters: the
 * share of the last second it spent working, and the stage it works on. */
#include <stdio.h>

#include "tui/tui_internal.h"

enum { METER_MIN_WIDTH = 16, METER_WIDTH = 30, METER_MAX_ROWS = 4 };

static int thread_count(const tui_screen *s)
{
    if (s->snap)
        return s->snap->sum.n_threads;
    if (s->plan)
        return (int)s->plan->threads;
    return s->ws && s->ws->settings.solve.threads ? (int)s->ws->settings.solve.threads : 1;
}

static int per_row(int n, int cols)
{
    int k = cols / METER_WIDTH;
    if (k < 1)
        k = 1;
    if ((n + k - 1) / k > METER_MAX_ROWS) {
        k = (n + METER_MAX_ROWS - 1) / METER_MAX_ROWS;
        if (k > cols / METER_MIN_WIDTH)
            k = cols / METER_MIN_WIDTH > 0 ? cols / METER_MIN_WIDTH : 1;
    }
    return k < n ? k : (n > 0 ? n : 1);
}

int tui_meter_lines(const tui_screen *s, int cols)
{
    int n = thread_count(s), k = per_row(n, cols);
    int lines = (n + k - 1) / k;
    return lines > METER_MAX_ROWS ? METER_MAX_ROWS : lines;
}

static void draw_meter(const tui_screen *s, tui_grid *g, int row, int col, int width, int t,
                       int label_w)
{
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    const progress_snap *p = s->snap;
    double f = s->busy ? s->busy[t] : 0;
    if (!(f >= 0))
        f = 0;
    if (f > 1)
        f = 1;
    int c = col;
    c += tui_grid_printf(g, row, c, label_w, TUI_ROLE_LABEL, "t%-*d", label_w - 1, t);
    tui_grid_put(g, row, c++, 1, TUI_ROLE_TITLE, "[");
    int inner = width - label_w - 2;
    if (inner < 1)
        return;
    int busy_cells = (int)(f * inner + 0.5);
    tui_grid_fill(g, row, c, busy_cells, gl->meter, TUI_ROLE_METER);
    char text[48];
    int stage = p && !s->preview ? p->thread[t].stage : -1;
    if (p && !s->preview && stage >= 0 && stage < p->sum.n_stages &&
        p->stages[stage].spec.kind != EKM_STAGE_SHARED && f > 0) {
        const ekm_stage_spec *sp = &p->stages[stage].spec;
        snprintf(text, sizeof text, " %3.0f%% %c%d", 100 * f,
                 sp->kind == EKM_STAGE_MERGE ? 'M' : 'L', sp->id);
    } else if (f > 0) {
        snprintf(text, sizeof text, " %3.0f%%", 100 * f);
    } else {
        snprintf(text, sizeof text, "idle");
    }
    int tw = tui_text_width(text);
    if (tw <= inner)
        tui_grid_put(g, row, c + inner - tw, tw, f > 0 ? TUI_ROLE_NORMAL : TUI_ROLE_DIM, text);
    tui_grid_put(g, row, c + inner, 1, TUI_ROLE_TITLE, "]");
}

void tui_draw_meters(const tui_screen *s, tui_grid *g, int top, int height)
{
    if (height <= 0)
        return;
    int n = thread_count(s);
    int k = per_row(n, g->cols);
    int rows = height - 1;
    int shown = rows * k < n ? rows * k : n;
    char title[96], right[64] = "";
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    snprintf(title, sizeof title, "Threads %s busy over the last second", gl->dot);
    if (shown < n)
        snprintf(right, sizeof right, "%d of %d shown", shown, n);
    else if (s->snap && !s->preview)
        snprintf(right, sizeof right, "%d of %d working", s->snap->sum.threads_busy, n);
    tui_draw_rule(g, top, title, right);
    int label_w = n > 100 ? 4 : n > 10 ? 3 : 2;
    int width = (g->cols - 1 - (k - 1)) / k;
    for (int i = 0; i < shown; i++) {
        int row = top + 1 + i / k, col = 1 + (i % k) * (width + 1);
        draw_meter(s, g, row, col, width, i, label_w + 1);
    }
}
