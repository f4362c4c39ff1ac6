/* tui_timeline_view.c — the Timeline panel: one row per thread, time left to right,
 * each stage drawn where and when it ran and labelled by its id (L0, M2...), idle
 * cells dotted; or the same plan list-scheduled on another thread count from the
 * stages' measured times (a simulation, and said so). The layout is the shared one
 * (common/timeline.h); this file only turns its segments into cells. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeline.h"
#include "tui/tui_internal.h"

static int label_width(int n_threads)
{
    char buf[16];
    return snprintf(buf, sizeof buf, "t%d", n_threads > 0 ? n_threads - 1 : 0);
}

/* The measured timeline of the last run, or the simulation the screen asks for, into tl.
 * Returns 0 when there is nothing to draw. */
static int fill(const tui_screen *s, timeline *tl, timeline *scratch)
{
    if (!s->ran)
        return 0;
    timeline_from_progress(tl, s->ran);
    if (s->simulate > 0 && s->ran_plan && !tl->running) {
        if (timeline_simulate(tl, s->ran_plan, (unsigned)s->simulate, scratch) == 0) {
            memcpy(tl, scratch, sizeof *tl);
            return 2;
        }
    }
    return 1;
}

int tui_timeline_lines(const tui_screen *s)
{
    if (!s->ran)
        return 1;
    int threads = s->ran->sum.n_threads > 0 ? s->ran->sum.n_threads : 1;
    if (s->simulate > 0)
        threads = s->simulate;
    return threads + 1; /* a row per thread, the time axis */
}

static void title(const tui_screen *s, const timeline *tl, int kind, int width, char *buf,
                  size_t size)
{
    const tui_glyphs *gl = tui_glyphs_get(s->utf8);
    char t[32], r[32];
    if (kind == 2) {
        double sp = tl->now > 0 ? tl->work / tl->now : 0;
        snprintf(buf, size, "Timeline %s %s simulated on %d threads from measured stage times %s "
                 "predicted %s",
                 gl->dot, ekm_strategy_name(tl->strategy), tl->simulated, gl->dot,
                 tui_fmt_ratio(r, sizeof r, sp, s->utf8));
        if (tui_text_width(buf) + 8 > width) /* the short form */
            snprintf(buf, size, "Timeline %s %s on %d threads, simulated %s predicted %s", gl->dot,
                     ekm_strategy_name(tl->strategy), tl->simulated, gl->dot,
                     tui_fmt_ratio(r, sizeof r, sp, s->utf8));
        return;
    }
    snprintf(buf, size, "Timeline %s %s %s %d thread%s %s %s%s", gl->dot,
             ekm_strategy_name(tl->strategy), gl->dot, tl->n_threads, tl->n_threads == 1 ? "" : "s",
             gl->dot, tui_fmt_seconds(t, sizeof t, tl->now), tl->running ? " running" : "");
}

static void draw_row(tui_grid *g, int row, int col, int width, const timeline *tl,
                     const timeline_segment *seg, int nseg, int thread)
{
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    tui_grid_fill(g, row, col, width, gl->empty, TUI_ROLE_DIM); /* idle */
    for (int i = 0; i < nseg; i++) {
        if (seg[i].row != thread)
            continue;
        const timeline_bar *b = &tl->bar[seg[i].bar];
        tui_role role = b->running ? TUI_ROLE_RUNNING : TUI_ROLE_DONE;
        int w = seg[i].col1 - seg[i].col0;
        tui_grid_fill(g, row, col + seg[i].col0, w, g->utf8 ? 0x2588 : '=', role);
        int lw = (int)strlen(b->label);
        if (w >= lw)
            tui_grid_put(g, row, col + seg[i].col0, lw, role, b->label);
        else
            tui_grid_fill(g, row, col + seg[i].col0, 1, (uint32_t)b->label[0], role);
    }
}

void tui_draw_timeline(const tui_screen *s, tui_grid *g, int top, int height)
{
    if (height <= 0)
        return;
    timeline *tl = malloc(sizeof *tl), *scratch = malloc(sizeof *scratch);
    timeline_segment *seg = malloc(TIMELINE_MAX_BARS * sizeof *seg);
    if (!tl || !scratch || !seg) {
        tui_draw_rule(g, top, "Timeline", "out of memory");
        goto done;
    }
    int kind = fill(s, tl, scratch);
    if (!kind) {
        tui_draw_rule(g, top, "Timeline", NULL);
        if (height > 1)
            tui_grid_put(g, top + 1, 1, g->cols - 1, TUI_ROLE_DIM,
                         "no run yet: r runs the plan, and each thread's stages show here");
        goto done;
    }
    char buf[256], right[64] = "";
    title(s, tl, kind, g->cols, buf, sizeof buf);
    int rows = height - 1;
    int axis = rows > tl->n_threads ? 1 : 0; /* the time axis when there is room */
    int shown = rows - axis;
    if (shown > tl->n_threads)
        shown = tl->n_threads;
    if (shown < tl->n_threads && shown >= 0) /* say that rows are missing */
        snprintf(right, sizeof right, "t%d-t%d not shown", shown, tl->n_threads - 1);
    else if (kind == 1 && s->ran_plan && !tl->running)
        snprintf(right, sizeof right, "T simulates more threads");
    tui_draw_rule(g, top, buf, right);
    int lw = label_width(tl->n_threads);
    int col = 1 + lw + 1, width = g->cols - col - 1;
    if (width < 4 || shown <= 0)
        goto done;
    double span = timeline_span(tl);
    int nseg = timeline_layout(tl, width, span, shown, seg, TIMELINE_MAX_BARS);
    for (int t = 0; t < shown; t++) {
        tui_grid_printf(g, top + 1 + t, 1, lw, TUI_ROLE_LABEL, "t%d", t);
        draw_row(g, top + 1 + t, col, width, tl, seg, nseg, t);
    }
    if (axis) {
        int row = top + 1 + shown;
        char a[32], b[64];
        tui_grid_put(g, row, col, width, TUI_ROLE_DIM, "0");
        snprintf(b, sizeof b, "%s%s", tui_fmt_seconds(a, sizeof a, span),
                 kind == 2 ? " (simulated)" : "");
        int bw = tui_text_width(b);
        tui_grid_put(g, row, col + width - bw, bw, TUI_ROLE_DIM, b);
    }
done:
    free(tl);
    free(scratch);
    free(seg);
}
