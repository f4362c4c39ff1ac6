/* tui_help.c — the help screen: its text (assets/help/tui.txt, read at run time,
 * with a built-in copy of the essentials) and its drawing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/help_file.h"
#include "tui/tui_internal.h"

static const char builtin_help[] =
    "ekm dashboard: exact K-medoids, every stage of the plan live\n"
    "\n"
    "(the full help, assets/help/tui.txt, was not found: this is the short form)\n"
    "\n"
    "KEYS\n"
    "  r run    c cancel    s/S next/previous strategy    +/- threads\n"
    "  k/K one medoid more/fewer    p tree partitions    l load FILE [options]\n"
    "  g plot window    Up/Down PgUp/PgDn scroll the plan    ? or F1 help    q quit\n"
    "  t timeline (each thread's stages over time)    T simulate it on more threads\n"
    "  w save the plot window's view as a PNG\n"
    "\n"
    "The plan view draws the plan's stages from the root down: leaves (L) evaluate\n"
    "the K-subsets inside their range of points, merges (M) those that take points\n"
    "from both children, and a merge waits until both children are done.\n"
    "\n"
    "Run history: speedup = the latest seq run's time / this run's time (same data,\n"
    "N, K); bound = all K-subsets / the heaviest chain of stages from a leaf to the\n"
    "root, the most this plan can gain from threads; efficiency = speedup/threads.\n";

const char *tui_help_builtin(void) { return builtin_help; }

char *tui_help_read_file(const char *path) { return help_file_read(path); }

char *tui_help_load(void)
{
    char *text = help_file_load("tui.txt");
    return text ? text : strdup(builtin_help);
}

/* The number of lines of text. */
static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n + (*text && text[strlen(text) - 1] != '\n');
}

void tui_draw_help(const tui_screen *s, tui_grid *g)
{
    const char *text = s->help_text ? s->help_text : builtin_help;
    int rows = g->rows - 2, total = count_lines(text);
    int first = s->help_scroll;
    if (first > total - rows)
        first = total - rows;
    if (first < 0)
        first = 0;
    const tui_glyphs *gl = tui_glyphs_get(g->utf8);
    char right[64] = "";
    if (total > rows)
        snprintf(right, sizeof right, "%s%s lines %d-%d of %d", gl->up, gl->down, first + 1,
                 first + rows < total ? first + rows : total, total);
    tui_draw_rule(g, 0, "Help", right);
    const char *p = text;
    for (int line = 0; *p && line < first + rows; line++) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (line >= first) {
            char buf[1024];
            snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), p);
            int heading = buf[0] >= 'A' && buf[0] <= 'Z';
            for (const char *c = buf; *c && heading; c++)
                heading = (*c >= 'A' && *c <= 'Z') || *c == ' ';
            tui_grid_put(g, 1 + line - first, 1, g->cols - 1,
                         heading ? TUI_ROLE_TITLE : TUI_ROLE_NORMAL, buf);
        }
        p = end ? end + 1 : p + len;
    }
    int col = 0, row = g->rows - 1;
    col += tui_grid_put(g, row, col, g->cols, TUI_ROLE_KEY, "Up/Down/PgUp/PgDn");
    col += tui_grid_put(g, row, col, g->cols - col, TUI_ROLE_KEY_LABEL, " scroll");
    col += 2;
    col += tui_grid_put(g, row, col, g->cols - col, TUI_ROLE_KEY, "other keys");
    tui_grid_put(g, row, col, g->cols - col, TUI_ROLE_KEY_LABEL, " back to the dashboard");
}
