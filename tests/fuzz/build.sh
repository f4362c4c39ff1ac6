#!/usr/bin/env bash
# build.sh OUTDIR — build the libFuzzer targets (fuzz_csv, fuzz_matrix, fuzz_ckpt)
# into OUTDIR with clang directly on the engine sources they need (fuzz_ckpt: all
# of them, as it resumes jobs): -O1 -g, libFuzzer,
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
        -I"$src/engine/include" -I"$src/engine/src" -I"$here")
# shellcheck disable=SC2054 # commas inside one flag
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
# The loaders and what they call: the tokenizer, datasets, matrices, error records,
# compiled once (with coverage instrumentation) for the targets, two at a time
# (FUZZ_BUILD_JOBS).
engine=(csv.c dataset.c dissim.c dissim_load.c ekm.c)
objs=() more=()
mkdir -p "$out/obj"
for p in "$src"/engine/src/*.c; do
  f=$(basename "$p")
  case " ${engine[*]} " in *" $f "*) ;; *) engine+=("$f"); more+=("$out/obj/${f%.c}.o") ;; esac
done
failed=0
for f in "${engine[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "${FUZZ_BUILD_JOBS:-2}" ]; do wait -n || failed=1; done
  # shellcheck disable=SC2086
  "$cc" "${common[@]}" "${san[@]}" -fsanitize=fuzzer-no-link ${EXTRA_CFLAGS:-} \
    -c "$src/engine/src/$f" -o "$out/obj/${f%.c}.o" &
  case " ${more[*]} " in *" $out/obj/${f%.c}.o "*) ;; *) objs+=("$out/obj/${f%.c}.o") ;; esac
done
wait_all() { local st=0; for p in $(jobs -p); do wait "$p" || st=1; done; return $st; }
wait_all || failed=1
[ "$failed" = 0 ] || { echo "build.sh: compiling the engine failed" >&2; exit 1; }
for target in fuzz_csv fuzz_matrix; do
  # shellcheck disable=SC2086
  "$cc" "${common[@]}" "${san[@]}" -fsanitize=fuzzer ${EXTRA_CFLAGS:-} "$here/$target.c" \
    "${objs[@]}" -lm -o "$out/$target"
done
# shellcheck disable=SC2086
"$cc" "${common[@]}" "${san[@]}" -fsanitize=fuzzer ${EXTRA_CFLAGS:-} "$here/fuzz_ckpt.c" \
  "${objs[@]}" "${more[@]}" -lm -o "$out/fuzz_ckpt"
echo "built: $out/fuzz_csv $out/fuzz_matrix $out/fuzz_ckpt"
