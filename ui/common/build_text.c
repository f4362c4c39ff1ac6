/* build_text.c — `ekm --version` (see build_text.h). */
#include "common/build_text.h"

#include "common/data_dir.h"
#include "ekm/ekm.h"

void build_text_print(FILE *out, const char *program)
{
    fprintf(out, "%s %s\n", program, ekm_version());
    fprintf(out, "compiler: %s\n", ekm_build_compiler());
    fprintf(out, "simd: compiled %s; this CPU %s; in use %s\n", ekm_simd_compiled(),
            ekm_simd_available(), ekm_simd_selected());
#ifdef EKM_HAVE_MPI
    fprintf(out, "mpi: yes (ekm-mpi)\n");
#else
    fprintf(out, "mpi: no (ekm-mpi not built)\n");
#endif
    fprintf(out, "ui: yes (cli, repl with readline, tui with ncurses, plot with SDL2)\n");
    fprintf(out, "data: %s\n", data_dir());
}
