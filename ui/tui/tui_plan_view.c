/* tui_plan_view.c — the plan's tree, one line per stage from the root down (a
 * merge above its two children, indented by depth), each with a bar, percent,
 * done/total, the thread that runs it, its time and its state; a merge that has
 * not started says which children it waits for. fused and pruned plans are one
 * shared stage: their lines are that stage (the search space closed), one bar per
 * thread, and for pruned the split between evaluated and pruned K-subsets. A
 * stage's bar is as long as its share of the plan's work (the full width is all of
 * it) and filled as far as the stage has gone. */
#include <stdio.h>
#include <string.h>

#include "common/progress_text.h"
#include "common/load_report.h"
#include "tui/tui_internal.h"

typedef enum line_kind { LINE_STAGE, LINE_THREAD, LINE_CLOSED } line_kind;

typedef struct plan_line {
    line_kind kind;
    int index;       /* stage or thread */
    char prefix[64]; /* tree connectors */
} plan_line;

/* Column widths of one layout; 0 hides a column. */
typedef struct columns {
    int name, bar, pct, counts, thread, time, state;
    int wide; /* counts with thousands separators, else compact */
} columns;

static int is_shared(const progress_snap *p)
{
    return p->sum.n_stages == 1 && p->stages[0].spec.kind == EKM_STAGE_SHARED;
}

int tui_plan_lines(const tui_screen *s)
{
    const progress_snap *p = s->snap;
    if (!p)
        return 1;
    if (is_shared(p))
        return 1 + p->sum.n_threads + (p->sum.strategy == EKM_STRATEGY_PRUNED);
    return p->sum.n_stages;
}

/* The stages in depth-first order from the root, with their tree connectors. */
static int stage_lines(const progress_snap *p, const tui_glyphs *gl, plan_line *out)
{
    int stack[EKM_MAX_STAGES];
    char prefixes[EKM_MAX_STAGES][64];
    int n = 0, top = 0;
    for (int s = p->sum.n_stages - 1; s >= 0 && top < EKM_MAX_STAGES; s--)
        if (p->stages[s].spec.parent < 0) {
            stack[top] = s;
            prefixes[top][0] = '\0';
            top++;
        }
    while (top > 0 && n < EKM_MAX_STAGES) {
        top--;
        int s = stack[top];
        char mine[64];
        snprintf(mine, sizeof mine, "%s", prefixes[top]);
        out[n].kind = LINE_STAGE;
        out[n].index = s;
        snprintf(out[n].prefix, sizeof out[n].prefix, "%s", mine);
        n++;
        const ekm_stage_spec *sp = &p->stages[s].spec;
        /* Children: push the last first so the first is drawn first. The prefix
         * of a child is the parent's with its own connector turned into a pipe
         * (or blanks after the last child). */
        char base[64];
        snprintf(base, sizeof base, "%s", mine);
        size_t len = strlen(base);
        if (len >= strlen(gl->branch)) {
            /* replace the parent's own connector */
            const char *own = base + len - strlen(gl->branch);
            int last = strcmp(own, gl->last) == 0;
            snprintf(base + (own - base), sizeof base - (size_t)(own - base), "%s",
                     last ? "  " : gl->pipe);
        }
        for (int c = 1; c >= 0; c--) {
            int ch = sp->child[c];
            if (ch < 0 || ch >= p->sum.n_stages || top >= EKM_MAX_STAGES)
                continue;
            stack[top] = ch;
            snprintf(prefixes[top], sizeof prefixes[top], "%s%s", base,
                     c == 1 ? gl->last : gl->branch);
            top++;
        }
    }
    return n;
}

static int build_lines(const progress_snap *p, const tui_glyphs *gl, plan_line *out)
{
    if (!is_shared(p))
        return stage_lines(p, gl, out);
    int n = 0;
    out[n++] = (plan_line){LINE_STAGE, 0, ""};
    int pruned = p->sum.strategy == EKM_STRATEGY_PRUNED;
    for (int t = 0; t < p->sum.n_threads; t++) {
        out[n] = (plan_line){LINE_THREAD, t, ""};
        snprintf(out[n].prefix, sizeof out[n].prefix, "%s",
                 t + 1 < p->sum.n_threads || pruned ? gl->branch : gl->last);
        n++;
    }
    if (pruned) {
        out[n] = (plan_line){LINE_CLOSED, 0, ""};
        snprintf(out[n].prefix, sizeof out[n].prefix, "%s", gl->last);
        n++;
    }
    return n;
}

static void line_name(const progress_snap *p, const plan_line *l, char *buf, size_t size)
{
    char name[64];
    if (l->kind == LINE_STAGE)
        progress_stage_name(&p->stages[l->index], name, sizeof name);
    else if (l->kind == LINE_THREAD)
        snprintf(name, sizeof name, "thread %d", l->index);
    else
        snprintf(name, sizeof name, "closed");
    snprintf(buf, size, "%s%s", l->prefix, name);
}

static int counts_width(const progress_snap *p, int wide)
{
    if (!wide)
        return 11; /* "12.3M/45.6M" */
    ekm_count biggest = 0;
    for (int s = 0; s < p->sum.n_stages; s++)
        if (p->stages[s].spec.total > biggest)
            biggest = p->stages[s].spec.total;
    char buf[COUNT_TEXT_MAX];
    return 2 * (int)strlen(format_count(buf, sizeof buf, biggest)) + 1;
}

static int used_width(const columns *c)
{
    int used = 1 + c->name + 1 + 1 + c->state;
    used += c->pct ? c->pct + 1 : 0;
    used += c->counts ? c->counts + 1 : 0;
    used += c->thread ? c->thread + 1 : 0;
    used += c->time ? c->time + 1 : 0;
    return used;
}

static columns layout(const progress_snap *p, const plan_line *lines, int n, int cols)
{
    int name = 8;
    for (int i = 0; i < n; i++) {
        char buf[160];
        line_name(p, &lines[i], buf, sizeof buf);
        int w = tui_text_width(buf);
        if (w > name)
            name = w;
    }
    int cap = cols * 7 / 20 > 16 ? cols * 7 / 20 : 16;
    if (name > cap)
        name = cap;
    char tw[16];
    int thread = snprintf(tw, sizeof tw, "t%d", p->sum.n_threads > 0 ? p->sum.n_threads - 1 : 0);
    columns c = {.name = name, .pct = 6, .thread = thread > 3 ? thread : 3, .time = 6,
                 .state = 9, .wide = cols >= 110};
    c.counts = counts_width(p, c.wide);
    /* Narrow screens give up, in this order, exact counts, the percent (the
     * counts say it), the counts, the time and the thread, until the bar has
     * room for a merge's "waits for M4, M5". */
    for (int step = 0;; step++) {
        c.bar = cols - used_width(&c) - 1;
        if (c.bar >= 16 || step == 5)
            break;
        switch (step) {
        case 0: c.wide = 0; c.counts = counts_width(p, 0); break;
        case 1: c.pct = 0; break;
        case 2: c.counts = 0; break;
        case 3: c.time = 0; break;
        case 4: c.thread = 0; break;
        }
    }
    if (c.bar < 4)
        c.bar = 4;
    return c;
}

static void counts_text(char *buf, size_t size, ekm_count done, ekm_count total, int wide,
                        int width)
{
    char a[COUNT_TEXT_MAX], b[COUNT_TEXT_MAX];
    if (wide) {
        format_count(a, sizeof a, done);
        format_count(b, sizeof b, total);
    } else {
        tui_fmt_compact(a, sizeof a, (double)done);
        tui_fmt_compact(b, sizeof b, (double)total);
    }
    int half = (width - 1) / 2;
    snprintf(buf, size, "%*s/%-*s", half, a, half, b);
}

/* "L2" or "M4": the short name of a stage, as the merge lines refer to children. */
static void short_name(const ekm_stage_progress *sp, char *buf, size_t size)
{
    char c = sp->spec.kind == EKM_STAGE_MERGE ? 'M' : sp->spec.kind == EKM_STAGE_LEAF ? 'L' : 'S';
    snprintf(buf, size, "%c%d", c, sp->spec.id);
}

/* What a merge that has not started shows in its bar (a shorter form for narrow bars). */
static void waiting_text(const progress_snap *p, const ekm_stage_progress *sp, int width,
                         char *buf, size_t size)
{
    char names[2][16];
    int n = 0;
    for (int c = 0; c < 2; c++) {
        int ch = sp->spec.child[c];
        if (ch >= 0 && ch < p->sum.n_stages && p->stages[ch].state != EKM_RUN_DONE)
            short_name(&p->stages[ch], names[n++], sizeof names[0]);
    }
    if (n == 2)
        snprintf(buf, size, "waits for %s, %s", names[0], names[1]);
    else if (n == 1)
        snprintf(buf, size, "waits for %s", names[0]);
    else
        snprintf(buf, size, "ready, waits for a thread");
    if (tui_text_width(buf) <= width)
        return;
    if (n == 2)
        snprintf(buf, size, "waits %s,%s", names[0], names[1]);
    else if (n == 1)
        snprintf(buf, size, "waits %s", names[0]);
    else
        snprintf(buf, size, "ready, no thread");
}

static double stage_seconds(const progress_snap *p, const ekm_stage_progress *sp)
{
    if (sp->start < 0)
        return -1;
    double end = sp->end >= 0 ? sp->end : p->sum.elapsed;
    return end > sp->start ? end - sp->start : 0;
}

/* Cells of a bar of width w for the stage's share of the plan's work (at least one). */
static int share_width(const progress_snap *p, const ekm_stage_progress *sp, int w)
{
    ekm_count all = 0;
    for (int s = 0; s < p->sum.n_stages; s++)
        all += p->stages[s].spec.total;
    if (!all)
        return w;
    int cells = (int)((double)sp->spec.total / (double)all * w + 0.5);
    return cells < 1 ? 1 : cells > w ? w : cells;
}

/* The evaluated part in the state's colour, then the pruned part, then empty cells. */
static void stacked_bar(tui_grid *g, int row, int col, int w, ekm_count evaluated,
                        ekm_count pruned, ekm_count total, tui_role role)
{
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    int eval_cells = total ? (int)((double)evaluated / (double)total * w) : 0;
    int closed_cells = total ? (int)((double)(evaluated + pruned) / (double)total * w) : 0;
    for (int i = 0; i < w; i++) {
        if (i < eval_cells)
            tui_grid_fill(g, row, col + i, 1, g->utf8 ? 0x2588 : '#', role);
        else if (i < closed_cells)
            tui_grid_fill(g, row, col + i, 1, gl->pruned, TUI_ROLE_PRUNED);
        else
            tui_grid_fill(g, row, col + i, 1, gl->empty, TUI_ROLE_DIM);
    }
}

static void draw_line(const tui_screen *s, tui_grid *g, int row, const plan_line *l,
                      const columns *c)
{
    const progress_snap *p = s->snap;
    char buf[160];
    int col = 1;
    line_name(p, l, buf, sizeof buf);
    int pre = tui_text_width(l->prefix);
    tui_grid_put(g, row, col, c->name, TUI_ROLE_DIM, l->prefix);
    const ekm_stage_progress *sp = &p->stages[l->kind == LINE_STAGE ? l->index : 0];
    tui_role role = tui_state_role(sp->state);
    tui_role name_role = l->kind == LINE_STAGE ? TUI_ROLE_NORMAL : TUI_ROLE_DIM;
    tui_grid_put(g, row, col + pre, c->name - pre, name_role, buf + strlen(l->prefix));
    col += c->name + 1;
    int bar_col = col;

    if (l->kind == LINE_CLOSED) {
        char e[32], q[32];
        double total = (double)sp->spec.total;
        snprintf(buf, sizeof buf, "evaluated %s (%.1f%%)  pruned %s (%.1f%%)  open %.1f%%",
                 tui_fmt_compact(e, sizeof e, (double)(sp->done - sp->pruned)),
                 total ? 100.0 * (double)(sp->done - sp->pruned) / total : 0,
                 tui_fmt_compact(q, sizeof q, (double)sp->pruned),
                 total ? 100.0 * (double)sp->pruned / total : 0,
                 total ? 100.0 * (double)(sp->spec.total - sp->done) / total : 0);
        tui_grid_put(g, row, bar_col, g->cols - bar_col, TUI_ROLE_NORMAL, buf);
        return;
    }

    ekm_count done, total = sp->spec.total;
    const char *state;
    char thread[16];
    double secs;
    if (l->kind == LINE_THREAD) {
        const ekm_thread_progress *th = &p->thread[l->index];
        done = th->done;
        int running = sp->state == EKM_RUN_RUNNING;
        role = running ? (th->busy ? TUI_ROLE_RUNNING : TUI_ROLE_WAITING) : role;
        state = running ? (th->busy ? "busy" : "idle") : ekm_run_state_name(sp->state);
        snprintf(thread, sizeof thread, "t%d", l->index);
        secs = s->preview ? -1 : tui_thread_busy_seconds(p, l->index);
    } else {
        done = sp->done;
        state = ekm_run_state_name(sp->state);
        if (sp->thread >= 0)
            snprintf(thread, sizeof thread, "t%d", sp->thread);
        else
            snprintf(thread, sizeof thread, "%s",
                     sp->spec.kind == EKM_STAGE_SHARED && p->sum.n_threads > 1 ? "all" : "-");
        secs = stage_seconds(p, sp);
    }
    double f = total ? (double)done / (double)total : 0;

    /* the bar */
    if (l->kind == LINE_STAGE && sp->spec.kind == EKM_STAGE_MERGE && sp->state == EKM_RUN_WAITING) {
        tui_draw_bar(g, row, bar_col, c->bar, 0, role);
        waiting_text(p, sp, c->bar, buf, sizeof buf);
        tui_grid_put(g, row, bar_col, c->bar, TUI_ROLE_WAITING, buf);
    } else if (l->kind == LINE_STAGE && p->sum.strategy == EKM_STRATEGY_PRUNED) {
        stacked_bar(g, row, bar_col, c->bar, done - sp->pruned, sp->pruned, total, role);
    } else if (l->kind == LINE_STAGE && !is_shared(p)) {
        /* the bar's length is the stage's share of all the work, its fill the stage's
         * progress: a leaf of 12.5 % and a merge of 75 % do not look alike */
        int w = share_width(p, sp, c->bar);
        tui_draw_bar(g, row, bar_col, w, f, role);
    } else {
        tui_draw_bar(g, row, bar_col, c->bar, f, role);
    }
    col += c->bar + 1;

    if (c->pct) {
        if (total || l->kind == LINE_THREAD)
            tui_grid_printf(g, row, col, c->pct, TUI_ROLE_NORMAL, "%5.1f%%",
                            total ? 100.0 * f : 0.0);
        else
            tui_grid_printf(g, row, col, c->pct, TUI_ROLE_NORMAL, "%6s", "-");
        col += c->pct + 1;
    }
    if (c->counts) {
        if (l->kind == LINE_THREAD) {
            char a[COUNT_TEXT_MAX];
            if (c->wide)
                format_count(a, sizeof a, done);
            else
                tui_fmt_compact(a, sizeof a, (double)done);
            snprintf(buf, sizeof buf, "%*s", (c->counts - 1) / 2, a);
        } else {
            counts_text(buf, sizeof buf, done, total, c->wide, c->counts);
        }
        tui_grid_put(g, row, col, c->counts, TUI_ROLE_NORMAL, buf);
        col += c->counts + 1;
    }
    if (c->thread) {
        tui_grid_printf(g, row, col, c->thread, TUI_ROLE_NORMAL, "%-*s", c->thread, thread);
        col += c->thread + 1;
    }
    if (c->time) {
        char t[32];
        tui_grid_printf(g, row, col, c->time, TUI_ROLE_NORMAL, "%*s", c->time,
                        tui_fmt_seconds(t, sizeof t, secs));
        col += c->time + 1;
    }
    tui_grid_put(g, row, col, c->state, role, state);
}

static void plan_title(const tui_screen *s, char *buf, size_t size)
{
    const progress_snap *p = s->snap;
    const tui_glyphs *gl = tui_glyphs_get(s->utf8);
    char bound[32], pred[32];
    int o = snprintf(buf, size, "Plan %s %s ", ekm_strategy_name(p->sum.strategy), gl->dot);
    if (is_shared(p))
        o += snprintf(buf + o, size - (size_t)o, "1 shared stage");
    else
        o += snprintf(buf + o, size - (size_t)o, "%d stage%s", p->sum.n_stages,
                      p->sum.n_stages == 1 ? "" : "s");
    if (s->plan && ekm_strategy_is_exact(p->sum.strategy) && o < (int)size)
        o += snprintf(buf + o, size - (size_t)o, " %s bound %s %s predicted %s", gl->dot,
                      tui_fmt_ratio(bound, sizeof bound, s->plan->amdahl_bound, s->utf8), gl->dot,
                      tui_fmt_ratio(pred, sizeof pred, s->plan->predicted_speedup, s->utf8));
}

void tui_draw_plan(const tui_screen *s, tui_grid *g, int top, int height, tui_render_info *info)
{
    if (height <= 0)
        return;
    const progress_snap *p = s->snap;
    if (!p) {
        tui_draw_rule(g, top, "Plan", NULL);
        if (height > 1 && s->plan_error && *s->plan_error)
            tui_grid_printf(g, top + 1, 1, g->cols - 1, TUI_ROLE_ERROR, "no plan: %s",
                            s->plan_error);
        else if (height > 1)
            tui_grid_put(g, top + 1, 1, g->cols - 1, TUI_ROLE_DIM,
                         "no data: l loads a CSV file, then r runs");
        return;
    }
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    plan_line lines[1 + EKM_MAX_STAGES + EKM_MAX_THREADS];
    int n = build_lines(p, gl, lines);
    int rows = height - 1;
    int first = s->plan_scroll;
    if (first > n - rows)
        first = n - rows;
    if (first < 0)
        first = 0;
    char title[256], right[64] = "";
    plan_title(s, title, sizeof title);
    if (n > rows && rows > 0)
        snprintf(right, sizeof right, "%s%s %d-%d of %d", gl->up, gl->down, first + 1,
                 first + rows < n ? first + rows : n, n);
    else if (s->preview)
        snprintf(right, sizeof right, "not started");
    tui_draw_rule(g, top, title, right);
    info->plan_first = first;
    info->plan_rows = rows;
    info->plan_lines = n;
    columns c = layout(p, lines, n, g->cols);
    for (int i = 0; i < rows && first + i < n; i++)
        draw_line(s, g, top + 1 + i, &lines[first + i], &c);
}
