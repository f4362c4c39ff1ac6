/* save_data.h — `save data OUT.csv` (REPL) and `solve --out-data OUT.csv`: the
 * input rows with a cluster column, for carrying on in R or pandas. */
#ifndef EKM_UI_SAVE_DATA_H
#define EKM_UI_SAVE_DATA_H

#include <stddef.h>

#include "ekm/dissim.h"
#include "ekm/job.h"

/* Write the rows of dm's dataset (original values, not standardized, with the
 * file's header when it had one, the label column when kept), a column "cluster"
 * numbered from index_base and, after an exact result, a last column "silhouette"
 * (each point's s(i), as in the labels CSV). Separator ','. Rows dropped at load
 * (--missing drop) are not written. Through outfile: an input is never written
 * over and a failed write is an error. Returns 0, or -1 with a message in err. */
int save_data_csv(const char *path, const ekm_dissim *dm, const ekm_result *r,
                  unsigned index_base, char *err, size_t errsize);

#endif
