#!/usr/bin/env bash
# sweep.sh — `ekm sweep`: the optimum of every K against the known optima of
# tests/data/optima.json (iris K = 2..4, checked by independent brute force;
# K = 5 against `ekm solve -k 5`), the silhouette of K = 3 against R's, the
# suggested K and its rule, the elbow, --plot, bad ranges, and Ctrl-C keeping
# the finished Ks (the signal is sent once the K = 3 row is printed).
source "$(dirname "$0")/lib.sh"
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRC"

"$EKM" sweep data/iris.csv --k 2..5 --json >"$tmp/s.json"
python3 - "$tmp/s.json" "$DATA/optima.json" <<'PY' || fail "sweep --json against optima.json"
import json, sys
got = json.load(open(sys.argv[1]))
want = {r["k"]: r for r in json.load(open(sys.argv[2]))
        if r["file"] == "data/iris.csv" and r["metric"] == "euclidean"}
runs = {r["k"]: r for r in got["runs"]}
assert sorted(runs) == [2, 3, 4, 5], runs.keys()
for k in (2, 3, 4):
    assert runs[k]["medoids"] == want[k]["medoids"], (k, runs[k], want[k])
    assert abs(runs[k]["objective"] - want[k]["objective"]) <= 1e-9 * want[k]["objective"], k
for r in got["runs"]:
    assert r["exact"] is True and r["seconds"] >= 0 and set(r) >= {"k", "objective", "medoids", "silhouette", "seconds", "exact"}
assert abs(runs[3]["silhouette"] - 0.552819) < 1e-6, runs[3]["silhouette"]   # R's cluster::silhouette
best = max(got["runs"], key=lambda r: r["silhouette"])
assert got["suggested_k"] == best["k"] == 2, got
assert got["suggested_by"] == "largest mean silhouette"
assert got["not_run"] == [] and got["cancelled"] is False
assert got["strategy"] == "pruned"
PY
pass
"$EKM" solve data/iris.csv -k 5 --strategy pruned --json >"$tmp/k5.json"
python3 - "$tmp/s.json" "$tmp/k5.json" <<'PY' || fail "sweep K=5 against solve -k 5"
import json, sys
runs = {r["k"]: r for r in json.load(open(sys.argv[1]))["runs"]}
one = json.load(open(sys.argv[2]))
assert runs[5]["medoids"] == one["medoids"] and runs[5]["objective"] == one["objective"]
assert one["silhouette"] == runs[5]["silhouette"]
PY
pass

# the text table, the elbow and the rule named; --plot writes a PNG
"$EKM" sweep data/iris.csv --k 1..4 --metric manhattan --plot "$tmp/k.png" >"$tmp/s.txt"
grep -qE '^ +3 +162\.5 ' "$tmp/s.txt" || fail "manhattan K=3 row: $(cat "$tmp/s.txt")"
grep -q "suggested K = 2 (rule: largest mean silhouette" "$tmp/s.txt" || fail "no suggested K: $(cat "$tmp/s.txt")"
grep -q "^elbow of the objective: K = " "$tmp/s.txt" || fail "no elbow: $(cat "$tmp/s.txt")"
grep -q "not defined for K = 1" "$tmp/s.txt" || fail "K=1 silhouette not explained"
[ "$(head -c 4 "$tmp/k.png" | tail -c 3)" = PNG ] || fail "--plot wrote no PNG"
pass

# bad ranges and options: one line, status 2
for args in "--k 5..2" "--k 0..3" "--k 2..65" "--k x" "" "--k 2..151" "--k 2..3 --labels $tmp/l.csv"; do
  set +e
  # shellcheck disable=SC2086
  "$EKM" sweep data/iris.csv $args >/dev/null 2>"$tmp/err"
  rc=$?
  set -e
  [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "sweep $args: rc $rc: $(cat "$tmp/err")"
done
pass

# Ctrl-C: the finished Ks stay. seq enumerates every subset: K = 6 and 7 take
# hours, so they cannot finish before the signal.
"$EKM" sweep data/iris.csv --k 2..7 --strategy seq --threads 1 >"$tmp/c.txt" 2>"$tmp/c.err" &
pid=$!
for _ in $(seq 1 2400); do # up to 120 s (sanitizer builds on a busy machine)
  grep -qE '^ +3 ' "$tmp/c.txt" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
grep -qE '^ +3 ' "$tmp/c.txt" || fail "no K=3 row in 120 s: $(cat "$tmp/c.txt" "$tmp/c.err")"
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "cancelled sweep exited $rc, want 1"
grep -qE '^ +2 +129\.3303886 +0\.6858 .* 7 126$' "$tmp/c.txt" || fail "K=2 lost: $(cat "$tmp/c.txt")"
grep -qE '^ +3 +98\.13115488 +0\.5528 .* 7 78 112$' "$tmp/c.txt" || fail "K=3 lost: $(cat "$tmp/c.txt")"
grep -qE '^ +7 +not run$' "$tmp/c.txt" || fail "K=7 not marked not run: $(cat "$tmp/c.txt")"
grep -q "suggested K = 2" "$tmp/c.txt" || fail "no suggestion from the finished Ks"
grep -q "sweep cancelled" "$tmp/c.err" || fail "no cancel message: $(cat "$tmp/c.err")"
pass

# --json after Ctrl-C: the finished runs, the rest in not_run (--progress
# says on stderr when a K is done: the signal goes after K=3)
"$EKM" sweep data/iris.csv --k 2..7 --strategy seq --threads 1 --json --progress \
    >"$tmp/c.json" 2>"$tmp/c2.err" &
pid=$!
for _ in $(seq 1 2400); do
  grep -q '^sweep: K=3 done' "$tmp/c2.err" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
grep -q '^sweep: K=3 done' "$tmp/c2.err" || fail "no K=3 line in 120 s: $(cat "$tmp/c2.err")"
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "cancelled sweep --json exited $rc"
python3 - "$tmp/c.json" <<'PY' || fail "cancelled sweep --json: $(cat "$tmp/c.json")"
import json, sys
got = json.load(open(sys.argv[1]))
assert got["cancelled"] is True and 7 in got["not_run"]
assert sorted([r["k"] for r in got["runs"]] + got["not_run"]) == [2, 3, 4, 5, 6, 7]
assert [r["k"] for r in got["runs"]][:2] == [2, 3] and got["runs"][1]["medoids"] == [7, 78, 112]
PY
pass
finish
