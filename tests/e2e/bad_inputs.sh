#!/usr/bin/env bash
# bad_inputs.sh — every malformed input gets exactly one line on stderr naming the
# file and the line, exit status 2, and nothing on stdout.
. "$(dirname "$0")/lib.sh"
need_shared
check() { # description, expected pattern, command...
  local what=$1 pattern=$2; shift 2
  local out err status
  err=$("$@" 2>&1 >/dev/null); status=$?
  out=$("$@" 2>/dev/null)
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$status" -eq 2 ] && [ "$lines" -eq 1 ] && [ -z "$out" ] && grep -Eq "$pattern" <<<"$err"; then
    pass
  else
    fail "$what: status $status, $lines lines: $err"
  fi
}
for f in "$SHARED"/bad/*.csv; do
  base=$(basename "$f")
  case $base in
    dissim_*) check "$base (matrix)" "^ekm: .*$base:[0-9]+(:[0-9]+)?: " "$EKM" solve --dissimilarity "$f" -k 1 ;;
    two_rows.csv) check "$base" "^ekm: .*$base: K=3 exceeds the number of points N=2" "$EKM" solve "$f" -k 3 ;;
    empty.csv) check "$base" "^ekm: .*$base(:[0-9]+)?(:[0-9]+)?: " "$EKM" solve "$f" -k 3 ;;
    *) check "$base" "^ekm: .*$base:[0-9]+(:[0-9]+)?: " "$EKM" solve "$f" -k 3 ;;
  esac
done
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
check "partitions > N" "partitions need at least" "$EKM" solve "$SHARED/r/women.csv" -k 2 --strategy tree --partitions 20
check "missing file" "^ekm: .*nonexistent.csv" "$EKM" solve /nonexistent.csv -k 3
check "unknown command" "did you mean 'solve'" "$EKM" slove x
check "count overflow" "do not fit in 64 bits" "$EKM" solve "$SHARED/r/faithful.csv" -k 40
check "missing values" "HCV_L.csv:[0-9]+:[0-9]+: .*--missing drop" "$EKM" solve "$SHARED/ren2022/HCV_L.csv" -k 3 --label-column last
check "matrix too big" "needs .* GiB, more than" "$EKM" solve "$SHARED/ren2022/urbanGB_L_10.csv" -k 1 --label-column last
finish
