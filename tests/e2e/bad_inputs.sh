#!/usr/bin/env bash
# bad_inputs.sh — every malformed input gets exactly one line on stderr naming the
# file and the line, exit status 2, and nothing on stdout.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() { # description, expected pattern, command...
  local what=$1 pattern=$2; shift 2
  local out err status
  # a refusal comes at once: a run that goes on instead is stopped (status 124)
  err=$(timeout 300 "$@" 2>&1 >/dev/null); status=$?
  out=$(timeout 300 "$@" 2>/dev/null)
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$status" -eq 2 ] && [ "$lines" -eq 1 ] && [ -z "$out" ] && grep -Eq "$pattern" <<<"$err"; then
    pass
  else
    fail "$what: status $status, $lines lines: $err"
  fi
}
n=0
for f in "$DATA"/bad/*.csv; do
  n=$((n + 1))
  base=$(basename "$f")
  case $base in
    dissim_*) check "$base (matrix)" "^ekm: .*$base:[0-9]+(:[0-9]+)?: " "$EKM" solve --dissimilarity "$f" -k 1 ;;
    two_rows.csv) check "$base" "^ekm: .*$base: K=3 exceeds the number of points N=2" "$EKM" solve "$f" -k 3 ;;
    empty.csv) check "$base" "^ekm: .*$base(:[0-9]+)?(:[0-9]+)?: " "$EKM" solve "$f" -k 3 ;;
    *) check "$base" "^ekm: .*$base:[0-9]+(:[0-9]+)?: " "$EKM" solve "$f" -k 3 ;;
  esac
done
[ "$n" -eq 13 ] && pass || fail "$n files in $DATA/bad, expected 13"
if [ -d "$SHARED/bad" ]; then # the shipped copy is the shared folder's
  diff -r "$DATA/bad" "$SHARED/bad" >/dev/null && pass || fail "$DATA/bad differs from $SHARED/bad"
fi
# usage errors
check "no file" "^ekm: solve: " "$EKM" solve -k 3
check "no k" "^ekm: solve: .*-k" "$EKM" solve "$SRC/data/iris.csv"
check "bad k" "^ekm: solve: K: 'x' is not a whole number" "$EKM" solve "$SRC/data/iris.csv" -k x
check "k zero" "^ekm: solve: K must be between 1 and 64" "$EKM" solve "$SRC/data/iris.csv" -k 0
check "huge k" "^ekm: .*K=100 exceeds|K must be between" "$EKM" solve "$SRC/data/iris.csv" -k 100
check "bad metric" "^ekm: solve: --metric: unknown metric 'cosine'" "$EKM" solve "$SRC/data/iris.csv" -k 3 --metric cosine
check "bad strategy" "unknown strategy 'par3'" "$EKM" solve "$SRC/data/iris.csv" -k 3 --strategy par3
check "misspelt option" "did you mean --strategy" "$EKM" solve "$SRC/data/iris.csv" -k 3 --stratgy seq
check "threads zero" "threads must be between 1 and" "$EKM" solve "$SRC/data/iris.csv" -k 3 --threads 0
check "partitions > N" "partitions need at least" "$EKM" solve "$SRC/data/women.csv" -k 2 --strategy tree --partitions 20
check "missing file" "^ekm: .*nonexistent.csv" "$EKM" solve /nonexistent.csv -k 3
check "unknown command" "did you mean 'solve'" "$EKM" slove x
check "count overflow" "C\\(272,40\\) K-subsets do not fit in 128 bits" "$EKM" solve "$SRC/data/faithful.csv" -k 40
check "enumeration beyond 64 bits" "C\\(272,12\\) = 267665449061652239196 K-subsets do not fit in 64 bits: far too many for seq to enumerate \\(pruned may" "$EKM" solve "$SRC/data/faithful.csv" -k 12 --strategy seq
check "missing values" "missing.csv:3:2: .*--missing drop" "$EKM" solve "$DATA/missing.csv" -k 2
awk 'BEGIN { for (i = 0; i < 400000; i++) printf "%d,%d\n", i % 977, i % 613 }' >"$tmp/big.csv"
check "matrix too big" "big.csv: the 400000 x 400000 dissimilarity matrix needs .* GiB, more than" "$EKM" solve "$tmp/big.csv" -k 1 --strategy seq
if have_shared "the ren2022 files HCV_L (missing values) and urbanGB_L_10 (matrix too big)"; then
  check "missing values (HCV_L)" "HCV_L.csv:[0-9]+:[0-9]+: .*--missing drop" "$EKM" solve "$SHARED/ren2022/HCV_L.csv" -k 3 --label-column last
  check "matrix too big (urbanGB_L_10)" "needs .* GiB, more than" "$EKM" solve "$SHARED/ren2022/urbanGB_L_10.csv" -k 1 --label-column last --strategy seq
fi
finish
