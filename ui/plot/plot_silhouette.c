/* plot_silhouette.c — the silhouette picture (plot_silhouette.h). */
#include "plot/plot_silhouette.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_internal.h"
#include "plot/plot_silhouette_internal.h"

static int check_input(const plot_silhouette_input *in, char *err, size_t errsz)
{
    if (!in || in->n == 0 || in->k == 0 || in->k > EKM_MAX_K || !in->cluster || !in->width) {
        plot__err(err, errsz, "silhouette: no points or no clusters to draw");
        return -1;
    }
    for (size_t i = 0; i < in->n; i++)
        if (in->cluster[i] < 0 || (unsigned)in->cluster[i] >= in->k) {
            plot__err(err, errsz, "silhouette: point %zu is in no cluster of 1..%u", i, in->k);
            return -1;
        }
    return 0;
}

/* Sort key: cluster ascending, width descending, then index. */
typedef struct bar {
    int32_t cluster;
    double width;
    size_t index;
} bar;

static int bar_cmp(const void *x, const void *y)
{
    const bar *a = x, *b = y;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    if (a->width != b->width)
        return a->width > b->width ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

int plot__silhouette_draw(plot__ctx *c, const plot_silhouette_input *in, plot_info *info,
                          char *err, size_t errsz)
{
    if (check_input(in, err, errsz))
        return -1;
    size_t n = in->n;
    unsigned k = in->k;
    bar *bars = malloc(n * sizeof *bars);
    plot__legend_entry *leg = calloc(k, sizeof *leg);
    char (*texts)[64] = calloc(k, sizeof *texts);
    size_t *size = calloc(k, sizeof *size);
    double *sum = calloc(k, sizeof *sum);
    if (!bars || !leg || !texts || !size || !sum) {
        free(bars), free(leg), free(texts), free(size), free(sum);
        plot__err(err, errsz, "silhouette: out of memory");
        return -1;
    }
    double total = 0, lo = 0;
    int defined = 1;
    for (size_t i = 0; i < n; i++) {
        double s = in->width[i];
        if (isnan(s))
            defined = 0;
        bars[i] = (bar){in->cluster[i], isnan(s) ? 0.0 : s, i};
        size[in->cluster[i]]++;
        sum[in->cluster[i]] += bars[i].width;
        total += bars[i].width;
        if (bars[i].width < lo)
            lo = bars[i].width;
    }
    qsort(bars, n, sizeof *bars, bar_cmp);
    size_t nl = 0;
    for (unsigned j = 0; j < k; j++) {
        if (!size[j])
            snprintf(texts[j], sizeof texts[j], "%u: empty", j + 1);
        else if (defined)
            snprintf(texts[j], sizeof texts[j], "%u: %zu%s | mean %.2f", j + 1, size[j],
                     in->of_n ? " drawn" : "", sum[j] / (double)size[j]);
        else
            snprintf(texts[j], sizeof texts[j], "%u: %zu", j + 1, size[j]);
        plot__pretty_minus(texts[j], sizeof texts[j]);
        leg[nl++] = (plot__legend_entry){.text = texts[j], .has_marker = 1,
                                         .marker = PLOT_MARKER_SQUARE, .fill = plot_palette(j),
                                         .outline = plot__darker(plot_palette(j), 0.7),
                                         .marker_scale = 1.3};
    }
    /* a gap of about 2 % of the bars between clusters */
    size_t gap = n / 50 ? n / 50 : 1, slots = n + (k - 1) * gap;
    char title[300], sub[300];
    snprintf(title, sizeof title, "Silhouette plot%s%s%s", in->of_n ? " of a sample" : "",
             in->name ? ": " : "", in->name ? in->name : "");
    double mean = in->of_n ? in->mean : total / (double)n;
    if (defined && in->of_n)
        snprintf(sub, sizeof sub, "a sample of %zu of the %zu points, average width ≈ %.4f "
                 "± %.4f%s%s", n, in->of_n, mean, in->std_error, in->metric ? ", " : "",
                 in->metric ? in->metric : "");
    else if (defined)
        snprintf(sub, sizeof sub, "n = %zu, %u clusters, average silhouette width %.4f%s%s", n, k,
                 total / (double)n, in->metric ? ", " : "", in->metric ? in->metric : "");
    else
        snprintf(sub, sizeof sub, "n = %zu, one cluster: the silhouette is not defined", n);
    plot__pretty_minus(sub, sizeof sub);
    plot__frame f = {.title = title,
                     .subtitle = sub,
                     .x = {lo, 1.0, 0, 1, "silhouette width s(i)", 0},
                     .y = {0, (double)slots, 0, 1, "points by cluster, sorted", 0},
                     .legend_title = "clusters",
                     .legend = leg,
                     .n_legend = nl};
    plot_transform t;
    int rc = plot__frame_begin(c, &f, &t, err, errsz);
    if (rc == 0) {
        size_t slot = 0;
        for (size_t i = 0; i < n; i++) {
            if (i && bars[i].cluster != bars[i - 1].cluster)
                slot += gap * (size_t)(bars[i].cluster - bars[i - 1].cluster);
            double x0, y0, x1, y1;
            double top = (double)(slots - slot), bottom = top - 1.0;
            plot_transform_apply(&t, 0.0, top, &x0, &y0);
            plot_transform_apply(&t, bars[i].width, bottom, &x1, &y1);
            int px0 = (int)floor(fmin(x0, x1)), px1 = (int)ceil(fmax(x0, x1));
            int py0 = (int)floor(y0), py1 = (int)floor(y1);
            if (py1 <= py0)
                py1 = py0 + 1;
            if (px1 <= px0)
                px1 = px0 + 1;
            plot__fill_rect(c, px0, py0, px1 - px0, py1 - py0, plot_palette((unsigned)bars[i].cluster));
            slot++;
        }
        if (defined) { /* the mean width, dashed */
            const double dash[2] = {6 * c->px, 4 * c->px};
            double xy[4];
            plot_transform_apply(&t, mean, 0, &xy[0], &xy[1]);
            plot_transform_apply(&t, mean, (double)slots, &xy[2], &xy[3]);
            plot__polyline(c, xy, 2, 1.5 * c->px, plot_model_color(), dash, 2);
        }
        plot__frame_finish(c, &f, &t);
        if (info) {
            memset(info, 0, sizeof *info);
            plot__fill_info(c, &f, &t, info);
            info->objective = NAN;
        }
    }
    free(bars), free(leg), free(texts), free(size), free(sum);
    return rc;
}

void plot_silhouette_input_from_points(plot_silhouette_input *in, const char *name,
                                       const char *metric, const quality_points *qp)
{
    *in = (plot_silhouette_input){name, metric, qp->m, qp->k, qp->cluster, qp->width,
                                  qp->est.exact ? 0 : qp->est.n, qp->est.mean,
                                  qp->est.std_error};
}

int plot_silhouette_render(const plot_silhouette_input *in, int w, int h, SDL_Surface **out,
                           plot_info *info, char *err, size_t errsz)
{
    plot__ctx c;
    *out = NULL;
    if (plot__begin(&c, w, h, err, errsz) != 0)
        return -1;
    if (plot__silhouette_draw(&c, in, info, err, errsz) != 0) {
        plot__abort(&c);
        return -1;
    }
    plot__end(&c, out);
    return 0;
}

int plot_silhouette_png(const plot_silhouette_input *in, int w, int h, const char *path,
                        plot_info *info, char *err, size_t errsz)
{
    SDL_Surface *s = NULL;
    if (plot_silhouette_render(in, w, h, &s, info, err, errsz) != 0)
        return -1;
    int rc = plot_save_png(s, path, err, errsz);
    SDL_FreeSurface(s);
    return rc;
}
