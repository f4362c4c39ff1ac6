/* plot_silhouette_internal.h — the silhouette picture's hook for the window
 * (ui/plot only). */
#ifndef EKM_UI_PLOT_SILHOUETTE_INTERNAL_H
#define EKM_UI_PLOT_SILHOUETTE_INTERNAL_H

#include "plot/plot_internal.h"
#include "plot/plot_silhouette.h"

/* Draw into a context begun by the caller. */
int plot__silhouette_draw(plot__ctx *c, const plot_silhouette_input *in, plot_info *info,
                          char *err, size_t errsz);

#endif
