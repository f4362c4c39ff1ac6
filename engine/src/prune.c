/* prune.c — the exact branch-and-bound solver (being written; until then the
 * fused enumeration, which is exact). */
#include "job_internal.h"

ekm_status ekm__pruned_run(ekm_job *job) { return ekm__fused_run(job); }
