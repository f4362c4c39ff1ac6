/* tui_keybar.c — the bottom line: each key and what it does, htop style (the key
 * highlighted, its label next to it); a prompt shows its own keys instead. */
#include <string.h>

#include "tui/tui_internal.h"

typedef struct key_item {
    const char *key, *label;
} key_item;

static const key_item dashboard_keys[] = {
    {"r", "Run"},      {"c", "Cancel"}, {"s/S", "Strategy"}, {"+/-", "Threads"},
    {"k/K", "Medoids"}, {"p", "Parts"}, {"l", "Load"},       {"g", "Plot"},
    {"t", "Timeline"},
    {"?", "Help"},     {"q", "Quit"},   {NULL, NULL},
};
static const key_item prompt_keys[] = {
    {"Enter", "OK"}, {"Esc", "Cancel"}, {"^U", "Clear"}, {NULL, NULL},
};
static const key_item confirm_keys[] = {
    {"y", "Yes"}, {"n", "No"}, {NULL, NULL},
};

/* Shorter labels for a screen too narrow for every key with its full label. */
static const char *label_of(const key_item *it, int brief)
{
    static const char *const shorter[][2] = {
        {"Strategy", "Strat"}, {"Threads", "Thr"}, {"Medoids", "K"}, {"Timeline", "Time"},
    };
    for (size_t i = 0; brief && i < sizeof shorter / sizeof shorter[0]; i++)
        if (!strcmp(it->label, shorter[i][0]))
            return shorter[i][1];
    return it->label;
}

static int items_width(const key_item *items, int gap, int brief)
{
    int w = 0;
    for (int i = 0; items[i].key; i++)
        w += (i ? gap : 0) + tui_text_width(items[i].key) +
             tui_text_width(label_of(&items[i], brief));
    return w;
}

void tui_draw_keybar(const tui_screen *s, tui_grid *g, int row)
{
    const key_item *items = s->input == TUI_INPUT_CONFIRM ? confirm_keys
                            : s->input != TUI_INPUT_NONE  ? prompt_keys
                                                          : dashboard_keys;
    int gap = items_width(items, 2, 0) <= g->cols ? 2 : 1;
    int brief = items_width(items, gap, 0) > g->cols;
    int col = 0;
    for (int i = 0; items[i].key && col < g->cols; i++) {
        if (i)
            col += gap;
        col += tui_grid_put(g, row, col, g->cols - col, TUI_ROLE_KEY, items[i].key);
        col += tui_grid_put(g, row, col, g->cols - col, TUI_ROLE_KEY_LABEL, label_of(&items[i], brief));
    }
}

void tui_draw_status(const tui_screen *s, tui_grid *g, int row, tui_cursor *cursor)
{
    if (s->input != TUI_INPUT_NONE) {
        const char *q = s->prompt ? s->prompt : "";
        const char *text = s->input_text ? s->input_text : "";
        int col = tui_grid_put(g, row, 0, g->cols, TUI_ROLE_PROMPT, q);
        if (s->input == TUI_INPUT_CONFIRM)
            return;
        col += col < g->cols ? 1 : 0;
        int room = g->cols - col - 1; /* keep a cell for the cursor */
        int w = tui_text_width(text);
        const char *shown = text;
        while (w > room && *shown) { /* show the end of a long input */
            shown++;
            while ((*shown & 0xC0) == 0x80)
                shown++;
            w--;
        }
        col += tui_grid_put(g, row, col, room > 0 ? room : 0, TUI_ROLE_NORMAL, shown);
        cursor->row = row;
        cursor->col = col < g->cols ? col : g->cols - 1;
        return;
    }
    if (s->status && *s->status) {
        tui_grid_put(g, row, 0, g->cols, s->status_error ? TUI_ROLE_ERROR : TUI_ROLE_STATUS,
                     s->status);
        return;
    }
    const progress_snap *p = s->snap;
    const char *hint = !s->data.name[0] ? "l loads a CSV file; ? explains every key"
                       : p && !s->preview && p->sum.state == EKM_RUN_RUNNING
                           ? "c cancels the run; ? explains what the screen shows"
                           : "r runs the plan shown; s/S picks another strategy; ? explains it all";
    tui_grid_put(g, row, 0, g->cols, TUI_ROLE_DIM, hint);
}
