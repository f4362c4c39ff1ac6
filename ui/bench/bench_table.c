/* bench_table.c — small tables printed as aligned plain text or as Markdown. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

struct bench_table {
    int columns;
    char **cells;    /* rows * columns, the header first */
    size_t n, cap;   /* cells used, allocated */
    int *right;
    int failed;      /* an allocation failed: print what there is */
};

bench_table *bench_table_new(int columns)
{
    bench_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->columns = columns;
    t->right = calloc((size_t)columns, sizeof *t->right);
    if (!t->right) {
        free(t);
        return NULL;
    }
    return t;
}

void bench_table_free(bench_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
    free(t);
}

static void add(bench_table *t, char *s)
{
    if (!s || t->failed) {
        free(s);
        t->failed = 1;
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        char **p = realloc(t->cells, cap * sizeof *p);
        if (!p) {
            free(s);
            t->failed = 1;
            return;
        }
        t->cells = p;
        t->cap = cap;
    }
    t->cells[t->n++] = s;
}

void bench_table_header(bench_table *t, const char *const *names, const int *right_align)
{
    if (!t)
        return;
    for (int c = 0; c < t->columns; c++) {
        add(t, strdup(names[c]));
        t->right[c] = right_align ? right_align[c] : 0;
    }
}

void bench_table_cell(bench_table *t, const char *fmt, ...)
{
    if (!t)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    add(t, s);
}

/* Width on a terminal: UTF-8 code points (continuation bytes do not count). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        w += (*p & 0xC0) != 0x80;
    return w;
}

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

void bench_table_print(const bench_table *t, FILE *out, int markdown)
{
    if (!t)
        return;
    size_t cols = (size_t)t->columns, rows = t->n / cols;
    size_t *w = calloc(cols, sizeof *w);
    if (!w)
        return;
    for (size_t i = 0; i < rows * cols; i++) {
        size_t dw = display_width(t->cells[i]);
        if (dw > w[i % cols])
            w[i % cols] = dw;
    }
    for (size_t r = 0; r < rows; r++) {
        if (markdown)
            fputs("|", out);
        for (size_t c = 0; c < cols; c++) {
            const char *s = t->cells[r * cols + c];
            size_t fill = w[c] - display_width(s);
            if (markdown)
                fputc(' ', out);
            else if (c)
                fputs("  ", out);
            if (t->right[c])
                pad(out, fill);
            fputs(s, out);
            if (!t->right[c] && (markdown || c + 1 < cols))
                pad(out, fill);
            if (markdown)
                fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            if (markdown) {
                fputs("|", out);
                for (size_t c = 0; c < cols; c++) {
                    fputc(' ', out);
                    for (size_t i = 0; i + 1 < (w[c] > 3 ? w[c] : 3); i++)
                        fputc('-', out);
                    fputc(t->right[c] ? ':' : '-', out);
                    fputs(" |", out);
                }
                fputc('\n', out);
            } else {
                size_t total = 0;
                for (size_t c = 0; c < cols; c++)
                    total += w[c] + (c ? 2 : 0);
                for (size_t i = 0; i < total; i++)
                    fputc('-', out);
                fputc('\n', out);
            }
        }
    }
    free(w);
}

const char *bench_format_seconds(double s, char *buf, size_t size)
{
    if (!(s >= 0))
        snprintf(buf, size, "-");
    else if (s * 1e6 < 999.5) /* thresholds where %.3g would round up to the next unit */
        snprintf(buf, size, "%.3g µs", s * 1e6);
    else if (s * 1e3 < 999.5)
        snprintf(buf, size, "%.3g ms", s * 1e3);
    else if (s < 999.5)
        snprintf(buf, size, "%.3g s", s);
    else
        snprintf(buf, size, "%.0f s", s);
    return buf;
}
