#!/usr/bin/env bash
# fuzz_short.sh — the short fuzzing run of CI: tests/fuzz/run.sh for 60 s in all
# (20 s per target: CSV datasets, dissimilarity matrices, checkpoints) on the
# seed corpora; any crash, sanitizer report or broken invariant fails. Skipped (77)
# without clang and libFuzzer, and in the sanitizer builds of CI (the targets
# carry their own sanitizers, and the time is better spent once).
. "$(dirname "$0")/lib.sh"
[ "${EKM_SANITIZED:-0}" = 1 ] && { echo "skipped: sanitizer build (fuzzing runs in the release one)"; exit 77; }
command -v clang >/dev/null || { echo "skipped: clang is not installed"; exit 77; }
out=${EKM_BUILD_DIR:-$SRC/build}/fuzz
mkdir -p "$out"
probe=$out/probe.c
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe"
clang -fsanitize=fuzzer,address,undefined "$probe" -o "$out/probe" 2>"$out/probe.log" ||
  { echo "skipped: clang cannot link libFuzzer: $(head -c 300 "$out/probe.log")"; exit 77; }
if "$SRC/tests/fuzz/run.sh" 60 "$out"; then
  pass
else
  fail "fuzzing found a crash: the input is in $out/artifacts/ (see tests/fuzz/README.md)"
  ls -l "$out/artifacts" >&2
fi
finish
