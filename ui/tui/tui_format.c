/* tui_format.c — numbers, durations and names in the dashboard's short forms. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/load_report.h"
#include "tui/tui_internal.h"

const char *tui_fmt_compact(char *buf, size_t size, double v)
{
    static const char suffix[] = " kMGTPE";
    if (!isfinite(v) || v < 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    int e = 0;
    double x = v;
    while (x >= 999.5 && e < 6) {
        x /= 1000;
        e++;
    }
    if (e == 0)
        snprintf(buf, size, "%.0f", v);
    else if (x >= 99.95)
        snprintf(buf, size, "%.0f%c", x, suffix[e]);
    else if (x >= 9.995)
        snprintf(buf, size, "%.1f%c", x, suffix[e]);
    else
        snprintf(buf, size, "%.2f%c", x, suffix[e]);
    return buf;
}

const char *tui_fmt_seconds(char *buf, size_t size, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, size, "-");
    else if (s < 9.995)
        snprintf(buf, size, "%.2fs", s);
    else if (s < 59.95)
        snprintf(buf, size, "%.1fs", s);
    else if (s < 3600) {
        long t = lround(s);
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    } else if (s < 86400) {
        long t = lround(s / 60);
        snprintf(buf, size, "%ldh%02ldm", t / 60, t % 60);
    } else
        snprintf(buf, size, "%.1fd", s / 86400);
    return buf;
}

const char *tui_fmt_ratio(char *buf, size_t size, double v, int utf8)
{
    if (!isfinite(v) || v <= 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, v < 9.995 ? "%.2f%s" : v < 99.95 ? "%.1f%s" : "%.0f%s", v,
                 tui_glyphs_get(utf8)->times);
    return buf;
}

const char *tui_fmt_basename(char *buf, size_t size, const char *path)
{
    const char *slash = strrchr(path, '/');
    snprintf(buf, size, "%s", slash ? slash + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf && (!strcmp(dot, ".csv") || !strcmp(dot, ".tsv") || !strcmp(dot, ".txt")))
        *dot = '\0';
    return buf;
}

const char *tui_fmt_medoids(char *buf, size_t size, const uint32_t *medoids, unsigned k)
{
    size_t o = 0;
    if (size < 3) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '{';
    for (unsigned i = 0; i < k && i < EKM_MAX_K; i++) {
        int w = snprintf(buf + o, size - o, "%s%u", i ? ", " : "",
                         medoids[i] + report_current_style()->index_base);
        if (w < 0 || (size_t)w >= size - o - 1) {
            buf[o] = '\0';
            return buf; /* cut: the grid shows an ellipsis */
        }
        o += (size_t)w;
    }
    buf[o++] = '}';
    buf[o] = '\0';
    return buf;
}
