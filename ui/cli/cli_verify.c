/* cli_verify.c — `ekm verify CERT DATA [data options]`: check a certificate of
 * optimality written by `ekm solve --strategy pruned --certificate CERT`, and
 * the writing of that certificate (cli_certificate_write, for cli_solve.c).
 *
 * The checker is the engine's ekm_certificate_verify (ekm/certificate.h): it
 * reads the data's coordinates only, recomputes every dissimilarity in double
 * and runs none of the solver's code. The data is rebuilt here from DATA and
 * the data options given; the certificate's note (how the solve loaded its
 * data) must agree with them on everything but the file's path, else verify
 * refuses rather than check against other dissimilarities. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/ckpt.h"
#include "common/outfile.h"
#include "common/settings.h"
#include "common/text_escape.h"
#include "ekm/certificate.h"

const char cli_verify_help[] =
    "usage: ekm verify CERT DATA [data options]\n"
    "Checks a certificate of optimality written by 'ekm solve DATA -k K --strategy pruned\n"
    "--certificate CERT', independently of the solver: the data is loaded again (give the\n"
    "same data options as the solve), every dissimilarity recomputed in double, and\n"
    "  1. the claimed objective must be the cost of the claimed medoids (relative 1e-9);\n"
    "  2. every subtree the search closed must have a Lagrangian bound, recomputed from\n"
    "     its multipliers, at least the objective (relative 1e-9 plus rounding), or, when\n"
    "     it is small, every set in it must cost at least the objective;\n"
    "  3. the closed subtrees and the evaluated sets must cover every K-subset.\n"
    "Exits 0 when all hold, 1 with the first failure otherwise.\n"
    "\n"
    "options:\n";

/* The note without its path line (the data may have moved). */
static void strip_path(char *note)
{
    char *p = note;
    while (*p) {
        char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) + 1 : strlen(p);
        if (!strncmp(p, "path=", 5))
            memmove(p, p + l, strlen(p + l) + 1);
        else
            p += l;
    }
}

/* The first line of a that b lacks, into buf ("(none)" when a has none). */
static const char *first_missing(const char *a, const char *b, char *buf, size_t size)
{
    for (const char *p = a; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (const char *q = b; *q && !found;) {
            const char *f = strchr(q, '\n');
            size_t m = f ? (size_t)(f - q) : strlen(q);
            found = m == l && !memcmp(p, q, l);
            q += m + (f != NULL);
        }
        if (!found) {
            snprintf(buf, size, "%.*s", (int)l, p);
            return buf;
        }
        p += l + (e != NULL);
    }
    snprintf(buf, size, "(none)");
    return buf;
}

int cli_certificate_write(ekm_job *job, const char *path, const char *note, char *err,
                          size_t errsize)
{
    outfile o;
    if (outfile_open(&o, path, err, errsize))
        return -1;
    ekm_error e;
    if (ekm_job_write_certificate(job, o.f, note, &e)) {
        char msg[1200];
        ekm_error_format(&e, msg, sizeof msg);
        outfile_abort(&o);
        snprintf(err, errsize, "%s: %s", path, msg);
        return -1;
    }
    return outfile_commit(&o, err, errsize);
}

static char *read_all(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        snprintf(err, errsize, "%s: %s", path, buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int cli_verify(const command_args *a)
{
    const ui_settings *s = a->settings;
    char err[1600], shown[3400];
    if (a->npos != 2)
        return cli_usage_error("verify: usage: ekm verify CERT DATA [data options]");
    if (s->dissim_file[0])
        return cli_usage_error("verify: a certificate is checked against points (a CSV), "
                               "not a dissimilarity matrix");
    const char *cert_path = a->pos[0], *data_path = a->pos[1];
    size_t len;
    char *text = read_all(cert_path, &len, err, sizeof err);
    if (!text)
        return cli_usage_error("%s", err);
    /* the data options must be the solve's */
    ckpt_source src;
    char *have = malloc(CKPT_NOTE_MAX), *want = ekm_certificate_note(text, len);
    int rc = CLI_OK;
    if (!have || !want) {
        rc = cli_runtime_error("out of memory");
        goto out;
    }
    if (ckpt_source_file(&src, data_path, 0, &s->csv, s->metric, err, sizeof err)) {
        rc = cli_usage_error("%s", err);
        goto out;
    }
    src.standardize = s->standardize;
    ckpt_source_format(&src, have, CKPT_NOTE_MAX);
    strip_path(have);
    strip_path(want);
    if (*want && strcmp(have, want)) {
        char w[300], h[300];
        rc = cli_usage_error("verify: %s was made with %s, these data options give %s: give "
                             "the data options of the solve",
                             text_escape(shown, sizeof shown, cert_path),
                             first_missing(want, have, w, sizeof w),
                             first_missing(have, want, h, sizeof h));
        goto out;
    }
    ekm_error e;
    ekm_dataset *ds = NULL, *scaled = NULL;
    ekm_status st = ekm_dataset_load_csv(data_path, &s->csv, &ds, &e);
    if (!st)
        st = ekm_dataset_standardize(ds, s->standardize, &scaled, &e);
    if (st) {
        ekm_error_format(&e, err, sizeof err);
        rc = cli_usage_error("%s", err);
        ekm_dataset_release(ds);
        goto out;
    }
    ekm_certificate_summary sum;
    st = ekm_certificate_verify(text, len, cert_path, scaled, &sum, &e);
    if (st) {
        ekm_error_format(&e, err, sizeof err);
        rc = cli_runtime_error("verify: certificate rejected: %s",
                               text_escape(shown, sizeof shown, err));
    } else {
        fprintf(a->out,
                "certificate verified: objective %.17g is optimal for K=%u on %s (N=%zu, "
                "metric %s; checks: objective = cost of the medoids, %llu closed subtrees' "
                "bounds >= objective%s, %llu evaluated sets, %llu sets of closed subtrees "
                "enumerated, %llu searched nodes, %llu "
                "multiplier vectors, every K-subset covered; least relative margin %.3g)\n",
                sum.objective, sum.k, data_path, sum.n, ekm_metric_name(sum.metric),
                (unsigned long long)sum.subtrees,
                sum.trivial ? " (trivially: the objective is 0)" : "",
                (unsigned long long)sum.leaves, (unsigned long long)sum.enumerated,
                (unsigned long long)sum.nodes,
                (unsigned long long)sum.multipliers, sum.min_slack);
        if (fflush(a->out) || ferror(a->out))
            rc = cli_runtime_error("writing the result failed");
    }
    ekm_dataset_release(scaled);
    ekm_dataset_release(ds);
out:
    free(text);
    free(have);
    free(want);
    return rc;
}
