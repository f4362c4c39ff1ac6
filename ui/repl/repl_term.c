/* repl_term.c — the terminal helpers of the REPL's live lines: whether the terminal
 * shows UTF-8, a job's one-line progress badge, a line drawn over the current row. */
#define _GNU_SOURCE
#include "repl/repl_term.h"

#include <langinfo.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/progress_text.h"

int repl_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

void repl_progress_badge(const ekm_progress *p, int utf8, char *buf, size_t size)
{
    const char *name = ekm_strategy_name(p->strategy);
    if (p->total == 0) {
        snprintf(buf, size, "[%s running %.1fs]", name, p->elapsed);
        return;
    }
    double f = (double)p->done / (double)p->total;
    char bar[64];
    progress_bar(bar, sizeof bar, f, 10, utf8);
    snprintf(buf, size, "[%s %s %5.1f%% %.1fs]", name, bar, 100 * f, p->elapsed);
}

static int terminal_width(FILE *f)
{
    struct winsize ws;
    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

void repl_status_line(FILE *out, char *line)
{
    /* keep to one row: a bar's glyphs are 3 bytes but one column each */
    int width = terminal_width(out) - 1, cols = 0;
    size_t cut = 0;
    for (; line[cut] && cols < width; cut++)
        if (((unsigned char)line[cut] & 0xC0) != 0x80)
            cols++;
    while (line[cut] && ((unsigned char)line[cut] & 0xC0) == 0x80)
        cut++;
    line[cut] = '\0';
    fprintf(out, "\r\033[K%s", line);
    fflush(out);
}
