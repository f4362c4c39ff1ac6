/* bench_list.c — the benchmark's list options: "50,100,...,800", "50:800:50",
 * "seq,par1,fused". */
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/settings.h"

static int cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

static int is_ellipsis(const char *t)
{
    return strcmp(t, "...") == 0 || strcmp(t, "\xe2\x80\xa6") == 0;
}

/* Append v unless the list is full. */
static int push(unsigned long long *out, int *count, int max, unsigned long long v,
                const char *what, char *err, size_t errsize)
{
    if (*count >= max) {
        snprintf(err, errsize, "%s: more than %d values", what, max);
        return -1;
    }
    out[(*count)++] = v;
    return 0;
}

/* Append lo, lo+step, ..., <= hi (hi itself too when the step lands on it). */
static int push_range(unsigned long long *out, int *count, int max, unsigned long long from,
                      unsigned long long to, unsigned long long step, const char *what,
                      char *err, size_t errsize)
{
    if (step == 0) {
        snprintf(err, errsize, "%s: a range needs a step of at least 1", what);
        return -1;
    }
    if (to < from) {
        snprintf(err, errsize, "%s: the range %llu..%llu runs backwards", what, from, to);
        return -1;
    }
    for (unsigned long long v = from; v <= to; v += step) {
        if (push(out, count, max, v, what, err, errsize))
            return -1;
        if (to - v < step)
            break;
    }
    return 0;
}

int bench_parse_list(const char *what, const char *text, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out, int max, char *err,
                     size_t errsize)
{
    char buf[2048];
    if (!text || !*text) {
        snprintf(err, errsize, "%s: an empty list", what);
        return -1;
    }
    if (strlen(text) >= sizeof buf) {
        snprintf(err, errsize, "%s: the list is too long", what);
        return -1;
    }
    memcpy(buf, text, strlen(text) + 1);
    int count = 0;
    int pending_ellipsis = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t len = strlen(tok);
        while (len && tok[len - 1] == ' ')
            tok[--len] = '\0';
        if (is_ellipsis(tok)) {
            if (count < 2 || pending_ellipsis || out[count - 1] <= out[count - 2]) {
                snprintf(err, errsize,
                         "%s: '...' needs two increasing values before it, as in 50,100,...,800",
                         what);
                return -1;
            }
            pending_ellipsis = 1;
            continue;
        }
        char *colon = strchr(tok, ':');
        if (colon) {
            if (pending_ellipsis) {
                snprintf(err, errsize, "%s: '...' must be followed by a number", what);
                return -1;
            }
            unsigned long long a, b, step = 1;
            *colon = '\0';
            char *second = colon + 1, *third = strchr(second, ':');
            if (third)
                *third++ = '\0';
            if (settings_parse_uint(what, tok, lo, hi, &a, err, errsize) ||
                settings_parse_uint(what, second, lo, hi, &b, err, errsize) ||
                (third && settings_parse_uint(what, third, 1, hi, &step, err, errsize)))
                return -1;
            if (push_range(out, &count, max, a, b, step, what, err, errsize))
                return -1;
            continue;
        }
        unsigned long long v;
        if (settings_parse_uint(what, tok, lo, hi, &v, err, errsize))
            return -1;
        if (pending_ellipsis) {
            unsigned long long prev = out[count - 1], step = prev - out[count - 2];
            if (v <= prev) {
                snprintf(err, errsize, "%s: the value after '...' (%llu) must exceed %llu", what,
                         v, prev);
                return -1;
            }
            if (prev + step <= v &&
                push_range(out, &count, max, prev + step, v, step, what, err, errsize))
                return -1;
            if (out[count - 1] != v && push(out, &count, max, v, what, err, errsize))
                return -1;
            pending_ellipsis = 0;
            continue;
        }
        if (push(out, &count, max, v, what, err, errsize))
            return -1;
    }
    if (pending_ellipsis) {
        snprintf(err, errsize, "%s: '...' must be followed by the last value", what);
        return -1;
    }
    if (count == 0) {
        snprintf(err, errsize, "%s: an empty list", what);
        return -1;
    }
    qsort(out, (size_t)count, sizeof *out, cmp_ull);
    int w = 1;
    for (int i = 1; i < count; i++)
        if (out[i] != out[w - 1])
            out[w++] = out[i];
    return w;
}

int bench_parse_strategies(const char *text, ekm_strategy *out, int max, char *err,
                           size_t errsize)
{
    char buf[512];
    if (!text || !*text || strlen(text) >= sizeof buf) {
        snprintf(err, errsize, "--strategies: give a list such as seq,par1,fused");
        return -1;
    }
    memcpy(buf, text, strlen(text) + 1);
    int count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        ekm_strategy s;
        if (strcmp(tok, "all") == 0) {
            for (int i = 0; i <= EKM_STRATEGY_PRUNED; i++) {
                int dup = 0;
                for (int j = 0; j < count; j++)
                    dup |= out[j] == (ekm_strategy)i;
                if (!dup && count < max)
                    out[count++] = (ekm_strategy)i;
            }
            continue;
        }
        if (ekm_strategy_parse(tok, &s)) {
            snprintf(err, errsize,
                     "--strategies: unknown strategy '%s' (seq, split, par1, par2, tree, fused, "
                     "pruned, or all)",
                     tok);
            return -1;
        }
        if (!ekm_strategy_is_exact(s)) {
            snprintf(err, errsize,
                     "--strategies: '%s' is a heuristic; bench times the exact strategies", tok);
            return -1;
        }
        for (int j = 0; j < count; j++)
            if (out[j] == s) {
                snprintf(err, errsize, "--strategies: '%s' is listed twice", tok);
                return -1;
            }
        if (count >= max) {
            snprintf(err, errsize, "--strategies: too many strategies");
            return -1;
        }
        out[count++] = s;
    }
    if (!count) {
        snprintf(err, errsize, "--strategies: give a list such as seq,par1,fused");
        return -1;
    }
    return count;
}
