# lib_mpi.sh — the set-up shared by the ekm-mpi end-to-end tests, sourced after
# lib.sh: MPI_BIN; skipped (77) when ekm-mpi was not built (CMake found no MPI) or
# mpirun is missing; jq required; a temporary folder $tmp removed at exit; and
# mpi NP ARGS... (mpirun, one host, at most MPI_TIMEOUT seconds, 120 unless set).
MPI_BIN=${EKM_MPI:-${EKM_BUILD_DIR:-$(dirname "$EKM")}/ekm-mpi}
[ -x "$MPI_BIN" ] || { echo "skipped: no ekm-mpi at $MPI_BIN (CMake found no MPI)"; exit 77; }
command -v mpirun >/dev/null || { echo "skipped: mpirun is not installed"; exit 77; }
command -v jq >/dev/null || { echo "jq missing (setup.sh installs it)"; exit 1; }
# Open MPI refuses root without these; a container has few cores and may forbid
# the cross-memory-attach copy of the shared-memory transport; one host needs no TCP
# (whose init/finalize lock order ThreadSanitizer flags inside Open MPI).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_btl=self,vader
mpi() {
  local np=$1
  shift
  timeout "${MPI_TIMEOUT:-120}" mpirun -q --oversubscribe --bind-to none -np "$np" "$MPI_BIN" "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${EKM_SANITIZED:-0}" = 1 ]; then
  # Open MPI's libraries are not instrumented and leave allocations at exit: tell
  # LeakSanitizer to ignore leaks whose stack is inside them (full stacks needed, and
  # the plugins kept loaded so their frames have names); ekm's own leaks still count.
  printf 'leak:%s\n' libmpi.so libopen-pal.so libopen-rte.so libpmix.so libhwloc.so \
    libevent mca_ > "$tmp/lsan.supp"
  export OMPI_MCA_mca_base_component_disable_dlclose=1
  export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export LSAN_OPTIONS="suppressions=$tmp/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0"
fi
