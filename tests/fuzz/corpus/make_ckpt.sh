#!/usr/bin/env bash
# make_ckpt.sh — regenerate the seed corpus ckpt/ of fuzz_ckpt: real checkpoints
# of jobs on the harness's dataset (../ckpt_seeds.c), without their magic,
# version and checksum (the target adds them). Needs clang; builds ckpt_seeds
# in a temporary fuzz build first (CMake -DEKM_FUZZ=ON).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S "$src" -B "$tmp" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DEKM_FUZZ=ON \
  -DEKM_UI=OFF >/dev/null
cmake --build "$tmp" -j2 --target ckpt_seeds >/dev/null
rm -rf "$here/ckpt"
mkdir -p "$here/ckpt"
"$tmp/ckpt_seeds" "$here/ckpt"
echo "seeds: $(ls "$here/ckpt" | wc -l) ckpt"
