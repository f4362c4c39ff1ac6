/* tui_grid.h — the dashboard's character grid: rows × cols cells, each a Unicode
 * character and a role, and the glyphs it is drawn with (Unicode or plain ASCII).
 * The renderer draws into it, the terminal layer copies it to the screen, the tests
 * compare it with golden text. For the ui/tui sources and their unit test only.
 */
#ifndef EKM_UI_TUI_GRID_H
#define EKM_UI_TUI_GRID_H

#include <stddef.h>
#include <stdint.h>

/* ---- the character grid (tui_grid.c) ---- */

typedef enum tui_role {
    TUI_ROLE_NORMAL = 0,
    TUI_ROLE_LABEL,      /* header field names */
    TUI_ROLE_VALUE,      /* header values */
    TUI_ROLE_TITLE,      /* section rules and their titles */
    TUI_ROLE_DIM,        /* hints, empty bar cells */
    TUI_ROLE_WAITING,    /* a stage that has not started */
    TUI_ROLE_RUNNING,
    TUI_ROLE_DONE,
    TUI_ROLE_CANCELLED,
    TUI_ROLE_FAILED,
    TUI_ROLE_PRUNED,     /* the pruned part of a pruned search's bar */
    TUI_ROLE_METER,      /* the busy part of a thread meter */
    TUI_ROLE_BEST,       /* the best objective so far */
    TUI_ROLE_TABLE_HEAD, /* history column titles */
    TUI_ROLE_KEY,        /* a key on the key bar */
    TUI_ROLE_KEY_LABEL,  /* what it does */
    TUI_ROLE_STATUS,     /* the status line */
    TUI_ROLE_ERROR,      /* an error on the status line */
    TUI_ROLE_PROMPT,     /* a question on the bottom line */
    TUI_ROLE_COUNT
} tui_role;

/* One letter per role, for the golden role maps (' ' for NORMAL). */
char tui_role_letter(tui_role role);

typedef struct tui_cell {
    uint32_t ch;  /* a Unicode code point of width 1 (ASCII only when !utf8) */
    uint8_t role; /* tui_role */
} tui_cell;

typedef struct tui_grid {
    int rows, cols;
    int utf8;        /* 0: every cell holds an ASCII character */
    tui_cell *cells; /* rows*cols, row-major */
} tui_grid;

/* Allocate a rows×cols grid of blanks. Returns 0, or -1 when out of memory. */
int tui_grid_init(tui_grid *g, int rows, int cols, int utf8);
/* Change the size (contents become blank). Returns 0 or -1. */
int tui_grid_resize(tui_grid *g, int rows, int cols);
void tui_grid_free(tui_grid *g);
void tui_grid_clear(tui_grid *g);
/* The cell at (row, col), or NULL outside the grid. */
tui_cell *tui_grid_cell(tui_grid *g, int row, int col);
const tui_cell *tui_grid_cell_const(const tui_grid *g, int row, int col);
/* Write UTF-8 text at (row, col) in at most maxw cells (and never past the right
 * edge); text that does not fit ends with an ellipsis. Characters that are not
 * one cell wide, control characters, and anything non-ASCII in an ASCII grid
 * become '?'. Returns the number of cells written. */
int tui_grid_put(tui_grid *g, int row, int col, int maxw, tui_role role, const char *text);
/* The same with printf formatting. */
int tui_grid_printf(tui_grid *g, int row, int col, int maxw, tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Fill w cells from (row, col) with one character. */
void tui_grid_fill(tui_grid *g, int row, int col, int w, uint32_t ch, tui_role role);
/* Set the role of w cells, keeping their characters. */
void tui_grid_paint(tui_grid *g, int row, int col, int w, tui_role role);
/* Width in cells of UTF-8 text as tui_grid_put would draw it (untruncated). */
int tui_text_width(const char *text);
/* The grid as text: one line per row, UTF-8, trailing blanks removed; with
 * roles != 0 the role letters instead of the characters. The caller frees it. */
char *tui_grid_to_text(const tui_grid *g, int roles);

/* ---- glyphs: Unicode or plain ASCII (tui_grid.c) ---- */

typedef struct tui_glyphs {
    uint32_t hline;        /* section rules: ─ or - */
    const char *branch;    /* a child that has siblings below it: "├─" or "|-" */
    const char *last;      /* the last child: "└─" or "`-" */
    const char *pipe;      /* a deeper level under a non-last child: "│ " or "| " */
    const char *times;     /* × or x */
    const char *ellipsis;  /* … or ~ (one cell) */
    const char *dot;       /* separator · or - */
    uint32_t meter;        /* a busy cell of a thread meter: | */
    uint32_t empty;        /* an empty bar cell: · or . */
    uint32_t pruned;       /* a pruned cell of a pruned search's bar: ░ or + */
    const char *up, *down; /* ↑ ↓ or ^ v */
} tui_glyphs;

const tui_glyphs *tui_glyphs_get(int utf8);

#endif
