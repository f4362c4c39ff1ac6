/* repl_parse.c — splitting command text into commands and words (quotes, escapes,
 * ';' and newlines between commands, '#' comments). */
#include <stdlib.h>
#include <string.h>

#include "repl/repl.h"

void repl_words_free(repl_words *w)
{
    for (int i = 0; i < w->argc; i++)
        free(w->argv[i]);
    free(w->argv);
    w->argc = 0;
    w->argv = NULL;
}

/* A growing byte buffer for the word being read. */
typedef struct word_buf {
    char *s;
    size_t len, cap;
} word_buf;

static int word_put(word_buf *b, char c)
{
    if (b->len + 1 >= b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        char *s = realloc(b->s, cap);
        if (!s)
            return -1;
        b->s = s;
        b->cap = cap;
    }
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
    return 0;
}

static int words_push(repl_words *w, word_buf *b)
{
    char **argv = realloc(w->argv, (size_t)(w->argc + 2) * sizeof *argv);
    if (!argv)
        return -1;
    w->argv = argv;
    w->argv[w->argc++] = b->s ? b->s : strdup("");
    w->argv[w->argc] = NULL;
    b->s = NULL;
    b->len = b->cap = 0;
    return w->argv[w->argc - 1] ? 0 : -1;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Skip the rest of the line (after an error), up to its newline. */
static const char *skip_line(const char *p)
{
    while (*p && *p != '\n')
        p++;
    return p;
}

int repl_next_command(const char **cursor, repl_words *w, long *line, char *err,
                      size_t errsize)
{
    const char *p = *cursor;
    w->argc = 0;
    w->argv = NULL;
    word_buf b = {0};
    for (;;) {
        /* between words */
        while (is_blank(*p))
            p++;
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        }
        if (*p == '\0') {
            *cursor = p;
            return w->argc > 0;
        }
        if (*p == ';' || *p == '\n') {
            if (w->argc > 0) {
                *cursor = *p == ';' ? p + 1 : p; /* a newline is left for the next call */
                return 1;
            }
            if (*p == '\n' && line)
                (*line)++;
            p++;
            continue;
        }
        /* a word: runs until an unquoted blank, ';' or newline */
        int have_word = 0;
        while (*p && !is_blank(*p) && *p != ';' && *p != '\n') {
            have_word = 1;
            if (*p == '\'') {
                const char *q = strchr(p + 1, '\'');
                const char *nl = strchr(p + 1, '\n');
                if (!q || (nl && nl < q)) {
                    snprintf(err, errsize, "unterminated ' quote");
                    goto fail;
                }
                for (p++; p < q; p++)
                    if (word_put(&b, *p))
                        goto nomem;
                p++;
            } else if (*p == '"') {
                p++;
                while (*p && *p != '"' && *p != '\n') {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    if (word_put(&b, *p++))
                        goto nomem;
                }
                if (*p != '"') {
                    snprintf(err, errsize, "unterminated \" quote");
                    goto fail;
                }
                p++;
            } else if (*p == '\\' && p[1] && p[1] != '\n') {
                if (word_put(&b, p[1]))
                    goto nomem;
                p += 2;
            } else {
                if (word_put(&b, *p++))
                    goto nomem;
            }
        }
        if (have_word && words_push(w, &b))
            goto nomem;
    }
nomem:
    snprintf(err, errsize, "out of memory");
fail:
    free(b.s);
    repl_words_free(w);
    *cursor = skip_line(p);
    return -1;
}
