#!/usr/bin/env bash
# quality.sh — the quality of a result as the front ends show it: the mean
# silhouette (R's cluster::silhouette on pam(iris, 3): 0.552819) and, with
# class labels, the cluster x label table and the adjusted Rand index
# (0.730238) in the text, --json and the labels CSV (a silhouette column whose
# mean is the mean); none of it for labels that are row names (mtcars), for
# heuristics or for a precomputed matrix's missing labels; K = 1 says "not
# defined"; `plot --silhouette`, REPL `result`, `plot silhouette --out` and
# `sweep`.
source "$(dirname "$0")/lib.sh"
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRC"

"$EKM" solve data/iris.csv -k 3 --json --labels "$tmp/l.csv" >"$tmp/r.json"
python3 - "$tmp/r.json" "$tmp/l.csv" <<'PY' || fail "iris K=3 quality in --json and the labels CSV"
import csv, json, sys
r = json.load(open(sys.argv[1]))
assert abs(r["silhouette"] - 0.552819) < 1e-6, r["silhouette"]
assert len(r["silhouette_clusters"]) == 3
assert abs(r["ari"] - 0.730238) < 1e-6, r["ari"]
assert r["classes"] == ["setosa", "versicolor", "virginica"]
assert r["crosstab"] == [[50, 0, 0], [0, 48, 14], [0, 2, 36]], r["crosstab"]
assert abs(r["purity"] - 134 / 150) < 1e-12
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == 150 and "silhouette" in rows[0]
s = [float(x["silhouette"]) for x in rows]
assert abs(sum(s) / 150 - r["silhouette"]) < 1e-12
for c in range(3):
    mine = [v for v, x in zip(s, rows) if int(x["cluster"]) == c + 1]
    assert abs(sum(mine) / len(mine) - r["silhouette_clusters"][c]) < 1e-12
assert all(-1 <= v <= 1 for v in s)
PY
pass

"$EKM" solve data/iris.csv -k 3 >"$tmp/r.txt"
grep -q "^silhouette 0.5528 (mean of s(i)" "$tmp/r.txt" || fail "no silhouette line: $(cat "$tmp/r.txt")"
grep -q "adjusted Rand index 0.7302" "$tmp/r.txt" || fail "no ARI line"
grep -qE '^ +2 +0 +48 +14$' "$tmp/r.txt" || fail "no table row: $(cat "$tmp/r.txt")"
pass

# labels that are row names (every one distinct): no class comparison
"$EKM" solve data/mtcars.csv -k 3 --json >"$tmp/m.json"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert "ari" not in r and "crosstab" not in r and -1 <= r["silhouette"] <= 1
' "$tmp/m.json" || fail "mtcars: $(cat "$tmp/m.json")"
# a heuristic result: no silhouette (it is shown after proven optima)
"$EKM" solve data/iris.csv -k 3 --strategy fasterpam --json >"$tmp/h.json"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["exact"] is False and "silhouette" not in r
' "$tmp/h.json" || fail "heuristic: $(cat "$tmp/h.json")"
# K = 1: not defined; null in JSON, an empty field in the CSV
"$EKM" solve data/women.csv -k 1 >"$tmp/k1.txt"
grep -q "^silhouette not defined (K = 1)" "$tmp/k1.txt" || fail "K=1 text: $(cat "$tmp/k1.txt")"
"$EKM" solve data/women.csv -k 1 --json --labels "$tmp/k1.csv" >"$tmp/k1.json"
grep -q '"silhouette":null' "$tmp/k1.json" || fail "K=1 json: $(cat "$tmp/k1.json")"
[ "$(sed -n 2p "$tmp/k1.csv")" = "0,1,7," ] || fail "K=1 CSV row: $(sed -n 2p "$tmp/k1.csv")"
pass

# the silhouette picture, alone or beside the clusters
"$EKM" plot data/iris.csv -k 3 --silhouette "$tmp/s.png" >"$tmp/p.txt"
[ "$(head -c 4 "$tmp/s.png" | tail -c 3)" = PNG ] || fail "--silhouette wrote no PNG"
set +e
"$EKM" plot data/iris.csv -k 3 --silhouette data/iris.csv >/dev/null 2>"$tmp/e.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "input data" "$tmp/e.txt" || fail "--silhouette over the input: rc $rc"
pass

# the REPL: result, plot silhouette --out, sweep
"$EKM" -c "load data/iris.csv; set k 3; set strategy pruned; run; wait; result; plot silhouette --out $tmp/rs.png; sweep 2..4" >"$tmp/repl.txt" 2>&1
grep -q "^silhouette 0.5528" "$tmp/repl.txt" || fail "REPL result: $(cat "$tmp/repl.txt")"
grep -q "adjusted Rand index 0.7302" "$tmp/repl.txt" || fail "REPL result ARI"
[ "$(head -c 4 "$tmp/rs.png" | tail -c 3)" = PNG ] || fail "REPL plot silhouette --out"
grep -qE '^ +4 +85\.6629102 ' "$tmp/repl.txt" || fail "REPL sweep K=4 row: $(cat "$tmp/repl.txt")"
grep -q "suggested K = 2 (rule: largest mean silhouette" "$tmp/repl.txt" || fail "REPL sweep suggestion"
pass
finish
