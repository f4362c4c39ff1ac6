/* plot_window_timeline.c — the window's timeline picture: its model (a copy of the
 * timeline and its texts, under the window's lock) and its update from callers. */
#include "plot/plot_window_internal.h"

#include <stdlib.h>
#include <string.h>

void plot__timeline_model_free(timeline_model *m)
{
    free(m->tl);
    memset(m, 0, sizeof *m);
}

int plot__timeline_model_set(timeline_model *m, const plot_timeline_input *in)
{
    memset(m, 0, sizeof *m);
    if (!in || !in->tl)
        return 0;
    m->tl = malloc(sizeof *m->tl);
    if (!m->tl)
        return -1;
    memcpy(m->tl, in->tl, sizeof *m->tl);
    snprintf(m->title, sizeof m->title, "%s", in->title ? in->title : "");
    snprintf(m->subtitle, sizeof m->subtitle, "%s", in->subtitle ? in->subtitle : "");
    return 0;
}

void plot__timeline_model_input(const timeline_model *m, plot_timeline_input *in)
{
    plot_timeline_input_init(in);
    in->tl = m->tl;
    in->title = m->title[0] ? m->title : NULL;
    in->subtitle = m->subtitle[0] ? m->subtitle : NULL;
}

int plot_window_update_timeline(plot_window *win, const plot_timeline_input *in, char *err,
                                size_t errsz)
{
    if (!in || !in->tl || in->tl->n_threads < 1) {
        plot__err(err, errsz, "timeline picture: nothing ran yet");
        return -1;
    }
    timeline_model m;
    if (plot__timeline_model_set(&m, in) != 0) {
        plot__err(err, errsz, "timeline picture: out of memory");
        return -1;
    }
    if (plot__window_lock_open(win, err, errsz) != 0) {
        plot__timeline_model_free(&m);
        return -1;
    }
    timeline_model old = win->tm;
    win->tm = m;
    win->has[PLOT_VIEW_TIMELINE] = 1;
    win->version++;
    pthread_mutex_unlock(&win->mu);
    plot__window_wake(win);
    plot__timeline_model_free(&old);
    return 0;
}
