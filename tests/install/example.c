/* example.c: load a CSV file and find its exact K-medoids optimum with libekm. */
#include <ekm/dataset.h>
#include <ekm/dissim.h>
#include <ekm/job.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE.csv K\n", argv[0]);
        return 2;
    }
    ekm_error err;
    ekm_dataset *ds = NULL;
    ekm_dissim *dm = NULL;
    ekm_result *res = NULL;
    ekm_solve_options opt = ekm_solve_options_default(); /* strategy seq: exact */
    opt.k = (unsigned)atoi(argv[2]);
    if (ekm_dataset_load_csv(argv[1], NULL, &ds, &err) ||
        ekm_dissim_from_dataset(ds, EKM_METRIC_EUCLIDEAN, &dm, &err) ||
        ekm_solve(dm, &opt, &res, &err)) {
        char msg[1200];
        ekm_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        ekm_dataset_release(ds);
        ekm_dissim_release(dm);
        return 1;
    }
    printf("objective %.10g (%s)\nmedoids", res->objective,
           res->exact ? "proven optimal" : "not proven");
    for (unsigned i = 0; i < res->k; i++)
        printf(" %u", (unsigned)res->medoids[i]); /* 0-based row numbers, as ekm prints */
    printf("\n");
    ekm_result_free(res);
    ekm_dissim_release(dm);
    ekm_dataset_release(ds);
    return 0;
}
