/* cert_rec.c — the pruned search's certificate records; see cert_rec.h. */
#include "cert_rec.h"

#include <stdlib.h>
#include <string.h>

static int reserve(ekm__cert_rec *rec, size_t more)
{
    if (rec->failed)
        return -1;
    if (rec->len + more <= rec->cap)
        return 0;
    size_t cap = rec->cap ? rec->cap : 256;
    while (cap < rec->len + more)
        cap *= 2;
    unsigned char *b = realloc(rec->buf, cap);
    if (!b) {
        rec->failed = 1;
        return -1;
    }
    rec->buf = b;
    rec->cap = cap;
    return 0;
}

void ekm__cert_event(ekm__cert_rec *rec, int type, uint32_t c)
{
    if (!rec)
        return;
    size_t need = type == EKM__CERT_END ? 1 : 1 + sizeof c;
    if (reserve(rec, need))
        return;
    rec->buf[rec->len++] = (unsigned char)type;
    if (type != EKM__CERT_END) {
        memcpy(rec->buf + rec->len, &c, sizeof c);
        rec->len += sizeof c;
    }
}

void ekm__cert_lambda(ekm__cert_rec *rec, const float *lam, uint32_t n)
{
    if (!rec || reserve(rec, 1 + (size_t)n * sizeof *lam))
        return;
    rec->buf[rec->len++] = EKM__CERT_LAMBDA;
    memcpy(rec->buf + rec->len, lam, (size_t)n * sizeof *lam);
    rec->len += (size_t)n * sizeof *lam;
}

void ekm__cert_rec_free(ekm__cert_rec *rec)
{
    free(rec->buf);
    memset(rec, 0, sizeof *rec);
}

ekm__cert *ekm__cert_new(uint32_t n, unsigned k, double scale, const float *lam, uint32_t tasks)
{
    ekm__cert *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->n = n;
    c->k = k;
    c->scale = scale;
    c->tasks = tasks;
    c->lam = malloc((size_t)n * sizeof *c->lam);
    c->units = calloc(tasks ? tasks : 1, sizeof *c->units);
    if (!c->lam || !c->units) {
        ekm__cert_free(c);
        return NULL;
    }
    memcpy(c->lam, lam, (size_t)n * sizeof *lam);
    return c;
}

void ekm__cert_free(ekm__cert *c)
{
    if (!c)
        return;
    for (uint32_t u = 0; c->units && u < c->tasks; u++)
        ekm__cert_rec_free(&c->units[u]);
    free(c->units);
    free(c->lam);
    free(c);
}
