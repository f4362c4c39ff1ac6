/* command.c — finding a command, parsing its words by its table entry, running it,
 * and the one help printer of every command's `--help`. */
#include "command/command.h"

#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"
#include "common/text_escape.h"

const char *const command_strategy_names[] = {"seq",       "split",   "par1",      "par2",
                                              "tree",      "fused",   "pruned",    "pam",
                                              "fasterpam", "clarans", "alternate", NULL};
const char *const command_exact_strategy_names[] = {"seq",  "split", "par1",   "par2",
                                                    "tree", "fused", "pruned", NULL};
const char *const command_metric_names[] = {"euclidean", "sqeuclidean", "manhattan", NULL};

const ui_command *command_find(const ui_command *table, const char *name)
{
    for (const ui_command *c = table; c->name; c++)
        if (!strcmp(c->name, name) || (c->alias && !strcmp(c->alias, name)))
            return c;
    return NULL;
}

const char *command_suggest(const ui_command *table, const char *name, int prefix)
{
    suggest sg;
    suggest_init(&sg, name, prefix);
    for (const ui_command *c = table; c->name; c++)
        suggest_offer(&sg, c->name, NULL);
    const char *best = suggest_best(&sg);
    size_t len = strlen(name);
    if (best || !prefix || len == 0)
        return best;
    const char *only = NULL;
    for (const ui_command *c = table; c->name; c++) {
        if (!strncmp(c->name, name, len)) {
            if (only)
                return NULL; /* more than one: no suggestion */
            only = c->name;
        }
    }
    return only;
}

int command_help_asked(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static int word_is(const char *word, const char *name)
{
    size_t len = strlen(name);
    return !strncmp(word, name, len) &&
           (word[len] == '\0' || (word[len] == '=' && name[1] == '-'));
}

int command_given(const command_args *a, const char *name)
{
    const settings_option *o = settings_find(name);
    for (int i = 1; i < a->argc; i++) {
        if (!strcmp(a->argv[i], "--"))
            break;
        if (word_is(a->argv[i], name) ||
            (o && (word_is(a->argv[i], o->name) || (o->alias && word_is(a->argv[i], o->alias)))))
            return 1;
    }
    return 0;
}

/* Print "ekm: NAME: message" as one line (control characters escaped). */
static void parse_error(const char *name, const char *msg)
{
    char line[1400];
    snprintf(line, sizeof line, "%s: %s", name, msg);
    fputs("ekm: ", stderr);
    text_fputs(line, stderr);
    fputc('\n', stderr);
}

/* Take c's own options out of argv into own[] (a value in the next word or after
 * '='); the other words go to rest[] (rest[0] is argv[0]). Returns 0 or -1 with a
 * message in err. */
static int take_own(const ui_command *c, int argc, char **argv, const char **own, char **rest,
                    int *nrest, char *err, size_t errsize)
{
    int only_pos = 0;
    *nrest = 0;
    rest[(*nrest)++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        const command_option *o = NULL;
        const char *eq = strchr(w, '=');
        size_t len = eq && w[0] == '-' && w[1] == '-' ? (size_t)(eq - w) : strlen(w);
        int k = 0;
        if (!only_pos && w[0] == '-')
            for (const command_option *m = c->options; m && m->name; m++, k++)
                if ((strlen(m->name) == len && !strncmp(m->name, w, len)) ||
                    (m->alias && !strcmp(m->alias, w))) {
                    o = m;
                    break;
                }
        if (!strcmp(w, "--"))
            only_pos = 1;
        if (!o) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        const char *value = len < strlen(w) ? w + len + 1 : NULL;
        if (o->arg && !value) {
            if (i + 1 >= argc) {
                snprintf(err, errsize, "%s needs a value (%s)", o->name, o->arg);
                return -1;
            }
            value = argv[++i];
        } else if (!o->arg && value) {
            snprintf(err, errsize, "%s takes no value", o->name);
            return -1;
        }
        if (k < COMMAND_MAX_OWN)
            own[k] = value ? value : "";
    }
    rest[*nrest] = NULL;
    return 0;
}

const char *command_own(const command_args *a, const char *name)
{
    int k = 0;
    for (const command_option *m = a->command->options; m && m->name; m++, k++)
        if (!strcmp(m->name, name))
            return a->own ? a->own[k] : NULL;
    return NULL;
}

int command_dispatch(const ui_command *c, int argc, char **argv, FILE *out, void *context)
{
    if (!(c->flags & COMMAND_OWN_HELP) && command_help_asked(argc, argv)) {
        command_print_help(out, c);
        fflush(out);
        return COMMAND_OK;
    }
    ui_settings s;
    settings_init(&s);
    if (c->flags & COMMAND_ALL_THREADS)
        s.solve.threads = 0;
    if (c->flags & COMMAND_SEED_ZERO)
        s.solve.seed = 0;
    const char *pos[8];
    const char *own[COMMAND_MAX_OWN] = {0};
    int npos = 0;
    if (!(c->flags & COMMAND_OWN_PARSE)) {
        char err[1200];
        char **rest = calloc((size_t)argc + 1, sizeof *rest);
        if (!rest) {
            parse_error(c->name, "out of memory");
            return COMMAND_FAIL;
        }
        int nrest, max = c->max_pos < 8 ? c->max_pos : 8;
        if (take_own(c, argc, argv, own, rest, &nrest, err, sizeof err) ||
            settings_parse_argv(&s, c->groups, nrest, rest, 1, pos, max, &npos, err,
                                sizeof err)) {
            free(rest);
            parse_error(c->name, err);
            return COMMAND_USAGE;
        }
        free(rest); /* pos points into argv */
    }
    command_args a = {&s, pos, npos, argc, argv, out, context, own, c};
    return c->run(&a);
}

void command_print_option(FILE *out, const char *alias, const char *name, const char *arg,
                          const char *help)
{
    char left[64];
    snprintf(left, sizeof left, "%s%s%s%s%s", alias ? alias : "", alias ? ", " : "", name,
             arg ? " " : "", arg ? arg : "");
    fprintf(out, "  %-26s ", left);
    for (const char *p = help; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%29s", "");
    }
    fputc('\n', out);
}

void command_print_help(FILE *out, const ui_command *c)
{
    if (c->help)
        fputs(c->help, out);
    else
        fprintf(out, "usage: %s\n%s.\n", c->synopsis, c->summary);
    for (const command_option *o = c->options; o && o->name; o++)
        command_print_option(out, o->alias, o->name, o->arg, o->help);
    if (c->groups && c->shared_header)
        fputs(c->shared_header, out);
    if (c->groups)
        settings_print_help(out, c->groups);
}

command_value command_shared_kind(const settings_option *o)
{
    if (!o->arg)
        return COMMAND_VALUE_NONE;
    if (o->choices == command_strategy_names || !strcmp(o->name, "--strategy"))
        return COMMAND_VALUE_STRATEGY;
    if (!strcmp(o->name, "--metric"))
        return COMMAND_VALUE_METRIC;
    if (o->choices)
        return COMMAND_VALUE_CHOICE;
    if (!strcmp(o->name, "--out") || !strcmp(o->name, "--labels") ||
        !strcmp(o->name, "--checkpoint") || strstr(o->arg, "OUT"))
        return COMMAND_VALUE_OUTFILE;
    if (strstr(o->arg, "FILE"))
        return COMMAND_VALUE_FILE;
    if (strstr(o->arg, "SECONDS"))
        return COMMAND_VALUE_NUMBER;
    return COMMAND_VALUE_INT;
}
