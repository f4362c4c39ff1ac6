/* tui_term.c — the terminal: the only file that calls ncurses. It takes over the
 * screen, reads keys without blocking, copies a rendered grid to the screen with
 * each role's colours (or plain attributes without colour), and gives the
 * terminal back exactly as it found it.
 *
 * Locale: setlocale(LC_ALL, "") decides whether the terminal speaks UTF-8 (the
 * codeset); LC_NUMERIC then goes back to "C" so numbers keep a '.' decimal point.
 * The caller's locale is restored on close.
 *
 * Signals: every handler here and in tui_run.c only sets a flag; the loop acts on
 * it. SIGWINCH (a resize) and SIGTSTP (Ctrl-Z) get our handlers before newterm():
 * ncurses then leaves them alone (it installs its own only over the defaults, and
 * only once per process, which would leave a second dashboard opened from the
 * REPL deaf to resizes). tui_term_key() turns the flags into a resize (the new
 * size read with TIOCGWINSZ) and a suspension (endwin, stop, redraw on return).
 * The caller's handlers are put back on close. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "common/term_guard.h"
#include "tui/tui_internal.h"

struct tui_term {
    SCREEN *screen;
    int utf8;
    int color;
    char *saved_locale;
    struct sigaction old_winch, old_tstp; /* the caller's, put back on close */
    attr_t attr[TUI_ROLE_COUNT];
    short pair[TUI_ROLE_COUNT];
};

/* Colour and attribute of each role: foreground (-1: the terminal's), background. */
typedef struct role_style {
    short fg, bg;
    attr_t attr;      /* with colour */
    attr_t mono_attr; /* without colour */
} role_style;

static void setup_styles(tui_term *t)
{
    const short dim_fg = COLORS >= 16 ? 8 : -1; /* bright black where there is one */
    const role_style styles[TUI_ROLE_COUNT] = {
        [TUI_ROLE_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
        [TUI_ROLE_LABEL] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
        [TUI_ROLE_VALUE] = {-1, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_TITLE] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_DIM] = {dim_fg, -1, dim_fg < 0 ? A_DIM : A_NORMAL, A_DIM},
        [TUI_ROLE_WAITING] = {COLOR_BLUE, -1, A_BOLD, A_DIM},
        [TUI_ROLE_RUNNING] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_DONE] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
        [TUI_ROLE_CANCELLED] = {COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE},
        [TUI_ROLE_FAILED] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
        [TUI_ROLE_PRUNED] = {COLOR_CYAN, -1, A_NORMAL, A_DIM},
        [TUI_ROLE_METER] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_BEST] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_TABLE_HEAD] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE},
        [TUI_ROLE_KEY] = {-1, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_KEY_LABEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
        [TUI_ROLE_STATUS] = {-1, -1, A_NORMAL, A_NORMAL},
        [TUI_ROLE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
        [TUI_ROLE_PROMPT] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    };
    int defaults = t->color && use_default_colors() == OK;
    for (int r = 0; r < TUI_ROLE_COUNT; r++) {
        t->pair[r] = 0;
        t->attr[r] = t->color ? styles[r].attr : styles[r].mono_attr;
        if (!t->color || (styles[r].fg < 0 && styles[r].bg < 0))
            continue;
        short fg = styles[r].fg, bg = styles[r].bg;
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        if (r < COLOR_PAIRS && init_pair((short)r, fg, bg) == OK)
            t->pair[r] = (short)r;
    }
}

static volatile sig_atomic_t resized, suspend_asked;

static void on_winch(int sig)
{
    (void)sig;
    resized = 1;
}

static void on_tstp(int sig)
{
    (void)sig;
    suspend_asked = 1;
}

static void set_handler(int sig, void (*fn)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, old);
}

static void restore_locale(tui_term *t)
{
    if (t->saved_locale) {
        setlocale(LC_ALL, t->saved_locale);
        free(t->saved_locale);
        t->saved_locale = NULL;
    }
}

/* What endwin would write, for the guard: leave the alternate screen and the keypad
 * mode, show the cursor, plain attributes. */
static void set_guard_reset(void)
{
    static const char *const caps[] = {"sgr0", "rmkx", "cnorm", "rmcup"};
    char reset[160] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const char *v = tigetstr(caps[i]);
        if (!v || v == (const char *)-1)
            continue;
        size_t n = strlen(v);
        if (len + n >= sizeof reset)
            break;
        memcpy(reset + len, v, n + 1);
        len += n;
    }
    term_guard_set_reset(reset);
}

tui_term *tui_term_open(char *err, size_t errsize)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errsize, "the dashboard needs a terminal (for scripts use 'ekm solve')");
        return NULL;
    }
    const char *term = getenv("TERM");
    if (!term || !*term || !strcmp(term, "dumb")) {
        snprintf(err, errsize, "the dashboard needs a terminal type: TERM is %s",
                 term && *term ? "'dumb'" : "not set");
        return NULL;
    }
    tui_term *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    const char *old = setlocale(LC_ALL, NULL);
    t->saved_locale = old ? strdup(old) : NULL;
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    t->utf8 = codeset && (!strcasecmp(codeset, "UTF-8") || !strcasecmp(codeset, "utf8"));
    setlocale(LC_NUMERIC, "C");

    /* readline may have left LINES and COLUMNS in the environment: follow the
     * terminal's real size instead (and keep following it on resize). */
    use_env(TRUE);
    use_tioctl(TRUE);
    resized = suspend_asked = 0;
    set_handler(SIGWINCH, on_winch, &t->old_winch);
    set_handler(SIGTSTP, on_tstp, &t->old_tstp);

    /* The modes as they are now are the ones the guard gives back on a way out
     * that is not tui_term_close (exit from elsewhere, SIGQUIT, a crash). */
    term_guard_arm(STDOUT_FILENO, NULL);
    t->screen = newterm(NULL, stdout, stdin);
    if (!t->screen) {
        term_guard_disarm();
        snprintf(err, errsize, "cannot use the terminal type '%s'", term);
        sigaction(SIGWINCH, &t->old_winch, NULL);
        sigaction(SIGTSTP, &t->old_tstp, NULL);
        restore_locale(t);
        free(t);
        return NULL;
    }
    set_term(t->screen);
    cbreak(); /* not raw: Ctrl-C still raises SIGINT (it cancels a job, or ends the dashboard cleanly) */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    const char *no_color = getenv("NO_COLOR");
    t->color = has_colors() && !(no_color && *no_color) && start_color() == OK;
    setup_styles(t);
    set_guard_reset();
    return t;
}

int tui_term_utf8(const tui_term *t) { return t->utf8; }

void tui_term_size(tui_term *t, int *rows, int *cols)
{
    (void)t;
    getmaxyx(stdscr, *rows, *cols);
}

void tui_term_invalidate(tui_term *t)
{
    (void)t;
    clearok(curscr, TRUE);
}

void tui_term_draw(tui_term *t, const tui_grid *g, tui_cursor c)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    for (int r = 0; r < g->rows && r < rows; r++)
        for (int col = 0; col < g->cols && col < cols; col++) {
            const tui_cell *cell = tui_grid_cell_const(g, r, col);
            int role = cell->role < TUI_ROLE_COUNT ? cell->role : TUI_ROLE_NORMAL;
            if (t->utf8) {
                wchar_t wc[2] = {(wchar_t)cell->ch, L'\0'};
                cchar_t cc;
                setcchar(&cc, wc, t->attr[role], t->pair[role], NULL);
                mvadd_wch(r, col, &cc);
            } else {
                chtype ch = cell->ch < 0x80 ? (chtype)cell->ch : (chtype)'?';
                mvaddch(r, col, ch | t->attr[role] | (chtype)COLOR_PAIR(t->pair[role]));
            }
        }
    if (c.row >= 0 && c.row < rows) {
        curs_set(1);
        move(c.row, c.col < cols ? c.col : cols - 1);
    } else {
        curs_set(0);
        move(rows - 1, 0);
    }
    refresh();
}

/* Ctrl-Z: give the terminal back, stop as the shell expects, take it again. */
static void suspend(void)
{
    endwin();
    struct sigaction mine;
    set_handler(SIGTSTP, SIG_DFL, &mine);
    raise(SIGTSTP); /* stopped here until SIGCONT */
    sigaction(SIGTSTP, &mine, NULL);
    resized = 1; /* the size may have changed meanwhile */
}

int tui_term_key(tui_term *t)
{
    (void)t;
    if (suspend_asked) {
        suspend_asked = 0;
        suspend();
    }
    if (resized) {
        resized = 0;
        struct winsize w;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row > 0 && w.ws_col > 0)
            resizeterm(w.ws_row, w.ws_col);
        clearok(curscr, TRUE);
        return TUI_KEY_RESIZE;
    }
    int ch = getch();
    switch (ch) {
    case ERR: return TUI_KEY_NONE;
    case KEY_UP: return TUI_KEY_UP;
    case KEY_DOWN: return TUI_KEY_DOWN;
    case KEY_PPAGE: return TUI_KEY_PGUP;
    case KEY_NPAGE: return TUI_KEY_PGDN;
    case KEY_HOME: return TUI_KEY_HOME;
    case KEY_END: return TUI_KEY_END;
    case KEY_F(1): return TUI_KEY_F1;
    case KEY_F(10): return TUI_KEY_F10;
    case KEY_BACKSPACE:
    case 127:
    case 8: return TUI_KEY_BACKSPACE;
    case KEY_ENTER:
    case '\n':
    case '\r': return TUI_KEY_ENTER;
    case KEY_RESIZE: return TUI_KEY_RESIZE;
    case 27: return TUI_KEY_ESCAPE;
    default: return ch >= 0 && ch < 256 ? ch : 0; /* 0: a key the dashboard does not use */
    }
}

void tui_term_close(tui_term *t)
{
    if (!t)
        return;
    curs_set(1);
    endwin();
    term_guard_disarm();
    delscreen(t->screen);
    sigaction(SIGWINCH, &t->old_winch, NULL);
    sigaction(SIGTSTP, &t->old_tstp, NULL);
    restore_locale(t);
    free(t);
}
