#!/usr/bin/env bash
# explain_table.sh — `ekm explain --strategy all --threads 1,2,4,8 --json`: one
# row per strategy and T, whose numbers equal the plan arithmetic worked out
# independently here: split 1 on any T; par1 C(N,K) / (C(N,K) - C(N/2,K)) on
# T >= 2; par2 with its quarters, two merges and the final merge list-scheduled
# on 2 and on 4+ threads; fused T; bound = min(T, total / critical path); the
# text view names par1's and par2's limits 1/(1-2^-K) and 1/(1-2^-K-4^-K).
set -euo pipefail
EKM=${EKM:?set EKM to the ekm binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "explain_table: $*" >&2; exit 1; }

for nk in "800 3" "60 2" "100 4"; do
    set -- $nk
    "$EKM" explain --strategy all --threads 1,2,4,8 --n "$1" -k "$2" --json >"$tmp/t.json" ||
        fail "explain --strategy all exited $?"
    python3 - "$tmp/t.json" "$1" "$2" <<'PY' || fail "N=$1 K=$2: numbers differ from the plan arithmetic"
import json, sys
from math import comb
doc = json.load(open(sys.argv[1])); n = int(sys.argv[2]); k = int(sys.argv[3])
rows = doc["rows"]
C = lambda m: comb(m, k)
total = C(n)
want_strategies = ["seq", "split", "par1", "par2", "tree", "fused", "pruned"]
assert [r["strategy"] for r in rows] == [s for s in want_strategies for _ in range(4)], rows
assert [r["threads"] for r in rows] == [1, 2, 4, 8] * 7
h = n // 2; q1 = h // 2; q2 = h - q1; q3 = (n - h) // 2; q4 = n - h - q3
def close(a, b): return abs(a - b) <= 1e-9 * max(1, abs(b))
for r in rows:
    s, T = r["strategy"], r["threads"]
    assert r["total"] == total, r
    sp = r["predicted_speedup"]
    if s in ("seq", "split"):
        want = 1.0
    elif s == "par1":
        leaf = max(C(h), C(n - h)); merge = total - C(h) - C(n - h)
        want = 1.0 if T == 1 else total / (leaf + merge)
        assert r["critical_path"] == leaf + merge, r
    elif s == "par2":
        L = [C(q1), C(q2), C(q3), C(q4)]
        M = [C(h) - L[0] - L[1], C(n - h) - L[2] - L[3]]
        F = total - C(h) - C(n - h)
        # N divisible by 4: equal quarters L, merges M; on 2 threads the four
        # leaves take two rounds, the merges one, then the final merge
        assert n % 4 == 0
        if T == 1: mk = total
        elif T == 2: mk = 2 * L[0] + M[0] + F
        else: mk = L[0] + M[0] + F
        want = total / mk
        cp = max(max(L[0], L[1]) + M[0], max(L[2], L[3]) + M[1]) + F
        assert r["critical_path"] == cp, r
    elif s == "fused":
        want = float(T)
    else:
        want = None
    if want is not None:
        assert close(sp, want), (r, want)
    assert close(r["makespan"], total / sp), r
    assert close(r["bound"], min(r["plan_threads"], total / r["critical_path"])), r
    assert sp <= r["bound"] + 1e-12, r
PY
done

LANG=C "$EKM" explain --strategy all --threads 1,2,4,8 --n 800 -k 3 >"$tmp/t.txt" ||
    fail "the text table exited $?"
grep -Eq '^par1 +1\.000x +1\.142x +1\.142x +1\.142x +1\.142x$' "$tmp/t.txt" ||
    fail "par1's row: $(grep '^par1' "$tmp/t.txt")"
grep -Eq '^split +1\.000x +1\.000x +1\.000x +1\.000x +1\.000x$' "$tmp/t.txt" || fail "split's row"
grep -Eq '^fused +1\.000x +2\.000x +4\.000x +8\.000x +8\.000x$' "$tmp/t.txt" || fail "fused's row"
grep -q "1/(1-2^-K) = 1.1429x for K=3" "$tmp/t.txt" || fail "par1's limit"
grep -q "1/(1-2^-K-4^-K) = 1.1636x for K=3" "$tmp/t.txt" || fail "par2's limit"
# one strategy on a list of T, and the errors
"$EKM" explain --strategy par1 --threads 1,2 --n 40 -k 2 --json | python3 -c '
import json, sys; r = json.load(sys.stdin)["rows"]; assert [x["threads"] for x in r] == [1, 2]' ||
    fail "one strategy on a list"
set +e
"$EKM" explain --strategy all --threads 1,x --n 40 -k 2 >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "a bad thread list exited $rc"
grep -q "threads" "$tmp/err" || fail "a bad thread list: $(cat "$tmp/err")"
echo "explain_table: ok"
