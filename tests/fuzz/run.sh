#!/usr/bin/env bash
# run.sh SECONDS [BUILD_DIR] — build the fuzz targets (CMake -DEKM_FUZZ=ON with clang,
# the engine alone: -DEKM_UI=OFF; see build() below) and run each for SECONDS/3
# seconds on its seed corpus (the loaders with the dictionary). Exits non-zero on any crash,
# leak, sanitizer report or broken invariant; the crashing input is left in
# BUILD_DIR/artifacts/ (make it a file in tests/fuzz/regressions/).
# Environment: CC (default clang), EXTRA_CFLAGS (appended), FUZZ_JOBS (parallel workers per target, default 1), FUZZ_MAX_LEN
# (default 4096 bytes), FUZZ_RSS_MB (default 2048).
set -euo pipefail
secs=${1:?usage: run.sh SECONDS [BUILD_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here/../../build-fuzz}
per=$((secs / 3))
[ "$per" -ge 1 ] || per=1
mkdir -p "$out/artifacts"
src=$(cd "$here/../.." && pwd)
# build: configure BUILD_DIR as a fuzz build of the engine and build the three targets
# into BUILD_DIR/fuzz_{csv,matrix,ckpt}.
cmake -S "$src" -B "$out" -DCMAKE_C_COMPILER="${CC:-clang}" -DCMAKE_BUILD_TYPE=Debug \
  -DEKM_FUZZ=ON -DEKM_UI=OFF -DEKM_WERROR=ON -DCMAKE_C_FLAGS="${EXTRA_CFLAGS:-}" >"$out/configure.log" 2>&1 ||
  { cat "$out/configure.log" >&2; exit 1; }
cmake --build "$out" -j"${FUZZ_BUILD_JOBS:-2}" --target fuzz_csv fuzz_matrix fuzz_ckpt >"$out/build.log" 2>&1 ||
  { tail -40 "$out/build.log" >&2; exit 1; }
out=$(cd "$out" && pwd)
jobs=${FUZZ_JOBS:-1}
par=()
[ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
cd "$out" # libFuzzer's -jobs writes fuzz-N.log files into the current folder
status=0
for t in csv matrix ckpt; do
  # Work on a copy: new inputs found in a run do not land in the source tree.
  work=$out/corpus-$t
  mkdir -p "$work"
  dict=(-dict="$here/ekm.dict")
  [ "$t" = ckpt ] && dict=() # binary fields: no text dictionary
  echo "fuzz_$t: ${per}s"
  if ! "$out/fuzz_$t" "$work" "$here/corpus/$t" ${dict[@]+"${dict[@]}"} \
       -max_total_time="$per" -max_len="${FUZZ_MAX_LEN:-4096}" -timeout=10 \
       -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -artifact_prefix="$out/artifacts/${t}-" \
       -print_final_stats=1 ${par[@]+"${par[@]}"} \
       >"$out/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t: FAILED (log: $out/fuzz_$t.log)" >&2
    grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$out/fuzz_$t.log" | head -20 >&2 || true
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/fuzz_$t.log" | tr '\n' ' '
    echo
  fi
done
exit $status
