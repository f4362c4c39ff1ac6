/* cli_info.c — `ekm info FILE`: load a file (without building the matrix) and
 * describe it. */
#include <string.h>

#include "cli/cli.h"
#include "common/describe.h"
#include "common/settings.h"

const char cli_info_help[] =
    "usage: ekm info FILE [data options]\n"
    "Loads FILE and prints N, D, a summary of each column and the memory the\n"
    "dissimilarity matrix would take.\n"
    "\n"
    "options:\n";

int cli_info(const command_args *a)
{
    ui_settings s = *a->settings;
    const char *const *pos = a->pos;
    int npos = a->npos;
    char err[1024];
    if (npos != 1)
        return cli_usage_error("info: which file? usage: ekm info FILE");
    ekm_dataset *ds;
    ekm_error e;
    if (ekm_dataset_load_csv(pos[0], &s.csv, &ds, &e)) {
        ekm_error_format(&e, err, sizeof err);
        return cli_usage_error("%s", err);
    }
    describe_dataset(a->out, ds);
    ekm_dataset_release(ds);
    return fflush(a->out) ? CLI_FAIL : CLI_OK;
}
