/* plot_silhouette.h — the silhouette picture, as R's plot.silhouette: a
 * horizontal bar per point, its silhouette width s(i), the clusters one under
 * the other (cluster 1 on top) in their colours, the bars sorted by width
 * within each cluster, a dashed line at the mean width; the legend gives each
 * cluster's size and mean width. As PNG, or as a view of the plot window
 * (plot_window_update_silhouette). Errors as in plot.h. */
#ifndef EKM_UI_PLOT_SILHOUETTE_H
#define EKM_UI_PLOT_SILHOUETTE_H

#include "common/quality_report.h"
#include "plot/plot.h"

typedef struct plot_silhouette_input {
    const char *name;       /* title: the data's name (NULL: none) */
    const char *metric;     /* subtitle (NULL: left out) */
    size_t n;               /* points (>= 1) */
    unsigned k;             /* clusters (1..EKM_MAX_K) */
    const int32_t *cluster; /* n, each in 0..k-1 */
    const double *width;    /* n silhouette widths in [-1, 1]; NaN (K = 1): not defined */
    /* a sample (large data: common/quality_report.h): the n points are drawn from
     * of_n, and the title says so; mean and std_error are the estimate (the
     * dashed line). 0: the n points are all of them. */
    size_t of_n;
    double mean, std_error;
} plot_silhouette_input;

/* The picture of the silhouette as computed for the reports: every point up to
 * EKM_SILHOUETTE_EXACT_MAX, else the sample (pointers into qp). */
void plot_silhouette_input_from_points(plot_silhouette_input *in, const char *name,
                                       const char *metric, const quality_points *qp);

int plot_silhouette_render(const plot_silhouette_input *in, int w, int h,
                           struct SDL_Surface **out, plot_info *info, char *err, size_t errsz);
int plot_silhouette_png(const plot_silhouette_input *in, int w, int h, const char *path,
                        plot_info *info, char *err, size_t errsz);

/* Give the window a silhouette picture (deep copy) and show it when show is 1
 * (else it waits behind the other views: Tab, or plot_window_show_silhouette). */
int plot_window_update_silhouette(plot_window *win, const plot_silhouette_input *in, int show,
                                  char *err, size_t errsz);

#endif
