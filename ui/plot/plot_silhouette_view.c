/* plot_silhouette_view.c — the silhouette picture as a view of the plot window:
 * the model copy the window keeps (under its lock), and the update call. The
 * window thread takes a copy of it to draw (plot_window_thread.c). */
#include "plot/plot_silhouette_internal.h"
#include "plot/plot_window_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

silhouette_model *plot__silhouette_model_new(const plot_silhouette_input *in)
{
    silhouette_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n = in->n;
    m->k = in->k;
    m->of_n = in->of_n;
    m->mean = in->mean;
    m->std_error = in->std_error;
    m->name = dup_str(in->name);
    m->metric = dup_str(in->metric);
    m->cluster = plot__win_dup_mem(in->cluster, in->n * sizeof *in->cluster);
    m->width = plot__win_dup_mem(in->width, in->n * sizeof *in->width);
    if ((in->name && !m->name) || (in->metric && !m->metric) || !m->cluster || !m->width) {
        plot__silhouette_model_free(m);
        return NULL;
    }
    return m;
}

void plot__silhouette_model_free(silhouette_model *m)
{
    if (!m)
        return;
    free(m->name);
    free(m->metric);
    free(m->cluster);
    free(m->width);
    free(m);
}

void plot__silhouette_model_input(const silhouette_model *m, plot_silhouette_input *in)
{
    *in = (plot_silhouette_input){m->name,   m->metric, m->n,    m->k,        m->cluster,
                                  m->width,  m->of_n,   m->mean, m->std_error};
}

int plot_window_update_silhouette(plot_window *win, const plot_silhouette_input *in, int show,
                                  char *err, size_t errsz)
{
    if (!win) {
        plot__err(err, errsz, "no plot window");
        return -1;
    }
    if (!in || in->n == 0 || !in->cluster || !in->width || in->k == 0) {
        plot__err(err, errsz, "silhouette picture: no points");
        return -1;
    }
    silhouette_model *m = plot__silhouette_model_new(in);
    if (!m) {
        plot__err(err, errsz, "silhouette picture: out of memory");
        return -1;
    }
    pthread_mutex_lock(&win->mu);
    if (win->stopped || !atomic_load(&win->open)) {
        pthread_mutex_unlock(&win->mu);
        plot__silhouette_model_free(m);
        plot__err(err, errsz, "the plot window is closed");
        return -1;
    }
    silhouette_model *old = win->sil;
    win->sil = m;
    win->has[PLOT_VIEW_SILHOUETTE] = 1;
    if (show || !win->has[win->view])
        win->view = PLOT_VIEW_SILHOUETTE;
    win->version++;
    pthread_mutex_unlock(&win->mu);
    if (win->wake[1] >= 0) { /* wake the window thread (a full pipe: already pending) */
        ssize_t w = write(win->wake[1], "x", 1);
        (void)w;
    }
    plot__silhouette_model_free(old);
    return 0;
}
