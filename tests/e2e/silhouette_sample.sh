#!/usr/bin/env bash
# silhouette_sample.sh — the silhouette of large data is an estimate from a
# sample of points, said so: `solve --silhouette-sample 60` on iris prints
# "silhouette ≈ ... ± ... (estimated from 65 sampled points of 150" and JSON
# "silhouette_exact": false with the sample and a standard error, within 4 of
# them of the exact 0.552819; `--silhouette-sample all` is exact again; bad
# values are refused. Above 20,000 points (20,500 points of two blobs, one
# solve in the REPL) the default is the estimate from 20000^2/N points, the
# labels CSV has a silhouette for exactly the sampled rows, `result
# --silhouette-sample all` gives the exact value (within 4 standard errors of
# the estimate), `set silhouette-sample all` keeps it; `sweep` marks the
# estimate and says so in JSON; the silhouette PNG of a sample is written.
source "$(dirname "$0")/lib.sh"
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRC"

"$EKM" solve data/iris.csv -k 3 --silhouette-sample 60 >"$tmp/s.txt"
grep -q "^silhouette ≈ 0\.[0-9]* ± 0\.[0-9]* (estimated from 65 sampled points of 150" "$tmp/s.txt" \
  && pass || fail "no estimate line: $(cat "$tmp/s.txt")"
"$EKM" solve data/iris.csv -k 3 --silhouette-sample 60 --json >"$tmp/s.json"
"$EKM" solve data/iris.csv -k 3 --silhouette-sample 60 --json --threads 1 >"$tmp/s1.json"
python3 - "$tmp/s.json" "$tmp/s1.json" <<'PY' && pass || fail "iris sampled JSON"
import json, sys
r, r1 = (json.load(open(p)) for p in sys.argv[1:])
assert r["silhouette_exact"] is False and r["silhouette_sample"] == 65, r
se = r["silhouette_std_error"]
assert 0 < se < 0.1 and abs(r["silhouette"] - 0.552819) <= 4 * se, r
for k in ("silhouette", "silhouette_clusters", "silhouette_std_error", "silhouette_sample"):
    assert r[k] == r1[k], (k, r[k], r1[k])  # the same on 1 thread as on all
PY
"$EKM" solve data/iris.csv -k 3 --silhouette-sample all >"$tmp/a.txt"
grep -q "^silhouette 0.5528 (mean of s(i)" "$tmp/a.txt" && pass || fail "all: $(cat "$tmp/a.txt")"
"$EKM" solve data/iris.csv -k 3 --json >"$tmp/d.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["silhouette_exact"] is True and r["silhouette_sample"] == 150 and r["silhouette_std_error"] == 0, r' "$tmp/d.json" \
  && pass || fail "default at N=150 is not exact"
for bad in 0 -3 many 1e3; do
  rc=0
  "$EKM" solve data/iris.csv -k 3 --silhouette-sample "$bad" >/dev/null 2>"$tmp/e.txt" || rc=$?
  [ "$rc" -eq 2 ] && grep -q -- "--silhouette-sample" "$tmp/e.txt" && pass \
    || fail "--silhouette-sample $bad: rc $rc $(cat "$tmp/e.txt")"
done

# above the threshold: one solve, several reports
"$EKM" gen blobs --n 20500 --d 2 --clusters 2 --seed 3 --out "$tmp/big.csv" >/dev/null
"$EKM" -c "load $tmp/big.csv --label-column last; run -k 2; wait; result; result --json; \
save labels $tmp/big_labels.csv; result --silhouette-sample all --json; \
set silhouette-sample all; result" >"$tmp/big.txt" 2>&1 || fail "the REPL run: $(tail -5 "$tmp/big.txt")"
grep -q "^silhouette ≈ 0\.[0-9]* ± 0\.[0-9]* (estimated from 19,51[23] sampled points of 20,500" \
  "$tmp/big.txt" && pass || fail "no estimate at N=20500: $(grep silhouette "$tmp/big.txt")"
[ "$(grep -c "^silhouette 0\.[0-9]* (mean of s(i)" "$tmp/big.txt")" -eq 1 ] && pass \
  || fail "set silhouette-sample all: no exact line: $(grep silhouette "$tmp/big.txt")"
python3 - "$tmp/big.txt" "$tmp/big_labels.csv" <<'PY' && pass || fail "N=20500 estimate and labels"
import csv, json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
est, exact = objs
n = est["silhouette_sample"]  # 20000^2 / 20500, rounded up in each cluster
assert est["silhouette_exact"] is False and n in (19512, 19513), est
assert exact["silhouette_exact"] is True and exact["silhouette_sample"] == 20500, exact
se = est["silhouette_std_error"]
assert 0 < se < 0.01 and abs(est["silhouette"] - exact["silhouette"]) <= 4 * se, (est, exact)
rows = list(csv.DictReader(open(sys.argv[2])))
filled = [r for r in rows if r["silhouette"] != ""]
assert len(rows) == 20500 and len(filled) == n, (len(rows), len(filled))
PY

# sweep and the picture with a sample (small data, the sample asked for)
"$EKM" sweep data/iris.csv --k 2..3 --silhouette-sample 60 >"$tmp/sw.txt"
grep -q "^  3 .* ~0\.[0-9]" "$tmp/sw.txt" && grep -q "estimated from [67][0-9] sampled points of 150" "$tmp/sw.txt" \
  && pass || fail "sweep: $(cat "$tmp/sw.txt")"
"$EKM" sweep data/iris.csv --k 2..3 --silhouette-sample 60 --json >"$tmp/sw.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert all(x["silhouette_exact"] is False and 60 <= x["silhouette_sample"] < 150 and x["silhouette_std_error"] > 0 for x in r["runs"]), r' "$tmp/sw.json" \
  && pass || fail "sweep JSON: $(cat "$tmp/sw.json")"
"$EKM" plot data/iris.csv -k 3 --silhouette-sample 60 --silhouette "$tmp/sil.png" >/dev/null
[ "$(head -c 4 "$tmp/sil.png" | tail -c 3)" = PNG ] && pass || fail "no silhouette PNG of a sample"
finish
