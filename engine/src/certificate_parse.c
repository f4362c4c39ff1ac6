/* certificate_parse.c — reading a certificate for its checker (header, the
 * multipliers) and the checker's entry point; see ekm/certificate.h and, for
 * the checks, certificate_check.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cert_check_internal.h"

const char *chk_line(chk *c, long *line)
{
    *line = c->lineno + 1;
    if (c->pos >= c->len)
        return NULL;
    const char *s = c->text + c->pos;
    const char *e = memchr(s, '\n', c->len - c->pos);
    size_t l = e ? (size_t)(e - s) : c->len - c->pos;
    c->pos += l + (e != NULL);
    c->lineno++;
    if (l && s[l - 1] == '\r')
        l--;
    if (l >= sizeof c->line || memchr(s, '\0', l)) {
        ekm_error_set(c->err, EKM_ERR_PARSE, c->name, *line, 0, "line too long or not text");
        c->pos = c->len;
        return NULL;
    }
    memcpy(c->line, s, l);
    c->line[l] = '\0';
    return c->line;
}

int chk_point(chk *c, const char *s, uint32_t *out, long line)
{
    char *end;
    errno = 0;
    if (*s != ' ' || s[1] < '0' || s[1] > '9')
        goto bad;
    unsigned long long v = strtoull(s + 1, &end, 10);
    if (errno || *end || v >= c->n)
        goto bad;
    *out = (uint32_t)v;
    return 0;
bad:
    return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                         "expected a point index below N=%zu after the event, not \"%.40s\"",
                         c->n, s);
}

/* A non-negative finite number filling the whole text. */
static int read_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < 0.0)
        return -1;
    *out = v;
    return 0;
}

void chk_frame_free(frame *f)
{
    if (!f)
        return;
    free(f->lam);
    free(f->rho);
    free(f->order);
    free(f);
}

/* The points by ascending ρ: (ρ, index) pairs sorted. */
typedef struct pair {
    double v;
    uint32_t j;
} pair;
static int by_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return (x->v > y->v) - (x->v < y->v);
}

frame *chk_frame_read(chk *c)
{
    frame *f = calloc(1, sizeof *f);
    pair *p = malloc(c->n * sizeof *p);
    if (f) {
        f->lam = malloc(c->n * sizeof *f->lam);
        f->rho = malloc(c->n * sizeof *f->rho);
        f->order = malloc(c->n * sizeof *f->order);
    }
    if (!f || !p || !f->lam || !f->rho || !f->order) {
        chk_frame_free(f);
        free(p);
        ekm_error_set(c->err, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < c->n; i++) {
        long line;
        const char *s = chk_line(c, &line);
        if (!s || read_number(s, &f->lam[i])) {
            if (s || c->pos >= c->len)
                ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0,
                              "multiplier %zu of %zu: expected a finite number >= 0, not "
                              "\"%.40s\"",
                              i + 1, c->n, s ? s : "(the end)");
            chk_frame_free(f);
            free(p);
            return NULL;
        }
        f->sum += f->lam[i];
    }
    for (size_t j = 0; j < c->n; j++) {
        double r = 0.0;
        for (size_t i = 0; i < c->n; i++) {
            double t = chk_dist(c, i, j) - f->lam[i];
            r += t < 0.0 ? t : 0.0;
        }
        f->rho[j] = r;
        p[j] = (pair){r, (uint32_t)j};
    }
    qsort(p, c->n, sizeof *p, by_pair);
    for (size_t j = 0; j < c->n; j++)
        f->order[j] = p[j].j;
    free(p);
    return f;
}

/* "key VALUE": the value, or NULL (err set) when the line is not that key. */
static const char *keyed(chk *c, const char *key)
{
    long line;
    const char *s = chk_line(c, &line);
    size_t kl = strlen(key);
    if (s && !strncmp(s, key, kl) && (s[kl] == ' ' || s[kl] == '\0'))
        return s[kl] ? s + kl + 1 : s + kl;
    if (s || c->err->status != EKM_ERR_PARSE)
        ekm_error_set(c->err, EKM_ERR_PARSE, c->name, line, 0, "expected \"%s\"%s", key,
                      s ? "" : ", found the end of the file");
    return NULL;
}

static int header(chk *c, const ekm_dataset *ds)
{
    long line;
    const char *s = chk_line(c, &line);
    if (!s || strncmp(s, "ekm-certificate ", 16))
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, 1, 0,
                             "not an ekm certificate (no \"ekm-certificate 1\" line)");
    if (strcmp(s + 16, "1"))
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, 1, 0,
                             "certificate format version %.20s: this ekm reads version 1",
                             s + 16);
    size_t save = c->pos;
    long lsave = c->lineno;
    while ((s = chk_line(c, &line)) && !strncmp(s, "data ", 5)) {
        save = c->pos;
        lsave = c->lineno;
    }
    c->pos = save;
    c->lineno = lsave;
    char *end;
    const char *v = keyed(c, "n");
    if (!v)
        return -1;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end || n != ekm_dataset_n(ds))
        return ekm_error_set(c->err, EKM_ERR_INVALID, c->name, 0, 0,
                             "the certificate is for N=%.30s points, the data has %zu: "
                             "another data file?",
                             v, ekm_dataset_n(ds));
    if (!(v = keyed(c, "d")))
        return -1;
    unsigned long long d = strtoull(v, &end, 10);
    if (*end || d != ekm_dataset_d(ds))
        return ekm_error_set(c->err, EKM_ERR_INVALID, c->name, 0, 0,
                             "the certificate is for D=%.30s columns, the data has %zu: "
                             "another data file or other data options?",
                             v, ekm_dataset_d(ds));
    if (!(v = keyed(c, "metric")))
        return -1;
    if (ekm_metric_parse(v, &c->metric) || c->metric == EKM_METRIC_PRECOMPUTED)
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, c->lineno, 0,
                             "metric \"%.40s\": the checker knows euclidean, sqeuclidean and "
                             "manhattan",
                             v);
    if (!(v = keyed(c, "k")))
        return -1;
    unsigned long k = strtoul(v, &end, 10);
    if (*end || k < 1 || k > 64 || k > n)
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, c->lineno, 0,
                             "K=%.30s: expected 1 to min(N, 64)", v);
    c->k = (unsigned)k;
    if (!(v = keyed(c, "objective")))
        return -1;
    char num[64];
    size_t nl = strcspn(v, " ");
    if (nl >= sizeof num)
        nl = sizeof num - 1;
    memcpy(num, v, nl);
    num[nl] = '\0';
    if (read_number(num, &c->objective))
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, c->lineno, 0,
                             "the objective \"%.40s\" is not a finite number >= 0", num);
    if (!(v = keyed(c, "medoids")))
        return -1;
    for (unsigned t = 0; t < c->k; t++) {
        unsigned long long m = strtoull(v, &end, 10);
        if (end == v || m >= n || (*end != ' ' && *end != '\0'))
            return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, c->lineno, 0,
                                 "expected %u medoid indices below N", c->k);
        for (unsigned q = 0; q < t; q++)
            if (c->sum->medoids[q] == m)
                return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, c->lineno, 0,
                                     "medoid %llu appears twice", m);
        c->sum->medoids[t] = (uint32_t)m;
        v = end;
    }
    if (*v)
        return ekm_error_set(c->err, EKM_ERR_PARSE, c->name, c->lineno, 0,
                             "more than K=%u medoids", c->k);
    return 0;
}

/* The claimed objective against the medoids' cost on this data. */
static int check_objective(chk *c)
{
    double f = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        double best = INFINITY;
        for (unsigned t = 0; t < c->k; t++) {
            double v = chk_dist(c, i, c->sum->medoids[t]);
            best = v < best ? v : best;
        }
        f += best;
    }
    double tol = EKM_CERTIFICATE_REL_TOL * f + 2.0 * (double)c->n * 0x1p-53 * f;
    if (!(fabs(f - c->objective) <= tol))
        return ekm_error_set(c->err, EKM_ERR_INVALID, c->name, 0, 0,
                             "the claimed objective %.17g is not the cost of the claimed "
                             "medoids on this data (%.17g): another data file or other data "
                             "options?",
                             c->objective, f);
    return 0;
}

ekm_status ekm_certificate_verify(const char *text, size_t len, const char *name,
                                  const ekm_dataset *ds, ekm_certificate_summary *out,
                                  ekm_error *err)
{
    ekm_certificate_summary sum;
    ekm_error e;
    memset(&sum, 0, sizeof sum);
    ekm_error_clear(&e);
    sum.min_slack = INFINITY;
    chk c = {.name = name ? name : "certificate", .text = text, .len = len, .err = &e, .sum = &sum,
             .x = ekm_dataset_coords(ds), .n = ekm_dataset_n(ds), .d = ekm_dataset_d(ds)};
    int rc = header(&c, ds);
    frame *root = NULL;
    if (!rc)
        rc = check_objective(&c);
    for (unsigned t = 0; !rc && t <= c.k; t++) {
        c.m[t] = malloc(c.n * sizeof *c.m[t]);
        if (!c.m[t])
            rc = ekm_error_set(&e, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!rc) {
        c.out = calloc(c.n, 1);
        c.marked = malloc(c.n * sizeof *c.marked);
        if (!c.out || !c.marked)
            rc = ekm_error_set(&e, EKM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!rc) {
        for (size_t i = 0; i < c.n; i++)
            c.m[0][i] = INFINITY;
        long line;
        const char *s = chk_line(&c, &line);
        if (!s || strcmp(s, "lambda"))
            rc = ekm_error_set(&e, EKM_ERR_PARSE, c.name, line, 0, "expected \"lambda\"");
    }
    if (!rc && !(root = chk_frame_read(&c)))
        rc = -1;
    if (!rc) {
        sum.multipliers = 1;
        c.node_frame[0] = root;
        long line;
        const char *s = chk_line(&c, &line);
        if (!s || strcmp(s, "tree"))
            rc = ekm_error_set(&e, EKM_ERR_PARSE, c.name, line, 0, "expected \"tree\"");
    }
    if (!rc)
        rc = chk_walk(&c);
    for (unsigned t = 0; t < 64; t++)
        chk_frame_free(c.own[t]);
    chk_frame_free(root);
    for (unsigned t = 0; t <= 64; t++)
        free(c.m[t]);
    free(c.out);
    free(c.marked);
    if (rc) {
        if (err)
            *err = e;
        return e.status ? e.status : EKM_ERR_INVALID;
    }
    sum.n = c.n;
    sum.k = c.k;
    sum.metric = c.metric;
    sum.objective = c.objective;
    sum.trivial = c.objective == 0.0;
    if (out)
        *out = sum;
    return EKM_OK;
}

char *ekm_certificate_note(const char *text, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0, pos = 0;
    while (pos < len) {
        const char *s = text + pos;
        const char *e = memchr(s, '\n', len - pos);
        size_t l = e ? (size_t)(e - s) : len - pos;
        pos += l + (e != NULL);
        if (l > 5 && !memcmp(s, "data ", 5)) {
            memcpy(out + o, s + 5, l - 5);
            o += l - 5;
            out[o++] = '\n';
        } else if (l >= 4 && !memcmp(s, "tree", 4)) {
            break;
        }
    }
    out[o] = '\0';
    return out;
}
