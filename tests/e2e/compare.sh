#!/usr/bin/env bash
# compare.sh — `ekm compare FILE -k K`: the table lists every method once; the
# exact row (pruned) is marked exact, has gap 0 and found the optimum; its
# objective is the proven optimum of iris K=3 (tests/data/optima.json); every heuristic's gap is >= 0 and "found" agrees with a zero gap; the
# JSON form says the same; usage errors exit 2 with one line "ekm: ...".
. "$(dirname "$0")/lib.sh"
IRIS=$SRC/data/iris.csv

out=$("$EKM" compare "$IRIS" -k 3 --threads 2 2>&1)
status=$?
if [ "$status" -eq 0 ]; then pass; else fail "compare exited $status: $out"; fi

for m in pruned pam fasterpam clarans alternate; do
  n=$(awk -v m="$m" '$1 == m' <<<"$out" | wc -l)
  if [ "$n" -eq 1 ]; then pass; else fail "method $m listed $n times in:
$out"; fi
done

# columns: method exact seconds objective gap found
row=$(awk '$1 == "pruned" {print $2, $5, $6}' <<<"$out")
if [ "$row" = "yes 0.0000 yes" ]; then pass; else fail "exact row: '$row'"; fi
exact_obj=$(awk '$1 == "pruned" {print $4}' <<<"$out")
if awk -v v="$exact_obj" 'BEGIN { exit !(v > 98.13115488 && v < 98.13115489) }'; then
  pass
else
  fail "exact objective $exact_obj is not iris K=3's optimum 98.1311548823"
fi
want=$(jq -r '.[] | select(.file == "data/iris.csv" and .k == 3 and .metric == "euclidean") | .objective' "$DATA/optima.json")
if awk -v a="$exact_obj" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= 1e-8 * b) }'; then
  pass
else
  fail "exact objective $exact_obj, optima.json says '$want'"
fi

bad=$(awk 'NR > 2 && NF == 6 {
  if ($2 == "yes" && $1 != "pruned") print "exact: " $0
  if ($5 < 0) print "negative gap: " $0
  if ($6 == "yes" && ($5 != 0 || $4 != obj)) print "found, yet a gap: " $0
  if ($5 > 0 && $6 != "no") print "a gap, yet found: " $0
}' obj="$exact_obj" <<<"$out")
if [ -z "$bad" ]; then pass; else fail "$bad"; fi

# JSON: one object, the optimum, five methods, the exact one first
json=$("$EKM" compare "$IRIS" -k 3 --json)
if command -v python3 >/dev/null; then
  if python3 -c '
import json, sys
j = json.loads(sys.argv[1])
m = j["methods"]
assert [x["method"] for x in m] == ["pruned", "pam", "fasterpam", "clarans", "alternate"], m
assert m[0]["exact"] and m[0]["gap_percent"] == 0 and m[0]["found_optimum"]
assert m[0]["objective"] == j["optimum"] and m[0]["medoids"] == [7, 78, 112]
assert m[0]["evaluated"] + m[0]["pruned"] == 551300
for x in m[1:]:
    assert not x["exact"] and x["gap_percent"] >= 0
    assert x["found_optimum"] == (x["medoids"] == m[0]["medoids"])
' "$json"; then pass; else fail "JSON: $json"; fi
else
  if grep -q '"method":"pruned","exact":true' <<<"$json"; then pass; else fail "JSON: $json"; fi
fi

# usage errors: exit 2, one line on stderr starting with "ekm: ", nothing on stdout
usage() { # description, pattern, args...
  local what=$1 pattern=$2; shift 2
  local err status out
  out=$("$EKM" compare "$@" 2>/dev/null)
  err=$("$EKM" compare "$@" 2>&1 >/dev/null)
  status=$?
  if [ "$status" -eq 2 ] && [ "$(grep -c . <<<"$err")" -eq 1 ] && [ -z "$out" ] &&
    grep -Eq "$pattern" <<<"$err"; then
    pass
  else
    fail "$what: status $status, stderr '$err', stdout '$out'"
  fi
}
usage "no k" "^ekm: compare: .*-k" "$IRIS"
usage "no file" "^ekm: compare: which file" -k 3
usage "a strategy" "^ekm: compare: --strategy does not apply" "$IRIS" -k 3 --strategy seq
usage "K above N" "^ekm: .*K=20 exceeds the number of points N=15" "$SRC/data/women.csv" -k 20
usage "K above 64" "^ekm: compare: K must be between 1 and 64" "$IRIS" -k 151
usage "unknown option" "^ekm: compare: unknown option" "$IRIS" -k 3 --frobnicate
usage "missing file" "^ekm: .*nonexistent.csv" /nonexistent.csv -k 3
finish
