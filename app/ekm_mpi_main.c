/* ekm_mpi_main.c — ekm-mpi's entry point: `mpirun -np R ekm-mpi solve FILE -k K
 * [options]` runs the exact solver over the ranks of an MPI job (ui/mpi). */
#include <stdio.h>
#include <string.h>

#include "common/build_text.h"
#include "ekm/ekm.h"
#include "mpi/dist_solve.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: mpirun -np R ekm-mpi solve FILE -k K [options]\n"
                 "       ekm-mpi solve --help | ekm-mpi --version\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        dist_solve_help(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        build_text_print(stdout, "ekm-mpi");
        return 0;
    }
    if (strcmp(cmd, "solve") != 0) {
        fprintf(stderr, "ekm-mpi: unknown command '%s'; ekm-mpi has one: solve (see "
                        "'ekm-mpi --help')\n", cmd);
        return 2;
    }
    return dist_solve_main(argc - 1, argv + 1);
}
