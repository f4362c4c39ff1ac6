/* plot_scatter.c — the clusters picture: points coloured by cluster, medoids larger
 * and outlined, a legend with each cluster's size and cost, a title with the
 * dataset, K, metric, objective and strategy. D > 2 is shown on the first two
 * principal components (ekm/pca.h); D <= 2 on the raw columns. */
#include "plot/plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ekm/pca.h"
#include "ekm/plan.h"

void plot_scatter_input_init(plot_scatter_input *in)
{
    memset(in, 0, sizeof *in);
    in->objective = NAN;
}

void plot_scatter_input_from_result(plot_scatter_input *in, const ekm_dataset *ds,
                                    const ekm_dissim *dm, const ekm_result *r)
{
    plot_scatter_input_init(in);
    in->ds = ds;
    in->dm = dm;
    if (!r)
        return;
    in->medoids = r->medoids;
    in->k = r->k;
    in->cluster = r->cluster;
    in->cluster_size = r->cluster_size;
    in->cluster_cost = r->cluster_cost;
    in->strategy = ekm_strategy_name(r->strategy);
    in->metric = ekm_metric_name(r->metric);
    in->objective = r->objective;
    in->status = r->exact     ? "exact: the proven optimum"
                 : r->stopped ? "cancelled: the best set found, not proven optimal"
                              : "heuristic: a local optimum";
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

/* Everything the picture needs, computed from the input. */
typedef struct scatter_data {
    size_t n;
    int32_t *cluster;  /* n (owned) */
    uint32_t *size;    /* k */
    double *cost;      /* k (NAN entries when unknown) */
    double objective;  /* NAN when unknown */
    double *xy;        /* n*2 (owned) */
    int projected;
    double explained[2];
    char xlabel[96], ylabel[96];
} scatter_data;

static void scatter_data_free(scatter_data *sd)
{
    free(sd->cluster);
    free(sd->size);
    free(sd->cost);
    free(sd->xy);
}

static int scatter_prepare(const plot_scatter_input *in, scatter_data *sd, char *err,
                           size_t errsz)
{
    memset(sd, 0, sizeof *sd);
    if (!in || !in->ds) {
        plot__err(err, errsz, "clusters picture: no dataset");
        return -1;
    }
    size_t n = ekm_dataset_n(in->ds), d = ekm_dataset_d(in->ds);
    unsigned k = in->k;
    if (n == 0 || d == 0) {
        plot__err(err, errsz, "clusters picture: the dataset has no points");
        return -1;
    }
    if (k == 0 || !in->medoids || k > n) {
        plot__err(err, errsz, "clusters picture: need 1 to %zu medoids, got %u", n, k);
        return -1;
    }
    for (unsigned c = 0; c < k; c++)
        if (in->medoids[c] >= n) {
            plot__err(err, errsz, "clusters picture: medoid %u is point %u, but there are %zu",
                      c + 1, in->medoids[c], n);
            return -1;
        }
    if (in->dm && ekm_dissim_n(in->dm) != n) {
        plot__err(err, errsz, "clusters picture: the dissimilarity matrix has %zu points, the "
                  "dataset %zu", ekm_dissim_n(in->dm), n);
        return -1;
    }
    if (!in->cluster && !in->dm) {
        plot__err(err, errsz, "clusters picture: no cluster assignment and no dissimilarity "
                  "matrix to compute it");
        return -1;
    }
    sd->n = n;
    sd->cluster = malloc(n * sizeof *sd->cluster);
    sd->size = calloc(k, sizeof *sd->size);
    sd->cost = calloc(k, sizeof *sd->cost);
    sd->xy = malloc(n * 2 * sizeof *sd->xy);
    if (!sd->cluster || !sd->size || !sd->cost || !sd->xy) {
        plot__err(err, errsz, "clusters picture: out of memory for %zu points", n);
        scatter_data_free(sd);
        return -1;
    }
    sd->objective = NAN;
    if (!in->cluster) {
        sd->objective = ekm_dissim_assign(in->dm, in->medoids, k, sd->cluster, sd->size,
                                          sd->cost);
    } else {
        for (size_t p = 0; p < n; p++) {
            int32_t c = in->cluster[p];
            if (c < 0 || (unsigned)c >= k) {
                plot__err(err, errsz, "clusters picture: point %zu is in cluster %d, not in 0..%u",
                          p, (int)c, k - 1);
                scatter_data_free(sd);
                return -1;
            }
            sd->cluster[p] = c;
            sd->size[c]++;
            if (in->dm)
                sd->cost[c] += ekm_dissim_exact(in->dm, p, in->medoids[c]);
        }
        if (in->cluster_size)
            memcpy(sd->size, in->cluster_size, k * sizeof *sd->size);
        if (in->cluster_cost)
            memcpy(sd->cost, in->cluster_cost, k * sizeof *sd->cost);
        else if (!in->dm)
            for (unsigned c = 0; c < k; c++)
                sd->cost[c] = NAN;
        if (in->cluster_cost || in->dm) {
            sd->objective = 0;
            for (unsigned c = 0; c < k; c++)
                sd->objective += sd->cost[c];
        }
    }
    if (isfinite(in->objective))
        sd->objective = in->objective;

    const double *x = ekm_dataset_coords(in->ds);
    if (d >= 3) {
        ekm_pca *pca = NULL;
        ekm_error e;
        ekm_pca_options po = {.cancelled = in->cancelled, .ctx = in->cancel_ctx};
        if (ekm_pca_of_dataset_opt(in->ds, &po, &pca, &e) != EKM_OK) {
            plot__err(err, errsz, "clusters picture: %s", e.message);
            scatter_data_free(sd);
            return -1;
        }
        memcpy(sd->xy, pca->proj, n * 2 * sizeof *sd->xy);
        sd->projected = 1;
        for (int i = 0; i < 2; i++) {
            sd->explained[i] = pca->explained[i];
            snprintf(i ? sd->ylabel : sd->xlabel, sizeof sd->xlabel, "PC%d (%.1f %%)", i + 1,
                     100 * pca->explained[i]);
        }
        ekm_pca_free(pca);
    } else {
        for (size_t p = 0; p < n; p++) {
            sd->xy[2 * p] = x[p * d];
            sd->xy[2 * p + 1] = d == 2 ? x[p * d + 1] : sd->cluster[p] + 1;
        }
        for (size_t j = 0; j < 2; j++) {
            const char *name = j < d ? ekm_dataset_column_name(in->ds, j) : NULL;
            char *dst = j ? sd->ylabel : sd->xlabel;
            if (j >= d)
                snprintf(dst, sizeof sd->xlabel, "cluster");
            else if (name && *name)
                snprintf(dst, sizeof sd->xlabel, "%s", name);
            else
                snprintf(dst, sizeof sd->xlabel, "x%zu", j + 1);
        }
    }
    return 0;
}

int plot__scatter_draw(plot__ctx *c, const plot_scatter_input *in, plot_info *info, char *err,
                       size_t errsz)
{
    scatter_data sd;
    if (scatter_prepare(in, &sd, err, errsz) != 0)
        return -1;
    size_t n = sd.n;
    unsigned k = in->k;
    int rc = -1;
    plot__legend_entry *leg = calloc(k + 1, sizeof *leg);
    char (*texts)[96] = calloc(k, sizeof *texts);
    if (!leg || !texts) {
        plot__err(err, errsz, "clusters picture: out of memory");
        goto done;
    }

    /* Title: name — K = 3 · euclidean · objective 12.35 · par2. */
    char title[512], num[64], subtitle[256];
    const char *name = in->name ? in->name : base_name(ekm_dataset_name(in->ds));
    const char *metric = in->metric ? in->metric
                         : in->dm  ? ekm_metric_name(ekm_dissim_metric(in->dm))
                                   : NULL;
    int len = snprintf(title, sizeof title, "%s \xE2\x80\x94 K = %u", name, k);
    if (metric && len < (int)sizeof title)
        len += snprintf(title + len, sizeof title - (size_t)len, " \xC2\xB7 %s", metric);
    if (isfinite(sd.objective) && len < (int)sizeof title) {
        plot__fmt_num(sd.objective, 7, num, sizeof num);
        len += snprintf(title + len, sizeof title - (size_t)len, " \xC2\xB7 objective %s", num);
    }
    if (in->strategy && len < (int)sizeof title)
        snprintf(title + len, sizeof title - (size_t)len, " \xC2\xB7 %s", in->strategy);
    subtitle[0] = 0;
    if (in->status && *in->status)
        snprintf(subtitle, sizeof subtitle, "%s", in->status);
    if (sd.projected) {
        size_t l = strlen(subtitle);
        snprintf(subtitle + l, sizeof subtitle - l,
                 "%sprojected on the first two principal components (%.1f %% of the variance)",
                 l ? " \xE2\x80\x94 " : "", 100 * (sd.explained[0] + sd.explained[1]));
    }

    double r = plot__marker_radius(c, n);
    double R = fmax(2.0 * r, 8.5 * c->px), ow = fmax(2.5, 2.5 * c->px);
    plot_rgb black = plot_medoid_outline_color();
    for (unsigned j = 0; j < k; j++) {
        char cost[64];
        if (isfinite(sd.cost[j])) {
            plot__fmt_num(sd.cost[j], 4, cost, sizeof cost);
            snprintf(texts[j], sizeof texts[j], "%u: n = %u \xC2\xB7 cost %s", j + 1, sd.size[j],
                     cost);
        } else {
            snprintf(texts[j], sizeof texts[j], "%u: n = %u", j + 1, sd.size[j]);
        }
        leg[j + 1] = (plot__legend_entry){.text = texts[j], .has_marker = 1,
                                      .marker = plot_cluster_marker(j), .fill = plot_palette(j),
                                      .outline = plot__darker(plot_palette(j), 0.65),
                                      .marker_scale = 1.2};
    }
    /* The medoid key first, so it shows even when the clusters overflow the legend. */
    leg[0] = (plot__legend_entry){.text = "medoid", .has_marker = 1,
                                  .marker = PLOT_MARKER_CIRCLE, .fill = {0xBB, 0xBB, 0xBB},
                                  .outline = black, .marker_scale = 1.8, .outline_w = 2.2};

    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t p = 0; p < n; p++) {
        x0 = fmin(x0, sd.xy[2 * p]);
        x1 = fmax(x1, sd.xy[2 * p]);
        y0 = fmin(y0, sd.xy[2 * p + 1]);
        y1 = fmax(y1, sd.xy[2 * p + 1]);
    }
    plot__frame f = {.title = title, .subtitle = subtitle[0] ? subtitle : NULL,
                     .x = {x0, x1, 0, 0, sd.xlabel, 0}, .y = {y0, y1, 0, 0, sd.ylabel, 0},
                     .legend_title = "clusters", .legend = leg, .n_legend = k + 1};
    plot_transform t;
    if (plot__frame_begin(c, &f, &t, err, errsz) != 0)
        goto done;

    /* Ordinary points in index order, then the medoids on top. */
    unsigned char *is_medoid = calloc(n, 1);
    if (!is_medoid) {
        plot__err(err, errsz, "clusters picture: out of memory");
        goto done;
    }
    for (unsigned j = 0; j < k; j++)
        is_medoid[in->medoids[j]] = 1;
    double thin = r >= 3 ? fmax(0.8, 0.9 * c->px) : 0;
    for (size_t p = 0; p < n; p++) {
        if (is_medoid[p])
            continue;
        double px, py;
        if (plot_transform_apply(&t, sd.xy[2 * p], sd.xy[2 * p + 1], &px, &py) != 0)
            continue;
        unsigned cl = (unsigned)sd.cluster[p];
        plot_rgb col = plot_palette(cl);
        plot__marker(c, plot_cluster_marker(cl), px, py, r, col, plot__darker(col, 0.65), thin);
    }
    free(is_medoid);
    for (unsigned j = 0; j < k; j++) {
        uint32_t m = in->medoids[j];
        double px, py;
        if (plot_transform_apply(&t, sd.xy[2 * m], sd.xy[2 * m + 1], &px, &py) != 0)
            continue;
        plot__marker(c, plot_cluster_marker(j), px, py, R, plot_palette(j), black, ow);
    }
    plot__frame_finish(c, &f, &t);
    if (info) {
        memset(info, 0, sizeof *info);
        plot__fill_info(c, &f, &t, info);
        info->marker_radius = r;
        info->medoid_radius = R;
        info->medoid_outline = ow;
        info->projected = sd.projected;
        info->explained[0] = sd.explained[0];
        info->explained[1] = sd.explained[1];
        info->objective = sd.objective;
    }
    rc = 0;
done:
    free(leg);
    free(texts);
    scatter_data_free(&sd);
    return rc;
}

int plot_scatter_render(const plot_scatter_input *in, int w, int h, SDL_Surface **out,
                        plot_info *info, char *err, size_t errsz)
{
    plot__ctx c;
    *out = NULL;
    if (plot__begin(&c, w, h, err, errsz) != 0)
        return -1;
    if (plot__scatter_draw(&c, in, info, err, errsz) != 0) {
        plot__abort(&c);
        return -1;
    }
    plot__end(&c, out);
    return 0;
}

int plot_scatter_png(const plot_scatter_input *in, int w, int h, const char *path,
                     plot_info *info, char *err, size_t errsz)
{
    SDL_Surface *s = NULL;
    if (plot_scatter_render(in, w, h, &s, info, err, errsz) != 0)
        return -1;
    int rc = plot_save_png(s, path, err, errsz);
    SDL_FreeSurface(s);
    return rc;
}
