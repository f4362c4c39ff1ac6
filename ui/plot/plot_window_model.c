/* plot_window_model.c — the live window's model: deep copies of the data of each
 * picture (datasets and dissimilarity matrices are retained, not copied), made and
 * read under the window's lock.
 */
#define _GNU_SOURCE
#include "plot/plot_window_internal.h"

#include <SDL_image.h>
#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- model copies */

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

void *plot__win_dup_mem(const void *p, size_t bytes)
{
    if (!p || bytes == 0)
        return NULL;
    void *q = malloc(bytes);
    if (q)
        memcpy(q, p, bytes);
    return q;
}

void plot__scatter_model_free(scatter_model *m)
{
    ekm_dissim_release(m->dm);
    ekm_dataset_release(m->ds);
    free(m->medoids);
    free(m->cluster);
    free(m->size);
    free(m->cost);
    free(m->name);
    free(m->strategy);
    free(m->metric);
    free(m->status);
    memset(m, 0, sizeof *m);
}

/* Deep copy of a scatter input (or of another model, through its input view). */
int plot__scatter_model_set(scatter_model *m, const plot_scatter_input *in)
{
    memset(m, 0, sizeof *m);
    size_t n = ekm_dataset_n(in->ds);
    m->ds = ekm_dataset_retain((ekm_dataset *)(uintptr_t)in->ds); /* shared, never written */
    m->dm = in->dm ? ekm_dissim_retain((ekm_dissim *)(uintptr_t)in->dm) : NULL;
    m->k = in->k;
    m->medoids = plot__win_dup_mem(in->medoids, in->k * sizeof *m->medoids);
    m->cluster = plot__win_dup_mem(in->cluster, n * sizeof *m->cluster);
    m->size = plot__win_dup_mem(in->cluster_size, in->k * sizeof *m->size);
    m->cost = plot__win_dup_mem(in->cluster_cost, in->k * sizeof *m->cost);
    m->name = dup_or_null(in->name);
    m->strategy = dup_or_null(in->strategy);
    m->metric = dup_or_null(in->metric);
    m->status = dup_or_null(in->status);
    m->objective = in->objective;
    if (!m->medoids || (in->cluster && !m->cluster) || (in->cluster_size && !m->size) ||
        (in->cluster_cost && !m->cost) || (in->name && !m->name) ||
        (in->strategy && !m->strategy) || (in->metric && !m->metric) ||
        (in->status && !m->status)) {
        plot__scatter_model_free(m);
        return -1;
    }
    return 0;
}

void plot__scatter_model_input(const scatter_model *m, plot_scatter_input *in)
{
    plot_scatter_input_init(in);
    in->ds = m->ds;
    in->dm = m->dm;
    in->medoids = m->medoids;
    in->k = m->k;
    in->cluster = m->cluster;
    in->cluster_size = m->size;
    in->cluster_cost = m->cost;
    in->name = m->name;
    in->strategy = m->strategy;
    in->metric = m->metric;
    in->status = m->status;
    in->objective = m->objective;
}

void plot__series_model_free(series_model *m)
{
    for (size_t i = 0; i < m->n_series; i++) {
        free((void *)(uintptr_t)m->series[i].name); /* the model's own copies */
        free((void *)(uintptr_t)m->series[i].x);
        free((void *)(uintptr_t)m->series[i].y);
    }
    free(m->series);
    free(m->title);
    free(m->subtitle);
    free(m->xlabel);
    free(m->ylabel);
    free(m->xvar);
    free(m->yvar);
    memset(m, 0, sizeof *m);
}

int plot__series_model_set(series_model *m, const plot_series *s, size_t ns, const char *title,
                            const char *subtitle, const char *xlabel, const char *ylabel,
                            const char *xvar, const char *yvar)
{
    memset(m, 0, sizeof *m);
    m->series = calloc(ns ? ns : 1, sizeof *m->series);
    if (!m->series)
        return -1;
    m->n_series = ns;
    int bad = 0;
    for (size_t i = 0; i < ns; i++) {
        m->series[i] = s[i];
        m->series[i].name = dup_or_null(s[i].name);
        m->series[i].x = plot__win_dup_mem(s[i].x, s[i].n * sizeof(double));
        m->series[i].y = plot__win_dup_mem(s[i].y, s[i].n * sizeof(double));
        if ((s[i].name && !m->series[i].name) ||
            (s[i].n && (!m->series[i].x || !m->series[i].y)))
            bad = 1;
    }
    m->title = dup_or_null(title);
    m->subtitle = dup_or_null(subtitle);
    m->xlabel = dup_or_null(xlabel);
    m->ylabel = dup_or_null(ylabel);
    m->xvar = dup_or_null(xvar);
    m->yvar = dup_or_null(yvar);
    if (bad || (title && !m->title) || (subtitle && !m->subtitle) || (xlabel && !m->xlabel) ||
        (ylabel && !m->ylabel) || (xvar && !m->xvar) || (yvar && !m->yvar)) {
        plot__series_model_free(m);
        return -1;
    }
    return 0;
}
