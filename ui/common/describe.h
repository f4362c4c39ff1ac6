/* describe.h — a dataset described in words: size, columns, the memory its
 * dissimilarity matrix would take (CLI `info`, REPL `info`). */
#ifndef EKM_UI_DESCRIBE_H
#define EKM_UI_DESCRIBE_H

#include <stdio.h>

#include "ekm/dataset.h"

void describe_dataset(FILE *out, const ekm_dataset *ds);

#endif
