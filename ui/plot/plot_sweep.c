/* plot_sweep.c — the picture of a sweep over K (plot_sweep.h). */
#include "plot/plot_sweep.h"

#include <math.h>
#include <stdio.h>

#include <SDL.h>

/* Objective (top) and mean silhouette (bottom) against K, stacked in one PNG. */
int plot_sweep_png(const sweep *sw, const char *name, const char *metric, int w, int h,
                   const char *path, char *err, size_t errsize)
{
    double ks[EKM_MAX_K], obj[EKM_MAX_K], sil[EKM_MAX_K];
    size_t n = 0, ns = 0;
    double ksil[EKM_MAX_K];
    for (unsigned k = sw->lo; k <= sw->hi; k++) {
        const sweep_run *run = &sw->runs[k - sw->lo];
        if (!run->done)
            continue;
        ks[n] = k;
        obj[n++] = run->objective;
        if (!isnan(run->silhouette)) {
            ksil[ns] = k;
            sil[ns++] = run->silhouette;
        }
    }
    if (n == 0) {
        snprintf(err, errsize, "no K finished: nothing to draw");
        return -1;
    }
    char sub[300], title[400];
    unsigned best = sweep_suggested_k(sw), elbow = sweep_elbow_k(sw);
    snprintf(title, sizeof title, "Choosing K: %s (%s)", name, metric);
    int o = 0;
    if (elbow)
        o = snprintf(sub, sizeof sub, "elbow K = %u   ", elbow);
    if (best)
        snprintf(sub + o, sizeof sub - (size_t)o, "suggested K = %u (%s)", best, SWEEP_RULE);
    else
        snprintf(sub + o, sizeof sub - (size_t)o, "no silhouette (K = 1 only)");
    plot_series so = {"objective (proven optimum)", ks, obj, n, 0, 0, 0, 0, 0, 0};
    plot_series ss = {"mean silhouette", ksil, sil, ns, 0, 0, 0, 0, 0, 0};
    plot_curves_input top = {title, sub, "K (medoids)", "objective", "K", "objective", &so, 1, 0};
    plot_curves_input bottom = {"Mean silhouette against K", NULL, "K (medoids)",
                                "mean silhouette", "K", "s", &ss, ns ? 1 : 0, 0};
    int hh = h / 2;
    SDL_Surface *a = NULL, *b = NULL, *all = NULL;
    int rc = -1;
    if (plot_curves_render(&top, w, hh, &a, NULL, err, errsize) ||
        plot_curves_render(&bottom, w, h - hh, &b, NULL, err, errsize))
        goto out;
    all = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!all) {
        snprintf(err, errsize, "%s", SDL_GetError());
        goto out;
    }
    SDL_Rect ra = {0, 0, w, hh}, rb = {0, hh, w, h - hh};
    SDL_BlitSurface(a, NULL, all, &ra);
    SDL_BlitSurface(b, NULL, all, &rb);
    rc = plot_save_png(all, path, err, errsize);
out:
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    SDL_FreeSurface(all);
    return rc;
}

