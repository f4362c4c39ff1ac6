/* repl.h — the interactive prompt (GNU readline) and its scripted form.
 *
 * `ekm` on a terminal opens the prompt; `ekm < script.ekm` and `ekm -c "cmd; cmd"`
 * run the same commands without prompts or colours. Commands come from one const
 * table (repl_commands); their options are the batch CLI's (common/settings.h), so a
 * name means the same thing everywhere. A session holds a workspace (data, settings,
 * the background job, the history of runs).
 *
 * Command status, and the exit status of a script (the worst of its commands):
 *   REPL_OK 0     success
 *   REPL_FAIL 1   a command failed at run time (no data loaded, a job cancelled or
 *                 failed, a file that cannot be written, ...)
 *   REPL_USAGE 2  a bad command, argument or option value, or input that cannot be
 *                 read (as the batch CLI's exit status 2)
 * The interactive prompt itself exits 0.
 */
#ifndef EKM_UI_REPL_H
#define EKM_UI_REPL_H

#include <stddef.h>
#include <stdio.h>

#include "command/command.h"
#include "common/workspace.h"
#include "plot/plot.h"

enum { REPL_OK = 0, REPL_FAIL = 1, REPL_USAGE = 2 };

struct plot_window;

/* One session: the workspace and where its text goes. */
typedef struct repl_session {
    workspace ws;
    FILE *out;         /* results and notes */
    FILE *err;         /* one line per error */
    int interactive;   /* a terminal: live progress while waiting, y/n questions */
    int color;         /* ANSI colours (terminal and no NO_COLOR) */
    int quit;          /* set by `quit` */
    int status;        /* the worst command status so far (REPL_OK..REPL_USAGE) */
    long line;         /* script line of the command running (0: interactive) */
    struct plot_window *plot; /* the live plot window, or NULL */
    plot_follow plot_live;    /* what the window shows of the job (reset at each run) */
    /* called after each command of repl_execute (NULL: none); returning 1 stops
     * the rest of the text (scripts: a Ctrl-C with no job running) */
    int (*after_command)(struct repl_session *s);
} repl_session;

void repl_session_init(repl_session *s, FILE *out, FILE *err, int interactive);
/* Cancels a running job (saying so), closes the plot window, frees the workspace. */
void repl_session_free(repl_session *s);

/* Run the commands in text (';' and newlines separate them, '#' starts a comment).
 * Stops after `quit`. Returns the worst status of its commands; s->status also
 * keeps the worst of the whole session. */
int repl_execute(repl_session *s, const char *text);
/* Run one command given as words (argv[0] is the command name). */
int repl_run_command(repl_session *s, int argc, char **argv);

/* Print "error: message" (interactive) or "ekm: line N: message" (scripts) on
 * s->err, and return status. */
int repl_error(repl_session *s, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Print a note on s->out (a line of its own; the prompt is redrawn below it). */
void repl_note(repl_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The reason (errno) of the first failed write of a note, 0 while none. */
int repl_note_errno(void);

/* Collect a finished background job: store its result, print one line saying how
 * it ended. Returns 1 when a job was collected. */
int repl_collect(repl_session *s);

/* ---- words and commands ---- */

/* The words of one command. */
typedef struct repl_words {
    int argc;
    char **argv; /* argc words and a NULL; each word is its own allocation */
} repl_words;

void repl_words_free(repl_words *w);

/* Read the next command from *cursor: words are separated by blanks; '...' quotes
 * literally, "..." quotes with \" and \\ escapes, a backslash outside quotes
 * escapes the next character; an unquoted ';' or newline ends the command; '#'
 * at the start of a word starts a comment up to the end of the line. Commands
 * without words are skipped. Returns 1 with the words in w (free them), 0 at the
 * end of the text, -1 with a message (an unterminated quote; the rest of that
 * line is skipped). *line (may be NULL) is the line number at *cursor: it grows by
 * the newlines passed, so on return it is the line of the command (or error). */
int repl_next_command(const char **cursor, repl_words *w, long *line, char *err,
                      size_t errsize);

/* A prompt command: an entry of the command model (command/command.h). Its run
 * gets the session as a->context and parses a->argv itself (COMMAND_OWN_PARSE);
 * `groups` says which shared options it takes (help, Tab completion);
 * COMMAND_OWN_HELP: `NAME --help` is the command's own (help, and the batch
 * commands bench and explain print the batch help). */
typedef ui_command repl_command;

/* The commands, NULL-terminated. */
extern const repl_command repl_commands[];

/* A command by its exact name or alias; NULL if unknown. */
const repl_command *repl_find(const char *name);
/* For "did you mean": the command whose name is closest to `name` (an edit
 * distance of at most 2, or the only command starting with `name`); NULL if none. */
const char *repl_suggest(const char *name);

/* ---- settings (`set NAME VALUE`, `show`) ---- */

/* The settings option `set` changes for NAME ("k", "--k", "-k", "strategy"...),
 * or NULL: only options with a value in the solve or data groups, and not
 * --dissimilarity. */
const settings_option *repl_setting_find(const char *name);
/* The current value of a settable option, as `set` would take it. */
void repl_setting_value(const ui_settings *st, const settings_option *o, char *buf,
                        size_t size);

/* ---- the prompt, history, completion, help ---- */

/* "ekm iris k=3> " — with a running job's progress in front when p is not NULL:
 * "[par2 ███▌······ 35.2% 1.4s] ekm iris k=3> ". With color, the ANSI sequences
 * are wrapped in readline's \001 \002 markers. */
void repl_prompt(const workspace *ws, const ekm_progress *p, int color, char *buf, size_t size);

/* The history file: $XDG_STATE_HOME/ekm/history when that is an absolute path,
 * else $HOME/.local/state/ekm/history. Either argument may be NULL (unset).
 * Returns 0, or -1 when neither gives a place. */
int repl_history_path(const char *xdg_state_home, const char *home, char *buf, size_t size);
/* Create the file's folders (0700) and the file (0600) when missing, and read it
 * into readline's history. Never blocks: a FIFO, device or other file that is not
 * a regular file is refused. Returns 0, or -1 with a message. */
int repl_history_open(const char *path, char *err, size_t errsize);
/* Add a line to the history (not when it repeats the previous one) and append
 * it to the file when path is not NULL. */
/* 0, or the errno of a failed append to path (the line is in memory either way). */
int repl_history_add(const char *line, const char *path);
/* Keep the file's last 1000 lines. */
/* 0, or the errno of a failed rewrite of path. */
int repl_history_close(const char *path);

/* Completion: the candidates for the word `word` that starts at byte `start` of
 * `line`. Fills out[0..max) with static strings starting with `word` and returns
 * their number; sets *files to 1 when file names should be offered instead. */
int repl_completions(const char *line, int start, const char *word, const char **out, int max,
                     int *files);
/* Readline's attempted-completion hook built on repl_completions. */
char **repl_complete(const char *text, int start, int end);

/* The long help of a command from the help file repl.txt (common/help_file.h),
 * without its header line; copies it into buf and
 * returns 0, or -1 when the file or the section is missing. */
int repl_help_text(const char *command, char *buf, size_t size);

/* ---- entry points (app/) ---- */

/* The interactive prompt on the terminal. Returns 0. */
int repl_main_terminal(void);
/* Commands read from a stream, line by line, without prompts. Returns the worst status. */
int repl_main_stream(FILE *in);
/* Commands given as one text (`ekm -c`). Returns the worst status. */
int repl_main_script(const char *text);

#endif
