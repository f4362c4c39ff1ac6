/* cli_gen.c — `ekm gen`: a seeded synthetic dataset as CSV. */
#include <errno.h>
#include <string.h>

#include "cli/cli.h"
#include "common/outfile.h"
#include "common/settings.h"
#include "ekm/generate.h"

const char cli_gen_help[] =
    "usage: ekm gen uniform|blobs --n N --d D [--clusters C] [--seed S] [--out FILE]\n"
    "Writes N points in D dimensions as CSV (a header x1..xD; blobs add a label\n"
    "column 'cluster'). uniform: [0,1)^D. blobs: C Gaussian blobs (sd 1, centres in\n"
    "[0,10)^D). The same seed gives the same file on every machine.\n"
    "\n"
    "options:\n";

/* Write a dataset as CSV (17 significant digits: reads back exactly). */
static int write_csv(FILE *f, const ekm_dataset *ds)
{
    size_t n = ekm_dataset_n(ds), d = ekm_dataset_d(ds);
    int labels = ekm_dataset_has_labels(ds);
    for (size_t j = 0; j < d; j++)
        fprintf(f, "%sx%zu", j ? "," : "", j + 1);
    fprintf(f, "%s\n", labels ? ",cluster" : "");
    for (size_t i = 0; i < n; i++) {
        const double *x = ekm_dataset_point(ds, i);
        for (size_t j = 0; j < d; j++)
            fprintf(f, "%s%.17g", j ? "," : "", x[j]);
        if (labels)
            fprintf(f, ",%s", ekm_dataset_label(ds, i));
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

int cli_gen(const command_args *a)
{
    ui_settings s = *a->settings;
    const char *const *pos = a->pos;
    int npos = a->npos;
    char err[1200];
    if (npos != 1)
        return cli_usage_error("gen: say which kind: uniform or blobs");
    if (ekm_gen_kind_parse(pos[0], &s.gen_kind))
        return cli_usage_error("gen: unknown kind '%s' (uniform or blobs)", pos[0]);
    ekm_dataset *ds;
    ekm_error e;
    if (ekm_generate(s.gen_kind, s.gen_n, s.gen_d, s.gen_clusters, s.solve.seed, &ds, &e)) {
        ekm_error_format(&e, err, sizeof err);
        return cli_usage_error("gen: %s", err);
    }
    if (!s.out[0]) {
        int rc = write_csv(a->out, ds);
        rc |= fflush(a->out);
        int why = errno;
        ekm_dataset_release(ds);
        if (rc) {
            cli_runtime_error("stdout: write failed: %s", strerror(why));
            return CLI_FAIL;
        }
        return CLI_OK;
    }
    outfile o;
    if (outfile_open(&o, s.out, err, sizeof err)) {
        ekm_dataset_release(ds);
        cli_runtime_error("gen: %s", err);
        return CLI_FAIL;
    }
    write_csv(o.f, ds);
    ekm_dataset_release(ds);
    if (outfile_commit(&o, err, sizeof err)) {
        cli_runtime_error("gen: %s", err);
        return CLI_FAIL;
    }
    return CLI_OK;
}
