/* data_dir.h — where ekm's installed data lives (help texts; share/ekm of the
 * prefix), found at run time so that an installed ekm works from any directory
 * and from a moved prefix. In order:
 *   1. $EKM_DATADIR (or the older $EKM_ASSETS_DIR) when set and not empty;
 *   2. ../share/ekm next to the running program (/proc/self/exe), when it holds help/;
 *   3. the source tree's assets/ folder (a program run from its build tree). */
#ifndef EKM_UI_DATA_DIR_H
#define EKM_UI_DATA_DIR_H

#include <stddef.h>

/* The candidate folders in that order (those that apply; at most 3): dirs[i] are
 * filled (each of size dirsz), the count is returned. */
size_t data_dir_candidates(char dirs[][4096], size_t max);

/* The first candidate that exists (a folder holding help/), or the last one.
 * Computed once, thread safe; the string lives as long as the process. */
const char *data_dir(void);

#endif
