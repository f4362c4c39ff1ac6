/* resume.c — the preparation shared by `ekm resume` and the REPL's `resume`. */
#include "common/resume.h"

#include <stdio.h>
#include <string.h>

int resume_load(const char *path, ekm_checkpoint **ck, char *err, size_t errsize)
{
    ekm_error e;
    ekm_error_clear(&e);
    if (!ekm_checkpoint_load(path, ck, &e))
        return 0;
    char msg[1200];
    ekm_error_format(&e, msg, sizeof msg);
    if (strstr(msg, path))
        snprintf(err, errsize, "%s", msg);
    else
        snprintf(err, errsize, "%s: %s", path, msg);
    return -1;
}

int resume_prepare(resume_prep *rp, const char *path, ekm_checkpoint *ck, unsigned threads,
                   const char *into, int force, char *err, size_t errsize)
{
    memset(rp, 0, sizeof *rp);
    char why[1200];
    if (ckpt_source_parse(ekm_checkpoint_note(ck), &rp->src, why, sizeof why)) {
        snprintf(err, errsize, "%s: %s", path, why);
        return RESUME_ERR;
    }
    ekm_checkpoint_clean_stale(path); /* the leftovers of killed saves */
    rp->src.threads = threads ? threads : ekm_checkpoint_options(ck).threads;
    if (ckpt_source_load_for(&rp->src, ck, &rp->dm, why, sizeof why)) {
        snprintf(err, errsize, "%s: cannot load its dataset: %s", path, why);
        return RESUME_ERR;
    }
    rp->opt = ekm_checkpoint_options(ck);
    if (threads)
        rp->opt.threads = threads;
    rp->opt.resume = ck;
    rp->opt.unit_lo = rp->opt.unit_hi = 0;
    rp->opt.root_only = 0;
    ekm_error e;
    if (ekm_checkpoint_check(ck, rp->dm, &rp->opt, &e)) {
        ekm_error_format(&e, why, sizeof why);
        snprintf(err, errsize, "%s: %s", path, why);
        ekm_dissim_release(rp->dm);
        rp->dm = NULL;
        return RESUME_ERR;
    }
    if (ckpt_target_check(into, rp->dm, &rp->opt, force, path, err, errsize)) {
        ekm_dissim_release(rp->dm);
        rp->dm = NULL;
        return RESUME_ERR_TARGET;
    }
    rp->total = ekm_checkpoint_total(ck);
    rp->done = ekm_checkpoint_done(ck);
    rp->remaining = rp->total && rp->done <= rp->total
                        ? 1.0 - (double)rp->done / (double)rp->total
                        : 1.0;
    return 0;
}
