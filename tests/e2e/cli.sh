#!/usr/bin/env bash
# cli.sh — the batch CLI: help, version, solve output and JSON fields, labels file,
# gen determinism, info, and every ren2022 file loading (BOM and CR-only included).
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$EKM" --help | grep -q "exact K-medoids" && pass || fail "--help"
"$EKM" solve --help | grep -q -- "--strategy" && pass || fail "solve --help"
"$EKM" --version | grep -Eq '^ekm [0-9]+\.[0-9]+\.[0-9]+$' && pass || fail "--version"
json=$("$EKM" solve "$SRC/data/iris.csv" -k 3 --json --labels "$tmp/l.csv")
for field in n d k metric strategy threads exact objective medoids evaluated seconds stages amdahl_bound; do
  jq -e "has(\"$field\")" <<<"$json" >/dev/null && pass || fail "json field $field"
done
[ "$(jq -c .medoids <<<"$json")" = "[7,78,112]" ] && pass || fail "iris medoids $(jq -c .medoids <<<"$json")"
[ "$(jq .evaluated <<<"$json")" = 551300 ] && pass || fail "iris evaluated"
[ "$(wc -l <"$tmp/l.csv")" -eq 151 ] && pass || fail "labels rows"
head -1 "$tmp/l.csv" | grep -q '^index,cluster,medoid,label,silhouette$' && pass || fail "labels header"
text=$("$EKM" solve "$SRC/data/iris.csv" -k 3)
grep -q "proven optimal" <<<"$text" && grep -q "setosa" <<<"$text" && pass || fail "text summary"
# par1 stages: two leaves and a merge whose totals add up to C(150,3)
j=$("$EKM" solve "$SRC/data/iris.csv" -k 3 --strategy par1 --threads 2 --json)
[ "$(jq '[.stages[].total] | add' <<<"$j")" = 551300 ] && pass || fail "par1 stage totals"
[ "$(jq -r '.stages[2].kind' <<<"$j")" = merge ] && pass || fail "par1 merge stage"
# gen is deterministic
"$EKM" gen uniform --n 50 --d 3 --seed 4 >"$tmp/a.csv" && "$EKM" gen uniform --n 50 --d 3 --seed 4 --out "$tmp/b.csv"
cmp -s "$tmp/a.csv" "$tmp/b.csv" && pass || fail "gen determinism"
[ "$(wc -l <"$tmp/a.csv")" -eq 51 ] && pass || fail "gen rows"
"$EKM" gen blobs --n 30 --d 2 --clusters 3 --seed 1 | head -1 | grep -q '^x1,x2,cluster$' && pass || fail "blobs header"
# --progress without a terminal: one line per finished stage
p=$("$EKM" solve "$SRC/data/iris.csv" -k 2 --strategy par2 --threads 2 --progress 2>&1 >/dev/null | grep -c '^stage ')
[ "$p" -eq 7 ] && pass || fail "progress lines: $p"
# --missing drop on the shipped file with two incomplete rows
"$EKM" info "$DATA/missing.csv" --missing drop | grep -q "^2 rows with missing values dropped" && pass || fail "missing.csv dropped rows"
if have_shared "info on every ren2022 file (BOM, CR-only line ends, HCV_L's 13 incomplete rows)"; then
  for f in "$SHARED"/ren2022/*.csv; do
    "$EKM" info "$f" --label-column last --missing drop >/dev/null && pass || fail "info $f"
  done
  "$EKM" info "$SHARED/ren2022/HCV_L.csv" --label-column last --missing drop | grep -q "13 rows with missing values dropped" && pass || fail "HCV_L dropped rows"
fi
finish
