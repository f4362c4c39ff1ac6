/* build_text.h — `ekm --version`: the version and what this build carries. */
#ifndef EKM_UI_BUILD_TEXT_H
#define EKM_UI_BUILD_TEXT_H

#include <stdio.h>

/* Print "PROGRAM VERSION" and the build: compiler, SIMD kernels compiled in /
 * runnable on this CPU / in use, MPI, the front ends, the data folder. */
void build_text_print(FILE *out, const char *program);

#endif
