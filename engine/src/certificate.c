/* certificate.c — writing a pruned job's certificate (ekm/certificate.h); the
 * checker is certificate_check.c, which shares nothing with the solver. */
#include "ekm/certificate.h"

#include <errno.h>
#include <string.h>

#include "cert_rec.h"
#include "job_internal.h"

/* λ in the objective's units: the float rows hold fl(d · scale), scale a power
 * of two, so λ / scale is exact in double. */
static void put_lambda(FILE *f, const float *lam, uint32_t n, double scale)
{
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%a\n", (double)lam[i] / scale);
}

static void put_events(FILE *f, const ekm__cert_rec *rec, uint32_t n, double scale)
{
    size_t at = 0;
    while (at < rec->len) {
        int type = rec->buf[at++];
        if (type == EKM__CERT_END) {
            fputs("e\n", f);
        } else if (type == EKM__CERT_LAMBDA) {
            float lam[256];
            fputs("L\n", f);
            for (uint32_t i = 0; i < n; i += 256) {
                uint32_t m = n - i < 256 ? n - i : 256;
                memcpy(lam, rec->buf + at, m * sizeof *lam);
                at += m * sizeof *lam;
                put_lambda(f, lam, m, scale);
            }
        } else {
            uint32_t c;
            memcpy(&c, rec->buf + at, sizeof c);
            at += sizeof c;
            fprintf(f, "%c %u\n", type, (unsigned)c);
        }
    }
}

ekm_status ekm_job_write_certificate(ekm_job *job, FILE *f, const char *note, ekm_error *err)
{
    const ekm_result *r = ekm_job_result(job);
    const ekm__cert *c = r ? job->cert : NULL; /* set before the job finished */
    if (!c || !r->exact)
        return ekm_error_set(err, EKM_ERR_INVALID, NULL, 0, 0,
                             "no certificate: only a pruned run that finished, started with "
                             "the certificate option, records one (and only when its record "
                             "fits in memory)");
    ekm_dataset *ds = ekm_dissim_dataset(job->dm);
    fputs("ekm-certificate 1\n", f);
    for (const char *p = note; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len)
            fprintf(f, "data %.*s\n", (int)len, p);
        p += len + (e != NULL);
    }
    fprintf(f, "n %u\nd %zu\nmetric %s\nk %u\n", (unsigned)c->n, ds ? ekm_dataset_d(ds) : (size_t)0,
            ekm_metric_name(ekm_dissim_metric(job->dm)), c->k);
    fprintf(f, "objective %a %.17g\nmedoids", r->objective, r->objective);
    for (unsigned j = 0; j < r->k; j++)
        fprintf(f, " %u", (unsigned)r->medoids[j]);
    fputs("\nlambda\n", f);
    put_lambda(f, c->lam, c->n, c->scale);
    fputs("tree\n", f);
    for (uint32_t u = 0; u < c->tasks; u++)
        put_events(f, &c->units[u], c->n, c->scale);
    fputs("e\nend\n", f);
    errno = 0;
    if (fflush(f) || ferror(f))
        return ekm_error_set(err, EKM_ERR_IO, NULL, 0, 0, "writing the certificate failed: %s",
                             errno ? strerror(errno) : "output error");
    return EKM_OK;
}
