/* repl_prompt.c — the prompt: "ekm iris k=3> ", with a running job's live
 * indicator in front of it. */
#include <string.h>

#include "repl/repl_internal.h"
#include "repl/repl_term.h"

/* readline counts the characters between \001 and \002 as taking no room */
#define RL_INVISIBLE(seq) "\001" seq "\002"

void repl_prompt(const workspace *ws, const ekm_progress *p, int color, char *buf, size_t size)
{
    char name[256], badge[256] = "";
    workspace_data_name(ws, name, sizeof name);
    if (p) {
        char b[224];
        repl_progress_badge(p, repl_utf8(), b, sizeof b);
        if (color)
            snprintf(badge, sizeof badge,
                     RL_INVISIBLE(REPL_YELLOW) "%s" RL_INVISIBLE(REPL_RESET) " ", b);
        else
            snprintf(badge, sizeof badge, "%s ", b);
    }
    snprintf(buf, size, "%s%sekm%s%s%s k=%u> ", badge,
             color ? RL_INVISIBLE(REPL_BOLD REPL_CYAN) : "", color ? RL_INVISIBLE(REPL_RESET) : "",
             name[0] ? " " : "", name, ws->settings.solve.k);
}
