/* progress_text.c — text renderings of progress snapshots. */
#include "common/progress_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void progress_stage_name(const ekm_stage_progress *sp, char *buf, size_t size)
{
    if (sp->spec.kind == EKM_STAGE_MERGE)
        snprintf(buf, size, "M%d [%u,%u)+[%u,%u)", sp->spec.id, sp->spec.lo, sp->spec.mid,
                 sp->spec.mid, sp->spec.hi);
    else if (sp->spec.kind == EKM_STAGE_LEAF)
        snprintf(buf, size, "L%d [%u,%u)", sp->spec.id, sp->spec.lo, sp->spec.hi);
    else
        snprintf(buf, size, "S%d [%u,%u)", sp->spec.id, sp->spec.lo, sp->spec.hi);
}

void progress_bar(char *buf, size_t size, double fraction, int width, int utf8)
{
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (fraction < 0 || !isfinite(fraction))
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    size_t o = 0;
    int cells8 = (int)(fraction * width * 8 + 0.5);
    for (int i = 0; i < width && o + 4 < size; i++) {
        int fill = cells8 - i * 8;
        const char *g;
        if (utf8)
            g = fill >= 8 ? "█" : fill > 0 ? eighths[fill] : "·";
        else
            g = fill >= 4 ? "#" : ".";
        size_t l = strlen(g);
        memcpy(buf + o, g, l);
        o += l;
    }
    buf[o] = '\0';
}

void progress_stage_line(const ekm_stage_progress *sp, double now, char *buf, size_t size,
                         int bar_width, int utf8)
{
    char name[64], bar[256];
    progress_stage_name(sp, name, sizeof name);
    double f = sp->spec.total ? (double)sp->done / (double)sp->spec.total : 1.0;
    progress_bar(bar, sizeof bar, f, bar_width, utf8);
    double secs = sp->start < 0 ? 0 : (sp->end >= 0 ? sp->end : now) - sp->start;
    char thread[16];
    if (sp->thread >= 0)
        snprintf(thread, sizeof thread, "t%d", sp->thread);
    else
        snprintf(thread, sizeof thread, "%s", sp->spec.kind == EKM_STAGE_SHARED ? "all" : "-");
    const char *state = ekm_run_state_name(sp->state);
    if (sp->state == EKM_RUN_WAITING && sp->spec.kind == EKM_STAGE_MERGE)
        state = "waits for children";
    char c1[EKM_COUNT_DIGITS], c2[EKM_COUNT_DIGITS];
    snprintf(buf, size, "%-22s %s %5.1f%% %13s/%-13s %-4s %7.2fs %s", name, bar, 100.0 * f,
             ekm_count_format(sp->done, c1, sizeof c1),
             ekm_count_format(sp->spec.total, c2, sizeof c2), thread, secs, state);
}

void progress_job_line(const ekm_progress *p, const uint32_t *best_medoids, char *buf,
                       size_t size)
{
    double f = p->total ? (double)p->done / (double)p->total : 0;
    /* this run's own rate: work taken over from a checkpoint took no time here */
    double rate = p->elapsed > 0 ? (double)(p->done - p->resumed) / p->elapsed : 0;
    double eta = rate > 0 && p->total ? (double)(p->total - p->done) / rate : NAN;
    char best[160] = "best -";
    if (p->has_best) {
        int o = snprintf(best, sizeof best, "best %.10g {", p->best);
        for (unsigned i = 0; best_medoids && i < p->k && o < (int)sizeof best - 12; i++)
            o += snprintf(best + o, sizeof best - (size_t)o, "%s%u", i ? "," : "",
                          best_medoids[i]);
        snprintf(best + o, sizeof best - (size_t)o, "}");
    }
    int o;
    if (isfinite(eta))
        o = snprintf(buf, size, "%s %5.1f%%  %.3g subsets/s  %.1fs elapsed  ETA %.1fs  %s",
                     ekm_strategy_name(p->strategy), 100 * f, rate, p->elapsed, eta, best);
    else
        o = snprintf(buf, size, "%s %5.1f%%  %.1fs elapsed  %s", ekm_strategy_name(p->strategy),
                     100 * f, p->elapsed, best);
    /* pruned's root phase: how far its bound is from the best (no subset is
     * closed before it ends) */
    if (o > 0 && (size_t)o < size && p->root_active > 0 && isfinite(p->root_bound)) {
        char gap[48] = "";
        if (p->has_best && p->best > 0)
            snprintf(gap, sizeof gap, ", gap %.2g%%",
                     100 * fmax(0.0, (p->best - p->root_bound) / p->best));
        snprintf(buf + o, size - (size_t)o, "  root bound %.10g%s, %llu candidates left",
                 p->root_bound, gap, (unsigned long long)p->root_active);
    }
}
