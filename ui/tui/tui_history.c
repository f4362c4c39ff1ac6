/* tui_history.c — the run history table: each run's strategy, size, threads and
 * time, its speedup against seq on the same data and K, the plan's own bound on
 * speedup (min(T, total / critical path)) and the efficiency (speedup / threads).
 * A speedup above the bound or the cores is marked "!", one from a run too short
 * to time "~" (speedup_judge), with the latest flagged run's reason on the last
 * row. A
 * benchmark's cell (from the REPL's `bench`, entered as it finishes) is one row:
 * its median time, state "bench×R" for the R timed runs of the median. Columns
 * that do not fit are dropped, least useful first; the newest runs are shown. */
#include <stdio.h>
#include <string.h>

#include "tui/tui_internal.h"

typedef enum col_id {
    COL_INDEX,
    COL_DATA,
    COL_STRATEGY,
    COL_N,
    COL_K,
    COL_THREADS,
    COL_SECONDS,
    COL_SPEEDUP,
    COL_BOUND,
    COL_EFFICIENCY,
    COL_STATE,
    COL_OBJECTIVE,
    COL_COUNT
} col_id;

typedef struct column {
    const char *title;
    int width;
    int right;    /* right-aligned */
    int priority; /* columns of the lowest priority go first when space is short */
} column;

static const column table[COL_COUNT] = {
    [COL_INDEX] = {"#", 3, 1, 1},
    [COL_DATA] = {"data", 10, 0, 2},
    [COL_STRATEGY] = {"strategy", 9, 0, 9},
    [COL_N] = {"N", 7, 1, 6},
    [COL_K] = {"K", 3, 1, 7},
    [COL_THREADS] = {"threads", 7, 1, 8},
    [COL_SECONDS] = {"seconds", 8, 1, 9},
    [COL_SPEEDUP] = {"speedup", 7, 1, 9},
    [COL_BOUND] = {"bound", 7, 1, 9},
    [COL_EFFICIENCY] = {"efficiency", 10, 1, 8},
    [COL_STATE] = {"state", 9, 0, 5},
    [COL_OBJECTIVE] = {"objective", 14, 1, 3},
};

double tui_history_speedup(const workspace *ws, const run_record *r)
{
    if (r->state != EKM_RUN_DONE || r->seconds <= 0)
        return 0;
    double seq = workspace_seq_seconds(ws, r);
    return seq > 0 ? seq / r->seconds : 0;
}

int tui_history_lines(const tui_screen *s)
{
    return 1 + (s->ws->n_history ? (int)s->ws->n_history : 1);
}

/* Which columns to show and the gap between them for this width. */
static void choose_columns(int cols, int shown[COL_COUNT], int *gap)
{
    for (int level = 0; level < 10; level++) {
        for (int g = 2; g >= 1; g--) {
            int used = 1, n = 0;
            for (int c = 0; c < COL_COUNT; c++) {
                shown[c] = table[c].priority > level;
                if (shown[c]) {
                    used += table[c].width + (n ? g : 0);
                    n++;
                }
            }
            if (used <= cols) {
                *gap = g;
                return;
            }
        }
    }
    *gap = 1; /* the narrowest: whatever fits, cut by the grid */
}

static void cell(tui_grid *g, int row, int *col, int gap, col_id c, tui_role role,
                 const char *text)
{
    const column *cd = &table[c];
    char buf[64];
    int w = tui_text_width(text);
    if (cd->right && w < cd->width)
        snprintf(buf, sizeof buf, "%*s%s", cd->width - w, "", text);
    else
        snprintf(buf, sizeof buf, "%s", text);
    tui_grid_put(g, row, *col, cd->width, role, buf);
    *col += cd->width + gap;
}

static void draw_run(const tui_screen *s, tui_grid *g, int row, size_t i, const int shown[],
                     int gap)
{
    const run_record *r = &s->ws->history[i];
    speedup_sample smp;
    int flags = workspace_speedup(s->ws, r, &smp);
    double speedup = flags ? smp.speedup : 0;
    int rough = (flags & SPEEDUP_TOO_SHORT) != 0;
    int above = (flags & SPEEDUP_ABOVE_BOUND) != 0;
    const char *mark = speedup_mark(flags);
    double bound = r->exact && r->state == EKM_RUN_DONE ? r->amdahl_bound : 0;
    char text[COL_COUNT][64];
    snprintf(text[COL_INDEX], 64, "%zu", i + 1);
    tui_fmt_basename(text[COL_DATA], 64, r->dataset);
    snprintf(text[COL_STRATEGY], 64, "%s", ekm_strategy_name(r->strategy));
    snprintf(text[COL_N], 64, "%zu", r->n);
    snprintf(text[COL_K], 64, "%u", r->k);
    snprintf(text[COL_THREADS], 64, "%u", r->threads);
    snprintf(text[COL_SECONDS], 64, r->seconds < 100 ? "%.3f" : "%.1f", r->seconds);
    char ratio[32];
    tui_fmt_ratio(ratio, sizeof ratio, speedup, s->utf8);
    snprintf(text[COL_SPEEDUP], 64, "%s%s", ratio, speedup > 0 ? mark : "");
    tui_fmt_ratio(text[COL_BOUND], 64, bound, s->utf8);
    if (speedup > 0 && r->threads)
        snprintf(text[COL_EFFICIENCY], 64, "%.0f%%%s", 100 * speedup / r->threads, mark);
    else
        snprintf(text[COL_EFFICIENCY], 64, "-");
    if (r->runs) /* a benchmark's cell or R's repeat: the median of r->runs timed runs */
        snprintf(text[COL_STATE], 64, "%s%s%u", r->repeated ? "median" : "bench",
                 s->utf8 ? "\xc3\x97" : " x", r->runs);
    else
        snprintf(text[COL_STATE], 64, "%s", ekm_run_state_name(r->state));
    if (r->state == EKM_RUN_DONE)
        snprintf(text[COL_OBJECTIVE], 64, "%.10g", r->objective);
    else
        snprintf(text[COL_OBJECTIVE], 64, "-");
    int col = 1;
    for (int c = 0; c < COL_COUNT; c++) {
        if (!shown[c])
            continue;
        tui_role role = TUI_ROLE_NORMAL;
        if (c == COL_STATE)
            role = r->runs ? TUI_ROLE_VALUE : tui_state_role(r->state);
        else if (c == COL_STRATEGY)
            role = TUI_ROLE_VALUE;
        else if ((c == COL_SPEEDUP || c == COL_EFFICIENCY) && above)
            role = TUI_ROLE_ERROR; /* not to be trusted: see the note below the table */
        else if ((c == COL_SPEEDUP || c == COL_EFFICIENCY) && rough)
            role = TUI_ROLE_DIM; /* too short to time well */
        else if (c == COL_SPEEDUP && speedup > 0 && bound > 0 && bound < r->threads &&
                 speedup >= 0.9 * bound)
            role = TUI_ROLE_BEST; /* the plan, not the thread count, is what stops it */
        cell(g, row, &col, gap, (col_id)c, role, text[c]);
    }
}

void tui_draw_history(const tui_screen *s, tui_grid *g, int top, int height)
{
    if (height <= 0)
        return;
    tui_draw_rule(g, top, "Run history",
                  "speedup = seq/time; bound = min(T, total/critical path)");
    if (height < 2)
        return;
    int shown[COL_COUNT], gap;
    choose_columns(g->cols, shown, &gap);
    int col = 1;
    tui_grid_fill(g, top + 1, 0, g->cols, ' ', TUI_ROLE_TABLE_HEAD);
    for (int c = 0; c < COL_COUNT; c++)
        if (shown[c])
            cell(g, top + 1, &col, gap, (col_id)c, TUI_ROLE_TABLE_HEAD, table[c].title);
    int rows = height - 2;
    size_t n = s->ws->n_history;
    if (!n) {
        if (rows > 0)
            tui_grid_put(g, top + 2, 1, g->cols - 1, TUI_ROLE_DIM,
                         "no runs yet: r runs the plan above; run seq too for the speedups");
        return;
    }
    /* the latest flagged run's reason takes the last row */
    char note[160] = "";
    tui_role note_role = TUI_ROLE_DIM;
    for (size_t i = n; i-- > 0 && !note[0];) {
        speedup_sample smp;
        int flags = workspace_speedup(s->ws, &s->ws->history[i], &smp) & 0xff;
        if (flags) {
            char why[120];
            snprintf(note, sizeof note, "%s #%zu: %s", speedup_mark(flags), i + 1,
                     speedup_reason(&smp, flags, why, sizeof why));
            if (flags & SPEEDUP_ABOVE_BOUND)
                note_role = TUI_ROLE_ERROR;
        }
    }
    if (note[0] && rows >= 2)
        rows--;
    else
        note[0] = 0;
    size_t first = n > (size_t)rows ? n - (size_t)rows : 0;
    for (size_t i = first; i < n; i++)
        draw_run(s, g, top + 2 + (int)(i - first), i, shown, gap);
    if (note[0])
        tui_grid_put(g, top + 2 + (int)(n - first), 1, g->cols - 1, note_role, note);
}
