#!/usr/bin/env bash
# make_ckpt.sh — regenerate the seed corpus ckpt/ of fuzz_ckpt: real checkpoints
# of jobs on the harness's dataset (../ckpt_seeds.c), without their magic,
# version and checksum (the target adds them). Needs clang; builds the fuzz
# objects into a temporary folder first (../build.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/../build.sh" "$tmp" >/dev/null
clang -std=gnu11 -O1 -g -pthread -fsanitize=address,undefined,fuzzer-no-link \
  -I"$src/engine/include" -I"$src/engine/src" -I"$here/.." "$here/../ckpt_seeds.c" \
  "$tmp"/obj/*.o -lm -o "$tmp/ckpt_seeds"
rm -rf "$here/ckpt"
mkdir -p "$here/ckpt"
"$tmp/ckpt_seeds" "$here/ckpt"
echo "seeds: $(ls "$here/ckpt" | wc -l) ckpt"
