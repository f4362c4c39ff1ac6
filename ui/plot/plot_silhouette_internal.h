/* plot_silhouette_internal.h — the silhouette picture's hook for the window
 * (ui/plot only). */
#ifndef EKM_UI_PLOT_SILHOUETTE_INTERNAL_H
#define EKM_UI_PLOT_SILHOUETTE_INTERNAL_H

#include "plot/plot_internal.h"
#include "plot/plot_silhouette.h"

/* Draw into a context begun by the caller. */
int plot__silhouette_draw(plot__ctx *c, const plot_silhouette_input *in, plot_info *info,
                          char *err, size_t errsz);

/* The window's copy of a silhouette picture (plot_silhouette_view.c). */
typedef struct silhouette_model {
    char *name, *metric;
    size_t n;
    unsigned k;
    int32_t *cluster;
    double *width;
    size_t of_n;
    double mean, std_error;
} silhouette_model;

/* A deep copy of in (NULL: out of memory); free with plot__silhouette_model_free. */
silhouette_model *plot__silhouette_model_new(const plot_silhouette_input *in);
void plot__silhouette_model_free(silhouette_model *m); /* NULL is fine */
/* The input view of a model (pointers into it). */
void plot__silhouette_model_input(const silhouette_model *m, plot_silhouette_input *in);

#endif
