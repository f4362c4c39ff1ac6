#!/usr/bin/env bash
# data_options.sh — options that would otherwise be silently ignored or refused
# for a value the user never gave:
# - `--dissimilarity MATRIX` with a positional CSV, or with --metric, is refused
#   with one line (exit 2) by every command that loads data;
# - `--strategy tree` without --partitions/--leaf picks 2 leaves per thread, at
#   most 128 and at most N: --threads 256 and more threads than points both run
#   and return the optimum pruned proves; partitions given explicitly out of
#   range are still refused.
. "$(dirname "$0")/lib.sh"
IRIS=$SRC/data/iris.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf '0,1,2,4\n1,0,1,3\n2,1,0,2\n4,3,2,0\n' >"$T/m.csv"

refused() { # description, pattern, args...
  local what=$1 pattern=$2; shift 2
  local out err status
  out=$("$@" 2>"$T/err")
  status=$?
  err=$(cat "$T/err")
  if [ "$status" -eq 2 ] && [ "$(grep -c . <<<"$err")" -eq 1 ] && [ -z "$out" ] &&
    grep -Eq "$pattern" <<<"$err"; then
    pass
  else
    fail "$what: status $status, stderr '$err', stdout '$out'"
  fi
}
both="^ekm: [a-z]+: give either FILE or --dissimilarity MATRIX, not both \('.*iris.csv' would be ignored\)$"
metric="^ekm: [a-z]+: --metric does not apply to --dissimilarity MATRIX"
for cmd in solve compare; do
  refused "$cmd: CSV and matrix" "$both" "$EKM" $cmd "$IRIS" --dissimilarity "$T/m.csv" -k 2
  refused "$cmd: matrix and CSV" "$both" "$EKM" $cmd --dissimilarity "$T/m.csv" "$IRIS" -k 2
  refused "$cmd: matrix --metric" "$metric" "$EKM" $cmd --dissimilarity "$T/m.csv" --metric manhattan -k 2
  refused "$cmd: --metric= matrix" "$metric" "$EKM" $cmd --metric=euclidean --dissimilarity "$T/m.csv" -k 2
done
refused "bench: CSV and matrix" "$both" "$EKM" bench "$IRIS" --dissimilarity "$T/m.csv" -k 2 --n 4
refused "tui: CSV and matrix" "$both" "$EKM" tui "$IRIS" --dissimilarity "$T/m.csv"
refused "info: matrix --metric" "$metric" "$EKM" info --dissimilarity "$T/m.csv" --metric sqeuclidean
# the matrix alone still works: medoid 1 or 2 (tied at 1+0+1+3 = 5 vs 2+1+0+2 = 5): 1 wins
out=$("$EKM" solve --dissimilarity "$T/m.csv" -k 1 --json 2>&1)
if grep -q '"objective":5,' <<<"$out" && grep -q '"medoids":\[1\]' <<<"$out"; then pass; else fail "matrix alone: $out"; fi

# tree without partitions: as many threads as allowed, and more threads than points
opt=$("$EKM" solve "$IRIS" -k 2 --strategy pruned --json | grep -o '"objective":[^,]*')
for t in 256 100; do
  out=$("$EKM" solve "$IRIS" -k 2 --strategy tree --threads $t --json 2>&1)
  if [ "$(grep -o '"objective":[^,]*' <<<"$out")" = "$opt" ] && grep -q '"exact":true' <<<"$out"; then
    pass
  else
    fail "tree --threads $t: $out (pruned: $opt)"
  fi
done
out=$("$EKM" solve --dissimilarity "$T/m.csv" -k 2 --strategy tree --threads 8 --json 2>&1)
if grep -q '"exact":true' <<<"$out"; then pass; else fail "tree on N=4 with 8 threads: $out"; fi
out=$("$EKM" explain --strategy tree -k 2 --n 150 --threads 256 2>&1)
if grep -q "255 stages" <<<"$out"; then pass; else fail "explain tree on 256 threads: $out"; fi
refused "tree -p 200" "^ekm: solve: --partitions" "$EKM" solve "$IRIS" -k 2 --strategy tree -p 200
refused "tree -p 8 on N=4" "^ekm: .*8 partitions need at least 8 points, N=4" \
  "$EKM" solve --dissimilarity "$T/m.csv" -k 2 --strategy tree -p 8
finish
