#!/usr/bin/env bash
# build.sh OUTDIR — build the libFuzzer targets (fuzz_csv, fuzz_matrix) into OUTDIR
# with clang directly on the engine sources they need: -O1 -g, libFuzzer,
# AddressSanitizer and UBSan (UBSan findings abort, so they count as crashes).
# Environment: CC (default clang), EXTRA_CFLAGS (appended).
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
cc=${CC:-clang}
mkdir -p "$out"
common=(-std=gnu11 -O1 -g -fno-omit-frame-pointer -pthread
        -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror
        -DEKM_VERSION_STRING='"fuzz"'
        -I"$src/engine/include" -I"$src/engine/src" -I"$here")
# shellcheck disable=SC2054 # commas inside one flag
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
# The loaders and what they call: the tokenizer, datasets, matrices, error records,
# compiled once (with coverage instrumentation) for both targets.
engine=(csv.c dataset.c dissim.c dissim_load.c ekm.c)
objs=()
mkdir -p "$out/obj"
for f in "${engine[@]}"; do
  # shellcheck disable=SC2086
  "$cc" "${common[@]}" "${san[@]}" -fsanitize=fuzzer-no-link ${EXTRA_CFLAGS:-} \
    -c "$src/engine/src/$f" -o "$out/obj/${f%.c}.o" &
  objs+=("$out/obj/${f%.c}.o")
done
wait_all() { local st=0; for p in $(jobs -p); do wait "$p" || st=1; done; return $st; }
wait_all
for target in fuzz_csv fuzz_matrix; do
  # shellcheck disable=SC2086
  "$cc" "${common[@]}" "${san[@]}" -fsanitize=fuzzer ${EXTRA_CFLAGS:-} "$here/$target.c" \
    "${objs[@]}" -lm -o "$out/$target"
done
echo "built: $out/fuzz_csv $out/fuzz_matrix"
