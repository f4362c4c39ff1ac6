/* repl_cmd_help.c — `help [COMMAND]` (long texts read at run time from the help
 * file, one-liners from the table otherwise), `quit`, and the placeholder for
 * commands whose module is not in this build. */
#include <stdlib.h>
#include <string.h>

#include "common/help_file.h"
#include "repl/repl_internal.h"

int repl_help_text(const char *command, char *buf, size_t size)
{
    char *text = help_file_load("repl.txt");
    if (!text)
        return -1;
    int in = 0, found = 0;
    size_t o = 0;
    if (size)
        buf[0] = '\0';
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (line[len] == '\n')
            len++;
        const char *next = line + len;
        if (line[0] == '@' && line[1] == ' ') {
            if (in)
                break;
            const char *name = line + 2;
            size_t nlen = strcspn(name, " \t\r\n");
            in = found = strlen(command) == nlen && !strncmp(name, command, nlen);
        } else if (in && o + len < size) {
            memcpy(buf + o, line, len);
            o += len;
            buf[o] = '\0';
        }
        line = next;
    }
    free(text);
    /* drop trailing blank lines */
    while (o > 1 && buf[o - 1] == '\n' && buf[o - 2] == '\n')
        buf[--o] = '\0';
    return found ? 0 : -1;
}

static void list_commands(repl_session *s)
{
    fprintf(s->out, "commands (';' separates commands on a line; Tab completes):\n");
    for (const repl_command *c = repl_commands; c->name; c++)
        fprintf(s->out, "  %s%-9s%s %s\n", repl_color(s, REPL_BOLD), c->name,
                repl_color(s, REPL_RESET), c->summary);
    fprintf(s->out, "'help COMMAND' describes one. Ctrl-C cancels a running job (or clears the "
                    "line); Ctrl-D or 'quit' leaves.\n");
}

int repl_cmd_help(repl_session *s, int argc, char **argv)
{
    if (argc > 2)
        return repl_error(s, REPL_USAGE, "usage: help [COMMAND]");
    if (argc == 1) {
        list_commands(s);
        fflush(s->out);
        return REPL_OK;
    }
    const repl_command *c = repl_find(argv[1]);
    if (!c) {
        const char *sug = repl_suggest(argv[1]);
        if (sug)
            return repl_error(s, REPL_USAGE, "help: unknown command '%s' (did you mean '%s'?)",
                              argv[1], sug);
        return repl_error(s, REPL_USAGE, "help: unknown command '%s'; 'help' lists them",
                          argv[1]);
    }
    return repl_print_help(s, c);
}

int repl_print_help(repl_session *s, const repl_command *c)
{
    fprintf(s->out, "usage: %s\n", c->synopsis);
    char *text = malloc(16384);
    if (text && repl_help_text(c->name, text, 16384) == 0)
        fputs(text, s->out);
    else
        fprintf(s->out, "%s.\n", c->summary);
    free(text);
    if (c->groups) {
        fprintf(s->out, "\noptions:\n");
        settings_print_help(s->out, c->groups);
    }
    fflush(s->out);
    return REPL_OK;
}

int repl_cmd_quit(repl_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return repl_error(s, REPL_USAGE, "quit takes no arguments");
    if (s->interactive && (workspace_running(&s->ws) || workspace_bench_running(&s->ws)) &&
        !repl_ask(s, workspace_running(&s->ws) ? "a job is running; cancel it and quit?"
                                               : "a benchmark is running; stop it and quit?")) {
        repl_note(s, "staying (the job goes on)");
        return REPL_OK;
    }
    s->quit = 1;
    return REPL_OK;
}

int repl_cmd_unavailable(repl_session *s, int argc, char **argv)
{
    (void)argc;
    return repl_error(s, REPL_FAIL, "%s: not available in this build yet", argv[0]);
}
