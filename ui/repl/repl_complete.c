/* repl_complete.c — Tab completion: command names, option names, the choices of an
 * option (strategies, metrics...), setting names after `set`, and file paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "repl/repl.h"

enum { MAX_WORDS = 16, MAX_WORD = 128 };

/* Split line[0..end) into the words of its last command (after the last unquoted
 * ';'); quotes are dropped. Returns the number of words. */
static int words_before(const char *line, int end, char words[][MAX_WORD], int max)
{
    int n = 0, len = 0, in_word = 0;
    char quote = 0;
    for (int i = 0; i < end; i++) {
        char c = line[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (len + 1 < MAX_WORD && n < max)
                words[n][len++] = c;
            continue;
        }
        if (c == ';') {
            n = len = in_word = 0;
            continue;
        }
        if (c == ' ' || c == '\t') {
            if (in_word && n < max) {
                words[n][len] = '\0';
                n++;
            }
            in_word = len = 0;
            continue;
        }
        in_word = 1;
        if (c == '\'' || c == '"')
            quote = c;
        else if (len + 1 < MAX_WORD && n < max)
            words[n][len++] = c;
    }
    if (in_word && n < max) { /* a word right before `end` without a blank: not complete */
        words[n][len] = '\0';
        n++;
    }
    return n;
}

static int file_argument(const settings_option *o)
{
    return o->arg && !o->choices && (strstr(o->arg, "FILE") || strchr(o->arg, '.'));
}

int repl_completions(const char *line, int start, const char *word, const char **out, int max,
                     int *files)
{
    char w[MAX_WORDS][MAX_WORD];
    int nw = words_before(line, start, w, MAX_WORDS);
    size_t wl = strlen(word);
    int n = 0;
#define ADD(s)                                                                                  \
    do {                                                                                        \
        if (n < max && !strncmp((s), word, wl))                                                 \
            out[n++] = (s);                                                                     \
    } while (0)
    *files = 0;
    if (nw == 0) {
        for (const repl_command *c = repl_commands; c->name; c++)
            ADD(c->name);
        return n;
    }
    const repl_command *c = repl_find(w[0]);
    if (!c)
        return 0;
    const char *prev = w[nw - 1];
    if (nw >= 2 && prev[0] == '-') { /* the value of an option */
        const settings_option *o = settings_find(prev);
        if (o && o->arg && (o->groups & c->groups)) {
            if (o->choices)
                for (const char *const *ch = o->choices; *ch; ch++)
                    ADD(*ch);
            else
                *files = file_argument(o);
            return n;
        }
    }
    if (word[0] == '-') {
        for (size_t i = 0; i < settings_option_count; i++)
            if (settings_options[i].groups & c->groups)
                ADD(settings_options[i].name);
        return n;
    }
    const char *name = c->name;
    if (!strcmp(name, "set")) {
        if (nw == 1) {
            for (size_t i = 0; i < settings_option_count; i++)
                if (repl_setting_find(settings_options[i].name) == &settings_options[i])
                    ADD(settings_options[i].name + 2);
        } else if (nw == 2) {
            const settings_option *o = repl_setting_find(w[1]);
            if (o && o->choices)
                for (const char *const *ch = o->choices; *ch; ch++)
                    ADD(*ch);
        }
    } else if (!strcmp(name, "help")) {
        if (nw == 1)
            for (const repl_command *k = repl_commands; k->name; k++)
                ADD(k->name);
    } else if (!strcmp(name, "gen")) {
        if (nw == 1) {
            ADD("blobs");
            ADD("uniform");
        }
    } else if (!strcmp(name, "save")) {
        if (nw == 1) {
            ADD("labels");
            ADD("result");
        } else if (nw == 2) {
            *files = 1;
        }
    } else if (!strcmp(name, "plot")) {
        if (nw == 1) {
            ADD("clusters");
            ADD("curves");
            ADD("speedup");
            ADD("silhouette");
        }
    } else if (!strcmp(name, "load") || !strcmp(name, "resume")) {
        *files = 1;
    }
#undef ADD
    return n;
}

/* readline asks for matches one by one */
static const char *matches[256];
static int n_matches, next_match;

static char *match_generator(const char *text, int state)
{
    (void)text;
    if (state == 0)
        next_match = 0;
    return next_match < n_matches ? strdup(matches[next_match++]) : NULL;
}

char **repl_complete(const char *text, int start, int end)
{
    (void)end;
    int files;
    n_matches = repl_completions(rl_line_buffer, start, text, matches, 256, &files);
    if (files) {
        rl_attempted_completion_over = 0; /* readline's own file-name completion */
        return NULL;
    }
    rl_attempted_completion_over = 1;
    if (n_matches == 0)
        return NULL;
    return rl_completion_matches(text, match_generator);
}
