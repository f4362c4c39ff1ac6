/* tui_grid.c — the character grid the renderer draws into, and the glyph sets. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text_escape.h"
#include "tui/tui_grid.h"

static const tui_glyphs glyphs_utf8 = {
    .hline = 0x2500, /* ─ */
    .branch = "\u251c\u2500",
    .last = "\u2514\u2500",
    .pipe = "\u2502 ",
    .times = "\u00d7",
    .ellipsis = "\u2026",
    .dot = "\u00b7",
    .meter = '|',
    .empty = 0x00b7, /* · */
    .pruned = 0x2591, /* ░ */
    .up = "\u2191",
    .down = "\u2193",
};

static const tui_glyphs glyphs_ascii = {
    .hline = '-',
    .branch = "|-",
    .last = "`-",
    .pipe = "| ",
    .times = "x",
    .ellipsis = "~",
    .dot = "-",
    .meter = '|',
    .empty = '.',
    .pruned = '+',
    .up = "^",
    .down = "v",
};

const tui_glyphs *tui_glyphs_get(int utf8) { return utf8 ? &glyphs_utf8 : &glyphs_ascii; }

char tui_role_letter(tui_role role)
{
    static const char letters[TUI_ROLE_COUNT] = {
        [TUI_ROLE_NORMAL] = ' ',    [TUI_ROLE_LABEL] = 'l',     [TUI_ROLE_VALUE] = 'v',
        [TUI_ROLE_TITLE] = 't',     [TUI_ROLE_DIM] = 'd',       [TUI_ROLE_WAITING] = 'w',
        [TUI_ROLE_RUNNING] = 'r',   [TUI_ROLE_DONE] = 'D',      [TUI_ROLE_CANCELLED] = 'c',
        [TUI_ROLE_FAILED] = 'f',    [TUI_ROLE_PRUNED] = 'p',    [TUI_ROLE_METER] = 'm',
        [TUI_ROLE_BEST] = 'b',      [TUI_ROLE_TABLE_HEAD] = 'h', [TUI_ROLE_KEY] = 'K',
        [TUI_ROLE_KEY_LABEL] = 'k', [TUI_ROLE_STATUS] = 's',    [TUI_ROLE_ERROR] = 'e',
        [TUI_ROLE_PROMPT] = 'P',
    };
    return (unsigned)role < TUI_ROLE_COUNT ? letters[role] : '?';
}

int tui_grid_init(tui_grid *g, int rows, int cols, int utf8)
{
    memset(g, 0, sizeof *g);
    g->utf8 = utf8;
    return tui_grid_resize(g, rows, cols);
}

int tui_grid_resize(tui_grid *g, int rows, int cols)
{
    if (rows < 0)
        rows = 0;
    if (cols < 0)
        cols = 0;
    size_t n = (size_t)rows * (size_t)cols;
    tui_cell *c = realloc(g->cells, (n ? n : 1) * sizeof *c);
    if (!c)
        return -1;
    g->cells = c;
    g->rows = rows;
    g->cols = cols;
    tui_grid_clear(g);
    return 0;
}

void tui_grid_free(tui_grid *g)
{
    free(g->cells);
    memset(g, 0, sizeof *g);
}

void tui_grid_clear(tui_grid *g)
{
    size_t n = (size_t)g->rows * (size_t)g->cols;
    for (size_t i = 0; i < n; i++)
        g->cells[i] = (tui_cell){' ', TUI_ROLE_NORMAL};
}

tui_cell *tui_grid_cell(tui_grid *g, int row, int col)
{
    if (row < 0 || col < 0 || row >= g->rows || col >= g->cols)
        return NULL;
    return &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
}

const tui_cell *tui_grid_cell_const(const tui_grid *g, int row, int col)
{
    if (row < 0 || col < 0 || row >= g->rows || col >= g->cols)
        return NULL;
    return &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
}

/* Decode one UTF-8 character; malformed bytes decode as U+FFFD one at a time. */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int len = c < 0x80                ? 1
              : (c & 0xE0) == 0xC0 ? 2
              : (c & 0xF0) == 0xE0 ? 3
              : (c & 0xF8) == 0xF0 ? 4
                                   : 0;
    if (len == 1) {
        *p = s + 1;
        return c;
    }
    if (len == 0) {
        *p = s + 1;
        return 0xFFFD;
    }
    uint32_t v = c & (0x7F >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *p = s + len;
    if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
        v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0xFFFD;
    return v;
}

/* 1 for characters that take exactly one cell (a conservative test: combining
 * marks and the East Asian wide blocks and emoji are refused). */
static int one_cell(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFFFD) /* 0xFFFD: malformed input */
        return 0;
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
        (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
        (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200B || c == 0x200D || c == 0xFEFF)
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || c >= 0x20000)
        return 0;
    return 1;
}

int tui_text_width(const char *text)
{
    char shown[1024];
    if (text_needs_escape(text)) /* measured as tui_grid_put shows it */
        text = text_escape(shown, sizeof shown, text);
    int w = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        utf8_next(&p);
        w++;
    }
    return w;
}

static uint32_t ellipsis_char(const tui_grid *g)
{
    const unsigned char *p = (const unsigned char *)tui_glyphs_get(g->utf8)->ellipsis;
    return utf8_next(&p);
}

int tui_grid_put(tui_grid *g, int row, int col, int maxw, tui_role role, const char *text)
{
    if (row < 0 || row >= g->rows || col >= g->cols || !text)
        return 0;
    if (col < 0) {
        maxw += col;
        col = 0;
    }
    if (maxw > g->cols - col)
        maxw = g->cols - col;
    if (maxw <= 0)
        return 0;
    /* a label or a file name with control characters is shown escaped, as on the
     * command line (text_escape.h); the rest of the grid's rules apply after */
    char shown[1024];
    if (text_needs_escape(text))
        text = text_escape(shown, sizeof shown, text);
    int width = tui_text_width(text);
    int cut = width > maxw;
    int room = cut ? maxw - 1 : width;
    tui_cell *cell = &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
    const unsigned char *p = (const unsigned char *)text;
    for (int i = 0; i < room; i++) {
        uint32_t c = utf8_next(&p);
        if (!one_cell(c) || (!g->utf8 && c > 0x7E))
            c = '?';
        cell[i] = (tui_cell){c, (uint8_t)role};
    }
    if (cut)
        cell[room] = (tui_cell){ellipsis_char(g), (uint8_t)role};
    return cut ? maxw : width;
}

int tui_grid_printf(tui_grid *g, int row, int col, int maxw, tui_role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return tui_grid_put(g, row, col, maxw, role, buf);
}

void tui_grid_fill(tui_grid *g, int row, int col, int w, uint32_t ch, tui_role role)
{
    for (int i = 0; i < w; i++) {
        tui_cell *c = tui_grid_cell(g, row, col + i);
        if (c)
            *c = (tui_cell){ch, (uint8_t)role};
    }
}

void tui_grid_paint(tui_grid *g, int row, int col, int w, tui_role role)
{
    for (int i = 0; i < w; i++) {
        tui_cell *c = tui_grid_cell(g, row, col + i);
        if (c)
            c->role = (uint8_t)role;
    }
}

static size_t utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

char *tui_grid_to_text(const tui_grid *g, int roles)
{
    size_t cap = (size_t)g->rows * ((size_t)g->cols * 4 + 1) + 1;
    char *out = malloc(cap), *o = out;
    if (!out)
        return NULL;
    for (int r = 0; r < g->rows; r++) {
        char *end = o; /* just past the last non-blank */
        for (int c = 0; c < g->cols; c++) {
            const tui_cell *cell = tui_grid_cell_const(g, r, c);
            if (roles)
                *o++ = tui_role_letter((tui_role)cell->role);
            else
                o += utf8_encode(cell->ch, o);
            if (o[-1] != ' ')
                end = o;
        }
        o = end;
        *o++ = '\n';
    }
    *o = '\0';
    return out;
}
