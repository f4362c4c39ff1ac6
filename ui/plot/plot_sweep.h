/* plot_sweep.h — the picture of a sweep over K (common/sweep.h): the objective
 * of the optimum against K (top) and the mean silhouette against K (bottom),
 * the elbow and the suggested K with its rule in the subtitle; as PNG. */
#ifndef EKM_UI_PLOT_SWEEP_H
#define EKM_UI_PLOT_SWEEP_H

#include "common/sweep.h"
#include "plot/plot.h"

/* Draw sw at w x h (name and metric for the title) to path. 0, or -1 with a
 * message in err (no K finished, a failed write). */
int plot_sweep_png(const sweep *sw, const char *name, const char *metric, int w, int h,
                   const char *path, char *err, size_t errsize);

#endif
