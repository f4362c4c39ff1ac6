#!/usr/bin/env bash
# install.sh — `cmake --install` into a temporary prefix, then the prefix is moved
# (mv) and everything is run from / with no hint of where it came from:
#  - the installed files: bin/ekm, share/ekm/help, libekm.a and libekm.so with its
#    SONAME, only ekm_ symbols exported, include/ekm, ekm.pc, the CMake package;
#  - `ekm --version` finds its data in the moved prefix; `ekm plot` writes a valid
#    PNG; the REPL's help and the dashboard's help (under tmux) come from the
#    installed share/ekm (a marker line is added to the installed copies);
#  - the README's example (tests/install/example.c, checked to be the README's
#    block) builds against the installed library through pkg-config and through
#    find_package(ekm) (shared and static) and prints the optimum `ekm solve` prints
#    (and tests/data/optima.json holds).
# With EKM_UI=OFF (the engine-only build) the library part alone is checked.
source "$(dirname "$0")/lib.sh"
UI=${EKM_UI:-ON}
unset EKM_DATADIR EKM_ASSETS_DIR # the installed program finds its data alone
BUILD=${EKM_BUILD_DIR:?the build folder}
CC=${EKM_TEST_CC:-cc}
FLAGS=${EKM_TEST_FLAGS:-} # the build's sanitizer flags, for the example programs
if [ "$UI" = ON ]; then
  source "$(dirname "$0")/lib_tmux.sh" # tmp, T, pane, wait_for (exits 77 without tmux)
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
for tool in pkg-config cmake nm readelf; do
  command -v $tool >/dev/null 2>&1 || { echo "skipped: $tool is not installed"; exit 77; }
done

cmake --install "$BUILD" --prefix "$tmp/first" >"$tmp/install.log" 2>&1 ||
  { fail "cmake --install: $(tail -5 "$tmp/install.log")"; finish; exit 1; }
mv "$tmp/first" "$tmp/moved"
P=$tmp/moved
[ ! -e "$tmp/first" ] && pass || fail "the first prefix is still there"

# the files
files=(include/ekm/ekm.h include/ekm/job.h share/man/man3/libekm.3)
[ "$UI" = ON ] && files+=(bin/ekm share/ekm/help/tui.txt share/ekm/help/repl.txt share/man/man1/ekm.1
                         share/bash-completion/completions/ekm)
for f in "${files[@]}"; do
  [ -f "$P/$f" ] && pass || fail "not installed: $f"
done
lib=$(dirname "$(find "$P" -name libekm.a | head -1)")
[ -f "$lib/libekm.a" ] && [ -f "$lib/pkgconfig/ekm.pc" ] && [ -f "$lib/cmake/ekm/ekmConfig.cmake" ] &&
  pass || fail "library files: $(find "$P" -type f | sed "s|$P/||" | tr '\n' ' ')"
major=$(sed -nE 's/^#define EKM_VERSION_MAJOR ([0-9]+)/\1/p' "$P/include/ekm/ekm.h")
soname=$(readelf -d "$lib/libekm.so" | sed -nE 's/.*Library soname: \[(.*)\]/\1/p')
[ "$soname" = "libekm.so.$major" ] && [ -f "$lib/libekm.so.$major" ] && pass ||
  fail "SONAME '$soname', want libekm.so.$major"
nm -D --defined-only "$lib/libekm.so" | awk '{print $NF}' | sort -u >"$tmp/exported"
others=$(grep -v '^ekm_' "$tmp/exported" | grep -vE '^(_init|_fini|_edata|_end|__bss_start)$' | head -5)
[ -z "$others" ] && pass || fail "exported beyond the ekm_ API: $others"
for sym in ekm_version ekm_dataset_load_csv ekm_dissim_from_dataset ekm_solve ekm_job_start \
           ekm_result_free ekm_simd_selected; do
  grep -qx "$sym" "$tmp/exported" && pass || fail "$sym is not exported"
done
grep -q '^ekm__' "$tmp/exported" && fail "internal ekm__ symbols are exported" || pass
for h in "$P"/include/ekm/*.h; do # a header without the markers would hide its functions
  grep -q '^EKM_API_BEGIN' "$h" && grep -q '^EKM_API_END' "$h" && pass ||
    fail "$(basename "$h") lacks EKM_API_BEGIN/EKM_API_END"
done

# the program, from /, in the moved prefix
cd / || exit 1
want="objective 98.13115488 (proven optimal)" # data/iris.csv, K=3: tests/data/optima.json
grep -q '"file": "data/iris.csv".*"k": 3, .*"objective": 98.131154882' "$SRC/tests/data/optima.json" &&
  pass || fail "tests/data/optima.json no longer says iris K=3 is 98.13115488"
if [ "$UI" = ON ]; then
  "$P/bin/ekm" --version >"$tmp/version" 2>&1
  grep -qx "data: $P/share/ekm" "$tmp/version" && grep -q '^compiler: ' "$tmp/version" &&
    grep -Eq '^simd: compiled [a-z0-9 ]+; this CPU [a-z0-9 ]+; in use [a-z0-9]+$' "$tmp/version" &&
    grep -Eq '^mpi: (yes|no) ' "$tmp/version" && grep -q '^ui: yes ' "$tmp/version" && pass ||
    fail "--version: $(cat "$tmp/version")"
  env -u DISPLAY -u WAYLAND_DISPLAY "$P/bin/ekm" plot "$SRC/data/iris.csv" -k 3 --out "$tmp/iris.png" \
    --width 640 --height 480 >/dev/null 2>"$tmp/err"
  [ $? -eq 0 ] && [ "$(head -c 8 "$tmp/iris.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] &&
    [ "$(od -An -tu1 -j16 -N8 "$tmp/iris.png" | awk '{print $3*256+$4 "x" $7*256+$8}')" = 640x480 ] &&
    pass || fail "installed plot: $(cat "$tmp/err")"
  marker="installed help $$"
  sed -i "/^@ load/a $marker (repl)" "$P/share/ekm/help/repl.txt"
  sed -i "1i $marker (tui)" "$P/share/ekm/help/tui.txt"
  "$P/bin/ekm" -c "help load" >"$tmp/help" 2>&1
  grep -qF "$marker (repl)" "$tmp/help" && pass || fail "REPL help not from the prefix: $(head -3 "$tmp/help")"

  # the dashboard under tmux, from /, with its help from the moved prefix
  cat >"$tmp/tui.sh" <<SH
cd /
env -u EKM_DATADIR -u EKM_ASSETS_DIR '$P/bin/ekm' tui '$SRC/data/iris.csv' -k 3
echo "tui exited \$?"
sleep 600
SH
  T -f /dev/null new-session -d -s ekm -x 120 -y 40 "sh '$tmp/tui.sh'" || fail "tmux new-session"
  wait_for 'iris' 60
  T send-keys -t ekm '?'
  wait_for "$marker \\(tui\\)" 60
  T send-keys -t ekm q # any key closes the help
  for ((i = 0; i < 1200; i++)); do pane | grep -qF "$marker" || break; sleep 0.05; done
  pane | grep -qF "$marker" && fail "the help did not close"
  T send-keys -t ekm q # q quits the dashboard
  wait_for 'tui exited 0' 60
  pass
  "$P/bin/ekm" solve "$SRC/data/iris.csv" -k 3 >"$tmp/solve" 2>&1 || fail "solve: $(cat "$tmp/solve")"
  [ "$(grep '^objective' "$tmp/solve")" = "$want" ] && pass ||
    fail "ekm solve says '$(grep '^objective' "$tmp/solve")', the optimum is '$want'"
fi

# the README's example, exactly
awk '/^```c$/ {on = 1; next} on && /^```$/ {exit} on' "$SRC/README.md" >"$tmp/readme_example.c"
cmp -s "$tmp/readme_example.c" "$SRC/tests/install/example.c" && pass ||
  fail "the README's C example differs from tests/install/example.c: $(diff "$tmp/readme_example.c" "$SRC/tests/install/example.c" | head -5)"
check_example() { # name program
  "$2" "$SRC/data/iris.csv" 3 >"$tmp/ex.out" 2>&1
  [ $? -eq 0 ] && [ "$(head -1 "$tmp/ex.out")" = "$want" ] && pass ||
    fail "$1 prints '$(head -1 "$tmp/ex.out")', want '$want'"
  [ "$(sed -n 2p "$tmp/ex.out")" = "medoids 7 78 112" ] && pass || fail "$1: $(sed -n 2p "$tmp/ex.out")"
}
export PKG_CONFIG_PATH=$lib/pkgconfig
# shellcheck disable=SC2046,SC2086
if $CC $FLAGS -std=c11 -o "$tmp/ex_pc" "$SRC/tests/install/example.c" $(pkg-config --cflags --libs ekm) \
    -Wl,-rpath,"$(pkg-config --variable=libdir ekm)" 2>"$tmp/err"; then
  check_example "pkg-config build" "$tmp/ex_pc"
  readelf -d "$tmp/ex_pc" | grep -q "NEEDED.*libekm.so.$major" && pass || fail "ex_pc does not need libekm.so.$major"
else
  fail "pkg-config build: $(head -5 "$tmp/err")"
fi
# shellcheck disable=SC2046,SC2086
if $CC $FLAGS -std=c11 -o "$tmp/ex_pcs" "$SRC/tests/install/example.c" \
    $(pkg-config --static --cflags ekm) "$lib/libekm.a" $(pkg-config --static --libs-only-other --libs-only-l ekm | sed 's/-lekm//') 2>"$tmp/err"; then
  check_example "pkg-config static build" "$tmp/ex_pcs"
else
  fail "pkg-config static build: $(head -5 "$tmp/err")"
fi
if cmake -S "$SRC/tests/install" -B "$tmp/exb" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_COMPILER="$CC" \
     -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="$FLAGS" >"$tmp/cmake.log" 2>&1 &&
   cmake --build "$tmp/exb" >>"$tmp/cmake.log" 2>&1; then
  check_example "find_package(ekm) ekm::ekm" "$tmp/exb/example"
  check_example "find_package(ekm) ekm::ekm_static" "$tmp/exb/example_static"
  readelf -d "$tmp/exb/example_static" | grep -q 'NEEDED.*libekm' && fail "example_static needs libekm.so" || pass
else
  fail "find_package build: $(tail -8 "$tmp/cmake.log")"
fi
finish
