/* ckpt_seeds.c — write the seed corpus of fuzz_ckpt: real checkpoints (without
 * magic, version and checksum, as the target reads them) of jobs on the
 * harness's dataset, for every exact strategy, a few N and K, finished,
 * part-way (a unit range) and, for pruned, a root only.
 * usage: ckpt_seeds OUTDIR (corpus/make.sh builds and runs it). */
#include "fuzz_ckpt_check.h"

#include <stdio.h>

static int write_seed(const char *dir, const char *name, const ekm_checkpoint *ck)
{
    uint8_t *buf;
    size_t len;
    if (ekm_checkpoint_encode(ck, &buf, &len, NULL))
        return -1;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    size_t body = len - sizeof fz_ckpt_head - 8;
    int bad = !f || fwrite(buf + sizeof fz_ckpt_head, 1, body, f) != body;
    if (f && fclose(f))
        bad = 1;
    free(buf);
    return bad ? -1 : 0;
}

static int one(const char *dir, size_t n, unsigned k, ekm_strategy s, int part)
{
    ekm_dissim *dm = fz_ckpt_data(n, EKM_METRIC_EUCLIDEAN);
    if (!dm)
        return -1;
    ekm_solve_options opt = ekm_solve_options_default();
    opt.k = k;
    opt.strategy = s;
    opt.threads = 2;
    if (part == 1)
        opt.unit_lo = 0, opt.unit_hi = 2;
    if (part == 2)
        opt.root_only = 1;
    ekm_job *job;
    ekm_error e;
    int rc = -1;
    if (ekm_job_start(dm, &opt, &job, &e) == EKM_OK) {
        ekm_job_wait(job);
        ekm_checkpoint *ck;
        if (ekm_job_checkpoint(job, EKM_CKPT_ALL, &ck, &e) == EKM_OK) {
            char name[128];
            snprintf(name, sizeof name, "%s_n%zu_k%u%s", ekm_strategy_name(s), n, k,
                     part == 1 ? "_part" : part == 2 ? "_root" : "");
            rc = write_seed(dir, name, ck);
            ekm_checkpoint_free(ck);
        }
        ekm_job_free(job);
    } else {
        fprintf(stderr, "%s\n", e.message);
    }
    ekm_dissim_release(dm);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ckpt_seeds OUTDIR\n");
        return 2;
    }
    static const size_t ns[] = {6, 12, 20};
    static const unsigned ks[] = {1, 2, 3};
    int bad = 0;
    for (int s = 0; s < EKM_STRATEGY_COUNT; s++) {
        if (!ekm_strategy_is_exact((ekm_strategy)s))
            continue;
        for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
            for (size_t j = 0; j < sizeof ks / sizeof *ks; j++)
                for (int part = 0; part < (s == EKM_STRATEGY_PRUNED ? 3 : 2); part++)
                    bad |= one(argv[1], ns[i], ks[j], (ekm_strategy)s, part) != 0;
    }
    return bad;
}
